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
              (bench_common.h: exact requested bytes). Prints
                RESULT idle_conn_bytes=<(LN - L1) / (CONNS - 1)> live1= liveN=
   Exit status 1 with the error text when a request fails. */
#define _POSIX_C_SOURCE 200809L
#include "bench_common.h"   /* first: HTTPX_MALLOC/REALLOC/FREE = its counting allocator */
#define HTTPX_IMPLEMENTATION
#include "httpx.h"
#include "bench_common.h"   /* again: its httpx part */

/* 0 when r is a 200 (with body_len bytes when body_len >= 0), else prints why. */
static int check(httpx_response *r, const char *what, long i, long long body_len, long long got) {
    char why[300];
    if (!bench_check_httpx(why, sizeof why, what, i, r, got, body_len)) return 0;
    fprintf(stderr, "bench_tls_httpx: %s\n", why);
    return 1;
}

static int drop(void *ud, httpx_response *r, const char *data, size_t len) {
    (void)r; (void)data;
    *(long long *)ud += (long long)len;
    return 0;
}

static int download(httpx_client *c, const char *url, long long bytes, long count) {
    long i;
    bench_timer t;
    httpx_response *r = httpx_client_head(c, url, NULL);
    if (check(r, "HEAD", 0, -1, 0)) { httpx_response_free(r); return 1; }
    httpx_response_free(r);
    bench_timer_start(&t);
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
    bench_timer_stop(&t);
    bench_result_download(&t, bytes, count);
    return 0;
}

static int handshakes(httpx_client *c, const char *url, long n, long warm) {
    static const httpx_pair close_hdr[] = { { "Connection", "close" }, { NULL, NULL } };
    httpx_opts o;
    long i;
    bench_timer t = { 0, 0, 0, 0 };
    memset(&o, 0, sizeof o);
    o.headers = close_hdr;
    for (i = 0; i < warm + n; i++) {
        httpx_response *r;
        if (i == warm) bench_timer_start(&t);
        r = httpx_client_get(c, url, &o);
        if (check(r, "handshake", i, -1, 0)) { httpx_response_free(r); return 1; }
        httpx_response_free(r);
    }
    bench_timer_stop(&t);
    bench_result_handshake(&t, n);
    return 0;
}

/* Streams hold their connection until freed, so CONNS of them open CONNS
   connections for sure (tasks would not: on one core the first task can be
   done, its connection back in the pool, before the next one starts). Freeing
   a stream whose small rest is drained puts its connection in the pool. */
static int idle(httpx_client *c, const char *url, int conns) {
    httpx_response **streams = (httpx_response **)calloc((size_t)conns, sizeof *streams);
    long long live1, liveN;
    int i, bad = 0;
    httpx_response *r = httpx_client_get(c, url, NULL);
    if (!streams || check(r, "idle", 0, -1, 0)) { httpx_response_free(r); free(streams); return 1; }
    httpx_response_free(r);
    live1 = bench_live;
    for (i = 0; i < conns && !bad; i++) {
        streams[i] = httpx_client_stream(c, "GET", url, NULL);
        if (!streams[i] || streams[i]->error || streams[i]->status_code != 200) {
            fprintf(stderr, "idle stream %d: %s\n", i, streams[i] ? streams[i]->error_message : "out of memory");
            bad = 1;
        }
    }
    for (i = 0; i < conns; i++) httpx_response_free(streams[i]);
    free(streams);
    if (bad) return 1;
    liveN = bench_live;
    printf("RESULT idle_conn_bytes=%.0f live1=%lld liveN=%lld conns=%d\n",
           (double)(liveN - live1) / (double)(conns - 1), live1, liveN, conns);
    return 0;
}

int main(int argc, char **argv) {
    httpx_client_opts co;
    httpx_client *c;
    const char *mode;
    long a, b;
    int rc, m;
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
    m = bench_tls_mode(mode, a, b);
    if (m == BENCH_TLS_DOWNLOAD)
        rc = download(c, argv[3], a, b);
    else if (m == BENCH_TLS_HANDSHAKE)
        rc = handshakes(c, argv[3], a, b);
    else if (m == BENCH_TLS_IDLE)
        rc = idle(c, argv[3], (int)a);
    else {
        fprintf(stderr, "bench_tls_httpx: bad arguments\n");
        rc = 2;
    }
    httpx_client_free(c);
    return rc;
}
