/*
 * dates.h - finds the first date (with any attached time and zone) in a
 * run of scraped UTF-8 text and writes it as ISO 8601. Internal to the
 * loupe core; no allocation, no global state.
 */
#ifndef LOUPE_DATES_H
#define LOUPE_DATES_H

#include <stddef.h>
#include "../loupe.h"

/* One date found in text. */
typedef struct {
  int year, month, day;        /* month/day 0 when absent */
  int hour, minute, second;    /* -1 when absent */
  int has_tz;                  /* 1 when a zone/offset was given */
  int tz_minutes;              /* offset east of UTC in minutes */
  loupe_precision prec;        /* MONTH, DAY, MINUTE or SECOND */
  size_t start, end;           /* byte span [start,end) of the whole match,
                                  including an attached weekday, time and
                                  zone */
  int has_weekday;             /* a weekday name was attached */
  int order;                   /* LP_ORD_*: how a numeric d/m date was read */
  int clock;                   /* 0 no time, 1 a 24-hour time, 2 am/pm */
} lp_date;

/* How an all-numeric date with a slash was read: month first because
 * nothing said otherwise (both parts 12 or less), or by proof (the first
 * part is over 12: day first; the second is: month first). 0 for every
 * other form. A caller that knows the page writes day first swaps the
 * ambiguous ones (lp_date_swap_dm). */
enum { LP_ORD_MD_GUESS = 1, LP_ORD_DM_PROOF, LP_ORD_MD_PROOF,
       LP_ORD_NAME_DM,    /* "6 January 2020": the page writes day first */
       LP_ORD_NAME_MD };  /* "January 6, 2020": month first */

/* Read an ambiguous slash date (LP_ORD_MD_GUESS) day first instead. */
void lp_date_swap_dm(lp_date *d);

/* Days since 1970-01-01 of d's day in the proleptic Gregorian calendar
   (month and day taken as 1 when absent); negative before 1970. */
long lp_date_days(const lp_date *d);

/*
 * Find the first date in s[from..len).
 *   s:    UTF-8 text, need not be NUL-terminated; never read at or past len
 *         (bytes before `from`, down to s[0], may be read to check a word
 *         boundary or the word before a number).
 *   len:  bytes in s.
 *   from: offset to start looking at.
 *   out:  filled on success.
 * Returns 1 when a date was found, else 0 (*out untouched).
 * Runs in time linear in len - from.
 */
int lp_date_find(const char *s, size_t len, size_t from, lp_date *out);

/*
 * Read a relative date in s[0..len) ("vor 3 Stunden", "2 days ago", "il
 * y a 5 jours", "hace 2 horas", "3 giorni fa") against now, a date the
 * page itself gives: minutes and hours need now's time of day (else no
 * date), days and weeks count back from now's day. Fills out (day
 * precision, the span of the phrase) and returns 1, or 0 when none.
 */
int lp_date_relative(const char *s, size_t len, const lp_date *now,
                     lp_date *out);

/*
 * Read a day and month name without a year in s[0..len) ("6. Oktober",
 * "24 Mai", "Jul 11", "14 Gennaio") against now, a date the page
 * itself gives: the year is now's, or the one before when the day would
 * come after now. Fills out (day precision) and returns 1, or 0.
 */
int lp_date_noyear(const char *s, size_t len, const lp_date *now,
                   lp_date *out);

/*
 * Write d as ISO 8601 at d->prec: "2019-11", "2024-04-16",
 * "2015-09-11T21:03", "2022-03-14T11:35Z", "2025-01-17T20:59+08:00",
 * "2022-01-26T14:39:31-05:00".
 *   buf/cap: destination; always NUL-terminated when cap > 0 (cap >= 32
 *            always suffices).
 * Returns the number of bytes written, without the NUL.
 */
size_t lp_date_format(const lp_date *d, char *buf, size_t cap);

#endif /* LOUPE_DATES_H */
