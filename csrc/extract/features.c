/*
 * features.c - per-line evidence for the classifier (words, stop words,
 * capitals, digits, separators, bullets, sentence ends) and a guess of the
 * page language from stop-word hits. The stop-word lexicon lives on the
 * parser handle: no mutable global state.
 */
#include <stdlib.h>
#include <string.h>
#include "extract.h"

enum { L_EN, L_PT, L_ES, L_FR, L_DE, L_IT, L_NL, L_ID, L_RU, L_COUNT };
static const char *const lang_code[L_COUNT] = {
  "en", "pt", "es", "fr", "de", "it", "nl", "id", "ru"
};
/* Space-separated stop words per language (the commonest function words). */
static const char *const stop_lists[L_COUNT] = {
  "the of and to a in is that for on it with as was he said be by at are "
  "from this have has an but not they his were which or we its their been "
  "had will would who more also there after than one about her she our can "
  "all over into up out new you them these what when those could some him "
  "other most only just two may any before while between during under "
  "against because such i me my your if so no do does did how where why "
  "then than here should must being now very us it's",
  "de a o que e do da em um para com não uma os no se na por mais as dos "
  "como mas foi ao ele das tem à seu sua ou ser quando muito há nos já está "
  "também pelo pela até isso ela entre era depois sem mesmo aos ter seus "
  "quem nas esse eles essa num nem suas meu às são foram pode sobre",
  "de la que el en y a los del se las por un para con no una su al lo como "
  "más pero sus le ya o este sí porque esta entre cuando muy sin sobre "
  "también me hasta hay donde quien desde todo nos durante todos uno les ni "
  "contra otros ese eso ante ellos e esto fue ha son está",
  "de la le et les des en un du une que est pour qui dans a par plus pas au "
  "sur ne se ce il sont avec ou son sa mais été aux leur elle nous vous ils "
  "cette ses comme on était être fait",
  "der die und in den von zu das mit sich des auf für ist im dem nicht ein "
  "eine als auch es an werden aus er hat dass sie nach wird bei einer um am "
  "sind noch wie einem über einen so zum war haben nur oder aber vor zur bis "
  "mehr durch man sein wurde",
  "di e il la che a per in un è del della i le con non una da sono si al "
  "dei alla più anche come ma nel delle gli ha lo questo ci essere",
  "de het een en van in is dat op te zijn met voor niet aan er die ook als "
  "bij door maar om dan nog wel naar",
  "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke "
  "karena ada oleh atau saat bisa mereka kami kita telah sudah",
  "и в не на что с по как это он а к из у за о то его же от для но она бы "
  "так все был мы вы также было при они их уже"
};

#define LEX_SLOTS 4096u

struct lp_lexicon {
  uint32_t hash[LEX_SLOTS];   /* 0 = empty */
  uint16_t mask[LEX_SLOTS];   /* languages the word is a stop word in */
};

static uint32_t fnv_step(uint32_t h, unsigned c) {
  return (h ^ c) * 16777619u;
}

/* Lower-case a code point for hashing (ASCII, Latin-1, Cyrillic). */
static uint32_t fold(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  return cp;
}

static uint32_t hash_fix(uint32_t h) { return h ? h : 1; }

static void lex_put(lp_lexicon *lx, uint32_t h, int lang) {
  uint32_t k = h & (LEX_SLOTS - 1);
  while (lx->hash[k] != 0 && lx->hash[k] != h) k = (k + 1) & (LEX_SLOTS - 1);
  lx->hash[k] = h;
  lx->mask[k] |= (uint16_t)(1u << lang);
}

static unsigned lex_get(const lp_lexicon *lx, uint32_t h) {
  uint32_t k = h & (LEX_SLOTS - 1);
  while (lx->hash[k] != 0) {
    if (lx->hash[k] == h) return lx->mask[k];
    k = (k + 1) & (LEX_SLOTS - 1);
  }
  return 0;
}

int lp_lexicon_new(lp_lexicon **out) {
  lp_lexicon *lx = calloc(1, sizeof *lx);
  int lang;
  *out = NULL;
  if (lx == NULL) return LOUPE_ENOMEM;
  for (lang = 0; lang < L_COUNT; lang++) {
    const unsigned char *s = (const unsigned char *)stop_lists[lang];
    size_t n = strlen(stop_lists[lang]), i = 0;
    while (i < n) {
      uint32_t h = 2166136261u;
      while (i < n && s[i] == ' ') i++;
      if (i >= n) break;
      while (i < n && s[i] != ' ') {
        size_t k;
        uint32_t cp = lp_utf8_decode(s, n, i, &k);
        if (cp == '\'') break;
        h = fnv_step(h, fold(cp));
        i += k;
      }
      while (i < n && s[i] != ' ') i++;
      lex_put(lx, hash_fix(h), lang);
    }
  }
  *out = lx;
  return LOUPE_OK;
}

void lp_lexicon_free(lp_lexicon *lx) { free(lx); }

static int is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }


/* Word characters: ASCII through a test, the rest through lp_is_letter. */
static int is_word_cp(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  return lp_is_letter(cp) && !lp_is_cjk(cp);
}

static int is_sep(uint32_t cp) {
  return cp == '|' || cp == 0xB7 || cp == 0x2022 || cp == 0xBB ||
         cp == 0x203A || cp == 0x25A1 || cp == 0x25AA || cp == 0x25CF ||
         cp == 0x2013 || cp == 0x2014 || cp == '/' || cp == 0x2192 ||
         cp == 0xA6 || cp == 0x25B8 || cp == 0x25BA;
}

/*
 * One pass over line l: words, capitals, digits, separators, CJK
 * characters, stop-word hits per language, the normalised word hash (as
 * lp_norm_hash computes it) and, into script[], script counts for the
 * language guess (when script is not NULL).
 */
/* A word of hash h and wl characters ends on line l: it joins the
 * line's hash (its first 64 words) and, when short, counts as a stop word
 * of the languages whose lists hold it (lx NULL: no stop word). */
static inline void end_word(lp_line *l, const lp_lexicon *lx, uint32_t h,
                            unsigned wl, uint32_t *nh, unsigned *nw) {
  if (*nw < 64) *nh = lp_mix32(*nh ^ h) + *nw;
  (*nw)++;
  l->nwords++;
  if (lx && wl <= 8) {
    unsigned m = lex_get(lx, hash_fix(h));
    if (m) {
      int lang;
      l->nstop_any++;
      for (lang = 0; lang < L_COUNT; lang++)
        if (m & (1u << lang)) l->stops[lang]++;
    }
  }
}

/* The page's script counts: kana, hangul, han, cyrillic, arabic. */
static inline void count_script(size_t *script, uint32_t cp) {
  if (cp < 0x80) return;
  if (cp >= 0x3040 && cp <= 0x30FF) script[0]++;
  else if (cp >= 0xAC00 && cp <= 0xD7AF) script[1]++;
  else if (lp_is_cjk(cp)) script[2]++;
  else if (cp >= 0x400 && cp <= 0x4FF) script[3]++;
  else if (cp >= 0x600 && cp <= 0x6FF) script[4]++;
}

static void scan_line(const lp_text *t, lp_line *l, const lp_lexicon *lx,
                      size_t *script) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t i = 0, n = l->len;
  uint32_t nh = 0x9e3779b9u;
  unsigned nw = 0;
  l->nwords = l->nalpha_words = l->ncap = l->nstop = l->nstop_any = 0;
  l->ndigits = l->nseps = l->ncjk = l->nchars = 0;
  memset(l->stops, 0, sizeof l->stops);
  while (i < n) {
    size_t k;
    uint32_t cp;
    unsigned char c0 = s[i];
    if (c0 < 0x80 && (lp_byte_class[c0] & (LP_B_ALPHA | LP_B_DIGIT))) {
      /* fast path: an ASCII word */
      uint32_t h = 2166136261u;
      size_t w0 = i;
      unsigned wl;
      if (lp_byte_class[c0] & LP_B_ALPHA) {
        l->nalpha_words++;
        if (lp_byte_class[c0] & LP_B_UPPER) l->ncap++;
      }
      while (i < n && s[i] < 0x80 && (lp_byte_class[s[i]] & (LP_B_ALPHA | LP_B_DIGIT))) {
        unsigned char c = s[i];
        if (lp_byte_class[c] & LP_B_DIGIT) l->ndigits++;
        h = fnv_step(h, lp_byte_class[c] & LP_B_UPPER ? (unsigned)(c | 32) : c);
        i++;
      }
      l->nchars += (unsigned)(i - w0);
      if (script) script[5] += i - w0;
      wl = (unsigned)(i - w0);
      if (i < n && s[i] >= 0x80) {
        /* the word goes on in non-ASCII letters: finish it the slow way */
        while (i < n) {
          cp = s[i] < 0x80 ? s[i] : lp_utf8_decode(s, n, i, &k);
          if (s[i] < 0x80) k = 1;
          if (!is_word_cp(cp)) break;
          if (is_digit(cp)) l->ndigits++;
          h = fnv_step(h, fold(cp));
          i += k;
          wl++;
          l->nchars++;
          if (script) script[5]++;
        }
      }
      end_word(l, lx, h, wl, &nh, &nw);
      continue;
    }
    if (c0 < 0x80) {
      l->nchars++;
      if (lp_byte_class[c0] & LP_B_SEP) l->nseps++;
      i++;
      continue;
    }
    cp = lp_utf8_decode(s, n, i, &k);
    l->nchars++;
    if (script) count_script(script, cp);
    if (lp_is_letter(cp) || is_digit(cp)) {
      uint32_t h = 2166136261u;
      unsigned wlen = 0, first = 1;
      if (script) script[5]++;
      if (lp_is_cjk(cp)) {
        /* every CJK character counts as a word of its own */
        l->ncjk++;
        h = fnv_step(h, fold(cp));
        end_word(l, NULL, h, 0, &nh, &nw);
        i += k;
        continue;
      }
      if (is_digit(cp)) l->ndigits++;
      else {
        l->nalpha_words++;
        if (lp_is_upper(cp)) l->ncap++;
      }
      for (;;) {
        if (first) first = 0;
        else if (is_digit(cp)) l->ndigits++;
        h = fnv_step(h, fold(cp));
        wlen++;
        i += k;
        if (i >= n) break;
        if (s[i] < 0x80) { cp = s[i]; k = 1; }
        else cp = lp_utf8_decode(s, n, i, &k);
        if (!is_word_cp(cp)) break;
        l->nchars++;
        if (script) script[5]++;
      }
      end_word(l, lx, h, wlen, &nh, &nw);
      continue;
    }
    if (is_sep(cp)) l->nseps++;
    i += k;
  }
  l->hash = nh ^ nw;
}

/*
 * Guess the page language from the per-line counts lp_features() left:
 * scripts first (kana, hangul, han, arabic, cyrillic), then the language
 * whose stop words prose lines hit most. Returns a static code or NULL.
 */
const char *lp_guess_lang(const lp_text *t) {
  unsigned per[L_COUNT];
  size_t i, budget = 0, total = 0;
  const size_t *sc = t->script;
  size_t letters = sc[5];
  int best = -1, lang;
  unsigned bestn = 0;
  memset(per, 0, sizeof per);
  for (i = 0; i < t->n_lines && budget < 400000; i++) {
    const lp_line *l = &t->lines[i];
    if (l->len < 60) continue;    /* prose, not menus */
    budget += l->len;
    total += l->nwords;
    for (lang = 0; lang < L_COUNT; lang++) per[lang] += l->stops[lang];
  }
  if (letters == 0) return NULL;
  if (sc[0] * 20 > letters) return "ja";
  if (sc[1] * 5 > letters) return "ko";
  if (sc[2] * 5 > letters) return "zh";
  if (sc[4] * 3 > letters) return "ar";
  for (lang = 0; lang < L_COUNT; lang++)
    if (per[lang] > bestn) { bestn = per[lang]; best = lang; }
  if (sc[3] * 3 > letters && best != L_RU) return "ru";
  if (best < 0 || total < 20 || bestn * 10 < total) return NULL;
  return lang_code[best];
}

static int lang_index(const char *lang) {
  int i;
  if (lang == NULL) return -1;
  for (i = 0; i < L_COUNT; i++)
    if (strcmp(lang, lang_code[i]) == 0) return i;
  return -1;
}

static int is_terminal_end(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t n = l->len;
  unsigned c;
  if (n == 0) return 0;
  c = s[n - 1];
  if (c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ':' ||
      c == ';' || c == ')')
    return c == ')' ? (n >= 2 && (s[n - 2] == '.' || s[n - 2] == ')')) : 1;
  if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 &&
      (s[n - 1] == 0x9D || s[n - 1] == 0x99 || s[n - 1] == 0xA6))
    return 1;                                   /* ” ’ … */
  if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x82)
    return 1;                                   /* 。 */
  if (n >= 3 && s[n - 3] == 0xEF && s[n - 2] == 0xBC &&
      (s[n - 1] == 0x81 || s[n - 1] == 0x9F))
    return 1;                                   /* ！ ？ */
  return 0;
}

/* A URL or a bracketed reference: one pass looking for "http" and "www.". */
static int has_url(const char *s, size_t n) {
  size_t i;
  if (n > 0 && s[0] == '[') return 1;
  for (i = 0; i + 4 <= n; i++) {
    char c = s[i];
    if (c != 'h' && c != 'w' && c != 'H' && c != 'W') continue;
    if (lp_starts_ci(s + i, n - i, "http://") ||
        lp_starts_ci(s + i, n - i, "https://") ||
        lp_starts_ci(s + i, n - i, "www."))
      return 1;
  }
  return 0;
}

static int bullet_start(const unsigned char *s, size_t n) {
  if (n == 0) return 0;
  if ((s[0] == '*' || s[0] == '-' || s[0] == '+') && n > 1 && s[1] == ' ')
    return 1;
  if (n >= 2 && s[0] == 0xC2 && (s[1] == 0xB7 || s[1] == 0xBB)) return 1;
  if (n >= 3 && s[0] == 0xE2 &&
      ((s[1] == 0x80 && (s[2] == 0xA2 || s[2] == 0xBA)) ||
       (s[1] == 0x96 && (s[2] == 0xA1 || s[2] == 0xA0 || s[2] == 0xAA ||
                         s[2] == 0xB8 || s[2] == 0xBA)) ||
       (s[1] == 0x97 && (s[2] == 0x8F || s[2] == 0xA6 || s[2] == 0x8B))))
    return 1;
  return 0;
}

void lp_features(lp_text *t, const lp_lexicon *lx) {
  size_t i, budget = 0;
  memset(t->script, 0, sizeof t->script);
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l);
    /* script counts come from prose-length lines, up to a budget */
    int count = l->len >= 60 && budget < 400000;
    if (count) budget += l->len;
    scan_line(t, l, lx, count ? t->script : NULL);
    if (is_terminal_end(t, l)) l->flags |= LP_F_TERMINAL;
    if (bullet_start((const unsigned char *)s, l->len)) l->flags |= LP_F_BULLET;
    /* the URL flag only matters for short lines (links, image refs) */
    if (l->nwords < 40 && l->len < 4096 && has_url(s, l->len))
      l->flags |= LP_F_URL;
  }
}

void lp_apply_lang(lp_text *t, const char *lang) {
  int li = lang_index(lang);
  size_t i;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    l->nstop = li >= 0 ? l->stops[li] : l->nstop_any;
  }
}

/* ASCII case-insensitive substring test. */
int lp_contains_ci(const char *s, size_t n, const char *needle) {
  size_t m = strlen(needle);
  unsigned char lo, up;
  const char *p, *end;
  if (m == 0) return 1;
  if (m > n) return 0;
  lo = up = (unsigned char)needle[0];
  if (lo >= 'A' && lo <= 'Z') lo |= 32;
  if (lo >= 'a' && lo <= 'z') up = (unsigned char)(lo - 32);
  /* memchr finds the candidates for the first byte (in either case): most
   * lines hold few of them, and memchr reads many bytes at a time */
  p = s;
  end = s + (n - m) + 1;
  while (p < end) {
    const char *x = memchr(p, lo, (size_t)(end - p)), *y = NULL;
    if (up != lo) y = memchr(p, up, (size_t)((x ? x : end) - p));
    if (y) x = y;
    if (x == NULL) return 0;
    /* x + m <= s + n here: the rest of the needle fits */
    if (lp_eq_ascii_ci(x + 1, needle + 1, m - 1)) return 1;
    p = x + 1;
  }
  return 0;
}

int lp_starts_ci(const char *s, size_t n, const char *prefix) {
  size_t j;
  /* no strlen (this runs for many short prefixes): the prefix ends at its
   * NUL, the line at n */
  for (j = 0; prefix[j] != '\0'; j++)
    if (j >= n || lp_ascii_lower((unsigned char)s[j]) !=
                      lp_ascii_lower((unsigned char)prefix[j]))
      return 0;
  return 1;
}

/* Bytes of a word for overlap counting: ASCII letters, digits and any
 * non-ASCII byte (letters of other scripts). */
static int word_byte(unsigned char c) {
  return c >= 0x80 || (c < 0x80 && (lp_byte_class[c] & (LP_B_ALPHA | LP_B_DIGIT)));
}

/* Hash of the word s[0..n) with ASCII case folded. */
static uint32_t word_hash_ci(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 'A' && c <= 'Z') c |= 32;
    h = fnv_step(h, c);
  }
  return h ? h : 1;
}

/*
 * Share (per mille) of a's words of four or more characters that also
 * occur as words in b (ASCII case folded; both read up to 1500 bytes).
 * b's words go into a small hash set first: linear in both lengths.
 * Words compare by their first five bytes, a crude stem ("breaches" meets
 * "breach").
 */
#define STEM(len) ((len) < 5 ? (len) : 5)
unsigned lp_word_overlap(const lp_text *t, const lp_line *a, const lp_line *b) {
  enum { SLOTS = 1024 };
  uint32_t set[SLOTS];
  const char *s = LP_LINE_PTR(t, b);
  size_t i = 0, n = b->len > 1500 ? 1500 : b->len;
  unsigned words = 0, hits = 0;
  memset(set, 0, sizeof set);
  while (i < n) {
    size_t j = i;
    while (j < n && word_byte((unsigned char)s[j])) j++;
    if (j - i >= 4) {
      uint32_t h = word_hash_ci(s + i, STEM(j - i)), k = h & (SLOTS - 1);
      while (set[k] != 0 && set[k] != h) k = (k + 1) & (SLOTS - 1);
      set[k] = h;
    }
    i = j + 1;
  }
  s = LP_LINE_PTR(t, a);
  n = a->len > 1500 ? 1500 : a->len;
  i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && word_byte((unsigned char)s[j])) j++;
    if (j - i >= 4) {
      uint32_t h = word_hash_ci(s + i, STEM(j - i)), k = h & (SLOTS - 1);
      words++;
      while (set[k] != 0 && set[k] != h) k = (k + 1) & (SLOTS - 1);
      if (set[k] == h) hits++;
    }
    i = j + 1;
  }
  return words ? hits * 1000u / words : 0;
}
