/*
 * lbind.h - shared by the binding's files: the data-error return and the
 * registration of the corpus, cursor and regex types.
 */
#ifndef LOUPE_LBIND_H
#define LOUPE_LBIND_H

#include <lua.h>

/* Push nil, "loupe: <what>: <msg>", code name; returns 3. */
int lb_fail(lua_State *L, int rc, const char *what, const char *msg);
/* Register Db, Cursor and Regex and add open, regex and list_files to the
 * module table at the top of the stack. */
void lb_open_db(lua_State *L);

#endif
