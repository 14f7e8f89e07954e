/*
 * identity.c - the content hash that identifies an article in a corpus: a
 * 64-bit hash of the page's text after decoding and normalising line ends,
 * spaces and invisible characters, so that copies of a page that differ
 * only in those (CRLF and LF, a BOM, trailing spaces) are one article.
 */
#include <string.h>
#include "util.h"

/* A streaming 64-bit multiply-rotate hash over 8-byte words (identity, not
 * security); the length is mixed in at the end. */
typedef struct {
  uint64_t h;
  uint64_t total;
  unsigned char buf[64];
  size_t nbuf;
} hash_state;

static void hash_words(hash_state *hs, const unsigned char *p, size_t n) {
  size_t i;
  uint64_t h = hs->h;
  for (i = 0; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    w *= 0xFF51AFD7ED558CCDULL;
    w ^= w >> 32;
    h ^= w;
    h = (h << 27) | (h >> 37);
    h = h * 0x9FB21C651E98DF25ULL + 0x52DCE729ULL;
  }
  hs->h = h;
}

static void hash_put(hash_state *hs, const unsigned char *p, size_t n) {
  hs->total += n;
  while (n > 0) {
    size_t take = sizeof hs->buf - hs->nbuf;
    if (take > n) take = n;
    memcpy(hs->buf + hs->nbuf, p, take);
    hs->nbuf += take;
    p += take;
    n -= take;
    if (hs->nbuf == sizeof hs->buf) {
      hash_words(hs, hs->buf, hs->nbuf);
      hs->nbuf = 0;
    }
  }
}

static void hash_hex(uint64_t h, char out[LOUPE_HASH_LEN + 1]) {
  static const char hex[] = "0123456789abcdef";
  int k;
  for (k = LOUPE_HASH_LEN - 1; k >= 0; k--) {
    out[k] = hex[h & 15];
    h >>= 4;
  }
  out[LOUPE_HASH_LEN] = '\0';
}

/* The bytes after the last whole 8-byte word, one at a time. */
static uint64_t hash_tail(uint64_t h, const unsigned char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001B3ULL;
  }
  return h;
}

static void hash_end(hash_state *hs, char out[LOUPE_HASH_LEN + 1]) {
  size_t whole = hs->nbuf & ~(size_t)7;
  uint64_t h;
  hash_words(hs, hs->buf, whole);
  h = hash_tail(hs->h, hs->buf + whole, hs->nbuf - whole);
  h ^= hs->total * 0x9E3779B97F4A7C15ULL;
  hash_hex(lp_mix64(h), out);
}

/* The normaliser's state between code points. */
typedef struct {
  hash_state hs;
  int any;        /* some text was emitted */
  int in_line;    /* the current line has text */
  int space;      /* a space waits before the next character of the line */
  int blank;      /* a blank line waits before the next line of text */
} norm;

/* Emit the bytes of one kept character (UTF-8, or a marked invalid byte),
 * with the line break and space that wait before it. */
static void put_char(norm *n, const unsigned char *p, size_t len) {
  if (!n->in_line) {
    if (n->any) {
      static const unsigned char nl[2] = {'\n', '\n'};
      hash_put(&n->hs, nl, n->blank ? 2 : 1);
    }
    n->in_line = 1;
    n->any = 1;
    n->blank = 0;
    n->space = 0;
  } else if (n->space) {
    static const unsigned char sp = ' ';
    hash_put(&n->hs, &sp, 1);
    n->space = 0;
  }
  hash_put(&n->hs, p, len);
}

static void put_kind(norm *n, int kind) {
  if (kind == LP_CP_SPACE) {
    if (n->in_line) n->space = 1;
  } else if (kind == LP_CP_BREAK) {
    if (n->in_line) n->in_line = 0;
    else if (n->any) n->blank = 1;
    n->space = 0;
  }
}

static void put_cp(norm *n, uint32_t cp) {
  unsigned char tmp[4];
  int kind = lp_cp_kind(cp);
  if (kind != LP_CP_KEEP) {
    put_kind(n, kind);
    return;
  }
  if (cp < 0x80) {
    tmp[0] = (unsigned char)cp;
    put_char(n, tmp, 1);
  } else {
    put_char(n, tmp, lp_utf8_encode(cp, (char *)tmp));
  }
}

/* An undecodable byte or code unit is hashed as itself behind 0xFF, which
 * UTF-8 never holds: pages that differ in such bytes stay apart. */
static void put_raw(norm *n, const unsigned char *p, size_t len) {
  unsigned char tmp[3];
  tmp[0] = 0xFF;
  memcpy(tmp + 1, p, len);
  put_char(n, tmp, len + 1);
}

/*
 * The content hash. The text is decoded (UTF-16 with a byte-order mark,
 * else UTF-8 with or without one), then normalised: CRLF, CR, NEL and the
 * Unicode line and paragraph separators end a line; runs of spaces, tabs
 * and Unicode spaces become one space, dropped at the ends of a line;
 * NUL, control characters, soft hyphens, zero-width and direction marks
 * are dropped; runs of blank lines become one, dropped at both ends. The
 * hash is taken over the normalised text as UTF-8. loupe_hash
 * (corpus/pagehash.c) inflates a gzip page first.
 */
void lp_text_hash(const char *bytes, size_t len,
                  char out[LOUPE_HASH_LEN + 1]) {
  const unsigned char *s = (const unsigned char *)bytes;
  size_t i = 0;
  norm n;
  memset(&n, 0, sizeof n);
  n.hs.h = 0x6C6F757065763321ULL;            /* "loupev3!" */
  if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
                   (s[0] == 0xFE && s[1] == 0xFF))) {
    int le = s[0] == 0xFF;
    for (i = 2; i + 1 < len; i += 2) {
      uint32_t u = le ? (uint32_t)(s[i] | (s[i + 1] << 8))
                      : (uint32_t)((s[i] << 8) | s[i + 1]);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
        uint32_t u2 = le ? (uint32_t)(s[i + 2] | (s[i + 3] << 8))
                         : (uint32_t)((s[i + 2] << 8) | s[i + 3]);
        if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
          put_cp(&n, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
          i += 2;
          continue;
        }
      }
      if (u >= 0xD800 && u <= 0xDFFF) put_raw(&n, s + i, 2);
      else put_cp(&n, u);
    }
    if (i < len) put_raw(&n, s + i, 1);       /* an odd last byte */
  } else {
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    while (i < len) {
      uint32_t cp;
      size_t k;
      if (s[i] >= 0x21 && s[i] < 0x7F) {
        /* a run of printable ASCII with single spaces between words is
         * its own normal form: it goes in as it is, in one piece */
        size_t j = i + 1;
        for (;;) {
          while (j < len && s[j] >= 0x21 && s[j] < 0x7F) j++;
          if (j + 1 < len && s[j] == ' ' && s[j + 1] >= 0x21 &&
              s[j + 1] < 0x7F)
            j += 2;
          else
            break;
        }
        put_char(&n, s + i, j - i);
        i = j;
        continue;
      }
      if (lp_utf8_len(s, len, i) == 0) {
        put_raw(&n, s + i, 1);
        i++;
        continue;
      }
      cp = lp_utf8_decode(s, len, i, &k);
      if (cp == '\r' && i + 1 < len && s[i + 1] == '\n') i++;  /* CRLF */
      put_cp(&n, cp);
      i += k;
    }
  }
  hash_end(&n.hs, out);
}

/*
 * The hash schema version 2 gave a page's bytes as they were (see
 * docs/schema.md): kept to recognise, after a migration, the pages of an
 * older corpus whose files could not be read again.
 */
void lp_bytes_hash(const char *bytes, size_t n, char out[LOUPE_HASH_LEN + 1]) {
  const unsigned char *u = (const unsigned char *)bytes;
  size_t whole = n & ~(size_t)7;
  hash_state hs;
  memset(&hs, 0, sizeof hs);
  hs.h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
  hash_words(&hs, u, whole);
  hash_hex(lp_mix64(hash_tail(hs.h, u + whole, n - whole)), out);
}
