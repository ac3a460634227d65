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
/* A head that is not text (the response door's fields) rendered
   for on_debug: line, then "name: value" lines, CRLF each, then CRLF. */
HTTPX__PRIVATE void httpx__debug_fields(const httpx_client *c, httpx_debug_kind kind, const char *line,
                                        const httpx__field_view *f, size_t n);

#endif /* HTTPX__HEADERS_INTERNAL_H */
