/*
 * test_quotes.c - who said it, on invented pages: transcripts in English
 * and Chinese (turns, the host named in the title), news with
 * appositions, organisations and pronoun chains. One table (pages, at
 * the end) gives each page its quotes as rows "start|speaker|kind" and
 * a function of further checks (QUOTE_FIELD, QUOTE_HOLDS); each failure
 * names the quote by its first words and the field it got wrong.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static loupe_article *parse_text(const char *what, const char *text) {
  loupe_parser *p = NULL;
  loupe_article *a = NULL;
  int rc = loupe_parser_new(&p);
  CHECK(rc == LOUPE_OK && p != NULL, "%s: loupe_parser_new rc %d", what, rc);
  if (p == NULL) return NULL;
  rc = loupe_parse(p, text, strlen(text), &a);
  CHECK(rc == LOUPE_OK && a != NULL, "%s: loupe_parse rc %d (%s): %s", what,
        rc, loupe_errstr(rc), loupe_errmsg(p));
  loupe_parser_free(p);
  return a;
}

/* The first quote whose text starts with start (NULL when none). */
static const loupe_quote *quote_starting(const loupe_article *a,
                                         const char *start) {
  size_t i;
  for (i = 0; a && i < a->n_quotes; i++)
    if (strncmp(a->quotes[i].text.text, start, strlen(start)) == 0)
      return &a->quotes[i];
  return NULL;
}

/* What a page's quote must have, as a row "start|speaker|kind": the
 * quote by its first words, its speaker (empty: none) and its kind
 * (empty: any). */
typedef struct {
  char start[128], speaker[64], kind[16];
} said_case;

/* Split a row at its two bars; 0 when it has not two. */
static int said_row(const char *row, said_case *c) {
  const char *b1 = strchr(row, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
  if (b2 == NULL || (size_t)(b1 - row) >= sizeof c->start ||
      (size_t)(b2 - b1 - 1) >= sizeof c->speaker ||
      strlen(b2 + 1) >= sizeof c->kind)
    return 0;
  memcpy(c->start, row, (size_t)(b1 - row));
  c->start[b1 - row] = '\0';
  memcpy(c->speaker, b1 + 1, (size_t)(b2 - b1 - 1));
  c->speaker[b2 - b1 - 1] = '\0';
  strcpy(c->kind, b2 + 1);
  return 1;
}

static void check_said(const char *what, const loupe_article *a,
                       const char *row) {
  said_case c;
  const loupe_quote *q;
  if (!said_row(row, &c)) {
    CHECK(0, "%s: bad row \"%s\" (want start|speaker|kind)", what, row);
    return;
  }
  q = quote_starting(a, c.start);
  if (q == NULL) {
    CHECK(0, "%s: no quote starts with \"%s\"", what, c.start);
    return;
  }
  if (c.speaker[0] == '\0')
    CHECK(q->speaker == NULL, "%s: \"%s\": speaker %s, want none", what,
          c.start, q->speaker);
  else
    CHECK(q->speaker && strcmp(q->speaker, c.speaker) == 0,
          "%s: \"%s\": speaker %s, want %s (rule %s)", what, c.start,
          q->speaker ? q->speaker : "(none)", c.speaker,
          q->rule ? q->rule : "(none)");
  if (c.kind[0])
    CHECK(strcmp(q->kind, c.kind) == 0, "%s: \"%s\": kind %s, want %s",
          what, c.start, q->kind, c.kind);
}

/* A want of QUOTE_ANY: the field is set, whatever it holds. */
static const char QUOTE_ANY[] = "(any)";

/* The const char * field at offset off (its name: field) of the quote
 * starting with start is want (NULL: none). */
static void check_field_at(const char *file, int line, const loupe_article *a,
                           const char *start, const char *field, size_t off,
                           const char *want) {
  const loupe_quote *q = quote_starting(a, start);
  const char *got;
  if (q == NULL) {
    check_at(file, line, 0, "no quote starts with \"%s\" (for its %s)",
             start, field);
    return;
  }
  got = *(const char *const *)(const void *)((const char *)q + off);
  check_at(file, line,
           want == QUOTE_ANY ? got != NULL
           : want == NULL    ? got == NULL
                             : got != NULL && strcmp(got, want) == 0,
           "\"%s\": %s %s, want %s", start, field, got ? got : "(none)",
           want ? want : "(none)");
}

#define QUOTE_FIELD(a, start, field, want) \
  check_field_at(__FILE__, __LINE__, (a), (start), #field, \
                 offsetof(loupe_quote, field), (want))

/* The text of the quote starting with start holds needle (a quote that
 * runs on over the next paragraph). */
static void check_holds_at(const char *file, int line, const loupe_article *a,
                           const char *start, const char *needle) {
  const loupe_quote *q = quote_starting(a, start);
  check_at(file, line, q && strstr(q->text.text, needle) != NULL,
           "\"%s\": text %s, want it to hold \"%s\"", start,
           q ? q->text.text : "(no such quote)", needle);
}

#define QUOTE_HOLDS(a, start, needle) \
  check_holds_at(__FILE__, __LINE__, (a), (start), (needle))

/* No quote starts with start (a title, not speech). */
#define NO_QUOTE(a, start, why) \
  CHECK(quote_starting((a), (start)) == NULL, "\"%s\": %s", (start), (why))

static const char EN_TRANSCRIPT[] =
  "Home > Press Room > Briefings\n"
  "\n"
  "Coastal Affairs Ministry Spokesperson Lena Morvik's Regular Press "
  "Briefing on March 3, 2025\n"
  "\n"
  "Q: The Harbour Authority of Veldt said on Friday that it would close "
  "two northern ports to foreign trawlers. What is your response?\n"
  "\n"
  "A: We have taken note of the announcement. Fishing rights in those "
  "waters are governed by a treaty both sides signed in 2009.\n"
  "\n"
  "We hope the authority will keep to that treaty and talk to us first.\n"
  "\n"
  "Q: Will the minister raise the matter in Brask next week?\n"
  "\n"
  "A: I have no information to release at the moment. Please stay tuned.\n"
  "\n"
  "Follow-up: Is a visit being planned at all?\n"
  "\n"
  "A: As I said, there is nothing to release today.\n";

static const char EN_LABELS[] =
  "Coastal Affairs Ministry Spokesperson Lena Morvik's Regular Press "
  "Briefing on June 9, 2025\n"
  "\n"
  "Lena Morvik: Good afternoon. I have two announcements to start with "
  "today.\n"
  "\n"
  "Harbour Daily: The fishermen of Oster say the new quota rules came "
  "without warning. Do you have a comment?\n"
  "\n"
  "Lena Morvik: The rules were published three months ago and explained "
  "at two public hearings.\n"
  "\n"
  "Veldt Radio: A follow-up on the quotas. Will they change next year?\n"
  "\n"
  "Lena Morvik: That depends on the survey of the spring stocks.\n";

static const char ZH_TRANSCRIPT[] =
  "首页 > 新闻 > 发言人表态\n"
  "\n"
  "2025年3月3日海事部发言人林晓雯主持例行记者会\n"
  "\n"
  "问：据报道，维尔特港务局宣布将关闭北部两个港口。中方对此有何回应？\n"
  "\n"
  "答：我们注意到有关报道。双方在相关海域的捕鱼权由两国签署的协定规定。\n"
  "\n"
  "我们希望对方切实遵守协定的各项规定，通过平等对话妥善解决分歧，共同维护海域的稳定。\n"
  "\n"
  "问：据布拉斯克媒体报道，海事部部长下周将访问布拉斯克并与对方举行会谈，你能否证实？\n"
  "\n"
  "答：目前我没有可以发布的消息。如有消息，我们会及时发布，请大家继续关注海事部网站的通知。\n"
  "\n"
  "追问：能否透露双方是否正在商谈访问安排，以及会谈可能涉及哪些议题？\n"
  "\n"
  "答：正如我刚才所说，今天没有消息发布。双方在各个层级一直保持着正常的沟通和交流。\n"
  "\n"
  "海港日报记者：新的捕捞配额明年会调整吗？渔民们说规定来得太突然。\n"
  "\n"
  "林晓雯：配额规定三个月前已经公布，并在两次公开听证会上作了说明。"
  "明年是否调整，要看春季渔业资源调查的结果。\n"
  "\n"
  "问：海事部对港口安全检查有什么新的安排？\n"
  "\n"
  "答：我们将继续按照有关规定开展检查，具体安排会及时向社会公布。\n";

static const char NEWS_APPOSITIONS[] =
  "The Valdoria Courier | Politics | Business | Sport\n"
  "\n"
  "Harbour tax vote splits the council\n"
  "\n"
  "By Mara Quint\n"
  "\n"
  "The city council of Brask voted on Tuesday to raise the harbour tax "
  "for the first time in twelve years, after a debate that ran past "
  "midnight.\n"
  "\n"
  "\"We cannot keep the quays open on goodwill alone,\" said Ilse "
  "Marten, an analyst with Norfeld Capital Inc, who has followed the "
  "port's accounts since 2019.\n"
  "\n"
  "Former Harbour Commissioner Tomas Reyk, who opposed the rise, "
  "conceded that the port \"has run out of cheap options.\"\n"
  "\n"
  "After reading out a letter from the fishermen of Oster, Councillor "
  "Anja Holt tweeted: \"Tonight we chose the port over the people who "
  "work in it.\"\n"
  "\n"
  "\"The increase will be reviewed every year,\" Reyk said. \"Nobody "
  "should pay more than the port costs.\"\n"
  "\n"
  "Sen. Paul Dorne (Lab.) argued that \"a harbour that loses money is "
  "a harbour that closes.\"\n"
  "\n"
  "The leader of the Harbour Users League, Jon Greve, warned that the "
  "rise would be \"a tax on the smallest boats.\"\n"
  "\n"
  "\"It is not new in Veldt,\" said Rep. Ola Brun (Lab.) at the time, "
  "adding that \"the quays have paid their way for a century.\" Port "
  "analyst Siri Dahl agreed that the vote had been close.\n"
  "\n"
  "Copyright 2025 The Valdoria Courier. All rights reserved.\n";

#define LQ "\xE2\x80\x9C"
#define RQ "\xE2\x80\x9D"

static const char NEWS_CLAUSES[] =
  "Ferry fares rise again in Oster\n"
  "\n"
  "When Mayor Eva Lund said in 2021 that the ferry contract was fair, "
  LQ "the fares were meant to stay flat. They did not," RQ " "
  "Pia Norberg said on Monday.\n"
  "\n"
  LQ "It is a small rise," LQ " said Karl Odin, a spokesman for the "
  "operator. " LQ "We held it back for two winters." RQ "\n"
  "\n"
  "Council member Tove Berg said the line must keep " LQ "one boat an "
  "hour in winter," RQ " she said, " LQ "or the island empties." RQ "\n"
  "\n"
  "\"A second boat would pay for itself within three years,\" Nils "
  "Aske and Maja Fors of the Institute for Coastal and Island Transport "
  "wrote in May.\n"
  "\n"
  "\"The harbour fees were never the problem,\" Lars Vik of the Board "
  "of Island Ferry Users wrote.\n"
  "\n"
  "\"The island has been waiting for a decade,\" unlike the mainland "
  "towns that got new quays in 2019, says Rune Falk, a planner at the "
  "county office.\n"
  "\n"
  "Odin asked riders to \"bear with the crew,\" and Tove Berg told "
  "them to \"write to the council.\"\n"
  "\n"
  "Mayor Lund urged voters to \"ask the Harbour Board: why now?\" and "
  "later told the crowd, \"Nothing will change without you.\"\n"
  "\n"
  "Labour candidate Senator Ana Holm (Lab.) said on Harbour Radio's "
  "\"Morning Tide,\" that the rise was unfair.\n"
  "\n"
  "\"We will vote against it in March,\" Holm said.\n"
  "\n"
  "Captain Ivar Lunde, who has sailed the route since 2004, told Harbour "
  "Radio: \"The boats are older than the crews.\"\n"
  "\n"
  "Mayor Lund now said the contract had \"served the island well for a "
  "decade.\"\n"
  "\n"
  "Lund signed the order on Monday, while Berg, the council member, "
  "proposed \"a vote on every fare in the spring.\"\n"
  "\n"
  "In Harbourtown, Governor Brekke released a statement condemning "
  "\"the closure of the north pier.\" He said he had asked the operator "
  "to explain.\n"
  "\n"
  "\"We will reopen it by June,\" he said.\n"
  "\n"
  "Lunde will sail the last crossing with his wife, Maren Lie, who "
  "keeps the ship's log.\n"
  "\n"
  "\"It is the best route on the coast,\" he said.\n"
  "\n"
  "Mayor Lund called the vote \"a fair start.\" Lunde, asked about the "
  "fares, said the crews, who he says are \"tired of waiting for the "
  "council,\" want a vote.\n"
  "\n"
  "Ola Strand asked the board for its figures.\n"
  "\n"
  "\"The numbers do not add up,\" The Harbour Post's Ola Strand "
  "wrote.\n"
  "\n"
  "\"I do not know where the board stands,\" said undecided Labour "
  "voter Siri Holt of Brask, before the meeting.\n"
  "\n"
  "\"The pier was fine last year,\" said retired harbour pilot Ole "
  "Dahl. \"Nobody asked us.\"\n"
  "\n"
  "\"The fares were set in 1998,\" said former secretary of state Ana "
  "Moe, who signed the first contract.\n"
  "\n"
  "\"It will be close on the night.\" Asked which Oster ward would "
  "decide it, Moe laughed.\n"
  "\n"
  "The trouble with the pier, says Nora Vik, an engineer at the port, is "
  "that it was \"built for boats half the size of today's.\"\n"
  "\n"
  "Hours later, Dahl answered her, telling Harbour Radio, \"The pier "
  "will outlast us all.\"\n";

static const char NEWS_PRONOUNS[] =
  "Grain talks resume in Veldt\n"
  "\n"
  "Farm Minister Edda Solberg arrived in Veldt on Monday for a second "
  "round of talks on grain quotas with her counterpart, Jan Voss.\n"
  "\n"
  "Solberg has pressed for a quota that rises with the harvest. In an "
  "interview before the talks she set out her terms.\n"
  "\n"
  "\"A quota that ignores the weather is a quota nobody can keep,\" she "
  "said.\n"
  "\n"
  "Voss spent the morning with farmers in the north of the country, "
  "where the drought has cut yields by a third.\n"
  "\n"
  "\"They have been patient for two years,\" he said. \"They will not be "
  "patient for a third.\"\n"
  "\n"
  "The minister later told reporters that the first day had gone "
  "\"better than expected.\"\n";

static const char NEWS_ORGS[] =
  "Ferry operator blames software for delays\n"
  "\n"
  "Northline Ferries said in a statement on Friday that a faulty update "
  "to its booking system had caused three days of delays on the Oster "
  "route.\n"
  "\n"
  "\"We apologise to every passenger who missed a crossing,\" the company "
  "said. \"Refunds will be paid within ten days.\"\n"
  "\n"
  "The Maritime Safety Agency is reviewing the incident. It said the "
  "delays had \"not affected the safety of any vessel.\"\n"
  "\n"
  "A report by the Harbour Users Council found that delays on the route "
  "had doubled since 2023. \"The timetable is a promise the operator "
  "keeps less and less,\" the report said.\n"
  "\n"
  "During a call on Tuesday, the two ministers \"agreed to keep every "
  "crossing open through the winter,\" the Harbour Office said. "
  "Tidewatch obtained the minutes of the call and said the ministers had "
  "\"argued for an hour\" before agreeing.\n"
  "\n"
  "\"Inspectors expect to finish the review within a month,\" according "
  "to Harbour Radio.\n"
  "\n"
  "\"No crossing was cancelled for lack of crew,\" according to a "
  "filing by county attorney Rolf Sand.\n";

static const char ZH_NEWS[] =
  "港口税上调引发争议\n"
  "\n"
  "布拉斯克市议会周二投票决定提高港口税，这是十二年来首次上调，辩论一直持续到午夜之后。\n"
  "\n"
  "市议员林晓雯表示：“我们不能只靠善意维持码头运转，港口多年来一直亏损。”\n"
  "\n"
  "“任何人支付的费用都不应超过港口的成本，每年都要重新审议。”前港务专员雷克说。\n"
  "\n"
  "海事部发言人赵明强调，「港口安全检查将继续进行，具体安排会及时公布」。\n"
  "\n"
  "林晓雯随后离开会场。“今晚我们选择了港口，而不是在港口工作的人。”她说。\n";

static const char MD_NEWS[] =
  "# Harbour tax vote splits the council\n"
  "\n"
  "The council of Brask voted on Tuesday to raise the harbour tax for the "
  "first time in twelve years, after a debate that ran past midnight.\n"
  "\n"
  "\"We cannot keep the quays open on goodwill alone,\" Ilse Marten "
  "[said](https://example.org/marten-interview) on Wednesday, adding that "
  "the port had been losing money for years.\n"
  "\n"
  "Former commissioner Tomas Reyk *told* reporters that \"nobody should "
  "pay more than the port costs.\"\n";

/* A news page with a label or two is no transcript. */
static const char NOT_TRANSCRIPT[] =
  "Port closures anger fishermen\n"
  "\n"
  "Fishermen in Oster staged a protest on Monday after the harbour "
  "authority closed two ports.\n"
  "\n"
  "\"We were given no warning at all,\" said Piet Andersen, who has "
  "fished the northern banks for thirty years.\n"
  "\n"
  "Andersen repeated the charge on \"Harbour Nights,\" the evening show "
  "of Oster Radio, where he has been a guest for years.\n"
  "\n"
  "Note: An earlier version of this story misspelled the name of the "
  "port.\n";

/* ---- a corner bracket left open at a paragraph's end ---- */

#define OPEN_BRACKET \
  "El Heraldo del Norte\n\n" \
  "Los pescadores piden ayudas tras el temporal\n\n" \
  "12 de marzo de 2019\n\n" \
  "BRAVIA (Agencia Norte\xe3\x80\x8c) - Los pescadores de la costa " \
  "pidieron el martes ayudas urgentes al Gobierno regional tras el peor " \
  "temporal en medio siglo.\n\n" \
  "\"Sin barcos no hay pesca\", dijo el portavoz de la cofradia, " \
  "Julian Ibarra, ante el puerto cerrado desde hace una semana.\n"

/* A speaker goes on speaking in a quote without a cue, but not past a
 * sentence about somebody else; a quote inside a sentence about somebody
 * is theirs (the sentence's subject). */
static const char CARRY_ON[] =
  "Voters in Brell County waited three hours to cast a ballot.\n"
  "\n"
  "\"Our turnout was the best in a decade,\" said Mara Quill, the county "
  "clerk. \"We counted every ballot twice.\"\n"
  "\n"
  "Dorian Pell and two aides walked out of the count on Tuesday. \"The "
  "numbers do not add up for anyone who looks.\"\n"
  "\n"
  "Tess Arlo sees the new levy as \"a gift to the big growers and their "
  "friends\" and little else.\n";

/* A title and a surname alone name a person ("President Varga"), whom a
 * pronoun can then point to. */
static const char TITLE_SURNAME[] =
  "The council met on Monday to discuss the bridge.\n"
  "\n"
  "President Varga opened the session with a speech about the repairs. "
  "\"We will not wait another winter,\" Varga said.\n"
  "\n"
  "\"The money is there,\" she said.\n";

/* ---- what a page must show beyond its speakers ---- */

/* Is s[0..n) whole UTF-8 (no sequence cut short)? */
static int whole_utf8(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    size_t j;
    if (k == 0 || i + k > n) return 0;
    for (j = 1; j < k; j++)
      if (((unsigned char)s[i + j] & 0xC0) != 0x80) return 0;
    i += k;
  }
  return 1;
}

/* The answer runs on over the next paragraph; the host is a person; the
 * mention of an answer is its label; a question's role is journalist. */
static void more_transcript(const loupe_article *a) {
  QUOTE_HOLDS(a, "We have taken note", "keep to that treaty");
  QUOTE_FIELD(a, "We have taken note", speaker_kind, "person");
  QUOTE_FIELD(a, "We have taken note", mention, "A");
  QUOTE_FIELD(a, "Will the minister raise", role, "journalist");
}

static void more_clauses(const loupe_article *a) {
  const loupe_quote *q = quote_starting(a, "It will be close");
  /* a show's title after its outlet's possessive is no quote */
  NO_QUOTE(a, "Morning Tide", "a title after a possessive is no quote");
  /* "Asked which Oster ward": no role words, no speaker */
  CHECK(q && (q->speaker == NULL || strstr(q->speaker, "Oster") == NULL),
        "a place after \"asked which\" is no speaker: %s",
        q && q->speaker ? q->speaker : "(none)");
}

/* the mention of a pronoun speaker is the pronoun; every credited quote
 * names its rule */
static void more_pronouns(const loupe_article *a) {
  QUOTE_FIELD(a, "They have been patient", mention, "he");
  QUOTE_FIELD(a, "They have been patient", rule, QUOTE_ANY);
}

static void more_not_transcript(const loupe_article *a) {
  size_t i;
  for (i = 0; i < a->n_quotes; i++)
    CHECK(strcmp(a->quotes[i].kind, "turn") != 0, "no turn in news: %s",
          a->quotes[i].text.text);
  NO_QUOTE(a, "Harbour Nights", "a show's title after \"on\" is no quote");
}

/* a company speaks as an organisation, its mention the role noun phrase;
 * a report speaks as a document */
static void more_orgs(const loupe_article *a) {
  QUOTE_FIELD(a, "We apologise to every", speaker_kind, "organisation");
  QUOTE_FIELD(a, "We apologise to every", mention, "the company");
  QUOTE_FIELD(a, "The timetable is a promise", speaker_kind, "document");
}

/* Markdown links and emphasis do not hide the cue; offsets stay the
 * body's. */
static void more_markdown(const loupe_article *a) {
  const loupe_quote *q = quote_starting(a, "nobody should pay more");
  CHECK(q && q->body_offset < a->body_len &&
        strncmp(a->body + q->body_offset, "nobody should", 13) == 0,
        "the quote's offset points into the body");
}

/* the title before a Han name is the role */
static void more_zh_news(const loupe_article *a) {
  QUOTE_FIELD(a, "我们不能只靠善意", role, "市议员");
}

/* the speaker before a mark of three bytes ends before the mark, never
 * inside it (found by fuzz_parse) */
static void more_open_bracket(const loupe_article *a) {
  size_t i;
  for (i = 0; i < a->n_entities; i++)
    CHECK(whole_utf8(a->entities[i].name, strlen(a->entities[i].name)),
          "open bracket: entity '%s' cut inside a character",
          a->entities[i].name);
  for (i = 0; i < a->n_quotes; i++)
    CHECK(a->quotes[i].speaker == NULL ||
              whole_utf8(a->quotes[i].speaker, strlen(a->quotes[i].speaker)),
          "open bracket: speaker '%s' cut inside a character",
          a->quotes[i].speaker);
}

/* the Chinese answer holds its second paragraph */
static void more_transcript_zh(const loupe_article *a) {
  QUOTE_HOLDS(a, "我们注意到有关报道", "共同维护海域的稳定");
}

/* ---- the pages and who said what on them ---- */

/* A page, its further checks (NULL: none) and its quotes as rows
 * "start|speaker|kind" (see check_said), to NULL. */
/* A news page whose field labels ("Published:", "Updated:") open three
 * paragraphs: fields giving a date, not the turns of a transcript. */
static const char FIELD_LABELS[] =
  "Home | World | Business | Sport\n"
  "Sign in  Subscribe\n"
  "\n"
  "Harbour board delays vote on Kelvik dredging\n"
  "\n"
  "Published: 2023-04-11 (Coastline Post) - The harbour board of Kelvik "
  "on Tuesday put off a vote on dredging the east channel, saying it "
  "needed more time to weigh the cost.\n"
  "\n"
  "\"We will not be hurried into a contract that binds the town for "
  "twenty years,\" said Lena Korr, who chairs the board.\n"
  "\n"
  "Updated: 2023-04-12 - The board said on Wednesday that it would "
  "take the vote at its next meeting in May.\n"
  "\n"
  "Updated: April 13, 2023 - A second bid for the dredging work reached "
  "the harbour office on Thursday, a clerk said.\n";

/* A news page, no transcript: not one quote of kind "turn". */
static void more_no_turns(const loupe_article *a) {
  size_t i;
  for (i = 0; i < a->n_quotes; i++)
    CHECK(strcmp(a->quotes[i].kind, "turn") != 0,
          "no turns: quote %zu is a turn of '%s'", i + 1,
          a->quotes[i].speaker ? a->quotes[i].speaker : "(none)");
}

/* One word in marks that nobody is said to have said is a term or a
 * scare quote; a markup attribute's value is no quote either. */
static const char SCARE_QUOTES[] =
  "Harbour fees rise again\n"
  "\n"
  "The council approved a \"reform\" of the harbour fees on Monday, its "
  "third in two years.\n"
  "\n"
  "\"We will pay it, as we always do,\" said Mette Lind, who runs a boat "
  "out of the east quay. A watch group posted <tweet "
  "author=\"@harbourwatch\" date=\"2023-05-02\">The fees go up again on "
  "Monday.</tweet> within the hour.\n"
  "\n"
  "Councillor Ivo Brask called the plan \"reckless\" and said the "
  "fishermen had not been asked.\n"
  "\n"
  "The council will meet again in June, when the fees for the west quay "
  "are due.\n";

static void more_scare_quotes(const loupe_article *a) {
  static const char *const none[] = {"reform", "@harbourwatch", "2023-05-02",
                                     NULL};
  size_t i;
  for (i = 0; none[i]; i++)
    CHECK(quote_starting(a, none[i]) == NULL,
          "scare quotes: \"%s\" taken for a quote", none[i]);
}

/* Speech verbs in their other forms ("started", "yelling"); an office
 * before a name is no part of it ("Archbishop"). */
static const char VERB_FORMS[] =
  "Ferry hearing ends in shouting\n"
  "\n"
  "The hearing on the ferry contracts opened late on Tuesday in the town "
  "hall.\n"
  "\n"
  "\"Who told you the boats were safe?\" Ivar Lunde started.\n"
  "\n"
  "The harbour master said the checks had been done in March.\n"
  "\n"
  "\"Ask them for the papers, every one of them!\" Tove Berg was yelling "
  "from the pier an hour later.\n\n"
  "Archbishop Tomas Vell told the crowd: \"Patience has never sunk a "
  "boat.\"\n\nAna Holm was asked by host Per Lind whether the fares "
  "would \"stay flat for a year.\"\n";

/* Appositions set off by dashes, holding a quoted title, or long ones
 * of a noun phrase; an outlet's possessive before the sentence's
 * speaker. */
static const char DASHES_OWNERS[] =
  "Harbour fees rise again\n"
  "\n"
  "The council approved new harbour fees on Monday, its third rise in two "
  "years.\n"
  "\n"
  "The Harbour Times's Eva Lund sees the plan as a \"gift to the ferry "
  "firms at the expense of the boats.\"\n"
  "\n"
  "A former harbour master -- Ivar Lunde, who ran the port for a decade -- "
  "said the council \"has lost its way on the fees.\"\n"
  "\n"
  "Hemsley Strand, the co-author of \"Boats and Budgets,\" about the "
  "ferries, said the council had \"never read its own contracts.\"\n"
  "\n"
  "Alex Castellanos, a veteran ferry captain who earlier in the season "
  "had tried to organise a strike of the crews on the night boats, said, "
  "\"The crews will not wait for another winter.\"\n"
  "\n"
  "The council will meet again in June, when the fees for the west quay "
  "are due.\n";

/* Labels before headlines ("Related: ...", "Name: Fees Will Rise") list
 * stories: no turns. */
static const char RELATED_HEADLINES[] =
  "Ana Holm: Fares Must Rise To Pay For The New Boats\n"
  "\n"
  "The harbour council voted on Monday to raise ferry fares by a tenth "
  "from May, the first rise since the new pier opened.\n"
  "\n"
  "\"We held the fares for six years,\" said councillor Ana Holm. "
  "\"Nobody on this island wants to pay more, but the boats are older "
  "than most of the crew.\"\n"
  "\n"
  "The vote was seven to two, with both members from the west quay "
  "voting against the plan after a long debate.\n"
  "\n"
  "\"Related:\"\n"
  "\n"
  "Mette Dahl: Harbour Council Must Close The West Quay.\n"
  "\n"
  "Ivar Lunde: Fees Will Drive The Small Boats Away.\n"
  "\n"
  "Eva Lund: The Ferry Company Has Broken Its Word.\n"
  "\n"
  "The ferry company said the rise would pay for two new boats, which "
  "are due in the spring of next year.\n"
  "\n"
  "\"The old boats cannot run another winter,\" said Tove Berg, who "
  "runs the company. \"We need the money now.\"\n"
  "\n"
  "The new fares will be published in April, the council said, and the "
  "first tickets at the new price will be sold in May.\n";


/* he/she, role nouns and organisation nouns back to the person or body
 * they stand for: a person introduced by "according to X", one named
 * after "Mr." in a paragraph without a quote, "the spokesman", "the
 * authority", "the senator"; "the Federation of ..." whole. */
static const char PRONOUN_CHAINS[] =
  "Harbour talks stall over fuel prices\n"
  "\n"
  "The talks between the fishermen and the harbour broke down on "
  "Friday, the third failure this year.\n"
  "\n"
  "According to Marta Quist, the talks broke down over the price of "
  "fuel.\n"
  "\n"
  "\"We were close, and then the numbers changed,\" she said.\n"
  "\n"
  "Mr. Halvard Brun, who leads the fishermen's union, was not at the "
  "table on Friday.\n"
  "\n"
  "\"Nobody asked us,\" he said on Saturday.\n"
  "\n"
  "The union's spokesman, Eirik Sand, said the boats would stay in "
  "port.\n"
  "\n"
  "\"We will not sail at a loss,\" the spokesman added.\n"
  "\n"
  "The Harbour Authority said in a statement that the quays would stay "
  "open.\n"
  "\n"
  "\"Every berth remains available to the fleet,\" the authority "
  "said.\n"
  "\n"
  "Senator Anna Vik, who chairs the fisheries committee, called for "
  "calm.\n"
  "\n"
  "\"Both sides need a week,\" the senator said. \"Then they need a "
  "deal.\"\n"
  "\n"
  "Ms. Quist said the harbour would make a new offer. \"It will be the "
  "last one,\" she said.\n"
  "\n"
  "The National Federation of Ferry Workers called the offer \"a fair "
  "start to a hard winter.\"\n"
  "\n"
  "In reply, Port Director Karl Odin, who has run the port since 2009, "
  "issued the following statement on Tuesday evening:\n"
  "\n"
  "\"The harbour stays open to every boat that passes its inspection.\"\n";

typedef struct {
  const char *what, *page;
  void (*more)(const loupe_article *a);
  const char *said[24];
} quote_page;

static const quote_page pages[] = {
  {"en transcript", EN_TRANSCRIPT, more_transcript,
   {"We have taken note of the announcement|Lena Morvik|turn",
    "I have no information to release|Lena Morvik|turn",
    "As I said, there is nothing|Lena Morvik|turn",
    "The Harbour Authority of Veldt said||turn",
    NULL}},
  {"en labels", EN_LABELS, NULL,
   {"Good afternoon. I have two|Lena Morvik|turn",
    "The rules were published|Lena Morvik|turn",
    "The fishermen of Oster say|Harbour Daily|turn",
    "A follow-up on the quotas|Veldt Radio|turn",
    NULL}},
  {"zh transcript", ZH_TRANSCRIPT, more_transcript_zh,
   {"我们注意到有关报道|林晓雯|turn",
    "目前我没有可以发布的消息|林晓雯|turn",
    "配额规定三个月前已经公布|林晓雯|turn",
    "能否透露双方是否正在商谈||turn",
    "正如我刚才所说|林晓雯|turn",
    "据报道||turn",
    "新的捕捞配额明年会调整吗|海港日报|turn",
    NULL}},
  {"labels in news", NOT_TRANSCRIPT, more_not_transcript,
   {"We were given no warning|Piet Andersen|direct",
    NULL}},
  {"appositions", NEWS_APPOSITIONS, NULL,
   {"We cannot keep the quays open|Ilse Marten|direct",
    "has run out of cheap options|Tomas Reyk|",
    "Tonight we chose the port|Anja Holt|direct",
    "The increase will be reviewed|Tomas Reyk|direct",
    "a harbour that loses money|Paul Dorne|",
    "a tax on the smallest boats|Jon Greve|",
    "the quays have paid their way|Ola Brun|",
    NULL}},
  {"clauses", NEWS_CLAUSES, more_clauses,
   {/* a quote ending on a comma has its own reporting clause after it */
    "the fares were meant to stay flat|Pia Norberg|",
    /* an opening mark typed where the quote closes */
    "It is a small rise|Karl Odin|direct",
    "We held it back|Karl Odin|direct",
    /* "she said" after the quote: the speaker named before it */
    "one boat an hour in winter|Tove Berg|",
    /* two writers and their institute before the verb */
    "A second boat would pay|Nils Aske|direct",
    "The harbour fees were never|Lars Vik|direct",
    /* the quote's own clause after a comma of the sentence */
    "The island has been waiting|Rune Falk|direct",
    /* ", and Tove Berg told" opens a clause of its own */
    "bear with the crew|Karl Odin|",
    /* quoted words before the mark are no speaker */
    "Nothing will change without you|Eva Lund|",
    /* a title opening a registered name is no part of the speaker */
    "We will vote against it|Ana Holm|direct",
    /* the listener of "told" is no speaker, even before a colon */
    "The boats are older|Ivar Lunde|direct",
    /* "now" between a speaker and the verb */
    "served the island well|Eva Lund|",
    /* the subject of the clause holding the quote, not the sentence's */
    "a vote on every fare|Tove Berg|",
    /* "He" opening a sentence: the subject of the sentence before, a name
     * after a title and an opening phrase */
    "We will reopen it by June|Brekke|direct",
    /* a role noun gives a gender ("his wife, Maren Lie"): "he" skips her */
    "It is the best route|Ivar Lunde|direct",
    /* a sentence ends at a full stop inside its closing mark: "he" is the
     * subject of the sentence after it */
    "tired of waiting for the council|Ivar Lunde|",
    /* an outlet's possessive before the speaker after a quote */
    "The numbers do not add up|Ola Strand|direct",
    /* "said" and lower-case words of a role before the name */
    "I do not know where the board|Siri Holt|direct",
    "The pier was fine last year|Ole Dahl|direct",
    "The fares were set in 1998|Ana Moe|direct",
    /* ", says X," set off by commas before the quote; not ", telling Y," */
    "built for boats half the size|Nora Vik|",
    "The pier will outlast us all|Ole Dahl|",
    NULL}},
  {"pronouns", NEWS_PRONOUNS, more_pronouns,
   {"A quota that ignores the weather|Edda Solberg|direct",
    "They have been patient|Jan Voss|direct",
    "better than expected|Edda Solberg|",
    NULL}},
  {"organisations", NEWS_ORGS, more_orgs,
   {"We apologise to every passenger|Northline Ferries|direct",
    "not affected the safety|Maritime Safety Agency|",
    "agreed to keep every crossing|Harbour Office|",
    "argued for an hour|Tidewatch|",
    /* "according to X" after the quote; the author of a document */
    "Inspectors expect to finish|Harbour Radio|direct",
    "No crossing was cancelled|Rolf Sand|direct",
    NULL}},
  {"zh news", ZH_NEWS, more_zh_news,
   {"我们不能只靠善意维持码头运转|林晓雯|direct",
    "任何人支付的费用都不应超过|雷克|direct",
    "港口安全检查将继续进行|赵明|",
    "今晚我们选择了港口|林晓雯|direct",
    NULL}},
  {"markdown", MD_NEWS, more_markdown,
   {"We cannot keep the quays open|Ilse Marten|direct",
    "nobody should pay more|Tomas Reyk|",
    NULL}},
  {"open bracket", OPEN_BRACKET, more_open_bracket,
   {NULL}},
  {"carry on", CARRY_ON, NULL,
   {"Our turnout|Mara Quill|direct",
    "We counted|Mara Quill|direct",
    "The numbers||direct",
    "a gift to|Tess Arlo|",
    NULL}},
  {"title surname", TITLE_SURNAME, NULL,
   {"We will not|Varga|direct",
    "The money|Varga|direct",
    NULL}},
  {"scare quotes", SCARE_QUOTES, more_scare_quotes,
   {"reckless|Ivo Brask|phrase",
    "We will pay it|Mette Lind|direct",
    NULL}},
  {"verb forms", VERB_FORMS, NULL,
   {"Who told you|Ivar Lunde|direct",
    "Ask them for the papers|Tove Berg|direct",
    "Patience has never sunk|Tomas Vell|direct",
    "stay flat for a year|Per Lind|",  /* "asked by": the agent asks */
    NULL}},
  {"dashes and owners", DASHES_OWNERS, NULL,
   {"gift to the ferry firms|Eva Lund|",
    "has lost its way|Ivar Lunde|",
    "never read its own|Hemsley Strand|",
    "The crews will not wait|Alex Castellanos|direct",
    NULL}},
  {"related headlines", RELATED_HEADLINES, more_no_turns,
   {"We held the fares|Ana Holm|direct",
    NULL}},
  {"pronoun chains", PRONOUN_CHAINS, NULL,
   {"We were close|Marta Quist|direct",
    "Nobody asked us|Halvard Brun|direct",
    "We will not sail|Eirik Sand|direct",
    "Every berth remains|Harbour Authority|direct",
    "Both sides need a week|Anna Vik|direct",
    "It will be the last one|Marta Quist|direct",
    /* an organisation noun, "of" and a name: one name */
    "a fair start to a hard winter|National Federation of Ferry Workers|",
    "The harbour stays open|Karl Odin|direct",  /* "...:" introduces it */
    NULL}},
  {"field labels", FIELD_LABELS, more_no_turns,
   {"We will not be hurried|Lena Korr|direct",
    NULL}},
};

/* Each page parsed once, then every row of its table and its further
 * checks. */
static void test_pages(void) {
  size_t i, k;
  for (i = 0; i < sizeof pages / sizeof *pages; i++) {
    const quote_page *c = &pages[i];
    loupe_article *a = parse_text(c->what, c->page);
    if (a == NULL) continue;
    for (k = 0; c->said[k]; k++) check_said(c->what, a, c->said[k]);
    if (c->more) c->more(a);
    loupe_article_free(a);
  }
}

int main(void) {
  static const check_test tests[] = {test_pages};
  return check_run("test_quotes", tests, sizeof tests / sizeof *tests);
}
