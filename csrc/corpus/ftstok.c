/*
 * ftstok.c - the full-text tokenizing of an ingest, done by the workers
 * that parse ahead instead of the thread that stores.
 *
 * Inserting a row into articles_fts runs SQLite's unicode61 tokenizer
 * over the title and body on the storing thread, the one thread an
 * ingest cannot share. A worker runs the same built-in tokenizer, with
 * the same arguments, on the article it has just parsed and keeps the
 * tokens. loupe's own connection registers a tokenizer under the name
 * "unicode61" that wraps the built-in one: while the storing thread
 * inserts an article whose tokens were computed ahead, it hands FTS5
 * those tokens; for anything else (queries, deletes, other text) it
 * calls the built-in tokenizer. The file still declares 'unicode61
 * remove_diacritics 2' and every other program reads it with SQLite's
 * own tokenizer, which produced the tokens in the first place.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

/* The arguments articles_fts is declared with (store.c's schema): tokens
 * are replayed only for a table declared with exactly these. */
static const char *const tok_args[] = {"remove_diacritics", "2"};
#define N_TOK_ARGS 2

/* The built-in tokenizer for the workers, found once per process through
 * a private in-memory connection that stays open (the tokenizer's
 * functions need no connection, but its user data belongs to one). */
static struct {
  int ok;
  fts5_tokenizer fn;
  void *ud;
  sqlite3 *keep;
} builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static fts5_api *fts5_of(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  return api;
}

static void builtin_find(void) {
  sqlite3 *db = NULL;
  fts5_api *api;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
                      SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  api = fts5_of(db);
  if (api == NULL ||
      api->xFindTokenizer(api, "unicode61", &builtin.ud, &builtin.fn) !=
          SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  builtin.keep = db;
  builtin.ok = 1;
}

void *lp_ftok_new(void) {
  Fts5Tokenizer *t = NULL;
  pthread_once(&builtin_once, builtin_find);
  if (!builtin.ok ||
      builtin.fn.xCreate(builtin.ud, (const char **)tok_args, N_TOK_ARGS,
                         &t) != SQLITE_OK)
    return NULL;
  return t;
}

void lp_ftok_free(void *tokenizer) {
  if (tokenizer) builtin.fn.xDelete((Fts5Tokenizer *)tokenizer);
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
  const char *text[2];
  size_t len[2];
  int c;
  memset(k, 0, sizeof *k);
  if (tokenizer == NULL) return LOUPE_EINVAL;
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
        builtin.fn.xTokenize((Fts5Tokenizer *)tokenizer, k,
                             FTS5_TOKENIZE_DOCUMENT, text[c], (int)len[c],
                             keep_token) != SQLITE_OK) {
      lp_ftoks_free(k);
      return LOUPE_ENOMEM;
    }
  }
  k->first[2] = k->ntok;
  k->ready = 1;
  return LOUPE_OK;
}

/* ---- the wrapper registered on loupe's connections ---- */

typedef struct {
  Fts5Tokenizer *inner;        /* the built-in, for everything else */
  fts5_tokenizer fn;           /* its functions */
  const lp_ftoks *const *ahead;  /* the storing thread's current tokens */
  int replay;                  /* declared with tok_args */
} wrapper;

typedef struct {
  fts5_tokenizer fn;           /* the connection's own built-in unicode61 */
  void *ud;
  const lp_ftoks *const *ahead;
} wrap_ctx;

static int wrap_create(void *ctx, const char **argv, int argc,
                       Fts5Tokenizer **out) {
  wrap_ctx *wc = ctx;
  wrapper *w = calloc(1, sizeof *w);
  int rc, i;
  *out = NULL;
  if (w == NULL) return SQLITE_NOMEM;
  rc = wc->fn.xCreate(wc->ud, argv, argc, &w->inner);
  if (rc != SQLITE_OK) {
    free(w);
    return rc;
  }
  w->fn = wc->fn;
  w->ahead = wc->ahead;
  w->replay = argc == N_TOK_ARGS;
  for (i = 0; i < argc && w->replay; i++)
    w->replay = strcmp(argv[i], tok_args[i]) == 0;
  *out = (Fts5Tokenizer *)w;
  return SQLITE_OK;
}

static void wrap_delete(Fts5Tokenizer *t) {
  wrapper *w = (wrapper *)t;
  if (w == NULL) return;
  w->fn.xDelete(w->inner);
  free(w);
}

static int wrap_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
                         const char *text, int n,
                         int (*tok)(void *, int, const char *, int, int,
                                    int)) {
  wrapper *w = (wrapper *)t;
  const lp_ftoks *k = w->replay ? *w->ahead : NULL;
  if (k && k->ready && flags == FTS5_TOKENIZE_DOCUMENT && n >= 0) {
    int c;
    for (c = 0; c < 2; c++) {
      size_t i;
      if (k->text[c] == NULL || k->len[c] != (size_t)n ||
          (text != k->text[c] && memcmp(text, k->text[c], (size_t)n) != 0))
        continue;
      for (i = k->first[c]; i < k->first[c + 1]; i++) {
        const lp_ftok *x = &k->tok[i];
        int rc = tok(ctx, x->tflags, k->chars + x->off, (int)x->len,
                     x->start, x->end);
        if (rc != SQLITE_OK) return rc == SQLITE_DONE ? SQLITE_OK : rc;
      }
      return SQLITE_OK;
    }
  }
  return w->fn.xTokenize(w->inner, ctx, flags, text, n, tok);
}

int lp_ftok_register(sqlite3 *db, const lp_ftoks *const *ahead) {
  static fts5_tokenizer wrap_fn = {wrap_create, wrap_delete, wrap_tokenize};
  fts5_api *api = fts5_of(db);
  wrap_ctx *wc;
  int rc;
  if (api == NULL) return LOUPE_OK;        /* no FTS5: nothing to wrap */
  wc = calloc(1, sizeof *wc);
  if (wc == NULL) return LOUPE_ENOMEM;
  if (api->xFindTokenizer(api, "unicode61", &wc->ud, &wc->fn) != SQLITE_OK) {
    free(wc);
    return LOUPE_OK;
  }
  wc->ahead = ahead;
  rc = api->xCreateTokenizer(api, "unicode61", wc, &wrap_fn, free);
  if (rc != SQLITE_OK) {
    free(wc);
    return LOUPE_EDB;
  }
  return LOUPE_OK;
}
