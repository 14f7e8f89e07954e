/*
 * fuzz_regex.c - libFuzzer harness for loupe_regex_new/_exec under tight
 * limits: byte 0 picks the flags, bytes 1-3 the match, depth and heap
 * limits, byte 4 the pattern length; the pattern follows, then the
 * subject. Every match of the pattern is walked as loupe's own loops do
 * (past empty matches one character at a time); offsets must stay inside
 * the subject, a limit must come back as LOUPE_ELIMIT with a message
 * naming it, a pattern that cannot be matched (a recursion that loops)
 * as LOUPE_ESYNTAX.
 */
#include "fuzz.h"

#define MAX_PAIRS 12
#define MAX_MATCHES 4096

/* Flags from the bits of b; bit 5 adds a letter loupe does not know. */
static void pick_flags(unsigned b, char *out) {
  static const char letters[] = "imsxu";
  int i, n = 0;
  for (i = 0; i < 5; i++)
    if (b & (1u << i)) out[n++] = letters[i];
  if (b & 0x20) out[n++] = (char)('a' + (b >> 6));   /* a, b, c or d */
  out[n] = '\0';
}

/* Start of the next character after byte i (UTF-8; invalid bytes count
 * one each). */
static size_t next_char(const char *s, size_t len, size_t i) {
  i++;
  while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_reader r;
  char flags[8], err[200];
  loupe_regex_limits lim;
  loupe_regex *re = NULL;
  const char *pat, *subj;
  size_t plen, slen, pos, ovec[2 * MAX_PAIRS];
  unsigned fb;
  int rc, groups, max_pairs, n, np, i;

  fz_init(&r, data, size);
  fb = fz_byte(&r);
  pick_flags(fb, flags);
  /* small limits: 0 keeps the default, otherwise 1 .. 255 * 100 steps,
   * 1 .. 255 * 10 levels of depth, 1 .. 255 KiB of heap */
  lim.match_limit = fz_byte(&r) * 100UL;
  lim.depth_limit = fz_byte(&r) * 10UL;
  lim.heap_limit = fz_byte(&r);
  if (lim.match_limit == 0) lim.match_limit = 1;
  plen = fz_byte(&r);
  if (plen > r.left) plen = r.left;
  pat = (const char *)r.p;
  subj = pat + plen;
  slen = r.left - plen;

  memset(err, 'x', sizeof err);
  rc = loupe_regex_new(pat, plen, flags, &lim, &re, err, sizeof err);
  if (rc != LOUPE_OK) {
    FUZZ_ASSERT(rc == LOUPE_ESYNTAX, "compile failed with %d (%s): %s", rc,
                loupe_errstr(rc), err);
    FUZZ_ASSERT(re == NULL, "a regex on failure");
    FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0',
                "no message");
    FUZZ_ASSERT(fz_utf8_ok(err, strlen(err)), "message '%s'", err);
    return 0;
  }
  FUZZ_ASSERT(strchr(flags, 'a') == NULL && strchr(flags, 'b') == NULL &&
              strchr(flags, 'c') == NULL && strchr(flags, 'd') == NULL,
              "unknown flag in '%s' accepted", flags);
  groups = loupe_regex_groups(re);
  FUZZ_ASSERT(groups >= 0, "groups %d", groups);
  max_pairs = 1 + (int)(fb >> 6) * 4;      /* 1, 5, 9 or 13 pairs asked */
  if (max_pairs > MAX_PAIRS) max_pairs = MAX_PAIRS;

  /* a start past the end is the caller's mistake */
  rc = loupe_regex_exec(re, subj, slen, slen + 1, ovec, max_pairs, &np);
  FUZZ_ASSERT(rc == LOUPE_EINVAL && np == 0, "start past the end: rc %d", rc);

  for (pos = 0, n = 0; pos <= slen && n < MAX_MATCHES; n++) {
    rc = loupe_regex_exec(re, subj, slen, pos, ovec, max_pairs, &np);
    if (rc == LOUPE_ELIMIT || rc == LOUPE_ESYNTAX) {
      const char *m = loupe_regex_errmsg(re);
      FUZZ_ASSERT(np == 0, "pairs on a failed match");
      if (rc == LOUPE_ELIMIT)
        FUZZ_ASSERT(strstr(m, "limit") != NULL, "limit message '%s'", m);
      else
        FUZZ_ASSERT(strstr(m, "regex cannot be matched") != NULL,
                    "message of a pattern that cannot be matched '%s'", m);
      break;
    }
    FUZZ_ASSERT(rc == LOUPE_OK, "exec failed with %d (%s): %s", rc,
                loupe_errstr(rc), loupe_regex_errmsg(re));
    if (np == 0) break;
    FUZZ_ASSERT(np >= 1 && np <= max_pairs && np <= groups + 1,
                "%d pairs (asked %d, %d groups)", np, max_pairs, groups);
    for (i = 0; i < np; i++) {
      size_t s = ovec[2 * i], e = ovec[2 * i + 1];
      if (i > 0 && s == (size_t)-1) {
        FUZZ_ASSERT(e == (size_t)-1, "group %d half unset", i);
        continue;
      }
      FUZZ_ASSERT(s <= slen && e <= slen, "pair %d = %zu..%zu past %zu", i,
                  s, e, slen);
    }
    /* \K may put a match's start after its end; the search moves on from
     * the end, and past one character when nothing was consumed */
    FUZZ_ASSERT(ovec[1] >= pos, "match ends at %zu before the start %zu",
                ovec[1], pos);
    if (ovec[1] > pos && ovec[1] > ovec[0]) pos = ovec[1];
    else if (ovec[1] < slen) pos = next_char(subj, slen, ovec[1]);
    else break;
  }
  loupe_regex_free(re);
  return 0;
}
