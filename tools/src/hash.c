/* hash: MD5 (RFC 1321) and SHA-256 (FIPS 180-4), written from the
   specifications, incremental, no allocation. Digest authentication is
   their only user (see hash_internal.h). */
#include "internal.h"
#include "hash_internal.h"

static uint32_t httpx__rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t httpx__ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* ---- MD5 ---- */

static void httpx__md5_block(httpx__md5 *c, const unsigned char *p) {
    /* the shift amounts per round, and K[i] = floor(abs(sin(i + 1)) * 2^32) */
    static const int s[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
    static const uint32_t k[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    uint32_t m[16], a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    int i;
    for (i = 0; i < 16; i++)   /* little-endian words */
        m[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 | (uint32_t)p[i * 4 + 2] << 16 | (uint32_t)p[i * 4 + 3] << 24;
    for (i = 0; i < 64; i++) {
        uint32_t f, t;
        int g;
        if (i < 16) { f = (b & cc) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & cc); g = (5 * i + 1) & 15; }
        else if (i < 48) { f = b ^ cc ^ d; g = (3 * i + 5) & 15; }
        else { f = cc ^ (b | ~d); g = (7 * i) & 15; }
        t = d;
        d = cc;
        cc = b;
        b = b + httpx__rol32(a + f + k[i] + m[g], s[i >> 4][i & 3]);
        a = t;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
}

HTTPX__PRIVATE void httpx__md5_init(httpx__md5 *c) {
    c->h[0] = 0x67452301; c->h[1] = 0xefcdab89; c->h[2] = 0x98badcfe; c->h[3] = 0x10325476;
    c->len = 0;
}

/* Both hashes take 64-byte blocks: the input is gathered in block (len
   bytes so far) and each full block is compressed. Returns how many bytes
   of p it took: the caller compresses when the block is full, then calls
   again with the rest. */
static size_t httpx__hash_gather(unsigned char *block, uint64_t *len, const unsigned char *p, size_t n) {
    size_t at = (size_t)(*len & 63), take = 64 - at < n ? 64 - at : n;
    memcpy(block + at, p, take);
    *len += take;
    return take;
}

HTTPX__PRIVATE void httpx__md5_update(httpx__md5 *c, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    while (n) {
        size_t took = httpx__hash_gather(c->block, &c->len, p, n);
        p += took;
        n -= took;
        if ((c->len & 63) == 0) httpx__md5_block(c, c->block);
    }
}

HTTPX__PRIVATE void httpx__md5_final(httpx__md5 *c, unsigned char out[16]) {
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, zero = 0, len8[8];
    int i;
    httpx__md5_update(c, &pad, 1);
    while ((c->len & 63) != 56) httpx__md5_update(c, &zero, 1);
    for (i = 0; i < 8; i++) len8[i] = (unsigned char)(bits >> (8 * i));
    httpx__md5_update(c, len8, 8);
    for (i = 0; i < 16; i++) out[i] = (unsigned char)(c->h[i >> 2] >> (8 * (i & 3)));
}

/* ---- SHA-256 ---- */

static void httpx__sha256_block(httpx__sha256 *c, const unsigned char *p) {
    /* the first 32 bits of the fractional parts of the cube roots of the first 64 primes */
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t w[64], v[8], t1, t2;
    int i;
    for (i = 0; i < 16; i++)   /* big-endian words */
        w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 | (uint32_t)p[i * 4 + 2] << 8 | (uint32_t)p[i * 4 + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = httpx__ror32(w[i - 15], 7) ^ httpx__ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = httpx__ror32(w[i - 2], 17) ^ httpx__ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (i = 0; i < 8; i++) v[i] = c->h[i];
    for (i = 0; i < 64; i++) {
        uint32_t e = v[4], a = v[0];
        t1 = v[7] + (httpx__ror32(e, 6) ^ httpx__ror32(e, 11) ^ httpx__ror32(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + k[i] + w[i];
        t2 = (httpx__ror32(a, 2) ^ httpx__ror32(a, 13) ^ httpx__ror32(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        v[7] = v[6]; v[6] = v[5]; v[5] = v[4]; v[4] = v[3] + t1;
        v[3] = v[2]; v[2] = v[1]; v[1] = v[0]; v[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++) c->h[i] += v[i];
}

HTTPX__PRIVATE void httpx__sha256_init(httpx__sha256 *c) {
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
}

HTTPX__PRIVATE void httpx__sha256_update(httpx__sha256 *c, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    while (n) {
        size_t took = httpx__hash_gather(c->block, &c->len, p, n);
        p += took;
        n -= took;
        if ((c->len & 63) == 0) httpx__sha256_block(c, c->block);
    }
}

HTTPX__PRIVATE void httpx__sha256_final(httpx__sha256 *c, unsigned char out[32]) {
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, zero = 0, len8[8];
    int i;
    httpx__sha256_update(c, &pad, 1);
    while ((c->len & 63) != 56) httpx__sha256_update(c, &zero, 1);
    for (i = 0; i < 8; i++) len8[i] = (unsigned char)(bits >> (56 - 8 * i));
    httpx__sha256_update(c, len8, 8);
    for (i = 0; i < 32; i++) out[i] = (unsigned char)(c->h[i >> 2] >> (24 - 8 * (i & 3)));
}
