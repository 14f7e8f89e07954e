/*
 * record.c - an article as rows: the article row (insert or update) with
 * its names and provenance as JSON, then its paragraphs, quotes,
 * entities and people.
 */
#define _POSIX_C_SOURCE 200809L   /* gmtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include "corpus.h"

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
  rc = lp_db_run(db, st, "insert paragraphs");
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
int lp_store_article(loupe_db *db, const loupe_article *a,
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
  rc = lp_db_run(db, st, existing ? "update article" : "insert article");
  if (rc) goto out;
  *id = existing ? existing : sqlite3_last_insert_rowid(db->sql);
  if (!existing) {
    rc = lp_db_stmt(db, ST_FTS_INSERT, &st);
    if (rc) goto out;
    sqlite3_bind_int64(st, 1, *id);
    bind_span(st, 2, &a->title);
    sqlite3_bind_text(st, 3, a->body ? a->body : "", (int)a->body_len,
                      SQLITE_STATIC);
    rc = lp_db_run(db, st, "index article");
    if (rc) goto out;
  }
  if (existing) {
    rc = lp_db_stmt(db, ST_DEL_PARAS, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = lp_db_run(db, st, "replace paragraphs");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_PEOPLE, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = lp_db_run(db, st, "replace people");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_QUOTES, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = lp_db_run(db, st, "replace quotes");
    }
    if (!rc) rc = lp_db_stmt(db, ST_DEL_ENTITIES, &st);
    if (!rc) {
      sqlite3_bind_int64(st, 1, *id);
      rc = lp_db_run(db, st, "replace entities");
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
    rc = lp_db_run(db, st, "insert paragraph");
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
    rc = lp_db_run(db, st, "insert quote");
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
    rc = lp_db_run(db, st, "insert entity");
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
    rc = lp_db_run(db, st, "insert person");
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
