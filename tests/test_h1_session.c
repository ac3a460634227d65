/* Unit tests of the sans-IO HTTP/1.1 receive side (h1_session.c): bytes in,
   events out, no socket. Every case is fed at every step size (1 byte at a
   time up to all at once) and read with small and large read sizes, and
   must give the same transcript each time: what a connection would see
   however the network cuts the bytes. */
#include "test.h"
#include <stdlib.h>

#define S(x) x, sizeof(x) - 1

typedef struct h1s_case {
    const char *name;
    const char *wire; size_t len;
    bool head_req, connect;
    size_t max_head;            /* 0: 8192 */
    const char *want;           /* the transcript; a final '*' matches any rest */
    int reusable;               /* after END: 1 yes, 0 no, -1 not checked (no END) */
} h1s_case;

typedef struct h1s_out { char text[1024]; size_t n; char body[256]; size_t blen; } h1s_out;

static void h1s_put(h1s_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void h1s_put(h1s_out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (o->n < sizeof o->text) o->n += (size_t)vsnprintf(o->text + o->n, sizeof o->text - o->n, fmt, ap);
    va_end(ap);
}

/* Runs one case, feeding `step` bytes at a time and reading at most `cap`
   body bytes per event. Returns whether the connection is reusable. */
static bool h1s_run(const h1s_case *c, size_t step, size_t cap, h1s_out *o) {
    char *buf = (char *)malloc(c->len + 1);
    size_t held = 0, off = 0, fed = 0;
    httpx__h1_resp r;
    httpx__h1_header hdrs[16];
    bool reusable = false;
    memset(o, 0, sizeof *o);
    httpx__h1_resp_init(&r, c->head_req, c->connect, c->max_head ? c->max_head : 8192);
    for (;;) {
        httpx__h1_event ev;
        httpx__err e;
        size_t used = 0;
        int rc;
        memset(&e, 0, sizeof e);
        rc = httpx__h1_resp_next(&r, buf + off, held - off, cap, hdrs, 16, &ev, &used, &e);
        if (rc == HTTPX__H1_EV_HEAD) {
            h1s_put(o, "HEAD %d %lld|", ev.head.status, ev.expected_length);
            off += used;
        } else if (rc == HTTPX__H1_EV_INTERIM) {
            h1s_put(o, "INTERIM %d|", ev.head.status);
            off += used;
        } else if (rc == HTTPX__H1_EV_DATA) {
            if (ev.len > cap || ev.len == 0 || ev.data != buf + off) h1s_put(o, "BAD DATA VIEW|");
            if (o->blen + ev.len <= sizeof o->body) memcpy(o->body + o->blen, ev.data, ev.len);
            o->blen += ev.len;
            off += used;
        } else if (rc == HTTPX__H1_EV_SHRINK) {
            held = off + ev.len;
        } else if (rc == HTTPX__H1_EV_END) {
            h1s_put(o, "BODY %.*s|END", (int)o->blen, o->body);
            reusable = r.reusable && off == held && fed == c->len;
            break;
        } else if (rc == HTTPX__BAD) {
            h1s_put(o, "BAD %s", e.msg);
            break;
        } else if (fed == c->len) {
            rc = httpx__h1_resp_eof(&r, &e);
            if (rc == HTTPX__H1_EV_END) h1s_put(o, "BODY %.*s|EOF END", (int)o->blen, o->body);
            else h1s_put(o, "EOF BAD %s", e.msg);
            break;
        } else {
            size_t k = c->len - fed < step ? c->len - fed : step;
            memmove(buf, buf + off, held - off);
            held -= off;
            off = 0;
            memcpy(buf + held, c->wire + fed, k);
            held += k;
            fed += k;
        }
    }
    free(buf);
    return reusable;
}

static const h1s_case h1s_cases[] = {
    {"length", S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), false, false, 0,
     "HEAD 200 5|BODY hello|END", 1},
    {"chunked with extensions and trailers",
     S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nT: v\r\n\r\n"),
     false, false, 0, "HEAD 200 -1|BODY hello world|END", 1},
    {"interim responses skipped",
     S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"),
     false, false, 0, "INTERIM 100|INTERIM 103|HEAD 201 2|BODY ok|END", 1},
    {"HEAD: no body whatever Content-Length says", S("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"), true, false, 0,
     "HEAD 200 0|BODY |END", 1},
    {"Content-Length: 0", S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), false, false, 0, "HEAD 200 0|BODY |END", 1},
    {"204: no body", S("HTTP/1.1 204 No Content\r\n\r\n"), false, false, 0, "HEAD 204 0|BODY |END", 1},
    {"until close", S("HTTP/1.1 200 OK\r\n\r\nall of it"), false, false, 0, "HEAD 200 -1|BODY all of it|EOF END", 0},
    {"HTTP/1.0 without keep-alive", S("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"), false, false, 0,
     "HEAD 200 1|BODY x|END", 0},
    {"Connection: close", S("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"), false, false, 0,
     "HEAD 200 1|BODY x|END", 0},
    {"bytes after the body", S("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxJUNK"), false, false, 0,
     "HEAD 200 1|BODY x|END", 0},
    {"bytes after a chunked body", S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nJUNK"),
     false, false, 0, "HEAD 200 -1|BODY x|END", 0},
    {"CONNECT 200 ends at the head", S("HTTP/1.1 200 Connection established\r\n\r\n"), false, true, 0,
     "HEAD 200 0|BODY |END", 0},
    {"CONNECT refused has a body", S("HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\nno"), false, true, 0,
     "HEAD 407 2|BODY no|END", 1},
    {"cut short", S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), false, false, 0,
     "HEAD 200 10|EOF BAD server closed the connection with 7 of 10 body bytes still to come", -1},
    {"chunked cut short", S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), false, false, 0,
     "HEAD 200 -1|EOF BAD server closed the connection in the middle of a chunked body", -1},
    {"head cut short", S("HTTP/1.1 200 OK\r\nContent-"), false, false, 0,
     "EOF BAD server closed the connection in the middle of the response head", -1},
    {"101 refused", S("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"), false, false, 0,
     "BAD server switched protocols (101), which httpx.h does not support", -1},
    {"head over max_head", S("HTTP/1.1 200 OK\r\nX: 0123456789012345678901234567890123456789\r\n\r\n"), false, false, 40,
     "BAD response head is *", -1},      /* "larger than 40" or "64 bytes, more than 40": by the cut */
    {"conflicting framing", S("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"), false, false, 0,
     "BAD response has both Transfer-Encoding and Content-Length", -1},
};

TEST(h1_session_events_whatever_the_cuts) {
    size_t i, step, k;
    static const size_t caps[] = {1, 3, 16384};
    for (i = 0; i < sizeof h1s_cases / sizeof h1s_cases[0]; i++) {
        const h1s_case *c = &h1s_cases[i];
        for (step = 1; step <= c->len; step++) {
            for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
                h1s_out o;
                bool reusable = h1s_run(c, step, caps[k], &o);
                size_t wl = strlen(c->want);
                bool prefix = wl && c->want[wl - 1] == '*';
                if (prefix ? strncmp(o.text, c->want, wl - 1) != 0 : strcmp(o.text, c->want) != 0) {
                    test_fail(__FILE__, __LINE__, "%s (fed %zu at a time, read %zu): \"%s\", expected \"%s\"",
                              c->name, step, caps[k], o.text, c->want);
                    return;
                }
                if (c->reusable >= 0 && reusable != (c->reusable == 1)) {
                    test_fail(__FILE__, __LINE__, "%s (fed %zu, read %zu): reusable %d, expected %d", c->name, step,
                              caps[k], reusable, c->reusable);
                    return;
                }
            }
        }
    }
}

/* Interim responses are bounded by bytes, not by a count: all of them
   together may take max_head bytes. 40 heads of 25 bytes pass under a
   1,000-byte bound and the final head is delivered; under 500 bytes the
   21st fails. */
TEST(h1_session_interim_bound) {
    static const char one[] = "HTTP/1.1 100 Continue\r\n\r\n";
    static const char final[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    char wire[64 * sizeof one];
    h1s_case c;
    h1s_out o;
    size_t i, n = 0;
    for (i = 0; i < 40; i++, n += sizeof one - 1) memcpy(wire + n, one, sizeof one - 1);
    memcpy(wire + n, final, sizeof final - 1);
    memset(&c, 0, sizeof c);
    c.name = "interim flood";
    c.wire = wire;
    c.len = n + sizeof final - 1;
    c.max_head = 1000;
    h1s_run(&c, c.len, 16384, &o);
    CHECK(strstr(o.text, "BAD") == NULL);
    CHECK(strstr(o.text, "HEAD 200") != NULL);
    c.max_head = 500;
    h1s_run(&c, c.len, 16384, &o);
    CHECK(strstr(o.text, "BAD interim (1xx) responses took more than 500 bytes") != NULL);
    CHECK(strstr(o.text, "HEAD") == NULL);
}

/* With nothing held, a length-delimited body may be read straight into the
   caller's memory: the session says how much, and counts what was taken. */
TEST(h1_session_direct_reads) {
    static char wire[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    httpx__h1_resp r;
    httpx__h1_header hdrs[4];
    httpx__h1_event ev;
    httpx__err e;
    size_t used;
    memset(&e, 0, sizeof e);
    httpx__h1_resp_init(&r, false, false, 8192);
    CHECK_INT(httpx__h1_resp_direct(&r), 0);              /* no head yet */
    CHECK_INT(httpx__h1_resp_next(&r, wire, sizeof wire - 1, 100, hdrs, 4, &ev, &used, &e), HTTPX__H1_EV_HEAD);
    CHECK_INT(used, sizeof wire - 1);
    CHECK_INT(httpx__h1_resp_next(&r, wire, 0, 100, hdrs, 4, &ev, &used, &e), HTTPX__AGAIN);
    CHECK_INT(httpx__h1_resp_direct(&r), 10);
    httpx__h1_resp_direct_took(&r, 4);
    CHECK_INT(httpx__h1_resp_direct(&r), 6);
    httpx__h1_resp_direct_took(&r, 6);
    CHECK_INT(httpx__h1_resp_direct(&r), 0);
    CHECK_INT(httpx__h1_resp_next(&r, wire, 0, 100, hdrs, 4, &ev, &used, &e), HTTPX__H1_EV_END);
    CHECK(r.reusable);
}

/* ---- the send side ---- */

static void h1s_head(const char *method, const char *url, bool has_host, bool has_body, long long len,
                     const char *const *fields, const char *want) {
    httpx__url u;
    httpx__err e;
    httpx_headers h;
    httpx__buf out;
    memset(&e, 0, sizeof e);
    memset(&out, 0, sizeof out);
    httpx__headers_init(&h);
    REQUIRE(httpx__url_parse(&u, url, strlen(url), &e) == HTTPX_OK);
    for (; fields && *fields; fields += 2)
        REQUIRE(httpx__headers_add_raw(&h, fields[0], strlen(fields[0]), fields[1], strlen(fields[1])));
    CHECK(httpx__h1_write_request_head(&out, method, &u, &h, has_host, has_body, len));
    CHECK_STR(out.p, want);
    httpx__buf_free(&out);
    httpx__headers_clear(&h);
}

TEST(h1_session_request_heads) {
    static const char *const accept[] = {"Accept", "*/*", "X-Two", "a b", NULL};
    static const char *const host[] = {"Host", "other.example", NULL};
    h1s_head("GET", "http://example.com/p?q=1#frag", false, false, -1, accept,
             "GET /p?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Two: a b\r\n\r\n");
    h1s_head("GET", "http://[::1]:8080", false, false, -1, NULL, "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
    h1s_head("POST", "https://example.com:443/up", false, true, 12, NULL,
             "POST /up HTTP/1.1\r\nHost: example.com\r\nContent-Length: 12\r\n\r\n");
    h1s_head("PUT", "http://example.com/up", false, true, -1, NULL,
             "PUT /up HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n");
    h1s_head("PATCH", "http://example.com/x", false, false, -1, NULL,
             "PATCH /x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n");
    h1s_head("DELETE", "http://example.com/x", true, false, -1, host, "DELETE /x HTTP/1.1\r\nHost: other.example\r\n\r\n");
}

TEST(h1_session_chunk_frames) {
    char buf[HTTPX__H1_CHUNK_ROOM + 0x12345 + 2];
    size_t at;
    memcpy(buf + HTTPX__H1_CHUNK_ROOM, "hello", 5);
    at = httpx__h1_chunk_frame(buf, 5);
    CHECK_MEM(buf + at, HTTPX__H1_CHUNK_ROOM + 5 + 2 - at, "5\r\nhello\r\n", 10);
    at = httpx__h1_chunk_frame(buf, 0);
    CHECK_MEM(buf + at, HTTPX__H1_CHUNK_ROOM + 2 - at, "0\r\n\r\n", 5);
    at = httpx__h1_chunk_frame(buf, 0x12345);
    CHECK_MEM(buf + at, 7, "12345\r\n", 7);
    CHECK_MEM(buf + HTTPX__H1_CHUNK_ROOM + 0x12345, 2, "\r\n", 2);
}
