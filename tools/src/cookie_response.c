/* r.cookies: the cookies a response set, as a jar of their own. Here, after
   the response, because it reads a response's headers and URL; the jar
   itself is cookie.c's. */
#include "internal.h"
#include "cookie_internal.h"
#include <time.h>

#ifndef HTTPX_NO_COOKIES
HTTPX_API httpx_cookies *httpx_response_cookies(const httpx_response *r) {
    httpx_cookies *j;
    const httpx_headers *h;
    httpx__url u;
    if (!r) return NULL;
    j = httpx_cookies_new();
    if (!j) return NULL;
    h = httpx_response_headers(r);
    if (!h || !r->url || httpx__url_parse(&u, r->url, strlen(r->url), NULL) != HTTPX_OK) return j;
    if (httpx__cookies_store_headers(j, &u, h, (int64_t)time(NULL)) != HTTPX_OK) {
        httpx_cookies_free(j);
        return NULL;
    }
    return j;
}
#endif /* HTTPX_NO_COOKIES */
