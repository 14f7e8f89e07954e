/*
 * fields.h - what the field finders share inside extraction: fields.c
 * (title, date, body, and lp_fields that runs them all) and
 * fields_people.c (dateline, credit, outlet, authors, editors).
 */
#ifndef LOUPE_FIELDS_H
#define LOUPE_FIELDS_H

#include "extract.h"

/* Fill span sp with a copy of line li's bytes [col, col+len), spaces
 * trimmed, with its source offset and line. LOUPE_OK or LOUPE_ENOMEM. */
int lp_field_span(loupe_span *sp, lp_text *t, size_t li, size_t col,
                  size_t len, const char *rule, lp_arena *arena);
/* Does s[0..n) start with a date cue ("Updated", "Published"...)? */
int lp_has_date_cue(const char *s, size_t n);
/* Is s[0..n) only a list of people ("Jane Roe, John Doe and Ann Lee"),
 * maybe followed by ", <Agency>"? The length of the names part, else 0. */
size_t lp_name_list(const char *s, size_t n);

/* The finders lp_fields runs after the title and the date; title is the
 * title line or LP_NONE. Each returns LOUPE_OK or LOUPE_ENOMEM. */
/* Dateline and credited agency (a->dateline, a->credit). */
int lp_find_credit(lp_text *t, const lp_layout *lay, size_t title,
                   loupe_article *a, lp_arena *arena);
/* The outlet from copyright and masthead lines (a->outlet). */
int lp_find_outlet(lp_text *t, const lp_layout *lay, loupe_article *a,
                   lp_arena *arena);
/* Authors and editors (a->authors, a->editors). */
int lp_find_people(lp_text *t, const lp_layout *lay, size_t title,
                   loupe_article *a, lp_arena *arena);
/* Label the source lines that supplied the n spans sp as meta (reason),
 * unless they are body or title lines. */
void lp_mark_meta(lp_text *t, const loupe_span *sp, size_t n,
                  const char *reason);

#endif /* LOUPE_FIELDS_H */
