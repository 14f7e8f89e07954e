/*
 * test_warc.c - the WARC reader (extract/warc.c) on invented archives
 * built here: a warcinfo record, a request, an HTML response sent with
 * gzip content encoding, a chunked one, a revisit, a PDF response and a
 * text/plain one; read plain, as one gzip member per record, and as one
 * gzip member for the whole file; damaged records and members, a
 * truncated archive, the page limit. Ends with
 * "test_warc: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "extract/warc.h"

#define NREC 7

static const char PAGE_A[] =
  "<html><head><title>Ferry timetable changes in Osterby</title></head>"
  "<body><h1>Ferry timetable changes in Osterby</h1><p>The morning ferry "
  "to the islands leaves twenty minutes earlier from Monday, the shipping "
  "company said.</p></body></html>";
static const char PAGE_B[] =
  "<html><body><h1>Library opens on Sundays</h1><p>The town library in "
  "Kettleby will open on Sunday afternoons through the winter, the "
  "council decided on Thursday after a petition from readers.</p>"
  "</body></html>";
static const char NOTE[] = "Road works on the coast road end on Friday.\n";

/* A growing byte string. */
typedef struct {
  char *p;
  size_t n, cap;
} bytes;

static void put(bytes *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (b->p == NULL) abort();
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void puts_(bytes *b, const char *s) { put(b, s, strlen(s)); }

/* s (n bytes) as one gzip member appended to out. */
static void gzip_member(bytes *out, const char *s, size_t n) {
  z_stream zs;
  unsigned char buf[65536];
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    abort();
  zs.next_in = (Bytef *)s;
  zs.avail_in = (uInt)n;
  for (;;) {
    int rc;
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = deflate(&zs, Z_FINISH);
    put(out, buf, sizeof buf - zs.avail_out);
    if (rc == Z_STREAM_END) break;
  }
  deflateEnd(&zs);
}

static void record(bytes *out, const char *type, const char *uri,
                   const char *ctype, const char *block, size_t n) {
  char head[1024];
  snprintf(head, sizeof head, "WARC/1.0\r\nWARC-Type: %s\r\n"
           "WARC-Record-ID: <urn:uuid:rec-%s-%zu>\r\n"
           "WARC-Date: 2024-03-01T12:00:00Z\r\n%s%s%s"
           "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", type, type, n,
           uri ? "WARC-Target-URI: <" : "", uri ? uri : "",
           uri ? ">\r\n" : "", ctype, n);
  puts_(out, head);
  put(out, block, n);
  puts_(out, "\r\n\r\n");
}

static void http(bytes *out, const char *ctype, const char *extra,
                 const char *body, size_t n) {
  char head[512];
  snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n%s"
           "\r\n", ctype, extra);
  puts_(out, head);
  put(out, body, n);
}

/* The records of the test archive, each its own string. */
static void build(bytes rec[NREC]) {
  bytes blk = {0}, gz = {0}, ch = {0};
  size_t i, n = strlen(PAGE_B);
  memset(rec, 0, NREC * sizeof *rec);
  record(&rec[0], "warcinfo", NULL, "application/warc-fields",
         "software: test\r\n", 16);
  record(&rec[1], "request", "https://ferries.example/osterby",
         "application/http;msgtype=request",
         "GET /osterby HTTP/1.1\r\n\r\n", 25);
  gzip_member(&gz, PAGE_A, strlen(PAGE_A));
  http(&blk, "text/html; charset=\"ISO-8859-1\"", "Content-Encoding: gzip\r\n",
       gz.p, gz.n);
  record(&rec[2], "response", "https://ferries.example/osterby",
         "application/http;msgtype=response", blk.p, blk.n);
  for (i = 0; i < n; i += 40) {
    char sz[16];
    size_t k = n - i < 40 ? n - i : 40;
    snprintf(sz, sizeof sz, "%zx\r\n", k);
    puts_(&ch, sz);
    put(&ch, PAGE_B + i, k);
    puts_(&ch, "\r\n");
  }
  puts_(&ch, "0\r\n\r\n");
  blk.n = 0;
  http(&blk, "text/html", "Transfer-Encoding: chunked\r\n", ch.p, ch.n);
  record(&rec[3], "response", "https://kettleby.example/library",
         "application/http; msgtype=response", blk.p, blk.n);
  record(&rec[4], "revisit", "https://ferries.example/osterby",
         "application/http; msgtype=response",
         "HTTP/1.1 200 OK\r\n\r\n", 19);
  blk.n = 0;
  http(&blk, "application/pdf", "", "%PDF-1.4\n%%EOF\n", 15);
  record(&rec[5], "response", "https://ferries.example/t.pdf",
         "application/http; msgtype=response", blk.p, blk.n);
  blk.n = 0;
  http(&blk, "text/plain; charset=utf-8", "", NOTE, strlen(NOTE));
  record(&rec[6], "response", "https://roads.example/note.txt",
         "application/http; msgtype=response", blk.p, blk.n);
  free(blk.p);
  free(gz.p);
  free(ch.p);
}

typedef struct {
  int pages, errors;
  size_t offsets[8], inner[8];
  char uri[8][64], err[8][300];
} seen;

/* Read every page of data; the payloads are checked as they come. */
static void read_all(const char *data, size_t n, size_t max, seen *s) {
  lp_warc *w;
  lp_warc_record r;
  char err[300];
  int got, rc;
  memset(s, 0, sizeof *s);
  CHECK_RC("open", lp_warc_open(data, n, max, &w), LOUPE_OK);
  for (;;) {
    rc = lp_warc_next(w, &r, &got, err, sizeof err);
    if (rc == LOUPE_OK && !got) break;
    if (rc != LOUPE_OK) {
      if (s->errors < 8) snprintf(s->err[s->errors], 300, "%s", err);
      s->errors++;
      if (rc == LOUPE_ENOMEM) break;
      continue;
    }
    if (s->pages < 8) {
      s->offsets[s->pages] = r.offset;
      s->inner[s->pages] = r.inner;
      snprintf(s->uri[s->pages], 64, "%s", r.target_uri);
    }
    if (strstr(r.target_uri, "osterby")) {
      CHECK(r.payload_len == strlen(PAGE_A) &&
            memcmp(r.payload, PAGE_A, r.payload_len) == 0, "gzip page undone");
      CHECK(strcmp(r.charset, "ISO-8859-1") == 0, "charset %s", r.charset);
      CHECK(r.kind == LP_WARC_HTML, "html");
    } else if (strstr(r.target_uri, "kettleby")) {
      CHECK(r.payload_len == strlen(PAGE_B) &&
            memcmp(r.payload, PAGE_B, r.payload_len) == 0,
            "chunked page undone: %.*s", (int)r.payload_len, r.payload);
      CHECK(r.charset[0] == '\0', "no charset");
    } else if (strstr(r.target_uri, "roads")) {
      CHECK(r.kind == LP_WARC_TEXT, "text/plain is text");
      CHECK(r.payload_len == strlen(NOTE), "note");
    }
    CHECK(strcmp(r.date, "2024-03-01T12:00:00Z") == 0, "date %s", r.date);
    CHECK(strncmp(r.record_id, "<urn:uuid:rec-response-", 23) == 0, "id %s",
          r.record_id);
    s->pages++;
  }
  lp_warc_free(w);
}

/* s read the whole test archive: its three pages at the offsets of
 * records 2, 3 and 6, no error (what names the reading). */
static void check_pages(const char *what, const seen *s,
                        const size_t off[NREC]) {
  static const int page_rec[3] = {2, 3, 6};
  char name[64];
  int k;
  snprintf(name, sizeof name, "%s pages", what);
  CHECK_INT(name, s->pages, 3);
  snprintf(name, sizeof name, "%s errors", what);
  CHECK_INT(name, s->errors, 0);
  for (k = 0; k < 3; k++) {
    snprintf(name, sizeof name, "%s offset %d", what, k + 1);
    CHECK_INT(name, s->offsets[k], off[page_rec[k]]);
  }
}

/* The first error of s says "byte <off>: <msg>". */
static void check_first_error(const seen *s, size_t off, const char *msg) {
  char want[64];
  snprintf(want, sizeof want, "byte %zu: %s", off, msg);
  CHECK(strncmp(s->err[0], want, strlen(want)) == 0, "%s", s->err[0]);
}

static void test_plain(const bytes rec[NREC]) {
  bytes all = {0};
  size_t off[NREC], i;
  seen s;
  for (i = 0; i < NREC; i++) {
    off[i] = all.n;
    put(&all, rec[i].p, rec[i].n);
  }
  read_all(all.p, all.n, 1 << 20, &s);
  check_pages("plain", &s, off);
  CHECK(strcmp(s.uri[0], "https://ferries.example/osterby") == 0,
        "<uri> unwrapped: %s", s.uri[0]);
  /* a page limit below the gzip page's size: that record fails, alone */
  read_all(all.p, all.n, 100, &s);
  CHECK_INT("pages under a limit", s.pages, 1);
  CHECK_INT("errors under a limit", s.errors, 2);
  CHECK(strstr(s.err[0], "limit") != NULL, "limit message: %s", s.err[0]);
  /* a truncated archive: the last record is cut */
  read_all(all.p, all.n - 30, 1 << 20, &s);
  CHECK_INT("pages of a cut archive", s.pages, 2);
  CHECK_INT("errors of a cut archive", s.errors, 1);
  check_first_error(&s, off[6], "truncated WARC record");
  /* garbage between records: named by its offset, then the next record */
  {
    bytes bad = {0};
    put(&bad, all.p, off[3]);
    puts_(&bad, "this is no record\r\n\r\n");
    put(&bad, all.p + off[3], all.n - off[3]);
    read_all(bad.p, bad.n, 1 << 20, &s);
    CHECK_INT("pages around garbage", s.pages, 3);
    CHECK_INT("garbage errors", s.errors, 1);
    check_first_error(&s, off[3], "no WARC record");
    free(bad.p);
  }
  free(all.p);
}

static void test_gzip(const bytes rec[NREC]) {
  bytes gz = {0}, one = {0}, plain = {0};
  size_t off[NREC], i;
  seen s;
  for (i = 0; i < NREC; i++) {
    off[i] = gz.n;
    gzip_member(&gz, rec[i].p, rec[i].n);
    put(&plain, rec[i].p, rec[i].n);
  }
  read_all(gz.p, gz.n, 1 << 20, &s);
  check_pages("gz", &s, off);
  CHECK_INT("gz inner", s.inner[0] + s.inner[1] + s.inner[2], 0);
  /* a damaged member (its deflate data overwritten): named, then the
   * next member is read */
  {
    bytes bad = {0};
    put(&bad, gz.p, gz.n);
    memset(bad.p + off[3] + 12, 0xFF, 24);
    read_all(bad.p, bad.n, 1 << 20, &s);
    CHECK_INT("pages past a damaged member", s.pages, 2);
    CHECK(s.errors >= 1, "damaged member reported");
    check_first_error(&s, off[3], "damaged gzip member");
    free(bad.p);
  }
  /* the whole file as one member: offsets inside it */
  gzip_member(&one, plain.p, plain.n);
  read_all(one.p, one.n, 1 << 20, &s);
  CHECK_INT("one-member pages", s.pages, 3);
  CHECK_INT("one-member offset", s.offsets[1], 0);
  CHECK_INT("one-member inner", s.inner[1], rec[0].n + rec[1].n + rec[2].n);
  free(gz.p);
  free(one.p);
  free(plain.p);
}

static void test_nothing(void) {
  seen s;
  read_all("", 0, 1 << 20, &s);
  CHECK_INT("empty pages", s.pages, 0);
  CHECK_INT("empty errors", s.errors, 0);
  {
    const char *cut = "WARC/1.1\r\nContent-Length: 99999\r\n\r\nshort";
    read_all(cut, strlen(cut), 1 << 20, &s);
  }
  CHECK_INT("short record errors", s.errors, 1);
  CHECK(strncmp(s.err[0], "byte 0: truncated WARC record (Content-Length "
                "99999, 5 bytes left)", 60) == 0, "%s", s.err[0]);
}

/* Read data to its end; the number of pages, or -1 when the reader did
 * not end (more results than the bytes could hold). */
static int pages_of(const char *data, size_t n) {
  lp_warc *w;
  lp_warc_record r;
  char err[300];
  int got, rc, pages = 0, steps = 0;
  if (lp_warc_open(data, n, 1 << 20, &w) != LOUPE_OK) return -1;
  while (steps++ < 10000) {
    rc = lp_warc_next(w, &r, &got, err, sizeof err);
    if (rc == LOUPE_OK && !got) break;
    if (rc == LOUPE_ENOMEM) { pages = -1; break; }
    if (rc == LOUPE_OK) {
      volatile char last = 0;
      pages++;
      /* the payload is readable to its last byte (ASan would say) */
      if (r.payload_len) last = r.payload[r.payload_len - 1];
      (void)last;
    } else if (strncmp(err, "byte ", 5) != 0) {
      pages = -1;                       /* a message without its place */
      break;
    }
  }
  lp_warc_free(w);
  return steps >= 10000 ? -1 : pages;
}

/* How many cuts of b (every length from 0 to all of it) the reader reads
 * badly: it does not end, or gives more than the 3 pages there are. */
static size_t cuts_read_badly(const bytes *b) {
  size_t i, worst = 0;
  for (i = 0; i <= b->n; i++) {
    int p = pages_of(b->p, i);
    if (p < 0 || p > 3) worst++;
  }
  return worst;
}

/* How many copies of b with one byte changed the reader reads badly. */
static size_t flips_read_badly(const bytes *b) {
  bytes tmp = {0};
  size_t i, worst = 0;
  put(&tmp, b->p, b->n);
  for (i = 0; i < b->n; i++) {
    int p;
    tmp.p[i] = (char)(tmp.p[i] ^ 0x5A);
    p = pages_of(tmp.p, tmp.n);
    if (p < 0 || p > 3) worst++;
    tmp.p[i] = b->p[i];
  }
  free(tmp.p);
  return worst;
}

/* Every cut of an archive and every byte of it changed: the reader ends,
 * names a place in every message, never gives more pages than there
 * are (ASan checks the reads). */
static void test_damage(const bytes rec[NREC]) {
  bytes all = {0}, gz = {0};
  size_t i;
  for (i = 0; i < NREC; i++) {
    put(&all, rec[i].p, rec[i].n);
    gzip_member(&gz, rec[i].p, rec[i].n);
  }
  CHECK_INT("cuts read badly", cuts_read_badly(&all) + cuts_read_badly(&gz),
            0);
  CHECK_INT("changed bytes read badly",
            flips_read_badly(&all) + flips_read_badly(&gz), 0);
  free(all.p);
  free(gz.p);
}

/* A response without a Content-Type: a page when its content is HTML,
 * passed over when it is not. */
static void test_untyped(void) {
  bytes a = {0}, blk = {0};
  seen s;
  puts_(&blk, "HTTP/1.0 200 OK\r\nServer: old\r\n\r\n");
  puts_(&blk, PAGE_A);
  record(&a, "response", "http://old.example/a", "application/http",
         blk.p, blk.n);
  blk.n = 0;
  puts_(&blk, "HTTP/1.0 200 OK\r\n\r\n\x89PNG\r\n\x1a\n\x01\x02");
  record(&a, "response", "http://old.example/b.png", "application/http",
         blk.p, blk.n);
  read_all(a.p, a.n, 1 << 20, &s);
  CHECK_INT("untyped pages", s.pages, 1);
  CHECK(strcmp(s.uri[0], "http://old.example/a") == 0, "%s", s.uri[0]);
  CHECK_INT("untyped errors", s.errors, 0);
  free(a.p);
  free(blk.p);
}

int main(void) {
  bytes rec[NREC];
  size_t i;
  build(rec);
  test_plain(rec);
  test_gzip(rec);
  test_nothing();
  test_untyped();
  test_damage(rec);
  for (i = 0; i < NREC; i++) free(rec[i].p);
  printf("test_warc: %d passed, %d failed\n", passes, failures);
  return failures != 0;
}
