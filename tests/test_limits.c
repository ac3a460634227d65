/* Limits a user sets: the overall deadline of a request (timeout.total) and
   the number of fields in a response head (limits.max_headers), over
   HTTP/1.1 and HTTP/2, against real servers on 127.0.0.1. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include <stdlib.h>
#include <time.h>

/* ---- timeout.total ---- */

/* A body of 100 bytes, one every 100 ms: every read comes well within the
   read timeout, so only an overall deadline ends it before 10 s. */
#define DRIP "/drip?n=100&ms=100"

static httpx_client_opts total_opts(double total) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    o.timeout.total = total;
    return o;
}

TEST(total_timeout_trickling_body) {
    httpx_client_opts o = total_opts(0.5);
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&o);
    r = httpx_client_get(c, fx_rogue_at(DRIP), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK(httpx_is_timeout(r->error));
    CHECK(strstr(r->error_message, "timeout.total") != NULL);
    CHECK(r->elapsed >= 0.45 && r->elapsed < 5.0);    /* generous: the machine may be busy */
    httpx_response_free(r);
    /* the client is still good, and a request that fits is not touched */
    r = httpx_client_get(c, fx_rogue_at("/bytes/10"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 10);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(total_timeout_default_none_and_per_request) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    httpx_opts o;
    REQUIRE(fx_rogue_port());
    /* no deadline by default: 10 bytes 100 ms apart arrive whole */
    r = httpx_client_get(c, fx_rogue_at("/drip?n=10&ms=100"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 10);
    httpx_response_free(r);
    /* a request's own deadline */
    memset(&o, 0, sizeof o);
    o.timeout.total = 0.3;
    r = httpx_client_get(c, fx_rogue_at(DRIP), &o);
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The deadline covers the redirects: a slow first hop (an upload that a
   slow producer makes in 0.4 s, answered by a 303) and a slow second one
   (0.3 s) each fit in 0.6 s; together they do not. */
static long slow_upload(void *user, void *buf, size_t cap) {
    int *left = (int *)user;
    struct timespec ts = {0, 100 * 1000 * 1000};
    if (!*left || cap < 1) return 0;
    (*left)--;
    nanosleep(&ts, NULL);          /* a slow producer, not a synchronisation */
    memcpy(buf, "x", 1);
    return 1;
}

TEST(total_timeout_spans_redirects) {
    httpx_client_opts co = total_opts(0.6);
    httpx_client *c;
    httpx_response *r;
    httpx_opts o;
    int left = 4;
    REQUIRE(fx_rogue_port());
    co.follow_redirects = true;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, fx_rogue_at("/redirect?to=/delay/300&code=303"), NULL);
    CHECK_INT(r->error, HTTPX_OK);           /* a quick hop and a slow one fit */
    httpx_response_free(r);
    memset(&o, 0, sizeof o);
    o.upload = slow_upload;
    o.upload_user_data = &left;
    r = httpx_client_post(c, fx_rogue_at("/redirect?to=/delay/300&code=303"), &o);
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK_INT(left, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A stream: the deadline also bounds reading the body with httpx_read. */
TEST(total_timeout_stream_body) {
    httpx_client_opts co = total_opts(0.5);
    httpx_client *c = httpx_client_new(&co);
    httpx_response *r;
    char buf[64];
    long n, got = 0;
    REQUIRE(fx_rogue_port());
    r = httpx_client_stream(c, "GET", fx_rogue_at(DRIP), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) got += n;
    CHECK_INT(n, -HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK(got < 100);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* Tasks: one poll loop, a trickling request fails on its deadline while a
   quick one beside it succeeds. */
TEST(total_timeout_tasks) {
    httpx_client_opts co = total_opts(0.5);
    httpx_client *c = httpx_client_new(&co);
    httpx_task *t[2];
    REQUIRE(fx_rogue_port());
    t[0] = httpx_client_start(c, "GET", fx_rogue_at(DRIP), NULL);
    t[1] = httpx_client_start(c, "GET", fx_rogue_at("/bytes/1000"), NULL);
    REQUIRE(t[0] && t[1]);
    httpx_gather(c, t, 2);
    CHECK_INT(httpx_task_response(t[0])->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK_INT(httpx_task_response(t[1])->error, HTTPX_OK);
    CHECK_INT(httpx_task_response(t[1])->content_length, 1000);
    httpx_task_free(t[0]);
    httpx_task_free(t[1]);
    httpx_client_free(c);
}

#ifndef HTTPX_NO_HTTP2
/* HTTP/2: a stream that stalls after 1000 bytes, the read timeout off. */
TEST(total_timeout_h2_stall) {
    httpx_client_opts co = total_opts(0.5);
    httpx_client *c;
    httpx_response *r;
    int port = fxh2_py_port();
    REQUIRE(port);
    co.http2_prior_knowledge = true;
    co.timeout.read = -1;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, fx_url(port, "/stall"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK(r->elapsed < 5.0);
    httpx_response_free(r);
    /* the connection goes on for the others */
    r = httpx_client_get(c, fx_url(port, "/bytes/100"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 100);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif

/* ---- limits.max_headers ---- */

/* rogue's /set-header answers with one header per query pair: n of them. */
static const char *many_headers_url(int n) {
    static char url[16384];
    size_t len;
    int i;
    snprintf(url, sizeof url, "%s", fx_rogue_at("/set-header?"));
    len = strlen(url);
    for (i = 0; i < n && len + 32 < sizeof url; i++) len += (size_t)snprintf(url + len, sizeof url - len, "%sX-H%d=%d", i ? "&" : "", i, i);
    return url;
}

TEST(max_headers_h1) {
    httpx_client_opts co;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    /* the default, 256: 300 fields are too many */
    c = httpx_client_new(NULL);
    r = httpx_client_get(c, many_headers_url(300), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "max_headers") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, many_headers_url(200), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "x-h199"), "199");
    httpx_response_free(r);
    httpx_client_free(c);
    /* lower: 10 */
    memset(&co, 0, sizeof co);
    co.limits.max_headers = 10;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, many_headers_url(20), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    r = httpx_client_get(c, many_headers_url(2), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    httpx_client_free(c);
    /* higher than the parser's stack room: 1000 */
    co.limits.max_headers = 1000;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, many_headers_url(300), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "x-h299"), "299");
    CHECK(httpx_headers_count(httpx_response_headers(r)) >= 300);
    httpx_response_free(r);
    httpx_client_free(c);
}

#ifndef HTTPX_NO_HTTP2
TEST(max_headers_h2) {
    httpx_client_opts co;
    httpx_client *c;
    httpx_response *r;
    size_t fields;
    int port = fxh2_nghttpd_port();
    REQUIRE(port);
    memset(&co, 0, sizeof co);
    co.http2_prior_knowledge = true;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, fx_url(port, "/hello.txt"), NULL);
    REQUIRE(r->error == HTTPX_OK);
    fields = httpx_headers_count(httpx_response_headers(r));
    REQUIRE(fields >= 2);
    httpx_response_free(r);
    httpx_client_free(c);
    /* one field fewer than the server sends */
    co.limits.max_headers = (int)fields - 1;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, fx_url(port, "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "max_headers") != NULL);
    httpx_response_free(r);
    /* the connection survives a refused head: the next request is fine */
    httpx_client_free(c);
    co.limits.max_headers = (int)fields;
    c = httpx_client_new(&co);
    r = httpx_client_get(c, fx_url(port, "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, h2c!\n");
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif
