/*
 * meta.c - the metadata of an HTML page (meta tags, Open Graph, JSON-LD
 * through metald.c, <time datetime>, itemprop, the canonical URL)
 * collected during the walk, and its reconciliation with what the
 * labeller read in the visible text: which date, title, outlet and
 * authors the record takes, each value kept with the rule and the place
 * it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlpage.h"
#include "dates.h"

typedef struct {
  const char *key;          /* static key */
  const char *rule;         /* static rule */
  const char *value;        /* in the arena, NUL-terminated */
  size_t len;
  size_t work_off;          /* in the decoded page */
  size_t text_off;          /* visible text before it */
  unsigned in, cls;         /* where it sits (LP_IN_*, LP_CW_*) */
  int prio;                 /* lower wins within a key */
  size_t seq;               /* order collected */
} item;

struct lp_meta {
  lp_arena arena;
  item *v;
  size_t n, cap;
  int have_title;
};

int lp_meta_new(lp_meta **out) {
  *out = calloc(1, sizeof **out);
  return *out ? LOUPE_OK : LOUPE_ENOMEM;
}

void lp_meta_free(lp_meta *m) {
  if (m == NULL) return;
  lp_arena_free(&m->arena);
  free(m->v);
  free(m);
}

/* Collapse spaces and trim; returns the new length. */
static size_t squeeze(char *s, size_t n) {
  size_t i, o = 0;
  int sp = 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      sp = o > 0;
      continue;
    }
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
      sp = o > 0;
      i++;
      continue;
    }
    if (sp) s[o++] = ' ';
    sp = 0;
    s[o++] = (char)c;
  }
  s[o] = '\0';
  return o;
}

/* Decode the character references a meta tag's value may still hold
 * when it came from JSON (&amp; &quot; &#39; &#8217;), in place. */
static size_t unescape(char *s, size_t n) {
  static const struct { const char *name; const char *utf8; } ents[] = {
    {"amp;", "&"}, {"quot;", "\""}, {"apos;", "'"}, {"lt;", "<"},
    {"gt;", ">"}, {"nbsp;", " "}, {NULL, NULL}
  };
  size_t i, o = 0;
  for (i = 0; i < n; i++) {
    int k, done = 0;
    if (s[i] != '&') { s[o++] = s[i]; continue; }
    for (k = 0; ents[k].name; k++) {
      size_t m = strlen(ents[k].name);
      if (i + 1 + m <= n && memcmp(s + i + 1, ents[k].name, m) == 0) {
        s[o++] = ents[k].utf8[0];
        i += m;
        done = 1;
        break;
      }
    }
    if (!done && i + 2 < n && s[i + 1] == '#') {
      size_t j = i + 2;
      unsigned long cp = 0;
      int hex = j < n && (s[j] == 'x' || s[j] == 'X');
      if (hex) j++;
      while (j < n && j < i + 10 &&
             ((s[j] >= '0' && s[j] <= '9') ||
              (hex && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'f')))) {
        unsigned d = s[j] <= '9' ? (unsigned)(s[j] - '0')
                                 : (unsigned)((s[j] | 32) - 'a' + 10);
        cp = cp * (hex ? 16 : 10) + d;
        j++;
      }
      if (j < n && s[j] == ';' && cp > 0 && cp < 0x110000 &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        char enc[4];
        size_t m = lp_utf8_encode((uint32_t)cp, enc), q;
        if (m <= j + 1 - i) {
          for (q = 0; q < m; q++) s[o++] = enc[q];
          i = j;
          done = 1;
        }
      }
    }
    if (!done) s[o++] = '&';
  }
  s[o] = '\0';
  return o;
}

int lp_meta_add(lp_meta *m, const char *key, const char *rule, int prio,
                const char *v, size_t n, size_t work_off, size_t text_off,
                unsigned in, unsigned cls) {
  char *s;
  if (v == NULL || n == 0 || n > 2000) return LOUPE_OK;
  s = lp_arena_strndup(&m->arena, v, n);
  if (s == NULL) return LOUPE_ENOMEM;
  n = unescape(s, n);
  n = squeeze(s, n);
  if (n == 0) return LOUPE_OK;
  if (m->n >= 4096) return LOUPE_OK;            /* enough for any page */
  if (lp_grow(&m->v, &m->cap, m->n, sizeof *m->v, 32)) return LOUPE_ENOMEM;
  m->v[m->n] = (item){.key = key, .rule = rule, .value = s, .len = n,
                      .work_off = work_off, .text_off = text_off, .in = in,
                      .cls = cls, .prio = prio, .seq = m->n};
  m->n++;
  return LOUPE_OK;
}

/* ---- meta tags ---- */

/* The meta names (name, property or itemprop attributes) values are read
 * from: the rule is "meta:" or "itemprop:" and the name, matched without
 * regard to case; key is the value's key, prio its priority (lower wins). */
static const struct {
  const char *rule;
  const char *key;
  int prio;
} metas[] = {
  {"meta:og:title", "title", 2},
  {"meta:twitter:title", "title", 3},
  {"meta:title", "title", 4},
  {"meta:dc.title", "title", 4},
  {"itemprop:headline", "title", 3},
  {"meta:article:published_time", "date_published", 2},
  {"meta:og:article:published_time", "date_published", 2},
  {"meta:article:published", "date_published", 3},
  {"meta:published_time", "date_published", 3},
  {"itemprop:datePublished", "date_published", 3},
  {"meta:date", "date_published", 5},
  {"meta:pubdate", "date_published", 4},
  {"meta:publishdate", "date_published", 4},
  {"meta:publish-date", "date_published", 4},
  {"meta:publish_date", "date_published", 4},
  {"meta:publication_date", "date_published", 4},
  {"meta:article_date_original", "date_published", 4},
  {"meta:original-publish-date", "date_published", 4},
  {"meta:dc.date.issued", "date_published", 4},
  {"meta:dcterms.issued", "date_published", 4},
  {"meta:dc.date", "date_published", 5},
  {"meta:dcterms.date", "date_published", 5},
  {"meta:dc.date.created", "date_published", 5},
  {"meta:dcterms.created", "date_published", 5},
  {"meta:sailthru.date", "date_published", 4},
  {"meta:parsely-pub-date", "date_published", 4},
  {"meta:citation_publication_date", "date_published", 4},
  {"meta:citation_date", "date_published", 5},
  {"meta:og:published_time", "date_published", 3},
  {"meta:displaydate", "date_published", 5},
  {"meta:date.release", "date_published", 5},
  {"meta:article.published", "date_published", 3},
  {"meta:release_date", "date_published", 5},
  {"meta:article:modified_time", "date_modified", 2},
  {"meta:og:updated_time", "date_modified", 3},
  {"itemprop:dateModified", "date_modified", 3},
  {"meta:dcterms.modified", "date_modified", 4},
  {"meta:last-modified", "date_modified", 5},
  {"meta:lastmod", "date_modified", 5},
  {"meta:article.updated", "date_modified", 4},
  {"meta:author", "author", 3},
  {"meta:article:author", "author", 3},
  {"meta:dc.creator", "author", 4},
  {"meta:dcterms.creator", "author", 4},
  {"meta:byl", "author", 3},
  {"meta:sailthru.author", "author", 4},
  {"meta:parsely-author", "author", 4},
  {"meta:og:site_name", "site_name", 2},
  {"meta:application-name", "site_name", 4},
  {"meta:publisher", "site_name", 4},
  {"meta:dc.publisher", "site_name", 4},
  {"meta:article:section", "section", 2},
  {"meta:section", "section", 3},
  {"meta:parsely-section", "section", 3},
  {"itemprop:articleSection", "section", 3},
  {"meta:content-language", "lang", 3},
  {"meta:og:locale", "lang", 4},
  {"meta:language", "lang", 4},
  {"meta:dc.language", "lang", 4},
  {"meta:og:url", "url", 3},
  {"meta:description", "description", 2},
  {"meta:og:description", "description", 3},
  {"meta:twitter:description", "description", 4},
  {NULL, NULL, 0}
};

static int eq_ci(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x |= 32;
    if (y >= 'A' && y <= 'Z') y |= 32;
    if (x != y) return 0;
  }
  return *a == *b;
}

static const char *att(const char *const *atts, const char *name) {
  size_t i;
  if (atts == NULL) return NULL;
  for (i = 0; atts[i]; i += 2)
    if (strcmp(atts[i], name) == 0) return atts[i + 1] ? atts[i + 1] : "";
  return NULL;
}

static int meta_name(lp_meta *m, const char *name, const char *v,
                     size_t work_off) {
  int k;
  if (name == NULL || v == NULL) return LOUPE_OK;
  for (k = 0; metas[k].rule; k++)
    if (eq_ci(name, strchr(metas[k].rule, ':') + 1))
      return lp_meta_add(m, metas[k].key, metas[k].rule, metas[k].prio, v,
                         strlen(v), work_off, 0, 0, 0);
  return LOUPE_OK;
}

int lp_meta_element(lp_meta *m, int tag, const char *const *atts,
                    size_t work_off, size_t text_off, unsigned in,
                    unsigned cls) {
  const char *v, *c;
  int rc;
  if (tag == LP_T_META) {
    c = att(atts, "content");
    if (c == NULL) c = att(atts, "value");
    if ((v = att(atts, "http-equiv")) != NULL && eq_ci(v, "content-language"))
      return lp_meta_add(m, "lang", "meta:content-language", 3, c,
                         c ? strlen(c) : 0, work_off, 0, 0, 0);
    rc = meta_name(m, att(atts, "property"), c, work_off);
    if (rc == LOUPE_OK) rc = meta_name(m, att(atts, "name"), c, work_off);
    if (rc == LOUPE_OK) rc = meta_name(m, att(atts, "itemprop"), c, work_off);
    return rc;
  }
  if (tag == LP_T_LINK) {
    v = att(atts, "rel");
    c = att(atts, "href");
    if (v && c && eq_ci(v, "canonical"))
      return lp_meta_add(m, "url", "link:canonical", 2, c, strlen(c),
                         work_off, 0, 0, 0);
    return LOUPE_OK;
  }
  if (tag == LP_T_HTML) {
    v = att(atts, "lang");
    if (v == NULL) v = att(atts, "xml:lang");
    return v ? lp_meta_add(m, "lang", "html[lang]", 2, v, strlen(v),
                           work_off, 0, 0, 0)
             : LOUPE_OK;
  }
  /* elements carrying a date: <time datetime>, itemprop values */
  v = att(atts, "itemprop");
  c = att(atts, "datetime");
  if (c == NULL) c = att(atts, "content");
  if (v && c) {
    if (strcmp(v, "datePublished") == 0)
      return lp_meta_add(m, "date_published", "itemprop:datePublished", 3, c,
                         strlen(c), work_off, text_off, in, cls);
    if (strcmp(v, "dateModified") == 0)
      return lp_meta_add(m, "date_modified", "itemprop:dateModified", 3, c,
                         strlen(c), work_off, text_off, in, cls);
    if (strcmp(v, "dateCreated") == 0)
      return lp_meta_add(m, "date_published", "itemprop:dateCreated", 4, c,
                         strlen(c), work_off, text_off, in, cls);
  }
  if (tag == LP_T_TIME && (c = att(atts, "datetime")) != NULL) {
    int pub = att(atts, "pubdate") != NULL;
    return lp_meta_add(m, "time", pub ? "time[pubdate]" : "time[datetime]",
                       pub ? 1 : 2, c, strlen(c), work_off, text_off, in, cls);
  }
  return LOUPE_OK;
}

int lp_meta_title(lp_meta *m, const char *s, size_t n, size_t work_off) {
  if (m->have_title) return LOUPE_OK;
  m->have_title = 1;
  return lp_meta_add(m, "title", "title", 5, s, n, work_off, 0, 0, 0);
}

int lp_meta_text_value(lp_meta *m, const char *key, const char *rule,
                       const char *s, size_t n, size_t work_off,
                       unsigned in) {
  return lp_meta_add(m, key, rule, 3, s, n, work_off, 0, in, 0);
}

/* ---- reconciliation ---- */

/* The best item of key (lowest prio, then first), or NULL. */
static const item *best(const lp_meta *m, const char *key) {
  const item *b = NULL;
  size_t i;
  for (i = 0; i < m->n; i++) {
    const item *it = &m->v[i];
    if (strcmp(it->key, key) != 0) continue;
    if (b == NULL || it->prio < b->prio) b = it;
  }
  return b;
}

/* Parse a metadata date ("2019-11-19T13:03:00.000Z", "2019-11-19",
 * "Tue, 19 Nov 2019 13:03:00 GMT"): it must start the value. */
static int meta_date(const char *s, size_t n, lp_date *d) {
  size_t k = 0;
  while (k < n && (s[k] == ' ' || s[k] == '"')) k++;
  if (!lp_date_find(s, n, k, d)) return 0;
  if (d->start > k + 16) return 0;       /* "Tue, 19 Nov" has a weekday */
  if (d->prec < LOUPE_PREC_DAY) return 0;
  if (d->year < 1990 || d->year > 2100) return 0;
  return 1;
}

/* A date in the path of a URL: /2019/11/20/, /2019-11-20, /20191120/. */
static int url_date(const char *u, size_t n, lp_date *d, size_t *at) {
  size_t i;
  for (i = 0; i + 10 <= n; i++) {
    const char *s = u + i;
    int y, mo, da;
    if (s[0] != '/' && s[0] != '-' && s[0] != '_') continue;
    if (!(s[1] >= '1' && s[1] <= '2')) continue;
    if (i + 11 <= n && (s[5] == '/' || s[5] == '-') &&
        (s[8] == '/' || s[8] == '-') && s[1] >= '0' &&
        s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' &&
        s[4] >= '0' && s[4] <= '9' && s[6] >= '0' && s[6] <= '9' &&
        s[7] >= '0' && s[7] <= '9' && s[9] >= '0' && s[9] <= '9' &&
        s[10] >= '0' && s[10] <= '9') {
      y = (s[1] - '0') * 1000 + (s[2] - '0') * 100 + (s[3] - '0') * 10 +
          (s[4] - '0');
      mo = (s[6] - '0') * 10 + (s[7] - '0');
      da = (s[9] - '0') * 10 + (s[10] - '0');
    } else if (i + 10 <= n) {
      size_t k;
      int ok = 1;
      for (k = 1; k <= 8; k++) if (s[k] < '0' || s[k] > '9') ok = 0;
      if (!ok || (i + 9 < n && s[9] >= '0' && s[9] <= '9')) continue;
      y = (s[1] - '0') * 1000 + (s[2] - '0') * 100 + (s[3] - '0') * 10 +
          (s[4] - '0');
      mo = (s[5] - '0') * 10 + (s[6] - '0');
      da = (s[7] - '0') * 10 + (s[8] - '0');
    } else {
      continue;
    }
    if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || da < 1 || da > 31)
      continue;
    memset(d, 0, sizeof *d);
    d->year = y;
    d->month = mo;
    d->day = da;
    d->hour = d->minute = d->second = -1;
    d->prec = LOUPE_PREC_DAY;
    *at = i + 1;
    return 1;
  }
  return 0;
}

/* The hour in UTC of a date with a time given in UTC; -1 when it has no
 * time, a local offset or no zone (a time without a zone is the
 * publisher's clock: its day is the local day, not one to shift). */
static int utc_hour(const lp_date *d) {
  if (d->prec < LOUPE_PREC_MINUTE || d->hour < 0) return -1;
  if (!d->has_tz || d->tz_minutes != 0) return -1;
  return d->hour;
}

/* Does the date carry a local day: no time, no zone, or an offset? */
static int local_day(const lp_date *d) {
  return d->prec < LOUPE_PREC_MINUTE || !d->has_tz || d->tz_minutes != 0;
}

/* Set span sp to text with the place of item it (offset in the page). */
static int span_from(loupe_span *sp, lp_html *h, const item *it,
                     const char *text, size_t len, lp_arena *arena) {
  sp->text = lp_arena_strndup(arena, text, len);
  if (sp->text == NULL) return LOUPE_ENOMEM;
  sp->len = len;
  lp_html_map_work(h, it->work_off, &sp->offset, &sp->line);
  sp->rule = it->rule;
  return LOUPE_OK;
}

typedef struct {
  loupe_meta *v;
  size_t n, cap;
} meta_list;

static int meta_push(meta_list *ml, lp_arena *arena, const char *key,
                     const loupe_span *sp) {
  if (ml->n == ml->cap) {
    size_t nc = ml->cap ? ml->cap * 2 : 16;
    loupe_meta *nv = lp_arena_alloc(arena, nc * sizeof *nv);
    if (nv == NULL) return LOUPE_ENOMEM;
    if (ml->n) memcpy(nv, ml->v, ml->n * sizeof *nv);
    ml->v = nv;
    ml->cap = nc;
  }
  ml->v[ml->n].key = key;
  ml->v[ml->n].value = *sp;
  ml->n++;
  return LOUPE_OK;
}

/* Is an author value a name (not a URL, not a handle, a few words)? */
static int author_like(const char *s, size_t n) {
  size_t i, words = 1;
  if (n < 3 || n > 80) return 0;
  if (strstr(s, "http") || strchr(s, '/') || strchr(s, '@') ||
      strchr(s, '{'))
    return 0;
  for (i = 0; i < n; i++) {
    if (s[i] == ' ') words++;
    if (s[i] >= '0' && s[i] <= '9') return 0;
  }
  return words <= 6;
}

/* Two-letter language code of a value ("en-US", "de_DE", "fr"), or 0. */
static int lang_code(const char *s, size_t n, char out[3]) {
  if (n < 2) return 0;
  if (!((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z' && (s[1] | 32) >= 'a' &&
        (s[1] | 32) <= 'z'))
    return 0;
  if (n > 2 && s[2] != '-' && s[2] != '_') return 0;
  out[0] = (char)(s[0] | 32);
  out[1] = (char)(s[1] | 32);
  out[2] = '\0';
  return 1;
}

/* The candidates for the date. */
typedef struct {
  const item *it;           /* where it came from (NULL: the text) */
  lp_date d;
  int have;
} cand;

/* The UTC hour of the publication date p; a time without a zone is
 * read as UTC only when another value of the page gives the same clock
 * time in UTC (<time datetime="...Z"> beside a zoneless meta). */
static int pub_utc_hour(const lp_date *p, const cand *tim) {
  const lp_date *t = &tim->d;
  if (p->has_tz || p->prec < LOUPE_PREC_MINUTE) return utc_hour(p);
  if (tim->have && t->has_tz && t->tz_minutes == 0 && t->year == p->year &&
      t->month == p->month && t->day == p->day && t->hour == p->hour &&
      t->minute == p->minute)
    return p->hour;
  return -1;
}

/* Does candidate c name the shown day dv (1) or the metadata's dp (-1),
 * and not both? 0 otherwise. */
static int names_one(const cand *c, long dv, long dp) {
  long d;
  if (!c->have) return 0;
  d = lp_date_days(&c->d);
  return d == dv ? 1 : d == dp ? -1 : 0;
}

/* Into c, the best-ranked value under key that parses as a date, passing
 * over those inside a part of the page in `outside` (LP_IN_* bits); the
 * first of equal rank wins. c->have stays 0 when none does. */
static void best_date(const lp_meta *m, const char *key, unsigned outside,
                      cand *c) {
  size_t i;
  for (i = 0; i < m->n; i++) {
    const item *it = &m->v[i];
    lp_date d;
    if (strcmp(it->key, key) != 0) continue;
    if (it->in & outside) continue;
    /* a <time> in a comment or a related list dates that, not the page */
    if (outside && (it->cls & (LP_CW_COMMENT | LP_CW_RELATED))) continue;
    if (!meta_date(it->value, it->len, &d)) continue;
    if (!c->have || it->prio < c->it->prio) {
      c->it = it;
      c->d = d;
      c->have = 1;
    }
  }
}

/* Into c, the first publication value of the best rank that names day
 * (days since 1970); 0 when none does. */
static int pub_on_day(const lp_meta *m, long day, cand *c) {
  size_t i;
  memset(c, 0, sizeof *c);
  for (i = 0; i < m->n; i++) {
    const item *it = &m->v[i];
    lp_date d;
    if (strcmp(it->key, "date_published") != 0) continue;
    if (!meta_date(it->value, it->len, &d) || lp_date_days(&d) != day)
      continue;
    if (!c->have || it->prio < c->it->prio) {
      c->it = it;
      c->d = d;
      c->have = 1;
    }
  }
  return c->have;
}

/* The keys a page's own data (a script's JSON state, not JSON-LD) gives
 * its publication under. */
static const char *const SCRIPT_KEYS[] = {
  "\"datePublished\"", "\"publishedDate\"", "\"published_at\"",
  "\"publishDate\"", "\"publish_date\"", "\"pubDate\"",
  "\"publishedAt\"", "\"date_published\"", "\"publicationDate\"", NULL
};

#define SCRIPT_VALUES 64   /* values read before the page counts as a list */

/* The date of the value after a key ending at s[k] ("key": "2019-03-02..."),
 * 0 when none. */
static int keyed_value(const char *s, size_t n, size_t k, lp_date *d) {
  while (k < n && (s[k] == ' ' || s[k] == '\\')) k++;
  if (k >= n || s[k] != ':') return 0;
  k++;
  while (k < n && (s[k] == ' ' || s[k] == '\\')) k++;
  if (k >= n || s[k] != '"') return 0;
  k++;
  return meta_date(s + k, n - k < 40 ? n - k : 40, d) && d->start == 0;
}

/* Dates a page gives in several places, kept while they name one day. */
typedef struct {
  size_t seen, first;      /* values read; the offset of the earliest */
  long day;
  lp_date date;            /* the earliest value's */
} one_day;

/* Note the date d found at offset at; 0 when it names another day than
 * those before it. */
static int one_day_add(one_day *o, const lp_date *d, size_t at) {
  long day = lp_date_days(d);
  if (o->seen++ > 0 && day != o->day) return 0;
  o->day = day;
  if (o->seen == 1 || at < o->first) {
    o->first = at;
    o->date = *d;
  }
  return 1;
}

/* The publication item of the one day o holds, credited to rule, into it
 * and *out; 0 when o saw no date. */
static int one_day_item(const one_day *o, const char *rule, item *it,
                        lp_date *out) {
  if (o->seen == 0) return 0;
  memset(it, 0, sizeof *it);
  it->key = "date_published";
  it->rule = rule;
  it->work_off = o->first;
  *out = o->date;
  return 1;
}

/* A publication date the page's scripts hold under a publication key
 * (SCRIPT_KEYS): the first one's, when every such value in the page names
 * the same day (several days are a list of stories, whose first need not
 * be the article). Into *c with the page offset; 0 when none or several. */
static int script_date(const char *w, size_t n, item *it, lp_date *out) {
  one_day o = {0};
  size_t i;
  int k;
  for (k = 0; SCRIPT_KEYS[k]; k++) {
    const char *key = SCRIPT_KEYS[k];
    size_t kl = strlen(key);
    for (i = 0; i + kl <= n && o.seen < SCRIPT_VALUES; i++) {
      const char *hit = memchr(w + i, '"', n - i);
      lp_date d;
      if (hit == NULL) break;
      i = (size_t)(hit - w);
      if (i + kl > n || memcmp(w + i, key, kl) != 0) continue;
      if (!keyed_value(w, n, i + kl, &d)) continue;
      if (!one_day_add(&o, &d, i)) return 0;
    }
  }
  return one_day_item(&o, "script:publication", it, out);
}

/* Does the tag around s[at] (from its '<') name the hAtom publication or
 * update in its class ("published", "updated", "entry-date")? */
static int hatom_tag(const char *s, size_t at) {
  static const char *const CLS[] = {"published", "updated", "entry-date",
                                    NULL};
  size_t lt = at, k;
  while (lt > 0 && at - lt < 300 && s[lt] != '<' && s[lt] != '>') lt--;
  if (s[lt] != '<') return 0;
  for (k = 0; CLS[k]; k++) {
    size_t m = strlen(CLS[k]), i;
    for (i = lt; i + m <= at; i++)
      if (memcmp(s + i, CLS[k], m) == 0) return 1;
  }
  return 0;
}

/* The hAtom microformat's date: an element whose class names the
 * publication or update and whose title holds the date in ISO form
 * (<abbr class="published" title="2013-04-04T18:52:11+00:00">), when
 * every such title names one day. As script_date. */
static int hatom_date(const char *w, size_t n, item *it, lp_date *out) {
  static const char KEY[] = "title=\"";
  one_day o = {0};
  size_t i;
  for (i = 0; i + sizeof KEY < n && o.seen < SCRIPT_VALUES; i++) {
    const char *hit = memchr(w + i, 't', n - i);
    lp_date d;
    if (hit == NULL) break;
    i = (size_t)(hit - w);
    if (i + sizeof KEY > n || memcmp(w + i, KEY, sizeof KEY - 1) != 0)
      continue;
    if (i + sizeof KEY + 10 > n || w[i + sizeof KEY - 1] < '1' ||
        w[i + sizeof KEY - 1] > '2' || w[i + sizeof KEY + 3] != '-')
      continue;                                   /* ISO: "2013-..." */
    if (!meta_date(w + i + sizeof KEY - 1, 40 < n - i - sizeof KEY + 1
                       ? 40 : n - i - sizeof KEY + 1, &d) ||
        !hatom_tag(w, i))
      continue;
    if (!one_day_add(&o, &d, i)) return 0;
  }
  return one_day_item(&o, "hatom:title", it, out);
}

/* Keep each date found in metadata in the meta list under its key, in
 * the order published, modified, <time>, URL; the modification date is
 * also the article's date_modified, the URL's is credited to the rule
 * "url". cs holds those four candidates in that order. */
static int keep_dates(lp_html *h, loupe_article *a, lp_arena *arena,
                      meta_list *ml, const cand *const cs[4]) {
  static const char *const KEY[4] = {"date_published", "date_modified",
                                     "date_time", "date_url"};
  char buf[40];
  size_t i, len;
  loupe_span sp;
  int rc;
  for (i = 0; i < 4; i++) {
    item src;
    loupe_span *out = i == 1 ? &a->date_modified : &sp;
    if (!cs[i]->have) continue;
    src = *cs[i]->it;
    if (i == 3) src.rule = "url";
    len = lp_date_format(&cs[i]->d, buf, sizeof buf);
    rc = span_from(out, h, &src, buf, len, arena);
    if (rc == LOUPE_OK) rc = meta_push(ml, arena, KEY[i], out);
    if (rc) return rc;
  }
  return LOUPE_OK;
}

/* Set a->date from candidate c (a metadata value; the text's own date
 * is already there). */
static int take(lp_html *h, loupe_article *a, const cand *c, const char *rule,
                lp_arena *arena) {
  char buf[40];
  size_t len = lp_date_format(&c->d, buf, sizeof buf);
  item it = *c->it;
  if (rule) it.rule = rule;
  a->date_precision = c->d.prec;
  return span_from(&a->date, h, &it, buf, len, arena);
}

/*
 * The date the record takes. The metadata's publication date wins in
 * general, as htmldate and trafilatura read pages, but not against the
 * page's own evidence:
 * - a day apart from the date the page shows: a UTC time from metadata
 *   falls on the next day when the publisher's evening is past midnight
 *   in UTC (or the day before, east of UTC), so the shown (local) day
 *   wins when the UTC hour makes that possible (before 08:00 for a day
 *   later, from 22:00 for a day earlier), unless the URL's date or a
 *   <time> with a local time names one of the two;
 * - a generic "date" meta (name="date", dc.date: often the last change)
 *   yields to the shown date;
 * - the page shows a later date that is its modification date: the page
 *   presents itself as of that update, and is dated by it, a day after
 *   the publication too (then no time-zone shift explains the day).
 * Without a publication date in metadata: the shown date, else a <time>
 * element inside the article, else the URL's date. The shown date is
 * kept in date_visible, the metadata's in meta.
 */
static int choose_date(lp_meta *m, lp_html *h, loupe_article *a,
                       lp_arena *arena, meta_list *ml) {
  const item *pubi = best(m, "date_published"), *url = NULL;
  cand pub, mod, tim, u, vis;
  const cand *const cs[4] = {&pub, &mod, &tim, &u};
  size_t at = 0;
  int rc;
  memset(&pub, 0, sizeof pub);
  memset(&mod, 0, sizeof mod);
  memset(&tim, 0, sizeof tim);
  memset(&u, 0, sizeof u);
  memset(&vis, 0, sizeof vis);
  /* the best-ranked publication value that parses */
  best_date(m, "date_published", 0, &pub);
  LP_UNUSED(pubi);
  mod.it = best(m, "date_modified");
  if (mod.it && meta_date(mod.it->value, mod.it->len, &mod.d)) mod.have = 1;
  best_date(m, "time", LP_IN_ASIDE | LP_IN_FOOTER | LP_IN_NAV, &tim);
  url = best(m, "url");
  if (url && url_date(url->value, url->len, &u.d, &at)) {
    u.it = url;
    u.have = 1;
  }
  if (a->date.text && lp_date_find(a->date.text, a->date.len, 0, &vis.d))
    vis.have = 1;

  /* metadata values, kept whatever is chosen */
  rc = keep_dates(h, a, arena, ml, cs);
  if (rc) return rc;
  if (vis.have) a->date_visible = a->date;

  if (pub.have && vis.have && lp_date_days(&pub.d) != lp_date_days(&vis.d)) {
    cand agree;
    /* the metadata gives two publication days and the page shows one of
     * them: the shown day settles which */
    if (pub_on_day(m, lp_date_days(&vis.d), &agree))
      return take(h, a, &agree, NULL, arena);
  }
  if (pub.have && vis.have && lp_date_days(&pub.d) != lp_date_days(&vis.d)) {
    long dv = lp_date_days(&vis.d), dp = lp_date_days(&pub.d), diff = dv - dp;
    int generic = pub.it->prio >= 5, hour = pub_utc_hour(&pub.d, &tim), vote;
    /* the shown date is the modification's day, later than the
     * publication: the page presents itself as of that change */
    int shown_mod = mod.have && lp_date_days(&mod.d) == dv && diff > 0;
    if (diff == 1 || diff == -1) {
      if (u.have && (lp_date_days(&u.d) == dv || lp_date_days(&u.d) == dp))
        return lp_date_days(&u.d) == dv ? LOUPE_OK
                                       : take(h, a, &pub, NULL, arena);
      if (tim.have && local_day(&tim.d) &&
          (lp_date_days(&tim.d) == dv || lp_date_days(&tim.d) == dp))
        return lp_date_days(&tim.d) == dv ? LOUPE_OK
                                         : take(h, a, &pub, NULL, arena);
      if (generic || shown_mod) return LOUPE_OK;
      if ((diff == -1 && hour >= 0 && hour < 8) ||
          (diff == 1 && hour >= 22))
        return LOUPE_OK;                     /* the shown local day */
      return take(h, a, &pub, NULL, arena);
    }
    /* days apart: a <time> of the page naming one of the two decides
     * (the URL does not: it keeps the first day of a page since changed) */
    vote = names_one(&tim, dv, dp);
    if (vote != 0)
      return vote > 0 ? LOUPE_OK : take(h, a, &pub, NULL, arena);
    if (generic || shown_mod) return LOUPE_OK;
    return take(h, a, &pub, NULL, arena);
  }
  if (pub.have) {
    int hour = pub_utc_hour(&pub.d, &tim);
    if (!vis.have && u.have && hour >= 0) {
      long diff = lp_date_days(&u.d) - lp_date_days(&pub.d);
      if ((diff == -1 && hour < 8) || (diff == 1 && hour >= 22))
        return take(h, a, &u, "url", arena);
    }
    return take(h, a, &pub, NULL, arena);
  }
  if (vis.have) return LOUPE_OK;
  if (tim.have) return take(h, a, &tim, NULL, arena);
  if (u.have) return take(h, a, &u, "url", arena);
  {
    item it;
    cand sc;
    memset(&sc, 0, sizeof sc);
    if (script_date(h->work, h->wlen, &it, &sc.d) ||
        hatom_date(h->work, h->wlen, &it, &sc.d)) {
      sc.it = &it;
      sc.have = 1;
      return take(h, a, &sc, NULL, arena);
    }
  }
  return LOUPE_OK;
}

int lp_meta_apply(lp_meta *m, lp_html *h, lp_text *t, loupe_article *a,
                  lp_arena *arena) {
  meta_list ml;
  const item *it;
  loupe_span sp;
  size_t i;
  int rc;
  LP_UNUSED(t);
  memset(&ml, 0, sizeof ml);
  rc = choose_date(m, h, a, arena, &ml);
  if (rc) return rc;
  /* title: the visible headline when the metadata agrees with it, else
   * the metadata's */
  it = best(m, "title");
  if (it) {
    rc = span_from(&sp, h, it, it->value, it->len, arena);
    if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "title", &sp);
    if (rc) return rc;
    if (a->title.text == NULL ||
        lp_word_share(a->title.text, a->title.len, it->value, it->len) < 500)
      a->title = sp;
  }
  /* outlet: the site's name */
  it = best(m, "site_name");
  if (it) {
    rc = span_from(&sp, h, it, it->value, it->len, arena);
    if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "site_name", &sp);
    if (rc) return rc;
    a->outlet = sp;
  }
  /* authors: every value of the best author rule that reads as a name */
  it = best(m, "author");
  if (it) {
    size_t n = 0;
    loupe_span *list = lp_arena_alloc(arena, (m->n + 1) * sizeof *list);
    if (list == NULL) return LOUPE_ENOMEM;
    for (i = 0; i < m->n; i++) {
      const item *x = &m->v[i];
      const char *s = x->value;
      size_t len = x->len, k;
      int dup = 0;
      if (strcmp(x->key, "author") != 0 || x->prio != it->prio) continue;
      if (lp_starts_ci(s, len, "by ")) { s += 3; len -= 3; }
      if (!author_like(s, len)) continue;
      for (k = 0; k < n; k++)
        if (list[k].len == len && memcmp(list[k].text, s, len) == 0) dup = 1;
      if (dup) continue;
      rc = span_from(&list[n], h, x, s, len, arena);
      if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "author", &list[n]);
      if (rc) return rc;
      n++;
    }
    if (n > 0 && a->n_authors == 0) {
      a->authors = list;
      a->n_authors = n;
    }
  }
  it = best(m, "section");
  if (it) {
    rc = span_from(&a->section, h, it, it->value, it->len, arena);
    if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "section", &a->section);
    if (rc) return rc;
  }
  it = best(m, "url");
  if (it) {
    rc = span_from(&a->url, h, it, it->value, it->len, arena);
    if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "url", &a->url);
    if (rc) return rc;
  }
  it = best(m, "description");
  if (it) {
    rc = span_from(&a->description, h, it, it->value, it->len, arena);
    if (rc == LOUPE_OK)
      rc = meta_push(&ml, arena, "description", &a->description);
    if (rc) return rc;
  }
  it = best(m, "lang");
  if (it) {
    char code[3];
    if (lang_code(it->value, it->len, code)) {
      rc = span_from(&sp, h, it, code, 2, arena);
      if (rc == LOUPE_OK) rc = meta_push(&ml, arena, "lang", &sp);
      if (rc) return rc;
      if (a->lang.text == NULL) a->lang = sp;
    }
  }
  a->meta = ml.v;
  a->n_meta = ml.n;
  return LOUPE_OK;
}

const char *lp_meta_headline(const lp_meta *m, size_t *len) {
  const item *it = best(m, "title");
  if (it == NULL) {
    *len = 0;
    return NULL;
  }
  *len = it->len;
  return it->value;
}

int lp_meta_any(const lp_meta *m) {
  return m->n > 0;
}
