/*
 * phrases.h - what phrases.c (talking points) and phrase_text.c (the
 * texts read into segments of word hashes) share. Internal to the corpus
 * layer.
 */
#ifndef LOUPE_PHRASES_H
#define LOUPE_PHRASES_H

#include "corpus.h"

enum { LP_SEG_TEXT = 0, LP_SEG_EXCLUDED = 1 };

typedef struct {
  uint32_t *tok;          /* word hashes, all segments back to back */
  uint32_t *off;          /* byte offset of each word in its text */
  unsigned char *sent;    /* 1 where a word follows the end of a sentence */
  size_t ntok, cap;
  size_t *start;          /* segment s is tok[start[s], start[s + 1]) */
  uint32_t *doc;          /* the text each segment is from */
  unsigned char *kind;    /* LP_SEG_TEXT or LP_SEG_EXCLUDED */
  size_t nseg, scap;
  long long *cluster, *article;
  long long *quote;       /* the quote's id (one speaker's quotes) or 0 */
  /* speaker: the one speaker of a quote, or for a body the spans of its
   * quotes as "start,end,name" (bytes of the body), joined by \x1f */
  char **date, **outlet, **speaker;
  size_t ndoc, dcap;
} lp_tp_text;

/* A set of word hashes (the vocabulary compounds are checked against,
 * the function words). */
typedef struct {
  uint32_t *h;
  size_t mask, used;
} lp_word_set;

/* A letter or a digit: what words are made of. */
int lp_tp_is_word_cp(uint32_t cp);
/* Is h in the set s? */
int lp_tp_has(const lp_word_set *s, uint32_t h);
/* The function words (English and the commonest CJK particles) into s. */
int lp_tp_stop_words(lp_word_set *s);
/* One non-CJK word at s[i] into buf (cap bytes), its length in *len;
 * returns the index after it. */
size_t lp_tp_read_word(const char *s, size_t n, size_t i, char *buf,
                       size_t cap, size_t *len);
/* The texts of the talking points options o (article bodies, or one
 * speaker's quotes), ordered by cluster, into c. */
int lp_tp_load(loupe_db *db, const loupe_tp_options *o, lp_tp_text *c);
void lp_tp_free(lp_tp_text *c);
/* A cursor of sql, whose ?1 is bound to the JSON text json (copied): an
 * in-memory result read through json_each(). */
int lp_json_cursor(loupe_db *db, const char *sql, const lp_buf *json,
                   loupe_cursor **out);

#endif
