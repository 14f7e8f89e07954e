/*
 * quotes.h - private to the quote finder (qwords.c, registry.c,
 * mentions.c, speakers.c, verbafter.c, cueafter.c, reported.c,
 * quotes.c): the body, the registry of people, quotes being built and
 * the functions they share.
 */
#ifndef LOUPE_QUOTES_H
#define LOUPE_QUOTES_H

#include <stdint.h>
#include "extract.h"

#define MAX_SEGS 4
/* Bytes before a phrase quote searched for its speaker ("X called the plan
 * "..."") when the sentence started further back. Prose sentences are far
 * shorter; the bound keeps a paragraph without sentence ends linear. */
#define PHRASE_SPAN 1000
/* Bytes of closing marks and spaces skipped after a quote to its cue in
 * the next sentence ("..." He said.). */
#define LEFTOVER_SKIP 32

/* ---- the body and its words ---- */

struct vocab_s;

/* The last sentence start found in a paragraph (see qt_sentence_start). */
typedef struct {
  size_t from, at, k;
  int valid;
} sent_memo;

/* mentions.c: the places of mentions, found once (qt_note_mentions_once) */
typedef struct qt_mention_memo qt_mention_memo;

typedef struct {
  const struct vocab_s *v;   /* the word lists (see vocab) */
  sent_memo *memo;       /* mutable: sentence starts asked for before */
  const char *s;         /* body */
  size_t n;
  const size_t *pstart;  /* paragraph starts in the body */
  const size_t *pend;
  size_t np;
  qt_mention_memo *mm;   /* mutable: mention places (NULL: scan each time) */
} body_t;

/* A person (or organisation) the article introduces. */
typedef struct {
  size_t start, len;     /* the full name in the body */
  size_t first_len;      /* length of its first word */
  size_t last_start;     /* body offset of its last word */
  char *role;            /* malloc'd role phrase or NULL */
  int gender;            /* 0 unknown, 1 he, 2 she */
  int org;               /* an organisation or a document, not a person */
  int unlisted;          /* a name only seen (no role, never credited):
                            no entity */
  int tentative;         /* seen as a name only; confirmed when credited
                            with words (pronouns skip tentative names) */
  char noun[16];         /* what an organisation or document is called by:
                            "ministry", "report" ("the report said") */
  size_t last;           /* body offset of the latest mention */
  int next[3];           /* next person with the same key (see rkey) */
  int node;              /* its node in the recency tree, -1 none */
  int org_nodes;         /* first of its nodes in the org-noun trees */
} person;

/*
 * The recency trees: treaps (randomised search trees) keyed by (last,
 * person index), so "the latest person mentioned before pos who fits"
 * is a walk down one tree rather than a pass over everybody. Each node
 * carries the classes of its person (bits of rec_class) and, over its
 * subtree, their union and the largest person index.
 */
typedef struct {
  size_t key;            /* the person's `last` when linked */
  int who;
  int l, r;              /* children, -1 none */
  uint32_t pri;
  uint32_t self, mask;   /* classes of who; union over the subtree */
  int maxwho;            /* largest who in the subtree */
  int next;              /* next node of the same person (org nouns) */
} rnode;

/* Keys of the name index: a full name, a first word, a last word. */
enum { K_FULL, K_FIRST, K_LAST };

typedef struct {
  uint32_t h;            /* hash of the key bytes and kind */
  int kind;
  int head, tail;        /* the chain of persons, in index order; head -1:
                            an empty slot */
} rkey;

typedef struct {
  person *p;             /* grows as people are found */
  int n, cap;
  uint64_t firsts[4];    /* bit c: some person's first or last word (the
                            parts qt_find_partial matches) starts with byte c */
  rkey *keys;            /* open addressing, a power of two */
  size_t nkeys, nslots;
  rnode *nodes;          /* the nodes of every recency tree */
  int nnodes, capnodes;
  int root;              /* tree of the people (not organisations) */
  int *org_root;         /* one tree per organisation noun */
  uint32_t seed;         /* priorities (fixed: same output every run) */
  int oom;               /* an allocation failed (sticky) */
  int han;               /* some person has a Han name (zhcues.c) */
  const char *s;         /* the body the offsets point into */
} registry;

static inline int may_start_name(const registry *r, unsigned char c) {
  return (int)((r->firsts[c >> 6] >> (c & 63)) & 1);
}

/* A quote being built. */
typedef struct {
  size_t seg[MAX_SEGS][2];
  int nseg;
  int kind;              /* 0 direct, 1 reported, 2 phrase */
  int speaker;           /* index into the registry, -1 none */
  const char *speaker_text;  /* a speaker outside the registry ("the report") */
  size_t speaker_text_len;
  const char *cue;       /* static cue word */
  char cue_buf[32];      /* the cue as printed, when it differs */
  size_t para;
  const char *rule;      /* static: the sieve that found the speaker */
  int skind;             /* S_PERSON.. when known without the registry */
  const char *mention;   /* the words that pointed to the speaker */
  size_t mention_len;
  const char *role_text; /* static role for a speaker outside the
                            registry ("journalist") */
} qbuild;

/* What a speaker is (qbuild.skind; loupe_quote.speaker_kind). */
enum { S_UNKNOWN, S_PERSON, S_ORG, S_DOCUMENT };
/* Quote kinds (qbuild.kind). */
enum { Q_DIRECT, Q_REPORTED, Q_PHRASE, Q_TURN };

/* The word lists above as one hash table built per article: each word
 * maps to the bits of the lists it is on. */
enum {
  V_SPEECH = 1 << 0, V_REPORT = 1 << 1, V_LABEL = 1 << 2, V_ROLE = 1 << 3,
  V_ORG = 1 << 4, V_NOTNAME = 1 << 5, V_TITLE = 1 << 6, V_NAMING = 1 << 7,
  V_CONJ = 1 << 8, V_MOD = 1 << 9, V_HE = 1 << 10, V_SHE = 1 << 11,
  V_HONOR = 1 << 12, V_IT = 1 << 13, V_FILLER = 1 << 14,
  V_ORGTAIL = 1 << 15
};

#define VOCAB_SLOTS 2048u

typedef struct vocab_s {
  uint32_t h[VOCAB_SLOTS];
  uint16_t m[VOCAB_SLOTS];
  uint32_t fl[256];      /* by first byte (folded): bit k set when a listed
                            word of k bytes starts with it; most words of a
                            text are rejected on this before any hashing */
  uint32_t fl_role[256]; /* the same for the role nouns alone */
  uint32_t fl_report[256];  /* and for the reporting verbs */
} vocab;

typedef struct {
  int who;                /* registry index, -1 */
  const char *text;       /* a speaker outside the registry */
  size_t len;
  size_t start, end;      /* the speaker phrase */
  const char *how;        /* static: "name", "pronoun", "role-noun".. */
} speaker_ref;

typedef struct {
  qbuild *q;
  size_t n, cap;
} qlist;

/* The smallest word tests, inline: they run for every byte. */
/* A Han character (U+4E00-U+9FFF: three bytes led by E4-E9) at s[i],
 * whole within n? */
static inline int qt_han_at(const char *s, size_t n, size_t i) {
  unsigned char c = (unsigned char)s[i];
  return c >= 0xE4 && c <= 0xE9 && i + 3 <= n;
}

/* Is the three-byte character at s[i] one of set (three-byte characters
 * written one after another)? (zhcues.c) */
int qt_han_in(const char *s, size_t i, const char *set);

static inline int qt_is_upper_at(const char *s, size_t n, size_t i) {
  unsigned char c = (unsigned char)s[i];
  if (c >= 'A' && c <= 'Z') return 1;
  if (c == 0xC3 && i + 1 < n) {
    unsigned char d = (unsigned char)s[i + 1];
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  return 0;
}

static inline int qt_is_word_byte(unsigned char c) {
  return lp_byte_class[c] & (LP_B_ALPHA | LP_B_DIGIT | LP_B_HIGH | LP_B_HYPHEN);
}

static inline size_t qt_skip_space(const char *s, size_t lim, size_t i) {
  while (i < lim && (s[i] == ' ' || s[i] == '\n')) i++;
  return i;
}

static inline int qt_may_be_on(const uint32_t *fl, const char *s, size_t a, size_t b) {
  unsigned char c = (unsigned char)s[a];
  if (b <= a || b - a > 24) return 0;
  if (c >= 'A' && c <= 'Z') c |= 32;
  return (int)((fl[c] >> (b - a)) & 1);
}

extern const unsigned char qt_word_class[256];

/* Is s[i] the start of an apostrophe inside a word (’ or ' between
 * letters)? */
static inline int qt_apostrophe_at(const char *s, size_t n, size_t i, size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c == '\'') *len = 1;
  else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
           (unsigned char)s[i + 2] == 0x99)
    *len = 3;
  else return 0;
  return i > 0 && qt_is_word_byte((unsigned char)s[i - 1]) && i + *len < n &&
         ((unsigned char)s[i + *len] | 32) >= 'a' &&
         ((unsigned char)s[i + *len] | 32) <= 'z';
}

/* End of the word starting at i (letters, digits, hyphens, apostrophes
 * inside, a period after a single capital: "E."). */
static inline size_t qt_word_end(const char *s, size_t n, size_t i) {
  size_t j = i, al;
  while (j < n) {
    unsigned char c = (unsigned char)s[j], k = qt_word_class[c];
    if (k == 1) { j++; continue; }
    if (k == 0) break;
    /* stop at typographic punctuation (E2 80 xx) but for an apostrophe
     * inside the word; C2 starts « » NBSP etc. */
    if (c == 0xE2) {
      if (j + 1 < n && (unsigned char)s[j + 1] == 0x80) {
        if (qt_apostrophe_at(s, n, j, &al)) { j += al; continue; }
        break;
      }
      j++;
      continue;
    }
    if (c == 0xC2) break;
    if (qt_apostrophe_at(s, n, j, &al)) { j += al; continue; }
    break;
  }
  if (j == i + 1 && j < n && s[j] == '.' && qt_is_upper_at(s, n, i)) {
    j++;
    /* "U.S.", "D.C.": initials run on */
    while (j + 1 < n && qt_is_upper_at(s, n, j) && s[j + 1] == '.') j += 2;
  }
  return j;
}

/* qt_word_end for the loops that pass every word of a text, its common
 * case inline: a run of plain word bytes up to a stop byte. An
 * apostrophe, a typographic mark or a one-byte word (perhaps an initial,
 * "E.") go through qt_word_end itself. */
static inline size_t qt_word_end_fast(const char *s, size_t n, size_t i) {
  size_t j = i;
  while (j < n && qt_word_class[(unsigned char)s[j]] == 1) j++;
  if (j == i + 1 || (j < n && qt_word_class[(unsigned char)s[j]] != 0))
    return qt_word_end(s, n, i);
  return j;
}

static inline uint32_t qt_word_hash(const char *s, size_t a, size_t b) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = a; k < b; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 'A' && c <= 'Z') c |= 32;
    h = (h ^ c) * 16777619u;
  }
  return h ? h : 1;
}

/* The list bits of the word s[a, b). */
static inline unsigned qt_vmask(const vocab *v, const char *s, size_t a, size_t b) {
  uint32_t h, k;
  unsigned char c;
  if (b <= a || b - a > 24) return 0;
  c = (unsigned char)s[a];
  if (c >= 'A' && c <= 'Z') c |= 32;
  if (!((v->fl[c] >> (b - a)) & 1)) return 0;
  h = qt_word_hash(s, a, b);
  k = h & (VOCAB_SLOTS - 1);
  while (v->h[k] != 0) {
    if (v->h[k] == h) return v->m[k];
    k = (k + 1) & (VOCAB_SLOTS - 1);
  }
  return 0;
}

/* qwords.c */
extern const char *const qt_org_nouns[];
extern const char *const qt_document_nouns[];   /* NULL-ended */
extern const size_t qt_n_org_nouns;
#define N_ORG_NOUNS qt_n_org_nouns
const vocab *qt_vocab(void);
int qt_word_is(const char *s, size_t a, size_t b, const char *w);

/* The list bits of the word s[a, b). */
int qt_is_role_noun(const vocab *v, const char *s, size_t a, size_t b);
size_t qt_name_at(const vocab *v, const char *s, size_t lim, size_t i,
                      int *words);
int qt_all_caps(const char *s, size_t a, size_t b);
size_t qt_skip_titles(const vocab *v, const char *s, size_t lim, size_t i);
int qt_abbreviation(const char *s, size_t from, size_t p);

/* registry.c */
int qt_tree_latest(const registry *r, int t, size_t pos, uint32_t bit);
int qt_tree_max_upto(const registry *r, int t, size_t pos);
int qt_recent_org(const registry *r, size_t pos);
void qt_reset_recency(registry *r);
int qt_find_org(registry *r, const char *s, size_t a, size_t len);
int qt_recent_with_role(const registry *r, size_t pos, const char *w,
                        size_t n);
void qt_reg_set_last(registry *r, int i, size_t last);
void qt_reg_set_gender(registry *r, int i, int g);
void qt_reg_set_tentative(registry *r, int i, int on);
void qt_reg_set_noun(registry *r, int i, const char *w, size_t n);
int qt_add_person(registry *r, const char *s, size_t a, size_t len,
                      const char *role, size_t rlen, int org);
int qt_find_partial(registry *r, const char *s, size_t a, size_t len);
size_t qt_name_past_titles(const char *s, size_t n);

/* mentions.c */
int qt_name_after_role(const vocab *v, const char *s, size_t lim, size_t re,
                           size_t *na, size_t *nl, size_t *role_end);
void qt_scan_people(const body_t *b, registry *r);
void qt_learn_gender(const body_t *b, registry *r);
qt_mention_memo *qt_mention_memo_new(void);
void qt_mention_memo_free(qt_mention_memo *mm);
void qt_note_mentions_once(const body_t *b, registry *r, size_t from,
                           size_t to);

/* speakers.c */
int qt_recent_person(registry *r, size_t pos, int gender, int want_role,
                         const char *role_word, size_t rwlen);
void qt_credit(qbuild *q, registry *r, const speaker_ref *sp,
                   const char *cue, size_t cl, const char *rule);
int qt_read_speaker(const body_t *b, registry *r, size_t i, size_t lim,
                        size_t pos, speaker_ref *out);
size_t qt_sentence_start(const char *s, size_t from, size_t i,
                             sent_memo *m);
int qt_prev_word_in(const vocab *v, const char *s, size_t from, size_t i,
                        unsigned bit, size_t *wstart);
int qt_cue_before(const body_t *b, registry *r, size_t from, size_t i,
                      qbuild *q);

int qt_cue_subject(const body_t *b, registry *r, size_t from, size_t i,
                   qbuild *q);
int qt_colon_intro(const body_t *b, registry *r, size_t pi, qbuild *q);
void qt_after_report(const body_t *b, registry *r, qlist *ql, size_t nq);

/* verbafter.c */
size_t qt_skip_apposition(const char *s, size_t lim, size_t i);
/* Is s[a, b) a word between a subject and its verb ("also", "later")? */
int qt_filler(const vocab *v, const char *s, size_t a, size_t b);
size_t qt_verb_after(const vocab *v, const char *s, size_t lim, size_t i,
                     size_t *ve);
/* The end of an organisation's name at x: capitalised words joined by
 * short function words ("Federation of Ferry Workers"); *caps of them. */
size_t qt_org_name_end(const char *s, size_t lim, size_t x, int *caps);

/* cueafter.c */
size_t qt_cue_after(const body_t *b, registry *r, size_t i, size_t lim,
                    size_t pos, int open, qbuild *q);
size_t qt_cue_after_named(const body_t *b, registry *r, size_t after,
                          size_t lim, size_t pos, qbuild *q);

/* mdview.c: the body without Markdown markup, mapped back to it */
typedef struct {
  char *s;               /* NULL: the body has no markup */
  size_t n;
  size_t *map;           /* body offset of each byte of s (n + 1) */
  size_t *ps, *pe;       /* the paragraphs in s */
} md_view;
int qt_md_view(const char *s, size_t n, const size_t *ps, const size_t *pe,
               size_t np, md_view *v);
void qt_md_view_free(md_view *v);

/* zhcues.c */
int qt_cue_han(const body_t *b, registry *r, size_t from, size_t to,
               size_t ms, size_t after, qbuild *q);
int qt_han_surname(const char *s);

/* leftovers.c */
void qt_attribute_leftovers(const body_t *b, registry *r, qlist *ql);

/* transcript.c */
int qt_scan_transcript(const body_t *b, registry *r, qlist *ql,
                       const char *title, size_t title_len,
                       const lp_text *lt);

/* quotes.c */
int qt_count_words(const char *s, size_t a, size_t b);
qbuild *qt_new_quote(qlist *ql);

/* reported.c */
int qt_scan_reported(const body_t *b, registry *r, qlist *ql,
                         const unsigned char *in_quote);
int qt_scan_participles(const body_t *b, qlist *ql);

#endif
