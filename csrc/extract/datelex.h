/*
 * datelex.h - what the date finder's files share (dates.c, datewords.c,
 * dateclock.c): byte classes, the parsed pieces of a date, and the word
 * and clock readers. Internal to dates*.c.
 */
#ifndef LOUPE_DATELEX_H
#define LOUPE_DATELEX_H

#include <stddef.h>
#include "dates.h"

typedef unsigned char uch;

#define NOPOS ((size_t)-1)
#define MAX_WORD 24      /* longest month/weekday word kept, in bytes */
#define MAX_SEPS 6       /* separator units allowed between date and time */

/* What kind of text a date body was written as; decides what may follow. */
enum { K_ISO = 1, K_NUM, K_NAME, K_CJK };

/* Zone kinds: none, fixed offset, US zone whose offset follows US DST. */
enum { Z_NONE = 0, Z_FIXED, Z_US };

/* Month table flag: the name may stand alone with a year ("March 2019"). */
#define MF_MY 1

/* A date without time. */
typedef struct {
  int y, m, d;
  loupe_precision prec;   /* LOUPE_PREC_DAY or LOUPE_PREC_MONTH */
  size_t start, end;
  int kind;               /* K_* */
  int ord;                /* LP_ORD_* */
  int glued;              /* a time follows the year with no space */
} lp_body;

/* A time of day with optional zone. */
typedef struct {
  int h, mi, se;          /* se -1 when absent */
  int zkind, zoff;        /* Z_*; zoff minutes east (standard time for Z_US) */
  int ampm;               /* written with am/pm */
  size_t start, end;
} lp_clock;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- byte classes ------------------------------------------------------ */

static inline int is_digit(uch c) { return c >= '0' && c <= '9'; }

static inline int is_alpha(uch c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int is_alnum(uch c) { return is_digit(c) || is_alpha(c); }

static inline int to_lower(uch c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Bytes of the horizontal-space unit at p (space, tab, NBSP, U+2000-200A,
   U+202F, U+3000); 0 when none. */
static inline size_t ws_at(const uch *u, size_t len, size_t p) {
  if (p >= len)
    return 0;
  if (u[p] == ' ' || u[p] == '\t')
    return 1;
  if (u[p] == 0xC2 && p + 1 < len && u[p + 1] == 0xA0)
    return 2;
  if (u[p] == 0xE2 && p + 2 < len && u[p + 1] == 0x80 &&
      (u[p + 2] <= 0x8A || u[p + 2] == 0xAF))
    return 3;
  if (u[p] == 0xE3 && p + 2 < len && u[p + 1] == 0x80 && u[p + 2] == 0x80)
    return 3;
  return 0;
}

/* Bytes of the horizontal-space unit ending at p, not starting before lo;
   0 when none. */
static inline size_t ws_before(const uch *u, size_t lo, size_t p) {
  if (p <= lo)
    return 0;
  if (u[p - 1] == ' ' || u[p - 1] == '\t')
    return 1;
  if (p - lo >= 2 && u[p - 2] == 0xC2 && u[p - 1] == 0xA0)
    return 2;
  if (p - lo >= 3 && u[p - 3] == 0xE2 && u[p - 2] == 0x80 &&
      (u[p - 1] <= 0x8A || u[p - 1] == 0xAF))
    return 3;
  if (p - lo >= 3 && u[p - 3] == 0xE3 && u[p - 2] == 0x80 && u[p - 1] == 0x80)
    return 3;
  return 0;
}

/* Skip at most max space units from p; returns the new position. */
static inline size_t skip_ws(const uch *u, size_t len, size_t p, int max) {
  size_t k;
  while (max-- > 0 && (k = ws_at(u, len, p)) != 0)
    p += k;
  return p;
}

/* Whether the two bytes at p are a letter outside ASCII that month and
   weekday names use (Latin-1, Latin Extended-A, Cyrillic). */
static inline int is_wide_letter(const uch *u, size_t len, size_t p) {
  uch c = u[p];
  if (p + 1 >= len || u[p + 1] < 0x80 || u[p + 1] > 0xBF)
    return 0;
  if (c == 0xC3)
    return u[p + 1] != 0x97 && u[p + 1] != 0xB7;
  return c == 0xC4 || c == 0xC5 || c == 0xD0 || c == 0xD1;
}

/*
 * Read a decimal number of 1..maxd digits at p into *v. Returns the digit
 * count, or 0 when there is no digit or the run is longer than maxd.
 */
static inline int read_num(const uch *u, size_t len, size_t p, int maxd, int *v) {
  int n = 0, x = 0;
  while (p < len && is_digit(u[p])) {
    if (n == maxd)
      return 0;
    x = x * 10 + (u[p] - '0');
    n++;
    p++;
  }
  *v = x;
  return n;
}

/*
 * Match lit at p: ASCII letters case-insensitively, other bytes exactly,
 * and the match must not run on into a letter. Returns the end or 0.
 */
static inline size_t match_lit(const uch *u, size_t len, size_t p, const char *lit) {
  size_t i;
  for (i = 0; lit[i]; i++) {
    if (p + i >= len || to_lower(u[p + i]) != (uch)lit[i])
      return 0;
  }
  if (p + i < len && is_alpha(u[p + i]) && is_alpha((uch)lit[i - 1]))
    return 0;
  return p + i;
}

/* ---- datewords.c: month and weekday names ---- */

/* End of the letter word starting at p (bounded by MAX_WORD). */
size_t lp_dl_word_end(const uch *u, size_t len, size_t p);
/* Start of the letter word ending at p, not before lo; p when none. */
size_t lp_dl_word_start(const uch *u, size_t lo, size_t p);
/* Month (1..12) named by the word u[a,b), 0 when none; *flags: MF_*. */
int lp_dl_month_of(const uch *u, size_t a, size_t b, int *flags);
/* Whether the word u[a,b) is a weekday name. */
int lp_dl_is_weekday(const uch *u, size_t a, size_t b);

/* ---- dateclock.c: calendar, times and zones ---- */

/* Whether y-m-d is a real day with 1900 <= y <= 2099. */
int lp_dl_valid_ymd(int y, int m, int d);
/* Whether local y-m-d h:00 falls in US daylight time. */
int lp_dl_us_dst(int y, int m, int d, int h);
/* Parse a time at p (see dateclock.c); the end, or 0. */
size_t lp_dl_parse_clock(const uch *u, size_t len, size_t p, int alt,
                         int tee, lp_clock *c);

#endif /* LOUPE_DATELEX_H */
