/* cookie.c: what the cookie jar offers the others (the client's policy
   layer when it is wired; the tool and the tests through the public API). */
#ifndef HTTPX_COOKIE_INTERNAL_H
#define HTTPX_COOKIE_INTERNAL_H
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"

/* ---- cookies: a jar as RFC 6265 section 5 has it (cookie.c) ----
   Pure but for the clock, which every call that needs it takes (Unix
   seconds), so that tests run on a fixed one. The caps below are per jar;
   a cookie over a cap is refused (too large) or evicts the least recently
   used one (of its domain, then of the jar). Private prefix: httpx__ck_. */
#ifndef HTTPX_NO_COOKIES
#ifndef HTTPX_COOKIE_MAX_SIZE
#define HTTPX_COOKIE_MAX_SIZE 4096          /* bytes of name + value (RFC 6265 section 6.1's minimum) */
#endif
#ifndef HTTPX_COOKIE_MAX_PER_DOMAIN
#define HTTPX_COOKIE_MAX_PER_DOMAIN 50      /* cookies per Domain (section 6.1's minimum) */
#endif
#ifndef HTTPX_COOKIE_MAX_TOTAL
#define HTTPX_COOKIE_MAX_TOTAL 3000         /* cookies in one jar (section 6.1's minimum) */
#endif
/* A cookie-date (section 5.1.1: every form its algorithm accepts) as Unix
   seconds; false when it is not one. */
HTTPX__PRIVATE bool httpx__cookie_date(const char *s, size_t n, int64_t *out);
/* Section 5.1.3 (a host that is an IP literal matches only itself) and 5.1.4. */
HTTPX__PRIVATE bool httpx__cookie_domain_match(const char *host, const char *domain);
HTTPX__PRIVATE bool httpx__cookie_path_match(const char *path, size_t n, const char *cookie_path);
/* A Domain that is a public suffix: any name without a dot, or one of a
   built-in list of common registries (co.uk, com.au, github.io, ...). */
HTTPX__PRIVATE bool httpx__cookie_public_suffix(const char *domain);
/* Stores the cookie of one Set-Cookie value s[0..n) received for u
   (section 5.2 and 5.3). HTTPX_OK when stored (or, with a past expiry,
   when it deleted its namesake); a refused cookie is HTTPX_ERR_INVALID_ARGUMENT
   or HTTPX_ERR_TOO_LARGE with e saying why (the exchange goes on: a server's
   bad cookie is not a failed request); HTTPX_ERR_NOMEM. */
HTTPX__PRIVATE httpx_error httpx__cookies_store(httpx_cookies *j, const httpx__url *u, const char *s, size_t n,
                                                int64_t now, httpx__err *e);
/* Every Set-Cookie of h (a response to u) into j; only HTTPX_ERR_NOMEM fails. */
HTTPX__PRIVATE httpx_error httpx__cookies_store_headers(httpx_cookies *j, const httpx__url *u, const httpx_headers *h,
                                                        int64_t now);
/* Appends the Cookie header's value for a request to u ("a=1; b=2"; nothing
   when no cookie applies) in section 5.4's order, Secure ones only over
   https; drops the expired ones. false when the allocator failed. */
HTTPX__PRIVATE bool httpx__cookies_header(httpx_cookies *j, const httpx__url *u, int64_t now, httpx__buf *out);
HTTPX__PRIVATE void httpx__cookies_expire(httpx_cookies *j, int64_t now);
/* The Netscape cookie file that curl's -b/-c read and write. Lines that are
   not cookies (malformed, or longer than any cookie kept) are skipped and
   counted, as curl skips them; expired cookies are not loaded or saved. */
HTTPX__PRIVATE httpx_error httpx__cookies_load_file(httpx_cookies *j, FILE *fp, int64_t now, size_t *skipped,
                                                    httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__cookies_save_file(const httpx_cookies *j, FILE *fp, int64_t now);
#endif /* HTTPX_NO_COOKIES */

#endif /* HTTPX_COOKIE_INTERNAL_H */
