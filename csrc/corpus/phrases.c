/*
 * phrases.c - talking points: word sequences that recur across separate
 * articles (counted by republication cluster, so copies of one story
 * count once), grown to their longest shared form, with the spelling
 * variants folded ("cyber attacks" / "cyberattacks", "U.S." / "US").
 *
 * Every text is read into normalised word ids. Anchors (n-grams kept by
 * winnowing) are counted by distinct cluster; each
 * anchor shared widely enough is grown left and right while enough of
 * its occurrences agree on the next word. Results go to the temporary
 * table temp.loupe_talking_points that a cursor then reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"


typedef struct {
  uint32_t *tok;          /* word hashes, all texts back to back */
  uint32_t *off;          /* byte offset of each word in its text */
  size_t ntok, cap;
  size_t *start;          /* text i is tok[start[i], start[i + 1]) */
  long long *cluster, *article;
  long long *quote;       /* the quote's id (one speaker's quotes) or 0 */
  char **date, **outlet, **speaker;
  size_t ntext, tcap;
} corpus_text;

typedef struct {
  uint64_t h;             /* n-gram hash, 0 = empty */
  uint32_t clusters;      /* distinct clusters seen */
  long long last;         /* last cluster seen (texts come cluster-sorted) */
} anchor;

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

static int wb(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

static uint32_t hash_word(const char *w, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) {
    unsigned char c = (unsigned char)w[k];
    if (c >= 'A' && c <= 'Z') c |= 32;
    h = (h ^ c) * 16777619u;
  }
  return h ? h : 1;
}

/* A set of word hashes (the vocabulary compounds are checked against). */
typedef struct {
  uint32_t *h;
  size_t mask, used;
} word_set;

static int ws_add(word_set *s, uint32_t h) {
  size_t k;
  if (s->used * 2 >= s->mask) {
    size_t i, cap = (s->mask + 1) * 2;
    uint32_t *nh = calloc(cap, sizeof *nh);
    if (nh == NULL) return LOUPE_ENOMEM;
    for (i = 0; i <= s->mask; i++)
      if (s->h[i]) {
        k = s->h[i] & (cap - 1);
        while (nh[k]) k = (k + 1) & (cap - 1);
        nh[k] = s->h[i];
      }
    free(s->h);
    s->h = nh;
    s->mask = cap - 1;
  }
  k = h & s->mask;
  while (s->h[k] && s->h[k] != h) k = (k + 1) & s->mask;
  if (!s->h[k]) {
    s->h[k] = h;
    s->used++;
  }
  return LOUPE_OK;
}

static int ws_has(const word_set *s, uint32_t h) {
  size_t k = h & s->mask;
  while (s->h[k]) {
    if (s->h[k] == h) return 1;
    k = (k + 1) & s->mask;
  }
  return 0;
}

/* Words of s: letters and digits; "U.S." reads as one word "us"; the
 * possessive 's joins its word ("world's" -> "worlds"). */
static size_t next_word(const char *s, size_t n, size_t i, char *buf,
                        size_t cap, size_t *len) {
  size_t k = 0;
  while (i < n && !wb((unsigned char)s[i])) i++;
  while (i < n && k + 1 < cap) {
    if (wb((unsigned char)s[i])) {
      buf[k++] = s[i++];
    } else if ((s[i] == '.' && i + 1 < n && wb((unsigned char)s[i + 1]) &&
                k == 1 && i + 2 < n && s[i + 2] == '.') ||
               (s[i] == '.' && k >= 1 && k <= 3 && i >= 2 && s[i - 2] == '.')) {
      i++;                      /* dots inside an abbreviation (U.S.) */
    } else if (s[i] == '\'' && i + 1 < n && (s[i + 1] | 32) == 's' &&
               (i + 2 >= n || !wb((unsigned char)s[i + 2]))) {
      i++;
    } else if ((unsigned char)s[i] == 0xE2 && i + 3 < n &&
               (unsigned char)s[i + 1] == 0x80 &&
               (unsigned char)s[i + 2] == 0x99 && (s[i + 3] | 32) == 's') {
      i += 3;                   /* ’s */
    } else {
      break;
    }
  }
  *len = k;
  return i;
}

static int push_tok(corpus_text *c, uint32_t t, uint32_t off) {
  if (c->ntok == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 65536;
    uint32_t *nt = realloc(c->tok, cap * sizeof *nt);
    uint32_t *no;
    if (nt == NULL) return LOUPE_ENOMEM;
    c->tok = nt;
    no = realloc(c->off, cap * sizeof *no);
    if (no == NULL) return LOUPE_ENOMEM;
    c->off = no;
    c->cap = cap;
  }
  c->tok[c->ntok] = t;
  c->off[c->ntok] = off;
  c->ntok++;
  return LOUPE_OK;
}

static char *dup_col(sqlite3_stmt *st, int col) {
  const unsigned char *t = sqlite3_column_text(st, col);
  size_t n;
  char *p;
  if (t == NULL) return NULL;
  n = (size_t)sqlite3_column_bytes(st, col);
  p = malloc(n + 1);
  if (p) {
    memcpy(p, t, n);
    p[n] = '\0';
  }
  return p;
}

static void free_text(corpus_text *c) {
  size_t i;
  for (i = 0; i < c->ntext; i++) {
    free(c->date[i]);
    free(c->outlet[i]);
    free(c->speaker[i]);
  }
  free(c->tok);
  free(c->off);
  free(c->start);
  free(c->cluster);
  free(c->article);
  free(c->date);
  free(c->outlet);
  free(c->speaker);
  free(c->quote);
}

/*
 * Read the texts (article bodies, or the quotes of one speaker), ordered
 * by cluster. Pass 0 collects the vocabulary; pass 1 stores word hashes,
 * folding a compound split in two ("cyber attacks") into the corpus's
 * one-word form ("cyberattacks") when that form occurs anywhere.
 */
static int load_texts(loupe_db *db, const loupe_tp_options *o,
                      corpus_text *c) {
  sqlite3_stmt *st = NULL;
  word_set vocab = {0};
  char buf[64], prev[64];
  int rc = LOUPE_OK, pass;
  const char *sql = o->speaker
    ? "SELECT a.id, coalesce(a.cluster_id, -a.id), a.date, a.outlet,"
      " qu.text, qu.speaker, qu.id FROM quotes qu JOIN articles a"
      " ON a.id = qu.article_id WHERE qu.speaker = ?1 COLLATE NOCASE"
      " AND (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date <= ?3)"
      " ORDER BY 2, a.id"
    : "SELECT a.id, coalesce(a.cluster_id, -a.id), a.date, a.outlet,"
      " a.body, (SELECT json_group_array(DISTINCT qu.speaker) FROM quotes qu"
      "  WHERE qu.article_id = a.id AND qu.speaker IS NOT NULL)"
      " FROM articles a WHERE (?1 IS NULL OR 1) AND"
      " (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date <= ?3)"
      " ORDER BY 2, a.id";
  vocab.h = calloc(1024, sizeof *vocab.h);
  vocab.mask = 1023;
  if (vocab.h == NULL) return LOUPE_ENOMEM;
  for (pass = 0; pass < 2 && rc == LOUPE_OK; pass++) {
    rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
      rc = lp_db_error(db, rc, "talking points");
      break;
    }
    if (o->speaker) sqlite3_bind_text(st, 1, o->speaker, -1, SQLITE_STATIC);
    if (o->since) sqlite3_bind_text(st, 2, o->since, -1, SQLITE_STATIC);
    if (o->until) {
      char hi[40];
      snprintf(hi, sizeof hi, "%.30s~", o->until);
      sqlite3_bind_text(st, 3, hi, -1, SQLITE_TRANSIENT);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *s = (const char *)sqlite3_column_text(st, 4);
      size_t n = (size_t)sqlite3_column_bytes(st, 4), i = 0, len, plen = 0;
      if (s == NULL) continue;
      if (pass == 1) {
        if (c->ntext + 2 > c->tcap) {
          size_t cap = c->tcap ? c->tcap * 2 : 1024;
          void *np;
#define GROW(field) \
          np = realloc(c->field, cap * sizeof *c->field); \
          if (np == NULL) { rc = LOUPE_ENOMEM; break; } \
          c->field = np;
          GROW(start) GROW(cluster) GROW(article) GROW(date) GROW(outlet)
          GROW(speaker) GROW(quote)
#undef GROW
          c->tcap = cap;
        }
        c->start[c->ntext] = c->ntok;
        c->article[c->ntext] = sqlite3_column_int64(st, 0);
        c->cluster[c->ntext] = sqlite3_column_int64(st, 1);
        c->date[c->ntext] = dup_col(st, 2);
        c->outlet[c->ntext] = dup_col(st, 3);
        c->speaker[c->ntext] = dup_col(st, 5);
        c->quote[c->ntext] = o->speaker ? sqlite3_column_int64(st, 6) : 0;
        c->ntext++;
      }
      while (i < n) {
        size_t at;
        uint32_t h;
        while (i < n && !wb((unsigned char)s[i])) i++;
        at = i;
        i = next_word(s, n, i, buf, sizeof buf, &len);
        if (len == 0) { if (i == at) i++; continue; }
        h = hash_word(buf, len);
        if (pass == 0) {
          if (ws_add(&vocab, h)) { rc = LOUPE_ENOMEM; break; }
          continue;
        }
        if (plen > 0 && plen + len < sizeof prev) {
          memcpy(prev + plen, buf, len);
          if (ws_has(&vocab, hash_word(prev, plen + len)) && plen >= 3 &&
              len >= 3) {
            c->tok[c->ntok - 1] = hash_word(prev, plen + len);
            plen = 0;
            continue;
          }
        }
        if (push_tok(c, h, (uint32_t)at)) { rc = LOUPE_ENOMEM; break; }
        memcpy(prev, buf, len);
        plen = len;
      }
      if (rc == LOUPE_ENOMEM) break;
      if (pass == 1) c->start[c->ntext] = c->ntok;
    }
    if (rc == SQLITE_DONE) rc = LOUPE_OK;
    else if (rc != LOUPE_ENOMEM) rc = lp_db_error(db, rc, "talking points");
    sqlite3_finalize(st);
    st = NULL;
  }
  free(vocab.h);
  return rc;
}

/* n-gram hash at position p (n words). */
static uint64_t gram(const uint32_t *tok, size_t p, int n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  int k;
  for (k = 0; k < n; k++) h = mix64(h ^ tok[p + (size_t)k]);
  return h ? h : 1;
}

/* The n-gram hashes of text i into *buf (grown as needed). */
static int grams_of(const corpus_text *c, size_t i, int n, uint64_t **buf,
                    size_t *cap) {
  size_t m, p, st = c->start[i], en = c->start[i + 1];
  if (en - st < (size_t)n) return LOUPE_OK;
  m = en - st - (size_t)n + 1;
  if (m > *cap) {
    uint64_t *nb = realloc(*buf, m * sizeof *nb);
    if (nb == NULL) return LOUPE_ENOMEM;
    *buf = nb;
    *cap = m;
  }
  for (p = 0; p < m; p++) (*buf)[p] = gram(c->tok, st + p, n);
  return LOUPE_OK;
}

/* Winnowing with windows of two: each pair of neighbouring n-grams keeps
 * its smaller hash, so any shared run of n+1 words holds an anchor that
 * every copy selects, while about two thirds of positions are kept. */
static int anchor_at(const uint64_t *g, size_t p, size_t m) {
  if (m == 1) return 1;
  if (p + 1 < m && g[p] < g[p + 1]) return 1;
  if (p > 0 && g[p] <= g[p - 1]) return 1;
  return 0;
}

typedef struct {
  uint64_t h;
  uint32_t text;
  uint32_t pos;
} occ;

static int cmp_occ(const void *x, const void *y) {
  const occ *a = x, *b = y;
  if (a->h != b->h) return a->h < b->h ? -1 : 1;
  if (a->text != b->text) return a->text < b->text ? -1 : 1;
  return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Distinct clusters among the active occurrences. */
static size_t clusters_of(const corpus_text *c, const occ *o,
                          const unsigned char *on, size_t n) {
  size_t i, d = 0;
  long long last = 0;
  int have = 0;
  for (i = 0; i < n; i++)            /* sorted by text = by cluster */
    if (on[i]) {
      long long cl = c->cluster[o[i].text];
      if (!have || cl != last) d++;
      last = cl;
      have = 1;
    }
  return d;
}

/* Grow the phrase of one anchor group: while at least min occurrences'
 * clusters agree on the next word, extend (right, then left). */
static void grow(const corpus_text *c, const occ *o, unsigned char *on,
                 size_t n, int len, size_t minc, int *left, int *right) {
  int dir;
  *left = 0;
  *right = len;
  for (dir = 1; dir >= -1; dir -= 2) {
    for (;;) {
      size_t i, best_n = 0;
      uint32_t best = 0;
      int step = dir > 0 ? *right : *left - 1;
      /* the commonest next word among active occurrences */
      for (i = 0; i < n; i++) {
        size_t j, cnt = 0;
        uint32_t w;
        size_t p, st = c->start[o[i].text], en = c->start[o[i].text + 1];
        if (!on[i]) continue;
        if (step < 0 && o[i].pos < (uint32_t)(-step)) continue;
        p = (size_t)((long long)o[i].pos + step);
        if (p < st || p >= en) continue;
        w = c->tok[p];
        for (j = 0; j < n; j++) {
          size_t q, sj = c->start[o[j].text], ej = c->start[o[j].text + 1];
          if (!on[j]) continue;
          if (step < 0 && o[j].pos < (uint32_t)(-step)) continue;
          q = (size_t)((long long)o[j].pos + step);
          if (q >= sj && q < ej && c->tok[q] == w) cnt++;
        }
        if (cnt > best_n) { best_n = cnt; best = w; }
        if (n > 64) break;                 /* bounded work per group */
      }
      if (best_n == 0) break;
      {
        unsigned char *keep = malloc(n);
        size_t kept;
        if (keep == NULL) break;
        for (i = 0; i < n; i++) {
          size_t p, st = c->start[o[i].text], en = c->start[o[i].text + 1];
          keep[i] = 0;
          if (!on[i]) continue;
          if (step < 0 && o[i].pos < (uint32_t)(-step)) continue;
          p = (size_t)((long long)o[i].pos + step);
          keep[i] = p >= st && p < en && c->tok[p] == best;
        }
        kept = clusters_of(c, o, keep, n);
        /* grow only while every cluster that shares the phrase so far
         * shares the longer form: the phrase keeps its full support */
        if (kept >= minc && kept >= clusters_of(c, o, on, n) &&
            (*right - *left) < 200) {
          memcpy(on, keep, n);
          if (dir > 0) (*right)++;
          else (*left)--;
          free(keep);
          continue;
        }
        free(keep);
        break;
      }
    }
  }
}

/* Append s as a JSON string to b when not already among seen (a list of
 * up to cap strings); returns ENOMEM or OK. */
static int add_unique(lp_buf *b, const char **seen, size_t *n, size_t cap,
                      const char *s, size_t len) {
  size_t i;
  char *copy;
  for (i = 0; i < *n; i++)
    if (strlen(seen[i]) == len && memcmp(seen[i], s, len) == 0)
      return LOUPE_OK;
  if (*n >= cap) return LOUPE_OK;
  copy = malloc(len + 1);
  if (copy == NULL) return LOUPE_ENOMEM;
  memcpy(copy, s, len);
  copy[len] = '\0';
  seen[(*n)++] = copy;
  if (b->len > 1 && lp_buf_append(b, ",", 1)) return LOUPE_ENOMEM;
  return lp_json_string(b, s, len);
}

#define MAX_LIST 32

int loupe_db_talking_points(loupe_db *db, const loupe_tp_options *o,
                            loupe_cursor **out) {
  corpus_text c;
  anchor *an = NULL;
  occ *oc = NULL;
  size_t amask = 0, i, noc = 0, ocap = 0, nk = 0;
  uint64_t *done = NULL, *gb = NULL;
  size_t dmask = 0, gcap = 0;
  sqlite3_stmt *ins = NULL, *body = NULL;
  unsigned char *on = NULL;
  int rc, n = o->min_words > 2 ? o->min_words : 6;
  size_t minc = (size_t)(o->min_articles >= 1 ? o->min_articles : 3);
  int miny = o->min_years > 0 ? o->min_years : 1;

  *out = NULL;
  memset(&c, 0, sizeof c);
  rc = load_texts(db, o, &c);
  if (rc) goto out;
  rc = LOUPE_ENOMEM;
  /* anchors: a 1-in-SAMPLE sample of the n-grams, by distinct cluster */
  for (amask = 1024; amask < c.ntok * 3 / 2 + 2; amask <<= 1) {}
  an = calloc(amask, sizeof *an);
  if (an == NULL) goto out;
  amask--;
  for (i = 0; i < c.ntext; i++) {
    size_t p;
    if (grams_of(&c, i, n, &gb, &gcap)) goto out;
    for (p = c.start[i]; p + (size_t)n <= c.start[i + 1]; p++) {
      uint64_t g = gb[p - c.start[i]];
      size_t k;
      if (!anchor_at(gb, p - c.start[i],
                     c.start[i + 1] - c.start[i] - (size_t)n + 1))
        continue;
      k = (size_t)(g >> 3) & amask;
      while (an[k].h && an[k].h != g) k = (k + 1) & amask;
      if (!an[k].h) { an[k].h = g; an[k].last = c.cluster[i]; an[k].clusters = 1; }
      else if (an[k].last != c.cluster[i]) {
        an[k].last = c.cluster[i];
        an[k].clusters++;
      }
    }
  }
  /* occurrences of the anchors shared by enough clusters */
  for (i = 0; i < c.ntext; i++) {
    size_t p;
    if (grams_of(&c, i, n, &gb, &gcap)) goto out;
    for (p = c.start[i]; p + (size_t)n <= c.start[i + 1]; p++) {
      uint64_t g = gb[p - c.start[i]];
      size_t k;
      if (!anchor_at(gb, p - c.start[i],
                     c.start[i + 1] - c.start[i] - (size_t)n + 1))
        continue;
      k = (size_t)(g >> 3) & amask;
      while (an[k].h && an[k].h != g) k = (k + 1) & amask;
      if (an[k].clusters < minc) continue;
      if (noc == ocap) {
        size_t cap = ocap ? ocap * 2 : 4096;
        occ *no = realloc(oc, cap * sizeof *no);
        if (no == NULL) goto out;
        oc = no;
        ocap = cap;
      }
      oc[noc].h = g;
      oc[noc].text = (uint32_t)i;
      oc[noc].pos = (uint32_t)p;
      noc++;
    }
  }
  free(an);
  an = NULL;
  if (noc > 1) qsort(oc, noc, sizeof *oc, cmp_occ);
  for (dmask = 1024; dmask < noc * 2 + 2; dmask <<= 1) {}
  done = calloc(dmask, sizeof *done);
  on = malloc(noc ? noc : 1);
  if (done == NULL || on == NULL) goto out;
  dmask--;
  rc = sqlite3_exec(db->sql,
    "DROP TABLE IF EXISTS temp.loupe_talking_points;"
    "CREATE TEMP TABLE loupe_talking_points(text TEXT, words INTEGER,"
    " first TEXT, last TEXT, articles INTEGER, clusters INTEGER,"
    " years TEXT, speakers TEXT, outlets TEXT, variants TEXT)",
    NULL, NULL, NULL);
  if (rc != SQLITE_OK) { rc = lp_db_error(db, rc, "talking points"); goto out; }
  rc = sqlite3_prepare_v2(db->sql,
    "INSERT INTO temp.loupe_talking_points VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8, ?9, ?10)", -1, &ins, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db->sql, o->speaker
      ? "SELECT text FROM quotes WHERE id = ?1"
      : "SELECT body FROM articles WHERE id = ?1", -1, &body, NULL);
  if (rc != SQLITE_OK) { rc = lp_db_error(db, rc, "talking points"); goto out; }
  rc = LOUPE_ENOMEM;
  for (i = 0; i < noc;) {
    size_t e = i + 1, k, nocc, arts = 0, years = 0, nv = 0, ns = 0, nout = 0;
    int left, right;
    uint64_t key = 0x12345;
    const char *first = NULL, *last = NULL;
    char yearbuf[400];
    const char *vseen[MAX_LIST], *sseen[MAX_LIST], *oseen[MAX_LIST];
    lp_buf vb = {0}, sb = {0}, ob = {0};
    long long last_art = 0;
    size_t dk;
    int skip = 0;
    while (e < noc && oc[e].h == oc[i].h) e++;
    nocc = e - i;
    memset(on, 1, nocc);
    grow(&c, oc + i, on, nocc, n, minc, &left, &right);
    /* the phrase: words [pos + left, pos + right) of an active occurrence */
    for (k = 0; k < nocc; k++) if (on[k]) break;
    if (k == nocc) { i = e; continue; }
    {
      int w;
      size_t p0 = (size_t)((long long)oc[i + k].pos + left);
      for (w = 0; w < right - left; w++) key = mix64(key ^ c.tok[p0 + (size_t)w]);
    }
    dk = (size_t)key & dmask;
    while (done[dk] && done[dk] != key) dk = (dk + 1) & dmask;
    if (done[dk] == key) skip = 1;
    done[dk] = key;
    if (skip) { i = e; continue; }
    /* what the supporting occurrences say */
    yearbuf[0] = '\0';
    if (lp_buf_append(&vb, "[", 1) || lp_buf_append(&sb, "[", 1) ||
        lp_buf_append(&ob, "[", 1))
      goto phrase_oom;
    {
      char ys[64][5];
      int yc[64], ny = 0, y;
      for (k = 0; k < nocc; k++) {
        const occ *x = &oc[i + k];
        const char *d = c.date[x->text];
        if (!on[k]) continue;
        if (c.article[x->text] != last_art) arts++;
        last_art = c.article[x->text];
        if (d) {
          if (!first || strcmp(d, first) < 0) first = d;
          if (!last || strcmp(d, last) > 0) last = d;
          for (y = 0; y < ny; y++) if (memcmp(ys[y], d, 4) == 0) break;
          if (y == ny && ny < 64) { memcpy(ys[ny], d, 4); ys[ny][4] = '\0'; yc[ny++] = 0; }
          if (y < 64) yc[y]++;
        }
        if (c.outlet[x->text] &&
            add_unique(&ob, oseen, &nout, MAX_LIST, c.outlet[x->text],
                       strlen(c.outlet[x->text])))
          goto phrase_oom;
        if (c.speaker[x->text]) {
          /* a JSON array from SQL, or one name */
          const char *sp = c.speaker[x->text];
          if (sp[0] == '[') {
            const char *q = sp;
            while ((q = strchr(q, '"')) != NULL) {
              const char *qe = strchr(q + 1, '"');
              if (qe == NULL) break;
              if (add_unique(&sb, sseen, &ns, MAX_LIST, q + 1,
                             (size_t)(qe - q - 1)))
                goto phrase_oom;
              q = qe + 1;
            }
          } else if (add_unique(&sb, sseen, &ns, MAX_LIST, sp, strlen(sp))) {
            goto phrase_oom;
          }
        }
        /* the words as printed, for the first few occurrences */
        if (nv < 8) {
          size_t p0 = (size_t)((long long)x->pos + left);
          size_t p1 = (size_t)((long long)x->pos + right);
          sqlite3_reset(body);
          /* the text the offsets are in: the quote itself, or the body */
          sqlite3_bind_int64(body, 1, o->speaker ? c.quote[x->text]
                                                 : c.article[x->text]);
          while (sqlite3_step(body) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(body, 0);
            size_t tl = (size_t)sqlite3_column_bytes(body, 0);
            size_t a0 = c.off[p0];
            size_t a1 = p1 < c.start[x->text + 1] ? c.off[p1] : tl;
            if (t == NULL || a1 > tl || a0 >= a1) continue;
            while (a1 > a0 && !wb((unsigned char)t[a1 - 1])) a1--;
            if (a1 - a0 < 400 &&
                add_unique(&vb, vseen, &nv, 8, t + a0, a1 - a0))
              goto phrase_oom;
            break;
          }
        }
      }
      years = (size_t)ny;
      {
        size_t yl = 0;
        for (y = 0; y < ny && yl + 16 < sizeof yearbuf; y++)
          yl += (size_t)snprintf(yearbuf + yl, sizeof yearbuf - yl, "%s%s:%d",
                                 y ? " " : "", ys[y], yc[y]);
      }
    }
    if (lp_buf_append(&vb, "]", 1) || lp_buf_append(&sb, "]", 1) ||
        lp_buf_append(&ob, "]", 1))
      goto phrase_oom;
    if ((int)years >= miny && nv > 0) {
      sqlite3_reset(ins);
      sqlite3_bind_text(ins, 1, vseen[0], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(ins, 2, right - left);
      if (first) sqlite3_bind_text(ins, 3, first, -1, SQLITE_TRANSIENT);
      else sqlite3_bind_null(ins, 3);
      if (last) sqlite3_bind_text(ins, 4, last, -1, SQLITE_TRANSIENT);
      else sqlite3_bind_null(ins, 4);
      sqlite3_bind_int64(ins, 5, (sqlite3_int64)arts);
      sqlite3_bind_int64(ins, 6, (sqlite3_int64)clusters_of(&c, oc + i, on, nocc));
      sqlite3_bind_text(ins, 7, yearbuf, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 8, sb.p, (int)sb.len, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 9, ob.p, (int)ob.len, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 10, vb.p, (int)vb.len, SQLITE_TRANSIENT);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        rc = lp_db_error(db, sqlite3_errcode(db->sql), "talking points");
        for (k = 0; k < nv; k++) free((void *)vseen[k]);
        for (k = 0; k < ns; k++) free((void *)sseen[k]);
        for (k = 0; k < nout; k++) free((void *)oseen[k]);
        lp_buf_free(&vb); lp_buf_free(&sb); lp_buf_free(&ob);
        goto out;
      }
      nk++;
    }
    for (k = 0; k < nv; k++) free((void *)vseen[k]);
    for (k = 0; k < ns; k++) free((void *)sseen[k]);
    for (k = 0; k < nout; k++) free((void *)oseen[k]);
    lp_buf_free(&vb);
    lp_buf_free(&sb);
    lp_buf_free(&ob);
    i = e;
    continue;
phrase_oom:
    for (k = 0; k < nv; k++) free((void *)vseen[k]);
    for (k = 0; k < ns; k++) free((void *)sseen[k]);
    for (k = 0; k < nout; k++) free((void *)oseen[k]);
    lp_buf_free(&vb);
    lp_buf_free(&sb);
    lp_buf_free(&ob);
    goto out;
  }
  (void)nk;
  rc = lp_simple_cursor(db,
    "SELECT * FROM temp.loupe_talking_points"
    " ORDER BY clusters DESC, words DESC, first", out);
out:
  if (rc == LOUPE_ENOMEM) snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
  sqlite3_finalize(ins);
  sqlite3_finalize(body);
  free(an);
  free(oc);
  free(done);
  free(gb);
  free(on);
  free_text(&c);
  return rc;
}
