/*
 * lloupe.c - the Lua binding `loupe.core`: checks arguments, owns the
 * parser and article userdata, and turns an article record into a plain
 * Lua table. No parsing or policy lives here.
 */
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "../loupe.h"
#include "lbind.h"

#if LUA_VERSION_NUM < 504
#error "loupe needs Lua 5.4"
#endif

#define PARSER_MT "loupe.Parser"
#define ARTICLE_MT "loupe.Article"

#ifndef LOUPE_EXPORT
#define LOUPE_EXPORT __attribute__((visibility("default")))
#endif

typedef struct {
  loupe_parser *p;
} lparser;

typedef struct {
  loupe_article *a;
} larticle;

static int lparser_gc(lua_State *L) {
  lparser *ud = luaL_checkudata(L, 1, PARSER_MT);
  loupe_parser_free(ud->p);
  ud->p = NULL;
  return 0;
}

static int larticle_gc(lua_State *L) {
  larticle *ud = luaL_checkudata(L, 1, ARTICLE_MT);
  loupe_article_free(ud->a);
  ud->a = NULL;
  return 0;
}

static void push_span_or_nil(lua_State *L, const loupe_span *sp) {
  if (sp->text) lua_pushlstring(L, sp->text, sp->len);
  else lua_pushnil(L);
}

static void push_prov(lua_State *L, const loupe_span *sp) {
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)sp->offset);
  lua_setfield(L, -2, "offset");
  lua_pushinteger(L, (lua_Integer)sp->line);
  lua_setfield(L, -2, "line");
  lua_pushstring(L, sp->rule ? sp->rule : "");
  lua_setfield(L, -2, "rule");
}

/* Set field `name` of the table at -2 (result) and its provenance in the
 * table at prov (absolute index) when the span was found. */
static void set_field(lua_State *L, int res, int prov, const char *name,
                      const loupe_span *sp) {
  push_span_or_nil(L, sp);
  lua_setfield(L, res, name);
  if (sp->text) {
    push_prov(L, sp);
    lua_setfield(L, prov, name);
  }
}

static void set_list(lua_State *L, int res, int prov, const char *name,
                     const loupe_span *list, size_t n) {
  size_t i;
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushlstring(L, list[i].text, list[i].len);
    lua_rawseti(L, -3, (lua_Integer)i + 1);
    push_prov(L, &list[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, prov, name);
  lua_setfield(L, res, name);
}

/* The page's metadata as a table: one value per key, "authors" a list;
 * provenance.meta gets the same keys with {offset, line, rule}. */
static void push_meta(lua_State *L, int res, int prov,
                      const loupe_article *a) {
  size_t i;
  int meta, pmeta;
  lua_createtable(L, 0, (int)a->n_meta);
  meta = lua_gettop(L);
  lua_createtable(L, 0, (int)a->n_meta);
  pmeta = lua_gettop(L);
  for (i = 0; i < a->n_meta; i++) {
    const loupe_meta *m = &a->meta[i];
    if (strcmp(m->key, "author") == 0) {
      lua_Integer k;
      if (lua_getfield(L, meta, "authors") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, meta, "authors");
        lua_newtable(L);
        lua_setfield(L, pmeta, "authors");
      }
      k = (lua_Integer)lua_rawlen(L, -1) + 1;
      lua_pushlstring(L, m->value.text, m->value.len);
      lua_rawseti(L, -2, k);
      lua_pop(L, 1);
      lua_getfield(L, pmeta, "authors");
      push_prov(L, &m->value);
      lua_rawseti(L, -2, k);
      lua_pop(L, 1);
      continue;
    }
    lua_pushlstring(L, m->value.text, m->value.len);
    lua_setfield(L, meta, m->key);
    push_prov(L, &m->value);
    lua_setfield(L, pmeta, m->key);
  }
  lua_setfield(L, prov, "meta");
  lua_setfield(L, res, "meta");
}

static void push_article(lua_State *L, const loupe_article *a, int lines) {
  int res, prov;
  size_t i;
  lua_createtable(L, 0, 14);
  res = lua_gettop(L);
  lua_createtable(L, 0, 12);
  prov = lua_gettop(L);
  set_field(L, res, prov, "title", &a->title);
  set_field(L, res, prov, "date", &a->date);
  if (a->date.text) {
    lua_pushstring(L, loupe_precision_name(a->date_precision));
    lua_setfield(L, res, "date_precision");
  }
  set_field(L, res, prov, "dateline", &a->dateline);
  set_field(L, res, prov, "credit", &a->credit);
  set_field(L, res, prov, "outlet", &a->outlet);
  set_field(L, res, prov, "lang", &a->lang);
  set_list(L, res, prov, "authors", a->authors, a->n_authors);
  set_list(L, res, prov, "editors", a->editors, a->n_editors);
  set_list(L, res, prov, "paragraphs", a->paragraphs, a->n_paragraphs);
  lua_pushstring(L, loupe_format_name(a->source_format));
  lua_setfield(L, res, "source_format");
  set_field(L, res, prov, "date_modified", &a->date_modified);
  set_field(L, res, prov, "date_visible", &a->date_visible);
  set_field(L, res, prov, "url", &a->url);
  set_field(L, res, prov, "section", &a->section);
  set_field(L, res, prov, "description", &a->description);
  if (a->n_meta > 0) push_meta(L, res, prov, a);
  lua_pushlstring(L, a->body ? a->body : "", a->body_len);
  lua_setfield(L, res, "body");
  lua_createtable(L, (int)a->n_quotes, 0);
  for (i = 0; i < a->n_quotes; i++) {
    const loupe_quote *q = &a->quotes[i];
    lua_createtable(L, 0, 11);
    lua_pushlstring(L, q->text.text, q->text.len);
    lua_setfield(L, -2, "text");
    if (q->speaker) {
      lua_pushstring(L, q->speaker);
      lua_setfield(L, -2, "speaker");
    }
    if (q->role) {
      lua_pushstring(L, q->role);
      lua_setfield(L, -2, "role");
    }
    if (q->cue) {
      lua_pushstring(L, q->cue);
      lua_setfield(L, -2, "cue");
    }
    lua_pushstring(L, q->kind);
    lua_setfield(L, -2, "kind");
    if (q->speaker_kind) {
      lua_pushstring(L, q->speaker_kind);
      lua_setfield(L, -2, "speaker_kind");
    }
    if (q->mention) {
      lua_pushstring(L, q->mention);
      lua_setfield(L, -2, "mention");
    }
    if (q->rule) {
      lua_pushstring(L, q->rule);
      lua_setfield(L, -2, "rule");
    }
    lua_pushinteger(L, (lua_Integer)q->body_offset);
    lua_setfield(L, -2, "offset");
    lua_pushinteger(L, (lua_Integer)q->paragraph);
    lua_setfield(L, -2, "paragraph");
    lua_pushinteger(L, (lua_Integer)q->text.line);
    lua_setfield(L, -2, "line");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, res, "quotes");
  lua_createtable(L, (int)a->n_entities, 0);
  for (i = 0; i < a->n_entities; i++) {
    const loupe_entity *e = &a->entities[i];
    size_t k;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, e->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, e->kind);
    lua_setfield(L, -2, "kind");
    if (e->role) {
      lua_pushstring(L, e->role);
      lua_setfield(L, -2, "role");
    }
    lua_createtable(L, (int)e->n_aliases, 0);
    for (k = 0; k < e->n_aliases; k++) {
      lua_pushstring(L, e->aliases[k]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "aliases");
    lua_createtable(L, (int)e->n_mentions, 0);
    for (k = 0; k < e->n_mentions; k++) {
      lua_createtable(L, 0, 2);
      lua_pushinteger(L, (lua_Integer)e->mentions[2 * k]);
      lua_setfield(L, -2, "offset");
      lua_pushinteger(L, (lua_Integer)e->mentions[2 * k + 1]);
      lua_setfield(L, -2, "length");
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "mentions");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, res, "entities");
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)a->input.bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, (lua_Integer)a->input.invalid_utf8);
  lua_setfield(L, -2, "invalid_utf8");
  lua_pushinteger(L, (lua_Integer)a->input.nul_bytes);
  lua_setfield(L, -2, "nul_bytes");
  lua_pushinteger(L, (lua_Integer)a->input.lines);
  lua_setfield(L, -2, "lines");
  lua_pushstring(L, a->input.encoding ? a->input.encoding : "utf-8");
  lua_setfield(L, -2, "encoding");
  lua_setfield(L, prov, "input");
  lua_setfield(L, res, "provenance");
  if (lines) {
    lua_createtable(L, (int)a->n_lines, 0);
    for (i = 0; i < a->n_lines; i++) {
      const loupe_line_info *li = &a->lines[i];
      lua_createtable(L, 0, 4);
      lua_pushinteger(L, (lua_Integer)li->line);
      lua_setfield(L, -2, "line");
      lua_pushinteger(L, (lua_Integer)li->offset);
      lua_setfield(L, -2, "offset");
      lua_pushstring(L, loupe_line_label_name(li->label));
      lua_setfield(L, -2, "label");
      lua_pushstring(L, li->reason);
      lua_setfield(L, -2, "reason");
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, res, "lines");
  }
}

static const char *const parse_opts[] = {"name", "lines", "max_bytes",
                                          "extract", "charset", "format",
                                          NULL};
static const char *const format_names[] = {"auto", "text", "markdown",
                                           "html", NULL};

/* core.parse(text [, opts]) -> table | nil, message, code */
static int lcore_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  lparser *pud = lua_touserdata(L, lua_upvalueindex(1));
  larticle *aud;
  const char *name = NULL;
  int keep = 0, rc, extract = 1, format = LOUPE_FORMAT_AUTO;
  lua_Integer max_bytes = (lua_Integer)256 << 20;
  const char *charset = NULL;

  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
      int k;
      const char *key;
      if (lua_type(L, -2) != LUA_TSTRING)
        return luaL_argerror(L, 2, "option names must be strings");
      key = lua_tostring(L, -2);
      for (k = 0; parse_opts[k]; k++)
        if (strcmp(key, parse_opts[k]) == 0) break;
      if (parse_opts[k] == NULL)
        return luaL_argerror(L, 2,
                             lua_pushfstring(L, "unknown option '%s'", key));
      lua_pop(L, 1);
    }
    if (lua_getfield(L, 2, "name") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_argerror(L, 2, "option 'name' must be a string");
      name = lua_tostring(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 2, "lines");
    keep = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "extract") != LUA_TNIL) extract = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "format") != LUA_TNIL) {
      const char *f;
      int k;
      if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_argerror(L, 2, "option 'format' must be a string");
      f = lua_tostring(L, -1);
      for (k = 0; format_names[k]; k++)
        if (strcmp(f, format_names[k]) == 0) break;
      if (format_names[k] == NULL)
        return luaL_argerror(L, 2, lua_pushfstring(L,
          "option 'format' must be \"html\", \"text\", \"markdown\" or "
          "\"auto\", not '%s'", f));
      format = k;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "charset") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_argerror(L, 2, "option 'charset' must be a string");
      charset = lua_tostring(L, -1);   /* anchored in the options table */
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "max_bytes") != LUA_TNIL) {
      int isnum = 0;
      /* a number only ("10" is a mistake), integral, positive */
      if (lua_type(L, -1) == LUA_TNUMBER)
        max_bytes = lua_tointegerx(L, -1, &isnum);
      if (!isnum || max_bytes < 1)
        return luaL_argerror(L, 2, "option 'max_bytes' must be a positive integer");
      if ((lua_Unsigned)max_bytes > (lua_Unsigned)LOUPE_MAX_INPUT)
        return luaL_argerror(L, 2, lua_pushfstring(L,
          "option 'max_bytes' must be at most %I (1 GiB)",
          (lua_Integer)LOUPE_MAX_INPUT));
    }
    lua_pop(L, 1);
  }
  if (pud == NULL || pud->p == NULL) return luaL_error(L, "loupe: parser is closed");
  loupe_parser_set_max_bytes(pud->p, (size_t)max_bytes);
  loupe_parser_set_keep_lines(pud->p, keep);
  loupe_parser_set_extract(pud->p, extract);
  loupe_parser_set_format(pud->p, (loupe_format)format);
  if (loupe_parser_set_charset(pud->p, charset) != LOUPE_OK)
    return luaL_argerror(L, 2, lua_pushfstring(L, "option 'charset': %s",
                                               loupe_errmsg(pud->p)));
  /* the article lives in a userdata so a raise below cannot leak it */
  aud = lua_newuserdatauv(L, sizeof *aud, 0);
  aud->a = NULL;
  luaL_setmetatable(L, ARTICLE_MT);
  rc = loupe_parse(pud->p, text, len, &aud->a);
  if (rc != LOUPE_OK) {
    lua_pushnil(L);
    if (name) lua_pushfstring(L, "loupe: %s: %s", name, loupe_errmsg(pud->p));
    else lua_pushfstring(L, "loupe: %s", loupe_errmsg(pud->p));
    lua_pushstring(L, loupe_errstr(rc));
    return 3;
  }
  push_article(L, aud->a, keep);
  loupe_article_free(aud->a);
  aud->a = NULL;
  return 1;
}

/* core.format_of_path(path) -> "html" | "markdown" | "auto" */
static int lcore_format_of_path(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_pushstring(L, loupe_format_name(loupe_format_of_path(path)));
  return 1;
}

LOUPE_EXPORT int luaopen_loupe_core(lua_State *L);

LOUPE_EXPORT int luaopen_loupe_core(lua_State *L) {
  lparser *pud;
  luaL_checkversion(L);
  luaL_newmetatable(L, ARTICLE_MT);
  lua_pushcfunction(L, larticle_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, larticle_gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  luaL_newmetatable(L, PARSER_MT);
  lua_pushcfunction(L, lparser_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);

  {
    char err[200];
    if (loupe_check_runtime(err, sizeof err) != LOUPE_OK)
      return luaL_error(L, "loupe: %s", err);
  }
  lua_createtable(L, 0, 8);
  pud = lua_newuserdatauv(L, sizeof *pud, 0);
  pud->p = NULL;
  luaL_setmetatable(L, PARSER_MT);
  if (loupe_parser_new(&pud->p) != LOUPE_OK)
    return luaL_error(L, "loupe: out of memory creating the parser");
  lua_pushcclosure(L, lcore_parse, 1);
  lua_setfield(L, -2, "parse");
  lua_pushcfunction(L, lcore_format_of_path);
  lua_setfield(L, -2, "format_of_path");
  lua_pushstring(L, LOUPE_VERSION);
  lua_setfield(L, -2, "_VERSION");
  lb_open_db(L);
  return 1;
}
