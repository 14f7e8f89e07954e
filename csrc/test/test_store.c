/*
 * test_store.c - tests of the corpus part of loupe.h with no Lua: opening,
 * adding invented pages (statuses, dedupe, replacement, parse errors),
 * transactions, getting an article and its paragraphs, errors (bad FTS5
 * text, bad and hostile regexes), closing a database under a live cursor
 * and file listing. Queries and the regex API are in test_query.c.
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
#include "store_pages.h"

/* The number of articles in db; -1 when counting fails. */
static long long db_count(loupe_db *db) {
  long long n = -1;
  return loupe_db_count(db, &n) == LOUPE_OK ? n : -1;
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
    CHECK_INT("count after reopen", db_count(db), 1);
    rc = loupe_db_add(db, PAGE_B, sizeof PAGE_B - 1, "b.txt", &st, &id);
    CHECK(rc != LOUPE_OK, "add to a read-only corpus succeeded");
    CHECK_INT("count after a refused add", db_count(db), 1);
  }
  loupe_db_close(db);
  snprintf(path, sizeof path, "rm -rf '%s'", dir);
  if (system(path) != 0) printf("note: could not remove %s\n", dir);
}

static void test_add(void) {
  loupe_db *db = NULL;
  loupe_add_status st;
  long long id, id2;
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
  CHECK_INT("count after adds", db_count(db), 3);

  /* unusable pages store nothing */
  rc = loupe_db_add(db, "  \n\n \n", 6, "blank.txt", &st, &id);
  CHECK_RC("add blank", rc, LOUPE_EEMPTY);
  CHECK(strlen(loupe_db_errmsg(db)) > 0, "add blank: no message");
  for (i = 0; i < sizeof bin; i++) bin[i] = (char)((i * 7919u) % 251u);
  rc = loupe_db_add(db, bin, sizeof bin, "photo.jpg", &st, &id);
  CHECK_RC("add binary", rc, LOUPE_EENCODING);
  CHECK_INT("count after failed adds", db_count(db), 3);
  loupe_db_close(db);
}

static void test_transactions(loupe_db *db, const long long ids[3]) {
  loupe_add_status st;
  long long id;
  int rc;
  (void)ids;
  CHECK_RC("commit without begin", loupe_db_commit(db), LOUPE_EMISUSE);
  rc = loupe_db_begin(db);
  CHECK_RC("begin", rc, LOUPE_OK);
  CHECK_RC("nested begin", loupe_db_begin(db), LOUPE_EMISUSE);
  rc = loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b2.txt", &st, &id);
  CHECK_RC("add in a transaction", rc, LOUPE_OK);
  CHECK_INT("count inside the transaction", db_count(db), 4);
  CHECK_RC("rollback", loupe_db_rollback(db), LOUPE_OK);
  CHECK_INT("count after rollback", db_count(db), 3);
  CHECK_RC("begin again", loupe_db_begin(db), LOUPE_OK);
  rc = loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b2.txt", &st, &id);
  CHECK_RC("add again", rc, LOUPE_OK);
  CHECK_RC("commit", loupe_db_commit(db), LOUPE_OK);
  CHECK_INT("count after commit", db_count(db), 4);
  /* closing with a transaction open rolls it back (no crash, no leak) */
  CHECK_RC("begin before close", loupe_db_begin(db), LOUPE_OK);
  rc = loupe_db_add(db, PAGE_C, sizeof PAGE_C - 1, "c-copy.txt", &st, &id);
  CHECK_RC("add before close", rc, LOUPE_OK);
}

/* loupe_db_check finds no problem (it compares the word totals kept for
 * keyness with the articles' words counted again). */
static void check_sound(loupe_db *db, const char *what) {
  loupe_check_result r;
  CHECK_RC(what, loupe_db_check(db, &r), LOUPE_OK);
  CHECK(r.problems == 0, "%s: %s", what, r.report);
}

/* The word totals follow an edit rolled back, an edit and a removal. */
static void test_word_totals(loupe_db *db, const long long ids[3]) {
  loupe_add_status st;
  long long id;
  check_sound(db, "three pages");
  CHECK_RC("begin", loupe_db_begin(db), LOUPE_OK);
  CHECK_RC("edit B in a transaction", loupe_db_add(db, PAGE_B2,
           sizeof PAGE_B2 - 1, "b.txt", &st, &id), LOUPE_OK);
  CHECK_RC("rollback", loupe_db_rollback(db), LOUPE_OK);
  check_sound(db, "after a rollback");
  CHECK_RC("edit B", loupe_db_add(db, PAGE_B2, sizeof PAGE_B2 - 1, "b.txt",
           &st, &id), LOUPE_OK);
  CHECK_INT("B updated", st, LOUPE_UPDATED);
  check_sound(db, "after an edit");
  /* b.txt now holds A's content: B loses its last path and goes */
  CHECK_RC("b.txt to A", loupe_db_link(db, "b.txt", ids[0]), LOUPE_OK);
  CHECK_INT("B removed", db_count(db), 2);
  check_sound(db, "after a removal");
}

static void test_get(loupe_db *db, const long long ids[3]) {
  loupe_cursor *c = NULL;
  int rc, has = 0, n = 0;
  static const long long lines[] = {8, 10, 12};
  static const char *const paras[] = {A_P1, A_P2, A_P3};
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
}

/* A query of db by regex re: its count fails with want, and the query's
 * message holds word. */
static void check_regex_fails(loupe_db *db, const char *re, int want,
                              const char *word) {
  loupe_query *q = new_query(db);
  long long n;
  if (q == NULL) return;
  loupe_query_regex(q, re, NULL);
  CHECK_RC(re, loupe_query_count(q, &n), want);
  CHECK(strstr(loupe_query_errmsg(q), word) != NULL, "%s: message %s", re,
        loupe_query_errmsg(q));
  loupe_query_free(q);
}

static void test_errors(loupe_db *db, const long long ids[3]) {
  loupe_query *q;
  loupe_cursor *c = NULL;
  loupe_add_status st;
  long long id;
  int rc, has = 0;
  static const char *const bad[] = {"AND OR", "Orla AND", "NOT dam",
                                    "(spillway", "\"unterminated"};
  size_t i;
  (void)ids;
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
    check_regex_fails(db, "(a+)+$", LOUPE_ELIMIT, "limit");
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
  check_regex_fails(db, "(*NO_JIT)(?R).", LOUPE_ESYNTAX, "regex");
  /* a kwic needs a term */
  q = new_query(db);
  if (q) {
    c = NULL;
    rc = loupe_query_kwic(q, "", 0, NULL, 10, &c);
    CHECK(rc != LOUPE_OK && c == NULL, "kwic with an empty term: rc %d", rc);
    loupe_query_free(q);
  }
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
  static const pages_test over_pages[] = {test_transactions, test_get,
    test_errors, test_word_totals};
  static const check_test tests[] = {test_open, test_add,
    test_close_with_cursor, test_list_files};
  over_three_pages(over_pages, sizeof over_pages / sizeof *over_pages);
  return check_run("test_store", tests, sizeof tests / sizeof *tests);
}
