/* client: one client, many requests over pooled keep-alive connections, with
   shared headers, a base URL, query parameters, a JSON body and a stream.
       ./client http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){
        .base_url = argc > 1 ? argv[1] : "http://127.0.0.1:8080",
        .headers = (httpx_pair[]){ {"X-Example", "client.c"}, {0} },
        .timeout = { .connect = 2, .read = 10 },
    });
    httpx_response *r;
    const char *line;
    int i, failures = 0;

    if (!c) return 2;
    for (i = 0; i < 3; i++) {                           /* the same connection serves all three */
        r = httpx_client_get(c, "/hello.txt", &(httpx_opts){
            .params = (httpx_pair[]){ {"round", i == 0 ? "1" : i == 1 ? "2" : "3"}, {0} } });
        printf("GET %s -> %d (%zu bytes, %.1f ms)\n", r->url, r->status_code, r->content_length, r->elapsed * 1e3);
        failures += r->error || httpx_raise_for_status(r);
        httpx_response_free(r);
    }

    r = httpx_client_stream(c, "GET", "/hello.txt", NULL);     /* line by line, as it arrives */
    while ((line = httpx_read_line(r, NULL)) != NULL) printf("line: %s\n", line);
    failures += r->error != HTTPX_OK;
    httpx_response_free(r);

    httpx_client_free(c);
    return failures ? 1 : 0;
}
