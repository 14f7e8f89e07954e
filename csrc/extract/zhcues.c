/*
 * zhcues.c - who said a quote in Chinese text: the cue verb (说, 表示,
 * 指出, 强调, 称, 回答...) before the opening mark ("外交部发言人赵明表示："…"")
 * or after the closing one (""…"，她说。"), and the speaker in the clause
 * with the verb: a pronoun (他, 她), or a name of two to four Han
 * characters after a title (发言人, 部长, 议员...) or starting with a
 * common family name.
 */
#include <string.h>
#include "quotes.h"

/* Cue verbs, longest first where one ends another (回答 before 答). */
static const char *const zh_verbs[] = {
  "表示", "指出", "强调", "回答", "介绍", "宣布", "认为", "坦言", "透露",
  "补充", "告诉", "写道", "称", "说", "答", "问", "道", NULL
};

/* Titles a name follows ("发言人赵明", "市议员林晓雯"). */
static const char *const zh_titles[] = {
  "发言人", "部长", "外长", "议员", "专员", "主席", "总统", "总理", "大使",
  "官员", "教授", "记者", "主任", "经理", "总裁", "董事长", "局长", "司长",
  "市长", "省长", "书记", "秘书长", "代表", "委员", "院长", "校长", "所长",
  "专家", "学者", "研究员", "分析师", "负责人", "首相", "国务卿", NULL
};

/* Common family names (one character): a name may start with one. */
static const char zh_surnames[] =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
  "董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
  "邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤耿华"
  "傅温";

/* Characters that end a name ("赵明在记者会上表示": 在). */
static const char zh_stops[] =
  "在于对就向也还则又曾已再今昨日将均都和与及称说表指强回介宣认坦透补告写"
  "此近随当同等发的时";

/* Characters no name starts with (time words and particles: "总统此前表示"
 * names nobody after the title). */
static const char zh_bad_start[] =
  "此昨今近随当同的在于对就向也还则又曾已再将均都和与及时等前后";

int qt_han_in(const char *s, size_t i, const char *set) {
  size_t k, m = strlen(set);
  for (k = 0; k + 3 <= m; k += 3)
    if (memcmp(s + i, set + k, 3) == 0) return 1;
  return 0;
}

/* Does s[a, e) end with w? */
static int ends_with(const char *s, size_t a, size_t e, const char *w) {
  size_t m = strlen(w);
  return e - a >= m && memcmp(s + e - m, w, m) == 0;
}

/* A cue verb ending s[a, e): its start, or e when none. */
static size_t verb_before(const char *s, size_t a, size_t e) {
  int k;
  for (k = 0; zh_verbs[k]; k++)
    if (ends_with(s, a, e, zh_verbs[k])) return e - strlen(zh_verbs[k]);
  return e;
}

/* Full-width or ASCII clause punctuation at i (its byte length), 0 none. */
static size_t punct_at(const char *s, size_t n, size_t i) {
  static const char *const p[] = {
    "\xEF\xBC\x8C", "\xE3\x80\x82", "\xEF\xBC\x9B", "\xEF\xBC\x9A",
    "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xE3\x80\x81", "\xE2\x80\x9C",
    "\xE2\x80\x9D", "\xE3\x80\x8C", "\xE3\x80\x8D", NULL
  };
  int k;
  if (s[i] == ',' || s[i] == '.' || s[i] == ':' || s[i] == '\n' ||
      s[i] == '"')
    return 1;
  for (k = 0; p[k]; k++)
    if (i + 3 <= n && memcmp(s + i, p[k], 3) == 0) return 3;
  return 0;
}

/* The speaker in the clause s[a, e) before its cue verb: 他/她, or a name
 * after the last title, or a name opening the clause. */
static int zh_speaker(const body_t *b, registry *r, size_t a, size_t e,
                      size_t pos, speaker_ref *out) {
  const char *s = b->s;
  size_t na = a, k, role_end = a;
  int j, chars = 0;
  out->who = -1;
  out->text = NULL;
  out->len = 0;
  out->start = a;
  out->end = e;
  if (e - a >= 3 && (memcmp(s + a, "\xE4\xBB\x96", 3) == 0 ||   /* 他 */
                     memcmp(s + a, "\xE5\xA5\xB9", 3) == 0)) {  /* 她 */
    int g = memcmp(s + a, "\xE5\xA5\xB9", 3) == 0 ? 2 : 1;
    out->who = qt_recent_person(r, pos, g, 0, NULL, 0);
    out->end = a + 3;
    out->how = "pronoun";
    return out->who >= 0;
  }
  for (k = a; k + 3 <= e; k += 3) {
    if (!qt_han_at(s, e, k)) return 0;
    for (j = 0; zh_titles[j]; j++)
      if (ends_with(s, a, k + 3, zh_titles[j])) role_end = na = k + 3;
  }
  if (na > a && (na + 3 > e || qt_han_in(s, na, zh_bad_start))) {
    /* "特朗普总统此前表示": the name stands before its title */
    size_t ts = na, te;
    for (j = 0; zh_titles[j]; j++)
      if (ends_with(s, a, na, zh_titles[j])) ts = na - strlen(zh_titles[j]);
    te = ts;
    while (ts > a && te - ts < 12 && !qt_han_in(s, ts - 3, zh_bad_start)) ts -= 3;
    if (te - ts < 6) return 0;
    out->who = qt_add_person(r, s, ts, te - ts, s + te, na - te, 0);
    r->han = 1;
    out->start = ts;
    out->end = na;
    out->how = "name+title";
    return out->who >= 0;
  }
  if (na == a && !qt_han_in(s, a, zh_surnames)) return 0;
  if (qt_han_in(s, na, zh_bad_start)) return 0;
  for (k = na; k + 3 <= e && chars < 4; k += 3, chars++)
    if (chars >= 2 && qt_han_in(s, k, zh_stops)) break;
  if (chars < 2) return 0;
  out->who = qt_add_person(r, s, na, k - na, role_end > a ? s + a : NULL,
                           role_end - a, 0);
  r->han = 1;
  out->start = na;
  out->end = k;
  out->how = role_end > a ? "role+name" : "name";
  return out->who >= 0;
}

/* Start of the clause ending at e (after the last punctuation, not before
 * from). */
static size_t clause_start(const char *s, size_t n, size_t from, size_t e) {
  size_t k = e;
  while (k > from) {
    size_t back = k >= 3 && (unsigned char)s[k - 3] >= 0xE0 ? 3 : 1;
    if (punct_at(s, n, k - back)) break;
    k -= back;
  }
  return k;
}

/*
 * A Chinese cue for the quote opening at ms (text after the closing mark
 * at after, paragraph [from, to)): before it ("X表示：""), else after it
 * (""，X说"). 1 and q credited when found.
 */
int qt_cue_han(const body_t *b, registry *r, size_t from, size_t to,
               size_t ms, size_t after, qbuild *q) {
  const char *s = b->s;
  size_t e = ms, vs, cs, k;
  speaker_ref sp;
  /* before: "X表示：" / "X说，" */
  while (e > from && (s[e - 1] == ' ' || s[e - 1] == ':' || s[e - 1] == ',')) e--;
  if (e >= from + 3 && (ends_with(s, from, e, "\xEF\xBC\x9A") ||
                        ends_with(s, from, e, "\xEF\xBC\x8C")))
    e -= 3;
  vs = verb_before(s, from, e);
  if (vs < e) {
    cs = clause_start(s, b->n, from, vs);
    if (zh_speaker(b, r, cs, vs, ms, &sp)) {
      qt_credit(q, r, &sp, s + vs, e - vs, "cue-before");
      return 1;
    }
  }
  /* after: "，X说。" */
  k = after;
  if (k + 3 <= to && memcmp(s + k, "\xEF\xBC\x8C", 3) == 0) k += 3;
  else if (k < to && s[k] == ',') k++;
  for (e = k; e < to && !punct_at(s, b->n, e); e += qt_han_at(s, to, e) ? 3 : 1) {}
  if (e > to) e = to;
  vs = verb_before(s, k, e);
  if (vs < e && vs > k && zh_speaker(b, r, k, vs, ms, &sp)) {
    qt_credit(q, r, &sp, s + vs, e - vs, "cue-after");
    return 1;
  }
  return 0;
}

/* Does a common Chinese family name start s (3 bytes readable)? */
int qt_han_surname(const char *s) {
  return qt_han_in(s, 0, zh_surnames);
}
