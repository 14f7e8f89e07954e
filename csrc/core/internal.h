/*
 * internal.h - declarations shared by the core's modules: the arena, the
 * growable buffer, the normalised text with its lines, and the stages of
 * the parse pipeline (text -> classify -> dedupe -> fields).
 */
#ifndef LOUPE_INTERNAL_H
#define LOUPE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "../loupe.h"

#define LP_UNUSED(x) ((void)(x))

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

/* ---- UTF-8 helpers (text.c) ---- */
/* Decode one code point of valid UTF-8 at s[i] (i < len); sets *n to its
 * length. Text inside loupe is always valid UTF-8 after normalisation. */
uint32_t lp_utf8_decode(const unsigned char *s, size_t len, size_t i,
                        size_t *n);
/* Encode cp into out (4 bytes room); returns the length. */
size_t lp_utf8_encode(uint32_t cp, char *out);
int lp_is_letter(uint32_t cp);
int lp_is_upper(uint32_t cp);
int lp_is_cjk(uint32_t cp);

/* ---- normalised text and its lines (text.c) ---- */
enum {
  LP_F_BULLET = 1u << 0,     /* starts with a list bullet */
  LP_F_TERMINAL = 1u << 1,   /* ends like a sentence */
  LP_F_URL = 1u << 2,        /* holds a URL or [image] reference */
  LP_F_WRAPPED = 1u << 3,    /* joined from wrapped source lines */
  LP_F_INDENTED = 1u << 4    /* source line was indented */
};

typedef struct {
  size_t start, len;       /* trimmed content in lp_text.text */
  size_t src_offset;       /* byte offset of the source line start */
  size_t src_end;          /* byte offset just past the source line */
  size_t src_line;         /* 1-based source line number */
  size_t n_src;            /* source lines joined into this one (>= 1) */
  unsigned indent;         /* leading spaces of the source line */
  /* features filled by lp_features() */
  unsigned nchars;         /* code points */
  unsigned nwords;         /* letter/digit runs */
  unsigned nalpha_words;   /* words starting with a letter */
  unsigned ncap;           /* alpha words starting upper case */
  unsigned nstop;          /* stop words */
  unsigned ndigits;        /* digit characters */
  unsigned nseps;          /* separators: | · • » › and the like */
  unsigned ncjk;           /* CJK/kana/hangul code points */
  unsigned flags;          /* LP_F_* */
  unsigned cue;            /* LP_CUE_* boilerplate cues (classify.c) */
  uint32_t hash;           /* hash of the normalised words */
  int cls;                 /* classifier state (classify.c) */
  int block;               /* index of the block (run of non-blank lines) */
  loupe_line_label label;
  const char *reason;
} lp_line;

typedef struct {
  char *text;              /* normalised UTF-8, '\n' between lines, NUL end */
  size_t len;
  lp_line *lines;          /* non-blank lines only, in order */
  size_t n_lines;
  const char *src;         /* the caller's bytes (borrowed) */
  size_t src_len;
  int enc;                 /* LP_ENC_* */
  loupe_input_stats stats;
  char errmsg[160];
} lp_text;

enum { LP_ENC_UTF8 = 0, LP_ENC_UTF16LE, LP_ENC_UTF16BE };

/* Decode, validate and normalise src into t (owned by t, release with
 * lp_text_free). Returns LOUPE_OK, LOUPE_EENCODING, LOUPE_EEMPTY or
 * LOUPE_ENOMEM; on failure t->errmsg says why and t owns nothing. */
int lp_text_init(lp_text *t, const char *src, size_t len);
void lp_text_free(lp_text *t);
/* Source byte offset of normalised column col (bytes) of line li. */
size_t lp_text_src_offset(const lp_text *t, size_t li, size_t col);
/* Offsets of every source line start into out[cap]; returns the count. */
size_t lp_text_line_starts(const lp_text *t, size_t *out, size_t cap);
/* Join wrapped lines (hard-wrapped dumps) in place; LOUPE_OK or ENOMEM. */
int lp_text_unwrap(lp_text *t);
/* Content of a line (not NUL-terminated). */
#define LP_LINE_PTR(t, l) ((t)->text + (l)->start)

/* ---- language and features (features.c) ---- */
typedef struct lp_lexicon lp_lexicon;
int lp_lexicon_new(lp_lexicon **out);
void lp_lexicon_free(lp_lexicon *lx);
/* Guess the page language from its lines; returns an ISO 639-1 code
 * (static string) or NULL. */
const char *lp_guess_lang(const lp_text *t, const lp_lexicon *lx);
/* Compute the features of every line; lang may be NULL. */
void lp_features(lp_text *t, const lp_lexicon *lx, const char *lang);
/* Lower-case ASCII fold compare: does s[0..n) contain needle (ASCII)? */
int lp_contains_ci(const char *s, size_t n, const char *needle);
int lp_starts_ci(const char *s, size_t n, const char *prefix);
/* Share (per mille) of a's longer words that also occur in b. */
unsigned lp_word_overlap(const lp_text *t, const lp_line *a, const lp_line *b);

/* ---- classifier (classify.c) ---- */
enum {
  LP_CUE_COPYRIGHT = 1u << 0,  /* copyright, licence, registration */
  LP_CUE_SOCIAL = 1u << 1,     /* share, follow, comments counters */
  LP_CUE_NAV = 1u << 2,        /* home, menu, sign in, subscribe, search */
  LP_CUE_CAPTION = 1u << 3,    /* photo credit / caption */
  LP_CUE_RELATED = 1u << 4,    /* related / latest / top news headers */
  LP_CUE_AD = 1u << 5,         /* advertisement */
  LP_CUE_LEGAL = 1u << 6,      /* privacy, terms, cookies */
  LP_CUE_COMMENT = 1u << 7,    /* comment widget */
  LP_CUE_END = 1u << 8         /* marks the end of an article */
};

typedef struct {
  size_t title;       /* line index of the title, or (size_t)-1 */
  size_t body_first;  /* first and last body line, or -1 */
  size_t body_last;
} lp_layout;

/* Label every line of t: body, boilerplate, blank (sets label/reason). */
void lp_classify(lp_text *t, const char *lang, lp_layout *lay);

/* ---- repeated text (dedupe.c) ---- */
/* Mark repeated body lines LOUPE_LINE_DUPLICATE, keeping the fuller copy
 * at the position of the first; may swap line contents to do so.
 * Returns LOUPE_OK or LOUPE_ENOMEM. */
int lp_dedupe(lp_text *t);
/* Normalised word-hash of s[0..n): case, punctuation and spaces folded. */
uint32_t lp_norm_hash(const char *s, size_t n);

/* ---- fields (fields.c) ---- */
/* Fill every field of a (title, date, credit, ...) from the labelled
 * text; strings go into arena. LOUPE_OK or LOUPE_ENOMEM. */
int lp_fields(lp_text *t, lp_layout *lay, loupe_article *a, lp_arena *arena,
              const char *lang);

#define LP_NONE ((size_t)-1)

#endif /* LOUPE_INTERNAL_H */
