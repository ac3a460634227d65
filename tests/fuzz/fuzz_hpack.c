/* HPACK (RFC 7541). The first byte picks the mode:
   - decode: the rest is a series of header blocks (a 2-byte length each)
     decoded with one decoder, so the dynamic table carries over; each
     field is checked to be within the list limit, and a broken context
     stays broken;
   - round trip: the rest is a list of fields (NUL-separated name, value)
     in a few blocks; our encoder writes them (table sizes and indexing
     chosen by the input) and a decoder of our own must give back exactly
     the fields, block by block. */
#include "fuzz.h"

typedef struct fields { const char **name, **value; size_t *nlen, *vlen; size_t n, cap, at; bool bad; size_t list; } fields;

static int on_field(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    fields *f = (fields *)ctx;
    f->list += nlen + vlen + 32;
    if (!f->name) return 0;                      /* decode mode: just count */
    if (f->at >= f->n || f->nlen[f->at] != nlen || f->vlen[f->at] != vlen ||
        memcmp(f->name[f->at], name, nlen) != 0 || memcmp(f->value[f->at], value, vlen) != 0)
        f->bad = true;
    f->at++;
    return 0;
}

static void decode_mode(fuzz_in *in) {
    httpx__hpack_dec d;
    unsigned sz = fuzz_u16(in);
    bool broken = false;
    httpx__hpack_dec_init(&d, HTTPX__HPACK_TABLE_DEFAULT);
    if (sz & 1) httpx__hpack_dec_set_max(&d, sz >> 1);
    d.max_list = fuzz_byte(in) * 64;
    while (in->n) {
        size_t len, got;
        const uint8_t *blk;
        fields f;
        httpx__err e;
        int rc;
        len = fuzz_u16(in);
        blk = fuzz_take(in, len, &got);
        memset(&f, 0, sizeof f);
        memset(&e, 0, sizeof e);
        rc = httpx__hpack_decode(&d, blk, got, on_field, &f, &e);
        if (rc >= 0) {
            FUZZ_CHECK(!broken);
            FUZZ_CHECK((size_t)rc >= f.at);
            FUZZ_CHECK(!d.max_list || f.list <= d.max_list);
        } else {
            FUZZ_CHECK(e.code != HTTPX_OK && e.msg[0]);
            if (e.code != HTTPX_ERR_TOO_LARGE) broken = true;
        }
        FUZZ_CHECK(d.t.size <= d.t.max);
    }
    httpx__hpack_dec_free(&d);
}

static void roundtrip_mode(fuzz_in *in) {
    httpx__hpack_enc enc;
    httpx__hpack_dec dec;
    unsigned ours = fuzz_u16(in), peer = fuzz_u16(in);
    httpx__hpack_enc_init(&enc, ours);
    httpx__hpack_dec_init(&dec, ours);
    enc.huffman = (int)(fuzz_byte(in) % 3);
    httpx__hpack_enc_set_peer_max(&enc, peer);
    while (in->n) {
        httpx__hpack_field hf[32];
        fields f;
        httpx__buf block = {0};
        httpx__err e;
        size_t n = fuzz_byte(in) % 32 + 1, i;
        const char *name[32], *value[32];
        size_t nlen[32], vlen[32];
        for (i = 0; i < n && in->n; i++) {
            const uint8_t *p = in->p, *z;
            size_t left = in->n, k;
            z = (const uint8_t *)memchr(p, 0, left);
            k = z ? (size_t)(z - p) : left;
            name[i] = (const char *)p;
            nlen[i] = k;
            in->p += k + (z ? 1 : 0); in->n -= k + (z ? 1 : 0);
            p = in->p; left = in->n;
            z = (const uint8_t *)memchr(p, 0, left);
            k = z ? (size_t)(z - p) : left;
            value[i] = (const char *)p;
            vlen[i] = k;
            in->p += k + (z ? 1 : 0); in->n -= k + (z ? 1 : 0);
            hf[i].name = name[i]; hf[i].nlen = nlen[i];
            hf[i].value = value[i]; hf[i].vlen = vlen[i];
            hf[i].index = (int)(nlen[i] ? (unsigned char)name[i][0] % 4 : 0);
        }
        n = i;
        memset(&e, 0, sizeof e);
        if (httpx__hpack_encode(&enc, &block, hf, n, &e) != HTTPX_OK) {
            /* refused fields: nothing was written and the tables stay in step */
            FUZZ_CHECK(e.code == HTTPX_ERR_INVALID_HEADER);
            FUZZ_CHECK(block.len == 0);
            httpx__buf_free(&block);
            continue;
        }
        memset(&f, 0, sizeof f);
        f.name = name; f.value = value; f.nlen = nlen; f.vlen = vlen; f.n = n;
        memset(&e, 0, sizeof e);
        if (httpx__hpack_decode(&dec, block.p, block.len, on_field, &f, &e) != (int)n)
            fprintf(stderr, "decode: %s\n", e.msg);
        FUZZ_CHECK(f.at == n && !f.bad);
        FUZZ_CHECK(dec.t.size == enc.t.size && dec.t.count == enc.t.count);
        httpx__buf_free(&block);
    }
    httpx__hpack_enc_free(&enc);
    httpx__hpack_dec_free(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    if (fuzz_byte(&in) & 1) roundtrip_mode(&in);
    else decode_mode(&in);
    return 0;
}
