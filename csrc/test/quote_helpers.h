/*
 * quote_helpers.h - what test_quotes.c and test_quotes_news.c share:
 * parsing a page, finding a quote by its first words, the rows
 * "start|speaker|kind" of a page table and its runner, QUOTE_FIELD,
 * QUOTE_HOLDS and NO_QUOTE. Include after check.h, once per program.
 */
#ifndef LOUPE_TEST_QUOTE_HELPERS_H
#define LOUPE_TEST_QUOTE_HELPERS_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
static inline loupe_article *parse_text(const char *what, const char *text) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  int rc = loupe_parser_new(&p);
  CHECK(rc == LOUPE_OK && p != NULL, "%s: loupe_parser_new rc %d", what, rc);
  if (p == NULL) return NULL;
  rc = loupe_parse(p, text, strlen(text), &a);
  CHECK(rc == LOUPE_OK && a != NULL, "%s: loupe_parse rc %d (%s): %s", what,
        rc, loupe_errstr(rc), loupe_errmsg(p));
  loupe_parser_free(p);
  return a;
}

/* The first quote whose text starts with start (NULL when none). */
static inline const loupe_quote *quote_starting(const loupe_article *a,
                                         const char *start) {
  size_t i;
  for (i = 0; a && i < a->n_quotes; i++)
    if (strncmp(a->quotes[i].text.text, start, strlen(start)) == 0)
      return &a->quotes[i];
  return NULL;
}

/* What a page's quote must have, as a row "start|speaker|kind": the
 * quote by its first words, its speaker (empty: none) and its kind
 * (empty: any). */
typedef struct {
  char start[128], speaker[64], kind[16];
} said_case;

/* Split a row at its two bars; 0 when it has not two. */
static inline int said_row(const char *row, said_case *c) {
  const char *b1 = strchr(row, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
  if (b2 == NULL || (size_t)(b1 - row) >= sizeof c->start ||
      (size_t)(b2 - b1 - 1) >= sizeof c->speaker ||
      strlen(b2 + 1) >= sizeof c->kind)
    return 0;
  memcpy(c->start, row, (size_t)(b1 - row));
  c->start[b1 - row] = '\0';
  memcpy(c->speaker, b1 + 1, (size_t)(b2 - b1 - 1));
  c->speaker[b2 - b1 - 1] = '\0';
  strcpy(c->kind, b2 + 1);
  return 1;
}

static inline void check_said(const char *what, const loupe_article *a,
                       const char *row) {
  said_case c;
  const loupe_quote *q;
  if (!said_row(row, &c)) {
    CHECK(0, "%s: bad row \"%s\" (want start|speaker|kind)", what, row);
    return;
  }
  q = quote_starting(a, c.start);
  if (q == NULL) {
    CHECK(0, "%s: no quote starts with \"%s\"", what, c.start);
    return;
  }
  if (c.speaker[0] == '\0')
    CHECK(q->speaker == NULL, "%s: \"%s\": speaker %s, want none", what,
          c.start, q->speaker);
  else
    CHECK(q->speaker && strcmp(q->speaker, c.speaker) == 0,
          "%s: \"%s\": speaker %s, want %s (rule %s)", what, c.start,
          q->speaker ? q->speaker : "(none)", c.speaker,
          q->rule ? q->rule : "(none)");
  if (c.kind[0])
    CHECK(strcmp(q->kind, c.kind) == 0, "%s: \"%s\": kind %s, want %s",
          what, c.start, q->kind, c.kind);
}

/* A want of QUOTE_ANY: the field is set, whatever it holds. */
static const char QUOTE_ANY[] = "(any)";

/* The const char * field at offset off (its name: field) of the quote
 * starting with start is want (NULL: none). */
static inline void check_field_at(const char *file, int line, const loupe_article *a,
                           const char *start, const char *field, size_t off,
                           const char *want) {
  const loupe_quote *q = quote_starting(a, start);
  const char *got;
  if (q == NULL) {
    check_at(file, line, 0, "no quote starts with \"%s\" (for its %s)",
             start, field);
    return;
  }
  got = *(const char *const *)(const void *)((const char *)q + off);
  check_at(file, line,
           want == QUOTE_ANY ? got != NULL
           : want == NULL    ? got == NULL
                             : got != NULL && strcmp(got, want) == 0,
           "\"%s\": %s %s, want %s", start, field, got ? got : "(none)",
           want ? want : "(none)");
}

#define QUOTE_FIELD(a, start, field, want) \
  check_field_at(__FILE__, __LINE__, (a), (start), #field, \
                 offsetof(loupe_quote, field), (want))

/* The text of the quote starting with start holds needle (a quote that
 * runs on over the next paragraph). */
static inline void check_holds_at(const char *file, int line, const loupe_article *a,
                           const char *start, const char *needle) {
  const loupe_quote *q = quote_starting(a, start);
  check_at(file, line, q && strstr(q->text.text, needle) != NULL,
           "\"%s\": text %s, want it to hold \"%s\"", start,
           q ? q->text.text : "(no such quote)", needle);
}

#define QUOTE_HOLDS(a, start, needle) \
  check_holds_at(__FILE__, __LINE__, (a), (start), (needle))

/* No quote starts with start (a title, not speech). */
#define NO_QUOTE(a, start, why) \
  CHECK(quote_starting((a), (start)) == NULL, "\"%s\": %s", (start), (why))

/* A page, its further checks (NULL: none) and its quotes as rows
 * "start|speaker|kind" (see check_said), to NULL. */
typedef struct {
  const char *what, *page;
  void (*more)(const loupe_article *a);
  const char *said[24];
} quote_page;

/* Each page parsed once, then every row of its table and its further
 * checks. */
static inline void run_pages(const quote_page *pages, size_t n) {
  size_t i, k;
  for (i = 0; i < n; i++) {
    const quote_page *c = &pages[i];
    loupe_article *a = parse_text(c->what, c->page);
    if (a == NULL) continue;
    for (k = 0; c->said[k]; k++) check_said(c->what, a, c->said[k]);
    if (c->more) c->more(a);
    loupe_article_free(a);
  }
}

/* A test program whose one test runs its table of pages. */
#define QUOTE_PAGES_MAIN(program, pages)                                  \
  static void test_pages(void) {                                          \
    run_pages(pages, sizeof pages / sizeof *pages);                       \
  }                                                                       \
  int main(void) {                                                        \
    static const check_test tests[] = {test_pages};                       \
    return check_run(program, tests, sizeof tests / sizeof *tests);       \
  }

#endif
