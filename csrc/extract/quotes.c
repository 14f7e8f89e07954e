/*
 * quotes.c - who said what: direct quotes (straight and curly marks, split
 * around their cue, continued across paragraphs), reported speech and
 * short quoted phrases, each attributed from the cue around it to a
 * speaker resolved through the people the article introduces (surnames,
 * pronouns and role nouns point back to the full name and its role).
 */
#include <limits.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
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

/* The last sentence start found in a paragraph (see sentence_start). */
typedef struct {
  size_t from, at, k;
  int valid;
} sent_memo;

typedef struct {
  const struct vocab_s *v;   /* the word lists (see vocab) */
  sent_memo *memo;       /* mutable: sentence starts asked for before */
  const char *s;         /* body */
  size_t n;
  const size_t *pstart;  /* paragraph starts in the body */
  const size_t *pend;
  size_t np;
} body_t;

/* A person (or organisation) the article introduces. */
typedef struct {
  size_t start, len;     /* the full name in the body */
  size_t first_len;      /* length of its first word */
  size_t last_start;     /* body offset of its last word */
  char *role;            /* malloc'd role phrase or NULL */
  int gender;            /* 0 unknown, 1 he, 2 she */
  int org;               /* an organisation or a document, not a person */
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
                            parts find_partial matches) starts with byte c */
  rkey *keys;            /* open addressing, a power of two */
  size_t nkeys, nslots;
  rnode *nodes;          /* the nodes of every recency tree */
  int nnodes, capnodes;
  int root;              /* tree of the people (not organisations) */
  int *org_root;         /* one tree per organisation noun */
  uint32_t seed;         /* priorities (fixed: same output every run) */
  int oom;               /* an allocation failed (sticky) */
  const char *s;         /* the body the offsets point into */
} registry;

static int may_start_name(const registry *r, unsigned char c) {
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
} qbuild;

static int is_upper_at(const char *s, size_t n, size_t i) {
  unsigned char c = (unsigned char)s[i];
  if (c >= 'A' && c <= 'Z') return 1;
  if (c == 0xC3 && i + 1 < n) {
    unsigned char d = (unsigned char)s[i + 1];
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  return 0;
}

/* Letters, digits, the hyphen and every byte of a UTF-8 sequence. */
static int is_word_byte(unsigned char c) {
  return lp_byte_class[c] & (LP_B_ALPHA | LP_B_DIGIT | LP_B_HIGH | LP_B_HYPHEN);
}

/* Is s[i] the start of an apostrophe inside a word (’ or ' between
 * letters)? */
static int apostrophe_at(const char *s, size_t n, size_t i, size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c == '\'') *len = 1;
  else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
           (unsigned char)s[i + 2] == 0x99)
    *len = 3;
  else return 0;
  return i > 0 && is_word_byte((unsigned char)s[i - 1]) && i + *len < n &&
         ((unsigned char)s[i + *len] | 32) >= 'a' &&
         ((unsigned char)s[i + *len] | 32) <= 'z';
}

/* Byte classes for word_end: 1 a plain word byte (ASCII letter, digit,
 * hyphen, or a UTF-8 byte other than E2 and C2 lead bytes), 2 a byte that
 * needs a closer look (E2, C2, the straight apostrophe), 0 a stop. */
static const unsigned char word_class[256] = {
  ['-'] = 1, ['\''] = 2,
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
  ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
#define L(c) [c] = 1, [c + 32] = 1
  L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
  L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
  L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
#undef L
#define R8(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, \
              [c + 4] = 1, [c + 5] = 1, [c + 6] = 1, [c + 7] = 1
  R8(0x80), R8(0x88), R8(0x90), R8(0x98), R8(0xA0), R8(0xA8), R8(0xB0),
  R8(0xB8), R8(0xC8), R8(0xD0), R8(0xD8), R8(0xE8), R8(0xF0), R8(0xF8),
#undef R8
  [0xC0] = 1, [0xC1] = 1, [0xC2] = 2, [0xC3] = 1, [0xC4] = 1, [0xC5] = 1,
  [0xC6] = 1, [0xC7] = 1,
  [0xE0] = 1, [0xE1] = 1, [0xE2] = 2, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1,
  [0xE6] = 1, [0xE7] = 1
};

/* End of the word starting at i (letters, digits, hyphens, apostrophes
 * inside, a period after a single capital: "E."). */
static size_t word_end(const char *s, size_t n, size_t i) {
  size_t j = i, al;
  while (j < n) {
    unsigned char c = (unsigned char)s[j], k = word_class[c];
    if (k == 1) { j++; continue; }
    if (k == 0) break;
    /* stop at typographic punctuation (E2 80 xx) but for an apostrophe
     * inside the word; C2 starts « » NBSP etc. */
    if (c == 0xE2) {
      if (j + 1 < n && (unsigned char)s[j + 1] == 0x80) {
        if (apostrophe_at(s, n, j, &al)) { j += al; continue; }
        break;
      }
      j++;
      continue;
    }
    if (c == 0xC2) break;
    if (apostrophe_at(s, n, j, &al)) { j += al; continue; }
    break;
  }
  if (j == i + 1 && j < n && s[j] == '.' && is_upper_at(s, n, i)) j++;
  return j;
}

/* Next word start at or after i, not past lim; lim when none. */
static size_t skip_space(const char *s, size_t lim, size_t i) {
  while (i < lim && (s[i] == ' ' || s[i] == '\n')) i++;
  return i;
}

/* Is s[a, b) the word w (ASCII case folded)? The first letter is checked
 * before anything else: this runs for every word against every list. */
static int word_is(const char *s, size_t a, size_t b, const char *w) {
  size_t k, m = b - a;
  if (m == 0 || ((unsigned char)s[a] | 32) != ((unsigned char)w[0] | 32))
    return 0;
  for (k = 1; k < m; k++) {
    unsigned char c = (unsigned char)s[a + k], d = (unsigned char)w[k];
    if (d == 0) return 0;
    if (c >= 'A' && c <= 'Z') c |= 32;
    if (d >= 'A' && d <= 'Z') d |= 32;
    if (c != d) return 0;
  }
  return w[m] == '\0';
}


/* ---- vocabularies ---- */

static const char *const speech_verbs[] = {
  "said", "says", "added", "adds", "noted", "notes", "stressed", "stresses",
  "told", "tells", "urged", "urges", "warned", "warns", "insisted",
  "explained", "argued", "claimed", "declared", "stated", "emphasized",
  "emphasised", "underlined", "reiterated", "remarked", "replied",
  "answered", "asked", "wrote", "commented", "continued", "announced",
  "acknowledged", "admitted", "denied", "confirmed", "vowed", "pledged",
  "demanded", "suggested", "pointed", "observed", "concluded", "recalled",
  "countered", "responded", "maintained", "cautioned", "complained", NULL
};

/* Verbs that introduce reported content directly ("urged the US to"). */
static const char *const report_verbs[] = {
  "said", "says", "added", "noted", "stressed", "urged", "warned",
  "insisted", "argued", "claimed", "stated", "emphasized", "emphasised",
  "reiterated", "told", "explained", "announced", "acknowledged",
  "admitted", "denied", "confirmed", "vowed", "pledged", "demanded",
  "suggested", "pointed", "maintained", "cautioned", "believes", "believed",
  "reported", NULL
};

/* Verbs that attach a short quoted label to what they describe. */
static const char *const label_verbs[] = {
  "called", "calls", "described", "describes", "labelled", "labeled",
  "branded", "termed", "accused", "likened", "slammed", NULL
};

static const char *const role_nouns[] = {
  "spokesperson", "spokesman", "spokeswoman", "minister", "director",
  "president", "secretary", "ambassador", "envoy", "diplomat", "official",
  "chief", "head", "leader", "chairman", "chairwoman", "chair",
  "commissioner", "senator", "lawmaker", "representative", "governor",
  "mayor", "premier", "chancellor", "adviser", "advisor", "analyst",
  "researcher", "expert", "professor", "executive", "officer", "commander",
  "deputy", "counsellor", "counselor", "consul", "attorney", "prosecutor",
  "judge", "economist", "founder", "ceo", "strategist", "fellow",
  "manager", "general", "spokespeople", "negotiator", "inspector", NULL
};

/* Nouns for organisations and documents that speak ("the ministry said"). */
static const char *const org_nouns[] = {
  "ministry", "agency", "department", "government", "embassy", "company",
  "report", "statement", "office", "council", "committee", "commission",
  "center", "centre", "team", "group", "firm", "bureau", "authority",
  "police", "army", "court", "union", "institute", "study", "survey",
  "white", "paper", "administration", "cabinet", "parliament", "military",
  NULL
};

static const char *const not_names[] = {
  "the", "a", "an", "this", "that", "these", "those", "he", "she", "it",
  "they", "we", "i", "you", "in", "on", "at", "for", "but", "and", "or",
  "if", "when", "while", "after", "before", "as", "since", "last", "next",
  "some", "according", "there", "here", "his", "her", "its", "their",
  "our", "what", "who", "why", "how", "then", "also", "however", "both",
  "such", "many", "most", "all", "no", "not", "one", "two", "with",
  "from", "by", "to", "of", "earlier", "later", "meanwhile", "monday",
  "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "mr", "ms", "mrs", "dr", "asked", "speaking", "responding", "commenting",
  "told", "writing", "despite", "during", "under", NULL
};

/* Lower-case modifiers inside role phrases ("foreign ministry"). */
static const char *const mod_words[] = {
  "foreign", "deputy", "chief", "senior", "former", "acting", "national",
  "state", "vice", "assistant", "general", "prime", "defence", "defense",
  "interior", "trade", "press", "ministry", "security", "intelligence",
  "military", "of", "for", "and", "regional", "executive", "top",
  "cybersecurity", "cyber", "government", "department", "embassy",
  "federal", NULL
};

/* Words after which a clause (with its own speaker) may start. */
static const char *const conj_words[] = {
  "after", "when", "while", "as", "because", "since", "and",
  "but", "before", "although", "though", "where", "once",
  "whereas", NULL
};

/* The word lists above as one hash table built per article: each word
 * maps to the bits of the lists it is on. */
enum {
  V_SPEECH = 1 << 0, V_REPORT = 1 << 1, V_LABEL = 1 << 2, V_ROLE = 1 << 3,
  V_ORG = 1 << 4, V_NOTNAME = 1 << 5, V_TITLE = 1 << 6, V_NAMING = 1 << 7,
  V_CONJ = 1 << 8, V_MOD = 1 << 9, V_HE = 1 << 10, V_SHE = 1 << 11
};

#define VOCAB_SLOTS 1024u

typedef struct vocab_s {
  uint32_t h[VOCAB_SLOTS];
  uint16_t m[VOCAB_SLOTS];
  uint32_t fl[256];      /* by first byte (folded): bit k set when a listed
                            word of k bytes starts with it; most words of a
                            text are rejected on this before any hashing */
  uint32_t fl_role[256]; /* the same for the role nouns alone */
  uint32_t fl_report[256];  /* and for the reporting verbs */
} vocab;

static uint32_t word_hash(const char *s, size_t a, size_t b) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = a; k < b; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 'A' && c <= 'Z') c |= 32;
    h = (h ^ c) * 16777619u;
  }
  return h ? h : 1;
}

static void vocab_add(vocab *v, const char *const *list, unsigned bit) {
  int i;
  for (i = 0; list[i]; i++) {
    size_t len = strlen(list[i]);
    uint32_t h = word_hash(list[i], 0, len);
    uint32_t k = h & (VOCAB_SLOTS - 1);
    unsigned char c = (unsigned char)list[i][0];
    if (c >= 'A' && c <= 'Z') c |= 32;
    if (len > 0 && len <= 24) {
      v->fl[c] |= (uint32_t)1 << len;
      if (bit == V_ROLE) v->fl_role[c] |= (uint32_t)1 << len;
      if (bit == V_REPORT) v->fl_report[c] |= (uint32_t)1 << len;
    }
    while (v->h[k] != 0 && v->h[k] != h) k = (k + 1) & (VOCAB_SLOTS - 1);
    v->h[k] = h;
    v->m[k] |= (uint16_t)bit;
  }
}

/* The word lists, hashed once per process and read-only after. */
static vocab shared_vocab;
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;
static void vocab_build(void);

/* The list bits of the word s[a, b). */
static unsigned vmask(const vocab *v, const char *s, size_t a, size_t b) {
  uint32_t h, k;
  unsigned char c;
  if (b <= a || b - a > 24) return 0;
  c = (unsigned char)s[a];
  if (c >= 'A' && c <= 'Z') c |= 32;
  if (!((v->fl[c] >> (b - a)) & 1)) return 0;
  h = word_hash(s, a, b);
  k = h & (VOCAB_SLOTS - 1);
  while (v->h[k] != 0) {
    if (v->h[k] == h) return v->m[k];
    k = (k + 1) & (VOCAB_SLOTS - 1);
  }
  return 0;
}

/* Could s[a, b) be on the list whose filter is fl (see vocab)? */
static int may_be_on(const uint32_t *fl, const char *s, size_t a, size_t b) {
  unsigned char c = (unsigned char)s[a];
  if (b <= a || b - a > 24) return 0;
  if (c >= 'A' && c <= 'Z') c |= 32;
  return (int)((fl[c] >> (b - a)) & 1);
}

static int is_role_noun(const vocab *v, const char *s, size_t a, size_t b) {
  size_t m = b - a;
  if (may_be_on(v->fl_role, s, a, b) && (vmask(v, s, a, b) & V_ROLE))
    return 1;
  /* plural forms count ("ministers") */
  return m > 2 && s[b - 1] == 's' && s[b - 2] != 's' &&
         may_be_on(v->fl_role, s, a, b - 1) &&
         (vmask(v, s, a, b - 1) & V_ROLE);
}

/* ---- names ---- */

/*
 * Length of a name at i: 1-4 capitalised words (initials "E." and
 * particles van, de, bin, al allowed inside), not a pronoun or function
 * word. Returns 0 when there is none. words gets the word count.
 */
static size_t name_at(const vocab *v, const char *s, size_t lim, size_t i,
                      int *words) {
  size_t j = i, last = i;
  int w = 0;
  *words = 0;
  while (j < lim && w < 4) {
    size_t e = word_end(s, lim, j);
    if (e == j) break;
    if (is_upper_at(s, lim, j)) {
      if (w == 0 && (vmask(v, s, j, e) & V_NOTNAME)) return 0;
      if (is_role_noun(v, s, j, e) && w > 0) break;
      w++;
      last = e;
    } else if (w > 0 && (word_is(s, j, e, "van") || word_is(s, j, e, "de") ||
                         word_is(s, j, e, "bin") || word_is(s, j, e, "al") ||
                         word_is(s, j, e, "von") || word_is(s, j, e, "da"))) {
      /* particle: only when a capitalised word follows */
    } else {
      break;
    }
    if (e >= lim || s[e] != ' ') break;
    j = e + 1;
  }
  *words = w;
  return w > 0 ? last - i : 0;
}

/* Only capitals (and no lower-case letter) in s[a, b)? */
static int all_caps(const char *s, size_t a, size_t b) {
  size_t k;
  for (k = a; k < b; k++)
    if (s[k] >= 'a' && s[k] <= 'z') return 0;
  return 1;
}

/* ---- the registry of people ---- */

#define N_ORG_NOUNS (sizeof org_nouns / sizeof org_nouns[0] - 1)

static uint32_t key_hash(const char *s, size_t a, size_t len, int kind) {
  uint32_t h = 2166136261u ^ (uint32_t)kind;
  size_t k;
  for (k = 0; k < len; k++) h = (h ^ (unsigned char)s[a + k]) * 16777619u;
  return lp_mix32(h);
}

/* The bytes of person i's key of the given kind. */
static void key_span(const registry *r, int i, int kind, size_t *a,
                     size_t *len) {
  const person *p = &r->p[i];
  if (kind == K_FULL) { *a = p->start; *len = p->len; }
  else if (kind == K_FIRST) { *a = p->start; *len = p->first_len; }
  else { *a = p->last_start; *len = p->start + p->len - p->last_start; }
}

/* The slot of key s[a, a+len) of kind: its chain, or the empty slot where
 * it would go. */
static rkey *key_slot(const registry *r, const char *s, size_t a, size_t len,
                      int kind) {
  uint32_t h = key_hash(s, a, len, kind);
  size_t k = h & (r->nslots - 1);
  for (;;) {
    rkey *e = &r->keys[k];
    size_t ka, kl;
    if (e->head < 0) return e;
    if (e->h == h && e->kind == kind) {
      key_span(r, e->head, kind, &ka, &kl);
      if (kl == len && memcmp(r->s + ka, s + a, len) == 0) return e;
    }
    k = (k + 1) & (r->nslots - 1);
  }
}

/* Double the key table; 0 or -1 (out of memory, table unchanged). */
static int keys_grow(registry *r) {
  size_t ns = r->nslots ? r->nslots * 2 : 256, k;
  rkey *old = r->keys, *nk = malloc(ns * sizeof *nk);
  size_t on = r->nslots;
  if (nk == NULL) return -1;
  for (k = 0; k < ns; k++) nk[k].head = -1;
  r->keys = nk;
  r->nslots = ns;
  for (k = 0; k < on; k++)
    if (old[k].head >= 0) {
      size_t j = old[k].h & (ns - 1);
      while (nk[j].head >= 0) j = (j + 1) & (ns - 1);
      nk[j] = old[k];
    }
  free(old);
  return 0;
}

/* Append person i to the chain of its key of the given kind. */
static int key_add(registry *r, int i, int kind) {
  size_t a, len;
  rkey *e;
  if ((r->nkeys + 1) * 2 > r->nslots && keys_grow(r)) return -1;
  key_span(r, i, kind, &a, &len);
  e = key_slot(r, r->s, a, len, kind);
  r->p[i].next[kind] = -1;
  if (e->head < 0) {
    e->h = key_hash(r->s, a, len, kind);
    e->kind = kind;
    e->head = e->tail = i;
    r->nkeys++;
  } else {
    r->p[e->tail].next[kind] = i;
    e->tail = i;
  }
  return 0;
}

/* First person whose key of kind is s[a, a+len), -1 when none. */
static int key_first(const registry *r, const char *s, size_t a, size_t len,
                     int kind) {
  if (r->nslots == 0) return -1;
  return key_slot(r, s, a, len, kind)->head;
}

/* -- the recency trees -- */

static uint32_t node_mask(const registry *r, int x) {
  return x < 0 ? 0 : r->nodes[x].mask;
}

static void node_update(registry *r, int x) {
  rnode *n = &r->nodes[x];
  n->mask = n->self | node_mask(r, n->l) | node_mask(r, n->r);
  n->maxwho = n->who;
  if (n->l >= 0 && r->nodes[n->l].maxwho > n->maxwho)
    n->maxwho = r->nodes[n->l].maxwho;
  if (n->r >= 0 && r->nodes[n->r].maxwho > n->maxwho)
    n->maxwho = r->nodes[n->r].maxwho;
}

/* (key, who) of node x compared with (key, who): <= ? */
static int node_le(const registry *r, int x, size_t key, int who) {
  const rnode *n = &r->nodes[x];
  return n->key < key || (n->key == key && n->who <= who);
}

/* Split tree t into *a (keys <= (key, who)) and *b (the rest). */
static void tree_split(registry *r, int t, size_t key, int who, int *a,
                       int *b) {
  if (t < 0) { *a = *b = -1; return; }
  if (node_le(r, t, key, who)) {
    tree_split(r, r->nodes[t].r, key, who, &r->nodes[t].r, b);
    *a = t;
  } else {
    tree_split(r, r->nodes[t].l, key, who, a, &r->nodes[t].l);
    *b = t;
  }
  node_update(r, t);
}

/* Join trees a and b (every key of a below every key of b). */
static int tree_merge(registry *r, int a, int b) {
  if (a < 0) return b;
  if (b < 0) return a;
  if (r->nodes[a].pri > r->nodes[b].pri) {
    r->nodes[a].r = tree_merge(r, r->nodes[a].r, b);
    node_update(r, a);
    return a;
  }
  r->nodes[b].l = tree_merge(r, a, r->nodes[b].l);
  node_update(r, b);
  return b;
}

static void tree_insert(registry *r, int *root, int x) {
  int a, b;
  r->nodes[x].l = r->nodes[x].r = -1;
  node_update(r, x);
  tree_split(r, *root, r->nodes[x].key, r->nodes[x].who, &a, &b);
  *root = tree_merge(r, tree_merge(r, a, x), b);
}

/* Take node x (in the tree at *root) out of it. */
static void tree_remove(registry *r, int *root, int x) {
  int a, b, mid, rest;
  size_t key = r->nodes[x].key;
  int who = r->nodes[x].who;
  tree_split(r, *root, key, who, &a, &b);
  tree_split(r, a, key, who - 1, &rest, &mid);
  *root = tree_merge(r, rest, b);
}

/* The person of the greatest (key, who) <= (pos, any) whose classes hold
 * bit; -1 when none. */
static int tree_latest(const registry *r, int t, size_t pos, uint32_t bit) {
  while (t >= 0) {
    const rnode *n = &r->nodes[t];
    int got;
    if (!(n->mask & bit)) return -1;
    if (n->key > pos) { t = n->l; continue; }
    got = tree_latest(r, n->r, pos, bit);
    if (got >= 0) return got;
    if (n->self & bit) return n->who;
    t = n->l;
  }
  return -1;
}

/* The largest person index with key <= pos in tree t; -1 when none. */
static int tree_max_upto(const registry *r, int t, size_t pos) {
  int best = -1;
  while (t >= 0) {
    const rnode *n = &r->nodes[t];
    if (n->key <= pos) {
      if (n->who > best) best = n->who;
      if (n->l >= 0 && r->nodes[n->l].maxwho > best)
        best = r->nodes[n->l].maxwho;
      t = n->r;
    } else {
      t = n->l;
    }
  }
  return best;
}

static int node_new(registry *r, int who) {
  rnode *n;
  if (r->nnodes == r->capnodes) {
    int cap;
    rnode *nn;
    if (r->capnodes > INT_MAX / 2) return -1;
    cap = r->capnodes ? r->capnodes * 2 : 64;
    nn = realloc(r->nodes, (size_t)cap * sizeof *nn);
    if (nn == NULL) return -1;
    r->nodes = nn;
    r->capnodes = cap;
  }
  n = &r->nodes[r->nnodes];
  memset(n, 0, sizeof *n);
  n->who = who;
  n->next = -1;
  r->seed = r->seed * 1103515245u + 12345u;
  n->pri = lp_mix32(r->seed);
  return r->nnodes++;
}

/*
 * Classes a person answers recent_person() in: bit g * 3 + m for the
 * asked gender g (0 any, 1 he, 2 she) and role m (0 any, 1 with a role,
 * 2 with a spokes* role). Organisations and tentative names answer none.
 */
static uint32_t rec_class(const person *p) {
  uint32_t c = 0;
  int g, m;
  if (p->org || p->tentative) return 0;
  for (g = 0; g < 3; g++) {
    if (g && p->gender && p->gender != g) continue;
    for (m = 0; m < 3; m++) {
      if (m >= 1 && p->role == NULL) continue;
      if (m == 2 && !lp_contains_ci(p->role, strlen(p->role), "spokes"))
        continue;
      c |= 1u << (g * 3 + m);
    }
  }
  return c;
}

/* Organisation nouns an organisation answers to ("the ministry"): its own
 * noun or one inside its name. */
static int org_answers(const registry *r, const person *p, size_t k) {
  return strcmp(p->noun, org_nouns[k]) == 0 ||
         lp_contains_ci(r->s + p->start, p->len, org_nouns[k]);
}

/* Take person i out of the trees before its last, gender, role, noun or
 * tentative flag changes; reg_link puts it back. */
static void reg_unlink(registry *r, int i) {
  person *p = &r->p[i];
  int x;
  if (p->node >= 0) tree_remove(r, &r->root, p->node);
  for (x = p->org_nodes; x >= 0; x = r->nodes[x].next)
    tree_remove(r, &r->org_root[r->nodes[x].self], x);
}

static void reg_link(registry *r, int i) {
  person *p = &r->p[i];
  int x, prev = -1;
  size_t k;
  if (r->oom) return;
  if (!p->org) {
    if (p->node < 0 && (p->node = node_new(r, i)) < 0) { r->oom = 1; return; }
    r->nodes[p->node].key = p->last;
    r->nodes[p->node].self = rec_class(p);
    tree_insert(r, &r->root, p->node);
    return;
  }
  /* an organisation: one node per noun it answers to (self holds the
   * noun's number), rebuilt because the noun may have changed */
  x = p->org_nodes;
  for (k = 0; k < N_ORG_NOUNS; k++) {
    if (!org_answers(r, p, k)) continue;
    if (x < 0) {
      x = node_new(r, i);
      if (x < 0) { r->oom = 1; return; }
      if (prev < 0) p->org_nodes = x;
      else r->nodes[prev].next = x;
    }
    r->nodes[x].key = p->last;
    r->nodes[x].self = (uint32_t)k;
    tree_insert(r, &r->org_root[k], x);
    prev = x;
    x = r->nodes[x].next;
  }
  /* nodes left over (a noun it no longer answers to) stay unlinked */
  if (prev >= 0) r->nodes[prev].next = -1;
  else p->org_nodes = -1;
}

static void reg_set_last(registry *r, int i, size_t last) {
  if (r->p[i].last == last) return;
  reg_unlink(r, i);
  r->p[i].last = last;
  reg_link(r, i);
}

static void reg_set_gender(registry *r, int i, int g) {
  if (r->p[i].gender == g) return;
  reg_unlink(r, i);
  r->p[i].gender = g;
  reg_link(r, i);
}

static void reg_set_tentative(registry *r, int i, int on) {
  if (r->p[i].tentative == on) return;
  reg_unlink(r, i);
  r->p[i].tentative = on;
  reg_link(r, i);
}

/* Set an organisation's noun from the n bytes at w (folded to lower case);
 * nothing when it does not fit. */
static void reg_set_noun(registry *r, int i, const char *w, size_t n) {
  size_t x;
  if (n >= sizeof r->p[i].noun) return;
  reg_unlink(r, i);
  for (x = 0; x < n; x++) r->p[i].noun[x] = (char)(w[x] | 32);
  r->p[i].noun[n] = '\0';
  reg_link(r, i);
}

static char *dup_role(registry *r, const char *role, size_t rlen) {
  char *c = malloc(rlen + 1);
  if (c == NULL) { r->oom = 1; return NULL; }
  memcpy(c, role, rlen);
  c[rlen] = '\0';
  return c;
}

/*
 * Register (or find) the person named at [a, a+len); returns the index,
 * or -1 when memory ran out (r->oom is then set and the parse fails).
 */
static int add_person(registry *r, const char *s, size_t a, size_t len,
                      const char *role, size_t rlen, int org) {
  int i = key_first(r, s, a, len, K_FULL);
  if (r->oom) return -1;
  if (i >= 0) {
    reg_unlink(r, i);
    if (r->p[i].role == NULL && role != NULL)
      r->p[i].role = dup_role(r, role, rlen);
    r->p[i].last = a;
    reg_link(r, i);
    return i;
  }
  if (r->n == r->cap) {
    int cap = r->cap <= INT_MAX / 2 ? (r->cap ? r->cap * 2 : 32) : 0;
    person *np = cap > r->cap ? realloc(r->p, (size_t)cap * sizeof *np)
                              : NULL;
    if (np == NULL) { r->oom = 1; return -1; }
    r->p = np;
    r->cap = cap;
  }
  i = r->n++;
  memset(&r->p[i], 0, sizeof r->p[i]);
  r->p[i].node = r->p[i].org_nodes = -1;
  r->p[i].start = a;
  r->p[i].len = len;
  r->p[i].first_len = word_end(s, a + len, a) - a;
  {
    size_t k = a + len;
    while (k > a && s[k - 1] != ' ') k--;
    r->p[i].last_start = k;
  }
  r->p[i].org = org;
  if (!org) {
    unsigned char c0 = (unsigned char)s[a], c1 = (unsigned char)s[r->p[i].last_start];
    r->firsts[c0 >> 6] |= (uint64_t)1 << (c0 & 63);
    r->firsts[c1 >> 6] |= (uint64_t)1 << (c1 & 63);
  }
  r->p[i].last = a;
  if (role) r->p[i].role = dup_role(r, role, rlen);
  if (key_add(r, i, K_FULL) ||
      (!org && (key_add(r, i, K_FIRST) || key_add(r, i, K_LAST)))) {
    r->oom = 1;
    return -1;
  }
  reg_link(r, i);
  return r->oom ? -1 : i;
}

/*
 * A one-word or partial name that points to exactly one registered
 * person: the surname or the given name. -1 when none or ambiguous. A
 * person whose full name it is wins unless two people registered before
 * it match it in part. Looked up by hash: the chains hold people only.
 */
static int find_partial(registry *r, const char *s, size_t a, size_t len) {
  int full, limit, hits[2], nh = 0, kind;
  if (len == 0 || !may_start_name(r, (unsigned char)s[a])) return -1;
  full = key_first(r, s, a, len, K_FULL);
  if (full >= 0 && r->p[full].org) full = -1;
  limit = full >= 0 ? full : r->n;
  for (kind = K_FIRST; kind <= K_LAST && nh < 2; kind++) {
    int i;
    for (i = key_first(r, s, a, len, kind); i >= 0 && i < limit && nh < 2;
         i = r->p[i].next[kind]) {
      if (nh == 1 && hits[0] == i) continue;
      hits[nh++] = i;
    }
  }
  if (full >= 0) return nh >= 2 ? -1 : full;
  return nh == 1 ? hits[0] : -1;
}

/*
 * Walk back from a role noun ending at `end` to the start of its role
 * phrase: capitalised words, possessives and lower-case modifiers
 * ("Arvenia's foreign ministry spokesman", "US Director of National
 * Intelligence"), at most eight words, stopping at a clause boundary.
 */
static size_t role_start(const vocab *v, const char *s, size_t from,
                         size_t role_word) {
  size_t i = role_word;
  int words = 0;
  while (i > from && words < 8) {
    size_t j = i, e;
    if (j < 2 || s[j - 1] != ' ') break;
    j -= 2;
    while (j > from && s[j] != ' ' && s[j] != '\n') j--;
    if (s[j] == ' ' || s[j] == '\n') j++;
    e = word_end(s, i - 1, j);
    if (e != i - 1) break;                       /* punctuation between */
    if (!(is_upper_at(s, i, j) || (vmask(v, s, j, e) & V_MOD) ||
          (e - j > 2 && (s[e - 1] == 's') && s[e - 2] == '\'')))
      break;
    if ((vmask(v, s, j, e) & V_NOTNAME) && !word_is(s, j, e, "of")) break;
    i = j;
    words++;
  }
  /* a role does not start with "of"/"and"/"for" */
  while (i < role_word) {
    size_t e = word_end(s, role_word, i);
    if (!(word_is(s, i, e, "of") || word_is(s, i, e, "and") ||
          word_is(s, i, e, "for")))
      break;
    i = skip_space(s, role_word, e);
  }
  return i;
}

/*
 * The name after a role noun ending at re: "spokesperson Guo Jiakun",
 * "Director of National Intelligence Miriam Castellanos" (the role runs
 * on through "of ..." and the name is the last two capitalised words),
 * "trade minister, Jonas Rebane,". Sets the name span and the role's
 * extended end; returns 0 when no name follows.
 */
static int name_after_role(const vocab *v, const char *s, size_t lim, size_t re,
                           size_t *na, size_t *nl, size_t *role_end) {
  size_t k;
  int w;
  size_t m;
  *role_end = re;
  if (re >= lim) return 0;
  if (s[re] == ',') {
    k = skip_space(s, lim, re + 1);
    m = name_at(v, s, lim, k, &w);
    if (m > 0 && w >= 2 && (k + m >= lim || s[k + m] == ',' ||
                            s[k + m] == ' ' || s[k + m] == '.')) {
      *na = k;
      *nl = m;
      return 1;
    }
    return 0;
  }
  if (s[re] != ' ') return 0;
  k = re + 1;
  {
    size_t ke = word_end(s, lim, k);
    if (word_is(s, k, ke, "of") || word_is(s, k, ke, "for")) {
      /* a capitalised run: the organisation, then the person */
      size_t starts[12], ends[12], j = skip_space(s, lim, ke);
      int nw = 0;
      while (j < lim && nw < 12) {
        size_t je = word_end(s, lim, j);
        if (je == j) break;
        if (!is_upper_at(s, lim, j) && !word_is(s, j, je, "and") &&
            !word_is(s, j, je, "of"))
          break;
        starts[nw] = j;
        ends[nw] = je;
        nw++;
        if (je >= lim || s[je] != ' ') break;
        j = je + 1;
      }
      while (nw > 0 && !is_upper_at(s, lim, starts[nw - 1])) nw--;
      if (nw >= 3) {
        int first = nw - 2;
        /* a middle initial ("E.") makes the name three words */
        if (nw >= 4 && ends[nw - 2] - starts[nw - 2] == 2 &&
            s[ends[nw - 2] - 1] == '.')
          first = nw - 3;
        *na = starts[first];
        *nl = ends[nw - 1] - starts[first];
        *role_end = ends[first - 1];
        return 1;
      }
      return 0;
    }
  }
  m = name_at(v, s, lim, k, &w);
  if (m > 0 && w >= 2) {
    *na = k;
    *nl = m;
    return 1;
  }
  return 0;
}

/*
 * Find the people the article introduces with a role: "ROLE Name",
 * "Name, (the|a) ROLE," and "ROLE, Name,". Also sets gender from Mr/Ms.
 */
static void scan_people(const body_t *b, registry *r) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t n = b->n, i = 0;
  while (i < n) {
    size_t e;
    if (!is_word_byte((unsigned char)s[i])) { i++; continue; }
    e = word_end(s, n, i);
    if (e == i) { i++; continue; }
    if (is_role_noun(v, s, i, e)) {
      size_t na, nl, rend;
      /* "ROLE Name", "ROLE of Org Name", "ROLE, Name," */
      if (name_after_role(v, s, n, e, &na, &nl, &rend)) {
        size_t rs = role_start(v, s, 0, i);
        add_person(r, s, na, nl, s + rs, rend - rs, 0);
        i = na + nl;
        continue;
      }
    }
    /* "Name, the ROLE ...," */
    if (is_upper_at(s, n, i)) {
      int w;
      size_t m = name_at(v, s, n, i, &w);
      if (m > 0 && w >= 2 && i + m + 2 < n && s[i + m] == ',') {
        size_t k = skip_space(s, n, i + m + 1), ke = word_end(s, n, k);
        if (is_role_noun(v, s, k, ke)) {
          /* "Idris Kalvo, spokesperson of the foreign ministry," */
          size_t re = k, last = ke;
          int rw = 0;
          while (re < n && rw < 8) {
            size_t we = word_end(s, n, re);
            if (we == re) break;
            last = we;
            rw++;
            if (we >= n || s[we] != ' ') break;
            re = we + 1;
          }
          add_person(r, s, i, m, s + k, last - k, 0);
          i += m;
          continue;
        }
        if (word_is(s, k, ke, "the") || word_is(s, k, ke, "a") ||
            word_is(s, k, ke, "an")) {
          size_t rs = skip_space(s, n, ke), re = rs, last_role = 0;
          int words = 0;
          while (re < n && words < 9) {
            size_t we = word_end(s, n, re);
            if (we == re) break;
            if (is_role_noun(v, s, re, we)) last_role = we;
            words++;
            if (we >= n || s[we] != ' ') { re = we; break; }
            re = we + 1;
          }
          if (last_role > 0) {
            add_person(r, s, i, m, s + rs, last_role - rs, 0);
            i += m;
            continue;
          }
          /* "Mikkel Strand, a former hacker who ...": the apposition up
           * to a relative pronoun or the comma is the role */
          {
            size_t ae = rs, last = rs;
            int aw = 0;
            while (ae < n && aw < 6) {
              size_t we = word_end(s, n, ae);
              if (we == ae || word_is(s, ae, we, "who") ||
                  word_is(s, ae, we, "which") || word_is(s, ae, we, "whose"))
                break;
              last = we;
              aw++;
              if (we >= n || s[we] != ' ') break;
              ae = we + 1;
            }
            if (aw >= 1 && last > rs && (vmask(v, s, i, word_end(s, n, i)) &
                                         V_NOTNAME) == 0) {
              add_person(r, s, i, m, s + rs, last - rs, 0);
              i += m;
              continue;
            }
          }
        }
      }
      if (m > 0) {
        /* a capitalised name ending in an organisation noun speaks as an
         * organisation: "The Norvaldic Foreign Ministry said" */
        size_t ls = i + m;
        while (ls > i && s[ls - 1] != ' ') ls--;
        if (w >= 2 && (vmask(v, s, ls, i + m) & V_ORG) &&
            (vmask(v, s, ls, i + m) & V_ROLE) == 0) {
          int k = add_person(r, s, i, m, NULL, 0, 1);
          if (k >= 0) reg_set_noun(r, k, s + ls, i + m - ls);
        }
        i += m;
        continue;
      }
    }
    i = e;
  }
}

/* ---- speakers ---- */

/*
 * Learn the pronoun of people from the sentences that name exactly one of
 * them and use only one gender's pronouns ("Castellanos ... in her first
 * testimony"). Titles (Mr, Ms, Mrs) before a name say it directly.
 */
static void learn_gender(const body_t *b, registry *r) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t n = b->n, ss = 0;
  static const char *const his[] = {"he", "his", "him", "himself", NULL};
  static const char *const hers[] = {"she", "her", "hers", "herself", NULL};
  (void)v;
  while (ss < n) {
    size_t se = ss, i;
    int who = -1, many = 0, he = 0, she = 0, j;
    while (se < n && !((s[se] == '.' || s[se] == '\n') &&
                       (se + 1 >= n || s[se + 1] == ' ' || s[se + 1] == '\n'))) {
      se++;
      while (se < n && s[se] != '.' && s[se] != '\n') se++;
    }
    for (i = ss; i < se;) {
      size_t e;
      if (!is_word_byte((unsigned char)s[i])) { i++; continue; }
      e = word_end(s, se, i);
      if (e == i) { i++; continue; }
      if (((unsigned char)s[i] | 32) == 'h' && e - i <= 7)
        for (j = 0; his[j]; j++) if (word_is(s, i, e, his[j])) he = 1;
      if ((((unsigned char)s[i] | 32) == 's' || ((unsigned char)s[i] | 32) == 'h')
          && e - i <= 7)
        for (j = 0; hers[j]; j++) if (word_is(s, i, e, hers[j])) she = 1;
      if (is_upper_at(s, se, i)) {
        int k = find_partial(r, s, i, e - i);
        if (k >= 0 && !r->p[k].org) {
          if (who >= 0 && who != k) many = 1;
          who = k;
          /* Mr / Ms / Mrs right before the name */
          if (i >= 4 && (word_is(s, i - 4, i - 1, "Ms.") ||
                         word_is(s, i - 3, i - 1, "Ms") ||
                         word_is(s, i - 4, i - 1, "Mrs")))
            reg_set_gender(r, k, 2);
          else if (i >= 3 && (word_is(s, i - 3, i - 1, "Mr") ||
                              (i >= 4 && word_is(s, i - 4, i - 1, "Mr."))))
            reg_set_gender(r, k, 1);
        }
      }
      i = e;
    }
    if (who >= 0 && !many && he != she && r->p[who].gender == 0)
      reg_set_gender(r, who, he ? 1 : 2);
    ss = se + 1;
  }
}

static const char *const pronouns_he[] = {"he", NULL};
static const char *const pronouns_she[] = {"she", NULL};

/* Most recent person mentioned before pos with a compatible gender. */
/* A speaker credited with words is a person, not just a capitalised name. */
static int confirm(registry *r, int who) {
  if (who >= 0) reg_set_tentative(r, who, 0);
  return who;
}

/* The person mentioned latest at or before pos (ties: the one registered
 * last) who is no organisation, not tentative, of a compatible gender,
 * with a role when want_role ("the spokesman" wants a spokes* role, "the
 * diplomat" any); -1 when none. One walk down the recency tree. */
static int recent_person(registry *r, size_t pos, int gender, int want_role,
                         const char *role_word, size_t rwlen) {
  int m = 0;
  if (want_role)
    m = role_word && rwlen >= 6 && lp_starts_ci(role_word, rwlen, "spokes")
        ? 2 : 1;
  return tree_latest(r, r->root, pos, 1u << (gender * 3 + m));
}

/* Mentions of registered names (full or partial) move their `last`. */
static void note_mentions(const vocab *v, registry *r, const char *s,
                          size_t from, size_t to) {
  size_t i = from;
  while (i < to) {
    size_t e;
    if (!is_upper_at(s, to, i) || (i > 0 && is_word_byte((unsigned char)s[i - 1]))) {
      i++;
      continue;
    }
    e = word_end(s, to, i);
    if (may_start_name(r, (unsigned char)s[i])) {
      int w, k;
      size_t m = name_at(v, s, to, i, &w);
      if (m == 0) m = e - i;
      k = find_partial(r, s, i, m);
      if (k < 0 && m != e - i) k = find_partial(r, s, i, e - i);
      if (k >= 0) reg_set_last(r, k, i);
    }
    i = e > i ? e : i + 1;
  }
}

typedef struct {
  int who;                /* registry index, -1 */
  const char *text;       /* a speaker outside the registry */
  size_t len;
  size_t end;             /* end of the speaker phrase */
} speaker_ref;

/* Credit q's words to the speaker sp, with the cue as printed (cue, cl
 * bytes; NULL leaves the cue unset). */
static void credit(qbuild *q, registry *r, const speaker_ref *sp,
                   const char *cue, size_t cl) {
  q->speaker = confirm(r, sp->who);
  q->speaker_text = sp->text;
  q->speaker_text_len = sp->len;
  if (cue == NULL) return;
  if (cl >= sizeof q->cue_buf) cl = sizeof q->cue_buf - 1;
  memcpy(q->cue_buf, cue, cl);
  q->cue_buf[cl] = '\0';
}

/* Past a relative clause or apposition after a speaker: ", who chairs
 * the committee," / ", a former hacker," (up to 16 words); i when there
 * is none. */
static size_t skip_apposition(const char *s, size_t lim, size_t i) {
  size_t k = i, e;
  int words = 0;
  if (k >= lim || s[k] != ',') return i;
  k = skip_space(s, lim, k + 1);
  while (k < lim && words < 16) {
    e = word_end(s, lim, k);
    if (e == k) return i;
    words++;
    if (e < lim && s[e] == ',') return skip_space(s, lim, e + 1);
    if (e >= lim || s[e] != ' ') return i;
    k = e + 1;
  }
  return i;
}

/*
 * Read a speaker phrase at i: a pronoun, "the" + role or organisation
 * noun, or a name (with an optional role phrase before it). Resolves it
 * against the registry as of body offset pos.
 */
static int read_speaker(const body_t *b, registry *r, size_t i, size_t lim,
                        size_t pos, speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t e = word_end(s, lim, i);
  out->who = -1;
  out->text = NULL;
  out->len = 0;
  if (e == i) return 0;
  if ((vmask(v, s, i, e) & V_HE) || (vmask(v, s, i, e) & V_SHE)) {
    int g = (vmask(v, s, i, e) & V_HE) ? 1 : 2;
    out->who = recent_person(r, pos, g, 0, NULL, 0);
    if (out->who >= 0 && r->p[out->who].gender == 0)
      reg_set_gender(r, out->who, g);
    out->end = e;
    return 1;
  }
  if (word_is(s, i, e, "the")) {
    size_t k = skip_space(s, lim, e), ke = word_end(s, lim, k), last = ke;
    int words = 0;
    /* "the foreign ministry spokesman": up to four words to the noun */
    while (k < lim && words < 4) {
      ke = word_end(s, lim, k);
      if (ke == k) break;
      if (is_role_noun(v, s, k, ke)) {
        out->who = recent_person(r, pos, 0, 1, s + k, ke - k);
        if (out->who < 0) out->who = recent_person(r, pos, 0, 0, NULL, 0);
        out->end = ke;
        return 1;
      }
      if ((vmask(v, s, k, ke) & V_ORG)) {
        /* an organisation or a document: the latest registered one whose
         * name has that noun, else the phrase as printed */
        int hit = -1;
        char w[40];
        size_t m = ke - k;
        if (m < sizeof w) {
          size_t x;
          for (x = 0; x < m; x++) w[x] = (char)(s[k + x] | 32);
          w[m] = '\0';
          for (x = 0; x < N_ORG_NOUNS; x++)
            if (strcmp(org_nouns[x], w) == 0) break;
          if (x < N_ORG_NOUNS) {
            hit = tree_max_upto(r, r->org_root[x], pos);
          } else {
            /* a word that only hashes like an organisation noun */
            int j;
            for (j = 0; j < r->n; j++)
              if (r->p[j].org && r->p[j].last <= pos &&
                  (strcmp(r->p[j].noun, w) == 0 ||
                   lp_contains_ci(s + r->p[j].start, r->p[j].len, w)))
                hit = j;
          }
        }
        out->who = hit;
        if (hit < 0) {
          out->text = s + i;
          out->len = ke - i;
        }
        out->end = ke;
        return 1;
      }
      last = ke;
      words++;
      if (ke >= lim || s[ke] != ' ') break;
      k = ke + 1;
    }
    (void)last;
    return 0;
  }
  /* Mr, Ms, Mrs, Dr before a name */
  if ((word_is(s, i, e, "Mr") || word_is(s, i, e, "Ms") ||
       word_is(s, i, e, "Mrs") || word_is(s, i, e, "Dr")) && e < lim) {
    size_t k = e + (s[e] == '.' ? 1 : 0);
    int g = word_is(s, i, e, "Mr") ? 1 : word_is(s, i, e, "Dr") ? 0 : 2;
    if (k < lim && s[k] == ' ' && read_speaker(b, r, k + 1, lim, pos, out)) {
      if (out->who >= 0 && g && r->p[out->who].gender == 0)
        reg_set_gender(r, out->who, g);
      return 1;
    }
    return 0;
  }
  if (is_upper_at(s, lim, i) || (vmask(v, s, i, e) & (V_MOD | V_ROLE))) {
    /* optional role phrase, then a name */
    size_t k = i;
    int w;
    size_t m = is_upper_at(s, lim, i) ? name_at(v, s, lim, k, &w) : 0;
    if (m == 0 && is_upper_at(s, lim, i)) return 0;
    if (e - i >= 3 && all_caps(s, i, e)) return 0;   /* a dateline */
    /* "Foreign Ministry spokesperson Guo Jiakun", "Estmark's trade
     * minister, Jonas Rebane", "foreign ministry spokeswoman Lucia
     * Ferrer": a role phrase, then the name */
    {
      size_t j = i, rs = 0;
      int words = 0;
      while (j < lim && words < 10) {
        size_t je = word_end(s, lim, j);
        if (je == j) break;
        if (is_role_noun(v, s, j, je)) rs = je;
        else if (rs) break;       /* the word after the role noun */
        words++;
        if (je >= lim || s[je] != ' ') break;
        j = je + 1;
      }
      if (rs) {
        size_t na, nl, rend;
        if (name_after_role(v, s, lim, rs, &na, &nl, &rend)) {
          out->who = add_person(r, s, na, nl, s + i, rend - i, 0);
          out->end = na + nl;
          if (out->end < lim && s[out->end] == ',') out->end++;
          return 1;
        }
        if (words > 1 && !is_upper_at(s, lim, i)) return 0;
      }
    }
    if (m == 0) return 0;
    out->who = find_partial(r, s, i, m);
    if (out->who < 0 && w >= 2) {
      int fresh = r->n;
      out->who = add_person(r, s, i, m, NULL, 0, 0);
      if (out->who >= fresh) reg_set_tentative(r, out->who, 1);
    }
    if (out->who < 0) {
      /* an unknown single name: keep it as printed */
      out->text = s + i;
      out->len = m;
    }
    out->end = i + m;
    return 1;
  }
  return 0;
}

/* ---- quote marks ---- */

/* Kind of quote mark at i: 1 opening, 2 closing, 3 straight (either),
 * 0 none; *len gets its byte length. */
static int mark_at(const char *s, size_t n, size_t i, size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c == '"') {
    *len = 1;
    return 3;
  }
  if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
    unsigned char d = (unsigned char)s[i + 2];
    *len = 3;
    if (d == 0x9C || d == 0x9E) return 1;    /* “ „ */
    if (d == 0x9D) return 2;                  /* ” */
  }
  if (c == 0xC2 && i + 1 < n) {
    *len = 2;
    if ((unsigned char)s[i + 1] == 0xAB) return 1;   /* « */
    if ((unsigned char)s[i + 1] == 0xBB) return 2;   /* » */
  }
  return 0;
}

/* Does a straight quote at i open (1) or close (2)? */
static int straight_role(const char *s, size_t n, size_t i, int inside) {
  int before_space = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n' ||
                     s[i - 1] == '(' || s[i - 1] == '[' ||
                     (unsigned char)s[i - 1] == 0x94 /* end of — */;
  int after_space = i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '\n';
  if (inside) return after_space || !before_space ? 2 : 1;
  return before_space || !after_space ? 1 : 2;
}

/* Words in s[a, b). */
static int count_words(const char *s, size_t a, size_t b) {
  int w = 0;
  size_t i = a;
  while (i < b) {
    while (i < b && !is_word_byte((unsigned char)s[i])) i++;
    if (i >= b) break;
    w++;
    while (i < b && is_word_byte((unsigned char)s[i])) i++;
  }
  return w;
}

/* Every word capitalised but for short function words ("Locks Without
 * Keys", "The Quiet Wire")? */
static int title_case(const vocab *v, const char *s, size_t a, size_t b) {
  size_t i = a;
  int words = 0;
  (void)v;
  while (i < b) {
    size_t e;
    while (i < b && !is_word_byte((unsigned char)s[i])) i++;
    if (i >= b) break;
    e = word_end(s, b, i);
    if (e == i) { i++; continue; }
    if (!is_upper_at(s, b, i) && !(e - i <= 3 && words > 0)) return 0;
    words++;
    i = e;
  }
  return words > 0;
}

/* ---- the pass over the body ---- */

typedef struct {
  qbuild *q;
  size_t n, cap;
} qlist;

static qbuild *new_quote(qlist *ql) {
  if (ql->n == ql->cap) {
    size_t cap = ql->cap ? ql->cap * 2 : 32;
    qbuild *nq = realloc(ql->q, cap * sizeof *nq);
    if (nq == NULL) return NULL;
    ql->q = nq;
    ql->cap = cap;
  }
  memset(&ql->q[ql->n], 0, sizeof ql->q[ql->n]);
  ql->q[ql->n].speaker = -1;
  return &ql->q[ql->n++];
}

/*
 * Start of the sentence holding i inside the paragraph starting at from:
 * after the previous ". " (or line break). Asked for increasing i in one
 * paragraph (every quote of it), the walk back stops where the previous
 * answer's walk began and reuses that answer: a paragraph without a
 * sentence end is walked once, not once per quote. m may be NULL.
 */
static size_t sentence_start(const char *s, size_t from, size_t i,
                             sent_memo *m) {
  size_t k = i, low = from;
  int memo = m != NULL && m->valid && m->from == from && m->at <= i &&
             m->at > from;
  if (memo) low = m->at - 1;      /* look at k down to m->at only */
  while (k > low) {
    char c = s[k - 1];
    if ((c == '.' || c == '!' || c == '?') && k < i && s[k] == ' ') break;
    if (c == '\n') break;
    k--;
  }
  if (memo && k == low) k = m->k;
  if (m) {
    m->valid = 1;
    m->from = from;
    m->at = i;
    m->k = k;
  }
  return skip_space(s, i, k);
}

/* Is the word ending just before i (skipping spaces) one of list? */
static int prev_word_in(const vocab *v, const char *s, size_t from, size_t i,
                        unsigned bit, size_t *wstart) {
  size_t e = i, a;
  while (e > from && s[e - 1] == ' ') e--;
  a = e;
  while (a > from && is_word_byte((unsigned char)s[a - 1])) a--;
  if (wstart != NULL) *wstart = a;
  return a < e && (vmask(v, s, a, e) & bit);
}

/*
 * Look for a cue right after a closing mark at i: "[,] said X", "[,] X
 * said", "X told reporters". Sets q's speaker and cue; returns the end of
 * the cue clause, 0 when there is no cue.
 */
static size_t cue_after(const body_t *b, registry *r, size_t i, size_t lim,
                        size_t pos, qbuild *q) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t k = i, e;
  speaker_ref sp;
  if (k < lim && s[k] == ',') k++;
  k = skip_space(s, lim, k);
  e = word_end(s, lim, k);
  if (e == k) return 0;
  if ((vmask(v, s, k, e) & V_SPEECH)) {
    size_t ks = skip_space(s, lim, e);
    if (read_speaker(b, r, ks, lim, pos, &sp)) {
      q->cue = NULL;
      credit(q, r, &sp, s + k, e - k);
      return sp.end;
    }
    return 0;
  }
  if (read_speaker(b, r, k, lim, pos, &sp)) {
    size_t vs = skip_space(s, lim, skip_apposition(s, lim, sp.end));
    size_t ve = word_end(s, lim, vs);
    if (ve > vs && (vmask(v, s, vs, ve) & V_SPEECH)) {
      size_t cl = ve - vs;
      /* "told reporters" keeps its object */
      if (word_is(s, vs, ve, "told")) {
        size_t os = skip_space(s, lim, ve), oe = word_end(s, lim, os);
        if (oe > os && (word_is(s, os, oe, "reporters") ||
                        word_is(s, os, oe, "journalists")))
          cl = oe - vs;
      }
      credit(q, r, &sp, s + vs, cl);
      return ve;
    }
  }
  return 0;
}

/*
 * Look for a cue before an opening mark at i: "X said:", "X said that",
 * "According to X,". Returns 1 and sets q when found.
 */
static int cue_before(const body_t *b, registry *r, size_t from, size_t i,
                      qbuild *q) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t ss = sentence_start(s, from, i, b->memo), k = ss, limit = i;
  speaker_ref sp;
  /* "According to X," */
  {
    size_t e = word_end(s, limit, k);
    if (word_is(s, k, e, "according")) {
      size_t t = skip_space(s, limit, e), te = word_end(s, limit, t);
      if (word_is(s, t, te, "to")) {
        size_t ks = skip_space(s, limit, te);
        if (read_speaker(b, r, ks, limit, i, &sp)) {
          credit(q, r, &sp, "according to", 12);
          return 1;
        }
      }
    }
  }
  /* a speaker at the sentence start, a speech verb before the mark */
  while (k < limit) {
    if (read_speaker(b, r, k, limit, i, &sp)) {
      size_t vp = skip_space(s, limit, sp.end);
      int steps = 0;
      while (vp < limit && steps < 12) {
        size_t ve = word_end(s, limit, vp);
        if (ve == vp) break;
        if ((vmask(v, s, vp, ve) & V_SPEECH)) {
          size_t cl = ve - vp;
          credit(q, r, &sp, s + vp, cl);
          return 1;
        }
        vp = skip_space(s, limit, ve + (ve < limit && s[ve] == ',' ? 1 : 0));
        steps++;
      }
      return 0;
    }
    /* leading participial phrases: skip a word and try again */
    {
      size_t e = word_end(s, limit, k);
      if (e == k) break;
      k = skip_space(s, limit, e + (e < limit && s[e] == ',' ? 1 : 0));
      if (k - ss > 200) break;
    }
  }
  return 0;
}

static const char *const title_words[] = {
  "titled", "entitled", "headlined", "named", "dubbed", "so-called",
  "nicknamed", "codenamed", "code-named", "called", NULL
};

/* Nouns a short capitalised quoted name follows ("the group "Glass
 * Heron"", "malware called..."): the quote names the thing. */
static const char *const naming_nouns[] = {
  "group", "organization", "organisation", "campaign", "operation",
  "program", "programme", "project", "malware", "virus", "ransomware",
  "tool", "software", "app", "book", "film", "movie", "documentary",
  "song", "album", "series", "show", "article", "column", "code",
  "exercise", "initiative", "strategy", "doctrine", "platform", NULL
};

/*
 * One paragraph: find the quote spans, classify and attribute them, and
 * merge a quote split around its cue or continued into the next
 * paragraph. `carry` is an open quote from the previous paragraph.
 */
static int scan_paragraph(const body_t *b, registry *r, qlist *ql, size_t pi,
                          qbuild **carry) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t from = b->pstart[pi], to = b->pend[pi], i = from;
  size_t open_at = 0, open_mark = 0;   /* the quote's text; its mark */
  int inside = 0;
  qbuild *prev_direct = NULL;
  size_t prev_cue_end = 0;
  size_t noted = from;       /* mentions before here are noted already */

  /* a quote carried from the previous paragraph continues only when this
   * one opens with a quote mark */
  if (*carry) {
    size_t ml;
    int k = mark_at(s, b->n, from, &ml);
    if (!(k == 1 || k == 3)) *carry = NULL;
  }
  while (i < to) {
    size_t ml;
    int k = mark_at(s, b->n, i, &ml);
    if (k == 0) { i++; continue; }
    if (k == 3) {
      /* after a digit outside a quote: an inch mark (a 15.6" screen) */
      if (!inside && i > from && s[i - 1] >= '0' && s[i - 1] <= '9') {
        i += ml;
        continue;
      }
      k = straight_role(s, to, i, inside);
    }
    if (!inside && k == 1) {
      inside = 1;
      open_mark = i;
      open_at = i + ml;
      i += ml;
      continue;
    }
    if (inside && k == 2) {
      /* ms: where the opening mark starts; the closing mark may differ
       * in length ("..." opened straight, closed curly) */
      size_t qs = open_at, qe = i, after = i + ml, ms = open_mark;
      int words = count_words(s, qs, qe);
      qbuild *q;
      size_t tw;
      inside = 0;
      i = after;
      if (words == 0) continue;
      /* titles of works and names: "a report titled "..."" */
      if (prev_word_in(v, s, from, ms, V_TITLE, &tw) && words < 25 &&
          !(*carry)) {
        /* "a report titled "X"": the report speaks later as "the report" */
        size_t na, ne = tw;
        while (ne > from && s[ne - 1] == ' ') ne--;
        na = ne;
        while (na > from && is_word_byte((unsigned char)s[na - 1])) na--;
        if (na < ne && (vmask(v, s, na, ne) & V_ORG)) {
          int rk = add_person(r, s, qs, qe - qs, NULL, 0, 1);
          if (rk >= 0 && ne - na < sizeof r->p[rk].noun) {
            reg_set_noun(r, rk, s + na, ne - na);
            reg_set_last(r, rk, qs);
          }
        }
        continue;
      }
      {
        /* "known as "..."": a name; "described ... as "...": a phrase */
        size_t ka = 0, ke = ms;
        while (ke > from && s[ke - 1] == ' ') ke--;
        ka = ke;
        while (ka > from && is_word_byte((unsigned char)s[ka - 1])) ka--;
        if (word_is(s, ka, ke, "as") && ka > from + 1) {
          size_t pa = ka - 1, pe;
          while (pa > from && s[pa - 1] == ' ') pa--;
          pe = pa;
          while (pa > from && is_word_byte((unsigned char)s[pa - 1])) pa--;
          if (word_is(s, pa, pe, "known") && words < 25 && !(*carry)) continue;
        }
      }
      if (words <= 6 && is_upper_at(s, qe, qs) && !(*carry) &&
          (prev_word_in(v, s, from, ms, V_NAMING, &tw) ||
           (ms > from + 1 && s[ms - 1] == ' ' &&
            s[ms - 2] == ',' &&
            prev_word_in(v, s, from, ms - 2, V_NAMING, &tw)) ||
           /* a capitalised title opening a sentence: "In "The Film", ..." */
           (qe + ml < to && (s[qe + ml] == ',' || s[qe - 1] == ',') &&
            prev_word_in(v, s, from, ms, V_NAMING | V_TITLE, &tw))))
        continue;
      if (*carry && (*carry)->nseg < MAX_SEGS) {
        q = *carry;
        q->seg[q->nseg][0] = qs;
        q->seg[q->nseg][1] = qe;
        q->nseg++;
        *carry = NULL;
      } else if (prev_direct && prev_cue_end > 0 &&
                 ms >= prev_cue_end && ms - prev_cue_end <= 3 &&
                 prev_direct->nseg < MAX_SEGS) {
        /* "...," he said. "..." : the second half of a split quote */
        q = prev_direct;
        q->seg[q->nseg][0] = qs;
        q->seg[q->nseg][1] = qe;
        q->nseg++;
        prev_cue_end = 0;
        continue;
      } else {
        q = new_quote(ql);
        if (q == NULL) return LOUPE_ENOMEM;
        q->seg[0][0] = qs;
        q->seg[0][1] = qe;
        q->nseg = 1;
        q->para = pi;
      }
      /* the mentions up to this quote move the people's `last`, each
       * stretch of the paragraph once */
      if (qs > noted) {
        note_mentions(v, r, s, noted, qs);
        noted = qs;
      }
      {
        size_t ss = sentence_start(s, from, ms, b->memo);
        int at_start = ss == ms;
        int ends_sentence = qe > qs && (s[qe - 1] == '.' || s[qe - 1] == ',' ||
                                        s[qe - 1] == '?' || s[qe - 1] == '!');
        size_t ce = 0;
        if (q->speaker < 0 && q->speaker_text == NULL)
          ce = cue_after(b, r, after, to, qs, q);
        if (ce == 0 && q->speaker < 0 && q->speaker_text == NULL &&
            cue_before(b, r, from, ms, q))
          ce = 1;
        if (ce == 0 && !ends_sentence && words <= 8 &&
            title_case(v, s, qs, qe)) {
          /* "The Quiet Wire", "Nightjar": a title or a name, not words
           * anybody said */
          if (q->nseg == 1 && q == &ql->q[ql->n - 1]) ql->n--;
          continue;
        }
        if (!ends_sentence && !at_start &&
            (words <= 4 || (ce == 0 && words <= 12))) {
          q->kind = 2;                         /* a phrase inside a sentence */
          if (q->speaker < 0 && q->speaker_text == NULL) {
            /* "X called the US a "..."", "In Arvenstad, the spokesman,
             * Tomas Varga, called the expulsions "..."": a speaker
             * followed by a labelling or speech verb before the quote */
            speaker_ref sp;
            size_t w = ss;
            /* in a sentence that runs on for pages (no sentence end),
             * the speaker is looked for in the last PHRASE_SPAN bytes:
             * the text before a quote is read once, not once per quote */
            if (qs - ss > PHRASE_SPAN) {
              w = qs - PHRASE_SPAN;
              while (w < qs && s[w - 1] != ' ') w++;
            }
            while (w < qs) {
              size_t we = word_end(s, qs, w);
              if (we == w) { w++; continue; }
              if ((w == ss || s[w - 1] == ' ') &&
                  read_speaker(b, r, w, qs, qs, &sp)) {
                size_t vs = skip_space(s, qs, skip_apposition(s, qs, sp.end));
                size_t ve = word_end(s, qs, vs);
                if (ve > vs && ((vmask(v, s, vs, ve) & V_LABEL) ||
                                (vmask(v, s, vs, ve) & V_SPEECH))) {
                  credit(q, r, &sp, s + vs, ve - vs);
                  break;
                }
                w = sp.end > w ? sp.end : we;
                continue;
              }
              w = we;
            }
          }
        } else {
          q->kind = 0;
        }
        if (ce > 1) {
          /* the split quote resumes right after this cue's sentence end */
          size_t k2 = ce;
          while (k2 < to && s[k2] != '.' && s[k2] != ',' && k2 - ce < 80 &&
                 mark_at(s, b->n, k2, &ml) == 0)
            k2++;
          if (k2 < to && (s[k2] == '.' || s[k2] == ',')) k2++;
          prev_direct = q;
          prev_cue_end = skip_space(s, to, k2);
        } else {
          prev_direct = NULL;
          prev_cue_end = 0;
        }
      }
      continue;
    }
    i += ml;
  }
  if (inside && open_at < to) {
    /* an open quote at the paragraph end continues in the next one */
    qbuild *q;
    if (*carry && (*carry)->nseg < MAX_SEGS) {
      q = *carry;
    } else {
      q = new_quote(ql);
      if (q == NULL) return LOUPE_ENOMEM;
      q->para = pi;
      q->kind = 0;
    }
    q->seg[q->nseg][0] = open_at;
    q->seg[q->nseg][1] = to;
    q->nseg++;
    if (q->speaker < 0 && q->speaker_text == NULL)
      cue_before(b, r, from, open_at > from ? open_at - 1 : from, q);
    *carry = q;
  } else {
    *carry = NULL;
  }
  return LOUPE_OK;
}

/* A quote with no cue of its own: "..." He said. in the next sentence, or
 * the speaker of the quote just before when the paragraph is all quote. */
static void attribute_leftovers(const body_t *b, registry *r, qlist *ql) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t k;
  for (k = 0; k < ql->n; k++) {
    qbuild *q = &ql->q[k];
    size_t end = q->seg[q->nseg - 1][1], lim = b->pend[q->para];
    size_t pe, i;
    if (q->speaker >= 0 || q->speaker_text || q->kind != 0) continue;
    /* find the paragraph holding the end (the last starting at or before
     * it; paragraphs are in body order) */
    {
      size_t lo = 0, hi = b->np;
      while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->pstart[mid] <= end) lo = mid;
        else hi = mid;
      }
      pe = lo;
      if (end >= b->pstart[pe] && end <= b->pend[pe]) lim = b->pend[pe];
    }
    /* past the closing marks and spaces (a few bytes: not across a run
     * of non-ASCII text, which would make many quotes quadratic) */
    i = end;
    while (i < lim && i - end < LEFTOVER_SKIP &&
           (s[i] == '"' || s[i] == ' ' || (unsigned char)s[i] >= 0x80))
      i++;
    if (i < lim && (s[i] == '"' || s[i] == ' ' || (unsigned char)s[i] >= 0x80))
      i = lim;                    /* still inside them: no cue here */
    if (i < lim) {
      speaker_ref sp;
      if (read_speaker(b, r, i, lim, end, &sp)) {
        size_t vs = skip_space(s, lim, sp.end), ve = word_end(s, lim, vs);
        if (ve > vs && (vmask(v, s, vs, ve) & V_SPEECH)) {
          credit(q, r, &sp, s + vs, ve - vs);
          continue;
        }
      }
    }
    /* no cue at all: the speaker of the quote just before, in the same or
     * the previous paragraph, goes on speaking */
    if (k > 0) {
      qbuild *p = &ql->q[k - 1];
      if (p->kind == 0 && (p->speaker >= 0 || p->speaker_text) &&
          p->para + 1 >= q->para) {
        q->speaker = p->speaker;
        q->speaker_text = p->speaker_text;
        q->speaker_text_len = p->speaker_text_len;
      }
    }
  }
}

/* ---- reported speech ---- */

/* Past a dateline at i ("BEIJING (Sputnik) - ", "WASHINGTON, March 3
 * (Reuters) - ", "BEIJING -- "): the reported words start after it. */
static size_t skip_dateline(const char *s, size_t lim, size_t i) {
  size_t k = i, e = word_end(s, lim, i);
  if (e - i < 2 || !all_caps(s, i, e)) return i;
  for (k = e; k < lim && k < i + 80; k++) {
    if (s[k] == '-' && (k + 1 >= lim || s[k + 1] == ' ' || s[k + 1] == '-')) {
      while (k < lim && s[k] == '-') k++;
      return skip_space(s, lim, k);
    }
    if ((unsigned char)s[k] == 0xE2 && k + 2 < lim &&
        (unsigned char)s[k + 1] == 0x80 &&
        ((unsigned char)s[k + 2] == 0x94 || (unsigned char)s[k + 2] == 0x93))
      return skip_space(s, lim, k + 3);
    if (s[k] == '.' && k + 1 < lim && s[k + 1] == ' ') break;
  }
  return i;
}

/*
 * Sentences outside quotes of the forms "..., X said[ on Friday]." and
 * "X said (that) ...", "X urged ...": the reported clause is the text,
 * the speaker from the cue.
 */
/* Is body byte k inside a quote's marks (bit k of the map)? */
#define IN_QUOTE(map, k) (((map)[(k) >> 3] >> ((k) & 7)) & 1)

static int scan_reported(const body_t *b, registry *r, qlist *ql,
                         const unsigned char *in_quote) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t pi;
  for (pi = 0; pi < b->np; pi++) {
    size_t from = b->pstart[pi], to = b->pend[pi], ss = from;
    while (ss < to) {
      size_t se = ss, k, cs = 0, ce = 0;
      int quoted = 0, found = 0;
      speaker_ref sp;
      qbuild tmp;
      /* sentence end: ". " followed by an upper-case letter or the end */
      while (se < to) {
        if (s[se] != '.' && s[se] != '!' && s[se] != '?') {
          /* to the next candidate without the checks below */
          do se++; while (se < to && s[se] != '.' && s[se] != '!' &&
                          s[se] != '?');
          continue;
        }
        /* a sentence closed inside quote marks ends after them */
        if ((s[se] == '.' || s[se] == '!' || s[se] == '?') && se + 2 < to &&
            (s[se + 1] == '"' || (se + 4 < to && (unsigned char)s[se + 1] == 0xE2 &&
                                  (unsigned char)s[se + 3] == 0x9D)) ) {
          size_t after = se + (s[se + 1] == '"' ? 2 : 4);
          if (after < to && s[after] == ' ' && after + 1 < to &&
              is_upper_at(s, to, after + 1)) {
            se = after;
            break;
          }
        }
        if ((s[se] == '.' || s[se] == '!' || s[se] == '?') &&
            (se + 1 >= to || (s[se + 1] == ' ' && se + 2 < to &&
                              (is_upper_at(s, to, se + 2) || s[se + 2] == '"' ||
                               (unsigned char)s[se + 2] == 0xE2)))) {
          /* not after an initial or a common abbreviation */
          size_t ws = se;
          while (ws > ss && is_word_byte((unsigned char)s[ws - 1])) ws--;
          if (!(se - ws == 1 && is_upper_at(s, to, ws)) &&
              !(se - ws <= 3 && (word_is(s, ws, se, "Mr") ||
                                 word_is(s, ws, se, "Ms") ||
                                 word_is(s, ws, se, "Mrs") ||
                                 word_is(s, ws, se, "Dr") ||
                                 word_is(s, ws, se, "St") ||
                                 word_is(s, ws, se, "Jan") ||
                                 word_is(s, ws, se, "Feb") ||
                                 word_is(s, ws, se, "Aug") ||
                                 word_is(s, ws, se, "Sept") ||
                                 word_is(s, ws, se, "Oct") ||
                                 word_is(s, ws, se, "Nov") ||
                                 word_is(s, ws, se, "Dec"))))
            break;
        }
        se++;
      }
      if (!quoted) {
        /* most sentences have no reporting verb at all: look once */
        size_t w = ss;
        int has_verb = 0;
        while (w < se && !has_verb) {
          size_t we;
          while (w < se && !is_word_byte((unsigned char)s[w])) w++;
          we = w;
          while (we < se && is_word_byte((unsigned char)s[we])) we++;
          if (we > w && s[w] >= 'a' && s[w] <= 'z' &&
              may_be_on(v->fl_report, s, w, we) &&
              (vmask(v, s, w, we) & V_REPORT))
            has_verb = 1;
          w = we;
        }
        if (!has_verb) quoted = 1;       /* nothing to report here */
      }
      note_mentions(v, r, s, ss, se);
      if (!quoted && se > ss) {
        /* C: "According to X, content." */
        size_t e0 = word_end(s, se, ss);
        if (word_is(s, ss, e0, "according")) {
          size_t t = skip_space(s, se, e0), te = word_end(s, se, t);
          if (word_is(s, t, te, "to") &&
              read_speaker(b, r, skip_space(s, se, te), se, ss, &sp) &&
              sp.end < se && s[sp.end] == ',') {
            memset(&tmp, 0, sizeof tmp);
            credit(&tmp, r, &sp, "according to", 12);
            cs = skip_space(s, se, sp.end + 1);
            ce = se;
            found = 1;
          }
        }
      }
      if (!quoted && se > ss && !found) {
        /* A: "content, X said[ ...]." : the last ", " before a cue */
        size_t c = se;
        while (c > ss + 10 && !found) {
          c--;
          if (s[c] != ',' || c + 2 >= se) continue;
          memset(&tmp, 0, sizeof tmp);
          tmp.speaker = -1;
          if (read_speaker(b, r, c + 2, se, c, &sp)) {
            size_t vs = skip_space(s, se, skip_apposition(s, se, sp.end));
            size_t ve = word_end(s, se, vs);
            if (ve > vs && (vmask(v, s, vs, ve) & V_REPORT)) {
              size_t after = skip_space(s, se, ve);
              /* the cue ends the sentence or runs into ", adding/noting" */
              size_t nx = word_end(s, se, after);
              if (after >= se || s[ve] == ',' || s[ve] == '.' ||
                  word_is(s, after, nx, "on") || word_is(s, after, nx, "in") ||
                  word_is(s, after, nx, "at") || word_is(s, after, nx, "during") ||
                  word_is(s, after, nx, "after") ||
                  word_is(s, after, nx, "yesterday") ||
                  word_is(s, after, nx, "today") ||
                  word_is(s, after, nx, "late") ||
                  word_is(s, after, nx, "earlier")) {
                cs = ss;
                ce = c;
                found = 1;
                credit(&tmp, r, &sp, s + vs, ve - vs);
              }
            }
          }
        }
        /* B: "X said (that) content" anywhere after a clause start */
        if (!found) {
          size_t w = ss;
          while (w < se && !found) {
            size_t we = word_end(s, se, w);
            if (we == w) { w++; continue; }
            if (w > ss + 4 && s[w - 1] == ' ' &&
                (vmask(v, s, w, we) & V_REPORT) &&
                prev_word_in(v, s, ss, w, V_CONJ, NULL)) {
              /* "Dunai called ... and said that ...": the sentence's
               * subject said it */
              speaker_ref s0;
              if (read_speaker(b, r, ss, se, ss, &s0) && s0.end < w) {
                size_t k2 = skip_space(s, se, we), ke2 = word_end(s, se, k2);
                memset(&tmp, 0, sizeof tmp);
                credit(&tmp, r, &s0, s + w, we - w);
                if (word_is(s, k2, ke2, "that")) k2 = skip_space(s, se, ke2);
                if (count_words(s, k2, se) >= 4) {
                  cs = k2;
                  ce = se;
                  found = 1;
                  break;
                }
              }
            }
            if (w == ss || s[w - 1] == ' ') {
              size_t pw;
              int boundary = w == ss || (w >= 2 && s[w - 2] == ',') ||
                             prev_word_in(v, s, ss, w, V_CONJ, &pw);
              if (boundary && read_speaker(b, r, w, se, w, &sp)) {
                size_t vs = skip_space(s, se, skip_apposition(s, se, sp.end));
                size_t ve = word_end(s, se, vs);
                if (ve > vs && (vmask(v, s, vs, ve) & V_REPORT)) {
                  size_t k2 = skip_space(s, se, ve);
                  int hops = 0;
                  memset(&tmp, 0, sizeof tmp);
                  credit(&tmp, r, &sp, s + vs, ve - vs);
                  if (word_is(s, vs, ve, "urged") || word_is(s, vs, ve, "told") ||
                      word_is(s, vs, ve, "warned") ||
                      word_is(s, vs, ve, "pledged") ||
                      word_is(s, vs, ve, "vowed") ||
                      word_is(s, vs, ve, "demanded")) {
                    /* the object is the content: "urged the US to ..." */
                    if (word_is(s, vs, ve, "told")) {
                      /* "told reporters (that)" */
                      size_t oe = word_end(s, se, k2);
                      k2 = skip_space(s, se, oe);
                    }
                  } else {
                    /* skip a short time/place phrase before "that" */
                    size_t t = k2;
                    while (t < se && hops < 7) {
                      size_t te = word_end(s, se, t);
                      if (te == t) break;
                      if (word_is(s, t, te, "that")) {
                        k2 = skip_space(s, se, te);
                        break;
                      }
                      t = skip_space(s, se, te + (te < se && s[te] == ',' ? 1 : 0));
                      hops++;
                    }
                    if (hops >= 7 || t >= se) {
                      /* no "that": the content must follow directly */
                      if (k2 < se && s[ve] == ',') k2 = skip_space(s, se, ve + 1);
                    }
                  }
                  if (k2 + 10 < se && count_words(s, k2, se) >= 4) {
                    cs = k2;
                    ce = se;
                    found = 1;
                  }
                }
              }
            }
            w = we;
          }
        }
        /* the reported words must not be inside quote marks */
        if (found)
          for (k = cs; k < ce && k < to; k++)
            if (IN_QUOTE(in_quote, k)) { found = 0; break; }
        if (found) {
          qbuild *q;
          size_t a = cs, e = ce;
          /* a dateline can run past the clause ("ORSA (Agency, he
           * said.) - ..."): then nothing is left of it */
          if (a == from) a = skip_dateline(s, to, a);
          while (e > a && (s[e - 1] == ' ' || s[e - 1] == ',' || s[e - 1] == '.'))
            e--;
          if (e > a) {
            q = new_quote(ql);
            if (q == NULL) return LOUPE_ENOMEM;
            *q = tmp;
            q->seg[0][0] = a;
            q->seg[0][1] = e;
            q->nseg = 1;
            q->kind = 1;
            q->para = pi;
          }
        }
      }
      ss = skip_space(s, to, se + 1);
    }
  }
  return LOUPE_OK;
}

/* A quote's place for scan_participles: sorted by paragraph, start and
 * index. */
typedef struct {
  size_t para, start, idx;
} qpos;

static int cmp_qpos(const void *x, const void *y) {
  const qpos *a = x, *b = y;
  if (a->para != b->para) return a->para < b->para ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Position in o[0..n) of the last entry of paragraph pi starting before
 * c, or n when none. */
static size_t last_before(const qpos *o, size_t n, size_t pi, size_t c) {
  size_t lo = 0, hi = n;        /* first entry > (pi, c - 1) */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (o[mid].para < pi || (o[mid].para == pi && o[mid].start < c))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0 || o[lo - 1].para != pi) return n;
  return lo - 1;
}

/*
 * "..., adding that ...", "..., noting that ...": a further reported
 * clause by the speaker of the quote it follows, with the participle as
 * its cue; a reported quote that ran on over it is cut there. The quotes
 * found so far are sorted once by paragraph and start, so each clause
 * finds the quote before it by binary search.
 */
static int scan_participles(const body_t *b, qlist *ql) {
  static const char *const parts[] = {
    "adding", "noting", "saying", "stressing", "warning", "insisting",
    "arguing", "explaining", "emphasizing", "emphasising", "acknowledging",
    NULL
  };
  const char *s = b->s;
  size_t pi, n0 = ql->n, k, nall = 0, nrep = 0;
  qpos *all = malloc((n0 ? n0 : 1) * sizeof *all);
  qpos *rep = malloc((n0 ? n0 : 1) * sizeof *rep);
  if (all == NULL || rep == NULL) {
    free(all);
    free(rep);
    return LOUPE_ENOMEM;
  }
  for (k = 0; k < n0; k++) {
    qpos e;
    e.para = ql->q[k].para;
    e.start = ql->q[k].seg[0][0];
    e.idx = k;
    all[nall++] = e;
    /* reported quotes lie inside one sentence each: they never overlap */
    if (ql->q[k].kind == 1) rep[nrep++] = e;
  }
  qsort(all, nall, sizeof *all, cmp_qpos);
  qsort(rep, nrep, sizeof *rep, cmp_qpos);
  for (pi = 0; pi < b->np; pi++) {
    size_t from = b->pstart[pi], to = b->pend[pi], c;
    for (c = from; c + 3 < to; c++) {
      size_t ws, we, ts, te, cs, ce, j, prev_idx;
      int pw, found_speaker = -1;
      qbuild *prev = NULL, *q;
      if (s[c] != ',') {
        const char *comma = memchr(s + c, ',', to - 3 - c);
        if (comma == NULL) break;
        c = (size_t)(comma - s);
      }
      if (s[c + 1] != ' ') continue;
      ws = c + 2;
      we = word_end(s, to, ws);
      for (pw = 0; parts[pw]; pw++)
        if (word_is(s, ws, we, parts[pw])) break;
      if (!parts[pw]) continue;
      ts = skip_space(s, to, we);
      te = word_end(s, to, ts);
      if (!word_is(s, ts, te, "that")) continue;
      cs = skip_space(s, to, te);
      ce = cs;
      while (ce < to && !((s[ce] == '.' || s[ce] == '!' || s[ce] == '?') &&
                          (ce + 1 >= to || s[ce + 1] == ' ')))
        ce++;
      if (count_words(s, cs, ce) < 3) continue;
      /* the quote this clause follows: the latest starting before it in
       * the same paragraph (of several starting there, the first found) */
      j = last_before(all, nall, pi, c);
      if (j == nall) continue;
      while (j > 0 && all[j - 1].para == pi &&
             all[j - 1].start == all[j].start)
        j--;
      prev_idx = all[j].idx;
      prev = &ql->q[prev_idx];
      if (prev->speaker < 0 && prev->speaker_text == NULL) continue;
      found_speaker = prev->speaker;
      /* a reported clause that ran on over the participle ends there */
      j = last_before(rep, nrep, pi, c);
      if (j < nrep && ql->q[rep[j].idx].seg[0][1] > c)
        ql->q[rep[j].idx].seg[0][1] = c;
      q = new_quote(ql);
      if (q == NULL) {
        free(all);
        free(rep);
        return LOUPE_ENOMEM;
      }
      prev = &ql->q[prev_idx];       /* the array may have moved */
      q->speaker = found_speaker;
      q->speaker_text = prev->speaker_text;
      q->speaker_text_len = prev->speaker_text_len;
      q->kind = 1;
      q->para = pi;
      q->seg[0][0] = cs;
      q->seg[0][1] = ce;
      q->nseg = 1;
      memcpy(q->cue_buf, parts[pw], strlen(parts[pw]) + 1);
      c = ce;
    }
  }
  free(all);
  free(rep);
  return LOUPE_OK;
}

/* ---- output ---- */

static int cmp_quote(const void *x, const void *y) {
  const qbuild *a = x, *b = y;
  if (a->seg[0][0] != b->seg[0][0]) return a->seg[0][0] < b->seg[0][0] ? -1 : 1;
  return 0;
}

/* Where the last mapping ended, so that quotes in reading order map in
 * linear time even on one enormous paragraph. */
typedef struct {
  size_t para, li, col, src, line;
  int valid;
  const size_t *body_lines;  /* pairs (source line, line index) of the
                                body lines, sorted */
  size_t nbody;
} src_cursor;

static int cmp_pair(const void *x, const void *y) {
  const size_t *a = x, *b = y;
  if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Source offset of a body offset: through the paragraph's source line. */
static void body_to_src(const loupe_article *a, lp_text *t, size_t boff,
                        size_t para, size_t pstart, size_t *off, size_t *line,
                        src_cursor *sc) {
  size_t li, col = boff - pstart;
  const loupe_span *p = &a->paragraphs[para];
  *off = p->offset + col;
  *line = p->line;
  if (sc->valid && sc->para == para && sc->col <= col) {
    *off = lp_text_src_offset_from(t, sc->li, sc->col, sc->src, col);
    /* a paragraph joined from wrapped lines: the line the quote is on */
    *line = lp_text_src_line_from(t, sc->li, sc->src, sc->line, *off);
    sc->col = col;
    sc->src = *off;
    sc->line = *line;
    return;
  }
  {
    /* the first body line on the paragraph's source line */
    size_t lo = 0, hi = sc->nbody;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (sc->body_lines[2 * mid] < p->line) lo = mid + 1;
      else hi = mid;
    }
    if (lo < sc->nbody && sc->body_lines[2 * lo] == p->line) {
      li = sc->body_lines[2 * lo + 1];
      /* the body text is the normalised line from its first byte */
      *off = lp_text_src_offset(t, li, col);
      *line = lp_text_src_line_from(t, li, t->lines[li].src_offset,
                                    t->lines[li].src_line, *off);
      sc->valid = col > 0;
      sc->para = para;
      sc->li = li;
      sc->col = col;
      sc->src = *off;
      sc->line = *line;
      return;
    }
  }
}

static char *arena_copy(lp_arena *arena, const char *s, size_t n) {
  return lp_arena_strndup(arena, s, n);
}

static void vocab_build(void) {
  vocab *vc = &shared_vocab;
  vocab_add(vc, speech_verbs, V_SPEECH);
  vocab_add(vc, report_verbs, V_REPORT);
  vocab_add(vc, label_verbs, V_LABEL);
  vocab_add(vc, role_nouns, V_ROLE);
  vocab_add(vc, org_nouns, V_ORG);
  vocab_add(vc, not_names, V_NOTNAME);
  vocab_add(vc, title_words, V_TITLE);
  vocab_add(vc, naming_nouns, V_NAMING);
  vocab_add(vc, conj_words, V_CONJ);
  vocab_add(vc, mod_words, V_MOD);
  vocab_add(vc, pronouns_he, V_HE);
  vocab_add(vc, pronouns_she, V_SHE);
}

int lp_quotes(loupe_article *a, lp_text *t, lp_arena *arena) {
  body_t b;
  registry *r = NULL;
  qlist ql = {0};
  size_t *ps = NULL, *pe = NULL, *body_lines = NULL, i, k;
  unsigned char *in_quote = NULL;
  lp_buf text = {0};
  qbuild *carry = NULL;
  src_cursor scur;
  sent_memo memo;
  int rc = LOUPE_ENOMEM;

  memset(&scur, 0, sizeof scur);
  memset(&memo, 0, sizeof memo);
  a->quotes = NULL;
  a->n_quotes = 0;
  a->entities = NULL;
  a->n_entities = 0;
  if (a->n_paragraphs == 0 || a->body == NULL) return LOUPE_OK;
  pthread_once(&vocab_once, vocab_build);
  b.v = &shared_vocab;
  b.memo = &memo;
  b.s = a->body;
  b.n = a->body_len;
  b.np = a->n_paragraphs;
  ps = malloc(b.np * sizeof *ps);
  pe = malloc(b.np * sizeof *pe);
  r = calloc(1, sizeof *r);        /* people are added as they are found */
  if (r) {
    r->s = b.s;
    r->root = -1;
    r->org_root = malloc(N_ORG_NOUNS * sizeof *r->org_root);
    if (r->org_root)
      for (i = 0; i < N_ORG_NOUNS; i++) r->org_root[i] = -1;
  }
  in_quote = calloc(b.n / 8 + 1, 1);     /* one bit a body byte */
  if (!ps || !pe || !r || !r->org_root || !in_quote) goto out;
  for (i = 0, k = 0; i < b.np; i++) {
    ps[i] = k;
    pe[i] = k + a->paragraphs[i].len;
    k = pe[i] + 2;
  }
  b.pstart = ps;
  b.pend = pe;
  scan_people(&b, r);
  learn_gender(&b, r);
  for (i = 0; i < b.np; i++) {
    rc = scan_paragraph(&b, r, &ql, i, &carry);
    if (rc) goto out;
  }
  rc = LOUPE_ENOMEM;
  if (r->oom) goto out;
  attribute_leftovers(&b, r, &ql);
  for (i = 0; i < ql.n; i++) {
    int sgi;
    for (sgi = 0; sgi < ql.q[i].nseg; sgi++) {
      size_t x;
      /* the marks around a quote belong to it too */
      size_t a0 = ql.q[i].seg[sgi][0] > 3 ? ql.q[i].seg[sgi][0] - 3 : 0;
      size_t a1 = ql.q[i].seg[sgi][1] + 3 < b.n ? ql.q[i].seg[sgi][1] + 3 : b.n;
      for (x = a0; x < a1; x++)
        in_quote[x >> 3] = (unsigned char)(in_quote[x >> 3] | (1u << (x & 7)));
    }
  }
  rc = scan_reported(&b, r, &ql, in_quote);
  if (rc) goto out;
  rc = scan_participles(&b, &ql);
  if (rc) goto out;
  rc = LOUPE_ENOMEM;
  if (r->oom) goto out;
  if (ql.n > 1) qsort(ql.q, ql.n, sizeof *ql.q, cmp_quote);
  if (ql.n) {
    /* the body lines by source line, for mapping quotes to the input */
    size_t li;
    body_lines = malloc((t->n_lines ? t->n_lines : 1) * 2 *
                        sizeof *body_lines);
    if (body_lines == NULL) goto out;
    for (li = 0; li < t->n_lines; li++)
      if (t->lines[li].label == LOUPE_LINE_BODY) {
        body_lines[2 * scur.nbody] = t->lines[li].src_line;
        body_lines[2 * scur.nbody + 1] = li;
        scur.nbody++;
      }
    qsort(body_lines, scur.nbody, 2 * sizeof *body_lines, cmp_pair);
    scur.body_lines = body_lines;
  }
  if (ql.n) {
    a->quotes = lp_arena_alloc(arena, ql.n * sizeof *a->quotes);
    if (a->quotes == NULL) goto out;
  }
  for (i = 0; i < ql.n; i++) {
    qbuild *q = &ql.q[i];
    loupe_quote *o = &a->quotes[a->n_quotes];
    int sgi;
    text.len = 0;                  /* one buffer for every quote */
    static const char *const kinds[] = {"direct", "reported", "phrase"};
    for (sgi = 0; sgi < q->nseg; sgi++) {
      size_t s0 = q->seg[sgi][0], s1 = q->seg[sgi][1];
      while (s0 < s1 && b.s[s0] == ' ') s0++;
      while (s1 > s0 && b.s[s1 - 1] == ' ') s1--;
      if (sgi && lp_buf_append(&text, " ", 1)) goto out;
      if (lp_buf_append(&text, b.s + s0, s1 - s0)) goto out;
    }
    if (text.len == 0) continue;
    for (k = 0; k < text.len; k++)
      if (text.p[k] == '\n') text.p[k] = ' ';
    o->text.text = arena_copy(arena, text.p, text.len);
    o->text.len = text.len;
    if (o->text.text == NULL) goto out;
    o->text.rule = kinds[q->kind];
    o->body_offset = q->seg[0][0];
    o->paragraph = q->para + 1;
    body_to_src(a, t, q->seg[0][0], q->para, ps[q->para], &o->text.offset,
                &o->text.line, &scur);
    o->kind = kinds[q->kind];
    if (q->speaker >= 0) {
      person *p = &r->p[q->speaker];
      o->speaker = arena_copy(arena, b.s + p->start, p->len);
      if (o->speaker == NULL) goto out;
      if (p->role) {
        o->role = arena_copy(arena, p->role, strlen(p->role));
        if (o->role == NULL) goto out;
      }
    } else if (q->speaker_text) {
      o->speaker = arena_copy(arena, q->speaker_text, q->speaker_text_len);
      if (o->speaker == NULL) goto out;
    }
    if (q->cue_buf[0]) {
      o->cue = arena_copy(arena, q->cue_buf, strlen(q->cue_buf));
      if (o->cue == NULL) goto out;
    }
    a->n_quotes++;
  }
  {
    lp_named *named = malloc((r->n ? (size_t)r->n : 1) * sizeof *named);
    int j;
    if (named == NULL) goto out;
    for (j = 0; j < r->n; j++) {
      named[j].start = r->p[j].start;
      named[j].len = r->p[j].len;
      named[j].role = r->p[j].role;
      named[j].org = r->p[j].org;
    }
    rc = lp_entities(a, named, (size_t)r->n, arena);
    free(named);
    if (rc) goto out;
  }
  rc = LOUPE_OK;
out:
  if (r) {
    int j;
    for (j = 0; j < r->n; j++) free(r->p[j].role);
    free(r->p);
    free(r->keys);
    free(r->nodes);
    free(r->org_root);
  }
  free(r);
  free(ql.q);
  free(ps);
  free(pe);
  free(in_quote);
  free(body_lines);
  lp_buf_free(&text);
  return rc;
}
