/*
 * registry.c - the people and organisations an article introduces: a
 * name index (full name, first and last word) and recency trees that
 * answer "the latest person before here who fits" in one walk.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"


/* The hash of the bytes of a key (of any kind) ... */
static uint32_t key_bytes_hash(const char *s, size_t a, size_t len) {
  return lp_fnv32(LP_FNV32_INIT, s + a, len);
}

/* ... and of the key of a kind: the bytes are hashed once for the three
 * kinds a partial name is looked up as. */
static uint32_t key_hash(uint32_t bytes, int kind) {
  return lp_mix32(bytes ^ ((uint32_t)kind * 0x9E3779B9u));
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
                      int kind, uint32_t bytes) {
  uint32_t h = key_hash(bytes, kind);
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
  e = key_slot(r, r->s, a, len, kind, key_bytes_hash(r->s, a, len));
  r->p[i].next[kind] = -1;
  if (e->head < 0) {
    e->h = key_hash(key_bytes_hash(r->s, a, len), kind);
    e->kind = kind;
    e->head = e->tail = i;
    r->nkeys++;
  } else {
    r->p[e->tail].next[kind] = i;
    e->tail = i;
  }
  return 0;
}

/* First person whose key of kind is s[a, a+len) (its bytes hashing to
 * `bytes`), -1 when none. */
static int key_first_h(const registry *r, const char *s, size_t a,
                       size_t len, int kind, uint32_t bytes) {
  if (r->nslots == 0) return -1;
  return key_slot(r, s, a, len, kind, bytes)->head;
}

static int key_first(const registry *r, const char *s, size_t a, size_t len,
                     int kind) {
  return key_first_h(r, s, a, len, kind, key_bytes_hash(s, a, len));
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

/* Tree t with node x put in (in = 1) or taken out (in = 0), along the
 * path of x's (key, who). In: down to where x's priority belongs, then
 * the subtree there split around x (a treap's shape depends on its keys
 * and priorities alone: it is the tree a split and two merges make).
 * Out: x replaced by its two subtrees joined. */
static int tree_put(registry *r, int t, int x, int in) {
  rnode *n;
  if (in && (t < 0 || r->nodes[x].pri > r->nodes[t].pri)) {
    n = &r->nodes[x];
    tree_split(r, t, n->key, n->who, &n->l, &n->r);
    node_update(r, x);
    return x;
  }
  if (t < 0) return -1;
  if (t == x) return tree_merge(r, r->nodes[x].l, r->nodes[x].r);
  n = &r->nodes[t];
  if (node_le(r, t, r->nodes[x].key, r->nodes[x].who))
    n->r = tree_put(r, n->r, x, in);
  else
    n->l = tree_put(r, n->l, x, in);
  node_update(r, t);
  return t;
}

static void tree_insert(registry *r, int *root, int x) {
  r->nodes[x].l = r->nodes[x].r = -1;
  *root = tree_put(r, *root, x, 1);
}

/* Take node x (in the tree at *root) out of it. */
static void tree_remove(registry *r, int *root, int x) {
  *root = tree_put(r, *root, x, 0);
}

/* Give node x of the tree at root the key `key` in place when that keeps
 * it between the same neighbours (the tree is then the one a removal and
 * an insertion would make, and the subtree masks do not depend on keys);
 * 0 when it would not. */
static int tree_rekey(registry *r, int root, int x, size_t key) {
  rnode *nx = &r->nodes[x];
  int t = root, pred = -1, succ = -1;
  while (t >= 0 && t != x) {
    if (node_le(r, t, nx->key, nx->who)) { pred = t; t = r->nodes[t].r; }
    else { succ = t; t = r->nodes[t].l; }
  }
  if (t != x) return 0;
  for (t = nx->l; t >= 0; t = r->nodes[t].r) pred = t;
  for (t = nx->r; t >= 0; t = r->nodes[t].l) succ = t;
  if (pred >= 0 && !node_le(r, pred, key, nx->who)) return 0;
  if (succ >= 0 && node_le(r, succ, key, nx->who)) return 0;
  nx->key = key;
  return 1;
}

/* The person of the greatest (key, who) <= (pos, any) whose classes hold
 * bit; -1 when none. */
int qt_tree_latest(const registry *r, int t, size_t pos, uint32_t bit) {
  while (t >= 0) {
    const rnode *n = &r->nodes[t];
    int got;
    if (!(n->mask & bit)) return -1;
    if (n->key > pos) { t = n->l; continue; }
    got = qt_tree_latest(r, n->r, pos, bit);
    if (got >= 0) return got;
    if (n->self & bit) return n->who;
    t = n->l;
  }
  return -1;
}

/* The largest person index with key <= pos in tree t; -1 when none. */
int qt_tree_max_upto(const registry *r, int t, size_t pos) {
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
 * Classes a person answers qt_recent_person() in: bit g * 3 + m for the
 * asked gender g (0 any, 1 he, 2 she) and role m (0 any, 1 with a role,
 * 2 with a spokes* role). Organisations and tentative names answer none.
 * ROLE_BIT, apart: a person with a role, tentative or not (what
 * qt_recent_with_role walks).
 */
#define ROLE_BIT (1u << 9)

static uint32_t rec_class(const person *p) {
  uint32_t c = 0;
  int g, m;
  if (p->org) return 0;
  if (p->role != NULL) c = ROLE_BIT;
  if (p->tentative) return c;
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
  return strcmp(p->noun, qt_org_nouns[k]) == 0 ||
         lp_contains_ci(r->s + p->start, p->len, qt_org_nouns[k]);
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

void qt_reg_set_last(registry *r, int i, size_t last) {
  person *p = &r->p[i];
  if (p->last == last) return;
  /* a person (one node) whose mention stays between the same neighbours
   * in the recency order ("Ilse Varko": the surname right after the
   * given name) moves in place */
  if (!p->org && !r->oom && p->node >= 0 &&
      tree_rekey(r, r->root, p->node, last)) {
    p->last = last;
    return;
  }
  reg_unlink(r, i);
  r->p[i].last = last;
  reg_link(r, i);
}

void qt_reg_set_gender(registry *r, int i, int g) {
  if (r->p[i].gender == g) return;
  reg_unlink(r, i);
  r->p[i].gender = g;
  reg_link(r, i);
}

void qt_reg_set_tentative(registry *r, int i, int on) {
  if (r->p[i].tentative == on) return;
  reg_unlink(r, i);
  r->p[i].tentative = on;
  reg_link(r, i);
}

/* Set an organisation's noun from the n bytes at w (folded to lower case);
 * nothing when it does not fit. */
void qt_reg_set_noun(registry *r, int i, const char *w, size_t n) {
  size_t x;
  if (n >= sizeof r->p[i].noun) return;
  reg_unlink(r, i);
  for (x = 0; x < n; x++) r->p[i].noun[x] = (char)(w[x] | 32);
  r->p[i].noun[n] = '\0';
  reg_link(r, i);
}

/* The gender a role's head noun gives (1 he, 2 she, 0 none): "his
 * wife", "the spokeswoman", "actor". */
static int role_gender(const char *role, size_t rlen) {
  static const struct { const char *w; int g; } nouns[] = {
    {"wife", 2}, {"mother", 2}, {"daughter", 2}, {"sister", 2},
    {"widow", 2}, {"aunt", 2}, {"niece", 2}, {"granddaughter", 2},
    {"girlfriend", 2}, {"fiancee", 2}, {"actress", 2}, {"spokeswoman", 2},
    {"chairwoman", 2}, {"congresswoman", 2}, {"businesswoman", 2},
    {"councilwoman", 2}, {"grandmother", 2}, {"queen", 2},
    {"princess", 2}, {"husband", 1}, {"father", 1}, {"son", 1},
    {"brother", 1}, {"widower", 1}, {"uncle", 1}, {"nephew", 1},
    {"grandson", 1}, {"boyfriend", 1}, {"fiance", 1}, {"actor", 1},
    {"spokesman", 1}, {"chairman", 1}, {"congressman", 1},
    {"businessman", 1}, {"councilman", 1}, {"grandfather", 1},
    {"king", 1}, {"prince", 1}
  };
  size_t k = rlen, e, j;
  unsigned char c;
  /* the head noun: the role's last word */
  while (k > 0 && !qt_is_word_byte((unsigned char)role[k - 1])) k--;
  e = k;
  while (k > 0 && qt_is_word_byte((unsigned char)role[k - 1])) k--;
  if (e - k < 3) return 0;
  c = (unsigned char)role[k] | 32;
  for (j = 0; j < sizeof nouns / sizeof nouns[0]; j++)
    if ((unsigned char)nouns[j].w[0] == c && strlen(nouns[j].w) == e - k &&
        qt_word_is(role, k, e, nouns[j].w))
      return nouns[j].g;
  return 0;
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
int qt_add_person(registry *r, const char *s, size_t a, size_t len,
                      const char *role, size_t rlen, int org) {
  int i = key_first(r, s, a, len, K_FULL);
  if (r->oom) return -1;
  if (i >= 0) {
    reg_unlink(r, i);
    if (r->p[i].role == NULL && role != NULL)
      r->p[i].role = dup_role(r, role, rlen);
    if (r->p[i].gender == 0 && !r->p[i].org && role != NULL)
      r->p[i].gender = role_gender(role, rlen);
    if (role != NULL || org) r->p[i].unlisted = 0;
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
  r->p[i].first_len = qt_word_end(s, a + len, a) - a;
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
  if (role && !org) r->p[i].gender = role_gender(role, rlen);
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
int qt_find_partial(registry *r, const char *s, size_t a, size_t len) {
  int full, limit, hits[2], nh = 0, kind;
  uint32_t bytes;
  if (len == 0 || !may_start_name(r, (unsigned char)s[a])) return -1;
  bytes = key_bytes_hash(s, a, len);
  full = key_first_h(r, s, a, len, K_FULL, bytes);
  if (full >= 0 && r->p[full].org) full = -1;
  limit = full >= 0 ? full : r->n;
  /* a surname first ("Trump": Donald Trump, not the "Trump Train"); a
   * given name only of somebody introduced or credited */
  for (kind = K_LAST; kind >= K_FIRST; kind--) {
    int i;
    if (full < 0 && nh > 0) break;
    for (i = key_first_h(r, s, a, len, kind, bytes);
         i >= 0 && i < limit && nh < 2;
         i = r->p[i].next[kind]) {
      if (nh == 1 && hits[0] == i) continue;
      if (kind == K_FIRST && full < 0 && r->p[i].unlisted) continue;
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

/* The organisation or document mentioned latest at or before pos (of
 * every noun's tree); -1 when none. */
int qt_recent_org(const registry *r, size_t pos) {
  size_t k;
  int best = -1;
  for (k = 0; k < N_ORG_NOUNS; k++) {
    int t = r->org_root[k], x = -1;
    while (t >= 0) {                 /* the greatest key <= pos */
      if (r->nodes[t].key <= pos) {
        x = r->nodes[t].who;
        t = r->nodes[t].r;
      } else {
        t = r->nodes[t].l;
      }
    }
    if (x >= 0 && (best < 0 || r->p[x].last > r->p[best].last)) best = x;
  }
  return best;
}

/* Every person back to the first mention: a later pass over the body
 * notes the mentions again as it goes, so "the latest person before here"
 * never sees a mention further on. */
void qt_reset_recency(registry *r) {
  int i;
  for (i = 0; i < r->n && !r->oom; i++)
    qt_reg_set_last(r, i, r->p[i].start);
}

/* A walk for qt_recent_with_role: the people with a role, latest first. */
typedef struct {
  size_t pos;
  const char *word;
  int best;              /* -1 until a role matched */
  size_t bestkey;        /* its `last` */
  int done;              /* every later candidate mentioned before best */
} role_walk;

/* Visit tree t's people with a role and key <= w->pos from the greatest
 * (key, who) down; of those with the latest key whose role holds the
 * word, the smallest index is kept (as a pass in index order would). */
static void walk_roles(const registry *r, int t, role_walk *w) {
  while (t >= 0 && !w->done) {
    const rnode *n = &r->nodes[t];
    const person *p;
    if (!(n->mask & ROLE_BIT)) return;
    if (n->key > w->pos) { t = n->l; continue; }
    walk_roles(r, n->r, w);
    if (w->done) return;
    if (w->best >= 0 && n->key < w->bestkey) { w->done = 1; return; }
    p = &r->p[n->who];
    if ((n->self & ROLE_BIT) &&
        lp_contains_ci(p->role, strlen(p->role), w->word)) {
      w->best = n->who;
      w->bestkey = n->key;
    }
    t = n->l;
  }
}

/* The person mentioned latest at or before pos whose role holds the
 * word w[0, n) ("the minister": "Digital Affairs Minister"); -1 none.
 * People are in the recency tree by their latest mention, so the walk
 * stops at the first match rather than passing everybody. */
int qt_recent_with_role(const registry *r, size_t pos, const char *w,
                        size_t n) {
  char word[32];
  size_t x;
  role_walk rw;
  if (n >= sizeof word) return -1;
  for (x = 0; x < n; x++) word[x] = w[x];
  word[n] = '\0';
  if (n > 3 && word[n - 1] == 's') word[n - 1] = '\0';   /* "ministers" */
  rw.pos = pos;
  rw.word = word;
  rw.best = -1;
  rw.bestkey = 0;
  rw.done = 0;
  walk_roles(r, r->root, &rw);
  return rw.best;
}

/* The organisation registered under the full name s[a, a+len); -1 none. */
int qt_find_org(registry *r, const char *s, size_t a, size_t len) {
  int i = key_first(r, s, a, len, K_FULL);
  return i >= 0 && r->p[i].org ? i : -1;
}

/* Bytes of titles opening a person's name ("Senator Bernie Sanders",
 * "General Ana Ruiz" of "Attorney General Ana Ruiz"), when two words at
 * least are left; 0 when none. */
size_t qt_name_past_titles(const char *s, size_t n) {
  const vocab *v = qt_vocab();
  size_t k = 0, e = qt_word_end(s, n, 0), rest;
  int words = 0;
  if (e == 0 || !(qt_vmask(v, s, 0, e) & V_HONOR)) return 0;
  k = e < n && s[e] == '.' ? e + 1 : e;
  if (k >= n || s[k] != ' ') return 0;
  k++;
  for (rest = k; rest < n;) {
    size_t we = qt_word_end(s, n, rest);
    if (we == rest || !qt_is_upper_at(s, n, rest)) return 0;
    words++;
    rest = we;
    while (rest < n && (s[rest] == ' ' || s[rest] == '.')) rest++;
  }
  return words >= 2 ? k : 0;
}
