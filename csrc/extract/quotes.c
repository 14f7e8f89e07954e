/*
 * quotes.c - who said what: direct quotes (straight and curly marks, split
 * around their cue, continued across paragraphs), reported speech and
 * short quoted phrases, each attributed from the cue around it to a
 * speaker resolved through the people the article introduces (surnames,
 * pronouns and role nouns point back to the full name and its role).
 */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

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
  if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
    unsigned char d = (unsigned char)s[i + 2];
    *len = 3;
    if (d == 0x8C || d == 0x8E) return 1;    /* 「 『 */
    if (d == 0x8D || d == 0x8F) return 2;    /* 」 』 */
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

/* An opening curly mark typed where a quote closes: right after the
 * sentence's punctuation and before a space (""It's odd,“ said Kim"). */
static int misturned_close(const char *s, size_t n, size_t i) {
  char p = i > 0 ? s[i - 1] : ' ';
  return (p == ',' || p == '.' || p == '?' || p == '!') &&
         (i + 3 >= n || s[i + 3] == ' ' || s[i + 3] == '\n');
}

/* Words in s[a, b). */
int qt_count_words(const char *s, size_t a, size_t b) {
  int w = 0;
  size_t i = a;
  while (i < b) {
    while (i < b && !qt_is_word_byte((unsigned char)s[i])) i++;
    if (i >= b) break;
    w++;
    while (i < b && qt_is_word_byte((unsigned char)s[i])) {
      /* a Han character is a word of its own (no spaces between them) */
      if ((unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9 &&
          i + 3 <= b) {
        i += 3;
        if (i < b && (unsigned char)s[i] >= 0xE4 &&
            (unsigned char)s[i] <= 0xE9)
          w++;
        continue;
      }
      i++;
    }
  }
  return w;
}

/* Does the text before b end a sentence: . ? ! , or 。！？，? */
static int sentence_punct(const char *s, size_t a, size_t b) {
  unsigned char c;
  if (b <= a) return 0;
  c = (unsigned char)s[b - 1];
  if (c == '.' || c == ',' || c == '?' || c == '!') return 1;
  if (b - a < 3) return 0;
  return memcmp(s + b - 3, "\xE3\x80\x82", 3) == 0 ||
         memcmp(s + b - 3, "\xEF\xBC\x81", 3) == 0 ||
         memcmp(s + b - 3, "\xEF\xBC\x9F", 3) == 0 ||
         memcmp(s + b - 3, "\xEF\xBC\x8C", 3) == 0;
}

/* Is the text around a quote Chinese (a Han character or full-width
 * punctuation right before the opening mark or after the closing one)? */
static int han_context(const char *s, size_t from, size_t to, size_t ms,
                       size_t after) {
  unsigned char b0 = ms >= from + 3 ? (unsigned char)s[ms - 3] : 0;
  unsigned char a0 = after < to ? (unsigned char)s[after] : 0;
  return (b0 >= 0xE3 && b0 <= 0xEF) || (a0 >= 0xE3 && a0 <= 0xEF);
}

/* Every word capitalised but for short function words ("Locks Without
 * Keys", "The Quiet Wire")? */
static int title_case(const vocab *v, const char *s, size_t a, size_t b) {
  size_t i = a;
  int words = 0;
  (void)v;
  while (i < b) {
    size_t e;
    while (i < b && !qt_is_word_byte((unsigned char)s[i])) i++;
    if (i >= b) break;
    e = qt_word_end(s, b, i);
    if (e == i) { i++; continue; }
    if (!qt_is_upper_at(s, b, i) && !(e - i <= 3 && words > 0)) return 0;
    words++;
    i = e;
  }
  return words > 0;
}

/* ---- the pass over the body ---- */


qbuild *qt_new_quote(qlist *ql) {
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

/* The state of one paragraph's pass (see scan_paragraph). */
typedef struct {
  const body_t *b;
  registry *r;
  qlist *ql;
  size_t pi, from, to;
  qbuild **carry;        /* an open quote from the paragraph before */
  qbuild *prev_direct;   /* a quote whose cue came after it ... */
  size_t prev_cue_end;   /* ... and where its cue clause ended */
  size_t noted;          /* mentions before here are noted already */
} pscan;

/* Is s[a, e) a capitalised possessive ("CNN's", "ABC’s")? */
static int name_possessive(const char *s, size_t a, size_t e) {
  if (e < a + 3 || !qt_is_upper_at(s, e, a)) return 0;
  if (s[e - 1] != 's') return 0;
  return s[e - 2] == '\'' ||
         (e >= a + 5 && memcmp(s + e - 4, "\xE2\x80\x99", 3) == 0);
}

/* A capitalised title right after a preposition or a name's possessive
 * ("told CNN's "State of the Union,""): "appeared on "Fox and
 * Friends,"", "a scene from "Thelma and Louise"" (two capitalised words
 * at least, every long word capitalised). */
static int title_after_preposition(const pscan *ps, size_t qs, size_t qe,
                                   size_t ms) {
  static const char *const preps[] = {
    "on", "in", "of", "from", "at", "to", "for", "with", "via", NULL
  };
  const char *s = ps->b->s;
  size_t a, e = ms, k;
  int j, caps = 0;
  while (e > ps->from && s[e - 1] == ' ') e--;
  a = e;
  while (a > ps->from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  /* "Radio's": the straight apostrophe is no word byte */
  if (e - a == 1 && s[a] == 's' && a > ps->from + 1 && s[a - 1] == '\'') {
    a--;
    while (a > ps->from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  }
  for (j = 0; preps[j] && !qt_word_is(s, a, e, preps[j]); j++) {}
  if ((!preps[j] && !name_possessive(s, a, e)) ||
      !title_case(ps->b->v, s, qs, qe))
    return 0;
  for (k = qs; k < qe; k++)
    if ((k == qs || s[k - 1] == ' ') && qt_is_upper_at(s, qe, k)) caps++;
  return caps >= 2;
}

/*
 * Is the quoted span [qs, qe) (opening mark at ms, closing mark ml bytes)
 * the title of a work or a name rather than words anybody said: "a
 * report titled "..."" (the report may speak later as "the report"),
 * "known as "..."", "the group "Glass Heron""?
 */
static int names_a_thing(const pscan *ps, size_t qs, size_t qe, size_t ms,
                         size_t ml, int words) {
  const vocab *v = ps->b->v;
  const char *s = ps->b->s;
  size_t from = ps->from, tw, ka, ke = ms;
  registry *r = ps->r;
  if (*ps->carry) return 0;
  if (words >= 2 && words <= 6 && title_after_preposition(ps, qs, qe, ms))
    return 1;
  if (qt_prev_word_in(v, s, from, ms, V_TITLE, &tw) && words < 25) {
    size_t na, ne = tw;
    while (ne > from && s[ne - 1] == ' ') ne--;
    na = ne;
    while (na > from && qt_is_word_byte((unsigned char)s[na - 1])) na--;
    if (na < ne && (qt_vmask(v, s, na, ne) & V_ORG)) {
      int rk = qt_add_person(r, s, qs, qe - qs, NULL, 0, 1);
      if (rk >= 0 && ne - na < sizeof r->p[rk].noun) {
        qt_reg_set_noun(r, rk, s + na, ne - na);
        qt_reg_set_last(r, rk, qs);
      }
    }
    return 1;
  }
  /* "known as "..."": a name; "described ... as "...": a phrase */
  while (ke > from && s[ke - 1] == ' ') ke--;
  ka = ke;
  while (ka > from && qt_is_word_byte((unsigned char)s[ka - 1])) ka--;
  if (qt_word_is(s, ka, ke, "as") && ka > from + 1 && words < 25) {
    size_t pa = ka - 1, pe;
    while (pa > from && s[pa - 1] == ' ') pa--;
    pe = pa;
    while (pa > from && qt_is_word_byte((unsigned char)s[pa - 1])) pa--;
    if (qt_word_is(s, pa, pe, "known")) return 1;
  }
  return words <= 6 && qt_is_upper_at(s, qe, qs) &&
         (qt_prev_word_in(v, s, from, ms, V_NAMING, &tw) ||
          (ms > from + 1 && s[ms - 1] == ' ' && s[ms - 2] == ',' &&
           qt_prev_word_in(v, s, from, ms - 2, V_NAMING, &tw)) ||
          /* a capitalised title opening a sentence: "In "The Film", ..." */
          (qe + ml < ps->to && (s[qe + ml] == ',' || s[qe - 1] == ',') &&
           qt_prev_word_in(v, s, from, ms, V_NAMING | V_TITLE, &tw)));
}

/* "X called the US a "..."", "In Arvenstad, the spokesman, Tomas Varga,
 * called the expulsions "..."": a speaker followed by a labelling or
 * speech verb before a phrase at qs (sentence from ss). In a sentence
 * that runs on for pages the speaker is looked for in the last
 * PHRASE_SPAN bytes: the text before a quote is read once, not once per
 * quote. */
static void phrase_speaker(const body_t *b, registry *r, qbuild *q,
                           size_t ss, size_t qs) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t w = ss;
  speaker_ref sp;
  if (qs - ss > PHRASE_SPAN) {
    w = qs - PHRASE_SPAN;
    while (w < qs && s[w - 1] != ' ') w++;
  }
  while (w < qs) {
    size_t we = qt_word_end(s, qs, w);
    if (we == w) { w++; continue; }
    if ((w == ss || s[w - 1] == ' ') && qt_read_speaker(b, r, w, qs, qs, &sp)) {
      size_t vs = qt_skip_space(s, qs, qt_skip_apposition(s, qs, sp.end));
      size_t ve = qt_word_end(s, qs, vs);
      if (ve > vs && (qt_vmask(v, s, vs, ve) & (V_LABEL | V_SPEECH))) {
        qt_credit(q, r, &sp, s + vs, ve - vs, "phrase-verb");
        return;
      }
      w = sp.end > w ? sp.end : we;
      continue;
    }
    w = we;
  }
}

/* Does a speech verb (and "that", a comma or a colon) stand right before
 * the opening mark at ms ("adding that "..."", "saying, "...")? */
static int verb_before_mark(const pscan *ps, size_t ms) {
  const vocab *v = ps->b->v;
  const char *s = ps->b->s;
  size_t a, e = ms;
  while (e > ps->from && (s[e - 1] == ' ' || s[e - 1] == ',' ||
                          s[e - 1] == ':'))
    e--;
  a = e;
  while (a > ps->from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  if (qt_word_is(s, a, e, "that")) {
    e = a;
    while (e > ps->from && s[e - 1] == ' ') e--;
    a = e;
    while (a > ps->from && qt_is_word_byte((unsigned char)s[a - 1])) a--;
  }
  return a < e && (qt_vmask(v, s, a, e) & V_SPEECH);
}

/* ""...," said Kim Ray, adding that "..."": the speaker of the quote
 * before, in the same sentence. */
static int same_sentence_speaker(pscan *ps, qbuild *q, size_t ms) {
  const char *s = ps->b->s;
  const qbuild *p;
  size_t k;
  if (q == ps->ql->q || q != &ps->ql->q[ps->ql->n - 1]) return 0;
  p = q - 1;
  if (p->para != ps->pi || (p->speaker < 0 && p->speaker_text == NULL))
    return 0;
  for (k = p->seg[p->nseg - 1][1] + 1; k + 1 < ms; k++)
    if ((s[k] == '.' || s[k] == '?' || s[k] == '!') && s[k + 1] == ' ') {
      /* not after "Rep.", "Gov.", an initial */
      size_t a = k;
      while (a > 0 && qt_is_word_byte((unsigned char)s[a - 1])) a--;
      if (!(s[k] == '.' && k - a <= 4 && qt_is_upper_at(s, k, a))) return 0;
    }
  q->speaker = p->speaker;
  q->speaker_text = p->speaker_text;
  q->speaker_text_len = p->speaker_text_len;
  q->skind = p->skind;
  q->rule = "same-sentence";
  return 1;
}

/* The cues of quote q at [qs, qe) (opening mark at ms, text after the
 * closing mark at after), most precise first; the end of a cue clause
 * after the quote (> 1), 1 for a cue found elsewhere, 0 for none. */
static size_t find_cue(pscan *ps, qbuild *q, size_t qs, size_t ms,
                       size_t after, int at_start, int ends_sentence,
                       int ends_comma) {
  const body_t *b = ps->b;
  registry *r = ps->r;
  size_t ce = 0;
#define UNCREDITED (q->speaker < 0 && q->speaker_text == NULL)
  if (han_context(b->s, ps->from, ps->to, ms, after) &&
      qt_cue_han(b, r, ps->from, ps->to, ms, after, q))
    return 1;
  /* a quote inside its sentence goes to the speaker before it when there
   * is one ("X said on Monday that "...""); one opening the sentence to
   * the cue after it */
  /* a quote that ends on a comma hands the sentence over to its own
   * reporting clause (""...," DeSantis said"), whoever spoke before it */
  if (!at_start && UNCREDITED && ends_comma)
    ce = qt_cue_after_named(b, r, after, ps->to, qs, q);
  if (ce == 0 && !at_start && UNCREDITED &&
      qt_cue_before(b, r, ps->from, ms, q))
    ce = 1;
  /* ", adding that "..."", "saying "..."": the sentence's subject, before
   * any cue of the next sentence */
  if (ce == 0 && !at_start && UNCREDITED && verb_before_mark(ps, ms) &&
      (same_sentence_speaker(ps, q, ms) ||
       qt_cue_subject(b, r, ps->from, ms, q)))
    ce = 1;
  if (ce == 0 && UNCREDITED)
    ce = qt_cue_after(b, r, after, ps->to, qs, !ends_sentence || ends_comma,
                      q);
  if (ce == 0 && at_start && UNCREDITED && qt_cue_before(b, r, ps->from, ms, q))
    ce = 1;
  if (ce == 0 && ms == ps->from && UNCREDITED && qt_colon_intro(b, r, ps->pi, q))
    ce = 1;
  if (ce == 0 && !at_start && UNCREDITED &&
      qt_cue_subject(b, r, ps->from, ms, q))
    ce = 1;
#undef UNCREDITED
  return ce;
}

/* Classify and attribute quote q just closed; 0 when it was dropped (a
 * title), 1 when kept. */
static int attribute(pscan *ps, qbuild *q, size_t qs, size_t qe, size_t ms,
                     size_t after, int words) {
  const body_t *b = ps->b;
  const char *s = b->s;
  size_t ss = qt_sentence_start(s, ps->from, ms, b->memo), ce, ml;
  int at_start = ss == ms;
  int ends_sentence = sentence_punct(s, qs, qe);
  ce = find_cue(ps, q, qs, ms, after, at_start, ends_sentence,
                qe > qs && s[qe - 1] == ',');
  /* a sentence's subject is no cue strong enough to make a title quoted
   * words ("Fiorina appeared on "Saturday Night Live"") */
  if (ce == 1 && q->rule && (strcmp(q->rule, "subject") == 0 ||
                             strcmp(q->rule, "same-sentence") == 0) &&
      !ends_sentence && words <= 8 && title_case(b->v, s, qs, qe))
    ce = 0;
  if (ce == 0 && !ends_sentence && words <= 8 && title_case(b->v, s, qs, qe)) {
    /* "The Quiet Wire", "Nightjar": a title or a name, not words anybody
     * said */
    if (q->nseg == 1 && q == &ps->ql->q[ps->ql->n - 1]) ps->ql->n--;
    return 0;
  }
  if (!ends_sentence && !at_start && (words <= 4 || (ce == 0 && words <= 12))) {
    q->kind = Q_PHRASE;                    /* a phrase inside a sentence */
    if (q->speaker < 0 && q->speaker_text == NULL)
      phrase_speaker(b, ps->r, q, ss, qs);
  } else {
    q->kind = Q_DIRECT;
  }
  if (words == 1 && !at_start && q->nseg == 1 &&
      q == &ps->ql->q[ps->ql->n - 1] &&
      ((q->speaker < 0 && q->speaker_text == NULL) ||
       (q->rule && strcmp(q->rule, "subject") == 0))) {
    /* one word set off inside the writer's sentence that no cue credits
     * to anybody (a sentence's subject with any verb is no cue: "The
     * council approved a "reform""): a term or a scare quote, the
     * writer's distance from the word, not reported speech */
    ps->ql->n--;
    return 0;
  }
  ps->prev_direct = NULL;
  ps->prev_cue_end = 0;
  if (ce > 1) {
    /* the split quote resumes right after this cue's sentence end */
    size_t k2 = ce;
    while (k2 < ps->to && s[k2] != '.' && s[k2] != ',' && k2 - ce < 80 &&
           mark_at(s, b->n, k2, &ml) == 0)
      k2++;
    if (k2 < ps->to && (s[k2] == '.' || s[k2] == ',')) k2++;
    ps->prev_direct = q;
    ps->prev_cue_end = qt_skip_space(s, ps->to, k2);
  }
  return 1;
}

/* Has the quote [qs, qe) a cue of its own right after it (""...," said
 * Kim Ray. "...," added Ana Ruiz.")? Then it is no second half of the
 * quote before. */
static int own_cue(pscan *ps, size_t qs, size_t qe, size_t ml) {
  qbuild scratch;
  memset(&scratch, 0, sizeof scratch);
  scratch.speaker = -1;
  if (!qt_cue_after(ps->b, ps->r, qe + ml, ps->to, qs, 0, &scratch))
    return 0;
  return scratch.speaker >= 0 || scratch.speaker_text != NULL;
}

/* A quote closed at [qs, qe): a title is skipped, a carried or split
 * quote gets another segment, else a new quote is attributed. */
static int close_quote(pscan *ps, size_t qs, size_t qe, size_t ms,
                       size_t ml) {
  const body_t *b = ps->b;
  const char *s = b->s;
  int words = qt_count_words(s, qs, qe);
  qbuild *q, **carry = ps->carry, *pd = ps->prev_direct;
  if (words == 0 || names_a_thing(ps, qs, qe, ms, ml, words)) return LOUPE_OK;
  /* <tweet author="@x" date="2016-06-29">: a markup attribute's value */
  if (ms > ps->from && s[ms - 1] == '=' && !*carry) return LOUPE_OK;
  if (*carry && (*carry)->nseg < MAX_SEGS) {
    q = *carry;
    q->seg[q->nseg][0] = qs;
    q->seg[q->nseg][1] = qe;
    q->nseg++;
    *carry = NULL;
  } else if (pd && ps->prev_cue_end > 0 && ms >= ps->prev_cue_end &&
             ms - ps->prev_cue_end <= 3 && pd->nseg < MAX_SEGS &&
             !own_cue(ps, qs, qe, ml)) {
    /* "...," he said. "..." : the second half of a split quote */
    pd->seg[pd->nseg][0] = qs;
    pd->seg[pd->nseg][1] = qe;
    pd->nseg++;
    ps->prev_cue_end = 0;
    return LOUPE_OK;
  } else {
    q = qt_new_quote(ps->ql);
    if (q == NULL) return LOUPE_ENOMEM;
    q->seg[0][0] = qs;
    q->seg[0][1] = qe;
    q->nseg = 1;
    q->para = ps->pi;
  }
  /* the mentions up to this quote move the people's `last`, each stretch
   * of the paragraph once */
  if (qs > ps->noted) {
    qt_note_mentions_once(b, ps->r, ps->noted, qs);
    ps->noted = qs;
  }
  attribute(ps, q, qs, qe, ms, qe + ml, words);
  return LOUPE_OK;
}

/* An open quote at the paragraph end continues in the next one. */
static int carry_open(pscan *ps, size_t open_mark, size_t open_at) {
  qbuild *q, **carry = ps->carry;
  if (*carry && (*carry)->nseg < MAX_SEGS) {
    q = *carry;
  } else {
    q = qt_new_quote(ps->ql);
    if (q == NULL) return LOUPE_ENOMEM;
    q->para = ps->pi;
    q->kind = Q_DIRECT;
  }
  q->seg[q->nseg][0] = open_at;
  q->seg[q->nseg][1] = ps->to;
  q->nseg++;
  if (q->speaker < 0 && q->speaker_text == NULL)
    /* the cue ends where the mark starts: a mark is 1 to 3 bytes
     * (" “ 「), and a speaker read up to open_at - 1 once ended inside
     * 「 (found by fuzz_parse: a name with half a character) */
    qt_cue_before(ps->b, ps->r, ps->from,
                  open_mark > ps->from ? open_mark : ps->from, q);
  *carry = q;
  return LOUPE_OK;
}

/*
 * One paragraph: find the quote spans, classify and attribute them, and
 * merge a quote split around its cue or continued into the next
 * paragraph. `carry` is an open quote from the previous paragraph.
 */
static int scan_paragraph(const body_t *b, registry *r, qlist *ql, size_t pi,
                          qbuild **carry) {
  const char *s = b->s;
  pscan ps;
  size_t i, open_at = 0, open_mark = 0;   /* the quote's text; its mark */
  int inside = 0, rc;
  memset(&ps, 0, sizeof ps);
  ps.b = b;
  ps.r = r;
  ps.ql = ql;
  ps.pi = pi;
  ps.from = ps.noted = i = b->pstart[pi];
  ps.to = b->pend[pi];
  ps.carry = carry;
  /* a quote carried from the previous paragraph continues only when this
   * one opens with a quote mark */
  if (*carry) {
    size_t ml;
    int k = mark_at(s, b->n, ps.from, &ml);
    if (!(k == 1 || k == 3)) *carry = NULL;
  }
  while (i < ps.to) {
    size_t ml;
    int k = mark_at(s, b->n, i, &ml);
    if (k == 0) { i++; continue; }
    if (k == 3) {
      /* after a digit outside a quote: an inch mark (a 15.6" screen) */
      if (!inside && i > ps.from && s[i - 1] >= '0' && s[i - 1] <= '9') {
        i += ml;
        continue;
      }
      k = straight_role(s, ps.to, i, inside);
    } else if (k == 1 && inside && ml == 3 && misturned_close(s, ps.to, i)) {
      k = 2;
    }
    if (!inside && k == 1) {
      inside = 1;
      open_mark = i;
      open_at = i + ml;
    } else if (inside && k == 2) {
      inside = 0;
      rc = close_quote(&ps, open_at, i, open_mark, ml);
      if (rc) return rc;
    }
    i += ml;
  }
  /* the rest of the paragraph's mentions: he/she in the paragraphs
   * after may point to a person named here without a quote */
  if (ps.to > ps.noted) qt_note_mentions_once(b, r, ps.noted, ps.to);
  if (inside && open_at < ps.to) return carry_open(&ps, open_mark, open_at);
  *carry = NULL;
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

/* The body lines by source line, for mapping quotes to the input. */
static int index_body_lines(const lp_text *t, src_cursor *sc, size_t **out) {
  size_t li, *bl = malloc((t->n_lines ? t->n_lines : 1) * 2 * sizeof *bl);
  if (bl == NULL) return LOUPE_ENOMEM;
  for (li = 0; li < t->n_lines; li++)
    if (t->lines[li].label == LOUPE_LINE_BODY) {
      bl[2 * sc->nbody] = t->lines[li].src_line;
      bl[2 * sc->nbody + 1] = li;
      sc->nbody++;
    }
  qsort(bl, sc->nbody, 2 * sizeof *bl, cmp_pair);
  sc->body_lines = bl;
  *out = bl;
  return LOUPE_OK;
}

static const char *const kind_names[] = {"direct", "reported", "phrase",
                                         "turn"};
static const char *const speaker_kinds[] = {"unknown", "person",
                                            "organisation", "document"};

/* The speaker, role, kind and mention of q on o. */
static int emit_speaker(const registry *r, const qbuild *q, loupe_quote *o,
                        lp_arena *arena) {
  const char *role = q->role_text;
  int sk = q->skind;
  if (q->speaker >= 0) {
    const person *p = &r->p[q->speaker];
    size_t a = p->org ? 0 : qt_name_past_titles(r->s + p->start, p->len);
    o->speaker = arena_copy(arena, r->s + p->start + a, p->len - a);
    if (o->speaker == NULL) return LOUPE_ENOMEM;
    if (p->role) role = p->role;
    if (sk == S_UNKNOWN)
      sk = !p->org ? S_PERSON
           : qt_word_is(p->noun, 0, strlen(p->noun), "report") ||
             qt_word_is(p->noun, 0, strlen(p->noun), "statement") ||
             qt_word_is(p->noun, 0, strlen(p->noun), "study") ||
             qt_word_is(p->noun, 0, strlen(p->noun), "survey") ||
             qt_word_is(p->noun, 0, strlen(p->noun), "paper")
           ? S_DOCUMENT : S_ORG;
  } else if (q->speaker_text) {
    o->speaker = arena_copy(arena, q->speaker_text, q->speaker_text_len);
    if (o->speaker == NULL) return LOUPE_ENOMEM;
  }
  if (role) {
    o->role = arena_copy(arena, role, strlen(role));
    if (o->role == NULL) return LOUPE_ENOMEM;
  }
  if (o->speaker) o->speaker_kind = speaker_kinds[sk];
  if (q->mention && q->mention_len) {
    o->mention = arena_copy(arena, q->mention, q->mention_len);
    if (o->mention == NULL) return LOUPE_ENOMEM;
  }
  o->rule = o->speaker ? q->rule : NULL;
  return LOUPE_OK;
}

/* Quote q as the article's next quote; nothing when it has no words. */
static int emit_quote(loupe_article *a, lp_text *t, const registry *r,
                      const qbuild *q, const size_t *ps, const md_view *mv,
                      src_cursor *sc, lp_buf *text, lp_arena *arena) {
  loupe_quote *o = &a->quotes[a->n_quotes];
  const char *s = mv->s ? mv->s : a->body;
  size_t boff = mv->s ? mv->map[q->seg[0][0]] : q->seg[0][0];
  size_t k;
  int sgi;
  text->len = 0;                  /* one buffer for every quote */
  for (sgi = 0; sgi < q->nseg; sgi++) {
    size_t s0 = q->seg[sgi][0], s1 = q->seg[sgi][1];
    while (s0 < s1 && (s[s0] == ' ' || s[s0] == '\n')) s0++;
    while (s1 > s0 && (s[s1 - 1] == ' ' || s[s1 - 1] == '\n')) s1--;
    if (sgi && lp_buf_append(text, " ", 1)) return LOUPE_ENOMEM;
    if (lp_buf_append(text, s + s0, s1 - s0)) return LOUPE_ENOMEM;
  }
  if (text->len == 0) return LOUPE_OK;
  {
    /* line and paragraph breaks (a turn runs over paragraphs) fold to
     * one space */
    size_t w = 0;
    for (k = 0; k < text->len; k++) {
      char c = text->p[k] == '\n' ? ' ' : text->p[k];
      if (c == ' ' && text->p[k] == '\n' && w > 0 && text->p[w - 1] == ' ')
        continue;
      text->p[w++] = c;
    }
    text->len = w;
  }
  memset(o, 0, sizeof *o);
  o->text.text = arena_copy(arena, text->p, text->len);
  o->text.len = text->len;
  if (o->text.text == NULL) return LOUPE_ENOMEM;
  o->text.rule = kind_names[q->kind];
  o->body_offset = boff;
  o->paragraph = q->para + 1;
  body_to_src(a, t, boff, q->para, ps[q->para], &o->text.offset,
              &o->text.line, sc);
  o->kind = kind_names[q->kind];
  if (q->cue_buf[0]) {
    o->cue = arena_copy(arena, q->cue_buf, strlen(q->cue_buf));
    if (o->cue == NULL) return LOUPE_ENOMEM;
  }
  if (emit_speaker(r, q, o, arena)) return LOUPE_ENOMEM;
  a->n_quotes++;
  return LOUPE_OK;
}

/* The registry's people handed to the entity finder. */
static int find_entities(loupe_article *a, const registry *r,
                         const md_view *mv, lp_arena *arena) {
  lp_named *named = malloc((r->n ? (size_t)r->n : 1) * sizeof *named);
  int j, rc;
  size_t nn = 0;
  if (named == NULL) return LOUPE_ENOMEM;
  for (j = 0; j < r->n; j++) {
    if (r->p[j].unlisted) continue;    /* a name only seen */
    named[nn].start = r->p[j].start;
    named[nn].len = r->p[j].len;
    if (mv->s) {             /* back to the body's offsets */
      size_t e = r->p[j].start + r->p[j].len;
      named[nn].start = mv->map[r->p[j].start];
      named[nn].len = e > r->p[j].start ? mv->map[e - 1] + 1 -
                                          named[nn].start : 0;
    }
    named[nn].role = r->p[j].role;
    named[nn].org = r->p[j].org;
    nn++;
  }
  rc = lp_entities(a, named, nn, arena);
  free(named);
  return rc;
}

/* Mark the bytes of every quote found so far (and its marks) in the bit
 * map in_quote: reported speech is not looked for inside them. */
static void mark_quoted(const qlist *ql, size_t n, unsigned char *in_quote) {
  size_t i;
  for (i = 0; i < ql->n; i++) {
    int sgi;
    for (sgi = 0; sgi < ql->q[i].nseg; sgi++) {
      size_t x;
      size_t a0 = ql->q[i].seg[sgi][0] > 3 ? ql->q[i].seg[sgi][0] - 3 : 0;
      size_t a1 = ql->q[i].seg[sgi][1] + 3 < n ? ql->q[i].seg[sgi][1] + 3 : n;
      if (ql->q[i].kind == Q_TURN) continue;
      for (x = a0; x < a1; x++)
        in_quote[x >> 3] = (unsigned char)(in_quote[x >> 3] | (1u << (x & 7)));
    }
  }
}

static registry *registry_new(const char *s) {
  registry *r = calloc(1, sizeof *r);   /* people are added as found */
  size_t i;
  if (r == NULL) return NULL;
  r->s = s;
  r->root = -1;
  r->org_root = malloc(N_ORG_NOUNS * sizeof *r->org_root);
  if (r->org_root == NULL) {
    free(r);
    return NULL;
  }
  for (i = 0; i < N_ORG_NOUNS; i++) r->org_root[i] = -1;
  return r;
}

static void registry_free(registry *r) {
  int j;
  if (r == NULL) return;
  for (j = 0; j < r->n; j++) free(r->p[j].role);
  free(r->p);
  free(r->keys);
  free(r->nodes);
  free(r->org_root);
  free(r);
}

/* Every finder over the body, in order; the quotes in ql. */
static int find_quotes(loupe_article *a, const lp_text *t, body_t *b,
                       registry *r, qlist *ql, unsigned char *in_quote) {
  qbuild *carry = NULL;
  size_t i, nq;
  int rc;
  qt_scan_people(b, r);
  qt_learn_gender(b, r);
  qt_reset_recency(r);
  for (i = 0; i < b->np; i++) {
    rc = scan_paragraph(b, r, ql, i, &carry);
    if (rc) return rc;
  }
  if (r->oom) return LOUPE_ENOMEM;
  qt_attribute_leftovers(b, r, ql);
  rc = qt_scan_transcript(b, r, ql, a->title.text, a->title.len, t);
  if (rc) return rc;
  mark_quoted(ql, b->n, in_quote);
  qt_reset_recency(r);
  nq = ql->n;
  rc = qt_scan_reported(b, r, ql, in_quote);
  if (rc) return rc;
  qt_after_report(b, r, ql, nq);
  rc = qt_scan_participles(b, ql);
  if (rc) return rc;
  return r->oom ? LOUPE_ENOMEM : LOUPE_OK;
}

int lp_quotes(loupe_article *a, lp_text *t, lp_arena *arena) {
  body_t b;
  registry *r = NULL;
  qlist ql = {0};
  size_t *ps = NULL, *pe = NULL, *body_lines = NULL, i, k;
  unsigned char *in_quote = NULL;
  lp_buf text = {0};
  src_cursor scur;
  sent_memo memo;
  md_view mv;
  int rc = LOUPE_ENOMEM;

  memset(&mv, 0, sizeof mv);
  memset(&scur, 0, sizeof scur);
  memset(&memo, 0, sizeof memo);
  a->quotes = NULL;
  a->n_quotes = 0;
  a->entities = NULL;
  a->n_entities = 0;
  if (a->n_paragraphs == 0 || a->body == NULL) return LOUPE_OK;
  b.mm = qt_mention_memo_new();       /* NULL: mentions scanned twice */
  b.v = qt_vocab();
  b.memo = &memo;
  b.s = a->body;
  b.n = a->body_len;
  b.np = a->n_paragraphs;
  ps = malloc(b.np * sizeof *ps);
  pe = malloc(b.np * sizeof *pe);
  if (!ps || !pe) goto out;
  for (i = 0, k = 0; i < b.np; i++) {
    ps[i] = k;
    pe[i] = k + a->paragraphs[i].len;
    k = pe[i] + 2;
  }
  b.pstart = ps;
  b.pend = pe;
  if (qt_md_view(b.s, b.n, ps, pe, b.np, &mv)) goto out;
  if (mv.s) {                  /* Markdown: read the text, not the markup */
    b.s = mv.s;
    b.n = mv.n;
    b.pstart = mv.ps;
    b.pend = mv.pe;
  }
  r = registry_new(b.s);
  in_quote = calloc(b.n / 8 + 1, 1);     /* one bit a body byte */
  if (!r || !in_quote) goto out;
  rc = find_quotes(a, t, &b, r, &ql, in_quote);
  if (rc) goto out;
  rc = LOUPE_ENOMEM;
  if (ql.n > 1) qsort(ql.q, ql.n, sizeof *ql.q, cmp_quote);
  if (ql.n && index_body_lines(t, &scur, &body_lines)) goto out;
  if (ql.n) {
    a->quotes = lp_arena_alloc(arena, ql.n * sizeof *a->quotes);
    if (a->quotes == NULL) goto out;
  }
  for (i = 0; i < ql.n; i++)
    if (emit_quote(a, t, r, &ql.q[i], ps, &mv, &scur, &text, arena))
      goto out;
  rc = find_entities(a, r, &mv, arena);
out:
  qt_mention_memo_free(b.mm);
  qt_md_view_free(&mv);
  registry_free(r);
  free(ql.q);
  free(ps);
  free(pe);
  free(in_quote);
  free(body_lines);
  lp_buf_free(&text);
  return rc;
}
