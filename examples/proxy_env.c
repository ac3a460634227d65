/* proxy_env: requests through a proxy, chosen by the environment as curl,
   Python and HTTPX choose it (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY),
   or named on the command line.
       cc -std=c99 examples/proxy_env.c -o proxy_env
       HTTP_PROXY=http://127.0.0.1:8888 ./proxy_env http://example.org/
       ./proxy_env https://example.org/ socks5h://127.0.0.1:1080
   A proxy that refuses (407, a refused CONNECT, a SOCKS5 failure) is
   HTTPX_ERR_PROXY, with the proxy's own answer in the message. */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080/";
    httpx_client_opts o = {0};
    httpx_client *c;
    httpx_response *r;
    int rc = 0;

    /* trust_env is on by default: with no proxy named here, the client reads
       the environment once, now. A proxy named here turns the environment off. */
    if (argc > 2) o.proxy = argv[2];
    c = httpx_client_new(&o);
    if (!c) return 2;
    r = httpx_client_get(c, url, NULL);
    if (!r) { httpx_client_free(c); return 2; }
    if (r->error == HTTPX_ERR_PROXY) {
        fprintf(stderr, "the proxy said no: %s\n", r->error_message);
        rc = 3;
    } else if (r->error) {
        fprintf(stderr, "GET %s failed: %s\n", url, r->error_message);
        rc = 1;
    } else {
        printf("%s %d %s (%zu bytes)\n", r->http_version, r->status_code, r->reason_phrase, r->content_length);
        fwrite(r->content, 1, r->content_length, stdout);
    }
    httpx_response_free(r);
    httpx_client_free(c);
    return rc;
}
