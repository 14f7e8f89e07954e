/*
 * qwords.c - the words the quote finder reads by: word ends, capitals,
 * the vocabularies (reporting verbs, role and organisation nouns, words
 * that are no names) hashed once per process, and names of 1-4 words.
 */
#include <pthread.h>
#include <string.h>
#include "quotes.h"


/* Letters, digits, the hyphen and every byte of a UTF-8 sequence. */


/* Byte classes for qt_word_end: 1 a plain word byte (ASCII letter, digit,
 * hyphen, or a UTF-8 byte other than E2 and C2 lead bytes), 2 a byte that
 * needs a closer look (E2, C2, the straight apostrophe), 0 a stop. */
const unsigned char qt_word_class[256] = {
  ['-'] = 1, ['\''] = 2,
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
  ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
#define L(c) [c] = 1, [c + 32] = 1
  L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
  L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
  L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
#undef L
#define R8(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, \
              [c + 4] = 1, [c + 5] = 1, [c + 6] = 1, [c + 7] = 1
  R8(0x80), R8(0x88), R8(0x90), R8(0x98), R8(0xA0), R8(0xA8), R8(0xB0),
  R8(0xB8), R8(0xC8), R8(0xD0), R8(0xD8), R8(0xE8), R8(0xF0), R8(0xF8),
#undef R8
  [0xC0] = 1, [0xC1] = 1, [0xC2] = 2, [0xC3] = 1, [0xC4] = 1, [0xC5] = 1,
  [0xC6] = 1, [0xC7] = 1,
  [0xE0] = 1, [0xE1] = 1, [0xE2] = 2, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1,
  [0xE6] = 1, [0xE7] = 1
};


/* Next word start at or after i, not past lim; lim when none. */

/* Is s[a, b) the word w (ASCII case folded)? The first letter is checked
 * before anything else: this runs for every word against every list. */
int qt_word_is(const char *s, size_t a, size_t b, const char *w) {
  size_t k, m = b - a;
  if (m == 0 || ((unsigned char)s[a] | 32) != ((unsigned char)w[0] | 32))
    return 0;
  for (k = 1; k < m; k++) {
    unsigned char c = (unsigned char)s[a + k], d = (unsigned char)w[k];
    if (d == 0) return 0;
    if (c >= 'A' && c <= 'Z') c |= 32;
    if (d >= 'A' && d <= 'Z') d |= 32;
    if (c != d) return 0;
  }
  return w[m] == '\0';
}


static int possessive(const char *s, size_t a, size_t e);

/* ---- vocabularies ---- */

/* Verbs that attach quoted words to their speaker ("X said", "said X",
 * "X tweeted"), in the forms news prose uses them. */
static const char speech_verbs[] =
  "said says say added adds noted notes stressed stresses told tells urged "
  "urges warned warns insisted insists explained explains argued argues "
  "claimed claims declared declares stated states emphasized emphasised "
  "emphasizes underlined reiterated remarked replied replies answered "
  "answers asked asks wrote writes commented continued continues announced "
  "acknowledged acknowledges admitted admits denied confirmed vowed vows "
  "pledged demanded suggested suggests pointed observed observes concluded "
  "recalled recalls countered counters responded responds maintained "
  "maintains cautioned complained complains tweeted tweets posted texted "
  "emailed blogged shouted yelled screamed cried exclaimed whispered "
  "murmured muttered pressed conceded concedes concurred agreed agrees joked "
  "jokes quipped quips mused boasted boasts bragged predicted predicts "
  "promised promises proclaimed protested pleaded lamented laments mocked "
  "scoffed snapped retorted recounted recounts elaborated estimated "
  "speculated wondered wonders charged alleged alleges contended contends "
  "asserted asserts assured advised testified informed revealed disclosed "
  "indicated signaled signalled hinted repeated reminded opined offered "
  "chimed interjected interrupted reflected confessed confided blasted "
  "criticized criticised railed ranted thundered roared gushed raved "
  "marveled marvelled sighed laughed groaned grumbled griped fumed hollered "
  "barked growled reasoned surmised summarized summed vented pleads implored "
  "begged challenged questioned queried inquired wrote explained detailed "
  "described characterized reported reports read reads began begins ended "
  "stressed affirmed averred assured decried denounced condemned warned "
  "hailed praised thanked apologized apologised objected rejoined responded "
  "echoed echoes recited intoned declared ventured volunteered allowed "
  "acknowledged conceded countered clarified corrected added insisted "
  "answered noted beamed smiled grinned chuckled deadpanned added saying "
  "telling adding noting calling writing arguing insisting warning declaring "
  "asking explaining claiming promising vowing tweeting joking stressing "
  "urging acknowledging admitting responding replying observing reacted "
  "demurred sniped jabbed cracked quipped cheered pronounced concluding "
  "recalling quoting quoted shot fired boomed bellowed intoned pleaded "
  "insisting stating announcing predicting suggesting describing dismissing "
  "accusing labeling labelling branding put speculates contends reckons "
  "thinks believes hopes fears worries recounted describes calls "
  /* the other forms of the verbs above (nouns such as "remarks",
   * "thanks", "charges" left out: "X's remarks" is no cue) */
  "yells yelling shouts shouting screams screaming whispers whispering "
  "mutters muttering quipping pleading implores imploring begs begging "
  "exclaims exclaiming proclaims proclaiming boasting brags bragging gushes "
  "gushing complaining lamenting grumbles grumbling mocks mocking scoffs "
  "scoffing wondering muses musing thanking praising hailing affirms "
  "affirming asserting conceding retorts retorting countering answering "
  "announces demanding remarking commenting recounting laughing protesting "
  "objecting alleging contending concludes emphasizing reiterates "
  "reiterating repeats repeating confirms confirming "
  "testifies testifying interjects interjecting interrupts interrupting "
  "ranting thundering bellows bellowing sighing groaning griping opines "
  "opining speculating surmises confesses confessing confides confiding "
  "intones intoning deadpans deadpanning agreeing concurs "
  "concurring characterizes characterizing summarizes summarizing "
  "elaborates elaborating insinuated insinuates "
  "assures assuring advises advising reminds reminding informs informing "
  "venting marveling raving cheering "
  /* exhorting, scolding, lecturing, sneering, taunting: words said to
   * somebody */
  "exhorted exhorts exhorting lectured lectures lecturing preached preaches "
  "preaching scolded scolds scolding chided chides chiding sneered sneers "
  "sneering taunted taunting congratulated congratulates congratulating "
  "applauded applauds applauding rebutted rebuts rebutting chanted chanting "
  /* starting to speak, imagining and citing: the words that follow are
   * the speaker's ("Hannity started.", "X imagined Y was thinking: "..."",
   * "X cited "..."") */
  "started imagined imagines imagining cited cites citing";

/* Verbs that introduce reported content directly ("urged the US to"). */
static const char report_verbs[] =
  "said says added noted stressed urged warned insisted argued claimed "
  "stated emphasized emphasised reiterated told explained announced "
  "acknowledged admitted denied confirmed vowed pledged demanded suggested "
  "pointed maintained cautioned believes believed reported";

/* Verbs that attach a short quoted label to what they describe. */
static const char label_verbs[] =
  "called calls described describes labelled labeled branded termed accused "
  "likened slammed";

static const char role_nouns[] =
  "spokesperson spokesman spokeswoman minister director president secretary "
  "ambassador envoy diplomat official chief head leader chairman chairwoman "
  "chair commissioner senator lawmaker representative governor mayor premier "
  "chancellor adviser advisor analyst researcher expert professor executive "
  "officer commander deputy counsellor counselor consul attorney prosecutor "
  "judge economist founder ceo strategist fellow manager general "
  "spokespeople negotiator inspector candidate nominee delegate aide staffer "
  "activist organizer organiser operative pollster consultant columnist "
  "correspondent commentator host anchor moderator writer author historian "
  "scientist lawyer congressman congresswoman congressmember assemblyman "
  "councilman councilwoman rabbi pastor bishop sheriff donor surrogate "
  "backer opponent challenger incumbent hopeful frontrunner front-runner "
  "speaker whip co-founder cofounder partner owner editor reporter "
  "journalist blogger veteran resident supporter voter member student "
  "teacher doctor physician nurse specialist campaigner advocate critic ally "
  "friend coordinator treasurer administrator superintendent trooper "
  "detective agent investigator lieutenant colonel captain sergeant admiral "
  "vice-president comedian actor actress singer rapper celebrity businessman "
  "businesswoman billionaire philanthropist entrepreneur preacher evangelist "
  "wife husband son daughter father mother brother sister widow nephew niece "
  "cousin uncle aunt grandson granddaughter fiancee fiance girlfriend "
  "boyfriend lawmaker co-host co-anchor co-chair co-chairman constituent "
  "staff undersecretary commentator contributor panelist councillor "
  "councilor counterpart colleague hacker boss "
  /* occupations and offices that stand before a name as a title
   * ("Filmmaker Jack Marino", "Archbishop Aris Vane"); not those that are
   * common surnames too (Deacon, Farmer, Coach, Clerk) */
  "archbishop priest imam reverend chaplain alderman alderwoman "
  "assemblywoman counsel solicitor magistrate recorder auditor comptroller "
  "assessor filmmaker producer photographer artist musician novelist poet "
  "playwright screenwriter cartoonist satirist designer architect "
  "quarterback broadcaster presenter publisher editor-in-chief scholar "
  "academic lecturer sociologist psychologist psychiatrist surgeon engineer "
  "rancher demographer statistician physicist chemist biologist pundit";

/* Titles and honorifics before a name ("Sen. Ted Cruz", "House Speaker
 * Paul Ryan", "Rabbi Ana Levin"): no part of the name. */
static const char honorifics[] =
  "mr ms mrs dr sen rep gov lt gen col capt sgt adm rev prof president vice "
  "speaker senator governor secretary rabbi pastor father bishop cardinal "
  "pope judge justice mayor chairman chairwoman leader minister prime "
  "representative congressman congresswoman candidate attorney general "
  "ambassador director commissioner chief house senate majority minority "
  "democratic republican gop democrat former first lady sheriff assemblyman "
  "councilman councilwoman delegate host anchor moderator presidential "
  "nominee presumptive sir dame lord chancellor premier deputy assistant "
  "acting state pundit professor economist analyst strategist pollster "
  "columnist commentator author activist whip mrs.";

/* Nouns of documents: things said rather than bodies that say them. A
 * document speaks for the owner named with it ("a report by the Harbour
 * Council ... the report said"); without one it has no speaker. */
const char *const qt_document_nouns[] = {
  "report", "study", "survey", "statement", "analysis", "letter", "paper",
  "memo", "filing", "review", "audit", "poll", "advisory", "white",
  "lawsuit", "complaint", "ruling", NULL
};

/* Nouns for organisations and documents that speak ("the ministry said"). */
const char *const qt_org_nouns[] = {
  "ministry", "agency", "department", "government", "embassy", "company",
  "report", "statement", "office", "council", "committee", "commission",
  "center", "centre", "team", "group", "firm", "bureau", "authority",
  "police", "army", "court", "union", "institute", "study", "survey",
  "white", "paper", "administration", "cabinet", "parliament", "military",
  "party", "association", "foundation", "university", "organization",
  "organisation", "coalition", "alliance", "campaign", "network", "bank",
  "board", "fund", "club", "society", "federation", "league",
  "corporation", "newspaper", "service", "analysis", "letter", "memo",
  "filing", "lawsuit", "complaint", "ruling", "advisory", "review",
  "audit", "poll", "senate", "house", "congress", "legislature",
  NULL
};

/* Last words of organisation names that are no nouns of their own ("Norfeld
 * Capital Inc", "Northline Ferries"): the name speaks as a company. */
static const char org_tails[] =
  "inc corp ltd llc plc co gmbh ag sa ferries airlines airways holdings "
  "motors systems technologies labs networks capital energy industries "
  "partners media news times post press radio television tv journal herald "
  "tribune telegraph enterprises ventures pharmaceuticals securities "
  "insurance logistics shipping foods brands software solutions";
const size_t qt_n_org_nouns =
  sizeof qt_org_nouns / sizeof qt_org_nouns[0] - 1;


static const char not_names[] =
  "the a an this that these those he she it they we i you in on at for but "
  "and or if when while after before as since last next some according there "
  "here his her its their our what who why how then also however both such "
  "many most all no not one two with from by to of earlier later meanwhile "
  "monday tuesday wednesday thursday friday saturday sunday mr ms mrs dr "
  "asked speaking responding commenting told writing despite during under "
  "january february march april june july august september october november "
  "december even still yet so now today instead just only every each other "
  "another more much now thus indeed perhaps maybe because although though "
  "unlike like among between about over into than whether where which whose "
  "said says my your them him me yes well oh again first second third "
  "finally people sources officials critics supporters republicans democrats "
  "americans voters stated added continued wrote noted";

/* Lower-case modifiers inside role phrases ("foreign ministry"). */
static const char mod_words[] =
  "foreign deputy chief senior former acting national state vice assistant "
  "general prime defence defense interior trade press ministry security "
  "intelligence military of for and regional executive top cybersecurity "
  "cyber government department embassy federal his her their its";

/* Words after which a clause (with its own speaker) may start. */
static const char conj_words[] =
  "after when while as because since and but before although though where "
  "once whereas";



/* The role nouns' second filter, past vocab's first byte and length: bit
 * b of role_second[first][len] is set when a role noun of len bytes
 * opening with that letter has the second letter b (see letter_slot).
 * Filled with the vocabulary, read-only after. */
static uint32_t role_second[27][25];

/* A byte's place in role_second: a to z (ASCII case folded) 0 to 25,
 * any other byte 26. */
static unsigned letter_slot(unsigned char c) {
  if (c >= 'A' && c <= 'Z') c |= 32;
  return c >= 'a' && c <= 'z' ? (unsigned)(c - 'a') : 26u;
}

/* Could s[a, b) be a role noun by its first two letters and length? */
static int role_second_may(const char *s, size_t a, size_t b) {
  if (b - a < 2 || b - a > 24) return 1;
  return (int)((role_second[letter_slot((unsigned char)s[a])][b - a] >>
                letter_slot((unsigned char)s[a + 1])) & 1);
}

/* Adds the word w[0, len) to the list of bit. */
static void vocab_add_word(vocab *v, const char *w, size_t len, unsigned bit) {
  uint32_t h = qt_word_hash(w, 0, len);
  uint32_t k = h & (VOCAB_SLOTS - 1);
  unsigned char c = (unsigned char)w[0];
  if (c >= 'A' && c <= 'Z') c |= 32;
  if (bit == V_ROLE && len >= 2 && len <= 24)
    role_second[letter_slot(c)][len] |=
        (uint32_t)1 << letter_slot((unsigned char)w[1]);
  if (len > 0 && len <= 24) {
    v->fl[c] |= (uint32_t)1 << len;
    if (bit == V_ROLE) v->fl_role[c] |= (uint32_t)1 << len;
    if (bit == V_REPORT) v->fl_report[c] |= (uint32_t)1 << len;
  }
  while (v->h[k] != 0 && v->h[k] != h) k = (k + 1) & (VOCAB_SLOTS - 1);
  v->h[k] = h;
  v->m[k] |= (uint16_t)bit;
}

/* Adds the NULL-ended list (the exported arrays) to the list of bit. */
static void vocab_add(vocab *v, const char *const *list, unsigned bit) {
  int i;
  for (i = 0; list[i]; i++) vocab_add_word(v, list[i], strlen(list[i]), bit);
}

/* Adds the space-separated words to the list of bit. */
static void vocab_add_words(vocab *v, const char *words, unsigned bit) {
  while (*words) {
    size_t len = strcspn(words, " ");
    if (len > 0) vocab_add_word(v, words, len, bit);
    words += len;
    while (*words == ' ') words++;
  }
}

/* The word lists, hashed once per process and read-only after. */
static vocab shared_vocab;
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;
static void vocab_build(void);


/* Could s[a, b) be on the list whose filter is fl (see vocab)? */

int qt_is_role_noun(const vocab *v, const char *s, size_t a, size_t b) {
  size_t m = b - a;
  if (qt_may_be_on(v->fl_role, s, a, b) && role_second_may(s, a, b) &&
      (qt_vmask(v, s, a, b) & V_ROLE))
    return 1;
  /* plural forms count ("ministers") */
  return m > 2 && s[b - 1] == 's' && s[b - 2] != 's' &&
         qt_may_be_on(v->fl_role, s, a, b - 1) &&
         role_second_may(s, a, b - 1) &&
         (qt_vmask(v, s, a, b - 1) & V_ROLE);
}

/* ---- names ---- */

/* A particle inside a name: van, de, bin, al, von, da. */
static int particle(const char *s, size_t j, size_t e) {
  return qt_word_is(s, j, e, "van") || qt_word_is(s, j, e, "de") ||
         qt_word_is(s, j, e, "bin") || qt_word_is(s, j, e, "al") ||
         qt_word_is(s, j, e, "von") || qt_word_is(s, j, e, "da");
}

/*
 * Length of a name at i: 1-4 capitalised words (initials "E." and
 * particles van, de, bin, al allowed inside), not a pronoun or function
 * word. Returns 0 when there is none. words gets the word count.
 */
size_t qt_name_at(const vocab *v, const char *s, size_t lim, size_t i,
                      int *words) {
  size_t j = i, last = i;
  int w = 0;
  *words = 0;
  while (j < lim && w < 4) {
    size_t e = qt_word_end(s, lim, j);
    if (e == j) break;
    if (qt_is_upper_at(s, lim, j)) {
      if (w == 0 && (qt_vmask(v, s, j, e) & V_NOTNAME)) return 0;
      if (w > 0 && qt_is_role_noun(v, s, j, e)) break;
      w++;
      last = e;
      if (possessive(s, j, e)) {
        /* "Ryan's office": the name ends before the 's */
        last = e - ((unsigned char)s[e - 2] == 0x99 ? 4 : 2);
        break;
      }
    } else if (w > 0 && e - j <= 3 && particle(s, j, e)) {
      /* particle: only when a capitalised word follows */
    } else {
      break;
    }
    if (e >= lim || s[e] != ' ') break;
    j = e + 1;
  }
  *words = w;
  return w > 0 ? last - i : 0;
}

/* Only capitals (and no lower-case letter) in s[a, b)? */
int qt_all_caps(const char *s, size_t a, size_t b) {
  size_t k;
  for (k = a; k < b; k++)
    if (s[k] >= 'a' && s[k] <= 'z') return 0;
  return 1;
}

/* ---- the registry of people ---- */


static const char pronouns_he[] = "he";
static const char pronouns_she[] = "she";
static const char pronouns_it[] = "it they";

/* Words that may stand between a speaker and the verb ("X also said",
 * "X has repeatedly said", "X later wrote"). */
static const char fillers[] =
  "also then later has had have once again first previously would will was "
  "is even just still never often recently simply publicly repeatedly "
  "frequently quickly bluntly flatly reportedly separately immediately "
  "specifically explicitly famously sarcastically jokingly angrily privately "
  "earlier only subsequently initially ultimately finally once long since "
  "further openly directly similarly likewise confidently proudly bitterly "
  "tersely curtly softly loudly firmly calmly emphatically matter-of-factly "
  "however though meanwhile too instead personally "
  "on monday tuesday wednesday thursday friday saturday sunday yesterday "
  "today tonight night morning afternoon evening last week this";

static const char title_words[] =
  "titled entitled headlined named dubbed so-called nicknamed codenamed "
  "code-named called";

/* Nouns a short capitalised quoted name follows ("the group "Glass
 * Heron"", "malware called..."): the quote names the thing. */
static const char naming_nouns[] =
  "group organization organisation campaign operation program programme "
  "project malware virus ransomware tool software app book film movie "
  "documentary song album series show article column code exercise "
  "initiative strategy doctrine platform";


static void vocab_build(void) {
  vocab *vc = &shared_vocab;
  vocab_add_words(vc, speech_verbs, V_SPEECH);
  vocab_add_words(vc, report_verbs, V_REPORT);
  vocab_add_words(vc, label_verbs, V_LABEL);
  vocab_add_words(vc, role_nouns, V_ROLE);
  vocab_add(vc, qt_org_nouns, V_ORG);
  vocab_add_words(vc, not_names, V_NOTNAME);
  vocab_add_words(vc, title_words, V_TITLE);
  vocab_add_words(vc, naming_nouns, V_NAMING);
  vocab_add_words(vc, conj_words, V_CONJ);
  vocab_add_words(vc, mod_words, V_MOD);
  vocab_add_words(vc, pronouns_he, V_HE);
  vocab_add_words(vc, pronouns_she, V_SHE);
  vocab_add_words(vc, honorifics, V_HONOR);
  vocab_add_words(vc, org_tails, V_ORGTAIL);
  vocab_add_words(vc, pronouns_it, V_IT);
  vocab_add_words(vc, fillers, V_FILLER);
}

/* The vocabularies, built on first use. */
const vocab *qt_vocab(void) {
  pthread_once(&vocab_once, vocab_build);
  return &shared_vocab;
}

/* Does the word s[a, e) end in a possessive ('s, ’s)? */
static int possessive(const char *s, size_t a, size_t e) {
  if (e - a > 2 && s[e - 1] == 's' && s[e - 2] == '\'') return 1;
  return e - a > 4 && s[e - 1] == 's' && (unsigned char)s[e - 2] == 0x99 &&
         (unsigned char)s[e - 3] == 0x80 && (unsigned char)s[e - 4] == 0xE2;
}

/*
 * Past the titles and a possessive owner before a name at i: in a run of
 * capitalised words (and "of"), the name starts after the last title or
 * possessive that a capitalised word (no organisation noun) follows:
 * "Former Florida Gov. Jeb Bush", "Secretary of State Ana Ruiz", "Fox's
 * Chris Wallace". i when there is none.
 */
size_t qt_skip_titles(const vocab *v, const char *s, size_t lim, size_t i) {
  size_t k = i, start = i;
  int words = 0;
  while (k < lim && words < 7) {
    size_t e = qt_word_end(s, lim, k), n;
    int cut;
    if (e == k) break;
    /* "1st Lt.": an ordinal inside a title */
    int ordinal = s[k] >= '1' && s[k] <= '9' && e - k >= 3 && e - k <= 4 &&
                  (lp_starts_ci(s + e - 2, 2, "st") ||
                   lp_starts_ci(s + e - 2, 2, "nd") ||
                   lp_starts_ci(s + e - 2, 2, "rd") ||
                   lp_starts_ci(s + e - 2, 2, "th"));
    if (!qt_is_upper_at(s, lim, k) && !qt_word_is(s, k, e, "of") && !ordinal)
      break;
    /* a period only after an abbreviation ("Gov.", "Lt."), not at the end
     * of a sentence ("... President Mugabe. President Xi") */
    n = e < lim && s[e] == '.' && e - k <= 4 ? e + 1 : e;
    if (n >= lim || s[n] != ' ') break;
    n++;
    /* is the word a title the name after it starts past? (asked only
     * when a capitalised word follows) */
    cut = qt_is_upper_at(s, lim, n) &&
          (ordinal || possessive(s, k, e) ||
           (qt_vmask(v, s, k, e) & V_HONOR) || qt_is_role_noun(v, s, k, e) ||
           /* "Korean-born", "Ohio-based": no part of a name */
           (e - k > 5 && (lp_starts_ci(s + e - 5, 5, "-born") ||
                          lp_starts_ci(s + e - 6 > s + k ? s + e - 6 : s + k,
                                       6, "-based"))));
    if (cut) {
      size_t ne = qt_word_end(s, lim, n);
      if (!(qt_vmask(v, s, n, ne) & V_ORG)) start = n;
    }
    k = n;
    words++;
  }
  return start;
}

/* Is the period at s[p] that of an abbreviation or an initial rather
 * than a sentence end: "U.S.", "D.C.", "E.", "Sen.", "Mr.", "Jr."? */
int qt_abbreviation(const char *s, size_t from, size_t p) {
  static const char *const abbr[] = {
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Lt", "Gen", "Col",
    "Capt", "Sgt", "St", "Jr", "Sr", "Rev", "Prof", "Inc", "Corp", "Co",
    "No", "vs", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", NULL
  };
  size_t a = p;
  int k;
  while (a > from && (qt_is_word_byte((unsigned char)s[a - 1]) ||
                      s[a - 1] == '.'))
    a--;
  if (p - a == 1 && qt_is_upper_at(s, p, a)) return 1;       /* "E." */
  if (memchr(s + a, '.', p - a) != NULL) return 1;            /* "U.S." */
  for (k = 0; abbr[k]; k++)
    if (qt_word_is(s, a, p, abbr[k])) return 1;
  return 0;
}
