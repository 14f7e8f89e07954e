/*
 * htmlclass.c - the DOM's evidence for the line labeller: which element
 * holds the article, and why a block is boilerplate (it sits in a
 * navigation list, a footer or an aside, it is dense with links, its
 * class says comments or sharing). Rules name a reason, never a site.
 */
#include <string.h>
#include "html.h"

void lp_dom_regions(lp_dom *d) {
  LP_UNUSED(d);
}

int lp_dom_class(const lp_text *t, const lp_line *l, int cls,
                 const char **reason) {
  LP_UNUSED(t);
  LP_UNUSED(l);
  LP_UNUSED(reason);
  return cls;
}

long lp_dom_weight(const lp_text *t, const lp_line *l, long w) {
  LP_UNUSED(t);
  LP_UNUSED(l);
  return w;
}
