/*
 * fields_people.c - who an article is by and where it comes from: the
 * dateline and the credited agency, the outlet (copyright and masthead
 * lines), the authors and editors (bylines, "Editing by" lines), each
 * kept with the source line and the rule that found it.
 */
#include <stdlib.h>
#include <string.h>
#include "dates.h"
#include "fields.h"

static size_t person_name(const char *s, size_t n);

/* Capitalised words that start bylines, mastheads or labels, not names. */
static int not_a_name_start(const char *w, size_t n) {
  static const char *const words[] = {
    "by", "por", "von", "par", "door", "oleh", "the", "from", "photo",
    "updated", "posted", "published", "source", "editor", "reporting",
    "written", "share", "read", "more", NULL
  };
  int i;
  for (i = 0; words[i]; i++)
    if (strlen(words[i]) == n && lp_starts_ci(w, n, words[i])) return 1;
  return 0;
}

/*
 * Is s[0..n) only a list of people ("Jane Roe", "Jane Roe, John Doe and
 * Ann Lee"), optionally followed by ", <Agency>"? Returns the length of
 * the names part, 0 when it is not such a line.
 */
size_t lp_name_list(const char *s, size_t n) {
  size_t off = 0, end = 0;
  unsigned names = 0;
  while (off < n) {
    size_t m = person_name(s + off, n - off);
    if (m == 0) break;
    names++;
    off += m;
    end = off;
    if (off >= n) return end;
    if (lp_starts_ci(s + off, n - off, " and ")) { off += 5; continue; }
    if (lp_starts_ci(s + off, n - off, " & ")) { off += 3; continue; }
    if (s[off] == ',') {
      off++;
      while (off < n && s[off] == ' ') off++;
      if (lp_starts_ci(s + off, n - off, "and ")) off += 4;
      continue;
    }
    return 0;
  }
  if (names == 0 || off < n) {
    /* a trailing ", Reuters" style credit after the names */
    size_t k = end;
    if (names == 0 || k >= n || s[k] != ',') return 0;
    k++;
    while (k < n && s[k] == ' ') k++;
    if (k < n && s[k] >= 'A' && s[k] <= 'Z' && n - k <= 30 &&
        memchr(s + k, ',', n - k) == NULL)
      return end;
    return 0;
  }
  return end;
}

/* 2 to 6 upper-case letters alone: an agency acronym ("ANA", "AFP"). */
static int is_acronym(const char *s, size_t n) {
  size_t k;
  if (n < 2 || n > 6) return 0;
  for (k = 0; k < n; k++)
    if (s[k] < 'A' || s[k] > 'Z') return 0;
  return 1;
}

/* ---- credit, dateline ---- */

static const char *const agencies[] = {
  "Xinhua News Agency", "Xinhua", "Reuters", "Associated Press", "AP",
  "Agence France-Presse", "AFP", "Sputnik", "TASS", "RIA Novosti",
  "Kyodo News", "Kyodo", "Yonhap", "Bloomberg", "UPI", "PTI", "ANI", "IANS",
  "dpa", "EFE", "ANSA", "Bernama", "Anadolu Agency", "Anadolu", "CNA",
  "Interfax", "Jiji Press", "PA Media", "Press Association",
  "China News Service", "KCNA", "IRNA", "Antara", "Xinhuanet",
  "Global Times", "CGTN", "People's Daily", NULL
};

static int is_agency(const char *s, size_t n) {
  int i;
  for (i = 0; agencies[i]; i++)
    if (strlen(agencies[i]) == n && lp_starts_ci(s, n, agencies[i]) &&
        (n > 3 || memcmp(s, agencies[i], n) == 0))
      return 1;
  return 0;
}

/* A run of capitalised words (a name of an agency or outlet): returns the
 * length accepted from s, 0 when s does not start with one. */
static size_t name_run(const char *s, size_t n, unsigned max_words) {
  size_t i = 0, last = 0;
  unsigned words = 0;
  while (i < n && words < max_words) {
    size_t j = i;
    unsigned char c = (unsigned char)s[i];
    int cap = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
    while (j < n && s[j] != ' ') j++;
    if (j > i && s[j - 1] == ':') break;      /* "Editor:" starts a field */
    if (!cap) {
      /* lower-case joiners inside a name */
      if (!(words > 0 && j - i <= 3 &&
            (lp_starts_ci(s + i, j - i, "of") || lp_starts_ci(s + i, j - i, "and") ||
             lp_starts_ci(s + i, j - i, "the") || lp_starts_ci(s + i, j - i, "de") ||
             lp_starts_ci(s + i, j - i, "for"))))
        break;
    } else {
      last = j;
    }
    words++;
    if (j >= n) break;
    i = j + 1;
  }
  return last;
}

/* A dateline at the start of the first body paragraph bf ("WASHINGTON
 * (Reuters) -"): a->dateline, and a->credit from the parenthesis. */
static int find_dateline(lp_text *t, size_t bf, loupe_article *a,
                         lp_arena *arena) {
  lp_line *l = &t->lines[bf];
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len > 160 ? 160 : l->len, k = 0, city_end = 0;
  unsigned upper = 0, lower = 0;
  int rc;
  while (k < n) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 'A' && c <= 'Z') upper++;
    else if (c >= 'a' && c <= 'z') lower++;
    else if (!(c == ' ' || c == '.' || c == '-' || c == '\'' || c >= 0x80))
      break;
    /* an em or en dash ends the place ("WASHINGTON—Officials ...") */
    if (c == 0xE2 && k + 2 < n && (unsigned char)s[k + 1] == 0x80 &&
        ((unsigned char)s[k + 2] == 0x94 || (unsigned char)s[k + 2] == 0x93))
      break;
    if (c == ' ' && k + 1 < n && (s[k + 1] == '-' || s[k + 1] == '(')) break;
    k++;
  }
  city_end = k;
  while (city_end > 0 && s[city_end - 1] == ' ') city_end--;
  if (city_end >= 2 && upper >= 1) {
    size_t p = k, agency_a = 0, agency_b = 0;
    /* optional ", Month Day" or ", State" */
    if (p < n && s[p] == ',') {
      while (p < n && s[p] != '(' && s[p] != '-' &&
             (unsigned char)s[p] != 0xE2 && p < k + 30)
        p++;
    }
    while (p < n && s[p] == ' ') p++;
    if (p < n && s[p] == '(') {
      size_t q = p + 1;
      while (q < n && s[q] != ')') q++;
      if (q < n) { agency_a = p + 1; agency_b = q; p = q + 1; }
    }
    while (p < n && (s[p] == ' ' || (s[p] == '.' && p + 1 < n && s[p + 1] == '-')))
      p++;
    if (p < n && (s[p] == '-' ||
                  (p + 2 < n && (unsigned char)s[p] == 0xE2 &&
                   (unsigned char)s[p + 1] == 0x80 &&
                   ((unsigned char)s[p + 2] == 0x94 ||
                    (unsigned char)s[p + 2] == 0x93)))) {
      /* a dash after an upper-case place: this is a dateline */
      if ((lower == 0 && upper >= 2) || agency_b > agency_a) {
        rc = lp_field_span(&a->dateline, t, bf, 0, city_end, "dateline",
                           arena);
        if (rc) return rc;
        if (agency_b > agency_a && agency_b - agency_a < 40) {
          rc = lp_field_span(&a->credit, t, bf, agency_a,
                             agency_b - agency_a, "dateline-agency", arena);
          if (rc) return rc;
        }
      }
    }
  }
  return LOUPE_OK;
}

/* The text after a "Source:" cue in s[0..n) (at the start, after a
 * space, a middle dot or a bar), or NULL. */
static const char *source_cue(const char *s, size_t n) {
  size_t k;
  for (k = 0; k + 7 <= n && k < 120; k++)
    if (lp_starts_ci(s + k, n - k, "source:") &&
        (k == 0 || s[k - 1] == ' ' || s[k - 1] == (char)0xB7 ||
         s[k - 1] == '|'))
      return s + k + 7;
  return NULL;
}

int lp_find_credit(lp_text *t, const lp_layout *lay, size_t title,
                   loupe_article *a, lp_arena *arena) {
  size_t bf = lay->body_first, lo, hi, i;
  /* 1. dateline at the start of the first body paragraph */
  if (bf != LP_NONE) {
    int rc = find_dateline(t, bf, a, arena);
    if (rc) return rc;
  }
  if (a->credit.text) return LOUPE_OK;
  /* 2. "(Xinhua)" or "Source: X" lines near the head or foot */
  lo = title != LP_NONE ? title : (bf != LP_NONE ? bf : 0);
  lo = lo > 3 ? lo - 3 : 0;
  hi = t->n_lines;
  for (i = lo; i < hi; i++) {
    lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l), *src;
    size_t n = l->len;
    if (l->label == LOUPE_LINE_BODY && l->nwords > 12) continue;
    if (bf != LP_NONE && i > bf + 2 && lay->body_last != LP_NONE &&
        i < lay->body_last && l->label == LOUPE_LINE_BODY)
      continue;
    if (lay->body_last != LP_NONE && i > lay->body_last + 15) break;
    if (n >= 3 && n < 40 && s[0] == '(' && s[n - 1] == ')') {
      return lp_field_span(&a->credit, t, i, 1, n - 2, "parenthesised-credit",
                           arena);
    }
    if ((src = source_cue(s, n)) != NULL) {
      size_t off = (size_t)(src - s), m;
      while (off < n && s[off] == ' ') off++;
      m = name_run(s + off, n - off, 6);
      if (m > 0) {
        while (m > 0 && (s[off + m - 1] == '.' || s[off + m - 1] == ','))
          m--;
        return lp_field_span(&a->credit, t, i, off, m, "source-line", arena);
      }
    }
    if (i <= (bf == LP_NONE ? 20 : bf) &&
        (is_agency(s, n) ||
         (title != LP_NONE && i > title && is_acronym(s, n)))) {
      return lp_field_span(&a->credit, t, i, 0, n, "agency-line", arena);
    }
  }
  return LOUPE_OK;
}

/* ---- outlet from copyright lines ---- */

int lp_find_outlet(lp_text *t, const lp_layout *lay, loupe_article *a,
                   lp_arena *arena) {
  size_t i, best = LP_NONE, best_a = 0, best_len = 0;
  int best_sc = -1;
  for (i = 0; i < t->n_lines; i++) {
    lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l);
    size_t n = l->len > 300 ? 300 : l->len, p = 0, q, k;
    int sc = 0, word;
    /* the first 300 bytes, and the rest of a character cut there: a name
     * running to the cut must not end inside one */
    while (n < l->len && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
    /* the cue flags first: the text is searched on copyright lines only */
    if (!(l->cue & LP_CUE_COPYRIGHT) || l->label == LOUPE_LINE_BODY) continue;
    if (l->cue & LP_CUE_CAPTION) continue;
    word = lp_contains_ci(s, n, "copyright");
    if (!word && !lp_contains_ci(s, n, "\xC2\xA9")) continue;
    if (word) sc += 2;
    if (lp_contains_ci(s, n, "all rights reserved")) sc += 2;
    if (lay->body_last != LP_NONE && i > lay->body_last) sc += 1;
    /* skip "Copyright", "©", "(c)", years, commas at the start */
    {
      size_t c = 0, k0 = 0;
      /* start at the first copyright mark: bullets may precede it */
      for (k0 = 0; k0 < n; k0++)
        if (lp_starts_ci(s + k0, n - k0, "copyright") ||
            lp_starts_ci(s + k0, n - k0, "\xC2\xA9") ||
            lp_starts_ci(s + k0, n - k0, "(c)"))
          break;
      if (k0 >= n) continue;
      c = k0;
      for (k = k0; k < n; k++) {
        if (lp_starts_ci(s + k, n - k, "copyright")) { k += 8; c = k + 1; continue; }
        if (lp_starts_ci(s + k, n - k, "\xC2\xA9")) { k += 1; c = k + 1; continue; }
        if (lp_starts_ci(s + k, n - k, "(c)")) { k += 2; c = k + 1; continue; }
        if (c == k && (s[k] == ' ' || s[k] == ',' || s[k] == '-' ||
                       (s[k] >= '0' && s[k] <= '9')))
          { c = k + 1; continue; }
        if (c == k) break;
      }
      p = c;
    }
    if (p >= n) continue;
    /* the name runs to a full stop, "All rights", a bar or a CJK char */
    for (q = p; q < n; q++) {
      unsigned char c = (unsigned char)s[q];
      if (c == '|' || c == ';' || c >= 0xE3) break;
      if (c == '.' && (q + 1 >= n || s[q + 1] == ' ') &&
          !(q >= 3 && lp_starts_ci(s + q - 3, 4, "inc.")) &&
          !(q >= 3 && lp_starts_ci(s + q - 3, 4, "ltd.")))
        break;
      if (lp_starts_ci(s + q, n - q, " all rights") ||
          lp_starts_ci(s + q, n - q, " hotline") ||
          lp_starts_ci(s + q, n - q, " - ") ||
          lp_starts_ci(s + q, n - q, ", all"))
        break;
    }
    while (q > p && (s[q - 1] == ' ' || s[q - 1] == ',' || s[q - 1] == '.'))
      q--;
    if (q <= p || q - p > 80) continue;
    {
      unsigned char c0 = (unsigned char)s[p];
      size_t nw = 1;
      for (k = p; k < q; k++) if (s[k] == ' ') nw++;
      if (nw > 12 || !((c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80)) continue;
      if (memchr(s + p, '/', q - p)) continue;
    }
    if (sc > best_sc) { best_sc = sc; best = i; best_a = p; best_len = q - p; }
  }
  if (best == LP_NONE) return LOUPE_OK;
  return lp_field_span(&a->outlet, t, best, best_a, best_len, "copyright-line",
                  arena);
}

/* ---- people: authors and editors ---- */

/* Length of a person's name at s: 1-5 capitalised words (initials and
 * particles allowed); 0 when there is none. */
static size_t person_name(const char *s, size_t n) {
  size_t i = 0, last = 0;
  unsigned words = 0, caps = 0;
  while (i < n && words < 5) {
    size_t j = i;
    unsigned char c = (unsigned char)s[i];
    while (j < n && s[j] != ' ' && s[j] != ',' && s[j] != ';' && s[j] != '|')
      j++;
    if (words == 0 && not_a_name_start(s + i, j - i)) return 0;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC3 && c <= 0xC5)) {
      caps++;
      last = j;
    } else if (!(words > 0 && (lp_starts_ci(s + i, j - i, "van") ||
                               lp_starts_ci(s + i, j - i, "de") ||
                               lp_starts_ci(s + i, j - i, "der") ||
                               lp_starts_ci(s + i, j - i, "bin") ||
                               lp_starts_ci(s + i, j - i, "al")))) {
      break;
    }
    words++;
    if (j >= n || s[j] != ' ') break;
    i = j + 1;
  }
  /* one capitalised word is a menu entry or an agency, not a person */
  if (caps < 2) return 0;
  return last;
}

static int add_person(loupe_span **list, size_t *count, lp_text *t, size_t li,
                      size_t col, size_t len, const char *rule,
                      lp_arena *arena) {
  loupe_span *nl;
  size_t k;
  for (k = 0; k < *count; k++)
    if ((*list)[k].len == len &&
        memcmp((*list)[k].text, LP_LINE_PTR(t, &t->lines[li]) + col, len) == 0)
      return LOUPE_OK;
  nl = lp_arena_alloc(arena, (*count + 1) * sizeof *nl);
  if (nl == NULL) return LOUPE_ENOMEM;
  if (*count) memcpy(nl, *list, *count * sizeof *nl);
  *list = nl;
  return lp_field_span(&nl[(*count)++], t, li, col, len, rule, arena);
}

/* What may follow a name in a byline: the end, a comma, "and", a bar, a
 * dash, a bracket, or a date ("By Jane Doe Updated ..."). */
static int name_ends_clause(const char *s, size_t n) {
  lp_date d;
  if (n == 0) return 1;
  if (s[0] == ',' || s[0] == ';' || s[0] == '|' || s[0] == '(') return 1;
  if (n >= 2 && s[0] == ' ' &&
      (s[1] == '|' || s[1] == '-' || s[1] == '(' || s[1] == '/' ||
       (unsigned char)s[1] == 0xE2 || (unsigned char)s[1] == 0xC2))
    return 1;
  if (lp_starts_ci(s, n, " and ") || lp_starts_ci(s, n, " & ")) return 1;
  if (lp_starts_ci(s, n, " updated") || lp_starts_ci(s, n, " published") ||
      lp_starts_ci(s, n, " posted") || lp_starts_ci(s, n, " on "))
    return 1;
  if (lp_date_find(s, n > 40 ? 40 : n, 0, &d) && d.start <= 2) return 1;
  return 0;
}

/* Parse "A, B and C" names from s+off; each goes to the list. */
static int add_names(loupe_span **list, size_t *count, lp_text *t, size_t li,
                     size_t off, const char *rule, lp_arena *arena) {
  lp_line *l = &t->lines[li];
  const char *s = LP_LINE_PTR(t, l);
  size_t n = l->len;
  int rc;
  while (off < n) {
    size_t m;
    while (off < n && (s[off] == ' ' || s[off] == ',')) off++;
    if (lp_starts_ci(s + off, n - off, "and ")) off += 4;
    if (off >= n) break;
    m = person_name(s + off, n - off);
    if (m == 0 || m > 60) break;
    /* a name ends its clause: "Reporter: Will Arvenia accept ..." is a
     * question, not a byline */
    if (!name_ends_clause(s + off + m, n - off - m)) break;
    rc = add_person(list, count, t, li, off, m, rule, arena);
    if (rc) return rc;
    off += m;
    if (off < n && !(s[off] == ',' || lp_starts_ci(s + off, n - off, " and ")))
      break;
    if (off < n && s[off] == ' ') off++;
  }
  return LOUPE_OK;
}

static const struct { const char *cue; int editor; } people_cues[] = {
  {"editing by ", 1}, {"edited by ", 1}, {"editor: ", 1}, {"editor:", 1},
  {"editors: ", 1}, {"reporting by ", 0}, {"written by ", 0},
  {"author: ", 0}, {"authors: ", 0}, {"reporter: ", 0}, {"by ", 0},
  {"por ", 0}, {"von ", 0}, {"par ", 0}, {"door ", 0}, {"oleh ", 0},
  {NULL, 0}
};

int lp_find_people(lp_text *t, const lp_layout *lay, size_t title,
                   loupe_article *a, lp_arena *arena) {
  size_t bf = lay->body_first, bl = lay->body_last, i, lo, hi;
  int rc;
  size_t anchor = title != LP_NONE && (bf == LP_NONE || title < bf) ? title : bf;
  lo = anchor == LP_NONE ? 0 : (anchor > 40 ? anchor - 40 : 0);
  hi = t->n_lines;
  for (i = lo; i < hi; i++) {
    lp_line *l = &t->lines[i];
    const char *s = LP_LINE_PTR(t, l);
    size_t n = l->len, k;
    int c;
    int head = bf == LP_NONE || i <= bf + 1;
    int foot = bl != LP_NONE && i > bl && i <= bl + 12;
    if (!head && !foot && !(l->label != LOUPE_LINE_BODY && i < bl)) continue;
    if (bl != LP_NONE && i > bl + 12) break;
    if (l->nwords > 30) continue;
    if (n == 2 && lp_starts_ci(s, n, "by") && i + 1 < t->n_lines) {
      /* "By" alone, the name on the next line */
      lp_line *nx = &t->lines[i + 1];
      size_t m = person_name(LP_LINE_PTR(t, nx), nx->len);
      if (m > 0) {
        rc = add_person(&a->authors, &a->n_authors, t, i + 1, 0, m,
                        "byline-split", arena);
        if (rc) return rc;
        if (nx->label == LOUPE_LINE_BODY) nx->label = LOUPE_LINE_META;
      }
      continue;
    }
    if (title != LP_NONE && i > title && (bf == LP_NONE || i < bf) &&
        l->nwords <= 12 && l->label != LOUPE_LINE_BODY) {
      /* names alone between the headline and the body: the byline */
      size_t m = lp_name_list(s, n);
      if (m > 0) {
        rc = add_names(&a->authors, &a->n_authors, t, i, 0, "byline-names",
                       arena);
        if (rc) return rc;
        continue;
      }
    }
    if (head && l->nwords <= 9 && l->label != LOUPE_LINE_BODY) {
      /* "Jane Doe, AP Technology Writer" / "Jane Doe, Staff Reporter" */
      size_t m = person_name(s, n);
      if (m > 0 && m + 2 < n && s[m] == ',' &&
          (lp_contains_ci(s + m, n - m, "writer") ||
           lp_contains_ci(s + m, n - m, "correspondent") ||
           lp_contains_ci(s + m, n - m, "reporter") ||
           lp_contains_ci(s + m, n - m, "journalist") ||
           lp_contains_ci(s + m, n - m, "staff"))) {
        rc = add_person(&a->authors, &a->n_authors, t, i, 0, m,
                        "byline-role", arena);
        if (rc) return rc;
        continue;
      }
    }
    {
      /* one pass over the word starts; each cue word is taken once */
      unsigned done = 0;
      for (k = 0; k < n && k < 200; k++) {
        unsigned char f;
        if (k > 0 && s[k - 1] != ' ' && s[k - 1] != ';' && s[k - 1] != '(')
          continue;
        f = (unsigned char)(s[k] | 32);
        for (c = 0; people_cues[c].cue; c++) {
          const char *cue = people_cues[c].cue;
          size_t cl;
          if ((unsigned char)cue[0] != f || (done & (1u << c))) continue;
          if (!lp_starts_ci(s + k, n - k, cue)) continue;
          cl = strlen(cue);
          /* bare "by": at the line start, or after a date or "Posted" */
          if (cl <= 5 && c >= 10 && l->label == LOUPE_LINE_BODY) continue;
          if (cl <= 5 && c >= 10 && k != 0) {
            lp_date d;
            if (c > 10 || l->nwords > 16 ||
                !(lp_date_find(s, k, 0, &d) || lp_has_date_cue(s, k)))
              continue;
          }
          done |= 1u << c;
          if (people_cues[c].editor)
            rc = add_names(&a->editors, &a->n_editors, t, i, k + cl,
                           "editor-line", arena);
          else
            rc = add_names(&a->authors, &a->n_authors, t, i, k + cl,
                           c >= 10 ? "byline" : "author-line", arena);
          if (rc) return rc;
        }
      }
    }
  }
  return LOUPE_OK;
}

/* Label the source lines that supplied fields as meta, unless they are
 * body or title lines (a credit inside a paragraph stays body). */
void lp_mark_meta(lp_text *t, const loupe_span *sp, size_t n,
                  const char *reason) {
  size_t i, k;
  for (k = 0; k < n; k++)
    for (i = 0; i < t->n_lines; i++) {
      lp_line *l = &t->lines[i];
      if (!lp_line_has_src(l, sp[k].line)) continue;
      if (l->label == LOUPE_LINE_BOILERPLATE) {
        l->label = LOUPE_LINE_META;
        l->reason = reason;
      }
    }
}
