/* bench_curl.c - sequential keep-alive GETs through one reused libcurl easy handle.

   usage: bench_curl URL N [WARMUP] [EXPECTED_BODY_BYTES]

   The same protocol as bench_httpx.c: WARMUP requests (default 200) not
   measured, then N measured ones on the handle's kept-alive connection; the
   body goes to a write callback that only counts it. Prints one line:

       RESULT rps=<requests/s> cpu_us=<user+sys µs per request> allocs=<...>

   allocs counts libcurl's malloc/calloc/realloc/strdup calls per warm request
   (through curl_global_init_mem, bench_common.h's counting allocator), for
   comparison only. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include "bench_common.h"

static long long got;   /* body bytes of the current request (CURLOPT_WRITEDATA) */

static int one(CURL *h, long expect, long i) {
    CURLcode rc;
    char why[300];
    got = 0;
    rc = curl_easy_perform(h);
    if (bench_check_curl(why, sizeof why, "request", i, h, rc, got, expect)) {
        fprintf(stderr, "bench_curl: %s\n", why);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    bench_args a;
    long i;
    CURL *h;
    bench_timer t;
    unsigned long long a0, f0;

    if (bench_parse_seq(&a, argc, argv, "bench_curl")) return 2;
    if (bench_curl_global_init_counting()) {
        fprintf(stderr, "bench_curl: curl_global_init_mem failed\n");
        return 1;
    }
    h = curl_easy_init();
    if (!h) {
        fprintf(stderr, "bench_curl: curl_easy_init failed\n");
        return 1;
    }
    bench_curl_plain_opts(h, a.url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);

    for (i = 0; i < a.warm; i++)
        if (one(h, a.expect, i)) { curl_easy_cleanup(h); return 1; }

    a0 = bench_n_malloc + bench_n_realloc; f0 = bench_n_free;
    bench_timer_start(&t);
    for (i = 0; i < a.n; i++)
        if (one(h, a.expect, a.warm + i)) { curl_easy_cleanup(h); return 1; }
    bench_timer_stop(&t);

    bench_result_rps(&t, a.n);
    printf(" allocs=%.3f frees=%.3f n=%ld\n", (double)(bench_n_malloc + bench_n_realloc - a0) / (double)a.n,
           (double)(bench_n_free - f0) / (double)a.n, a.n);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return 0;
}
