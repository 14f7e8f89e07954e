/*
 * cluster.c - near-duplicate clusters: MinHash signatures looked up by
 * their band keys (LSH), the keys waiting in memory until a flush writes
 * them in key order, placing an article in a cluster, and clustering a
 * whole corpus again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

#if LP_MINHASH_BANDS != 16
#error "ST_LSH_FIND binds 16 band keys"
#endif

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

void lp_pend_reset(loupe_db *db) {
  db->pend.n = 0;
  db->pend.articles = 0;
  db->pend.loaded = 0;
  if (db->pend.slot)
    memset(db->pend.slot, 0, db->pend.nslot * sizeof *db->pend.slot);
}

void lp_pend_free(lp_lsh_pending *p) {
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
  lp_pend_reset(db);
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
      lp_pend_reset(db);
      snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
      return LOUPE_ENOMEM;
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    lp_pend_reset(db);
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
int lp_pend_flush(loupe_db *db, int force) {
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
      lp_pend_reset(db);              /* the caller rolls back; reload then */
      return lp_db_error(db, rc, "store band keys");
    }
  }
  rc = lp_db_stmt(db, ST_PEND_CLEAR, &st);
  if (!rc) rc = lp_db_run(db, st, "clear pending band keys");
  p->n = 0;
  p->articles = 0;
  if (p->slot) memset(p->slot, 0, p->nslot * sizeof *p->slot);
  if (rc) lp_pend_reset(db);
  return rc;
}

/* Judge candidate cand, once however many bands it shares: read its
 * cluster and signature (ST_CAND) and keep its cluster when the
 * similarity passes the threshold. */
static int consider(loupe_db *db, const lp_sig *sig, lp_placement *pl,
                    long long cand) {
  sqlite3_stmt *st;
  long long cl;
  lp_sig other;
  int k, rc, pass;
  for (k = 0; k < pl->nseen; k++)
    if (pl->seen[k] == cand) return LOUPE_OK;
  if (pl->nseen >= LP_MAX_CANDIDATES) return LOUPE_OK;
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
  if (k == pl->n && pl->n < LP_MAX_CANDIDATES) pl->clusters[pl->n++] = cl;
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
int lp_cluster_find(loupe_db *db, long long self, const lp_sig *sig,
                        lp_placement *pl) {
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
  /* candidates in band order; the rest are not read once LP_MAX_CANDIDATES
   * have been considered */
  while (pl->nseen < LP_MAX_CANDIDATES &&
         (rc = sqlite3_step(st)) == SQLITE_ROW) {
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
int lp_cluster_place(loupe_db *db, long long id, const lp_placement *pl) {
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
    rc = lp_db_run(db, st, "merge clusters");
    if (rc) return rc;
  }
  rc = lp_db_stmt(db, ST_PEND_ADD, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = lp_db_run(db, st, "note pending band keys");
  if (rc) return rc;
  if (pend_add(db, pl->keys, id)) {
    lp_pend_reset(db);
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  return LOUPE_OK;
}

/* Forget the band keys of article id's stored signature, if it has one. */
int lp_cluster_drop(loupe_db *db, long long id) {
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
  rc = lp_db_run(db, st, "clear pending band keys");
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
    rc = lp_db_run(db, st, "clear band keys");
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* The signature of a body, when it is long enough to be clustered. */
int lp_body_signature(const char *body, size_t len, lp_sig *sig) {
  if (body == NULL) return 0;
  lp_minhash(body, len, sig);
  /* n words make n - 2 shingles */
  return sig->n + 2 >= LP_CLUSTER_MIN_WORDS;
}

/*
 * Recompute every signature and cluster (after a migration changed the
 * signature format): articles in id order, each placed as if ingested
 * again. One article per statement, so no cursor reads a table while it
 * is being written.
 */
int lp_cluster_rebuild(loupe_db *db) {
  sqlite3_stmt *next = NULL, *st;
  long long id = 0;
  int rc;
  rc = lp_db_exec(db, "DELETE FROM lsh; DELETE FROM lsh_pending;"
                    " UPDATE articles SET cluster_id = NULL,"
                    " minhash = NULL WHERE cluster_id IS NOT NULL"
                    " OR minhash IS NOT NULL", "clear clusters");
  if (rc) return rc;
  lp_pend_reset(db);
  rc = sqlite3_prepare_v2(db->sql, "SELECT id, body FROM articles WHERE"
                          " id > ?1 ORDER BY id LIMIT 1", -1, &next, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "recluster");
  for (;;) {
    lp_sig sig;
    lp_placement pl;
    unsigned char packed[LP_SIG_BYTES];
    int have;
    sqlite3_bind_int64(next, 1, id);
    rc = sqlite3_step(next);
    if (rc == SQLITE_DONE) { rc = LOUPE_OK; break; }
    if (rc != SQLITE_ROW) { rc = lp_db_error(db, rc, "recluster"); break; }
    id = sqlite3_column_int64(next, 0);
    have = lp_body_signature((const char *)sqlite3_column_text(next, 1),
                          (size_t)sqlite3_column_bytes(next, 1), &sig);
    sqlite3_reset(next);
    if (!have) continue;
    rc = lp_cluster_find(db, id, &sig, &pl);
    if (rc) break;
    lp_sig_pack(&sig, packed);
    rc = lp_db_stmt(db, ST_SET_SIG, &st);
    if (rc) break;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, packed, LP_SIG_BYTES, SQLITE_STATIC);
    if (pl.n > 0) sqlite3_bind_int64(st, 3, pl.target);
    else sqlite3_bind_null(st, 3);
    rc = lp_db_run(db, st, "store signature");
    if (!rc) rc = lp_cluster_place(db, id, &pl);
    if (rc) break;
  }
  sqlite3_finalize(next);
  if (!rc) rc = lp_pend_flush(db, 1);
  return rc;
}
