/*
 * test_util.c - the util layer's containers: lp_grow keeps what an array
 * held while it doubles, and lp_buf appends; the ASCII case-folded key
 * and comparison; the three-way comparison LP_CMP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/util.h"

typedef struct {
  size_t at;
  char tag[3];
} entry;

static void test_grow(void) {
  entry *v = NULL;
  size_t n = 0, cap = 0, i, grows = 0, last_cap = 0;
  int ok = 1;
  for (i = 0; i < 1000; i++) {
    if (lp_grow(&v, &cap, n, sizeof *v, 16) != LOUPE_OK) { ok = 0; break; }
    if (cap != last_cap) { grows++; last_cap = cap; }
    v[n].at = i;
    memcpy(v[n].tag, "ab", 3);
    n++;
  }
  CHECK(ok, "lp_grow failed at %u", (unsigned)i);
  CHECK_INT("capacity", cap, 1024);          /* 16 doubled six times */
  CHECK_INT("grows", grows, 7);
  for (i = 0; ok && i < n; i++)
    if (v[i].at != i || strcmp(v[i].tag, "ab") != 0) { ok = 0; break; }
  CHECK(ok, "entry %u changed while the array grew", (unsigned)i);
  /* room left: no reallocation */
  {
    entry *before = v;
    CHECK_RC("room", lp_grow(&v, &cap, 1000, sizeof *v, 16), LOUPE_OK);
    CHECK(v == before && cap == 1024, "grew with room left");
  }
  free(v);
}

static void test_buf(void) {
  lp_buf b = {NULL, 0, 0};
  int k;
  for (k = 0; k < 100; k++) CHECK_RC("append", lp_buf_append(&b, "xyz", 3),
                                     LOUPE_OK);
  CHECK_INT("length", b.len, 300);
  CHECK(b.cap >= 300 && memcmp(b.p + 297, "xyz", 3) == 0, "content");
  lp_buf_free(&b);
  CHECK(b.p == NULL && b.len == 0 && b.cap == 0, "freed buffer is empty");
}

/* FNV-1a 32 of "word" (lower case), worked out by hand from its
 * definition; the same key for any ASCII case, another for another word,
 * and only ASCII letters folded. */
static void test_ascii_ci(void) {
  uint32_t h = LP_FNV32_INIT;
  const char *w = "word";
  size_t k;
  for (k = 0; k < 4; k++) h = (h ^ (unsigned char)w[k]) * LP_FNV32_PRIME;
  CHECK_INT("key of word", lp_fnv32_ascii_ci("word", 4), h);
  CHECK_INT("key of WoRD", lp_fnv32_ascii_ci("WoRD", 4), h);
  CHECK(lp_fnv32_ascii_ci("ward", 4) != h, "another word, another key");
  CHECK(lp_fnv32_ascii_ci("", 0) != 0, "never 0");
  CHECK(lp_eq_ascii_ci("Said", "sAID", 4), "equal but for case");
  CHECK(!lp_eq_ascii_ci("said", "sand", 4), "other letters");
  CHECK(!lp_eq_ascii_ci("\xC3\x89", "\xC3\xA9", 2), "only ASCII folded");
  CHECK(!lp_eq_ascii_ci("@", "`", 1), "@ is not ` (no folding outside A-Z)");
}

/* LP_CMP orders like qsort wants, -1, 0 or 1, where a subtraction would
 * overflow or wrap: the largest unsigned 64-bit value against 0, the
 * ends of long long. */
static void test_cmp(void) {
  uint64_t big = UINT64_MAX, zero = 0;
  long long lo = -9223372036854775807LL - 1, hi = 9223372036854775807LL;
  uint32_t u = 7, v = 7;
  CHECK_INT("big against 0", LP_CMP(big, zero), 1);
  CHECK_INT("0 against big", LP_CMP(zero, big), -1);
  CHECK_INT("lowest against highest", LP_CMP(lo, hi), -1);
  CHECK_INT("highest against lowest", LP_CMP(hi, lo), 1);
  CHECK_INT("equal", LP_CMP(u, v), 0);
  CHECK_INT("negative against 0", LP_CMP(-3, 0), -1);
}

int main(void) {
  static const check_test tests[] = {test_grow, test_buf, test_ascii_ci,
                                     test_cmp};
  return check_run("test_util", tests, sizeof tests / sizeof *tests);
}
