/* retries: try again when a request fails for a reason that may pass. HTTPX
   retries connection failures with
       transport = httpx.HTTPTransport(retries=3)
   and leaves retrying on status codes to libraries such as tenacity. This
   loop does both: it retries connect errors, timeouts and 502/503/504, with a
   growing pause between tries, and never retries other errors (a 404 will
   not go away by itself). Only idempotent methods should be retried this way.
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
    httpx_client *c = httpx_client_new(NULL);
    int ok;

    if (!c) return 2;
    /* /flaky/KEY/2 fails twice with 503, then works: a fresh key per run */
    snprintf(key, sizeof key, "%ld-%ld", (long)getpid(), (long)time(NULL));
    snprintf(url, sizeof url, "%s/flaky/%s/2", base, key);
    ok = fetch(c, url, 4);
    /* a 404 is not retried */
    snprintf(url, sizeof url, "%s/status/404", base);
    ok &= !fetch(c, url, 4);
    httpx_client_free(c);
    return ok ? 0 : 1;
}
