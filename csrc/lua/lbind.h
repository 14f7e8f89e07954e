/*
 * lbind.h - shared by the binding's files: the userdata types, the
 * data-error returns, the argument helpers, the setting of a struct's
 * fields into a table and the registration of each type (one file per
 * type: ldb.c, lcursor.c, lquery.c, lregex.c, lprefetch.c, lingest.c,
 * lwarc.c; lloupe.c opens the module and lists its functions).
 */
#ifndef LOUPE_LBIND_H
#define LOUPE_LBIND_H

#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"

#define DB_MT "loupe.Db"
#define CURSOR_MT "loupe.Cursor"
#define REGEX_MT "loupe.Regex"
#define PREFETCH_MT "loupe.Prefetch"
#define CATCH_MT "loupe.InterruptCatcher"

/* Every userdata type holds the handle it owns first (lb_check_open).
 * loupe.Db: NULL once closed. */
typedef struct {
  loupe_db *db;
  int in_txn;
} ldb;

/* loupe.Cursor: NULL once closed or exhausted. */
typedef struct {
  loupe_cursor *c;
} lcursor;

/* Push nil, "loupe: <what>: <msg>", code name; returns 3. */
int lb_fail(lua_State *L, int rc, const char *what, const char *msg);
/* lb_fail for a corpus-level failure, whose message names the corpus
 * file (what is then left out); others as lb_fail. */
int lb_db_fail(lua_State *L, int rc, const char *what, const char *msg);
/* The userdata of type mt at stack index i, whose first field is the
 * handle it owns; raises "attempt to use a closed <what>" when that is
 * NULL (closed). */
void *lb_check_open(lua_State *L, int i, const char *mt, const char *what);
/* The open corpus at stack index i; raises when it is closed. */
ldb *lb_check_db(lua_State *L, int i);
/* The name of an add status ("added", "updated", ...). */
const char *lb_status_name(loupe_add_status st);
/* Push a new cursor userdata keeping the database (stack index dbi)
 * alive through its user value; returns it for the caller to fill. */
lcursor *lb_new_cursor(lua_State *L, int dbi);
/* Field name of the table at t as an integer in [lo, hi], or dflt when
 * absent; raises "bad argument #arg to 'fname' (...)" otherwise. */
lua_Integer lb_opt_int_field(lua_State *L, int t, const char *name,
                             lua_Integer lo, lua_Integer hi, lua_Integer dflt,
                             int arg, const char *fname);
/* Read the regex limits of the table at t (match_limit, depth_limit,
 * heap_limit); errors name argument arg of fname. */
void lb_read_limits(lua_State *L, int t, loupe_regex_limits *lim, int arg,
                    const char *fname);
/* Register metatable name: methods (NULL: none) as __index, gc as __gc
 * and __close. */
void lb_new_meta(lua_State *L, const char *name, const luaL_Reg *methods,
                 lua_CFunction gc);

/* A userdata type whose first field is the one handle it owns (NULL once
 * released): its metatable's name, the handle's release function and its
 * methods (NULL: none). */
typedef struct {
  const char *mt;
  void (*release)(void *handle);
  const luaL_Reg *methods;
} lb_type;

/* Register type t: its methods, and "close" (lb_close) when it has any,
 * as __index, each given t as its upvalue; __gc and __close are
 * lb_close. */
void lb_new_type(lua_State *L, const lb_type *t);
/* obj:close(), __close and __gc of a type registered by lb_new_type (it
 * reads the type from its upvalue): releases the handle once and leaves
 * NULL (closed) behind. */
int lb_close(lua_State *L);
/* obj:is_closed() of a type registered by lb_new_type (list it among the
 * type's methods to offer it). */
int lb_is_closed(lua_State *L);

/* t[keys[i]] = vals[i] for the table at the top of the stack, i < n; a
 * NULL string is left out. For the fields of a C struct, named in one
 * list and read in another. */
static inline void lb_set_strs(lua_State *L, const char *const *keys,
                               const char *const *vals, int n) {
  int i;
  for (i = 0; i < n; i++) {
    if (vals[i] == NULL) continue;
    lua_pushstring(L, vals[i]);
    lua_setfield(L, -2, keys[i]);
  }
}

static inline void lb_set_ints(lua_State *L, const char *const *keys,
                               const lua_Integer *vals, int n) {
  int i;
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, vals[i]);
    lua_setfield(L, -2, keys[i]);
  }
}

/* Db methods defined with the type they work on. */
int lb_db_prefetch(lua_State *L);     /* lprefetch.c */
int lb_db_add_page(lua_State *L);     /* lprefetch.c */
int lb_db_run(lua_State *L);          /* lquery.c */
int lb_db_hit_field(lua_State *L);    /* lquery.c */

/* The module's functions, which lloupe.c lists (core.X). */
int lb_core_open(lua_State *L);             /* ldb.c */
int lb_core_regex(lua_State *L);            /* lregex.c */
int lb_core_list_files(lua_State *L);       /* lingest.c */
int lb_core_cpu_count(lua_State *L);        /* lingest.c */
int lb_core_catch_interrupt(lua_State *L);  /* lingest.c */
int lb_core_warc_open(lua_State *L);        /* lwarc.c */
int lb_core_warc_open_file(lua_State *L);   /* lwarc.c */

/* The types lb_open_db registers with lb_new_type, each defined in the
 * file named. */
extern const lb_type lb_cursor_type;    /* lcursor.c */
extern const lb_type lb_regex_type;     /* lregex.c */
extern const lb_type lb_prefetch_type;  /* lprefetch.c */

/* Register the types whose userdata hold more than one handle (with
 * lb_new_meta). lb_open_db registers every type of the corpus and adds
 * core.SCHEMA_VERSION to the module table at the top of the stack. */
void lb_open_db(lua_State *L);
void lb_open_query(lua_State *L);
void lb_open_ingest(lua_State *L);
void lb_open_warc(lua_State *L);

#endif
