/*
 * speakers.c - reading a speaker phrase (name, role + name, pronoun,
 * "the" + role or organisation noun) and the cue around a quote
 * ("..., X said", "X said: ...", "according to X").
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* Most recent person mentioned before pos with a compatible gender. */
/* A speaker credited with words is a person, not just a capitalised name. */
static int confirm(registry *r, int who) {
  if (who >= 0) qt_reg_set_tentative(r, who, 0);
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
size_t qt_skip_apposition(const char *s, size_t lim, size_t i) {
  size_t k = i, e;
  int words = 0;
  if (k >= lim || s[k] != ',') return i;
  k = qt_skip_space(s, lim, k + 1);
  while (k < lim && words < 16) {
    e = qt_word_end(s, lim, k);
    if (e == k) return i;
    words++;
    if (e < lim && s[e] == ',') return qt_skip_space(s, lim, e + 1);
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
int qt_read_speaker(const body_t *b, registry *r, size_t i, size_t lim,
                        size_t pos, speaker_ref *out) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t e = qt_word_end(s, lim, i);
  out->who = -1;
  out->text = NULL;
  out->len = 0;
  if (e == i) return 0;
  if ((qt_vmask(v, s, i, e) & V_HE) || (qt_vmask(v, s, i, e) & V_SHE)) {
    int g = (qt_vmask(v, s, i, e) & V_HE) ? 1 : 2;
    out->who = qt_recent_person(r, pos, g, 0, NULL, 0);
    if (out->who >= 0 && r->p[out->who].gender == 0)
      qt_reg_set_gender(r, out->who, g);
    out->end = e;
    return 1;
  }
  if (qt_word_is(s, i, e, "the")) {
    size_t k = qt_skip_space(s, lim, e), ke = qt_word_end(s, lim, k), last = ke;
    int words = 0;
    /* "the foreign ministry spokesman": up to four words to the noun */
    while (k < lim && words < 4) {
      ke = qt_word_end(s, lim, k);
      if (ke == k) break;
      if (qt_is_role_noun(v, s, k, ke)) {
        out->who = qt_recent_person(r, pos, 0, 1, s + k, ke - k);
        if (out->who < 0) out->who = qt_recent_person(r, pos, 0, 0, NULL, 0);
        out->end = ke;
        return 1;
      }
      if ((qt_vmask(v, s, k, ke) & V_ORG)) {
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
            if (strcmp(qt_org_nouns[x], w) == 0) break;
          if (x < N_ORG_NOUNS) {
            hit = qt_tree_max_upto(r, r->org_root[x], pos);
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
  if ((qt_word_is(s, i, e, "Mr") || qt_word_is(s, i, e, "Ms") ||
       qt_word_is(s, i, e, "Mrs") || qt_word_is(s, i, e, "Dr")) && e < lim) {
    size_t k = e + (s[e] == '.' ? 1 : 0);
    int g = qt_word_is(s, i, e, "Mr") ? 1 : qt_word_is(s, i, e, "Dr") ? 0 : 2;
    if (k < lim && s[k] == ' ' && qt_read_speaker(b, r, k + 1, lim, pos, out)) {
      if (out->who >= 0 && g && r->p[out->who].gender == 0)
        qt_reg_set_gender(r, out->who, g);
      return 1;
    }
    return 0;
  }
  if (qt_is_upper_at(s, lim, i) || (qt_vmask(v, s, i, e) & (V_MOD | V_ROLE))) {
    /* optional role phrase, then a name */
    size_t k = i;
    int w;
    size_t m = qt_is_upper_at(s, lim, i) ? qt_name_at(v, s, lim, k, &w) : 0;
    if (m == 0 && qt_is_upper_at(s, lim, i)) return 0;
    if (e - i >= 3 && qt_all_caps(s, i, e)) return 0;   /* a dateline */
    /* "Foreign Ministry spokesperson Guo Jiakun", "Estmark's trade
     * minister, Jonas Rebane", "foreign ministry spokeswoman Lucia
     * Ferrer": a role phrase, then the name */
    {
      size_t j = i, rs = 0;
      int words = 0;
      while (j < lim && words < 10) {
        size_t je = qt_word_end(s, lim, j);
        if (je == j) break;
        if (qt_is_role_noun(v, s, j, je)) rs = je;
        else if (rs) break;       /* the word after the role noun */
        words++;
        if (je >= lim || s[je] != ' ') break;
        j = je + 1;
      }
      if (rs) {
        size_t na, nl, rend;
        if (qt_name_after_role(v, s, lim, rs, &na, &nl, &rend)) {
          out->who = qt_add_person(r, s, na, nl, s + i, rend - i, 0);
          out->end = na + nl;
          if (out->end < lim && s[out->end] == ',') out->end++;
          return 1;
        }
        if (words > 1 && !qt_is_upper_at(s, lim, i)) return 0;
      }
    }
    if (m == 0) return 0;
    out->who = qt_find_partial(r, s, i, m);
    if (out->who < 0 && w >= 2) {
      int fresh = r->n;
      out->who = qt_add_person(r, s, i, m, NULL, 0, 0);
      if (out->who >= fresh) qt_reg_set_tentative(r, out->who, 1);
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

/*
 * Look for a cue right after a closing mark at i: "[,] said X", "[,] X
 * said", "X told reporters". Sets q's speaker and cue; returns the end of
 * the cue clause, 0 when there is no cue.
 */
size_t qt_cue_after(const body_t *b, registry *r, size_t i, size_t lim,
                        size_t pos, qbuild *q) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t k = i, e;
  speaker_ref sp;
  if (k < lim && s[k] == ',') k++;
  k = qt_skip_space(s, lim, k);
  e = qt_word_end(s, lim, k);
  if (e == k) return 0;
  if ((qt_vmask(v, s, k, e) & V_SPEECH)) {
    size_t ks = qt_skip_space(s, lim, e);
    if (qt_read_speaker(b, r, ks, lim, pos, &sp)) {
      q->cue = NULL;
      qt_credit(q, r, &sp, s + k, e - k);
      return sp.end;
    }
    return 0;
  }
  if (qt_read_speaker(b, r, k, lim, pos, &sp)) {
    size_t vs = qt_skip_space(s, lim, qt_skip_apposition(s, lim, sp.end));
    size_t ve = qt_word_end(s, lim, vs);
    if (ve > vs && (qt_vmask(v, s, vs, ve) & V_SPEECH)) {
      size_t cl = ve - vs;
      /* "told reporters" keeps its object */
      if (qt_word_is(s, vs, ve, "told")) {
        size_t os = qt_skip_space(s, lim, ve), oe = qt_word_end(s, lim, os);
        if (oe > os && (qt_word_is(s, os, oe, "reporters") ||
                        qt_word_is(s, os, oe, "journalists")))
          cl = oe - vs;
      }
      qt_credit(q, r, &sp, s + vs, cl);
      return ve;
    }
  }
  return 0;
}

/*
 * Look for a cue before an opening mark at i: "X said:", "X said that",
 * "According to X,". Returns 1 and sets q when found.
 */
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
          qt_credit(q, r, &sp, "according to", 12);
          return 1;
        }
      }
    }
  }
  /* a speaker at the sentence start, a speech verb before the mark */
  while (k < limit) {
    if (qt_read_speaker(b, r, k, limit, i, &sp)) {
      size_t vp = qt_skip_space(s, limit, sp.end);
      int steps = 0;
      while (vp < limit && steps < 12) {
        size_t ve = qt_word_end(s, limit, vp);
        if (ve == vp) break;
        if ((qt_vmask(v, s, vp, ve) & V_SPEECH)) {
          size_t cl = ve - vp;
          qt_credit(q, r, &sp, s + vp, cl);
          return 1;
        }
        vp = qt_skip_space(s, limit, ve + (ve < limit && s[ve] == ',' ? 1 : 0));
        steps++;
      }
      return 0;
    }
    /* leading participial phrases: skip a word and try again */
    {
      size_t e = qt_word_end(s, limit, k);
      if (e == k) break;
      k = qt_skip_space(s, limit, e + (e < limit && s[e] == ',' ? 1 : 0));
      if (k - ss > 200) break;
    }
  }
  return 0;
}
