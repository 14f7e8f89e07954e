/*
 * schema.c - the corpus schema: creating it, reading its version,
 * migrating older versions (1 -> 2: band keys; 2 -> 3: articles by
 * content, with paths; 5 -> 6: the word totals keyness reads), the open's
 * notices, and the indexes a bulk load defers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
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
 * signature format, see lp_schema_migrate()). Text is stored once: the FTS5 index
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
  " src_offset INTEGER NOT NULL, src_line INTEGER NOT NULL,"
  " speaker_kind TEXT, mention TEXT, rule TEXT);"
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

/* Read the schema version (0 for a fresh file); -1 and a message when the
 * file is a SQLite database that is not a loupe corpus. */
int lp_schema_version(loupe_db *db, int *version) {
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

/* Add a line to the notices of the open. */
void lp_notice(loupe_db *db, const char *fmt, ...) {
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
    rc = lp_merge_into(db, pairs[i], pairs[i + 1]);
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
  int rc = lp_db_exec(db, "DROP INDEX IF EXISTS articles_hash;" PATHS_TABLE
                    "INSERT INTO paths(path, article_id) SELECT path, id"
                    " FROM articles WHERE path IS NOT NULL;"
                    "CREATE INDEX articles_hash ON articles(hash);",
                    "migrate paths");
  if (!rc) rc = merge_same_hash(db, &merged);      /* the same bytes */
  if (!rc) rc = rehash_all(db, &unread);
  if (!rc) rc = merge_same_hash(db, &merged);      /* the same content */
  if (!rc) rc = lp_db_exec(db, "DROP INDEX articles_hash;" ARTICLES_HASH_INDEX,
                         "index content hashes");
  if (rc) return rc;
  lp_notice(db, "%s: upgraded from schema version 2 to %d: %lld duplicate "
         "article%s merged (the same content under other paths; every path"
         " is kept)", db->path, LOUPE_SCHEMA_VERSION, merged,
         merged == 1 ? "" : "s");
  if (unread > 0)
    lp_notice(db, "%s: %lld article%s whose files could not be read again "
           "keep the hash of their bytes until they are ingested again",
           db->path, unread, unread == 1 ? "" : "s");
  return LOUPE_OK;
}


/* 4 -> 5: the columns of how each quote's speaker was found, each added
 * unless the table has it already (a file a test or a newer build wrote
 * and marked older). */
static int add_quote_fields(loupe_db *db) {
  static const char *const cols[] = {"speaker_kind", "mention", "rule"};
  size_t k;
  for (k = 0; k < sizeof cols / sizeof cols[0]; k++) {
    sqlite3_stmt *st = NULL;
    char sql[96];
    int have, rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM"
                                      " pragma_table_info('quotes') WHERE"
                                      " name = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) return lp_db_error(db, rc, "read the quotes table");
    sqlite3_bind_text(st, 1, cols[k], -1, SQLITE_STATIC);
    have = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    if (have) continue;
    snprintf(sql, sizeof sql, "ALTER TABLE quotes ADD COLUMN %s TEXT",
             cols[k]);
    rc = lp_db_exec(db, sql, "add the quotes' speaker fields");
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* 5 -> 6: the word totals keyness of a set against the rest reads,
 * counted from every body once (ingest keeps them from then on). */
static int migrate_totals(loupe_db *db, int version) {
  long long words, articles;
  int rc = lp_totals_rebuild(db, &words, &articles);
  if (rc || db->notices[0]) return rc;  /* one notice says it is upgraded */
  lp_notice(db, "%s: upgraded from schema version %d to %d: the word totals"
            " keyness reads are kept (%lld word%s in %lld article%s)",
            db->path, version, LOUPE_SCHEMA_VERSION, words,
            words == 1 ? "" : "s", articles, articles == 1 ? "" : "s");
  return LOUPE_OK;
}

/* Create or migrate the schema inside one transaction; a current schema
 * needs no write lock (another connection may be ingesting). */
int lp_schema_migrate(loupe_db *db) {
  int version, rc;
  char sql[200];
  rc = lp_schema_version(db, &version);
  if (rc) return rc;
  if (version == LOUPE_SCHEMA_VERSION) return LOUPE_OK;
  if (version > LOUPE_SCHEMA_VERSION) goto newer;
  rc = lp_db_exec(db, "BEGIN IMMEDIATE", "begin schema transaction");
  if (rc) return rc;
  /* another connection may have created or migrated it meanwhile */
  rc = lp_schema_version(db, &version);
  if (rc) goto fail;
  if (version > LOUPE_SCHEMA_VERSION) {
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    goto newer;
  }
  if (version == LOUPE_SCHEMA_VERSION) goto commit;
  /* the full-text index's tokens changed at version 4 (tokenizer.c) */
  if (version < 4) rc = lp_tok_migrate(db, version, 0);
  if (rc) goto fail;
  if (version == 0) {
    rc = lp_db_exec(db, schema_v3, "create schema");
    if (!rc) rc = lp_db_exec(db, LP_TOTALS_TABLE, "create word totals");
    if (rc) goto fail;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'),"
             " ('created_by', 'loupe %s')", LOUPE_SCHEMA_VERSION,
             LOUPE_VERSION);
    rc = lp_db_exec(db, sql, "record schema version");
    if (rc) goto fail;
  } else {
    if (version == 1) {
      /* 1 -> 2: band keys in one keyed table instead of (band, hash) rows
       * with two indexes; one-permutation signatures that carry their
       * shingle count. Old signatures cannot be compared with new ones,
       * so every article is clustered again. */
      rc = lp_db_exec(db, "DROP TABLE lsh; DROP TABLE IF EXISTS lsh_pending;"
                    LSH_TABLE, "migrate band keys");
      if (!rc) rc = lp_cluster_rebuild(db);
      if (rc) goto fail;
    }
    if (version < 3) rc = migrate_v3(db);
    /* 4 -> 5: how each quote's speaker was found (kind, the words that
     * pointed to it, the rule); quotes stored before have none until
     * their pages are ingested again */
    if (!rc && version < 5) rc = add_quote_fields(db);
    if (!rc) {
      snprintf(sql, sizeof sql, "UPDATE meta SET value = '%d' WHERE key ="
               " 'schema_version'", LOUPE_SCHEMA_VERSION);
      rc = lp_db_exec(db, sql, "record schema version");
    }
    if (rc) goto fail;
  }
  if (version < 4) rc = lp_tok_migrate(db, version, 1);  /* re-index */
  if (!rc && version > 0 && version < LP_TOTALS_SCHEMA)
    rc = migrate_totals(db, version);
  if (rc) goto fail;
commit:
  rc = lp_db_exec(db, "COMMIT", "commit schema");
  if (rc) goto fail;
  db->schema = LOUPE_SCHEMA_VERSION;
  return LOUPE_OK;
fail:
  sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  lp_pend_reset(db);
  lp_totals_reset(db);
  db->notices[0] = '\0';
  return rc;
newer:
  snprintf(db->errmsg, sizeof db->errmsg, "%s: corpus schema version %d is"
           " newer than this loupe's (%d); use a newer loupe", db->path,
           version, LOUPE_SCHEMA_VERSION);
  return LOUPE_EVERSION;
}

/* Is a bulk load's index building pending (see loupe_db_defer_indexes)? */
int lp_indexes_deferred(loupe_db *db, int *deferred) {
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
  int rc = lp_db_writable(db);
  if (rc) return rc;
  if (db->in_txn || !sqlite3_get_autocommit(db->sql)) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: a transaction is open", what);
    return LOUPE_EMISUSE;
  }
  rc = lp_db_exec(db, "BEGIN IMMEDIATE", what);
  if (rc) return rc;
  rc = lp_db_exec(db, sql, what);
  if (rc == LOUPE_OK) rc = lp_db_exec(db, "COMMIT", what);
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
