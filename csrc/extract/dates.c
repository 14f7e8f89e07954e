/*
 * dates.c - date finder for scraped news text: ISO and numeric dates, month
 * names in English and nine other languages, CJK dates, attached times
 * (24 h, am/pm, "10.03 GMT"), zone names and offsets, and an ISO 8601
 * writer. Scans only at digits, so prose without numbers costs one pass.
 */
#include "datelex.h"

#include <string.h>

/* If one of the words in list, followed by space, is at p, return the
   position after that space; else p. */
static size_t skip_conn(const uch *u, size_t len, size_t p,
                        const char *const *list) {
  size_t e, w;
  if (p >= len || is_digit(u[p]) || u[p] <= ' ')
    return p;
  for (; *list; list++) {
    e = match_lit(u, len, p, *list);
    if (e && (w = skip_ws(u, len, e, 3)) > e)
      return w;
  }
  return p;
}

static const char *const CONN_DAY[] = {"de", "of", NULL};
static const char *const CONN_YEAR[] = {"de", "del", NULL};
static const char *const CONN_DATE[] = {
  "on", "le", "am", "el", "il", "op", "pada", "tanggal", NULL
};
static const char *const CONN_TIME[] = {
  "at", "um", "om", "alle", "ore", "às", "à", "a las", "a la", "las",
  "pukul", "kl.", "kl", "klo", "@", "в", NULL
};

/* Skip an English or French ordinal suffix (st nd rd th er, or º) after a
   day number at p; returns the position after it. */
static size_t skip_suffix(const uch *u, size_t len, size_t p) {
  static const char *const SUF[] = {"st", "nd", "rd", "th", "er", "e"};
  size_t i, e;
  if (p + 1 >= len)
    return p;
  if (u[p] == 0xC2 && (u[p + 1] == 0xBA || u[p + 1] == 0xB0))
    return p + 2;
  if (!is_alpha(u[p]))
    return p;
  for (i = 0; i < COUNT(SUF); i++)
    if ((e = match_lit(u, len, p, SUF[i])) != 0)
      return e;
  return p;
}

/* Skip up to max separator units between a date and a time (spaces, comma,
   hyphen, bar, en/em dash, bullets). */
static size_t skip_seps(const uch *u, size_t len, size_t p, int max) {
  size_t k;
  while (max-- > 0 && p < len) {
    if ((k = ws_at(u, len, p)) != 0)
      p += k;
    else if (u[p] == ',' || u[p] == '-' || u[p] == '|' || u[p] == ';' ||
             (u[p] == '/' && p > 0 && u[p - 1] == ' '))
      p++;
    else if (u[p] == 0xC2 && p + 1 < len && u[p + 1] == 0xB7)
      p += 2;
    else if (u[p] == 0xE2 && p + 2 < len && u[p + 1] == 0x80 &&
             (u[p + 2] == 0x93 || u[p + 2] == 0x94 || u[p + 2] == 0xA2))
      p += 3;
    else
      break;
  }
  return p;
}

/* ---- date bodies ------------------------------------------------------- */

/* Whether a digit at i may start a number: not glued to a letter or digit,
   nor following "<digit>." "<digit>:" "<digit>/" "<digit>,". */
static int digit_start_ok(const uch *u, size_t i) {
  uch c;
  if (i == 0)
    return 1;
  c = u[i - 1];
  if (is_alnum(c))
    return 0;
  if ((c == '.' || c == ':' || c == '/' || c == ',') && i >= 2 &&
      is_digit(u[i - 2]))
    return 0;
  return 1;
}

/* Whether the 3-byte CJK/Hangul mark at p is the year (0), month (1) or day
   (2) mark given by which. */
static int cjk_mark(const uch *u, size_t len, size_t p, int which) {
  static const uch MARK[3][2][3] = {
    {{0xE5, 0xB9, 0xB4}, {0xEB, 0x85, 0x84}},   /* 年 년 */
    {{0xE6, 0x9C, 0x88}, {0xEC, 0x9B, 0x94}},   /* 月 월 */
    {{0xE6, 0x97, 0xA5}, {0xEC, 0x9D, 0xBC}}    /* 日 일 */
  };
  if (p + 3 > len)
    return 0;
  return memcmp(u + p, MARK[which][0], 3) == 0 ||
         memcmp(u + p, MARK[which][1], 3) == 0;
}

/* After spaces at q, a 1-2 digit number (*v), spaces and the CJK/Hangul
   mark `which` ("11月", "19 일"). Returns the offset after the mark, or 0
   (a mark ends at 3 or later, so 0 is never a real end). */
static size_t read_num_mark(const uch *u, size_t len, size_t q, int which,
                            int *v) {
  int n;
  q = skip_ws(u, len, q, 1);
  n = read_num(u, len, q, 2, v);
  if (!n)
    return 0;
  q = skip_ws(u, len, q + (size_t)n, 1);
  return cjk_mark(u, len, q, which) ? q + 3 : 0;
}

/* Fill b with a day-precision body and check it; returns validity. */
static int set_day(lp_body *b, int y, int m, int d, size_t start, size_t end,
                   int kind) {
  b->y = y;
  b->m = m;
  b->d = d;
  b->prec = LOUPE_PREC_DAY;
  b->start = start;
  b->end = end;
  b->kind = kind;
  b->ord = 0;
  b->glued = 0;
  return lp_dl_valid_ymd(y, m, d);
}

/* Whether a year ending at p is properly ended (no letter or digit glued
   on). */
static int year_end_ok(const uch *u, size_t len, size_t p) {
  if (p + 1 < len && u[p] >= 'A' && u[p] <= 'Z' &&
      ((u[p + 1] >= 'a' && u[p + 1] <= 'z') || u[p + 1] >= 0x80))
    return 1;   /* a capitalised word glued on: "2021Dezember", "2018By" */
  return p >= len || !is_alnum(u[p]);
}

/*
 * A 4-digit year at q; also one the page glued to the hour that follows
 * ("Nov 20 20194:29 AM", "19.10.1912:48" read with a 2-digit year is the
 * caller's case). Returns the year's end (the time then starts there:
 * *glued is set) or 0.
 */
static size_t read_year(const uch *u, size_t len, size_t q, int *y,
                        int *glued) {
  int v, n;
  size_t e;
  *glued = 0;
  if (read_num(u, len, q, 4, &v) == 4 && year_end_ok(u, len, q + 4)) {
    *y = v;
    return q + 4;
  }
  e = q;
  while (e < len && is_digit(u[e]) && e - q < 7)
    e++;
  n = (int)(e - q);
  if ((n == 5 || n == 6) && e + 2 < len && u[e] == ':' &&
      is_digit(u[e + 1]) && is_digit(u[e + 2])) {
    *y = (u[q] - '0') * 1000 + (u[q + 1] - '0') * 100 + (u[q + 2] - '0') * 10 +
         (u[q + 3] - '0');
    *glued = 1;
    return q + 4;
  }
  return 0;
}

/*
 * Year-first body at p, where a 4-digit year y stands: "2024-04-16",
 * "2019/11/19", "2016.12.01", "2019年11月19日", "2019년 11월 19일".
 */
static int parse_year_first(const uch *u, size_t len, size_t p, int y,
                            lp_body *b) {
  size_t q = p + 4, r, e;
  int m, d, n;
  uch sep;
  if (q + 2 < len && u[q] == '.' && u[q + 1] == ' ' && is_digit(u[q + 2])) {
    /* "2020. 08. 18." (Hungarian) */
    n = read_num(u, len, q + 2, 2, &m);
    r = q + 2 + (size_t)n;
    if (!n || r + 2 >= len || u[r] != '.' || u[r + 1] != ' ')
      return 0;
    n = read_num(u, len, r + 2, 2, &d);
    e = r + 2 + (size_t)n;
    if (!n || (e < len && is_alnum(u[e])))
      return 0;
    if (e < len && u[e] == '.')
      e++;
    return set_day(b, y, m, d, p, e, K_ISO);
  }
  if (q + 1 < len && (u[q] == '-' || u[q] == '/' || u[q] == '.')) {
    sep = u[q];
    n = read_num(u, len, q + 1, 2, &m);
    r = q + 1 + (size_t)n;
    if (!n || r + 1 >= len || u[r] != sep)
      return 0;
    n = read_num(u, len, r + 1, 2, &d);
    if (!n)
      return 0;
    e = r + 1 + (size_t)n;
    if (e < len) {
      if (u[e] == sep && e + 1 < len && is_digit(u[e + 1]))
        return 0;
      if (is_alpha(u[e]) && !(u[e] == 'T' && e + 1 < len &&
                              is_digit(u[e + 1])))
        return 0;
    }
    return set_day(b, y, m, d, p, e, K_ISO);
  }
  q = skip_ws(u, len, q, 1);
  if (!cjk_mark(u, len, q, 0))
    return 0;
  q = read_num_mark(u, len, q + 3, 1, &m);
  if (!q)
    return 0;
  q = read_num_mark(u, len, q, 2, &d);
  if (!q)
    return 0;
  return set_day(b, y, m, d, p, q, K_CJK);
}

/*
 * All-numeric day/month body at p: n1 (1-2 digits, ending at q), then the
 * separator at q. Dot or dash: day.month.year unless the middle number is
 * over 12. Slash: month/day/year unless the first is over 12. Slash takes
 * 2-digit years (00-69 -> 20xx, 70-99 -> 19xx), and so does the German
 * short form with two digits in each part, "28.09.19" (not "8.5.12",
 * which reads as a version).
 */
/* Is the word before p (spaces skipped) one that numbers a version
   ("version 8.5.12", "v 2.1.19")? Reads back to the start of u at most. */
static int version_before(const uch *u, size_t p) {
  static const char *const W[] = {"version", "ver", "v", "release",
                                  "firmware", "build", "update", "ios",
                                  "android", NULL};
  size_t e = p, a, i;
  while (e > 0 && u[e - 1] == ' ')
    e--;
  if (e > 0 && u[e - 1] == '.')
    e--;
  a = e;
  while (a > 0 && is_alpha(u[a - 1]))
    a--;
  for (i = 0; W[i]; i++)
    if (strlen(W[i]) == e - a && match_lit(u, e, a, W[i]) == e)
      return 1;
  return 0;
}

static int parse_dmy(const uch *u, size_t len, size_t p, int n1, size_t q,
                     lp_body *b) {
  uch sep = u[q];
  int n2, y, n, glued = 0;
  size_t r, e;
  n = read_num(u, len, q + 1, 2, &n2);
  r = q + 1 + (size_t)n;
  if (!n || r + 1 >= len || u[r] != sep)
    return 0;
  n = read_num(u, len, r + 1, 4, &y);
  e = r + 1 + (size_t)n;
  if (n == 4 && sep != '-' && e + 2 < len && u[e] == ':' &&
      is_digit(u[e + 1]) && is_digit(u[e + 2]) && y % 100 <= 23) {
    /* "19.10.1912:48": a 2-digit year glued to the hour */
    y /= 100;
    n = 2;
    glued = 1;
  }
  if (n == 2 && (sep == '/' || (sep == '.' && n2 <= 12 && n1 <= 31 &&
                                 !version_before(u, p))))
    y += y < 70 ? 2000 : 1900;
  else if (n != 4)
    return 0;
  e = r + 1 + (size_t)n;
  if (glued) {
    int ok = sep == '/' ? set_day(b, y, n1, n2, p, e, K_NUM)
                        : set_day(b, y, n2, n1, p, e, K_NUM);
    b->glued = 1;
    return ok;
  }
  if (e < len && ((is_alpha(u[e]) && !year_end_ok(u, len, e)) ||
                  (u[e] == sep && e + 1 < len && is_digit(u[e + 1]))))
    return 0;   /* "26.01.2022Strava": a capitalised word glued on is fine */
  if (sep == '/') {
    int ok;
    if (n1 > 12) {
      ok = set_day(b, y, n2, n1, p, e, K_NUM);
      b->ord = LP_ORD_DM_PROOF;
      return ok;
    }
    ok = set_day(b, y, n1, n2, p, e, K_NUM);
    b->ord = n2 > 12 ? LP_ORD_MD_PROOF : LP_ORD_MD_GUESS;
    return ok;
  }
  if (n2 > 12)
    return set_day(b, y, n1, n2, p, e, K_NUM);
  return set_day(b, y, n2, n1, p, e, K_NUM);
}

/* After an optional mark (a dot or comma) at q, one to three space units:
   the offset after them, or 0 when no space follows. */
static size_t mark_then_ws(const uch *u, size_t len, size_t q, uch mark) {
  size_t r;
  if (q < len && u[q] == mark)
    q++;
  r = skip_ws(u, len, q, 3);
  return r == q ? 0 : r;
}

/* The year at q ends a date with a month name, day d of month m, that
   starts at p and was written in order ord (LP_ORD_NAME_*): fill b;
   returns validity (0 also when no year stands at q). */
static int name_day_year(const uch *u, size_t len, size_t q, int m, int d,
                         size_t p, int ord, lp_body *b) {
  int y, glued;
  size_t r = read_year(u, len, q, &y, &glued);
  if (!r || !set_day(b, y, m, d, p, r, K_NAME))
    return 0;
  b->glued = glued;
  b->ord = ord;
  return 1;
}

/*
 * Day-first body with a month name: day at p ending at q, then an optional
 * ordinal suffix or German dot, space (or "de"/"of"), month name, optional
 * dot/comma, space (or "de"), 4-digit year: "19 November 2019",
 * "1er mars 2019", "12. März 2019", "22 de outubro de 2010",
 * "24 сентября 2018". Also "19-Nov-2019" / "19/Nov/2019".
 */
static int parse_day_name(const uch *u, size_t len, size_t p, int day,
                          size_t q, lp_body *b) {
  size_t r, s1, we, s2;
  int m, flags, y;
  if (q + 1 < len && (u[q] == '-' || u[q] == '/') &&
      (is_alpha(u[q + 1]) || is_wide_letter(u, len, q + 1))) {
    we = lp_dl_word_end(u, len, q + 1);
    m = lp_dl_month_of(u, q + 1, we, &flags);
    if (!m || we >= len || u[we] != u[q])
      return 0;
    if (read_num(u, len, we + 1, 4, &y) != 4 ||
        !year_end_ok(u, len, we + 5))
      return 0;
    return set_day(b, y, m, day, p, we + 5, K_NAME);
  }
  r = skip_suffix(u, len, q);
  if (r < len && u[r] == '.')
    r++;
  s1 = skip_ws(u, len, r, 3);
  if (s1 == r && !(r > q && u[r - 1] == '.' && r < len &&
                   (is_alpha(u[r]) || is_wide_letter(u, len, r))))
    return 0;
  s1 = skip_conn(u, len, s1, CONN_DAY);
  we = lp_dl_word_end(u, len, s1);
  m = lp_dl_month_of(u, s1, we, &flags);
  if (!m)
    return 0;
  r = we;
  if (r < len && u[r] == '.')
    r++;
  s2 = mark_then_ws(u, len, r, ',');
  if (!s2)
    return 0;
  s2 = skip_conn(u, len, s2, CONN_YEAR);
  return name_day_year(u, len, s2, m, day, p, LP_ORD_NAME_DM, b);
}

/*
 * Month-first body at p, the start of a month name: "Nov. 19, 2019",
 * "November 20th, 2019", "Oktober 27, 2015", or month-year ("March 2019",
 * "marzo de 2019") for names flagged MF_MY, at LOUPE_PREC_MONTH.
 */
static int parse_month_first(const uch *u, size_t len, size_t p, lp_body *b) {
  size_t we = lp_dl_word_end(u, len, p), q, r;
  int flags = 0, m = lp_dl_month_of(u, p, we, &flags), n, v;
  if (!m)
    return 0;
  r = mark_then_ws(u, len, we, '.');
  if (!r)
    return 0;
  n = read_num(u, len, r, 4, &v);
  if (n == 1 || n == 2) {
    r = skip_suffix(u, len, r + (size_t)n);
    q = r;
    if (q < len && u[q] == ',')
      q++;
    q = skip_ws(u, len, q, 3);
    if (q == r)
      return 0;
    return name_day_year(u, len, q, m, v, p, LP_ORD_NAME_MD, b);
  }
  if (!(flags & MF_MY))
    return 0;
  if (n == 0) {
    q = skip_conn(u, len, r, CONN_YEAR);
    if (q == r)
      return 0;
    r = q;
    n = read_num(u, len, r, 4, &v);
  }
  if (n != 4 || !year_end_ok(u, len, r + 4) ||
      (r + 5 < len && (u[r + 4] == '-' || u[r + 4] == '/') &&
       is_digit(u[r + 5])))
    return 0;
  b->y = v;
  b->m = m;
  b->d = 0;
  b->prec = LOUPE_PREC_MONTH;
  b->start = p;
  b->end = r + 4;
  b->kind = K_NAME;
  b->ord = 0;
  b->glued = 0;
  return v >= 1900 && v <= 2099;
}

/* Any body starting with the digit at p (which passed digit_start_ok). */
/* "13. 1. 2020", "2. 11. 2019": day, dot, space, month, dot, space, a
   4-digit year. */
static int parse_dmy_spaced(const uch *u, size_t len, size_t p, int day,
                            size_t q, lp_body *b) {
  int m, y, n = read_num(u, len, q + 2, 2, &m);
  size_t r = q + 2 + (size_t)n;
  if (!n || r + 2 >= len || u[r] != '.' || u[r + 1] != ' ')
    return 0;
  if (read_num(u, len, r + 2, 4, &y) != 4 || !year_end_ok(u, len, r + 6))
    return 0;
  return set_day(b, y, m, day, p, r + 6, K_NUM);
}

static int parse_numeric(const uch *u, size_t len, size_t p, lp_body *b) {
  int n1, nd = read_num(u, len, p, 4, &n1);
  size_t q = p + (size_t)nd;
  if (nd == 4)
    return parse_year_first(u, len, p, n1, b);
  if (nd == 0 || nd == 3)
    return 0;
  if (q + 1 < len && (u[q] == '.' || u[q] == '-' || u[q] == '/') &&
      is_digit(u[q + 1]))
    return parse_dmy(u, len, p, n1, q, b);
  if (q + 2 < len && u[q] == '.' && u[q + 1] == ' ' && is_digit(u[q + 2]) &&
      parse_dmy_spaced(u, len, p, n1, q, b))
    return 1;
  return parse_day_name(u, len, p, n1, q, b);
}

/* Back from k over up to three space units (ws_before), not
   before lo; k itself when none stands there. */
static size_t back_ws(const uch *u, size_t lo, size_t k) {
  size_t w;
  int n;
  for (n = 0; n < 3 && (w = ws_before(u, lo, k)) != 0; n++)
    k -= w;
  return k;
}

/*
 * Start of a month name that ends just before the number at i (after
 * space and an optional dot, or before "de"), not before lo; NOPOS if none.
 */
static size_t month_word_before(const uch *u, size_t lo, size_t i) {
  size_t k = back_ws(u, lo, i), a;
  if (k == i)
    return NOPOS;
  if (k > lo && u[k - 1] == '.')
    k--;
  a = lp_dl_word_start(u, lo, k);
  if (a == k)
    return NOPOS;
  if (k - a == 2 && to_lower(u[a]) == 'd' && to_lower(u[a + 1]) == 'e') {
    k = back_ws(u, lo, a);
    if (k == a)
      return NOPOS;
    a = lp_dl_word_start(u, lo, k);
    if (a == k)
      return NOPOS;
  }
  if (a > 0 && is_alnum(u[a - 1]))
    return NOPOS;
  return a;
}

/* Whether the month name at a follows a day number ("31 November", "1er
   mars", "20th of November"), so it is not a month-year form. */
static int after_day(const uch *u, size_t lo, size_t a) {
  size_t k = back_ws(u, lo, a), s;
  if (k == a)
    return 0;
  s = lp_dl_word_start(u, lo, k);
  if (k - s == 2 && (match_lit(u, k, s, "de") || match_lit(u, k, s, "of"))) {
    k = back_ws(u, lo, s);
    s = lp_dl_word_start(u, lo, k);
  }
  if (k > lo && u[k - 1] == '.')
    k--;
  else if (k - s <= 2 && s < k)
    k = s;
  return k > lo && is_digit(u[k - 1]);
}

/*
 * Start of a weekday name attached before st ("Tuesday 19 ...",
 * "Mon, 18 ...", "Tue. ...", "segunda-feira, ..."), not before lo; st if
 * none.
 */
static size_t weekday_before(const uch *u, size_t lo, size_t st) {
  size_t k = st, w, a;
  int n = 0;
  while (n < 4 && k > lo) {
    if ((w = ws_before(u, lo, k)) != 0)
      k -= w;
    else if (u[k - 1] == ',' || u[k - 1] == '.')
      k--;
    else
      break;
    n++;
  }
  if (n == 0)
    return st;
  a = lp_dl_word_start(u, lo, k);
  if (a == k || !lp_dl_is_weekday(u, a, k))
    return st;
  if (k - a == 5 && a >= lo + 2 && u[a - 1] == '-' &&
      match_lit(u, k, a, "feira")) {
    size_t b = lp_dl_word_start(u, lo, a - 1);
    if (b < a - 1)
      a = b;
  }
  if (a > 0 && is_alnum(u[a - 1]))
    return st;
  return a;
}

/* ---- assembly ---------------------------------------------------------- */

/*
 * Parse a time attached after body b (ISO 'T', or after separators and a
 * connector such as "at"). Returns the end and fills *c, or 0.
 */
static size_t attach_clock(const uch *u, size_t len, const lp_body *b,
                           lp_clock *c) {
  size_t q = b->end, k;
  if (b->prec != LOUPE_PREC_DAY || q >= len)
    return 0;
  if (b->kind == K_ISO && u[q] == 'T')
    return lp_dl_parse_clock(u, len, q + 1, 0, 1, c);
  q = skip_seps(u, len, q, MAX_SEPS);
  k = skip_conn(u, len, q, CONN_TIME);
  if (k >= len || !is_digit(u[k]))
    return 0;
  if (k == b->end && b->kind != K_CJK && !b->glued)
    return 0;
  /* "16h33" and "10.03 GMT" after a month name or a connector ("à") */
  return lp_dl_parse_clock(u, len, k, b->kind == K_NAME || k != q, 0, c);
}

/* Fill *out from body b, clock c (NULL for none) and the match span. */
static int finish(const uch *u, size_t lo, const lp_body *b,
                  const lp_clock *c, size_t start, size_t end, lp_date *out) {
  size_t ws = weekday_before(u, lo, start);
  out->year = b->y;
  out->month = b->m;
  out->day = b->d;
  out->hour = out->minute = out->second = -1;
  out->has_tz = 0;
  out->tz_minutes = 0;
  out->prec = b->prec;
  if (c) {
    out->hour = c->h;
    out->minute = c->mi;
    out->second = c->se;
    out->prec = c->se >= 0 ? LOUPE_PREC_SECOND : LOUPE_PREC_MINUTE;
    if (c->zkind != Z_NONE) {
      out->has_tz = 1;
      out->tz_minutes = c->zoff;
      if (c->zkind == Z_US && lp_dl_us_dst(b->y, b->m, b->d, c->h))
        out->tz_minutes += 60;
    }
  }
  out->start = ws;
  out->end = end;
  out->has_weekday = ws != start;
  out->order = b->ord;
  out->clock = c ? (c->ampm ? 2 : 1) : 0;
  return 1;
}

/* Finish body b, attaching a following time when there is one. */
static int finish_body(const uch *u, size_t len, size_t lo, const lp_body *b,
                       lp_date *out) {
  lp_clock c;
  size_t e = attach_clock(u, len, b, &c);
  if (e)
    return finish(u, lo, b, &c, b->start, e, out);
  return finish(u, lo, b, NULL, b->start, b->end, out);
}

/*
 * Time first, then the date it belongs to: "20:59 UTC+8, 2025-01-17",
 * "11:35 GMT 14.03.2022", "10:30 AM ET on Tuesday, Nov 19, 2019". When the
 * date has its own time, that wins and the leading time is left out of the
 * match.
 */
static int time_first(const uch *u, size_t len, size_t lo, size_t i,
                      lp_date *out) {
  lp_clock c;
  lp_body b;
  size_t q, we, e = lp_dl_parse_clock(u, len, i, 0, 0, &c);
  int ok = 0;
  if (!e)
    return 0;
  q = skip_seps(u, len, e, MAX_SEPS);
  q = skip_conn(u, len, q, CONN_DATE);
  we = lp_dl_word_end(u, len, q);
  if (we > q && lp_dl_is_weekday(u, q, we)) {
    if (we < len && u[we] == '.')
      we++;
    q = skip_seps(u, len, we, MAX_SEPS);
  }
  if (q >= len || q == e)
    return 0;
  if (is_digit(u[q]))
    ok = digit_start_ok(u, q) && parse_numeric(u, len, q, &b);
  else if (!is_alnum(u[q - 1]))
    ok = parse_month_first(u, len, q, &b);
  if (!ok || b.prec != LOUPE_PREC_DAY)
    return 0;
  if (attach_clock(u, len, &b, &c) != 0)
    return finish_body(u, len, lo, &b, out);
  lp_dl_parse_clock(u, len, i, 0, 0, &c);
  return finish(u, lo, &b, &c, i, b.end, out);
}

/* Try every date form that involves the digit run at i. */
static int try_at(const uch *u, size_t len, size_t lo, size_t i,
                  lp_date *out) {
  lp_body b;
  int n, nd = read_num(u, len, i, 4, &n);
  size_t a;
  if (nd == 0 || nd == 3)
    return 0;
  a = month_word_before(u, lo, i);
  if (a != NOPOS && parse_month_first(u, len, a, &b) &&
      (b.prec == LOUPE_PREC_DAY || !after_day(u, lo, a)))
    return finish_body(u, len, lo, &b, out);
  if (nd <= 2 && i + (size_t)nd < len && u[i + (size_t)nd] == ':' &&
      time_first(u, len, lo, i, out))
    return 1;
  if (parse_numeric(u, len, i, &b))
    return finish_body(u, len, lo, &b, out);
  return 0;
}

/* Is the digit at i glued to the end of a word of two or more lower-case
 * letters ("Australia28 October 2020", "Anderson2020-02-20": a byline or
 * an outlet run into the date by the page)? */
static int glued_to_word(const uch *u, size_t lo, size_t i) {
  return i >= lo + 3 && u[i - 1] >= 'a' && u[i - 1] <= 'z' &&
         ((u[i - 2] >= 'a' && u[i - 2] <= 'z') || u[i - 2] >= 0x80) &&
         (is_alpha(u[i - 3]) || u[i - 3] >= 0x80);
}

int lp_date_find(const char *s, size_t len, size_t from, lp_date *out) {
  const uch *u = (const uch *)s;
  size_t i = from;
  if (!s || !out)
    return 0;
  while (i < len) {
    while (i < len && (unsigned)(u[i] - '0') > 9u)
      i++;
    if (i >= len)
      break;
    if (digit_start_ok(u, i) && try_at(u, len, from, i, out))
      return 1;
    /* glued to a word: only a whole date with its day starting here */
    if (glued_to_word(u, from, i) && try_at(u, len, from, i, out) &&
        out->start == i && out->prec >= LOUPE_PREC_DAY)
      return 1;
    while (i < len && is_digit(u[i]))
      i++;
  }
  return 0;
}

long lp_date_days(const lp_date *d) {
  long y = d->year, m = d->month > 0 ? d->month : 1;
  long dd = d->day > 0 ? d->day : 1, era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void lp_date_swap_dm(lp_date *d) {
  int t;
  if (d->order != LP_ORD_MD_GUESS || d->day > 12)
    return;
  t = d->day;
  d->day = d->month;
  d->month = t;
  d->order = LP_ORD_DM_PROOF;
}

/* ---- output ------------------------------------------------------------ */

/* Write v as exactly w digits at p; returns p + w. */
static char *put_num(char *p, int v, int w) {
  int i;
  for (i = w - 1; i >= 0; i--) {
    p[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return p + w;
}

size_t lp_date_format(const lp_date *d, char *buf, size_t cap) {
  char tmp[40], *p = tmp;
  size_t n;
  int off;
  if (!buf || cap == 0)
    return 0;
  if (!d || d->prec == LOUPE_PREC_NONE || d->year < 0 || d->year > 9999) {
    buf[0] = '\0';
    return 0;
  }
  p = put_num(p, d->year, 4);
  if (d->prec >= LOUPE_PREC_MONTH) {
    *p++ = '-';
    p = put_num(p, d->month, 2);
  }
  if (d->prec >= LOUPE_PREC_DAY) {
    *p++ = '-';
    p = put_num(p, d->day, 2);
  }
  if (d->prec >= LOUPE_PREC_MINUTE) {
    *p++ = 'T';
    p = put_num(p, d->hour < 0 ? 0 : d->hour, 2);
    *p++ = ':';
    p = put_num(p, d->minute < 0 ? 0 : d->minute, 2);
    if (d->prec >= LOUPE_PREC_SECOND) {
      *p++ = ':';
      p = put_num(p, d->second < 0 ? 0 : d->second, 2);
    }
    if (d->has_tz) {
      off = d->tz_minutes;
      if (off == 0) {
        *p++ = 'Z';
      } else {
        *p++ = off < 0 ? '-' : '+';
        if (off < 0)
          off = -off;
        p = put_num(p, (off / 60) % 100, 2);
        *p++ = ':';
        p = put_num(p, off % 60, 2);
      }
    }
  }
  n = (size_t)(p - tmp);
  if (n >= cap)
    n = cap - 1;
  memcpy(buf, tmp, n);
  buf[n] = '\0';
  return n;
}
