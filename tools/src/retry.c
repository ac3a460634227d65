/* retry: the retry policy, decisions only (the resends are hop.c's, the
   waits the loop's). Two kinds, both counted per request (all its hops):
   - connection retries (httpx_client_opts.retries, HTTPX's
     HTTPTransport(retries=N)): the exchange ended because its connection
     could not be set up, so no byte of the request went and any method may
     go again;
   - status retries (httpx_client_opts.retry): an idempotent request with a
     body that can be produced again, answered with a chosen status; the
     answer's Retry-After says how long to wait, up to a cap.
   Waits follow one backoff with jitter (public.h's >>retries says it for
   users). Private prefix: httpx__retry_. */
#include "internal.h"
#include "headers_internal.h"
#include "net_internal.h"
#include "engine_internal.h"
#include <stdio.h>
#include <time.h>

#define HTTPX__RETRY_MAX_STATUSES 16
#define HTTPX__RETRY_BACKOFF_FACTOR 0.5   /* seconds, httpcore's RETRIES_BACKOFF_FACTOR */
#define HTTPX__RETRY_BACKOFF_CAP 30.0     /* the longest backoff wait, seconds */
#define HTTPX__RETRY_MAX_WAIT 60.0        /* retry.max_wait's default */
/* BearSSL's BR_ERR_IO, which tls.c gives a handshake whose transport failed
   (the server closed or reset it): worth another try, unlike a certificate
   or a cipher the server refused. */
#define HTTPX__RETRY_TLS_IO 31

HTTPX__PRIVATE void httpx__retry_configure(httpx_client *c, const httpx_client_opts *o) {
    static const int defaults[] = {429, 502, 503, 504, 0};
    const int *s = o->retry.statuses ? o->retry.statuses : defaults;
    int n = 0;
    for (; *s; s++) {
        if (n == HTTPX__RETRY_MAX_STATUSES) {
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                        "httpx_client_opts.retry.statuses lists more than %d statuses", HTTPX__RETRY_MAX_STATUSES);
            break;
        }
        if (*s < 100 || *s > 999) {
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                        "httpx_client_opts.retry.statuses has %d, which is no status (100..999)", *s);
            break;
        }
        c->retry_statuses[n++] = *s;
    }
    c->retry_statuses[n] = 0;
    if (o->retries < 0 || o->retry.max < 0 || o->retry.max_wait < 0)
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts.retries, retry.max and retry.max_wait cannot be negative");
    if (o->local_address) {
        unsigned char ip[16];
        int len = httpx__ip_parse(o->local_address, ip);
        if (!len)
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                        "httpx_client_opts.local_address '%.64s' is not an IPv4 or IPv6 address", o->local_address);
        memcpy(c->local_ip, ip, (size_t)len);
        c->local_ip_len = len;
    }
}

/* A factor in [0.5, 1]: clients that failed together come back apart. */
static double httpx__retry_jitter(void) {
    static uint64_t state;
    uint32_t r;
    if (!httpx__random(&r, sizeof r)) {
        if (!state) state = (uint64_t)(httpx__now() * 1e6);
        r = (uint32_t)(httpx__splitmix64(&state) >> 32);
    }
    return 0.5 + 0.5 * ((double)r / 4294967295.0);
}

/* The wait before try n (1, 2, ...): none for the first, then
   0.5 * 2^(n-2) s with jitter, capped. */
static double httpx__retry_backoff(int n) {
    double base = HTTPX__RETRY_BACKOFF_FACTOR;
    if (n <= 1) return 0;
    for (; n > 2 && base < HTTPX__RETRY_BACKOFF_CAP; n--) base *= 2;
    if (base > HTTPX__RETRY_BACKOFF_CAP) base = HTTPX__RETRY_BACKOFF_CAP;
    return base * httpx__retry_jitter();
}

/* An IMF-fixdate (RFC 9110 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT", the form
   senders must use) as Unix seconds. Its own small parser: the cookie
   jar's, which takes every date form, may be left out (HTTPX_NO_COOKIES). */
static bool httpx__retry_http_date(const char *s, int64_t *out) {
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int d, y, hh, mm, ss, m;
    char mon[4], zone[4];
    int64_t era, yoe, doy, doe, days;
    if (strlen(s) < 29 || s[3] != ',' ||
        sscanf(s + 4, " %2d %3s %4d %2d:%2d:%2d %3s", &d, mon, &y, &hh, &mm, &ss, zone) != 7 ||
        strcmp(zone, "GMT") != 0)
        return false;
    for (m = 0; m < 12 && strncmp(months + 3 * m, mon, 3) != 0; m++) {}
    if (m == 12 || d < 1 || d > 31 || y < 1970 || hh > 23 || mm > 59 || ss > 60) return false;
    m += 1;
    /* days since 1970-01-01 of a Gregorian date (the civil-from-days method) */
    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    days = era * 146097 + doe - 719468;
    *out = days * 86400 + hh * 3600 + mm * 60 + ss;
    return true;
}

/* Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date, as seconds
   from now (a date in the past: 0). False when absent or unreadable. */
static bool httpx__retry_after(const httpx__response *r, double *wait) {
    const char *v = httpx_headers_get(&r->headers, "retry-after");
    int64_t when;
    if (!v) return false;
    while (*v == ' ' || *v == '\t') v++;
    if (*v >= '0' && *v <= '9') {
        double secs = 0;
        for (; *v >= '0' && *v <= '9'; v++)
            if (secs < 1e9) secs = secs * 10 + (*v - '0');
        while (*v == ' ' || *v == '\t') v++;
        if (*v) return false;
        *wait = secs;
        return true;
    }
    if (!httpx__retry_http_date(v, &when)) return false;
    *wait = (double)(when - (int64_t)time(NULL));
    if (*wait < 0) *wait = 0;
    return true;
}

/* Whether a retry waiting this long still ends before timeout.total. */
static bool httpx__retry_in_time(const httpx__response *r, double wait) {
    return !r->ex.total_deadline || httpx__now() + wait < r->ex.total_deadline;
}

static bool httpx__retry_listed(const httpx_client *c, int status) {
    const int *s;
    for (s = c->retry_statuses; *s; s++)
        if (*s == status) return true;
    return false;
}

HTTPX__PRIVATE bool httpx__retry_on_head(httpx__response *r) {
    httpx_client *c = r->ex.client;
    double wait, cap = c->opts.retry.max_wait > 0 ? c->opts.retry.max_wait : HTTPX__RETRY_MAX_WAIT;
    r->retry_status = false;
    if (r->status_retries >= c->opts.retry.max || !httpx__retry_listed(c, r->pub.status_code)) return false;
    /* the server may have acted on anything else; a streamed body is gone */
    if (!r->req.idempotent || !r->req.replayable) return false;
    if (httpx__retry_after(r, &wait)) {
        if (wait > cap) return false;    /* longer than the caller will wait: the answer stands */
    } else {
        wait = httpx__retry_backoff(r->status_retries + 2);
    }
    if (!httpx__retry_in_time(r, wait)) return false;
    r->retry_status = true;
    r->retry_wait = wait;
    return true;
}

/* A failure that says the connection could not be made. */
static bool httpx__retry_connect_failure(const httpx__response *r) {
    httpx_error code = r->pub.error;
    if (!r->ex.setup_failed) return false;
    return code == HTTPX_ERR_CONNECT || code == HTTPX_ERR_CONNECT_TIMEOUT ||
           (code == HTTPX_ERR_TLS && r->pub.tls_error == HTTPX__RETRY_TLS_IO);
}

HTTPX__PRIVATE bool httpx__retry_decide(httpx__response *r, double *wait) {
    if (r->ex.state != HTTPX__EX_DONE) return false;
    if (r->retry_status) {
        r->retry_status = false;
        if (r->pub.error) {             /* its body failed: the failure is the answer */
            r->draining_redirect = false;
            return false;
        }
        r->status_retries++;
        *wait = r->retry_wait;
        return true;
    }
    if (!r->pub.error || r->conn_retries >= r->ex.client->opts.retries || !httpx__retry_connect_failure(r))
        return false;
    *wait = httpx__retry_backoff(r->conn_retries + 1);
    if (!httpx__retry_in_time(r, *wait)) return false;
    r->conn_retries++;
    r->pub.error = HTTPX_OK;            /* consumed: the next try reports its own */
    r->pub.error_message = "";
    r->pub.sys_errno = r->pub.tls_error = 0;
    r->errmsg[0] = 0;
    return true;
}
