/*
 * charset.c - the input's encoding: UTF-8, UTF-16 with BOM, or else the
 * legacy charset the bytes read best in (cp1252, GB18030/GBK, Big5,
 * Shift_JIS), and the decoding tables of those charsets, which glibc's
 * iconv fills once per parser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "charset.h"

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
uint32_t lp_iconv_one(iconv_t cd, const unsigned char *in, size_t n) {
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
const lp_codec *lp_codec_get(lp_codecs *cs, int enc, int *oom) {
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
    c->single[b] = b < 0x80 ? b : lp_iconv_one(c->cd, &in, 1);
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
        cp = lp_iconv_one(c->cd, in, 2);
        c->pair[b * TRAIL_N + (t - TRAIL_LO)] = cp == CP_LEAD ? CP_LEAD : cp;
      }
    }
  }
  cs->c[enc] = c;
  return c;
}

/* ---- choosing the charset of bytes that are not UTF-8 ---- */

#define SAMPLE_BYTES (256u * 1024)

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
    cp = lp_codec_cp(c, s, n, &i, &isbad);
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
/* The first byte at or after i that is not ASCII (len when none), read
 * eight bytes at a time: most input is all ASCII between its letters. */
static size_t ascii_end(const unsigned char *s, size_t len, size_t i) {
  while (i + 8 <= len) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

static int guess_charset(lp_codecs *cs, const unsigned char *s, size_t len,
                         size_t skip, int *oom) {
  size_t i = skip, first_bad = len, from, n, nmb = 0, nbad = 0;
  int enc, best = LP_ENC_UTF8;
  double best_score = 0.4;
  while (i < len) {
    size_t k;
    if (s[i] < 0x80) { i = ascii_end(s, len, i + 1); continue; }
    k = lp_utf8_len(s, len, i);
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
    k = lp_utf8_len(s, from + n, i);
    if (k == 0) { nbad++; i++; }
    else { nmb++; i += k; }
  }
  /* UTF-8 with damage: valid sequences outnumber the bad bytes four to
   * one, or there are valid ones and only a few bad bytes */
  if (nmb > 4 * nbad || (nmb > 0 && nbad < 16)) return LP_ENC_UTF8;
  for (enc = LP_ENC_CP1252; enc < LP_ENC__N; enc++) {
    const lp_codec *c = lp_codec_get(cs, enc, oom);
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

/*
 * The encoding of the input: a byte-order mark says UTF-16 or UTF-8
 * (*skip gets its length); a forced charset (forced >= 0) is used as
 * given; else UTF-8 unless the bytes are not (guess_charset). -1 with
 * err set for UTF-32 and a charset glibc cannot convert here.
 */
int lp_encoding_detect(const unsigned char *s, size_t len, size_t *skip,
                       lp_codecs *cs, int forced, int *oom, char *err,
                       size_t errcap, int *later) {
  *skip = 0;
  if (later) *later = 0;
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
    if (lp_codec_get(cs, forced, oom) == NULL) {
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
  if (later) {
    *later = 1;
    return LP_ENC_UTF8;
  }
  return guess_charset(cs, s, len, *skip, oom);
}

int lp_encoding_guess(lp_codecs *cs, const unsigned char *s, size_t len,
                      size_t skip, int *oom) {
  return guess_charset(cs, s, len, skip, oom);
}
