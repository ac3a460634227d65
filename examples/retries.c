/* retries: try again when a request fails for a reason that may pass.
   Built in, as HTTPX's
       transport = httpx.HTTPTransport(retries=3)
   .retries resends a request whose connection could not be made, and
   .retry (opt-in, what HTTPX leaves to libraries such as tenacity) resends
   an idempotent request answered 429/502/503/504, honouring Retry-After;
   the waits are the client's loop's, so tasks never block on them.
   By hand, a loop decides itself what is worth another try (here also read
   timeouts, which the built-in policy never retries: the server may have
   acted on the request) and never retries other errors (a 404 will not go
   away by itself). Only idempotent methods should be retried this way.
       ./build/examples/retries http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <time.h>
#include <unistd.h>

static int worth_retrying(const httpx_response *r) {
    if (r->error) return r->error == HTTPX_ERR_CONNECT || httpx_is_timeout(r->error);
    return r->status_code == 502 || r->status_code == 503 || r->status_code == 504;
}

static void pause_s(double s) {
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* GET url, up to tries times; the last response is returned. */
static httpx_response *get_with_retries(httpx_client *c, const char *url, int tries) {
    double backoff = 0.05;                          /* 50 ms, 100 ms, 200 ms, ... */
    int i;
    for (i = 1;; i++) {
        httpx_response *r = httpx_client_get(c, url, NULL);
        if (i == tries || !worth_retrying(r)) return r;
        printf("  try %d: %s; again in %.0f ms\n", i,
               r->error ? r->error_message : r->reason_phrase, backoff * 1e3);
        httpx_response_free(r);
        pause_s(backoff);
        backoff *= 2;
    }
}

static int fetch(httpx_client *c, const char *url, int tries) {
    httpx_response *r = get_with_retries(c, url, tries);
    int ok = !r->error && httpx_is_success(r);
    printf("%s -> %s\n", url, r->error ? r->error_message : r->content);
    httpx_response_free(r);
    return ok;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512], key[32];
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .retries = 3, .retry = { .max = 3 } });
    httpx_response *r;
    int ok;

    if (!c) return 2;
    /* /flaky/KEY/2 fails twice with 503 (Retry-After: 0), then works: a fresh key per run */
    snprintf(key, sizeof key, "%ld-%ld", (long)getpid(), (long)time(NULL));
    snprintf(url, sizeof url, "%s/flaky/%s-built-in/2", base, key);
    r = httpx_client_get(c, url, NULL);
    ok = !r->error && httpx_is_success(r);
    printf("built in: %s -> %s\n", url, r->error ? r->error_message : r->content);
    httpx_response_free(r);
    httpx_client_free(c);

    /* by hand, on a client without the built-in policy */
    c = httpx_client_new(NULL);
    if (!c) return 2;
    snprintf(url, sizeof url, "%s/flaky/%s/2", base, key);
    ok &= fetch(c, url, 4);
    /* a 404 is not retried */
    snprintf(url, sizeof url, "%s/status/404", base);
    ok &= !fetch(c, url, 4);
    httpx_client_free(c);
    return ok ? 0 : 1;
}
