/*
 * leftovers.c - quotes that no cue around them claims: a block quote
 * signed by a dash line under it, the subject of the sentence before,
 * the cue of the next sentence (""..." He said.") and, last, the speaker
 * of the quote just before, who goes on speaking.
 */
#include <string.h>
#include "quotes.h"

/* A block quote signed in the next paragraph: "- Kim Ray." / "— Kim
 * Ray, Acme Inc". */
static int dash_byline(const body_t *b, registry *r, qbuild *q, size_t pe) {
  const char *s = b->s;
  size_t i, lim;
  speaker_ref sp;
  if (pe + 1 >= b->np) return 0;
  i = b->pstart[pe + 1];
  lim = b->pend[pe + 1];
  if (lim - i > 120) return 0;
  if (s[i] == '-') i++;
  else if (i + 2 < lim && (unsigned char)s[i] == 0xE2 &&
           (unsigned char)s[i + 1] == 0x80 &&
           ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
    i += 3;
  else return 0;
  i = qt_skip_space(s, lim, i);
  if (!qt_read_speaker(b, r, i, lim, i, &sp)) return 0;
  qt_credit(q, r, &sp, NULL, 0, "dash-byline");
  return 1;
}

/* A quote without a cue after a sentence about somebody ("Bolton
 * distanced himself from the movement. "I'm going to support him."): the
 * subject of the sentence before it, in its paragraph or ending the
 * paragraph before, when that sentence comes after the quote before. */
static int prev_sentence_subject(const body_t *b, registry *r, qbuild *q,
                                 const qbuild *prev) {
  const char *s = b->s;
  size_t start = q->seg[0][0], from = b->pstart[q->para], e, ss;
  speaker_ref sp;
  /* the opening mark and spaces before the quote */
  e = start;
  while (e > from && (s[e - 1] == ' ' || s[e - 1] == '"' ||
                      (unsigned char)s[e - 1] >= 0x80))
    e--;
  if (e == from) {
    if (q->para == 0) return 0;
    from = b->pstart[q->para - 1];
    e = b->pend[q->para - 1];
  }
  if (e <= from || (s[e - 1] != '.' && s[e - 1] != '!' && s[e - 1] != ':'))
    return 0;
  ss = qt_sentence_start(s, from, e - 1, NULL);
  if (prev && prev->seg[prev->nseg - 1][1] > ss) return 0;
  if (!qt_read_speaker(b, r, ss, e, ss, &sp) || sp.who < 0) return 0;
  {
    size_t v0 = qt_skip_space(s, e, qt_skip_apposition(s, e, sp.end));
    size_t ve = qt_word_end(s, e, v0);
    if (!(ve > v0 && s[v0] >= 'a' && s[v0] <= 'z' &&
          !(qt_vmask(b->v, s, v0, ve) & (V_NOTNAME | V_CONJ))))
      return 0;
  }
  qt_credit(q, r, &sp, NULL, 0, "previous-sentence");
  return 1;
}

/* Is s[i] the first word of a sentence (from starts one)? */
static int starts_sentence(const char *s, size_t from, size_t i) {
  while (i > from && s[i - 1] == ' ') i--;
  return i == from || s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?' ||
         s[i - 1] == '\n';
}

/* Somebody else named in s[from, to): a capitalised word that is a
 * registered person other than who ("..." said Ray. Lee nodded. "...":
 * Lee is in between, Ray does not go on speaking). */
static int other_person_in(const body_t *b, registry *r, size_t from,
                           size_t to, int who) {
  const char *s = b->s;
  size_t i = from;
  while (i < to) {
    size_t e;
    if (!qt_is_word_byte((unsigned char)s[i]) ||
        (i > from && qt_is_word_byte((unsigned char)s[i - 1]))) {
      i++;
      continue;
    }
    e = qt_word_end(s, to, i);
    if (e <= i) { i++; continue; }
    if (qt_is_upper_at(s, to, i) && may_start_name(r, (unsigned char)s[i]) &&
        starts_sentence(s, from, i)) {
      int w, k;
      size_t m = qt_name_at(b->v, s, to, i, &w);
      k = qt_find_partial(r, s, i, m > 0 ? m : e - i);
      if (k < 0 && m > 0 && m != e - i) k = qt_find_partial(r, s, i, e - i);
      if (k >= 0 && k != who && !r->p[k].org) return 1;
      if (m > e - i) e = i + m;
    }
    i = e;
  }
  return 0;
}

/* The end of the sentence running on at from (its cue, its
 * appositions: "said Ray, a Lee aide."), to at most; to when it runs on
 * that far. */
static size_t sentence_after(const char *s, size_t from, size_t to) {
  size_t i;
  for (i = from; i + 1 < to; i++)
    if ((s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == '\n') &&
        (s[i + 1] == ' ' || s[i + 1] == '\n') &&
        !(s[i] == '.' && qt_abbreviation(s, from, i)))
      return i + 1;
  return to;
}

/* The speaker of the direct quote p goes on speaking in q, which has no
 * cue: only a person the registry knows, in the same or the next
 * paragraph, with nobody else named in between. */
static void carry_on(const body_t *b, registry *r, const qbuild *p,
                     qbuild *q) {
  if (p->kind != Q_DIRECT || (p->speaker < 0 && !p->speaker_text) ||
      p->para + 1 < q->para)
    return;
  if (other_person_in(b, r, sentence_after(b->s, p->seg[p->nseg - 1][1],
                                            q->seg[0][0]),
                      q->seg[0][0], p->speaker))
    return;
  q->speaker = p->speaker;
  q->rule = "continuation";
  q->speaker_text = p->speaker_text;
  q->speaker_text_len = p->speaker_text_len;
}

/* A quote with no cue of its own: "..." He said. in the next sentence, or
 * the speaker of the quote just before when the paragraph is all quote. */
void qt_attribute_leftovers(const body_t *b, registry *r, qlist *ql) {
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
      if (qt_read_speaker(b, r, i, lim, end, &sp)) {
        size_t vs = qt_skip_space(s, lim, sp.end), ve = qt_word_end(s, lim, vs);
        if (ve > vs && (qt_vmask(v, s, vs, ve) & V_SPEECH)) {
          qt_credit(q, r, &sp, s + vs, ve - vs, "next-sentence");
          continue;
        }
      }
    }
    if (dash_byline(b, r, q, pe)) continue;
    if (prev_sentence_subject(b, r, q, k > 0 ? &ql->q[k - 1] : NULL))
      continue;
    /* no cue at all: the speaker of the quote just before, in the same or
     * the previous paragraph, goes on speaking */
    if (k > 0) carry_on(b, r, &ql->q[k - 1], q);
  }
}
