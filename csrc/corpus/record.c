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

/* A JSON list of n strings: spans[i] when spans is given, else strs[i]. */
static int json_strings(lp_buf *b, const loupe_span *spans,
                        const char *const *strs, size_t n) {
  size_t i;
  b->len = 0;
  if (lp_buf_append(b, "[", 1)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    const char *s = spans ? spans[i].text : strs[i];
    size_t len = spans ? spans[i].len : strlen(strs[i]);
    if (i && lp_buf_append(b, ",", 1)) return LOUPE_ENOMEM;
    if (lp_json_string(b, s, len)) return LOUPE_ENOMEM;
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

/* "name":"text" for a span that is set (after a comma when more than
 * "{" is in b). */
static int json_text(lp_buf *b, const char *name, const loupe_span *sp) {
  if (sp->text == NULL) return LOUPE_OK;
  if (b->p[b->len - 1] != '{' && lp_buf_append(b, ",", 1))
    return LOUPE_ENOMEM;
  if (lp_json_string(b, name, strlen(name)) || lp_buf_append(b, ":", 1))
    return LOUPE_ENOMEM;
  return lp_json_string(b, sp->text, sp->len);
}

/* What the page itself says beside its text: the format it was read as,
 * the HTML fields (canonical URL, modification date, the date its
 * visible text shows, section, description), when an archive captured
 * it, and every metadata value
 * with its source, so that a stored article keeps what loupe.parse
 * gave. */
static int json_page(lp_buf *b, const loupe_article *a) {
  size_t i;
  static const char head[] = "\"page\":{\"source_format\":";
  static const char list[] = ",\"meta\":[";
  if (lp_buf_append(b, head, sizeof head - 1) ||
      lp_json_string(b, loupe_format_name(a->source_format),
                     strlen(loupe_format_name(a->source_format))) ||
      json_text(b, "url", &a->url) ||
      json_text(b, "date_modified", &a->date_modified) ||
      json_text(b, "date_visible", &a->date_visible) ||
      json_text(b, "section", &a->section) ||
      json_text(b, "description", &a->description) ||
      json_text(b, "captured", &a->captured))
    return LOUPE_ENOMEM;
  if (a->n_meta && lp_buf_append(b, list, sizeof list - 1))
    return LOUPE_ENOMEM;
  for (i = 0; i < a->n_meta; i++) {
    const loupe_meta *m = &a->meta[i];
    const char *rule = m->value.rule ? m->value.rule : "";
    char tmp[64];
    int len = snprintf(tmp, sizeof tmp, ",\"offset\":%zu,\"line\":%zu}",
                       m->value.offset, m->value.line);
    if ((i && lp_buf_append(b, ",", 1)) || lp_buf_append(b, "{", 1) ||
        json_text(b, "key", &(loupe_span){.text = m->key,
                                          .len = strlen(m->key)}) ||
        json_text(b, "value", &m->value) ||
        json_text(b, "rule", &(loupe_span){.text = rule,
                                           .len = strlen(rule)}) ||
        lp_buf_append(b, tmp, (size_t)len))
      return LOUPE_ENOMEM;
  }
  if (a->n_meta && lp_buf_append(b, "]", 1)) return LOUPE_ENOMEM;
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
                 "\"nul_bytes\":%zu,\"lines\":%zu,\"encoding\":\"%s\"},",
                 b->len > 1 ? "," : "", a->input.bytes, a->input.invalid_utf8,
                 a->input.nul_bytes, a->input.lines,
                 a->input.encoding ? a->input.encoding : "utf-8");
  if (lp_buf_append(b, tmp, (size_t)len)) return LOUPE_ENOMEM;
  if (json_page(b, a)) return LOUPE_ENOMEM;
  return lp_buf_append(b, "}", 1);
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

/* The JSON columns of an article row, built before it is written. */
typedef struct {
  lp_buf authors, editors, prov;
} row_json;

static void row_json_free(row_json *j) {
  lp_buf_free(&j->authors);
  lp_buf_free(&j->editors);
  lp_buf_free(&j->prov);
}

static int nomem(loupe_db *db) {
  snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

/* Bind the columns of the article row (ST_INSERT and ST_UPDATE share
 * their parameters: ?17 the id of the article updated). */
static void bind_row(sqlite3_stmt *st, const loupe_article *a,
                     const char *path, const char *hash, size_t bytes,
                     const row_json *j, const char *now) {
  const char *prec = a->date.text ? loupe_precision_name(a->date_precision)
                                  : NULL;
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
  sqlite3_bind_text(st, 11, j->authors.p, (int)j->authors.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 12, j->editors.p, (int)j->editors.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 13, a->body ? a->body : "", (int)a->body_len,
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 14, j->prov.p, (int)j->prov.len, SQLITE_STATIC);
  sqlite3_bind_text(st, 15, LOUPE_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 16, now, -1, SQLITE_TRANSIENT);
}

/* Insert or update the article row; a new one is indexed for full-text
 * search here (updates through the trigger). */
static int write_row(loupe_db *db, const loupe_article *a, const char *path,
                     const char *hash, size_t bytes, long long existing,
                     const unsigned char *sig, long long cluster,
                     long long *id) {
  sqlite3_stmt *st;
  row_json j;
  char now[32];
  time_t tt = time(NULL);
  struct tm tmv;
  int rc;
  memset(&j, 0, sizeof j);
  if (json_strings(&j.authors, a->authors, NULL, a->n_authors) ||
      json_strings(&j.editors, a->editors, NULL, a->n_editors) ||
      json_provenance(&j.prov, a)) {
    row_json_free(&j);
    return nomem(db);
  }
  gmtime_r(&tt, &tmv);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tmv);
  rc = lp_db_stmt(db, existing ? ST_UPDATE : ST_INSERT, &st);
  if (rc == LOUPE_OK) {
    bind_row(st, a, path, hash, bytes, &j, now);
    if (existing) sqlite3_bind_int64(st, 17, existing);
    if (sig) sqlite3_bind_blob(st, 18, sig, LP_SIG_BYTES, SQLITE_STATIC);
    else sqlite3_bind_null(st, 18);
    if (cluster > 0) sqlite3_bind_int64(st, 19, cluster);
    else sqlite3_bind_null(st, 19);
    rc = lp_db_run(db, st, existing ? "update article" : "insert article");
  }
  row_json_free(&j);
  if (rc) return rc;
  *id = existing ? existing : sqlite3_last_insert_rowid(db->sql);
  if (existing) return LOUPE_OK;
  rc = lp_db_stmt(db, ST_FTS_INSERT, &st);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, *id);
  bind_span(st, 2, &a->title);
  sqlite3_bind_text(st, 3, a->body ? a->body : "", (int)a->body_len,
                    SQLITE_STATIC);
  return lp_db_run(db, st, "index article");
}

/* Remove the children of an article being replaced. */
static int clear_children(loupe_db *db, long long id) {
  static const struct {
    int k;
    const char *what;
  } del[] = {{ST_DEL_PARAS, "replace paragraphs"},
             {ST_DEL_PEOPLE, "replace people"},
             {ST_DEL_QUOTES, "replace quotes"},
             {ST_DEL_ENTITIES, "replace entities"}};
  size_t i;
  for (i = 0; i < sizeof del / sizeof del[0]; i++) {
    sqlite3_stmt *st;
    int rc = lp_db_stmt(db, del[i].k, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = lp_db_run(db, st, del[i].what);
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* The paragraphs as spans of the body: eight, four or two rows a step
 * while they last, then one. */
static int store_paragraphs(loupe_db *db, const loupe_article *a,
                            long long id) {
  size_t i = 0, start = 0;
  int rc;
  while (i + 2 <= a->n_paragraphs) {
    size_t k = a->n_paragraphs - i >= 8 ? 8 : a->n_paragraphs - i >= 4 ? 4 : 2;
    rc = insert_paragraphs(db, a, id, i, k, &start);
    if (rc) return rc;
    i += k;
  }
  for (; i < a->n_paragraphs; i++) {
    sqlite3_stmt *st;
    rc = lp_db_stmt(db, ST_INS_PARA, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)a->paragraphs[i].len);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)a->paragraphs[i].offset);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)a->paragraphs[i].line);
    rc = lp_db_run(db, st, "insert paragraph");
    if (rc) return rc;
    start += a->paragraphs[i].len + 2;
  }
  return LOUPE_OK;
}

static int store_quotes(loupe_db *db, const loupe_article *a, long long id) {
  size_t i;
  for (i = 0; i < a->n_quotes; i++) {
    const loupe_quote *q = &a->quotes[i];
    sqlite3_stmt *st;
    int rc = lp_db_stmt(db, ST_INS_QUOTE, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
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
    if (q->speaker_kind)
      sqlite3_bind_text(st, 12, q->speaker_kind, -1, SQLITE_STATIC);
    if (q->mention) sqlite3_bind_text(st, 13, q->mention, -1, SQLITE_STATIC);
    if (q->rule) sqlite3_bind_text(st, 14, q->rule, -1, SQLITE_STATIC);
    rc = lp_db_run(db, st, "insert quote");
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* An entity's mentions as a JSON list of [offset,length] pairs, without
 * a printf per mention (entities of a long transcript have thousands). */
static int json_mentions(lp_buf *b, const loupe_entity *e) {
  char num[48];
  size_t k;
  b->len = 0;
  if (lp_buf_append(b, "[", 1)) return LOUPE_ENOMEM;
  for (k = 0; k < e->n_mentions; k++) {
    size_t nl = 0;
    if (k) num[nl++] = ',';
    num[nl++] = '[';
    nl += put_size(num + nl, e->mentions[2 * k]);
    num[nl++] = ',';
    nl += put_size(num + nl, e->mentions[2 * k + 1]);
    num[nl++] = ']';
    if (lp_buf_append(b, num, nl)) return LOUPE_ENOMEM;
  }
  return lp_buf_append(b, "]", 1);
}

static int store_entities(loupe_db *db, const loupe_article *a,
                          long long id) {
  lp_buf aliases = {0}, mentions = {0};
  size_t i;
  int rc = LOUPE_OK;
  for (i = 0; i < a->n_entities && rc == LOUPE_OK; i++) {
    const loupe_entity *e = &a->entities[i];
    sqlite3_stmt *st;
    if (json_strings(&aliases, NULL, e->aliases, e->n_aliases) ||
        json_mentions(&mentions, e)) {
      rc = nomem(db);
      break;
    }
    rc = lp_db_stmt(db, ST_INS_ENTITY, &st);
    if (rc) break;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
    if (e->role) sqlite3_bind_text(st, 4, e->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, aliases.p, (int)aliases.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, mentions.p, (int)mentions.len, SQLITE_STATIC);
    rc = lp_db_run(db, st, "insert entity");
  }
  lp_buf_free(&aliases);
  lp_buf_free(&mentions);
  return rc;
}

/* The authors, then the editors, numbered from 1 within their role. */
static int store_people(loupe_db *db, const loupe_article *a, long long id) {
  size_t i;
  for (i = 0; i < a->n_authors + a->n_editors; i++) {
    int is_author = i < a->n_authors;
    size_t n = is_author ? i : i - a->n_authors;
    const loupe_span *sp = is_author ? &a->authors[n] : &a->editors[n];
    sqlite3_stmt *st;
    int rc = lp_db_stmt(db, ST_INS_PERSON, &st);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, is_author ? "author" : "editor", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)n + 1);
    sqlite3_bind_text(st, 4, sp->text, (int)sp->len, SQLITE_STATIC);
    rc = lp_db_run(db, st, "insert person");
    if (rc) return rc;
  }
  return LOUPE_OK;
}

int lp_store_article(loupe_db *db, const loupe_article *a, const char *path,
                     const char *hash, size_t bytes, long long existing,
                     const unsigned char *sig, long long cluster,
                     long long *id) {
  /* the word totals lose the words of the body replaced and gain the
   * new body's (totals.c) */
  int rc = existing ? lp_totals_add_article(db, existing, -1) : LOUPE_OK;
  if (rc == LOUPE_OK)
    rc = write_row(db, a, path, hash, bytes, existing, sig, cluster, id);
  if (rc == LOUPE_OK) rc = lp_totals_add(db, a->body, a->body_len, 1);
  if (rc == LOUPE_OK && existing) rc = clear_children(db, *id);
  if (rc == LOUPE_OK) rc = store_paragraphs(db, a, *id);
  if (rc == LOUPE_OK) rc = store_quotes(db, a, *id);
  if (rc == LOUPE_OK) rc = store_entities(db, a, *id);
  if (rc == LOUPE_OK) rc = store_people(db, a, *id);
  return rc;
}
