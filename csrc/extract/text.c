/*
 * text.c - from raw bytes to normalised lines: decodes the input in the
 * encoding charset.c chose (UTF-8, UTF-16, a legacy charset through its
 * tables), validates UTF-8 (bad sequences become U+FFFD), drops NUL
 * and control bytes, folds Unicode spaces, splits lines and keeps for each
 * line the byte offset of its source so every field can be audited.
 * Hard-wrapped lines are joined again by unwrap.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "charset.h"

/* ---- decoding the caller's bytes ---- */

/*
 * Read one code point of the input at *i in encoding enc, advancing *i.
 * Returns the code point; sets *bad when the bytes were invalid (the code
 * point is then U+FFFD). Never reads past len.
 */
static inline uint32_t next_cp(const unsigned char *s, size_t len, size_t *i, int enc,
                        const lp_codec *cd, int *bad) {
  size_t p = *i;
  unsigned c = s[p];
  *bad = 0;
  if (cd != NULL) {
    if (c < 0x80) { *i = p + 1; return c; }
    return lp_codec_cp(cd, s, len, i, bad);
  }
  if (enc == LP_ENC_UTF8) {
    uint32_t cp;
    size_t need, k;
    if (c < 0x80) { *i = p + 1; return c; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else { *i = p + 1; *bad = 1; return 0xFFFD; }
    for (k = 1; k <= need; k++) {
      unsigned cc;
      if (p + k >= len) { *i = p + k; *bad = 1; return 0xFFFD; }
      cc = s[p + k];
      if ((cc & 0xC0) != 0x80) { *i = p + k; *bad = 1; return 0xFFFD; }
      /* reject overlong and out-of-range forms at the second byte */
      if (k == 1) {
        if ((c == 0xE0 && cc < 0xA0) || (c == 0xED && cc > 0x9F) ||
            (c == 0xF0 && cc < 0x90) || (c == 0xF4 && cc > 0x8F)) {
          *i = p + 1; *bad = 1; return 0xFFFD;
        }
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    *i = p + need + 1;
    return cp;
  } else {
    uint32_t u, u2;
    if (p + 1 >= len) { *i = len; *bad = 1; return 0xFFFD; }
    u = enc == LP_ENC_UTF16LE ? (uint32_t)(s[p] | (s[p + 1] << 8))
                              : (uint32_t)((s[p] << 8) | s[p + 1]);
    *i = p + 2;
    if (u < 0xD800 || u > 0xDFFF) return u;
    if (u >= 0xDC00 || p + 3 >= len) { *bad = 1; return 0xFFFD; }
    u2 = enc == LP_ENC_UTF16LE ? (uint32_t)(s[p + 2] | (s[p + 3] << 8))
                               : (uint32_t)((s[p + 2] << 8) | s[p + 3]);
    if (u2 < 0xDC00 || u2 > 0xDFFF) { *bad = 1; return 0xFFFD; }
    *i = p + 4;
    return 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
  }
}

/* Normaliser state for one line. With out == NULL it only counts bytes. */
typedef struct {
  char *out;
  size_t olen;
  int pending_space;
  int started;
  unsigned indent;
  unsigned width;      /* display columns of the non-ASCII part so far */
} norm_state;

static inline void emit(norm_state *ns, uint32_t cp, int kind) {
  char tmp[4];
  size_t n;
  if (kind == LP_CP_SPACE) {
    if (ns->started) ns->pending_space = 1;
    else ns->indent += 1;
    return;
  }
  if (ns->pending_space) {
    if (ns->out) ns->out[ns->olen] = ' ';
    ns->olen++;
    ns->pending_space = 0;
  }
  ns->started = 1;
  if (cp < 0x80) {
    if (ns->out) ns->out[ns->olen] = (char)cp;
    ns->olen++;
    return;
  }
  n = lp_utf8_encode(cp, tmp);
  if (ns->out) memcpy(ns->out + ns->olen, tmp, n);
  ns->olen += n;
  /* ASCII counts through olen; a wide character counts two columns */
  ns->width += (lp_is_wide(cp) ? 2u : 1u) - (unsigned)n;
}

/* Does the encoding keep ASCII bytes as themselves (all but UTF-16)? */
#define ASCII_SAFE(enc) ((enc) != LP_ENC_UTF16LE && (enc) != LP_ENC_UTF16BE)

/* The decoder's place in the input and what it counted so far. */
typedef struct {
  const unsigned char *s;
  size_t len, i;
  int enc, ascii, utf8;     /* utf8: UTF-8 without a legacy codec */
  const lp_codec *cd;
  norm_state ns;
  size_t cap_lines;
  size_t line_src, src_line;     /* where the current source line began */
  size_t ncps, nctrl, nbad, nnul;
  unsigned block;
  int blank_run, ended;
} decoder;

/* Are the eight bytes at p printable ASCII and single spaces, the last
 * no space (so the byte after it cannot make a double space)? Tested as
 * one 64-bit word: a byte below 0x20, above 0x7E, two spaces in a row. */
static inline int ascii_chunk(const unsigned char *p) {
  const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80,
                 low7 = ones * 0x7F;
  uint64_t x, y, sp;
  memcpy(&x, p, 8);
  if (((x - ones * 0x20) & ~x & high) != 0) return 0;   /* below 0x20 */
  if (((x + ones) | x) & high) return 0;                  /* above 0x7E */
  y = x ^ (ones * 0x20);
  sp = ~(((y & low7) + low7) | y | low7);                 /* 0x80: a space */
  return (sp & (sp >> 8)) == 0 && p[7] != ' ';
}

/* Fast path: the run of printable ASCII with single spaces at s[i],
 * appended to ns. Returns the index after it. */
static inline size_t ascii_run(norm_state *ns, const unsigned char *s,
                               size_t len, size_t i) {
  char *o = ns->out;
  size_t ol = ns->olen;
  unsigned c = s[i];
  if (ns->pending_space) { o[ol++] = ' '; ns->pending_space = 0; }
  ns->started = 1;
  for (;;) {
    o[ol++] = (char)c;
    if (++i >= len) break;
    /* eight bytes at a time while they are plain text */
    while (i + 8 <= len && ascii_chunk(s + i)) {
      memcpy(o + ol, s + i, 8);
      ol += 8;
      i += 8;
    }
    if (i >= len) break;
    c = s[i];
    if (c >= 0x21 && c < 0x7F) continue;
    if (c == ' ' && i + 1 < len && s[i + 1] >= 0x21 && s[i + 1] < 0x7F) {
      o[ol++] = ' ';
      c = s[++i];
      continue;
    }
    break;
  }
  ns->olen = ol;
  return i;
}

/* Fast path: a well-formed two- or three-byte UTF-8 character at s[i]
 * that the text keeps is copied as it stands (decoding and encoding it
 * again gives the same bytes). Returns its length, 0 when the character
 * needs the general path (a space, a mark to drop, bad bytes). */
static inline size_t utf8_keep(norm_state *ns, const unsigned char *s,
                               size_t len, size_t i) {
  unsigned c = s[i], c1, c2 = 0;
  uint32_t cp;
  size_t k = c < 0xE0 ? 2 : 3;
  if (i + k > len || ((c1 = s[i + 1]) & 0xC0) != 0x80) return 0;
  if (k == 2) {
    cp = ((uint32_t)(c & 0x1F) << 6) | (c1 & 0x3F);
  } else {
    c2 = s[i + 2];
    if ((c2 & 0xC0) != 0x80 || (c == 0xE0 && c1 < 0xA0) ||
        (c == 0xED && c1 > 0x9F))
      return 0;
    cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(c1 & 0x3F) << 6) |
         (c2 & 0x3F);
  }
  /* the kept blocks (Latin to Ogham, arrows to box drawing, CJK) without
   * the list of spaces and marks */
  if (!((cp >= 0x100 && cp < 0x1680) || (cp >= 0x2070 && cp < 0x3000) ||
        (cp > 0x3000 && cp < 0xFEFF)) && lp_cp_kind(cp) != LP_CP_KEEP)
    return 0;
  if (ns->pending_space) {
    ns->out[ns->olen++] = ' ';
    ns->pending_space = 0;
  }
  ns->started = 1;
  ns->out[ns->olen] = (char)c;
  ns->out[ns->olen + 1] = (char)c1;
  if (k == 3) ns->out[ns->olen + 2] = (char)c2;
  ns->olen += k;
  ns->width += (lp_is_wide(cp) ? 2u : 1u) - (unsigned)k;
  return k;
}

/* One character at d->i into *cp, counted; returns its LP_CP_* kind. */
static inline int read_char(decoder *d, uint32_t *cp) {
  int bad = 0, kind;
  unsigned c = d->s[d->i];
  if (d->ascii && c < 0x80) {
    *cp = c;
    d->i++;
  } else {
    *cp = next_cp(d->s, d->len, &d->i, d->enc, d->cd, &bad);
  }
  d->ncps++;
  if (bad) d->nbad++;
  kind = lp_cp_kind(*cp);
  if (*cp == 0) d->nnul++;
  else if (kind == LP_CP_DROP && (*cp < 0x20 || (*cp >= 0x7F && *cp < 0xA0))) d->nctrl++;
  return kind;
}

/* After a CR: step over the LF of a CRLF pair. */
static void skip_lf(decoder *d) {
  const unsigned char *s = d->s;
  size_t i = d->i, len = d->len;
  if (i < len &&
      ((d->ascii && s[i] == '\n') ||
       (d->enc == LP_ENC_UTF16LE && i + 1 < len && s[i] == '\n' && s[i + 1] == 0) ||
       (d->enc == LP_ENC_UTF16BE && i + 1 < len && s[i] == 0 && s[i + 1] == '\n')))
    d->i += d->ascii ? 1 : 2;
}

/* The source line that ended at byte at: a line of t when it holds text,
 * else a blank that separates blocks. LOUPE_OK or LOUPE_ENOMEM. */
static int close_line(lp_text *t, decoder *d, size_t at) {
  norm_state *ns = &d->ns;
  if (ns->started) {
    lp_line *l;
    if (lp_grow(&t->lines, &d->cap_lines, t->n_lines, sizeof *t->lines, 64))
      return LOUPE_ENOMEM;
    if (d->blank_run) d->block++;
    d->blank_run = 0;
    l = &t->lines[t->n_lines++];
    memset(l, 0, sizeof *l);
    l->start = (size_t)(ns->out - t->text);
    l->len = ns->olen;
    l->src_offset = d->line_src;
    l->src_end = at;
    l->src_line = d->src_line;
    l->n_src = 1;
    l->indent = ns->indent;
    l->width = (unsigned)(ns->olen + ns->width) + ns->indent;
    l->block = d->block;
    if (ns->indent >= 2) l->flags |= LP_F_INDENTED;
    ns->out += ns->olen;
    *ns->out++ = '\n';
  } else {
    d->blank_run = 1;
  }
  ns->olen = 0;
  ns->pending_space = 0;
  ns->started = 0;
  ns->indent = 0;
  ns->width = 0;
  return LOUPE_OK;
}

/* Decode the whole input into t's text and lines. */
static int decode_lines(lp_text *t, decoder *d) {
  for (;;) {
    uint32_t cp = 0;
    int kind, rc;
    size_t at = d->i;
    int at_end = d->i >= d->len;
    if (!at_end) {
      unsigned c = d->s[d->i];
      d->ended = 0;
      if (d->ascii && c >= 0x21 && c < 0x7F) {
        size_t i0 = d->i;
        d->i = ascii_run(&d->ns, d->s, d->len, d->i);
        d->ncps += d->i - i0;
        continue;
      }
      if (d->utf8 && c >= 0xC2 && c < 0xF0) {
        /* a run of such characters ("━━━", a Cyrillic word) at once */
        size_t k, i0 = d->i;
        while ((k = utf8_keep(&d->ns, d->s, d->len, d->i)) != 0) {
          d->i += k;
          d->ncps++;
          if (d->i >= d->len || d->s[d->i] < 0xC2 || d->s[d->i] >= 0xF0) break;
        }
        if (d->i != i0) continue;
      }
      if (d->ascii && c == ' ') {
        /* a run of spaces: one pending space, or the indent */
        size_t i0 = d->i;
        while (++d->i < d->len && d->s[d->i] == ' ') {}
        if (d->ns.started) d->ns.pending_space = 1;
        else d->ns.indent += (unsigned)(d->i - i0);
        d->ncps += d->i - i0;
        continue;
      }
      kind = read_char(d, &cp);
    } else {
      kind = LP_CP_BREAK;
    }
    if (kind == LP_CP_BREAK) {
      /* end of a source line */
      if (!at_end && cp == '\r') skip_lf(d);
      rc = close_line(t, d, at);
      if (rc) return rc;
      if (at_end) break;
      d->src_line++;
      d->line_src = d->i;
      d->ended = 1;
      continue;
    }
    if (kind == LP_CP_DROP) continue;
    emit(&d->ns, cp, kind);
  }
  *d->ns.out = '\0';
  t->len = (size_t)(d->ns.out - t->text);
  return LOUPE_OK;
}

/* The counts of a decoded input: an error when it looks binary. */
static int check_decoded(lp_text *t, const decoder *d) {
  size_t odd = d->nctrl + d->nnul + d->nbad;
  t->stats.invalid_utf8 = d->nbad;
  t->stats.nul_bytes = d->nnul;
  /* lines counted the POSIX way: a final line break ends the last line.
   * The break is the last character decoded, not the last bytes: in
   * UTF-16 of an odd length they are not a character. */
  t->stats.lines = d->ended ? d->src_line - 1 : d->src_line;
  if (d->ncps > 0 && odd * 10 > d->ncps + 20) {
    snprintf(t->errmsg, sizeof t->errmsg,
             "input looks binary (%zu control, NUL or invalid bytes in %zu "
             "characters)%s", odd, d->ncps,
             d->enc == LP_ENC_UTF8 && d->nnul * 3 > d->ncps
               ? "; UTF-16 without a byte-order mark is not supported" : "");
    return LOUPE_EENCODING;
  }
  if (t->n_lines == 0) {
    snprintf(t->errmsg, sizeof t->errmsg, "input holds no text");
    return LOUPE_EEMPTY;
  }
  return LOUPE_OK;
}

/* Room for the lines at once: one a line feed of the input, less one a
 * blank line between paragraphs (a hint: the array still grows past it,
 * as it must for CR or U+2028 breaks and UTF-16); at least 64. */
static size_t lines_hint(const char *s, size_t len, size_t elem) {
  const char *p = s, *end = s + len;
  size_t lf = 0, blank = 0;
  while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    lf++;
    if (p + 1 < end && p[1] == '\n') blank++;
    p++;
  }
  lf = lf - blank + 1;
  return lf < 64 || lf > ((size_t)-1) / elem ? 64 : lf;
}

/* Decode the input as enc into t's text and lines, allocated here (the
 * caller frees them on failure). LOUPE_OK or LOUPE_ENOMEM. */
static int decode_as(lp_text *t, decoder *d, int enc, size_t skip,
                     lp_codecs *cs) {
  memset(d, 0, sizeof *d);
  t->enc = enc;
  t->skip = skip;
  t->codec = enc >= LP_ENC_CP1252 ? cs->c[enc] : NULL;
  t->stats.encoding = lp_charset_name(enc);
  d->cap_lines = lines_hint(t->src, t->src_len, sizeof *t->lines);
  t->text = malloc(t->src_len * 3 + 16);
  t->lines = malloc(d->cap_lines * sizeof *t->lines);
  if (t->text == NULL || t->lines == NULL) return LOUPE_ENOMEM;
  d->s = (const unsigned char *)t->src;
  d->len = t->src_len;
  d->i = d->line_src = skip;
  d->src_line = 1;
  d->enc = enc;
  d->ascii = ASCII_SAFE(enc);
  d->cd = t->codec;
  d->utf8 = enc == LP_ENC_UTF8 && d->cd == NULL;
  d->ns.out = t->text;
  return decode_lines(t, d);
}

/*
 * Decode and normalise the whole input. The output buffer is at most
 * 1.5x the input for UTF-8 (U+FFFD is 3 bytes for 1 bad byte... bounded by
 * 3x) so it is sized once up front; lines are collected in a growing array.
 * Input that may be UTF-8 is decoded as UTF-8 at once: only when a bad
 * sequence was met are its bytes read for another charset (and decoded
 * again if one is found), so valid UTF-8 is read once.
 */
int lp_text_init(lp_text *t, const char *src, size_t len, lp_codecs *cs,
                 int forced) {
  decoder d;
  size_t skip;
  int enc, rc, oom = 0, later = 0;

  memset(t, 0, sizeof *t);
  t->src = src;
  t->src_len = len;
  t->stats.bytes = len;
  enc = lp_encoding_detect((const unsigned char *)src, len, &skip, cs, forced,
                           &oom, t->errmsg, sizeof t->errmsg, &later);
  if (oom) {
    snprintf(t->errmsg, sizeof t->errmsg, "out of memory");
    return LOUPE_ENOMEM;
  }
  if (enc < 0) return LOUPE_EENCODING;
  /* worst case: every input byte becomes a 3-byte U+FFFD, plus newlines */
  if (len > ((size_t)-1 - 16) / 3) return LOUPE_ENOMEM;
  rc = decode_as(t, &d, enc, skip, cs);
  if (rc == LOUPE_OK && later && d.nbad > 0) {
    enc = lp_encoding_guess(cs, (const unsigned char *)src, len, skip, &oom);
    if (oom) {
      rc = LOUPE_ENOMEM;
    } else if (enc != LP_ENC_UTF8) {
      lp_text_free(t);
      rc = decode_as(t, &d, enc, skip, cs);
    }
  }
  if (rc == LOUPE_OK) rc = check_decoded(t, &d);
  if (rc == LOUPE_OK) return LOUPE_OK;
  if (rc == LOUPE_ENOMEM)
    snprintf(t->errmsg, sizeof t->errmsg, "out of memory");
  lp_text_free(t);
  return rc;
}

void lp_text_free(lp_text *t) {
  free(t->text);
  free(t->lines);
  t->text = NULL;
  t->lines = NULL;
  t->n_lines = 0;
}

/*
 * Map a byte column of normalised line li back to the source: re-run the
 * normaliser over the line's source bytes until col output bytes exist.
 * Lines joined by lp_text_unwrap continue in the next source line, which is
 * handled by walking the joined source span as one.
 */
size_t lp_text_src_offset(const lp_text *t, size_t li, size_t col) {
  return lp_text_src_offset_from(t, li, 0, t->lines[li].src_offset, col);
}

/*
 * The same, resuming from a known point: output column from_col is the
 * code point at source offset from_src (a value this function returned
 * for from_col, or the line start with from_col 0). Lets a caller map
 * increasing columns of one long line in linear total time.
 */
size_t lp_text_src_offset_from(const lp_text *t, size_t li, size_t from_col,
                               size_t from_src, size_t col) {
  const lp_line *l = &t->lines[li];
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = l->src_offset, end = l->src_end;
  norm_state ns;
  memset(&ns, 0, sizeof ns);
  if (from_col > 0 && from_col <= col && from_src >= l->src_offset &&
      from_src < end) {
    i = from_src;
    ns.olen = from_col;
    ns.started = 1;
  }
  if (col == 0 || col > l->len) {
    /* offset of the first visible character */
    while (i < end) {
      int bad;
      size_t at = i;
      uint32_t cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
      int k = lp_cp_kind(cp);
      if (k == LP_CP_KEEP) return at;
    }
    return l->src_offset;
  }
  while (i < end) {
    int bad, k;
    size_t at = i;
    uint32_t cp;
    /* eight bytes of plain text in a row come out as they stand: skipped
     * whole while the column lies past them */
    if (ns.started && !ns.pending_space && ASCII_SAFE(t->enc) &&
        ns.olen + 8 <= col && i + 8 <= end && ascii_chunk(s + i)) {
      ns.olen += 8;
      i += 8;
      continue;
    }
    cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
    k = lp_cp_kind(cp);
    if (k == LP_CP_BREAK) {     /* joined wrap: the join added one space */
      if (ns.started) ns.pending_space = 1;
      continue;
    }
    if (k == LP_CP_DROP) continue;
    if (k == LP_CP_KEEP && ns.olen + (ns.pending_space ? 1 : 0) >= col) return at;
    emit(&ns, cp, k);
  }
  return end;
}

/*
 * Source line number of byte offset off, which lies in the source span of
 * line li at or after from_off, where the source line is from_line (the
 * line's own start and number, or an earlier answer of this function).
 * Joined lines span several source lines; counting the line breaks from a
 * known point lets a caller map increasing offsets in linear total time.
 */
size_t lp_text_src_line_from(const lp_text *t, size_t li, size_t from_off,
                             size_t from_line, size_t off) {
  const lp_line *l = &t->lines[li];
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = from_off, line = from_line, end = off < l->src_end ? off
                                                                : l->src_end;
  if (l->n_src == 1) return l->src_line;
  if (from_off < l->src_offset || from_line < l->src_line) {
    i = l->src_offset;
    line = l->src_line;
  }
  while (i < end) {
    int bad;
    uint32_t cp = next_cp(s, t->src_len, &i, t->enc, t->codec, &bad);
    if (lp_cp_kind(cp) != LP_CP_BREAK) continue;
    if (cp == '\r' && i < end) {              /* CRLF is one break */
      size_t j = i;
      if (next_cp(s, t->src_len, &j, t->enc, t->codec, &bad) == '\n') i = j;
    }
    line++;
  }
  return line;
}
/*
 * Byte offset of the start of every source line, in order, into out (which
 * has room for t->stats.lines entries). Returns the number written.
 */
size_t lp_text_line_starts(const lp_text *t, size_t *out, size_t cap) {
  const unsigned char *s = (const unsigned char *)t->src;
  size_t i = 0, n = 0, len = t->src_len;
  i = t->skip;
  if (cap == 0) return 0;
  out[n++] = i;
  while (i < len && n < cap) {
    int bad;
    uint32_t cp = next_cp(s, len, &i, t->enc, t->codec, &bad);
    if (lp_cp_kind(cp) != LP_CP_BREAK) continue;
    if (cp == '\r' && i < len) {
      size_t j = i;
      uint32_t nx = next_cp(s, len, &j, t->enc, t->codec, &bad);
      if (nx == '\n') i = j;
    }
    if (i < len) out[n++] = i;
  }
  return n;
}
