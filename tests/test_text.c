/* Text decoding: httpx_text against Python's bytes.decode(enc, "replace"),
   charset and BOM detection, the incremental decoder at every split, and
   httpx_read_text on a stream. */
#include "test.h"
#include "fixtures.h"
#include <stdlib.h>

/* Generated with python3: for each (encoding, input), the expected bytes are
   input.decode(encoding, "replace").encode("utf-8"). */
static const struct { const char *enc, *in; size_t in_len; const char *out; size_t out_len; } tt_python[] = {
    {"utf-8", "plain ascii", 11, "plain ascii", 11},
    {"utf-8", "caf\xc3""\xa9"" \xe2""\x82""\xac"" \xf0""\x9f""\x98""\x80""", 14, "caf\xc3""\xa9"" \xe2""\x82""\xac"" \xf0""\x9f""\x98""\x80""", 14},
    {"utf-8", "\xe0""\x80""", 2, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "\xf0""\x90""\x80""", 3, "\xef""\xbf""\xbd""", 3},
    {"utf-8", "\xed""\xa0""\x80""", 3, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 9},
    {"utf-8", "\xc0""\x80""", 2, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "\xf5""\x80""", 2, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "\xf4""\x90""\x80""\x80""", 4, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 12},
    {"utf-8", "\xe2""\x82""", 2, "\xef""\xbf""\xbd""", 3},
    {"utf-8", "\xe2""\x82""A", 3, "\xef""\xbf""\xbd""A", 4},
    {"utf-8", "\x80""\x80""", 2, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "\xf0""\x9f""\x98""", 3, "\xef""\xbf""\xbd""", 3},
    {"utf-8", "\xef""\xbf""\xbe""", 3, "\xef""\xbf""\xbe""", 3},
    {"utf-8", "\xfe""\xff""", 2, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "a\xc3""", 2, "a\xef""\xbf""\xbd""", 4},
    {"utf-8", "\xe1""\x80""\xc0""", 3, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 6},
    {"utf-8", "\xf1""\x80""\x80""\xe1""\x80""\xc2""a", 7, "\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""a", 10},
    {"utf-8", "\xc2""AB", 3, "\xef""\xbf""\xbd""AB", 5},
    {"utf-8", "\xf4""\x8f""\xbf""\xbf""\xf4""\x90""", 6, "\xf4""\x8f""\xbf""\xbf""\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 10},
    {"utf-8", "\xed""\x9f""\xbf""\xed""\xbf""\xbf""", 6, "\xed""\x9f""\xbf""\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 12},
    {"utf-8", "\xe0""\xa0""\x80""\xe0""\x9f""\xbf""", 6, "\xe0""\xa0""\x80""\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""", 12},
    {"utf-8", "\x00""nul", 4, "\x00""nul", 4},
    {"utf-8", "\xff""", 1, "\xef""\xbf""\xbd""", 3},
    {"utf-16-le", "A\x00""", 2, "A", 1},
    {"utf-16-le", "\x00""\xd8""", 2, "\xef""\xbf""\xbd""", 3},
    {"utf-16-le", "\x00""\xd8""A", 3, "\xef""\xbf""\xbd""", 3},
    {"utf-16-le", "A\x00""\x00""\xd8""A\x00""", 6, "A\xef""\xbf""\xbd""A", 5},
    {"utf-16-le", "\x00""\xdc""A\x00""", 4, "\xef""\xbf""\xbd""A", 4},
    {"utf-16-le", "A", 1, "\xef""\xbf""\xbd""", 3},
    {"utf-16-le", "A\x00""B", 3, "A\xef""\xbf""\xbd""", 4},
    {"utf-16-le", "=\xd8""\x00""\xde""", 4, "\xf0""\x9f""\x98""\x80""", 4},
    {"utf-16-le", "\x00""\xd8""\x00""\xd8""\x00""\xdc""", 6, "\xef""\xbf""\xbd""\xf0""\x90""\x80""\x80""", 7},
    {"utf-16-le", "\xe9""\x00""\xac"" ", 4, "\xc3""\xa9""\xe2""\x82""\xac""", 5},
    {"utf-16-be", "\x00""A\x00""\xe9""", 4, "A\xc3""\xa9""", 3},
    {"utf-16-be", "\xd8""=\xde""\x00""", 4, "\xf0""\x9f""\x98""\x80""", 4},
    {"utf-16-be", "\xd8""\x00""", 2, "\xef""\xbf""\xbd""", 3},
    {"utf-16-be", "\xdc""\x00""\x00""A", 4, "\xef""\xbf""\xbd""A", 4},
    {"utf-16", "\xff""\xfe""A\x00""", 4, "A", 1},
    {"utf-16", "\xfe""\xff""\x00""A", 4, "A", 1},
    {"utf-16", "A\x00""B\x00""", 4, "AB", 2},
    {"iso-8859-1", "caf\xe9"" \x80""\xff""\x00""", 8, "caf\xc3""\xa9"" \xc2""\x80""\xc3""\xbf""\x00""", 11},
    {"latin-1", "\xa0""\xbf""", 2, "\xc2""\xa0""\xc2""\xbf""", 4},
    {"windows-1252", "\x80""\x81""\x82""\x83""\x84""\x85""\x86""\x87""\x88""\x89""\x8a""\x8b""\x8c""\x8d""\x8e""\x8f""\x90""\x91""\x92""\x93""\x94""\x95""\x96""\x97""\x98""\x99""\x9a""\x9b""\x9c""\x9d""\x9e""\x9f""", 32, "\xe2""\x82""\xac""\xef""\xbf""\xbd""\xe2""\x80""\x9a""\xc6""\x92""\xe2""\x80""\x9e""\xe2""\x80""\xa6""\xe2""\x80""\xa0""\xe2""\x80""\xa1""\xcb""\x86""\xe2""\x80""\xb0""\xc5""\xa0""\xe2""\x80""\xb9""\xc5""\x92""\xef""\xbf""\xbd""\xc5""\xbd""\xef""\xbf""\xbd""\xef""\xbf""\xbd""\xe2""\x80""\x98""\xe2""\x80""\x99""\xe2""\x80""\x9c""\xe2""\x80""\x9d""\xe2""\x80""\xa2""\xe2""\x80""\x93""\xe2""\x80""\x94""\xcb""\x9c""\xe2""\x84""\xa2""\xc5""\xa1""\xe2""\x80""\xba""\xc5""\x93""\xef""\xbf""\xbd""\xc5""\xbe""\xc5""\xb8""", 86},
    {"cp1252", "\xa4""\xe9""\xff""", 3, "\xc2""\xa4""\xc3""\xa9""\xc3""\xbf""", 6},
    {"ascii", "abc\x80""\xff""def", 8, "abc\xef""\xbf""\xbd""\xef""\xbf""\xbd""def", 12},
    {"us-ascii", "\x7f""", 1, "\x7f""", 1},
};

static httpx_response *tt_response(const char *body, size_t len, const char *content_type) {
    httpx__response *r = httpx__response_new();
    if (!r) return NULL;
    r->pub.content = (char *)body;
    r->pub.content_length = len;
    r->pub.status_code = 200;
    if (content_type) httpx__headers_add_raw(&r->headers, "Content-Type", 12, content_type, strlen(content_type));
    return &r->pub;
}

TEST(text_matches_python_replace) {
    size_t i;
    for (i = 0; i < sizeof tt_python / sizeof tt_python[0]; i++) {
        char ct[64];
        httpx_response *r;
        const char *t;
        snprintf(ct, sizeof ct, "text/plain; charset=%s", tt_python[i].enc);
        r = tt_response(tt_python[i].in, tt_python[i].in_len, ct);
        REQUIRE(r);
        t = httpx_text(r);
        REQUIRE(t);
        if (httpx_text_len(r) != tt_python[i].out_len || memcmp(t, tt_python[i].out, tt_python[i].out_len) != 0)
            test_fail(__FILE__, __LINE__, "case %zu (%s): decoded differently from Python", i, tt_python[i].enc);
        CHECK(t[httpx_text_len(r)] == 0);
        CHECK(httpx_text(r) == t);                          /* cached */
        httpx_response_free(r);
    }
}

/* Feeding the input in any two pieces, or a byte at a time, gives the same
   text, and no call's output ends inside a character. */
static bool tt_decode_split(const char *label, const char *in, size_t n, size_t step, size_t first, httpx__buf *out) {
    httpx__textdec d;
    size_t off = 0;
    memset(&d, 0, sizeof d);
    d.enc = httpx__enc_of_label(label, strlen(label));
    httpx__buf_clear(out);
    while (off < n) {
        size_t take = off == 0 && first ? first : step, before = out->len;
        if (take > n - off) take = n - off;
        if (!httpx__text_decode(&d, in + off, take, off + take == n, out)) return false;
        if (httpx__utf8_valid(out->p + before, out->len - before) != out->len - before) return false;
        off += take;
    }
    if (n == 0 && !httpx__text_decode(&d, in, 0, true, out)) return false;
    return true;
}

TEST(text_decoder_never_splits_a_character) {
    size_t i, k;
    httpx__buf out;
    memset(&out, 0, sizeof out);
    for (i = 0; i < sizeof tt_python / sizeof tt_python[0]; i++) {
        size_t n = tt_python[i].in_len;
        bool same = true;
        REQUIRE(tt_decode_split(tt_python[i].enc, tt_python[i].in, n, 1, 0, &out));
        if (out.len != tt_python[i].out_len || memcmp(out.p, tt_python[i].out, out.len)) same = false;
        for (k = 1; k < n; k++) {
            REQUIRE(tt_decode_split(tt_python[i].enc, tt_python[i].in, n, n, k, &out));
            if (out.len != tt_python[i].out_len || memcmp(out.p, tt_python[i].out, out.len)) same = false;
        }
        if (!same) test_fail(__FILE__, __LINE__, "case %zu (%s): a split changed the text", i, tt_python[i].enc);
    }
    httpx__buf_free(&out);
}

TEST(text_charset_from_content_type) {
    static const struct { const char *ct, *enc; } cases[] = {
        {"text/html; charset=\"ISO-8859-1\"", "iso-8859-1"},
        {"text/plain;CHARSET=Latin1 ; format=flowed", "iso-8859-1"},
        {"text/plain; format=flowed; charset = windows-1252", "windows-1252"},
        {"text/plain; charset=UTF_16LE", "utf-16-le"},
        {"text/plain; charset=utf-16BE", "utf-16-be"},
        {"text/plain; charset=US-ASCII", "ascii"},
        {"text/plain; charset=klingon", "utf-8"},           /* unknown: UTF-8 with replacement */
        {"text/plain; charset=", "utf-8"},
        {"text/plain", "utf-8"},
        {"text/plain; xcharset=latin1", "utf-8"},
        {"application/json", "utf-8"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        httpx_response *r = tt_response("caf\xE9", 4, cases[i].ct);
        REQUIRE(r);
        CHECK_STR(httpx_encoding(r), cases[i].enc);
        httpx_text(r);
        CHECK_STR(httpx_encoding(r), cases[i].enc);
        httpx_response_free(r);
    }
}

TEST(text_bom_and_fast_path) {
    httpx_response *r;
    /* no charset: a BOM decides, and is dropped */
    r = tt_response("\xEF\xBB\xBF" "caf\xC3\xA9", 8, NULL);
    CHECK_STR(httpx_encoding(r), "utf-8");
    CHECK_STR(httpx_text(r), "caf\xC3\xA9");
    httpx_response_free(r);
    r = tt_response("\xFF\xFE" "A\0\xE9\0", 6, NULL);
    CHECK_STR(httpx_encoding(r), "utf-16-le");
    CHECK_STR(httpx_text(r), "A\xC3\xA9");
    httpx_response_free(r);
    r = tt_response("\xFE\xFF" "\0A\0\xE9", 6, "text/plain");
    CHECK_STR(httpx_text(r), "A\xC3\xA9");
    CHECK_STR(httpx_encoding(r), "utf-16-be");
    httpx_response_free(r);
    /* a declared charset wins over a BOM of another encoding */
    r = tt_response("\xFF\xFE" "A", 3, "text/plain; charset=iso-8859-1");
    CHECK_STR(httpx_text(r), "\xC3\xBF\xC3\xBE" "A");
    httpx_response_free(r);
    /* a BOM that matches the declared encoding is not content */
    r = tt_response("\xEF\xBB\xBF" "x", 4, "text/plain; charset=utf-8");
    CHECK_STR(httpx_text(r), "x");
    httpx_response_free(r);
    /* no charset, no BOM: UTF-8, invalid bytes replaced */
    r = tt_response("caf\xE9", 4, NULL);
    CHECK_STR(httpx_text(r), "caf\xEF\xBF\xBD");
    CHECK_STR(httpx_encoding(r), "utf-8");
    httpx_response_free(r);
    /* short bodies: fewer bytes than a BOM */
    r = tt_response("\xEF\xBB", 2, NULL);
    CHECK_STR(httpx_text(r), "\xEF\xBF\xBD");
    httpx_response_free(r);
    r = tt_response("", 0, NULL);
    CHECK_STR(httpx_text(r), "");
    CHECK_INT(httpx_text_len(r), 0);
    httpx_response_free(r);
    /* valid UTF-8 (and ASCII under a single-byte charset) is the body itself */
    r = tt_response("caf\xC3\xA9", 5, "text/plain; charset=utf-8");
    CHECK(httpx_text(r) == r->content);
    httpx_response_free(r);
    r = tt_response("plain", 5, "text/plain; charset=windows-1252");
    CHECK(httpx_text(r) == r->content);
    httpx_response_free(r);
    r = tt_response("a\0b", 3, NULL);
    CHECK_INT(httpx_text_len(r), 3);
    httpx_response_free(r);
    CHECK(httpx_text(NULL) == NULL);
    CHECK_INT(httpx_text_len(NULL), 0);
    CHECK_STR(httpx_encoding(NULL), "utf-8");
}

TEST(text_read_text_of_a_body_in_memory) {
    httpx_response *r = tt_response("caf\xE9", 4, "text/plain; charset=latin-1");
    size_t len = 99;
    const char *t;
    REQUIRE(r);
    t = httpx_read_text(r, &len);
    CHECK_STR(t, "caf\xC3\xA9");
    CHECK_INT(len, 5);
    CHECK(httpx_read_text(r, &len) == NULL);
    CHECK_INT(len, 0);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    r = tt_response("", 0, NULL);
    CHECK(httpx_read_text(r, &len) == NULL);
    httpx_response_free(r);
}

TEST(text_from_a_server) {
    httpx_response *r = httpx_get(fx_rogue_at("/latin1"), NULL);
    REQUIRE(r);
    REQUIRE(r->error == HTTPX_OK);
    CHECK_STR(httpx_text(r), "caf\xC3\xA9");
    CHECK_STR(httpx_encoding(r), "iso-8859-1");
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/utf8"), NULL);
    REQUIRE(r);
    CHECK_STR(httpx_text(r), "caf\xC3\xA9");
    CHECK(httpx_text(r) == r->content);
    httpx_response_free(r);
}

TEST(text_read_text_streams) {
    /* /echo sends back the request head and then the body: a body of many
       multi-byte characters comes back in pieces that each hold whole ones. */
    size_t n = 60000, i, total = 0, pieces = 0;
    char *body = (char *)malloc(n * 3), *all = (char *)malloc(n * 4);
    httpx_response *r;
    const char *t;
    size_t len;
    bool whole = true;
    REQUIRE(body && all);
    for (i = 0; i < n; i++) memcpy(body + 3 * i, "\xE2\x82\xAC", 3);    /* euro signs */
    r = httpx_stream("POST", fx_rogue_at("/echo"), &(httpx_opts){ .content = body, .content_length = n * 3 });
    REQUIRE(r);
    REQUIRE(r->error == HTTPX_OK);
    while ((t = httpx_read_text(r, &len)) != NULL) {
        if (httpx__utf8_valid(t, len) != len) whole = false;
        if (total + len <= n * 4) memcpy(all + total, t, len);
        total += len;
        pieces++;
    }
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(whole);
    CHECK(pieces > 1);
    REQUIRE(total > n * 3);
    CHECK_MEM(all + total - n * 3, n * 3, body, n * 3);
    CHECK_STR(httpx_encoding(r), "utf-8");
    CHECK(httpx_read_text(r, &len) == NULL);
    httpx_response_free(r);
    free(body);
    free(all);
}
