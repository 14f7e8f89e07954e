/*
 * htmlpage.h - what the HTML modules share inside (not meant for the rest
 * of extraction): the page object, the offset anchors that map text back
 * to the caller's bytes, the decoding (htmldecode.c) and the table of
 * tags and class words (htmltags.c) the walk (html.c) reads.
 */
#ifndef LOUPE_HTMLPAGE_H
#define LOUPE_HTMLPAGE_H

#include <iconv.h>
#include "html.h"

/* A point where two offset spaces line up: text or work offset a, the
 * matching offset b in the space below. */
typedef struct {
  size_t a, b;
} anchor;

typedef struct {
  anchor *v;
  size_t n, cap;
} anchors;

struct lp_html {
  const char *src;          /* the caller's bytes */
  size_t slen;
  char *own;                /* the decoded page when it is a copy */
  const char *work;         /* the decoded page (UTF-8) libxml2 reads */
  size_t wlen;
  anchors wa;               /* work offset -> source offset */
  iconv_t cd;               /* the converter, when the page was converted */
  int converted;
  size_t *wlines;           /* work offsets of line starts (lazily) */
  size_t nwlines;
  lp_buf text;              /* the visible text, one block a line */
  anchors ta;               /* text offset -> work offset */
  lp_dom dom;
  size_t cap_elems, cap_blocks;
  lp_meta *meta;
  loupe_input_stats stats;
  const char *enc;          /* static name of the charset read */
};

/* Record that offset a lines up with b (replacing an anchor at a).
 * LOUPE_OK or LOUPE_ENOMEM. */
int lp_anchor_push(anchors *v, size_t a, size_t b);
/* Index of the last anchor at or before a (0 when none). */
size_t lp_anchor_find(const anchors *v, size_t a);

/* ---- decoding (htmldecode.c) ---- */
/* Decode h->src into h->work (UTF-8) in the charset forced (>= 0) or
 * found (BOM, meta charset, the bytes), setting h->enc and the work
 * anchors. LOUPE_OK, LOUPE_EENCODING or LOUPE_ENOMEM. */
int lp_html_decode(lp_html *h, lp_codecs *cs, int forced);

/* ---- tags and class words (htmltags.c) ---- */
enum {
  LP_TK_BLOCK = 1,      /* ends the line before and after it */
  LP_TK_DROP = 2,       /* its content is not visible text */
  LP_TK_VOID = 4        /* never has content */
};
/* What the walk knows of an element. */
typedef struct {
  int tag;              /* LP_T_*; LP_T_OTHER for an unknown (inline) one */
  unsigned kind;        /* LP_TK_* */
  unsigned in;          /* LP_IN_* it opens */
} lp_tag_info;
/* The facts of an element name (libxml2 gives it lower case). */
lp_tag_info lp_html_tag(const char *name);
/* Class and id words of an attribute value (LP_CW_*); 0 for NULL. */
unsigned lp_html_class_bits(const char *v);

#endif /* LOUPE_HTMLPAGE_H */
