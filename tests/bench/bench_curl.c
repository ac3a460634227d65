/* bench_curl.c - sequential keep-alive GETs through one reused libcurl easy handle.

   usage: bench_curl URL N [WARMUP] [EXPECTED_BODY_BYTES]

   The same protocol as bench_httpx.c: WARMUP requests (default 200) not
   measured, then N measured ones on the handle's kept-alive connection; the
   body goes to a write callback that only counts it. Prints one line:

       RESULT rps=<requests/s> cpu_us=<user+sys µs per request> allocs=<...>

   allocs counts libcurl's malloc/calloc/realloc/strdup calls per warm request
   (through curl_global_init_mem), for comparison only. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static unsigned long long n_alloc, n_free;
static size_t got;

static void *c_malloc(size_t n) { n_alloc++; return malloc(n); }
static void c_free(void *p) { if (p) n_free++; free(p); }
static void *c_realloc(void *p, size_t n) { n_alloc++; return realloc(p, n); }
static char *c_strdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *d = (char *)malloc(l);
    n_alloc++;
    if (d) memcpy(d, s, l);
    return d;
}
static void *c_calloc(size_t a, size_t b) { n_alloc++; return calloc(a, b); }

static size_t sink(char *p, size_t size, size_t nmemb, void *ud) {
    (void)p; (void)ud;
    got += size * nmemb;
    return size * nmemb;
}

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

static int one(CURL *h, long expect, long i) {
    long code = 0;
    CURLcode rc;
    got = 0;
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        fprintf(stderr, "bench_curl: request %ld: %s\n", i, curl_easy_strerror(rc));
        return 1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        fprintf(stderr, "bench_curl: request %ld: status %ld\n", i, code);
        return 1;
    }
    if (expect >= 0 && (long)got != expect) {
        fprintf(stderr, "bench_curl: request %ld: body %lu bytes, expected %ld\n", i, (unsigned long)got, expect);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    long n, warm, expect, i;
    CURL *h;
    double t0, t1, c0, c1;
    unsigned long long a0, f0;

    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES]\n", argv[0]);
        return 2;
    }
    n = atol(argv[2]);
    warm = argc > 3 ? atol(argv[3]) : 200;
    expect = argc > 4 ? atol(argv[4]) : -1;
    if (n < 1 || n > 100000000L || warm < 1 || warm > 100000000L) {
        fprintf(stderr, "bench_curl: N and WARMUP must be in 1..100000000\n");
        return 2;
    }
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, c_malloc, c_free, c_realloc, c_strdup, c_calloc) != CURLE_OK) {
        fprintf(stderr, "bench_curl: curl_global_init_mem failed\n");
        return 1;
    }
    h = curl_easy_init();
    if (!h) {
        fprintf(stderr, "bench_curl: curl_easy_init failed\n");
        return 1;
    }
    curl_easy_setopt(h, CURLOPT_URL, argv[1]);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);   /* bounded, like httpx's default timeouts */

    for (i = 0; i < warm; i++)
        if (one(h, expect, i)) { curl_easy_cleanup(h); return 1; }

    a0 = n_alloc; f0 = n_free;
    c0 = cpu_s();
    t0 = now_s();
    for (i = 0; i < n; i++)
        if (one(h, expect, warm + i)) { curl_easy_cleanup(h); return 1; }
    t1 = now_s();
    c1 = cpu_s();

    printf("RESULT rps=%.1f cpu_us=%.3f allocs=%.3f frees=%.3f n=%ld\n",
           (double)n / (t1 - t0), (c1 - c0) * 1e6 / (double)n,
           (double)(n_alloc - a0) / (double)n, (double)(n_free - f0) / (double)n, n);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return 0;
}
