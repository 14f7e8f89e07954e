/*
 * open.c - opening a corpus (read-only without writing anything, or
 * writable in WAL mode with the schema created or migrated), the SQL
 * functions a connection gets, closing, discarding an empty new corpus,
 * and the handle's settings.
 */
#define _POSIX_C_SOURCE 200809L   /* strdup */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <pcre2.h>
#include "corpus.h"

int loupe_check_runtime(char *err, size_t errcap) {
  char ver[32];
  /* queries order dates with NULLS LAST (3.30) */
  if (sqlite3_libversion_number() < 3030000) {
    snprintf(err, errcap, "SQLite %s is older than 3.30",
             sqlite3_libversion());
    return LOUPE_EINVAL;
  }
  if (!sqlite3_compileoption_used("ENABLE_FTS5")) {
    /* some builds register FTS5 without the option: ask for the module */
    sqlite3 *m = NULL;
    int ok = sqlite3_open(":memory:", &m) == SQLITE_OK &&
             sqlite3_exec(m, "CREATE VIRTUAL TABLE t USING fts5(x)", NULL,
                          NULL, NULL) == SQLITE_OK;
    sqlite3_close(m);
    if (!ok) {
      snprintf(err, errcap, "SQLite %s has no FTS5 module", sqlite3_libversion());
      return LOUPE_EINVAL;
    }
  }
  if (pcre2_config(PCRE2_CONFIG_VERSION, ver) < 0 ||
      atoi(ver) != PCRE2_MAJOR) {
    snprintf(err, errcap, "PCRE2 runtime %s does not match the build's %d.x",
             ver, PCRE2_MAJOR);
    return LOUPE_EINVAL;
  }
  return LOUPE_OK;
}

/* loupe_sim(a, b): the similarity clusters are formed by (estimated
 * containment of the shorter body's shingles in the longer's). */
static void sim_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  lp_sig sa, sb;
  (void)argc;
  if (!lp_sig_unpack(sqlite3_value_blob(argv[0]),
                     sqlite3_value_bytes(argv[0]), &sa) ||
      !lp_sig_unpack(sqlite3_value_blob(argv[1]),
                     sqlite3_value_bytes(argv[1]), &sb)) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_double(ctx, lp_minhash_similarity(&sa, &sb));
}

static void regexp_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  loupe_regex *re = sqlite3_value_pointer(argv[0], "loupe_regex");
  const char *s = (const char *)sqlite3_value_text(argv[1]);
  size_t ov[2];
  int np, rc;
  (void)argc;
  if (re == NULL) {
    sqlite3_result_error(ctx, "loupe_match: no regex bound", -1);
    return;
  }
  if (s == NULL) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  rc = loupe_regex_exec(re, s, (size_t)sqlite3_value_bytes(argv[1]), 0, ov, 1,
                        &np);
  if (rc != LOUPE_OK) {
    sqlite3_result_error(ctx, loupe_regex_errmsg(re), -1);
    return;
  }
  sqlite3_result_int(ctx, np > 0);
}

/* The settings of a new connection: extended codes, the busy timeout and
 * the tokenizer wrapper (before any use of articles_fts). */
static int setup_connection(loupe_db *db) {
  int rc;
  sqlite3_extended_result_codes(db->sql, 1);
  sqlite3_busy_timeout(db->sql, db->busy_ms);
  rc = lp_ftok_register(db->sql, &db->tok_ahead, &db->tok_mode);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "cannot register the tokenizer");
    return rc;
  }
  return LOUPE_OK;
}

/* A file: URI naming path, with mode=ro or immutable=1. Bytes a URI would
 * read otherwise are percent-encoded. NULL when out of memory. */
static char *readonly_uri(const char *path, int immutable) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(path), o;
  char *u = malloc(n * 3 + 32);
  const unsigned char *p = (const unsigned char *)path;
  if (u == NULL) return NULL;
  /* an absolute path after an empty authority: file:///x */
  o = (size_t)sprintf(u, "%s", p[0] == '/' ? "file://" : "file:");
  for (; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr("/._-~", *p)) {
      u[o++] = (char)*p;
    } else {
      u[o++] = '%';
      u[o++] = hex[*p >> 4];
      u[o++] = hex[*p & 15];
    }
  }
  sprintf(u + o, "%s", immutable ? "?immutable=1" : "?mode=ro");
  return u;
}

/* Does path+suffix exist (with at least min bytes)? */
static int sidecar(const char *path, const char *suffix, off_t min) {
  size_t n = strlen(path), k = strlen(suffix);
  char *w = malloc(n + k + 1);
  struct stat st;
  int yes;
  if (w == NULL) return 1;
  memcpy(w, path, n);
  memcpy(w + n, suffix, k + 1);
  yes = stat(w, &st) == 0 && st.st_size >= min;
  free(w);
  return yes;
}

/* Does path-wal exist and hold a log? */
static int wal_pending(const char *path) {
  return sidecar(path, "-wal", 1);
}

/* The folder of path ("/" or "." when it names none), or NULL when out
 * of memory; the caller frees it. */
static char *folder_of(const char *path) {
  size_t n = strlen(path);
  char *d = malloc(n + 2);
  const char *slash = strrchr(path, '/');
  if (d == NULL) return NULL;
  if (slash == path) strcpy(d, "/");
  else if (slash) snprintf(d, n + 2, "%.*s", (int)(slash - path), path);
  else strcpy(d, ".");
  return d;
}

/* May files be created in the folder of path? (access() also says no
 * for a folder made immutable, even to root.) */
static int folder_writable(const char *path) {
  char *d = folder_of(path);
  int yes;
  if (d == NULL) return 1;
  yes = access(d, W_OK) == 0;
  free(d);
  return yes;
}

/* Open db->path with uri (read-only) and read its schema's first row:
 * the SQLite code of that read. */
static int readonly_try(loupe_db *db, const char *uri) {
  int rc;
  if (db->sql) sqlite3_close_v2(db->sql);
  db->sql = NULL;
  rc = sqlite3_open_v2(uri, &db->sql, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                       | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) return rc;
  if (setup_connection(db) != LOUPE_OK) return SQLITE_ERROR;
  return sqlite3_exec(db->sql, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL,
                      NULL, NULL);
}

/*
 * A read-only open writes nothing. SQLite's read-only mode still needs the
 * write-ahead log's shared memory (path-shm); in a folder that cannot be
 * written it cannot be made, and when no log is waiting (no path-wal, or
 * an empty one) the file is read as immutable instead, which needs none.
 * A log that is waiting cannot be read without it: that is an error.
 */
static int open_readonly(loupe_db *db) {
  const char *path = db->path;
  struct stat st;
  char *uri;
  int rc, version;
  if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: a new in-memory corpus "
             "cannot be opened read-only", path[0] ? path : "\"\"");
    return LOUPE_EINVAL;
  }
  if (stat(path, &st) != 0) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", path, strerror(errno));
    return LOUPE_EIO;
  }
  /* in a folder that cannot take the -shm file, with none there, SQLite's
   * read-only mode would only try to create it: no attempt is made */
  if (!folder_writable(path) && !sidecar(path, "-shm", 0)) {
    rc = SQLITE_CANTOPEN;
  } else {
    uri = readonly_uri(path, 0);
    if (uri == NULL) goto nomem;
    rc = readonly_try(db, uri);
    free(uri);
  }
  if ((rc & 0xFF) == SQLITE_CANTOPEN || (rc & 0xFF) == SQLITE_READONLY ||
      rc == SQLITE_IOERR_SHMOPEN || rc == SQLITE_IOERR_SHMSIZE ||
      rc == SQLITE_IOERR_SHMMAP) {
    if (wal_pending(path)) {
      snprintf(db->errmsg, sizeof db->errmsg, "%s: cannot be read here: its"
               " write-ahead log (%s-wal) holds changes, and its shared "
               "memory (%s-shm) cannot be created in this folder; open it "
               "once where it can be written, or copy the three files to a"
               " folder that can", path, path, path);
      return LOUPE_EIO;
    }
    uri = readonly_uri(path, 1);
    if (uri == NULL) goto nomem;
    rc = readonly_try(db, uri);
    free(uri);
  }
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "open");
  rc = lp_schema_version(db, &version);
  if (rc) return rc;
  if (version == 0) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: not a loupe corpus (no "
             "tables)", path);
    return LOUPE_ECORRUPT;
  }
  if (version > LOUPE_SCHEMA_VERSION) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: corpus schema version %d is"
             " newer than this loupe's (%d); use a newer loupe", path,
             version, LOUPE_SCHEMA_VERSION);
    return LOUPE_EVERSION;
  }
  if (version < LOUPE_SCHEMA_VERSION)
    lp_notice(db, "%s: corpus schema version %d is older than this loupe's "
           "(%d): read as it is; open it once for writing (loupe ingest) to"
           " upgrade it", path, version, LOUPE_SCHEMA_VERSION);
  db->schema = version;
  rc = lp_tok_configure(db, version);
  if (rc) return rc;
  return LOUPE_OK;
nomem:
  snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

/* Switch a file to WAL mode: changing the journal mode takes the file's
 * exclusive lock, for which SQLite does not wait, so a busy file is tried
 * again until the busy timeout has passed (a first open racing another). */
static int set_wal(loupe_db *db) {
  int waited = 0, rc;
  for (;;) {
    rc = sqlite3_exec(db->sql, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if ((rc & 0xFF) != SQLITE_BUSY || waited >= db->busy_ms) break;
    sqlite3_sleep(20);
    waited += 20;
  }
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "set WAL mode");
  return LOUPE_OK;
}

/* A new corpus file could not be created: say why the folder would not
 * take it. */
static int cannot_create(loupe_db *db) {
  char *dir = folder_of(db->path);
  struct stat st;
  int err = 0;
  if (dir) {
    if (stat(dir, &st) != 0 || access(dir, W_OK) != 0) err = errno;
    free(dir);
  }
  snprintf(db->errmsg, sizeof db->errmsg, "%s: cannot create the corpus: %s",
           db->path, err ? strerror(err) : "unable to open database file");
  return LOUPE_EIO;
}

/* Open db->path for writing, creating it when it does not exist (then
 * db->created); the connection set up. */
static int connect_writable(loupe_db *db, int memory) {
  const char *path = db->path;
  struct stat st;
  int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (!memory && stat(path, &st) != 0) {
    if (errno != ENOENT) {
      snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", path,
               strerror(errno));
      return LOUPE_EIO;
    }
    db->created = 1;
  }
  if (memory || db->created) flags |= SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2(path, &db->sql, flags, NULL);
  if (rc != SQLITE_OK) {
    if (db->created && (rc & 0xFF) == SQLITE_CANTOPEN)
      return cannot_create(db);
    return lp_db_error(db, rc, "open");
  }
  rc = setup_connection(db);
  if (rc) return rc;
  if (!memory && sqlite3_db_readonly(db->sql, "main") == 1) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus cannot be "
             "written (a read-only file or folder); open it read-only to "
             "read it", path);
    return LOUPE_EIO;
  }
  return LOUPE_OK;
}

/* The journal and checkpoint settings of a writable corpus. */
static int set_journal(loupe_db *db) {
  /* an in-memory database has no WAL; "memory" is fine there */
  int rc = set_wal(db);
  if (rc) return rc;
  rc = lp_db_exec(db, "PRAGMA synchronous=NORMAL", "set synchronous");
  if (rc) return rc;
  /* checkpoint the log every 10,000 pages (40 MB), not every 1,000: a
   * page rewritten by several commits (index and FTS pages are) is
   * copied back once per checkpoint, and an ingest of 10,000 real pages
   * took 5% less time */
  return lp_db_exec(db, "PRAGMA wal_autocheckpoint=10000", "set checkpoint");
}

/* Articles of a migrated corpus that still have the hash of their bytes
 * (the range of "raw:..." in the hash index) into db->legacy. */
static int count_legacy(loupe_db *db) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM articles WHERE"
                              " hash >= 'raw:' AND hash < 'raw;'", -1, &st,
                              NULL);
  if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    db->legacy = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "count byte hashes");
  return LOUPE_OK;
}

/* A bulk load that did not finish left its indexes to be built: build
 * them now, unless a live one holds the write lock (it will). */
static int finish_bulk_load(loupe_db *db) {
  int deferred, rc = lp_indexes_deferred(db, &deferred);
  if (rc || !deferred) return rc;
  sqlite3_busy_timeout(db->sql, 0);    /* a live one: do not wait */
  rc = loupe_db_build_indexes(db);
  sqlite3_busy_timeout(db->sql, db->busy_ms);
  if (rc != LOUPE_OK && rc != LOUPE_EBUSY) return rc;
  db->errmsg[0] = '\0';
  return LOUPE_OK;
}

static int open_writable(loupe_db *db) {
  int memory = strcmp(db->path, ":memory:") == 0 || db->path[0] == '\0';
  int rc, version;
  rc = connect_writable(db, memory);
  if (rc) return rc;
  /* a SQLite file that is not a corpus is left exactly as it was; a
   * corpus from a newer loupe too */
  rc = lp_schema_version(db, &version);
  if (rc) return rc;
  if (version > LOUPE_SCHEMA_VERSION) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: corpus schema version %d is"
             " newer than this loupe's (%d); use a newer loupe", db->path,
             version, LOUPE_SCHEMA_VERSION);
    return LOUPE_EVERSION;
  }
  rc = set_journal(db);
  if (!rc) rc = lp_schema_migrate(db);
  if (rc) return rc;
  db->schema = LOUPE_SCHEMA_VERSION;
  rc = lp_tok_configure(db, LOUPE_SCHEMA_VERSION);
  if (!rc) rc = count_legacy(db);
  if (!rc) rc = finish_bulk_load(db);
  return rc;
}

int loupe_db_open_with(const char *path, const loupe_open_options *o,
                       loupe_db **out) {
  loupe_db *db;
  int rc;
  *out = NULL;
  db = calloc(1, sizeof *db);
  if (db == NULL) return LOUPE_ENOMEM;
  *out = db;
  if (path == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no path");
    return LOUPE_EINVAL;
  }
  db->path = strdup(path);
  if (db->path == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  db->readonly = o && (o->flags & LOUPE_OPEN_READONLY) != 0;
  db->tok_want_set = o && o->stem != NULL;
  if (db->tok_want_set && lp_tok_stem_code(o->stem, &db->tok_want)) {
    snprintf(db->errmsg, sizeof db->errmsg, "stem '%.40s': unknown (\"en\""
             " or \"none\")", o->stem);
    return LOUPE_EINVAL;
  }
  db->busy_ms = !o || o->busy_timeout_ms == 0 ? LOUPE_BUSY_TIMEOUT
                : o->busy_timeout_ms < 0 ? 0 : o->busy_timeout_ms;
  db->cluster_threshold = 0.8;
  db->pend.flush_min = 1000;       /* LSH_FLUSH_MIN */
  rc = loupe_parser_new(&db->parser);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return rc;
  }
  rc = db->readonly ? open_readonly(db) : open_writable(db);
  if (rc) return rc;
  /* 32 MB of page cache (the default is 2 MB): the band-key and FTS
   * look-ups of an ingest and the pages of large queries stay in memory
   * instead of being read again through the OS; bounded, whatever the
   * corpus size */
  rc = lp_db_exec(db, "PRAGMA cache_size=-32768", "set cache size");
  if (rc) return rc;
  /* loupe deletes an article's paragraphs, quotes, entities and people
   * itself when it replaces or removes the article; its inserts
   * reference the row just written. Checking every child row against its
   * parent cost 4% of an ingest. The schema declares the cascades for
   * other tools that turn foreign keys on. */
  rc = lp_db_exec(db, "PRAGMA foreign_keys=OFF", "set foreign keys");
  if (rc) return rc;
  rc = sqlite3_create_function_v2(db->sql, "loupe_sim", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  sim_fn, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "register loupe_sim");
  rc = sqlite3_create_function_v2(db->sql, "loupe_match", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  regexp_fn, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "register loupe_match");
  return LOUPE_OK;
}

int loupe_db_open(const char *path, int flags, loupe_db **out) {
  loupe_open_options o;
  memset(&o, 0, sizeof o);
  o.flags = flags;
  return loupe_db_open_with(path, &o, out);
}

/* Release the connection and its statements (db stays allocated). */
static void close_connection(loupe_db *db) {
  int i;
  while (db->cursors) lp_cursor_release(db->cursors);
  for (i = 0; i < ST__N; i++) {
    sqlite3_finalize(db->st[i]);
    db->st[i] = NULL;
  }
  if (db->sql) {
    if (db->in_txn || !sqlite3_get_autocommit(db->sql))
      sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(db->sql);
  }
  db->sql = NULL;
  db->in_txn = 0;
}

void loupe_db_close(loupe_db *db) {
  if (db == NULL) return;
  close_connection(db);
  lp_buf_free(&db->field[0]);
  lp_buf_free(&db->field[1]);
  lp_buf_free(&db->report);
  loupe_parser_free(db->parser);
  lp_pend_free(&db->pend);
  lp_totals_free(db);
  free(db->path);
  free(db);
}

/*
 * Out of WAL mode (which only succeeds when no other connection has the
 * file open, and removes the -wal and -shm files), then under the
 * exclusive lock: still no article? Then the file goes, while the lock is
 * held, so a connection that opened it meanwhile finds it moved when it
 * writes, rather than writing into a file about to disappear.
 */
int loupe_db_discard(loupe_db *db, int *removed) {
  long long n = 0;
  int rc, err;
  *removed = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->readonly || db->in_txn || !sqlite3_get_autocommit(db->sql)) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus cannot be "
             "discarded now (read-only, or a transaction is open)", db->path);
    return LOUPE_EMISUSE;
  }
  if (!db->created) return LOUPE_OK;
  rc = loupe_db_count(db, &n);
  if (rc || n > 0) return rc;
  sqlite3_busy_timeout(db->sql, 0);
  rc = sqlite3_exec(db->sql, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db->sql, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
  if (rc == SQLITE_OK) {
    rc = loupe_db_count(db, &n) == LOUPE_OK && n == 0 ? SQLITE_OK
                                                      : SQLITE_BUSY;
    if (rc != SQLITE_OK) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  }
  if (rc != SQLITE_OK) {
    /* another connection has it: keep it, in WAL mode again */
    sqlite3_busy_timeout(db->sql, db->busy_ms);
    sqlite3_exec(db->sql, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    db->errmsg[0] = '\0';
    return LOUPE_OK;
  }
  /* SQLite removed the -wal and -shm files when the mode changed; any
   * there now are another corpus's, made after this one is gone */
  err = unlink(db->path) != 0 ? errno : 0;
  close_connection(db);          /* rolls back and unlocks */
  if (err) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: cannot remove the empty "
             "corpus: %s", db->path, strerror(err));
    return LOUPE_EIO;
  }
  *removed = 1;
  return LOUPE_OK;
}

int loupe_db_set_clustering(loupe_db *db, int on, double threshold) {
  if (db == NULL) return LOUPE_EINVAL;
  if (threshold < 0 || threshold > 1) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "cluster threshold %g is not between 0 and 1", threshold);
    return LOUPE_EINVAL;
  }
  db->no_cluster = on == 0;
  if (threshold > 0) db->cluster_threshold = threshold;
  return LOUPE_OK;
}

int loupe_db_set_charset(loupe_db *db, const char *charset) {
  if (db == NULL) return LOUPE_EINVAL;
  if (loupe_parser_set_charset(db->parser, charset) != LOUPE_OK) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s", loupe_errmsg(db->parser));
    return LOUPE_EINVAL;
  }
  return LOUPE_OK;
}

/* The corpus may be written to: open and not read-only. */
int lp_db_writable(loupe_db *db) {
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->readonly) {
    snprintf(db->errmsg, sizeof db->errmsg, "the corpus is open read-only");
    return LOUPE_EMISUSE;
  }
  return LOUPE_OK;
}
