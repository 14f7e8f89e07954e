/*
 * entities.c - who and what an article names: the people it introduces
 * (with their roles), organisations (long names linked to the acronyms
 * defined in parentheses, names built on organisation nouns) and
 * countries and places from a gazetteer of aliases, each with every
 * mention in the body.
 */
#include <stdlib.h>
#include <string.h>
#include "extract.h"

/* Countries and places analysts of world news meet most, with the forms
 * news copy writes them in: a row is its forms split by '|', the first
 * the canonical name. Matching is case-sensitive and whole-word. */
static const char *const places[] = {
  "United States|U.S.|US|USA|U.S.A.|America|United States of America",
  "China|PRC|People's Republic of China", "Russia|Russian Federation",
  "United Kingdom|UK|U.K.|Britain|Great Britain", "European Union|EU",
  "Japan", "India", "Germany", "France", "Italy", "Spain", "Canada",
  "Australia", "Brazil", "Mexico", "Iran", "Iraq", "Israel", "Syria",
  "Turkey|Türkiye", "Saudi Arabia", "Egypt", "Ukraine", "Belarus", "Poland",
  "Netherlands", "Belgium", "Sweden", "Norway", "Denmark", "Finland",
  "Switzerland", "Austria", "Greece", "Portugal", "Ireland",
  "North Korea|DPRK", "South Korea|Republic of Korea", "Taiwan", "Hong Kong",
  "Vietnam|Viet Nam", "Philippines", "Indonesia", "Malaysia", "Singapore",
  "Thailand", "Pakistan", "Afghanistan", "Nigeria", "South Africa", "Kenya",
  "Ethiopia", "Argentina", "Chile", "Colombia", "Venezuela", "Cuba",
  "New Zealand", "Beijing", "Washington", "Moscow", "London", "Paris",
  "Brussels", "Tokyo", "Berlin", "Kyiv|Kiev", "Taipei", "Seoul", "Pyongyang",
  "Tehran", "Shanghai", "New York", "Geneva",
};

/* Nouns that make a capitalised name an organisation. */
static const char *const org_words[] = {
  "Ministry", "Agency", "Center", "Centre", "Team", "Group", "Company",
  "Corporation", "Council", "Department", "Office", "Committee", "Bureau",
  "University", "Institute", "Service", "Services", "Association",
  "Commission", "Organization", "Organisation", "Party", "Court", "Bank",
  "Union", "Authority", "Police", "Army", "Navy", "Parliament", "Congress",
  "Senate", "Embassy", "Foundation", "Network", "Times", "News", "Daily",
  "Post", "Review", "Inc.", "Ltd", "Corp.", "Administration",
  "Directorate", "Command", "Forces", "Alliance", "Federation", NULL
};

/* An entity being gathered. */
typedef struct {
  const char *name;      /* arena copy */
  size_t name_len;
  const char *kind;
  const char *role;
  const char **aliases;  /* arena copies, grown as found */
  size_t *alias_len;
  size_t n_aliases, cap_aliases;
  size_t *mentions;      /* malloc'd pairs (offset, length), by offset */
  size_t n_mentions, cap;
  size_t *pmax;          /* pmax[k]: the furthest end of mentions 0..k */
  int next;              /* next entity in the same name slot */
} ent;

typedef struct {
  ent *e;                /* grows as entities are found */
  size_t n, cap;
  int *slot;             /* name hash -> first entity, -1 empty */
  size_t nslots;
} ent_list;

/* Letters, digits and every byte of a UTF-8 sequence. */
static int is_wordc(unsigned char c) {
  return lp_byte_class[c] & (LP_B_ALPHA | LP_B_DIGIT | LP_B_HIGH);
}

static uint32_t bytes_hash(const char *w, size_t n) {
  return lp_mix32(lp_fnv32(LP_FNV32_INIT, w, n));
}

/* Re-hash every entity into a table of ns slots; LOUPE_OK or ENOMEM. */
static int ent_rehash(ent_list *l, size_t ns) {
  int *slot = malloc(ns * sizeof *slot);
  size_t k;
  if (slot == NULL) return LOUPE_ENOMEM;
  for (k = 0; k < ns; k++) slot[k] = -1;
  for (k = 0; k < l->n; k++) {
    size_t h = bytes_hash(l->e[k].name, l->e[k].name_len) & (ns - 1);
    l->e[k].next = slot[h];
    slot[h] = (int)k;
  }
  free(l->slot);
  l->slot = slot;
  l->nslots = ns;
  return LOUPE_OK;
}

/*
 * The entity called name[0..n), made when new (kind as given). NULL only
 * when memory ran out. Looked up by hash: pages that name thousands of
 * people stay linear.
 */
static ent *new_ent(ent_list *l, lp_arena *arena, const char *name, size_t n,
                    const char *kind) {
  size_t h;
  int i;
  ent *e;
  if (l->nslots) {
    for (i = l->slot[bytes_hash(name, n) & (l->nslots - 1)]; i >= 0;
         i = l->e[i].next)
      if (l->e[i].name_len == n && memcmp(l->e[i].name, name, n) == 0)
        return &l->e[i];
  }
  if (lp_grow(&l->e, &l->cap, l->n, sizeof *l->e, 32)) return NULL;
  if ((l->n + 1) * 2 > l->nslots &&
      ent_rehash(l, l->nslots ? l->nslots * 2 : 64))
    return NULL;
  e = &l->e[l->n];
  memset(e, 0, sizeof *e);
  e->name = lp_arena_strndup(arena, name, n);
  if (e->name == NULL) return NULL;
  e->name_len = n;
  e->kind = kind;
  h = bytes_hash(name, n) & (l->nslots - 1);
  e->next = l->slot[h];
  l->slot[h] = (int)l->n;
  l->n++;
  return e;
}

static int add_alias(ent *e, lp_arena *arena, const char *a, size_t n) {
  size_t i;
  if (n == e->name_len && memcmp(a, e->name, n) == 0) return LOUPE_OK;
  for (i = 0; i < e->n_aliases; i++)
    if (e->alias_len[i] == n && memcmp(e->aliases[i], a, n) == 0)
      return LOUPE_OK;
  if (e->n_aliases == e->cap_aliases) {
    /* the old arrays stay in the arena: aliases are few */
    size_t cap = e->cap_aliases ? e->cap_aliases * 2 : 4;
    const char **na = lp_arena_alloc(arena, cap * sizeof *na);
    size_t *nl = lp_arena_alloc(arena, cap * sizeof *nl);
    if (na == NULL || nl == NULL) return LOUPE_ENOMEM;
    if (e->n_aliases) {
      memcpy(na, e->aliases, e->n_aliases * sizeof *na);
      memcpy(nl, e->alias_len, e->n_aliases * sizeof *nl);
    }
    e->aliases = na;
    e->alias_len = nl;
    e->cap_aliases = cap;
  }
  e->aliases[e->n_aliases] = lp_arena_strndup(arena, a, n);
  if (e->aliases[e->n_aliases] == NULL) return LOUPE_ENOMEM;
  e->alias_len[e->n_aliases++] = n;
  return LOUPE_OK;
}

static int upper_at(const char *s, size_t i) {
  return s[i] >= 'A' && s[i] <= 'Z';
}

/* A capitalised run ending just before i (skipping one space): words
 * starting upper case, "of", "and", "for", "the" inside. */
static size_t cap_run_before(const char *s, size_t from, size_t i) {
  size_t k = i, start = i;
  while (k > from && s[k - 1] == ' ') k--;
  while (k > from) {
    size_t e = k, a = k;
    while (a > from && (is_wordc((unsigned char)s[a - 1]) || s[a - 1] == '/' ||
                        s[a - 1] == '-' || s[a - 1] == '.' || s[a - 1] == '\''))
      a--;
    if (a == e) break;
    if (upper_at(s, a)) start = a;
    else if (!((e - a == 2 && memcmp(s + a, "of", 2) == 0) ||
               (e - a == 3 && (memcmp(s + a, "and", 3) == 0 ||
                               memcmp(s + a, "for", 3) == 0 ||
                               memcmp(s + a, "the", 3) == 0))))
      break;
    if (a == from || s[a - 1] != ' ') break;
    k = a - 1;
  }
  return start;
}

/* A word length as one bit of a set (31 and longer share the last). */
#define LEN_BIT(n) ((n) < 31 ? 1u << (n) : 1u << 31)

/* For each first byte, the lengths of the org_words starting with it:
 * a word that fits none is not compared with the list. */
static void org_lengths(uint32_t lens[256]) {
  int w;
  memset(lens, 0, 256 * sizeof *lens);
  for (w = 0; org_words[w]; w++)
    lens[(unsigned char)org_words[w][0]] |= LEN_BIT(strlen(org_words[w]));
}

/* Is s[k, we) one of org_words? */
static int is_org_word(const uint32_t lens[256], const char *s, size_t k,
                       size_t we) {
  int w;
  if (!(lens[(unsigned char)s[k]] & LEN_BIT(we - k))) return 0;
  for (w = 0; org_words[w]; w++)
    if (org_words[w][0] == s[k] && strlen(org_words[w]) == we - k &&
        memcmp(org_words[w], s + k, we - k) == 0)
      return 1;
  return 0;
}

/* Organisations: "Long Name (ACRONYM)" and names built on org nouns. */
static int scan_orgs(ent_list *l, const char *s, size_t n, lp_arena *arena) {
  size_t i;
  uint32_t lens[256];
  org_lengths(lens);
  for (i = 0; i + 3 < n; i++) {
    if (s[i] != '(') {
      const char *p = memchr(s + i, '(', n - 3 - i);
      if (p == NULL) break;
      i = (size_t)(p - s);
    }
    if (i > 2 && s[i - 1] == ' ' && upper_at(s, i + 1)) {
      size_t j = i + 1, caps = 0;
      while (j < n && j - i < 16 && s[j] != ')') {
        if (upper_at(s, j)) caps++;
        else if (!(s[j] == '/' || s[j] == '-' || s[j] == '.' ||
                   (s[j] >= '0' && s[j] <= '9') ||
                   (s[j] >= 'a' && s[j] <= 'z')))
          break;
        j++;
      }
      if (j < n && s[j] == ')' && caps >= 2 && caps * 2 >= j - i - 1) {
        size_t st = cap_run_before(s, 0, i - 1);
        if (st < i - 1 && i - 1 - st >= 8) {
          ent *e;
          size_t end = i - 1;
          /* a leading "the" is not part of the name */
          if (end - st > 4 && memcmp(s + st, "The ", 4) == 0) st += 4;
          e = new_ent(l, arena, s + st, end - st, "organisation");
          if (e == NULL) return LOUPE_ENOMEM;
          if (add_alias(e, arena, s + i + 1, j - i - 1)) return LOUPE_ENOMEM;
        }
      }
    }
  }
  /* capitalised runs that end in an organisation noun */
  i = 0;
  while (i < n) {
    size_t a, e;
    if (!upper_at(s, i) || (i > 0 && is_wordc((unsigned char)s[i - 1]))) {
      i++;
      continue;
    }
    a = i;
    e = i;
    {
      size_t k = i, last_org = 0, words = 0;
      while (k < n && words < 8) {
        size_t we = k;
        while (we < n && (is_wordc((unsigned char)s[we]) || s[we] == '.' ||
                          s[we] == '\'' || s[we] == '-'))
          we++;
        if (we == k) break;
        if (!upper_at(s, k) && !(we - k == 2 && memcmp(s + k, "of", 2) == 0) &&
            !(we - k == 3 && memcmp(s + k, "and", 3) == 0))
          break;
        if (is_org_word(lens, s, k, we)) last_org = we;
        words++;
        e = we;
        if (we >= n || s[we] != ' ') break;
        k = we + 1;
      }
      if (last_org > a && words >= 2) {
        ent *en;
        size_t st = a;
        if (last_org - st > 4 && memcmp(s + st, "The ", 4) == 0) st += 4;
        en = new_ent(l, arena, s + st, last_org - st, "organisation");
        if (en == NULL) return LOUPE_ENOMEM;
      }
    }
    i = e > i ? e : i + 1;
  }
  return LOUPE_OK;
}

/* ---- mentions: every name form found in one pass over the body ---- */

/* One distinct form looked for (a name, an alias, a surname, a place
 * alias) and the offsets where it occurs whole-word, left to right and
 * not overlapping itself. */
typedef struct {
  const char *w;
  size_t len;
  uint32_t h;            /* hash of all its bytes */
  uint32_t tok;          /* hash of its first token (see first_token) */
  int next_tok;          /* next form with the same first token hash */
  int tok_tail;          /* of a chain's first form: its last form */
  size_t tok_count;      /* of a chain's first form: how many it holds */
  size_t tok_maxlen;     /* of a chain's first form: its longest form */
  size_t *m;             /* malloc'd offsets */
  size_t nm, cap;
  size_t next_ok;        /* the next match may start here */
  size_t persons;        /* people it is a first or last word of */
  size_t last_person;    /* the latest of them, +1 (0 none) */
} form;

typedef struct {
  form *f;
  size_t n, cap;
  int *by_bytes;         /* open addressing on h: form index, -1 empty */
  int *by_tok;           /* open addressing on tok: first form, -1 */
  size_t nslots;
  uint32_t nonword[8];   /* first bytes of forms that start off a word */
  uint32_t first[8];     /* first bytes of all forms: most words of a body
                            (lower case) start none and are not hashed */
} forms;

/* The first token of w[0..n): its leading run of word bytes, or its first
 * byte when it starts with another byte. A whole-word match at a body
 * offset always has the body's token there (see match_all). */
static size_t first_token(const char *w, size_t n) {
  size_t k = 0;
  if (n == 0) return 0;
  if (!is_wordc((unsigned char)w[0])) return 1;
  while (k < n && is_wordc((unsigned char)w[k])) k++;
  return k;
}

static int forms_rehash(forms *fs, size_t ns) {
  int *bb = malloc(ns * sizeof *bb), *bt = malloc(ns * sizeof *bt);
  size_t k;
  if (bb == NULL || bt == NULL) {
    free(bb);
    free(bt);
    return LOUPE_ENOMEM;
  }
  for (k = 0; k < ns; k++) bb[k] = bt[k] = -1;
  for (k = 0; k < fs->n; k++) {
    size_t j = fs->f[k].h & (ns - 1);
    while (bb[j] >= 0) j = (j + 1) & (ns - 1);
    bb[j] = (int)k;
  }
  /* token chains are rebuilt in index order */
  for (k = fs->n; k-- > 0;) {
    size_t j = fs->f[k].tok & (ns - 1);
    while (bt[j] >= 0 && fs->f[bt[j]].tok != fs->f[k].tok)
      j = (j + 1) & (ns - 1);
    fs->f[k].next_tok = bt[j];
    fs->f[k].tok_tail = bt[j] >= 0 ? fs->f[bt[j]].tok_tail : (int)k;
    fs->f[k].tok_count = bt[j] >= 0 ? fs->f[bt[j]].tok_count + 1 : 1;
    fs->f[k].tok_maxlen = fs->f[k].len;
    if (bt[j] >= 0 && fs->f[bt[j]].tok_maxlen > fs->f[k].len)
      fs->f[k].tok_maxlen = fs->f[bt[j]].tok_maxlen;
    bt[j] = (int)k;
  }
  free(fs->by_bytes);
  free(fs->by_tok);
  fs->by_bytes = bb;
  fs->by_tok = bt;
  fs->nslots = ns;
  return LOUPE_OK;
}

/* Index of the form w[0..n) of hash h, -1 when not registered. */
static int form_find_h(const forms *fs, uint32_t h, const char *w,
                       size_t n) {
  size_t j;
  if (fs->nslots == 0) return -1;
  for (j = h & (fs->nslots - 1); fs->by_bytes[j] >= 0;
       j = (j + 1) & (fs->nslots - 1)) {
    const form *f = &fs->f[fs->by_bytes[j]];
    if (f->h == h && f->len == n && memcmp(f->w, w, n) == 0)
      return fs->by_bytes[j];
  }
  return -1;
}

static int form_find(const forms *fs, const char *w, size_t n) {
  return form_find_h(fs, bytes_hash(w, n), w, n);
}

/* Register w[0..n) (kept by pointer: body, arena or static text); its
 * index, or -1 when memory ran out. */
static int form_add(forms *fs, const char *w, size_t n) {
  int k = form_find(fs, w, n);
  form *f;
  size_t j;
  if (k >= 0) return k;
  if (lp_grow(&fs->f, &fs->cap, fs->n, sizeof *fs->f, 64)) return -1;
  f = &fs->f[fs->n];
  memset(f, 0, sizeof *f);
  f->w = w;
  f->len = n;
  f->h = bytes_hash(w, n);
  f->tok = bytes_hash(w, first_token(w, n));
  k = (int)fs->n++;
  if (n > 0 && !is_wordc((unsigned char)w[0]))
    fs->nonword[(unsigned char)w[0] >> 5] |= 1u << ((unsigned char)w[0] & 31);
  if (n > 0)
    fs->first[(unsigned char)w[0] >> 5] |= 1u << ((unsigned char)w[0] & 31);
  if (fs->n * 2 > fs->nslots)
    return forms_rehash(fs, fs->nslots ? fs->nslots * 2 : 256) ? -1 : k;
  for (j = f->h & (fs->nslots - 1); fs->by_bytes[j] >= 0;
       j = (j + 1) & (fs->nslots - 1)) {}
  fs->by_bytes[j] = k;
  /* append to its token chain, keeping index order */
  for (j = f->tok & (fs->nslots - 1);
       fs->by_tok[j] >= 0 && fs->f[fs->by_tok[j]].tok != f->tok;
       j = (j + 1) & (fs->nslots - 1)) {}
  f->next_tok = -1;
  if (fs->by_tok[j] < 0) {
    fs->by_tok[j] = k;
    f->tok_tail = k;
    f->tok_count = 1;
    f->tok_maxlen = n;
  } else {
    form *head = &fs->f[fs->by_tok[j]];
    fs->f[head->tok_tail].next_tok = k;
    head->tok_tail = k;
    head->tok_count++;
    if (n > head->tok_maxlen) head->tok_maxlen = n;
  }
  return k;
}

/* Note a match of form f at body offset at; LOUPE_OK or ENOMEM. */
static int form_hit(form *f, size_t at) {
  if (lp_grow(&f->m, &f->cap, f->nm, sizeof *f->m, 8)) return LOUPE_ENOMEM;
  f->m[f->nm++] = at;
  f->next_ok = at + f->len;
  return LOUPE_OK;
}

/* Does a form of wl bytes at body offset at end whole-word (or on ".")? */
static int ends_word(const char *s, size_t n, size_t at, size_t wl) {
  return at + wl >= n || !is_wordc((unsigned char)s[at + wl]) ||
         s[at + wl - 1] == '.';
}

#define CHAIN_WALK 16  /* longer token chains are looked up by length */

/* The forms of a long chain that match at at: each length from the
 * token's up to the longest form's where a match would end whole-word is
 * looked up by hash (the hash grows a byte at a time), so the work does
 * not grow with the number of forms sharing the first word. A form that
 * matches has the body's token first, so it is on this chain. */
static int try_lengths(forms *fs, const char *s, size_t n, size_t at,
                       size_t tl, size_t maxlen) {
  uint32_t h = lp_fnv32(LP_FNV32_INIT, s + at, tl);
  size_t wl = tl;
  for (;;) {
    if (ends_word(s, n, at, wl)) {
      int k = form_find_h(fs, lp_mix32(h), s + at, wl);
      if (k >= 0 && at >= fs->f[k].next_ok && form_hit(&fs->f[k], at))
        return LOUPE_ENOMEM;
    }
    if (wl >= maxlen || at + wl >= n) break;
    h = lp_fnv32(h, s + at + wl, 1);
    wl++;
  }
  return LOUPE_OK;
}

/* Try every form whose first token is s[at, at+tl) at body offset at. */
static int try_forms(forms *fs, const char *s, size_t n, size_t at,
                     size_t tl) {
  uint32_t tok = bytes_hash(s + at, tl);
  size_t j;
  int k;
  for (j = tok & (fs->nslots - 1);
       fs->by_tok[j] >= 0 && fs->f[fs->by_tok[j]].tok != tok;
       j = (j + 1) & (fs->nslots - 1)) {}
  k = fs->by_tok[j];
  if (k >= 0 && fs->f[k].tok_count > CHAIN_WALK)
    return try_lengths(fs, s, n, at, tl, fs->f[k].tok_maxlen);
  for (; k >= 0; k = fs->f[k].next_tok) {
    form *f = &fs->f[k];
    size_t wl = f->len;
    if (wl == 0 || at < f->next_ok || at + wl > n ||
        memcmp(s + at, f->w, wl) != 0 || !ends_word(s, n, at, wl))
      continue;
    if (form_hit(f, at)) return LOUPE_ENOMEM;
  }
  return LOUPE_OK;
}

/*
 * One pass over the body: at every offset where a word may start, the
 * forms sharing the token there are compared. A form matches whole-word
 * (or ending in "."), case-sensitively, and not over its own previous
 * match, as a search for each form on its own would find it.
 */
static int match_all(forms *fs, const char *s, size_t n) {
  size_t at = 0;
  if (fs->n == 0) return LOUPE_OK;
  while (at < n) {
    unsigned char c = (unsigned char)s[at];
    if (at > 0 && is_wordc((unsigned char)s[at - 1])) { at++; continue; }
    if (is_wordc(c)) {
      size_t e = at + 1;
      while (e < n && is_wordc((unsigned char)s[e])) e++;
      if (((fs->first[c >> 5] >> (c & 31)) & 1) &&
          try_forms(fs, s, n, at, e - at))
        return LOUPE_ENOMEM;
      at = e;
      continue;
    }
    if ((fs->nonword[c >> 5] >> (c & 31)) & 1)
      if (try_forms(fs, s, n, at, 1)) return LOUPE_ENOMEM;
    at++;
  }
  return LOUPE_OK;
}

static void forms_free(forms *fs) {
  size_t k;
  for (k = 0; k < fs->n; k++) free(fs->f[k].m);
  free(fs->f);
  free(fs->by_bytes);
  free(fs->by_tok);
}

/* Is body offset off inside a mention e has (by binary search over the
 * mentions sorted by offset and the furthest end before each)? */
static int inside_mention(const ent *e, size_t off) {
  size_t lo = 0, hi = e->n_mentions;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (e->mentions[2 * mid] <= off) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && e->pmax[lo - 1] > off;
}

/*
 * Add the matches of form k to e's mentions, but for those starting
 * inside a mention e had before (a shorter form inside a longer one).
 * Keeps the mentions sorted; *added counts the new ones. LOUPE_OK or
 * ENOMEM.
 */
static int apply_form(ent *e, const forms *fs, int k, size_t *added) {
  const form *f;
  size_t x, keep = 0, i, j, o, need;
  size_t *m, *pm;
  *added = 0;
  if (k < 0) return LOUPE_OK;
  f = &fs->f[k];
  for (x = 0; x < f->nm; x++)
    if (!inside_mention(e, f->m[x])) keep++;
  if (keep == 0) return LOUPE_OK;
  need = e->n_mentions + keep;
  m = malloc(need * 2 * sizeof *m);
  pm = malloc(need * sizeof *pm);
  if (m == NULL || pm == NULL) {
    free(m);
    free(pm);
    return LOUPE_ENOMEM;
  }
  /* merge the old mentions with the kept matches, both by offset */
  i = j = o = 0;
  for (;;) {
    while (j < f->nm && inside_mention(e, f->m[j])) j++;
    if (i >= e->n_mentions && j >= f->nm) break;
    if (j >= f->nm || (i < e->n_mentions && e->mentions[2 * i] <= f->m[j])) {
      m[2 * o] = e->mentions[2 * i];
      m[2 * o + 1] = e->mentions[2 * i + 1];
      i++;
    } else {
      m[2 * o] = f->m[j];
      m[2 * o + 1] = f->len;
      j++;
    }
    o++;
  }
  for (x = 0; x < o; x++) {
    size_t end = m[2 * x] + m[2 * x + 1];
    pm[x] = x > 0 && pm[x - 1] > end ? pm[x - 1] : end;
  }
  free(e->mentions);
  free(e->pmax);
  e->mentions = m;
  e->pmax = pm;
  e->n_mentions = o;
  e->cap = need;
  *added = keep;
  return LOUPE_OK;
}

/* ---- organisations only seen inside longer names ---- */

typedef struct {
  size_t namelen, ent;
} by_len;

static int cmp_by_len(const void *x, const void *y) {
  const by_len *a = x, *b = y;
  if (a->namelen != b->namelen) return a->namelen > b->namelen ? -1 : 1;
  return a->ent < b->ent ? -1 : a->ent > b->ent;
}

static int cmp_size(const void *x, const void *y) {
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  return a < b ? -1 : a > b;
}

/* Rank of offset o among the sorted distinct offsets off[0..n) (1-based
 * for the Fenwick tree). */
static size_t rank_of(const size_t *off, size_t n, size_t o) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (off[mid] < o) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/*
 * An organisation every mention of which lies inside a mention of an
 * entity with a longer name is part of that name ("Coordination Center"
 * in "... Team/Coordination Center of China"): its mentions are dropped.
 * Entities are taken longest name first; a Fenwick tree over mention
 * offsets holds the furthest end of the mentions of longer names starting
 * at or before each offset. (Dropping one changes no other answer: a
 * mention inside it is inside the longer name that holds it.)
 */
static int drop_contained(ent_list *l) {
  size_t i, total = 0, nd = 0, g;
  size_t *off = NULL, *fen = NULL;
  by_len *order = NULL;
  int rc = LOUPE_ENOMEM;
  for (i = 0; i < l->n; i++) total += l->e[i].n_mentions;
  if (total == 0) return LOUPE_OK;
  off = malloc(total * sizeof *off);
  fen = calloc(total + 1, sizeof *fen);
  order = malloc(l->n * sizeof *order);
  if (!off || !fen || !order) goto out;
  for (i = 0; i < l->n; i++) {
    size_t x;
    for (x = 0; x < l->e[i].n_mentions; x++)
      off[nd++] = l->e[i].mentions[2 * x];
    order[i].namelen = l->e[i].name_len;
    order[i].ent = i;
  }
  qsort(off, nd, sizeof *off, cmp_size);
  qsort(order, l->n, sizeof *order, cmp_by_len);
  for (g = 0; g < l->n;) {
    size_t h = g, k;
    while (h < l->n && order[h].namelen == order[g].namelen) h++;
    /* answer this length's organisations from the longer names */
    for (k = g; k < h; k++) {
      ent *e = &l->e[order[k].ent];
      size_t x;
      int inside_all = e->n_mentions > 0;
      if (strcmp(e->kind, "organisation") != 0) continue;
      for (x = 0; x < e->n_mentions && inside_all; x++) {
        size_t o = e->mentions[2 * x], end = o + e->mentions[2 * x + 1];
        size_t r = rank_of(off, nd, o), best = 0;
        for (; r > 0; r -= r & (~r + 1))
          if (fen[r] > best) best = fen[r];
        if (best < end) inside_all = 0;
      }
      if (inside_all) order[k].namelen = (size_t)-1;   /* drop below */
    }
    /* then add this length's mentions for the shorter names */
    for (k = g; k < h; k++) {
      ent *e = &l->e[order[k].ent];
      size_t x;
      for (x = 0; x < e->n_mentions; x++) {
        size_t o = e->mentions[2 * x], end = o + e->mentions[2 * x + 1];
        size_t r = rank_of(off, nd, o);
        for (; r <= nd; r += r & (~r + 1))
          if (fen[r] < end) fen[r] = end;
      }
    }
    g = h;
  }
  for (i = 0; i < l->n; i++)
    if (order[i].namelen == (size_t)-1) l->e[order[i].ent].n_mentions = 0;
  rc = LOUPE_OK;
out:
  free(off);
  free(fen);
  free(order);
  return rc;
}

/* Is person entity e's name in two or more words? Sets its first word
 * (first, fl) and last word (last, ll). */
static int name_parts(const ent *e, const char **first, size_t *fl,
                      const char **last, size_t *ll) {
  const char *sp = memchr(e->name, ' ', e->name_len);
  const char *lw = e->name + e->name_len;
  while (lw > e->name && lw[-1] != ' ') lw--;
  if (sp == NULL || (size_t)(lw - e->name) >= e->name_len) return 0;
  *first = e->name;
  *fl = (size_t)(sp - e->name);
  *last = lw;
  *ll = e->name_len - (size_t)(lw - e->name);
  return 1;
}

/* The entities that are mentioned, with their mentions by offset, as
 * the article's. */
static int emit_entities(loupe_article *a, const ent_list *l,
                         lp_arena *arena) {
  size_t i;
  a->entities = lp_arena_alloc(arena, (l->n ? l->n : 1) * sizeof *a->entities);
  if (a->entities == NULL) return LOUPE_ENOMEM;
  for (i = 0; i < l->n; i++) {
    const ent *e = &l->e[i];
    loupe_entity *o;
    size_t x;
    if (e->n_mentions == 0) continue;
    o = &a->entities[a->n_entities++];
    o->name = e->name;
    o->kind = e->kind;
    o->role = e->role;
    o->n_aliases = e->n_aliases;
    o->aliases = e->n_aliases ? lp_arena_alloc(arena, e->n_aliases *
                                                        sizeof *o->aliases)
                              : NULL;
    if (e->n_aliases && o->aliases == NULL) return LOUPE_ENOMEM;
    for (x = 0; x < e->n_aliases; x++) o->aliases[x] = e->aliases[x];
    o->n_mentions = e->n_mentions;
    o->mentions = lp_arena_alloc(arena, e->n_mentions * 2 * sizeof *o->mentions);
    if (o->mentions == NULL) return LOUPE_ENOMEM;
    memcpy(o->mentions, e->mentions, e->n_mentions * 2 * sizeof *o->mentions);
  }
  return LOUPE_OK;
}

#define N_PLACES (sizeof places / sizeof places[0])

/* The form of a gazetteer row after *at (the row's start first): its
 * start, with its length in *len and *at moved past it; NULL after the
 * last. */
static const char *place_form(const char **at, size_t *len) {
  const char *f = *at, *bar;
  if (f == NULL) return NULL;
  bar = strchr(f, '|');
  *len = bar ? (size_t)(bar - f) : strlen(f);
  *at = bar ? bar + 1 : NULL;
  return f;
}

/* Is s[0, n) a place of the gazetteer, in any of its forms? */
int lp_is_place(const char *s, size_t n) {
  size_t k, j;
  if (n == 0) return 0;
  /* each form compared in place, only when its first byte is the name's
   * (most names differ from every place there) */
  for (k = 0; k < N_PLACES; k++) {
    const char *p = places[k];
    while (p != NULL) {
      if (*p == s[0]) {
        for (j = 1; j < n && p[j] != '|' && p[j] != '\0' && p[j] == s[j];
             j++) {}
        if (j == n && (p[j] == '|' || p[j] == '\0')) return 1;
      }
      p = strchr(p, '|');
      if (p != NULL) p++;
    }
  }
  return 0;
}

/* Count person pi as one more person a form is a part of. */
static void count_part(forms *fs, int k, size_t pi) {
  if (k < 0 || fs->f[k].last_person == pi + 1) return;
  fs->f[k].persons++;
  fs->f[k].last_person = pi + 1;
}

int lp_entities(loupe_article *a, const lp_named *people, size_t np,
                lp_arena *arena) {
  ent_list *l;
  forms fs;
  const char *s = a->body;
  size_t n = a->body_len, k, i;
  int rc = LOUPE_ENOMEM;
  a->entities = NULL;
  a->n_entities = 0;
  if (s == NULL || n == 0) return LOUPE_OK;
  memset(&fs, 0, sizeof fs);
  l = calloc(1, sizeof *l);
  if (l == NULL) return LOUPE_ENOMEM;
  for (k = 0; k < np; k++) {
    ent *e = new_ent(l, arena, s + people[k].start, people[k].len,
                     people[k].org ? "organisation" : "person");
    if (e == NULL) goto out;
    if (people[k].role && e->role == NULL) {
      e->role = lp_arena_strndup(arena, people[k].role, strlen(people[k].role));
      if (e->role == NULL) goto out;
    }
  }
  if (scan_orgs(l, s, n, arena)) goto out;
  /* every form to look for: names, aliases, parts of people's names and
   * the gazetteer's place names */
  for (i = 0; i < l->n; i++) {
    ent *e = &l->e[i];
    size_t j, fl, ll;
    const char *fw, *lw;
    if (form_add(&fs, e->name, e->name_len) < 0) goto out;
    for (j = 0; j < e->n_aliases; j++)
      if (form_add(&fs, e->aliases[j], e->alias_len[j]) < 0) goto out;
    if (strcmp(e->kind, "person") == 0 && name_parts(e, &fw, &fl, &lw, &ll)) {
      int kf = form_add(&fs, fw, fl), kl = form_add(&fs, lw, ll);
      if (kf < 0 || kl < 0) goto out;
      count_part(&fs, kl, i);
      count_part(&fs, kf, i);
    }
  }
  for (k = 0; k < N_PLACES; k++) {
    const char *at = places[k], *w;
    size_t len;
    while ((w = place_form(&at, &len)) != NULL)
      if (form_add(&fs, w, len) < 0) goto out;
  }
  if (match_all(&fs, s, n)) goto out;
  /* places the body names, with every form found */
  for (k = 0; k < N_PLACES; k++) {
    const char *at = places[k], *w, *name;
    size_t len, name_len;
    int seen = 0;
    ent *e;
    while (!seen && (w = place_form(&at, &len)) != NULL)
      seen = fs.f[form_find(&fs, w, len)].nm > 0;
    if (!seen) continue;
    at = places[k];
    name = place_form(&at, &name_len);
    e = new_ent(l, arena, name, name_len, "place");
    if (e == NULL) goto out;
    for (at = places[k]; (w = place_form(&at, &len)) != NULL;) {
      size_t added;
      if (apply_form(e, &fs, form_find(&fs, w, len), &added)) goto out;
      if (added > 0 && add_alias(e, arena, w, len)) goto out;
    }
  }
  /* mentions of people (full name and either end of it) and orgs; an end
   * of a name counts only when no other person's name shares it */
  for (i = 0; i < l->n; i++) {
    ent *e = &l->e[i];
    size_t j, added, fl, ll;
    const char *fw, *lw;
    if (strcmp(e->kind, "place") == 0) continue;
    if (apply_form(e, &fs, form_find(&fs, e->name, e->name_len), &added))
      goto out;
    for (j = 0; j < e->n_aliases; j++)
      if (apply_form(e, &fs, form_find(&fs, e->aliases[j], e->alias_len[j]),
                     &added))
        goto out;
    if (strcmp(e->kind, "person") == 0 && name_parts(e, &fw, &fl, &lw, &ll)) {
      int kl = form_find(&fs, lw, ll), kf = form_find(&fs, fw, fl);
      added = 0;
      if (kl >= 0 && fs.f[kl].persons == 1 &&
          apply_form(e, &fs, kl, &added))
        goto out;
      if (added == 0 && kf >= 0 && fs.f[kf].persons == 1 &&
          apply_form(e, &fs, kf, &added))
        goto out;
    }
  }
  if (drop_contained(l)) goto out;
  if (emit_entities(a, l, arena)) goto out;
  rc = LOUPE_OK;
out:
  for (i = 0; i < l->n; i++) {
    free(l->e[i].mentions);
    free(l->e[i].pmax);
  }
  free(l->e);
  free(l->slot);
  free(l);
  forms_free(&fs);
  return rc;
}
