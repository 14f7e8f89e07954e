/*
 * lquery.c - queries from Lua: a Lua description turned into calls of
 * the C builder (db:run), and the fields of a hit read on demand
 * (db:hit_field).
 */
#include <limits.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

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

/* The search text, phrases and NEAR groups. Each field read is popped
 * inside its own block: a pop after a skipped lua_getfield would take
 * the caller's slot (the query box, whose closing frees q). */
static int query_text(lua_State *L, int t, loupe_query *q) {
  const char *s = opt_field_string(L, t, "text");
  lua_Integer i, n;
  int rc = LOUPE_OK;
  if (s) {
    int raw;
    lua_getfield(L, t, "raw");
    raw = lua_toboolean(L, -1);
    lua_pop(L, 1);
    rc = loupe_query_text(q, s, raw);
  }
  if (rc) return rc;
  if (lua_getfield(L, t, "phrases") == LUA_TTABLE) {
    n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n && !rc; i++) {
      lua_rawgeti(L, -1, i);
      rc = loupe_query_phrase(q, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (rc) return rc;
  if (lua_getfield(L, t, "nears") != LUA_TTABLE) {
    lua_pop(L, 1);
    return LOUPE_OK;
  }
  n = (lua_Integer)lua_rawlen(L, -1);
  for (i = 1; i <= n && !rc; i++) {
    lua_Integer d;
    int isnum;
    lua_rawgeti(L, -1, i);
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    lua_rawgeti(L, -3, 3);
    d = lua_tointegerx(L, -1, &isnum);
    /* checked by the Lua layer; never cut to an int here */
    if (!isnum || d < 0 || d > INT_MAX) {
      lua_pushfstring(L, "bad argument #3 to 'near' (distance must be an "
                      "integer from 0 to %d)", INT_MAX);
      return lua_error(L);
    }
    rc = loupe_query_near(q, lua_tostring(L, -3), lua_tostring(L, -2),
                          (int)d);
    lua_pop(L, 4);
  }
  lua_pop(L, 1);
  return rc;
}

/* The date bounds and the filters, each a value or a list of values. */
static int query_filters(lua_State *L, int t, loupe_query *q) {
  static const struct {
    const char *name;
    loupe_filter key;
  } lists[] = {
    {"outlet", LOUPE_F_OUTLET}, {"credit", LOUPE_F_CREDIT},
    {"author", LOUPE_F_AUTHOR}, {"lang", LOUPE_F_LANG},
    {"id", LOUPE_F_ID}, {"speaker", LOUPE_F_SPEAKER},
    {"entity", LOUPE_F_ENTITY}, {"kind", LOUPE_F_KIND},
    {"quote_text", LOUPE_F_QUOTE_TEXT}
  };
  size_t i;
  int rc = loupe_query_since(q, opt_field_string(L, t, "since"));
  if (!rc) rc = loupe_query_until(q, opt_field_string(L, t, "until"));
  for (i = 0; i < sizeof lists / sizeof lists[0] && !rc; i++)
    rc = apply_list(L, q, t, lists[i].name, lists[i].key);
  return rc;
}

/* The switches quotes_only, collapse and count_clusters. */
static int query_switches(lua_State *L, int t, loupe_query *q) {
  static const struct {
    const char *name;
    int (*set)(loupe_query *, int);
  } sw[] = {{"quotes_only", loupe_query_quotes_only},
            {"collapse", loupe_query_collapse},
            {"count_clusters", loupe_query_count_clusters}};
  size_t i;
  int rc = LOUPE_OK;
  for (i = 0; i < sizeof sw / sizeof sw[0] && !rc; i++) {
    lua_getfield(L, t, sw[i].name);
    rc = sw[i].set(q, lua_toboolean(L, -1));
    lua_pop(L, 1);
  }
  return rc;
}

/* The regex with its flags and limits. */
static int query_regex(lua_State *L, int t, loupe_query *q) {
  loupe_regex_limits lim;
  const char *s = opt_field_string(L, t, "regex");
  int rc;
  if (s == NULL) return LOUPE_OK;
  memset(&lim, 0, sizeof lim);
  if (lua_getfield(L, t, "regex_limits") == LUA_TTABLE)
    lb_read_limits(L, lua_gettop(L), &lim, 1, "regex");
  lua_pop(L, 1);
  rc = loupe_query_regex_limits(q, &lim);
  if (!rc) rc = loupe_query_regex(q, s, opt_field_string(L, t, "regex_flags"));
  return rc;
}

/*
 * Build a C query from the description table at index t. The Lua query
 * module has already checked every key; values are re-checked by the C
 * builder. Returns a LOUPE_* code (message on q).
 */
static int build_query(lua_State *L, int t, loupe_query *q) {
  const char *s;
  lua_Integer limit, offset;
  int rc;
  loupe_query_set_limits(q,
    (size_t)lb_opt_int_field(L, t, "max_query_bytes", 1, LUA_MAXINTEGER, 0, 2,
                             "query"),
    (size_t)lb_opt_int_field(L, t, "max_query_terms", 1, LUA_MAXINTEGER, 0, 2,
                             "query"));
  rc = query_text(L, t, q);
  if (!rc) rc = query_filters(L, t, q);
  if (!rc) rc = query_switches(L, t, q);
  if (!rc) rc = query_regex(L, t, q);
  if (!rc && (s = opt_field_string(L, t, "order")) != NULL) {
    loupe_order o = strcmp(s, "date") == 0 ? LOUPE_ORDER_DATE
                    : strcmp(s, "-date") == 0 ? LOUPE_ORDER_DATE_DESC
                    : strcmp(s, "rank") == 0 ? LOUPE_ORDER_RANK
                                             : LOUPE_ORDER_DEFAULT;
    rc = loupe_query_order(q, o);
  }
  limit = lb_opt_int_field(L, t, "limit", 0, LUA_MAXINTEGER, -1, 1, "limit");
  offset = lb_opt_int_field(L, t, "offset", 0, LUA_MAXINTEGER, 0, 1, "offset");
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
int lb_db_run(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
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
  if (rc) return lb_db_fail(L, rc, "query", loupe_query_errmsg(box->q));
  if (mode == 0) {
    long long n;
    rc = loupe_query_count(box->q, &n);
    if (rc) return lb_db_fail(L, rc, "query", loupe_query_errmsg(box->q));
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
  } else {
    lcursor *cu = lb_new_cursor(L, 1);
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
      if (lua_type(L, 8) == LUA_TTABLE) lb_read_limits(L, 8, &lim, 1, "kwic");
      rc = loupe_query_regex_limits(box->q, &lim);
      if (!rc)
        rc = loupe_query_kwic(box->q, term, is_regex, flags, (int)width,
                              &cu->c);
    }
    }
    if (rc) return lb_db_fail(L, rc, "query", loupe_query_errmsg(box->q));
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
int lb_db_hit_field(lua_State *L) {
  ldb *ud = lb_check_db(L, 1);
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
    if (rc) return lb_db_fail(L, rc, "snippet", loupe_db_errmsg(ud->db));
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
    if (rc) return lb_db_fail(L, rc, "rank", loupe_db_errmsg(ud->db));
    if (found) lua_pushnumber(L, (lua_Number)rank);
    else lua_pushnil(L);
    return 1;
  }
  rc = loupe_db_hit_field(ud->db, match, mlen, (long long)id,
                          (loupe_hit_field)(field + 1), &text, &len);
  if (rc) return lb_db_fail(L, rc, hit_fields[field], loupe_db_errmsg(ud->db));
  if (text) lua_pushlstring(L, text, len);
  else lua_pushnil(L);
  return 1;
}

void lb_open_query(lua_State *L) {
  lb_new_meta(L, "loupe.QueryBox", NULL, lquery_box_gc);
}
