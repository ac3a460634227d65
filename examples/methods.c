/* methods: one-shot requests with every HTTP method, the first thing HTTPX's
   quickstart shows:
       r = httpx.get("https://httpbin.org/get")
       r = httpx.post("https://httpbin.org/post", data={"key": "value"})
       r = httpx.put(...); httpx.delete(...); httpx.head(...); httpx.options(...)
   Run `make serve` in another terminal, then
       ./build/examples/methods http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

/* Prints what happened; returns 1 for a failure so main can count them. */
static int show(const char *what, httpx_response *r) {
    int failed = r->error || !httpx_is_success(r);
    if (r->error) printf("%-8s failed: %s\n", what, r->error_message);
    else printf("%-8s %d %s, %zu bytes\n", what, r->status_code, r->reason_phrase, r->content_length);
    httpx_response_free(r);                 /* every response is freed, however it ended */
    return failed;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    int failures = 0;

    /* /anything answers any method with what it received, like httpbin.org */
    snprintf(url, sizeof url, "%s/anything", base);

    /* A one-shot call opens a connection, sends, reads the whole response and
       closes: the simplest way, and fine for a few requests (see reuse.c). */
    failures += show("GET", httpx_get(url, NULL));
    failures += show("POST", httpx_post(url, &(httpx_opts){
        .data = (httpx_pair[]){ {"key", "value"}, {0} } }));
    failures += show("PUT", httpx_put(url, &(httpx_opts){
        .data = (httpx_pair[]){ {"key", "value"}, {0} } }));
    failures += show("PATCH", httpx_patch(url, &(httpx_opts){ .json = "{\"key\": \"value\"}" }));
    failures += show("DELETE", httpx_delete(url, NULL));
    failures += show("HEAD", httpx_head(url, NULL));        /* a head and no body: 0 bytes */
    failures += show("OPTIONS", httpx_options(url, NULL));
    /* Any other method by name, as httpx.request("PROPFIND", url): */
    failures += show("PROPFIND", httpx_request("PROPFIND", url, NULL));

    printf("%s\n", failures ? "some requests failed" : "all methods worked");
    return failures ? 1 : 0;
}
