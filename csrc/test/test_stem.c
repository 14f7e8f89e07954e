/*
 * test_stem.c - the English stemmer of the full-text index (stem.c): the
 * examples of the Porter2 description (snowballstem.org, English stemmer:
 * its sample vocabulary, the word lists of each step, the exceptions),
 * each checked against the reference implementation (libstemmer's
 * "english"). Ends with "test_stem: N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "corpus/tokenizer.h"

static const char *const pairs[][2] = {
  {"consign", "consign"},
  {"consigned", "consign"},
  {"consigning", "consign"},
  {"consignment", "consign"},
  {"consist", "consist"},
  {"consisted", "consist"},
  {"consistency", "consist"},
  {"consistent", "consist"},
  {"consistently", "consist"},
  {"consisting", "consist"},
  {"consists", "consist"},
  {"knack", "knack"},
  {"knackeries", "knackeri"},
  {"knacks", "knack"},
  {"knaves", "knave"},
  {"kneaded", "knead"},
  {"kneeling", "kneel"},
  {"knees", "knee"},
  {"knightly", "knight"},
  {"knitting", "knit"},
  {"knives", "knive"},
  {"knockers", "knocker"},
  {"hackers", "hacker"},
  {"hacking", "hack"},
  {"hacked", "hack"},
  {"hacker", "hacker"},
  {"caresses", "caress"},
  {"ponies", "poni"},
  {"ties", "tie"},
  {"cries", "cri"},
  {"gaps", "gap"},
  {"gas", "gas"},
  {"kiwis", "kiwi"},
  {"hoped", "hope"},
  {"hopping", "hop"},
  {"filing", "file"},
  {"luxuriate", "luxuri"},
  {"generously", "generous"},
  {"communication", "communic"},
  {"arsenal", "arsenal"},
  {"skies", "sky"},
  {"dying", "die"},
  {"news", "news"},
  {"innings", "inning"},
  {"proceeded", "proceed"},
  {"exceeds", "exceed"},
  {"succeeding", "succeed"},
  {"happy", "happi"},
  {"happiness", "happi"},
  {"relational", "relat"},
  {"conditional", "condit"},
  {"rational", "ration"},
  {"valency", "valenc"},
  {"hesitancy", "hesit"},
  {"digitizer", "digit"},
  {"vietnamization", "vietnam"},
  {"predication", "predic"},
  {"operator", "oper"},
  {"feudalism", "feudal"},
  {"decisiveness", "decis"},
  {"hopefulness", "hope"},
  {"callousness", "callous"},
  {"triplicate", "triplic"},
  {"formative", "format"},
  {"formalize", "formal"},
  {"electrical", "electr"},
  {"hopeful", "hope"},
  {"goodness", "good"},
  {"revival", "reviv"},
  {"allowance", "allow"},
  {"inference", "infer"},
  {"airliner", "airlin"},
  {"gyroscopic", "gyroscop"},
  {"adjustable", "adjust"},
  {"defensible", "defens"},
  {"irritant", "irrit"},
  {"replacement", "replac"},
  {"adjustment", "adjust"},
  {"dependent", "depend"},
  {"adoption", "adopt"},
  {"communism", "communism"},
  {"activate", "activ"},
  {"homologous", "homolog"},
  {"effective", "effect"},
  {"bowdlerize", "bowdler"},
  {"probate", "probat"},
  {"rate", "rate"},
  {"cease", "ceas"},
  {"controll", "control"},
  {"roll", "roll"},
  {"sky", "sky"},
  {"bias", "bias"},
  {"yes", "yes"},
  {"they", "they"},
  {"say", "say"},
  {"by", "by"},
  {"cry", "cri"},
  {"crying", "cri"},
};

static void test_pairs(void) {
  size_t i;
  for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    char out[LP_STEM_MAX];
    size_t n = lp_stem_en(pairs[i][0], strlen(pairs[i][0]), out);
    CHECK(n == strlen(pairs[i][1]) && memcmp(out, pairs[i][1], n) == 0,
          "%s: got %.*s, want %s", pairs[i][0], (int)n, out, pairs[i][1]);
  }
}

/* Short and over-long words are left as they are; the stem is never
 * longer than the word. */
static void test_edges(void) {
  char out[LP_STEM_MAX], longw[LP_STEM_MAX];
  size_t n;
  n = lp_stem_en("is", 2, out);
  CHECK(n == 2 && memcmp(out, "is", 2) == 0, "is: %.*s", (int)n, out);
  memset(longw, 'a', sizeof longw);
  memcpy(longw + LP_STEM_MAX - 1 - 4, "ings", 4);
  n = lp_stem_en(longw, LP_STEM_MAX - 1, out);
  CHECK(n < LP_STEM_MAX - 1, "a long word is stemmed: %zu", n);
  n = lp_stem_en("yyyyyyyyyyyyy", 13, out);
  CHECK(n <= 13, "y's: %zu", n);
}

int main(void) {
  static const check_test tests[] = {test_pairs, test_edges};
  return check_run("test_stem", tests, sizeof tests / sizeof *tests);
}
