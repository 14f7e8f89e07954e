/*
 * util.h - the bottom layer shared by extraction and the corpus: the arena,
 * the growable buffer, UTF-8 helpers, the normaliser's classes of code
 * points, the word model (words.c: what a word is, its hashes), the hash
 * mixers, MinHash signatures and the content identity. Nothing here knows
 * about pages, SQLite or PCRE2.
 */
#ifndef LOUPE_UTIL_H
#define LOUPE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "../loupe.h"

#define LP_UNUSED(x) ((void)(x))

/* The order of a and b as qsort's comparison functions give it: -1, 0
 * or 1, (a > b) - (a < b), without the overflow of a - b. For operands of
 * one arithmetic type, each evaluated twice (no side effects). Sort keys
 * compare in turn: if (a->k != b->k) return LP_CMP(a->k, b->k); ... */
#define LP_CMP(a, b) (((a) > (b)) - ((a) < (b)))


/* Integer hash finalisers, the one pair loupe mixes hashes with: lp_mix32
 * (murmur3-style) for word and line hashes, lp_mix64 (murmur3's fmix64)
 * for shingles, band keys and n-grams. */
static inline uint32_t lp_mix32(uint32_t h) {
  h = (h ^ (h >> 16)) * 0x7feb352dU;
  h = (h ^ (h >> 15)) * 0x846ca68bU;
  return h ^ (h >> 16);
}

static inline uint64_t lp_mix64(uint64_t x) {
  x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDULL;
  x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53ULL;
  return x ^ (x >> 33);
}

/* FNV-1a over bytes, 32 bits: start from LP_FNV32_INIT (or a value
 * derived from it), feed runs in order. For keys compared byte for byte
 * (names, registry keys); words are hashed by lp_word_hash. */
#define LP_FNV32_INIT 2166136261u
#define LP_FNV32_PRIME 16777619u
uint32_t lp_fnv32(uint32_t h, const char *s, size_t n);

/* An ASCII byte lower-cased; any other byte as it is. */
static inline unsigned char lp_ascii_lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 32) : c;
}

/* FNV-1a 32 of s[0..n) with ASCII letters lower-cased, never 0: the key
 * of a word where only ASCII case is folded (lp_word_hash folds every
 * script's). */
static inline uint32_t lp_fnv32_ascii_ci(const char *s, size_t n) {
  uint32_t h = LP_FNV32_INIT;
  size_t k;
  for (k = 0; k < n; k++)
    h = (h ^ lp_ascii_lower((unsigned char)s[k])) * LP_FNV32_PRIME;
  return h ? h : 1;
}

/* Whether s[0..n) and w[0..n) are equal with ASCII case folded. */
static inline int lp_eq_ascii_ci(const char *s, const char *w, size_t n) {
  size_t k;
  for (k = 0; k < n; k++)
    if (lp_ascii_lower((unsigned char)s[k]) !=
        lp_ascii_lower((unsigned char)w[k]))
      return 0;
  return 1;
}

/* ---- arena: many small allocations, one release (arena.c) ---- */
typedef struct lp_arena_block lp_arena_block;
typedef struct {
  lp_arena_block *head;
} lp_arena;

/* Allocate n zeroed bytes aligned for any type; NULL when out of memory. */
void *lp_arena_alloc(lp_arena *a, size_t n);
/* Copy s[0..n) plus a NUL into the arena; NULL when out of memory. */
char *lp_arena_strndup(lp_arena *a, const char *s, size_t n);
/* Release every block; the arena may be reused afterwards. */
void lp_arena_free(lp_arena *a);

/* ---- growable byte buffer on malloc (arena.c) ---- */
typedef struct {
  char *p;
  size_t len, cap;
} lp_buf;

/* Make room for extra more bytes; LOUPE_OK or LOUPE_ENOMEM. */
int lp_buf_reserve(lp_buf *b, size_t extra);
/* Append n bytes; LOUPE_OK or LOUPE_ENOMEM. */
int lp_buf_append(lp_buf *b, const char *s, size_t n);
/* Release the buffer's memory; the buffer is empty afterwards. */
void lp_buf_free(lp_buf *b);

/* Room for element n of the malloc'd array whose pointer is at array
 * (any element type: pass &v) with capacity *cap elements of elem bytes:
 * when full, doubles the capacity (first when it is 0). LOUPE_OK, or
 * LOUPE_ENOMEM with the array as it was. */
int lp_grow(void *array, size_t *cap, size_t n, size_t elem, size_t first);

/* ---- UTF-8 helpers (inline: they run on every character) ---- */
/* Classes of bytes for the scanners (text.c): ASCII letters, their upper
 * case, digits, the separators "/" and "|" of menus, the hyphen, and the
 * bytes of UTF-8 sequences (0x80 and up). */
enum {
  LP_B_ALPHA = 1, LP_B_DIGIT = 2, LP_B_UPPER = 4, LP_B_SEP = 8,
  LP_B_HIGH = 16, LP_B_HYPHEN = 32
};
extern const unsigned char lp_byte_class[256];

/* lp_utf8_decode: one code point of valid UTF-8 at s[i] (i < len); sets *n
 * to its length. Text inside loupe is valid UTF-8 after normalisation.
 * lp_is_letter: letters of the common scripts, enough to split words. */

static inline uint32_t lp_utf8_decode(const unsigned char *s, size_t len, size_t i,
                        size_t *n) {
  unsigned c = s[i];
  if (c < 0x80) { *n = 1; return c; }
  if (c < 0xE0 && i + 1 < len) {
    *n = 2;
    return ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
  }
  if (c < 0xF0 && i + 2 < len) {
    *n = 3;
    return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
           (s[i + 2] & 0x3F);
  }
  if (i + 3 < len) {
    *n = 4;
    return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
           ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
  }
  *n = 1;
  return 0xFFFD;
}

static inline size_t lp_utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* The scripts written without spaces between words, whose characters
 * are words of their own (words.c) and in the full-text index
 * (corpus/tokenizer.c): Han with its compatibility and extension blocks
 * and the iteration marks, kana (not the middle dot U+30FB, a separator)
 * and half-width kana, hangul syllables and jamo. */
static inline int lp_is_cjk(uint32_t c) {
  if (c < 0x1100) return 0;
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) ||   /* not ・ */
         (c >= 0xAC00 && c <= 0xD7AF) ||                  /* hangul */
         (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
         (c >= 0x3005 && c <= 0x3007) || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F) ||
         (c >= 0x1B000 && c <= 0x1B16F) || (c >= 0x20000 && c <= 0x3134F);
}

/* Letters: ASCII, Latin-1 and extended Latin, Greek, Cyrillic, Armenian,
 * Hebrew, Arabic, Indic scripts, Thai, CJK. Good enough for word splitting. */
static inline int lp_is_letter(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return 0;
  if (cp < 0x2C0) return 1;
  if (cp >= 0x370 && cp <= 0x1FFF) {
    /* skip combining-mark and punctuation-only ranges loosely */
    if (cp >= 0x2000) return 0;
    return 1;
  }
  if (lp_is_cjk(cp)) return 1;
  if (cp >= 0xA000 && cp <= 0xD7FF) return 1;
  return 0;
}

static inline int lp_is_upper(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
  if (cp >= 0x100 && cp <= 0x17F) return (cp & 1) == 0;
  if (cp >= 0x391 && cp <= 0x3A9) return 1;
  if (cp >= 0x400 && cp <= 0x42F) return 1;
  return 0;
}

/* lp_utf8_len: length of the well-formed UTF-8 sequence at s[i] (1 for
 * ASCII, up to 4), 0 when the bytes there are not one: a stray
 * continuation byte, an overlong form, a surrogate, a cut sequence. */
static inline size_t lp_utf8_len(const unsigned char *s, size_t len, size_t i) {
  unsigned c = s[i];
  size_t need, k;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) need = 2;
  else if (c >= 0xF0 && c <= 0xF4) need = 3;
  else return 0;
  if (i + need >= len) return 0;
  for (k = 1; k <= need; k++)
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
      (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
    return 0;
  return need + 1;
}

/* lp_utf8_next: lp_utf8_decode for text that may not be valid UTF-8: a
 * byte that does not begin a well-formed sequence reads as U+FFFD of
 * length 1, so a scanner never swallows the bytes after it. */
static inline uint32_t lp_utf8_next(const unsigned char *s, size_t len, size_t i,
                                    size_t *n) {
  if (s[i] < 0x80) { *n = 1; return s[i]; }
  if (lp_utf8_len(s, len, i) == 0) { *n = 1; return 0xFFFD; }
  return lp_utf8_decode(s, len, i, n);
}

/* What the normaliser makes of a code point: the parser (text.c) and the
 * content hash (identity.c) must agree. Unicode spaces fold to one space;
 * CR, LF, NEL and the line and paragraph separators end a line; controls,
 * soft hyphens, zero-width and direction marks are dropped. */
enum { LP_CP_KEEP = 0, LP_CP_SPACE, LP_CP_DROP, LP_CP_BREAK };
static inline int lp_cp_kind(uint32_t cp) {
  if (cp >= 0x20 && cp < 0x7F) return cp == ' ' ? LP_CP_SPACE : LP_CP_KEEP;
  if (cp == '\n' || cp == '\r') return LP_CP_BREAK;
  if (cp == '\t' || cp == 0x0B || cp == 0x0C) return LP_CP_SPACE;
  if (cp < 0x20 || cp == 0x7F) return LP_CP_DROP;
  if (cp < 0xA0) return cp == 0x85 ? LP_CP_BREAK : LP_CP_DROP;
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
      cp == 0x202F || cp == 0x205F || cp == 0x3000)
    return LP_CP_SPACE;
  if (cp == 0x2028 || cp == 0x2029) return LP_CP_BREAK;
  if (cp == 0xAD || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
      (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 ||
      (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
    return LP_CP_DROP;
  return LP_CP_KEEP;
}

/* Display columns of a code point in a terminal: 2 for East Asian Wide
 * and Fullwidth (CJK, kana, hangul, their punctuation and fullwidth
 * forms), else 1. Line widths must match the renderer's for unwrapping
 * to find its width. */
static inline int lp_is_wide(uint32_t cp) {
  if (cp < 0x1100) return 0;
  return (cp <= 0x115F) ||                      /* hangul jamo */
         (cp >= 0x2E80 && cp <= 0x303E) ||      /* radicals, CJK punctuation */
         (cp >= 0x3041 && cp <= 0x33FF) ||      /* kana, CJK compatibility */
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* ---- words (words.c): what a word is, for every part of loupe ----
 * A word is a maximal run of word characters: letters (lp_is_letter:
 * Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai...) and
 * the ASCII digits 0-9; but each CJK character (lp_is_cjk: kana,
 * ideographs, hangul syllables) is a word of its own, so a run of Chinese
 * or Japanese is one word per character. Everything else separates
 * words: spaces, punctuation, the apostrophe ("don't" is "don" and "t";
 * so is "don't" with U+2019), the hyphen ("well-known" is two words), the
 * comma and point inside numbers ("1,200" is "1" and "200"), symbols,
 * emoji, combining marks (text is NFC by then) and every byte of invalid
 * UTF-8. Words are compared folded (lp_fold_cp): ASCII, Latin-1 and
 * basic Cyrillic upper case to lower; no diacritics are removed. */
typedef struct {
  size_t start, len;      /* the word's bytes, s[start, start + len) */
  uint32_t hash;          /* lp_word_hash of those bytes */
} lp_word;

/* The folded form words are compared by. */
static inline uint32_t lp_fold_cp(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  return cp;
}

/* A character words are made of: a letter or an ASCII digit. */
static inline int lp_is_word_cp(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  return lp_is_letter(cp);
}

/* The next word of s[0..n) at or after *pos: fills *w, moves *pos past
 * the word and returns 1; returns 0 (and *pos = n) when none is left. */
int lp_word_next(const char *s, size_t n, size_t *pos, lp_word *w);
/* The word hash: FNV-1a 32 of the folded code points of one word's bytes
 * w[0..n) (the stop-word lexicon and line hashes use it). */
uint32_t lp_word_hash(const char *w, size_t n);
/* The same over 64 bits (MinHash shingles); equal to FNV-1a 64 of the
 * lower-cased bytes for an ASCII word. */
uint64_t lp_word_hash64(const char *w, size_t n);
/* The hashes of the words of s[0..n), in order, into out[0..cap); returns
 * the number of words (which may exceed cap). */
size_t lp_word_hashes(const char *s, size_t n, uint32_t *out, size_t cap);
/* Normalised hash of a line: its first 64 word hashes and its word count,
 * so case, punctuation and spacing do not tell two lines apart. */
uint32_t lp_norm_hash(const char *s, size_t n);

/* ---- near duplicates (minhash.c) ---- */
#define LP_MINHASH_K 128
#define LP_MINHASH_ROWS 3
#define LP_MINHASH_BANDS 16     /* over the first 48 bins */
#define LP_SIG_BYTES (4 * (LP_MINHASH_K + 1))
/* A signature: K bin minima and the number of shingles it was made of. */
typedef struct {
  uint32_t v[LP_MINHASH_K];
  uint32_t n;
} lp_sig;
/* ---- identity (identity.c) ---- */
/* The hash schema version 2 gave a page's bytes as they were: kept to
 * recognise the pages of a migrated corpus by their bytes. */
void lp_bytes_hash(const char *bytes, size_t n, char out[LOUPE_HASH_LEN + 1]);
/* The content hash of page text as it is (see loupe_hash, which inflates
 * a gzip page before calling this). */
void lp_text_hash(const char *bytes, size_t len, char out[LOUPE_HASH_LEN + 1]);

/* One-permutation MinHash of the word 3-shingles of s[0..n). */
void lp_minhash(const char *s, size_t n, lp_sig *sig);
/* Estimated Jaccard similarity of the two shingle sets. */
double lp_minhash_jaccard(const lp_sig *a, const lp_sig *b);
/* Estimated containment of the smaller set in the larger (>= Jaccard):
 * the similarity republication clusters are formed by. */
double lp_minhash_similarity(const lp_sig *a, const lp_sig *b);
/* The band keys LSH looks candidates up by (band number mixed in). */
void lp_minhash_keys(const lp_sig *sig, int64_t keys[LP_MINHASH_BANDS]);
/* Stored form (little-endian); unpack returns 0 for a blob of another
 * size (an older signature or none). */
void lp_sig_pack(const lp_sig *sig, unsigned char out[LP_SIG_BYTES]);
int lp_sig_unpack(const void *blob, int bytes, lp_sig *sig);


#endif /* LOUPE_UTIL_H */
