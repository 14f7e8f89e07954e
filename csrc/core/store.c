/*
 * store.c - the corpus file: opening (WAL, schema creation and migration),
 * transactions, and storing parsed articles with their paragraphs and
 * people. An article is stored under a savepoint, so a failure leaves
 * nothing half-written. SQL text for storing lives here only.
 */
#define _POSIX_C_SOURCE 200809L   /* gmtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <pcre2.h>
#include "internal.h"

/* The schema, version 1. Text is stored once: the FTS5 index reads the
 * articles table (external content) and paragraphs are spans of body. */
static const char schema_v1[] =
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
  " body TEXT NOT NULL,"
  " provenance TEXT NOT NULL DEFAULT '{}',"
  " parser_version TEXT NOT NULL,"
  " ingested_at TEXT NOT NULL,"
  " cluster_id INTEGER,"
  " minhash BLOB);"
  "CREATE INDEX articles_cluster ON articles(cluster_id);"
  "CREATE TABLE lsh("
  " band INTEGER NOT NULL,"
  " hash INTEGER NOT NULL,"
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE);"
  "CREATE INDEX lsh_band_hash ON lsh(band, hash);"
  "CREATE INDEX lsh_article ON lsh(article_id);"
  "CREATE INDEX articles_hash ON articles(hash);"
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
  "CREATE INDEX quotes_speaker ON quotes(speaker COLLATE NOCASE);"
  "CREATE TABLE entities("
  " id INTEGER PRIMARY KEY,"
  " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
  " name TEXT NOT NULL, kind TEXT NOT NULL, role TEXT,"
  " aliases TEXT NOT NULL DEFAULT '[]',"
  " mentions TEXT NOT NULL DEFAULT '[]');"
  "CREATE INDEX entities_article ON entities(article_id);"
  "CREATE INDEX entities_name ON entities(name COLLATE NOCASE);"
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
  /* ST_BY_PATH */ "SELECT id, hash FROM articles WHERE path = ?1",
  /* ST_BY_HASH */
  "SELECT id FROM articles WHERE hash = ?1 AND path IS NULL LIMIT 1",
  /* ST_INSERT */
  "INSERT INTO articles(path, hash, bytes, title, date, date_precision,"
  " dateline, credit, outlet, lang, authors, editors, body, provenance,"
  " parser_version, ingested_at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
  " ?15, ?16)",
  /* ST_UPDATE */
  "UPDATE articles SET path = ?1, hash = ?2, bytes = ?3, title = ?4,"
  " date = ?5, date_precision = ?6, dateline = ?7, credit = ?8,"
  " outlet = ?9, lang = ?10, authors = ?11, editors = ?12, body = ?13,"
  " provenance = ?14, parser_version = ?15, ingested_at = ?16"
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
  /* ST_LSH_FIND */
  "SELECT l.article_id, a.cluster_id, a.minhash FROM lsh l JOIN articles a"
  " ON a.id = l.article_id WHERE l.band = ?1 AND l.hash = ?2"
  " AND l.article_id != ?3",
  /* ST_LSH_INS */ "INSERT INTO lsh(band, hash, article_id) VALUES (?1, ?2, ?3)",
  /* ST_LSH_DEL */ "DELETE FROM lsh WHERE article_id = ?1",
  /* ST_SET_SIG */
  "UPDATE articles SET minhash = ?2, cluster_id = ?3 WHERE id = ?1",
  /* ST_MERGE */ "UPDATE articles SET cluster_id = ?1 WHERE cluster_id = ?2"
  " OR (cluster_id IS NULL AND id = ?2)",
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
  "SELECT rank FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2"
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
  snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", what, msg);
  switch (prim) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return LOUPE_EBUSY;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return LOUPE_ECORRUPT;
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_FULL: return LOUPE_EIO;
  case SQLITE_NOMEM: return LOUPE_ENOMEM;
  default: return LOUPE_EDB;
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

/* ---- hashing and JSON ---- */

void lp_hash_hex(const char *s, size_t n, char out[17]) {
  /* 64-bit multiply-rotate hash over 8-byte words (content identity, not
   * security); the length is mixed in */
  const unsigned char *u = (const unsigned char *)s;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
  size_t i = 0;
  static const char hex[] = "0123456789abcdef";
  int k;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, u + i, 8);
    w *= 0xFF51AFD7ED558CCDULL;
    w ^= w >> 32;
    h ^= w;
    h = (h << 27) | (h >> 37);
    h = h * 0x9FB21C651E98DF25ULL + 0x52DCE729ULL;
  }
  for (; i < n; i++) {
    h ^= u[i];
    h *= 0x100000001B3ULL;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  for (k = 15; k >= 0; k--) {
    out[k] = hex[h & 15];
    h >>= 4;
  }
  out[16] = '\0';
}

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
  char *err = NULL;
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK) {
    int code = lp_db_error(db, rc, what);
    if (err) {
      snprintf(db->errmsg, sizeof db->errmsg, "%s: %s", what, err);
      sqlite3_free(err);
    }
    return code;
  }
  return LOUPE_OK;
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
               "not a loupe corpus (the database has other tables)");
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
             "not a loupe corpus (no schema version)");
    return LOUPE_ECORRUPT;
  }
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
  rc = exec_sql(db, "BEGIN IMMEDIATE", "begin schema transaction");
  if (rc) return rc;
  rc = schema_version(db, &version);
  if (rc) goto fail;
  if (version > LOUPE_SCHEMA_VERSION) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "corpus schema version %d is newer than this loupe (%d)",
             version, LOUPE_SCHEMA_VERSION);
    rc = LOUPE_ECORRUPT;
    goto fail;
  }
  if (version == 0) {
    rc = exec_sql(db, schema_v1, "create schema");
    if (rc) goto fail;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'),"
             " ('created_by', 'loupe %s')", LOUPE_SCHEMA_VERSION,
             LOUPE_VERSION);
    rc = exec_sql(db, sql, "record schema version");
    if (rc) goto fail;
  }
  return exec_sql(db, "COMMIT", "commit schema");
fail:
  sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* loupe_sim(a, b): estimated Jaccard similarity of two signatures. */
static void sim_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const void *a = sqlite3_value_blob(argv[0]), *b = sqlite3_value_blob(argv[1]);
  uint32_t sa[LP_MINHASH_K], sb[LP_MINHASH_K];
  (void)argc;
  if (a == NULL || b == NULL ||
      sqlite3_value_bytes(argv[0]) != (int)sizeof sa ||
      sqlite3_value_bytes(argv[1]) != (int)sizeof sb) {
    sqlite3_result_null(ctx);
    return;
  }
  memcpy(sa, a, sizeof sa);
  memcpy(sb, b, sizeof sb);
  sqlite3_result_double(ctx, lp_minhash_similarity(sa, sb));
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

int loupe_db_open(const char *path, int flags, loupe_db **out) {
  loupe_db *db;
  int rc, oflags;
  *out = NULL;
  db = calloc(1, sizeof *db);
  if (db == NULL) return LOUPE_ENOMEM;
  *out = db;
  if (path == NULL) {
    snprintf(db->errmsg, sizeof db->errmsg, "no path");
    return LOUPE_EINVAL;
  }
  db->readonly = (flags & LOUPE_OPEN_READONLY) != 0;
  db->cluster_threshold = 0.8;
  rc = loupe_parser_new(&db->parser);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return rc;
  }
  oflags = db->readonly ? SQLITE_OPEN_READONLY
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2(path, &db->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "open");
  sqlite3_extended_result_codes(db->sql, 1);
  sqlite3_busy_timeout(db->sql, 5000);
  if (!db->readonly) {
    /* a SQLite file that is not a corpus is left exactly as it was */
    int version;
    rc = schema_version(db, &version);
    if (rc) return rc;
    /* an in-memory database has no WAL; "memory" is fine there */
    rc = exec_sql(db, "PRAGMA journal_mode=WAL", "set WAL mode");
    if (rc) return rc;
    rc = exec_sql(db, "PRAGMA synchronous=NORMAL", "set synchronous");
    if (rc) return rc;
  }
  rc = exec_sql(db, "PRAGMA foreign_keys=ON", "set foreign keys");
  if (rc) return rc;
  if (!db->readonly) {
    rc = migrate(db);
    if (rc) return rc;
  } else {
    int version;
    rc = schema_version(db, &version);
    if (rc) return rc;
    if (version == 0) {
      snprintf(db->errmsg, sizeof db->errmsg, "%s: not a loupe corpus", path);
      return LOUPE_ECORRUPT;
    }
  }
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

void loupe_db_close(loupe_db *db) {
  int i;
  if (db == NULL) return;
  while (db->cursors) lp_cursor_release(db->cursors);
  for (i = 0; i < ST__N; i++) sqlite3_finalize(db->st[i]);
  lp_buf_free(&db->field[0]);
  lp_buf_free(&db->field[1]);
  if (db->sql) {
    if (db->in_txn || !sqlite3_get_autocommit(db->sql))
      sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(db->sql);
  }
  loupe_parser_free(db->parser);
  free(db);
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
  rc = exec_sql(db, "COMMIT", "commit");
  if (rc == LOUPE_OK) db->in_txn = 0;
  return rc;
}

int loupe_db_rollback(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (!db->in_txn) return LOUPE_OK;
  rc = exec_sql(db, "ROLLBACK", "rollback");
  db->in_txn = 0;
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

/* Write the article row (insert or update) and its children. */
static int store_article(loupe_db *db, const loupe_article *a,
                         const char *path, const char *hash, size_t bytes,
                         long long existing, long long *id) {
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
  for (i = 0; i < a->n_paragraphs; i++) {
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
      int nl = snprintf(num, sizeof num, "%s[%zu,%zu]", k ? "," : "",
                        e->mentions[2 * k], e->mentions[2 * k + 1]);
      if (lp_buf_append(&editors, num, (size_t)nl)) goto nomem;
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

/* Words (runs of letters and digits) in s[0..n), counted up to 1000. */
static size_t count_words(const char *s, size_t n) {
  size_t i = 0, w = 0;
  while (i < n && w < 1000) {
    while (i < n && !((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') &&
           !(s[i] >= '0' && s[i] <= '9') && !((unsigned char)s[i] >= 0x80))
      i++;
    if (i >= n) break;
    w++;
    while (i < n && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9') ||
                     (unsigned char)s[i] >= 0x80))
      i++;
  }
  return w;
}

/*
 * Put article id into its republication cluster: look candidates up by
 * the 32 band hashes of its MinHash signature (constant work per article,
 * whatever the corpus size), keep those whose estimated similarity passes
 * the threshold, and join (merging if it links several) their clusters.
 * A cluster is named by the smallest article id in it.
 */
static int cluster_article(loupe_db *db, long long id, const char *body,
                           size_t len) {
  uint32_t sig[LP_MINHASH_K];
  int64_t bands[LP_MINHASH_BANDS];
  long long seen[MAX_CANDIDATES], clusters[MAX_CANDIDATES], target = id;
  int nseen = 0, nclusters = 0, band, k, rc;
  sqlite3_stmt *st;

  lp_minhash(body, len, sig);
  lp_minhash_bands(sig, bands);
  rc = lp_db_stmt(db, ST_LSH_DEL, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = run_done(db, st, "clear band hashes");
  if (rc) return rc;
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    rc = lp_db_stmt(db, ST_LSH_FIND, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, band);
    sqlite3_bind_int64(st, 2, bands[band]);
    sqlite3_bind_int64(st, 3, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      long long cand = sqlite3_column_int64(st, 0), cl;
      const void *blob = sqlite3_column_blob(st, 2);
      int bytes = sqlite3_column_bytes(st, 2), dup = 0;
      for (k = 0; k < nseen; k++)
        if (seen[k] == cand) { dup = 1; break; }
      if (dup || nseen >= MAX_CANDIDATES) continue;
      seen[nseen++] = cand;
      if (blob == NULL || bytes != (int)sizeof sig) continue;
      {
        uint32_t other[LP_MINHASH_K];
        memcpy(other, blob, sizeof other);
        if (lp_minhash_similarity(sig, other) < db->cluster_threshold)
          continue;
      }
      cl = sqlite3_column_type(st, 1) == SQLITE_NULL
             ? cand : sqlite3_column_int64(st, 1);
      for (k = 0; k < nclusters; k++)
        if (clusters[k] == cl) { dup = 1; break; }
      if (!dup && nclusters < MAX_CANDIDATES) clusters[nclusters++] = cl;
      if (cl < target) target = cl;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return lp_db_error(db, rc, "find near duplicates");
  }
  /* every cluster this page links joins the one with the smallest id */
  for (k = 0; k < nclusters; k++) {
    rc = lp_db_stmt(db, ST_MERGE, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, target);
    sqlite3_bind_int64(st, 2, clusters[k]);
    rc = run_done(db, st, "merge clusters");
    if (rc) return rc;
  }
  rc = lp_db_stmt(db, ST_SET_SIG, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_blob(st, 2, sig, (int)sizeof sig, SQLITE_TRANSIENT);
  if (nclusters > 0) sqlite3_bind_int64(st, 3, target);
  else sqlite3_bind_null(st, 3);
  rc = run_done(db, st, "store signature");
  if (rc) return rc;
  for (band = 0; band < LP_MINHASH_BANDS; band++) {
    rc = lp_db_stmt(db, ST_LSH_INS, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, band);
    sqlite3_bind_int64(st, 2, bands[band]);
    sqlite3_bind_int64(st, 3, id);
    rc = run_done(db, st, "store band hash");
    if (rc) return rc;
  }
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

/*
 * Store one page. Looks the path (or, without one, the content hash) up
 * first so unchanged pages cost no parse. Inside a caller's transaction
 * (an ingest batch) a failure leaves the batch to be rolled back by the
 * caller; outside one, the page is written in a transaction of its own,
 * all or nothing.
 */
int loupe_db_add(loupe_db *db, const char *bytes, size_t len,
                 const char *path, loupe_add_status *status, long long *id) {
  sqlite3_stmt *st;
  char hash[17];
  long long existing = 0;
  loupe_article *a = NULL;
  int rc, own_txn = 0;

  *status = 0;
  *id = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->readonly) {
    snprintf(db->errmsg, sizeof db->errmsg, "the corpus is open read-only");
    return LOUPE_EMISUSE;
  }
  lp_hash_hex(bytes, len, hash);
  rc = lp_db_stmt(db, path ? ST_BY_PATH : ST_BY_HASH, &st);
  if (rc) return rc;
  if (path) sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  else sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    long long found = sqlite3_column_int64(st, 0);
    const char *old = path ? (const char *)sqlite3_column_text(st, 1) : hash;
    if (old && strcmp(old, hash) == 0) {
      sqlite3_reset(st);
      *status = LOUPE_UNCHANGED;
      *id = found;
      return LOUPE_OK;
    }
    existing = found;
  } else if (rc != SQLITE_DONE) {
    sqlite3_reset(st);
    return lp_db_error(db, rc, "look up article");
  }
  sqlite3_reset(st);
  rc = loupe_parse(db->parser, bytes, len, &a);
  if (rc) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s", loupe_errmsg(db->parser));
    return rc;
  }
  if (sqlite3_get_autocommit(db->sql)) {
    rc = lp_db_stmt(db, ST_BEGIN, &st);
    if (!rc) rc = run_done(db, st, "begin");
    if (rc) goto out;
    own_txn = 1;
  }
  rc = store_article(db, a, path, hash, len, existing, id);
  if (rc) goto out;
  /* a page with (almost) no body has nothing to compare: every such
   * page would look the same */
  if (!db->no_cluster && a->body && count_words(a->body, a->body_len) >= 12) {
    rc = cluster_article(db, *id, a->body, a->body_len);
    if (rc) goto out;
  }
  if (own_txn) {
    rc = lp_db_stmt(db, ST_COMMIT, &st);
    if (!rc) rc = run_done(db, st, "commit");
    if (rc) goto out;
    own_txn = 0;
  }
  *status = existing ? LOUPE_UPDATED : LOUPE_ADDED;
out:
  if (own_txn) {
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  }
  if (rc) *id = 0;
  loupe_article_free(a);
  return rc;
}
