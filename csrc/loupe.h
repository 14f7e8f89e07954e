/*
 * loupe.h - public C API of the loupe core: turns raw news-page text into a
 * clean article record. No Lua, SQLite or PCRE2 types appear here; every
 * setting lives on a handle and every fallible call returns a LOUPE_* code.
 */
#ifndef LOUPE_H
#define LOUPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOUPE_VERSION "0.1.0"

/* Result codes. LOUPE_OK is 0; loupe_errstr() names each code. */
#define LOUPE_OK        0
#define LOUPE_ENOMEM    1  /* allocation failed */
#define LOUPE_EENCODING 2  /* input is binary or in an unsupported encoding */
#define LOUPE_EEMPTY    3  /* input holds no text at all */
#define LOUPE_ELIMIT    4  /* input exceeds a configured limit */
#define LOUPE_EINVAL    5  /* bad argument from the caller */
#define LOUPE_EIO       6  /* file could not be read */

/* Precision of a parsed date; the ISO string carries exactly this much. */
typedef enum {
  LOUPE_PREC_NONE = 0,
  LOUPE_PREC_YEAR,
  LOUPE_PREC_MONTH,
  LOUPE_PREC_DAY,
  LOUPE_PREC_MINUTE,
  LOUPE_PREC_SECOND
} loupe_precision;

/* Line labels given by the classifier. */
typedef enum {
  LOUPE_LINE_BLANK = 0,
  LOUPE_LINE_BODY,         /* kept as (part of) a body paragraph */
  LOUPE_LINE_TITLE,        /* the headline */
  LOUPE_LINE_META,         /* date, byline, credit, dateline lines */
  LOUPE_LINE_BOILERPLATE,  /* menus, footers, captions, lists, widgets */
  LOUPE_LINE_DUPLICATE     /* repeats text kept elsewhere */
} loupe_line_label;

/*
 * Where a value came from: byte offset into the caller's original input,
 * 1-based line number in that input, and the name of the rule that chose it
 * (a static string). A field that was not found has text == NULL.
 */
typedef struct {
  const char *text;    /* NUL-terminated UTF-8, owned by the article */
  size_t len;          /* bytes in text, without the NUL */
  size_t offset;       /* byte offset of the source in the original input */
  size_t line;         /* 1-based source line, 0 when not found */
  const char *rule;    /* static rule name, NULL when not found */
} loupe_span;

/* One classified source line (only kept when the parse asked for lines). */
typedef struct {
  size_t line;              /* 1-based source line */
  size_t offset;            /* byte offset of the line in the input */
  loupe_line_label label;
  const char *reason;       /* static name of the deciding rule */
} loupe_line_info;

/* Counters about the input bytes. */
typedef struct {
  size_t bytes;          /* input length in bytes */
  size_t invalid_utf8;   /* invalid sequences replaced by U+FFFD */
  size_t nul_bytes;      /* NUL bytes dropped */
  size_t lines;          /* source lines */
  const char *encoding;  /* "utf-8", "utf-16le" or "utf-16be" */
} loupe_input_stats;

/*
 * The article record. Every pointer is owned by the record and freed by
 * loupe_article_free(); treat the whole struct as read-only.
 */
typedef struct {
  loupe_span title;
  loupe_span date;              /* ISO 8601 text at date_precision */
  loupe_precision date_precision;
  loupe_span dateline;          /* e.g. "BEIJING" */
  loupe_span credit;            /* agency credited, e.g. "Xinhua" */
  loupe_span outlet;            /* publisher of the page */
  loupe_span lang;              /* ISO 639-1 code when it can be told */
  loupe_span *authors;  size_t n_authors;
  loupe_span *editors;  size_t n_editors;
  loupe_span *paragraphs; size_t n_paragraphs;
  const char *body;             /* paragraphs joined by "\n\n" */
  size_t body_len;
  loupe_line_info *lines; size_t n_lines;  /* NULL unless requested */
  loupe_input_stats input;
} loupe_article;

/* Parser handle: holds options and the last error message. */
typedef struct loupe_parser loupe_parser;

/*
 * Create a parser with default options.
 *   out: receives the new handle (NULL on failure).
 * Returns LOUPE_OK or LOUPE_ENOMEM.
 */
int loupe_parser_new(loupe_parser **out);

/* Free a parser; NULL is accepted. Articles it made stay valid. */
void loupe_parser_free(loupe_parser *p);

/*
 * Largest input accepted, in bytes (default 256 MiB). Larger input fails
 * with LOUPE_ELIMIT.
 *   p: the parser; max: the limit, at least 1.
 */
int loupe_parser_set_max_bytes(loupe_parser *p, size_t max);

/*
 * Whether loupe_parse() keeps the per-line labels in article->lines.
 *   p: the parser; on: non-zero to keep them.
 */
int loupe_parser_set_keep_lines(loupe_parser *p, int on);

/*
 * Parse one page.
 *   p:     the parser (its options; its error message is set on failure).
 *   bytes: the raw page bytes in any encoding loupe reads (UTF-8 with or
 *          without BOM, UTF-16 with BOM); need not be NUL-terminated.
 *   len:   number of bytes.
 *   out:   receives a new article owned by the caller (NULL on failure);
 *          free it with loupe_article_free().
 * Returns LOUPE_OK, or LOUPE_EENCODING (binary or undecodable input),
 * LOUPE_EEMPTY (no text), LOUPE_ELIMIT (too large), LOUPE_ENOMEM.
 */
int loupe_parse(loupe_parser *p, const char *bytes, size_t len,
                loupe_article **out);

/* Free an article; NULL is accepted. */
void loupe_article_free(loupe_article *a);

/* Message describing the last failure on p ("" when none). */
const char *loupe_errmsg(const loupe_parser *p);

/* Static name of a result code ("ok", "nomem", "encoding", ...). */
const char *loupe_errstr(int rc);

/* Static name of a date precision ("year", "month", "day", ...). */
const char *loupe_precision_name(loupe_precision prec);

/* Static name of a line label ("body", "boilerplate", ...). */
const char *loupe_line_label_name(loupe_line_label label);

#ifdef __cplusplus
}
#endif
#endif /* LOUPE_H */
