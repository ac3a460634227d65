/* base: allocator hooks, growable buffers, string helpers, errors, clock. */
#include "internal.h"
#include <errno.h>

HTTPX__PRIVATE void *httpx__malloc(size_t n) { return HTTPX_MALLOC(n ? n : 1); }
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n) { return HTTPX_REALLOC(p, n ? n : 1); }
HTTPX__PRIVATE void httpx__free(void *p) { if (p) HTTPX_FREE(p); }

HTTPX__PRIVATE bool httpx__buf_reserve(httpx__buf *b, size_t extra) {
    size_t need, cap;
    char *p;
    HTTPX_ASSERT(b->cap == 0 ? b->len == 0 : b->len < b->cap);   /* room for the NUL, always */
    if (b->failed) return false;
    if (extra > (size_t)-1 / 2 - b->len) { b->failed = true; return false; }
    need = b->len + extra + 1;                  /* +1: always room for the NUL */
    if (need <= b->cap) return true;
    cap = b->cap * 2;       /* geometric growth, but a first large reserve fits exactly */
    if (cap < need) cap = need;
    if (cap < 64) cap = 64;
    if (b->borrowed) {
        p = (char *)httpx__malloc(cap);
        if (p) memcpy(p, b->p, b->len + 1);
    } else {
        p = (char *)httpx__realloc(b->p, cap);
    }
    if (!p) {
        b->failed = true;
        return false;
    }
    b->borrowed = false;
    b->p = p;
    b->cap = cap;
    p[b->len] = 0;          /* keep the promise of NUL termination from the first byte */
    return true;
}

HTTPX__PRIVATE bool httpx__buf_append(httpx__buf *b, const void *p, size_t n) {
    HTTPX_ASSERT(p || n == 0);
    if (!httpx__buf_reserve(b, n)) return false;
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
    return true;
}

HTTPX__PRIVATE bool httpx__buf_puts(httpx__buf *b, const char *s) { return httpx__buf_append(b, s, strlen(s)); }
HTTPX__PRIVATE bool httpx__buf_putc(httpx__buf *b, char c) { return httpx__buf_append(b, &c, 1); }

HTTPX__PRIVATE bool httpx__buf_printf(httpx__buf *b, const char *fmt, ...) {
    va_list ap;
    int n;
    if (!httpx__buf_reserve(b, 64)) return false;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) return false;
    if ((size_t)n >= b->cap - b->len) {          /* did not fit: grow and format again */
        if (!httpx__buf_reserve(b, (size_t)n)) return false;
        va_start(ap, fmt);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return true;
}

HTTPX__PRIVATE void httpx__buf_free(httpx__buf *b) {
    if (!b->borrowed) httpx__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->borrowed = b->failed = false;
}

HTTPX__PRIVATE void httpx__buf_clear(httpx__buf *b) {
    b->len = 0;
    b->failed = false;
    if (b->p) b->p[0] = 0;
}

HTTPX__PRIVATE void httpx__buf_init_inline(httpx__buf *b, char *mem, size_t cap) {
    HTTPX_ASSERT(mem && cap > 0);   /* the NUL needs a byte */
    b->p = mem;
    b->cap = cap;
    b->len = 0;
    b->borrowed = true;
    b->failed = false;
    mem[0] = 0;
}

HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    if (!httpx__buf_reserve(out, (n + 2) / 3 * 4)) return false;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
        char q[4];
        q[0] = abc[v >> 18]; q[1] = abc[(v >> 12) & 63]; q[2] = abc[(v >> 6) & 63]; q[3] = abc[v & 63];
        httpx__buf_append(out, q, 4);
    }
    if (i < n) {
        unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0);
        char q[4];
        q[0] = abc[v >> 18]; q[1] = abc[(v >> 12) & 63];
        q[2] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        q[3] = '=';
        httpx__buf_append(out, q, 4);
    }
    return true;
}

HTTPX__PRIVATE int httpx__lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

HTTPX__PRIVATE bool httpx__mem_ieq(const char *a, const char *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (httpx__lower((unsigned char)a[i]) != httpx__lower((unsigned char)b[i])) return false;
    return true;
}

HTTPX__PRIVATE bool httpx__str_ieq(httpx__str a, const char *b) {
    return strlen(b) == a.n && httpx__mem_ieq(a.p, b, a.n);
}

HTTPX__PRIVATE bool httpx__is_tchar(int c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

HTTPX__PRIVATE httpx_error httpx__fail(httpx__err *e, httpx_error code, const char *fmt, ...) {
    va_list ap;
    if (!e) return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

HTTPX__PRIVATE uint64_t httpx__splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

HTTPX__PRIVATE int httpx__hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

HTTPX__PRIVATE char httpx__hex_digit(unsigned v, bool upper) {
    return (upper ? "0123456789ABCDEF" : "0123456789abcdef")[v & 15];
}

HTTPX__PRIVATE void httpx__hex_encode(char *out, const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = httpx__hex_digit(b[i] >> 4, false);
        out[2 * i + 1] = httpx__hex_digit(b[i], false);
    }
}

static const char *const httpx__error_names[HTTPX_ERR_COUNT_] = {
    "no error",
    "connect timeout", "read timeout", "write timeout", "pool timeout", "total timeout",
    "connect error", "read error", "write error", "close error",
    "local protocol error", "remote protocol error",
    "proxy error", "unsupported protocol", "TLS error", "decoding error",
    "too many redirects", "too large",
    "invalid URL", "invalid header", "invalid argument", "stream error",
    "cancelled", "HTTP status error", "out of memory",
};

HTTPX_API const char *httpx_strerror(httpx_error e) {
    if ((int)e < 0 || e >= HTTPX_ERR_COUNT_) return "unknown error";
    return httpx__error_names[e];
}

HTTPX_API bool httpx_is_timeout(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT_TIMEOUT && e <= HTTPX_ERR_TOTAL_TIMEOUT;
}
HTTPX_API bool httpx_is_network_error(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT && e <= HTTPX_ERR_CLOSE;
}
HTTPX_API bool httpx_is_protocol_error(httpx_error e) {
    return e == HTTPX_ERR_LOCAL_PROTOCOL || e == HTTPX_ERR_REMOTE_PROTOCOL;
}
HTTPX_API bool httpx_is_transport_error(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT_TIMEOUT && e <= HTTPX_ERR_TLS;
}
