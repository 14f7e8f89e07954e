/*
 * fuzz_ingest.c - libFuzzer harness for ingest into an in-memory corpus:
 * byte 0 picks the options (paths or none, one path for every page,
 * clustering, a parse of our own to compare), the rest is up to four
 * pages separated by three NUL bytes.
 * The pages are added in one transaction, checked, then rolled back, so
 * that every run starts from the same empty corpus. Checks: the statuses
 * agree with the counts; each stored article's paragraphs are its body
 * (and what loupe_parse makes of its bytes); a word of each body finds
 * it; a regex made of that word keeps exactly the bodies that hold it;
 * the rollback leaves the corpus empty.
 */
#include "fuzz.h"

#define MAX_PAGES 4
#define SEP "\0\0\0"
#define SEP_LEN 3

/* Option bits of byte 0. */
#define OPT_PATHS      0x01   /* pages come from files (else no path) */
#define OPT_ONE_PATH   0x02   /* every page from the same file */
#define OPT_NO_CLUSTER 0x04   /* near-duplicate clustering off */
#define OPT_REPARSE    0x08   /* compare with a parse of our own */

static loupe_db *db;
static loupe_parser *parser;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (loupe_db_open(":memory:", 0, &db) != LOUPE_OK ||
      loupe_parser_new(&parser) != LOUPE_OK)
    abort();
  return 0;
}

typedef struct {
  const char *bytes;
  size_t len;
  char hash[LOUPE_HASH_LEN + 1];
  int rc;
  loupe_add_status status;
  long long id;
} page;

/* Split the bytes after byte 0 into pages at each separator. */
static int split(const uint8_t *p, size_t n, page *pages) {
  int k = 0;
  while (k < MAX_PAGES) {
    const uint8_t *end = NULL;
    size_t i;
    for (i = 0; i + SEP_LEN <= n; i++)
      if (memcmp(p + i, SEP, SEP_LEN) == 0) { end = p + i; break; }
    pages[k].bytes = (const char *)p;
    pages[k].len = end ? (size_t)(end - p) : n;
    k++;
    if (end == NULL) break;
    n -= pages[k - 1].len + SEP_LEN;
    p = end + SEP_LEN;
  }
  return k;
}

static long long count_query(loupe_query *q) {
  long long n = -1;
  int rc = loupe_query_count(q, &n);
  FUZZ_ASSERT(rc == LOUPE_OK, "count: rc %d (%s): %s", rc, loupe_errstr(rc),
              loupe_query_errmsg(q));
  loupe_query_free(q);
  return n;
}

static loupe_query *new_query(void) {
  loupe_query *q = NULL;
  FUZZ_ASSERT(loupe_query_new(db, &q) == LOUPE_OK, "query_new");
  return q;
}

/* Ids of q's matches (q is freed); their number. */
static long long ids_of(loupe_query *q, long long *ids, long long cap) {
  loupe_cursor *c = NULL;
  long long n = 0;
  int has, rc = loupe_query_ids(q, &c);
  FUZZ_ASSERT(rc == LOUPE_OK, "ids: rc %d: %s", rc, loupe_query_errmsg(q));
  loupe_query_free(q);
  for (;;) {
    rc = loupe_cursor_next(c, &has);
    FUZZ_ASSERT(rc == LOUPE_OK, "ids: step rc %d: %s", rc,
                loupe_cursor_errmsg(c));
    if (!has) break;
    if (n < cap) ids[n] = loupe_cursor_int(c, 0);
    n++;
  }
  loupe_cursor_free(c);
  return n;
}

/* Whether a parser of our own reads the page. */
static int parses(const page *pg) {
  loupe_article *a = NULL;
  int rc = loupe_parse(parser, pg->bytes, pg->len, &a);
  loupe_article_free(a);
  return rc == LOUPE_OK;
}

/*
 * The stored article id is whole: its paragraphs, read back, are its body
 * cut at the blank lines; with reparse, its body and paragraphs are what
 * a parser of our own makes of the page's bytes (the corpus's parser,
 * used for every page before, must not carry anything over).
 */
static void check_stored(long long id, const page *pg, int reparse) {
  loupe_article *a = NULL;
  loupe_cursor *c = NULL;
  const char *body;
  size_t bl, k = 0, at = 0;
  int rc, has;
  rc = loupe_db_hit_field(db, NULL, 0, id, LOUPE_HIT_BODY, &body, &bl);
  FUZZ_ASSERT(rc == LOUPE_OK && body != NULL, "no body for %lld", id);
  FUZZ_ASSERT(fz_text_ok(body, bl), "body of %lld is not UTF-8", id);
  if (reparse) {
    rc = loupe_parse(parser, pg->bytes, pg->len, &a);
    FUZZ_ASSERT(rc == LOUPE_OK, "page stored as %lld does not parse: rc %d",
                id, rc);
    FUZZ_ASSERT(bl == a->body_len && memcmp(body, a->body, bl) == 0,
                "article %lld: stored body of %zu bytes, parsed %zu", id, bl,
                a->body_len);
  }
  rc = loupe_db_paragraphs(db, id, &c);
  FUZZ_ASSERT(rc == LOUPE_OK, "paragraphs of %lld: rc %d", id, rc);
  for (;;) {
    size_t tl;
    const char *t;
    rc = loupe_cursor_next(c, &has);
    FUZZ_ASSERT(rc == LOUPE_OK, "paragraphs of %lld: step rc %d", id, rc);
    if (!has) break;
    t = loupe_cursor_text(c, 1, &tl);
    FUZZ_ASSERT(t != NULL && tl > 0, "article %lld: paragraph %zu is empty",
                id, k + 1);
    if (k > 0) {
      FUZZ_ASSERT(at + 2 <= bl && memcmp(body + at, "\n\n", 2) == 0,
                  "article %lld: no blank line before paragraph %zu", id,
                  k + 1);
      at += 2;
    }
    FUZZ_ASSERT(at + tl <= bl && memcmp(body + at, t, tl) == 0,
                "article %lld: paragraph %zu is not its body at %zu", id,
                k + 1, at);
    at += tl;
    if (a)
      FUZZ_ASSERT(k < a->n_paragraphs && tl == a->paragraphs[k].len &&
                  memcmp(t, a->paragraphs[k].text, tl) == 0,
                  "article %lld: paragraph %zu differs from the parse", id,
                  k + 1);
    k++;
  }
  loupe_cursor_free(c);
  FUZZ_ASSERT(at == bl, "article %lld: paragraphs cover %zu of %zu bytes",
              id, at, bl);
  if (a)
    FUZZ_ASSERT(k == a->n_paragraphs, "article %lld: %zu paragraphs stored, "
                "%zu parsed", id, k, a->n_paragraphs);
  loupe_article_free(a);
}

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* The first word of ASCII letters and digits, 3 to 30 long, standing
 * alone between ASCII separators (so that it is one token); 0 if none. */
static size_t first_word(const char *s, size_t n, char *out) {
  size_t i = 0, j;
  while (i < n) {
    while (i < n && !is_alnum((unsigned char)s[i])) i++;
    j = i;
    while (j < n && is_alnum((unsigned char)s[j])) j++;
    if (j - i >= 3 && j - i <= 30 && (i == 0 || (unsigned char)s[i - 1] < 0x80)
        && (j == n || (unsigned char)s[j] < 0x80)) {
      memcpy(out, s + i, j - i);
      out[j - i] = '\0';
      return j - i;
    }
    /* skip the rest of a word glued to a non-ASCII letter */
    while (j < n && (unsigned char)s[j] >= 0x80) j++;
    i = j > i ? j : i + 1;
  }
  return 0;
}

/*
 * A word of article id's body, searched as text, finds the article; as
 * a regex "\bword" (caseless), the query keeps exactly the articles of
 * all whose bodies the same regex matches.
 */
static void check_word(long long id, const long long *all, long long nall) {
  char word[32], pat[40];
  const char *body;
  size_t bl;
  long long got[MAX_PAGES], want = 0, n, i;
  loupe_regex *re = NULL;
  char err[200];
  loupe_query *q;
  int rc;
  FUZZ_ASSERT(loupe_db_hit_field(db, NULL, 0, id, LOUPE_HIT_BODY, &body, &bl)
              == LOUPE_OK && body, "body of %lld", id);
  if (first_word(body, bl, word) == 0) return;
  q = new_query();
  loupe_query_text(q, word, 0);
  loupe_query_filter(q, LOUPE_F_ID, "0");       /* OR-ed with the id below */
  {
    char v[24];
    snprintf(v, sizeof v, "%lld", id);
    loupe_query_filter(q, LOUPE_F_ID, v);
  }
  FUZZ_ASSERT(count_query(q) == 1, "the word '%s' does not find article %lld",
              word, id);

  snprintf(pat, sizeof pat, "\\b%s", word);
  if (loupe_regex_new(pat, strlen(pat), "i", NULL, &re, err, sizeof err))
    abort();
  for (i = 0; i < nall; i++) {
    size_t ov[2];
    int np;
    FUZZ_ASSERT(loupe_db_hit_field(db, NULL, 0, all[i], LOUPE_HIT_BODY, &body,
                                   &bl) == LOUPE_OK && body, "body");
    rc = loupe_regex_exec(re, body, bl, 0, ov, 1, &np);
    FUZZ_ASSERT(rc == LOUPE_OK, "regex %s: %s", pat, loupe_regex_errmsg(re));
    if (np) want++;
  }
  loupe_regex_free(re);
  q = new_query();
  FUZZ_ASSERT(loupe_query_regex(q, pat, "i") == LOUPE_OK, "regex %s", pat);
  n = ids_of(q, got, MAX_PAGES);
  FUZZ_ASSERT(n == want, "regex /%s/i keeps %lld articles, a scan of the "
              "bodies %lld", pat, n, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  page pages[MAX_PAGES];
  long long before, after, added = 0, all[MAX_PAGES], n, i;
  unsigned opt;
  int np, k, j, rc;

  if (size == 0) return 0;
  opt = data[0];
  np = split(data + 1, size - 1, pages);
  loupe_db_set_clustering(db, !(opt & OPT_NO_CLUSTER), 0);
  FUZZ_ASSERT(loupe_db_count(db, &before) == LOUPE_OK && before == 0,
              "the corpus is not empty at the start: %lld", before);
  FUZZ_ASSERT(loupe_db_begin(db) == LOUPE_OK, "begin: %s",
              loupe_db_errmsg(db));

  for (k = 0; k < np; k++) {
    page *pg = &pages[k];
    char path[16];
    const char *pp = NULL;
    int seen = 0;
    if (opt & OPT_PATHS) {
      snprintf(path, sizeof path, "p%d.txt", (opt & OPT_ONE_PATH) ? 0 : k);
      pp = path;
    }
    loupe_hash(pg->bytes, pg->len, pg->hash);
    pg->id = 0;
    pg->rc = loupe_db_add(db, pg->bytes, pg->len, pp, &pg->status, &pg->id);
    if (pg->rc != LOUPE_OK) {
      FUZZ_ASSERT(pg->rc == LOUPE_EEMPTY || pg->rc == LOUPE_EENCODING ||
                  pg->rc == LOUPE_ELIMIT, "add page %d: rc %d (%s): %s",
                  k + 1, pg->rc, loupe_errstr(pg->rc), loupe_db_errmsg(db));
      continue;
    }
    FUZZ_ASSERT(pg->id > 0, "page %d stored as id %lld", k + 1, pg->id);
    for (j = 0; j < k; j++)
      if (pages[j].rc == LOUPE_OK && strcmp(pages[j].hash, pg->hash) == 0)
        seen = 1;
    switch (pg->status) {
    case LOUPE_ADDED:
      added++;
      for (j = 0; j < k; j++)
        FUZZ_ASSERT(pages[j].rc != LOUPE_OK || pages[j].id != pg->id,
                    "page %d added as id %lld, which page %d has", k + 1,
                    pg->id, j + 1);
      break;
    case LOUPE_UNCHANGED:
      FUZZ_ASSERT(seen, "page %d unchanged, but its bytes are new", k + 1);
      break;
    case LOUPE_UPDATED:
      FUZZ_ASSERT(pp != NULL, "page %d without a path updated", k + 1);
      break;
    default:
      /* a status added later (another location of stored content) adds
       * no article either, and only for content seen before */
      FUZZ_ASSERT(pg->status > LOUPE_UNCHANGED && pg->status < 16 && seen,
                  "page %d: status %d", k + 1, (int)pg->status);
    }
  }

  FUZZ_ASSERT(loupe_db_count(db, &after) == LOUPE_OK, "count");
  FUZZ_ASSERT(after == added, "%lld articles after %lld added", after, added);
  FUZZ_ASSERT(count_query(new_query()) == after, "an empty query does not "
              "count every article");
  n = ids_of(new_query(), all, MAX_PAGES);
  FUZZ_ASSERT(n == after, "%lld ids for %lld articles", n, after);

  /* each article holds the last page that stored content under its id
   * (added or updated); a page found unchanged stored nothing: its text
   * is the stored one's after decoding, without invisible characters,
   * which its raw bytes may still make too binary to parse alone (an
   * extra NUL), so it is compared only when it parses */
  for (i = 0; i < n; i++) {
    int last = -1;
    for (k = 0; k < np; k++)
      if (pages[k].rc == LOUPE_OK && pages[k].id == all[i] &&
          pages[k].status <= LOUPE_UPDATED)
        last = k;
    FUZZ_ASSERT(last >= 0, "article %lld from no page", all[i]);
    check_stored(all[i], &pages[last], (opt & OPT_REPARSE) != 0);
    for (k = last + 1; k < np && (opt & OPT_REPARSE); k++)
      if (pages[k].rc == LOUPE_OK && pages[k].id == all[i] &&
          parses(&pages[k]))
        check_stored(all[i], &pages[k], 1);
    check_word(all[i], all, n);
  }

  rc = loupe_db_rollback(db);
  FUZZ_ASSERT(rc == LOUPE_OK, "rollback: %s", loupe_db_errmsg(db));
  FUZZ_ASSERT(loupe_db_count(db, &after) == LOUPE_OK && after == 0,
              "%lld articles after the rollback", after);
  return 0;
}
