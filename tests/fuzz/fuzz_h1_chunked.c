/* The chunked transfer coding decoder. Property: a message split at random
   points (the first input bytes seed the splits) decodes exactly as the
   whole: the same body, the same verdict, the same count of bytes after the
   end. The decoder never writes more body than it was given input. */
#include "fuzz.h"

typedef struct result { int rc; size_t extra, used; httpx__buf body; } result;

/* Feeds p[0..n) in pieces; stops at the end of the message or an error. */
static void decode(const uint8_t *p, size_t n, uint64_t *split, result *r) {
    httpx__chunked d;
    httpx__err e;
    size_t off = 0;
    memset(&d, 0, sizeof d);
    memset(r, 0, sizeof *r);
    r->rc = 0;
    while (off < n) {
        size_t k = split ? fuzz_piece(split, n - off) : n - off, len = k;
        char *piece = (char *)malloc(k);
        memcpy(piece, p + off, k);
        memset(&e, 0, sizeof e);
        r->rc = httpx__chunked_decode(&d, piece, &len, &e);
        FUZZ_CHECK(len <= k);
        if (r->rc == HTTPX__BAD) {
            FUZZ_CHECK(e.code == HTTPX_ERR_REMOTE_PROTOCOL && e.msg[0]);
            free(piece);
            break;
        }
        FUZZ_CHECK(httpx__buf_append(&r->body, piece, len));
        free(piece);
        if (r->rc == 1) {
            FUZZ_CHECK(d.extra <= k);
            r->extra = d.extra;
            r->used = off + k - d.extra;
            break;
        }
        FUZZ_CHECK(r->rc == 0);
        off += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    uint64_t split = fuzz_u16(&in);
    result whole, parts;
    decode(in.p, in.n, NULL, &whole);
    decode(in.p, in.n, &split, &parts);
    FUZZ_CHECK(whole.rc == parts.rc);
    if (whole.rc != HTTPX__BAD) {
        FUZZ_CHECK(whole.body.len == parts.body.len);
        FUZZ_CHECK(whole.body.len == 0 || memcmp(whole.body.p, parts.body.p, whole.body.len) == 0);
    }
    if (whole.rc == 1) {
        FUZZ_CHECK(whole.used == parts.used);
        FUZZ_CHECK(whole.body.len < whole.used);
    }
    httpx__buf_free(&whole.body);
    httpx__buf_free(&parts.body);
    return 0;
}
