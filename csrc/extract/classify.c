/*
 * classify.c - labels every line as body or boilerplate. Three passes:
 * cue words and shape give each line an initial class (good, near-good,
 * short, bad); neighbours decide the short and near-good ones (as jusText
 * does); a maximum-sum segment over the page picks the article region so
 * that prose in comment widgets and related-story teasers stays out.
 */
#include <stdlib.h>
#include <string.h>
#include "classify.h"
#include "html.h"

typedef struct {
  const char *word;
  unsigned cue;
  int at_start;          /* CUE_AT_START: only when the line starts with it;
                          * CUE_WORD: only as a whole word */
} cue_word;

enum { CUE_AT_START = 1, CUE_WORD = 2 };

/* Cue words say why a short line is not prose. Matched case-insensitively. */
static const cue_word cues[] = {
  {"copyright", LP_CUE_COPYRIGHT, 0},
  {"\xC2\xA9", LP_CUE_COPYRIGHT, 0},               /* © */
  {"all rights reserved", LP_CUE_COPYRIGHT, 0},
  {"icp", LP_CUE_COPYRIGHT, 0},
  {"\xE5\xA4\x87", LP_CUE_COPYRIGHT, 0},           /* 备 (备案) */
  {"\xE8\xAE\xB8\xE5\x8F\xAF\xE8\xAF\x81", LP_CUE_COPYRIGHT, 0}, /* 许可证 */
  {"\xE7\x89\x88\xE6\x9D\x83", LP_CUE_COPYRIGHT, 0},   /* 版权 */
  {"registration no", LP_CUE_COPYRIGHT, 0},
  {"hotline", LP_CUE_COPYRIGHT, 0},
  /* a wire story's rights notice ("This material may not be published,
   * broadcast, rewritten or redistributed.") */
  {"may not be published", LP_CUE_COPYRIGHT, 0},
  {"may not be reproduced", LP_CUE_COPYRIGHT, 0},
  {"may not be republished", LP_CUE_COPYRIGHT, 0},
  {"may not be redistributed", LP_CUE_COPYRIGHT, 0},
  {"rewritten or redistributed", LP_CUE_COPYRIGHT, 0},
  /* "share" as a word: "shares" and "shareholders" are business prose */
  {"share", LP_CUE_SOCIAL, CUE_WORD},
  {"tweet", LP_CUE_SOCIAL, 0},
  {"facebook", LP_CUE_SOCIAL, 0},
  {"twitter", LP_CUE_SOCIAL, 0},
  {"whatsapp", LP_CUE_SOCIAL, 0},
  {"linkedin", LP_CUE_SOCIAL, 0},
  {"pinterest", LP_CUE_SOCIAL, 0},
  {"reddit", LP_CUE_SOCIAL, 0},
  {"instagram", LP_CUE_SOCIAL, 0},
  {"youtube", LP_CUE_SOCIAL, 0},
  {"telegram", LP_CUE_SOCIAL, 0},
  {"follow us", LP_CUE_SOCIAL, 0},
  {"email", LP_CUE_SOCIAL, 1},
  {"print", LP_CUE_SOCIAL, 1},
  {"home", LP_CUE_NAV, 1},
  {"menu", LP_CUE_NAV, 0},
  {"sign in", LP_CUE_NAV, 0},
  {"sign up", LP_CUE_NAV, 0},
  {"log in", LP_CUE_NAV, 0},
  {"login", LP_CUE_NAV, 0},
  {"subscribe", LP_CUE_NAV, 0},
  {"subscription", LP_CUE_NAV, 0},
  {"newsletter", LP_CUE_NAV, 0},
  {"search", LP_CUE_NAV, 1},
  {"skip to", LP_CUE_NAV, 0},
  {"back to top", LP_CUE_NAV, 0},
  {"sections", LP_CUE_NAV, 1},
  {"register", LP_CUE_NAV, 1},
  {"my account", LP_CUE_NAV, 0},
  {"edition", LP_CUE_NAV, 0},
  {"toggle", LP_CUE_NAV, 0},
  {"photo", LP_CUE_CAPTION, 1},
  {"image", LP_CUE_CAPTION, 1},
  {"picture", LP_CUE_CAPTION, 1},
  {"credit:", LP_CUE_CAPTION, 0},
  {"(photo", LP_CUE_CAPTION, 0},
  {"file photo", LP_CUE_CAPTION, 0},
  {"photograph:", LP_CUE_CAPTION, 0},
  {"getty images", LP_CUE_CAPTION, 0},
  {"afp photo", LP_CUE_CAPTION, 0},
  {"ap photo", LP_CUE_CAPTION, 0},
  {"reuters/", LP_CUE_CAPTION, 0},
  {"reuters /", LP_CUE_CAPTION, 0},
  {"/ afp", LP_CUE_CAPTION, 0},
  {"shutterstock", LP_CUE_CAPTION, 0},
  {"photo:", LP_CUE_CAPTION, 0},
  {"foto:", LP_CUE_CAPTION, 0},
  {"foto ", LP_CUE_CAPTION, 1},
  {"bild:", LP_CUE_CAPTION, 0},
  {"image:", LP_CUE_CAPTION, 0},
  {"/illustration", LP_CUE_CAPTION, 0},
  {"related", LP_CUE_RELATED, 1},
  {"latest", LP_CUE_RELATED, 1},
  {"top news", LP_CUE_RELATED, 0},
  {"top stories", LP_CUE_RELATED, 0},
  {"most popular", LP_CUE_RELATED, 0},
  {"most read", LP_CUE_RELATED, 0},
  {"most viewed", LP_CUE_RELATED, 0},
  {"read more", LP_CUE_RELATED, 0},
  {"read next", LP_CUE_RELATED, 0},
  {"also read", LP_CUE_RELATED, 0},
  {"recommended", LP_CUE_RELATED, 1},
  {"more from", LP_CUE_RELATED, 1},
  {"more news", LP_CUE_RELATED, 1},
  {"more stories", LP_CUE_RELATED, 1},
  {"you may also", LP_CUE_RELATED, 0},
  {"you might also", LP_CUE_RELATED, 0},
  {"editor's picks", LP_CUE_RELATED, 0},
  {"editors' picks", LP_CUE_RELATED, 0},
  {"trending", LP_CUE_RELATED, 1},
  {"hot topics", LP_CUE_RELATED, 0},
  {"see also", LP_CUE_RELATED, 1},
  {"special reports", LP_CUE_RELATED, 0},
  {"previous post", LP_CUE_RELATED, 0},
  {"next post", LP_CUE_RELATED, 0},
  {"previous article", LP_CUE_RELATED, 0},
  {"next article", LP_CUE_RELATED, 0},
  {"advertisement", LP_CUE_AD, 0},
  {"sponsored", LP_CUE_AD, 0},
  {"advertis", LP_CUE_AD, 1},
  {"privacy", LP_CUE_LEGAL, 0},
  {"terms of", LP_CUE_LEGAL, 0},
  {"cookie", LP_CUE_LEGAL, 0},
  {"contact us", LP_CUE_LEGAL, 0},
  {"about us", LP_CUE_LEGAL, 0},
  {"feedback", LP_CUE_LEGAL, 1},
  {"sitemap", LP_CUE_LEGAL, 0},
  {"site map", LP_CUE_LEGAL, 0},
  {"post a comment", LP_CUE_COMMENT, 0},
  {"leave a reply", LP_CUE_COMMENT, 0},
  {"leave a comment", LP_CUE_COMMENT, 0},
  {"your email address", LP_CUE_COMMENT, 0},
  {"required fields", LP_CUE_COMMENT, 0},
  {"comments", LP_CUE_COMMENT, 0},
  {"comment", LP_CUE_COMMENT, 1},
  {"reply", LP_CUE_COMMENT, 1},
  {"add comment", LP_CUE_COMMENT, 0},
  {"responses to", LP_CUE_COMMENT, 0},
  {"thoughts on", LP_CUE_COMMENT, 0},
  {"replies to", LP_CUE_COMMENT, 0},
  {"to read the full", LP_CUE_END, 0},
  {"our standards", LP_CUE_END, 0},
  {"trust principles", LP_CUE_END, 0},
  /* notes under the article: who helped, how to reach the writer */
  {"contributed to this report", LP_CUE_END, 0},
  {"contributed reporting", LP_CUE_END, 0},
  {"contributed to this story", LP_CUE_END, 0},
  {"may be reached at", LP_CUE_END, 0},
  {"can be reached at", LP_CUE_END, 0},
  {"information for this report", LP_CUE_END, 0},
  {"sign up for", LP_CUE_NAV, 0},
};

#define N_CUES (sizeof cues / sizeof cues[0])

/* Cue words bucketed by their first byte (lower case), built per parse so
 * a line is scanned once instead of once per cue word. Cue words that
 * count only at the line's start have buckets of their own: the scan
 * looks at them once per line, not at every word. */
typedef struct {
  unsigned short start[257], start0[257];
  unsigned char order[N_CUES], order0[N_CUES];
  unsigned char len[N_CUES];
} cue_index;

static unsigned char lower_b(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 32) : c;
}

static int is_alnum_b(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* Buckets of the cue words whose at-start flag is want. */
static void bucket_cues(unsigned short *start, unsigned char *order,
                        int want) {
  unsigned count[256];
  size_t i;
  unsigned b, pos = 0;
  memset(count, 0, sizeof count);
  for (i = 0; i < N_CUES; i++)
    if (((cues[i].at_start & CUE_AT_START) != 0) == want)
      count[lower_b((unsigned char)cues[i].word[0])]++;
  for (b = 0; b < 256; b++) {
    start[b] = (unsigned short)pos;
    pos += count[b];
  }
  start[256] = (unsigned short)pos;
  memset(count, 0, sizeof count);
  for (i = 0; i < N_CUES; i++) {
    unsigned f = lower_b((unsigned char)cues[i].word[0]);
    if (((cues[i].at_start & CUE_AT_START) != 0) == want)
      order[start[f] + count[f]++] = (unsigned char)i;
  }
}

static void build_cue_index(cue_index *ix) {
  size_t i;
  for (i = 0; i < N_CUES; i++)
    ix->len[i] = (unsigned char)strlen(cues[i].word);
  bucket_cues(ix->start, ix->order, 0);
  bucket_cues(ix->start0, ix->order0, 1);
}

/* Case-insensitive compare of s[0..m) with the lower-case word w. */
static int eq_ci(const char *s, const char *w, size_t m) {
  size_t j;
  for (j = 1; j < m; j++)
    if (lower_b((unsigned char)s[j]) != (unsigned char)w[j]) return 0;
  return 1;
}

/* Cue bits of the words in order[from..to) that match at s[i..n). */
static inline unsigned match_cues(const cue_index *ix, const unsigned char *order,
                           unsigned from, unsigned to, const char *s,
                           size_t i, size_t n) {
  unsigned c = 0, k;
  for (k = from; k < to; k++) {
    unsigned w = order[k];
    size_t m = ix->len[w];
    if (m <= n - i && eq_ci(s + i, cues[w].word, m) &&
        !((cues[w].at_start & CUE_WORD) && m < n - i &&
          is_alnum_b((unsigned char)s[i + m])))
      c |= cues[w].cue;
  }
  return c;
}

/*
 * Cue bits of a line: one pass over its first 300 bytes; at each position
 * only the cue words starting with that byte are compared. Words that
 * start with a letter match at word starts only.
 */
static unsigned line_cues(const cue_index *ix, const char *s, size_t n) {
  unsigned c = 0;
  size_t i, scan = n > 300 ? 300 : n;
  int prev_alnum = 0;
  if (n > 0) {
    unsigned char b = lower_b((unsigned char)s[0]);
    c |= match_cues(ix, ix->order0, ix->start0[b], ix->start0[b + 1], s, 0,
                    n);
  }
  for (i = 0; i < scan; i++) {
    unsigned char raw = (unsigned char)s[i], b;
    int alnum = is_alnum_b(raw);
    if (alnum && prev_alnum) continue;     /* inside a word */
    prev_alnum = alnum;
    b = lower_b(raw);
    if (ix->start[b] == ix->start[b + 1]) continue;
    c |= match_cues(ix, ix->order, ix->start[b], ix->start[b + 1], s, i, n);
  }
  return c;
}

static const char *cue_reason(unsigned c) {
  if (c & LP_CUE_COPYRIGHT) return "copyright";
  if (c & LP_CUE_CAPTION) return "caption";
  if (c & LP_CUE_COMMENT) return "comment-widget";
  if (c & LP_CUE_RELATED) return "related-list";
  if (c & LP_CUE_AD) return "advertisement";
  if (c & LP_CUE_LEGAL) return "footer-link";
  if (c & LP_CUE_SOCIAL) return "share-widget";
  if (c & LP_CUE_NAV) return "navigation";
  if (c & LP_CUE_END) return "end-marker";
  return "cue";
}

static int ends_with_colon(const char *s, size_t n) {
  return n > 0 && s[n - 1] == ':';
}

/* Does a CJK line end a clause that runs on, as prose does: a full-width
 * colon introducing points ("我强调以下几点："), or a closing bracket or
 * quote mark after a sentence ("……。”）")? Menus and labels end in
 * none of these. */
static int cjk_clause_end(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n < 3) return 0;
  if (u[n - 3] == 0xEF && u[n - 2] == 0xBC &&
      (u[n - 1] == 0x9A || u[n - 1] == 0x89))       /* ： ） */
    return 1;
  return u[n - 3] == 0xE2 && u[n - 2] == 0x80 && u[n - 1] == 0x9D;  /* ” */
}

/* Does the line end with a link to the rest of a story, after a sentence
 * ("... find out how. More", "... the deal. Read more »")? A teaser's
 * blurb ends so, never a paragraph of the article. */
static int more_tail(const char *s, size_t n) {
  static const char *const tails[] = {"more", "read more", "more \xC2\xBB",
                                      "read more \xC2\xBB", "more >>"};
  size_t k;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.')) n--;
  for (k = 0; k < sizeof tails / sizeof *tails; k++) {
    size_t m = strlen(tails[k]);
    if (n >= m + 2 && s[n - m - 1] == ' ' &&
        (s[n - m - 2] == '.' || s[n - m - 2] == '!' || s[n - m - 2] == '?') &&
        lp_starts_ci(s + n - m, m, tails[k]))
      return 1;
  }
  return 0;
}

/* Stop-word share (per mille) a line needs to read as prose. */
static unsigned stop_need(const char *lang) {
  if (lang == NULL) return 200;
  if (strcmp(lang, "en") == 0) return 280;
  /* the other languages' lists are shorter: their prose scores lower */
  return 150;
}

/*
 * Initial class of one line from its own evidence.
 */
static int initial_class(const lp_text *t, lp_line *l, const char *lang,
                         int cjk_page, const cue_index *ix) {
  const char *s = LP_LINE_PTR(t, l);
  unsigned words = l->nwords, chars = l->nchars;
  /* per mille, in 64 bits: a one-line page of 55 MB holds more than
   * 4,294,967 stop words */
  unsigned stop = words ? (unsigned)((uint64_t)l->nstop * 1000u / words) : 0;
  unsigned need = stop_need(lang);
  /* cue words decide short lines; in long prose only the opening (a
   * caption or copyright line starts with its cue) is looked at */
  l->cue = line_cues(ix, s, words >= 30 && l->len > 80 ? 80 : l->len);
  /* cookie and consent notices read as prose but are site chrome */
  if ((l->cue & LP_CUE_LEGAL) &&
      lp_contains_ci(s, l->len > 400 ? 400 : l->len, "cookies") &&
      (lp_contains_ci(s, l->len, "website") ||
       lp_contains_ci(s, l->len, "browser") ||
       lp_contains_ci(s, l->len, "consent"))) {
    l->cue |= LP_CUE_LEGAL;
    l->reason = "cookie-notice";
    return C_BAD;
  }
  /* comment widgets: "name says:", "34 responses to ..." */
  if (words <= 8 && l->len > 6 &&
      (lp_contains_ci(s + l->len - 6, 6, " says:") ||
       lp_contains_ci(s + l->len - 6, 6, "wrote:"))) {
    l->cue |= LP_CUE_COMMENT;
    l->reason = "comment-widget";
    return C_BAD;
  }

  if (words >= 4 && more_tail(s, l->len)) {
    l->reason = "teaser-more";
    return C_BAD;
  }
  /* a cue word inside a line that reads as prose is not evidence */
  if (l->cue && words < 30 &&
      !(words >= 12 && stop >= need && (l->flags & LP_F_TERMINAL) &&
        !(l->cue & (LP_CUE_COPYRIGHT | LP_CUE_CAPTION)))) {
    l->reason = cue_reason(l->cue);
    return C_BAD;
  }
  if (words <= 7 && lp_starts_ci(s, l->len, "by ") &&
      !(l->flags & LP_F_TERMINAL)) {
    l->reason = "byline";
    return C_BAD;
  }
  if ((l->flags & LP_F_URL) && words < 12) {
    l->reason = "link";
    return C_BAD;
  }
  if ((uint64_t)l->nseps * 4 >= words && l->nseps >= 2) {
    l->reason = "separated-list";
    return C_BAD;
  }
  if (cjk_page) {
    if (l->ncjk >= 40 && (l->flags & LP_F_TERMINAL)) return C_GOOD;
    if (l->ncjk >= 60) return C_GOOD;
    /* a short full sentence may be prose, as in the Latin branch below
     * (a transcript's answer: "答：我们不掌握有关情况。"); its neighbours
     * decide */
    if (l->ncjk >= 8 &&
        ((l->flags & LP_F_TERMINAL) || cjk_clause_end(LP_LINE_PTR(t, l),
                                                      l->len)))
      return C_NEAR;
    if (l->ncjk + l->nalpha_words < 10) { l->reason = "short"; return C_SHORT; }
    if (l->ncjk < 15 && words >= 10 && stop >= need) {
      /* foreign-language prose on a CJK page: fall through */
    } else {
      l->reason = "no-prose";
      return C_BAD;
    }
  }
  if ((l->flags & LP_F_BULLET) && words < 12) {
    l->reason = "list-item";
    return C_BAD;
  }
  if (chars < 50 || words < 6) {
    l->reason = "short";
    return C_SHORT;
  }
  /* Title Case without a sentence end: a headline or a menu entry */
  if (l->nalpha_words >= 4 && (uint64_t)l->ncap * 10 >= (uint64_t)l->nalpha_words * 7 &&
      !(l->flags & LP_F_TERMINAL) && words <= 30) {
    l->reason = "headline-like";
    return C_SHORT;
  }
  if (words >= 8 && (uint64_t)l->ndigits * 3 > chars) {
    l->reason = "numbers";
    return C_BAD;
  }
  if (stop >= need + 20) {
    if (chars >= 160 || (chars >= 100 && (l->flags & LP_F_TERMINAL)))
      return C_GOOD;
    return C_NEAR;
  }
  if (stop >= need - 60 && (l->flags & LP_F_TERMINAL) && chars >= 80)
    return C_NEAR;
  /* a short full sentence (a question in a transcript) may be prose */
  if ((l->flags & LP_F_TERMINAL) && words >= 5 && stop >= 100 &&
      !ends_with_colon(LP_LINE_PTR(t, l), l->len))
    return C_NEAR;
  /* long sentences dense with names still read as prose */
  if (stop >= 110 && (l->flags & LP_F_TERMINAL) && chars >= 120 && words >= 15)
    return C_NEAR;
  if (stop >= need && chars >= 80) return C_NEAR;
  l->reason = "no-prose";
  return C_BAD;
}

/* Does the line open with a news dateline: a place in capitals, then a
 * colon, a dash, an agency in brackets, or a comma and a date before the
 * dash ("LAHORE: ...", "DAVIE -- ...", "NEW YORK (Reuters) - ...",
 * "RAMALLAH, West Bank, Dec. 5 (AP) -- ...")? A story's lead opens so. */
int lp_dateline_open(const char *s, size_t n) {
  size_t i = 0, caps = 0, k;
  while (i < n && i < 40 && ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' ' ||
                             s[i] == '.' || s[i] == '\'')) {
    if (s[i] >= 'A' && s[i] <= 'Z') caps++;
    i++;
  }
  if (caps < 3 || i >= n) return 0;
  if (s[i] == ':' && s[i - 1] != ' ') return 1;
  if (s[i] == ',') {
    /* a place's region and a date, then the agency or the dash */
    for (k = i; k < n && k < i + 60; k++)
      if ((s[k] == '(' && k + 1 < n && s[k + 1] >= 'A' && s[k + 1] <= 'Z') ||
          (s[k] == ' ' && k + 2 < n && s[k + 1] == '-' &&
           (s[k + 2] == ' ' || s[k + 2] == '-')) ||
          (s[k] == ' ' && k + 3 < n && (unsigned char)s[k + 1] == 0xE2 &&
           (unsigned char)s[k + 2] == 0x80 &&
           ((unsigned char)s[k + 3] == 0x94 || (unsigned char)s[k + 3] == 0x93)))
        return 1;
    return 0;
  }
  if (s[i - 1] != ' ' || i + 1 >= n) return 0;
  if (s[i] == '(' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') return 1;
  if (s[i] == '-' && (s[i + 1] == ' ' || s[i + 1] == '-')) return 1;
  return i + 2 < n && (unsigned char)s[i] == 0xE2 &&
         (unsigned char)s[i + 1] == 0x80 &&
         ((unsigned char)s[i + 2] == 0x94 || (unsigned char)s[i + 2] == 0x93);
}

/* Does the line's class count as a neighbour's context? Short and
 * near-good lines wait for their neighbours; photo captions sit inside
 * articles and say nothing about the lines around them. */
static int decided(const lp_line *l) {
  if (l->cls == C_SHORT || l->cls == C_NEAR) return 0;
  if (l->cls == C_BAD && (l->cue & LP_CUE_CAPTION)) return 0;
  /* nor does an "Advertisement" slot set between paragraphs */
  if (l->cls == C_BAD && (l->cue & LP_CUE_AD) && l->nwords <= 3) return 0;
  if (l->cls == C_BAD && l->reason && (strcmp(l->reason, "caption") == 0 ||
                                       strcmp(l->reason, "caption-repeat") == 0))
    return 0;
  return 1;
}

/* What a line that says the article has ended (comments, related
 * stories, an end note) costs the article region beyond its length. */
#define END_COST 250

/* Weight of a line in the article-region search. */
static long line_weight(const lp_line *l, int cls) {
  long w;
  long c = (long)(l->nchars > 1200 ? 1200 : l->nchars);
  switch (cls) {
  /* short good lines (teasers, list entries) weigh little, paragraphs much */
  case C_GOOD: w = c > 70 ? c - 50 : 20; break;
  case C_NEAR: w = c > 70 ? (c - 50) / 2 : 10; break;
  default:
    w = -25 - (long)(l->nchars > 300 ? 90 : l->nchars * 3 / 10);
    if (l->cue & (LP_CUE_COMMENT | LP_CUE_RELATED | LP_CUE_END))
      w -= END_COST;
    break;
  }
  return w;
}

/* Is line j printed again within two lines (a photo's caption, then
 * its alt text)? */
static int twin_near(const lp_text *t, size_t j) {
  size_t k;
  for (k = j > 2 ? j - 2 : 0; k < t->n_lines && k <= j + 2; k++)
    if (k != j && t->lines[k].hash == t->lines[j].hash &&
        t->lines[k].nwords == t->lines[j].nwords)
      return 1;
  return 0;
}

/* A caption printed twice (credit line, then alt text) is a caption; so
 * is the unpunctuated line beside a photo credit, and a line printed
 * twice just before or after a credit (a gallery's picture text). */
static void caption_pass(lp_text *t) {
  size_t n = t->n_lines, i;
  for (i = 0; i < n; i++) {
    size_t j;
    if (!(t->lines[i].cue & LP_CUE_CAPTION) || t->lines[i].cls != C_BAD)
      continue;
    for (j = i > 4 ? i - 4 : 0; j < n && j <= i + 4; j++) {
      lp_line *o = &t->lines[j];
      if (o->cls == C_BAD || o->cls == C_GOOD || o->nwords < 3 ||
          o->nwords > 60 || !twin_near(t, j))
        continue;
      o->cls = C_BAD;
      o->reason = "caption-repeat";
    }
    for (j = i > 2 ? i - 2 : 0; j < n && j <= i + 2; j++) {
      lp_line *o = &t->lines[j];
      if (j == i || o->cls == C_BAD || o->nwords > 60) continue;
      if (lp_word_overlap(t, o, &t->lines[i]) >= 600) {
        o->cls = C_BAD;
        o->reason = "caption-repeat";
      } else if ((j + 1 == i || j == i + 1) && o->nwords <= 30 &&
                 !(o->flags & LP_F_TERMINAL)) {
        o->cls = C_BAD;
        o->reason = "caption";
      }
    }
  }
}

/* Sentences in a row hold each other up: in a run of PROSE_RUN lines or
 * more that all end like sentences and read as prose (near-good or good),
 * the near-good ones are good (a paragraph block cut off from the rest of
 * the article by a share bar is still the article). */
#define PROSE_RUN 3

static void prose_runs(lp_text *t) {
  size_t n = t->n_lines, i = 0;
  while (i < n) {
    size_t j = i, k;
    while (j < n && (t->lines[j].cls == C_NEAR || t->lines[j].cls == C_GOOD) &&
           (t->lines[j].flags & LP_F_TERMINAL))
      j++;
    if (j - i >= PROSE_RUN)
      for (k = i; k < j; k++) t->lines[k].cls = C_GOOD;
    i = j > i ? j : i + 1;
  }
}

/* A column of short lines (SHORT_COLUMN or more in a row: headlines of
 * other stories, a menu, a programme guide) is not the article's subhead
 * or byline, even with prose on both sides of it. A column the article
 * announces ("His record reads:") or numbers ("1. Saint John") is the
 * article's own table or list. */
#define SHORT_COLUMN 4

static int numbered(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t i = 0;
  while (i < l->len && i < 3 && s[i] >= '0' && s[i] <= '9') i++;
  return i > 0 && i < l->len && (s[i] == '.' || s[i] == ')');
}

static int colon_end(const lp_text *t, const lp_line *l) {
  return l->len > 0 && LP_LINE_PTR(t, l)[l->len - 1] == ':';
}

/* A short full sentence: a column's lines are phrases and names. */
static int short_sentence(const lp_line *l) {
  return (l->flags & LP_F_TERMINAL) && l->nwords >= 5 && !l->cue;
}

/* Marks (flag COLUMN in mark[]) the lines of every short column. */
#define COLUMN 0x80

static void short_columns(const lp_text *t, unsigned char *mark) {
  size_t n = t->n_lines, a = 0, b, i, nums;
  while (a < n) {
    int announced = 0;
    if (t->lines[a].cls != C_SHORT) { a++; continue; }
    for (b = a, nums = 0; b < n && t->lines[b].cls == C_SHORT; b++)
      nums += (size_t)numbered(t, &t->lines[b]);
    for (i = a > 2 ? a - 2 : 0; i <= a; i++)
      announced |= colon_end(t, &t->lines[i]);
    if (b - a >= SHORT_COLUMN && !announced && nums * 2 < b - a)
      for (i = a; i < b; i++)
        if (!short_sentence(&t->lines[i])) mark[i] |= COLUMN;
    a = b;
  }
}

/* Short and near-good lines take their class from the nearest decided
 * (not short, not near) line on each side, found with one pass in each
 * direction. Shorts: good on both sides joins; otherwise the article's
 * edge, where headlines, bylines and kickers sit: not body. Near-good:
 * next to good prose it joins; without a sentence end (a headline, a
 * standfirst) it must sit inside the article. */
static int neighbour_pass(lp_text *t) {
  size_t n = t->n_lines, k;
  unsigned char *prevc = malloc(n ? n : 1), *nextc = malloc(n ? n : 1);
  int last, any_good = 0;
  if (prevc == NULL || nextc == NULL) {
    free(prevc);
    free(nextc);
    return LOUPE_ENOMEM;
  }
  prose_runs(t);
  last = C_BAD;
  for (k = 0; k < n; k++) {
    prevc[k] = (unsigned char)last;
    if (decided(&t->lines[k])) last = t->lines[k].cls;
  }
  last = C_BAD;
  for (k = n; k-- > 0;) {
    nextc[k] = (unsigned char)last;
    if (decided(&t->lines[k])) last = t->lines[k].cls;
  }
  /* a line of a short column has no good line before it to join (on an
   * HTML page, the markup says what is a menu and what a list) */
  if (!t->dom) short_columns(t, prevc);
  for (k = 0; k < n; k++) {
    lp_line *l = &t->lines[k];
    if (l->cls == C_SHORT) {
      if (prevc[k] == C_GOOD && nextc[k] == C_GOOD) {
        l->cls = C_GOOD;
      } else if (prevc[k] == C_GOOD && (l->flags & LP_F_TERMINAL) &&
                 l->nwords >= 5 && !l->cue) {
        /* a short full sentence closing the article ("..." he said.) */
        l->cls = C_GOOD;
      } else {
        l->cls = C_BAD;
        if (l->reason == NULL) l->reason = "short";
      }
    } else if (l->cls == C_NEAR) {
      int pb = prevc[k] == C_BAD, nb = nextc[k] == C_BAD;
      if ((pb && nb) || (!(l->flags & LP_F_TERMINAL) && (pb || nb))) {
        l->cls = C_BAD;
        l->reason = "isolated";
      } else {
        l->cls = C_GOOD;
      }
    }
  }
  free(prevc);
  free(nextc);
  /* a brief of a few short paragraphs has no long prose line at all:
   * then its sentences are the article */
  for (k = 0; k < n && !any_good; k++)
    if (t->lines[k].cls == C_GOOD) any_good = 1;
  if (!any_good)
    for (k = 0; k < n; k++)
      if (t->lines[k].cls == C_BAD && t->lines[k].reason &&
          strcmp(t->lines[k].reason, "isolated") == 0 &&
          (t->lines[k].flags & LP_F_TERMINAL))
        t->lines[k].cls = C_GOOD;
  return LOUPE_OK;
}

/* On pages whose prose is flush left, indented prose sits in lists,
 * sidebars or tables (how renderers lay out teasers): it counts less. */
static void indent_pass(lp_text *t) {
  size_t n = t->n_lines, i, flush = 0, indented = 0;
  for (i = 0; i < n; i++)
    if (t->lines[i].cls == C_GOOD) {
      if (t->lines[i].indent >= 4) indented++;
      else flush++;
    }
  if (flush > indented * 2)
    for (i = 0; i < n; i++)
      if (t->lines[i].cls == C_GOOD && t->lines[i].indent >= 4)
        t->lines[i].cls = C_NEAR;
}

/* What a photo caption costs the article region. */
#define CAPTION_COST (-5)

static int caption_line(const lp_line *l) {
  if (l->cls != C_BAD) return 0;
  if (l->cue & LP_CUE_CAPTION) return 1;
  return l->reason && (strcmp(l->reason, "caption") == 0 ||
                       strcmp(l->reason, "caption-repeat") == 0);
}

/* Items of the box of links that line i heads, when it is set inside
 * the article: a short header just after a paragraph, two to
 * BOX_ITEMS bulleted lines, then a paragraph again. 0 when it is not. */
#define BOX_ITEMS 10

/* A headline of the box (its bullet on a line of its own maybe): a line
 * of a few words the labeller did not take for prose, and no comment. */
static int box_item(const lp_line *l) {
  return l->cls != C_GOOD && l->nwords <= 25 &&
         !(l->cue & (LP_CUE_COMMENT | LP_CUE_END));
}

static size_t inline_box(const lp_text *t, size_t i) {
  size_t n = t->n_lines, j;
  if (t->lines[i].nwords > 6 || i == 0 || t->lines[i - 1].cls != C_GOOD)
    return 0;
  for (j = i + 1; j < n && j <= i + BOX_ITEMS; j++)
    if (!box_item(&t->lines[j])) break;
  /* the article goes on: a paragraph, not another link the labeller
   * took for prose */
  if (j == i + 1 || j >= n || t->lines[j].cls != C_GOOD ||
      t->lines[j].nchars < 120)
    return 0;
  return j - i;
}

/* Maximum-sum segment: the article region (on an HTML page, the one its
 * headline opens, when it is known). Sets *a..*b, LP_NONE when none. */
static int region_pass(lp_text *t, size_t *best_a, size_t *best_b) {
  size_t n = t->n_lines, i, cur_a = 0, k;
  long best = 0, cur = 0;
  long *w = malloc((n ? n : 1) * sizeof *w);
  *best_a = *best_b = LP_NONE;
  if (w == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    const lp_line *l = &t->lines[i];
    w[i] = line_weight(l, l->cls);
    /* "Related: <a headline>" between two paragraphs is a link set into
     * the article, not the header of a list after it ("Related
     * stories"): it costs what any boilerplate line costs */
    if ((l->cue & LP_CUE_RELATED) && i > 0 && i + 1 < n &&
        t->lines[i - 1].cls == C_GOOD && t->lines[i + 1].cls == C_GOOD &&
        l->nwords >= 4 && memchr(LP_LINE_PTR(t, l), ':', l->len) != NULL)
      w[i] = line_weight(l, C_BAD) + END_COST;
    if ((l->cue & LP_CUE_COMMENT) && lp_comment_zero(t, l))
      w[i] = line_weight(l, C_BAD) + END_COST;
    /* photo captions and a gallery's credits sit inside the article:
     * they do not split it */
    if (caption_line(l)) w[i] = CAPTION_COST;
    /* a box of links to other stories set between two paragraphs ("More
     * from UK" and a few bulleted headlines) does not end the article */
    if ((l->cue & LP_CUE_RELATED) && (k = inline_box(t, i)) > 0) {
      w[i] = line_weight(l, C_BAD) + END_COST;
      for (; k > 1; k--) w[++i] = CAPTION_COST;
    }
    /* a list of dated items (a gallery, other stories) says nothing of
     * where the article ends: it may sit inside it */
    if (l->reason && strcmp(l->reason, "dated-list") == 0) w[i] = 0;
    if (t->dom) w[i] = lp_dom_weight(t, l, w[i]);
  }
  if (!(t->dom && lp_dom_region(t, w, best_a, best_b)))
    for (i = 0; i < n; i++) {
      if (cur <= 0) { cur = 0; cur_a = i; }
      cur += w[i];
      if (cur > best) { best = cur; *best_a = cur_a; *best_b = i; }
    }
  free(w);
  return LOUPE_OK;
}

int lp_classify(lp_text *t, const char *lang, lp_layout *lay) {
  size_t n = t->n_lines, i;
  int cjk_page = lang != NULL && (strcmp(lang, "zh") == 0 ||
                                  strcmp(lang, "ja") == 0 ||
                                  strcmp(lang, "ko") == 0);
  size_t best_a, best_b;
  cue_index ix;

  lay->title = lay->body_first = lay->body_last = LP_NONE;
  if (n == 0) return LOUPE_OK;
  build_cue_index(&ix);
  /* the classifier state lives in the lines themselves */
  for (i = 0; i < n; i++) {
    lp_line *l = &t->lines[i];
    l->reason = NULL;
    l->cls = initial_class(t, l, lang, cjk_page, &ix);
    /* an HTML page's markup has its say (htmlclass.c) */
    if (t->dom) l->cls = lp_dom_class(t, l, l->cls, &l->reason);
    /* a near-prose line that opens with a dateline is a story's lead (on
     * an HTML page its markup has said where the story is) */
    if (!t->dom && l->cls == C_NEAR && l->nwords >= 12 &&
        lp_dateline_open(LP_LINE_PTR(t, l), l->len))
      l->cls = C_GOOD;
  }
  lp_caption_shapes(t);
  if (t->dom && lp_dom_smooth(t) != LOUPE_OK) return LOUPE_ENOMEM;
  caption_pass(t);
  lp_wrapped_runs(t, stop_need(lang));
  if (neighbour_pass(t) != LOUPE_OK) return LOUPE_ENOMEM;
  indent_pass(t);
  lp_page_rules(t);
  if (region_pass(t, &best_a, &best_b) != LOUPE_OK) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    lp_line *l = &t->lines[i];
    int in = best_a != LP_NONE && i >= best_a && i <= best_b;
    if ((l->cls == C_GOOD || l->cls == C_NEAR) && in) {
      l->label = LOUPE_LINE_BODY;
      /* a paragraph its markup made prose says so */
      l->reason = l->reason == lp_dom_sibling_prose ? l->reason : "prose";
    } else {
      l->label = LOUPE_LINE_BOILERPLATE;
      if (l->cls >= C_NEAR) l->reason = "outside-article";
      else if (l->reason == NULL) l->reason = "short";
    }
  }
  /* on an HTML page the article is one element's text (htmlclass.c) */
  if (t->dom && lp_dom_prune(t) != LOUPE_OK) return LOUPE_ENOMEM;
  if (best_a != LP_NONE) {
    for (i = best_a; i <= best_b; i++)
      if (t->lines[i].label == LOUPE_LINE_BODY) { lay->body_first = i; break; }
    for (i = best_b + 1; i-- > best_a;)
      if (t->lines[i].label == LOUPE_LINE_BODY) { lay->body_last = i; break; }
  }
  return LOUPE_OK;
}
