/* HTTP/2 and TLS peers that misbehave (issue 14): each defect the hostile
   suite found, as a user of the public API sees it, against
   tests/servers/h2_server.py (h2c) and tests/tls/tls_server.py. Internals
   are used only to look: the connection's socket and its session's
   bookkeeping (open streams, body bytes not given back to the window).
   Waits are bounded by the library's timeouts or a generous poll; nothing
   sleeps to synchronise. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include "fixtures_tls.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

/* response.c's last check at the door (not in internal.h: tests only) */
bool httpx__response_body_short(httpx__response *r);

#define REPORT(r) do { if ((r)->error) printf("  (%s: %s)\n", httpx_strerror((r)->error), (r)->error_message); } while (0)

static const char *at(const char *path) {
    static char bufs[16][256];
    static unsigned k;
    char *b = bufs[k++ % 16];
    snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", fxh2_py_port(), path);
    return b;
}

static httpx_client *client(double read, double write) {
    return httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true,
                                                  .timeout = { .read = read, .write = write } });
}

/* n bytes of something that is not the server's pattern */
static const unsigned char *payload(size_t n) {
    static unsigned char *b;
    static size_t len;
    size_t i;
    if (len < n) {
        free(b);
        b = (unsigned char *)malloc(n);
        if (!b) return NULL;
        for (i = 0; i < n; i++) b[i] = (unsigned char)((i * 13 + i / 509) & 0xff);
        len = n;
    }
    return b;
}

static bool is_pattern(const char *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)p[i] != (i & 0xff)) return false;
    return true;
}

/* The one connection of c (all tests here use one origin). */
static httpx__conn *conn_of(httpx_client *c) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state != HTTPX__CONN_CLOSED) return conn;
    return NULL;
}

/* Its HTTP/2 session (the slot keeps it as the connection's opaque state). */
static httpx__h2_session *session_of(httpx_client *c) {
    httpx__conn *conn = conn_of(c);
    return conn && conn->proto == httpx__h2_protocol() ? (httpx__h2_session *)conn->proto_state : NULL;
}

static size_t open_streams(httpx_client *c) {
    httpx__h2_session *s = session_of(c);
    return s ? httpx__h2_open_streams(s) : 0;
}

static size_t held(httpx_client *c) {
    httpx__h2_session *s = session_of(c);
    return s ? httpx__h2_recv_held(s) : 0;
}

static bool get_ok(httpx_client *c, const char *path, size_t len) {
    httpx_response *r = httpx_client_get(c, at(path), NULL);
    bool ok = r->error == HTTPX_OK && r->status_code == 200 && r->content_length == len &&
              (len != 100 || is_pattern(r->content, len));
    if (!ok) printf("  GET %s: %d %s %zu bytes\n", path, r->status_code, r->error_message, r->content_length);
    httpx_response_free(r);
    return ok;
}

/* ---- 1. a stream the session still held when its exchange went ---- */

/* A complete answer while the request body is still blocked on the
   server's window (RFC 9113 8.1), then late frames for that stream, sent
   when the next request comes: they must find nothing (under ASan the old
   code was a use-after-free; here the session's open streams show it). */
TEST(h2_hostile_early_response_then_late_frames) {
    static const char *const thens[] = { "window,rst", "rst", "window", "goaway" };
    size_t i;
    REQUIRE(fxh2_py_port());
    for (i = 0; i < sizeof thens / sizeof thens[0]; i++) {
        httpx_client *c = client(5, 5);
        char path[64];
        httpx_response *r;
        snprintf(path, sizeof path, "/early?then=%s", thens[i]);
        r = httpx_client_post(c, at(path), &(httpx_opts){ .content = payload(1000000), .content_length = 1000000 });
        REPORT(r);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(r->status_code, 200);
        CHECK_STR(r->content, "early");
        httpx_response_free(r);
        /* the exchange went: the session holds nothing of it */
        CHECK_INT(open_streams(c), 0);
        /* the late frames come now, before this answer */
        CHECK(get_ok(c, "/bytes/100", 100));
        CHECK(get_ok(c, "/bytes/100", 100));
        httpx_client_free(c);
    }
}

/* ---- 2. the stale stream ending a redirect's new response ---- */

TEST(h2_hostile_early_redirect_is_not_cut_by_the_old_stream) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    /* 303 while the body is blocked; the GET that follows gets half its
       body, then the old stream's RST_STREAM(NO_ERROR), then the rest */
    r = httpx_client_post(c, at("/early-redirect?to=/split/10"), &(httpx_opts){
        .content = payload(1000000), .content_length = 1000000, .follow_redirects = HTTPX_YES });
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 10);
    CHECK(r->content_length == 10 && is_pattern(r->content, 10));
    httpx_response_free(r);
    CHECK(get_ok(c, "/bytes/100", 100));
    httpx_client_free(c);
}

/* The door's defence in depth: a body shorter than announced is never a
   success, whichever protocol let it through. */
TEST(h2_hostile_door_refuses_a_short_body) {
    httpx__response *r = (httpx__response *)calloc(1, sizeof *r);
    REQUIRE(r);
    r->pub.expected_length = 10;
    r->pub.num_bytes_downloaded = 5;
    CHECK(httpx__response_body_short(r));
    CHECK_INT(r->pub.error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(r->pub.error_message && strstr(r->pub.error_message, "5 of the 10 bytes"));
    memset(r, 0, sizeof *r);
    r->pub.expected_length = -1;          /* unknown length: nothing to compare */
    r->pub.num_bytes_downloaded = 5;
    CHECK(!httpx__response_body_short(r));
    r->pub.expected_length = 5;
    CHECK(!httpx__response_body_short(r));
    CHECK_INT(r->pub.error, HTTPX_OK);
    free(r);
}

/* ---- 3. body bytes dropped without giving back the connection window ---- */

static int abort_at_once(void *user, httpx_response *r, const char *data, size_t len) {
    (void)user; (void)r; (void)data; (void)len;
    return 1;
}

TEST(h2_hostile_dropped_bodies_give_back_the_window) {
    httpx_client *c;
    httpx_response *r;
    int i;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    /* A streamed response freed unread, with its whole body buffered: the
       GET that follows is answered after all of it (one connection, in
       order). 90 of them are 18 MB, over the 16 MiB connection window. */
    for (i = 0; i < 90; i++) {
        r = httpx_client_stream(c, "GET", at("/bytes/200000"), NULL);
        REQUIRE(r->error == HTTPX_OK && r->status_code == 200);
        if (!get_ok(c, "/bytes/10", 10)) {
            test_fail(__FILE__, __LINE__, "request %d after %d dropped bodies failed", i, i);
            httpx_response_free(r);
            break;
        }
        httpx_response_free(r);
        if (i == 0) CHECK_INT(held(c), 0);
    }
    CHECK(get_ok(c, "/bytes/100", 100));
    CHECK_INT(held(c), 0);
    /* aborted from on_data, and refused as too large: the same */
    r = httpx_client_get(c, at("/bytes/500000"), &(httpx_opts){ .on_data = abort_at_once });
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    httpx_response_free(r);
    CHECK(get_ok(c, "/bytes/100", 100));
    CHECK_INT(held(c), 0);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true, .max_body_size = 1000,
                                               .timeout = { .read = 5 } });
    r = httpx_client_get(c, at("/bytes/500000"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    CHECK(get_ok(c, "/bytes/100", 100));
    CHECK_INT(held(c), 0);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

/* ---- 4. full duplex: the upload goes on after the response head ---- */

TEST(h2_hostile_full_duplex_upload) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    r = httpx_client_post(c, at("/duplex"), &(httpx_opts){ .content = payload(1000000), .content_length = 1000000 });
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, payload(1000000), (size_t)1000000);
    httpx_response_free(r);
    CHECK_INT(open_streams(c), 0);
    httpx_client_free(c);
}

/* ---- 5. the write timeout is per operation ---- */

TEST(h2_hostile_write_timeout_is_per_operation) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    /* the server opens the window by 8 KiB every 50 ms: 512 KiB take about
       3 s, each wait 50 ms, far under the 1 s write timeout */
    c = client(10, 1);
    r = httpx_client_post(c, at("/trickle-ack"), &(httpx_opts){ .content = payload(524288), .content_length = 524288 });
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, payload(524288), (size_t)524288);
    CHECK(r->elapsed > 1.0);      /* it did outlast the timeout */
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- 6. a pooled connection the server closed while idle ---- */

TEST(h2_hostile_post_after_idle_close) {
    httpx_client *c;
    httpx_response *r;
    httpx__conn *conn;
    struct pollfd p;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    CHECK(get_ok(c, "/idle-close", 2));
    conn = conn_of(c);
    REQUIRE(conn && conn->io);
    /* wait (bounded) until the server's close reached the socket */
    p.fd = conn->io->fd;
    p.events = POLLIN;
    p.revents = 0;
    REQUIRE(poll(&p, 1, 5000) == 1);
    r = httpx_client_post(c, at("/echo"), &(httpx_opts){ .content = "not idempotent" });
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "not idempotent");
    CHECK(!r->connection_reused);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

/* ---- 7. a head of :status alone ---- */

TEST(h2_hostile_head_of_status_alone) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    r = httpx_client_get(c, at("/status-only"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 0);
    CHECK_INT(httpx_headers_count(&((httpx__response *)r)->headers), 0);   /* pub is its first member */
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- 9. HEAD and 204 with a body ---- */

TEST(h2_hostile_head_and_204_with_a_body_fail) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    r = httpx_client_head(c, at("/head-body"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "no content") != NULL);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    r = httpx_client_get(c, at("/204-body"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    /* a stream error: the connection serves on */
    CHECK(get_ok(c, "/bytes/100", 100));
    CHECK_INT(c->num_conns, 1);
    CHECK_INT(held(c), 0);
    httpx_client_free(c);
}

/* ---- 10. max_head_size over HTTP/2 ---- */

TEST(h2_hostile_max_head_size_applies) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true, .max_head_size = 4096 });
    r = httpx_client_get(c, at("/big-header/8000"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    CHECK(get_ok(c, "/big-header/1000", 2));
    httpx_client_free(c);
    /* and a larger limit lets a 120 KB head through (300 fields: over the
       default limits.max_headers of 256 too) */
    c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true, .max_head_size = 1 << 20,
                                               .limits = { .max_headers = 400 } });
    r = httpx_client_get(c, at("/huge-headers"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK(httpx_header(r, "x-big-299") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- interim heads and trailers ---- */

TEST(h2_hostile_interim_heads) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = client(5, 5);
    r = httpx_client_get(c, at("/interim?n=3"), NULL);
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "ok");
    httpx_response_free(r);
    /* 1000 are allowed, as curl and HTTPX do; more are a stream error */
    r = httpx_client_get(c, at("/interim?n=1000"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    r = httpx_client_get(c, at("/interim?n=1001"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "informational") != NULL);
    httpx_response_free(r);
    CHECK(get_ok(c, "/bytes/100", 100));
    httpx_client_free(c);
}

/* ---- TLS peers that misbehave (tests/tls/tls_server.py) ---- */

#ifdef HTTPX_BEARSSL
static httpx_client *tls_client(bool http2) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    o.http2 = http2;
    o.tls.ca_file = fxt_cert("ca.pem");
    o.timeout.read = o.timeout.connect = 5;
    return httpx_client_new(&o);
}

static const char *tls_at(int port, const char *path) {
    static char b[128];
    snprintf(b, sizeof b, "https://127.0.0.1:%d%s", port, path);
    return b;
}

/* 8. An ALPN answer the client never offered aborts the handshake. */
TEST(h2_hostile_tls_alpn_not_offered_aborts) {
    int port = fxt_py_port("alpn");
    int k;
    REQUIRE(port);
    for (k = 0; k < 2; k++) {       /* offering h2 and http/1.1, and http/1.1 alone */
        httpx_client *c = tls_client(k == 0);
        httpx_response *r = httpx_client_get(c, tls_at(port, "/"), NULL);
        REPORT(r);
        CHECK_INT(r->error, HTTPX_ERR_TLS);
        CHECK(strstr(r->error_message, "ALPN") != NULL);
        httpx_response_free(r);
        httpx_client_free(c);
    }
}

/* A record over the size TLS allows: a clear error, no hang. */
TEST(h2_hostile_tls_oversized_record) {
    int port = fxt_py_port("bigrecord");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(port);
    c = tls_client(false);
    r = httpx_client_get(c, tls_at(port, "/"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK_INT(r->status_code, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif
