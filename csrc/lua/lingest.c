/*
 * lingest.c - what the command line's ingest needs around the corpus:
 * the files to read (core.list_files), the processors (core.cpu_count)
 * and Ctrl-C caught between pages (core.catch_interrupt).
 */
#define _POSIX_C_SOURCE 200809L   /* sigaction */
#include <signal.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

/* core.cpu_count() -> processors online */
int lb_core_cpu_count(lua_State *L) {
  lua_pushinteger(L, loupe_cpu_count());
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

int lb_core_list_files(lua_State *L) {
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
int lb_core_catch_interrupt(lua_State *L) {
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


static const luaL_Reg catch_methods[] = {
  {"pending", lcatch_pending},
  {"close", lcatch_close},
  {NULL, NULL}
};

void lb_open_ingest(lua_State *L) {
  lb_new_meta(L, CATCH_MT, catch_methods, lcatch_close);
  lb_new_meta(L, "loupe.FilesBox", NULL, lfiles_box_gc);
}
