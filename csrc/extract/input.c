/*
 * input.c - what the caller's bytes are before they are parsed: gzip
 * streams are inflated (zlib), and the format is told from the content
 * (HTML markup, Markdown markup, else text) or from a file name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "extract.h"
#include "html.h"

const char *loupe_format_name(loupe_format f) {
  switch (f) {
  case LOUPE_FORMAT_TEXT: return "text";
  case LOUPE_FORMAT_MARKDOWN: return "markdown";
  case LOUPE_FORMAT_HTML: return "html";
  default: return "auto";
  }
}

static int ends_ci(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n >= m && lp_starts_ci(s + n - m, m, suffix);
}

loupe_format loupe_format_of_path(const char *path) {
  size_t n;
  if (path == NULL) return LOUPE_FORMAT_AUTO;
  n = strlen(path);
  if (ends_ci(path, n, ".gz")) n -= 3;
  if (ends_ci(path, n, ".html") || ends_ci(path, n, ".htm") ||
      ends_ci(path, n, ".xhtml"))
    return LOUPE_FORMAT_HTML;
  if (ends_ci(path, n, ".md") || ends_ci(path, n, ".markdown"))
    return LOUPE_FORMAT_MARKDOWN;
  return LOUPE_FORMAT_AUTO;
}

int lp_is_gzip(const char *s, size_t n) {
  return n >= 18 && (unsigned char)s[0] == 0x1F && (unsigned char)s[1] == 0x8B &&
         (unsigned char)s[2] == 8;
}

/*
 * Inflate a gzip stream (several members in a row are one stream, as
 * gzip -d reads them) into a new malloc'd buffer of at most max bytes.
 * Returns LOUPE_OK (*out owned by the caller), LOUPE_ELIMIT (more than
 * max bytes), LOUPE_EENCODING (a damaged stream), LOUPE_ENOMEM; err says
 * why.
 */
int lp_gunzip(const char *src, size_t len, size_t max, char **out,
              size_t *outlen, char *err, size_t errcap) {
  z_stream zs;
  lp_buf b = {NULL, 0, 0};
  int zrc, rc = LOUPE_OK;
  *out = NULL;
  *outlen = 0;
  if (len > (size_t)0xFFFFFFFFu) {
    snprintf(err, errcap, "gzip input of %zu bytes is too large", len);
    return LOUPE_ELIMIT;
  }
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    snprintf(err, errcap, "out of memory");
    return LOUPE_ENOMEM;
  }
  zs.next_in = (Bytef *)src;
  zs.avail_in = (uInt)len;
  for (;;) {
    size_t room;
    if (lp_buf_reserve(&b, 65536)) { rc = LOUPE_ENOMEM; goto out; }
    room = b.cap - b.len;
    if (room > (1u << 30)) room = 1u << 30;
    zs.next_out = (Bytef *)(b.p + b.len);
    zs.avail_out = (uInt)room;
    zrc = inflate(&zs, Z_NO_FLUSH);
    b.len += room - zs.avail_out;
    if (b.len > max) {
      snprintf(err, errcap, "gzip input inflates to more than the limit of "
               "%zu bytes (option max_bytes)", max);
      rc = LOUPE_ELIMIT;
      goto out;
    }
    if (zrc == Z_STREAM_END) {
      /* another member may follow, as gzip -d reads them */
      if (zs.avail_in >= 2 && zs.next_in[0] == 0x1F && zs.next_in[1] == 0x8B) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (zrc == Z_MEM_ERROR) { rc = LOUPE_ENOMEM; goto out; }
    if (zrc == Z_BUF_ERROR && zs.avail_in == 0) {
      snprintf(err, errcap, "truncated gzip data");
      rc = LOUPE_EENCODING;
      goto out;
    }
    if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
      snprintf(err, errcap, "damaged gzip data (%s)",
               zs.msg ? zs.msg : "inflate failed");
      rc = LOUPE_EENCODING;
      goto out;
    }
  }
  if (lp_buf_reserve(&b, 1)) { rc = LOUPE_ENOMEM; goto out; }
  b.p[b.len] = '\0';
  *out = b.p;
  *outlen = b.len;
  b.p = NULL;
out:
  inflateEnd(&zs);
  lp_buf_free(&b);
  if (rc == LOUPE_ENOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}

/* Markdown by content: headings, links, emphasis and fences at line
 * starts or inside lines of the first 64 KiB, at least 3 of them and one
 * of them a heading or a link. Each mark is found by memchr on its first
 * byte: most text holds none of them, and this runs on every page. */
static int looks_markdown(const char *s, size_t n) {
  size_t m = n > 65536 ? 65536 : n, marks = 0, strong = 0;
  const char *p = s, *end = s + m;
  /* line starts: "# heading" (1-6 marks and a space), "```" */
  while (p < end) {
    const char *k = p, *nl;
    while (k < end && *k == '#') k++;
    if (k > p && k - p <= 6 && k < end && *k == ' ') { marks++; strong++; }
    if (end - p >= 3 && memcmp(p, "```", 3) == 0) marks++;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL) break;
    p = nl + 1;
  }
  /* "](": a link */
  for (p = s; p < end && (p = memchr(p, ']', (size_t)(end - p))) != NULL; p++)
    if (p + 1 < end && p[1] == '(') { marks++; strong++; }
  /* "**": a run of k stars holds k / 2 of them */
  for (p = s; p < end && (p = memchr(p, '*', (size_t)(end - p))) != NULL;) {
    const char *q = p;
    while (q < end && *q == '*') q++;
    marks += (size_t)(q - p) / 2;
    p = q;
  }
  return marks >= 3 && strong >= 1;
}

loupe_format lp_detect_format(const char *s, size_t n) {
  if (lp_html_sniff(s, n)) return LOUPE_FORMAT_HTML;
  if (looks_markdown(s, n)) return LOUPE_FORMAT_MARKDOWN;
  return LOUPE_FORMAT_TEXT;
}
