/*
 * json.c - a small lenient JSON reader for the JSON-LD blocks of web
 * pages: values become a tree in an arena, strings are decoded, and the
 * damage real pages carry (comments, trailing commas, raw line breaks in
 * strings, CDATA or comment wrappers, a cut-off end) is survived.
 */
#include <string.h>
#include "html.h"

#define MAX_DEPTH 64

typedef struct {
  const char *s;
  size_t n, i;
  lp_arena *arena;
  int rc;
} jp;

/* Skip spaces, comments and the wrappers pages put around JSON-LD. */
static void skip_ws(jp *p) {
  while (p->i < p->n) {
    const char *s = p->s + p->i;
    size_t left = p->n - p->i;
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == ';') {
      p->i++;
    } else if (c == 0xEF && left >= 3 && (unsigned char)s[1] == 0xBB &&
               (unsigned char)s[2] == 0xBF) {
      p->i += 3;
    } else if (left >= 2 && s[0] == '/' && s[1] == '/') {
      while (p->i < p->n && p->s[p->i] != '\n') p->i++;
    } else if (left >= 2 && s[0] == '/' && s[1] == '*') {
      p->i += 2;
      while (p->i + 1 < p->n && !(p->s[p->i] == '*' && p->s[p->i + 1] == '/'))
        p->i++;
      p->i = p->i + 2 < p->n ? p->i + 2 : p->n;
    } else if (left >= 4 && memcmp(s, "<!--", 4) == 0) {
      p->i += 4;
    } else if (left >= 3 && memcmp(s, "-->", 3) == 0) {
      p->i += 3;
    } else if (left >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
      p->i += 9;
    } else if (left >= 3 && memcmp(s, "]]>", 3) == 0) {
      p->i += 3;
    } else {
      break;
    }
  }
}

static lp_json *node(jp *p, int type, size_t off) {
  lp_json *j = lp_arena_alloc(p->arena, sizeof *j);
  if (j == NULL) {
    p->rc = LOUPE_ENOMEM;
    return NULL;
  }
  j->type = type;
  j->off = off;
  return j;
}

static unsigned hex4(const char *s, size_t n, int *ok) {
  unsigned v = 0;
  size_t k;
  *ok = n >= 4;
  for (k = 0; k < 4 && *ok; k++) {
    char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else *ok = 0;
  }
  return v;
}

/* A string at p->i (opening quote q): decoded into the arena. A raw line
 * break is kept; a string cut by the end of input ends there. */
static lp_json *string_value(jp *p) {
  char q = p->s[p->i];
  size_t start = ++p->i, end = start, o = 0;
  lp_json *j;
  char *out;
  while (end < p->n && p->s[end] != q) end += p->s[end] == '\\' ? 2 : 1;
  if (end > p->n) end = p->n;
  j = node(p, LP_J_STR, start);
  out = j ? lp_arena_alloc(p->arena, end - start + 1) : NULL;
  if (out == NULL) {
    p->rc = LOUPE_ENOMEM;
    return NULL;
  }
  while (p->i < end) {
    char c = p->s[p->i++];
    if (c != '\\' || p->i >= end) {
      out[o++] = c;
      continue;
    }
    c = p->s[p->i++];
    switch (c) {
    case 'n': out[o++] = '\n'; break;
    case 't': out[o++] = '\t'; break;
    case 'r': out[o++] = '\r'; break;
    case 'b': case 'f': out[o++] = ' '; break;
    case 'u': {
      int ok;
      unsigned cp = hex4(p->s + p->i, end - p->i, &ok);
      char enc[4];
      size_t k, m;
      if (!ok) { out[o++] = 'u'; break; }
      p->i += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF && p->i + 6 <= end &&
          p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
        unsigned lo = hex4(p->s + p->i + 2, end - p->i - 2, &ok);
        if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p->i += 6;
        }
      }
      if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0) cp = 0xFFFD;
      /* the escape is 6 bytes, its UTF-8 at most 4: it fits */
      m = lp_utf8_encode(cp, enc);
      for (k = 0; k < m; k++) out[o++] = enc[k];
      break;
    }
    default: out[o++] = c; break;
    }
  }
  out[o] = '\0';
  p->i = end < p->n ? end + 1 : p->n;
  j->str = out;
  j->len = o;
  return j;
}

/* A number, a literal or a bare word: its text. */
static lp_json *word_value(jp *p) {
  size_t start = p->i;
  lp_json *j;
  char *out;
  while (p->i < p->n) {
    char c = p->s[p->i];
    if (c == ',' || c == '}' || c == ']' || c == ':' || c == ' ' ||
        c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '{' ||
        c == '[')
      break;
    p->i++;
  }
  if (p->i == start) {           /* a stray character: skip it */
    p->i++;
    return NULL;
  }
  j = node(p, LP_J_STR, start);
  if (j == NULL) return NULL;
  out = lp_arena_strndup(p->arena, p->s + start, p->i - start);
  if (out == NULL) { p->rc = LOUPE_ENOMEM; return NULL; }
  j->str = out;
  j->len = p->i - start;
  if (strcmp(out, "null") == 0) j->type = LP_J_NULL;
  else if (strcmp(out, "true") == 0 || strcmp(out, "false") == 0)
    j->type = LP_J_BOOL;
  else if ((out[0] >= '0' && out[0] <= '9') || out[0] == '-')
    j->type = LP_J_NUM;
  return j;
}

/* Skip a value nested too deep: brackets counted, strings skipped. */
static void skip_value(jp *p) {
  size_t level = 0;
  while (p->i < p->n) {
    char c = p->s[p->i];
    if (c == '"' || c == '\'') {
      char q = c;
      p->i++;
      while (p->i < p->n && p->s[p->i] != q)
        p->i += p->s[p->i] == '\\' ? 2 : 1;
      p->i++;
      continue;
    }
    if (c == '{' || c == '[') level++;
    else if (c == '}' || c == ']') {
      if (level <= 1) { p->i++; return; }
      level--;
    } else if (level == 0 && c == ',') {
      return;
    }
    p->i++;
  }
}

static lp_json *value(jp *p, int depth);

/* An object or array at p->i: members until the closing bracket, a
 * bracket of the other kind, or the end of input. */
static lp_json *container(jp *p, int depth) {
  char open = p->s[p->i], close = open == '{' ? '}' : ']';
  lp_json *j = node(p, open == '{' ? LP_J_OBJ : LP_J_ARR, p->i), *last = NULL;
  if (j == NULL) return NULL;
  p->i++;
  for (;;) {
    lp_json *v;
    const char *key = NULL;
    skip_ws(p);
    if (p->i >= p->n || p->rc) break;
    if (p->s[p->i] == close) { p->i++; break; }
    if (p->s[p->i] == (close == '}' ? ']' : '}')) break;  /* mismatched */
    if (p->s[p->i] == ',') { p->i++; continue; }
    if (open == '{') {
      lp_json *k = p->s[p->i] == '"' || p->s[p->i] == '\''
                     ? string_value(p) : word_value(p);
      if (p->rc) break;
      if (k == NULL) continue;
      key = k->str;
      skip_ws(p);
      if (p->i < p->n && p->s[p->i] == ':') p->i++;
      else continue;                       /* a key without a value */
      skip_ws(p);
    }
    v = value(p, depth + 1);
    if (p->rc) break;
    if (v == NULL) continue;
    v->key = key;
    if (last) last->next = v;
    else j->child = v;
    last = v;
  }
  return j;
}

static lp_json *value(jp *p, int depth) {
  char c;
  skip_ws(p);
  if (p->i >= p->n) return NULL;
  c = p->s[p->i];
  if (depth > MAX_DEPTH) {
    skip_value(p);
    return NULL;
  }
  if (c == '{' || c == '[') return container(p, depth);
  if (c == '"' || c == '\'') return string_value(p);
  return word_value(p);
}

int lp_json_parse(const char *s, size_t n, lp_arena *arena, lp_json **out) {
  jp p;
  lp_json *first = NULL, *last = NULL, *arr;
  size_t count = 0;
  p.s = s;
  p.n = n;
  p.i = 0;
  p.arena = arena;
  p.rc = LOUPE_OK;
  *out = NULL;
  for (;;) {
    lp_json *v;
    size_t before;
    skip_ws(&p);
    if (p.i >= p.n) break;
    before = p.i;
    v = value(&p, 0);
    if (p.rc) return p.rc;
    if (p.i == before) p.i++;
    if (v == NULL || (v->type != LP_J_OBJ && v->type != LP_J_ARR)) continue;
    if (last) last->next = v;
    else first = v;
    last = v;
    count++;
  }
  if (count <= 1) {
    *out = first;
    return LOUPE_OK;
  }
  arr = lp_arena_alloc(arena, sizeof *arr);
  if (arr == NULL) return LOUPE_ENOMEM;
  arr->type = LP_J_ARR;
  arr->child = first;
  *out = arr;
  return LOUPE_OK;
}

const lp_json *lp_json_get(const lp_json *o, const char *key) {
  const lp_json *c;
  if (o == NULL || o->type != LP_J_OBJ) return NULL;
  for (c = o->child; c; c = c->next)
    if (c->key && strcmp(c->key, key) == 0) return c;
  return NULL;
}
