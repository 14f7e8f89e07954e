/*
 * warc.h - reading web archives (WARC 1.0 and 1.1, plain or gzip with
 * one or more members): the HTML and plain-text pages of their response
 * records, with the record's URL, date, id and place in the file.
 */
#ifndef LOUPE_WARC_H
#define LOUPE_WARC_H

#include <stddef.h>

/* Largest WARC header block, and largest HTTP header block, read. */
#define LP_WARC_MAX_HEADER ((size_t)64 * 1024)

/* What a response record's payload is (from its HTTP Content-Type; by
 * its content, HTML or nothing, when it has none). */
enum { LP_WARC_HTML = 1, LP_WARC_TEXT = 2 };

/* One page of a WARC. Every pointer is the reader's, valid until the
 * next lp_warc_next or lp_warc_free; strings are NUL-ended ("" when the
 * record has no such field). */
typedef struct {
  size_t offset;          /* the record's byte offset in the file; in a
                             gzip file, that of the gzip member it starts
                             in (as CDX indexes give it) */
  size_t inner;           /* gzip: bytes into that member's inflated data
                             where the record starts (0 when the record
                             starts the member, the usual layout) */
  const char *target_uri; /* WARC-Target-URI */
  const char *date;       /* WARC-Date */
  const char *record_id;  /* WARC-Record-ID */
  const char *charset;    /* the HTTP Content-Type's charset parameter */
  int kind;               /* LP_WARC_HTML or LP_WARC_TEXT */
  int http_status;        /* the HTTP status code */
  const char *payload;    /* the HTTP body, chunked and gzip undone */
  size_t payload_len;
} lp_warc_record;

/* Records passed over, for a reader's summary. */
typedef struct {
  size_t bytes;           /* the archive's size */
  size_t records;         /* records read, of every type */
  size_t responses;       /* response records with an HTTP response */
  size_t pages;           /* pages given out */
  size_t not_page;        /* responses skipped: not HTML or text, or an
                             HTTP status other than 2xx */
  size_t damaged;         /* damaged records and gzip members reported */
} lp_warc_counts;

typedef struct lp_warc lp_warc;

/*
 * A reader over the len bytes at src (a .warc or .warc.gz file's; gzip
 * is told by its magic bytes). src must stay valid while the reader is
 * used. max_payload bounds one page after decoding (LOUPE_MAX_INPUT at
 * most). Returns LOUPE_OK or LOUPE_ENOMEM.
 */
int lp_warc_open(const char *src, size_t len, size_t max_payload,
                 lp_warc **out);

/*
 * The next page. Returns LOUPE_OK with *got 1 and *rec filled, or with
 * *got 0 at the end; or a LOUPE_* code with err set to a message that
 * starts with the byte offset ("byte 1234: ..."): LOUPE_EENCODING for a
 * damaged record or gzip member, LOUPE_ELIMIT for one over a limit (the
 * reader then goes on from the next record it can find: call again),
 * LOUPE_ENOMEM (stop).
 */
int lp_warc_next(lp_warc *w, lp_warc_record *rec, int *got, char *err,
                 size_t errcap);

/* What the reader has passed over so far. */
const lp_warc_counts *lp_warc_counts_of(const lp_warc *w);

/* Free a reader; NULL is accepted. */
void lp_warc_free(lp_warc *w);

#endif
