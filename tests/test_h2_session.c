/* The HTTP/2 client session (h2_session.c), driven by hand-built server
   frames (the frame writers and an HPACK encoder play the server); what the
   session sends is parsed back with the frame parser. Events are written
   into a text log ("H1 200 ...", "D1 5", "E1") that the tests compare. */
#include "test.h"
#include <stdlib.h>

#define T_STREAMS 64

typedef struct t_h2 {
    httpx__h2_session *s;
    httpx__buf log;                 /* the events as text */
    httpx__buf body[T_STREAMS];     /* DATA per stream, by (id - 1) / 2 */
    bool consume;                   /* give DATA back at once (httpx__h2_consumed) */
    int rc;                         /* the last feed's result */
    httpx__err e;
    /* the server's side */
    httpx__hpack_enc enc;           /* for response heads */
    httpx__hpack_dec dec;           /* for request heads */
    httpx__buf srv;                 /* frames to feed */
    httpx__buf out;                 /* what the session sent, not yet parsed */
    bool preface;                   /* its preface was checked */
} t_h2;

static void t_init_cfg(t_h2 *t, const httpx__h2_config *cfg) {
    httpx__err e;
    memset(t, 0, sizeof *t);
    t->s = httpx__h2_new(cfg, &e);
    t->consume = true;
    httpx__hpack_enc_init(&t->enc, 4096);
    httpx__hpack_dec_init(&t->dec, 4096);
}

static void t_init(t_h2 *t) { t_init_cfg(t, NULL); }

static void t_free(t_h2 *t) {
    int i;
    httpx__h2_free(t->s);
    httpx__buf_free(&t->log);
    for (i = 0; i < T_STREAMS; i++) httpx__buf_free(&t->body[i]);
    httpx__hpack_enc_free(&t->enc);
    httpx__hpack_dec_free(&t->dec);
    httpx__buf_free(&t->srv);
    httpx__buf_free(&t->out);
}

static void t_log_event(t_h2 *t, const httpx__h2_event *ev) {
    size_t i;
    httpx__buf *b = &t->log;
    switch (ev->type) {
    case HTTPX__H2_EV_HEADERS: case HTTPX__H2_EV_TRAILERS:
        if (ev->type == HTTPX__H2_EV_HEADERS) httpx__buf_printf(b, "H%lu %d", (unsigned long)ev->stream_id, ev->status);
        else httpx__buf_printf(b, "T%lu", (unsigned long)ev->stream_id);
        for (i = 0; i < ev->num_fields; i++) {
            CHECK_INT(strlen(ev->fields[i].name), ev->fields[i].name_len);   /* NUL-terminated */
            httpx__buf_printf(b, " %.*s=%.*s", (int)ev->fields[i].name_len, ev->fields[i].name,
                              (int)ev->fields[i].value_len, ev->fields[i].value);
        }
        httpx__buf_putc(b, '\n');
        break;
    case HTTPX__H2_EV_DATA:
        httpx__buf_printf(b, "D%lu %lu\n", (unsigned long)ev->stream_id, (unsigned long)ev->len);
        if ((ev->stream_id - 1) / 2 < T_STREAMS) httpx__buf_append(&t->body[(ev->stream_id - 1) / 2], ev->data, ev->len);
        if (t->consume) httpx__h2_consumed(t->s, ev->stream_id, ev->len);
        break;
    case HTTPX__H2_EV_END: httpx__buf_printf(b, "E%lu\n", (unsigned long)ev->stream_id); break;
    case HTTPX__H2_EV_RESET:
        CHECK(ev->msg && ev->msg[0]);
        httpx__buf_printf(b, "R%lu %s%s%s%s\n", (unsigned long)ev->stream_id, httpx__h2_code_name(ev->code),
                          ev->retryable ? " retry" : "", ev->remote ? " remote" : "",
                          ev->error == HTTPX_ERR_TOO_LARGE ? " too-large" : ev->error == HTTPX_OK ? " ok" : "");
        break;
    case HTTPX__H2_EV_WINDOW: httpx__buf_printf(b, "W%lu\n", (unsigned long)ev->stream_id); break;
    case HTTPX__H2_EV_SETTINGS: httpx__buf_puts(b, "S\n"); break;
    case HTTPX__H2_EV_PING_ACK: httpx__buf_printf(b, "P %.8s\n", (const char *)ev->data); break;
    case HTTPX__H2_EV_GOAWAY:
        httpx__buf_printf(b, "G %lu %s %.*s\n", (unsigned long)ev->last_stream_id, httpx__h2_code_name(ev->code),
                          (int)ev->len, (const char *)ev->data);
        break;
    case HTTPX__H2_EV_ERROR:
        CHECK(ev->msg && ev->msg[0]);
        httpx__buf_printf(b, "X %s\n", httpx__h2_code_name(ev->code));
        break;
    default: test_fail(__FILE__, __LINE__, "event type %d", ev->type);
    }
}

static void t_drain(t_h2 *t) {
    httpx__h2_event ev;
    while (httpx__h2_next_event(t->s, &ev)) t_log_event(t, &ev);
}

/* Feeds p[0..n) in pieces of `step` bytes (0: all at once), draining the
   events after every call, as an engine would. */
static int t_feed_step(t_h2 *t, const void *p, size_t n, size_t step) {
    size_t off = 0;
    t->rc = 0;
    while (off < n && t->rc == 0) {
        size_t used = 0, len = step && n - off > step ? step : n - off;
        t->rc = httpx__h2_feed(t->s, (const char *)p + off, len, &used, &t->e);
        t_drain(t);
        CHECK(used > 0 || t->rc != 0);
        if (used == 0) break;
        off += used;
    }
    if (t->rc != 0) t_drain(t);
    return t->rc;
}

/* Feeds the frames built in t->srv. */
static int t_send(t_h2 *t) {
    int rc = t_feed_step(t, t->srv.p, t->srv.len, 0);
    httpx__buf_clear(&t->srv);
    return rc;
}

static const char *t_log(t_h2 *t) { return t->log.p ? t->log.p : ""; }
static void t_clear_log(t_h2 *t) { httpx__buf_clear(&t->log); }

/* A response head from the server: pairs of name, value, then NULL. */
static void t_headers(t_h2 *t, uint32_t id, int end_stream, ...) {   /* int: va_start after a bool is undefined */
    httpx__hpack_field f[32];
    httpx__buf block = {0};
    size_t n = 0;
    const char *name;
    va_list ap;
    va_start(ap, end_stream);
    while ((name = va_arg(ap, const char *)) != NULL && n < 32) {
        const char *value = va_arg(ap, const char *);
        memset(&f[n], 0, sizeof f[n]);
        f[n].name = name;
        f[n].nlen = strlen(name);
        f[n].value = value;
        f[n].vlen = strlen(value);
        f[n].index = HTTPX__HPACK_INDEX;
        n++;
    }
    va_end(ap);
    CHECK_INT(httpx__hpack_encode(&t->enc, &block, f, n, NULL), HTTPX_OK);
    CHECK(httpx__h2_write_header_block(&t->srv, id, block.p, block.len, end_stream, 16384));
    httpx__buf_free(&block);
}

static void t_settings(t_h2 *t, const httpx__h2_setting *set, size_t n) { httpx__h2_write_settings(&t->srv, set, n); }

/* The handshake from the server's side: its SETTINGS (empty unless given). */
static void t_handshake(t_h2 *t) {
    t_settings(t, NULL, 0);
    t_send(t);
}

/* ---- reading what the session sent ---- */

typedef struct t_frame {
    uint8_t type, flags;
    uint32_t stream, code, inc, last;
    char payload[256];      /* the first bytes of the payload */
    size_t len;
} t_frame;

/* Parses everything the session has sent since the last call into fr[] (at
   most max; the rest are counted), and marks it sent. */
static size_t t_out(t_h2 *t, t_frame *fr, size_t max) {
    size_t len, off = 0, n = 0;
    const char *p = httpx__h2_out(t->s, &len);
    httpx__buf_append(&t->out, p, len);
    httpx__h2_out_done(t->s, len);
    if (!t->preface) {
        if (t->out.len < HTTPX__H2_PREFACE_LEN) {
            test_fail(__FILE__, __LINE__, "no preface");
            return 0;
        }
        CHECK_MEM(t->out.p, HTTPX__H2_PREFACE_LEN, HTTPX__H2_PREFACE, HTTPX__H2_PREFACE_LEN);
        off = HTTPX__H2_PREFACE_LEN;
        t->preface = true;
    }
    while (off < t->out.len) {
        httpx__h2_frame f;
        httpx__h2_fault fault;
        int rc = httpx__h2_frame_parse(t->out.p + off, t->out.len - off, HTTPX__H2_MAX_FRAME_LIMIT, &f, &fault, NULL);
        if (rc == HTTPX__AGAIN) break;
        if (rc <= 0) {
            test_fail(__FILE__, __LINE__, "the session sent a frame our parser refuses");
            return n;
        }
        if (n < max) {
            memset(&fr[n], 0, sizeof fr[n]);
            fr[n].type = f.type;
            fr[n].flags = f.flags;
            fr[n].stream = f.stream_id;
            fr[n].code = f.error_code;
            fr[n].inc = f.window_increment;
            fr[n].last = f.last_stream_id;
            fr[n].len = f.payload_len;
            memcpy(fr[n].payload, f.payload, f.payload_len < 256 ? f.payload_len : 256);
        }
        n++;
        off += (size_t)rc;
    }
    memmove(t->out.p, t->out.p + off, t->out.len - off);
    t->out.len -= off;
    return n;
}

/* Drops what the session sent so far. */
static void t_flush(t_h2 *t) {
    t_frame fr[1];
    t_out(t, fr, 0);
}

/* The frame of a type in what the session sent; NULL when none. */
static const t_frame *t_find(const t_frame *fr, size_t n, uint8_t type) {
    size_t i;
    for (i = 0; i < n; i++)
        if (fr[i].type == type) return &fr[i];
    return NULL;
}

static int t_on_field(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    httpx__buf *b = (httpx__buf *)ctx;
    httpx__buf_printf(b, "%.*s=%.*s ", (int)nlen, name, (int)vlen, value);
    return 0;
}

/* A request: GET (or POST with a body) of path; 0 when refused (quiet
   unless must). */
static uint32_t t_request_x(t_h2 *t, const char *method, const char *path, bool has_body, void *user, bool must) {
    httpx__hpack_field f[5];
    const char *nv[] = {":method", method, ":scheme", "http", ":authority", "example.com", ":path", path,
                        "user-agent", "httpx.h"};
    uint32_t id = 0;
    size_t i;
    httpx__err e;
    memset(f, 0, sizeof f);
    for (i = 0; i < 5; i++) {
        f[i].name = nv[2 * i];
        f[i].nlen = strlen(nv[2 * i]);
        f[i].value = nv[2 * i + 1];
        f[i].vlen = strlen(nv[2 * i + 1]);
    }
    if (httpx__h2_submit(t->s, f, 5, has_body, user, &id, &e) != HTTPX_OK) {
        if (must) test_fail(__FILE__, __LINE__, "submit: %s", e.msg);
        return 0;
    }
    return id;
}

static uint32_t t_request(t_h2 *t, const char *method, const char *path, bool has_body, void *user) {
    return t_request_x(t, method, path, has_body, user, true);
}

/* ---- the handshake, one GET ---- */

TEST(h2_session_handshake) {
    t_h2 t;
    t_frame fr[8];
    size_t n;
    t_init(&t);
    REQUIRE(t.s);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 2);
    CHECK_INT(fr[0].type, HTTPX__H2_SETTINGS);
    CHECK_INT(fr[0].flags, 0);
    CHECK_INT(fr[0].len, 30);      /* 5 settings */
    {   /* header table 4096, push off, no pushed streams, 1 MiB windows, 64 KiB lists */
        static const unsigned char want[30] = {0, 1, 0, 0, 0x10, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0,
                                               0, 4, 0, 0x10, 0, 0, 0, 6, 0, 1, 0, 0};
        CHECK_MEM(fr[0].payload, 30, want, 30);
    }
    CHECK_INT(fr[1].type, HTTPX__H2_WINDOW_UPDATE);
    CHECK_INT(fr[1].stream, 0);
    CHECK_INT(fr[1].inc, (16u << 20) - 65535);
    CHECK(httpx__h2_can_open(t.s));     /* requests may go before the server's SETTINGS */
    t_handshake(&t);
    CHECK_STR(t_log(&t), "S\n");
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_SETTINGS);
    CHECK_INT(fr[0].flags, HTTPX__H2_FLAG_ACK);
    httpx__h2_write_settings_ack(&t.srv);   /* the ACK of ours: nothing to report */
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "S\n");
    CHECK(httpx__h2_idle(t.s));
    t_free(&t);
}

TEST(h2_session_one_get) {
    t_h2 t;
    t_frame fr[8];
    size_t n;
    uint32_t id;
    httpx__buf req = {0};
    t_init(&t);
    t_handshake(&t);
    t_flush(&t);
    id = t_request(&t, "GET", "/index.html", false, NULL);
    CHECK_INT(id, 1);
    CHECK_INT(httpx__h2_open_streams(t.s), 1);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_HEADERS);
    CHECK_INT(fr[0].stream, 1);
    CHECK_INT(fr[0].flags, HTTPX__H2_FLAG_END_STREAM | HTTPX__H2_FLAG_END_HEADERS);
    CHECK(httpx__hpack_decode(&t.dec, fr[0].payload, fr[0].len, t_on_field, &req, NULL) == 5);
    CHECK_STR(req.p, ":method=GET :scheme=http :authority=example.com :path=/index.html user-agent=httpx.h ");
    t_headers(&t, 1, false, ":status", "200", "content-type", "text/plain", "content-length", "5", NULL);
    httpx__h2_write_data(&t.srv, 1, "hello", 5, true);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "S\nH1 200 content-type=text/plain content-length=5\nD1 5\nE1\n");
    CHECK_STR(t.body[0].p, "hello");
    CHECK(httpx__h2_idle(t.s));
    /* the 5 bytes were given back, far below half a window: no WINDOW_UPDATE */
    CHECK_INT(t_out(&t, fr, 8), 0);
    httpx__buf_free(&req);
    t_free(&t);
}

/* The same exchange fed in pieces of 1, 2 and 5 bytes gives the same events. */
TEST(h2_session_byte_at_a_time) {
    t_h2 t;
    size_t step;
    httpx__buf all = {0};
    t_init(&t);     /* builds the server's bytes once */
    t_settings(&t, NULL, 0);
    t_headers(&t, 1, false, ":status", "404", "server", "test", NULL);
    httpx__h2_write_data(&t.srv, 1, "not here", 8, false);
    httpx__h2_write_ping(&t.srv, (const uint8_t *)"12345678", false);
    httpx__h2_write_frame(&t.srv, HTTPX__H2_DATA, HTTPX__H2_FLAG_PADDED | HTTPX__H2_FLAG_END_STREAM, 1,
                          "\x03" "abc\0\0\0", 7);
    httpx__buf_append(&all, t.srv.p, t.srv.len);
    t_free(&t);
    for (step = 1; step <= 5; step += step == 1 ? 1 : 3) {
        t_init(&t);
        t_request(&t, "GET", "/", false, NULL);
        t_feed_step(&t, all.p, all.len, step);
        CHECK_INT(t.rc, 0);
        CHECK_STR(t_log(&t), "S\nH1 404 server=test\nD1 8\nD1 3\nE1\n");
        CHECK_STR(t.body[0].p, "not hereabc");
        t_free(&t);
    }
    httpx__buf_free(&all);
}

/* ---- many streams ---- */

TEST(h2_session_concurrent_interleaved) {
    t_h2 t;
    size_t i, round;
    uint32_t ids[20];
    t_init(&t);
    t_handshake(&t);
    for (i = 0; i < 20; i++) {
        ids[i] = t_request(&t, "GET", "/x", false, &ids[i]);
        CHECK_INT(ids[i], 2 * i + 1);
    }
    CHECK_INT(httpx__h2_open_streams(t.s), 20);
    for (i = 20; i-- > 0;) t_headers(&t, ids[i], false, ":status", "200", "x-stream", i % 2 ? "odd" : "even", NULL);
    for (round = 0; round < 10; round++)
        for (i = 0; i < 20; i++) {
            char chunk[32];
            int len = snprintf(chunk, sizeof chunk, "<%u:%u>", (unsigned)ids[i], (unsigned)round);
            httpx__h2_write_data(&t.srv, ids[i], chunk, (size_t)len, round == 9);
        }
    CHECK_INT(t_send(&t), 0);
    for (i = 0; i < 20; i++) {
        char want[256], line[32];
        size_t w = 0;
        for (round = 0; round < 10; round++) w += (size_t)snprintf(want + w, sizeof want - w, "<%u:%u>", (unsigned)ids[i], (unsigned)round);
        CHECK_STR(t.body[i].p, want);
        snprintf(line, sizeof line, "E%u\n", (unsigned)ids[i]);
        CHECK(strstr(t_log(&t), line) != NULL);
    }
    CHECK(strstr(t_log(&t), "H39 200 x-stream=odd\nH37 200 x-stream=even\n") != NULL);
    CHECK(httpx__h2_idle(t.s));
    t_free(&t);
}

TEST(h2_session_stream_limit) {
    t_h2 t;
    httpx__h2_setting one = {HTTPX__H2_SET_MAX_CONCURRENT_STREAMS, 1};
    httpx__err e;
    uint32_t id;
    httpx__hpack_field f = {":method", 7, "GET", 3, 0};
    t_init(&t);
    t_settings(&t, &one, 1);
    t_send(&t);
    CHECK(httpx__h2_can_open(t.s));
    t_request(&t, "GET", "/", false, NULL);
    CHECK(!httpx__h2_can_open(t.s));
    CHECK_INT(httpx__h2_submit(t.s, &f, 1, false, NULL, &id, &e), HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK(strstr(e.msg, "limit") != NULL);
    t_headers(&t, 1, true, ":status", "204", NULL);
    t_send(&t);
    CHECK(httpx__h2_can_open(t.s));
    CHECK_INT(t_request(&t, "GET", "/", false, NULL), 3);
    t_free(&t);
}

TEST(h2_session_request_checks) {
    t_h2 t;
    httpx__err e;
    uint32_t id;
    httpx__hpack_field bad_order[2] = {{"accept", 6, "*/*", 3, 0}, {":method", 7, "GET", 3, 0}};
    httpx__hpack_field conn[2] = {{":method", 7, "GET", 3, 0}, {"connection", 10, "keep-alive", 10, 0}};
    httpx__hpack_field upper[2] = {{":method", 7, "GET", 3, 0}, {"Accept", 6, "*/*", 3, 0}};
    httpx__hpack_field te[2] = {{":method", 7, "GET", 3, 0}, {"te", 2, "gzip", 4, 0}};
    t_init(&t);
    CHECK_INT(httpx__h2_submit(t.s, bad_order, 2, false, NULL, &id, &e), HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK_INT(httpx__h2_submit(t.s, conn, 2, false, NULL, &id, &e), HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK(strstr(e.msg, "connection") != NULL);
    CHECK_INT(httpx__h2_submit(t.s, te, 2, false, NULL, &id, &e), HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK_INT(httpx__h2_submit(t.s, upper, 2, false, NULL, &id, &e), HTTPX_ERR_INVALID_HEADER);
    CHECK_INT(httpx__h2_open_streams(t.s), 0);
    CHECK_INT(t_request(&t, "GET", "/", false, NULL), 1);   /* nothing was used up */
    t_free(&t);
}

/* ---- flow control ---- */

TEST(h2_session_send_window_opens_late) {
    t_h2 t;
    httpx__h2_setting zero = {HTTPX__H2_SET_INITIAL_WINDOW_SIZE, 0};
    t_frame fr[8];
    char body[100];
    size_t n;
    uint32_t id;
    memset(body, 'b', sizeof body);
    t_init(&t);
    t_settings(&t, &zero, 1);
    t_send(&t);
    t_flush(&t);
    id = t_request(&t, "POST", "/up", true, NULL);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].flags, HTTPX__H2_FLAG_END_HEADERS);   /* a body follows */
    CHECK_INT(httpx__h2_send_data(t.s, id, body, 100, true, NULL), 0);
    CHECK_INT(t_out(&t, fr, 8), 0);
    t_clear_log(&t);
    httpx__h2_write_window_update(&t.srv, 0, 1000);        /* the connection alone opens nothing */
    t_send(&t);
    CHECK_STR(t_log(&t), "");
    httpx__h2_write_window_update(&t.srv, id, 30);
    t_send(&t);
    CHECK_STR(t_log(&t), "W1\n");
    CHECK_INT(httpx__h2_send_data(t.s, id, body, 100, true, NULL), 30);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_DATA);
    CHECK_INT(fr[0].len, 30);
    CHECK_INT(fr[0].flags, 0);                              /* not the last byte: no END_STREAM */
    httpx__h2_write_window_update(&t.srv, id, 70);
    t_send(&t);
    CHECK_INT(httpx__h2_send_data(t.s, id, body + 30, 70, true, NULL), 70);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].flags, HTTPX__H2_FLAG_END_STREAM);
    CHECK_INT(httpx__h2_send_data(t.s, id, body, 1, false, NULL), HTTPX__BAD);   /* already ended */
    t_free(&t);
}

TEST(h2_session_connection_window_blocks_all) {
    t_h2 t;
    static char big[70000];
    uint32_t a, b;
    long sent;
    t_init(&t);
    t_handshake(&t);
    a = t_request(&t, "POST", "/a", true, NULL);
    b = t_request(&t, "POST", "/b", true, NULL);
    sent = httpx__h2_send_data(t.s, a, big, 60000, false, NULL);
    CHECK_INT(sent, 60000);
    CHECK_INT(httpx__h2_send_data(t.s, b, big, 10000, false, NULL), 65535 - 60000);
    CHECK_INT(httpx__h2_send_data(t.s, a, big, 10, false, NULL), 0);
    t_clear_log(&t);
    httpx__h2_write_window_update(&t.srv, 0, 100000);
    t_send(&t);
    CHECK_STR(t_log(&t), "W1\nW3\n");   /* both streams were held back by the connection */
    CHECK_INT(httpx__h2_send_data(t.s, b, big, 10000, true, NULL), 10000);
    t_free(&t);
}

TEST(h2_session_window_update_overflow) {
    t_h2 t;
    t_frame fr[8];
    size_t n;
    uint32_t id;
    t_init(&t);
    t_handshake(&t);
    id = t_request(&t, "POST", "/", true, NULL);
    t_flush(&t);
    t_clear_log(&t);
    httpx__h2_write_window_update(&t.srv, id, 0x7fffffffu - 65535 + 1);    /* stream: over by one */
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "R1 FLOW_CONTROL_ERROR\n");
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_RST_STREAM);
    CHECK_INT(fr[0].code, HTTPX__H2_FLOW_CONTROL_ERROR);
    httpx__h2_write_window_update(&t.srv, 0, 0x7fffffffu - 65535);      /* connection: exactly full */
    CHECK_INT(t_send(&t), 0);
    httpx__h2_write_window_update(&t.srv, 0, 1);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK_STR(t_log(&t), "R1 FLOW_CONTROL_ERROR\nX FLOW_CONTROL_ERROR\n");
    CHECK_INT(t.e.code, HTTPX_ERR_REMOTE_PROTOCOL);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_GOAWAY);
    CHECK_INT(fr[0].code, HTTPX__H2_FLOW_CONTROL_ERROR);
    CHECK(httpx__h2_dead(t.s));
    CHECK(!httpx__h2_can_open(t.s));
    t_free(&t);
}

TEST(h2_session_receive_window_overrun) {
    t_h2 t;
    httpx__h2_config cfg = {0};
    static char big[16384];
    int i;
    cfg.stream_window = 1000;
    t_init_cfg(&t, &cfg);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t.consume = false;
    t_headers(&t, 1, false, ":status", "200", NULL);
    httpx__h2_write_data(&t.srv, 1, big, 1000, false);     /* exactly the window */
    CHECK_INT(t_send(&t), 0);
    httpx__h2_write_data(&t.srv, 1, big, 1, false);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK(strstr(t_log(&t), "D1 1000\nX FLOW_CONTROL_ERROR\n") != NULL);
    t_free(&t);

    /* the connection window (64 KiB here) across several streams */
    cfg.stream_window = 0;
    cfg.conn_window = 65535;
    t_init_cfg(&t, &cfg);
    t_handshake(&t);
    t.consume = false;
    for (i = 0; i < 5; i++) {
        uint32_t id = t_request(&t, "GET", "/", false, NULL);
        t_headers(&t, id, false, ":status", "200", NULL);
        httpx__h2_write_data(&t.srv, id, big, i < 4 ? 16383 : 3, false);
    }
    CHECK_INT(t_send(&t), 0);          /* 4 * 16383 + 3 = 65535 */
    t_free(&t);
    t_init_cfg(&t, &cfg);
    t_handshake(&t);
    t.consume = false;
    for (i = 0; i < 5; i++) {
        uint32_t id = t_request(&t, "GET", "/", false, NULL);
        t_headers(&t, id, false, ":status", "200", NULL);
        httpx__h2_write_data(&t.srv, id, big, i < 4 ? 16383 : 4, false);
    }
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK(strstr(t_log(&t), "X FLOW_CONTROL_ERROR\n") != NULL);
    t_free(&t);
}

TEST(h2_session_window_update_after_half) {
    t_h2 t;
    httpx__h2_config cfg = {0};
    static char big[1000];
    t_frame fr[8];
    size_t n;
    cfg.stream_window = 1000;
    cfg.conn_window = 70000;
    t_init_cfg(&t, &cfg);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_flush(&t);
    t.consume = false;
    t_headers(&t, 1, false, ":status", "200", NULL);
    httpx__h2_write_data(&t.srv, 1, big, 600, false);
    t_send(&t);
    CHECK_INT(t_out(&t, fr, 8), 0);
    httpx__h2_consumed(t.s, 1, 400);    /* under half: nothing yet */
    CHECK_INT(t_out(&t, fr, 8), 0);
    httpx__h2_consumed(t.s, 1, 200);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_WINDOW_UPDATE);
    CHECK_INT(fr[0].stream, 1);
    CHECK_INT(fr[0].inc, 600);
    /* the window is whole again: 1000 more fit */
    httpx__h2_write_data(&t.srv, 1, big, 1000, false);
    CHECK_INT(t_send(&t), 0);
    httpx__h2_consumed(t.s, 1, 1000);
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);    /* the connection's 1600 are far from half of 70000 */
    CHECK_INT(fr[0].stream, 1);
    CHECK_INT(fr[0].inc, 1000);
    t_free(&t);
}

/* A reader that does not read holds its stream window; others go on. */
TEST(h2_session_slow_reader_others_flow) {
    t_h2 t;
    httpx__h2_config cfg = {0};
    static char big[16384];
    t_frame fr[64];
    size_t n, i, updates = 0;
    uint32_t slow, fast;
    int round;
    cfg.stream_window = 32768;
    cfg.conn_window = 4 * 32768;
    t_init_cfg(&t, &cfg);
    t_handshake(&t);
    slow = t_request(&t, "GET", "/slow", false, NULL);
    fast = t_request(&t, "GET", "/fast", false, NULL);
    t_headers(&t, slow, false, ":status", "200", NULL);
    t_headers(&t, fast, false, ":status", "200", NULL);
    t.consume = false;
    httpx__h2_write_data(&t.srv, slow, big, 16384, false);
    httpx__h2_write_data(&t.srv, slow, big, 16384, false);      /* its whole window, not read */
    CHECK_INT(t_send(&t), 0);
    t_flush(&t);
    for (round = 0; round < 40; round++) {      /* 40 * 16 KiB = 5 connection windows */
        httpx__h2_write_data(&t.srv, fast, big, 16384, false);
        CHECK_INT(t_send(&t), 0);
        httpx__h2_consumed(t.s, fast, 16384);
        n = t_out(&t, fr, 64);
        for (i = 0; i < n && i < 64; i++) {
            CHECK_INT(fr[i].type, HTTPX__H2_WINDOW_UPDATE);
            CHECK(fr[i].stream == 0 || fr[i].stream == fast);
            updates++;
        }
    }
    CHECK_INT(t.body[1].len, 40 * 16384);
    CHECK(updates >= 40);
    CHECK_INT(t.rc, 0);
    /* the slow stream may still not send beyond its window */
    httpx__h2_write_data(&t.srv, slow, big, 1, false);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    t_free(&t);
}

/* ---- settings ---- */

TEST(h2_session_settings_mid_stream) {
    t_h2 t;
    httpx__h2_setting set[3];
    static char big[60000];
    t_frame fr[16];
    size_t n;
    uint32_t id;
    t_init(&t);
    t_handshake(&t);
    id = t_request(&t, "POST", "/", true, NULL);
    CHECK_INT(httpx__h2_send_data(t.s, id, big, 60000, false, NULL), 60000);
    t_flush(&t);
    /* the window goes below zero: 60000 sent of a new 50000 */
    set[0].id = HTTPX__H2_SET_INITIAL_WINDOW_SIZE;
    set[0].value = 50000;
    t_settings(&t, set, 1);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "S\n");
    CHECK_INT(httpx__h2_send_data(t.s, id, big, 1, false, NULL), 0);
    t_clear_log(&t);
    httpx__h2_write_window_update(&t.srv, id, 10000);    /* back to 0: still blocked */
    t_send(&t);
    CHECK_STR(t_log(&t), "");
    /* a larger window and frame size: the stream is woken, frames get bigger */
    set[0].value = 200000;
    set[1].id = HTTPX__H2_SET_MAX_FRAME_SIZE;
    set[1].value = 20000;
    set[2].id = HTTPX__H2_SET_HEADER_TABLE_SIZE;
    set[2].value = 0;
    t_settings(&t, set, 3);
    httpx__h2_write_window_update(&t.srv, 0, 100000);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "S\nW1\n");
    t_flush(&t);
    CHECK_INT(httpx__h2_send_data(t.s, id, big, 40000, true, NULL), 40000);
    n = t_out(&t, fr, 16);
    REQUIRE(n == 2);
    CHECK_INT(fr[0].len, 20000);
    CHECK_INT(fr[1].len, 20000);
    CHECK_INT(fr[1].flags, HTTPX__H2_FLAG_END_STREAM);
    /* the next request's block starts with a table size update to 0 */
    t_request(&t, "GET", "/", false, NULL);
    n = t_out(&t, fr, 16);
    REQUIRE(n == 1);
    CHECK_INT((unsigned char)fr[0].payload[0], 0x20);
    t_free(&t);
}

TEST(h2_session_settings_overflow_and_push) {
    t_h2 t;
    httpx__h2_setting set = {HTTPX__H2_SET_INITIAL_WINDOW_SIZE, 0x7fffffffu};
    uint32_t id;
    t_init(&t);
    t_handshake(&t);
    id = t_request(&t, "POST", "/", true, NULL);
    httpx__h2_write_window_update(&t.srv, id, 10);    /* 65545: the new initial size would overflow */
    t_settings(&t, &set, 1);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK_STR(t_log(&t), "X FLOW_CONTROL_ERROR\n");
    t_free(&t);

    t_init(&t);
    set.id = HTTPX__H2_SET_ENABLE_PUSH;
    set.value = 1;
    t_settings(&t, &set, 1);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK_STR(t_log(&t), "X PROTOCOL_ERROR\n");
    t_free(&t);
}

/* ---- PING, GOAWAY, RST_STREAM ---- */

TEST(h2_session_ping) {
    t_h2 t;
    t_frame fr[4];
    size_t n;
    t_init(&t);
    t_handshake(&t);
    t_flush(&t);
    httpx__h2_write_ping(&t.srv, (const uint8_t *)"pingpong", false);
    CHECK_INT(t_send(&t), 0);
    n = t_out(&t, fr, 4);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_PING);
    CHECK_INT(fr[0].flags, HTTPX__H2_FLAG_ACK);
    CHECK_MEM(fr[0].payload, 8, "pingpong", 8);
    /* our own PING comes back as an event; an ACK nobody asked for does not */
    httpx__h2_ping(t.s, (const uint8_t *)"ourping!");
    n = t_out(&t, fr, 4);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].flags, 0);
    t_clear_log(&t);
    httpx__h2_write_ping(&t.srv, (const uint8_t *)"ourping!", true);
    httpx__h2_write_ping(&t.srv, (const uint8_t *)"unasked!", true);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "P ourping!\n");
    t_free(&t);
}

TEST(h2_session_goaway_mid_stream) {
    t_h2 t;
    uint32_t ids[4];
    int i;
    t_init(&t);
    t_handshake(&t);
    for (i = 0; i < 4; i++) ids[i] = t_request(&t, "GET", "/", false, &ids[i]);
    t_headers(&t, 1, false, ":status", "200", NULL);
    httpx__h2_write_goaway(&t.srv, 3, HTTPX__H2_NO_ERROR, "bye", 3);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "H1 200\nG 3 NO_ERROR bye\nR7 REFUSED_STREAM retry remote\nR5 REFUSED_STREAM retry remote\n");
    CHECK(!httpx__h2_can_open(t.s));
    CHECK_INT(httpx__h2_open_streams(t.s), 2);
    /* the streams at or below the last id finish */
    httpx__h2_write_data(&t.srv, 1, "one", 3, true);
    t_headers(&t, 3, true, ":status", "204", NULL);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "D1 3\nE1\nH3 204\nE3\n");
    CHECK(httpx__h2_idle(t.s));
    /* a late frame for a stream the GOAWAY took is ignored */
    httpx__h2_write_data(&t.srv, 5, "x", 1, true);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "");
    t_free(&t);
}

TEST(h2_session_rst_stream) {
    t_h2 t;
    t_frame fr[4];
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "POST", "/", true, NULL);
    httpx__h2_write_rst_stream(&t.srv, 1, HTTPX__H2_REFUSED_STREAM);
    httpx__h2_write_rst_stream(&t.srv, 3, HTTPX__H2_INTERNAL_ERROR);
    httpx__h2_write_rst_stream(&t.srv, 3, HTTPX__H2_INTERNAL_ERROR);   /* closed: ignored, not answered */
    t_clear_log(&t);
    t_flush(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "R1 REFUSED_STREAM retry remote\nR3 INTERNAL_ERROR remote\n");
    CHECK_INT(t_out(&t, fr, 4), 0);
    /* a complete response, then NO_ERROR: "stop sending the body", not a failure */
    t_headers(&t, 5, true, ":status", "413", NULL);
    httpx__h2_write_rst_stream(&t.srv, 5, HTTPX__H2_NO_ERROR);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "H5 413\nE5\nR5 NO_ERROR remote ok\n");
    CHECK(httpx__h2_idle(t.s));
    t_free(&t);
}

TEST(h2_session_cancel_and_goaway) {
    t_h2 t;
    t_frame fr[4];
    size_t n;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_flush(&t);
    httpx__h2_cancel(t.s, 1);
    CHECK(httpx__h2_idle(t.s));
    n = t_out(&t, fr, 4);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_RST_STREAM);
    CHECK_INT(fr[0].code, HTTPX__H2_CANCEL);
    /* what the server had in flight for it is dropped quietly, and its
       bytes go back to the connection window */
    t_headers(&t, 1, false, ":status", "200", NULL);
    httpx__h2_write_data(&t.srv, 1, "late", 4, true);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "");
    CHECK_INT(t_out(&t, fr, 4), 0);
    httpx__h2_goaway(t.s);
    CHECK(!httpx__h2_can_open(t.s));
    n = t_out(&t, fr, 4);
    REQUIRE(n == 1);
    CHECK_INT(fr[0].type, HTTPX__H2_GOAWAY);
    CHECK_INT(fr[0].code, HTTPX__H2_NO_ERROR);
    CHECK_INT(fr[0].last, 0);
    t_free(&t);
}

/* ---- heads: interim, trailers, malformed ---- */

TEST(h2_session_interim_and_trailers) {
    t_h2 t;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_headers(&t, 1, false, ":status", "100", NULL);
    t_headers(&t, 1, false, ":status", "103", "link", "</s.css>; rel=preload", NULL);
    t_headers(&t, 1, false, ":status", "200", "trailer", "x-checksum", NULL);
    httpx__h2_write_data(&t.srv, 1, "abc", 3, false);
    t_headers(&t, 1, true, "x-checksum", "42", NULL);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "H1 200 trailer=x-checksum\nD1 3\nT1 x-checksum=42\nE1\n");
    t_free(&t);
}

/* A head of :status alone: no fields, and a NULL field view (the session
   once made it NULL + 0, undefined behaviour that clang's UBSan stops on:
   make clang-san). */
TEST(h2_session_head_of_status_alone) {
    t_h2 t;
    httpx__h2_event ev;
    size_t used;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_headers(&t, 1, true, ":status", "204", NULL);
    CHECK_INT(httpx__h2_feed(t.s, t.srv.p, t.srv.len, &used, NULL), 0);
    REQUIRE(httpx__h2_next_event(t.s, &ev));
    CHECK_INT(ev.type, HTTPX__H2_EV_HEADERS);
    CHECK_INT(ev.status, 204);
    CHECK_INT(ev.num_fields, 0);
    CHECK(ev.fields == NULL);
    t_drain(&t);
    t_free(&t);
}

/* DATA in a response that has no content (to a HEAD; 204; 304) is
   malformed (RFC 9113 8.1.1, RFC 9110 6.4.1), whatever its content-length
   says: the stream is reset, nothing of the body is reported. */
TEST(h2_session_data_in_a_response_without_content) {
    static const char *const methods[] = { "HEAD", "GET", "GET" };
    static const char *const statuses[] = { "200", "204", "304" };
    size_t i;
    for (i = 0; i < 3; i++) {
        t_h2 t;
        t_init(&t);
        t_handshake(&t);
        t_request(&t, methods[i], "/", false, NULL);
        t_headers(&t, 1, false, ":status", statuses[i], "content-length", "3", NULL);
        httpx__h2_write_data(&t.srv, 1, "abc", 3, true);
        t_clear_log(&t);
        CHECK_INT(t_send(&t), 0);
        CHECK(strstr(t_log(&t), "R1 PROTOCOL_ERROR") != NULL);
        CHECK(strstr(t_log(&t), "D1") == NULL);
        t_free(&t);
    }
}

/* Each malformed head resets its stream with PROTOCOL_ERROR; the
   connection goes on. */
TEST(h2_session_malformed_heads) {
    static const char *const cases[][7] = {
        {"content-type", "x", NULL},                         /* no :status */
        {":status", "200", ":status", "200", NULL},
        {":status", "20", NULL},
        {":status", "200", ":path", "/", NULL},
        {"server", "x", ":status", "200", NULL},             /* pseudo after regular */
        {":status", "200", "connection", "close", NULL},
        {":status", "200", "transfer-encoding", "chunked", NULL},
        {":status", "200", "te", "gzip", NULL},
        {":status", "200", "x", " padded", NULL},
        {":status", "200", "content-length", "12a", NULL},
        {":status", "200", "content-length", "1", "content-length", "2", NULL},
        {":status", "101", NULL},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_h2 t;
        t_frame fr[4];
        size_t n;
        const char *const *c = cases[i];
        t_init(&t);
        t_handshake(&t);
        t_request(&t, "GET", "/", false, NULL);
        t_flush(&t);
        t_clear_log(&t);
        t_headers(&t, 1, false, c[0], c[1], c[2], c[3], c[4], c[5], c[6], NULL);
        CHECK_INT(t_send(&t), 0);
        if (strcmp(t_log(&t), "R1 PROTOCOL_ERROR\n") != 0)
            test_fail(__FILE__, __LINE__, "case %zu: log \"%s\"", i, t_log(&t));
        n = t_out(&t, fr, 4);
        CHECK(n == 1 && fr[0].type == HTTPX__H2_RST_STREAM && fr[0].code == HTTPX__H2_PROTOCOL_ERROR);
        t_free(&t);
    }
}

/* Names our encoder would refuse, written by hand. */
TEST(h2_session_malformed_raw_names) {
    static const char *const blocks[] = {
        "\x88\x00\x06Server\x01x",           /* upper case */
        "\x88\x00\x03" "a:b\x01x",           /* a colon inside */
        "\x88\x00\x00\x01x",                 /* empty name */
        "\x88\x00\x01x\x03" "a\x00" "b",     /* NUL in a value */
    };
    static const size_t lens[] = {11, 8, 5, 8};
    size_t i;
    for (i = 0; i < 4; i++) {
        t_h2 t;
        t_init(&t);
        t_handshake(&t);
        t_request(&t, "GET", "/", false, NULL);
        t_clear_log(&t);
        httpx__h2_write_headers(&t.srv, 1, blocks[i], lens[i], true, true);
        CHECK_INT(t_send(&t), 0);
        if (strcmp(t_log(&t), "R1 PROTOCOL_ERROR\n") != 0)
            test_fail(__FILE__, __LINE__, "case %zu: log \"%s\"", i, t_log(&t));
        t_free(&t);
    }
}

TEST(h2_session_malformed_bodies) {
    t_h2 t;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "HEAD", "/", false, NULL);
    t_request(&t, "GET", "/", false, NULL);
    t_clear_log(&t);
    httpx__h2_write_data(&t.srv, 1, "early", 5, false);                       /* DATA before HEADERS */
    t_headers(&t, 3, false, ":status", "200", "content-length", "3", NULL);
    httpx__h2_write_data(&t.srv, 3, "toolong", 7, true);                      /* over content-length */
    t_headers(&t, 5, false, ":status", "200", "content-length", "10", NULL);
    httpx__h2_write_data(&t.srv, 5, "short", 5, true);                        /* under it */
    t_headers(&t, 7, true, ":status", "200", "content-length", "10", NULL);   /* HEAD: fine */
    t_headers(&t, 9, false, ":status", "200", NULL);
    t_headers(&t, 9, false, "x", "y", NULL);                                  /* trailers without END_STREAM */
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "R1 PROTOCOL_ERROR\nH3 200 content-length=3\nR3 PROTOCOL_ERROR\n"
                         "H5 200 content-length=10\nD5 5\nR5 PROTOCOL_ERROR\nH7 200 content-length=10\nE7\n"
                         "H9 200\nR9 PROTOCOL_ERROR\n");
    CHECK(httpx__h2_idle(t.s));
    CHECK(!httpx__h2_dead(t.s));
    t_free(&t);
}

/* ---- hostile servers ---- */

/* Builds a server byte string, feeds it to a fresh session with one stream
   open (after the server's SETTINGS unless raw), and returns the log. */
typedef void (*t_builder)(t_h2 *t);

static void t_expect_conn_error(t_builder build, const char *code, const char *msg_part, int line) {
    static t_frame fr[2100];
    t_h2 t;
    size_t n;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_flush(&t);
    t_clear_log(&t);
    build(&t);
    if (t_send(&t) != HTTPX__BAD) test_fail(__FILE__, line, "no connection error; log \"%s\"", t_log(&t));
    {
        char want[64];
        snprintf(want, sizeof want, "X %s\n", code);
        if (!strstr(t_log(&t), want)) test_fail(__FILE__, line, "log \"%s\", expected %s", t_log(&t), want);
    }
    if (msg_part && !strstr(t.e.msg, msg_part)) test_fail(__FILE__, line, "message \"%s\"", t.e.msg);
    n = t_out(&t, fr, 2100);
    {
        const t_frame *g = t_find(fr, n < 2100 ? n : 2100, HTTPX__H2_GOAWAY);
        if (!g) test_fail(__FILE__, line, "no GOAWAY sent");
        else if (strcmp(httpx__h2_code_name(g->code), code) != 0)
            test_fail(__FILE__, line, "GOAWAY with %s", httpx__h2_code_name(g->code));
    }
    CHECK(httpx__h2_dead(t.s));
    {   /* a dead session stays dead */
        size_t used;
        CHECK_INT(httpx__h2_feed(t.s, "x", 1, &used, NULL), HTTPX__BAD);
    }
    t_free(&t);
}

static void b_headers_idle(t_h2 *t) { t_headers(t, 5, true, ":status", "200", NULL); }
static void b_headers_even(t_h2 *t) { t_headers(t, 2, true, ":status", "200", NULL); }
static void b_push_promise(t_h2 *t) {
    httpx__h2_write_frame(&t->srv, HTTPX__H2_PUSH_PROMISE, HTTPX__H2_FLAG_END_HEADERS, 1, "\0\0\0\2\x82", 5);
}
static void b_data_idle(t_h2 *t) { httpx__h2_write_data(&t->srv, 7, "x", 1, false); }
static void b_rst_idle(t_h2 *t) { httpx__h2_write_rst_stream(&t->srv, 9, HTTPX__H2_CANCEL); }
static void b_window_idle(t_h2 *t) { httpx__h2_write_window_update(&t->srv, 9, 1); }
static void b_interrupted_block(t_h2 *t) {
    httpx__h2_write_headers(&t->srv, 1, "\x88", 1, false, false);
    httpx__h2_write_data(&t->srv, 1, "x", 1, false);
}
static void b_continuation_other_stream(t_h2 *t) {
    t_request(t, "GET", "/", false, NULL);
    httpx__h2_write_headers(&t->srv, 1, "\x88", 1, false, false);
    httpx__h2_write_continuation(&t->srv, 3, "", 0, true);
}
static void b_continuation_alone(t_h2 *t) { httpx__h2_write_continuation(&t->srv, 1, "\x88", 1, true); }
static void b_continuation_flood(t_h2 *t) {
    int i;
    httpx__h2_write_headers(&t->srv, 1, "\x88", 1, false, false);
    for (i = 0; i < 100000; i++) httpx__h2_write_continuation(&t->srv, 1, "", 0, false);
}
static void b_continuation_big(t_h2 *t) {
    static char junk[16384];
    int i;
    memset(junk, 0x88, sizeof junk);        /* ":status: 200" over and over, never ending */
    httpx__h2_write_headers(&t->srv, 1, junk, sizeof junk, false, false);
    for (i = 0; i < 60; i++) httpx__h2_write_continuation(&t->srv, 1, junk, sizeof junk, false);
}
static void b_bad_index(t_h2 *t) { httpx__h2_write_headers(&t->srv, 1, "\xff\x10", 2, true, true); }
static void b_frame_too_big(t_h2 *t) {
    static char big[16385];
    httpx__h2_write_data(&t->srv, 1, big, sizeof big, false);
}
static void b_settings_flood(t_h2 *t) {
    int i;
    for (i = 0; i < 2000; i++) httpx__h2_write_settings(&t->srv, NULL, 0);
}
static void b_ping_flood(t_h2 *t) {
    int i;
    for (i = 0; i < 2000; i++) httpx__h2_write_ping(&t->srv, (const uint8_t *)"floodfld", false);
}
/* DATA on closed streams, answered with RST_STREAM each time: the streams
   go round more than the ring of recently reset ones holds. */
static void b_rst_flood(t_h2 *t) {
    uint32_t i;
    for (i = 3; i < 80; i += 2) t_request(t, "GET", "/", false, NULL);
    for (i = 1; i < 80; i += 2) t_headers(t, i, true, ":status", "200", NULL);
    for (i = 0; i < 2000; i++) httpx__h2_write_data(&t->srv, 1 + 2 * (i % 40), "", 0, false);
}
static void b_priority_self(t_h2 *t) {
    httpx__h2_write_frame(&t->srv, HTTPX__H2_HEADERS, HTTPX__H2_FLAG_PRIORITY | HTTPX__H2_FLAG_END_HEADERS, 1,
                          "\0\0\0\1\x10\x88", 6);
}

TEST(h2_session_hostile_connection_errors) {
    t_expect_conn_error(b_headers_idle, "PROTOCOL_ERROR", "never opened", __LINE__);
    t_expect_conn_error(b_headers_even, "PROTOCOL_ERROR", "never opened", __LINE__);
    t_expect_conn_error(b_push_promise, "PROTOCOL_ERROR", "PUSH_PROMISE", __LINE__);
    t_expect_conn_error(b_data_idle, "PROTOCOL_ERROR", "never opened", __LINE__);
    t_expect_conn_error(b_rst_idle, "PROTOCOL_ERROR", "never opened", __LINE__);
    t_expect_conn_error(b_window_idle, "PROTOCOL_ERROR", "never opened", __LINE__);
    t_expect_conn_error(b_interrupted_block, "PROTOCOL_ERROR", "inside the header block", __LINE__);
    t_expect_conn_error(b_continuation_other_stream, "PROTOCOL_ERROR", "inside the header block", __LINE__);
    t_expect_conn_error(b_continuation_alone, "PROTOCOL_ERROR", "without a HEADERS", __LINE__);
    t_expect_conn_error(b_continuation_flood, "ENHANCE_YOUR_CALM", "CONTINUATION", __LINE__);
    t_expect_conn_error(b_continuation_big, "ENHANCE_YOUR_CALM", "bytes", __LINE__);
    t_expect_conn_error(b_bad_index, "COMPRESSION_ERROR", "HPACK", __LINE__);
    t_expect_conn_error(b_frame_too_big, "FRAME_SIZE_ERROR", "16384", __LINE__);
    t_expect_conn_error(b_settings_flood, "ENHANCE_YOUR_CALM", "flood", __LINE__);
    t_expect_conn_error(b_ping_flood, "ENHANCE_YOUR_CALM", "flood", __LINE__);
    t_expect_conn_error(b_rst_flood, "ENHANCE_YOUR_CALM", "flood", __LINE__);
    t_expect_conn_error(b_priority_self, "PROTOCOL_ERROR", "depends on itself", __LINE__);
}

/* A server that reads what we send can ping as much as it likes. */
TEST(h2_session_ping_flood_with_reader) {
    t_h2 t;
    int i;
    t_init(&t);
    t_handshake(&t);
    for (i = 0; i < 5000; i++) {
        httpx__h2_write_ping(&t.srv, (const uint8_t *)"pingping", false);
        CHECK_INT(t_send(&t), 0);
        t_flush(&t);
    }
    CHECK(!httpx__h2_dead(t.s));
    CHECK(httpx__h2_memory(t.s) < 40000);
    t_free(&t);
}

TEST(h2_session_first_frame_not_settings) {
    t_h2 t;
    t_init(&t);
    httpx__h2_write_ping(&t.srv, (const uint8_t *)"12345678", false);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK_STR(t_log(&t), "X PROTOCOL_ERROR\n");
    CHECK(strstr(t.e.msg, "not SETTINGS") != NULL);
    t_free(&t);

    t_init(&t);
    httpx__buf_puts(&t.srv, "HTTP/1.1 400 Bad Request\r\n\r\n");
    CHECK_INT(t_send(&t), HTTPX__BAD);
    CHECK(strstr(t.e.msg, "HTTP/1") != NULL);
    t_free(&t);

    t_init(&t);     /* a SETTINGS ACK is not the server's SETTINGS */
    httpx__h2_write_settings_ack(&t.srv);
    CHECK_INT(t_send(&t), HTTPX__BAD);
    t_free(&t);
}

TEST(h2_session_frames_on_closed_streams) {
    t_h2 t;
    t_frame fr[8];
    size_t n;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_headers(&t, 1, true, ":status", "200", NULL);
    t_send(&t);
    t_flush(&t);
    t_clear_log(&t);
    /* closed normally: DATA and HEADERS on it are STREAM_CLOSED stream errors,
       WINDOW_UPDATE, RST_STREAM and PRIORITY are fine */
    httpx__h2_write_window_update(&t.srv, 1, 5);
    httpx__h2_write_rst_stream(&t.srv, 1, HTTPX__H2_CANCEL);
    httpx__h2_write_priority(&t.srv, 1, 0, 16, false);
    httpx__h2_write_priority(&t.srv, 11, 0, 16, false);      /* idle: PRIORITY is allowed */
    httpx__h2_write_data(&t.srv, 1, "x", 1, false);
    t_headers(&t, 1, true, "x", "y", NULL);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "");
    /* one RST_STREAM: once reset, the stream's later frames are ignored */
    n = t_out(&t, fr, 8);
    REQUIRE(n == 1);
    CHECK(fr[0].type == HTTPX__H2_RST_STREAM && fr[0].code == HTTPX__H2_STREAM_CLOSED);
    /* the HEADERS was still decoded: a later block that refers to the
       entry it added works */
    t_request(&t, "GET", "/", false, NULL);
    {
        httpx__buf block = {0};
        httpx__buf_append(&block, "\x88\xbe", 2);    /* :status 200, dynamic entry 62 (x: y) */
        httpx__h2_write_headers(&t.srv, 3, block.p, block.len, true, true);
        httpx__buf_free(&block);
    }
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "H3 200 x=y\nE3\n");
    t_free(&t);
}

/* A head over SETTINGS_MAX_HEADER_LIST_SIZE fails its stream only; the
   HPACK table stays in step (the next head uses what the big one added). */
TEST(h2_session_huge_head_resets_stream) {
    t_h2 t;
    static char big[70000];
    httpx__hpack_field f[2] = {{":status", 7, "200", 3, HTTPX__HPACK_INDEX}, {"x-big", 5, big, 0, HTTPX__HPACK_NO_INDEX}};
    httpx__hpack_field g[1] = {{"x-small", 7, "kept", 4, HTTPX__HPACK_INDEX}};
    httpx__buf block = {0};
    memset(big, 'a', sizeof big - 1);
    f[1].vlen = sizeof big - 1;
    t_init(&t);
    t_handshake(&t);
    t_request(&t, "GET", "/", false, NULL);
    t_request(&t, "GET", "/", false, NULL);
    t.enc.huffman = HTTPX__HPACK_HUFF_NEVER;
    /* one small field into the table first, in the same block */
    {
        httpx__hpack_field h[3] = {f[0], g[0], f[1]};
        CHECK_INT(httpx__hpack_encode(&t.enc, &block, h, 3, NULL), HTTPX_OK);
    }
    CHECK(block.len > 65536);
    httpx__h2_write_header_block(&t.srv, 1, block.p, block.len, false, 16384);
    httpx__buf_clear(&block);
    t_clear_log(&t);
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "R1 PROTOCOL_ERROR too-large\n");
    t_headers(&t, 3, true, ":status", "200", "x-small", "kept", NULL);   /* indexed now */
    CHECK_INT(t_send(&t), 0);
    CHECK_STR(t_log(&t), "R1 PROTOCOL_ERROR too-large\nH3 200 x-small=kept\nE3\n");
    httpx__buf_free(&block);
    t_free(&t);
}

/* ---- memory ---- */

TEST(h2_session_memory) {
    t_h2 t;
    size_t fresh, idle, busy, i;
    t_init(&t);
    fresh = httpx__h2_memory(t.s);
    t_handshake(&t);
    t_flush(&t);
    for (i = 0; i < 10; i++) t_request(&t, "GET", "/some/path", false, NULL);
    for (i = 0; i < 10; i++) {
        t_headers(&t, (uint32_t)(2 * i + 1), false, ":status", "200", "content-type", "text/html", "server", "test", NULL);
        httpx__h2_write_data(&t.srv, (uint32_t)(2 * i + 1), "<html></html>", 13, false);
    }
    t_send(&t);
    busy = httpx__h2_memory(t.s);
    for (i = 0; i < 10; i++) httpx__h2_write_data(&t.srv, (uint32_t)(2 * i + 1), "", 0, true);
    t_send(&t);
    t_flush(&t);
    CHECK(httpx__h2_idle(t.s));
    idle = httpx__h2_memory(t.s);
    if (getenv("H2_MEMORY"))
        printf("h2 session: %zu bytes new, %zu with 10 streams, %zu idle after\n", fresh, busy, idle);
    CHECK(idle < 16384);    /* mostly the two HPACK tables (4096 + 128 entries each) */
    CHECK(busy < 64 * 1024);
    t_free(&t);
}

/* ---- fuzz ---- */

static uint32_t f_rng;
static uint32_t f_rand(void) {     /* xorshift32, fixed seed */
    f_rng ^= f_rng << 13;
    f_rng ^= f_rng >> 17;
    f_rng ^= f_rng << 5;
    return f_rng;
}

/* One random server frame: anything at all. */
static void f_wild_frame(t_h2 *t) {
    static const uint8_t types[] = {0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9, 9, 0x20};
    uint8_t payload[64], type = types[f_rand() % sizeof types], flags = (uint8_t)f_rand();
    uint32_t stream = f_rand() % 4 ? f_rand() % 12 : f_rand() & 0x7fffffffu;
    size_t len = f_rand() % 4 ? f_rand() % 16 : f_rand() % sizeof payload, i;
    for (i = 0; i < len; i++) payload[i] = (uint8_t)f_rand();
    httpx__h2_write_frame(&t->srv, type, flags, stream, payload, len);
}

/* One plausible server frame on the streams a session opened (1, 3, 5):
   what a real server might send, in a random order. */
static void f_frame(t_h2 *t) {
    static const char *const statuses[] = {"200", "100", "204", "404", "103"};
    uint8_t payload[128];
    uint32_t stream = 1 + 2 * (f_rand() % 3);
    bool end = f_rand() % 3 == 0;
    size_t len = f_rand() % sizeof payload, i;
    for (i = 0; i < len; i++) payload[i] = (uint8_t)f_rand();
    switch (f_rand() % 12) {
    case 0: case 1:
        t_headers(t, stream, end, ":status", statuses[f_rand() % 5], "content-type", "text/plain", NULL);
        return;
    case 2: t_headers(t, stream, true, "x-trailer", "1", NULL); return;
    case 3: case 4: httpx__h2_write_data(&t->srv, stream, payload, len, end); return;
    case 5: {   /* padded */
        payload[0] = (uint8_t)(len ? f_rand() % len : 0);
        httpx__h2_write_frame(&t->srv, HTTPX__H2_DATA, (uint8_t)(HTTPX__H2_FLAG_PADDED | end), stream, payload, len ? len : 1);
        payload[0] = 0;
        return;
    }
    case 6: httpx__h2_write_window_update(&t->srv, f_rand() % 2 ? 0 : stream, 1 + f_rand() % 100000); return;
    case 7: {
        httpx__h2_setting set[2];
        set[0].id = (uint16_t)(1 + f_rand() % 7);
        set[0].value = f_rand() % 3 ? f_rand() % 70000 : f_rand() % 0x7fffffffu;
        set[1].id = (uint16_t)(1 + f_rand() % 7);
        set[1].value = 16384 + f_rand() % 100000;
        if (set[0].id == HTTPX__H2_SET_ENABLE_PUSH) set[0].value %= 2;
        if (set[1].id == HTTPX__H2_SET_ENABLE_PUSH) set[1].value = 0;
        httpx__h2_write_settings(&t->srv, set, 1 + f_rand() % 2);
        return;
    }
    case 8: httpx__h2_write_ping(&t->srv, payload, f_rand() % 4 == 0); return;
    case 9: httpx__h2_write_rst_stream(&t->srv, stream, f_rand() % 14); return;
    case 10: httpx__h2_write_goaway(&t->srv, f_rand() % 6, f_rand() % 14, payload, len % 20); return;
    default: {  /* a head split over CONTINUATIONs */
        httpx__buf block = {0};
        httpx__hpack_field f[2] = {{":status", 7, "200", 3, 0}, {"x-long", 6, (const char *)payload, 0, 0}};
        for (i = 0; i < len; i++) payload[i] = (uint8_t)('a' + payload[i] % 26);
        f[1].vlen = len;
        if (httpx__hpack_encode(&t->enc, &block, f, 2, NULL) == HTTPX_OK)
            httpx__h2_write_header_block(&t->srv, stream, block.p, block.len, end, 1 + f_rand() % 20);
        httpx__buf_free(&block);
        return;
    }
    }
}

/* What the events said of each stream so far: they must come in the order
   a response can have (head, data, trailers, end), nothing after a reset,
   nothing after the connection error. */
enum { F_HEAD = 1, F_END = 2, F_RESET = 4, F_TRAILERS = 8 };
typedef struct f_state { uint8_t st[128]; bool error; } f_state;

static void f_check(f_state *fs, const httpx__h2_event *ev) {
    uint8_t *st = ev->stream_id < 256 ? &fs->st[ev->stream_id / 2] : NULL;
    CHECK(!fs->error);
    switch (ev->type) {
    case HTTPX__H2_EV_HEADERS:
        CHECK(st && *st == 0 && ev->status >= 200 && ev->status <= 999);
        if (st) *st |= F_HEAD;
        break;
    case HTTPX__H2_EV_DATA:
        CHECK(st && *st == F_HEAD && ev->len > 0);
        break;
    case HTTPX__H2_EV_TRAILERS:
        CHECK(st && *st == F_HEAD);
        if (st) *st |= F_TRAILERS;
        break;
    case HTTPX__H2_EV_END:
        CHECK(st && (*st & F_HEAD) && !(*st & (F_END | F_RESET)));
        if (st) *st |= F_END;
        break;
    case HTTPX__H2_EV_RESET:
        CHECK(st && !(*st & F_RESET));
        if (st) *st |= F_RESET;
        break;
    case HTTPX__H2_EV_ERROR: fs->error = true; break;
    default: break;
    }
}

static void f_drain(t_h2 *t, f_state *fs) {
    httpx__h2_event ev;
    while (httpx__h2_next_event(t->s, &ev)) {
        f_check(fs, &ev);
        if (ev.type == HTTPX__H2_EV_DATA) {
            volatile uint8_t sum = 0;
            size_t i;
            for (i = 0; i < ev.len; i++) sum = (uint8_t)(sum + ev.data[i]);   /* ASan checks the view */
            if (f_rand() % 2) httpx__h2_consumed(t->s, ev.stream_id, ev.len);
        } else if (ev.type == HTTPX__H2_EV_HEADERS || ev.type == HTTPX__H2_EV_TRAILERS) {
            size_t i;
            for (i = 0; i < ev.num_fields; i++) CHECK_INT(strlen(ev.fields[i].value), ev.fields[i].value_len);
        }
    }
}

TEST(h2_session_fuzz) {
    long seq, seqs = getenv("H2_FUZZ") ? atol(getenv("H2_FUZZ")) : 100000;
    size_t max_mem = 0;
    long dead = 0;
    f_rng = 0x9e3779b9u;
    for (seq = 0; seq < seqs; seq++) {
        t_h2 t;
        f_state fs;
        int frames = 1 + (int)(f_rand() % 16), i;
        bool wild = f_rand() % 8 == 0;      /* else a plausible server, which may still break rules */
        t_init(&t);
        memset(&fs, 0, sizeof fs);
        if (f_rand() % 8) t_settings(&t, NULL, 0);
        for (i = 0; i < 3; i++)
            if (httpx__h2_can_open(t.s)) t_request_x(&t, i == 2 ? "POST" : "GET", "/", i == 2, NULL, false);
        for (i = 0; i < frames; i++) {
            if (wild) f_wild_frame(&t);
            else f_frame(&t);
        }
        if (wild && t.srv.len) t.srv.p[f_rand() % t.srv.len] ^= (char)(1u << (f_rand() % 8));
        {
            size_t off = 0;
            while (off < t.srv.len) {
                size_t used = 0, len = f_rand() % 3 ? t.srv.len - off : 1 + f_rand() % (t.srv.len - off);
                int rc = httpx__h2_feed(t.s, t.srv.p + off, len, &used, NULL);
                f_drain(&t, &fs);
                if (rc != 0) { dead++; break; }
                REQUIRE(used > 0);
                off += used;
                if (f_rand() % 3 == 0) {
                    size_t n;
                    httpx__h2_out(t.s, &n);
                    httpx__h2_out_done(t.s, n);
                }
                switch (f_rand() % 6) {
                case 0: httpx__h2_cancel(t.s, 1 + 2 * (f_rand() % 3)); break;
                case 1: httpx__h2_send_data(t.s, 5, "body", 4, f_rand() % 2, NULL); break;
                case 2: if (httpx__h2_can_open(t.s)) t_request_x(&t, "GET", "/", false, NULL, false); break;
                default: break;
                }
            }
        }
        if (httpx__h2_memory(t.s) > max_mem) max_mem = httpx__h2_memory(t.s);
        t_free(&t);
    }
    CHECK(max_mem < 256 * 1024);
    CHECK(dead > seqs / 10 && dead < seqs);     /* both kinds of ending happen */
    if (getenv("H2_MEMORY")) printf("fuzz: %ld sequences, %ld connection errors, at most %zu bytes\n", seqs, dead, max_mem);
}

/* ---- interop: a real HTTP/2 server (python h2) over loopback ---- */

#include "fixtures_common.h"
#include <poll.h>
#include <fcntl.h>
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

typedef struct i_req {
    const char *method, *path;
    const unsigned char *body;      /* request body (POST) */
    size_t body_len, body_off;
    bool blocked, ended, reset;
    int status;
    httpx__buf got, trailers;
} i_req;

static int i_connect(int port) {
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void i_event(httpx__h2_session *s, const httpx__h2_event *ev) {
    i_req *r = (i_req *)ev->user;
    size_t i;
    switch (ev->type) {
    case HTTPX__H2_EV_HEADERS: r->status = ev->status; break;
    case HTTPX__H2_EV_DATA:
        httpx__buf_append(&r->got, ev->data, ev->len);
        httpx__h2_consumed(s, ev->stream_id, ev->len);
        break;
    case HTTPX__H2_EV_TRAILERS:
        for (i = 0; i < ev->num_fields; i++)
            httpx__buf_printf(&r->trailers, "%s=%s;", ev->fields[i].name, ev->fields[i].value);
        break;
    case HTTPX__H2_EV_END: r->ended = true; break;
    case HTTPX__H2_EV_WINDOW: r->blocked = false; break;
    case HTTPX__H2_EV_RESET:
        test_fail(__FILE__, __LINE__, "stream %lu reset: %s", (unsigned long)ev->stream_id, ev->msg);
        r->reset = true;
        break;
    case HTTPX__H2_EV_ERROR: test_fail(__FILE__, __LINE__, "connection error: %s", ev->msg); break;
    default: break;
    }
}

/* Moves bytes between the socket and the session until every request ended
   (or failed), with a deadline; plain poll(), as the engine will do. */
static bool i_run(httpx__h2_session *s, int fd, i_req *reqs, size_t n) {
    static char buf[65536];
    long long deadline = fxc_now_ms() + 60000;
    for (;;) {
        size_t len, i, done = 0;
        const char *out;
        struct pollfd pf;
        for (i = 0; i < n; i++) {
            i_req *r = &reqs[i];
            done += r->ended || r->reset;
            while (r->body && r->body_off < r->body_len && !r->blocked && !r->reset) {
                size_t want = r->body_len - r->body_off < 65536 ? r->body_len - r->body_off : 65536;
                long k;
                httpx__h2_out(s, &len);
                if (len > 256 * 1024) break;        /* send what is queued first */
                k = httpx__h2_send_data(s, (uint32_t)(2 * i + 1), r->body + r->body_off, want,
                                        r->body_off + want == r->body_len, NULL);
                if (k < 0) return false;
                r->body_off += (size_t)k;
                if ((size_t)k < want) r->blocked = true;
            }
        }
        if (done == n) return true;
        if (fxc_now_ms() > deadline || httpx__h2_dead(s)) return false;
        out = httpx__h2_out(s, &len);
        pf.fd = fd;
        pf.events = (short)(POLLIN | (len ? POLLOUT : 0));
        if (poll(&pf, 1, 1000) < 0 && errno != EINTR) return false;
        if (pf.revents & POLLOUT) {
            ssize_t k = send(fd, out, len, MSG_NOSIGNAL);
            if (k > 0) httpx__h2_out_done(s, (size_t)k);
        }
        if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t k = recv(fd, buf, sizeof buf, 0);
            size_t off = 0;
            if (k == 0) return false;
            if (k < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                return false;
            }
            while (off < (size_t)k) {
                size_t used = 0;
                httpx__h2_event ev;
                int rc = httpx__h2_feed(s, buf + off, (size_t)k - off, &used, NULL);
                while (httpx__h2_next_event(s, &ev)) i_event(s, &ev);
                if (rc != 0) return false;
                off += used;
            }
        }
    }
}

static bool i_check_pattern(const httpx__buf *b, size_t n) {
    size_t i;
    if (b->len != n) return false;
    for (i = 0; i < n; i++)
        if ((unsigned char)b->p[i] != (i & 0xff)) return false;
    return true;
}

TEST(h2_session_interop_python_h2) {
    static unsigned char up[300000];
    char line[64];
    fxc_proc p = FXC_PROC_INIT;
    i_req reqs[4];
    httpx__h2_session *s;
    int port, fd;
    size_t i;
    for (i = 0; i < sizeof up; i++) up[i] = (unsigned char)(i * 7 + 3);
    REQUIRE(fxc_start_python("h2_session", "tests/servers/h2_server.py", NULL, &p, line, sizeof line, 10000, NULL, 0));
    port = atoi(line);
    if (port <= 0) {
        test_fail(__FILE__, __LINE__, "tests/servers/h2_server.py did not start (got \"%s\")", line);
        fxc_proc_stop(&p);
        return;
    }
    fd = i_connect(port);
    s = httpx__h2_new(NULL, NULL);
    memset(reqs, 0, sizeof reqs);
    reqs[0].method = "GET";  reqs[0].path = "/bytes/3000000";  /* three stream windows */
    reqs[1].method = "POST"; reqs[1].path = "/echo";            /* over the server's 64 KiB windows */
    reqs[1].body = up;
    reqs[1].body_len = sizeof up;
    reqs[2].method = "GET";  reqs[2].path = "/trailers";
    reqs[3].method = "GET";  reqs[3].path = "/missing";
    if (fd >= 0 && s) {
        for (i = 0; i < 4; i++) {
            httpx__hpack_field f[4];
            uint32_t id = 0;
            const char *nv[] = {":method", reqs[i].method, ":scheme", "http", ":authority", "127.0.0.1",
                                ":path", reqs[i].path};
            size_t k;
            memset(f, 0, sizeof f);
            for (k = 0; k < 4; k++) {
                f[k].name = nv[2 * k];
                f[k].nlen = strlen(nv[2 * k]);
                f[k].value = nv[2 * k + 1];
                f[k].vlen = strlen(nv[2 * k + 1]);
            }
            CHECK_INT(httpx__h2_submit(s, f, 4, reqs[i].body != NULL, &reqs[i], &id, NULL), HTTPX_OK);
            CHECK_INT(id, 2 * i + 1);
        }
        CHECK(i_run(s, fd, reqs, 4));
        CHECK_INT(reqs[0].status, 200);
        CHECK(i_check_pattern(&reqs[0].got, 3000000));
        CHECK_INT(reqs[1].status, 200);
        CHECK_MEM(reqs[1].got.p, reqs[1].got.len, up, sizeof up);
        CHECK_INT(reqs[2].status, 200);
        CHECK_STR(reqs[2].got.p, "body");
        CHECK_STR(reqs[2].trailers.p, "x-checksum=42;");
        CHECK_INT(reqs[3].status, 404);
        CHECK(reqs[3].ended && reqs[3].got.len == 0);
        CHECK(httpx__h2_idle(s));
        /* a clean close: our GOAWAY goes out */
        httpx__h2_goaway(s);
        {
            size_t len;
            const char *out = httpx__h2_out(s, &len);
            CHECK(send(fd, out, len, MSG_NOSIGNAL) == (ssize_t)len);
        }
        if (getenv("H2_MEMORY")) printf("interop: session memory after 4 exchanges: %zu bytes\n", httpx__h2_memory(s));
    } else {
        test_fail(__FILE__, __LINE__, "could not connect to the h2 server on port %d", port);
    }
    for (i = 0; i < 4; i++) {
        httpx__buf_free(&reqs[i].got);
        httpx__buf_free(&reqs[i].trailers);
    }
    httpx__h2_free(s);
    if (fd >= 0) close(fd);
    fxc_proc_stop(&p);
}

/* ---- out of memory ---- */

/* build/oom_h2 (make examples) fails every allocation of a scripted
   session in turn; it must report each one as NOMEM. */
TEST(h2_session_out_of_memory) {
    char out[4096];
    size_t n = 0;
    FILE *p = popen("build/oom_h2 2>&1", "r");
    int status;
    REQUIRE(p);
    while (n + 1 < sizeof out && fgets(out + n, (int)(sizeof out - n), p)) n += strlen(out + n);
    out[n] = 0;
    status = pclose(p);
    CHECK_INT(status, 0);
    if (!strstr(out, "every one failed in turn, 0 bad outcomes"))
        test_fail(__FILE__, __LINE__, "build/oom_h2 (make build/oom_h2): %s", out);
}
