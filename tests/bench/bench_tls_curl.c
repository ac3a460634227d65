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
#include "bench_common.h"

static int perform(CURL *h, const char *what, long i, long long expect, long long *got) {
    CURLcode rc;
    char why[300];
    *got = 0;
    rc = curl_easy_perform(h);
    if (!bench_check_curl(why, sizeof why, what, i, h, rc, *got, expect)) return 0;
    fprintf(stderr, "bench_tls_curl: %s\n", why);
    return 1;
}

int main(int argc, char **argv) {
    CURL *h;
    struct curl_slist *hdrs = NULL;
    const char *mode;
    long long got = 0;
    long a, b, i;
    bench_timer t = { 0, 0, 0, 0 };
    int rc = 0, m;
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
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_curl_sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    m = bench_tls_mode(mode, a, b);
    if (m == BENCH_TLS_DOWNLOAD) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        if (perform(h, "HEAD", 0, -1, &got)) rc = 1;
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        bench_timer_start(&t);
        for (i = 0; !rc && i < b; i++)
            if (perform(h, "download", i, a, &got)) rc = 1;
        bench_timer_stop(&t);
        if (!rc) bench_result_download(&t, a, b);
    } else if (m == BENCH_TLS_HANDSHAKE) {
        hdrs = curl_slist_append(hdrs, "Connection: close");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
        for (i = 0; !rc && i < a + b; i++) {
            if (i == b) bench_timer_start(&t);
            if (perform(h, "handshake", i, -1, &got)) rc = 1;
        }
        bench_timer_stop(&t);
        if (!rc) bench_result_handshake(&t, a);
    } else {
        fprintf(stderr, "bench_tls_curl: bad arguments\n");
        rc = 2;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return rc;
}
