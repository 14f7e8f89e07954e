/*
 * query.c - building a query: FTS5 text (analyst words quoted as literal
 * terms, phrases, NEAR groups) within limits, filters, date bounds, a
 * regex (narrowed through the full-text index where that is safe),
 * ordering and paging. compile.c turns a query into one SQL statement.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"

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
  free(q->filters);
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

int lp_query_nomem(loupe_query *q) {
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
      return lp_query_nomem(q);
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
        return lp_query_nomem(q);
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
  if (fts_and(&q->fts) || fts_quote(&q->fts, phrase, n)) return lp_query_nomem(q);
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
    return lp_query_nomem(q);
  q->has_text = 1;
  return LOUPE_OK;
}

int loupe_query_filter(loupe_query *q, loupe_filter key, const char *value) {
  if (value == NULL) return LOUPE_OK;
  if (key < LOUPE_F_OUTLET || key > LOUPE_F_QUOTE_TEXT) {
    snprintf(q->errmsg, sizeof q->errmsg, "unknown filter %d", (int)key);
    return LOUPE_EINVAL;
  }
  if (q->n_filters == q->cap_filters) {
    int cap = q->cap_filters ? 2 * q->cap_filters : 8;
    lp_filter_val *f = cap > 0 && (size_t)cap < SIZE_MAX / sizeof *f
                         ? realloc(q->filters, (size_t)cap * sizeof *f)
                         : NULL;
    if (f == NULL) return lp_query_nomem(q);
    q->filters = f;
    q->cap_filters = cap;
  }
  q->filters[q->n_filters].key = key;
  q->filters[q->n_filters].value = dup_str(value);
  if (q->filters[q->n_filters].value == NULL) return lp_query_nomem(q);
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
  return *slot ? LOUPE_OK : lp_query_nomem(q);
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
          return lp_query_nomem(q);
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
