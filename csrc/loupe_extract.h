/*
 * loupe_extract.h - the extraction layer of the public API: pages in,
 * article records out (csrc/extract; no database).
 * Part of loupe.h, which includes it: include loupe.h, not this file.
 */
#ifndef LOUPE_PUBLIC_EXTRACT_H
#define LOUPE_PUBLIC_EXTRACT_H
#ifndef LOUPE_H
#error "include loupe.h, which includes loupe_extract.h"
#endif

/* ======================================================================
 * extract: pages in, article records out (no database)
 * ====================================================================== */

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
  const char *encoding;  /* "utf-8", "utf-16le", "utf-16be", "cp1252",
                            "gb18030", "big5" or "shift_jis" */
} loupe_input_stats;

/* Formats of input: what loupe_parser_set_format forces and what an
 * article's source_format says it was read as. */
typedef enum {
  LOUPE_FORMAT_AUTO = 0,     /* detect: HTML by its markup, else text */
  LOUPE_FORMAT_TEXT,         /* page text as scraped or copied */
  LOUPE_FORMAT_MARKDOWN,     /* text with Markdown markup (read as text) */
  LOUPE_FORMAT_HTML          /* an HTML page */
} loupe_format;

/* One value of an HTML page's metadata. */
typedef struct {
  const char *key;        /* static: "title", "date_published",
                             "date_modified", "date_time" (a <time>
                             element's), "date_url", "author",
                             "site_name", "section", "lang", "url",
                             "description" */
  loupe_span value;       /* the value; offset/line of its element in
                             the input, rule its source
                             ("jsonld:datePublished", "meta:og:title",
                             "time[datetime]", "link:canonical", "url") */
} loupe_meta;

/* One quotation or piece of reported speech. */
typedef struct {
  loupe_span text;        /* the words, without the quote marks or cue;
                             offset/line point into the original input */
  const char *speaker;    /* resolved full name (or organisation), NULL when
                             nobody is credited */
  const char *role;       /* the speaker's role as the article gives it */
  const char *cue;        /* the cue as printed: "said", "told reporters" */
  const char *kind;       /* "direct", "reported", "phrase" or "turn"
                             (a transcript's turn) */
  size_t body_offset;     /* byte offset of the text in the body */
  size_t paragraph;       /* 1-based paragraph of the start */
  const char *speaker_kind;  /* static: "person", "organisation",
                             "document" or "unknown" (NULL: no speaker) */
  const char *mention;    /* the words that pointed to the speaker ("he",
                             "the ministry", "A"); NULL when none */
  const char *rule;       /* static: the rule that chose the speaker
                             ("cue:after", "pronoun", "transcript:host") */
} loupe_quote;

/* One entity with every mention in the body. */
typedef struct {
  const char *name;       /* canonical name ("United States") */
  const char *kind;       /* "person", "organisation", "place" */
  const char *role;       /* for people: their role when given */
  const char **aliases;   /* other forms seen ("US", "U.S.") */
  size_t n_aliases;
  size_t *mentions;       /* pairs of body byte offset and length */
  size_t n_mentions;      /* number of pairs */
} loupe_entity;

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
  loupe_quote *quotes; size_t n_quotes;    /* in reading order */
  loupe_entity *entities; size_t n_entities;
  loupe_line_info *lines; size_t n_lines;  /* NULL unless requested */
  loupe_input_stats input;
  loupe_format source_format;   /* TEXT, MARKDOWN or HTML */
  loupe_span date_modified;     /* last modification (HTML metadata) */
  loupe_span date_visible;      /* HTML: the date the visible text shows,
                                   found by the labeller (date may have
                                   been taken from metadata instead) */
  loupe_span url;               /* canonical URL (HTML) */
  loupe_span section;           /* section of the site (HTML metadata) */
  loupe_span description;       /* summary (HTML metadata) */
  loupe_meta *meta; size_t n_meta;         /* HTML metadata found */
  loupe_span captured;          /* when a crawler fetched the page, as its
                                   archive says (a WARC record's
                                   WARC-Date); never the publication date.
                                   loupe_parse leaves it unset */
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

/* The largest max_bytes a parser accepts (1 GiB): the parser counts a
 * line's characters and words in 32 bits, which this keeps from wrapping. */
#define LOUPE_MAX_INPUT ((size_t)1 << 30)

/*
 * Largest input accepted, in bytes (default 256 MiB). Larger input fails
 * with LOUPE_ELIMIT.
 *   p: the parser; max: the limit, from 1 to LOUPE_MAX_INPUT.
 * Returns LOUPE_OK, or LOUPE_EINVAL for a limit out of that range.
 */
int loupe_parser_set_max_bytes(loupe_parser *p, size_t max);

/*
 * Whether loupe_parse() keeps the per-line labels in article->lines.
 *   p: the parser; on: non-zero to keep them.
 */
int loupe_parser_set_keep_lines(loupe_parser *p, int on);

/*
 * The charset of the pages to parse. NULL, "" or "auto" (the default):
 * UTF-8, UTF-16 by its byte-order mark, and for bytes that are not UTF-8
 * the legacy charset they read best in (cp1252, GB18030/GBK, Big5,
 * Shift_JIS; converted through glibc's iconv); bytes that fit no charset
 * become U+FFFD. A name forces one: "utf-8", "utf-16le", "utf-16be",
 * "cp1252" (also "windows-1252", "latin1", "iso-8859-1"), "gbk" /
 * "gb18030" / "gb2312", "big5", "shift_jis" / "sjis" / "cp932". The
 * encoding used is recorded in article->input.encoding.
 *   p: the parser; charset: the name (case does not matter).
 * Returns LOUPE_OK, or LOUPE_EINVAL for a name loupe does not read (the
 * parser's message lists the names).
 */
int loupe_parser_set_charset(loupe_parser *p, const char *charset);

/*
 * Whether loupe_parse() finds quotes, speakers and entities (default on).
 *   p: the parser; on: zero to skip that pass (bodies and fields only).
 */
int loupe_parser_set_extract(loupe_parser *p, int on);

/*
 * The format loupe_parse() reads input as (default LOUPE_FORMAT_AUTO:
 * HTML when the bytes look like an HTML page, Markdown when they look
 * like Markdown, else text).
 *   p: the parser; f: a loupe_format.
 * Returns LOUPE_OK or LOUPE_EINVAL.
 */
int loupe_parser_set_format(loupe_parser *p, loupe_format f);

/* Static name of a format ("auto", "text", "markdown", "html"). */
const char *loupe_format_name(loupe_format f);

/* The format a file name says: LOUPE_FORMAT_HTML for .html, .htm,
 * .xhtml (also with .gz), LOUPE_FORMAT_MARKDOWN for .md and .markdown,
 * else LOUPE_FORMAT_AUTO. */
loupe_format loupe_format_of_path(const char *path);

/*
 * Parse one page.
 *   p:     the parser (its options; its error message is set on failure).
 *   bytes: the raw page bytes in any encoding loupe reads (UTF-8 with or
 *          without BOM, UTF-16 with BOM, the legacy charsets of
 *          loupe_parser_set_charset; an HTML page also in the charset its
 *          meta charset declares), possibly gzip-compressed; need not be
 *          NUL-terminated.
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

/* Message describing the last failure on p ("" when none; owned by p). */
const char *loupe_errmsg(const loupe_parser *p);

/* Static name of a date precision ("year", "month", "day", ...). */
const char *loupe_precision_name(loupe_precision prec);

/* Static name of a line label ("body", "boilerplate", ...). */
const char *loupe_line_label_name(loupe_line_label label);

#endif /* LOUPE_PUBLIC_EXTRACT_H */
