/*
 * arena.c - the two memory helpers of the core: an arena that owns every
 * string of an article record (one release path), and a growable byte
 * buffer for building text.
 */
#include <stdlib.h>
#include <string.h>
#include "util.h"

struct lp_arena_block {
  lp_arena_block *next;
  size_t used, cap;
  /* data follows, aligned to max_align */
};

#define LP_ALIGN 16u
#define LP_BLOCK_MIN 16384u
#define LP_HDR ((sizeof(lp_arena_block) + LP_ALIGN - 1) & ~(size_t)(LP_ALIGN - 1))

/*
 * Allocate n bytes, not cleared. Large requests get a block of their own
 * so the arena never wastes more than one minimum block. NULL on overflow
 * or when malloc fails; the arena stays valid.
 */
static void *arena_raw(lp_arena *a, size_t n) {
  lp_arena_block *b = a->head;
  size_t need = (n + LP_ALIGN - 1) & ~(size_t)(LP_ALIGN - 1);
  if (need < n) return NULL;
  if (b == NULL || b->cap - b->used < need) {
    size_t cap = need > LP_BLOCK_MIN ? need : LP_BLOCK_MIN;
    if (cap > (size_t)-1 - LP_HDR) return NULL;
    b = malloc(LP_HDR + cap);
    if (b == NULL) return NULL;
    b->used = 0;
    b->cap = cap;
    if (a->head != NULL && need > LP_BLOCK_MIN) {
      /* keep the partly used head block current for small requests */
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  {
    char *p = (char *)b + LP_HDR + b->used;
    b->used += need;
    return p;
  }
}

/* n zeroed bytes (see arena_raw). */
void *lp_arena_alloc(lp_arena *a, size_t n) {
  void *p = arena_raw(a, n);
  if (p != NULL) memset(p, 0, n);
  return p;
}

/* A copy is written whole: its bytes are not cleared first (the bodies
 * and paragraphs of a large page are most of its arena). */
char *lp_arena_strndup(lp_arena *a, const char *s, size_t n) {
  char *p = n + 1 > n ? arena_raw(a, n + 1) : NULL;
  if (p == NULL) return NULL;
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void lp_arena_free(lp_arena *a) {
  lp_arena_block *b = a->head;
  while (b != NULL) {
    lp_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

int lp_buf_reserve(lp_buf *b, size_t extra) {
  size_t want, cap;
  char *p;
  if (extra <= b->cap - b->len) return LOUPE_OK;
  want = b->len + extra;
  if (want < b->len) return LOUPE_ENOMEM;
  cap = b->cap ? b->cap : 256;
  while (cap < want) {
    if (cap > (size_t)-1 / 2) { cap = want; break; }
    cap *= 2;
  }
  p = realloc(b->p, cap);
  if (p == NULL) return LOUPE_ENOMEM;
  b->p = p;
  b->cap = cap;
  return LOUPE_OK;
}

int lp_buf_append(lp_buf *b, const char *s, size_t n) {
  if (lp_buf_reserve(b, n) != LOUPE_OK) return LOUPE_ENOMEM;
  if (n) memcpy(b->p + b->len, s, n);
  b->len += n;
  return LOUPE_OK;
}

int lp_grow(void *array, size_t *cap, size_t n, size_t elem, size_t first) {
  void *old, *grown;
  size_t nc;
  if (n < *cap) return LOUPE_OK;
  nc = *cap ? *cap * 2 : first;
  if (nc < n + 1 || nc > (size_t)-1 / elem) return LOUPE_ENOMEM;
  memcpy(&old, array, sizeof old);
  grown = realloc(old, nc * elem);
  if (grown == NULL) return LOUPE_ENOMEM;
  memcpy(array, &grown, sizeof grown);
  *cap = nc;
  return LOUPE_OK;
}

void lp_buf_free(lp_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
