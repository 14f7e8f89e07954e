/*
 * html.h - declarations shared by the HTML modules of the core: the page
 * decoded (htmldecode.c) and parsed into blocks (html.c, htmltags.c), the
 * DOM evidence the line labeller weighs (htmlclass.c), page metadata
 * (meta.c) and JSON (json.c). htmlpage.h holds what only they share.
 */
#ifndef LOUPE_HTML_H
#define LOUPE_HTML_H

#include <stddef.h>
#include "extract.h"

/* ---- elements (html.c) ---- */

/* Tags the walk tells apart; everything else is LP_T_OTHER (inline). */
enum {
  LP_T_OTHER = 0, LP_T_HTML, LP_T_HEAD, LP_T_BODY, LP_T_TITLE, LP_T_META,
  LP_T_LINK, LP_T_SCRIPT, LP_T_STYLE, LP_T_NOSCRIPT, LP_T_TEMPLATE, LP_T_SVG,
  LP_T_IFRAME, LP_T_OBJECT, LP_T_SELECT, LP_T_TEXTAREA, LP_T_BUTTON,
  LP_T_P, LP_T_DIV, LP_T_H1, LP_T_H2, LP_T_H3, LP_T_H4, LP_T_H5, LP_T_H6,
  LP_T_UL, LP_T_OL, LP_T_LI, LP_T_DL, LP_T_DT, LP_T_DD, LP_T_TABLE, LP_T_TR,
  LP_T_TD, LP_T_TH, LP_T_CAPTION, LP_T_BLOCKQUOTE, LP_T_PRE, LP_T_ARTICLE,
  LP_T_MAIN, LP_T_SECTION, LP_T_NAV, LP_T_HEADER, LP_T_FOOTER, LP_T_ASIDE,
  LP_T_FIGURE, LP_T_FIGCAPTION, LP_T_FORM, LP_T_MENU, LP_T_ADDRESS, LP_T_BR,
  LP_T_HR, LP_T_A, LP_T_TIME, LP_T_IMG, LP_T_CENTER, LP_T_FIELDSET,
  LP_T_DETAILS, LP_T_SUMMARY, LP_T_LABEL, LP_T_DIALOG, LP_T_OPTION,
  LP_T_HGROUP, LP_T_LEGEND, LP_T_TBODY, LP_T_INPUT, LP_T_FONT, LP_T_SPAN,
  LP_T_STRONG, LP_T_B, LP_T_EM, LP_T_I, LP_T_SMALL, LP_T_ABBR, LP_T_VIDEO,
  LP_T_AUDIO, LP_T_CANVAS, LP_T_MATH, LP_T_FRAMESET, LP_T__N
};

/* Structural ancestors of a block: what it sits inside (tags and ARIA
 * roles). */
enum {
  LP_IN_NAV = 1u << 0,       /* nav, menu, role=navigation|menu|menubar */
  LP_IN_HEADER = 1u << 1,    /* header, role=banner */
  LP_IN_FOOTER = 1u << 2,    /* footer, role=contentinfo */
  LP_IN_ASIDE = 1u << 3,     /* aside, role=complementary */
  LP_IN_FIGURE = 1u << 4,    /* figure */
  LP_IN_CAPTION = 1u << 5,   /* figcaption, table caption */
  LP_IN_FORM = 1u << 6,      /* form, fieldset, label */
  LP_IN_LI = 1u << 7,        /* a list item */
  LP_IN_TABLE = 1u << 8,     /* a table cell */
  LP_IN_HEADING = 1u << 9,   /* h1-h6 */
  LP_IN_QUOTE = 1u << 10,    /* blockquote */
  LP_IN_ARTICLE = 1u << 11,  /* article, main, role=main, itemprop
                                articleBody */
  LP_IN_PRE = 1u << 12,      /* pre */
  LP_IN_LINK = 1u << 13,     /* a (inline: text inside links) */
  LP_IN_ADDRESS = 1u << 14,  /* address */
  LP_IN_DIALOG = 1u << 15,   /* dialog, role=dialog|alertdialog */
  LP_IN_DL = 1u << 16,       /* dt, dd */
  LP_IN_TIME = 1u << 17      /* time */
};

/* Words of class and id attributes: what the page's own author called a
 * region (matched as whole words of the attribute, camelCase split). */
enum {
  LP_CW_NAV = 1u << 0,        /* nav, navbar, menu, breadcrumb(s) */
  LP_CW_FOOTER = 1u << 1,     /* footer, copyright */
  LP_CW_COMMENT = 1u << 2,    /* comment(s), disqus, respond */
  LP_CW_RELATED = 1u << 3,    /* related, recommended, popular, more,
                                 trending, teaser(s), outbrain, taboola */
  LP_CW_SHARE = 1u << 4,      /* share, sharing, social */
  LP_CW_SIDEBAR = 1u << 5,    /* sidebar, aside, rail */
  LP_CW_AD = 1u << 6,         /* ad, ads, advert(isement), sponsor(ed),
                                 promo, banner, dfp */
  LP_CW_BYLINE = 1u << 7,     /* byline, author, writer */
  LP_CW_DATE = 1u << 8,       /* date, time, timestamp, published */
  LP_CW_CAPTION = 1u << 9,    /* caption, credit, figcaption */
  LP_CW_ARTICLE = 1u << 10,   /* article, story, post, entry, content,
                                 body, text */
  LP_CW_HEADER = 1u << 11,    /* header, masthead, topbar */
  LP_CW_COOKIE = 1u << 12,    /* cookie(s), consent, gdpr */
  LP_CW_SUBSCRIBE = 1u << 13, /* newsletter, subscribe, signup, paywall */
  LP_CW_TAGS = 1u << 14,      /* tags, topics, keywords */
  LP_CW_HIDDEN = 1u << 15,    /* hidden, sr-only, visually-hidden ... */
  LP_CW_MODAL = 1u << 16,     /* modal, popup, overlay */
  LP_CW_SUMMARY = 1u << 17    /* summary, lead, intro, standfirst, dek */
};
/* Words that say "not the article". */
#define LP_CW_BOILER (LP_CW_NAV | LP_CW_FOOTER | LP_CW_COMMENT | \
                      LP_CW_RELATED | LP_CW_SHARE | LP_CW_SIDEBAR | \
                      LP_CW_AD | LP_CW_COOKIE | LP_CW_SUBSCRIBE | \
                      LP_CW_TAGS | LP_CW_MODAL)

/* One element of the page (start tags in document order). */
typedef struct {
  int parent;              /* index of the parent element, -1 at the top */
  unsigned short tag;      /* LP_T_* */
  unsigned short depth;    /* nesting depth (capped at 65535) */
  unsigned in;             /* LP_IN_* of itself and its ancestors */
  unsigned cls;            /* LP_CW_* of its own class and id */
  unsigned cls_up;         /* LP_CW_* of itself and its ancestors */
  size_t first_block;      /* first block inside it (n_blocks if none) */
  size_t end_block;        /* one past its last block */
  size_t prose;            /* characters of prose blocks inside it
                              (htmlclass.c) */
  int keep;                /* its class words do not make boilerplate: it
                              holds the headline or most of the prose */
  int prose_group;         /* its paragraphs are mostly prose
                              (lp_dom_smooth) */
} lp_dom_elem;

/* One block: a run of inline text between block boundaries, which is one
 * line of the text the labeller reads. */
typedef struct {
  size_t elem;             /* innermost enclosing block element */
  unsigned tag;            /* its LP_T_* */
  unsigned in;             /* LP_IN_* where the text sits (union over the
                              block's text, LP_IN_LINK for any link) */
  unsigned cls;            /* LP_CW_* of the element, its ancestors and
                              the inline elements around the text */
  unsigned cls_inline;     /* LP_CW_* of the inline elements around the
                              text (inside the block element) */
  unsigned nchars;         /* visible characters (spaces collapsed) */
  unsigned link_chars;     /* of which inside <a> */
  unsigned lead_chars;     /* of which before the first link */
  unsigned depth;          /* element depth */
  unsigned br;             /* 1 when a <br> (or a newline in <pre>) ended
                              it, so the next block continues the element */
  size_t off, len;         /* its line in the text */
  unsigned cls_near;       /* LP_CW_* that count against it (htmlclass.c):
                              of the inline elements and of the elements
                              above up to an article boundary, not of
                              those that hold the article */
} lp_dom_block;

/* The page as the labeller sees it beside the text. */
struct lp_dom {
  lp_dom_elem *elems;
  size_t n_elems;
  lp_dom_block *blocks;    /* block k is line k + 1 of the text */
  size_t n_blocks;
  size_t article;          /* the element judged to hold the article
                              (lp_dom_prune), or LP_NONE */
  const char *title;       /* the headline the metadata gives (borrowed),
                              or NULL */
  size_t title_len;
  const char *text;        /* the text the blocks are lines of */
  size_t title_block;      /* block of the headline (htmlclass.c), or
                              LP_NONE */
};
typedef struct lp_dom lp_dom;

/* The DOM block of a line of t (NULL for text input). Blocks follow the
 * text's source lines, so dedupe moving a line's text keeps the pair. */
static inline const lp_dom_block *lp_dom_of(const lp_text *t,
                                            const lp_line *l) {
  const lp_dom *d = t->dom;
  if (d == NULL || l->src_line == 0 || l->src_line > d->n_blocks) return NULL;
  return &d->blocks[l->src_line - 1];
}

/* ---- the parsed page (html.c) ---- */
typedef struct lp_html lp_html;
typedef struct lp_meta lp_meta;

/* Set up libxml2 (once per process; call before starting threads). */
void lp_html_init(void);
/* Does s[0..n) look like an HTML page (doctype, <html>, <head>, <body>,
 * or many tags near its start)? */
int lp_html_sniff(const char *s, size_t n);

/*
 * Decode an HTML page (charset: the caller's when forced, else from the
 * BOM, a meta charset, or the bytes as text.c guesses them; converted to
 * UTF-8) and parse it with libxml2's HTML parser (never
 * fetching anything) into blocks of text, their DOM evidence and the
 * page's metadata.
 *   out:        receives the page (NULL on failure); free with
 *               lp_html_free.
 *   src/len:    the caller's bytes (borrowed until lp_html_free).
 *   cs:         the parser's charset tables (for the guess).
 *   charset:    LP_ENC_* to force, or LP_ENC_AUTO.
 *   err/errcap: a message on failure.
 * A page with metadata but no visible text (one its scripts would fill)
 * parses, with an empty text.
 * Returns LOUPE_OK, LOUPE_EENCODING (an unknown declared charset the
 * bytes do not decode in, binary input), LOUPE_EEMPTY (no visible text
 * and no metadata),
 * LOUPE_ELIMIT (too large for libxml2), LOUPE_ENOMEM.
 */
int lp_html_parse(const char *src, size_t len, lp_codecs *cs, int charset,
                  lp_html **out, char *err, size_t errcap);
void lp_html_free(lp_html *h);
/* The page's visible text, one block a line (UTF-8, NUL-terminated). */
const char *lp_html_text(const lp_html *h, size_t *len);
/* The blocks and elements. */
lp_dom *lp_html_dom(lp_html *h);
/* The metadata collected while parsing. */
lp_meta *lp_html_meta(lp_html *h);
/* Input counters (bytes, invalid sequences, encoding name, lines). */
loupe_input_stats lp_html_stats(const lp_html *h);
/* Offset and 1-based line in the caller's bytes of byte text_off of the
 * text, or of byte work_off of the decoded page (lp_html_map_work). */
void lp_html_map(lp_html *h, size_t text_off, size_t *off, size_t *line);
void lp_html_map_work(lp_html *h, size_t work_off, size_t *off,
                      size_t *line);
/* Re-point every offset and line of a (parsed from lp_html_text) into
 * the caller's bytes. */
void lp_html_remap(lp_html *h, loupe_article *a);
/*
 * a->lines for an HTML page: one entry per source line of the page, as
 * for text, each with the label of the blocks of text on it (the one
 * that says most: body, title, meta, duplicate, boilerplate; blank where
 * no text is), from the labelled lines of t. LOUPE_OK or LOUPE_ENOMEM.
 */
int lp_html_lines(lp_html *h, const lp_text *t, loupe_article *a,
                  lp_arena *arena);

/* ---- DOM evidence for the labeller (htmlclass.c) ---- */
/* Prepare the per-page evidence before the labeller runs: the headline's
 * block, the prose under each element, the elements that hold the
 * article, and the class words that count against each block. */
void lp_dom_regions(lp_dom *d);
/*
 * The DOM's word on line l, whose text features gave class cls (0 bad,
 * 1 short, 2 near-good, 3 good as in classify.c): returns the class to
 * use and sets *reason when the DOM decided.
 */
int lp_dom_class(const lp_text *t, const lp_line *l, int cls,
                 const char **reason);
/* Keep the body lines of the article's element (the element where the
 * body's paragraphs score most, and its siblings that score near it);
 * body lines elsewhere become boilerplate "outside-container".
 * LOUPE_OK or LOUPE_ENOMEM. */
int lp_dom_prune(lp_text *t);
/* The reason of a line lp_dom_smooth made prose. */
extern const char lp_dom_sibling_prose[];
/* Share (per mille) of the words of a[0..an) (runs of letters and
 * digits, ASCII case folded) that are words of b[0..bn). */
unsigned lp_word_share(const char *a, size_t an, const char *b, size_t bn);
/* What the markup says about a date found on line l, added to its score
 * (fields.c): in a menu, aside, footer, related list or comment, less;
 * in a <time> or an element named for the date or byline, more. */
long lp_dom_date_score(const lp_text *t, const lp_line *l);
/* The line of the page's headline block, or LP_NONE. */
size_t lp_dom_title_line(const lp_text *t);
/* Number the runs of lines the unwrapper may join: each block alone,
 * but the lines of one <pre> element together (hard-wrapped copy). */
void lp_dom_mark_blocks(lp_text *t);
/* Promote the short paragraphs, list items and cells that sit among the
 * article's paragraphs (after the first classes are set). LOUPE_OK or
 * LOUPE_ENOMEM. */
int lp_dom_smooth(lp_text *t);
/* The weight of line l in the region search, given its weight w: a line
 * of boilerplate inside the article's container (a related-story box
 * between paragraphs) does not cut the article. */
long lp_dom_weight(const lp_text *t, const lp_line *l, long w);
/*
 * The article region of an HTML page: the run of lines [*a, *b] of most
 * weight w[] (as classify.c's maximum-sum segment) that starts at or soon
 * after the headline block, when the page's headline is known.
 * Returns 1 when it chose (a region may be empty: *a == LP_NONE), 0 to
 * leave the choice to the caller.
 */
int lp_dom_region(const lp_text *t, const long *w, size_t *a, size_t *b);

/* ---- page metadata (meta.c) ---- */
/* Collectors, called by the walk: a meta, link or html element's
 * attributes (NULL-terminated name/value pairs), the text of <title> or
 * of a JSON-LD script, a date-bearing element. work_off is the element's
 * offset in the decoded page, text_off the length of the visible text
 * before it; in and cls say where it sits (LP_IN_*, LP_CW_*). */
int lp_meta_new(lp_meta **out);
void lp_meta_free(lp_meta *m);
int lp_meta_element(lp_meta *m, int tag, const char *const *atts,
                    size_t work_off, size_t text_off, unsigned in,
                    unsigned cls);
int lp_meta_title(lp_meta *m, const char *s, size_t n, size_t work_off);
/* The JSON-LD script s[0..n) (metald.c). */
int lp_meta_jsonld(lp_meta *m, const char *s, size_t n, size_t work_off);
/* Add a value under key (copied, entities decoded, spaces collapsed;
 * empty values and values over 2000 bytes are ignored), found by rule
 * with priority prio (lower wins). LOUPE_OK or LOUPE_ENOMEM. */
int lp_meta_add(lp_meta *m, const char *key, const char *rule, int prio,
                const char *v, size_t n, size_t work_off, size_t text_off,
                unsigned in, unsigned cls);
/* Did the page give any metadata value? */
int lp_meta_any(const lp_meta *m);
/* The headline the metadata gives (JSON-LD, Open Graph, <title>), or
 * NULL; valid while m lives. */
const char *lp_meta_headline(const lp_meta *m, size_t *len);
/* An element with itemprop or <time> whose value is its text. */
int lp_meta_text_value(lp_meta *m, const char *key, const char *rule,
                       const char *s, size_t n, size_t work_off,
                       unsigned in);
/*
 * Reconcile the metadata with the fields the labeller found in t: fill
 * a->meta, choose the date (metadata publication date when sane, else the
 * visible one: both kept), title, outlet, authors, lang, url, section and
 * description. Offsets of metadata values are in the decoded page; h maps
 * them. LOUPE_OK or LOUPE_ENOMEM.
 */
int lp_meta_apply(lp_meta *m, lp_html *h, lp_text *t, loupe_article *a,
                  lp_arena *arena);

/* ---- JSON (json.c) ---- */
enum { LP_J_NULL = 0, LP_J_BOOL, LP_J_NUM, LP_J_STR, LP_J_ARR, LP_J_OBJ };
typedef struct lp_json lp_json;
struct lp_json {
  int type;                /* LP_J_* */
  const char *str;         /* strings: decoded UTF-8, NUL-terminated;
                              numbers and booleans: their text */
  size_t len;
  const char *key;         /* member name inside an object, else NULL */
  size_t off;              /* byte offset of the value in the source */
  lp_json *child, *next;   /* first element or member; next sibling */
};
/*
 * Parse JSON leniently (what JSON-LD on real pages needs): comments,
 * trailing commas, raw control characters in strings, a wrapping
 * <!-- --> or CDATA, several values in a row (returned as an array), and
 * an unterminated document (what was read so far). Nesting is limited to
 * 64 levels (deeper values are skipped).
 *   out: receives the root (NULL when nothing parsed); nodes live in
 *        arena.
 * Returns LOUPE_OK or LOUPE_ENOMEM.
 */
int lp_json_parse(const char *s, size_t n, lp_arena *arena, lp_json **out);
/* Member key of object o, or NULL. */
const lp_json *lp_json_get(const lp_json *o, const char *key);

#endif /* LOUPE_HTML_H */
