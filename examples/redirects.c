/* redirects: following redirects and looking back at every hop, as
       r = httpx.get(url + "/redirect/3", follow_redirects=True)
       for h in r.history: print(h.status_code, h.url)
       r = httpx.get(url + "/redirect/3")       # not followed
       print(r.next_request.url)
   Each hop of r.history is a response of its own (status, URL, headers);
   it lives as long as r.
       ./build/examples/redirects http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    httpx_response *r;
    size_t i;
    int ok;

    snprintf(url, sizeof url, "%s/redirect/3", base);
    r = httpx_get(url, &(httpx_opts){ .follow_redirects = HTTPX_YES });
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); httpx_response_free(r); return 1; }
    for (i = 0; i < httpx_response_history_len(r); i++) {
        const httpx_response *h = httpx_response_history(r, i);
        printf("hop %zu: %d %s  ->  %s\n", i + 1, h->status_code, h->url, httpx_header(h, "location"));
    }
    printf("final: %d %s (%zu redirects)\n", r->status_code, r->url, httpx_response_history_len(r));
    ok = httpx_response_history_len(r) == 3 && r->status_code == 200;
    httpx_response_free(r);

    /* Not followed (the default, as in HTTPX): where it would go next. */
    r = httpx_get(url, NULL);
    printf("not followed: %d, next request would go to %s\n", r->status_code,
           httpx_response_next_url(r) ? httpx_response_next_url(r) : "(nowhere)");
    ok = ok && httpx_response_next_url(r) != NULL;
    httpx_response_free(r);
    return ok ? 0 : 1;
}
