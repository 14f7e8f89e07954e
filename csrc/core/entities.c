/*
 * entities.c - who and what an article names: the people it introduces
 * (with their roles), organisations (long names linked to the acronyms
 * defined in parentheses, names built on organisation nouns) and
 * countries and places from a gazetteer of aliases, each with every
 * mention in the body.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define MAX_ENT 512
#define MAX_ALIASES 8

typedef struct {
  const char *name;            /* canonical */
  const char *aliases[MAX_ALIASES];
} place_def;

/* Countries and places analysts of world news meet most, with the forms
 * news copy writes them in. Matching is case-sensitive and whole-word. */
static const place_def places[] = {
  {"United States", {"United States", "U.S.", "US", "USA", "U.S.A.",
                     "America", "United States of America", NULL}},
  {"China", {"China", "PRC", "People's Republic of China", NULL}},
  {"Russia", {"Russia", "Russian Federation", NULL}},
  {"United Kingdom", {"United Kingdom", "UK", "U.K.", "Britain",
                      "Great Britain", NULL}},
  {"European Union", {"European Union", "EU", NULL}},
  {"Japan", {"Japan", NULL}}, {"India", {"India", NULL}},
  {"Germany", {"Germany", NULL}}, {"France", {"France", NULL}},
  {"Italy", {"Italy", NULL}}, {"Spain", {"Spain", NULL}},
  {"Canada", {"Canada", NULL}}, {"Australia", {"Australia", NULL}},
  {"Brazil", {"Brazil", NULL}}, {"Mexico", {"Mexico", NULL}},
  {"Iran", {"Iran", NULL}}, {"Iraq", {"Iraq", NULL}},
  {"Israel", {"Israel", NULL}}, {"Syria", {"Syria", NULL}},
  {"Turkey", {"Turkey", "Türkiye", NULL}},
  {"Saudi Arabia", {"Saudi Arabia", NULL}}, {"Egypt", {"Egypt", NULL}},
  {"Ukraine", {"Ukraine", NULL}}, {"Belarus", {"Belarus", NULL}},
  {"Poland", {"Poland", NULL}}, {"Netherlands", {"Netherlands", NULL}},
  {"Belgium", {"Belgium", NULL}}, {"Sweden", {"Sweden", NULL}},
  {"Norway", {"Norway", NULL}}, {"Denmark", {"Denmark", NULL}},
  {"Finland", {"Finland", NULL}}, {"Switzerland", {"Switzerland", NULL}},
  {"Austria", {"Austria", NULL}}, {"Greece", {"Greece", NULL}},
  {"Portugal", {"Portugal", NULL}}, {"Ireland", {"Ireland", NULL}},
  {"North Korea", {"North Korea", "DPRK", NULL}},
  {"South Korea", {"South Korea", "Republic of Korea", NULL}},
  {"Taiwan", {"Taiwan", NULL}}, {"Hong Kong", {"Hong Kong", NULL}},
  {"Vietnam", {"Vietnam", "Viet Nam", NULL}},
  {"Philippines", {"Philippines", NULL}},
  {"Indonesia", {"Indonesia", NULL}}, {"Malaysia", {"Malaysia", NULL}},
  {"Singapore", {"Singapore", NULL}}, {"Thailand", {"Thailand", NULL}},
  {"Pakistan", {"Pakistan", NULL}}, {"Afghanistan", {"Afghanistan", NULL}},
  {"Nigeria", {"Nigeria", NULL}}, {"South Africa", {"South Africa", NULL}},
  {"Kenya", {"Kenya", NULL}}, {"Ethiopia", {"Ethiopia", NULL}},
  {"Argentina", {"Argentina", NULL}}, {"Chile", {"Chile", NULL}},
  {"Colombia", {"Colombia", NULL}}, {"Venezuela", {"Venezuela", NULL}},
  {"Cuba", {"Cuba", NULL}}, {"New Zealand", {"New Zealand", NULL}},
  {"Beijing", {"Beijing", NULL}}, {"Washington", {"Washington", NULL}},
  {"Moscow", {"Moscow", NULL}}, {"London", {"London", NULL}},
  {"Paris", {"Paris", NULL}}, {"Brussels", {"Brussels", NULL}},
  {"Tokyo", {"Tokyo", NULL}}, {"Berlin", {"Berlin", NULL}},
  {"Kyiv", {"Kyiv", "Kiev", NULL}}, {"Taipei", {"Taipei", NULL}},
  {"Seoul", {"Seoul", NULL}}, {"Pyongyang", {"Pyongyang", NULL}},
  {"Tehran", {"Tehran", NULL}}, {"Shanghai", {"Shanghai", NULL}},
  {"New York", {"New York", NULL}}, {"Geneva", {"Geneva", NULL}},
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

typedef struct {
  const char *name;      /* arena copy */
  size_t name_len;
  const char *kind;
  const char *role;
  const char *aliases[MAX_ALIASES];
  size_t alias_len[MAX_ALIASES];
  int n_aliases;
  size_t *mentions;      /* malloc'd pairs */
  size_t n_mentions, cap;
} ent;

typedef struct {
  ent *e;                /* grows as entities are found */
  int n, cap;
} ent_list;

/* Letters, digits and every byte of a UTF-8 sequence. */
static int is_wordc(unsigned char c) {
  return lp_byte_class[c] & (LP_B_ALPHA | LP_B_DIGIT | LP_B_HIGH);
}

/* Whole-word, case-sensitive occurrences of w in s, as mentions of e. */
static int add_mention(ent *e, size_t off, size_t len) {
  size_t k;
  for (k = 0; k < e->n_mentions; k++)
    if (e->mentions[2 * k] <= off && off < e->mentions[2 * k] + e->mentions[2 * k + 1])
      return LOUPE_OK;                 /* inside a longer form already */
  if (e->n_mentions == e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 8;
    size_t *m = realloc(e->mentions, cap * 2 * sizeof *m);
    if (m == NULL) return LOUPE_ENOMEM;
    e->mentions = m;
    e->cap = cap;
  }
  e->mentions[2 * e->n_mentions] = off;
  e->mentions[2 * e->n_mentions + 1] = len;
  e->n_mentions++;
  return LOUPE_OK;
}

static int find_all(ent *e, const char *s, size_t n, const char *w,
                    size_t wl) {
  size_t i = 0;
  if (wl == 0) return LOUPE_OK;
  while (i + wl <= n) {
    const char *p = memchr(s + i, w[0], n - i - wl + 1);
    size_t at;
    if (p == NULL) break;
    at = (size_t)(p - s);
    if (memcmp(p, w, wl) == 0 && (at == 0 || !is_wordc((unsigned char)s[at - 1])) &&
        (at + wl >= n || !is_wordc((unsigned char)s[at + wl]) ||
         w[wl - 1] == '.')) {
      if (add_mention(e, at, wl)) return LOUPE_ENOMEM;
      i = at + wl;
    } else {
      i = at + 1;
    }
  }
  return LOUPE_OK;
}

static ent *new_ent(ent_list *l, lp_arena *arena, const char *name, size_t n,
                    const char *kind) {
  int i;
  ent *e;
  for (i = 0; i < l->n; i++)
    if (l->e[i].name_len == n && memcmp(l->e[i].name, name, n) == 0)
      return &l->e[i];
  if (l->n >= MAX_ENT) return NULL;
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 32;
    ent *ne = realloc(l->e, (size_t)cap * sizeof *ne);
    if (ne == NULL) return NULL;
    l->e = ne;
    l->cap = cap;
  }
  e = &l->e[l->n];
  memset(e, 0, sizeof *e);
  e->name = lp_arena_strndup(arena, name, n);
  if (e->name == NULL) return NULL;
  e->name_len = n;
  e->kind = kind;
  l->n++;
  return e;
}

static int add_alias(ent *e, lp_arena *arena, const char *a, size_t n) {
  int i;
  if (n == e->name_len && memcmp(a, e->name, n) == 0) return LOUPE_OK;
  for (i = 0; i < e->n_aliases; i++)
    if (e->alias_len[i] == n && memcmp(e->aliases[i], a, n) == 0)
      return LOUPE_OK;
  if (e->n_aliases >= MAX_ALIASES) return LOUPE_OK;
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

/* Organisations: "Long Name (ACRONYM)" and names built on org nouns. */
static int scan_orgs(ent_list *l, const char *s, size_t n, lp_arena *arena) {
  size_t i;
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
        int w;
        while (we < n && (is_wordc((unsigned char)s[we]) || s[we] == '.' ||
                          s[we] == '\'' || s[we] == '-'))
          we++;
        if (we == k) break;
        if (!upper_at(s, k) && !(we - k == 2 && memcmp(s + k, "of", 2) == 0) &&
            !(we - k == 3 && memcmp(s + k, "and", 3) == 0))
          break;
        for (w = 0; org_words[w]; w++)
          if (org_words[w][0] == s[k] && strlen(org_words[w]) == we - k &&
              memcmp(org_words[w], s + k, we - k) == 0)
            last_org = we;
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

#define CAP_SLOTS 4096u

static uint32_t cap_hash(const char *w, size_t n) {
  uint32_t h = 2166136261u;
  size_t k;
  for (k = 0; k < n; k++) h = (h ^ (unsigned char)w[k]) * 16777619u;
  return h ? h : 1;
}

/* A set of word hashes (open addressing; a full table just stops adding,
 * which only costs a later strstr). */
static void cap_put(uint32_t *set, const char *w, size_t n) {
  uint32_t h = cap_hash(w, n), k = h & (CAP_SLOTS - 1), tries = 0;
  while (set[k] != 0 && set[k] != h && tries++ < CAP_SLOTS)
    k = (k + 1) & (CAP_SLOTS - 1);
  if (set[k] == 0) set[k] = h;
}

static int cap_has(const uint32_t *set, const char *w, size_t n) {
  uint32_t h = cap_hash(w, n), k = h & (CAP_SLOTS - 1), tries = 0;
  while (set[k] != 0 && tries++ < CAP_SLOTS) {
    if (set[k] == h) return 1;
    k = (k + 1) & (CAP_SLOTS - 1);
  }
  return tries >= CAP_SLOTS;      /* full: assume present */
}

int lp_entities(loupe_article *a, const lp_named *people, size_t np,
                lp_arena *arena) {
  ent_list *l;
  uint32_t *caps = NULL;
  const char *s = a->body;
  size_t n = a->body_len, k;
  int i, rc = LOUPE_ENOMEM;
  a->entities = NULL;
  a->n_entities = 0;
  if (s == NULL || n == 0) return LOUPE_OK;
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
  /* the capitalised words of the body, so a place is looked for only
   * when the first word of one of its names occurs */
  caps = calloc(CAP_SLOTS, sizeof *caps);
  if (caps == NULL) goto out;
  for (k = 0; k < n;) {
    size_t e = k;
    if (!upper_at(s, k) || (k > 0 && is_wordc((unsigned char)s[k - 1]))) {
      k++;
      continue;
    }
    while (e < n && is_wordc((unsigned char)s[e])) e++;
    cap_put(caps, s + k, e - k);
    k = e;
  }
  for (k = 0; k < sizeof places / sizeof places[0]; k++) {
    int j, seen = 0;
    for (j = 0; j < MAX_ALIASES && places[k].aliases[j] && !seen; j++) {
      const char *w = places[k].aliases[j];
      size_t fl = 0;
      while (w[fl] && is_wordc((unsigned char)w[fl])) fl++;
      if (cap_has(caps, w, fl) && strstr(s, w) != NULL) seen = 1;
    }
    if (seen) {
      ent *e = new_ent(l, arena, places[k].name, strlen(places[k].name),
                       "place");
      if (e == NULL) goto out;
      for (j = 0; j < MAX_ALIASES && places[k].aliases[j]; j++) {
        size_t before = e->n_mentions;
        const char *w = places[k].aliases[j];
        if (find_all(e, s, n, w, strlen(w))) goto out;
        if (e->n_mentions > before && add_alias(e, arena, w, strlen(w)))
          goto out;
      }
    }
  }
  /* mentions of people (full name and either end of it) and orgs */
  for (i = 0; i < l->n; i++) {
    ent *e = &l->e[i];
    int j;
    if (strcmp(e->kind, "place") == 0) continue;
    if (find_all(e, s, n, e->name, e->name_len)) goto out;
    for (j = 0; j < e->n_aliases; j++)
      if (find_all(e, s, n, e->aliases[j], e->alias_len[j])) goto out;
    if (strcmp(e->kind, "person") == 0) {
      const char *sp = memchr(e->name, ' ', e->name_len);
      const char *last = e->name + e->name_len;
      while (last > e->name && last[-1] != ' ') last--;
      if (sp && (size_t)(last - e->name) < e->name_len) {
        size_t before = e->n_mentions;
        if (find_all(e, s, n, last, e->name_len - (size_t)(last - e->name)))
          goto out;
        if (e->n_mentions == before &&
            find_all(e, s, n, e->name, (size_t)(sp - e->name)))
          goto out;
      }
    }
  }
  /* an organisation only ever seen inside a longer name is part of it
   * ("Coordination Center" in "... Team/Coordination Center of China") */
  for (i = 0; i < l->n; i++) {
    ent *e = &l->e[i];
    size_t x;
    int j, inside_all = e->n_mentions > 0;
    if (strcmp(e->kind, "organisation") != 0) continue;
    for (x = 0; x < e->n_mentions && inside_all; x++) {
      size_t o = e->mentions[2 * x], ln = e->mentions[2 * x + 1];
      int inside = 0;
      for (j = 0; j < l->n && !inside; j++) {
        size_t y;
        ent *f = &l->e[j];
        if (j == i || f->name_len <= e->name_len) continue;
        for (y = 0; y < f->n_mentions; y++)
          if (f->mentions[2 * y] <= o &&
              o + ln <= f->mentions[2 * y] + f->mentions[2 * y + 1]) {
            inside = 1;
            break;
          }
      }
      if (!inside) inside_all = 0;
    }
    if (inside_all) e->n_mentions = 0;
  }
  /* keep entities that are mentioned; sort mentions by offset */
  a->entities = lp_arena_alloc(arena, (size_t)(l->n ? l->n : 1) *
                                        sizeof *a->entities);
  if (a->entities == NULL) goto out;
  for (i = 0; i < l->n; i++) {
    ent *e = &l->e[i];
    loupe_entity *o;
    size_t x, y;
    if (e->n_mentions == 0) continue;
    for (x = 1; x < e->n_mentions; x++)      /* insertion sort by offset */
      for (y = x; y > 0 && e->mentions[2 * (y - 1)] > e->mentions[2 * y]; y--) {
        size_t t0 = e->mentions[2 * y], t1 = e->mentions[2 * y + 1];
        e->mentions[2 * y] = e->mentions[2 * (y - 1)];
        e->mentions[2 * y + 1] = e->mentions[2 * (y - 1) + 1];
        e->mentions[2 * (y - 1)] = t0;
        e->mentions[2 * (y - 1) + 1] = t1;
      }
    o = &a->entities[a->n_entities++];
    o->name = e->name;
    o->kind = e->kind;
    o->role = e->role;
    o->n_aliases = (size_t)e->n_aliases;
    o->aliases = e->n_aliases ? lp_arena_alloc(arena, (size_t)e->n_aliases *
                                                        sizeof *o->aliases)
                              : NULL;
    if (e->n_aliases && o->aliases == NULL) goto out;
    for (x = 0; x < (size_t)e->n_aliases; x++) o->aliases[x] = e->aliases[x];
    o->n_mentions = e->n_mentions;
    o->mentions = lp_arena_alloc(arena, e->n_mentions * 2 * sizeof *o->mentions);
    if (o->mentions == NULL) goto out;
    memcpy(o->mentions, e->mentions, e->n_mentions * 2 * sizeof *o->mentions);
  }
  rc = LOUPE_OK;
out:
  for (i = 0; i < l->n; i++) free(l->e[i].mentions);
  free(l->e);
  free(l);
  free(caps);
  return rc;
}
