/*
 * vocab.h - the words of texts as stats.c (keyness, collocations, the
 * document-feature matrix) and totals.c (the corpus's word totals kept
 * by ingest) count them: a vocabulary of words with two counts each, and
 * a text read into word ids. Internal to the corpus layer.
 */
#ifndef LOUPE_VOCAB_H
#define LOUPE_VOCAB_H

#include <sqlite3.h>
#include "phrases.h"

/* Small, for the cache: a text's words are looked up one by one. */
typedef struct {
  uint32_t off, len;
  long long a, b;          /* two counts: target and reference (stats.c),
                              or a pending change (totals.c) */
} lp_feature;

typedef struct {
  uint32_t h, idx;         /* the word's hash (checked first), index + 1 */
} lp_vslot;

typedef struct lp_vocab {
  lp_feature *f;
  size_t n, cap;
  lp_vslot *slot;          /* open addressing; idx 0 = empty */
  size_t mask;
  lp_buf words;            /* the words, back to back */
} lp_vocab;

/* Word ids, in the order of a text. */
typedef struct {
  size_t *id;
  size_t n, cap;
} lp_id_list;

void lp_vocab_free(lp_vocab *v);
/* The hash lp_words_scan gives a word (FNV-1a of its bytes, 0 as 1). */
uint32_t lp_vocab_hash(const char *w, size_t len);
/* The id of word w[0..len) in *id (added with zero counts when new). */
int lp_vocab_id(lp_vocab *v, const char *w, size_t len, size_t *id);
/* lp_vocab_id for a word whose hash (FNV-1a of its bytes, 0 as 1; what
 * lp_words_scan gives) is h. */
int lp_vocab_id_h(lp_vocab *v, const char *w, size_t len, uint32_t h,
                  size_t *id);
/* The id of w when v has it: 1 and *id, else 0. */
int lp_vocab_find(const lp_vocab *v, const char *w, size_t len, size_t *id);
/* The array p of *cap elements of size bytes with room for element n:
 * p itself, or p reallocated to twice its capacity (4096 at first) when
 * full, or NULL out of memory (p is then still the caller's). */
void *lp_vgrow(void *p, size_t *cap, size_t n, size_t size);
int lp_ids_push(lp_id_list *l, size_t id);
/* What is done with one word w[0..len) of hash h: LOUPE_OK, or an error
 * that ends the scan. */
typedef int (*lp_word_fn)(void *ctx, const char *w, size_t len, uint32_t h);
/* Each word of s[0..n) through fn, in order (the words lp_words_of
 * reads). */
int lp_words_scan(const char *s, size_t n, lp_word_fn fn, void *ctx);
/* The words of s[0..n) as ids of v, appended to out: letters and digits
 * as talking points read them (phrase_text.c), ASCII lower-cased, a CJK
 * character one word. */
int lp_words_of(lp_vocab *v, const char *s, size_t n, lp_id_list *out);

/* What is done with one row's number and text (id, s[0..n)): LOUPE_OK
 * or an error. */
typedef int (*lp_text_fn)(void *ctx, long long id, const char *s, size_t n);
/* The rows (number, text) of st through fn, a NULL text skipped; st is
 * finalized. LOUPE_OK, LOUPE_ENOMEM when fn fails, or SQLite's error
 * told as what failed. */
int lp_rows_through(loupe_db *db, sqlite3_stmt *st, lp_text_fn fn, void *ctx,
                    const char *what);
/* lp_rows_through over the rows of the query sql (no parameters). */
int lp_sql_rows(loupe_db *db, const char *sql, lp_text_fn fn, void *ctx,
                const char *what);

/* The word totals the corpus keeps (totals.c) into v: each word's as
 * its feature's a (side 0) or b (side 1). *ok is 0 when the corpus keeps
 * none, or changes of this connection's transaction are not written. */
int lp_totals_load(loupe_db *db, lp_vocab *v, int side, int *ok);

#endif
