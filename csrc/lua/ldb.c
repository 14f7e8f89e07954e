/*
 * ldb.c - the binding's corpus userdata (loupe.Db): opening, adding pages,
 * transactions, the corpus's lists as cursors, and the registration of
 * every type of the binding. A cursor keeps its database alive through a
 * user value; closing the database finalizes its cursors first. The other
 * types live in lcursor.c, lquery.c, lregex.c, lprefetch.c, lingest.c and
 * lwarc.c.
 */
#include <limits.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

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
int lb_db_fail(lua_State *L, int rc, const char *what, const char *msg) {
  if (rc == LOUPE_ECORRUPT || rc == LOUPE_EBUSY || rc == LOUPE_EIO ||
      rc == LOUPE_EVERSION)
    what = NULL;
  return lb_fail(L, rc, what, msg);
}
/* ---- database ---- */

void *lb_check_open(lua_State *L, int i, const char *mt, const char *what) {
  void **ud = luaL_checkudata(L, i, mt);
  if (*ud == NULL) luaL_error(L, "attempt to use a closed %s", what);
  return ud;
}

ldb *lb_check_db(lua_State *L, int i) {
  return lb_check_open(L, i, DB_MT, "corpus");
}

/* The end of a method that made a cursor (lb_new_cursor) and had the
 * corpus fill it, rc saying how: the cursor, or nil, msg, code (what:
 * the step, "" none). */
static int cursor_or_fail(lua_State *L, ldb *ud, int rc, const char *what) {
  if (rc) return lb_db_fail(L, rc, what, loupe_db_errmsg(ud->db));
  return 1;
}

/* The end of a method whose corpus call returned rc: true, or nil, msg,
 * code (what: the step, "" none). */
static int true_or_fail(lua_State *L, ldb *ud, int rc, const char *what) {
  if (rc) return lb_db_fail(L, rc, what, loupe_db_errmsg(ud->db));
  lua_pushboolean(L, 1);
  return 1;
}

/* Push the lines of s (each ended by a newline or the end; none when s is
 * "") as a list, each after prefix. */
static void push_line_list(lua_State *L, const char *s, const char *prefix) {
  int n = 0;
  lua_newtable(L);
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    lua_pushstring(L, prefix);
    lua_pushlstring(L, s, len);
    lua_concat(L, 2);
    lua_rawseti(L, -2, ++n);
    s += len + (e != NULL);
  }
}

/* core.open(path [, readonly [, busy_timeout_ms [, stem]]]) -> Db | nil,
 * msg, code. busy_timeout_ms: 0 the default, negative none; stem: "en",
 * "none" or nil (loupe_open_options.stem). */
int lb_core_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int ro = lua_toboolean(L, 2);
  lua_Integer busy = luaL_optinteger(L, 3, 0);
  const char *stem = luaL_optstring(L, 4, NULL);
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
  o.stem = stem;
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
  push_line_list(L, loupe_db_notices(lb_check_db(L, 1)->db), "loupe: ");
  return 1;
}

/* db:discard() -> true (removed and closed) | false (kept) | nil, msg,
 * code: remove the file of a corpus this open created when it holds no
 * article and nobody else has it open. */
static int ldb_discard(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  int removed, rc = loupe_db_discard(ud->db, &removed);
  if (removed) {
    loupe_db_close(ud->db);
    ud->db = NULL;
  }
  if (rc == LOUPE_EMISUSE)
    return luaL_error(L, "loupe: %s", loupe_db_errmsg(ud->db));
  if (rc) return lb_db_fail(L, rc, NULL, loupe_db_errmsg(ud->db));
  lua_pushboolean(L, removed);
  return 1;
}

/* db:check() -> { schema_version, articles, paragraphs, quotes,
 * entities, paths, index_rows, deferred_indexes, problems = {...} } */
static int ldb_check(lua_State *L) {
  static const char *const keys[] = {"schema_version", "articles",
    "paragraphs", "quotes", "entities", "paths", "index_rows"};
  ldb *ud = lb_check_db(L, 1);
  loupe_check_result r;
  int rc = loupe_db_check(ud->db, &r);
  if (rc) return lb_db_fail(L, rc, "check", loupe_db_errmsg(ud->db));
  lua_createtable(L, 0, 9);
  {
    const lua_Integer vals[] = {r.schema_version, r.articles, r.paragraphs,
                                r.quotes, r.entities, r.paths, r.index_rows};
    lb_set_ints(L, keys, vals, 7);
  }
  lua_pushboolean(L, r.deferred_indexes);
  lua_setfield(L, -2, "deferred_indexes");
  push_line_list(L, r.report, "");
  lua_setfield(L, -2, "problems");
  return 1;
}

/* db:verify() -> true | nil, msg, "corrupt" */
static int ldb_verify(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  return true_or_fail(L, ud, loupe_db_verify(ud->db), "verify");
}

/* db:paths(id) -> Cursor over the paths of article id */
static int ldb_paths(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  lcursor *cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, loupe_db_paths(ud->db, (long long)id, &cu->c),
                        "paths");
}

static const char *const status_names[] = {"", "added", "updated",
                                           "unchanged", "duplicate"};

const char *lb_status_name(loupe_add_status st) {
  return status_names[st];
}

/* db:add(bytes [, path]) -> status, id | nil, msg, code */
static int ldb_add(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  size_t len;
  const char *bytes = luaL_checklstring(L, 2, &len);
  const char *path = luaL_optstring(L, 3, NULL);
  loupe_add_status st;
  long long id;
  int rc = loupe_db_add(ud->db, bytes, len, path, &st, &id);
  /* a page's own failure names the page; the corpus's names the corpus */
  if (rc == LOUPE_EEMPTY || rc == LOUPE_EENCODING || rc == LOUPE_ELIMIT)
    return lb_fail(L, rc, path ? path : "text", loupe_db_errmsg(ud->db));
  if (rc) return lb_db_fail(L, rc, path ? path : "text", loupe_db_errmsg(ud->db));
  lua_pushstring(L, lb_status_name(st));
  lua_pushinteger(L, (lua_Integer)id);
  return 2;
}
static int txn(lua_State *L, int which) {
  ldb *ud = lb_check_db(L, 1);
  int rc = which == 0 ? loupe_db_begin(ud->db)
           : which == 1 ? loupe_db_commit(ud->db) : loupe_db_rollback(ud->db);
  if (rc == LOUPE_EMISUSE)
    return luaL_error(L, "loupe: %s", loupe_db_errmsg(ud->db));
  if (rc == LOUPE_OK) ud->in_txn = which == 0;
  return true_or_fail(L, ud, rc, "");
}

/* db:defer_indexes() / db:build_indexes() -> true | nil, msg, code */
static int indexes(lua_State *L, int build) {
  ldb *ud = lb_check_db(L, 1);
  return true_or_fail(L, ud, build ? loupe_db_build_indexes(ud->db)
                                   : loupe_db_defer_indexes(ud->db), "");
}

static int ldb_defer_indexes(lua_State *L) { return indexes(L, 0); }
static int ldb_build_indexes(lua_State *L) { return indexes(L, 1); }

static int ldb_begin(lua_State *L) { return txn(L, 0); }
static int ldb_commit(lua_State *L) { return txn(L, 1); }
static int ldb_rollback(lua_State *L) { return txn(L, 2); }

static int ldb_in_transaction(lua_State *L) {
  lua_pushboolean(L, lb_check_db(L, 1)->in_txn);
  return 1;
}

static int ldb_count(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  long long n;
  int rc = loupe_db_count(ud->db, &n);
  if (rc) return lb_db_fail(L, rc, "", loupe_db_errmsg(ud->db));
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

/* db:article(id) / db:paragraphs(id) -> Cursor */
static int row_cursor(lua_State *L, int paras) {
  ldb *ud = lb_check_db(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  lcursor *cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, paras ? loupe_db_paragraphs(ud->db, id, &cu->c)
                                     : loupe_db_get(ud->db, id, &cu->c), "");
}

static int ldb_article(lua_State *L) { return row_cursor(L, 0); }

/* A cursor over one of the corpus's lists (list fills it). */
static int list_cursor(lua_State *L,
                       int (*list)(loupe_db *db, loupe_cursor **out)) {
  ldb *ud = lb_check_db(L, 1);
  lcursor *cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, list(ud->db, &cu->c), "");
}

/* db:speakers() / db:clusters() / db:entities([kind]) -> Cursor */
static int ldb_speakers(lua_State *L) {
  return list_cursor(L, loupe_db_speakers);
}

static int ldb_clusters(lua_State *L) {
  return list_cursor(L, loupe_db_clusters);
}

/* db:talking_points(min_articles, min_years, min_words, speaker, since,
 * until) -> Cursor */
static int ldb_talking_points(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  loupe_tp_options o;
  lcursor *cu;
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
  cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, loupe_db_talking_points(ud->db, &o, &cu->c),
                        "talking points");
}

/* db:stats(kind, target, reference, term, features, measure, window,
 * min, limit, recount) -> Cursor: kind 0 keyness, 1 collocations, 2 dfm (as
 * loupe_stats_options); target and reference JSON arrays of ids,
 * features a list of strings or nil. Checked by loupe.corpus.stats. */
static int ldb_stats(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  loupe_stats_options o;
  const char *feat[257];
  lcursor *cu;
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
  o.recount = lua_toboolean(L, 11);
  cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, loupe_db_stats(ud->db, &o, &cu->c), "stats");
}

/* db:export_extras() -> Cursor (id, hash, cluster, quotes, entities) */
static int ldb_export_extras(lua_State *L) {
  return list_cursor(L, loupe_db_export_extras);
}

/* db:stemmed() -> boolean: the index holds English stems */
static int ldb_stemmed(lua_State *L) {
  lua_pushboolean(L, loupe_db_stemmed(lb_check_db(L, 1)->db));
  return 1;
}

/* db:set_clustering(on, threshold) */
static int ldb_set_clustering(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  int on = lua_toboolean(L, 2);
  lua_Number thr = luaL_optnumber(L, 3, 0);
  if (loupe_db_set_clustering(ud->db, on, (double)thr) != LOUPE_OK)
    return luaL_argerror(L, 3, loupe_db_errmsg(ud->db));
  return 0;
}

/* db:set_charset(name): the charset db:add parses pages in ("auto"
 * detects it). Raises for a name loupe does not read. */
static int ldb_set_charset(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  const char *cs = luaL_optstring(L, 2, NULL);
  if (loupe_db_set_charset(ud->db, cs) != LOUPE_OK)
    return luaL_argerror(L, 2, loupe_db_errmsg(ud->db));
  return 0;
}

static int ldb_entities(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
  const char *kind = luaL_optstring(L, 2, NULL);
  lcursor *cu = lb_new_cursor(L, 1);
  return cursor_or_fail(L, ud, loupe_db_entities(ud->db, kind, &cu->c), "");
}
static int ldb_paragraphs(lua_State *L) { return row_cursor(L, 1); }
static const luaL_Reg db_methods[] = {
  {"add", ldb_add},
  {"prefetch", lb_db_prefetch},
  {"add_page", lb_db_add_page},
  {"begin", ldb_begin},
  {"commit", ldb_commit},
  {"rollback", ldb_rollback},
  {"in_transaction", ldb_in_transaction},
  {"defer_indexes", ldb_defer_indexes},
  {"build_indexes", ldb_build_indexes},
  {"count", ldb_count},
  {"is_closed", lb_is_closed},
  {"article", ldb_article},
  {"paragraphs", ldb_paragraphs},
  {"speakers", ldb_speakers},
  {"entities", ldb_entities},
  {"clusters", ldb_clusters},
  {"talking_points", ldb_talking_points},
  {"stats", ldb_stats},
  {"export_extras", ldb_export_extras},
  {"stemmed", ldb_stemmed},
  {"set_clustering", ldb_set_clustering},
  {"set_charset", ldb_set_charset},
  {"run", lb_db_run},
  {"hit_field", lb_db_hit_field},
  {"notices", ldb_notices},
  {"discard", ldb_discard},
  {"check", ldb_check},
  {"verify", ldb_verify},
  {"paths", ldb_paths},
  {NULL, NULL}
};

/* Push f as a closure with t as its upvalue when t is not NULL. */
static void push_method(lua_State *L, lua_CFunction f, const lb_type *t) {
  if (t) lua_pushlightuserdata(L, (void *)t);
  lua_pushcclosure(L, f, t != NULL);
}

/* Metatable name: methods (NULL: none; with t, "close" added) as __index
 * and gc as __gc and __close, each with t as its upvalue when t is not
 * NULL. */
static void new_meta(lua_State *L, const char *name, const luaL_Reg *methods,
                     lua_CFunction gc, const lb_type *t) {
  luaL_newmetatable(L, name);
  if (methods) {
    lua_newtable(L);
    if (t) lua_pushlightuserdata(L, (void *)t);
    luaL_setfuncs(L, methods, t != NULL);
    if (t) {
      push_method(L, lb_close, t);
      lua_setfield(L, -2, "close");
    }
    lua_setfield(L, -2, "__index");
  }
  push_method(L, gc, t);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__gc");
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}

void lb_new_meta(lua_State *L, const char *name, const luaL_Reg *methods,
                 lua_CFunction gc) {
  new_meta(L, name, methods, gc, NULL);
}

void lb_new_type(lua_State *L, const lb_type *t) {
  new_meta(L, t->mt, t->methods, lb_close, t);
}

int lb_close(lua_State *L) {
  const lb_type *t = lua_touserdata(L, lua_upvalueindex(1));
  void **ud = luaL_checkudata(L, 1, t->mt);
  void *handle = *ud;
  *ud = NULL;
  if (handle) t->release(handle);
  return 0;
}

int lb_is_closed(lua_State *L) {
  const lb_type *t = lua_touserdata(L, lua_upvalueindex(1));
  void **ud = luaL_checkudata(L, 1, t->mt);
  lua_pushboolean(L, *ud == NULL);
  return 1;
}

/* loupe_db_close finalizes the corpus's live cursors first. */
static void release_db(void *db) { loupe_db_close(db); }

static const lb_type db_type = {DB_MT, release_db, db_methods};

void lb_open_db(lua_State *L) {
  static const lb_type *const types[] = {&db_type, &lb_cursor_type,
                                         &lb_regex_type, &lb_prefetch_type};
  size_t i;
  for (i = 0; i < sizeof types / sizeof *types; i++) lb_new_type(L, types[i]);
  lua_pushinteger(L, LOUPE_SCHEMA_VERSION);
  lua_setfield(L, -2, "SCHEMA_VERSION");
  lb_open_query(L);
  lb_open_ingest(L);
  lb_open_warc(L);
}
