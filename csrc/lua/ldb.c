/*
 * ldb.c - the binding's corpus, cursor and regex userdata: argument
 * checks, ownership (a cursor keeps its database alive through a user
 * value; closing the database finalizes its cursors first) and the
 * conversion of a Lua query description into calls of the C builder.
 */
#define _POSIX_C_SOURCE 200809L   /* sigaction */
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

#define DB_MT "loupe.Db"
#define CURSOR_MT "loupe.Cursor"
#define REGEX_MT "loupe.Regex"
#define PREFETCH_MT "loupe.Prefetch"
#define CATCH_MT "loupe.InterruptCatcher"

typedef struct {
  loupe_db *db;
  int in_txn;
} ldb;

typedef struct {
  loupe_cursor *c;
} lcursor;

typedef struct {
  loupe_regex *re;
} lregex;

typedef struct {
  loupe_prefetch *pf;
  loupe_page *page;       /* the page last delivered, NULL when none */
  lua_Integer fresh;      /* files the corpus holds nothing for */
} lprefetch;

/* Return nil, "loupe: <what>: <msg>", code (the data-error convention). */
int lb_fail(lua_State *L, int rc, const char *what, const char *msg) {
  lua_pushnil(L);
  if (what && *what) lua_pushfstring(L, "loupe: %s: %s", what, msg);
  else lua_pushfstring(L, "loupe: %s", msg);
  lua_pushstring(L, loupe_errstr(rc));
  return 3;
}

/*
 * A corpus-level failure (a damaged or locked corpus, a full disk, a
 * newer schema, an unreadable file): the core's message names the corpus
 * file and says everything, so no prefix of what was being done is added
 * ("loupe: query: news.loupe: ..." read as noise). Other failures as
 * lb_fail.
 */
static int db_fail(lua_State *L, int rc, const char *what, const char *msg) {
  if (rc == LOUPE_ECORRUPT || rc == LOUPE_EBUSY || rc == LOUPE_EIO ||
      rc == LOUPE_EVERSION)
    what = NULL;
  return lb_fail(L, rc, what, msg);
}

/* ---- regex ---- */

static lregex *check_regex(lua_State *L, int i) {
  lregex *ud = luaL_checkudata(L, i, REGEX_MT);
  if (ud->re == NULL) luaL_error(L, "attempt to use a closed regex");
  return ud;
}

static int lregex_gc(lua_State *L) {
  lregex *ud = luaL_checkudata(L, 1, REGEX_MT);
  loupe_regex_free(ud->re);
  ud->re = NULL;
  return 0;
}

/*
 * Field name of the table at t as an integer in [lo, hi], or dflt when
 * absent. A string, a float with a fraction, NaN, an infinity or a value
 * out of range raises "bad argument #arg to 'fname' (option 'name' must
 * be an integer from lo to hi)": never cut to a C type.
 */
static lua_Integer opt_int_field(lua_State *L, int t, const char *name,
                                 lua_Integer lo, lua_Integer hi,
                                 lua_Integer dflt, int arg,
                                 const char *fname) {
  lua_Integer v = 0;
  int isnum = 0;
  if (lua_getfield(L, t, name) == LUA_TNIL) {
    lua_pop(L, 1);
    return dflt;
  }
  if (lua_type(L, -1) == LUA_TNUMBER) v = lua_tointegerx(L, -1, &isnum);
  if (!isnum || v < lo || v > hi) {
    lua_pushfstring(L, "bad argument #%d to '%s' (option '%s' must be an "
                    "integer from %I to %I)", arg, fname, name, lo, hi);
    return lua_error(L);
  }
  lua_pop(L, 1);
  return v;
}

#define REGEX_LIMIT_MAX ((lua_Integer)0xFFFFFFFF)

/* Read the limits table at t (match_limit, depth_limit, heap_limit, each
 * 1 to 4294967295: PCRE2 keeps them in 32 bits); errors name argument arg
 * of fname. */
static void read_limits(lua_State *L, int t, loupe_regex_limits *lim,
                        int arg, const char *fname) {
  lim->match_limit = (unsigned long)opt_int_field(L, t, "match_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
  lim->depth_limit = (unsigned long)opt_int_field(L, t, "depth_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
  lim->heap_limit = (unsigned long)opt_int_field(L, t, "heap_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
}

/* core.regex(pattern [, flags [, limits]]) -> Regex | nil, msg, "syntax" */
static int lcore_regex(lua_State *L) {
  size_t len;
  const char *pat = luaL_checklstring(L, 1, &len);
  const char *flags = luaL_optstring(L, 2, NULL);
  loupe_regex_limits lim;
  lregex *ud;
  char err[200];
  int rc;
  memset(&lim, 0, sizeof lim);
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 3)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      if (strcmp(k, "match_limit") && strcmp(k, "depth_limit") &&
          strcmp(k, "heap_limit"))
        return luaL_argerror(L, 3, lua_pushfstring(L, "unknown option '%s'", k));
      lua_pop(L, 1);
    }
    read_limits(L, 3, &lim, 3, "regex");
  }
  ud = lua_newuserdatauv(L, sizeof *ud, 0);
  ud->re = NULL;
  luaL_setmetatable(L, REGEX_MT);
  rc = loupe_regex_new(pat, len, flags, &lim, &ud->re, err, sizeof err);
  if (rc) return lb_fail(L, rc, "regex", err);
  return 1;
}

/* re:exec(subject [, init]) -> start, end (1-based, inclusive), captures
 * as {start, end} pairs | nil (no match) | error on a limit */
static int lregex_exec(lua_State *L) {
  lregex *ud = check_regex(L, 1);
  size_t len, ov[2 * 32];
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer init = luaL_optinteger(L, 3, 1);
  int np, rc, i, groups = loupe_regex_groups(ud->re);
  /* init as string.find takes it: negative counts from the end */
  if (init < 0) init = (lua_Integer)len + init + 1;
  if (init < 1) init = 1;
  if ((size_t)init > len + 1) {
    lua_pushnil(L);
    return 1;
  }
  rc = loupe_regex_exec(ud->re, s, len, (size_t)init - 1, ov, 32, &np);
  if (rc) return lb_fail(L, rc, "regex", loupe_regex_errmsg(ud->re));
  if (np == 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)ov[0] + 1);
  lua_pushinteger(L, (lua_Integer)ov[1]);
  /* every group of the pattern: false for those that took no part */
  if (groups > 31) groups = 31;
  lua_createtable(L, groups, 0);
  for (i = 1; i <= groups; i++) {
    if (i >= np || ov[2 * i] == (size_t)-1) lua_pushboolean(L, 0);
    else lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
    lua_rawseti(L, -2, i);
  }
  return 3;
}

static int lregex_groups(lua_State *L) {
  lua_pushinteger(L, loupe_regex_groups(check_regex(L, 1)->re));
  return 1;
}

/* ---- cursor ---- */

static lcursor *check_cursor(lua_State *L, int i) {
  lcursor *ud = luaL_checkudata(L, i, CURSOR_MT);
  if (ud->c == NULL) luaL_error(L, "attempt to use a closed cursor");
  return ud;
}

static int lcursor_close(lua_State *L) {
  lcursor *ud = luaL_checkudata(L, 1, CURSOR_MT);
  loupe_cursor_free(ud->c);
  ud->c = NULL;
  return 0;
}

/* cur:next() -> row table | nil at the end; raises on a failure (an
 * iterator must not end quietly on an error). The message carries no
 * position: the line that called next is inside loupe's own iterator. */
static int lcursor_next(lua_State *L) {
  lcursor *ud = check_cursor(L, 1);
  int has, rc, n, i;
  rc = loupe_cursor_next(ud->c, &has);
  if (rc) {
    lua_pushfstring(L, "loupe: %s", loupe_cursor_errmsg(ud->c));
    return lua_error(L);
  }
  if (!has) {
    /* exhausted: release the statement at once */
    loupe_cursor_free(ud->c);
    ud->c = NULL;
    lua_pushnil(L);
    return 1;
  }
  n = loupe_cursor_columns(ud->c);
  lua_createtable(L, 0, n);
  for (i = 0; i < n; i++) {
    const char *name = loupe_cursor_name(ud->c, i);
    switch (loupe_cursor_type(ud->c, i)) {
    case 0: continue;
    case 1: lua_pushinteger(L, loupe_cursor_int(ud->c, i)); break;
    case 2: lua_pushnumber(L, loupe_cursor_double(ud->c, i)); break;
    default: {
      size_t len;
      const char *s = loupe_cursor_text(ud->c, i, &len);
      lua_pushlstring(L, s ? s : "", len);
    }
    }
    lua_setfield(L, -2, name);
  }
  return 1;
}

static int lcursor_closed(lua_State *L) {
  lcursor *ud = luaL_checkudata(L, 1, CURSOR_MT);
  lua_pushboolean(L, ud->c == NULL);
  return 1;
}

/* Push a new cursor userdata keeping the database (stack index dbi)
 * alive through its user value; returns it for the caller to fill. */
static lcursor *new_cursor_ud(lua_State *L, int dbi) {
  lcursor *ud = lua_newuserdatauv(L, sizeof *ud, 1);
  ud->c = NULL;
  luaL_setmetatable(L, CURSOR_MT);
  lua_pushvalue(L, dbi);
  lua_setiuservalue(L, -2, 1);
  return ud;
}

/* ---- database ---- */

static ldb *check_db(lua_State *L, int i) {
  ldb *ud = luaL_checkudata(L, i, DB_MT);
  if (ud->db == NULL) luaL_error(L, "attempt to use a closed corpus");
  return ud;
}

static int ldb_close(lua_State *L) {
  ldb *ud = luaL_checkudata(L, 1, DB_MT);
  loupe_db_close(ud->db);     /* finalizes live cursors first */
  ud->db = NULL;
  return 0;
}

/* core.open(path [, readonly [, busy_timeout_ms]]) -> Db | nil, msg,
 * code. busy_timeout_ms: 0 the default, negative none. */
static int lcore_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int ro = lua_toboolean(L, 2);
  lua_Integer busy = luaL_optinteger(L, 3, 0);
  loupe_open_options o;
  ldb *ud;
  int rc;
  luaL_argcheck(L, busy <= 24 * 3600 * 1000, 3, "busy timeout too long");
  ud = lua_newuserdatauv(L, sizeof *ud, 0);
  ud->db = NULL;
  ud->in_txn = 0;
  luaL_setmetatable(L, DB_MT);
  memset(&o, 0, sizeof o);
  o.flags = ro ? LOUPE_OPEN_READONLY : 0;
  o.busy_timeout_ms = busy < 0 ? -1 : (int)busy;
  rc = loupe_db_open_with(path, &o, &ud->db);
  if (rc) {
    const char *msg = ud->db ? loupe_db_errmsg(ud->db) : "out of memory";
    /* the core names the file in what it says about it */
    lb_fail(L, rc, ud->db && strstr(msg, path) == msg ? NULL : path, msg);
    loupe_db_close(ud->db);
    ud->db = NULL;
    return 3;
  }
  return 1;
}

/* db:notices() -> list of messages about the open (a migration done, an
 * older schema read as it is), each starting with "loupe: " */
static int ldb_notices(lua_State *L) {
  ldb *ud = check_db(L, 1);
  const char *s = loupe_db_notices(ud->db);
  int n = 0;
  lua_newtable(L);
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    lua_pushliteral(L, "loupe: ");
    lua_pushlstring(L, s, len);
    lua_concat(L, 2);
    lua_rawseti(L, -2, ++n);
    s += len + (e != NULL);
  }
  return 1;
}

/* db:discard() -> true (removed and closed) | false (kept) | nil, msg,
 * code: remove the file of a corpus this open created when it holds no
 * article and nobody else has it open. */
static int ldb_discard(lua_State *L) {
  ldb *ud = check_db(L, 1);
  int removed, rc = loupe_db_discard(ud->db, &removed);
  if (removed) {
    loupe_db_close(ud->db);
    ud->db = NULL;
  }
  if (rc == LOUPE_EMISUSE)
    return luaL_error(L, "loupe: %s", loupe_db_errmsg(ud->db));
  if (rc) return db_fail(L, rc, NULL, loupe_db_errmsg(ud->db));
  lua_pushboolean(L, removed);
  return 1;
}

/* db:check() -> { schema_version, articles, paragraphs, quotes,
 * entities, paths, index_rows, deferred_indexes, problems = {...} } */
static int ldb_check(lua_State *L) {
  ldb *ud = check_db(L, 1);
  loupe_check_result r;
  const char *s;
  int rc = loupe_db_check(ud->db, &r), n = 0;
  if (rc) return db_fail(L, rc, "check", loupe_db_errmsg(ud->db));
  lua_createtable(L, 0, 9);
  lua_pushinteger(L, r.schema_version);
  lua_setfield(L, -2, "schema_version");
#define SETI(k) (lua_pushinteger(L, (lua_Integer)r.k), lua_setfield(L, -2, #k))
  SETI(articles);
  SETI(paragraphs);
  SETI(quotes);
  SETI(entities);
  SETI(paths);
  SETI(index_rows);
#undef SETI
  lua_pushboolean(L, r.deferred_indexes);
  lua_setfield(L, -2, "deferred_indexes");
  lua_newtable(L);
  for (s = r.report; *s;) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    lua_pushlstring(L, s, len);
    lua_rawseti(L, -2, ++n);
    s += len + (e != NULL);
  }
  lua_setfield(L, -2, "problems");
  return 1;
}

/* db:verify() -> true | nil, msg, "corrupt" */
static int ldb_verify(lua_State *L) {
  ldb *ud = check_db(L, 1);
  int rc = loupe_db_verify(ud->db);
  if (rc) return db_fail(L, rc, "verify", loupe_db_errmsg(ud->db));
  lua_pushboolean(L, 1);
  return 1;
}

/* db:paths(id) -> Cursor over the paths of article id */
static int ldb_paths(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = loupe_db_paths(ud->db, (long long)id, &cu->c);
  if (rc) return db_fail(L, rc, "paths", loupe_db_errmsg(ud->db));
  return 1;
}

static const char *const status_names[] = {"", "added", "updated",
                                           "unchanged", "duplicate"};

/* db:add(bytes [, path]) -> status, id | nil, msg, code */
static int ldb_add(lua_State *L) {
  ldb *ud = check_db(L, 1);
  size_t len;
  const char *bytes = luaL_checklstring(L, 2, &len);
  const char *path = luaL_optstring(L, 3, NULL);
  loupe_add_status st;
  long long id;
  int rc = loupe_db_add(ud->db, bytes, len, path, &st, &id);
  /* a page's own failure names the page; the corpus's names the corpus */
  if (rc == LOUPE_EEMPTY || rc == LOUPE_EENCODING || rc == LOUPE_ELIMIT)
    return lb_fail(L, rc, path ? path : "text", loupe_db_errmsg(ud->db));
  if (rc) return db_fail(L, rc, path ? path : "text", loupe_db_errmsg(ud->db));
  lua_pushstring(L, status_names[st]);
  lua_pushinteger(L, (lua_Integer)id);
  return 2;
}

/* ---- reading ahead ---- */

static lprefetch *check_prefetch(lua_State *L, int i) {
  lprefetch *ud = luaL_checkudata(L, i, PREFETCH_MT);
  if (ud->pf == NULL) luaL_error(L, "attempt to use a closed prefetcher");
  return ud;
}

/* pf:close(), __close and __gc: stops and joins the workers. */
static int lprefetch_close(lua_State *L) {
  lprefetch *ud = luaL_checkudata(L, 1, PREFETCH_MT);
  loupe_prefetch_free(ud->pf);
  ud->pf = NULL;
  ud->page = NULL;
  return 0;
}

/*
 * db:prefetch(paths, threads [, charset]) -> Prefetch | nil, msg, code: reads and
 * parses paths ahead on threads workers (0: in pf:next itself). Files
 * whose stored hash is unchanged are not parsed. The C lists live in
 * Lua-owned memory, the path strings anchored in the argument table.
 */
static int ldb_prefetch(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lua_Integer i, n, threads;
  const char **paths, **expected;
  char *hashes;
  lprefetch *pud;
  int rc;
  const char *charset = luaL_optstring(L, 4, NULL);  /* an argument */
  luaL_checktype(L, 2, LUA_TTABLE);
  threads = luaL_checkinteger(L, 3);
  luaL_argcheck(L, threads >= 0 && threads <= LOUPE_PREFETCH_MAX_THREADS, 3,
                "threads out of range");
  n = (lua_Integer)lua_rawlen(L, 2);
  pud = lua_newuserdatauv(L, sizeof *pud, 0);
  pud->pf = NULL;
  pud->page = NULL;
  luaL_setmetatable(L, PREFETCH_MT);
  paths = lua_newuserdatauv(L, (size_t)(n ? n : 1) * 2 * sizeof *paths, 0);
  expected = paths + n;
  hashes = lua_newuserdatauv(L, (size_t)(n ? n : 1) * (LOUPE_HASH_LEN + 1),
                             0);
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 2, i + 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_argerror(L, 2, "paths must be strings");
    paths[i] = lua_tostring(L, -1);       /* anchored in the argument */
    lua_pop(L, 1);
    expected[i] = hashes + i * (LOUPE_HASH_LEN + 1);
  }
  rc = loupe_db_stored_hashes(ud->db, paths, (size_t)n, hashes);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  pud->fresh = 0;
  for (i = 0; i < n; i++)
    if (hashes[i * (LOUPE_HASH_LEN + 1)] == '\0') pud->fresh++;
  rc = loupe_prefetch_new_charset(paths, expected, (size_t)n, (int)threads,
                                  charset, &pud->pf);
  if (rc) return lb_fail(L, rc, "prefetch", "cannot start reading ahead");
  lua_pop(L, 2);
  return 1;
}

/* pf:next() -> path, bytes read, skipped (true when the hash was the
 * stored one and the page was not parsed) | nil, msg, "io" for an
 * unreadable file. Raises past the last page (the caller knows how many
 * there are). */
static int lprefetch_next(lua_State *L) {
  lprefetch *ud = check_prefetch(L, 1);
  loupe_page *page;
  int rc = loupe_prefetch_next(ud->pf, &page);
  ud->page = page;
  if (rc) return luaL_error(L, "loupe: %s", loupe_errstr(rc));
  if (page == NULL) return luaL_error(L, "loupe: no page left to read");
  if (page->rc == LOUPE_EIO)
    return lb_fail(L, page->rc, page->path, page->errmsg);
  lua_pushstring(L, page->path);
  lua_pushinteger(L, (lua_Integer)page->len);
  lua_pushboolean(L, page->skipped);
  return 3;
}

/* pf:threads() -> number of worker threads running */
/* pf:fresh() -> the number of listed files the corpus held nothing for
 * when reading ahead began (new files, as opposed to changed or
 * unchanged ones). */
static int lprefetch_fresh(lua_State *L) {
  lprefetch *ud = check_prefetch(L, 1);
  lua_pushinteger(L, ud->fresh);
  return 1;
}

static int lprefetch_threads(lua_State *L) {
  lprefetch *ud = check_prefetch(L, 1);
  lua_pushinteger(L, loupe_prefetch_threads(ud->pf));
  return 1;
}

/* db:add_page(pf) -> status, id | nil, msg, code: stores the page pf:next
 * delivered last, as db:add would store its bytes. */
static int ldb_add_page(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lprefetch *pud = check_prefetch(L, 2);
  loupe_add_status st;
  long long id;
  int rc;
  if (pud->page == NULL)
    return luaL_error(L, "loupe: the prefetcher holds no page");
  rc = loupe_db_add_page(ud->db, pud->page, &st, &id);
  if (rc && pud->page->rc != LOUPE_OK)
    return lb_fail(L, rc, pud->page->path, loupe_db_errmsg(ud->db));
  if (rc) return db_fail(L, rc, pud->page->path, loupe_db_errmsg(ud->db));
  lua_pushstring(L, status_names[st]);
  lua_pushinteger(L, (lua_Integer)id);
  return 2;
}

/* core.cpu_count() -> processors online */
static int lcore_cpu_count(lua_State *L) {
  lua_pushinteger(L, loupe_cpu_count());
  return 1;
}

static int txn(lua_State *L, int which) {
  ldb *ud = check_db(L, 1);
  int rc = which == 0 ? loupe_db_begin(ud->db)
           : which == 1 ? loupe_db_commit(ud->db) : loupe_db_rollback(ud->db);
  if (rc == LOUPE_EMISUSE)
    return luaL_error(L, "loupe: %s", loupe_db_errmsg(ud->db));
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  ud->in_txn = which == 0;
  lua_pushboolean(L, 1);
  return 1;
}

/* db:defer_indexes() / db:build_indexes() -> true | nil, msg, code */
static int indexes(lua_State *L, int build) {
  ldb *ud = check_db(L, 1);
  int rc = build ? loupe_db_build_indexes(ud->db)
                 : loupe_db_defer_indexes(ud->db);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  lua_pushboolean(L, 1);
  return 1;
}

static int ldb_defer_indexes(lua_State *L) { return indexes(L, 0); }
static int ldb_build_indexes(lua_State *L) { return indexes(L, 1); }

static int ldb_begin(lua_State *L) { return txn(L, 0); }
static int ldb_commit(lua_State *L) { return txn(L, 1); }
static int ldb_rollback(lua_State *L) { return txn(L, 2); }

static int ldb_in_transaction(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lua_pushboolean(L, ud->in_txn);
  return 1;
}

static int ldb_count(lua_State *L) {
  ldb *ud = check_db(L, 1);
  long long n;
  int rc = loupe_db_count(ud->db, &n);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

static int ldb_is_closed(lua_State *L) {
  ldb *ud = luaL_checkudata(L, 1, DB_MT);
  lua_pushboolean(L, ud->db == NULL);
  return 1;
}

/* db:article(id) / db:paragraphs(id) -> Cursor */
static int row_cursor(lua_State *L, int paras) {
  ldb *ud = check_db(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = paras ? loupe_db_paragraphs(ud->db, (long long)id, &cu->c)
                 : loupe_db_get(ud->db, (long long)id, &cu->c);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  return 1;
}

static int ldb_article(lua_State *L) { return row_cursor(L, 0); }

/* db:speakers() / db:entities([kind]) -> Cursor */
static int ldb_speakers(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = loupe_db_speakers(ud->db, &cu->c);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  return 1;
}

static int ldb_clusters(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = loupe_db_clusters(ud->db, &cu->c);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  return 1;
}

/* db:talking_points(min_articles, min_years, min_words, speaker, since,
 * until) -> Cursor */
static int ldb_talking_points(lua_State *L) {
  ldb *ud = check_db(L, 1);
  loupe_tp_options o;
  lcursor *cu;
  int rc;
  lua_Integer v[3];
  int i;
  static const lua_Integer dflt[3] = {3, 1, 6};
  memset(&o, 0, sizeof o);
  for (i = 0; i < 3; i++) {
    v[i] = luaL_optinteger(L, 2 + i, dflt[i]);
    luaL_argcheck(L, v[i] >= 1 && v[i] <= INT_MAX, 2 + i,
                  "must be an integer from 1 to 2147483647");
  }
  o.min_articles = (int)v[0];
  o.min_years = (int)v[1];
  o.min_words = (int)v[2];
  o.speaker = luaL_optstring(L, 5, NULL);
  o.since = luaL_optstring(L, 6, NULL);
  o.until = luaL_optstring(L, 7, NULL);
  cu = new_cursor_ud(L, 1);
  rc = loupe_db_talking_points(ud->db, &o, &cu->c);
  if (rc) return db_fail(L, rc, "talking points", loupe_db_errmsg(ud->db));
  return 1;
}

/* db:stats(kind, target, reference, term, features, measure, window,
 * min, limit) -> Cursor: kind 0 keyness, 1 collocations, 2 dfm (as
 * loupe_stats_options); target and reference JSON arrays of ids,
 * features a list of strings or nil. Checked by loupe.corpus.stats. */
static int ldb_stats(lua_State *L) {
  ldb *ud = check_db(L, 1);
  loupe_stats_options o;
  const char *feat[257];
  lcursor *cu;
  int rc;
  memset(&o, 0, sizeof o);
  o.kind = (int)luaL_checkinteger(L, 2);
  o.target = luaL_checkstring(L, 3);
  o.reference = luaL_optstring(L, 4, NULL);
  o.term = luaL_optstring(L, 5, NULL);
  if (lua_istable(L, 6)) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, 6);
    luaL_argcheck(L, n <= 256, 6, "at most 256 features");
    for (i = 1; i <= n; i++) {
      lua_rawgeti(L, 6, i);
      feat[i - 1] = luaL_checkstring(L, -1);   /* anchored by the table */
      lua_pop(L, 1);
    }
    feat[n] = NULL;
    o.features = feat;
  }
  o.measure = (int)luaL_optinteger(L, 7, 0);
  o.window = (int)luaL_optinteger(L, 8, 5);
  o.min_count = luaL_optinteger(L, 9, 0);
  o.limit = luaL_optinteger(L, 10, 0);
  cu = new_cursor_ud(L, 1);
  rc = loupe_db_stats(ud->db, &o, &cu->c);
  if (rc) return db_fail(L, rc, "stats", loupe_db_errmsg(ud->db));
  return 1;
}

/* db:export_extras() -> Cursor (id, hash, cluster, quotes, entities) */
static int ldb_export_extras(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = loupe_db_export_extras(ud->db, &cu->c);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  return 1;
}

/* db:set_clustering(on, threshold) */
static int ldb_set_clustering(lua_State *L) {
  ldb *ud = check_db(L, 1);
  int on = lua_toboolean(L, 2);
  lua_Number thr = luaL_optnumber(L, 3, 0);
  if (loupe_db_set_clustering(ud->db, on, (double)thr) != LOUPE_OK)
    return luaL_argerror(L, 3, loupe_db_errmsg(ud->db));
  return 0;
}

/* db:set_charset(name): the charset db:add parses pages in ("auto"
 * detects it). Raises for a name loupe does not read. */
static int ldb_set_charset(lua_State *L) {
  ldb *ud = check_db(L, 1);
  const char *cs = luaL_optstring(L, 2, NULL);
  if (loupe_db_set_charset(ud->db, cs) != LOUPE_OK)
    return luaL_argerror(L, 2, loupe_db_errmsg(ud->db));
  return 0;
}

static int ldb_entities(lua_State *L) {
  ldb *ud = check_db(L, 1);
  const char *kind = luaL_optstring(L, 2, NULL);
  lcursor *cu = new_cursor_ud(L, 1);
  int rc = loupe_db_entities(ud->db, kind, &cu->c);
  if (rc) return db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  return 1;
}
static int ldb_paragraphs(lua_State *L) { return row_cursor(L, 1); }

/* ---- queries: a Lua description -> C builder calls ---- */

static const char *opt_field_string(lua_State *L, int t, const char *k) {
  const char *s = NULL;
  if (lua_getfield(L, t, k) == LUA_TSTRING) s = lua_tostring(L, -1);
  lua_pop(L, 1);          /* the string stays anchored in the table */
  return s;
}

static int apply_list(lua_State *L, loupe_query *q, int t, const char *k,
                      loupe_filter key) {
  int rc = LOUPE_OK, ty = lua_getfield(L, t, k);
  if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
    rc = loupe_query_filter(q, key, lua_tostring(L, -1));
  } else if (ty == LUA_TTABLE) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n && rc == LOUPE_OK; i++) {
      lua_rawgeti(L, -1, i);
      if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
        rc = loupe_query_filter(q, key, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return rc;
}

/*
 * Build a C query from the description table at index t. The Lua query
 * module has already checked every key; values are re-checked by the C
 * builder. Returns a LOUPE_* code (message on q).
 */
static int build_query(lua_State *L, int t, loupe_query *q) {
  int rc = LOUPE_OK;
  const char *s;
  lua_Integer limit, offset;
  loupe_regex_limits lim;
  rc = loupe_query_set_limits(q,
    (size_t)opt_int_field(L, t, "max_query_bytes", 1, LUA_MAXINTEGER, 0, 2,
                          "query"),
    (size_t)opt_int_field(L, t, "max_query_terms", 1, LUA_MAXINTEGER, 0, 2,
                          "query"));
  s = opt_field_string(L, t, "text");
  if (s) {
    int raw;
    lua_getfield(L, t, "raw");
    raw = lua_toboolean(L, -1);
    lua_pop(L, 1);
    rc = loupe_query_text(q, s, raw);
  }
  /* each field read is popped inside its own block: a pop after a
   * skipped lua_getfield would take the caller's slot (the query box,
   * whose closing frees q) */
  if (!rc) {
    if (lua_getfield(L, t, "phrases") == LUA_TTABLE) {
      lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
      for (i = 1; i <= n && !rc; i++) {
        lua_rawgeti(L, -1, i);
        rc = loupe_query_phrase(q, lua_tostring(L, -1));
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  if (!rc && lua_getfield(L, t, "nears") != LUA_TTABLE) {
    lua_pop(L, 1);
  } else if (!rc) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n && !rc; i++) {
      const char *a, *b;
      lua_Integer d;
      int isnum;
      lua_rawgeti(L, -1, i);
      lua_rawgeti(L, -1, 1);
      lua_rawgeti(L, -2, 2);
      lua_rawgeti(L, -3, 3);
      a = lua_tostring(L, -3);
      b = lua_tostring(L, -2);
      d = lua_tointegerx(L, -1, &isnum);
      /* checked by the Lua layer; never cut to an int here */
      if (!isnum || d < 0 || d > INT_MAX) {
        lua_pushfstring(L, "bad argument #3 to 'near' (distance must be an "
                        "integer from 0 to %d)", INT_MAX);
        return lua_error(L);
      }
      rc = loupe_query_near(q, a, b, (int)d);
      lua_pop(L, 4);
    }
    lua_pop(L, 1);
  }
  if (!rc) rc = loupe_query_since(q, opt_field_string(L, t, "since"));
  if (!rc) rc = loupe_query_until(q, opt_field_string(L, t, "until"));
  if (!rc) rc = apply_list(L, q, t, "outlet", LOUPE_F_OUTLET);
  if (!rc) rc = apply_list(L, q, t, "credit", LOUPE_F_CREDIT);
  if (!rc) rc = apply_list(L, q, t, "author", LOUPE_F_AUTHOR);
  if (!rc) rc = apply_list(L, q, t, "lang", LOUPE_F_LANG);
  if (!rc) rc = apply_list(L, q, t, "id", LOUPE_F_ID);
  if (!rc) rc = apply_list(L, q, t, "speaker", LOUPE_F_SPEAKER);
  if (!rc) rc = apply_list(L, q, t, "entity", LOUPE_F_ENTITY);
  if (!rc) rc = apply_list(L, q, t, "kind", LOUPE_F_KIND);
  if (!rc) rc = apply_list(L, q, t, "quote_text", LOUPE_F_QUOTE_TEXT);
  if (!rc) {
    lua_getfield(L, t, "quotes_only");
    rc = loupe_query_quotes_only(q, lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  if (!rc) {
    lua_getfield(L, t, "collapse");
    rc = loupe_query_collapse(q, lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  if (!rc) {
    lua_getfield(L, t, "count_clusters");
    rc = loupe_query_count_clusters(q, lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  if (!rc && (s = opt_field_string(L, t, "regex")) != NULL) {
    memset(&lim, 0, sizeof lim);
    if (lua_getfield(L, t, "regex_limits") == LUA_TTABLE)
      read_limits(L, lua_gettop(L), &lim, 1, "regex");
    lua_pop(L, 1);
    rc = loupe_query_regex_limits(q, &lim);
    if (!rc)
      rc = loupe_query_regex(q, s, opt_field_string(L, t, "regex_flags"));
  }
  if (!rc && (s = opt_field_string(L, t, "order")) != NULL) {
    loupe_order o = strcmp(s, "date") == 0 ? LOUPE_ORDER_DATE
                    : strcmp(s, "-date") == 0 ? LOUPE_ORDER_DATE_DESC
                    : strcmp(s, "rank") == 0 ? LOUPE_ORDER_RANK
                                             : LOUPE_ORDER_DEFAULT;
    rc = loupe_query_order(q, o);
  }
  limit = opt_int_field(L, t, "limit", 0, LUA_MAXINTEGER, -1, 1, "limit");
  offset = opt_int_field(L, t, "offset", 0, LUA_MAXINTEGER, 0, 1, "offset");
  if (!rc) rc = loupe_query_limit(q, (long long)limit, (long long)offset);
  return rc;
}

/* The C query lives in a userdata during the call so a raise cannot leak
 * it. */
typedef struct {
  loupe_query *q;
} lquery_box;

static int lquery_box_gc(lua_State *L) {
  lquery_box *b = lua_touserdata(L, 1);
  if (b) {
    loupe_query_free(b->q);
    b->q = NULL;
  }
  return 0;
}

static const char *const run_modes[] = {"count", "hits", "ids", "group",
                                        "kwic", "quotes", NULL};
static const char *const group_keys[] = {"year", "month", "day", "outlet",
                                         "credit", NULL};

/*
 * db:run(desc, mode, ...) -> count | Cursor | nil, msg, code.
 * mode "hits" also returns the query's FTS5 expression (nil without text),
 * for db:hit_field; "group" takes the key; "kwic" takes term, is_regex,
 * flags, width.
 */
static int ldb_run(lua_State *L) {
  ldb *ud = check_db(L, 1);
  int mode, rc;
  lquery_box *box;
  luaL_checktype(L, 2, LUA_TTABLE);
  mode = luaL_checkoption(L, 3, NULL, run_modes);
  box = lua_newuserdatauv(L, sizeof *box, 0);
  box->q = NULL;
  luaL_setmetatable(L, "loupe.QueryBox");
  lua_toclose(L, -1);
  rc = loupe_query_new(ud->db, &box->q);
  if (rc) return lb_fail(L, rc, "query", "cannot create a query");
  rc = build_query(L, 2, box->q);
  if (rc) return db_fail(L, rc, "query", loupe_query_errmsg(box->q));
  if (mode == 0) {
    long long n;
    rc = loupe_query_count(box->q, &n);
    if (rc) return db_fail(L, rc, "query", loupe_query_errmsg(box->q));
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
  } else {
    lcursor *cu = new_cursor_ud(L, 1);
    switch (mode) {
    case 1: rc = loupe_query_hits(box->q, &cu->c); break;
    case 2: rc = loupe_query_ids(box->q, &cu->c); break;
    case 5: rc = loupe_query_quotes(box->q, &cu->c); break;
    case 3: {
      int key = luaL_checkoption(L, 4, NULL, group_keys);
      rc = loupe_query_group(box->q, (loupe_group)(key + 1), &cu->c);
      break;
    }
    default: {
      const char *term = luaL_checkstring(L, 4);
      int is_regex = lua_toboolean(L, 5);
      const char *flags = luaL_optstring(L, 6, NULL);
      lua_Integer width = luaL_optinteger(L, 7, 40);
      loupe_regex_limits lim;
      luaL_argcheck(L, width >= 1 && width <= INT_MAX, 7,
                    "width must be an integer from 1 to 2147483647");
      memset(&lim, 0, sizeof lim);
      if (lua_type(L, 8) == LUA_TTABLE) read_limits(L, 8, &lim, 1, "kwic");
      rc = loupe_query_regex_limits(box->q, &lim);
      if (!rc)
        rc = loupe_query_kwic(box->q, term, is_regex, flags, (int)width,
                              &cu->c);
    }
    }
    if (rc) return db_fail(L, rc, "query", loupe_query_errmsg(box->q));
    if (mode == 1) {
      size_t len;
      const char *match = loupe_query_match(box->q, &len);
      if (match) lua_pushlstring(L, match, len);
      else lua_pushnil(L);
      return 2;
    }
    return 1;
  }
}

static const char *const hit_fields[] = {"body", "snippet", "highlight",
                                         "rank", NULL};

/*
 * db:hit_field(id, field [, match]) -> value | nil (no such value) |
 * nil, msg, code. field is "body", "snippet", "highlight" (strings) or
 * "rank" (a number); "snippet" returns the highlight too, read in the same
 * pass (a failure is told by its third value). match is the expression
 * db:run(desc, "hits") returned (all but the body need it).
 */
static int ldb_hit_field(lua_State *L) {
  ldb *ud = check_db(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  int field = luaL_checkoption(L, 3, NULL, hit_fields);
  size_t mlen = 0, len;
  const char *match = luaL_optlstring(L, 4, NULL, &mlen);
  const char *text;
  int rc;
  if (field > 0 && match == NULL)
    return luaL_argerror(L, 4, "the query's search text expected");
  if (field == 1) {
    const char *hl;
    size_t hlen;
    rc = loupe_db_hit_marks(ud->db, match, mlen, (long long)id, &text, &len,
                            &hl, &hlen);
    if (rc) return db_fail(L, rc, "snippet", loupe_db_errmsg(ud->db));
    if (text) lua_pushlstring(L, text, len);
    else lua_pushnil(L);
    if (hl) lua_pushlstring(L, hl, hlen);
    else lua_pushnil(L);
    return 2;
  }
  if (field == 3) {
    double rank;
    int found;
    rc = loupe_db_hit_rank(ud->db, match, mlen, (long long)id, &rank, &found);
    if (rc) return db_fail(L, rc, "rank", loupe_db_errmsg(ud->db));
    if (found) lua_pushnumber(L, (lua_Number)rank);
    else lua_pushnil(L);
    return 1;
  }
  rc = loupe_db_hit_field(ud->db, match, mlen, (long long)id,
                          (loupe_hit_field)(field + 1), &text, &len);
  if (rc) return db_fail(L, rc, hit_fields[field], loupe_db_errmsg(ud->db));
  if (text) lua_pushlstring(L, text, len);
  else lua_pushnil(L);
  return 1;
}

/* core.list_files(specs) -> list of paths | nil, msg, code */
typedef struct {
  char **paths;
  size_t n;
} lfiles_box;

static int lfiles_box_gc(lua_State *L) {
  lfiles_box *b = lua_touserdata(L, 1);
  if (b) {
    loupe_free_files(b->paths, b->n);
    b->paths = NULL;
    b->n = 0;
  }
  return 0;
}

static int lcore_list_files(lua_State *L) {
  lua_Integer i, n;
  const char **specs;
  lfiles_box *box;
  char err[300];
  int rc;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 1);
  specs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *specs, 0);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_argerror(L, 1, "paths must be strings");
    specs[i - 1] = lua_tostring(L, -1);   /* anchored in the argument */
    lua_pop(L, 1);
  }
  box = lua_newuserdatauv(L, sizeof *box, 0);
  box->paths = NULL;
  box->n = 0;
  luaL_setmetatable(L, "loupe.FilesBox");
  lua_toclose(L, -1);
  rc = loupe_list_files(specs, (size_t)n, &box->paths, &box->n, err,
                        sizeof err);
  if (rc) return lb_fail(L, rc, "", err);
  lua_createtable(L, (int)box->n, 0);
  for (i = 0; i < (lua_Integer)box->n; i++) {
    lua_pushstring(L, box->paths[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* ---- Ctrl-C during an ingest of the command line ---- */

/*
 * The binding's only process-wide state: a signal handler can reach
 * nothing else. core.catch_interrupt() installs the handler for as long
 * as its catcher is open (the CLI's ingest); the library never installs
 * one. The first SIGINT sets the flag, which the ingest reads between
 * pages; a second one ends the process at once, as SIGINT would.
 */
static volatile sig_atomic_t interrupted;
static int catching;

typedef struct {
  struct sigaction old;     /* the handler before, restored on close */
  int active;
} lcatch;

static void on_sigint(int sig) {
  struct sigaction dfl;
  (void)sig;
  if (interrupted) {
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, NULL);
    raise(SIGINT);
    return;
  }
  interrupted = 1;
}

/* core.catch_interrupt() -> catcher (:pending(), :close(), <close>) */
static int lcore_catch_interrupt(lua_State *L) {
  struct sigaction sa;
  lcatch *c;
  if (catching) return luaL_error(L, "loupe: interrupts are caught already");
  c = lua_newuserdatauv(L, sizeof *c, 0);
  c->active = 0;
  luaL_setmetatable(L, CATCH_MT);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  interrupted = 0;
  if (sigaction(SIGINT, &sa, &c->old) != 0)
    return luaL_error(L, "loupe: cannot catch interrupts");
  c->active = 1;
  catching = 1;
  return 1;
}

/* catcher:close(), __close and __gc: the handler before comes back. */
static int lcatch_close(lua_State *L) {
  lcatch *c = luaL_checkudata(L, 1, CATCH_MT);
  if (c->active) {
    sigaction(SIGINT, &c->old, NULL);
    c->active = 0;
    catching = 0;
    interrupted = 0;
  }
  return 0;
}

/* catcher:pending() -> true once SIGINT came */
static int lcatch_pending(lua_State *L) {
  lcatch *c = luaL_checkudata(L, 1, CATCH_MT);
  lua_pushboolean(L, c->active && interrupted);
  return 1;
}

static const luaL_Reg db_methods[] = {
  {"close", ldb_close},
  {"add", ldb_add},
  {"prefetch", ldb_prefetch},
  {"add_page", ldb_add_page},
  {"begin", ldb_begin},
  {"commit", ldb_commit},
  {"rollback", ldb_rollback},
  {"in_transaction", ldb_in_transaction},
  {"defer_indexes", ldb_defer_indexes},
  {"build_indexes", ldb_build_indexes},
  {"count", ldb_count},
  {"is_closed", ldb_is_closed},
  {"article", ldb_article},
  {"paragraphs", ldb_paragraphs},
  {"speakers", ldb_speakers},
  {"entities", ldb_entities},
  {"clusters", ldb_clusters},
  {"talking_points", ldb_talking_points},
  {"stats", ldb_stats},
  {"export_extras", ldb_export_extras},
  {"set_clustering", ldb_set_clustering},
  {"set_charset", ldb_set_charset},
  {"run", ldb_run},
  {"hit_field", ldb_hit_field},
  {"notices", ldb_notices},
  {"discard", ldb_discard},
  {"check", ldb_check},
  {"verify", ldb_verify},
  {"paths", ldb_paths},
  {NULL, NULL}
};

static const luaL_Reg cursor_methods[] = {
  {"next", lcursor_next},
  {"close", lcursor_close},
  {"is_closed", lcursor_closed},
  {NULL, NULL}
};

static const luaL_Reg prefetch_methods[] = {
  {"next", lprefetch_next},
  {"threads", lprefetch_threads},
  {"fresh", lprefetch_fresh},
  {"close", lprefetch_close},
  {NULL, NULL}
};

static const luaL_Reg catch_methods[] = {
  {"pending", lcatch_pending},
  {"close", lcatch_close},
  {NULL, NULL}
};

static const luaL_Reg regex_methods[] = {
  {"exec", lregex_exec},
  {"groups", lregex_groups},
  {"close", lregex_gc},
  {NULL, NULL}
};

static void new_meta(lua_State *L, const char *name, const luaL_Reg *methods,
                     lua_CFunction gc) {
  luaL_newmetatable(L, name);
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}

void lb_open_db(lua_State *L) {
  new_meta(L, DB_MT, db_methods, ldb_close);
  new_meta(L, CURSOR_MT, cursor_methods, lcursor_close);
  new_meta(L, REGEX_MT, regex_methods, lregex_gc);
  new_meta(L, PREFETCH_MT, prefetch_methods, lprefetch_close);
  new_meta(L, CATCH_MT, catch_methods, lcatch_close);
  new_meta(L, "loupe.QueryBox", NULL, lquery_box_gc);
  new_meta(L, "loupe.FilesBox", NULL, lfiles_box_gc);
  lua_pushcfunction(L, lcore_open);
  lua_setfield(L, -2, "open");
  lua_pushcfunction(L, lcore_regex);
  lua_setfield(L, -2, "regex");
  lua_pushcfunction(L, lcore_list_files);
  lua_setfield(L, -2, "list_files");
  lua_pushcfunction(L, lcore_cpu_count);
  lua_setfield(L, -2, "cpu_count");
  lua_pushcfunction(L, lcore_catch_interrupt);
  lua_setfield(L, -2, "catch_interrupt");
  lua_pushinteger(L, LOUPE_SCHEMA_VERSION);
  lua_setfield(L, -2, "SCHEMA_VERSION");
}
