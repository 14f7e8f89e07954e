/*
 * test_util.c - the util layer's containers: lp_grow keeps what an array
 * held while it doubles, and lp_buf appends.
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

int main(void) {
  test_grow();
  test_buf();
  printf("test_util: %d passed, %d failed\n", passes, failures);
  return failures != 0;
}
