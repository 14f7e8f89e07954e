/*
 * datepick.c - the publication date as a ranking over every date written
 * on the page (see datepick.h). Features are facts about a candidate and
 * its line that hold on any site: the words before it, where it sits
 * against the headline and the body, whether its neighbours are dated
 * too (a list of stories), whether it reads as a comment, a copyright or
 * an event, and how it compares with the page's other dates. The weights
 * come from bench/train_dates.lua (`make train`), checked in as
 * date_weights.h.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "datepick.h"
#include "html.h"
#include "date_weights.h"

/* The weight of feature k; a feature newer than the table weighs 0 until
 * `make train` runs again (so a new feature builds before it is learned). */
static double weight(int k) {
  return (size_t)k < sizeof LP_DATE_WEIGHTS / sizeof LP_DATE_WEIGHTS[0]
             ? LP_DATE_WEIGHTS[k]
             : 0.0;
}

#define MAX_PER_LINE 4      /* dates taken from one line */
#define SCAN_BYTES 400      /* bytes of a line searched */
#define CUE_WINDOW 60       /* bytes before a date searched for cues */
#define EVENT_MARGIN 60     /* bytes of a sentence before a reported date */

static const char *const RULES[LP_DF__N] = {
  "date-bias", "date-cue-pub", "date-cue-upd", "date-cue-neg", "date-cue-on",
  "date-covers", "date-byline", "date-time", "date-month", "date-head",
  "date-title", "date-near-before", "date-in-body", "date-after-body",
  "date-dist", "date-list", "date-related", "date-in-text", "date-prose",
  "date-comment", "date-latest", "date-earliest", "date-old", "date-first",
  "date-repeat", "date-weekday", "date-line-start", "date-dom-out",
  "date-dom-boiler", "date-dom-date", "date-range", "date-after-head",
  "date-upd-pub", "date-years", "date-series", "date-shape", "date-order",
  "date-masthead", "date-dom-article", "date-dom-time", "date-dom-header",
  "date-bullet", "date-embed", "date-month-echo", "date-run",
  "date-event", "date-credit", "date-relative"
};

const char *lp_date_feature_name(int k) {
  if (k < 0 || k >= LP_DF__N) return NULL;
  return RULES[k] + 5;
}

/* Cue words, lower case (ASCII letters fold; others compare exactly). */
static const char *const CUE_PUB[] = {
  "published", "posted", "publi\xc3\xa9", "publicado", "pubblicato",
  "ver\xc3\xb6" "ffentlicht", "erschienen", "erstellt", "geschrieben",
  "gepubliceerd", "geplaatst", "publicerad", "publiceret", "publisert",
  "opublikowano", "publiziert", "eingetragen", "released", "issued", "written", "date:", "datum:",
  "datum ", "fecha", "data:", "data de", "\xe5\x8f\x91\xe5\xb8\x83",
  "\xe5\x8f\x91\xe8\xa1\xa8", "\xe6\x97\xb6\xe9\x97\xb4",
  "\xe6\x99\x82\xe9\x96\x93", "\xe6\x97\xa5\xe6\x9c\x9f",
  "\xe6\x8a\x95\xe7\xa8\xbf", "\xd0\xbe\xd0\xbf\xd1\x83\xd0\xb1", NULL
};
static const char *const CUE_UPD[] = {
  "updated", "update:", "aktualisiert", "ge\xc3\xa4ndert", "stand:",
  "stand ", "mis \xc3\xa0 jour", "modifi\xc3\xa9", "actualizado",
  "actualizaci", "aggiornato", "atualizado", "bijgewerkt", "modified",
  "zuletzt", "uppdaterad", "\xe6\x9b\xb4\xe6\x96\xb0", NULL
};
static const char *const CUE_NEG[] = {
  "\xc2\xa9", "copyright", "(c)", "version", "bis ", "until", "till ",
  "termin", "deadline", "g\xc3\xbcltig", "valid", "verf\xc3\xbc" "gbar",
  "available", "event", "veranstaltung", "seit ", "since", "geboren",
  "born", "expire", "frist", "anmeld", "registr", "ende ", "ends ",
  "from ", "vom ", "ab ", "du ", "jusqu", "hasta", "desde", "fino",
  "wochenbericht", "ausgabe", "issue ", "heft", NULL
};
/* A picture's credit before a date: the day the picture was taken. */
static const char *const CREDIT_WORDS[] = {
  "foto:", "fotos:", "photo:", "photos:", "bild:", "image:", "picture:",
  "credit:", "cr\xc3\xa9" "dit photo", NULL
};
static const char *const CUE_ON[] = {
  "on", "am", "le", "el", "il", "op", "em", "den", "dnia", "vom", NULL
};
static const char *const COMMENT_WORDS[] = {
  "reply", "antworten", "says:", "said:", "sagt:", "schreibt:", "meint:",
  "kommentar", "comment", "r\xc3\xa9pondre", "responder", "rispondi",
  "antwoord", "svara", "odpowiedz", "wrote:", "zitieren", "quote", NULL
};
static const char *const BY_WORDS[] = {
  "by ", "von ", "par ", "por ", "door ", "di ", "av ", "af ", "autor",
  "author", "text:", "texte", NULL
};

/* Can word (ASCII case folded) start at s[i] as far as its second byte
 * goes? (Most places where a word's first byte stands fail there.) */
static int second_fits(const char *s, size_t n, size_t i, const char *word) {
  unsigned char a, b = (unsigned char)word[1];
  if (b == '\0') return 1;
  if (i + 1 >= n) return 0;
  a = (unsigned char)s[i + 1];
  if (a >= 'A' && a <= 'Z') a |= 32;
  if (b >= 'A' && b <= 'Z') b |= 32;
  return a == b;
}

/* Where a word of list starts in s[0..n) (ASCII case folded), plus one:
 * the first place, or the last when last is set; 0 for none. One pass
 * over s: the words are chained by their first byte, and only the words
 * that start with a byte are compared where it stands (a line is read
 * once, not once per word). A word starting with an upper-case letter
 * never matches (the text's letters are folded to lower case). */
static size_t find_in(const char *s, size_t n, const char *const *list,
                      int last) {
  unsigned char head[256], next[64];
  size_t i, at = 0, k;
  memset(head, 0, sizeof head);
  for (k = 0; list[k] && k < sizeof next; k++) {
    unsigned char c = (unsigned char)list[k][0];
    if (c >= 'A' && c <= 'Z') continue;
    next[k] = head[c];
    head[c] = (unsigned char)(k + 1);
  }
  for (k = 'a'; k <= 'z'; k++) head[k - 32] = head[k];
  for (i = 0; i < n; i++) {
    unsigned char w = head[(unsigned char)s[i]];
    for (; w; w = next[w - 1])
      if (second_fits(s, n, i, list[w - 1]) &&
          lp_starts_ci(s + i, n - i, list[w - 1])) {
        if (!last) return i + 1;
        at = i + 1;
        break;
      }
  }
  return at;
}

/* Does s[0..n) hold one of the words of list? */
static int any_in(const char *s, size_t n, const char *const *list) {
  return find_in(s, n, list, 0) != 0;
}

/* Skip spaces and bullet punctuation at the start of s[0..n). */
static size_t lead_len(const char *s, size_t n) {
  size_t k = 0;
  while (k < n) {
    unsigned char c = (unsigned char)s[k];
    if (c == ' ' || c == '*' || c == '-' || c == '|' || c == '[' ||
        c == '(' || c == ':' || c == '>')
      k++;
    else if (c == 0xE2 && k + 2 < n)   /* bullets, dashes, arrows */
      k += 3;
    else if (c == 0xC2 && k + 1 < n)   /* middle dot, nbsp, guillemet */
      k += 2;
    else
      break;
  }
  return k;
}

/* Is the word right before s[a] one of list ("am 5. Mai")? */
static int word_before_is(const char *s, size_t a, const char *const *list) {
  size_t e = a, b;
  while (e > 0 && s[e - 1] == ' ') e--;
  b = e;
  while (b > 0 && ((s[b - 1] | 32) >= 'a' && (s[b - 1] | 32) <= 'z')) b--;
  if (b == e || e - b > 6) return 0;
  for (; *list; list++)
    if (strlen(*list) == e - b && lp_starts_ci(s + b, e - b, *list)) return 1;
  return 0;
}

/* Does "<a piece of writing> vom" stand right before s[a] ("Artikel vom
 * 31.10.23", "Beitrag vom 2. Mai")? The piece is the page's: a
 * publication cue, where "vom" alone opens a span or cites a document. */
static int piece_of(const char *s, size_t a) {
  static const char *const PIECE[] = {
    "artikel", "beitrag", "meldung", "nachricht", "pressemitteilung",
    "mitteilung", "eintrag", "news", "post", NULL
  };
  const char *const *w;
  size_t e = a, b;
  while (e > 0 && s[e - 1] == ' ') e--;
  if (e < 5 || !lp_starts_ci(s + e - 3, 3, "vom") || s[e - 4] != ' ')
    return 0;
  e -= 4;
  while (e > 0 && s[e - 1] == ' ') e--;
  b = e;
  while (b > 0 && ((s[b - 1] | 32) >= 'a' && (s[b - 1] | 32) <= 'z')) b--;
  for (w = PIECE; *w; w++)
    if (strlen(*w) == e - b && lp_starts_ci(s + b, e - b, *w)) return 1;
  return 0;
}

static int is_by_line(const char *s, size_t n) {
  size_t k = lead_len(s, n);
  const char *const *w;
  for (w = BY_WORDS; *w; w++)
    if (lp_starts_ci(s + k, n - k, *w)) return 1;
  return 0;
}

/* Code points in s[0..n). */
static size_t utf8_chars(const char *s, size_t n) {
  size_t i, c = 0;
  for (i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

/* Is the date at s[a..e) one end of a range: a dash, "bis", "to", "au"
 * or "al" and a digit after it, or a digit and a dash before it? */
static int in_range(const char *s, size_t n, size_t a, size_t e) {
  static const char *const TO[] = {"- ", "-", "\xe2\x80\x93 ", "\xe2\x80\x93",
                                   "\xe2\x80\x94 ", "bis ", "to ", "au ",
                                   "al ", "until ", "till ", NULL};
  const char *const *w;
  size_t k = e, b = a;
  while (k < n && s[k] == ' ') k++;
  for (w = TO; *w; w++) {
    size_t m = strlen(*w);
    if (k + m < n && lp_starts_ci(s + k, n - k, *w) && s[k + m] >= '0' &&
        s[k + m] <= '9')
      return 1;
  }
  while (b > 0 && s[b - 1] == ' ') b--;
  if (b > 0 && (s[b - 1] == '-' || (b >= 3 && (unsigned char)s[b - 3] == 0xE2 &&
                                    (unsigned char)s[b - 2] == 0x80))) {
    b -= s[b - 1] == '-' ? 1 : 3;
    while (b > 0 && s[b - 1] == ' ') b--;
    if (b > 0 && ((s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '.'))
      return 1;
  }
  return 0;
}

/* Bare years (19xx, 20xx standing alone) on s[0..n) outside [a, e). */
static int bare_years(const char *s, size_t n, size_t a, size_t e) {
  size_t i;
  int count = 0;
  for (i = 0; i + 4 <= n; i++) {
    if (i >= a && i < e) continue;
    if ((i == 0 || s[i - 1] == ' ') && (i + 4 == n || s[i + 4] == ' ') &&
        ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) &&
        s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' &&
        s[i + 3] <= '9')
      count++;
  }
  return count;
}

/* Is the date at s[a] the signature of an embedded post: a handle in
 * parentheses right before it ("-- Name (@handle) May 16, 2018", "A post
 * shared by Name (@handle) on May 2, 2019")? The
 * date is the post's, quoted by the article, never the article's. */
static int embed_signature(const char *s, size_t a) {
  size_t e = a, b;
  while (e > 0 && s[e - 1] == ' ') e--;
  if (word_before_is(s, a, CUE_ON)) {   /* "(@handle) on May 2, 2019" */
    while (e > 0 && s[e - 1] != ' ') e--;
    while (e > 0 && s[e - 1] == ' ') e--;
  }
  if (e < 3 || s[e - 1] != ')') return 0;
  b = e - 1;
  while (b > 0 && (((s[b - 1] | 32) >= 'a' && (s[b - 1] | 32) <= 'z') ||
                   (s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '_'))
    b--;
  return b >= 2 && b < e - 1 && s[b - 1] == '@' && s[b - 2] == '(';
}

/* Features that depend on the candidate's line and its place. */
static void line_features(const lp_text *t, const lp_layout *lay,
                          size_t title, const unsigned char *dated,
                          lp_date_cand *c) {
  const lp_line *l = &t->lines[c->line];
  const char *s = LP_LINE_PTR(t, l);
  size_t i = c->line, n = t->n_lines, a = c->d.start, lo, k, near = 0;
  size_t anchor = title != LP_NONE ? title : lay->body_first;
  size_t bf = lay->body_first, bl = lay->body_last;
  double *f = c->f;
  const lp_dom_block *b = lp_dom_of(t, l);
  lo = a > CUE_WINDOW ? a - CUE_WINDOW : 0;
  f[LP_DF_BIAS] = 1;
  {
    /* of a publication and an update cue before it, the nearer is its
     * ("Published: 26 May | Updated: 28 May" dates the update by 28) */
    size_t pub = find_in(s + lo, a - lo, CUE_PUB, 1);
    size_t upd = find_in(s + lo, a - lo, CUE_UPD, 1);
    f[LP_DF_CUE_PUB] = pub != 0 && pub > upd;
    f[LP_DF_CUE_UPD] = upd != 0 && upd > pub;
  }
  f[LP_DF_CUE_NEG] = any_in(s + lo, a - lo, CUE_NEG);
  f[LP_DF_CREDIT] = any_in(s + lo, a - lo, CREDIT_WORDS);
  if (piece_of(s, a)) {
    f[LP_DF_CUE_PUB] = 1;
    f[LP_DF_CUE_UPD] = 0;
    f[LP_DF_CUE_NEG] = 0;
  }
  f[LP_DF_CUE_ON] = word_before_is(s, a, CUE_ON);
  if (lead_len(s, a) == a) {
    f[LP_DF_LINE_START] = 1;
    /* a cue on a short line of its own just above ("Published:") */
    if (i > 0 && t->lines[i - 1].nwords <= 3) {
      const lp_line *p = &t->lines[i - 1];
      const char *ps = LP_LINE_PTR(t, p);
      if (any_in(ps, p->len, CUE_PUB)) f[LP_DF_CUE_PUB] = 1;
      if (any_in(ps, p->len, CUE_UPD)) f[LP_DF_CUE_UPD] = 1;
    }
  }
  f[LP_DF_COVERS] = l->len <= (c->d.end - c->d.start) + 30;
  f[LP_DF_BYLINE] = is_by_line(s, l->len);
  f[LP_DF_TIME] = c->d.prec >= LOUPE_PREC_MINUTE;
  f[LP_DF_MONTH] = c->d.prec <= LOUPE_PREC_MONTH;
  f[LP_DF_TITLE] = i == title;
  if (title != LP_NONE && bf != LP_NONE && i >= title && i <= bf &&
      i != title)
    f[LP_DF_HEAD] = 1;
  if (anchor != LP_NONE && i < anchor && anchor - i <= 6)
    f[LP_DF_NEAR_BEFORE] = 1;
  if (bf != LP_NONE && bl != LP_NONE && i > bf && i <= bl)
    f[LP_DF_IN_BODY] = 1;
  if (bl != LP_NONE && i > bl) f[LP_DF_AFTER_BODY] = 1;
  if (anchor != LP_NONE) {
    size_t dist = i > anchor ? i - anchor : anchor - i;
    f[LP_DF_DIST] = (double)(dist > 300 ? 300 : dist) / 100.0;
  }
  for (k = i > 3 ? i - 3 : 0; k <= i + 3 && k < n; k++)
    if (k != i && dated[k]) near++;
  f[LP_DF_LIST] = near >= 2;
  /* under a "Related stories" / "More news" header a few lines up */
  for (k = i >= 6 ? i - 6 : 0; k <= i; k++)
    if (t->lines[k].cue & LP_CUE_RELATED) f[LP_DF_RELATED] = 1;
  if (!f[LP_DF_CUE_PUB] && !f[LP_DF_CUE_UPD] && !f[LP_DF_BYLINE] &&
      i != title &&
      utf8_chars(s, l->len) - utf8_chars(s + a, c->d.end - a) > 45)
    f[LP_DF_IN_TEXT] = 1;
  f[LP_DF_PROSE] = l->label == LOUPE_LINE_BODY && l->nwords > 25;
  f[LP_DF_EVENT] = f[LP_DF_PROSE] && f[LP_DF_IN_TEXT] &&
                   a > EVENT_MARGIN && c->d.end + EVENT_MARGIN / 3 < l->len;
  f[LP_DF_WEEKDAY] = c->d.has_weekday != 0;
  f[LP_DF_BULLET] = (l->flags & LP_F_BULLET) != 0 ||
                    (b && (b->in & LP_IN_LI));
  f[LP_DF_EMBED] = embed_signature(s, a);
  f[LP_DF_RANGE] = in_range(s, l->len, a, c->d.end);
  f[LP_DF_YEARS] = bare_years(s, l->len, a, c->d.end) >= 3;
  if (b) {
    f[LP_DF_DOM_OUT] = (b->in & (LP_IN_NAV | LP_IN_ASIDE | LP_IN_FOOTER)) != 0;
    f[LP_DF_DOM_BOILER] =
        (b->cls_near & (LP_CW_RELATED | LP_CW_COMMENT | LP_CW_SIDEBAR)) != 0;
    f[LP_DF_DOM_DATE] = (b->in & LP_IN_TIME) != 0 ||
                        (b->cls & (LP_CW_DATE | LP_CW_BYLINE)) != 0;
    f[LP_DF_DOM_TIME] = (b->in & LP_IN_TIME) != 0;
    f[LP_DF_DOM_HEADER] = (b->in & LP_IN_HEADER) != 0;
    if (t->dom->article != LP_NONE && t->dom->article < t->dom->n_elems) {
      const lp_dom_elem *e = &t->dom->elems[t->dom->article];
      size_t blk = l->src_line - 1;
      f[LP_DF_DOM_ARTICLE] = blk >= e->first_block && blk < e->end_block;
    }
  }
}

/* Lines other than candidate i's, within w lines of it, that hold a
 * date. Candidates come in line order (collect), so only the window is
 * walked: linear in the page, not quadratic. */
static size_t near_lines(const lp_date_cand *c, size_t nc, size_t i,
                         size_t w) {
  size_t k, count = 0, last = LP_NONE, li = c[i].line;
  size_t lo = 0, hi = i, from = li > w ? li - w : 0;
  while (lo < hi) {                 /* the first candidate on line >= from */
    size_t mid = lo + (hi - lo) / 2;
    if (c[mid].line < from) lo = mid + 1;
    else hi = mid;
  }
  for (k = lo; k < nc && c[k].line <= li + w; k++) {
    size_t lk = c[k].line;
    if (lk == li || lk == last) continue;
    count++;
    last = lk;
  }
  return count;
}

/* A candidate's shape: precision, weekday or not, the line mostly the
 * date or not, the order of day and month. */
typedef struct {
  long key, day;          /* the shape packed; the day number */
  size_t line, i;
} cand_key;

static int by_shape_line(const void *pa, const void *pb) {
  const cand_key *a = pa, *b = pb;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return 0;
}

static int by_day_line(const void *pa, const void *pb) {
  const cand_key *a = pa, *b = pb;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  return 0;
}

/* For each run of candidates equal by same() in k[0..n) (sorted by that
 * key, then by line): out[i] = how many of the run stand on other lines
 * than candidate i's. */
static void others_in_run(const cand_key *k, size_t n,
                          int (*same)(const cand_key *, const cand_key *),
                          size_t *out) {
  size_t a = 0;
  while (a < n) {
    size_t b = a + 1, x = a;
    while (b < n && same(&k[a], &k[b])) b++;
    while (x < b) {                  /* the candidates of one line */
      size_t y = x + 1, z;
      while (y < b && k[y].line == k[x].line) y++;
      for (z = x; z < y; z++) out[k[z].i] = (b - a) - (y - x);
      x = y;
    }
    a = b;
  }
}

static int same_shape_key(const cand_key *a, const cand_key *b) {
  return a->key == b->key;
}

static int same_day_key(const cand_key *a, const cand_key *b) {
  return a->day == b->day;
}

#define RUN_GAP 20   /* lines between two entries of a run of replies */

/* Mark the runs of replies (LP_DF_RUN) in k[0..n), sorted by shape, then
 * line: 3+ lines of one shape, each within RUN_GAP lines of the next,
 * in the order of time (a list of stories runs newest first), whose days
 * are none earlier than a date written above the run's first line
 * (below[i]: the earliest day on the lines above candidate i's).
 * Replies come after what they answer and are dated after it; the day
 * above them is the post's. */
static void reply_runs(lp_date_cand *c, const cand_key *k, size_t n,
                       const long *below) {
  size_t a = 0;
  while (a < n) {
    size_t b = a + 1, lines = 1, x;
    long lo = lp_date_days(&c[k[a].i].d), prev = lo;
    int rising = 1;
    while (b < n && k[b].key == k[a].key &&
           k[b].line - k[b - 1].line <= RUN_GAP) {
      long d = lp_date_days(&c[k[b].i].d);
      if (k[b].line != k[b - 1].line) {
        lines++;
        if (d < prev) rising = 0;
      }
      if (d < lo) lo = d;
      prev = d;
      b++;
    }
    if (lines >= 3 && rising && below[k[a].i] <= lo)
      for (x = a; x < b; x++) {
        double *f = c[k[x].i].f;   /* a reply is not "published" */
        f[LP_DF_RUN] = !f[LP_DF_CUE_PUB] && !f[LP_DF_CUE_UPD];
      }
    a = b;
  }
}

/* below[i]: the earliest day of the candidates on lines above candidate
 * i's (LONG_MAX when none); candidates come in line order. */
static void days_above(const lp_date_cand *c, size_t nc, long *below) {
  size_t i = 0;
  long lo = LONG_MAX;
  while (i < nc) {
    size_t j = i;
    long here = LONG_MAX;
    for (; j < nc && c[j].line == c[i].line; j++) {
      long d = lp_date_days(&c[j].d);
      below[j] = lo;
      if (d < here) here = d;
    }
    if (here < lo) lo = here;
    i = j;
  }
}

/* For every candidate: the dates on other lines written in its shape
 * (shape[i]) and on its day (repeat[i]), and whether it is one of a run
 * of replies (reply_runs); sorting makes it n log n where comparing each
 * with each was quadratic (a 100 MB page holds 100,000s).
 * LOUPE_OK or LOUPE_ENOMEM. */
static int page_counts(lp_date_cand *c, size_t nc, size_t *shape,
                       size_t *repeat) {
  cand_key *k = malloc((nc ? nc : 1) * sizeof *k);
  long *below = malloc((nc ? nc : 1) * sizeof *below);
  size_t i;
  if (k == NULL || below == NULL) {
    free(k);
    free(below);
    return LOUPE_ENOMEM;
  }
  days_above(c, nc, below);
  for (i = 0; i < nc; i++) {
    const lp_date *d = &c[i].d;
    k[i].key = ((((long)d->prec * 2 + (d->has_weekday != 0)) * 2 +
                 (c[i].f[LP_DF_COVERS] != 0)) * 16) + (long)d->order;
    /* a day number, apart for dates without a day (month or year only) */
    k[i].day = d->day > 0 ? lp_date_days(d) * 2 : lp_date_days(d) * 2 + 1;
    k[i].line = c[i].line;
    k[i].i = i;
  }
  qsort(k, nc, sizeof *k, by_shape_line);
  others_in_run(k, nc, same_shape_key, shape);
  reply_runs(c, k, nc, below);
  qsort(k, nc, sizeof *k, by_day_line);
  others_in_run(k, nc, same_day_key, repeat);
  free(k);
  free(below);
  return LOUPE_OK;
}

/* Does another date on candidate i's line carry a publication cue
 * ("Published: 26 Sep | Updated: 28 Sep")? Candidates are in line order. */
static int pub_on_line(const lp_date_cand *c, size_t nc, size_t i) {
  size_t k;
  for (k = i; k > 0 && c[k - 1].line == c[i].line; k--)
    if (c[k - 1].f[LP_DF_CUE_PUB]) return 1;
  for (k = i + 1; k < nc && c[k].line == c[i].line; k++)
    if (c[k].f[LP_DF_CUE_PUB]) return 1;
  return 0;
}

static int cmp_long(const void *pa, const void *pb) {
  long a = *(const long *)pa, b = *(const long *)pb;
  return a < b ? -1 : a > b;
}

/* Mark the month-only candidates whose month holds a dated day of the
 * page (sorted months, n log n). LOUPE_OK or LOUPE_ENOMEM. */
static int month_echoes(lp_date_cand *c, size_t nc) {
  long *m = malloc((nc ? nc : 1) * sizeof *m);
  size_t i, n = 0;
  if (m == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < nc; i++)
    if (c[i].d.day > 0) m[n++] = (long)c[i].d.year * 12 + c[i].d.month;
  qsort(m, n, sizeof *m, cmp_long);
  for (i = 0; i < nc; i++) {
    long key = (long)c[i].d.year * 12 + c[i].d.month;
    if (c[i].d.day <= 0 && c[i].d.month > 0 && n > 0 &&
        bsearch(&key, m, n, sizeof *m, cmp_long) != NULL)
      c[i].f[LP_DF_MONTH_ECHO] = 1;
  }
  free(m);
  return LOUPE_OK;
}

/* Features that compare a candidate with the page's other dates. */
static int page_features(lp_date_cand *c, size_t nc, size_t title) {
  long lo = 0, hi = 0, head = -1;
  size_t i, *shape = malloc((nc ? nc : 1) * 2 * sizeof *shape), *repeat;
  int pub = 0;
  if (shape == NULL) return LOUPE_ENOMEM;
  repeat = shape + (nc ? nc : 1);
  if (page_counts(c, nc, shape, repeat) != LOUPE_OK ||
      month_echoes(c, nc) != LOUPE_OK) {
    free(shape);
    return LOUPE_ENOMEM;
  }
  for (i = 0; i < nc; i++) {
    if (c[i].f[LP_DF_CUE_PUB] && !c[i].f[LP_DF_CUE_UPD]) pub = 1;
    /* the headline's date: the first with a day in its zone (a month
     * named by the head's text is no day to be later than) */
    if (head < 0 && c[i].d.day > 0 &&
        (c[i].f[LP_DF_HEAD] || c[i].f[LP_DF_TITLE] ||
         c[i].f[LP_DF_NEAR_BEFORE]))
      head = lp_date_days(&c[i].d);
  }
  for (i = 0; i < nc; i++) {
    long d = lp_date_days(&c[i].d);
    if (i == 0 || d < lo) lo = d;
    if (i == 0 || d > hi) hi = d;
  }
  for (i = 0; i < nc; i++) {
    long d = lp_date_days(&c[i].d);
    c[i].f[LP_DF_FIRST] = i == 0;
    if (hi > lo) {
      c[i].f[LP_DF_LATEST] = d == hi;
      c[i].f[LP_DF_EARLIEST] = d == lo;
    }
    c[i].f[LP_DF_OLD] = hi - d > 730;
    c[i].f[LP_DF_ORDER] = (double)(i > 10 ? 10 : i) / 10.0;
    c[i].f[LP_DF_SERIES] = near_lines(c, nc, i, 15) >= 3;
    c[i].f[LP_DF_SHAPE] = shape[i] >= 3;
    c[i].f[LP_DF_MASTHEAD] = i == 0 && hi > lo && d == hi &&
                             !c[i].f[LP_DF_HEAD] && !c[i].f[LP_DF_TITLE] &&
                             (title == LP_NONE || c[i].line < title);
    c[i].f[LP_DF_UPD_PUB] = pub && c[i].f[LP_DF_CUE_UPD] &&
                            pub_on_line(c, nc, i);
    c[i].f[LP_DF_AFTER_HEAD] = head >= 0 && d > head &&
                               !c[i].f[LP_DF_HEAD] && !c[i].f[LP_DF_TITLE] &&
                               !c[i].f[LP_DF_NEAR_BEFORE];
    c[i].f[LP_DF_REPEAT] = repeat[i] > 0;
  }
  free(shape);
  return LOUPE_OK;
}

/* Should the page's ambiguous slash dates read day first? Proofs on the
 * page decide (13/05/2020 or 05/13/2020); then, in English, the time
 * zones its dates carry; then the order of its dates with month names;
 * then the language (day first everywhere but in English); then an
 * English page's clock (24-hour times against am/pm). */
static int page_day_first(const lp_date_cand *c, size_t nc,
                          const char *lang) {
  size_t i, dm = 0, md = 0, ndm = 0, nmd = 0, eu, us;
  int en;
  for (i = 0; i < nc; i++) {
    if (c[i].d.order == LP_ORD_DM_PROOF) dm++;
    if (c[i].d.order == LP_ORD_MD_PROOF) md++;
    if (c[i].d.order == LP_ORD_NAME_DM) ndm++;
    if (c[i].d.order == LP_ORD_NAME_MD) nmd++;
  }
  if (dm != md) return dm > md;
  en = lang == NULL || strcmp(lang, "en") == 0;
  /* English: a zone from GMT to Moscow says Britain, Ireland or Europe,
   * an American zone says the US (the site's own dates carry zones) */
  eu = us = 0;
  for (i = 0; en && i < nc; i++) {
    const lp_date *d = &c[i].d;
    if (d->has_tz && d->tz_minutes >= 0 && d->tz_minutes <= 180) eu++;
    if (d->has_tz && d->tz_minutes <= -180 && d->tz_minutes >= -600) us++;
  }
  if (eu != us) return eu > us;
  /* "6 January 2020" elsewhere on the page: a day-first writer */
  if (ndm != nmd) return ndm > nmd;
  if (!en) return 1;
  /* else a 24-hour clock past noon against am/pm */
  for (i = 0; i < nc; i++) {
    if (c[i].d.clock == 1 && c[i].d.hour >= 13) eu++;
    if (c[i].d.clock == 2) us++;
  }
  return eu > us;
}

/* Is line i a comment's, or over a short line that says so ("Reply")?
 * (LP_DF_COMMENT: the same for every date of the line.) */
static int comment_line(const lp_text *t, size_t i) {
  const lp_line *l = &t->lines[i];
  return any_in(LP_LINE_PTR(t, l), l->len, COMMENT_WORDS) ||
         (i + 1 < t->n_lines && t->lines[i + 1].nwords <= 4 &&
          any_in(LP_LINE_PTR(t, &t->lines[i + 1]), t->lines[i + 1].len,
                 COMMENT_WORDS));
}

/* Score and name the rule: the feature that added most. */
static void score(lp_date_cand *c) {
  int k, top = -1;
  double best = 0;
  c->score = 0;
  for (k = 0; k < LP_DF__N; k++) {
    double v = weight(k) * c->f[k];
    c->score += v;
    if (k != LP_DF_BIAS && v > best) {
      best = v;
      top = k;
    }
  }
  c->rule = top >= 0 ? RULES[top] : "date-rank";
}

/* Every date of every line, in order; dated[i] set for lines with one. */
static int collect(const lp_text *t, unsigned char *dated, lp_date_cand **out,
                   size_t *n) {
  size_t i, nc = 0, cap = 16;
  lp_date_cand *c = malloc(cap * sizeof *c);
  if (c == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l);
    size_t len = l->len > SCAN_BYTES ? SCAN_BYTES : l->len, from = 0;
    int got = 0;
    lp_date d;
    while (got < MAX_PER_LINE && lp_date_find(s, len, from, &d)) {
      if (nc == cap) {
        lp_date_cand *nv = realloc(c, 2 * cap * sizeof *c);
        if (nv == NULL) {
          free(c);
          return LOUPE_ENOMEM;
        }
        c = nv;
        cap *= 2;
      }
      memset(&c[nc], 0, sizeof c[nc]);
      c[nc].d = d;
      c[nc].line = i;
      nc++;
      got++;
      dated[i] = 1;
      from = d.end > from ? d.end : from + 1;
    }
  }
  *out = c;
  *n = nc;
  return LOUPE_OK;
}

#define REL_LINE 80   /* the longest line a relative date is read on */

/* Does s[0..n) hold a digit? (Both forms need a number.) */
static int has_digit(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] >= '0' && s[i] <= '9') return 1;
  return 0;
}

/* Relative dates ("vor 3 Stunden", "2 days ago") and days without a year
 * ("6. Oktober") on short lines without a date, read against the day's
 * date the page shows at its top: its
 * first date, above the headline and outside its zone, and none later on
 * the page (a masthead, a top bar). That is the page's own "now", never
 * the reader's clock. Appended to *pc with their line's features.
 * LOUPE_OK or LOUPE_ENOMEM. */
static int add_relative(const lp_text *t, const lp_layout *lay,
                        size_t title, const unsigned char *dated,
                        lp_date_cand **pc, size_t *pn) {
  lp_date_cand *c = *pc;
  size_t nc = *pn, cap = *pn, i;
  lp_date now;
  if (nc == 0 || title == LP_NONE || c[0].line >= title ||
      c[0].f[LP_DF_HEAD] || c[0].f[LP_DF_NEAR_BEFORE] ||
      c[0].d.day <= 0)
    return LOUPE_OK;
  now = c[0].d;
  for (i = 1; i < nc; i++)
    if (lp_date_days(&c[i].d) > lp_date_days(&now)) return LOUPE_OK;
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    lp_date d;
    if (dated[i] || l->len > REL_LINE ||
        !has_digit(LP_LINE_PTR(t, l), l->len) ||
        (!lp_date_relative(LP_LINE_PTR(t, l), l->len, &now, &d) &&
         !lp_date_noyear(LP_LINE_PTR(t, l), l->len, &now, &d)))
      continue;
    if (nc == cap) {
      lp_date_cand *nv = realloc(c, (cap + 4) * sizeof *c);
      if (nv == NULL) return LOUPE_ENOMEM;
      *pc = c = nv;
      cap += 4;
    }
    memset(&c[nc], 0, sizeof c[nc]);
    c[nc].d = d;
    c[nc].line = i;
    line_features(t, lay, title, dated, &c[nc]);
    c[nc].f[LP_DF_RELATIVE] = 1;
    nc++;
  }
  *pn = nc;
  return LOUPE_OK;
}

int lp_date_candidates(const lp_text *t, const lp_layout *lay, size_t title,
                       const char *lang, lp_date_cand **out, size_t *n) {
  size_t i, nc = 0;
  lp_date_cand *c = NULL;
  unsigned char *dated = calloc(t->n_lines ? t->n_lines : 1, 1);
  int rc;
  *out = NULL;
  *n = 0;
  if (dated == NULL) return LOUPE_ENOMEM;
  rc = collect(t, dated, &c, &nc);
  if (rc == LOUPE_OK) {
    if (page_day_first(c, nc, lang))
      for (i = 0; i < nc; i++) lp_date_swap_dm(&c[i].d);
    for (i = 0; i < nc; i++) {
      line_features(t, lay, title, dated, &c[i]);
      c[i].f[LP_DF_COMMENT] = i > 0 && c[i - 1].line == c[i].line
                                  ? c[i - 1].f[LP_DF_COMMENT]
                                  : comment_line(t, c[i].line);
    }
    rc = page_features(c, nc, title);
  }
  if (rc == LOUPE_OK) rc = add_relative(t, lay, title, dated, &c, &nc);
  if (rc == LOUPE_OK) {
    for (i = 0; i < nc; i++) score(&c[i]);
    *out = c;
    *n = nc;
  } else {
    free(c);
  }
  free(dated);
  return rc;
}

static int same_day(const lp_date *a, const lp_date *b) {
  return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* A date the page cannot be dated by, whatever its score: an entry of a
 * list of dated lines after the article's body or under a related-stories
 * header is another story's date; a month without a day outside the
 * headline's zone dates an archive or an account, not the article; an
 * embedded post's signature dates the post quoted; a line that lists
 * three more bare years is an archive picker ("10 Nov 2013 2012 2013
 * 2014"), whose date is the archive's; a date written with its weekday,
 * away from the headline and later than the date by it, is the day's
 * date of a site's top bar or an event's day; the update's date on a
 * line that gives the publication's too is not the article's; nor is a
 * month whose day the page writes elsewhere (the day says more), nor one
 * end of a range (an event's span) (bench/train_dates.lua leaves these
 * out too). */
static int ineligible(const lp_date_cand *c) {
  const double *f = c->f;
  if (f[LP_DF_EMBED] || f[LP_DF_YEARS] || f[LP_DF_UPD_PUB] ||
      f[LP_DF_MONTH_ECHO] || f[LP_DF_RANGE] || f[LP_DF_RUN])
    return 1;
  if (f[LP_DF_WEEKDAY] && f[LP_DF_AFTER_HEAD])
    return 1;   /* "Mittwoch, 26.02.2020" in a top bar: today's date */
  if (f[LP_DF_EVENT] || f[LP_DF_CREDIT])
    return 1;   /* "... the summit on 12 May 2020 agreed ...": reported */
  if (f[LP_DF_MONTH] && !f[LP_DF_HEAD] && !f[LP_DF_TITLE] &&
      !f[LP_DF_NEAR_BEFORE])
    return 1;   /* "Joined March 2007", "Archiv: Dezember 2008" */
  /* a date the page calls the publication's stays eligible in a list */
  return f[LP_DF_LIST] && !f[LP_DF_CUE_PUB] &&
         (f[LP_DF_AFTER_BODY] || f[LP_DF_RELATED]);
}

#define TIE_MARGIN 0.1   /* scores this close name no winner */

/* Does another eligible candidate naming another day score within
 * TIE_MARGIN of the best? Then the page does not say which of the two is
 * the article's, and a wrong date is worse than none. */
static int tied(const lp_date_cand *c, size_t nc, size_t best) {
  size_t i;
  for (i = 0; i < nc; i++)
    if (i != best && !ineligible(&c[i]) && !same_day(&c[i].d, &c[best].d) &&
        c[i].score > c[best].score - TIE_MARGIN)
      return 1;
  return 0;
}

int lp_date_pick(const lp_text *t, const lp_layout *lay, size_t title,
                 const char *lang, lp_date_cand *out) {
  lp_date_cand *c;
  size_t i, nc, best = LP_NONE;
  if (lp_date_candidates(t, lay, title, lang, &c, &nc) != LOUPE_OK) return -1;
  for (i = 0; i < nc; i++)
    if (!ineligible(&c[i]) && (best == LP_NONE || c[i].score > c[best].score))
      best = i;
  if (best == LP_NONE || c[best].score <= 0 || tied(c, nc, best)) {
    free(c);
    return 0;
  }
  *out = c[best];
  /* a close rival naming the same day with a time adds the time */
  for (i = 0; i < nc; i++)
    if (c[i].score >= c[best].score - 3.0 && c[i].d.prec > out->d.prec &&
        same_day(&c[i].d, &out->d)) {
      out->d = c[i].d;
      out->line = c[i].line;
    }
  free(c);
  return 1;
}
