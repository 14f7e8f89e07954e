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
