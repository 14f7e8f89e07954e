/*
 * parse_helpers.h - what test_parse.c and test_parse_text.c share: show
 * (a string escaped for a message), CHECK_STR and CHECK_SIZE, counting and
 * finding a needle, parsing with a fresh parser and checking that the body
 * is its paragraphs joined. Include after check.h, once per test program.
 */
#ifndef LOUPE_TEST_PARSE_HELPERS_H
#define LOUPE_TEST_PARSE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Print s (up to 70 bytes) with control and non-ASCII bytes escaped. */
static inline const char *show(const char *s) {
  static char buf[4][400];
  static int slot;
  char *o = buf[slot = (slot + 1) % 4];
  size_t i, k = 0;
  if (s == NULL) return "(null)";
  o[k++] = '"';
  for (i = 0; s[i] && i < 70; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') o[k++] = (char)c;
    else k += (size_t)sprintf(o + k, "\\x%02X", c);
  }
  if (s[i]) { memcpy(o + k, "...", 3); k += 3; }
  o[k++] = '"';
  o[k] = '\0';
  return o;
}

#define CHECK_STR(what, got, want) \
  CHECK((got) != NULL && strcmp((got), (want)) == 0, "%s: got %s, want %s", \
        (what), show(got), show(want))

#define CHECK_SIZE(what, got, want) \
  CHECK((size_t)(got) == (size_t)(want), "%s: got %zu, want %zu", (what), \
        (size_t)(got), (size_t)(want))


static inline size_t count_of(const char *hay, const char *needle) {
  size_t n = 0, len = strlen(needle);
  const char *p = hay;
  if (hay == NULL || len == 0) return 0;
  while ((p = strstr(p, needle)) != NULL) { n++; p += len; }
  return n;
}

static inline size_t offset_of(const char *hay, const char *needle) {
  const char *p = strstr(hay, needle);
  return p ? (size_t)(p - hay) : (size_t)-1;
}

/* Parse len bytes with a fresh default parser; NULL (and a message) when
 * the parse fails. */
static inline loupe_article *parse_ok(const char *what, const char *bytes,
                               size_t len) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  int rc = loupe_parser_new(&p);
  CHECK(rc == LOUPE_OK && p != NULL, "%s: loupe_parser_new rc %d", what, rc);
  if (p == NULL) return NULL;
  rc = loupe_parse(p, bytes, len, &a);
  CHECK(rc == LOUPE_OK && a != NULL, "%s: loupe_parse rc %d (%s): %s", what,
        rc, loupe_errstr(rc), loupe_errmsg(p));
  loupe_parser_free(p);
  return a;
}

/* The body is exactly the paragraphs joined by "\n\n". */
static inline void check_body_join(const char *what, const loupe_article *a) {
  size_t i, total = 0;
  char *want, *w;
  for (i = 0; i < a->n_paragraphs; i++) total += a->paragraphs[i].len + 2;
  want = malloc(total + 1);
  if (want == NULL) { CHECK(0, "%s: out of memory", what); return; }
  w = want;
  for (i = 0; i < a->n_paragraphs; i++) {
    if (i) { *w++ = '\n'; *w++ = '\n'; }
    CHECK(a->paragraphs[i].text != NULL &&
          strlen(a->paragraphs[i].text) == a->paragraphs[i].len,
          "%s: paragraph %zu: len %zu does not match its text", what, i,
          a->paragraphs[i].len);
    memcpy(w, a->paragraphs[i].text, a->paragraphs[i].len);
    w += a->paragraphs[i].len;
  }
  *w = '\0';
  CHECK(a->body != NULL && a->body_len == (size_t)(w - want) &&
        memcmp(a->body, want, a->body_len) == 0 && a->body[a->body_len] == 0,
        "%s: body (%zu bytes) is not the %zu paragraphs joined by \\n\\n "
        "(%zu bytes): body %s", what, a->body_len, a->n_paragraphs,
        (size_t)(w - want), show(a->body));
  free(want);
}

/* ---- tests ---- */

#endif
