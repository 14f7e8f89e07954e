/*
 * store.c - the corpus file: opening (WAL, schema creation and migration),
 * transactions, and storing parsed articles with their paragraphs and
 * people. An article is stored under a savepoint, so a failure leaves
 * nothing half-written. SQL text for storing lives here only.
 */
#define _POSIX_C_SOURCE 200809L   /* gmtime_r, strdup */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <pcre2.h>
#include "corpus.h"

/* The band keys of every signature, one row each, keyed for look-up. A
 * row whose article has gone or changed is harmless (candidates are
 * checked against the article's current signature), so the table has no
 * foreign key and no second index to keep up. */
#define LSH_TABLE \
  "CREATE TABLE lsh(" \
  " key INTEGER NOT NULL," \
  " article_id INTEGER NOT NULL," \
  " PRIMARY KEY(key, article_id)) WITHOUT ROWID;" \
  "CREATE TABLE lsh_pending(article_id INTEGER PRIMARY KEY);"

/* The indexes a bulk load builds at its end instead of row by row (see
 * loupe_db_defer_indexes): names are random, so each new row lands on
 * a different page of them, rewritten at every commit. */
#define DEFERRABLE_INDEXES \
  "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker COLLATE NOCASE);" \
  "CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);"

/* An article is its content: one row per content hash, whatever the
 * paths it was read from (schema version 3). */
#define ARTICLES_HASH_INDEX \
  "CREATE UNIQUE INDEX articles_hash ON articles(hash);"

/* Every path an article was read from, for provenance and to find a file
 * again; articles.path is one of them (the first), NULL for text added
 * without a path. */
#define PATHS_TABLE \
  "CREATE TABLE paths(" \
  " path TEXT PRIMARY KEY," \
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE)" \
  " WITHOUT ROWID;" \
  "CREATE INDEX paths_article ON paths(article_id);"

/* The schema, version 3 (version 2 lacks the paths table and identifies
 * pages by their bytes; version 1 also differs in the lsh table and the
 * signature format, see migrate()). Text is stored once: the FTS5 index
 * reads the articles table (external content) and paragraphs are spans of
 * body. */
static const char schema_v3[] =
  "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
  " WITHOUT ROWID;"
  "CREATE TABLE articles("
  " id INTEGER PRIMARY KEY,"
  " path TEXT UNIQUE,"
  " hash TEXT NOT NULL,"
  " bytes INTEGER NOT NULL,"
  " title TEXT, date TEXT, date_precision TEXT, dateline TEXT,"
  " credit TEXT, outlet TEXT, lang TEXT,"
  " authors TEXT NOT NULL DEFAULT '[]',"
  " editors TEXT NOT NULL DEFAULT '[]',"
  /* the small columns before the body: SQLite reaches a column stored
   * after a long body only by walking the body's overflow pages */
  " parser_version TEXT NOT NULL,"
  " ingested_at TEXT NOT NULL,"
  " cluster_id INTEGER,"
  " minhash BLOB,"
  " body TEXT NOT NULL,"
  " provenance TEXT NOT NULL DEFAULT '{}');"
  "CREATE INDEX articles_cluster ON articles(cluster_id);"
  LSH_TABLE
  ARTICLES_HASH_INDEX
  PATHS_TABLE
  "CREATE INDEX articles_date ON articles(date);"
  "CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE);"
  "CREATE INDEX articles_credit ON articles(credit COLLATE NOCASE);"
  "CREATE TABLE paragraphs("
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
  " n INTEGER NOT NULL,"
  " start INTEGER NOT NULL,"
  " len INTEGER NOT NULL,"
  " src_offset INTEGER NOT NULL,"
  " src_line INTEGER NOT NULL,"
  " PRIMARY KEY(article_id, n)) WITHOUT ROWID;"
  "CREATE TABLE people("
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
  " role TEXT NOT NULL,"
  " n INTEGER NOT NULL,"
  " name TEXT NOT NULL,"
  " PRIMARY KEY(article_id, role, n)) WITHOUT ROWID;"
  "CREATE INDEX people_name ON people(name COLLATE NOCASE);"
  "CREATE TABLE quotes("
  " id INTEGER PRIMARY KEY,"
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
  " n INTEGER NOT NULL,"
  " text TEXT NOT NULL,"
  " speaker TEXT, role TEXT, cue TEXT, kind TEXT NOT NULL,"
  " offset INTEGER NOT NULL, paragraph INTEGER NOT NULL,"
  " src_offset INTEGER NOT NULL, src_line INTEGER NOT NULL);"
  "CREATE INDEX quotes_article ON quotes(article_id);"
  "CREATE TABLE entities("
  " id INTEGER PRIMARY KEY,"
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
  " name TEXT NOT NULL, kind TEXT NOT NULL, role TEXT,"
  " aliases TEXT NOT NULL DEFAULT '[]',"
  " mentions TEXT NOT NULL DEFAULT '[]');"
  "CREATE INDEX entities_article ON entities(article_id);"
  DEFERRABLE_INDEXES
  /* new rows are indexed by loupe_db_add itself (a trigger would run the
   * index insert in a nested statement, and FTS5 flushes its pending terms
   * at every statement savepoint); updates and deletes keep it in step
   * through the triggers */
  "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
  " content='articles', content_rowid='id',"
  " tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN"
  " INSERT INTO articles_fts(articles_fts, rowid, title, body)"
  "  VALUES ('delete', old.id, old.title, old.body); END;"
  "CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN"
  " INSERT INTO articles_fts(articles_fts, rowid, title, body)"
  "  VALUES ('delete', old.id, old.title, old.body);"
  " INSERT INTO articles_fts(rowid, title, body)"
  "  VALUES (new.id, new.title, new.body); END;";

static const char *const stmt_sql[ST__N] = {
  /* ST_BY_PATH */
  "SELECT p.article_id, a.hash FROM paths p JOIN articles a"
  " ON a.id = p.article_id WHERE p.path = ?1",
  /* ST_BY_HASH */ "SELECT id FROM articles WHERE hash = ?1",
  /* ST_INSERT */
  "INSERT INTO articles(path, hash, bytes, title, date, date_precision,"
  " dateline, credit, outlet, lang, authors, editors, body, provenance,"
  " parser_version, ingested_at, minhash, cluster_id)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
  " ?15, ?16, ?18, ?19)",
  /* ST_UPDATE */
  "UPDATE articles SET path = coalesce(?1, path), hash = ?2, bytes = ?3,"
  " title = ?4,"
  " date = ?5, date_precision = ?6, dateline = ?7, credit = ?8,"
  " outlet = ?9, lang = ?10, authors = ?11, editors = ?12, body = ?13,"
  " provenance = ?14, parser_version = ?15, ingested_at = ?16,"
  " minhash = ?18, cluster_id = ?19"
  " WHERE id = ?17",
  /* ST_DEL_PARAS */ "DELETE FROM paragraphs WHERE article_id = ?1",
  /* ST_DEL_PEOPLE */ "DELETE FROM people WHERE article_id = ?1",
  /* ST_INS_PARA */
  "INSERT INTO paragraphs(article_id, n, start, len, src_offset, src_line)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  /* ST_INS_PERSON */
  "INSERT INTO people(article_id, role, n, name) VALUES (?1, ?2, ?3, ?4)",
  /* ST_DEL_QUOTES */ "DELETE FROM quotes WHERE article_id = ?1",
  /* ST_DEL_ENTITIES */ "DELETE FROM entities WHERE article_id = ?1",
  /* ST_INS_QUOTE */
  "INSERT INTO quotes(article_id, n, text, speaker, role, cue, kind, offset,"
  " paragraph, src_offset, src_line)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  /* ST_INS_ENTITY */
  "INSERT INTO entities(article_id, name, kind, role, aliases, mentions)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  /* ST_FTS_INSERT */
  "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
  /* ST_BEGIN */ "BEGIN IMMEDIATE",
  /* ST_COMMIT */ "COMMIT",
  /* ST_COUNT */ "SELECT count(*) FROM articles",
  /* ST_LSH_FIND: the 16 band keys (?1-?16) in one statement, one look-up
   * each (an IN list would build and drop a temporary b-tree per article;
   * a statement per key cost a step each); the candidate's row is read
   * once, by ST_CAND, however many bands it shares */
  "SELECT article_id FROM lsh WHERE key = ?1 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?2 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?3 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?4 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?5 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?6 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?7 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?8 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?9 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?10 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?11 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?12 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?13 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?14 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?15 AND article_id != ?17"
  " UNION ALL "
  "SELECT article_id FROM lsh WHERE key = ?16 AND article_id != ?17",
  /* ST_LSH_INS */
  "INSERT OR IGNORE INTO lsh(key, article_id) VALUES (?1, ?2)",
  /* ST_LSH_DEL */ "DELETE FROM lsh WHERE key = ?1 AND article_id = ?2",
  /* ST_SET_SIG */
  "UPDATE articles SET minhash = ?2, cluster_id = ?3 WHERE id = ?1",
  /* ST_GET_SIG */ "SELECT minhash FROM articles WHERE id = ?1",
  /* ST_JOIN */
  "UPDATE articles SET cluster_id = ?1 WHERE id = ?1 AND cluster_id IS NULL",
  /* ST_MERGE */ "UPDATE articles SET cluster_id = ?1 WHERE cluster_id = ?2"
  " OR (cluster_id IS NULL AND id = ?2)",
  /* ST_CAND */ "SELECT cluster_id, minhash FROM articles WHERE id = ?1",
  /* ST_PEND_ADD */
  "INSERT OR IGNORE INTO lsh_pending(article_id) VALUES (?1)",
  /* ST_PEND_DEL */ "DELETE FROM lsh_pending WHERE article_id = ?1",
  /* ST_PEND_LOAD */
  "SELECT p.article_id, a.minhash FROM lsh_pending p"
  " JOIN articles a ON a.id = p.article_id",
  /* ST_PEND_CLEAR */ "DELETE FROM lsh_pending",
  /* ST_DATA_VERSION */ "PRAGMA data_version",
  /* ST_MAX_ID */ "SELECT max(id) FROM articles",
  /* the fields of a hit read on first use (query.c, loupe_db_hit_*):
   * ?1 the query's FTS5 expression, ?2 the article id, which FTS5 seeks
   * within the expression's matches */
  /* ST_HIT_BODY */ "SELECT body FROM articles WHERE id = ?2",
  /* ST_HIT_SNIPPET: the highlight comes almost free once FTS5 has
   * loaded the row for the snippet */
  "SELECT snippet(articles_fts, 1, '[', ']', '…', 16),"
  " highlight(articles_fts, 0, '[', ']') FROM articles_fts"
  " WHERE articles_fts MATCH ?1 AND rowid = ?2",
  /* ST_HIT_HIGHLIGHT */
  "SELECT highlight(articles_fts, 0, '[', ']') FROM articles_fts"
  " WHERE articles_fts MATCH ?1 AND rowid = ?2",
  /* ST_HIT_RANK */
  "SELECT rank FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2",
  /* ST_INS_PARA8, 4 and 2: eight, four or two rows a step. OR IGNORE (a
   * new article's rows never conflict; the count of rows written is
   * checked) keeps the statement from opening a savepoint, at which FTS5
   * would flush its pending terms */
  "INSERT OR IGNORE INTO paragraphs(article_id, n, start, len, src_offset,"
  " src_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6), (?7, ?8, ?9, ?10, ?11, ?12),"
  " (?13, ?14, ?15, ?16, ?17, ?18), (?19, ?20, ?21, ?22, ?23, ?24),"
  " (?25, ?26, ?27, ?28, ?29, ?30), (?31, ?32, ?33, ?34, ?35, ?36),"
  " (?37, ?38, ?39, ?40, ?41, ?42), (?43, ?44, ?45, ?46, ?47, ?48)",
  /* ST_INS_PARA4 */
  "INSERT OR IGNORE INTO paragraphs(article_id, n, start, len, src_offset,"
  " src_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6), (?7, ?8, ?9, ?10, ?11, ?12),"
  " (?13, ?14, ?15, ?16, ?17, ?18), (?19, ?20, ?21, ?22, ?23, ?24)",
  /* ST_INS_PARA2 */
  "INSERT OR IGNORE INTO paragraphs(article_id, n, start, len, src_offset,"
  " src_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6), (?7, ?8, ?9, ?10, ?11, ?12)",
  /* ST_PATH_INS */ "INSERT INTO paths(path, article_id) VALUES (?1, ?2)",
  /* ST_PATH_DEL */ "DELETE FROM paths WHERE path = ?1",
  /* ST_PATH_OTHER: a path of the article other than ?2 */
  "SELECT path FROM paths WHERE article_id = ?1 AND path != ?2"
  " ORDER BY path LIMIT 1",
  /* ST_ART_PATH */ "SELECT path FROM articles WHERE id = ?1",
  /* ST_SET_PATH */ "UPDATE articles SET path = ?2 WHERE id = ?1",
  /* ST_SET_HASH */ "UPDATE articles SET hash = ?2 WHERE id = ?1",
  /* ST_PATH_MOVE */ "UPDATE paths SET article_id = ?2 WHERE article_id = ?1",
  /* ST_DEL_ARTICLE */ "DELETE FROM articles WHERE id = ?1",
  /* ST_RENAME_CLUSTER: a cluster is named by its smallest member id */
  "UPDATE articles SET cluster_id = (SELECT min(id) FROM articles"
  " WHERE cluster_id = ?1) WHERE cluster_id = ?1",
  /* ST_DEL_PATHS */ "DELETE FROM paths WHERE article_id = ?1"
};

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

int lp_db_error(loupe_db *db, int rc, const char *what) {
  int prim = rc & 0xFF;
  const char *msg = db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc);
  const char *path = db->path ? db->path : "the corpus";
  char m[200];
  /* the message may be db->errmsg itself (an earlier failure) */
  snprintf(m, sizeof m, "%s", msg);
  switch (prim) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus is locked by "
             "another connection (%s: %s, after waiting %d ms)", path, what,
             m, db->busy_ms);
    return LOUPE_EBUSY;
  case SQLITE_CORRUPT:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus is damaged (%s);"
             " run 'loupe check %s'", path, m, path);
    return LOUPE_ECORRUPT;
  case SQLITE_NOTADB:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: not a corpus, or a damaged "
             "one (%s); run 'loupe check %s'", path, m, path);
    return LOUPE_ECORRUPT;
  case SQLITE_FULL:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the disk is full (%s: %s)",
             path, what, m);
    return LOUPE_EIO;
  case SQLITE_READONLY:
    if (rc == SQLITE_READONLY_DBMOVED)
      snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus file was "
               "removed or replaced while open (%s)", path, what);
    else
      snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus cannot be "
               "written (%s: %s)", path, what, m);
    return LOUPE_EIO;
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_PERM:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: %s: %s", path, what, m);
    return LOUPE_EIO;
  case SQLITE_NOMEM:
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory (%s)", what);
    return LOUPE_ENOMEM;
  default:
    snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", what, m);
    return LOUPE_EDB;
  }
}

const char *loupe_db_errmsg(const loupe_db *db) {
  return db ? db->errmsg : "no database";
}

void lp_db_track(loupe_db *db, loupe_cursor *c) {
  c->db = db;
  c->prev = NULL;
  c->next = db->cursors;
  if (db->cursors) db->cursors->prev = c;
  db->cursors = c;
}

void lp_cursor_release(loupe_cursor *c) {
  if (c->stmt) sqlite3_finalize(c->stmt);
  c->stmt = NULL;
  if (c->db) {
    if (c->prev) c->prev->next = c->next;
    else c->db->cursors = c->next;
    if (c->next) c->next->prev = c->prev;
    c->db = NULL;
  }
  c->next = c->prev = NULL;
}

/* ---- JSON ---- */

int lp_json_string(lp_buf *b, const char *s, size_t n) {
  size_t i;
  if (lp_buf_append(b, "\"", 1)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      if (lp_buf_append(b, esc, 2)) return LOUPE_ENOMEM;
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      if (lp_buf_append(b, esc, 6)) return LOUPE_ENOMEM;
    } else if (lp_buf_append(b, (const char *)&c, 1)) {
      return LOUPE_ENOMEM;
    }
  }
  return lp_buf_append(b, "\"", 1);
}

static int json_names(lp_buf *b, const loupe_span *list, size_t n) {
  size_t i;
  b->len = 0;
  if (lp_buf_append(b, "[", 1)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    if (i && lp_buf_append(b, ",", 1)) return LOUPE_ENOMEM;
    if (lp_json_string(b, list[i].text, list[i].len)) return LOUPE_ENOMEM;
  }
  return lp_buf_append(b, "]", 1);
}

static int json_prov(lp_buf *b, const char *name, const loupe_span *sp) {
  char tmp[96];
  int len;
  if (sp->text == NULL) return LOUPE_OK;
  len = snprintf(tmp, sizeof tmp,
                 "%s\"%s\":{\"offset\":%zu,\"line\":%zu,\"rule\":",
                 b->len > 1 ? "," : "", name, sp->offset, sp->line);
  if (lp_buf_append(b, tmp, (size_t)len)) return LOUPE_ENOMEM;
  if (lp_json_string(b, sp->rule ? sp->rule : "", sp->rule ? strlen(sp->rule)
                                                           : 0))
    return LOUPE_ENOMEM;
  return lp_buf_append(b, "}", 1);
}

/* The provenance of every scalar field and the input counters as JSON
 * (paragraph provenance lives in the paragraphs table). */
static int json_provenance(lp_buf *b, const loupe_article *a) {
  char tmp[200];
  int len;
  b->len = 0;
  if (lp_buf_append(b, "{", 1)) return LOUPE_ENOMEM;
  if (json_prov(b, "title", &a->title) || json_prov(b, "date", &a->date) ||
      json_prov(b, "dateline", &a->dateline) ||
      json_prov(b, "credit", &a->credit) ||
      json_prov(b, "outlet", &a->outlet) || json_prov(b, "lang", &a->lang))
    return LOUPE_ENOMEM;
  len = snprintf(tmp, sizeof tmp,
                 "%s\"input\":{\"bytes\":%zu,\"invalid_utf8\":%zu,"
                 "\"nul_bytes\":%zu,\"lines\":%zu,\"encoding\":\"%s\"}}",
                 b->len > 1 ? "," : "", a->input.bytes, a->input.invalid_utf8,
                 a->input.nul_bytes, a->input.lines,
                 a->input.encoding ? a->input.encoding : "utf-8");
  return lp_buf_append(b, tmp, (size_t)len);
}

/* ---- open and close ---- */

static int exec_sql(loupe_db *db, const char *sql, const char *what) {
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, what);
  return LOUPE_OK;
}

int lp_db_exec(loupe_db *db, const char *sql, const char *what) {
  return exec_sql(db, sql, what);
}

/* Read the schema version (0 for a fresh file); -1 and a message when the
 * file is a SQLite database that is not a loupe corpus. */
static int schema_version(loupe_db *db, int *version) {
  sqlite3_stmt *st = NULL;
  int rc, has_meta = 0, tables = 0;
  *version = 0;
  rc = sqlite3_prepare_v2(db->sql,
                          "SELECT name FROM sqlite_schema WHERE type='table'",
                          -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read schema");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    tables++;
    if (name && strcmp(name, "meta") == 0) has_meta = 1;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return lp_db_error(db, rc, "read schema");
  if (!has_meta) {
    if (tables > 0) {
      snprintf(db->errmsg, sizeof db->errmsg,
               "%s: not a loupe corpus (the database has other tables)",
               db->path);
      return LOUPE_ECORRUPT;
    }
    return LOUPE_OK;
  }
  rc = sqlite3_prepare_v2(db->sql,
                          "SELECT value FROM meta WHERE key='schema_version'",
                          -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read schema version");
  if (sqlite3_step(st) == SQLITE_ROW) *version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (*version <= 0) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "%s: not a loupe corpus (no schema version)", db->path);
    return LOUPE_ECORRUPT;
  }
  return LOUPE_OK;
}

static int recluster_all(loupe_db *db);
static int indexes_deferred(loupe_db *db, int *deferred);
static void pend_reset(loupe_db *db);
static void pend_free(lp_lsh_pending *p);
static int pend_flush(loupe_db *db, int force);
static int merge_into(loupe_db *db, long long from, long long into);

/* Add a line to the notices of the open. */
static void notice(loupe_db *db, const char *fmt, ...) {
  size_t used = strlen(db->notices);
  va_list ap;
  if (used + 2 >= sizeof db->notices) return;
  if (used) db->notices[used++] = '\n';
  va_start(ap, fmt);
  vsnprintf(db->notices + used, sizeof db->notices - used, fmt, ap);
  va_end(ap);
}

const char *loupe_db_notices(const loupe_db *db) {
  return db ? db->notices : "";
}

/* Merge every article whose hash another, older one has into that one
 * (its paths move there); *merged counts them. The pairs are read first,
 * then written: no cursor reads a table being written. */
static int merge_same_hash(loupe_db *db, long long *merged) {
  sqlite3_stmt *st = NULL;
  long long *pairs = NULL;
  size_t n = 0, cap = 0, i;
  int rc;
  rc = sqlite3_prepare_v2(db->sql,
    "SELECT a.id, k.keep FROM articles a JOIN (SELECT hash, min(id) AS keep"
    " FROM articles GROUP BY hash HAVING count(*) > 1) k ON k.hash = a.hash"
    " WHERE a.id != k.keep ORDER BY a.id", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "find duplicates");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n + 2 > cap) {
      long long *np;
      cap = cap ? cap * 2 : 256;
      np = realloc(pairs, cap * sizeof *pairs);
      if (np == NULL) {
        rc = SQLITE_NOMEM;
        break;
      }
      pairs = np;
    }
    pairs[n++] = sqlite3_column_int64(st, 0);
    pairs[n++] = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    free(pairs);
    return lp_db_error(db, rc, "find duplicates");
  }
  rc = LOUPE_OK;
  for (i = 0; i + 1 < n && rc == LOUPE_OK; i += 2) {
    rc = merge_into(db, pairs[i], pairs[i + 1]);
    if (rc == LOUPE_OK) (*merged)++;
  }
  free(pairs);
  return rc;
}

/* Read a whole file (at most max bytes) into a new buffer; NULL when it
 * cannot be read. */
static char *slurp(const char *path, size_t max, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t got;
    if (n == cap) {
      char *nb;
      if (cap >= max) {
        free(buf);
        buf = NULL;
        break;
      }
      cap = cap ? cap * 2 : 65536;
      nb = realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        free(buf);
        buf = NULL;
      }
      break;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

/*
 * Give every article of a version 2 corpus its content hash: read again
 * from one of its paths when the file there still has the bytes it was
 * stored from; otherwise "raw:" and the old hash of its bytes, which
 * lookups recognise (see plan_page). *unread counts the latter. One
 * article per statement, ids in order.
 */
static int rehash_all(loupe_db *db, long long *unread) {
  sqlite3_stmt *next = NULL, *paths = NULL, *set = NULL;
  long long id = 0;
  int rc;
  rc = sqlite3_prepare_v2(db->sql, "SELECT id, hash FROM articles WHERE"
                          " id > ?1 ORDER BY id LIMIT 1", -1, &next, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db->sql, "SELECT path FROM paths WHERE"
                            " article_id = ?1 ORDER BY path", -1, &paths,
                            NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db->sql, "UPDATE articles SET hash = ?2 WHERE"
                            " id = ?1", -1, &set, NULL);
  if (rc != SQLITE_OK) {
    rc = lp_db_error(db, rc, "rehash");
    goto out;
  }
  for (;;) {
    char old[LOUPE_HASH_LEN + 1], fresh[LOUPE_HASH_LEN + 8];
    const char *h;
    int found = 0;
    sqlite3_bind_int64(next, 1, id);
    rc = sqlite3_step(next);
    if (rc == SQLITE_DONE) {
      rc = LOUPE_OK;
      break;
    }
    if (rc != SQLITE_ROW) {
      rc = lp_db_error(db, rc, "rehash");
      break;
    }
    id = sqlite3_column_int64(next, 0);
    h = (const char *)sqlite3_column_text(next, 1);
    snprintf(old, sizeof old, "%s", h ? h : "");
    sqlite3_reset(next);
    if (strlen(old) != LOUPE_HASH_LEN) continue;   /* not a v2 hash */
    sqlite3_bind_int64(paths, 1, id);
    while (!found && (rc = sqlite3_step(paths)) == SQLITE_ROW) {
      const char *p = (const char *)sqlite3_column_text(paths, 0);
      char got[LOUPE_HASH_LEN + 1];
      size_t len;
      char *bytes = p ? slurp(p, (size_t)1 << 30, &len) : NULL;
      if (bytes == NULL) continue;
      lp_bytes_hash(bytes, len, got);
      if (strcmp(got, old) == 0) {
        loupe_hash(bytes, len, fresh);
        found = 1;
      }
      free(bytes);
    }
    sqlite3_reset(paths);
    if (!found) {
      snprintf(fresh, sizeof fresh, "raw:%s", old);
      (*unread)++;
    }
    sqlite3_bind_int64(set, 1, id);
    sqlite3_bind_text(set, 2, fresh, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(set);
    sqlite3_reset(set);
    if (rc != SQLITE_DONE) {
      rc = lp_db_error(db, rc, "rehash");
      break;
    }
  }
out:
  sqlite3_finalize(next);
  sqlite3_finalize(paths);
  sqlite3_finalize(set);
  return rc;
}

/*
 * Version 2 -> 3: articles are identified by their content and may have
 * several paths. Pages stored twice under other paths (same bytes, or
 * after reading them again the same content) are merged into the older
 * article, which keeps every path.
 */
static int migrate_v3(loupe_db *db) {
  long long merged = 0, unread = 0;
  int rc = exec_sql(db, "DROP INDEX IF EXISTS articles_hash;" PATHS_TABLE
                    "INSERT INTO paths(path, article_id) SELECT path, id"
                    " FROM articles WHERE path IS NOT NULL;"
                    "CREATE INDEX articles_hash ON articles(hash);",
                    "migrate paths");
  if (!rc) rc = merge_same_hash(db, &merged);      /* the same bytes */
  if (!rc) rc = rehash_all(db, &unread);
  if (!rc) rc = merge_same_hash(db, &merged);      /* the same content */
  if (!rc) rc = exec_sql(db, "DROP INDEX articles_hash;" ARTICLES_HASH_INDEX,
                         "index content hashes");
  if (rc) return rc;
  notice(db, "%s: upgraded from schema version 2 to %d: %lld duplicate "
         "article%s merged (the same content under other paths; every path"
         " is kept)", db->path, LOUPE_SCHEMA_VERSION, merged,
         merged == 1 ? "" : "s");
  if (unread > 0)
    notice(db, "%s: %lld article%s whose files could not be read again "
           "keep the hash of their bytes until they are ingested again",
           db->path, unread, unread == 1 ? "" : "s");
  return LOUPE_OK;
}

/* Create or migrate the schema inside one transaction; a current schema
 * needs no write lock (another connection may be ingesting). */
static int migrate(loupe_db *db) {
  int version, rc;
  char sql[200];
  rc = schema_version(db, &version);
  if (rc) return rc;
  if (version == LOUPE_SCHEMA_VERSION) return LOUPE_OK;
  if (version > LOUPE_SCHEMA_VERSION) goto newer;
  rc = exec_sql(db, "BEGIN IMMEDIATE", "begin schema transaction");
  if (rc) return rc;
  /* another connection may have created or migrated it meanwhile */
  rc = schema_version(db, &version);
  if (rc) goto fail;
  if (version > LOUPE_SCHEMA_VERSION) {
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    goto newer;
  }
  if (version == LOUPE_SCHEMA_VERSION) goto commit;
  rc = lp_tok_migrate(db, version, 0);        /* tokenizer.c */
  if (rc) goto fail;
  if (version == 0) {
    rc = exec_sql(db, schema_v3, "create schema");
    if (rc) goto fail;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'),"
             " ('created_by', 'loupe %s')", LOUPE_SCHEMA_VERSION,
             LOUPE_VERSION);
    rc = exec_sql(db, sql, "record schema version");
    if (rc) goto fail;
  } else {
    if (version == 1) {
      /* 1 -> 2: band keys in one keyed table instead of (band, hash) rows
       * with two indexes; one-permutation signatures that carry their
       * shingle count. Old signatures cannot be compared with new ones,
       * so every article is clustered again. */
      rc = exec_sql(db, "DROP TABLE lsh; DROP TABLE IF EXISTS lsh_pending;"
                    LSH_TABLE, "migrate band keys");
      if (!rc) rc = recluster_all(db);
      if (rc) goto fail;
    }
    if (version < 3) rc = migrate_v3(db);
    if (!rc) {
      snprintf(sql, sizeof sql, "UPDATE meta SET value = '%d' WHERE key ="
               " 'schema_version'", LOUPE_SCHEMA_VERSION);
      rc = exec_sql(db, sql, "record schema version");
    }
    if (rc) goto fail;
  }
  rc = lp_tok_migrate(db, version, 1);        /* the full-text index */
  if (rc) goto fail;
commit:
  rc = exec_sql(db, "COMMIT", "commit schema");
  if (rc) goto fail;
  db->schema = LOUPE_SCHEMA_VERSION;
  return LOUPE_OK;
fail:
  sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  pend_reset(db);
  db->notices[0] = '\0';
  return rc;
newer:
  snprintf(db->errmsg, sizeof db->errmsg, "%s: corpus schema version %d is"
           " newer than this loupe's (%d); use a newer loupe", db->path,
           version, LOUPE_SCHEMA_VERSION);
  return LOUPE_EVERSION;
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

/* May files be created in the folder of path? (access() also says no
 * for a folder made immutable, even to root.) */
static int folder_writable(const char *path) {
  size_t n = strlen(path);
  char *d = malloc(n + 2);
  const char *slash = strrchr(path, '/');
  int yes;
  if (d == NULL) return 1;
  if (slash == path) strcpy(d, "/");
  else if (slash) snprintf(d, n + 2, "%.*s", (int)(slash - path), path);
  else strcpy(d, ".");
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
  rc = schema_version(db, &version);
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
    notice(db, "%s: corpus schema version %d is older than this loupe's "
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

static int open_writable(loupe_db *db) {
  const char *path = db->path;
  int memory = strcmp(path, ":memory:") == 0 || path[0] == '\0';
  struct stat st;
  int rc, version, deferred, flags = SQLITE_OPEN_READWRITE |
                                     SQLITE_OPEN_NOMUTEX;
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
    if (db->created && (rc & 0xFF) == SQLITE_CANTOPEN) {
      /* say why the folder would not take it */
      size_t n = strlen(path);
      char *dir = malloc(n + 2);
      const char *slash = strrchr(path, '/');
      int err = 0;
      if (dir) {
        if (slash == path) strcpy(dir, "/");
        else if (slash) snprintf(dir, n + 2, "%.*s", (int)(slash - path),
                                 path);
        else strcpy(dir, ".");
        if (stat(dir, &st) != 0 || access(dir, W_OK) != 0) err = errno;
        free(dir);
      }
      snprintf(db->errmsg, sizeof db->errmsg, "%s: cannot create the "
               "corpus: %s", path, err ? strerror(err)
                                       : "unable to open database file");
      return LOUPE_EIO;
    }
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
  /* a SQLite file that is not a corpus is left exactly as it was; a
   * corpus from a newer loupe too */
  rc = schema_version(db, &version);
  if (rc) return rc;
  if (version > LOUPE_SCHEMA_VERSION) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: corpus schema version %d is"
             " newer than this loupe's (%d); use a newer loupe", path,
             version, LOUPE_SCHEMA_VERSION);
    return LOUPE_EVERSION;
  }
  /* an in-memory database has no WAL; "memory" is fine there */
  rc = set_wal(db);
  if (rc) return rc;
  rc = exec_sql(db, "PRAGMA synchronous=NORMAL", "set synchronous");
  if (rc) return rc;
  /* checkpoint the log every 10,000 pages (40 MB), not every 1,000: a
   * page rewritten by several commits (index and FTS pages are) is
   * copied back once per checkpoint, and an ingest of 10,000 real pages
   * took 5% less time */
  rc = exec_sql(db, "PRAGMA wal_autocheckpoint=10000", "set checkpoint");
  if (rc) return rc;
  rc = migrate(db);
  if (rc) return rc;
  db->schema = LOUPE_SCHEMA_VERSION;
  rc = lp_tok_configure(db, LOUPE_SCHEMA_VERSION);
  if (rc) return rc;
  /* articles of a migrated corpus that still have the hash of their bytes
   * (the range of "raw:..." in the hash index) */
  {
    sqlite3_stmt *st2 = NULL;
    rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM articles WHERE"
                            " hash >= 'raw:' AND hash < 'raw;'", -1, &st2,
                            NULL);
    if (rc == SQLITE_OK && sqlite3_step(st2) == SQLITE_ROW)
      db->legacy = sqlite3_column_int64(st2, 0);
    sqlite3_finalize(st2);
    if (rc != SQLITE_OK) return lp_db_error(db, rc, "count byte hashes");
  }
  /* a bulk load that did not finish left its indexes to be built: build
   * them now, unless a live one holds the write lock (it will) */
  rc = indexes_deferred(db, &deferred);
  if (rc) return rc;
  if (deferred) {
    sqlite3_busy_timeout(db->sql, 0);    /* a live one: do not wait */
    rc = loupe_db_build_indexes(db);
    sqlite3_busy_timeout(db->sql, db->busy_ms);
    if (rc != LOUPE_OK && rc != LOUPE_EBUSY) return rc;
    db->errmsg[0] = '\0';
  }
  return LOUPE_OK;
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
  rc = exec_sql(db, "PRAGMA cache_size=-32768", "set cache size");
  if (rc) return rc;
  /* loupe deletes an article's paragraphs, quotes, entities and people
   * itself when it replaces or removes the article; its inserts
   * reference the row just written. Checking every child row against its
   * parent cost 4% of an ingest. The schema declares the cascades for
   * other tools that turn foreign keys on. */
  rc = exec_sql(db, "PRAGMA foreign_keys=OFF", "set foreign keys");
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
  pend_free(&db->pend);
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

int lp_db_stmt(loupe_db *db, int k, sqlite3_stmt **out) {
  int rc;
  if (db->st[k] == NULL) {
    rc = sqlite3_prepare_v3(db->sql, stmt_sql[k], -1,
                            SQLITE_PREPARE_PERSISTENT, &db->st[k], NULL);
    if (rc != SQLITE_OK) return lp_db_error(db, rc, "prepare statement");
  }
  sqlite3_reset(db->st[k]);
  sqlite3_clear_bindings(db->st[k]);
  *out = db->st[k];
  return LOUPE_OK;
}

static int run_done(loupe_db *db, sqlite3_stmt *st, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return lp_db_error(db, rc, what);
  return LOUPE_OK;
}

int loupe_db_begin(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->in_txn) {
    snprintf(db->errmsg, sizeof db->errmsg, "a transaction is already open");
    return LOUPE_EMISUSE;
  }
  rc = exec_sql(db, "BEGIN IMMEDIATE", "begin transaction");
  if (rc == LOUPE_OK) db->in_txn = 1;
  return rc;
}

int loupe_db_commit(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (!db->in_txn) {
    snprintf(db->errmsg, sizeof db->errmsg, "no transaction is open");
    return LOUPE_EMISUSE;
  }
  rc = pend_flush(db, 0);
  if (rc) return rc;                /* still open: the caller rolls back */
  rc = exec_sql(db, "COMMIT", "commit");
  if (rc == LOUPE_OK) db->in_txn = 0;
  else pend_reset(db);
  return rc;
}

int loupe_db_rollback(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (!db->in_txn) return LOUPE_OK;
  rc = exec_sql(db, "ROLLBACK", "rollback");
  db->in_txn = 0;
  pend_reset(db);
  return rc;
}

int loupe_db_count(loupe_db *db, long long *n) {
  sqlite3_stmt *st;
  int rc = lp_db_stmt(db, ST_COUNT, &st);
  *n = 0;
  if (rc) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) return lp_db_error(db, rc, "count articles");
  return LOUPE_OK;
}

static void bind_span(sqlite3_stmt *st, int i, const loupe_span *sp) {
  if (sp->text) sqlite3_bind_text(st, i, sp->text, (int)sp->len, SQLITE_STATIC);
  else sqlite3_bind_null(st, i);
}

/* Write v in decimal at out (room for 20 digits); returns the length. */
static size_t put_size(char *out, size_t v) {
  char tmp[24];
  size_t n = 0, i;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  return n;
}

/* Paragraphs i .. i+k-1 (k = 8, 4 or 2) of article id in one step; start
 * is the first one's offset in the body, moved past the last. */
static int insert_paragraphs(loupe_db *db, const loupe_article *a,
                             long long id, size_t i, size_t k,
                             size_t *start) {
  sqlite3_stmt *st;
  size_t r;
  int rc = lp_db_stmt(db, k == 8 ? ST_INS_PARA8 : k == 4 ? ST_INS_PARA4
                                                         : ST_INS_PARA2, &st);
  if (rc) return rc;
  for (r = 0; r < k; r++) {
    const loupe_span *pg = &a->paragraphs[i + r];
    int b = 6 * (int)r;
    sqlite3_bind_int64(st, b + 1, id);
    sqlite3_bind_int64(st, b + 2, (sqlite3_int64)(i + r) + 1);
    sqlite3_bind_int64(st, b + 3, (sqlite3_int64)*start);
    sqlite3_bind_int64(st, b + 4, (sqlite3_int64)pg->len);
    sqlite3_bind_int64(st, b + 5, (sqlite3_int64)pg->offset);
    sqlite3_bind_int64(st, b + 6, (sqlite3_int64)pg->line);
    *start += pg->len + 2;
  }
  rc = run_done(db, st, "insert paragraphs");
  if (rc) return rc;
  if ((size_t)sqlite3_changes(db->sql) != k) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "insert paragraphs: %d of %zu rows written",
             sqlite3_changes(db->sql), k);
    return LOUPE_EDB;
  }
  return LOUPE_OK;
}

/* Write the article row (insert or update) and its children. */
static int store_article(loupe_db *db, const loupe_article *a,
                         const char *path, const char *hash, size_t bytes,
                         long long existing, const unsigned char *sig,
                         long long cluster, long long *id) {
  sqlite3_stmt *st;
  lp_buf authors = {0}, editors = {0}, prov = {0};
  char now[32];
  time_t tt = time(NULL);
  struct tm tmv;
  size_t i, start = 0;
  int rc;
  const char *prec = a->date.text ? loupe_precision_name(a->date_precision)
                                  : NULL;

  rc = json_names(&authors, a->authors, a->n_authors);
  if (!rc) rc = json_names(&editors, a->editors, a->n_editors);
  if (!rc) rc = json_provenance(&prov, a);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    goto out;
  }
  gmtime_r(&tt, &tmv);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tmv);
  rc = lp_db_stmt(db, existing ? ST_UPDATE : ST_INSERT, &st);
  if (rc) goto out;
  if (path) sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, 1);
  sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)bytes);
  bind_span(st, 4, &a->title);
  bind_span(st, 5, &a->date);
  if (prec) sqlite3_bind_text(st, 6, prec, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, 6);
  bind_span(st, 7, &a->dateline);
  bind_span(st, 8, &a->credit);
  bind_span(st, 9, &a->outlet);
  bind_span(st, 10, &a->lang);
  sqlite3_bind_text(st, 11, authors.p, (int)authors.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 12, editors.p, (int)editors.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 13, a->body ? a->body : "", (int)a->body_len,
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 14, prov.p, (int)prov.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 15, LOUPE_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 16, now, -1, SQLITE_TRANSIENT);
  if (existing) sqlite3_bind_int64(st, 17, existing);
  if (sig) sqlite3_bind_blob(st, 18, sig, LP_SIG_BYTES, SQLITE_STATIC);
  else sqlite3_bind_null(st, 18);
  if (cluster > 0) sqlite3_bind_int64(st, 19, cluster);
  else sqlite3_bind_null(st, 19);
  rc = run_done(db, st, existing ? "update article" : "insert article");
  if (rc) goto out;
  *id = existing ? existing : sqlite3_last_insert_rowid(db->sql);
  if (!existing) {
    rc = lp_db_stmt(db, ST_FTS_INSERT, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    bind_span(st, 2, &a->title);
    sqlite3_bind_text(st, 3, a->body ? a->body : "", (int)a->body_len,
                      SQLITE_STATIC);
    rc = run_done(db, st, "index article");
    if (rc) goto out;
  }
  if (existing) {
    rc = lp_db_stmt(db, ST_DEL_PARAS, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = run_done(db, st, "replace paragraphs");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_PEOPLE, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = run_done(db, st, "replace people");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_QUOTES, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = run_done(db, st, "replace quotes");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_ENTITIES, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = run_done(db, st, "replace entities");
    }
    if (rc) goto out;
  }
  i = 0;
  while (i + 2 <= a->n_paragraphs) {
    size_t k = a->n_paragraphs - i >= 8 ? 8 : a->n_paragraphs - i >= 4 ? 4 : 2;
    rc = insert_paragraphs(db, a, *id, i, k, &start);
    if (rc) goto out;
    i += k;
  }
  for (; i < a->n_paragraphs; i++) {
    rc = lp_db_stmt(db, ST_INS_PARA, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)a->paragraphs[i].len);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)a->paragraphs[i].offset);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)a->paragraphs[i].line);
    rc = run_done(db, st, "insert paragraph");
    if (rc) goto out;
    start += a->paragraphs[i].len + 2;
  }
  for (i = 0; i < a->n_quotes; i++) {
    const loupe_quote *q = &a->quotes[i];
    rc = lp_db_stmt(db, ST_INS_QUOTE, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
    sqlite3_bind_text(st, 3, q->text.text, (int)q->text.len, SQLITE_STATIC);
    if (q->speaker) sqlite3_bind_text(st, 4, q->speaker, -1, SQLITE_STATIC);
    if (q->role) sqlite3_bind_text(st, 5, q->role, -1, SQLITE_STATIC);
    if (q->cue) sqlite3_bind_text(st, 6, q->cue, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, q->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)q->body_offset);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)q->paragraph);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)q->text.offset);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)q->text.line);
    rc = run_done(db, st, "insert quote");
    if (rc) goto out;
  }
  for (i = 0; i < a->n_entities; i++) {
    const loupe_entity *e = &a->entities[i];
    size_t k;
    char num[48];
    authors.len = 0;               /* reused as the aliases buffer */
    editors.len = 0;               /* and the mentions buffer */
    if (lp_buf_append(&authors, "[", 1)) goto nomem;
    for (k = 0; k < e->n_aliases; k++) {
      if (k && lp_buf_append(&authors, ",", 1)) goto nomem;
      if (lp_json_string(&authors, e->aliases[k], strlen(e->aliases[k])))
        goto nomem;
    }
    if (lp_buf_append(&authors, "]", 1) || lp_buf_append(&editors, "[", 1))
      goto nomem;
    for (k = 0; k < e->n_mentions; k++) {
      /* ",[offset,length]" without a printf per mention (entities of a
       * long transcript have thousands) */
      size_t nl = 0;
      if (k) num[nl++] = ',';
      num[nl++] = '[';
      nl += put_size(num + nl, e->mentions[2 * k]);
      num[nl++] = ',';
      nl += put_size(num + nl, e->mentions[2 * k + 1]);
      num[nl++] = ']';
      if (lp_buf_append(&editors, num, nl)) goto nomem;
    }
    if (lp_buf_append(&editors, "]", 1)) goto nomem;
    rc = lp_db_stmt(db, ST_INS_ENTITY, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
    if (e->role) sqlite3_bind_text(st, 4, e->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, authors.p, (int)authors.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, editors.p, (int)editors.len, SQLITE_STATIC);
    rc = run_done(db, st, "insert entity");
    if (rc) goto out;
  }
  for (i = 0; i < a->n_authors + a->n_editors; i++) {
    int is_author = i < a->n_authors;
    const loupe_span *sp = is_author ? &a->authors[i]
                                     : &a->editors[i - a->n_authors];
    rc = lp_db_stmt(db, ST_INS_PERSON, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_text(st, 2, is_author ? "author" : "editor", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(is_author ? i : i - a->n_authors) + 1);
    sqlite3_bind_text(st, 4, sp->text, (int)sp->len, SQLITE_STATIC);
    rc = run_done(db, st, "insert person");
    if (rc) goto out;
  }
out:
  lp_buf_free(&authors);
  lp_buf_free(&editors);
  lp_buf_free(&prov);
  return rc;
nomem:
  snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  rc = LOUPE_ENOMEM;
  goto out;
}

#define MAX_CANDIDATES 512
#if LP_MINHASH_BANDS != 16
#error "ST_LSH_FIND binds 16 band keys"
#endif

/* A body shorter than this is not clustered: with a handful of shingles,
 * two unrelated pages that share one stock sentence look like copies. */
#define CLUSTER_MIN_WORDS 20

/*
 * Band keys are random, so writing them straight into the keyed lsh table
 * dirties a different page for almost every key: each batch would rewrite
 * most of the table, a cost that grows with the corpus. New keys wait
 * instead in memory (hashed, looked up with the table) and are written in
 * key order once enough have gathered: at least flush_min articles and a
 * quarter of the corpus, at most LSH_FLUSH_MAX, so a flush dirties each
 * page of the table about once for many keys. Which articles are waiting
 * is kept in lsh_pending (appended, in id order), so a killed ingest or
 * another process loses nothing: the keys are rebuilt from the stored
 * signatures.
 */
#define LSH_FLUSH_MAX 25000

static void pend_reset(loupe_db *db) {
  db->pend.n = 0;
  db->pend.articles = 0;
  db->pend.loaded = 0;
  if (db->pend.slot) memset(db->pend.slot, 0, db->pend.nslot * sizeof *db->pend.slot);
}

static void pend_free(lp_lsh_pending *p) {
  free(p->e);
  free(p->slot);
  memset(p, 0, sizeof *p);
}

static uint32_t pend_hash(int64_t key, size_t nslot) {
  return (uint32_t)(((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> 32) &
         (uint32_t)(nslot - 1);
}

static void pend_index(lp_lsh_pending *p, size_t i) {
  uint32_t k = pend_hash(p->e[i].key, p->nslot);
  while (p->slot[k]) k = (k + 1) & (uint32_t)(p->nslot - 1);
  p->slot[k] = (uint32_t)i + 1;
}

static int pend_rehash(lp_lsh_pending *p, size_t nslot) {
  uint32_t *slot = calloc(nslot, sizeof *slot);
  size_t i;
  if (slot == NULL) return LOUPE_ENOMEM;
  free(p->slot);
  p->slot = slot;
  p->nslot = nslot;
  for (i = 0; i < p->n; i++) pend_index(p, i);
  return LOUPE_OK;
}

static int pend_add(loupe_db *db, const int64_t *keys, long long id) {
  lp_lsh_pending *p = &db->pend;
  int band;
  if (p->n + LP_MINHASH_BANDS > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 4096;
    lp_lsh_entry *e = realloc(p->e, cap * sizeof *e);
    if (e == NULL) return LOUPE_ENOMEM;
    p->e = e;
    p->cap = cap;
  }
  if ((p->n + LP_MINHASH_BANDS) * 2 > p->nslot) {
    size_t nslot = p->nslot ? p->nslot : 8192;
    while ((p->n + LP_MINHASH_BANDS) * 2 > nslot) nslot *= 2;
    if (pend_rehash(p, nslot)) return LOUPE_ENOMEM;
  }
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    p->e[p->n].key = keys[band];
    p->e[p->n].id = id;
    pend_index(p, p->n);
    p->n++;
  }
  p->articles++;
  return LOUPE_OK;
}

/* Forget the waiting keys of article id (it is being replaced). */
static int pend_remove(loupe_db *db, long long id) {
  lp_lsh_pending *p = &db->pend;
  size_t i, out = 0;
  for (i = 0; i < p->n; i++)
    if (p->e[i].id != id) p->e[out++] = p->e[i];
  if (out == p->n) return LOUPE_OK;
  p->n = out;
  if (p->articles) p->articles--;
  return pend_rehash(p, p->nslot);
}

/* Bring the waiting keys in memory in step with lsh_pending: after an
 * open, a rollback or another connection's commit. */
static int pend_load(loupe_db *db) {
  sqlite3_stmt *st;
  int rc;
  if (db->pend.loaded) {
    long long v = 0;
    rc = lp_db_stmt(db, ST_DATA_VERSION, &st);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (v == db->pend.data_version) return LOUPE_OK;
  }
  pend_reset(db);
  rc = lp_db_stmt(db, ST_PEND_LOAD, &st);
  if (rc) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    lp_sig sig;
    int64_t keys[LP_MINHASH_BANDS];
    if (!lp_sig_unpack(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1),
                       &sig))
      continue;
    lp_minhash_keys(&sig, keys);
    if (pend_add(db, keys, sqlite3_column_int64(st, 0))) {
      sqlite3_reset(st);
      pend_reset(db);
      snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
      return LOUPE_ENOMEM;
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    pend_reset(db);
    return lp_db_error(db, rc, "load pending band keys");
  }
  rc = lp_db_stmt(db, ST_DATA_VERSION, &st);
  if (rc) return rc;
  if (sqlite3_step(st) == SQLITE_ROW)
    db->pend.data_version = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  db->pend.loaded = 1;
  return LOUPE_OK;
}

static int cmp_entry(const void *a, const void *b) {
  const lp_lsh_entry *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Write the waiting keys into lsh in key order (inside the caller's
 * transaction); force writes them whatever their number. */
static int pend_flush(loupe_db *db, int force) {
  lp_lsh_pending *p = &db->pend;
  sqlite3_stmt *st;
  size_t i, want;
  long long max_id = 0;
  int rc;
  if (!p->loaded || p->articles == 0) return LOUPE_OK;
  if (!force) {
    if (p->articles < p->flush_min) return LOUPE_OK;
    rc = lp_db_stmt(db, ST_MAX_ID, &st);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) max_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    want = (size_t)(max_id / 4);
    if (want > LSH_FLUSH_MAX) want = LSH_FLUSH_MAX;
    if (p->articles < want) return LOUPE_OK;
  }
  qsort(p->e, p->n, sizeof *p->e, cmp_entry);
  rc = lp_db_stmt(db, ST_LSH_INS, &st);
  if (rc) return rc;
  for (i = 0; i < p->n; i++) {
    sqlite3_bind_int64(st, 1, p->e[i].key);
    sqlite3_bind_int64(st, 2, p->e[i].id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
      pend_reset(db);              /* the caller rolls back; reload then */
      return lp_db_error(db, rc, "store band keys");
    }
  }
  rc = lp_db_stmt(db, ST_PEND_CLEAR, &st);
  if (!rc) rc = run_done(db, st, "clear pending band keys");
  p->n = 0;
  p->articles = 0;
  if (p->slot) memset(p->slot, 0, p->nslot * sizeof *p->slot);
  if (rc) pend_reset(db);
  return rc;
}

/* Where an article goes: the clusters it links and the one they join. */
typedef struct {
  int64_t keys[LP_MINHASH_BANDS];
  long long target;                   /* 0: a cluster of its own */
  long long clusters[MAX_CANDIDATES];
  int n;
  long long seen[MAX_CANDIDATES];
  int nseen;
} placement;

/* Judge candidate cand, once however many bands it shares: read its
 * cluster and signature (ST_CAND) and keep its cluster when the
 * similarity passes the threshold. */
static int consider(loupe_db *db, const lp_sig *sig, placement *pl,
                    long long cand) {
  sqlite3_stmt *st;
  long long cl;
  lp_sig other;
  int k, rc, pass;
  for (k = 0; k < pl->nseen; k++)
    if (pl->seen[k] == cand) return LOUPE_OK;
  if (pl->nseen >= MAX_CANDIDATES) return LOUPE_OK;
  pl->seen[pl->nseen++] = cand;
  rc = lp_db_stmt(db, ST_CAND, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, cand);
  rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) {                   /* a stale key: article gone */
    sqlite3_reset(st);
    return LOUPE_OK;
  }
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return lp_db_error(db, rc, "find near duplicates");
  }
  pass = lp_sig_unpack(sqlite3_column_blob(st, 1),
                       sqlite3_column_bytes(st, 1), &other) &&
         lp_minhash_similarity(sig, &other) >= db->cluster_threshold;
  cl = sqlite3_column_type(st, 0) == SQLITE_NULL
         ? cand : sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (!pass) return LOUPE_OK;
  for (k = 0; k < pl->n; k++)
    if (pl->clusters[k] == cl) break;
  if (k == pl->n && pl->n < MAX_CANDIDATES) pl->clusters[pl->n++] = cl;
  if (pl->target == 0 || cl < pl->target) pl->target = cl;
  return LOUPE_OK;
}

/*
 * Look up the candidates of signature sig by its band keys, in the table
 * and among the waiting keys (constant work per article, whatever the
 * corpus size), keep those whose similarity passes the threshold and note
 * their clusters. self is the article's own id when it is being replaced
 * (0 when new: a new id is larger than every stored one). A cluster is
 * named by the smallest article id in it.
 */
static int find_cluster(loupe_db *db, long long self, const lp_sig *sig,
                        placement *pl) {
  lp_lsh_pending *p = &db->pend;
  sqlite3_stmt *st;
  int rc, band;

  pl->n = 0;
  pl->nseen = 0;
  pl->target = 0;
  lp_minhash_keys(sig, pl->keys);
  rc = pend_load(db);
  if (rc) return rc;
  rc = lp_db_stmt(db, ST_LSH_FIND, &st);
  if (rc) return rc;
  for (band = 0; band < LP_MINHASH_BANDS; band++)
    sqlite3_bind_int64(st, band + 1, pl->keys[band]);
  sqlite3_bind_int64(st, LP_MINHASH_BANDS + 1, self);
  /* candidates in band order; the rest are not read once MAX_CANDIDATES
   * have been considered */
  while (pl->nseen < MAX_CANDIDATES && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    int crc = consider(db, sig, pl, sqlite3_column_int64(st, 0));
    if (crc) {
      sqlite3_reset(st);
      return crc;
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return lp_db_error(db, rc, "find near duplicates");
  if (p->n == 0) goto done;
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    uint32_t k = pend_hash(pl->keys[band], p->nslot);
    while (p->slot[k]) {
      const lp_lsh_entry *e = &p->e[p->slot[k] - 1];
      k = (k + 1) & (uint32_t)(p->nslot - 1);
      if (e->key != pl->keys[band] || e->id == self) continue;
      rc = consider(db, sig, pl, e->id);
      if (rc) return rc;
    }
  }
done:
  if (pl->n > 0 && self > 0 && self < pl->target) pl->target = self;
  return LOUPE_OK;
}

/* After the article row is written: join the linked clusters (merging
 * when it links several) and put its band keys in waiting. */
static int place_cluster(loupe_db *db, long long id, const placement *pl) {
  sqlite3_stmt *st;
  int k, rc;
  for (k = 0; k < pl->n; k++) {
    if (pl->clusters[k] == pl->target) {
      /* the usual case: a singleton becomes a cluster, named by itself */
      rc = lp_db_stmt(db, ST_JOIN, &st);
      if (rc) return rc;
      sqlite3_bind_int64(st, 1, pl->target);
    } else {
      rc = lp_db_stmt(db, ST_MERGE, &st);
      if (rc) return rc;
      sqlite3_bind_int64(st, 1, pl->target);
      sqlite3_bind_int64(st, 2, pl->clusters[k]);
    }
    rc = run_done(db, st, "merge clusters");
    if (rc) return rc;
  }
  rc = lp_db_stmt(db, ST_PEND_ADD, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = run_done(db, st, "note pending band keys");
  if (rc) return rc;
  if (pend_add(db, pl->keys, id)) {
    pend_reset(db);
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  return LOUPE_OK;
}

/* Forget the band keys of article id's stored signature, if it has one. */
static int drop_keys(loupe_db *db, long long id) {
  sqlite3_stmt *st;
  lp_sig old;
  int64_t keys[LP_MINHASH_BANDS];
  int rc, have, band;
  rc = pend_load(db);
  if (rc) return rc;
  rc = pend_remove(db, id);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return rc;
  }
  rc = lp_db_stmt(db, ST_PEND_DEL, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = run_done(db, st, "clear pending band keys");
  if (rc) return rc;
  rc = lp_db_stmt(db, ST_GET_SIG, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  have = rc == SQLITE_ROW &&
         lp_sig_unpack(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0),
                       &old);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lp_db_error(db, rc, "read signature");
  if (!have) return LOUPE_OK;
  lp_minhash_keys(&old, keys);
  rc = lp_db_stmt(db, ST_LSH_DEL, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 2, id);
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    sqlite3_bind_int64(st, 1, keys[band]);
    rc = run_done(db, st, "clear band keys");
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* The signature of a body, when it is long enough to be clustered. */
static int body_signature(const char *body, size_t len, lp_sig *sig) {
  if (body == NULL) return 0;
  lp_minhash(body, len, sig);
  return sig->n + 2 >= CLUSTER_MIN_WORDS;      /* n words make n - 2 shingles */
}

/*
 * Recompute every signature and cluster (after a migration changed the
 * signature format): articles in id order, each placed as if ingested
 * again. One article per statement, so no cursor reads a table while it
 * is being written.
 */
static int recluster_all(loupe_db *db) {
  sqlite3_stmt *next = NULL, *st;
  long long id = 0;
  int rc;
  rc = exec_sql(db, "DELETE FROM lsh; DELETE FROM lsh_pending;"
                    " UPDATE articles SET cluster_id = NULL,"
                    " minhash = NULL WHERE cluster_id IS NOT NULL"
                    " OR minhash IS NOT NULL", "clear clusters");
  if (rc) return rc;
  pend_reset(db);
  rc = sqlite3_prepare_v2(db->sql, "SELECT id, body FROM articles WHERE"
                          " id > ?1 ORDER BY id LIMIT 1", -1, &next, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "recluster");
  for (;;) {
    lp_sig sig;
    placement pl;
    unsigned char packed[LP_SIG_BYTES];
    int have;
    sqlite3_bind_int64(next, 1, id);
    rc = sqlite3_step(next);
    if (rc == SQLITE_DONE) { rc = LOUPE_OK; break; }
    if (rc != SQLITE_ROW) { rc = lp_db_error(db, rc, "recluster"); break; }
    id = sqlite3_column_int64(next, 0);
    have = body_signature((const char *)sqlite3_column_text(next, 1),
                          (size_t)sqlite3_column_bytes(next, 1), &sig);
    sqlite3_reset(next);
    if (!have) continue;
    rc = find_cluster(db, id, &sig, &pl);
    if (rc) break;
    lp_sig_pack(&sig, packed);
    rc = lp_db_stmt(db, ST_SET_SIG, &st);
    if (rc) break;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, packed, LP_SIG_BYTES, SQLITE_STATIC);
    if (pl.n > 0) sqlite3_bind_int64(st, 3, pl.target);
    else sqlite3_bind_null(st, 3);
    rc = run_done(db, st, "store signature");
    if (!rc) rc = place_cluster(db, id, &pl);
    if (rc) break;
  }
  sqlite3_finalize(next);
  if (!rc) rc = pend_flush(db, 1);
  return rc;
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
static int writable(loupe_db *db) {
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->readonly) {
    snprintf(db->errmsg, sizeof db->errmsg, "the corpus is open read-only");
    return LOUPE_EMISUSE;
  }
  return LOUPE_OK;
}

/* Is a bulk load's index building pending (see loupe_db_defer_indexes)? */
static int indexes_deferred(loupe_db *db, int *deferred) {
  sqlite3_stmt *st = NULL;
  int rc;
  *deferred = 0;
  rc = sqlite3_prepare_v2(db->sql, "SELECT 1 FROM meta WHERE key ="
                          " 'indexes_deferred'", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read meta");
  rc = sqlite3_step(st);
  *deferred = rc == SQLITE_ROW;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return lp_db_error(db, rc, "read meta");
  return LOUPE_OK;
}

/* Run sql (statements that write) in a transaction of its own. */
static int write_txn(loupe_db *db, const char *sql, const char *what) {
  int rc = writable(db);
  if (rc) return rc;
  if (db->in_txn || !sqlite3_get_autocommit(db->sql)) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: a transaction is open", what);
    return LOUPE_EMISUSE;
  }
  rc = exec_sql(db, "BEGIN IMMEDIATE", what);
  if (rc) return rc;
  rc = exec_sql(db, sql, what);
  if (rc == LOUPE_OK) rc = exec_sql(db, "COMMIT", what);
  if (rc != LOUPE_OK) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int loupe_db_defer_indexes(loupe_db *db) {
  return write_txn(db, "DROP INDEX IF EXISTS quotes_speaker;"
                   " DROP INDEX IF EXISTS entities_name;"
                   " INSERT OR REPLACE INTO meta(key, value)"
                   " VALUES ('indexes_deferred', 'quotes_speaker entities_name')",
                   "defer indexes");
}

int loupe_db_build_indexes(loupe_db *db) {
  return write_txn(db, DEFERRABLE_INDEXES
                   " DELETE FROM meta WHERE key = 'indexes_deferred'",
                   "build indexes");
}

/* ---- identity: paths, content hashes and what a page is ---- */

/* Longest hash stored: a content hash, or "raw:" and a byte hash. */
#define STORED_HASH_MAX (LOUPE_HASH_LEN + 8)

/* The article path points to (*id 0 when none) and its stored hash. */
static int find_path(loupe_db *db, const char *path, long long *id,
                     char stored[STORED_HASH_MAX]) {
  sqlite3_stmt *st;
  int rc;
  *id = 0;
  if (stored) stored[0] = '\0';
  rc = lp_db_stmt(db, ST_BY_PATH, &st);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *h = (const char *)sqlite3_column_text(st, 1);
    *id = sqlite3_column_int64(st, 0);
    if (stored) snprintf(stored, STORED_HASH_MAX, "%s", h ? h : "");
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lp_db_error(db, rc, "look up path");
  return LOUPE_OK;
}

/* The article with this content hash (*id 0 when none). */
static int find_hash(loupe_db *db, const char *hash, long long *id) {
  sqlite3_stmt *st;
  int rc;
  *id = 0;
  rc = lp_db_stmt(db, ST_BY_HASH, &st);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lp_db_error(db, rc, "look up content");
  return LOUPE_OK;
}

/* Is stored the "raw:" hash a migrated corpus gave these bytes? */
static int same_bytes(const char *stored, const char *bytes_hash) {
  return bytes_hash && strncmp(stored, "raw:", 4) == 0 &&
         strcmp(stored + 4, bytes_hash) == 0;
}

/* What to do with a page (see plan_page). */
typedef struct {
  loupe_add_status status;
  long long id;        /* the article the page is, or the one it replaces */
  long long from;      /* DUPLICATE: the article path pointed to before */
  long long upgrade;   /* an article to give the page's content hash (it
                          had the hash of these bytes from version 2) */
  int merge;           /* DUPLICATE: merge article from, whole, into id */
} plan;

/*
 * What the corpus holds for a page with content hash `hash` read from
 * path (NULL: text without a path). bytes_hash, the hash of the page's
 * bytes as they are, is needed only when the corpus has articles a
 * migration could not give a content hash (db->legacy); NULL otherwise.
 * Reads only.
 */
static int plan_page(loupe_db *db, const char *path, const char *hash,
                     const char *bytes_hash, plan *pl) {
  char stored[STORED_HASH_MAX];
  long long owner = 0, same = 0;
  int rc;
  memset(pl, 0, sizeof *pl);
  if (path) {
    rc = find_path(db, path, &owner, stored);
    if (rc) return rc;
    if (owner && strcmp(stored, hash) == 0) {
      pl->status = LOUPE_UNCHANGED;
      pl->id = owner;
      return LOUPE_OK;
    }
  }
  rc = find_hash(db, hash, &same);
  if (rc) return rc;
  if (owner && same_bytes(stored, bytes_hash)) {
    /* the bytes stored by version 2 under this path, unchanged */
    if (same && same != owner) {
      pl->status = LOUPE_DUPLICATE;
      pl->id = same;
      pl->from = owner;
      pl->merge = 1;
    } else {
      pl->status = LOUPE_UNCHANGED;
      pl->id = owner;
      pl->upgrade = owner;
    }
    return LOUPE_OK;
  }
  if (same == 0 && db->legacy > 0 && bytes_hash) {
    char raw[STORED_HASH_MAX];
    snprintf(raw, sizeof raw, "raw:%s", bytes_hash);
    rc = find_hash(db, raw, &same);
    if (rc) return rc;
    pl->upgrade = same;
  }
  if (same) {
    pl->status = path ? LOUPE_DUPLICATE : LOUPE_UNCHANGED;
    pl->id = same;
    pl->from = owner;
    return LOUPE_OK;
  }
  pl->status = owner ? LOUPE_UPDATED : LOUPE_ADDED;
  pl->id = owner;
  return LOUPE_OK;
}

int loupe_db_lookup(loupe_db *db, const char *path, const char *hash,
                    loupe_add_status *status, long long *id) {
  plan pl;
  int rc;
  *status = 0;
  *id = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (hash == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no content hash");
    return LOUPE_EINVAL;
  }
  rc = plan_page(db, path, hash, NULL, &pl);
  if (rc) return rc;
  *status = pl.status;
  *id = pl.id;
  return LOUPE_OK;
}

int loupe_db_stored_hash(loupe_db *db, const char *path,
                         char out[LOUPE_HASH_LEN + 1]) {
  char stored[STORED_HASH_MAX];
  long long id;
  int rc;
  out[0] = '\0';
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (path == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no path");
    return LOUPE_EINVAL;
  }
  rc = find_path(db, path, &id, stored);
  /* a "raw:" hash is never a page's: the page is read and looked at */
  if (rc == LOUPE_OK && id && strlen(stored) == LOUPE_HASH_LEN)
    memcpy(out, stored, LOUPE_HASH_LEN + 1);
  return rc;
}

int loupe_db_stored_hashes(loupe_db *db, const char *const *paths, size_t n,
                           char *out) {
  size_t i;
  int rc = LOUPE_OK, own = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (n > 0 && sqlite3_get_autocommit(db->sql)) {
    /* each look-up on its own would take and drop the read lock: two
     * system calls a file */
    rc = exec_sql(db, "BEGIN", "begin reading");
    if (rc) return rc;
    own = 1;
  }
  for (i = 0; i < n && rc == LOUPE_OK; i++)
    rc = loupe_db_stored_hash(db, paths[i], out + i * (LOUPE_HASH_LEN + 1));
  if (own) {
    if (rc == LOUPE_OK) rc = exec_sql(db, "COMMIT", "end reading");
    else sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  }
  return rc;
}

/* Run a cached statement that binds article id (and optionally text). */
static int run_id(loupe_db *db, int k, long long id, const char *text,
                  long long id2, const char *what) {
  sqlite3_stmt *st;
  int rc = lp_db_stmt(db, k, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  if (text) sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
  else if (id2) sqlite3_bind_int64(st, 2, id2);
  return run_done(db, st, what);
}

/* A path of article id other than `not` (any when NULL) into out; ""
 * when none. */
static int other_path(loupe_db *db, long long id, const char *not,
                      lp_buf *out) {
  sqlite3_stmt *st;
  int rc = lp_db_stmt(db, ST_PATH_OTHER, &st);
  out->len = 0;
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, not ? not : "", -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *p = (const char *)sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    if (lp_buf_append(out, p ? p : "", n) || lp_buf_append(out, "", 1)) {
      sqlite3_reset(st);
      snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
      return LOUPE_ENOMEM;
    }
    out->len--;                      /* the NUL stays, not counted */
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lp_db_error(db, rc, "look up paths");
  return LOUPE_OK;
}

/* Does article id show path as its own (articles.path)? */
static int primary_is(loupe_db *db, long long id, const char *path,
                      int *is, int *none) {
  sqlite3_stmt *st;
  int rc = lp_db_stmt(db, ST_ART_PATH, &st);
  *is = *none = 0;
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *p = (const char *)sqlite3_column_text(st, 0);
    *none = p == NULL;
    *is = p && path && strcmp(p, path) == 0;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lp_db_error(db, rc, "look up path");
  return LOUPE_OK;
}

/*
 * Remove article id with everything that hangs on it: paragraphs,
 * people, quotes, entities, paths, band keys, its full-text entry (the
 * delete trigger). A cluster it named is renamed after its smallest
 * member left.
 */
static int delete_article(loupe_db *db, long long id) {
  int rc = drop_keys(db, id);
  if (!rc) rc = run_id(db, ST_DEL_PARAS, id, NULL, 0, "delete paragraphs");
  if (!rc) rc = run_id(db, ST_DEL_PEOPLE, id, NULL, 0, "delete people");
  if (!rc) rc = run_id(db, ST_DEL_QUOTES, id, NULL, 0, "delete quotes");
  if (!rc) rc = run_id(db, ST_DEL_ENTITIES, id, NULL, 0, "delete entities");
  if (!rc) rc = run_id(db, ST_DEL_PATHS, id, NULL, 0, "delete paths");
  if (!rc) rc = run_id(db, ST_DEL_ARTICLE, id, NULL, 0, "delete article");
  if (!rc) rc = run_id(db, ST_RENAME_CLUSTER, id, NULL, 0, "rename cluster");
  return rc;
}

/* Article id shows one of its paths as its own, if it has any. */
static int fix_primary(loupe_db *db, long long id) {
  lp_buf other = {0};
  int is, none, rc = primary_is(db, id, NULL, &is, &none);
  if (rc || !none) return rc;
  rc = other_path(db, id, NULL, &other);
  if (!rc && other.len)
    rc = run_id(db, ST_SET_PATH, id, other.p, 0, "set path");
  lp_buf_free(&other);
  return rc;
}

/*
 * path no longer belongs to article owner: when it was the path owner
 * shows, another of its paths takes its place; when it was its last,
 * owner's content is at none of its paths any more and it is removed.
 */
static int detach_path(loupe_db *db, const char *path, long long owner) {
  lp_buf other = {0};
  sqlite3_stmt *st;
  int is, none, rc = lp_db_stmt(db, ST_PATH_DEL, &st);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  rc = run_done(db, st, "remove path");
  if (rc) return rc;
  rc = primary_is(db, owner, path, &is, &none);
  if (rc || !is) return rc;
  rc = other_path(db, owner, path, &other);
  if (!rc) {
    if (other.len) rc = run_id(db, ST_SET_PATH, owner, other.p, 0,
                               "set path");
    else rc = delete_article(db, owner);
  }
  lp_buf_free(&other);
  return rc;
}

/* Record path as a location of article id, taking it from the article
 * it pointed to. */
static int link_path(loupe_db *db, const char *path, long long id) {
  sqlite3_stmt *st;
  long long owner;
  int rc = find_path(db, path, &owner, NULL);
  if (rc || owner == id) return rc;
  if (owner) {
    rc = detach_path(db, path, owner);
    if (rc) return rc;
  }
  rc = lp_db_stmt(db, ST_PATH_INS, &st);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  rc = run_done(db, st, "record path");
  if (!rc) rc = fix_primary(db, id);
  return rc;
}

/* Article from has the content of article into: its paths go to into,
 * and it goes. */
static int merge_into(loupe_db *db, long long from, long long into) {
  int rc = run_id(db, ST_PATH_MOVE, from, NULL, into, "move paths");
  if (!rc) rc = delete_article(db, from);
  if (!rc) rc = fix_primary(db, into);
  return rc;
}

/* Begin a transaction of its own unless the caller has one: *own says. */
static int begin_own(loupe_db *db, int *own) {
  sqlite3_stmt *st;
  int rc;
  *own = 0;
  if (!sqlite3_get_autocommit(db->sql)) return LOUPE_OK;
  rc = lp_db_stmt(db, ST_BEGIN, &st);
  if (!rc) rc = run_done(db, st, "begin");
  if (!rc) *own = 1;
  return rc;
}

/* Commit a transaction of its own (rc LOUPE_OK) or roll it back. */
static int end_own(loupe_db *db, int own, int rc) {
  sqlite3_stmt *st;
  if (!own) return rc;
  if (rc == LOUPE_OK) {
    rc = pend_flush(db, 0);
    if (!rc) rc = lp_db_stmt(db, ST_COMMIT, &st);
    if (!rc) rc = run_done(db, st, "commit");
    if (!rc) return LOUPE_OK;
  }
  sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  pend_reset(db);
  return rc;
}

/* Carry out a plan that needs no parse: UNCHANGED and DUPLICATE. */
static int apply_link(loupe_db *db, const char *path, const char *hash,
                      const plan *pl) {
  int own, rc;
  if (pl->status == LOUPE_UNCHANGED && !pl->upgrade) return LOUPE_OK;
  rc = begin_own(db, &own);
  if (rc) return rc;
  if (pl->merge) {
    rc = merge_into(db, pl->from, pl->id);
  } else {
    if (pl->upgrade)
      rc = run_id(db, ST_SET_HASH, pl->upgrade, hash, 0, "set content hash");
    if (!rc && pl->status == LOUPE_DUPLICATE && path)
      rc = link_path(db, path, pl->id);
  }
  return end_own(db, own, rc);
}

int loupe_db_link(loupe_db *db, const char *path, long long id) {
  int own, rc = writable(db);
  if (rc) return rc;
  if (path == NULL || id <= 0) {
    snprintf(db->errmsg, sizeof db->errmsg, "no path or no article");
    return LOUPE_EINVAL;
  }
  rc = begin_own(db, &own);
  if (rc) return rc;
  return end_own(db, own, link_path(db, path, id));
}

int loupe_db_paths(loupe_db *db, long long id, loupe_cursor **out) {
  int rc = lp_simple_cursor(db, db && db->schema >= 3
    ? "SELECT path FROM paths WHERE article_id = ?1 ORDER BY path"
    : "SELECT path FROM articles WHERE id = ?1 AND path IS NOT NULL", out);
  if (rc == LOUPE_OK) sqlite3_bind_int64((*out)->stmt, 1, id);
  return rc;
}

/* loupe_db_store with what a prefetch worker computed ahead for the
 * article (NULL: everything is computed here). Inside a caller's
 * transaction (an ingest batch) a failure leaves the batch to be rolled
 * back by the caller; outside one, the page is written in a transaction
 * of its own, all or nothing. A page replacing an article that other
 * paths still hold becomes an article of its own: the others keep
 * theirs. */
static int store_with(loupe_db *db, const loupe_article *a, const char *path,
                      const char *hash, size_t len, long long existing,
                      const lp_ahead *ahead, long long *id) {
  sqlite3_stmt *st;
  lp_sig sig;
  placement pl;
  unsigned char packed[LP_SIG_BYTES];
  int rc, own_txn = 0, has_sig = 0;

  *id = 0;
  rc = writable(db);
  if (rc) return rc;
  if (a == NULL || hash == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no article or no hash");
    return LOUPE_EINVAL;
  }
  rc = begin_own(db, &own_txn);
  if (rc) return rc;
  if (path) {
    long long owner;
    rc = find_path(db, path, &owner, NULL);
    if (rc) goto out;
    /* only the article path holds is replaced under its id */
    if (existing && owner != existing) existing = 0;
    if (owner && owner == existing) {
      lp_buf other = {0};
      rc = other_path(db, existing, path, &other);
      if (!rc && other.len) {
        rc = detach_path(db, path, existing);
        existing = 0;
      }
      lp_buf_free(&other);
    } else if (owner) {
      rc = detach_path(db, path, owner);
    }
    if (rc) goto out;
  }
  if (existing && !db->no_cluster) {
    rc = drop_keys(db, existing);
    if (rc) goto out;
  }
  if (!db->no_cluster && a->body && ahead && ahead->has_sig) {
    sig = ahead->sig;
    has_sig = sig.n + 2 >= CLUSTER_MIN_WORDS;
  } else if (!db->no_cluster) {
    has_sig = body_signature(a->body, a->body_len, &sig);
  }
  if (has_sig) {
    rc = find_cluster(db, existing, &sig, &pl);
    if (rc) goto out;
    lp_sig_pack(&sig, packed);
  }
  /* the full-text tokens, when ready, are handed to FTS5 by the
   * tokenizer wrapper (ftstok.c) during this article's writes only */
  db->tok_ahead = ahead && ahead->toks.ready ? &ahead->toks : NULL;
  rc = store_article(db, a, path, hash, len, existing,
                     has_sig ? packed : NULL,
                     has_sig && pl.n > 0 ? pl.target : 0, id);
  db->tok_ahead = NULL;
  if (rc) goto out;
  if (path && !existing) {
    rc = lp_db_stmt(db, ST_PATH_INS, &st);
    if (rc) goto out;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, *id);
    rc = run_done(db, st, "record path");
    if (rc) goto out;
  }
  if (has_sig) {
    rc = place_cluster(db, *id, &pl);
    if (rc) goto out;
  }
out:
  rc = end_own(db, own_txn, rc);
  if (rc) *id = 0;
  return rc;
}

int loupe_db_store(loupe_db *db, const loupe_article *a, const char *path,
                   const char *hash, size_t len, long long existing,
                   long long *id) {
  return store_with(db, a, path, hash, len, existing, NULL, id);
}

/* Parse bytes with the corpus's parser and store the article (steps 2
 * and 3 of loupe_db_add, after a look-up that found work to do). */
static int parse_and_store(loupe_db *db, const char *bytes, size_t len,
                           const char *path, const char *hash,
                           long long existing, loupe_add_status *status,
                           long long *id) {
  loupe_article *a = NULL;
  int rc;
  loupe_parser_set_format(db->parser, loupe_format_of_path(path));
  rc = loupe_parse(db->parser, bytes, len, &a);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s", loupe_errmsg(db->parser));
    *id = 0;
    return rc;
  }
  rc = loupe_db_store(db, a, path, hash, len, existing, id);
  loupe_article_free(a);
  if (rc == LOUPE_OK) *status = existing ? LOUPE_UPDATED : LOUPE_ADDED;
  return rc;
}

/*
 * Store one page: look it up first so that unchanged pages and copies
 * of stored ones cost no parse, then parse and store it.
 */
int loupe_db_add(loupe_db *db, const char *bytes, size_t len,
                 const char *path, loupe_add_status *status, long long *id) {
  char hash[LOUPE_HASH_LEN + 1], raw[LOUPE_HASH_LEN + 1];
  plan pl;
  int rc, own;

  *status = 0;
  *id = 0;
  rc = writable(db);
  if (rc) return rc;
  loupe_hash(bytes, len, hash);
  if (db->legacy > 0) lp_bytes_hash(bytes, len, raw);
  /* looked up and stored in one transaction: another process storing the
   * same content meanwhile cannot make it a second article */
  rc = begin_own(db, &own);
  if (rc) return rc;
  rc = plan_page(db, path, hash, db->legacy > 0 ? raw : NULL, &pl);
  if (rc == LOUPE_OK && (pl.status == LOUPE_UNCHANGED ||
                         pl.status == LOUPE_DUPLICATE)) {
    rc = apply_link(db, path, hash, &pl);
    if (rc == LOUPE_OK) {
      *status = pl.status;
      *id = pl.id;
    }
  } else if (rc == LOUPE_OK) {
    rc = parse_and_store(db, bytes, len, path, hash, pl.id, status, id);
  }
  rc = end_own(db, own, rc);
  if (rc) {
    *status = 0;
    *id = 0;
  }
  return rc;
}

/*
 * Store a prefetched page. The page's article was parsed by a worker; it
 * is stored only if the look-up, made now inside the caller's batch,
 * still finds work to do. A page the worker skipped as unchanged is
 * parsed here in the rare case that the corpus changed meanwhile.
 */
int loupe_db_add_page(loupe_db *db, const loupe_page *page,
                      loupe_add_status *status, long long *id) {
  const lp_ahead *ahead;
  char raw[LOUPE_HASH_LEN + 1];
  const char *bytes_hash = NULL;
  plan pl;
  int rc;

  *status = 0;
  *id = 0;
  rc = writable(db);
  if (rc) return rc;
  if (page == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no page");
    return LOUPE_EINVAL;
  }
  if (page->rc != LOUPE_OK) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s", page->errmsg);
    return page->rc;
  }
  ahead = (const lp_ahead *)page->ahead;
  if (db->legacy > 0) {
    if (ahead) {
      bytes_hash = ahead->bytes_hash;
    } else if (page->bytes) {
      lp_bytes_hash(page->bytes, page->len, raw);
      bytes_hash = raw;
    }
  }
  rc = plan_page(db, page->path, page->hash, bytes_hash, &pl);
  if (rc) return rc;
  if (pl.status == LOUPE_UNCHANGED || pl.status == LOUPE_DUPLICATE) {
    rc = apply_link(db, page->path, page->hash, &pl);
    if (rc) return rc;
    *status = pl.status;
    *id = pl.id;
    return LOUPE_OK;
  }
  if (page->article == NULL) {
    if (page->bytes == NULL) {
      snprintf(db->errmsg, sizeof db->errmsg, "the page was not read");
      return LOUPE_EINVAL;
    }
    return parse_and_store(db, page->bytes, page->len, page->path,
                           page->hash, pl.id, status, id);
  }
  rc = store_with(db, page->article, page->path, page->hash, page->len,
                  pl.id, ahead, id);
  if (rc == LOUPE_OK) *status = pl.status;
  return rc;
}
