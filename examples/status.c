/* status: status codes and raise_for_status, as HTTPX's
       r = httpx.get("https://httpbin.org/status/404")
       r.status_code == httpx.codes.NOT_FOUND
       r.raise_for_status()      # raises httpx.HTTPStatusError
   In C there are no exceptions: httpx_raise_for_status returns
   HTTPX_ERR_STATUS for every status that is not 2xx (a 3xx too, as HTTPX)
   with HTTPX's words in r->error_message, and HTTPX_OK otherwise; a failed
   request (no response at all) is r->error, checked first.
       ./build/examples/status http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

/* Returns what httpx_raise_for_status said (or the transport error). */
static httpx_error check(const char *base, const char *path) {
    httpx_error e;
    char url[512];
    httpx_response *r;
    snprintf(url, sizeof url, "%s%s", base, path);
    r = httpx_get(url, NULL);
    if (r->error) {                                         /* no response: a transport error */
        printf("%-12s no response: %s\n", path, r->error_message);
    } else if (httpx_raise_for_status(r) != HTTPX_OK) {     /* a response, but not a 2xx */
        printf("%-12s %d %s: %s\n", path, r->status_code, r->reason_phrase,
               httpx_is_client_error(r) ? "client error" : httpx_is_server_error(r) ? "server error"
               : "not a success (a redirect is not followed by default)");
        printf("             %s\n", r->error_message);     /* HTTPX's words, the URL and a link */
    } else {
        printf("%-12s %d %s: fine\n", path, r->status_code, r->reason_phrase);
    }
    e = r->error ? r->error : httpx_raise_for_status(r);
    httpx_response_free(r);
    return e;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    int as_expected =
        check(base, "/status/200") == HTTPX_OK &&
        check(base, "/status/302") == HTTPX_ERR_STATUS &&  /* not a 2xx: as HTTPX, an error too */
        check(base, "/status/404") == HTTPX_ERR_STATUS &&
        check(base, "/status/418") == HTTPX_ERR_STATUS &&
        check(base, "/status/503") == HTTPX_ERR_STATUS;
    printf("httpx_strerror(HTTPX_ERR_STATUS): %s\n", httpx_strerror(HTTPX_ERR_STATUS));
    return as_expected ? 0 : 1;
}
