/* bench_common.h - what the programs in tests/bench/ share: clocks, the
   counting allocator, argument parsing, response checks and the RESULT lines
   that run.sh and tls.sh parse (keep their format).

   Everything is static; a program includes this header and uses what it
   needs. It comes in parts:

     part 1  (always)  clocks, the counting allocator, arguments, RESULT lines;
             it also points HTTPX_MALLOC/REALLOC/FREE at the allocator, so an
             httpx program includes this header BEFORE httpx.h;
     httpx   (once httpx.h is in) the response check; an httpx program
             includes this header a second time after httpx.h;
     curl    (once curl/curl.h is in) the response check, the body sink and
             the counting curl_global_init_mem; a libcurl program includes
             this header after curl/curl.h.

   Usage (httpx):                        Usage (libcurl):
     #include "bench_common.h"             #include <curl/curl.h>
     #define HTTPX_IMPLEMENTATION          #include "bench_common.h"
     #include "httpx.h"
     #include "bench_common.h"

   The allocator keeps a size header in front of every block, so it knows the
   exact live byte count (requested sizes, without malloc's own overhead). */

/* ======================================================================== */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

/* Not every program uses every helper. */
#if defined(__GNUC__) || defined(__clang__)
#define BENCH_UNUSED __attribute__((unused))
#else
#define BENCH_UNUSED
#endif

/* ---- clocks ---- */
static BENCH_UNUSED double bench_now_s(void) {   /* monotonic wall clock, s */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static BENCH_UNUSED double bench_cpu_s(void) {   /* this process's user+sys CPU, s */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- counting allocator with a size header ----
   bench_n_malloc counts bench_malloc calls (bench_calloc and bench_strdup go
   through it), bench_n_realloc bench_realloc calls (realloc(NULL, n)
   included), bench_n_free frees of non-NULL blocks, bench_n_bytes the bytes
   asked for by malloc and realloc; bench_live is the live byte count,
   bench_peak its highest value (a program may reset it to bench_live). */
typedef union bench_hdr { size_t n; long double ld; void *p; long long ll; } bench_hdr;

static unsigned long long bench_n_malloc, bench_n_realloc, bench_n_free, bench_n_bytes;
static long long bench_live, bench_peak;

static BENCH_UNUSED void bench_note(long long d) {
    bench_live += d;
    if (bench_live > bench_peak) bench_peak = bench_live;
}

static BENCH_UNUSED void *bench_alloc_block(size_t n) {   /* uncounted */
    bench_hdr *h = (bench_hdr *)malloc(sizeof(bench_hdr) + n);
    if (!h) return NULL;
    h->n = n;
    bench_note((long long)n);
    return h + 1;
}

static BENCH_UNUSED void *bench_malloc(size_t n) {
    bench_n_malloc++;
    bench_n_bytes += n;
    return bench_alloc_block(n);
}

static BENCH_UNUSED void *bench_realloc(void *p, size_t n) {
    bench_hdr *h;
    size_t old;
    bench_n_realloc++;
    bench_n_bytes += n;
    if (!p) return bench_alloc_block(n);
    h = (bench_hdr *)p - 1;
    old = h->n;
    h = (bench_hdr *)realloc(h, sizeof(bench_hdr) + n);
    if (!h) return NULL;
    h->n = n;
    bench_note((long long)n - (long long)old);
    return h + 1;
}

static BENCH_UNUSED void bench_free(void *p) {
    bench_hdr *h;
    if (!p) return;
    bench_n_free++;
    h = (bench_hdr *)p - 1;
    bench_note(-(long long)h->n);
    free(h);
}

static BENCH_UNUSED void *bench_calloc(size_t a, size_t b) {
    void *p;
    if (b && a > (size_t)-1 / 2 / b) return NULL;
    p = bench_malloc(a * b);
    if (p) memset(p, 0, a * b);
    return p;
}

static BENCH_UNUSED char *bench_strdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *d = (char *)bench_malloc(l);
    if (d) memcpy(d, s, l);
    return d;
}

/* httpx.h allocates through these when it is included after this part. */
#ifndef HTTPX_MALLOC
#define HTTPX_MALLOC(sz) bench_malloc(sz)
#define HTTPX_REALLOC(p, sz) bench_realloc((p), (sz))
#define HTTPX_FREE(p) bench_free(p)
#endif

/* ---- arguments of the plain-HTTP programs ----
     sequential:  PROG URL N [WARMUP] [EXPECTED_BODY_BYTES]
     concurrent:  PROG URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC] ...
   Returns 0, or 2 after printing why. */
typedef struct bench_args {
    const char *url;
    long n, warm;       /* measured and unmeasured requests */
    long expect;        /* body bytes, -1: any */
    int conc;           /* concurrent programs: requests in flight */
} bench_args;

static BENCH_UNUSED int bench_parse_seq(bench_args *a, int argc, char **argv, const char *prog) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES]\n", argv[0]);
        return 2;
    }
    a->url = argv[1];
    a->n = atol(argv[2]);
    a->warm = argc > 3 ? atol(argv[3]) : 200;
    a->expect = argc > 4 ? atol(argv[4]) : -1;
    a->conc = 1;
    if (a->n < 1 || a->n > 100000000L || a->warm < 1 || a->warm > 100000000L) {
        fprintf(stderr, "%s: N and WARMUP must be in 1..100000000\n", prog);
        return 2;
    }
    return 0;
}

/* usage_tail: what follows [CONC] in the usage line (may be ""). WARMUP is
   raised to CONC, so every connection is open before the measured run. */
static BENCH_UNUSED int bench_parse_multi(bench_args *a, int argc, char **argv, const char *prog,
                                          const char *usage_tail) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC]%s\n", argv[0], usage_tail);
        return 2;
    }
    a->url = argv[1];
    a->n = atol(argv[2]);
    a->warm = argc > 3 ? atol(argv[3]) : 1000;
    a->expect = argc > 4 ? atol(argv[4]) : -1;
    a->conc = argc > 5 ? atoi(argv[5]) : 64;
    if (a->n < 1 || a->n > 100000000L || a->warm < 0 || a->warm > 100000000L || a->conc < 1 || a->conc > 10000) {
        fprintf(stderr, "%s: N in 1..100000000, WARMUP in 0..100000000, CONC in 1..10000\n", prog);
        return 2;
    }
    if (a->warm < a->conc) a->warm = a->conc;
    return 0;
}

/* ---- arguments of the TLS programs: PROG CA_FILE MODE URL A [B] ---- */
enum { BENCH_TLS_BAD, BENCH_TLS_DOWNLOAD, BENCH_TLS_HANDSHAKE, BENCH_TLS_IDLE };

/* download URL BYTES COUNT, handshake URL N WARMUP, idle URL CONNS (the
   caller checks CONNS) */
static BENCH_UNUSED int bench_tls_mode(const char *mode, long a, long b) {
    if (strcmp(mode, "download") == 0 && a > 0 && b >= 1 && b <= 1000) return BENCH_TLS_DOWNLOAD;
    if (strcmp(mode, "handshake") == 0 && a >= 1 && a <= 10000000 && b >= 0 && b <= 1000000) return BENCH_TLS_HANDSHAKE;
    if (strcmp(mode, "idle") == 0) return BENCH_TLS_IDLE;
    return BENCH_TLS_BAD;
}

/* ---- response checks ----
   0 when status is 200 and the body has expect bytes (any when expect < 0);
   else 1 with the reason in why: "WHAT I: ..." */
static BENCH_UNUSED int bench_check(char *why, size_t cap, const char *what, long i, long status,
                                    long long got, long long expect) {
    if (status != 200) {
        snprintf(why, cap, "%s %ld: status %ld", what, i, status);
        return 1;
    }
    if (expect >= 0 && got != expect) {
        snprintf(why, cap, "%s %ld: body %lld bytes, expected %lld", what, i, got, expect);
        return 1;
    }
    return 0;
}

/* ---- RESULT lines (run.sh and tls.sh parse them) ----
   A measured interval: wall and CPU seconds. */
typedef struct bench_timer { double t0, c0, secs, cpu; } bench_timer;

static BENCH_UNUSED void bench_timer_start(bench_timer *t) {
    t->c0 = bench_cpu_s();
    t->t0 = bench_now_s();
}

static BENCH_UNUSED void bench_timer_stop(bench_timer *t) {
    t->secs = bench_now_s() - t->t0;
    t->cpu = bench_cpu_s() - t->c0;
}

/* "RESULT rps=... cpu_us=..." without the newline; the caller adds its fields. */
static BENCH_UNUSED void bench_result_rps(const bench_timer *t, long n) {
    printf("RESULT rps=%.1f cpu_us=%.3f", (double)n / t->secs, t->cpu * 1e6 / (double)n);
}

/* The concurrent programs' line, without the newline. base: live bytes
   before the connections, idle: with CONC connections idle, peak: the highest
   during the measured run, with tasks_peak requests alive. */
static BENCH_UNUSED void bench_result_multi(const bench_timer *t, long n, unsigned long long allocs,
                                           long long base, long long idle, long long peak, int conc,
                                           int tasks_peak) {
    bench_result_rps(t, n);
    printf(" allocs=%.3f mem=%.0f mem_conn=%.0f mem_req=%.0f peak=%lld idle=%lld base=%lld conc=%d n=%ld",
           (double)allocs / (double)n, (double)(idle - base) / conc + (double)(peak - idle) / tasks_peak,
           (double)(idle - base) / conc, (double)(peak - idle) / tasks_peak, peak, idle, base, conc, n);
}

/* TLS download: COUNT bodies of BYTES bytes in t. */
static BENCH_UNUSED void bench_result_download(const bench_timer *t, long long bytes, long count) {
    printf("RESULT mbps=%.1f cpu_s_per_gb=%.4f n=%ld bytes=%lld\n", (double)bytes * (double)count / t->secs / 1e6,
           t->cpu * 1e9 / ((double)bytes * (double)count), count, bytes);
}

/* TLS handshakes: n of them in t. */
static BENCH_UNUSED void bench_result_handshake(const bench_timer *t, long n) {
    printf("RESULT hps=%.1f cpu_us=%.1f n=%ld\n", (double)n / t->secs, t->cpu * 1e6 / (double)n, n);
}

#endif /* BENCH_COMMON_H */

/* ======================================================================== */
#if defined(HTTPX_H_INCLUDED) && !defined(BENCH_COMMON_HTTPX)
#define BENCH_COMMON_HTTPX

/* A response r (NULL: out of memory) with got body bytes checked as by
   bench_check; why: "WHAT I: ..." */
static BENCH_UNUSED int bench_check_httpx(char *why, size_t cap, const char *what, long i, const httpx_response *r,
                                          long long got, long long expect) {
    if (!r) {
        snprintf(why, cap, "%s %ld: out of memory", what, i);
        return 1;
    }
    if (r->error) {
        snprintf(why, cap, "%s %ld: error %d (%s): %s (errno %d)", what, i, (int)r->error,
                 httpx_strerror(r->error), r->error_message, r->sys_errno);
        return 1;
    }
    return bench_check(why, cap, what, i, r->status_code, got, expect);
}

#endif /* BENCH_COMMON_HTTPX */

/* ======================================================================== */
#if defined(CURLINC_CURL_H) && !defined(BENCH_COMMON_CURL)
#define BENCH_COMMON_CURL

/* CURLOPT_WRITEFUNCTION: adds the body bytes to the long long at ud
   (CURLOPT_WRITEDATA) and drops them. */
static BENCH_UNUSED size_t bench_curl_sink(char *p, size_t size, size_t nmemb, void *ud) {
    (void)p;
    *(long long *)ud += (long long)(size * nmemb);
    return size * nmemb;
}

/* libcurl allocating through the counting allocator; 0 on success. */
static BENCH_UNUSED int bench_curl_global_init_counting(void) {
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, bench_malloc, bench_free, bench_realloc, bench_strdup,
                                bench_calloc) != CURLE_OK;
}

/* The plain-HTTP handles' options: no signals, no TCP keep-alive probes, and a
   bound on every transfer, like httpx's default timeouts. */
static BENCH_UNUSED void bench_curl_plain_opts(CURL *h, const char *url) {
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_curl_sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
}

/* The result rc of a transfer on h, with got body bytes, checked as by
   bench_check; why: "WHAT I: ..." */
static BENCH_UNUSED int bench_check_curl(char *why, size_t cap, const char *what, long i, CURL *h, CURLcode rc,
                                         long long got, long long expect) {
    long status = 0;
    if (rc != CURLE_OK) {
        snprintf(why, cap, "%s %ld: %s", what, i, curl_easy_strerror(rc));
        return 1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return bench_check(why, cap, what, i, status, got, expect);
}

#endif /* BENCH_COMMON_CURL */
