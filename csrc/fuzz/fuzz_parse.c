/*
 * fuzz_parse.c - libFuzzer harness for loupe_parse: the first byte picks
 * the options (extraction, per-line labels, a byte limit, the format
 * forced, a charset named), the rest is the page. Checks every field of the record (UTF-8, lengths, offsets inside
 * the input and body, calendar dates, labels) and that extraction leaves
 * the body and fields as a parse without it makes them.
 */
#include "fuzz.h"

/* Option bits of the first byte. */
#define OPT_EXTRACT  0x01   /* quotes, speakers and entities */
#define OPT_LINES    0x02   /* keep the per-line labels */
#define OPT_COMPARE  0x04   /* parse again with extraction toggled */
#define OPT_LIMIT    0x18   /* 0 default, 1 exactly len, 2 len - 1 */
#define OPT_FORMAT   0x60   /* loupe_format: 0 auto, 1 text, 2 md, 3 html */
#define OPT_CHARSET  0x80   /* the next byte names a charset */

/* Charsets a caller may name (loupe_parser_set_charset). */
static const char *const charsets[] = {
  "auto", "utf-8", "windows-1252", "latin1", "gbk", "gb18030", "big5",
  "shift_jis"
};

static loupe_parser *parser;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (loupe_parser_new(&parser) != LOUPE_OK) abort();
  return 0;
}

static int leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* digits s[0..n) as a number, -1 when one is not a digit */
static long num(const char *s, size_t n) {
  long v = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* The date is ISO 8601 at exactly its precision and names a real day
 * and time (month 1-12, day in its month, 00:00-23:59, zone +-HH:MM). */
static void check_date(const loupe_article *a) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  static const size_t want[] = {0, 4, 7, 10, 16, 19};
  const char *d = a->date.text;
  size_t n = a->date.len, base;
  long y, m, day;
  if (d == NULL) {
    FUZZ_ASSERT(a->date_precision == LOUPE_PREC_NONE, "precision %d",
                (int)a->date_precision);
    return;
  }
  FUZZ_ASSERT(a->date_precision >= LOUPE_PREC_YEAR &&
              a->date_precision <= LOUPE_PREC_SECOND, "precision %d",
              (int)a->date_precision);
  base = want[a->date_precision];
  FUZZ_ASSERT(n >= base, "date '%s' shorter than its precision", d);
  y = num(d, 4);
  FUZZ_ASSERT(y >= 0, "year of '%s'", d);
  if (a->date_precision == LOUPE_PREC_YEAR) {
    FUZZ_ASSERT(n == 4, "year date '%s'", d);
    return;
  }
  m = num(d + 5, 2);
  FUZZ_ASSERT(d[4] == '-' && m >= 1 && m <= 12, "month of '%s'", d);
  if (a->date_precision == LOUPE_PREC_MONTH) {
    FUZZ_ASSERT(n == 7, "month date '%s'", d);
    return;
  }
  day = num(d + 8, 2);
  FUZZ_ASSERT(d[7] == '-' && day >= 1 &&
              day <= mdays[m - 1] + (m == 2 && leap(y)), "day of '%s'", d);
  if (a->date_precision == LOUPE_PREC_DAY) {
    FUZZ_ASSERT(n == 10, "day date '%s'", d);
    return;
  }
  FUZZ_ASSERT(d[10] == 'T' && num(d + 11, 2) >= 0 && num(d + 11, 2) <= 23 &&
              d[13] == ':' && num(d + 14, 2) >= 0 && num(d + 14, 2) <= 59,
              "time of '%s'", d);
  if (a->date_precision == LOUPE_PREC_SECOND)
    FUZZ_ASSERT(d[16] == ':' && num(d + 17, 2) >= 0 && num(d + 17, 2) <= 60,
                "seconds of '%s'", d);
  if (n == base) return;
  if (n == base + 1) {
    FUZZ_ASSERT(d[base] == 'Z', "zone of '%s'", d);
    return;
  }
  FUZZ_ASSERT(n == base + 6 && (d[base] == '+' || d[base] == '-') &&
              num(d + base + 1, 2) >= 0 && num(d + base + 1, 2) <= 23 &&
              d[base + 3] == ':' && num(d + base + 4, 2) >= 0 &&
              num(d + base + 4, 2) <= 59, "zone of '%s'", d);
}

/* A span is absent (no text, line 0) or UTF-8 text from inside the input. */
static void check_span(const char *what, const loupe_span *s, size_t len,
                       const loupe_article *a) {
  if (s->text == NULL) {
    FUZZ_ASSERT(s->len == 0 && s->line == 0, "%s: absent with len %zu line "
                "%zu", what, s->len, s->line);
    return;
  }
  FUZZ_ASSERT(fz_text_ok(s->text, s->len), "%s: not UTF-8 text of %zu bytes",
              what, s->len);
  FUZZ_ASSERT(s->offset <= len, "%s: offset %zu past the input (%zu)", what,
              s->offset, len);
  FUZZ_ASSERT(s->line >= 1 && s->line <= a->input.lines, "%s: line %zu of %zu",
              what, s->line, a->input.lines);
  FUZZ_ASSERT(s->rule != NULL, "%s: no rule", what);
}

static void check_name(const char *what, const char *s) {
  if (s) FUZZ_ASSERT(fz_text_ok(s, strlen(s)), "%s: not UTF-8", what);
}

/* Every field of a successful parse of len bytes. */
static void check_article(const loupe_article *a, size_t len, int extract,
                          int lines) {
  size_t i, k, at = 0;
  FUZZ_ASSERT(a->input.bytes == len, "input.bytes %zu, len %zu",
              a->input.bytes, len);
  FUZZ_ASSERT(a->input.encoding != NULL, "no encoding");
  FUZZ_ASSERT(a->input.lines >= 1, "no lines");
  check_span("title", &a->title, len, a);
  check_span("date", &a->date, len, a);
  check_span("dateline", &a->dateline, len, a);
  check_span("credit", &a->credit, len, a);
  check_span("outlet", &a->outlet, len, a);
  if (a->lang.text)
    FUZZ_ASSERT(fz_text_ok(a->lang.text, a->lang.len), "lang");
  check_date(a);
  for (i = 0; i < a->n_authors; i++)
    check_span("author", &a->authors[i], len, a);
  for (i = 0; i < a->n_editors; i++)
    check_span("editor", &a->editors[i], len, a);

  /* the body is the paragraphs joined by a blank line */
  FUZZ_ASSERT(a->body != NULL || a->body_len == 0, "no body");
  if (a->body) FUZZ_ASSERT(fz_text_ok(a->body, a->body_len), "body");
  for (i = 0; i < a->n_paragraphs; i++) {
    const loupe_span *p = &a->paragraphs[i];
    check_span("paragraph", p, len, a);
    FUZZ_ASSERT(p->len > 0, "empty paragraph %zu", i + 1);
    if (i > 0) {
      FUZZ_ASSERT(at + 2 <= a->body_len && memcmp(a->body + at, "\n\n", 2) == 0,
                  "no blank line before paragraph %zu", i + 1);
      at += 2;
    }
    FUZZ_ASSERT(at + p->len <= a->body_len &&
                memcmp(a->body + at, p->text, p->len) == 0,
                "paragraph %zu is not the body at %zu", i + 1, at);
    at += p->len;
  }
  FUZZ_ASSERT(at == a->body_len, "paragraphs make %zu bytes, body %zu", at,
              a->body_len);

  if (!extract) {
    FUZZ_ASSERT(a->n_quotes == 0 && a->n_entities == 0,
                "quotes or entities without extraction");
  }
  for (i = 0; i < a->n_quotes; i++) {
    const loupe_quote *q = &a->quotes[i];
    FUZZ_ASSERT(q->text.text && fz_text_ok(q->text.text, q->text.len),
                "quote %zu text", i + 1);
    FUZZ_ASSERT(q->text.offset <= len, "quote %zu offset %zu", i + 1,
                q->text.offset);
    FUZZ_ASSERT(q->body_offset <= a->body_len, "quote %zu body offset %zu "
                "past the body (%zu)", i + 1, q->body_offset, a->body_len);
    FUZZ_ASSERT(q->paragraph >= 1 && q->paragraph <= a->n_paragraphs,
                "quote %zu in paragraph %zu of %zu", i + 1, q->paragraph,
                a->n_paragraphs);
    FUZZ_ASSERT(q->kind && (strcmp(q->kind, "direct") == 0 ||
                            strcmp(q->kind, "reported") == 0 ||
                            strcmp(q->kind, "phrase") == 0 ||
                            strcmp(q->kind, "turn") == 0),
                "quote %zu kind", i + 1);
    check_name("speaker", q->speaker);
    check_name("role", q->role);
    check_name("cue", q->cue);
  }
  for (i = 0; i < a->n_entities; i++) {
    const loupe_entity *e = &a->entities[i];
    FUZZ_ASSERT(e->name && *e->name, "entity %zu without a name", i + 1);
    check_name("entity", e->name);
    check_name("entity role", e->role);
    FUZZ_ASSERT(e->kind && (strcmp(e->kind, "person") == 0 ||
                            strcmp(e->kind, "organisation") == 0 ||
                            strcmp(e->kind, "place") == 0),
                "entity %zu kind", i + 1);
    for (k = 0; k < e->n_aliases; k++) check_name("alias", e->aliases[k]);
    for (k = 0; k < e->n_mentions; k++) {
      size_t off = e->mentions[2 * k], n = e->mentions[2 * k + 1];
      FUZZ_ASSERT(off <= a->body_len && n <= a->body_len - off,
                  "mention %zu+%zu of '%s' past the body (%zu)", off, n,
                  e->name, a->body_len);
    }
  }

  if (!lines) {
    FUZZ_ASSERT(a->lines == NULL && a->n_lines == 0, "lines not asked for");
    return;
  }
  FUZZ_ASSERT(a->n_lines == a->input.lines, "%zu line labels for %zu lines",
              a->n_lines, a->input.lines);
  for (i = 0; i < a->n_lines; i++) {
    const loupe_line_info *l = &a->lines[i];
    FUZZ_ASSERT(l->line == i + 1, "line %zu numbered %zu", i + 1, l->line);
    FUZZ_ASSERT(l->offset <= len, "line %zu offset %zu", i + 1, l->offset);
    FUZZ_ASSERT(i == 0 || l->offset >= a->lines[i - 1].offset,
                "line %zu starts before line %zu", i + 1, i);
    FUZZ_ASSERT(l->label >= LOUPE_LINE_BLANK &&
                l->label <= LOUPE_LINE_DUPLICATE, "line %zu label %d", i + 1,
                (int)l->label);
    FUZZ_ASSERT(l->reason != NULL, "line %zu has no reason", i + 1);
  }
}

static int same_span(const loupe_span *x, const loupe_span *y) {
  if (x->text == NULL || y->text == NULL) return x->text == y->text;
  return x->len == y->len && memcmp(x->text, y->text, x->len) == 0 &&
         x->offset == y->offset && x->line == y->line;
}

/* Extraction adds quotes and entities; the rest of the record is the
 * same with or without it. */
static void check_same(const loupe_article *a, const loupe_article *b) {
  size_t i;
  FUZZ_ASSERT(a->body_len == b->body_len &&
              memcmp(a->body ? a->body : "", b->body ? b->body : "",
                     a->body_len) == 0, "bodies differ with extraction");
  FUZZ_ASSERT(a->n_paragraphs == b->n_paragraphs, "paragraphs %zu and %zu",
              a->n_paragraphs, b->n_paragraphs);
  for (i = 0; i < a->n_paragraphs; i++)
    FUZZ_ASSERT(same_span(&a->paragraphs[i], &b->paragraphs[i]),
                "paragraph %zu differs", i + 1);
  FUZZ_ASSERT(same_span(&a->title, &b->title), "titles differ");
  FUZZ_ASSERT(same_span(&a->date, &b->date), "dates differ");
  FUZZ_ASSERT(same_span(&a->credit, &b->credit), "credits differ");
  FUZZ_ASSERT(same_span(&a->outlet, &b->outlet), "outlets differ");
  FUZZ_ASSERT(a->n_authors == b->n_authors, "authors differ");
}

/* A failed parse gives one of its documented codes, a message, no record. */
static void check_failure(int rc, const loupe_article *a) {
  FUZZ_ASSERT(rc == LOUPE_EENCODING || rc == LOUPE_EEMPTY ||
              rc == LOUPE_ELIMIT, "parse failed with %d (%s): %s", rc,
              loupe_errstr(rc), loupe_errmsg(parser));
  FUZZ_ASSERT(a == NULL, "a record on failure");
  FUZZ_ASSERT(*loupe_errmsg(parser) != '\0', "no message for rc %d", rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_reader r;
  unsigned opt;
  const char *page;
  size_t len, max;
  loupe_article *a = NULL, *b = NULL;
  int rc, extract, lines, limit;

  fz_init(&r, data, size);
  opt = fz_byte(&r);
  loupe_parser_set_format(parser, (loupe_format)((opt & OPT_FORMAT) >> 5));
  if (opt & OPT_CHARSET) {
    unsigned c = fz_byte(&r);
    rc = loupe_parser_set_charset(
        parser, charsets[c % (sizeof charsets / sizeof charsets[0])]);
    FUZZ_ASSERT(rc == LOUPE_OK, "charset refused: rc %d", rc);
  } else {
    loupe_parser_set_charset(parser, NULL);
  }
  page = (const char *)r.p;
  len = r.left;
  extract = (opt & OPT_EXTRACT) != 0;
  lines = (opt & OPT_LINES) != 0;
  limit = (int)((opt & OPT_LIMIT) >> 3);
  max = (size_t)256 << 20;
  if (limit == 1 && len > 0) max = len;
  else if (limit == 2 && len > 1) max = len - 1;
  loupe_parser_set_extract(parser, extract);
  loupe_parser_set_keep_lines(parser, lines);
  loupe_parser_set_max_bytes(parser, max);

  rc = loupe_parse(parser, page, len, &a);
  if (len > max) {
    FUZZ_ASSERT(rc == LOUPE_ELIMIT, "%zu bytes over a limit of %zu: rc %d",
                len, max, rc);
  }
  if (rc != LOUPE_OK) {
    check_failure(rc, a);
    return 0;
  }
  check_article(a, len, extract, lines);
  if (opt & OPT_COMPARE) {
    loupe_parser_set_extract(parser, !extract);
    rc = loupe_parse(parser, page, len, &b);
    FUZZ_ASSERT(rc == LOUPE_OK, "second parse failed: rc %d", rc);
    check_article(b, len, !extract, lines);
    check_same(a, b);
    loupe_article_free(b);
  }
  loupe_article_free(a);
  return 0;
}
