/* The in-process app transport (httpx_client_opts.app): a C handler serves
   the requests with no socket, the request body read in pieces as the
   handler asks, the response body produced in pieces as the client reads;
   the client's whole policy runs on top, in both faces. */
#include "test.h"
#include <poll.h>
#include <stdlib.h>

/* A producer of `left` bytes of a repeating pattern, which notes how it is
   called: a body produced whole would show as one long run of calls before
   the reader saw a byte. */
typedef struct producer {
    long long left;
    long long given;
    int calls;              /* calls with a buffer */
    int released;           /* the last call (buf NULL) */
    size_t max_cap;         /* the largest buffer it was asked to fill */
    long fail_with;         /* != 0: return this at the first call */
    long extra;             /* returned on top of cap once (a producer that lies) */
    int calls_unread;       /* calls since the reader last saw bytes (on_data / httpx_read) */
    int max_unread;         /* the most of those in a row: 1 when it streams */
} producer;

static long produce(void *user, char *buf, size_t cap) {
    producer *p = (producer *)user;
    size_t i, n;
    if (!buf) {
        p->released++;
        return 0;
    }
    p->calls++;
    if (++p->calls_unread > p->max_unread) p->max_unread = p->calls_unread;
    if (cap > p->max_cap) p->max_cap = cap;
    if (p->fail_with) return p->fail_with;
    if (p->extra) return (long)cap + p->extra;
    n = p->left < (long long)cap ? (size_t)p->left : cap;
    for (i = 0; i < n; i++) buf[i] = (char)('a' + (p->given + (long long)i) % 26);
    p->left -= (long long)n;
    p->given += (long long)n;
    return (long)n;
}

/* What the app saw of the request body. */
typedef struct upload_seen {
    long long bytes;
    int reads;              /* httpx_app_read_body calls that gave bytes */
    size_t max_piece;
    unsigned long sum;
    long last;              /* the last return of httpx_app_read_body */
} upload_seen;

typedef struct app_state {
    int calls;
    producer prod;          /* /produce's body */
    long long prod_length;  /* its announced length (-1 unknown) */
    upload_seen up;
    size_t read_piece;      /* the app reads the body in pieces of this size */
    long long read_limit;   /* and stops after this many bytes (-1: all) */
    char method[16], last_url[256];
} app_state;

static bool path_is(const httpx_req *q, const char *path) {
    const char *u = strstr(httpx_request_url(q), "://");
    u = u ? strchr(u + 3, '/') : NULL;
    return u && !strncmp(u, path, strlen(path)) && (!u[strlen(path)] || u[strlen(path)] == '?');
}

static void read_upload(app_state *s, httpx_app_response *res) {
    char buf[65536];
    size_t piece = s->read_piece ? s->read_piece : 1024;
    long n;
    memset(&s->up, 0, sizeof s->up);
    if (piece > sizeof buf) piece = sizeof buf;
    for (;;) {
        if (s->read_limit >= 0 && s->up.bytes >= s->read_limit) break;
        n = httpx_app_read_body(res, buf, piece);
        s->up.last = n;
        if (n <= 0) break;
        s->up.reads++;
        s->up.bytes += n;
        if ((size_t)n > s->up.max_piece) s->up.max_piece = (size_t)n;
        while (n-- > 0) s->up.sum += (unsigned char)buf[n];
    }
}

/* The tiny app: /hello, /json, /echo (the body back, read in pieces),
   /upload (counts the body), /produce (a producer's body), /old -> /hello,
   /keep (307) -> /echo, /moved-produce (a 302 whose body is a producer),
   /loop, /bad-header, /fail, /stream-twice, /long, /short. */
static void app(void *user, const httpx_req *q, httpx_app_response *res) {
    app_state *s = (app_state *)user;
    s->calls++;
    snprintf(s->method, sizeof s->method, "%s", httpx_request_method(q));
    snprintf(s->last_url, sizeof s->last_url, "%s", httpx_request_url(q));
    if (path_is(q, "/hello")) {
        httpx_reply_header(res, "Content-Type", "text/plain");
        httpx_reply_body(res, "hello, world", 0);
    } else if (path_is(q, "/json")) {
        httpx_reply_json(res, 201, "{\"ok\": true}");
    } else if (path_is(q, "/echo")) {
        char buf[700];
        long n;
        httpx_reply_header(res, "X-Method", httpx_request_method(q));
        while ((n = httpx_app_read_body(res, buf, sizeof buf)) > 0) httpx_reply_write(res, buf, (size_t)n);
        if (n < 0) httpx_reply_status(res, 500);
    } else if (path_is(q, "/upload")) {
        char text[64];
        read_upload(s, res);
        snprintf(text, sizeof text, "%lld", s->up.bytes);
        httpx_reply_body(res, text, 0);
    } else if (path_is(q, "/produce")) {
        httpx_reply_header(res, "Content-Type", "application/octet-stream");
        httpx_reply_stream(res, produce, &s->prod, s->prod_length);
    } else if (path_is(q, "/old")) {
        httpx_reply_status(res, 301);
        httpx_reply_header(res, "Location", "/hello");
    } else if (path_is(q, "/keep")) {
        httpx_reply_status(res, 307);
        httpx_reply_header(res, "Location", "/echo");
    } else if (path_is(q, "/moved-produce")) {
        httpx_reply_status(res, 302);
        httpx_reply_header(res, "Location", "/hello");
        httpx_reply_stream(res, produce, &s->prod, s->prod_length);
    } else if (path_is(q, "/loop")) {
        httpx_reply_status(res, 302);
        httpx_reply_header(res, "Location", "/loop");
    } else if (path_is(q, "/bad-header")) {
        httpx_reply_stream(res, produce, &s->prod, s->prod_length);
        httpx_reply_header(res, "X-Evil", "a\r\nInjected: 1");
    } else if (path_is(q, "/fail")) {
        httpx_reply_error(res, HTTPX_ERR_READ_TIMEOUT, "the app took too long");
    } else if (path_is(q, "/stream-twice")) {
        httpx_reply_stream(res, produce, &s->prod, -1);
        httpx_reply_stream(res, produce, &s->prod, -1);
    } else if (path_is(q, "/long")) {      /* more than its own Content-Length */
        httpx_reply_header(res, "Content-Length", "3");
        httpx_reply_body(res, "12345", 0);
    } else if (path_is(q, "/no-content")) {   /* a body the wire would never carry */
        memset(&s->prod, 0, sizeof s->prod);
        s->prod.left = 100;
        httpx_reply_status(res, 204);
        httpx_reply_stream(res, produce, &s->prod, -1);
    } else if (path_is(q, "/status")) {
        httpx_reply_status(res, 99);
    } else {
        httpx_reply_status(res, 404);
        httpx_reply_body(res, "no such page", 0);
    }
}

static httpx_client *app_client(app_state *s, bool follow) {
    memset(s, 0, sizeof *s);
    s->prod_length = -1;
    s->read_limit = -1;
    return httpx_client_new(&(httpx_client_opts){ .app = app, .app_user_data = s, .follow_redirects = follow,
                                                  .base_url = "http://app.test" });
}

static httpx__response *inner(httpx_response *r) { return (httpx__response *)r; }

TEST(app_serves_requests_blocking) {
    app_state s;
    httpx_client *c = app_client(&s, false);
    httpx_response *r;
    char big[5000];
    REQUIRE(c);
    r = httpx_client_get(c, "/hello", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->reason_phrase, "OK");
    CHECK_STR(r->content, "hello, world");
    CHECK_STR(httpx_header(r, "content-type"), "text/plain");
    CHECK_STR(httpx_header(r, "content-length"), "12");
    CHECK_STR(r->http_version, "HTTP/1.1");
    httpx_response_free(r);
    r = httpx_client_post(c, "/json", &(httpx_opts){ .json = "{}" });
    CHECK_INT(r->status_code, 201);
    CHECK(httpx_json_bool(httpx_json_path(httpx_json(r), "ok")));
    CHECK_STR(s.method, "POST");
    httpx_response_free(r);
    /* the body read in pieces (700 bytes) and written back in pieces */
    memset(big, 'z', sizeof big);
    big[0] = 'A';
    big[sizeof big - 1] = 'Z';
    r = httpx_client_put(c, "/echo", &(httpx_opts){ .content = big, .content_length = sizeof big });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_MEM(r->content, r->content_length, big, sizeof big);
    CHECK_STR(httpx_header(r, "x-method"), "PUT");
    httpx_response_free(r);
    /* https needs no TLS in process; 404 is an answer, not an error */
    r = httpx_client_get(c, "https://secure.test/nothing", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 404);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_STR(s.last_url, "https://secure.test/nothing");
    httpx_response_free(r);
    /* HEAD: the length, no body */
    r = httpx_client_head(c, "/hello", NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 0);      /* no socket, ever */
    httpx_client_free(c);
}

/* The caller's upload callback and the app's reads, in step: 8 MiB go
   through in pieces, never gathered (the client keeps no copy). */
typedef struct upload_src {
    long long left;
    int calls;
    unsigned long sum;
    int fail_at;            /* > 0: return -1 at this call */
} upload_src;

static long upload(void *user, void *buf, size_t cap) {
    upload_src *u = (upload_src *)user;
    size_t i, n = u->left < (long long)cap ? (size_t)u->left : cap;
    if (++u->calls == u->fail_at) return -1;
    if (n > 4096) n = 4096;
    for (i = 0; i < n; i++) {
        ((char *)buf)[i] = (char)(i * 7 + (size_t)u->calls);
        u->sum += (unsigned char)((char *)buf)[i];
    }
    u->left -= (long long)n;
    return (long)n;
}

TEST(app_reads_a_large_upload_in_pieces) {
    app_state s;
    httpx_client *c = app_client(&s, false);
    httpx_response *r;
    upload_src u;
    int pass;
    REQUIRE(c);
    for (pass = 0; pass < 2; pass++) {     /* with a length, then chunked (unknown) */
        memset(&u, 0, sizeof u);
        u.left = 8 << 20;
        s.read_piece = 1500;
        r = httpx_client_post(c, "/upload", &(httpx_opts){ .upload = upload, .upload_user_data = &u,
                                                            .upload_length = pass ? 0 : 8 << 20 });
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->content, "8388608");
        CHECK_INT(s.up.bytes, 8 << 20);
        CHECK_INT(s.up.sum, u.sum);
        CHECK(s.up.max_piece <= 1500);
        CHECK(s.up.reads >= (8 << 20) / 1500);
        CHECK_INT(s.up.last, 0);
        CHECK_INT(inner(r)->sent_body.cap, 0);   /* the client held no copy */
        httpx_response_free(r);
    }
    /* an app that reads only the first bytes: the rest is never asked for */
    memset(&u, 0, sizeof u);
    u.left = 1 << 20;
    s.read_limit = 4096;
    s.read_piece = 4096;
    r = httpx_client_post(c, "/upload", &(httpx_opts){ .upload = upload, .upload_user_data = &u });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "4096");
    CHECK_INT(u.calls, 1);
    httpx_response_free(r);
    /* an upload that fails: the request fails with it, whatever the app said */
    memset(&u, 0, sizeof u);
    u.left = 1 << 20;
    u.fail_at = 3;
    s.read_limit = -1;
    r = httpx_client_post(c, "/upload", &(httpx_opts){ .upload = upload, .upload_user_data = &u });
    CHECK_INT(r->error, HTTPX_ERR_WRITE);
    CHECK(strstr(r->error_message, "upload callback") != NULL);
    CHECK(s.up.last < 0);
    CHECK_INT(r->status_code, 0);
    httpx_response_free(r);
    /* multipart with form fields: read through the same call */
    r = httpx_client_post(c, "/echo", &(httpx_opts){ .data = (httpx_pair[]){{"a", "1"}, {0}},
                                                      .files = (httpx_file[]){{"f", "f.txt", "text/plain", "abc", 3, NULL, NULL}, {0}} });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(r->content && strstr(r->content, "name=\"f\"; filename=\"f.txt\"") && strstr(r->content, "\r\n\r\nabc\r\n"));
    httpx_response_free(r);
    httpx_client_free(c);
}

static int on_data_count(void *user, httpx_response *r, const char *data, size_t len) {
    producer *p = (producer *)user;
    (void)r;
    (void)data;
    (void)len;
    p->calls_unread = 0;
    return 0;
}

TEST(app_produces_a_large_body_as_the_client_reads) {
    app_state s;
    httpx_client *c = app_client(&s, false);
    httpx_response *r;
    char buf[3000];
    long n;
    long long total = 0;
    bool same = true;
    REQUIRE(c);
    /* httpx_read: one producer call per read, into the reader's own buffer */
    s.prod.left = 64LL << 20;
    s.prod_length = 64LL << 20;
    r = httpx_client_stream(c, "GET", "/produce", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "content-length"), "67108864");
    CHECK_INT(r->expected_length, 64LL << 20);
    CHECK_INT(s.prod.calls, 0);                 /* nothing produced before the reader reads */
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        s.prod.calls_unread = 0;
        if (buf[0] != (char)('a' + total % 26)) same = false;
        total += n;
    }
    CHECK_INT(n, 0);
    CHECK(same);
    CHECK_INT(total, 64LL << 20);
    CHECK_INT(s.prod.max_unread, 1);
    CHECK(s.prod.max_cap <= sizeof buf);
    CHECK_INT(s.prod.released, 1);
    CHECK(inner(r)->body.cap < 65536);
    httpx_response_free(r);
    CHECK_INT(s.prod.released, 1);
    /* on_data, length unknown: each piece passes through a small buffer */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 64LL << 20;
    s.prod_length = -1;
    r = httpx_client_get(c, "/produce", &(httpx_opts){ .on_data = on_data_count, .user_data = &s.prod });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(httpx_header(r, "content-length") == NULL);
    CHECK_INT(r->num_bytes_downloaded, 64LL << 20);
    CHECK(s.prod.max_unread <= 2);                   /* its last call (0, the end) has nothing to pass on */
    CHECK(s.prod.max_cap <= 65536);
    CHECK(inner(r)->body.cap <= 65536);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* kept in memory: the whole body, as over the network */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 100000;
    r = httpx_client_get(c, "/produce", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 100000);
    CHECK(r->content[99999] == (char)('a' + 99999 % 26));
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* a stream freed unread, and a HEAD: the producer is released, never read */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 1 << 20;
    r = httpx_client_stream(c, "GET", "/produce", NULL);
    CHECK_INT(httpx_read(r, buf, 10), 10);
    httpx_response_free(r);
    CHECK_INT(s.prod.released, 1);
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 1 << 20;
    r = httpx_client_head(c, "/produce", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 0);
    CHECK_INT(s.prod.calls, 0);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    httpx_client_free(c);
}

static int abort_early(void *user, httpx_response *r, const char *data, size_t len) {
    (void)user;
    (void)data;
    (void)len;
    return r->num_bytes_downloaded > 100000;
}

TEST(app_errors_and_limits) {
    app_state s;
    httpx_client *c = app_client(&s, false);
    httpx_response *r;
    httpx_client *both;
    char buf[100];
    REQUIRE(c);
    /* an endless body (unknown length) against max_body_size */
    httpx_client_free(c);
    memset(&s, 0, sizeof s);
    c = httpx_client_new(&(httpx_client_opts){ .app = app, .app_user_data = &s, .max_body_size = 1 << 20 });
    REQUIRE(c);
    s.prod.left = 1LL << 40;
    s.prod_length = -1;
    r = httpx_client_get(c, "http://app.test/produce", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "max_body_size") != NULL);
    CHECK(s.prod.given < (2 << 20));
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* announced over the limit: refused at the head, nothing produced */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 2 << 20;
    s.prod_length = 2 << 20;
    r = httpx_client_get(c, "http://app.test/produce", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK_INT(s.prod.calls, 0);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* on_data says stop */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 1LL << 40;
    s.prod_length = -1;
    r = httpx_client_get(c, "http://app.test/produce", &(httpx_opts){ .on_data = abort_early });
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* timeout.total ends an endless body that nothing else would stop */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 1LL << 50;
    s.prod_length = -1;
    r = httpx_client_get(c, "http://app.test/produce", &(httpx_opts){ .on_data = on_data_count, .user_data = &s.prod,
                                                                       .timeout = { .total = 0.2 } });
    CHECK_INT(r->error, HTTPX_ERR_TOTAL_TIMEOUT);
    CHECK(strstr(r->error_message, "timeout.total") != NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* the producer fails, or lies about its buffer */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 10;
    s.prod.fail_with = -(long)HTTPX_ERR_READ_TIMEOUT;
    r = httpx_client_get(c, "http://app.test/produce", NULL);
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK(strstr(r->error_message, "producer failed") != NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 10;
    s.prod.extra = 5;
    r = httpx_client_stream(c, "GET", "http://app.test/produce", NULL);
    CHECK_INT(httpx_read(r, buf, sizeof buf), -(long)HTTPX_ERR_READ);
    CHECK(strstr(r->error_message, "bytes for a buffer of 100") != NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* shorter or longer than announced: refused, as over the network */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 10;
    s.prod_length = 20;
    r = httpx_client_get(c, "http://app.test/produce", NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "after 10 of the 20 bytes") != NULL);
    httpx_response_free(r);
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 30;
    s.prod_length = 20;
    r = httpx_client_get(c, "http://app.test/produce", NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "longer than the 20 bytes") != NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://app.test/long", NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    httpx_response_free(r);
    /* a refused header fails the request and still releases the producer */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod_length = -1;
    r = httpx_client_get(c, "http://app.test/bad-header", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_HEADER);
    CHECK(strstr(r->error_message, "X-Evil") != NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    /* two producers in one answer: refused, both released */
    memset(&s.prod, 0, sizeof s.prod);
    r = httpx_client_get(c, "http://app.test/stream-twice", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "twice") != NULL);
    CHECK_INT(s.prod.released, 2);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://app.test/fail", NULL);
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK_STR(r->error_message, "the app took too long");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://app.test/no-content", NULL);
    CHECK_INT(r->status_code, 204);
    CHECK_INT(r->content_length, 0);
    CHECK(httpx_header(r, "content-length") == NULL);
    CHECK_INT(s.prod.released, 1);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://app.test/status", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "status 99") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    /* app and mock both: which one answers would be a guess */
    both = httpx_client_new(&(httpx_client_opts){ .app = app, .app_user_data = &s, .mock = app });
    REQUIRE(both);
    r = httpx_client_get(both, "http://app.test/hello", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "both app and mock") != NULL);
    httpx_response_free(r);
    httpx_client_free(both);
    /* outside the handler there is no body to read */
    CHECK_INT(httpx_app_read_body(NULL, buf, sizeof buf), -(long)HTTPX_ERR_INVALID_ARGUMENT);
}

TEST(app_redirects_through_the_app) {
    app_state s;
    httpx_client *c = app_client(&s, true);
    httpx_response *r;
    upload_src u;
    REQUIRE(c);
    r = httpx_client_get(c, "/old", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->url, "http://app.test/hello");
    CHECK_STR(r->content, "hello, world");
    CHECK_INT(s.calls, 2);
    httpx_response_free(r);
    /* 307 keeps the method and the body: the app reads it on both hops */
    r = httpx_client_post(c, "/keep", &(httpx_opts){ .content = "again" });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "again");
    CHECK_STR(httpx_header(r, "x-method"), "POST");
    httpx_response_free(r);
    /* a streamed body cannot be sent twice */
    memset(&u, 0, sizeof u);
    u.left = 100;
    r = httpx_client_post(c, "/keep", &(httpx_opts){ .upload = upload, .upload_user_data = &u });
    CHECK_INT(r->error, HTTPX_ERR_STREAM);
    httpx_response_free(r);
    /* a redirect's produced body is dropped (bounded) and its producer released */
    memset(&s.prod, 0, sizeof s.prod);
    s.prod.left = 1LL << 40;
    s.prod_length = -1;
    r = httpx_client_get(c, "/moved-produce", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "hello, world");
    CHECK_INT(s.prod.released, 1);
    CHECK(s.prod.given < (1 << 20));
    httpx_response_free(r);
    r = httpx_client_get(c, "/loop", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_MANY_REDIRECTS);
    httpx_response_free(r);
    /* a stream after a redirect */
    memset(&s.prod, 0, sizeof s.prod);
    r = httpx_client_stream(c, "GET", "/old", NULL);
    CHECK_STR(httpx_read_line(r, NULL), "hello, world");
    httpx_response_free(r);
    httpx_client_free(c);
}

static void done_count(void *user, httpx_task *t, httpx_response *r) {
    int *ok = (int *)user;
    (void)t;
    *ok += r->error == HTTPX_OK && r->status_code == 200;
}

TEST(app_tasks_stream_both_ways) {
    app_state s;
    httpx_client *c;
    httpx_task *t[4];
    upload_src u;
    int ok = 0, left = 1, passes = 0;
    memset(&s, 0, sizeof s);
    s.prod_length = -1;
    s.read_limit = -1;
    c = httpx_client_new(&(httpx_client_opts){ .app = app, .app_user_data = &s, .follow_redirects = true,
                                               .max_in_flight = 2, .base_url = "http://app.test" });
    REQUIRE(c);
    memset(&u, 0, sizeof u);
    u.left = 4 << 20;
    s.prod.left = 16 << 20;
    t[0] = httpx_client_start(c, "POST", "/upload", &(httpx_opts){ .upload = upload, .upload_user_data = &u });
    t[1] = httpx_client_start(c, "GET", "/produce", &(httpx_opts){ .on_data = on_data_count, .user_data = &s.prod });
    t[2] = httpx_client_start(c, "GET", "/old", NULL);
    t[3] = httpx_client_start(c, "GET", "/fail", NULL);
    CHECK_INT(s.calls, 0);                       /* nothing runs outside the loop */
    httpx_gather(c, t, 4);
    CHECK_STR(httpx_task_response(t[0])->content, "4194304");
    CHECK_INT(s.up.sum, u.sum);
    CHECK_INT(httpx_task_response(t[1])->error, HTTPX_OK);
    CHECK_INT(httpx_task_response(t[1])->num_bytes_downloaded, 16 << 20);
    CHECK(s.prod.max_unread <= 2);
    CHECK_INT(s.prod.released, 1);
    CHECK_STR(httpx_task_response(t[2])->content, "hello, world");
    CHECK_INT(httpx_task_response(t[3])->error, HTTPX_ERR_READ_TIMEOUT);
    for (left = 0; left < 4; left++) httpx_task_free(t[left]);
    /* on_done, driven by an embedder's loop: no sockets to poll */
    httpx_client_start(c, "GET", "/hello", &(httpx_opts){ .on_done = done_count, .user_data = &ok });
    httpx_client_start(c, "GET", "/old", &(httpx_opts){ .on_done = done_count, .user_data = &ok });
    left = 1;
    while (left > 0 && passes < 100) {
        struct pollfd fds[4];
        int ms = -1, n = httpx_client_fds(c, fds, 4, &ms);
        CHECK_INT(n, 0);
        left = httpx_client_process(c, fds, n);
        passes++;
    }
    CHECK_INT(ok, 2);
    CHECK(passes < 100);
    httpx_client_free(c);
}

/* The blocking call and the task send the app the same request. */
TEST(app_both_faces_send_the_same_request) {
    app_state s;
    httpx_client *c = app_client(&s, false);
    httpx_response *r;
    httpx_task *t;
    char url0[256];
    const httpx_opts o = { .params = (httpx_pair[]){{"p", "1"}, {0}}, .json = "{\"a\": 1}" };
    REQUIRE(c);
    r = httpx_client_post(c, "/echo", &o);
    snprintf(url0, sizeof url0, "%s", s.last_url);
    t = httpx_client_start(c, "POST", "/echo", &o);
    httpx_task_wait(t);
    CHECK_STR(s.last_url, url0);
    CHECK_STR(url0, "http://app.test/echo?p=1");
    CHECK_STR(r->content, "{\"a\": 1}");
    CHECK_STR(r->content, httpx_task_response(t)->content);
    httpx_response_free(r);
    httpx_task_free(t);
    httpx_client_free(c);
}
