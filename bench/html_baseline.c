/*
 * html_baseline.c - the floor for loupe's HTML benchmark: libxml2's HTML
 * parser alone (htmlReadMemory building the tree, recovering from broken
 * markup, no network, then xmlFreeDoc) over the same pages loupe parses,
 * and prints the CPU time of the fastest and median of ROUNDS passes as
 * one line of JSON. Run by bench/bench_html.lua; not part of loupe.
 *
 * Usage: html_baseline INPUT [ROUNDS]
 * INPUT holds records "<bytes>\n<page bytes>"; the file is read into
 * memory before the clock starts.
 */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/HTMLparser.h>

typedef struct {
  const char *bytes;
  size_t len;
} page;

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file in a malloc'ed buffer; NULL on failure. */
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
  *len = (size_t)n;
out:
  fclose(f);
  return buf;
}

/* libxml2 prints encoding errors through its generic handler even with
 * HTML_PARSE_NOERROR; the baseline is timed, not read. */
static void quiet(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  size_t len = 0, n = 0, cap = 0, pos = 0, total = 0, k;
  char *data;
  page *pages = NULL;
  int rounds = argc > 2 ? atoi(argv[2]) : 5, r, parsed = 0;
  double *t;
  if (argc < 2 || rounds < 1) {
    fprintf(stderr, "usage: html_baseline INPUT [ROUNDS]\n");
    return 2;
  }
  data = slurp(argv[1], &len);
  if (data == NULL) {
    perror(argv[1]);
    return 1;
  }
  while (pos < len) {
    char *end;
    unsigned long m = strtoul(data + pos, &end, 10);
    if (end == data + pos || *end != '\n' || (size_t)(end + 1 - data) + m > len)
      break;
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      pages = realloc(pages, cap * sizeof *pages);
      if (pages == NULL) return 1;
    }
    pages[n].bytes = end + 1;
    pages[n].len = m;
    total += m;
    n++;
    pos = (size_t)(end + 1 - data) + m;
  }
  xmlInitParser();
  xmlSetGenericErrorFunc(NULL, quiet);
  t = malloc((size_t)rounds * sizeof *t);
  if (t == NULL) return 1;
  for (r = 0; r < rounds; r++) {
    double t0 = cpu_now();
    parsed = 0;
    for (k = 0; k < n; k++) {
      htmlDocPtr doc = htmlReadMemory(pages[k].bytes, (int)pages[k].len,
                                      NULL, NULL,
                                      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
      if (doc) {
        parsed++;
        xmlFreeDoc(doc);
      }
    }
    t[r] = cpu_now() - t0;
  }
  qsort(t, (size_t)rounds, sizeof *t, cmp_double);
  printf("{\"pages\": %zu, \"parsed\": %d, \"bytes\": %zu, \"rounds\": %d, "
         "\"min\": %.6f, \"median\": %.6f}\n", n, parsed, total, rounds, t[0],
         t[rounds / 2]);
  free(t);
  free(pages);
  free(data);
  return 0;
}
