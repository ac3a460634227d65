/* inflate (tools/src/inflate.c) and the Content-Encoding layers. The first
   byte picks the wrapper (raw, zlib, gzip, deflate-sniffed), the next two
   seed the split points. Properties: decoding never crashes or reads past
   its input; the input cut at random points gives exactly the bytes and the
   verdict of the whole; each step takes all its input unless the window is
   full; the counts add up; a refused stream stays refused. */
#include "fuzz.h"

typedef struct fi_result { httpx__buf out; int verdict; uint64_t in, total_out; } fi_result;

static void fi_decode(enum httpx__inflate_wrap wrap, const uint8_t *p, size_t n, uint64_t *split, fi_result *r,
                      httpx__inflate *z) {
    size_t off = 0;
    int rc = HTTPX__AGAIN;
    httpx__err e;
    httpx__inflate_init(z, wrap);
    while (off < n || rc == 1) {
        size_t piece = split ? fuzz_piece(split, n - off) : n - off, used, outn;
        const unsigned char *out;
        rc = httpx__inflate_step(z, p + off, piece, &used, &out, &outn, &e);
        if (rc == HTTPX__BAD) {
            FUZZ_CHECK(e.code == HTTPX_ERR_DECODING);
            FUZZ_CHECK(httpx__inflate_step(z, p, n, &used, &out, &outn, &e) == HTTPX__BAD);
            break;
        }
        FUZZ_CHECK(used <= piece);
        FUZZ_CHECK(rc == 1 || used == piece || rc == 0);
        FUZZ_CHECK(outn <= HTTPX__INFLATE_HISTORY + HTTPX__INFLATE_OUT);
        httpx__buf_append(&r->out, out, outn);
        off += used;
    }
    r->verdict = rc == HTTPX__BAD ? -1 : httpx__inflate_finish(z, &e) == 0 ? 1 : 0;
    r->in = z->total_in;
    r->total_out = z->total_out;
    if (r->verdict >= 0) FUZZ_CHECK(r->total_out == r->out.len && r->in == n);
}

/* The pulled face the response door reads through (content_coding.c):
   input in pieces, output in reads of random sizes. */
static void fi_pull(enum httpx__inflate_wrap wrap, const uint8_t *p, size_t n, uint64_t *split, fi_result *r) {
    static const char *const names[] = {"deflate", "deflate", "gzip", "deflate"};
    httpx__cdec d;
    httpx__err e;
    size_t off = 0;
    char buf[300];
    long k;
    FUZZ_CHECK(httpx__cdec_init(&d, names[wrap], strlen(names[wrap]), 0, 0, &e) == 1);
    for (;;) {
        k = httpx__cdec_pull(&d, buf, 1 + (size_t)fuzz_piece(split, sizeof buf - 1), &e);
        if (k == HTTPX__BAD) break;
        if (k > 0) { httpx__buf_append(&r->out, buf, (size_t)k); continue; }
        if (off == n) break;
        {
            size_t piece = fuzz_piece(split, n - off);
            httpx__cdec_input(&d, p + off, piece);
            off += piece;
        }
    }
    r->verdict = k == HTTPX__BAD ? -1 : httpx__cdec_finish(&d, &e) == 0 ? 1 : 0;
    if (k == HTTPX__BAD) FUZZ_CHECK(e.code == HTTPX_ERR_DECODING);
    httpx__cdec_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static httpx__inflate z;   /* about 90 KiB: not on the stack */
    fuzz_in in = {data, size};
    enum httpx__inflate_wrap wrap = (enum httpx__inflate_wrap)(fuzz_byte(&in) % 4);
    uint64_t split = fuzz_u16(&in);
    fi_result whole, parts;
    memset(&whole, 0, sizeof whole);
    memset(&parts, 0, sizeof parts);
    fi_decode(wrap, in.p, in.n, NULL, &whole, &z);
    fi_decode(wrap, in.p, in.n, &split, &parts, &z);
    FUZZ_CHECK(whole.verdict == parts.verdict);
    /* a refused stream may stop at a different byte when cut, never with
       different bytes before it */
    if (whole.verdict >= 0) FUZZ_CHECK(whole.out.len == parts.out.len);
    {
        size_t m = whole.out.len < parts.out.len ? whole.out.len : parts.out.len;
        FUZZ_CHECK(m == 0 || memcmp(whole.out.p, parts.out.p, m) == 0);
    }
    if (wrap == HTTPX__INFLATE_GZIP || wrap == HTTPX__INFLATE_DEFLATE) {
        fi_result pulled;
        memset(&pulled, 0, sizeof pulled);
        fi_pull(wrap, in.p, in.n, &split, &pulled);
        FUZZ_CHECK(pulled.verdict == whole.verdict);
        if (whole.verdict >= 0) FUZZ_CHECK(pulled.out.len == whole.out.len);
        {
            size_t m = whole.out.len < pulled.out.len ? whole.out.len : pulled.out.len;
            FUZZ_CHECK(m == 0 || memcmp(whole.out.p, pulled.out.p, m) == 0);
        }
        httpx__buf_free(&pulled.out);
    }
    httpx__buf_free(&whole.out);
    httpx__buf_free(&parts.out);
    return 0;
}
