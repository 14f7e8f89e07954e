/*
 * test_query.c - tests of the query part of loupe.h with no Lua, over the
 * invented pages of store_pages.h: text, phrase and NEAR queries, hit
 * fields and snippets, filters (dates, outlets, paths), order and paging,
 * grouping and keyword in context, and the regex API with its limits.
 * Ends with "test_query: N passed, N failed" and exits non-zero on failure.
 */
#define _DEFAULT_SOURCE           /* MAP_ANONYMOUS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "store_pages.h"

/* The fields of hit first of the text query whose FTS expression is
 * match, read after its cursor ended; a page the expression does not
 * match, an id that is not there; misuse and bad expressions. */
static void check_hit_fields(loupe_db *db, const long long ids[3],
                             const char *match, size_t mlen,
                             long long first) {
  const char *text = NULL, *hl = NULL;
  size_t len = 0, hlen = 0;
  char snip[300] = "", title[300] = "";
  int rc;
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

/* The rank of the first hit for "spillway" (expression match) as the
 * hits cursor gave it; a page in date order reads no rank. */
static void check_hit_rank(loupe_db *db, const long long ids[3],
                           const char *match, size_t mlen) {
  loupe_query *q;
  loupe_cursor *c = NULL;
  double rank = 0, first_rank = 0;
  long long first = -1;
  int rc, has = 0, found = 0;
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

static void test_hits(loupe_db *db, const long long ids[3]) {
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
  q = new_query(db);
  if (q == NULL) return;
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
  if (first > 0) {
    check_hit_fields(db, ids, match, mlen, first);
    check_hit_rank(db, ids, match, mlen);
  }
}

/* A hit row carries the stored fields. */
static void test_hit_row(loupe_db *db, const long long ids[3]) {
  loupe_query *q = new_query(db);
  loupe_cursor *c = NULL;
  int rc, has = 0;
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
}

/* The ids a query of db gives in order, limited to limit rows after
 * offset when limit > 0: the first four into got; the number of rows, -1
 * when the query failed (a failed check). */
static int ids_in(loupe_db *db, loupe_order order, long long limit,
                  long long offset, long long got[4]) {
  loupe_query *q = new_query(db);
  loupe_cursor *c = NULL;
  int rc, has = 0, n = 0;
  if (q == NULL) return -1;
  loupe_query_order(q, order);
  if (limit > 0) loupe_query_limit(q, limit, offset);
  rc = loupe_query_ids(q, &c);
  loupe_query_free(q);
  CHECK_RC("query_ids", rc, LOUPE_OK);
  if (rc != LOUPE_OK) return -1;
  CHECK_INT("ids columns", loupe_cursor_columns(c), 1);
  CHECK_STR("ids column name", loupe_cursor_name(c, 0), "id");
  while (loupe_cursor_next(c, &has) == LOUPE_OK && has) {
    if (n < 4) got[n] = loupe_cursor_int(c, 0);
    n++;
  }
  loupe_cursor_free(c);
  return n;
}

/* Ids newest first with DATE_DESC; limit and offset. */
static void test_ids(loupe_db *db, const long long ids[3]) {
  long long got[4] = {0, 0, 0, 0};
  int n = ids_in(db, LOUPE_ORDER_DATE_DESC, 0, 0, got);
  CHECK(n == 3 && got[0] == ids[2] && got[1] == ids[1] && got[2] == ids[0],
        "ids newest first: %d rows, %lld %lld %lld", n, got[0], got[1],
        got[2]);
  n = ids_in(db, LOUPE_ORDER_DATE, 1, 1, got);
  CHECK(n == 1 && got[0] == ids[1],
        "limit 1 offset 1: %d rows, want the second oldest, got %lld", n,
        got[0]);
}

static void test_filters(loupe_db *db, const long long ids[3]) {
  loupe_query *q;
  (void)ids;
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
}

static void test_group_kwic(loupe_db *db, const long long ids[3]) {
  loupe_query *q;
  loupe_cursor *c = NULL;
  int rc, has = 0;
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

/*
 * A subject that ends in a cut-off or stray UTF-8 sequence, laid against
 * an unreadable page: PCRE2 10.42's JIT read past such an end when it
 * tested a word boundary (found by fuzz_regex; a crash, not a wrong
 * answer). Every start is matched, as loupe's own loops do, and the
 * boundaries found are the interpreter's.
 */
static void test_regex_subject_end(void) {
  static const char *const tails[] = {"ferry \xe4", "dam\xc3", "a\x80",
    "spill \xf1\x80\x80", "ok\xff", "gate \xe4\xb8", "quay \xed\xa0"};
  static const char *const pats[] = {"\\b", "\\B", "x|\\b"};
  long pg = sysconf(_SC_PAGESIZE);
  char *map;
  size_t t, p;
  if (pg <= 0) return;
  map = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(map != MAP_FAILED, "mmap of two pages");
  if (map == MAP_FAILED) return;
  CHECK(mprotect(map + pg, (size_t)pg, PROT_NONE) == 0, "guard page");
  for (p = 0; p < sizeof pats / sizeof *pats; p++) {
    loupe_regex *re = NULL;
    char err[200];
    int rc = loupe_regex_new(pats[p], strlen(pats[p]), NULL, NULL, &re, err,
                             sizeof err);
    CHECK_RC(pats[p], rc, LOUPE_OK);
    if (rc != LOUPE_OK) continue;
    for (t = 0; t < sizeof tails / sizeof *tails; t++) {
      size_t len = strlen(tails[t]), pos, ov[2];
      char *s = map + pg - len;
      int np, hits = 0;
      memcpy(s, tails[t], len);
      for (pos = 0; pos <= len; pos++) {
        rc = loupe_regex_exec(re, s, len, pos, ov, 1, &np);
        CHECK(rc == LOUPE_OK && (np == 0 || ov[1] <= len), "%s on tail %zu at %zu: rc %d",
              pats[p], t, pos, rc);
        hits += np;
      }
      CHECK(hits > 0, "%s finds no boundary in tail %zu", pats[p], t);
    }
    loupe_regex_free(re);
  }
  munmap(map, 2 * (size_t)pg);
}

int main(void) {
  static const pages_test over_pages[] = {test_hits, test_hit_row, test_ids,
    test_filters, test_group_kwic};
  static const check_test tests[] = {test_regex, test_regex_subject_end};
  over_three_pages(over_pages, sizeof over_pages / sizeof *over_pages);
  return check_run("test_query", tests, sizeof tests / sizeof *tests);
}
