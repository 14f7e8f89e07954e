/*
 * unwrap.c - hard-wrapped text (mail, wire copy, text dumps made at a
 * fixed width): finds the width lines were wrapped at and joins the lines
 * of one paragraph back into one line, keeping lists, headings and
 * indented paragraphs apart.
 */
#include <stdlib.h>
#include <string.h>
#include "extract.h"

/* ---- unwrapping hard-wrapped text ---- */

#define UW_MIN_W 40     /* narrower "wraps" are menus and lists */
#define UW_MAX_W 240    /* wider lines were not wrapped by width */

/*
 * Display width of the first word of line l: what a renderer would have
 * had to fit at the end of the line before. A wide (CJK) character is a
 * word of its own: such text breaks between any two characters.
 */
static unsigned first_word_width(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t i = 0, k;
  unsigned w = 0;
  while (i < l->len && s[i] != ' ') {
    uint32_t cp;
    if (s[i] < 0x80) {                /* ASCII: one column */
      w++;
      i++;
      continue;
    }
    cp = lp_utf8_decode(s, l->len, i, &k);
    if (lp_is_wide(cp)) return w > 0 ? w : 2;
    w++;
    i += k;
  }
  return w;
}

/* Does the line open a list item: a bullet, or "1." / "12)" and a space? */
static int starts_item(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t d = 0;
  if (l->len == 0) return 0;
  if (s[0] == '*' || s[0] == '-' || s[0] == '[') return 1;
  /* • ◦ ▪ □ ■ ● · › » */
  if (l->len >= 2 && s[0] == 0xC2 && (s[1] == 0xB7 || s[1] == 0xBB)) return 1;
  if (l->len >= 3 && s[0] == 0xE2 &&
      ((s[1] == 0x80 && (s[2] == 0xA2 || s[2] == 0xBA)) ||
       (s[1] == 0x96 && (s[2] == 0xA1 || s[2] == 0xA0 || s[2] == 0xAA)) ||
       (s[1] == 0x97 && (s[2] == 0x8F || s[2] == 0xA6))))
    return 1;
  while (d < l->len && d < 4 && s[d] >= '0' && s[d] <= '9') d++;
  return d >= 1 && d <= 3 && d + 1 < l->len &&
         (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ';
}

/*
 * Can the pair (prev, cur) be one wrapped paragraph at all? Not when either
 * is a menu ("Home | World | Sport": two or more bars) or when cur repeats
 * prev exactly (a repeated menu or rule line, which no wrapping makes).
 */
/* Does the line hold two bars or more? (A line too wide to be wrapped is
 * not read for bars.) */
static int two_bars(const char *p, const lp_line *l) {
  const char *bar;
  if (l->width > UW_MAX_W) return 0;
  bar = memchr(p, '|', l->len);
  return bar != NULL &&
         memchr(bar + 1, '|', l->len - (size_t)(bar + 1 - p)) != NULL;
}

static int may_pair(const lp_text *t, const lp_line *prev,
                    const lp_line *cur) {
  const char *p = LP_LINE_PTR(t, prev), *c = LP_LINE_PTR(t, cur);
  if (prev->len == cur->len && memcmp(p, c, cur->len) == 0) return 0;
  return !two_bars(p, prev) && !two_bars(c, cur);
}

/* Does the line end a sentence (. ! ? : ; and their CJK forms, maybe
 * followed by closing quotes or brackets)? */
static int ends_sentence(const lp_text *t, const lp_line *l) {
  const unsigned char *s = (const unsigned char *)LP_LINE_PTR(t, l);
  size_t n = l->len;
  for (;;) {
    if (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
      n--;
    else if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 &&
             (s[n - 1] == 0x9D || s[n - 1] == 0x99))
      n -= 3;                                  /* ” ’ */
    else if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 &&
             (s[n - 1] == 0x8D || s[n - 1] == 0x8F))
      n -= 3;                                  /* 」 』 */
    else if (n >= 3 && s[n - 3] == 0xEF && s[n - 2] == 0xBC &&
             s[n - 1] == 0x89)
      n -= 3;                                  /* ） */
    else
      break;
  }
  if (n == 0) return 1;
  if (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' ||
      s[n - 1] == ':' || s[n - 1] == ';')
    return 1;
  if (n < 3) return 0;
  /* … 。 and the fullwidth ！ ？ ： ； */
  return (s[n - 3] == 0xE2 && s[n - 2] == 0x80 && s[n - 1] == 0xA6) ||
         (s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x82) ||
         (s[n - 3] == 0xEF && s[n - 2] == 0xBC &&
          (s[n - 1] == 0x81 || s[n - 1] == 0x9F || s[n - 1] == 0x9A ||
           s[n - 1] == 0x9B));
}

/*
 * CJK text broken after a comma (、 or ，): the sentence runs on when the
 * next line starts with a wide character, however long the line is.
 */
static int cjk_comma_continues(const lp_text *t, const lp_line *prev,
                               const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t n = prev->len, k;
  if (n < 3 || cur->len == 0) return 0;
  if (!((p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x81) ||
        (p[n - 3] == 0xEF && p[n - 2] == 0xBC && p[n - 1] == 0x8C)))
    return 0;
  return lp_is_wide(lp_utf8_decode(c, cur->len, 0, &k));
}

/* Lower-case letters of the cased scripts (Latin, Greek, Cyrillic). */
static int is_lower_cp(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  if (cp >= 0xDF && cp <= 0xFF) return cp != 0xF7;
  if (cp >= 0x100 && cp <= 0x17F) return (cp & 1) == 1;
  if (cp >= 0x3AC && cp <= 0x3CE) return 1;
  return cp >= 0x430 && cp <= 0x45F;
}

/*
 * Is w (n bytes) an article, preposition, conjunction or auxiliary that
 * cannot end a sentence or a headline, so the text must go on after it?
 * Particles that end headlines ("talks go on", "prices pick up") are not
 * in the list.
 */
static int needs_more(const unsigned char *w, size_t n) {
  static const char *const words[] = {
    "a", "an", "the", "of", "and", "or", "to", "for", "at", "in", "by",
    "its", "their", "with", "from", "into", "that", "than", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "will", "would",
    "le", "la", "les", "de", "des", "du", "et", "un", "une",   /* fr */
    "el", "los", "las", "del", "y", "con",                     /* es */
    "der", "die", "das", "und", "von", "mit", "ein", "eine",   /* de */
    "o", "os", "as", "do", "da", "dos", "e", "em",             /* pt */
    NULL
  };
  int k;
  for (k = 0; words[k]; k++)
    if (strlen(words[k]) == n && memcmp(words[k], w, n) == 0) return 1;
  return 0;
}

/*
 * Does cur read as the rest of the sentence that prev left open? prev must
 * not end a sentence, hold a few words and no menu separators or dates;
 * cur starts lower case, or prev ends on a comma or a word that no
 * headline ends on: "rose to" + "12 pct", "the Union of Miners," + "NUM,
 * said" are joined; "Harbour board backs plan" + "The board..." and a
 * headline over a line that starts with a date are not.
 */
static int continues_sentence(const lp_text *t, const lp_line *prev,
                              const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t i, k, spaces = 0, digits = 0, last = 0;
  uint32_t cp;
  if (prev->len == 0 || cur->len == 0 || ends_sentence(t, prev)) return 0;
  for (i = 0; i < prev->len; i++) {
    if (p[i] == ' ') { spaces++; last = i + 1; }
    else if (p[i] >= '0' && p[i] <= '9') digits++;
    else if (p[i] == '|') return 0;
  }
  if (spaces < 2 || digits * 3 > prev->len) return 0;
  cp = lp_utf8_decode(c, cur->len, 0, &k);
  if (is_lower_cp(cp)) return 1;
  if (p[prev->len - 1] == ',') return 1;
  return needs_more(p + last, prev->len - last);
}

/*
 * Is prev, the first line of its block, a heading over cur rather than the
 * start of a wrapped sentence? It is when prev is in capitals and cur is
 * not (a wire headline over the text), or when cur is a date or time line
 * ("2-MAR-1991 14:26:57.44"; "409.30." ends a sentence). Widths say
 * nothing here: a headline can end just short of the wrap width.
 */
static int heads_block(const lp_text *t, const lp_line *prev,
                       const lp_line *cur) {
  const unsigned char *p = (const unsigned char *)LP_LINE_PTR(t, prev);
  const unsigned char *c = (const unsigned char *)LP_LINE_PTR(t, cur);
  size_t i, upper = 0, lower = 0, digits = 0, solid = 0;
  int cur_lower = 0;
  for (i = 0; i < prev->len; i++) {
    if (p[i] >= 'A' && p[i] <= 'Z') upper++;
    else if (p[i] >= 'a' && p[i] <= 'z') lower++;
  }
  for (i = 0; i < cur->len; i++) {
    if (c[i] >= 'a' && c[i] <= 'z') cur_lower = 1;
    else if (c[i] >= '0' && c[i] <= '9') digits++;
    if (c[i] != ' ') solid++;
  }
  if (upper >= 4 && lower == 0 && cur_lower) return 1;
  return digits * 10 >= solid * 4 && c[0] >= '0' && c[0] <= '9' &&
         !ends_sentence(t, cur);
}

/* Per source line facts the unwrapper works from. */
typedef struct {
  unsigned w;         /* display width with the indent */
  unsigned fw;        /* width of the first word */
  unsigned char cont; /* may continue the line before: same block, no list
                       * item or menu, not a repeat */
  unsigned char para; /* starts a paragraph by its indent */
  unsigned char full; /* ends where the wrap width ran out */
  unsigned char run;  /* shares its block with another line */
  unsigned char open; /* does not end a sentence */
} uw_line;

/*
 * Indented paragraphs: a line indented 2-8 columns deeper than the line
 * before, which runs on (it ends where the wrap width W ran out) into a
 * next line at the shallower indent, is the first line of an indented
 * paragraph (the habit of wire copy and typescript). When the text shows
 * that habit, every line at that deeper indent over the continuation
 * lines' indent starts a paragraph. Lines after a list item do not count:
 * their deeper indent is a hanging one.
 */
static void mark_indent_paragraphs(const lp_text *t, uw_line *u, unsigned W) {
  size_t i, n = t->n_lines, seen = 0;
  unsigned base = (unsigned)-1;
  for (i = 1; i + 1 < n; i++) {
    const lp_line *p = &t->lines[i - 1], *c = &t->lines[i],
                  *x = &t->lines[i + 1];
    if (!u[i].cont || !u[i + 1].cont || starts_item(t, p)) continue;
    if (u[i].w + u[i + 1].fw + 2 <= W || u[i].w > UW_MAX_W) continue;
    if (c->indent >= p->indent + 2 && c->indent <= p->indent + 8 &&
        x->indent < c->indent) {
      seen++;
      if (x->indent < base) base = x->indent;
    }
  }
  if (seen == 0) return;
  for (i = 0; i < n; i++) {
    unsigned in = t->lines[i].indent;
    if (u[i].cont && in >= base + 2 && in <= base + 8) u[i].para = 1;
  }
}

/*
 * The wrap width: the width W that best explains the line breaks. A break
 * after a line of width w before a first word of width f is explained by
 * any W with w <= W <= w + f + 1: the space and the word would have
 * reached W's last column, which renderers such as w3m keep free (wire
 * copy shows the same one-column margin). A line wider than
 * W in a run of lines speaks against it. Over-long lines (a sentence
 * edited into a wrapped text) then cost a little and cannot raise W, as
 * a maximum width would. Returns 0 when no width explains enough breaks
 * for the text to look hard-wrapped.
 */
static unsigned wrap_width(const lp_text *t, const uw_line *u) {
  long expl[UW_MAX_W + 2], open[UW_MAX_W + 2], over[UW_MAX_W + 2];
  long run = 0, best_sc = 0;
  size_t i, n = t->n_lines, longer = 0, near = 0, mid = 0;
  unsigned w, best = 0;
  memset(expl, 0, sizeof expl);
  memset(open, 0, sizeof open);
  memset(over, 0, sizeof over);
  for (i = 1; i < n; i++) {
    unsigned lo, hi;
    if (!u[i].cont || u[i].para || u[i - 1].w > UW_MAX_W) continue;
    lo = u[i - 1].w < UW_MIN_W ? UW_MIN_W : u[i - 1].w;
    hi = u[i - 1].w + u[i].fw + 1;
    if (hi > UW_MAX_W) hi = UW_MAX_W;
    if (lo > hi) continue;
    expl[lo]++;
    expl[hi + 1]--;
    if (u[i - 1].open) {
      open[lo]++;
      open[hi + 1]--;
    }
  }
  for (i = 0; i < n; i++)
    if (u[i].run && u[i].w <= UW_MAX_W) over[u[i].w]++;
  /* expl[] to counts; over[W] to the lines of a run wider than W */
  for (w = 1; w <= UW_MAX_W; w++) {
    expl[w] += expl[w - 1];
    open[w] += open[w - 1];
  }
  for (w = UW_MAX_W + 1; w-- > 0;) {
    long here = over[w];
    over[w] = run;
    run += here;
  }
  for (w = UW_MIN_W; w <= UW_MAX_W; w++) {
    long sc = expl[w] - 2 * over[w];
    if (sc > best_sc) { best_sc = sc; best = w; }
  }
  if (best == 0) return 0;
  for (i = 0; i < n; i++) {
    if (u[i].w > best) longer++;
    else if (u[i].run && u[i].w + 12 > best) near++;
    else if (u[i].run && u[i].w >= UW_MIN_W) mid++;
  }
  /* A few explained breaks in a page of long unwrapped paragraphs are
   * chance. A wrapped text has few lines wider than its width; most of
   * its lines end near it (only paragraph ends fall short) or, in short
   * paragraphs, its breaks fall inside sentences, where a page of one
   * sentence per line has none. */
  if (expl[best] < 2 || (expl[best] < 3 && longer > 0) ||
      (long)longer * 4 > expl[best])
    return 0;
  if (expl[best] < 6 && near <= mid && open[best] * 3 < expl[best] * 2)
    return 0;
  return best;
}

/*
 * Hard-wrapped text (wire copy, email, w3m -cols N) breaks paragraphs at
 * a fixed width. Estimate that width (wrap_width), then join a line with
 * the one before when the previous line ended where the width ran out:
 * the next word would not have fitted, or the line is over-long and
 * inside a wrapped run. A line indented as a paragraph start (when the
 * text indents its paragraphs), a list item, a menu or a repeated line is
 * never joined; a short opening line is joined when it leaves its
 * sentence open and the next line continues it in a wrapped run; a
 * sign-off word and a date or text under a heading are not joined to it.
 * Pages where no width explains the breaks are left as they are.
 * Returns LOUPE_OK or LOUPE_ENOMEM (t unchanged).
 */
int lp_text_unwrap(lp_text *t) {
  size_t i, n = t->n_lines, out;
  unsigned W, W1;
  uw_line *u;
  if (n < 3) return LOUPE_OK;
  u = calloc(n, sizeof *u);
  if (u == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    const lp_line *l = &t->lines[i];
    u[i].w = l->width;
    u[i].fw = first_word_width(t, l);
    u[i].open = !ends_sentence(t, l);
    if (i > 0 && l->block == t->lines[i - 1].block) {
      u[i].run = u[i - 1].run = 1;
      u[i].cont = l->len > 0 && t->lines[i - 1].len > 0 &&
                  !starts_item(t, l) && may_pair(t, &t->lines[i - 1], l);
    }
  }
  /* the width first, then the indents it shows, then the width again
   * without the paragraph starts those indents mark */
  W = wrap_width(t, u);
  if (W == 0) {
    free(u);
    return LOUPE_OK;
  }
  mark_indent_paragraphs(t, u, W);
  W1 = wrap_width(t, u);
  if (W1 > 0) W = W1;
  for (i = 0; i < n; i++) {
    unsigned w = u[i].w;
    if (w > W && w <= UW_MAX_W) u[i].full = 1;      /* over-long: full */
    else if (i + 1 < n && u[i + 1].cont && !u[i + 1].para &&
             w <= W && w + u[i + 1].fw + 2 > W)
      u[i].full = 1;
  }
  out = 0;
  for (i = 0; i < n; i++) {
    lp_line *cur = &t->lines[i];
    if (out > 0 && u[i].cont && !u[i].para) {
      lp_line *prev = &t->lines[out - 1];
      const lp_line *last = &t->lines[i - 1];  /* prev's last source line */
      int join;
      if (u[i - 1].w <= W)
        join = u[i - 1].full;
      else  /* over-long: inside a wrapped run, or one follows */
        join = u[i - 1].full && (prev->n_src > 1 || u[i].full);
      /* a short line (an opening line whose dateline was cut, or a line
       * shortened by an edit) whose sentence runs on into a wrapped run
       * or into one more line that ends it */
      if (!join && u[i - 1].w < W && cur->indent <= last->indent &&
          (((u[i].full || ends_sentence(t, cur)) &&
            continues_sentence(t, last, cur)) ||
           cjk_comma_continues(t, last, cur)))
        join = 1;
      /* a lone word set off by its own indent after a finished sentence
       * is a sign-off (" REUTER"), not the rest of the paragraph */
      if (join && !u[i].full && cur->indent != last->indent &&
          memchr(LP_LINE_PTR(t, cur), ' ', cur->len) == NULL &&
          ends_sentence(t, last) && !ends_sentence(t, cur))
        join = 0;
      /* a heading over a date or the text, in the block it opens; a
       * line that opens its block over a short line that leaves its
       * sentence open and runs on into more lines is a headline over a
       * cut first line, however full the headline looks */
      if (join && prev->n_src == 1 &&
          (out == 1 || t->lines[out - 2].block != prev->block) &&
          (heads_block(t, prev, cur) ||
           (u[i - 1].w <= W && !u[i].full && u[i].open && i + 1 < n &&
            u[i + 1].cont && !u[i + 1].para)))
        join = 0;
      if (join && prev->start + prev->len + 1 == cur->start) {
        t->text[prev->start + prev->len] = ' ';
        prev->len += 1 + cur->len;
        prev->src_end = cur->src_end;
        prev->n_src += cur->n_src;
        prev->flags |= LP_F_WRAPPED;
        continue;
      }
    }
    t->lines[out++] = *cur;
  }
  t->n_lines = out;
  free(u);
  return LOUPE_OK;
}
