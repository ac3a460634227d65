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
   curl_global_init_mem (size-header wrappers, as in bench_httpx_multi.c); they
   are for comparison only. base is measured after curl_multi_init, before
   the easy handles are made, so mem_conn (idle - base) / CONC is a slot's
   easy handle plus its pooled connection, and mem_req what a running transfer
   adds (libcurl allocates its download buffer per transfer). */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

typedef union hdr { size_t n; long double ld; void *p; long long ll; } hdr;
static unsigned long long n_alloc, n_free;
static long long live, peak;

static void note(long long d) {
    live += d;
    if (live > peak) peak = live;
}
static void *c_malloc(size_t n) {
    hdr *h = (hdr *)malloc(sizeof(hdr) + n);
    n_alloc++;
    if (!h) return NULL;
    h->n = n;
    note((long long)n);
    return h + 1;
}
static void c_free(void *p) {
    hdr *h;
    if (!p) return;
    n_free++;
    h = (hdr *)p - 1;
    note(-(long long)h->n);
    free(h);
}
static void *c_realloc(void *p, size_t n) {
    hdr *h;
    size_t old;
    if (!p) return c_malloc(n);
    n_alloc++;
    h = (hdr *)p - 1;
    old = h->n;
    h = (hdr *)realloc(h, sizeof(hdr) + n);
    if (!h) return NULL;
    h->n = n;
    note((long long)n - (long long)old);
    return h + 1;
}
static char *c_strdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *d = (char *)c_malloc(l);
    if (d) memcpy(d, s, l);
    return d;
}
static void *c_calloc(size_t a, size_t b) {
    void *p;
    if (b && a > (size_t)-1 / 2 / b) return NULL;
    p = c_malloc(a * b);
    if (p) memset(p, 0, a * b);
    return p;
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

typedef struct slot { CURL *h; size_t got; } slot;

static size_t sink(char *p, size_t size, size_t nmemb, void *ud) {
    (void)p;
    ((slot *)ud)->got += size * nmemb;
    return size * nmemb;
}

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
    double give_up = now_s() + limit_s;
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
            long code = 0, k = s->completed;
            if (msg->msg != CURLMSG_DONE) continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&sl);
            s->completed++;
            if (!s->failed) {
                if (msg->data.result != CURLE_OK) {
                    snprintf(s->why, sizeof s->why, "request %ld: %s", k, curl_easy_strerror(msg->data.result));
                    s->failed = 1;
                } else if (curl_easy_getinfo(sl->h, CURLINFO_RESPONSE_CODE, &code), code != 200) {
                    snprintf(s->why, sizeof s->why, "request %ld: status %ld", k, code);
                    s->failed = 1;
                } else if (s->expect >= 0 && (long)sl->got != s->expect) {
                    snprintf(s->why, sizeof s->why, "request %ld: body %lu bytes, expected %ld", k,
                             (unsigned long)sl->got, s->expect);
                    s->failed = 1;
                }
            }
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
        if (now_s() > give_up && !s->failed) {
            snprintf(s->why, sizeof s->why, "gave up after %.0f s (%ld of %ld done)", limit_s, s->completed, s->total);
            s->failed = 1;
        }
    }
    for (i = 0; i < s->conc; i++) curl_multi_remove_handle(s->m, s->slots[i].h);   /* no-op when not added */
    return s->failed;
}

int main(int argc, char **argv) {
    run s;
    long n, warm;
    int i, conc;
    double t0, t1, c0, c1;
    unsigned long long a0;
    long long base, idle;

    if (argc < 3) {
        fprintf(stderr, "usage: %s URL N [WARMUP] [EXPECTED_BODY_BYTES] [CONC]\n", argv[0]);
        return 2;
    }
    memset(&s, 0, sizeof s);
    n = atol(argv[2]);
    warm = argc > 3 ? atol(argv[3]) : 1000;
    s.expect = argc > 4 ? atol(argv[4]) : -1;
    conc = argc > 5 ? atoi(argv[5]) : 64;
    if (n < 1 || n > 100000000L || warm < 0 || warm > 100000000L || conc < 1 || conc > 10000) {
        fprintf(stderr, "bench_curl_multi: N in 1..100000000, WARMUP in 0..100000000, CONC in 1..10000\n");
        return 2;
    }
    if (warm < conc) warm = conc;
    s.conc = conc;
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, c_malloc, c_free, c_realloc, c_strdup, c_calloc) != CURLE_OK) {
        fprintf(stderr, "bench_curl_multi: curl_global_init_mem failed\n");
        return 1;
    }
    s.m = curl_multi_init();
    s.slots = (slot *)calloc((size_t)conc, sizeof *s.slots);
    if (!s.m || !s.slots) {
        fprintf(stderr, "bench_curl_multi: out of memory\n");
        return 1;
    }
    base = live;   /* the easy handles count as per-slot memory */
    curl_multi_setopt(s.m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
    curl_multi_setopt(s.m, CURLMOPT_MAXCONNECTS, (long)conc);
    for (i = 0; i < conc; i++) {
        CURL *h = curl_easy_init();
        if (!h) {
            fprintf(stderr, "bench_curl_multi: curl_easy_init failed\n");
            return 1;
        }
        s.slots[i].h = h;
        curl_easy_setopt(h, CURLOPT_URL, argv[1]);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &s.slots[i]);
        curl_easy_setopt(h, CURLOPT_PRIVATE, (char *)&s.slots[i]);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 0L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);   /* bounded, like httpx's default timeouts */
    }

    s.total = warm;
    if (drive(&s, 120)) {
        fprintf(stderr, "bench_curl_multi: warm-up: %s\n", s.why);
        return 1;
    }
    idle = live;

    s.total = n;
    peak = live;
    a0 = n_alloc;
    c0 = cpu_s();
    t0 = now_s();
    if (drive(&s, 60 + (double)n / 500)) {
        fprintf(stderr, "bench_curl_multi: %s\n", s.why);
        return 1;
    }
    t1 = now_s();
    c1 = cpu_s();

    printf("RESULT rps=%.1f cpu_us=%.3f allocs=%.3f mem=%.0f mem_conn=%.0f mem_req=%.0f"
           " peak=%lld idle=%lld base=%lld conc=%d n=%ld\n",
           (double)n / (t1 - t0), (c1 - c0) * 1e6 / (double)n, (double)(n_alloc - a0) / (double)n,
           (double)(peak - base) / conc, (double)(idle - base) / conc, (double)(peak - idle) / conc,
           peak, idle, base, conc, n);
    for (i = 0; i < conc; i++) curl_easy_cleanup(s.slots[i].h);
    curl_multi_cleanup(s.m);
    free(s.slots);
    curl_global_cleanup();
    return 0;
}
