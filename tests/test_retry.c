/* Retries and local_address (issue 16): connection retries
   (httpx_client_opts.retries) against names that do not resolve yet, a port
   that refuses until the test makes it listen, and TLS handshakes cut short;
   status retries (httpx_client_opts.retry) against rogue.py's
   /retry-status/, which counts what it got, and nginx over HTTP/2; the mock
   transport; local_address seen by the server. Both faces. Waits are the
   loop's: a test sees them in httpx_client_fds' timeout, and checks only
   lower bounds that the policy guarantees (a backoff or a Retry-After is
   at least so long). */
#include "test.h"
#include "fixtures.h"
#include "fixtures_dns.h"
#include "fixtures_tls.h"
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static int key_counter;

/* A key of rogue's /retry-status/ that no other test uses. */
static const char *new_key(const char *name) {
    static char key[8][64];
    static int i;
    char *k = key[i++ % 8];
    snprintf(k, 64, "%s-%d-%d", name, (int)getpid(), ++key_counter);
    return k;
}

/* How many requests rogue's /retry-status/KEY/... got. */
static int rogue_count(const char *key) {
    char path[128];
    httpx_response *r;
    int n;
    snprintf(path, sizeof path, "/retry-count/%s", key);
    r = httpx_get(fx_rogue_at(path), NULL);
    n = r->error ? -1 : atoi(r->content);
    httpx_response_free(r);
    return n;
}

static const char *status_url(const char *key, int fails, const char *query) {
    static char url[4][256];
    static int i;
    char path[192];
    char *u = url[i++ % 4];
    snprintf(path, sizeof path, "/retry-status/%s/%d%s%s", key, fails, query ? "?" : "", query ? query : "");
    snprintf(u, 256, "%s", fx_rogue_at(path));
    return u;
}

static int retries_of(const httpx_response *r) { return ((const httpx__response *)(const void *)r)->conn_retries; }

/* ---- status retries ---- */

TEST(retry_status_503_then_200_blocking) {
    const char *key = new_key("s503");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 3 } });
    r = httpx_client_get(c, status_url(key, 2, "retry_after=0"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "ok after 2");          /* the 503s' bodies were dropped */
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 3);
    /* more failures than retries: the last answer is returned as it is */
    key = new_key("s503-out");
    r = httpx_client_get(c, status_url(key, 9, "retry_after=0"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 503);
    CHECK_STR(r->content, "retry me");
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 4);
    httpx_client_free(c);
}

TEST(retry_status_off_by_default) {
    const char *key = new_key("off");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(NULL);
    r = httpx_client_get(c, status_url(key, 1, "retry_after=0"), NULL);
    CHECK_INT(r->status_code, 503);
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 1);
    httpx_client_free(c);
}

TEST(retry_status_chosen_statuses_only) {
    static const int only_429[] = {429, 0};
    const char *key = new_key("chosen");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 2, .statuses = only_429 } });
    r = httpx_client_get(c, status_url(key, 1, "retry_after=0"), NULL);   /* a 503: not chosen */
    CHECK_INT(r->status_code, 503);
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 1);
    key = new_key("chosen429");
    r = httpx_client_get(c, status_url(key, 1, "retry_after=0&status=429"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 2);
    httpx_client_free(c);
}

/* The task face: Retry-After: 1 is a timer of the loop, seen in
   httpx_client_fds' timeout while the task waits; nothing sleeps. */
TEST(retry_status_retry_after_seconds_tasks) {
    const char *key = new_key("ra1");
    httpx_client *c;
    httpx_task *t;
    httpx_response *r;
    double t0, deadline;
    int max_ms = -1;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 1 } });
    t0 = httpx__now();
    t = httpx_client_start(c, "GET", status_url(key, 1, "retry_after=1"), NULL);
    deadline = t0 + 30;
    while (!httpx_task_done(t) && httpx__now() < deadline) {
        struct pollfd fds[8];
        int ms = -1;
        const httpx__exchange *ex = &((const httpx__response *)(const void *)t)->ex;
        httpx_client_fds(c, fds, 8, &ms);
        if (ex->state == HTTPX__EX_QUEUED && ex->not_before && ms > max_ms) max_ms = ms;   /* holding */
        httpx_client_poll(c, 50);
    }
    REQUIRE(httpx_task_done(t));
    r = httpx_task_response(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK(httpx__now() - t0 >= 0.95);              /* Retry-After: 1 was honoured */
    /* the wait was the loop's timeout (not a sleep): seen while the task was
       held, at most the second Retry-After asked for (no lower bound: a
       loaded machine may look late) */
    if (!(max_ms > 0 && max_ms <= 1000)) test_fail(__FILE__, __LINE__, "max_ms %d", max_ms);
    httpx_task_free(t);
    CHECK_INT(rogue_count(key), 2);
    httpx_client_free(c);
}

TEST(retry_status_retry_after_http_date) {
    const char *key = new_key("radate");
    httpx_client *c;
    httpx_response *r;
    double t0;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 1 } });
    t0 = httpx__now();
    r = httpx_client_get(c, status_url(key, 1, "retry_after=date%2B3"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(httpx__now() - t0 >= 1.5);               /* 3 s ahead at a date's 1 s resolution; a
                                                      backoff would be at most 0.5 s */
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 2);
    /* a date in the past: at once */
    key = new_key("radate-past");
    r = httpx_client_get(c, status_url(key, 1, "retry_after=date-100"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(retry_status_retry_after_over_cap_is_not_waited) {
    const char *key = new_key("cap");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 3, .max_wait = 5 } });
    r = httpx_client_get(c, status_url(key, 1, "retry_after=120"), NULL);
    CHECK_INT(r->status_code, 503);                /* returned at once, not after two minutes */
    CHECK_STR(httpx_header(r, "retry-after"), "120");
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 1);
    httpx_client_free(c);
}

TEST(retry_status_not_for_post_or_streamed_upload) {
    const char *key = new_key("post");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 3 } });
    r = httpx_client_post(c, status_url(key, 1, "retry_after=0"), &(httpx_opts){ .json = "{}" });
    CHECK_INT(r->status_code, 503);                /* the server may have acted on it */
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 1);
    /* a PUT is idempotent, and its body in memory goes again */
    key = new_key("put");
    r = httpx_client_put(c, status_url(key, 1, "retry_after=0"), &(httpx_opts){ .content = "again" });
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 2);
    httpx_client_free(c);
}

static long upload_once(void *user_data, void *buf, size_t cap) {
    int *calls = (int *)user_data;
    if ((*calls)++ || cap < 5) return 0;
    memcpy(buf, "bytes", 5);
    return 5;
}

TEST(retry_status_streamed_upload_never_retried) {
    const char *key = new_key("upload");
    httpx_client *c;
    httpx_task *t;
    httpx_response *r;
    int calls = 0;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 3 } });
    t = httpx_client_start(c, "PUT", status_url(key, 1, "retry_after=0"),
                           &(httpx_opts){ .upload = upload_once, .upload_user_data = &calls });
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 503);                /* its bytes are gone: it cannot go again */
    httpx_task_free(t);
    CHECK_INT(rogue_count(key), 1);
    httpx_client_free(c);
}

/* A stream (httpx_client_stream): the retried answer's body is dropped
   before the reader sees anything; the reader gets the last answer's. */
TEST(retry_status_stream_reads_the_final_body) {
    const char *key = new_key("stream");
    httpx_client *c;
    httpx_response *r;
    char buf[64];
    long n, got = 0;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 2 } });
    r = httpx_client_stream(c, "GET", status_url(key, 2, "retry_after=0"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    while ((n = httpx_read(r, buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += n;
    buf[got] = 0;
    CHECK_INT(n, 0);
    CHECK_STR(buf, "ok after 2");
    httpx_response_free(r);
    CHECK_INT(rogue_count(key), 3);
    httpx_client_free(c);
}

static int debug_heads_out;
static void count_heads(void *user_data, httpx_debug_kind kind, const char *text, size_t len) {
    (void)user_data; (void)text; (void)len;
    if (kind == HTTPX_DEBUG_HEADER_OUT) debug_heads_out++;
}

/* HTTP/2 (h2c with prior knowledge, nginx over its Unix socket, which
   serves files only): a 404 chosen as a status to retry. It has no
   Retry-After, so the backoff waits 0.25..0.5 s. */
TEST(retry_status_http2_backoff_both_faces) {
    static const int only_404[] = {404, 0};
    const char *path = fx_nginx_uds("h2c");
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    double t0;
    REQUIRE(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path, .http2_prior_knowledge = true,
                                               .retry = { .max = 1, .statuses = only_404 },
                                               .on_debug = count_heads });
    debug_heads_out = 0;
    t0 = httpx__now();
    r = httpx_client_get(c, "http://nginx.invalid/missing.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 404);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_INT(debug_heads_out, 2);                 /* sent twice */
    CHECK(httpx__now() - t0 >= 0.25);
    httpx_response_free(r);
    debug_heads_out = 0;
    t = httpx_client_start(c, "GET", "http://nginx.invalid/missing.txt", NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->status_code, 404);
    CHECK_INT(debug_heads_out, 2);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* ---- connection retries ---- */

/* A socket bound to a port of 127.0.0.1 and not listening: connections to
   it are refused until the test calls listen(). */
static int bound_socket(int *port) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len)) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* The task face: a port refuses the first try and the immediate retry; the
   task then waits for its backoff (httpx_client_fds' timeout says how long,
   0.25..0.5 s), the test makes the port listen, and the last retry gets
   through to the test's own one-answer server. */
TEST(retry_connect_refused_then_listening_tasks) {
    int port, lfd, sfd = -1, holding_ms = -1;
    char url[64], req[4096];
    size_t got = 0;
    bool answered = false, listening = false;
    httpx_client *c;
    httpx_task *t;
    httpx_response *r;
    double deadline = httpx__now() + 30;
    lfd = bound_socket(&port);
    REQUIRE(lfd >= 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    c = httpx_client_new(&(httpx_client_opts){ .retries = 2 });
    t = httpx_client_start(c, "POST", url, &(httpx_opts){ .content = "no byte went: a POST goes again" });
    while (!httpx_task_done(t) && httpx__now() < deadline) {
        struct pollfd fds[8];
        int ms = -1, n = httpx_client_fds(c, fds, 8, &ms);
        if (!listening && n == 0 && ms > 0) {      /* nothing to poll, a timer: the backoff */
            holding_ms = ms;
            REQUIRE(listen(lfd, 4) == 0);
            fcntl(lfd, F_SETFL, O_NONBLOCK);
            listening = true;
        }
        httpx_client_poll(c, 10);
        if (listening && sfd < 0) sfd = accept(lfd, NULL, NULL);
        if (sfd >= 0 && !answered) {
            ssize_t k;
            fcntl(sfd, F_SETFL, O_NONBLOCK);
            k = recv(sfd, req + got, sizeof req - 1 - got, 0);
            if (k > 0) got += (size_t)k;
            req[got] = 0;
            if (strstr(req, "POST / HTTP/1.1\r\n") && strstr(req, "\r\n\r\nno byte went: a POST goes again")) {
                static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nlistened";
                CHECK(send(sfd, answer, sizeof answer - 1, 0) == (ssize_t)(sizeof answer - 1));
                answered = true;
            }
        }
    }
    REQUIRE(httpx_task_done(t));
    r = httpx_task_response(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "listened");
    CHECK_INT(retries_of(r), 2);
    CHECK(holding_ms > 0 && holding_ms <= 500);    /* the second retry's backoff, jittered */
    httpx_task_free(t);
    httpx_client_free(c);
    if (sfd >= 0) close(sfd);
    close(lfd);
}

TEST(retry_connect_refused_blocking) {
    int port = fx_closed_port();
    char url[64];
    httpx_client *c;
    httpx_response *r;
    double t0;
    REQUIRE(port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    c = httpx_client_new(&(httpx_client_opts){ .retries = 2 });
    t0 = httpx__now();
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(strstr(r->error_message, "refused") != NULL);   /* the last try's own failure */
    CHECK_INT(retries_of(r), 2);
    CHECK(httpx__now() - t0 >= 0.25);              /* 0, then 0.25..0.5 s */
    httpx_response_free(r);
    httpx_client_free(c);
    /* none by default */
    c = httpx_client_new(NULL);
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK_INT(retries_of(r), 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(retry_connect_total_timeout_covers_retries) {
    int port = fx_closed_port();
    char url[64];
    httpx_client *c;
    httpx_response *r;
    double t0;
    REQUIRE(port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    /* backoffs of 0, 0.25+, 0.5+, 1+, 2+ ... s: far more than the total allows */
    c = httpx_client_new(&(httpx_client_opts){ .retries = 20, .timeout = { .total = 0.8 } });
    t0 = httpx__now();
    r = httpx_client_get(c, url, NULL);
    CHECK(r->error == HTTPX_ERR_CONNECT || r->error == HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK(retries_of(r) >= 1 && retries_of(r) < 20);
    CHECK(httpx__now() - t0 < 10);                 /* generous: the total is 0.8 s */
    httpx_response_free(r);
    httpx_client_free(c);
}

/* No retry once a request byte went: a reset after the request is sent. */
TEST(retry_connect_not_after_the_request_went) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .retries = 3 });
    r = httpx_client_get(c, fx_rogue_at("/close-no-response"), NULL);
    CHECK(r->error != HTTPX_OK);
    CHECK_INT(retries_of(r), 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

#ifndef HTTPX_DNS_THREADS
static char dns_server[64];
static const char *nameservers[2] = { dns_server, NULL };

/* A name that does not resolve for its first N lookups (dns.py's
   nxfirst-N), so the number of tries shows in whether it got through. */
TEST(retry_connect_dns_failure_both_faces) {
    char url[256];
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    int n = ++key_counter;
    REQUIRE(fx_dns_port() && fx_rogue_port());
    snprintf(dns_server, sizeof dns_server, "127.0.0.1:%d", fx_dns_port());
    c = httpx_client_new(&(httpx_client_opts){ .nameservers = nameservers, .retries = 2 });
    snprintf(url, sizeof url, "http://nxfirst-2.b%d.test:%d/json", n, fx_rogue_port());
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(retries_of(r), 2);
    httpx_response_free(r);
    snprintf(url, sizeof url, "http://nxfirst-2.t%d.test:%d/json", n, fx_rogue_port());
    t = httpx_client_start(c, "GET", url, NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(retries_of(r), 2);
    httpx_task_free(t);
    /* one failure more than retries: the resolver's error comes back */
    snprintf(url, sizeof url, "http://nxfirst-3.x%d.test:%d/json", n, fx_rogue_port());
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(strstr(r->error_message, "NXDOMAIN") != NULL);
    CHECK_INT(retries_of(r), 2);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif

#ifdef HTTPX_BEARSSL
/* A TLS handshake the server cuts is retried; a certificate failure never
   is (the same certificate comes back). */
TEST(retry_connect_tls_handshake_cut_not_certificate) {
    int hangup = fxt_py_port("hangup"), selfsigned = fxt_nginx_port("selfsigned");
    char url[64];
    httpx_client *c;
    httpx_response *r;
    REQUIRE(hangup && selfsigned);
    c = httpx_client_new(&(httpx_client_opts){ .retries = 2 });
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", hangup);
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK_INT(retries_of(r), 2);
    httpx_response_free(r);
    snprintf(url, sizeof url, "https://localhost:%d/hello.txt", selfsigned);
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK(strstr(r->error_message, "certificate") != NULL);
    CHECK_INT(retries_of(r), 0);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif

/* ---- the mock transport ---- */

static int mock_calls;
static void flaky_handler(void *user_data, const httpx_req *q, httpx_mock_reply *p) {
    (void)user_data;
    mock_calls++;
    if (strstr(httpx_request_url(q), "/connect") && mock_calls <= 2) {
        httpx_reply_error(p, HTTPX_ERR_CONNECT, "connection refused (mock)");
        return;
    }
    if (strstr(httpx_request_url(q), "/status") && mock_calls <= 2) {
        httpx_reply_status(p, 503);
        httpx_reply_header(p, "Retry-After", "30");
        httpx_reply_body(p, "busy", 0);
        return;
    }
    httpx_reply_status(p, 200);
    httpx_reply_body(p, "fine", 0);
}

TEST(retry_mock_both_kinds_both_faces) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = flaky_handler, .retries = 2,
                                                             .retry = { .max = 2, .max_wait = 60 } });
    httpx_response *r;
    httpx_task *t;
    mock_calls = 0;
    r = httpx_client_post(c, "http://mock.test/connect", &(httpx_opts){ .content = "x" });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "fine");
    CHECK_INT(mock_calls, 3);
    httpx_response_free(r);
    mock_calls = 0;
    t = httpx_client_start(c, "GET", "http://mock.test/status", NULL);
    r = httpx_task_wait(t);                        /* the mock resends at once: no 30 s wait */
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "fine");
    CHECK_INT(mock_calls, 3);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* ---- local_address ---- */

TEST(retry_local_address_seen_by_server_both_faces) {
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    REQUIRE(fx_rogue_port());
    /* 127.0.0.2 is loopback on Linux too: the server can only see it if we bound it */
    c = httpx_client_new(&(httpx_client_opts){ .local_address = "127.0.0.2" });
    r = httpx_client_get(c, fx_rogue_at("/peer"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "127.0.0.2");
    httpx_response_free(r);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .local_address = "127.0.0.1" });
    t = httpx_client_start(c, "GET", fx_rogue_at("/peer"), NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "127.0.0.1");
    httpx_task_free(t);
    httpx_client_free(c);
}

TEST(retry_local_address_errors) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .local_address = "not-an-ip" });
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/peer"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "local_address 'not-an-ip'") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    /* the other family than the target's only address */
    c = httpx_client_new(&(httpx_client_opts){ .local_address = "::1", .retries = 3 });
    r = httpx_client_get(c, fx_rogue_at("/peer"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "from local_address, an IPv6 address") != NULL);
    CHECK_INT(retries_of(r), 0);                   /* no connection failure: nothing to retry */
    httpx_response_free(r);
    httpx_client_free(c);
    /* an address this machine does not have (TEST-NET-1): bind fails, nothing is sent */
    c = httpx_client_new(&(httpx_client_opts){ .local_address = "192.0.2.1" });
    r = httpx_client_get(c, fx_rogue_at("/peer"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(strstr(r->error_message, "cannot connect from local_address 192.0.2.1") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(retry_bad_options_fail_clearly) {
    static const int bad[] = {503, 42, 0};
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .retry = { .max = 1, .statuses = bad } });
    httpx_response *r = httpx_client_get(c, "http://127.0.0.1:1/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "retry.statuses has 42") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .retries = -1 });
    r = httpx_client_get(c, "http://127.0.0.1:1/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    httpx_client_free(c);
}
