/*
 * hits.c - the fields of a hit read on demand, by article id, through
 * statements cached on the database: the body, the snippet and
 * highlighted title (FTS5 marks of the query's expression) and the rank.
 * No read stays open between calls.
 */
#include <stdio.h>
#include <sqlite3.h>
#include "corpus.h"

/*
 * Step the cached statement k for one hit (?1 the expression, ?2 the id):
 * SQLITE_ROW or SQLITE_DONE with the row in *st, which the caller resets
 * (hit_done); or a LOUPE_* code, the message on db, the statement reset.
 */
static int hit_step(loupe_db *db, int k, const char *match, size_t match_len,
                    long long id, sqlite3_stmt **st) {
  int rc;
  *st = NULL;
  if (k != ST_HIT_BODY && (match == NULL || match_len == 0)) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "snippet, highlight and rank need the query's search text");
    return LOUPE_EINVAL;
  }
  if (match_len > 0x7fffffff) {
    snprintf(db->errmsg, sizeof db->errmsg, "search text too long");
    return LOUPE_ELIMIT;
  }
  rc = lp_db_stmt(db, k, st);
  if (rc) return rc;
  if (k != ST_HIT_BODY)
    sqlite3_bind_text(*st, 1, match, (int)match_len, SQLITE_STATIC);
  sqlite3_bind_int64(*st, 2, id);
  rc = sqlite3_step(*st);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
  {
    char msg[sizeof db->errmsg];
    rc = lp_step_error(db, rc, NULL, k != ST_HIT_BODY, msg, sizeof msg);
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
  }
  sqlite3_reset(*st);
  sqlite3_clear_bindings(*st);
  *st = NULL;
  return rc;
}

/* Release the row of hit_step: no read stays open between calls (a hit
 * may be read long after its cursor ended, while the corpus ingests). */
static void hit_done(sqlite3_stmt *st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

/* Copy column col of the row of st (NULL: none) into b, NUL-terminated;
 * LOUPE_OK or LOUPE_ENOMEM (message on db). */
static int hit_copy(loupe_db *db, sqlite3_stmt *st, int col, lp_buf *b,
                    const char **text, size_t *len) {
  const char *s;
  size_t n;
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return LOUPE_OK;
  s = (const char *)sqlite3_column_text(st, col);
  n = (size_t)sqlite3_column_bytes(st, col);
  b->len = 0;
  if (s == NULL || lp_buf_append(b, s, n) || lp_buf_append(b, "", 1)) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  *text = b->p;
  *len = n;
  return LOUPE_OK;
}

/*
 * One field of a hit, by id, through a statement cached on db: the text
 * is copied to db->field, so that the statement is reset at once. *text
 * is NULL when the article is gone, the expression no longer matches it
 * or the value is NULL.
 */
int loupe_db_hit_field(loupe_db *db, const char *match, size_t match_len,
                       long long id, loupe_hit_field field, const char **text,
                       size_t *len) {
  sqlite3_stmt *st = NULL;
  int rc, k;
  *text = NULL;
  *len = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  switch (field) {
  case LOUPE_HIT_BODY: k = ST_HIT_BODY; break;
  case LOUPE_HIT_SNIPPET: k = ST_HIT_SNIPPET; break;
  case LOUPE_HIT_HIGHLIGHT: k = ST_HIT_HIGHLIGHT; break;
  default:
    snprintf(db->errmsg, sizeof db->errmsg, "unknown hit field %d",
             (int)field);
    return LOUPE_EINVAL;
  }
  rc = hit_step(db, k, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  rc = rc == SQLITE_ROW ? hit_copy(db, st, 0, &db->field[0], text, len)
                        : LOUPE_OK;
  hit_done(st);
  return rc;
}

int loupe_db_hit_marks(loupe_db *db, const char *match, size_t match_len,
                       long long id, const char **snippet, size_t *snippet_len,
                       const char **highlight, size_t *highlight_len) {
  sqlite3_stmt *st = NULL;
  int rc;
  *snippet = *highlight = NULL;
  *snippet_len = *highlight_len = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = hit_step(db, ST_HIT_SNIPPET, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  if (rc == SQLITE_ROW) {
    rc = hit_copy(db, st, 0, &db->field[0], snippet, snippet_len);
    if (rc == LOUPE_OK)
      rc = hit_copy(db, st, 1, &db->field[1], highlight, highlight_len);
  } else {
    rc = LOUPE_OK;
  }
  hit_done(st);
  return rc;
}

int loupe_db_hit_rank(loupe_db *db, const char *match, size_t match_len,
                      long long id, double *rank, int *found) {
  sqlite3_stmt *st = NULL;
  int rc;
  *rank = 0;
  *found = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = hit_step(db, ST_HIT_RANK, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *rank = sqlite3_column_double(st, 0);
    *found = 1;
  }
  hit_done(st);
  return LOUPE_OK;
}
