/*
 * date_features.c - dump the date candidates of pages with their features,
 * for bench/train_dates.lua (`make train`). Reads one page path per line
 * on stdin (text, or HTML when the name ends in .html or .html.gz), runs
 * the parse pipeline as loupe_parse does up to the fields, and prints one
 * line per candidate:
 *
 *   path <TAB> line <TAB> yyyy-mm-dd <TAB> f0 f1 ... f(n-1)
 *
 * with the features in datepick.h's order (-v adds the score, the rule
 * and the line); the first output line names
 * them ("#features <TAB> bias cue-pub ..."). A page that fails to parse
 * prints "#error <TAB> path <TAB> code" and the dump goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "extract/extract.h"
#include "extract/html.h"
#include "extract/datepick.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (f == NULL) return NULL;
  for (;;) {
    if (n == cap) {
      char *nb = realloc(buf, cap ? cap * 2 : 65536);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
      cap = cap ? cap * 2 : 65536;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

/* The headline line as lp_fields chooses it; every other label as the
 * labeller left it (lp_fields also relabels the date line it picks). */
static size_t find_title(lp_text *t, lp_layout *lay, const char *lang) {
  size_t i, title = LP_NONE, n = t->n_lines;
  loupe_line_label *lab = malloc((n ? n : 1) * sizeof *lab);
  loupe_article a;
  lp_arena arena;
  if (lab == NULL) return LP_NONE;
  memset(&a, 0, sizeof a);
  memset(&arena, 0, sizeof arena);
  for (i = 0; i < n; i++) lab[i] = t->lines[i].label;
  if (lp_fields(t, lay, &a, &arena, lang) == LOUPE_OK)
    for (i = 0; i < n; i++)
      if (t->lines[i].label == LOUPE_LINE_TITLE) title = i;
  for (i = 0; i < n; i++)
    if (i != title && !(t->lines[i].reason &&
                        strcmp(t->lines[i].reason, "repeated-headline") == 0))
      t->lines[i].label = lab[i];
  lay->body_first = lay->body_last = LP_NONE;
  for (i = 0; i < n; i++)
    if (t->lines[i].label == LOUPE_LINE_BODY) {
      if (lay->body_first == LP_NONE) lay->body_first = i;
      lay->body_last = i;
    }
  lp_arena_free(&arena);
  free(lab);
  return title;
}

static void print_cands(const char *path, lp_text *t, lp_layout *lay,
                        const char *lang, int verbose) {
  size_t title = find_title(t, lay, lang), i, nc;
  lp_date_cand *c;
  int k;
  if (lp_date_candidates(t, lay, title, lang, &c, &nc) != LOUPE_OK) {
    printf("#error\t%s\tnomem\n", path);
    return;
  }
  for (i = 0; i < nc; i++) {
    printf("%s\t%zu\t%04d-%02d-%02d\t", path, c[i].line, c[i].d.year,
           c[i].d.month > 0 ? c[i].d.month : 1,
           c[i].d.day > 0 ? c[i].d.day : 1);
    for (k = 0; k < LP_DF__N; k++)
      printf(k ? " %g" : "%g", c[i].f[k]);
    if (verbose) {
      const lp_line *l = &t->lines[c[i].line];
      printf("\t%.3f %s\t%.*s", c[i].score, c[i].rule,
             (int)(l->len > 100 ? 100 : l->len), LP_LINE_PTR(t, l));
    }
    printf("\n");
  }
  free(c);
}

/* One page: the pipeline of loupe_parse up to the fields. */
static void dump(const char *path, lp_lexicon *lex, lp_codecs *cs,
                 int verbose) {
  size_t len = 0, ilen = 0;
  char *bytes = slurp(path, &len), *inflated = NULL, err[200];
  const char *src = bytes, *lang;
  lp_html *h = NULL;
  lp_text t;
  lp_layout lay;
  int rc = LOUPE_EIO, have_text = 0;
  if (bytes == NULL) goto out;
  if (lp_is_gzip(bytes, len)) {
    rc = lp_gunzip(bytes, len, (size_t)256 << 20, &inflated, &ilen, err,
                   sizeof err);
    if (rc) goto out;
    src = inflated;
    len = ilen;
  }
  if (ends_with(path, ".html") || ends_with(path, ".html.gz")) {
    size_t tlen;
    const char *text;
    rc = lp_html_parse(src, len, cs, LP_ENC_AUTO, &h, err, sizeof err);
    if (rc) goto out;
    text = lp_html_text(h, &tlen);
    if (tlen == 0) goto out;
    rc = lp_text_init(&t, text, tlen, cs, LP_ENC_UTF8);
  } else {
    rc = lp_text_init(&t, src, len, cs, LP_ENC_AUTO);
  }
  if (rc) goto out;
  have_text = 1;
  if (h) {
    lp_dom *dom = lp_html_dom(h);
    dom->title = lp_meta_headline(lp_html_meta(h), &dom->title_len);
    lp_dom_regions(dom);
    t.dom = dom;
    lp_dom_mark_blocks(&t);
  }
  if ((rc = lp_text_unwrap(&t)) != LOUPE_OK) goto out;
  lp_features(&t, lex);
  lang = lp_guess_lang(&t);
  lp_apply_lang(&t, lang);
  if ((rc = lp_classify(&t, lang, &lay)) != LOUPE_OK) goto out;
  if ((rc = lp_dedupe(&t)) != LOUPE_OK) goto out;
  print_cands(path, &t, &lay, lang, verbose);
out:
  if (rc) printf("#error\t%s\t%s\n", path, loupe_errstr(rc));
  if (have_text) lp_text_free(&t);
  lp_html_free(h);
  free(inflated);
  free(bytes);
}

int main(int argc, char **argv) {
  char line[4096];
  int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
  lp_lexicon *lex = NULL;
  lp_codecs cs;
  int k;
  memset(&cs, 0, sizeof cs);
  if (lp_lexicon_new(&lex) != LOUPE_OK) return 1;
  lp_html_init();
  printf("#features\t");
  for (k = 0; k < LP_DF__N; k++)
    printf(k ? " %s" : "%s", lp_date_feature_name(k));
  printf("\n");
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (n) dump(line, lex, &cs, verbose);
  }
  lp_codecs_free(&cs);
  lp_lexicon_free(lex);
  return 0;
}
