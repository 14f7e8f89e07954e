/*
 * verbafter.c - what stands between a speaker phrase and its verb: an
 * apposition (", a strategist with Acme Inc," / " -- who lost in 2008
 * --"), "of Org", a second name ("and Ana Ruiz") and fillers ("also",
 * "on Monday"), and the speech verb after them (speakers.c reads the
 * speaker phrase; cueafter.c the cue after a quote).
 */
#include <string.h>
#include "quotes.h"

/* Length of a dash at x that sets off an apposition ("--", "—", " – "),
 * 0 when there is none. */
static size_t dash_at(const char *s, size_t lim, size_t x) {
  if (x + 1 < lim && s[x] == '-' && s[x + 1] == '-') return 2;
  if (x + 2 < lim && (unsigned char)s[x] == 0xE2 &&
      (unsigned char)s[x + 1] == 0x80 &&
      ((unsigned char)s[x + 2] == 0x94 ||
       ((unsigned char)s[x + 2] == 0x93 && x > 0 && s[x - 1] == ' ')))
    return 3;
  return 0;
}

/* Past a quoted title opened at x inside an apposition ("the co-author
 * of "Boats and Budgets," said"): a capital after the opening mark, the
 * closing mark within 80 bytes; 0 when there is none. */
static size_t quoted_title_end(const char *s, size_t lim, size_t x) {
  size_t a, y;
  if (s[x] == '"' && x > 0 && s[x - 1] == ' ') a = x + 1;
  else if (x + 2 < lim && (unsigned char)s[x] == 0xE2 &&
           (unsigned char)s[x + 1] == 0x80 && (unsigned char)s[x + 2] == 0x9C)
    a = x + 3;
  else
    return 0;
  if (a >= lim || !qt_is_upper_at(s, lim, a)) return 0;
  for (y = a; y < lim && y < a + 80; y++) {
    if (s[y] == '"') return y + 1;
    if (y + 2 < lim && (unsigned char)s[y] == 0xE2 &&
        (unsigned char)s[y + 1] == 0x80 && (unsigned char)s[y + 2] == 0x9D)
      return y + 3;
    if (s[y] == '\n') return 0;
  }
  return 0;
}

/* Past a relative clause or apposition after a speaker: ", who chairs
 * the committee," / ", a former hacker," / " -- who lost in 2008 --"
 * (up to 24 words, closed by a comma or, opened either way, a dash); i
 * when there is none. */
size_t qt_skip_apposition(const char *s, size_t lim, size_t i) {
  size_t k = i, x, dl;
  int words = 0, in_word = 0, by_dash = 0, long_ok;
  if (k + 1 < lim && s[k] == ' ' && dash_at(s, lim, k + 1)) {
    k++;
    by_dash = 1;
  } else if (k < lim && dash_at(s, lim, k)) {
    by_dash = 1;
  } else if (k >= lim || s[k] != ',') {
    return i;
  }
  /* more than 16 words only for a noun phrase or a relative clause (", a
   * veteran consultant who ...,"), not a clause of its own (", Ana Ruiz
   * also rejected ...") */
  {
    size_t w0 = qt_skip_space(s, lim, k + 1), w1 = qt_word_end(s, lim, w0);
    long_ok = qt_word_is(s, w0, w1, "a") || qt_word_is(s, w0, w1, "an") ||
              qt_word_is(s, w0, w1, "the") || qt_word_is(s, w0, w1, "who") ||
              qt_word_is(s, w0, w1, "whose") || qt_word_is(s, w0, w1, "which");
  }
  /* to the next comma: up to 24 words, no sentence end or quote mark
   * but a title's ("Jeff Weaver, Sanders' campaign manager, said", "Harry
   * Bond, 30, of Raleigh, N.C., said" is three of them) */
  for (x = k + (by_dash ? dash_at(s, lim, k) : 1); x < lim && x < k + 260;
       x++) {
    unsigned char c = (unsigned char)s[x];
    if (c == ',' && !by_dash)
      return words > 0 ? qt_skip_space(s, lim, x + 1) : i;
    if ((dl = dash_at(s, lim, x)) > 0)
      return words > 0 ? qt_skip_space(s, lim, x + dl) : i;
    if ((c == '"' || c == 0xE2) && (dl = quoted_title_end(s, lim, x)) > 0) {
      x = dl - 1;
      in_word = 0;
      words++;
      continue;
    }
    if (c == '(') {
      /* a short aside in brackets: ", the High Commissioner (UNHCR)," */
      size_t y = x + 1;
      while (y < lim && y < x + 30 && s[y] != ')' && s[y] != '"' &&
             s[y] != '\n')
        y++;
      if (y >= lim || s[y] != ')') return i;
      x = y;
      in_word = 0;
      continue;
    }
    if (c == '"' || c == ':' || c == ';' || c == '\n') return i;
    if (c == 0xE2 && x + 2 < lim && (unsigned char)s[x + 1] == 0x80 &&
        ((unsigned char)s[x + 2] == 0x9C || (unsigned char)s[x + 2] == 0x9D))
      return i;
    if ((c == '.' || c == '?' || c == '!') && x + 1 < lim && s[x + 1] == ' ' &&
        !(x >= 2 && s[x - 2] != ' ' && qt_is_upper_at(s, lim, x - 1)) &&
        !(x >= 1 && qt_is_upper_at(s, lim, x - 1)))
      return i;
    if (qt_is_word_byte(c)) {
      if (!in_word && ++words > (long_ok ? 24 : 16)) return i;
      in_word = 1;
    } else {
      in_word = 0;
    }
  }
  return i;
}

/* Is the apposition at the comma i a bare name of two to four
 * capitalised words (", Jake Sullivan,")? */
static int name_apposition(const vocab *v, const char *s, size_t lim,
                           size_t i) {
  size_t k;
  int w;
  size_t m;
  if (i >= lim || s[i] != ',') return 0;
  k = qt_skip_space(s, lim, i + 1);
  m = qt_name_at(v, s, lim, k, &w);
  return m > 0 && w >= 2 && k + m < lim && s[k + m] == ',';
}

/* A word between a subject and its verb ("also", "later", "on
 * Monday"; "now": "Ray now says"). */
int qt_filler(const vocab *v, const char *s, size_t a, size_t b) {
  return (qt_vmask(v, s, a, b) & V_FILLER) ||
         (b - a == 3 && qt_word_is(s, a, b, "now"));
}

/* Is s[a, b) a word that may join the capitalised words of a name
 * ("Institute for Science and International Security")? */
static int name_joiner(const char *s, size_t a, size_t b) {
  return qt_word_is(s, a, b, "for") || qt_word_is(s, a, b, "and") ||
         qt_word_is(s, a, b, "of") || qt_word_is(s, a, b, "on") ||
         qt_word_is(s, a, b, "the");
}

/* The end of the name of an organisation at x: capitalised words, up to
 * eight, joined by short function words, ending on a capitalised one;
 * *caps gets how many (x when none). */
size_t qt_org_name_end(const char *s, size_t lim, size_t x, int *caps) {
  size_t k = x;
  int n = 0, joiners = 0;
  while (x < lim && n < 8) {
    size_t xe = qt_word_end(s, lim, x);
    if (xe == x) break;
    if (qt_is_upper_at(s, lim, x)) {
      n++;
      k = xe;
      joiners = 0;
    } else if (!name_joiner(s, x, xe) || ++joiners > 1 || n == 0) {
      break;
    }
    if (xe >= lim || s[xe] != ' ') break;
    x = xe + 1;
  }
  *caps = n;
  return k;
}

/* Past " and Ana Ruiz" after a first speaker ("Kim Ray and Ana Ruiz of
 * Acme wrote"): the end of the second name, i when there is none. */
static size_t and_name(const vocab *v, const char *s, size_t lim, size_t i) {
  size_t w, we, m;
  int words;
  if (i + 5 >= lim || memcmp(s + i, " and ", 5) != 0) return i;
  w = i + 1;
  we = w + 3;
  w = qt_skip_space(s, lim, we);
  m = qt_name_at(v, s, lim, w, &words);
  return m > 0 && words >= 2 ? w + m : i;
}

/* A verb of two words that speaks only at a pause ("went on," / "fired
 * back:" / "chimed in."), not with an object ("went on offense", "fired
 * back in March"): its end, 0 when s[k, e) opens none. */
static size_t phrasal_speech(const char *s, size_t lim, size_t k, size_t e) {
  static const char *const pairs[][2] = {
    {"went", "on"}, {"fired", "back"}, {"shot", "back"}, {"chimed", "in"}
  };
  size_t p, pe, j;
  if (e >= lim || s[e] != ' ') return 0;
  p = e + 1;
  pe = qt_word_end(s, lim, p);
  if (pe >= lim || (s[pe] != ',' && s[pe] != ':' && s[pe] != '.'))
    return 0;
  for (j = 0; j < sizeof pairs / sizeof *pairs; j++)
    if (qt_word_is(s, k, e, pairs[j][0]) && qt_word_is(s, p, pe, pairs[j][1]))
      return pe;
  return 0;
}

/*
 * The speech verb after a speaker phrase ending at i: past an apposition
 * (", a strategist with Acme Inc," / " (ACR)") and up to three fillers
 * ("also", "later", "has repeatedly"). Its start (end in *ve), 0 when
 * none.
 */
size_t qt_verb_after(const vocab *v, const char *s, size_t lim, size_t i,
                     size_t *ve) {
  size_t k, k2;
  int fill = 0, more = 0;
  /* ", Jake Sullivan, said": a name after a comma is the speaker, no
   * apposition of the words before */
  if (name_apposition(v, s, lim, i)) return 0;
  i = and_name(v, s, lim, i);
  k = qt_skip_apposition(s, lim, i);
  /* "Harry Bond, 30, of Raleigh, N.C., who was polled, said" */
  while (k > i && more < 3 && k >= 2 && s[k - 2] == ',' &&
         (k2 = qt_skip_apposition(s, lim, k - 2)) > k) {
    size_t we = qt_word_end(s, lim, k), m;
    m = we > k ? qt_vmask(v, s, k, we) : 0;
    if (m & (V_SPEECH | V_LABEL)) break;      /* ", said" ends it */
    if (name_apposition(v, s, lim, k - 2)) return 0;
    k = k2;
    more++;
  }
  if (k == i && k + 1 < lim && (s[k] == '(' || (s[k] == ' ' && s[k + 1] == '('))) {
    size_t c = k + 1;
    while (c < lim && c < k + 60 && s[c] != ')') c++;
    if (c < lim && s[c] == ')') {
      /* "Ana Ruiz (D-Ore.), who chairs the panel, said" */
      k = c + 1;
      if (k < lim && s[k] == ',') {
        /* "Kasich (R-OH), said," is no apposition */
        size_t w = qt_skip_space(s, lim, k + 1), we = qt_word_end(s, lim, w);
        if (qt_vmask(v, s, w, we) & V_SPEECH) k = w;
        else k = qt_skip_apposition(s, lim, k);
      }
    }
  }
  if (k == i && k + 4 < lim && s[k] == ' ') {
    /* "Kim Ray of the ACLU said", "Ray, of Acme Inc, said" */
    size_t w = k + 1, we = qt_word_end(s, lim, w);
    if (qt_word_is(s, w, we, "of") || qt_word_is(s, w, we, "from") ||
        qt_word_is(s, w, we, "at") || qt_word_is(s, w, we, "with")) {
      size_t x = qt_skip_space(s, lim, we), xe = qt_word_end(s, lim, x);
      int caps = 0;
      if (qt_word_is(s, x, xe, "the")) x = qt_skip_space(s, lim, xe);
      /* "of the anti-tax Harbour Courier": a compound modifier first */
      xe = qt_word_end(s, lim, x);
      if (xe > x && s[x] >= 'a' && s[x] <= 'z' && memchr(s + x, '-', xe - x))
        x = qt_skip_space(s, lim, xe);
      k = qt_org_name_end(s, lim, x, &caps);
      if (caps == 0) k = i;
      if (caps && k < lim && s[k] == ',') k = qt_skip_apposition(s, lim, k);
    }
  }
  if (k < lim && s[k] == ':' && k == i) {
    *ve = k + 1;                     /* "Kim Ray: "..."" */
    return k;
  }
  if (k < lim && s[k] == ':' && s[k - 1] == ')') {
    *ve = k + 1;                     /* "Rep. Ana Ruiz (D-Ore.): "..."" */
    return k;
  }
  k = qt_skip_space(s, lim, k);
  while (k < lim && fill <= 3) {
    size_t e = qt_word_end(s, lim, k);
    unsigned m;
    if (e == k) return 0;
    m = qt_vmask(v, s, k, e);
    if (m & (V_SPEECH | V_LABEL)) {
      *ve = e;
      return k;
    }
    if ((*ve = phrasal_speech(s, lim, k, e)) > 0) return k;
    if (!qt_filler(v, s, k, e) && !(e - k > 4 && s[e - 1] == 'y' && s[e - 2] == 'l' &&
                             !qt_is_upper_at(s, lim, k)))
      return 0;
    fill++;
    if (e >= lim || s[e] != ' ') return 0;
    k = e + 1;
  }
  return 0;
}
