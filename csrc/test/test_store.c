/*
 * test_store.c - tests of the corpus part of loupe.h with no Lua: opening,
 * adding invented pages (statuses, dedupe, replacement, parse errors),
 * transactions, queries (text, phrase, NEAR, filters, dates, regex, order,
 * paging), cursors (column names, values, group, kwic, ids, get and
 * paragraphs), errors (bad FTS5 text, bad and hostile regexes), closing a
 * database under a live cursor, file listing and the regex API with limits.
 * Ends with "test_store: N passed, N failed" and exits non-zero on failure.
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define CHECK_STR(what, got, want) \
  CHECK((got) != NULL && strcmp((got), (want)) == 0, "%s: got \"%s\", " \
        "want \"%s\"", (what), (got) ? (got) : "(null)", (want))

/* ---- invented pages ---- */

#define A_TITLE "Night ferry service to resume between Kessport and the " \
  "outer islands"
#define A_P1 "KESSPORT -- The harbour board on Thursday agreed to bring " \
  "back the night ferry between Kessport and the outer islands, four " \
  "years after the service was stopped to save money."
#define A_P2 "Board members said the first crossings would run in June " \
  "and that the timetable would be set after talks with the island " \
  "councils and the crew union."
#define A_P3 "Islanders had collected more than six thousand signatures " \
  "for the return of the service, which many of them use to reach the " \
  "hospital on the mainland."

static const char PAGE_A[] =
  "Home | World | Business | Sport | Culture | Opinion\n"
  "Sign in   Subscribe   Newsletters\n"
  "\n"
  A_TITLE "\n"
  "Updated: 2019-05-02 10:15\n"
  "(Xinhua)\n"
  "\n"
  A_P1 "\n"                                                  /* line 8 */
  "\n"
  A_P2 "\n"                                                  /* line 10 */
  "\n"
  A_P3 "\n"                                                  /* line 12 */
  "\n"
  "Related Stories\n"
  "- Harbour board approves new pier lights (2019-04-20)\n"
  "- Island council elects new chair (2019-04-02)\n"
  "\n"
  "Copyright 2019 (c) The Kessport Tribune. All Rights Reserved.\n";

#define B_TITLE "Dam inspection finds cracks in the Orla spillway"
#define B_P1 "ORLA, Aug 14 (Reuters) - Inspectors found a series of " \
  "cracks in the spillway of the Orla dam during a routine check this " \
  "week, the regional water authority said on Saturday."
#define B_P2 "The authority said the cracks posed no immediate danger but " \
  "that the reservoir would be kept below its usual level until repairs " \
  "were finished in the autumn."
#define B_P3 "Farmers downstream said they had not been told about the " \
  "inspection and asked for a public meeting on the state of the dam."

static const char PAGE_B[] =
  "Valley Post\n"
  "News | Markets | Weather | Sport\n"
  "\n"
  B_TITLE "\n"
  "August 14, 2021 / 3:20 PM\n"
  "By Henrik Sollen\n"
  "\n"
  B_P1 "\n"
  "\n"
  B_P2 "\n"
  "\n"
  B_P3 "\n"
  "\n"
  "Share this article\n"
  "\n"
  "Copyright 2021 (c) The Valley Post. All Rights Reserved.\n";

/* B again, with its last paragraph rewritten (a changed file). */
#define B_P3_NEW "Farmers downstream said the lighthouse keepers' guild had " \
  "warned them about the inspection and asked for a public meeting."

static const char PAGE_B2[] =
  "Valley Post\n"
  "News | Markets | Weather | Sport\n"
  "\n"
  B_TITLE "\n"
  "August 14, 2021 / 3:20 PM\n"
  "By Henrik Sollen\n"
  "\n"
  B_P1 "\n"
  "\n"
  B_P2 "\n"
  "\n"
  B_P3_NEW "\n"
  "\n"
  "Share this article\n"
  "\n"
  "Copyright 2021 (c) The Valley Post. All Rights Reserved.\n";

#define C_TITLE "Orla reservoir reopens to anglers after dam repairs"

static const char PAGE_C[] =
  "Valley Post\n"
  "News | Markets | Weather | Sport\n"
  "\n"
  C_TITLE "\n"
  "November 30, 2021 / 9:05 AM\n"
  "By Henrik Sollen\n"
  "\n"
  "Anglers returned to the Orla reservoir on Tuesday after the water "
  "authority finished repairing the cracked spillway ahead of schedule.\n"
  "\n"
  "The authority said the water level would rise slowly over the winter "
  "and that the dam would be inspected again in the spring.\n"
  "\n"
  "Copyright 2021 (c) The Valley Post. All Rights Reserved.\n";

/* ---- helpers ---- */

/* Index of the column called name, or -1. */
static int col_of(const loupe_cursor *c, const char *name) {
  int i, n = loupe_cursor_columns(c);
  for (i = 0; i < n; i++) {
    const char *s = loupe_cursor_name(c, i);
    if (s && strcmp(s, name) == 0) return i;
  }
  return -1;
}

/* Text of column name in the current row (NULL when absent or null). */
static const char *col_text(loupe_cursor *c, const char *name) {
  size_t len;
  int i = col_of(c, name);
  if (i < 0 || loupe_cursor_type(c, i) == 0) return NULL;
  return loupe_cursor_text(c, i, &len);
}

static long long col_int(loupe_cursor *c, const char *name) {
  int i = col_of(c, name);
  return i < 0 ? -1 : loupe_cursor_int(c, i);
}

/* Rows left in a cursor (freed afterwards); -1 after a step error. */
static long long drain(loupe_cursor *c) {
  long long n = 0;
  int has = 0, rc;
  for (;;) {
    rc = loupe_cursor_next(c, &has);
    if (rc != LOUPE_OK) { n = -1; break; }
    if (!has) break;
    n++;
  }
  loupe_cursor_free(c);
  return n;
}

/* A database with pages A, B (paths a.txt, b.txt) and C (no path). */
static loupe_db *three_pages(long long ids[3]) {
  loupe_db *db = NULL;
  loupe_add_status st;
  int rc = loupe_db_open(":memory:", 0, &db);
  CHECK_RC("open :memory:", rc, LOUPE_OK);
  if (rc) { loupe_db_close(db); return NULL; }
  rc = loupe_db_add(db, PAGE_A, sizeof PAGE_A - 1, "a.txt", &st, &ids[0]);
  CHECK_RC("add A", rc, LOUPE_OK);
  rc = loupe_db_add(db, PAGE_B, sizeof PAGE_B - 1, "b.txt", &st, &ids[1]);
  CHECK_RC("add B", rc, LOUPE_OK);
  rc = loupe_db_add(db, PAGE_C, sizeof PAGE_C - 1, NULL, &st, &ids[2]);
  CHECK_RC("add C", rc, LOUPE_OK);
  return db;
}

/* Count of a query built by the caller (freed here); -1 on failure. */
static long long count_of(loupe_query *q, int want_rc) {
  long long n = -1;
  int rc = loupe_query_count(q, &n);
  CHECK(rc == want_rc, "count: rc %d (%s), want %d: %s", rc, loupe_errstr(rc),
        want_rc, loupe_query_errmsg(q));
  loupe_query_free(q);
  return rc == LOUPE_OK ? n : -1;
}

static loupe_query *new_query(loupe_db *db) {
  loupe_query *q = NULL;
  int rc = loupe_query_new(db, &q);
  CHECK_RC("loupe_query_new", rc, LOUPE_OK);
  return q;
}

/* ---- tests ---- */

static void test_open(void) {
  loupe_db *db = NULL;
  long long n = -1;
  int rc;
  char dir[] = "/tmp/loupe-test-store.XXXXXX";
  char path[200];
  FILE *f;
  loupe_db_close(NULL);
  rc = loupe_db_open(":memory:", 0, &db);
  CHECK_RC("open :memory:", rc, LOUPE_OK);
  CHECK(db != NULL, "open :memory: gave no handle");
  rc = loupe_db_count(db, &n);
  CHECK_RC("count of a new corpus", rc, LOUPE_OK);
  CHECK_INT("count of a new corpus", n, 0);
  loupe_db_close(db);

  if (mkdtemp(dir) == NULL) { CHECK(0, "mkdtemp failed"); return; }
  /* a file of text is not a database */
  snprintf(path, sizeof path, "%s/notes.db", dir);
  f = fopen(path, "wb");
  if (f) {
    int i;
    for (i = 0; i < 200; i++)
      fputs("Minutes of the harbour board, second session.\n", f);
    fclose(f);
  }
  db = NULL;
  rc = loupe_db_open(path, 0, &db);
  CHECK(rc == LOUPE_ECORRUPT || rc == LOUPE_EIO,
        "open of a text file: rc %d (%s), want corrupt or io", rc,
        loupe_errstr(rc));
  CHECK(db != NULL && strlen(loupe_db_errmsg(db)) > 0,
        "open of a text file: no message");
  loupe_db_close(db);
  remove(path);

  /* a read-only open of a missing file fails and creates nothing */
  snprintf(path, sizeof path, "%s/missing.db", dir);
  db = NULL;
  rc = loupe_db_open(path, LOUPE_OPEN_READONLY, &db);
  CHECK_RC("read-only open of a missing file", rc, LOUPE_EIO);
  loupe_db_close(db);
  CHECK(access(path, F_OK) != 0, "read-only open created %s", path);

  /* a corpus file keeps its articles across close and open */
  snprintf(path, sizeof path, "%s/corpus.db", dir);
  db = NULL;
  rc = loupe_db_open(path, 0, &db);
  CHECK_RC("open a new corpus file", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    loupe_add_status st;
    long long id;
    rc = loupe_db_add(db, PAGE_A, sizeof PAGE_A - 1, "a.txt", &st, &id);
    CHECK_RC("add to the file", rc, LOUPE_OK);
  }
  loupe_db_close(db);
  db = NULL;
  rc = loupe_db_open(path, LOUPE_OPEN_READONLY, &db);
  CHECK_RC("read-only reopen", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    loupe_add_status st;
    long long id;
    n = -1;
    loupe_db_count(db, &n);
    CHECK_INT("count after reopen", n, 1);
    rc = loupe_db_add(db, PAGE_B, sizeof PAGE_B - 1, "b.txt", &st, &id);
    CHECK(rc != LOUPE_OK, "add to a read-only corpus succeeded");
    loupe_db_count(db, &n);
    CHECK_INT("count after a refused add", n, 1);
  }
  loupe_db_close(db);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  if (system(path) != 0) printf("note: could not remove %s\n", dir);
}

static void test_add(void) {
  loupe_db *db = NULL;
  loupe_add_status st;
  long long id, id2, n;
  char bin[800];
  size_t i;
  int rc;
  if (loupe_db_open(":memory:", 0, &db) != LOUPE_OK) {
    CHECK(0, "open :memory:");
    loupe_db_close(db);
    return;
  }
  rc = loupe_db_add(db, PAGE_A, sizeof PAGE_A - 1, "a.txt", &st, &id);
  CHECK_RC("add A", rc, LOUPE_OK);
  CHECK(st == LOUPE_ADDED && id > 0, "add A: status %d id %lld", (int)st, id);
  rc = loupe_db_add(db, PAGE_A, sizeof PAGE_A - 1, "a.txt", &st, &id2);
  CHECK(rc == LOUPE_OK && st == LOUPE_UNCHANGED && id2 == id,
        "add A again: rc %d status %d id %lld (first %lld)", rc, (int)st, id2,
        id);
  /* a changed page under the same path replaces the record */
  rc = loupe_db_add(db, PAGE_B, sizeof PAGE_B - 1, "b.txt", &st, &id);
  CHECK(rc == LOUPE_OK && st == LOUPE_ADDED, "add B: rc %d status %d", rc,
        (int)st);
  rc = loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b.txt", &st, &id2);
  CHECK(rc == LOUPE_OK && st == LOUPE_UPDATED && id2 == id,
        "add changed B: rc %d status %d id %lld (first %lld)", rc, (int)st,
        id2, id);
  {
    loupe_query *q = new_query(db);
    if (q) {
      loupe_query_text(q, "lighthouse guild", 0);
      CHECK_INT("new words of B found", count_of(q, LOUPE_OK), 1);
    }
    q = new_query(db);
    if (q) {
      loupe_query_text(q, "downstream told", 0);
      CHECK_INT("old words of B gone", count_of(q, LOUPE_OK), 0);
    }
  }
  /* text without a path is identified by its content */
  rc = loupe_db_add(db, PAGE_C, sizeof PAGE_C - 1, NULL, &st, &id);
  CHECK(rc == LOUPE_OK && st == LOUPE_ADDED, "add C: rc %d status %d", rc,
        (int)st);
  rc = loupe_db_add(db, PAGE_C, sizeof PAGE_C - 1, NULL, &st, &id2);
  CHECK(rc == LOUPE_OK && st == LOUPE_UNCHANGED && id2 == id,
        "add C again: rc %d status %d id %lld (first %lld)", rc, (int)st, id2,
        id);
  n = -1;
  loupe_db_count(db, &n);
  CHECK_INT("count after adds", n, 3);

  /* unusable pages store nothing */
  rc = loupe_db_add(db, "  \n\n \n", 6, "blank.txt", &st, &id);
  CHECK_RC("add blank", rc, LOUPE_EEMPTY);
  CHECK(strlen(loupe_db_errmsg(db)) > 0, "add blank: no message");
  for (i = 0; i < sizeof bin; i++) bin[i] = (char)((i * 7919u) % 251u);
  rc = loupe_db_add(db, bin, sizeof bin, "photo.jpg", &st, &id);
  CHECK_RC("add binary", rc, LOUPE_EENCODING);
  loupe_db_count(db, &n);
  CHECK_INT("count after failed adds", n, 3);
  loupe_db_close(db);
}

static void test_transactions(void) {
  long long ids[3], n = -1;
  loupe_add_status st;
  long long id;
  loupe_db *db = three_pages(ids);
  int rc;
  if (db == NULL) return;
  CHECK_RC("commit without begin", loupe_db_commit(db), LOUPE_EMISUSE);
  rc = loupe_db_begin(db);
  CHECK_RC("begin", rc, LOUPE_OK);
  CHECK_RC("nested begin", loupe_db_begin(db), LOUPE_EMISUSE);
  rc = loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b2.txt", &st, &id);
  CHECK_RC("add in a transaction", rc, LOUPE_OK);
  loupe_db_count(db, &n);
  CHECK_INT("count inside the transaction", n, 4);
  CHECK_RC("rollback", loupe_db_rollback(db), LOUPE_OK);
  loupe_db_count(db, &n);
  CHECK_INT("count after rollback", n, 3);
  CHECK_RC("begin again", loupe_db_begin(db), LOUPE_OK);
  rc = loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b2.txt", &st, &id);
  CHECK_RC("add again", rc, LOUPE_OK);
  CHECK_RC("commit", loupe_db_commit(db), LOUPE_OK);
  loupe_db_count(db, &n);
  CHECK_INT("count after commit", n, 4);
  /* closing with a transaction open rolls it back (no crash, no leak) */
  CHECK_RC("begin before close", loupe_db_begin(db), LOUPE_OK);
  rc = loupe_db_add(db, PAGE_C, sizeof PAGE_C - 1, "c-copy.txt", &st, &id);
  CHECK_RC("add before close", rc, LOUPE_OK);
  loupe_db_close(db);
}

static void test_hits(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_query *q;
  loupe_cursor *c = NULL;
  int rc, has = 0;
  static const char *const names[] = {
    "id", "path", "title", "date", "date_precision", "dateline", "credit",
    "outlet", "lang", "authors", "editors", "cluster", "rank"
  };
  /* read on demand (loupe_db_hit_field), never columns */
  static const char *const lazy[] = {"body", "snippet", "highlight"};
  char match[200] = "";
  size_t i, mlen = 0;
  long long first = -1;
  if (db == NULL) return;

  q = new_query(db);
  if (q == NULL) { loupe_db_close(db); return; }
  CHECK(loupe_query_match(q, &mlen) == NULL && mlen == 0,
        "an empty query has a match expression");
  CHECK_RC("query_text", loupe_query_text(q, "spillway", 0), LOUPE_OK);
  {
    const char *m = loupe_query_match(q, &mlen);
    CHECK(m != NULL && mlen == 10 && memcmp(m, "\"spillway\"", 10) == 0,
          "match expression of a text query");
    if (m && mlen < sizeof match) memcpy(match, m, mlen);
  }
  rc = loupe_query_hits(q, &c);
  CHECK_RC("query_hits", rc, LOUPE_OK);
  loupe_query_free(q);
  if (rc == LOUPE_OK) {
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
      CHECK(col_of(c, names[i]) >= 0, "hits have no column %s", names[i]);
    for (i = 0; i < sizeof lazy / sizeof lazy[0]; i++)
      CHECK(col_of(c, lazy[i]) < 0, "hits have a column %s", lazy[i]);
    rc = loupe_cursor_next(c, &has);
    CHECK(rc == LOUPE_OK && has, "first hit: rc %d has %d", rc, has);
    if (has) {
      first = col_int(c, "id");
      CHECK(first == ids[1] || first == ids[2], "hit id %lld", first);
      CHECK(loupe_cursor_type(c, col_of(c, "id")) == 1, "id not an integer");
      CHECK(loupe_cursor_type(c, col_of(c, "rank")) == 2, "rank not a float");
    }
    CHECK_INT("rows after the first", drain(c), 1);
  }
  /* the fields of that hit, read after its cursor ended */
  if (first > 0) {
    const char *text = NULL, *hl = NULL;
    size_t len = 0, hlen = 0;
    char snip[300] = "", title[300] = "";
    rc = loupe_db_hit_field(db, match, mlen, first, LOUPE_HIT_SNIPPET, &text,
                            &len);
    CHECK_RC("snippet", rc, LOUPE_OK);
    CHECK(text != NULL && strstr(text, "[spillway]") != NULL &&
          len == strlen(text), "snippet without the term: %s",
          text ? text : "(null)");
    if (text && len < sizeof snip) memcpy(snip, text, len + 1);
    rc = loupe_db_hit_field(db, match, mlen, first, LOUPE_HIT_HIGHLIGHT,
                            &text, &len);
    CHECK_RC("highlight", rc, LOUPE_OK);
    CHECK(text != NULL && len > 0, "no highlight");
    if (text && len < sizeof title) memcpy(title, text, len + 1);
    /* both in one pass */
    rc = loupe_db_hit_marks(db, match, mlen, first, &text, &len, &hl, &hlen);
    CHECK_RC("snippet and highlight", rc, LOUPE_OK);
    CHECK_STR("snippet of the pair", text, snip);
    CHECK_STR("highlight of the pair", hl, title);
    CHECK(len == strlen(snip) && hlen == strlen(title), "lengths of the pair");
    rc = loupe_db_hit_marks(db, match, mlen, ids[0], &text, &len, &hl, &hlen);
    CHECK(rc == LOUPE_OK && text == NULL && hl == NULL,
          "pair of a page without the term: rc %d", rc);
    rc = loupe_db_hit_field(db, NULL, 0, first, LOUPE_HIT_BODY, &text, &len);
    CHECK_RC("body", rc, LOUPE_OK);
    CHECK(text != NULL && strstr(text, "spillway") != NULL &&
          len == strlen(text), "body without the term");
    /* an article the expression does not match; an id that is not there */
    rc = loupe_db_hit_field(db, match, mlen, ids[0], LOUPE_HIT_SNIPPET,
                            &text, &len);
    CHECK(rc == LOUPE_OK && text == NULL && len == 0,
          "snippet of a page without the term: rc %d", rc);
    rc = loupe_db_hit_field(db, NULL, 0, 999999, LOUPE_HIT_BODY, &text, &len);
    CHECK(rc == LOUPE_OK && text == NULL, "body of a missing id: rc %d", rc);
    /* the rank as the hits cursor gave it */
    {
      double rank = 0, first_rank = 0;
      int found = 0;
      q = new_query(db);
      if (q) {
        loupe_query_text(q, "spillway", 0);
        if (loupe_query_hits(q, &c) == LOUPE_OK &&
            loupe_cursor_next(c, &has) == LOUPE_OK && has) {
          first_rank = loupe_cursor_double(c, col_of(c, "rank"));
          first = col_int(c, "id");
        }
        loupe_cursor_free(c);
        loupe_query_free(q);
      }
      /* a page in date order walks the date index and reads no rank */
      q = new_query(db);
      if (q) {
        loupe_query_text(q, "spillway", 0);
        loupe_query_order(q, LOUPE_ORDER_DATE_DESC);
        loupe_query_limit(q, 1, 0);
        rc = loupe_query_hits(q, &c);
        CHECK_RC("a page in date order", rc, LOUPE_OK);
        if (rc == LOUPE_OK) {
          CHECK(col_of(c, "rank") < 0, "a date-ordered page has a rank");
          CHECK_INT("rows of the page", drain(c), 1);
        }
        loupe_query_free(q);
      }
      rc = loupe_db_hit_rank(db, match, mlen, first, &rank, &found);
      CHECK(rc == LOUPE_OK && found && rank == first_rank,
            "rank %g found %d, want %g", rank, found, first_rank);
      rc = loupe_db_hit_rank(db, match, mlen, ids[0], &rank, &found);
      CHECK(rc == LOUPE_OK && !found, "rank of a page without the term");
      CHECK_RC("rank without an expression",
               loupe_db_hit_rank(db, NULL, 0, first, &rank, &found),
               LOUPE_EINVAL);
    }
    /* misuse and bad expressions */
    CHECK_RC("snippet without an expression",
             loupe_db_hit_field(db, NULL, 0, first, LOUPE_HIT_SNIPPET, &text,
                                &len), LOUPE_EINVAL);
    CHECK_RC("unknown field",
             loupe_db_hit_field(db, match, mlen, first, (loupe_hit_field)9,
                                &text, &len), LOUPE_EINVAL);
    CHECK_RC("malformed expression",
             loupe_db_hit_field(db, "\"spill", 6, first, LOUPE_HIT_SNIPPET,
                                &text, &len), LOUPE_ESYNTAX);
  }

  /* a hit row carries the stored fields */
  q = new_query(db);
  if (q) {
    loupe_query_filter(q, LOUPE_F_CREDIT, "XINHUA");
    rc = loupe_query_hits(q, &c);
    loupe_query_free(q);
    CHECK_RC("hits by credit", rc, LOUPE_OK);
    if (rc == LOUPE_OK && loupe_cursor_next(c, &has) == LOUPE_OK && has) {
      CHECK_INT("id", col_int(c, "id"), ids[0]);
      CHECK_STR("path", col_text(c, "path"), "a.txt");
      CHECK_STR("title", col_text(c, "title"), A_TITLE);
      CHECK_STR("date", col_text(c, "date"), "2019-05-02T10:15");
      CHECK_STR("date_precision", col_text(c, "date_precision"), "minute");
      CHECK_STR("dateline", col_text(c, "dateline"), "KESSPORT");
      CHECK_STR("credit", col_text(c, "credit"), "Xinhua");
      CHECK_STR("outlet", col_text(c, "outlet"), "The Kessport Tribune");
      CHECK_STR("lang", col_text(c, "lang"), "en");
      CHECK(col_of(c, "rank") < 0, "rank without text");
      {
        const char *body = NULL;
        size_t len = 0;
        rc = loupe_db_hit_field(db, NULL, 0, col_int(c, "id"), LOUPE_HIT_BODY,
                                &body, &len);
        CHECK_RC("body of the hit", rc, LOUPE_OK);
        CHECK_STR("body", body, A_P1 "\n\n" A_P2 "\n\n" A_P3);
      }
      CHECK_INT("rows after it", drain(c), 0);
    } else {
      CHECK(0, "no hit for credit XINHUA");
      loupe_cursor_free(c);
    }
  }

  /* ids, in date order by default and reversed with DATE_DESC */
  q = new_query(db);
  if (q) {
    long long got[3] = {0, 0, 0};
    int k = 0;
    loupe_query_order(q, LOUPE_ORDER_DATE_DESC);
    rc = loupe_query_ids(q, &c);
    loupe_query_free(q);
    CHECK_RC("query_ids", rc, LOUPE_OK);
    if (rc == LOUPE_OK) {
      CHECK_INT("ids columns", loupe_cursor_columns(c), 1);
      CHECK_STR("ids column name", loupe_cursor_name(c, 0), "id");
      while (k < 3 && loupe_cursor_next(c, &has) == LOUPE_OK && has)
        got[k++] = loupe_cursor_int(c, 0);
      CHECK(k == 3 && got[0] == ids[2] && got[1] == ids[1] &&
            got[2] == ids[0], "ids newest first: %lld %lld %lld", got[0],
            got[1], got[2]);
      CHECK_INT("ids after three", drain(c), 0);
    }
  }

  /* limit and offset */
  q = new_query(db);
  if (q) {
    loupe_query_order(q, LOUPE_ORDER_DATE);
    loupe_query_limit(q, 1, 1);
    rc = loupe_query_ids(q, &c);
    loupe_query_free(q);
    if (rc == LOUPE_OK && loupe_cursor_next(c, &has) == LOUPE_OK && has) {
      CHECK_INT("second oldest", loupe_cursor_int(c, 0), ids[1]);
      CHECK_INT("rows after limit 1", drain(c), 0);
    } else {
      CHECK(0, "limit 1 offset 1 gave no row");
      loupe_cursor_free(c);
    }
  }
  loupe_db_close(db);
}

static void test_filters(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_query *q;
  if (db == NULL) return;
#define COUNT(what, want, ...) do { \
    q = new_query(db); \
    if (q) { __VA_ARGS__; CHECK_INT(what, count_of(q, LOUPE_OK), want); } \
  } while (0)
  COUNT("all", 3, (void)0);
  COUNT("term", 2, loupe_query_text(q, "Orla", 0));
  COUNT("two terms AND-ed", 1, loupe_query_text(q, "Orla anglers", 0));
  COUNT("quotes and brackets are literal", 2,
        loupe_query_text(q, "\"Orla\" (dam)", 0));
  q = new_query(db);
  if (q) {
    loupe_query_text(q, "AND OR NOT NEAR( * \" title:dam -", 0);
    CHECK(count_of(q, LOUPE_OK) >= 0, "operator words as analyst text");
  }
  COUNT("phrase", 1, loupe_query_phrase(q, "night ferry"));
  COUNT("phrase in another order", 0, loupe_query_phrase(q, "ferry night"));
  COUNT("near 2", 1, loupe_query_near(q, "cracks", "spillway", 3));
  COUNT("near 0", 0, loupe_query_near(q, "inspectors", "dam", 0));
  COUNT("outlet, any case", 2,
        loupe_query_filter(q, LOUPE_F_OUTLET, "the valley post"));
  COUNT("outlets OR-ed", 3,
        loupe_query_filter(q, LOUPE_F_OUTLET, "The Valley Post");
        loupe_query_filter(q, LOUPE_F_OUTLET, "The Kessport Tribune"));
  COUNT("credit", 1, loupe_query_filter(q, LOUPE_F_CREDIT, "reuters"));
  COUNT("author", 2, loupe_query_filter(q, LOUPE_F_AUTHOR, "henrik sollen"));
  COUNT("lang", 3, loupe_query_filter(q, LOUPE_F_LANG, "en"));
  COUNT("keys AND-ed", 1,
        loupe_query_filter(q, LOUPE_F_OUTLET, "The Valley Post");
        loupe_query_filter(q, LOUPE_F_CREDIT, "Reuters"));
  COUNT("bound, not spliced", 0,
        loupe_query_filter(q, LOUPE_F_OUTLET, "x' OR '1'='1"));
  COUNT("until a year", 3, loupe_query_until(q, "2021"));
  COUNT("until a month", 2, loupe_query_until(q, "2021-08"));
  COUNT("until a day", 2, loupe_query_until(q, "2021-08-14"));
  COUNT("until the day before", 1, loupe_query_until(q, "2021-08-13"));
  COUNT("since a day", 2, loupe_query_since(q, "2021-08-14"));
  COUNT("since and until", 1, loupe_query_since(q, "2021-09");
        loupe_query_until(q, "2021-11-30"));
  COUNT("regex", 1, loupe_query_regex(q, "CRACKS? in the (\\w+ )?spillway",
                                      "i"));
  COUNT("regex with text", 0, loupe_query_text(q, "ferry", 0);
        loupe_query_regex(q, "spillway", NULL));
  COUNT("limit caps count", 2, loupe_query_limit(q, 2, 0));
#undef COUNT
  q = new_query(db);
  if (q) {
    CHECK_RC("since 'yesterday'", loupe_query_since(q, "yesterday"),
             LOUPE_EINVAL);
    CHECK(strstr(loupe_query_errmsg(q), "yesterday") != NULL,
          "bad date message does not quote it: %s", loupe_query_errmsg(q));
    loupe_query_free(q);
  }
  loupe_db_close(db);
}

static void test_group_kwic(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_query *q;
  loupe_cursor *c = NULL;
  int rc, has = 0;
  if (db == NULL) return;
  q = new_query(db);
  if (q) {
    rc = loupe_query_group(q, LOUPE_GROUP_YEAR, &c);
    loupe_query_free(q);
    CHECK_RC("group by year", rc, LOUPE_OK);
    if (rc == LOUPE_OK) {
      CHECK_STR("group column 0", loupe_cursor_name(c, 0), "key");
      CHECK_STR("group column 1", loupe_cursor_name(c, 1), "count");
      rc = loupe_cursor_next(c, &has);
      CHECK(rc == LOUPE_OK && has, "first group");
      CHECK_STR("first year", col_text(c, "key"), "2019");
      CHECK_INT("first count", col_int(c, "count"), 1);
      rc = loupe_cursor_next(c, &has);
      CHECK(rc == LOUPE_OK && has, "second group");
      CHECK_STR("second year", col_text(c, "key"), "2021");
      CHECK_INT("second count", col_int(c, "count"), 2);
      CHECK_INT("groups after two", drain(c), 0);
    }
  }
  q = new_query(db);
  if (q) {
    loupe_query_text(q, "dam", 0);
    rc = loupe_query_group(q, LOUPE_GROUP_OUTLET, &c);
    loupe_query_free(q);
    if (rc == LOUPE_OK && loupe_cursor_next(c, &has) == LOUPE_OK && has) {
      CHECK_STR("outlet group", col_text(c, "key"), "The Valley Post");
      CHECK_INT("outlet count", col_int(c, "count"), 2);
      CHECK_INT("outlet groups after one", drain(c), 0);
    } else {
      CHECK(0, "group by outlet: rc %d", rc);
      loupe_cursor_free(c);
    }
  }

  /* keyword in context: a literal, any case, width in characters */
  q = new_query(db);
  if (q) {
    size_t len;
    const char *s;
    int rows = 0;
    loupe_query_filter(q, LOUPE_F_CREDIT, "Reuters");
    rc = loupe_query_kwic(q, "SPILLWAY", 0, NULL, 12, &c);
    loupe_query_free(q);
    CHECK_RC("kwic", rc, LOUPE_OK);
    if (rc == LOUPE_OK) {
      static const char *const kn[] = {"left", "match", "right", "id",
                                       "date"};
      int k;
      CHECK_INT("kwic columns", loupe_cursor_columns(c), 5);
      for (k = 0; k < 5; k++)
        CHECK_STR("kwic column name", loupe_cursor_name(c, k), kn[k]);
      while (loupe_cursor_next(c, &has) == LOUPE_OK && has) {
        rows++;
        s = loupe_cursor_text(c, 1, &len);
        CHECK(len == 8 && memcmp(s, "spillway", 8) == 0,
              "kwic match %.*s", (int)len, s);
        s = loupe_cursor_text(c, 0, &len);
        CHECK(len == 12 && memcmp(s, "acks in the ", 12) == 0,
              "kwic left: %.*s", (int)len, s);
        CHECK_INT("kwic id", loupe_cursor_int(c, 3), ids[1]);
        s = loupe_cursor_text(c, 4, &len);
        CHECK(s != NULL && strncmp(s, "2021-08-14", 10) == 0,
              "kwic date: %s", s ? s : "(null)");
      }
      CHECK_INT("kwic rows", rows, 1);
      loupe_cursor_free(c);
    }
  }
  q = new_query(db);
  if (q) {
    int rows = 0;
    rc = loupe_query_kwic(q, "\\bcrack(s|ed)\\b", 1, "i", 5, &c);
    loupe_query_free(q);
    CHECK_RC("kwic regex", rc, LOUPE_OK);
    if (rc == LOUPE_OK) {
      while (loupe_cursor_next(c, &has) == LOUPE_OK && has) {
        size_t len;
        const char *s = loupe_cursor_text(c, 1, &len);
        CHECK((len == 6 && memcmp(s, "cracks", 6) == 0) ||
              (len == 7 && memcmp(s, "cracked", 7) == 0),
              "kwic regex match %.*s", (int)len, s);
        rows++;
      }
      CHECK_INT("kwic regex rows", rows, 3);
      loupe_cursor_free(c);
    }
  }
  loupe_db_close(db);
}

static void test_get(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_cursor *c = NULL;
  int rc, has = 0, n = 0;
  static const long long lines[] = {8, 10, 12};
  static const char *const paras[] = {A_P1, A_P2, A_P3};
  if (db == NULL) return;
  rc = loupe_db_get(db, ids[0], &c);
  CHECK_RC("db_get", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    rc = loupe_cursor_next(c, &has);
    CHECK(rc == LOUPE_OK && has, "db_get: no row");
    if (has) CHECK_STR("db_get title", col_text(c, "title"), A_TITLE);
    CHECK_INT("db_get rows after one", drain(c), 0);
  }
  rc = loupe_db_get(db, ids[2] + 100, &c);
  if (rc == LOUPE_OK) CHECK_INT("db_get of a missing id", drain(c), 0);
  rc = loupe_db_paragraphs(db, ids[0], &c);
  CHECK_RC("db_paragraphs", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    while (loupe_cursor_next(c, &has) == LOUPE_OK && has && n < 3) {
      CHECK_INT("paragraph n", col_int(c, "n"), n + 1);
      CHECK_STR("paragraph text", col_text(c, "text"), paras[n]);
      CHECK(loupe_cursor_type(c, col_of(c, "line")) == 1,
            "paragraph line is not an integer");
      CHECK_INT("paragraph line", col_int(c, "line"), lines[n]);
      CHECK(col_int(c, "offset") > 0, "paragraph offset");
      n++;
    }
    CHECK_INT("paragraphs", n, 3);
    loupe_cursor_free(c);
  }
  loupe_db_close(db);
}

static void test_errors(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_query *q;
  loupe_cursor *c = NULL;
  loupe_add_status st;
  long long id;
  int rc, has = 0;
  static const char *const bad[] = {"AND OR", "Orla AND", "NOT dam",
                                    "(spillway", "\"unterminated"};
  size_t i;
  if (db == NULL) return;
  /* bad raw FTS5 text: LOUPE_ESYNTAX from count and from the cursor */
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    q = new_query(db);
    if (q == NULL) break;
    loupe_query_text(q, bad[i], 1);
    {
      long long n;
      rc = loupe_query_count(q, &n);
      CHECK(rc == LOUPE_ESYNTAX, "raw %s: count rc %d (%s), want syntax: %s",
            bad[i], rc, loupe_errstr(rc), loupe_query_errmsg(q));
      CHECK(strlen(loupe_query_errmsg(q)) > 0, "raw %s: no message", bad[i]);
    }
    loupe_query_free(q);
    q = new_query(db);
    if (q == NULL) break;
    loupe_query_text(q, bad[i], 1);
    c = NULL;
    rc = loupe_query_hits(q, &c);
    loupe_query_free(q);
    if (rc == LOUPE_OK) {
      rc = loupe_cursor_next(c, &has);
      CHECK(rc == LOUPE_ESYNTAX && !has,
            "raw %s: cursor_next rc %d (%s), want syntax", bad[i], rc,
            loupe_errstr(rc));
      CHECK(strlen(loupe_cursor_errmsg(c)) > 0, "raw %s: no cursor message",
            bad[i]);
      loupe_cursor_free(c);
    } else {
      CHECK(rc == LOUPE_ESYNTAX, "raw %s: hits rc %d", bad[i], rc);
    }
  }
  /* a bad regex in a query */
  q = new_query(db);
  if (q) {
    rc = loupe_query_regex(q, "(dam", NULL);
    CHECK_RC("query regex (dam", rc, LOUPE_ESYNTAX);
    CHECK(strstr(loupe_query_errmsg(q), "offset") != NULL,
          "bad regex message has no offset: %s", loupe_query_errmsg(q));
    loupe_query_free(q);
  }
  /* a hostile regex stops at its limit */
  {
    static const char head[] =
      "Harbour news\n\nSiren jams on the north pier overnight\n\n"
      "Residents near the harbour called the police after a noise one "
      "of them wrote down as ";
    static const char tail[] =
      "! went on for several minutes before a technician arrived.\n\n"
      "The fog siren on the north pier had jammed after a power cut, the "
      "harbour master said on Wednesday morning.\n";
    size_t na = 6000, len = sizeof head - 1 + na + sizeof tail - 1;
    char *page = malloc(len);
    if (page) {
      memcpy(page, head, sizeof head - 1);
      memset(page + sizeof head - 1, 'a', na);
      memcpy(page + sizeof head - 1 + na, tail, sizeof tail - 1);
      rc = loupe_db_add(db, page, len, "siren.txt", &st, &id);
      CHECK_RC("add the siren page", rc, LOUPE_OK);
      free(page);
    }
    q = new_query(db);
    if (q) {
      long long n;
      loupe_query_regex(q, "(a+)+$", NULL);
      rc = loupe_query_count(q, &n);
      CHECK_RC("hostile regex count", rc, LOUPE_ELIMIT);
      CHECK(strstr(loupe_query_errmsg(q), "limit") != NULL,
            "limit message: %s", loupe_query_errmsg(q));
      loupe_query_free(q);
    }
    q = new_query(db);
    if (q) {
      loupe_query_regex(q, "(a+)+$", NULL);
      rc = loupe_query_hits(q, &c);
      loupe_query_free(q);
      if (rc == LOUPE_OK) {
        rc = loupe_cursor_next(c, &has);
        CHECK(rc == LOUPE_ELIMIT, "hostile regex cursor_next rc %d (%s)", rc,
              loupe_errstr(rc));
        loupe_cursor_free(c);
      }
    }
  }
  /* a regex that cannot be matched is a syntax error of the query's,
   * not a database error (found by fuzz_query) */
  q = new_query(db);
  if (q) {
    long long n;
    loupe_query_regex(q, "(*NO_JIT)(?R).", NULL);
    rc = loupe_query_count(q, &n);
    CHECK_RC("count with a recursion-loop regex", rc, LOUPE_ESYNTAX);
    CHECK(strstr(loupe_query_errmsg(q), "regex") != NULL,
          "recursion-loop regex message: %s", loupe_query_errmsg(q));
    loupe_query_free(q);
  }
  /* a kwic needs a term */
  q = new_query(db);
  if (q) {
    c = NULL;
    rc = loupe_query_kwic(q, "", 0, NULL, 10, &c);
    CHECK(rc != LOUPE_OK && c == NULL, "kwic with an empty term: rc %d", rc);
    loupe_query_free(q);
  }
  loupe_db_close(db);
}

/* Closing the database under live cursors finalizes them; the cursors
 * report misuse and can still be freed. */
static void test_close_with_cursor(void) {
  long long ids[3];
  loupe_db *db = three_pages(ids);
  loupe_query *q, *q2;
  loupe_cursor *c = NULL, *k = NULL, *done = NULL;
  int rc, has = 0;
  if (db == NULL) return;
  q = new_query(db);
  q2 = new_query(db);
  if (q == NULL || q2 == NULL) {
    loupe_query_free(q);
    loupe_query_free(q2);
    loupe_db_close(db);
    return;
  }
  rc = loupe_query_hits(q, &c);
  CHECK_RC("hits", rc, LOUPE_OK);
  rc = loupe_query_kwic(q2, "the", 0, NULL, 10, &k);
  CHECK_RC("kwic", rc, LOUPE_OK);
  rc = loupe_db_paragraphs(db, ids[0], &done);
  CHECK_RC("paragraphs", rc, LOUPE_OK);
  if (c) {
    rc = loupe_cursor_next(c, &has);
    CHECK(rc == LOUPE_OK && has, "first row before close");
  }
  if (k) loupe_cursor_next(k, &has);
  while (done && loupe_cursor_next(done, &has) == LOUPE_OK && has) {}
  loupe_db_close(db);
  if (c) {
    rc = loupe_cursor_next(c, &has);
    CHECK(rc == LOUPE_EMISUSE && !has,
          "cursor_next after db close: rc %d (%s), has %d", rc,
          loupe_errstr(rc), has);
    CHECK(strlen(loupe_cursor_errmsg(c)) > 0, "closed cursor: no message");
    CHECK_INT("columns of a closed cursor", loupe_cursor_columns(c), 0);
  }
  if (k) {
    rc = loupe_cursor_next(k, &has);
    CHECK(rc == LOUPE_EMISUSE && !has, "kwic after db close: rc %d", rc);
  }
  if (done) {
    rc = loupe_cursor_next(done, &has);
    CHECK(rc == LOUPE_OK && !has, "finished cursor after close: rc %d", rc);
  }
  loupe_cursor_free(c);
  loupe_cursor_free(k);
  loupe_cursor_free(done);
  loupe_cursor_free(NULL);
  /* the queries outlive their database only to be freed */
  loupe_query_free(q);
  loupe_query_free(q2);
  loupe_query_free(NULL);
}

static void test_regex(void) {
  loupe_regex *re = NULL;
  loupe_regex_limits lim;
  char err[200];
  size_t ov[8];
  int rc, np = -1;
  static const char subj[] = "filed on 2021-08-14 by Henrik";
  char hostile[40];

  loupe_regex_free(NULL);
  rc = loupe_regex_new("(\\d{4})-(\\d\\d)|(x)", 18, NULL, NULL, &re, err,
                       sizeof err);
  CHECK_RC("regex_new", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    CHECK_INT("groups", loupe_regex_groups(re), 3);
    rc = loupe_regex_exec(re, subj, sizeof subj - 1, 0, ov, 4, &np);
    CHECK(rc == LOUPE_OK && np >= 3, "exec: rc %d np %d", rc, np);
    if (np >= 3) {
      CHECK(ov[0] == 9 && ov[1] == 16, "match at %zu..%zu", ov[0], ov[1]);
      CHECK(ov[2] == 9 && ov[3] == 13, "group 1 at %zu..%zu", ov[2], ov[3]);
      CHECK(ov[4] == 14 && ov[5] == 16, "group 2 at %zu..%zu", ov[4], ov[5]);
    }
    if (np == 4)
      CHECK(ov[6] == (size_t)-1 && ov[7] == (size_t)-1,
            "group 3 took no part but is at %zu..%zu", ov[6], ov[7]);
    rc = loupe_regex_exec(re, subj, sizeof subj - 1, 17, ov, 4, &np);
    CHECK(rc == LOUPE_OK && np == 0, "no match after 17: rc %d np %d", rc,
          np);
    rc = loupe_regex_exec(re, subj, sizeof subj - 1, sizeof subj + 5, ov, 4,
                          &np);
    CHECK_RC("start past the end", rc, LOUPE_EINVAL);
    loupe_regex_free(re);
  }
  re = NULL;
  rc = loupe_regex_new("dam (spill", 10, NULL, NULL, &re, err, sizeof err);
  CHECK_RC("bad pattern", rc, LOUPE_ESYNTAX);
  CHECK(re == NULL && strstr(err, "offset 10") != NULL,
        "bad pattern message: %s", err);
  rc = loupe_regex_new("dam", 3, "iz", NULL, &re, err, sizeof err);
  CHECK_RC("bad flag", rc, LOUPE_ESYNTAX);
  CHECK(strchr(err, 'z') != NULL, "bad flag message: %s", err);
  /* invalid UTF-8 in the subject is matched safely */
  rc = loupe_regex_new("dam", 3, "i", NULL, &re, err, sizeof err);
  if (rc == LOUPE_OK) {
    rc = loupe_regex_exec(re, "\xff\xfe DAM \xc3(", 9, 0, ov, 1, &np);
    CHECK(rc == LOUPE_OK && np == 1 && ov[0] == 3 && ov[1] == 6,
          "invalid UTF-8 subject: rc %d np %d", rc, np);
    loupe_regex_free(re);
  }
  /* limits */
  memset(hostile, 'a', 24);
  hostile[24] = '!';
  memset(&lim, 0, sizeof lim);
  lim.match_limit = 500;
  rc = loupe_regex_new("(a+)+$", 6, NULL, &lim, &re, err, sizeof err);
  CHECK_RC("regex with match_limit", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    rc = loupe_regex_exec(re, hostile, 25, 0, ov, 4, &np);
    CHECK_RC("hostile exec", rc, LOUPE_ELIMIT);
    CHECK(np == 0, "np after a limit: %d", np);
    CHECK(strstr(loupe_regex_errmsg(re), "match_limit") != NULL,
          "limit message: %s", loupe_regex_errmsg(re));
    /* the handle stays usable */
    rc = loupe_regex_exec(re, "aaa", 3, 0, ov, 4, &np);
    CHECK(rc == LOUPE_OK && np >= 1, "exec after a limit: rc %d", rc);
    loupe_regex_free(re);
  }
  /* a recursion that loops at one position is the pattern's fault, not
   * a limit (no option would help); (*NO_JIT) keeps PCRE2 off its JIT,
   * which would stop at its stack instead (found by fuzz_regex) */
  rc = loupe_regex_new("(*NO_JIT)(?R).", 14, NULL, NULL, &re, err,
                       sizeof err);
  CHECK_RC("a pattern that recurses at one position", rc, LOUPE_OK);
  if (rc == LOUPE_OK) {
    rc = loupe_regex_exec(re, "ferry", 5, 0, ov, 4, &np);
    CHECK_RC("exec of a recursion loop", rc, LOUPE_ESYNTAX);
    CHECK(np == 0 && strstr(loupe_regex_errmsg(re), "recursion") != NULL &&
          strstr(loupe_regex_errmsg(re), "limit") == NULL,
          "recursion loop: np %d, message %s", np, loupe_regex_errmsg(re));
    loupe_regex_free(re);
  }
  /* a setting cut off at the pattern's length, with digits in the bytes
   * after it: PCRE2 10.42 read them and asked for 2^64 - 4 bytes (found
   * by fuzz_regex); only the pattern's own bytes count */
  rc = loupe_regex_new("(*LIMIT_MATCH=1)\x0e\x0e", 14, "msx", NULL, &re, err,
                       sizeof err);
  CHECK_RC("a start-of-pattern setting cut off at the length", rc,
           LOUPE_ESYNTAX);
  CHECK(re == NULL && strstr(err, "offset 14") != NULL,
        "cut-off setting: %s", err);
  rc = loupe_regex_new("(a+)+$", 6, NULL, NULL, &re, err, sizeof err);
  if (rc == LOUPE_OK) {
    char *big = malloc(5001);
    if (big) {
      memset(big, 'a', 5000);
      big[5000] = '!';
      rc = loupe_regex_exec(re, big, 5001, 0, ov, 4, &np);
      CHECK_RC("hostile exec with the default limits", rc, LOUPE_ELIMIT);
      free(big);
    }
    loupe_regex_free(re);
  }
}

static void test_list_files(void) {
  char dir[] = "/tmp/loupe-test-files.XXXXXX";
  char path[200], err[300];
  const char *specs[2];
  char **files = NULL;
  size_t n = 99;
  int rc;
  FILE *f;
  static const char *const names[] = {"b.txt", "a.txt", "sub/c.txt",
                                      ".hidden.txt"};
  size_t i;
  if (mkdtemp(dir) == NULL) { CHECK(0, "mkdtemp"); return; }
  snprintf(path, sizeof path, "%s/sub", dir);
  CHECK(mkdir(path, 0755) == 0, "mkdir %s", path);
  for (i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    f = fopen(path, "w");
    if (f) { fputs(PAGE_A, f); fclose(f); }
  }
  specs[0] = dir;
  rc = loupe_list_files(specs, 1, &files, &n, err, sizeof err);
  CHECK_RC("list a folder", rc, LOUPE_OK);
  CHECK_INT("files in the folder", n, 3);
  if (rc == LOUPE_OK && n == 3) {
    snprintf(path, sizeof path, "%s/a.txt", dir);
    CHECK_STR("first file", files[0], path);
    snprintf(path, sizeof path, "%s/sub/c.txt", dir);
    CHECK_STR("last file", files[2], path);
  }
  loupe_free_files(files, n);
  /* the same file twice, through a glob and a path, is listed once */
  snprintf(path, sizeof path, "%s/*.txt", dir);
  specs[0] = path;
  {
    char one[200];
    snprintf(one, sizeof one, "%s/a.txt", dir);
    specs[1] = one;
    files = NULL;
    rc = loupe_list_files(specs, 2, &files, &n, err, sizeof err);
    CHECK_RC("list a glob and a path", rc, LOUPE_OK);
    CHECK_INT("files from the glob and the path", n, 2);
    loupe_free_files(files, n);
  }
  snprintf(path, sizeof path, "%s/*.html", dir);
  specs[0] = path;
  files = NULL;
  rc = loupe_list_files(specs, 1, &files, &n, err, sizeof err);
  CHECK_RC("glob matching nothing", rc, LOUPE_EIO);
  CHECK(strstr(err, "*.html") != NULL, "message does not name the glob: %s",
        err);
  snprintf(path, sizeof path, "%s/missing", dir);
  rc = loupe_list_files(specs, 1, &files, &n, err, sizeof err);
  CHECK_RC("missing path", rc, LOUPE_EIO);
  CHECK(strstr(err, "missing") != NULL, "message does not name it: %s", err);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  if (system(path) != 0) printf("note: could not remove %s\n", dir);
}

int main(void) {
  test_open();
  test_add();
  test_transactions();
  test_hits();
  test_filters();
  test_group_kwic();
  test_get();
  test_errors();
  test_close_with_cursor();
  test_regex();
  test_list_files();
  printf("test_store: %d passed, %d failed\n", passes, failures);
  return failures != 0;
}
