/*
 * text.c - from raw bytes to normalised lines: detects the encoding (UTF-8,
 * UTF-16 with BOM, else the legacy charset the bytes read best in: cp1252,
 * GB18030/GBK, Big5, Shift_JIS, decoded through tables glibc's iconv
 * fills), validates UTF-8 (bad sequences become U+FFFD), drops NUL
 * and control bytes, folds Unicode spaces, splits lines and keeps for each
 * line the byte offset of its source so every field can be audited.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "extract.h"

/* ---- legacy charsets ---- */

#define CP_LEAD 0xFFFFFFFFu      /* single[]: the byte starts a pair */
#define TRAIL_LO 0x30            /* pair tables cover trail 0x30..0xFE */
#define TRAIL_N (0xFF - TRAIL_LO)

/*
 * A legacy charset as tables: every byte on its own, and every two-byte
 * sequence a lead byte starts. GB18030's four-byte sequences (rare
 * characters) are converted one by one through the iconv handle.
 */
struct lp_codec {
  int enc;
  uint32_t single[256];        /* code point, CP_LEAD, or 0xFFFD */
  uint32_t *pair;              /* [lead][trail - TRAIL_LO], 0xFFFD: none */
  iconv_t cd;                  /* for four-byte sequences; (iconv_t)-1 */
};

static const struct {
  const char *iconv_name;      /* glibc's name */
  const char *name;            /* the name records give */
} charsets[LP_ENC__N] = {
  {"UTF-8", "utf-8"}, {"UTF-16LE", "utf-16le"}, {"UTF-16BE", "utf-16be"},
  {"CP1252", "cp1252"}, {"GB18030", "gb18030"}, {"BIG5", "big5"},
  {"CP932", "shift_jis"}
};

const char *lp_charset_name(int enc) {
  return enc >= 0 && enc < LP_ENC__N ? charsets[enc].name : "utf-8";
}

/* ASCII case-insensitive equality, '-' and '_' ignored. */
static int same_label(const char *a, const char *b) {
  for (;;) {
    while (*a == '-' || *a == '_') a++;
    while (*b == '-' || *b == '_') b++;
    if (*a == '\0' || *b == '\0') return *a == *b;
    if ((*a | 32) != (*b | 32)) return 0;
    a++;
    b++;
  }
}

int lp_charset_lookup(const char *name) {
  static const struct {
    const char *label;
    int enc;
  } labels[] = {
    {"utf8", LP_ENC_UTF8}, {"utf16le", LP_ENC_UTF16LE},
    {"utf16be", LP_ENC_UTF16BE},
    {"cp1252", LP_ENC_CP1252}, {"windows1252", LP_ENC_CP1252},
    {"latin1", LP_ENC_CP1252}, {"iso88591", LP_ENC_CP1252},
    {"l1", LP_ENC_CP1252}, {"ascii", LP_ENC_CP1252},
    {"gbk", LP_ENC_GB18030}, {"gb18030", LP_ENC_GB18030},
    {"gb2312", LP_ENC_GB18030}, {"cp936", LP_ENC_GB18030},
    {"big5", LP_ENC_BIG5}, {"cp950", LP_ENC_BIG5},
    {"shiftjis", LP_ENC_SJIS}, {"sjis", LP_ENC_SJIS},
    {"cp932", LP_ENC_SJIS}, {"windows31j", LP_ENC_SJIS},
  };
  size_t k;
  if (name == NULL) return -1;
  for (k = 0; k < sizeof labels / sizeof labels[0]; k++)
    if (same_label(name, labels[k].label)) return labels[k].enc;
  return -1;
}

/* Convert in[0..n) with cd: the one code point it makes, 0xFFFD when it
 * makes none or several, CP_LEAD when the input is incomplete. */
static uint32_t iconv_one(iconv_t cd, const unsigned char *in, size_t n) {
  char ibuf[4], obuf[16];
  char *ip = ibuf, *op = obuf;
  size_t il = n, ol = sizeof obuf, r;
  memcpy(ibuf, in, n);
  iconv(cd, NULL, NULL, NULL, NULL);
  r = iconv(cd, &ip, &il, &op, &ol);
  if (r == (size_t)-1) return errno == EINVAL ? CP_LEAD : 0xFFFD;
  if (il != 0 || sizeof obuf - ol != 4) return 0xFFFD;
  return (uint32_t)(unsigned char)obuf[0] |
         ((uint32_t)(unsigned char)obuf[1] << 8) |
         ((uint32_t)(unsigned char)obuf[2] << 16) |
         ((uint32_t)(unsigned char)obuf[3] << 24);
}

static void codec_free(lp_codec *c) {
  if (c == NULL) return;
  if (c->cd != (iconv_t)-1) iconv_close(c->cd);
  free(c->pair);
  free(c);
}

void lp_codecs_free(lp_codecs *cs) {
  int k;
  for (k = 0; k < LP_ENC__N; k++) {
    codec_free(cs->c[k]);
    cs->c[k] = NULL;
    cs->tried[k] = 0;
  }
}

/*
 * The tables of charset enc, built on first use through iconv (about
 * 24,000 conversions of one or two bytes, once per parser). NULL when
 * glibc cannot convert it here or memory ran out (*oom set).
 */
static const lp_codec *codec_get(lp_codecs *cs, int enc, int *oom) {
  lp_codec *c;
  unsigned b, t;
  int any_lead = 0;
  if (cs == NULL || enc < LP_ENC_CP1252 || enc >= LP_ENC__N) return NULL;
  if (cs->tried[enc]) return cs->c[enc];
  cs->tried[enc] = 1;
  c = calloc(1, sizeof *c);
  if (c == NULL) { *oom = 1; cs->tried[enc] = 0; return NULL; }
  c->enc = enc;
  c->cd = iconv_open("UTF-32LE", charsets[enc].iconv_name);
  if (c->cd == (iconv_t)-1) { free(c); return NULL; }
  for (b = 0; b < 256; b++) {
    unsigned char in = (unsigned char)b;
    c->single[b] = b < 0x80 ? b : iconv_one(c->cd, &in, 1);
    if (c->single[b] == CP_LEAD) any_lead = 1;
  }
  if (any_lead) {
    c->pair = malloc(256 * TRAIL_N * sizeof *c->pair);
    if (c->pair == NULL) { codec_free(c); *oom = 1; cs->tried[enc] = 0; return NULL; }
    for (b = 0; b < 256; b++) {
      if (c->single[b] != CP_LEAD) continue;
      for (t = TRAIL_LO; t < 0xFF; t++) {
        unsigned char in[2];
        uint32_t cp;
        in[0] = (unsigned char)b;
        in[1] = (unsigned char)t;
        cp = iconv_one(c->cd, in, 2);
        c->pair[b * TRAIL_N + (t - TRAIL_LO)] = cp == CP_LEAD ? CP_LEAD : cp;
      }
    }
  }
  cs->c[enc] = c;
  return c;
}

/* One character of a legacy charset at *i (see next_cp). */
static inline uint32_t codec_cp(const lp_codec *c, const unsigned char *s,
                                size_t len, size_t *i, int *bad) {
  size_t p = *i;
  uint32_t cp = c->single[s[p]];
  if (cp != CP_LEAD) {
    *i = p + 1;
    if (cp == 0xFFFD) *bad = 1;
    return cp;
  }
  if (p + 1 < len && s[p + 1] >= TRAIL_LO && s[p + 1] < 0xFF) {
    cp = c->pair[s[p] * TRAIL_N + (s[p + 1] - TRAIL_LO)];
    if (cp != CP_LEAD && cp != 0xFFFD) { *i = p + 2; return cp; }
    if (cp == CP_LEAD && p + 3 < len) {   /* GB18030 four bytes */
      cp = iconv_one(c->cd, s + p, 4);
      if (cp != CP_LEAD && cp != 0xFFFD) { *i = p + 4; return cp; }
    }
  }
  *i = p + 1;
  *bad = 1;
  return 0xFFFD;
}

/* ---- choosing the charset of bytes that are not UTF-8 ---- */

#define SAMPLE_BYTES (256u * 1024)

/* Length of a valid UTF-8 sequence at s[i] (1 for ASCII), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i) {
  unsigned c = s[i];
  size_t need, k;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) need = 2;
  else if (c >= 0xF0 && c <= 0xF4) need = 3;
  else return 0;
  if (i + need >= len) return 0;
  for (k = 1; k <= need; k++)
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
      (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
    return 0;
  return need + 1;
}

/*
 * How plausible the character at s[p] (n bytes, code point cp) is in
 * text of charset enc, from 0 to 1. For the CJK charsets the standards
 * ordered their characters by frequency, so the bytes tell the tier:
 * GB2312's level 1 (lead B0-D7), Big5's frequent characters (A4-C6),
 * JIS level 1 kanji and the kana of Shift_JIS count fully; punctuation
 * rows count fully; the rest of the ideographs 0.3; symbols and the like
 * nothing. cp1252 is judged by the character (see score_charset).
 */
static double cjk_weight(int enc, const unsigned char *s, size_t p, size_t n,
                         uint32_t cp) {
  unsigned a = s[p], b = n > 1 ? s[p + 1] : 0;
  int han = cp >= 0x4E00 && cp <= 0x9FFF;
  if (cp >= 0x3000 && cp <= 0x303F) return 1;          /* CJK punctuation */
  if (cp >= 0xFF01 && cp <= 0xFF5E) return 1;          /* fullwidth forms */
  if (enc == LP_ENC_GB18030) {
    if (n == 2 && a >= 0xB0 && a <= 0xD7 && b >= 0xA1) return 1;
    return han ? 0.3 : 0;
  }
  if (enc == LP_ENC_BIG5) {
    if (n == 2 && a >= 0xA4 && a <= 0xC6) return 1;
    return han ? 0.3 : 0;
  }
  /* Shift_JIS */
  if (cp >= 0x3041 && cp <= 0x30FF) return 1;          /* kana */
  if (n == 2 && a >= 0x88 && a <= 0x98 && han) return 1;
  return han ? 0.3 : 0;
}

/* Latin letters and the punctuation of Western text. */
static int western_char(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0x17F) return cp != 0xD7 && cp != 0xF7;
  switch (cp) {
  case 0xA0: case 0xA3: case 0xA7: case 0xA9: case 0xAB: case 0xAE:
  case 0xB0: case 0xB1: case 0xB7: case 0xBB: case 0xBF: case 0xA1:
  case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201A:
  case 0x201C: case 0x201D: case 0x201E: case 0x2022: case 0x2026:
  case 0x20AC: case 0x2122: case 0x152: case 0x153: case 0x160:
  case 0x161: case 0x178: case 0x17D: case 0x17E:
    return 1;
  default:
    return 0;
  }
}

/*
 * Score the sample s[0..n) read as charset c: (plausible characters -
 * 3 x undecodable bytes) / non-ASCII characters, at most 1. Western text
 * has its accented letters alone or in pairs inside words: in cp1252 a
 * character in a run of three or more non-ASCII characters (what CJK
 * bytes read as cp1252 make) does not count.
 */
static double score_charset(const lp_codec *c, const unsigned char *s,
                            size_t n) {
  size_t i = 0, total = 0, run = 0, run_good = 0;
  double good = 0;
  long bad = 0;
  while (i < n) {
    size_t p = i;
    int isbad = 0;
    uint32_t cp;
    if (s[i] < 0x80) {
      if (run > 0 && run <= 2) good += (double)run_good;
      run = run_good = 0;
      i++;
      continue;
    }
    cp = codec_cp(c, s, n, &i, &isbad);
    total++;
    if (isbad) { bad++; continue; }
    if (c->enc == LP_ENC_CP1252) {
      run++;
      if (western_char(cp)) run_good++;
    } else {
      good += cjk_weight(c->enc, s, p, i - p, cp);
    }
  }
  if (run > 0 && run <= 2) good += (double)run_good;
  if (total == 0) return 0;
  return (good - 3.0 * (double)bad) / (double)total;
}

/*
 * The charset of input that is not all UTF-8: its first invalid byte
 * starts a sample (from a little before it, up to SAMPLE_BYTES). UTF-8
 * with damage stays UTF-8: a sequence cut off at the end of the input,
 * valid sequences that outnumber the bad bytes four to one, or some valid
 * sequences and fewer than 16 bad bytes. Otherwise each legacy
 * charset glibc offers scores the sample (score_charset); the best wins
 * when its score reaches 0.4, else the bytes stay UTF-8 and the bad ones
 * become U+FFFD. *oom is set when building tables ran out of memory.
 */
static int guess_charset(lp_codecs *cs, const unsigned char *s, size_t len,
                         size_t skip, int *oom) {
  size_t i = skip, first_bad = len, from, n, nmb = 0, nbad = 0;
  int enc, best = LP_ENC_UTF8;
  double best_score = 0.4;
  while (i < len) {
    size_t k;
    if (s[i] < 0x80) { i++; continue; }
    k = utf8_seq(s, len, i);
    if (k == 0) {
      /* a sequence cut off by the end of the input is UTF-8 cut short */
      size_t j = i + 1;
      while (j < len && (s[j] & 0xC0) == 0x80) j++;
      if (j == len && s[i] >= 0xC2 && s[i] <= 0xF4 && len - i <= 3) break;
      first_bad = i;
      break;
    }
    i += k;
  }
  if (first_bad == len || cs == NULL) return LP_ENC_UTF8;
  from = first_bad > 1024 + skip ? first_bad - 1024 : skip;
  n = len - from < SAMPLE_BYTES ? len - from : SAMPLE_BYTES;
  for (i = from; i < from + n;) {
    size_t k;
    if (s[i] < 0x80) { i++; continue; }
    k = utf8_seq(s, from + n, i);
    if (k == 0) { nbad++; i++; }
    else { nmb++; i += k; }
  }
  /* UTF-8 with damage: valid sequences outnumber the bad bytes four to
   * one, or there are valid ones and only a few bad bytes */
  if (nmb > 4 * nbad || (nmb > 0 && nbad < 16)) return LP_ENC_UTF8;
  for (enc = LP_ENC_CP1252; enc < LP_ENC__N; enc++) {
    const lp_codec *c = codec_get(cs, enc, oom);
    double sc;
    if (c == NULL) continue;
    sc = score_charset(c, s + from, n);
    if (sc > best_score) { best_score = sc; best = enc; }
  }
  return best;
}

int lp_charset_guess(lp_codecs *cs, const char *s, size_t len) {
  int oom = 0, enc;
  size_t skip = len >= 3 && (unsigned char)s[0] == 0xEF &&
                (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF
                  ? 3 : 0;
  enc = guess_charset(cs, (const unsigned char *)s, len, skip, &oom);
  return oom ? LP_ENC_UTF8 : enc;
}

const char *lp_charset_iconv(int enc) {
  return enc >= 0 && enc < LP_ENC__N ? charsets[enc].iconv_name : "UTF-8";
}

/* ---- decoding the caller's bytes ---- */

/*
 * Read one code point of the input at *i in encoding enc, advancing *i.
 * Returns the code point; sets *bad when the bytes were invalid (the code
 * point is then U+FFFD). Never reads past len.
 */
static inline uint32_t next_cp(const unsigned char *s, size_t len, size_t *i, int enc,
                        const lp_codec *cd, int *bad) {
  size_t p = *i;
  unsigned c = s[p];
  *bad = 0;
  if (cd != NULL) {
    if (c < 0x80) { *i = p + 1; return c; }
    return codec_cp(cd, s, len, i, bad);
  }
  if (enc == LP_ENC_UTF8) {
    uint32_t cp;
    size_t need, k;
    if (c < 0x80) { *i = p + 1; return c; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else { *i = p + 1; *bad = 1; return 0xFFFD; }
    for (k = 1; k <= need; k++) {
      unsigned cc;
      if (p + k >= len) { *i = p + k; *bad = 1; return 0xFFFD; }
      cc = s[p + k];
      if ((cc & 0xC0) != 0x80) { *i = p + k; *bad = 1; return 0xFFFD; }
      /* reject overlong and out-of-range forms at the second byte */
      if (k == 1) {
        if ((c == 0xE0 && cc < 0xA0) || (c == 0xED && cc > 0x9F) ||
            (c == 0xF0 && cc < 0x90) || (c == 0xF4 && cc > 0x8F)) {
          *i = p + 1; *bad = 1; return 0xFFFD;
        }
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    *i = p + need + 1;
    return cp;
  } else {
    uint32_t u, u2;
    if (p + 1 >= len) { *i = len; *bad = 1; return 0xFFFD; }
    u = enc == LP_ENC_UTF16LE ? (uint32_t)(s[p] | (s[p + 1] << 8))
                              : (uint32_t)((s[p] << 8) | s[p + 1]);
    *i = p + 2;
    if (u < 0xD800 || u > 0xDFFF) return u;
    if (u >= 0xDC00 || p + 3 >= len) { *bad = 1; return 0xFFFD; }
    u2 = enc == LP_ENC_UTF16LE ? (uint32_t)(s[p + 2] | (s[p + 3] << 8))
                               : (uint32_t)((s[p + 2] << 8) | s[p + 3]);
    if (u2 < 0xDC00 || u2 > 0xDFFF) { *bad = 1; return 0xFFFD; }
    *i = p + 4;
    return 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
  }
}

/* What a code point becomes: 0 keep, 1 space, 2 drop, 3 line break. */
static inline int cp_kind(uint32_t cp) {
  if (cp >= 0x20 && cp < 0x7F) return cp == ' ' ? 1 : 0;
  if (cp == '\n' || cp == '\r') return 3;
  if (cp == '\t' || cp == 0x0B || cp == 0x0C) return 1;
  if (cp < 0x20 || cp == 0x7F) return 2;
  if (cp < 0xA0) return cp == 0x85 ? 3 : 2;
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
      cp == 0x202F || cp == 0x205F || cp == 0x3000)
    return 1;
  if (cp == 0x2028 || cp == 0x2029) return 3;
  if (cp == 0xAD || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
      (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 ||
      (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
    return 2;
  return 0;
}

/*
 * Does the code point take two terminal columns (East Asian Wide and
 * Fullwidth: CJK, kana, hangul, their punctuation and fullwidth forms)?
 * Line widths must match the renderer's for unwrapping to find its width.
 */
static inline int is_wide(uint32_t cp) {
  if (cp < 0x1100) return 0;
  return (cp <= 0x115F) ||                      /* hangul jamo */
         (cp >= 0x2E80 && cp <= 0x303E) ||      /* radicals, CJK punctuation */
         (cp >= 0x3041 && cp <= 0x33FF) ||      /* kana, CJK compatibility */
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Normaliser state for one line. With out == NULL it only counts bytes. */
typedef struct {
  char *out;
  size_t olen;
  int pending_space;
  int started;
  unsigned indent;
  unsigned width;      /* display columns of the non-ASCII part so far */
} norm_state;

static inline void emit(norm_state *ns, uint32_t cp, int kind) {
  char tmp[4];
  size_t n;
  if (kind == 1) {
    if (ns->started) ns->pending_space = 1;
    else ns->indent += 1;
    return;
  }
  if (ns->pending_space) {
    if (ns->out) ns->out[ns->olen] = ' ';
    ns->olen++;
    ns->pending_space = 0;
  }
  ns->started = 1;
  if (cp < 0x80) {
    if (ns->out) ns->out[ns->olen] = (char)cp;
    ns->olen++;
    return;
  }
  n = lp_utf8_encode(cp, tmp);
  if (ns->out) memcpy(ns->out + ns->olen, tmp, n);
  ns->olen += n;
  /* ASCII counts through olen; a wide character counts two columns */
  ns->width += (is_wide(cp) ? 2u : 1u) - (unsigned)n;
}

/*
 * The encoding of the input: a byte-order mark says UTF-16 or UTF-8
 * (*skip gets its length); a forced charset (forced >= 0) is used as
 * given; else UTF-8 unless the bytes are not (guess_charset). -1 with
 * err set for UTF-32 and a charset glibc cannot convert here.
 */
static int detect_encoding(const unsigned char *s, size_t len, size_t *skip,
                           lp_codecs *cs, int forced, int *oom, char *err,
                           size_t errcap) {
  *skip = 0;
  if (len >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) ||
                   (s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF))) {
    snprintf(err, errcap, "UTF-32 input is not supported");
    return -1;
  }
  if (forced == LP_ENC_UTF16LE || forced == LP_ENC_UTF16BE) {
    if (len >= 2 && ((forced == LP_ENC_UTF16LE && s[0] == 0xFF && s[1] == 0xFE) ||
                     (forced == LP_ENC_UTF16BE && s[0] == 0xFE && s[1] == 0xFF)))
      *skip = 2;
    return forced;
  }
  if (forced != LP_ENC_AUTO && forced != LP_ENC_UTF8) {
    if (codec_get(cs, forced, oom) == NULL) {
      if (!*oom)
        snprintf(err, errcap, "charset '%s' cannot be read here (iconv has "
                 "no converter for it)", lp_charset_name(forced));
      return -1;
    }
    return forced;
  }
  if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) { *skip = 2; return LP_ENC_UTF16LE; }
  if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) { *skip = 2; return LP_ENC_UTF16BE; }
  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) *skip = 3;
  if (forced == LP_ENC_UTF8 || *skip == 3) return LP_ENC_UTF8;
  return guess_charset(cs, s, len, *skip, oom);
}

/* Does the encoding keep ASCII bytes as themselves (all but UTF-16)? */
#define ASCII_SAFE(enc) ((enc) != LP_ENC_UTF16LE && (enc) != LP_ENC_UTF16BE)

/*
 * Decode and normalise the whole input. The output buffer is at most
 * 1.5x the input for UTF-8 (U+FFFD is 3 bytes for 1 bad byte... bounded by
 * 3x) so it is sized once up front; lines are collected in a growing array.
 */
int lp_text_init(lp_text *t, const char *src, size_t len, lp_codecs *cs,
                 int forced) {
  const unsigned char *s = (const unsigned char *)src;
  size_t i, skip, cap_lines = 64, line_src = 0, src_line = 1, ncps = 0;
  size_t nctrl = 0, nbad = 0, nnul = 0;
  int enc, block = 0, blank_run = 0, rc = LOUPE_OK, oom = 0, ascii;
  int ended = 0;
  norm_state ns;
  size_t outcap;
  const lp_codec *cd;

  memset(t, 0, sizeof *t);
  t->src = src;
  t->src_len = len;
  t->stats.bytes = len;
  enc = detect_encoding(s, len, &skip, cs, forced, &oom, t->errmsg,
                        sizeof t->errmsg);
  if (oom) {
    snprintf(t->errmsg, sizeof t->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  if (enc < 0) return LOUPE_EENCODING;
  t->enc = enc;
  t->skip = skip;
  cd = t->codec = enc >= LP_ENC_CP1252 ? cs->c[enc] : NULL;
  ascii = ASCII_SAFE(enc);
  t->stats.encoding = lp_charset_name(enc);
  /* worst case: every input byte becomes a 3-byte U+FFFD, plus newlines */
  if (len > ((size_t)-1 - 16) / 3) return LOUPE_ENOMEM;
  outcap = len * 3 + 16;
  t->text = malloc(outcap);
  t->lines = malloc(cap_lines * sizeof *t->lines);
  if (t->text == NULL || t->lines == NULL) { rc = LOUPE_ENOMEM; goto fail; }

  memset(&ns, 0, sizeof ns);
  ns.out = t->text;
  i = skip;
  line_src = skip;
  for (;;) {
    uint32_t cp = 0;
    int bad = 0, kind;
    size_t at = i;
    int at_end = i >= len;
    if (!at_end) {
      unsigned c = s[i];
      ended = 0;
      if (ascii && c >= 0x21 && c < 0x7F) {
        /* fast path: a run of printable ASCII with single spaces */
        char *o = ns.out;
        size_t ol = ns.olen, i0 = i;
        if (ns.pending_space) { o[ol++] = ' '; ns.pending_space = 0; }
        ns.started = 1;
        for (;;) {
          o[ol++] = (char)c;
          if (++i >= len) break;
          c = s[i];
          if (c >= 0x21 && c < 0x7F) continue;
          if (c == ' ' && i + 1 < len && s[i + 1] >= 0x21 && s[i + 1] < 0x7F) {
            o[ol++] = ' ';
            c = s[++i];
            continue;
          }
          break;
        }
        ncps += i - i0;
        ns.olen = ol;
        continue;
      }
      if (ascii && c == ' ') {
        if (ns.started) ns.pending_space = 1;
        else ns.indent++;
        i++;
        ncps++;
        continue;
      }
      if (ascii && c < 0x80) {
        cp = c;
        i++;
      } else {
        cp = next_cp(s, len, &i, enc, cd, &bad);
      }
      ncps++;
      if (bad) nbad++;
      kind = cp_kind(cp);
      if (cp == 0) nnul++;
      else if (kind == 2 && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))) nctrl++;
    } else {
      kind = 3;
    }
    if (kind == 3) {
      /* end of a source line */
      if (!at_end && cp == '\r' && i < len &&
          ((ascii && s[i] == '\n') ||
           (enc == LP_ENC_UTF16LE && i + 1 < len && s[i] == '\n' && s[i + 1] == 0) ||
           (enc == LP_ENC_UTF16BE && i + 1 < len && s[i] == 0 && s[i + 1] == '\n')))
        i += ascii ? 1 : 2;
      if (ns.started) {
        lp_line *l;
        if (t->n_lines == cap_lines) {
          lp_line *nl;
          cap_lines *= 2;
          nl = realloc(t->lines, cap_lines * sizeof *nl);
          if (nl == NULL) { rc = LOUPE_ENOMEM; goto fail; }
          t->lines = nl;
        }
        if (blank_run) block++;
        blank_run = 0;
        l = &t->lines[t->n_lines++];
        memset(l, 0, sizeof *l);
        l->start = (size_t)(ns.out - t->text);
        l->len = ns.olen;
        l->src_offset = line_src;
        l->src_end = at;
        l->src_line = src_line;
        l->n_src = 1;
        l->indent = ns.indent;
        l->width = (unsigned)(ns.olen + ns.width) + ns.indent;
        l->block = block;
        if (ns.indent >= 2) l->flags |= LP_F_INDENTED;
        ns.out += ns.olen;
        *ns.out++ = '\n';
      } else {
        blank_run = 1;
      }
      ns.olen = 0;
      ns.pending_space = 0;
      ns.started = 0;
      ns.indent = 0;
      ns.width = 0;
      if (at_end) break;
      src_line++;
      line_src = i;
      ended = 1;
      continue;
    }
    if (kind == 2) continue;
    emit(&ns, cp, kind);
  }
  *ns.out = '\0';
  t->len = (size_t)(ns.out - t->text);
  t->stats.invalid_utf8 = nbad;
  t->stats.nul_bytes = nnul;
  /* lines counted the POSIX way: a final line break ends the last line.
   * The break is the last character decoded, not the last bytes: in
   * UTF-16 of an odd length they are not a character. */
  t->stats.lines = ended ? src_line - 1 : src_line;
  if (ncps > 0 && (nctrl + nnul + nbad) * 10 > ncps + 20) {
    snprintf(t->errmsg, sizeof t->errmsg,
             "input looks binary (%zu control, NUL or invalid bytes in %zu "
             "characters)%s", nctrl + nnul + nbad, ncps,
             enc == LP_ENC_UTF8 && nnul * 3 > ncps
               ? "; UTF-16 without a byte-order mark is not supported" : "");
    rc = LOUPE_EENCODING;
    goto fail;
  }
  if (t->n_lines == 0) {
    snprintf(t->errmsg, sizeof t->errmsg, "input holds no text");
    rc = LOUPE_EEMPTY;
    goto fail;
  }
  return LOUPE_OK;
fail:
  if (rc == LOUPE_ENOMEM)
    snprintf(t->errmsg, sizeof t->errmsg, "out of memory");
  lp_text_free(t);
  return rc;
}

void lp_text_free(lp_text *t) {
  free(t->text);
  free(t->lines);
  t->text = NULL;
  t->lines = NULL;
  t->n_lines = 0;
}

/*
 * Map a byte column of normalised line li back to the source: re-run the
 * normaliser over the line's source bytes until col output bytes exist.
 * Lines joined by lp_text_unwrap continue in the next source line, which is
 * handled by walking the joined source span as one.
 */
size_t lp_text_src_offset(const lp_text *t, size_t li, size_t col) {
  return lp_text_src_offset_from(t, li, 0, t->lines[li].src_offset, col);
}

/*
 * The same, resuming from a known point: output column from_col is the
 * code point at source offset from_src (a value this function returned
 * for from_col, or the line start with from_col 0). Lets a caller map
 * increasing columns of one long line in linear total time.
 */
size_t lp_text_src_offset_from(const lp_text *t, size_t li, size_t from_col,
                               size_t from_src, size_t col) {
  const lp_line *l = &t->lines[li];
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = l->src_offset, end = l->src_end;
  norm_state ns;
  memset(&ns, 0, sizeof ns);
  if (from_col > 0 && from_col <= col && from_src >= l->src_offset &&
      from_src < end) {
    i = from_src;
    ns.olen = from_col;
    ns.started = 1;
  }
  if (col == 0 || col > l->len) {
    /* offset of the first visible character */
    while (i < end) {
      int bad;
      size_t at = i;
      uint32_t cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
      int k = cp_kind(cp);
      if (k == 0) return at;
    }
    return l->src_offset;
  }
  while (i < end) {
    int bad, k;
    size_t at = i;
    uint32_t cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
    k = cp_kind(cp);
    if (k == 3) {               /* joined wrap: the join added one space */
      if (ns.started) ns.pending_space = 1;
      continue;
    }
    if (k == 2) continue;
    if (k == 0 && ns.olen + (ns.pending_space ? 1 : 0) >= col) return at;
    emit(&ns, cp, k);
  }
  return end;
}

/*
 * Source line number of byte offset off, which lies in the source span of
 * line li at or after from_off, where the source line is from_line (the
 * line's own start and number, or an earlier answer of this function).
 * Joined lines span several source lines; counting the line breaks from a
 * known point lets a caller map increasing offsets in linear total time.
 */
size_t lp_text_src_line_from(const lp_text *t, size_t li, size_t from_off,
                             size_t from_line, size_t off) {
  const lp_line *l = &t->lines[li];
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = from_off, line = from_line, end = off < l->src_end ? off
                                                                : l->src_end;
  if (l->n_src == 1) return l->src_line;
  if (from_off < l->src_offset || from_line < l->src_line) {
    i = l->src_offset;
    line = l->src_line;
  }
  while (i < end) {
    int bad;
    uint32_t cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
    if (cp_kind(cp) != 3) continue;
    if (cp == '\r' && i < end) {              /* CRLF is one break */
      size_t j = i;
      if (next_cp(s, t->src_len, &j, t->enc, t->codec, &bad) == '\n') i = j;
    }
    line++;
  }
  return line;
}

/* ---- unwrapping hard-wrapped text ---- */

#define UW_MIN_W 40     /* narrower "wraps" are menus and lists */
#define UW_MAX_W 240    /* wider lines were not wrapped by width */

/*
 * Display width of the first word of line l: what a renderer would have
 * had to fit at the end of the line before. A wide (CJK) character is a
 * word of its own: such text breaks between any two characters.
 */
static unsigned first_word_width(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t i = 0, k;
  unsigned w = 0;
  while (i < l->len && s[i] != ' ') {
    uint32_t cp = lp_utf8_decode(s, l->len, i, &k);
    if (is_wide(cp)) return w > 0 ? w : 2;
    w++;
    i += k;
  }
  return w;
}

/* Does the line open a list item: a bullet, or "1." / "12)" and a space? */
static int starts_item(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t d = 0;
  if (l->len == 0) return 0;
  if (s[0] == '*' || s[0] == '-' || s[0] == '[') return 1;
  /* • ◦ ▪ □ ■ ● · › » */
  if (l->len >= 2 && s[0] == 0xC2 && (s[1] == 0xB7 || s[1] == 0xBB)) return 1;
  if (l->len >= 3 && s[0] == 0xE2 &&
      ((s[1] == 0x80 && (s[2] == 0xA2 || s[2] == 0xBA)) ||
       (s[1] == 0x96 && (s[2] == 0xA1 || s[2] == 0xA0 || s[2] == 0xAA)) ||
       (s[1] == 0x97 && (s[2] == 0x8F || s[2] == 0xA6))))
    return 1;
  while (d < l->len && d < 4 && s[d] >= '0' && s[d] <= '9') d++;
  return d >= 1 && d <= 3 && d + 1 < l->len &&
         (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ';
}

/*
 * Can the pair (prev, cur) be one wrapped paragraph at all? Not when either
 * is a menu ("Home | World | Sport": two or more bars) or when cur repeats
 * prev exactly (a repeated menu or rule line, which no wrapping makes).
 */
static int may_pair(const lp_text *t, const lp_line *prev,
                    const lp_line *cur) {
  const char *p = LP_LINE_PTR(t, prev), *c = LP_LINE_PTR(t, cur);
  size_t i, bars = 0;
  if (prev->len == cur->len && memcmp(p, c, cur->len) == 0) return 0;
  /* a line too wide to be wrapped is not read for bars */
  for (i = 0; i < prev->len && prev->width <= UW_MAX_W; i++)
    bars += p[i] == '|';
  if (bars >= 2) return 0;
  bars = 0;
  for (i = 0; i < cur->len && cur->width <= UW_MAX_W; i++)
    bars += c[i] == '|';
  return bars < 2;
}

/* Does the line end a sentence (. ! ? : ; and their CJK forms, maybe
 * followed by closing quotes or brackets)? */
static int ends_sentence(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t n = l->len;
  for (;;) {
    if (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
      n--;
    else if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 &&
             (s[n - 1] == 0x9D || s[n - 1] == 0x99))
      n -= 3;                                  /* ” ’ */
    else if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 &&
             (s[n - 1] == 0x8D || s[n - 1] == 0x8F))
      n -= 3;                                  /* 」 』 */
    else if (n >= 3 && s[n - 3] == 0xEF && s[n - 2] == 0xBC &&
             s[n - 1] == 0x89)
      n -= 3;                                  /* ） */
    else
      break;
  }
  if (n == 0) return 1;
  if (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' ||
      s[n - 1] == ':' || s[n - 1] == ';')
    return 1;
  if (n < 3) return 0;
  /* … 。 and the fullwidth ！ ？ ： ； */
  return (s[n - 3] == 0xE2 && s[n - 2] == 0x80 && s[n - 1] == 0xA6) ||
         (s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x82) ||
         (s[n - 3] == 0xEF && s[n - 2] == 0xBC &&
          (s[n - 1] == 0x81 || s[n - 1] == 0x9F || s[n - 1] == 0x9A ||
           s[n - 1] == 0x9B));
}

/*
 * CJK text broken after a comma (、 or ，): the sentence runs on when the
 * next line starts with a wide character, however long the line is.
 */
static int cjk_comma_continues(const lp_text *t, const lp_line *prev,
                               const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t n = prev->len, k;
  if (n < 3 || cur->len == 0) return 0;
  if (!((p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x81) ||
        (p[n - 3] == 0xEF && p[n - 2] == 0xBC && p[n - 1] == 0x8C)))
    return 0;
  return is_wide(lp_utf8_decode(c, cur->len, 0, &k));
}

/* Lower-case letters of the cased scripts (Latin, Greek, Cyrillic). */
static int is_lower_cp(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  if (cp >= 0xDF && cp <= 0xFF) return cp != 0xF7;
  if (cp >= 0x100 && cp <= 0x17F) return (cp & 1) == 1;
  if (cp >= 0x3AC && cp <= 0x3CE) return 1;
  return cp >= 0x430 && cp <= 0x45F;
}

/*
 * Is w (n bytes) an article, preposition, conjunction or auxiliary that
 * cannot end a sentence or a headline, so the text must go on after it?
 * Particles that end headlines ("talks go on", "prices pick up") are not
 * in the list.
 */
static int needs_more(const unsigned char *w, size_t n) {
  static const char *const words[] = {
    "a", "an", "the", "of", "and", "or", "to", "for", "at", "in", "by",
    "its", "their", "with", "from", "into", "that", "than", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "will", "would",
    "le", "la", "les", "de", "des", "du", "et", "un", "une",   /* fr */
    "el", "los", "las", "del", "y", "con",                     /* es */
    "der", "die", "das", "und", "von", "mit", "ein", "eine",   /* de */
    "o", "os", "as", "do", "da", "dos", "e", "em",             /* pt */
    NULL
  };
  int k;
  for (k = 0; words[k]; k++)
    if (strlen(words[k]) == n && memcmp(words[k], w, n) == 0) return 1;
  return 0;
}

/*
 * Does cur read as the rest of the sentence that prev left open? prev must
 * not end a sentence, hold a few words and no menu separators or dates;
 * cur starts lower case, or prev ends on a comma or a word that no
 * headline ends on: "rose to" + "12 pct", "the Union of Miners," + "NUM,
 * said" are joined; "Harbour board backs plan" + "The board..." and a
 * headline over a line that starts with a date are not.
 */
static int continues_sentence(const lp_text *t, const lp_line *prev,
                              const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t i, k, spaces = 0, digits = 0, last = 0;
  uint32_t cp;
  if (prev->len == 0 || cur->len == 0 || ends_sentence(t, prev)) return 0;
  for (i = 0; i < prev->len; i++) {
    if (p[i] == ' ') { spaces++; last = i + 1; }
    else if (p[i] >= '0' && p[i] <= '9') digits++;
    else if (p[i] == '|') return 0;
  }
  if (spaces < 2 || digits * 3 > prev->len) return 0;
  cp = lp_utf8_decode(c, cur->len, 0, &k);
  if (is_lower_cp(cp)) return 1;
  if (p[prev->len - 1] == ',') return 1;
  return needs_more(p + last, prev->len - last);
}

/*
 * Is prev, the first line of its block, a heading over cur rather than the
 * start of a wrapped sentence? It is when prev is in capitals and cur is
 * not (a wire headline over the text), or when cur is a date or time line
 * ("2-MAR-1991 14:26:57.44"; "409.30." ends a sentence). Widths say
 * nothing here: a headline can end just short of the wrap width.
 */
static int heads_block(const lp_text *t, const lp_line *prev,
                       const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t i, upper = 0, lower = 0, digits = 0, solid = 0;
  int cur_lower = 0;
  for (i = 0; i < prev->len; i++) {
    if (p[i] >= 'A' && p[i] <= 'Z') upper++;
    else if (p[i] >= 'a' && p[i] <= 'z') lower++;
  }
  for (i = 0; i < cur->len; i++) {
    if (c[i] >= 'a' && c[i] <= 'z') cur_lower = 1;
    else if (c[i] >= '0' && c[i] <= '9') digits++;
    if (c[i] != ' ') solid++;
  }
  if (upper >= 4 && lower == 0 && cur_lower) return 1;
  return digits * 10 >= solid * 4 && c[0] >= '0' && c[0] <= '9' &&
         !ends_sentence(t, cur);
}

/* Per source line facts the unwrapper works from. */
typedef struct {
  unsigned w;         /* display width with the indent */
  unsigned fw;        /* width of the first word */
  unsigned char cont; /* may continue the line before: same block, no list
                       * item or menu, not a repeat */
  unsigned char para; /* starts a paragraph by its indent */
  unsigned char full; /* ends where the wrap width ran out */
  unsigned char run;  /* shares its block with another line */
  unsigned char open; /* does not end a sentence */
} uw_line;

/*
 * Indented paragraphs: a line indented 2-8 columns deeper than the line
 * before, which runs on (it ends where the wrap width W ran out) into a
 * next line at the shallower indent, is the first line of an indented
 * paragraph (the habit of wire copy and typescript). When the text shows
 * that habit, every line at that deeper indent over the continuation
 * lines' indent starts a paragraph. Lines after a list item do not count:
 * their deeper indent is a hanging one.
 */
static void mark_indent_paragraphs(const lp_text *t, uw_line *u, unsigned W) {
  size_t i, n = t->n_lines, seen = 0;
  unsigned base = (unsigned)-1;
  for (i = 1; i + 1 < n; i++) {
    const lp_line *p = &t->lines[i - 1], *c = &t->lines[i],
                  *x = &t->lines[i + 1];
    if (!u[i].cont || !u[i + 1].cont || starts_item(t, p)) continue;
    if (u[i].w + u[i + 1].fw + 2 <= W || u[i].w > UW_MAX_W) continue;
    if (c->indent >= p->indent + 2 && c->indent <= p->indent + 8 &&
        x->indent < c->indent) {
      seen++;
      if (x->indent < base) base = x->indent;
    }
  }
  if (seen == 0) return;
  for (i = 0; i < n; i++) {
    unsigned in = t->lines[i].indent;
    if (u[i].cont && in >= base + 2 && in <= base + 8) u[i].para = 1;
  }
}

/*
 * The wrap width: the width W that best explains the line breaks. A break
 * after a line of width w before a first word of width f is explained by
 * any W with w <= W <= w + f + 1: the space and the word would have
 * reached W's last column, which renderers such as w3m keep free (wire
 * copy shows the same one-column margin). A line wider than
 * W in a run of lines speaks against it. Over-long lines (a sentence
 * edited into a wrapped text) then cost a little and cannot raise W, as
 * a maximum width would. Returns 0 when no width explains enough breaks
 * for the text to look hard-wrapped.
 */
static unsigned wrap_width(const lp_text *t, const uw_line *u) {
  long expl[UW_MAX_W + 2], open[UW_MAX_W + 2], over[UW_MAX_W + 2];
  long run = 0, best_sc = 0;
  size_t i, n = t->n_lines, longer = 0, near = 0, mid = 0;
  unsigned w, best = 0;
  memset(expl, 0, sizeof expl);
  memset(open, 0, sizeof open);
  memset(over, 0, sizeof over);
  for (i = 1; i < n; i++) {
    unsigned lo, hi;
    if (!u[i].cont || u[i].para || u[i - 1].w > UW_MAX_W) continue;
    lo = u[i - 1].w < UW_MIN_W ? UW_MIN_W : u[i - 1].w;
    hi = u[i - 1].w + u[i].fw + 1;
    if (hi > UW_MAX_W) hi = UW_MAX_W;
    if (lo > hi) continue;
    expl[lo]++;
    expl[hi + 1]--;
    if (u[i - 1].open) {
      open[lo]++;
      open[hi + 1]--;
    }
  }
  for (i = 0; i < n; i++)
    if (u[i].run && u[i].w <= UW_MAX_W) over[u[i].w]++;
  /* expl[] to counts; over[W] to the lines of a run wider than W */
  for (w = 1; w <= UW_MAX_W; w++) {
    expl[w] += expl[w - 1];
    open[w] += open[w - 1];
  }
  for (w = UW_MAX_W + 1; w-- > 0;) {
    long here = over[w];
    over[w] = run;
    run += here;
  }
  for (w = UW_MIN_W; w <= UW_MAX_W; w++) {
    long sc = expl[w] - 2 * over[w];
    if (sc > best_sc) { best_sc = sc; best = w; }
  }
  if (best == 0) return 0;
  for (i = 0; i < n; i++) {
    if (u[i].w > best) longer++;
    else if (u[i].run && u[i].w + 12 > best) near++;
    else if (u[i].run && u[i].w >= UW_MIN_W) mid++;
  }
  /* A few explained breaks in a page of long unwrapped paragraphs are
   * chance. A wrapped text has few lines wider than its width; most of
   * its lines end near it (only paragraph ends fall short) or, in short
   * paragraphs, its breaks fall inside sentences, where a page of one
   * sentence per line has none. */
  if (expl[best] < 2 || (expl[best] < 3 && longer > 0) ||
      (long)longer * 4 > expl[best])
    return 0;
  if (expl[best] < 6 && near <= mid && open[best] * 3 < expl[best] * 2)
    return 0;
  return best;
}

/*
 * Hard-wrapped text (wire copy, email, w3m -cols N) breaks paragraphs at
 * a fixed width. Estimate that width (wrap_width), then join a line with
 * the one before when the previous line ended where the width ran out:
 * the next word would not have fitted, or the line is over-long and
 * inside a wrapped run. A line indented as a paragraph start (when the
 * text indents its paragraphs), a list item, a menu or a repeated line is
 * never joined; a short opening line is joined when it leaves its
 * sentence open and the next line continues it in a wrapped run; a
 * sign-off word and a date or text under a heading are not joined to it.
 * Pages where no width explains the breaks are left as they are.
 * Returns LOUPE_OK or LOUPE_ENOMEM (t unchanged).
 */
int lp_text_unwrap(lp_text *t) {
  size_t i, n = t->n_lines, out;
  unsigned W, W1;
  uw_line *u;
  if (n < 3) return LOUPE_OK;
  u = calloc(n, sizeof *u);
  if (u == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    const lp_line *l = &t->lines[i];
    u[i].w = l->width;
    u[i].fw = first_word_width(t, l);
    u[i].open = !ends_sentence(t, l);
    if (i > 0 && l->block == t->lines[i - 1].block) {
      u[i].run = u[i - 1].run = 1;
      u[i].cont = l->len > 0 && t->lines[i - 1].len > 0 &&
                  !starts_item(t, l) && may_pair(t, &t->lines[i - 1], l);
    }
  }
  /* the width first, then the indents it shows, then the width again
   * without the paragraph starts those indents mark */
  W = wrap_width(t, u);
  if (W == 0) {
    free(u);
    return LOUPE_OK;
  }
  mark_indent_paragraphs(t, u, W);
  W1 = wrap_width(t, u);
  if (W1 > 0) W = W1;
  for (i = 0; i < n; i++) {
    unsigned w = u[i].w;
    if (w > W && w <= UW_MAX_W) u[i].full = 1;      /* over-long: full */
    else if (i + 1 < n && u[i + 1].cont && !u[i + 1].para &&
             w <= W && w + u[i + 1].fw + 2 > W)
      u[i].full = 1;
  }
  out = 0;
  for (i = 0; i < n; i++) {
    lp_line *cur = &t->lines[i];
    if (out > 0 && u[i].cont && !u[i].para) {
      lp_line *prev = &t->lines[out - 1];
      const lp_line *last = &t->lines[i - 1];  /* prev's last source line */
      int join;
      if (u[i - 1].w <= W)
        join = u[i - 1].full;
      else  /* over-long: inside a wrapped run, or one follows */
        join = u[i - 1].full && (prev->n_src > 1 || u[i].full);
      /* a short line (an opening line whose dateline was cut, or a line
       * shortened by an edit) whose sentence runs on into a wrapped run
       * or into one more line that ends it */
      if (!join && u[i - 1].w < W && cur->indent <= last->indent &&
          (((u[i].full || ends_sentence(t, cur)) &&
            continues_sentence(t, last, cur)) ||
           cjk_comma_continues(t, last, cur)))
        join = 1;
      /* a lone word set off by its own indent after a finished sentence
       * is a sign-off (" REUTER"), not the rest of the paragraph */
      if (join && !u[i].full && cur->indent != last->indent &&
          memchr(LP_LINE_PTR(t, cur), ' ', cur->len) == NULL &&
          ends_sentence(t, last) && !ends_sentence(t, cur))
        join = 0;
      /* a heading over a date or the text, in the block it opens; a
       * line that opens its block over a short line that leaves its
       * sentence open and runs on into more lines is a headline over a
       * cut first line, however full the headline looks */
      if (join && prev->n_src == 1 &&
          (out == 1 || t->lines[out - 2].block != prev->block) &&
          (heads_block(t, prev, cur) ||
           (u[i - 1].w <= W && !u[i].full && u[i].open && i + 1 < n &&
            u[i + 1].cont && !u[i + 1].para)))
        join = 0;
      if (join && prev->start + prev->len + 1 == cur->start) {
        t->text[prev->start + prev->len] = ' ';
        prev->len += 1 + cur->len;
        prev->src_end = cur->src_end;
        prev->n_src += cur->n_src;
        prev->flags |= LP_F_WRAPPED;
        continue;
      }
    }
    t->lines[out++] = *cur;
  }
  t->n_lines = out;
  free(u);
  return LOUPE_OK;
}

/*
 * Byte offset of the start of every source line, in order, into out (which
 * has room for t->stats.lines entries). Returns the number written.
 */
size_t lp_text_line_starts(const lp_text *t, size_t *out, size_t cap) {
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = 0, n = 0, len = t->src_len;
  i = t->skip;
  if (cap == 0) return 0;
  out[n++] = i;
  while (i < len && n < cap) {
    int bad;
    uint32_t cp = next_cp(s, len, &i, t->enc, t->codec, &bad);
    if (cp_kind(cp) != 3) continue;
    if (cp == '\r' && i < len) {
      size_t j = i;
      uint32_t nx = next_cp(s, len, &j, t->enc, t->codec, &bad);
      if (nx == '\n') i = j;
    }
    if (i < len) out[n++] = i;
  }
  return n;
}
