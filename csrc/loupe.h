/*
 * loupe.h - public C API of the loupe core: turns raw news-page text into a
 * clean article record and keeps articles in a corpus file searched from
 * here. No Lua, SQLite or PCRE2 types appear here. The one header to
 * include; declarations go by layer, as the sources do: util (result
 * codes, hashes) here, extract (pages in, article records out;
 * csrc/extract) in loupe_extract.h, corpus (the SQLite file, regexes,
 * files to ingest, reading ahead, queries and cursors; csrc/corpus) in
 * loupe_corpus.h, both included below.
 *
 * Rules every function follows unless its comment says otherwise:
 * - Errors. A fallible call returns int: LOUPE_OK (0) or a LOUPE_* code
 *   (loupe_errstr names it). The message lives on the handle the call was
 *   made on (loupe_errmsg, loupe_db_errmsg, loupe_query_errmsg,
 *   loupe_cursor_errmsg, loupe_regex_errmsg) until its next failure.
 *   Out parameters hold nothing to use on failure (most are cleared to
 *   NULL or 0 first). Calls on a closed handle return LOUPE_EMISUSE; a
 *   NULL handle is LOUPE_EINVAL or LOUPE_EMISUSE.
 * - Ownership. What *_new and *_open make is the caller's, released by
 *   the matching *_free or *_close, which accept NULL. A const char *
 *   returned belongs to the object it came from, valid until that
 *   object's next call that says it replaces it, or its release; static
 *   names ("ok", "html", ...) never change. Arguments are read during the
 *   call only (strings copied when kept) and stay the caller's.
 * - Threads. The library keeps no global mutable state (one exception:
 *   the full-text tokenizer the prefetch workers share is set up once per
 *   process under pthread_once, in corpus/ftstok.c). A handle and what is
 *   made from it (a corpus with its queries and cursors) is used by one
 *   thread at a time;
 *   different handles may be used on different threads at once. Calls
 *   without a handle (loupe_hash, loupe_errstr, the *_name functions,
 *   loupe_list_files, loupe_check_runtime, loupe_cpu_count) are safe from
 *   any thread. An article, once made, is read-only and may be read from
 *   any thread.
 */
#ifndef LOUPE_H
#define LOUPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOUPE_VERSION "0.1.0"

/* ======================================================================
 * util: result codes and content hashes
 * ====================================================================== */

/* Result codes. LOUPE_OK is 0; loupe_errstr() names each code. */
#define LOUPE_OK        0
#define LOUPE_ENOMEM    1  /* allocation failed */
#define LOUPE_EENCODING 2  /* input is binary or in an unsupported encoding */
#define LOUPE_EEMPTY    3  /* input holds no text at all */
#define LOUPE_ELIMIT    4  /* input exceeds a configured limit */
#define LOUPE_EINVAL    5  /* bad argument from the caller */
#define LOUPE_EIO       6  /* file could not be read */
#define LOUPE_EBUSY     7  /* database locked by another connection */
#define LOUPE_ECORRUPT  8  /* database file is damaged or not a corpus */
#define LOUPE_ESYNTAX   9  /* malformed query or regular expression */
#define LOUPE_EDB      10  /* other database error */
#define LOUPE_EMISUSE  11  /* call on a closed or finished object */
#define LOUPE_EVERSION 12  /* corpus written by a newer loupe (schema) */

/* Static name of a result code ("ok", "nomem", "encoding", ...), the
 * word the Lua binding returns as an error's code; "unknown" for another
 * number. */
const char *loupe_errstr(int rc);

/* Hex digits of a content hash (the string form is this plus a NUL). */
#define LOUPE_HASH_LEN 16

/*
 * The content hash that identifies an article in the corpus (64 bits as
 * hex; identity, not security): a hash of the page's normalised text, so
 * that copies differing only in line ends (CRLF, LF, CR), spaces, blank
 * lines, a byte-order mark or invisible characters are the same article,
 * and a gzip-compressed page is the page it holds. See docs/schema.md for
 * the exact normalisation. Built in the corpus layer (it inflates gzip);
 * thread-safe, no handle.
 *   bytes/len: the raw page; out: receives LOUPE_HASH_LEN digits and a NUL.
 */
void loupe_hash(const char *bytes, size_t len, char out[LOUPE_HASH_LEN + 1]);

/* The layers above util, each in a header of its own. The extraction
 * library is compiled with LOUPE_LAYER_EXTRACT: it does not see the
 * corpus layer's API, so a call from extraction into it fails to build. */
#include "loupe_extract.h"
#ifndef LOUPE_LAYER_EXTRACT
#include "loupe_corpus.h"
#endif

#ifdef __cplusplus
}
#endif
#endif /* LOUPE_H */
