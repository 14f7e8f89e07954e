/*
 * minhash.c - near-duplicate detection for republished copy: a MinHash
 * signature of the word 3-shingles of the clean body, and the band keys
 * that locality-sensitive hashing looks candidates up by, so that the
 * cost per article does not grow with the corpus.
 *
 * The signature is one-permutation MinHash with optimal densification
 * (Li, Owen and Zhang 2012; Shrivastava 2017): every shingle is hashed
 * once, the top bits of the hash pick one of K = 128 bins and each bin
 * keeps its smallest value; an empty bin borrows the value of a bin chosen
 * by a hash of its own index, the same way in every signature. Two
 * signatures agree in a bin with probability equal to the Jaccard
 * similarity J of the shingle sets, so the fraction of agreeing bins
 * estimates J without bias; its standard error is at most that of K
 * independent permutations, sqrt(J (1 - J) / K): 0.035 at J = 0.8. Cost:
 * one hash per shingle instead of K.
 *
 * Republished copy is often cut (a dropped paragraph, a shortened
 * version), so the similarity clustering uses is the containment of the
 * shorter text in the longer, |A n B| / min(|A|, |B|), computed from the
 * estimated J and the shingle counts the signature carries:
 * |A n B| = J (|A| + |B|) / (1 + J).
 *
 * Candidates come from 16 bands of 3 bins (the first 48): a pair at J =
 * 0.8 shares a band with probability 1 - (1 - 0.8^3)^16 > 0.9999, at J =
 * 0.6 with 0.98, at J = 0.5 with 0.88 (32 bands of 4 give 0.87 there, for
 * twice the keys to store and look up), at J = 0.3 with 0.35 and at J =
 * 0.1 with 0.016; a candidate costs one signature comparison.
 *
 * Words are those of the word model (lp_word_next, words.c), hashed by
 * lp_word_hash64: for ASCII text the signatures are those of earlier
 * versions, which read a word as a run of ASCII letters and digits and
 * of any bytes of 0x80 and up (so curly quotes and dashes stuck to words,
 * and a run of CJK text was one word).
 */
#include <string.h>
#include "util.h"

#define SHINGLE 3
#define EMPTY 0xFFFFFFFFu

static void put(lp_sig *sig, uint64_t h) {
  unsigned bin = (unsigned)(h >> 57);              /* 7 bits: 128 bins */
  uint32_t v = (uint32_t)h;
  if (v < sig->v[bin]) sig->v[bin] = v;
}

void lp_minhash(const char *s, size_t n, lp_sig *sig) {
  uint64_t w0 = 0, w1 = 0;        /* the two words before the current one */
  size_t pos = 0, words = 0;
  lp_word w;
  int k;
  for (k = 0; k < LP_MINHASH_K; k++) sig->v[k] = EMPTY;
  sig->n = 0;
  while (lp_word_next(s, n, &pos, &w)) {
    uint64_t h = lp_word_hash64(s + w.start, w.len);
    words++;
    if (words >= SHINGLE) {
      /* the shingle: the last three words in order */
      put(sig, lp_mix64(w0 * 0x9E3779B97F4A7C15ULL + w1 * 0xC2B2AE3D27D4EB4FULL
                        + h));
      if (sig->n < 0xFFFFFFFFu) sig->n++;
    }
    w0 = w1;
    w1 = h;
  }
  if (words == 0) return;
  if (words < SHINGLE) {
    /* a text shorter than one shingle: its words as one */
    put(sig, lp_mix64(w0 * 0x9E3779B97F4A7C15ULL + w1 * 0xC2B2AE3D27D4EB4FULL));
    sig->n = 1;
  }
  {
    /* optimal densification: an empty bin takes the value of the first
     * filled bin its own hash sequence lands on */
    uint32_t orig[LP_MINHASH_K];
    memcpy(orig, sig->v, sizeof orig);
    for (k = 0; k < LP_MINHASH_K; k++) {
      uint64_t attempt;
      if (orig[k] != EMPTY) continue;
      for (attempt = 1; attempt < 4096; attempt++) {
        unsigned j = (unsigned)(lp_mix64(((uint64_t)k << 32) + attempt) >> 57);
        if (orig[j] != EMPTY) { sig->v[k] = orig[j]; break; }
      }
      if (sig->v[k] == EMPTY) {     /* practically never: scan instead */
        unsigned j;
        for (j = 0; j < LP_MINHASH_K; j++)
          if (orig[(k + j) % LP_MINHASH_K] != EMPTY) {
            sig->v[k] = orig[(k + j) % LP_MINHASH_K];
            break;
          }
      }
    }
  }
}

double lp_minhash_jaccard(const lp_sig *a, const lp_sig *b) {
  int k, same = 0;
  for (k = 0; k < LP_MINHASH_K; k++)
    if (a->v[k] == b->v[k]) same++;
  return (double)same / LP_MINHASH_K;
}

double lp_minhash_similarity(const lp_sig *a, const lp_sig *b) {
  double j = lp_minhash_jaccard(a, b), inter, c;
  uint32_t lo = a->n < b->n ? a->n : b->n;
  if (j <= 0 || lo == 0) return j;
  inter = j * ((double)a->n + (double)b->n) / (1 + j);
  c = inter / lo;
  if (c > 1) c = 1;
  return c > j ? c : j;
}

void lp_minhash_keys(const lp_sig *sig, int64_t keys[LP_MINHASH_BANDS]) {
  int band, r;
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    uint64_t h = (uint64_t)(band + 1) * 0x9E3779B97F4A7C15ULL;
    for (r = 0; r < LP_MINHASH_ROWS; r++)
      h = lp_mix64(h ^ sig->v[band * LP_MINHASH_ROWS + r]);
    keys[band] = (int64_t)(h >> 1);         /* fits SQLite's INTEGER */
  }
}

/* The stored form: K + 1 little-endian 32-bit words, the count last, so
 * that a corpus file reads the same on any machine. */
void lp_sig_pack(const lp_sig *sig, unsigned char out[LP_SIG_BYTES]) {
  int k;
  for (k = 0; k <= LP_MINHASH_K; k++) {
    uint32_t v = k < LP_MINHASH_K ? sig->v[k] : sig->n;
    out[4 * k] = (unsigned char)v;
    out[4 * k + 1] = (unsigned char)(v >> 8);
    out[4 * k + 2] = (unsigned char)(v >> 16);
    out[4 * k + 3] = (unsigned char)(v >> 24);
  }
}

int lp_sig_unpack(const void *blob, int bytes, lp_sig *sig) {
  const unsigned char *p = blob;
  int k;
  if (blob == NULL || bytes != LP_SIG_BYTES) return 0;
  for (k = 0; k <= LP_MINHASH_K; k++) {
    uint32_t v = (uint32_t)p[4 * k] | (uint32_t)p[4 * k + 1] << 8 |
                 (uint32_t)p[4 * k + 2] << 16 | (uint32_t)p[4 * k + 3] << 24;
    if (k < LP_MINHASH_K) sig->v[k] = v;
    else sig->n = v;
  }
  return 1;
}
