/*
 * mentions.c - finding mentions: people introduced with a role ("ROLE
 * Name", "Name, the ROLE,"), organisations by their nouns, the gender
 * of people from their pronouns, and mentions that move recency.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* Could s[a, b) be a role noun or its plural? The filter by first byte
 * and length qt_is_role_noun starts with, inline: most words fail it. */
static inline int may_be_role(const vocab *v, const char *s, size_t a,
                              size_t b) {
  return qt_may_be_on(v->fl_role, s, a, b) ||
         (b - a > 2 && s[b - 1] == 's' && qt_may_be_on(v->fl_role, s, a, b - 1));
}

/* The first byte and length filter of the organisation nouns alone (as
 * vocab's fl is of every list): bit k of org_fl[c] is set when a noun of
 * k bytes starts with c. Built once per process. */
static uint32_t org_fl[256];
static pthread_once_t org_fl_once = PTHREAD_ONCE_INIT;

static void org_fl_build(void) {
  size_t j;
  for (j = 0; qt_org_nouns[j]; j++) {
    size_t len = strlen(qt_org_nouns[j]);
    unsigned char c = (unsigned char)qt_org_nouns[j][0];
    if (c >= 'A' && c <= 'Z') c |= 32;
    if (len > 0 && len <= 24) org_fl[c] |= (uint32_t)1 << len;
  }
}

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
    e = qt_word_end(s, i - 1, j);
    if (e != i - 1) break;                       /* punctuation between */
    if (!(qt_is_upper_at(s, i, j) || (qt_vmask(v, s, j, e) & V_MOD) ||
          (e - j > 2 && (s[e - 1] == 's') && s[e - 2] == '\'')))
      break;
    if ((qt_vmask(v, s, j, e) & V_NOTNAME) && !qt_word_is(s, j, e, "of")) break;
    i = j;
    words++;
  }
  /* a role does not start with "of"/"and"/"for" */
  while (i < role_word) {
    size_t e = qt_word_end(s, role_word, i);
    if (!(qt_word_is(s, i, e, "of") || qt_word_is(s, i, e, "and") ||
          qt_word_is(s, i, e, "for")))
      break;
    i = qt_skip_space(s, role_word, e);
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
int qt_name_after_role(const vocab *v, const char *s, size_t lim, size_t re,
                           size_t *na, size_t *nl, size_t *role_end) {
  size_t k;
  int w;
  size_t m;
  *role_end = re;
  if (re >= lim) return 0;
  if (s[re] == ',') {
    k = qt_skip_space(s, lim, re + 1);
    m = qt_name_at(v, s, lim, k, &w);
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
    size_t ke = qt_word_end(s, lim, k);
    if (qt_word_is(s, k, ke, "of") || qt_word_is(s, k, ke, "for")) {
      /* a capitalised run: the organisation, then the person */
      size_t starts[12], ends[12], j = qt_skip_space(s, lim, ke);
      int nw = 0;
      while (j < lim && nw < 12) {
        size_t je = qt_word_end(s, lim, j);
        if (je == j) break;
        if (!qt_is_upper_at(s, lim, j) && !qt_word_is(s, j, je, "and") &&
            !qt_word_is(s, j, je, "of"))
          break;
        starts[nw] = j;
        ends[nw] = je;
        nw++;
        if (je >= lim || s[je] != ' ') break;
        j = je + 1;
      }
      while (nw > 0 && !qt_is_upper_at(s, lim, starts[nw - 1])) nw--;
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
  m = qt_name_at(v, s, lim, k, &w);
  if (m > 0 && w >= 2) {
    *na = k;
    *nl = m;
    return 1;
  }
  return 0;
}

/*
 * "a report by the Harbour Users Council", "a study from Acme Labs": the
 * owner of the document is registered as an organisation answering to
 * the document's noun ("the report said" is the council speaking).
 */
static int document_owner(const body_t *b, registry *r, size_t i, size_t e) {
  const char *const *docs = qt_document_nouns;
  const char *s = b->s;
  size_t n = b->n, k, ke, m;
  int j, w, who;
  for (j = 0; docs[j] && !qt_word_is(s, i, e, docs[j]); j++) {}
  if (!docs[j] || e + 1 >= n || s[e] != ' ') return 0;
  k = e + 1;
  ke = qt_word_end(s, n, k);
  if (!qt_word_is(s, k, ke, "by") && !qt_word_is(s, k, ke, "from")) return 0;
  k = qt_skip_space(s, n, ke);
  ke = qt_word_end(s, n, k);
  if (qt_word_is(s, k, ke, "the")) k = qt_skip_space(s, n, ke);
  m = qt_name_at(b->v, s, n, k, &w);
  if (m == 0) return 0;
  who = qt_find_org(r, s, k, m);
  if (who < 0 && qt_find_partial(r, s, k, m) >= 0) return 0;  /* a person */
  if (who < 0) who = qt_add_person(r, s, k, m, NULL, 0, 1);
  if (who >= 0) qt_reg_set_noun(r, who, s + i, e - i);
  return 0;
}

/* A single capitalised word after a title that reads as a surname: no
 * listed common, organisation or role word ("President Varga", not
 * "President Today"), not in capitals. */
static int title_surname(const vocab *v, const char *s, size_t n, size_t a,
                         size_t m) {
  size_t e = a + m;
  if (m < 2 || !qt_is_upper_at(s, n, a) || qt_all_caps(s, a, e)) return 0;
  return (qt_vmask(v, s, a, e) &
          (V_NOTNAME | V_ORG | V_ORGTAIL | V_ROLE)) == 0;
}

/* Does Mr, Mrs, Ms or Dr stand right before i ("Mr. Halvard Brun")? A
 * name after it is a person. */
static int courtesy_before(const char *s, size_t i) {
  size_t e = i, a;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '.')) e--;
  for (a = e; a > 0 && e - a < 3 && qt_is_word_byte((unsigned char)s[a - 1]);)
    a--;
  return (a == 0 || !qt_is_word_byte((unsigned char)s[a - 1])) && e > a &&
         (qt_word_is(s, a, e, "Mr") || qt_word_is(s, a, e, "Mrs") ||
          qt_word_is(s, a, e, "Ms") || qt_word_is(s, a, e, "Dr"));
}

/*
 * Any other name of two words or more, its titles stripped ("Former
 * Florida Gov. Jeb Bush": Jeb Bush, role "Former Florida Gov."), is a
 * person from its first mention on: registered tentatively (pronouns
 * skip it until it is credited with words). mi and wi are the name at
 * i (qt_name_at). Returns where to go on.
 */
static size_t register_name(const body_t *b, registry *r, size_t i,
                            size_t mi, int wi) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t n = b->n, a = qt_skip_titles(v, s, n, i), m = mi;
  int w = wi;
  if (a != i) m = qt_name_at(v, s, n, a, &w);   /* else the name at i */
  if (m == 0) return qt_word_end(s, n, i) > i ? qt_word_end(s, n, i) : i + 1;
  /* (both tests only read: the registry's hash first, the list of
   * places, a scan, only for a name not registered yet) */
  /* a full name, or a surname after a title ("President Varga") */
  if ((w >= 2 || (w == 1 && a != i && title_surname(v, s, n, a, m))) &&
      qt_find_partial(r, s, a, m) < 0 && !lp_is_place(s + a, m)) {
    size_t re = a;
    int fresh = r->n, k;
    while (re > i && (s[re - 1] == ' ' || s[re - 1] == ',')) re--;
    k = qt_add_person(r, s, a, m, re > i ? s + i : NULL, re - i, 0);
    /* a name introduced with its title is a person, and so is one that
     * a speech verb follows ("Karl Olsen said the pier ..."); any other
     * bare name may be a place or a thing until it is credited */
    size_t ve;
    if (k >= fresh && (w == 1 || (re <= i && !courtesy_before(s, i) &&
                                  qt_verb_after(v, s, n, a + m, &ve) == 0))) {
      qt_reg_set_tentative(r, k, 1);
      r->p[k].unlisted = 1;
    }
  }
  return a + m;
}

/*
 * Find the people the article introduces with a role: "ROLE Name",
 * "Name, (the|a) ROLE," and "ROLE, Name,". Also sets gender from Mr/Ms.
 */
void qt_scan_people(const body_t *b, registry *r) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t n = b->n, i = 0;
  pthread_once(&org_fl_once, org_fl_build);
  while (i < n) {
    size_t e;
    if (!qt_is_word_byte((unsigned char)s[i])) { i++; continue; }
    e = qt_word_end_fast(s, n, i);
    if (e == i) { i++; continue; }
    if (qt_may_be_on(org_fl, s, i, e) && (qt_vmask(v, s, i, e) & V_ORG) &&
        document_owner(b, r, i, e))
      continue;
    if (may_be_role(v, s, i, e) && qt_is_role_noun(v, s, i, e)) {
      size_t na, nl, rend;
      /* "ROLE Name", "ROLE of Org Name", "ROLE, Name," */
      if (qt_name_after_role(v, s, n, e, &na, &nl, &rend)) {
        size_t rs = role_start(v, s, 0, i);
        qt_add_person(r, s, na, nl, s + rs, rend - rs, 0);
        i = na + nl;
        continue;
      }
    }
    /* "Name, the ROLE ...," */
    if (qt_is_upper_at(s, n, i)) {
      int w;
      size_t m = qt_name_at(v, s, n, i, &w);
      if (m > 0 && w >= 2 && i + m + 2 < n && s[i + m] == ',') {
        size_t k = qt_skip_space(s, n, i + m + 1), ke = qt_word_end(s, n, k);
        if (qt_is_role_noun(v, s, k, ke)) {
          /* "Idris Kalvo, spokesperson of the foreign ministry," */
          size_t re = k, last = ke;
          int rw = 0;
          while (re < n && rw < 8) {
            size_t we = qt_word_end(s, n, re);
            if (we == re) break;
            last = we;
            rw++;
            if (we >= n || s[we] != ' ') break;
            re = we + 1;
          }
          qt_add_person(r, s, i, m, s + k, last - k, 0);
          i += m;
          continue;
        }
        if (qt_word_is(s, k, ke, "the") || qt_word_is(s, k, ke, "a") ||
            qt_word_is(s, k, ke, "an")) {
          size_t rs = qt_skip_space(s, n, ke), re = rs, last_role = 0;
          int words = 0;
          while (re < n && words < 9) {
            size_t we = qt_word_end(s, n, re);
            if (we == re) break;
            if (may_be_role(v, s, re, we) && qt_is_role_noun(v, s, re, we))
              last_role = we;
            words++;
            if (we >= n || s[we] != ' ') { re = we; break; }
            re = we + 1;
          }
          if (last_role > 0) {
            qt_add_person(r, s, i, m, s + rs, last_role - rs, 0);
            i += m;
            continue;
          }
          /* "Mikkel Strand, a former hacker who ...": the apposition up
           * to a relative pronoun or the comma is the role */
          {
            size_t ae = rs, last = rs;
            int aw = 0;
            while (ae < n && aw < 6) {
              size_t we = qt_word_end(s, n, ae);
              if (we == ae || qt_word_is(s, ae, we, "who") ||
                  qt_word_is(s, ae, we, "which") || qt_word_is(s, ae, we, "whose"))
                break;
              last = we;
              aw++;
              if (we >= n || s[we] != ' ') break;
              ae = we + 1;
            }
            if (aw >= 1 && last > rs && (qt_vmask(v, s, i, qt_word_end(s, n, i)) &
                                         V_NOTNAME) == 0) {
              qt_add_person(r, s, i, m, s + rs, last - rs, 0);
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
        unsigned lm = qt_vmask(v, s, ls, i + m);
        if (w >= 2 && (lm & (V_ORG | V_ORGTAIL)) && (lm & V_ROLE) == 0) {
          int k = qt_add_person(r, s, i, m, NULL, 0, 1);
          /* "Norfeld Capital Inc": a company */
          if (k >= 0 && r->p[k].noun[0] == '\0') {
            if (lm & V_ORG) qt_reg_set_noun(r, k, s + ls, i + m - ls);
            else qt_reg_set_noun(r, k, "company", 7);
          }
          i += m;
          continue;
        }
        i = register_name(b, r, i, m, w);
        continue;
      }
    }
    i = e;
  }
}

/* ---- speakers ---- */

/* The next byte c at or after from in s[0, n); n when none. */
static size_t next_byte(const char *s, size_t n, size_t from, char c) {
  const char *p = from < n ? memchr(s + from, c, n - from) : NULL;
  return p ? (size_t)(p - s) : n;
}

/* The end of the sentence from p for qt_learn_gender: the first '.' or
 * line break before a space, a line break or the end; n when none. The
 * next '.' and '\n' at or after the last start are kept in dot and nl
 * (sentences come in order: each byte is searched once). */
static size_t gender_sentence_end(const char *s, size_t n, size_t p,
                                  size_t *dot, size_t *nl) {
  for (;;) {
    size_t q;
    if (*dot < p) *dot = next_byte(s, n, p, '.');
    if (*nl < p) *nl = next_byte(s, n, p, '\n');
    q = *dot < *nl ? *dot : *nl;
    if (q >= n) return n;
    if (q + 1 >= n || s[q + 1] == ' ' || s[q + 1] == '\n') return q;
    p = q + 1;
  }
}

/* The pronoun s[i, e) of two to seven bytes opening with h or s is: 1
 * he, his, him, himself; 2 she, her, hers, herself (ASCII case folded);
 * 0 any other word. */
static int pronoun_word(const char *s, size_t i, size_t e) {
  char w[8];
  size_t k, m = e - i;
  for (k = 0; k < m; k++) {
    unsigned char c = (unsigned char)s[i + k];
    w[k] = (char)(c >= 'A' && c <= 'Z' ? c | 32 : c);
  }
  switch (m) {
  case 2: return memcmp(w, "he", 2) == 0 ? 1 : 0;
  case 3:
    if (memcmp(w, "his", 3) == 0 || memcmp(w, "him", 3) == 0) return 1;
    return memcmp(w, "she", 3) == 0 || memcmp(w, "her", 3) == 0 ? 2 : 0;
  case 4: return memcmp(w, "hers", 4) == 0 ? 2 : 0;
  case 7:
    if (memcmp(w, "himself", 7) == 0) return 1;
    return memcmp(w, "herself", 7) == 0 ? 2 : 0;
  default: return 0;
  }
}

/* The same for any word: most are turned away by length and first
 * letter here, inline. */
static inline int pronoun_gender(const char *s, size_t i, size_t e) {
  unsigned char c0 = (unsigned char)s[i] | 32;
  if (e - i < 2 || e - i > 7 || (c0 != 'h' && c0 != 's')) return 0;
  return pronoun_word(s, i, e);
}

/* A capitalised word at [i, e) of a sentence ending at se naming a
 * registered person: the person (-1 none); Mr / Ms / Mrs right before
 * the name set the gender. */
static int gender_name(registry *r, const char *s, size_t se, size_t i,
                       size_t e) {
  int k;
  if (!qt_is_upper_at(s, se, i)) return -1;
  k = qt_find_partial(r, s, i, e - i);
  if (k < 0 || r->p[k].org) return -1;
  if (i >= 4 && (qt_word_is(s, i - 4, i - 1, "Ms.") ||
                 qt_word_is(s, i - 3, i - 1, "Ms") ||
                 qt_word_is(s, i - 4, i - 1, "Mrs")))
    qt_reg_set_gender(r, k, 2);
  else if (i >= 3 && (qt_word_is(s, i - 3, i - 1, "Mr") ||
                      (i >= 4 && qt_word_is(s, i - 4, i - 1, "Mr."))))
    qt_reg_set_gender(r, k, 1);
  return k;
}

/* Can the sentence s[ss, se) teach a gender: pronouns of one gender only
 * (he, she...), or a capitalised word three or four bytes after an M (a
 * title gender_name reads: Mr, Ms, Mrs, perhaps in the sentence before)?
 * Reads the words alone. */
static int gender_may_learn(const char *s, size_t ss, size_t se) {
  size_t i = ss;
  int he = 0, she = 0;
  while (i < se) {
    size_t e;
    int g;
    if (!qt_is_word_byte((unsigned char)s[i])) { i++; continue; }
    e = qt_word_end_fast(s, se, i);
    if (e == i) { i++; continue; }
    if (qt_is_upper_at(s, se, i) &&
        ((i >= 3 && (s[i - 3] | 32) == 'm') ||
         (i >= 4 && (s[i - 4] | 32) == 'm')))
      return 1;
    g = pronoun_gender(s, i, e);
    if (g == 1) he = 1;
    else if (g == 2) she = 1;
    i = e;
  }
  return he != she;
}

/*
 * Learn the pronoun of people from the sentences that name exactly one of
 * them and use only one gender's pronouns ("Castellanos ... in her first
 * testimony"). Titles (Mr, Ms, Mrs) before a name say it directly.
 */
void qt_learn_gender(const body_t *b, registry *r) {
  const char *s = b->s;
  size_t n = b->n, ss = 0, dot = next_byte(s, n, 0, '.'),
         nl = next_byte(s, n, 0, '\n');
  while (ss < n) {
    size_t se, i;
    int who = -1, many = 0, he = 0, she = 0;
    se = gender_sentence_end(s, n, ss, &dot, &nl);
    /* the names are looked up only where they can teach: a sentence
     * with one gender's pronouns, or a title */
    if (!gender_may_learn(s, ss, se)) {
      ss = se + 1;
      continue;
    }
    for (i = ss; i < se;) {
      size_t e;
      int g, k;
      if (!qt_is_word_byte((unsigned char)s[i])) { i++; continue; }
      e = qt_word_end_fast(s, se, i);
      if (e == i) { i++; continue; }
      g = pronoun_gender(s, i, e);
      if (g == 1) he = 1;
      else if (g == 2) she = 1;
      k = gender_name(r, s, se, i, e);
      if (k >= 0) {
        if (who >= 0 && who != k) many = 1;
        who = k;
      }
      i = e;
    }
    if (who >= 0 && !many && he != she && r->p[who].gender == 0)
      qt_reg_set_gender(r, who, he ? 1 : 2);
    ss = se + 1;
  }
}

/* ---- mentions that move recency ---- */

/*
 * A place where a mention acts: "the ROLE" at i (the role word ends at
 * e) or a capitalised word [i, e), whose name is m bytes long (0: not
 * read yet). What is found there depends on the text alone; what it does
 * depends on the registry, so the reported pass reads the places the
 * quote pass found (qt_note_mentions_once) and only acts again.
 */
typedef struct {
  size_t i, e, m;
  int role;
} mplace;

struct qt_mention_memo {
  mplace *p;
  size_t n, cap;
  size_t upto;          /* places recorded before this offset */
  int replay;           /* the second pass: read p, do not scan */
  int broken;           /* not recordable (Han names, no memory) */
};

qt_mention_memo *qt_mention_memo_new(void) {
  return calloc(1, sizeof(qt_mention_memo));
}

void qt_mention_memo_free(qt_mention_memo *mm) {
  if (mm == NULL) return;
  free(mm->p);
  free(mm);
}

/* What the mention at place c does, in a stretch ending at to: "the
 * ROLE" moves the latest person with that role, a name its person. */
static void mention_act(const vocab *v, registry *r, const char *s,
                        size_t to, mplace *c) {
  size_t i = c->i, e = c->e, m;
  int k;
  if (c->role) {
    k = qt_recent_with_role(r, i, s + i + 4, e - i - 4);
    if (k >= 0) qt_reg_set_last(r, k, i);
    return;
  }
  if (!may_start_name(r, (unsigned char)s[i])) return;
  if (c->m == 0) {
    int w;
    c->m = qt_name_at(v, s, to, i, &w);
    if (c->m == 0) c->m = e - i;
  }
  m = c->m;
  k = qt_find_partial(r, s, i, m);
  if (k < 0 && m != e - i) k = qt_find_partial(r, s, i, e - i);
  /* a possessive ("Hedin's comments") is no mention a pronoun after it
   * points back to */
  if (k >= 0 && !(i + m < to && (s[i + m] == '\'' ||
                                 (unsigned char)s[i + m] == 0xE2)))
    qt_reg_set_last(r, k, i);
}

static void memo_add(qt_mention_memo *mm, const mplace *c) {
  if (mm->n == mm->cap) {
    size_t cap = mm->cap ? mm->cap * 2 : 256;
    mplace *np = realloc(mm->p, cap * sizeof *np);
    if (np == NULL) { mm->broken = 1; return; }
    mm->p = np;
    mm->cap = cap;
  }
  mm->p[mm->n++] = *c;
}

/* A Han name already credited at i: 林晓雯, 赵明 (no spaces around). */
static void han_mention(registry *r, const char *s, size_t to, size_t i) {
  size_t m;
  for (m = 12; m >= 6; m -= 3)
    if (i + m <= to) {
      int k = qt_find_partial(r, s, i, m);
      if (k >= 0) {
        qt_reg_set_last(r, k, i);
        break;
      }
    }
}

/* The mentions in s[from, to), acted on as found; recorded in rec when
 * not NULL. */
static void scan_mentions(const vocab *v, registry *r, const char *s,
                          size_t from, size_t to, qt_mention_memo *rec) {
  size_t i = from;
  while (i < to) {
    mplace c;
    /* a space or a mark: no word starts here (the cases below all start
     * at a word byte) */
    if (!qt_is_word_byte((unsigned char)s[i]) ||
        (i > 0 && qt_is_word_byte((unsigned char)s[i - 1]))) {
      i++;
      continue;
    }
    memset(&c, 0, sizeof c);
    c.i = i;
    if (s[i] == 't' && i + 4 < to && s[i + 1] == 'h' && s[i + 2] == 'e' &&
        s[i + 3] == ' ') {
      /* "the spokesperson said": a mention of the latest person with
       * that role */
      size_t k = i + 4, ke = qt_word_end(s, to, k);
      if (ke > k && may_be_role(v, s, k, ke) && qt_is_role_noun(v, s, k, ke)) {
        c.e = ke;
        c.role = 1;
        mention_act(v, r, s, to, &c);
        if (rec) memo_add(rec, &c);
      }
      i = k;
      continue;
    }
    if (r->han && (unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9) {
      han_mention(r, s, to, i);
      i += 3;
      continue;
    }
    c.e = qt_word_end_fast(s, to, i);
    if (qt_is_upper_at(s, to, i)) {
      mention_act(v, r, s, to, &c);
      if (rec) memo_add(rec, &c);
    }
    /* a word (a lower-case one: to its end at once) */
    i = c.e > i ? c.e : i + 1;
  }
}

/* The first recorded place at or after from. */
static size_t memo_find(const qt_mention_memo *mm, size_t from) {
  size_t lo = 0, hi = mm->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (mm->p[mid].i < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/*
 * qt_note_mentions over the body b, the words read once: the quote pass
 * (stretches in order) scans and records the places, the reported pass
 * (starting again from the top) acts on the places recorded. Han names
 * and a failed allocation fall back to scanning.
 */
void qt_note_mentions_once(const body_t *b, registry *r, size_t from,
                           size_t to) {
  qt_mention_memo *mm = b->mm;
  size_t j;
  if (mm == NULL || mm->broken || r->han) {
    if (mm != NULL && !mm->replay) mm->broken = 1;
    scan_mentions(b->v, r, b->s, from, to, NULL);
    return;
  }
  if (!mm->replay && from < mm->upto) mm->replay = 1;
  if (!mm->replay) {
    scan_mentions(b->v, r, b->s, from, to, mm);
    mm->upto = to;
    return;
  }
  if (to > mm->upto) {
    scan_mentions(b->v, r, b->s, from, to, NULL);
    return;
  }
  for (j = memo_find(mm, from); j < mm->n && mm->p[j].i < to; j++)
    mention_act(b->v, r, b->s, to, &mm->p[j]);
}
