/* bench_h2_curl.c - the libcurl side of tests/bench/h2.sh: HTTP/2 over TLS
   through the multi interface with CURLPIPE_MULTIPLEX (one connection), or
   one large download.

   usage: bench_h2_curl multi    URL N CONC CA_FILE
          bench_h2_curl download URL BYTES CA_FILE

   multi: CONC transfers in flight at all times, 1000 unmeasured first, then
   N measured; a finished easy handle is reset and added again. Fails when a
   response is not HTTP/2 or a second connection was opened.
       RESULT rps=... cpu_us=...
   download: RESULT mbps=... cpu_s_per_gb=...

   (Debian's libcurl 7.88 cannot reuse an h2c prior-knowledge connection,
   so it is compared over TLS only.) */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include "bench_common.h"

typedef struct run {
    CURLM *m;
    const char *url, *ca;
    long total, started, completed, conns;
    long long got;
    int failed;
    char why[300];
} run;

static void setup(run *s, CURL *h) {
    curl_easy_reset(h);
    bench_curl_plain_opts(h, s->url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s->got);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(h, CURLOPT_CAINFO, s->ca);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
}

static int drive(run *s, long total, int conc, CURL **hs) {
    int i, running;
    s->total = total;
    s->started = s->completed = 0;
    for (i = 0; i < conc && s->started < total; i++, s->started++) {
        setup(s, hs[i]);
        curl_multi_add_handle(s->m, hs[i]);
    }
    while (s->completed < s->total && !s->failed) {
        CURLMsg *msg;
        int q;
        curl_multi_perform(s->m, &running);
        while ((msg = curl_multi_info_read(s->m, &q)) != NULL) {
            CURL *h = msg->easy_handle;
            long ver = 0, n = 0;
            if (msg->msg != CURLMSG_DONE) continue;
            if (!s->failed) s->failed = bench_check_curl(s->why, sizeof s->why, "request", s->completed, h, msg->data.result, 0, -1);
            curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &ver);
            curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n);
            s->conns += n;
            if (!s->failed && ver != CURL_HTTP_VERSION_2_0) {
                snprintf(s->why, sizeof s->why, "request %ld: not HTTP/2", s->completed);
                s->failed = 1;
            }
            s->completed++;
            curl_multi_remove_handle(s->m, h);
            if (s->started < s->total) {
                setup(s, h);
                curl_multi_add_handle(s->m, h);
                s->started++;
            }
        }
        if (s->completed < s->total) curl_multi_poll(s->m, NULL, 0, 1000, NULL);
    }
    return s->failed;
}

static int multi(const char *url, long n, int conc, const char *ca) {
    run s;
    bench_timer t;
    CURL **hs = (CURL **)calloc((size_t)conc, sizeof *hs);
    int i;
    memset(&s, 0, sizeof s);
    s.url = url;
    s.ca = ca;
    s.m = curl_multi_init();
    curl_multi_setopt(s.m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(s.m, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    curl_multi_setopt(s.m, CURLMOPT_MAX_CONCURRENT_STREAMS, (long)conc);
    for (i = 0; i < conc; i++) hs[i] = curl_easy_init();
    if (drive(&s, 1000, conc, hs)) { fprintf(stderr, "bench_h2_curl: warm-up: %s\n", s.why); return 1; }
    s.conns = 0;
    bench_timer_start(&t);
    if (drive(&s, n, conc, hs)) { fprintf(stderr, "bench_h2_curl: %s\n", s.why); return 1; }
    bench_timer_stop(&t);
    if (s.conns != 0) { fprintf(stderr, "bench_h2_curl: %ld new connections in the measured run\n", s.conns); return 1; }
    bench_result_rps(&t, n);
    printf(" conc=%d n=%ld\n", conc, n);
    for (i = 0; i < conc; i++) curl_easy_cleanup(hs[i]);
    curl_multi_cleanup(s.m);
    free(hs);
    return 0;
}

static int download(const char *url, long long bytes, const char *ca) {
    run s;
    bench_timer t;
    CURL *h = curl_easy_init();
    CURLcode rc;
    long ver = 0;
    memset(&s, 0, sizeof s);
    s.url = url;
    s.ca = ca;
    setup(&s, h);
    bench_timer_start(&t);
    rc = curl_easy_perform(h);
    bench_timer_stop(&t);
    curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &ver);
    if (bench_check_curl(s.why, sizeof s.why, "download", 0, h, rc, s.got, bytes) || ver != CURL_HTTP_VERSION_2_0) {
        fprintf(stderr, "bench_h2_curl: %s\n", ver != CURL_HTTP_VERSION_2_0 ? "not HTTP/2" : s.why);
        return 1;
    }
    bench_result_download(&t, bytes, 1);
    curl_easy_cleanup(h);
    return 0;
}

int main(int argc, char **argv) {
    int rc = 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (argc >= 6 && !strcmp(argv[1], "multi")) rc = multi(argv[2], atol(argv[3]), atoi(argv[4]), argv[5]);
    else if (argc >= 5 && !strcmp(argv[1], "download")) rc = download(argv[2], atoll(argv[3]), argv[4]);
    else fprintf(stderr, "usage: %s multi URL N CONC CA_FILE | download URL BYTES CA_FILE\n", argv[0]);
    curl_global_cleanup();
    return rc;
}
