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

int lp_dedupe(lp_text *t) {
  size_t nb = 0, i, total = 0, ns = 0, g, ngrp = 0, np = 0;
  uint32_t *idx = NULL, *nsh = NULL, *covered = NULL, *wbuf = NULL;
  shingle *sh = NULL;
  line_pair *pairs = NULL;
  sh_group *grp = NULL;
  unsigned char *dead = NULL;
  uint32_t *parts = NULL;
  int rc = LOUPE_ENOMEM;
  size_t wcap = 0;

  for (i = 0; i < t->n_lines; i++)
    if (t->lines[i].label == LOUPE_LINE_BODY) {
      nb++;
      total += t->lines[i].nwords + 1;
      if (t->lines[i].nwords + 1 > wcap) wcap = t->lines[i].nwords + 1;
    }
  if (nb < 2) return LOUPE_OK;
  idx = malloc(nb * sizeof *idx);
  nsh = calloc(nb, sizeof *nsh);
  covered = calloc(nb, sizeof *covered);
  dead = calloc(nb, 1);
  sh = malloc(total * sizeof *sh);
  wbuf = malloc((wcap + 4) * sizeof *wbuf);
  if (!idx || !nsh || !covered || !dead || !sh || !wbuf) goto out;
  nb = 0;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    size_t nw, k;
    if (l->label != LOUPE_LINE_BODY) continue;
    nw = lp_word_hashes(LP_LINE_PTR(t, l), l->len, wbuf, wcap + 4);
    if (nw > wcap + 4) nw = wcap + 4;
    if (nw < 3) {
      sh[ns].h = lp_norm_hash(LP_LINE_PTR(t, l), l->len);
      sh[ns].line = (uint32_t)nb;
      ns++;
      nsh[nb] = 1;
    } else {
      for (k = 0; k + 2 < nw; k++) {
        sh[ns].h = lp_mix32(wbuf[k] * 31u + lp_mix32(wbuf[k + 1] * 17u + wbuf[k + 2]));
        sh[ns].line = (uint32_t)nb;
        ns++;
      }
      nsh[nb] = (uint32_t)(nw - 2);
    }
    idx[nb++] = (uint32_t)i;
  }
  /* shingles were added in line order: a stable sort by hash keeps each
   * hash's lines in order */
  {
    shingle *tmp = malloc((ns ? ns : 1) * sizeof *tmp);
    if (tmp == NULL) goto out;
    if (radix_sort(sh, tmp, ns) == sh) {
      free(tmp);
    } else {
      free(sh);
      sh = tmp;
    }
  }
  /* the groups of lines sharing a shingle (repeats of one shingle
   * inside one line dropped) */
  grp = malloc((ns ? ns : 1) * sizeof *grp);
  if (grp == NULL) goto out;
  for (g = 0; g < ns;) {
    size_t e = g + 1, a, distinct;
    while (e < ns && sh[e].h == sh[g].h) e++;
    distinct = 0;
    for (a = g; a < e; a++)
      if (a == g || sh[a].line != sh[a - 1].line) sh[g + distinct++] = sh[a];
    if (distinct > 1) {
      for (a = g; a < g + distinct; a++) covered[sh[a].line]++;
      grp[ngrp].start = (uint32_t)g;
      grp[ngrp].n = (uint32_t)distinct;
      ngrp++;
    }
    g = e;
  }
  if (count_pairs(sh, grp, ngrp, nsh, nb, &pairs, &np)) goto out;
  /* the pairs that share shingles, in line order: counting parts and
   * joining groups (each group's root is its first line) */
  {
    size_t k;
    parts = calloc(nb, sizeof *parts);
    if (parts == NULL) goto out;
    /* 1. glued copies: a line mostly made of two or more other lines */
    for (k = 0; k < np; k++) {
      uint32_t a = pairs[k].a, b = pairs[k].b;
      uint64_t c = pairs[k].count;
      if (c * 10 >= (uint64_t)nsh[b] * 6 && nsh[b] < nsh[a]) parts[a]++;
      if (c * 10 >= (uint64_t)nsh[a] * 6 && nsh[a] < nsh[b]) parts[b]++;
    }
    for (i = 0; i < nb; i++) {
      if ((uint64_t)covered[i] * 10 < (uint64_t)nsh[i] * 8 || nsh[i] < 6 ||
          parts[i] < 2)
        continue;
      dead[i] = 1;
      t->lines[idx[i]].label = LOUPE_LINE_DUPLICATE;
      t->lines[idx[i]].reason = "glued-repeat";
    }
    /* 2. the same paragraph twice or more (teaser, lead, reprint): join
     * the copies into groups, keep the fullest copy at the first place */
    for (i = 0; i < nb; i++) parts[i] = (uint32_t)i;    /* union-find */
    for (k = 0; k < np; k++) {
      uint32_t a = pairs[k].a, b = pairs[k].b;
      uint64_t c = pairs[k].count, small;
      if (dead[a] || dead[b]) continue;
      small = nsh[a] < nsh[b] ? nsh[a] : nsh[b];
      if (c * 10 < small * 7) continue;
      /* a quotation that repeats the lead's words is its own paragraph */
      if (opens_quote(t, &t->lines[idx[a]]) != opens_quote(t, &t->lines[idx[b]]))
        continue;
      a = find_root(parts, a);
      b = find_root(parts, b);
      if (a != b) parts[a > b ? a : b] = a < b ? a : b;
    }
    for (i = 0; i < nb; i++) {
      uint32_t r = find_root(parts, (uint32_t)i);
      if (r == i || dead[i]) continue;
      /* r is the group's first line: it takes the fuller text */
      if (nsh[i] > nsh[r]) {
        uint32_t tmp = nsh[r];
        swap_text(&t->lines[idx[r]], &t->lines[idx[i]]);
        nsh[r] = nsh[i];
        nsh[i] = tmp;
      }
      dead[i] = 1;
      t->lines[idx[i]].label = LOUPE_LINE_DUPLICATE;
      t->lines[idx[i]].reason = "repeated-paragraph";
    }
  }
  rc = LOUPE_OK;
out:
  free(idx);
  free(nsh);
  free(covered);
  free(dead);
  free(sh);
  free(wbuf);
  free(pairs);
  free(grp);
  free(parts);
  return rc;
}
