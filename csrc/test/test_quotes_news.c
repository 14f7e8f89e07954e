/*
 * test_quotes_news.c - who said it in news prose, on invented pages:
 * appositions, reporting clauses, verb forms, organisations, pronoun
 * chains, carried-on speakers and title + surname. Transcripts, Chinese
 * and Markdown: test_quotes.c. One table (pages, at the end) gives each
 * page its quotes as rows "start|speaker|kind" and a function of further
 * checks; each failure names the quote by its first words.
 */
#include "check.h"
#include "quote_helpers.h"

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

/* a company speaks as an organisation, its mention the role noun phrase;
 * a report speaks as a document */
static void more_orgs(const loupe_article *a) {
  QUOTE_FIELD(a, "We apologise to every", speaker_kind, "organisation");
  QUOTE_FIELD(a, "We apologise to every", mention, "the company");
  QUOTE_FIELD(a, "The timetable is a promise", speaker_kind, "document");
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


/* A quote without a cue right after a sentence that reports a person's
 * words goes to that person; an outlet's report hands over to its
 * source, and a quote ending on a comma awaits its own clause. A verb
 * of two words ("went on,") speaks at a pause only. "Brun said he" is
 * Brun. */
static const char AFTER_REPORT[] =
  "Ferry fares will rise in spring\n"
  "\n"
  "Harbour Minister Ola Brun spoke on Monday at the quay in Oster, where "
  "the crews had gathered since dawn.\n"
  "\n"
  "\"We cannot keep the quays open on goodwill alone,\" Port Director Karl "
  "Odin said.\n"
  "\n"
  "Brun said that for years critics had predicted that the ferries would "
  "stop, but this would not happen.\n"
  "\n"
  "\"That is because this island depends on the boats for its bread, its "
  "doctors and its post.\"\n"
  "\n"
  "The crews cheered, the Harbour Daily reported, citing a deckhand.\n"
  "\n"
  "\"We have heard promises like this every winter since the strike.\"\n"
  "\n"
  "Odin said that the signs along the pier had been painted overnight.\n"
  "\n"
  "\"Keep the ferries, keep the island,\" read the largest of them.\n"
  "\n"
  "\"Do you know what the crossing costs?\" Odin went on, as if nobody had "
  "spoken.\n"
  "\n"
  "Brun went on television in March, calling the fares \"a fair price for "
  "a hard winter.\"\n"
  "\n"
  "Odin had warned him not to sound harsh, but Brun said he replied: "
  "\"When the boats are late, nobody can stay calm.\"\n";

/* An aside in brackets inside an apposition and a compound modifier
 * before an outlet do not hand the quote to the words inside them; a
 * sentence may open on its speech verb. */
static const char ASIDES[] =
  "Ferry plan splits the island\n"
  "\n"
  "The council voted on Monday to merge the two ferry lines.\n"
  "\n"
  "After the vote, veteran columnist Nora Vik of the pro-ferry Harbour "
  "Courier imagined the mayor was thinking: \"What have I done?\"\n"
  "\n"
  "Edda Solberg, the Island Commissioner for Ferries (ICF), reacted coolly "
  "to the plan, \"I worry about any fare that hits the smallest boats.\"\n"
  "\n"
  "The old pier was turned into a museum. Said Maren Lie, who grew up "
  "near the harbour, \"We were all so proud of it.\"\n"
  "\n"
  "Port Director Karl Odin told the Harbour Daily: \"The quays are older "
  "than the boats.\"\n";

/* A paragraph opening on its speech verb introduces the next. */
static const char STATED[] =
  "Storm damage on the pier\n"
  "\n"
  "The storm hit the island on Monday night, and by the morning the crews "
  "had counted the damage along the whole of the eastern pier.\n"
  "\n"
  "Harbour Minister Ola Brun and Port Director Karl Odin met on Tuesday in "
  "Oster to talk about the repairs.\n"
  "\n"
  "Stated Brun:\n"
  "\n"
  "\"I think the stakes are high for every island that lives by its "
  "boats, and the pier will be mended by the end of the month.\"\n"
  "\n"
  "The council meets again in March to vote on the money.\n";

/* ---- the pages and who said what on them ---- */

static const quote_page pages[] = {
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
  {"after report", AFTER_REPORT, NULL,
   {"That is because this island|Ola Brun|direct",
    "We have heard promises||direct",
    "Keep the ferries||",
    /* "went on," speaks at a pause; "went on television" does not */
    "Do you know what the crossing costs|Karl Odin|direct",
    "a fair price for a hard winter|Ola Brun|",
    /* "X said he replied:": he is X, not the sentence's subject */
    "When the boats are late|Ola Brun|direct",
    NULL}},
  {"asides", ASIDES, NULL,
   {"What have I done|Nora Vik|direct",
    "I worry about any fare|Edda Solberg|direct",
    /* a sentence opening on its verb: "Said X, who ..., "..."" */
    "We were all so proud of it|Maren Lie|direct",
    /* the listener after "told the" is no speaker before a colon */
    "The quays are older than the boats|Karl Odin|direct",
    NULL}},
  {"stated", STATED, NULL,
   {"I think the stakes are high|Ola Brun|direct",
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
};

QUOTE_PAGES_MAIN("test_quotes_news", pages)
