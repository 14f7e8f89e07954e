/*
 * check.c - loupe_db_check: is a corpus file sound? SQLite's integrity
 * check, the full-text index's own check against the articles, and the
 * counts and links between tables that loupe keeps in step (the word
 * totals keyness reads among them). Reads only:
 * on a read-only corpus the full-text check runs on a private copy.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

/* Note one problem (a line of the report). */
static void problem(loupe_db *db, loupe_check_result *r, const char *fmt,
                    ...) {
  char line[400];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) n = (int)sizeof line - 1;
  r->problems++;
  if (lp_buf_append(&db->report, line, (size_t)n) ||
      lp_buf_append(&db->report, "\n", 1))
    r->problems++;                /* counted, if not told */
}

/* The one integer sql gives; a failure is a problem named by what. */
static int count_of(loupe_db *db, loupe_check_result *r, const char *sql,
                    const char *what, long long *n) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  *n = 0;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *n = sqlite3_column_int64(st, 0);
      rc = SQLITE_OK;
    }
  }
  if (rc != SQLITE_OK)
    problem(db, r, "%s: %s", what, sqlite3_errmsg(db->sql));
  sqlite3_finalize(st);
  return rc == SQLITE_OK;
}

/* SQLite's integrity check: every row it gives but "ok" is a problem. */
static void integrity(loupe_db *db, loupe_check_result *r) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check(100)", -1,
                              &st, NULL);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *m = (const char *)sqlite3_column_text(st, 0);
      while (m && *m && strcmp(m, "ok") != 0) {
        size_t len = strcspn(m, "\n");
        if (strncmp(m, "*** ", 4) != 0)      /* not the database heading */
          problem(db, r, "integrity: %.*s", (int)len, m);
        m += len + (m[len] == '\n');
      }
    }
  }
  if (rc != SQLITE_DONE)
    problem(db, r, "integrity: %s", sqlite3_errmsg(db->sql));
  sqlite3_finalize(st);
}

/* FTS5's integrity check of the index against the articles it was made
 * from, on connection c (rank 1: the external content is read too). */
static int fts_check_on(sqlite3 *c, char *msg, size_t cap) {
  int rc = sqlite3_exec(c, "INSERT INTO articles_fts(articles_fts, rank)"
                        " VALUES ('integrity-check', 1)", NULL, NULL, NULL);
  if (rc != SQLITE_OK) snprintf(msg, cap, "%s", sqlite3_errmsg(c));
  return rc;
}

/*
 * The full-text check is a write statement to SQLite (it writes nothing),
 * so a read-only corpus is first copied, as it is, page by page, into a
 * private temporary database that SQLite deletes when it is closed.
 */
static void fts_check(loupe_db *db, loupe_check_result *r) {
  char msg[300];
  sqlite3 *copy = NULL;
  sqlite3_backup *b;
  const lp_ftoks *none = NULL;
  int rc;
  if (!db->readonly) {
    if (fts_check_on(db->sql, msg, sizeof msg) != SQLITE_OK)
      problem(db, r, "full-text index: %s", msg);
    return;
  }
  rc = sqlite3_open_v2("", &copy, SQLITE_OPEN_READWRITE |
                       SQLITE_OPEN_CREATE, NULL);
  /* the copy tokenizes as the corpus does (tokenizer.c) */
  if (rc == SQLITE_OK &&
      lp_ftok_register(copy, &none, &db->tok_mode) != LOUPE_OK)
    rc = SQLITE_ERROR;
  if (rc != SQLITE_OK) {
    problem(db, r, "full-text index: cannot make a temporary copy to check");
    sqlite3_close(copy);
    return;
  }
  b = sqlite3_backup_init(copy, "main", db->sql, "main");
  if (b == NULL) {
    problem(db, r, "full-text index: cannot copy the corpus: %s",
            sqlite3_errmsg(copy));
    sqlite3_close(copy);
    return;
  }
  rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    problem(db, r, "full-text index: cannot copy the corpus: %s",
            sqlite3_errstr(rc));
  } else if (fts_check_on(copy, msg, sizeof msg) != SQLITE_OK) {
    problem(db, r, "full-text index: %s", msg);
  }
  sqlite3_close(copy);
}

/* Counts that must be zero, with what each means when it is not. */
static const struct {
  const char *sql, *what;
} zero_checks[] = {
  {"SELECT count(*) FROM paragraphs WHERE article_id NOT IN"
   " (SELECT id FROM articles)", "paragraph rows whose article is gone"},
  {"SELECT count(*) FROM quotes WHERE article_id NOT IN"
   " (SELECT id FROM articles)", "quote rows whose article is gone"},
  {"SELECT count(*) FROM entities WHERE article_id NOT IN"
   " (SELECT id FROM articles)", "entity rows whose article is gone"},
  {"SELECT count(*) FROM people WHERE article_id NOT IN"
   " (SELECT id FROM articles)", "author or editor rows whose article is"
   " gone"},
  /* the paragraphs are the body: their lengths and the blank lines
   * between them add up to it */
  {"SELECT count(*) FROM articles a WHERE length(CAST(a.body AS BLOB)) !="
   " coalesce((SELECT sum(p.len) + 2 * (count(*) - 1) FROM paragraphs p"
   " WHERE p.article_id = a.id), 0)",
   "articles whose paragraphs do not make up their body"},
  {"SELECT count(*) FROM (SELECT article_id FROM paragraphs GROUP BY"
   " article_id HAVING max(n) != count(*) OR min(n) != 1)",
   "articles with paragraphs missing from their numbering"},
  {"SELECT count(*) FROM (SELECT article_id FROM quotes GROUP BY"
   " article_id HAVING max(n) != count(*) OR min(n) != 1)",
   "articles with quotes missing from their numbering"},
  {NULL, NULL}
};

/* Checks of the paths table and content hashes (schema version 3: an
 * older corpus has a row per path, its hashes are of bytes). */
static const struct {
  const char *sql, *what;
} path_checks[] = {
  {"SELECT count(*) FROM (SELECT hash FROM articles GROUP BY hash"
   " HAVING count(*) > 1)", "content hashes stored as more than one"
   " article"},
  {"SELECT count(*) FROM paths WHERE article_id NOT IN"
   " (SELECT id FROM articles)", "paths whose article is gone"},
  {"SELECT count(*) FROM articles a WHERE a.path IS NOT NULL AND NOT EXISTS"
   " (SELECT 1 FROM paths p WHERE p.path = a.path AND p.article_id = a.id)",
   "articles whose path is not among their paths"},
  {"SELECT count(*) FROM articles a WHERE a.path IS NULL AND EXISTS"
   " (SELECT 1 FROM paths p WHERE p.article_id = a.id)",
   "articles with paths that show none"},
  {NULL, NULL}
};

/* The word totals kept for keyness (schema version 6) against the words
 * of the bodies, counted again. */
static void totals_check(loupe_db *db, loupe_check_result *r) {
  char example[120];
  long long differ;
  if (!lp_totals_kept(db)) return;
  if (lp_totals_compare(db, &differ, example, sizeof example) != LOUPE_OK)
    problem(db, r, "word totals: %s", db->errmsg);
  else if (differ > 0)
    problem(db, r, "%lld word%s whose kept totals (read by keyness) differ"
            " from the articles' words, e.g. %s", differ,
            differ == 1 ? "" : "s", example);
}

int loupe_db_check(loupe_db *db, loupe_check_result *r) {
  long long n;
  int i;
  memset(r, 0, sizeof *r);
  r->report = "";
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  db->report.len = 0;
  /* an older schema is read as it is (loupe_db_notices says so); a newer
   * one is never opened */
  r->schema_version = db->schema;
  integrity(db, r);
  count_of(db, r, "SELECT count(*) FROM articles", "articles", &r->articles);
  count_of(db, r, "SELECT count(*) FROM paragraphs", "paragraphs",
           &r->paragraphs);
  count_of(db, r, "SELECT count(*) FROM quotes", "quotes", &r->quotes);
  count_of(db, r, "SELECT count(*) FROM entities", "entities", &r->entities);
  if (db->schema >= 3)
    count_of(db, r, "SELECT count(*) FROM paths", "paths", &r->paths);
  else
    count_of(db, r, "SELECT count(*) FROM articles WHERE path IS NOT NULL",
             "paths", &r->paths);
  /* one row of document sizes per document indexed */
  if (count_of(db, r, "SELECT count(*) FROM articles_fts_docsize",
               "full-text index", &r->index_rows) &&
      r->index_rows != r->articles)
    problem(db, r, "the full-text index holds %lld documents for %lld "
            "articles", r->index_rows, r->articles);
  for (i = 0; zero_checks[i].sql; i++)
    if (count_of(db, r, zero_checks[i].sql, zero_checks[i].what, &n) && n)
      problem(db, r, "%lld %s", n, zero_checks[i].what);
  for (i = 0; db->schema >= 3 && path_checks[i].sql; i++)
    if (count_of(db, r, path_checks[i].sql, path_checks[i].what, &n) && n)
      problem(db, r, "%lld %s", n, path_checks[i].what);
  if (count_of(db, r, "SELECT count(*) FROM meta WHERE key ="
               " 'indexes_deferred'", "meta", &n))
    r->deferred_indexes = n > 0;
  totals_check(db, r);
  fts_check(db, r);
  if (lp_buf_append(&db->report, "", 1)) {
    db->report.len = 0;
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  db->report.len--;
  r->report = db->report.p;
  return LOUPE_OK;
}

int loupe_db_verify(loupe_db *db) {
  sqlite3_stmt *st = NULL;
  char first[200];
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  first[0] = '\0';
  rc = sqlite3_prepare_v2(db->sql, "PRAGMA quick_check(1)", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *m = (const char *)sqlite3_column_text(st, 0);
      if (m && strcmp(m, "ok") != 0 && !first[0]) {
        /* past the "*** in database main ***" heading, one line */
        const char *nl;
        if (strncmp(m, "*** ", 4) == 0 && (nl = strchr(m, '\n')) != NULL)
          m = nl + 1;
        snprintf(first, sizeof first, "%.*s", (int)strcspn(m, "\n"), m);
      }
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return lp_db_error(db, rc, "verify");
  if (first[0]) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus is damaged (%s);"
             " run 'loupe check %s'", db->path, first, db->path);
    return LOUPE_ECORRUPT;
  }
  return LOUPE_OK;
}
