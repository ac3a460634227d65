/* bench_tls_curl.c - libcurl (OpenSSL) over https: the same download and
   handshake runs as bench_tls_httpx.c, for comparison.

   usage: bench_tls_curl CA_FILE download  URL BYTES COUNT
          bench_tls_curl CA_FILE handshake URL N WARMUP

   One easy handle, CURLOPT_CAINFO = CA_FILE (and no CA directory), TLS 1.2
   exactly (BearSSL's only version, so both clients run the same protocol).
   download   a HEAD opens the connection, then COUNT GETs on it, the body
              counted and dropped by the write callback, each checked.
   handshake  every request with "Connection: close" and CURLOPT_FORBID_REUSE,
              and CURLOPT_SSL_SESSIONID_CACHE off: a new connection and a full
              handshake per request. libcurl keeps the parsed CA store between
              connections (its CA cache), as httpx.h keeps it in its client.
   Prints the same RESULT lines as bench_tls_httpx. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

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

static size_t sink(char *p, size_t size, size_t nmemb, void *ud) {
    (void)p;
    *(long long *)ud += (long long)(size * nmemb);
    return size * nmemb;
}

static int perform(CURL *h, const char *what, long i, long long expect, long long *got) {
    long status = 0;
    CURLcode rc;
    *got = 0;
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK) { fprintf(stderr, "bench_tls_curl: %s %ld: %s\n", what, i, curl_easy_strerror(rc)); return 1; }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) { fprintf(stderr, "bench_tls_curl: %s %ld: status %ld\n", what, i, status); return 1; }
    if (expect >= 0 && *got != expect) {
        fprintf(stderr, "bench_tls_curl: %s %ld: %lld body bytes, expected %lld\n", what, i, *got, expect);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    CURL *h;
    struct curl_slist *hdrs = NULL;
    const char *mode;
    long long got = 0;
    long a, b, i;
    double t0 = 0, c0 = 0, t, cpu;
    int rc = 0;
    if (argc < 6) {
        fprintf(stderr, "usage: %s CA_FILE download URL BYTES COUNT | handshake URL N WARMUP\n", argv[0]);
        return 2;
    }
    mode = argv[2];
    a = atol(argv[4]);
    b = atol(argv[5]);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init())) {
        fprintf(stderr, "bench_tls_curl: libcurl init failed\n");
        return 1;
    }
    curl_easy_setopt(h, CURLOPT_URL, argv[3]);
    curl_easy_setopt(h, CURLOPT_CAINFO, argv[1]);
    curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(mode, "download") == 0 && a > 0 && b >= 1 && b <= 1000) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        if (perform(h, "HEAD", 0, -1, &got)) rc = 1;
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        t0 = now_s();
        c0 = cpu_s();
        for (i = 0; !rc && i < b; i++)
            if (perform(h, "download", i, a, &got)) rc = 1;
        cpu = cpu_s() - c0;
        t = now_s() - t0;
        if (!rc)
            printf("RESULT mbps=%.1f cpu_s_per_gb=%.4f n=%ld bytes=%ld\n", (double)a * (double)b / t / 1e6,
                   cpu * 1e9 / ((double)a * (double)b), b, a);
    } else if (strcmp(mode, "handshake") == 0 && a >= 1 && a <= 10000000 && b >= 0 && b <= 1000000) {
        hdrs = curl_slist_append(hdrs, "Connection: close");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
        for (i = 0; !rc && i < a + b; i++) {
            if (i == b) { t0 = now_s(); c0 = cpu_s(); }
            if (perform(h, "handshake", i, -1, &got)) rc = 1;
        }
        cpu = cpu_s() - c0;
        t = now_s() - t0;
        if (!rc) printf("RESULT hps=%.1f cpu_us=%.1f n=%ld\n", (double)a / t, cpu * 1e6 / (double)a, a);
    } else {
        fprintf(stderr, "bench_tls_curl: bad arguments\n");
        rc = 2;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return rc;
}
