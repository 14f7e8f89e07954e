/*
 * totals.c - the corpus's word totals, kept by ingest for keyness (schema
 * version 6): the table word_totals holds, per word as keyness reads
 * words (vocab.c), how often it occurs in the bodies of all articles.
 *
 * Keyness of a set of articles against the rest needs the counts of
 * every article; computing them on the first call read the whole corpus
 * (about a second on 30,000 articles). Ingest keeps them instead: each
 * body written adds its words, each body replaced or removed takes them
 * off, as changes gathered in memory (db->wt) and written into the table
 * just before the transaction commits, so the totals always agree with
 * the articles a reader sees (a rollback forgets the changes). An older
 * corpus gets the table, counted from its bodies, in the migration; read
 * only, it has none and keyness counts (stats.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "vocab.h"

/* Changes not yet written: per word, a the change of its total. */
struct lp_totals {
  lp_vocab v;
  lp_id_list words;        /* the words of the text being read */
  int dirty;               /* some change is not written */
};

/* A vocabulary kept between transactions is dropped past this many
 * words (a corpus's vocabulary may be large; its words come back). */
#define KEEP_WORDS (1u << 20)

int lp_totals_kept(const loupe_db *db) {
  return db->schema >= LP_TOTALS_SCHEMA;
}

int lp_totals_pending(const loupe_db *db) {
  return db->wt != NULL && db->wt->dirty;
}

void lp_totals_free(loupe_db *db) {
  if (db->wt == NULL) return;
  lp_vocab_free(&db->wt->v);
  free(db->wt->words.id);
  free(db->wt);
  db->wt = NULL;
}

void lp_totals_reset(loupe_db *db) {
  size_t i;
  if (db->wt == NULL) return;
  for (i = 0; i < db->wt->v.n; i++) db->wt->v.f[i].a = 0;
  db->wt->dirty = 0;
}

static int nomem(loupe_db *db) {
  snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

int lp_totals_add(loupe_db *db, const char *body, size_t len, int sign) {
  struct lp_totals *t;
  size_t i;
  if (!lp_totals_kept(db) || body == NULL || len == 0) return LOUPE_OK;
  if (db->wt == NULL && (db->wt = calloc(1, sizeof *db->wt)) == NULL)
    return nomem(db);
  t = db->wt;
  t->words.n = 0;
  if (lp_words_of(&t->v, body, len, &t->words)) return nomem(db);
  for (i = 0; i < t->words.n; i++) t->v.f[t->words.id[i]].a += sign;
  t->dirty |= t->words.n > 0;
  return LOUPE_OK;
}

int lp_totals_add_article(loupe_db *db, long long id, int sign) {
  sqlite3_stmt *st = NULL;
  int rc;
  if (!lp_totals_kept(db)) return LOUPE_OK;
  rc = sqlite3_prepare_v2(db->sql, "SELECT body FROM articles WHERE id = ?1",
                          -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read the article's words");
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    rc = lp_totals_add(db, (const char *)sqlite3_column_text(st, 0),
                       (size_t)sqlite3_column_bytes(st, 0), sign);
  } else if (rc == SQLITE_DONE) {
    rc = LOUPE_OK;
  } else {
    rc = lp_db_error(db, rc, "read the article's words");
  }
  sqlite3_finalize(st);
  return rc;
}

/* Write the changes of t into the table (in the open transaction). */
static int write_changes(loupe_db *db, struct lp_totals *t) {
  sqlite3_stmt *up = NULL, *del = NULL;
  size_t i;
  int rc = sqlite3_prepare_v2(db->sql, "INSERT INTO word_totals(word, n)"
                              " VALUES (?1, ?2) ON CONFLICT(word) DO UPDATE"
                              " SET n = n + excluded.n", -1, &up, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db->sql, "DELETE FROM word_totals WHERE word ="
                            " ?1 AND n = 0", -1, &del, NULL);
  for (i = 0; rc == SQLITE_OK && i < t->v.n; i++) {
    const lp_feature *f = &t->v.f[i];
    if (f->a == 0) continue;
    sqlite3_bind_text(up, 1, t->v.words.p + f->off, (int)f->len,
                      SQLITE_STATIC);
    sqlite3_bind_int64(up, 2, f->a);
    rc = sqlite3_step(up);
    sqlite3_reset(up);
    if (rc == SQLITE_DONE && f->a < 0) {   /* a word gone from the corpus */
      sqlite3_bind_text(del, 1, t->v.words.p + f->off, (int)f->len,
                        SQLITE_STATIC);
      rc = sqlite3_step(del);
      sqlite3_reset(del);
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  sqlite3_finalize(up);
  sqlite3_finalize(del);
  return rc == SQLITE_OK ? LOUPE_OK : lp_db_error(db, rc, "keep word totals");
}

int lp_totals_flush(loupe_db *db) {
  int rc;
  if (!lp_totals_pending(db)) return LOUPE_OK;
  rc = write_changes(db, db->wt);
  if (rc) return rc;                 /* still pending: the caller rolls back */
  lp_totals_reset(db);
  if (db->wt->v.n > KEEP_WORDS) lp_totals_free(db);
  return LOUPE_OK;
}

/* ---- every body counted afresh ---- */

/* The words of every article's body counted into v (feature a), *n
 * articles. */
static int count_all(loupe_db *db, lp_vocab *v, long long *n) {
  sqlite3_stmt *st = NULL;
  lp_id_list w = {0};
  size_t i;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT body FROM articles", -1, &st,
                              NULL);
  *n = 0;
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "count words");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = (const char *)sqlite3_column_text(st, 0);
    w.n = 0;
    (*n)++;
    if (s && lp_words_of(v, s, (size_t)sqlite3_column_bytes(st, 0), &w)) {
      rc = SQLITE_NOMEM;
      break;
    }
    for (i = 0; i < w.n; i++) v->f[w.id[i]].a++;
  }
  sqlite3_finalize(st);
  free(w.id);
  if (rc == SQLITE_NOMEM) return nomem(db);
  return rc == SQLITE_DONE ? LOUPE_OK : lp_db_error(db, rc, "count words");
}

/* A word and its total, sorted by the word's bytes (the table's key
 * order: rows go in in order). */
typedef struct {
  const char *w;
  size_t len;
  long long n;
} word_row;

static int cmp_rows(const void *x, const void *y) {
  const word_row *p = x, *q = y;
  int c = memcmp(p->w, q->w, p->len < q->len ? p->len : q->len);
  return c ? c : LP_CMP(p->len, q->len);
}

/* Write the totals of v (feature a) into the empty table, in order. */
static int insert_all(loupe_db *db, const lp_vocab *v) {
  sqlite3_stmt *st = NULL;
  word_row *rows = malloc((v->n + 1) * sizeof *rows);
  size_t i;
  int rc = LOUPE_OK;
  if (rows == NULL) return nomem(db);
  for (i = 0; i < v->n; i++) {
    rows[i].w = v->words.p + v->f[i].off;
    rows[i].len = v->f[i].len;
    rows[i].n = v->f[i].a;
  }
  qsort(rows, v->n, sizeof *rows, cmp_rows);
  if (sqlite3_prepare_v2(db->sql, "INSERT INTO word_totals(word, n) VALUES"
                         " (?1, ?2)", -1, &st, NULL) != SQLITE_OK)
    rc = lp_db_error(db, sqlite3_errcode(db->sql), "keep word totals");
  for (i = 0; !rc && i < v->n; i++) {
    sqlite3_bind_text(st, 1, rows[i].w, (int)rows[i].len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rows[i].n);
    if (sqlite3_step(st) != SQLITE_DONE)
      rc = lp_db_error(db, sqlite3_errcode(db->sql), "keep word totals");
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  free(rows);
  return rc;
}

int lp_totals_rebuild(loupe_db *db, long long *words, long long *articles) {
  lp_vocab v = {0};
  int rc = lp_db_exec(db, "DROP TABLE IF EXISTS word_totals;" LP_TOTALS_TABLE,
                      "create word totals");
  *words = 0;
  if (!rc) rc = count_all(db, &v, articles);
  if (!rc) rc = insert_all(db, &v);
  if (!rc) *words = (long long)v.n;
  lp_vocab_free(&v);
  return rc;
}

/* ---- read: keyness, the check ---- */

int lp_totals_load(loupe_db *db, lp_vocab *v, int side, int *ok) {
  sqlite3_stmt *st = NULL;
  size_t id;
  int rc;
  *ok = 0;
  if (!lp_totals_kept(db) || lp_totals_pending(db)) return LOUPE_OK;
  rc = sqlite3_prepare_v2(db->sql, "SELECT word, n FROM word_totals", -1,
                          &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read word totals");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *w = (const char *)sqlite3_column_text(st, 0);
    if (lp_vocab_id(v, w ? w : "", (size_t)sqlite3_column_bytes(st, 0),
                    &id)) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (side) v->f[id].b = sqlite3_column_int64(st, 1);
    else v->f[id].a = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_NOMEM) return nomem(db);
  if (rc != SQLITE_DONE) return lp_db_error(db, rc, "read word totals");
  *ok = 1;
  return LOUPE_OK;
}

int lp_totals_compare(loupe_db *db, long long *differ, char *example,
                      size_t cap) {
  lp_vocab v = {0};
  sqlite3_stmt *st = NULL;
  long long articles;
  size_t i, id;
  int rc = count_all(db, &v, &articles);
  *differ = 0;
  example[0] = '\0';
  if (!rc && sqlite3_prepare_v2(db->sql, "SELECT word, n FROM word_totals",
                                -1, &st, NULL) != SQLITE_OK)
    rc = lp_db_error(db, sqlite3_errcode(db->sql), "read word totals");
  while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *w = (const char *)sqlite3_column_text(st, 0);
    size_t len = (size_t)sqlite3_column_bytes(st, 0);
    long long kept = sqlite3_column_int64(st, 1), counted = 0;
    if (w && lp_vocab_find(&v, w, len, &id)) {
      counted = v.f[id].a;
      v.f[id].b = 1;                 /* seen in the table */
    }
    rc = LOUPE_OK;
    if (kept == counted) continue;
    if ((*differ)++ == 0)
      snprintf(example, cap, "'%.*s' kept %lld, counted %lld",
               (int)(len > 40 ? 40 : len), w ? w : "", kept, counted);
  }
  if (rc == SQLITE_DONE) rc = LOUPE_OK;
  else if (rc != LOUPE_OK && st != NULL)
    rc = lp_db_error(db, rc, "read word totals");
  for (i = 0; !rc && i < v.n; i++) {
    const lp_feature *f = &v.f[i];
    if (f->b || f->a == 0) continue;
    if ((*differ)++ == 0)
      snprintf(example, cap, "'%.*s' kept 0, counted %lld",
               (int)(f->len > 40 ? 40 : f->len), v.words.p + f->off, f->a);
  }
  sqlite3_finalize(st);
  lp_vocab_free(&v);
  return rc;
}
