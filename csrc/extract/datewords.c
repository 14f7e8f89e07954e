/*
 * datewords.c - month and weekday names for the date finder: the tables
 * (lower case, several languages) and the word readers that look them up.
 */
#include "datelex.h"

#include <string.h>

typedef struct {
  const char *w;          /* lower-case UTF-8 */
  unsigned char m;        /* month 1..12 */
  unsigned char f;        /* MF_* */
} month_name;

/* Month names in English, French, German, Spanish, Portuguese, Italian,
   Dutch, Catalan, Swedish, Danish, Polish, Czech, Hungarian, Turkish,
   Indonesian, Russian and Ukrainian (genitive, nominative, short), lower case,
   sorted by bytes for binary search; MF_MY marks full names that may stand
   alone with a year ("mars" is not one: the planet). The rows are data, one
   a line, in months.def. */
static const month_name MONTHS[] = {
#define MONTH(name, month, flags) {name, month, flags},
#include "months.def"
#undef MONTH
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


/* End of the letter word starting at p; stops after MAX_WORD + 2 bytes so
   an over-long word costs O(1) (callers then reject it as too long). */
size_t lp_dl_word_end(const uch *u, size_t len, size_t p) {
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
   lp_dl_word_end. Returns p when no letter ends at p. */
size_t lp_dl_word_start(const uch *u, size_t lo, size_t p) {
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
int lp_dl_month_of(const uch *u, size_t a, size_t b, int *flags) {
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
int lp_dl_is_weekday(const uch *u, size_t a, size_t b) {
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

