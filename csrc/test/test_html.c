/*
 * test_html.c - HTML pages through the public API and the HTML modules'
 * internals: detection, the lenient JSON reader, an invented news page
 * (boilerplate, metadata, provenance into the page's bytes), hidden
 * elements, gzip, broken markup, dates from metadata against the page and
 * hostile input (legacy charsets are in test_html_charset.c). Ends with
 * "test_html: N passed, N failed".
 */
#define _GNU_SOURCE               /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "extract/html.h"
#include "html_helpers.h"

/* ---- the invented article ---- */

#define TITLE "Harbour council backs new ferry link to the outer islands"
#define P1 "ARVENSTAD -- The harbour council on Thursday approved a new " \
  "ferry link that will connect the old port with three outer islands, " \
  "cutting the journey for commuters by almost half."
#define P2 "The first two vessels will enter service next spring, the " \
  "council said, and fares will be set at the level of the bus routes " \
  "that cross the river today."
#define P3 "Residents of the islands have asked for a faster connection " \
  "for more than a decade, and several of them spoke at the hearing in " \
  "support of the plan, some after a long night at the caf\xC3\xA9."
#define P4 "\"We waited a long time for this,\" said Ilse Brandt, who runs " \
  "a bakery on the largest island and crosses twice a week."
#define P5 "Officials said the project would be paid for from the transport " \
  "budget, with no new taxes, and that work on the two piers would " \
  "begin in the autumn if the weather allows."
#define LI1 "a stop at the fish market pier on weekdays before eight"
#define LI2 "bicycles carried free of charge outside the rush hours"

static const char ARTICLE[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en-GB\">\n"
  "<head>\n"
  "<meta charset=\"utf-8\">\n"
  "<title>" TITLE " | Harbour Gazette</title>\n"
  "<meta property=\"og:title\" content=\"" TITLE "\">\n"
  "<meta property=\"og:site_name\" content=\"Harbour Gazette\">\n"
  "<meta property=\"article:section\" content=\"Local\">\n"
  "<meta name=\"description\" content=\"The council approved a ferry link "
  "to three islands.\">\n"
  "<link rel=\"canonical\" href=\"https://gazette.example/local/2022/03/03/"
  "ferry-link\">\n"
  "<script type=\"application/ld+json\">\n"
  "{\"@context\": \"https://schema.org\", \"@graph\": [\n"
  "  {\"@type\": \"WebSite\", \"name\": \"Harbour Gazette\"},\n"
  "  {\"@type\": \"NewsArticle\", \"headline\": \"" TITLE "\",\n"
  "   \"datePublished\": \"2022-03-03T10:15:00+01:00\",\n"
  "   \"dateModified\": \"2022-03-03T12:40:00+01:00\",\n"
  "   \"author\": [{\"@type\": \"Person\", \"name\": \"Mira Koval\"},\n"
  "              {\"@type\": \"Person\", \"name\": \"Tomas Varga\"}],\n"
  "   \"publisher\": {\"@type\": \"Organization\", \"name\": "
  "\"Harbour Gazette\"},}\n"
  "]}\n"
  "</script>\n"
  "<style>p { color: black; }</style>\n"
  "</head>\n"
  "<body>\n"
  "<div class=\"cookie-consent\"><p>We use cookies to improve your "
  "experience on our website and to show you relevant content.</p></div>\n"
  "<header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/local\">"
  "Local</a></li><li><a href=\"/world\">World</a></li><li><a href=\"/sport\">"
  "Sport</a></li></ul></nav></header>\n"
  "<main><article>\n"
  "<h1>" TITLE "</h1>\n"
  "<p class=\"byline\">By Mira Koval and Tomas Varga</p>\n"
  "<time datetime=\"2022-03-03T10:15:00+01:00\">March 3, 2022</time>\n"
  "<figure><img src=\"ferry.jpg\" alt=\"\"><figcaption>The ferry "
  "Nordlys leaves the old port on a winter morning. Photo: Lars "
  "Oyen</figcaption></figure>\n"
  "<div class=\"story-body\">\n"
  "<p>" P1 "</p>\n"
  "<p>" P2 "</p>\n"
  "<aside class=\"related\"><h3>Related</h3><ul><li><a href=\"/a\">Bus "
  "fares to rise in the spring</a></li><li><a href=\"/b\">Island school "
  "to close for repairs</a></li></ul></aside>\n"
  "<p>" P3 "</p>\n"
  "<p>" P4 "</p>\n"
  "<p>The new line will offer:</p>\n"
  "<ul><li>" LI1 "</li><li>" LI2 "</li></ul>\n"
  "<p>" P5 "</p>\n"
  "</div>\n"
  "<div class=\"share-tools\"><a href=\"#\">Share on Facebook</a> "
  "<a href=\"#\">Share on Twitter</a></div>\n"
  "</article>\n"
  "<section id=\"comments\"><h2>Comments</h2>\n"
  "<div class=\"comment\"><p>I have taken that ferry for years and it "
  "is always late in the winter, so I doubt the new one will be any "
  "better than the old one was.</p></div>\n"
  "</section>\n"
  "</main>\n"
  "<aside><h3>Most read</h3><ol><li><a href=\"/x\">Storm closes the "
  "northern road for a second day</a></li></ol></aside>\n"
  "<footer><p>&copy; 2022 Harbour Gazette. All rights reserved.</p>"
  "</footer>\n"
  "</body>\n"
  "</html>\n";

/* The paragraph whose text starts with s, or NULL. */
static const loupe_span *para_starting(const loupe_article *a,
                                       const char *s) {
  size_t i;
  for (i = 0; i < a->n_paragraphs; i++)
    if (strncmp(a->paragraphs[i].text, s, strlen(s)) == 0)
      return &a->paragraphs[i];
  return NULL;
}

static void test_article(void) {
  int rc;
  size_t n = sizeof ARTICLE - 1, i;
  loupe_article *a = parse_as(ARTICLE, n, LOUPE_FORMAT_AUTO, &rc);
  const loupe_meta *m;
  const loupe_span *sp;
  CHECK_RC("parse the article", rc, LOUPE_OK);
  if (a == NULL) return;
  CHECK_INT("source_format", a->source_format, LOUPE_FORMAT_HTML);
  CHECK_STR("title", a->title.text, TITLE);
  CHECK(a->title.offset < n && strncmp(ARTICLE + a->title.offset, "Harbour", 7)
        == 0, "title offset %zu points at the headline", a->title.offset);
  CHECK_STR("date", a->date.text, "2022-03-03T10:15:00+01:00");
  CHECK_STR("date rule", a->date.rule, "jsonld:datePublished");
  CHECK(a->date.offset < n && strncmp(ARTICLE + a->date.offset,
        "2022-03-03T10:15", 16) == 0, "date offset points into the JSON-LD");
  CHECK_STR("date_visible", a->date_visible.text, "2022-03-03");
  CHECK_STR("date_modified", a->date_modified.text,
            "2022-03-03T12:40:00+01:00");
  CHECK_STR("outlet", a->outlet.text, "Harbour Gazette");
  CHECK_STR("section", a->section.text, "Local");
  CHECK_STR("url", a->url.text,
            "https://gazette.example/local/2022/03/03/ferry-link");
  CHECK_STR("url rule", a->url.rule, "link:canonical");
  CHECK(a->description.text && strstr(a->description.text, "ferry link"),
        "description from the meta tag");
  CHECK_STR("lang", a->lang.text, "en");
  CHECK_INT("two authors", a->n_authors, 2);
  if (a->n_authors == 2) {
    CHECK_STR("first author", a->authors[0].text, "Mira Koval");
    CHECK_STR("second author", a->authors[1].text, "Tomas Varga");
  }
  m = meta_of(a, "date_published");
  CHECK(m && strcmp(m->value.rule, "jsonld:datePublished") == 0,
        "meta date_published from JSON-LD");
  m = meta_of(a, "date_url");
  CHECK(m && strcmp(m->value.text, "2022-03-03") == 0 &&
        strcmp(m->value.rule, "url") == 0, "the canonical URL's date");
  m = meta_of(a, "date_time");
  CHECK(m && strcmp(m->value.rule, "time[datetime]") == 0,
        "the <time datetime> is kept");
  /* the article, its list kept, and nothing around it */
  CHECK(body_has(a, P1) && body_has(a, P2) && body_has(a, P3) &&
        body_has(a, P4) && body_has(a, P5), "every paragraph in the body");
  CHECK(body_has(a, LI1) && body_has(a, LI2), "the list inside the article");
  CHECK(!body_has(a, "cookies"), "no cookie banner");
  CHECK(!body_has(a, "Home"), "no navigation");
  CHECK(!body_has(a, "Bus fares"), "no related list");
  CHECK(!body_has(a, "ferry Nordlys"), "no figure caption");
  CHECK(!body_has(a, "I have taken that ferry"), "no comments");
  CHECK(!body_has(a, "Storm closes"), "no sidebar");
  CHECK(!body_has(a, "Share on"), "no share buttons");
  CHECK(!body_has(a, "All rights reserved"), "no footer");
  CHECK(!body_has(a, "color: black"), "no style");
  /* provenance: each paragraph's offset is its text in the page */
  for (i = 0; i < a->n_paragraphs; i++) {
    sp = &a->paragraphs[i];
    CHECK(sp->offset + 12 <= n &&
          memcmp(ARTICLE + sp->offset, sp->text, 12) == 0,
          "paragraph %zu offset %zu points at its text", i + 1, sp->offset);
    CHECK_INT("paragraph line", sp->line, line_at(ARTICLE, sp->offset));
  }
  sp = para_starting(a, "Residents");
  CHECK(sp != NULL, "the paragraph with an entity-free accent");
  /* quotes keep offsets into the page */
  for (i = 0; i < a->n_quotes; i++)
    CHECK(a->quotes[i].text.offset < n &&
          memcmp(ARTICLE + a->quotes[i].text.offset, a->quotes[i].text.text,
                 5) == 0, "quote %zu offset points at its words", i + 1);
  /* lines: one per source line of the page, as for text, each with the
   * label of the text on it */
  CHECK_INT("a line entry per source line", a->n_lines, a->input.lines);
  CHECK_INT("source lines", a->input.lines, line_at(ARTICLE, n - 1));
  for (i = 0; i < a->n_lines; i++) {
    const char *ls = ARTICLE + a->lines[i].offset;
    const char *le = strchr(ls, '\n');
    size_t ll = le ? (size_t)(le - ls) : strlen(ls);
    CHECK_INT("line numbered", a->lines[i].line, i + 1);
    CHECK_INT("line offset", line_at(ARTICLE, a->lines[i].offset), i + 1);
    if (memmem(ls, ll, "We use cookies", 14))
      CHECK(a->lines[i].label == LOUPE_LINE_BOILERPLATE,
            "the cookie banner's line is boilerplate");
    if (memmem(ls, ll, "ARVENSTAD", 9))
      CHECK(a->lines[i].label == LOUPE_LINE_BODY, "P1's line is body");
    if (memmem(ls, ll, "<head>", 6))
      CHECK(a->lines[i].label == LOUPE_LINE_BLANK, "markup alone is blank");
  }
  loupe_article_free(a);
}

/* ---- detection ---- */

static void test_sniff(void) {
  static const char plain[] =
    "Harbour council backs new ferry link\nBy Mira Koval\n\n"
    "The council approved the plan on <b>Thursday</b>, officials said.\n";
  static const char tags[] =
    "<p>One</p>\n<p>Two</p>\n<p>Three</p>\n<div>Four</div><div>Five</div>\n"
    "<p>Six <a href=x>link</a></p><p>Seven</p><br><br/><span>x</span>\n";
  static const char md[] =
    "# Harbour council backs ferry link\n\nBy **Mira Koval**\n\n"
    "The council [approved](https://gazette.example/a) the plan.\n";
  CHECK(lp_html_sniff("<!DOCTYPE html><p>x", 19), "doctype");
  CHECK(lp_html_sniff("\xEF\xBB\xBF  <!-- saved --><html><body>x", 33),
        "BOM, a comment, then <html>");
  CHECK(lp_html_sniff("<HEAD><TITLE>x</TITLE>", 22), "upper-case <HEAD>");
  CHECK(lp_html_sniff(tags, sizeof tags - 1), "many tags");
  CHECK(!lp_html_sniff(plain, sizeof plain - 1), "text with one <b> tag");
  CHECK(lp_html_sniff("\xFF\xFE<\0h\0t\0m\0l\0>\0", 14), "UTF-16LE <html>");
  CHECK_INT("markdown", lp_detect_format(md, sizeof md - 1),
            LOUPE_FORMAT_MARKDOWN);
  CHECK_INT("text", lp_detect_format(plain, sizeof plain - 1),
            LOUPE_FORMAT_TEXT);
  CHECK_INT("format of .html.gz", loupe_format_of_path("a/b.HTML.gz"),
            LOUPE_FORMAT_HTML);
  CHECK_INT("format of .htm", loupe_format_of_path("b.htm"),
            LOUPE_FORMAT_HTML);
  CHECK_INT("format of .xhtml", loupe_format_of_path("b.xhtml"),
            LOUPE_FORMAT_HTML);
  CHECK_INT("format of .md", loupe_format_of_path("b.md"),
            LOUPE_FORMAT_MARKDOWN);
  CHECK_INT("format of .txt", loupe_format_of_path("b.txt"),
            LOUPE_FORMAT_AUTO);
  CHECK_STR("format name", loupe_format_name(LOUPE_FORMAT_HTML), "html");
}

/* ---- JSON ---- */

static void test_json(void) {
  lp_arena ar;
  lp_json *j = NULL;
  const lp_json *v;
  int rc, depth;
  char deep[400];
  static const char messy[] =
    "<!--//--><![CDATA[//><!--\n"
    "{\"a\": 1, // a comment\n \"list\": [1, 2, ],\n"
    " \"s\": \"line\nbreak \\u00e9 \\ud83d\\ude00\", 'q': 'single',\n"
    " bare: yes, }\n//--><!]]>";
  memset(&ar, 0, sizeof ar);
  rc = lp_json_parse(messy, sizeof messy - 1, &ar, &j);
  CHECK_RC("messy JSON", rc, LOUPE_OK);
  CHECK(j && j->type == LP_J_OBJ, "an object");
  v = lp_json_get(j, "s");
  CHECK(v && strcmp(v->str, "line\nbreak \xC3\xA9 \xF0\x9F\x98\x80") == 0,
        "escapes and a raw line break decoded");
  v = lp_json_get(j, "list");
  CHECK(v && v->type == LP_J_ARR && v->child && v->child->next &&
        v->child->next->next == NULL, "trailing comma: two elements");
  v = lp_json_get(j, "q");
  CHECK(v && strcmp(v->str, "single") == 0, "single quotes");
  v = lp_json_get(j, "bare");
  CHECK(v && strcmp(v->str, "yes") == 0, "a bare key and word");
  rc = lp_json_parse("{\"a\": {\"b\": \"c\"", 15, &ar, &j);
  CHECK(rc == LOUPE_OK && j && (v = lp_json_get(lp_json_get(j, "a"), "b")) &&
        strcmp(v->str, "c") == 0, "a cut-off document keeps what it read");
  rc = lp_json_parse("{\"x\":1}{\"y\":2}", 14, &ar, &j);
  CHECK(rc == LOUPE_OK && j && j->type == LP_J_ARR && j->child &&
        j->child->next, "two objects in a row become an array");
  for (depth = 0; depth < 300; depth++) deep[depth] = '[';
  memcpy(deep + 300, "\"x\"", 3);
  rc = lp_json_parse(deep, 303, &ar, &j);
  CHECK_RC("300 levels of nesting are skipped past 64", rc, LOUPE_OK);
  rc = lp_json_parse("", 0, &ar, &j);
  CHECK(rc == LOUPE_OK && j == NULL, "empty input: no value");
  lp_arena_free(&ar);
}

/* ---- hidden elements ---- */

static void test_hidden(void) {
  static const char page[] =
    "<html><head><title>Quiet harbour night</title></head><body>\n"
    "<h1>Quiet harbour night</h1>\n"
    "<p>The harbour was quiet on Tuesday night as the last ferry left the "
    "pier, and the crews of the fishing boats said the season had ended "
    "early because of the storms in the north.</p>\n"
    "<p style=\"display: none\">Hidden by style text that is long enough "
    "to read as prose if anything had shown it to the reader at all.</p>\n"
    "<p hidden>Hidden by attribute text that is long enough to read as "
    "prose if anything had shown it to the reader at all anyway.</p>\n"
    "<div aria-hidden=\"true\"><p>Hidden from readers text that is long "
    "enough to read as prose if anything had shown it to them.</p></div>\n"
    "<span class=\"sr-only\">Screen reader text</span>\n"
    "<template><p>Template text that is never shown anywhere on the page "
    "unless a script copies it into the document later.</p></template>\n"
    "<script>var t = \"Script text\";</script>\n"
    "<svg><title>Chart title</title><text>Svg text</text></svg>\n"
    "<p>The port authority said the ferry timetable for the winter would "
    "be published next week, with fewer crossings on Sundays than in the "
    "summer months.</p>\n"
    "</body></html>\n";
  loupe_article *a = parse_ok("parse the page with hidden parts", page,
                              sizeof page - 1, LOUPE_FORMAT_HTML);
  if (a == NULL) return;
  CHECK(body_has(a, "last ferry left") && body_has(a, "winter would"),
        "the visible paragraphs");
  CHECK(!body_has(a, "Hidden by"), "display:none and hidden dropped");
  CHECK(!body_has(a, "Hidden from"), "aria-hidden dropped");
  CHECK(!body_has(a, "Screen reader"), "sr-only dropped");
  CHECK(!body_has(a, "Template text"), "template dropped");
  CHECK(!body_has(a, "Script text") && !body_has(a, "Svg text") &&
        !body_has(a, "Chart title"), "script and svg dropped");
  CHECK_STR("title from <title> and h1", a->title.text, "Quiet harbour night");
  loupe_article_free(a);
}

/* ---- charsets ---- */

/* Convert UTF-8 s to charset cs with iconv into a new buffer. */
static char *gzip(const char *s, size_t n, size_t *len) {
  z_stream zs;
  size_t cap = n + 1024;
  char *out = malloc(cap);
  memset(&zs, 0, sizeof zs);
  if (out == NULL || deflateInit2(&zs, 6, Z_DEFLATED, 31, 8,
                                  Z_DEFAULT_STRATEGY) != Z_OK) {
    free(out);
    return NULL;
  }
  zs.next_in = (Bytef *)s;
  zs.avail_in = (uInt)n;
  zs.next_out = (Bytef *)out;
  zs.avail_out = (uInt)cap;
  deflate(&zs, Z_FINISH);
  *len = cap - zs.avail_out;
  deflateEnd(&zs);
  return out;
}

static void test_gzip(void) {
  size_t len;
  char *gz = gzip(ARTICLE, sizeof ARTICLE - 1, &len);
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  int rc;
  CHECK(gz != NULL, "gzip the page");
  if (gz == NULL) return;
  loupe_parser_new(&p);
  rc = loupe_parse(p, gz, len, &a);
  CHECK_RC("gzip-compressed page", rc, LOUPE_OK);
  if (a) {
    CHECK_STR("title", a->title.text, TITLE);
    CHECK_INT("offsets are into the inflated page",
              memcmp(ARTICLE + a->paragraphs[0].offset, "ARVENSTAD", 9), 0);
    loupe_article_free(a);
  }
  rc = loupe_parse(p, gz, len / 2, &a);
  CHECK_RC("a cut gzip stream", rc, LOUPE_EENCODING);
  CHECK(strstr(loupe_errmsg(p), "gzip") != NULL, "message says gzip: %s",
        loupe_errmsg(p));
  loupe_parser_set_max_bytes(p, len + 10);
  rc = loupe_parse(p, gz, len, &a);
  CHECK_RC("inflating past max_bytes", rc, LOUPE_ELIMIT);
  CHECK(strstr(loupe_errmsg(p), "max_bytes") != NULL,
        "message names the option: %s", loupe_errmsg(p));
  loupe_parser_free(p);
  free(gz);
}

/* ---- broken markup, no metadata ---- */

static void test_broken(void) {
  static const char page[] =
    "<html><body><table><tr><td><div class=menu><a href=/>Home</a> | "
    "<a href=/news>News</a> | <a href=/sport>Sport</a></div>\n"
    "<td><h2>Storm closes northern road</h2>\n"
    "<p>By Jana Ostrow\n<p>March 3, 2022 10:15 AM\n"
    "<p>The northern road was closed on Thursday after the storm brought "
    "down trees along the coast, the road authority said, and it would stay "
    "closed until crews had cleared the worst of the damage.\n"
    "<p>Drivers were told to use the inland route, which adds about forty "
    "minutes to the journey, and the ferry company added two crossings "
    "for those travelling to the islands &amp; back.</b></i></div>\n"
    "<p>Forecasters expect the wind to ease by the weekend, but warned "
    "that more rain could bring flooding to the low fields near the river "
    "mouth on Sunday night.\n"
    "</table><p>&copy; 2022 Coast Weekly</body>";
  loupe_article *a = parse_ok("broken markup", page, sizeof page - 1,
                              LOUPE_FORMAT_AUTO);
  if (a == NULL) return;
  CHECK(body_has(a, "northern road was closed") &&
        body_has(a, "islands & back") && body_has(a, "Forecasters"),
        "the paragraphs, entity decoded");
  CHECK(!body_has(a, "Home"), "no menu");
  CHECK_STR("date from the visible text", a->date.text, "2022-03-03T10:15");
  CHECK(a->date.rule && strchr(a->date.rule, ':') == NULL,
        "a rule of the text labeller (%s)", a->date.rule ? a->date.rule : "");
  CHECK_INT("no metadata", a->n_meta, 0);
  CHECK(a->n_authors == 1 && strcmp(a->authors[0].text, "Jana Ostrow") == 0,
        "the byline");
  loupe_article_free(a);
}

/* ---- dates: metadata against the page ---- */

static loupe_article *dated_page(const char *head, const char *shown,
                                 int *rc) {
  char page[4096];
  snprintf(page, sizeof page,
           "<html><head><title>Ferry timetable for winter</title>%s</head>"
           "<body><h1>Ferry timetable for winter</h1><p class=date>%s</p>\n"
           "<p>The ferry company published its winter timetable on the "
           "evening of the council meeting, with two crossings fewer on "
           "Sundays and an earlier last boat on weekdays.</p>\n"
           "<p>Passengers who travel to the islands for work said the early "
           "boat would help them, but the late crossing on Fridays would "
           "be missed by many of them.</p></body></html>", head, shown);
  return parse_as(page, strlen(page), LOUPE_FORMAT_HTML, rc);
}

static void test_dates(void) {
  int rc;
  loupe_article *a;
  const loupe_meta *m;
  /* a UTC time past midnight, shown as the publisher's evening */
  a = dated_page("<script type=\"application/ld+json\">{\"@type\":"
                 "\"NewsArticle\",\"datePublished\":\"2022-03-04T02:30:00Z\"}"
                 "</script>", "Published March 3, 2022", &rc);
  CHECK_RC("UTC evening page", rc, LOUPE_OK);
  if (a) {
    CHECK(a->date.text && strncmp(a->date.text, "2022-03-03", 10) == 0,
          "the local day shown wins: %s", a->date.text ? a->date.text : "");
    m = meta_of(a, "date_published");
    CHECK(m && strcmp(m->value.text, "2022-03-04T02:30:00Z") == 0,
          "the metadata value is kept");
    CHECK(a->date_visible.text != NULL, "date_visible set");
    loupe_article_free(a);
  }
  /* the same, at noon UTC: the metadata wins */
  a = dated_page("<meta property=\"article:published_time\" "
                 "content=\"2022-03-04T12:30:00Z\">", "Posted March 3, 2022",
                 &rc);
  if (a) {
    CHECK_STR("metadata wins at noon", a->date.text, "2022-03-04T12:30:00Z");
    CHECK_STR("its rule", a->date.rule, "meta:article:published_time");
    CHECK(a->date_visible.text && strncmp(a->date_visible.text, "2022-03-03",
                                          10) == 0, "the shown date kept");
    loupe_article_free(a);
  }
  /* a generic "date" meta yields to the page */
  a = dated_page("<meta name=\"date\" content=\"2022-03-10\">",
                 "Updated March 3, 2022", &rc);
  if (a) {
    CHECK(a->date.text && strncmp(a->date.text, "2022-03-03", 10) == 0,
          "the page's date over meta name=date: %s",
          a->date.text ? a->date.text : "");
    loupe_article_free(a);
  }
  /* no date shown: the URL's */
  a = dated_page("<link rel=\"canonical\" href=\"https://x.example/2021/11/"
                 "05/ferry\">", "", &rc);
  if (a) {
    CHECK_STR("date from the URL", a->date.text, "2021-11-05");
    CHECK_STR("url rule", a->date.rule, "url");
    loupe_article_free(a);
  }
}

/* ---- several articles on one page ---- */

static void test_two_articles(void) {
  char page[16384];
  size_t n = 0, k;
  loupe_article *a;
  n += (size_t)snprintf(page + n, sizeof page - n,
    "<html><head><meta property=\"og:title\" content=\"Pier repairs to start "
    "in May\"></head><body><article><h1>Pier repairs to start in May</h1>"
    "<p>Work on the old pier will start in May, the port said on Monday, "
    "after divers found cracks in two of the wooden piles last winter.</p>"
    "<p>The repairs will close the southern berth for six weeks, and the "
    "fishing boats will moor at the new quay in the meantime.</p>"
    "</article>\n");
  n += (size_t)snprintf(page + n, sizeof page - n,
    "<article><h2>Next story: island school</h2>");
  for (k = 0; k < 8; k++)
    n += (size_t)snprintf(page + n, sizeof page - n,
      "<p>The island school will close for repairs in the summer, the "
      "council said, and its forty pupils will take the ferry to the town "
      "school for a term while builders replace the roof (%zu).</p>", k);
  n += (size_t)snprintf(page + n, sizeof page - n, "</article></body></html>");
  a = parse_ok("two articles", page, n, LOUPE_FORMAT_AUTO);
  if (a == NULL) return;
  CHECK(body_has(a, "Work on the old pier") && body_has(a, "southern berth"),
        "the article the headline opens");
  CHECK(!body_has(a, "island school"), "not the longer story after it");
  loupe_article_free(a);
}

/* ---- a page a script would fill ---- */

static void test_scripted(void) {
  static const char shell[] =
    "<html><head><title>Ferry timetable for winter | Harbour Gazette</title>"
    "<meta property=\"og:title\" content=\"Ferry timetable for winter\">"
    "<meta property=\"article:published_time\" "
    "content=\"2022-03-03T18:00:00+01:00\"></head><body><div id=\"app\">"
    "</div><script src=\"/app.js\"></script></body></html>";
  loupe_article *a = parse_ok("a page with metadata and no text", shell,
                              sizeof shell - 1, LOUPE_FORMAT_AUTO);
  if (a) {
    CHECK_STR("title from metadata", a->title.text,
              "Ferry timetable for winter");
    CHECK_STR("date from metadata", a->date.text,
              "2022-03-03T18:00:00+01:00");
    CHECK(a->body && a->body[0] == '\0' && a->n_paragraphs == 0,
          "an empty body");
    loupe_article_free(a);
  }
}

/* ---- pages checked by what their body holds and leaves out ---- */

/* a table inside the article */
static const char TABLE_PAGE[] =
  "<html><body><nav><ul><li><a href=/>Home</a></li><li><a href=/s>Sport"
  "</a></li></ul></nav><article><h1>Harbour regatta results</h1>"
  "<p>The harbour regatta ended on Sunday after three days of racing in "
  "light winds, and the crew of the Nordlys took the cup for the second "
  "year running, ahead of two boats from the islands.</p>"
  "<p>The organisers said the entries had risen by a third since last "
  "year, and that the course would be moved further out next summer so "
  "that bigger boats could take part.</p>"
  "<p>The next regatta will be held in the first week of June, the club "
  "said, and entries open at the start of the year for crews from all "
  "over the coast.</p>"
  "<table><tr><th>Place</th><th>Boat</th><th>Time</th></tr>"
  "<tr><td>1</td><td>Nordlys of Arvenstad</td><td>2 h 41 min</td></tr>"
  "<tr><td>2</td><td>Sjoerd of the Outer Islands</td><td>2 h 44 min</td>"
  "</tr></table></article><footer><p>Harbour Sailing Club</p></footer>"
  "</body></html>";

/* a sentence with a long link inside it; a list of links */
static const char LINKED_PAGE[] =
  "<html><body><article><h1>Harbour regatta moves further out</h1>"
  "<p>The harbour regatta ended on Sunday after three days of racing in "
  "light winds, and the crew of the Nordlys took the cup for the second "
  "year running, ahead of two boats from the islands.</p>"
  "<p>The course had been moved last spring but was <a href=/a>shifted "
  "back to the inner harbour after complaints from the ferry company "
  "about its timetable</a>, the organisers said.</p>"
  "<p>The organisers said the entries had risen by a third since last "
  "year, and that the course would be moved further out next summer so "
  "that bigger boats could take part.</p>"
  "<p><a href=/b>Island school to close its doors after ninety years of "
  "teaching</a> and more.</p>"
  "<p>The next regatta will be held in the first week of June, the club "
  "said, and entries open at the start of the year for crews from all "
  "over the coast.</p></article>"
  "<ul><li><a href=/c>Ferry fares to rise in the new year, says the "
  "council</a></li><li><a href=/d>Lighthouse keeper retires after forty "
  "winters on the point</a></li></ul></body></html>";

/* a comment section named in German */
static const char KOMMENTARE_PAGE[] =
  "<html lang=\"de\"><body><article><h1>Neue Faehre zu den Inseln</h1>"
  "<p>Der Hafenrat hat am Donnerstag eine neue Faehrlinie beschlossen, die "
  "den alten Hafen mit drei Inseln verbindet und die Fahrt fuer Pendler "
  "fast halbiert.</p><p>Die ersten zwei Schiffe sollen im Fruehjahr "
  "fahren, und die Preise werden dieselben sein wie bei den Bussen, die "
  "heute ueber den Fluss fahren.</p></article>"
  "<div id=\"kommentare\"><div class=\"eintrag\"><p>Ich fahre seit "
  "Jahren mit der alten Faehre und sie ist im Winter immer zu spaet, "
  "darum glaube ich nicht, dass die neue besser sein wird als die alte."
  "</p></div></div></body></html>";

/* a noscript left open */
static const char NOSCRIPT_PAGE[] =
  "<html><body><noscript><div class=\"nojs\"></noscript>"
  "<div id=\"main\"><h1>Ferry timetable for winter</h1><p>The ferry "
  "company published its winter timetable on Thursday, with two "
  "crossings fewer on Sundays and an earlier last boat on weekdays, "
  "and said it would review it in the spring.</p></div></body></html>";

/* A page, the texts its body must hold and those it must leave out
 * (NULL-ended), each with why in a comment. */
typedef struct {
  const char *what, *page;
  const char *has[4], *lacks[4];
} page_case;

static const page_case pages[] = {
  {"an article with a table", TABLE_PAGE,
   /* the table's cells are kept, and the paragraph before it */
   {"Nordlys of Arvenstad", "Sjoerd of the Outer Islands",
    "first week of June", NULL},
   /* not the menu */
   {"Sport", NULL}},
  {"a sentence with a link", LINKED_PAGE,
   /* the sentence whose middle is a link is kept; the last paragraph */
   {"shifted back to the inner harbour", "first week of June", NULL},
   /* a link with two words after it is not a sentence; nor a list of
    * links */
   {"Island school to close", "Lighthouse keeper retires", NULL}},
  {"a German page", KOMMENTARE_PAGE,
   {"Hafenrat", "Fruehjahr", NULL},
   /* not the Kommentare */
   {"Ich fahre seit Jahren", NULL}},
  {"a <noscript> whose end tag libxml2 ignores", NOSCRIPT_PAGE,
   /* the page after it is read */
   {"winter timetable on Thursday", NULL},
   {NULL}},
};

/* Each page parsed once, then every text of its lists looked for. */
static void test_pages(void) {
  size_t i, k;
  for (i = 0; i < sizeof pages / sizeof *pages; i++) {
    const page_case *c = &pages[i];
    loupe_article *a = parse_ok(c->what, c->page, strlen(c->page),
                                LOUPE_FORMAT_AUTO);
    if (a == NULL) continue;
    for (k = 0; c->has[k]; k++)
      CHECK(body_has(a, c->has[k]), "%s: body lacks \"%s\"", c->what,
            c->has[k]);
    for (k = 0; c->lacks[k]; k++)
      CHECK(!body_has(a, c->lacks[k]), "%s: body holds \"%s\"", c->what,
            c->lacks[k]);
    loupe_article_free(a);
  }
}

/* ---- hostile input ---- */

static void test_hostile(void) {
  int rc;
  loupe_article *a;
  size_t k, n;
  char *deep;
  static const char empty[] =
    "<html><head><script>var a = 1;</script></head>"
    "<body><div> </div><style>p {}</style></body></html>";
  a = parse_as(empty, sizeof empty - 1, LOUPE_FORMAT_HTML, &rc);
  CHECK_RC("a page with no visible text and no metadata", rc, LOUPE_EEMPTY);
  loupe_article_free(a);
  {
    char bin[2048];
    for (k = 0; k < sizeof bin; k++) bin[k] = (char)((k * 7919u) & 0xFF);
    a = parse_as(bin, sizeof bin, LOUPE_FORMAT_HTML, &rc);
    CHECK(rc == LOUPE_EENCODING || rc == LOUPE_EEMPTY || rc == LOUPE_OK,
          "binary forced as HTML fails cleanly (rc %d)", rc);
    loupe_article_free(a);
  }
  /* 200,000 nested elements */
  n = 200000 * 5 + 64;
  deep = malloc(n);
  if (deep) {
    size_t o = 0;
    for (k = 0; k < 200000; k++) { memcpy(deep + o, "<div>", 5); o += 5; }
    memcpy(deep + o, "deep text", 9);
    o += 9;
    a = parse_as(deep, o, LOUPE_FORMAT_HTML, &rc);
    CHECK(rc == LOUPE_OK || rc == LOUPE_ELIMIT || rc == LOUPE_EEMPTY,
          "deep nesting ends cleanly (rc %d)", rc);
    loupe_article_free(a);
    free(deep);
  }
  {
    /* NUL bytes and invalid UTF-8 inside the markup */
    static const char nul[] =
      "<html><body><p>Harbour\0 news \xFF of the week: the caf\xC3\xA9s, "
      "the caf\xC3\xA9s, the caf\xC3\xA9s and the caf\xC3\xA9s of the "
      "caf\xC3\xA9 street said the ferry company's winter timetable would "
      "start a week early this year, caf\xC3\xA9 owners caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9 "
      "said.</p></body></html>";
    static const char latin[] =
      "<html><body><p>Harbour\0 news \xFF\xFE of the week: the ferry "
      "company said on Friday that the winter timetable would start a "
      "week early this year.</p></body></html>";
    a = parse_ok("NUL and a slip in UTF-8", nul, sizeof nul - 1,
                 LOUPE_FORMAT_HTML);
    if (a) {
      CHECK(a->input.nul_bytes == 1 && a->input.invalid_utf8 == 1,
            "counted: %zu NUL, %zu invalid", a->input.nul_bytes,
            a->input.invalid_utf8);
      CHECK_STR("still UTF-8", a->input.encoding, "utf-8");
      CHECK(body_has(a, "caf\xC3\xA9s") && body_has(a, "\xEF\xBF\xBD"),
            "the slip is U+FFFD, the rest as it is");
      loupe_article_free(a);
    }
    a = parse_ok("high bytes and no UTF-8", latin, sizeof latin - 1,
                 LOUPE_FORMAT_HTML);
    if (a) {
      CHECK_STR("read as cp1252", a->input.encoding, "cp1252");
      CHECK(body_has(a, "\xC3\xBF\xC3\xBE"), "as its characters");
      CHECK_INT("NUL counted", a->input.nul_bytes, 1);
      loupe_article_free(a);
    }
  }
}

int main(void) {
  static const check_test tests[] = {test_sniff, test_json, test_article,
    test_hidden, test_gzip, test_broken, test_dates, test_two_articles,
    test_scripted, test_pages, test_hostile};
  return check_run("test_html", tests, sizeof tests / sizeof *tests);
}
