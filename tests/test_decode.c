/* Content-Encoding undone at the door (tools/src/body_decode.c), as a user
   sees it: real servers (nginx's gzip, rogue.py's /enc/ endpoints for what
   nginx will not send: raw deflate, layers, corrupt, truncated, trickled,
   bombs), HTTP/1.1 and HTTP/2, the blocking and the task faces, the mock
   transport, every way a body is handed over (content, on_data, httpx_read,
   httpx_read_line, httpx_read_text), and raw mode. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include "fixtures_tls.h"
#include "../tools/src/inflate_internal.h"
#include <stdlib.h>
#ifdef HTTPX_BROTLI
#include <brotli/encode.h>
#endif
#ifdef HTTPX_ZSTD
#include <zstd.h>
#endif

#ifndef HTTPX_NO_INFLATE

/* What /enc/lines?n=N encodes: "line I: the quick brown fox\n" for I < N. */
static char *dec_lines(int n, size_t *len) {
    size_t cap = (size_t)n * 40 + 1, at = 0;
    char *p = (char *)malloc(cap);
    int i;
    if (!p) return NULL;
    for (i = 0; i < n; i++) at += (size_t)snprintf(p + at, cap - at, "line %d: the quick brown fox\n", i);
    p[at] = 0;
    *len = at;
    return p;
}

static const char *dec_url(const char *query) {
    static char path[256];
    snprintf(path, sizeof path, "/enc/lines?%s", query);
    return fx_rogue_at(path);
}

/* The blocking call and the task, on one client: each must give `want`. */
static void dec_both_faces(const char *file, int line, httpx_client *c, const char *url, const char *want,
                           size_t want_len) {
    httpx_response *r = httpx_client_get(c, url, NULL);
    httpx_task *t;
    int face;
    for (face = 0; face < 2; face++) {
        if (face == 1) {
            t = httpx_client_start(c, "GET", url, NULL);
            r = t ? httpx_task_wait(t) : NULL;
        }
        if (!r) {
            test_fail(file, line, "%s: no response", url);
        } else if (r->error != HTTPX_OK) {
            test_fail(file, line, "%s (%s): %s", url, face ? "task" : "blocking", r->error_message);
        } else if (r->content_length != want_len || memcmp(r->content, want, want_len) != 0) {
            test_fail(file, line, "%s (%s): %zu bytes decoded, want %zu", url, face ? "task" : "blocking",
                      r->content_length, want_len);
        } else if (r->expected_length >= 0 && r->num_bytes_downloaded != r->expected_length) {
            test_fail(file, line, "%s: %lld wire bytes counted, %lld announced", url, r->num_bytes_downloaded,
                      r->expected_length);
        }
        if (face == 1) httpx_task_free(t);
        else httpx_response_free(r);
    }
}
#define DEC_BOTH(c, url, want, n) dec_both_faces(__FILE__, __LINE__, c, url, want, n)

/* Every coding and framing rogue.py sends, through both faces. */
TEST(decode_codings_and_framings) {
    static const char *const codings[] = {"gzip", "deflate", "raw", "deflate,gzip", "raw,gzip,gzip", "identity",
                                          "gzip,identity"};
    static const char *const framings[] = {"", "&chunked=1", "&trickle=1"};
    httpx_client *c;
    size_t plen, slen, i, j;
    char *plain = dec_lines(500, &plen), *small = dec_lines(60, &slen), q[128];
    REQUIRE(fx_rogue_port() && plain && small);
    c = httpx_client_new(NULL);
    REQUIRE(c);
    for (i = 0; i < sizeof codings / sizeof codings[0]; i++)
        for (j = 0; j < sizeof framings / sizeof framings[0]; j++) {
            /* the byte-at-a-time body splits the stream at every byte */
            snprintf(q, sizeof q, "n=%d&ce=%s%s", j == 2 ? 60 : 500, codings[i], framings[j]);
            if (j == 2) DEC_BOTH(c, dec_url(q), small, slen);
            else DEC_BOTH(c, dec_url(q), plain, plen);
        }
    httpx_client_free(c);
    free(plain);
    free(small);
}

/* What the counters say: expected_length and num_bytes_downloaded are wire
   bytes, content_length the decoded ones; the header stays as sent. */
TEST(decode_counts_wire_and_decoded_bytes) {
    size_t plen;
    char *plain = dec_lines(20000, &plen);
    httpx_response *r;
    REQUIRE(fx_rogue_port() && plain);
    r = httpx_get(dec_url("n=20000"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_MEM(r->content, r->content_length, plain, plen);
    CHECK(r->expected_length > 0 && r->expected_length < (long long)plen / 4);
    CHECK_INT(r->num_bytes_downloaded, r->expected_length);
    CHECK_STR(httpx_header(r, "content-encoding"), "gzip");
    CHECK_INT(atol(httpx_header(r, "x-plain-length")), plen);
    httpx_response_free(r);
    free(plain);
}

/* httpx_read in small and odd-sized reads, across several 32 KiB windows. */
TEST(decode_stream_read) {
    size_t plen, got = 0;
    char *plain = dec_lines(20000, &plen), *back = (char *)malloc(plen + 1), buf[7];
    httpx_response *r;
    long n;
    REQUIRE(fx_rogue_port() && plain && back);
    r = httpx_stream("GET", dec_url("n=20000&ce=deflate,gzip&chunked=1"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        if (got + (size_t)n > plen) break;
        memcpy(back + got, buf, (size_t)n);
        got += (size_t)n;
    }
    CHECK_INT(n, 0);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_MEM(back, got, plain, plen);
    CHECK(r->num_bytes_downloaded > 0 && r->num_bytes_downloaded < (long long)plen / 4);
    CHECK_INT(httpx_read(r, buf, sizeof buf), 0);   /* the end stays the end */
    httpx_response_free(r);
    free(plain);
    free(back);
}

/* httpx_read_line over a gzip body that comes one byte a write. */
TEST(decode_read_line_trickled) {
    httpx_response *r;
    const char *l;
    size_t len;
    int i = 0;
    char want[64];
    REQUIRE(fx_rogue_port());
    r = httpx_stream("GET", dec_url("n=200&trickle=1"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    while ((l = httpx_read_line(r, &len)) != NULL) {
        snprintf(want, sizeof want, "line %d: the quick brown fox", i);
        if (strcmp(l, want) != 0) { CHECK_STR(l, want); break; }
        i++;
    }
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(i, 200);
    httpx_response_free(r);
}

/* httpx_read_text decodes what the door decoded. */
TEST(decode_read_text) {
    httpx_response *r;
    const char *t;
    size_t len, total = 0, plen;
    char *plain = dec_lines(3000, &plen);
    REQUIRE(fx_rogue_port() && plain);
    r = httpx_stream("GET", dec_url("n=3000&ce=raw"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    while ((t = httpx_read_text(r, &len)) != NULL && len) {
        if (total + len > plen || memcmp(plain + total, t, len) != 0) break;
        total += len;
    }
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(total, plen);
    httpx_response_free(r);
    free(plain);
}

typedef struct dec_sink {
    char *p;
    size_t n, cap;
    int calls;
} dec_sink;

static int dec_on_data(void *user, httpx_response *r, const char *p, size_t n) {
    dec_sink *s = (dec_sink *)user;
    (void)r;
    s->calls++;
    if (s->n + n > s->cap) return 1;
    memcpy(s->p + s->n, p, n);
    s->n += n;
    return 0;
}

/* on_data gets decoded bytes, in window-sized pieces at most; aborting it
   is HTTPX_ERR_CANCELLED, not a decoding error. */
TEST(decode_on_data) {
    size_t plen;
    char *plain = dec_lines(20000, &plen);
    dec_sink s;
    httpx_response *r;
    REQUIRE(fx_rogue_port() && plain);
    memset(&s, 0, sizeof s);
    s.cap = plen;
    s.p = (char *)malloc(plen);
    REQUIRE(s.p);
    r = httpx_get(dec_url("n=20000&ce=gzip"), &(httpx_opts){ .on_data = dec_on_data, .user_data = &s });
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_MEM(s.p, s.n, plain, plen);
    CHECK(s.calls >= (int)(plen / 32768));
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    free(s.p);
    memset(&s, 0, sizeof s);
    s.cap = 1000;   /* aborts once past 1000 bytes */
    s.p = (char *)malloc(plen);
    r = httpx_get(dec_url("n=20000&ce=gzip"), &(httpx_opts){ .on_data = dec_on_data, .user_data = &s });
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    httpx_response_free(r);
    free(s.p);
    free(plain);
}

/* Broken bodies are errors with a message, never bytes handed on as if
   they were the body: corrupt, a wrong checksum, truncated, a coding we do
   not know; a body shorter than its Content-Length is the wire's error. */
TEST(decode_broken_bodies) {
    static const struct { const char *query; httpx_error code; const char *says; } cases[] = {
        {"n=500&flip=40", HTTPX_ERR_DECODING, "corrupt"},
        {"n=500&crc=1", HTTPX_ERR_DECODING, "CRC"},
        {"n=500&ce=deflate&flip=2", HTTPX_ERR_DECODING, "corrupt"},
        {"n=500&cut=5", HTTPX_ERR_DECODING, "truncated"},
        {"n=500&cut=5&chunked=1", HTTPX_ERR_DECODING, "truncated"},
        {"n=500&ce=raw&cut=30", HTTPX_ERR_DECODING, "truncated"},
        {"n=500&as=snappy", HTTPX_ERR_DECODING, "unknown coding \"snappy\""},
        {"n=500&as=gzip,%20compress", HTTPX_ERR_DECODING, "unknown coding \"compress\""},
        {"n=500&ce=identity&as=gzip", HTTPX_ERR_DECODING, "not a gzip stream"},
        {"n=500&short=10", HTTPX_ERR_REMOTE_PROTOCOL, "still to come"},
    };
    httpx_client *c = httpx_client_new(NULL);
    size_t i;
    REQUIRE(fx_rogue_port() && c);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int face;
        for (face = 0; face < 3; face++) {
            httpx_response *r;
            httpx_task *t = NULL;
            char buf[100];
            long n = 1;
            if (face == 0) r = httpx_client_get(c, dec_url(cases[i].query), NULL);
            else if (face == 1) r = httpx_task_wait(t = httpx_client_start(c, "GET", dec_url(cases[i].query), NULL));
            else {
                r = httpx_client_stream(c, "GET", dec_url(cases[i].query), NULL);
                if (r && r->error) n = -(long)r->error;   /* refused at the head */
                while (r && !r->error && (n = httpx_read(r, buf, sizeof buf)) > 0) {}
                if (r && !r->error) test_fail(__FILE__, __LINE__, "%s: the stream ended well", cases[i].query);
                else CHECK_INT(n, -(long)r->error);
            }
            REQUIRE(r);
            if (r->error != cases[i].code || !strstr(r->error_message, cases[i].says))
                test_fail(__FILE__, __LINE__, "%s (face %d): %s: %s", cases[i].query, face, httpx_strerror(r->error),
                          r->error_message);
            /* nothing half-decoded is published (a short wire body keeps what came, as before) */
            if (face < 2 && cases[i].code == HTTPX_ERR_DECODING) CHECK_INT(r->content_length, 0);
            if (t) httpx_task_free(t);
            else httpx_response_free(r);
        }
    }
    httpx_client_free(c);
}

/* 64 MiB of zeros in 64 KiB of gzip: the ratio limit stops it (each face),
   max_body_size stops a body kept in memory when the ratio is off, and with
   both off a stream may read it all. */
TEST(decode_bomb_limits) {
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    char buf[65536];
    long n;
    long long total = 0;
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(NULL);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/enc/zeros?mb=64"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    CHECK(strstr(r->error_message, "times larger") != NULL);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", fx_rogue_at("/enc/zeros?mb=64"), NULL);
    r = httpx_task_wait(t);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    httpx_task_free(t);
    r = httpx_client_stream(c, "GET", fx_rogue_at("/enc/zeros?mb=64"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) total += n;
    CHECK_INT(n, -(long)HTTPX_ERR_DECODING);
    CHECK(total >= (1 << 20) && total < (32 << 20));
    httpx_response_free(r);
    httpx_client_free(c);

    memset(&o, 0, sizeof o);
    o.max_decompression_ratio = -1;
    o.max_body_size = 8 << 20;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/enc/zeros?mb=64"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "max_body_size") != NULL);
    httpx_response_free(r);
    r = httpx_client_stream(c, "GET", fx_rogue_at("/enc/zeros?mb=16"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    total = 0;
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) total += n;
    CHECK_INT(n, 0);
    CHECK_INT(total, 16 << 20);
    httpx_response_free(r);
    httpx_client_free(c);

    /* a ratio the caller chose: 2 MiB of zeros pass at 2000, not at 10 */
    memset(&o, 0, sizeof o);
    o.max_decompression_ratio = 10;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/enc/zeros?mb=2"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    httpx_response_free(r);
    httpx_client_free(c);
    o.max_decompression_ratio = 2000;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/enc/zeros?mb=2"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 2 << 20);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* raw: the wire bytes, whatever the coding, for content, on_data and
   httpx_read alike; they inflate (with our own decoder) to the body. */
TEST(decode_raw_mode) {
    size_t plen;
    char *plain = dec_lines(2000, &plen), buf[4096];
    httpx_response *r;
    long n;
    long long total = 0;
    REQUIRE(fx_rogue_port() && plain);
    r = httpx_get(dec_url("n=2000"), &(httpx_opts){ .raw = true });
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK((unsigned char)r->content[0] == 0x1f && (unsigned char)r->content[1] == 0x8b);
    CHECK_INT((long long)r->content_length, r->expected_length);
    CHECK_INT(r->num_bytes_downloaded, r->expected_length);
    {
        httpx__cdec d;
        httpx__err e;
        char *back = (char *)malloc(plen + 1);
        long k, got = 0;
        REQUIRE(back);
        CHECK_INT(httpx__cdec_init(&d, "gzip", 4, 0, 0, &e), 1);
        httpx__cdec_input(&d, r->content, r->content_length);
        while ((k = httpx__cdec_pull(&d, back + got, plen + 1 - (size_t)got, &e)) > 0) got += k;
        CHECK_INT(httpx__cdec_finish(&d, &e), 0);
        CHECK_MEM(back, (size_t)got, plain, plen);
        httpx__cdec_free(&d);
        free(back);
    }
    httpx_response_free(r);
    /* a coding we do not know is no error in raw mode */
    r = httpx_stream("GET", dec_url("n=2000&as=br"), &(httpx_opts){ .raw = true });
    REQUIRE(r && r->error == HTTPX_OK);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) total += n;
    CHECK_INT(n, 0);
    CHECK_INT(total, r->expected_length);
    httpx_response_free(r);
    free(plain);
}

/* No body, nothing to decode: HEAD, an empty gzip body; a followed
   redirect's body (labelled gzip, not gzip) is dropped, not decoded. */
TEST(decode_no_body) {
    httpx_response *r;
    httpx_client_opts o;
    httpx_client *c;
    REQUIRE(fx_rogue_port());
    r = httpx_head(dec_url("n=100"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 0);
    CHECK_STR(httpx_header(r, "content-encoding"), "gzip");
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/enc/empty"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "");
    httpx_response_free(r);
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/enc/redirect"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "line 0: the quick brown fox\nline 1: the quick brown fox\nline 2: the quick brown fox\n");
    httpx_response_free(r);
    httpx_client_free(c);
    /* not followed: the redirect's own body is decoded, and is not gzip */
    r = httpx_get(fx_rogue_at("/enc/redirect"), NULL);
    REQUIRE(r);
    CHECK_INT(r->status_code, 302);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    httpx_response_free(r);
}

/* Accept-Encoding: gzip, deflate by default; a caller's own wins, and
   what comes is still decoded. */
TEST(decode_accept_encoding) {
    static const httpx_pair mine[] = {{"Accept-Encoding", "identity"}, {0}};
    static const httpx_pair gz[] = {{"accept-encoding", "gzip"}, {0}};
    httpx_response *r;
    REQUIRE(fx_rogue_port() && fx_nginx_port());
    r = httpx_get(fx_rogue_at("/echo"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK(strstr(r->content, "\r\nAccept-Encoding: " HTTPX__CDEC_ACCEPT "\r\n") != NULL);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/echo"), &(httpx_opts){ .headers = mine });
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK(strstr(r->content, "\r\nAccept-Encoding: identity\r\n") != NULL);
    CHECK(strstr(r->content, "gzip") == NULL);
    httpx_response_free(r);
    /* nginx answers identity with the plain file */
    r = httpx_get(fx_nginx_at("/gzip-on/hello.txt"), &(httpx_opts){ .headers = mine });
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK(httpx_header(r, "content-encoding") == NULL);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    /* a caller asking for gzip alone gets it decoded too */
    r = httpx_get(fx_nginx_at("/gzip-on/hello.txt"), &(httpx_opts){ .headers = gz });
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK_STR(httpx_header(r, "content-encoding"), "gzip");
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    /* httpbin's /gzip, the first complaint: JSON, not 0x1F */
    r = httpx_get(fx_rogue_at("/gzip"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
}

/* nginx's own gzip over HTTP/1.1: a large file, both faces and a stream. */
TEST(decode_nginx_gzip) {
    size_t plen;
    char *plain = dec_lines(40000, &plen), buf[1000];
    httpx_client *c;
    httpx_response *r;
    long n;
    size_t got = 0;
    bool same = true;
    REQUIRE(fx_nginx_port() && plain);
    REQUIRE(fx_nginx_write_file("decode/lines.txt", plain, plen) == 0);
    c = httpx_client_new(NULL);
    REQUIRE(c);
    DEC_BOTH(c, fx_nginx_at("/gzip-on/decode/lines.txt"), plain, plen);
    r = httpx_client_stream(c, "GET", fx_nginx_at("/gzip-on/decode/lines.txt"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK_STR(httpx_header(r, "content-encoding"), "gzip");
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        if (got + (size_t)n > plen || memcmp(plain + got, buf, (size_t)n) != 0) same = false;
        got += (size_t)n;
    }
    CHECK_INT(n, 0);
    CHECK(same);
    CHECK_INT(got, plen);
    CHECK(r->num_bytes_downloaded < (long long)plen / 4);   /* it did come compressed */
    httpx_response_free(r);
    httpx_client_free(c);
    free(plain);
}

#if !defined(HTTPX_NO_HTTP2) && defined(HTTPX_BEARSSL)
/* nginx's gzip over HTTP/2 (TLS, ALPN h2): both faces and a stream. */
TEST(decode_nginx_gzip_h2) {
    size_t plen;
    char *plain = dec_lines(40000, &plen), url[128], buf[777];
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    long n;
    size_t got = 0;
    int port = fxt_nginx_port("h2");
    REQUIRE(port && plain);
    REQUIRE(fxt_nginx_write_file("decode/lines.txt", plain, plen) == 0);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/gzip-on/decode/lines.txt", port);
    memset(&o, 0, sizeof o);
    o.http2 = true;
    o.tls.ca_file = fxt_cert("ca.pem");
    c = httpx_client_new(&o);
    REQUIRE(c);
    DEC_BOTH(c, url, plain, plen);
    r = httpx_client_stream(c, "GET", url, NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_STR(httpx_header(r, "content-encoding"), "gzip");
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        if (got + (size_t)n <= plen && memcmp(plain + got, buf, (size_t)n) != 0) break;
        got += (size_t)n;
    }
    CHECK_INT(n, 0);
    CHECK_INT(got, plen);
    httpx_response_free(r);
    httpx_client_free(c);
    free(plain);
}
#endif

/* "Hello, world!\n" gzipped (python3: gzip.compress(b"Hello, world!\n", mtime=0)) */
static const unsigned char dec_hello_gz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0xd7,
    0x51, 0x28, 0xcf, 0x2f, 0xca, 0x49, 0x51, 0xe4, 0x02, 0x00, 0x18, 0xa7, 0x55, 0x7b, 0x0e, 0x00,
    0x00, 0x00};

static void dec_mock(void *user, const httpx_req *q, httpx_mock_reply *p) {
    (void)user;
    if (strstr(httpx_request_url(q), "/broken")) {
        httpx_reply_header(p, "Content-Encoding", "gzip");
        httpx_reply_body(p, dec_hello_gz, sizeof dec_hello_gz - 1);
        return;
    }
    httpx_reply_header(p, "Content-Type", "text/plain");
    httpx_reply_header(p, "Content-Encoding", "gzip");
    httpx_reply_body(p, dec_hello_gz, sizeof dec_hello_gz);
}

/* The mock transport goes through the same door. */
TEST(decode_mock_transport) {
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    memset(&o, 0, sizeof o);
    o.mock = dec_mock;
    c = httpx_client_new(&o);
    REQUIRE(c);
    DEC_BOTH(c, "http://mock.test/hello", "Hello, world!\n", 14);
    r = httpx_client_get(c, "http://mock.test/broken", NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    CHECK(strstr(r->error_message, "truncated") != NULL);
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", "http://mock.test/broken", NULL);
    r = httpx_task_wait(t);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_DECODING);
    httpx_task_free(t);
    r = httpx_client_get(c, "http://mock.test/hello", &(httpx_opts){ .raw = true });
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK_MEM(r->content, r->content_length, dec_hello_gz, sizeof dec_hello_gz);
    httpx_response_free(r);
    httpx_client_free(c);
}


#if defined(HTTPX_BROTLI) || defined(HTTPX_ZSTD)
/* A body encoded here (the libraries' encoders), sent to rogue.py, which
   sends it back labelled `as`, and read back through the door: in memory
   (both faces), pulled in 5-byte reads; then corrupt and truncated. */
static void dec_lib_roundtrip(const char *file, int line, const char *as, const unsigned char *enc, size_t elen,
                              const char *plain, size_t plen) {
    char url[128], buf[5];
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    httpx_task *t;
    unsigned char *bad = (unsigned char *)malloc(elen);
    size_t got = 0;
    long n;
    int face;
    bool same = true;
    if (!c || !bad) { test_fail(file, line, "out of memory"); httpx_client_free(c); free(bad); return; }
    snprintf(url, sizeof url, "/enc/echo?as=%s", as);
    snprintf(url, sizeof url, "%s", fx_rogue_at(url));
    for (face = 0; face < 2; face++) {
        httpx_opts o;
        memset(&o, 0, sizeof o);
        o.content = enc;
        o.content_length = elen;
        t = NULL;
        r = face ? httpx_task_wait(t = httpx_client_start(c, "POST", url, &o)) : httpx_client_post(c, url, &o);
        if (!r || r->error || r->content_length != plen || memcmp(r->content, plain, plen) != 0)
            test_fail(file, line, "%s (face %d): %s, %zu bytes of %zu", as, face, r ? r->error_message : "none",
                      r ? r->content_length : 0, plen);
        if (t) httpx_task_free(t);
        else httpx_response_free(r);
    }
    {
        httpx_opts o;
        memset(&o, 0, sizeof o);
        o.content = enc;
        o.content_length = elen;
        r = httpx_client_stream(c, "POST", url, &o);
        while (r && !r->error && (n = httpx_read(r, buf, sizeof buf)) > 0) {
            if (got + (size_t)n > plen || memcmp(plain + got, buf, (size_t)n) != 0) same = false;
            got += (size_t)n;
        }
        if (!r || r->error || !same || got != plen)
            test_fail(file, line, "%s stream: %s, %zu bytes of %zu", as, r ? r->error_message : "none", got, plen);
        httpx_response_free(r);
    }
    {
        /* a byte flipped in the middle, and the last bytes missing */
        httpx_opts o;
        memcpy(bad, enc, elen);
        bad[elen / 2] ^= 0x55;
        memset(&o, 0, sizeof o);
        o.content = bad;
        o.content_length = elen;
        r = httpx_client_post(c, url, &o);
        /* brotli has no checksum: a flipped byte may also read as a stream
           that ends early; either way nothing is published */
        if (!r || r->error != HTTPX_ERR_DECODING || r->content_length)
            test_fail(file, line, "%s corrupt: %s", as, r ? r->error_message : "none");
        httpx_response_free(r);
        o.content = enc;
        o.content_length = elen - 3;
        r = httpx_client_post(c, url, &o);
        if (!r || r->error != HTTPX_ERR_DECODING || !strstr(r->error_message, "truncated"))
            test_fail(file, line, "%s truncated: %s", as, r ? r->error_message : "none");
        httpx_response_free(r);
    }
    httpx_client_free(c);
    free(bad);
}
#endif

#ifdef HTTPX_BROTLI
TEST(decode_brotli) {
    size_t plen, elen;
    char *plain = dec_lines(20000, &plen);
    unsigned char *enc;
    httpx_response *r;
    REQUIRE(fx_rogue_port() && plain);
    elen = BrotliEncoderMaxCompressedSize(plen);
    enc = (unsigned char *)malloc(elen);
    REQUIRE(enc);
    REQUIRE(BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, plen, (const uint8_t *)plain, &elen, enc));
    dec_lib_roundtrip(__FILE__, __LINE__, "br", enc, elen, plain, plen);
    /* br is offered */
    r = httpx_get(fx_rogue_at("/echo"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK(strstr(r->content, "\r\nAccept-Encoding: gzip, deflate, br") != NULL);
    httpx_response_free(r);
    free(enc);
    free(plain);
}
#endif

#ifdef HTTPX_ZSTD
/* One zstd frame, and a stream of two frames; a frame that needs a window
   over 8 MiB is refused before anything is allocated for it. */
TEST(decode_zstd) {
    size_t plen, elen, one;
    char *plain = dec_lines(20000, &plen), *twice;
    unsigned char *enc;
    httpx_response *r;
    ZSTD_CCtx *cc;
    REQUIRE(fx_rogue_port() && plain);
    elen = ZSTD_compressBound(plen) * 2 + 64;
    enc = (unsigned char *)malloc(elen);
    twice = (char *)malloc(plen * 2);
    REQUIRE(enc && twice);
    /* with its checksum (XXH64), so that the flipped byte is caught */
    cc = ZSTD_createCCtx();
    REQUIRE(cc);
    REQUIRE(!ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
    one = ZSTD_compress2(cc, enc, elen, plain, plen);
    ZSTD_freeCCtx(cc);
    REQUIRE(!ZSTD_isError(one));
    dec_lib_roundtrip(__FILE__, __LINE__, "zstd", enc, one, plain, plen);
    {
        size_t two = ZSTD_compress(enc + one, elen - one, plain, plen, 1);
        REQUIRE(!ZSTD_isError(two));
        memcpy(twice, plain, plen);
        memcpy(twice + plen, plain, plen);
        dec_lib_roundtrip(__FILE__, __LINE__, "zstd", enc, one + two, twice, plen * 2);
    }
    /* a 32 MiB window, declared by a frame of unknown size */
    cc = ZSTD_createCCtx();
    REQUIRE(cc);
    {
        ZSTD_inBuffer in;
        ZSTD_outBuffer out;
        httpx_opts o;
        in.src = plain; in.size = plen; in.pos = 0;
        out.dst = enc; out.size = elen; out.pos = 0;
        REQUIRE(!ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 25)));
        REQUIRE(!ZSTD_isError(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_continue)));
        in.size = in.pos = 0;
        REQUIRE(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end) == 0);
        memset(&o, 0, sizeof o);
        o.content = enc;
        o.content_length = out.pos;
        r = httpx_post(fx_rogue_at("/enc/echo?as=zstd"), &o);
        REQUIRE(r);
        CHECK_INT(r->error, HTTPX_ERR_DECODING);
        if (!strstr(r->error_message, "zstd")) test_fail(__FILE__, __LINE__, "%s", r->error_message);
        httpx_response_free(r);
    }
    ZSTD_freeCCtx(cc);
    r = httpx_get(fx_rogue_at("/echo"), NULL);
    REQUIRE(r && r->error == HTTPX_OK);
    CHECK(strstr(r->content, "zstd\r\n") != NULL);
    httpx_response_free(r);
    free(enc);
    free(twice);
    free(plain);
}
#endif

#endif /* HTTPX_NO_INFLATE */
