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
   alone with a year ("mars" is not one: the planet). */
static const month_name MONTHS[] = {
  {"abr", 4, 0}, {"abril", 4, MF_MY}, {"ago", 8, 0}, {"agost", 8, 0},
  {"agosto", 8, MF_MY}, {"agt", 8, 0}, {"agu", 8, 0}, {"agustus", 8, MF_MY},
  {"aout", 8, MF_MY}, {"août", 8, MF_MY}, {"apr", 4, 0}, {"april", 4, MF_MY},
  {"aprile", 4, MF_MY}, {"aralık", 12, MF_MY}, {"aug", 8, 0},
  {"august", 8, MF_MY}, {"augusti", 8, MF_MY}, {"augustus", 8, MF_MY},
  {"augusztus", 8, MF_MY}, {"avr", 4, 0}, {"avril", 4, MF_MY},
  {"ağustos", 8, MF_MY}, {"března", 3, MF_MY}, {"czerwca", 6, MF_MY},
  {"czerwiec", 6, MF_MY}, {"dec", 12, 0}, {"december", 12, MF_MY},
  {"decembre", 12, MF_MY}, {"des", 12, 0}, {"desember", 12, MF_MY},
  {"desembre", 12, MF_MY}, {"dez", 12, 0}, {"dezember", 12, MF_MY},
  {"dezembro", 12, MF_MY}, {"dic", 12, 0}, {"dicembre", 12, MF_MY},
  {"diciembre", 12, MF_MY}, {"dubna", 4, MF_MY}, {"déc", 12, 0},
  {"décembre", 12, MF_MY}, {"ekim", 10, 0}, {"ene", 1, 0}, {"enero", 1, MF_MY},
  {"eylül", 9, MF_MY}, {"feb", 2, 0}, {"febbraio", 2, MF_MY}, {"feber", 2, 0},
  {"febr", 2, 0}, {"febrer", 2, MF_MY}, {"febrero", 2, MF_MY},
  {"februar", 2, MF_MY}, {"februari", 2, MF_MY}, {"february", 2, MF_MY},
  {"február", 2, MF_MY}, {"fev", 2, 0}, {"fevereiro", 2, MF_MY},
  {"fevr", 2, 0}, {"fevrier", 2, MF_MY}, {"fév", 2, 0}, {"févr", 2, 0},
  {"février", 2, MF_MY}, {"gen", 1, 0}, {"gener", 1, 0}, {"gennaio", 1, MF_MY},
  {"giu", 6, 0}, {"giugno", 6, MF_MY}, {"grudnia", 12, MF_MY},
  {"grudzień", 12, MF_MY}, {"haziran", 6, MF_MY}, {"jan", 1, 0},
  {"janeiro", 1, MF_MY}, {"januar", 1, MF_MY}, {"januari", 1, MF_MY},
  {"january", 1, MF_MY}, {"január", 1, MF_MY}, {"janv", 1, 0},
  {"janvier", 1, MF_MY}, {"juil", 7, 0}, {"juill", 7, 0},
  {"juillet", 7, MF_MY}, {"juin", 6, MF_MY}, {"jul", 7, 0},
  {"julho", 7, MF_MY}, {"juli", 7, MF_MY}, {"julio", 7, MF_MY},
  {"juliol", 7, MF_MY}, {"july", 7, MF_MY}, {"jun", 6, 0}, {"june", 6, MF_MY},
  {"junho", 6, MF_MY}, {"juni", 6, MF_MY}, {"junio", 6, MF_MY}, {"juny", 6, 0},
  {"jän", 1, 0}, {"jänner", 1, MF_MY}, {"július", 7, MF_MY},
  {"június", 6, MF_MY}, {"kasım", 11, MF_MY}, {"května", 5, MF_MY},
  {"kwiecień", 4, MF_MY}, {"kwietnia", 4, MF_MY}, {"ledna", 1, MF_MY},
  {"lipca", 7, MF_MY}, {"lipiec", 7, MF_MY}, {"listopad", 11, MF_MY},
  {"listopada", 11, MF_MY}, {"listopadu", 11, MF_MY}, {"lug", 7, 0},
  {"luglio", 7, MF_MY}, {"lutego", 2, MF_MY}, {"luty", 2, 0},
  {"maart", 3, MF_MY}, {"maerz", 3, MF_MY}, {"mag", 5, 0},
  {"maggio", 5, MF_MY}, {"mai", 5, MF_MY}, {"maig", 5, 0}, {"maio", 5, MF_MY},
  {"maj", 5, 0}, {"mar", 3, 0}, {"marca", 3, MF_MY}, {"march", 3, MF_MY},
  {"marco", 3, 0}, {"maret", 3, MF_MY}, {"mars", 3, 0}, {"mart", 3, 0},
  {"marts", 3, MF_MY}, {"marzec", 3, MF_MY}, {"marzo", 3, MF_MY},
  {"març", 3, 0}, {"março", 3, MF_MY}, {"may", 5, MF_MY}, {"mayo", 5, MF_MY},
  {"mayıs", 5, MF_MY}, {"mei", 5, MF_MY}, {"mrt", 3, 0}, {"május", 5, MF_MY},
  {"március", 3, MF_MY}, {"mär", 3, 0}, {"märz", 3, MF_MY}, {"nisan", 4, 0},
  {"nov", 11, 0}, {"november", 11, MF_MY}, {"novembre", 11, MF_MY},
  {"novembro", 11, MF_MY}, {"noviembre", 11, MF_MY}, {"ocak", 1, 0},
  {"oct", 10, 0}, {"october", 10, MF_MY}, {"octobre", 10, MF_MY},
  {"octubre", 10, MF_MY}, {"okt", 10, 0}, {"oktober", 10, MF_MY},
  {"október", 10, MF_MY}, {"ott", 10, 0}, {"ottobre", 10, MF_MY},
  {"out", 10, 0}, {"outubro", 10, MF_MY}, {"październik", 10, MF_MY},
  {"października", 10, MF_MY}, {"prosince", 12, MF_MY}, {"sep", 9, 0},
  {"sept", 9, 0}, {"september", 9, MF_MY}, {"septembre", 9, MF_MY},
  {"septiembre", 9, MF_MY}, {"set", 9, 0}, {"setembre", 9, MF_MY},
  {"setembro", 9, MF_MY}, {"setiembre", 9, MF_MY}, {"settembre", 9, MF_MY},
  {"sierpień", 8, MF_MY}, {"sierpnia", 8, MF_MY}, {"srpna", 8, MF_MY},
  {"styczeń", 1, MF_MY}, {"stycznia", 1, MF_MY}, {"szeptember", 9, MF_MY},
  {"temmuz", 7, MF_MY}, {"wrzesień", 9, MF_MY}, {"września", 9, MF_MY},
  {"září", 9, 0}, {"április", 4, MF_MY}, {"února", 2, MF_MY},
  {"července", 7, MF_MY}, {"června", 6, MF_MY}, {"října", 10, MF_MY},
  {"şubat", 2, MF_MY}, {"авг", 8, 0}, {"август", 8, MF_MY},
  {"августа", 8, MF_MY}, {"апр", 4, 0}, {"апрель", 4, MF_MY},
  {"апреля", 4, MF_MY}, {"березня", 3, MF_MY}, {"вересня", 9, MF_MY},
  {"грудня", 12, MF_MY}, {"дек", 12, 0}, {"декабрь", 12, MF_MY},
  {"декабря", 12, MF_MY}, {"жовтня", 10, MF_MY}, {"июль", 7, MF_MY},
  {"июля", 7, MF_MY}, {"июнь", 6, MF_MY}, {"июня", 6, MF_MY},
  {"квітня", 4, MF_MY}, {"липня", 7, MF_MY}, {"листопада", 11, MF_MY},
  {"лютого", 2, MF_MY}, {"май", 5, MF_MY}, {"март", 3, MF_MY},
  {"марта", 3, MF_MY}, {"мая", 5, MF_MY}, {"ноя", 11, 0},
  {"ноябрь", 11, MF_MY}, {"ноября", 11, MF_MY}, {"окт", 10, 0},
  {"октябрь", 10, MF_MY}, {"октября", 10, MF_MY}, {"сен", 9, 0},
  {"сент", 9, 0}, {"сентябрь", 9, MF_MY}, {"сентября", 9, MF_MY},
  {"серпня", 8, MF_MY}, {"січня", 1, MF_MY}, {"травня", 5, MF_MY},
  {"фев", 2, 0}, {"февраль", 2, MF_MY}, {"февраля", 2, MF_MY},
  {"червня", 6, MF_MY}, {"янв", 1, 0}, {"январь", 1, MF_MY},
  {"января", 1, MF_MY}
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

