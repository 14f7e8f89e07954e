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

static int ends(const word *x, const char *suf) {
  int k = (int)strlen(suf);
  return x->n >= k && memcmp(x->w + x->n - k, suf, (size_t)k) == 0;
}

/* Replace the last k letters with rep. */
static void set_end(word *x, int k, const char *rep) {
  int r = (int)strlen(rep);
  memcpy(x->w + x->n - k, rep, (size_t)r);
  x->n += r - k;
}

/* The longest of the suffixes that ends the word (list longest first),
 * its index, or -1. */
static int longest(const word *x, const char *const *list) {
  int i;
  for (i = 0; list[i]; i++)
    if (ends(x, list[i])) return i;
  return -1;
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
  static const char *const pre[] = {"gener", "commun", "arsen", NULL};
  int i;
  x->r1 = -1;
  for (i = 0; pre[i]; i++) {
    int k = (int)strlen(pre[i]);
    if (x->n >= k && memcmp(x->w, pre[i], (size_t)k) == 0) x->r1 = k;
  }
  if (x->r1 < 0) x->r1 = region_after(x, 0);
  x->r2 = x->r1 < x->n ? region_after(x, x->r1) : x->n;
}

/* Words the algorithm leaves alone or stems by a list. */
static int exception1(word *x) {
  static const char *const from[] = {
    "skis", "skies", "dying", "lying", "tying", "idly", "gently", "ugly",
    "early", "only", "singly", "sky", "news", "howe", "atlas", "cosmos",
    "bias", "andes", NULL};
  static const char *const to[] = {
    "ski", "sky", "die", "lie", "tie", "idl", "gentl", "ugli", "earli",
    "onli", "singl", "sky", "news", "howe", "atlas", "cosmos", "bias",
    "andes"};
  int i;
  for (i = 0; from[i]; i++)
    if ((size_t)x->n == strlen(from[i]) &&
        memcmp(x->w, from[i], (size_t)x->n) == 0) {
      x->n = (int)strlen(to[i]);
      memcpy(x->w, to[i], (size_t)x->n);
      return 1;
    }
  return 0;
}

static void step1a(word *x) {
  int i;
  if (ends(x, "sses")) {
    set_end(x, 4, "ss");
  } else if (ends(x, "ied") || ends(x, "ies")) {
    set_end(x, 3, x->n > 4 ? "i" : "ie");
  } else if (ends(x, "us") || ends(x, "ss")) {
    return;
  } else if (ends(x, "s")) {
    for (i = 0; i < x->n - 2; i++)
      if (is_vowel(x->w[i])) {
        x->n--;
        return;
      }
  }
}

static void step1b(word *x) {
  static const char *const suf[] = {"eedly", "ingly", "edly", "eed", "ing",
                                    "ed", NULL};
  int k = longest(x, suf), len, i, stem;
  if (k < 0) return;
  len = (int)strlen(suf[k]);
  stem = x->n - len;
  if (k == 0 || k == 3) {                       /* eedly, eed */
    if (stem >= x->r1) set_end(x, len, "ee");
    return;
  }
  for (i = 0; i < stem && !is_vowel(x->w[i]); i++) {}
  if (i == stem) return;
  x->n = stem;
  if (ends(x, "at") || ends(x, "bl") || ends(x, "iz")) {
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
  static const char *const suf[] = {
    "ization", "ational", "fulness", "ousness", "iveness", "tional",
    "biliti", "lessli", "entli", "ation", "alism", "aliti", "ousli",
    "iviti", "fulli", "enci", "anci", "abli", "izer", "ator", "alli", "bli",
    "ogi", "li", NULL};
  static const char *const rep[] = {
    "ize", "ate", "ful", "ous", "ive", "tion", "ble", "less", "ent", "ate",
    "al", "al", "ous", "ive", "ful", "ence", "ance", "able", "ize", "ate",
    "al", "ble", "og", ""};
  int k = longest(x, suf), len;
  if (k < 0) return;
  len = (int)strlen(suf[k]);
  if (x->n - len < x->r1) return;
  if (strcmp(suf[k], "ogi") == 0 &&
      (x->n - len < 1 || x->w[x->n - len - 1] != 'l'))
    return;
  if (strcmp(suf[k], "li") == 0 &&
      (x->n - len < 1 || !strchr("cdeghkmnrt", x->w[x->n - len - 1])))
    return;
  set_end(x, len, rep[k]);
}

static void step3(word *x) {
  static const char *const suf[] = {"ational", "tional", "alize", "icate",
                                    "iciti", "ative", "ical", "ness", "ful",
                                    NULL};
  static const char *const rep[] = {"ate", "tion", "al", "ic", "ic", "", "ic",
                                    "", ""};
  int k = longest(x, suf), len;
  if (k < 0) return;
  len = (int)strlen(suf[k]);
  if (x->n - len < x->r1) return;
  if (strcmp(suf[k], "ative") == 0 && x->n - len < x->r2) return;
  set_end(x, len, rep[k]);
}

static void step4(word *x) {
  static const char *const suf[] = {
    "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic", NULL};
  int k = longest(x, suf), len;
  if (k < 0) return;
  len = (int)strlen(suf[k]);
  if (x->n - len < x->r2) return;
  if (strcmp(suf[k], "ion") == 0 &&
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
