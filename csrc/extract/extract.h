/*
 * extract.h - the extraction layer's shared declarations: the normalised
 * text and its lines, the input sniffing, and the stages of the parse
 * pipeline (text -> features -> classify -> dedupe -> fields -> quotes).
 * This layer never calls SQLite or PCRE2 (the Makefile's check-layers
 * links it alone, and LOUPE_LAYER_EXTRACT poisons their names).
 */
#ifndef LOUPE_EXTRACT_H
#define LOUPE_EXTRACT_H

#include "../util/util.h"

#ifdef LOUPE_LAYER_EXTRACT
/* Compiled into the extraction library: a wrong-way include of sqlite3.h
 * or pcre2.h, or a call into them, fails the build here. */
#pragma GCC poison sqlite3_open_v2 sqlite3_prepare_v2 sqlite3_exec
#pragma GCC poison pcre2_compile_8 pcre2_match_8
#endif

#define LP_NLANG 9   /* languages with stop-word lists (features.c) */

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
  unsigned width;          /* display columns (CJK two) with the indent */
  /* features filled by lp_features(). Counts are 32-bit: a line holds
   * at most LOUPE_MAX_INPUT bytes (loupe.h), so none can wrap; products
   * of them are computed in 64 bits (classify.c). */
  unsigned nchars;         /* code points */
  unsigned nwords;         /* letter/digit runs */
  unsigned nalpha_words;   /* words starting with a letter */
  unsigned ncap;           /* alpha words starting upper case */
  unsigned nstop;          /* stop words of the page language */
  unsigned nstop_any;      /* stop words of any known language */
  uint32_t stops[LP_NLANG];  /* stop words per known language */
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
  size_t skip;             /* bytes of a byte-order mark */
  const struct lp_codec *codec;  /* decoding tables (legacy charsets) */
  loupe_input_stats stats;
  size_t script[6];        /* kana, hangul, han, arabic, cyrillic, letters */
  struct lp_dom *dom;      /* DOM evidence of an HTML page (html.h), one
                              block per source line; NULL for text */
  char errmsg[160];
} lp_text;

/* Encodings the parser reads: UTF-8 and UTF-16 itself, the legacy
 * charsets through tables glibc's iconv fills (charset.c). */
enum {
  LP_ENC_UTF8 = 0, LP_ENC_UTF16LE, LP_ENC_UTF16BE,
  LP_ENC_CP1252, LP_ENC_GB18030, LP_ENC_BIG5, LP_ENC_SJIS,
  LP_ENC__N
};
#define LP_ENC_AUTO (-1)

/* The decoding tables of the legacy charsets, built on first use and
 * kept by the parser (one set per parser: no shared state). */
typedef struct lp_codec lp_codec;
typedef struct {
  lp_codec *c[LP_ENC__N];
  int tried[LP_ENC__N];      /* built, or found unavailable */
} lp_codecs;
void lp_codecs_free(lp_codecs *cs);
/* LP_ENC_* of a charset name ("gbk", "windows-1252", "sjis", ...; case
 * does not matter), or -1 when loupe does not read it. */
int lp_charset_lookup(const char *name);
/* The name a record gives an encoding ("utf-8", "gb18030", ...). */
const char *lp_charset_name(int enc);
/* glibc's iconv name of an encoding ("CP1252", "GB18030", ...). */
const char *lp_charset_iconv(int enc);
/* The charset bytes that are not all UTF-8 read best in (LP_ENC_UTF8
 * when they are UTF-8, even with some damage), by the test lp_text_init
 * applies to text; builds tables in cs as needed. */
int lp_charset_guess(lp_codecs *cs, const char *s, size_t len);

/* Decode, validate and normalise src into t (owned by t, release with
 * lp_text_free). enc is LP_ENC_AUTO (UTF-8 unless the bytes are not, then
 * the legacy charset they read best in) or the charset to use; cs holds
 * the tables. Returns LOUPE_OK, LOUPE_EENCODING, LOUPE_EEMPTY or
 * LOUPE_ENOMEM; on failure t->errmsg says why and t owns nothing. */
int lp_text_init(lp_text *t, const char *src, size_t len, lp_codecs *cs,
                 int enc);
void lp_text_free(lp_text *t);
/* Source byte offset of normalised column col (bytes) of line li. */
size_t lp_text_src_offset(const lp_text *t, size_t li, size_t col);
/* lp_text_src_offset resuming from a column it mapped before (from_col,
 * from_src): linear total time over increasing columns of one line. */
size_t lp_text_src_offset_from(const lp_text *t, size_t li, size_t from_col,
                               size_t from_src, size_t col);
/* Source line of byte offset off inside line li, counting line breaks
 * from from_off (on source line from_line; pass the line's src_offset and
 * src_line, or an earlier answer, to map increasing offsets linearly). */
size_t lp_text_src_line_from(const lp_text *t, size_t li, size_t from_off,
                             size_t from_line, size_t off);
/* Offsets of every source line start into out[cap]; returns the count. */
size_t lp_text_line_starts(const lp_text *t, size_t *out, size_t cap);
/* Join wrapped lines (hard-wrapped dumps) in place (unwrap.c); LOUPE_OK
 * or ENOMEM. */
int lp_text_unwrap(lp_text *t);
/* Does line l (maybe joined from several) hold source line n? */
#define lp_line_has_src(l, n) \
  ((n) >= (l)->src_line && (n) < (l)->src_line + (l)->n_src)
/* Content of a line (not NUL-terminated). */
#define LP_LINE_PTR(t, l) ((t)->text + (l)->start)

/* ---- what the input is (input.c) ---- */
/* Does s start a gzip stream? */
int lp_is_gzip(const char *s, size_t n);
/* Inflate gzip data into a new malloc'd buffer of at most max bytes.
 * LOUPE_OK, LOUPE_ELIMIT, LOUPE_EENCODING (damaged) or LOUPE_ENOMEM. */
int lp_gunzip(const char *src, size_t len, size_t max, char **out,
              size_t *outlen, char *err, size_t errcap);
/* HTML, Markdown or text, by content. */
loupe_format lp_detect_format(const char *s, size_t n);

/* ---- language and features (features.c) ---- */
typedef struct lp_lexicon lp_lexicon;
int lp_lexicon_new(lp_lexicon **out);
void lp_lexicon_free(lp_lexicon *lx);
/* Compute the features of every line (one pass each) and the script
 * counts of the page. */
void lp_features(lp_text *t, const lp_lexicon *lx);
/* Guess the page language from what lp_features() counted; returns an
 * ISO 639-1 code (static string) or NULL. */
const char *lp_guess_lang(const lp_text *t);
/* Count each line's stop words in lang (any language when NULL). */
void lp_apply_lang(lp_text *t, const char *lang);
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

/* Label every line of t: body, boilerplate, blank (sets label/reason).
 * Returns LOUPE_OK or LOUPE_ENOMEM. */
int lp_classify(lp_text *t, const char *lang, lp_layout *lay);

/* ---- repeated text (dedupe.c) ---- */
/* Mark repeated body lines LOUPE_LINE_DUPLICATE, keeping the fuller copy
 * at the position of the first; may swap line contents to do so.
 * Returns LOUPE_OK or LOUPE_ENOMEM. */
int lp_dedupe(lp_text *t);

/* ---- fields (fields.c) ---- */
/* Fill every field of a (title, date, credit, ...) from the labelled
 * text; strings go into arena. LOUPE_OK or LOUPE_ENOMEM. */
int lp_fields(lp_text *t, lp_layout *lay, loupe_article *a, lp_arena *arena,
              const char *lang);

#define LP_NONE ((size_t)-1)

/* ---- quotes, speakers and entities (quotes.c, entities.c) ---- */
/* Find the quotes and entities of an article whose body and paragraphs
 * are set; t maps body text back to the input. LOUPE_OK or ENOMEM. */
int lp_quotes(loupe_article *a, lp_text *t, lp_arena *arena);

/* A person or organisation the quote pass found in the body. */
typedef struct {
  size_t start, len;     /* the name in the body */
  const char *role;      /* NUL-terminated or NULL */
  int org;
} lp_named;

/* Fill a->entities from the named people and the body's organisations
 * and places. LOUPE_OK or LOUPE_ENOMEM. */
int lp_entities(loupe_article *a, const lp_named *people, size_t n,
                lp_arena *arena);
/* Is s[0, n) a place of the entity gazetteer ("United States", "U.S.")? */
int lp_is_place(const char *s, size_t n);


#endif /* LOUPE_EXTRACT_H */
