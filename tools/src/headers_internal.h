/* headers_internal.h: header lists (headers.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__HEADERS_INTERNAL_H
#define HTTPX__HEADERS_INTERNAL_H
#include "internal.h"
#include "h1_internal.h"   /* httpx__field_view */
/* ---- headers ---- */

/* A head's fields as protocol-neutral views (HTTP/1.1 parses into these). */
typedef httpx__h1_header httpx__field_view;

typedef struct httpx__field { uint32_t name, name_len, value, value_len; } httpx__field;
struct httpx_headers {
    httpx__field *fields;   /* offsets into text */
    size_t count, cap;
    httpx__buf text;        /* "name\0value\0" for each field */
    bool fixed;             /* fields/text live in memory that is not ours (arena) */
};
HTTPX__PRIVATE void httpx__headers_init(httpx_headers *h);
HTTPX__PRIVATE void httpx__headers_clear(httpx_headers *h);  /* frees, stays usable */
/* Adds without validation (for trusted, already-checked input such as a parsed response). */
HTTPX__PRIVATE bool httpx__headers_add_raw(httpx_headers *h, const char *name, size_t nlen, const char *value, size_t vlen);
/* Checks a header a caller gave: token name, value without CR/LF/NUL. */
HTTPX__PRIVATE httpx_error httpx__header_check(const char *name, const char *value, httpx__err *e);
/* For on_debug, a head that is not text (HTTP/2's, the door's fields) is
   rendered one "name: value" line at a time, CRLF-terminated; the caller,
   which knows the client, adds the first line, the blank line and the call. */
HTTPX__PRIVATE void httpx__debug_field_line(httpx__buf *b, const char *name, size_t nlen, const char *value,
                                            size_t vlen);

#endif /* HTTPX__HEADERS_INTERNAL_H */
