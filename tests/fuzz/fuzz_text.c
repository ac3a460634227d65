/* Text decoding of a body (UTF-8, UTF-16 either way, Latin-1, cp1252,
   ASCII, sniffed by BOM). The first byte picks the encoding, the next two
   seed the split points. Properties: text decoding never splits a
   character (what each piece gives is valid UTF-8 on its own); a body cut
   at random points decodes exactly as the whole; the result is valid UTF-8;
   valid UTF-8 without a BOM comes out unchanged. */
#include "fuzz.h"

static void decode(enum httpx__enc enc, const uint8_t *p, size_t n, uint64_t *split, httpx__buf *out) {
    httpx__textdec d;
    size_t off = 0;
    memset(&d, 0, sizeof d);
    d.enc = enc;
    if (!split) {
        FUZZ_CHECK(httpx__text_decode(&d, (const char *)p, n, true, out));
        return;
    }
    while (off < n) {
        size_t k = fuzz_piece(split, n - off), before = out->len;
        FUZZ_CHECK(httpx__text_decode(&d, (const char *)p + off, k, false, out));
        FUZZ_CHECK(httpx__utf8_valid(out->p + before, out->len - before) == out->len - before);
        off += k;
    }
    FUZZ_CHECK(httpx__text_decode(&d, NULL, 0, true, out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    enum httpx__enc enc = (enum httpx__enc)(fuzz_byte(&in) % (HTTPX__ENC_ASCII + 1));
    uint64_t split = fuzz_u16(&in);
    httpx__buf whole = {0}, parts = {0};
    decode(enc, in.p, in.n, NULL, &whole);
    decode(enc, in.p, in.n, &split, &parts);
    FUZZ_CHECK(httpx__utf8_valid(whole.p ? whole.p : "", whole.len) == whole.len);
    FUZZ_CHECK(whole.len == parts.len && (whole.len == 0 || memcmp(whole.p, parts.p, whole.len) == 0));
    if ((enc == HTTPX__ENC_UTF8 || enc == HTTPX__ENC_SNIFF) &&
        httpx__utf8_valid((const char *)in.p, in.n) == in.n &&
        !(in.n >= 3 && memcmp(in.p, "\xEF\xBB\xBF", 3) == 0))
        FUZZ_CHECK(whole.len == in.n && (in.n == 0 || memcmp(whole.p, in.p, in.n) == 0));
    httpx__buf_free(&whole);
    httpx__buf_free(&parts);
    return 0;
}
