/*
 * dedupe.c - repeated text on one page: a teaser that repeats the lead, a
 * body printed twice, one copy glued into a single line. Body lines are cut
 * into word 3-shingles; lines sharing most of their shingles are one
 * paragraph, kept once, in its fuller form, at the position of the first.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct {
  uint32_t h;
  uint32_t line;   /* index into the body-line list */
} shingle;

typedef struct {
  uint64_t key;    /* (i << 32) | j with i < j; 0 = empty */
  uint32_t count;
} pair_slot;

/* Fold a code point for comparison: ASCII/Latin-1 lower case. */
static uint32_t fold_cp(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  return cp;
}

/*
 * Hash each word of s[0..n) (letters and digits, folded) into out (up to
 * cap); returns the number of words. CJK characters are words of their own.
 */
static size_t word_hashes(const char *s, size_t n, uint32_t *out, size_t cap) {
  /* ASCII bytes by table: 0 outside a word, else the byte folded */
  static const unsigned char ascii_word[128] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(c) [c] = c + 32, [c + 32] = c + 32
    L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
    L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
    L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z')
#undef L
  };
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, nw = 0;
  while (i < n) {
    size_t k;
    uint32_t cp;
    if (u[i] < 0x80) {
      if (!ascii_word[u[i]]) { i++; continue; }
      cp = u[i];
      k = 1;
    } else {
      cp = lp_utf8_decode(u, n, i, &k);
    }
    if (lp_is_letter(cp) || (cp >= '0' && cp <= '9')) {
      uint32_t h = 2166136261u;
      int cjk = lp_is_cjk(cp);
      for (;;) {
        h = (h ^ fold_cp(cp)) * 16777619u;
        i += k;
        if (cjk || i >= n) break;
        /* the rest of an ASCII run without a call per byte */
        while (u[i] < 0x80 && ascii_word[u[i]]) {
          h = (h ^ ascii_word[u[i]]) * 16777619u;
          if (++i >= n) break;
        }
        if (i >= n) break;
        if (u[i] < 0x80) break;
        cp = lp_utf8_decode(u, n, i, &k);
        if (!(lp_is_letter(cp) || (cp >= '0' && cp <= '9')) || lp_is_cjk(cp))
          break;
      }
      if (out && nw < cap) out[nw] = h;
      nw++;
      continue;
    }
    i += k;
  }
  return nw;
}

uint32_t lp_norm_hash(const char *s, size_t n) {
  uint32_t buf[64];
  size_t nw = word_hashes(s, n, buf, 64), i;
  uint32_t h = 0x9e3779b9u;
  for (i = 0; i < nw && i < 64; i++) h = lp_mix32(h ^ buf[i]) + (uint32_t)i;
  return h ^ (uint32_t)nw;
}

/* Stable LSD radix sort of n shingles by hash, 8 bits a pass; tmp has
 * room for n. The result ends in a (four passes: an even count). */
static void radix_sort(shingle *a, shingle *tmp, size_t n) {
  int pass;
  for (pass = 0; pass < 4; pass++) {
    size_t count[257], i;
    unsigned shift = (unsigned)pass * 8;
    shingle *src = pass % 2 == 0 ? a : tmp, *dst = pass % 2 == 0 ? tmp : a;
    memset(count, 0, sizeof count);
    for (i = 0; i < n; i++) count[((src[i].h >> shift) & 0xFF) + 1]++;
    for (i = 1; i < 257; i++) count[i] += count[i - 1];
    for (i = 0; i < n; i++) dst[count[(src[i].h >> shift) & 0xFF]++] = src[i];
  }
}

static uint32_t *pair_get(pair_slot *tab, size_t mask, uint32_t i, uint32_t j,
                          size_t *used) {
  uint64_t key = ((uint64_t)(i + 1) << 32) | (uint64_t)(j + 1);
  size_t k = (size_t)lp_mix32((uint32_t)(key ^ (key >> 29))) & mask;
  while (tab[k].key != 0 && tab[k].key != key) k = (k + 1) & mask;
  if (tab[k].key == 0) {
    if (*used * 2 > mask) return NULL;        /* table full enough: stop */
    tab[k].key = key;
    (*used)++;
  }
  return &tab[k].count;
}

static int cmp_pair(const void *a, const void *b) {
  const pair_slot *x = a, *y = b;
  return x->key < y->key ? -1 : x->key > y->key;
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

int lp_dedupe(lp_text *t) {
  size_t nb = 0, i, total = 0, ns = 0, g, mask, used = 0;
  uint32_t *idx = NULL, *nsh = NULL, *covered = NULL, *wbuf = NULL;
  shingle *sh = NULL;
  pair_slot *pairs = NULL;
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
    nw = word_hashes(LP_LINE_PTR(t, l), l->len, wbuf, wcap + 4);
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
    radix_sort(sh, tmp, ns);
    free(tmp);
  }
  /* pair overlap counts, in a table sized for the pairs there can be
   * (most pages share few shingles between lines: sized by the shingle
   * count, the table was most of the cost of a page without repeats) */
  {
    size_t most = 0;
    for (g = 0; g < ns;) {
      size_t e = g + 1, lines = 1;
      while (e < ns && sh[e].h == sh[g].h) {
        if (sh[e].line != sh[e - 1].line) lines++;
        e++;
      }
      if (lines > 1)
        most += lines <= MAX_GROUP ? lines * (lines - 1) / 2 : 2 * lines;
      g = e;
    }
    /* the table stops adding at half full: never smaller than it was
     * sized before, by the shingles (and at least 1,024 slots) */
    if (most > ns) most = ns > 512 ? ns : 512;
    for (mask = 16; mask < most * 2; mask <<= 1) {}
    mask -= 1;
  }
  pairs = calloc(mask + 1, sizeof *pairs);
  if (pairs == NULL) goto out;
  for (g = 0; g < ns;) {
    size_t e = g + 1, a, b, distinct;
    while (e < ns && sh[e].h == sh[g].h) e++;
    /* drop repeats of one shingle inside one line */
    distinct = 0;
    for (a = g; a < e; a++)
      if (a == g || sh[a].line != sh[a - 1].line) sh[g + distinct++] = sh[a];
    if (distinct > 1) {
      for (a = g; a < g + distinct; a++) covered[sh[a].line]++;
      for (a = g; a < g + distinct; a++) {
        /* a huge group (one text repeated many times) pairs with its
         * first line only, keeping the cost linear */
        size_t bend = distinct <= MAX_GROUP ? g + distinct : g + 1;
        for (b = a + 1; b < bend; b++) {
          uint32_t *c = pair_get(pairs, mask, sh[a].line, sh[b].line, &used);
          if (c) (*c)++;
        }
        if (distinct > MAX_GROUP && a > g) {
          uint32_t *c = pair_get(pairs, mask, sh[g].line, sh[a].line, &used);
          if (c) (*c)++;
        }
      }
    }
    g = e;
  }
  /* the pairs that share shingles, sorted by (first line, second line) */
  {
    size_t k, np = 0;
    for (k = 0; k <= mask; k++)
      if (pairs[k].key != 0) pairs[np++] = pairs[k];
    qsort(pairs, np, sizeof *pairs, cmp_pair);
    parts = calloc(nb, sizeof *parts);
    if (parts == NULL) goto out;
    /* 1. glued copies: a line mostly made of two or more other lines */
    for (k = 0; k < np; k++) {
      uint32_t a = (uint32_t)(pairs[k].key >> 32) - 1;
      uint32_t b = (uint32_t)pairs[k].key - 1, c = pairs[k].count;
      if (c * 10 >= nsh[b] * 6 && nsh[b] < nsh[a]) parts[a]++;
      if (c * 10 >= nsh[a] * 6 && nsh[a] < nsh[b]) parts[b]++;
    }
    for (i = 0; i < nb; i++) {
      if (covered[i] * 10 < nsh[i] * 8 || nsh[i] < 6 || parts[i] < 2) continue;
      dead[i] = 1;
      t->lines[idx[i]].label = LOUPE_LINE_DUPLICATE;
      t->lines[idx[i]].reason = "glued-repeat";
    }
    /* 2. the same paragraph twice or more (teaser, lead, reprint): join
     * the copies into groups, keep the fullest copy at the first place */
    for (i = 0; i < nb; i++) parts[i] = (uint32_t)i;    /* union-find */
    for (k = 0; k < np; k++) {
      uint32_t a = (uint32_t)(pairs[k].key >> 32) - 1;
      uint32_t b = (uint32_t)pairs[k].key - 1, c = pairs[k].count, small;
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
  free(parts);
  return rc;
}
