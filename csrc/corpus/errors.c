/*
 * errors.c - SQLite's result codes as loupe's: the code picks the LOUPE_*
 * code and the wording of the message set on the handle (a locked, damaged
 * or full corpus names its file).
 */
#include <stdio.h>
#include <sqlite3.h>
#include "corpus.h"

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

int lp_db_exec(loupe_db *db, const char *sql, const char *what) {
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, what);
  return LOUPE_OK;
}

int lp_step_error(loupe_db *db, int rc, const loupe_regex *re, int fts,
                  char *msg, size_t cap) {
  int code = lp_regex_status(re);
  if (code != LOUPE_OK) {            /* loupe_match failed: the regex's */
    snprintf(msg, cap, "%s", loupe_regex_errmsg(re));
    return code;
  }
  /* FTS5 rejects the expression it is given (a syntax error, an unknown
   * column or special query) with a plain SQLITE_ERROR at the first step;
   * a damaged index or a locked file have codes of their own */
  if (fts && rc == SQLITE_ERROR) {
    snprintf(msg, cap, "bad search text: %s", sqlite3_errmsg(db->sql));
    return LOUPE_ESYNTAX;
  }
  code = lp_db_error(db, rc, "search");
  snprintf(msg, cap, "%s", db->errmsg);
  return code;
}
