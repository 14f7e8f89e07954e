/*
 * test_prefetch.c - tests of the read-ahead part of loupe.h with no Lua:
 * pages in list order with 0, 1 and 4 threads and the same parse as
 * loupe_parse; per-file failures; expected hashes that skip the parse;
 * files removed or changed after a worker read them; stopping early;
 * storing prefetched pages with loupe_db_add_page like loupe_db_add.
 * Ends with "test_prefetch: N passed, N failed" and exits non-zero on
 * failure.
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp, nanosleep */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"


/* ---- invented pages ---- */

#define NPAGES 24

/* Page i of the numbered series (its own headline and report number);
 * version changes the last paragraph, as an edited file would. */
static void numbered_page(char *out, size_t cap, int i, int version) {
  snprintf(out, cap,
           "Tessaly Gazette\n"
           "Home | Harbour | Weather | Sport\n"
           "\n"
           "Harbour board files report HQ-%04d on the night ferry pier\n"
           "March %d, 2022 / 9:%02d AM\n"
           "By Ilse Varnholt\n"
           "\n"
           "TESSALY, March %d (Reuters) - The harbour board on Tuesday "
           "filed report HQ-%04d on the state of the night ferry pier, "
           "saying the timber piles had worn faster than expected.\n"
           "\n"
           "The board said it would hear objections from the ferry crews "
           "before deciding whether the pier should close for repairs "
           "during the summer season.\n"
           "\n"
           "%s\n"
           "\n"
           "Copyright 2022 (c) The Tessaly Gazette. All Rights Reserved.\n",
           i, i % 28 + 1, i % 60, i % 28 + 1, i,
           version ? "Crew representatives said the lighthouse keepers' "
                     "guild had raised the same concerns a year ago."
                   : "Crew representatives said they would present their "
                     "own survey of the pier at the next board meeting.");
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL, "cannot write %s", path);
  if (f == NULL) return;
  if (len) CHECK(fwrite(text, 1, len, f) == len, "short write %s", path);
  fclose(f);
}

/* A temporary folder holding the numbered pages p00.txt ...; paths[]
 * receives their names (malloc'd). */
static void make_pages(char *dir, char **paths) {
  char page[4096];
  int i;
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  for (i = 0; i < NPAGES; i++) {
    size_t len = strlen(dir) + 16;
    paths[i] = malloc(len);
    snprintf(paths[i], len, "%s/p%02d.txt", dir, i);
    numbered_page(page, sizeof page, i, 0);
    write_file(paths[i], page, strlen(page));
  }
}

static void remove_pages(const char *dir, char **paths) {
  char cmd[300];
  int i;
  for (i = 0; i < NPAGES; i++) free(paths[i]);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("note: could not remove %s\n", dir);
}

static void pause_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

static int same_span(const loupe_span *a, const loupe_span *b) {
  if (a->text == NULL || b->text == NULL) return a->text == b->text;
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0 &&
         a->offset == b->offset && a->line == b->line;
}

/* Does a worker's article equal what loupe_parse makes of the file? */
static int same_as_parse(loupe_parser *p, const char *path,
                         const loupe_article *a) {
  char buf[8192];
  size_t len;
  loupe_article *want = NULL;
  int ok;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  if (loupe_parse(p, buf, len, &want) != LOUPE_OK) return 0;
  ok = same_span(&a->title, &want->title) && same_span(&a->date, &want->date)
       && a->body_len == want->body_len &&
       memcmp(a->body, want->body, a->body_len) == 0 &&
       a->n_paragraphs == want->n_paragraphs &&
       a->n_quotes == want->n_quotes && a->n_entities == want->n_entities &&
       a->n_authors == want->n_authors;
  loupe_article_free(want);
  return ok;
}

/* ---- tests ---- */

static void test_order(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[NPAGES];
  loupe_parser *p = NULL;
  static const int threads[] = {0, 1, 4};
  size_t t;
  make_pages(dir, paths);
  CHECK_RC("parser", loupe_parser_new(&p), LOUPE_OK);
  for (t = 0; t < sizeof threads / sizeof threads[0]; t++) {
    loupe_prefetch *pf = NULL;
    loupe_page *page;
    int i = 0, rc, all_same = 1;
    rc = loupe_prefetch_new((const char *const *)paths, NULL, NPAGES,
                            threads[t], &pf);
    CHECK_RC("prefetch_new", rc, LOUPE_OK);
    if (rc) continue;
    CHECK(loupe_prefetch_threads(pf) == threads[t], "%d threads running, "
          "want %d", loupe_prefetch_threads(pf), threads[t]);
    while ((rc = loupe_prefetch_next(pf, &page)) == LOUPE_OK && page) {
      char hash[LOUPE_HASH_LEN + 1];
      if (i < NPAGES) {
        CHECK(strcmp(page->path, paths[i]) == 0, "page %d is %s", i,
              page->path);
      }
      CHECK_RC("page rc", page->rc, LOUPE_OK);
      CHECK(page->article != NULL && !page->skipped && page->bytes == NULL,
            "page %d was not parsed", i);
      CHECK(page->len > 0, "page %d: no length", i);
      if (page->article && i < NPAGES &&
          !same_as_parse(p, paths[i], page->article))
        all_same = 0;
      {
        char buf[8192];
        FILE *f = fopen(page->path, "rb");
        size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
        if (f) fclose(f);
        loupe_hash(buf, len, hash);
        CHECK(strcmp(hash, page->hash) == 0, "page %d hash", i);
      }
      i++;
    }
    CHECK_RC("next", rc, LOUPE_OK);
    CHECK_INT("pages delivered", i, NPAGES);
    CHECK(all_same, "%d threads: an article differs from loupe_parse's",
          threads[t]);
    /* past the end stays at the end */
    CHECK_RC("next past the end", loupe_prefetch_next(pf, &page), LOUPE_OK);
    CHECK(page == NULL, "a page past the end");
    loupe_prefetch_free(pf);
  }
  loupe_parser_free(p);
  remove_pages(dir, paths);
}

static void test_failures(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[NPAGES], *list[4];
  char missing[300], empty[300], binary[300], bin[3000];
  int t;
  size_t k;
  make_pages(dir, paths);
  snprintf(missing, sizeof missing, "%s/missing.txt", dir);
  snprintf(empty, sizeof empty, "%s/empty.txt", dir);
  snprintf(binary, sizeof binary, "%s/photo.txt", dir);
  write_file(empty, "", 0);
  for (k = 0; k < sizeof bin; k++) bin[k] = (char)((k * 7919 + 13) % 256);
  write_file(binary, bin, sizeof bin);
  list[0] = missing;
  list[1] = paths[0];
  list[2] = empty;
  list[3] = binary;
  for (t = 0; t <= 2; t++) {
    loupe_prefetch *pf = NULL;
    loupe_page *page = NULL;
    CHECK_RC("prefetch_new", loupe_prefetch_new((const char *const *)list,
             NULL, 4, t, &pf), LOUPE_OK);
    if (pf == NULL) continue;
    loupe_prefetch_next(pf, &page);
    CHECK(page && page->rc == LOUPE_EIO, "missing file: rc %d",
          page ? page->rc : -1);
    if (page) {
      CHECK(strcmp(page->errmsg, "No such file or directory") == 0,
            "missing file: message %s", page->errmsg);
      CHECK(page->article == NULL && page->len == 0, "missing file: a page");
    }
    loupe_prefetch_next(pf, &page);
    CHECK(page && page->rc == LOUPE_OK && page->article, "good file");
    loupe_prefetch_next(pf, &page);
    CHECK(page && page->rc == LOUPE_EEMPTY, "empty file: rc %d",
          page ? page->rc : -1);
    if (page) CHECK(page->errmsg[0] != '\0', "empty file: no message");
    loupe_prefetch_next(pf, &page);
    CHECK(page && page->rc == LOUPE_EENCODING, "binary file: rc %d",
          page ? page->rc : -1);
    if (page) CHECK(page->len == sizeof bin && page->article == NULL,
                    "binary file: len %zu", page->len);
    loupe_prefetch_next(pf, &page);
    CHECK(page == NULL, "a fifth page");
    loupe_prefetch_free(pf);
  }
  remove_pages(dir, paths);
}

static void test_arguments(void) {
  loupe_prefetch *pf = (loupe_prefetch *)&pf;
  loupe_page *page = NULL;
  const char *one[1] = {"/nonexistent/x.txt"};
  CHECK_RC("negative threads", loupe_prefetch_new(one, NULL, 1, -1, &pf),
           LOUPE_EINVAL);
  CHECK(pf == NULL, "out set on failure");
  CHECK_RC("too many threads", loupe_prefetch_new(one, NULL, 1,
           LOUPE_PREFETCH_MAX_THREADS + 1, &pf), LOUPE_EINVAL);
  CHECK_RC("no list", loupe_prefetch_new(NULL, NULL, 3, 1, &pf),
           LOUPE_EINVAL);
  CHECK_RC("next without prefetcher", loupe_prefetch_next(NULL, &page),
           LOUPE_EINVAL);
  loupe_prefetch_free(NULL);
  /* an empty list; more threads than files start no more than files */
  CHECK_RC("empty list", loupe_prefetch_new(one, NULL, 0, 4, &pf), LOUPE_OK);
  CHECK_INT("threads for no file", loupe_prefetch_threads(pf), 0);
  CHECK_RC("next of empty", loupe_prefetch_next(pf, &page), LOUPE_OK);
  CHECK(page == NULL, "a page of an empty list");
  loupe_prefetch_free(pf);
  CHECK_RC("one file", loupe_prefetch_new(one, NULL, 1, 8, &pf), LOUPE_OK);
  CHECK_INT("threads for one file", loupe_prefetch_threads(pf), 1);
  loupe_prefetch_free(pf);
  CHECK(loupe_cpu_count() >= 1, "cpu count");
}

/* Free at every stage: before any page, after a few, with threads busy. */
static void test_stop_early(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[NPAGES];
  int taken;
  make_pages(dir, paths);
  for (taken = 0; taken <= 3; taken++) {
    loupe_prefetch *pf = NULL;
    loupe_page *page;
    int k;
    CHECK_RC("prefetch_new", loupe_prefetch_new((const char *const *)paths,
             NULL, NPAGES, 4, &pf), LOUPE_OK);
    for (k = 0; k < taken; k++) loupe_prefetch_next(pf, &page);
    loupe_prefetch_free(pf);          /* joins; ASan reports any leak */
  }
  remove_pages(dir, paths);
}

/* Expected hashes skip the parse; a file removed or changed after a
 * worker read it is judged as it is at its turn. */
static void test_expected_and_turns(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[NPAGES];
  char hashes[NPAGES][LOUPE_HASH_LEN + 1];
  const char *expected[NPAGES];
  char page_text[4096];
  loupe_prefetch *pf = NULL;
  loupe_page *page;
  int i;
  make_pages(dir, paths);
  for (i = 0; i < NPAGES; i++) {
    numbered_page(page_text, sizeof page_text, i, 0);
    loupe_hash(page_text, strlen(page_text), hashes[i]);
    expected[i] = i % 2 ? hashes[i] : NULL;      /* odd pages are known */
  }
  CHECK_RC("prefetch_new", loupe_prefetch_new((const char *const *)paths,
           expected, NPAGES, 2, &pf), LOUPE_OK);
  loupe_prefetch_next(pf, &page);                /* page 0 */
  pause_ms(300);                                 /* the workers read on */
  remove(paths[2]);
  numbered_page(page_text, sizeof page_text, 3, 1);
  write_file(paths[3], page_text, strlen(page_text));
  for (i = 1; i < NPAGES; i++) {
    CHECK_RC("next", loupe_prefetch_next(pf, &page), LOUPE_OK);
    if (page == NULL) break;
    if (i == 2) {
      CHECK(page->rc == LOUPE_EIO && page->article == NULL,
            "removed file: rc %d", page->rc);
    } else if (i == 3) {
      /* changed: read again, so its hash is no longer the expected one */
      CHECK(page->rc == LOUPE_OK && !page->skipped && page->article,
            "changed file not parsed again");
      CHECK(strcmp(page->hash, hashes[3]) != 0, "changed file: old hash");
      CHECK(page->article && strstr(page->article->body, "lighthouse"),
            "changed file: old text");
    } else if (i % 2) {
      CHECK(page->skipped && page->article == NULL && page->bytes != NULL,
            "page %d with its expected hash was parsed", i);
      CHECK(page->bytes && memcmp(page->bytes, "Tessaly", 7) == 0,
            "page %d: bytes", i);
    } else {
      CHECK(!page->skipped && page->article != NULL, "page %d not parsed",
            i);
    }
  }
  loupe_prefetch_free(pf);
  remove_pages(dir, paths);
}

/* The stored title of article id into out ("" when none). */
static const char *title_of(loupe_db *db, long long id, char *out,
                            size_t cap) {
  loupe_cursor *c = NULL;
  int has = 0, k, n;
  out[0] = '\0';
  if (loupe_db_get(db, id, &c) == LOUPE_OK &&
      loupe_cursor_next(c, &has) == LOUPE_OK && has) {
    n = loupe_cursor_columns(c);
    for (k = 0; k < n; k++)
      if (strcmp(loupe_cursor_name(c, k), "title") == 0) {
        size_t len;
        const char *s = loupe_cursor_text(c, k, &len);
        snprintf(out, cap, "%s", s ? s : "");
      }
  }
  loupe_cursor_free(c);
  return out;
}

/* Pages stored through the prefetcher equal pages stored by
 * loupe_db_add: same ids, statuses and titles; a page skipped by its
 * expected hash but no longer stored is parsed by add_page itself. */
static void test_add_page(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[NPAGES], dbpath[300];
  char stored[NPAGES][LOUPE_HASH_LEN + 1];
  const char *expected[NPAGES];
  loupe_db *a = NULL, *b = NULL;
  loupe_prefetch *pf = NULL;
  loupe_page *page;
  int i, rc;
  make_pages(dir, paths);
  CHECK_RC("open a", loupe_db_open(":memory:", 0, &a), LOUPE_OK);
  snprintf(dbpath, sizeof dbpath, "%s/b.loupe", dir);
  CHECK_RC("open b", loupe_db_open(dbpath, 0, &b), LOUPE_OK);
  /* b holds pages 0-3 already, and page 5 under a hash it no longer has */
  for (i = 0; i < 4; i++) {
    char text[4096];
    loupe_add_status st;
    long long id;
    numbered_page(text, sizeof text, i, 0);
    CHECK_RC("add", loupe_db_add(b, text, strlen(text), paths[i], &st, &id),
             LOUPE_OK);
  }
  for (i = 0; i < NPAGES; i++) {
    CHECK_RC("stored hash", loupe_db_stored_hash(b, paths[i], stored[i]),
             LOUPE_OK);
    CHECK(i < 4 ? strlen(stored[i]) == LOUPE_HASH_LEN : stored[i][0] == 0,
          "stored hash of page %d: '%s'", i, stored[i]);
    expected[i] = stored[i];
  }
  {
    /* page 5 is expected (as if stored) but is not in b: add_page must
     * parse the bytes itself */
    char text[4096];
    numbered_page(text, sizeof text, 5, 0);
    loupe_hash(text, strlen(text), stored[5]);
  }
  CHECK_RC("prefetch_new", loupe_prefetch_new((const char *const *)paths,
           expected, NPAGES, 3, &pf), LOUPE_OK);
  CHECK_RC("begin a", loupe_db_begin(a), LOUPE_OK);
  CHECK_RC("begin b", loupe_db_begin(b), LOUPE_OK);
  for (i = 0; i < NPAGES; i++) {
    loupe_add_status sa = 0, sb = 0;
    long long ida = 0, idb = 0;
    char ta[200], tb[200];
    CHECK_RC("next", loupe_prefetch_next(pf, &page), LOUPE_OK);
    if (page == NULL) break;
    rc = loupe_db_add_page(b, page, &sb, &idb);
    CHECK_RC("add_page", rc, LOUPE_OK);
    CHECK_INT("status in b", sb, i < 4 ? LOUPE_UNCHANGED : LOUPE_ADDED);
    if (i == 5) CHECK(page->skipped, "page 5 was not skipped");
    {
      char text[4096];
      numbered_page(text, sizeof text, i, 0);
      rc = loupe_db_add(a, text, strlen(text), paths[i], &sa, &ida);
      CHECK_RC("add", rc, LOUPE_OK);
    }
    CHECK_INT("same id", idb, ida);
    CHECK(strcmp(title_of(a, ida, ta, sizeof ta),
                 title_of(b, idb, tb, sizeof tb)) == 0 && ta[0],
          "page %d: titles '%s' and '%s'", i, ta, tb);
  }
  CHECK_RC("commit a", loupe_db_commit(a), LOUPE_OK);
  CHECK_RC("commit b", loupe_db_commit(b), LOUPE_OK);
  loupe_prefetch_free(pf);
  /* a page's own failure comes back from add_page with its message */
  {
    const char *list[1];
    char empty[300];
    loupe_add_status st;
    long long id;
    snprintf(empty, sizeof empty, "%s/empty.txt", dir);
    write_file(empty, "", 0);
    list[0] = empty;
    CHECK_RC("prefetch_new", loupe_prefetch_new(list, NULL, 1, 1, &pf),
             LOUPE_OK);
    loupe_prefetch_next(pf, &page);
    CHECK_RC("add_page of an empty file", loupe_db_add_page(b, page, &st,
             &id), LOUPE_EEMPTY);
    CHECK(strstr(loupe_db_errmsg(b), "empty") != NULL, "message: %s",
          loupe_db_errmsg(b));
    loupe_prefetch_free(pf);
  }
  loupe_db_close(a);
  loupe_db_close(b);
  remove_pages(dir, paths);
}

/* Pages bigger than the window's byte bound together (here binary ones,
 * which fail fast): every page still comes, in order, with no stall. */
static void test_big_pages(void) {
  char dir[] = "/tmp/loupe-prefetch-XXXXXX";
  char *paths[6];
  size_t big = (size_t)5 << 20, k;
  char *bin = malloc(big);
  loupe_prefetch *pf = NULL;
  loupe_page *page;
  int i, n = 0;
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  CHECK(bin != NULL, "malloc");
  if (bin == NULL) return;
  for (k = 0; k < big; k++) bin[k] = (char)((k * 7919 + 13) % 256);
  for (i = 0; i < 6; i++) {
    paths[i] = malloc(strlen(dir) + 16);
    sprintf(paths[i], "%s/big%d.bin", dir, i);
    write_file(paths[i], bin, big);
  }
  free(bin);
  CHECK_RC("prefetch_new", loupe_prefetch_new((const char *const *)paths,
           NULL, 6, 4, &pf), LOUPE_OK);
  while (loupe_prefetch_next(pf, &page) == LOUPE_OK && page) {
    CHECK(strcmp(page->path, paths[n]) == 0, "big page %d out of order", n);
    CHECK(page->len == big && page->rc == LOUPE_EENCODING,
          "big page %d: len %zu rc %d", n, page->len, page->rc);
    n++;
  }
  CHECK_INT("big pages delivered", n, 6);
  loupe_prefetch_free(pf);
  for (i = 0; i < 6; i++) {
    remove(paths[i]);
    free(paths[i]);
  }
  rmdir(dir);
}

int main(void) {
  static const check_test tests[] = {test_arguments, test_order, test_failures,
    test_stop_early, test_expected_and_turns, test_add_page, test_big_pages};
  return check_run("test_prefetch", tests, sizeof tests / sizeof *tests);
}
