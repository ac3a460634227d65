/* hpack: HPACK header compression for HTTP/2 (RFC 7541).

   The decoder takes one complete header block and reports fields through a
   callback; plain literals are passed as views into the block, Huffman ones
   are decoded into a scratch buffer. Every length and index is checked
   against the block and the tables before use, integers are bounded, and
   memory is bounded by the table size we allow plus the block itself.

   The encoder writes a block into an httpx__buf: indexed fields where the
   static or dynamic table has them, Huffman only when it is shorter, and an
   indexing choice per field (see enum httpx__hpack_index). Private prefixes:
   httpx__hpack_, httpx__huff_. */
#include "internal.h"
#include "h2_internal.h"

#ifndef HTTPX_NO_HTTP2

/* ---- Huffman code (RFC 7541 Appendix B) ----
   The code is canonical: sorted by (length, symbol) the codes count up, so
   decoding needs per length only where its codes start (no tree). */

static const uint32_t httpx__huff_code[257] = {
    0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7,
    0xfffffe8, 0xffffea, 0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec,
    0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3,
    0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9, 0xffffffa, 0xffffffb,
    0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa,
    0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
    0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
    0x1e, 0x1f, 0x5c, 0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc,
    0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62,
    0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
    0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72,
    0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22,
    0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26,
    0x27, 0x6, 0x74, 0x75, 0x28, 0x29, 0x2a, 0x7,
    0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
    0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd, 0xffffffc,
    0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9,
    0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf,
    0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3,
    0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef,
    0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde,
    0x7fffea, 0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec,
    0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2, 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef,
    0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
    0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
    0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed,
    0x7fff2, 0x1fffe3, 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2,
    0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5,
    0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3,
    0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
    0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea,
    0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
    0x3fffffff,
};
static const uint8_t httpx__huff_len[257] = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30,
};
/* symbols in code order (by length, then value) */
static const uint16_t httpx__huff_sym[257] = {
    48, 49, 50, 97, 99, 101, 105, 111, 115, 116, 32, 37, 45, 46, 47, 51,
    52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109,
    110, 112, 114, 117, 58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
    77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118,
    119, 120, 121, 122, 38, 42, 44, 59, 88, 90, 33, 34, 40, 41, 63, 39,
    43, 124, 35, 62, 0, 36, 64, 91, 93, 126, 94, 125, 60, 96, 123, 92,
    195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172, 176, 177,
    179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160,
    163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232,
    233, 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157,
    158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239, 9, 142,
    144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193,
    200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255, 203, 204, 211,
    212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254,
    2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20,
    21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249, 10, 13, 22,
    256,
};
/* Per code length L: (first code of L + number of codes of L) << (32 - L).
   A 32-bit window below limit[L] starts with a code of at most L bits;
   above limit[29] it is a 30-bit code. */
static const uint32_t httpx__huff_limit[30] = {
    0x0u, 0x0u, 0x0u, 0x0u, 0x0u, 0x50000000u,
    0xb8000000u, 0xf8000000u, 0xfe000000u, 0xfe000000u, 0xff400000u, 0xffa00000u,
    0xffc00000u, 0xfff00000u, 0xfff80000u, 0xfffe0000u, 0xfffe0000u, 0xfffe0000u,
    0xfffe0000u, 0xfffe6000u, 0xfffee000u, 0xffff4800u, 0xffffb000u, 0xffffea00u,
    0xfffff600u, 0xfffff800u, 0xfffffbc0u, 0xfffffe20u, 0xfffffff0u, 0xfffffff0u,
};
static const uint32_t httpx__huff_first[31] = {
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x14, 0x5c,
    0xf8, 0x0, 0x3f8, 0x7fa, 0xffa, 0x1ff8, 0x3ffc, 0x7ffc,
    0x0, 0x0, 0x0, 0x7fff0, 0xfffe6, 0x1fffdc, 0x3fffd2, 0x7fffd8,
    0xffffea, 0x1ffffec, 0x3ffffe0, 0x7ffffde, 0xfffffe2, 0x0, 0x3ffffffc,
};
static const uint16_t httpx__huff_index[31] = {
    0, 0, 0, 0, 0, 0, 10, 36, 68, 0, 74, 79, 82, 84, 90, 92,
    0, 0, 0, 95, 98, 106, 119, 145, 174, 186, 190, 205, 224, 0, 253,
};

/* By the first 8 bits of the window: the symbol and length of a code of at
   most 8 bits, or (0, the shortest length of the longer codes starting so). */
static const uint8_t httpx__huff_fast_sym[256] = {
    48, 48, 48, 48, 48, 48, 48, 48, 49, 49, 49, 49, 49, 49, 49, 49,
    50, 50, 50, 50, 50, 50, 50, 50, 97, 97, 97, 97, 97, 97, 97, 97,
    99, 99, 99, 99, 99, 99, 99, 99, 101, 101, 101, 101, 101, 101, 101, 101,
    105, 105, 105, 105, 105, 105, 105, 105, 111, 111, 111, 111, 111, 111, 111, 111,
    115, 115, 115, 115, 115, 115, 115, 115, 116, 116, 116, 116, 116, 116, 116, 116,
    32, 32, 32, 32, 37, 37, 37, 37, 45, 45, 45, 45, 46, 46, 46, 46,
    47, 47, 47, 47, 51, 51, 51, 51, 52, 52, 52, 52, 53, 53, 53, 53,
    54, 54, 54, 54, 55, 55, 55, 55, 56, 56, 56, 56, 57, 57, 57, 57,
    61, 61, 61, 61, 65, 65, 65, 65, 95, 95, 95, 95, 98, 98, 98, 98,
    100, 100, 100, 100, 102, 102, 102, 102, 103, 103, 103, 103, 104, 104, 104, 104,
    108, 108, 108, 108, 109, 109, 109, 109, 110, 110, 110, 110, 112, 112, 112, 112,
    114, 114, 114, 114, 117, 117, 117, 117, 58, 58, 66, 66, 67, 67, 68, 68,
    69, 69, 70, 70, 71, 71, 72, 72, 73, 73, 74, 74, 75, 75, 76, 76,
    77, 77, 78, 78, 79, 79, 80, 80, 81, 81, 82, 82, 83, 83, 84, 84,
    85, 85, 86, 86, 87, 87, 89, 89, 106, 106, 107, 107, 113, 113, 118, 118,
    119, 119, 120, 120, 121, 121, 122, 122, 38, 42, 44, 59, 88, 90, 0, 0,
};
static const uint8_t httpx__huff_fast_len[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 10, 10,
};
#define HTTPX__HUFF_EOS 256

HTTPX__PRIVATE size_t httpx__huff_encoded_len(const char *s, size_t n) {
    size_t bits = 0, i;
    for (i = 0; i < n; i++) bits += httpx__huff_len[(unsigned char)s[i]];
    return (bits + 7) / 8;
}

HTTPX__PRIVATE bool httpx__huff_encode(httpx__buf *out, const char *s, size_t n) {
    uint64_t acc = 0;       /* pending bits, right-aligned */
    int bits = 0;
    size_t i;
    char *w;
    if (!httpx__buf_reserve(out, httpx__huff_encoded_len(s, n))) return false;
    w = out->p + out->len;
    for (i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        acc = acc << httpx__huff_len[c] | httpx__huff_code[c];
        bits += httpx__huff_len[c];
        while (bits >= 8) {
            bits -= 8;
            *w++ = (char)(acc >> bits);
        }
    }
    if (bits > 0)   /* pad with the most significant bits of EOS: all ones */
        *w++ = (char)(acc << (8 - bits) | (0xffu >> bits));
    out->len = (size_t)(w - out->p);
    out->p[out->len] = 0;
    return true;
}

/* The 32 bits at the front of the window, padded with ones past the end so
   that a partial code at the end reads as a (too long) prefix of EOS. */
static uint32_t httpx__huff_peek(uint64_t acc, int bits) {
    if (bits >= 32) return (uint32_t)(acc >> (bits - 32));
    return (uint32_t)((acc << (32 - bits)) | (((uint64_t)1 << (32 - bits)) - 1));
}

HTTPX__PRIVATE int httpx__huff_decode(httpx__buf *out, const uint8_t *p, size_t n, httpx__err *e) {
    uint64_t acc = 0;
    int bits = 0, len;
    size_t i = 0;
    char *w = NULL;
    if (out) {   /* the shortest code is 5 bits, so at most 8/5 bytes per byte */
        if (!httpx__buf_reserve(out, n + n / 4 * 3 + 8)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory decoding a Huffman string");
            return HTTPX__BAD;
        }
        w = out->p + out->len;
    }
    for (;;) {
        uint32_t win;
        unsigned sym;
        while (bits <= 56 && i < n) { acc = acc << 8 | p[i++]; bits += 8; }
        if (bits == 0) break;
        win = httpx__huff_peek(acc, bits);
        len = httpx__huff_fast_len[win >> 24];
        if (len > 8) {      /* rare bytes: count up from the shortest candidate */
            while (len < 30 && win >= httpx__huff_limit[len]) len++;
            sym = httpx__huff_sym[httpx__huff_index[len] + ((win >> (32 - len)) - httpx__huff_first[len])];
        } else {
            sym = httpx__huff_fast_sym[win >> 24];
        }
        if (len > bits) {
            /* what is left is no whole code: it must be padding, which is
               the start of EOS (all ones) and shorter than a byte */
            if (bits > 7 || (acc & ((1u << bits) - 1)) != (1u << bits) - 1) {
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, bits > 7 ?
                            "HPACK: Huffman string ends with %d bits that are no code (padding is at most 7 bits)" :
                            "HPACK: Huffman padding of %d bits is not all ones", bits);
                return HTTPX__BAD;
            }
            break;
        }
        if (sym == HTTPX__HUFF_EOS) {
            httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: EOS symbol inside a Huffman string");
            return HTTPX__BAD;
        }
        bits -= len;
        acc &= bits ? (~(uint64_t)0 >> (64 - bits)) : 0;
        if (w) *w++ = (char)sym;
    }
    if (out) {
        out->len = (size_t)(w - out->p);
        out->p[out->len] = 0;
    }
    return 0;
}

/* ---- integers (RFC 7541 5.1) ---- */

#define HTTPX__HPACK_INT_MAX 0x7fffffffu

HTTPX__PRIVATE bool httpx__hpack_put_int(httpx__buf *out, unsigned first, int prefix_bits, uint32_t v) {
    uint32_t max = (1u << prefix_bits) - 1;
    unsigned char b[6];
    size_t n = 0;
    if (v < max) {
        b[n++] = (unsigned char)(first | v);
    } else {
        b[n++] = (unsigned char)(first | max);
        v -= max;
        while (v >= 128) { b[n++] = (unsigned char)(v % 128 + 128); v /= 128; }
        b[n++] = (unsigned char)v;
    }
    return httpx__buf_append(out, b, n);
}

HTTPX__PRIVATE int httpx__hpack_get_int(const uint8_t **pp, const uint8_t *end, int prefix_bits, uint32_t *v) {
    const uint8_t *p = *pp;
    uint32_t max = (1u << prefix_bits) - 1, val;
    int shift = 0;
    if (p >= end) return HTTPX__AGAIN;
    val = *p++ & max;
    if (val == max) {
        for (;;) {
            uint32_t b;
            if (p >= end) return HTTPX__AGAIN;
            b = *p++;
            /* 2^31 needs at most 5 continuation bytes; more is an attack
               (long runs of 0x80) or a value we will never accept */
            if (shift > 28 || (uint64_t)(b & 127) << shift > HTTPX__HPACK_INT_MAX - val) return HTTPX__BAD;
            val += (b & 127) << shift;
            shift += 7;
            if (!(b & 128)) break;
        }
    }
    *v = val;
    *pp = p;
    return 0;
}

/* ---- static table (RFC 7541 Appendix A) ---- */

typedef struct httpx__hpack_static { const char *name, *value; uint8_t nlen, vlen; } httpx__hpack_static;
#define HTTPX__S(n, v) {n, v, sizeof n - 1, sizeof v - 1}
static const httpx__hpack_static httpx__hpack_statics[61] = {
    HTTPX__S(":authority", ""), HTTPX__S(":method", "GET"), HTTPX__S(":method", "POST"),
    HTTPX__S(":path", "/"), HTTPX__S(":path", "/index.html"), HTTPX__S(":scheme", "http"),
    HTTPX__S(":scheme", "https"), HTTPX__S(":status", "200"), HTTPX__S(":status", "204"),
    HTTPX__S(":status", "206"), HTTPX__S(":status", "304"), HTTPX__S(":status", "400"),
    HTTPX__S(":status", "404"), HTTPX__S(":status", "500"), HTTPX__S("accept-charset", ""),
    HTTPX__S("accept-encoding", "gzip, deflate"), HTTPX__S("accept-language", ""),
    HTTPX__S("accept-ranges", ""), HTTPX__S("accept", ""), HTTPX__S("access-control-allow-origin", ""),
    HTTPX__S("age", ""), HTTPX__S("allow", ""), HTTPX__S("authorization", ""),
    HTTPX__S("cache-control", ""), HTTPX__S("content-disposition", ""), HTTPX__S("content-encoding", ""),
    HTTPX__S("content-language", ""), HTTPX__S("content-length", ""), HTTPX__S("content-location", ""),
    HTTPX__S("content-range", ""), HTTPX__S("content-type", ""), HTTPX__S("cookie", ""),
    HTTPX__S("date", ""), HTTPX__S("etag", ""), HTTPX__S("expect", ""), HTTPX__S("expires", ""),
    HTTPX__S("from", ""), HTTPX__S("host", ""), HTTPX__S("if-match", ""),
    HTTPX__S("if-modified-since", ""), HTTPX__S("if-none-match", ""), HTTPX__S("if-range", ""),
    HTTPX__S("if-unmodified-since", ""), HTTPX__S("last-modified", ""), HTTPX__S("link", ""),
    HTTPX__S("location", ""), HTTPX__S("max-forwards", ""), HTTPX__S("proxy-authenticate", ""),
    HTTPX__S("proxy-authorization", ""), HTTPX__S("range", ""), HTTPX__S("referer", ""),
    HTTPX__S("refresh", ""), HTTPX__S("retry-after", ""), HTTPX__S("server", ""),
    HTTPX__S("set-cookie", ""), HTTPX__S("strict-transport-security", ""),
    HTTPX__S("transfer-encoding", ""), HTTPX__S("user-agent", ""), HTTPX__S("vary", ""),
    HTTPX__S("via", ""), HTTPX__S("www-authenticate", ""),
};
#undef HTTPX__S
#define HTTPX__HPACK_STATICS 61u

/* ---- dynamic table (RFC 7541 2.3.2, 4) ---- */

static void httpx__hpack_table_init(httpx__hpack_table *t, size_t max) {
    memset(t, 0, sizeof *t);
    t->max = max;
}

static void httpx__hpack_table_free(httpx__hpack_table *t) {
    httpx__free(t->text);
    httpx__free(t->ents);
    t->text = NULL;
    t->ents = NULL;
    t->text_cap = t->ents_cap = t->head = t->tail = t->oldest = t->count = t->size = 0;
}

static httpx__hpack_entry *httpx__hpack_nth(const httpx__hpack_table *t, size_t i) {
    return &t->ents[(t->oldest + t->count - 1 - i) % t->ents_cap];
}

HTTPX__PRIVATE bool httpx__hpack_table_get(const httpx__hpack_table *t, size_t i, httpx__str *name, httpx__str *value) {
    const httpx__hpack_entry *en;
    if (i >= t->count) return false;
    en = httpx__hpack_nth(t, i);
    name->p = t->text + en->off;
    name->n = en->nlen;
    value->p = t->text + en->off + en->nlen;
    value->n = en->vlen;
    return true;
}

static void httpx__hpack_evict_to(httpx__hpack_table *t, size_t max) {
    while (t->size > max) {
        httpx__hpack_entry *en = &t->ents[t->oldest];
        t->size -= en->nlen + en->vlen + HTTPX__HPACK_ENTRY_OVERHEAD;
        t->head = en->off + en->nlen + en->vlen;
        t->oldest = (t->oldest + 1) % t->ents_cap;
        t->count--;
    }
    if (t->count == 0) t->head = t->tail = 0;
}

static void httpx__hpack_set_size(httpx__hpack_table *t, size_t max) {
    t->max = max;
    httpx__hpack_evict_to(t, max);
}

/* Makes room for a table of t->max bytes: text never needs more than max
   bytes (every entry costs 32 more than its text), entries at most max/32. */
static bool httpx__hpack_table_grow(httpx__hpack_table *t) {
    size_t ents = t->max / HTTPX__HPACK_ENTRY_OVERHEAD, i;
    if (t->text_cap < t->max) {
        char *p = (char *)httpx__realloc(t->text, t->max);
        if (!p) return false;
        t->text = p;
        t->text_cap = t->max;
    }
    if (t->ents_cap < ents) {
        httpx__hpack_entry *p = (httpx__hpack_entry *)httpx__malloc(ents * sizeof *p);
        if (!p) return false;
        for (i = 0; i < t->count; i++) p[i] = t->ents[(t->oldest + i) % t->ents_cap];
        httpx__free(t->ents);
        t->ents = p;
        t->ents_cap = ents;
        t->oldest = 0;
    }
    return true;
}

/* Adds an entry (RFC 7541 4.4): evicts first; an entry larger than the table
   empties it and is not added. name and value must not point into t. */
static bool httpx__hpack_table_add(httpx__hpack_table *t, const char *name, size_t nlen,
                                   const char *value, size_t vlen) {
    size_t need = nlen + vlen, i;
    httpx__hpack_entry *en;
    if (need + HTTPX__HPACK_ENTRY_OVERHEAD > t->max) {
        httpx__hpack_evict_to(t, 0);
        return true;
    }
    httpx__hpack_evict_to(t, t->max - need - HTTPX__HPACK_ENTRY_OVERHEAD);
    if (!httpx__hpack_table_grow(t)) return false;
    if (t->tail + need > t->text_cap) {     /* move the live text to the front */
        memmove(t->text, t->text + t->head, t->tail - t->head);
        for (i = 0; i < t->count; i++) t->ents[(t->oldest + i) % t->ents_cap].off -= (uint32_t)t->head;
        t->tail -= t->head;
        t->head = 0;
    }
    memcpy(t->text + t->tail, name, nlen);
    memcpy(t->text + t->tail + nlen, value, vlen);
    en = &t->ents[(t->oldest + t->count) % t->ents_cap];
    en->off = (uint32_t)t->tail;
    en->nlen = (uint32_t)nlen;
    en->vlen = (uint32_t)vlen;
    t->count++;
    t->tail += need;
    t->size += need + HTTPX__HPACK_ENTRY_OVERHEAD;
    return true;
}

/* ---- decoder ---- */

HTTPX__PRIVATE void httpx__hpack_dec_init(httpx__hpack_dec *d, size_t table_size) {
    memset(d, 0, sizeof *d);
    httpx__hpack_table_init(&d->t, table_size);
    d->max_allowed = table_size;
    d->max_list = HTTPX__HPACK_LIST_DEFAULT;
}

HTTPX__PRIVATE void httpx__hpack_dec_free(httpx__hpack_dec *d) {
    httpx__hpack_table_free(&d->t);
    httpx__buf_free(&d->scratch);
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE void httpx__hpack_dec_set_max(httpx__hpack_dec *d, size_t n) {
    d->max_allowed = n;
    if (n < d->t.max) {
        httpx__hpack_set_size(&d->t, n);
        d->need_update = true;
    }
}
#endif

/* A string of the current field: a view into the block, or bytes in scratch
   (which may move while the next string is decoded, hence the offset). */
typedef struct httpx__hpack_s { const char *p; size_t off, n; bool in_scratch; } httpx__hpack_s;

typedef struct httpx__hpack_rd {
    httpx__hpack_dec *d;
    const uint8_t *start, *p, *end;
    httpx__err *e;
} httpx__hpack_rd;

static int httpx__hpack_bad(httpx__hpack_rd *r, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 2, 3)))
#endif
    ;
static int httpx__hpack_bad(httpx__hpack_rd *r, const char *fmt, ...) {
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    httpx__fail(r->e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: %s (byte %lu of the block)", msg,
                (unsigned long)(r->p - r->start));
    r->d->broken = true;
    return HTTPX__BAD;
}

static int httpx__hpack_rd_int(httpx__hpack_rd *r, int prefix, uint32_t *v) {
    int rc = httpx__hpack_get_int(&r->p, r->end, prefix, v);
    if (rc == HTTPX__AGAIN) return httpx__hpack_bad(r, "integer truncated by the end of the block");
    if (rc != 0) return httpx__hpack_bad(r, "integer over %lu", (unsigned long)HTTPX__HPACK_INT_MAX);
    return 0;
}

/* keep: the decoded bytes are needed (else a Huffman string is only checked) */
static int httpx__hpack_rd_str(httpx__hpack_rd *r, bool keep, httpx__hpack_s *s) {
    uint32_t len;
    bool huff;
    if (r->p >= r->end) return httpx__hpack_bad(r, "string missing at the end of the block");
    huff = (*r->p & 0x80) != 0;
    if (httpx__hpack_rd_int(r, 7, &len) != 0) return HTTPX__BAD;
    if (len > (size_t)(r->end - r->p))
        return httpx__hpack_bad(r, "string length %lu goes beyond the block (%lu bytes left)",
                                (unsigned long)len, (unsigned long)(r->end - r->p));
    s->in_scratch = huff && keep;
    s->p = (const char *)r->p;
    s->n = len;
    s->off = r->d->scratch.len;
    if (huff) {
        if (httpx__huff_decode(keep ? &r->d->scratch : NULL, r->p, len, r->e) != 0) {
            r->d->broken = true;    /* the message says what; Huffman errors are COMPRESSION_ERRORs */
            return HTTPX__BAD;
        }
        s->n = keep ? r->d->scratch.len - s->off : 0;
    }
    r->p += len;
    return 0;
}

/* Looks up index i (1-based, static then dynamic). */
static int httpx__hpack_lookup(httpx__hpack_rd *r, uint32_t i, httpx__str *name, httpx__str *value) {
    if (i == 0) return httpx__hpack_bad(r, "index 0");
    if (i <= HTTPX__HPACK_STATICS) {
        name->p = httpx__hpack_statics[i - 1].name;
        name->n = httpx__hpack_statics[i - 1].nlen;
        value->p = httpx__hpack_statics[i - 1].value;
        value->n = httpx__hpack_statics[i - 1].vlen;
        return 0;
    }
    if (!httpx__hpack_table_get(&r->d->t, i - HTTPX__HPACK_STATICS - 1, name, value))
        return httpx__hpack_bad(r, "index %lu out of range (%lu entries)", (unsigned long)i,
                                (unsigned long)(HTTPX__HPACK_STATICS + r->d->t.count));
    return 0;
}

typedef struct httpx__hpack_out {
    httpx__hpack_on_field on_field;
    void *ctx;
    size_t list_size;       /* name + value + 32 of every field so far */
    bool over;              /* over max_list: fields are no longer reported */
    int fields;
} httpx__hpack_out;

static int httpx__hpack_emit(httpx__hpack_rd *r, httpx__hpack_out *o, httpx__str name, httpx__str value) {
    size_t max = r->d->max_list;
    o->list_size += name.n + value.n + HTTPX__HPACK_ENTRY_OVERHEAD;
    if (max && o->list_size > max) o->over = true;
    if (o->over) return 0;
    o->fields++;
    if (o->on_field && o->on_field(o->ctx, name.p, name.n, value.p, value.n) != 0) {
        r->d->broken = true;
        httpx__fail(r->e, HTTPX_ERR_CANCELLED, "HPACK: the field callback stopped decoding");
        return HTTPX__BAD;
    }
    return 0;
}

static httpx__str httpx__hpack_resolve(const httpx__hpack_dec *d, const httpx__hpack_s *s) {
    httpx__str v;
    v.p = s->in_scratch ? d->scratch.p + s->off : s->p;
    v.n = s->n;
    return v;
}

/* A literal field (RFC 7541 6.2): b is its first byte. */
static int httpx__hpack_literal(httpx__hpack_rd *r, httpx__hpack_out *o, uint8_t b) {
    bool indexing = (b & 0xc0) == 0x40;
    uint32_t idx;
    httpx__hpack_s ns, vs;
    httpx__str name, value;
    /* the strings are needed to report them, or to add them to the table
       (an entry larger than the table is not added, but that is known only
       after decoding: bounded by the block anyway) */
    bool keep = !o->over || indexing;
    httpx__buf_clear(&r->d->scratch);
    if (httpx__hpack_rd_int(r, indexing ? 6 : 4, &idx) != 0) return HTTPX__BAD;
    if (idx) {
        httpx__str unused;
        if (httpx__hpack_lookup(r, idx, &name, &unused) != 0) return HTTPX__BAD;
        /* a dynamic name may be evicted by this very insertion: copy it */
        ns.in_scratch = indexing && idx > HTTPX__HPACK_STATICS;
        ns.p = name.p;
        ns.n = name.n;
        ns.off = 0;
        if (ns.in_scratch && !httpx__buf_append(&r->d->scratch, name.p, name.n)) goto nomem;
    } else if (httpx__hpack_rd_str(r, keep, &ns) != 0) {
        return HTTPX__BAD;
    }
    if (httpx__hpack_rd_str(r, keep, &vs) != 0) return HTTPX__BAD;
    if (r->d->scratch.failed) goto nomem;
    name = httpx__hpack_resolve(r->d, &ns);
    value = httpx__hpack_resolve(r->d, &vs);
    if (indexing && !httpx__hpack_table_add(&r->d->t, name.p, name.n, value.p, value.n)) goto nomem;
    return httpx__hpack_emit(r, o, name, value);
nomem:
    r->d->broken = true;
    httpx__fail(r->e, HTTPX_ERR_NOMEM, "HPACK: out of memory");
    return HTTPX__BAD;
}

static int httpx__hpack_size_update(httpx__hpack_rd *r, bool first) {
    uint32_t v;
    if (!first) return httpx__hpack_bad(r, "dynamic table size update after a field");
    if (httpx__hpack_rd_int(r, 5, &v) != 0) return HTTPX__BAD;
    if (v > r->d->max_allowed)
        return httpx__hpack_bad(r, "dynamic table size update to %lu, over the %lu we allow",
                                (unsigned long)v, (unsigned long)r->d->max_allowed);
    httpx__hpack_set_size(&r->d->t, v);
    r->d->need_update = false;
    return 0;
}

HTTPX__PRIVATE int httpx__hpack_decode(httpx__hpack_dec *d, const void *block, size_t n,
                                       httpx__hpack_on_field on_field, void *ctx, httpx__err *e) {
    httpx__hpack_rd r;
    httpx__hpack_out o;
    bool first = true;  /* no field yet: size updates allowed */
    r.d = d;
    r.start = r.p = (const uint8_t *)block;
    r.end = r.p + n;
    r.e = e;
    memset(&o, 0, sizeof o);
    o.on_field = on_field;
    o.ctx = ctx;
    if (d->broken) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: the decoder failed before and is out of sync");
        return HTTPX__BAD;
    }
    while (r.p < r.end) {
        uint8_t b = *r.p;
        if ((b & 0xe0) == 0x20) {
            if (httpx__hpack_size_update(&r, first) != 0) return HTTPX__BAD;
            continue;
        }
        if (d->need_update)
            return httpx__hpack_bad(&r, "the block does not start with the size update our smaller "
                                    "SETTINGS_HEADER_TABLE_SIZE (%lu) requires", (unsigned long)d->max_allowed);
        first = false;
        if (b & 0x80) {
            uint32_t idx;
            httpx__str name, value;
            if (httpx__hpack_rd_int(&r, 7, &idx) != 0 || httpx__hpack_lookup(&r, idx, &name, &value) != 0 ||
                httpx__hpack_emit(&r, &o, name, value) != 0)
                return HTTPX__BAD;
        } else if (httpx__hpack_literal(&r, &o, b) != 0) {
            return HTTPX__BAD;
        }
    }
    if (d->need_update)
        return httpx__hpack_bad(&r, "the block does not start with the size update our smaller "
                                "SETTINGS_HEADER_TABLE_SIZE (%lu) requires", (unsigned long)d->max_allowed);
    if (o.over) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the header list is %lu bytes, over the limit of %lu "
                    "(names + values + 32 per field)", (unsigned long)o.list_size, (unsigned long)d->max_list);
        return HTTPX__BAD;
    }
    return o.fields;
}

/* ---- encoder ---- */

HTTPX__PRIVATE void httpx__hpack_enc_init(httpx__hpack_enc *enc, size_t table_size) {
    memset(enc, 0, sizeof *enc);
    httpx__hpack_table_init(&enc->t, table_size);
    enc->cap = table_size;
}

HTTPX__PRIVATE void httpx__hpack_enc_free(httpx__hpack_enc *enc) { httpx__hpack_table_free(&enc->t); }

HTTPX__PRIVATE void httpx__hpack_enc_set_peer_max(httpx__hpack_enc *enc, size_t n) {
    size_t size = n < enc->cap ? n : enc->cap;
    if (size == enc->t.max && !enc->pending) return;
    /* RFC 7541 4.2: when the size went down and up again between two blocks,
       the smallest value must be signalled too, so both are kept */
    if (!enc->pending || size < enc->pending_min) enc->pending_min = size;
    enc->pending = true;
    httpx__hpack_set_size(&enc->t, size);
}

static bool httpx__hpack_sensitive(const httpx__hpack_field *f) {
    static const char *const names[] = {"authorization", "proxy-authorization", "cookie", "set-cookie"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == f->nlen && memcmp(names[i], f->name, f->nlen) == 0) return true;
    return false;
}

/* Fields whose value changes from one request to the next: an entry for them
   would evict entries that get reused, for nothing. */
static bool httpx__hpack_volatile(const httpx__hpack_field *f) {
    return (f->nlen == 5 && memcmp(f->name, ":path", 5) == 0) ||
           (f->nlen == 14 && memcmp(f->name, "content-length", 14) == 0);
}

static int httpx__hpack_choose(const httpx__hpack_enc *enc, const httpx__hpack_field *f) {
    if (f->index != HTTPX__HPACK_AUTO) return f->index;
    if (httpx__hpack_sensitive(f)) return HTTPX__HPACK_NEVER_INDEX;
    if (httpx__hpack_volatile(f)) return HTTPX__HPACK_NO_INDEX;
    /* an entry over half the table pushes out most of what is there, for a
       field that is probably unique */
    if (f->nlen + f->vlen + HTTPX__HPACK_ENTRY_OVERHEAD > enc->t.max / 2) return HTTPX__HPACK_NO_INDEX;
    return HTTPX__HPACK_INDEX;
}

/* Finds f in the tables: returns the index of a full match (and sets *full),
   else of the first name match, else 0. Static entries first: their indices
   are the smallest. */
/* The static entries whose names begin with c are [lo, hi): the table is
   sorted by name, so a lookup compares a few entries, not 61 (the encoder
   runs this for every field of every request). */
static void httpx__hpack_static_range(int c, uint32_t *lo, uint32_t *hi) {
    static const unsigned char r[27][2] = {     /* ':', then 'a'..'z' */
        {0, 14}, {14, 23}, {23, 23}, {23, 32}, {32, 33}, {33, 36}, {36, 37}, {37, 37}, {37, 38},
        {38, 43}, {43, 43}, {43, 43}, {43, 46}, {46, 47}, {47, 47}, {47, 47}, {47, 49}, {49, 49},
        {49, 53}, {53, 56}, {56, 57}, {57, 58}, {58, 60}, {60, 61}, {61, 61}, {61, 61}, {61, 61}
    };
    int k = c == ':' ? 0 : c >= 'a' && c <= 'z' ? c - 'a' + 1 : -1;
    *lo = k < 0 ? 0 : r[k][0];
    *hi = k < 0 ? 0 : r[k][1];
}

static uint32_t httpx__hpack_find(const httpx__hpack_enc *enc, const httpx__hpack_field *f, bool *full) {
    uint32_t name_idx = 0, i, hi;
    size_t at;
    *full = false;
    httpx__hpack_static_range((unsigned char)f->name[0], &i, &hi);
    for (; i < hi; i++) {
        const httpx__hpack_static *s = &httpx__hpack_statics[i];
        if (s->nlen != f->nlen || s->name[1] != f->name[1] || memcmp(s->name, f->name, f->nlen) != 0) continue;
        if (s->vlen == f->vlen && memcmp(s->value, f->value, f->vlen) == 0) {
            *full = true;
            return i + 1;
        }
        if (!name_idx) name_idx = i + 1;
    }
    for (i = 0, at = enc->t.count ? (enc->t.oldest + enc->t.count - 1) % enc->t.ents_cap : 0; i < enc->t.count;
         i++, at = at ? at - 1 : enc->t.ents_cap - 1) {     /* newest first */
        const httpx__hpack_entry *en = &enc->t.ents[at];
        const char *text = enc->t.text + en->off;
        if (en->nlen != f->nlen || memcmp(text, f->name, f->nlen) != 0) continue;
        if (en->vlen == f->vlen && memcmp(text + en->nlen, f->value, f->vlen) == 0) {
            *full = true;
            return HTTPX__HPACK_STATICS + 1 + i;
        }
        if (!name_idx) name_idx = HTTPX__HPACK_STATICS + 1 + i;
    }
    return name_idx;
}

static void httpx__hpack_put_str(httpx__hpack_enc *enc, httpx__buf *out, const char *s, size_t n) {
    size_t hlen = enc->huffman == HTTPX__HPACK_HUFF_NEVER ? n : httpx__huff_encoded_len(s, n);
    if (hlen < n || (enc->huffman == HTTPX__HPACK_HUFF_ALWAYS && hlen == n)) {
        httpx__hpack_put_int(out, 0x80, 7, (uint32_t)hlen);
        httpx__huff_encode(out, s, n);
    } else {
        httpx__hpack_put_int(out, 0, 7, (uint32_t)n);
        httpx__buf_append(out, s, n);
    }
}

static void httpx__hpack_put_field(httpx__hpack_enc *enc, httpx__buf *out, const httpx__hpack_field *f) {
    bool full;
    int how = httpx__hpack_choose(enc, f);
    uint32_t idx = httpx__hpack_find(enc, f, &full);
    if (full && how != HTTPX__HPACK_NEVER_INDEX) {
        httpx__hpack_put_int(out, 0x80, 7, idx);
        return;
    }
    if (how == HTTPX__HPACK_INDEX) httpx__hpack_put_int(out, 0x40, 6, idx);
    else httpx__hpack_put_int(out, how == HTTPX__HPACK_NEVER_INDEX ? 0x10 : 0x00, 4, idx);
    if (!idx) httpx__hpack_put_str(enc, out, f->name, f->nlen);
    httpx__hpack_put_str(enc, out, f->value, f->vlen);
    /* cannot fail: the table has room for max bytes once grown (checked by the caller) */
    if (how == HTTPX__HPACK_INDEX) (void)httpx__hpack_table_add(&enc->t, f->name, f->nlen, f->value, f->vlen);
}

static httpx_error httpx__hpack_check_field(const httpx__hpack_field *f, httpx__err *e) {
    size_t i;
    if (f->nlen == 0) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "empty header name");
    if (f->nlen > HTTPX__HPACK_INT_MAX || f->vlen > HTTPX__HPACK_INT_MAX)
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header field too long for HPACK");
    for (i = 0; i < f->nlen; i++) {
        char c = f->name[i];
        if (c >= 'A' && c <= 'Z')
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "HTTP/2 header names are lower-case: \"%.*s\"",
                               (int)(f->nlen > 60 ? 60 : f->nlen), f->name);
        if (c == '\r' || c == '\n' || c == 0)
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "CR, LF or NUL in a header name");
    }
    for (i = 0; i < f->vlen; i++) {
        char c = f->value[i];
        if (c == '\r' || c == '\n' || c == 0)
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "CR, LF or NUL in the value of header \"%.*s\"",
                               (int)(f->nlen > 60 ? 60 : f->nlen), f->name);
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__hpack_encode(httpx__hpack_enc *enc, httpx__buf *out,
                                               const httpx__hpack_field *fields, size_t n, httpx__err *e) {
    size_t i, worst = 2 * 6;    /* two size updates */
    httpx_error rc;
    for (i = 0; i < n; i++) {
        if ((rc = httpx__hpack_check_field(&fields[i], e)) != HTTPX_OK) return rc;
        worst += 1 + 5 + 5 + fields[i].nlen + 5 + fields[i].vlen;   /* integers take at most 5 bytes */
    }
    /* everything that can fail is done first, so that a failure leaves the
       table as the peer's decoder knows it */
    if (!httpx__buf_reserve(out, worst) || !httpx__hpack_table_grow(&enc->t))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory encoding a header block");
    if (enc->pending) {
        if (enc->pending_min < enc->t.max) httpx__hpack_put_int(out, 0x20, 5, (uint32_t)enc->pending_min);
        httpx__hpack_put_int(out, 0x20, 5, (uint32_t)enc->t.max);
        enc->pending = false;
    }
    for (i = 0; i < n; i++) httpx__hpack_put_field(enc, out, &fields[i]);
    return HTTPX_OK;
}

#endif /* HTTPX_NO_HTTP2 */
