/* HTTP/2 end to end, through the public API: nghttpd (h2c), nginx (h2 over
   TLS) and tests/servers/h2_server.py, well-behaved and hostile. Internals
   are used only to look: c->num_conns (one connection per origin). Every
   wait is bounded by the library's own timeouts; nothing sleeps to
   synchronise. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include "fixtures_tls.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

#define H2_BIG (3 * 1000 * 1000)

/* byte i of the servers' pattern files (fxc_make_docroot's 1mb.bin) */
static unsigned char pat7(size_t i) { return (unsigned char)((i * 7 + 3) & 0xff); }

static unsigned char *big_file(void) {
    static unsigned char *b;
    size_t i;
    if (!b) {
        b = (unsigned char *)malloc(H2_BIG);
        if (!b) return NULL;
        for (i = 0; i < H2_BIG; i++) b[i] = (unsigned char)((i * 31 + i / 1000) & 0xff);
    }
    return b;
}

/* 10000 lines "line N" with \n, \r\n and \r endings in turn */
static char *lines_file(size_t *len) {
    static char *t;
    static size_t n;
    if (!t) {
        size_t cap = 10000 * 16, i;
        t = (char *)malloc(cap);
        if (!t) return NULL;
        for (i = 0; i < 10000; i++)
            n += (size_t)snprintf(t + n, cap - n, "line %zu%s", i, i % 3 == 0 ? "\n" : i % 3 == 1 ? "\r\n" : "\r");
    }
    *len = n;
    return t;
}

/* A server under test: its base URL and a client that speaks HTTP/2 to it. */
typedef struct h2srv { const char *name; char base[64]; bool tls; } h2srv;

static bool srv_nghttpd(h2srv *s) {
    int port = fxh2_nghttpd_port();
    s->name = "nghttpd h2c";
    s->tls = false;
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", port);
    if (!port) return false;
    if (access(fxh2_nghttpd_root(), R_OK) != 0) return false;
    fxh2_nghttpd_write_file("3mb.bin", big_file(), H2_BIG);
    { size_t n; char *t = lines_file(&n); fxh2_nghttpd_write_file("lines.txt", t, n); }
    return true;
}

static bool srv_nginx(h2srv *s) {
    int port = fxt_nginx_port("h2");
    s->name = "nginx h2";
    s->tls = true;
    snprintf(s->base, sizeof s->base, "https://127.0.0.1:%d", port);
    if (!port) return false;
    fxt_nginx_write_file("3mb.bin", big_file(), H2_BIG);
    { size_t n; char *t = lines_file(&n); fxt_nginx_write_file("lines.txt", t, n); }
    return true;
}

static const char *at(const h2srv *s, const char *path) {
    static char bufs[8][256];
    static unsigned k;
    char *b = bufs[k++ % 8];
    snprintf(b, sizeof bufs[0], "%s%s", s->base, path);
    return b;
}

static httpx_client *client_for(const h2srv *s, const httpx_client_opts *extra) {
    httpx_client_opts o;
    if (extra) o = *extra;
    else memset(&o, 0, sizeof o);
    if (s->tls) {
        o.http2 = true;
        o.tls.ca_file = fxt_cert("ca.pem");
    } else {
        o.http2_prior_knowledge = true;
    }
    return httpx_client_new(&o);
}

/* The python server: base URL of h2c with prior knowledge. */
static const char *py_at(const char *path) {
    static char bufs[16][256];
    static unsigned k;
    char *b = bufs[k++ % 16];
    snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", fxh2_py_port(), path);
    return b;
}

static httpx_client *py_client(double read_timeout) {
    return httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true,
                                                  .timeout = { .read = read_timeout } });
}

#define REPORT(r) do { if ((r)->error) printf("  (%s: %s)\n", httpx_strerror((r)->error), (r)->error_message); } while (0)

/* ---- the same checks against nghttpd (h2c) and nginx (h2 over TLS) ---- */

static void check_small_get(h2srv *s) {
    httpx_client *c = client_for(s, NULL);
    httpx_response *r = httpx_client_get(c, at(s, "/hello.txt"), NULL);
    REPORT(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK(r->content_length > 0 && strncmp(r->content, "Hello, ", 7) == 0);
    CHECK(httpx_header(r, "content-length") != NULL);
    httpx_response_free(r);
    /* a second request reuses the connection */
    r = httpx_client_get(c, at(s, "/hello.txt"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(c->num_conns, 1);
    httpx_response_free(r);
    /* a HEAD has no body, a missing file is a 404 with its own body */
    r = httpx_client_head(c, at(s, "/1mb.bin"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    r = httpx_client_get(c, at(s, "/missing.txt"), NULL);
    CHECK_INT(r->status_code, 404);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

static void check_download(h2srv *s) {
    httpx_client *c = client_for(s, NULL);
    httpx_response *r = httpx_client_get(c, at(s, "/3mb.bin"), NULL);
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, big_file(), (size_t)H2_BIG);
    CHECK_INT(r->num_bytes_downloaded, H2_BIG);
    CHECK_INT(r->expected_length, H2_BIG);
    httpx_response_free(r);
    httpx_client_free(c);
}

static void check_many(h2srv *s, int n) {
    httpx_client *c = client_for(s, NULL);
    httpx_task **t = (httpx_task **)calloc((size_t)n, sizeof *t);
    int i, ok = 0, v2 = 0;
    REQUIRE(t);
    for (i = 0; i < n; i++) t[i] = httpx_client_start(c, "GET", at(s, i % 2 ? "/hello.txt" : "/1mb.bin"), NULL);
    httpx_gather(c, t, (size_t)n);
    for (i = 0; i < n; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        if (r && !r->error && r->status_code == 200 && r->content_length == (i % 2 ? 12u : 1048576u)) ok++;
        else if (r) REPORT(r);
        if (r && !strcmp(r->http_version, "HTTP/2")) v2++;
        httpx_task_free(t[i]);
    }
    CHECK_INT(ok, n);
    CHECK_INT(v2, n);
    CHECK_INT(c->num_conns, 1);           /* beyond the server's stream limit they waited for a stream */
    free(t);
    httpx_client_free(c);
}

static void check_stream_reads(h2srv *s) {
    httpx_client *c = client_for(s, NULL);
    unsigned char *got = (unsigned char *)malloc(H2_BIG + 1), buf[4097];
    size_t total = 0, want, i, n;
    long k;
    char expect[32];
    const char *line;
    httpx_response *r;
    REQUIRE(got);
    /* httpx_read in small pieces of changing sizes */
    r = httpx_client_stream(c, "GET", at(s, "/3mb.bin"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->http_version, "HTTP/2");
    for (want = 1; (k = httpx_read(r, buf, want)) > 0; want = want % 4096 + 1) {
        if (total + (size_t)k > H2_BIG) break;
        memcpy(got + total, buf, (size_t)k);
        total += (size_t)k;
    }
    CHECK_INT(k, 0);
    CHECK_MEM(got, total, big_file(), (size_t)H2_BIG);
    httpx_response_free(r);
    /* httpx_read_line over every line ending */
    r = httpx_client_stream(c, "GET", at(s, "/lines.txt"), NULL);
    CHECK_INT(r->status_code, 200);
    for (i = 0; (line = httpx_read_line(r, &n)) != NULL; i++) {
        snprintf(expect, sizeof expect, "line %zu", i);
        if (strlen(expect) != n || memcmp(line, expect, n) != 0) {
            test_fail(__FILE__, __LINE__, "line %zu is \"%.*s\"", i, (int)n, line);
            break;
        }
    }
    CHECK_INT(i, 10000);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    free(got);
    httpx_client_free(c);
}

typedef struct sink { size_t n, bad, calls; } sink;

static int sink_big(void *user, httpx_response *r, const char *data, size_t len) {
    sink *k = (sink *)user;
    size_t i;
    const unsigned char *want = big_file();
    (void)r;
    for (i = 0; i < len; i++)
        if (k->n + i >= H2_BIG || (unsigned char)data[i] != want[k->n + i]) k->bad++;
    k->n += len;
    k->calls++;
    return 0;
}

static void check_on_data(h2srv *s) {
    httpx_client *c = client_for(s, NULL);
    sink k = { 0, 0, 0 };
    httpx_response *r = httpx_client_get(c, at(s, "/3mb.bin"), &(httpx_opts){ .on_data = sink_big, .user_data = &k });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(k.n, H2_BIG);
    CHECK_INT(k.bad, 0);
    CHECK(k.calls > 1);
    CHECK_INT(r->content_length, 0);              /* streamed to the callback, not kept */
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(h2_client_nghttpd) {
    h2srv s;
    REQUIRE(srv_nghttpd(&s));
    check_small_get(&s);
    check_download(&s);
    check_stream_reads(&s);
    check_on_data(&s);
}

TEST(h2_client_nginx_tls) {
    h2srv s;
    REQUIRE(srv_nginx(&s));
    check_small_get(&s);
    check_download(&s);
    check_stream_reads(&s);
    check_on_data(&s);
}

TEST(h2_client_nghttpd_200_tasks_one_connection) {
    h2srv s;
    REQUIRE(srv_nghttpd(&s));
    check_many(&s, 200);                  /* nghttpd allows 100 streams at once */
}

TEST(h2_client_nginx_200_tasks_one_connection) {
    h2srv s;
    REQUIRE(srv_nginx(&s));
    check_many(&s, 200);                  /* nginx: 128 */
}

/* nginx ends an HTTP/2 connection after 1000 requests (keepalive_requests)
   with a GOAWAY: the streams it did not take go again on a new connection,
   and every request succeeds. */
TEST(h2_client_nginx_goaway_after_1000_requests) {
    h2srv s;
    httpx_client *c;
    httpx_task **t;
    int i, n = 1300, ok = 0;
    REQUIRE(srv_nginx(&s));
    REQUIRE((t = (httpx_task **)calloc((size_t)n, sizeof *t)) != NULL);
    c = client_for(&s, &(httpx_client_opts){ .max_in_flight = 100 });
    for (i = 0; i < n; i++) t[i] = httpx_client_start(c, "GET", at(&s, "/hello.txt"), NULL);
    httpx_gather(c, t, (size_t)n);
    for (i = 0; i < n; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        if (r && r->status_code == 200 && !strcmp(r->http_version, "HTTP/2")) ok++;
        else if (r && ok + 5 > i) REPORT(r);
        httpx_task_free(t[i]);
    }
    CHECK_INT(ok, n);
    CHECK_INT(c->num_conns, 1);            /* the old one closed once its streams ended */
    free(t);
    httpx_client_free(c);
}

/* Without http2 the same nginx speaks HTTP/1.1 (ALPN offers only that). */
TEST(h2_client_nginx_without_http2_is_http11) {
    httpx_client *c;
    httpx_response *r;
    int port = fxt_nginx_port("h2");
    char url[80];
    REQUIRE(port);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    c = httpx_client_new(&(httpx_client_opts){ .tls.ca_file = fxt_cert("ca.pem") });
    r = httpx_client_get(c, url, NULL);
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->http_version, "HTTP/1.1");
    CHECK_STR(httpx_header(r, "x-alpn"), "http/1.1");
    httpx_response_free(r);
    httpx_client_free(c);
    /* and with it, ALPN picks h2 */
    r = httpx_get(url, &(httpx_opts){ .http2 = true, .tls = &(httpx_tls_opts){ .ca_file = fxt_cert("ca.pem") } });
    REPORT(r);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_STR(httpx_header(r, "x-alpn"), "h2");
    httpx_response_free(r);
}

/* ---- uploads: every body kind ---- */

typedef struct gen { size_t off, len; } gen;
static long gen_big(void *user, void *buf, size_t cap) {
    gen *g = (gen *)user;
    size_t n = g->len - g->off;
    if (n > cap) n = cap;
    if (n > 777) n = 777;                  /* odd pieces: they never line up with frames */
    memcpy(buf, big_file() + g->off, n);
    g->off += n;
    return (long)n;
}

TEST(h2_client_upload_body_kinds) {
    httpx_client *c;
    httpx_response *r;
    gen g = { 0, H2_BIG };
    const char *ct;
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    /* content: 3 MB, over the server's 64 KiB windows many times */
    r = httpx_client_post(c, py_at("/echo"), &(httpx_opts){ .content = big_file(), .content_length = H2_BIG });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, big_file(), (size_t)H2_BIG);
    CHECK_STR(httpx_header(r, "x-request-content-length"), "3000000");
    httpx_response_free(r);
    /* json */
    r = httpx_client_post(c, py_at("/echo"), &(httpx_opts){ .json = "{\"a\": [1, 2]}" });
    CHECK_STR(r->content, "{\"a\": [1, 2]}");
    CHECK_STR(httpx_header(r, "x-request-content-type"), "application/json");
    CHECK_STR(httpx_header(r, "x-request-content-length"), "13");
    httpx_response_free(r);
    /* data: a form */
    r = httpx_client_put(c, py_at("/echo"), &(httpx_opts){ .data = (httpx_pair[]){ { "a", "1" }, { "b", "x y&z" }, { 0 } } });
    CHECK_STR(r->content, "a=1&b=x+y%26z");
    CHECK_STR(httpx_header(r, "x-request-content-type"), "application/x-www-form-urlencoded");
    httpx_response_free(r);
    /* files: multipart, with a field beside */
    r = httpx_client_post(c, py_at("/echo"), &(httpx_opts){
        .data = (httpx_pair[]){ { "title", "t" }, { 0 } },
        .files = (httpx_file[]){ { .field = "f", .filename = "a.bin", .data = big_file(), .size = 100000 }, { 0 } } });
    REPORT(r);
    ct = httpx_header(r, "x-request-content-type");
    CHECK(ct && !strncmp(ct, "multipart/form-data; boundary=", 30));
    CHECK(r->content_length > 100000 && strstr(r->content, "name=\"title\"") && strstr(r->content, "filename=\"a.bin\""));
    CHECK(r->content_length > 100000 && memmem(r->content, r->content_length, big_file(), 100000) != NULL);
    CHECK_INT(atol(httpx_header(r, "x-request-content-length") ? httpx_header(r, "x-request-content-length") : "0"),
              r->content_length);
    httpx_response_free(r);
    /* an upload callback of unknown length: DATA frames, no content-length */
    r = httpx_client_post(c, py_at("/echo"), &(httpx_opts){ .upload = gen_big, .upload_user_data = &g });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, big_file(), (size_t)H2_BIG);
    CHECK_STR(httpx_header(r, "x-request-content-length"), "none");
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

/* Uploads to the real servers: nghttpd echoes, nginx says how much it got. */
TEST(h2_client_upload_real_servers) {
    h2srv s;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(srv_nghttpd(&s));
    c = client_for(&s, NULL);
    r = httpx_client_post(c, at(&s, "/hello.txt"), &(httpx_opts){ .content = big_file(), .content_length = H2_BIG });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, big_file(), (size_t)H2_BIG);
    httpx_response_free(r);
    httpx_client_free(c);
    REQUIRE(srv_nginx(&s));
    c = client_for(&s, NULL);
    r = httpx_client_post(c, at(&s, "/upload"), &(httpx_opts){ .content = big_file(), .content_length = H2_BIG });
    REPORT(r);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_STR(r->content, "got 3000000\n");
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A server that keeps its windows shut for a while: the upload waits, then completes. */
TEST(h2_client_upload_zero_window_opens_late) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    r = httpx_client_post(c, py_at("/slow-ack"), &(httpx_opts){ .content = big_file(), .content_length = 1000000 });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_MEM(r->content, r->content_length, big_file(), (size_t)1000000);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- redirects ---- */

TEST(h2_client_redirects) {
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true, .follow_redirects = true });
    r = httpx_client_get(c, py_at("/redirect/302?to=/bytes/10"), NULL);
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 10);
    CHECK(strstr(r->url, "/bytes/10") != NULL);
    httpx_response_free(r);
    /* 307 sends the body again */
    r = httpx_client_post(c, py_at("/redirect/307?to=/echo"), &(httpx_opts){ .content = "again", .content_length = 5 });
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "again");
    httpx_response_free(r);
    /* without following, the redirect itself */
    r = httpx_client_get(c, py_at("/redirect/301"), &(httpx_opts){ .follow_redirects = HTTPX_NO });
    CHECK_INT(r->status_code, 301);
    CHECK_STR(httpx_header(r, "location"), "/bytes/10");
    CHECK_STR(r->content, "redirect");
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

/* ---- timeouts and cancellation: the connection goes on for the others ---- */

static int tasks_ok(httpx_task **t, int from, int n, size_t len) {
    int i, ok = 0;
    for (i = from; i < n; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        if (r && !r->error && r->status_code == 200 && r->content_length == len) ok++;
        else if (r) REPORT(r);
    }
    return ok;
}

TEST(h2_client_stalled_stream_times_out_alone) {
    httpx_client *c;
    httpx_task *t[6];
    httpx_response *r;
    int i;
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    t[0] = httpx_client_start(c, "GET", py_at("/stall"), &(httpx_opts){ .timeout = { .read = 1.0 } });
    for (i = 1; i < 6; i++) t[i] = httpx_client_start(c, "GET", py_at("/bytes/300000"), NULL);
    httpx_gather(c, t, 6);
    r = httpx_task_response(t[0]);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK_INT(tasks_ok(t, 1, 6, 300000), 5);
    CHECK_INT(c->num_conns, 1);
    for (i = 0; i < 6; i++) httpx_task_free(t[i]);
    /* the connection still serves */
    r = httpx_client_get(c, py_at("/bytes/1000"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(c->num_conns, 1);
    httpx_response_free(r);
    httpx_client_free(c);
}

static int note_data(void *user, httpx_response *r, const char *data, size_t len) {
    (void)r; (void)data;
    *(size_t *)user += len;
    return 0;
}

TEST(h2_client_cancel_mid_stream) {
    httpx_client *c;
    httpx_task *t[6];
    httpx_response *r;
    size_t got = 0;
    int i, polls = 0;
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    t[0] = httpx_client_start(c, "GET", py_at("/bytes/5000000"), &(httpx_opts){ .on_data = note_data, .user_data = &got });
    for (i = 1; i < 6; i++) t[i] = httpx_client_start(c, "GET", py_at("/bytes/400000"), NULL);
    while (got == 0 && !httpx_task_done(t[0]) && polls++ < 100000) httpx_client_poll(c, 100);
    CHECK(got > 0 && got < 5000000);
    httpx_task_free(t[0]);                 /* RST_STREAM CANCEL; the others go on */
    httpx_gather(c, t + 1, 5);
    CHECK_INT(tasks_ok(t, 1, 6, 400000), 5);
    CHECK_INT(c->num_conns, 1);
    for (i = 1; i < 6; i++) httpx_task_free(t[i]);
    /* a streamed response freed half-read: the same */
    r = httpx_client_stream(c, "GET", py_at("/bytes/3000000"), NULL);
    {
        char buf[1000];
        CHECK(httpx_read(r, buf, sizeof buf) > 0);
    }
    httpx_response_free(r);
    r = httpx_client_get(c, py_at("/bytes/1000"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(c->num_conns, 1);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The frame-loop promise over one HTTP/2 connection. */
TEST(h2_client_poll_zero_frame_budget) {
    h2srv s;
    httpx_client *c;
    httpx_task *t[300];
    double worst = 0, dt, start;
    int i, calls = 0, waited = 0;
    REQUIRE(srv_nghttpd(&s));
    c = client_for(&s, NULL);
    for (i = 0; i < 300; i++) t[i] = httpx_client_start(c, "GET", at(&s, i % 10 ? "/hello.txt" : "/1mb.bin"), NULL);
    start = httpx__now();
    while (httpx_client_poll(c, 0) > 0 && httpx__now() - start < 60) {
        test_clock k = test_clock_start();
        httpx_client_poll(c, 0);
        dt = test_clock_seconds(k);
        if (dt > worst) worst = dt;
        waited += test_waited(k, 0.020);
        calls++;
        usleep(500);
    }
    printf("  h2 poll(c, 0): %d calls, longest %.3f ms, 300 requests in %.2f s\n", calls, worst * 1e3,
           httpx__now() - start);
    for (i = 0; i < 300; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        CHECK(r && r->status_code == 200 && r->content_length == (i % 10 ? 12u : 1048576u));
        httpx_task_free(t[i]);
    }
    CHECK_INT(c->num_conns, 1);
    CHECK_INT(waited, 0);                  /* no call slept: the wall clock alone says little under load */
    CHECK(worst < 2.0);
    httpx_client_free(c);
}

/* ---- hostile servers ---- */

/* GOAWAY mid-stream: the stream at or below the last id completes; the
   requests above it are retried on a new connection (a POST too: the server
   says it never processed them); a POST with a streamed body cannot be made
   again and fails, saying why. */
TEST(h2_client_goaway_retries_above_last_stream) {
    httpx_client *c;
    httpx_task *t[7];
    httpx_response *r;
    gen g = { 0, 100000 };
    int i;
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    t[0] = httpx_client_start(c, "GET", py_at("/goaway"), NULL);
    for (i = 1; i < 5; i++) t[i] = httpx_client_start(c, "GET", py_at("/bytes/1000"), NULL);
    t[5] = httpx_client_start(c, "POST", py_at("/hash"), &(httpx_opts){ .upload = gen_big, .upload_user_data = &g });
    t[6] = httpx_client_start(c, "POST", py_at("/echo"), &(httpx_opts){ .content = "in memory", .content_length = 9 });
    httpx_gather(c, t, 7);
    r = httpx_task_response(t[0]);
    REPORT(r);
    CHECK(r && r->status_code == 200 && r->content_length == 2000);
    CHECK_INT(tasks_ok(t, 1, 5, 1000), 4);
    r = httpx_task_response(t[5]);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "GOAWAY") != NULL);
    CHECK(strstr(r->error_message, "not retried: its body was streamed") != NULL);
    printf("  streamed POST above GOAWAY: %s\n", r->error_message);
    /* a POST whose body is in memory: the server never saw it, so it goes again */
    r = httpx_task_response(t[6]);
    REQUIRE(r);
    REPORT(r);
    CHECK_STR(r->content, "in memory");
    for (i = 0; i < 7; i++) httpx_task_free(t[i]);
    httpx_client_free(c);
}

/* The same while the last stream below the GOAWAY goes on for 2 s: the
   retried GETs must not wait for it (the GOAWAY'd connection takes no new
   stream), so a 1 s pool timeout is plenty. */
TEST(h2_client_goaway_retry_does_not_wait_for_old_connection) {
    httpx_client *c;
    httpx_task *t[4];
    httpx_response *r;
    int i;
    REQUIRE(fxh2_py_port());
    c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true, .timeout = { .pool = 1.0 } });
    t[0] = httpx_client_start(c, "GET", py_at("/goaway-slow"), NULL);
    for (i = 1; i < 4; i++) t[i] = httpx_client_start(c, "GET", py_at("/bytes/1000"), NULL);
    httpx_gather(c, t, 4);
    r = httpx_task_response(t[0]);
    CHECK(r && r->status_code == 200 && r->content_length == 2000);
    CHECK_INT(tasks_ok(t, 1, 4, 1000), 3);
    for (i = 0; i < 4; i++) httpx_task_free(t[i]);
    httpx_client_free(c);
}

TEST(h2_client_rst_stream) {
    httpx_client *c;
    httpx_response *r;
    char path[64];
    gen g = { 0, 1000 };
    REQUIRE(fxh2_py_port());
    c = py_client(0);
    /* REFUSED_STREAM: the server did not process it; a GET goes again */
    snprintf(path, sizeof path, "/rst/7?once=get-%d", (int)getpid());
    r = httpx_client_get(c, py_at(path), NULL);
    REPORT(r);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "retried");
    httpx_response_free(r);
    /* ... but a streamed POST cannot be made again */
    snprintf(path, sizeof path, "/rst/7?once=post-%d", (int)getpid());
    r = httpx_client_post(c, py_at(path), &(httpx_opts){ .upload = gen_big, .upload_user_data = &g });
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "REFUSED_STREAM") != NULL);
    CHECK(strstr(r->error_message, "not retried: its body was streamed") != NULL);
    httpx_response_free(r);
    /* other codes: an error that names the code */
    r = httpx_client_get(c, py_at("/rst/2"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "INTERNAL_ERROR") != NULL);
    printf("  %s\n", r->error_message);
    httpx_response_free(r);
    r = httpx_client_get(c, py_at("/rst/11"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "ENHANCE_YOUR_CALM") != NULL);
    httpx_response_free(r);
    /* a stream error leaves the connection serving */
    r = httpx_client_get(c, py_at("/bytes/10"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(c->num_conns, 1);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* One request to a hostile path: its error (and message), then the client
   still works for a request on a fresh or the same connection. */
static httpx_error hostile(const char *path, const char *needle, double read_timeout) {
    httpx_client *c = py_client(read_timeout);
    httpx_response *r = httpx_client_get(c, py_at(path), NULL);
    httpx_error err = r->error;
    printf("  %s: %s%s%s\n", path, httpx_strerror(r->error), *r->error_message ? ": " : "", r->error_message);
    if (needle && !strstr(r->error_message, needle))
        test_fail(__FILE__, __LINE__, "%s: the message does not say \"%s\"", path, needle);
    httpx_response_free(r);
    r = httpx_client_get(c, py_at("/bytes/100"), NULL);
    if (r->status_code != 200 || r->content_length != 100)
        test_fail(__FILE__, __LINE__, "after %s: the next request failed: %s", path, r->error_message);
    httpx_response_free(r);
    if (c->num_conns != 1) test_fail(__FILE__, __LINE__, "after %s: %d connections", path, c->num_conns);
    httpx_client_free(c);
    return err;
}

TEST(h2_client_hostile_window_overflow) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/window-overflow", "FLOW_CONTROL_ERROR", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_huge_header_block) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/huge-headers", NULL, 0), HTTPX_ERR_TOO_LARGE);
}

TEST(h2_client_hostile_bad_hpack_index) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/bad-hpack", "HPACK", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_floods) {
    httpx_error e;
    REQUIRE(fxh2_py_port());
    /* 20000 frames at once, each asking for an answer: over the session's
       bound of answers in one go, so the connection ends with an error that
       says so (ENHANCE_YOUR_CALM), and the next request gets a new one */
    e = hostile("/settings-flood", "flood", 0);
    CHECK_INT(e, HTTPX_ERR_REMOTE_PROTOCOL);
    e = hostile("/ping-flood", "flood", 0);
    CHECK_INT(e, HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_frames_on_closed_and_idle_streams) {
    httpx_error e;
    REQUIRE(fxh2_py_port());
    e = hostile("/closed-stream", NULL, 0);          /* the response was complete before */
    CHECK_INT(e, HTTPX_OK);
    CHECK_INT(hostile("/idle-stream", "never opened", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_frame_over_max_size) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/oversize", "FRAME_SIZE", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_data_before_headers) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/data-first", "DATA", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_connection_closed_mid_stream) {
    REQUIRE(fxh2_py_port());
    CHECK_INT(hostile("/close-mid", "closed", 0), HTTPX_ERR_REMOTE_PROTOCOL);
}

TEST(h2_client_hostile_server_never_sends_settings) {
    httpx_client *c;
    httpx_response *r;
    char url[64];
    int port = fxh2_py_nosettings_port();
    REQUIRE(port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    c = py_client(0.5);
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- examples/http2.c against the h2 nginx ---- */

TEST(h2_client_example_http2) {
    char cmd[1024], out[4096];
    size_t n;
    FILE *p;
    int port = fxt_nginx_port("h2"), st;
    REQUIRE(port);
    REQUIRE(fxt_cert("ca.pem"));
    /* the Makefile's examples are built without TLS: build one with it */
    st = system("mkdir -p build/examples && cc -std=c99 -O0 -DHTTPX_BEARSSL -Wall -Wextra -pedantic -Werror "
                "examples/http2.c -o build/examples/http2-tls -lbearssl 2>&1");
    REQUIRE(st == 0);
    snprintf(cmd, sizeof cmd, "SSL_CERT_FILE='%s' build/examples/http2-tls https://127.0.0.1:%d/hello.txt 2>&1",
             fxt_cert("ca.pem"), port);
    REQUIRE((p = popen(cmd, "r")) != NULL);
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    st = pclose(p);
    CHECK_INT(st, 0);
    CHECK(strstr(out, "HTTP/2 200\n") != NULL);
    CHECK(strstr(out, "20 of 20 requests done") != NULL);
    if (st) printf("%s", out);
}
