/*
 * test_dates.c - table-driven tests for the date finder (core/dates.c):
 * each input line is copied to an exact-size heap buffer, searched, and the
 * ISO text, span and weekday flag compared; plus format and fuzz checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "extract/dates.h"
#include "loupe.h"

typedef struct {
  const char *in;     /* input line */
  const char *want;   /* expected ISO text, "" for no date */
  int start, end;     /* expected span, -1 to skip the check */
  int weekday;        /* expected has_weekday, -1 to skip */
} date_case;

/*
 * The finder's cases, one a line: "text => date", the date "-" when none
 * may be found, then "@start-end" when the span is checked and "wd0" or
 * "wd1" when whether a weekday was attached is.
 */
static const char CASES[] =
  /* ISO-like */
  "2024-04-16 => 2024-04-16 @0-10 wd0\n"
  "2015-09-11 21:03 => 2015-09-11T21:03 @0-16\n"
  "2022-01-26T14:39:31-05:00 => 2022-01-26T14:39:31-05:00 @0-25\n"
  "2022-03-14T11:35:00Z => 2022-03-14T11:35:00Z @0-20\n"
  "20:59 UTC+8, 2025-01-17 => 2025-01-17T20:59+08:00 @0-23\n"
  "Updated: 2015-09-11 21:03 => 2015-09-11T21:03 @9-25 wd0\n"
  "Updated 21:03, 2015-09-11 22:00 => 2015-09-11T22:00 @15-31\n"
  "see /news/2019/11/19/story.html => 2019-11-19 @10-20\n"
  "2019-11-19 10:30-11:30 meeting => 2019-11-19T10:30 @0-16\n"
  "2019/11/19 => 2019-11-19\n"
  "2016.12.01 => 2016-12-01\n"
  "2021-12-07 22:14:00 => 2021-12-07T22:14:00\n"
  "2019-11-19T08:03:00.79Z => 2019-11-19T08:03:00Z\n"
  "2019-11-19T14:30+0800 => 2019-11-19T14:30+08:00\n"
  /* numeric day-first / month-first */
  "Stand 02.12.19, 10:15 Uhr => 2019-12-02T10:15 @6-21\n"
  "11:35 GMT 14.03.2022 => 2022-03-14T11:35Z @0-20\n"
  "on 3/4/85 it => 1985-03-04 @3-9\n"
  "1920, 14.03.2022 => 2022-03-14 @6-16\n"
  "14.03.2022-15.03.2022 => 2022-03-14 @0-10\n"
  "14.03.2022 => 2022-03-14\n"
  "Von: Jana Ostrow | 28.09.19 => 2019-09-28\n"
  "11.14.2019 => 2019-11-14\n"
  "14-03-2022 => 2022-03-14\n"
  "27/09/2018 => 2018-09-27\n"
  "21/06/2014 => 2014-06-21\n"
  "11/19/19 => 2019-11-19\n"
  "11/19/2019 => 2019-11-19\n"
  /* glued by the page to the words around it */
  "Yahoo News Australia28 October 2020 => 2020-10-28 @20-35\n"
  "La Informaci\xc3\xb3n16.08.2020 - 21:03h => 2020-08-16T21:03 @15-33\n"
  "By Sage Anderson2020-02-20 13:52:51 UTC => 2020-02-20T13:52:51Z @16-39\n"
  "26.01.2022Strava wertet => 2022-01-26 @0-10\n"
  /* English month names */
  "Nov. 19, 2019 8:03 am ET => 2019-11-19T08:03-05:00 @0-24 wd0\n"
  "November 20th, 2019 => 2019-11-20 @0-19\n"
  "Nov. 18th 2019 => 2019-11-18 @0-14\n"
  "Tuesday 19 November 2019 10.03 GMT => 2019-11-19T10:03Z @0-34 wd1\n"
  "July 7, 2021  2:34 pm => 2021-07-07T14:34 @0-21\n"
  "August 23, 2021 -- 18:46 GMT (19:46 BST) => 2021-08-23T18:46Z @0-28\n"
  "Mon, 18 Nov 2019 14:02:11 +0000 => 2019-11-18T14:02:11Z @0-31 wd1\n"
  "Posted Sunday, Nov 17, 2019 => 2019-11-17 @7-27 wd1\n"
  "Tue. Nov 19, 2019 => 2019-11-19 @0-17 wd1\n"
  "Nov 19, 2019 10.03 and more => 2019-11-19 @0-12\n"
  "8:03 am EST Nov 19, 2019 => 2019-11-19T08:03-05:00 @0-24\n"
  "10:30 Tuesday, 2019-11-19 => 2019-11-19T10:30 @0-25\n"
  "10:30 AM ET on Tue. Nov 19, 2019 => 2019-11-19T10:30-05:00 @0-32\n"
  "Posted at 10:30 the day before Nov 19, 2019 => 2019-11-19 @31-43\n"
  "19\xc2\xa0November\xc2\xa0" "2019 => 2019-11-19 @0-18\n"
  "November 20, 2019 => 2019-11-20\n"
  "Nov 19, 2019 => 2019-11-19\n"
  "October 06, 2018 => 2018-10-06\n"
  "19 November 2019 => 2019-11-19\n"
  "20 Nov 2019 => 2019-11-20\n"
  "1st of November 2019 => 2019-11-01\n"
  "19-Nov-2019 => 2019-11-19\n"
  "DECEMBER 25, 2019 => 2019-12-25\n"
  "May 5, 2019 => 2019-05-05\n"
  "Sept. 3, 2020 => 2020-09-03\n"
  "Nov 19, 2019 8:03 a.m. EST => 2019-11-19T08:03-05:00\n"
  "Nov 19, 2019 at 12:00 am => 2019-11-19T00:00\n"
  "Nov 19, 2019 12:30 PM => 2019-11-19T12:30\n"
  /* month-year */
  "March 2019 => 2019-03 @0-10\n"
  "in March 2019 the => 2019-03 @3-13\n"
  "marzo de 2019 => 2019-03\n"
  /* other languages */
  "22 de outubro de 2010 => 2010-10-22 @0-21\n"
  "segunda-feira, 3 de mar\xc3\xa7o de 2019 => 2019-03-03 @0-34 wd1\n"
  "Publi\xc3\xa9 le 12 janvier 2019 \xc3\xa0 14h30 => 2019-01-12T14:30\n"
  "24 сентября 2018 => 2018-09-24 @0-24\n"
  "2019年11月19日 => 2019-11-19 @0-17\n"
  "3 de marzo de 2019 => 2019-03-03\n"
  "12 janvier 2019 => 2019-01-12\n"
  "1er mars 2019 => 2019-03-01\n"
  "5 ao\xc3\xbbt 2019 => 2019-08-05\n"
  "25 D\xc3\x89" "CEMBRE 2019 => 2019-12-25\n"
  "12. M\xc3\xa4rz 2019 => 2019-03-12\n"
  "Oktober 27, 2015 => 2015-10-27\n"
  "12 gennaio 2019 => 2019-01-12\n"
  "5 settembre 2020 => 2020-09-05\n"
  "12 januari 2019 => 2019-01-12\n"
  "3 mei 2018 => 2018-05-03\n"
  "Maret 30, 2015 => 2015-03-30\n"
  "17 Agustus 2017 => 2017-08-17\n"
  "5 Desember 2016 => 2016-12-05\n"
  "Mei 2, 2016 => 2016-05-02\n"
  "Juni 1, 2016 => 2016-06-01\n"
  "Juli 4, 2016 => 2016-07-04\n"
  "11 октября 2018 => 2018-10-11\n"
  "1 января 2020 => 2020-01-01\n"
  "29 февраля 2020 => 2020-02-29\n"
  "8 марта 2019 => 2019-03-08\n"
  "12 апреля 2019 => 2019-04-12\n"
  "9 мая 2019 => 2019-05-09\n"
  "12 июня 2019 => 2019-06-12\n"
  "4 июля 2019 => 2019-07-04\n"
  "15 августа 2019 => 2019-08-15\n"
  "7 ноября 2019 => 2019-11-07\n"
  "31 декабря 2019 => 2019-12-31\n"
  "24 Сентября 2018 => 2018-09-24\n"
  "24 СЕНТЯБРЯ 2018 => 2018-09-24\n"
  "发布时间：2019年11月19日 14:30 => 2019-11-19T14:30\n"
  "2019년 11월 19일 => 2019-11-19\n"
  /* zones and US daylight time */
  "2019-11-19 10:00 Beijing time => 2019-11-19T10:00+08:00 @0-29\n"
  "2019-11-19 10:00 (UTC) => 2019-11-19T10:00Z @0-22\n"
  "2019-11-19 10:00 et cetera => 2019-11-19T10:00 @0-16\n"
  "June 5, 2019 8:03 am ET => 2019-06-05T08:03-04:00\n"
  "March 10, 2019 3:00 am ET => 2019-03-10T03:00-04:00\n"
  "March 10, 2019 1:00 am ET => 2019-03-10T01:00-05:00\n"
  "Nov 3, 2019 1:30 am PT => 2019-11-03T01:30-07:00\n"
  "Nov 3, 2019 2:30 am PT => 2019-11-03T02:30-08:00\n"
  "Jan 5, 2019 10:00 CT => 2019-01-05T10:00-06:00\n"
  "July 5, 2019 10:00 MT => 2019-07-05T10:00-06:00\n"
  "2019-06-19 10:00 CEST => 2019-06-19T10:00+02:00\n"
  "2019-06-19 10:00 BST => 2019-06-19T10:00+01:00\n"
  /* glued by the page, short and spaced numerics, more languages */
  "08/11/2023 | 20:26 PM => 2023-08-11T20:26 @0-21\n"
  "5 May 2021 14:10 AM => 2021-05-05 @0-10\n"
  "Posted on M\xc3\xa4rz 3, 2021M\xc3\xa4rz 3, 2021 => 2021-03-03 @10-23\n"
  "Nov 20 20194:29 AM EST => 2019-11-20T04:29-05:00 @0-22\n"
  "anna k.19.10.1912:48 => 2019-10-19T12:48 @7-20\n"
  "October 12, 2018/0 Comments/in Promotion /by admin => 2018-10-12 @0-16\n"
  "13. 1. 2020 => 2020-01-13 @0-11\n"
  "2020. 08. 18. 14:05 => 2020-08-18T14:05 @0-19\n"
  "8.Dezember 2010 um 09:43 => 2010-12-08T09:43 @0-24\n"
  "1.11.23 20:19 von Lara Beispiel => 2023-11-01T20:19 @0-13\n"
  "von Klaus Beispiel, 8.5.12 => 2012-05-08 @20-26\n"
  "5 \xd0\xb1\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb7\xd0\xbd\xd1\x8f 2022"
    " => 2022-03-05\n"
  /* empty text */
  " => -\n"
  "12 wrze\xc5\x9bnia 2019 => 2019-09-12\n"
  "3. b\xc5\x99" "ezna 2020 => 2020-03-03\n"
  "15 \xc5\x9f" "ubat 2021 => 2021-02-15\n"
  "4 augusti 2018 => 2018-08-04\n"
  "9 de juliol de 2017 => 2017-07-09\n"
  /* calendar checks */
  "29 February 2020 => 2020-02-29\n"
  "2000-02-29 => 2000-02-29\n";

/* Zone words and offsets, each tried as "2019-11-19 10:00 <zone>". */
typedef struct {
  const char *zone, *offset;
} zone_case;

static const zone_case ZONES[] = {
  {"EDT", "-04:00"}, {"CST", "-06:00"}, {"PST", "-08:00"}, {"CET", "+01:00"},
  {"MSK", "+03:00"}, {"IST", "+05:30"}, {"JST", "+09:00"}, {"KST", "+09:00"},
  {"HKT", "+08:00"}, {"SGT", "+08:00"}, {"AEST", "+10:00"}, {"AEDT", "+11:00"},
  {"UTC+08:00", "+08:00"}, {"GMT-5", "-05:00"}, {"+0800", "+08:00"},
  {"-05:00", "-05:00"}
};

/* Text in which no date may be found. */
static const char *const NO_DATE[] = {
  /* glued to the word before */
  "x12.05.2020 Modell", "Ab12.05.2020",
  /* a month name that does not stand alone with a year; a day too many */
  "Mars 2020 rover", "Nov 2019", "31 November 2019",
  /* calendar checks */
  "29 February 2019", "1900-02-29", "February 30, 2019", "2019-13-01",
  "30.02.2019", "version 8.5.12 is out", "rated 12.13.14", "31 April 2019",
  "1850-01-01", "2150-01-01",
  /* not dates */
  "version 10.42 released", "Tel: 8621-52920043", "licence 05050403",
  "in 2020 the economy", "Copyright 2019", "2 hours ago",
  "on the 20th of November", "Nov 19", "costs $10.42 or 10,000.50",
  "v1.2.3 and 192.168.1.1", "the 2019-2020 season, won 3-2",
  "at 10:30 the meeting", "Price 10.03 GMT", "1.2.2019.3", "12345-11-19",
  "v 2.1.19 released"
};

/* Record one check of input in: prints got and want for a failure. */
#define check(ok, in, what, got, want) \
  CHECK(ok, "[%s] %s: got '%s', want '%s'", in, what, got, want)

/* Run one table case on an exact-size heap copy of its input. */
static void run_case(const date_case *c) {
  size_t n = strlen(c->in);
  char *buf = malloc(n ? n : 1), iso[40] = "", a[64], b[64];
  lp_date d;
  int found, ok;
  if (!buf) {
    check(0, c->in, "malloc", "", "");
    return;
  }
  memcpy(buf, c->in, n);
  found = lp_date_find(buf, n, 0, &d);
  if (found)
    lp_date_format(&d, iso, sizeof iso);
  ok = strcmp(iso, c->want) == 0;
  if (ok && found && c->start >= 0)
    ok = d.start == (size_t)c->start && d.end == (size_t)c->end;
  if (ok && found && c->weekday >= 0)
    ok = d.has_weekday == c->weekday;
  if (found) {
    sprintf(a, "%s span %zu..%zu wd %d", iso, d.start, d.end, d.has_weekday);
  } else {
    strcpy(a, "(none)");
  }
  sprintf(b, "%s span %d..%d wd %d", c->want, c->start, c->end, c->weekday);
  check(ok, c->in, "find", a, b);
  free(buf);
}

/* Read the case line at line (up to nl) into c, its text into in and its
 * date into want; 0 when the line is malformed. */
static int read_case(const char *line, const char *nl, date_case *c,
                     char *in, char *want) {
  const char *sep = strstr(line, " => "), *p;
  char tail[32];
  size_t n;
  if (sep == NULL || sep > nl || (size_t)(sep - line) >= 128) return 0;
  memcpy(in, line, (size_t)(sep - line));
  in[sep - line] = '\0';
  sep += 4;
  n = strcspn(sep, " \n");
  if (n == 0 || n >= 48 || (size_t)(nl - sep) - n >= sizeof tail) return 0;
  memcpy(want, sep, n);
  want[n] = '\0';
  if (strcmp(want, "-") == 0) want[0] = '\0';
  memcpy(tail, sep + n, (size_t)(nl - sep) - n);
  tail[(size_t)(nl - sep) - n] = '\0';
  c->in = in;
  c->want = want;
  c->start = c->end = c->weekday = -1;
  if ((p = strstr(tail, " @")) != NULL &&
      sscanf(p, " @%d-%d", &c->start, &c->end) != 2) return 0;
  if ((p = strstr(tail, " wd")) != NULL && sscanf(p, " wd%d", &c->weekday) != 1)
    return 0;
  return 1;
}

/* The table cases, the zones and the texts without a date. */
static void test_cases(void) {
  const char *line = CASES, *nl;
  size_t i;
  for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
    char in[128], want[48];
    date_case c;
    if (!read_case(line, nl, &c, in, want)) {
      CHECK(0, "case line reads: %.*s", (int)(nl - line), line);
      continue;
    }
    run_case(&c);
  }
  for (i = 0; i < sizeof ZONES / sizeof *ZONES; i++) {
    char in[64], want[40];
    date_case c = {NULL, NULL, -1, -1, -1};
    sprintf(in, "2019-11-19 10:00 %s", ZONES[i].zone);
    sprintf(want, "2019-11-19T10:00%s", ZONES[i].offset);
    c.in = in;
    c.want = want;
    run_case(&c);
  }
  for (i = 0; i < sizeof NO_DATE / sizeof *NO_DATE; i++) {
    date_case c = {NULL, "", -1, -1, -1};
    c.in = NO_DATE[i];
    run_case(&c);
  }
}

/* Every month name the finder knows, by month (January first), each tried
 * as "5 <name> 2019". */
static const char *const MONTH_NAMES[12] = {
  "ene enero gen gennaio jan janeiro januar januari january janv janvier "
  "jänner янв январь января",
  "feb febbraio febr febrero februar februari february fev fevereiro fevr "
  "fevrier févr février фев февраль февраля",
  "maart maerz mar march marco maret mars marzo março mrt mär märz март "
  "марта",
  "abr abril apr april aprile avr avril апр апрель апреля",
  "mag maggio mai maio may mayo mei май мая",
  "giu giugno juin jun june junho juni junio июнь июня",
  "juil juillet jul julho juli julio july lug luglio июль июля",
  "ago agosto agt agu agustus aout août aug august augustus авг август "
  "августа",
  "sep sept september septembre septiembre set setembro setiembre settembre "
  "сен сент сентябрь сентября",
  "oct october octobre octubre okt oktober ott ottobre out outubro окт "
  "октябрь октября",
  "nov november novembre novembro noviembre ноя ноябрь ноября",
  "dec december decembre des desember dez dezember dezembro dic dicembre "
  "diciembre déc décembre дек декабрь декабря"
};

/* Each known month name is found in a day-first date. */
static void test_month_names(void) {
  int m, names = 0;
  for (m = 1; m <= 12; m++) {
    const char *w = MONTH_NAMES[m - 1];
    while (*w) {
      size_t n = strcspn(w, " ");
      char in[64], want[16], iso[40] = "";
      lp_date d;
      sprintf(in, "5 %.*s 2019", (int)n, w);
      sprintf(want, "2019-%02d-05", m);
      if (lp_date_find(in, strlen(in), 0, &d))
        lp_date_format(&d, iso, sizeof iso);
      check(strcmp(iso, want) == 0, in, "month name", iso, want);
      names++;
      w += n + (w[n] == ' ');
    }
  }
  CHECK_INT("month names tried", names, 148);
}

/* Several dates on one line are found in turn via `from`. */
static void test_from(void) {
  static const char text[] =
    "From 2019-01-01 to 5 March 2020, then Nov. 2, 2021 8:00 pm ET.";
  static const char *const want[] = {
    "2019-01-01", "2020-03-05", "2021-11-02T20:00-04:00"
  };
  size_t from = 0, i = 0, n = sizeof text - 1;
  lp_date d;
  char iso[40];
  while (lp_date_find(text, n, from, &d)) {
    lp_date_format(&d, iso, sizeof iso);
    check(i < 3 && strcmp(iso, want[i]) == 0 && d.start >= from, "from-loop",
          "find", iso, i < 3 ? want[i] : "(none)");
    from = d.end;
    i++;
  }
  check(i == 3, "from-loop", "count", i == 3 ? "3" : "other", "3");
  /* starting inside a number must not report its tail */
  check(!lp_date_find("x2019-11-19", 11, 2, &d), "from-mid", "find",
        "found", "(none)");
  /* len cuts the text: nothing may be read past it */
  check(!lp_date_find("2019-11-19", 8, 0, &d), "len-cut", "find", "found",
        "(none)");
  check(!lp_date_find("Nov 19, 2019", 10, 0, &d), "len-cut2", "find",
        "found", "(none)");
}

/* A phrase read against a "now" the page gives. */
typedef struct {
  const char *s, *want;   /* want NULL: no date */
  int clock;              /* now has its time of day */
} against_case;

typedef int (*against_fn)(const char *s, size_t len, const lp_date *now,
                          lp_date *out);

/* Each case read by fn against a "now" of 2024-03-01 (at 01:30 when the
 * case has a clock, else the day alone), checked under label. */
static void run_against(against_fn fn, const char *label,
                        const against_case *cases, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    lp_date now, d;
    char buf[40] = "(none)";
    const char *want = cases[i].want ? cases[i].want : "(none)";
    memset(&now, 0, sizeof now);
    now.year = 2024;
    now.month = 3;
    now.day = 1;
    now.hour = cases[i].clock ? 1 : -1;
    now.minute = cases[i].clock ? 30 : -1;
    now.second = -1;
    now.prec = cases[i].clock ? LOUPE_PREC_MINUTE : LOUPE_PREC_DAY;
    if (fn(cases[i].s, strlen(cases[i].s), &now, &d))
      lp_date_format(&d, buf, sizeof buf);
    check(strcmp(buf, want) == 0, cases[i].s, label, buf, want);
  }
}

/* lp_date_relative: phrases in several languages against a "now" the
 * page gives (2024-03-01 01:30, or the day alone). */
static void test_relative(void) {
  static const against_case cases[] = {
    {"vor 3 Tagen", "2024-02-27", 0},
    {"2 days ago", "2024-02-28", 0},
    {"il y a 1 semaine", "2024-02-23", 0},
    {"hace 2 horas", "2024-02-29", 1},     /* 01:30 less 2 hours */
    {"vor 45 Minuten", "2024-03-01", 1},
    {"3 giorni fa", "2024-02-27", 0},
    {"5 dagen geleden", "2024-02-25", 0},
    {"vor 3 Stunden", NULL, 0},            /* hours need the page's clock */
    {"3 Tage Urlaub", NULL, 0},            /* a number of days, no date */
    {"Kapitel 3 Tag 2", NULL, 0}
  };
  run_against(lp_date_relative, "relative", cases,
              sizeof cases / sizeof *cases);
}

/* lp_date_noyear: a day and month name without a year, against a "now"
 * of 2024-03-01: this year's, or last year's when it would be later. */
static void test_noyear(void) {
  static const against_case cases[] = {
    {"6. Februar", "2024-02-06", 0},
    {"24 ao\xc3\xbbt", "2023-08-24", 0},
    {"Jul 11", "2023-07-11", 0},
    {"posted Feb 29th", "2024-02-29", 0},
    {"14 Gennaio", "2024-01-14", 0},
    {"6 de mayo", "2023-05-06", 0},
    {"1. M\xc3\xa4rz", "2024-03-01", 0},
    {"Mai", NULL, 0},              /* no day */
    {"Top 40 Mai", NULL, 0},       /* a number not a day */
    {"Mai 2019", NULL, 0}          /* no day, and a year: not this reader's */
  };
  run_against(lp_date_noyear, "no year", cases, sizeof cases / sizeof *cases);
}

/* lp_date_format: precisions, zones and truncation, on 2019-03-07
 * 09:05:04. */
static void test_format(void) {
  static const struct {
    const char *name;
    loupe_precision prec;
    int has_tz, tz_minutes;
    size_t cap;
    const char *want;
    int len;              /* the length returned; -1 not checked */
  } F[] = {
    {"fmt-year", LOUPE_PREC_YEAR, 0, 0, 40, "2019", -1},
    {"fmt-month", LOUPE_PREC_MONTH, 0, 0, 40, "2019-03", -1},
    {"fmt-sec", LOUPE_PREC_SECOND, 1, 330, 40, "2019-03-07T09:05:04+05:30",
     25},
    {"fmt-neg", LOUPE_PREC_SECOND, 1, -570, 40, "2019-03-07T09:05:04-09:30",
     -1},
    {"fmt-trunc", LOUPE_PREC_SECOND, 1, -570, 5, "2019", 4}
  };
  size_t i, n;
  for (i = 0; i < sizeof F / sizeof *F; i++) {
    lp_date d;
    char buf[40];
    memset(&d, 0, sizeof d);
    d.year = 2019; d.month = 3; d.day = 7;
    d.hour = 9; d.minute = 5; d.second = 4;
    d.prec = F[i].prec;
    d.has_tz = F[i].has_tz;
    d.tz_minutes = F[i].tz_minutes;
    n = lp_date_format(&d, buf, F[i].cap);
    check(strcmp(buf, F[i].want) == 0 &&
              (F[i].len < 0 || n == (size_t)F[i].len),
          F[i].name, "format", buf, F[i].want);
  }
}

/* Random text from date-ish pieces: spans must stay in bounds and
   formatting must always work (run under ASan to catch over-reads). */
static void test_fuzz(void) {
  static const char *const PIECES[] = {
    "2019", "-", "/", ".", ":", " ", "11", "19", "Nov", "November", "de",
    "\xc2\xa0", "am", "ET", "UTC", "+08:00", "T", "Z", "1er", "th", ",",
    "сентября", "年", "月", "日", "Tuesday", "3", "0", "12", "GMT", "(",
    ")", "\xe2\x80\x94", "\xc3", "\xd0", "pm", "30", "h", "March", "9999"
  };
  unsigned long seed = 12345;
  int round, bad = 0;
  for (round = 0; round < 20000; round++) {
    char text[256], *buf, iso[40];
    size_t n = 0, from = 0;
    lp_date d;
    int k, pieces;
    seed = seed * 1103515245UL + 12345UL;
    pieces = (int)((seed >> 16) % 20);
    for (k = 0; k < pieces; k++) {
      const char *p;
      size_t pl;
      seed = seed * 1103515245UL + 12345UL;
      p = PIECES[(seed >> 16) % (sizeof PIECES / sizeof PIECES[0])];
      pl = strlen(p);
      if (n + pl > sizeof text)
        break;
      memcpy(text + n, p, pl);
      n += pl;
    }
    buf = malloc(n ? n : 1);
    if (!buf)
      break;
    memcpy(buf, text, n);
    while (lp_date_find(buf, n, from, &d)) {
      if (d.start < from || d.end > n || d.start >= d.end ||
          lp_date_format(&d, iso, sizeof iso) < 7) {
        bad++;
        break;
      }
      from = d.end;
    }
    free(buf);
  }
  check(bad == 0, "fuzz", "spans", bad ? "bad spans" : "ok", "ok");
}


/* ---- the page's date among all the dates it shows (datepick.c) ---- */

/* Body paragraphs shared by the invented pages (English, German, French). */
#define EN_BODY \
  "The harbour board voted on Tuesday to close the old ferry pier for " \
  "repairs, after divers found that two of the wooden piles under the " \
  "landing had rotted through during the winter storms this year.\n\n" \
  "Ferries will use the temporary landing at the fish market until the " \
  "work is finished, which the board expects to take about three months " \
  "if the weather allows the crews to work through the spring.\n\n" \
  "Residents who use the morning boat said they were worried about the " \
  "longer walk from the bus stop, and the board promised to add a " \
  "shuttle for older passengers and for those with heavy luggage.\n\n"
#define DE_BODY \
  "Der Gemeinderat hat am Dienstag beschlossen, die alte Turnhalle an " \
  "der Schulstrasse abzureissen und an ihrer Stelle einen Neubau mit " \
  "zwei Hallen und einem kleinen Saal fuer Vereine zu errichten.\n\n" \
  "Die Kosten werden auf rund vier Millionen Euro geschaetzt, von denen " \
  "das Land einen grossen Teil uebernehmen soll, wenn der Antrag der " \
  "Gemeinde noch in diesem Fruehjahr bewilligt wird.\n\n" \
  "Die Vereine muessen waehrend der Bauzeit in die Halle der " \
  "Nachbargemeinde ausweichen, was fuer viele Eltern laengere Wege und " \
  "fruehere Abfahrten am Abend bedeutet, wie der Buergermeister sagte.\n\n"
#define FR_BODY \
  "Le conseil municipal a vote mardi la fermeture de la vieille piscine " \
  "du quartier nord, dont la toiture menace de s'effondrer depuis les " \
  "fortes pluies de cet hiver selon les experts de la ville.\n\n" \
  "Les nageurs du club devront se rendre dans la commune voisine pendant " \
  "les travaux, qui devraient durer au moins un an si les entreprises " \
  "retenues respectent le calendrier prevu par la mairie.\n\n" \
  "Les parents ont demande une navette pour les enfants qui s'entrainent " \
  "le soir, et le maire a promis une reponse avant la fin du mois apres " \
  "une reunion avec les responsables du club.\n\n"

/* Parse page and check its date (NULL: none) and that its rule starts
 * with rule. */
static void check_page(const char *name, const char *page,
                       const char *want, const char *rule) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  const char *got;
  int rc = loupe_parser_new(&p);
  if (rc == LOUPE_OK) rc = loupe_parse(p, page, strlen(page), &a);
  if (rc != LOUPE_OK) {
    check(0, name, "parse", loupe_errstr(rc), "ok");
    loupe_parser_free(p);
    return;
  }
  got = a->date.text ? a->date.text : "(none)";
  check(strcmp(got, want ? want : "(none)") == 0, name, "page date", got,
        want ? want : "(none)");
  if (want)
    check(a->date.rule && strncmp(a->date.rule, rule, strlen(rule)) == 0,
          name, "rule", a->date.rule ? a->date.rule : "(none)", rule);
  loupe_article_free(a);
  loupe_parser_free(p);
}

#define HTML_HEAD(jsonld) \
  "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">" \
  "<title>Neue Turnhalle fuer die Schulstrasse</title>" \
  "<script type=\"application/ld+json\">" jsonld "</script></head><body>" \
  "<header><nav><a href=\"/\">Start</a> <a href=\"/lokal\">Lokal</a>" \
  "</nav></header><main><article><h1>Neue Turnhalle fuer die " \
  "Schulstrasse</h1>"
#define HTML_BODY \
  "<p>Die Gemeinde hat am Montag den Bau einer neuen Turnhalle " \
  "beschlossen, nachdem die alte Halle im Winter wegen Schimmel " \
  "geschlossen werden musste und die Vereine seitdem ausweichen.</p>" \
  "<p>Die Kosten werden auf vier Millionen geschaetzt, ein Drittel " \
  "davon soll aus einem Foerdertopf des Landes kommen, den Rest " \
  "traegt die Gemeinde aus ihren Ruecklagen.</p>" \
  "<p>Bis zur Eroeffnung fahren Busse die Schulklassen in die " \
  "Nachbargemeinde, wo die Halle am Vormittag frei ist.</p>" \
  "</article></main></body></html>"

/* Invented pages and the date each must get (NULL: none), by a rule
 * starting with rule. */
static const struct {
  const char *name, *page, *want, *rule;
} PAGES[] = {
  /* a related-stories list with later dates after the article */
  {"related list",
   "Harbor Gazette\n\n  * Home\n  * Local\n  * Sport\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill | March 12, 2024\n\n" EN_BODY
   "Related Stories\n\n"
   "  * Fish market landing gets new lights March 14, 2024\n"
   "  * Bus timetable changes for the spring March 20, 2024\n"
   "  * Storm damage on the coast road February 27, 2024\n\n"
   "(c) 2024 Harbor Gazette. All rights reserved.\n",
   "2024-03-12", "date-"},
  /* no article date: a copyright year and a list of dated events only */
  {"footer only",
   "Harbor Gazette\n\n  * Home\n  * Local\n\n"
   "Old ferry pier to close for repairs\n\n" EN_BODY
   "More from Local\n\n"
   "  * Fish market landing gets new lights March 14, 2024\n"
   "  * Bus timetable changes for the spring March 20, 2024\n"
   "  * Storm damage on the coast road February 27, 2024\n\n"
   "(c) 2024 Harbor Gazette. All rights reserved.\n",
   NULL, "date-"},
  /* a blog post with comments dated later, each with a time */
  {"comments",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Ver\xc3\xb6" "ffentlicht am 3. Mai 2021 von anna\n\n" DE_BODY
   "4 Kommentare\n\n"
   "Jonas sagt:\n5. Mai 2021 um 10:12\n\n"
   "Endlich passiert dort etwas, die alte Halle war eine Zumutung.\n"
   "Antworten\n\n"
   "Petra sagt:\n7. Mai 2021 um 18:40\n\n"
   "Und wer bezahlt die Busse zur Nachbargemeinde?\nAntworten\n\n"
   "Kurt sagt:\n9. Mai 2021 um 08:05\n\n"
   "Die Kosten sind viel zu hoch geschaetzt.\nAntworten\n",
   "2021-05-03", "date-"},
  /* replies dated in the order written, each later than the post's
   * date above them, between two parts of the page's text: a run of
   * replies, none of which dates the page */
  {"reply run",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n" DE_BODY
   "anna am 3. Mai 2021 in Lokales\n\n"
   "jonas\n5. Mai 2021 um 10:12\nEndlich passiert dort etwas.\n\n"
   "petra\n7. Mai 2021 um 18:40\nUnd wer bezahlt die Busse?\n\n"
   "kurt\n9. Mai 2021 um 08:05\nDie Kosten sind zu hoch.\n\n" DE_BODY,
   "2021-05-03", "date-"},
  /* the same replies above the post's text, under a bare date line */
  {"reply run above",
   "Gartenblog Lindenhof\n\n3. Mai 2021\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "jonas\n5. Mai 2021 um 10:12\nEndlich passiert dort etwas.\n\n"
   "petra\n7. Mai 2021 um 18:40\nUnd wer bezahlt die Busse?\n\n"
   "kurt\n9. Mai 2021 um 08:05\nDie Kosten sind zu hoch.\n\n" DE_BODY,
   "2021-05-03", "date-"},
  /* a day the article reports in the middle of a sentence of its text
   * is the event's, not the article's: no date */
  {"reported event",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Der Gemeinderat wird nach einer langen Debatte im alten Rathaus "
   "am 12. Mai 2024 "
   "ueber den Antrag der Vereine abstimmen, die seit dem Winter in der "
   "Halle der Nachbargemeinde trainieren muessen und dafuer weite Wege "
   "in Kauf nehmen.\n\n" DE_BODY,
   NULL, "date-"},
  /* ... but a date at the end of the lead, after its last sentence, is
   * the page's */
  {"date after the lead",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Der Gemeinderat hat nach langer Debatte im Rathaus den Antrag der "
   "Vereine gebilligt, die seit dem Winter in der Halle der "
   "Nachbargemeinde trainieren und dafuer weite Wege in Kauf "
   "nehmen.Montag, 13. Mai 2024\n\n" DE_BODY,
   "2024-05-13", "date-"},
  /* "Artikel vom" names the page's own piece: a publication cue, not
   * the "vom" that opens a span */
  {"article of",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n" DE_BODY
   "Artikel vom 31.10.23\n\nAnna Berg | 22.11.22\n\n" DE_BODY,
   "2023-10-31", "date-"},
  /* a picture's credit under the headline dates the picture */
  {"picture credit",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Die alte Halle im Winter (Foto: Anna Berg, 16.01.2022)\n\n" DE_BODY,
   NULL, "date-"},
  /* a relative date under the headline, read against the day's date
   * the site shows at its top */
  {"relative",
   "Harbor Gazette\n\nMonday, November 18, 2019\n\n"
   "  * Home\n  * Local\n  * Sport\n  * Weather\n  * Contact\n"
   "  * Archive\n  * Jobs\n  * Events\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill | 2 days ago\n\n" EN_BODY,
   "2019-11-16", "date-"},
  /* a day without its year under the headline takes the year of the
   * day's date the site shows at its top */
  {"no year",
   "Gartenblog Lindenhof\n\nFreitag, 8. M\xc3\xa4rz 2024\n\n"
   "  * Start\n  * Lokal\n  * Sport\n  * Kultur\n  * Wetter\n"
   "  * Kontakt\n  * Archiv\n  * Termine\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Anna Berg, 6. M\xc3\xa4rz\n\n" DE_BODY,
   "2024-03-06", "date-"},
  /* the day's date in a weather box above the headline */
  {"masthead",
   "Harbor Gazette\n\n"
   "Coast Weather November 21, 2019 (This Morning) Fog clears by "
   "noon, light wind from the west\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill\nNovember 19, 2019 at 9:45 am\n\n" EN_BODY,
   "2019-11-19T09:45", "date-"},
  /* the byline glued to the date by the page */
  {"glued byline",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n"
   "Gazette Staff November 20, 2019 13:42\n\n" EN_BODY,
   "2019-11-20T13:42", "date-"},
  /* a WordPress meta line: date, comment count, category and author */
  {"wordpress meta",
   "Pier Notes\n\n"
   "Old ferry pier to close for repairs\n\n"
   "October 12, 2018/0 Comments/in Harbour /by admin\n\n" EN_BODY,
   "2018-10-12", "date-"},
  /* an English page whose dates carry GMT reads 02/11/2023 day first;
   * one with an American zone, month first */
  {"english gmt",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill | 02/11/2023 02:00pm GMT\n\n" EN_BODY,
   "2023-11-02T14:00Z", "date-"},
  {"english et",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill | 02/11/2023 02:00pm EST\n\n" EN_BODY,
   "2023-02-11T14:00-05:00", "date-"},
  /* published and updated on one line: the date after "Updated" is the
   * update's, the one after "Published" the article's */
  {"published updated",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill\n"
   "Published: 09:10, 14 March 2024 | Updated: 17:45, 16 March "
   "2024\n\n" EN_BODY,
   "2024-03-14T09:10", "date-"},
  {"published updated us",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n"
   "By Mara Quill | Harbor Gazette\n"
   "UPDATED: March 15, 2024 at 6:05 a.m. | PUBLISHED: March 14, "
   "2024 at 11:30 p.m.\n\n" EN_BODY,
   "2024-03-14T23:30", "date-"},
  /* an embedded post's signature in the body is the post's date; the
   * article shows none */
  {"embedded post",
   "Harbor Gazette\n\n"
   "Old ferry pier to close for repairs\n\n" EN_BODY
   "Pier closed at last, the gulls are happy\n"
   "\xe2\x80\x94 Harbor Watch (@harbor_watch) March 11, 2024\n\n"
   "A post shared by Quay Cafe (@quaycafe) on Mar 9, 2024 at "
   "8:15am PST\n\n" EN_BODY,
   NULL, "date-"},
  /* the day's date with its weekday in a top bar, later than the
   * article's date under the headline */
  {"weekday top bar",
   "Gartenblog Lindenhof\n\nMittwoch, 6. M\xc3\xa4rz 2024\n\n"
   "  * Start\n  * Lokal\n  * Sport\n  * Kultur\n  * Wetter\n"
   "  * Kontakt\n  * Archiv\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n"
   "Von Anna Berg, 4. M\xc3\xa4rz 2024\n\n" DE_BODY,
   "2024-03-04", "date-"},
  /* the page's own "Erscheinungsdatum" under the body, in a run of other
   * stories' dates, is still the article's */
  {"cued in a list",
   "Gartenblog Lindenhof\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n" DE_BODY
   "Erscheinungsdatum: 07.02.2024\n"
   "Weitere Meldungen\n"
   "Busse fahren ab Montag anders 02.02.2024\n"
   "Markt zieht auf den Kirchplatz 04.02.2024\n"
   "Neuer Kindergarten eroeffnet 01.02.2024\n",
   "2024-02-07", "date-"},
  /* a blog's month heading over the post whose day is written below */
  {"month echo",
   "Gartenblog Lindenhof\n\nM\xc3\xa4rz 2024\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n" DE_BODY
   "Verfasst von anna | 21. M\xc3\xa4rz 2024\n\n",
   "2024-03-21", "date-"},
  /* a week's span before the headline is a period, not the post's day */
  {"range",
   "Gartenblog Lindenhof\n\n"
   "Wochenbericht 11. M\xc3\xa4rz 2024 - 17. M\xc3\xa4rz 2024\n\n"
   "Neue Turnhalle fuer die Schulstrasse\n\n" DE_BODY,
   NULL, "date-"},
  /* a French page writes 02/11/23 day first */
  {"french numeric",
   "Le Courrier du Nord\n\n"
   "La piscine du quartier nord va fermer\n\n"
   "Publi\xc3\xa9 le 02/11/23 \xc3\xa0 16h33\n\n" FR_BODY,
   "2023-11-02T16:33", "date-"},
  /* HTML: the metadata's publication date against the date the page shows */
  /* shown: the modification's day, the day after the publication: the
   * page presents itself as of that change */
  {"shown modification",
   HTML_HEAD("{\"@type\":\"NewsArticle\","
             "\"datePublished\":\"2024-03-14T18:19+01:00\","
             "\"dateModified\":\"2024-03-15T09:30+01:00\"}")
   "<p class=\"meta\">15.03.2024, 09:30 Uhr</p>" HTML_BODY,
   "2024-03-15T09:30", "date-"},
  /* days apart, the shown date the modification's: a <time> of the page
   * naming the publication's day decides for it */
  {"time decides",
   HTML_HEAD("{\"@type\":\"NewsArticle\","
             "\"datePublished\":\"2024-03-01T10:00+01:00\","
             "\"dateModified\":\"2024-03-15T09:30+01:00\"}")
   "<p class=\"meta\">15.03.2024 <time datetime=\""
   "2024-03-01T10:00+01:00\">Erstfassung</time></p>" HTML_BODY,
   "2024-03-01T10:00+01:00", "jsonld:"},
  /* a publication time without a zone is the publisher's clock: the
   * next day shown is no time-zone shift, the metadata wins */
  {"no zone",
   HTML_HEAD("{\"@type\":\"NewsArticle\","
             "\"datePublished\":\"2024-03-14T23:10:00\"}")
   "<p class=\"meta\">Freitag, 15. M\xc3\xa4rz 2024</p>"
   HTML_BODY,
   "2024-03-14T23:10:00", "jsonld:"},
  /* two publication days in the metadata, one of them shown: the shown
   * one settles which */
  {"split metadata",
   "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">"
   "<meta property=\"article:published_time\" "
   "content=\"2024-03-14T08:00:00+01:00\">"
   "<title>Neue Turnhalle fuer die Schulstrasse</title>"
   "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
   "\"datePublished\":\"2024-03-11T07:00:00+01:00\"}</script></head>"
   "<body><main><article><h1>Neue Turnhalle fuer die Schulstrasse</h1>"
   "<p class=\"meta\">14.03.2024</p>" HTML_BODY,
   "2024-03-14T08:00:00+01:00", "meta:article:published_time"},
  /* no date shown and no metadata but the page's script state, which
   * names one publication day */
  {"script state",
   "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">"
   "<title>Neue Turnhalle fuer die Schulstrasse</title>"
   "<script>window.__STATE__ = {\"story\": {\"id\": 77, "
   "\"publishedDate\": \"2024-03-14T10:05:00Z\"}};</script></head>"
   "<body><main><article><h1>Neue Turnhalle fuer die Schulstrasse</h1>"
   HTML_BODY,
   "2024-03-14T10:05:00Z", "script:"},
  /* a <time> in a comment votes for no day of the page's: the metadata's
   * publication stands against the comment's date shown */
  {"time in a comment",
   HTML_HEAD("{\"@type\":\"NewsArticle\","
             "\"datePublished\":\"2012-06-30T10:00:00+02:00\"}")
   "<p>Die Gemeinde hat am Montag den Bau einer neuen Turnhalle "
   "beschlossen, nachdem die alte Halle im Winter wegen Schimmel "
   "geschlossen werden musste und die Vereine seitdem ausweichen.</p>"
   "</article><div class=\"comments\"><p>jonas</p><p><time datetime=\""
   "2014-01-15T23:36\">15. Januar 2014 um 23:36</time></p>"
   "<p>Schoen, dass es endlich losgeht.</p></div></main></body></html>",
   "2012-06-30T10:00:00+02:00", "jsonld:"},
  /* no date shown, no metadata: the hAtom microformat's title */
  {"hatom",
   "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">"
   "<title>Neue Turnhalle fuer die Schulstrasse</title></head>"
   "<body><main><article><h1>Neue Turnhalle fuer die Schulstrasse</h1>"
   "<span class=\"entry-meta updated\" title=\"2013-04-04T18:52:11+00:00\">"
   "</span>" HTML_BODY,
   "2013-04-04T18:52:11Z", "hatom:"},
  /* ... but not when the script lists several stories' days */
  {"script list",
   "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">"
   "<title>Neue Turnhalle fuer die Schulstrasse</title>"
   "<script>window.__STATE__ = {\"teasers\": ["
   "{\"publishedDate\": \"2024-03-14T10:05:00Z\"}, "
   "{\"publishedDate\": \"2024-03-12T09:00:00Z\"}]};</script></head>"
   "<body><main><article><h1>Neue Turnhalle fuer die Schulstrasse</h1>"
   HTML_BODY,
   NULL, "date-"},
  /* ... unless a <time> gives the same clock in UTC: then the evening
   * shown west of Greenwich is the page's day */
  {"zone from time",
   HTML_HEAD("{\"@type\":\"NewsArticle\","
             "\"datePublished\":\"2024-03-15T02:24:00\"}")
   "<p class=\"meta\"><time datetime=\"2024-03-15T02:24:00Z\">"
   "March 14, 2024 9:24 PM ET</time></p>" HTML_BODY,
   "2024-03-14T21:24-04:00", "date-"}
};

/* Each invented page gets its date. */
static void test_pages(void) {
  size_t i;
  for (i = 0; i < sizeof PAGES / sizeof *PAGES; i++)
    check_page(PAGES[i].name, PAGES[i].page, PAGES[i].want, PAGES[i].rule);
}

int main(void) {
  static const check_test tests[] = {test_cases, test_month_names, test_from,
    test_format, test_relative, test_noyear, test_fuzz, test_pages};
  return check_run("test_dates", tests, sizeof tests / sizeof *tests);
}
