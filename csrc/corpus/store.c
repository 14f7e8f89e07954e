/*
 * store.c - storing pages: transactions, what a page is (its paths and
 * content hash against the corpus), linking paths to articles, and the
 * add paths (loupe_db_add, loupe_db_add_page, loupe_db_store). A page is
 * written inside the caller's transaction, or in one of its own, so a
 * failure leaves nothing half-written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

int loupe_db_begin(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (db->in_txn) {
    snprintf(db->errmsg, sizeof db->errmsg, "a transaction is already open");
    return LOUPE_EMISUSE;
  }
  rc = lp_db_exec(db, "BEGIN IMMEDIATE", "begin transaction");
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
  rc = lp_totals_flush(db);
  if (!rc) rc = lp_pend_flush(db, 0);
  if (rc) return rc;                /* still open: the caller rolls back */
  rc = lp_db_exec(db, "COMMIT", "commit");
  if (rc == LOUPE_OK) {
    db->in_txn = 0;
  } else {
    lp_pend_reset(db);
    lp_totals_reset(db);
  }
  return rc;
}

int loupe_db_rollback(loupe_db *db) {
  int rc;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  if (!db->in_txn) return LOUPE_OK;
  rc = lp_db_exec(db, "ROLLBACK", "rollback");
  db->in_txn = 0;
  lp_pend_reset(db);
  lp_totals_reset(db);
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
    rc = lp_db_exec(db, "BEGIN", "begin reading");
    if (rc) return rc;
    own = 1;
  }
  for (i = 0; i < n && rc == LOUPE_OK; i++)
    rc = loupe_db_stored_hash(db, paths[i], out + i * (LOUPE_HASH_LEN + 1));
  if (own) {
    if (rc == LOUPE_OK) rc = lp_db_exec(db, "COMMIT", "end reading");
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
  return lp_db_run(db, st, what);
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
  int rc = lp_cluster_drop(db, id);
  if (!rc) rc = lp_totals_add_article(db, id, -1);   /* its words go */
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
  rc = lp_db_run(db, st, "remove path");
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
  rc = lp_db_run(db, st, "record path");
  if (!rc) rc = fix_primary(db, id);
  return rc;
}

/* Article from has the content of article into: its paths go to into,
 * and it goes. */
int lp_merge_into(loupe_db *db, long long from, long long into) {
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
  if (!rc) rc = lp_db_run(db, st, "begin");
  if (!rc) *own = 1;
  return rc;
}

/* Commit a transaction of its own (rc LOUPE_OK) or roll it back. */
static int end_own(loupe_db *db, int own, int rc) {
  sqlite3_stmt *st;
  if (!own) return rc;
  if (rc == LOUPE_OK) {
    rc = lp_totals_flush(db);
    if (!rc) rc = lp_pend_flush(db, 0);
    if (!rc) rc = lp_db_stmt(db, ST_COMMIT, &st);
    if (!rc) rc = lp_db_run(db, st, "commit");
    if (!rc) return LOUPE_OK;
  }
  sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  lp_pend_reset(db);
  lp_totals_reset(db);
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
    rc = lp_merge_into(db, pl->from, pl->id);
  } else {
    if (pl->upgrade)
      rc = run_id(db, ST_SET_HASH, pl->upgrade, hash, 0, "set content hash");
    if (!rc && pl->status == LOUPE_DUPLICATE && path)
      rc = link_path(db, path, pl->id);
  }
  return end_own(db, own, rc);
}

int loupe_db_link(loupe_db *db, const char *path, long long id) {
  int own, rc = lp_db_writable(db);
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
  lp_placement pl;
  unsigned char packed[LP_SIG_BYTES];
  int rc, own_txn = 0, has_sig = 0;

  *id = 0;
  rc = lp_db_writable(db);
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
    rc = lp_cluster_drop(db, existing);
    if (rc) goto out;
  }
  if (!db->no_cluster && a->body && ahead && ahead->has_sig) {
    sig = ahead->sig;
    has_sig = sig.n + 2 >= LP_CLUSTER_MIN_WORDS;
  } else if (!db->no_cluster) {
    has_sig = lp_body_signature(a->body, a->body_len, &sig);
  }
  if (has_sig) {
    rc = lp_cluster_find(db, existing, &sig, &pl);
    if (rc) goto out;
    lp_sig_pack(&sig, packed);
  }
  /* the full-text tokens, when ready, are handed to FTS5 by the
   * tokenizer wrapper (ftstok.c) during this article's writes only */
  db->tok_ahead = ahead && ahead->toks.ready ? &ahead->toks : NULL;
  rc = lp_store_article(db, a, path, hash, len, existing,
                     has_sig ? packed : NULL,
                     has_sig && pl.n > 0 ? pl.target : 0, id);
  db->tok_ahead = NULL;
  if (rc) goto out;
  if (path && !existing) {
    rc = lp_db_stmt(db, ST_PATH_INS, &st);
    if (rc) goto out;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, *id);
    rc = lp_db_run(db, st, "record path");
    if (rc) goto out;
  }
  if (has_sig) {
    rc = lp_cluster_place(db, *id, &pl);
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
  rc = lp_db_writable(db);
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
  rc = lp_db_writable(db);
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
