/*
 * tokenizer.h - the full-text tokenizer's parts shared by tokenizer.c
 * (the tokenizer on loupe's connections), ftstok.c (the same tokens
 * computed ahead by the ingest's workers) and stem.c.
 */
#ifndef LOUPE_TOKENIZER_H
#define LOUPE_TOKENIZER_H

#include <sqlite3.h>
#include "corpus.h"

/* An FTS5 token callback. */
typedef int (*lp_tok_cb)(void *ctx, int tflags, const char *tok, int n,
                         int start, int end);

/* The FTS5 API of a connection, NULL when SQLite has no FTS5. */
fts5_api *lp_fts5_api(sqlite3 *db);

/* Tokenize text[0..n) as loupe's tokenizer does before stemming: CJK runs
 * as character bigrams (tokenizer.c explains), the rest through inner
 * (a unicode61 instance made by fn). flags are FTS5_TOKENIZE_*. */
int lp_tok_split(const fts5_tokenizer *fn, Fts5Tokenizer *inner, int flags,
                 const char *text, int n, void *ctx, lp_tok_cb cb);

/* When k holds the tokens of text[0..n) (a title or body computed
 * ahead), hand them to cb, set *rc and return 1; else 0. */
int lp_ftoks_replay(const lp_ftoks *k, const char *text, int n, void *ctx,
                    lp_tok_cb cb, int *rc);

/* The English (Porter2) stem of the lowercase ASCII word w[0..n),
 * n < LP_STEM_MAX, written to out (at most n bytes); its length. */
#define LP_STEM_MAX 64
size_t lp_stem_en(const char *w, size_t n, char *out);

#endif
