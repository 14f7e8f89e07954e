/*
 * query.c - query objects compiled to one SQL statement with bound
 * parameters: FTS5 text (analyst words quoted as literal terms, phrases,
 * NEAR groups), filters, date bounds, a regex post-filter run inside
 * SQLite through loupe_match(), ordering and paging; and the cursors that
 * step through hits, group counts and keyword-in-context rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

#define MAX_FILTERS 64
#define MAX_BINDS (MAX_FILTERS + 16)

typedef struct {
  loupe_filter key;
  char *value;
} filter_val;

struct loupe_query {
  loupe_db *db;
  lp_buf fts;              /* FTS5 expression: parts joined by AND */
  int has_text;            /* fts holds analyst text, phrase or NEAR */
  size_t max_bytes;        /* limit on the search text's bytes */
  size_t max_terms;        /* limit on its terms (words, phrases, ...) */
  size_t bytes, terms;     /* what the search text holds so far */
  char *since, *until;
  filter_val filters[MAX_FILTERS];
  int n_filters;
  loupe_regex *re;
  loupe_regex_limits re_limits;  /* for the regexes the query compiles */
  int quotes_only;
  int collapse;            /* one hit per republication cluster */
  int count_clusters;      /* group counts count clusters, not articles */
  loupe_order order;
  long long limit, offset;
  char errmsg[300];
};

/* A value to bind, in SQL parameter order. */
typedef struct {
  int type;                /* 1 text, 2 int, 3 regex pointer */
  const char *text;
  long long num;
} bind_val;

static char *dup_str(const char *s) {
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (p) memcpy(p, s, n + 1);
  return p;
}

int loupe_query_new(loupe_db *db, loupe_query **out) {
  loupe_query *q;
  *out = NULL;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  q = calloc(1, sizeof *q);
  if (q == NULL) return LOUPE_ENOMEM;
  q->db = db;
  q->limit = -1;
  q->max_bytes = LOUPE_MAX_QUERY_BYTES;
  q->max_terms = LOUPE_MAX_QUERY_TERMS;
  *out = q;
  return LOUPE_OK;
}

int loupe_query_set_limits(loupe_query *q, size_t max_bytes,
                           size_t max_terms) {
  q->max_bytes = max_bytes ? max_bytes : LOUPE_MAX_QUERY_BYTES;
  q->max_terms = max_terms ? max_terms : LOUPE_MAX_QUERY_TERMS;
  return LOUPE_OK;
}

int loupe_query_regex_limits(loupe_query *q,
                             const loupe_regex_limits *limits) {
  if (limits) q->re_limits = *limits;
  else memset(&q->re_limits, 0, sizeof q->re_limits);
  return LOUPE_OK;
}

void loupe_query_free(loupe_query *q) {
  int i;
  if (q == NULL) return;
  lp_buf_free(&q->fts);
  free(q->since);
  free(q->until);
  for (i = 0; i < q->n_filters; i++) free(q->filters[i].value);
  loupe_regex_free(q->re);
  free(q);
}

const char *loupe_query_errmsg(const loupe_query *q) {
  return q ? q->errmsg : "no query";
}

const char *loupe_query_match(const loupe_query *q, size_t *len) {
  *len = 0;
  if (q == NULL || !q->has_text) return NULL;
  *len = q->fts.len;
  return q->fts.p;
}

static int nomem(loupe_query *q) {
  snprintf(q->errmsg, sizeof q->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

/* Does s[0..n) hold a letter or digit (any non-ASCII byte counts)? */
static int has_word_char(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' &&
                                                  (c | 32) <= 'z'))
      return 1;
  }
  return 0;
}

/* Append s[0..n) as an FTS5 string ("..." with quotes doubled). */
static int fts_quote(lp_buf *b, const char *s, size_t n) {
  size_t i;
  if (lp_buf_append(b, "\"", 1)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    if (s[i] == '"' && lp_buf_append(b, "\"", 1)) return LOUPE_ENOMEM;
    if (lp_buf_append(b, s + i, 1)) return LOUPE_ENOMEM;
  }
  return lp_buf_append(b, "\"", 1);
}

static int fts_and(lp_buf *b) {
  if (b->len == 0) return LOUPE_OK;
  return lp_buf_append(b, " AND ", 5);
}

/*
 * Count n more bytes of search text (text, phrases, NEAR terms, a regex)
 * against the query's limit, before any work is done on them: FTS5 parses
 * a long AND chain in quadratic time (256k words took 13 s). LOUPE_OK, or
 * LOUPE_ELIMIT with a message naming the limit and its option.
 */
static int add_bytes(loupe_query *q, size_t n) {
  if (n > q->max_bytes || q->bytes > q->max_bytes - n) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "the search text is more than %zu bytes (%zu; option "
             "max_query_bytes)", q->max_bytes, q->bytes + n);
    return LOUPE_ELIMIT;
  }
  q->bytes += n;
  return LOUPE_OK;
}

/* Count n more terms (an analyst word, a phrase, a NEAR term, a word of
 * raw FTS5 text) against the limit, as add_bytes. */
static int add_terms(loupe_query *q, size_t n) {
  if (n > q->max_terms || q->terms > q->max_terms - n) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "the search text has more than %zu terms (option "
             "max_query_terms)", q->max_terms);
    return LOUPE_ELIMIT;
  }
  q->terms += n;
  return LOUPE_OK;
}

/* The number of runs of letters and digits (see has_word_char) in s. */
static size_t word_runs(const char *s, size_t n) {
  size_t i, runs = 0;
  int in = 0;
  for (i = 0; i < n; i++) {
    int w = has_word_char(s + i, 1);
    if (w && !in) runs++;
    in = w;
  }
  return runs;
}

int loupe_query_text(loupe_query *q, const char *text, int raw) {
  size_t i = 0, n;
  int terms = 0, rc;
  if (text == NULL) return LOUPE_OK;
  n = strlen(text);
  if ((rc = add_bytes(q, n)) != LOUPE_OK) return rc;
  if (raw) {
    if (!has_word_char(text, n)) return LOUPE_OK;
    if ((rc = add_terms(q, word_runs(text, n))) != LOUPE_OK) return rc;
    if (fts_and(&q->fts) || lp_buf_append(&q->fts, "(", 1) ||
        lp_buf_append(&q->fts, text, n) || lp_buf_append(&q->fts, ")", 1))
      return nomem(q);
    q->has_text = 1;
    return LOUPE_OK;
  }
  /* literal terms: every whitespace-separated word, quoted, AND-ed */
  while (i < n) {
    size_t j;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                     text[i] == '\r'))
      i++;
    j = i;
    while (j < n && !(text[j] == ' ' || text[j] == '\t' || text[j] == '\n' ||
                      text[j] == '\r'))
      j++;
    if (j > i && has_word_char(text + i, j - i)) {
      if ((rc = add_terms(q, 1)) != LOUPE_OK) return rc;
      if (fts_and(&q->fts) || fts_quote(&q->fts, text + i, j - i))
        return nomem(q);
      terms++;
    }
    i = j;
  }
  if (terms) q->has_text = 1;
  return LOUPE_OK;
}

int loupe_query_phrase(loupe_query *q, const char *phrase) {
  size_t n;
  int rc;
  if (phrase == NULL) return LOUPE_OK;
  n = strlen(phrase);
  if ((rc = add_bytes(q, n)) != LOUPE_OK) return rc;
  if (!has_word_char(phrase, n)) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "a phrase needs a letter or a digit");
    return LOUPE_EINVAL;
  }
  if ((rc = add_terms(q, 1)) != LOUPE_OK) return rc;
  if (fts_and(&q->fts) || fts_quote(&q->fts, phrase, n)) return nomem(q);
  q->has_text = 1;
  return LOUPE_OK;
}

int loupe_query_near(loupe_query *q, const char *a, const char *b,
                     int distance) {
  char tmp[32];
  int rc;
  if (a == NULL || b == NULL || !has_word_char(a, strlen(a)) ||
      !has_word_char(b, strlen(b))) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "near needs two terms with letters or digits");
    return LOUPE_EINVAL;
  }
  if (distance < 0) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "near: distance %d is negative", distance);
    return LOUPE_EINVAL;
  }
  if ((rc = add_bytes(q, strlen(a) + strlen(b))) != LOUPE_OK ||
      (rc = add_terms(q, 2)) != LOUPE_OK)
    return rc;
  snprintf(tmp, sizeof tmp, ", %d)", distance);
  if (fts_and(&q->fts) || lp_buf_append(&q->fts, "NEAR(", 5) ||
      fts_quote(&q->fts, a, strlen(a)) || lp_buf_append(&q->fts, " ", 1) ||
      fts_quote(&q->fts, b, strlen(b)) ||
      lp_buf_append(&q->fts, tmp, strlen(tmp)))
    return nomem(q);
  q->has_text = 1;
  return LOUPE_OK;
}

int loupe_query_filter(loupe_query *q, loupe_filter key, const char *value) {
  if (value == NULL) return LOUPE_OK;
  if (key < LOUPE_F_OUTLET || key > LOUPE_F_QUOTE_TEXT) {
    snprintf(q->errmsg, sizeof q->errmsg, "unknown filter %d", (int)key);
    return LOUPE_EINVAL;
  }
  if (q->n_filters >= MAX_FILTERS) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "too many filter values (limit %d)", MAX_FILTERS);
    return LOUPE_ELIMIT;
  }
  q->filters[q->n_filters].key = key;
  q->filters[q->n_filters].value = dup_str(value);
  if (q->filters[q->n_filters].value == NULL) return nomem(q);
  q->n_filters++;
  return LOUPE_OK;
}

/* The value of the n digits at s, or -1 when one is not a digit. */
static int digits(const char *s, int n) {
  int v = 0;
  while (n-- > 0) {
    if (*s < '0' || *s > '9') return -1;
    v = v * 10 + (*s++ - '0');
  }
  return v;
}

/*
 * Is s a date a query can be bounded by: YYYY, YYYY-MM or YYYY-MM-DD
 * with a month from 01 to 12 and a day within its month (29 February in
 * leap years only), optionally followed by a time THH:MM, THH:MM:SS
 * (a fraction allowed) and a zone Z or +HH:MM? The Lua layer gives the
 * reason; this is the core's own guard.
 */
static int iso_bound(const char *s) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                              31};
  size_t n = strlen(s);
  int y, m, d, last;
  if (n < 4 || (y = digits(s, 4)) < 0) return 0;
  if (n == 4) return 1;
  if (n < 7 || s[4] != '-' || (m = digits(s + 5, 2)) < 1 || m > 12) return 0;
  if (n == 7) return 1;
  if (n < 10 || s[7] != '-' || (d = digits(s + 8, 2)) < 1) return 0;
  last = mdays[m - 1];
  if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) last = 29;
  if (d > last) return 0;
  s += 10;
  if (*s == '\0') return 1;
  if (s[0] != 'T' || digits(s + 1, 2) < 0 || digits(s + 1, 2) > 23 ||
      s[3] != ':' || digits(s + 4, 2) < 0 || digits(s + 4, 2) > 59)
    return 0;
  s += 6;
  if (s[0] == ':') {
    if (digits(s + 1, 2) < 0 || digits(s + 1, 2) > 60) return 0;
    s += 3;
    if (s[0] == '.') {
      if (s[1] < '0' || s[1] > '9') return 0;
      s++;
      while (*s >= '0' && *s <= '9') s++;
    }
  }
  if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0')) return 1;
  if (s[0] != '+' && s[0] != '-') return 0;
  if (digits(s + 1, 2) < 0 || digits(s + 1, 2) > 14) return 0;
  s += 3;
  if (*s == ':') s++;
  return digits(s, 2) >= 0 && digits(s, 2) <= 59 && s[2] == '\0';
}

static int set_bound(loupe_query *q, char **slot, const char *v,
                     const char *name) {
  free(*slot);
  *slot = NULL;
  if (v == NULL) return LOUPE_OK;
  if (!iso_bound(v)) {
    snprintf(q->errmsg, sizeof q->errmsg,
             "%s: '%.40s' is not a valid ISO 8601 date (YYYY, YYYY-MM or "
             "YYYY-MM-DD, month 01-12, the day within its month)", name, v);
    return LOUPE_EINVAL;
  }
  *slot = dup_str(v);
  return *slot ? LOUPE_OK : nomem(q);
}

int loupe_query_since(loupe_query *q, const char *since) {
  return set_bound(q, &q->since, since, "since");
}

int loupe_query_until(loupe_query *q, const char *until) {
  return set_bound(q, &q->until, until, "until");
}

/*
 * Narrowing a regex query through the full-text index.
 *
 * The index holds the tokens of SQLite's unicode61 tokenizer
 * (remove_diacritics 2): runs of letters, digits, private-use characters
 * and combining marks, case-folded and without diacritics. The FTS5 term
 * "word"* finds the articles with a token that starts with "word", which
 * holds every article the regex matches only when every match puts the
 * run of letters at the start of a token: right after a separator or at
 * the start of the body. A regex \b does not prove that: without UCP,
 * PCRE2's \b takes "é" in "écyber" for a non-word character, while the
 * tokenizer reads "écyber" as one token; with UCP, private-use
 * characters and combining marks still differ. So \b never narrows (the
 * regex then runs over every body), and a run of ASCII letters becomes a
 * prefix term only when it follows, at the top level of the pattern,
 *   - a literal space or \s \t \n \r \f \v \h, alone or with +
 *     (white space is a separator for the tokenizer), perhaps with
 *     zero-width assertions (\b, \B) in between;
 *   - ^ or \A at the start of the pattern (the start of the body, or a
 *     line with 'm': a line break is a separator).
 * The letters are matched literally (with 'i', 'k' and 's' also match
 * U+212A and U+017F, which the tokenizer folds to k and s as well). A
 * quantifier that may repeat the last letter zero times drops it from the
 * prefix. A pattern with alternation, inline options or group syntax
 * "(?", verbs "(*", \Q...\E or extended mode ('x') is never narrowed.
 * spec/regex_narrowing_spec.lua checks the result against a scan of
 * every body.
 */

#define NARROW_MAX_TERMS 8      /* prefix terms taken from one pattern */

static int is_ascii_letter(unsigned char c) {
  return (c | 32) >= 'a' && (c | 32) <= 'z';
}
#define NARROW_MAX_LETTERS 64   /* letters of one prefix term */

/* The end of the escape at p[i] ('\\'): \x{..}, \o{..}, \N{..},
 * \p{..}, \g{..}, \k<..> and the like with their argument, \cX, digits
 * of a back reference or octal, else the escaped character (a UTF-8
 * character whole). */
static size_t escape_end(const char *p, size_t n, size_t i) {
  size_t j = i + 1;
  unsigned char e;
  if (j >= n) return n;
  e = (unsigned char)p[j++];
  if (e == 'c') return j < n ? j + 1 : n;
  if (e >= '0' && e <= '9') {
    while (j < n && p[j] >= '0' && p[j] <= '9') j++;
    return j;
  }
  if (strchr("xoNpPgk", e) != NULL && j < n &&
      (p[j] == '{' || p[j] == '<' || p[j] == '\'')) {
    char close = p[j] == '{' ? '}' : p[j] == '<' ? '>' : '\'';
    while (j < n && p[j] != close) j++;
    return j < n ? j + 1 : n;
  }
  if ((e == 'p' || e == 'P') && j < n) return j + 1;   /* \pL */
  if (e == 'x') {                                        /* \xhh */
    int k;
    for (k = 0; k < 2 && j < n && strchr("0123456789abcdefABCDEF", p[j]) &&
                p[j] != '\0'; k++)
      j++;
    return j;
  }
  if (e == 'g' && j < n && (p[j] == '+' || p[j] == '-')) j++;
  if (e == 'g') {
    while (j < n && p[j] >= '0' && p[j] <= '9') j++;
    return j;
  }
  while (j < n && ((unsigned char)p[j] & 0xC0) == 0x80) j++;
  return j;
}

/* The end of the character class opened at p[i] ('['): a ']' right after
 * '[' or '[^' is a member, POSIX classes [:name:] and escapes are
 * skipped whole. */
static size_t class_end(const char *p, size_t n, size_t i) {
  size_t j = i + 1;
  if (j < n && p[j] == '^') j++;
  if (j < n && p[j] == ']') j++;
  while (j < n && p[j] != ']') {
    if (p[j] == '\\') {
      j = escape_end(p, n, j);
    } else if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
      /* [:name:] or [:^name:], else the '[' is a member */
      size_t k = j + 2;
      if (k < n && p[k] == '^') k++;
      while (k < n && is_ascii_letter((unsigned char)p[k])) k++;
      j = k + 1 < n && p[k] == ':' && p[k + 1] == ']' ? k + 2 : j + 1;
    } else {
      j++;
    }
  }
  return j < n ? j + 1 : n;
}

/* The end of a quantifier at p[i] (?, *, +, {m}, {m,}, {m,n}, each maybe
 * lazy or possessive), or i when there is none; *min_one says whether it
 * takes its atom at least once. A '{' that does not open a quantifier in
 * PCRE2 10.42's syntax is a literal, not a quantifier. */
static size_t quant_end(const char *p, size_t n, size_t i, int *min_one) {
  size_t j;
  *min_one = 1;
  if (i >= n) return i;
  if (p[i] == '+') {
    j = i + 1;
  } else if (p[i] == '?' || p[i] == '*') {
    *min_one = 0;
    j = i + 1;
  } else if (p[i] == '{') {
    size_t k = i + 1;
    int nonzero = 0;
    if (k >= n || p[k] < '0' || p[k] > '9') return i;
    while (k < n && p[k] >= '0' && p[k] <= '9') nonzero |= p[k++] != '0';
    if (k < n && p[k] == ',') {
      k++;
      while (k < n && p[k] >= '0' && p[k] <= '9') k++;
    }
    if (k >= n || p[k] != '}') return i;
    *min_one = nonzero;
    j = k + 1;
  } else {
    return i;
  }
  if (j < n && (p[j] == '?' || p[j] == '+')) j++;
  return j;
}

/* Append the prefix terms of pattern p (see above) to q's expression.
 * LOUPE_OK or LOUPE_ENOMEM. */
static int regex_literals(loupe_query *q, const char *p) {
  size_t i = 0, n = strlen(p);
  int depth = 0, sep = 0, emitted = 0;
  if (strchr(p, '|') || strstr(p, "(?") || strstr(p, "(*") ||
      strstr(p, "\\Q"))
    return LOUPE_OK;
  if (n > 0 && p[0] == '^') {
    sep = 1;
    i = 1;
  } else if (n > 1 && p[0] == '\\' && p[1] == 'A') {
    sep = 1;
    i = 2;
  }
  while (i < n) {
    unsigned char c = (unsigned char)p[i];
    int min_one, space = 0;
    size_t end;
    if (depth == 0 && is_ascii_letter(c)) {
      size_t j = i, len;
      while (j < n && is_ascii_letter((unsigned char)p[j])) j++;
      len = j - i;
      /* a quantifier after the run takes its last letter only */
      quant_end(p, n, j, &min_one);
      if (!min_one) len--;
      if (sep && len >= 3 && emitted < NARROW_MAX_TERMS) {
        if (len > NARROW_MAX_LETTERS) len = NARROW_MAX_LETTERS;
        if (fts_and(&q->fts) || fts_quote(&q->fts, p + i, len) ||
            lp_buf_append(&q->fts, "*", 1))
          return nomem(q);
        emitted++;
      }
      sep = 0;
      i = j;
      continue;
    }
    if (c == '\\') {
      end = escape_end(p, n, i);
      if (end == i + 2 && strchr("bB", p[i + 1])) {
        i = end;                           /* zero-width: sep stays */
        continue;
      }
      space = end == i + 2 && p[i + 1] != '\0' &&
              strchr("stnrfvh ", p[i + 1]) != NULL;
    } else if (c == '[') {
      end = class_end(p, n, i);
    } else if (c == '(') {
      depth++;
      sep = 0;
      i++;
      continue;
    } else if (c == ')') {
      if (depth) depth--;
      end = i + 1;
    } else {
      space = c == ' ';
      end = i + 1;
      while (end < n && ((unsigned char)p[end] & 0xC0) == 0x80) end++;
    }
    /* an atom, then its quantifier */
    i = quant_end(p, n, end, &min_one);
    sep = depth == 0 && space && min_one;
  }
  return LOUPE_OK;
}

int loupe_query_regex(loupe_query *q, const char *pattern, const char *flags) {
  char err[200];
  size_t len;
  int rc;
  if (pattern == NULL) return LOUPE_OK;
  if (q->re) {
    snprintf(q->errmsg, sizeof q->errmsg, "a query takes one regex");
    return LOUPE_EINVAL;
  }
  len = strlen(pattern);
  if ((rc = add_bytes(q, len)) != LOUPE_OK) return rc;
  rc = loupe_regex_new(pattern, len, flags, &q->re_limits, &q->re, err,
                       sizeof err);
  if (rc) {
    snprintf(q->errmsg, sizeof q->errmsg, "regex: %s", err);
    return rc;
  }
  /* extended mode makes the literal scan unsafe */
  if (flags == NULL || strchr(flags, 'x') == NULL)
    return regex_literals(q, pattern);
  return LOUPE_OK;
}

int loupe_query_quotes_only(loupe_query *q, int on) {
  q->quotes_only = on != 0;
  return LOUPE_OK;
}

int loupe_query_collapse(loupe_query *q, int on) {
  q->collapse = on != 0;
  return LOUPE_OK;
}

int loupe_query_count_clusters(loupe_query *q, int on) {
  q->count_clusters = on != 0;
  return LOUPE_OK;
}

int loupe_query_order(loupe_query *q, loupe_order order) {
  if (order < LOUPE_ORDER_DEFAULT || order > LOUPE_ORDER_RANK) {
    snprintf(q->errmsg, sizeof q->errmsg, "unknown order %d", (int)order);
    return LOUPE_EINVAL;
  }
  q->order = order;
  return LOUPE_OK;
}

int loupe_query_limit(loupe_query *q, long long limit, long long offset) {
  q->limit = limit;
  q->offset = offset < 0 ? 0 : offset;
  return LOUPE_OK;
}

/* ---- compiling ---- */

/* The columns of a hit row: the light ones. The body, snippet and
 * highlight are read on demand (loupe_db_hit_field): building them for
 * every hit cost more than the search (FTS5 snippet() tokenizes the whole
 * body), and most loops over hits never read them. */
#define HIT_COLS \
  "a.id, a.path, a.title, a.date, a.date_precision, a.dateline, a.credit," \
  " a.outlet, a.lang, a.authors, a.editors, a.cluster_id AS cluster"

enum { SEL_HITS, SEL_IDS, SEL_GROUP, SEL_COUNT, SEL_KWIC, SEL_QUOTES };

static int add_bind(bind_val *bv, int *nb, int type, const char *text,
                    long long num) {
  if (*nb >= MAX_BINDS) return LOUPE_ELIMIT;
  bv[*nb].type = type;
  bv[*nb].text = text;
  bv[*nb].num = num;
  (*nb)++;
  return LOUPE_OK;
}

static int app(lp_buf *b, const char *s) {
  return lp_buf_append(b, s, strlen(s));
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

/*
 * Build the statement for one use of the query. The matching articles are
 * found by an inner query that reads ids, rank and dates only (ordered and
 * paged there); the other columns are read for the rows it returns,
 * through a CTE. The search table goes first in the join (CROSS JOIN) so
 * filters never make SQLite probe it row by row.
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
static int compile(loupe_query *q, int what, const char *group_expr,
                   sqlite3_stmt **out) {
  lp_buf sql = {0};
  bind_val bv[MAX_BINDS];
  char *until_hi = NULL;
  int nb = 0, i, rc = LOUPE_OK, k;
  int fts = q->fts.len > 0, text = fts && q->has_text;
  int filtered = q->since || q->until || q->n_filters > 0 || q->re ||
                 q->quotes_only || q->collapse;
  int paged = q->limit >= 0 || q->offset > 0;
  int fts_only = 0, date_scan = 0, need_rank;
  loupe_db *db = q->db;
  loupe_order o = q->order;
  const char *inner_order, *outer_order;

  *out = NULL;
  if (db == NULL || db->sql == NULL) {
    snprintf(q->errmsg, sizeof q->errmsg, "the corpus is closed");
    return LOUPE_EMISUSE;
  }
  if (o == LOUPE_ORDER_DEFAULT) o = text ? LOUPE_ORDER_RANK : LOUPE_ORDER_DATE;
  if (o == LOUPE_ORDER_RANK && !fts) o = LOUPE_ORDER_DATE;
  /* which inner query (see above); rank is only read where it orders or
   * where hits carry it */
  if (fts && !filtered && o == LOUPE_ORDER_RANK && what != SEL_GROUP &&
      what != SEL_QUOTES)
    fts_only = 1;
  else if (fts && o != LOUPE_ORDER_RANK && paged && !q->collapse && !q->re &&
           what != SEL_GROUP && what != SEL_COUNT)
    date_scan = 1;
  need_rank = fts && !date_scan &&
              (what == SEL_HITS || what == SEL_IDS || what == SEL_KWIC);
  if (o == LOUPE_ORDER_RANK) {
    inner_order = fts_only ? " ORDER BY articles_fts.rank, articles_fts.rowid"
                           : " ORDER BY articles_fts.rank, a.id";
    outer_order = " ORDER BY m.rank, m.id";
  } else if (o == LOUPE_ORDER_DATE) {
    inner_order = " ORDER BY a.date NULLS LAST, a.id";
    outer_order = " ORDER BY m.date NULLS LAST, m.id";
  } else {
    inner_order = " ORDER BY a.date DESC, a.id DESC";
    outer_order = " ORDER BY m.date DESC, m.id DESC";
  }

  /* a bare full-text count needs no article rows at all */
  if (what == SEL_COUNT && fts && !filtered && q->limit < 0 && q->offset == 0) {
    rc |= app(&sql, "SELECT count(*) FROM articles_fts WHERE articles_fts"
                    " MATCH ?");
    rc |= add_bind(bv, &nb, 1, NULL, 0);
    goto prepare;
  }
  if (what == SEL_COUNT) rc |= app(&sql, "SELECT count(*) FROM (");
  else if (what == SEL_GROUP) {
    rc |= app(&sql, "SELECT ");
    rc |= app(&sql, group_expr);
    rc |= app(&sql, q->count_clusters
                    ? " AS key, count(DISTINCT ckey) AS count FROM ("
                    : " AS key, count(*) AS count FROM (");
  } else {
    /* hits, ids and kwic rows join m to nothing but articles, after it
     * (CROSS JOIN): SQLite may flatten m into one pass, sparing a temp
     * table; quotes are joined to another table, so m stays whole there */
    rc |= app(&sql, what == SEL_QUOTES ? "WITH m AS MATERIALIZED ("
                                       : "WITH m AS (");
  }
  /* the inner query: ids, rank and the columns groups need; collapsed,
   * one row per republication cluster (its earliest matching member) */
  if (fts_only) {
    rc |= app(&sql, "SELECT articles_fts.rowid AS id");
    if (need_rank) rc |= app(&sql, ", articles_fts.rank AS rank");
    rc |= app(&sql, " FROM articles_fts WHERE articles_fts MATCH ?");
    rc |= add_bind(bv, &nb, 1, NULL, 0);
    goto order;
  }
  if (q->collapse)
    rc |= app(&sql, "SELECT min(a.id) AS id, min(a.date) AS date");
  else
    rc |= app(&sql, "SELECT a.id AS id, a.date AS date");
  if (need_rank)
    rc |= app(&sql, q->collapse ? ", min(articles_fts.rank) AS rank"
                                : ", articles_fts.rank AS rank");
  if (what == SEL_GROUP)
    rc |= app(&sql, ", a.outlet AS outlet, a.credit AS credit,"
                    " coalesce(a.cluster_id, -a.id) AS ckey");
  if (date_scan) {
    /* "+" keeps SQLite from looking the ids up one by one and sorting */
    rc |= app(&sql, " FROM articles a WHERE +a.id IN (SELECT rowid FROM"
                    " articles_fts WHERE articles_fts MATCH ?)");
    rc |= add_bind(bv, &nb, 1, NULL, 0);
  } else if (fts) {
    rc |= app(&sql, " FROM articles_fts CROSS JOIN articles a"
                    " ON a.id = articles_fts.rowid"
                    " WHERE articles_fts MATCH ?");
    rc |= add_bind(bv, &nb, 1, NULL, 0);     /* the expression, bound below */
  } else {
    rc |= app(&sql, " FROM articles a WHERE 1");
  }
  if (q->since) {
    rc |= app(&sql, " AND a.date >= ?");
    rc |= add_bind(bv, &nb, 1, q->since, 0);
  }
  if (q->until) {
    size_t n = strlen(q->until);
    until_hi = malloc(n + 2);
    if (until_hi == NULL) { rc = LOUPE_ENOMEM; goto out; }
    memcpy(until_hi, q->until, n);
    until_hi[n] = '~';                 /* sorts after every date character */
    until_hi[n + 1] = '\0';
    rc |= app(&sql, " AND a.date <= ?");
    rc |= add_bind(bv, &nb, 1, until_hi, 0);
  }
  /* values of one key OR-ed, keys AND-ed */
  for (k = LOUPE_F_OUTLET; k <= LOUPE_F_ENTITY; k++) {
    int first = 1;
    for (i = 0; i < q->n_filters; i++) {
      if ((int)q->filters[i].key != k) continue;
      rc |= app(&sql, first ? " AND (" : " OR ");
      rc |= app(&sql, filter_sql((loupe_filter)k));
      rc |= add_bind(bv, &nb, 1, q->filters[i].value, 0);
      if (k == LOUPE_F_ENTITY)
        rc |= add_bind(bv, &nb, 1, q->filters[i].value, 0);
      first = 0;
    }
    if (!first) rc |= app(&sql, ")");
  }
  if (q->quotes_only)
    rc |= app(&sql, " AND EXISTS (SELECT 1 FROM quotes qo WHERE"
                    " qo.article_id = a.id)");
  if (q->re) {
    rc |= app(&sql, " AND loupe_match(?, a.body)");
    rc |= add_bind(bv, &nb, 3, NULL, 0);
  }
  if (q->collapse) rc |= app(&sql, " GROUP BY coalesce(a.cluster_id, -a.id)");
order:
  if (q->collapse && (what != SEL_COUNT && what != SEL_GROUP)) {
    /* ordering after grouping uses the aggregates */
    if (o == LOUPE_ORDER_RANK) rc |= app(&sql, " ORDER BY rank, id");
    else if (o == LOUPE_ORDER_DATE)
      rc |= app(&sql, " ORDER BY date NULLS LAST, id");
    else rc |= app(&sql, " ORDER BY date DESC, id DESC");
  } else if (what != SEL_COUNT && what != SEL_GROUP) {
    rc |= app(&sql, inner_order);
  } else if (what == SEL_GROUP && paged) {
    /* a count of a page is the same in any order; a group's is not */
    rc |= app(&sql, q->collapse ? " ORDER BY id" : inner_order);
  }
  if (paged) {
    rc |= app(&sql, " LIMIT ? OFFSET ?");
    rc |= add_bind(bv, &nb, 2, NULL, q->limit >= 0 ? q->limit : -1);
    rc |= add_bind(bv, &nb, 2, NULL, q->offset);
  }
  rc |= app(&sql, ")");
  /* the outer query */
  if (what == SEL_COUNT) {
    /* done */
  } else if (what == SEL_GROUP) {
    rc |= app(&sql, " GROUP BY key ORDER BY key IS NULL, key");
  } else if (what == SEL_IDS) {
    rc |= app(&sql, " SELECT m.id AS id FROM m");
    rc |= app(&sql, outer_order);
  } else if (what == SEL_KWIC) {
    rc |= app(&sql, " SELECT a.id, a.date, a.body FROM m CROSS JOIN"
                    " articles a ON a.id = m.id");
    rc |= app(&sql, outer_order);
  } else if (what == SEL_QUOTES) {
    /* the quotes themselves, filtered by speaker, kind and text */
    rc |= app(&sql, " SELECT qu.text AS text, qu.speaker AS speaker,"
                    " qu.role AS role, qu.cue AS cue, qu.kind AS kind,"
                    " qu.offset AS offset, qu.paragraph AS paragraph,"
                    " qu.src_line AS line, a.id AS article_id, a.date AS date,"
                    " a.outlet AS outlet, a.title AS title"
                    " FROM m JOIN quotes qu ON qu.article_id = m.id"
                    " JOIN articles a ON a.id = m.id WHERE 1");
    for (k = LOUPE_F_SPEAKER; k <= LOUPE_F_QUOTE_TEXT; k++) {
      int first = 1;
      if (k == LOUPE_F_ENTITY) continue;
      for (i = 0; i < q->n_filters; i++) {
        if ((int)q->filters[i].key != k) continue;
        rc |= app(&sql, first ? " AND (" : " OR ");
        rc |= app(&sql, k == LOUPE_F_SPEAKER ? "qu.speaker = ? COLLATE NOCASE"
                        : k == LOUPE_F_KIND ? "qu.kind = ?"
                        : "instr(lower(qu.text), lower(?)) > 0");
        rc |= add_bind(bv, &nb, 1, q->filters[i].value, 0);
        first = 0;
      }
      if (!first) rc |= app(&sql, ")");
    }
    rc |= app(&sql, " ORDER BY m.date IS NULL, m.date, m.id, qu.n");
  } else {
    rc |= app(&sql, " SELECT " HIT_COLS);
    if (text && !date_scan) rc |= app(&sql, ", m.rank AS rank");
    rc |= app(&sql, " FROM m CROSS JOIN articles a ON a.id = m.id");
    rc |= app(&sql, outer_order);
  }
prepare:
  if (rc) {
    rc = rc == LOUPE_ELIMIT ? LOUPE_ELIMIT : LOUPE_ENOMEM;
    snprintf(q->errmsg, sizeof q->errmsg, "%s", rc == LOUPE_ELIMIT
             ? "query has too many values" : "out of memory");
    goto out;
  }
  rc = sqlite3_prepare_v3(db->sql, sql.p, (int)sql.len, 0, out, NULL);
  if (rc != SQLITE_OK) {
    rc = lp_db_error(db, rc, "prepare query");
    snprintf(q->errmsg, sizeof q->errmsg, "%s", db->errmsg);
    *out = NULL;
    goto out;
  }
  for (i = 0; i < nb; i++) {
    if (bv[i].type == 1)
      sqlite3_bind_text(*out, i + 1, bv[i].text ? bv[i].text : q->fts.p,
                        bv[i].text ? -1 : (int)q->fts.len, SQLITE_TRANSIENT);
    else if (bv[i].type == 2) sqlite3_bind_int64(*out, i + 1, bv[i].num);
    else sqlite3_bind_pointer(*out, i + 1, q->re, "loupe_regex", NULL);
  }
  rc = LOUPE_OK;
out:
  free(until_hi);
  lp_buf_free(&sql);
  return rc;
}

/* Map a failed step to a code: FTS5 syntax errors and a regex that cannot
 * be matched are the analyst's text. */
static int step_error(loupe_db *db, int rc, char *msg, size_t cap) {
  const char *m = sqlite3_errmsg(db->sql);
  int code;
  if (strstr(m, "fts5") || strstr(m, "syntax error") ||
      strstr(m, "no such column") || strstr(m, "unterminated string") ||
      strstr(m, "unknown special query")) {
    snprintf(msg, cap, "bad search text: %s", m);
    return LOUPE_ESYNTAX;
  }
  if (strstr(m, "regex") && strstr(m, "limit")) {
    snprintf(msg, cap, "%s", m);
    return LOUPE_ELIMIT;
  }
  if (strstr(m, "regex cannot be matched")) {   /* regex.c's match_error */
    snprintf(msg, cap, "%s", m);
    return LOUPE_ESYNTAX;
  }
  code = lp_db_error(db, rc, "search");
  snprintf(msg, cap, "%s", db->errmsg);
  return code;
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
    rc = step_error(q->db, rc, q->errmsg, sizeof q->errmsg);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Wrap a prepared statement in a cursor tracked by the database. The
 * statement binds the query's regex, so the cursor takes it over: a query
 * runs one terminal. */
static int new_cursor(loupe_query *q, sqlite3_stmt *st, int kind,
                      loupe_cursor **out) {
  loupe_cursor *c = calloc(1, sizeof *c);
  if (c == NULL) {
    sqlite3_finalize(st);
    return nomem(q);
  }
  c->stmt = st;
  c->kind = kind;
  c->re = q->re;
  q->re = NULL;
  lp_db_track(q->db, c);
  *out = c;
  return LOUPE_OK;
}

static int run_cursor(loupe_query *q, int what, const char *group_expr,
                      int kind, loupe_cursor **out) {
  sqlite3_stmt *st = NULL;
  int rc;
  *out = NULL;
  rc = compile(q, what, group_expr, &st);
  if (rc) return rc;
  return new_cursor(q, st, kind, out);
}

int loupe_query_quotes(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_QUOTES, NULL, LP_CUR_SQL, out);
}

int loupe_query_hits(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_HITS, NULL, LP_CUR_SQL, out);
}

int loupe_query_ids(loupe_query *q, loupe_cursor **out) {
  return run_cursor(q, SEL_IDS, NULL, LP_CUR_SQL, out);
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
  return run_cursor(q, SEL_GROUP, expr, LP_CUR_SQL, out);
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
    if (lit == NULL) return nomem(q);
    rc = loupe_regex_new(lit, strlen(lit), "i", &q->re_limits, &kw, err,
                         sizeof err);
    free(lit);
  }
  if (rc) {
    snprintf(q->errmsg, sizeof q->errmsg, "kwic: %s", err);
    return rc;
  }
  rc = run_cursor(q, SEL_KWIC, NULL, LP_CUR_KWIC, out);
  if (rc) {
    loupe_regex_free(kw);
    return rc;
  }
  (*out)->kw = kw;
  (*out)->width = width;
  return LOUPE_OK;
}

/* ---- cursors ---- */

void loupe_cursor_free(loupe_cursor *c) {
  if (c == NULL) return;
  lp_cursor_release(c);
  loupe_regex_free(c->re);
  loupe_regex_free(c->kw);
  lp_buf_free(&c->row);
  free(c->art_date);
  free(c);
}

const char *loupe_cursor_errmsg(const loupe_cursor *c) {
  return c ? c->errmsg : "no cursor";
}

/* Start of the code point holding byte i (step back over continuations). */
static size_t cp_start(const char *s, size_t i) {
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

/* Move back n code points from i (not below 0). */
static size_t back_chars(const char *s, size_t i, int n) {
  while (n-- > 0 && i > 0) i = cp_start(s, i - 1);
  return i;
}

/* Move forward n code points from i (not past len). */
static size_t fwd_chars(const char *s, size_t len, size_t i, int n) {
  while (n-- > 0 && i < len) {
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

/* Append s[0..n) with each run of line breaks turned into one space. */
static int app_flat(lp_buf *b, const char *s, size_t n) {
  size_t i;
  if (lp_buf_reserve(b, n)) return LOUPE_ENOMEM;
  for (i = 0; i < n; i++) {
    if (s[i] == '\n') {
      if (i > 0 && s[i - 1] == '\n') continue;
      b->p[b->len++] = ' ';
    } else {
      b->p[b->len++] = s[i];
    }
  }
  return LOUPE_OK;
}

/* Next keyword-in-context row: the next match in the current body, or in
 * the next article's. */
static int kwic_next(loupe_cursor *c, int *has_row) {
  for (;;) {
    const char *body;
    size_t len, ov[2];
    int np, rc;
    if (!c->have_article) {
      rc = sqlite3_step(c->stmt);
      if (rc == SQLITE_DONE) {
        c->done = 1;
        return LOUPE_OK;
      }
      if (rc != SQLITE_ROW)
        return step_error(c->db, rc, c->errmsg, sizeof c->errmsg);
      c->have_article = 1;
      c->pos = 0;
      c->art_id = sqlite3_column_int64(c->stmt, 0);
      free(c->art_date);
      c->art_date = NULL;
      if (sqlite3_column_type(c->stmt, 1) != SQLITE_NULL) {
        const char *d = (const char *)sqlite3_column_text(c->stmt, 1);
        size_t dn = (size_t)sqlite3_column_bytes(c->stmt, 1);
        c->art_date = malloc(dn + 1);
        if (c->art_date == NULL) {
          snprintf(c->errmsg, sizeof c->errmsg, "out of memory");
          return LOUPE_ENOMEM;
        }
        memcpy(c->art_date, d, dn);
        c->art_date[dn] = '\0';
      }
    }
    body = (const char *)sqlite3_column_text(c->stmt, 2);
    len = (size_t)sqlite3_column_bytes(c->stmt, 2);
    if (body == NULL || c->pos > len) {
      c->have_article = 0;
      continue;
    }
    rc = loupe_regex_exec(c->kw, body, len, c->pos, ov, 1, &np);
    if (rc) {
      snprintf(c->errmsg, sizeof c->errmsg, "%s", loupe_regex_errmsg(c->kw));
      return rc;
    }
    if (np == 0) {
      c->have_article = 0;
      continue;
    }
    /* advance past the match; past one character on an empty match, and
     * beyond the end (to the next article) after an empty match there */
    if (ov[1] > ov[0]) c->pos = ov[1];
    else if (ov[1] < len) c->pos = fwd_chars(body, len, ov[1], 1);
    else c->pos = len + 1;
    {
      size_t l0 = back_chars(body, ov[0], c->width);
      size_t r1 = fwd_chars(body, len, ov[1], c->width);
      size_t a0, a1;
      c->row.len = 0;
      if (app_flat(&c->row, body + l0, ov[0] - l0)) goto oom;
      a0 = c->row.len;
      if (app_flat(&c->row, body + ov[0], ov[1] - ov[0])) goto oom;
      a1 = c->row.len;
      if (app_flat(&c->row, body + ov[1], r1 - ov[1])) goto oom;
      c->cut[0] = a0;
      c->cut[1] = a1 - a0;
      c->cut[2] = c->row.len - a1;
    }
    *has_row = 1;
    return LOUPE_OK;
  }
oom:
  snprintf(c->errmsg, sizeof c->errmsg, "out of memory");
  return LOUPE_ENOMEM;
}

int loupe_cursor_next(loupe_cursor *c, int *has_row) {
  int rc;
  *has_row = 0;
  if (c == NULL) return LOUPE_EINVAL;
  if (c->db == NULL || c->stmt == NULL) {
    if (c->done) return LOUPE_OK;
    snprintf(c->errmsg, sizeof c->errmsg, "the cursor is closed");
    return LOUPE_EMISUSE;
  }
  if (c->done) return LOUPE_OK;
  if (c->kind == LP_CUR_KWIC) return kwic_next(c, has_row);
  rc = sqlite3_step(c->stmt);
  if (rc == SQLITE_ROW) {
    *has_row = 1;
    return LOUPE_OK;
  }
  if (rc == SQLITE_DONE) {
    c->done = 1;
    return LOUPE_OK;
  }
  return step_error(c->db, rc, c->errmsg, sizeof c->errmsg);
}

static const char *const kwic_names[] = {"left", "match", "right", "id",
                                         "date"};

int loupe_cursor_columns(const loupe_cursor *c) {
  if (c == NULL || c->stmt == NULL) return 0;
  if (c->kind == LP_CUR_KWIC) return 5;
  return sqlite3_column_count(c->stmt);
}

const char *loupe_cursor_name(const loupe_cursor *c, int col) {
  if (c == NULL || c->stmt == NULL || col < 0) return NULL;
  if (c->kind == LP_CUR_KWIC) return col < 5 ? kwic_names[col] : NULL;
  return sqlite3_column_name(c->stmt, col);
}

int loupe_cursor_type(loupe_cursor *c, int col) {
  if (c == NULL || c->stmt == NULL) return 0;
  if (c->kind == LP_CUR_KWIC) {
    if (col == 3) return 1;
    if (col == 4) return c->art_date ? 3 : 0;
    return col >= 0 && col < 3 ? 3 : 0;
  }
  switch (sqlite3_column_type(c->stmt, col)) {
  case SQLITE_INTEGER: return 1;
  case SQLITE_FLOAT: return 2;
  case SQLITE_NULL: return 0;
  default: return 3;
  }
}

long long loupe_cursor_int(loupe_cursor *c, int col) {
  if (c == NULL || c->stmt == NULL) return 0;
  if (c->kind == LP_CUR_KWIC) return col == 3 ? c->art_id : 0;
  return sqlite3_column_int64(c->stmt, col);
}

double loupe_cursor_double(loupe_cursor *c, int col) {
  if (c == NULL || c->stmt == NULL) return 0;
  if (c->kind == LP_CUR_KWIC) return (double)loupe_cursor_int(c, col);
  return sqlite3_column_double(c->stmt, col);
}

const char *loupe_cursor_text(loupe_cursor *c, int col, size_t *len) {
  *len = 0;
  if (c == NULL || c->stmt == NULL) return NULL;
  if (c->kind == LP_CUR_KWIC) {
    size_t off = 0;
    int k;
    if (col == 4) {
      if (c->art_date) *len = strlen(c->art_date);
      return c->art_date;
    }
    if (col < 0 || col > 2) return NULL;
    for (k = 0; k < col; k++) off += c->cut[k];
    *len = c->cut[col];
    return c->row.p ? c->row.p + off : "";
  }
  {
    const char *s = (const char *)sqlite3_column_text(c->stmt, col);
    *len = (size_t)sqlite3_column_bytes(c->stmt, col);
    return s;
  }
}

/* ---- whole articles ---- */

static int simple_cursor(loupe_db *db, const char *sql, long long id,
                         loupe_cursor **out);

int lp_simple_cursor(loupe_db *db, const char *sql, loupe_cursor **out) {
  return simple_cursor(db, sql, 0, out);
}

static int simple_cursor(loupe_db *db, const char *sql, long long id,
                         loupe_cursor **out) {
  sqlite3_stmt *st = NULL;
  loupe_cursor *c;
  int rc;
  *out = NULL;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "prepare");
  sqlite3_bind_int64(st, 1, id);
  c = calloc(1, sizeof *c);
  if (c == NULL) {
    sqlite3_finalize(st);
    return LOUPE_ENOMEM;
  }
  c->stmt = st;
  c->kind = LP_CUR_SQL;
  lp_db_track(db, c);
  *out = c;
  return LOUPE_OK;
}

int loupe_db_get(loupe_db *db, long long id, loupe_cursor **out) {
  return simple_cursor(db, "SELECT " HIT_COLS ", a.body, a.provenance, a.hash,"
                           " a.bytes, a.parser_version, a.ingested_at"
                           " FROM articles a WHERE a.id = ?", id, out);
}

int loupe_db_speakers(loupe_db *db, loupe_cursor **out) {
  return simple_cursor(db, "SELECT qu.speaker AS name, max(qu.role) AS role,"
                           " count(*) AS quotes, min(a.date) AS first,"
                           " max(a.date) AS last,"
                           " json_group_array(DISTINCT a.outlet) AS outlets"
                           " FROM quotes qu JOIN articles a"
                           " ON a.id = qu.article_id"
                           " WHERE qu.speaker IS NOT NULL"
                           " GROUP BY qu.speaker COLLATE NOCASE"
                           " ORDER BY quotes DESC, name", 0, out);
}

int loupe_db_entities(loupe_db *db, const char *kind, loupe_cursor **out) {
  int rc = simple_cursor(db, "SELECT e.name AS name, e.kind AS kind,"
                             " max(e.role) AS role,"
                             " count(DISTINCT e.article_id) AS articles,"
                             " sum(json_array_length(e.mentions)) AS mentions"
                             " FROM entities e WHERE (?1 IS NULL OR e.kind = ?1)"
                             " GROUP BY e.name, e.kind"
                             " ORDER BY articles DESC, mentions DESC, name",
                         0, out);
  if (rc == LOUPE_OK) {
    if (kind) sqlite3_bind_text((*out)->stmt, 1, kind, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null((*out)->stmt, 1);
  }
  return rc;
}

int loupe_db_clusters(loupe_db *db, loupe_cursor **out) {
  return simple_cursor(db,
    "WITH c AS (SELECT cluster_id AS cid FROM articles"
    "  WHERE cluster_id IS NOT NULL GROUP BY cluster_id HAVING count(*) > 1),"
    " o AS (SELECT c.cid AS cid, (SELECT a.id FROM articles a"
    "  WHERE a.cluster_id = c.cid ORDER BY a.date IS NULL, a.date, a.id"
    "  LIMIT 1) AS origin FROM c)"
    " SELECT o.cid AS cluster, o.origin AS origin, a.id AS id,"
    " a.date AS date, a.outlet AS outlet, a.credit AS credit,"
    " a.title AS title, a.path AS path, loupe_sim(a.minhash, oa.minhash) AS similarity"
    " FROM o JOIN articles oa ON oa.id = o.origin"
    " JOIN articles a ON a.cluster_id = o.cid"
    " ORDER BY oa.date IS NULL, oa.date, o.cid, a.date IS NULL, a.date, a.id",
    0, out);
}

int loupe_db_paragraphs(loupe_db *db, long long id, loupe_cursor **out) {
  return simple_cursor(db, "SELECT p.n AS n,"
                           " CAST(substr(CAST(a.body AS BLOB), p.start + 1,"
                           " p.len) AS TEXT) AS text,"
                           " p.src_offset AS offset, p.src_line AS line"
                           " FROM paragraphs p JOIN articles a"
                           " ON a.id = p.article_id WHERE p.article_id = ?"
                           " ORDER BY p.n", id, out);
}

/*
 * Step the cached statement k for one hit (?1 the expression, ?2 the id):
 * SQLITE_ROW or SQLITE_DONE with the row in *st, which the caller resets
 * (hit_done); or a LOUPE_* code, the message on db, the statement reset.
 */
static int hit_step(loupe_db *db, int k, const char *match, size_t match_len,
                    long long id, sqlite3_stmt **st) {
  int rc;
  *st = NULL;
  if (k != ST_HIT_BODY && (match == NULL || match_len == 0)) {
    snprintf(db->errmsg, sizeof db->errmsg,
             "snippet, highlight and rank need the query's search text");
    return LOUPE_EINVAL;
  }
  if (match_len > 0x7fffffff) {
    snprintf(db->errmsg, sizeof db->errmsg, "search text too long");
    return LOUPE_ELIMIT;
  }
  rc = lp_db_stmt(db, k, st);
  if (rc) return rc;
  if (k != ST_HIT_BODY)
    sqlite3_bind_text(*st, 1, match, (int)match_len, SQLITE_STATIC);
  sqlite3_bind_int64(*st, 2, id);
  rc = sqlite3_step(*st);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
  {
    char msg[sizeof db->errmsg];
    rc = step_error(db, rc, msg, sizeof msg);
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
  }
  sqlite3_reset(*st);
  sqlite3_clear_bindings(*st);
  *st = NULL;
  return rc;
}

/* Release the row of hit_step: no read stays open between calls (a hit
 * may be read long after its cursor ended, while the corpus ingests). */
static void hit_done(sqlite3_stmt *st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

/* Copy column col of the row of st (NULL: none) into b, NUL-terminated;
 * LOUPE_OK or LOUPE_ENOMEM (message on db). */
static int hit_copy(loupe_db *db, sqlite3_stmt *st, int col, lp_buf *b,
                    const char **text, size_t *len) {
  const char *s;
  size_t n;
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return LOUPE_OK;
  s = (const char *)sqlite3_column_text(st, col);
  n = (size_t)sqlite3_column_bytes(st, col);
  b->len = 0;
  if (s == NULL || lp_buf_append(b, s, n) || lp_buf_append(b, "", 1)) {
    snprintf(db->errmsg, sizeof db->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  *text = b->p;
  *len = n;
  return LOUPE_OK;
}

/*
 * One field of a hit, by id, through a statement cached on db: the text
 * is copied to db->field, so that the statement is reset at once. *text
 * is NULL when the article is gone, the expression no longer matches it
 * or the value is NULL.
 */
int loupe_db_hit_field(loupe_db *db, const char *match, size_t match_len,
                       long long id, loupe_hit_field field, const char **text,
                       size_t *len) {
  sqlite3_stmt *st = NULL;
  int rc, k;
  *text = NULL;
  *len = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  switch (field) {
  case LOUPE_HIT_BODY: k = ST_HIT_BODY; break;
  case LOUPE_HIT_SNIPPET: k = ST_HIT_SNIPPET; break;
  case LOUPE_HIT_HIGHLIGHT: k = ST_HIT_HIGHLIGHT; break;
  default:
    snprintf(db->errmsg, sizeof db->errmsg, "unknown hit field %d",
             (int)field);
    return LOUPE_EINVAL;
  }
  rc = hit_step(db, k, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  rc = rc == SQLITE_ROW ? hit_copy(db, st, 0, &db->field[0], text, len)
                        : LOUPE_OK;
  hit_done(st);
  return rc;
}

int loupe_db_hit_marks(loupe_db *db, const char *match, size_t match_len,
                       long long id, const char **snippet, size_t *snippet_len,
                       const char **highlight, size_t *highlight_len) {
  sqlite3_stmt *st = NULL;
  int rc;
  *snippet = *highlight = NULL;
  *snippet_len = *highlight_len = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = hit_step(db, ST_HIT_SNIPPET, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  if (rc == SQLITE_ROW) {
    rc = hit_copy(db, st, 0, &db->field[0], snippet, snippet_len);
    if (rc == LOUPE_OK)
      rc = hit_copy(db, st, 1, &db->field[1], highlight, highlight_len);
  } else {
    rc = LOUPE_OK;
  }
  hit_done(st);
  return rc;
}

int loupe_db_hit_rank(loupe_db *db, const char *match, size_t match_len,
                      long long id, double *rank, int *found) {
  sqlite3_stmt *st = NULL;
  int rc;
  *rank = 0;
  *found = 0;
  if (db == NULL || db->sql == NULL) return LOUPE_EMISUSE;
  rc = hit_step(db, ST_HIT_RANK, match, match_len, id, &st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *rank = sqlite3_column_double(st, 0);
    *found = 1;
  }
  hit_done(st);
  return LOUPE_OK;
}
