/*
 * pagehash.c - the content hash of a page as ingest reads it: a gzip page
 * (.html.gz, a compressed dump) is the page it holds, so a compressed copy
 * of a stored page is the same article, not a second one. The hash itself
 * (util/identity.c) is of the decoded, normalised text.
 */
#include <stdlib.h>
#include "corpus.h"

void loupe_hash(const char *bytes, size_t len, char out[LOUPE_HASH_LEN + 1]) {
  char *plain = NULL, err[160];
  size_t n = 0;
  /* a damaged stream or one too large to inflate is hashed as its bytes:
   * the parse of it fails with its own message */
  if (lp_is_gzip(bytes, len) &&
      lp_gunzip(bytes, len, LOUPE_MAX_INPUT, &plain, &n, err, sizeof err) ==
          LOUPE_OK) {
    lp_text_hash(plain, n, out);
    free(plain);
    return;
  }
  lp_text_hash(bytes, len, out);
}
