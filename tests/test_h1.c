/* Unit tests of the HTTP/1.1 response head parser, framing rules and chunked
   decoder. Every good input is also fed in growing prefixes, every chunked
   input at every split point and byte by byte, and each prefix sits in a
   buffer of its exact size (or before a PROT_NONE page) so over-reads show. */
#include "test.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define S(x) x, sizeof(x) - 1

/* A copy of s[0..n) in a buffer of exactly n bytes. */
static char *h1t_dup(const char *s, size_t n) {
    char *p = (char *)malloc(n ? n : 1);
    if (n) memcpy(p, s, n);
    return p;
}

/* "name: value\n" for each field, to compare a whole head at once. */
static void h1t_fields(char *out, size_t cap, const httpx__h1_header *h, size_t n) {
    size_t i, used = 0;
    out[0] = 0;
    for (i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%.*s: %.*s\n", (int)h[i].name_len, h[i].name,
                                 (int)h[i].value_len, h[i].value);
}

/* ---- parse_head: good heads ---- */

static const struct h1t_good {
    const char *in; size_t len;
    int head_len;           /* 0: the whole input */
    int minor, status;
    const char *reason, *fields;
} h1t_goods[] = {
    {S("HTTP/1.1 200 OK\r\n\r\n"), 0, 1, 200, "OK", ""},
    {S("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"), 0, 0, 404, "Not Found", "Content-Length: 0\n"},
    {S("HTTP/1.1 200 OK\nA: b\nC: d\n\n"), 0, 1, 200, "OK", "A: b\nC: d\n"},
    {S("HTTP/1.1 200 OK\r\nA: b\n\r\n"), 0, 1, 200, "OK", "A: b\n"},
    {S("HTTP/1.1 200 OK\nA: b\r\n\n"), 0, 1, 200, "OK", "A: b\n"},
    {S("HTTP/1.1 204 \r\n\r\n"), 0, 1, 204, "", ""},
    {S("HTTP/1.1 301\r\n\r\n"), 0, 1, 301, "", ""},
    {S("HTTP/1.1 200  OK\r\n\r\n"), 0, 1, 200, " OK", ""},
    {S("HTTP/1.1 500 Ori\xc3\xabntatie probleem\t!\r\n\r\n"), 0, 1, 500, "Ori\xc3\xabntatie probleem\t!", ""},
    {S("HTTP/1.1 100 Continue\r\n\r\n"), 0, 1, 100, "Continue", ""},
    {S("HTTP/1.1 999 X\r\n\r\n"), 0, 1, 999, "X", ""},
    {S("HTTP/1.9 200 OK\r\n\r\n"), 0, 9, 200, "OK", ""},
    {S("HTTP/1.1 200 OK\r\nX:  \t v a l \t \r\nPragma:\r\nE: \r\n\r\n"), 0, 1, 200, "OK",
     "X: v a l\nPragma: \nE: \n"},
    {S("HTTP/1.1 200 OK\r\nX-$Proto_type.B!#%&'*+^`|~9: v\r\n\r\n"), 0, 1, 200, "OK",
     "X-$Proto_type.B!#%&'*+^`|~9: v\n"},
    {S("HTTP/1.1 200 OK\r\nV: caf\xe9 \xff\"q\"\r\n\r\n"), 0, 1, 200, "OK", "V: caf\xe9 \xff\"q\"\n"},
    {S("\r\n\nHTTP/1.1 200 OK\r\n\r\n"), 0, 1, 200, "OK", ""},
    {S("HTTP/1.1 200 OK\r\n\r\nbody"), 19, 1, 200, "OK", ""},
    {S("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n\r\n"), 25, 1, 200, "OK", "A: 1\n"},
};

static void h1t_check_good(const struct h1t_good *g, int idx) {
    httpx__h1_head head;
    httpx__h1_header hdrs[8];
    httpx__err e;
    char got[512];
    size_t head_len = g->head_len ? (size_t)g->head_len : g->len, k;
    char *buf = h1t_dup(g->in, g->len);
    int r;
    memset(&e, 0, sizeof e);
    r = httpx__h1_parse_head(buf, g->len, &head, hdrs, 8, &e);
    if (r != (int)head_len) {
        test_fail(__FILE__, __LINE__, "good head %d: result %d, error \"%s\"", idx, r, e.msg);
        free(buf);
        return;
    }
    CHECK_INT(head.minor_version, g->minor);
    CHECK_INT(head.status, g->status);
    CHECK_MEM(head.reason, head.reason_len, g->reason, strlen(g->reason));
    h1t_fields(got, sizeof got, hdrs, head.num_headers);
    CHECK_STR(got, g->fields);
    free(buf);
    CHECK_INT(httpx__h1_find_head_end(g->in, g->len, 0), head_len);
    /* every shorter prefix: not complete, and never an error */
    for (k = 0; k < head_len; k++) {
        char *p = h1t_dup(g->in, k);
        r = httpx__h1_parse_head(p, k, &head, hdrs, 8, &e);
        if (r != HTTPX__AGAIN) test_fail(__FILE__, __LINE__, "good head %d, prefix %lu: %d, expected HTTPX__AGAIN", idx, (unsigned long)k, r);
        if (httpx__h1_find_head_end(p, k, 0) != 0)
            test_fail(__FILE__, __LINE__, "good head %d, prefix %lu: find_head_end found an end", idx, (unsigned long)k);
        free(p);
    }
}

TEST(h1_head_good) {
    size_t i;
    for (i = 0; i < sizeof h1t_goods / sizeof h1t_goods[0]; i++) h1t_check_good(&h1t_goods[i], (int)i);
}

/* The incremental search a connection does: resume 3 bytes before the old end. */
TEST(h1_find_head_end_incremental) {
    size_t i;
    for (i = 0; i < sizeof h1t_goods / sizeof h1t_goods[0]; i++) {
        const struct h1t_good *g = &h1t_goods[i];
        size_t want = g->head_len ? (size_t)g->head_len : g->len, k, got = 0, old = 0;
        for (k = 1; k <= g->len && !got; k++) {
            got = httpx__h1_find_head_end(g->in, k, old >= 3 ? old - 3 : 0);
            old = k;
        }
        CHECK_INT(got, want);
    }
}

TEST(h1_find_head_end_table) {
    static const struct { const char *in; size_t len; size_t want; } t[] = {
        {S(""), 0}, {S("HTTP/1.1 200 OK\r\n"), 0}, {S("HTTP/1.1 200 OK\r\n\r"), 0},
        {S("a\n\nb"), 3}, {S("a\r\n\nb"), 4}, {S("a\n\r\nb"), 4}, {S("a\r\n\r\n"), 5},
        {S("a\r\r\n"), 0}, {S("\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), 23}, {S("\n\n\n"), 0}, {S("\r"), 0},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t got = httpx__h1_find_head_end(t[i].in, t[i].len, 0);
        if (got != t[i].want)
            test_fail(__FILE__, __LINE__, "find_head_end case %lu: %lu, expected %lu", (unsigned long)i,
                      (unsigned long)got, (unsigned long)t[i].want);
    }
}

/* ---- parse_head: bad heads ---- */

static const struct h1t_bad { const char *in; size_t len; } h1t_bads[] = {
    {S("HTTP/2.0 200 OK\r\n\r\n")}, {S("HTTP/0.9 200 OK\r\n\r\n")}, {S("HTTP/11.1 200 OK\r\n\r\n")},
    {S("HTTP/01.1 200 OK\r\n\r\n")}, {S("HTTP/1.01 200 OK\r\n\r\n")}, {S("HTTP/1.1\t200 OK\r\n\r\n")},
    {S("HTTP/1.1  200 OK\r\n\r\n")}, {S("HTTP/1.1 2 OK\r\n\r\n")}, {S("HTTP/1.1 20 OK\r\n\r\n")},
    {S("HTTP/1.1 099 OK\r\n\r\n")}, {S("HTTP/1.1 2000 OK\r\n\r\n")}, {S("HTTP/1.1 200OK\r\n\r\n")},
    {S("http/1.1 200 OK\r\n\r\n")}, {S("HTP/1.1 200 OK\r\n\r\n")}, {S("RTSP/1.0 200 OK\r\n\r\n")},
    {S("ICY 200 OK\r\n\r\n")}, {S("HTTP/1.x 200 OK\r\n\r\n")}, {S("\rHTTP/1.1 200 OK\r\n\r\n")},
    {S("HTTP/1.1 200 OK\rX: y\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\rX: y\r\n\r\n")},
    {S("HTTP/1.1 200 O\0K\r\n\r\n")}, {S("HTTP/1.1 200 O\x7fK\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA : b\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\nA\t: b\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\n: b\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\nA b: c\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA: b\r\n\tc\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\n Host: foo\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA: b\r\n\r\r\n")}, {S("HTTP/1.1 200 OK\r\n\x80: b\r\n\r\n")},
    {S("HTTP/1.1 200 OK\r\nA\x80: b\r\n\r\n")}, {S("HTTP/1.1 200 OK\r\n(A): b\r\n\r\n")},
};

TEST(h1_head_bad) {
    size_t i, k;
    for (i = 0; i < sizeof h1t_bads / sizeof h1t_bads[0]; i++) {
        const struct h1t_bad *b = &h1t_bads[i];
        httpx__h1_head head;
        httpx__h1_header hdrs[8];
        httpx__err e;
        char *buf = h1t_dup(b->in, b->len);
        int r, seen_bad = 0;
        memset(&e, 0, sizeof e);
        r = httpx__h1_parse_head(buf, b->len, &head, hdrs, 8, &e);
        free(buf);
        if (r != HTTPX__BAD) { test_fail(__FILE__, __LINE__, "bad head %lu: %d, expected HTTPX__BAD", (unsigned long)i, r); continue; }
        CHECK_INT(e.code, HTTPX_ERR_REMOTE_PROTOCOL);
        CHECK(e.msg[0] != 0);
        /* prefixes: HTTPX__AGAIN until the bad byte arrives, HTTPX__BAD from then on */
        for (k = 0; k < b->len; k++) {
            char *p = h1t_dup(b->in, k);
            r = httpx__h1_parse_head(p, k, &head, hdrs, 8, &e);
            free(p);
            if (r == HTTPX__BAD) seen_bad = 1;
            else if (r != HTTPX__AGAIN || seen_bad)
                test_fail(__FILE__, __LINE__, "bad head %lu, prefix %lu: %d", (unsigned long)i, (unsigned long)k, r);
        }
    }
}

TEST(h1_head_error_messages_name_the_problem) {
    static const struct { const char *in; size_t len; const char *words; } t[] = {
        {S("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n"), "obs-fold"},
        {S("HTTP/1.1 200 OK\r\nA : b\r\n\r\n"), "whitespace between header name and colon"},
        {S("HTTP/2.0 200 OK\r\n\r\n"), "not 1.x"},
        {S("HTTP/1.1 200 OK\r\nA: b\0\r\n\r\n"), "control character 0x00 in header value"},
        {S("HTTP/1.1 200 OK\rA: b\r\n\r\n"), "CR not followed by LF"},
        {S("HTTP/1.1 20 OK\r\n\r\n"), "three digits"},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        httpx__h1_head head;
        httpx__h1_header hdrs[4];
        httpx__err e;
        memset(&e, 0, sizeof e);
        CHECK_INT(httpx__h1_parse_head(t[i].in, t[i].len, &head, hdrs, 4, &e), HTTPX__BAD);
        if (!strstr(e.msg, t[i].words)) test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", e.msg, t[i].words);
    }
}

TEST(h1_head_too_many_headers) {
    static const char in[] = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    httpx__h1_head head;
    httpx__h1_header hdrs[3];
    httpx__err e;
    memset(&e, 0, sizeof e);
    CHECK_INT(httpx__h1_parse_head(in, sizeof in - 1, &head, hdrs, 2, &e), HTTPX__FULL);
    CHECK_INT(e.code, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(e.msg, "more than 2 header fields") != NULL);
    CHECK_INT(httpx__h1_parse_head(in, sizeof in - 1, &head, hdrs, 3, &e), (int)sizeof in - 1);
    CHECK_INT(head.num_headers, 3);
    CHECK_INT(httpx__h1_parse_head("HTTP/1.1 200 OK\r\n\r\n", 19, &head, NULL, 0, &e), 19);
    CHECK_INT(head.num_headers, 0);
}

/* ---- framing ---- */

static const struct h1t_framing {
    const char *head;
    bool req_head;
    int err;                 /* 1: must fail */
    enum httpx__body_kind kind;
    uint64_t length;
    bool keep_alive;
} h1t_framings[] = {
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 10, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 0, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 00012\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 12, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10, 10\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 10, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\ncontent-length: 10,10\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 10, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 9223372036854775807ULL, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 11\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10, 11\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1 0\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10,\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: ,10\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: ,chunked,\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\nConnection: ,close\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedchunked\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: identity\r\n\r\n", false, 1, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nContent-Length-X: 0\r\nTransfer-Encoding: chunked\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, true},
    {"HTTP/1.1 200 OK\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 100 Continue\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 200 OK\r\n\r\n", true, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, false},
    {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, false},
    {"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, false},
    {"HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, true},
    {"HTTP/1.1 200 OK\r\nProxy-Connection: close\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, true},
    {"HTTP/1.1 200 OK\r\nConnection: upgrade\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 1, false},
    {"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 5, false},
    {"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 5\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 5, true},
    {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", false, 0, HTTPX__BODY_CLOSE, 0, false},
    {"HTTP/1.0 204 No content\r\nConnection: keep-alive\r\n\r\n", false, 0, HTTPX__BODY_NONE, 0, true},
    {"HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 5\r\n\r\n", false, 0, HTTPX__BODY_LENGTH, 5, false},
    {"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, 0, HTTPX__BODY_CHUNKED, 0, false},
};

TEST(h1_framing) {
    size_t i;
    for (i = 0; i < sizeof h1t_framings / sizeof h1t_framings[0]; i++) {
        const struct h1t_framing *f = &h1t_framings[i];
        httpx__h1_head head;
        httpx__h1_header hdrs[8];
        httpx__h1_framing out;
        httpx__err e;
        httpx_error rc;
        int r;
        memset(&e, 0, sizeof e);
        r = httpx__h1_parse_head(f->head, strlen(f->head), &head, hdrs, 8, &e);
        if (r <= 0) { test_fail(__FILE__, __LINE__, "framing case %lu: head did not parse", (unsigned long)i); continue; }
        rc = httpx__h1_framing_of(&head, hdrs, f->req_head, &out, &e);
        if (f->err) {
            if (rc != HTTPX_ERR_REMOTE_PROTOCOL || e.code != HTTPX_ERR_REMOTE_PROTOCOL || !e.msg[0])
                test_fail(__FILE__, __LINE__, "framing case %lu: expected an error, got %d", (unsigned long)i, (int)rc);
            continue;
        }
        if (rc != HTTPX_OK) { test_fail(__FILE__, __LINE__, "framing case %lu: error %s", (unsigned long)i, e.msg); continue; }
        if (out.kind != f->kind || out.keep_alive != f->keep_alive ||
            (f->kind == HTTPX__BODY_LENGTH && out.length != f->length))
            test_fail(__FILE__, __LINE__, "framing case %lu: kind %d len %llu keep_alive %d", (unsigned long)i,
                      (int)out.kind, (unsigned long long)out.length, (int)out.keep_alive);
    }
}

/* ---- chunked ---- */

typedef struct h1t_ck_result {
    int rc;
    char out[70000];
    size_t out_len;
    size_t extra;           /* input left over after the message (fed or not) */
    char msg[240];
} h1t_ck_result;

/* Feeds in[0..n) in pieces that end at cuts[] (ascending, last is n); each
   piece is in a buffer of its exact size. */
static void h1t_ck_feed(const char *in, size_t n, const size_t *cuts, size_t ncuts, h1t_ck_result *res) {
    httpx__chunked d;
    httpx__err e;
    size_t i, at = 0;
    memset(&d, 0, sizeof d);
    memset(&e, 0, sizeof e);
    res->rc = 0;
    res->out_len = 0;
    res->extra = 0;
    res->msg[0] = 0;
    for (i = 0; i < ncuts && res->rc == 0; i++) {
        size_t len = cuts[i] - at, piece = len;
        char *p = h1t_dup(in + at, len);
        res->rc = httpx__chunked_decode(&d, p, &len, &e);
        if (res->rc >= 0 && res->out_len + len <= sizeof res->out) {
            memcpy(res->out + res->out_len, p, len);
            res->out_len += len;
        }
        if (res->rc == 1) {
            res->extra = d.extra + (n - cuts[i]);
            /* the bytes after the message stay where they were */
            if (d.extra > piece || memcmp(p + piece - d.extra, in + cuts[i] - d.extra, d.extra) != 0)
                res->rc = 99;
        }
        free(p);
        at = cuts[i];
    }
    if (res->rc == HTTPX__BAD) snprintf(res->msg, sizeof res->msg, "%s", e.msg);
}

static h1t_ck_result h1t_ck_whole, h1t_ck_other;

/* Decodes whole, byte by byte and split at every point; all must agree. */
static void h1t_ck_all_ways(const char *in, size_t n, const char *name, bool every_split) {
    size_t cuts[2], k, *bytes;
    cuts[0] = n;
    h1t_ck_feed(in, n, cuts, 1, &h1t_ck_whole);
    bytes = (size_t *)malloc((n ? n : 1) * sizeof *bytes);
    for (k = 0; k < n; k++) bytes[k] = k + 1;
    h1t_ck_feed(in, n, bytes, n, &h1t_ck_other);
    free(bytes);
#define H1T_SAME(how) do {                                                                          \
        if (h1t_ck_other.rc != h1t_ck_whole.rc || (h1t_ck_whole.rc != HTTPX__BAD &&                         \
            (h1t_ck_other.out_len != h1t_ck_whole.out_len ||                                         \
            memcmp(h1t_ck_other.out, h1t_ck_whole.out, h1t_ck_whole.out_len) != 0)) ||               \
            (h1t_ck_whole.rc == 1 && h1t_ck_other.extra != h1t_ck_whole.extra))                      \
            test_fail(__FILE__, __LINE__, "chunked %s: %s differs from whole (rc %d vs %d)", name, how, \
                      h1t_ck_other.rc, h1t_ck_whole.rc);                                             \
    } while (0)
    H1T_SAME("byte by byte");
    for (k = 0; every_split && k <= n; k++) {
        cuts[0] = k;
        cuts[1] = n;
        h1t_ck_feed(in, n, cuts, 2, &h1t_ck_other);
        H1T_SAME("a split");
    }
#undef H1T_SAME
}

static const struct h1t_ck {
    const char *in; size_t len;
    int rc;
    const char *out;
    size_t extra;
} h1t_cks[] = {
    {S("5\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0},
    {S("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nXYZ"), 1, "hello world", 3},
    {S("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n"), 1, "01234567890123456789", 0},
    {S("0005\r\nhello\r\n000\r\n\r\nHTTP/1.1"), 1, "hello", 8},
    {S("5;a=b;c=\"x;y\"\r\nhello\r\n0;z\r\n\r\n"), 1, "hello", 0},
    {S("5 ;a\r\nhello\r\n0\t ;x\r\n\r\n"), 1, "hello", 0},
    {S("2;\r\nhi\r\n0\r\n\r\n"), 1, "hi", 0},
    {S("0\r\nVary: *\r\nX: y\r\n\r\n"), 1, "", 0},
    {S("3\r\n\r\n\r\r\n0\r\n\r\n"), 1, "\r\n\r", 0},
    {S("5\nhello\n0\n\n!"), 1, "hello", 1},
    {S("0\r\nA: b\n\r\n"), 1, "", 0},
    {S(""), 0, "", 0},
    {S("5\r\nhel"), 0, "hel", 0},
    {S("5\r\nhello\r\n0\r\n"), 0, "hello", 0},
    {S("5\r\nhello\r\n0\r\nTrailer: x\r\n"), 0, "hello", 0},
    {S("ffffffffffffffff\r\nabc"), 0, "abc", 0},
    {S("x\r\n"), HTTPX__BAD, "", 0},
    {S("-1\r\n"), HTTPX__BAD, "", 0},
    {S("0x5\r\n"), HTTPX__BAD, "", 0},
    {S("\r\n"), HTTPX__BAD, "", 0},
    {S(";a\r\n"), HTTPX__BAD, "", 0},
    {S("5 \r\nhello\r\n0\r\n\r\n"), HTTPX__BAD, "", 0},
    {S("5 x\r\nhello\r\n"), HTTPX__BAD, "", 0},
    {S("2 erfrferferf\r\naa\r\n"), HTTPX__BAD, "", 0},
    {S("5\r\r\nhello"), HTTPX__BAD, "", 0},
    {S("5\rhello"), HTTPX__BAD, "", 0},
    {S("5\r\nhelloX\r\n0\r\n\r\n"), HTTPX__BAD, "", 0},
    {S("5\r\nhello\rX"), HTTPX__BAD, "", 0},
    {S("3\r\nfoo\r\n\r\n"), HTTPX__BAD, "", 0},
    {S("5;a\0b\r\nhello"), HTTPX__BAD, "", 0},
    {S("5;a\rb\r\nhello"), HTTPX__BAD, "", 0},
    {S("10000000000000000\r\n"), HTTPX__BAD, "", 0},
    {S("0\r\nX: a\rb\r\n\r\n"), HTTPX__BAD, "", 0},
    {S("0\r\nX: a\0\r\n\r\n"), HTTPX__BAD, "", 0},
    {S("0\r\n\rx"), HTTPX__BAD, "", 0},
};

TEST(h1_chunked_table) {
    size_t i;
    for (i = 0; i < sizeof h1t_cks / sizeof h1t_cks[0]; i++) {
        const struct h1t_ck *c = &h1t_cks[i];
        char name[32];
        snprintf(name, sizeof name, "case %lu", (unsigned long)i);
        h1t_ck_all_ways(c->in, c->len, name, true);
        if (h1t_ck_whole.rc != c->rc) {
            test_fail(__FILE__, __LINE__, "chunked case %lu: rc %d, expected %d (%s)", (unsigned long)i,
                      h1t_ck_whole.rc, c->rc, h1t_ck_whole.msg);
            continue;
        }
        if (c->rc == HTTPX__BAD) { CHECK(h1t_ck_whole.msg[0] != 0); continue; }
        CHECK_MEM(h1t_ck_whole.out, h1t_ck_whole.out_len, c->out, strlen(c->out));
        if (c->rc == 1) CHECK_INT(h1t_ck_whole.extra, c->extra);
    }
}

/* Builds "1;" + ext_len bytes of extension + "\r\nx\r\n0\r\n" + trailers + "\r\n". */
static char *h1t_ck_big(size_t ext_len, size_t trailer_len, size_t *n) {
    size_t cap = ext_len + trailer_len + 64, at = 0;
    char *p = (char *)malloc(cap);
    memcpy(p, "1;", 2); at = 2;
    memset(p + at, 'e', ext_len); at += ext_len;
    memcpy(p + at, "\r\nx\r\n0\r\n", 8); at += 8;
    while (trailer_len >= 8) { memcpy(p + at, "T: abc\r\n", 8); at += 8; trailer_len -= 8; }
    memcpy(p + at, "\r\n", 2); at += 2;
    *n = at;
    return p;
}

TEST(h1_chunked_limits) {
    static const struct { size_t ext, trailers; int rc; const char *words; } t[] = {
        {4000, 0, 1, NULL},
        {5000, 0, HTTPX__BAD, "longer than 4096"},
        {0, 60000, 1, NULL},
        {0, 70000, HTTPX__BAD, "trailer section longer"},
    };
    size_t i, n;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *p = h1t_ck_big(t[i].ext, t[i].trailers, &n);
        h1t_ck_all_ways(p, n, "limit", false);
        CHECK_INT(h1t_ck_whole.rc, t[i].rc);
        if (t[i].words && !strstr(h1t_ck_whole.msg, t[i].words))
            test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", h1t_ck_whole.msg, t[i].words);
        if (t[i].rc == 1) CHECK_MEM(h1t_ck_whole.out, h1t_ck_whole.out_len, "x", 1);
        free(p);
    }
    {   /* a size line of nothing but leading zeros is bounded too */
        char *z = (char *)malloc(5000);
        memset(z, '0', 5000);
        h1t_ck_all_ways(z, 5000, "zeros", false);
        CHECK_INT(h1t_ck_whole.rc, HTTPX__BAD);
        free(z);
    }
}

TEST(h1_chunked_after_end_and_after_error) {
    httpx__chunked d;
    httpx__err e;
    char buf[64];
    size_t len;
    memset(&d, 0, sizeof d);
    memcpy(buf, "0\r\n\r\nabc", 8);
    len = 8;
    CHECK_INT(httpx__chunked_decode(&d, buf, &len, &e), 1);
    CHECK_INT(len, 0);
    CHECK_INT(d.extra, 3);
    len = 4;
    CHECK_INT(httpx__chunked_decode(&d, buf, &len, &e), 1);   /* stays done: all input is extra */
    CHECK_INT(len, 0);
    CHECK_INT(d.extra, 4);
    memset(&d, 0, sizeof d);
    memcpy(buf, "zz", 2);
    len = 2;
    CHECK_INT(httpx__chunked_decode(&d, buf, &len, &e), HTTPX__BAD);
    memcpy(buf, "0\r\n\r\n", 5);
    len = 5;
    CHECK_INT(httpx__chunked_decode(&d, buf, &len, &e), HTTPX__BAD);  /* an error is final */
    CHECK(e.msg[0] != 0);
}

/* ---- guard page: an over-read of any input crashes ---- */

TEST(h1_guard_page) {
    long page = sysconf(_SC_PAGESIZE);
    char *map = (char *)mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *end;
    size_t i, k, total = 0;
    REQUIRE(map != MAP_FAILED);
    REQUIRE(mprotect(map + page, (size_t)page, PROT_NONE) == 0);
    end = map + page;
    for (i = 0; i < sizeof h1t_goods / sizeof h1t_goods[0] + sizeof h1t_bads / sizeof h1t_bads[0]; i++) {
        bool good = i < sizeof h1t_goods / sizeof h1t_goods[0];
        const char *in = good ? h1t_goods[i].in : h1t_bads[i - sizeof h1t_goods / sizeof h1t_goods[0]].in;
        size_t n = good ? h1t_goods[i].len : h1t_bads[i - sizeof h1t_goods / sizeof h1t_goods[0]].len;
        for (k = 0; k <= n; k++) {
            httpx__h1_head head;
            httpx__h1_header hdrs[8];
            memcpy(end - k, in, k);
            (void)httpx__h1_parse_head(end - k, k, &head, hdrs, 8, NULL);
            (void)httpx__h1_find_head_end(end - k, k, 0);
            total++;
        }
    }
    for (i = 0; i < sizeof h1t_cks / sizeof h1t_cks[0]; i++) {
        for (k = 0; k <= h1t_cks[i].len; k++) {
            httpx__chunked d;
            size_t len = k;
            memset(&d, 0, sizeof d);
            memcpy(end - k, h1t_cks[i].in, k);
            (void)httpx__chunked_decode(&d, end - k, &len, NULL);
            total++;
        }
    }
    CHECK(total > 1000);
    munmap(map, (size_t)page * 2);
}
