/*
 * reported.c - reported speech: "..., X said.", "X said (that) ...",
 * "According to X, ..." and participles (", adding that ...").
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "quotes.h"

/* ---- reported speech ---- */

/* Past a dateline at i ("BEIJING (Sputnik) - ", "WASHINGTON, March 3
 * (Reuters) - ", "BEIJING -- "): the reported words start after it. */
static size_t skip_dateline(const char *s, size_t lim, size_t i) {
  size_t k = i, e = qt_word_end(s, lim, i);
  if (e - i < 2 || !qt_all_caps(s, i, e)) return i;
  for (k = e; k < lim && k < i + 80; k++) {
    if (s[k] == '-' && (k + 1 >= lim || s[k + 1] == ' ' || s[k + 1] == '-')) {
      while (k < lim && s[k] == '-') k++;
      return qt_skip_space(s, lim, k);
    }
    if ((unsigned char)s[k] == 0xE2 && k + 2 < lim &&
        (unsigned char)s[k + 1] == 0x80 &&
        ((unsigned char)s[k + 2] == 0x94 || (unsigned char)s[k + 2] == 0x93))
      return qt_skip_space(s, lim, k + 3);
    if (s[k] == '.' && k + 1 < lim && s[k + 1] == ' ') break;
  }
  return i;
}

/* Is body byte k inside a quote's marks (bit k of the map)? */
#define IN_QUOTE(map, k) (((map)[(k) >> 3] >> ((k) & 7)) & 1)

/* A reported clause being read: its words [cs, ce) and speaker. */
typedef struct {
  const body_t *b;
  registry *r;
  size_t ss, se;         /* the sentence */
  size_t cs, ce;
  qbuild q;
} rclause;

/* Is the word s[ws, se) an abbreviation a period does not end a sentence
 * after ("Mr.", "Sept.", an initial)? */
static int abbreviation(const char *s, size_t to, size_t ws, size_t se) {
  static const char *const abbr[] = {
    "Mr", "Ms", "Mrs", "Dr", "St", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov",
    "Dec", NULL
  };
  int k;
  if (se - ws == 1 && qt_is_upper_at(s, to, ws)) return 1;
  if (se - ws > 4) return 0;
  for (k = 0; abbr[k]; k++)
    if (qt_word_is(s, ws, se, abbr[k])) return 1;
  return 0;
}

/* The next '.', '!' and '?' of the body at or after the place last
 * asked for (n when none): sentences are read in order, so memchr reads
 * each byte once per mark. */
typedef struct {
  const char *s;
  size_t n, at[3];
} punct_next;

static void punct_init(punct_next *pn, const char *s, size_t n) {
  pn->s = s;
  pn->n = n;
  pn->at[0] = pn->at[1] = pn->at[2] = (size_t)-1;   /* not searched */
}

/* The first '.', '!' or '?' at or after p (n when none); p never goes
 * back between calls. */
static size_t punct_from(punct_next *pn, size_t p) {
  static const char marks[3] = {'.', '!', '?'};
  size_t k, best = pn->n;
  for (k = 0; k < 3; k++) {
    if (pn->at[k] == (size_t)-1 || pn->at[k] < p) {
      const char *q = p < pn->n ? memchr(pn->s + p, marks[k], pn->n - p)
                                : NULL;
      pn->at[k] = q ? (size_t)(q - pn->s) : pn->n;
    }
    if (pn->at[k] < best) best = pn->at[k];
  }
  return best;
}

/* End of the sentence starting at ss: ". " before an upper-case letter,
 * a quote mark or the paragraph end (to); a sentence closed inside quote
 * marks ends after them. */
static size_t sentence_end(const char *s, size_t ss, size_t to,
                           punct_next *pn) {
  size_t se = ss;
  while (se < to) {
    if (s[se] != '.' && s[se] != '!' && s[se] != '?') {
      se = punct_from(pn, se + 1);
      if (se > to) se = to;
      continue;
    }
    if (se + 2 < to && (s[se + 1] == '"' ||
                        (se + 4 < to && (unsigned char)s[se + 1] == 0xE2 &&
                         (unsigned char)s[se + 3] == 0x9D))) {
      size_t after = se + (s[se + 1] == '"' ? 2 : 4);
      if (after < to && s[after] == ' ' && after + 1 < to &&
          qt_is_upper_at(s, to, after + 1))
        return after;
    }
    if (se + 1 >= to || (s[se + 1] == ' ' && se + 2 < to &&
                         (qt_is_upper_at(s, to, se + 2) || s[se + 2] == '"' ||
                          (unsigned char)s[se + 2] == 0xE2))) {
      size_t ws = se;
      while (ws > ss && qt_is_word_byte((unsigned char)s[ws - 1])) ws--;
      if (!abbreviation(s, to, ws, se)) return se;
    }
    se++;
  }
  return se;
}

/* Does s[ss, se) hold a reporting verb at all? (Most sentences do not:
 * they are looked at once.) */
static int has_report_verb(const vocab *v, const char *s, size_t ss,
                           size_t se) {
  size_t w = ss;
  while (w < se) {
    size_t we;
    while (w < se && !qt_is_word_byte((unsigned char)s[w])) w++;
    we = w;
    while (we < se && qt_is_word_byte((unsigned char)s[we])) we++;
    if (we > w && s[w] >= 'a' && s[w] <= 'z' &&
        qt_may_be_on(v->fl_report, s, w, we) &&
        (qt_vmask(v, s, w, we) & V_REPORT))
      return 1;
    w = we;
  }
  return 0;
}

/* C: "According to X, content." */
static int reported_according(rclause *c) {
  const char *s = c->b->s;
  size_t ss = c->ss, se = c->se, e0 = qt_word_end(s, se, ss), t, te;
  speaker_ref sp;
  if (!qt_word_is(s, ss, e0, "according")) return 0;
  t = qt_skip_space(s, se, e0);
  te = qt_word_end(s, se, t);
  if (!qt_word_is(s, t, te, "to") ||
      !qt_read_speaker(c->b, c->r, qt_skip_space(s, se, te), se, ss, &sp) ||
      sp.end >= se || s[sp.end] != ',')
    return 0;
  memset(&c->q, 0, sizeof c->q);
  qt_credit(&c->q, c->r, &sp, "according to", 12, "according-to");
  c->cs = qt_skip_space(s, se, sp.end + 1);
  c->ce = se;
  return 1;
}

/* A: "content, X said[ on Friday]." : the last ", " before a cue that
 * ends the sentence or runs into a time or place. */
static int reported_after(rclause *c) {
  const vocab *v = c->b->v;
  const char *s = c->b->s;
  size_t ss = c->ss, se = c->se, k = se;
  speaker_ref sp;
  while (k > ss + 10) {
    size_t vs, ve, after, nx;
    k--;
    if (s[k] != ',' || k + 2 >= se) continue;
    if (!qt_read_speaker(c->b, c->r, k + 2, se, k, &sp)) continue;
    vs = qt_skip_space(s, se, qt_skip_apposition(s, se, sp.end));
    ve = qt_word_end(s, se, vs);
    if (!(ve > vs && (qt_vmask(v, s, vs, ve) & V_REPORT))) continue;
    after = qt_skip_space(s, se, ve);
    nx = qt_word_end(s, se, after);
    if (after >= se || s[ve] == ',' || s[ve] == '.' ||
        qt_word_is(s, after, nx, "on") || qt_word_is(s, after, nx, "in") ||
        qt_word_is(s, after, nx, "at") || qt_word_is(s, after, nx, "during") ||
        qt_word_is(s, after, nx, "after") ||
        qt_word_is(s, after, nx, "yesterday") ||
        qt_word_is(s, after, nx, "today") ||
        qt_word_is(s, after, nx, "late") ||
        qt_word_is(s, after, nx, "earlier")) {
      memset(&c->q, 0, sizeof c->q);
      qt_credit(&c->q, c->r, &sp, s + vs, ve - vs, "reported");
      c->cs = ss;
      c->ce = k;
      return 1;
    }
  }
  return 0;
}

/* Where the content of "X VERB ..." starts after the verb [vs, ve):
 * "urged the US to ..." (the object is the content), "told reporters
 * (that)", or past a short time or place phrase to "that". */
static size_t content_start(const char *s, size_t se, size_t vs, size_t ve) {
  size_t k2 = qt_skip_space(s, se, ve), t;
  int hops = 0;
  if (qt_word_is(s, vs, ve, "urged") || qt_word_is(s, vs, ve, "told") ||
      qt_word_is(s, vs, ve, "warned") || qt_word_is(s, vs, ve, "pledged") ||
      qt_word_is(s, vs, ve, "vowed") || qt_word_is(s, vs, ve, "demanded")) {
    if (qt_word_is(s, vs, ve, "told"))
      k2 = qt_skip_space(s, se, qt_word_end(s, se, k2));
    return k2;
  }
  for (t = k2; t < se && hops < 7; hops++) {
    size_t te = qt_word_end(s, se, t);
    if (te == t) break;
    if (qt_word_is(s, t, te, "that")) return qt_skip_space(s, se, te);
    t = qt_skip_space(s, se, te + (te < se && s[te] == ',' ? 1 : 0));
  }
  /* no "that": the content must follow directly */
  if (k2 < se && s[ve] == ',') k2 = qt_skip_space(s, se, ve + 1);
  return k2;
}

/* "Dunai called ... and said that ...": a reporting verb after a
 * conjunction at w [w, we) is the sentence subject's. */
static int reported_subject(rclause *c, size_t w, size_t we) {
  const char *s = c->b->s;
  size_t ss = c->ss, se = c->se, k2, ke2;
  speaker_ref s0;
  if (!qt_read_speaker(c->b, c->r, ss, se, ss, &s0) || s0.end >= w) return 0;
  k2 = qt_skip_space(s, se, we);
  ke2 = qt_word_end(s, se, k2);
  memset(&c->q, 0, sizeof c->q);
  qt_credit(&c->q, c->r, &s0, s + w, we - w, "reported");
  if (qt_word_is(s, k2, ke2, "that")) k2 = qt_skip_space(s, se, ke2);
  if (qt_count_words(s, k2, se) < 4) return 0;
  c->cs = k2;
  c->ce = se;
  return 1;
}

/* B: "X said (that) content" after a clause start at w. */
static int reported_at(rclause *c, size_t w) {
  const vocab *v = c->b->v;
  const char *s = c->b->s;
  size_t ss = c->ss, se = c->se, pw, vs, ve, k2;
  speaker_ref sp;
  int boundary = w == ss || (w >= 2 && s[w - 2] == ',') ||
                 qt_prev_word_in(v, s, ss, w, V_CONJ, &pw);
  if (!boundary || !qt_read_speaker(c->b, c->r, w, se, w, &sp)) return 0;
  vs = qt_skip_space(s, se, qt_skip_apposition(s, se, sp.end));
  ve = qt_word_end(s, se, vs);
  if (!(ve > vs && (qt_vmask(v, s, vs, ve) & V_REPORT))) return 0;
  memset(&c->q, 0, sizeof c->q);
  qt_credit(&c->q, c->r, &sp, s + vs, ve - vs, "reported");
  k2 = content_start(s, se, vs, ve);
  if (k2 + 10 < se && qt_count_words(s, k2, se) >= 4) {
    c->cs = k2;
    c->ce = se;
    return 1;
  }
  return 0;
}

/* Can qt_read_speaker read a speaker at the word s[w, we) (its list bits
 * m)? It reads none, and changes nothing, at a lower-case word that is
 * no pronoun, modifier, role, "the" or title: most words of a sentence,
 * skipped here before reported_at looks at the word before. */
static int may_read_speaker(const char *s, size_t lim, size_t w, size_t we,
                            unsigned m) {
  unsigned char c0 = (unsigned char)s[w] | 32;
  if (qt_is_upper_at(s, lim, w) ||
      (m & (V_HE | V_SHE | V_IT | V_MOD | V_ROLE)))
    return 1;
  if (we - w < 2 || we - w > 3 || (c0 != 't' && c0 != 'm' && c0 != 'd'))
    return 0;
  return qt_word_is(s, w, we, "the") || qt_word_is(s, w, we, "Mr") ||
         qt_word_is(s, w, we, "Ms") || qt_word_is(s, w, we, "Mrs") ||
         qt_word_is(s, w, we, "Dr");
}

/* B over the sentence: the first clause start with "X said ...". */
static int reported_before(rclause *c) {
  const vocab *v = c->b->v;
  const char *s = c->b->s;
  size_t w = c->ss, se = c->se;
  while (w < se) {
    size_t we = qt_word_end_fast(s, se, w);
    unsigned m;
    if (we == w) { w++; continue; }
    m = qt_vmask(v, s, w, we);
    if (w > c->ss + 4 && s[w - 1] == ' ' && (m & V_REPORT) &&
        qt_prev_word_in(v, s, c->ss, w, V_CONJ, NULL) &&
        reported_subject(c, w, we))
      return 1;
    if ((w == c->ss || s[w - 1] == ' ') &&
        may_read_speaker(s, se, w, we, m) && reported_at(c, w))
      return 1;
    w = we;
  }
  return 0;
}

/* The clause found as a quote of kind reported, unless it lies inside
 * quote marks or a dateline leaves nothing of it. */
static int add_clause(const rclause *c, qlist *ql, size_t pi, size_t from,
                      size_t to, const unsigned char *in_quote) {
  const char *s = c->b->s;
  size_t k, a = c->cs, e = c->ce;
  qbuild *q;
  for (k = c->cs; k < c->ce && k < to; k++)
    if (IN_QUOTE(in_quote, k)) return LOUPE_OK;
  /* a dateline can run past the clause ("ORSA (Agency, he said.) -
   * ..."): then nothing is left of it */
  if (a == from) a = skip_dateline(s, to, a);
  while (e > a && (s[e - 1] == ' ' || s[e - 1] == ',' || s[e - 1] == '.'))
    e--;
  if (e <= a) return LOUPE_OK;
  q = qt_new_quote(ql);
  if (q == NULL) return LOUPE_ENOMEM;
  *q = c->q;
  q->seg[0][0] = a;
  q->seg[0][1] = e;
  q->nseg = 1;
  q->kind = Q_REPORTED;
  q->para = pi;
  return LOUPE_OK;
}

/*
 * Sentences outside quotes of the forms "..., X said[ on Friday]." and
 * "X said (that) ...", "X urged ...", "According to X, ...": the reported
 * clause is the text, the speaker from the cue.
 */
int qt_scan_reported(const body_t *b, registry *r, qlist *ql,
                     const unsigned char *in_quote) {
  const char *s = b->s;
  size_t pi;
  rclause c;
  punct_next pn;
  c.b = b;
  c.r = r;
  punct_init(&pn, s, b->n);
  for (pi = 0; pi < b->np; pi++) {
    size_t from = b->pstart[pi], to = b->pend[pi], ss = from;
    while (ss < to) {
      size_t se = sentence_end(s, ss, to, &pn);
      int verb = se > ss && has_report_verb(b->v, s, ss, se);
      qt_note_mentions_once(b, r, ss, se);
      c.ss = ss;
      c.se = se;
      if (verb && (reported_according(&c) || reported_after(&c) ||
                   reported_before(&c))) {
        int rc = add_clause(&c, ql, pi, from, to, in_quote);
        if (rc) return rc;
      }
      ss = qt_skip_space(s, to, se + 1);
    }
  }
  return LOUPE_OK;
}

/* A quote's place for qt_scan_participles: sorted by paragraph, start and
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
int qt_scan_participles(const body_t *b, qlist *ql) {
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
      we = qt_word_end(s, to, ws);
      for (pw = 0; parts[pw]; pw++)
        if (qt_word_is(s, ws, we, parts[pw])) break;
      if (!parts[pw]) continue;
      ts = qt_skip_space(s, to, we);
      te = qt_word_end(s, to, ts);
      if (!qt_word_is(s, ts, te, "that")) continue;
      cs = qt_skip_space(s, to, te);
      ce = cs;
      while (ce < to && !((s[ce] == '.' || s[ce] == '!' || s[ce] == '?') &&
                          (ce + 1 >= to || s[ce + 1] == ' ')))
        ce++;
      if (qt_count_words(s, cs, ce) < 3) continue;
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
      q = qt_new_quote(ql);
      if (q == NULL) {
        free(all);
        free(rep);
        return LOUPE_ENOMEM;
      }
      prev = &ql->q[prev_idx];       /* the array may have moved */
      q->speaker = found_speaker;
      q->rule = "participle";
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
