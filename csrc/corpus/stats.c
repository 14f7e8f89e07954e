/*
 * stats.c - corpus statistics over the stored texts, computed in C:
 * keyness (a target set of articles against a reference set), windowed
 * collocations of a term, and the document-feature matrix.
 *
 * Words are read as talking points read them (phrase_text.c): letters and
 * digits, ASCII lower-cased, "U.S." as "us", a possessive 's dropped, a
 * CJK character one word. The measures are quanteda's (textstat_keyness)
 * on the 2x2 table of a feature: a = its count in the target, b in the
 * reference, c = the target's other words, d = the reference's other
 * words, N = a + b + c + d, E11 = (a + b)(a + c) / N:
 *   chi2  N (|ad - bc| - N/2)^2 / ((a+b)(c+d)(a+c)(b+d)), 0 when
 *         |ad - bc| < N/2 (Yates, as R's chisq.test), signed + when a > E11;
 *   ll    G2 = 2 sum O log(O / E + 1e-9) over the four cells, divided by
 *         Williams' q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1)
 *         / (6N), signed as chi2;
 *   pmi   log2(a / E11).
 * Collocations are keyness with the words within the window of the term
 * as the target and the rest of the same texts as the reference (the
 * term itself in neither), as quanteda users compute them with
 * tokens_select(window =) and textstat_keyness. Results are in-memory
 * JSON arrays read through json_each().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "vocab.h"

/* Run the texts of the articles whose ids are the JSON array ids (or of
 * the quotes when quote is set) through fn, one call per text. */
static int each_text(loupe_db *db, const char *ids, lp_text_fn fn,
                     void *ctx) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql,
    "SELECT a.id, a.body FROM json_each(?1) j JOIN articles a"
    " ON a.id = j.value ORDER BY j.key", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "stats");
  sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
  return lp_rows_through(db, st, fn, ctx, "stats");
}

/* ---- the measures ---- */

double loupe_stat_chi2(double a, double b, double c, double d) {
  double n = a + b + c + d, e = (a + b) * (a + c) / n;
  double x = fabs(a * d - b * c), den = (a + b) * (c + d) * (a + c) * (b + d);
  double chi;
  if (den <= 0) return 0;
  chi = x < n / 2 ? 0 : n * (x - n / 2) * (x - n / 2) / den;
  return a > e ? chi : -chi;
}

double loupe_stat_ll(double a, double b, double c, double d) {
  double n = a + b + c + d, eps = 1e-9, g, q;
  double e11 = (a + b) * (a + c) / n, e12 = (a + b) * (b + d) / n;
  double e21 = (c + d) * (a + c) / n, e22 = (c + d) * (b + d) / n;
  if (a + b <= 0 || c + d <= 0 || a + c <= 0 || b + d <= 0) return 0;
  g = 2 * (a * log(a / e11 + eps) + b * log(b / e12 + eps) +
           c * log(c / e21 + eps) + d * log(d / e22 + eps));
  q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) /
          (6 * n);
  return a > e11 ? g / q : -g / q;
}

double loupe_stat_pmi(double a, double b, double c, double d) {
  double n = a + b + c + d, e11 = (a + b) * (a + c) / n;
  if (a <= 0 || e11 <= 0) return -HUGE_VAL;
  return log2(a / e11);
}

static double measure(int m, double a, double b, double c, double d) {
  if (m == LOUPE_STAT_LL) return loupe_stat_ll(a, b, c, d);
  if (m == LOUPE_STAT_PMI) return loupe_stat_pmi(a, b, c, d);
  return loupe_stat_chi2(a, b, c, d);
}

/* ---- scored features as JSON rows ---- */

typedef struct {
  size_t id;
  double score;
  const char *w;           /* the word, for ties */
  size_t len;
} scored;

/* Best first; ties by the word's bytes, so that the order does not hang
 * on the order the words were first read in. */
static int cmp_scored(const void *x, const void *y) {
  const scored *p = x, *q = y;
  int c;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  c = memcmp(p->w, q->w, p->len < q->len ? p->len : q->len);
  if (c) return c;
  return LP_CMP(p->len, q->len);
}

/* The features of v with a >= min scored by measure m (totals ta, tb),
 * best first, at most limit, as a JSON array into out. */
static int score_rows(const lp_vocab *v, int m, long long ta, long long tb,
                      long long min, long long limit, lp_buf *out) {
  scored *s = malloc((v->n ? v->n : 1) * sizeof *s);
  size_t i, k = 0;
  char num[200];
  if (s == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < v->n; i++) {
    const lp_feature *f = &v->f[i];
    if (f->a < min || f->a + f->b == 0) continue;
    s[k].id = i;
    s[k].w = v->words.p + f->off;
    s[k].len = f->len;
    s[k].score = measure(m, (double)f->a, (double)f->b, (double)(ta - f->a),
                         (double)(tb - f->b));
    k++;
  }
  if (k > 1) qsort(s, k, sizeof *s, cmp_scored);
  if (limit > 0 && (size_t)limit < k) k = (size_t)limit;
  if (lp_buf_append(out, "[", 1)) goto oom;
  for (i = 0; i < k; i++) {
    const lp_feature *f = &v->f[s[i].id];
    double sc = s[i].score;
    double p = m == LOUPE_STAT_PMI ? 0 : erfc(sqrt(fabs(sc) / 2));
    if ((i && lp_buf_append(out, ",", 1)) ||
        lp_buf_append(out, "{\"feature\":", 11) ||
        lp_json_string(out, v->words.p + f->off, f->len))
      goto oom;
    /* pmi of a word the target lacks is minus infinity: null */
    if (isfinite(sc))
      snprintf(num, sizeof num, ",\"target\":%lld,\"reference\":%lld,"
               "\"score\":%.17g,\"p\":%.17g}", f->a, f->b, sc, p);
    else
      snprintf(num, sizeof num, ",\"target\":%lld,\"reference\":%lld,"
               "\"score\":null,\"p\":null}", f->a, f->b);
    if (lp_buf_append(out, num, strlen(num))) goto oom;
  }
  free(s);
  return lp_buf_append(out, "]", 1) ? LOUPE_ENOMEM : LOUPE_OK;
oom:
  free(s);
  return LOUPE_ENOMEM;
}

static const char *const SCORE_SQL[] = {
  "SELECT value->>'feature' AS feature, value->>'target' AS target,"
  " value->>'reference' AS reference, value->>'score' AS chi2,"
  " value->>'p' AS p FROM json_each(?1) ORDER BY CAST(key AS INTEGER)",
  "SELECT value->>'feature' AS feature, value->>'target' AS target,"
  " value->>'reference' AS reference, value->>'score' AS ll,"
  " value->>'p' AS p FROM json_each(?1) ORDER BY CAST(key AS INTEGER)",
  "SELECT value->>'feature' AS feature, value->>'target' AS target,"
  " value->>'reference' AS reference, value->>'score' AS pmi"
  " FROM json_each(?1) ORDER BY CAST(key AS INTEGER)",
};

/* The words of one text (s[0..n)) as ids of v: out emptied, then filled. */
static int text_ids(lp_vocab *v, const char *s, size_t n, lp_id_list *out) {
  out->n = 0;
  return lp_words_of(v, s, n, out);
}

/* ---- keyness ---- */

typedef struct {
  lp_vocab *v;
  int side;                /* 0 target, 1 reference */
  long long total[2];
} count_ctx;

/* One word counted on the context's side (lp_words_scan's fn). */
static int count_word(void *p, const char *w, size_t len, uint32_t h) {
  count_ctx *x = p;
  size_t id;
  if (lp_vocab_id_h(x->v, w, len, h, &id)) return LOUPE_ENOMEM;
  if (x->side) x->v->f[id].b++;
  else x->v->f[id].a++;
  x->total[x->side]++;
  return LOUPE_OK;
}

static int count_text(void *p, long long id, const char *s, size_t n) {
  (void)id;
  return lp_words_scan(s, n, count_word, p);
}

/* ---- the corpus's word totals, kept for the connection ----
 *
 * Keyness against every other article (the usual question: this period
 * or outlet against the rest) needs the counts of the whole corpus. A
 * corpus of schema version 6 keeps them, written by ingest (totals.c);
 * an older one opened read-only has none: they are kept, once a keyness
 * has read every article, in a TEMP table of
 * the connection (so a read-only corpus keeps them too, and they go with
 * the connection), stamped with PRAGMA data_version (commits of other
 * connections) and sqlite3_total_changes64 (this connection's own
 * writes): a later keyness against the rest reads only the smaller side
 * and takes the other as the totals minus it. */

#define TOTALS "temp.loupe_stats_totals"

/* The stamp of the corpus's contents as this connection sees them. */
static int corpus_stamp(loupe_db *db, long long stamp[2]) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, "PRAGMA data_version", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "stats");
  rc = sqlite3_step(st);
  stamp[0] = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  stamp[1] = (long long)sqlite3_total_changes64(db->sql);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? LOUPE_OK : lp_db_error(db, rc, "stats");
}

/* Load the kept totals into v (its features' a, or b when side is 1)
 * when their stamp is the corpus's; *warm says whether they were. A
 * missing table is no error. */
static int totals_load(loupe_db *db, lp_vocab *v, int side, int *warm) {
  sqlite3_stmt *st = NULL;
  long long stamp[2];
  int rc;
  *warm = 0;
  if (sqlite3_prepare_v2(db->sql, "SELECT version, changes, words, counts"
                         " FROM " TOTALS " WHERE id = 1", -1, &st, NULL))
    return LOUPE_OK;
  rc = corpus_stamp(db, stamp);
  if (rc == LOUPE_OK && sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_int64(st, 0) == stamp[0] &&
      sqlite3_column_int64(st, 1) == stamp[1]) {
    const char *w = sqlite3_column_blob(st, 2);
    size_t wn = (size_t)sqlite3_column_bytes(st, 2), i = 0, k = 0, id;
    const unsigned char *cn = sqlite3_column_blob(st, 3);
    size_t nc = (size_t)sqlite3_column_bytes(st, 3) / sizeof(long long);
    while (i < wn && k < nc) {         /* words end with '\n' each */
      const char *e = memchr(w + i, '\n', wn - i);
      long long t;
      if (e == NULL) break;
      if (lp_vocab_id(v, w + i, (size_t)(e - w - i), &id)) {
        rc = LOUPE_ENOMEM;
        break;
      }
      memcpy(&t, cn + k++ * sizeof t, sizeof t);
      if (side) v->f[id].b = t;
      else v->f[id].a = t;
      i = (size_t)(e - w) + 1;
    }
    *warm = rc == LOUPE_OK && i == wn && k == nc && k == v->n;
  }
  sqlite3_finalize(st);
  return rc;
}

/* Keep the totals of v (a + b of every feature: target and reference
 * held every article) for the connection. Best effort: a failure only
 * leaves nothing kept. */
static int totals_save(loupe_db *db, const lp_vocab *v) {
  lp_buf words = {0}, counts = {0};
  sqlite3_stmt *st = NULL;
  long long stamp[2];
  size_t i;
  int rc = LOUPE_OK;
  for (i = 0; i < v->n && rc == LOUPE_OK; i++) {
    const lp_feature *f = &v->f[i];
    long long t = f->a + f->b;
    if (lp_buf_append(&words, v->words.p + f->off, f->len) ||
        lp_buf_append(&words, "\n", 1) ||
        lp_buf_append(&counts, (const char *)&t, sizeof t))
      rc = LOUPE_ENOMEM;
  }
  if (rc == LOUPE_OK &&
      sqlite3_exec(db->sql, "CREATE TEMP TABLE IF NOT EXISTS"
                   " loupe_stats_totals(id INTEGER PRIMARY KEY, version"
                   " INTEGER, changes INTEGER, words BLOB, counts BLOB)",
                   NULL, NULL, NULL) == SQLITE_OK &&
      corpus_stamp(db, stamp) == LOUPE_OK &&
      sqlite3_prepare_v2(db->sql, "INSERT OR REPLACE INTO " TOTALS
                         " VALUES (1, ?1, ?2, ?3, ?4)", -1, &st,
                         NULL) == SQLITE_OK) {
    /* the row written is one change more */
    sqlite3_bind_int64(st, 1, stamp[0]);
    sqlite3_bind_int64(st, 2, stamp[1] + 1);
    sqlite3_bind_blob(st, 3, words.p ? words.p : "", (int)words.len,
                      SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, counts.p ? counts.p : "", (int)counts.len,
                      SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE ||
        sqlite3_total_changes64(db->sql) != stamp[1] + 1)
      sqlite3_exec(db->sql, "DELETE FROM " TOTALS, NULL, NULL, NULL);
  }
  sqlite3_finalize(st);
  lp_buf_free(&words);
  lp_buf_free(&counts);
  return rc;
}

/* ---- target and reference ---- */

/* The ids of the JSON array s ("[1,2,3]", integers only) into *ids (*n
 * of them); LOUPE_EINVAL for anything else (the caller then does not
 * need them). */
static int parse_ids(const char *s, long long **ids, size_t *n) {
  size_t cap = 0;
  *ids = NULL;
  *n = 0;
  while (*s == ' ') s++;
  if (*s++ != '[') return LOUPE_EINVAL;
  while (*s == ' ') s++;
  while (*s != ']') {
    char *e;
    long long v = strtoll(s, &e, 10);
    long long *ni;
    if (e == s) return LOUPE_EINVAL;
    ni = lp_vgrow(*ids, &cap, *n, sizeof **ids);
    if (ni == NULL) return LOUPE_ENOMEM;
    *ids = ni;
    (*ids)[(*n)++] = v;
    s = e;
    while (*s == ' ') s++;
    if (*s == ',') s++;
    else if (*s != ']') return LOUPE_EINVAL;
    while (*s == ' ') s++;
  }
  return s[1] == '\0' ? LOUPE_OK : LOUPE_EINVAL;
}

static int cmp_ll(const void *x, const void *y) {
  long long a = *(const long long *)x, b = *(const long long *)y;
  return LP_CMP(a, b);
}

/* Do the sorted ids u[0..n) name every article of the corpus, each
 * once? (SELECT id reads a covering index, not the long rows: sorted
 * here, as ORDER BY id would walk the table.) */
static int all_articles(loupe_db *db, const long long *u, size_t n) {
  sqlite3_stmt *st = NULL;
  long long *ids = malloc((n + 1) * sizeof *ids);
  size_t k = 0;
  int same = ids != NULL;
  if (same && sqlite3_prepare_v2(db->sql, "SELECT id FROM articles", -1, &st,
                                 NULL) != SQLITE_OK)
    same = 0;
  while (same && sqlite3_step(st) == SQLITE_ROW) {
    if (k == n) same = 0;
    else ids[k++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  if (same && k == n) {
    qsort(ids, n, sizeof *ids, cmp_ll);
    same = n == 0 || memcmp(ids, u, n * sizeof *ids) == 0;
  }
  free(ids);
  return same && k == n;
}

/* Is the reference every article the target lacks (distinct ids, no
 * overlap, all of the corpus's between them)? *nt and *nr: the sizes;
 * when it is, *ts: the target's ids, sorted (the caller's to free). */
static int is_complement(loupe_db *db, const loupe_stats_options *o,
                         int *yes, size_t *nt, size_t *nr, long long **ts) {
  long long *t = NULL, *r = NULL, *all = NULL;
  int rc;
  *yes = 0;
  *ts = NULL;
  rc = parse_ids(o->target, &t, nt);
  if (rc == LOUPE_OK) rc = parse_ids(o->reference, &r, nr);
  if (rc == LOUPE_EINVAL) rc = LOUPE_OK;
  else if (rc == LOUPE_OK) {
    all = malloc((*nt + *nr + 1) * sizeof *all);
    if (all == NULL) rc = LOUPE_ENOMEM;
    else {
      if (*nt) memcpy(all, t, *nt * sizeof *t);
      if (*nr) memcpy(all + *nt, r, *nr * sizeof *r);
      qsort(all, *nt + *nr, sizeof *all, cmp_ll);
      *yes = all_articles(db, all, *nt + *nr);
    }
  }
  if (*yes) {
    qsort(t, *nt, sizeof *t, cmp_ll);
    *ts = t;
    t = NULL;
  }
  free(all);
  free(t);
  free(r);
  return rc;
}

/* count_split's reading: the target's ids ts[0..nt), sorted. */
typedef struct {
  count_ctx *x;
  const long long *ts;
  size_t nt;
} split_ctx;

/* One article, counted on side 0 when it is the target's, else on 1. */
static int count_split_text(void *p, long long id, const char *s, size_t n) {
  split_ctx *sp = p;
  sp->x->side = sp->nt == 0 ||
                bsearch(&id, sp->ts, sp->nt, sizeof *sp->ts, cmp_ll) == NULL;
  return count_text(sp->x, id, s, n);
}

/* Every article in one pass (in the table's order, not the ids'), the
 * target's (ids ts[0..nt), sorted) counted on side 0, the others on 1. */
static int count_split(loupe_db *db, const long long *ts, size_t nt,
                       count_ctx *x) {
  split_ctx sp;
  sp.x = x;
  sp.ts = ts;
  sp.nt = nt;
  return lp_sql_rows(db, "SELECT id, body FROM articles", count_split_text,
                     &sp, "stats");
}

/* With the totals of v loaded on the side not read (x->side: the one
 * read, the smaller of target and reference): count that side from its
 * texts, the other as the totals minus it. *ok is 0 when the totals do
 * not hold the texts read (then count afresh). */
static int keyness_by_totals(loupe_db *db, const loupe_stats_options *o,
                             count_ctx *x, int *ok) {
  lp_vocab *v = x->v;
  size_t i, known = v->n;
  long long all = 0;
  int rc = each_text(db, x->side ? o->reference : o->target, count_text, x);
  *ok = rc == LOUPE_OK && v->n == known;
  for (i = 0; *ok && i < v->n; i++) {
    lp_feature *f = &v->f[i];
    long long *got = x->side ? &f->b : &f->a, *other = x->side ? &f->a : &f->b;
    if (*got > *other) *ok = 0;
    all += *other;
    *other -= *got;
  }
  if (*ok) x->total[!x->side] = all - x->total[x->side];
  return rc;
}

static int keyness(loupe_db *db, const loupe_stats_options *o, lp_buf *out) {
  lp_vocab v = {0};
  count_ctx x = {0};
  size_t nt = 0, nr = 0;
  long long *ts = NULL;
  int rc, rest = 0, warm = 0, ok = 0;
  x.v = &v;
  rc = is_complement(db, o, &rest, &nt, &nr, &ts);
  x.side = nr < nt;                    /* the side to read */
  /* the totals the corpus keeps (totals.c), else the connection's */
  if (rc == LOUPE_OK && rest && !o->recount)
    rc = lp_totals_load(db, &v, !x.side, &warm);
  if (rc == LOUPE_OK && rest && !o->recount && !warm)
    rc = totals_load(db, &v, !x.side, &warm);
  if (rc == LOUPE_OK && warm) rc = keyness_by_totals(db, o, &x, &ok);
  if (rc == LOUPE_OK && !ok) {         /* both sides from their texts */
    lp_vocab_free(&v);
    memset(&v, 0, sizeof v);
    memset(&x, 0, sizeof x);
    x.v = &v;
    if (rest) {
      rc = count_split(db, ts, nt, &x);
      if (rc == LOUPE_OK && !o->recount && !lp_totals_kept(db))
        rc = totals_save(db, &v);
    } else {
      rc = each_text(db, o->target, count_text, &x);
      x.side = 1;
      if (rc == LOUPE_OK) rc = each_text(db, o->reference, count_text, &x);
    }
  }
  if (rc == LOUPE_OK)
    rc = score_rows(&v, o->measure, x.total[0], x.total[1], o->min_count,
                    o->limit, out);
  free(ts);
  lp_vocab_free(&v);
  return rc;
}

/* Keyness in one read transaction (unless the caller has one open): the
 * ids, the kept totals and the texts are of one state of the corpus,
 * whatever another connection commits meanwhile. */
static int keyness_read(loupe_db *db, const loupe_stats_options *o,
                        lp_buf *out) {
  int own = sqlite3_get_autocommit(db->sql), rc;
  if (own && sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return lp_db_error(db, sqlite3_errcode(db->sql), "stats");
  rc = keyness(db, o, out);
  if (own && sqlite3_exec(db->sql, rc == LOUPE_OK ? "COMMIT" : "ROLLBACK",
                          NULL, NULL, NULL) != SQLITE_OK && rc == LOUPE_OK)
    rc = lp_db_error(db, sqlite3_errcode(db->sql), "stats");
  return rc;
}

/* ---- collocations ---- */

typedef struct {
  lp_vocab *v;
  lp_id_list words, node;     /* the text's words; the term's word ids */
  unsigned char *in;       /* per word of the text: 0 out, 1 window, 2 term */
  size_t incap;
  int window;
  long long total[2];
} colloc_ctx;

/* Mark the term's occurrences (2) and the words within the window of
 * one (1) in the current text. */
static void mark_windows(colloc_ctx *x) {
  size_t i, k, n = x->words.n, t = x->node.n;
  memset(x->in, 0, n);
  for (i = 0; t > 0 && i + t <= n; i++) {
    size_t lo, hi;
    for (k = 0; k < t && x->words.id[i + k] == x->node.id[k]; k++) {}
    if (k < t) continue;
    lo = i > (size_t)x->window ? i - (size_t)x->window : 0;
    hi = i + t + (size_t)x->window;
    if (hi > n) hi = n;
    for (k = lo; k < hi; k++) if (x->in[k] != 2) x->in[k] = 1;
    for (k = i; k < i + t; k++) x->in[k] = 2;
  }
}

static int colloc_text(void *p, long long id, const char *s, size_t n) {
  colloc_ctx *x = p;
  size_t i;
  (void)id;
  if (text_ids(x->v, s, n, &x->words)) return LOUPE_ENOMEM;
  if (x->words.n > x->incap) {
    unsigned char *ni = realloc(x->in, x->words.n);
    if (ni == NULL) return LOUPE_ENOMEM;
    x->in = ni;
    x->incap = x->words.n;
  }
  mark_windows(x);
  for (i = 0; i < x->words.n; i++) {
    lp_feature *f = &x->v->f[x->words.id[i]];
    if (x->in[i] == 2) continue;
    if (x->in[i] == 1) { f->a++; x->total[0]++; }
    else { f->b++; x->total[1]++; }
  }
  return LOUPE_OK;
}

static int collocations(loupe_db *db, const loupe_stats_options *o,
                        lp_buf *out) {
  lp_vocab v = {0};
  colloc_ctx x = {0};
  int rc;
  x.v = &v;
  x.window = o->window > 0 ? o->window : 5;
  rc = lp_words_of(&v, o->term, strlen(o->term), &x.node);
  if (rc == LOUPE_OK && x.node.n == 0) {
    snprintf(db->errmsg, sizeof db->errmsg, "collocations: the term has no "
             "word");
    rc = LOUPE_EINVAL;
  }
  if (rc == LOUPE_OK) rc = each_text(db, o->target, colloc_text, &x);
  if (rc == LOUPE_OK)
    rc = score_rows(&v, o->measure, x.total[0], x.total[1],
                    o->min_count > 0 ? o->min_count : 3, o->limit, out);
  free(x.words.id);
  free(x.node.id);
  free(x.in);
  lp_vocab_free(&v);
  return rc;
}

/* ---- the document-feature matrix ---- */

typedef struct {
  lp_vocab *v;
  lp_id_list words;
  long long *count;        /* per feature, for the current text */
  size_t ccap;
  int fixed;               /* only the features given (ids below nfixed) */
  size_t nfixed;
  lp_buf *out;
} dfm_ctx;

/* One text's non-zero cells as {"doc":id,"feature":"w","count":n}. */
static int dfm_text(void *p, long long id, const char *s, size_t n) {
  dfm_ctx *x = p;
  size_t i;
  char num[80];
  if (text_ids(x->v, s, n, &x->words)) return LOUPE_ENOMEM;
  if (x->v->n > x->ccap) {
    long long *nc = realloc(x->count, x->v->n * 2 * sizeof *nc);
    if (nc == NULL) return LOUPE_ENOMEM;
    memset(nc + x->ccap, 0, (x->v->n * 2 - x->ccap) * sizeof *nc);
    x->count = nc;
    x->ccap = x->v->n * 2;
  }
  for (i = 0; i < x->words.n; i++) x->count[x->words.id[i]]++;
  for (i = 0; i < x->words.n; i++) {
    size_t f = x->words.id[i];
    const lp_feature *ft = &x->v->f[f];
    if (x->count[f] == 0 || (x->fixed && f >= x->nfixed)) continue;
    snprintf(num, sizeof num, "%s{\"doc\":%lld,\"feature\":",
             x->out->len > 1 ? "," : "", id);
    if (lp_buf_append(x->out, num, strlen(num)) ||
        lp_json_string(x->out, x->v->words.p + ft->off, ft->len))
      return LOUPE_ENOMEM;
    snprintf(num, sizeof num, ",\"count\":%lld}", x->count[f]);
    if (lp_buf_append(x->out, num, strlen(num))) return LOUPE_ENOMEM;
    x->count[f] = 0;
  }
  for (i = 0; i < x->words.n; i++) x->count[x->words.id[i]] = 0;
  return LOUPE_OK;
}

static int dfm(loupe_db *db, const loupe_stats_options *o, lp_buf *out) {
  lp_vocab v = {0};
  dfm_ctx x = {0};
  int rc = LOUPE_OK;
  size_t k;
  x.v = &v;
  x.out = out;
  /* the features given, one per line, take the first ids */
  for (k = 0; o->features && o->features[k] && rc == LOUPE_OK; k++)
    rc = lp_words_of(&v, o->features[k], strlen(o->features[k]), &x.words);
  x.fixed = o->features != NULL;
  x.nfixed = v.n;
  if (rc == LOUPE_OK && lp_buf_append(out, "[", 1)) rc = LOUPE_ENOMEM;
  if (rc == LOUPE_OK) rc = each_text(db, o->target, dfm_text, &x);
  if (rc == LOUPE_OK && lp_buf_append(out, "]", 1)) rc = LOUPE_ENOMEM;
  free(x.words.id);
  free(x.count);
  lp_vocab_free(&v);
  return rc;
}

int loupe_db_stats(loupe_db *db, const loupe_stats_options *o,
                   loupe_cursor **out) {
  lp_buf json = {0};
  int rc;
  *out = NULL;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (o->target == NULL || (o->kind == LOUPE_STATS_KEYNESS &&
                            o->reference == NULL) ||
      (o->kind == LOUPE_STATS_COLLOCATIONS && o->term == NULL) ||
      o->measure < LOUPE_STAT_CHI2 || o->measure > LOUPE_STAT_PMI) {
    snprintf(db->errmsg, sizeof db->errmsg, "stats: missing or bad option");
    return LOUPE_EINVAL;
  }
  if (o->kind == LOUPE_STATS_KEYNESS) rc = keyness_read(db, o, &json);
  else if (o->kind == LOUPE_STATS_COLLOCATIONS) rc = collocations(db, o, &json);
  else rc = dfm(db, o, &json);
  if (rc == LOUPE_OK)
    rc = lp_json_cursor(db, o->kind == LOUPE_STATS_DFM
      ? "SELECT value->>'doc' AS doc, value->>'feature' AS feature,"
        " value->>'count' AS count FROM json_each(?1)"
        " ORDER BY CAST(key AS INTEGER)"
      : SCORE_SQL[o->measure], &json, out);
  if (rc == LOUPE_ENOMEM)
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  lp_buf_free(&json);
  return rc;
}
