/*
 * statements.c - the SQL of the statements a connection prepares once and
 * keeps (ST_* in corpus.h), and running them.
 */
#include <sqlite3.h>
#include "corpus.h"

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
  " paragraph, src_offset, src_line, speaker_kind, mention, rule)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
  /* the fields of a hit read on first use (hits.c, loupe_db_hit_*):
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

int lp_db_run(loupe_db *db, sqlite3_stmt *st, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return lp_db_error(db, rc, what);
  return LOUPE_OK;
}
