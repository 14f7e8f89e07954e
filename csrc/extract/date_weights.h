/*
 * date_weights.h - weights of the date candidate features (datepick.h's
 * LP_DF_* order). Hand-set starting values; `make train` rewrites this
 * file from the dev sets (bench/train_dates.lua).
 */
#ifndef LOUPE_DATE_WEIGHTS_H
#define LOUPE_DATE_WEIGHTS_H

static const double LP_DATE_WEIGHTS[] = {
  2.0,   /* bias */
  2.0,   /* cue-pub */
  1.0,   /* cue-upd */
  -2.0,  /* cue-neg */
  0.5,   /* cue-on */
  1.0,   /* covers */
  0.75,  /* byline */
  1.0,   /* time */
  -1.5,  /* month */
  2.0,   /* head */
  0.0,   /* title */
  1.0,   /* near-before */
  -0.5,  /* in-body */
  -2.25, /* after-body */
  -1.0,  /* dist */
  -2.0,  /* list */
  -1.5,  /* related */
  -3.0,  /* in-text */
  -1.0,  /* prose */
  -1.0,  /* comment */
  0.0,   /* latest */
  0.0,   /* earliest */
  -1.0,  /* old */
  0.5,   /* first */
  0.3,   /* repeat */
  0.2,   /* weekday */
  0.3,   /* line-start */
  -3.0,  /* dom-out */
  -2.5,  /* dom-boiler */
  0.5    /* dom-date */
};

#endif /* LOUPE_DATE_WEIGHTS_H */
