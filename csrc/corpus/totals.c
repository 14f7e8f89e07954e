/*
 * totals.c - the corpus's word totals, kept by ingest for keyness (schema
 * version 6): the table word_totals holds, per word as keyness reads
 * words (vocab.c), how often it occurs in the bodies of all articles.
 *
 * Keyness of a set of articles against the rest needs the counts of
 * every article; computing them on the first call read the whole corpus
 * (about a second on 30,000 articles). Ingest keeps them instead: each
 * body written adds its words, each body replaced or removed takes them
 * off, as changes gathered in memory (db->wt) and written just before
 * the transaction commits, so the totals always agree with the articles
 * a reader sees (a rollback forgets the changes). They are written as one
 * row of word_totals_log ("word\tchange\n" lines): adding each to its
 * word's row would rewrite most of word_totals at every commit. Once
 * FOLD_ROWS transactions are logged, the commit adds them up into
 * word_totals and empties the log; readers add the log to the totals. An older
 * corpus gets the table, counted from its bodies, in the migration; read
 * only, it has none and keyness counts (stats.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "vocab.h"

/* A word's change not yet written, the word held in the entry when it is
 * short (most are): a look-up touches one entry, not a slot, a feature
 * and the word apart, each likely out of the cache while pages are
 * parsed in between. */
#define INLINE_WORD 16

typedef struct {
  uint32_t h, len;         /* the word's hash (lp_words_scan's), 0: empty */
  long long n;             /* the change of its total */
  char w[INLINE_WORD];
} wt_entry;

/* One text's short words are first counted in a table small enough to
 * stay in the cache, then added to e once each. */
#define LOCAL_SLOTS 1024
#define LOCAL_MASK (LOCAL_SLOTS - 1)

/* Changes not yet written: short words in e (open addressing), longer
 * ones in v (feature a the change). */
struct lp_totals {
  wt_entry *e;
  size_t mask, used;
  lp_vocab v;
  wt_entry loc[LOCAL_SLOTS];         /* the text's words (open addressing) */
  uint16_t loc_used[LOCAL_SLOTS / 2];  /* the entries of loc in use */
  size_t nloc;
  int sign;                /* of the text being read: 1 added, -1 gone */
  int dirty;               /* some change is not written */
};


int lp_totals_kept(const loupe_db *db) {
  return db->schema >= LP_TOTALS_SCHEMA;
}

int lp_totals_pending(const loupe_db *db) {
  return db->wt != NULL && db->wt->dirty;
}

void lp_totals_free(loupe_db *db) {
  if (db->wt == NULL) return;
  free(db->wt->e);
  lp_vocab_free(&db->wt->v);
  free(db->wt);
  db->wt = NULL;
}

/* The changes go with their table: a transaction's words stay few and
 * in the cache, where keeping the corpus's whole vocabulary from one
 * transaction to the next grew it past it. */
void lp_totals_reset(loupe_db *db) {
  lp_totals_free(db);
}

static int nomem(loupe_db *db) {
  snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

/* The word w[0..len) (at most INLINE_WORD bytes) zero-padded into pad,
 * as entries hold it. */
static void wt_pad(char pad[INLINE_WORD], const char *w, size_t len) {
  memset(pad, 0, INLINE_WORD);
  memcpy(pad, w, len);
}

/* The slot of the word pad (hash h, length len) in the table tab of
 * mask + 1 entries: its entry, or the empty one where it goes. */
static size_t wt_slot(const wt_entry *tab, size_t mask, uint32_t h,
                      size_t len, const char *pad) {
  size_t k;
  for (k = h & mask; tab[k].h; k = (k + 1) & mask)
    if (tab[k].h == h && tab[k].len == len &&
        memcmp(tab[k].w, pad, INLINE_WORD) == 0)
      break;
  return k;
}

/* The empty entry e made the word pad's, with change n. */
static void wt_put(wt_entry *e, uint32_t h, size_t len, const char *pad,
                   long long n) {
  e->h = h;
  e->len = (uint32_t)len;
  e->n = n;
  memcpy(e->w, pad, INLINE_WORD);
}

/* Twice the entries (4096 at first), every word placed again. */
static int wt_grow(struct lp_totals *t) {
  size_t i, cap = t->e ? (t->mask + 1) * 2 : 4096;
  wt_entry *ne = calloc(cap, sizeof *ne);
  if (ne == NULL) return LOUPE_ENOMEM;
  for (i = 0; t->e && i <= t->mask; i++)
    if (t->e[i].h)
      ne[wt_slot(ne, cap - 1, t->e[i].h, t->e[i].len, t->e[i].w)] = t->e[i];
  free(t->e);
  t->e = ne;
  t->mask = cap - 1;
  return LOUPE_OK;
}

/* Add n to the change of word w of hash h. */
static int wt_add(struct lp_totals *t, const char *w, size_t len, uint32_t h,
                  long long n) {
  char pad[INLINE_WORD];
  size_t k;
  if (len > INLINE_WORD) {
    if (lp_vocab_id_h(&t->v, w, len, h, &k)) return LOUPE_ENOMEM;
    t->v.f[k].a += n;
    return LOUPE_OK;
  }
  if ((t->used + 1) * 2 > t->mask + 1 && wt_grow(t)) return LOUPE_ENOMEM;
  wt_pad(pad, w, len);
  k = wt_slot(t->e, t->mask, h, len, pad);
  if (t->e[k].h) {
    t->e[k].n += n;
    return LOUPE_OK;
  }
  wt_put(&t->e[k], h, len, pad, n);
  t->used++;
  return LOUPE_OK;
}

/* The text's words counted so far added to e; loc emptied. */
static int local_merge(struct lp_totals *t) {
  size_t i;
  int rc = LOUPE_OK;
  for (i = 0; i < t->nloc; i++) {
    wt_entry *e = &t->loc[t->loc_used[i]];
    if (rc == LOUPE_OK) rc = wt_add(t, e->w, e->len, e->h, e->n);
    memset(e, 0, sizeof *e);
  }
  t->nloc = 0;
  return rc;
}

/* One word of a text added or taken away (lp_words_scan's fn). */
static int wt_word(void *p, const char *w, size_t len, uint32_t h) {
  struct lp_totals *t = p;
  char pad[INLINE_WORD];
  size_t k;
  if (len > INLINE_WORD) return wt_add(t, w, len, h, t->sign);
  wt_pad(pad, w, len);
  k = wt_slot(t->loc, LOCAL_MASK, h, len, pad);
  if (t->loc[k].h) {
    t->loc[k].n += t->sign;
    return LOUPE_OK;
  }
  if (t->nloc == LOCAL_SLOTS / 2) {    /* half full: emptied first */
    if (local_merge(t)) return LOUPE_ENOMEM;
    k = h & LOCAL_MASK;
  }
  wt_put(&t->loc[k], h, len, pad, t->sign);
  t->loc_used[t->nloc++] = (uint16_t)k;
  return LOUPE_OK;
}

int lp_totals_add(loupe_db *db, const char *body, size_t len, int sign) {
  if (!lp_totals_kept(db) || body == NULL || len == 0) return LOUPE_OK;
  if (db->wt == NULL && (db->wt = calloc(1, sizeof *db->wt)) == NULL)
    return nomem(db);
  db->wt->sign = sign;
  db->wt->dirty = 1;
  if (lp_words_scan(body, len, wt_word, db->wt) || local_merge(db->wt))
    return nomem(db);
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

/* Add n to word w's total (a row with n 0 goes). */
static int write_one(sqlite3_stmt *up, sqlite3_stmt *del, const char *w,
                     size_t len, long long n) {
  int rc;
  if (n == 0) return SQLITE_OK;
  sqlite3_bind_text(up, 1, w, (int)len, SQLITE_STATIC);
  sqlite3_bind_int64(up, 2, n);
  rc = sqlite3_step(up);
  sqlite3_reset(up);
  if (rc == SQLITE_DONE && n < 0) {          /* a word gone from the corpus */
    sqlite3_bind_text(del, 1, w, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(del);
    sqlite3_reset(del);
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
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
  for (i = 0; rc == SQLITE_OK && t->e && i <= t->mask; i++)
    if (t->e[i].h)
      rc = write_one(up, del, t->e[i].w, t->e[i].len, t->e[i].n);
  for (i = 0; rc == SQLITE_OK && i < t->v.n; i++)
    rc = write_one(up, del, t->v.words.p + t->v.f[i].off, t->v.f[i].len,
                   t->v.f[i].a);
  sqlite3_finalize(up);
  sqlite3_finalize(del);
  return rc == SQLITE_OK ? LOUPE_OK : lp_db_error(db, rc, "keep word totals");
}

/* ---- the log of changes ---- */

/* Transactions logged before they are added up into word_totals, and
 * the most bytes of changes logged (a reader reads each of them). */
#define FOLD_ROWS 16
#define FOLD_BYTES (1 << 20)

static int append_change(lp_buf *b, const char *w, size_t len, long long n) {
  char num[32];
  int k;
  if (n == 0) return LOUPE_OK;
  k = snprintf(num, sizeof num, "\t%lld\n", n);
  if (lp_buf_append(b, w, len) || lp_buf_append(b, num, (size_t)k))
    return LOUPE_ENOMEM;
  return LOUPE_OK;
}

/* The changes of t as one row of the log. */
static int log_changes(loupe_db *db, const struct lp_totals *t) {
  lp_buf b = {0};
  sqlite3_stmt *st = NULL;
  size_t i;
  int rc = LOUPE_OK;
  for (i = 0; rc == LOUPE_OK && t->e && i <= t->mask; i++)
    if (t->e[i].h)
      rc = append_change(&b, t->e[i].w, t->e[i].len, t->e[i].n);
  for (i = 0; rc == LOUPE_OK && i < t->v.n; i++)
    rc = append_change(&b, t->v.words.p + t->v.f[i].off, t->v.f[i].len,
                       t->v.f[i].a);
  if (rc) {
    lp_buf_free(&b);
    return nomem(db);
  }
  if (b.len > 0) {
    rc = sqlite3_prepare_v2(db->sql, "INSERT INTO word_totals_log(changes)"
                            " VALUES (?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
      sqlite3_bind_blob(st, 1, b.p, (int)b.len, SQLITE_STATIC);
      rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    rc = rc == SQLITE_DONE ? LOUPE_OK : lp_db_error(db, rc, "log word totals");
  }
  lp_buf_free(&b);
  return rc;
}

/* What is done with one logged change. */
typedef int (*change_fn)(void *ctx, const char *w, size_t len, long long n);

/* Each change of a logged row s[0..n) through fn; LOUPE_ECORRUPT when
 * the row is not lines of "word\tchange". */
static int each_change(const char *s, size_t n, change_fn fn, void *ctx) {
  size_t i = 0;
  if (n > 0 && s[n - 1] != '\n') return LOUPE_ECORRUPT;
  while (i < n) {
    const char *line = s + i, *nl = memchr(line, '\n', n - i), *tab;
    char *end;
    long long c;
    tab = nl ? memchr(line, '\t', (size_t)(nl - line)) : NULL;
    if (tab == NULL) return LOUPE_ECORRUPT;
    c = strtoll(tab + 1, &end, 10);
    if (end != nl) return LOUPE_ECORRUPT;
    if (fn(ctx, line, (size_t)(tab - line), c)) return LOUPE_ENOMEM;
    i = (size_t)(nl - s) + 1;
  }
  return LOUPE_OK;
}

/* Every logged row through fn, in order. */
static int each_logged(loupe_db *db, change_fn fn, void *ctx) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT changes FROM word_totals_log"
                              " ORDER BY id", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read word totals");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = each_change(sqlite3_column_blob(st, 0),
                     (size_t)sqlite3_column_bytes(st, 0), fn, ctx);
    if (rc) break;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) return LOUPE_OK;
  if (rc == LOUPE_ENOMEM) return nomem(db);
  if (rc == LOUPE_ECORRUPT) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: a row of word_totals_log"
             " is not lines of a word and a count", db->path);
    return rc;
  }
  return lp_db_error(db, rc, "read word totals");
}

static int fold_change(void *p, const char *w, size_t len, long long n) {
  return wt_add(p, w, len, lp_vocab_hash(w, len), n);
}

/* Add the logged changes up into word_totals and empty the log, once
 * FOLD_ROWS transactions or FOLD_BYTES are logged. */
static int maybe_fold(loupe_db *db) {
  struct lp_totals *t;
  sqlite3_stmt *st = NULL;
  long long rows = 0, bytes = 0;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT count(*),"
                              " coalesce(sum(length(changes)), 0) FROM"
                              " word_totals_log", -1, &st, NULL);
  if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    rows = sqlite3_column_int64(st, 0);
    bytes = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read word totals");
  if (rows < FOLD_ROWS && bytes < FOLD_BYTES) return LOUPE_OK;
  if ((t = calloc(1, sizeof *t)) == NULL) return nomem(db);
  rc = each_logged(db, fold_change, t);
  if (!rc) rc = write_changes(db, t);
  if (!rc) rc = lp_db_exec(db, "DELETE FROM word_totals_log",
                           "add up word totals");
  free(t->e);
  lp_vocab_free(&t->v);
  free(t);
  return rc;
}

int lp_totals_flush(loupe_db *db) {
  int rc;
  if (!lp_totals_pending(db)) return LOUPE_OK;
  rc = log_changes(db, db->wt);
  if (!rc) rc = maybe_fold(db);
  if (rc) return rc;                 /* still pending: the caller rolls back */
  lp_totals_reset(db);
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
  int rc = lp_db_exec(db, "DROP TABLE IF EXISTS word_totals;"
                      " DROP TABLE IF EXISTS word_totals_log;" LP_TOTALS_TABLE,
                      "create word totals");
  *words = 0;
  if (!rc) rc = count_all(db, &v, articles);
  if (!rc) rc = insert_all(db, &v);
  if (!rc) *words = (long long)v.n;
  lp_vocab_free(&v);
  return rc;
}

/* ---- read: keyness, the check ---- */

typedef struct {
  lp_vocab *v;
  int side;
} load_ctx;

/* Add n to word w's count on the context's side. */
static int load_change(void *p, const char *w, size_t len, long long n) {
  load_ctx *c = p;
  size_t id;
  if (lp_vocab_id(c->v, w, len, &id)) return LOUPE_ENOMEM;
  if (c->side) c->v->f[id].b += n;
  else c->v->f[id].a += n;
  return LOUPE_OK;
}

/* One row of word_totals (n, word) added into the context's side. */
static int load_row(void *p, long long n, const char *w, size_t len) {
  return load_change(p, w, len, n);
}

/* The kept totals, word_totals and the log, added into v. */
static int load_kept(loupe_db *db, lp_vocab *v, int side) {
  load_ctx c;
  int rc;
  c.v = v;
  c.side = side;
  rc = lp_sql_rows(db, "SELECT n, word FROM word_totals", load_row, &c,
                   "read word totals");
  if (rc == LOUPE_ENOMEM) return nomem(db);
  if (rc != LOUPE_OK) return rc;
  return each_logged(db, load_change, &c);
}

int lp_totals_load(loupe_db *db, lp_vocab *v, int side, int *ok) {
  int rc;
  *ok = 0;
  if (!lp_totals_kept(db) || lp_totals_pending(db)) return LOUPE_OK;
  rc = load_kept(db, v, side);
  *ok = rc == LOUPE_OK;
  return rc;
}

/* Note one word whose kept total is not the count (the first told). */
static void differs(long long *differ, char *example, size_t cap,
                    const char *w, size_t len, long long kept,
                    long long counted) {
  if ((*differ)++ == 0)
    snprintf(example, cap, "'%.*s' kept %lld, counted %lld",
             (int)(len > 40 ? 40 : len), w, kept, counted);
}

int lp_totals_compare(loupe_db *db, long long *differ, char *example,
                      size_t cap) {
  lp_vocab kept = {0}, counted = {0};
  long long articles;
  size_t i, id;
  int rc = count_all(db, &counted, &articles);
  *differ = 0;
  example[0] = '\0';
  if (!rc) rc = load_kept(db, &kept, 0);
  for (i = 0; !rc && i < kept.n; i++) {
    const lp_feature *f = &kept.f[i];
    const char *w = kept.words.p + f->off;
    long long c = 0;
    if (f->a == 0) continue;           /* no word: not kept */
    if (lp_vocab_find(&counted, w, f->len, &id)) {
      c = counted.f[id].a;
      counted.f[id].b = 1;             /* seen among the kept */
    }
    if (f->a != c) differs(differ, example, cap, w, f->len, f->a, c);
  }
  for (i = 0; !rc && i < counted.n; i++) {
    const lp_feature *f = &counted.f[i];
    if (!f->b && f->a != 0)
      differs(differ, example, cap, counted.words.p + f->off, f->len, 0,
              f->a);
  }
  lp_vocab_free(&kept);
  lp_vocab_free(&counted);
  return rc;
}
