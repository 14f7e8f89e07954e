/*
 * words.c - what a word is, for every part of loupe: the byte classes the
 * scanners of extraction (text, features, quotes, entities) read
 * characters by, the word tokenizer (lp_word_next), the word hashes and
 * the line hash (lp_norm_hash) that dedupe, the classifier's features and
 * the MinHash shingles agree through. The rules of a word are written in
 * util.h, beside the declarations.
 */
#include "util.h"

#define A_ LP_B_ALPHA
#define U_ (LP_B_ALPHA | LP_B_UPPER)
#define D_ LP_B_DIGIT
#define H_ LP_B_HIGH
#define H16 H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_
const unsigned char lp_byte_class[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LP_B_HYPHEN, 0, LP_B_SEP, /* - / */
  D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, 0, 0, 0, 0, 0, 0,
  0, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
  U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, 0, 0, 0, 0, 0,
  0, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_,
  A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, 0, LP_B_SEP, 0, 0, 0, /* | */
  H16, H16, H16, H16, H16, H16, H16, H16
};
#undef A_
#undef U_
#undef D_
#undef H_
#undef H16

/* ---- the word model (declared in util.h, where it is described) ---- */

/* Not FNV's offset basis (14695981039346656037) but the value MinHash
 * signatures have always been made with: kept so that signatures stored
 * by earlier versions still compare with new ones. */
#define FNV64_INIT 1469598103934665603ULL
#define FNV64_PRIME 1099511628211ULL

/* ASCII bytes of words, folded (upper case to lower); 0 for the rest,
 * bytes from 0x80 up included (so a run is scanned by one test a byte). */
static const unsigned char ascii_fold[256] = {
  ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
  ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(c) [c] = c + 32, [c + 32] = c + 32
  L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
  L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
  L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z')
#undef L
};

uint32_t lp_fnv32(uint32_t h, const char *s, size_t n) {
  size_t k;
  for (k = 0; k < n; k++) h = (h ^ (unsigned char)s[k]) * LP_FNV32_PRIME;
  return h;
}

/* The word that begins at *pos with the character cp of k bytes: moves
 * *pos past it and returns its hash. ASCII runs go through the table, a
 * byte at a time (an ASCII first letter too: it is neither CJK nor folded
 * otherwise than by the table); other characters are decoded. */
static uint32_t word_run(const unsigned char *u, size_t n, size_t *pos,
                         uint32_t cp, size_t k) {
  size_t i = *pos;
  uint32_t h = LP_FNV32_INIT;
  if (cp < 0x80) {
    h = (h ^ ascii_fold[cp]) * LP_FNV32_PRIME;
    i++;
  } else {
    h = (h ^ lp_fold_cp(cp)) * LP_FNV32_PRIME;
    i += k;
    if (lp_is_cjk(cp)) {                 /* a CJK character stands alone */
      *pos = i;
      return h;
    }
  }
  for (;;) {
    while (i < n && ascii_fold[u[i]])
      h = (h ^ ascii_fold[u[i++]]) * LP_FNV32_PRIME;
    if (i >= n || u[i] < 0x80) break;
    cp = lp_utf8_next(u, n, i, &k);
    if (!lp_is_letter(cp) || lp_is_cjk(cp)) break;
    h = (h ^ lp_fold_cp(cp)) * LP_FNV32_PRIME;
    i += k;
  }
  *pos = i;
  return h;
}

int lp_word_next(const char *s, size_t n, size_t *pos, lp_word *w) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = *pos, k = 1;
  uint32_t cp = 0;
  for (; i < n; i += k) {
    if (u[i] < 0x80) {
      k = 1;
      cp = u[i];
      if (ascii_fold[u[i]]) break;
    } else if (lp_is_letter(cp = lp_utf8_next(u, n, i, &k))) {
      break;
    }
  }
  if (i >= n) {
    *pos = n;
    return 0;
  }
  w->start = i;
  w->hash = word_run(u, n, &i, cp, k);     /* the letter found at i */
  w->len = i - w->start;
  *pos = i;
  return 1;
}

/* Both widths of FNV-1a over the folded code points of w[0..n). */
static void fold_hash(const char *w, size_t n, uint32_t *h32, uint64_t *h64) {
  const unsigned char *u = (const unsigned char *)w;
  uint32_t a = LP_FNV32_INIT;
  uint64_t b = FNV64_INIT;
  size_t i = 0, k;
  while (i < n) {
    uint32_t cp = lp_fold_cp(lp_utf8_next(u, n, i, &k));
    a = (a ^ cp) * LP_FNV32_PRIME;
    b = (b ^ cp) * FNV64_PRIME;
    i += k;
  }
  *h32 = a;
  *h64 = b;
}

uint32_t lp_word_hash(const char *w, size_t n) {
  uint32_t h32;
  uint64_t h64;
  fold_hash(w, n, &h32, &h64);
  return h32;
}

uint64_t lp_word_hash64(const char *w, size_t n) {
  uint32_t h32;
  uint64_t h64;
  fold_hash(w, n, &h32, &h64);
  return h64;
}

size_t lp_word_hashes(const char *s, size_t n, uint32_t *out, size_t cap) {
  size_t pos = 0, nw = 0;
  lp_word w;
  while (lp_word_next(s, n, &pos, &w)) {
    if (out && nw < cap) out[nw] = w.hash;
    nw++;
  }
  return nw;
}

uint32_t lp_norm_hash(const char *s, size_t n) {
  uint32_t buf[64];
  size_t nw = lp_word_hashes(s, n, buf, 64), i;
  uint32_t h = 0x9e3779b9u;
  for (i = 0; i < nw && i < 64; i++) h = lp_mix32(h ^ buf[i]) + (uint32_t)i;
  return h ^ (uint32_t)nw;
}
