/*
 * lprefetch.c - the binding's reader ahead (loupe.Prefetch): db:prefetch
 * starts workers reading and parsing pages, pf:next hands them out in
 * order, db:add_page stores the last one.
 */
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

typedef struct {
  loupe_prefetch *pf;
  loupe_page *page;       /* the page last delivered, NULL when none */
  lua_Integer fresh;      /* files the corpus holds nothing for */
} lprefetch;

static lprefetch *check_prefetch(lua_State *L, int i) {
  return lb_check_open(L, i, PREFETCH_MT, "prefetcher");
}

/* pf:close(), __close and __gc (lb_close): stops and joins the workers.
 * page is then stale, but every method checks pf first. */
static void release_prefetch(void *pf) { loupe_prefetch_free(pf); }

/*
 * db:prefetch(paths, threads [, charset]) -> Prefetch | nil, msg, code: reads and
 * parses paths ahead on threads workers (0: in pf:next itself). Files
 * whose stored hash is unchanged are not parsed. The C lists live in
 * Lua-owned memory, the path strings anchored in the argument table.
 */
int lb_db_prefetch(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
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
  if (rc) return lb_db_fail(L, rc, "", loupe_db_errmsg(ud->db));
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

/* pf:fresh() -> the number of listed files the corpus held nothing for
 * when reading ahead began (new files, as opposed to changed or
 * unchanged ones). */
static int lprefetch_fresh(lua_State *L) {
  lua_pushinteger(L, check_prefetch(L, 1)->fresh);
  return 1;
}

/* pf:threads() -> number of worker threads running */
static int lprefetch_threads(lua_State *L) {
  lua_pushinteger(L, loupe_prefetch_threads(check_prefetch(L, 1)->pf));
  return 1;
}

/* db:add_page(pf) -> status, id | nil, msg, code: stores the page pf:next
 * delivered last, as db:add would store its bytes. */
int lb_db_add_page(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  lprefetch *pud = check_prefetch(L, 2);
  loupe_add_status st;
  long long id;
  int rc;
  if (pud->page == NULL)
    return luaL_error(L, "loupe: the prefetcher holds no page");
  rc = loupe_db_add_page(ud->db, pud->page, &st, &id);
  if (rc && pud->page->rc != LOUPE_OK)
    return lb_fail(L, rc, pud->page->path, loupe_db_errmsg(ud->db));
  if (rc) return lb_db_fail(L, rc, pud->page->path, loupe_db_errmsg(ud->db));
  lua_pushstring(L, lb_status_name(st));
  lua_pushinteger(L, (lua_Integer)id);
  return 2;
}

static const luaL_Reg prefetch_methods[] = {
  {"next", lprefetch_next},
  {"threads", lprefetch_threads},
  {"fresh", lprefetch_fresh},
  {NULL, NULL}
};

const lb_type lb_prefetch_type = {PREFETCH_MT, release_prefetch,
                                  prefetch_methods};
