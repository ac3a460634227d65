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
#include <stddef.h>

static void *bench_malloc(size_t n);
static void *bench_realloc(void *p, size_t n);
static void bench_free(void *p);

#define HTTPX_MALLOC(sz) bench_malloc(sz)
#define HTTPX_REALLOC(p, sz) bench_realloc((p), (sz))
#define HTTPX_FREE(p) bench_free(p)
#define HTTPX_IMPLEMENTATION
#include "httpx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static unsigned long long n_malloc, n_realloc, n_free, n_bytes;

static void *bench_malloc(size_t n) { n_malloc++; n_bytes += n; return malloc(n); }
static void *bench_realloc(void *p, size_t n) { n_realloc++; n_bytes += n; return realloc(p, n); }
static void bench_free(void *p) { if (p) n_free++; free(p); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* One GET; returns 0 on success, prints why and returns 1 otherwise. */
static int one(httpx_client *c, const char *url, long expect, long i) {
    httpx_response *r = httpx_client_get(c, url, NULL);
    int bad = 0;
    if (!r) {
        fprintf(stderr, "bench_httpx: request %ld: httpx_client_get returned NULL (out of memory)\n", i);
        return 1;
    }
    if (r->error) {
        fprintf(stderr, "bench_httpx: request %ld: error %d (%s): %s (errno %d)\n", i, (int)r->error,
                httpx_strerror(r->error), r->error_message, r->sys_errno);
        bad = 1;
    } else if (r->status_code != 200) {
        fprintf(stderr, "bench_httpx: request %ld: status %d\n", i, r->status_code);
        bad = 1;
    } else if (expect >= 0 && (long)r->content_length != expect) {
        fprintf(stderr, "bench_httpx: request %ld: body %lu bytes, expected %ld\n", i,
                (unsigned long)r->content_length, expect);
        bad = 1;
    }
    httpx_response_free(r);
    return bad;
}

int main(int argc, char **argv) {
    const char *url;
    long n, warm, expect, i;
    httpx_client *c;
    double t0, t1, c0, c1;
    unsigned long long m0, r0, f0, b0;

    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES]\n", argv[0]);
        return 2;
    }
    url = argv[1];
    n = atol(argv[2]);
    warm = argc > 3 ? atol(argv[3]) : 200;
    expect = argc > 4 ? atol(argv[4]) : -1;
    if (n < 1 || n > 100000000L || warm < 1 || warm > 100000000L) {
        fprintf(stderr, "bench_httpx: N and WARMUP must be in 1..100000000\n");
        return 2;
    }

    c = httpx_client_new(NULL);
    if (!c) {
        fprintf(stderr, "bench_httpx: httpx_client_new failed\n");
        return 1;
    }
    for (i = 0; i < warm; i++)
        if (one(c, url, expect, i)) { httpx_client_free(c); return 1; }

    m0 = n_malloc; r0 = n_realloc; f0 = n_free; b0 = n_bytes;
    c0 = cpu_s();
    t0 = now_s();
    for (i = 0; i < n; i++)
        if (one(c, url, expect, warm + i)) { httpx_client_free(c); return 1; }
    t1 = now_s();
    c1 = cpu_s();

    printf("RESULT rps=%.1f cpu_us=%.3f allocs=%.3f mallocs=%.3f reallocs=%.3f frees=%.3f bytes=%.1f n=%ld\n",
           (double)n / (t1 - t0), (c1 - c0) * 1e6 / (double)n,
           (double)((n_malloc - m0) + (n_realloc - r0)) / (double)n,
           (double)(n_malloc - m0) / (double)n, (double)(n_realloc - r0) / (double)n,
           (double)(n_free - f0) / (double)n, (double)(n_bytes - b0) / (double)n, n);
    httpx_client_free(c);
    return 0;
}
