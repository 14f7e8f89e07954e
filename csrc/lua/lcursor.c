/*
 * lcursor.c - the binding's cursor userdata (loupe.Cursor): rows as
 * tables, released at once when exhausted; raises on a failure.
 */
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

static lcursor *check_cursor(lua_State *L, int i) {
  return lb_check_open(L, i, CURSOR_MT, "cursor");
}

static void release_cursor(void *c) { loupe_cursor_free(c); }

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
    case LOUPE_COL_NULL: continue;
    case LOUPE_COL_INT: lua_pushinteger(L, loupe_cursor_int(ud->c, i)); break;
    case LOUPE_COL_FLOAT:
      lua_pushnumber(L, loupe_cursor_double(ud->c, i));
      break;
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

/* Push a new cursor userdata keeping the database (stack index dbi)
 * alive through its user value; returns it for the caller to fill. */
lcursor *lb_new_cursor(lua_State *L, int dbi) {
  lcursor *ud = lua_newuserdatauv(L, sizeof *ud, 1);
  ud->c = NULL;
  luaL_setmetatable(L, CURSOR_MT);
  lua_pushvalue(L, dbi);
  lua_setiuservalue(L, -2, 1);
  return ud;
}

static const luaL_Reg cursor_methods[] = {
  {"next", lcursor_next},
  {"is_closed", lb_is_closed},
  {NULL, NULL}
};

const lb_type lb_cursor_type = {CURSOR_MT, release_cursor, cursor_methods};
