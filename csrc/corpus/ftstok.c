/*
 * ftstok.c - the full-text tokenizing of an ingest, done by the workers
 * that parse ahead instead of the thread that stores.
 *
 * Inserting a row into articles_fts runs loupe's tokenizer (tokenizer.c:
 * unicode61 with CJK characters) over the title and body on the storing
 * thread, the one thread an ingest cannot share. A worker runs the same
 * tokenizer (lp_tok_split over the built-in unicode61 with the same
 * arguments) on the article it has just parsed and keeps the tokens.
 * While the storing thread inserts an article whose tokens were computed
 * ahead, the tokenizer on its connection replays them (stems, when the
 * corpus has them, are added there); for anything else (queries,
 * deletes, other text) it tokenizes itself.
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"
#include "tokenizer.h"

/* The arguments articles_fts is declared with (store.c's schema): tokens
 * are replayed only for a table declared with exactly these. */
static const char *const tok_args[] = {"remove_diacritics", "2"};
#define N_TOK_ARGS 2

/* A worker's tokenizer: the built-in unicode61 with tok_args, and the
 * private in-memory connection it was found through (its user data
 * belongs to that connection). Each worker owns one; lp_ftok_free
 * deletes the instance, then closes the connection. */
typedef struct {
  sqlite3 *db;
  fts5_tokenizer fn;
  Fts5Tokenizer *inst;
} ftok;

fts5_api *lp_fts5_api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

void *lp_ftok_new(void) {
  ftok *t = calloc(1, sizeof *t);
  fts5_api *api;
  void *ud = NULL;
  if (t == NULL) return NULL;
  if (sqlite3_open_v2(":memory:", &t->db, SQLITE_OPEN_READWRITE |
                      SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    goto fail;
  api = lp_fts5_api(t->db);
  if (api == NULL ||
      api->xFindTokenizer(api, "unicode61", &ud, &t->fn) != SQLITE_OK ||
      t->fn.xCreate(ud, (const char **)tok_args, N_TOK_ARGS, &t->inst) !=
          SQLITE_OK)
    goto fail;
  return t;
fail:
  lp_ftok_free(t);
  return NULL;
}

void lp_ftok_free(void *tokenizer) {
  ftok *t = tokenizer;
  if (t == NULL) return;
  if (t->inst) t->fn.xDelete(t->inst);
  sqlite3_close(t->db);             /* NULL or open: both fine */
  free(t);
}

void lp_ftoks_free(lp_ftoks *k) {
  free(k->tok);
  free(k->chars);
  memset(k, 0, sizeof *k);
}

size_t lp_ftoks_bytes(const lp_ftoks *k) {
  return k->cap * sizeof *k->tok + k->ccap;
}

/* One token from the built-in tokenizer, kept. */
static int keep_token(void *ctx, int tflags, const char *tok, int n,
                      int start, int end) {
  lp_ftoks *k = ctx;
  lp_ftok *t;
  if (n < 0 || start < 0 || end < start) return SQLITE_ERROR;
  if (k->ntok == k->cap) {
    size_t cap = k->cap ? 2 * k->cap : 256;
    lp_ftok *p = realloc(k->tok, cap * sizeof *p);
    if (p == NULL) return SQLITE_NOMEM;
    k->tok = p;
    k->cap = cap;
  }
  if (k->nchars + (size_t)n > k->ccap) {
    size_t cap = k->ccap ? 2 * k->ccap : 2048;
    char *p;
    while (cap < k->nchars + (size_t)n) cap *= 2;
    p = realloc(k->chars, cap);
    if (p == NULL) return SQLITE_NOMEM;
    k->chars = p;
    k->ccap = cap;
  }
  t = &k->tok[k->ntok++];
  t->off = k->nchars;
  t->len = (uint32_t)n;
  t->start = start;
  t->end = end;
  t->tflags = tflags;
  memcpy(k->chars + k->nchars, tok, (size_t)n);
  k->nchars += (size_t)n;
  return SQLITE_OK;
}

int lp_ftoks_make(void *tokenizer, const char *title, size_t tlen,
                  const char *body, size_t blen, lp_ftoks *k) {
  const ftok *t = tokenizer;
  const char *text[2];
  size_t len[2];
  int c;
  memset(k, 0, sizeof *k);
  if (t == NULL) return LOUPE_EINVAL;
  text[0] = title;
  len[0] = title ? tlen : 0;
  text[1] = body;
  len[1] = body ? blen : 0;
  for (c = 0; c < 2; c++) {
    k->text[c] = text[c];
    k->len[c] = len[c];
    k->first[c] = k->ntok;
    if (text[c] == NULL || len[c] == 0) continue;
    if (len[c] > 0x7FFFFFFF ||
        lp_tok_split(&t->fn, t->inst, FTS5_TOKENIZE_DOCUMENT, text[c],
                     (int)len[c], k, keep_token) != SQLITE_OK) {
      lp_ftoks_free(k);
      return LOUPE_ENOMEM;
    }
  }
  k->first[2] = k->ntok;
  k->ready = 1;
  return LOUPE_OK;
}

int lp_ftoks_replay(const lp_ftoks *k, const char *text, int n, void *ctx,
                    lp_tok_cb cb, int *rc) {
  int c;
  if (k == NULL || !k->ready || n < 0) return 0;
  for (c = 0; c < 2; c++) {
    size_t i;
    if (k->text[c] == NULL || k->len[c] != (size_t)n ||
        (text != k->text[c] && memcmp(text, k->text[c], (size_t)n) != 0))
      continue;
    *rc = SQLITE_OK;
    for (i = k->first[c]; i < k->first[c + 1]; i++) {
      const lp_ftok *x = &k->tok[i];
      int r = cb(ctx, x->tflags, k->chars + x->off, (int)x->len, x->start,
                 x->end);
      if (r != SQLITE_OK) {
        if (r != SQLITE_DONE) *rc = r;
        break;
      }
    }
    return 1;
  }
  return 0;
}
