/*
 * stem.c - the English stemmer of the full-text index: Porter2 (the
 * Snowball "english" algorithm, https://snowballstem.org/algorithms/
 * english/stemmer.html), written from its description for lowercase
 * ASCII words.
 *
 * The word lives in a small buffer; R1 and R2 are offsets into it (the
 * regions after the first non-vowel that follows a vowel, and the same
 * again within R1). A 'Y' is a y that acts as a consonant.
 */
#include <string.h>
#include "tokenizer.h"

typedef struct {
  char w[LP_STEM_MAX];
  int n;         /* length */
  int r1, r2;    /* region starts */
} word;

static int is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
         c == 'y';
}

static int is_double(const word *x, int end) {
  return end >= 2 && x->w[end - 1] == x->w[end - 2] &&
         strchr("bdfgmnprt", x->w[end - 1]) != NULL;
}

/* A suffix and its length. */
typedef struct {
  const char *s;
  int n;
} sfx;
#define SFX(lit) {lit, (int)sizeof lit - 1}

static int ends_n(const word *x, const char *suf, int k) {
  int j;
  if (x->n < k) return 0;
  for (j = 1; j <= k; j++)
    if (x->w[x->n - j] != suf[k - j]) return 0;
  return 1;
}

#define ENDS(x, lit) ends_n((x), lit, (int)sizeof lit - 1)

/* Replace the last k letters with rep. */
static void set_end(word *x, int k, const char *rep) {
  int r = (int)strlen(rep);
  memcpy(x->w + x->n - k, rep, (size_t)r);
  x->n += r - k;
}

/* The bit of a letter in a set of last letters. */
#define L(c) (1u << ((c) - 'a'))

/* The longest of the suffixes that ends the word (list longest first,
 * ended by a NULL; lasts the set of their last letters), its index, or
 * -1. */
static int longest(const word *x, const sfx *list, unsigned lasts) {
  char c = x->w[x->n - 1];
  int i;
  if (c < 'a' || c > 'z' || !(lasts & L(c))) return -1;
  for (i = 0; list[i].s; i++)
    if (ends_n(x, list[i].s, list[i].n)) return i;
  return -1;
}

/* The longest suffix in list (ending in one of lasts) that lies wholly in
 * the region starting at r: its index, or -1 (steps 2 to 4 look there). */
static int suffix_in(const word *x, const sfx *list, unsigned lasts, int r) {
  int k;
  if (r >= x->n) return -1;
  k = longest(x, list, lasts);
  return k < 0 || x->n - list[k].n < r ? -1 : k;
}

/* Does w[0..end) end in a short syllable? */
static int short_syllable(const word *x, int end) {
  const char *w = x->w;
  if (end == 2) return is_vowel(w[0]) && !is_vowel(w[1]);
  return end >= 3 && !is_vowel(w[end - 3]) && is_vowel(w[end - 2]) &&
         !is_vowel(w[end - 1]) && w[end - 1] != 'w' && w[end - 1] != 'x' &&
         w[end - 1] != 'Y';
}

static int region_after(const word *x, int from) {
  int i;
  for (i = from + 1; i < x->n; i++)
    if (!is_vowel(x->w[i]) && is_vowel(x->w[i - 1])) return i + 1;
  return x->n;
}

static void regions(word *x) {
  static const sfx pre[] = {SFX("gener"), SFX("commun"), SFX("arsen"),
                            {NULL, 0}};
  int i;
  x->r1 = -1;
  for (i = 0; pre[i].s; i++) {
    int k = pre[i].n;
    if (x->n >= k && x->w[0] == pre[i].s[0] &&
        memcmp(x->w, pre[i].s, (size_t)k) == 0)
      x->r1 = k;
  }
  if (x->r1 < 0) x->r1 = region_after(x, 0);
  x->r2 = x->r1 < x->n ? region_after(x, x->r1) : x->n;
}

/* Words the algorithm leaves alone or stems by a list. */
static int exception1(word *x) {
  static const sfx from[] = {
    SFX("skis"), SFX("skies"), SFX("dying"), SFX("lying"), SFX("tying"),
    SFX("idly"), SFX("gently"), SFX("ugly"), SFX("early"), SFX("only"),
    SFX("singly"), SFX("sky"), SFX("news"), SFX("howe"), SFX("atlas"),
    SFX("cosmos"), SFX("bias"), SFX("andes"), {NULL, 0}};
  static const char *const to[] = {
    "ski", "sky", "die", "lie", "tie", "idl", "gentl", "ugli", "earli",
    "onli", "singl", "sky", "news", "howe", "atlas", "cosmos", "bias",
    "andes"};
  int i;
  if (x->n > 6) return 0;                 /* the longest is 6 letters */
  for (i = 0; from[i].s; i++)
    if (x->n == from[i].n && x->w[0] == from[i].s[0] &&
        memcmp(x->w, from[i].s, (size_t)x->n) == 0) {
      x->n = (int)strlen(to[i]);
      memcpy(x->w, to[i], (size_t)x->n);
      return 1;
    }
  return 0;
}

static void step1a(word *x) {
  int i;
  if (ENDS(x, "sses")) {
    set_end(x, 4, "ss");
  } else if (ENDS(x, "ied") || ENDS(x, "ies")) {
    set_end(x, 3, x->n > 4 ? "i" : "ie");
  } else if (ENDS(x, "us") || ENDS(x, "ss")) {
    return;
  } else if (ENDS(x, "s")) {
    for (i = 0; i < x->n - 2; i++)
      if (is_vowel(x->w[i])) {
        x->n--;
        return;
      }
  }
}

static void step1b(word *x) {
  static const sfx suf[] = {SFX("eedly"), SFX("ingly"), SFX("edly"),
                            SFX("eed"), SFX("ing"), SFX("ed"), {NULL, 0}};
  int k = longest(x, suf, L('y') | L('d') | L('g')), len, i, stem;
  if (k < 0) return;
  len = suf[k].n;
  stem = x->n - len;
  if (k == 0 || k == 3) {                       /* eedly, eed */
    if (stem >= x->r1) set_end(x, len, "ee");
    return;
  }
  for (i = 0; i < stem && !is_vowel(x->w[i]); i++) {}
  if (i == stem) return;
  x->n = stem;
  if (ENDS(x, "at") || ENDS(x, "bl") || ENDS(x, "iz")) {
    set_end(x, 0, "e");
  } else if (is_double(x, x->n)) {
    x->n--;
  } else if (short_syllable(x, x->n) && x->r1 >= x->n) {
    set_end(x, 0, "e");
  }
}

static void step1c(word *x) {
  char c;
  if (x->n < 3) return;
  c = x->w[x->n - 1];
  if ((c == 'y' || c == 'Y') && !is_vowel(x->w[x->n - 2]))
    x->w[x->n - 1] = 'i';
}

static void step2(word *x) {
  static const sfx suf[] = {
    SFX("ization"), SFX("ational"), SFX("fulness"), SFX("ousness"),
    SFX("iveness"), SFX("tional"), SFX("biliti"), SFX("lessli"),
    SFX("entli"), SFX("ation"), SFX("alism"), SFX("aliti"), SFX("ousli"),
    SFX("iviti"), SFX("fulli"), SFX("enci"), SFX("anci"), SFX("abli"),
    SFX("izer"), SFX("ator"), SFX("alli"), SFX("bli"), SFX("ogi"),
    SFX("li"), {NULL, 0}};
  static const unsigned lasts = L('n') | L('l') | L('s') | L('i') | L('m') |
                                L('r');
  static const char *const rep[] = {
    "ize", "ate", "ful", "ous", "ive", "tion", "ble", "less", "ent", "ate",
    "al", "al", "ous", "ive", "ful", "ence", "ance", "able", "ize", "ate",
    "al", "ble", "og", ""};
  int k = suffix_in(x, suf, lasts, x->r1), len;
  if (k < 0) return;
  len = suf[k].n;
  if (strcmp(suf[k].s, "ogi") == 0 &&
      (x->n - len < 1 || x->w[x->n - len - 1] != 'l'))
    return;
  if (strcmp(suf[k].s, "li") == 0 &&
      (x->n - len < 1 || !strchr("cdeghkmnrt", x->w[x->n - len - 1])))
    return;
  set_end(x, len, rep[k]);
}

static void step3(word *x) {
  static const sfx suf[] = {SFX("ational"), SFX("tional"), SFX("alize"),
                            SFX("icate"), SFX("iciti"), SFX("ative"),
                            SFX("ical"), SFX("ness"), SFX("ful"), {NULL, 0}};
  static const unsigned lasts = L('l') | L('e') | L('i') | L('s');
  static const char *const rep[] = {"ate", "tion", "al", "ic", "ic", "", "ic",
                                    "", ""};
  int k = suffix_in(x, suf, lasts, x->r1), len;
  if (k < 0) return;
  len = suf[k].n;
  if (strcmp(suf[k].s, "ative") == 0 && x->n - len < x->r2) return;
  set_end(x, len, rep[k]);
}

static void step4(word *x) {
  static const sfx suf[] = {
    SFX("ement"), SFX("ance"), SFX("ence"), SFX("able"), SFX("ible"),
    SFX("ment"), SFX("ant"), SFX("ent"), SFX("ism"), SFX("ate"), SFX("iti"),
    SFX("ous"), SFX("ive"), SFX("ize"), SFX("ion"), SFX("al"), SFX("er"),
    SFX("ic"), {NULL, 0}};
  static const unsigned lasts = L('t') | L('e') | L('m') | L('i') | L('s') |
                                L('n') | L('l') | L('r') | L('c');
  int k = suffix_in(x, suf, lasts, x->r2), len;
  if (k < 0) return;
  len = suf[k].n;
  if (strcmp(suf[k].s, "ion") == 0 &&
      (x->n - len < 1 || !strchr("st", x->w[x->n - len - 1])))
    return;
  x->n -= len;
}

static void step5(word *x) {
  char c = x->w[x->n - 1];
  if (c == 'e') {
    if (x->n - 1 >= x->r2 ||
        (x->n - 1 >= x->r1 && !short_syllable(x, x->n - 1)))
      x->n--;
  } else if (c == 'l') {
    if (x->n - 1 >= x->r2 && x->n >= 2 && x->w[x->n - 2] == 'l') x->n--;
  }
}

/* After step 1a, words that are left as they are. */
static int exception2(const word *x) {
  static const char *const list[] = {"inning", "outing", "canning",
                                     "herring", "earring", "proceed",
                                     "exceed", "succeed", NULL};
  int i;
  if (x->n < 6 || x->n > 7) return 0;
  for (i = 0; list[i]; i++)
    if ((size_t)x->n == strlen(list[i]) &&
        memcmp(x->w, list[i], (size_t)x->n) == 0)
      return 1;
  return 0;
}

size_t lp_stem_en(const char *w, size_t n, char *out) {
  word x;
  int i;
  if (n <= 2 || n >= LP_STEM_MAX) {
    memcpy(out, w, n);
    return n;
  }
  memcpy(x.w, w, n);
  x.n = (int)n;
  if (!exception1(&x)) {
    for (i = 0; i < x.n; i++)
      if (x.w[i] == 'y' && (i == 0 || is_vowel(x.w[i - 1]))) x.w[i] = 'Y';
    regions(&x);
    step1a(&x);
    if (!exception2(&x)) {
      step1b(&x);
      step1c(&x);
      step2(&x);
      step3(&x);
      step4(&x);
      step5(&x);
    }
    for (i = 0; i < x.n; i++)
      if (x.w[i] == 'Y') x.w[i] = 'y';
  }
  memcpy(out, x.w, (size_t)x.n);
  return (size_t)x.n;
}
