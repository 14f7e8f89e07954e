/*
 * pagerules.c - rules that read the page as sections rather than lines:
 * a comment section opens with a header ("Comments", "Leave a Reply",
 * "12 responses to ...") and everything after it that reads as prose is
 * readers' comments. Rules name a reason, never a site.
 */
#include <string.h>
#include "classify.h"
#include "dates.h"

/* Openings of a comment section's header, lower case, after an optional
 * count ("12 ", "One "); titled: the header goes on with the headline
 * ("3 responses to <the headline>"). */
typedef struct {
  const char *head;
  unsigned char len, titled;
} comment_head;

static const comment_head comment_heads[] = {
  {"comments", 8, 0}, {"comment", 7, 0}, {"leave a reply", 13, 0},
  {"leave a comment", 15, 0}, {"post a comment", 14, 0},
  {"add a comment", 13, 0}, {"add comment", 11, 0},
  {"add your comment", 16, 0}, {"responses to", 12, 1},
  {"response to", 11, 1}, {"thoughts on", 11, 1}, {"replies to", 10, 1},
  {"reader comments", 15, 0}, {"readers' comments", 17, 0},
  {"readers comments", 16, 0}, {"reader's comments", 17, 0},
  {"user comments", 13, 0}, {"your comments", 13, 0},
  {"have your say", 13, 0}, {"join the discussion", 19, 0},
  {"join the conversation", 21, 0}, {"kommentare", 10, 0},
  {"kommentar", 9, 0}, {"commentaires", 12, 0}, {"comentarios", 11, 0},
  {"comentários", 12, 0}, {"commenti", 8, 0}, {"reacties", 8, 0},
  {"comentar", 8, 0}, {"reader views", 12, 0}, {"readers' views", 14, 0},
  {"readers views", 13, 0}, {"your views", 10, 0}, {"reader reactions", 16, 0}
};

#define N_HEADS (sizeof comment_heads / sizeof comment_heads[0])

static size_t skip_count(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  if (i == 0) {
    if (lp_starts_ci(s, n, "one ")) return 4;
    if (lp_starts_ci(s, n, "no ")) return 3;
    return 0;
  }
  while (i < n && s[i] == ' ') i++;
  return i;
}

int lp_comment_zero(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t k = skip_count(s, l->len);
  return k > 0 && l->nwords <= 4 && (s[0] == '0' || (s[0] | 32) == 'n') &&
         lp_starts_ci(s + k, l->len - k, "comment");
}

int lp_comment_header(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len, i, k;
  unsigned char first;
  int long_line;
  /* "3 responses to <the headline>" may be long; the others are short */
  if (l->nwords > 30 || n == 0) return 0;
  k = skip_count(s, n);
  if (k >= n) return 0;
  /* every head starts with a letter: compare only those that share the
   * line's first one (most lines share none) */
  first = (unsigned char)(s[k] | 32);
  if (first < 'a' || first > 'y') return 0;
  /* a line too long or separated for a plain header can only be a
   * titled one */
  long_line = l->nwords - (k > 0) > 4 || l->nseps > 0;
  for (i = 0; i < N_HEADS; i++) {
    const comment_head *h = &comment_heads[i];
    size_t m = h->len;
    if ((unsigned char)h->head[0] != first || (long_line && !h->titled))
      continue;
    if (!lp_starts_ci(s + k, n - k, h->head)) continue;
    /* the whole word: "commentary" is not "comment" */
    if (k + m < n && ((s[k + m] | 32) >= 'a' && (s[k + m] | 32) <= 'z'))
      continue;
    return !lp_comment_zero(t, l);
  }
  return 0;
}

/* Prose (characters of good lines) needed before a comment header for
 * it to close an article. */
#define ARTICLE_BEFORE 500

/* Key of a line's first two words (letters, ASCII case folded), 0 when
 * it has fewer. */
static int word_byte(unsigned char c) {
  return ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80;
}

static uint32_t two_words_key(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  uint32_t h = 2166136261u;
  size_t i = 0, words = 0;
  while (i < l->len && words < 2) {
    if (!word_byte(s[i])) { i++; continue; }
    while (i < l->len && word_byte(s[i])) {
      unsigned char c = s[i++];
      h = (h ^ (c < 0x80 ? (unsigned)(c | 32) : c)) * 16777619u;
    }
    h = (h ^ ' ') * 16777619u;
    words++;
  }
  return words == 2 ? (h ? h : 1) : 0;
}

/* A comment's signature: a short line with a date or a time ("Posted by:
 * anna, Leeds on 9:06pm Tue 1 Jan 08") whose first two words open two
 * more such lines below it, with readers' text between them. */
#define SIG_WINDOW 400

/* A short line that opens with a word and shows a time of day. */
static int signature_shape(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t i;
  if (l->nwords < 3 || l->nwords > 15 || l->ndigits < 3) return 0;
  if (!(((unsigned char)s[0] | 32) >= 'a' && ((unsigned char)s[0] | 32) <= 'z'))
    return 0;
  for (i = 1; i + 2 < l->len; i++)
    if (s[i] == ':' && s[i - 1] >= '0' && s[i - 1] <= '9' &&
        s[i + 1] >= '0' && s[i + 1] <= '5' && s[i + 2] >= '0' &&
        s[i + 2] <= '9')
      return 1;
  return 0;
}

static int comment_signature(const lp_text *t, size_t i) {
  const lp_line *l = &t->lines[i];
  uint32_t key;
  size_t j, same = 0, prose = 0;
  if (!signature_shape(t, l)) return 0;
  if ((key = two_words_key(t, l)) == 0) return 0;
  for (j = i + 1; j < t->n_lines && j <= i + SIG_WINDOW; j++) {
    const lp_line *o = &t->lines[j];
    if (signature_shape(t, o) && two_words_key(t, o) == key) {
      if (++same >= 2) break;
    } else if (o->nwords >= 5 && same == 0) {
      prose++;
    }
  }
  return same >= 2 && prose > 0;
}

static void comment_cut(lp_text *t) {
  size_t n = t->n_lines, i, prose = 0, good = 0;
  const char *why = NULL;
  for (i = 0; i < n; i++) {
    lp_line *l = &t->lines[i];
    if (prose >= ARTICLE_BEFORE && good >= 2) {
      if (lp_comment_header(t, l)) { why = "comment-header"; break; }
      if (comment_signature(t, i)) { why = "comment-signature"; break; }
    }
    if (l->cls == C_GOOD) { prose += l->nchars; good++; }
  }
  if (i >= n) return;
  t->lines[i].cls = C_BAD;
  t->lines[i].reason = why;
  for (i++; i < n; i++) {
    lp_line *l = &t->lines[i];
    if (l->cls == C_BAD) continue;
    l->cls = C_BAD;
    l->reason = "comment-section";
  }
}

/* A headline of a teaser: a few words and no sentence end. A numbered
 * one ("7. Kofi Annan") heads an item of a listicle, the article itself. */
static int teaser_head(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t i = 0;
  int asks;
  while (i < l->len && s[i] >= '0' && s[i] <= '9') i++;
  if (i > 0 && i < l->len && (s[i] == '.' || s[i] == ')')) return 0;
  /* a headline may ask ("Thinking Of Refinancing Your Mortgage?") */
  asks = l->len > 0 && s[l->len - 1] == '?' &&
             (uint64_t)l->ncap * 10 >= (uint64_t)l->nalpha_words * 7;
  return (!(l->flags & LP_F_TERMINAL) || asks) && l->nwords >= 2 &&
         l->nwords <= 16 && l->nchars <= 110 && l->ncjk == 0;
}

/* The blurb under a teaser's headline: one or two sentences. */
static int teaser_blurb(const lp_text *t, const lp_line *l) {
  return l->nwords >= 5 && l->nchars <= 320 && !teaser_head(t, l);
}

/* A headline glued to its blurb by the page's markup ("...On The
 * Rise?Violence is part of..."): Title Case words, then a lower-case
 * letter or a sentence end directly followed by a capital and a
 * lower-case letter, no space between. */
static int glued_teaser(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len > 140 ? 140 : l->len, i, words = 0, caps = 0, low = 0;
  if (l->nwords < 8 || l->nchars > 400) return 0;
  for (i = 0; i + 2 < n; i++) {
    unsigned char c = (unsigned char)s[i];
    /* a sentence began (a headline joins two clauses with a semicolon) */
    if (c == ',' || c == '.') return 0;
    if (i == 0 || s[i - 1] == ' ') {
      if (c >= 'A' && c <= 'Z') caps++;
      if ((c | 32) >= 'a' && (c | 32) <= 'z') words++;
    }
    low = c >= 'a' && c <= 'z' ? low + 1 : 0;
    /* "DetroitIn", "Rise?Violence", "RecordA"; not "McCain" */
    if ((low >= 3 || c == '?' || c == '!') && s[i + 1] >= 'A' &&
        s[i + 1] <= 'Z' && ((s[i + 2] >= 'a' && s[i + 2] <= 'z') ||
                             ((s[i + 1] == 'A' || s[i + 1] == 'I') &&
                              s[i + 2] == ' ')))
      return words >= 4 && caps * 4 >= words * 3;
  }
  return 0;
}

/* A dateline inside the line ("... stateless WASHINGTON: The ..."): a
 * headline glued to the opening of its story. Capitals (four or more,
 * spaces allowed) after a space, then a colon or a dash, past the
 * line's first words. */
static int inner_dateline(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len > 300 ? 300 : l->len, i;
  if (l->nwords < 10) return 0;
  for (i = 24; i + 6 < n; i++) {
    size_t j = i + 1, caps = 0;
    if (s[i] != ' ' || !(s[j] >= 'A' && s[j] <= 'Z')) continue;
    while (j < n && ((s[j] >= 'A' && s[j] <= 'Z') || s[j] == ' ' ||
                     s[j] == '.')) {
      if (s[j] >= 'A' && s[j] <= 'Z') caps++;
      j++;
    }
    if (caps >= 4 && j < n && s[j] == ':' && s[j - 1] != ' ') return 1;
    if (caps >= 4 && j + 1 < n && s[j - 1] == ' ' && s[j] == '-') return 1;
    i = j;
  }
  return 0;
}

/* Lines of the teaser unit starting at line i (a headline and its blurb,
 * or the two glued), 0 when none starts there. */
static size_t teaser_unit(const lp_text *t, size_t i) {
  const lp_line *l = &t->lines[i];
  if (glued_teaser(t, l) || inner_dateline(t, l)) return 1;
  if (i + 1 < t->n_lines && teaser_head(t, l) &&
      teaser_blurb(t, &t->lines[i + 1]))
    return 2;
  return 0;
}

/* Teasers come in runs: three units or more back to back (a list of
 * related stories, each a headline and a sentence) are not the article. */
#define TEASER_RUN 3

static void teaser_runs(lp_text *t) {
  size_t n = t->n_lines, i = 0, prose = 0;
  for (i = 0; i < n; i++)
    if (t->lines[i].cls == C_GOOD) prose += t->lines[i].nchars;
  i = 0;
  while (i < n) {
    size_t j = i, units = 0, m, k, run = 0;
    while (j < n && (m = teaser_unit(t, j)) > 0) {
      j += m;
      units++;
      /* a section's label between two groups of headlines glued to
       * their teasers ("Autos") */
      if (j + 1 < n && t->lines[j].nwords <= 3 &&
          glued_teaser(t, &t->lines[j - 1]) &&
          glued_teaser(t, &t->lines[j + 1]))
        j++;
    }
    for (k = i; k < j; k++)
      if (t->lines[k].cls == C_GOOD) run += t->lines[k].nchars;
    /* a run holding most of the page's prose is the article itself
     * (a story told in short sections under subheads) */
    if (units >= TEASER_RUN && run * 4 <= prose * 3)
      for (k = i; k < j; k++) {
        t->lines[k].cls = C_BAD;
        t->lines[k].reason = "teaser-list";
      }
    i = units ? j : i + 1;
  }
}

/* A list's item as the labeller left it: a bullet line not judged good
 * and without a cue word (a menu's "Facebook", "Contact us" has one). */
static int list_item(const lp_line *l) {
  return (l->flags & LP_F_BULLET) && l->cls != C_GOOD && l->cue == 0;
}

/* A subhead between a list's items ("Not scary", "Group B"): a few
 * words, no cue, no bullet. */
static int list_subhead(const lp_line *l) {
  return l->cls != C_GOOD && !(l->flags & LP_F_BULLET) && l->nwords >= 1 &&
         l->nwords <= 6 && l->cue == 0;
}

/* A line that announces what follows ("... looks like this:"). */
static int colon_lead(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len;
  while (n > 0 && s[n - 1] == ' ') n--;
  return n > 0 && s[n - 1] == ':' && l->cue == 0 && l->nwords >= 2 &&
         l->nwords <= 30;
}

/* Items of a list run from line i on (subheads between items included);
 * returns its end, sets *caps and *alpha to its items' Title Case
 * words and words. */
static size_t list_run(const lp_text *t, size_t i, uint64_t *caps,
                       uint64_t *alpha) {
  size_t n = t->n_lines, j = i;
  *caps = *alpha = 0;
  while (j < n) {
    const lp_line *l = &t->lines[j];
    if (list_item(l)) {
      *caps += l->ncap;
      *alpha += l->nalpha_words;
      j++;
    } else if (list_subhead(l) && j + 1 < n && list_item(&t->lines[j + 1])) {
      j++;
    } else {
      break;
    }
  }
  return j;
}

/* A list the article leads into is the article's: its items are short,
 * so judged boilerplate on their own. It is led in by prose (a good line
 * just before it, maybe under a subhead) or by a line that announces it
 * ("... looks like this:"). It joins when prose goes on after it, or,
 * when it ends the article, when it was announced and its items read as
 * phrases, not as Title Case headlines of other stories. */
static void article_lists(lp_text *t) {
  size_t n = t->n_lines, i = 0, k;
  while (i < n) {
    size_t from = i, j, lead;
    uint64_t caps, alpha;
    int led, announced, tail;
    if (!list_item(&t->lines[i])) { i++; continue; }
    while (from > 0 && list_subhead(&t->lines[from - 1])) from--;
    j = list_run(t, i, &caps, &alpha);
    if (from == 0) { i = j; continue; }
    lead = from - 1;
    announced = colon_lead(t, &t->lines[lead]);
    led = t->lines[lead].cls == C_GOOD || announced;
    /* prose after it, maybe under a subhead or an announcing line */
    tail = j < n && (t->lines[j].cls == C_GOOD ||
                     ((list_subhead(&t->lines[j]) ||
                       colon_lead(t, &t->lines[j])) &&
                      j + 1 < n && t->lines[j + 1].cls == C_GOOD));
    if (led && (tail || (announced && caps * 10 < alpha * 6))) {
      if (tail && t->lines[j].cls != C_GOOD) j++;
      for (k = lead; k < j; k++)
        if (t->lines[k].cls != C_GOOD) {
          t->lines[k].cls = C_GOOD;
          t->lines[k].reason = "article-list";
        }
    }
    i = j > i ? j : i + 1;
  }
}

/* A feed of posts (quotes, status updates), each with its own share bar:
 * the same share line three times or more, a post between each two and
 * one after the last. An article has a share bar, not one per paragraph.
 * FEED_GAP: lines a post may take between two bars. */
#define FEED_GAP 4

static int share_bar(const lp_line *l) {
  return l->cls == C_BAD && (l->cue & LP_CUE_SOCIAL);
}

/* Do lines a..b-1 hold a post: good prose, at most one other line? */
static int post_between(const lp_text *t, size_t a, size_t b) {
  size_t k, good = 0, other = 0;
  for (k = a; k < b && k < t->n_lines; k++) {
    if (t->lines[k].cls == C_GOOD) good++;
    else other++;
  }
  return good > 0 && other <= 1;
}

/* The last bar of the chain of bars like line i's, each a post apart;
 * *bars: how many. */
static size_t bar_chain(const lp_text *t, size_t i, size_t *bars) {
  const lp_line *b = &t->lines[i];
  size_t last = i, k;
  *bars = 1;
  for (k = i + 1; k < t->n_lines && k <= last + FEED_GAP + 1; k++) {
    const lp_line *o = &t->lines[k];
    if (!share_bar(o) || o->hash != b->hash || o->nwords != b->nwords)
      continue;
    if (!post_between(t, last + 1, k)) break;
    last = k;
    (*bars)++;
  }
  return last;
}

static void post_feeds(lp_text *t) {
  size_t n = t->n_lines, i = 0, k, bars, last;
  while (i < n) {
    if (!share_bar(&t->lines[i])) { i++; continue; }
    last = bar_chain(t, i, &bars);
    if (bars >= 3) {
      size_t end = last + 3 < n ? last + 3 : n;
      for (k = i + 1; k < end; k++) {
        if (k > last && share_bar(&t->lines[k])) break;
        if (t->lines[k].cls != C_GOOD) continue;
        t->lines[k].cls = C_BAD;
        t->lines[k].reason = "post-feed";
      }
    }
    i = last + 1;
  }
}

/* The signature under an embedded post, "— Name (@handle) November 19,
 * 2019": a dash, a handle in brackets, a year at the end. */
static int post_signature(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t n = l->len;
  int dash;
  if (n < 16 || l->nwords > 30) return 0;
  dash = s[0] == '-' || (s[0] == 0xE2 && s[1] == 0x80 &&
                         (s[2] == 0x94 || s[2] == 0x93));
  if (!dash) return 0;
  if (!(s[n - 1] >= '0' && s[n - 1] <= '9' && s[n - 4] >= '1' &&
        s[n - 4] <= '2'))
    return 0;
  return lp_contains_ci((const char *)s, n, "(@");
}

/* A post embedded in the article (its text, then its signature) is
 * quoted by the article: both lines join it when the article is near. */
static void embedded_posts(lp_text *t) {
  size_t n = t->n_lines, i;
  for (i = 1; i < n; i++) {
    lp_line *l = &t->lines[i], *p = &t->lines[i - 1];
    if (!post_signature(t, l)) continue;
    l->cls = C_GOOD;
    l->reason = "embedded-post";
    if (p->cls != C_GOOD && p->nwords >= 3) {
      p->cls = C_GOOD;
      p->reason = "embedded-post";
    }
  }
}

/* A card for another story set inside the article: its headline twice
 * within a few lines (the picture's link, then the headline's), under a
 * one-word kicker. Only inside the article
 * (good prose just before): a headline printed twice at the top of a
 * page opens the article itself. */
#define CARD_SPAN 3

static size_t card_twin(const lp_text *t, size_t i) {
  const lp_line *a = &t->lines[i];
  size_t j;
  if (a->nwords < 3 || a->nwords > 30 || a->nchars > 200) return 0;
  for (j = i + 1; j < t->n_lines && j <= i + CARD_SPAN; j++) {
    if (t->lines[j].hash == a->hash && t->lines[j].nwords == a->nwords)
      return j;
    if (t->lines[j].nchars >= 80) return 0;  /* prose between: not a card */
  }
  return 0;
}

static void story_cards(lp_text *t) {
  size_t n = t->n_lines, i, k;
  for (i = 1; i < n; i++) {
    size_t j = card_twin(t, i), from = i, to;
    int prose_before = 0;
    /* the same line a third time is a repeated caption, not a card; so
     * is a pair the caption pass found beside a photo credit */
    if (j == 0 || card_twin(t, j) != 0) continue;
    if (t->lines[i].cls == C_BAD && t->lines[i].reason &&
        strcmp(t->lines[i].reason, "caption-repeat") == 0)
      continue;
    for (k = i; k-- > 0 && k + 5 > i;)
      if (t->lines[k].cls == C_GOOD && t->lines[k].nchars >= 100) {
        prose_before = 1;
        break;
      }
    if (!prose_before) continue;
    if (t->lines[i - 1].nwords <= 3 && t->lines[i - 1].cls != C_GOOD)
      from = i - 1;
    /* the teaser under it reads like the article's next paragraph: it
     * stays for the region to judge */
    to = j;
    for (k = from; k <= to; k++) {
      t->lines[k].cls = C_BAD;
      t->lines[k].reason = "story-card";
    }
    i = to;
  }
}

/* Does the line end with a full date ("..., Monday Jan. 7, 2008.")? */
static int ends_with_date(const char *s, size_t n) {
  size_t i = n, digits = 0;
  static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
    "nov", "dec"
  };
  size_t m;
  while (i > 0 && (s[i - 1] == '.' || s[i - 1] == ')')) i--;
  while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') { i--; digits++; }
  if (digits != 4 || i < 12 || s[i - 1] != ' ' || s[i - 2] != ',') return 0;
  i -= 2;
  digits = 0;
  while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') { i--; digits++; }
  if (digits < 1 || digits > 2 || i < 5 || s[i - 1] != ' ') return 0;
  i--;
  while (i > 0 && (word_byte((unsigned char)s[i - 1]) || s[i - 1] == '.'))
    i--;
  for (m = 0; m < 12; m++)
    if (lp_starts_ci(s + i, n - i, months[m])) break;
  if (m == 12 || i < 3) return 0;
  /* set off by a comma, maybe after a weekday (", Monday Jan. 7, 2008"):
   * an article's "since Dec. 26, 1994" is not a caption's date */
  if (s[i - 1] == ' ' && s[i - 2] == ',') return 1;
  i--;
  if (i > 0 && s[i - 1] == ',') i--;
  if (i >= 3 && lp_contains_ci(s + i - 3, 3, "day")) {
    while (i > 0 && ((unsigned char)s[i - 1] | 32) >= 'a' &&
           ((unsigned char)s[i - 1] | 32) <= 'z')
      i--;
    return i >= 2 && s[i - 1] == ' ' && s[i - 2] == ',';
  }
  return 0;
}

/* Does the line open with a phrase of three words or more printed twice
 * back to back ("Ten Ways To Rest Well 1Ten Ways To Rest Well 1...")?
 * That is an image's alt text glued to its title, or a card's headline
 * glued to its link: a writer never repeats a sentence's opening at
 * once. */
int lp_doubled_opening(const char *s, size_t n) {
  size_t k = 20, half = n / 2 > 300 ? 300 : n / 2;
  while (k <= half) {
    const char *x = memchr(s + k, s[0], half + 1 - k);
    size_t j, spaces = 0;
    if (x == NULL) return 0;
    k = (size_t)(x - s);
    if (memcmp(s, x, k) == 0) {
      for (j = 0; j < k; j++) spaces += s[j] == ' ';
      if (spaces >= 2) return 1;
    }
    k++;
  }
  return 0;
}

/* Does the line place people in a picture: "(left)", "(right)",
 * "(center)", ", left,", ", right,", ", pictured "? One pass over its
 * brackets and commas. */
static int places_people(const char *s, size_t n) {
  static const char *const after_bracket[] = {"left)", "right)", "center)"};
  static const char *const after_comma[] = {"left,", "right,", "pictured "};
  const char *p = s, *end = s + n;
  size_t k;
  while (p < end) {
    const char *b = memchr(p, '(', (size_t)(end - p));
    const char *c = memchr(p, ',', (size_t)((b ? b : end) - p));
    const char *x = c ? c : b;
    if (x == NULL) return 0;
    for (k = 0; k < 3; k++) {
      if (x == b && lp_starts_ci(x + 1, (size_t)(end - x - 1),
                                 after_bracket[k]))
        return 1;
      if (x == c && x + 1 < end && x[1] == ' ' &&
          lp_starts_ci(x + 2, (size_t)(end - x - 2), after_comma[k]))
        return 1;
    }
    p = x + 1;
  }
  return 0;
}

/* Photo captions by their shape: a sentence that ends with the date the
 * picture was taken, or that places people in it ("(left)", ", right,").
 * A signature under an embedded post ends with a date too: not one. */
void lp_caption_shapes(lp_text *t) {
  size_t i;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l);
    int dated, placed;
    if (l->nwords < 8 || l->nwords > 80 || l->cls == C_BAD) continue;
    if (post_signature(t, l)) continue;
    if (lp_doubled_opening(s, l->len)) {
      l->cls = C_BAD;
      l->cue |= LP_CUE_CAPTION;
      l->reason = "doubled-text";
      continue;
    }
    dated = ends_with_date(s, l->len);
    placed = places_people(s, l->len) ||
             (lp_contains_ci(s, l->len, "in this ") &&
              lp_contains_ci(s, l->len, " photo"));
    if (!dated && !placed) continue;
    l->cls = C_BAD;
    l->cue |= LP_CUE_CAPTION;
    l->reason = "caption-shape";
  }
}

/* Does line b go on with line a's sentence, as in a paragraph the source
 * wrapped at a fixed width ("... Zune will be available in" / "Spring
 * 2008. Highly ...")? Same block, a long, b starting in lower case or a
 * ending in a comma or a hyphen. */
static int continues(const lp_text *t, const lp_line *a, const lp_line *b) {
  const char *sa = LP_LINE_PTR(t, a), *sb = LP_LINE_PTR(t, b);
  char last;
  if (a->block != b->block || a->len == 0 || b->len == 0) return 0;
  if (a->nchars < 40 || b->src_line != a->src_line + 1) return 0;
  last = sa[a->len - 1];
  if (sb[0] >= 'a' && sb[0] <= 'z')
    return (last >= 'a' && last <= 'z') || last == ',' || last == '-' ||
           (last >= '0' && last <= '9');
  return last == ',' || (last == '-' && a->len >= 2 && sa[a->len - 2] != ' ');
}

/* A paragraph wrapped into lines is judged whole: when its lines
 * together read as prose (long enough, with stop words), each of them
 * is good, whatever its fragment looked like alone. */
#define WRAP_PROSE 200

void lp_wrapped_runs(lp_text *t, unsigned need) {
  size_t n = t->n_lines, i = 0, k;
  while (i < n) {
    size_t j = i + 1, chars = t->lines[i].nchars;
    uint64_t words = t->lines[i].nwords, stop = t->lines[i].nstop;
    while (j < n && continues(t, &t->lines[j - 1], &t->lines[j])) {
      chars += t->lines[j].nchars;
      words += t->lines[j].nwords;
      stop += t->lines[j].nstop;
      j++;
    }
    if (j - i >= 2 && chars >= WRAP_PROSE && stop * 1000 >= words * need)
      for (k = i; k < j; k++)
        if (t->lines[k].cls != C_GOOD) {
          t->lines[k].cls = C_GOOD;
          t->lines[k].reason = "wrapped-prose";
        }
    i = j;
  }
}

/* A list of other stories (or of comments) in which each item carries
 * its own date: an item is a few short lines (a picture's name, the
 * headline, the writer) closed by a line that is only a date, then its
 * blurb of a paragraph or two. Three such items or more, each at most
 * DATED_GAP lines after the last: their blurbs are not the article,
 * which carries one date and more paragraphs after it. */
#define DATED_GAP 8
#define DATED_RUN 3

/* A paragraph's worth of text, not a headline or a name. */
static int long_line(const lp_line *l) {
  return l->nwords > 20 || l->nchars >= 120;
}

/* Is the line a date alone (give or take a few characters: "Posted",
 * "| ", a time)? */
static int date_line(const lp_text *t, const lp_line *l) {
  lp_date d;
  if (l->nwords > 8 || l->ndigits < 4) return 0;
  return lp_date_find(LP_LINE_PTR(t, l), l->len, 0, &d) && d.day > 0 &&
         l->len <= (d.end - d.start) + 12;
}

/* Does date line j close an item: two short lines or more right above
 * it, back to the previous paragraph (or the page's top)? */
static int item_head(const lp_text *t, size_t j) {
  size_t k, shorts = 0;
  for (k = j; k-- > 0 && !long_line(&t->lines[k]) && shorts < 2;) shorts++;
  return shorts >= 2;
}

/* A blurb: a sentence's worth of words. */
static int blurb_line(const lp_line *l) {
  return l->nwords >= 8;
}

/* Is date line j an item's: a head above it, a blurb right after it? */
static int dated_item(const lp_text *t, size_t j) {
  size_t n = t->n_lines;
  if (!date_line(t, &t->lines[j]) || !item_head(t, j)) return 0;
  return (j + 1 < n && blurb_line(&t->lines[j + 1])) ||
         (j + 2 < n && blurb_line(&t->lines[j + 2]));
}

/* Paragraphs between lines a and b. */
static size_t paragraphs(const lp_text *t, size_t a, size_t b) {
  size_t k, c = 0;
  for (k = a + 1; k < b; k++) c += (size_t)long_line(&t->lines[k]);
  return c;
}

static void dated_items(lp_text *t) {
  size_t n = t->n_lines, i = 0, k;
  while (i < n) {
    size_t first, last, items, j;
    if (!dated_item(t, i)) { i++; continue; }
    first = last = i;
    items = 1;
    for (j = i + 1; j < n && j <= last + DATED_GAP; j++)
      if (dated_item(t, j)) {
        if (paragraphs(t, last, j) > 2) break;
        last = j;
        items++;
      }
    if (items >= DATED_RUN) {
      /* the blurb of the last item, right after its date */
      size_t end = last + 1;
      /* and the head of the first item */
      while (first > 0 && i - first < 4 && !long_line(&t->lines[first - 1]))
        first--;
      while (end < n && end <= last + 2 && blurb_line(&t->lines[end])) end++;
      for (k = first; k < end; k++) {
        t->lines[k].cls = C_BAD;
        t->lines[k].reason = "dated-list";
      }
    }
    i = last + 1;
  }
}

/* Legal prose in the page's footer: a block of prose lines set around
 * the last copyright line, with nothing but boilerplate after it and a
 * gap of FOOTER_GAP boilerplate lines or more (menus, share buttons)
 * between it and the prose above, which holds more prose than the block
 * (the article). Disclaimers and trademark notices read
 * as prose; where they sit says they are not the article. */
#define FOOTER_GAP 6
#define FOOTER_SPAN 8

static void footer_prose(lp_text *t) {
  size_t n = t->n_lines, c = n, a, b, k, gap = 0;
  uint64_t above = 0, block = 0;
  for (k = n; k-- > 0;)
    if (t->lines[k].cls == C_BAD && (t->lines[k].cue & LP_CUE_COPYRIGHT)) {
      c = k;
      break;
    }
  if (c >= n) return;
  for (a = c; a > 0 && c - a < FOOTER_SPAN && t->lines[a - 1].cls == C_GOOD;)
    a--;
  for (b = c + 1; b < n && b - c <= FOOTER_SPAN && t->lines[b].cls == C_GOOD;)
    b++;
  for (k = b; k < n; k++)
    if (t->lines[k].cls == C_GOOD) return;
  for (k = a; k > 0 && t->lines[k - 1].cls != C_GOOD; k--) gap++;
  if (k == 0 || gap < FOOTER_GAP) return;
  /* the article is above it, and holds more prose than it does */
  for (; k-- > 0;)
    if (t->lines[k].cls == C_GOOD) above += t->lines[k].nchars;
  for (k = a; k < b; k++)
    if (t->lines[k].cls == C_GOOD) block += t->lines[k].nchars;
  if (above <= block) return;
  for (k = a; k < b; k++)
    if (t->lines[k].cls == C_GOOD) {
      t->lines[k].cls = C_BAD;
      t->lines[k].reason = "footer-prose";
    }
}

/* A table the article ends with or holds (tour dates, a season's
 * calendar): TABLE_ROWS lines or more in a row that are not prose, each
 * with the same two marks in the same order ("June 9 - Tampa, FL @ Arena",
 * "2a etapa: 10 de marco - Interlagos"), right after the article's prose
 * (a title line between allowed). Menus and lists of headlines have no
 * such skeleton. */
#define TABLE_ROWS 4

/* The first two marks of a line (dash, colon, at, bar), packed in a byte
 * each; 0 when it has fewer, or when it is a bulleted item (a list of
 * headlines with their dates: "- Title | 01/14/2008"). */
static unsigned skeleton(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t i;
  unsigned sk = 0, marks = 0;
  if (l->flags & LP_F_BULLET) return 0;
  for (i = 0; i < l->len && marks < 2; i++) {
    unsigned char m = 0;
    if (s[i] == ':' || s[i] == '@' || s[i] == '|') m = s[i];
    else if (s[i] == '-' && i > 0 && s[i - 1] == ' ') m = '-';
    else if (s[i] == 0xE2 && i + 2 < l->len && s[i + 1] == 0x80 &&
             (s[i + 2] == 0x93 || s[i + 2] == 0x94))
      m = '-';
    if (m) {
      sk = sk << 8 | m;
      marks++;
    }
  }
  return marks == 2 ? sk : 0;
}

/* A row of a table: a few words, not prose. */
static int table_row(const lp_line *l) {
  return l->cls != C_GOOD && l->nwords >= 3 && l->nwords <= 30;
}

/* Does a table starting at line i follow the article's prose (a title
 * line between allowed)? */
static int table_led(const lp_text *t, size_t i) {
  return t->lines[i - 1].cls == C_GOOD ||
         (i >= 2 && t->lines[i - 2].cls == C_GOOD &&
          t->lines[i - 1].nwords <= 8 && !t->lines[i - 1].cue);
}

static void article_tables(lp_text *t) {
  size_t n = t->n_lines, i = 1, j, k;
  while (i < n) {
    unsigned sk;
    /* the cheap tests first: few lines follow prose */
    if (!table_row(&t->lines[i]) || !table_led(t, i) ||
        (sk = skeleton(t, &t->lines[i])) == 0) {
      i++;
      continue;
    }
    for (j = i + 1; j < n && table_row(&t->lines[j]) &&
                    skeleton(t, &t->lines[j]) == sk;)
      j++;
    if (j - i >= TABLE_ROWS)
      for (k = t->lines[i - 1].cls == C_GOOD ? i : i - 1; k < j; k++) {
        t->lines[k].cls = C_GOOD;
        t->lines[k].reason = "article-table";
      }
    i = j;
  }
}

void lp_page_rules(lp_text *t) {
  story_cards(t);
  post_feeds(t);
  embedded_posts(t);
  article_lists(t);
  article_tables(t);
  comment_cut(t);
  teaser_runs(t);
  dated_items(t);
  footer_prose(t);
}
