/*
 * minhash.c - near-duplicate detection for republished copy: MinHash
 * signatures over word 3-shingles of the clean body and the band hashes
 * that locality-sensitive hashing looks candidates up by, so that the
 * cost per article does not grow with the corpus.
 *
 * With K = 128 hash functions the estimate of a Jaccard similarity J has
 * a standard error of sqrt(J (1 - J) / 128): 0.035 at J = 0.8. Candidates
 * come from 32 bands of 4 rows: a pair at J = 0.8 shares a band with
 * probability 1 - (1 - 0.8^4)^32 > 0.9999, a pair at J = 0.3 with 0.23.
 */
#include <string.h>
#include "internal.h"

#define SHINGLE 3

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

/* Fold ASCII upper case; other bytes as they are. */
static unsigned char fold_b(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 32) : c;
}

static int word_b(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

void lp_minhash(const char *s, size_t n, uint32_t sig[LP_MINHASH_K]) {
  uint64_t win[SHINGLE];
  size_t i = 0, words = 0;
  int k;
  for (k = 0; k < LP_MINHASH_K; k++) sig[k] = 0xFFFFFFFFu;
  while (i < n) {
    uint64_t h = 1469598103934665603ULL;
    if (!word_b((unsigned char)s[i])) { i++; continue; }
    while (i < n && word_b((unsigned char)s[i])) {
      h = (h ^ fold_b((unsigned char)s[i])) * 1099511628211ULL;
      i++;
    }
    win[words % SHINGLE] = h;
    words++;
    if (words >= SHINGLE) {
      /* the shingle: the last SHINGLE words in order */
      uint64_t sh = 0;
      size_t j;
      for (j = 0; j < SHINGLE; j++)
        sh = mix64(sh ^ win[(words - SHINGLE + j) % SHINGLE]);
      /* K hash functions from one 64-bit hash: h_k = a + k * b */
      {
        uint32_t a = (uint32_t)sh, b = (uint32_t)(sh >> 32) | 1u;
        for (k = 0; k < LP_MINHASH_K; k++) {
          uint32_t v = a + (uint32_t)k * b;
          v ^= v >> 15;
          v *= 0x2C1B3C6Du;
          v ^= v >> 12;
          if (v < sig[k]) sig[k] = v;
        }
      }
    }
  }
  if (words > 0 && words < SHINGLE) {
    /* a text shorter than one shingle: its words as one */
    uint64_t sh = 0;
    size_t j;
    for (j = 0; j < words; j++) sh = mix64(sh ^ win[j]);
    for (k = 0; k < LP_MINHASH_K; k++) {
      uint32_t v = (uint32_t)sh + (uint32_t)k * ((uint32_t)(sh >> 32) | 1u);
      v ^= v >> 15;
      v *= 0x2C1B3C6Du;
      v ^= v >> 12;
      sig[k] = v;
    }
  }
}

double lp_minhash_similarity(const uint32_t *a, const uint32_t *b) {
  int k, same = 0;
  for (k = 0; k < LP_MINHASH_K; k++)
    if (a[k] == b[k]) same++;
  return (double)same / LP_MINHASH_K;
}

void lp_minhash_bands(const uint32_t sig[LP_MINHASH_K],
                      int64_t bands[LP_MINHASH_BANDS]) {
  int band, r;
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    uint64_t h = (uint64_t)band * 0x9E3779B97F4A7C15ULL;
    for (r = 0; r < LP_MINHASH_ROWS; r++)
      h = mix64(h ^ sig[band * LP_MINHASH_ROWS + r]);
    bands[band] = (int64_t)(h >> 1);        /* fits SQLite's INTEGER */
  }
}
