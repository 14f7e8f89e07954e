/*
 * daterel.c - relative dates ("vor 3 Stunden", "2 days ago", "il y a 5
 * jours", "hace 2 horas") read against a date the page itself gives (see
 * dates.h). Nothing here knows today's date: a relative date without the
 * page's own "now" stays unread.
 */
#include <string.h>
#include "datelex.h"

enum { U_MIN = 1, U_HOUR, U_DAY, U_WEEK };

/* Unit words (lower case, matched as word starts). */
static const struct {
  const char *word;
  int unit;
} UNITS[] = {
  {"minute", U_MIN}, {"min", U_MIN}, {"minuto", U_MIN},
  {"stunde", U_HOUR}, {"std", U_HOUR}, {"hour", U_HOUR}, {"hr", U_HOUR},
  {"heure", U_HOUR}, {"hora", U_HOUR}, {"ora", U_HOUR},
  {"tag", U_DAY}, {"day", U_DAY}, {"jour", U_DAY}, {"d\xc3\xad" "a", U_DAY},
  {"dia", U_DAY}, {"giorn", U_DAY}, {"dag", U_DAY},
  {"woche", U_WEEK}, {"week", U_WEEK}, {"semaine", U_WEEK},
  {"semana", U_WEEK}, {"settiman", U_WEEK},
  {NULL, 0}
};

/* Words before the number ("vor 3", "il y a 3", "hace 3", "fa" after). */
static const char *const BEFORE[] = {"vor ", "il y a ", "hace ", "h\xc3\xa1 ",
                                     NULL};
/* Words after the unit ("3 days ago", "3 giorni fa", "3 dagen geleden"). */
static const char *const AFTER[] = {"ago", "fa", "geleden", "sedan", "siden",
                                    NULL};

/* The unit named by the word at u[p] (0 when none); *end its end. */
static int unit_at(const uch *u, size_t len, size_t p, size_t *end) {
  int k;
  for (k = 0; UNITS[k].word; k++) {
    size_t e = p, i;
    const char *w = UNITS[k].word;
    for (i = 0; w[i] && e < len && to_lower(u[e]) == (uch)w[i]; i++) e++;
    if (w[i]) continue;
    while (e < len && (is_alpha(u[e]) || u[e] >= 0x80)) e++;   /* plural */
    if (e < len && u[e] == '.') e++;                           /* "Std." */
    *end = e;
    return UNITS[k].unit;
  }
  return 0;
}

/* Does one of list (lower case) end right at u[p] (before spaces)? *at
 * receives its start. */
static int before_is(const uch *u, size_t p, const char *const *list,
                     size_t *at) {
  for (; *list; list++) {
    size_t m = strlen(*list), i;
    if (p < m) continue;
    for (i = 0; i < m && to_lower(u[p - m + i]) == (uch)(*list)[i]; i++) {}
    if (i == m && (p == m || !is_alpha(u[p - m - 1]))) {
      *at = p - m;
      return 1;
    }
  }
  return 0;
}

/* Does one of list (lower case) start at u[p], ending its word? *end. */
static int after_is(const uch *u, size_t len, size_t p,
                    const char *const *list, size_t *end) {
  for (; *list; list++) {
    size_t m = strlen(*list), i;
    if (p + m > len) continue;
    for (i = 0; i < m && to_lower(u[p + i]) == (uch)(*list)[i]; i++) {}
    if (i == m && (p + m == len || !is_alpha(u[p + m]))) {
      *end = p + m;
      return 1;
    }
  }
  return 0;
}

/* Day number (days since 1970-01-01) to y-m-d. */
static void civil(long z, int *y, int *m, int *d) {
  long era, doe, yoe, doy, mp, yy;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  yy = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

int lp_date_relative(const char *s, size_t len, const lp_date *now,
                     lp_date *out) {
  const uch *u = (const uch *)s;
  size_t p, a, e;
  for (p = 0; p < len; p++) {
    int n, unit, digits;
    long day, mins;
    if (!is_digit(u[p]) || (p > 0 && is_alnum(u[p - 1]))) continue;
    digits = read_num(u, len, p, 3, &n);
    if (digits == 0 || n <= 0) continue;
    e = skip_ws(u, len, p + (size_t)digits, 2);
    if (e == p + (size_t)digits || !(unit = unit_at(u, len, e, &e))) continue;
    a = p;
    if (!before_is(u, p, BEFORE, &a) &&
        !after_is(u, len, skip_ws(u, len, e, 2), AFTER, &e))
      continue;
    /* minutes and hours need the page's clock to know the day */
    if (unit <= U_HOUR && now->prec < LOUPE_PREC_MINUTE) return 0;
    mins = unit == U_MIN ? n : unit == U_HOUR ? 60L * n
                             : unit == U_DAY ? 1440L * n : 10080L * n;
    day = lp_date_days(now);
    if (unit <= U_HOUR) {
      long at = (long)now->hour * 60 + now->minute - mins;
      while (at < 0) {
        at += 1440;
        day--;
      }
    } else {
      day -= mins / 1440;
    }
    memset(out, 0, sizeof *out);
    civil(day, &out->year, &out->month, &out->day);
    out->hour = out->minute = out->second = -1;
    out->prec = LOUPE_PREC_DAY;
    out->start = a;
    out->end = e;
    return lp_dl_valid_ymd(out->year, out->month, out->day);
  }
  return 0;
}

/* The day number (1..31) standing right before the month word at a
 * ("6. Oktober", "24 Mai", "6 de mayo"), or after it ending at b ("Jul
 * 11", "October 6,"): 0 when none. The span grows to [*s0, *e0). */
static int day_by(const uch *u, size_t len, size_t a, size_t b, size_t *s0,
                  size_t *e0) {
  size_t p = a, q;
  int v = 0;
  while (p > 0 && u[p - 1] == ' ') p--;
  if (p >= 3 && u[p - 1] == 'e' && u[p - 2] == 'd' && u[p - 3] == ' ')
    p -= 3;                                           /* "6 de mayo" */
  if (p > 0 && u[p - 1] == '.') p--;
  q = p;
  while (q > 0 && is_digit(u[q - 1]) && p - q < 2) q--;
  if (q < p && (q == 0 || !is_alnum(u[q - 1])) && p < a &&
      read_num(u, len, q, 2, &v) == (int)(p - q) && v >= 1 && v <= 31) {
    *s0 = q;
    *e0 = b;
    return v;
  }
  q = skip_ws(u, len, b, 2);
  if (q > b && read_num(u, len, q, 2, &v) > 0 && v >= 1 && v <= 31) {
    size_t r = q + (v > 9 ? 2 : 1);
    if (r < len && is_digit(u[r])) return 0;
    if (r < len && is_alpha(u[r]) && !(r + 1 < len && is_alpha(u[r + 1]) &&
                                       (r + 2 >= len || !is_alpha(u[r + 2]))))
      return 0;                                       /* "11th" passes */
    *s0 = a;
    *e0 = r;
    return v;
  }
  return 0;
}

/* Is a digit within a few bytes before the word u[a,b) or after it (a
 * day's place)? Words without one are never looked up as months. */
static int digit_near(const uch *u, size_t len, size_t a, size_t b) {
  size_t k;
  for (k = a > 5 ? a - 5 : 0; k < a; k++)
    if (is_digit(u[k])) return 1;
  for (k = b; k < len && k < b + 3; k++)
    if (is_digit(u[k])) return 1;
  return 0;
}

int lp_date_noyear(const char *s, size_t len, const lp_date *now,
                   lp_date *out) {
  const uch *u = (const uch *)s;
  size_t p = 0;
  while (p < len) {
    size_t b, s0, e0;
    int m, flags, d, y;
    lp_date t;
    if (!is_alpha(u[p]) && !(u[p] >= 0xC3 && is_wide_letter(u, len, p))) {
      p++;
      continue;
    }
    b = lp_dl_word_end(u, len, p);
    if (b == p) {
      p++;
      continue;
    }
    if ((p > 0 && is_alpha(u[p - 1])) || !digit_near(u, len, p, b) ||
        (m = lp_dl_month_of(u, p, b, &flags)) == 0 ||
        (d = day_by(u, len, p, b, &s0, &e0)) == 0) {
      p = b;
      continue;
    }
    /* the latest such day not after now: the page's year, or the one
     * before it when the day would come later than now */
    y = now->year;
    memset(&t, 0, sizeof t);
    t.year = y;
    t.month = m;
    t.day = d;
    if (lp_date_days(&t) > lp_date_days(now)) t.year = --y;
    if (!lp_dl_valid_ymd(t.year, m, d)) return 0;
    t.hour = t.minute = t.second = -1;
    t.prec = LOUPE_PREC_DAY;
    t.start = s0;
    t.end = e0;
    *out = t;
    return 1;
  }
  return 0;
}
