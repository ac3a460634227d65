/* The public API over an in-memory byte stream whose bytes come from the
   fuzz input (fuzz_api_h1.c, fuzz_api_h2.c): the engine's paths, not only
   the parsers. The stream enters a client's pool through the test seam
   httpx__conn_adopt (as tests/test_engine.c does with a socketpair); what
   the client sends is taken (in pieces) and dropped, what it receives is
   the input, in pieces, sometimes "would block", then the end.

   The loop polls file descriptors, so the stream names one that is always
   ready (one end of a socketpair with a byte waiting, never read): every
   pass steps the connection, and no traffic leaves the process. The
   client's nameservers are 127.0.0.1:9, so should the engine open another
   connection (a retry), its lookup of the unresolvable name stays on
   loopback and fails.

   Input: one byte of scenario, then the server's bytes. Properties: no
   crash, leak or undefined behaviour; every request ends with a response or
   an error (with a message); a success never carries fewer body bytes than
   its Content-Length announced; the body is NUL-terminated; streamed reads
   add up to what was announced. */
#include "fuzz.h"
#include <poll.h>
#include <unistd.h>

typedef struct mem_stream {
    httpx__stream base;
    const uint8_t *p;
    size_t n;
    uint64_t rng;
    unsigned again;     /* "would block" answers in a row, bounded */
} mem_stream;

static int fuzz_ready_fd(void) {
    static int sv[2] = {-1, -1};
    if (sv[0] < 0) {
        FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        FUZZ_CHECK(write(sv[1], "x", 1) == 1);
    }
    return sv[0];
}

static long mem_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    mem_stream *m = (mem_stream *)s;
    uint64_t r = httpx__splitmix64(&m->rng);
    (void)p; (void)e;
    if ((r & 15) == 0 && m->again < 3) { m->again++; s->want = POLLOUT; return HTTPX__AGAIN; }
    m->again = 0;
    if (r & 16) return (long)n;
    return (long)(n < 1 + (r >> 8) % 4096 ? n : 1 + (r >> 8) % 4096);
}

static long mem_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    mem_stream *m = (mem_stream *)s;
    uint64_t r = httpx__splitmix64(&m->rng);
    size_t k;
    (void)e;
    if (!m->n) return 0;                            /* the server closed */
    if ((r & 15) == 0 && m->again < 3) { m->again++; s->want = POLLIN; return HTTPX__AGAIN; }
    m->again = 0;
    k = fuzz_piece(&m->rng, m->n);
    if (r & 32) k = m->n;
    if (k > n) k = n;
    memcpy(p, m->p, k);
    m->p += k;
    m->n -= k;
    return (long)k;
}

static size_t mem_pending(const httpx__stream *s) { (void)s; return 0; }
static void mem_free(httpx__stream *s) { free(s); }
static int mem_connect(httpx__stream *s, httpx__err *e) { (void)s; (void)e; return 1; }   /* connected already */
static const char *mem_query(const httpx__stream *s, int fact) { (void)s; (void)fact; return NULL; }

static const httpx__stream_ops mem_ops = {mem_connect, mem_send, mem_recv, mem_pending, mem_query, mem_free};

static httpx__stream *mem_stream_new(const uint8_t *p, size_t n, uint64_t seed) {
    mem_stream *m = (mem_stream *)calloc(1, sizeof *m);
    FUZZ_CHECK(m != NULL);
    m->base.ops = &mem_ops;
    m->base.fd = fuzz_ready_fd();
    m->p = p;
    m->n = n;
    m->rng = seed;
    return &m->base;
}

/* A streaming upload of a fixed size (70,000 bytes: more than HTTP/2's
   first window). */
typedef struct upload { size_t left; } upload;
static long upload_read(void *user, void *buf, size_t cap) {
    upload *u = (upload *)user;
    size_t k = u->left < cap ? u->left : cap;
    memset(buf, 'u', k);
    u->left -= k;
    return (long)k;
}

/* on_data that gives up after a number of bytes (the abort path). */
typedef struct sink { size_t got, limit; } sink;
static int sink_data(void *user, httpx_response *r, const char *data, size_t len) {
    sink *s = (sink *)user;
    (void)r; (void)data;
    s->got += len;
    return s->got > s->limit;
}

static bool no_body_expected(const char *method, const httpx_response *r) {
    return !strcmp(method, "HEAD") || r->status_code == 204 || r->status_code == 304 || r->status_code < 200;
}

static void check_response(const char *method, httpx_response *r, bool streamed, long long streamed_bytes) {
    FUZZ_CHECK(r != NULL);
    FUZZ_CHECK(r->error_message != NULL && r->reason_phrase != NULL && r->http_version != NULL);
    FUZZ_CHECK(r->content != NULL && r->content[r->content_length] == 0);
    if (r->error != HTTPX_OK) {
        FUZZ_CHECK(r->error_message[0]);
        return;
    }
    FUZZ_CHECK(r->status_code >= 100 && r->status_code <= 999);
    if (r->expected_length >= 0 && !no_body_expected(method, r)) {
        if (streamed) FUZZ_CHECK(streamed_bytes == r->expected_length);
        else FUZZ_CHECK((long long)r->content_length == r->expected_length);
    }
    (void)httpx_text(r);
    (void)httpx_json(r);
}

/* One request by scenario bits: method, streamed or buffered, on_data with
   an abort, a small body limit. */
static void one_request(httpx_client *c, unsigned sc) {
    static const char *methods[4] = {"GET", "HEAD", "POST", "PUT"};
    const char *method = methods[sc & 3];
    httpx_opts o;
    upload up;
    sink sk;
    httpx_response *r;
    memset(&o, 0, sizeof o);
    up.left = 70000;
    sk.got = 0;
    sk.limit = 1000;
    if (sc & 2) {
        if (sc & 1) { o.upload = upload_read; o.upload_user_data = &up; o.upload_length = (sc & 64) ? 70000 : 0; }
        else { o.content = "name=value&x=1"; o.content_length = 14; }
    }
    if (sc & 8) { o.on_data = sink_data; o.user_data = &sk; }
    if (sc & 4) {
        long long total = 0;
        char buf[1000];
        long k;
        r = httpx_client_stream(c, method, "http://fuzz.invalid/x", &o);
        FUZZ_CHECK(r != NULL);
        if (r->error == HTTPX_OK) {
            while ((k = httpx_read(r, buf, (size_t)(sc & 32 ? 7 : sizeof buf))) > 0) total += k;
            if (k < 0) FUZZ_CHECK(r->error != HTTPX_OK && -k == (long)r->error);
        }
        check_response(method, r, true, total);
        httpx_response_free(r);
        return;
    }
    r = httpx_client_request(c, method, "http://fuzz.invalid/x", &o);
    if (sc & 8 && r && r->error == HTTPX_OK) FUZZ_CHECK(r->content_length == 0);
    else check_response(method, r, false, 0);
    httpx_response_free(r);
}

/* Two tasks at once through the nonblocking face (they share the one
   connection: HTTP/2 streams, or HTTP/1.1 one after the other). */
static void two_tasks(httpx_client *c, unsigned sc) {
    httpx_task *t[2];
    int i, spins = 0;
    t[0] = httpx_client_start(c, "GET", "http://fuzz.invalid/a", NULL);
    t[1] = httpx_client_start(c, (sc & 1) ? "HEAD" : "GET", "http://fuzz.invalid/b", NULL);
    FUZZ_CHECK(t[0] && t[1]);
    if (sc & 2) {       /* the second is given up on at once */
        httpx_task_cancel(t[1]);
        t[1] = NULL;
    }
    while (!httpx_task_done(t[0]) || (t[1] && !httpx_task_done(t[1]))) {
        httpx_client_poll(c, 100);
        FUZZ_CHECK(++spins < 100000);
    }
    for (i = 0; i < 2; i++) {
        if (!t[i]) continue;
        check_response(i == 1 && (sc & 1) ? "HEAD" : "GET", httpx_task_response(t[i]), false, 0);
        httpx_task_free(t[i]);
    }
}

static int fuzz_api(const uint8_t *data, size_t size, bool h2) {
    static const char *const nameservers[] = {"127.0.0.1:9", NULL};
    fuzz_in in = {data, size};
    unsigned sc = fuzz_byte(&in);
    httpx_client_opts co;
    httpx_client *c;
    httpx__err e;
    memset(&co, 0, sizeof co);
    co.http2_prior_knowledge = h2;
    co.nameservers = nameservers;
    co.timeout.connect = co.timeout.read = co.timeout.write = co.timeout.pool = 5;
    co.limits.max_connections = 1;
    if (sc & 128) { co.max_body_size = 3000; co.max_head_size = 600; }
    c = httpx_client_new(&co);
    FUZZ_CHECK(c != NULL);
    memset(&e, 0, sizeof e);
    FUZZ_CHECK(httpx__conn_adopt(c, "http://fuzz.invalid/", mem_stream_new(in.p, in.n, fuzz_seed_of(data, size > 16 ? 16 : size)),
                                 false, &e) == HTTPX_OK);
    if ((sc & 0x30) == 0x30) {
        two_tasks(c, sc);
    } else {
        one_request(c, sc);
        if (sc & 16) one_request(c, sc >> 1);   /* a second one: the pooled connection, if it lives */
    }
    httpx_client_free(c);
    return 0;
}
