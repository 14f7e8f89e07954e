/*
 * loupe_corpus.h - the corpus layer of the public API: the SQLite
 * file, files to ingest, reading ahead, regexes, queries and cursors
 * (csrc/corpus).
 * Part of loupe.h, which includes it: include loupe.h, not this file.
 */
#ifndef LOUPE_PUBLIC_CORPUS_H
#define LOUPE_PUBLIC_CORPUS_H
#ifndef LOUPE_H
#error "include loupe.h, which includes loupe_corpus.h"
#endif

/* ======================================================================
 * The corpus: one SQLite file with articles, paragraphs and an FTS5 index
 * ====================================================================== */

typedef struct loupe_db loupe_db;
typedef struct loupe_query loupe_query;
typedef struct loupe_cursor loupe_cursor;

/*
 * Check the libraries loupe runs on: SQLite 3.30 or later with FTS5,
 * PCRE2 10.x with the same major version it was built against.
 *   err/errcap: receive what is missing.
 * Returns LOUPE_OK or LOUPE_EINVAL.
 */
int loupe_check_runtime(char *err, size_t errcap);

#define LOUPE_OPEN_READONLY 1   /* open an existing corpus read-only */

/* Default time a locked corpus is waited for, in milliseconds. */
#define LOUPE_BUSY_TIMEOUT 10000

/* Options of loupe_db_open_with (zero fields take the defaults). */
typedef struct {
  int flags;             /* LOUPE_OPEN_READONLY or 0 */
  int busy_timeout_ms;   /* how long to wait for a corpus another
                            connection holds locked before failing with
                            LOUPE_EBUSY: 0 the default
                            (LOUPE_BUSY_TIMEOUT), negative not at all */
  const char *stem;      /* full-text word forms of a new corpus: "en"
                            (English stems: "hackers" finds "hacker"),
                            "none"; NULL takes the corpus's own. An
                            existing corpus keeps its choice (asking for
                            another is LOUPE_EINVAL); an older one is
                            re-indexed with it. */
} loupe_open_options;

/*
 * Open (creating and migrating as needed) the corpus at path; ":memory:"
 * gives a private in-memory corpus. WAL mode, a busy timeout.
 *   A read-only open never writes: no pragma that writes, no index
 *   build, no migration. It reads the file through SQLite's read-only
 *   mode and, when the write-ahead log's shared memory (-shm) cannot be
 *   made (a read-only folder) and no log is waiting to be folded in,
 *   as an immutable file. A corpus of an older schema is read as it is
 *   (see loupe_db_notices); a newer one is refused (LOUPE_EVERSION).
 *   A writable open migrates an older schema in one transaction and says
 *   so in loupe_db_notices.
 *   out: receives the handle even on failure when a message is available
 *        (close it with loupe_db_close); NULL when out of memory.
 * Returns LOUPE_OK, LOUPE_EIO, LOUPE_EBUSY, LOUPE_ECORRUPT (damaged or not
 * a corpus), LOUPE_EVERSION, LOUPE_EDB.
 */
int loupe_db_open_with(const char *path, const loupe_open_options *o,
                       loupe_db **out);

/* loupe_db_open_with with the flags and default options. */
int loupe_db_open(const char *path, int flags, loupe_db **out);

/*
 * What the caller should be told about the open: a migration done, an
 * older schema read as it is. One message per line, "" when none; owned
 * by db.
 */
const char *loupe_db_notices(const loupe_db *db);

/*
 * Remove a corpus file this open created when it holds no article (a
 * first ingest that stored nothing), with its -wal and -shm files, and
 * close the connection. Nothing is removed when another connection has
 * the file open or an article is stored.
 *   removed: receives 1 when the file was removed (db is then closed:
 *            only loupe_db_close may follow), else 0.
 * Returns LOUPE_OK, LOUPE_EMISUSE (closed, read-only or a transaction
 * open) or LOUPE_EIO (the file could not be removed).
 */
int loupe_db_discard(loupe_db *db, int *removed);

/* Close the corpus; live cursors are finalized first. NULL accepted.
 * An open transaction is rolled back. */
void loupe_db_close(loupe_db *db);

/* Message of the last failure on db (owned by db, replaced by its next
 * failure; "no database" for NULL). After a failed open it says why. */
const char *loupe_db_errmsg(const loupe_db *db);

/* The schema version this library writes. */
#define LOUPE_SCHEMA_VERSION 6

/*
 * Near-duplicate clustering at ingest (on by default): on != 0 to cluster,
 * threshold the similarity a page needs with a cluster member to join it
 * (0 keeps the current, default 0.8): the estimated containment of the
 * shorter body's word 3-shingles in the longer's, from MinHash
 * signatures. Returns LOUPE_OK or LOUPE_EINVAL.
 */
int loupe_db_set_clustering(loupe_db *db, int on, double threshold);

/*
 * The charset of the pages loupe_db_add() parses (see
 * loupe_parser_set_charset; NULL or "auto" detects it). Returns LOUPE_OK
 * or LOUPE_EINVAL for a name loupe does not read (loupe_db_errmsg says
 * which names it reads).
 */
int loupe_db_set_charset(loupe_db *db, const char *charset);

/*
 * Transactions around ingest batches: loupe_db_begin opens one (BEGIN
 * IMMEDIATE: it waits up to the busy timeout for another writer),
 * loupe_db_commit writes the near-duplicate keys waiting in memory when
 * enough have gathered, and commits;
 * loupe_db_rollback drops everything since begin (LOUPE_OK when none is
 * open). A nested begin, or a commit without begin, is LOUPE_EMISUSE; a
 * failed commit leaves the transaction open for the caller to roll back.
 * Return LOUPE_OK, LOUPE_EMISUSE, LOUPE_EBUSY or a database error.
 */
int loupe_db_begin(loupe_db *db);
int loupe_db_commit(loupe_db *db);
int loupe_db_rollback(loupe_db *db);

/* What loupe_db_add did with a page. */
typedef enum {
  LOUPE_ADDED = 1,       /* new article */
  LOUPE_UPDATED,         /* the path's earlier content was replaced */
  LOUPE_UNCHANGED,       /* same content already stored (under this path,
                            or without one for text added without) */
  LOUPE_DUPLICATE        /* same content already stored as an article:
                            the path is recorded as another location */
} loupe_add_status;

/*
 * Parse one page and store it (inside the current transaction, or in one
 * of its own when none is open). It runs the three steps below in turn:
 * loupe_db_lookup (an unchanged page stops there, unparsed), loupe_parse
 * with the corpus's own parser, loupe_db_store.
 *   bytes/len: the raw page.
 *   path:      where it came from (NULL for text added directly; the
 *              content hash then identifies it).
 *   status/id: what happened and the article id.
 * Returns LOUPE_OK, a parse error (LOUPE_EEMPTY, LOUPE_EENCODING,
 * LOUPE_ELIMIT: nothing is stored), or a database error.
 */
int loupe_db_add(loupe_db *db, const char *bytes, size_t len,
                 const char *path, loupe_add_status *status, long long *id);

/*
 * Step 1 of loupe_db_add: what the corpus holds for a page. Reads only.
 *   path:   where the page came from, or NULL for text without a path.
 *   hash:   the page's content hash (loupe_hash).
 *   status: receives LOUPE_UNCHANGED (path, or for NULL any article,
 *           holds this content: nothing to do), LOUPE_DUPLICATE (another
 *           article holds this content: record path with loupe_db_link),
 *           LOUPE_UPDATED (path holds other content, to be replaced) or
 *           LOUPE_ADDED (nothing stored: a new article).
 *   id:     receives the stored article's id (0 for LOUPE_ADDED): the
 *           article to link for LOUPE_DUPLICATE, the one to pass to
 *           loupe_db_store as existing for LOUPE_UPDATED.
 * Returns LOUPE_OK, LOUPE_EMISUSE (closed corpus), LOUPE_EINVAL (no hash)
 * or a database error.
 */
int loupe_db_lookup(loupe_db *db, const char *path, const char *hash,
                    loupe_add_status *status, long long *id);

/*
 * The hash stored for path, for callers that want to know ahead which
 * files are unchanged (see loupe_prefetch_new).
 *   out: receives the hash, or "" when path is not in the corpus.
 * Returns LOUPE_OK, LOUPE_EMISUSE (closed corpus), LOUPE_EINVAL (no path)
 * or a database error.
 */
int loupe_db_stored_hash(loupe_db *db, const char *path,
                         char out[LOUPE_HASH_LEN + 1]);

/*
 * loupe_db_stored_hash for n paths at once, read in one transaction (one
 * snapshot, one lock) unless the caller has one open.
 *   out: n hashes of LOUPE_HASH_LEN + 1 bytes each, "" for a path not in
 *        the corpus.
 * Returns as loupe_db_stored_hash.
 */
int loupe_db_stored_hashes(loupe_db *db, const char *const *paths, size_t n,
                           char *out);

/*
 * Step 3 of loupe_db_add: store a parsed article (step 2 is loupe_parse,
 * which needs no database), inside the current transaction or in one of
 * its own when none is open.
 *   a:        the article (not modified; still the caller's).
 *   path:     where it came from, or NULL (see loupe_db_add).
 *   hash/len: the content hash and size of the page it was parsed from.
 *   existing: the id loupe_db_lookup gave for the page (0: a new
 *             article); look it up in the same transaction, so that it
 *             is still true.
 *   id:       receives the article id.
 * Returns LOUPE_OK, LOUPE_EMISUSE (closed or read-only corpus),
 * LOUPE_EINVAL (no article or hash) or a database error; inside a
 * caller's transaction a failure leaves it to be rolled back by the
 * caller.
 */
int loupe_db_store(loupe_db *db, const loupe_article *a, const char *path,
                   const char *hash, size_t len, long long existing,
                   long long *id);

/*
 * Step 3 of loupe_db_add for a LOUPE_DUPLICATE page: record path as a
 * location of article id (inside the current transaction or one of its
 * own). The article path named before loses it, and is removed when it
 * had no other path: its content is no longer at any of them.
 * Returns LOUPE_OK, LOUPE_EMISUSE (closed or read-only corpus),
 * LOUPE_EINVAL (no path, or no article id) or a database error.
 */
int loupe_db_link(loupe_db *db, const char *path, long long id);

/* Cursor over the paths (one column, path) article id was ingested
 * from, in order; none for text added without a path. out receives the
 * cursor (free it with loupe_cursor_free). Returns LOUPE_OK, LOUPE_EMISUSE
 * (closed corpus) or a database error. */
int loupe_db_paths(loupe_db *db, long long id, loupe_cursor **out);

/* Number of articles stored into *n. Returns LOUPE_OK or a database
 * error (LOUPE_EMISUSE when closed). */
int loupe_db_count(loupe_db *db, long long *n);

/*
 * Bulk loading. New rows fall on random pages of the indexes by name
 * (quotes by speaker, entities by name), so each commit rewrites many of
 * their pages; an ingest that adds more articles than the corpus holds
 * is faster without them, built once at its end by one sorted pass.
 * loupe_db_defer_indexes drops them and marks the corpus, in a
 * transaction of its own (none may be open); loupe_db_build_indexes
 * creates what is missing and clears the mark. Queries stay correct in
 * between, only slower by speaker and entity. A corpus left marked (a
 * killed ingest) gets its indexes on its next writable open.
 * Return LOUPE_OK, LOUPE_EMISUSE (read-only, closed, or a transaction
 * open), LOUPE_EBUSY or a database error.
 */
int loupe_db_defer_indexes(loupe_db *db);
int loupe_db_build_indexes(loupe_db *db);

/* What loupe_db_check found. */
typedef struct {
  int schema_version;         /* the file's */
  long long articles, paragraphs, quotes, entities, paths;
  long long index_rows;       /* documents in the full-text index */
  int deferred_indexes;       /* a bulk load left the indexes by speaker
                                 and entity name to be built */
  int problems;               /* problems found, 0 for a sound corpus */
  const char *report;         /* one line per problem ("" when none),
                                 owned by db until the next check */
} loupe_check_result;

/*
 * Check a corpus: SQLite's integrity check, the full-text index's own
 * integrity check against the articles (on a copy in a temporary file
 * when the corpus is open read-only, so the corpus is never written),
 * the counts and links that must agree (index rows and articles,
 * paragraphs that make up each body, numbered quotes and paragraphs
 * without gaps, rows whose article is gone, paths and content hashes),
 * and the schema version.
 *   out: receives the counts and problems.
 * Returns LOUPE_OK when the check ran (problems are in out), or
 * LOUPE_EMISUSE (closed corpus), LOUPE_ENOMEM.
 */
int loupe_db_check(loupe_db *db, loupe_check_result *out);

/*
 * A quick test that the corpus file is sound before writing into it:
 * SQLite's quick check of every table and index (it reads the whole
 * file once; about a second for a few hundred megabytes).
 * Returns LOUPE_OK, LOUPE_ECORRUPT (the message names the first problem
 * and suggests loupe check), LOUPE_EMISUSE or another database error.
 */
int loupe_db_verify(loupe_db *db);

/* ---- files to ingest ---- */

/*
 * Expand paths, folders (walked recursively; hidden entries skipped) and
 * glob patterns into a sorted list of regular files without duplicates.
 *   specs/nspecs: what to expand.
 *   out/count:    receive the list (free with loupe_free_files).
 *   err/errcap:   receive a message naming the path on failure.
 * Returns LOUPE_OK, LOUPE_EIO (missing path, pattern matching nothing),
 * LOUPE_ELIMIT (folders nested too deep), LOUPE_ENOMEM.
 */
int loupe_list_files(const char *const *specs, size_t nspecs, char ***out,
                     size_t *count, char *err, size_t errcap);
/* Free a list from loupe_list_files; NULL is accepted. */
void loupe_free_files(char **paths, size_t count);

/* ---- reading and parsing ahead (worker threads) ---- */

/*
 * A prefetcher reads, hashes and parses the files of a list on worker
 * threads (one parser each, default options) while its caller stores the
 * pages it has already received; pages come back in list order. Its
 * memory is bounded however long the list: it reads at most 64 pages
 * plus 4 per thread ahead, and stops reading ahead once 16 MiB of pages
 * wait for the caller. All its calls are made from one thread, the one
 * that created it.
 */
typedef struct loupe_prefetch loupe_prefetch;

/* Most worker threads a prefetcher starts. */
#define LOUPE_PREFETCH_MAX_THREADS 64

/* One page as loupe_prefetch_next delivers it; read-only, owned by the
 * prefetcher until the next call to loupe_prefetch_next or _free. */
typedef struct {
  const char *path;         /* the file, as listed */
  int rc;                   /* LOUPE_OK, or why the file gives no article:
                               LOUPE_EIO (cannot be read), LOUPE_EEMPTY,
                               LOUPE_EENCODING, LOUPE_ELIMIT, LOUPE_ENOMEM */
  const char *errmsg;       /* the reason when rc != LOUPE_OK, without the
                               path ("No such file or directory"); "" else */
  size_t len;               /* bytes read (0 when unreadable) */
  char hash[LOUPE_HASH_LEN + 1];  /* content hash of those bytes */
  int skipped;              /* the hash equals the expected one: the page
                               was not parsed and bytes holds it */
  const char *bytes;        /* the page when skipped, else NULL */
  loupe_article *article;   /* the parse when rc is LOUPE_OK and the page
                               was not skipped, else NULL */
  const void *ahead;        /* internal: what the worker computed ahead for
                               storing the article (its near-duplicate
                               signature), read by loupe_db_add_page; NULL
                               when none */
} loupe_page;

/*
 * Start reading ahead.
 *   paths/n:  the files, in the order pages are delivered (copied).
 *   expected: NULL, or n hashes (NULL or "" entries for none; copied):
 *             a file whose hash equals its expected one is not parsed
 *             (loupe_db_stored_hash gives the hashes of a corpus).
 *   threads:  worker threads, 0 to LOUPE_PREFETCH_MAX_THREADS (never more
 *             than n); 0 reads and parses in loupe_prefetch_next itself.
 *             If the system refuses to start some, fewer run.
 *   out:      receives the prefetcher (NULL on failure); release it with
 *             loupe_prefetch_free.
 * Returns LOUPE_OK, LOUPE_EINVAL (bad threads or arguments) or
 * LOUPE_ENOMEM.
 */
int loupe_prefetch_new(const char *const *paths, const char *const *expected,
                       size_t n, int threads, loupe_prefetch **out);

/* loupe_prefetch_new whose parsers read the pages in charset (see
 * loupe_parser_set_charset; NULL detects it). LOUPE_EINVAL also for a
 * charset loupe does not read. */
int loupe_prefetch_new_charset(const char *const *paths,
                               const char *const *expected, size_t n,
                               int threads, const char *charset,
                               loupe_prefetch **out);

/*
 * Deliver the next page in list order, waiting for it when needed (the
 * calling thread reads and parses pages itself rather than idle). The
 * page delivered before is released first. A file is judged as it is
 * when its turn comes: one removed since a worker read it fails with
 * LOUPE_EIO, one changed since is read and parsed again.
 *   page: receives the page, or NULL when every page has been delivered.
 * Returns LOUPE_OK (per-file failures are in page->rc) or LOUPE_EINVAL.
 */
int loupe_prefetch_next(loupe_prefetch *pf, loupe_page **page);

/* Number of worker threads running (0: pages are read on the caller's
 * thread). */
int loupe_prefetch_threads(const loupe_prefetch *pf);

/* Stop the workers, wait for them to finish the page at hand, and release
 * every page and the prefetcher; NULL is accepted. Safe at any point,
 * also before the last page. */
void loupe_prefetch_free(loupe_prefetch *pf);

/*
 * Store a page from loupe_prefetch_next as loupe_db_add would store its
 * bytes: looked up again now (an unchanged page costs nothing more),
 * parsed by the corpus's parser when it was skipped but is no longer
 * unchanged, stored otherwise.
 *   page:      the page (not modified; still the prefetcher's).
 *   status/id: what happened and the article id.
 * Returns LOUPE_OK, the page's own failure (page->rc, its message then
 * on db), LOUPE_EINVAL (no page), or a database error, as loupe_db_add.
 */
int loupe_db_add_page(loupe_db *db, const loupe_page *page,
                      loupe_add_status *status, long long *id);

/* Number of processors online (at least 1). */
int loupe_cpu_count(void);

/* ======================================================================
 * Regular expressions (PCRE2, UTF-8, with limits on every match); a
 * loupe_regex is used by one thread at a time (it holds its match data)
 * ====================================================================== */

typedef struct loupe_regex loupe_regex;

/* Limits applied to every match; 0 means the default shown. */
typedef struct {
  unsigned long match_limit;   /* backtracking steps (default 5,000,000) */
  unsigned long depth_limit;   /* nested backtracking depth (default 100,000) */
  unsigned long heap_limit;    /* heap for backtracking, KiB (default 65,536) */
} loupe_regex_limits;

/*
 * Compile a pattern (UTF-8; invalid UTF-8 in subjects is matched safely).
 *   pattern/len: the pattern bytes.
 *   flags:       NULL or a string of 'i' (caseless), 'm' (multiline),
 *                's' (dot matches newline), 'x' (extended), 'u' (Unicode
 *                properties for \w, \d, \b).
 *   limits:      NULL for the defaults.
 *   out:         receives the regex (NULL on failure).
 *   err/errcap:  receives a message on failure ("missing ) at offset 4").
 * Returns LOUPE_OK, LOUPE_ESYNTAX (bad pattern or flag), LOUPE_EINVAL (a
 * limit above 4294967295: PCRE2 keeps them in 32 bits), LOUPE_ENOMEM.
 * JIT compilation is used when the library has it.
 */
int loupe_regex_new(const char *pattern, size_t len, const char *flags,
                    const loupe_regex_limits *limits, loupe_regex **out,
                    char *err, size_t errcap);

/* Free a regex; NULL is accepted. */
void loupe_regex_free(loupe_regex *re);

/*
 * Find the first match in subject[start..len).
 *   ovec:   receives up to max_pairs (start, end) byte offsets; pair 0 is
 *           the whole match, the others the capture groups ((size_t)-1
 *           for a group that did not take part).
 *   npairs: receives the number of pairs filled (0 when no match).
 * Returns LOUPE_OK (match or no match: see *npairs), LOUPE_ELIMIT (a
 * limit was hit; loupe_regex_errmsg names it and the option that raises
 * it), LOUPE_ESYNTAX (the pattern cannot be matched, as a recursion that
 * loops at one position; loupe_regex_errmsg says why), LOUPE_EINVAL.
 */
int loupe_regex_exec(loupe_regex *re, const char *subject, size_t len,
                     size_t start, size_t *ovec, int max_pairs, int *npairs);

/* Number of capture groups in the pattern (0 for NULL). */
int loupe_regex_groups(const loupe_regex *re);

/* Message of the last failed loupe_regex_exec ("" when none; owned by
 * re). */
const char *loupe_regex_errmsg(const loupe_regex *re);

/* ======================================================================
 * Queries: built by calls, run by one terminal (count, hits, ids, group,
 * kwic, quotes). A query belongs to its corpus's thread and is not used
 * after the corpus is closed (loupe_query_free may still follow); the
 * cursors it makes outlive it.
 * ====================================================================== */

/* Filters a query may carry (several values of one key are OR-ed). */
typedef enum {
  LOUPE_F_OUTLET = 1, LOUPE_F_CREDIT, LOUPE_F_AUTHOR, LOUPE_F_LANG,
  LOUPE_F_ID,
  LOUPE_F_SPEAKER,     /* articles quoting this speaker (exact name) */
  LOUPE_F_ENTITY,      /* articles naming this entity (name or alias) */
  LOUPE_F_KIND,        /* quotes of this kind (quotes cursor only) */
  LOUPE_F_QUOTE_TEXT   /* quotes containing this text (quotes cursor only) */
} loupe_filter;

typedef enum {
  LOUPE_ORDER_DEFAULT = 0,  /* rank with text, else date */
  LOUPE_ORDER_DATE,         /* oldest first */
  LOUPE_ORDER_DATE_DESC,    /* newest first */
  LOUPE_ORDER_RANK          /* best match first */
} loupe_order;

typedef enum {
  LOUPE_GROUP_YEAR = 1, LOUPE_GROUP_MONTH, LOUPE_GROUP_DAY,
  LOUPE_GROUP_OUTLET, LOUPE_GROUP_CREDIT
} loupe_group;

/* Default limits on a query's search text (loupe_query_set_limits). */
#define LOUPE_MAX_QUERY_BYTES 1048576
#define LOUPE_MAX_QUERY_TERMS 4096

/* A new empty query on db (it matches every article) into *out; free it
 * with loupe_query_free before db is closed. Returns LOUPE_OK,
 * LOUPE_EMISUSE (db closed or NULL) or LOUPE_ENOMEM. The calls below
 * that add to a query return LOUPE_OK or an error with the message on q
 * (LOUPE_ENOMEM always possible); a query with an error should be freed. */
int loupe_query_new(loupe_db *db, loupe_query **out);
/* Free a query; NULL is accepted. Cursors it made stay valid. */
void loupe_query_free(loupe_query *q);
/*
 * Bound the search text, before any is given (FTS5 parses a long AND
 * chain in quadratic time).
 *   max_bytes: bytes of text, phrases, NEAR terms and regex together
 *              (0: LOUPE_MAX_QUERY_BYTES).
 *   max_terms: words of the text (of raw FTS5 text: runs of letters and
 *              digits), phrases, and NEAR terms (0: LOUPE_MAX_QUERY_TERMS).
 * The calls that add text then return LOUPE_ELIMIT with a message naming
 * the limit and its option (max_query_bytes, max_query_terms).
 */
int loupe_query_set_limits(loupe_query *q, size_t max_bytes,
                           size_t max_terms);
/* The limits of the regexes the query compiles from now on (the filter
 * of loupe_query_regex, the term of loupe_query_kwic); NULL for the
 * defaults. */
int loupe_query_regex_limits(loupe_query *q,
                             const loupe_regex_limits *limits);
/* Analyst text: every word must occur (literal terms; quotes, hyphens and
 * dots are never FTS5 syntax). With raw != 0 the text is FTS5 syntax.
 * LOUPE_ELIMIT past a limit (see loupe_query_set_limits). */
int loupe_query_text(loupe_query *q, const char *text, int raw);
/* An exact phrase; LOUPE_EINVAL when it holds no letter or digit. */
int loupe_query_phrase(loupe_query *q, const char *phrase);
/* Two terms or phrases within distance tokens of each other; LOUPE_EINVAL
 * for a negative distance or a term without letters or digits. */
int loupe_query_near(loupe_query *q, const char *a, const char *b,
                     int distance);
/* A filter value (see loupe_filter; copied); values of one key are
 * OR-ed, keys AND-ed, any number of them. NULL adds nothing.
 * LOUPE_EINVAL for an unknown key. */
int loupe_query_filter(loupe_query *q, loupe_filter key, const char *value);
/* Date bounds, ISO 8601 prefixes ("2020", "2020-05", "2020-05-17",
 * optionally a time and zone), inclusive at their precision; NULL
 * clears. LOUPE_EINVAL for a month outside 01-12 or a day outside its
 * month. */
int loupe_query_since(loupe_query *q, const char *since);
int loupe_query_until(loupe_query *q, const char *until);
/* Keep articles whose body matches pattern (flags as loupe_regex_new;
 * compiled now with the query's regex limits; one regex a query). Where
 * it is safe, its literal words also narrow the search through the
 * full-text index. NULL adds nothing. LOUPE_ESYNTAX (bad pattern or
 * flag), LOUPE_EINVAL (a second regex), LOUPE_ELIMIT. */
int loupe_query_regex(loupe_query *q, const char *pattern, const char *flags);
/* The order of hits, ids, kwic rows and quotes; LOUPE_EINVAL for an
 * unknown order. */
int loupe_query_order(loupe_query *q, loupe_order order);
/* A page of the matches: at most limit (negative: no limit) after
 * skipping offset (negative counts as 0). */
int loupe_query_limit(loupe_query *q, long long limit, long long offset);
/* One hit per republication cluster (its earliest matching member). */
int loupe_query_collapse(loupe_query *q, int on);
/* Make loupe_query_group count clusters instead of articles. */
int loupe_query_count_clusters(loupe_query *q, int on);
/* Keep only articles that carry at least one quote. */
int loupe_query_quotes_only(loupe_query *q, int on);
/* Message of the last failure on q (owned by q; "no query" for NULL). */
const char *loupe_query_errmsg(const loupe_query *q);

/*
 * The terminals. A query runs one terminal that makes a cursor (hits,
 * ids, group, kwic, quotes): the cursor takes over what its statement
 * binds (the regex). Each compiles the query into one SQL statement.
 * out receives the cursor, to free with loupe_cursor_free. They return
 * LOUPE_OK, LOUPE_EMISUSE (corpus closed), LOUPE_ELIMIT (more values than
 * SQLite takes in one statement), LOUPE_ENOMEM, or a database error; bad
 * search text or a regex that cannot be matched shows at the first
 * loupe_cursor_next (LOUPE_ESYNTAX, LOUPE_ELIMIT), or from count at once.
 */

/* Count matching articles into *n. */
int loupe_query_count(loupe_query *q, long long *n);
/* Cursor over the matching articles: id, path, title, date,
 * date_precision, dateline, credit, outlet, lang, authors and editors (JSON
 * arrays), cluster, and rank for queries with text (not for a page in date
 * order, found by walking the date index: loupe_db_hit_rank reads it). The
 * body, snippet and highlight are not columns: read them per hit with
 * loupe_db_hit_field. */
int loupe_query_hits(loupe_query *q, loupe_cursor **out);
/*
 * The FTS5 expression the query's text, phrases and NEAR groups compile
 * to, which snippets and highlights are made from.
 *   q:   the query.
 *   len: receives its length in bytes (0 when there is none).
 * Returns its bytes (not NUL-terminated; owned by q, valid until q changes
 * or is freed), or NULL when the query has no text, phrase or NEAR group.
 */
const char *loupe_query_match(const loupe_query *q, size_t *len);
/* Cursor over the matching article ids (one column, id). */
int loupe_query_ids(loupe_query *q, loupe_cursor **out);
/* Cursor over (key, count) rows, keys in order (NULL last): by year,
 * month, day (of the date), outlet or credit; LOUPE_EINVAL for another
 * grouping. */
int loupe_query_group(loupe_query *q, loupe_group by, loupe_cursor **out);
/* Cursor over keyword-in-context rows (left, match, right, id, date):
 * every match of term (a literal, case-insensitive; or a regex when
 * is_regex) in the matching articles' bodies; width characters each side
 * (LOUPE_EINVAL unless positive). */
int loupe_query_kwic(loupe_query *q, const char *term, int is_regex,
                     const char *flags, int width, loupe_cursor **out);

/* Cursor over the quotes of the matching articles (text, speaker, role,
 * cue, kind, offset, paragraph, line, article_id, date, outlet, title),
 * oldest first; speaker, kind and quote-text filters apply to the quotes
 * themselves. */
int loupe_query_quotes(loupe_query *q, loupe_cursor **out);

/* ---- the corpus's lists and whole articles: each cursor's out and
 * returns as loupe_db_paths ---- */

/* Cursor over the members of every cluster of two or more articles
 * (cluster, origin, id, date, outlet, credit, title, path, similarity to
 * the origin), clusters in the order of their origin's date. */
int loupe_db_clusters(loupe_db *db, loupe_cursor **out);
/* Options of loupe_db_talking_points (zero fields take the defaults). */
typedef struct {
  int min_articles;     /* distinct republication clusters (default 3) */
  int min_years;        /* distinct years (default 1) */
  int min_words;        /* shortest phrasing in words (default 6) */
  const char *speaker;  /* only this speaker's quotes (exact name) */
  const char *since, *until;   /* ISO date bounds of the articles */
} loupe_tp_options;

/*
 * Phrasings that recur across separate articles: cursor over (text,
 * words, first, last, articles, clusters, years "YYYY:n ...", speakers,
 * outlets and variants as JSON arrays), most widespread first.
 */
int loupe_db_talking_points(loupe_db *db, const loupe_tp_options *o,
                            loupe_cursor **out);

/* Corpus statistics (stats.c): keyness of a target set of articles
 * against a reference set, collocations of a term within a window, the
 * document-feature matrix. Measures as quanteda's textstat_keyness (see
 * stats.c): chi2 (Yates), ll (G2, Williams' correction), pmi (log2). */
enum { LOUPE_STATS_KEYNESS, LOUPE_STATS_COLLOCATIONS, LOUPE_STATS_DFM };
enum { LOUPE_STAT_CHI2, LOUPE_STAT_LL, LOUPE_STAT_PMI };
typedef struct {
  int kind;                  /* LOUPE_STATS_* */
  const char *target;        /* JSON array of article ids */
  const char *reference;     /* JSON array of article ids (keyness) */
  const char *term;          /* collocations: the word or words */
  const char *const *features; /* dfm: NULL-ended list, or NULL for all */
  int measure;               /* LOUPE_STAT_* */
  int window;                /* collocations: words each side (5) */
  long long min_count;       /* least count in the target (0; 3 for
                                collocations) */
  long long limit;           /* most rows, best first (0: all) */
  int recount;               /* keyness: count every text read, not the
                                word totals the corpus keeps (a check) */
} loupe_stats_options;

/* Cursor over (feature, target, reference, chi2|ll|pmi[, p]) rows, best
 * first, or for the dfm over (doc, feature, count) cells. LOUPE_EINVAL
 * for a missing option (message on db), LOUPE_ENOMEM, database codes. */
int loupe_db_stats(loupe_db *db, const loupe_stats_options *o,
                   loupe_cursor **out);
/* The measures on the 2x2 table a, b, c, d (see stats.c). */
double loupe_stat_chi2(double a, double b, double c, double d);
double loupe_stat_ll(double a, double b, double c, double d);
double loupe_stat_pmi(double a, double b, double c, double d);
/* Cursor over (id, hash, cluster, quotes, entities) of every article, by
 * id: the content hash (a stable id across corpora), the republication
 * cluster, quotes and entities as JSON arrays (exports.c). */
int loupe_db_export_extras(loupe_db *db, loupe_cursor **out);
/* 1 when the corpus's full-text index holds English stems (opened or
 * created with stem "en": a search for "hacker" finds "hackers"), else
 * 0. */
int loupe_db_stemmed(const loupe_db *db);
/* Cursor over the speakers (name, role, quotes, first, last, outlets as a
 * JSON array), most quoted first. */
int loupe_db_speakers(loupe_db *db, loupe_cursor **out);
/* Cursor over the entities (name, kind, role, articles, mentions), most
 * widespread first; kind NULL for every kind. */
int loupe_db_entities(loupe_db *db, const char *kind, loupe_cursor **out);

/* Cursor over article id's row (the columns of hits without rank, plus
 * body, provenance, hash, bytes, parser_version, ingested_at), no row
 * when there is none. out and returns as loupe_db_paths. */
int loupe_db_get(loupe_db *db, long long id, loupe_cursor **out);

/* Cursor over article id's paragraphs (n, text, offset, line) in order.
 * out and returns as loupe_db_paths. */
int loupe_db_paragraphs(loupe_db *db, long long id, loupe_cursor **out);

/* Fields of a hit read on demand, one article at a time. */
typedef enum {
  LOUPE_HIT_BODY = 1,     /* the article body */
  LOUPE_HIT_SNIPPET,      /* up to 16 tokens of the body around the best
                             matches, matches in [ ], cuts marked "…" */
  LOUPE_HIT_HIGHLIGHT     /* the title with every match in [ ] */
} loupe_hit_field;

/*
 * Read one field of a hit by article id, with statements cached on db:
 * the hits cursor may have ended long before.
 *   db:        the corpus.
 *   match/match_len: the hit's query expression (loupe_query_match);
 *              needed for the snippet and highlight, ignored for the body.
 *   id:        the article id (the hit's id column).
 *   field:     which field.
 *   text/len:  receive the value (NUL-terminated, owned by db, valid until
 *              the next loupe_db_hit_field or loupe_db_hit_marks on db or
 *              its close), or NULL when the article is gone, the
 *              expression does not match it or the value is NULL.
 * Returns LOUPE_OK, LOUPE_EINVAL (unknown field; snippet or highlight
 * without an expression), LOUPE_ESYNTAX (malformed expression),
 * LOUPE_EMISUSE (closed corpus), LOUPE_EBUSY, LOUPE_ENOMEM, LOUPE_EDB;
 * the message on db.
 */
int loupe_db_hit_field(loupe_db *db, const char *match, size_t match_len,
                       long long id, loupe_hit_field field, const char **text,
                       size_t *len);

/*
 * The snippet and the highlight of a hit in one pass over its row (the
 * highlight then costs little more). Parameters and returns as
 * loupe_db_hit_field, with a text and a length for each.
 */
int loupe_db_hit_marks(loupe_db *db, const char *match, size_t match_len,
                       long long id, const char **snippet, size_t *snippet_len,
                       const char **highlight, size_t *highlight_len);

/*
 * The rank of a hit by article id, as the rank column gives it (FTS5
 * bm25, lower is better), for hits whose cursor has no rank column.
 * Parameters as loupe_db_hit_field; *found is 0 when the article is gone
 * or the expression does not match it. Costs a pass over the doclists of
 * the expression's phrases. Returns as loupe_db_hit_field.
 */
int loupe_db_hit_rank(loupe_db *db, const char *match, size_t match_len,
                      long long id, double *rank, int *found);

/* ======================================================================
 * Cursors: rows of a query's terminal or a corpus list. A cursor belongs
 * to its corpus's thread; closing the corpus finalizes it (later calls
 * then see a closed cursor), and loupe_cursor_free is still needed.
 * ====================================================================== */

/* The type of a cursor column's value (loupe_cursor_type). */
typedef enum {
  LOUPE_COL_NULL = 0,
  LOUPE_COL_INT = 1,
  LOUPE_COL_FLOAT = 2,
  LOUPE_COL_TEXT = 3
} loupe_coltype;

/*
 * Step to the next row: LOUPE_OK with *has_row 1, or 0 at the end (and
 * every call after). LOUPE_EMISUSE once the corpus closed it; a failed
 * step returns the code with the message in loupe_cursor_errmsg: bad
 * search text (LOUPE_ESYNTAX), a regex limit (LOUPE_ELIMIT), a locked or
 * damaged corpus (LOUPE_EBUSY, LOUPE_ECORRUPT) and the like.
 */
int loupe_cursor_next(loupe_cursor *c, int *has_row);
/* Number of columns (0 for a closed cursor). */
int loupe_cursor_columns(const loupe_cursor *c);
/* Name of column col (owned by the cursor), NULL out of range. */
const char *loupe_cursor_name(const loupe_cursor *c, int col);
/*
 * The value of column col of the current row: its type (a loupe_coltype;
 * LOUPE_COL_NULL out of range or on a closed cursor), as an integer, as a
 * number, or as text (len receives its bytes; the text belongs to the
 * cursor and is valid until its next step or free). On the rows of a
 * statement, reading a column as another type converts it as SQLite
 * does; a keyword-in-context cursor gives each column in its own type.
 */
int loupe_cursor_type(loupe_cursor *c, int col);
long long loupe_cursor_int(loupe_cursor *c, int col);
double loupe_cursor_double(loupe_cursor *c, int col);
const char *loupe_cursor_text(loupe_cursor *c, int col, size_t *len);
/* Message of the last failure on c (owned by c; "no cursor" for NULL). */
const char *loupe_cursor_errmsg(const loupe_cursor *c);
/* Release a cursor and what it holds; NULL accepted. Needed also after the
 * corpus closed it. */
void loupe_cursor_free(loupe_cursor *c);

#endif /* LOUPE_PUBLIC_CORPUS_H */
