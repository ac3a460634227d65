/* bench_httpx.c - sequential keep-alive GETs through one httpx_client.

   usage: bench_httpx URL N [WARMUP] [EXPECTED_BODY_BYTES]

   Does WARMUP requests (default 200, not measured), then N measured requests,
   one after the other on the client's pooled connection. Prints one line:

       RESULT rps=<requests/s> cpu_us=<user+sys µs per request>
              allocs=<allocator calls per request> frees=<...> bytes=<...>

   allocs counts every call of HTTPX_MALLOC and HTTPX_REALLOC made by the
   library during the N measured (warm) requests, divided by N. The count
   includes allocations that the response owns (freed by
   httpx_response_free). Exit status 1 (with the error text) when a request
   fails or returns an unexpected status or body size. */
#define _POSIX_C_SOURCE 200809L
#include "bench_common.h"   /* first: HTTPX_MALLOC/REALLOC/FREE = its counting allocator */
#define HTTPX_IMPLEMENTATION
#include "httpx.h"
#include "bench_common.h"   /* again: its httpx part */

/* One GET; returns 0 on success, prints why and returns 1 otherwise. */
static int one(httpx_client *c, const char *url, long expect, long i) {
    httpx_response *r = httpx_client_get(c, url, NULL);
    char why[300];
    int bad = bench_check_httpx(why, sizeof why, "request", i, r, r ? (long long)r->content_length : 0, expect);
    if (bad) fprintf(stderr, "bench_httpx: %s\n", why);
    httpx_response_free(r);
    return bad;
}

int main(int argc, char **argv) {
    bench_args a;
    long i;
    httpx_client *c;
    bench_timer t;
    unsigned long long m0, r0, f0, b0;

    if (bench_parse_seq(&a, argc, argv, "bench_httpx")) return 2;

    c = httpx_client_new(NULL);
    if (!c) {
        fprintf(stderr, "bench_httpx: httpx_client_new failed\n");
        return 1;
    }
    for (i = 0; i < a.warm; i++)
        if (one(c, a.url, a.expect, i)) { httpx_client_free(c); return 1; }

    m0 = bench_n_malloc; r0 = bench_n_realloc; f0 = bench_n_free; b0 = bench_n_bytes;
    bench_timer_start(&t);
    for (i = 0; i < a.n; i++)
        if (one(c, a.url, a.expect, a.warm + i)) { httpx_client_free(c); return 1; }
    bench_timer_stop(&t);

    bench_result_rps(&t, a.n);
    printf(" allocs=%.3f mallocs=%.3f reallocs=%.3f frees=%.3f bytes=%.1f n=%ld\n",
           (double)((bench_n_malloc - m0) + (bench_n_realloc - r0)) / (double)a.n,
           (double)(bench_n_malloc - m0) / (double)a.n, (double)(bench_n_realloc - r0) / (double)a.n,
           (double)(bench_n_free - f0) / (double)a.n, (double)(bench_n_bytes - b0) / (double)a.n, a.n);
    httpx_client_free(c);
    return 0;
}
