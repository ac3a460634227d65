/* Internal declarations that every component shares: memory, buffers,
   strings, errors, the return codes of the nonblocking calls (time is
   platform.h's). Nothing here is part of the API: names are httpx__ and, in
   the amalgamation, static. Each component's own declarations are in its
   x_internal.h (SHARED_HEADERS in tools/amalgamate.py), which a file
   includes when it uses them; a header includes what it uses, so that each
   component compiles alone (make modules). */
#ifndef HTTPX__INTERNAL_H
#define HTTPX__INTERNAL_H
#include "public.h"
#include "platform.h"

#if defined(HTTPX_MALLOC) || defined(HTTPX_REALLOC) || defined(HTTPX_FREE)
#if !defined(HTTPX_MALLOC) || !defined(HTTPX_REALLOC) || !defined(HTTPX_FREE)
#error "httpx.h: define all of HTTPX_MALLOC, HTTPX_REALLOC and HTTPX_FREE, or none"
#endif
#else
#include <stdlib.h>
#define HTTPX_MALLOC(sz) malloc(sz)
#define HTTPX_REALLOC(p, sz) realloc(p, sz)
#define HTTPX_FREE(p) free(p)
#endif

#ifndef HTTPX_ASSERT
#include <assert.h>
#define HTTPX_ASSERT(c) assert(c)
#endif

#include <string.h>
#include <stdarg.h>

/* Internal functions are static in the amalgamation (HTTPX__PRIVATE, defined
   in platform.h, which comes first). The test build defines HTTPX__PRIVATE as
   empty so that test files can call them from other units. */

/* ---- base: memory, buffers, strings, errors, time ---- */

HTTPX__PRIVATE void *httpx__malloc(size_t n);
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n);
HTTPX__PRIVATE void  httpx__free(void *p);

/* A growable byte buffer. Zero-initialised is empty. Functions return false
   only when the allocator fails (now or earlier: failure is sticky). The contents are NUL-terminated whenever
   cap > 0 (the NUL is not counted in len). */
typedef struct httpx__buf {
    char *p;
    size_t len, cap;
    bool borrowed;      /* p is not ours (see httpx__buf_init_inline) */
    bool failed;        /* an allocation failed: every later append fails too, so a
                           sequence of appends can be checked once, at its end */
} httpx__buf;
/* Empties b (keeping its memory) and forgets an earlier failure. */
HTTPX__PRIVATE void httpx__buf_clear(httpx__buf *b);
/* Starts b on memory that is not ours (an inline array): it is used until it
   is too small, then the contents move to the heap. Saves an allocation for
   the common small case. */
HTTPX__PRIVATE void httpx__buf_init_inline(httpx__buf *b, char *mem, size_t cap);
HTTPX__PRIVATE bool httpx__buf_reserve(httpx__buf *b, size_t extra);
HTTPX__PRIVATE bool httpx__buf_append(httpx__buf *b, const void *p, size_t n);
HTTPX__PRIVATE bool httpx__buf_puts(httpx__buf *b, const char *s);
HTTPX__PRIVATE bool httpx__buf_putc(httpx__buf *b, char c);
HTTPX__PRIVATE bool httpx__buf_printf(httpx__buf *b, const char *fmt, ...);
HTTPX__PRIVATE void httpx__buf_free(httpx__buf *b);

/* A view into somebody else's bytes. */
typedef struct httpx__str { const char *p; size_t n; } httpx__str;
HTTPX__PRIVATE bool httpx__str_ieq(httpx__str a, const char *b);     /* ASCII case-insensitive */
HTTPX__PRIVATE bool httpx__mem_ieq(const char *a, const char *b, size_t n);
HTTPX__PRIVATE int  httpx__lower(int c);
HTTPX__PRIVATE bool httpx__is_tchar(int c);                          /* RFC 9110 token char */

/* Failure detail. A function that can fail takes an httpx__err * and fills it
   through httpx__fail, which returns the code so that callers can write
   `return httpx__fail(e, HTTPX_ERR_X, "...", ...);`. e may be NULL. */
typedef struct httpx__err {
    httpx_error code;
    int sys_errno;
    char msg[240];
} httpx__err;
HTTPX__PRIVATE httpx_error httpx__fail(httpx__err *e, httpx_error code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 3, 4)))
#endif
    ;

/* httpx__now(), monotonic seconds, is platform.h's. */

/* The next number of a splitmix64 stream: well mixed, not secret (seed the
   state from httpx__random where it must not be guessed). */
HTTPX__PRIVATE uint64_t httpx__splitmix64(uint64_t *state);
/* Hex digits: the value of c (0..15, or -1 when c is not one), the digit of
   v & 15, and n bytes as 2n lower-case digits (no NUL). */
HTTPX__PRIVATE int  httpx__hex_value(int c);
HTTPX__PRIVATE char httpx__hex_digit(unsigned v, bool upper);
HTTPX__PRIVATE void httpx__hex_encode(char *out, const void *p, size_t n);

/* base.c: appends s[0..n) in base64 (HTTP Basic credentials). */
HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n);

/* ---- return codes of the nonblocking calls ----
   One convention for every call that moves bytes or parses them as they come
   (net, streams, tls, dns, the HTTP/1.1 and HTTP/2 parsers): a value >= 0 is
   progress (a count, or 0 where documented, e.g. end of stream), and: */
#define HTTPX__BAD   (-1)   /* failed: the httpx__err says why */
#define HTTPX__AGAIN (-2)   /* would block, or needs more input: call again later */
#define HTTPX__FULL  (-3)   /* a caller-given room or limit was hit (say which in the caller) */

/* ---- codecs ----
   Each codec has its own header: url_internal.h, h1_internal.h,
   h2_internal.h (HPACK, frames, session), json_internal.h, text_internal.h.
   A new codec (or component) puts its declarations in its own x_internal.h,
   not here: list it in SHARED_HEADERS of tools/amalgamate.py and include it
   from the files that use it. */

#endif /* HTTPX__INTERNAL_H */
