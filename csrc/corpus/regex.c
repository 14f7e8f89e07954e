/*
 * regex.c - PCRE2 behind loupe's own handle: UTF-8 patterns matched safely
 * against invalid UTF-8, JIT when the library has it, and match, depth and
 * heap limits on every match so a catastrophic pattern returns an error
 * naming the limit instead of hanging.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>
#include "corpus.h"

#define DEF_MATCH_LIMIT 5000000UL
#define DEF_DEPTH_LIMIT 100000UL
#define DEF_HEAP_LIMIT 65536UL      /* KiB */
#define JIT_STACK_MAX (4u << 20)

struct loupe_regex {
  pcre2_code *code;
  pcre2_match_data *md;
  pcre2_match_context *mctx;
  pcre2_jit_stack *jit_stack;
  loupe_regex_limits limits;
  int groups;
  int status;                 /* the last match's code (lp_regex_status) */
  char errmsg[160];
};

void loupe_regex_free(loupe_regex *re) {
  if (re == NULL) return;
  pcre2_match_data_free(re->md);
  pcre2_match_context_free(re->mctx);
  pcre2_jit_stack_free(re->jit_stack);
  pcre2_code_free(re->code);
  free(re);
}

static int flag_options(const char *flags, uint32_t *opts, char *err,
                        size_t errcap) {
  const char *f;
  /* \C matches one byte: in UTF mode it could end a match inside a
   * character, and every offset loupe hands on must be a character
   * boundary. */
  *opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  if (flags == NULL) return LOUPE_OK;
  for (f = flags; *f; f++) {
    switch (*f) {
    case 'i': *opts |= PCRE2_CASELESS; break;
    case 'm': *opts |= PCRE2_MULTILINE; break;
    case 's': *opts |= PCRE2_DOTALL; break;
    case 'x': *opts |= PCRE2_EXTENDED; break;
    case 'u': *opts |= PCRE2_UCP; break;
    default:
      snprintf(err, errcap, "unknown regex flag '%c' (flags are i, m, s, x, u)",
               *f);
      return LOUPE_ESYNTAX;
    }
  }
  return LOUPE_OK;
}

/* pcre2_compile on a NUL-terminated copy of pattern[0..len). PCRE2
 * 10.42 reads a start-of-pattern setting such as "(*LIMIT_MATCH=" past
 * the length it is given when the digits are cut off there: with the
 * caller's bytes after it ("(*LIMIT_MATCH=" then "1)") it took them and
 * asked malloc for 2^64 - 4 bytes (found by fuzz_regex). The copy ends in
 * a NUL, which is no digit. *errcode is 0 when the copy cannot be made. */
static pcre2_code *compile_copy(const char *pattern, size_t len,
                                uint32_t opts, int *errcode,
                                PCRE2_SIZE *erroff) {
  pcre2_code *code;
  char *copy = len < SIZE_MAX ? malloc(len + 1) : NULL;
  *errcode = 0;
  if (copy == NULL) return NULL;
  memcpy(copy, pattern, len);
  copy[len] = '\0';
  code = pcre2_compile((PCRE2_SPTR)copy, len, opts, errcode, erroff, NULL);
  free(copy);
  return code;
}

int loupe_regex_new(const char *pattern, size_t len, const char *flags,
                    const loupe_regex_limits *limits, loupe_regex **out,
                    char *err, size_t errcap) {
  loupe_regex *re = NULL;
  uint32_t opts, jit = 0;
  int errcode, rc;
  PCRE2_SIZE erroff;

  *out = NULL;
  if (errcap) err[0] = '\0';
  if (pattern == NULL) {
    snprintf(err, errcap, "no pattern");
    return LOUPE_EINVAL;
  }
  rc = flag_options(flags, &opts, err, errcap);
  if (rc) return rc;
  /* PCRE2 keeps its limits in 32 bits: a larger one would be cut */
  if (limits && (limits->match_limit > 0xFFFFFFFFUL ||
                 limits->depth_limit > 0xFFFFFFFFUL ||
                 limits->heap_limit > 0xFFFFFFFFUL)) {
    snprintf(err, errcap, "a regex limit is more than 4294967295");
    return LOUPE_EINVAL;
  }
  re = calloc(1, sizeof *re);
  if (re == NULL) goto nomem;
  re->limits.match_limit = limits && limits->match_limit
                             ? limits->match_limit : DEF_MATCH_LIMIT;
  re->limits.depth_limit = limits && limits->depth_limit
                             ? limits->depth_limit : DEF_DEPTH_LIMIT;
  re->limits.heap_limit = limits && limits->heap_limit
                            ? limits->heap_limit : DEF_HEAP_LIMIT;
  re->code = compile_copy(pattern, len, opts, &errcode, &erroff);
  if (re->code == NULL && errcode == 0) goto nomem;
  if (re->code == NULL) {
    PCRE2_UCHAR msg[120];
    pcre2_get_error_message(errcode, msg, sizeof msg);
    snprintf(err, errcap, "%s at offset %zu", (const char *)msg,
             (size_t)erroff);
    loupe_regex_free(re);
    return LOUPE_ESYNTAX;
  }
  pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->groups);
  re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
  re->mctx = pcre2_match_context_create(NULL);
  if (re->md == NULL || re->mctx == NULL) goto nomem;
  pcre2_set_match_limit(re->mctx, (uint32_t)re->limits.match_limit);
  pcre2_set_depth_limit(re->mctx, (uint32_t)re->limits.depth_limit);
  pcre2_set_heap_limit(re->mctx, (uint32_t)re->limits.heap_limit);
  /* JIT when available; any JIT failure falls back to the interpreter.
   * Builds for valgrind define LOUPE_NO_JIT: valgrind cannot follow JIT
   * code, which reads subjects in aligned blocks. */
#ifdef LOUPE_NO_JIT
  jit = 0;
  if (0 &&
#else
  if (pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit &&
#endif
      pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0) {
    re->jit_stack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
    if (re->jit_stack)
      pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
  }
  *out = re;
  return LOUPE_OK;
nomem:
  snprintf(err, errcap, "out of memory compiling the pattern");
  loupe_regex_free(re);
  return LOUPE_ENOMEM;
}

int loupe_regex_groups(const loupe_regex *re) { return re ? re->groups : 0; }

const char *loupe_regex_errmsg(const loupe_regex *re) {
  return re ? re->errmsg : "no regex";
}

int lp_regex_status(const loupe_regex *re) {
  return re ? re->status : LOUPE_OK;
}

/*
 * Set the message for a failed match: the limit behind a PCRE2 error code
 * and the option that raises it (LOUPE_ELIMIT), or what is wrong with the
 * pattern when it cannot be matched at all, as a recursion that loops at
 * one position (LOUPE_ESYNTAX: no limit would help).
 */
static int match_error(loupe_regex *re, int rc) {
  const char *name = NULL, *unit = "";
  unsigned long limit = 0;
  switch (rc) {
  case PCRE2_ERROR_MATCHLIMIT:
    name = "match";
    limit = re->limits.match_limit;
    break;
  case PCRE2_ERROR_DEPTHLIMIT:
    name = "depth";
    limit = re->limits.depth_limit;
    break;
  case PCRE2_ERROR_HEAPLIMIT:
  case PCRE2_ERROR_NOMEMORY:
    name = "heap";
    limit = re->limits.heap_limit;
    unit = " KiB";
    break;
  case PCRE2_ERROR_JIT_STACKLIMIT:
    snprintf(re->errmsg, sizeof re->errmsg,
             "regex JIT stack limit reached (%u bytes)", JIT_STACK_MAX);
    re->status = LOUPE_ELIMIT;
    return LOUPE_ELIMIT;
  default: {
    PCRE2_UCHAR msg[120];
    pcre2_get_error_message(rc, msg, sizeof msg);
    snprintf(re->errmsg, sizeof re->errmsg, "regex cannot be matched: %s",
             (const char *)msg);
    re->status = LOUPE_ESYNTAX;
    return LOUPE_ESYNTAX;
  }
  }
  snprintf(re->errmsg, sizeof re->errmsg, "regex %s limit reached (current "
           "limit is %lu%s; option %s_limit)", name, limit, unit, name);
  re->status = LOUPE_ELIMIT;
  return LOUPE_ELIMIT;
}

/*
 * Whether the subject ends with a whole, valid UTF-8 character (or is
 * empty). PCRE2 10.42's JIT reads past the end of a subject whose last
 * bytes are a cut-off or stray sequence when it tests a word boundary
 * (\b, \B) under PCRE2_MATCH_INVALID_UTF (found by fuzz_regex); such a
 * subject is matched by the interpreter, which stays inside it.
 */
static int ends_whole(const unsigned char *s, size_t len) {
  size_t i = len, need;
  unsigned c;
  if (len == 0 || s[len - 1] < 0x80) return 1;
  while (i > 0 && len - i < 4 && (s[i - 1] & 0xC0) == 0x80) i--;
  if (i == 0) return 0;
  c = s[--i];
  if (c >= 0xC2 && c <= 0xDF) need = 2;
  else if (c >= 0xE0 && c <= 0xEF) need = 3;
  else if (c >= 0xF0 && c <= 0xF4) need = 4;
  else return 0;
  if (len - i != need) return 0;
  /* overlong, surrogate and past-U+10FFFF second bytes */
  if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
      (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
    return 0;
  return 1;
}

int loupe_regex_exec(loupe_regex *re, const char *subject, size_t len,
                     size_t start, size_t *ovec, int max_pairs, int *npairs) {
  int rc, i;
  PCRE2_SIZE *ov;
  *npairs = 0;
  if (re == NULL || (subject == NULL && len > 0) || start > len) {
    if (re) {
      snprintf(re->errmsg, sizeof re->errmsg, "invalid argument");
      re->status = LOUPE_EINVAL;
    }
    return LOUPE_EINVAL;
  }
  re->status = LOUPE_OK;
  rc = pcre2_match(re->code, (PCRE2_SPTR)(subject ? subject : ""), len, start,
                   ends_whole((const unsigned char *)subject, len)
                     ? 0 : PCRE2_NO_JIT,
                   re->md, re->mctx);
  if (rc == PCRE2_ERROR_NOMATCH) return LOUPE_OK;
  if (rc < 0) return match_error(re, rc);
  ov = pcre2_get_ovector_pointer(re->md);
  if (rc == 0) rc = (int)pcre2_get_ovector_count(re->md);
  for (i = 0; i < rc && i < max_pairs; i++) {
    ovec[2 * i] = ov[2 * i] == PCRE2_UNSET ? (size_t)-1 : (size_t)ov[2 * i];
    ovec[2 * i + 1] =
      ov[2 * i + 1] == PCRE2_UNSET ? (size_t)-1 : (size_t)ov[2 * i + 1];
  }
  *npairs = i;
  re->errmsg[0] = '\0';
  return LOUPE_OK;
}
