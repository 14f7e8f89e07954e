/*
 * fuzz.h - what the libFuzzer harnesses share: a reader that splits the
 * fuzzer's bytes into option bits and NUL-separated strings, checks of
 * result codes, messages and UTF-8, and FUZZ_ASSERT, which stops the run
 * with the harness line and why (libFuzzer keeps the input as a crash).
 * Harnesses use only the public API (loupe.h).
 */
#ifndef LOUPE_FUZZ_H
#define LOUPE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loupe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken property: name it and abort, so that the input is kept. */
#define FUZZ_ASSERT(cond, ...) \
  do { \
    if (!(cond)) { \
      fprintf(stderr, "fuzz: %s:%d: property failed: %s: ", __FILE__, \
              __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__); \
      fprintf(stderr, "\n"); \
      abort(); \
    } \
  } while (0)

/* The fuzzer's bytes, read from the front. */
typedef struct {
  const uint8_t *p;
  size_t left;
} fz_reader;

static inline void fz_init(fz_reader *r, const uint8_t *data, size_t size) {
  r->p = data;
  r->left = size;
}

/* One byte of options (0 once the input is used up). */
static inline unsigned fz_byte(fz_reader *r) {
  if (r->left == 0) return 0;
  r->left--;
  return *r->p++;
}

/*
 * The next string: the bytes up to the next NUL (or the end), copied and
 * NUL-terminated into a malloc'd block the caller frees; *len receives
 * its length. NULL when the input is used up (or out of memory).
 */
static inline char *fz_string(fz_reader *r, size_t *len) {
  const uint8_t *end;
  size_t n;
  char *s;
  if (len) *len = 0;
  if (r->left == 0) return NULL;
  end = memchr(r->p, 0, r->left);
  n = end ? (size_t)(end - r->p) : r->left;
  s = malloc(n + 1);
  if (s == NULL) return NULL;
  memcpy(s, r->p, n);
  s[n] = '\0';
  r->p += n;
  r->left -= n;
  if (end) { r->p++; r->left--; }
  if (len) *len = n;
  return s;
}

/* Is rc one of the codes loupe.h defines? */
static inline int fz_known_rc(int rc) {
  return rc >= LOUPE_OK && rc <= LOUPE_EMISUSE;
}

/* Is s[0..n) well-formed UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF)? */
static inline int fz_utf8_ok(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    size_t k, need;
    unsigned long cp;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else return 0;
    if (need >= n - i) return 0;           /* the sequence is cut short */
    for (k = 1; k <= need; k++) {
      unsigned char d = (unsigned char)s[i + k];
      if ((d & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return 0;
    i += need + 1;
  }
  return 1;
}

/* A NUL-terminated string of the stated length, in well-formed UTF-8. */
static inline int fz_text_ok(const char *s, size_t n) {
  return s != NULL && strlen(s) == n && fz_utf8_ok(s, n);
}

#endif
