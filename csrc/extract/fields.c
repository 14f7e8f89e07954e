/*
 * fields.c - the article's fields from the labelled lines: title (the
 * headline near the body start), date (scored by position and cue words,
 * never from a related-story list) and body paragraphs, each with the
 * source offset, line and rule behind it; the dateline, credited agency,
 * outlet, authors and editors come from fields_people.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "extract.h"
#include "dates.h"
#include "datepick.h"
#include "html.h"
#include "fields.h"

#define TITLE_WINDOW 40
#define META_WINDOW 12

static int is_space_c(char c) { return c == ' '; }

int lp_field_span(loupe_span *sp, lp_text *t, size_t li, size_t col,
                  size_t len, const char *rule, lp_arena *arena) {
  lp_line *l = &t->lines[li];
  const char *s = LP_LINE_PTR(t, l) + col;
  while (len > 0 && is_space_c(s[0])) { s++; col++; len--; }
  while (len > 0 && (is_space_c(s[len - 1]))) len--;
  sp->text = lp_arena_strndup(arena, s, len);
  if (sp->text == NULL) return LOUPE_ENOMEM;
  sp->len = len;
  sp->offset = lp_text_src_offset(t, li, col);
  sp->line = lp_text_src_line_from(t, li, l->src_offset, l->src_line,
                                   sp->offset);
  sp->rule = rule;
  return LOUPE_OK;
}

/* Span holding text that is not a verbatim slice (e.g. a formatted date). */
static int set_span_text(loupe_span *sp, lp_text *t, size_t li, size_t col,
                         const char *text, size_t len, const char *rule,
                         lp_arena *arena) {
  sp->text = lp_arena_strndup(arena, text, len);
  if (sp->text == NULL) return LOUPE_ENOMEM;
  sp->len = len;
  sp->offset = lp_text_src_offset(t, li, col);
  sp->line = lp_text_src_line_from(t, li, t->lines[li].src_offset,
                                   t->lines[li].src_line, sp->offset);
  sp->rule = rule;
  return LOUPE_OK;
}

static int ends_with_c(const char *s, size_t n, char c) {
  return n > 0 && s[n - 1] == c;
}

/* Is the line mostly a date (the date covers all but a few words)? */
static int date_covers(const lp_line *l, const lp_date *d) {
  return l->len <= (d->end - d->start) + 30;
}

static const char *const date_cues[] = {
  "updated", "published", "posted", "date", "last modified", "modified",
  "released", "first published", "issued", "time:", NULL
};

int lp_has_date_cue(const char *s, size_t n) {
  int i;
  size_t scan = n > 60 ? 60 : n;
  for (i = 0; date_cues[i]; i++)
    if (lp_contains_ci(s, scan, date_cues[i])) return 1;
  return 0;
}

/* Does the line look like a byline ("By Jane Doe", "• by Jane Doe")? */
static int is_by_line(const char *s, size_t n) {
  size_t k = 0;
  while (k < n && k < 4 && ((unsigned char)s[k] >= 0x80 || s[k] == ' ' ||
                            s[k] == '*' || s[k] == '-'))
    k++;
  if (k > 0 && (k >= n || s[k - 1] != ' ')) k = 0;
  return lp_starts_ci(s + k, n - k, "by ") ||
         (n - k == 2 && lp_starts_ci(s + k, n - k, "by"));
}

/* ---- title ---- */

static int title_shape(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  if (l->nwords < 2 || l->nwords > 40 || l->nchars > 320) return 0;
  if (l->ncjk == 0 && l->nwords < 3) return 0;
  if (l->flags & (LP_F_BULLET | LP_F_URL)) return 0;
  if (l->cue & ~(unsigned)(LP_CUE_SOCIAL | LP_CUE_NAV)) return 0;
  if (l->cue && l->nwords < 5) return 0;
  if (l->ndigits * 3 > l->nchars) return 0;
  if (is_by_line(s, l->len)) return 0;
  if (ends_with_c(s, l->len, ':') || ends_with_c(s, l->len, '|')) return 0;
  if (l->nseps >= 2) return 0;
  if (l->nwords <= 12 && lp_name_list(s, l->len) > 0) return 0;  /* a byline */
  return 1;
}

static long title_score(const lp_text *t, size_t i, size_t bf, int repeats) {
  const lp_line *l = &t->lines[i];
  const char *s = LP_LINE_PTR(t, l);
  long sc = 0;
  unsigned caps = l->nalpha_words
    ? (unsigned)((uint64_t)l->ncap * 100u / l->nalpha_words) : 0;
  if (l->nwords >= 4 && l->nwords <= 25) sc += 30;
  if (!ends_with_c(s, l->len, '.')) sc += 20;
  else if (l->nwords > 14) sc -= 30;
  sc += caps / 5;
  if (bf != LP_NONE && bf != i) sc += (long)lp_word_overlap(t, l, &t->lines[bf]) / 25;
  if (repeats > 1) sc += 25;
  if (bf != LP_NONE) {
    size_t d = bf > i ? bf - i : i - bf;
    sc -= (long)d * 2;
  }
  return sc;
}

static int count_repeats(const lp_text *t, size_t i) {
  size_t k, lim = t->n_lines < 3000 ? t->n_lines : 3000;
  int c = 0;
  uint32_t h = t->lines[i].hash;
  for (k = 0; k < lim; k++)
    if (t->lines[k].hash == h) c++;
  return c;
}

static size_t pick_title(lp_text *t, lp_layout *lay) {
  size_t bf = lay->body_first, lo, i, best = LP_NONE;
  long best_sc = -1000000;
  size_t end;
  /* an HTML page's headline block, when its metadata names it */
  if (t->dom && (i = lp_dom_title_line(t)) != LP_NONE &&
      t->lines[i].label != LOUPE_LINE_BODY)
    return i;
  if (bf == LP_NONE) {
    lo = 0;
    end = t->n_lines < 60 ? t->n_lines : 60;
  } else {
    lo = bf > TITLE_WINDOW ? bf - TITLE_WINDOW : 0;
    end = bf + 1;
  }
  for (i = lo; i < end; i++) {
    lp_line *l = &t->lines[i];
    long sc;
    if (!title_shape(t, l)) continue;
    if (i == bf) {
      /* the first body line is a headline only if it does not read as a
       * sentence and more body follows */
      if ((l->flags & LP_F_TERMINAL) || l->nwords > 30 ||
          lay->body_last == bf)
        continue;
    } else if (l->label == LOUPE_LINE_BODY) {
      continue;
    }
    sc = title_score(t, i, bf, count_repeats(t, i));
    if (sc > best_sc) { best_sc = sc; best = i; }
  }
  if (best != LP_NONE && best_sc < 20) best = LP_NONE;
  return best;
}

/* ---- dates: ranked in datepick.c ---- */

/* ---- body ---- */

static int build_body(lp_text *t, loupe_article *a, lp_arena *arena) {
  size_t i, n = 0, k = 0, total = 0;
  char *body, *p;
  for (i = 0; i < t->n_lines; i++)
    if (t->lines[i].label == LOUPE_LINE_BODY) { n++; total += t->lines[i].len + 2; }
  a->paragraphs = n ? lp_arena_alloc(arena, n * sizeof *a->paragraphs) : NULL;
  body = lp_arena_alloc(arena, total + 1);
  if ((n && a->paragraphs == NULL) || body == NULL) return LOUPE_ENOMEM;
  p = body;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    int rc;
    if (l->label != LOUPE_LINE_BODY) continue;
    rc = lp_field_span(&a->paragraphs[k], t, i, 0, l->len, "prose", arena);
    if (rc) return rc;
    if (k) { *p++ = '\n'; *p++ = '\n'; }
    memcpy(p, a->paragraphs[k].text, a->paragraphs[k].len);
    p += a->paragraphs[k].len;
    k++;
  }
  *p = '\0';
  a->n_paragraphs = k;
  a->body = body;
  a->body_len = (size_t)(p - body);
  return LOUPE_OK;
}

/* First and last body line of the page. */
static void body_bounds(const lp_text *t, lp_layout *lay) {
  size_t i;
  lay->body_first = lay->body_last = LP_NONE;
  for (i = 0; i < t->n_lines; i++)
    if (t->lines[i].label == LOUPE_LINE_BODY) {
      if (lay->body_first == LP_NONE) lay->body_first = i;
      lay->body_last = i;
    }
}

int lp_fields(lp_text *t, lp_layout *lay, loupe_article *a, lp_arena *arena,
              const char *lang) {
  size_t title, i;
  lp_date_cand dc;
  int rc;

  /* repeated text may have removed the first or last body line */
  body_bounds(t, lay);
  title = pick_title(t, lay);
  if (title != LP_NONE) {
    lp_line *tl = &t->lines[title];
    rc = lp_field_span(&a->title, t, title, 0, tl->len, "headline", arena);
    if (rc) return rc;
    tl->label = LOUPE_LINE_TITLE;
    tl->reason = "headline";
    /* the headline repeated in the body is not a paragraph */
    for (i = 0; i < t->n_lines; i++)
      if (i != title && t->lines[i].label == LOUPE_LINE_BODY &&
          t->lines[i].hash == tl->hash) {
        t->lines[i].label = LOUPE_LINE_DUPLICATE;
        t->lines[i].reason = "repeated-headline";
      }
    body_bounds(t, lay);
  }
  rc = lp_date_pick(t, lay, title, lang, &dc);
  if (rc < 0) return LOUPE_ENOMEM;
  if (rc > 0) {
    char buf[40];
    size_t len = lp_date_format(&dc.d, buf, sizeof buf);
    rc = set_span_text(&a->date, t, dc.line, dc.d.start, buf, len, dc.rule,
                       arena);
    if (rc) return rc;
    a->date_precision = dc.d.prec;
    if (t->lines[dc.line].label != LOUPE_LINE_TITLE &&
        (t->lines[dc.line].label != LOUPE_LINE_BODY ||
         date_covers(&t->lines[dc.line], &dc.d))) {
      t->lines[dc.line].label = LOUPE_LINE_META;
      t->lines[dc.line].reason = "date";
    }
  }
  /* a line that is only a date (a repeated dateline strip) is never body */
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    lp_date d;
    if (l->label == LOUPE_LINE_BODY && l->len < 80 &&
        lp_date_find(LP_LINE_PTR(t, l), l->len, 0, &d) && date_covers(l, &d)) {
      l->label = LOUPE_LINE_META;
      l->reason = "date";
    }
  }
  rc = lp_find_credit(t, lay, title, a, arena);
  if (rc) return rc;
  if (a->credit.text && a->credit.rule != NULL &&
      strcmp(a->credit.rule, "dateline-agency") != 0) {
    uint32_t ch = 0;
    for (i = 0; i < t->n_lines; i++)
      if (lp_line_has_src(&t->lines[i], a->credit.line))
        ch = t->lines[i].hash;
    for (i = 0; i < t->n_lines; i++)
      if ((lp_line_has_src(&t->lines[i], a->credit.line) ||
           (t->lines[i].hash == ch && t->lines[i].nwords < 5)) &&
          t->lines[i].label == LOUPE_LINE_BODY && t->lines[i].nwords < 12) {
        t->lines[i].label = LOUPE_LINE_META;
        t->lines[i].reason = "credit";
      }
  }
  rc = lp_find_outlet(t, lay, a, arena);
  if (rc) return rc;
  rc = lp_find_people(t, lay, title, a, arena);
  if (rc) return rc;
  lp_mark_meta(t, a->authors, a->n_authors, "byline");
  lp_mark_meta(t, a->editors, a->n_editors, "editor");
  if (a->credit.text && strcmp(a->credit.rule, "dateline-agency") != 0)
    lp_mark_meta(t, &a->credit, 1, "credit");
  if (lang) {
    a->lang.text = lp_arena_strndup(arena, lang, strlen(lang));
    if (a->lang.text == NULL) return LOUPE_ENOMEM;
    a->lang.len = strlen(lang);
    a->lang.rule = "stop-words";
  }
  return build_body(t, a, arena);
}
