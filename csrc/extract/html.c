/*
 * html.c - HTML pages in: libxml2's HTML parser driven through SAX
 * callbacks over the page htmldecode.c decoded, and the walk that turns
 * elements into blocks of visible text (one line each, for the line
 * labeller) with their DOM evidence (tags and class words: htmltags.c)
 * and the metadata elements; then the labelled lines back onto blocks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include "htmlpage.h"

static int lower_c(int c) { return c >= 'A' && c <= 'Z' ? c | 32 : c; }

int lp_anchor_push(anchors *v, size_t a, size_t b) {
  if (v->n > 0 && v->v[v->n - 1].a == a) {
    v->v[v->n - 1].b = b;
    return LOUPE_OK;
  }
  if (lp_grow(&v->v, &v->cap, v->n, sizeof *v->v, 64)) return LOUPE_ENOMEM;
  v->v[v->n].a = a;
  v->v[v->n].b = b;
  v->n++;
  return LOUPE_OK;
}

/* Index of the last anchor at or before a (0 when none). */
size_t lp_anchor_find(const anchors *v, size_t a) {
  size_t lo = 0, hi = v->n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (v->v[mid].a <= a) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* ---- the walk (SAX callbacks) ---- */

enum { CAP_NONE = 0, CAP_TITLE, CAP_JSONLD, CAP_VALUE };

/* Elements open at once, at most (an element's depth fits 16 bits). */
#define MAX_DEPTH 65535

typedef struct {
  const xmlChar *name;     /* libxml2's interned name */
  size_t elem;             /* its element, or its parent's when dropped */
  size_t owner;            /* innermost block element */
  unsigned in;             /* LP_IN_* including inline ones */
  unsigned cls;            /* LP_CW_* up to here */
  unsigned cls_blk;        /* LP_CW_* of the inline elements up to here
                              from the innermost block element */
  int tag;                 /* LP_T_* */
  unsigned kind;           /* LP_TK_* of its tag */
  int dropped;             /* opened a dropped subtree */
  int capture;             /* opened a capture */
} open_el;

typedef struct {
  lp_html *h;
  htmlParserCtxtPtr ctxt;
  open_el *st;
  size_t depth, cap;
  size_t drop;             /* dropped subtrees open */
  /* capture of an element's text (title, JSON-LD, an itemprop value) */
  int cap_kind;
  size_t cap_depth;
  size_t cap_off;
  const char *cap_key, *cap_rule;
  lp_buf capbuf;
  /* the line being built */
  size_t line_start;       /* its offset in the text */
  size_t line_owner;       /* owner element of its first character */
  unsigned line_in, line_cls, line_cls_in, line_chars, line_link, line_lead;
  int pending_space;
  size_t last_end;         /* work offset after the last event */
  int rc;
} walk;

/* Work offset of the parser's cursor. */
static size_t cursor(const walk *w) {
  const xmlParserInputPtr in = w->ctxt->input;
  if (in == NULL || in->cur == NULL || in->base == NULL) return w->last_end;
  return (size_t)(in->cur - in->base) + (size_t)in->consumed;
}

/* End the line being built: a block when it holds visible text. */
static void end_line(walk *w, unsigned br) {
  lp_html *h = w->h;
  lp_dom_block *b;
  w->pending_space = 0;
  if (w->line_chars == 0 || w->rc) return;
  if (lp_grow(&h->dom.blocks, &h->cap_blocks, h->dom.n_blocks,
              sizeof *h->dom.blocks, 128)) {
    w->rc = LOUPE_ENOMEM;
    return;
  }
  if (lp_buf_append(&h->text, "\n", 1)) { w->rc = LOUPE_ENOMEM; return; }
  b = &h->dom.blocks[h->dom.n_blocks++];
  memset(b, 0, sizeof *b);
  b->elem = w->line_owner;
  b->tag = w->line_owner < h->dom.n_elems ? h->dom.elems[w->line_owner].tag
                                          : LP_T_OTHER;
  b->in = w->line_in;
  b->cls = w->line_cls;
  b->cls_inline = w->line_cls_in;
  b->nchars = w->line_chars;
  b->link_chars = w->line_link;
  b->lead_chars = w->line_lead;
  b->depth = w->line_owner < h->dom.n_elems
               ? h->dom.elems[w->line_owner].depth : 0;
  b->br = br;
  b->off = w->line_start;
  b->len = h->text.len - 1 - w->line_start;
  w->line_start = h->text.len;
  w->line_chars = w->line_link = w->line_lead = 0;
  w->line_in = w->line_cls = w->line_cls_in = 0;
}

/* The value of attribute name in atts, or NULL. */
static const char *attr(const xmlChar **atts, const char *name) {
  size_t i;
  if (atts == NULL) return NULL;
  for (i = 0; atts[i]; i += 2)
    if (strcmp((const char *)atts[i], name) == 0)
      return atts[i + 1] ? (const char *)atts[i + 1] : "";
  return NULL;
}

/* Is the element hidden by its attributes (hidden, aria-hidden=true,
 * an inline style with display:none or visibility:hidden)? */
static int hidden_by_attrs(const xmlChar **atts) {
  const char *v;
  if (atts == NULL) return 0;
  if (attr(atts, "hidden")) return 1;
  v = attr(atts, "aria-hidden");
  if (v && lp_starts_ci(v, strlen(v), "true")) return 1;
  v = attr(atts, "style");
  if (v) {
    char buf[256];
    size_t i, k = 0;
    for (i = 0; v[i] && k + 1 < sizeof buf; i++)
      if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n')
        buf[k++] = (char)lower_c((unsigned char)v[i]);
    buf[k] = '\0';
    if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
      return 1;
  }
  v = attr(atts, "type");
  if (v && strcmp(v, "hidden") == 0) return 1;
  return 0;
}

/* LP_IN_* an ARIA role gives. */
static unsigned role_in(const char *r) {
  if (r == NULL) return 0;
  if (strcmp(r, "navigation") == 0 || strcmp(r, "menu") == 0 ||
      strcmp(r, "menubar") == 0)
    return LP_IN_NAV;
  if (strcmp(r, "banner") == 0) return LP_IN_HEADER;
  if (strcmp(r, "contentinfo") == 0) return LP_IN_FOOTER;
  if (strcmp(r, "complementary") == 0) return LP_IN_ASIDE;
  if (strcmp(r, "main") == 0 || strcmp(r, "article") == 0)
    return LP_IN_ARTICLE;
  if (strcmp(r, "dialog") == 0 || strcmp(r, "alertdialog") == 0)
    return LP_IN_DIALOG;
  return 0;
}

static void start_capture(walk *w, int kind, size_t off, const char *key,
                          const char *rule) {
  w->cap_kind = kind;
  w->cap_depth = w->depth;
  w->cap_off = off;
  w->cap_key = key;
  w->cap_rule = rule;
  w->capbuf.len = 0;
}

/* Work offset of the '<' that opened the element whose '>' is at pos
 * (the cursor may stand at the end of the page). */
static size_t tag_start(const walk *w, size_t pos) {
  const char *s = w->h->work;
  size_t n = w->h->wlen, i, lim;
  if (n == 0) return 0;
  i = pos < n ? pos : n - 1;
  lim = i > 4096 ? i - 4096 : 0;
  while (i > lim && s[i] != '<') i--;
  return s[i] == '<' ? i : (pos < n ? pos : n);
}

/* Stop the walk with result code rc. */
static void walk_stop(walk *w, int rc) {
  w->rc = rc;
  xmlStopParser(w->ctxt);
}

/* Room on the stack for one more open element; 0 when the walk stopped
 * (nesting deeper than any page, or out of memory). */
static int stack_room(walk *w) {
  if (w->depth >= MAX_DEPTH) {      /* deeper than any page */
    walk_stop(w, LOUPE_ELIMIT);
    return 0;
  }
  if (lp_grow(&w->st, &w->cap, w->depth, sizeof *w->st, 64)) {
    walk_stop(w, LOUPE_ENOMEM);
    return 0;
  }
  return 1;
}

/* A dropped element e (hidden, script, a dialog...): its text is not
 * visible, but a <title> or a JSON-LD script inside is captured. */
static void open_dropped(walk *w, open_el *e, const open_el *top,
                         const xmlChar **atts, size_t pos) {
  const char *v;
  e->dropped = 1;
  e->elem = top ? top->elem : (size_t)-1;
  e->owner = top ? top->owner : (size_t)-1;
  if (e->kind & LP_TK_VOID) {                /* nothing will close it */
    if (e->kind & LP_TK_BLOCK) end_line(w, 0);
    return;
  }
  w->drop++;
  if (w->cap_kind == CAP_NONE) {
    if (e->tag == LP_T_TITLE && (w->drop == 0 || top->tag == LP_T_HEAD)) {
      start_capture(w, CAP_TITLE, pos + 1, NULL, NULL);
    } else if (e->tag == LP_T_SCRIPT && atts &&
               (v = attr(atts, "type")) != NULL &&
               lp_contains_ci(v, strlen(v), "ld+json")) {
      start_capture(w, CAP_JSONLD, pos + 1, NULL, NULL);
    }
    if (w->cap_kind != CAP_NONE) e->capture = 1;
  }
  w->depth++;
}

/* The DOM element of the visible element e. LOUPE_OK or ENOMEM. */
static int add_elem(walk *w, open_el *e, const open_el *top,
                    unsigned own_cls) {
  lp_html *h = w->h;
  lp_dom_elem *de;
  int r = lp_grow(&h->dom.elems, &h->cap_elems, h->dom.n_elems,
                  sizeof *h->dom.elems, 256);
  if (r) return r;
  de = &h->dom.elems[h->dom.n_elems];
  de->parent = top && top->elem != (size_t)-1 ? (int)top->elem : -1;
  de->tag = (unsigned short)e->tag;
  de->depth = (unsigned short)(w->depth > 65535 ? 65535 : w->depth);
  de->in = e->in;
  de->cls = own_cls;
  de->cls_up = e->cls;
  de->first_block = h->dom.n_blocks;
  de->end_block = h->dom.n_blocks;
  e->elem = h->dom.n_elems++;
  e->owner = (e->kind & LP_TK_BLOCK) || top == NULL ||
             top->owner == (size_t)-1 ? e->elem : top->owner;
  e->cls_blk = (e->kind & LP_TK_BLOCK) || top == NULL
                 ? 0 : top->cls_blk | own_cls;
  return LOUPE_OK;
}

/* An itemprop date written as the element's text: capture it. */
static void capture_itemprop(walk *w, open_el *e, const xmlChar **atts,
                             size_t pos) {
  const char *v;
  if (w->cap_kind != CAP_NONE || atts == NULL ||
      (v = attr(atts, "itemprop")) == NULL ||
      attr(atts, "content") != NULL || attr(atts, "datetime") != NULL)
    return;
  if (strcmp(v, "datePublished") == 0)
    start_capture(w, CAP_VALUE, pos + 1, "date_published",
                  "itemprop:datePublished");
  else if (strcmp(v, "dateModified") == 0)
    start_capture(w, CAP_VALUE, pos + 1, "date_modified",
                  "itemprop:dateModified");
  if (w->cap_kind != CAP_NONE) e->capture = 1;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  lp_tag_info ti = lp_html_tag((const char *)name);
  size_t pos = cursor(w), off;
  open_el *top, *e;
  const char *v;
  unsigned own_cls;
  int dropped, r;

  if (w->rc) return;
  w->last_end = pos + 1;
  if (!stack_room(w)) return;
  top = w->depth ? &w->st[w->depth - 1] : NULL;   /* after any realloc */
  off = tag_start(w, pos);
  /* metadata lives in elements of its own */
  if (ti.tag == LP_T_META || ti.tag == LP_T_LINK || ti.tag == LP_T_HTML ||
      ti.tag == LP_T_TIME || (atts && attr(atts, "itemprop"))) {
    r = lp_meta_element(w->h->meta, ti.tag, (const char *const *)atts, off,
                        w->h->text.len, top ? top->in : 0,
                        top ? top->cls : 0);
    if (r) { walk_stop(w, r); return; }
  }
  own_cls = atts ? lp_html_class_bits(attr(atts, "class")) |
                   lp_html_class_bits(attr(atts, "id"))
                 : 0;
  dropped = w->drop > 0 || (ti.kind & LP_TK_DROP) ||
            (own_cls & LP_CW_HIDDEN) || hidden_by_attrs(atts);
  /* a dialog or modal that is shown is rare in a saved page; its text
   * (cookie walls, sign-up boxes) is not the article */
  e = &w->st[w->depth];
  memset(e, 0, sizeof *e);
  e->name = name;
  e->tag = ti.tag;
  e->kind = ti.kind;
  e->in = (top ? top->in : 0) | ti.in;
  e->cls = (top ? top->cls : 0) | own_cls;
  if (atts) {
    e->in |= role_in(attr(atts, "role"));
    v = attr(atts, "itemprop");
    if (v && strcmp(v, "articleBody") == 0) e->in |= LP_IN_ARTICLE;
  }
  if (dropped) {
    open_dropped(w, e, top, atts, pos);
    return;
  }
  if (ti.kind & LP_TK_BLOCK) end_line(w, ti.tag == LP_T_BR);
  if (ti.kind & LP_TK_VOID) return;
  r = add_elem(w, e, top, own_cls);
  if (r) { walk_stop(w, r); return; }
  capture_itemprop(w, e, atts, pos);
  w->depth++;
}

/* Close the element at the top of the stack. */
static void close_top(walk *w) {
  open_el *e = &w->st[w->depth - 1];
  lp_html *h = w->h;
  if (e->capture && w->cap_kind != CAP_NONE && w->cap_depth == w->depth - 1) {
    int r = LOUPE_OK;
    if (w->cap_kind == CAP_TITLE)
      r = lp_meta_title(h->meta, w->capbuf.p, w->capbuf.len, w->cap_off);
    else if (w->cap_kind == CAP_JSONLD)
      r = lp_meta_jsonld(h->meta, w->capbuf.p, w->capbuf.len, w->cap_off);
    else if (w->cap_kind == CAP_VALUE)
      r = lp_meta_text_value(h->meta, w->cap_key, w->cap_rule, w->capbuf.p,
                             w->capbuf.len, w->cap_off, e->in);
    if (r) w->rc = r;
    w->cap_kind = CAP_NONE;
  }
  if (e->dropped) {
    if (w->drop > 0) w->drop--;
    w->depth--;
    return;
  }
  if (e->kind & LP_TK_BLOCK) end_line(w, 0);
  if (e->elem < h->dom.n_elems) h->dom.elems[e->elem].end_block = h->dom.n_blocks;
  w->depth--;
}

static void on_end(void *ctx, const xmlChar *name) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  size_t k;
  if (w->rc) return;
  w->last_end = cursor(w);
  for (k = w->depth; k-- > 0;)
    if (w->st[k].name == name || strcmp((const char *)w->st[k].name,
                                        (const char *)name) == 0) {
      while (w->depth > k) close_top(w);
      return;
    }
}

/* Record that the next byte of the text is the byte at work offset wo,
 * unless the anchor before already says so. */
static void text_anchor(walk *w, size_t wo) {
  anchors *v = &w->h->ta;
  size_t to = w->h->text.len;
  if (w->rc) return;
  if (v->n > 0 && v->v[v->n - 1].b <= wo &&
      v->v[v->n - 1].b - v->v[v->n - 1].a == wo - to)
    return;
  if (lp_anchor_push(v, to, wo)) w->rc = LOUPE_ENOMEM;
}

static int is_space_b(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Text of the page: spaces collapse, each word goes to the line being
 * built with an anchor to its place in the page when the chunk is the
 * page's bytes as they are (a chunk from an entity is anchored at its
 * start). Text inside dropped elements only feeds a capture.
 */
static void on_text(void *ctx, const xmlChar *ch, int len) {
  htmlParserCtxtPtr ctxt = ctx;
  walk *w = ctxt->_private;
  lp_html *h = w->h;
  const unsigned char *s = ch;
  size_t n = len > 0 ? (size_t)len : 0, pos = cursor(w), start, i;
  open_el *top = w->depth ? &w->st[w->depth - 1] : NULL;
  int exact, first = 1;
  if (w->rc || n == 0) return;
  /* the chunk ends at the cursor; entities and folded line ends make it
   * shorter than its source */
  start = pos >= n ? pos - n : 0;
  exact = pos <= h->wlen && pos >= n && memcmp(h->work + start, s, n) == 0;
  if (!exact) start = w->last_end < pos ? w->last_end : start;
  w->last_end = pos;
  if (w->cap_kind != CAP_NONE) {
    if (w->capbuf.len == 0 && w->cap_kind != CAP_JSONLD) w->cap_off = start;
    if (w->capbuf.len < ((size_t)1 << 22) &&
        lp_buf_append(&w->capbuf, (const char *)s, n))
      w->rc = LOUPE_ENOMEM;
  }
  if (w->drop > 0 || top == NULL) return;
  for (i = 0; i < n && w->rc == LOUPE_OK; i++) {
    size_t j, k, cps = 0;
    if (is_space_b(s[i])) {
      if ((top->in & LP_IN_PRE) && s[i] == '\n') end_line(w, 1);
      else if (w->line_chars > 0) w->pending_space = 1;
      continue;
    }
    if (w->line_chars == 0) {
      w->line_owner = top->owner;
      w->line_start = h->text.len;
    }
    if (w->pending_space) {
      if (lp_buf_append(&h->text, " ", 1)) { w->rc = LOUPE_ENOMEM; return; }
      w->line_chars++;
      if (top->in & LP_IN_LINK) w->line_link++;
      else if (w->line_link == 0) w->line_lead++;
      w->pending_space = 0;
    }
    if (exact) text_anchor(w, start + i);
    else if (first) text_anchor(w, start);
    first = 0;
    for (j = i; j < n && !is_space_b(s[j]); j++) cps += (s[j] & 0xC0) != 0x80;
    if (lp_buf_append(&h->text, (const char *)s + i, j - i)) {
      w->rc = LOUPE_ENOMEM;
      return;
    }
    w->line_chars += (unsigned)cps;
    if (top->in & LP_IN_LINK) w->line_link += (unsigned)cps;
    else if (w->line_link == 0) w->line_lead += (unsigned)cps;
    w->line_in |= top->in;
    w->line_cls |= top->cls;
    w->line_cls_in |= top->cls_blk;
    k = j;
    i = k - 1;
  }
}

/* libxml2 reports errors through these; with them set it prints nothing. */
static void on_serror(void *ctx, xmlErrorPtr err) {
  LP_UNUSED(ctx);
  LP_UNUSED(err);
}

/* ---- parse ---- */

static void walk_free(walk *w) {
  free(w->st);
  lp_buf_free(&w->capbuf);
}

/* libxml2's HTML parser over h's decoded page, its SAX callbacks the
 * walk w's (the parser's _private); NULL when out of memory. */
static htmlParserCtxtPtr sax_parser(lp_html *h, walk *w) {
  htmlParserCtxtPtr ctxt =
    htmlCreateMemoryParserCtxt(h->wlen ? h->work : " ",
                               h->wlen ? (int)h->wlen : 1);
  if (ctxt == NULL) return NULL;
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                     HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                     HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
  memset(ctxt->sax, 0, sizeof *ctxt->sax);
  ctxt->sax->startElement = on_start;
  ctxt->sax->endElement = on_end;
  ctxt->sax->characters = on_text;
  ctxt->sax->ignorableWhitespace = on_text;
  ctxt->sax->cdataBlock = on_text;
  ctxt->sax->serror = on_serror;
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;
  ctxt->_private = w;
  return ctxt;
}

int lp_html_parse(const char *src, size_t len, lp_codecs *cs, int charset,
                  lp_html **out, char *err, size_t errcap) {
  lp_html *h;
  walk w;
  htmlParserCtxtPtr ctxt = NULL;
  int rc;
  size_t i;

  *out = NULL;
  h = calloc(1, sizeof *h);
  if (h == NULL) {
    snprintf(err, errcap, "out of memory");
    return LOUPE_ENOMEM;
  }
  h->src = src;
  h->slen = len;
  h->cd = (iconv_t)-1;
  h->dom.article = LP_NONE;
  h->stats.bytes = len;
  memset(&w, 0, sizeof w);
  rc = lp_meta_new(&h->meta);
  if (rc) goto fail;
  rc = lp_html_decode(h, cs, charset);
  if (rc == LOUPE_EENCODING) {
    snprintf(err, errcap, "the page's charset cannot be read");
    goto fail;
  }
  if (rc) goto fail;
  h->stats.encoding = h->enc;
  if (h->wlen > (size_t)INT_MAX) {
    snprintf(err, errcap, "HTML input of %zu bytes is larger than libxml2 "
             "reads (2 GiB)", h->wlen);
    rc = LOUPE_ELIMIT;
    goto fail;
  }
  /* source lines, counted the POSIX way as text.c does */
  {
    size_t nl = 1;
    for (i = 0; i < h->wlen; i++) nl += h->work[i] == '\n';
    if (h->wlen > 0 && h->work[h->wlen - 1] == '\n' && nl > 1) nl--;
    h->stats.lines = nl;
  }
  ctxt = sax_parser(h, &w);
  if (ctxt == NULL) { rc = LOUPE_ENOMEM; goto fail; }
  w.h = h;
  w.ctxt = ctxt;
  rc = lp_anchor_push(&h->ta, 0, 0);
  if (rc) goto fail;
  htmlParseDocument(ctxt);
  while (w.depth > 0 && w.rc == LOUPE_OK) close_top(&w);
  end_line(&w, 0);
  rc = w.rc;
  if (rc == LOUPE_ELIMIT)
    snprintf(err, errcap, "elements nested deeper than %d levels",
             MAX_DEPTH);
  if (rc) goto fail;
  if (lp_buf_append(&h->text, "", 1)) { rc = LOUPE_ENOMEM; goto fail; }
  h->text.len--;
  h->dom.text = h->text.p;
  h->dom.title_block = LP_NONE;
  if (h->dom.n_blocks == 0 && !lp_meta_any(h->meta)) {
    snprintf(err, errcap, "the page holds no visible text");
    rc = LOUPE_EEMPTY;
    goto fail;
  }
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  ctxt->myDoc = NULL;
  htmlFreeParserCtxt(ctxt);
  walk_free(&w);
  *out = h;
  return LOUPE_OK;
fail:
  if (rc == LOUPE_ENOMEM) snprintf(err, errcap, "out of memory");
  if (ctxt) {
    if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    htmlFreeParserCtxt(ctxt);
  }
  walk_free(&w);
  lp_html_free(h);
  return rc;
}

void lp_html_init(void) {
  xmlInitParser();
}

void lp_html_free(lp_html *h) {
  if (h == NULL) return;
  if (h->cd != (iconv_t)-1) iconv_close(h->cd);
  free(h->own);
  free(h->wa.v);
  free(h->ta.v);
  free(h->wlines);
  lp_buf_free(&h->text);
  free(h->dom.elems);
  free(h->dom.blocks);
  lp_meta_free(h->meta);
  free(h);
}

const char *lp_html_text(const lp_html *h, size_t *len) {
  *len = h->text.len;
  return h->text.p;
}

lp_dom *lp_html_dom(lp_html *h) { return &h->dom; }

lp_meta *lp_html_meta(lp_html *h) { return h->meta; }

loupe_input_stats lp_html_stats(const lp_html *h) { return h->stats; }

/* How much a label says about a line, for a line that holds several
 * blocks. */
static int label_rank(loupe_line_label l) {
  switch (l) {
  case LOUPE_LINE_BODY: return 5;
  case LOUPE_LINE_TITLE: return 4;
  case LOUPE_LINE_META: return 3;
  case LOUPE_LINE_DUPLICATE: return 2;
  case LOUPE_LINE_BOILERPLATE: return 1;
  default: return 0;
  }
}

int lp_html_lines(lp_html *h, const lp_text *t, loupe_article *a,
                  lp_arena *arena) {
  size_t n = h->stats.lines ? h->stats.lines : 1, i, line;
  loupe_line_info *out = lp_arena_alloc(arena, n * sizeof *out);
  if (out == NULL) return LOUPE_ENOMEM;
  /* each source line's start, through the map (it builds the line
   * table of the decoded page on its first call) */
  lp_html_map_work(h, 0, &out[0].offset, &line);
  for (i = 0; i < n; i++) {
    size_t wo = i < h->nwlines ? h->wlines[i] : h->wlen;
    lp_html_map_work(h, wo, &out[i].offset, &line);
    if (i > 0 && out[i].offset < out[i - 1].offset)
      out[i].offset = out[i - 1].offset;
    out[i].line = i + 1;
    out[i].label = LOUPE_LINE_BLANK;
    out[i].reason = "blank";
  }
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    size_t off, first, last, k;
    int r = label_rank(l->label);
    lp_html_map(h, l->src_offset, &off, &first);
    lp_html_map(h, l->src_end > l->src_offset ? l->src_end - 1 : l->src_offset,
                &off, &last);
    if (last < first) last = first;
    for (k = first; k <= last && k <= n; k++)
      if (k >= 1 && label_rank(out[k - 1].label) < r) {
        out[k - 1].label = l->label;
        out[k - 1].reason = l->reason ? l->reason : "";
      }
  }
  a->lines = out;
  a->n_lines = n;
  return LOUPE_OK;
}
