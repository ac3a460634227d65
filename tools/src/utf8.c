/* utf8: strict UTF-8 decoding steps, shared by the JSON reader and writer
   and the text decoder. */
#include "internal.h"
#include "json_internal.h"

/* The valid range of the second byte depends on the first (RFC 3629 table):
   that is what rules out overlong forms, surrogates and values past U+10FFFF
   without decoding first. */
static void httpx__utf8_range(unsigned char b0, int *need, unsigned char *lo, unsigned char *hi) {
    *lo = 0x80; *hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) *need = 1;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        *need = 2;
        if (b0 == 0xE0) *lo = 0xA0;
        if (b0 == 0xED) *hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        *need = 3;
        if (b0 == 0xF0) *lo = 0x90;
        if (b0 == 0xF4) *hi = 0x8F;
    } else *need = -1;
}

HTTPX__PRIVATE int httpx__utf8_next(const unsigned char *p, size_t n, uint32_t *cp) {
    int need, i;
    unsigned char lo, hi;
    uint32_t c;
    if (p[0] < 0x80) { *cp = p[0]; return 1; }
    httpx__utf8_range(p[0], &need, &lo, &hi);
    if (need < 0) return 0;
    c = p[0] & (0x3F >> need);
    for (i = 1; i <= need; i++) {
        if ((size_t)i >= n) return HTTPX__AGAIN;
        if (p[i] < lo || p[i] > hi) return 0;
        c = c << 6 | (p[i] & 0x3F);
        lo = 0x80; hi = 0xBF;
    }
    *cp = c;
    return need + 1;
}

HTTPX__PRIVATE size_t httpx__utf8_bad_len(const unsigned char *p, size_t n) {
    int need, i;
    unsigned char lo, hi;
    httpx__utf8_range(p[0], &need, &lo, &hi);
    if (need < 0) return 1;
    for (i = 1; i <= need && (size_t)i < n; i++) {
        if (p[i] < lo || p[i] > hi) break;
        lo = 0x80; hi = 0xBF;
    }
    return (size_t)i;
}

HTTPX__PRIVATE size_t httpx__utf8_put(char *out, uint32_t cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

HTTPX__PRIVATE size_t httpx__utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        int k;
        if (p[i] < 0x80) { i++; continue; }
        k = httpx__utf8_next(p + i, n - i, &cp);
        if (k <= 0) return i;
        i += (size_t)k;
    }
    return n;
}
