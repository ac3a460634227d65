/* URL parsing, reference resolution and serialisation. The input is a base
   and a reference separated by the first NUL (no NUL: the input is both).
   Properties: normalisation is idempotent (resolving an absolute URL
   against itself is RFC 3986's normalisation of its path: doing it again
   changes nothing; the result of a resolution itself need not be normal,
   since an empty reference gives the base as it is, RFC 3986 5.2.2); the
   normal form of a parsed URL (scheme and host lower case, no default port,
   the target percent-encoded) parses and gives itself again; the request
   target has no byte a request line may not carry; views lie inside the
   parsed string. */
#include "fuzz.h"

static bool inside(httpx__str s, const char *p, size_t n) {
    return s.n == 0 || (s.p >= p && s.p + s.n <= p + n);
}

static void check_parsed(const char *s) {
    httpx__url u, u2;
    httpx__err e;
    httpx__buf w1 = {0}, w2 = {0}, t = {0}, user = {0}, pass = {0};
    size_t n = strlen(s), i;
    memset(&e, 0, sizeof e);
    if (httpx__url_parse(&u, s, n, &e) != HTTPX_OK) {
        FUZZ_CHECK(e.code == HTTPX_ERR_INVALID_URL || e.code == HTTPX_ERR_UNSUPPORTED_PROTOCOL);
        FUZZ_CHECK(e.msg[0]);
        return;
    }
    FUZZ_CHECK(u.host.n > 0 && u.port > 0 && u.port <= 65535);
    FUZZ_CHECK(inside(u.scheme, s, n) && inside(u.userinfo, s, n) && inside(u.host, s, n));
    FUZZ_CHECK(inside(u.path, s, n) && inside(u.query, s, n) && inside(u.fragment, s, n));
    FUZZ_CHECK(httpx__url_write_target(&t, &u));
    FUZZ_CHECK(t.len > 0 && t.p[0] == '/');
    for (i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.p[i];
        FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '#');
    }
    /* the normal form is a fixed point */
    FUZZ_CHECK(httpx__url_write(&w1, &u));
    memset(&e, 0, sizeof e);
    FUZZ_CHECK(httpx__url_parse(&u2, w1.p, w1.len, &e) == HTTPX_OK);
    FUZZ_CHECK(httpx__url_write(&w2, &u2));
    FUZZ_CHECK(w1.len == w2.len && memcmp(w1.p, w2.p, w1.len) == 0);
    FUZZ_CHECK(u2.port == u.port && u2.is_https == u.is_https && u2.host.n == u.host.n);
    httpx__url_credentials(&u, &user, &pass);
    httpx__buf_free(&w1);
    httpx__buf_free(&w2);
    httpx__buf_free(&t);
    httpx__buf_free(&user);
    httpx__buf_free(&pass);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = (char *)malloc(size + 1), *ref;
    httpx__buf r1 = {0}, r2 = {0}, r3 = {0};
    httpx__err e;
    memcpy(s, data, size);
    s[size] = 0;
    ref = s + strlen(s) < s + size ? s + strlen(s) + 1 : s;
    check_parsed(s);
    if (ref != s) check_parsed(ref);
    memset(&e, 0, sizeof e);
    if (httpx__url_resolve(&r1, s, ref, &e) == HTTPX_OK) {
        FUZZ_CHECK(r1.p && strlen(r1.p) == r1.len);
        memset(&e, 0, sizeof e);
        FUZZ_CHECK(httpx__url_resolve(&r2, r1.p, r1.p, &e) == HTTPX_OK);
        FUZZ_CHECK(httpx__url_resolve(&r3, r2.p, r2.p, &e) == HTTPX_OK);
        if (r3.len != r2.len || memcmp(r3.p, r2.p, r2.len) != 0)
            fprintf(stderr, "base '%s' ref '%s'\nonce  '%s'\ntwice '%s'\n", s, ref, r2.p, r3.p);
        FUZZ_CHECK(r3.len == r2.len && memcmp(r3.p, r2.p, r2.len) == 0);
        check_parsed(r1.p);
    } else {
        FUZZ_CHECK(e.code == HTTPX_ERR_INVALID_URL && e.msg[0]);
    }
    httpx__buf_free(&r1);
    httpx__buf_free(&r2);
    httpx__buf_free(&r3);
    free(s);
    return 0;
}
