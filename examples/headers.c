/* headers: custom request headers, and reading response headers, as HTTPX's
       r = httpx.get(url, headers={"user-agent": "my-app/0.0.1"})
       r.headers["Content-Type"]; r.headers.get_list("x-multi")
   Response header names are case-insensitive; a repeated header keeps every
   value, in order.
       ./build/examples/headers http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    httpx_response *r;
    const httpx_headers *all;
    const char *name, *value, *v;
    size_t i;
    int ok;

    /* Request headers: yours win over the library's defaults (User-Agent here). */
    snprintf(url, sizeof url, "%s/anything", base);
    r = httpx_get(url, &(httpx_opts){
        .headers = (httpx_pair[]){ {"User-Agent", "my-app/0.0.1"}, {"X-Request-Id", "42"}, {0} } });
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); httpx_response_free(r); return 1; }
    printf("the server got User-Agent: %s\n",
           httpx_json_string(httpx_json_path(httpx_json(r), "headers.User-Agent")));
    ok = httpx_json_string(httpx_json_path(httpx_json(r), "headers.X-Request-Id")) != NULL;
    httpx_response_free(r);

    /* Response headers: look one up by name in any case, walk them all. */
    snprintf(url, sizeof url, "%s/repeat-header", base);
    r = httpx_get(url, NULL);
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); httpx_response_free(r); return 1; }
    printf("content-type: %s\n", httpx_header(r, "CONTENT-TYPE"));
    for (i = 0; (v = httpx_header_nth(r, "x-multi", i)) != NULL; i++)   /* get_list */
        printf("x-multi #%zu: %s\n", i, v);
    all = httpx_response_headers(r);
    printf("all %zu headers in order:\n", httpx_headers_count(all));
    for (i = 0; httpx_headers_at(all, i, &name, &value); i++) printf("  %s: %s\n", name, value);
    ok = ok && httpx_header_nth(r, "X-Multi", 1) != NULL;
    httpx_response_free(r);
    return ok ? 0 : 1;
}
