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
  {"a", LP_T_A, 0, LP_IN_LINK},
  {"abbr", LP_T_ABBR, 0, 0},
  {"address", LP_T_ADDRESS, LP_TK_BLOCK, LP_IN_ADDRESS},
  {"area", LP_T_OTHER, LP_TK_VOID, 0},
  {"article", LP_T_ARTICLE, LP_TK_BLOCK, LP_IN_ARTICLE},
  {"aside", LP_T_ASIDE, LP_TK_BLOCK, LP_IN_ASIDE},
  {"audio", LP_T_AUDIO, LP_TK_DROP, 0},
  {"b", LP_T_B, 0, 0},
  {"blockquote", LP_T_BLOCKQUOTE, LP_TK_BLOCK, LP_IN_QUOTE},
  {"body", LP_T_BODY, LP_TK_BLOCK, 0},
  {"br", LP_T_BR, LP_TK_BLOCK | LP_TK_VOID, 0},
  {"button", LP_T_BUTTON, LP_TK_DROP, 0},
  {"canvas", LP_T_CANVAS, LP_TK_DROP, 0},
  {"caption", LP_T_CAPTION, LP_TK_BLOCK, LP_IN_CAPTION},
  {"center", LP_T_CENTER, LP_TK_BLOCK, 0},
  {"dd", LP_T_DD, LP_TK_BLOCK, LP_IN_DL},
  {"details", LP_T_DETAILS, LP_TK_BLOCK, 0},
  {"dialog", LP_T_DIALOG, LP_TK_BLOCK, LP_IN_DIALOG},
  {"dir", LP_T_UL, LP_TK_BLOCK, 0},
  {"div", LP_T_DIV, LP_TK_BLOCK, 0},
  {"dl", LP_T_DL, LP_TK_BLOCK, 0},
  {"dt", LP_T_DT, LP_TK_BLOCK, LP_IN_DL},
  {"em", LP_T_EM, 0, 0},
  {"embed", LP_T_OBJECT, LP_TK_DROP | LP_TK_VOID, 0},
  {"fieldset", LP_T_FIELDSET, LP_TK_BLOCK, LP_IN_FORM},
  {"figcaption", LP_T_FIGCAPTION, LP_TK_BLOCK, LP_IN_CAPTION},
  {"figure", LP_T_FIGURE, LP_TK_BLOCK, LP_IN_FIGURE},
  {"font", LP_T_FONT, 0, 0},
  {"footer", LP_T_FOOTER, LP_TK_BLOCK, LP_IN_FOOTER},
  {"form", LP_T_FORM, LP_TK_BLOCK, LP_IN_FORM},
  {"frameset", LP_T_FRAMESET, LP_TK_BLOCK, 0},
  {"h1", LP_T_H1, LP_TK_BLOCK, LP_IN_HEADING},
  {"h2", LP_T_H2, LP_TK_BLOCK, LP_IN_HEADING},
  {"h3", LP_T_H3, LP_TK_BLOCK, LP_IN_HEADING},
  {"h4", LP_T_H4, LP_TK_BLOCK, LP_IN_HEADING},
  {"h5", LP_T_H5, LP_TK_BLOCK, LP_IN_HEADING},
  {"h6", LP_T_H6, LP_TK_BLOCK, LP_IN_HEADING},
  {"head", LP_T_HEAD, LP_TK_BLOCK, 0},
  {"header", LP_T_HEADER, LP_TK_BLOCK, LP_IN_HEADER},
  {"hgroup", LP_T_HGROUP, LP_TK_BLOCK, 0},
  {"hr", LP_T_HR, LP_TK_BLOCK | LP_TK_VOID, 0},
  {"html", LP_T_HTML, LP_TK_BLOCK, 0},
  {"i", LP_T_I, 0, 0},
  {"iframe", LP_T_IFRAME, LP_TK_DROP, 0},
  {"img", LP_T_IMG, LP_TK_VOID, 0},
  {"input", LP_T_INPUT, LP_TK_VOID, 0},
  {"label", LP_T_LABEL, 0, LP_IN_FORM},
  {"legend", LP_T_LEGEND, LP_TK_BLOCK, LP_IN_FORM},
  {"li", LP_T_LI, LP_TK_BLOCK, LP_IN_LI},
  {"link", LP_T_LINK, LP_TK_VOID, 0},
  {"main", LP_T_MAIN, LP_TK_BLOCK, LP_IN_ARTICLE},
  {"map", LP_T_OTHER, LP_TK_DROP, 0},
  {"math", LP_T_MATH, LP_TK_DROP, 0},
  {"menu", LP_T_MENU, LP_TK_BLOCK, LP_IN_NAV},
  {"meta", LP_T_META, LP_TK_VOID, 0},
  {"nav", LP_T_NAV, LP_TK_BLOCK, LP_IN_NAV},
  {"noembed", LP_T_OTHER, LP_TK_DROP, 0},
  {"noframes", LP_T_OTHER, LP_TK_DROP, 0},
  /* libxml2 reads <noscript> as markup and ignores its end tag while an
   * element opened inside is still open, so dropping it could drop the
   * page: its text is labelled like any other */
  {"noscript", LP_T_NOSCRIPT, LP_TK_BLOCK, 0},
  {"object", LP_T_OBJECT, LP_TK_DROP, 0},
  {"ol", LP_T_OL, LP_TK_BLOCK, 0},
  {"optgroup", LP_T_OPTION, LP_TK_DROP, 0},
  {"option", LP_T_OPTION, LP_TK_DROP, 0},
  {"p", LP_T_P, LP_TK_BLOCK, 0},
  {"picture", LP_T_OTHER, 0, 0},
  {"pre", LP_T_PRE, LP_TK_BLOCK, LP_IN_PRE},
  {"script", LP_T_SCRIPT, LP_TK_DROP, 0},
  {"section", LP_T_SECTION, LP_TK_BLOCK, 0},
  {"select", LP_T_SELECT, LP_TK_DROP, 0},
  {"small", LP_T_SMALL, 0, 0},
  {"source", LP_T_OTHER, LP_TK_VOID, 0},
  {"span", LP_T_SPAN, 0, 0},
  {"strong", LP_T_STRONG, 0, 0},
  {"style", LP_T_STYLE, LP_TK_DROP, 0},
  {"summary", LP_T_SUMMARY, LP_TK_BLOCK, 0},
  {"svg", LP_T_SVG, LP_TK_DROP, 0},
  {"table", LP_T_TABLE, LP_TK_BLOCK, 0},
  {"tbody", LP_T_TBODY, LP_TK_BLOCK, 0},
  {"td", LP_T_TD, LP_TK_BLOCK, LP_IN_TABLE},
  {"template", LP_T_TEMPLATE, LP_TK_DROP, 0},
  {"textarea", LP_T_TEXTAREA, LP_TK_DROP, 0},
  {"tfoot", LP_T_TBODY, LP_TK_BLOCK, 0},
  {"th", LP_T_TH, LP_TK_BLOCK, LP_IN_TABLE},
  {"thead", LP_T_TBODY, LP_TK_BLOCK, 0},
  {"time", LP_T_TIME, 0, LP_IN_TIME},
  {"title", LP_T_TITLE, LP_TK_DROP, 0},
  {"tr", LP_T_TR, LP_TK_BLOCK, 0},
  {"track", LP_T_OTHER, LP_TK_VOID, 0},
  {"ul", LP_T_UL, LP_TK_BLOCK, 0},
  {"video", LP_T_VIDEO, LP_TK_DROP, 0},
  {"wbr", LP_T_OTHER, LP_TK_VOID, 0},
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
  {"nav", LP_CW_NAV, 1}, {"menu", LP_CW_NAV, 1}, {"breadcrumb", LP_CW_NAV, 1},
  {"crumbs", LP_CW_NAV, 0}, {"topbar", LP_CW_HEADER, 0},
  {"pagination", LP_CW_NAV, 0}, {"pager", LP_CW_NAV, 0},
  {"skip", LP_CW_NAV, 0}, {"toolbar", LP_CW_NAV, 0},
  {"footer", LP_CW_FOOTER, 1}, {"copyright", LP_CW_FOOTER, 0},
  {"colophon", LP_CW_FOOTER, 0},
  {"comment", LP_CW_COMMENT, 0}, {"comments", LP_CW_COMMENT, 0},
  {"commentlist", LP_CW_COMMENT, 0}, {"commentform", LP_CW_COMMENT, 0},
  {"commentsection", LP_CW_COMMENT, 0}, {"disqus", LP_CW_COMMENT, 1},
  /* the same in the languages of the pages: de, fr, es/pt, it, nl */
  {"kommentar", LP_CW_COMMENT, 0}, {"kommentare", LP_CW_COMMENT, 0},
  {"commentaire", LP_CW_COMMENT, 0}, {"commentaires", LP_CW_COMMENT, 0},
  {"comentario", LP_CW_COMMENT, 0}, {"comentarios", LP_CW_COMMENT, 0},
  {"commento", LP_CW_COMMENT, 0}, {"commenti", LP_CW_COMMENT, 0},
  {"reacties", LP_CW_COMMENT, 0},
  {"respond", LP_CW_COMMENT, 0}, {"replies", LP_CW_COMMENT, 0},
  {"related", LP_CW_RELATED, 1}, {"recommend", LP_CW_RELATED, 1},
  {"recommended", LP_CW_RELATED, 0}, {"popular", LP_CW_RELATED, 0},
  {"trending", LP_CW_RELATED, 0}, {"teaser", LP_CW_RELATED, 1},
  {"outbrain", LP_CW_RELATED, 1}, {"taboola", LP_CW_RELATED, 1},
  {"mostread", LP_CW_RELATED, 0}, {"readmore", LP_CW_RELATED, 0},
  {"recirc", LP_CW_RELATED, 1},
  {"share", LP_CW_SHARE, 1}, {"sharing", LP_CW_SHARE, 0},
  {"social", LP_CW_SHARE, 1}, {"sharebar", LP_CW_SHARE, 0},
  {"sidebar", LP_CW_SIDEBAR, 1}, {"aside", LP_CW_SIDEBAR, 0},
  {"rail", LP_CW_SIDEBAR, 0}, {"sidebox", LP_CW_SIDEBAR, 0},
  {"ad", LP_CW_AD, 0}, {"ads", LP_CW_AD, 0}, {"advert", LP_CW_AD, 1},
  {"adslot", LP_CW_AD, 0}, {"adunit", LP_CW_AD, 0},
  {"sponsor", LP_CW_AD, 1}, {"promo", LP_CW_AD, 1},
  {"dfp", LP_CW_AD, 0}, {"commercial", LP_CW_AD, 0},
  {"byline", LP_CW_BYLINE, 1}, {"author", LP_CW_BYLINE, 1},
  {"writer", LP_CW_BYLINE, 0}, {"contributor", LP_CW_BYLINE, 0},
  {"date", LP_CW_DATE, 1}, {"time", LP_CW_DATE, 0},
  {"timestamp", LP_CW_DATE, 0}, {"published", LP_CW_DATE, 0},
  {"pubdate", LP_CW_DATE, 0}, {"dateline", LP_CW_DATE, 0},
  {"caption", LP_CW_CAPTION, 1}, {"credit", LP_CW_CAPTION, 1},
  {"figcaption", LP_CW_CAPTION, 0},
  {"article", LP_CW_ARTICLE, 0}, {"story", LP_CW_ARTICLE, 0},
  {"post", LP_CW_ARTICLE, 0}, {"entry", LP_CW_ARTICLE, 0},
  {"content", LP_CW_ARTICLE, 0}, {"body", LP_CW_ARTICLE, 0},
  {"text", LP_CW_ARTICLE, 0}, {"articlebody", LP_CW_ARTICLE, 0},
  {"prose", LP_CW_ARTICLE, 0},
  {"header", LP_CW_HEADER, 0}, {"masthead", LP_CW_HEADER, 0},
  {"cookie", LP_CW_COOKIE, 1}, {"consent", LP_CW_COOKIE, 1},
  {"gdpr", LP_CW_COOKIE, 0},
  {"newsletter", LP_CW_SUBSCRIBE, 1}, {"subscribe", LP_CW_SUBSCRIBE, 1},
  {"subscription", LP_CW_SUBSCRIBE, 0}, {"signup", LP_CW_SUBSCRIBE, 0},
  {"paywall", LP_CW_SUBSCRIBE, 0},
  {"tags", LP_CW_TAGS, 0}, {"tag", LP_CW_TAGS, 0}, {"topics", LP_CW_TAGS, 0},
  {"keywords", LP_CW_TAGS, 0},
  {"modal", LP_CW_MODAL, 1}, {"popup", LP_CW_MODAL, 1},
  {"overlay", LP_CW_MODAL, 0}, {"lightbox", LP_CW_MODAL, 0},
  {"summary", LP_CW_SUMMARY, 0}, {"lead", LP_CW_SUMMARY, 0},
  {"intro", LP_CW_SUMMARY, 0}, {"standfirst", LP_CW_SUMMARY, 0},
  {"dek", LP_CW_SUMMARY, 0}, {"subtitle", LP_CW_SUMMARY, 0},
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

