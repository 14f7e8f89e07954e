/*
 * test_classify.c - the line labeller on invented pages in the shapes it
 * must tell apart: an article followed by readers' comments, a list of
 * related headlines with their teasers, photo captions and credits, an
 * author's note and a footer. Each page is checked through the public
 * API: what the body holds and what it leaves out. Ends with
 * "test_classify: N passed, N failed"; exits non-zero when a check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse_helpers.h"
#include "extract/classify.h"

/* The body holds (want 1) or leaves out (want 0) the start of text. */
static void check_body(const char *what, const loupe_article *a,
                       const char *text, int want) {
  char head[48];
  size_t n = strlen(text) < sizeof head - 1 ? strlen(text) : sizeof head - 1;
  int has;
  memcpy(head, text, n);
  head[n] = '\0';
  has = a && a->body && strstr(a->body, head) != NULL;
  CHECK(has == want, "%s: body %s \"%s\"", what,
        want ? "lacks" : "holds", head);
}

/* ---- an article, then readers' comments ---- */

#define ART1 "The regional water board voted on Tuesday to raise the " \
  "summer tariff for households that use more than the standard " \
  "allowance, a measure it said would pay for repairs to two reservoirs."
#define ART2 "Board members said the increase would apply from June and " \
  "that families with small children or medical needs could apply for " \
  "a reduced rate through the same office that handles new connections."
#define ART3 "The chair of the board told reporters that the repairs had " \
  "been postponed twice already and that a third delay would put the " \
  "supply of several valley towns at risk during a dry year."
#define ART4 "Engineers hired by the board found cracks in the outlet " \
  "tower of the older reservoir last year, and the insurer has asked for " \
  "the work to be finished before the next winter storms arrive."
#define CMT1 "I have lived in the valley for thirty years and I can tell " \
  "you that the board has been promising these repairs since before my " \
  "children were born, so I will believe it when I see the trucks."
#define CMT2 "Why should the families who save water pay for the mistakes " \
  "of the people who ran the board before? This is not fair at all and " \
  "I hope someone stands up at the next public meeting to say so."
#define CMT3 "Good decision in my view, the reservoirs are in a terrible " \
  "state and somebody has to pay for them, it might as well be those of " \
  "us who fill swimming pools in August."

/* the site's menu and the article's headline, atop most pages */
#define PAGE_HEAD "Valley Courier | News | Sport | Weather\n\n" \
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"

static const char COMMENT_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "Comments (3)\n\n"
  "Posted by riverwatcher | March 3, 2021 at 9:14 AM\n\n" CMT1 "\n\n"
  "Posted by dryseason | March 3, 2021 at 10:02 AM\n\n" CMT2 "\n\n"
  "Posted by anna_k | March 3, 2021 at 11:40 AM\n\n" CMT3 "\n\n"
  "Post a comment\n\nYou must be signed in to comment.\n";

/* the header names the article, dash and all */
static const char RESPONSES_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "2 Responses to \xE2\x80\x9CWater board \xE2\x80\x94 a tariff "
  "too far?\xE2\x80\x9D\n\n"
  CMT1 "\n\n" CMT2 "\n\n" CMT3 "\n";

/* "Comments" in the menu above the article closes nothing */
static const char COMMENT_MENU_PAGE[] =
  "Valley Courier\n\nNews\n\nComments\n\nWeather\n\n"
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"
  ART1 "\n\n" ART2 "\n\n" ART3 "\n";

/* readers' comments with no header: each under a signature with a time */
static const char SIGNED_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "Posted by: riverwatcher, Glenford on 9:14am Wed 3 Mar 21\n" CMT1 "\n"
  "Report this post\n"
  "Posted by: dryseason, Mossford on 10:02am Wed 3 Mar 21\n" CMT2 "\n"
  "Report this post\n"
  "Posted by: anna_k, Glenford on 11:40am Wed 3 Mar 21\n" CMT3 "\n"
  "Report this post\n";

/* readers' views under a header of their own */
static const char VIEWS_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "Reader views (3)\n\n" CMT1 "\n\n" CMT2 "\n\n" CMT3 "\n";

/* a comment counter at zero inside the article opens no section */
static const char ZERO_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n" "0 comments\n\n" ART4 "\n\n"
  CMT3 "\n";

/* ---- related stories: headlines, each with a one-sentence teaser ---- */

#define TEA1 "A county fair opens this weekend with a record number of " \
  "livestock entries and a new evening programme of folk music."
#define TEA2 "Two lanes of the coastal road will close at night for three " \
  "weeks while crews replace the crash barriers near the cliffs."
#define TEA3 "The library has extended its opening hours on Thursdays and " \
  "will lend laptops to students who sign up at the front desk."

static const char TEASER_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "County Fair Breaks Entry Record\n\n" TEA1 "\n\n"
  "Night Closures on the Coastal Road\n\n" TEA2 "\n\n"
  "Library Opens Later on Thursdays\n\n" TEA3 "\n\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* a headline glued to its teaser by the markup, three in a row */
static const char GLUED_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "County Fair Breaks Entry Record" TEA1 "\n\n"
  "Night Closures On The Coastal Road" TEA2 "\n\n"
  "Library Opens Later On Thursdays" TEA3 "\n";

/* glued teasers in two groups under section labels, a headline with a
 * semicolon among them; the article after them */
static const char GLUED_GROUPS_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "    County Fair Breaks Entry Record" TEA1 "\n\n"
  "    Night Closures; Coastal Road Shuts For Repairs" TEA2 "\n\n"
  "    Roads\n\n"
  "    Library Opens Later On Thursdays" TEA3 "\n\n"
  "    Ferry Timetable Changes; Night Crossings Cease" TEA1 "\n";

/* teasers whose headline runs into the dateline of the story */
#define DTL1 "\xE2\x80\xA2 Fair breaks entry record as farmers return " \
  "GLENFORD: The county fair opened on Friday with more animals than ever."
#define DTL2 "\xE2\x80\xA2 Coastal road to close at night for repairs " \
  "MOSSFORD: Two lanes of the coastal road will close for three weeks."
#define DTL3 "\xE2\x80\xA2 Library to stay open later on Thursdays " \
  "VALLEY CITY: The central library will open until nine from next week."

static const char DATELINE_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  DTL1 "\n" DTL2 "\n" DTL3 "\n\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* a listicle: numbered heads with a sentence each are the article */
#define LST1 "The old mill by the river has been turned into a museum of " \
  "local crafts, with weaving looms that visitors may try themselves."
#define LST2 "A path along the ridge gives a view of all three lakes and " \
  "takes about two hours at an easy pace, with benches on the way."
#define LST3 "The covered market sells cheese, bread and smoked fish from " \
  "the farms around the valley every Saturday morning until noon."

static const char LISTICLE_PAGE[] =
  "Valley Courier | Travel\n\n"
  "Three Things to Do in the Valley This Spring\n\n"
  "1. The Mill Museum\n\n" LST1 "\n\n"
  "2. The Ridge Walk\n\n" LST2 "\n\n"
  "3. The Covered Market\n\n" LST3 "\n";

/* a story told in short sections under subheads is the article */
static const char SECTIONS_PAGE[] =
  "Valley Courier | Travel\n\n"
  "Three Things to Do in the Valley This Spring\n\n"
  "The Mill Museum\n\n" LST1 "\n\n"
  "The Ridge Walk\n\n" LST2 "\n\n"
  "The Covered Market\n\n" LST3 "\n";

/* ---- a bulleted list inside the article, a bulleted menu outside ---- */

static const char LIST_PAGE[] =
  "\xE2\x80\xA2 Home\n\xE2\x80\xA2 News\n\xE2\x80\xA2 Sport\n\n"
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"
  ART1 "\n\n"
  "\xE2\x80\xA2 Upper Glen reservoir, dam wall\n"
  "\xE2\x80\xA2 Mossford reservoir, outlet tower\n\n"
  ART2 "\n\n" ART3 "\n\n"
  "\xE2\x80\xA2 Contact us\n\xE2\x80\xA2 Advertise\n";

/* a list the article announces, at its end; a menu of links after it */
#define ANN "The board listed the repairs it will pay for first:"
static const char ANNOUNCED_PAGE[] =
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"
  ART1 "\n\n" ART2 "\n\n" ANN "\n\n"
  "\xE2\x80\xA2 Replacing the cracked valves of the outlet tower\n"
  "\xE2\x80\xA2 Sealing the spillway of the older dam\n"
  "\xE2\x80\xA2 Testing the pumps at the valley station\n\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n\n"
  "\xE2\x80\xA2 Weather Radar\n\xE2\x80\xA2 Traffic Cameras\n"
  "\xE2\x80\xA2 School Closings\n";

/* lists under subheads between two paragraphs */
static const char SUBHEAD_LIST_PAGE[] =
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"
  ART1 "\n\nUrgent\n\n"
  "\xE2\x80\xA2 the outlet tower of the older dam\n\n"
  "Later this year\n\n"
  "\xE2\x80\xA2 the spillway and its gates\n"
  "\xE2\x80\xA2 the pumps at the valley station\n\n"
  ART2 "\n\n" ART3 "\n";

/* ---- a feed of posts under the article, each with its share bar ---- */

#define BAR "Share on Facebook, Twitter or WhatsApp."
static const char FEED_PAGE[] =
  "Water Board Raises Summer Tariff to Pay for Reservoir Repairs\n\n"
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\nMore posts\n\n"
  BAR "\n\n" CMT1 "\n\n" BAR "\n\n" CMT2 "\n\n" BAR "\n\n" CMT3 "\n\n"
  BAR "\n\n" ART4 "\n";

/* ---- a gallery inside the article ---- */

#define GAL(k, cap) "Image " k " of 3\n\n" cap "\n\n" cap "\n\n" \
  "(Image credit: Valley Courier)\n\n"
static const char GALLERY_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n"
  GAL("1", "The outlet tower of the older reservoir seen from the dam wall.")
  GAL("2", "Engineers inspect a crack in the tower's concrete last spring.")
  GAL("3", "The valley station pumps water to the towns below the dam.")
  ART2 "\n\n" ART3 "\n";

/* ---- a post embedded in the article: its text, then its signature ---- */

#define POST "Repairs overdue, glad to see a vote https://t.co/Ab12Cd"
#define SIGN "\xE2\x80\x94 Valley Hikers Club (@valleyhikers) March 2, 2021"

static const char POST_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" POST "\n" SIGN "\n\n" ART3 "\n\n"
  "Share on Twitter\n";

/* ---- the article goes on after a share bar, in short paragraphs ---- */

#define SH1 "The vote passed by seven votes to two after a debate that " \
  "lasted for most of the evening."
#define SH2 "Two of the members said that the board should first sell " \
  "the land that it does not use."
#define SH3 "The new tariff will be reviewed again in the autumn, when " \
  "the repairs are under way."

static const char SPLIT_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "Email to a friend\nPrint this\n\n"
  SH1 "\n\n" SH2 "\n\n" SH3 "\n\n"
  "(c) Valley Courier 2021\n";

/* ---- a card for another story inside the article ---- */

#define CARD "Ferry link approved after ten years"

static const char CARD_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n"
  "Transport\n" CARD "\nferry-pier-photo\n" CARD "\n\n"
  ART3 "\n\n" ART4 "\n";

/* ---- photo captions by their shape ---- */

#define CAP1 "Workers inspect the outlet tower of the Mossford reservoir " \
  "during a dry spell, Monday, Aug. 9, 2020."
#define CAP2 "Board chair Ellen Marsh (left) speaks with residents at the " \
  "public hearing in the town hall."
#define CAP3 "Ellen Marsh addresses residents of the valley at a public " \
  "meeting in this photo from the 2019 hearing."
#define SINCE "The tariff has not changed since the last review of the " \
  "allowance, which the board held on March 3, 2015."

static const char CAPTION_PAGE[] =
  PAGE_HEAD
  CAP1 "\n\n" ART1 "\n\n" SINCE "\n\n" CAP2 "\n\n" ART2 "\n\n"
  CAP3 "\n\n" ART3 "\n";

/* an image's alt text glued to its title, then the next part's opening */
#define DBL "Five Reservoirs Worth a Visit This Year 2" \
  "Five Reservoirs Worth a Visit This Year 2" \
  "The second part of our series walks the dams of the upper valley."

static const char DOUBLED_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" DBL "\n\n" ART2 "\n\n" ART3 "\n";

static void test_doubled_opening(void) {
  /* a sentence that repeats a word or two is prose */
  CHECK(!lp_doubled_opening("The the board met.", 18), "short repeat");
  CHECK(!lp_doubled_opening(ART1, strlen(ART1)), "prose is not doubled");
  CHECK(lp_doubled_opening(DBL, strlen(DBL)), "doubled opening");
}

/* ---- datelines that open a story's lead ---- */

static void test_datelines(void) {
  static const char *const yes[] = {
    "MOSSFORD: The board met on Tuesday.",
    "VALLEY CITY (Reuters) - The board met on Tuesday.",
    "GLENFORD, North Valley, March 3 (AP) -- The board met.",
    "GLENFORD, North Valley, March 3 \xE2\x80\x94 The board met.",
    "MOSSFORD -- The board met on Tuesday.",
  };
  static const char *const no[] = {
    "The board met on Tuesday in MOSSFORD: all agreed.",
    "OK: the board met on Tuesday.",            /* two capitals only */
    "FAQ (read first) for new members",
    "Mossford: the board met on Tuesday.",
  };
  size_t i;
  for (i = 0; i < sizeof yes / sizeof *yes; i++)
    CHECK(lp_dateline_open(yes[i], strlen(yes[i])), "dateline: %s", yes[i]);
  for (i = 0; i < sizeof no / sizeof *no; i++)
    CHECK(!lp_dateline_open(no[i], strlen(no[i])), "no dateline: %s", no[i]);
}

/* ---- notes under the article and the footer ---- */

#define NOTE1 "Staff writer Tom Reyes contributed to this report."
#define NOTE2 "Mara Linde covers the valley towns and can be reached at " \
  "mlinde@valleycourier.example."

static const char NOTES_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n" NOTE1 "\n\n" NOTE2 "\n\n"
  "About us | Contact us | Privacy policy | Terms of use\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* ---- a paragraph the source wrapped at a fixed width ---- */

#define WR1 "- Night service. The ferry will run a late crossing on Fridays"
#define WR2 "and Saturdays from June, so that islanders who work in the"
#define WR3 "harbour district can travel home after the evening shift,"
#define WR4 "the operator said in a statement."

static const char WRAPPED_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" WR1 "\n" WR2 "\n" WR3 "\n" WR4 "\n\n" ART3 "\n";

/* ---- a "Related:" link set between two paragraphs ---- */

static const char RELATED_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n"
  "Related: Drought warning issued for the valley\n\n"
  ART3 "\n\n" ART4 "\n\n"
  "Related stories\n\n" TEA1 "\n\n" TEA2 "\n";

/* ---- an advertisement slot between paragraphs ---- */

#define SHORTP "The vote is expected in May."

static const char AD_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" "Advertisement\n\n" SHORTP "\n\n" ART2 "\n\n" ART3 "\n";

/* ---- a column of short lines between prose blocks ---- */

/* other stories' headlines between the article and a poll's question;
 * a numbered list and an announced table inside the article stay */
#define POLL "Readers were asked whether the valley should build a third " \
  "reservoir before the summer tariff is raised again next year."
static const char COLUMN_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n"
  "The towns that pay the most:\n\n"
  "Town\nHouseholds\nGlenford\n1,200\nMossford\n800\n\n"
  ART3 "\n\n"
  "1. Glenford\n\n2. Mossford\n\n3. Valley City\n\n4. Upper Glen\n\n"
  ART4 "\n\n"
  "Ferry Link Approved After Ten Years\n"
  "Night Closures on the Coastal Road\n"
  "Library Opens Later on Thursdays\n"
  "County Fair Breaks Entry Record\n\n"
  POLL "\n";

/* ---- other stories, each with its own date line, after the article ---- */

#define DATED(head, who, day, blurb) head "\n\n" who "\n" day "\n" blurb "\n\n"
static const char DATED_PAGE[] =
  PAGE_HEAD
  "By Mara Linde\nMarch 3, 2021\n\n"
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  DATED("County Fair Breaks Entry Record", "Tom Reyes", "Tuesday March 2, 2021",
        TEA1)
  DATED("Night Closures on the Coastal Road", "Ann Ibsen",
        "Monday March 1, 2021", TEA2)
  DATED("Library Opens Later on Thursdays", "Tom Reyes",
        "Monday March 1, 2021", TEA3)
  "About us | Contact us\n";

/* ---- teasers whose headline asks, blurbs that end on a "More" link ---- */

static const char ASK_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "County Fair Breaks Entry Record\n" TEA1 "\n\n"
  "Will The Coastal Road Close At Night?\n" TEA2 "\n\n"
  "Library Opens Later on Thursdays\n" TEA3 "\n";

#define RIGHTS "Distributed by the Valley Wire. This material may not be " \
  "published, broadcast, rewritten or redistributed."
#define MORE1 "Tired of paying too much for your energy? Find out how to " \
  "compare the tariffs of every supplier in your town and switch to the " \
  "one that suits your household in a few minutes. More"
#define MORE2 "Planning a garden this spring? Read our guide to the plants " \
  "that need the least water in a dry year and to the ways of keeping " \
  "the soil moist through a long summer. Read more \xC2\xBB"
static const char MORE_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  RIGHTS "\n\n"
  "Save On Energy\n" MORE1 "\n\n" "Garden Guide\n" MORE2 "\n";

/* ---- a box of links to other stories between two paragraphs ---- */

static const char BOX_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n"
  "More from Valley\n\n"
  "\xE2\x80\xA2 Ferry link approved after ten years of talks between the towns\n\n"
  "\xE2\x80\xA2 County fair breaks its entry record with new livestock classes\n\n"
  "\xE2\x80\xA2 Library opens later on Thursdays for students and shift workers\n\n"
  ART3 "\n\n" ART4 "\n\n" CMT1 "\n\n" CMT2 "\n\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* ---- legal prose around the copyright line, far below the article ---- */

#define DISC1 "The information on this website is provided for general " \
  "guidance only and does not replace the advice of a qualified engineer " \
  "or of the water authority that serves your home, whose rules apply " \
  "to every connection and to every meter in the valley."
#define DISC2 "Valley Courier and the wave logo are registered marks of " \
  "the Courier Trust; the names of other products mentioned on these " \
  "pages may be the marks of their owners and are used here only to " \
  "describe the services those owners offer to readers."
static const char FOOTER_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n" ART4 "\n\n"
  "Facebook\nTwitter\nInstagram\nJoin our newsletter\nValley Courier\n"
  "Facebook\nTwitter\n\n"
  DISC1 "\n\n" "\xC2\xA9 2021 Valley Courier. All rights reserved.\n\n"
  DISC2 "\n\n" "Contact us | Terms of use | Privacy\n";

/* the box's bullets on lines of their own, its headlines under them */
static const char BULLET_BOX_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n"
  "Related articles\n\n"
  "\xE2\x80\xA2 \nFerry link approved after ten years of talks\n"
  "\xE2\x80\xA2 \nCounty fair breaks its entry record\n\n"
  ART3 "\n\n" ART4 "\n\n" CMT1 "\n\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* ---- a table the article ends with ---- */

static const char TABLE_PAGE[] =
  PAGE_HEAD
  ART1 "\n\n" ART2 "\n\n" ART3 "\n\n"
  "Works Calendar\n\n"
  "May 4 \xE2\x80\x93 Glenford @ Upper Glen Dam\n"
  "May 18 \xE2\x80\x93 Mossford @ Outlet Tower\n"
  "June 2 \xE2\x80\x93 Valley City @ Pump Station\n"
  "June 16 \xE2\x80\x93 Glenford @ Spillway Gates\n"
  "July 7 \xE2\x80\x93 Mossford @ Lower Weir\n\n"
  "Home | News | Contact us\n"
  "Copyright 2021 Valley Courier. All rights reserved.\n";

/* ---- a Chinese transcript: a short answer between long ones ---- */

#define ZH_PAGE \
  "首页 | 新闻 | 发布会 | 联系我们\n\n" \
  "2021年3月9日外交部发言人林玛主持例行记者会\n\n" \
  "2021/03/09\n\n" \
  "问：有报道称北岸港口将于下月重新开放，中方对此有何评论？\n\n" \
  "答：我们注意到有关报道。港口重新开放有利于地区贸易往来，也符合各方共同利益，我们愿同有关国家一道，继续推进务实合作。\n\n" \
  "问：据报道，邻国渔船昨天在争议海域作业，你能否证实？\n\n" \
  "答：我不掌握你提到的情况。\n\n" \
  "问：你对邻国的新海关规定有何看法？\n\n" \
  "答：关于这个问题，我愿再强调以下几点：\n\n" \
  "第一，贸易往来应当遵循公平、公正、非歧视的原则，各方都应当切实履行承诺。\n\n" \
  "问：两国部长下周会晤将讨论哪些议题？\n\n" \
  "答：双方将就农业、教育和气候变化等共同关心的问题深入交换意见，具体情况我们会适时发布消息，请你保持关注。\n\n" \
  "版权所有 © 埃斯特马克外交部\n"

/* ---- the pages and what their bodies hold ---- */

/* A page, the texts its body must hold (keep) and those it must leave
 * out (drop), each by its start; the lists end at NULL. */
typedef struct {
  const char *what, *page;
  const char *keep[6], *drop[5];
} page_case;

static const page_case pages[] = {
  {"responses", RESPONSES_PAGE, {ART3, NULL}, {CMT1, CMT2, CMT3, NULL}},
  {"comments", COMMENT_PAGE,
   {ART1, ART2, ART3, NULL},
   {CMT1, CMT2, CMT3, NULL}},
  {"comments menu", COMMENT_MENU_PAGE, {ART1, ART3, NULL}, {NULL}},
  {"signed comments", SIGNED_PAGE,
   {ART1, ART3, NULL},
   {CMT1, CMT2, CMT3, NULL}},
  {"reader views", VIEWS_PAGE, {ART1, ART3, NULL}, {CMT1, CMT2, CMT3, NULL}},
  {"zero comments", ZERO_PAGE, {ART3, ART4, NULL}, {NULL}},
  {"teasers", TEASER_PAGE, {ART1, ART3, NULL}, {TEA1, TEA2, TEA3, NULL}},
  {"glued teasers", GLUED_PAGE,
   {ART2, NULL},
   {"County Fair Breaks", "Library Opens Later", NULL}},
  {"glued groups", GLUED_GROUPS_PAGE,
   {ART1, NULL},
   {"Night Closures;", "Library Opens Later On", NULL}},
  {"dateline teasers", DATELINE_PAGE, {ART3, NULL}, {DTL1, DTL2, DTL3, NULL}},
  {"sections", SECTIONS_PAGE, {LST1, LST2, LST3, NULL}, {NULL}},
  {"listicle", LISTICLE_PAGE, {LST1, LST2, LST3, NULL}, {NULL}},
  {"inline list", LIST_PAGE,
   {"\xE2\x80\xA2 Upper Glen reservoir", "\xE2\x80\xA2 Mossford reservoir",
    ART2, NULL},
   {"\xE2\x80\xA2 News", "\xE2\x80\xA2 Advertise", NULL}},
  {"announced list", ANNOUNCED_PAGE,
   {ART2, ANN, "\xE2\x80\xA2 Sealing the spillway",
    "\xE2\x80\xA2 Testing the pumps", NULL},
   {"\xE2\x80\xA2 Traffic Cameras", NULL}},
  {"subhead list", SUBHEAD_LIST_PAGE,
   {"\xE2\x80\xA2 the outlet tower", "Later this year",
    "\xE2\x80\xA2 the pumps at", ART3, NULL},
   {NULL}},
  {"post feed", FEED_PAGE, {ART1, ART3, NULL}, {CMT1, CMT2, ART4, NULL}},
  {"gallery", GALLERY_PAGE,
   {ART1, ART3, NULL},
   {"Engineers inspect a crack", NULL}},
  {"embedded post", POST_PAGE,
   {POST, SIGN, ART3, NULL},
   {"Share on Twitter", NULL}},
  {"split article", SPLIT_PAGE,
   {ART3, SH1, SH2, SH3, NULL},
   {"Print this", NULL}},
  {"story card", CARD_PAGE, {ART2, ART3, ART4, NULL}, {CARD, NULL}},
  {"captions", CAPTION_PAGE,
   {ART1, ART2, SINCE, NULL},
   {CAP1, CAP2, CAP3, NULL}},
  {"doubled", DOUBLED_PAGE, {ART1, ART2, NULL}, {DBL, NULL}},
  {"end notes", NOTES_PAGE,
   {ART3, NULL},
   {NOTE1, NOTE2, "About us", "Copyright 2021", NULL}},
  {"wrapped", WRAPPED_PAGE,
   {ART2, "Night service", WR2, WR3, ART3, NULL},
   {NULL}},
  {"related link", RELATED_PAGE,
   {ART1, ART2, ART3, ART4, NULL},
   {"Related: Drought", TEA1, NULL}},
  {"short column", COLUMN_PAGE,
   {ART4, "Households", "2. Mossford", "4. Upper Glen", NULL},
   {"Ferry Link Approved", "Library Opens Later", POLL, NULL}},
  {"dated items", DATED_PAGE, {ART1, ART3, NULL}, {TEA1, TEA2, TEA3, NULL}},
  {"asking teasers", ASK_PAGE, {ART1, ART3, NULL}, {TEA1, TEA2, TEA3, NULL}},
  {"more links", MORE_PAGE, {ART1, ART3, NULL}, {RIGHTS, MORE1, MORE2, NULL}},
  {"inline box", BOX_PAGE,
   {ART1, ART2, ART3, CMT2, NULL},
   {"\xE2\x80\xA2 Ferry link", "\xE2\x80\xA2 Library opens", NULL}},
  {"footer prose", FOOTER_PAGE, {ART1, ART4, NULL}, {DISC1, DISC2, NULL}},
  {"bullet box", BULLET_BOX_PAGE,
   {ART1, ART2, ART3, NULL}, {"Ferry link approved", NULL}},
  {"table", TABLE_PAGE,
   {ART3, "May 4 \xE2\x80\x93 Glenford", "July 7 \xE2\x80\x93 Mossford", NULL},
   {"Home | News", NULL}},
  {"ad slot", AD_PAGE, {ART1, SHORTP, ART2, NULL}, {"Advertisement", NULL}},
  {"short CJK answer", ZH_PAGE,
   {
    /* "I have no information on that." is a sentence, not a menu: kept
     * between the answers around it */
    "答：我不掌握你提到的情况。", "答：我们注意到有关报道。",
    /* a colon-ended clause introduces the points after it */
    "答：关于这个问题，我愿再强调以下几点：", NULL},
   {"首页 | 新闻", "版权所有", NULL}},
};

/* Each page parsed once, then every text of its lists checked. */
static void test_pages(void) {
  size_t i, k;
  for (i = 0; i < sizeof pages / sizeof *pages; i++) {
    const page_case *c = &pages[i];
    loupe_article *a = parse_ok(c->what, c->page, strlen(c->page));
    for (k = 0; c->keep[k]; k++) check_body(c->what, a, c->keep[k], 1);
    for (k = 0; c->drop[k]; k++) check_body(c->what, a, c->drop[k], 0);
    loupe_article_free(a);
  }
}

static const check_test tests[] = {
  test_pages,
  test_doubled_opening,
  test_datelines,
};

int main(void) {
  return check_run("test_classify", tests, sizeof tests / sizeof *tests);
}
