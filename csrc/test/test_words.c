/*
 * test_words.c - the word model (util/words.c): what a word is on tricky
 * input (apostrophes, hyphens, numbers, accents, CJK, emoji, invalid
 * UTF-8), that case does not tell words apart, and that the line hash
 * and MinHash shingles read the same words, and that the classifier's
 * features (features.c, a fused scan of its own) hash lines as
 * lp_norm_hash does.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "extract/extract.h"

/* The words of s joined by '|' into out (cap bytes). */
static void split(const char *s, char *out, size_t cap) {
  size_t pos = 0, used = 0, n = strlen(s);
  lp_word w;
  out[0] = '\0';
  while (lp_word_next(s, n, &pos, &w)) {
    if (used && used + 1 < cap) out[used++] = '|';
    if (used + w.len < cap) {
      memcpy(out + used, s + w.start, w.len);
      used += w.len;
    }
    out[used] = '\0';
  }
}

typedef struct {
  const char *in, *want;
} split_case;

static const split_case CASES[] = {
  {"", ""},
  {" -- ... !? ", ""},
  /* apostrophes and hyphens separate */
  {"Don't stop", "Don|t|stop"},
  {"It\xE2\x80\x99s a well-known fact", "It|s|a|well|known|fact"},
  {"snake_case and e-mail", "snake|case|and|e|mail"},
  /* numbers: digits only; the comma and point separate */
  {"1,200 people, 3.5% of 2024", "1|200|people|3|5|of|2024"},
  {"COVID19 vs. G7", "COVID19|vs|G7"},
  /* accented and other alphabets stay whole */
  {"Caf\xC3\xA9 cr\xC3\xA8me \xC3\xA0 S\xC3\xA3o Paulo",
   "Caf\xC3\xA9|cr\xC3\xA8me|\xC3\xA0|S\xC3\xA3o|Paulo"},
  {"\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 and "
   "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
   "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1|and|"
   "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},
  /* curly quotes and dashes are not part of words */
  {"\xE2\x80\x9CYes\xE2\x80\x9D\xE2\x80\x94she said",
   "Yes|she|said"},
  /* CJK: one word per character, Latin beside it separate */
  {"\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC",
   "\xE6\x9D\xB1|\xE4\xBA\xAC|\xE3\x82\xBF|\xE3\x83\xAF|\xE3\x83\xBC"},
  {"\xE6\x97\xA5\xE6\x9C\xAC" "text 2024\xEB\x85\x84",
   "\xE6\x97\xA5|\xE6\x9C\xAC|text|2024|\xEB\x85\x84"},
  {"\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C\xE5\xA5\xBD\xE3\x80\x82",
   "\xE4\xB8\xAD|\xE6\x96\x87|\xE5\xA5\xBD"},
  /* the katakana middle dot separates names; the iteration mark and
   * half-width kana are characters of their own (as in the index) */
  {"\xE3\x83\x89\xE3\x83\xAB\xE3\x83\xBB\xE3\x82\xA2",
   "\xE3\x83\x89|\xE3\x83\xAB|\xE3\x82\xA2"},
  {"\xE4\xBA\xBA\xE3\x80\x85 \xEF\xBD\xB6\xEF\xBE\x85",
   "\xE4\xBA\xBA|\xE3\x80\x85|\xEF\xBD\xB6|\xEF\xBE\x85"},
  /* emoji and skin-tone modifiers separate */
  {"fire\xF0\x9F\x94\xA5" "fighters \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok",
   "fire|fighters|ok"},
  /* invalid UTF-8: each bad byte separates, the next byte is read again */
  {"ab\xC3" "cd", "ab|cd"},
  {"\x80word\xBF", "word"},
  {"end\xE2\x80", "end"},
  {"\xC0\xAFx \xED\xA0\x80y \xF5\x80\x80\x80z", "x|y|z"},
  {"caf\xC3", "caf"},
};

static void test_split(void) {
  size_t i;
  char got[256];
  for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    split(CASES[i].in, got, sizeof got);
    CHECK(strcmp(got, CASES[i].want) == 0, "case %u: got '%s', want '%s'",
          (unsigned)i, got, CASES[i].want);
  }
}

static void test_decode(void) {
  const unsigned char fire[] = "\xF0\x9F\x94\xA5";
  const unsigned char cut[] = "\xF0\x9F\x94";
  size_t k;
  CHECK_INT("emoji", lp_utf8_next(fire, 4, 0, &k), 0x1F525);
  CHECK_INT("emoji length", k, 4);
  CHECK_INT("cut emoji", lp_utf8_next(cut, 3, 0, &k), 0xFFFD);
  CHECK_INT("cut emoji length", k, 1);
}

static uint32_t hash_of(const char *s) { return lp_word_hash(s, strlen(s)); }

static void test_hashes(void) {
  const char *line = "Hello, WORLD! It's 1,200 km.";
  uint32_t hs[3];
  size_t pos = 0, n = strlen(line);
  lp_word w;
  /* case folds in ASCII, Latin-1 and Cyrillic; accents stay */
  CHECK(hash_of("CAF\xC3\x89") == hash_of("caf\xC3\xA9"), "CAFE folds");
  CHECK(hash_of("\xD0\x9C\xD0\x98\xD0\xA0") ==
        hash_of("\xD0\xBC\xD0\xB8\xD1\x80"), "Cyrillic folds");
  CHECK(hash_of("cafe") != hash_of("caf\xC3\xA9"), "accents kept");
  /* a word's hash is that of its bytes */
  while (lp_word_next(line, n, &pos, &w))
    CHECK(w.hash == lp_word_hash(line + w.start, w.len),
          "hash of word at %u", (unsigned)w.start);
  /* more words than room: all counted, cap stored */
  CHECK_INT("word count", lp_word_hashes(line, n, hs, 3), 7);
  CHECK(hs[0] == hash_of("hello") && hs[2] == hash_of("it"), "first words");
  /* the line hash ignores case, punctuation and spacing, not words */
  CHECK(lp_norm_hash(line, n) ==
        lp_norm_hash("hello world it s 1 200 KM", 25), "norm hash folds");
  CHECK(lp_norm_hash(line, n) != lp_norm_hash("hello world it s 1 200", 22),
        "norm hash counts words");
}

/* The 64-bit word hash of ASCII is what MinHash always used (FNV-1a 64
 * of the lower-cased bytes, from its historical basis). */
static void test_hash64(void) {
  const char *w = "Ministry";
  uint64_t h = 1469598103934665603ULL;
  size_t k;
  for (k = 0; w[k]; k++)
    h = (h ^ (unsigned char)(w[k] | 32)) * 1099511628211ULL;
  CHECK(lp_word_hash64(w, strlen(w)) == h, "ASCII hash64 unchanged");
}

static void test_minhash(void) {
  const char *a = "\xE2\x80\x9C" "Flood warnings\xE2\x80\x9D stay in place "
                  "for the river valley\xE2\x80\x94officials said on Monday.";
  const char *b = "\"flood warnings\" stay in place for the river valley - "
                  "officials said on Monday";
  const char *zh = "\xE6\xB2\xB3\xE6\xB0\xB4\xE4\xB8\x8A\xE6\xB6\xA8";
  lp_sig sa, sb;
  lp_minhash(a, strlen(a), &sa);
  lp_minhash(b, strlen(b), &sb);
  CHECK(lp_minhash_jaccard(&sa, &sb) == 1.0,
        "quote marks and dashes do not change the shingles: %g",
        lp_minhash_jaccard(&sa, &sb));
  CHECK_INT("shingles", sa.n, 11);
  /* four CJK characters are four words: two shingles */
  lp_minhash(zh, strlen(zh), &sa);
  CHECK_INT("CJK shingles", sa.n, 2);
  /* a Chinese paragraph republished with one figure changed is a near
   * copy (once the whole run was one word, and the copies unrelated) */
  {
    const char *p1 = "\xE6\xB8\xAF\xE5\x8F\xA3\xE4\xBB\x8A\xE5\xB9\xB4"
      "\xE5\x90\x9E\xE5\x90\x90\xE9\x87\x8F\xE5\xA2\x9E\xE9\x95\xBF"
      "3\xE6\x88\x90\xEF\xBC\x8C\xE6\x96\xB0\xE7\xA0\x81\xE5\xA4\xB4"
      "\xE6\x98\x8E\xE5\xB9\xB4\xE5\xBC\x80\xE5\xB7\xA5\xE5\xBB\xBA"
      "\xE8\xAE\xBE\xE3\x80\x82";
    char p2[128];
    size_t k = strlen(p1);
    memcpy(p2, p1, k + 1);
    p2[27] = '4';                       /* "3成" becomes "4成" */
    lp_minhash(p1, k, &sa);
    lp_minhash(p2, k, &sb);
    CHECK(p1[27] == '3' && lp_minhash_similarity(&sa, &sb) >= 0.8,
          "CJK near copy: similarity %g", lp_minhash_similarity(&sa, &sb));
  }
}

/* Every line's hash from lp_features equals lp_norm_hash of its text. */
static void test_line_hash(void) {
  static const char page[] =
    "Harbour Authority \xE2\x80\x94 Home | News | Contact\n"
    "CAF\xC3\x89 owners say the pier's 1,200-metre extension can't wait.\n"
    "\xE6\xB8\xAF\xE5\x8F\xA3\xE6\x89\xA9\xE5\xBB\xBA\xE8\xAE\xA1"
    "\xE5\x88\x92\xE3\x80\x82 \xD0\x9F\xD0\xBE\xD1\x80\xD1\x82 2024\n"
    "\xE2\x80\x9CWe\xE2\x80\x99re ready,\xE2\x80\x9D said Ana "
    "M\xC3\xBCller-Sousa \xF0\x9F\x9A\xA2\n";
  lp_text t;
  lp_codecs cs;
  lp_lexicon *lx = NULL;
  size_t i;
  memset(&cs, 0, sizeof cs);
  CHECK_RC("lexicon", lp_lexicon_new(&lx), LOUPE_OK);
  CHECK_RC("text", lp_text_init(&t, page, sizeof page - 1, &cs, LP_ENC_AUTO),
           LOUPE_OK);
  lp_features(&t, lx);
  CHECK_INT("lines", t.n_lines, 4);
  for (i = 0; i < t.n_lines; i++) {
    const lp_line *l = &t.lines[i];
    CHECK(l->hash == lp_norm_hash(LP_LINE_PTR(&t, l), l->len),
          "line %u: features hash differs from lp_norm_hash", (unsigned)i);
    CHECK_INT("words", l->nwords, lp_word_hashes(LP_LINE_PTR(&t, l), l->len,
                                                 NULL, 0));
  }
  lp_text_free(&t);
  lp_lexicon_free(lx);
  lp_codecs_free(&cs);
}

int main(void) {
  static const check_test tests[] = {test_split, test_decode, test_hashes,
    test_hash64, test_minhash, test_line_hash};
  return check_run("test_words", tests, sizeof tests / sizeof *tests);
}
