/* The HTTP/1.1 response head parser and the framing rules after it.
   Properties: every prefix of a complete head is "need more"; the head end
   the quick scan finds is where the parser says the head ends; a parsed
   head's views lie inside the input; framing is decided or refused without
   crashing, for GET and HEAD alike. */
#include "fuzz.h"

#define MAX_FIELDS 64

static int parse(const char *p, size_t n, httpx__h1_head *h, httpx__h1_header *f) {
    httpx__err e;
    int rc;
    memset(&e, 0, sizeof e);
    rc = httpx__h1_parse_head(p, n, h, f, MAX_FIELDS, &e);
    if (rc == HTTPX__BAD || rc == HTTPX__FULL) FUZZ_CHECK(e.code != HTTPX_OK && e.msg[0]);
    return rc;
}

static bool inside(const char *v, size_t n, const char *p, size_t len) {
    return n == 0 || (v >= p && v + n <= p + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    httpx__h1_header f[MAX_FIELDS], g[MAX_FIELDS];
    httpx__h1_head h, h2;
    char *p;
    int rc;
    size_t i, end;
    /* a copy of exactly size bytes: ASan catches a read past the end */
    p = (char *)malloc(size ? size : 1);
    if (size) memcpy(p, data, size);
    rc = parse(p, size, &h, f);
    end = httpx__h1_find_head_end(p, size, 0);
    if (rc > 0) {
        FUZZ_CHECK((size_t)rc <= size);
        FUZZ_CHECK(end == (size_t)rc);
        FUZZ_CHECK(h.status >= 100 && h.status <= 999);
        FUZZ_CHECK(h.num_headers <= MAX_FIELDS);
        FUZZ_CHECK(inside(h.reason, h.reason_len, p, (size_t)rc));
        for (i = 0; i < h.num_headers; i++) {
            FUZZ_CHECK(f[i].name_len > 0);
            FUZZ_CHECK(inside(f[i].name, f[i].name_len, p, (size_t)rc));
            FUZZ_CHECK(inside(f[i].value, f[i].value_len, p, (size_t)rc));
        }
        /* every prefix of a complete head needs more: all of them for heads
           up to 300 bytes, else the first and last 64 and every 29th (the
           check is quadratic). Each prefix ends where its allocation ends,
           so that ASan sees any read past it. */
        {
            char *q = (char *)malloc((size_t)rc);
            for (i = 0; i < (size_t)rc; i++) {
                if (rc > 300 && i > 64 && i + 64 < (size_t)rc && i % 29) continue;
                memcpy(q + (size_t)rc - i, p, i);
                FUZZ_CHECK(parse(q + (size_t)rc - i, i, &h2, g) == HTTPX__AGAIN);
                FUZZ_CHECK(httpx__h1_find_head_end(q + (size_t)rc - i, i, 0) == 0);
            }
            free(q);
        }
        {
            httpx__h1_framing fr;
            httpx__err e;
            int head;
            for (head = 0; head < 2; head++) {
                memset(&e, 0, sizeof e);
                if (httpx__h1_framing_of(&h, f, head != 0, &fr, &e) == HTTPX_OK) {
                    FUZZ_CHECK(fr.kind >= HTTPX__BODY_NONE && fr.kind <= HTTPX__BODY_CLOSE);
                    if (head || h.status < 200 || h.status == 204 || h.status == 304)
                        FUZZ_CHECK(fr.kind == HTTPX__BODY_NONE);
                    if (fr.kind == HTTPX__BODY_CLOSE) FUZZ_CHECK(!fr.keep_alive);
                } else {
                    FUZZ_CHECK(e.code == HTTPX_ERR_REMOTE_PROTOCOL && e.msg[0]);
                }
            }
        }
    } else if (rc == HTTPX__AGAIN) {
        /* need more: no blank line yet, so no prefix is complete either */
        FUZZ_CHECK(end == 0);
    }
    free(p);
    return 0;
}
