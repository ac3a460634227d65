/* url_internal.h: url: RFC 3986 for http and https (url.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__URL_INTERNAL_H
#define HTTPX__URL_INTERNAL_H
#include "internal.h"
/* ---- url: RFC 3986 for http and https ---- */

/* A parsed absolute URL. Every view points into the string that was parsed,
   which must outlive the struct. Absent parts have p == NULL, n == 0; an empty
   but present query ("x?") has p != NULL, n == 0. */
typedef struct httpx__url {
    httpx__str scheme;      /* as written; is_https tells which */
    httpx__str userinfo;    /* still percent-encoded; see httpx__url_credentials */
    httpx__str host;        /* without the brackets of an IPv6 literal */
    httpx__str path;        /* as written, may be empty */
    httpx__str query;       /* without '?' */
    httpx__str fragment;    /* without '#'; never sent */
    int port;               /* the explicit port, else 80 or 443 */
    bool has_port;          /* a port was written (even if it is the default) */
    bool is_https;
    bool host_is_ipv6;
} httpx__url;

/* Parses an absolute http or https URL. Fails with HTTPX_ERR_INVALID_URL and a
   message naming the problem (no scheme, relative URL, empty host, bad port,
   space or control character, bad IPv6 literal, bad percent escape), or
   HTTPX_ERR_UNSUPPORTED_PROTOCOL for a scheme other than http/https. */
HTTPX__PRIVATE httpx_error httpx__url_parse(httpx__url *u, const char *s, size_t n, httpx__err *e);
/* RFC 3986 section 5.2 reference resolution of ref against an absolute base
   (any scheme), with remove_dot_segments; the recomposed result is appended to
   out. "http:g" resolves the strict way ("http:g"). */
HTTPX__PRIVATE httpx_error httpx__url_resolve(httpx__buf *out, const char *base, const char *ref, httpx__err *e);
/* Appends the request target: path (or "/" when empty), then "?query" when a
   query is present. Characters that may not appear in a target (non-ASCII
   bytes, '"', '<', '>', '\\', '^', '`', '{', '|', '}') are percent-encoded;
   existing %XX escapes are kept as they are. */
HTTPX__PRIVATE bool httpx__url_write_target(httpx__buf *out, const httpx__url *u);
/* Appends the Host header value: host, or [v6], plus ":port" unless default. */
HTTPX__PRIVATE bool httpx__url_write_authority(httpx__buf *out, const httpx__url *u);
/* Splits userinfo into percent-decoded user and password (password "" when no
   ':'). Returns false when there is no userinfo. */
HTTPX__PRIVATE bool httpx__url_credentials(const httpx__url *u, httpx__buf *user, httpx__buf *pass);
/* Appends s form-urlencoded (application/x-www-form-urlencoded as HTML forms
   do: space as '+', unreserved kept, everything else %XX upper-case). */
HTTPX__PRIVATE bool httpx__form_escape(httpx__buf *out, const char *s, size_t n);
/* Appends "k=v&k=v..." for the pairs; a leading '&' first when out already
   ends in a query that is non-empty (sep_first). NULL value: "k=". */
HTTPX__PRIVATE bool httpx__form_encode(httpx__buf *out, const httpx_pair *pairs, bool sep_first);
/* Percent-decodes s into out ('+' stays '+'). Fails on a bad escape. */
HTTPX__PRIVATE bool httpx__pct_decode(httpx__buf *out, const char *s, size_t n);

#endif /* HTTPX__URL_INTERNAL_H */
