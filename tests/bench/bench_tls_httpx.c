/* bench_tls_httpx.c - httpx.h over https (BearSSL): bulk download, full
   handshakes per second, memory per idle TLS connection.

   usage: bench_tls_httpx CA_FILE download  URL BYTES COUNT
          bench_tls_httpx CA_FILE handshake URL N WARMUP
          bench_tls_httpx CA_FILE idle      URL CONNS

   Build: cc -O2 -DHTTPX_BEARSSL -I. bench_tls_httpx.c -lbearssl. Every client
   trusts CA_FILE (tls.ca_file) and nothing else.

   download   one client; a HEAD of URL opens the connection (handshake
              outside the timing), then COUNT GETs of URL on that connection,
              the body streamed to an on_data callback that counts and drops
              it (as libcurl's write callback does), each checked (status 200,
              BYTES bytes). Prints
                RESULT mbps=<MB/s, 10^6 bytes> cpu_s_per_gb=<client user+sys s per 10^9 bytes>
   handshake  one client, every request sent with "Connection: close": the
              server answers and closes, so each request opens a new TCP
              connection and does a full TLS handshake (the server has no
              session cache and no tickets, so the session ID the client
              offers is never resumed). The CA file is read once per client,
              as a program that keeps its client would. Prints
                RESULT hps=<handshakes (requests) per second> cpu_us=<client µs per handshake>
   idle       one client with limits max_connections = max_keepalive = CONNS;
              one request first (TLS configuration loaded, one connection);
              live bytes L1; then CONNS requests in flight at once (tasks), so
              CONNS connections open and go idle in the pool; live bytes LN.
              Counted by HTTPX_MALLOC/REALLOC/FREE wrappers with a size header
              (exact requested bytes). Prints
                RESULT idle_conn_bytes=<(LN - L1) / (CONNS - 1)> live1= liveN=
   Exit status 1 with the error text when a request fails. */
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

typedef union hdr { size_t n; long double ld; void *p; long long ll; } hdr;
static long long live;

static void *bench_malloc(size_t n) {
    hdr *h = (hdr *)malloc(sizeof(hdr) + n);
    if (!h) return NULL;
    h->n = n;
    live += (long long)n;
    return h + 1;
}
static void *bench_realloc(void *p, size_t n) {
    hdr *h;
    size_t old;
    if (!p) return bench_malloc(n);
    h = (hdr *)p - 1;
    old = h->n;
    h = (hdr *)realloc(h, sizeof(hdr) + n);
    if (!h) return NULL;
    h->n = n;
    live += (long long)n - (long long)old;
    return h + 1;
}
static void bench_free(void *p) {
    hdr *h;
    if (!p) return;
    h = (hdr *)p - 1;
    live -= (long long)h->n;
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

/* 0 when r is a 200 (with body_len bytes when body_len >= 0), else prints why. */
static int check(httpx_response *r, const char *what, long i, long long body_len, long long got) {
    if (!r) { fprintf(stderr, "bench_tls_httpx: %s %ld: out of memory\n", what, i); return 1; }
    if (r->error) {
        fprintf(stderr, "bench_tls_httpx: %s %ld: %s: %s\n", what, i, httpx_strerror(r->error), r->error_message);
        return 1;
    }
    if (r->status_code != 200) { fprintf(stderr, "bench_tls_httpx: %s %ld: status %d\n", what, i, r->status_code); return 1; }
    if (body_len >= 0 && got != body_len) {
        fprintf(stderr, "bench_tls_httpx: %s %ld: %lld body bytes, expected %lld\n", what, i, got, body_len);
        return 1;
    }
    return 0;
}

static int drop(void *ud, httpx_response *r, const char *data, size_t len) {
    (void)r; (void)data;
    *(long long *)ud += (long long)len;
    return 0;
}

static int download(httpx_client *c, const char *url, long long bytes, long count) {
    long i;
    double t0, c0, t, cpu;
    httpx_response *r = httpx_client_head(c, url, NULL);
    if (check(r, "HEAD", 0, -1, 0)) { httpx_response_free(r); return 1; }
    httpx_response_free(r);
    t0 = now_s();
    c0 = cpu_s();
    for (i = 0; i < count; i++) {
        long long got = 0;
        httpx_opts o;
        memset(&o, 0, sizeof o);
        o.on_data = drop;
        o.user_data = &got;
        o.timeout.read = 60;
        r = httpx_client_get(c, url, &o);
        if (check(r, "download", i, bytes, got)) { httpx_response_free(r); return 1; }
        httpx_response_free(r);
    }
    cpu = cpu_s() - c0;
    t = now_s() - t0;
    printf("RESULT mbps=%.1f cpu_s_per_gb=%.4f n=%ld bytes=%lld\n", (double)bytes * (double)count / t / 1e6,
           cpu * 1e9 / ((double)bytes * (double)count), count, bytes);
    return 0;
}

static int handshakes(httpx_client *c, const char *url, long n, long warm) {
    static const httpx_pair close_hdr[] = { { "Connection", "close" }, { NULL, NULL } };
    httpx_opts o;
    long i;
    double t0 = 0, c0 = 0, t, cpu;
    memset(&o, 0, sizeof o);
    o.headers = close_hdr;
    for (i = 0; i < warm + n; i++) {
        httpx_response *r;
        if (i == warm) { t0 = now_s(); c0 = cpu_s(); }
        r = httpx_client_get(c, url, &o);
        if (check(r, "handshake", i, -1, 0)) { httpx_response_free(r); return 1; }
        httpx_response_free(r);
    }
    cpu = cpu_s() - c0;
    t = now_s() - t0;
    printf("RESULT hps=%.1f cpu_us=%.1f n=%ld\n", (double)n / t, cpu * 1e6 / (double)n, n);
    return 0;
}

static int idle(httpx_client *c, const char *url, int conns) {
    httpx_task **tasks = (httpx_task **)calloc((size_t)conns, sizeof *tasks);
    long long live1, liveN;
    int i, bad = 0;
    httpx_response *r = httpx_client_get(c, url, NULL);
    if (!tasks || check(r, "idle", 0, -1, 0)) { httpx_response_free(r); free(tasks); return 1; }
    httpx_response_free(r);
    live1 = live;
    for (i = 0; i < conns; i++)
        if (!(tasks[i] = httpx_client_start(c, "GET", url, NULL))) { bad = 1; break; }
    if (!bad) httpx_gather(c, tasks, (size_t)conns);
    for (i = 0; i < conns && tasks[i]; i++) {
        if (!bad && check(httpx_task_response(tasks[i]), "idle task", i, -1, 0)) bad = 1;
        httpx_task_free(tasks[i]);
    }
    free(tasks);
    if (bad) return 1;
    liveN = live;
    printf("RESULT idle_conn_bytes=%.0f live1=%lld liveN=%lld conns=%d\n",
           (double)(liveN - live1) / (double)(conns - 1), live1, liveN, conns);
    return 0;
}

int main(int argc, char **argv) {
    httpx_client_opts co;
    httpx_client *c;
    const char *mode;
    long a, b;
    int rc;
    if (argc < 5) {
        fprintf(stderr, "usage: %s CA_FILE download URL BYTES COUNT | handshake URL N WARMUP | idle URL CONNS\n", argv[0]);
        return 2;
    }
    mode = argv[2];
    a = atol(argv[4]);
    b = argc > 5 ? atol(argv[5]) : 0;
    memset(&co, 0, sizeof co);
    co.tls.ca_file = argv[1];
    if (strcmp(mode, "idle") == 0) {
        if (a < 2 || a > 1000) { fprintf(stderr, "bench_tls_httpx: CONNS must be 2..1000\n"); return 2; }
        co.limits.max_connections = (int)a;
        co.limits.max_keepalive_connections = (int)a;
        co.limits.keepalive_expiry = 60;
    }
    if (!(c = httpx_client_new(&co))) { fprintf(stderr, "bench_tls_httpx: httpx_client_new failed\n"); return 1; }
    if (strcmp(mode, "download") == 0 && a > 0 && b >= 1 && b <= 1000)
        rc = download(c, argv[3], a, b);
    else if (strcmp(mode, "handshake") == 0 && a >= 1 && a <= 10000000 && b >= 0 && b <= 1000000)
        rc = handshakes(c, argv[3], a, b);
    else if (strcmp(mode, "idle") == 0)
        rc = idle(c, argv[3], (int)a);
    else {
        fprintf(stderr, "bench_tls_httpx: bad arguments\n");
        rc = 2;
    }
    httpx_client_free(c);
    return rc;
}
