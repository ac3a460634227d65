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
   a size header (bench_common.h), so the live byte count is exact (requested sizes, without
   malloc's own overhead):
     base  live bytes of the client before any request
     idle  live bytes after the warm-up: CONC connections idle in the pool
     peak  the highest live count during the measured run (CONC in flight)
   mem_conn = (idle - base) / CONC, mem_req = (peak - idle) / tasks at the
   peak (CONC, or CONC+1 in MODE done), mem = mem_conn + mem_req.
   Exit status 1 (with the error text) when a request fails. */
#define _POSIX_C_SOURCE 200809L
#include "bench_common.h"   /* first: HTTPX_MALLOC/REALLOC/FREE = its counting allocator */
#define HTTPX_IMPLEMENTATION
#include "httpx.h"
#include "bench_common.h"   /* again: its httpx part */

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
    if (!s->failed)
        s->failed = bench_check_httpx(s->why, sizeof s->why, "request", i, r, (long long)r->content_length, s->expect);
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
    double give_up = bench_now_s() + limit_s;
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
        if (bench_now_s() > give_up && !s->failed) {
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
    bench_args a;
    bench_timer t;
    unsigned long long m0, r0;
    long long base, idle;

    if (bench_parse_multi(&a, argc, argv, "bench_httpx_multi", " [poll|done]")) return 2;
    memset(&s, 0, sizeof s);
    s.url = a.url;
    s.expect = a.expect;
    s.in_done = !(argc > 6 && strcmp(argv[6], "poll") == 0);
    if (argc > 6 && s.in_done && strcmp(argv[6], "done") != 0) {
        fprintf(stderr, "bench_httpx_multi: MODE must be poll or done\n");
        return 2;
    }

    memset(&co, 0, sizeof co);
    co.limits.max_connections = a.conc;
    co.limits.max_keepalive_connections = a.conc;
    co.limits.keepalive_expiry = 60;
    s.c = httpx_client_new(&co);
    if (!s.c) {
        fprintf(stderr, "bench_httpx_multi: httpx_client_new failed\n");
        return 1;
    }
    base = bench_live;

    s.total = a.warm;
    if (drive(&s, a.conc, 120)) {
        fprintf(stderr, "bench_httpx_multi: warm-up: %s\n", s.why);
        httpx_client_free(s.c);
        return 1;
    }
    idle = bench_live;

    s.total = a.n;
    bench_peak = bench_live;
    m0 = bench_n_malloc; r0 = bench_n_realloc;
    bench_timer_start(&t);
    if (drive(&s, a.conc, 60 + (double)a.n / 500)) {
        fprintf(stderr, "bench_httpx_multi: %s\n", s.why);
        httpx_client_free(s.c);
        return 1;
    }
    bench_timer_stop(&t);

    /* in MODE done, CONC+1 tasks are alive at the peak */
    bench_result_multi(&t, a.n, (bench_n_malloc - m0) + (bench_n_realloc - r0), base, idle, bench_peak, a.conc,
                       a.conc + (s.in_done ? 1 : 0));
    printf(" mode=%s\n", s.in_done ? "done" : "poll");
    httpx_client_free(s.c);
    if (bench_live != 0)
        fprintf(stderr, "bench_httpx_multi: note: %lld bytes still live after httpx_client_free\n", bench_live);
    return 0;
}
