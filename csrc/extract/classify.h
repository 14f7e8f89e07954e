/*
 * classify.h - the line labeller's own declarations, shared by its files
 * (classify.c: the line classes and the passes; pagerules.c: the rules
 * that read a page's sections, such as where its comments begin).
 */
#ifndef LOUPE_CLASSIFY_H
#define LOUPE_CLASSIFY_H

#include "extract.h"

/* Classes of a line while the labeller works (lp_line.cls). */
enum { C_BAD = 0, C_SHORT, C_NEAR, C_GOOD };

/* Does the line open a comment section ("Comments (12)", "Leave a
 * Reply", "3 responses to ...", "Kommentare")? */
int lp_comment_header(const lp_text *t, const lp_line *l);

/* Photo captions by their shape (a sentence ending with a full date,
 * people placed "(left)"): boilerplate that leaves its neighbours alone.
 * Runs on the initial classes. */
void lp_caption_shapes(lp_text *t);

/* Does s[0..n) open with a phrase of three words or more printed twice
 * back to back (an image's alt text glued to its title)? */
int lp_doubled_opening(const char *s, size_t n);

/* A paragraph the source wrapped into lines is judged whole: its lines
 * are good when together they read as prose (need: the stop-word share
 * per mille prose needs). Runs before the neighbour pass. */
void lp_wrapped_runs(lp_text *t, unsigned need);

/* Does s[0..n) open with a news dateline ("LAHORE: ", "NEW YORK
 * (Reuters) - ", "RAMALLAH, West Bank, Dec. 5 (AP) -- ")? */
int lp_dateline_open(const char *s, size_t n);

/* Is the line a comment counter at zero ("0 comments", "No comments")?
 * No comments follow it: it does not end the article. */
int lp_comment_zero(const lp_text *t, const lp_line *l);

/* Page rules run after the neighbour pass, before the article region is
 * chosen: prose after the header of a comment section that follows the
 * article is comments; runs of teasers are not the article. */
void lp_page_rules(lp_text *t);

#endif /* LOUPE_CLASSIFY_H */
