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
#include "phrases.h"

/* ---- a vocabulary: word -> dense id with two counts ---- */

typedef struct {
  uint32_t h, off, len;
  long long a, b;          /* target and reference counts */
} feature;

typedef struct {
  feature *f;
  size_t n, cap;
  uint32_t *slot;          /* feature index + 1, open addressing */
  size_t mask;
  lp_buf words;            /* the words, back to back */
} vocab;

static uint32_t hash_bytes(const char *w, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) h = (h ^ (unsigned char)w[k]) * 16777619u;
  return h ? h : 1;
}

static void vocab_free(vocab *v) {
  free(v->f);
  free(v->slot);
  lp_buf_free(&v->words);
}

static int vocab_rehash(vocab *v) {
  size_t i, cap = v->mask ? (v->mask + 1) * 2 : 4096;
  uint32_t *ns = calloc(cap, sizeof *ns);
  if (ns == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < v->n; i++) {
    size_t k = v->f[i].h & (cap - 1);
    while (ns[k]) k = (k + 1) & (cap - 1);
    ns[k] = (uint32_t)(i + 1);
  }
  free(v->slot);
  v->slot = ns;
  v->mask = cap - 1;
  return LOUPE_OK;
}

/* The array p of *cap elements of size bytes with room for element n:
 * p itself, or p reallocated to twice its capacity (4096 at first) when
 * full, or NULL out of memory (p is then still the caller's). */
static void *grow(void *p, size_t *cap, size_t n, size_t size) {
  size_t c;
  void *np;
  if (n < *cap) return p;
  c = *cap ? *cap * 2 : 4096;
  np = realloc(p, c * size);
  if (np != NULL) *cap = c;
  return np;
}

/* The id of word w (added when new) in *id. */
static int vocab_id(vocab *v, const char *w, size_t len, size_t *id) {
  uint32_t h = hash_bytes(w, len);
  feature *nf;
  size_t k;
  if ((v->n + 1) * 2 > v->mask && vocab_rehash(v)) return LOUPE_ENOMEM;
  for (k = h & v->mask; v->slot[k]; k = (k + 1) & v->mask) {
    feature *f = &v->f[v->slot[k] - 1];
    if (f->h == h && f->len == len &&
        memcmp(v->words.p + f->off, w, len) == 0) {
      *id = v->slot[k] - 1;
      return LOUPE_OK;
    }
  }
  nf = grow(v->f, &v->cap, v->n, sizeof *v->f);
  if (nf == NULL) return LOUPE_ENOMEM;
  v->f = nf;
  v->f[v->n].h = h;
  v->f[v->n].off = (uint32_t)v->words.len;
  v->f[v->n].len = (uint32_t)len;
  v->f[v->n].a = v->f[v->n].b = 0;
  if (lp_buf_append(&v->words, w, len)) return LOUPE_ENOMEM;
  v->slot[k] = (uint32_t)(v->n + 1);
  *id = v->n++;
  return LOUPE_OK;
}

/* ---- texts into word ids ---- */

typedef struct {
  size_t *id;
  size_t n, cap;
} id_list;

static int ids_push(id_list *l, size_t id) {
  size_t *ni = grow(l->id, &l->cap, l->n, sizeof *l->id);
  if (ni == NULL) return LOUPE_ENOMEM;
  l->id = ni;
  l->id[l->n++] = id;
  return LOUPE_OK;
}

/* The words of s[0..n) as ids of v, appended to out. */
static int words_of(vocab *v, const char *s, size_t n, id_list *out) {
  char buf[64];
  size_t i = 0, m, len, id, k;
  while (i < n) {
    uint32_t cp = lp_utf8_decode((const unsigned char *)s, n, i, &m);
    if (!lp_tp_is_word_cp(cp)) { i += m; continue; }
    if (lp_is_cjk(cp)) {
      memcpy(buf, s + i, m);
      len = m;
      i += m;
    } else {
      size_t at = i;
      i = lp_tp_read_word(s, n, i, buf, sizeof buf, &len);
      if (i == at) i += m;
      if (len == 0) continue;
      for (k = 0; k < len; k++)
        if (buf[k] >= 'A' && buf[k] <= 'Z') buf[k] |= 32;
    }
    if (vocab_id(v, buf, len, &id) || ids_push(out, id)) return LOUPE_ENOMEM;
  }
  return LOUPE_OK;
}

/* Run the texts of the articles whose ids are the JSON array ids (or of
 * the quotes when quote is set) through fn, one call per text. */
typedef int (*text_fn)(void *ctx, long long id, const char *s, size_t n);

static int each_text(loupe_db *db, const char *ids, text_fn fn, void *ctx) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql,
    "SELECT a.id, a.body FROM json_each(?1) j JOIN articles a"
    " ON a.id = j.value ORDER BY j.key", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "stats");
  sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *s = (const char *)sqlite3_column_text(st, 1);
    if (s && fn(ctx, sqlite3_column_int64(st, 0), s,
                (size_t)sqlite3_column_bytes(st, 1))) {
      rc = LOUPE_ENOMEM;
      break;
    }
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) return LOUPE_OK;
  if (rc == LOUPE_ENOMEM) return rc;
  return lp_db_error(db, rc, "stats");
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
} scored;

static int cmp_scored(const void *x, const void *y) {
  const scored *p = x, *q = y;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  return p->id < q->id ? -1 : p->id > q->id;
}

/* The features of v with a >= min scored by measure m (totals ta, tb),
 * best first, at most limit, as a JSON array into out. */
static int score_rows(const vocab *v, int m, long long ta, long long tb,
                      long long min, long long limit, lp_buf *out) {
  scored *s = malloc((v->n ? v->n : 1) * sizeof *s);
  size_t i, k = 0;
  char num[200];
  if (s == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < v->n; i++) {
    const feature *f = &v->f[i];
    if (f->a < min || f->a + f->b == 0) continue;
    s[k].id = i;
    s[k].score = measure(m, (double)f->a, (double)f->b, (double)(ta - f->a),
                         (double)(tb - f->b));
    k++;
  }
  if (k > 1) qsort(s, k, sizeof *s, cmp_scored);
  if (limit > 0 && (size_t)limit < k) k = (size_t)limit;
  if (lp_buf_append(out, "[", 1)) goto oom;
  for (i = 0; i < k; i++) {
    const feature *f = &v->f[s[i].id];
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
static int text_ids(vocab *v, const char *s, size_t n, id_list *out) {
  out->n = 0;
  return words_of(v, s, n, out);
}

/* ---- keyness ---- */

typedef struct {
  vocab *v;
  id_list words;
  int side;                /* 0 target, 1 reference */
  long long total[2];
} count_ctx;

static int count_text(void *p, long long id, const char *s, size_t n) {
  count_ctx *x = p;
  size_t i;
  (void)id;
  if (text_ids(x->v, s, n, &x->words)) return LOUPE_ENOMEM;
  for (i = 0; i < x->words.n; i++) {
    feature *f = &x->v->f[x->words.id[i]];
    if (x->side) f->b++;
    else f->a++;
  }
  x->total[x->side] += (long long)x->words.n;
  return LOUPE_OK;
}

static int keyness(loupe_db *db, const loupe_stats_options *o, lp_buf *out) {
  vocab v = {0};
  count_ctx x = {0};
  int rc;
  x.v = &v;
  rc = each_text(db, o->target, count_text, &x);
  x.side = 1;
  if (rc == LOUPE_OK) rc = each_text(db, o->reference, count_text, &x);
  if (rc == LOUPE_OK)
    rc = score_rows(&v, o->measure, x.total[0], x.total[1], o->min_count,
                    o->limit, out);
  free(x.words.id);
  vocab_free(&v);
  return rc;
}

/* ---- collocations ---- */

typedef struct {
  vocab *v;
  id_list words, node;     /* the text's words; the term's word ids */
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
    feature *f = &x->v->f[x->words.id[i]];
    if (x->in[i] == 2) continue;
    if (x->in[i] == 1) { f->a++; x->total[0]++; }
    else { f->b++; x->total[1]++; }
  }
  return LOUPE_OK;
}

static int collocations(loupe_db *db, const loupe_stats_options *o,
                        lp_buf *out) {
  vocab v = {0};
  colloc_ctx x = {0};
  int rc;
  x.v = &v;
  x.window = o->window > 0 ? o->window : 5;
  rc = words_of(&v, o->term, strlen(o->term), &x.node);
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
  vocab_free(&v);
  return rc;
}

/* ---- the document-feature matrix ---- */

typedef struct {
  vocab *v;
  id_list words;
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
    const feature *ft = &x->v->f[f];
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
  vocab v = {0};
  dfm_ctx x = {0};
  int rc = LOUPE_OK;
  size_t k;
  x.v = &v;
  x.out = out;
  /* the features given, one per line, take the first ids */
  for (k = 0; o->features && o->features[k] && rc == LOUPE_OK; k++)
    rc = words_of(&v, o->features[k], strlen(o->features[k]), &x.words);
  x.fixed = o->features != NULL;
  x.nfixed = v.n;
  if (rc == LOUPE_OK && lp_buf_append(out, "[", 1)) rc = LOUPE_ENOMEM;
  if (rc == LOUPE_OK) rc = each_text(db, o->target, dfm_text, &x);
  if (rc == LOUPE_OK && lp_buf_append(out, "]", 1)) rc = LOUPE_ENOMEM;
  free(x.words.id);
  free(x.count);
  vocab_free(&v);
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
  if (o->kind == LOUPE_STATS_KEYNESS) rc = keyness(db, o, &json);
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
