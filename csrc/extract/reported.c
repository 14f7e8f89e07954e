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

/*
 * Sentences outside quotes of the forms "..., X said[ on Friday]." and
 * "X said (that) ...", "X urged ...": the reported clause is the text,
 * the speaker from the cue.
 */
/* Is body byte k inside a quote's marks (bit k of the map)? */
#define IN_QUOTE(map, k) (((map)[(k) >> 3] >> ((k) & 7)) & 1)

int qt_scan_reported(const body_t *b, registry *r, qlist *ql,
                         const unsigned char *in_quote) {
  const vocab *v = b->v;
  const char *s = b->s;
  size_t pi;
  for (pi = 0; pi < b->np; pi++) {
    size_t from = b->pstart[pi], to = b->pend[pi], ss = from;
    while (ss < to) {
      size_t se = ss, k, cs = 0, ce = 0;
      int quoted = 0, found = 0;
      speaker_ref sp;
      qbuild tmp;
      /* sentence end: ". " followed by an upper-case letter or the end */
      while (se < to) {
        if (s[se] != '.' && s[se] != '!' && s[se] != '?') {
          /* to the next candidate without the checks below */
          do se++; while (se < to && s[se] != '.' && s[se] != '!' &&
                          s[se] != '?');
          continue;
        }
        /* a sentence closed inside quote marks ends after them */
        if ((s[se] == '.' || s[se] == '!' || s[se] == '?') && se + 2 < to &&
            (s[se + 1] == '"' || (se + 4 < to && (unsigned char)s[se + 1] == 0xE2 &&
                                  (unsigned char)s[se + 3] == 0x9D)) ) {
          size_t after = se + (s[se + 1] == '"' ? 2 : 4);
          if (after < to && s[after] == ' ' && after + 1 < to &&
              qt_is_upper_at(s, to, after + 1)) {
            se = after;
            break;
          }
        }
        if ((s[se] == '.' || s[se] == '!' || s[se] == '?') &&
            (se + 1 >= to || (s[se + 1] == ' ' && se + 2 < to &&
                              (qt_is_upper_at(s, to, se + 2) || s[se + 2] == '"' ||
                               (unsigned char)s[se + 2] == 0xE2)))) {
          /* not after an initial or a common abbreviation */
          size_t ws = se;
          while (ws > ss && qt_is_word_byte((unsigned char)s[ws - 1])) ws--;
          if (!(se - ws == 1 && qt_is_upper_at(s, to, ws)) &&
              !(se - ws <= 3 && (qt_word_is(s, ws, se, "Mr") ||
                                 qt_word_is(s, ws, se, "Ms") ||
                                 qt_word_is(s, ws, se, "Mrs") ||
                                 qt_word_is(s, ws, se, "Dr") ||
                                 qt_word_is(s, ws, se, "St") ||
                                 qt_word_is(s, ws, se, "Jan") ||
                                 qt_word_is(s, ws, se, "Feb") ||
                                 qt_word_is(s, ws, se, "Aug") ||
                                 qt_word_is(s, ws, se, "Sept") ||
                                 qt_word_is(s, ws, se, "Oct") ||
                                 qt_word_is(s, ws, se, "Nov") ||
                                 qt_word_is(s, ws, se, "Dec"))))
            break;
        }
        se++;
      }
      if (!quoted) {
        /* most sentences have no reporting verb at all: look once */
        size_t w = ss;
        int has_verb = 0;
        while (w < se && !has_verb) {
          size_t we;
          while (w < se && !qt_is_word_byte((unsigned char)s[w])) w++;
          we = w;
          while (we < se && qt_is_word_byte((unsigned char)s[we])) we++;
          if (we > w && s[w] >= 'a' && s[w] <= 'z' &&
              qt_may_be_on(v->fl_report, s, w, we) &&
              (qt_vmask(v, s, w, we) & V_REPORT))
            has_verb = 1;
          w = we;
        }
        if (!has_verb) quoted = 1;       /* nothing to report here */
      }
      qt_note_mentions(v, r, s, ss, se);
      if (!quoted && se > ss) {
        /* C: "According to X, content." */
        size_t e0 = qt_word_end(s, se, ss);
        if (qt_word_is(s, ss, e0, "according")) {
          size_t t = qt_skip_space(s, se, e0), te = qt_word_end(s, se, t);
          if (qt_word_is(s, t, te, "to") &&
              qt_read_speaker(b, r, qt_skip_space(s, se, te), se, ss, &sp) &&
              sp.end < se && s[sp.end] == ',') {
            memset(&tmp, 0, sizeof tmp);
            qt_credit(&tmp, r, &sp, "according to", 12, "according-to");
            cs = qt_skip_space(s, se, sp.end + 1);
            ce = se;
            found = 1;
          }
        }
      }
      if (!quoted && se > ss && !found) {
        /* A: "content, X said[ ...]." : the last ", " before a cue */
        size_t c = se;
        while (c > ss + 10 && !found) {
          c--;
          if (s[c] != ',' || c + 2 >= se) continue;
          memset(&tmp, 0, sizeof tmp);
          tmp.speaker = -1;
          if (qt_read_speaker(b, r, c + 2, se, c, &sp)) {
            size_t vs = qt_skip_space(s, se, qt_skip_apposition(s, se, sp.end));
            size_t ve = qt_word_end(s, se, vs);
            if (ve > vs && (qt_vmask(v, s, vs, ve) & V_REPORT)) {
              size_t after = qt_skip_space(s, se, ve);
              /* the cue ends the sentence or runs into ", adding/noting" */
              size_t nx = qt_word_end(s, se, after);
              if (after >= se || s[ve] == ',' || s[ve] == '.' ||
                  qt_word_is(s, after, nx, "on") || qt_word_is(s, after, nx, "in") ||
                  qt_word_is(s, after, nx, "at") || qt_word_is(s, after, nx, "during") ||
                  qt_word_is(s, after, nx, "after") ||
                  qt_word_is(s, after, nx, "yesterday") ||
                  qt_word_is(s, after, nx, "today") ||
                  qt_word_is(s, after, nx, "late") ||
                  qt_word_is(s, after, nx, "earlier")) {
                cs = ss;
                ce = c;
                found = 1;
                qt_credit(&tmp, r, &sp, s + vs, ve - vs, "reported");
              }
            }
          }
        }
        /* B: "X said (that) content" anywhere after a clause start */
        if (!found) {
          size_t w = ss;
          while (w < se && !found) {
            size_t we = qt_word_end(s, se, w);
            if (we == w) { w++; continue; }
            if (w > ss + 4 && s[w - 1] == ' ' &&
                (qt_vmask(v, s, w, we) & V_REPORT) &&
                qt_prev_word_in(v, s, ss, w, V_CONJ, NULL)) {
              /* "Dunai called ... and said that ...": the sentence's
               * subject said it */
              speaker_ref s0;
              if (qt_read_speaker(b, r, ss, se, ss, &s0) && s0.end < w) {
                size_t k2 = qt_skip_space(s, se, we), ke2 = qt_word_end(s, se, k2);
                memset(&tmp, 0, sizeof tmp);
                qt_credit(&tmp, r, &s0, s + w, we - w, "reported");
                if (qt_word_is(s, k2, ke2, "that")) k2 = qt_skip_space(s, se, ke2);
                if (qt_count_words(s, k2, se) >= 4) {
                  cs = k2;
                  ce = se;
                  found = 1;
                  break;
                }
              }
            }
            if (w == ss || s[w - 1] == ' ') {
              size_t pw;
              int boundary = w == ss || (w >= 2 && s[w - 2] == ',') ||
                             qt_prev_word_in(v, s, ss, w, V_CONJ, &pw);
              if (boundary && qt_read_speaker(b, r, w, se, w, &sp)) {
                size_t vs = qt_skip_space(s, se, qt_skip_apposition(s, se, sp.end));
                size_t ve = qt_word_end(s, se, vs);
                if (ve > vs && (qt_vmask(v, s, vs, ve) & V_REPORT)) {
                  size_t k2 = qt_skip_space(s, se, ve);
                  int hops = 0;
                  memset(&tmp, 0, sizeof tmp);
                  qt_credit(&tmp, r, &sp, s + vs, ve - vs, "reported");
                  if (qt_word_is(s, vs, ve, "urged") || qt_word_is(s, vs, ve, "told") ||
                      qt_word_is(s, vs, ve, "warned") ||
                      qt_word_is(s, vs, ve, "pledged") ||
                      qt_word_is(s, vs, ve, "vowed") ||
                      qt_word_is(s, vs, ve, "demanded")) {
                    /* the object is the content: "urged the US to ..." */
                    if (qt_word_is(s, vs, ve, "told")) {
                      /* "told reporters (that)" */
                      size_t oe = qt_word_end(s, se, k2);
                      k2 = qt_skip_space(s, se, oe);
                    }
                  } else {
                    /* skip a short time/place phrase before "that" */
                    size_t t = k2;
                    while (t < se && hops < 7) {
                      size_t te = qt_word_end(s, se, t);
                      if (te == t) break;
                      if (qt_word_is(s, t, te, "that")) {
                        k2 = qt_skip_space(s, se, te);
                        break;
                      }
                      t = qt_skip_space(s, se, te + (te < se && s[te] == ',' ? 1 : 0));
                      hops++;
                    }
                    if (hops >= 7 || t >= se) {
                      /* no "that": the content must follow directly */
                      if (k2 < se && s[ve] == ',') k2 = qt_skip_space(s, se, ve + 1);
                    }
                  }
                  if (k2 + 10 < se && qt_count_words(s, k2, se) >= 4) {
                    cs = k2;
                    ce = se;
                    found = 1;
                  }
                }
              }
            }
            w = we;
          }
        }
        /* the reported words must not be inside quote marks */
        if (found)
          for (k = cs; k < ce && k < to; k++)
            if (IN_QUOTE(in_quote, k)) { found = 0; break; }
        if (found) {
          qbuild *q;
          size_t a = cs, e = ce;
          /* a dateline can run past the clause ("ORSA (Agency, he
           * said.) - ..."): then nothing is left of it */
          if (a == from) a = skip_dateline(s, to, a);
          while (e > a && (s[e - 1] == ' ' || s[e - 1] == ',' || s[e - 1] == '.'))
            e--;
          if (e > a) {
            q = qt_new_quote(ql);
            if (q == NULL) return LOUPE_ENOMEM;
            *q = tmp;
            q->seg[0][0] = a;
            q->seg[0][1] = e;
            q->nseg = 1;
            q->kind = 1;
            q->para = pi;
          }
        }
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
