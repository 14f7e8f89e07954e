/*
 * html.c - HTML pages in: the charset (BOM, meta charset, the bytes) and
 * the conversion to UTF-8, libxml2's HTML parser driven through SAX
 * callbacks, and the walk that turns elements into blocks of visible text
 * (one line each, for the line labeller) with their DOM evidence, the
 * metadata elements and maps from the text back to the caller's bytes.
 */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include "html.h"

/* A point where two offset spaces line up: text or work offset a, the
 * matching offset b in the space below. */
typedef struct {
  size_t a, b;
} anchor;

typedef struct {
  anchor *v;
  size_t n, cap;
} anchors;

struct lp_html {
  const char *src;          /* the caller's bytes */
  size_t slen;
  char *own;                /* the decoded page when it is a copy */
  const char *work;         /* the decoded page (UTF-8) libxml2 reads */
  size_t wlen;
  anchors wa;               /* work offset -> source offset */
  iconv_t cd;               /* the converter, when the page was converted */
  int converted;
  size_t *wlines;           /* work offsets of line starts (lazily) */
  size_t nwlines;
  lp_buf text;              /* the visible text, one block a line */
  anchors ta;               /* text offset -> work offset */
  lp_dom dom;
  size_t cap_elems, cap_blocks;
  lp_meta *meta;
  loupe_input_stats stats;
  const char *enc;          /* static name of the charset read */
};

static int anchor_push(anchors *v, size_t a, size_t b) {
  if (v->n > 0 && v->v[v->n - 1].a == a) {
    v->v[v->n - 1].b = b;
    return LOUPE_OK;
  }
  if (v->n == v->cap) {
    size_t nc = v->cap ? v->cap * 2 : 64;
    anchor *nv = realloc(v->v, nc * sizeof *nv);
    if (nv == NULL) return LOUPE_ENOMEM;
    v->v = nv;
    v->cap = nc;
  }
  v->v[v->n].a = a;
  v->v[v->n].b = b;
  v->n++;
  return LOUPE_OK;
}

/* Index of the last anchor at or before a (0 when none). */
static size_t anchor_find(const anchors *v, size_t a) {
  size_t lo = 0, hi = v->n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (v->v[mid].a <= a) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* ---- sniffing ---- */

static int lower_c(int c) { return c >= 'A' && c <= 'Z' ? c | 32 : c; }

static int starts_ci(const char *s, size_t n, const char *w) {
  size_t i;
  for (i = 0; w[i]; i++)
    if (i >= n || lower_c((unsigned char)s[i]) != w[i]) return 0;
  return 1;
}

/* Tags that only HTML writes (checked after "<" or "</"). */
static const char *const sniff_tags[] = {
  "p>", "p ", "div", "span", "br>", "br/", "br ", "a href", "li>", "ul>",
  "td", "tr>", "table", "img ", "meta ", "link ", "script", "style",
  "title>", "h1", "h2", "h3", "strong>", "em>", "b>", "i>", "font",
  "section", "article", "nav", "footer", "header", "form", NULL
};

/*
 * HTML by content: after a BOM, spaces and comments the page opens with
 * a doctype, <?xml, <html, <head or <body; or its first 64 KiB hold at
 * least 12 HTML tags making up a visible share of the lines. UTF-16 is
 * read through its low bytes.
 */
int lp_html_sniff(const char *s, size_t n) {
  char buf[4096];
  size_t i = 0, m, tags = 0, lines = 1, k;
  if (n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                 ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))) {
    size_t lo = (unsigned char)s[0] == 0xFF ? 2 : 3;
    for (m = 0; m < sizeof buf && lo < n; lo += 2) buf[m++] = s[lo];
    return lp_html_sniff(buf, m);
  }
  if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
      (unsigned char)s[2] == 0xBF)
    i = 3;
  for (;;) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                     s[i] == '\r' || s[i] == '\f'))
      i++;
    if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
      const char *e = NULL;
      size_t j;
      for (j = i + 4; j + 3 <= n && j < i + 65536; j++)
        if (s[j] == '-' && s[j + 1] == '-' && s[j + 2] == '>') {
          e = s + j;
          break;
        }
      if (e == NULL) break;
      i = (size_t)(e - s) + 3;
      continue;
    }
    break;
  }
  if (i < n && s[i] == '<' &&
      (starts_ci(s + i, n - i, "<!doctype html") ||
       starts_ci(s + i, n - i, "<html") || starts_ci(s + i, n - i, "<head") ||
       starts_ci(s + i, n - i, "<body") ||
       (starts_ci(s + i, n - i, "<?xml") &&
        lp_contains_ci(s + i, n - i > 1024 ? 1024 : n - i, "<html"))))
    return 1;
  m = n > 65536 ? 65536 : n;
  for (k = i; k < m; k++) {
    size_t j;
    int t;
    if (s[k] == '\n') { lines++; continue; }
    if (s[k] != '<' || k + 2 >= m) continue;
    j = k + 1 + (s[k + 1] == '/');
    for (t = 0; sniff_tags[t]; t++)
      if (starts_ci(s + j, m - j, sniff_tags[t])) {
        tags++;
        break;
      }
  }
  return tags >= 12 && tags * 4 >= lines;
}

/* ---- charset ---- */

/* Canonical charsets and the iconv names that read them (supersets where
 * browsers use them: windows-1252 for Latin-1, GB18030 for GB2312/GBK,
 * CP932 for Shift_JIS, Big5-HKSCS for Big5, CP949 for EUC-KR). */
static const struct {
  const char *label, *name, *iconv;
} charsets[] = {
  {"utf-8", "utf-8", NULL}, {"utf8", "utf-8", NULL},
  {"unicode-1-1-utf-8", "utf-8", NULL},
  {"iso-8859-1", "cp1252", "WINDOWS-1252"},
  {"iso8859-1", "cp1252", "WINDOWS-1252"},
  {"latin1", "cp1252", "WINDOWS-1252"},
  {"l1", "cp1252", "WINDOWS-1252"},
  {"us-ascii", "cp1252", "WINDOWS-1252"},
  {"ascii", "cp1252", "WINDOWS-1252"},
  {"windows-1252", "cp1252", "WINDOWS-1252"},
  {"cp1252", "cp1252", "WINDOWS-1252"},
  {"x-cp1252", "cp1252", "WINDOWS-1252"},
  {"iso-8859-15", "iso-8859-15", "ISO-8859-15"},
  {"iso-8859-2", "iso-8859-2", "ISO-8859-2"},
  {"windows-1250", "windows-1250", "WINDOWS-1250"},
  {"windows-1251", "windows-1251", "WINDOWS-1251"},
  {"cp1251", "windows-1251", "WINDOWS-1251"},
  {"koi8-r", "koi8-r", "KOI8-R"},
  {"koi8-u", "koi8-u", "KOI8-U"},
  {"windows-1253", "windows-1253", "WINDOWS-1253"},
  {"windows-1254", "windows-1254", "WINDOWS-1254"},
  {"iso-8859-9", "windows-1254", "WINDOWS-1254"},
  {"windows-1256", "windows-1256", "WINDOWS-1256"},
  {"iso-8859-7", "iso-8859-7", "ISO-8859-7"},
  {"iso-8859-5", "iso-8859-5", "ISO-8859-5"},
  {"gb2312", "gb18030", "GB18030"}, {"gbk", "gb18030", "GB18030"},
  {"gb18030", "gb18030", "GB18030"}, {"x-gbk", "gb18030", "GB18030"},
  {"cp936", "gb18030", "GB18030"}, {"euc-cn", "gb18030", "GB18030"},
  {"big5", "big5", "BIG5-HKSCS"}, {"big5-hkscs", "big5", "BIG5-HKSCS"},
  {"x-x-big5", "big5", "BIG5-HKSCS"}, {"cn-big5", "big5", "BIG5-HKSCS"},
  {"shift_jis", "shift_jis", "CP932"}, {"shift-jis", "shift_jis", "CP932"},
  {"sjis", "shift_jis", "CP932"}, {"x-sjis", "shift_jis", "CP932"},
  {"ms_kanji", "shift_jis", "CP932"}, {"windows-31j", "shift_jis", "CP932"},
  {"cp932", "shift_jis", "CP932"},
  {"euc-jp", "euc-jp", "EUC-JP"}, {"x-euc-jp", "euc-jp", "EUC-JP"},
  {"iso-2022-jp", "iso-2022-jp", "ISO-2022-JP"},
  {"euc-kr", "euc-kr", "CP949"}, {"ks_c_5601-1987", "euc-kr", "CP949"},
  {"cp949", "euc-kr", "CP949"},
  {"windows-874", "windows-874", "CP874"}, {"tis-620", "windows-874", "CP874"},
  {"windows-1258", "windows-1258", "WINDOWS-1258"},
  {"utf-16", "utf-16", NULL}, {"utf-16le", "utf-16", NULL},
  {"utf-16be", "utf-16", NULL},
};
#define N_CHARSETS (sizeof charsets / sizeof charsets[0])

/* The charset a label names, or -1. */
static int charset_index(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < N_CHARSETS; i++)
    if (strlen(charsets[i].label) == n && starts_ci(s, n, charsets[i].label))
      return (int)i;
  return -1;
}

/* Value of "charset=" at s (quotes and spaces skipped): its length. */
static size_t charset_value(const char *s, size_t n, size_t *start) {
  size_t i = 0, j;
  while (i < n && (s[i] == ' ' || s[i] == '=' || s[i] == '"' || s[i] == '\''))
    i++;
  j = i;
  while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                   (s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '_' ||
                   s[j] == '.' || s[j] == ':'))
    j++;
  *start = i;
  return j - i;
}

/*
 * The charset the page declares in its first 8 KiB: <meta charset=...>,
 * <meta http-equiv="Content-Type" content="...; charset=...">, or an XML
 * declaration's encoding. Returns the charset index or -1.
 */
static int declared_charset(const char *s, size_t n) {
  size_t i, m = n > 8192 ? 8192 : n;
  if (starts_ci(s, m, "<?xml")) {
    const char *e = memchr(s, '>', m);
    size_t k, lim = e ? (size_t)(e - s) : m;
    for (k = 5; k + 8 < lim; k++)
      if (starts_ci(s + k, lim - k, "encoding")) {
        size_t st, vl = charset_value(s + k + 8, lim - k - 8, &st);
        int c = charset_index(s + k + 8 + st, vl);
        if (c >= 0) return c;
      }
  }
  for (i = 0; i + 5 < m; i++) {
    size_t end, k;
    if (s[i] != '<' || !starts_ci(s + i, m - i, "<meta")) continue;
    for (end = i + 5; end < m && s[end] != '>'; end++) {}
    for (k = i + 5; k + 7 < end; k++)
      if (starts_ci(s + k, end - k, "charset")) {
        size_t st, vl = charset_value(s + k + 7, end - k - 7, &st);
        int c = charset_index(s + k + 7 + st, vl);
        if (c >= 0) return c;
        if (vl > 0) break;
      }
    i = end;
  }
  return -1;
}

/* Counts of a UTF-8 reading of s: invalid sequences, multi-byte ones and
 * NUL bytes. */
static void utf8_survey(const char *src, size_t n, size_t *bad, size_t *multi,
                        size_t *nul) {
  const unsigned char *s = (const unsigned char *)src;
  size_t i = 0;
  *bad = *multi = *nul = 0;
  while (i < n) {
    size_t k;
    if (s[i] < 0x80) {
      if (s[i] == 0) (*nul)++;
      i++;
      continue;
    }
    k = lp_utf8_len(s, n, i);
    if (k == 0) { (*bad)++; i++; }
    else { (*multi)++; i += k; }
  }
}

/*
 * The page as valid UTF-8 with no NUL byte, from s (after a UTF-8 BOM of
 * skip bytes): NULs become spaces, invalid sequences U+FFFD, with an
 * anchor after each replacement. A page that needs neither is used in
 * place.
 */
static int decode_utf8(lp_html *h, size_t skip, size_t bad) {
  const unsigned char *s = (const unsigned char *)h->src;
  size_t i = skip, o = 0, n = h->slen;
  char *out;
  int rc = anchor_push(&h->wa, 0, skip);
  if (rc) return rc;
  h->stats.invalid_utf8 = bad;
  if (bad == 0 && h->stats.nul_bytes == 0) {
    h->work = h->src + skip;
    h->wlen = n - skip;
    return LOUPE_OK;
  }
  if (n - skip > ((size_t)-1 - 16) / 3) return LOUPE_ENOMEM;
  out = malloc((n - skip) * 3 + 16);
  if (out == NULL) return LOUPE_ENOMEM;
  h->own = out;
  while (i < n) {
    size_t k;
    if (s[i] < 0x80) {
      out[o++] = s[i] == 0 ? ' ' : (char)s[i];
      i++;
      continue;
    }
    k = lp_utf8_len(s, n, i);
    if (k > 0) {
      memcpy(out + o, s + i, k);
      o += k;
      i += k;
      continue;
    }
    memcpy(out + o, "\xEF\xBF\xBD", 3);
    o += 3;
    i++;
    rc = anchor_push(&h->wa, o, i);
    if (rc) return rc;
  }
  h->work = out;
  h->wlen = o;
  return LOUPE_OK;
}

/*
 * Convert the page from charset name (iconv) to UTF-8, 64 bytes of input
 * at a time with an anchor at each window (offsets inside a window are
 * found again by converting it, lp_html_map_work). Bytes the charset
 * cannot read become U+FFFD; NULs become spaces.
 */
static int decode_iconv(lp_html *h, size_t skip, const char *name) {
  size_t n = h->slen, ip = skip, o = 0, cap;
  char *out;
  int rc;
  h->cd = iconv_open("UTF-8", name);
  if (h->cd == (iconv_t)-1) return LOUPE_EENCODING;
  h->converted = 1;
  if (n - skip > ((size_t)-1 - 16) / 3) return LOUPE_ENOMEM;
  cap = (n - skip) * 3 + 16;
  out = malloc(cap);
  if (out == NULL) return LOUPE_ENOMEM;
  h->own = out;
  while (ip < n) {
    size_t win = n - ip < 64 ? n - ip : 64;
    char *in, *op;
    size_t il, ol, r, k;
    rc = anchor_push(&h->wa, o, ip);
    if (rc) return rc;
    for (;;) {
      size_t o0 = o, end;
      in = (char *)(h->src + ip);
      il = win;
      op = out + o;
      ol = cap - o;
      r = iconv(h->cd, &in, &il, &op, &ol);
      o = (size_t)(op - out);
      ip = (size_t)(in - h->src);
      end = ip + il;                    /* the window's end */
      for (k = o0; k < o; k++)
        if (out[k] == '\0') { out[k] = ' '; h->stats.nul_bytes++; }
      if (r != (size_t)-1) break;
      if (errno == EINVAL && end < n) {
        /* a character cut by the window: the next window starts at it,
         * or this one grows when it holds nothing else */
        if (il == win) {
          win = win + 4 < n - ip ? win + 4 : n - ip;
          continue;
        }
        break;
      }
      if (errno != EILSEQ && errno != EINVAL) break;
      /* a byte the charset cannot read, or a sequence cut by the end */
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      ip++;
      h->stats.invalid_utf8++;
      iconv(h->cd, NULL, NULL, NULL, NULL);
      rc = anchor_push(&h->wa, o, ip);
      if (rc) return rc;
      break;
    }
  }
  /* flush a stateful charset's shift back to the initial state */
  {
    char *op = out + o;
    size_t ol = cap - o;
    iconv(h->cd, NULL, NULL, &op, &ol);
    o = (size_t)(op - out);
  }
  h->work = out;
  h->wlen = o;
  return LOUPE_OK;
}

/*
 * Choose the charset and decode. The caller's charset when forced; else a
 * BOM decides; else the declared charset, unless the bytes are valid UTF-8
 * holding multi-byte sequences (a stale declaration: the page was
 * re-encoded); else the charset text.c's guess gives (UTF-8, even with a
 * little damage, or the legacy charset the bytes read best in).
 */
static int decode(lp_html *h, lp_codecs *cs, int forced) {
  const unsigned char *s = (const unsigned char *)h->src;
  size_t n = h->slen, bad, multi, nul;
  int dc, rc, g;
  if (forced != LP_ENC_AUTO) {
    size_t skip = 0;
    h->enc = lp_charset_name(forced);
    if (forced == LP_ENC_UTF8) {
      if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) skip = 3;
      utf8_survey(h->src + skip, n - skip, &bad, &multi, &nul);
      h->stats.nul_bytes = nul;
      return decode_utf8(h, skip, bad);
    }
    if ((forced == LP_ENC_UTF16LE && n >= 2 && s[0] == 0xFF && s[1] == 0xFE) ||
        (forced == LP_ENC_UTF16BE && n >= 2 && s[0] == 0xFE && s[1] == 0xFF))
      skip = 2;
    return decode_iconv(h, skip, lp_charset_iconv(forced));
  }
  if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
    h->enc = "utf-16le";
    return decode_iconv(h, 2, "UTF-16LE");
  }
  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
    h->enc = "utf-16be";
    return decode_iconv(h, 2, "UTF-16BE");
  }
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    utf8_survey(h->src + 3, n - 3, &bad, &multi, &nul);
    h->stats.nul_bytes = nul;
    h->enc = "utf-8";
    return decode_utf8(h, 3, bad);
  }
  utf8_survey(h->src, n, &bad, &multi, &nul);
  dc = declared_charset(h->src, n);
  if (dc >= 0 && charsets[dc].iconv != NULL &&
      !(bad == 0 && multi > 0)) {
    h->enc = charsets[dc].name;
    rc = decode_iconv(h, 0, charsets[dc].iconv);
    if (rc != LOUPE_EENCODING) return rc;
    /* this iconv cannot read it: fall through */
    if (h->cd != (iconv_t)-1) iconv_close(h->cd);
    h->cd = (iconv_t)-1;
    h->converted = 0;
    free(h->own);
    h->own = NULL;
    h->wa.n = 0;
    h->stats.nul_bytes = h->stats.invalid_utf8 = 0;
  }
  g = bad == 0 ? LP_ENC_UTF8 : lp_charset_guess(cs, h->src, n);
  if (g == LP_ENC_UTF8) {
    h->stats.nul_bytes = nul;
    h->enc = "utf-8";
    return decode_utf8(h, 0, bad);
  }
  h->enc = lp_charset_name(g);
  return decode_iconv(h, 0, lp_charset_iconv(g));
}

/* ---- tags ---- */

enum {
  K_BLOCK = 1,      /* ends the line before and after it */
  K_DROP = 2,       /* its content is not visible text */
  K_VOID = 4        /* never has content */
};

static const struct {
  const char *name;
  unsigned short tag;
  unsigned char kind;
  unsigned in;
} tags[] = {
  {"a", LP_T_A, 0, LP_IN_LINK},
  {"abbr", LP_T_ABBR, 0, 0},
  {"address", LP_T_ADDRESS, K_BLOCK, LP_IN_ADDRESS},
  {"area", LP_T_OTHER, K_VOID, 0},
  {"article", LP_T_ARTICLE, K_BLOCK, LP_IN_ARTICLE},
  {"aside", LP_T_ASIDE, K_BLOCK, LP_IN_ASIDE},
  {"audio", LP_T_AUDIO, K_DROP, 0},
  {"b", LP_T_B, 0, 0},
  {"blockquote", LP_T_BLOCKQUOTE, K_BLOCK, LP_IN_QUOTE},
  {"body", LP_T_BODY, K_BLOCK, 0},
  {"br", LP_T_BR, K_BLOCK | K_VOID, 0},
  {"button", LP_T_BUTTON, K_DROP, 0},
  {"canvas", LP_T_CANVAS, K_DROP, 0},
  {"caption", LP_T_CAPTION, K_BLOCK, LP_IN_CAPTION},
  {"center", LP_T_CENTER, K_BLOCK, 0},
  {"dd", LP_T_DD, K_BLOCK, LP_IN_DL},
  {"details", LP_T_DETAILS, K_BLOCK, 0},
  {"dialog", LP_T_DIALOG, K_BLOCK, LP_IN_DIALOG},
  {"dir", LP_T_UL, K_BLOCK, 0},
  {"div", LP_T_DIV, K_BLOCK, 0},
  {"dl", LP_T_DL, K_BLOCK, 0},
  {"dt", LP_T_DT, K_BLOCK, LP_IN_DL},
  {"em", LP_T_EM, 0, 0},
  {"embed", LP_T_OBJECT, K_DROP | K_VOID, 0},
  {"fieldset", LP_T_FIELDSET, K_BLOCK, LP_IN_FORM},
  {"figcaption", LP_T_FIGCAPTION, K_BLOCK, LP_IN_CAPTION},
  {"figure", LP_T_FIGURE, K_BLOCK, LP_IN_FIGURE},
  {"font", LP_T_FONT, 0, 0},
  {"footer", LP_T_FOOTER, K_BLOCK, LP_IN_FOOTER},
  {"form", LP_T_FORM, K_BLOCK, LP_IN_FORM},
  {"frameset", LP_T_FRAMESET, K_BLOCK, 0},
  {"h1", LP_T_H1, K_BLOCK, LP_IN_HEADING},
  {"h2", LP_T_H2, K_BLOCK, LP_IN_HEADING},
  {"h3", LP_T_H3, K_BLOCK, LP_IN_HEADING},
  {"h4", LP_T_H4, K_BLOCK, LP_IN_HEADING},
  {"h5", LP_T_H5, K_BLOCK, LP_IN_HEADING},
  {"h6", LP_T_H6, K_BLOCK, LP_IN_HEADING},
  {"head", LP_T_HEAD, K_BLOCK, 0},
  {"header", LP_T_HEADER, K_BLOCK, LP_IN_HEADER},
  {"hgroup", LP_T_HGROUP, K_BLOCK, 0},
  {"hr", LP_T_HR, K_BLOCK | K_VOID, 0},
  {"html", LP_T_HTML, K_BLOCK, 0},
  {"i", LP_T_I, 0, 0},
  {"iframe", LP_T_IFRAME, K_DROP, 0},
  {"img", LP_T_IMG, K_VOID, 0},
  {"input", LP_T_INPUT, K_VOID, 0},
  {"label", LP_T_LABEL, 0, LP_IN_FORM},
  {"legend", LP_T_LEGEND, K_BLOCK, LP_IN_FORM},
  {"li", LP_T_LI, K_BLOCK, LP_IN_LI},
  {"link", LP_T_LINK, K_VOID, 0},
  {"main", LP_T_MAIN, K_BLOCK, LP_IN_ARTICLE},
  {"map", LP_T_OTHER, K_DROP, 0},
  {"math", LP_T_MATH, K_DROP, 0},
  {"menu", LP_T_MENU, K_BLOCK, LP_IN_NAV},
  {"meta", LP_T_META, K_VOID, 0},
  {"nav", LP_T_NAV, K_BLOCK, LP_IN_NAV},
  {"noembed", LP_T_OTHER, K_DROP, 0},
  {"noframes", LP_T_OTHER, K_DROP, 0},
  /* libxml2 reads <noscript> as markup and ignores its end tag while an
   * element opened inside is still open, so dropping it could drop the
   * page: its text is labelled like any other */
  {"noscript", LP_T_NOSCRIPT, K_BLOCK, 0},
  {"object", LP_T_OBJECT, K_DROP, 0},
  {"ol", LP_T_OL, K_BLOCK, 0},
  {"optgroup", LP_T_OPTION, K_DROP, 0},
  {"option", LP_T_OPTION, K_DROP, 0},
  {"p", LP_T_P, K_BLOCK, 0},
  {"picture", LP_T_OTHER, 0, 0},
  {"pre", LP_T_PRE, K_BLOCK, LP_IN_PRE},
  {"script", LP_T_SCRIPT, K_DROP, 0},
  {"section", LP_T_SECTION, K_BLOCK, 0},
  {"select", LP_T_SELECT, K_DROP, 0},
  {"small", LP_T_SMALL, 0, 0},
  {"source", LP_T_OTHER, K_VOID, 0},
  {"span", LP_T_SPAN, 0, 0},
  {"strong", LP_T_STRONG, 0, 0},
  {"style", LP_T_STYLE, K_DROP, 0},
  {"summary", LP_T_SUMMARY, K_BLOCK, 0},
  {"svg", LP_T_SVG, K_DROP, 0},
  {"table", LP_T_TABLE, K_BLOCK, 0},
  {"tbody", LP_T_TBODY, K_BLOCK, 0},
  {"td", LP_T_TD, K_BLOCK, LP_IN_TABLE},
  {"template", LP_T_TEMPLATE, K_DROP, 0},
  {"textarea", LP_T_TEXTAREA, K_DROP, 0},
  {"tfoot", LP_T_TBODY, K_BLOCK, 0},
  {"th", LP_T_TH, K_BLOCK, LP_IN_TABLE},
  {"thead", LP_T_TBODY, K_BLOCK, 0},
  {"time", LP_T_TIME, 0, LP_IN_TIME},
  {"title", LP_T_TITLE, K_DROP, 0},
  {"tr", LP_T_TR, K_BLOCK, 0},
  {"track", LP_T_OTHER, K_VOID, 0},
  {"ul", LP_T_UL, K_BLOCK, 0},
  {"video", LP_T_VIDEO, K_DROP, 0},
  {"wbr", LP_T_OTHER, K_VOID, 0},
};
#define N_TAGS (sizeof tags / sizeof tags[0])

/* The tags entry of an element name (libxml2 gives it lower case), or -1
 * for an unknown (inline) element. Binary search: the table is sorted. */
static int tag_index(const char *name) {
  size_t lo = 0, hi = N_TAGS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(name, tags[mid].name);
    if (c == 0) return (int)mid;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

/* ---- class and id words ---- */

static const struct {
  const char *word;
  unsigned bits;
  int prefix;       /* also as the start of a longer word ("comments") */
} class_words[] = {
  {"nav", LP_CW_NAV, 1}, {"menu", LP_CW_NAV, 1}, {"breadcrumb", LP_CW_NAV, 1},
  {"crumbs", LP_CW_NAV, 0}, {"topbar", LP_CW_HEADER, 0},
  {"pagination", LP_CW_NAV, 0}, {"pager", LP_CW_NAV, 0},
  {"skip", LP_CW_NAV, 0}, {"toolbar", LP_CW_NAV, 0},
  {"footer", LP_CW_FOOTER, 1}, {"copyright", LP_CW_FOOTER, 0},
  {"colophon", LP_CW_FOOTER, 0},
  {"comment", LP_CW_COMMENT, 0}, {"comments", LP_CW_COMMENT, 0},
  {"commentlist", LP_CW_COMMENT, 0}, {"commentform", LP_CW_COMMENT, 0},
  {"commentsection", LP_CW_COMMENT, 0}, {"disqus", LP_CW_COMMENT, 1},
  /* the same in the languages of the pages: de, fr, es/pt, it, nl */
  {"kommentar", LP_CW_COMMENT, 0}, {"kommentare", LP_CW_COMMENT, 0},
  {"commentaire", LP_CW_COMMENT, 0}, {"commentaires", LP_CW_COMMENT, 0},
  {"comentario", LP_CW_COMMENT, 0}, {"comentarios", LP_CW_COMMENT, 0},
  {"commento", LP_CW_COMMENT, 0}, {"commenti", LP_CW_COMMENT, 0},
  {"reacties", LP_CW_COMMENT, 0},
  {"respond", LP_CW_COMMENT, 0}, {"replies", LP_CW_COMMENT, 0},
  {"related", LP_CW_RELATED, 1}, {"recommend", LP_CW_RELATED, 1},
  {"recommended", LP_CW_RELATED, 0}, {"popular", LP_CW_RELATED, 0},
  {"trending", LP_CW_RELATED, 0}, {"teaser", LP_CW_RELATED, 1},
  {"outbrain", LP_CW_RELATED, 1}, {"taboola", LP_CW_RELATED, 1},
  {"mostread", LP_CW_RELATED, 0}, {"readmore", LP_CW_RELATED, 0},
  {"recirc", LP_CW_RELATED, 1},
  {"share", LP_CW_SHARE, 1}, {"sharing", LP_CW_SHARE, 0},
  {"social", LP_CW_SHARE, 1}, {"sharebar", LP_CW_SHARE, 0},
  {"sidebar", LP_CW_SIDEBAR, 1}, {"aside", LP_CW_SIDEBAR, 0},
  {"rail", LP_CW_SIDEBAR, 0}, {"sidebox", LP_CW_SIDEBAR, 0},
  {"ad", LP_CW_AD, 0}, {"ads", LP_CW_AD, 0}, {"advert", LP_CW_AD, 1},
  {"adslot", LP_CW_AD, 0}, {"adunit", LP_CW_AD, 0},
  {"sponsor", LP_CW_AD, 1}, {"promo", LP_CW_AD, 1},
  {"dfp", LP_CW_AD, 0}, {"commercial", LP_CW_AD, 0},
  {"byline", LP_CW_BYLINE, 1}, {"author", LP_CW_BYLINE, 1},
  {"writer", LP_CW_BYLINE, 0}, {"contributor", LP_CW_BYLINE, 0},
  {"date", LP_CW_DATE, 1}, {"time", LP_CW_DATE, 0},
  {"timestamp", LP_CW_DATE, 0}, {"published", LP_CW_DATE, 0},
  {"pubdate", LP_CW_DATE, 0}, {"dateline", LP_CW_DATE, 0},
  {"caption", LP_CW_CAPTION, 1}, {"credit", LP_CW_CAPTION, 1},
  {"figcaption", LP_CW_CAPTION, 0},
  {"article", LP_CW_ARTICLE, 0}, {"story", LP_CW_ARTICLE, 0},
  {"post", LP_CW_ARTICLE, 0}, {"entry", LP_CW_ARTICLE, 0},
  {"content", LP_CW_ARTICLE, 0}, {"body", LP_CW_ARTICLE, 0},
  {"text", LP_CW_ARTICLE, 0}, {"articlebody", LP_CW_ARTICLE, 0},
  {"prose", LP_CW_ARTICLE, 0},
  {"header", LP_CW_HEADER, 0}, {"masthead", LP_CW_HEADER, 0},
  {"cookie", LP_CW_COOKIE, 1}, {"consent", LP_CW_COOKIE, 1},
  {"gdpr", LP_CW_COOKIE, 0},
  {"newsletter", LP_CW_SUBSCRIBE, 1}, {"subscribe", LP_CW_SUBSCRIBE, 1},
  {"subscription", LP_CW_SUBSCRIBE, 0}, {"signup", LP_CW_SUBSCRIBE, 0},
  {"paywall", LP_CW_SUBSCRIBE, 0},
  {"tags", LP_CW_TAGS, 0}, {"tag", LP_CW_TAGS, 0}, {"topics", LP_CW_TAGS, 0},
  {"keywords", LP_CW_TAGS, 0},
  {"modal", LP_CW_MODAL, 1}, {"popup", LP_CW_MODAL, 1},
  {"overlay", LP_CW_MODAL, 0}, {"lightbox", LP_CW_MODAL, 0},
  {"summary", LP_CW_SUMMARY, 0}, {"lead", LP_CW_SUMMARY, 0},
  {"intro", LP_CW_SUMMARY, 0}, {"standfirst", LP_CW_SUMMARY, 0},
  {"dek", LP_CW_SUMMARY, 0}, {"subtitle", LP_CW_SUMMARY, 0},
};
#define N_CLASS_WORDS (sizeof class_words / sizeof class_words[0])

static unsigned word_bits(const char *w, size_t n) {
  size_t i;
  unsigned bits = 0;
  for (i = 0; i < N_CLASS_WORDS; i++) {
    size_t m = strlen(class_words[i].word);
    if (m == n ? memcmp(w, class_words[i].word, n) == 0
               : (class_words[i].prefix && m < n &&
                  memcmp(w, class_words[i].word, m) == 0))
      bits |= class_words[i].bits;
  }
  return bits;
}

/* Whole class tokens that hide an element (screen-reader-only text and
 * the usual utility classes for display:none). */
static int hidden_token(const char *t, size_t n) {
  static const char *const toks[] = {
    "hidden", "hide", "sr-only", "visually-hidden", "visuallyhidden",
    "screen-reader-text", "screenreader-only", "element-invisible",
    "a11y-hidden", "u-hidden", "is-hidden", "d-none", "display-none",
    "offscreen", NULL
  };
  int k;
  for (k = 0; toks[k]; k++)
    if (strlen(toks[k]) == n && lp_starts_ci(t, n, toks[k])) return 1;
  return 0;
}

/* Does the class token name a taxonomy term (prefix tag-, category-)? */
static int taxonomy_token(const char *t, size_t n) {
  static const char *const pre[] = {
    "tag-", "tag_", "tags-", "category-", "category_", "cat-", "format-",
    "status-", "type-", "topic-", "section-", "author-", "postid-", NULL
  };
  int k;
  for (k = 0; pre[k]; k++)
    if (lp_starts_ci(t, n, pre[k])) return 1;
  return 0;
}

/*
 * Class and id words of an attribute value: each whitespace-separated
 * token is split into words at anything but a letter or digit and at a
 * lower-to-upper case change ("relatedStories"), folded to lower case.
 * A whole token naming hidden text ("sr-only", "hidden") gives
 * LP_CW_HIDDEN; a word inside a token ("hide-on-mobile") does not.
 */
static unsigned class_bits(const char *v) {
  unsigned bits = 0;
  size_t i = 0;
  if (v == NULL) return 0;
  for (;;) {
    size_t tok, end, k, n = 0;
    char w[32];
    while (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ||
           v[i] == '\f')
      i++;
    if (v[i] == '\0') break;
    tok = i;
    while (v[i] && v[i] != ' ' && v[i] != '\t' && v[i] != '\n' &&
           v[i] != '\r' && v[i] != '\f')
      i++;
    end = i;
    if (hidden_token(v + tok, end - tok)) bits |= LP_CW_HIDDEN;
    /* taxonomy terms ("tag-social-media", "category-ads" that blog
     * engines add to a post) name the subject, not a region */
    if (taxonomy_token(v + tok, end - tok)) continue;
    for (k = tok; k <= end; k++) {
      unsigned char c = k < end ? (unsigned char)v[k] : 0;
      int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9');
      int split = !alnum || (c >= 'A' && c <= 'Z' && k > tok &&
                             v[k - 1] >= 'a' && v[k - 1] <= 'z');
      if (split && n > 0) {
        if (n < sizeof w) bits |= word_bits(w, n);
        n = 0;
      }
      if (alnum && n < sizeof w) w[n++] = (char)lower_c(c);
      else if (alnum) n = sizeof w;      /* too long: no word */
    }
  }
  return bits;
}

/* ---- the walk (SAX callbacks) ---- */

enum { CAP_NONE = 0, CAP_TITLE, CAP_JSONLD, CAP_VALUE };

/* Elements open at once, at most (an element's depth fits 16 bits). */
#define MAX_DEPTH 65535

typedef struct {
  const xmlChar *name;     /* libxml2's interned name */
  size_t elem;             /* its element, or its parent's when dropped */
  size_t owner;            /* innermost block element */
  unsigned in;             /* LP_IN_* including inline ones */
  unsigned cls;            /* LP_CW_* up to here */
  unsigned cls_blk;        /* LP_CW_* of the inline elements up to here
                              from the innermost block element */
  int tag;                 /* LP_T_* */
  unsigned kind;           /* K_* of its tag */
  int dropped;             /* opened a dropped subtree */
  int capture;             /* opened a capture */
} open_el;

typedef struct {
  lp_html *h;
  htmlParserCtxtPtr ctxt;
  open_el *st;
  size_t depth, cap;
  size_t drop;             /* dropped subtrees open */
  /* capture of an element's text (title, JSON-LD, an itemprop value) */
  int cap_kind;
  size_t cap_depth;
  size_t cap_off;
  const char *cap_key, *cap_rule;
  lp_buf capbuf;
  /* the line being built */
  size_t line_start;       /* its offset in the text */
  size_t line_owner;       /* owner element of its first character */
  unsigned line_in, line_cls, line_cls_in, line_chars, line_link;
  int pending_space;
  size_t last_end;         /* work offset after the last event */
  int rc;
} walk;

/* Work offset of the parser's cursor. */
static size_t cursor(const walk *w) {
  const xmlParserInputPtr in = w->ctxt->input;
  if (in == NULL || in->cur == NULL || in->base == NULL) return w->last_end;
  return (size_t)(in->cur - in->base) + (size_t)in->consumed;
}

static int grow_elems(lp_html *h) {
  if (h->dom.n_elems == h->cap_elems) {
    size_t nc = h->cap_elems ? h->cap_elems * 2 : 256;
    lp_dom_elem *ne = realloc(h->dom.elems, nc * sizeof *ne);
    if (ne == NULL) return LOUPE_ENOMEM;
    h->dom.elems = ne;
    h->cap_elems = nc;
  }
  return LOUPE_OK;
}

/* End the line being built: a block when it holds visible text. */
static void end_line(walk *w, unsigned br) {
  lp_html *h = w->h;
  lp_dom_block *b;
  w->pending_space = 0;
  if (w->line_chars == 0 || w->rc) return;
  if (h->dom.n_blocks == h->cap_blocks) {
    size_t nc = h->cap_blocks ? h->cap_blocks * 2 : 128;
    lp_dom_block *nb = realloc(h->dom.blocks, nc * sizeof *nb);
    if (nb == NULL) { w->rc = LOUPE_ENOMEM; return; }
    h->dom.blocks = nb;
    h->cap_blocks = nc;
  }
  if (lp_buf_append(&h->text, "\n", 1)) { w->rc = LOUPE_ENOMEM; return; }
  b = &h->dom.blocks[h->dom.n_blocks++];
  memset(b, 0, sizeof *b);
  b->elem = w->line_owner;
  b->tag = w->line_owner < h->dom.n_elems ? h->dom.elems[w->line_owner].tag
                                          : LP_T_OTHER;
  b->in = w->line_in;
  b->cls = w->line_cls;
  b->cls_inline = w->line_cls_in;
  b->nchars = w->line_chars;
  b->link_chars = w->line_link;
  b->depth = w->line_owner < h->dom.n_elems
               ? h->dom.elems[w->line_owner].depth : 0;
  b->br = br;
  b->off = w->line_start;
  b->len = h->text.len - 1 - w->line_start;
  w->line_start = h->text.len;
  w->line_chars = w->line_link = 0;
  w->line_in = w->line_cls = w->line_cls_in = 0;
}

/* The value of attribute name in atts, or NULL. */
static const char *attr(const xmlChar **atts, const char *name) {
  size_t i;
  if (atts == NULL) return NULL;
  for (i = 0; atts[i]; i += 2)
    if (strcmp((const char *)atts[i], name) == 0)
      return atts[i + 1] ? (const char *)atts[i + 1] : "";
  return NULL;
}

/* Is the element hidden by its attributes (hidden, aria-hidden=true,
 * an inline style with display:none or visibility:hidden)? */
static int hidden_by_attrs(const xmlChar **atts) {
  const char *v;
  if (atts == NULL) return 0;
  if (attr(atts, "hidden")) return 1;
  v = attr(atts, "aria-hidden");
  if (v && lp_starts_ci(v, strlen(v), "true")) return 1;
  v = attr(atts, "style");
  if (v) {
    char buf[256];
    size_t i, k = 0;
    for (i = 0; v[i] && k + 1 < sizeof buf; i++)
      if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n')
        buf[k++] = (char)lower_c((unsigned char)v[i]);
    buf[k] = '\0';
    if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
      return 1;
  }
  v = attr(atts, "type");
  if (v && strcmp(v, "hidden") == 0) return 1;
  return 0;
}

/* LP_IN_* an ARIA role gives. */
static unsigned role_in(const char *r) {
  if (r == NULL) return 0;
  if (strcmp(r, "navigation") == 0 || strcmp(r, "menu") == 0 ||
      strcmp(r, "menubar") == 0)
    return LP_IN_NAV;
  if (strcmp(r, "banner") == 0) return LP_IN_HEADER;
  if (strcmp(r, "contentinfo") == 0) return LP_IN_FOOTER;
  if (strcmp(r, "complementary") == 0) return LP_IN_ASIDE;
  if (strcmp(r, "main") == 0 || strcmp(r, "article") == 0)
    return LP_IN_ARTICLE;
  if (strcmp(r, "dialog") == 0 || strcmp(r, "alertdialog") == 0)
    return LP_IN_DIALOG;
  return 0;
}

static void start_capture(walk *w, int kind, size_t off, const char *key,
                          const char *rule) {
  w->cap_kind = kind;
  w->cap_depth = w->depth;
  w->cap_off = off;
  w->cap_key = key;
  w->cap_rule = rule;
  w->capbuf.len = 0;
}

/* Work offset of the '<' that opened the element whose '>' is at pos
 * (the cursor may stand at the end of the page). */
static size_t tag_start(const walk *w, size_t pos) {
  const char *s = w->h->work;
  size_t n = w->h->wlen, i, lim;
  if (n == 0) return 0;
  i = pos < n ? pos : n - 1;
  lim = i > 4096 ? i - 4096 : 0;
  while (i > lim && s[i] != '<') i--;
  return s[i] == '<' ? i : (pos < n ? pos : n);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  lp_html *h = w->h;
  int ti = tag_index((const char *)name);
  int tag = ti >= 0 ? tags[ti].tag : LP_T_OTHER;
  unsigned kind = ti >= 0 ? tags[ti].kind : 0;
  size_t pos = cursor(w), off;
  open_el *top, *e;
  const char *v;
  unsigned own_cls;
  int dropped;

  if (w->rc) return;
  w->last_end = pos + 1;
  if (w->depth >= MAX_DEPTH) {      /* deeper than any page */
    w->rc = LOUPE_ELIMIT;
    xmlStopParser(ctxt);
    return;
  }
  if (w->depth == w->cap) {
    size_t nc = w->cap ? w->cap * 2 : 64;
    open_el *ns;
    ns = realloc(w->st, nc * sizeof *ns);
    if (ns == NULL) { w->rc = LOUPE_ENOMEM; xmlStopParser(ctxt); return; }
    w->st = ns;
    w->cap = nc;
  }
  top = w->depth ? &w->st[w->depth - 1] : NULL;   /* after any realloc */
  off = tag_start(w, pos);
  /* metadata lives in elements of its own */
  if (tag == LP_T_META || tag == LP_T_LINK || tag == LP_T_HTML ||
      tag == LP_T_TIME || (atts && attr(atts, "itemprop"))) {
    int r = lp_meta_element(h->meta, tag, (const char *const *)atts, off,
                            h->text.len, top ? top->in : 0,
                            top ? top->cls : 0);
    if (r) { w->rc = r; xmlStopParser(ctxt); return; }
  }
  own_cls = atts ? class_bits(attr(atts, "class")) | class_bits(attr(atts, "id"))
                 : 0;
  dropped = w->drop > 0 || (kind & K_DROP) || (own_cls & LP_CW_HIDDEN) ||
            hidden_by_attrs(atts);
  /* a dialog or modal that is shown is rare in a saved page; its text
   * (cookie walls, sign-up boxes) is not the article */
  e = &w->st[w->depth];
  memset(e, 0, sizeof *e);
  e->name = name;
  e->tag = tag;
  e->kind = kind;
  e->in = (top ? top->in : 0) | (ti >= 0 ? tags[ti].in : 0);
  e->cls = (top ? top->cls : 0) | own_cls;
  if (atts) {
    e->in |= role_in(attr(atts, "role"));
    v = attr(atts, "itemprop");
    if (v && strcmp(v, "articleBody") == 0) e->in |= LP_IN_ARTICLE;
  }
  if (dropped) {
    e->dropped = 1;
    e->elem = top ? top->elem : (size_t)-1;
    e->owner = top ? top->owner : (size_t)-1;
    if (kind & K_VOID) {                       /* nothing will close it */
      if (kind & K_BLOCK) end_line(w, 0);
      return;
    }
    w->drop++;
    if (w->cap_kind == CAP_NONE) {
      if (tag == LP_T_TITLE && (w->drop == 0 || top->tag == LP_T_HEAD)) {
        start_capture(w, CAP_TITLE, pos + 1, NULL, NULL);
      } else if (tag == LP_T_SCRIPT && atts &&
                 (v = attr(atts, "type")) != NULL &&
                 lp_contains_ci(v, strlen(v), "ld+json")) {
        start_capture(w, CAP_JSONLD, pos + 1, NULL, NULL);
      }
      if (w->cap_kind != CAP_NONE) e->capture = 1;
    }
    w->depth++;
    return;
  }
  if (kind & K_BLOCK) end_line(w, tag == LP_T_BR);
  if (kind & K_VOID) return;
  {
    int r = grow_elems(h);
    lp_dom_elem *de;
    if (r) { w->rc = r; xmlStopParser(ctxt); return; }
    de = &h->dom.elems[h->dom.n_elems];
    de->parent = top && top->elem != (size_t)-1 ? (int)top->elem : -1;
    de->tag = (unsigned short)tag;
    de->depth = (unsigned short)(w->depth > 65535 ? 65535 : w->depth);
    de->in = e->in;
    de->cls = own_cls;
    de->cls_up = e->cls;
    de->first_block = h->dom.n_blocks;
    de->end_block = h->dom.n_blocks;
    e->elem = h->dom.n_elems++;
    e->owner = (kind & K_BLOCK) || top == NULL || top->owner == (size_t)-1
                 ? e->elem : top->owner;
    e->cls_blk = (kind & K_BLOCK) || top == NULL ? 0 : top->cls_blk | own_cls;
  }
  /* an itemprop value written as the element's text */
  if (w->cap_kind == CAP_NONE && atts && (v = attr(atts, "itemprop")) &&
      attr(atts, "content") == NULL && attr(atts, "datetime") == NULL) {
    if (strcmp(v, "datePublished") == 0)
      start_capture(w, CAP_VALUE, pos + 1, "date_published",
                    "itemprop:datePublished");
    else if (strcmp(v, "dateModified") == 0)
      start_capture(w, CAP_VALUE, pos + 1, "date_modified",
                    "itemprop:dateModified");
    if (w->cap_kind != CAP_NONE) e->capture = 1;
  }
  w->depth++;
}

/* Close the element at the top of the stack. */
static void close_top(walk *w) {
  open_el *e = &w->st[w->depth - 1];
  lp_html *h = w->h;
  if (e->capture && w->cap_kind != CAP_NONE && w->cap_depth == w->depth - 1) {
    int r = LOUPE_OK;
    if (w->cap_kind == CAP_TITLE)
      r = lp_meta_title(h->meta, w->capbuf.p, w->capbuf.len, w->cap_off);
    else if (w->cap_kind == CAP_JSONLD)
      r = lp_meta_jsonld(h->meta, w->capbuf.p, w->capbuf.len, w->cap_off);
    else if (w->cap_kind == CAP_VALUE)
      r = lp_meta_text_value(h->meta, w->cap_key, w->cap_rule, w->capbuf.p,
                             w->capbuf.len, w->cap_off, e->in);
    if (r) w->rc = r;
    w->cap_kind = CAP_NONE;
  }
  if (e->dropped) {
    if (w->drop > 0) w->drop--;
    w->depth--;
    return;
  }
  if (e->kind & K_BLOCK) end_line(w, 0);
  if (e->elem < h->dom.n_elems) h->dom.elems[e->elem].end_block = h->dom.n_blocks;
  w->depth--;
}

static void on_end(void *ctx, const xmlChar *name) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  size_t k;
  if (w->rc) return;
  w->last_end = cursor(w);
  for (k = w->depth; k-- > 0;)
    if (w->st[k].name == name || strcmp((const char *)w->st[k].name,
                                        (const char *)name) == 0) {
      while (w->depth > k) close_top(w);
      return;
    }
}

/* Record that the next byte of the text is the byte at work offset wo,
 * unless the anchor before already says so. */
static void text_anchor(walk *w, size_t wo) {
  anchors *v = &w->h->ta;
  size_t to = w->h->text.len;
  if (w->rc) return;
  if (v->n > 0 && v->v[v->n - 1].b <= wo &&
      v->v[v->n - 1].b - v->v[v->n - 1].a == wo - to)
    return;
  if (anchor_push(v, to, wo)) w->rc = LOUPE_ENOMEM;
}

static int is_space_b(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Text of the page: spaces collapse, each word goes to the line being
 * built with an anchor to its place in the page when the chunk is the
 * page's bytes as they are (a chunk from an entity is anchored at its
 * start). Text inside dropped elements only feeds a capture.
 */
static void on_text(void *ctx, const xmlChar *ch, int len) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  lp_html *h = w->h;
  const unsigned char *s = ch;
  size_t n = len > 0 ? (size_t)len : 0, pos = cursor(w), start, i;
  open_el *top = w->depth ? &w->st[w->depth - 1] : NULL;
  int exact, first = 1;
  if (w->rc || n == 0) return;
  /* the chunk ends at the cursor; entities and folded line ends make it
   * shorter than its source */
  start = pos >= n ? pos - n : 0;
  exact = pos <= h->wlen && pos >= n && memcmp(h->work + start, s, n) == 0;
  if (!exact) start = w->last_end < pos ? w->last_end : start;
  w->last_end = pos;
  if (w->cap_kind != CAP_NONE) {
    if (w->capbuf.len == 0 && w->cap_kind != CAP_JSONLD) w->cap_off = start;
    if (w->capbuf.len < ((size_t)1 << 22) &&
        lp_buf_append(&w->capbuf, (const char *)s, n))
      w->rc = LOUPE_ENOMEM;
  }
  if (w->drop > 0 || top == NULL) return;
  for (i = 0; i < n && w->rc == LOUPE_OK; i++) {
    size_t j, k, cps = 0;
    if (is_space_b(s[i])) {
      if ((top->in & LP_IN_PRE) && s[i] == '\n') end_line(w, 1);
      else if (w->line_chars > 0) w->pending_space = 1;
      continue;
    }
    if (w->line_chars == 0) {
      w->line_owner = top->owner;
      w->line_start = h->text.len;
    }
    if (w->pending_space) {
      if (lp_buf_append(&h->text, " ", 1)) { w->rc = LOUPE_ENOMEM; return; }
      w->line_chars++;
      if (top->in & LP_IN_LINK) w->line_link++;
      w->pending_space = 0;
    }
    if (exact) text_anchor(w, start + i);
    else if (first) text_anchor(w, start);
    first = 0;
    for (j = i; j < n && !is_space_b(s[j]); j++) cps += (s[j] & 0xC0) != 0x80;
    if (lp_buf_append(&h->text, (const char *)s + i, j - i)) {
      w->rc = LOUPE_ENOMEM;
      return;
    }
    w->line_chars += (unsigned)cps;
    if (top->in & LP_IN_LINK) w->line_link += (unsigned)cps;
    w->line_in |= top->in;
    w->line_cls |= top->cls;
    w->line_cls_in |= top->cls_blk;
    k = j;
    i = k - 1;
  }
}

/* libxml2 reports errors through these; with them set it prints nothing. */
static void on_serror(void *ctx, xmlErrorPtr err) {
  LP_UNUSED(ctx);
  LP_UNUSED(err);
}

/* ---- parse ---- */

static void walk_free(walk *w) {
  free(w->st);
  lp_buf_free(&w->capbuf);
}

int lp_html_parse(const char *src, size_t len, lp_codecs *cs, int charset,
                  lp_html **out, char *err, size_t errcap) {
  lp_html *h;
  walk w;
  htmlParserCtxtPtr ctxt = NULL;
  int rc;
  size_t i;

  *out = NULL;
  h = calloc(1, sizeof *h);
  if (h == NULL) {
    snprintf(err, errcap, "out of memory");
    return LOUPE_ENOMEM;
  }
  h->src = src;
  h->slen = len;
  h->cd = (iconv_t)-1;
  h->dom.article = LP_NONE;
  h->stats.bytes = len;
  memset(&w, 0, sizeof w);
  rc = lp_meta_new(&h->meta);
  if (rc) goto fail;
  rc = decode(h, cs, charset);
  if (rc == LOUPE_EENCODING) {
    snprintf(err, errcap, "the page's charset cannot be read");
    goto fail;
  }
  if (rc) goto fail;
  h->stats.encoding = h->enc;
  if (h->wlen > (size_t)INT_MAX) {
    snprintf(err, errcap, "HTML input of %zu bytes is larger than libxml2 "
             "reads (2 GiB)", h->wlen);
    rc = LOUPE_ELIMIT;
    goto fail;
  }
  /* source lines, counted the POSIX way as text.c does */
  {
    size_t nl = 1;
    for (i = 0; i < h->wlen; i++) nl += h->work[i] == '\n';
    if (h->wlen > 0 && h->work[h->wlen - 1] == '\n' && nl > 1) nl--;
    h->stats.lines = nl;
  }
  ctxt = htmlCreateMemoryParserCtxt(h->wlen ? h->work : " ",
                                    h->wlen ? (int)h->wlen : 1);
  if (ctxt == NULL) { rc = LOUPE_ENOMEM; goto fail; }
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                     HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                     HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
  memset(ctxt->sax, 0, sizeof *ctxt->sax);
  ctxt->sax->startElement = on_start;
  ctxt->sax->endElement = on_end;
  ctxt->sax->characters = on_text;
  ctxt->sax->ignorableWhitespace = on_text;
  ctxt->sax->cdataBlock = on_text;
  ctxt->sax->serror = on_serror;
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;
  ctxt->_private = &w;
  w.h = h;
  w.ctxt = ctxt;
  rc = anchor_push(&h->ta, 0, 0);
  if (rc) goto fail;
  htmlParseDocument(ctxt);
  while (w.depth > 0 && w.rc == LOUPE_OK) close_top(&w);
  end_line(&w, 0);
  rc = w.rc;
  if (rc == LOUPE_ELIMIT)
    snprintf(err, errcap, "elements nested deeper than %d levels",
             MAX_DEPTH);
  if (rc) goto fail;
  if (lp_buf_append(&h->text, "", 1)) { rc = LOUPE_ENOMEM; goto fail; }
  h->text.len--;
  h->dom.text = h->text.p;
  h->dom.title_block = LP_NONE;
  if (h->dom.n_blocks == 0 && !lp_meta_any(h->meta)) {
    snprintf(err, errcap, "the page holds no visible text");
    rc = LOUPE_EEMPTY;
    goto fail;
  }
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  ctxt->myDoc = NULL;
  htmlFreeParserCtxt(ctxt);
  walk_free(&w);
  *out = h;
  return LOUPE_OK;
fail:
  if (rc == LOUPE_ENOMEM) snprintf(err, errcap, "out of memory");
  if (ctxt) {
    if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    htmlFreeParserCtxt(ctxt);
  }
  walk_free(&w);
  lp_html_free(h);
  return rc;
}

void lp_html_init(void) {
  xmlInitParser();
}

void lp_html_free(lp_html *h) {
  if (h == NULL) return;
  if (h->cd != (iconv_t)-1) iconv_close(h->cd);
  free(h->own);
  free(h->wa.v);
  free(h->ta.v);
  free(h->wlines);
  lp_buf_free(&h->text);
  free(h->dom.elems);
  free(h->dom.blocks);
  lp_meta_free(h->meta);
  free(h);
}

const char *lp_html_text(const lp_html *h, size_t *len) {
  *len = h->text.len;
  return h->text.p;
}

lp_dom *lp_html_dom(lp_html *h) { return &h->dom; }

lp_meta *lp_html_meta(lp_html *h) { return h->meta; }

loupe_input_stats lp_html_stats(const lp_html *h) { return h->stats; }

/* ---- maps back to the caller's bytes ---- */

/* Source offset of work offset wo inside a converted window: convert the
 * window from its anchor again, one character at a time. */
static size_t reconvert(lp_html *h, const anchor *an, size_t wo) {
  size_t ip = an->b, o = an->a;
  iconv(h->cd, NULL, NULL, NULL, NULL);
  while (o < wo && ip < h->slen) {
    size_t k, produced = 0, used = 1;
    for (k = 1; k <= 4 && ip + k <= h->slen; k++) {
      char buf[16], *in = (char *)(h->src + ip), *op = buf;
      size_t il = k, ol = sizeof buf, r = iconv(h->cd, &in, &il, &op, &ol);
      if (r != (size_t)-1 || errno == E2BIG) {
        produced = (size_t)(op - buf);
        used = k - il;
        break;
      }
      if (errno == EILSEQ) { produced = 3; used = 1; break; }
      /* EINVAL: the character needs more bytes */
    }
    if (used == 0) used = 1;
    if (o + produced > wo) break;
    o += produced;
    ip += used;
  }
  return ip;
}

void lp_html_map_work(lp_html *h, size_t wo, size_t *off, size_t *line) {
  size_t k, lo, hi;
  const anchor *an;
  if (wo > h->wlen) wo = h->wlen;
  k = anchor_find(&h->wa, wo);
  an = &h->wa.v[k];
  if (h->wa.n == 0) *off = wo;
  else if (h->converted) *off = reconvert(h, an, wo);
  else {
    *off = an->b + (wo - an->a);
    if (k + 1 < h->wa.n && *off >= h->wa.v[k + 1].b)
      *off = h->wa.v[k + 1].b - 1;
  }
  if (*off > h->slen) *off = h->slen;
  /* the line: line starts of the decoded page, found once */
  if (h->wlines == NULL) {
    size_t n = 1, i, c = 0;
    for (i = 0; i < h->wlen; i++) n += h->work[i] == '\n';
    h->wlines = malloc(n * sizeof *h->wlines);
    if (h->wlines == NULL) { *line = 1; return; }
    h->wlines[c++] = 0;
    for (i = 0; i < h->wlen; i++)
      if (h->work[i] == '\n') h->wlines[c++] = i + 1;
    h->nwlines = c;
  }
  lo = 0;
  hi = h->nwlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (h->wlines[mid] <= wo) lo = mid;
    else hi = mid;
  }
  *line = lo + 1;
}

void lp_html_map(lp_html *h, size_t to, size_t *off, size_t *line) {
  size_t k = anchor_find(&h->ta, to), wo;
  const anchor *an = &h->ta.v[k];
  wo = an->b + (to - an->a);
  if (k + 1 < h->ta.n && h->ta.v[k + 1].b > an->b && wo >= h->ta.v[k + 1].b)
    wo = h->ta.v[k + 1].b - 1;
  lp_html_map_work(h, wo, off, line);
}

static void remap_span(lp_html *h, loupe_span *sp) {
  if (sp->text == NULL || sp->line == 0) return;
  lp_html_map(h, sp->offset, &sp->offset, &sp->line);
}

void lp_html_remap(lp_html *h, loupe_article *a) {
  size_t i;
  remap_span(h, &a->title);
  remap_span(h, &a->date);
  remap_span(h, &a->dateline);
  remap_span(h, &a->credit);
  remap_span(h, &a->outlet);
  remap_span(h, &a->date_visible);
  for (i = 0; i < a->n_authors; i++) remap_span(h, &a->authors[i]);
  for (i = 0; i < a->n_editors; i++) remap_span(h, &a->editors[i]);
  for (i = 0; i < a->n_paragraphs; i++) remap_span(h, &a->paragraphs[i]);
  for (i = 0; i < a->n_quotes; i++) remap_span(h, &a->quotes[i].text);
}

/* How much a label says about a line, for a line that holds several
 * blocks. */
static int label_rank(loupe_line_label l) {
  switch (l) {
  case LOUPE_LINE_BODY: return 5;
  case LOUPE_LINE_TITLE: return 4;
  case LOUPE_LINE_META: return 3;
  case LOUPE_LINE_DUPLICATE: return 2;
  case LOUPE_LINE_BOILERPLATE: return 1;
  default: return 0;
  }
}

int lp_html_lines(lp_html *h, const lp_text *t, loupe_article *a,
                  lp_arena *arena) {
  size_t n = h->stats.lines ? h->stats.lines : 1, i, line;
  loupe_line_info *out = lp_arena_alloc(arena, n * sizeof *out);
  if (out == NULL) return LOUPE_ENOMEM;
  /* each source line's start, through the map (it builds the line
   * table of the decoded page on its first call) */
  lp_html_map_work(h, 0, &out[0].offset, &line);
  for (i = 0; i < n; i++) {
    size_t wo = i < h->nwlines ? h->wlines[i] : h->wlen;
    lp_html_map_work(h, wo, &out[i].offset, &line);
    if (i > 0 && out[i].offset < out[i - 1].offset)
      out[i].offset = out[i - 1].offset;
    out[i].line = i + 1;
    out[i].label = LOUPE_LINE_BLANK;
    out[i].reason = "blank";
  }
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    size_t off, first, last, k;
    int r = label_rank(l->label);
    lp_html_map(h, l->src_offset, &off, &first);
    lp_html_map(h, l->src_end > l->src_offset ? l->src_end - 1 : l->src_offset,
                &off, &last);
    if (last < first) last = first;
    for (k = first; k <= last && k <= n; k++)
      if (k >= 1 && label_rank(out[k - 1].label) < r) {
        out[k - 1].label = l->label;
        out[k - 1].reason = l->reason ? l->reason : "";
      }
  }
  a->lines = out;
  a->n_lines = n;
  return LOUPE_OK;
}
