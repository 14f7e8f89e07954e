/*
 * lregex.c - the binding's regex userdata (loupe.Regex, core.regex) and
 * the reading of regex limit options.
 */
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

typedef struct {
  loupe_regex *re;
} lregex;

static lregex *check_regex(lua_State *L, int i) {
  return lb_check_open(L, i, REGEX_MT, "regex");
}

static void release_regex(void *re) { loupe_regex_free(re); }

/*
 * Field name of the table at t as an integer in [lo, hi], or dflt when
 * absent. A string, a float with a fraction, NaN, an infinity or a value
 * out of range raises "bad argument #arg to 'fname' (option 'name' must
 * be an integer from lo to hi)": never cut to a C type.
 */
lua_Integer lb_opt_int_field(lua_State *L, int t, const char *name,
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
void lb_read_limits(lua_State *L, int t, loupe_regex_limits *lim,
                        int arg, const char *fname) {
  lim->match_limit = (unsigned long)lb_opt_int_field(L, t, "match_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
  lim->depth_limit = (unsigned long)lb_opt_int_field(L, t, "depth_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
  lim->heap_limit = (unsigned long)lb_opt_int_field(L, t, "heap_limit", 1,
    REGEX_LIMIT_MAX, 0, arg, fname);
}

/* core.regex(pattern [, flags [, limits]]) -> Regex | nil, msg, "syntax" */
int lb_core_regex(lua_State *L) {
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
    lb_read_limits(L, 3, &lim, 3, "regex");
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
  size_t len, stack_ov[2 * 32], *ov = stack_ov;
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
  /* every group, however many: a large ovector in Lua-owned memory */
  if (groups >= 32)
    ov = lua_newuserdatauv(L, (size_t)(groups + 1) * 2 * sizeof *ov, 0);
  rc = loupe_regex_exec(ud->re, s, len, (size_t)init - 1, ov, groups + 1,
                        &np);
  if (rc) return lb_fail(L, rc, "regex", loupe_regex_errmsg(ud->re));
  if (np == 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)ov[0] + 1);
  lua_pushinteger(L, (lua_Integer)ov[1]);
  /* every group of the pattern: false for those that took no part */
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

static const luaL_Reg regex_methods[] = {
  {"exec", lregex_exec},
  {"groups", lregex_groups},
  {NULL, NULL}
};

const lb_type lb_regex_type = {REGEX_MT, release_regex, regex_methods};
