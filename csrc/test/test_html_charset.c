/*
 * test_html_charset.c - HTML pages in legacy charsets through the public
 * API: GBK, Shift_JIS and Big5 pages made with iconv at test time (meta
 * charset, detection, provenance into the page's bytes), windows-1252, a
 * stale meta charset, a forced charset and UTF-16. Ends with
 * "test_html_charset: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "html_helpers.h"
#include "iconv_encode.h"

#define ZH_TITLE "\xE6\xB8\xAF\xE5\x8F\xA3\xE6\x96\xB0\xE8\x88\xAA\xE7\xBA\xBF" \
  "\xE8\x8E\xB7\xE6\x89\xB9"            /* 港口新航线获批 */
#define ZH_P "\xE5\xB8\x82\xE8\xAE\xAE\xE4\xBC\x9A\xE5\x91\xA8\xE5\x9B\x9B" \
  "\xE6\x89\xB9\xE5\x87\x86\xE4\xBA\x86\xE4\xB8\x80\xE6\x9D\xA1\xE6\x96" \
  "\xB0\xE7\x9A\x84\xE6\xB8\xA1\xE8\xBD\xAE\xE8\x88\xAA\xE7\xBA\xBF\xEF" \
  "\xBC\x8C\xE8\xBF\x9E\xE6\x8E\xA5\xE8\x80\x81\xE6\xB8\xAF\xE5\x92\x8C" \
  "\xE4\xB8\x89\xE4\xB8\xAA\xE5\xA4\x96\xE5\xB2\x9B\xEF\xBC\x8C\xE9\x80" \
  "\x9A\xE5\x8B\xA4\xE6\x97\xB6\xE9\x97\xB4\xE5\xB0\x86\xE7\xBC\xA9\xE7" \
  "\x9F\xAD\xE8\xBF\x91\xE4\xB8\x80\xE5\x8D\x8A\xE3\x80\x82\xE5\xB1\x85" \
  "\xE6\xB0\x91\xE4\xB8\xBA\xE6\xAD\xA4\xE7\xAD\x89\xE5\xBE\x85\xE4\xBA" \
  "\x86\xE5\x8D\x81\xE5\xA4\x9A\xE5\xB9\xB4\xEF\xBC\x8C\xE8\xAE\xB8\xE5" \
  "\xA4\x9A\xE4\xBA\xBA\xE5\x9C\xA8\xE5\x90\xAC\xE8\xAF\x81\xE4\xBC\x9A" \
  "\xE4\xB8\x8A\xE8\xA1\xA8\xE7\xA4\xBA\xE6\x94\xAF\xE6\x8C\x81\xE3\x80\x82"

#define JA_TITLE "\xE6\xB8\xAF\xE3\x81\xAE\xE6\x96\xB0\xE8\x88\xAA\xE8\xB7\xAF\xE3" \
  "\x81\x8C\xE6\x89\xBF\xE8\xAA\x8D"   /* 港の新航路が承認 */
#define JA_P "\xE5\xB8\x82\xE8\xAD\xB0\xE4\xBC\x9A\xE3\x81\xAF\xE6\x9C\xA8\xE6" \
  "\x9B\x9C\xE6\x97\xA5\xE3\x80\x81\xE6\x97\xA7\xE6\xB8\xAF\xE3\x81" \
  "\xA8\xE4\xB8\x89\xE3\x81\xA4\xE3\x81\xAE\xE9\x9B\xA2\xE5\xB3\xB6" \
  "\xE3\x82\x92\xE7\xB5\x90\xE3\x81\xB6\xE6\x96\xB0\xE3\x81\x97\xE3" \
  "\x81\x84\xE3\x83\x95\xE3\x82\xA7\xE3\x83\xAA\xE3\x83\xBC\xE8\x88" \
  "\xAA\xE8\xB7\xAF\xE3\x82\x92\xE6\x89\xBF\xE8\xAA\x8D\xE3\x81\x97" \
  "\xE3\x81\x9F\xE3\x80\x82\xE9\x80\x9A\xE5\x8B\xA4\xE6\x99\x82\xE9" \
  "\x96\x93\xE3\x81\xAF\xE3\x81\xBB\xE3\x81\xBC\xE5\x8D\x8A\xE5\x88" \
  "\x86\xE3\x81\xAB\xE3\x81\xAA\xE3\x82\x8B\xE3\x81\xA8\xE3\x81\x84" \
  "\xE3\x81\x86\xE3\x80\x82\xE4\xBD\x8F\xE6\xB0\x91\xE3\x81\xAF\xE5" \
  "\x8D\x81\xE5\xB9\xB4\xE4\xBB\xA5\xE4\xB8\x8A\xE3\x81\x93\xE3\x81" \
  "\xAE\xE8\xA8\x88\xE7\x94\xBB\xE3\x82\x92\xE5\xBE\x85\xE3\x81\xA3" \
  "\xE3\x81\xA6\xE3\x81\x84\xE3\x81\x9F\xE3\x80\x82"
#define TW_TITLE "\xE6\xB8\xAF\xE5\x8F\xA3\xE6\x96\xB0\xE8\x88\xAA\xE7\xB7\x9A\xE7" \
  "\x8D\xB2\xE6\x89\xB9"   /* 港口新航線獲批 */
#define TW_P "\xE5\xB8\x82\xE8\xAD\xB0\xE6\x9C\x83\xE9\x80\xB1\xE5\x9B\x9B\xE6" \
  "\x89\xB9\xE5\x87\x86\xE4\xBA\x86\xE4\xB8\x80\xE6\xA2\x9D\xE6\x96" \
  "\xB0\xE7\x9A\x84\xE6\xB8\xA1\xE8\xBC\xAA\xE8\x88\xAA\xE7\xB7\x9A" \
  "\xEF\xBC\x8C\xE9\x80\xA3\xE6\x8E\xA5\xE8\x80\x81\xE6\xB8\xAF\xE5" \
  "\x92\x8C\xE4\xB8\x89\xE5\x80\x8B\xE5\xA4\x96\xE5\xB3\xB6\xEF\xBC" \
  "\x8C\xE9\x80\x9A\xE5\x8B\xA4\xE6\x99\x82\xE9\x96\x93\xE5\xB0\x87" \
  "\xE7\xB8\xAE\xE7\x9F\xAD\xE8\xBF\x91\xE4\xB8\x80\xE5\x8D\x8A\xE3" \
  "\x80\x82\xE5\xB1\x85\xE6\xB0\x91\xE7\x82\xBA\xE6\xAD\xA4\xE7\xAD" \
  "\x89\xE5\xBE\x85\xE4\xBA\x86\xE5\x8D\x81\xE5\xA4\x9A\xE5\xB9\xB4" \
  "\xEF\xBC\x8C\xE8\xA8\xB1\xE5\xA4\x9A\xE4\xBA\xBA\xE5\x9C\xA8\xE8" \
  "\x81\xBD\xE8\xAD\x89\xE6\x9C\x83\xE4\xB8\x8A\xE8\xA1\xA8\xE7\xA4" \
  "\xBA\xE6\x94\xAF\xE6\x8C\x81\xE3\x80\x82"

static void check_cjk_page(const char *cs, const char *decl, const char *enc,
                           const char *title, const char *para,
                           const char *lang) {
  char page[4096];
  char *bytes, *gp;
  size_t len, plen;
  loupe_article *a;
  snprintf(page, sizeof page,
           "<html><head>%s<title>%s</title></head><body>\n"
           "<h1>%s</h1>\n<p>%s</p>\n<p>%s%s</p>\n"
           "</body></html>\n", decl, title, title, para, para, para);
  bytes = iconv_encode(cs, page, &len);
  CHECK(bytes != NULL, "iconv can write %s", cs);
  if (bytes == NULL) return;
  a = parse_ok(cs, bytes, len, LOUPE_FORMAT_AUTO);
  if (a) {
    CHECK_STR("encoding", a->input.encoding, enc);
    CHECK_STR("title read from the legacy charset", a->title.text, title);
    CHECK(body_has(a, para), "%s body converted to UTF-8", cs);
    CHECK(a->input.invalid_utf8 == 0, "%s: no replaced bytes", cs);
    /* the first paragraph's offset points at its bytes in the charset */
    gp = iconv_encode(cs, para, &plen);
    CHECK(gp && a->n_paragraphs > 0 &&
          a->paragraphs[0].offset + 8 <= len &&
          memcmp(bytes + a->paragraphs[0].offset, gp, 8) == 0,
          "%s paragraph offset points into the page's own bytes", cs);
    CHECK_INT("paragraph line", a->n_paragraphs ? a->paragraphs[0].line : 0,
              a->n_paragraphs ? line_at(bytes, a->paragraphs[0].offset) : 1);
    free(gp);
    CHECK_STR("language", a->lang.text, lang);
    loupe_article_free(a);
  }
  free(bytes);
}

static void test_cjk(void) {
  check_cjk_page("GBK", "<meta charset=\"gbk\">", "gb18030", ZH_TITLE, ZH_P,
                 "zh");
  check_cjk_page("SHIFT_JIS", "<meta http-equiv=\"Content-Type\" "
                 "content=\"text/html; charset=Shift_JIS\">", "shift_jis",
                 JA_TITLE, JA_P, "ja");
  check_cjk_page("BIG5", "<meta charset=\"big5\">", "big5", TW_TITLE, TW_P,
                 "zh");
}

/* An HTML page in a charset, parsed with the format and charset found:
 * the encoding it is read as, a text its body holds (in UTF-8) and the
 * first bytes of its first paragraph in the page's own bytes (each NULL:
 * not checked). */
typedef struct {
  const char *what, *page;
  size_t len;
  const char *encoding, *body, *para;
} charset_case;

/* windows-1252 without a declaration: curly quotes and an e-acute */
static const char cp1252[] =
  "<html><body><h1>Caf\xE9 owners object</h1>\n<p>\x93We were not asked,"
  "\x94 said the owner of the caf\xE9 by the pier, who has run it for "
  "twenty years and says the new rules will cost her the summer "
  "trade.</p></body></html>";
/* UTF-8 bytes under a stale Latin-1 declaration */
static const char stale[] =
  "<html><head><meta charset=\"iso-8859-1\"></head><body><h1>Caf\xC3\xA9 "
  "owners object</h1>\n<p>The owner of the caf\xC3\xA9 by the pier said "
  "the new rules would cost her the summer trade, and that nobody from "
  "the council had asked her first.</p></body></html>";
static const char utf16[] =
  "\xFF\xFE<\0h\0t\0m\0l\0>\0<\0p\0>\0F\0e\0r\0r\0y\0 \0"
  "l\0i\0n\0k\0 \0a\0p\0p\0r\0o\0v\0e\0d\0 \0b\0y\0 \0t\0h\0e\0 \0"
  "c\0o\0u\0n\0c\0i\0l\0.\0<\0/\0p\0>\0";

static const charset_case charset_cases[] = {
  {"windows-1252 page", cp1252, sizeof cp1252 - 1, "cp1252",
   "\xE2\x80\x9CWe were not asked,\xE2\x80\x9D said the owner of the "
   "caf\xC3\xA9", "\x93We"},
  {"stale declaration", stale, sizeof stale - 1, "utf-8",
   "caf\xC3\xA9 by the pier", "The owner"},
  {"UTF-16LE page", utf16, sizeof utf16 - 1, "utf-16le",
   NULL, NULL},
};

static void test_charsets(void) {
  size_t i;
  for (i = 0; i < sizeof charset_cases / sizeof *charset_cases; i++) {
    const charset_case *k = &charset_cases[i];
    loupe_article *a = parse_ok(k->what, k->page, k->len, LOUPE_FORMAT_AUTO);
    if (a == NULL) continue;
    CHECK_STR(k->what, a->input.encoding, k->encoding);
    CHECK_INT(k->what, a->source_format, LOUPE_FORMAT_HTML);
    CHECK(k->body == NULL || body_has(a, k->body), "%s: body without '%s'",
          k->what, k->body ? k->body : "");
    CHECK(k->para == NULL ||
          (a->n_paragraphs > 0 &&
           memcmp(k->page + a->paragraphs[0].offset, k->para,
                  strlen(k->para)) == 0),
          "%s: paragraph offset into the page's own bytes", k->what);
    loupe_article_free(a);
  }
}

/* The caller's charset wins over the page's declaration. */
static void test_forced_charset(void) {
  static const char koi[] =
    "<html><head><meta charset=\"utf-8\"></head><body><p>Caf\xE9 by "
    "the pier: the owner said the new rules would cost her the summer "
    "trade, and that nobody from the council had asked her.</p>"
    "</body></html>";
  loupe_parser *p = NULL;
  loupe_article *b = NULL;
  int rc;
  loupe_parser_new(&p);
  loupe_parser_set_format(p, LOUPE_FORMAT_HTML);
  CHECK_RC("set charset", loupe_parser_set_charset(p, "latin1"), LOUPE_OK);
  rc = loupe_parse(p, koi, sizeof koi - 1, &b);
  CHECK_RC("forced charset", rc, LOUPE_OK);
  if (b) {
    CHECK_STR("encoding forced", b->input.encoding, "cp1252");
    CHECK(body_has(b, "Caf\xC3\xA9 by the pier"), "read as Latin-1");
    loupe_article_free(b);
  }
  loupe_parser_free(p);
}

int main(void) {
  static const check_test tests[] = {test_cjk, test_charsets,
    test_forced_charset};
  return check_run("test_html_charset", tests, sizeof tests / sizeof *tests);
}
