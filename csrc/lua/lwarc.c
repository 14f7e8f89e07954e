/*
 * lwarc.c - web archives for the ingest: core.warc_open(bytes) reads the
 * pages of a .warc or .warc.gz file's bytes (see extract/warc.h), and
 * reader:store(db, path) stores the page last read as db:add would, with
 * the record's URL when the page gives none and the HTTP charset when
 * the page declares none. core.warc_open_file(path) maps the file
 * instead (the system pages it in and out: an archive of gigabytes
 * costs no memory of its own).
 */
#define _POSIX_C_SOURCE 200809L   /* mmap, posix_madvise */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "../extract/extract.h"   /* lp_starts_ci */
#include "../extract/warc.h"
#include "lbind.h"

#define WARC_MT "loupe.WarcReader"

typedef struct {
  lp_warc *w;               /* NULL once closed */
  loupe_parser *p;          /* parses the pages stored */
  lp_warc_record rec;
  int have;                 /* rec holds a page */
  void *map;                /* the mapped file (warc_open_file), or NULL */
  size_t maplen;
} lwarc;

static int lwarc_gc(lua_State *L) {
  lwarc *r = lua_touserdata(L, 1);
  if (r && r->w) {
    lp_warc_free(r->w);
    r->w = NULL;
  }
  if (r && r->p) {
    loupe_parser_free(r->p);
    r->p = NULL;
  }
  if (r && r->map) {
    munmap(r->map, r->maplen);
    r->map = NULL;
  }
  if (r) r->have = 0;
  return 0;
}

/* core.warc_open(bytes) -> reader (the bytes are kept while it lives) */
int lb_core_warc_open(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lwarc *r = lua_newuserdatauv(L, sizeof *r, 1);
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, WARC_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if (loupe_parser_new(&r->p) != LOUPE_OK ||
      lp_warc_open(s, len, (size_t)256 << 20, &r->w) != LOUPE_OK)
    return luaL_error(L, "loupe: out of memory");
  return 1;
}

/* core.warc_open_file(path) -> reader | nil, message, code: the file
 * mapped into memory read-only, read as warc_open reads bytes. */
int lb_core_warc_open_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  lwarc *r = lua_newuserdatauv(L, sizeof *r, 0);
  const char *bytes = "";
  int fd;
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, WARC_MT);
  fd = open(path, O_RDONLY);
  if (fd < 0) return lb_fail(L, LOUPE_EIO, path, strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = errno;
    close(fd);
    return lb_fail(L, LOUPE_EIO, path, S_ISREG(st.st_mode) ? strerror(e)
                                        : "not a regular file");
  }
  if (st.st_size > 0) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
      int e = errno;
      close(fd);
      return lb_fail(L, LOUPE_EIO, path, strerror(e));
    }
    posix_madvise(m, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
    r->map = m;
    r->maplen = (size_t)st.st_size;
    bytes = m;
  }
  close(fd);                /* the mapping stays */
  if (loupe_parser_new(&r->p) != LOUPE_OK ||
      lp_warc_open(bytes, r->maplen, (size_t)256 << 20, &r->w) != LOUPE_OK)
    return luaL_error(L, "loupe: out of memory");
  return 1;
}

/* Push the page record rec as a table (reader:next() says its keys). */
static void push_page(lua_State *L, const lp_warc_record *rec) {
  static const char *const int_keys[] = {"offset", "inner", "status",
                                         "bytes"};
  static const char *const str_keys[] = {"uri", "date", "id", "charset",
                                         "kind"};
  const lua_Integer ints[] = {(lua_Integer)rec->offset,
                              (lua_Integer)rec->inner, rec->http_status,
                              (lua_Integer)rec->payload_len};
  const char *const strs[] = {rec->target_uri, rec->date, rec->record_id,
    rec->charset, rec->kind == LP_WARC_HTML ? "html" : "text"};
  lua_createtable(L, 0, 9);
  lb_set_ints(L, int_keys, ints, 4);
  lb_set_strs(L, str_keys, strs, 5);
}

/* reader:next() -> page | nil at the end | false, message, code for a
 * damaged record (call again: the reader goes on after it). The page:
 * {offset, inner, uri, date, id, charset, kind = "html"|"text", status,
 * bytes}. */
static int lwarc_next(lua_State *L) {
  lwarc *r = lb_check_open(L, 1, WARC_MT, "WARC reader");
  char err[400];
  int got = 0, rc = lp_warc_next(r->w, &r->rec, &got, err, sizeof err);
  r->have = rc == LOUPE_OK && got;
  if (rc == LOUPE_ENOMEM) return luaL_error(L, "loupe: out of memory");
  if (rc == LOUPE_OK && !got) {
    lua_pushnil(L);
    return 1;
  }
  if (rc != LOUPE_OK) {
    lua_pushboolean(L, 0);
    lua_pushstring(L, err);
    lua_pushstring(L, loupe_errstr(rc));
    return 3;
  }
  push_page(L, &r->rec);
  return 1;
}

/* reader:payload() -> the page's bytes (after next() gave a page) */
static int lwarc_payload(lua_State *L) {
  lwarc *r = lb_check_open(L, 1, WARC_MT, "WARC reader");
  if (!r->have) return luaL_error(L, "loupe: no WARC page was read");
  lua_pushlstring(L, r->rec.payload, r->rec.payload_len);
  return 1;
}

/* reader:counts() -> {bytes, records, responses, pages, not_page,
 * damaged} */
static int lwarc_counts(lua_State *L) {
  lwarc *r = lb_check_open(L, 1, WARC_MT, "WARC reader");
  static const char *const keys[] = {"bytes", "records", "responses",
                                     "pages", "not_page", "damaged"};
  const lp_warc_counts *c = lp_warc_counts_of(r->w);
  const lua_Integer ints[] = {(lua_Integer)c->bytes, (lua_Integer)c->records,
    (lua_Integer)c->responses, (lua_Integer)c->pages,
    (lua_Integer)c->not_page, (lua_Integer)c->damaged};
  lua_createtable(L, 0, 6);
  lb_set_ints(L, keys, ints, 6);
  return 1;
}

/* Whether the page declares its own charset: a byte-order mark, a
 * "charset" (a meta element's) in its first 4 KiB, or an XML
 * declaration's encoding. */
static int page_says_charset(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i, m = n > 4096 ? 4096 : n;
  if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                 (u[0] == 0xFE && u[1] == 0xFF)))
    return 1;
  if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) return 1;
  if (lp_starts_ci(s, m, "<?xml")) {
    const char *e = memchr(s, '>', m);
    for (i = 0; e && s + i < e; i++)
      if (lp_starts_ci(s + i, (size_t)(e - s) - i, "encoding")) return 1;
  }
  for (i = 0; i < m; i++)
    if ((s[i] | 0x20) == 'c' && lp_starts_ci(s + i, m - i, "charset")) return 1;
  return 0;
}

/* Whether a WARC-Date value has the shape of an ISO 8601 time (digits
 * and its marks only): anything else in the header is not kept. */
static int looks_like_date(const char *s) {
  size_t n = strlen(s);
  return n >= 10 && n <= 40 && strspn(s, "0123456789-:TZ.+") == n &&
         s[4] == '-';
}

/* Parse the page read and store it under path (a new article, or the
 * path's replaced one when existing). */
static int parse_store(lua_State *L, lwarc *r, ldb *ud, const char *path,
                       const char *charset, const char *hash,
                       long long existing) {
  loupe_article *a = NULL, copy;
  long long id = 0;
  const lp_warc_record *rec = &r->rec;
  int rc;
  /* the ingest's charset option first, then the HTTP header's when the
   * page says nothing (one loupe does not read is left to detection) */
  if (charset == NULL && rec->charset[0] &&
      !page_says_charset(rec->payload, rec->payload_len))
    charset = rec->charset;
  if (loupe_parser_set_charset(r->p, charset) != LOUPE_OK)
    loupe_parser_set_charset(r->p, NULL);
  loupe_parser_set_format(r->p, rec->kind == LP_WARC_HTML ? LOUPE_FORMAT_HTML
                                                          : LOUPE_FORMAT_TEXT);
  rc = loupe_parse(r->p, rec->payload, rec->payload_len, &a);
  if (rc == LOUPE_ENOMEM) return luaL_error(L, "loupe: out of memory");
  if (rc) return lb_fail(L, rc, path, loupe_errmsg(r->p));
  copy = *a;                    /* shares a's strings; a stays the owner */
  if (copy.url.text == NULL && rec->target_uri[0]) {
    copy.url.text = rec->target_uri;
    copy.url.len = strlen(rec->target_uri);
    copy.url.offset = 0;
    copy.url.line = 0;
    copy.url.rule = "warc:target-uri";
  }
  if (looks_like_date(rec->date)) {  /* when the crawler fetched it */
    copy.captured.text = rec->date;
    copy.captured.len = strlen(rec->date);
    copy.captured.rule = "warc:date";
  }
  rc = loupe_db_store(ud->db, &copy, path, hash, rec->payload_len, existing,
                      &id);
  loupe_article_free(a);
  if (rc) return lb_db_fail(L, rc, path, loupe_db_errmsg(ud->db));
  lua_pushstring(L, lb_status_name(existing ? LOUPE_UPDATED : LOUPE_ADDED));
  lua_pushinteger(L, (lua_Integer)id);
  return 2;
}

/* reader:store(db, path [, charset]) -> status, id | nil, msg, code:
 * the page last read, stored as db:add stores a page (identity by
 * content: an unchanged page is not parsed again, a copy of a stored one
 * becomes another location of it). */
static int lwarc_store(lua_State *L) {
  lwarc *r = lb_check_open(L, 1, WARC_MT, "WARC reader");
  ldb *ud = lb_check_db(L, 2);
  const char *path = luaL_checkstring(L, 3);
  const char *charset = luaL_optstring(L, 4, NULL);
  char hash[LOUPE_HASH_LEN + 1];
  loupe_add_status st;
  long long id;
  int rc;
  if (!r->have) return luaL_error(L, "loupe: no WARC page was read");
  loupe_hash(r->rec.payload, r->rec.payload_len, hash);
  rc = loupe_db_lookup(ud->db, path, hash, &st, &id);
  if (rc) return lb_db_fail(L, rc, path, loupe_db_errmsg(ud->db));
  if (st == LOUPE_DUPLICATE) {
    rc = loupe_db_link(ud->db, path, id);
    if (rc) return lb_db_fail(L, rc, path, loupe_db_errmsg(ud->db));
  }
  if (st == LOUPE_UNCHANGED || st == LOUPE_DUPLICATE) {
    lua_pushstring(L, lb_status_name(st));
    lua_pushinteger(L, (lua_Integer)id);
    return 2;
  }
  return parse_store(L, r, ud, path, charset, hash,
                     st == LOUPE_UPDATED ? id : 0);
}

static const luaL_Reg warc_methods[] = {
  {"next", lwarc_next},
  {"payload", lwarc_payload},
  {"counts", lwarc_counts},
  {"store", lwarc_store},
  {"close", lwarc_gc},
  {NULL, NULL}
};

void lb_open_warc(lua_State *L) {
  lb_new_meta(L, WARC_MT, warc_methods, lwarc_gc);
}
