/* r.cookies: the cookies a response set, as a jar of their own. Here, after
   the response, because it reads a response's headers and URL; the jar
   itself is cookie.c's. */
#include "internal.h"
#include <time.h>

#ifndef HTTPX_NO_COOKIES
HTTPX_API httpx_cookies *httpx_response_cookies(const httpx_response *r) {
    httpx_cookies *j;
    const httpx_headers *h;
    const char *v;
    httpx__url u;
    size_t i;
    if (!r) return NULL;
    j = httpx_cookies_new();
    if (!j) return NULL;
    h = httpx_response_headers(r);
    if (!h || !r->url || httpx__url_parse(&u, r->url, strlen(r->url), NULL) != HTTPX_OK) return j;
    for (i = 0; (v = httpx_headers_get_nth(h, "set-cookie", i)) != NULL; i++) {
        /* a cookie the server got wrong is left out, as HTTPX's r.cookies leaves it out */
        if (httpx__cookies_store(j, &u, v, strlen(v), (int64_t)time(NULL), NULL) == HTTPX_ERR_NOMEM) {
            httpx_cookies_free(j);
            return NULL;
        }
    }
    return j;
}
#endif /* HTTPX_NO_COOKIES */
