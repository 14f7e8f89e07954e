/*
 * transcript.c - the turns of a transcript: paragraphs opened by a label
 * ("Q:", "A:", "Reuters:", "MS. PSAKI:", "Zhao Lijian:", 问：, 答：, 记者：,
 * 赵立坚：) become quotes of kind "turn" that run to the next label. The
 * answers ("A:", 答：) go to the host of the page: the person the title
 * (or an opening line) names after a role such as "Spokesperson"
 * (外交部发言人X); questions ("Q:", 问：) to nobody, with the role
 * "journalist"; a named label to that name, the host when it names him.
 */
#include <stdlib.h>
#include <string.h>
#include "quotes.h"
#include "dates.h"

/* Longest label read, in bytes ("Associated Press of Pakistan"). */
#define LABEL_MAX 48

enum { T_NONE, T_QUESTION, T_ANSWER, T_NAME, T_FOLLOW };

typedef struct {
  int type;
  size_t a, len;     /* the label's name (T_NAME) in the body */
  size_t text;       /* where the turn's words start */
} turn_label;

/* The byte length of the UTF-8 colon at i (":" or "："), 0 for none. */
static size_t colon_at(const char *s, size_t n, size_t i) {
  if (s[i] == ':') return 1;
  if (i + 2 < n && (unsigned char)s[i] == 0xEF &&
      (unsigned char)s[i + 1] == 0xBC && (unsigned char)s[i + 2] == 0x9A)
    return 3;
  return 0;
}

static int bytes_are(const char *s, size_t n, size_t i, const char *w) {
  size_t m = strlen(w);
  return i + m <= n && memcmp(s + i, w, m) == 0;
}

/* A Latin label: capitalised words (and of/and/the/for between them),
 * periods and hyphens inside, at most 6 words. Its byte length, 0 when
 * the text before the colon is no label. */
static size_t latin_label(const char *s, size_t lim, size_t i) {
  size_t k = i;
  int words = 0;
  while (k < lim && words < 6) {
    size_t e = qt_word_end(s, lim, k);
    if (e == k) return 0;
    if (!qt_is_upper_at(s, lim, k) && !qt_word_is(s, k, e, "of") &&
        !qt_word_is(s, k, e, "and") && !qt_word_is(s, k, e, "the") &&
        !qt_word_is(s, k, e, "for") && !qt_word_is(s, k, e, "up"))
      return 0;
    words++;
    if (e < lim && s[e] == '.') e++;
    if (e < lim && colon_at(s, lim, e)) return e - i;
    if (e >= lim || s[e] != ' ') return 0;
    k = e + 1;
  }
  return 0;
}

/* The type of a Han label of m bytes at s: 问 and "...问" (有记者问) ask,
 * "...记者" (an outlet's reporter) asks, 追问 follows up, 答 answers;
 * other names of two characters or more speak as themselves. */
static int han_label_type(const char *s, size_t m) {
  if (m == 6 && memcmp(s, "\xE8\xBF\xBD\xE9\x97\xAE", 6) == 0)
    return T_FOLLOW;                                       /* 追问 */
  if (memcmp(s + m - 3, "\xE9\x97\xAE", 3) == 0) return T_QUESTION;  /* 问 */
  if (m >= 6 && memcmp(s + m - 6, "\xE8\xAE\xB0\xE8\x80\x85", 6) == 0)
    return T_QUESTION;                                     /* 记者 */
  if (m == 3 && memcmp(s, "\xE7\xAD\x94", 3) == 0) return T_ANSWER;  /* 答 */
  return m >= 6 ? T_NAME : T_NONE;
}

/* Is the text [i, to) a headline: four words or more, every word of four
 * letters or more capitalised ("Senator Says Fees Will Rise")? A label
 * before a headline ("Related: ...", "Ana Ruiz: Fees Will Rise") lists a
 * story, nobody's turn. */
static int headline_text(const char *s, size_t i, size_t to) {
  int words = 0;
  while (i < to) {
    size_t e = qt_word_end(s, to, i);
    if (e == i) { i++; continue; }
    if (!qt_is_upper_at(s, to, i) && e - i >= 4) return 0;
    words++;
    i = e;
  }
  return words >= 4;
}

/* The label opening the paragraph [from, to), type T_NONE when none. */
static turn_label read_label(const char *s, size_t from, size_t to) {
  turn_label t = {T_NONE, 0, 0, 0};
  size_t lim, k, m = 0, c;
  /* past an indent of ideographic or no-break spaces */
  while (from + 3 <= to && (((unsigned char)s[from] == 0xE3 &&
                             (unsigned char)s[from + 1] == 0x80 &&
                             (unsigned char)s[from + 2] == 0x80)))
    from += 3;
  while (from + 2 <= to && (unsigned char)s[from] == 0xC2 &&
         (unsigned char)s[from + 1] == 0xA0)
    from += 2;
  while (from < to && s[from] == ' ') from++;
  lim = to - from > LABEL_MAX ? from + LABEL_MAX : to;
  if (from + 2 >= to) return t;
  if (qt_han_at(s, to, from)) {
    for (k = from; k < to && qt_han_at(s, to, k) && k - from < 30; k += 3) {}
    c = k < to ? colon_at(s, to, k) : 0;
    if (c == 0 || k == from) return t;
    m = k - from;
    t.type = han_label_type(s + from, m);
  } else {
    m = latin_label(s, lim, from);
    if (m == 0) return t;
    c = colon_at(s, to, from + m);
    if (m == 1 && s[from] == 'Q') t.type = T_QUESTION;
    else if (m == 1 && s[from] == 'A') t.type = T_ANSWER;
    else if (qt_word_is(s, from, from + m, "Journalist") ||
             qt_word_is(s, from, from + m, "Reporter") ||
             qt_word_is(s, from, from + m, "Question"))
      t.type = T_QUESTION;
    else if (qt_word_is(s, from, from + m, "Answer")) t.type = T_ANSWER;
    else if (qt_word_is(s, from, from + m, "Follow-up")) t.type = T_FOLLOW;
    else if (m >= 2) t.type = T_NAME;
  }
  if (t.type == T_NONE) return t;
  t.a = from;
  t.len = m;
  t.text = qt_skip_space(s, to, from + m + c);
  /* a name whose words open with a date ("Published: 14 May 2024",
   * "Updated: 2024-05-14") is a page field giving its value, not a turn */
  if (t.type == T_NAME && t.text < to) {
    lp_date d;
    size_t end = to - t.text > 40 ? t.text + 40 : to;
    if (lp_date_find(s, end, t.text, &d) && d.start == t.text)
      t.type = T_NONE;
  }
  if (t.text >= to || (t.type == T_NAME && headline_text(s, t.text, to)))
    t.type = T_NONE;
  return t;
}

/* Chinese name after 发言人 ("spokesperson") at i: 2-4 Han characters,
 * cut before the verb that follows (主持 hosts, 答 answers, 就 on, 在 at,
 * 表示 said, 宣布 announced, 介绍 briefed, 回答 replied). */
static size_t han_name_after(const char *s, size_t n, size_t i) {
  static const char stops[] = "主答就在表宣介回的对被";
  size_t k = i;
  int chars = 0;
  /* a name starts with a family name ("发言人表态" names nobody) */
  if (!qt_han_at(s, n, i) || !qt_han_surname(s + i)) return 0;
  while (k < n && qt_han_at(s, n, k) && chars < 4) {
    if (chars >= 2 && qt_han_in(s, k, stops)) return k - i;
    k += 3;
    chars++;
  }
  return chars >= 2 ? k - i : 0;
}

/* A name of 2-4 capitalised words at k, ending at a possessive ("Geng
 * Shuang's Regular Press Conference": "Geng Shuang"). */
static int host_name(const vocab *v, const char *s, size_t n, size_t k,
                     size_t *a, size_t *len) {
  size_t i = k, last = k;
  int w = 0;
  while (i < n && w < 4 && qt_is_upper_at(s, n, i)) {
    size_t e = qt_word_end(s, n, i), al = 0;
    if (e == i || (w == 0 && (qt_vmask(v, s, i, e) & V_NOTNAME))) break;
    if (e - i > 2 && s[e - 1] == 's' && s[e - 2] == '\'') al = 2;
    else if (e - i > 4 && s[e - 1] == 's' && (unsigned char)s[e - 2] == 0x99)
      al = 4;
    w++;
    last = e - al;
    if (al || e >= n || s[e] != ' ') break;
    i = e + 1;
  }
  if (w < 2) return 0;
  *a = k;
  *len = last - k;
  return 1;
}

/* The host named in s[0, n): "Spokesperson Geng Shuang's", "Press
 * Secretary Dana Vale", 发言人耿爽. Sets the name span; 0 when none. */
static int find_host(const vocab *v, const char *s, size_t n, size_t *a,
                     size_t *len) {
  size_t i;
  for (i = 0; i + 9 < n; i++)
    if (bytes_are(s, n, i, "\xE5\x8F\x91\xE8\xA8\x80\xE4\xBA\xBA")) {
      size_t m = han_name_after(s, n, i + 9);          /* 发言人 */
      if (m) { *a = i + 9; *len = m; return 1; }
    }
  i = 0;
  while (i < n) {
    size_t e;
    if (!qt_is_word_byte((unsigned char)s[i])) { i++; continue; }
    e = qt_word_end(s, n, i);
    if (e == i) { i++; continue; }
    if (e < n && s[e] == ' ' && qt_is_role_noun(v, s, i, e) &&
        (lp_starts_ci(s + i, e - i, "spokes") ||
         qt_word_is(s, i, e, "secretary") || qt_word_is(s, i, e, "briefer")) &&
        host_name(v, s, n, e + 1, a, len))
      return 1;
    i = e;
  }
  return 0;
}

/* Does the label s[a, a+len) name the host h[0, hl): the whole name, or
 * after a title ("MS. HUA", "Mr Geng") one word of it? */
static int label_is_host(const char *s, size_t a, size_t len, const char *h,
                         size_t hl) {
  size_t k = 0;
  if (h == NULL || len == 0) return 0;
  if (len == hl && lp_eq_ascii_ci(s + a, h, len)) return 1;
  while (k < len && s[a + k] != ' ') k++;
  if (k < len && (s[a + k - 1] == '.' || qt_word_is(s, a, a + k, "Mr") ||
                  qt_word_is(s, a, a + k, "Ms") ||
                  qt_word_is(s, a, a + k, "Mrs"))) {
    a += k + 1;
    len -= k + 1;
  }
  for (k = 0; k < hl;) {
    size_t e = k;
    while (e < hl && h[e] != ' ') e++;
    if (e - k == len && lp_eq_ascii_ci(s + a, h + k, len)) return 1;
    k = e + 1;
  }
  return 0;
}

/* Labels of the paragraphs; 1 when they make a transcript: three or more
 * turns under two labels or more, or a question and an answer. */
static int read_labels(const body_t *b, turn_label *lab) {
  size_t pi, first = 0;
  int turns = 0, distinct = 0, q = 0, ans = 0;
  for (pi = 0; pi < b->np; pi++) {
    lab[pi] = read_label(b->s, b->pstart[pi], b->pend[pi]);
    if (lab[pi].type == T_NONE) continue;
    turns++;
    if (lab[pi].type == T_QUESTION) q++;
    if (lab[pi].type == T_ANSWER) ans++;
    if (turns == 1) {
      first = pi;
      distinct = 1;
    } else if (distinct == 1 && (lab[pi].len != lab[first].len ||
                                 memcmp(b->s + lab[pi].a, b->s + lab[first].a,
                                        lab[pi].len) != 0)) {
      distinct = 2;
    }
  }
  return (q > 0 && ans > 0) || (turns >= 3 && distinct >= 2);
}

/* Who speaks the turn under label t: the host, the label's name, or
 * (questions) nobody. */
static void turn_speaker(const body_t *b, registry *r, const turn_label *t,
                         const char *host, size_t hl, const qbuild *last_q,
                         qbuild *q) {
  const char *s = b->s;
  q->mention = s + t->a;
  q->mention_len = t->len;
  if (t->type == T_QUESTION || (t->type == T_FOLLOW && last_q == NULL)) {
    q->role_text = "journalist";
    q->rule = "transcript:question";
    /* 路透社记者：: the reporter of an outlet asks for it */
    if (t->len > 6 && qt_han_at(s, t->a + t->len, t->a) &&
        memcmp(s + t->a + t->len - 6, "\xE8\xAE\xB0\xE8\x80\x85", 6) == 0) {
      q->speaker_text = s + t->a;
      q->speaker_text_len = t->len - 6;
      q->skind = S_ORG;
    }
    return;
  }
  if (t->type == T_FOLLOW) {
    q->speaker_text = last_q->speaker_text;
    q->speaker_text_len = last_q->speaker_text_len;
    q->skind = last_q->skind;
    q->role_text = last_q->role_text;
    q->rule = "transcript:follow-up";
    return;
  }
  if (t->type == T_ANSWER ||
      label_is_host(s, t->a, t->len, host, hl)) {
    if (host == NULL) { q->rule = "transcript:answer"; return; }
    q->speaker_text = host;
    q->speaker_text_len = hl;
    q->skind = S_PERSON;
    q->rule = "transcript:host";
    return;
  }
  {
    int k = qt_find_partial(r, s, t->a, t->len);
    q->speaker_text = s + t->a;
    q->speaker_text_len = t->len;
    q->skind = k >= 0 && !r->p[k].org ? S_PERSON : S_UNKNOWN;
    q->rule = "transcript:label";
  }
}

/* The host named in the lines just before the body (a headline the
 * title missed) or in the first three paragraphs; NULL when none. */
static const char *lead_host(const body_t *b, const lp_text *lt, size_t *hl) {
  size_t li, first = 0, pi, ha;
  if (lt) {
    while (first < lt->n_lines && lt->lines[first].label != LOUPE_LINE_BODY)
      first++;
    for (li = first; li > 0 && first - li < 12; li--) {
      const lp_line *l = &lt->lines[li - 1];
      if (l->len < 300 &&
          find_host(b->v, lt->text + l->start, l->len, &ha, hl))
        return lt->text + l->start + ha;
    }
  }
  for (pi = 0; pi < b->np && pi < 3; pi++)
    if (find_host(b->v, b->s + b->pstart[pi], b->pend[pi] - b->pstart[pi],
                  &ha, hl))
      return b->s + b->pstart[pi] + ha;
  return NULL;
}

/*
 * The turns of a transcript body as quotes of kind Q_TURN, each from its
 * label to the end of the last paragraph before the next label. The host
 * is looked for in the title, then in the first three paragraphs.
 */
int qt_scan_transcript(const body_t *b, registry *r, qlist *ql,
                       const char *title, size_t title_len,
                       const lp_text *lt) {
  turn_label *lab;
  const char *host = NULL;
  size_t hl = 0, ha, pi, qi = 0;
  int have_q = 0;
  if (b->np < 2) return LOUPE_OK;
  lab = malloc(b->np * sizeof *lab);
  if (lab == NULL) return LOUPE_ENOMEM;
  if (!read_labels(b, lab)) {
    free(lab);
    return LOUPE_OK;
  }
  if (title && find_host(b->v, title, title_len, &ha, &hl)) {
    host = title + ha;
  } else {
    host = lead_host(b, lt, &hl);
  }
  for (pi = 0; pi < b->np; pi++) {
    size_t end = pi, k;
    qbuild *q;
    if (lab[pi].type == T_NONE) continue;
    while (end + 1 < b->np && lab[end + 1].type == T_NONE) end++;
    q = qt_new_quote(ql);
    if (q == NULL) {
      free(lab);
      return LOUPE_ENOMEM;
    }
    q->kind = Q_TURN;
    q->para = pi;
    q->seg[0][0] = lab[pi].text;
    q->seg[0][1] = b->pend[end];
    q->nseg = 1;
    turn_speaker(b, r, &lab[pi], host, hl, have_q ? &ql->q[qi] : NULL, q);
    k = (size_t)(q - ql->q);
    if (lab[pi].type == T_QUESTION || lab[pi].type == T_NAME) {
      /* a named label that is no host asks: follow-ups are theirs */
      if (lab[pi].type == T_QUESTION ||
          strcmp(q->rule, "transcript:label") == 0) {
        qi = k;
        have_q = 1;
      }
    }
  }
  free(lab);
  return LOUPE_OK;
}
