/* bench_curl_multi.c - concurrent keep-alive GETs from one thread through one
   libcurl multi handle: the libcurl counterpart of bench_httpx_multi.c.

   usage: bench_curl_multi URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC]

   CONC (default 64) easy handles, each set up once (URL, a write callback that
   only counts the body) and re-added to the multi handle as soon as its
   transfer ends, so CONC transfers are in flight at all times; the multi
   handle's connection cache keeps CONC connections alive
   (CURLMOPT_MAX_HOST_CONNECTIONS = CURLMOPT_MAXCONNECTS = CONC). The loop is
   curl_multi_perform / curl_multi_info_read / curl_multi_poll. WARMUP requests
   (default 1000, at least CONC) are not measured; every response is checked
   (CURLE_OK, status 200, body size). Prints one line in bench_httpx_multi's
   format:

       RESULT rps=... cpu_us=... allocs=... mem=... mem_conn=... mem_req=... peak=...

   allocs and the mem* fields count what libcurl allocates through
   curl_global_init_mem (bench_common.h's size-header wrappers, as in
   bench_httpx_multi.c); they
   are for comparison only. base is measured after curl_multi_init, before
   the easy handles are made, so mem_conn (idle - base) / CONC is a slot's
   easy handle plus its pooled connection, and mem_req what a running transfer
   adds (libcurl allocates its download buffer per transfer). */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include "bench_common.h"

typedef struct slot { CURL *h; long long got; } slot;

typedef struct run {
    CURLM *m;
    slot *slots;
    int conc;
    long expect, total, started, completed;
    int failed;
    char why[300];
} run;

static void start(run *s, slot *sl) {
    CURLMcode mc;
    if (s->failed || s->started >= s->total) return;
    sl->got = 0;
    mc = curl_multi_add_handle(s->m, sl->h);
    if (mc != CURLM_OK) {
        snprintf(s->why, sizeof s->why, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
        s->failed = 1;
        return;
    }
    s->started++;
}

static int drive(run *s, double limit_s) {
    int i, running = 0, q;
    double give_up = bench_now_s() + limit_s;
    CURLMsg *msg;
    s->started = s->completed = 0;
    for (i = 0; i < s->conc; i++) start(s, &s->slots[i]);
    while (s->completed < s->total && !s->failed) {
        CURLMcode mc = curl_multi_perform(s->m, &running);
        if (mc != CURLM_OK) {
            snprintf(s->why, sizeof s->why, "curl_multi_perform: %s", curl_multi_strerror(mc));
            s->failed = 1;
            break;
        }
        while ((msg = curl_multi_info_read(s->m, &q)) != NULL) {
            slot *sl = NULL;
            long k = s->completed;
            if (msg->msg != CURLMSG_DONE) continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&sl);
            s->completed++;
            if (!s->failed)
                s->failed = bench_check_curl(s->why, sizeof s->why, "request", k, sl->h, msg->data.result, sl->got,
                                             s->expect);
            curl_multi_remove_handle(s->m, sl->h);
            start(s, sl);
        }
        if (s->completed >= s->total || s->failed) break;
        if (s->started > s->completed) {
            /* re-added handles make progress on the next perform; no wait then */
            if (running == s->started - s->completed) curl_multi_poll(s->m, NULL, 0, 1000, NULL);
        } else {
            snprintf(s->why, sizeof s->why, "no transfer in flight after %ld of %ld", s->completed, s->total);
            s->failed = 1;
        }
        if (bench_now_s() > give_up && !s->failed) {
            snprintf(s->why, sizeof s->why, "gave up after %.0f s (%ld of %ld done)", limit_s, s->completed, s->total);
            s->failed = 1;
        }
    }
    for (i = 0; i < s->conc; i++) curl_multi_remove_handle(s->m, s->slots[i].h);   /* no-op when not added */
    return s->failed;
}

int main(int argc, char **argv) {
    run s;
    bench_args a;
    int i, conc;
    bench_timer t;
    unsigned long long a0;
    long long base, idle;

    if (bench_parse_multi(&a, argc, argv, "bench_curl_multi", "")) return 2;
    memset(&s, 0, sizeof s);
    s.expect = a.expect;
    s.conc = conc = a.conc;
    if (bench_curl_global_init_counting()) {
        fprintf(stderr, "bench_curl_multi: curl_global_init_mem failed\n");
        return 1;
    }
    s.m = curl_multi_init();
    s.slots = (slot *)calloc((size_t)conc, sizeof *s.slots);
    if (!s.m || !s.slots) {
        fprintf(stderr, "bench_curl_multi: out of memory\n");
        return 1;
    }
    base = bench_live;   /* the easy handles count as per-slot memory */
    curl_multi_setopt(s.m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
    curl_multi_setopt(s.m, CURLMOPT_MAXCONNECTS, (long)conc);
    for (i = 0; i < conc; i++) {
        CURL *h = curl_easy_init();
        if (!h) {
            fprintf(stderr, "bench_curl_multi: curl_easy_init failed\n");
            return 1;
        }
        s.slots[i].h = h;
        bench_curl_plain_opts(h, a.url);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &s.slots[i].got);
        curl_easy_setopt(h, CURLOPT_PRIVATE, (char *)&s.slots[i]);
    }

    s.total = a.warm;
    if (drive(&s, 120)) {
        fprintf(stderr, "bench_curl_multi: warm-up: %s\n", s.why);
        return 1;
    }
    idle = bench_live;

    s.total = a.n;
    bench_peak = bench_live;
    a0 = bench_n_malloc + bench_n_realloc;
    bench_timer_start(&t);
    if (drive(&s, 60 + (double)a.n / 500)) {
        fprintf(stderr, "bench_curl_multi: %s\n", s.why);
        return 1;
    }
    bench_timer_stop(&t);

    bench_result_multi(&t, a.n, bench_n_malloc + bench_n_realloc - a0, base, idle, bench_peak, conc, conc);
    printf("\n");
    for (i = 0; i < conc; i++) curl_easy_cleanup(s.slots[i].h);
    curl_multi_cleanup(s.m);
    free(s.slots);
    curl_global_cleanup();
    return 0;
}
