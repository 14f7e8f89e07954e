/*
 * fuzz_query.c - libFuzzer harness for queries: text (literal or raw
 * FTS5), phrase, NEAR, filters, date bounds, a regex, order, paging,
 * collapsing, all from the fuzzer's bytes, run against a small in-memory
 * corpus of invented pages. The terminals must agree (count = hits = ids
 * = the sum of the group counts), literal text must never be a syntax
 * error, every text read back must be UTF-8, and a regex must keep
 * exactly the articles whose bodies it matches.
 *
 * Input: 3 option bytes, then NUL-separated strings: text, phrase, NEAR
 * a, NEAR b, regex, regex flags, since, until, kwic term, and filter
 * values whose first byte picks the filter key (1 outlet, 2 credit, 3
 * author, 4 lang, 5 id, 6 speaker, 7 entity, 8 quote kind, 9 quote text;
 * then again from 10).
 */
#include "fuzz.h"
#include "pages.h"

#define MAX_IDS 64
#define N_FILTERS 8

/* The query the bytes describe; NULL strings are not set. */
typedef struct {
  int raw, collapse, quotes_only, count_clusters, run;
  loupe_order order;
  loupe_group group;
  long long limit, offset;
  int paged;
  char *text, *phrase, *near_a, *near_b, *re, *flags, *since, *until, *kwic;
  char *fv[N_FILTERS];
  int nf;
} spec;

/* Which terminals beyond count to run (bits of spec.run). */
#define RUN_HITS   0x01
#define RUN_IDS    0x02
#define RUN_GROUP  0x04
#define RUN_KWIC   0x08
#define RUN_QUOTES 0x10

static loupe_db *db;
static long long n_articles;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  size_t i;
  loupe_add_status st;
  long long id;
  (void)argc;
  (void)argv;
  if (loupe_db_open(":memory:", 0, &db) != LOUPE_OK) abort();
  for (i = 0; i < FZ_N_PAGES; i++) {
    if (loupe_db_add(db, fz_pages[i], strlen(fz_pages[i]), NULL, &st, &id) !=
        LOUPE_OK) {
      fprintf(stderr, "fuzz_query: page %zu: %s\n", i + 1,
              loupe_db_errmsg(db));
      abort();
    }
  }
  if (loupe_db_count(db, &n_articles) != LOUPE_OK ||
      n_articles != (long long)FZ_N_PAGES)
    abort();
  return 0;
}

/* An empty string sets nothing. */
static char *opt_string(fz_reader *r) {
  char *s = fz_string(r, NULL);
  if (s && *s == '\0') {
    free(s);
    return NULL;
  }
  return s;
}

static void read_spec(fz_reader *r, spec *s) {
  unsigned b0 = fz_byte(r), b1 = fz_byte(r), b2 = fz_byte(r);
  char *v;
  memset(s, 0, sizeof *s);
  s->raw = b0 & 1;
  s->order = (loupe_order)((b0 >> 1) & 3);
  s->collapse = (b0 >> 3) & 1;
  s->quotes_only = (b0 >> 4) & 1;
  s->count_clusters = (b0 >> 5) & 1;
  s->group = (loupe_group)(1 + (b0 >> 6) % 5);
  s->paged = (b1 & 0x80) != 0;
  s->limit = (long long)(b1 & 7) - 1;         /* -1: no limit */
  s->offset = (long long)((b1 >> 3) & 7);
  s->run = (int)b2;
  s->text = fz_string(r, NULL);                /* "" is a valid text */
  s->phrase = opt_string(r);
  s->near_a = opt_string(r);
  s->near_b = opt_string(r);
  s->re = opt_string(r);
  s->flags = fz_string(r, NULL);
  s->since = opt_string(r);
  s->until = opt_string(r);
  s->kwic = opt_string(r);
  while (s->nf < N_FILTERS && (v = fz_string(r, NULL)) != NULL) {
    if (*v == '\0') {
      free(v);
      continue;
    }
    s->fv[s->nf++] = v;
  }
}

static void free_spec(spec *s) {
  int i;
  free(s->text); free(s->phrase); free(s->near_a); free(s->near_b);
  free(s->re); free(s->flags); free(s->since); free(s->until); free(s->kwic);
  for (i = 0; i < s->nf; i++) free(s->fv[i]);
}

/* A setter either takes its value or refuses it with one of the codes it
 * may give (bits 1 << code of allowed) and a message; a refused part is
 * left out of the query. */
#define CODE(rc) (1u << (rc))
static void check_set(loupe_query *q, const char *what, int rc,
                      unsigned allowed) {
  if (rc == LOUPE_OK) return;
  FUZZ_ASSERT(rc > 0 && rc < 32 && (allowed & CODE(rc)), "%s: rc %d (%s): %s",
              what, rc, loupe_errstr(rc), loupe_query_errmsg(q));
  FUZZ_ASSERT(*loupe_query_errmsg(q) != '\0', "%s: no message", what);
}

/* A new query as s describes it (with its regex when with_re). Text,
 * phrases, NEAR terms and regexes may meet a size limit; a phrase or a
 * NEAR term without a letter or digit, a NEAR distance below 0 and a date
 * that is no day are invalid. */
static loupe_query *build(const spec *s, int with_re) {
  loupe_query *q = NULL;
  int i, rc;
  FUZZ_ASSERT(loupe_query_new(db, &q) == LOUPE_OK, "query_new");
  rc = loupe_query_text(q, s->text, s->raw);
  check_set(q, "text", rc, CODE(LOUPE_ELIMIT));
  if (s->phrase)
    check_set(q, "phrase", loupe_query_phrase(q, s->phrase),
              CODE(LOUPE_EINVAL) | CODE(LOUPE_ELIMIT));
  if (s->near_a && s->near_b)
    check_set(q, "near", loupe_query_near(q, s->near_a, s->near_b,
                                          (int)(s->offset * 2) - 1),
              CODE(LOUPE_EINVAL) | CODE(LOUPE_ELIMIT));
  for (i = 0; i < s->nf; i++)
    check_set(q, "filter", loupe_query_filter(q, (loupe_filter)(
                1 + ((unsigned char)s->fv[i][0] - 1) % 9), s->fv[i] + 1),
              CODE(LOUPE_ELIMIT) | CODE(LOUPE_EINVAL));
  if (s->since) check_set(q, "since", loupe_query_since(q, s->since),
                          CODE(LOUPE_EINVAL));
  if (s->until) check_set(q, "until", loupe_query_until(q, s->until),
                          CODE(LOUPE_EINVAL));
  if (with_re && s->re)
    check_set(q, "regex", loupe_query_regex(q, s->re, s->flags),
              CODE(LOUPE_ESYNTAX) | CODE(LOUPE_ELIMIT));
  check_set(q, "order", loupe_query_order(q, s->order), 0);
  if (s->paged) loupe_query_limit(q, s->limit, s->offset);
  loupe_query_collapse(q, s->collapse);
  loupe_query_quotes_only(q, s->quotes_only);
  loupe_query_count_clusters(q, s->count_clusters);
  return q;
}

/* A terminal failed: the codes a query may meet on this corpus are a
 * syntax error in raw FTS5 text or in a regex that cannot be matched, and
 * a regex limit. */
static void check_run_error(const spec *s, const char *what, int rc,
                            const char *msg) {
  FUZZ_ASSERT(rc == LOUPE_ESYNTAX || rc == LOUPE_ELIMIT, "%s: rc %d (%s): %s",
              what, rc, loupe_errstr(rc), msg);
  FUZZ_ASSERT(msg && *msg, "%s: no message", what);
  if (rc == LOUPE_ESYNTAX)
    FUZZ_ASSERT(s->raw || ((s->re || s->kwic) && strstr(msg, "regex")),
                "%s: literal text is a syntax error: %s", what, msg);
  else
    FUZZ_ASSERT(s->re || s->kwic, "%s: a limit with no regex: %s", what, msg);
}

/* Every text column of the current row is NUL-terminated UTF-8. */
static void check_row(loupe_cursor *c, const char *what) {
  int i, n = loupe_cursor_columns(c);
  for (i = 0; i < n; i++) {
    size_t len;
    const char *t;
    if (loupe_cursor_type(c, i) != 3) continue;
    t = loupe_cursor_text(c, i, &len);
    FUZZ_ASSERT(t && fz_utf8_ok(t, len), "%s: column %s is not UTF-8", what,
                loupe_cursor_name(c, i));
  }
}

static int col_of(const loupe_cursor *c, const char *name) {
  int i, n = loupe_cursor_columns(c);
  for (i = 0; i < n; i++)
    if (strcmp(loupe_cursor_name(c, i), name) == 0) return i;
  FUZZ_ASSERT(0, "no column %s", name);
  return -1;
}

/*
 * Step c to its end (it is freed), checking each row; collect the id
 * column (when idcol) into ids, and the sum of column "count" into *sum.
 * Returns the rows, or -1 after a step error (checked here).
 */
static long long drain(const spec *s, loupe_cursor *c, const char *what,
                       long long *ids, long long *sum) {
  long long n = 0;
  int has, rc, idc = ids ? col_of(c, "id") : -1;
  int cc = sum ? col_of(c, "count") : -1;
  for (;;) {
    rc = loupe_cursor_next(c, &has);
    if (rc != LOUPE_OK) {
      check_run_error(s, what, rc, loupe_cursor_errmsg(c));
      n = -1;
      break;
    }
    if (!has) break;
    check_row(c, what);
    if (ids && n < MAX_IDS) ids[n] = loupe_cursor_int(c, idc);
    if (sum) *sum += loupe_cursor_int(c, cc);
    n++;
  }
  loupe_cursor_free(c);
  return n;
}

/* The snippet, highlight and body of each hit read back by id. */
static void check_hit_fields(loupe_query *q, const long long *ids,
                             long long n) {
  size_t mlen, sl, hl, bl;
  const char *m = loupe_query_match(q, &mlen), *sn, *hi, *body;
  long long i;
  for (i = 0; i < n && i < MAX_IDS; i++) {
    int rc = loupe_db_hit_field(db, m, mlen, ids[i], LOUPE_HIT_BODY, &body,
                                &bl);
    FUZZ_ASSERT(rc == LOUPE_OK && body && fz_text_ok(body, bl),
                "body of hit %lld: rc %d", ids[i], rc);
    if (m == NULL) continue;
    rc = loupe_db_hit_marks(db, m, mlen, ids[i], &sn, &sl, &hi, &hl);
    FUZZ_ASSERT(rc == LOUPE_OK, "marks of hit %lld: rc %d: %s", ids[i], rc,
                loupe_db_errmsg(db));
    if (sn) FUZZ_ASSERT(fz_text_ok(sn, sl), "snippet of hit %lld", ids[i]);
    if (hi) FUZZ_ASSERT(fz_text_ok(hi, hl), "highlight of hit %lld", ids[i]);
  }
}

/* Ids of q's matches (sorted as the query orders them); -1 on error. */
static long long ids_of(const spec *s, loupe_query *q, long long *ids) {
  loupe_cursor *c = NULL;
  int rc = loupe_query_ids(q, &c);
  if (rc) {
    check_run_error(s, "ids", rc, loupe_query_errmsg(q));
    return -1;
  }
  return drain(s, c, "ids", ids, NULL);
}

static int has_id(const long long *ids, long long n, long long id) {
  long long i;
  for (i = 0; i < n; i++)
    if (ids[i] == id) return 1;
  return 0;
}

/*
 * The regex filter against a scan: the query without its regex, then
 * each of its articles' bodies matched with the same pattern and flags,
 * must give the query's ids. Skipped when the pattern hits a limit.
 */
static void check_regex_scan(const spec *s, const long long *got,
                             long long ngot) {
  long long all[MAX_IDS], want[MAX_IDS], nall, nwant = 0, i;
  loupe_query *q = build(s, 0);
  loupe_regex *re = NULL;
  char err[200];
  nall = ids_of(s, q, all);
  loupe_query_free(q);
  if (nall < 0) return;
  if (loupe_regex_new(s->re, strlen(s->re), s->flags, NULL, &re, err,
                      sizeof err) != LOUPE_OK)
    return;                          /* the query refused it the same way */
  for (i = 0; i < nall; i++) {
    const char *body;
    size_t bl, ov[2];
    int np;
    if (loupe_db_hit_field(db, NULL, 0, all[i], LOUPE_HIT_BODY, &body, &bl) !=
        LOUPE_OK || body == NULL)
      abort();
    if (loupe_regex_exec(re, body, bl, 0, ov, 1, &np) != LOUPE_OK) {
      loupe_regex_free(re);
      return;                        /* a limit: nothing to compare */
    }
    if (np) want[nwant++] = all[i];
  }
  loupe_regex_free(re);
  FUZZ_ASSERT(ngot == nwant, "regex /%s/%s keeps %lld articles, a scan of "
              "the bodies %lld", s->re, s->flags ? s->flags : "", ngot, nwant);
  for (i = 0; i < nwant; i++)
    FUZZ_ASSERT(has_id(got, ngot, want[i]), "regex /%s/ misses article %lld",
                s->re, want[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_reader r;
  spec s;
  loupe_query *q;
  loupe_cursor *c = NULL;
  long long count = 0, n, sum, ids[MAX_IDS];
  int rc;

  fz_init(&r, data, size);
  read_spec(&r, &s);

  q = build(&s, 1);
  rc = loupe_query_count(q, &count);
  if (rc != LOUPE_OK) check_run_error(&s, "count", rc, loupe_query_errmsg(q));
  loupe_query_free(q);
  if (rc != LOUPE_OK) goto out;
  FUZZ_ASSERT(count >= 0 && count <= n_articles, "count %lld", count);

  if (s.run & RUN_HITS) {
    q = build(&s, 1);
    rc = loupe_query_hits(q, &c);
    if (rc) check_run_error(&s, "hits", rc, loupe_query_errmsg(q));
    else {
      n = drain(&s, c, "hits", ids, NULL);
      if (n >= 0) {
        FUZZ_ASSERT(n == count, "%lld hits, count %lld", n, count);
        check_hit_fields(q, ids, n);
      }
    }
    loupe_query_free(q);
  }
  if ((s.run & RUN_IDS) || s.re) {
    q = build(&s, 1);
    n = ids_of(&s, q, ids);
    loupe_query_free(q);
    if (n >= 0) {
      FUZZ_ASSERT(n == count, "%lld ids, count %lld", n, count);
      if (s.re && !s.paged && !s.collapse) check_regex_scan(&s, ids, n);
    }
  }
  if (s.run & RUN_GROUP) {
    q = build(&s, 1);
    rc = loupe_query_group(q, s.group, &c);
    if (rc) check_run_error(&s, "group", rc, loupe_query_errmsg(q));
    else {
      sum = 0;
      n = drain(&s, c, "group", NULL, &sum);
      if (n >= 0 && !s.count_clusters)
        FUZZ_ASSERT(sum == count, "groups sum to %lld, count %lld", sum,
                    count);
    }
    loupe_query_free(q);
  }
  if ((s.run & RUN_KWIC) && s.kwic) {
    q = build(&s, 1);
    rc = loupe_query_kwic(q, s.kwic, (s.run >> 5) & 1, s.flags,
                          (int)(s.run >> 6) * 7, &c);
    if (rc) {
      FUZZ_ASSERT(rc == LOUPE_ESYNTAX || rc == LOUPE_EINVAL,
                  "kwic: rc %d (%s): %s", rc, loupe_errstr(rc),
                  loupe_query_errmsg(q));
    } else {
      drain(&s, c, "kwic", NULL, NULL);
    }
    loupe_query_free(q);
  }
  if (s.run & RUN_QUOTES) {
    q = build(&s, 1);
    rc = loupe_query_quotes(q, &c);
    if (rc) check_run_error(&s, "quotes", rc, loupe_query_errmsg(q));
    else drain(&s, c, "quotes", NULL, NULL);
    loupe_query_free(q);
  }
out:
  free_spec(&s);
  return 0;
}
