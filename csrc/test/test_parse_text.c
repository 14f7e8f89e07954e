/*
 * test_parse_text.c - tests of how loupe_parse reads the text of a page,
 * with no Lua: a hard-wrapped wire page joined back into paragraphs,
 * quotation marks (straight, curly, guillemets, unbalanced, nested deep)
 * and the legacy charsets, made with iconv at test time, detected or
 * forced. Ends with "test_parse_text: N passed, N failed" and exits
 * non-zero when a check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "iconv_encode.h"
#include "parse_helpers.h"

/* ---- a hard-wrapped wire page ---- */

/* Wrapped near 64 columns, paragraphs opened by a 4-space indent, a short
 * first line, one line edited past the width (70 columns), a quote that
 * starts on a wrapped line and a sign-off. */
static const char WIRE[] =
  "Home | Rail | Roads | Weather | Jobs\n"                              /* 1 */
  "\n"
  "Valley railway to reopen in June after three-year closure\n"        /* 3 */
  "03-MAR-1992 07:41:15.62\n"
  "\n"
  "The Vellmark valley railway will reopen\n"                          /* 6 */
  "to passengers in June after a three-year closure, the regional\n"
  "transport council said on Monday, ending a campaign by villages\n"
  "along the line.\n"
  "    Council member Ilse Brandvik told a news conference at the\n"  /* 10 */
  "station: \"We have kept our promise to the valley, and the first\n"
  "trains will run full, I am sure of it,\" adding that the tickets\n"
  "go on sale in May.\n"
  "    The council said repairs to two viaducts and a long tunnel\n"  /* 14 */
  "had cost 31 mln crowns, about a fifth more than planned two years ago,\n"
  "because flood damage was worse than the engineers first thought.\n"
  " REUTER\n";

static const char *const WIRE_PARAS[] = {
  "The Vellmark valley railway will reopen to passengers in June after a "
  "three-year closure, the regional transport council said on Monday, "
  "ending a campaign by villages along the line.",
  "Council member Ilse Brandvik told a news conference at the station: "
  "\"We have kept our promise to the valley, and the first trains will run "
  "full, I am sure of it,\" adding that the tickets go on sale in May.",
  "The council said repairs to two viaducts and a long tunnel had cost 31 "
  "mln crowns, about a fifth more than planned two years ago, because flood "
  "damage was worse than the engineers first thought.",
};

static void test_wrapped(void) {
  loupe_article *a = parse_ok("wire", WIRE, sizeof WIRE - 1);
  size_t i, q;
  if (a == NULL) return;
  CHECK_STR("wire: title", a->title.text,
            "Valley railway to reopen in June after three-year closure");
  CHECK_STR("wire: date", a->date.text, "1992-03-03T07:41:15");
  CHECK_SIZE("wire: n_paragraphs", a->n_paragraphs, 3);
  for (i = 0; i < a->n_paragraphs && i < 3; i++) {
    char what[40];
    sprintf(what, "wire: paragraph %zu", i + 1);
    CHECK_STR(what, a->paragraphs[i].text, WIRE_PARAS[i]);
  }
  if (a->n_paragraphs == 3) {
    CHECK_SIZE("wire: paragraph 2 line", a->paragraphs[1].line, 10);
    CHECK_SIZE("wire: paragraph 2 offset", a->paragraphs[1].offset,
               offset_of(WIRE, "Council member"));
  }
  /* the quote starts on source line 11, inside the joined paragraph */
  for (q = 0; q < a->n_quotes; q++)
    if (strncmp(a->quotes[q].text.text, "We have kept", 12) == 0) break;
  CHECK(q < a->n_quotes, "wire: the quote was not found");
  if (q < a->n_quotes) {
    CHECK_SIZE("wire: quote line", a->quotes[q].text.line, 11);
    CHECK_SIZE("wire: quote offset", a->quotes[q].text.offset,
               offset_of(WIRE, "We have kept"));
  }
  CHECK(strstr(a->body, "REUTER") == NULL, "wire: the sign-off is in the "
        "body: %s", show(a->body));
  check_body_join("wire", a);
  loupe_article_free(a);
}

/*
 * Quote scanner regressions (issue 15, found by fuzzing): a quote opened
 * with a 1-byte straight mark and closed with a 3-byte curly one at the
 * very start of the body once made the scanner step back before the
 * body (a heap read ASan reports); one paragraph with many quotes and a
 * deep nest of marks must parse. Run under `make sanitize`.
 */
static void test_quote_marks(void) {
  static const char page[] =
    "K\"Our ferry plan is finished.\xE2\x80\x9D but the two councils "
    "have been asked twice since.";
  loupe_article *a = parse_ok("straight-open curly-close quote", page,
                              sizeof page - 1);
  char *big;
  size_t k, n = 0, cap = 4000 * 2 * 8 + 200;
  if (a) {
    CHECK_SIZE("mixed marks n_quotes", a->n_quotes, 1);
    if (a->n_quotes == 1)
      CHECK_STR("mixed marks quote", a->quotes[0].text.text,
                "Our ferry plan is finished.");
    loupe_article_free(a);
  }
  /* marks nested 4,000 deep (" x \" x << x ...), then the closers */
  big = malloc(cap);
  if (big == NULL) { CHECK(0, "out of memory"); return; }
  n += (size_t)sprintf(big, "Nested\n\nHe said ");
  for (k = 0; k < 4000; k++) {
    static const char *const open[] = {"\xE2\x80\x9C", "\"", "\xC2\xAB"};
    n += (size_t)sprintf(big + n, "%s x ", open[k % 3]);
  }
  for (k = 0; k < 4000; k++) {
    static const char *const close[] = {"\xE2\x80\x9D", "\"", "\xC2\xBB"};
    n += (size_t)sprintf(big + n, "%s y ", close[(3999 - k) % 3]);
  }
  n += (size_t)sprintf(big + n, "said Ilse Varkonen.\n");
  a = parse_ok("marks nested 4,000 deep", big, n);
  if (a) {
    CHECK_SIZE("nested n_paragraphs", a->n_paragraphs, 1);
    CHECK(a->n_quotes > 0, "nested marks: no quote found");
    loupe_article_free(a);
  }
  free(big);
}

/* ---- legacy charsets (issue 14 item 5, issue 15) ---- */

/* Invented pages: a Chinese one (simplified for GBK, traditional for
 * Big5), a Japanese one, a French one with curly quotes and accents. */
static const char PAGE_ZH[] =
  "\xE6\xB8\xAF\xE5\x8F\xA3\xE5\xA7\x94\xE5\x91\x98\xE4\xBC\x9A"
  "\xE6\x89\xB9\xE5\x87\x86\xE6\x96\xB0\xE6\xB8\xA1\xE8\xBD\xAE"
  "\xE8\x88\xAA\xE7\xBA\xBF\n\n2021\xE5\xB9\xB4" "3\xE6\x9C\x88"
  "3\xE6\x97\xA5\n\n"
  "\xE5\xB8\x82\xE6\xB8\xAF\xE5\x8F\xA3\xE5\xA7\x94\xE5\x91\x98"
  "\xE4\xBC\x9A\xE6\x98\x9F\xE6\x9C\x9F\xE4\xBA\x8C\xE6\x89\xB9"
  "\xE5\x87\x86\xE4\xBA\x86\xE4\xB8\x80\xE6\x9D\xA1\xE6\x96\xB0"
  "\xE7\x9A\x84\xE6\xB8\xA1\xE8\xBD\xAE\xE8\x88\xAA\xE7\xBA\xBF"
  "\xEF\xBC\x8C\xE8\xBF\x9E\xE6\x8E\xA5\xE6\xB8\xAF\xE5\x8C\xBA"
  "\xE5\x92\x8C\xE4\xB8\x89\xE4\xB8\xAA\xE5\xA4\x96\xE5\xB2\x9B"
  "\xE3\x80\x82\xE5\xA7\x94\xE5\x91\x98\xE4\xBC\x9A\xE4\xB8\xBB"
  "\xE4\xBB\xBB\xE8\xAF\xB4\xEF\xBC\x8C\xE7\xAC\xAC\xE4\xB8\x80"
  "\xE6\x89\xB9\xE4\xB8\xA4\xE8\x89\x98\xE6\xB8\xA1\xE8\xBD\xAE"
  "\xE5\xB0\x86\xE5\x9C\xA8\xE6\x98\x8E\xE5\xB9\xB4\xE6\x98\xA5"
  "\xE5\xA4\xA9\xE6\x8A\x95\xE5\x85\xA5\xE4\xBD\xBF\xE7\x94\xA8"
  "\xEF\xBC\x8C\xE7\xA5\xA8\xE4\xBB\xB7\xE5\xB0\x86\xE4\xB8\x8E"
  "\xE7\x8E\xB0\xE6\x9C\x89\xE7\x9A\x84\xE5\x85\xAC\xE4\xBA\xA4"
  "\xE7\xBA\xBF\xE8\xB7\xAF\xE7\x9B\xB8\xE5\x90\x8C\xE3\x80\x82"
  "\n";
static const char PAGE_TW[] =
  "\xE6\xB8\xAF\xE5\x8F\xA3\xE5\xA7\x94\xE5\x93\xA1\xE6\x9C\x83"
  "\xE6\x89\xB9\xE5\x87\x86\xE6\x96\xB0\xE6\xB8\xA1\xE8\xBC\xAA"
  "\xE8\x88\xAA\xE7\xB7\x9A\n\n"
  "\xE5\xB8\x82\xE6\xB8\xAF\xE5\x8F\xA3\xE5\xA7\x94\xE5\x93\xA1"
  "\xE6\x9C\x83\xE6\x98\x9F\xE6\x9C\x9F\xE4\xBA\x8C\xE6\x89\xB9"
  "\xE5\x87\x86\xE4\xBA\x86\xE4\xB8\x80\xE6\xA2\x9D\xE6\x96\xB0"
  "\xE7\x9A\x84\xE6\xB8\xA1\xE8\xBC\xAA\xE8\x88\xAA\xE7\xB7\x9A"
  "\xEF\xBC\x8C\xE9\x80\xA3\xE6\x8E\xA5\xE6\xB8\xAF\xE5\x8D\x80"
  "\xE5\x92\x8C\xE4\xB8\x89\xE5\x80\x8B\xE5\xA4\x96\xE5\xB3\xB6"
  "\xE3\x80\x82\xE5\xA7\x94\xE5\x93\xA1\xE6\x9C\x83\xE4\xB8\xBB"
  "\xE4\xBB\xBB\xE8\xAA\xAA\xEF\xBC\x8C\xE7\xAC\xAC\xE4\xB8\x80"
  "\xE6\x89\xB9\xE5\x85\xA9\xE8\x89\x98\xE6\xB8\xA1\xE8\xBC\xAA"
  "\xE5\xB0\x87\xE5\x9C\xA8\xE6\x98\x8E\xE5\xB9\xB4\xE6\x98\xA5"
  "\xE5\xA4\xA9\xE6\x8A\x95\xE5\x85\xA5\xE4\xBD\xBF\xE7\x94\xA8"
  "\xE3\x80\x82\n";
static const char PAGE_JA[] =
  "\xE6\xB8\xAF\xE6\xB9\xBE\xE5\xA7\x94\xE5\x93\xA1\xE4\xBC\x9A"
  "\xE3\x81\x8C\xE6\x96\xB0\xE3\x81\x97\xE3\x81\x84\xE3\x83\x95"
  "\xE3\x82\xA7\xE3\x83\xAA\xE3\x83\xBC\xE8\x88\xAA\xE8\xB7\xAF"
  "\xE3\x82\x92\xE6\x89\xBF\xE8\xAA\x8D\n\n"
  "\xE5\xB8\x82\xE3\x81\xAE\xE6\xB8\xAF\xE6\xB9\xBE\xE5\xA7\x94"
  "\xE5\x93\xA1\xE4\xBC\x9A\xE3\x81\xAF\xE7\x81\xAB\xE6\x9B\x9C"
  "\xE6\x97\xA5\xE3\x80\x81\xE6\xB8\xAF\xE6\xB9\xBE\xE5\x9C\xB0"
  "\xE5\x8C\xBA\xE3\x81\xA8\xE4\xB8\x89\xE3\x81\xA4\xE3\x81\xAE"
  "\xE9\x9B\xA2\xE5\xB3\xB6\xE3\x82\x92\xE7\xB5\x90\xE3\x81\xB6"
  "\xE6\x96\xB0\xE3\x81\x97\xE3\x81\x84\xE3\x83\x95\xE3\x82\xA7"
  "\xE3\x83\xAA\xE3\x83\xBC\xE8\x88\xAA\xE8\xB7\xAF\xE3\x82\x92"
  "\xE6\x89\xBF\xE8\xAA\x8D\xE3\x81\x97\xE3\x81\x9F\xE3\x80\x82"
  "\xE5\xB3\xB6\xE3\x81\xAE\xE4\xBD\x8F\xE6\xB0\x91\xE3\x81\xAF"
  "\xE5\x8D\x81\xE5\xB9\xB4\xE4\xBB\xA5\xE4\xB8\x8A\xE5\x89\x8D"
  "\xE3\x81\x8B\xE3\x82\x89\xE3\x82\x88\xE3\x82\x8A\xE9\x80\x9F"
  "\xE3\x81\x84\xE4\xBA\xA4\xE9\x80\x9A\xE6\x89\x8B\xE6\xAE\xB5"
  "\xE3\x82\x92\xE6\xB1\x82\xE3\x82\x81\xE3\x81\xA6\xE3\x81\x84"
  "\xE3\x82\x8B\xE3\x80\x82\n";
static const char PAGE_FR[] =
  "Le conseil du port approuve une nouvelle liaison\n\n"
  "Le conseil du port a approuv\xC3\xA9 mardi une nouvelle liaison par "
  "ferry entre le quartier du port et trois \xC3\xAEles \xC3\xA9loign"
  "\xC3\xA9" "es. \xE2\x80\x9CLes deux premiers navires entreront en "
  "service au printemps prochain,\xE2\x80\x9D a d\xC3\xA9" "clar\xC3\xA9 "
  "la pr\xC3\xA9sidente du conseil, H\xC3\xA9l\xC3\xA8ne Marchal. Les "
  "habitants des \xC3\xAEles r\xC3\xA9" "clament une liaison plus rapide "
  "depuis plus de dix ans, et beaucoup ont pris la parole lors de "
  "l\xE2\x80\x99" "audience publique \xE2\x80\x94 sans d\xC3\xA9" "bat.\n";

/* iconv of s (NUL-terminated UTF-8) into charset; malloc'd, *n bytes. */
/* Parse bytes with charset (NULL: detect) and keep the article. */
static loupe_article *parse_cs(const char *what, const char *charset,
                               const char *bytes, size_t n) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  int rc;
  if (loupe_parser_new(&p) != LOUPE_OK) return NULL;
  CHECK_RC(what, loupe_parser_set_charset(p, charset), LOUPE_OK);
  rc = loupe_parse(p, bytes, n, &a);
  CHECK(rc == LOUPE_OK, "%s: rc %d (%s): %s", what, rc, loupe_errstr(rc),
        loupe_errmsg(p));
  loupe_parser_free(p);
  return a;
}

static void test_charsets(void) {
  static const struct {
    const char *iconv_name, *page, *recorded;
  } cases[] = {
    {"GBK", PAGE_ZH, "gb18030"}, {"GB18030", PAGE_ZH, "gb18030"},
    {"BIG5", PAGE_TW, "big5"}, {"SHIFT_JIS", PAGE_JA, "shift_jis"},
    {"CP1252", PAGE_FR, "cp1252"},
  };
  size_t k;
  loupe_parser *p = NULL;
  for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    size_t n = 0;
    char *bytes = iconv_encode(cases[k].iconv_name, cases[k].page, &n);
    loupe_article *u8, *a, *forced;
    char what[80];
    if (bytes == NULL) {
      CHECK(0, "iconv cannot make %s here", cases[k].iconv_name);
      continue;
    }
    snprintf(what, sizeof what, "%s page as UTF-8", cases[k].iconv_name);
    u8 = parse_cs(what, NULL, cases[k].page, strlen(cases[k].page));
    snprintf(what, sizeof what, "%s page, charset detected",
             cases[k].iconv_name);
    a = parse_cs(what, NULL, bytes, n);
    snprintf(what, sizeof what, "%s page, charset given",
             cases[k].iconv_name);
    forced = parse_cs(what, cases[k].recorded, bytes, n);
    if (u8 && a && forced) {
      /* valid UTF-8 is never read as anything else */
      CHECK_STR("UTF-8 page encoding", u8->input.encoding, "utf-8");
      CHECK_STR(what, a->input.encoding, cases[k].recorded);
      CHECK_STR(what, forced->input.encoding, cases[k].recorded);
      CHECK_SIZE(what, a->input.invalid_utf8, 0);
      CHECK(u8->title.text && a->title.text &&
            strcmp(u8->title.text, a->title.text) == 0,
            "%s: title %s, want %s", what, show(a->title.text),
            show(u8->title.text));
      CHECK(u8->body && a->body && strcmp(u8->body, a->body) == 0 &&
            forced->body && strcmp(forced->body, a->body) == 0,
            "%s: body differs from the UTF-8 page's", what);
      /* offsets point into the bytes given: the title starts the page */
      CHECK_SIZE(what, a->title.offset, 0);
    }
    loupe_article_free(u8);
    loupe_article_free(a);
    loupe_article_free(forced);
    free(bytes);
  }
  /* names loupe does not read are refused, naming the ones it reads */
  if (loupe_parser_new(&p) == LOUPE_OK) {
    CHECK_RC("charset klingon", loupe_parser_set_charset(p, "klingon"),
             LOUPE_EINVAL);
    CHECK(strstr(loupe_errmsg(p), "klingon") && strstr(loupe_errmsg(p), "gbk"),
          "charset message: %s", show(loupe_errmsg(p)));
    CHECK_RC("charset auto", loupe_parser_set_charset(p, "AUTO"), LOUPE_OK);
    CHECK_RC("charset Windows-1252", loupe_parser_set_charset(p,
             "Windows-1252"), LOUPE_OK);
    loupe_parser_free(p);
  }
}

int main(void) {
  static const check_test tests[] = {test_wrapped, test_quote_marks,
    test_charsets};
  return check_run("test_parse_text", tests, sizeof tests / sizeof *tests);
}
