/* bench_h2_httpx.c - HTTP/2 through httpx.h: many small GETs multiplexed on
   one connection, or one large download on one stream.

   usage: bench_h2_httpx multi    URL N CONC [CA_FILE]
          bench_h2_httpx download URL BYTES [CA_FILE]

   https URLs offer h2 by ALPN (.http2) and trust CA_FILE; http URLs speak
   h2c with prior knowledge. The program fails when the response is not
   HTTP/2, so a server that falls back to HTTP/1.1 cannot pass for one.

   multi: one client, one connection; CONC tasks in flight at all times (a
   finished one is replaced from its on_done), 1000 unmeasured requests
   first (they open the connection and warm the allocator), then N measured.
       RESULT rps=... cpu_us=... allocs=... mem_conn=... mem_req=...
   mem_conn: live bytes of the idle HTTP/2 connection (after the warm-up,
   minus the client before any request); mem_req: (peak live bytes during
   the run - idle) / (CONC + 1) tasks alive at the peak: what one stream in
   flight costs, its task and response included.

   download: one GET of BYTES bytes, dropped by an on_data callback.
       RESULT mbps=... cpu_s_per_gb=...  (10^6 and 10^9 bytes) */
#define _POSIX_C_SOURCE 200809L
#include "bench_common.h"   /* first: HTTPX_MALLOC/REALLOC/FREE = its counting allocator */
#define HTTPX_IMPLEMENTATION
#include "httpx.h"
#include "bench_common.h"

typedef struct run {
    httpx_client *c;
    const char *url;
    long total, started, completed;
    int failed;
    char why[300];
} run;

static void start_one(run *s);

static void on_done(void *ud, httpx_task *t, httpx_response *r) {
    run *s = (run *)ud;
    (void)t;
    if (!s->failed) {
        s->failed = bench_check_httpx(s->why, sizeof s->why, "request", s->completed, r, (long long)r->content_length, -1);
        if (!s->failed && strcmp(r->http_version, "HTTP/2") != 0) {
            snprintf(s->why, sizeof s->why, "request %ld: %s, not HTTP/2", s->completed, r->http_version);
            s->failed = 1;
        }
    }
    s->completed++;
    start_one(s);
}

static void start_one(run *s) {
    httpx_opts o;
    if (s->failed || s->started >= s->total) return;
    memset(&o, 0, sizeof o);
    o.on_done = on_done;
    o.user_data = s;
    if (!httpx_client_start(s->c, "GET", s->url, &o)) {
        snprintf(s->why, sizeof s->why, "httpx_client_start: out of memory");
        s->failed = 1;
        return;
    }
    s->started++;
}

static int drive(run *s, long total, int conc) {
    int i;
    double give_up = bench_now_s() + 300;
    s->total = total;
    s->started = s->completed = 0;
    for (i = 0; i < conc; i++) start_one(s);
    while (s->completed < s->total && !s->failed) {
        httpx_client_poll(s->c, -1);
        if (bench_now_s() > give_up) {
            snprintf(s->why, sizeof s->why, "gave up after 300 s (%ld of %ld done)", s->completed, s->total);
            s->failed = 1;
        }
    }
    for (i = 0; i < 1000 && s->started > s->completed; i++) httpx_client_poll(s->c, 100);
    return s->failed;
}

static httpx_client *client(const char *ca) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    o.http2 = true;
    o.http2_prior_knowledge = true;     /* only http:// URLs use it */
    o.tls.ca_file = ca;
    o.timeout.read = 30;
    return httpx_client_new(&o);
}

static int multi(const char *url, long n, int conc, const char *ca) {
    run s;
    bench_timer t;
    unsigned long long m0;
    long long base, idle;
    memset(&s, 0, sizeof s);
    s.url = url;
    s.c = client(ca);
    if (!s.c) return 1;
    base = bench_live;
    if (drive(&s, 1000, conc)) { fprintf(stderr, "bench_h2_httpx: warm-up: %s\n", s.why); return 1; }
    idle = bench_live;
    bench_peak = bench_live;
    m0 = bench_n_malloc + bench_n_realloc;
    bench_timer_start(&t);
    if (drive(&s, n, conc)) { fprintf(stderr, "bench_h2_httpx: %s\n", s.why); return 1; }
    bench_timer_stop(&t);
    if (s.c->num_conns != 1) { fprintf(stderr, "bench_h2_httpx: %d connections, not one\n", s.c->num_conns); return 1; }
    bench_result_rps(&t, n);
    printf(" allocs=%.3f mem_conn=%lld mem_req=%.0f conc=%d n=%ld\n",
           (double)(bench_n_malloc + bench_n_realloc - m0) / (double)n, idle - base,
           (double)(bench_peak - idle) / (conc + 1), conc, n);
    httpx_client_free(s.c);
    return 0;
}

static int sink(void *ud, httpx_response *r, const char *data, size_t len) {
    (void)r; (void)data;
    *(long long *)ud += (long long)len;
    return 0;
}

static int download(const char *url, long long bytes, const char *ca) {
    httpx_client *c = client(ca);
    httpx_response *r;
    long long got = 0;
    bench_timer t;
    httpx_opts o;
    char why[300];
    if (!c) return 1;
    memset(&o, 0, sizeof o);
    o.on_data = sink;
    o.user_data = &got;
    bench_timer_start(&t);
    r = httpx_client_get(c, url, &o);
    bench_timer_stop(&t);
    if (bench_check_httpx(why, sizeof why, "download", 0, r, got, bytes) || strcmp(r->http_version, "HTTP/2") != 0) {
        fprintf(stderr, "bench_h2_httpx: %s (%s)\n", why, r ? r->http_version : "");
        return 1;
    }
    bench_result_download(&t, bytes, 1);
    httpx_response_free(r);
    httpx_client_free(c);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 5 && !strcmp(argv[1], "multi"))
        return multi(argv[2], atol(argv[3]), atoi(argv[4]), argc > 5 ? argv[5] : NULL);
    if (argc >= 4 && !strcmp(argv[1], "download"))
        return download(argv[2], atoll(argv[3]), argc > 4 ? argv[4] : NULL);
    fprintf(stderr, "usage: %s multi URL N CONC [CA_FILE] | download URL BYTES [CA_FILE]\n", argv[0]);
    return 2;
}
