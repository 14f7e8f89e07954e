/*
 * check.h - the checks the C tests share: each counts a pass or prints
 * FAIL file:line and why (printf-style); main prints the totals. Included
 * once per test program (the counters are its own).
 */
#ifndef LOUPE_TEST_CHECK_H
#define LOUPE_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "loupe.h"

static int passes, failures;

static inline void check_at(const char *file, int line, int ok,
                            const char *fmt, ...) {
  va_list ap;
  const char *base = strrchr(file, '/');
  if (ok) { passes++; return; }
  failures++;
  printf("FAIL %s:%d: ", base ? base + 1 : file, line);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

#define CHECK(cond, ...) check_at(__FILE__, __LINE__, (cond) != 0, __VA_ARGS__)

/* Compare result codes; got is evaluated once (it is often the call). */
static inline void check_rc_at(const char *file, int line, const char *what,
                               int got, int want) {
  check_at(file, line, got == want, "%s: rc %d (%s), want %d (%s)", what,
           got, loupe_errstr(got), want, loupe_errstr(want));
}

#define CHECK_RC(what, got, want) \
  check_rc_at(__FILE__, __LINE__, (what), (got), (want))

/* Compare integers; got is evaluated once (it may run a query). */
static inline void check_int_at(const char *file, int line, const char *what,
                                long long got, long long want) {
  check_at(file, line, got == want, "%s: got %lld, want %lld", what, got,
           want);
}

#define CHECK_INT(what, got, want) \
  check_int_at(__FILE__, __LINE__, (what), (long long)(got), \
               (long long)(want))

/* Run the tests in order, then print "name: N passed, N failed" (the line
 * run_c_tests.sh reads); main's exit status, non-zero when a check failed.
 * Use: return check_run("test_x", TESTS, sizeof TESTS / sizeof *TESTS); */
typedef void (*check_test)(void);

static inline int check_run(const char *name, const check_test *tests,
                            size_t n) {
  size_t i;
  for (i = 0; i < n; i++) tests[i]();
  printf("%s: %d passed, %d failed\n", name, passes, failures);
  return failures != 0;
}

#endif
