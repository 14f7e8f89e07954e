/*
 * test_quotes.c - what is a quote and whose turn it is, on invented pages:
 * transcripts in English and Chinese (turns, the host named in the title),
 * labels that are no turns, Chinese news, Markdown, scare quotes and
 * brackets left open. Who said it in news prose: test_quotes_news.c. One
 * table (pages, at the end) gives each page its quotes as rows
 * "start|speaker|kind" and a function of further checks (QUOTE_FIELD,
 * QUOTE_HOLDS); each failure names the quote by its first words.
 */
#include "check.h"
#include "quote_helpers.h"

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

static void more_not_transcript(const loupe_article *a) {
  size_t i;
  for (i = 0; i < a->n_quotes; i++)
    CHECK(strcmp(a->quotes[i].kind, "turn") != 0, "no turn in news: %s",
          a->quotes[i].text.text);
  NO_QUOTE(a, "Harbour Nights", "a show's title after \"on\" is no quote");
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



/* ---- the pages and who said what on them ---- */

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
  {"scare quotes", SCARE_QUOTES, more_scare_quotes,
   {"reckless|Ivo Brask|phrase",
    "We will pay it|Mette Lind|direct",
    NULL}},
  {"related headlines", RELATED_HEADLINES, more_no_turns,
   {"We held the fares|Ana Holm|direct",
    NULL}},
  {"field labels", FIELD_LABELS, more_no_turns,
   {"We will not be hurried|Lena Korr|direct",
    NULL}},
};

QUOTE_PAGES_MAIN("test_quotes", pages)
