/*
 * warc.c - the records of a web archive. The file's bytes are read
 * through a window: a plain .warc is its own window; a .warc.gz is
 * inflated a little at a time, member after member, so that memory holds
 * one record (plus a chunk) and never the whole inflated file. Response
 * records carrying an HTML or text page are given out; the others are
 * passed over and counted. A damaged record is reported with its byte
 * offset and the reader looks for the next "WARC/1." line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "extract.h"
#include "html.h"
#include "warc.h"

#define CHUNK ((size_t)64 * 1024)
#define FIELD_MAX 4096            /* longest header value kept */

/* What one record was, inside the reader (errors are LOUPE_* codes). */
enum { R_PAGE = -1, R_SKIP = -2, R_END = -3 };

/* A gzip member's start: its offset in the file and in the inflated
 * stream. */
typedef struct {
  size_t ustart, cstart;
} member;

struct lp_warc {
  const unsigned char *src;
  size_t len, max_payload;
  int gz, zlive, zeof;
  int zfresh;                  /* the next byte inflated starts a member */
  int zbad;                    /* a damaged member stopped the inflating:
                                  zerr is reported once the window is
                                  read to its end */
  char zerr[200];
  z_stream zs;
  unsigned char *buf;          /* the window: src itself when plain */
  size_t bcap, blen, pos;      /* bytes held, read position */
  size_t ubase;                /* inflated stream offset of buf[0] */
  member *mem;                 /* member starts at or after the record's */
  size_t nmem, capmem;
  lp_buf out;                  /* a payload decoded (chunked, gzip) */
  char *inflated;              /* a payload gunzipped (lp_gunzip's) */
  char type[64], uri[FIELD_MAX], date[64], id[256], ctype[256];
  char charset[64];
  lp_warc_counts counts;
};

int lp_warc_open(const char *src, size_t len, size_t max_payload,
                 lp_warc **out) {
  lp_warc *w = calloc(1, sizeof *w);
  *out = NULL;
  if (w == NULL) return LOUPE_ENOMEM;
  w->src = (const unsigned char *)src;
  w->len = len;
  w->counts.bytes = len;
  w->max_payload = max_payload;
  w->gz = lp_is_gzip(src, len);
  if (!w->gz) {
    w->buf = (unsigned char *)src;     /* read only: never written */
    w->blen = len;
    w->zeof = 1;
  } else {
    if (inflateInit2(&w->zs, 15 + 16) != Z_OK) {
      free(w);
      return LOUPE_ENOMEM;
    }
    w->zlive = 1;
    w->zfresh = 1;
    w->zs.next_in = (Bytef *)src;
    w->zs.avail_in = 0;
  }
  *out = w;
  return LOUPE_OK;
}

void lp_warc_free(lp_warc *w) {
  if (w == NULL) return;
  if (w->zlive) inflateEnd(&w->zs);
  if (w->gz) free(w->buf);
  free(w->mem);
  free(w->inflated);
  lp_buf_free(&w->out);
  free(w);
}

const lp_warc_counts *lp_warc_counts_of(const lp_warc *w) {
  return &w->counts;
}

static size_t raw_at(const lp_warc *w) {
  return (size_t)(w->zs.next_in - (const Bytef *)w->src);
}

static int add_member(lp_warc *w, size_t ustart, size_t cstart) {
  if (lp_grow(&w->mem, &w->capmem, w->nmem, sizeof *w->mem, 16))
    return LOUPE_ENOMEM;
  w->mem[w->nmem].ustart = ustart;
  w->mem[w->nmem].cstart = cstart;
  w->nmem++;
  return LOUPE_OK;
}

/* After a damaged gzip member: go on at the next gzip magic in the
 * file. */
static void gz_resync(lp_warc *w, size_t from) {
  size_t i;
  for (i = from; i + 3 <= w->len; i++)
    if (w->src[i] == 0x1F && w->src[i + 1] == 0x8B && w->src[i + 2] == 8)
      break;
  inflateReset(&w->zs);
  w->zs.next_in = (Bytef *)(w->src + i);
  w->zs.avail_in = 0;
  w->zfresh = 1;
  if (i + 3 > w->len) w->zeof = 1;
}

/* Make room in the window for need bytes past pos (dropping what was
 * read, growing it up to what need asks). */
static int make_room(lp_warc *w, size_t need) {
  if (w->pos > 0 && (w->pos >= w->bcap / 2 || w->bcap - w->blen < CHUNK)) {
    memmove(w->buf, w->buf + w->pos, w->blen - w->pos);
    w->ubase += w->pos;
    w->blen -= w->pos;
    w->pos = 0;
  }
  if (w->bcap - w->blen < CHUNK || w->bcap < need + CHUNK) {
    size_t cap = w->bcap ? w->bcap : CHUNK * 2;
    unsigned char *nb;
    while (cap < need + CHUNK || cap - w->blen < CHUNK) cap *= 2;
    nb = realloc(w->buf, cap);
    if (nb == NULL) return LOUPE_ENOMEM;
    w->buf = nb;
    w->bcap = cap;
  }
  return LOUPE_OK;
}

/* Inflate until need bytes past pos are in the window, the file ends or
 * a damaged member stops it (zbad: what the window holds is read first,
 * then the damage is reported and the next member read). Returns
 * LOUPE_OK (fewer bytes at the end) or LOUPE_ENOMEM. */
static int fill(lp_warc *w, size_t need) {
  while (w->blen - w->pos < need && !w->zeof && !w->zbad) {
    size_t room, cstart = raw_at(w);
    int zrc;
    if (make_room(w, need)) return LOUPE_ENOMEM;
    if (w->zs.avail_in == 0) {
      size_t left = w->len - cstart;
      if (left == 0) { w->zeof = 1; break; }
      w->zs.avail_in = (uInt)(left > (1u << 30) ? (1u << 30) : left);
    }
    if (w->zfresh) {
      if (add_member(w, w->ubase + w->blen, cstart)) return LOUPE_ENOMEM;
      w->zfresh = 0;
    }
    room = w->bcap - w->blen;
    if (room > (1u << 30)) room = 1u << 30;
    w->zs.next_out = w->buf + w->blen;
    w->zs.avail_out = (uInt)room;
    zrc = inflate(&w->zs, Z_NO_FLUSH);
    w->blen += room - w->zs.avail_out;
    if (zrc == Z_STREAM_END) {
      size_t at = raw_at(w);
      inflateReset(&w->zs);
      w->zfresh = 1;
      if (at + 2 > w->len || w->src[at] != 0x1F || w->src[at + 1] != 0x8B)
        w->zeof = 1;                    /* the end, or bytes after it */
      continue;
    }
    if (zrc == Z_MEM_ERROR) return LOUPE_ENOMEM;
    if (zrc == Z_OK) continue;
    {
      size_t at = w->nmem ? w->mem[w->nmem - 1].cstart : 0;
      snprintf(w->zerr, sizeof w->zerr, "byte %zu: %s gzip member (%s)", at,
               zrc == Z_BUF_ERROR ? "truncated" : "damaged",
               w->zs.msg ? w->zs.msg : "inflate failed");
      w->zbad = 1;
      gz_resync(w, at + 1);
      return LOUPE_OK;
    }
  }
  return LOUPE_OK;
}

/* The file offset of inflated stream offset u: its member's start, and
 * how far into the member u is. Members before it are dropped. */
static void where(lp_warc *w, size_t u, size_t *off, size_t *inner) {
  size_t k = 0;
  if (!w->gz) { *off = u; *inner = 0; return; }
  while (k + 1 < w->nmem && w->mem[k + 1].ustart <= u) k++;
  if (k > 0) {
    memmove(w->mem, w->mem + k, (w->nmem - k) * sizeof *w->mem);
    w->nmem -= k;
  }
  if (w->nmem == 0) { *off = raw_at(w); *inner = 0; return; }
  *off = w->mem[0].cstart;
  *inner = u - w->mem[0].ustart;
}

static int is_ws(unsigned char c) {
  return c == ' ' || c == '\t';
}

/* Copy a header's value (trimmed) into dst of cap bytes. */
static void keep(char *dst, size_t cap, const char *v, size_t n) {
  while (n > 0 && is_ws((unsigned char)*v)) { v++; n--; }
  while (n > 0 && (is_ws((unsigned char)v[n - 1]) || v[n - 1] == '\r')) n--;
  if (n >= cap) n = cap - 1;
  memcpy(dst, v, n);
  dst[n] = '\0';
}

/* The end of a header block at s (n bytes): the offset just past its
 * blank line, or 0 when there is none. */
static size_t header_end(const char *s, size_t n) {
  size_t i;
  for (i = 0; i + 1 < n; i++) {
    if (s[i] != '\n') continue;
    if (s[i + 1] == '\n') return i + 2;
    if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') return i + 3;
  }
  return 0;
}

/* Whether header line l (n bytes) is name:, and where its value is. */
static int header_is(const char *l, size_t n, const char *name,
                     const char **v, size_t *vn) {
  size_t m = strlen(name);
  if (n <= m || l[m] != ':' || !lp_starts_ci(l, m, name)) return 0;
  *v = l + m + 1;
  *vn = n - m - 1;
  return 1;
}

typedef struct {
  size_t clen;
  int have_len;
} warc_head;

/* Read the WARC header lines of h (n bytes, the version line first). */
static void read_warc_head(lp_warc *w, const char *h, size_t n,
                           warc_head *wh) {
  size_t i = 0;
  w->type[0] = w->uri[0] = w->date[0] = w->id[0] = w->ctype[0] = '\0';
  wh->have_len = 0;
  wh->clen = 0;
  while (i < n) {
    const char *l = h + i, *e = memchr(l, '\n', n - i), *v;
    size_t ln = e ? (size_t)(e - l) : n - i, vn;
    i += ln + 1;
    if (header_is(l, ln, "WARC-Type", &v, &vn))
      keep(w->type, sizeof w->type, v, vn);
    else if (header_is(l, ln, "WARC-Target-URI", &v, &vn)) {
      keep(w->uri, sizeof w->uri, v, vn);
      if (w->uri[0] == '<') {            /* WARC 1.0's <uri> form */
        size_t k = strlen(w->uri);
        if (k >= 2 && w->uri[k - 1] == '>') {
          memmove(w->uri, w->uri + 1, k - 2);
          w->uri[k - 2] = '\0';
        }
      }
    } else if (header_is(l, ln, "WARC-Date", &v, &vn))
      keep(w->date, sizeof w->date, v, vn);
    else if (header_is(l, ln, "WARC-Record-ID", &v, &vn))
      keep(w->id, sizeof w->id, v, vn);
    else if (header_is(l, ln, "Content-Type", &v, &vn))
      keep(w->ctype, sizeof w->ctype, v, vn);
    else if (header_is(l, ln, "Content-Length", &v, &vn)) {
      char num[32];
      char *end;
      unsigned long long x;
      keep(num, sizeof num, v, vn);
      x = strtoull(num, &end, 10);
      if (num[0] >= '0' && num[0] <= '9' && *end == '\0') {
        wh->clen = (size_t)x;
        wh->have_len = 1;
      }
    }
  }
}

/* Move past the blank lines between records (the CRLF CRLF after a
 * block, and any stray ones). */
static int skip_blank(lp_warc *w) {
  for (;;) {
    int rc = fill(w, 1);
    if (rc) return rc;
    if (w->pos >= w->blen) return LOUPE_OK;
    if (w->buf[w->pos] != '\r' && w->buf[w->pos] != '\n') return LOUPE_OK;
    w->pos++;
  }
}

/* Pass over the n-byte block of the record at off without holding it;
 * a file that ends first is a truncated record. */
static int skip_bytes(lp_warc *w, size_t n, size_t off, char *err,
                      size_t errcap) {
  size_t want = n;
  while (n > 0) {
    size_t have, take;
    int rc = fill(w, 1);
    if (rc) return rc;
    have = w->blen - w->pos;
    if (have == 0) {
      w->counts.damaged++;
      snprintf(err, errcap, "byte %zu: truncated WARC record (Content-Length "
               "%zu, %zu bytes left)", off, want, want - n);
      return LOUPE_EENCODING;
    }
    take = have < n ? have : n;
    w->pos += take;
    n -= take;
  }
  return LOUPE_OK;
}

/* Go on at the next line starting "WARC/1." after the current position
 * (plus at least one byte). */
static int resync(lp_warc *w) {
  if (w->pos < w->blen) w->pos++;
  for (;;) {
    size_t i, have;
    int rc = fill(w, 8);
    if (rc) return rc;
    have = w->blen - w->pos;
    if (have < 8) { w->pos = w->blen; return LOUPE_OK; }
    for (i = w->pos; i + 7 <= w->blen; i++) {
      if (memcmp(w->buf + i, "WARC/1.", 7) == 0 &&
          (i == 0 || w->buf[i - 1] == '\n')) {
        w->pos = i;
        return LOUPE_OK;
      }
    }
    w->pos = w->blen - 7;   /* keep a line start cut at the window's end */
    if (w->zeof) { w->pos = w->blen; return LOUPE_OK; }
  }
}

static int warc_http(lp_warc *w, const char *blk, size_t n,
                     lp_warc_record *rec, char *err, size_t errcap);

/* One record at pos: R_PAGE and rec for a page, R_SKIP for a record
 * passed over, R_END at the end, or an error (after which the reader
 * has resynchronised or, for LOUPE_ENOMEM, stopped). */
static int one_record(lp_warc *w, lp_warc_record *rec, char *err,
                      size_t errcap) {
  size_t hend, have, off, inner;
  warc_head wh;
  const char *h;
  int rc = skip_blank(w);
  if (rc) return rc;
  rc = fill(w, LP_WARC_MAX_HEADER);
  if (rc) return rc;
  have = w->blen - w->pos;
  if (have == 0 && w->zbad) {
    /* the window is read: the damaged member it ended at, then on */
    w->zbad = 0;
    w->counts.damaged++;
    snprintf(err, errcap, "%s", w->zerr);
    return LOUPE_EENCODING;
  }
  if (have == 0) return R_END;
  where(w, w->ubase + w->pos, &off, &inner);
  h = (const char *)w->buf + w->pos;
  if (have < 8 || memcmp(h, "WARC/1.", 7) != 0) {
    w->counts.damaged++;
    snprintf(err, errcap, "byte %zu: no WARC record starts here (a WARC/1.0 "
             "or WARC/1.1 line was expected)", off);
    rc = resync(w);
    return rc ? rc : LOUPE_EENCODING;
  }
  w->counts.records++;
  hend = header_end(h, have > LP_WARC_MAX_HEADER ? LP_WARC_MAX_HEADER
                                                 : have);
  read_warc_head(w, h, hend ? hend : 0, &wh);
  if (hend == 0 || !wh.have_len) {
    w->counts.damaged++;
    snprintf(err, errcap, "byte %zu: damaged WARC record (%s)", off,
             hend == 0 ? "no end to its headers within 64 KiB"
                       : "no valid Content-Length");
    rc = resync(w);
    return rc ? rc : LOUPE_EENCODING;
  }
  w->pos += hend;
  if (strcmp(w->type, "response") != 0 ||
      !lp_starts_ci(w->ctype, strlen(w->ctype), "application/http")) {
    rc = skip_bytes(w, wh.clen, off, err, errcap);
    return rc ? rc : R_SKIP;
  }
  w->counts.responses++;
  if (wh.clen > w->max_payload + LP_WARC_MAX_HEADER) {
    snprintf(err, errcap, "byte %zu: response record of %zu bytes is over "
             "the limit of %zu bytes per page", off, wh.clen, w->max_payload);
    rc = skip_bytes(w, wh.clen, off, err, errcap);
    return rc ? rc : LOUPE_ELIMIT;
  }
  rc = fill(w, wh.clen);
  if (rc) return rc;
  if (w->blen - w->pos < wh.clen) {
    w->counts.damaged++;
    snprintf(err, errcap, "byte %zu: truncated WARC record (Content-Length "
             "%zu, %zu bytes left)", off, wh.clen, w->blen - w->pos);
    w->pos = w->blen;
    return LOUPE_EENCODING;
  }
  h = (const char *)w->buf + w->pos;
  w->pos += wh.clen;
  memset(rec, 0, sizeof *rec);
  rec->offset = off;
  rec->inner = inner;
  rc = warc_http(w, h, wh.clen, rec, err, errcap);
  if (rc == R_PAGE || rc == R_SKIP) return rc;
  {
    /* the HTTP part's message, with the record's place in front */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s", err);
    snprintf(err, errcap, "byte %zu: %s", off, tmp);
  }
  return rc;
}

int lp_warc_next(lp_warc *w, lp_warc_record *rec, int *got, char *err,
                 size_t errcap) {
  *got = 0;
  if (errcap) err[0] = '\0';
  free(w->inflated);
  w->inflated = NULL;
  w->out.len = 0;
  for (;;) {
    int rc = one_record(w, rec, err, errcap);
    if (rc == R_SKIP) continue;
    if (rc == R_END) return LOUPE_OK;
    if (rc == R_PAGE) {
      rec->target_uri = w->uri;
      rec->date = w->date;
      rec->record_id = w->id;
      rec->charset = w->charset;
      w->counts.pages++;
      *got = 1;
      return LOUPE_OK;
    }
    return rc;
  }
}

/* ---- the HTTP response inside a record ---- */

/* The media type and charset of a Content-Type value v (n bytes). */
static void media_type(lp_warc *w, const char *v, size_t n, char *mt,
                       size_t mtcap) {
  size_t i, k = 0;
  while (n > 0 && is_ws((unsigned char)*v)) { v++; n--; }
  for (i = 0; i < n && v[i] != ';' && v[i] != '\r' &&
              !is_ws((unsigned char)v[i]); i++)
    if (k + 1 < mtcap) {
      char c = v[i];
      mt[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  mt[k] = '\0';
  for (; i + 8 <= n; i++) {
    if (lp_starts_ci(v + i, n - i, "charset=")) {
      size_t s = i + 8, e;
      if (s < n && (v[s] == '"' || v[s] == '\'')) s++;
      for (e = s; e < n && v[e] != '"' && v[e] != '\'' && v[e] != ';' &&
                  !is_ws((unsigned char)v[e]) && v[e] != '\r'; e++) {}
      keep(w->charset, sizeof w->charset, v + s, e - s);
      return;
    }
  }
}

/* Undo Transfer-Encoding: chunked from body (n bytes) into w->out.
 * Returns LOUPE_OK, LOUPE_EENCODING (a damaged chunk), LOUPE_ELIMIT,
 * LOUPE_ENOMEM. */
static int dechunk(lp_warc *w, const char *b, size_t n, char *err,
                   size_t errcap) {
  size_t i = 0;
  w->out.len = 0;
  for (;;) {
    size_t size = 0, digits = 0;
    while (i < n) {
      char c = b[i];
      int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) break;
      if (size > (SIZE_MAX >> 4)) break;
      size = size * 16 + (size_t)d;
      digits++;
      i++;
    }
    while (i < n && b[i] != '\n') i++;   /* chunk extensions, CR */
    if (digits == 0 || i >= n) {
      snprintf(err, errcap, "damaged chunked transfer encoding");
      return LOUPE_EENCODING;
    }
    i++;
    if (size == 0) return LOUPE_OK;      /* trailers are not read */
    if (size > n - i) {
      snprintf(err, errcap, "damaged chunked transfer encoding (a chunk "
               "runs past the record)");
      return LOUPE_EENCODING;
    }
    if (w->out.len + size > w->max_payload) {
      snprintf(err, errcap, "page over the limit of %zu bytes",
               w->max_payload);
      return LOUPE_ELIMIT;
    }
    if (lp_buf_append(&w->out, b + i, size)) return LOUPE_ENOMEM;
    i += size;
    if (i < n && b[i] == '\r') i++;
    if (i < n && b[i] == '\n') i++;
  }
}

typedef struct {
  int chunked, gzip, other_encoding;
  char mt[96];
} http_head;

static void read_http_head(lp_warc *w, const char *h, size_t n,
                           http_head *hh) {
  size_t i = 0;
  memset(hh, 0, sizeof *hh);
  w->charset[0] = '\0';
  while (i < n) {
    const char *l = h + i, *e = memchr(l, '\n', n - i), *v;
    size_t ln = e ? (size_t)(e - l) : n - i, vn;
    char val[64];
    i += ln + 1;
    if (header_is(l, ln, "Content-Type", &v, &vn))
      media_type(w, v, vn, hh->mt, sizeof hh->mt);
    else if (header_is(l, ln, "Transfer-Encoding", &v, &vn)) {
      keep(val, sizeof val, v, vn);
      if (lp_starts_ci(val, strlen(val), "chunked")) hh->chunked = 1;
    } else if (header_is(l, ln, "Content-Encoding", &v, &vn)) {
      keep(val, sizeof val, v, vn);
      if (lp_starts_ci(val, strlen(val), "gzip") ||
          lp_starts_ci(val, strlen(val), "x-gzip"))
        hh->gzip = 1;
      else if (val[0] && !lp_starts_ci(val, strlen(val), "identity"))
        hh->other_encoding = 1;
    }
  }
}

/* The page kind a media type is: HTML, text, or 0 (not a page). */
static int page_kind(const char *mt) {
  if (strcmp(mt, "text/html") == 0 ||
      strcmp(mt, "application/xhtml+xml") == 0)
    return LP_WARC_HTML;
  if (strcmp(mt, "text/plain") == 0) return LP_WARC_TEXT;
  return 0;
}

/* The HTTP response of a response record's block (n bytes): R_PAGE with
 * the page in rec, R_SKIP when it is no page, or an error with err set. */
static int warc_http(lp_warc *w, const char *blk, size_t n,
                     lp_warc_record *rec, char *err, size_t errcap) {
  size_t hend, lim = n > LP_WARC_MAX_HEADER ? LP_WARC_MAX_HEADER : n;
  const char *body;
  size_t blen;
  http_head hh;
  int status = 0;
  if (n < 12 || memcmp(blk, "HTTP/", 5) != 0) {
    w->counts.damaged++;
    snprintf(err, errcap, "response record without an HTTP status line");
    return LOUPE_EENCODING;
  }
  {
    const char *sp = memchr(blk, ' ', lim);
    if (sp && (size_t)(sp - blk) + 4 <= n)
      status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
  }
  hend = header_end(blk, lim);
  if (hend == 0) {
    w->counts.damaged++;
    snprintf(err, errcap, "HTTP headers without an end within 64 KiB");
    return LOUPE_EENCODING;
  }
  read_http_head(w, blk, hend, &hh);
  rec->http_status = status;
  /* no Content-Type at all: told from the content below */
  rec->kind = hh.mt[0] ? page_kind(hh.mt) : LP_WARC_HTML;
  if (rec->kind == 0 || status < 200 || status > 299) {
    w->counts.not_page++;
    return R_SKIP;
  }
  body = blk + hend;
  blen = n - hend;
  if (hh.other_encoding) {
    snprintf(err, errcap, "a Content-Encoding loupe does not read (gzip "
             "only)");
    return LOUPE_EENCODING;
  }
  if (hh.chunked) {
    int rc = dechunk(w, body, blen, err, errcap);
    if (rc) return rc;
    body = w->out.p ? w->out.p : "";
    blen = w->out.len;
  }
  if (hh.gzip && lp_is_gzip(body, blen)) {
    size_t olen;
    int rc = lp_gunzip(body, blen, w->max_payload, &w->inflated, &olen, err,
                       errcap);
    if (rc) return rc;
    body = w->inflated;
    blen = olen;
  }
  if (blen > w->max_payload) {
    snprintf(err, errcap, "page over the limit of %zu bytes", w->max_payload);
    return LOUPE_ELIMIT;
  }
  if (hh.mt[0] == '\0' && !lp_html_sniff(body, blen)) {
    w->counts.not_page++;
    return R_SKIP;
  }
  rec->payload = body;
  rec->payload_len = blen;
  return R_PAGE;
}
