/*
 * tokenizer.c - loupe's full-text tokenizer: SQLite's unicode61 for
 * alphabetic text, character bigrams for Chinese, Japanese and Korean,
 * and optionally English word stems.
 *
 * unicode61 keeps a run of Han characters (or kana, or hangul) as one
 * token: "网络攻击" is found only as that whole run, never inside a
 * longer one. Here a run of CJK characters gives one position per
 * character; the token at a position is the bigram of that character
 * and the next (in a document also the character alone, colocated);
 * the run's last character is a unigram. A query tokenizes the same
 * way without the colocated unigrams:
 *   document "网络攻击事件": 网络+网 络攻+络 攻击+攻 击事+击 事件+事 件
 *   query    "网络攻击":     网络 络攻 攻击 击
 * so any substring of a run is found as a phrase (FTS5 makes a phrase of
 * a query string that gives several tokens), a single character as its
 * colocated unigram, and NEAR counts characters. Every token's offsets
 * are those of its first character alone, so highlights and snippets
 * begin and end on character boundaries and never overlap. Text between
 * CJK runs goes to unicode61 (with the table's arguments) as before.
 *
 * Stemming (mode LP_TOK_STEM_EN): a document token of ASCII letters is
 * kept and its English stem (stem.c) colocated when it differs; a query
 * term is replaced by its stem, so "hackers" finds "hacker"; a prefix
 * query ("hack*") keeps the word as typed and matches the words kept.
 *
 * The file declares 'unicode61 remove_diacritics 2', so that other
 * programs (the sqlite3 shell) can still open and read it; loupe's
 * connections register this tokenizer under that name, and the mode
 * (plain unicode61 for a corpus of schema version 3 or older, bigrams
 * and perhaps stems since version 4) comes from the meta row
 * 'tokenizer'. Tokens computed ahead by the ingest's workers
 * (ftstok.c) are the output of lp_tok_split, replayed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "corpus.h"
#include "tokenizer.h"

/* ---- CJK characters (lp_is_cjk, util.h: the word model's) ---- */

/* The length of the CJK character at s[i] (i < n), 0 when the bytes
 * there are not one (any other character, or invalid UTF-8, which
 * unicode61 then reads as it always has). */
static int cjk_at(const unsigned char *s, int n, int i) {
  unsigned c = s[i];
  uint32_t cp;
  if (c < 0xE1) return 0;
  if (c < 0xF0) {
    if (i + 2 >= n) return 0;
    if ((s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
    cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
         (s[i + 2] & 0x3F);
    return lp_is_cjk(cp) ? 3 : 0;
  }
  if (c > 0xF4 || i + 3 >= n) return 0;
  if ((s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
      (s[i + 3] & 0xC0) != 0x80)
    return 0;
  cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
       ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
  return lp_is_cjk(cp) ? 4 : 0;
}

/* ---- splitting: unicode61 between CJK runs, bigrams within ---- */

typedef struct {
  lp_tok_cb cb;
  void *ctx;
  int base;          /* the segment's offset in the whole text */
  int stop;          /* the callback said SQLITE_DONE */
} seg_ctx;

static int seg_token(void *p, int tflags, const char *tok, int n, int start,
                     int end) {
  seg_ctx *s = p;
  int rc = s->cb(s->ctx, tflags, tok, n, start + s->base, end + s->base);
  if (rc == SQLITE_DONE) s->stop = 1;
  return rc;
}

/* The CJK run that starts at text[a] (its first character len bytes),
 * characters in order; *end receives where it stops. s->stop when the
 * callback said SQLITE_DONE. */
static int emit_run(const char *text, int n, int a, int len, int doc,
                    seg_ctx *s, int *end) {
  const unsigned char *u = (const unsigned char *)text;
  int i = a, rc = SQLITE_OK;
  while (len > 0 && rc == SQLITE_OK) {
    int next = i + len, nlen = next < n ? cjk_at(u, n, next) : 0;
    if (nlen > 0) {
      rc = s->cb(s->ctx, 0, text + i, len + nlen, i, next);
      if (rc == SQLITE_OK && doc)
        rc = s->cb(s->ctx, FTS5_TOKEN_COLOCATED, text + i, len, i, next);
    } else {
      rc = s->cb(s->ctx, 0, text + i, len, i, next);
    }
    i = next;
    len = nlen;
  }
  if (rc == SQLITE_DONE) s->stop = 1;
  *end = i;
  return rc;
}

int lp_tok_split(const fts5_tokenizer *fn, Fts5Tokenizer *inner, int flags,
                 const char *text, int n, void *ctx, lp_tok_cb cb) {
  const unsigned char *u = (const unsigned char *)text;
  int doc = (flags & FTS5_TOKENIZE_QUERY) == 0;
  int i = 0, seg = 0, len = 0, rc = SQLITE_OK;
  seg_ctx s;
  s.cb = cb;
  s.ctx = ctx;
  s.stop = 0;
  while (rc == SQLITE_OK && !s.stop && seg < n) {
    /* bytes below 0xE1 start no CJK character */
    for (; i < n; i++)
      if (u[i] >= 0xE1 && (len = cjk_at(u, n, i)) > 0) break;
    if (i > seg) {                              /* alphabetic text */
      s.base = seg;
      rc = fn->xTokenize(inner, &s, flags, text + seg, i - seg, seg_token);
      if (rc != SQLITE_OK || s.stop) break;
    }
    if (i < n) rc = emit_run(text, n, i, len, doc, &s, &i);
    seg = i;
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- stems ---- */

typedef struct {
  lp_tok_cb cb;
  void *ctx;
  int flags;
} stem_ctx;

/* A document keeps the word and adds its stem; a query looks for the
 * stem, a prefix query for the word as typed. */
static int stem_token(void *p, int tflags, const char *tok, int n, int start,
                      int end) {
  stem_ctx *s = p;
  char buf[LP_STEM_MAX];
  size_t len;
  int i, rc;
  if (n < 3 || n >= LP_STEM_MAX || (tflags & FTS5_TOKEN_COLOCATED) ||
      (s->flags & FTS5_TOKENIZE_PREFIX))
    return s->cb(s->ctx, tflags, tok, n, start, end);
  for (i = 0; i < n; i++)
    if (tok[i] < 'a' || tok[i] > 'z')
      return s->cb(s->ctx, tflags, tok, n, start, end);
  len = lp_stem_en(tok, (size_t)n, buf);
  if (len == (size_t)n && memcmp(buf, tok, len) == 0)
    return s->cb(s->ctx, tflags, tok, n, start, end);
  if (s->flags & FTS5_TOKENIZE_QUERY)
    return s->cb(s->ctx, tflags, buf, (int)len, start, end);
  rc = s->cb(s->ctx, tflags, tok, n, start, end);
  if (rc != SQLITE_OK) return rc;
  return s->cb(s->ctx, tflags | FTS5_TOKEN_COLOCATED, buf, (int)len, start,
               end);
}

/* ---- the tokenizer registered on loupe's connections ---- */

/* The arguments articles_fts is declared with (store.c's schema): tokens
 * computed ahead are made with these and replayed only for them. */
static const char *const tok_args[] = {"remove_diacritics", "2"};
#define N_TOK_ARGS 2

typedef struct {
  fts5_tokenizer fn;             /* the connection's own unicode61 */
  void *ud;
  const lp_ftoks *const *ahead;  /* the storing thread's current tokens */
  const int *mode;               /* LP_TOK_* of the open corpus */
} wrap_ctx;

typedef struct {
  Fts5Tokenizer *inner;
  fts5_tokenizer fn;
  const lp_ftoks *const *ahead;
  int mode;                      /* as it was when the table connected */
  int replay;                    /* declared with tok_args */
} wrapper;

static int wrap_create(void *ctx, const char **argv, int argc,
                       Fts5Tokenizer **out) {
  wrap_ctx *wc = ctx;
  wrapper *w = calloc(1, sizeof *w);
  int rc, i;
  *out = NULL;
  if (w == NULL) return SQLITE_NOMEM;
  rc = wc->fn.xCreate(wc->ud, argv, argc, &w->inner);
  if (rc != SQLITE_OK) {
    free(w);
    return rc;
  }
  w->fn = wc->fn;
  w->ahead = wc->ahead;
  w->mode = *wc->mode;
  w->replay = argc == N_TOK_ARGS && (w->mode & LP_TOK_CJK);
  for (i = 0; i < argc && w->replay; i++)
    w->replay = strcmp(argv[i], tok_args[i]) == 0;
  *out = (Fts5Tokenizer *)w;
  return SQLITE_OK;
}

static void wrap_delete(Fts5Tokenizer *t) {
  wrapper *w = (wrapper *)t;
  if (w == NULL) return;
  w->fn.xDelete(w->inner);
  free(w);
}

static int wrap_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
                         const char *text, int n, lp_tok_cb tok) {
  wrapper *w = (wrapper *)t;
  stem_ctx sc;
  int rc;
  if (!(w->mode & LP_TOK_CJK))
    return w->fn.xTokenize(w->inner, ctx, flags, text, n, tok);
  if (w->mode & LP_TOK_STEM_EN) {
    sc.cb = tok;
    sc.ctx = ctx;
    sc.flags = flags;
    ctx = &sc;
    tok = stem_token;
  }
  if (w->replay && flags == FTS5_TOKENIZE_DOCUMENT &&
      lp_ftoks_replay(*w->ahead, text, n, ctx, tok, &rc))
    return rc;
  return lp_tok_split(&w->fn, w->inner, flags, text, n, ctx, tok);
}

int lp_ftok_register(struct sqlite3 *db, const lp_ftoks *const *ahead,
                     const int *mode) {
  static fts5_tokenizer wrap_fn = {wrap_create, wrap_delete, wrap_tokenize};
  fts5_api *api = lp_fts5_api(db);
  wrap_ctx *wc;
  int rc;
  if (api == NULL) return LOUPE_OK;        /* no FTS5: nothing to wrap */
  wc = calloc(1, sizeof *wc);
  if (wc == NULL) return LOUPE_ENOMEM;
  if (api->xFindTokenizer(api, "unicode61", &wc->ud, &wc->fn) != SQLITE_OK) {
    free(wc);
    return LOUPE_OK;
  }
  wc->ahead = ahead;
  wc->mode = mode;
  rc = api->xCreateTokenizer(api, "unicode61", wc, &wrap_fn, free);
  if (rc != SQLITE_OK) {
    free(wc);
    return LOUPE_EDB;
  }
  return LOUPE_OK;
}

/* ---- the tokenizer of a corpus: recorded, chosen, migrated ---- */

/* The meta row's value for a mode, and back (-1 unknown). */
static const char *mode_name(int mode) {
  return (mode & LP_TOK_STEM_EN) ? "bigrams stem=en" : "bigrams";
}

static int mode_of(const char *v) {
  if (v == NULL) return -1;
  if (strcmp(v, "bigrams") == 0) return LP_TOK_CJK;
  if (strcmp(v, "bigrams stem=en") == 0) return LP_TOK_CJK | LP_TOK_STEM_EN;
  return -1;
}

int lp_tok_stem_code(const char *stem, int *mode) {
  *mode = 0;
  if (stem == NULL || stem[0] == '\0' || strcmp(stem, "none") == 0)
    return LOUPE_OK;
  if (strcmp(stem, "en") == 0) {
    *mode = LP_TOK_STEM_EN;
    return LOUPE_OK;
  }
  return LOUPE_EINVAL;
}

static int record_mode(loupe_db *db, int mode) {
  char sql[120];
  snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value)"
           " VALUES ('tokenizer', '%s')", mode_name(mode));
  return lp_db_exec(db, sql, "record the tokenizer");
}

/* Add a line to the open's notices. */
static void tok_notice(loupe_db *db, const char *msg) {
  size_t used = strlen(db->notices);
  snprintf(db->notices + used, sizeof db->notices - used, "%s%s",
           used ? "\n" : "", msg);
}

int lp_tok_migrate(loupe_db *db, int version, int after) {
  long long n = 0;
  char msg[300];
  sqlite3_stmt *st = NULL;
  int rc, mode = LP_TOK_CJK | db->tok_want;
  if (!after) {                    /* the table as it is, until rebuilt */
    db->tok_mode = version == 0 ? mode : 0;
    return LOUPE_OK;
  }
  if (version == 0) return record_mode(db, mode);
  rc = lp_db_exec(db, "DROP TABLE articles_fts", "re-index");
  if (rc) return rc;
  db->tok_mode = mode;
  rc = lp_db_exec(db, "CREATE VIRTUAL TABLE articles_fts USING fts5(title,"
                  " body, content='articles', content_rowid='id',"
                  " tokenize='unicode61 remove_diacritics 2');"
                  "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')",
                  "re-index");
  if (rc == LOUPE_OK) rc = record_mode(db, mode);
  if (rc) return rc;
  if (sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM articles", -1, &st,
                         NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  snprintf(msg, sizeof msg, "%s: full-text index rebuilt for schema version"
           " %d (%lld article%s): Chinese, Japanese and Korean text is now"
           " found by any substring%s", db->path, LOUPE_SCHEMA_VERSION, n,
           n == 1 ? "" : "s",
           (mode & LP_TOK_STEM_EN) ? ", English words by their stem" : "");
  tok_notice(db, msg);
  return LOUPE_OK;
}

int lp_tok_configure(loupe_db *db, int version) {
  sqlite3_stmt *st = NULL;
  int rc, mode = -1;
  if (version < 4) {
    db->tok_mode = 0;                        /* unicode61 as it was */
    return LOUPE_OK;
  }
  rc = sqlite3_prepare_v2(db->sql, "SELECT value FROM meta WHERE key ="
                          " 'tokenizer'", -1, &st, NULL);
  if (rc != SQLITE_OK) return lp_db_error(db, rc, "read the tokenizer");
  if (sqlite3_step(st) == SQLITE_ROW)
    mode = mode_of((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (mode < 0) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus names no "
             "tokenizer this loupe knows (meta 'tokenizer')", db->path);
    return LOUPE_ECORRUPT;
  }
  db->tok_mode = mode;
  if (!db->readonly && db->tok_want_set &&
      db->tok_want != (mode & LP_TOK_STEM_EN)) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s: the corpus was created %s"
             " stemming; stem is chosen when a corpus is created", db->path,
             (mode & LP_TOK_STEM_EN) ? "with English" : "without");
    return LOUPE_EINVAL;
  }
  return LOUPE_OK;
}
