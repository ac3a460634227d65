/* rate_limit: at most N requests a second, without threads. HTTPX has no rate
   limiter of its own; with asyncio one writes
       for url in urls: await limiter.acquire(); tasks.append(asyncio.create_task(client.get(url)))
   Here a token bucket decides when the next request may start, and
   httpx_client_poll does the work in between, so requests already started
   go on while we wait for the next token.
       ./build/examples/rate_limit http://127.0.0.1:8080 [PER_SECOND] [COUNT] */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int done, ok;

static void on_done(void *user_data, httpx_task *task, httpx_response *r) {
    (void)user_data; (void)task;
    done++;
    ok += r->error == HTTPX_OK && httpx_is_success(r);
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    double rate = argc > 2 ? atof(argv[2]) : 20;    /* requests per second */
    int count = argc > 3 ? atoi(argv[3]) : 30, started = 0;
    double tokens = 1, last, start;                 /* a bucket of at most one token: no bursts */
    char url[512];
    httpx_client *c = httpx_client_new(NULL);

    if (!c || rate <= 0) return 2;
    snprintf(url, sizeof url, "%s/anything", base);
    start = last = now();
    while (done < count) {
        double t = now();
        tokens += (t - last) * rate;                /* refill by the time that passed */
        if (tokens > 1) tokens = 1;
        last = t;
        if (started < count && tokens >= 1) {       /* a token: start one request */
            tokens -= 1;
            httpx_client_start(c, "GET", url, &(httpx_opts){ .on_done = on_done });
            started++;
            continue;
        }
        /* wait for network work, but no longer than until the next token */
        httpx_client_poll(c, started < count ? (int)((1 - tokens) / rate * 1000) + 1 : 50);
    }
    printf("%d requests (%d ok) in %.2f s: %.1f per second, limit %.1f\n", count, ok, now() - start,
           (count - 1) / (now() - start), rate);
    httpx_client_free(c);
    return ok == count ? 0 : 1;
}
