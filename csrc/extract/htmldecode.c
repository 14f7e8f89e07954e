/*
 * htmldecode.c - the bytes of an HTML page: is it HTML at all (sniffing),
 * its charset (BOM, meta charset, the bytes), the conversion to the UTF-8
 * libxml2 reads, and the maps from that text back to the caller's bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlpage.h"

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
  /* the tags first, found with memchr: a text page holds few, and its
   * lines need not be counted then */
  for (k = i; k < m; k++) {
    const char *lt = memchr(s + k, '<', m - k);
    size_t j;
    int t;
    if (lt == NULL) break;
    k = (size_t)(lt - s);
    if (k + 2 >= m) break;
    j = k + 1 + (s[k + 1] == '/');
    for (t = 0; sniff_tags[t]; t++)
      if (starts_ci(s + j, m - j, sniff_tags[t])) {
        tags++;
        break;
      }
  }
  if (tags < 12) return 0;
  for (k = i; k < m; k++) {
    const char *nl = memchr(s + k, '\n', m - k);
    if (nl == NULL) break;
    k = (size_t)(nl - s);
    lines++;
  }
  return tags * 4 >= lines;
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
  int rc = lp_anchor_push(&h->wa, 0, skip);
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
    rc = lp_anchor_push(&h->wa, o, i);
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
    rc = lp_anchor_push(&h->wa, o, ip);
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
      rc = lp_anchor_push(&h->wa, o, ip);
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
int lp_html_decode(lp_html *h, lp_codecs *cs, int forced) {
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
  k = lp_anchor_find(&h->wa, wo);
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
  size_t k = lp_anchor_find(&h->ta, to), wo;
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
