/*
 * phrases.c - talking points: word sequences that recur across separate
 * articles (counted by republication cluster, so copies of one story
 * count once), grown to their longest shared form, with the spelling
 * variants folded ("cyber attacks" / "cyberattacks", "U.S." / "US").
 *
 * Every text is read (phrase_text.c) into normalised word ids, in
 * segments that never cross a paragraph break, a speaker's label or a
 * URL; CJK runs one character per token. Reporters' question turns and
 * headlines are excluded segments: they never give a talking point, and
 * a phrase more common there than in the answers is a reporter's
 * formula, left out. Anchors (n-grams kept by winnowing) are counted by
 * distinct cluster; each anchor shared widely enough is grown left and
 * right while nine in ten of its clusters agree on the next word, trimmed
 * of function words at both ends, and kept only when enough of its
 * clusters use it outside the longer phrases already kept (so the
 * overlapping fragments of one sentence give one maximal phrase). The
 * result is an in-memory JSON array read through json_each().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "phrases.h"

typedef struct {
  uint64_t h;             /* n-gram hash, 0 = empty */
  uint32_t clusters;      /* distinct clusters seen in text segments */
  uint32_t xclusters;     /* ... in excluded ones (questions, headlines) */
  long long last, xlast;  /* last cluster seen (texts come cluster-sorted) */
} anchor;

/* ---- anchors and their occurrences ---- */

/* n-gram hash at position p (n words). */
static uint64_t gram(const uint32_t *tok, size_t p, int n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  int k;
  for (k = 0; k < n; k++) h = lp_mix64(h ^ tok[p + (size_t)k]);
  return h ? h : 1;
}

/* The n-gram hashes of segment s into *buf (grown as needed); *m is
 * their number. */
static int grams_of(const lp_tp_text *c, size_t s, int n, uint64_t **buf,
                    size_t *cap, size_t *m) {
  size_t p, st = c->start[s], en = c->start[s + 1];
  *m = 0;
  if (en - st < (size_t)n) return LOUPE_OK;
  *m = en - st - (size_t)n + 1;
  if (*m > *cap) {
    uint64_t *nb = realloc(*buf, *m * sizeof *nb);
    if (nb == NULL) return LOUPE_ENOMEM;
    *buf = nb;
    *cap = *m;
  }
  for (p = 0; p < *m; p++) (*buf)[p] = gram(c->tok, st + p, n);
  return LOUPE_OK;
}

/* Winnowing with windows of two: each pair of neighbouring n-grams keeps
 * its smaller hash, so any shared run of n+1 words holds an anchor that
 * every copy selects, while about two thirds of positions are kept. */
static int anchor_at(const uint64_t *g, size_t p, size_t m) {
  if (m == 1) return 1;
  if (p + 1 < m && g[p] < g[p + 1]) return 1;
  if (p > 0 && g[p] <= g[p - 1]) return 1;
  return 0;
}

static anchor *anchor_find(anchor *an, size_t amask, uint64_t g) {
  size_t k = (size_t)(g >> 3) & amask;
  while (an[k].h && an[k].h != g) k = (k + 1) & amask;
  return &an[k];
}

/* Count the distinct clusters of every anchor: winnowed ones in text
 * segments, every n-gram in excluded ones (so a reporter's formula is
 * seen there whatever the winnowing picks). */
static int count_anchors(const lp_tp_text *c, int n, anchor *an,
                         size_t amask, uint64_t **gb, size_t *gcap) {
  size_t s, p, m;
  for (s = 0; s < c->nseg; s++) {
    long long cl = c->cluster[c->doc[s]];
    int excl = c->kind[s] == LP_SEG_EXCLUDED;
    if (grams_of(c, s, n, gb, gcap, &m)) return LOUPE_ENOMEM;
    for (p = 0; p < m; p++) {
      anchor *a;
      if (!excl && !anchor_at(*gb, p, m)) continue;
      a = anchor_find(an, amask, (*gb)[p]);
      a->h = (*gb)[p];
      if (excl && (a->xclusters == 0 || a->xlast != cl)) {
        a->xlast = cl;
        a->xclusters++;
      } else if (!excl && (a->clusters == 0 || a->last != cl)) {
        a->last = cl;
        a->clusters++;
      }
    }
  }
  return LOUPE_OK;
}

typedef struct {
  uint64_t h;
  uint32_t text;          /* the segment */
  uint32_t pos;           /* the token index */
} occ;

static int cmp_occ(const void *x, const void *y) {
  const occ *a = x, *b = y;
  if (a->h != b->h) return LP_CMP(a->h, b->h);
  if (a->text != b->text) return LP_CMP(a->text, b->text);
  return LP_CMP(a->pos, b->pos);
}

/* The occurrences, in text segments, of the anchors shared by at least
 * minc clusters, sorted by anchor. */
static int collect_occ(const lp_tp_text *c, int n, anchor *an, size_t amask,
                       size_t minc, uint64_t **gb, size_t *gcap, occ **out,
                       size_t *nout) {
  size_t s, p, m, cap = 0;
  *out = NULL;
  *nout = 0;
  for (s = 0; s < c->nseg; s++) {
    if (c->kind[s] != LP_SEG_TEXT) continue;
    if (grams_of(c, s, n, gb, gcap, &m)) return LOUPE_ENOMEM;
    for (p = 0; p < m; p++) {
      if (!anchor_at(*gb, p, m)) continue;
      if (anchor_find(an, amask, (*gb)[p])->clusters < minc) continue;
      if (*nout == cap) {
        size_t ncap = cap ? cap * 2 : 4096;
        occ *no = realloc(*out, ncap * sizeof *no);
        if (no == NULL) return LOUPE_ENOMEM;
        *out = no;
        cap = ncap;
      }
      (*out)[*nout].h = (*gb)[p];
      (*out)[*nout].text = (uint32_t)s;
      (*out)[*nout].pos = (uint32_t)(c->start[s] + p);
      (*nout)++;
    }
  }
  if (*nout > 1) qsort(*out, *nout, sizeof **out, cmp_occ);
  return LOUPE_OK;
}

/* Distinct clusters among the active occurrences. */
static size_t clusters_of(const lp_tp_text *c, const occ *o,
                          const unsigned char *on, size_t n) {
  size_t i, d = 0;
  long long last = 0;
  int have = 0;
  for (i = 0; i < n; i++)            /* sorted by segment = by cluster */
    if (on[i]) {
      long long cl = c->cluster[c->doc[o[i].text]];
      if (!have || cl != last) d++;
      last = cl;
      have = 1;
    }
  return d;
}

/* The token step words from occurrence o (inside its segment), or 0. */
static uint32_t tok_at(const lp_tp_text *c, const occ *o, int step) {
  long long p = (long long)o->pos + step;
  if (p < (long long)c->start[o->text] || p >= (long long)c->start[o->text + 1])
    return 0;
  return c->tok[p];
}

/* The commonest token step words from the active occurrences (looking at
 * the first 64 candidates: bounded work per group), 0 when none. */
static uint32_t next_word(const lp_tp_text *c, const occ *o,
                          const unsigned char *on, size_t n, int step) {
  size_t i, j, best_n = 0, tried = 0;
  uint32_t best = 0;
  for (i = 0; i < n && tried < 64; i++) {
    size_t cnt = 0;
    uint32_t w;
    if (!on[i] || (w = tok_at(c, &o[i], step)) == 0) continue;
    tried++;
    for (j = 0; j < n; j++)
      if (on[j] && tok_at(c, &o[j], step) == w) cnt++;
    if (cnt > best_n) { best_n = cnt; best = w; }
  }
  return best;
}

/* Grow the phrase of one anchor group right, then left, while nine in
 * ten of the clusters that share it so far agree on the next word (and
 * four in five of the anchor's, and minc): the dissenters ("Minister
 * Wang's visit" against "Minister Wang Yi") leave the phrase's support.
 * keep is scratch of n bytes. */
static void grow(const lp_tp_text *c, const occ *o, unsigned char *on,
                 unsigned char *keep, size_t n, int len, size_t minc,
                 int *left, int *right) {
  size_t all = clusters_of(c, o, on, n);
  int dir;
  *left = 0;
  *right = len;
  for (dir = 1; dir >= -1; dir -= 2) {
    while (*right - *left < 200) {
      int step = dir > 0 ? *right : *left - 1;
      uint32_t w = next_word(c, o, on, n, step);
      size_t i, now, kept;
      if (w == 0) break;
      for (i = 0; i < n; i++) keep[i] = on[i] && tok_at(c, &o[i], step) == w;
      kept = clusters_of(c, o, keep, n);
      now = clusters_of(c, o, on, n);
      if (kept < minc || kept * 10 < now * 9 || kept * 5 < all * 4) break;
      memcpy(on, keep, n);
      if (dir > 0) (*right)++;
      else (*left)--;
    }
  }
}

/* ---- candidates: grown, trimmed, filtered, merged ---- */

typedef struct {
  size_t i, e;            /* the anchor group: oc[i, e) */
  int left, right;        /* the phrase: tokens [pos + left, pos + right) */
  size_t clusters;
} cand;

typedef struct {
  const lp_tp_text *c;
  const occ *oc;
  unsigned char *on;      /* per occurrence: supports its group's phrase */
  int n;                  /* anchor length */
  size_t minc;
  const lp_word_set *stops;
} cand_ctx;

/* Trim function words off both ends of the phrase at token p0. */
static void trim_stops(const cand_ctx *x, size_t p0, int *left, int *right) {
  const uint32_t *t = x->c->tok;
  while (*left < *right && lp_tp_has(x->stops, t[p0 + (size_t)*left]))
    (*left)++;
  while (*right > *left && lp_tp_has(x->stops, t[p0 + (size_t)*right - 1]))
    (*right)--;
}

/* Trim the phrase at token p0: an end of another sentence of one or two
 * words ("days. Details will be released"), then function words; 1 when
 * what is left is long enough (n - 1 words, at least 3) and mostly
 * content words. */
static int trim_phrase(const cand_ctx *x, size_t p0, int *left, int *right) {
  const unsigned char *sent = x->c->sent;
  int k, content = 0, min = x->n - 1 < 3 ? 3 : x->n - 1;
  trim_stops(x, p0, left, right);
  for (k = *left + 1; k < *right && k <= *left + 2; k++)
    if (sent[p0 + (size_t)k]) { *left = k; break; }
  for (k = *right - 1; k > *left && k >= *right - 2; k--)
    if (sent[p0 + (size_t)k]) { *right = k; break; }
  trim_stops(x, p0, left, right);
  if (*right - *left < min) return 0;
  for (k = *left; k < *right; k++)
    if (!lp_tp_has(x->stops, x->c->tok[p0 + (size_t)k])) content++;
  return content * 2 >= *right - *left;
}

/* The candidate of anchor group oc[i, e): grown, trimmed, not a
 * reporter's formula or a headline; 1 when it is one, in *cd. The same
 * phrase met from another anchor is dropped by merge_overlaps (its
 * occurrences are covered by the first). */
static int make_cand(const cand_ctx *x, anchor *an, size_t amask,
                     unsigned char *scratch, size_t i, size_t e, cand *cd) {
  size_t k, nocc = e - i;
  const anchor *a;
  size_t p0;
  memset(x->on + i, 1, nocc);
  grow(x->c, x->oc + i, x->on + i, scratch, nocc, x->n, x->minc,
       &cd->left, &cd->right);
  for (k = 0; k < nocc; k++) if (x->on[i + k]) break;
  if (k == nocc) return 0;
  p0 = x->oc[i + k].pos;
  if (!trim_phrase(x, p0, &cd->left, &cd->right)) return 0;
  cd->clusters = clusters_of(x->c, x->oc + i, x->on + i, nocc);
  a = anchor_find(an, amask, x->oc[i].h);
  /* more at home in questions and headlines than in what is said */
  if (a->xclusters * 2 > cd->clusters) return 0;
  cd->i = i;
  cd->e = e;
  return 1;
}

static int cmp_longest(const void *p, const void *q) {
  const cand *a = p, *b = q;
  int la = a->right - a->left, lb = b->right - b->left;
  if (la != lb) return lb - la;
  if (a->clusters != b->clusters) return LP_CMP(b->clusters, a->clusters);
  return LP_CMP(a->i, b->i);
}

static int cmp_widest(const void *p, const void *q) {
  const cand *a = p, *b = q;
  if (a->clusters != b->clusters) return LP_CMP(b->clusters, a->clusters);
  if (a->right - a->left != b->right - b->left)
    return (b->right - b->left) - (a->right - a->left);
  return LP_CMP(a->i, b->i);
}

/* Merge overlapping fragments into maximal phrases: longest first, a
 * candidate stays only when at least minc of its clusters use it outside
 * the phrases already kept (an occurrence whose words are mostly covered
 * is inside one). Returns the number kept, widest first. */
static size_t merge_overlaps(const cand_ctx *x, cand *cd, size_t nc,
                             unsigned char *cover, unsigned char *alone) {
  size_t j, k, kept = 0;
  if (nc > 1) qsort(cd, nc, sizeof *cd, cmp_longest);
  for (j = 0; j < nc; j++) {
    const cand *d = &cd[j];
    for (k = d->i; k < d->e; k++) {
      size_t p, p0 = x->oc[k].pos + (size_t)d->left, covered = 0;
      size_t p1 = x->oc[k].pos + (size_t)d->right;
      alone[k - d->i] = 0;
      if (!x->on[k]) continue;
      for (p = p0; p < p1; p++) covered += cover[p];
      alone[k - d->i] = covered * 2 <= p1 - p0;
    }
    if (clusters_of(x->c, x->oc + d->i, alone, d->e - d->i) < x->minc)
      continue;
    for (k = d->i; k < d->e; k++)
      if (x->on[k])
        memset(cover + x->oc[k].pos + d->left, 1,
               (size_t)(d->right - d->left));
    cd[kept++] = *d;
  }
  if (kept > 1) qsort(cd, kept, sizeof *cd, cmp_widest);
  return kept;
}

/* A map of 64-bit span hashes (open addressing, 0 = empty) to the kept
 * phrase they are of (its index). */
typedef struct {
  uint64_t *h;
  uint32_t *who;
  size_t mask;
} span_set;

static void span_put(span_set *s, uint64_t h, uint32_t who) {
  size_t k = (size_t)h & s->mask;
  while (s->h[k] && s->h[k] != h) k = (k + 1) & s->mask;
  if (s->h[k] == 0) s->who[k] = who;      /* the widest phrase stays */
  s->h[k] = h;
}

/* The index + 1 of the kept phrase span h is of, or 0. */
static uint32_t span_who(const span_set *s, uint64_t h) {
  size_t k = (size_t)h & s->mask;
  while (s->h[k]) {
    if (s->h[k] == h) return s->who[k] + 1;
    k = (k + 1) & s->mask;
  }
  return 0;
}

/* Hash of tokens t[a, b), tagged (0 whole phrase, 1 part, 2 prefix, 3
 * suffix). */
static uint64_t span_hash(const uint32_t *t, size_t a, size_t b, int tag) {
  uint64_t h = 0x51ED27 + (uint64_t)tag;
  size_t k;
  for (k = a; k < b; k++) h = lp_mix64(h ^ t[k]);
  return h ? h : 1;
}

#define MIN_FOLD 4          /* shortest shared part that folds phrases */
#define MIN_CHAIN 2         /* ... when the texts run on into each other */

/* A phrase that shares an end with a kept one: which (who + 1), how many
 * words (len) and whether the kept one runs on after it (after) or comes
 * before it. */
typedef struct {
  uint32_t who;
  size_t len;
  int after;
} chain;

/* Does phrase t[a, b) sit inside a phrase already in s, or hold one (by
 * MIN_FOLD words or more)? 1 if so; else 0, with *ch the longest end it
 * shares with a kept phrase (MIN_CHAIN words or more; who 0 when none). */
static int folds_into(const span_set *s, const uint32_t *t, size_t a,
                      size_t b, chain *ch) {
  size_t i, j;
  uint32_t w;
  memset(ch, 0, sizeof *ch);
  if (span_who(s, span_hash(t, a, b, 1))) return 1;
  for (i = a; i < b; i++)
    for (j = i + MIN_CHAIN; j <= b; j++) {
      if (j - i >= MIN_FOLD && span_who(s, span_hash(t, i, j, 0)))
        return 1;
      if (i == a && j < b && j - i > ch->len &&
          (w = span_who(s, span_hash(t, i, j, 3))) != 0) {
        ch->who = w;
        ch->len = j - i;
        ch->after = 0;
      }
      if (j == b && i > a && j - i > ch->len &&
          (w = span_who(s, span_hash(t, i, j, 2))) != 0) {
        ch->who = w;
        ch->len = j - i;
        ch->after = 1;
      }
    }
  return 0;
}

static void add_spans(span_set *s, const uint32_t *t, size_t a, size_t b,
                      uint32_t who) {
  size_t i, j;
  span_put(s, span_hash(t, a, b, 0), who);
  for (i = a; i < b; i++)
    for (j = i + MIN_CHAIN; j <= b; j++) {
      if (j - i >= MIN_FOLD) span_put(s, span_hash(t, i, j, 1), who);
      if (i == a) span_put(s, span_hash(t, i, j, 2), who);
      if (j == b) span_put(s, span_hash(t, i, j, 3), who);
    }
}

/* The first occurrence of candidate d that supports it (d->e if none). */
static size_t first_on(const cand_ctx *x, const cand *d) {
  size_t k;
  for (k = d->i; k < d->e && !x->on[k]; k++) {}
  return k;
}

/* Does phrase d run on into the kept phrase of ch (tokens ka[0, kn)) in
 * at least half of its clusters? Those uses are pieces of one longer
 * formula ("abide by the one-China principle" + "one-China principle and
 * the three joint communiques"), not a phrase of their own. */
static int runs_on(const cand_ctx *x, const cand *d, const chain *ch,
                   const uint32_t *ka, size_t kn, unsigned char *mark) {
  const lp_tp_text *c = x->c;
  size_t k, q, more = kn - ch->len;
  for (k = d->i; k < d->e; k++) {
    const occ *o = &x->oc[k];
    size_t st = c->start[o->text], en = c->start[o->text + 1];
    size_t q0 = o->pos + (size_t)d->left, q1 = o->pos + (size_t)d->right;
    int same = x->on[k];
    if (same && ch->after) {            /* d's end, then the rest of it */
      same = q1 + more <= en;
      for (q = 0; same && q < more; q++)
        same = c->tok[q1 + q] == ka[ch->len + q];
    } else if (same) {                  /* the start of it, then d */
      same = q0 >= st + more;
      for (q = 0; same && q < more; q++)
        same = c->tok[q0 - more + q] == ka[q];
    }
    mark[k - d->i] = (unsigned char)same;
  }
  return clusters_of(c, x->oc + d->i, mark, d->e - d->i) * 2 >= d->clusters;
}

/* Fold nested and chained phrases into the most widespread one: in
 * order (widest first), a phrase that sits inside one kept, holds one
 * ("vision of a community with a shared future" against "community with
 * a shared future"), continues one end to end by MIN_FOLD words or more,
 * or by fewer and runs on into it in at least half of its clusters, is
 * dropped. Returns the number kept. */
static int fold_nested(const cand_ctx *x, cand *cd, size_t nc,
                       unsigned char *mark, size_t *kept) {
  span_set s;
  size_t j, k, words = 0;
  for (j = 0; j < nc; j++) {
    size_t w = (size_t)(cd[j].right - cd[j].left);
    words += w * w;
  }
  for (s.mask = 1024; s.mask < words * 3 + 2; s.mask <<= 1) {}
  s.h = calloc(s.mask, sizeof *s.h);
  s.who = malloc(s.mask * sizeof *s.who);
  if (s.h == NULL || s.who == NULL) {
    free(s.h);
    free(s.who);
    return LOUPE_ENOMEM;
  }
  s.mask--;
  *kept = 0;
  for (j = 0; j < nc; j++) {
    const cand *d = &cd[j];
    const uint32_t *t = x->c->tok;
    size_t p0;
    chain ch;
    k = first_on(x, d);
    if (k == d->e) continue;
    p0 = x->oc[k].pos;
    if (folds_into(&s, t, p0 + (size_t)d->left, p0 + (size_t)d->right, &ch))
      continue;
    if (ch.len >= MIN_FOLD) continue;   /* a long shared end: one phrase */
    if (ch.who) {
      const cand *a = &cd[ch.who - 1];
      size_t pa = x->oc[first_on(x, a)].pos + (size_t)a->left;
      if (runs_on(x, d, &ch, t + pa, (size_t)(a->right - a->left), mark))
        continue;
    }
    add_spans(&s, t, p0 + (size_t)d->left, p0 + (size_t)d->right,
              (uint32_t)*kept);
    cd[(*kept)++] = *d;
  }
  free(s.h);
  free(s.who);
  return LOUPE_OK;
}

/* Every candidate phrase into *out (*nout of them), merged. Its marks
 * are one block: a byte per occurrence (make_cand's and the merge's
 * scratch), then a byte per token (the words already covered). */
static int find_candidates(const cand_ctx *x, size_t noc, anchor *an,
                           size_t amask, cand **out, size_t *nout) {
  unsigned char *marks = calloc(noc + x->c->ntok + 1, 1);
  cand *cd = malloc((noc ? noc : 1) * sizeof *cd);
  size_t i, nc = 0;
  int rc = LOUPE_ENOMEM;
  if (marks != NULL && cd != NULL) {
    for (i = 0; i < noc;) {
      size_t e = i + 1;
      while (e < noc && x->oc[e].h == x->oc[i].h) e++;
      if (make_cand(x, an, amask, marks, i, e, &cd[nc])) nc++;
      i = e;
    }
    nc = merge_overlaps(x, cd, nc, marks + noc, marks);
    rc = fold_nested(x, cd, nc, marks, nout);
  }
  free(marks);
  if (rc == LOUPE_OK) *out = cd;
  else free(cd);
  return rc;
}

/* ---- describing the points ---- */

#define MAX_LIST 32

/* A list of up to cap distinct strings, written as a JSON array. */
typedef struct {
  const char *seen[MAX_LIST];
  size_t n, cap;
  lp_buf b;
  size_t uses[MAX_LIST];           /* articles each was added from */
  long long last[MAX_LIST];        /* ... the last of them */
} str_list;

static void list_free(str_list *l) {
  size_t i;
  for (i = 0; i < l->n; i++) free((void *)l->seen[i]);
  lp_buf_free(&l->b);
}

/* Add s[0..len), from article art, unless it is there already (then
 * count art) or the list is full. */
static int list_add_from(str_list *l, const char *s, size_t len,
                         long long art) {
  size_t i;
  char *copy;
  for (i = 0; i < l->n; i++)
    if (strlen(l->seen[i]) == len && memcmp(l->seen[i], s, len) == 0) {
      if (l->last[i] != art) l->uses[i]++;
      l->last[i] = art;
      return LOUPE_OK;
    }
  if (l->n >= l->cap) return LOUPE_OK;
  copy = malloc(len + 1);
  if (copy == NULL) return LOUPE_ENOMEM;
  memcpy(copy, s, len);
  copy[len] = '\0';
  l->uses[l->n] = 1;
  l->last[l->n] = art;
  l->seen[l->n++] = copy;
  if (lp_buf_append(&l->b, l->n == 1 ? "[" : ",", 1)) return LOUPE_ENOMEM;
  return lp_json_string(&l->b, s, len);
}

static int list_add(str_list *l, const char *s, size_t len) {
  return list_add_from(l, s, len, 0);
}

/* How many of l were added from two articles or more (1 at least). */
static size_t list_repeated(const str_list *l) {
  size_t i, n = 0;
  for (i = 0; i < l->n; i++) n += l->uses[i] >= 2;
  return n ? n : 1;
}

static int list_json(lp_buf *out, const str_list *l) {
  if (l->n == 0) return lp_buf_append(out, "[]", 2);
  return lp_buf_append(out, l->b.p, l->b.len) || lp_buf_append(out, "]", 1)
    ? LOUPE_ENOMEM : LOUPE_OK;
}

/* The speaker of the words at byte off of a text: the quote's own
 * speaker (one speaker's quotes), or the speaker of the body's quote
 * whose span holds off; added to l. */
static int add_speaker_at(str_list *l, const lp_tp_text *c, uint32_t doc,
                          uint32_t off) {
  const char *sp = c->speaker[doc], *q;
  long long art = c->article[doc];
  if (sp == NULL) return LOUPE_OK;
  if (c->quote[doc]) return list_add_from(l, sp, strlen(sp), art);
  for (q = sp; *q; ) {
    const char *e = strchr(q, '\x1f'), *name;
    char *end;
    long long a = strtoll(q, &end, 10), b;
    if (e == NULL) e = q + strlen(q);
    if (*end == ',') {
      b = strtoll(end + 1, &end, 10);
      name = end + 1;
      if (*end == ',' && a <= (long long)off && (long long)off < b &&
          name < e)
        return list_add_from(l, name, (size_t)(e - name), art);
    }
    q = *e ? e + 1 : e;
  }
  return LOUPE_OK;
}

/* The end of t[a0..a1) without trailing characters that are not word
 * characters (punctuation, spaces, full-width marks). */
static size_t trim_tail(const char *t, size_t a0, size_t a1) {
  while (a1 > a0) {
    size_t s = a1 - 1, m;
    while (s > a0 && ((unsigned char)t[s] & 0xC0) == 0x80) s--;
    if (lp_tp_is_word_cp(lp_utf8_decode((const unsigned char *)t, a1, s, &m)))
      break;
    a1 = s;
  }
  return a1;
}

/* Add the phrase as printed, t[0..n), without the stray spaces some
 * pages put between CJK characters. */
static int add_printed(str_list *variants, const char *t, size_t n) {
  char buf[400];
  size_t i, k = 0;
  for (i = 0; i < n && k < sizeof buf; i++) {
    if (t[i] == ' ' && i > 0 && i + 1 < n && (unsigned char)t[i - 1] >= 0x80 &&
        (unsigned char)t[i + 1] >= 0xE3)
      continue;
    buf[k++] = t[i];
  }
  return list_add(variants, buf, k);
}

/* The end of the word (or CJK character) at t[i]. */
static size_t word_end(const char *t, size_t tl, size_t i) {
  char buf[64];
  size_t m, len;
  uint32_t cp;
  if (i >= tl) return tl;
  cp = lp_utf8_decode((const unsigned char *)t, tl, i, &m);
  if (lp_is_cjk(cp)) return i + m;
  return lp_tp_read_word(t, tl, i, buf, sizeof buf, &len);
}

/* The words of occurrence x of phrase d as printed, read from its text
 * with statement body; added to variants. */
static int add_variant(const lp_tp_text *c, sqlite3_stmt *body,
                       const occ *x, const cand *d, str_list *variants) {
  size_t p0 = (size_t)((long long)x->pos + d->left);
  size_t p1 = (size_t)((long long)x->pos + d->right);
  int rc = LOUPE_OK;
  uint32_t doc = c->doc[x->text];
  sqlite3_reset(body);
  sqlite3_bind_int64(body, 1, c->quote[doc] ? c->quote[doc]
                                            : c->article[doc]);
  if (sqlite3_step(body) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(body, 0);
    size_t tl = (size_t)sqlite3_column_bytes(body, 0);
    size_t a0 = c->off[p0];
    size_t a1 = p1 < c->start[x->text + 1] ? c->off[p1]
                                           : word_end(t, tl, c->off[p1 - 1]);
    if (t != NULL && a1 <= tl && a0 < a1) {
      a1 = trim_tail(t, a0, a1);
      if (a1 > a0 && a1 - a0 < 400) rc = add_printed(variants, t + a0, a1 - a0);
    }
  }
  sqlite3_reset(body);
  return rc;
}

typedef struct {
  char ys[64][5];
  int yc[64], ny;
  const char *first, *last;
  size_t arts;
} point_dates;

static void add_date(point_dates *pd, const char *d) {
  int y;
  if (d == NULL) return;
  if (!pd->first || strcmp(d, pd->first) < 0) pd->first = d;
  if (!pd->last || strcmp(d, pd->last) > 0) pd->last = d;
  for (y = 0; y < pd->ny; y++) if (memcmp(pd->ys[y], d, 4) == 0) break;
  if (y == pd->ny && pd->ny < 64) {
    memcpy(pd->ys[y], d, 4);
    pd->ys[y][4] = '\0';
    pd->yc[pd->ny++] = 0;
  }
  if (y < 64) pd->yc[y]++;
}

/* Append the JSON object of phrase d to out (a "," first unless it is the
 * first); nothing when it spans fewer than miny years or no variant could
 * be read. */
static int describe(const cand_ctx *x, sqlite3_stmt *body, const cand *d,
                    int miny, lp_buf *out) {
  const lp_tp_text *c = x->c;
  str_list vs, ss, os;
  point_dates pd;
  long long last_art = 0;
  char num[160];
  size_t k;
  int y, rc = LOUPE_ENOMEM;
  memset(&vs, 0, sizeof vs);
  memset(&ss, 0, sizeof ss);
  memset(&os, 0, sizeof os);
  vs.cap = 8;
  ss.cap = os.cap = MAX_LIST;
  memset(&pd, 0, sizeof pd);
  for (k = d->i; k < d->e; k++) {
    uint32_t doc = c->doc[x->oc[k].text];
    if (!x->on[k]) continue;
    if (c->article[doc] != last_art) pd.arts++;
    last_art = c->article[doc];
    add_date(&pd, c->date[doc]);
    if (c->outlet[doc] &&
        list_add(&os, c->outlet[doc], strlen(c->outlet[doc])))
      goto out;
    if (add_speaker_at(&ss, c, doc,
                       c->off[x->oc[k].pos + (size_t)d->left]))
      goto out;
    if (vs.n < 8 && add_variant(c, body, &x->oc[k], d, &vs)) goto out;
  }
  rc = LOUPE_OK;
  if (pd.ny < miny || vs.n == 0) goto out;
  rc = LOUPE_ENOMEM;
  if (lp_buf_append(out, out->len > 1 ? ",{\"text\":" : "{\"text\":", 
                    out->len > 1 ? 9 : 8) ||
      lp_json_string(out, vs.seen[0], strlen(vs.seen[0])))
    goto out;
  /* spread: years x outlets x speakers (each at least 1; a speaker who
   * said it in one article only is not counted: a misread label, a
   * guest) */
  snprintf(num, sizeof num, ",\"words\":%d,\"articles\":%zu,\"clusters\":%zu"
           ",\"spread\":%zu", d->right - d->left, pd.arts, d->clusters,
           (size_t)pd.ny * (os.n ? os.n : 1) * list_repeated(&ss));
  if (lp_buf_append(out, num, strlen(num)) ||
      lp_buf_append(out, ",\"first\":", 9) ||
      (pd.first ? lp_json_string(out, pd.first, strlen(pd.first))
                : lp_buf_append(out, "null", 4)) ||
      lp_buf_append(out, ",\"last\":", 8) ||
      (pd.last ? lp_json_string(out, pd.last, strlen(pd.last))
               : lp_buf_append(out, "null", 4)) ||
      lp_buf_append(out, ",\"years\":\"", 10))
    goto out;
  for (y = 0; y < pd.ny; y++) {
    snprintf(num, sizeof num, "%s%s:%d", y ? " " : "", pd.ys[y], pd.yc[y]);
    if (lp_buf_append(out, num, strlen(num))) goto out;
  }
  if (lp_buf_append(out, "\",\"speakers\":", 13) || list_json(out, &ss) ||
      lp_buf_append(out, ",\"outlets\":", 11) || list_json(out, &os) ||
      lp_buf_append(out, ",\"variants\":", 12) || list_json(out, &vs) ||
      lp_buf_append(out, "}", 1))
    goto out;
  rc = LOUPE_OK;
out:
  list_free(&vs);
  list_free(&ss);
  list_free(&os);
  return rc;
}

int lp_json_cursor(loupe_db *db, const char *sql, const lp_buf *json,
                   loupe_cursor **out) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "results");
  sqlite3_bind_text(st, 1, json->p, (int)json->len, SQLITE_TRANSIENT);
  return lp_cursor_new(db, st, &lp_sql_cursor, NULL, out);
}

/* Describe the kept candidates as a JSON array into json. */
static int describe_all(loupe_db *db, const loupe_tp_options *o,
                        const cand_ctx *x, const cand *cd, size_t nc,
                        lp_buf *json) {
  sqlite3_stmt *body = NULL;
  int miny = o->min_years > 0 ? o->min_years : 1;
  size_t j;
  int rc = sqlite3_prepare_v2(db->sql, o->speaker
    ? "SELECT text FROM quotes WHERE id = ?1"
    : "SELECT body FROM articles WHERE id = ?1", -1, &body, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "talking points");
  rc = lp_buf_append(json, "[", 1) ? LOUPE_ENOMEM : LOUPE_OK;
  for (j = 0; j < nc && rc == LOUPE_OK; j++)
    rc = describe(x, body, &cd[j], miny, json);
  if (rc == LOUPE_OK && lp_buf_append(json, "]", 1)) rc = LOUPE_ENOMEM;
  sqlite3_finalize(body);
  return rc;
}

int loupe_db_talking_points(loupe_db *db, const loupe_tp_options *o,
                            loupe_cursor **out) {
  lp_tp_text c;
  lp_word_set stops = {0};
  anchor *an = NULL;
  occ *oc = NULL;
  cand *cd = NULL;
  uint64_t *gb = NULL;
  unsigned char *on = NULL;
  lp_buf json = {0};
  size_t amask, noc = 0, nc = 0, gcap = 0;
  cand_ctx x;
  int rc, n = o->min_words > 2 ? o->min_words : 6;
  size_t minc = (size_t)(o->min_articles >= 1 ? o->min_articles : 3);

  *out = NULL;
  memset(&c, 0, sizeof c);
  rc = lp_tp_stop_words(&stops);
  if (rc == LOUPE_OK) rc = lp_tp_load(db, o, &c);
  if (rc) goto out;
  rc = LOUPE_ENOMEM;
  for (amask = 1024; amask < c.ntok * 3 / 2 + 2; amask <<= 1) {}
  an = calloc(amask, sizeof *an);
  if (an == NULL) goto out;
  amask--;
  if (count_anchors(&c, n, an, amask, &gb, &gcap) ||
      collect_occ(&c, n, an, amask, minc, &gb, &gcap, &oc, &noc))
    goto out;
  on = calloc(noc ? noc : 1, 1);
  if (on == NULL) goto out;
  x.c = &c;
  x.oc = oc;
  x.on = on;
  x.n = n;
  x.minc = minc;
  x.stops = &stops;
  if (find_candidates(&x, noc, an, amask, &cd, &nc)) goto out;
  rc = describe_all(db, o, &x, cd, nc, &json);
  if (rc == LOUPE_OK)
    rc = lp_json_cursor(db,
      "SELECT value->>'text' AS text, value->>'words' AS words,"
      " value->>'first' AS first, value->>'last' AS last,"
      " value->>'articles' AS articles, value->>'clusters' AS clusters,"
      " value->>'years' AS years, value->'speakers' AS speakers,"
      " value->'outlets' AS outlets, value->'variants' AS variants,"
      " value->>'spread' AS spread FROM json_each(?1)"
      " ORDER BY value->>'spread' DESC, CAST(key AS INTEGER)", &json, out);
out:
  if (rc == LOUPE_ENOMEM)
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  free(stops.h);
  free(an);
  free(oc);
  free(cd);
  free(gb);
  free(on);
  lp_buf_free(&json);
  lp_tp_free(&c);
  return rc;
}
