/*
 * files.c - what an ingest reads: a path (file or folder, walked
 * recursively, hidden entries skipped) or a glob pattern, expanded into a
 * sorted list of regular files without duplicates.
 */
#define _DEFAULT_SOURCE          /* DT_* and lstat on glibc */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "corpus.h"

#define MAX_DEPTH 64

typedef struct {
  char **paths;
  size_t n, cap;
  char *err;
  size_t errcap;
} file_list;

static int add_path(file_list *fl, const char *p) {
  char *copy;
  size_t n = strlen(p);
  if (fl->n == fl->cap) {
    size_t cap = fl->cap ? fl->cap * 2 : 64;
    char **np = realloc(fl->paths, cap * sizeof *np);
    if (np == NULL) return LOUPE_ENOMEM;
    fl->paths = np;
    fl->cap = cap;
  }
  copy = malloc(n + 1);
  if (copy == NULL) return LOUPE_ENOMEM;
  memcpy(copy, p, n + 1);
  fl->paths[fl->n++] = copy;
  return LOUPE_OK;
}

/* Walk a folder: regular files are added, folders entered (symlinked
 * folders are not followed, so a link cycle cannot loop). */
static int walk(file_list *fl, const char *dir, int depth) {
  DIR *d;
  struct dirent *e;
  int rc = LOUPE_OK;
  size_t dl = strlen(dir);
  if (depth > MAX_DEPTH) {
    snprintf(fl->err, fl->errcap, "%s: folders nested deeper than %d",
             dir, MAX_DEPTH);
    return LOUPE_ELIMIT;
  }
  d = opendir(dir);
  if (d == NULL) {
    snprintf(fl->err, fl->errcap, "%s: %s", dir, strerror(errno));
    return LOUPE_EIO;
  }
  while (rc == LOUPE_OK && (e = readdir(d)) != NULL) {
    struct stat stv;
    size_t n = strlen(e->d_name);
    char *p;
    if (e->d_name[0] == '.') continue;          /* ., .. and hidden files */
    p = malloc(dl + n + 2);
    if (p == NULL) { rc = LOUPE_ENOMEM; break; }
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, e->d_name, n + 1);
    if (lstat(p, &stv) == 0) {
      if (S_ISDIR(stv.st_mode)) rc = walk(fl, p, depth + 1);
      else if (S_ISREG(stv.st_mode)) rc = add_path(fl, p);
      else if (S_ISLNK(stv.st_mode)) {
        /* a link to a file is read; a dangling link is listed so that
         * reading it fails and is reported */
        struct stat target;
        if (stat(p, &target) != 0 || S_ISREG(target.st_mode))
          rc = add_path(fl, p);
      }
    }
    free(p);
  }
  closedir(d);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int expand_one(file_list *fl, const char *spec) {
  struct stat stv;
  if (strpbrk(spec, "*?[") != NULL) {
    glob_t g;
    size_t i;
    int grc = glob(spec, GLOB_NOSORT, NULL, &g), rc = LOUPE_OK;
    if (grc == GLOB_NOMATCH) {
      snprintf(fl->err, fl->errcap, "%s: no file matches the pattern", spec);
      return LOUPE_EIO;
    }
    if (grc != 0) {
      snprintf(fl->err, fl->errcap, "%s: cannot expand the pattern", spec);
      return grc == GLOB_NOSPACE ? LOUPE_ENOMEM : LOUPE_EIO;
    }
    for (i = 0; i < g.gl_pathc && rc == LOUPE_OK; i++) {
      if (stat(g.gl_pathv[i], &stv) != 0) continue;
      if (S_ISDIR(stv.st_mode)) rc = walk(fl, g.gl_pathv[i], 0);
      else if (S_ISREG(stv.st_mode)) rc = add_path(fl, g.gl_pathv[i]);
    }
    globfree(&g);
    return rc;
  }
  if (stat(spec, &stv) != 0) {
    snprintf(fl->err, fl->errcap, "%s: %s", spec, strerror(errno));
    return LOUPE_EIO;
  }
  if (S_ISDIR(stv.st_mode)) {
    /* drop trailing slashes so paths read "dir/file" */
    size_t n = strlen(spec);
    char *d = malloc(n + 1);
    int rc;
    if (d == NULL) return LOUPE_ENOMEM;
    memcpy(d, spec, n + 1);
    while (n > 1 && d[n - 1] == '/') d[--n] = '\0';
    rc = walk(fl, d, 0);
    free(d);
    return rc;
  }
  if (!S_ISREG(stv.st_mode)) {
    snprintf(fl->err, fl->errcap, "%s: not a regular file or folder", spec);
    return LOUPE_EIO;
  }
  return add_path(fl, spec);
}

int loupe_list_files(const char *const *specs, size_t nspecs, char ***out,
                     size_t *count, char *err, size_t errcap) {
  file_list fl;
  size_t i, k;
  int rc = LOUPE_OK;
  memset(&fl, 0, sizeof fl);
  fl.err = err;
  fl.errcap = errcap;
  if (errcap) err[0] = '\0';
  *out = NULL;
  *count = 0;
  for (i = 0; i < nspecs && rc == LOUPE_OK; i++) rc = expand_one(&fl, specs[i]);
  if (rc != LOUPE_OK) {
    if (rc == LOUPE_ENOMEM) snprintf(err, errcap, "out of memory");
    loupe_free_files(fl.paths, fl.n);
    return rc;
  }
  if (fl.n > 1) qsort(fl.paths, fl.n, sizeof *fl.paths, cmp_str);
  /* the same file named twice is read once */
  for (i = 0, k = 0; i < fl.n; i++) {
    if (k > 0 && strcmp(fl.paths[k - 1], fl.paths[i]) == 0) {
      free(fl.paths[i]);
      continue;
    }
    fl.paths[k++] = fl.paths[i];
  }
  *out = fl.paths;
  *count = k;
  return LOUPE_OK;
}

void loupe_free_files(char **paths, size_t count) {
  size_t i;
  if (paths == NULL) return;
  for (i = 0; i < count; i++) free(paths[i]);
  free(paths);
}
