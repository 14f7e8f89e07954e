/*
 * cueafter.c - the cue after a closing quote mark: "[,] said X", "[,] X
 * said", "X told reporters", "according to X", at the mark or at a later
 * comma of a sentence the quote left open.
 */
#include <string.h>
#include "quotes.h"

/* Does the cue ending at e introduce words of its own ("He writes that
 * "...", "She added: "...")? Then it is no cue of the quote before. */
static int introduces_next(const char *s, size_t lim, size_t e) {
  size_t k = qt_skip_space(s, lim, e), x;
  if (k < lim && s[k] == ':') return 1;
  if (!qt_word_is(s, k, qt_word_end(s, lim, k), "that")) return 0;
  for (x = k; x < lim && x < k + 40; x++)
    if (s[x] == '"' || ((unsigned char)s[x] == 0xE2 && x + 2 < lim &&
                        (unsigned char)s[x + 2] == 0x9C))
      return 1;
  return 0;
}

/* "according to X" after a quote (e ends "according"): X, or the author
 * of a document ("according to a filing by Kim Ray"). The cue's end, 0
 * when none. */
static size_t according_to(const body_t *b, registry *r, size_t e,
                           size_t lim, size_t pos, qbuild *q) {
  const char *s = b->s;
  size_t t = qt_skip_space(s, lim, e), te = qt_word_end(s, lim, t), k;
  int words;
  speaker_ref sp;
  if (!qt_word_is(s, t, te, "to")) return 0;
  k = qt_skip_space(s, lim, te);
  for (words = 0; words < 6 && k < lim; words++) {
    size_t we;
    if (qt_read_speaker(b, r, k, lim, pos, &sp) && sp.end > k) {
      qt_credit(q, r, &sp, "according to", 12, "according-to");
      return sp.end;
    }
    we = qt_word_end(s, lim, k);
    /* lower-case words of a document ("a court filing by") */
    if (we == k || qt_is_upper_at(s, lim, k) || we >= lim || s[we] != ' ')
      return 0;
    k = we + 1;
  }
  return 0;
}

/* A function word that no role holds ("in", "with", "that"). */
static int role_stop(const char *s, size_t k, size_t e) {
  static const char *const w[] = {
    "in", "on", "at", "with", "to", "for", "of", "by", "from", "that",
    "after", "before", "during", "about", "into", "as", "than", "it",
    "this", "there", "then", "so", "which", "what", "who", "whether",
    "how", "why", "if", "when", "where", "not", "no", NULL
  };
  int j;
  if (e - k > 6) return 0;
  for (j = 0; w[j]; j++)
    if (qt_word_is(s, k, e, w[j])) return 1;
  return 0;
}

/* Does s[k, e) end in a possessive ('s, ’s)? */
static int owner_word(const char *s, size_t k, size_t e) {
  if (e < k + 3 || s[e - 1] != 's') return 0;
  return s[e - 2] == '\'' ||
         (e >= k + 5 && memcmp(s + e - 4, "\xE2\x80\x99", 3) == 0);
}

/* Credit q to sp with the verb s[vs, ve) as its cue ("told reporters"
 * keeps its object). */
static void credit_verb(qbuild *q, registry *r, const speaker_ref *sp,
                        size_t vs, size_t ve, size_t lim, const char *s) {
  size_t cl = ve - vs;
  if (qt_word_is(s, vs, ve, "told")) {
    size_t os = qt_skip_space(s, lim, ve), oe = qt_word_end(s, lim, os);
    if (oe > os && (qt_word_is(s, os, oe, "reporters") ||
                    qt_word_is(s, os, oe, "journalists")))
      cl = oe - vs;
  }
  qt_credit(q, r, sp, s + vs, cl, "cue-after");
}

/* A cue at k: "said X" or "X said". Returns its end, 0 when none. */
static size_t cue_at(const body_t *b, registry *r, size_t k, size_t lim,
                     size_t pos, qbuild *q) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t e = qt_word_end(s, lim, k);
  speaker_ref sp;
  if (e == k) return 0;
  if (e - k == 9 && qt_word_is(s, k, e, "according"))
    return according_to(b, r, e, lim, pos, q);
  if ((qt_vmask(v, s, k, e) & V_SPEECH)) {
    size_t ks = qt_skip_space(s, lim, e);
    int skip = 0;
    /* "said undecided voter Siri Holt": lower-case words of a role (no
     * function words: not "said in an interview with X") */
    while (skip < 4 && ks < lim && s[ks] >= 'a' && s[ks] <= 'z' &&
           !qt_read_speaker(b, r, ks, lim, pos, &sp)) {
      size_t we = qt_word_end(s, lim, ks);
      if (we == ks || we >= lim || s[we] != ' ' ||
          (qt_vmask(v, s, ks, we) & V_CONJ) ||
          (role_stop(s, ks, we) &&
           /* "of" inside a role: "secretary of state", "master of
            * ceremonies" */
           !(skip > 0 && qt_word_is(s, ks, we, "of") && we + 1 < lim &&
             s[we + 1] >= 'a' && s[we + 1] <= 'z')))
        return 0;
      ks = we + 1;
      skip++;
    }
    if (qt_read_speaker(b, r, ks, lim, pos, &sp) &&
        !introduces_next(s, lim, sp.end)) {
      q->cue = NULL;
      qt_credit(q, r, &sp, s + k, e - k, "cue-after");
      return sp.end;
    }
    return 0;
  }
  {
    /* words of a role before the speaker: lower-case ("opposition
     * lawmaker Ana Ruiz told reporters") or a capitalised title the name
     * reader stops in ("Oster County Recorder Helga Prante said") */
    int skip, titled = 0;   /* capitalised words skipped */
    for (skip = 0; skip < 4; skip++) {
      size_t we;
      int upper = qt_is_upper_at(s, lim, k);
      if (qt_read_speaker(b, r, k, lim, pos, &sp)) {
        size_t ve, vs = qt_verb_after(v, s, lim, sp.end, &ve);
        /* past a title, only a person the article knows */
        if (vs && !introduces_next(s, lim, ve) && (!titled || sp.who >= 0)) {
          credit_verb(q, r, &sp, vs, ve, lim, s);
          return ve;
        }
        if (!upper) return 0;
      } else if (upper) {
        return 0;
      }
      we = qt_word_end(s, lim, k);
      if (we == k || we >= lim || s[we] != ' ' ||
          (qt_vmask(v, s, k, we) & V_CONJ))     /* ", and Kim said" */
        return 0;
      /* capitalised: only "The" and an owner ("The Courier's Kim Ray") */
      if (upper && !qt_word_is(s, k, we, "the") && !owner_word(s, k, we))
        return 0;
      titled |= upper;
      k = we + 1;
    }
  }
  return 0;
}

/*
 * Look for a cue right after a closing mark at i: "[,] said X", "[,] X
 * said", "X told reporters"; when the quote left its sentence open, also
 * at a later comma of the sentence (""..." that Sanders can win, said
 * Kim Ray"). Sets q's speaker and cue; returns the end of the cue
 * clause, 0 when there is no cue.
 */
size_t qt_cue_after(const body_t *b, registry *r, size_t i, size_t lim,
                    size_t pos, int open, qbuild *q) {
  const char *s = b->s;
  size_t k = i, x, got;
  if (k < lim && s[k] == ',') k++;
  k = qt_skip_space(s, lim, k);
  got = cue_at(b, r, k, lim, pos, q);
  if (got || !open) return got;
  for (x = k; x < lim && x < k + 160; x++) {
    if (s[x] == '.' || s[x] == '?' || s[x] == '!' || s[x] == '"' ||
        (unsigned char)s[x] == 0xE2)
      break;
    if (s[x] == ',' && x + 1 < lim && s[x + 1] == ' ') {
      got = cue_at(b, r, x + 2, lim, pos, q);
      if (got) return got;
    }
  }
  return 0;
}

/* A cue right after the closing mark at after that names its speaker
 * (not "he said": a pronoun is read better from the cue before); its
 * end, 0 when none. */
size_t qt_cue_after_named(const body_t *b, registry *r, size_t after,
                          size_t lim, size_t pos, qbuild *q) {
  size_t ce = qt_cue_after(b, r, after, lim, pos, 0, q);
  if (ce == 0) return 0;
  if (q->mention && q->mention_len &&
      !(qt_vmask(b->v, q->mention, 0,
                 qt_word_end(q->mention, q->mention_len, 0)) &
        (V_HE | V_SHE | V_IT)))
    return ce;
  /* a pronoun: left to the cue before (q was uncredited) */
  q->speaker = -1;
  q->speaker_text = NULL;
  q->speaker_text_len = 0;
  q->rule = NULL;
  q->mention = NULL;
  q->mention_len = 0;
  q->cue = NULL;
  q->cue_buf[0] = '\0';
  return 0;
}
