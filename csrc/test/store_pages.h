/*
 * store_pages.h - the invented pages and cursor helpers that test_store.c
 * and test_query.c share: pages A, B (and its edit B2) and C, a database
 * holding A, B and C and a runner of tests over it, column lookups by
 * name, counting and draining.
 * Include after check.h, once per test program.
 */
#ifndef LOUPE_TEST_STORE_PAGES_H
#define LOUPE_TEST_STORE_PAGES_H

#include <string.h>

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

/* Page B around its last paragraph p3 (B2 rewrites it). */
#define PAGE_B_WITH(p3) \
  "Valley Post\n" \
  "News | Markets | Weather | Sport\n" \
  "\n" \
  B_TITLE "\n" \
  "August 14, 2021 / 3:20 PM\n" \
  "By Henrik Sollen\n" \
  "\n" \
  B_P1 "\n" \
  "\n" \
  B_P2 "\n" \
  "\n" \
  p3 "\n" \
  "\n" \
  "Share this article\n" \
  "\n" \
  "Copyright 2021 (c) The Valley Post. All Rights Reserved.\n"

static const char PAGE_B[] = PAGE_B_WITH(B_P3);

/* B again, with its last paragraph rewritten (a changed file). */
#define B_P3_NEW "Farmers downstream said the lighthouse keepers' guild had " \
  "warned them about the inspection and asked for a public meeting."

static const char PAGE_B2[] = PAGE_B_WITH(B_P3_NEW);

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
static inline int col_of(const loupe_cursor *c, const char *name) {
  int i, n = loupe_cursor_columns(c);
  for (i = 0; i < n; i++) {
    const char *s = loupe_cursor_name(c, i);
    if (s && strcmp(s, name) == 0) return i;
  }
  return -1;
}

/* Text of column name in the current row (NULL when absent or null). */
static inline const char *col_text(loupe_cursor *c, const char *name) {
  size_t len;
  int i = col_of(c, name);
  if (i < 0 || loupe_cursor_type(c, i) == 0) return NULL;
  return loupe_cursor_text(c, i, &len);
}

static inline long long col_int(loupe_cursor *c, const char *name) {
  int i = col_of(c, name);
  return i < 0 ? -1 : loupe_cursor_int(c, i);
}

/* Rows left in a cursor (freed afterwards); -1 after a step error. */
static inline long long drain(loupe_cursor *c) {
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
static inline loupe_db *three_pages(long long ids[3]) {
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

/* A test over the three_pages database db (its pages' ids in ids). */
typedef void (*pages_test)(loupe_db *db, const long long ids[3]);

/* Run each test over a fresh three_pages database, closed after it. */
static inline void over_three_pages(const pages_test *tests, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    long long ids[3];
    loupe_db *db = three_pages(ids);
    if (db == NULL) continue;
    tests[i](db, ids);
    loupe_db_close(db);
  }
}

/* Count of a query built by the caller (freed here); -1 on failure. */
static inline long long count_of(loupe_query *q, int want_rc) {
  long long n = -1;
  int rc = loupe_query_count(q, &n);
  CHECK(rc == want_rc, "count: rc %d (%s), want %d: %s", rc, loupe_errstr(rc),
        want_rc, loupe_query_errmsg(q));
  loupe_query_free(q);
  return rc == LOUPE_OK ? n : -1;
}

static inline loupe_query *new_query(loupe_db *db) {
  loupe_query *q = NULL;
  int rc = loupe_query_new(db, &q);
  CHECK_RC("loupe_query_new", rc, LOUPE_OK);
  return q;
}

#endif
