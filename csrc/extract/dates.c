/*
 * dates.c - date finder for scraped news text: ISO and numeric dates, month
 * names in English and nine other languages, CJK dates, attached times
 * (24 h, am/pm, "10.03 GMT"), zone names and offsets, and an ISO 8601
 * writer. Scans only at digits, so prose without numbers costs one pass.
 */
#include "dates.h"

#include <string.h>

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
} lp_body;

/* A time of day with optional zone. */
typedef struct {
  int h, mi, se;          /* se -1 when absent */
  int zkind, zoff;        /* Z_*; zoff minutes east (standard time for Z_US) */
  size_t start, end;
} lp_clock;

typedef struct {
  const char *w;          /* lower-case UTF-8 */
  unsigned char m;        /* month 1..12 */
  unsigned char f;        /* MF_* */
} month_name;

/* Month names in English, French, German, Spanish, Portuguese, Italian,
   Dutch, Indonesian and Russian (genitive, nominative, short), lower case,
   sorted by bytes for binary search; MF_MY marks full names that may stand
   alone with a year ("mars" is not one: the planet). */
static const month_name MONTHS[] = {
  {"abr", 4, 0}, {"abril", 4, MF_MY}, {"ago", 8, 0}, {"agosto", 8, MF_MY},
  {"agt", 8, 0}, {"agu", 8, 0}, {"agustus", 8, MF_MY}, {"aout", 8, MF_MY},
  {"août", 8, MF_MY}, {"apr", 4, 0}, {"april", 4, MF_MY},
  {"aprile", 4, MF_MY}, {"aug", 8, 0}, {"august", 8, MF_MY},
  {"augustus", 8, MF_MY}, {"avr", 4, 0}, {"avril", 4, MF_MY}, {"dec", 12, 0},
  {"december", 12, MF_MY}, {"decembre", 12, MF_MY}, {"des", 12, 0},
  {"desember", 12, MF_MY}, {"dez", 12, 0}, {"dezember", 12, MF_MY},
  {"dezembro", 12, MF_MY}, {"dic", 12, 0}, {"dicembre", 12, MF_MY},
  {"diciembre", 12, MF_MY}, {"déc", 12, 0}, {"décembre", 12, MF_MY},
  {"ene", 1, 0}, {"enero", 1, MF_MY}, {"feb", 2, 0}, {"febbraio", 2, MF_MY},
  {"febr", 2, 0}, {"febrero", 2, MF_MY}, {"februar", 2, MF_MY},
  {"februari", 2, MF_MY}, {"february", 2, MF_MY}, {"fev", 2, 0},
  {"fevereiro", 2, MF_MY}, {"fevr", 2, 0}, {"fevrier", 2, MF_MY},
  {"févr", 2, 0}, {"février", 2, MF_MY}, {"gen", 1, 0},
  {"gennaio", 1, MF_MY}, {"giu", 6, 0}, {"giugno", 6, MF_MY}, {"jan", 1, 0},
  {"janeiro", 1, MF_MY}, {"januar", 1, MF_MY}, {"januari", 1, MF_MY},
  {"january", 1, MF_MY}, {"janv", 1, 0}, {"janvier", 1, MF_MY},
  {"juil", 7, 0}, {"juillet", 7, MF_MY}, {"juin", 6, MF_MY}, {"jul", 7, 0},
  {"julho", 7, MF_MY}, {"juli", 7, MF_MY}, {"julio", 7, MF_MY},
  {"july", 7, MF_MY}, {"jun", 6, 0}, {"june", 6, MF_MY}, {"junho", 6, MF_MY},
  {"juni", 6, MF_MY}, {"junio", 6, MF_MY}, {"jänner", 1, MF_MY},
  {"lug", 7, 0}, {"luglio", 7, MF_MY}, {"maart", 3, MF_MY},
  {"maerz", 3, MF_MY}, {"mag", 5, 0}, {"maggio", 5, MF_MY},
  {"mai", 5, MF_MY}, {"maio", 5, MF_MY}, {"mar", 3, 0}, {"march", 3, MF_MY},
  {"marco", 3, 0}, {"maret", 3, MF_MY}, {"mars", 3, 0}, {"marzo", 3, MF_MY},
  {"março", 3, MF_MY}, {"may", 5, MF_MY}, {"mayo", 5, MF_MY},
  {"mei", 5, MF_MY}, {"mrt", 3, 0}, {"mär", 3, 0}, {"märz", 3, MF_MY},
  {"nov", 11, 0}, {"november", 11, MF_MY}, {"novembre", 11, MF_MY},
  {"novembro", 11, MF_MY}, {"noviembre", 11, MF_MY}, {"oct", 10, 0},
  {"october", 10, MF_MY}, {"octobre", 10, MF_MY}, {"octubre", 10, MF_MY},
  {"okt", 10, 0}, {"oktober", 10, MF_MY}, {"ott", 10, 0},
  {"ottobre", 10, MF_MY}, {"out", 10, 0}, {"outubro", 10, MF_MY},
  {"sep", 9, 0}, {"sept", 9, 0}, {"september", 9, MF_MY},
  {"septembre", 9, MF_MY}, {"septiembre", 9, MF_MY}, {"set", 9, 0},
  {"setembro", 9, MF_MY}, {"setiembre", 9, MF_MY}, {"settembre", 9, MF_MY},
  {"авг", 8, 0}, {"август", 8, MF_MY}, {"августа", 8, MF_MY}, {"апр", 4, 0},
  {"апрель", 4, MF_MY}, {"апреля", 4, MF_MY}, {"дек", 12, 0},
  {"декабрь", 12, MF_MY}, {"декабря", 12, MF_MY}, {"июль", 7, MF_MY},
  {"июля", 7, MF_MY}, {"июнь", 6, MF_MY}, {"июня", 6, MF_MY},
  {"май", 5, MF_MY}, {"март", 3, MF_MY}, {"марта", 3, MF_MY},
  {"мая", 5, MF_MY}, {"ноя", 11, 0}, {"ноябрь", 11, MF_MY},
  {"ноября", 11, MF_MY}, {"окт", 10, 0}, {"октябрь", 10, MF_MY},
  {"октября", 10, MF_MY}, {"сен", 9, 0}, {"сент", 9, 0},
  {"сентябрь", 9, MF_MY}, {"сентября", 9, MF_MY}, {"фев", 2, 0},
  {"февраль", 2, MF_MY}, {"февраля", 2, MF_MY}, {"янв", 1, 0},
  {"январь", 1, MF_MY}, {"января", 1, MF_MY}
};

/* Weekday names, lower case; only their presence matters. */
static const char *const WEEKDAYS[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
  "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
  "sat", "sun",
  "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
  "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
  "sonnabend", "sonntag",
  "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes",
  "sábado", "sabado", "domingo",
  "segunda", "terça", "terca", "quarta", "quinta", "sexta", "feira",
  "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "lunedi",
  "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica",
  "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
  "zondag",
  "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
  "понедельник", "вторник", "среда", "четверг", "пятница", "суббота",
  "воскресенье"
};

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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- byte classes ------------------------------------------------------ */

static int is_digit(uch c) { return c >= '0' && c <= '9'; }

static int is_alpha(uch c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(uch c) { return is_digit(c) || is_alpha(c); }

static int to_lower(uch c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Bytes of the horizontal-space unit at p (space, tab, NBSP, U+2000-200A,
   U+202F, U+3000); 0 when none. */
static size_t ws_at(const uch *u, size_t len, size_t p) {
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
static size_t ws_before(const uch *u, size_t lo, size_t p) {
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
static size_t skip_ws(const uch *u, size_t len, size_t p, int max) {
  size_t k;
  while (max-- > 0 && (k = ws_at(u, len, p)) != 0)
    p += k;
  return p;
}

/* Whether the two bytes at p are a letter outside ASCII that month and
   weekday names use (Latin-1, Latin Extended-A, Cyrillic). */
static int is_wide_letter(const uch *u, size_t len, size_t p) {
  uch c = u[p];
  if (p + 1 >= len || u[p + 1] < 0x80 || u[p + 1] > 0xBF)
    return 0;
  if (c == 0xC3)
    return u[p + 1] != 0x97 && u[p + 1] != 0xB7;
  return c == 0xC4 || c == 0xC5 || c == 0xD0 || c == 0xD1;
}

/* End of the letter word starting at p; stops after MAX_WORD + 2 bytes so
   an over-long word costs O(1) (callers then reject it as too long). */
static size_t word_end(const uch *u, size_t len, size_t p) {
  size_t q = p;
  while (q < len && q - p <= MAX_WORD) {
    if (is_alpha(u[q]))
      q++;
    else if (u[q] >= 0xC3 && is_wide_letter(u, len, q))
      q += 2;
    else
      break;
  }
  return q;
}

/* Start of the letter word ending at p, not before lo; bounded like
   word_end. Returns p when no letter ends at p. */
static size_t word_start(const uch *u, size_t lo, size_t p) {
  size_t q = p;
  while (q > lo && p - q <= MAX_WORD) {
    if (is_alpha(u[q - 1]))
      q--;
    else if (q - lo >= 2 && u[q - 2] >= 0xC3 && is_wide_letter(u, q, q - 2))
      q -= 2;
    else
      break;
  }
  return q;
}

/*
 * Fold the word u[a,b) to lower case (ASCII, Latin-1 and Cyrillic capitals)
 * into buf[MAX_WORD]. Returns its length, or -1 when empty or too long.
 */
static int fold_word(const uch *u, size_t a, size_t b, char *buf) {
  int n = 0;
  if (b <= a || b - a > MAX_WORD)
    return -1;
  while (a < b) {
    uch c = u[a], c2;
    if (c < 0x80) {
      buf[n++] = (char)to_lower(c);
      a++;
      continue;
    }
    c2 = u[a + 1];
    if (c == 0xC3 && c2 >= 0x80 && c2 <= 0x9E) {
      c2 = (uch)(c2 + 0x20);
    } else if (c == 0xD0) {
      if (c2 >= 0x90 && c2 <= 0x9F) {
        c2 = (uch)(c2 + 0x20);
      } else if (c2 >= 0xA0 && c2 <= 0xAF) {
        c = 0xD1;
        c2 = (uch)(c2 - 0x20);
      } else if (c2 <= 0x8F) {
        c = 0xD1;
        c2 = (uch)(c2 + 0x10);
      }
    }
    buf[n++] = (char)c;
    buf[n++] = (char)c2;
    a += 2;
  }
  return n;
}

/* Order of the NUL-terminated w against buf[0,n), like strcmp (bytes
   compared unsigned). */
static int word_cmp(const char *w, const char *buf, int n) {
  int i;
  for (i = 0; i < n; i++) {
    if (w[i] != buf[i])
      return w[i] == '\0' ? -1 : (uch)w[i] - (uch)buf[i];
  }
  return w[n] != '\0';
}

/* Month (1..12) named by the word u[a,b), 0 when none; *flags gets MF_*.
   Binary search of the sorted MONTHS table. */
static int month_of(const uch *u, size_t a, size_t b, int *flags) {
  char buf[MAX_WORD];
  size_t lo = 0, hi = COUNT(MONTHS), mid;
  int n, c;
  if (b - a < 3)
    return 0;
  n = fold_word(u, a, b, buf);
  if (n < 3)
    return 0;
  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    c = word_cmp(MONTHS[mid].w, buf, n);
    if (c == 0) {
      *flags = MONTHS[mid].f;
      return MONTHS[mid].m;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

/* Whether the word u[a,b) is a weekday name. */
static int is_weekday(const uch *u, size_t a, size_t b) {
  char buf[MAX_WORD];
  size_t i;
  int n = fold_word(u, a, b, buf);
  if (n < 3)
    return 0;
  for (i = 0; i < COUNT(WEEKDAYS); i++)
    if (WEEKDAYS[i][0] == buf[0] && word_cmp(WEEKDAYS[i], buf, n) == 0)
      return 1;
  return 0;
}

/*
 * Read a decimal number of 1..maxd digits at p into *v. Returns the digit
 * count, or 0 when there is no digit or the run is longer than maxd.
 */
static int read_num(const uch *u, size_t len, size_t p, int maxd, int *v) {
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
static size_t match_lit(const uch *u, size_t len, size_t p, const char *lit) {
  size_t i;
  for (i = 0; lit[i]; i++) {
    if (p + i >= len || to_lower(u[p + i]) != (uch)lit[i])
      return 0;
  }
  if (p + i < len && is_alpha(u[p + i]) && is_alpha((uch)lit[i - 1]))
    return 0;
  return p + i;
}

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

/* ---- calendar ---------------------------------------------------------- */

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Whether y-m-d is a real day with 1900 <= y <= 2099. */
static int valid_ymd(int y, int m, int d) {
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
static int us_dst(int y, int m, int d, int h) {
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
static size_t parse_clock(const uch *u, size_t len, size_t p, int alt,
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
    ampm = 1;
    q = e;
    if (h < 1 || h > 12)
      return 0;
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || mi > 59 || se > 59)
    return 0;
  c->h = h;
  c->mi = mi;
  c->se = se;
  c->zkind = Z_NONE;
  c->zoff = 0;
  c->start = p;
  e = parse_zone(u, len, q, tee || se >= 0, c);
  if (e)
    q = e;
  else if (sep == '.' && !ampm)
    return 0;
  c->end = q;
  return q;
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
  return valid_ymd(y, m, d);
}

/* Whether a year ending at p is properly ended (no letter or digit glued
   on). */
static int year_end_ok(const uch *u, size_t len, size_t p) {
  return p >= len || !is_alnum(u[p]);
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
  q = skip_ws(u, len, q + 3, 1);
  n = read_num(u, len, q, 2, &m);
  if (!n)
    return 0;
  q = skip_ws(u, len, q + (size_t)n, 1);
  if (!cjk_mark(u, len, q, 1))
    return 0;
  q = skip_ws(u, len, q + 3, 1);
  n = read_num(u, len, q, 2, &d);
  if (!n)
    return 0;
  q = skip_ws(u, len, q + (size_t)n, 1);
  if (!cjk_mark(u, len, q, 2))
    return 0;
  return set_day(b, y, m, d, p, q + 3, K_CJK);
}

/*
 * All-numeric day/month body at p: n1 (1-2 digits, ending at q), then the
 * separator at q. Dot or dash: day.month.year unless the middle number is
 * over 12. Slash: month/day/year unless the first is over 12. Slash takes
 * 2-digit years (00-69 -> 20xx, 70-99 -> 19xx), and so does the German
 * short form with two digits in each part, "28.09.19" (not "8.5.12",
 * which reads as a version).
 */
static int parse_dmy(const uch *u, size_t len, size_t p, int n1, size_t q,
                     lp_body *b) {
  uch sep = u[q];
  int n2, y, n;
  size_t r, e;
  n = read_num(u, len, q + 1, 2, &n2);
  r = q + 1 + (size_t)n;
  if (!n || r + 1 >= len || u[r] != sep)
    return 0;
  n = read_num(u, len, r + 1, 4, &y);
  if (n == 2 && (sep == '/' ||
                 (sep == '.' && q - p == 2 && r - q == 3 && n2 <= 12)))
    y += y < 70 ? 2000 : 1900;
  else if (n != 4)
    return 0;
  e = r + 1 + (size_t)n;
  if (e < len && (is_alpha(u[e]) ||
                  (u[e] == sep && e + 1 < len && is_digit(u[e + 1]))))
    return 0;
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
    we = word_end(u, len, q + 1);
    m = month_of(u, q + 1, we, &flags);
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
  if (s1 == r)
    return 0;
  s1 = skip_conn(u, len, s1, CONN_DAY);
  we = word_end(u, len, s1);
  m = month_of(u, s1, we, &flags);
  if (!m)
    return 0;
  r = we;
  if (r < len && u[r] == '.')
    r++;
  if (r < len && u[r] == ',')
    r++;
  s2 = skip_ws(u, len, r, 3);
  if (s2 == r)
    return 0;
  s2 = skip_conn(u, len, s2, CONN_YEAR);
  if (read_num(u, len, s2, 4, &y) != 4 || !year_end_ok(u, len, s2 + 4))
    return 0;
  return set_day(b, y, m, day, p, s2 + 4, K_NAME);
}

/*
 * Month-first body at p, the start of a month name: "Nov. 19, 2019",
 * "November 20th, 2019", "Oktober 27, 2015", or month-year ("March 2019",
 * "marzo de 2019") for names flagged MF_MY, at LOUPE_PREC_MONTH.
 */
static int parse_month_first(const uch *u, size_t len, size_t p, lp_body *b) {
  size_t we = word_end(u, len, p), q, r;
  int flags = 0, m = month_of(u, p, we, &flags), n, v, y;
  if (!m)
    return 0;
  q = we;
  if (q < len && u[q] == '.')
    q++;
  r = skip_ws(u, len, q, 3);
  if (r == q)
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
    if (read_num(u, len, q, 4, &y) != 4 || !year_end_ok(u, len, q + 4))
      return 0;
    return set_day(b, y, m, v, p, q + 4, K_NAME);
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
  return v >= 1900 && v <= 2099;
}

/* Any body starting with the digit at p (which passed digit_start_ok). */
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
  return parse_day_name(u, len, p, n1, q, b);
}

/*
 * Start of a month name that ends just before the number at i (after
 * space and an optional dot, or before "de"), not before lo; NOPOS if none.
 */
static size_t month_word_before(const uch *u, size_t lo, size_t i) {
  size_t k = i, a, w;
  int n = 0;
  while (n < 3 && (w = ws_before(u, lo, k)) != 0) {
    k -= w;
    n++;
  }
  if (n == 0)
    return NOPOS;
  if (k > lo && u[k - 1] == '.')
    k--;
  a = word_start(u, lo, k);
  if (a == k)
    return NOPOS;
  if (k - a == 2 && to_lower(u[a]) == 'd' && to_lower(u[a + 1]) == 'e') {
    k = a;
    n = 0;
    while (n < 3 && (w = ws_before(u, lo, k)) != 0) {
      k -= w;
      n++;
    }
    if (n == 0)
      return NOPOS;
    a = word_start(u, lo, k);
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
  size_t k = a, w, s;
  int n = 0;
  while (n < 3 && (w = ws_before(u, lo, k)) != 0) {
    k -= w;
    n++;
  }
  if (n == 0)
    return 0;
  s = word_start(u, lo, k);
  if (k - s == 2 && (match_lit(u, k, s, "de") || match_lit(u, k, s, "of"))) {
    k = s;
    for (n = 0; n < 3 && (w = ws_before(u, lo, k)) != 0; n++)
      k -= w;
    s = word_start(u, lo, k);
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
  a = word_start(u, lo, k);
  if (a == k || !is_weekday(u, a, k))
    return st;
  if (k - a == 5 && a >= lo + 2 && u[a - 1] == '-' &&
      match_lit(u, k, a, "feira")) {
    size_t b = word_start(u, lo, a - 1);
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
  size_t q = b->end;
  if (b->prec != LOUPE_PREC_DAY || q >= len)
    return 0;
  if (b->kind == K_ISO && u[q] == 'T')
    return parse_clock(u, len, q + 1, 0, 1, c);
  q = skip_seps(u, len, q, MAX_SEPS);
  q = skip_conn(u, len, q, CONN_TIME);
  if (q >= len || !is_digit(u[q]))
    return 0;
  if (q == b->end && b->kind != K_CJK)
    return 0;
  return parse_clock(u, len, q, b->kind == K_NAME, 0, c);
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
      if (c->zkind == Z_US && us_dst(b->y, b->m, b->d, c->h))
        out->tz_minutes += 60;
    }
  }
  out->start = ws;
  out->end = end;
  out->has_weekday = ws != start;
  out->order = b->ord;
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
  size_t q, we, e = parse_clock(u, len, i, 0, 0, &c);
  int ok = 0;
  if (!e)
    return 0;
  q = skip_seps(u, len, e, MAX_SEPS);
  q = skip_conn(u, len, q, CONN_DATE);
  we = word_end(u, len, q);
  if (we > q && is_weekday(u, q, we)) {
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
  parse_clock(u, len, i, 0, 0, &c);
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
    while (i < len && is_digit(u[i]))
      i++;
  }
  return 0;
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
