/*
 * phrase_text.c - the texts talking points are found in (phrases.c), read
 * into segments of word hashes: a segment never crosses a paragraph
 * break, a speaker's label ("A:", "MS. PSAKI:", "答："), a URL or a
 * bracket or backslash (an editor's insertion, markup); CJK runs
 * give one token per character; contractions are one word ("don't") and
 * a possessive 's is dropped ("Wang Yi's" reads as "Wang Yi"). Reporters'
 * question turns ("Q: ...", "问：", a paragraph ending in "?") and
 * headlines (the title, a paragraph repeating it) are excluded segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "phrases.h"

/* A letter or a digit: what words are made of. */
int lp_tp_is_word_cp(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
  return lp_is_letter(cp);
}

static int ws_add(lp_word_set *s, uint32_t h) {
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

int lp_tp_has(const lp_word_set *s, uint32_t h) {
  size_t k = h & s->mask;
  while (s->h[k]) {
    if (s->h[k] == h) return 1;
    k = (k + 1) & s->mask;
  }
  return 0;
}

static int ws_init(lp_word_set *s) {
  s->h = calloc(1024, sizeof *s->h);
  s->mask = 1023;
  s->used = 0;
  return s->h ? LOUPE_OK : LOUPE_ENOMEM;
}

/* Function words: a talking point neither starts nor ends with one, and
 * is mostly made of others. English, and the commonest CJK particles. */
static const char *const STOP_WORDS[] = {
  "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by",
  "for", "with", "from", "as", "is", "are", "was", "were", "be", "been",
  "being", "has", "have", "had", "do", "does", "did", "will", "would",
  "shall", "should", "can", "could", "may", "might", "must", "that",
  "this", "these", "those", "it", "its", "we", "you", "he", "she", "they",
  "i", "our", "your", "their", "his", "her", "them", "me", "my",
  "which", "who", "whom", "what", "if", "so", "not", "no", "than", "then",
  "there", "here", "also", "into", "about", "over", "such", "any", "some",
  "all", "more", "very", "just", "up", "out", "said", "says", "say",
  /* contractions (read as one word) and the fillers of spoken answers */
  "im", "ive", "id", "ill", "dont", "doesnt", "didnt", "wont", "cant",
  "isnt", "arent", "wasnt", "weve", "youre", "theyre", "thats", "lets",
  "theres", "get", "going", "gonna", "want", "like", "think", "know",
  "go", "look", "well", "yeah", "okay", "ok", "thank", "thanks", "really",
  "lot", "thing", "things", "way", "sure", "right", "now",
  "\xe7\x9a\x84", "\xe4\xba\x86", "\xe5\x92\x8c", "\xe6\x98\xaf",
  "\xe5\x9c\xa8", "\xe4\xb8\x8e", "\xe5\xaf\xb9", "\xe4\xb9\x9f",
  "\xe9\x83\xbd", "\xe5\xb0\xb1", "\xe8\x80\x8c", "\xe5\x8f\x8a",
  "\xe5\xb9\xb6", "\xe5\xb0\x86",  /* 的 了 和 是 在 与 对 也 都 就 而 及 并 将 */
};

int lp_tp_stop_words(lp_word_set *s) {
  size_t i;
  if (ws_init(s)) return LOUPE_ENOMEM;
  for (i = 0; i < sizeof STOP_WORDS / sizeof *STOP_WORDS; i++)
    if (ws_add(s, lp_fnv32_ascii_ci(STOP_WORDS[i], strlen(STOP_WORDS[i]))))
      return LOUPE_ENOMEM;
  return LOUPE_OK;
}

/* ---- the texts, as segments of word hashes ---- */

/* Room for element n in each of the k parallel arrays whose pointers are
 * at arrays[0..k) (elements of elem[0..k) bytes), all of capacity *cap:
 * lp_grow on each, *cap doubled (first when 0) once all have grown. Out
 * of memory, LOUPE_ENOMEM with *cap as it was (an array already grown
 * only holds more room than *cap says). */
static int grow_together(void *const *arrays, const size_t *elem, size_t k,
                         size_t *cap, size_t n, size_t first) {
  size_t i, grown = *cap;
  for (i = 0; i < k; i++) {
    grown = *cap;
    if (lp_grow(arrays[i], &grown, n, elem[i], first)) return LOUPE_ENOMEM;
  }
  *cap = grown;
  return LOUPE_OK;
}

/* Room for token ntok: its hash, offset and sentence mark. Out of line
 * (push_tok runs on every word; this once in a doubling). */
static int grow_tokens(lp_tp_text *c) {
  void *const cols[] = {&c->tok, &c->off, &c->sent};
  const size_t elem[] = {sizeof *c->tok, sizeof *c->off, sizeof *c->sent};
  return grow_together(cols, elem, 3, &c->cap, c->ntok, 65536);
}

/* Room for segment nseg and for its end, start[nseg + 1]. */
static int grow_segments(lp_tp_text *c) {
  void *const cols[] = {&c->start, &c->doc, &c->kind};
  const size_t elem[] = {sizeof *c->start, sizeof *c->doc, sizeof *c->kind};
  return grow_together(cols, elem, 3, &c->scap, c->nseg + 1, 4096);
}

static int push_tok(lp_tp_text *c, uint32_t t, uint32_t off, int sent) {
  if (c->ntok == c->cap && grow_tokens(c)) return LOUPE_ENOMEM;
  c->tok[c->ntok] = t;
  c->off[c->ntok] = off;
  c->sent[c->ntok] = (unsigned char)sent;
  c->ntok++;
  c->start[c->nseg] = c->ntok;
  return LOUPE_OK;
}

/* Start a new segment of text doc (an empty last one is reused). */
static int seg_open(lp_tp_text *c, uint32_t doc, int kind) {
  if (c->nseg > 0 && c->start[c->nseg - 1] == c->ntok) {
    c->doc[c->nseg - 1] = doc;
    c->kind[c->nseg - 1] = (unsigned char)kind;
    return LOUPE_OK;
  }
  if (c->nseg + 1 >= c->scap && grow_segments(c)) return LOUPE_ENOMEM;
  c->start[c->nseg] = c->ntok;
  c->doc[c->nseg] = doc;
  c->kind[c->nseg] = (unsigned char)kind;
  c->nseg++;
  c->start[c->nseg] = c->ntok;
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

/* Record the text of row st (its article, cluster, date, outlet,
 * speakers and quote id); its index is c->ndoc - 1. */
static int add_doc(lp_tp_text *c, sqlite3_stmt *st, int by_speaker) {
  size_t i = c->ndoc;
  void *const cols[] = {&c->cluster, &c->article, &c->date, &c->outlet,
                        &c->speaker, &c->quote};
  const size_t elem[] = {sizeof *c->cluster, sizeof *c->article,
                         sizeof *c->date, sizeof *c->outlet,
                         sizeof *c->speaker, sizeof *c->quote};
  if (i == c->dcap && grow_together(cols, elem, 6, &c->dcap, i, 1024))
    return LOUPE_ENOMEM;
  c->article[i] = sqlite3_column_int64(st, 0);
  c->cluster[i] = sqlite3_column_int64(st, 1);
  c->date[i] = dup_col(st, 2);
  c->outlet[i] = dup_col(st, 3);
  c->speaker[i] = dup_col(st, 5);
  c->quote[i] = by_speaker ? sqlite3_column_int64(st, 6) : 0;
  c->ndoc++;
  return LOUPE_OK;
}

void lp_tp_free(lp_tp_text *c) {
  size_t i;
  for (i = 0; i < c->ndoc; i++) {
    free(c->date[i]);
    free(c->outlet[i]);
    free(c->speaker[i]);
  }
  free(c->tok);
  free(c->off);
  free(c->sent);
  free(c->start);
  free(c->doc);
  free(c->kind);
  free(c->cluster);
  free(c->article);
  free(c->date);
  free(c->outlet);
  free(c->speaker);
  free(c->quote);
}

/* ---- reading words ---- */

static int is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int is_alpha(char ch) {
  return (ch | 32) >= 'a' && (ch | 32) <= 'z';
}

/* Is s[0..n) (a run without spaces) a URL, a path or an address? */
static int url_like(const char *s, size_t n) {
  size_t i;
  int slash = 0, dot = 0;
  if (n >= 4 && (memcmp(s, "www.", 4) == 0 || memcmp(s, "WWW.", 4) == 0))
    return 1;
  for (i = 0; i < n; i++) {
    if (s[i] == '@' && i > 0 && i + 1 < n) return 1;
    if (s[i] == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
      return 1;
    if (s[i] == '/' && i > 0 && i + 1 < n && !is_space(s[i + 1])) slash = 1;
    if (s[i] == '.' && i > 0 && i + 2 < n && is_alpha(s[i + 1]) &&
        is_alpha(s[i + 2]) && is_alpha(s[i - 1]))
      dot = 1;
    if (s[i] == '=' || s[i] == '?' || s[i] == '&' || s[i] == '#')
      if (i > 0 && i + 1 < n) slash |= dot;
  }
  return slash && dot;
}

/* The length of the apostrophe (' or ’) at s[i] with a byte after it,
 * or 0. */
static size_t apostrophe_len(const char *s, size_t n, size_t i) {
  if (s[i] == '\'' && i + 1 < n) return 1;
  if ((unsigned char)s[i] == 0xE2 && i + 3 < n &&
      (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99)
    return 3;
  return 0;
}

/* One non-CJK word at s[i] into buf: letters and digits; "U.S." reads as
 * "us"; a possessive 's ends the word and is dropped ("Yi's" -> "yi", so
 * "Wang Yi" and "Wang Yi's" agree). Returns the index after it. */
size_t lp_tp_read_word(const char *s, size_t n, size_t i, char *buf,
                        size_t cap, size_t *len) {
  size_t k = 0, m;
  while (i < n) {
    uint32_t cp = lp_utf8_decode((const unsigned char *)s, n, i, &m);
    if (lp_tp_is_word_cp(cp) && !lp_is_cjk(cp)) {
      if (k + m < cap) { memcpy(buf + k, s + i, m); k += m; }
      i += m;
    } else if (s[i] == '.' && k == 1 && i + 2 < n && is_alpha(s[i + 1]) &&
               s[i + 2] == '.') {
      i++;                      /* dots inside an abbreviation (U.S.) */
    } else if (s[i] == '.' && k >= 1 && k <= 3 && i >= 2 && s[i - 2] == '.' &&
               i + 1 < n && !is_alpha(s[i + 1])) {
      i++;
    } else if (s[i] == '\'' && i + 1 < n && (s[i + 1] | 32) == 's' &&
               (i + 2 >= n || !is_alpha(s[i + 2]))) {
      i += 2;
      break;
    } else if (k > 0 && apostrophe_len(s, n, i) && is_alpha(s[i + apostrophe_len(s, n, i)])) {
      i += apostrophe_len(s, n, i);       /* don't, I’m: one word */
    } else if ((unsigned char)s[i] == 0xE2 && i + 3 < n &&
               (unsigned char)s[i + 1] == 0x80 &&
               (unsigned char)s[i + 2] == 0x99 && (s[i + 3] | 32) == 's' &&
               (i + 4 >= n || !is_alpha(s[i + 4]))) {
      i += 4;                   /* ’s */
      break;
    } else {
      break;
    }
  }
  *len = k;
  return i;
}

/* The label that opens a turn of a transcript ("Q:", "A:", "Zhao
 * Lijian:", "答：", "问："): the index after it (0 when none); *question
 * is set when the label is a reporter's. */
static size_t turn_label(const char *s, size_t n, int *question) {
  size_t i, words = 0, wlen = 0;
  int in = 0;
  *question = 0;
  if (n >= 1 && s[0] == 'Q' && (n == 1 || s[1] == ' ' || s[1] == '\t' ||
                                s[1] == ':' || s[1] == '.')) {
    *question = 1;                /* "Q:", "Q." and the bare "Q  " */
    return n >= 2 ? 2 : 1;
  }
  for (i = 0; i < n && i < 48; i++) {
    unsigned char ch = (unsigned char)s[i];
    int colon = ch == ':' ||
      (ch == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
       (unsigned char)s[i + 2] == 0x9A);
    if (colon) {
      if (i == 0) return 0;
      *question = (i == 1 && (s[0] | 32) == 'q') ||
        (i == 8 && memcmp(s, "Question", 8) == 0) ||
        (i == 8 && memcmp(s, "Reporter", 8) == 0) ||
        (i == 10 && memcmp(s, "Journalist", 10) == 0) ||
        (i == 3 && memcmp(s, "\xe9\x97\xae", 3) == 0) ||      /* 问 */
        (i == 6 && memcmp(s, "\xe8\xae\xb0\xe8\x80\x85", 6) == 0); /* 记者 */
      return i + (ch == ':' ? 1 : 3);
    }
    if (ch == '.' && wlen >= 1 && wlen <= 3 && i + 1 < n && s[i + 1] == ' ')
      continue;                 /* MS. JEAN-PIERRE:, DR. FAUCI: */
    if (ch == '.' || ch == ',' || ch == '?' || ch == '!' || ch == '"' ||
        (ch == 0xE3 && i + 1 < n && (unsigned char)s[i + 1] == 0x80) ||
        (ch == 0xEF && i + 1 < n && (unsigned char)s[i + 1] == 0xBC))
      return 0;                 /* sentence punctuation: no label */
    if (is_space((char)ch)) {
      in = 0;
      wlen = 0;
    } else {
      wlen++;
      if (!in) { in = 1; if (++words > 4) return 0; }
    }
  }
  return 0;
}

/* Does the paragraph s[0..n) end in a question mark (ASCII or full
 * width), closing quotes aside? */
static int ends_in_question(const char *s, size_t n) {
  while (n > 0 && (is_space(s[n - 1]) || s[n - 1] == '"' || s[n - 1] == ')'))
    n--;
  if (n >= 1 && s[n - 1] == '?') return 1;
  return n >= 3 && memcmp(s + n - 3, "\xef\xbc\x9f", 3) == 0;   /* ？ */
}

/* Same letters and digits, in the same order, case aside? */
static int same_words(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, j = 0;
  for (;;) {
    while (i < an && (unsigned char)a[i] < 0x80 && !is_alpha(a[i]) &&
           !(a[i] >= '0' && a[i] <= '9'))
      i++;
    while (j < bn && (unsigned char)b[j] < 0x80 && !is_alpha(b[j]) &&
           !(b[j] >= '0' && b[j] <= '9'))
      j++;
    if (i == an || j == bn) return i == an && j == bn;
    if ((a[i] | ((unsigned char)a[i] < 0x80 ? 32 : 0)) !=
        (b[j] | ((unsigned char)b[j] < 0x80 ? 32 : 0)))
      return 0;
    i++;
    j++;
  }
}

/* ---- scanning texts into segments ---- */

typedef struct {
  lp_tp_text *c;
  lp_word_set *vocab;        /* pass 0 fills it; pass 1 folds compounds */
  int pass;
  uint32_t doc;
  char prev[64];          /* the word before, for compounds */
  size_t plen;
  int sent;               /* a sentence ended since the last word */
} scan_ctx;

/* End the current segment and open one of kind (pass 1 only). */
static int seg_break(scan_ctx *x, int kind) {
  x->plen = 0;
  return x->pass == 1 ? seg_open(x->c, x->doc, kind) : LOUPE_OK;
}

/* One word: in pass 0 into the vocabulary; in pass 1 onto the segment,
 * folding a compound split in two ("cyber attacks") into the corpus's
 * one-word form ("cyberattacks") when that form occurs anywhere. */
static int emit_word(scan_ctx *x, const char *w, size_t len, int cjk,
                     size_t at) {
  uint32_t h = lp_fnv32_ascii_ci(w, len);
  if (x->pass == 0) return cjk ? LOUPE_OK : ws_add(x->vocab, h);
  if (!cjk && x->plen >= 3 && len >= 3 && x->plen + len < sizeof x->prev) {
    uint32_t hc;
    memcpy(x->prev + x->plen, w, len);
    hc = lp_fnv32_ascii_ci(x->prev, x->plen + len);
    if (lp_tp_has(x->vocab, hc)) {
      x->c->tok[x->c->ntok - 1] = hc;
      x->plen = 0;
      return LOUPE_OK;
    }
  }
  if (push_tok(x->c, h, (uint32_t)at, x->sent)) return LOUPE_ENOMEM;
  x->sent = 0;
  if (cjk || len >= sizeof x->prev) {
    x->plen = 0;
  } else {
    memcpy(x->prev, w, len);
    x->plen = len;
  }
  return LOUPE_OK;
}

/* The words of s[0..n) (offsets from base) as one segment of kind,
 * broken at URLs; CJK characters one token each. */
static int scan_span(scan_ctx *x, const char *s, size_t n, size_t base,
                     int kind) {
  char buf[64];
  size_t i = 0, m, len;
  if (seg_break(x, kind)) return LOUPE_ENOMEM;
  while (i < n) {
    uint32_t cp;
    if (i == 0 || is_space(s[i - 1])) {
      size_t e = i;
      while (e < n && !is_space(s[e])) e++;
      if (e > i && url_like(s + i, e - i)) {
        i = e;
        if (seg_break(x, kind)) return LOUPE_ENOMEM;
        continue;
      }
    }
    cp = lp_utf8_decode((const unsigned char *)s, n, i, &m);
    if (cp == '[' || cp == ']' || cp == '\\') {
      /* an editor's insertion ("[inaudible]", "[senior administration
       * official]") or markdown's escape (a backslash before a
       * bracket or a star): not speech, so no phrase runs across it */
      i += m;
      if (seg_break(x, kind)) return LOUPE_ENOMEM;
    } else if (!lp_tp_is_word_cp(cp)) {
      if (cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 ||
          cp == 0xFF01 || cp == 0xFF1F)
        x->sent = 1;              /* . ! ? and the full-width 。！？ */
      i += m;
    } else if (lp_is_cjk(cp)) {
      if (emit_word(x, s + i, m, 1, base + i)) return LOUPE_ENOMEM;
      i += m;
    } else {
      size_t at = i;
      i = lp_tp_read_word(s, n, i, buf, sizeof buf, &len);
      if (i == at) i += m;
      if (len > 0 && emit_word(x, buf, len, 0, base + at))
        return LOUPE_ENOMEM;
    }
  }
  return LOUPE_OK;
}

/* A text (a body or a quote) paragraph by paragraph: the turn label
 * skipped; question turns and the paragraphs that repeat the title read
 * as excluded segments; then the title itself as one. */
static int scan_text(scan_ctx *x, const char *s, size_t n, const char *title,
                     size_t tn) {
  size_t i = 0;
  while (i < n) {
    size_t e = i, lab;
    int question, kind;
    while (e < n && s[e] != '\n') e++;
    lab = turn_label(s + i, e - i, &question);
    kind = question || ends_in_question(s + i, e - i) ||
           (title && same_words(s + i, e - i, title, tn))
           ? LP_SEG_EXCLUDED : LP_SEG_TEXT;
    if (scan_span(x, s + i + lab, e - i - lab, i + lab, kind))
      return LOUPE_ENOMEM;
    i = e + 1;
  }
  if (title && scan_span(x, title, tn, 0, LP_SEG_EXCLUDED)) return LOUPE_ENOMEM;
  return seg_break(x, LP_SEG_TEXT);
}

/*
 * Read the texts (article bodies, or the quotes of one speaker), ordered
 * by cluster. Pass 0 collects the vocabulary; pass 1 stores the segments.
 */
int lp_tp_load(loupe_db *db, const loupe_tp_options *o,
                      lp_tp_text *c) {
  sqlite3_stmt *st = NULL;
  lp_word_set vocab = {0};
  scan_ctx x;
  int rc = LOUPE_OK, pass;
  const char *sql = o->speaker
    ? "SELECT a.id, coalesce(a.cluster_id, -a.id), a.date, a.outlet,"
      " qu.text, qu.speaker, qu.id, NULL FROM quotes qu JOIN articles a"
      " ON a.id = qu.article_id WHERE qu.speaker = ?1 COLLATE NOCASE"
      " AND (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date <= ?3)"
      " ORDER BY 2, a.id"
    : "SELECT a.id, coalesce(a.cluster_id, -a.id), a.date, a.outlet,"
      " a.body, (SELECT group_concat(qu.offset || ',' || (qu.offset +"
      "  length(CAST(qu.text AS BLOB))) || ',' || qu.speaker, char(31))"
      "  FROM quotes qu WHERE qu.article_id = a.id AND qu.speaker <> ''),"
      " 0, a.title"
      " FROM articles a WHERE (?1 IS NULL OR 1) AND"
      " (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date <= ?3)"
      " ORDER BY 2, a.id";
  if (ws_init(&vocab)) return LOUPE_ENOMEM;
  memset(&x, 0, sizeof x);
  x.c = c;
  x.vocab = &vocab;
  for (pass = 0; pass < 2 && rc == LOUPE_OK; pass++) {
    x.pass = pass;
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
      const char *t = (const char *)sqlite3_column_text(st, 7);
      if (s == NULL) continue;
      if (pass == 1) {
        if (add_doc(c, st, o->speaker != NULL)) { rc = LOUPE_ENOMEM; break; }
        x.doc = (uint32_t)(c->ndoc - 1);
      }
      if (scan_text(&x, s, (size_t)sqlite3_column_bytes(st, 4), t,
                    t ? (size_t)sqlite3_column_bytes(st, 7) : 0)) {
        rc = LOUPE_ENOMEM;
        break;
      }
    }
    if (rc == SQLITE_DONE) rc = LOUPE_OK;
    else if (rc != LOUPE_ENOMEM) rc = lp_db_error(db, rc, "talking points");
    sqlite3_finalize(st);
    st = NULL;
  }
  free(vocab.h);
  return rc;
}

