/*
 * dateclock.c - the calendar (valid days, US daylight time) and the
 * times of day and zones that follow a date ("8:03 am ET", "14h30",
 * "+08:00", "UTC+8", "Beijing time").
 */
#include "datelex.h"

#include <string.h>

typedef struct {
  const char *name;       /* exact upper-case spelling */
  short off;              /* minutes east; standard time for Z_US */
  unsigned char kind;     /* Z_FIXED or Z_US */
} zone_name;

static const zone_name ZONES[] = {
  {"GMT", 0, Z_FIXED}, {"UTC", 0, Z_FIXED}, {"WET", 0, Z_FIXED},
  {"ET", -300, Z_US}, {"CT", -360, Z_US}, {"MT", -420, Z_US},
  {"PT", -480, Z_US},
  {"EST", -300, Z_FIXED}, {"EDT", -240, Z_FIXED},
  {"CST", -360, Z_FIXED}, {"CDT", -300, Z_FIXED},
  {"MST", -420, Z_FIXED}, {"MDT", -360, Z_FIXED},
  {"PST", -480, Z_FIXED}, {"PDT", -420, Z_FIXED},
  {"AKST", -540, Z_FIXED}, {"AKDT", -480, Z_FIXED}, {"HST", -600, Z_FIXED},
  {"BST", 60, Z_FIXED}, {"WEST", 60, Z_FIXED}, {"CET", 60, Z_FIXED},
  {"CEST", 120, Z_FIXED}, {"EET", 120, Z_FIXED}, {"EEST", 180, Z_FIXED},
  {"WAT", 60, Z_FIXED}, {"CAT", 120, Z_FIXED}, {"SAST", 120, Z_FIXED},
  {"EAT", 180, Z_FIXED}, {"MSK", 180, Z_FIXED}, {"PKT", 300, Z_FIXED},
  {"IST", 330, Z_FIXED}, {"ICT", 420, Z_FIXED}, {"WIB", 420, Z_FIXED},
  {"HKT", 480, Z_FIXED}, {"SGT", 480, Z_FIXED}, {"MYT", 480, Z_FIXED},
  {"PHT", 480, Z_FIXED}, {"AWST", 480, Z_FIXED}, {"WITA", 480, Z_FIXED},
  {"JST", 540, Z_FIXED}, {"KST", 540, Z_FIXED}, {"WIT", 540, Z_FIXED},
  {"ACST", 570, Z_FIXED}, {"AEST", 600, Z_FIXED}, {"AEDT", 660, Z_FIXED},
  {"NZST", 720, Z_FIXED}, {"NZDT", 780, Z_FIXED}
};

/* ---- calendar ---------------------------------------------------------- */

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Whether y-m-d is a real day with 1900 <= y <= 2099. */
int lp_dl_valid_ymd(int y, int m, int d) {
  static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
    return 0;
  return d <= DAYS[m - 1] + (m == 2 && is_leap(y));
}

/* Day of week, 0 = Sunday (Sakamoto). */
static int weekday_of(int y, int m, int d) {
  static const int T[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (m < 3)
    y--;
  return (y + y / 4 - y / 100 + y / 400 + T[m - 1] + d) % 7;
}

/* Day of month of the n-th (1-based) Sunday of y-m. */
static int nth_sunday(int y, int m, int n) {
  return 1 + (7 - weekday_of(y, m, 1)) % 7 + 7 * (n - 1);
}

/*
 * Whether local time y-m-d h:00 falls in US daylight time: from 02:00 on
 * the second Sunday of March to 02:00 on the first Sunday of November
 * (2007 on); first Sunday of April to last Sunday of October before 2007.
 */
int lp_dl_us_dst(int y, int m, int d, int h) {
  int sm, sd, em, ed, a, z, t;
  if (y >= 2007) {
    sm = 3; sd = nth_sunday(y, 3, 2);
    em = 11; ed = nth_sunday(y, 11, 1);
  } else {
    sm = 4; sd = nth_sunday(y, 4, 1);
    em = 10; ed = 31 - weekday_of(y, 10, 31);
  }
  t = (m * 32 + d) * 24 + h;
  a = (sm * 32 + sd) * 24 + 2;
  z = (em * 32 + ed) * 24 + 2;
  return t >= a && t < z;
}

/* ---- times and zones --------------------------------------------------- */

/*
 * Parse a signed offset at p ('+' or '-' then hh, h, hh:mm, h:mm or hhmm).
 * min2: require at least two hour digits. Returns the end and sets *off
 * (minutes east), or 0.
 */
static size_t parse_offset(const uch *u, size_t len, size_t p, int min2,
                           int *off) {
  int sign, h, mi = 0, n, n2;
  size_t q;
  if (p >= len || (u[p] != '+' && u[p] != '-'))
    return 0;
  sign = u[p] == '-' ? -1 : 1;
  q = p + 1;
  n = read_num(u, len, q, 4, &h);
  if (n == 4) {
    mi = h % 100;
    h /= 100;
  } else if (n == 0 || n == 3 || (min2 && n < 2)) {
    return 0;
  }
  q += (size_t)n;
  if (n <= 2 && q + 1 < len && u[q] == ':' && is_digit(u[q + 1])) {
    n2 = read_num(u, len, q + 1, 2, &mi);
    if (n2 != 2)
      return 0;
    q += 3;
  }
  if (h > 14 || mi > 59)
    return 0;
  *off = sign * (h * 60 + mi);
  return q;
}

/*
 * Parse a zone at p, right after a time: "Z" glued on, or after optional
 * space an offset ("+08:00", "+0800", "-05:00"), "UTC"/"GMT" with optional
 * offset ("UTC+8"), an upper-case zone name ("ET", "BST", ...) or
 * "Beijing time", optionally in parentheses.
 *   glued_ok: accept an offset with no space before it.
 * Returns the end and sets c->zkind/zoff, or 0 when there is no zone.
 */
static size_t parse_zone(const uch *u, size_t len, size_t p, int glued_ok,
                         lp_clock *c) {
  size_t q, e, we, i;
  int paren = 0, off = 0, kind = Z_FIXED, found = 0;
  if (p < len && u[p] == 'Z' && (p + 1 >= len || !is_alnum(u[p + 1]))) {
    c->zkind = Z_FIXED;
    c->zoff = 0;
    return p + 1;
  }
  q = skip_ws(u, len, p, 2);
  if (q < len && u[q] == '(') {
    paren = 1;
    q++;
  }
  if (q < len && (u[q] == '+' || u[q] == '-')) {
    if (q == p && !glued_ok)
      return 0;
    e = parse_offset(u, len, q, 1, &off);
    if (!e || (e < len && is_digit(u[e])))
      return 0;
    found = 1;
  } else {
    we = q;
    while (we < len && is_alpha(u[we]) && we - q < 8)
      we++;
    if (we == q || (we < len && is_alnum(u[we])))
      return 0;
    e = we;
    if ((we - q == 3) &&
        (match_lit(u, len, q, "utc") || match_lit(u, len, q, "gmt"))) {
      found = 1;
      if (we < len && (u[we] == '+' || u[we] == '-')) {
        size_t oe = parse_offset(u, len, we, 0, &off);
        if (oe && !(oe < len && is_digit(u[oe])))
          e = oe;
      }
    } else if ((e = match_lit(u, len, q, "beijing time")) != 0) {
      off = 480;
      found = 1;
    } else {
      e = we;
      for (i = 0; i < COUNT(ZONES); i++) {
        size_t n = strlen(ZONES[i].name);
        if (n == we - q && memcmp(ZONES[i].name, u + q, n) == 0) {
          off = ZONES[i].off;
          kind = ZONES[i].kind;
          found = 1;
          break;
        }
      }
    }
  }
  if (!found)
    return 0;
  if (paren) {
    if (e >= len || u[e] != ')')
      return 0;
    e++;
  }
  c->zkind = kind;
  c->zoff = off;
  return e;
}

/* If "am", "pm", "a.m." or "p.m." (any case) is at p, return its end and
   set *pm; else 0. */
static size_t match_ampm(const uch *u, size_t len, size_t p, int *pm) {
  size_t q = p;
  int dotted = 0, c;
  if (q >= len)
    return 0;
  c = to_lower(u[q]);
  if (c != 'a' && c != 'p')
    return 0;
  *pm = c == 'p';
  q++;
  if (q < len && u[q] == '.') {
    dotted = 1;
    q++;
  }
  if (q >= len || to_lower(u[q]) != 'm')
    return 0;
  q++;
  if (dotted && q < len && u[q] == '.')
    q++;
  if (q < len && is_alpha(u[q]))
    return 0;
  return q;
}

/*
 * Parse a time at p: h:mm, h:mm:ss with optional fraction, optional am/pm,
 * optional zone. alt: also accept "10.03" (only with a zone or am/pm) and
 * "14h30". tee: the time follows an ISO 'T' (a glued offset is then fine;
 * it is also fine after seconds). Returns the end and fills *c, or 0.
 */
size_t lp_dl_parse_clock(const uch *u, size_t len, size_t p, int alt,
                         int tee, lp_clock *c) {
  int h, mi, se = -1, n, pm = 0, ampm = 0;
  size_t q = p, e;
  uch sep;
  n = read_num(u, len, q, 2, &h);
  if (!n)
    return 0;
  q += (size_t)n;
  if (q >= len)
    return 0;
  sep = u[q];
  if (sep != ':' && !(alt && (sep == '.' || sep == 'h')))
    return 0;
  q++;
  if (read_num(u, len, q, 2, &mi) != 2)
    return 0;
  q += 2;
  if (sep == ':' && q + 2 < len && u[q] == ':' &&
      read_num(u, len, q + 1, 2, &se) == 2) {
    q += 3;
    if (q + 1 < len && (u[q] == '.' || u[q] == ',') && is_digit(u[q + 1])) {
      int k = 0;
      q++;
      while (q < len && is_digit(u[q]) && k++ < 9)
        q++;
      if (q < len && is_digit(u[q]))
        return 0;
    }
  } else {
    se = -1;
  }
  e = match_ampm(u, len, skip_ws(u, len, q, 2), &pm);
  if (e) {
    q = e;
    if (pm && h > 12 && h <= 23) {
      /* "20:26 PM": a 24-hour time with a redundant PM */
    } else if (h < 1 || h > 12) {
      return 0;
    } else {
      ampm = 1;
      h = (h % 12) + (pm ? 12 : 0);
    }
  }
  if (h > 23 || mi > 59 || se > 59)
    return 0;
  c->h = h;
  c->mi = mi;
  c->se = se;
  c->zkind = Z_NONE;
  c->zoff = 0;
  c->ampm = ampm;
  c->start = p;
  e = parse_zone(u, len, q, tee || se >= 0, c);
  if (e)
    q = e;
  else if (sep == '.' && !ampm)
    return 0;
  c->end = q;
  return q;
}

