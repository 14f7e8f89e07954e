/*
 * pages.h - the small invented corpus fuzz_query searches: five pages in
 * the shapes scraped pages take (menus, bylines, agency credits, quotes,
 * a near-duplicate republished by another outlet, accented words), so
 * that text, filters, dates, clusters, quotes and regexes all find rows.
 */
#ifndef LOUPE_FUZZ_PAGES_H
#define LOUPE_FUZZ_PAGES_H

#define FZ_FERRY_BODY \
  "MARLOW BAY -- The harbour board on Thursday agreed to bring back the " \
  "night ferry between Marlow Bay and the Skerrow islands, four years " \
  "after the service was cut to save money.\n" \
  "\n" \
  "\"We listened to the islanders and we got it wrong in 2017,\" board " \
  "chair Ines Varro told reporters after the vote.\n" \
  "\n" \
  "Islanders had collected more than six thousand signatures for the " \
  "return of the crossing, which many of them use to reach the hospital " \
  "in Marlow Bay.\n"

static const char *const fz_pages[] = {
  /* 1: a local paper, agency credit, minute date */
  "Home | World | Business | Sport | Culture\n"
  "Sign in   Subscribe\n"
  "\n"
  "Night ferry to return between Marlow Bay and the Skerrow islands\n"
  "Updated: 2021-05-06 10:15\n"
  "(Norpress)\n"
  "\n"
  FZ_FERRY_BODY
  "\n"
  "Copyright 2021 The Marlow Courier. All Rights Reserved.\n",

  /* 2: the same story republished a day later by another outlet */
  "Coastline Herald\n"
  "News | Regions | Weather\n"
  "\n"
  "Night ferry to return between Marlow Bay and the Skerrow islands\n"
  "May 7, 2021\n"
  "By Tove Arnesen\n"
  "\n"
  FZ_FERRY_BODY
  "\n"
  "Share this article\n",

  /* 3: a wire story with a dateline and reported speech */
  "Valley Post\n"
  "News | Markets | Weather | Sport\n"
  "\n"
  "Inspectors find cracks in the Orsa dam spillway\n"
  "August 14, 2019 / 3:20 PM\n"
  "By Henrik Sollen\n"
  "\n"
  "ORSA, Aug 14 (Norpress) - Inspectors found cracks in the spillway of "
  "the Orsa dam during a routine check, the regional water authority said "
  "on Wednesday.\n"
  "\n"
  "Authority spokesman Pavel Dusek said the cracks posed no immediate "
  "danger but that the reservoir would stay low until the repairs.\n"
  "\n"
  "\"Nobody downstream is at risk,\" Dusek said.\n"
  "\n"
  "Copyright 2019 The Valley Post.\n",

  /* 4: accented words and a cyber story */
  "Le Journal du Lac\n"
  "\n"
  "Cyber attack halts the ticket office of the Lac-Noir museum\n"
  "Published 2 March 2020\n"
  "\n"
  "LAC-NOIR - A cyberattack stopped the ticket office of the café-musée "
  "on the lake shore for two days, its director Élise Marchetti said on "
  "Monday.\n"
  "\n"
  "\"The écran went dark and the whole système with it,\" Marchetti said, "
  "adding that no visitor data had been taken.\n"
  "\n"
  "Police in Lac-Noir said they were looking into the cyber incident.\n",

  /* 5: no date, no byline, a short opinion piece */
  "The Weekly Lantern\n"
  "\n"
  "Why the ferry matters\n"
  "\n"
  "A ferry is more than a boat: for the Skerrow islands it is the road to "
  "school, to work and to the hospital.\n"
  "\n"
  "The harbour board was right to change its mind, and the islanders were "
  "right to ask.\n"
};

#define FZ_N_PAGES (sizeof fz_pages / sizeof fz_pages[0])

#endif
