/*
 * compile.c - a query compiled to one SQL statement with bound
 * parameters, and the terminals that run it: count, hits, ids, group
 * counts, quotes and keyword-in-context rows.
 *
 * The matching articles are found by an inner query that reads ids, rank
 * and dates only (ordered and paged there); the other columns are read
 * for the rows it returns, through a CTE. The search table goes first in
 * the join (CROSS JOIN) so filters never make SQLite probe it row by row.
 *
 * Two paged shapes avoid reading every match: in rank order without
 * filters the search table alone ranks and pages (no article row read per
 * match); in date order with a page the inner query walks the date index
 * and keeps the ids the search returns (a list SQLite builds once), so it
 * stops after the page instead of reading and sorting every match. Those
 * hits carry no rank: bm25 needs the whole doclist of every phrase, so
 * one rank costs as much as all of them; loupe_db_hit_rank reads it for
 * the hits that want it. Date orders are written as the date index orders
 * (NULLS LAST oldest first; NULL sorts last newest first anyway), so that
 * SQLite can walk it.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

/* What a statement is for. */
enum { SEL_HITS, SEL_IDS, SEL_GROUP, SEL_COUNT, SEL_KWIC, SEL_QUOTES };

/* A value to bind, in SQL parameter order. */
typedef enum { BIND_TEXT, BIND_INT, BIND_REGEX } bind_type;

typedef struct {
  bind_type type;
  const char *text;        /* BIND_TEXT: NULL binds the FTS5 expression */
  long long num;
} bind_val;

/* The SQL text and its values as they are written. rc is sticky: the
 * first failure (LOUPE_ENOMEM) is kept and every later append does
 * nothing, so the steps append without checking and the end checks once.
 * The values grow as needed; SQLite's limit on a statement's parameters
 * is checked before it is prepared. */
typedef struct {
  lp_buf sql;
  bind_val *bv;
  int nb, cap;
  int rc;
  char *until_hi;          /* the until bound's upper end (owned) */
} sql_text;

/* The shape of the statement (see the top of the file). */
typedef struct {
  int what;                /* SEL_* */
  int fts;                 /* the query has an FTS5 expression */
  int text;                /* ... with analyst text in it */
  int filtered;            /* anything beyond the expression */
  int paged;               /* a limit or an offset */
  int fts_only;            /* the search table alone ranks and pages */
  int date_scan;           /* the date index is walked, ids kept */
  int need_rank;           /* the inner query reads the rank */
  loupe_order order;       /* the order in effect */
  const char *inner_order, *outer_order;
} shape;

static void app(sql_text *t, const char *s) {
  if (t->rc == LOUPE_OK && lp_buf_append(&t->sql, s, strlen(s)))
    t->rc = LOUPE_ENOMEM;
}

static void bind(sql_text *t, bind_type type, const char *text,
                 long long num) {
  if (t->rc != LOUPE_OK) return;
  if (t->nb == t->cap) {
    int cap = t->cap ? 2 * t->cap : 32;
    bind_val *bv = cap > 0 && (size_t)cap < SIZE_MAX / sizeof *bv
                     ? realloc(t->bv, (size_t)cap * sizeof *bv) : NULL;
    if (bv == NULL) {
      t->rc = LOUPE_ENOMEM;
      return;
    }
    t->bv = bv;
    t->cap = cap;
  }
  t->bv[t->nb].type = type;
  t->bv[t->nb].text = text;
  t->bv[t->nb].num = num;
  t->nb++;
}

/* Append s and bind text to its one parameter. */
static void app_bind(sql_text *t, const char *s, const char *text) {
  app(t, s);
  bind(t, BIND_TEXT, text, 0);
}

static const char *filter_sql(loupe_filter k) {
  switch (k) {
  case LOUPE_F_OUTLET: return "a.outlet = ? COLLATE NOCASE";
  case LOUPE_F_CREDIT: return "a.credit = ? COLLATE NOCASE";
  case LOUPE_F_LANG: return "a.lang = ? COLLATE NOCASE";
  case LOUPE_F_ID: return "a.id = CAST(? AS INTEGER)";
  case LOUPE_F_AUTHOR:
    return "a.id IN (SELECT p.article_id FROM people p WHERE"
           " p.role = 'author' AND p.name = ? COLLATE NOCASE)";
  case LOUPE_F_SPEAKER:
    return "a.id IN (SELECT qu.article_id FROM quotes qu WHERE"
           " qu.speaker = ? COLLATE NOCASE)";
  case LOUPE_F_ENTITY:
    /* two parameters, both the value: the name, or one of the aliases */
    return "a.id IN (SELECT e.article_id FROM entities e WHERE"
           " e.name = ? COLLATE NOCASE OR e.name IN (SELECT e2.name FROM"
           " entities e2, json_each(e2.aliases) j WHERE j.value = ?))";
  case LOUPE_F_KIND:
  case LOUPE_F_QUOTE_TEXT:
    return "1";                       /* quote rows only: see SEL_QUOTES */
  }
  return "0";
}

/* The filter on the quote rows themselves for key k. */
static const char *quote_filter_sql(loupe_filter k) {
  return k == LOUPE_F_SPEAKER ? "qu.speaker = ? COLLATE NOCASE"
         : k == LOUPE_F_KIND ? "qu.kind = ?"
         : "instr(lower(qu.text), lower(?)) > 0";
}

/* Decide the statement's shape: the order in effect, which inner query,
 * and where the rank is read (only where it orders or hits carry it). */
static void plan_shape(const loupe_query *q, int what, shape *s) {
  loupe_order o = q->order;
  memset(s, 0, sizeof *s);
  s->what = what;
  s->fts = q->fts.len > 0;
  s->text = s->fts && q->has_text;
  s->filtered = q->since || q->until || q->n_filters > 0 || q->re ||
                q->quotes_only || q->collapse;
  s->paged = q->limit >= 0 || q->offset > 0;
  if (o == LOUPE_ORDER_DEFAULT)
    o = s->text ? LOUPE_ORDER_RANK : LOUPE_ORDER_DATE;
  if (o == LOUPE_ORDER_RANK && !s->fts) o = LOUPE_ORDER_DATE;
  s->order = o;
  if (s->fts && !s->filtered && o == LOUPE_ORDER_RANK && what != SEL_GROUP &&
      what != SEL_QUOTES)
    s->fts_only = 1;
  else if (s->fts && o != LOUPE_ORDER_RANK && s->paged && !q->collapse &&
           !q->re && what != SEL_GROUP && what != SEL_COUNT)
    s->date_scan = 1;
  s->need_rank = s->fts && !s->date_scan &&
                 (what == SEL_HITS || what == SEL_IDS || what == SEL_KWIC);
  if (o == LOUPE_ORDER_RANK) {
    s->inner_order = s->fts_only
                       ? " ORDER BY articles_fts.rank, articles_fts.rowid"
                       : " ORDER BY articles_fts.rank, a.id";
    s->outer_order = " ORDER BY m.rank, m.id";
  } else if (o == LOUPE_ORDER_DATE) {
    s->inner_order = " ORDER BY a.date NULLS LAST, a.id";
    s->outer_order = " ORDER BY m.date NULLS LAST, m.id";
  } else {
    s->inner_order = " ORDER BY a.date DESC, a.id DESC";
    s->outer_order = " ORDER BY m.date DESC, m.id DESC";
  }
}

/* What comes before the inner query: a count, a group count, or the
 * CTE m that the outer query reads. */
static void open_outer(sql_text *t, const loupe_query *q, int what,
                       const char *group_expr) {
  if (what == SEL_COUNT) {
    app(t, "SELECT count(*) FROM (");
  } else if (what == SEL_GROUP) {
    app(t, "SELECT ");
    app(t, group_expr);
    app(t, q->count_clusters
             ? " AS key, count(DISTINCT ckey) AS count FROM ("
             : " AS key, count(*) AS count FROM (");
  } else {
    /* hits, ids and kwic rows join m to nothing but articles, after it
     * (CROSS JOIN): SQLite may flatten m into one pass, sparing a temp
     * table; quotes are joined to another table, so m stays whole there */
    app(t, what == SEL_QUOTES ? "WITH m AS MATERIALIZED (" : "WITH m AS (");
  }
}

/* The inner query's columns and tables: ids, rank and the columns
 * groups need; collapsed, one row per republication cluster (its
 * earliest matching member). */
static void inner_select(sql_text *t, const loupe_query *q, const shape *s) {
  if (s->fts_only) {
    app(t, "SELECT articles_fts.rowid AS id");
    if (s->need_rank) app(t, ", articles_fts.rank AS rank");
    app_bind(t, " FROM articles_fts WHERE articles_fts MATCH ?", NULL);
    return;
  }
  app(t, q->collapse ? "SELECT min(a.id) AS id, min(a.date) AS date"
                     : "SELECT a.id AS id, a.date AS date");
  if (s->need_rank)
    app(t, q->collapse ? ", min(articles_fts.rank) AS rank"
                       : ", articles_fts.rank AS rank");
  if (s->what == SEL_GROUP)
    app(t, ", a.outlet AS outlet, a.credit AS credit,"
           " coalesce(a.cluster_id, -a.id) AS ckey");
  if (s->date_scan)
    /* "+" keeps SQLite from looking the ids up one by one and sorting */
    app_bind(t, " FROM articles a WHERE +a.id IN (SELECT rowid FROM"
                " articles_fts WHERE articles_fts MATCH ?)", NULL);
  else if (s->fts)
    app_bind(t, " FROM articles_fts CROSS JOIN articles a"
                " ON a.id = articles_fts.rowid"
                " WHERE articles_fts MATCH ?", NULL);
  else
    app(t, " FROM articles a WHERE 1");
}

/* The date bounds: until takes the whole of its day, month or year. */
static void inner_dates(sql_text *t, const loupe_query *q) {
  if (q->since) app_bind(t, " AND a.date >= ?", q->since);
  if (q->until && t->rc == LOUPE_OK) {
    size_t n = strlen(q->until);
    t->until_hi = malloc(n + 2);
    if (t->until_hi == NULL) {
      t->rc = LOUPE_ENOMEM;
      return;
    }
    memcpy(t->until_hi, q->until, n);
    t->until_hi[n] = '~';             /* sorts after every date character */
    t->until_hi[n + 1] = '\0';
    app_bind(t, " AND a.date <= ?", t->until_hi);
  }
}

/* The conditions of filter values at[lo..hi) OR-ed as a balanced tree:
 * SQLite refuses an expression more than 1,000 deep, and a flat chain of
 * N ORs is N deep; this one is log2(N). */
static void or_tree(sql_text *t, const loupe_query *q, const int *at,
                    int lo, int hi, const char *(*sql)(loupe_filter)) {
  if (hi - lo == 1) {
    const lp_filter_val *f = &q->filters[at[lo]];
    app(t, "(");
    app_bind(t, sql(f->key), f->value);
    if (f->key == LOUPE_F_ENTITY) bind(t, BIND_TEXT, f->value, 0);
    app(t, ")");
    return;
  }
  app(t, "(");
  or_tree(t, q, at, lo, lo + (hi - lo) / 2, sql);
  app(t, " OR ");
  or_tree(t, q, at, lo + (hi - lo) / 2, hi, sql);
  app(t, ")");
}

/* The filters of keys first..last (except skip): values of one key
 * OR-ed, keys AND-ed. sql gives a key's condition. */
static void filter_groups(sql_text *t, const loupe_query *q, int first,
                          int last, int skip,
                          const char *(*sql)(loupe_filter)) {
  int k, i, n;
  int *at;
  if (q->n_filters == 0 || t->rc) return;
  at = malloc((size_t)q->n_filters * sizeof *at);
  if (at == NULL) {
    t->rc = LOUPE_ENOMEM;
    return;
  }
  for (k = first; k <= last; k++) {
    if (k == skip) continue;
    for (i = 0, n = 0; i < q->n_filters; i++)
      if ((int)q->filters[i].key == k) at[n++] = i;
    if (n == 0) continue;
    app(t, " AND ");
    or_tree(t, q, at, 0, n, sql);
  }
  free(at);
}

/* The inner query's conditions beyond the expression. */
static void inner_where(sql_text *t, const loupe_query *q) {
  inner_dates(t, q);
  filter_groups(t, q, LOUPE_F_OUTLET, LOUPE_F_ENTITY, -1, filter_sql);
  if (q->quotes_only)
    app(t, " AND EXISTS (SELECT 1 FROM quotes qo WHERE"
           " qo.article_id = a.id)");
  if (q->re) {
    app(t, " AND loupe_match(?, a.body)");
    bind(t, BIND_REGEX, NULL, 0);
  }
  if (q->collapse) app(t, " GROUP BY coalesce(a.cluster_id, -a.id)");
}

/* The inner query's order and page, and its end. */
static void inner_order(sql_text *t, const loupe_query *q, const shape *s) {
  int what = s->what;
  if (q->collapse && what != SEL_COUNT && what != SEL_GROUP) {
    /* ordering after grouping uses the aggregates */
    app(t, s->order == LOUPE_ORDER_RANK ? " ORDER BY rank, id"
           : s->order == LOUPE_ORDER_DATE ? " ORDER BY date NULLS LAST, id"
           : " ORDER BY date DESC, id DESC");
  } else if (what != SEL_COUNT && what != SEL_GROUP) {
    app(t, s->inner_order);
  } else if (what == SEL_GROUP && s->paged) {
    /* a count of a page is the same in any order; a group's is not */
    app(t, q->collapse ? " ORDER BY id" : s->inner_order);
  }
  if (s->paged) {
    app(t, " LIMIT ? OFFSET ?");
    bind(t, BIND_INT, NULL, q->limit >= 0 ? q->limit : -1);
    bind(t, BIND_INT, NULL, q->offset);
  }
  app(t, ")");
}

/* The outer query: what the rows of each terminal hold. */
static void outer_select(sql_text *t, const loupe_query *q, const shape *s) {
  switch (s->what) {
  case SEL_COUNT:
    break;
  case SEL_GROUP:
    app(t, " GROUP BY key ORDER BY key IS NULL, key");
    break;
  case SEL_IDS:
    app(t, " SELECT m.id AS id FROM m");
    app(t, s->outer_order);
    break;
  case SEL_KWIC:
    app(t, " SELECT a.id, a.date, a.body FROM m CROSS JOIN"
           " articles a ON a.id = m.id");
    app(t, s->outer_order);
    break;
  case SEL_QUOTES:
    /* the quotes themselves, filtered by speaker, kind and text */
    app(t, " SELECT qu.text AS text, qu.speaker AS speaker,"
           " qu.role AS role, qu.cue AS cue, qu.kind AS kind,"
           " qu.offset AS offset, qu.paragraph AS paragraph,"
           " qu.src_line AS line, a.id AS article_id, a.date AS date,"
           " a.outlet AS outlet, a.title AS title,");
    /* how the speaker was found (schema 5; an older corpus opened
     * read-only has no such columns) */
    app(t, q->db->schema >= 5
               ? " qu.speaker_kind AS speaker_kind, qu.mention AS mention,"
                 " qu.rule AS rule"
               : " NULL AS speaker_kind, NULL AS mention, NULL AS rule");
    app(t, " FROM m JOIN quotes qu ON qu.article_id = m.id"
           " JOIN articles a ON a.id = m.id WHERE 1");
    filter_groups(t, q, LOUPE_F_SPEAKER, LOUPE_F_QUOTE_TEXT, LOUPE_F_ENTITY,
                  quote_filter_sql);
    app(t, " ORDER BY m.date IS NULL, m.date, m.id, qu.n");
    break;
  default:
    app(t, " SELECT " LP_HIT_COLS);
    if (s->text && !s->date_scan) app(t, ", m.rank AS rank");
    app(t, " FROM m CROSS JOIN articles a ON a.id = m.id");
    app(t, s->outer_order);
    break;
  }
}

/* Prepare the statement t wrote and bind its values. */
static int prepare_bound(loupe_query *q, sql_text *t, sqlite3_stmt **out) {
  loupe_db *db = q->db;
  int i, rc;
  if (t->rc) {
    snprintf(q->errmsg, sizeof q->errmsg, "out of memory");
    return t->rc;
  }
  if (t->nb > sqlite3_limit(db->sql, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) {
    snprintf(q->errmsg, sizeof q->errmsg, "the query has %d filter and"
             " search values, over SQLite's limit of %d in one statement"
             " (SQLITE_MAX_VARIABLE_NUMBER when SQLite is built): split the"
             " filter lists", t->nb,
             sqlite3_limit(db->sql, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    return LOUPE_ELIMIT;
  }
  rc = sqlite3_prepare_v3(db->sql, t->sql.p, (int)t->sql.len, 0, out, NULL);
  if (rc != SQLITE_OK) {
    rc = lp_db_error(db, rc, "prepare query");
    snprintf(q->errmsg, sizeof q->errmsg, "%s", db->errmsg);
    *out = NULL;
    return rc;
  }
  for (i = 0; i < t->nb; i++) {
    const bind_val *v = &t->bv[i];
    if (v->type == BIND_TEXT)
      sqlite3_bind_text(*out, i + 1, v->text ? v->text : q->fts.p,
                        v->text ? -1 : (int)q->fts.len, SQLITE_TRANSIENT);
    else if (v->type == BIND_INT)
      sqlite3_bind_int64(*out, i + 1, v->num);
    else
      sqlite3_bind_pointer(*out, i + 1, q->re, "loupe_regex", NULL);
  }
  return LOUPE_OK;
}

/* Build and prepare the statement for one use of the query. */
static int compile(loupe_query *q, int what, const char *group_expr,
                   sqlite3_stmt **out) {
  sql_text t;
  shape s;
  int rc;
  *out = NULL;
  if (q->db == NULL || q->db->sql == NULL) {
    snprintf(q->errmsg, sizeof q->errmsg, "the corpus is closed");
    return LOUPE_EMISUSE;
  }
  memset(&t, 0, sizeof t);
  plan_shape(q, what, &s);
  if (what == SEL_COUNT && s.fts && !s.filtered && !s.paged) {
    /* a bare full-text count needs no article rows at all */
    app_bind(&t, "SELECT count(*) FROM articles_fts WHERE articles_fts"
                 " MATCH ?", NULL);
  } else {
    open_outer(&t, q, what, group_expr);
    inner_select(&t, q, &s);
    if (!s.fts_only) inner_where(&t, q);
    inner_order(&t, q, &s);
    outer_select(&t, q, &s);
  }
  rc = prepare_bound(q, &t, out);
  free(t.until_hi);
  free(t.bv);
  lp_buf_free(&t.sql);
  return rc;
}

int loupe_query_count(loupe_query *q, long long *n) {
  sqlite3_stmt *st = NULL;
  int rc = compile(q, SEL_COUNT, NULL, &st);
  *n = 0;
  if (rc) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *n = sqlite3_column_int64(st, 0);
    rc = LOUPE_OK;
  } else {
    rc = lp_step_error(q->db, rc, q->re, q->fts.len > 0, q->errmsg,
                       sizeof q->errmsg);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Compile the query for what and wrap the statement in a cursor of kind
 * m (kw and width: a kwic cursor's) tracked by the database. The
 * statement binds the query's regex, so the cursor takes it over: a query
 * runs one terminal. kw is taken over, freed on failure. */
static int run_cursor(loupe_query *q, int what, const char *group_expr,
                      loupe_regex *kw, int width, loupe_cursor **out) {
  sqlite3_stmt *st = NULL;
  int rc;
  *out = NULL;
  rc = compile(q, what, group_expr, &st);
  if (rc) {
    loupe_regex_free(kw);
    return rc;
  }
  rc = what == SEL_KWIC ? lp_kwic_cursor(q->db, st, kw, width, out)
                        : lp_cursor_new(q->db, st, &lp_sql_cursor, NULL, out);
  if (rc) return lp_query_nomem(q);
  (*out)->fts = q->fts.len > 0;
  (*out)->re = q->re;
  q->re = NULL;
  return LOUPE_OK;
}

int loupe_query_quotes(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_QUOTES, NULL, NULL, 0, out);
}

int loupe_query_hits(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_HITS, NULL, NULL, 0, out);
}

int loupe_query_ids(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_IDS, NULL, NULL, 0, out);
}

int loupe_query_group(loupe_query *q, loupe_group by, loupe_cursor **out) {
  const char *expr;
  switch (by) {
  case LOUPE_GROUP_YEAR: expr = "substr(date, 1, 4)"; break;
  case LOUPE_GROUP_MONTH: expr = "substr(date, 1, 7)"; break;
  case LOUPE_GROUP_DAY: expr = "substr(date, 1, 10)"; break;
  case LOUPE_GROUP_OUTLET: expr = "outlet"; break;
  case LOUPE_GROUP_CREDIT: expr = "credit"; break;
  default:
    snprintf(q->errmsg, sizeof q->errmsg, "unknown grouping %d", (int)by);
    return LOUPE_EINVAL;
  }
  return run_cursor(q, SEL_GROUP, expr, NULL, 0, out);
}

/* Escape a literal for PCRE2: every ASCII punctuation byte gets a
 * backslash; letters, digits, spaces and UTF-8 bytes stay. */
static char *escape_literal(const char *s) {
  size_t n = strlen(s), i, k = 0;
  char *p = malloc(n * 2 + 1);
  if (p == NULL) return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80 && !((c >= '0' && c <= '9') || ((c | 32) >= 'a' &&
                                                  (c | 32) <= 'z') || c == ' '))
      p[k++] = '\\';
    p[k++] = (char)c;
  }
  p[k] = '\0';
  return p;
}

int loupe_query_kwic(loupe_query *q, const char *term, int is_regex,
                     const char *flags, int width, loupe_cursor **out) {
  char err[200];
  loupe_regex *kw = NULL;
  int rc;
  *out = NULL;
  if (term == NULL || *term == '\0') {
    snprintf(q->errmsg, sizeof q->errmsg, "kwic needs a term");
    return LOUPE_EINVAL;
  }
  if (width <= 0) {
    snprintf(q->errmsg, sizeof q->errmsg, "kwic: width %d is not positive",
             width);
    return LOUPE_EINVAL;
  }
  if (is_regex) {
    rc = loupe_regex_new(term, strlen(term), flags, &q->re_limits, &kw, err,
                         sizeof err);
  } else {
    char *lit = escape_literal(term);
    if (lit == NULL) return lp_query_nomem(q);
    rc = loupe_regex_new(lit, strlen(lit), "i", &q->re_limits, &kw, err,
                         sizeof err);
    free(lit);
  }
  if (rc) {
    snprintf(q->errmsg, sizeof q->errmsg, "kwic: %s", err);
    return rc;
  }
  return run_cursor(q, SEL_KWIC, NULL, kw, width, out);
}
