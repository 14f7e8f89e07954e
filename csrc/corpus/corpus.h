/*
 * corpus.h - the corpus layer's shared declarations: full-text tokens
 * computed ahead, the prepared statements, cursors and the database
 * handle. It sits on the extraction layer (prefetch.c parses pages) and
 * on SQLite, FTS5 and PCRE2.
 */
#ifndef LOUPE_CORPUS_H
#define LOUPE_CORPUS_H

#include "../extract/extract.h"

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
/* Register loupe's tokenizer (tokenizer.c) under the name unicode61 on
 * db's connection: it tokenizes as *mode (LP_TOK_*) says when a table
 * connects; while *ahead points to tokens, a document whose text is
 * theirs is given those tokens. */
int lp_ftok_register(struct sqlite3 *db, const lp_ftoks *const *ahead,
                     const int *mode);
#define LP_TOK_CJK 1       /* CJK characters (schema version 4) */
#define LP_TOK_STEM_EN 2   /* English stems colocated */

/* What a prefetch worker computed for storing an article (loupe_page's
 * ahead): its near-duplicate signature and its full-text tokens. */
typedef struct lp_ahead {
  lp_sig sig;
  int has_sig;
  lp_ftoks toks;             /* toks.ready when computed */
  char bytes_hash[LOUPE_HASH_LEN + 1];  /* lp_bytes_hash of the page */
} lp_ahead;

/* ---- the corpus (store.c, query.c) ---- */
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
  int tok_mode;                 /* the corpus's tokenizer, LP_TOK_* */
  int tok_want, tok_want_set;   /* LP_TOK_STEM_EN or 0 as the open asked */
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

/* ---- the corpus's tokenizer (tokenizer.c) ---- */
/* The mode bits of an open's stem option ("en", or NULL, "" or "none");
 * LOUPE_EINVAL for another. */
int lp_tok_stem_code(const char *stem, int *mode);
/* In migrate()'s transaction, before (after = 0) and after (1) the schema
 * of a corpus at version is created or migrated: the tokenizer of a new
 * corpus is recorded; an older one's full-text index is rebuilt. */
int lp_tok_migrate(loupe_db *db, int version, int after);
/* After the open: take the tokenizer recorded in a corpus at version
 * (unicode61 as it was before version 4); LOUPE_EINVAL when the open
 * asked for another stem than the corpus was created with. */
int lp_tok_configure(loupe_db *db, int version);

#endif /* LOUPE_CORPUS_H */
