/*
 * speakers.c - reading a speaker phrase (name, role + name, pronoun,
 * "the" + role or organisation noun) and the cue before a quote ("X
 * said: ...", "According to X, ..."), the verb after a speaker and the
 * sentence's subject (the cue after a quote: cueafter.c).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* Most recent person mentioned before pos with a compatible gender. */
/* A speaker credited with words is a person, not just a capitalised name. */
static int confirm(registry *r, int who) {
  if (who >= 0) {
    qt_reg_set_tentative(r, who, 0);
    r->p[who].unlisted = 0;
  }
  return who;
}

/* The person mentioned latest at or before pos (ties: the one registered
 * last) who is no organisation, not tentative, of a compatible gender,
 * with a role when want_role ("the spokesman" wants a spokes* role, "the
 * diplomat" any); -1 when none. One walk down the recency tree. */
int qt_recent_person(registry *r, size_t pos, int gender, int want_role,
                         const char *role_word, size_t rwlen) {
  int m = 0;
  if (want_role)
    m = role_word && rwlen >= 6 && lp_starts_ci(role_word, rwlen, "spokes")
        ? 2 : 1;
  return qt_tree_latest(r, r->root, pos, 1u << (gender * 3 + m));
}

/* Mentions of registered names (full or partial) move their `last`. */


/* Credit q's words to the speaker sp, with the cue as printed (cue, cl
 * bytes; NULL leaves the cue unset). */
void qt_credit(qbuild *q, registry *r, const speaker_ref *sp,
               const char *cue, size_t cl, const char *rule) {
  q->speaker = confirm(r, sp->who);
  q->speaker_text = sp->text;
  q->speaker_text_len = sp->len;
  q->rule = rule;
  q->mention = r->s + sp->start;
  q->mention_len = sp->end > sp->start ? sp->end - sp->start : 0;
  if (cue == NULL) return;
  if (cl >= sizeof q->cue_buf) cl = sizeof q->cue_buf - 1;
  memcpy(q->cue_buf, cue, cl);
  q->cue_buf[cl] = '\0';
}

/* Start of the sentence holding i (at most 400 bytes back). */
static size_t sentence_back(const char *s, size_t i) {
  size_t k = i, low = i > 400 ? i - 400 : 0;
  while (k > low) {
    size_t p = k - 1;
    char c = s[p];
    /* a closing mark after the full stop: ".\" Trump said" */
    if ((c == '"' || (unsigned char)c == 0x9D) && k < i && s[k] == ' ' &&
        p > low) {
      if (c == '"') p--;
      else if (p >= low + 3 && (unsigned char)s[p - 1] == 0x80 &&
               (unsigned char)s[p - 2] == 0xE2)
        p -= 3;
      c = s[p];
    }
    if (c == '\n' || ((c == '.' || c == '?' || c == '!') && k < i &&
                      s[k] == ' ' && !(c == '.' && qt_abbreviation(s, low, p))))
      break;
    k--;
  }
  while (k < i && (s[k] == ' ' || s[k] == '\n' || s[k] == '"')) k++;
  return k;
}

/* The person a sentence starting at ss is about: a registered person
 * named first in it (titles skipped), of a gender compatible with g. */
static int subject_at(const body_t *b, registry *r, size_t ss, size_t lim,
                      int g) {
  const char *s = b->s;
  size_t a = qt_skip_titles(b->v, s, lim, ss), m, c;
  int w, who;
  if (a >= lim || !qt_is_upper_at(s, lim, a)) return -1;
  m = qt_name_at(b->v, s, lim, a, &w);
  if (m == 0) {
    /* past an opening phrase: "In Washington, President Obama said" */
    for (c = ss; c < lim && c < ss + 60 && s[c] != ','; c++) {}
    if (c >= lim || s[c] != ',' || a != ss) return -1;
    ss = qt_skip_space(s, lim, c + 1);
    a = qt_skip_titles(b->v, s, lim, ss);
    if (a >= lim || !qt_is_upper_at(s, lim, a)) return -1;
    m = qt_name_at(b->v, s, lim, a, &w);
    if (m == 0) return -1;
  }
  who = qt_find_partial(r, s, a, m);
  /* a name after a title is a person ("President Obama released ...
   * He said"), even one the article gives nothing else about */
  if (who < 0 && a > ss) who = qt_add_person(r, s, a, m, NULL, 0, 0);
  if (who < 0 || r->p[who].org) return -1;
  if (r->p[who].gender && r->p[who].gender != g) return -1;
  return who;
}

/* The most prominent person "he"/"she" at i points to: the subject of its
 * own sentence when it comes later in it ("Rubio said ... Trump, whom he
 * called"), the subject of the sentence before when it opens one. */
static int prominent_person(const body_t *b, registry *r, size_t i, int g) {
  const char *s = b->s;
  size_t ss = sentence_back(s, i);
  if (ss < i) return subject_at(b, r, ss, i, g);
  if (ss < 2) return -1;
  {
    size_t pe = ss;
    while (pe > 0 && (s[pe - 1] == ' ' || s[pe - 1] == '\n' ||
                      s[pe - 1] == '"'))
      pe--;
    if (pe == 0) return -1;
    return subject_at(b, r, sentence_back(s, pe - 1), pe, g);
  }
}

/* "Trump said he responded": a he/she right after "NAME said [that]" is
 * NAME, the subject of the verb that reports the clause it opens (of a
 * gender compatible with g); -1 when no name stands there. */
static int reporter_before(const body_t *b, registry *r, size_t i, int g) {
  const char *s = b->s;
  size_t from = i > 120 ? i - 120 : 0, a, e;
  int tries, w, who;
  qt_prev_word_in(b->v, s, from, i, 0, &a);
  if (a >= i) return -1;
  if (qt_word_is(s, a, qt_word_end(s, i, a), "that"))
    qt_prev_word_in(b->v, s, from, a, 0, &a);
  if (!(qt_vmask(b->v, s, a, qt_word_end(s, i, a)) & V_SPEECH)) return -1;
  e = a;
  while (e > from && s[e - 1] == ' ') e--;
  /* back over the name's words, the shortest that reads as a name first */
  for (tries = 0, a = e; tries < 3 && a > from; tries++) {
    size_t m;
    while (a > from && s[a - 1] == ' ') a--;
    while (a > from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
    if (!qt_is_upper_at(s, e, a)) return -1;
    m = qt_name_at(b->v, s, e, a, &w);
    if (m == e - a && (who = qt_find_partial(r, s, a, m)) >= 0)
      return r->p[who].org || (r->p[who].gender && r->p[who].gender != g)
             ? -1 : who;
  }
  return -1;
}

/* "he"/"she": the latest person of that gender; "it"/"they": the
 * latest organisation or document when one was named after the latest
 * person ("the agency ... it said"). */
static int read_pronoun(const body_t *b, registry *r, size_t i, size_t e,
                        size_t pos, speaker_ref *out) {
  unsigned m = qt_vmask(b->v, b->s, i, e);
  out->end = e;
  if (m & (V_HE | V_SHE)) {
    int g = (m & V_HE) ? 1 : 2;
    out->who = reporter_before(b, r, i, g);
    if (out->who < 0) out->who = prominent_person(b, r, i, g);
    if (out->who < 0) out->who = qt_recent_person(r, pos, g, 0, NULL, 0);
    if (out->who >= 0 && r->p[out->who].gender == 0)
      qt_reg_set_gender(r, out->who, g);
    out->how = "pronoun";
    return 1;
  }
  {
    int org = qt_recent_org(r, pos), per = qt_recent_person(r, pos, 0, 0,
                                                            NULL, 0);
    if (org < 0 || (per >= 0 && r->p[per].last > r->p[org].last)) return 0;
    out->who = org;
    out->how = "pronoun";
    return 1;
  }
}

/* Nouns any organisation answers to when none has it in its name ("the
 * company" after "Northline Ferries"). */
static int generic_org_noun(const char *w) {
  return strcmp(w, "company") == 0 || strcmp(w, "firm") == 0 ||
         strcmp(w, "group") == 0 || strcmp(w, "organization") == 0 ||
         strcmp(w, "organisation") == 0;
}

/* The noun after "the" names an organisation or a document: the latest
 * registered one with that noun (a document speaks for its owner: "a
 * report by the Harbour Council ... the report said"); a generic noun
 * ("the company") the latest organisation; else nobody. */
/* A document noun ("the report said"): no speaker without an owner. */
static int document_noun(const char *w) {
  int x;
  for (x = 0; qt_document_nouns[x]; x++)
    if (strcmp(qt_document_nouns[x], w) == 0) return 1;
  return 0;
}

static void read_org_noun(const body_t *b, registry *r, size_t first,
                          size_t k, size_t ke, size_t pos,
                          speaker_ref *out) {
  const char *s = b->s;
  int hit = -1;
  char w[40];
  size_t m = ke - k;
  if (m < sizeof w) {
    size_t x;
    for (x = 0; x < m; x++) w[x] = (char)(s[k + x] | 32);
    w[m] = '\0';
    for (x = 0; x < N_ORG_NOUNS; x++)
      if (strcmp(qt_org_nouns[x], w) == 0) break;
    if (x < N_ORG_NOUNS) {
      hit = qt_tree_max_upto(r, r->org_root[x], pos);
      if (hit < 0 && generic_org_noun(w)) hit = qt_recent_org(r, pos);
      /* "the port authority said": a body no name was given for is the
       * organisation its words describe, not the person quoted last */
      if (hit < 0 && !generic_org_noun(w) && !document_noun(w)) {
        hit = qt_add_person(r, s, first, ke - first, NULL, 0, 1);
        if (hit >= 0) qt_reg_set_noun(r, hit, s + k, m);
      }
    }
  }
  out->who = hit;
  out->end = ke;
  out->how = "org-noun";
}

/* "the leader of the Anti-Defamation League, Jonathan Greenblatt," /
 * "the spokesman, Tomas Varga,": the name after the role (noun ending at
 * re; the phrase from i is the role). */
static int role_then_name(const body_t *b, registry *r, size_t i, size_t re,
                          size_t lim, speaker_ref *out) {
  const char *s = b->s;
  size_t k = re, na, m;
  int w;
  if (k < lim && s[k] == ' ') {
    size_t we = qt_word_end(s, lim, k + 1);
    if (!qt_word_is(s, k + 1, we, "of") && !qt_word_is(s, k + 1, we, "for") &&
        !qt_word_is(s, k + 1, we, "at"))
      return 0;
    while (k < lim && s[k] != ',' && k - re < 120 && s[k] != '.' &&
           s[k] != '"' && (unsigned char)s[k] != 0xE2)
      k++;
  }
  if (k + 2 >= lim || s[k] != ',') return 0;
  na = qt_skip_space(s, lim, k + 1);
  m = qt_name_at(b->v, s, lim, na, &w);
  if (m == 0 || w < 2 || na + m >= lim || s[na + m] != ',') return 0;
  out->who = qt_add_person(r, s, na, m, s + i, k - i, 0);
  out->start = i;
  out->end = na + m + 1;          /* the closing comma */
  out->how = "role+name";
  return out->who >= 0;
}

/* "the" + a name: "the Estmark Space Agency" (the organisation, found or
 * registered now), "the Clinton campaign" (the name speaks). */
static int read_the_name(const body_t *b, registry *r, size_t k, size_t lim,
                         speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  int w2, who;
  size_t nm = qt_name_at(v, s, lim, k, &w2), ne = k + nm, ls, ee, noun_end;
  unsigned lm;
  if (nm == 0) return 0;
  ls = ne;
  while (ls > k && s[ls - 1] != ' ') ls--;
  lm = qt_vmask(v, s, ls, ne);
  noun_end = ne;
  /* "the National Federation of Ferry Workers", "the Department of
   * Transport": an organisation noun and "of" + a name are one name */
  if ((lm & V_ORG) && ne + 5 < lim && memcmp(s + ne, " of ", 4) == 0 &&
      qt_is_upper_at(s, lim, ne + 4)) {
    int caps;
    size_t oe = qt_org_name_end(s, lim, ne + 4, &caps);
    if (caps > 0) {
      ne = oe;
      nm = ne - k;
      w2 += caps;
    }
  }
  if (w2 >= 2 && (lm & (V_ORG | V_ORGTAIL))) {
    who = qt_find_org(r, s, k, nm);
    if (who < 0) {
      who = qt_add_person(r, s, k, nm, NULL, 0, 1);
      if (who >= 0)
        qt_reg_set_noun(r, who, (lm & V_ORG) ? s + ls : "company",
                        (lm & V_ORG) ? noun_end - ls : 7);
    }
    out->who = who;
    out->end = ne;
    out->how = "org";
    return who >= 0;
  }
  ee = qt_word_end(s, lim, qt_skip_space(s, lim, ne));
  if (ne < lim && s[ne] == ' ' && (qt_vmask(v, s, ne + 1, ee) & V_ORG) &&
      (who = qt_find_partial(r, s, k, nm)) >= 0) {
    out->who = who;
    out->end = ee;
    out->how = "name+org-noun";
    return 1;
  }
  /* "the DNC said", "the White House said": a name after "the" that no
   * person has is an organisation */
  if (qt_find_partial(r, s, k, nm) >= 0 || lp_is_place(s + k, nm)) return 0;
  {
    size_t ve;
    if (!qt_verb_after(v, s, lim, ne, &ve)) return 0;
  }
  who = qt_find_org(r, s, k, nm);
  if (who < 0) {
    who = qt_add_person(r, s, k, nm, NULL, 0, 1);
    if (who >= 0) qt_reg_set_noun(r, who, "organization", 12);
  }
  out->who = who;
  out->end = ne;
  out->how = "org";
  return who >= 0;
}

/* Does a capitalised owner with a possessive open the phrase at k, a name
 * after it ("New Republic's Jeet Heer", "Post's Ana Ruiz")? */
static int owner_then_name(const body_t *b, size_t k, size_t lim) {
  const char *s = b->s;
  size_t a = qt_skip_titles(b->v, s, lim, k), e;
  int n;
  if (a <= k + 3 || s[a - 1] != ' ') return 0;
  e = a - 1;
  if (s[e - 1] != 's' ||
      !(s[e - 2] == '\'' ||
        (e >= k + 5 && memcmp(s + e - 4, "\xE2\x80\x99", 3) == 0)))
    return 0;
  return qt_name_at(b->v, s, lim, a, &n) > 0 && n >= 2;
}

static int read_name(const body_t *b, registry *r, size_t i, size_t lim,
                     speaker_ref *out);

/* "the" + up to four words to a role noun ("the foreign ministry
 * spokesman": the latest person with such a role) or an organisation
 * noun ("the ministry"). */
static int read_the(const body_t *b, registry *r, size_t i, size_t e,
                    size_t lim, size_t pos, speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t k = qt_skip_space(s, lim, e), ke, first = k;
  int words = 0;
  while (k < lim && words < 4) {
    ke = qt_word_end(s, lim, k);
    if (ke == k) break;
    /* "The New Republic's Jeet Heer": the person after an owner's
     * possessive */
    if (words == 0 && qt_is_upper_at(s, lim, k) && owner_then_name(b, k, lim))
      return read_name(b, r, k, lim, out);
    /* "the White House", "the DNC": a name first (not "the President") */
    if (words == 0 && qt_is_upper_at(s, lim, k) &&
        !qt_is_role_noun(v, s, k, ke) && read_the_name(b, r, k, lim, out))
      return 1;
    if (qt_is_role_noun(v, s, k, ke) && role_then_name(b, r, i, ke, lim, out))
      return 1;
    if (qt_is_role_noun(v, s, k, ke)) {
      out->who = qt_recent_with_role(r, pos, s + k, ke - k);
      if (out->who < 0)
        out->who = qt_recent_person(r, pos, 0, 1, s + k, ke - k);
      if (out->who < 0) out->who = qt_recent_person(r, pos, 0, 0, NULL, 0);
      out->end = ke;
      out->how = "role-noun";
      return 1;
    }
    if ((qt_vmask(v, s, k, ke) & V_ORG)) {
      read_org_noun(b, r, first, k, ke, pos, out);
      return 1;
    }
    words++;
    if (ke >= lim || s[ke] != ' ') break;
    k = ke + 1;
  }
  return 0;
}

/* Is the all-capital word s[i, e) a dateline ("WASHINGTON, March 3",
 * "BEIJING (Xinhua) -", "LONDON -") rather than a name or an acronym? */
static int dateline_word(const char *s, size_t lim, size_t i, size_t e) {
  if (e - i < 3 || !qt_all_caps(s, i, e)) return 0;
  if (e >= lim || s[e] == ',' || s[e] == '(') return 1;
  if (s[e] == ' ' && e + 1 < lim)
    return s[e + 1] == '(' || s[e + 1] == '-' ||
           (unsigned char)s[e + 1] == 0xE2;
  return 0;
}

/* "ROLE Name" after an optional role phrase ("Foreign Ministry
 * spokesperson Guo Jiakun", "GOP strategist Kim Ray"): 1 and out set,
 * 0 none, -1 a lower-case role phrase without a name (no speaker). */
static int read_role_name(const body_t *b, registry *r, size_t i, size_t lim,
                          speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t j = i, rs = 0, na, nl, rend;
  int words = 0;
  while (j < lim && words < 10) {
    size_t je = qt_word_end(s, lim, j);
    if (je == j) break;
    /* no verb nor function word inside a role phrase ("Khalif said
     * Republican nominee ...") */
    if (!qt_is_upper_at(s, lim, j) &&
        ((qt_vmask(v, s, j, je) & (V_SPEECH | V_REPORT | V_LABEL)) ||
         qt_word_is(s, j, je, "that") || qt_word_is(s, j, je, "who") ||
         qt_word_is(s, j, je, "which") || qt_word_is(s, j, je, "when") ||
         qt_word_is(s, j, je, "while") || qt_word_is(s, j, je, "but")))
      break;
    if (qt_is_role_noun(v, s, j, je)) rs = je;
    else if (rs) break;       /* the word after the role noun */
    words++;
    if (je >= lim || s[je] != ' ') break;
    j = je + 1;
  }
  if (!rs) return 0;
  if (qt_name_after_role(v, s, lim, rs, &na, &nl, &rend)) {
    out->who = qt_add_person(r, s, na, nl, s + i, rend - i, 0);
    out->end = na + nl;
    /* "the spokesman, Tomas Varga, called": the name's closing comma */
    if (s[rs] == ',' && out->end < lim && s[out->end] == ',') out->end++;
    out->how = "role+name";
    return 1;
  }
  return words > 1 && !qt_is_upper_at(s, lim, i) ? -1 : 0;
}

/* A name at i (titles and a possessive owner skipped: "Sen. Ted Cruz",
 * "Fox's Chris Wallace"), resolved to a registered person, registered
 * (tentatively) when it has two words or more, else kept as printed. */
static int read_name(const body_t *b, registry *r, size_t i, size_t lim,
                     speaker_ref *out) {
  const char *s = b->s;
  int w;
  size_t m, a = qt_skip_titles(b->v, s, lim, i);
  m = qt_name_at(b->v, s, lim, a, &w);
  if (m <= 1) return 0;            /* "Q:", "A:" are no names */
  out->who = qt_find_partial(r, s, a, m);
  if (out->who < 0 && w >= 2) {
    int fresh = r->n;
    out->who = qt_add_person(r, s, a, m, NULL, 0, 0);
    if (out->who >= fresh) qt_reg_set_tentative(r, out->who, 1);
  }
  if (out->who < 0) {
    /* an unknown single name: keep it as printed */
    out->text = s + a;
    out->len = m;
  }
  out->end = a + m;
  out->how = "name";
  return 1;
}

/* Mr, Ms, Mrs, Dr before a name: the name, with its gender. */
static int read_titled(const body_t *b, registry *r, size_t i, size_t e,
                       size_t lim, size_t pos, speaker_ref *out) {
  const char *s = b->s;
  size_t k = e + (s[e] == '.' ? 1 : 0);
  int g = qt_word_is(s, i, e, "Mr") ? 1 : qt_word_is(s, i, e, "Dr") ? 0 : 2;
  if (k < lim && s[k] == ' ' && qt_read_speaker(b, r, k + 1, lim, pos, out)) {
    if (out->who >= 0 && g && r->p[out->who].gender == 0)
      qt_reg_set_gender(r, out->who, g);
    return 1;
  }
  return 0;
}

/*
 * Read a speaker phrase at i: a pronoun, "the" + role or organisation
 * noun, or a name (with an optional role phrase before it). Resolves it
 * against the registry as of body offset pos.
 */
int qt_read_speaker(const body_t *b, registry *r, size_t i, size_t lim,
                    size_t pos, speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t e = qt_word_end(s, lim, i);
  unsigned m;
  int got;
  *out = (speaker_ref){.who = -1, .start = i};
  if (e == i) return 0;
  m = qt_vmask(v, s, i, e);
  if (m & (V_HE | V_SHE | V_IT)) return read_pronoun(b, r, i, e, pos, out);
  if (qt_word_is(s, i, e, "the")) return read_the(b, r, i, e, lim, pos, out);
  if ((qt_word_is(s, i, e, "Mr") || qt_word_is(s, i, e, "Ms") ||
       qt_word_is(s, i, e, "Mrs") || qt_word_is(s, i, e, "Dr")) && e < lim)
    return read_titled(b, r, i, e, lim, pos, out);
  if (!qt_is_upper_at(s, lim, i) && !(m & (V_MOD | V_ROLE))) return 0;
  if (qt_is_upper_at(s, lim, i) && (m & V_NOTNAME)) return 0;
  if (dateline_word(s, lim, i, e)) return 0;
  got = read_role_name(b, r, i, lim, out);
  if (got) return got > 0;
  if (!qt_is_upper_at(s, lim, i)) return 0;
  return read_name(b, r, i, lim, out);
}

/*
 * Start of the sentence holding i inside the paragraph starting at from:
 * after the previous ". " (or line break). Asked for increasing i in one
 * paragraph (every quote of it), the walk back stops where the previous
 * answer's walk began and reuses that answer: a paragraph without a
 * sentence end is walked once, not once per quote. m may be NULL.
 */
size_t qt_sentence_start(const char *s, size_t from, size_t i,
                             sent_memo *m) {
  size_t k = i, low = from;
  int memo = m != NULL && m->valid && m->from == from && m->at <= i &&
             m->at > from;
  if (memo) low = m->at - 1;      /* look at k down to m->at only */
  while (k > low) {
    char c = s[k - 1];
    if ((c == '.' || c == '!' || c == '?') && k < i && s[k] == ' ' &&
        !(c == '.' && qt_abbreviation(s, from, k - 1)))
      break;
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
  return qt_skip_space(s, i, k);
}

/* Is the word ending just before i (skipping spaces) one of list? */
int qt_prev_word_in(const vocab *v, const char *s, size_t from, size_t i,
                        unsigned bit, size_t *wstart) {
  size_t e = i, a;
  while (e > from && s[e - 1] == ' ') e--;
  a = e;
  while (a > from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  if (wstart != NULL) *wstart = a;
  return a < e && (qt_vmask(v, s, a, e) & bit);
}

/* Does a verb whose object is the listener ("told", "tells", "asked")
 * end right before k? */
static int after_tell(const char *s, size_t from, size_t k) {
  size_t e = k, a;
  while (e > from && s[e - 1] == ' ') e--;
  a = e;
  while (a > from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  if (qt_word_is(s, a, e, "the") && a > from) {   /* "told the Courier:" */
    e = a;
    while (e > from && s[e - 1] == ' ') e--;
    a = e;
    while (a > from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  }
  return qt_word_is(s, a, e, "told") || qt_word_is(s, a, e, "tells") ||
         qt_word_is(s, a, e, "telling") || qt_word_is(s, a, e, "asked");
}

/* Past the quoted words opened by a mark at k (up to their closing mark
 * before lim); k + 1 when k opens none. */
static size_t past_quoted(const char *s, size_t lim, size_t k) {
  size_t x;
  if (s[k] == '"' && (k == 0 || s[k - 1] == ' ')) {
    for (x = k + 1; x < lim; x++)
      if (s[x] == '"') return x + 1;
  } else if (k + 2 < lim && (unsigned char)s[k] == 0xE2 &&
             (unsigned char)s[k + 1] == 0x80 &&
             (unsigned char)s[k + 2] == 0x9C) {
    for (x = k + 3; x + 2 < lim; x++)
      if ((unsigned char)s[x] == 0xE2 && (unsigned char)s[x + 1] == 0x80 &&
          (unsigned char)s[x + 2] == 0x9D)
        return x + 3;
  }
  return k + 1;
}

/*
 * Look for a cue before an opening mark at i: "X said:", "X said that",
 * "According to X,". Returns 1 and sets q when found.
 */
/* A sentence opening on its speech verb, the speaker after it and the
 * quote after the speaker and its apposition ("Said Maren Lie, who grew
 * up here, "..."", "Said Odin: "...""). */
static int inverted_opening(const body_t *b, registry *r, size_t ss,
                            size_t i, qbuild *q) {
  const char *s = b->s;
  size_t e = qt_word_end(s, i, ss), ks, x;
  speaker_ref sp;
  if (e == ss || !qt_is_upper_at(s, i, ss) ||
      !(qt_vmask(b->v, s, ss, e) & V_SPEECH))
    return 0;
  ks = qt_skip_space(s, i, e);
  if (ks == e || !qt_read_speaker(b, r, ks, i, i, &sp) || sp.end <= ks)
    return 0;
  x = qt_skip_apposition(s, i, sp.end);
  /* the mark after its comma or colon, or the colon ending a paragraph
   * that introduces the next ("Stated Odin:") */
  if (x == sp.end && x < i && (s[x] == ',' || s[x] == ':'))
    for (x++; x < i && (s[x] == ' ' || s[x] == '\n'); x++) {}
  if (x != i) return 0;
  qt_credit(q, r, &sp, s + ss, e - ss, "cue-before");
  return 1;
}

int qt_cue_before(const body_t *b, registry *r, size_t from, size_t i,
                      qbuild *q) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t ss = qt_sentence_start(s, from, i, b->memo), k = ss, limit = i;
  speaker_ref sp;
  /* "According to X," */
  {
    size_t e = qt_word_end(s, limit, k);
    if (qt_word_is(s, k, e, "according")) {
      size_t t = qt_skip_space(s, limit, e), te = qt_word_end(s, limit, t);
      if (qt_word_is(s, t, te, "to")) {
        size_t ks = qt_skip_space(s, limit, te);
        if (qt_read_speaker(b, r, ks, limit, i, &sp)) {
          qt_credit(q, r, &sp, "according to", 12, "according-to");
          return 1;
        }
      }
    }
  }
  if (inverted_opening(b, r, ss, i, q)) return 1;
  /* the last speaker followed by a speech verb before the mark: "After
   * reading from the King James Bible, Beck said, "..."" */
  {
    speaker_ref best;
    size_t bv = 0, bl = 0;
    if (i - k > PHRASE_SPAN) {
      k = i - PHRASE_SPAN;
      while (k < i && s[k - 1] != ' ') k++;
    }
    while (k < limit) {
      size_t e = qt_word_end(s, limit, k), ve;
      if (e == k) {
        /* words inside another quote are somebody's words, no cue */
        k = s[k] == '"' || (unsigned char)s[k] == 0xE2
            ? past_quoted(s, limit, k) : k + 1;
        continue;
      }
      if ((k == ss || !qt_is_word_byte((unsigned char)s[k - 1])) &&
          qt_read_speaker(b, r, k, limit, i, &sp)) {
        size_t vs = qt_verb_after(v, s, limit, sp.end, &ve);
        /* "told AFP: "..."": the listener of a speech verb is no label */
        if (vs && s[vs] == ':' && k > ss && after_tell(s, ss, k)) vs = 0;
        if (vs) {
          speaker_ref ag;
          best = sp;
          bv = vs;
          bl = ve - vs;
          /* "Rubio was asked by moderator Gerard Baker whether ...": the
           * agent of a passive speech verb speaks */
          if (ve + 4 < limit && memcmp(s + ve, " by ", 4) == 0 &&
              qt_read_speaker(b, r, ve + 4, limit, i, &ag) &&
              ag.end > ve + 4) {
            best = ag;
            k = ag.end;
            continue;
          }
          /* past the verb: not "The Nation" of "Kim Ray of The Nation
           * wrote"; a name nobody has may be a place ("In Arvenstad, the
           * spokesman, Tomas Varga, called"): read on */
          k = sp.who >= 0 ? ve : (sp.end > k ? sp.end : e);
          continue;
        }
        k = sp.end > k ? sp.end : e;
        continue;
      }
      /* ", says Kim Ray, historian, is that "...": the verb first, the
       * speaker set off by commas */
      if (k >= 2 && s[k - 1] == ' ' && s[k - 2] == ',' &&
          (qt_vmask(v, s, k, e) & V_SPEECH) &&
          !after_tell(s, k, e)) {       /* ", telling Reuters," */
        size_t n = qt_skip_space(s, limit, e);
        if (qt_read_speaker(b, r, n, limit, i, &sp) && sp.end > n &&
            sp.end < limit && s[sp.end] == ',') {
          best = sp;
          bv = k;
          bl = e - k;
          k = sp.end;
          continue;
        }
      }
      k = e;
    }
    if (bl) {
      qt_credit(q, r, &best, s + bv, bl, "cue-before");
      return 1;
    }
  }
  return 0;
}

/* "... obtained a video and said she "..."": a speech verb after "and"
 * in s[a, i) (the subject said it, even a name nobody introduced). */
static int coordinated_speech(const vocab *v, const char *s, size_t a,
                              size_t i) {
  size_t k = a;
  int after_and = 0;
  while (k < i) {
    size_t e = qt_word_end(s, i, k);
    if (e == k) { k++; after_and = 0; continue; }
    if (after_and && (qt_vmask(v, s, k, e) & V_SPEECH)) return 1;
    after_and = qt_word_is(s, k, e, "and");
    k = qt_skip_space(s, i, e);
  }
  return 0;
}

/* Is a verb (a lower-case word, no function word) next after the
 * speaker phrase ending at e (past an apposition and fillers)? */
static int verb_follows(const body_t *b, size_t e, size_t i) {
  const char *s = b->s;
  size_t v0 = qt_skip_space(s, i, qt_skip_apposition(s, i, e)), ve;
  int fill = 0;
  ve = qt_word_end(s, i, v0);
  while (fill < 3 && ve > v0 && qt_filler(b->v, s, v0, ve)) {
    v0 = qt_skip_space(s, i, ve);
    ve = qt_word_end(s, i, v0);
    fill++;
  }
  return ve > v0 && s[v0] >= 'a' && s[v0] <= 'z' &&
         !(qt_vmask(b->v, s, v0, ve) & (V_NOTNAME | V_CONJ));
}

/* The subject of the last clause before i that opens with ", and", ",
 * but", "while" or "whereas" and a person or organisation the article knows
 * ("X signed an order, while Y proposed "...""): it replaces *sp. */
static void clause_subject(const body_t *b, registry *r, size_t k, size_t i,
                           speaker_ref *sp) {
  const char *s = b->s;
  speaker_ref c;
  while (k < i) {
    size_t e = qt_word_end(s, i, k);
    if (e == k) {
      k = s[k] == '"' || (unsigned char)s[k] == 0xE2 ? past_quoted(s, i, k)
                                                      : k + 1;
      continue;
    }
    /* "and" and "but" after a comma: "he and Cruz" is one subject */
    if ((e - k == 3 && k >= 2 && s[k - 1] == ' ' && s[k - 2] == ',' &&
         (qt_word_is(s, k, e, "and") || qt_word_is(s, k, e, "but"))) ||
        (e - k == 5 && qt_word_is(s, k, e, "while")) ||
        (e - k == 7 && qt_word_is(s, k, e, "whereas"))) {
      size_t n = qt_skip_space(s, i, e);
      if (n < i && qt_is_upper_at(s, i, n) &&
          qt_read_speaker(b, r, n, i, i, &c) && c.who >= 0 && c.end > n &&
          verb_follows(b, c.end, i)) {
        *sp = c;
        k = c.end;
        continue;
      }
    }
    k = e;
  }
}

/*
 * The subject of the sentence holding a quote that no cue claims: a
 * speaker phrase at the sentence start, or after an opening phrase and
 * its comma ("On Monday, Kim Ray ..."), followed by a lower-case word (its
 * verb: "Ray defended the plan, calling it "..."").
 */
int qt_cue_subject(const body_t *b, registry *r, size_t from, size_t i,
                   qbuild *q) {
  const char *s = b->s;
  size_t ss = qt_sentence_start(s, from, i, b->memo), k = ss, c;
  speaker_ref sp;
  int tries;
  for (tries = 0; tries < 2; tries++) {
    if (k < i && qt_read_speaker(b, r, k, i, i, &sp) &&
        (sp.who >= 0 || (sp.text && coordinated_speech(b->v, s, k, i)))) {
      size_t v0 = qt_skip_apposition(s, i, sp.end), ve;
      int fill = 0;
      v0 = qt_skip_space(s, i, v0);
      if (v0 < i && s[v0] == '(') {          /* "Bobby Scott (D-Va.)" */
        size_t cl = v0;
        while (cl < i && cl < v0 + 60 && s[cl] != ')') cl++;
        if (cl < i && s[cl] == ')') v0 = qt_skip_space(s, i, cl + 1);
      }
      ve = qt_word_end(s, i, v0);
      /* "Trump on Thursday ratcheted up ...": time words first */
      while (fill < 3 && ve > v0 && qt_filler(b->v, s, v0, ve)) {
        v0 = qt_skip_space(s, i, ve);
        ve = qt_word_end(s, i, v0);
        fill++;
      }
      if (ve > v0 && s[v0] >= 'a' && s[v0] <= 'z' &&
          !(qt_vmask(b->v, s, v0, ve) & (V_NOTNAME | V_CONJ))) {
        clause_subject(b, r, sp.end, i, &sp);
        qt_credit(q, r, &sp, NULL, 0, "subject");
        return 1;
      }
      return 0;
    }
    /* past an opening phrase to its comma */
    for (c = k; c < i && c < k + 100 && s[c] != ','; c++) {}
    if (c >= i || s[c] != ',') return 0;
    k = qt_skip_space(s, i, c + 1);
  }
  return 0;
}

/* A paragraph that opens with a quote after one ending in a colon ("In
 * response, Karl Odin issued the following statement:"): the speaker the
 * paragraph before introduces, by its cue or its sentence's subject. */
int qt_colon_intro(const body_t *b, registry *r, size_t pi, qbuild *q) {
  const char *s = b->s;
  size_t from, e;
  if (pi == 0) return 0;
  from = b->pstart[pi - 1];
  e = b->pend[pi - 1];
  while (e > from && (s[e - 1] == ' ' || s[e - 1] == '\n')) e--;
  if (e <= from + 1 || s[e - 1] != ':') return 0;
  if (!qt_cue_before(b, r, from, e - 1, q) &&
      !qt_cue_subject(b, r, from, e - 1, q))
    return 0;
  q->rule = "colon-intro";
  return 1;
}

/* Does only the end of p's sentence stand between p's words (ending at
 * pe) and q's (starting at qs): its reporting clause, one sentence end,
 * then spaces, a paragraph break and an opening mark? */
static int report_runs_into(const char *s, size_t pe, size_t qs) {
  size_t k, high = 0;
  if (qs <= pe || qs - pe > 120) return 0;
  for (k = pe; k < qs; k++) {
    if (s[k] == '"' || (unsigned char)s[k] >= 0x80) return 0;  /* a mark */
    if ((s[k] == '.' || s[k] == '!' || s[k] == '?') &&
        !(s[k] == '.' && qt_abbreviation(s, pe, k)))
      break;
  }
  for (k++; k < qs; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 0x80) high++;
    else if (c != ' ' && c != '\n' && c != '"') return 0;
  }
  return k == qs && high <= 3;
}

/* A direct quote that no cue claims, opening the sentence right after
 * one that reports somebody's words ("Brun said that the ferries would
 * not stop. / "That is because ...""): the writer hands over from the
 * speaker's words in paraphrase to the same speaker's own. Only a person:
 * an outlet's report ("the Post reported, citing a source") hands over
 * to its source. Not a quote ending on a comma, which awaits its own
 * clause (""...," read one sign"). Reported speech is found last (ql
 * holds it after every direct quote, in body order). */
void qt_after_report(const body_t *b, registry *r, qlist *ql, size_t nq) {
  size_t k, j = nq, last = (size_t)-1;
  for (k = 0; k < nq; k++) {
    qbuild *q = &ql->q[k];
    size_t qs = q->seg[0][0];
    if (q->kind != Q_DIRECT || q->speaker >= 0 || q->speaker_text) continue;
    while (j < ql->n && ql->q[j].seg[0][0] < qs) {
      if (ql->q[j].kind == Q_REPORTED) last = j;
      j++;
    }
    if (last != (size_t)-1) {
      const qbuild *p = &ql->q[last];
      size_t qe = q->seg[q->nseg - 1][1];
      if (p->speaker >= 0 && !r->p[p->speaker].org && b->s[qe - 1] != ',' &&
          report_runs_into(b->s, p->seg[p->nseg - 1][1], qs)) {
        q->speaker = p->speaker;
        q->skind = p->skind;
        q->rule = "after-report";
      }
    }
  }
}
