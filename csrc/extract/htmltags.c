/*
 * htmltags.c - what the walk knows of elements and class names: the tags
 * it tells apart (blocks, dropped content, void elements, the regions
 * they open) and the words of class and id values that name regions
 * (nav, footer, related, cookie...).
 */
#include <string.h>
#include "htmlpage.h"

static int lower_c(int c) { return c >= 'A' && c <= 'Z' ? c | 32 : c; }

/* ---- tags ---- */

static const struct {
  const char *name;
  unsigned short tag;
  unsigned char kind;
  unsigned in;
} tags[] = {
#define TAG(name, tag, kind, in) {name, tag, kind, in},
#include "tags.def"
#undef TAG
};
#define N_TAGS (sizeof tags / sizeof tags[0])

/* The tags entry of an element name (libxml2 gives it lower case), or -1
 * for an unknown (inline) element. Binary search: the table is sorted. */
static int tag_index(const char *name) {
  size_t lo = 0, hi = N_TAGS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(name, tags[mid].name);
    if (c == 0) return (int)mid;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

/* ---- class and id words ---- */

static const struct {
  const char *word;
  unsigned bits;
  int prefix;       /* also as the start of a longer word ("comments") */
} class_words[] = {
#define CLASS_WORD(word, bits, prefix) {word, bits, prefix},
#include "classwords.def"
#undef CLASS_WORD
};
#define N_CLASS_WORDS (sizeof class_words / sizeof class_words[0])

static unsigned word_bits(const char *w, size_t n) {
  size_t i;
  unsigned bits = 0;
  for (i = 0; i < N_CLASS_WORDS; i++) {
    size_t m = strlen(class_words[i].word);
    if (m == n ? memcmp(w, class_words[i].word, n) == 0
               : (class_words[i].prefix && m < n &&
                  memcmp(w, class_words[i].word, m) == 0))
      bits |= class_words[i].bits;
  }
  return bits;
}

/* Whole class tokens that hide an element (screen-reader-only text and
 * the usual utility classes for display:none). */
static int hidden_token(const char *t, size_t n) {
  static const char *const toks[] = {
    "hidden", "hide", "sr-only", "visually-hidden", "visuallyhidden",
    "screen-reader-text", "screenreader-only", "element-invisible",
    "a11y-hidden", "u-hidden", "is-hidden", "d-none", "display-none",
    "offscreen", NULL
  };
  int k;
  for (k = 0; toks[k]; k++)
    if (strlen(toks[k]) == n && lp_starts_ci(t, n, toks[k])) return 1;
  return 0;
}

/* Does the class token name a taxonomy term (prefix tag-, category-)? */
static int taxonomy_token(const char *t, size_t n) {
  static const char *const pre[] = {
    "tag-", "tag_", "tags-", "category-", "category_", "cat-", "format-",
    "status-", "type-", "topic-", "section-", "author-", "postid-", NULL
  };
  int k;
  for (k = 0; pre[k]; k++)
    if (lp_starts_ci(t, n, pre[k])) return 1;
  return 0;
}

/*
 * Class and id words of an attribute value: each whitespace-separated
 * token is split into words at anything but a letter or digit and at a
 * lower-to-upper case change ("relatedStories"), folded to lower case.
 * A whole token naming hidden text ("sr-only", "hidden") gives
 * LP_CW_HIDDEN; a word inside a token ("hide-on-mobile") does not.
 */
unsigned lp_html_class_bits(const char *v) {
  unsigned bits = 0;
  size_t i = 0;
  if (v == NULL) return 0;
  for (;;) {
    size_t tok, end, k, n = 0;
    char w[32];
    while (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ||
           v[i] == '\f')
      i++;
    if (v[i] == '\0') break;
    tok = i;
    while (v[i] && v[i] != ' ' && v[i] != '\t' && v[i] != '\n' &&
           v[i] != '\r' && v[i] != '\f')
      i++;
    end = i;
    if (hidden_token(v + tok, end - tok)) bits |= LP_CW_HIDDEN;
    /* taxonomy terms ("tag-social-media", "category-ads" that blog
     * engines add to a post) name the subject, not a region */
    if (taxonomy_token(v + tok, end - tok)) continue;
    for (k = tok; k <= end; k++) {
      unsigned char c = k < end ? (unsigned char)v[k] : 0;
      int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9');
      int split = !alnum || (c >= 'A' && c <= 'Z' && k > tok &&
                             v[k - 1] >= 'a' && v[k - 1] <= 'z');
      if (split && n > 0) {
        if (n < sizeof w) bits |= word_bits(w, n);
        n = 0;
      }
      if (alnum && n < sizeof w) w[n++] = (char)lower_c(c);
      else if (alnum) n = sizeof w;      /* too long: no word */
    }
  }
  return bits;
}

lp_tag_info lp_html_tag(const char *name) {
  lp_tag_info ti = {LP_T_OTHER, 0, 0};
  int k = tag_index(name);
  if (k >= 0) {
    ti.tag = tags[k].tag;
    ti.kind = tags[k].kind;
    ti.in = tags[k].in;
  }
  return ti;
}

