/*
 * vocab.c - a vocabulary of words (dense ids, two counts each) and texts
 * read into its ids, as keyness, collocations, the document-feature
 * matrix (stats.c) and the corpus's kept word totals (totals.c) read
 * them (vocab.h).
 */
#include <stdlib.h>
#include <string.h>
#include "vocab.h"

static uint32_t hash_bytes(const char *w, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) h = (h ^ (unsigned char)w[k]) * 16777619u;
  return h ? h : 1;
}

/* Do a[0..n) and b[0..n) hold the same bytes? (Words are short: a loop
 * beats a call to memcmp.) */
static int same_bytes(const char *a, const char *b, size_t n) {
  size_t k;
  for (k = 0; k < n; k++) if (a[k] != b[k]) return 0;
  return 1;
}

uint32_t lp_vocab_hash(const char *w, size_t len) {
  return hash_bytes(w, len);
}

void lp_vocab_free(lp_vocab *v) {
  free(v->f);
  free(v->slot);
  lp_buf_free(&v->words);
}

static int vocab_rehash(lp_vocab *v) {
  size_t i, cap = v->mask ? (v->mask + 1) * 2 : 4096;
  lp_vslot *ns = calloc(cap, sizeof *ns);
  if (ns == NULL) return LOUPE_ENOMEM;
  for (i = 0; v->slot && i <= v->mask; i++) {
    size_t k;
    if (!v->slot[i].idx) continue;
    k = v->slot[i].h & (cap - 1);
    while (ns[k].idx) k = (k + 1) & (cap - 1);
    ns[k] = v->slot[i];
  }
  free(v->slot);
  v->slot = ns;
  v->mask = cap - 1;
  return LOUPE_OK;
}

/* The array p of *cap elements of size bytes with room for element n:
 * p itself, or p reallocated to twice its capacity (4096 at first) when
 * full, or NULL out of memory (p is then still the caller's). */
void *lp_vgrow(void *p, size_t *cap, size_t n, size_t size) {
  size_t c;
  void *np;
  if (n < *cap) return p;
  c = *cap ? *cap * 2 : 4096;
  np = realloc(p, c * size);
  if (np != NULL) *cap = c;
  return np;
}

/* The id of word w of hash h (hash_bytes; added when new) in *id. */
int lp_vocab_id_h(lp_vocab *v, const char *w, size_t len, uint32_t h,
                  size_t *id) {
  lp_feature *nf;
  size_t k;
  if ((v->n + 1) * 2 > v->mask && vocab_rehash(v)) return LOUPE_ENOMEM;
  for (k = h & v->mask; v->slot[k].idx; k = (k + 1) & v->mask) {
    lp_feature *f;
    if (v->slot[k].h != h) continue;
    f = &v->f[v->slot[k].idx - 1];
    if (f->len == len &&
        same_bytes(v->words.p + f->off, w, len)) {
      *id = v->slot[k].idx - 1;
      return LOUPE_OK;
    }
  }
  nf = lp_vgrow(v->f, &v->cap, v->n, sizeof *v->f);
  if (nf == NULL) return LOUPE_ENOMEM;
  v->f = nf;
  v->f[v->n].off = (uint32_t)v->words.len;
  v->f[v->n].len = (uint32_t)len;
  v->f[v->n].a = v->f[v->n].b = 0;
  if (lp_buf_append(&v->words, w, len)) return LOUPE_ENOMEM;
  v->slot[k].h = h;
  v->slot[k].idx = (uint32_t)(v->n + 1);
  *id = v->n++;
  return LOUPE_OK;
}

int lp_vocab_id(lp_vocab *v, const char *w, size_t len, size_t *id) {
  return lp_vocab_id_h(v, w, len, hash_bytes(w, len), id);
}

/* The id of w when v has it: 1 and *id, else 0. */
int lp_vocab_find(const lp_vocab *v, const char *w, size_t len, size_t *id) {
  uint32_t h = hash_bytes(w, len);
  size_t k;
  if (v->slot == NULL) return 0;
  for (k = h & v->mask; v->slot[k].idx; k = (k + 1) & v->mask) {
    const lp_feature *f;
    if (v->slot[k].h != h) continue;
    f = &v->f[v->slot[k].idx - 1];
    if (f->len == len && same_bytes(v->words.p + f->off, w, len)) {
      *id = v->slot[k].idx - 1;
      return 1;
    }
  }
  return 0;
}

/* ---- texts into word ids ---- */

int lp_ids_push(lp_id_list *l, size_t id) {
  size_t *ni = lp_vgrow(l->id, &l->cap, l->n, sizeof *l->id);
  if (ni == NULL) return LOUPE_ENOMEM;
  l->id = ni;
  l->id[l->n++] = id;
  return LOUPE_OK;
}

static int is_ascii_alnum(unsigned char ch) {
  return (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
}

/* The plain ASCII word at s[i]: a run of ASCII letters and digits ended
 * by an ASCII byte that lp_tp_read_word treats as a plain break (not a
 * dot or an apostrophe, which may continue or end a word in its own
 * ways), lower-cased into buf with its hash in *h. Returns the index
 * after it, or i when the word needs lp_tp_read_word. */
static size_t ascii_word(const char *s, size_t n, size_t i, char *buf,
                         size_t cap, size_t *len, uint32_t *h) {
  uint32_t hh = 2166136261u;
  size_t j = i;
  while (j < n && is_ascii_alnum((unsigned char)s[j])) {
    char ch = s[j];
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch | 32);
    if (j - i + 1 >= cap) return i;      /* too long: truncated there */
    buf[j - i] = ch;
    hh = (hh ^ (unsigned char)ch) * 16777619u;
    j++;
  }
  if (j < n && ((unsigned char)s[j] >= 0x80 || s[j] == '.' || s[j] == '\''))
    return i;
  *len = j - i;
  *h = hh ? hh : 1;
  return j;
}

int lp_words_scan(const char *s, size_t n, lp_word_fn fn, void *ctx) {
  char buf[64];
  size_t i = 0, m, len, k;
  uint32_t h;
  while (i < n) {
    uint32_t cp;
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x80) {                   /* the common case, byte by byte */
      size_t e;
      if (!is_ascii_alnum(ch)) { i++; continue; }
      e = ascii_word(s, n, i, buf, sizeof buf, &len, &h);
      if (e > i) {
        i = e;
        if (fn(ctx, buf, len, h)) return LOUPE_ENOMEM;
        continue;
      }
    }
    cp = lp_utf8_decode((const unsigned char *)s, n, i, &m);
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
    if (fn(ctx, buf, len, hash_bytes(buf, len))) return LOUPE_ENOMEM;
  }
  return LOUPE_OK;
}

typedef struct {
  lp_vocab *v;
  lp_id_list *out;
} of_ctx;

static int of_word(void *p, const char *w, size_t len, uint32_t h) {
  of_ctx *c = p;
  size_t id;
  if (lp_vocab_id_h(c->v, w, len, h, &id) || lp_ids_push(c->out, id))
    return LOUPE_ENOMEM;
  return LOUPE_OK;
}

/* The words of s[0..n) as ids of v, appended to out. */
int lp_words_of(lp_vocab *v, const char *s, size_t n, lp_id_list *out) {
  of_ctx c;
  c.v = v;
  c.out = out;
  return lp_words_scan(s, n, of_word, &c);
}

int lp_rows_through(loupe_db *db, sqlite3_stmt *st, lp_text_fn fn, void *ctx,
                    const char *what) {
  int rc;
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
  return lp_db_error(db, rc, what);
}

int lp_sql_rows(loupe_db *db, const char *sql, lp_text_fn fn, void *ctx,
                const char *what) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, what);
  return lp_rows_through(db, st, fn, ctx, what);
}
