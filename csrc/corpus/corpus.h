/*
 * corpus.h - the corpus layer's shared declarations: full-text tokens
 * computed ahead, the prepared statements, cursors and the database
 * handle. It sits on the extraction layer (prefetch.c parses pages) and
 * on SQLite, FTS5 and PCRE2.
 */
#ifndef LOUPE_CORPUS_H
#define LOUPE_CORPUS_H

#include "../extract/extract.h"

struct sqlite3;
struct sqlite3_stmt;

/* ---- full-text tokens computed ahead (ftstok.c) ---- */

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
 * arguments), or NULL when SQLite has no FTS5. It owns the private
 * in-memory connection it was found through; lp_ftok_free releases both
 * (no process-wide state). */
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

/* ---- the corpus handle and its statements ---- */

/* Statements prepared once per connection (statements.c). */
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

/* ---- cursors (cursor.c) ---- */

/* What a kind of cursor does: every public loupe_cursor_* call goes
 * through its cursor's table. Column calls are made on an open cursor
 * only (the callers check), with col checked by the kind. */
typedef struct lp_cursor_methods {
  /* the next row: LOUPE_OK with *has_row 1, or 0 at the end (the kind
   * sets c->done); an error code with the message in c->errmsg */
  int (*step)(loupe_cursor *c, int *has_row);
  int (*columns)(const loupe_cursor *c);
  const char *(*name)(const loupe_cursor *c, int col);
  loupe_coltype (*type)(loupe_cursor *c, int col);
  long long (*integer)(loupe_cursor *c, int col);
  double (*real)(loupe_cursor *c, int col);
  const char *(*text)(loupe_cursor *c, int col, size_t *len);
  /* free the kind's own state (c->state); NULL when it has none */
  void (*close)(void *state);
} lp_cursor_methods;

struct loupe_cursor {
  const lp_cursor_methods *m;
  loupe_db *db;                 /* NULL once the database closed it */
  struct sqlite3_stmt *stmt;    /* the rows (owned) */
  int done;
  int fts;                      /* the statement binds an FTS5 expression */
  loupe_cursor *next, *prev;    /* the database's list of live cursors */
  loupe_regex *re;              /* a regex the statement binds (owned) */
  void *state;                  /* the kind's own state (m->close frees) */
  char errmsg[200];
};

/* The rows of a statement, as SQLite gives them. */
extern const lp_cursor_methods lp_sql_cursor;

/* A cursor of kind m over statement st (taken over: finalized on
 * failure) with the kind's state (freed by m->close on failure), tracked
 * by db. LOUPE_OK or LOUPE_ENOMEM. */
int lp_cursor_new(loupe_db *db, struct sqlite3_stmt *st,
                  const lp_cursor_methods *m, void *state,
                  loupe_cursor **out);
/* A keyword-in-context cursor over the (id, date, body) rows of st: one
 * row (left, match, right, id, date) per match of kw (taken over), with
 * width characters of context each side. */
int lp_kwic_cursor(loupe_db *db, struct sqlite3_stmt *st, loupe_regex *kw,
                   int width, loupe_cursor **out);

/* ---- queries (query.c builds, compile.c compiles) ---- */

typedef struct {
  loupe_filter key;
  char *value;
} lp_filter_val;

struct loupe_query {
  loupe_db *db;
  lp_buf fts;              /* FTS5 expression: parts joined by AND */
  int has_text;            /* fts holds analyst text, phrase or NEAR */
  size_t max_bytes;        /* limit on the search text's bytes */
  size_t max_terms;        /* limit on its terms (words, phrases, ...) */
  size_t bytes, terms;     /* what the search text holds so far */
  char *since, *until;
  lp_filter_val *filters;  /* grows; the statement's parameters bound
                              them (SQLITE_LIMIT_VARIABLE_NUMBER) */
  int n_filters, cap_filters;
  loupe_regex *re;
  loupe_regex_limits re_limits;  /* for the regexes the query compiles */
  int quotes_only;
  int collapse;            /* one hit per republication cluster */
  int count_clusters;      /* group counts count clusters, not articles */
  loupe_order order;
  long long limit, offset;
  char errmsg[300];
};

/* Set q's message to "out of memory"; returns LOUPE_ENOMEM. */
int lp_query_nomem(loupe_query *q);

/* The columns of a hit row: the light ones. The body, snippet and
 * highlight are read on demand (loupe_db_hit_field): building them for
 * every hit cost more than the search (FTS5 snippet() tokenizes the whole
 * body), and most loops over hits never read them. */
#define LP_HIT_COLS \
  "a.id, a.path, a.title, a.date, a.date_precision, a.dateline, a.credit," \
  " a.outlet, a.lang, a.authors, a.editors, a.cluster_id AS cluster"

/* The code and message (into msg) of a step that failed with SQLite code
 * rc on db: the error of re when the regex it runs failed (LOUPE_ELIMIT
 * or LOUPE_ESYNTAX), a bad search text (LOUPE_ESYNTAX) when the statement
 * binds an FTS5 expression (fts) and FTS5 rejected it, else
 * lp_db_error's. */
int lp_step_error(loupe_db *db, int rc, const loupe_regex *re, int fts,
                  char *msg, size_t cap);
/* The code of re's last match (LOUPE_OK, or the error it set the
 * message of), for lp_step_error. */
int lp_regex_status(const loupe_regex *re);

/* Band keys not yet in the lsh table (see cluster.c): in memory, hashed by
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
  lp_buf field[2];              /* the last hit fields read (hits.c) */
  const lp_ftoks *tok_ahead;    /* the article being indexed, tokenized
                                   ahead (ftstok.c), or NULL */
  int tok_mode;                 /* the corpus's tokenizer, LP_TOK_* */
  int tok_want, tok_want_set;   /* LP_TOK_STEM_EN or 0 as the open asked */
  struct lp_totals *wt;         /* word totals' changes not yet written
                                   (totals.c), or NULL */
  char errmsg[300];
};

/* ---- the corpus file: errors.c, statements.c, open.c, schema.c ---- */

/* Set db's message from SQLite's and map the SQLite code to a LOUPE_*
 * code. what says what failed ("insert article"). A damaged corpus, a
 * full disk, a lock held too long and other troubles of the file itself
 * give a message that starts with the corpus file's name. */
int lp_db_error(loupe_db *db, int sqlite_rc, const char *what);
/* Run sql (no rows) on db; LOUPE_OK or lp_db_error's code. */
int lp_db_exec(loupe_db *db, const char *sql, const char *what);
/* Register a cursor with its database (cursor.c). */
void lp_db_track(loupe_db *db, loupe_cursor *c);
/* Finalize a cursor's statement and unlink it from its database. */
void lp_cursor_release(loupe_cursor *c);
/* The cached statement k (ST_*), prepared on first use, reset and with
 * its bindings cleared; the caller resets it again after use. */
int lp_db_stmt(loupe_db *db, int k, struct sqlite3_stmt **out);
/* A cursor over the rows of sql (no parameters). */
int lp_simple_cursor(loupe_db *db, const char *sql, loupe_cursor **out);
/* Step st once (a statement that writes, or reads one row it ignores)
 * and reset it; LOUPE_OK or lp_db_error's code for what. */
int lp_db_run(loupe_db *db, struct sqlite3_stmt *st, const char *what);
/* The corpus may be written to: open and not read-only (LOUPE_EMISUSE
 * with a message otherwise). */
int lp_db_writable(loupe_db *db);
/* Add a line (printf format) to the notices of the open. */
void lp_notice(loupe_db *db, const char *fmt, ...);
/* The file's schema version into *version (0 for a fresh file);
 * LOUPE_ECORRUPT and a message when it is a SQLite database that is not
 * a loupe corpus. */
int lp_schema_version(loupe_db *db, int *version);
/* Create or migrate the schema inside one transaction. */
int lp_schema_migrate(loupe_db *db);
/* Is a bulk load's index building pending (loupe_db_defer_indexes)? */
int lp_indexes_deferred(loupe_db *db, int *deferred);

/* ---- storing articles: record.c, cluster.c, store.c ---- */

/* Append s to b as a JSON string literal. */
int lp_json_string(lp_buf *b, const char *s, size_t n);
/* Write article a's row (insert, or update of article existing) and its
 * children; *id is its id. sig is its packed signature (NULL: none) and
 * cluster the cluster it joins (0: none). */
int lp_store_article(loupe_db *db, const loupe_article *a, const char *path,
                     const char *hash, size_t bytes, long long existing,
                     const unsigned char *sig, long long cluster,
                     long long *id);
/* Article from has the content of article into: its paths go to into,
 * and it goes (store.c). */
int lp_merge_into(loupe_db *db, long long from, long long into);

/* Candidates considered for one article at most. */
#define LP_MAX_CANDIDATES 512
/* A body shorter than this is not clustered: with a handful of shingles,
 * two unrelated pages that share one stock sentence look like copies. */
#define LP_CLUSTER_MIN_WORDS 20

/* Where an article goes: the clusters it links and the one they join. */
typedef struct {
  int64_t keys[LP_MINHASH_BANDS];
  long long target;                   /* 0: a cluster of its own */
  long long clusters[LP_MAX_CANDIDATES];
  int n;
  long long seen[LP_MAX_CANDIDATES];
  int nseen;
} lp_placement;

/* The signature of a body, when it is long enough to be clustered. */
int lp_body_signature(const char *body, size_t len, lp_sig *sig);
/* Find where an article with signature sig goes (self: its id when it
 * is being replaced, else 0). Reads only. */
int lp_cluster_find(loupe_db *db, long long self, const lp_sig *sig,
                    lp_placement *pl);
/* After article id's row is written: join or merge the clusters of pl
 * and put its band keys in waiting. */
int lp_cluster_place(loupe_db *db, long long id, const lp_placement *pl);
/* Forget the band keys of article id's stored signature. */
int lp_cluster_drop(loupe_db *db, long long id);
/* Compute every signature and cluster again (a migration). */
int lp_cluster_rebuild(loupe_db *db);
/* Write the waiting band keys when enough have gathered (force: now). */
int lp_pend_flush(loupe_db *db, int force);
/* Forget the waiting keys in memory (they are loaded again when needed:
 * after a rollback). */
void lp_pend_reset(loupe_db *db);
void lp_pend_free(lp_lsh_pending *p);

/* ---- the word totals ingest keeps for keyness (totals.c) ---- */

/* The schema version from which a corpus keeps them, and their tables:
 * the totals, and the changes of recent transactions not yet added to
 * them (one row each, "word\tchange\n" lines; see totals.c). */
#define LP_TOTALS_SCHEMA 6
#define LP_TOTALS_TABLE \
  "CREATE TABLE word_totals(" \
  " word TEXT PRIMARY KEY," \
  " n INTEGER NOT NULL) WITHOUT ROWID;" \
  "CREATE TABLE word_totals_log(" \
  " id INTEGER PRIMARY KEY," \
  " changes BLOB NOT NULL);"

/* Does db's corpus keep them (schema version 6 on)? */
int lp_totals_kept(const loupe_db *db);
/* Are changes waiting to be written (lp_totals_flush)? */
int lp_totals_pending(const loupe_db *db);
/* Note the words of a body written (sign 1) or taken away (-1); of the
 * stored body of article id. No-ops on a corpus that keeps none. */
int lp_totals_add(loupe_db *db, const char *body, size_t len, int sign);
int lp_totals_add_article(loupe_db *db, long long id, int sign);
/* Write the changes (in the transaction, before it commits); on failure
 * they are still waiting and the caller rolls back. */
int lp_totals_flush(loupe_db *db);
/* Forget the changes (the transaction was rolled back). */
void lp_totals_reset(loupe_db *db);
void lp_totals_free(loupe_db *db);
/* Create the table afresh from every body (a migration): *words rows,
 * counted in *articles articles. */
int lp_totals_rebuild(loupe_db *db, long long *words, long long *articles);
/* Count every body again and compare with the table: *differ words
 * whose totals differ, the first described in example. */
int lp_totals_compare(loupe_db *db, long long *differ, char *example,
                      size_t cap);

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
