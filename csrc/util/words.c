/*
 * words.c - what a word is, for every part of loupe: the byte classes the
 * scanners of extraction (text, features, quotes, entities) and the
 * corpus (talking points, MinHash shingles) read characters by.
 */
#include "util.h"

#define A_ LP_B_ALPHA
#define U_ (LP_B_ALPHA | LP_B_UPPER)
#define D_ LP_B_DIGIT
#define H_ LP_B_HIGH
#define H16 H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_
const unsigned char lp_byte_class[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, LP_B_HYPHEN, 0, LP_B_SEP, /* - / */
  D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, 0, 0, 0, 0, 0, 0,
  0, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
  U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, 0, 0, 0, 0, 0,
  0, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_,
  A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, A_, 0, LP_B_SEP, 0, 0, 0, /* | */
  H16, H16, H16, H16, H16, H16, H16, H16
};
#undef A_
#undef U_
#undef D_
#undef H_
#undef H16
