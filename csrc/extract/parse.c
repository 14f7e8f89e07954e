/*
 * parse.c - the parser handle and the pipeline of one parse: text ->
 * language and features -> classification -> repeated text -> fields.
 * HTML pages enter as their blocks of visible text with DOM evidence
 * (html.c) and leave with their metadata reconciled (meta.c).
 * The article owns one arena holding every string it points to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "extract.h"
#include "html.h"

struct loupe_parser {
  size_t max_bytes;
  int keep_lines;
  int no_extract;
  loupe_format format;
  int charset;                /* LP_ENC_*, or LP_ENC_AUTO */
  lp_lexicon *lex;
  lp_codecs codecs;           /* legacy charset tables, built when needed */
  char errmsg[200];
};

/* The article as allocated: the public record first, its arena after. */
typedef struct {
  loupe_article pub;
  lp_arena arena;
} article_box;

int loupe_parser_new(loupe_parser **out) {
  loupe_parser *p = calloc(1, sizeof *p);
  *out = NULL;
  if (p == NULL) return LOUPE_ENOMEM;
  p->max_bytes = (size_t)256 << 20;
  p->charset = LP_ENC_AUTO;
  if (lp_lexicon_new(&p->lex) != LOUPE_OK) {
    free(p);
    return LOUPE_ENOMEM;
  }
  /* libxml2 sets itself up once per process; parsers are made before
   * the threads that use them, so this first call is not raced */
  lp_html_init();
  *out = p;
  return LOUPE_OK;
}

void loupe_parser_free(loupe_parser *p) {
  if (p == NULL) return;
  lp_lexicon_free(p->lex);
  lp_codecs_free(&p->codecs);
  free(p);
}

int loupe_parser_set_max_bytes(loupe_parser *p, size_t max) {
  if (p == NULL || max == 0 || max > LOUPE_MAX_INPUT) return LOUPE_EINVAL;
  p->max_bytes = max;
  return LOUPE_OK;
}

int loupe_parser_set_charset(loupe_parser *p, const char *charset) {
  int enc;
  if (p == NULL) return LOUPE_EINVAL;
  if (charset == NULL || charset[0] == '\0' ||
      lp_starts_ci(charset, strlen(charset), "auto")) {
    p->charset = LP_ENC_AUTO;
    return LOUPE_OK;
  }
  enc = lp_charset_lookup(charset);
  if (enc < 0) {
    snprintf(p->errmsg, sizeof p->errmsg, "unknown charset '%.60s' (loupe "
             "reads utf-8, utf-16le, utf-16be, cp1252, gbk, gb18030, big5, "
             "shift_jis)", charset);
    return LOUPE_EINVAL;
  }
  p->charset = enc;
  return LOUPE_OK;
}

int loupe_parser_set_extract(loupe_parser *p, int on) {
  if (p == NULL) return LOUPE_EINVAL;
  p->no_extract = on == 0;
  return LOUPE_OK;
}

int loupe_parser_set_format(loupe_parser *p, loupe_format f) {
  if (p == NULL || f < LOUPE_FORMAT_AUTO || f > LOUPE_FORMAT_HTML)
    return LOUPE_EINVAL;
  p->format = f;
  return LOUPE_OK;
}

int loupe_parser_set_keep_lines(loupe_parser *p, int on) {
  if (p == NULL) return LOUPE_EINVAL;
  p->keep_lines = on != 0;
  return LOUPE_OK;
}

const char *loupe_errmsg(const loupe_parser *p) {
  return p ? p->errmsg : "no parser";
}

const char *loupe_errstr(int rc) {
  switch (rc) {
  case LOUPE_OK: return "ok";
  case LOUPE_ENOMEM: return "nomem";
  case LOUPE_EENCODING: return "encoding";
  case LOUPE_EEMPTY: return "empty";
  case LOUPE_ELIMIT: return "limit";
  case LOUPE_EINVAL: return "invalid";
  case LOUPE_EIO: return "io";
  case LOUPE_EBUSY: return "busy";
  case LOUPE_ECORRUPT: return "corrupt";
  case LOUPE_ESYNTAX: return "syntax";
  case LOUPE_EDB: return "db";
  case LOUPE_EMISUSE: return "misuse";
  case LOUPE_EVERSION: return "version";
  default: return "unknown";
  }
}

const char *loupe_precision_name(loupe_precision prec) {
  switch (prec) {
  case LOUPE_PREC_YEAR: return "year";
  case LOUPE_PREC_MONTH: return "month";
  case LOUPE_PREC_DAY: return "day";
  case LOUPE_PREC_MINUTE: return "minute";
  case LOUPE_PREC_SECOND: return "second";
  default: return NULL;
  }
}

const char *loupe_line_label_name(loupe_line_label label) {
  switch (label) {
  case LOUPE_LINE_BODY: return "body";
  case LOUPE_LINE_TITLE: return "title";
  case LOUPE_LINE_META: return "meta";
  case LOUPE_LINE_BOILERPLATE: return "boilerplate";
  case LOUPE_LINE_DUPLICATE: return "duplicate";
  default: return "blank";
  }
}

void loupe_article_free(loupe_article *a) {
  article_box *box = (article_box *)a;
  if (a == NULL) return;
  lp_arena_free(&box->arena);
  free(box);
}

/*
 * One entry per source line, blank ones included: each line takes the
 * label of the normalised line it belongs to (joined wrapped lines share
 * one). Text moved by dedupe carries its source line with it.
 */
static int keep_lines(const lp_text *t, loupe_article *a, lp_arena *arena) {
  size_t i, k, n = t->stats.lines, got;
  size_t *starts = lp_arena_alloc(arena, (n ? n : 1) * sizeof *starts);
  a->lines = lp_arena_alloc(arena, (n ? n : 1) * sizeof *a->lines);
  if (a->lines == NULL || starts == NULL) return LOUPE_ENOMEM;
  got = lp_text_line_starts(t, starts, n);
  for (i = 0; i < n; i++) {
    a->lines[i].line = i + 1;
    a->lines[i].offset = i < got ? starts[i] : t->src_len;
    a->lines[i].label = LOUPE_LINE_BLANK;
    a->lines[i].reason = "blank";
  }
  for (i = 0; i < t->n_lines; i++) {
    const lp_line *l = &t->lines[i];
    for (k = l->src_line; k < l->src_line + l->n_src && k <= n; k++) {
      a->lines[k - 1].label = l->label;
      a->lines[k - 1].reason = l->reason ? l->reason : "";
    }
  }
  a->n_lines = n;
  return LOUPE_OK;
}

/*
 * An HTML page with metadata but no visible text (a page its scripts
 * fill): the record holds what the metadata says and an empty body.
 */
static int meta_only(lp_html *h, int keep, article_box **out) {
  lp_text t;
  article_box *box = calloc(1, sizeof *box);
  int rc;
  *out = box;
  if (box == NULL) return LOUPE_ENOMEM;
  memset(&t, 0, sizeof t);
  box->pub.source_format = LOUPE_FORMAT_HTML;
  box->pub.body = lp_arena_strndup(&box->arena, "", 0);
  if (box->pub.body == NULL) return LOUPE_ENOMEM;
  rc = lp_meta_apply(lp_html_meta(h), h, &t, &box->pub, &box->arena);
  box->pub.input = lp_html_stats(h);
  /* every source line blank: no text on any */
  if (rc == LOUPE_OK && keep) rc = lp_html_lines(h, &t, &box->pub, &box->arena);
  return rc;
}

/* The limits an input must meet before it is read. */
static int check_input(loupe_parser *p, size_t len) {
  if (len > p->max_bytes || len > LOUPE_MAX_INPUT) {
    snprintf(p->errmsg, sizeof p->errmsg,
             "input of %zu bytes exceeds the limit of %zu bytes (option "
             "max_bytes)", len, p->max_bytes);
    return LOUPE_ELIMIT;
  }
  if (len == 0) {
    snprintf(p->errmsg, sizeof p->errmsg, "input is empty");
    return LOUPE_EEMPTY;
  }
  return LOUPE_OK;
}

/* Label the lines of t (the blocks of page h when not NULL): unwrap,
 * features, language, classes, repeats. */
static int label_lines(loupe_parser *p, lp_text *t, lp_html *h,
                       const char **lang, lp_layout *lay) {
  int rc;
  if (h) {
    lp_dom *dom = lp_html_dom(h);
    dom->title = lp_meta_headline(lp_html_meta(h), &dom->title_len);
    lp_dom_regions(dom);
    t->dom = dom;
    lp_dom_mark_blocks(t);
  }
  rc = lp_text_unwrap(t);
  if (rc) return rc;
  lp_features(t, p->lex);
  *lang = lp_guess_lang(t);
  lp_apply_lang(t, *lang);
  rc = lp_classify(t, *lang, lay);
  if (rc) return rc;
  return lp_dedupe(t);
}

/* The fields, quotes and kept lines of the labelled text into box; for a
 * page, offsets mapped back to its bytes and its metadata reconciled. */
static int fill_article(loupe_parser *p, lp_text *t, lp_layout *lay,
                        lp_html *h, const char *lang, article_box *box) {
  int rc = lp_fields(t, lay, &box->pub, &box->arena, lang);
  if (rc) return rc;
  if (!p->no_extract) {
    rc = lp_quotes(&box->pub, t, &box->arena);
    if (rc) return rc;
  }
  if (p->keep_lines) {
    rc = h ? lp_html_lines(h, t, &box->pub, &box->arena)
           : keep_lines(t, &box->pub, &box->arena);
    if (rc) return rc;
  }
  if (h) {
    loupe_input_stats st = lp_html_stats(h);
    lp_html_remap(h, &box->pub);
    rc = lp_meta_apply(lp_html_meta(h), h, t, &box->pub, &box->arena);
    if (rc) return rc;
    box->pub.input = st;
  }
  return LOUPE_OK;
}

/*
 * Parse one page. Gzip input is inflated first; HTML is read into blocks
 * (html.c) that the text pipeline labels as lines, and its metadata is
 * reconciled with the fields at the end. The text, the page and the
 * article are released on every failure path through the single exit
 * below; *out is set only on success.
 */
int loupe_parse(loupe_parser *p, const char *bytes, size_t len,
                loupe_article **out) {
  lp_text t;
  lp_layout lay;
  article_box *box = NULL;
  lp_html *h = NULL;
  char *inflated = NULL;
  const char *lang;
  loupe_format fmt;
  int rc, have_text = 0;

  if (out) *out = NULL;
  if (p == NULL || out == NULL || (bytes == NULL && len > 0)) {
    if (p) snprintf(p->errmsg, sizeof p->errmsg, "invalid argument");
    return LOUPE_EINVAL;
  }
  p->errmsg[0] = '\0';
  rc = check_input(p, len);
  if (rc) return rc;
  if (lp_is_gzip(bytes, len)) {
    size_t ilen;
    rc = lp_gunzip(bytes, len, p->max_bytes, &inflated, &ilen, p->errmsg,
                   sizeof p->errmsg);
    if (rc) return rc;
    bytes = inflated;
    len = ilen;
    if (len == 0) {
      snprintf(p->errmsg, sizeof p->errmsg, "input is empty (once inflated)");
      rc = LOUPE_EEMPTY;
      goto out;
    }
  }
  fmt = p->format != LOUPE_FORMAT_AUTO ? p->format
                                       : lp_detect_format(bytes, len);
  if (fmt == LOUPE_FORMAT_HTML) {
    size_t tlen;
    const char *text;
    rc = lp_html_parse(bytes, len, &p->codecs, p->charset, &h, p->errmsg,
                       sizeof p->errmsg);
    if (rc) goto out;
    text = lp_html_text(h, &tlen);
    if (tlen == 0) {
      rc = meta_only(h, p->keep_lines, &box);
      goto out;
    }
    rc = lp_text_init(&t, text, tlen, &p->codecs, LP_ENC_UTF8);
  } else {
    rc = lp_text_init(&t, bytes, len, &p->codecs, p->charset);
  }
  if (rc != LOUPE_OK) {
    snprintf(p->errmsg, sizeof p->errmsg, "%s", t.errmsg);
    goto out;
  }
  have_text = 1;
  rc = label_lines(p, &t, h, &lang, &lay);
  if (rc) goto out;
  box = calloc(1, sizeof *box);
  if (box == NULL) { rc = LOUPE_ENOMEM; goto out; }
  box->pub.input = t.stats;
  box->pub.source_format = fmt;
  rc = fill_article(p, &t, &lay, h, lang, box);
out:
  if (have_text) lp_text_free(&t);
  lp_html_free(h);
  free(inflated);
  if (rc != LOUPE_OK) {
    if (rc == LOUPE_ENOMEM) snprintf(p->errmsg, sizeof p->errmsg, "out of memory");
    if (box) loupe_article_free(&box->pub);
    return rc;
  }
  *out = &box->pub;
  return LOUPE_OK;
}
