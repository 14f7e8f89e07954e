/*
 * metald.c - the JSON-LD of an HTML page (schema.org's NewsArticle and
 * its kin): the article object found among the graph's objects, and its
 * headline, dates, authors, publisher, section, language and URL added
 * to the page's metadata (meta.c) with the rule they came by.
 */
#include <string.h>
#include "html.h"

/* ---- JSON-LD ---- */

/* How much an @type says "this is the article": 1 news article, 2 other
 * articles and posts, 3 web pages, 0 not an article. */
static int article_rank(const char *type) {
  static const char *const news[] = {
    "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
    "LiveBlogPosting", NULL
  };
  static const char *const other[] = {
    "Article", "BlogPosting", "Report", "ScholarlyArticle", "TechArticle",
    "SocialMediaPosting", "DiscussionForumPosting", "Blog", "Posting",
    "VideoObject", "Review", "Recipe", "Event", NULL
  };
  int k;
  const char *t = type;
  if (t == NULL) return 0;
  if (strncmp(t, "http://schema.org/", 18) == 0) t += 18;
  else if (strncmp(t, "https://schema.org/", 19) == 0) t += 19;
  for (k = 0; news[k]; k++) if (strcmp(t, news[k]) == 0) return 1;
  for (k = 0; other[k]; k++) if (strcmp(t, other[k]) == 0) return 2;
  if (strstr(t, "Article") != NULL) return 2;
  if (strstr(t, "WebPage") != NULL) return 3;
  return 0;
}

static int type_rank(const lp_json *o) {
  const lp_json *t = lp_json_get(o, "@type"), *c;
  int best = 0;
  if (t == NULL) return 0;
  if (t->type == LP_J_STR) return article_rank(t->str);
  if (t->type == LP_J_ARR)
    for (c = t->child; c; c = c->next)
      if (c->type == LP_J_STR) {
        int r = article_rank(c->str);
        if (r && (best == 0 || r < best)) best = r;
      }
  return best;
}

static int is_type(const lp_json *o, const char *name) {
  const lp_json *t = lp_json_get(o, "@type"), *c;
  if (t == NULL) return 0;
  if (t->type == LP_J_STR) return strcmp(t->str, name) == 0;
  if (t->type == LP_J_ARR)
    for (c = t->child; c; c = c->next)
      if (c->type == LP_J_STR && strcmp(c->str, name) == 0) return 1;
  return 0;
}

typedef struct {
  const lp_json *best;      /* the article node */
  int rank;
  const lp_json *site;      /* a WebSite or Organization node */
  int seen;
} ld_find;

/* Walk every object of the tree (depth-limited by the parser). */
static void ld_walk(const lp_json *j, ld_find *f) {
  const lp_json *c;
  if (j == NULL || f->seen > 10000) return;
  f->seen++;
  if (j->type == LP_J_OBJ) {
    int r = type_rank(j);
    if (r == 0 && lp_json_get(j, "datePublished") &&
        lp_json_get(j, "@type") == NULL)
      r = 4;
    if (r && (f->best == NULL || r < f->rank)) {
      f->best = j;
      f->rank = r;
    }
    if (f->site == NULL && is_type(j, "WebSite") && lp_json_get(j, "name"))
      f->site = j;
  }
  if (j->type == LP_J_OBJ || j->type == LP_J_ARR)
    for (c = j->child; c; c = c->next) ld_walk(c, f);
}

/* The text of a value: a string, or the "name" (or "@id" when asked) of
 * an object, or the first of an array. */
static const lp_json *ld_text(const lp_json *v, const char *field) {
  if (v == NULL) return NULL;
  if (v->type == LP_J_STR) return v;
  if (v->type == LP_J_ARR) return ld_text(v->child, field);
  if (v->type == LP_J_OBJ) {
    const lp_json *n = lp_json_get(v, field);
    if (n && n->type == LP_J_STR) return n;
  }
  return NULL;
}

static int ld_add(lp_meta *m, const char *key, const char *rule,
                  const lp_json *v, size_t base) {
  if (v == NULL || v->type != LP_J_STR) return LOUPE_OK;
  return lp_meta_add(m, key, rule, 1, v->str, v->len, base + v->off, 0, 0, 0);
}

/* Authors: strings, Person objects, or arrays of them; organisations are
 * credits, not authors. */
static int ld_authors(lp_meta *m, const lp_json *v, size_t base, int depth) {
  const lp_json *c;
  int rc;
  if (v == NULL || depth > 3) return LOUPE_OK;
  if (v->type == LP_J_STR) return ld_add(m, "author", "jsonld:author", v, base);
  if (v->type == LP_J_ARR) {
    for (c = v->child; c; c = c->next) {
      rc = ld_authors(m, c, base, depth + 1);
      if (rc) return rc;
    }
    return LOUPE_OK;
  }
  if (v->type == LP_J_OBJ && !is_type(v, "Organization") &&
      !is_type(v, "NewsMediaOrganization"))
    return ld_add(m, "author", "jsonld:author", lp_json_get(v, "name"), base);
  return LOUPE_OK;
}

/* How the fields of the article object are read, in order: the rule is
 * "jsonld:" and the field's name; sub is the member to read when the
 * value is an object; when says if the field is read at all. */
enum { LD_ALWAYS, LD_NO_HEADLINE, LD_NO_PUBLISHED, LD_AUTHORS, LD_URL };
static const struct {
  const char *key, *rule, *sub;
  int when;
} ld_fields[] = {
  {"title", "jsonld:headline", "name", LD_ALWAYS},
  {"title", "jsonld:name", "name", LD_NO_HEADLINE},
  {"date_published", "jsonld:datePublished", "@value", LD_ALWAYS},
  {"date_published", "jsonld:dateCreated", "@value", LD_NO_PUBLISHED},
  {"date_modified", "jsonld:dateModified", "@value", LD_ALWAYS},
  {"author", "jsonld:author", NULL, LD_AUTHORS},
  {"site_name", "jsonld:publisher", "name", LD_ALWAYS},
  {"section", "jsonld:articleSection", "name", LD_ALWAYS},
  {"lang", "jsonld:inLanguage", "alternateName", LD_ALWAYS},
  {"url", "jsonld:url", "@id", LD_URL},
  {"description", "jsonld:description", "name", LD_ALWAYS},
};
#define N_LD_FIELDS (sizeof ld_fields / sizeof ld_fields[0])

/* The page's URL: mainEntityOfPage's @id, else url, when it is http(s). */
static const lp_json *ld_url(const lp_json *a) {
  const lp_json *v = ld_text(lp_json_get(a, "mainEntityOfPage"), "@id");
  if (v == NULL || strncmp(v->str, "http", 4) != 0)
    v = ld_text(lp_json_get(a, "url"), "@id");
  return v && strncmp(v->str, "http", 4) == 0 ? v : NULL;
}

/* The fields of article object a (of rank rank, see article_rank). */
static int ld_article(lp_meta *m, const lp_json *a, int rank, size_t base) {
  size_t k;
  int rc = LOUPE_OK;
  for (k = 0; rc == LOUPE_OK && k < N_LD_FIELDS; k++) {
    const char *field = ld_fields[k].rule + 7;     /* after "jsonld:" */
    const lp_json *v;
    switch (ld_fields[k].when) {
    case LD_NO_HEADLINE:        /* a name is a title only on an article */
      if (rank > 2 || lp_json_get(a, "headline") != NULL) continue;
      break;
    case LD_NO_PUBLISHED:
      if (lp_json_get(a, "datePublished") != NULL) continue;
      break;
    case LD_AUTHORS:
      v = lp_json_get(a, "author");
      if (v == NULL) v = lp_json_get(a, "creator");
      rc = ld_authors(m, v, base, 0);
      continue;
    case LD_URL:
      rc = ld_add(m, ld_fields[k].key, ld_fields[k].rule, ld_url(a), base);
      continue;
    default:
      break;
    }
    rc = ld_add(m, ld_fields[k].key, ld_fields[k].rule,
                ld_text(lp_json_get(a, field), ld_fields[k].sub), base);
  }
  return rc;
}

int lp_meta_jsonld(lp_meta *m, const char *s, size_t n, size_t work_off) {
  lp_arena tmp;
  lp_json *root = NULL;
  ld_find f;
  int rc;
  memset(&tmp, 0, sizeof tmp);
  memset(&f, 0, sizeof f);
  rc = lp_json_parse(s, n, &tmp, &root);
  if (rc) goto out;
  ld_walk(root, &f);
  if (f.best) rc = ld_article(m, f.best, f.rank, work_off);
  if (rc == LOUPE_OK && f.site) {
    const lp_json *name = lp_json_get(f.site, "name");
    rc = lp_meta_add(m, "site_name", "jsonld:WebSite.name", 3, name->str,
                     name->len, work_off + name->off, 0, 0, 0);
  }
out:
  lp_arena_free(&tmp);
  return rc;
}
