/*
 * htmlclass.c - the DOM's evidence for the line labeller: why a block is
 * boilerplate (it sits in a navigation list, a footer or an aside, it is
 * dense with links, its class says comments or sharing) and where the
 * article starts (the block of the page's headline). Rules name a reason,
 * never a site.
 */
#include <stdlib.h>
#include <string.h>
#include "html.h"

const char lp_dom_sibling_prose[] = "sibling-prose";

static size_t line_of_block(const lp_text *t, size_t k);
static unsigned title_overlap(const char *s, size_t n, const char *tt,
                              size_t tn, unsigned *words);

/* Classes as classify.c numbers them. */
enum { C_BAD = 0, C_SHORT, C_NEAR, C_GOOD };

/* An element holding this share (per mille) of the page's prose holds
 * the article: its class words do not make the text boilerplate (its
 * comment words only from the larger share). */
#define KEEP_PROSE 400
#define KEEP_PROSE_COMMENT 700
/* Elements walked up from a block for class words. */
#define MAX_WALK 64

/* The next word of s[*i..n): a run of letters and digits; returns its
 * length, 0 at the end. */
static size_t next_word(const char *s, size_t n, size_t *i, size_t *start) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = *i, m;
  for (;;) {                          /* skip to a letter or digit */
    uint32_t cp;
    if (k >= n) { *start = *i = n; return 0; }
    cp = lp_utf8_decode(u, n, k, &m);
    if (lp_is_letter(cp) || (cp >= '0' && cp <= '9')) break;
    k += m;
  }
  *start = k;
  while (k < n) {
    uint32_t cp = lp_utf8_decode(u, n, k, &m);
    if (!(lp_is_letter(cp) || (cp >= '0' && cp <= '9'))) break;
    k += m;
  }
  *i = k;
  return k - *start;
}

/* Share (per mille) of the line's words found among the title's words
 * (letters and digits compared, ASCII case folded). */
unsigned lp_word_share(const char *a, size_t an, const char *b, size_t bn) {
  unsigned words;
  return title_overlap(a, an, b, bn, &words);
}

static unsigned title_overlap(const char *s, size_t n, const char *tt,
                              size_t tn, unsigned *words) {
  size_t i = 0, hits = 0, ws, wl;
  *words = 0;
  while ((wl = next_word(s, n, &i, &ws)) > 0) {
    size_t j = 0, ts, tl;
    (*words)++;
    while ((tl = next_word(tt, tn, &j, &ts)) > 0)
      if (tl == wl) {
        size_t q;
        for (q = 0; q < wl; q++) {
          unsigned char x = (unsigned char)s[ws + q],
                        y = (unsigned char)tt[ts + q];
          if (x >= 'A' && x <= 'Z') x |= 32;
          if (y >= 'A' && y <= 'Z') y |= 32;
          if (x != y) break;
        }
        if (q == wl) { hits++; break; }
      }
    if (*words >= 64) break;
  }
  return *words ? (unsigned)(hits * 1000 / *words) : 0;
}

/* The block of the page's headline: a heading (h1 first) whose words are
 * the metadata headline's; else a short block that is; else, when the
 * metadata names none that the page shows, the page's one <h1> that is
 * not a link or in a menu, aside or footer. LP_NONE if none. */
static size_t find_title_block(const lp_dom *d) {
  size_t i, best = LP_NONE, h1 = LP_NONE, n_h1 = 0;
  int best_rank = 99;
  if (d->text == NULL) return LP_NONE;
  for (i = 0; i < d->n_blocks; i++) {
    const lp_dom_block *b = &d->blocks[i];
    unsigned words, ov;
    int rank;
    if (b->len > 400 || b->link_chars * 2 > b->nchars) continue;
    if (b->in & (LP_IN_NAV | LP_IN_ASIDE | LP_IN_FOOTER)) continue;
    if (b->tag == LP_T_H1 && b->nchars >= 10) {
      if (h1 == LP_NONE) h1 = i;
      n_h1++;
    }
    if (d->title == NULL || d->title_len == 0) continue;
    ov = title_overlap(d->text + b->off, b->len, d->title, d->title_len,
                       &words);
    if (words < 2 || ov < 800) continue;
    rank = b->tag == LP_T_H1 ? 0 : (b->in & LP_IN_HEADING) ? 1 : 2;
    if (rank < best_rank) {
      best_rank = rank;
      best = i;
    }
  }
  if (best == LP_NONE && n_h1 == 1) best = h1;
  return best;
}

/* Does the element open an article (article, main, itemprop=articleBody,
 * role=main)? */
static int article_boundary(const lp_dom *d, const lp_dom_elem *el) {
  if (el->tag == LP_T_ARTICLE || el->tag == LP_T_MAIN) return 1;
  return (el->in & LP_IN_ARTICLE) &&
         (el->parent < 0 || !(d->elems[el->parent].in & LP_IN_ARTICLE));
}

/*
 * Per page, before labelling: the headline's block; the prose under each
 * element (characters not in links of blocks of 40 characters or more
 * that are not link lists); which elements hold the article (the
 * headline, or a large share of the prose) and so cannot be boilerplate
 * by their class words; and, per block, the class words that count
 * against it: those of the inline elements around its text and of the
 * elements above it up to an article boundary, skipping the elements
 * that hold the article.
 */
void lp_dom_regions(lp_dom *d) {
  size_t i, total = 0, tb;
  tb = d->title_block = find_title_block(d);
  for (i = 0; i < d->n_elems; i++) {
    d->elems[i].prose = 0;
    d->elems[i].keep = 0;
  }
  for (i = 0; i < d->n_blocks; i++) {
    const lp_dom_block *b = &d->blocks[i];
    if (b->nchars >= 40 && b->link_chars * 10 < b->nchars * 3 &&
        b->elem < d->n_elems)
      d->elems[b->elem].prose += b->nchars - b->link_chars;
  }
  for (i = d->n_elems; i-- > 0;) {
    const lp_dom_elem *el = &d->elems[i];
    if (el->parent >= 0) d->elems[el->parent].prose += el->prose;
    else total += el->prose;
  }
  for (i = 0; i < d->n_elems; i++) {
    lp_dom_elem *el = &d->elems[i];
    if (tb != LP_NONE && el->first_block <= tb && tb < el->end_block)
      el->keep = 2;
    else if (total > 0 && el->prose * 1000 >= total * KEEP_PROSE)
      el->keep = el->prose * 1000 >= total * KEEP_PROSE_COMMENT ? 2 : 1;
  }
  for (i = 0; i < d->n_blocks; i++) {
    lp_dom_block *b = &d->blocks[i];
    unsigned bits = b->cls_inline;
    size_t e = b->elem;
    int k;
    for (k = 0; k < MAX_WALK && e < d->n_elems; k++) {
      const lp_dom_elem *el = &d->elems[e];
      if (el->keep == 0) bits |= el->cls;
      else if (el->keep == 1) bits |= el->cls & LP_CW_COMMENT;
      if (article_boundary(d, el) || el->parent < 0) break;
      e = (size_t)el->parent;
    }
    b->cls_near = bits;
  }
}

/* A paragraph's sentence that holds a link: a <p> that opens with words
 * of its own, ends like a sentence, reads as prose by its words, and
 * whose text outside the link is a clause's worth. */
static int linked_sentence(const lp_line *l, const lp_dom_block *b,
                           int cls) {
  return b->tag == LP_T_P && b->lead_chars >= 12 &&
         b->nchars - b->link_chars >= 30 && b->link_chars * 10 < b->nchars * 8 &&
         (l->flags & LP_F_TERMINAL) && cls >= C_NEAR;
}

static int bad(const char **reason, const char *why) {
  *reason = why;
  return C_BAD;
}

int lp_dom_class(const lp_text *t, const lp_line *l, int cls,
                 const char **reason) {
  const lp_dom_block *b = lp_dom_of(t, l);
  unsigned in, near, chars, link;
  if (b == NULL) return cls;
  in = b->in;
  chars = b->nchars ? b->nchars : 1;
  link = b->link_chars;
  /* where it sits: regions of the page that are not the article */
  if (in & LP_IN_NAV) return bad(reason, "nav-element");
  if (in & LP_IN_ASIDE) return bad(reason, "aside-element");
  if (in & LP_IN_FOOTER) return bad(reason, "footer-element");
  if (in & LP_IN_DIALOG) return bad(reason, "dialog-element");
  if (in & (LP_IN_CAPTION | LP_IN_FIGURE)) return bad(reason, "figure-caption");
  /* links: a block mostly made of links is a menu or a list of stories;
   * a paragraph's sentence with a link inside it is not (it opens with
   * its own words and ends like a sentence) */
  if (link * 10 > chars * 3 && !linked_sentence(l, b, cls)) {
    if (link * 2 > chars) return bad(reason, "link-dense");
    if (chars < 150) return bad(reason, "link-dense");
  }
  /* what the page's author named the region */
  near = b->cls_near;
  if (near & LP_CW_COMMENT) return bad(reason, "comment-section");
  if (near & LP_CW_RELATED) return bad(reason, "related-list");
  if (near & LP_CW_SHARE) return bad(reason, "share-widget");
  if (near & (LP_CW_COOKIE | LP_CW_SUBSCRIBE | LP_CW_MODAL))
    return bad(reason, "popup");
  if (near & LP_CW_AD) return bad(reason, "advertisement");
  if (near & LP_CW_NAV) return bad(reason, "navigation");
  if (near & LP_CW_FOOTER) return bad(reason, "footer");
  if (near & LP_CW_SIDEBAR) return bad(reason, "sidebar");
  if (near & LP_CW_TAGS) return bad(reason, "tag-list");
  if (near & LP_CW_CAPTION) return bad(reason, "caption");
  if ((near & (LP_CW_BYLINE | LP_CW_DATE)) && chars < 120 &&
      !(l->flags & LP_F_TERMINAL))
    return bad(reason, "byline-element");
  /* a long run of text with few links, in a page region nothing above
   * calls boilerplate, is prose whatever its words (names, figures) */
  if (cls == C_NEAR && chars >= 250 && link * 10 < chars) return C_GOOD;
  return cls;
}

size_t lp_dom_title_line(const lp_text *t) {
  size_t i;
  if (t->dom == NULL || t->dom->title_block == LP_NONE) return LP_NONE;
  i = line_of_block(t, t->dom->title_block);
  if (i >= t->n_lines || t->lines[i].src_line != t->dom->title_block + 1)
    return LP_NONE;
  return i;
}

#define START_BEFORE 3
#define START_AFTER 80

int lp_dom_region(const lp_text *t, const long *w, size_t *a, size_t *b) {
  size_t n = t->n_lines, T, lo, hi, i, end = 0;
  long run = 0, best = 0;
  size_t best_s = LP_NONE, best_e = LP_NONE;
  if (t->dom->title_block == LP_NONE) return 0;
  for (T = 0; T < n; T++)
    if (t->lines[T].src_line >= t->dom->title_block + 1) break;
  if (T >= n) return 0;
  lo = T > START_BEFORE ? T - START_BEFORE : 0;
  hi = T + START_AFTER < n ? T + START_AFTER : n - 1;
  /* from the right: run is the best sum of a segment starting at i, end
   * its last line (extend the best segment starting at i + 1 when that
   * one is worth something) */
  for (i = n; i-- > lo;) {
    if (run > 0) run += w[i];
    else { run = w[i]; end = i; }
    if (i <= hi && run > best) {
      best = run;
      best_s = i;
      best_e = end;
    }
  }
  if (best_s == LP_NONE) return 0;
  *a = best_s;
  *b = best_e;
  return 1;
}

/* Reasons the text alone gave for not reading a line as prose: its shape
 * (short, no stop words, title case), not what it says. */
static int shape_reason(const char *r) {
  return r == NULL || strcmp(r, "short") == 0 || strcmp(r, "no-prose") == 0 ||
         strcmp(r, "headline-like") == 0;
}

/* The element a block's paragraph belongs to: its block element's
 * parent (the container of sibling paragraphs). */
static size_t group_of(const lp_dom *d, const lp_dom_block *b) {
  if (b->elem >= d->n_elems || d->elems[b->elem].parent < 0) return LP_NONE;
  return (size_t)d->elems[b->elem].parent;
}

/* Index of the line holding block k (lines follow blocks), or LP_NONE. */
static size_t line_of_block(const lp_text *t, size_t k) {
  size_t lo = 0, hi = t->n_lines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->lines[mid].src_line < k + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/*
 * A section that a heading opens with "Related", "You may also like",
 * "Comments" (a cue word, or its class) is a list of other stories or
 * the readers' comments, down to its last block: the element around the
 * heading, when the heading is its first block and it does not hold the
 * page's headline.
 */
static void mark_sections(lp_text *t) {
  const lp_dom *d = t->dom;
  size_t i;
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l);
    const lp_dom_elem *sec;
    size_t k, j, blk;
    unsigned what;
    if (b == NULL || l->nwords > 8 || b->elem >= d->n_elems) continue;
    what = l->cue & (LP_CUE_RELATED | LP_CUE_COMMENT);
    if (b->cls_near & LP_CW_RELATED) what |= LP_CUE_RELATED;
    if (b->cls_near & LP_CW_COMMENT) what |= LP_CUE_COMMENT;
    if (what == 0 || d->elems[b->elem].parent < 0) continue;
    /* inside a section marked already: so is all of its own */
    if (l->reason && (strcmp(l->reason, "related-section") == 0 ||
                      strcmp(l->reason, "comment-section") == 0))
      continue;
    blk = l->src_line - 1;
    sec = &d->elems[d->elems[b->elem].parent];
    if (sec->first_block != blk || sec->depth < 2 || sec->end_block <= blk + 1)
      continue;
    if (d->title_block != LP_NONE && sec->first_block <= d->title_block &&
        d->title_block < sec->end_block)
      continue;
    for (k = blk, j = i; k < sec->end_block; k++) {
      j = line_of_block(t, k);
      if (j >= t->n_lines || t->lines[j].src_line != k + 1) continue;
      t->lines[j].cls = C_BAD;
      t->lines[j].reason = what & LP_CUE_COMMENT ? "comment-section"
                                                 : "related-section";
    }
  }
}

/* Characters of each container's blocks: all of them in all[], those of
 * good <p> lines in good[] (both indexed by element). */
static void group_chars(const lp_text *t, size_t *good, size_t *all) {
  const lp_dom *d = t->dom;
  size_t i;
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l);
    size_t g;
    if (b == NULL || (g = group_of(d, b)) == LP_NONE) continue;
    all[g] += b->nchars;
    if (l->cls == C_GOOD && b->tag == LP_T_P) good[g] += b->nchars;
  }
}

/*
 * Paragraphs among the article's paragraphs: where the blocks of one
 * container (the parent of their block elements) are mostly good prose,
 * its other blocks with few links are prose too, however short (one-line
 * paragraphs, a closing remark), and so are the items of a list or the
 * cells of a table sitting in that container. Lines the markup or a cue
 * word made boilerplate stay so.
 */
int lp_dom_smooth(lp_text *t) {
  lp_dom *d = t->dom;
  size_t i, ne = d->n_elems;
  size_t *good, *all;
  if (ne == 0) return LOUPE_OK;
  mark_sections(t);
  /* one block: good[0, ne) then all[0, ne) */
  good = calloc(2 * ne, sizeof *good);
  if (good == NULL) return LOUPE_ENOMEM;
  all = good + ne;
  group_chars(t, good, all);
  for (i = 0; i < ne; i++)
    d->elems[i].prose_group = good[i] >= 200 && good[i] * 3 >= all[i];
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l);
    size_t g, up;
    int k, in_good = 0;
    if (b == NULL || l->cls == C_GOOD) continue;
    if (l->cls == C_BAD && !shape_reason(l->reason)) continue;
    if (b->link_chars * 5 > b->nchars || (b->in & LP_IN_HEADING)) continue;
    /* paragraphs, list items and table cells, not lines broken by <br> */
    if (b->tag != LP_T_P && b->tag != LP_T_LI && b->tag != LP_T_DD &&
        b->tag != LP_T_TD && b->tag != LP_T_TH)
      continue;
    /* its container; a list item's or a cell's up to its list's or
     * table's container (cell, row, body, table) */
    g = group_of(d, b);
    for (k = 0, up = g; k < 4 && up != LP_NONE && up < ne; k++) {
      if (d->elems[up].prose_group) {
        in_good = 1;
        break;
      }
      if (k == 0 && b->tag == LP_T_P)
        break;
      up = d->elems[up].parent < 0 ? LP_NONE : (size_t)d->elems[up].parent;
    }
    if (!in_good) continue;
    l->cls = C_GOOD;
    l->reason = lp_dom_sibling_prose;
  }
  free(good);
  return LOUPE_OK;
}

long lp_dom_weight(const lp_text *t, const lp_line *l, long w) {
  const lp_dom_block *b = lp_dom_of(t, l);
  const lp_dom *d = t->dom;
  size_t e;
  int k;
  if (b == NULL || w >= 0) return w;
  e = b->elem;
  for (k = 0; k < 5 && e < d->n_elems; k++) {
    if (d->elems[e].prose_group) return w / 8;
    if (d->elems[e].parent < 0) break;
    e = (size_t)d->elems[e].parent;
  }
  return w;
}

/* Commas in a line (ASCII and the CJK ones), a sign of sentences. */
static unsigned commas(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t i;
  unsigned c = 0;
  for (i = 0; i < l->len; i++)
    if (s[i] == ',' || ((unsigned char)s[i] == 0xEF && i + 2 < l->len &&
                        (unsigned char)s[i + 1] == 0xBC &&
                        (unsigned char)s[i + 2] == 0x8C))
      c++;
  return c > 20 ? 20 : c;
}

/* Is it the page itself (html, body, or the one element under body that
 * wraps everything)? */
static int page_element(const lp_dom_elem *el) {
  return el->tag == LP_T_HTML || el->tag == LP_T_BODY || el->depth < 2;
}

/* Does element e open with a heading block (a story of its own)? */
static int opens_with_heading(const lp_dom *d, size_t e) {
  size_t k = d->elems[e].first_block;
  if (k >= d->n_blocks || k >= d->elems[e].end_block) return 0;
  return (d->blocks[k].in & LP_IN_HEADING) != 0;
}

/* Is element e inside element top (or top itself)? */
static int inside(const lp_dom *d, size_t e, size_t top) {
  const lp_dom_elem *t = &d->elems[top], *x = &d->elems[e];
  return e >= top && x->first_block >= t->first_block &&
         x->end_block <= t->end_block &&
         (e == top || x->depth > t->depth);
}

/*
 * The article's element, as Readability finds it: each body paragraph
 * scores 1 + its commas + a point per 100 characters (at most 3), given
 * whole to the element around its block, half to the next one up and a
 * third to the one above that. The best-scoring element holds the
 * article, with those of its siblings that score a fifth of it or more
 * (a lead in its own box). Body lines outside become boilerplate: a
 * teaser of another story or a comment that reads as prose.
 */
int lp_dom_prune(lp_text *t) {
  lp_dom *d = t->dom;
  size_t i, ne = d->n_elems, top = LP_NONE, parent;
  double *score, *direct, best = 0;
  if (ne == 0) return LOUPE_OK;
  /* one block: score[0, ne) then direct[0, ne) */
  score = calloc(2 * ne, sizeof *score);
  if (score == NULL) return LOUPE_ENOMEM;
  direct = score + ne;
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l);
    double sc;
    size_t e;
    int k;
    if (b == NULL || l->label != LOUPE_LINE_BODY || b->elem >= ne) continue;
    sc = 1 + commas(t, l) + (b->nchars >= 300 ? 3 : b->nchars / 100);
    e = d->elems[b->elem].parent < 0 ? b->elem
                                     : (size_t)d->elems[b->elem].parent;
    direct[e] += sc;
    for (k = 1; k <= 3; k++) {
      score[e] += sc / k;
      if (d->elems[e].parent < 0) break;
      e = (size_t)d->elems[e].parent;
    }
  }
  for (i = 0; i < ne; i++)
    if (score[i] > best) {
      best = score[i];
      top = i;
    }
  if (top == LP_NONE) {
    free(score);
    return LOUPE_OK;
  }
  /* paragraphs of the article's own right above its best box (a lead
   * before the box a paywall or a layout opens): the box's parent holds
   * the article */
  for (i = 0; i < 2; i++) {
    int up = d->elems[top].parent;
    if (up < 0 || page_element(&d->elems[up]) ||
        direct[up] * 5 < direct[top] || direct[up] < 2)
      break;
    top = (size_t)up;
  }
  /* the headline's article holds the top element and the headline (a
   * body split in boxes around an advertisement stays whole); when only
   * the page itself holds both, the top element is another story (pages
   * that load the next articles below the first): the article is then
   * the lowest element around the headline that holds some of the body */
  if (d->title_block != LP_NONE) {
    size_t e = top, low = LP_NONE;
    while (e < ne && !(d->elems[e].first_block <= d->title_block &&
                       d->title_block < d->elems[e].end_block))
      e = d->elems[e].parent < 0 ? LP_NONE : (size_t)d->elems[e].parent;
    if (e != LP_NONE && e < ne && !page_element(&d->elems[e])) {
      top = e;
    } else {
      for (i = 0; i < ne; i++)
        if (d->elems[i].first_block <= d->title_block &&
            d->title_block < d->elems[i].end_block && score[i] >= 5 &&
            (low == LP_NONE || d->elems[i].depth > d->elems[low].depth))
          low = i;
      if (low != LP_NONE && !page_element(&d->elems[low])) top = low;
    }
  }
  d->article = top;
  parent = d->elems[top].parent < 0 ? LP_NONE : (size_t)d->elems[top].parent;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l);
    size_t e, sib;
    int kept = 0, k = 0;
    if (b == NULL || l->label != LOUPE_LINE_BODY || b->elem >= ne) continue;
    if (inside(d, b->elem, top)) continue;
    /* a sibling of the article's element that scores near it and is
     * not a story of its own (an <article>, a box opened by a heading) */
    for (e = b->elem; parent != LP_NONE && e < ne && k++ < MAX_WALK;) {
      sib = e;
      if (d->elems[sib].parent >= 0 && (size_t)d->elems[sib].parent == parent) {
        kept = score[sib] * 5 >= best &&
               d->elems[sib].tag != LP_T_ARTICLE && !opens_with_heading(d, sib);
        break;
      }
      if (d->elems[e].parent < 0) break;
      e = (size_t)d->elems[e].parent;
    }
    if (kept) continue;
    l->label = LOUPE_LINE_BOILERPLATE;
    l->reason = "outside-container";
  }
  free(score);
  return LOUPE_OK;
}

void lp_dom_mark_blocks(lp_text *t) {
  size_t i;
  int block = 0;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const lp_dom_block *b = lp_dom_of(t, l), *pb = NULL;
    if (i > 0) pb = lp_dom_of(t, &t->lines[i - 1]);
    if (!(b && pb && (b->in & LP_IN_PRE) && pb->br && pb->elem == b->elem &&
          l->src_line == t->lines[i - 1].src_line + 1))
      block++;
    l->block = block;
  }
}

long lp_dom_date_score(const lp_text *t, const lp_line *l) {
  const lp_dom_block *b = lp_dom_of(t, l);
  long sc = 0;
  if (b == NULL) return 0;
  /* dates of other stories, of comments, of the site */
  if (b->in & (LP_IN_NAV | LP_IN_ASIDE | LP_IN_FOOTER)) sc -= 60;
  else if (b->cls_near & (LP_CW_RELATED | LP_CW_COMMENT | LP_CW_SIDEBAR))
    sc -= 50;
  return sc;
}
