/*
 * dedupe.c - repeated text on one page: a teaser that repeats the lead, a
 * body printed twice, one copy glued into a single line. Body lines are cut
 * into word 3-shingles; lines sharing most of their shingles are one
 * paragraph, kept once, in its fuller form, at the position of the first.
 */
#include <stdlib.h>
#include <string.h>
#include "extract.h"

typedef struct {
  uint32_t h;
  uint32_t line;   /* index into the body-line list */
} shingle;

/* Two body lines (a < b) and the shingles they share, kept when that is
 * at least 60% of the smaller line's (what either use of a pair needs). */
typedef struct {
  uint32_t a, b, count;
} line_pair;

/* Lines sharing one shingle: entries sh[start .. start + n), one per
 * line, in line order (only shingles of two or more lines). */
typedef struct {
  uint32_t start, n;
} sh_group;

/* Stable LSD radix sort of n shingles by hash, 11, 11 and 10 bits a
 * pass; tmp has room for n. Returns the array holding the result (tmp:
 * three passes). */
static shingle *radix_sort(shingle *a, shingle *tmp, size_t n) {
  static const unsigned shift[3] = {0, 11, 22}, bits[3] = {11, 11, 10};
  int pass;
  for (pass = 0; pass < 3; pass++) {
    size_t count[2049], i;
    uint32_t mask = (1u << bits[pass]) - 1;
    shingle *src = pass % 2 == 0 ? a : tmp, *dst = pass % 2 == 0 ? tmp : a;
    memset(count, 0, sizeof count);
    for (i = 0; i < n; i++) count[((src[i].h >> shift[pass]) & mask) + 1]++;
    for (i = 1; i <= mask + 1; i++) count[i] += count[i - 1];
    for (i = 0; i < n; i++)
      dst[count[(src[i].h >> shift[pass]) & mask]++] = src[i];
  }
  return tmp;
}

/* Below this many shingles they are sorted by comparison, on hash and
 * line: the same order as the stable radix sort's, since the shingles
 * come in line order and two of one hash and line are alike. */
#define SMALL_SORT 1024

static int cmp_shingle(const void *pa, const void *pb) {
  const shingle *a = pa, *b = pb;
  if (a->h != b->h) return a->h < b->h ? -1 : 1;
  return a->line < b->line ? -1 : a->line > b->line;
}

/* Swap the text of two lines so the fuller copy sits at the first one's
 * place; provenance follows the text. */
static void swap_text(lp_line *a, lp_line *b) {
  lp_line tmp = *a;
  a->start = b->start; a->len = b->len;
  a->src_offset = b->src_offset; a->src_end = b->src_end;
  a->src_line = b->src_line; a->n_src = b->n_src;
  a->nchars = b->nchars; a->nwords = b->nwords; a->hash = b->hash;
  b->start = tmp.start; b->len = tmp.len;
  b->src_offset = tmp.src_offset; b->src_end = tmp.src_end;
  b->src_line = tmp.src_line; b->n_src = tmp.n_src;
  b->nchars = tmp.nchars; b->nwords = tmp.nwords; b->hash = tmp.hash;
}

#define MAX_GROUP 32

/* Root of x in the union-find forest p, halving paths on the way. */
static uint32_t find_root(uint32_t *p, uint32_t x) {
  while (p[x] != x) {
    p[x] = p[p[x]];
    x = p[x];
  }
  return x;
}

/* Does the line open with a quotation mark (straight, curly, guillemet)? */
static int opens_quote(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  if (l->len == 0) return 0;
  if (s[0] == '"' || s[0] == '\'') return 1;
  if (l->len >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
      (s[2] == 0x9C || s[2] == 0x98 || s[2] == 0x9E))
    return 1;
  if (l->len >= 2 && s[0] == 0xC2 && s[1] == 0xAB) return 1;
  return 0;
}

/*
 * Count, for every pair of lines, the shingles they share, and keep the
 * pairs worth a look (*out, *nout; malloc'd): those sharing at least 60%
 * of the smaller line's shingles. A pair is counted from its smaller line
 * x (by shingles; the lower index on a tie): the partners of x in each of
 * its groups add to a count per partner line (a dense array, reset through
 * the list of lines touched). A line whose shingles are shared in fewer
 * than 60% of cases cannot be the smaller line of such a pair and is
 * skipped: in ordinary prose most lines are. A group of more than
 * MAX_GROUP lines (one text repeated many times) pairs its first line
 * with each other line only, keeping the cost linear.
 * LOUPE_OK or LOUPE_ENOMEM.
 */
static int count_pairs(const shingle *sh, const sh_group *grp, size_t ngrp,
                       const uint32_t *nsh, size_t nb, line_pair **out,
                       size_t *nout) {
  uint32_t *cnt = NULL, *touched = NULL, *lstart = NULL, *lgrp = NULL;
  line_pair *pairs = NULL;
  size_t k, x, e, npairs = 0, cap = 0, total = 0;
  int rc = LOUPE_ENOMEM;
  *out = NULL;
  *nout = 0;
  for (k = 0; k < ngrp; k++) total += grp[k].n;
  cnt = calloc(nb, sizeof *cnt);
  touched = malloc(nb * sizeof *touched);
  lstart = calloc(nb + 1, sizeof *lstart);
  lgrp = malloc((total ? total : 1) * sizeof *lgrp);
  if (!cnt || !touched || !lstart || !lgrp) goto out;
  /* the groups of each line (CSR: lgrp[lstart[x] .. lstart[x + 1])) */
  for (k = 0; k < ngrp; k++)
    for (e = grp[k].start; e < grp[k].start + grp[k].n; e++)
      lstart[sh[e].line + 1]++;
  for (x = 0; x < nb; x++) lstart[x + 1] += lstart[x];
  for (k = 0; k < ngrp; k++)
    for (e = grp[k].start; e < grp[k].start + grp[k].n; e++)
      lgrp[cnt[sh[e].line]++ + lstart[sh[e].line]] = (uint32_t)k;
  memset(cnt, 0, nb * sizeof *cnt);
  for (x = 0; x < nb; x++) {
    size_t nt = 0, j;
    /* x shares at most as many shingles as it has groups */
    if ((uint64_t)(lstart[x + 1] - lstart[x]) * 10 < (uint64_t)nsh[x] * 6)
      continue;
    for (j = lstart[x]; j < lstart[x + 1]; j++) {
      const sh_group *g = &grp[lgrp[j]];
      uint32_t first = sh[g->start].line;
      size_t lo = g->start, hi = g->start + g->n;
      if (g->n > MAX_GROUP && x != first) {
        lo = g->start;                   /* the first line only */
        hi = lo + 1;
      }
      for (e = lo; e < hi; e++) {
        uint32_t y = sh[e].line;
        if (y == x) continue;
        if (cnt[y]++ == 0) touched[nt++] = y;
      }
    }
    for (j = 0; j < nt; j++) {
      uint32_t y = touched[j], c = cnt[y];
      cnt[y] = 0;
      /* from the smaller line only; then the threshold is x's */
      if (nsh[y] < nsh[x] || (nsh[y] == nsh[x] && y < x)) continue;
      if ((uint64_t)c * 10 < (uint64_t)nsh[x] * 6) continue;
      if (npairs == cap) {
        size_t nc = cap ? cap * 2 : 64;
        line_pair *np = realloc(pairs, nc * sizeof *np);
        if (np == NULL) goto out;
        pairs = np;
        cap = nc;
      }
      pairs[npairs].a = x < y ? (uint32_t)x : y;
      pairs[npairs].b = x < y ? y : (uint32_t)x;
      pairs[npairs].count = c;
      npairs++;
    }
  }
  *out = pairs;
  *nout = npairs;
  pairs = NULL;
  rc = LOUPE_OK;
out:
  free(cnt);
  free(touched);
  free(lstart);
  free(lgrp);
  free(pairs);
  return rc;
}

/* What lp_dedupe works on: the body lines (idx[] into t->lines), their
 * shingles by hash, the groups of lines sharing one, and per line its
 * shingle count, how many of them others share, and whether it is gone. */
typedef struct {
  lp_text *t;
  size_t nb, ns, ngrp, np, total, wcap;
  uint32_t *idx, *nsh, *covered, *wbuf, *parts;
  shingle *sh;
  sh_group *grp;
  line_pair *pairs;
  unsigned char *dead;
} dd_state;

static void dd_free(dd_state *d) {
  free(d->idx);
  free(d->nsh);
  free(d->covered);
  free(d->dead);
  free(d->sh);
  free(d->wbuf);
  free(d->pairs);
  free(d->grp);
  free(d->parts);
}

/* Count the body lines and their words; allocate. LOUPE_OK (nb < 2:
 * nothing to do) or LOUPE_ENOMEM. */
static int dd_alloc(dd_state *d) {
  size_t i;
  for (i = 0; i < d->t->n_lines; i++)
    if (d->t->lines[i].label == LOUPE_LINE_BODY) {
      d->nb++;
      d->total += d->t->lines[i].nwords + 1;
      if (d->t->lines[i].nwords + 1 > d->wcap)
        d->wcap = d->t->lines[i].nwords + 1;
    }
  if (d->nb < 2) return LOUPE_OK;
  d->idx = malloc(d->nb * sizeof *d->idx);
  d->nsh = calloc(d->nb, sizeof *d->nsh);
  d->covered = calloc(d->nb, sizeof *d->covered);
  d->dead = calloc(d->nb, 1);
  d->sh = malloc(d->total * sizeof *d->sh);
  d->wbuf = malloc((d->wcap + 4) * sizeof *d->wbuf);
  d->parts = calloc(d->nb, sizeof *d->parts);
  if (!d->idx || !d->nsh || !d->covered || !d->dead || !d->sh || !d->wbuf ||
      !d->parts)
    return LOUPE_ENOMEM;
  return LOUPE_OK;
}

/* Every body line's word 3-shingles (a line of fewer than 3 words is one
 * shingle of its normalised text), in line order. */
static void dd_shingles(dd_state *d) {
  lp_text *t = d->t;
  size_t i, nb = 0, ns = 0;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    size_t nw, k;
    uint32_t *w = d->wbuf;
    if (l->label != LOUPE_LINE_BODY) continue;
    nw = lp_word_hashes(LP_LINE_PTR(t, l), l->len, w, d->wcap + 4);
    if (nw > d->wcap + 4) nw = d->wcap + 4;
    if (nw < 3) {
      d->sh[ns].h = lp_norm_hash(LP_LINE_PTR(t, l), l->len);
      d->sh[ns++].line = (uint32_t)nb;
      d->nsh[nb] = 1;
    } else {
      for (k = 0; k + 2 < nw; k++) {
        d->sh[ns].h = lp_mix32(w[k] * 31u + lp_mix32(w[k + 1] * 17u + w[k + 2]));
        d->sh[ns++].line = (uint32_t)nb;
      }
      d->nsh[nb] = (uint32_t)(nw - 2);
    }
    d->idx[nb++] = (uint32_t)i;
  }
  d->ns = ns;
}

/* Drop, before the sort, the shingles whose hash surely occurs once: a
 * shingle of one place makes no group. Two bitmaps of at least four bits
 * a shingle, by the hash's low bits: seen once, seen again. What is kept
 * (every repeated hash and the few that share bits with another) stays in
 * line order, so the groups come out as from the whole array. LOUPE_OK or
 * LOUPE_ENOMEM. */
static int dd_keep_repeats(dd_state *d) {
  size_t bits = 1024, i, k = 0;
  uint64_t *once, *again;
  uint32_t mask;
  while (bits < d->ns * 4 && bits < ((size_t)1 << 32)) bits *= 2;
  once = calloc(bits / 32, sizeof *once);    /* both maps in one block */
  if (once == NULL) return LOUPE_ENOMEM;
  again = once + bits / 64;
  mask = (uint32_t)(bits - 1);
  for (i = 0; i < d->ns; i++) {
    uint32_t b = d->sh[i].h & mask;
    uint64_t bit = (uint64_t)1 << (b & 63);
    if (once[b >> 6] & bit) again[b >> 6] |= bit;
    else once[b >> 6] |= bit;
  }
  for (i = 0; i < d->ns; i++) {
    uint32_t b = d->sh[i].h & mask;
    if (again[b >> 6] & ((uint64_t)1 << (b & 63))) d->sh[k++] = d->sh[i];
  }
  d->ns = k;
  free(once);
  return LOUPE_OK;
}

/* Sort the shingles by hash (stable: each hash's lines stay in line
 * order) and gather the groups of lines sharing a shingle, repeats of one
 * shingle inside one line dropped. LOUPE_OK or LOUPE_ENOMEM. */
static int dd_groups(dd_state *d) {
  shingle *sh, *tmp;
  size_t g;
  if (dd_keep_repeats(d) != LOUPE_OK) return LOUPE_ENOMEM;
  tmp = malloc((d->ns ? d->ns : 1) * sizeof *tmp);
  if (tmp == NULL) return LOUPE_ENOMEM;
  if (d->ns < SMALL_SORT) {
    /* few shingles: the radix sort's three passes over 2048 counters
     * would cost more than the sort itself */
    qsort(d->sh, d->ns, sizeof *d->sh, cmp_shingle);
    free(tmp);
  } else if (radix_sort(d->sh, tmp, d->ns) == d->sh) {
    free(tmp);
  } else {
    free(d->sh);
    d->sh = tmp;
  }
  sh = d->sh;
  d->grp = malloc((d->ns ? d->ns : 1) * sizeof *d->grp);
  if (d->grp == NULL) return LOUPE_ENOMEM;
  for (g = 0; g < d->ns;) {
    size_t e = g + 1, a, distinct = 0;
    while (e < d->ns && sh[e].h == sh[g].h) e++;
    for (a = g; a < e; a++)
      if (a == g || sh[a].line != sh[a - 1].line) sh[g + distinct++] = sh[a];
    if (distinct > 1) {
      for (a = g; a < g + distinct; a++) d->covered[sh[a].line]++;
      d->grp[d->ngrp].start = (uint32_t)g;
      d->grp[d->ngrp].n = (uint32_t)distinct;
      d->ngrp++;
    }
    g = e;
  }
  return LOUPE_OK;
}

static void dd_drop(dd_state *d, size_t i, const char *reason) {
  d->dead[i] = 1;
  d->t->lines[d->idx[i]].label = LOUPE_LINE_DUPLICATE;
  d->t->lines[d->idx[i]].reason = reason;
}

/* Glued copies: a line mostly made of two or more other lines. */
static void dd_glued(dd_state *d) {
  size_t k, i;
  for (k = 0; k < d->np; k++) {
    uint32_t a = d->pairs[k].a, b = d->pairs[k].b;
    uint64_t c = d->pairs[k].count;
    if (c * 10 >= (uint64_t)d->nsh[b] * 6 && d->nsh[b] < d->nsh[a])
      d->parts[a]++;
    if (c * 10 >= (uint64_t)d->nsh[a] * 6 && d->nsh[a] < d->nsh[b])
      d->parts[b]++;
  }
  for (i = 0; i < d->nb; i++)
    if ((uint64_t)d->covered[i] * 10 >= (uint64_t)d->nsh[i] * 8 &&
        d->nsh[i] >= 6 && d->parts[i] >= 2)
      dd_drop(d, i, "glued-repeat");
}

/* The same paragraph twice or more (teaser, lead, reprint): join the
 * copies into groups (union-find, each group's root its first line) and
 * keep the fullest copy at the first place. */
static void dd_repeats(dd_state *d) {
  uint32_t *root = d->parts;
  size_t k, i;
  for (i = 0; i < d->nb; i++) root[i] = (uint32_t)i;
  for (k = 0; k < d->np; k++) {
    uint32_t a = d->pairs[k].a, b = d->pairs[k].b;
    uint64_t c = d->pairs[k].count, small;
    if (d->dead[a] || d->dead[b]) continue;
    small = d->nsh[a] < d->nsh[b] ? d->nsh[a] : d->nsh[b];
    if (c * 10 < small * 7) continue;
    /* a quotation that repeats the lead's words is its own paragraph */
    if (opens_quote(d->t, &d->t->lines[d->idx[a]]) !=
        opens_quote(d->t, &d->t->lines[d->idx[b]]))
      continue;
    a = find_root(root, a);
    b = find_root(root, b);
    if (a != b) root[a > b ? a : b] = a < b ? a : b;
  }
  for (i = 0; i < d->nb; i++) {
    uint32_t r = find_root(root, (uint32_t)i);
    if (r == i || d->dead[i]) continue;
    /* r is the group's first line: it takes the fuller text */
    if (d->nsh[i] > d->nsh[r]) {
      uint32_t tmp = d->nsh[r];
      swap_text(&d->t->lines[d->idx[r]], &d->t->lines[d->idx[i]]);
      d->nsh[r] = d->nsh[i];
      d->nsh[i] = tmp;
    }
    dd_drop(d, i, "repeated-paragraph");
  }
}

int lp_dedupe(lp_text *t) {
  dd_state d;
  int rc;
  memset(&d, 0, sizeof d);
  d.t = t;
  rc = dd_alloc(&d);
  if (rc == LOUPE_OK && d.nb >= 2) {
    dd_shingles(&d);
    rc = dd_groups(&d);
    if (rc == LOUPE_OK &&
        count_pairs(d.sh, d.grp, d.ngrp, d.nsh, d.nb, &d.pairs, &d.np))
      rc = LOUPE_ENOMEM;
    if (rc == LOUPE_OK) {
      dd_glued(&d);
      dd_repeats(&d);
    }
  }
  dd_free(&d);
  return rc;
}
