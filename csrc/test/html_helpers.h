/*
 * html_helpers.h - what test_html.c and test_html_charset.c share:
 * CHECK_STR, parsing bytes as a format with per-line labels kept, looking
 * into the body and metadata, and the line of a byte. Include after
 * check.h, once per test program.
 */
#ifndef LOUPE_TEST_HTML_HELPERS_H
#define LOUPE_TEST_HTML_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "check.h"

#define CHECK_STR(what, got, want) \
  CHECK((got) != NULL && strcmp((got), (want)) == 0, "%s: got '%s', want '%s'", \
        (what), (got) ? (got) : "(null)", (want))

/* Does the body hold needle? */
static inline int body_has(const loupe_article *a, const char *needle) {
  return a->body && strstr(a->body, needle) != NULL;
}

/* The value of metadata key in a, or NULL. */
static inline const loupe_meta *meta_of(const loupe_article *a, const char *key) {
  size_t i;
  for (i = 0; i < a->n_meta; i++)
    if (strcmp(a->meta[i].key, key) == 0) return &a->meta[i];
  return NULL;
}

static inline loupe_article *parse_as(const char *s, size_t n, loupe_format f,
                               int *rc) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  *rc = loupe_parser_new(&p);
  if (*rc != LOUPE_OK) return NULL;
  loupe_parser_set_format(p, f);
  loupe_parser_set_keep_lines(p, 1);
  *rc = loupe_parse(p, s, n, &a);
  if (*rc != LOUPE_OK) printf("  (parse: %s)\n", loupe_errmsg(p));
  loupe_parser_free(p);
  return a;
}

/* 1-based line of byte off in s. */
static inline size_t line_at(const char *s, size_t off) {
  size_t i, line = 1;
  for (i = 0; i < off; i++) line += s[i] == '\n';
  return line;
}

/* parse_as that must succeed: the article, or NULL after a failed check
 * named what. */
static inline loupe_article *parse_ok(const char *what, const char *s,
                                      size_t n, loupe_format f) {
  int rc;
  loupe_article *a = parse_as(s, n, f, &rc);
  CHECK_RC(what, rc, LOUPE_OK);
  return a;
}

#endif
