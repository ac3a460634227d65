/* bench_httpx_multi.c - concurrent keep-alive GETs from one thread through one
   httpx_client and its nonblocking face (httpx_client_start/httpx_client_poll).

   usage: bench_httpx_multi URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC] [MODE]

   One client with limits.max_connections = max_keepalive_connections = CONC
   (default 64). WARMUP requests (default 1000, at least CONC) open the CONC
   connections and are not measured; then N measured requests, CONC of them
   in flight at all times, each checked in its on_done callback (no error,
   status 200, body size). MODE says when a finished request is replaced:
     done  (default) from inside its on_done callback, the natural way to
           keep a pipeline full. The finished task is freed only when on_done
           returns, so CONC+1 tasks are alive for a moment: the memory peak
           holds CONC+1 tasks;
     poll  after httpx_client_poll returns, for each task that ended in it
           (exactly CONC tasks alive at the peak; slower with glibc malloc,
           whose heap top is trimmed and regrown when a whole batch of tasks
           is freed before new ones are allocated).
   Prints one line:

       RESULT rps=<requests/s> cpu_us=<user+sys µs per request>
              allocs=<HTTPX_MALLOC+HTTPX_REALLOC calls per request>
              mem=<bytes per in-flight request, connection included>
              mem_conn=<bytes per pooled connection> mem_req=<bytes per task>
              peak=<live bytes at the peak> ...

   Memory is counted by HTTPX_MALLOC/HTTPX_REALLOC/HTTPX_FREE wrappers that keep
   a size header, so the live byte count is exact (requested sizes, without
   malloc's own overhead):
     base  live bytes of the client before any request
     idle  live bytes after the warm-up: CONC connections idle in the pool
     peak  the highest live count during the measured run (CONC in flight)
   mem_conn = (idle - base) / CONC, mem_req = (peak - idle) / tasks at the
   peak (CONC, or CONC+1 in MODE done), mem = mem_conn + mem_req.
   Exit status 1 (with the error text) when a request fails. */
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

/* ---- counting allocator with a size header ---- */
typedef union hdr { size_t n; long double ld; void *p; long long ll; } hdr;

static unsigned long long n_malloc, n_realloc, n_free;
static long long live, peak;

static void note(long long d) {
    live += d;
    if (live > peak) peak = live;
}
static void *bench_malloc(size_t n) {
    hdr *h = (hdr *)malloc(sizeof(hdr) + n);
    n_malloc++;
    if (!h) return NULL;
    h->n = n;
    note((long long)n);
    return h + 1;
}
static void *bench_realloc(void *p, size_t n) {
    hdr *h;
    size_t old;
    if (!p) return bench_malloc(n);
    n_realloc++;
    h = (hdr *)p - 1;
    old = h->n;
    h = (hdr *)realloc(h, sizeof(hdr) + n);
    if (!h) return NULL;
    h->n = n;
    note((long long)n - (long long)old);
    return h + 1;
}
static void bench_free(void *p) {
    hdr *h;
    if (!p) return;
    n_free++;
    h = (hdr *)p - 1;
    note(-(long long)h->n);
    free(h);
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

/* ---- the run ---- */
typedef struct run {
    httpx_client *c;
    const char *url;
    long expect;        /* body bytes, -1: any */
    long total;         /* requests of this phase */
    long started, completed;
    long pending;       /* finished, not yet replaced (MODE poll) */
    int in_done;        /* 1: MODE done */
    int failed;
    char why[300];
} run;

static int start_one(run *s);

static void on_done(void *ud, httpx_task *t, httpx_response *r) {
    run *s = (run *)ud;
    long i = s->completed;
    (void)t;
    s->completed++;
    if (!s->failed) {
        if (r->error) {
            snprintf(s->why, sizeof s->why, "request %ld: error %d (%s): %s (errno %d)", i, (int)r->error,
                     httpx_strerror(r->error), r->error_message, r->sys_errno);
            s->failed = 1;
        } else if (r->status_code != 200) {
            snprintf(s->why, sizeof s->why, "request %ld: status %d", i, r->status_code);
            s->failed = 1;
        } else if (s->expect >= 0 && (long)r->content_length != s->expect) {
            snprintf(s->why, sizeof s->why, "request %ld: body %lu bytes, expected %ld", i,
                     (unsigned long)r->content_length, s->expect);
            s->failed = 1;
        }
    }
    if (s->in_done) start_one(s);
    else s->pending++;
}

static int start_one(run *s) {
    httpx_opts o;
    if (s->failed || s->started >= s->total) return 0;
    memset(&o, 0, sizeof o);
    o.on_done = on_done;
    o.user_data = s;
    if (!httpx_client_start(s->c, "GET", s->url, &o)) {
        snprintf(s->why, sizeof s->why, "httpx_client_start returned NULL (out of memory)");
        s->failed = 1;
        return 0;
    }
    s->started++;
    return 1;
}

/* Runs s->total requests with conc in flight; 0 on success. */
static int drive(run *s, int conc, double limit_s) {
    int i, left;
    double give_up = now_s() + limit_s;
    s->started = s->completed = s->pending = 0;
    for (i = 0; i < conc; i++) start_one(s);
    while (s->completed < s->total && !s->failed) {
        left = httpx_client_poll(s->c, -1);
        while (s->pending > 0) {
            s->pending--;
            start_one(s);
        }
        if (left == 0 && s->started == s->completed && s->completed < s->total && !s->failed) {
            snprintf(s->why, sizeof s->why, "no task in flight after %ld of %ld requests", s->completed, s->total);
            s->failed = 1;
        }
        if (now_s() > give_up && !s->failed) {
            snprintf(s->why, sizeof s->why, "gave up after %.0f s (%ld of %ld done)", limit_s, s->completed, s->total);
            s->failed = 1;
        }
    }
    /* let what is still in flight end (bounded: every task has a timeout) */
    for (i = 0; i < 1000 && s->started > s->completed; i++) httpx_client_poll(s->c, 100);
    return s->failed;
}

int main(int argc, char **argv) {
    httpx_client_opts co;
    run s;
    long n, warm;
    int conc;
    double t0, t1, c0, c1;
    unsigned long long m0, r0;
    long long base, idle;
    int tasks_peak;

    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC] [poll|done]\n", argv[0]);
        return 2;
    }
    memset(&s, 0, sizeof s);
    s.url = argv[1];
    n = atol(argv[2]);
    warm = argc > 3 ? atol(argv[3]) : 1000;
    s.expect = argc > 4 ? atol(argv[4]) : -1;
    conc = argc > 5 ? atoi(argv[5]) : 64;
    s.in_done = !(argc > 6 && strcmp(argv[6], "poll") == 0);
    if (argc > 6 && s.in_done && strcmp(argv[6], "done") != 0) {
        fprintf(stderr, "bench_httpx_multi: MODE must be poll or done\n");
        return 2;
    }
    if (n < 1 || n > 100000000L || warm < 0 || warm > 100000000L || conc < 1 || conc > 10000) {
        fprintf(stderr, "bench_httpx_multi: N in 1..100000000, WARMUP in 0..100000000, CONC in 1..10000\n");
        return 2;
    }
    if (warm < conc) warm = conc;   /* open every connection before measuring */

    memset(&co, 0, sizeof co);
    co.limits.max_connections = conc;
    co.limits.max_keepalive_connections = conc;
    co.limits.keepalive_expiry = 60;
    s.c = httpx_client_new(&co);
    if (!s.c) {
        fprintf(stderr, "bench_httpx_multi: httpx_client_new failed\n");
        return 1;
    }
    base = live;

    s.total = warm;
    if (drive(&s, conc, 120)) {
        fprintf(stderr, "bench_httpx_multi: warm-up: %s\n", s.why);
        httpx_client_free(s.c);
        return 1;
    }
    idle = live;

    s.total = n;
    peak = live;
    m0 = n_malloc; r0 = n_realloc;
    c0 = cpu_s();
    t0 = now_s();
    if (drive(&s, conc, 60 + (double)n / 500)) {
        fprintf(stderr, "bench_httpx_multi: %s\n", s.why);
        httpx_client_free(s.c);
        return 1;
    }
    t1 = now_s();
    c1 = cpu_s();

    tasks_peak = conc + (s.in_done ? 1 : 0);
    printf("RESULT rps=%.1f cpu_us=%.3f allocs=%.3f mem=%.0f mem_conn=%.0f mem_req=%.0f"
           " peak=%lld idle=%lld base=%lld conc=%d n=%ld mode=%s\n",
           (double)n / (t1 - t0), (c1 - c0) * 1e6 / (double)n,
           (double)((n_malloc - m0) + (n_realloc - r0)) / (double)n,
           (double)(idle - base) / conc + (double)(peak - idle) / tasks_peak,
           (double)(idle - base) / conc, (double)(peak - idle) / tasks_peak,
           peak, idle, base, conc, n, s.in_done ? "done" : "poll");
    httpx_client_free(s.c);
    if (live != 0) fprintf(stderr, "bench_httpx_multi: note: %lld bytes still live after httpx_client_free\n", live);
    return 0;
}
