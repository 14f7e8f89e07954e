/*
 * datepick.h - the publication date of a page as a ranking over every
 * date written on it (datepick.c). Each candidate gets features (cue words
 * before it in several languages, where it sits against the headline, the
 * byline, the body, lists of other dated lines, comments and footers, how
 * precise it is, how it compares with the page's other dates) and a
 * linear score whose weights `make train` learns (date_weights.h). The
 * page gets no date when no candidate scores above zero.
 */
#ifndef LOUPE_DATEPICK_H
#define LOUPE_DATEPICK_H

#include "extract.h"
#include "dates.h"

/* The features of a candidate, in the order of date_weights.h. */
enum {
  LP_DF_BIAS = 0,   /* 1 for every candidate: the "no date" threshold */
  LP_DF_CUE_PUB,    /* a publication cue before it (Published, von, le) */
  LP_DF_CUE_UPD,    /* an update cue (Updated, aktualisiert, Stand) */
  LP_DF_CUE_NEG,    /* a cue of another date (copyright, bis, Termin) */
  LP_DF_CUE_ON,     /* "on", "am", "le" ... right before it */
  LP_DF_COVERS,     /* the line is mostly this date */
  LP_DF_BYLINE,     /* the line is a byline */
  LP_DF_TIME,       /* it has a time of day */
  LP_DF_MONTH,      /* month (or coarser) precision only */
  LP_DF_HEAD,       /* between the headline and the body's first line */
  LP_DF_TITLE,      /* on the headline's own line */
  LP_DF_NEAR_BEFORE,/* within 6 lines before the headline or body */
  LP_DF_IN_BODY,    /* inside the body's span */
  LP_DF_AFTER_BODY, /* after the body's last line */
  LP_DF_DIST,       /* lines from the headline, /100, at most 3 */
  LP_DF_LIST,       /* two or more other dated lines within 3 lines */
  LP_DF_RELATED,    /* under a related-stories header (6 lines up) */
  LP_DF_IN_TEXT,    /* inside 45+ characters of other text, no cue */
  LP_DF_PROSE,      /* in a body paragraph of more than 25 words */
  LP_DF_COMMENT,    /* reply/says/antworten/kommentar on or after it */
  LP_DF_LATEST,     /* the latest day of 2+ days on the page */
  LP_DF_EARLIEST,   /* the earliest day of 2+ days on the page */
  LP_DF_OLD,        /* 2+ years before the page's latest date */
  LP_DF_FIRST,      /* the first date of the page */
  LP_DF_REPEAT,     /* the same day is written on another line */
  LP_DF_WEEKDAY,    /* a weekday name is attached */
  LP_DF_LINE_START, /* it starts its line (after bullets) */
  LP_DF_DOM_OUT,    /* HTML: inside nav, aside or footer */
  LP_DF_DOM_BOILER, /* HTML: under a related/comment/sidebar class */
  LP_DF_DOM_DATE,   /* HTML: in a <time> or a date/byline class */
  LP_DF_RANGE,      /* one end of a range ("14. - 20. Januar", "bis") */
  LP_DF_AFTER_HEAD, /* later than a date in the head zone above it */
  LP_DF_UPD_PUB,    /* an update cue, a pub-cued date on its line */
  LP_DF_YEARS,      /* its line lists 3+ other bare years (an archive) */
  LP_DF_SERIES,     /* 3+ other dated lines within 15 lines (comments) */
  LP_DF_SHAPE,      /* 3+ other dates written the same way on the page */
  LP_DF_ORDER,      /* its rank among the page's dates, /10, at most 1 */
  LP_DF_MASTHEAD,   /* the page's first and latest date, before the
                       headline: the day's date a site shows at its top
                       (a masthead, a weather box), not the article's */
  LP_DF_DOM_ARTICLE,/* HTML: inside the element judged the article */
  LP_DF_DOM_TIME,   /* HTML: inside a <time> element */
  LP_DF_DOM_HEADER, /* HTML: inside a header element */
  LP_DF_BULLET,     /* its line is a list item (starts with a bullet) */
  LP_DF_EMBED,      /* the signature of an embedded post: "(@handle) date" */
  LP_DF_MONTH_ECHO, /* a month without a day, some date on the page has
                       its day in that month ("Dezember 2008" over the
                       post's "31. Dezember 2008") */
  LP_DF_RUN,        /* in a run of 3+ dated lines written the same way,
                       each within 20 lines of the next, oldest first,
                       none earlier than a date written above the run:
                       replies under the post they answer (comments, a
                       forum thread) */
  LP_DF_EVENT,      /* in the middle of a sentence of the body's prose,
                       no cue before it: a day the article reports ("the
                       summit on 12 May 2020 agreed"), not its own */
  LP_DF_CREDIT,     /* a picture's credit before it ("Foto: A. Berg,
                       16.01.2022"): the day the picture was taken */
  LP_DF_RELATIVE,   /* a relative date ("vor 3 Stunden") or a day
                       without its year ("6. Oktober") read against the
                       day's date the page shows at its top */
  LP_DF__N
};

/* Name of feature k ("cue-pub", "head", ...), for rules and training. */
const char *lp_date_feature_name(int k);

/* One candidate: the date, its line and its features and score. */
typedef struct {
  lp_date d;
  size_t line;
  double f[LP_DF__N];
  double score;
  const char *rule;   /* "date-" and the feature that added most */
} lp_date_cand;

/* All date candidates of the labelled text t, with features and scores.
 * title is the headline's line (or LP_NONE); lang the page language (or
 * NULL) decides how ambiguous numeric dates read. *out is malloc'd (free
 * it), *n its length. LOUPE_OK or LOUPE_ENOMEM. */
int lp_date_candidates(const lp_text *t, const lp_layout *lay, size_t title,
                       const char *lang, lp_date_cand **out, size_t *n);

/* The page's date: the best candidate when it scores above zero (the time
 * of a close rival naming the same day is kept). Returns 1 and fills *out,
 * 0 when the page has no date, -1 when out of memory. */
int lp_date_pick(const lp_text *t, const lp_layout *lay, size_t title,
                 const char *lang, lp_date_cand *out);

#endif /* LOUPE_DATEPICK_H */
