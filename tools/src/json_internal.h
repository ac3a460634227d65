/* json_internal.h: UTF-8 and JSON (utf8.c, json.c, jsonw.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__JSON_INTERNAL_H
#define HTTPX__JSON_INTERNAL_H
#include "internal.h"
/* ---- json: UTF-8, the JSON reader and writer (utf8.c, json.c, jsonw.c) ---- */

/* Limits of the JSON reader and writer; a user may define them before the
   implementation. 512 levels: deeper than any real API answer (and than
   JSONTestSuite's 500), shallow enough that code walking the tree
   recursively cannot run out of stack. */
#ifndef HTTPX_JSON_MAX_DEPTH
#define HTTPX_JSON_MAX_DEPTH 512
#endif
#ifndef HTTPX_JSON_MAX_SIZE
#define HTTPX_JSON_MAX_SIZE ((size_t)1 << 30)   /* the default max_body_size */
#endif

/* One UTF-8 sequence at p[0..n) (n > 0), strictly (RFC 3629: no overlong
   forms, no surrogates, nothing above U+10FFFF). Returns its length (1-4,
   *cp set); HTTPX__AGAIN when all n bytes are a valid start of a sequence that
   needs more; 0 when it is invalid (see httpx__utf8_bad_len). */
HTTPX__PRIVATE int httpx__utf8_next(const unsigned char *p, size_t n, uint32_t *cp);
/* For an invalid sequence at p (httpx__utf8_next returned 0): the length of
   its maximal subpart (Unicode 3.9, "U+FFFD substitution of maximal
   subparts", what Python's "replace" does), >= 1. */
HTTPX__PRIVATE size_t httpx__utf8_bad_len(const unsigned char *p, size_t n);
/* Writes cp (<= 0x10FFFF) as UTF-8 into out (room for 4); returns the length. */
HTTPX__PRIVATE size_t httpx__utf8_put(char *out, uint32_t cp);
/* The offset of the first invalid or truncated sequence, or n when all is valid. */
HTTPX__PRIVATE size_t httpx__utf8_valid(const char *s, size_t n);

/* A JSON number's text (RFC 8259 grammar, already checked) to the nearest
   double, whatever LC_NUMERIC says. False only when out of memory (a number
   longer than 60 bytes needs a copy). */
HTTPX__PRIVATE bool httpx__json_strtod(const char *p, size_t n, double *out);

#endif /* HTTPX__JSON_INTERNAL_H */
