/*
 * fts_baseline.c - the floor for loupe's ingest benchmark: inserts
 * already-clean texts (title, body) into a bare SQLite FTS5 table with
 * loupe's tokenizer, journal mode and batching, and prints the time taken
 * as one line of JSON. Run by bench/bench_index.lua; not part of loupe.
 *
 * Usage: fts_baseline INPUT DB [BATCH [BATCH_BYTES]]
 * INPUT holds records "<title bytes> <body bytes>\n<title><body>"; the
 * file is read into memory before the clock starts. The timed part opens
 * DB (created afresh: WAL, synchronous NORMAL), creates the table, inserts
 * every record in transactions of BATCH records or BATCH_BYTES bytes
 * (200 and 32 MB, like loupe's ingest), and closes the database.
 */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

typedef struct {
  const char *title, *body;
  size_t title_len, body_len;
} record;

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file in a malloc'ed buffer; NULL on failure (errno set). */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) goto out;
  buf = malloc((size_t)n + 1);
  if (buf == NULL) goto out;
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
    goto out;
  }
  buf[n] = '\0';
  *len = (size_t)n;
out:
  fclose(f);
  return buf;
}

/* Split buf into records; returns their number, or -1 when malformed. */
static long split(char *buf, size_t len, record **out) {
  size_t pos = 0, cap = 1024;
  long n = 0;
  record *recs = malloc(cap * sizeof *recs);
  if (recs == NULL) return -1;
  while (pos < len) {
    char *end;
    unsigned long long tl, bl;
    tl = strtoull(buf + pos, &end, 10);
    if (*end != ' ') goto bad;
    bl = strtoull(end + 1, &end, 10);
    if (*end != '\n') goto bad;
    pos = (size_t)(end + 1 - buf);
    if (tl > len - pos || bl > len - pos - tl) goto bad;
    if ((size_t)n == cap) {
      record *r = realloc(recs, 2 * cap * sizeof *recs);
      if (r == NULL) goto bad;
      recs = r;
      cap *= 2;
    }
    recs[n].title = buf + pos;
    recs[n].title_len = (size_t)tl;
    recs[n].body = buf + pos + tl;
    recs[n].body_len = (size_t)bl;
    n++;
    pos += (size_t)(tl + bl);
  }
  *out = recs;
  return n;
bad:
  free(recs);
  return -1;
}

static int exec(sqlite3 *db, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "fts_baseline: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
  }
  return rc;
}

int main(int argc, char **argv) {
  size_t len = 0, in_batch = 0, batch_bytes_now = 0, total = 0;
  size_t batch = 200, batch_bytes = 32u * 1024 * 1024;
  char *buf;
  record *recs = NULL;
  long n, i;
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  clock_t c0;
  double w0, cpu, wall;
  int rc = 1;

  if (argc < 3 || argc > 5) {
    fprintf(stderr, "usage: fts_baseline INPUT DB [BATCH [BATCH_BYTES]]\n");
    return 2;
  }
  if (argc > 3) batch = (size_t)strtoul(argv[3], NULL, 10);
  if (argc > 4) batch_bytes = (size_t)strtoul(argv[4], NULL, 10);
  if (batch == 0) batch = 1;
  buf = slurp(argv[1], &len);
  if (buf == NULL) {
    perror(argv[1]);
    return 1;
  }
  n = split(buf, len, &recs);
  if (n < 0) {
    fprintf(stderr, "fts_baseline: %s: malformed input\n", argv[1]);
    free(buf);
    return 1;
  }
  remove(argv[2]);

  c0 = clock();
  w0 = wall_now();
  if (sqlite3_open(argv[2], &db) != SQLITE_OK) {
    fprintf(stderr, "fts_baseline: %s: %s\n", argv[2], sqlite3_errmsg(db));
    goto out;
  }
  if (exec(db, "PRAGMA journal_mode=WAL") ||
      exec(db, "PRAGMA synchronous=NORMAL") ||
      exec(db, "CREATE VIRTUAL TABLE docs USING fts5(title, body,"
               " tokenize='unicode61 remove_diacritics 2')"))
    goto out;
  if (sqlite3_prepare_v3(db, "INSERT INTO docs(title, body) VALUES (?1, ?2)",
                         -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)
      != SQLITE_OK) {
    fprintf(stderr, "fts_baseline: prepare: %s\n", sqlite3_errmsg(db));
    goto out;
  }
  for (i = 0; i < n; i++) {
    if (in_batch == 0 && exec(db, "BEGIN IMMEDIATE")) goto out;
    sqlite3_bind_text(st, 1, recs[i].title, (int)recs[i].title_len,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, recs[i].body, (int)recs[i].body_len,
                      SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
      fprintf(stderr, "fts_baseline: insert: %s\n", sqlite3_errmsg(db));
      goto out;
    }
    sqlite3_reset(st);
    in_batch++;
    batch_bytes_now += recs[i].title_len + recs[i].body_len;
    total += recs[i].title_len + recs[i].body_len;
    if (in_batch >= batch || batch_bytes_now >= batch_bytes) {
      if (exec(db, "COMMIT")) goto out;
      in_batch = 0;
      batch_bytes_now = 0;
    }
  }
  if (in_batch > 0 && exec(db, "COMMIT")) goto out;
  sqlite3_finalize(st);
  st = NULL;
  if (sqlite3_close(db) != SQLITE_OK) {
    fprintf(stderr, "fts_baseline: close: %s\n", sqlite3_errmsg(db));
    goto out;
  }
  db = NULL;
  cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
  wall = wall_now() - w0;
  printf("{\"records\": %ld, \"bytes\": %zu, \"cpu\": %.4f, \"wall\": %.4f}\n",
         n, total, cpu, wall);
  rc = 0;
out:
  sqlite3_finalize(st);
  sqlite3_close(db);
  free(recs);
  free(buf);
  return rc;
}
