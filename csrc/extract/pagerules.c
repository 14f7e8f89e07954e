/*
 * pagerules.c - rules that read the page as sections rather than lines:
 * a comment section opens with a header ("Comments", "Leave a Reply",
 * "12 responses to ...") and everything after it that reads as prose is
 * readers' comments. Rules name a reason, never a site.
 */
#include <string.h>
#include "classify.h"

/* Openings of a comment section's header, lower case, after an optional
 * count ("12 ", "One "). */
static const char *const comment_heads[] = {
  "comments", "comment", "leave a reply", "leave a comment",
  "post a comment", "add a comment", "add comment", "add your comment",
  "responses to", "response to", "thoughts on", "replies to", "reader comments",
  "readers' comments", "readers comments", "reader's comments",
  "user comments", "your comments", "have your say", "join the discussion",
  "join the conversation", "kommentare", "kommentar", "commentaires",
  "comentarios", "comentários", "commenti", "reacties", "comentar"
};

#define N_HEADS (sizeof comment_heads / sizeof comment_heads[0])

static size_t skip_count(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  if (i == 0) {
    if (lp_starts_ci(s, n, "one ")) return 4;
    if (lp_starts_ci(s, n, "no ")) return 3;
    return 0;
  }
  while (i < n && s[i] == ' ') i++;
  return i;
}

int lp_comment_header(const lp_text *t, const lp_line *l) {
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len, i, k;
  /* "3 responses to <the headline>" may be long; the others are short */
  if (l->nwords > 30 || n == 0) return 0;
  if (l->nseps > 0) return 0;          /* a share bar, not a header */
  k = skip_count(s, n);
  for (i = 0; i < N_HEADS; i++) {
    size_t m = strlen(comment_heads[i]);
    if (!lp_starts_ci(s + k, n - k, comment_heads[i])) continue;
    /* the whole word: "commentary" is not "comment" */
    if (k + m < n && ((s[k + m] | 32) >= 'a' && (s[k + m] | 32) <= 'z'))
      continue;
    if (l->nwords - (k > 0) > 4 && strstr(comment_heads[i], " to") == NULL &&
        strstr(comment_heads[i], " on") == NULL)
      continue;
    return 1;
  }
  return 0;
}

/* Prose (characters of good lines) needed before a comment header for
 * it to close an article. */
#define ARTICLE_BEFORE 500

static void comment_cut(lp_text *t) {
  size_t n = t->n_lines, i, prose = 0, good = 0;
  for (i = 0; i < n; i++) {
    lp_line *l = &t->lines[i];
    if (l->cls == C_GOOD) { prose += l->nchars; good++; continue; }
    if (prose >= ARTICLE_BEFORE && good >= 2 && lp_comment_header(t, l))
      break;
  }
  if (i >= n) return;
  t->lines[i].cls = C_BAD;
  t->lines[i].reason = "comment-header";
  for (i++; i < n; i++) {
    lp_line *l = &t->lines[i];
    if (l->cls == C_BAD) continue;
    l->cls = C_BAD;
    l->reason = "comment-section";
  }
}

void lp_page_rules(lp_text *t) {
  comment_cut(t);
}
