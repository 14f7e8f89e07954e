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
#define LP_NLANG 9   /* languages with stop-word lists (features.c) */

/* Integer hash finaliser (murmur3-style), for word and shingle hashes. */
static inline uint32_t lp_mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x7feb352dU;
  h ^= h >> 15;
  h *= 0x846ca68bU;
  h ^= h >> 16;
  return h;
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

static inline int lp_is_cjk(uint32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||   /* kana */
         (cp >= 0x3400 && cp <= 0x9FFF) ||   /* CJK ideographs */
         (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* hangul */
         (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
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
 * charsets through tables glibc's iconv fills (text.c). */
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
/* Join wrapped lines (hard-wrapped dumps) in place; LOUPE_OK or ENOMEM. */
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
/* Normalised word-hash of s[0..n): case, punctuation and spaces folded. */
uint32_t lp_norm_hash(const char *s, size_t n);

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
/* ---- full-text tokens computed ahead (ftstok.c) ---- */

struct sqlite3;

/* One token as SQLite's unicode61 tokenizer gave it. */
typedef struct {
  uint32_t off, len;       /* the folded token in chars */
  int start, end;          /* its bytes in the text */
  int tflags;
} lp_ftok;

/* The tokens of an article's title (column 0) and body (1): the texts
 * they came from (compared again before use) and the tokens of column c
 * at tok[first[c] .. first[c + 1]). */
typedef struct lp_ftoks {
  const char *text[2];
  size_t len[2];
  size_t first[3];
  lp_ftok *tok;
  size_t ntok, cap;
  char *chars;
  size_t nchars, ccap;
  int ready;
} lp_ftoks;

/* A tokenizer for one thread (the built-in unicode61 with articles_fts's
 * arguments), or NULL when SQLite has no FTS5. */
void *lp_ftok_new(void);
void lp_ftok_free(void *tokenizer);
/* Tokenize an article's title and body (either may be NULL) into k,
 * which the caller frees with lp_ftoks_free. LOUPE_OK or an error. */
int lp_ftoks_make(void *tokenizer, const char *title, size_t tlen,
                  const char *body, size_t blen, lp_ftoks *k);
void lp_ftoks_free(lp_ftoks *k);
/* Memory k holds. */
size_t lp_ftoks_bytes(const lp_ftoks *k);
/* Wrap unicode61 on db's connection: while *ahead points to tokens, a
 * document whose text is theirs is given those tokens. */
int lp_ftok_register(struct sqlite3 *db, const lp_ftoks *const *ahead);

/* What a prefetch worker computed for storing an article (loupe_page's
 * ahead): its near-duplicate signature and its full-text tokens. */
typedef struct lp_ahead {
  lp_sig sig;
  int has_sig;
  lp_ftoks toks;             /* toks.ready when computed */
  char bytes_hash[LOUPE_HASH_LEN + 1];  /* lp_bytes_hash of the page */
} lp_ahead;

/* ---- identity (identity.c) ---- */
/* The hash schema version 2 gave a page's bytes as they were: kept to
 * recognise the pages of a migrated corpus by their bytes. */
void lp_bytes_hash(const char *bytes, size_t n, char out[LOUPE_HASH_LEN + 1]);

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

/* ---- the corpus (store.c, query.c) ---- */
struct sqlite3;
struct sqlite3_stmt;

/* Statements prepared once per connection (store.c). */
enum {
  ST_BY_PATH, ST_BY_HASH, ST_INSERT, ST_UPDATE, ST_DEL_PARAS, ST_DEL_PEOPLE,
  ST_INS_PARA, ST_INS_PERSON, ST_DEL_QUOTES, ST_DEL_ENTITIES, ST_INS_QUOTE,
  ST_INS_ENTITY, ST_FTS_INSERT, ST_BEGIN, ST_COMMIT,
  ST_COUNT, ST_LSH_FIND, ST_LSH_INS, ST_LSH_DEL, ST_SET_SIG, ST_GET_SIG,
  ST_JOIN, ST_MERGE, ST_CAND, ST_PEND_ADD, ST_PEND_DEL, ST_PEND_LOAD,
  ST_PEND_CLEAR, ST_DATA_VERSION, ST_MAX_ID,
  ST_HIT_BODY, ST_HIT_SNIPPET, ST_HIT_HIGHLIGHT, ST_HIT_RANK,
  ST_INS_PARA8, ST_INS_PARA4, ST_INS_PARA2,
  ST_PATH_INS, ST_PATH_DEL, ST_PATH_OTHER, ST_ART_PATH, ST_SET_PATH,
  ST_SET_HASH, ST_PATH_MOVE, ST_DEL_ARTICLE, ST_RENAME_CLUSTER,
  ST_DEL_PATHS,
  ST__N
};

/* Kinds of cursor. */
enum { LP_CUR_SQL = 1, LP_CUR_KWIC };

struct loupe_cursor {
  loupe_db *db;                 /* NULL once the database closed it */
  struct sqlite3_stmt *stmt;    /* the rows (owned) */
  int kind;
  int done;
  loupe_cursor *next, *prev;    /* the database's list of live cursors */
  loupe_regex *re;              /* a regex the statement binds (owned) */
  /* keyword-in-context state */
  loupe_regex *kw;              /* the keyword matcher (owned) */
  int width;
  size_t pos;                   /* next search offset in the body */
  int have_article;
  lp_buf row;                   /* left, match, right of the current hit */
  size_t cut[3];                /* lengths of left, match, right in row */
  long long art_id;
  char *art_date;
  char errmsg[200];
};

/* Band keys not yet in the lsh table (see store.c): in memory, hashed by
 * key, and listed by article in the lsh_pending table. */
typedef struct {
  int64_t key;
  long long id;
} lp_lsh_entry;

typedef struct {
  lp_lsh_entry *e;
  size_t n, cap;
  uint32_t *slot;               /* entry index + 1, open addressing */
  size_t nslot;
  size_t articles;              /* articles the entries belong to */
  int loaded;                   /* matches lsh_pending */
  long long data_version;       /* PRAGMA data_version when loaded */
  size_t flush_min;             /* flush at commit from this many articles */
} lp_lsh_pending;

struct loupe_db {
  struct sqlite3 *sql;
  char *path;                   /* the corpus file as the caller named it */
  lp_lsh_pending pend;
  struct sqlite3_stmt *st[ST__N];
  loupe_parser *parser;
  loupe_cursor *cursors;        /* live cursors, finalized on close */
  int in_txn;
  int readonly;
  int created;                  /* this open created the file */
  int schema;                   /* the file's schema version */
  int busy_ms;                  /* how long a locked corpus is waited for */
  long long legacy;             /* articles with a byte hash ("raw:...")
                                   from a migrated corpus */
  char notices[600];            /* what the caller should be told of the
                                   open ("" none), one per line */
  lp_buf report;                /* loupe_db_check's problems */
  int no_cluster;               /* skip near-duplicate clustering */
  double cluster_threshold;     /* estimated Jaccard to join a cluster */
  lp_buf field[2];              /* the last hit fields read (query.c) */
  const lp_ftoks *tok_ahead;    /* the article being indexed, tokenized
                                   ahead (ftstok.c), or NULL */
  char errmsg[300];
};

/* Set db's message from SQLite's and map the SQLite code to a LOUPE_*
 * code. what says what failed ("insert article"). A damaged corpus, a
 * full disk, a lock held too long and other troubles of the file itself
 * give a message that starts with the corpus file's name. */
int lp_db_error(loupe_db *db, int sqlite_rc, const char *what);
/* Run sql (no rows) on db; LOUPE_OK or lp_db_error's code. */
int lp_db_exec(loupe_db *db, const char *sql, const char *what);
/* Register a cursor with its database (query.c makes them). */
void lp_db_track(loupe_db *db, loupe_cursor *c);
/* Finalize a cursor's statement and unlink it from its database. */
void lp_cursor_release(loupe_cursor *c);
/* The cached statement k (ST_*), prepared on first use, reset and with
 * its bindings cleared; the caller resets it again after use. */
int lp_db_stmt(loupe_db *db, int k, struct sqlite3_stmt **out);
/* A cursor over the rows of sql (no parameters). */
int lp_simple_cursor(loupe_db *db, const char *sql, loupe_cursor **out);
/* Append s to b as a JSON string literal. */
int lp_json_string(lp_buf *b, const char *s, size_t n);

#endif /* LOUPE_INTERNAL_H */
