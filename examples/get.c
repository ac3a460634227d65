/* get: fetch a URL and print the status line, a header and the body.
       cc -std=c99 examples/get.c -o get && ./get http://127.0.0.1:8080/hello.txt */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080/";
    httpx_response *r = httpx_get(url, &(httpx_opts){ .follow_redirects = true });
    int status;

    if (!r) return 2;                                   /* out of memory */
    if (r->error) {
        fprintf(stderr, "GET %s failed: %s\n", url, r->error_message);
        httpx_response_free(r);
        return 1;
    }
    printf("%s %d %s\n", r->http_version, r->status_code, r->reason_phrase);
    printf("content-type: %s\n\n", httpx_header(r, "content-type") ? httpx_header(r, "content-type") : "-");
    fwrite(r->content, 1, r->content_length, stdout);
    status = httpx_raise_for_status(r) ? 1 : 0;
    httpx_response_free(r);
    return status;
}
