/*
 * lloupe.c - the Lua binding `loupe.core`: checks arguments, owns the
 * parser and article userdata, and turns an article record into a plain
 * Lua table. No parsing or policy lives here.
 */
#include <stddef.h>
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

static void release_parser(void *p) { loupe_parser_free(p); }
static void release_article(void *a) { loupe_article_free(a); }
static const lb_type parser_type = {PARSER_MT, release_parser, NULL};
static const lb_type article_type = {ARTICLE_MT, release_article, NULL};

/* The keys of the small tables an article has by the thousand (each
 * paragraph's provenance, each quote, each mention of an entity): while
 * an article is pushed they lie interned on the stack from KEY_BASE on
 * (lcore_parse puts them there), so a field is set by lua_rawset without
 * looking its C string up again. */
enum { K_OFFSET, K_LINE, K_RULE, K_TEXT, K_SPEAKER, K_ROLE, K_CUE, K_KIND,
       K_SPEAKER_KIND, K_MENTION, K_PARAGRAPH, K_LENGTH, K__N };
static const char *const key_names[K__N] = {"offset", "line", "rule",
  "text", "speaker", "role", "cue", "kind", "speaker_kind", "mention",
  "paragraph", "length"};
#define KEY_BASE 4     /* after text, options and the article userdata */

static void push_keys(lua_State *L) {
  int k;
  lua_settop(L, KEY_BASE - 1);
  luaL_checkstack(L, K__N + 8, "loupe: no room on the stack");
  for (k = 0; k < K__N; k++) lua_pushstring(L, key_names[k]);
}

/* t[key] = v for the table at the top of the stack. */
static void key_int(lua_State *L, int key, lua_Integer v) {
  lua_pushvalue(L, KEY_BASE + key);
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
}

/* t[key] = s for the table at the top of the stack, unless s is NULL. */
static void key_str(lua_State *L, int key, const char *s) {
  if (s == NULL) return;
  lua_pushvalue(L, KEY_BASE + key);
  lua_pushstring(L, s);
  lua_rawset(L, -3);
}

static void push_span_or_nil(lua_State *L, const loupe_span *sp) {
  if (sp->text) lua_pushlstring(L, sp->text, sp->len);
  else lua_pushnil(L);
}

static void push_prov(lua_State *L, const loupe_span *sp) {
  lua_createtable(L, 0, 3);
  key_int(L, K_OFFSET, (lua_Integer)sp->offset);
  key_int(L, K_LINE, (lua_Integer)sp->line);
  key_str(L, K_RULE, sp->rule ? sp->rule : "");
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

/* Push the list of the n items at items (size bytes each), each pushed
 * by push_one. */
static void push_list(lua_State *L, const void *items, size_t n, size_t size,
                      void (*push_one)(lua_State *L, const void *item)) {
  size_t i;
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    push_one(L, (const char *)items + i * size);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* Push one quote (a loupe_quote). */
static void push_quote(lua_State *L, const void *item) {
  const loupe_quote *q = item;
  lua_createtable(L, 0, 11);
  lua_pushvalue(L, KEY_BASE + K_TEXT);
  lua_pushlstring(L, q->text.text, q->text.len);
  lua_rawset(L, -3);
  key_str(L, K_SPEAKER, q->speaker);
  key_str(L, K_ROLE, q->role);
  key_str(L, K_CUE, q->cue);
  key_str(L, K_KIND, q->kind);
  key_str(L, K_SPEAKER_KIND, q->speaker_kind);
  key_str(L, K_MENTION, q->mention);
  key_str(L, K_RULE, q->rule);
  key_int(L, K_OFFSET, (lua_Integer)q->body_offset);
  key_int(L, K_PARAGRAPH, (lua_Integer)q->paragraph);
  key_int(L, K_LINE, (lua_Integer)q->text.line);
}

/* Push one of an entity's mentions (offset and length: two size_t). */
static void push_mention(lua_State *L, const void *item) {
  const size_t *m = item;
  lua_createtable(L, 0, 2);
  key_int(L, K_OFFSET, (lua_Integer)m[0]);
  key_int(L, K_LENGTH, (lua_Integer)m[1]);
}

/* Push one alias (a string). */
static void push_alias(lua_State *L, const void *item) {
  lua_pushstring(L, *(const char *const *)item);
}

/* Push one entity (a loupe_entity): name, kind, role, aliases, mentions
 * (offset, length). */
static void push_entity(lua_State *L, const void *item) {
  static const char *const keys[] = {"name", "kind", "role"};
  const loupe_entity *e = item;
  const char *const strs[] = {e->name, e->kind, e->role};
  lua_createtable(L, 0, 5);
  lb_set_strs(L, keys, strs, 3);
  push_list(L, e->aliases, e->n_aliases, sizeof *e->aliases, push_alias);
  lua_setfield(L, -2, "aliases");
  push_list(L, e->mentions, e->n_mentions, 2 * sizeof *e->mentions,
            push_mention);
  lua_setfield(L, -2, "mentions");
}

/* Push the input counters (the provenance's "input"). */
static void push_input(lua_State *L, const loupe_article *a) {
  static const char *const int_keys[] = {"bytes", "invalid_utf8",
                                         "nul_bytes", "lines"};
  static const char *const str_keys[] = {"encoding"};
  const lua_Integer ints[] = {(lua_Integer)a->input.bytes,
                              (lua_Integer)a->input.invalid_utf8,
                              (lua_Integer)a->input.nul_bytes,
                              (lua_Integer)a->input.lines};
  const char *const strs[] = {a->input.encoding ? a->input.encoding
                                                : "utf-8"};
  lua_createtable(L, 0, 5);
  lb_set_ints(L, int_keys, ints, 4);
  lb_set_strs(L, str_keys, strs, 1);
}

/* Push the label of one line of the page (a loupe_line_info). */
static void push_line(lua_State *L, const void *item) {
  static const char *const int_keys[] = {"line", "offset"};
  static const char *const str_keys[] = {"label", "reason"};
  const loupe_line_info *li = item;
  const lua_Integer ints[] = {(lua_Integer)li->line, (lua_Integer)li->offset};
  const char *const strs[] = {loupe_line_label_name(li->label), li->reason};
  lua_createtable(L, 0, 4);
  lb_set_ints(L, int_keys, ints, 2);
  lb_set_strs(L, str_keys, strs, 2);
}

/* The scalar fields of an article, by name. */
static const struct {
  const char *name;
  size_t off;
} span_fields[] = {
  {"title", offsetof(loupe_article, title)},
  {"date", offsetof(loupe_article, date)},
  {"dateline", offsetof(loupe_article, dateline)},
  {"credit", offsetof(loupe_article, credit)},
  {"outlet", offsetof(loupe_article, outlet)},
  {"lang", offsetof(loupe_article, lang)},
  {"date_modified", offsetof(loupe_article, date_modified)},
  {"date_visible", offsetof(loupe_article, date_visible)},
  {"url", offsetof(loupe_article, url)},
  {"section", offsetof(loupe_article, section)},
  {"description", offsetof(loupe_article, description)}
};

/* Push the scalar fields and lists of names and paragraphs, with their
 * provenance into the table at prov. */
static void push_fields(lua_State *L, int res, int prov,
                        const loupe_article *a) {
  size_t i;
  for (i = 0; i < sizeof span_fields / sizeof span_fields[0]; i++)
    set_field(L, res, prov, span_fields[i].name,
              (const loupe_span *)(const void *)((const char *)a +
                                                 span_fields[i].off));
  if (a->date.text) {
    lua_pushstring(L, loupe_precision_name(a->date_precision));
    lua_setfield(L, res, "date_precision");
  }
  set_list(L, res, prov, "authors", a->authors, a->n_authors);
  set_list(L, res, prov, "editors", a->editors, a->n_editors);
  set_list(L, res, prov, "paragraphs", a->paragraphs, a->n_paragraphs);
  lua_pushstring(L, loupe_format_name(a->source_format));
  lua_setfield(L, res, "source_format");
}

static void push_article(lua_State *L, const loupe_article *a, int lines) {
  int res, prov;
  lua_createtable(L, 0, 14);
  res = lua_gettop(L);
  lua_createtable(L, 0, 12);
  prov = lua_gettop(L);
  push_fields(L, res, prov, a);
  if (a->n_meta > 0) push_meta(L, res, prov, a);
  lua_pushlstring(L, a->body ? a->body : "", a->body_len);
  lua_setfield(L, res, "body");
  push_list(L, a->quotes, a->n_quotes, sizeof *a->quotes, push_quote);
  lua_setfield(L, res, "quotes");
  push_list(L, a->entities, a->n_entities, sizeof *a->entities, push_entity);
  lua_setfield(L, res, "entities");
  push_input(L, a);
  lua_setfield(L, prov, "input");
  lua_setfield(L, res, "provenance");
  if (lines) {
    push_list(L, a->lines, a->n_lines, sizeof *a->lines, push_line);
    lua_setfield(L, res, "lines");
  }
}

static const char *const parse_opts[] = {"name", "lines", "max_bytes",
                                          "extract", "charset", "format",
                                          NULL};
static const char *const format_names[] = {"auto", "text", "markdown",
                                           "html", NULL};

/* The options of core.parse. */
typedef struct {
  const char *name;       /* anchored in the options table */
  const char *charset;    /* anchored in the options table */
  int keep, extract, format;
  lua_Integer max_bytes;
} parse_options;

/* Raise unless every key of the options table at 2 is known. */
static void check_option_names(lua_State *L) {
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {
    int k;
    const char *key;
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_argerror(L, 2, "option names must be strings");
    key = lua_tostring(L, -2);
    for (k = 0; parse_opts[k]; k++)
      if (strcmp(key, parse_opts[k]) == 0) break;
    if (parse_opts[k] == NULL)
      luaL_argerror(L, 2, lua_pushfstring(L, "unknown option '%s'", key));
    lua_pop(L, 1);
  }
}

/* Option key of the table at 2 as a string, NULL when absent. */
static const char *opt_string(lua_State *L, const char *key) {
  const char *v = NULL;
  if (lua_getfield(L, 2, key) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_argerror(L, 2, lua_pushfstring(L, "option '%s' must be a string",
                                          key));
    v = lua_tostring(L, -1);        /* anchored in the options table */
  }
  lua_pop(L, 1);
  return v;
}

/* The format option's index in format_names. */
static int opt_format(lua_State *L) {
  const char *f = opt_string(L, "format");
  int k;
  if (f == NULL) return LOUPE_FORMAT_AUTO;
  for (k = 0; format_names[k]; k++)
    if (strcmp(f, format_names[k]) == 0) return k;
  return luaL_argerror(L, 2, lua_pushfstring(L,
    "option 'format' must be \"html\", \"text\", \"markdown\" or "
    "\"auto\", not '%s'", f));
}

/* The max_bytes option: a number only ("10" is a mistake), integral,
 * from 1 to LOUPE_MAX_INPUT. */
static lua_Integer opt_max_bytes(lua_State *L, lua_Integer dflt) {
  lua_Integer v = dflt;
  if (lua_getfield(L, 2, "max_bytes") != LUA_TNIL) {
    int isnum = 0;
    if (lua_type(L, -1) == LUA_TNUMBER) v = lua_tointegerx(L, -1, &isnum);
    if (!isnum || v < 1)
      luaL_argerror(L, 2, "option 'max_bytes' must be a positive integer");
    if ((lua_Unsigned)v > (lua_Unsigned)LOUPE_MAX_INPUT)
      luaL_argerror(L, 2, lua_pushfstring(L,
        "option 'max_bytes' must be at most %I (1 GiB)",
        (lua_Integer)LOUPE_MAX_INPUT));
  }
  lua_pop(L, 1);
  return v;
}

/* Read the options table at 2 (none: the defaults) into o. */
static void read_parse_options(lua_State *L, parse_options *o) {
  memset(o, 0, sizeof *o);
  o->extract = 1;
  o->format = LOUPE_FORMAT_AUTO;
  o->max_bytes = (lua_Integer)256 << 20;
  if (lua_isnoneornil(L, 2)) return;
  luaL_checktype(L, 2, LUA_TTABLE);
  check_option_names(L);
  o->name = opt_string(L, "name");
  lua_getfield(L, 2, "lines");
  o->keep = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "extract") != LUA_TNIL)
    o->extract = lua_toboolean(L, -1);
  lua_pop(L, 1);
  o->format = opt_format(L);
  o->charset = opt_string(L, "charset");
  o->max_bytes = opt_max_bytes(L, o->max_bytes);
}

/* core.parse(text [, opts]) -> table | nil, message, code */
static int lcore_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  lparser *pud = lua_touserdata(L, lua_upvalueindex(1));
  larticle *aud;
  parse_options o;
  int rc;
  read_parse_options(L, &o);
  if (pud == NULL || pud->p == NULL)
    return luaL_error(L, "loupe: parser is closed");
  loupe_parser_set_max_bytes(pud->p, (size_t)o.max_bytes);
  loupe_parser_set_keep_lines(pud->p, o.keep);
  loupe_parser_set_extract(pud->p, o.extract);
  loupe_parser_set_format(pud->p, (loupe_format)o.format);
  if (loupe_parser_set_charset(pud->p, o.charset) != LOUPE_OK)
    return luaL_argerror(L, 2, lua_pushfstring(L, "option 'charset': %s",
                                               loupe_errmsg(pud->p)));
  /* the article lives in a userdata so a raise below cannot leak it */
  lua_settop(L, 2);
  aud = lua_newuserdatauv(L, sizeof *aud, 0);
  aud->a = NULL;
  luaL_setmetatable(L, ARTICLE_MT);
  rc = loupe_parse(pud->p, text, len, &aud->a);
  if (rc != LOUPE_OK) return lb_fail(L, rc, o.name, loupe_errmsg(pud->p));
  push_keys(L);
  push_article(L, aud->a, o.keep);
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

/* The module's functions (core.parse, a closure over the module's
 * parser, is added apart). */
static const luaL_Reg core_funcs[] = {
  {"format_of_path", lcore_format_of_path},
  {"open", lb_core_open},
  {"regex", lb_core_regex},
  {"list_files", lb_core_list_files},
  {"cpu_count", lb_core_cpu_count},
  {"catch_interrupt", lb_core_catch_interrupt},
  {"warc_open", lb_core_warc_open},
  {"warc_open_file", lb_core_warc_open_file},
  {NULL, NULL}
};

LOUPE_EXPORT int luaopen_loupe_core(lua_State *L);

LOUPE_EXPORT int luaopen_loupe_core(lua_State *L) {
  lparser *pud;
  luaL_checkversion(L);
  lb_new_type(L, &article_type);
  lb_new_type(L, &parser_type);

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
  luaL_setfuncs(L, core_funcs, 0);
  lua_pushstring(L, LOUPE_VERSION);
  lua_setfield(L, -2, "_VERSION");
  /* the default limit on search text, which loupe.query checks before
   * reading a text in the search language */
  lua_pushinteger(L, LOUPE_MAX_QUERY_BYTES);
  lua_setfield(L, -2, "MAX_QUERY_BYTES");
  lb_open_db(L);
  return 1;
}
