/*
 * charset.h - the legacy charsets inside extraction: the decoding tables
 * charset.c builds through glibc's iconv and text.c reads characters
 * through, and the choice of the input's encoding.
 */
#ifndef LOUPE_CHARSET_H
#define LOUPE_CHARSET_H

#include <iconv.h>
#include "extract.h"

#define CP_LEAD 0xFFFFFFFFu      /* single[]: the byte starts a pair */
#define TRAIL_LO 0x30            /* pair tables cover trail 0x30..0xFE */
#define TRAIL_N (0xFF - TRAIL_LO)

/*
 * A legacy charset as tables: every byte on its own, and every two-byte
 * sequence a lead byte starts. GB18030's four-byte sequences (rare
 * characters) are converted one by one through the iconv handle.
 */
struct lp_codec {
  int enc;
  uint32_t single[256];        /* code point, CP_LEAD, or 0xFFFD */
  uint32_t *pair;              /* [lead][trail - TRAIL_LO], 0xFFFD: none */
  iconv_t cd;                  /* for four-byte sequences; (iconv_t)-1 */
};

/* Convert in[0..n) with cd: the one code point it makes, 0xFFFD when it
 * makes none or several, CP_LEAD when the input is incomplete. */
uint32_t lp_iconv_one(iconv_t cd, const unsigned char *in, size_t n);

/* The tables of charset enc, built on first use through iconv (about
 * 24,000 conversions of one or two bytes, once per parser). NULL when
 * glibc cannot convert it here or memory ran out (*oom set). */
const lp_codec *lp_codec_get(lp_codecs *cs, int enc, int *oom);

/* The encoding of the input: a byte-order mark says UTF-16 or UTF-8
 * (*skip gets its length); a forced charset (forced >= 0) is used as
 * given; else UTF-8 unless the bytes are not. -1 with err set for UTF-32
 * and a charset glibc cannot convert here. With later != NULL the bytes
 * are not read: UTF-8 is returned and *later set when only they could
 * say otherwise (lp_encoding_guess then, once UTF-8 met a bad sequence:
 * valid UTF-8 is always read as UTF-8). */
int lp_encoding_detect(const unsigned char *s, size_t len, size_t *skip,
                       lp_codecs *cs, int forced, int *oom, char *err,
                       size_t errcap, int *later);

/* The encoding of input with no byte-order mark or forced charset after
 * skip bytes, read from its bytes: UTF-8 unless they are not. */
int lp_encoding_guess(lp_codecs *cs, const unsigned char *s, size_t len,
                      size_t skip, int *oom);

/* One character of a legacy charset at *i (see next_cp). */
static inline uint32_t lp_codec_cp(const lp_codec *c, const unsigned char *s,
                                size_t len, size_t *i, int *bad) {
  size_t p = *i;
  uint32_t cp = c->single[s[p]];
  if (cp != CP_LEAD) {
    *i = p + 1;
    if (cp == 0xFFFD) *bad = 1;
    return cp;
  }
  if (p + 1 < len && s[p + 1] >= TRAIL_LO && s[p + 1] < 0xFF) {
    cp = c->pair[s[p] * TRAIL_N + (s[p + 1] - TRAIL_LO)];
    if (cp != CP_LEAD && cp != 0xFFFD) { *i = p + 2; return cp; }
    if (cp == CP_LEAD && p + 3 < len) {   /* GB18030 four bytes */
      cp = lp_iconv_one(c->cd, s + p, 4);
      if (cp != CP_LEAD && cp != 0xFFFD) { *i = p + 4; return cp; }
    }
  }
  *i = p + 1;
  *bad = 1;
  return 0xFFFD;
}

#endif /* LOUPE_CHARSET_H */
