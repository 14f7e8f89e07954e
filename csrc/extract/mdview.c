/*
 * mdview.c - the body as the quote finder reads it when it holds Markdown
 * markup: links "[said](https://...)" read as their text ("said"), images
 * as their alt text, emphasis marks (*told*, **told**, _told_) dropped,
 * with a map from every byte read back to its body offset, so quotes and
 * names keep their places in the body.
 */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* Longest link target read, in bytes. */
#define MD_URL_MAX 600

/* Does the body hold markup worth a view ("](", '*', or '_' at a word
 * edge)? */
static int has_markup(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] == '*') return 1;
    if (s[i] == ']' && i + 1 < n && s[i + 1] == '(') return 1;
    if (s[i] == '_' && (i == 0 || !qt_is_word_byte((unsigned char)s[i - 1]) ||
                        i + 1 >= n || !qt_is_word_byte((unsigned char)s[i + 1])))
      return 1;
  }
  return 0;
}

/* At '[' (i): the end of "[text](url)" after its ')' and the text's end
 * in *te; 0 when it is no link. */
static size_t link_at(const char *s, size_t to, size_t i, size_t *te) {
  size_t k = i + 1, u;
  while (k < to && s[k] != ']' && s[k] != '\n' && s[k] != '[' && k - i < 300)
    k++;
  if (k + 1 >= to || s[k] != ']' || s[k + 1] != '(') return 0;
  for (u = k + 2; u < to && s[u] != ')' && s[u] != ' ' && s[u] != '\n' &&
                  u - k < MD_URL_MAX; u++) {}
  if (u >= to || s[u] != ')') return 0;
  *te = k;
  return u + 1;
}

/* Copy s[a, b) to the view with its offsets. */
static void put(md_view *v, const char *s, size_t a, size_t b) {
  size_t k;
  for (k = a; k < b; k++) {
    v->map[v->n] = k;
    v->s[v->n++] = s[k];
  }
}

/* One paragraph [from, to) into the view. */
static void view_paragraph(md_view *v, const char *s, size_t from,
                           size_t to) {
  size_t i = from;
  while (i < to) {
    size_t te, end;
    char c = s[i];
    if ((c == '[' || (c == '!' && i + 1 < to && s[i + 1] == '[')) &&
        (end = link_at(s, to, c == '!' ? i + 1 : i, &te)) > 0) {
      size_t a = c == '!' ? i + 2 : i + 1;
      view_paragraph(v, s, a, te);           /* "[**said**](...)" */
      i = end;
      continue;
    }
    if (c == '*') { i++; continue; }
    if (c == '_' && (i == from || !qt_is_word_byte((unsigned char)s[i - 1]) ||
                     i + 1 >= to || !qt_is_word_byte((unsigned char)s[i + 1]))) {
      i++;
      continue;
    }
    put(v, s, i, i + 1);
    i++;
  }
}

/*
 * The view of a body of np paragraphs [ps[i], pe[i]) (joined by "\n\n"):
 * v->s NULL when the body has no markup (read the body itself), else the
 * text, its map and its paragraphs. LOUPE_OK or LOUPE_ENOMEM.
 */
int qt_md_view(const char *s, size_t n, const size_t *ps, const size_t *pe,
               size_t np, md_view *v) {
  size_t i;
  memset(v, 0, sizeof *v);
  if (!has_markup(s, n)) return LOUPE_OK;
  v->s = malloc(n + 1);
  v->map = malloc((n + 1) * sizeof *v->map);
  v->ps = malloc((np ? np : 1) * sizeof *v->ps);
  v->pe = malloc((np ? np : 1) * sizeof *v->pe);
  if (!v->s || !v->map || !v->ps || !v->pe) {
    qt_md_view_free(v);
    return LOUPE_ENOMEM;
  }
  for (i = 0; i < np; i++) {
    v->ps[i] = v->n;
    view_paragraph(v, s, ps[i], pe[i]);
    v->pe[i] = v->n;
    if (i + 1 < np) put(v, s, pe[i], ps[i + 1]);
  }
  v->map[v->n] = n;
  v->s[v->n] = '\0';
  return LOUPE_OK;
}

void qt_md_view_free(md_view *v) {
  free(v->s);
  free(v->map);
  free(v->ps);
  free(v->pe);
  memset(v, 0, sizeof *v);
}
