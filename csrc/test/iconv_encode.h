/*
 * iconv_encode.h - a UTF-8 string converted to a legacy charset with iconv
 * at test time (the C tests keep their invented pages in UTF-8 source).
 */
#ifndef LOUPE_TEST_ICONV_ENCODE_H
#define LOUPE_TEST_ICONV_ENCODE_H

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* s in charset (an iconv name), malloc'ed, its length in *n; NULL when
 * iconv lacks the charset or s has a character it cannot hold. */
static inline char *iconv_encode(const char *charset, const char *s,
                                 size_t *n) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  size_t il = strlen(s), cap = il * 4 + 16, ol = cap;
  char *out, *ip = (char *)s, *op;
  if (cd == (iconv_t)-1) return NULL;
  out = malloc(cap);
  op = out;
  if (out == NULL || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
    free(out);
    iconv_close(cd);
    return NULL;
  }
  iconv_close(cd);
  *n = cap - ol;
  return out;
}

#endif
