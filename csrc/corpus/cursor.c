/*
 * cursor.c - cursors: a method table per kind behind the public
 * loupe_cursor_* calls. Two kinds live here: the rows of a statement as
 * SQLite gives them, and keyword-in-context rows cut from the bodies a
 * statement returns. Every cursor is tracked by its database, which
 * finalizes it when it closes first. Also the cursors over whole
 * articles, speakers, entities, clusters and paragraphs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

void lp_db_track(loupe_db *db, loupe_cursor *c) {
  c->db = db;
  c->prev = NULL;
  c->next = db->cursors;
  if (db->cursors) db->cursors->prev = c;
  db->cursors = c;
}

void lp_cursor_release(loupe_cursor *c) {
  if (c->stmt) sqlite3_finalize(c->stmt);
  c->stmt = NULL;
  if (c->db) {
    if (c->prev) c->prev->next = c->next;
    else c->db->cursors = c->next;
    if (c->next) c->next->prev = c->prev;
    c->db = NULL;
  }
  c->next = c->prev = NULL;
}

int lp_cursor_new(loupe_db *db, sqlite3_stmt *st, const lp_cursor_methods *m,
                  void *state, loupe_cursor **out) {
  loupe_cursor *c = calloc(1, sizeof *c);
  *out = NULL;
  if (c == NULL) {
    sqlite3_finalize(st);
    if (m->close) m->close(state);
    return LOUPE_ENOMEM;
  }
  c->m = m;
  c->stmt = st;
  c->state = state;
  lp_db_track(db, c);
  *out = c;
  return LOUPE_OK;
}

/* ---- the public calls ---- */

/* Not closed, by itself or by its database. */
static int is_open(const loupe_cursor *c) {
  return c != NULL && c->db != NULL;
}

void loupe_cursor_free(loupe_cursor *c) {
  if (c == NULL) return;
  lp_cursor_release(c);
  loupe_regex_free(c->re);
  if (c->m->close) c->m->close(c->state);
  free(c);
}

const char *loupe_cursor_errmsg(const loupe_cursor *c) {
  return c ? c->errmsg : "no cursor";
}

int loupe_cursor_next(loupe_cursor *c, int *has_row) {
  *has_row = 0;
  if (c == NULL) return LOUPE_EINVAL;
  if (c->done) return LOUPE_OK;
  if (!is_open(c)) {
    snprintf(c->errmsg, sizeof c->errmsg, "the cursor is closed");
    return LOUPE_EMISUSE;
  }
  return c->m->step(c, has_row);
}

int loupe_cursor_columns(const loupe_cursor *c) {
  return is_open(c) ? c->m->columns(c) : 0;
}

const char *loupe_cursor_name(const loupe_cursor *c, int col) {
  return is_open(c) && col >= 0 ? c->m->name(c, col) : NULL;
}

int loupe_cursor_type(loupe_cursor *c, int col) {
  return is_open(c) ? (int)c->m->type(c, col) : LOUPE_COL_NULL;
}

long long loupe_cursor_int(loupe_cursor *c, int col) {
  return is_open(c) ? c->m->integer(c, col) : 0;
}

double loupe_cursor_double(loupe_cursor *c, int col) {
  return is_open(c) ? c->m->real(c, col) : 0;
}

const char *loupe_cursor_text(loupe_cursor *c, int col, size_t *len) {
  *len = 0;
  return is_open(c) ? c->m->text(c, col, len) : NULL;
}

/* ---- the rows of a statement ---- */

static int sql_step(loupe_cursor *c, int *has_row) {
  int rc = sqlite3_step(c->stmt);
  if (rc == SQLITE_ROW) {
    *has_row = 1;
    return LOUPE_OK;
  }
  if (rc == SQLITE_DONE) {
    c->done = 1;
    return LOUPE_OK;
  }
  return lp_step_error(c->db, rc, c->re, c->fts, c->errmsg, sizeof c->errmsg);
}

static int sql_columns(const loupe_cursor *c) {
  return sqlite3_column_count(c->stmt);
}

static const char *sql_name(const loupe_cursor *c, int col) {
  return sqlite3_column_name(c->stmt, col);
}

static loupe_coltype sql_type(loupe_cursor *c, int col) {
  switch (sqlite3_column_type(c->stmt, col)) {
  case SQLITE_INTEGER: return LOUPE_COL_INT;
  case SQLITE_FLOAT: return LOUPE_COL_FLOAT;
  case SQLITE_NULL: return LOUPE_COL_NULL;
  default: return LOUPE_COL_TEXT;
  }
}

static long long sql_integer(loupe_cursor *c, int col) {
  return sqlite3_column_int64(c->stmt, col);
}

static double sql_real(loupe_cursor *c, int col) {
  return sqlite3_column_double(c->stmt, col);
}

static const char *sql_text(loupe_cursor *c, int col, size_t *len) {
  const char *s = (const char *)sqlite3_column_text(c->stmt, col);
  *len = (size_t)sqlite3_column_bytes(c->stmt, col);
  return s;
}

const lp_cursor_methods lp_sql_cursor = {
  sql_step, sql_columns, sql_name, sql_type, sql_integer, sql_real,
  sql_text, NULL
};

/* ---- keyword in context ---- */

typedef struct {
  loupe_regex *kw;              /* the keyword matcher (owned) */
  int width;                    /* characters of context each side */
  int have_article;             /* the statement's row is being read */
  size_t pos;                   /* next search offset in the body */
  lp_buf row;                   /* left, match, right of the current hit */
  size_t cut[3];                /* lengths of left, match, right in row */
  long long art_id;
  char *art_date;
} kwic_state;

enum { KWIC_LEFT, KWIC_MATCH, KWIC_RIGHT, KWIC_ID, KWIC_DATE, KWIC_COLS };

static const char *const kwic_names[KWIC_COLS] = {"left", "match", "right",
                                                  "id", "date"};

/* Start of the code point holding byte i (step back over continuations). */
static size_t cp_start(const char *s, size_t i) {
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

/* Move back n code points from i (not below 0). */
static size_t back_chars(const char *s, size_t i, int n) {
  while (n-- > 0 && i > 0) i = cp_start(s, i - 1);
  return i;
}

/* Move forward n code points from i (not past len). */
static size_t fwd_chars(const char *s, size_t len, size_t i, int n) {
  while (n-- > 0 && i < len) {
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

/* Append s[0..n) with each run of line breaks turned into one space. */
static int app_flat(lp_buf *b, const char *s, size_t n) {
  size_t i;
  if (lp_buf_reserve(b, n)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    if (s[i] == '\n') {
      if (i > 0 && s[i - 1] == '\n') continue;
      b->p[b->len++] = ' ';
    } else {
      b->p[b->len++] = s[i];
    }
  }
  return LOUPE_OK;
}

static int kwic_nomem(loupe_cursor *c) {
  snprintf(c->errmsg, sizeof c->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

/* Step to the statement's next article and keep its id and date:
 * LOUPE_OK with *end 1 when there is none. */
static int kwic_article(loupe_cursor *c, kwic_state *k, int *end) {
  int rc = sqlite3_step(c->stmt);
  *end = 0;
  if (rc == SQLITE_DONE) {
    *end = 1;
    return LOUPE_OK;
  }
  if (rc != SQLITE_ROW)
    return lp_step_error(c->db, rc, c->re, c->fts, c->errmsg,
                         sizeof c->errmsg);
  k->have_article = 1;
  k->pos = 0;
  k->art_id = sqlite3_column_int64(c->stmt, 0);
  free(k->art_date);
  k->art_date = NULL;
  if (sqlite3_column_type(c->stmt, 1) != SQLITE_NULL) {
    const char *d = (const char *)sqlite3_column_text(c->stmt, 1);
    size_t dn = (size_t)sqlite3_column_bytes(c->stmt, 1);
    k->art_date = malloc(dn + 1);
    if (k->art_date == NULL) return kwic_nomem(c);
    memcpy(k->art_date, d, dn);
    k->art_date[dn] = '\0';
  }
  return LOUPE_OK;
}

/* Cut the row of the match at body[ov[0] .. ov[1]): its context each
 * side, line breaks flattened. */
static int kwic_cut(loupe_cursor *c, kwic_state *k, const char *body,
                    size_t len, const size_t *ov) {
  size_t l0 = back_chars(body, ov[0], k->width);
  size_t r1 = fwd_chars(body, len, ov[1], k->width);
  size_t a0, a1;
  k->row.len = 0;
  if (app_flat(&k->row, body + l0, ov[0] - l0)) return kwic_nomem(c);
  a0 = k->row.len;
  if (app_flat(&k->row, body + ov[0], ov[1] - ov[0])) return kwic_nomem(c);
  a1 = k->row.len;
  if (app_flat(&k->row, body + ov[1], r1 - ov[1])) return kwic_nomem(c);
  k->cut[KWIC_LEFT] = a0;
  k->cut[KWIC_MATCH] = a1 - a0;
  k->cut[KWIC_RIGHT] = k->row.len - a1;
  return LOUPE_OK;
}

/* Next keyword-in-context row: the next match in the current body, or in
 * the next article's. */
static int kwic_step(loupe_cursor *c, int *has_row) {
  kwic_state *k = c->state;
  for (;;) {
    const char *body;
    size_t len, ov[2];
    int np, rc, end;
    if (!k->have_article) {
      rc = kwic_article(c, k, &end);
      if (rc) return rc;
      if (end) {
        c->done = 1;
        return LOUPE_OK;
      }
    }
    body = (const char *)sqlite3_column_text(c->stmt, 2);
    len = (size_t)sqlite3_column_bytes(c->stmt, 2);
    if (body == NULL || k->pos > len) {
      k->have_article = 0;
      continue;
    }
    rc = loupe_regex_exec(k->kw, body, len, k->pos, ov, 1, &np);
    if (rc) {
      snprintf(c->errmsg, sizeof c->errmsg, "%s", loupe_regex_errmsg(k->kw));
      return rc;
    }
    if (np == 0) {
      k->have_article = 0;
      continue;
    }
    /* advance past the match; past one character on an empty match, and
     * beyond the end (to the next article) after an empty match there */
    if (ov[1] > ov[0]) k->pos = ov[1];
    else if (ov[1] < len) k->pos = fwd_chars(body, len, ov[1], 1);
    else k->pos = len + 1;
    rc = kwic_cut(c, k, body, len, ov);
    if (rc) return rc;
    *has_row = 1;
    return LOUPE_OK;
  }
}

static int kwic_columns(const loupe_cursor *c) {
  (void)c;
  return KWIC_COLS;
}

static const char *kwic_name(const loupe_cursor *c, int col) {
  (void)c;
  return col < KWIC_COLS ? kwic_names[col] : NULL;
}

static loupe_coltype kwic_type(loupe_cursor *c, int col) {
  const kwic_state *k = c->state;
  if (col == KWIC_ID) return LOUPE_COL_INT;
  if (col == KWIC_DATE) return k->art_date ? LOUPE_COL_TEXT : LOUPE_COL_NULL;
  return col >= 0 && col < KWIC_ID ? LOUPE_COL_TEXT : LOUPE_COL_NULL;
}

static long long kwic_integer(loupe_cursor *c, int col) {
  const kwic_state *k = c->state;
  return col == KWIC_ID ? k->art_id : 0;
}

static double kwic_real(loupe_cursor *c, int col) {
  return (double)kwic_integer(c, col);
}

static const char *kwic_text(loupe_cursor *c, int col, size_t *len) {
  const kwic_state *k = c->state;
  size_t off = 0;
  int i;
  if (col == KWIC_DATE) {
    if (k->art_date) *len = strlen(k->art_date);
    return k->art_date;
  }
  if (col < 0 || col >= KWIC_ID) return NULL;
  for (i = 0; i < col; i++) off += k->cut[i];
  *len = k->cut[col];
  return k->row.p ? k->row.p + off : "";
}

static void kwic_close(void *state) {
  kwic_state *k = state;
  if (k == NULL) return;
  loupe_regex_free(k->kw);
  lp_buf_free(&k->row);
  free(k->art_date);
  free(k);
}

static const lp_cursor_methods kwic_cursor = {
  kwic_step, kwic_columns, kwic_name, kwic_type, kwic_integer, kwic_real,
  kwic_text, kwic_close
};

int lp_kwic_cursor(loupe_db *db, sqlite3_stmt *st, loupe_regex *kw,
                   int width, loupe_cursor **out) {
  kwic_state *k = calloc(1, sizeof *k);
  *out = NULL;
  if (k == NULL) {
    sqlite3_finalize(st);
    loupe_regex_free(kw);
    return LOUPE_ENOMEM;
  }
  k->kw = kw;
  k->width = width;
  return lp_cursor_new(db, st, &kwic_cursor, k, out);
}

/* ---- whole articles and the corpus's lists ---- */

/* A cursor over the rows of sql, its parameter 1 bound to id. */
static int simple_cursor(loupe_db *db, const char *sql, long long id,
                         loupe_cursor **out) {
  sqlite3_stmt *st = NULL;
  int rc;
  *out = NULL;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "prepare");
  sqlite3_bind_int64(st, 1, id);
  return lp_cursor_new(db, st, &lp_sql_cursor, NULL, out);
}

int lp_simple_cursor(loupe_db *db, const char *sql, loupe_cursor **out) {
  return simple_cursor(db, sql, 0, out);
}

int loupe_db_get(loupe_db *db, long long id, loupe_cursor **out) {
  return simple_cursor(db, "SELECT " LP_HIT_COLS ", a.body, a.provenance,"
                           " a.hash, a.bytes, a.parser_version,"
                           " a.ingested_at FROM articles a WHERE a.id = ?",
                       id, out);
}

int loupe_db_speakers(loupe_db *db, loupe_cursor **out) {
  return simple_cursor(db, "SELECT qu.speaker AS name, max(qu.role) AS role,"
                           " count(*) AS quotes, min(a.date) AS first,"
                           " max(a.date) AS last,"
                           " json_group_array(DISTINCT a.outlet) AS outlets"
                           " FROM quotes qu JOIN articles a"
                           " ON a.id = qu.article_id"
                           " WHERE qu.speaker IS NOT NULL"
                           " GROUP BY qu.speaker COLLATE NOCASE"
                           " ORDER BY quotes DESC, name", 0, out);
}

int loupe_db_entities(loupe_db *db, const char *kind, loupe_cursor **out) {
  int rc = simple_cursor(db, "SELECT e.name AS name, e.kind AS kind,"
                             " max(e.role) AS role,"
                             " count(DISTINCT e.article_id) AS articles,"
                             " sum(json_array_length(e.mentions)) AS mentions"
                             " FROM entities e WHERE (?1 IS NULL OR e.kind = ?1)"
                             " GROUP BY e.name, e.kind"
                             " ORDER BY articles DESC, mentions DESC, name",
                         0, out);
  if (rc == LOUPE_OK) {
    if (kind) sqlite3_bind_text((*out)->stmt, 1, kind, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null((*out)->stmt, 1);
  }
  return rc;
}

int loupe_db_clusters(loupe_db *db, loupe_cursor **out) {
  return simple_cursor(db,
    "WITH c AS (SELECT cluster_id AS cid FROM articles"
    "  WHERE cluster_id IS NOT NULL GROUP BY cluster_id HAVING count(*) > 1),"
    " o AS (SELECT c.cid AS cid, (SELECT a.id FROM articles a"
    "  WHERE a.cluster_id = c.cid ORDER BY a.date IS NULL, a.date, a.id"
    "  LIMIT 1) AS origin FROM c)"
    " SELECT o.cid AS cluster, o.origin AS origin, a.id AS id,"
    " a.date AS date, a.outlet AS outlet, a.credit AS credit,"
    " a.title AS title, a.path AS path, loupe_sim(a.minhash, oa.minhash) AS similarity"
    " FROM o JOIN articles oa ON oa.id = o.origin"
    " JOIN articles a ON a.cluster_id = o.cid"
    " ORDER BY oa.date IS NULL, oa.date, o.cid, a.date IS NULL, a.date, a.id",
    0, out);
}

int loupe_db_paragraphs(loupe_db *db, long long id, loupe_cursor **out) {
  return simple_cursor(db, "SELECT p.n AS n,"
                           " CAST(substr(CAST(a.body AS BLOB), p.start + 1,"
                           " p.len) AS TEXT) AS text,"
                           " p.src_offset AS offset, p.src_line AS line"
                           " FROM paragraphs p JOIN articles a"
                           " ON a.id = p.article_id WHERE p.article_id = ?"
                           " ORDER BY p.n", id, out);
}
