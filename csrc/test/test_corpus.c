/*
 * test_corpus.c - tests of a corpus file's identity and life, with no Lua:
 * the content hash and what it treats as the same page, duplicates under
 * other paths, changed files, the migration of a version 2 corpus,
 * read-only opens that write nothing, loupe_db_check on sound and damaged
 * files, the messages of a full disk and a newer schema, and discarding
 * an empty new corpus. Reaches into corpus/corpus.h for raw SQL on the file.
 * Ends with "test_corpus: N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp, strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "check.h"
#include "corpus/corpus.h"

/* ---- invented pages ---- */

#define FERRY \
  "Kessport Tribune\n" \
  "Home | World | Business | Sport\n" \
  "\n" \
  "Night ferry service to resume between Kessport and the outer islands\n" \
  "Updated: 2019-05-02 10:15\n" \
  "\n" \
  "KESSPORT -- The harbour board on Thursday agreed to bring back the " \
  "night ferry between Kessport and the outer islands, four years after " \
  "the service was stopped to save money.\n" \
  "\n" \
  "Board members said the first crossings would run in June and that the " \
  "timetable would be set after talks with the island councils.\n" \
  "\n" \
  "\"We have listened to the islanders,\" said Marta Vell, who chairs the " \
  "board.\n" \
  "\n" \
  "Copyright 2019 (c) The Kessport Tribune. All Rights Reserved.\n"

#define DAM \
  "Valley Post\n" \
  "News | Markets | Weather | Sport\n" \
  "\n" \
  "Dam inspection finds cracks in the Orla spillway\n" \
  "August 14, 2021 / 3:20 PM\n" \
  "\n" \
  "ORLA, Aug 14 (Reuters) - Inspectors found a series of cracks in the " \
  "spillway of the Orla dam during a routine check this week, the " \
  "regional water authority said on Saturday.\n" \
  "\n" \
  "The authority said the cracks posed no immediate danger but that the " \
  "reservoir would be kept below its usual level until repairs were " \
  "finished in the autumn.\n" \
  "\n" \
  "Copyright 2021 (c) The Valley Post. All Rights Reserved.\n"

#define ORCHARD \
  "Fenwick Valley Chronicle\n" \
  "\n" \
  "Late frost threatens cherry harvest in the Fenwick valley\n" \
  "April 22, 2023 / 6:40 PM\n" \
  "\n" \
  "Growers in the Fenwick valley lit smudge pots across their orchards on " \
  "Saturday night as temperatures fell well below freezing.\n" \
  "\n" \
  "The growers' cooperative said it was too early to say how much of the " \
  "crop had been lost.\n"

/* ---- helpers ---- */

static char dir[] = "/tmp/loupe-corpus-XXXXXX";

static char *at(const char *name) {
  static char buf[8][400];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL, "cannot write %s", path);
  if (f == NULL) return;
  fwrite(text, 1, len, f);
  fclose(f);
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* s with every "\n" made "\r\n" (malloc'd). */
static char *crlf(const char *s) {
  size_t n = strlen(s), i, o = 0;
  char *r = malloc(2 * n + 1);
  for (i = 0; i < n; i++) {
    if (s[i] == '\n') r[o++] = '\r';
    r[o++] = s[i];
  }
  r[o] = '\0';
  return r;
}

/* One integer from sql on db's connection (-1 on failure). */
static long long sql_int(loupe_db *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  long long v = -1;
  if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int sql_exec(loupe_db *db, const char *sql) {
  char *err = NULL;
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &err);
  CHECK(rc == SQLITE_OK, "sql %.60s: %s", sql, err ? err : "");
  sqlite3_free(err);
  return rc;
}

static loupe_add_status add(loupe_db *db, const char *text, const char *path,
                            long long *id) {
  loupe_add_status st = 0;
  long long got = 0;
  int rc = loupe_db_add(db, text, strlen(text), path, &st, &got);
  CHECK(rc == LOUPE_OK, "add %s: %s", path ? path : "(text)",
        loupe_db_errmsg(db));
  if (id) *id = got;
  return st;
}

/* The paths of article id joined by " " into out. */
static const char *paths_of(loupe_db *db, long long id, char *out,
                            size_t cap) {
  loupe_cursor *c = NULL;
  int has;
  size_t used = 0;
  out[0] = '\0';
  if (loupe_db_paths(db, id, &c) != LOUPE_OK) return "(error)";
  while (loupe_cursor_next(c, &has) == LOUPE_OK && has) {
    size_t len;
    const char *p = loupe_cursor_text(c, 0, &len);
    const char *slash = strrchr(p, '/');
    used += (size_t)snprintf(out + used, cap - used, "%s%s",
                             used ? " " : "", slash ? slash + 1 : p);
    if (used >= cap) break;
  }
  loupe_cursor_free(c);
  return out;
}

static void hash_of(const char *s, size_t len, char out[LOUPE_HASH_LEN + 1]) {
  loupe_hash(s, len, out);
}

/* ---- the content hash ---- */

static void test_hash(void) {
  char base[17], h[17];
  char *w = crlf(FERRY);
  char buf[4096];
  size_t n;
  hash_of(FERRY, strlen(FERRY), base);
  CHECK(strlen(base) == LOUPE_HASH_LEN, "hash length");
  /* the same text */
  hash_of(w, strlen(w), h);
  CHECK(strcmp(base, h) == 0, "CRLF copy hashes the same");
  free(w);
  snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s", FERRY);
  hash_of(buf, strlen(buf), h);
  CHECK(strcmp(base, h) == 0, "a BOM changes nothing");
  snprintf(buf, sizeof buf, "\n\n   %s\n\n\n", FERRY);
  hash_of(buf, strlen(buf), h);
  CHECK(strcmp(base, h) == 0, "blank lines and spaces at the ends");
  {
    /* old Mac line ends, tabs, trailing spaces, NBSP, a doubled blank
     * line, a zero-width space */
    const char *v = "Kessport Tribune  \r"
      "Home |\t World | Business | Sport\r\r\r"
      "Night ferry service to resume between Kessport and the outer "
      "islands\r";
    const char *u = "Kessport Tribune\n"
      "Home | World | Business | Sport\n\n"
      "Night ferry service to resume between Kessport and the outer "
      "islands\n";
    const char *x = "Kessport\xC2\xA0Tribune\n"
      "Home | World | Business |\xE2\x80\x8B Sport\n\n\n"
      "Night ferry service to resume between Kessport and the outer "
      "islands";
    char hu[17], hv[17], hx[17];
    hash_of(u, strlen(u), hu);
    hash_of(v, strlen(v), hv);
    hash_of(x, strlen(x), hx);
    CHECK(strcmp(hu, hv) == 0, "CR line ends, tabs, runs of blank lines");
    CHECK(strcmp(hu, hx) == 0, "NBSP and a zero-width space");
  }
  {
    /* UTF-16LE with a BOM */
    size_t i, o = 0, len = strlen(FERRY);
    char *u16 = malloc(2 * len + 2);
    u16[o++] = (char)0xFF;
    u16[o++] = (char)0xFE;
    for (i = 0; i < len; i++) {
      u16[o++] = FERRY[i];
      u16[o++] = 0;
    }
    hash_of(u16, o, h);
    CHECK(strcmp(base, h) == 0, "a UTF-16LE copy hashes the same");
    free(u16);
  }
  /* other text */
  n = (size_t)snprintf(buf, sizeof buf, "%s", FERRY);
  buf[n - 20] = 'X';
  hash_of(buf, n, h);
  CHECK(strcmp(base, h) != 0, "one changed letter changes the hash");
  {
    const char *p1 = "Alpha line one\nline two\n";
    const char *p2 = "Alpha line one\n\nline two\n";
    const char *p3 = "Alpha line one line two\n";
    char h1[17], h2[17], h3[17];
    hash_of(p1, strlen(p1), h1);
    hash_of(p2, strlen(p2), h2);
    hash_of(p3, strlen(p3), h3);
    CHECK(strcmp(h1, h2) != 0, "a blank line between two lines counts");
    CHECK(strcmp(h1, h3) != 0, "a line break counts");
  }
  {
    /* Latin-1 bytes, invalid as UTF-8: pages that differ only there */
    const char *l1 = "Caf\xE9 de la gare\n";
    const char *l2 = "Caf\xE8 de la gare\n";
    char h1[17], h2[17];
    hash_of(l1, strlen(l1), h1);
    hash_of(l2, strlen(l2), h2);
    CHECK(strcmp(h1, h2) != 0, "different invalid bytes stay different");
  }
  {
    char b1[17], b2[17];
    char *c2 = crlf(FERRY);
    lp_bytes_hash(FERRY, strlen(FERRY), b1);
    lp_bytes_hash(c2, strlen(c2), b2);
    CHECK(strcmp(b1, b2) != 0, "the byte hash tells CRLF from LF");
    free(c2);
  }
}

/* ---- duplicates and changed files ---- */

static void test_duplicates(void) {
  loupe_db *db = NULL;
  long long a = 0, b = 0, c = 0, d = 0, n = 0;
  loupe_add_status st;
  char list[400], *w;
  CHECK_RC("open", loupe_db_open(at("dup.loupe"), 0, &db), LOUPE_OK);
  CHECK_INT("added", add(db, FERRY, "pages/ferry.txt", &a), LOUPE_ADDED);
  w = crlf(FERRY);
  st = add(db, w, "/abs/pages/ferry.txt", &b);
  CHECK_INT("CRLF copy elsewhere", st, LOUPE_DUPLICATE);
  CHECK_INT("same article", b, a);
  CHECK_INT("again by that path", add(db, w, "/abs/pages/ferry.txt", &b),
            LOUPE_UNCHANGED);
  CHECK_INT("as text", add(db, FERRY, NULL, &b), LOUPE_UNCHANGED);
  CHECK_INT("as text, same id", b, a);
  CHECK_INT("third path", add(db, FERRY, "copy/ferry.txt", &b),
            LOUPE_DUPLICATE);
  loupe_db_count(db, &n);
  CHECK_INT("one article", n, 1);
  CHECK(strcmp(paths_of(db, a, list, sizeof list),
               "ferry.txt ferry.txt ferry.txt") == 0, "paths: %s", list);
  CHECK_INT("paths rows", sql_int(db, "SELECT count(*) FROM paths"), 3);
  /* the file at one path changes while the others keep the old content:
   * it becomes an article of its own, the others keep theirs */
  CHECK_INT("changed under one path", add(db, DAM, "copy/ferry.txt", &c),
            LOUPE_UPDATED);
  CHECK(c != a && c > 0, "a new article for the changed path (%lld)", c);
  CHECK(strcmp(paths_of(db, a, list, sizeof list), "ferry.txt ferry.txt")
        == 0, "old article keeps two paths: %s", list);
  loupe_db_count(db, &n);
  CHECK_INT("two articles", n, 2);
  /* a file whose only path changes is replaced under the same id */
  CHECK_INT("changed, only path", add(db, ORCHARD, "copy/ferry.txt", &d),
            LOUPE_UPDATED);
  CHECK_INT("same id", d, c);
  /* a file changed into the content of another article: the path joins
   * it, and the article it leaves, at no path now, goes */
  CHECK_INT("changed into a copy", add(db, FERRY, "copy/ferry.txt", &d),
            LOUPE_DUPLICATE);
  CHECK_INT("joins the first", d, a);
  loupe_db_count(db, &n);
  CHECK_INT("the orchard article went", n, 1);
  CHECK_INT("its paragraphs went", sql_int(db, "SELECT count(*) FROM "
            "paragraphs WHERE article_id NOT IN (SELECT id FROM articles)"),
            0);
  CHECK_INT("its index entry went",
            sql_int(db, "SELECT count(*) FROM articles_fts_docsize"), 1);
  /* the path the article shows moves on when that path leaves */
  CHECK_INT("shown path leaves", add(db, DAM, "pages/ferry.txt", &c),
            LOUPE_UPDATED);
  CHECK(c != a, "a new article for the changed path");
  {
    loupe_cursor *cur = NULL;
    int has = 0;
    size_t len;
    const char *p;
    CHECK_RC("get", loupe_db_get(db, a, &cur), LOUPE_OK);
    loupe_cursor_next(cur, &has);
    p = loupe_cursor_text(cur, 1, &len);
    CHECK(has && p && strcmp(p, "/abs/pages/ferry.txt") == 0,
          "shown path now %s", p ? p : "(null)");
    loupe_cursor_free(cur);
  }
  {
    loupe_check_result r;
    CHECK_RC("check", loupe_db_check(db, &r), LOUPE_OK);
    CHECK(r.problems == 0, "problems: %s", r.report);
    CHECK_INT("index rows", r.index_rows, r.articles);
  }
  /* the public steps: lookup then link */
  {
    long long id;
    char h[17];
    hash_of(DAM, strlen(DAM), h);
    CHECK_RC("lookup", loupe_db_lookup(db, "x/dam.txt", h, &st, &id),
             LOUPE_OK);
    CHECK_INT("lookup says duplicate", st, LOUPE_DUPLICATE);
    CHECK_INT("of the dam", id, c);
    CHECK_RC("link", loupe_db_link(db, "x/dam.txt", id), LOUPE_OK);
    CHECK(strcmp(paths_of(db, c, list, sizeof list), "ferry.txt dam.txt")
          == 0 || strcmp(list, "dam.txt ferry.txt") == 0, "paths %s", list);
  }
  free(w);
  loupe_db_close(db);
}

/* ---- migration of a version 2 corpus ---- */

/* Copy article id as another row under path (a version 2 duplicate). */
static void copy_row(loupe_db *db, long long id, const char *path) {
  char sql[1200];
  long long nid;
  snprintf(sql, sizeof sql, "INSERT INTO articles(path, hash, bytes, title,"
           " date, date_precision, dateline, credit, outlet, lang, authors,"
           " editors, parser_version, ingested_at, cluster_id, minhash, body,"
           " provenance) SELECT '%s', hash, bytes, title, date,"
           " date_precision, dateline, credit, outlet, lang, authors,"
           " editors, parser_version, ingested_at, cluster_id, minhash, body,"
           " provenance FROM articles WHERE id = %lld", path, id);
  sql_exec(db, sql);
  nid = sqlite3_last_insert_rowid(db->sql);
  snprintf(sql, sizeof sql,
           "INSERT INTO paragraphs SELECT %lld, n, start, len, src_offset,"
           " src_line FROM paragraphs WHERE article_id = %lld;"
           "INSERT INTO quotes(article_id, n, text, speaker, role, cue, kind,"
           " offset, paragraph, src_offset, src_line) SELECT %lld, n, text,"
           " speaker, role, cue, kind, offset, paragraph, src_offset,"
           " src_line FROM quotes WHERE article_id = %lld;"
           "INSERT INTO people SELECT %lld, role, n, name FROM people WHERE"
           " article_id = %lld;"
           "INSERT INTO entities(article_id, name, kind, role, aliases,"
           " mentions) SELECT %lld, name, kind, role, aliases, mentions FROM"
           " entities WHERE article_id = %lld;"
           "INSERT INTO articles_fts(rowid, title, body) SELECT id, title,"
           " body FROM articles WHERE id = %lld",
           nid, id, nid, id, nid, id, nid, id, nid);
  sql_exec(db, sql);
}

/* Set the version 2 hash (of the bytes) of the row stored under path. */
static void set_bytes_hash(loupe_db *db, const char *path, const char *text) {
  char h[17], sql[600];
  lp_bytes_hash(text, strlen(text), h);
  snprintf(sql, sizeof sql, "UPDATE articles SET hash = '%s' WHERE path ="
           " '%s'", h, path);
  sql_exec(db, sql);
}

static void test_migration(void) {
  loupe_db *db = NULL;
  char *w = crlf(DAM);
  const char *p_ferry = at("v2/ferry.txt"), *p_dam = at("v2/dam.txt");
  const char *p_dam_crlf = at("v2/dam-crlf.txt");
  const char *p_gone = at("v2/orchard.txt");
  const char *db_path = at("v2.loupe");
  long long ferry = 0, id, n;
  loupe_add_status st;
  char list[400];
  mkdir(at("v2"), 0755);
  write_file(p_ferry, FERRY, strlen(FERRY));
  write_file(p_dam, DAM, strlen(DAM));
  write_file(p_dam_crlf, w, strlen(w));
  write_file(p_gone, ORCHARD, strlen(ORCHARD));
  /* a corpus as version 2 left it: a row per path (the ferry page under
   * three paths, the dam page as LF and CRLF files), hashes of bytes, no
   * paths table */
  CHECK_RC("open", loupe_db_open(db_path, 0, &db), LOUPE_OK);
  add(db, FERRY, p_ferry, &ferry);
  add(db, DAM, p_dam, &id);
  add(db, ORCHARD, p_gone, &id);
  sql_exec(db, "DROP TABLE paths; DROP INDEX articles_hash;"
           " CREATE INDEX articles_hash ON articles(hash) WHERE path IS NULL;"
           " UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  set_bytes_hash(db, p_ferry, FERRY);
  set_bytes_hash(db, p_dam, DAM);
  set_bytes_hash(db, p_gone, ORCHARD);
  copy_row(db, ferry, "copy/ferry.txt");
  copy_row(db, ferry, "/elsewhere/ferry.txt");
  copy_row(db, id - 1, p_dam_crlf);
  set_bytes_hash(db, p_dam_crlf, w);
  CHECK_INT("v2 rows", sql_int(db, "SELECT count(*) FROM articles"), 6);
  loupe_db_close(db);
  unlink(p_gone);                   /* this one cannot be read again */

  /* read-only: read as it is, with a notice */
  CHECK_RC("open v2 read-only", loupe_db_open(db_path, LOUPE_OPEN_READONLY,
                                              &db), LOUPE_OK);
  CHECK(strstr(loupe_db_notices(db), "schema version 2 is older") != NULL,
        "notice: %s", loupe_db_notices(db));
  loupe_db_count(db, &n);
  CHECK_INT("six rows read as they are", n, 6);
  CHECK(strcmp(paths_of(db, ferry, list, sizeof list), "ferry.txt") == 0,
        "v2 paths: %s", list);
  loupe_db_close(db);

  /* writable: migrated */
  CHECK_RC("open v2", loupe_db_open(db_path, 0, &db), LOUPE_OK);
  CHECK(strstr(loupe_db_notices(db), "upgraded from schema version 2 to 6:"
               " 3 duplicate articles merged") != NULL, "notice: %s",
        loupe_db_notices(db));
  CHECK(strstr(loupe_db_notices(db), "1 article whose files could not be "
               "read") != NULL, "notice: %s", loupe_db_notices(db));
  loupe_db_count(db, &n);
  CHECK_INT("three articles", n, 3);
  CHECK_INT("five paths", sql_int(db, "SELECT count(*) FROM paths"), 6);
  CHECK(strcmp(paths_of(db, ferry, list, sizeof list),
               "ferry.txt ferry.txt ferry.txt") == 0, "paths %s", list);
  CHECK_INT("version", sql_int(db, "SELECT value FROM meta WHERE key ="
                                   " 'schema_version'"), LOUPE_SCHEMA_VERSION);
  CHECK_INT("one byte hash left", sql_int(db, "SELECT count(*) FROM articles"
            " WHERE hash LIKE 'raw:%'"), 1);
  {
    loupe_check_result r;
    CHECK_RC("check", loupe_db_check(db, &r), LOUPE_OK);
    CHECK(r.problems == 0, "problems: %s", r.report);
    CHECK_INT("index rows", r.index_rows, 3);
  }
  /* the files again: nothing new */
  CHECK_INT("ferry unchanged", add(db, FERRY, p_ferry, &id),
            LOUPE_UNCHANGED);
  CHECK_INT("dam CRLF unchanged", add(db, w, p_dam_crlf, &id),
            LOUPE_UNCHANGED);
  /* the unreadable one is recognised by its bytes from anywhere, and
   * gets its content hash then */
  CHECK_INT("orchard from a new path", add(db, ORCHARD, "new/orchard.txt",
                                           &id), LOUPE_DUPLICATE);
  CHECK_INT("no byte hash left", sql_int(db, "SELECT count(*) FROM articles"
            " WHERE hash LIKE 'raw:%'"), 0);
  st = add(db, ORCHARD, "newer/orchard.txt", &id);
  CHECK_INT("and by content", st, LOUPE_DUPLICATE);
  loupe_db_count(db, &n);
  CHECK_INT("still three", n, 3);
  loupe_db_close(db);
  /* opened again: nothing to migrate, nothing said */
  CHECK_RC("open v3", loupe_db_open(db_path, 0, &db), LOUPE_OK);
  CHECK(loupe_db_notices(db)[0] == '\0', "notice: %s", loupe_db_notices(db));
  loupe_db_close(db);
  free(w);
}

/* ---- read-only opens ---- */

static void test_readonly(void) {
  loupe_db *db = NULL;
  const char *p = at("ro.loupe");
  struct stat before, after;
  long long n, id;
  loupe_add_status st;
  loupe_query *q = NULL;
  CHECK_RC("open", loupe_db_open(p, 0, &db), LOUPE_OK);
  add(db, FERRY, "ferry.txt", &id);
  add(db, DAM, "dam.txt", &id);
  loupe_db_close(db);
  CHECK(!exists(at("ro.loupe-wal")), "a closed corpus leaves no -wal");
  stat(p, &before);
  CHECK_RC("open read-only", loupe_db_open(p, LOUPE_OPEN_READONLY, &db),
           LOUPE_OK);
  CHECK_INT("connection is read-only", sqlite3_db_readonly(db->sql, "main"),
            1);
  loupe_db_count(db, &n);
  CHECK_INT("count", n, 2);
  loupe_query_new(db, &q);
  loupe_query_text(q, "spillway", 0);
  CHECK_RC("query", loupe_query_count(q, &n), LOUPE_OK);
  CHECK_INT("found", n, 1);
  loupe_query_free(q);
  CHECK_RC("add refused", loupe_db_add(db, ORCHARD, strlen(ORCHARD), "o.txt",
                                       &st, &id), LOUPE_EMISUSE);
  {
    loupe_check_result r;
    CHECK_RC("check read-only", loupe_db_check(db, &r), LOUPE_OK);
    CHECK(r.problems == 0, "problems: %s", r.report);
  }
  loupe_db_close(db);
  stat(p, &after);
  CHECK(before.st_size == after.st_size &&
        before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
        before.st_mtim.tv_nsec == after.st_mtim.tv_nsec,
        "the file is as it was");
  /* a corpus of a newer loupe: refused by every open, both versions named */
  CHECK_RC("open", loupe_db_open(p, 0, &db), LOUPE_OK);
  sql_exec(db, "UPDATE meta SET value = '9' WHERE key = 'schema_version'");
  loupe_db_close(db);
  CHECK_RC("newer, read-only", loupe_db_open(p, LOUPE_OPEN_READONLY, &db),
           LOUPE_EVERSION);
  CHECK(strstr(loupe_db_errmsg(db), "ro.loupe: corpus schema version 9 is "
               "newer than this loupe's (6)") != NULL, "message: %s",
        loupe_db_errmsg(db));
  loupe_db_close(db);
  CHECK_RC("newer, writable", loupe_db_open(p, 0, &db), LOUPE_EVERSION);
  CHECK(strstr(loupe_db_errmsg(db), "version 9") != NULL, "message: %s",
        loupe_db_errmsg(db));
  loupe_db_close(db);
  /* missing */
  CHECK_RC("missing", loupe_db_open(at("none.loupe"), LOUPE_OPEN_READONLY,
                                    &db), LOUPE_EIO);
  CHECK(strstr(loupe_db_errmsg(db), "none.loupe") != NULL, "message: %s",
        loupe_db_errmsg(db));
  loupe_db_close(db);
  CHECK(!exists(at("none.loupe")), "nothing created");
}

/* ---- damage, a full disk, a busy file ---- */

static void test_check(void) {
  loupe_db *db = NULL;
  const char *p = at("chk.loupe");
  loupe_check_result r;
  long long id;
  CHECK_RC("open", loupe_db_open(p, 0, &db), LOUPE_OK);
  add(db, FERRY, "ferry.txt", &id);
  add(db, DAM, "dam.txt", &id);
  add(db, ORCHARD, "orchard.txt", &id);
  CHECK_RC("check", loupe_db_check(db, &r), LOUPE_OK);
  CHECK_INT("sound", r.problems, 0);
  CHECK_INT("articles", r.articles, 3);
  CHECK_INT("paths", r.paths, 3);
  CHECK_INT("index rows", r.index_rows, 3);
  CHECK_INT("schema", r.schema_version, LOUPE_SCHEMA_VERSION);
  CHECK_RC("verify", loupe_db_verify(db), LOUPE_OK);
  /* a paragraph lost, an index row lost, a path to nowhere */
  sql_exec(db, "DELETE FROM paragraphs WHERE article_id = 1 AND n = 2;"
           " INSERT INTO paths VALUES ('ghost.txt', 99);"
           " DELETE FROM articles_fts_docsize WHERE id = 2");
  CHECK_RC("check", loupe_db_check(db, &r), LOUPE_OK);
  CHECK(strstr(r.report, "1 articles whose paragraphs do not make up their "
               "body") != NULL, "report: %s", r.report);
  CHECK(strstr(r.report, "1 articles with paragraphs missing from their "
               "numbering") != NULL, "report: %s", r.report);
  CHECK(strstr(r.report, "the full-text index holds 2 documents for 3 "
               "articles") != NULL, "report: %s", r.report);
  CHECK(strstr(r.report, "1 paths whose article is gone") != NULL,
        "report: %s", r.report);
  CHECK(strstr(r.report, "full-text index: ") != NULL, "report: %s",
        r.report);
  CHECK(r.problems >= 5, "%d problems", r.problems);
  loupe_db_close(db);
  /* the same on a read-only open, checked on a copy */
  CHECK_RC("open ro", loupe_db_open(p, LOUPE_OPEN_READONLY, &db), LOUPE_OK);
  CHECK_RC("check ro", loupe_db_check(db, &r), LOUPE_OK);
  CHECK(strstr(r.report, "full-text index: ") != NULL, "report: %s",
        r.report);
  loupe_db_close(db);
}

static void test_full_disk(void) {
  loupe_db *db = NULL;
  const char *p = at("full.loupe");
  loupe_add_status st;
  long long id, pages;
  char text[8000];
  int i, rc = LOUPE_OK;
  CHECK_RC("open", loupe_db_open(p, 0, &db), LOUPE_OK);
  pages = sql_int(db, "PRAGMA page_count");
  /* SQLite's own "database or disk is full": no page beyond these */
  snprintf(text, sizeof text, "PRAGMA max_page_count = %lld", pages + 3);
  sql_exec(db, text);
  for (i = 0; i < 50 && rc == LOUPE_OK; i++) {
    snprintf(text, sizeof text, "%s\nPage %d of a long series on the "
             "harbour, with more words to fill the disk: %0*d\n", DAM, i,
             3000, i);
    rc = loupe_db_add(db, text, strlen(text), NULL, &st, &id);
  }
  CHECK_RC("disk full", rc, LOUPE_EIO);
  CHECK(strstr(loupe_db_errmsg(db), "full.loupe: the disk is full") != NULL,
        "message: %s", loupe_db_errmsg(db));
  loupe_db_close(db);
}

static void test_busy(void) {
  loupe_db *a = NULL, *b = NULL;
  loupe_open_options o;
  const char *p = at("busy.loupe");
  loupe_add_status st;
  long long id;
  CHECK_RC("open a", loupe_db_open(p, 0, &a), LOUPE_OK);
  memset(&o, 0, sizeof o);
  o.busy_timeout_ms = 100;
  CHECK_RC("open b", loupe_db_open_with(p, &o, &b), LOUPE_OK);
  CHECK_RC("a begins", loupe_db_begin(a), LOUPE_OK);
  add(a, FERRY, "ferry.txt", &id);
  CHECK_RC("b waits, then gives up", loupe_db_add(b, DAM, strlen(DAM),
                                                  "dam.txt", &st, &id),
           LOUPE_EBUSY);
  CHECK(strstr(loupe_db_errmsg(b), "busy.loupe: the corpus is locked by "
               "another connection") != NULL && strstr(loupe_db_errmsg(b),
               "100 ms") != NULL, "message: %s", loupe_db_errmsg(b));
  CHECK_RC("a commits", loupe_db_commit(a), LOUPE_OK);
  CHECK_INT("b now", add(b, DAM, "dam.txt", &id), LOUPE_ADDED);
  loupe_db_close(a);
  loupe_db_close(b);
}

/* ---- a new corpus that stays empty ---- */

static void test_discard(void) {
  loupe_db *db = NULL, *other = NULL;
  const char *p = at("new.loupe");
  long long id;
  int removed = -1;
  CHECK_RC("open new", loupe_db_open(p, 0, &db), LOUPE_OK);
  CHECK(exists(p), "created");
  CHECK_RC("discard", loupe_db_discard(db, &removed), LOUPE_OK);
  CHECK_INT("removed", removed, 1);
  loupe_db_close(db);
  CHECK(!exists(p) && !exists(at("new.loupe-wal")) &&
        !exists(at("new.loupe-shm")), "no file left");
  /* kept: another connection has it open, or it holds an article, or
   * this open did not create it */
  CHECK_RC("open new", loupe_db_open(p, 0, &db), LOUPE_OK);
  CHECK_RC("open other", loupe_db_open(p, 0, &other), LOUPE_OK);
  CHECK_RC("discard", loupe_db_discard(db, &removed), LOUPE_OK);
  CHECK_INT("kept while open elsewhere", removed, 0);
  add(other, FERRY, "ferry.txt", &id);
  loupe_db_close(other);
  CHECK_RC("discard", loupe_db_discard(db, &removed), LOUPE_OK);
  CHECK_INT("kept with an article", removed, 0);
  loupe_db_close(db);
  CHECK_RC("open again", loupe_db_open(p, 0, &db), LOUPE_OK);
  CHECK_RC("discard", loupe_db_discard(db, &removed), LOUPE_OK);
  CHECK_INT("not created by this open", removed, 0);
  loupe_db_close(db);
  CHECK(exists(p), "still there");
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  test_hash();
  test_duplicates();
  test_migration();
  test_readonly();
  test_check();
  test_full_disk();
  test_busy();
  test_discard();
  {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) printf("cannot remove %s\n", dir);
  }
  printf("test_corpus: %d passed, %d failed\n", passes, failures);
  return failures > 0;
}
