/* proxy: a proxy's URL, and the streams that go through a proxy: an HTTP
   CONNECT tunnel and a SOCKS5 connection. Each is one more stream in a
   connection's stack (net_internal.h): it sets itself up over the stream
   below (a TCP socket to the proxy, or TLS to an https:// proxy), then
   carries the origin's bytes untouched, so TLS to the origin runs over it
   as over a socket. */
#include "internal.h"
#include "url_internal.h"
#include "net_internal.h"
#include "proxy_internal.h"

/* ---- the proxy URL ---- */

/* Percent-decodes s[0..n) into out (cap bytes with the NUL): false when it
   does not fit or an escape is bad. */
static bool httpx__proxy_decode(char *out, size_t cap, const char *s, size_t n) {
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi, lo;
            hi = i + 1 < n ? httpx__hex_value(s[i + 1]) : -1;
            lo = i + 2 < n ? httpx__hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) return false;
            c = hi * 16 + lo;
            i += 2;
        }
        if (o + 1 >= cap) return false;
        out[o++] = (char)c;
    }
    out[o] = 0;
    return true;
}

static bool httpx__scheme_is(const char *s, size_t n, const char *name) {
    return n == strlen(name) && httpx__mem_ieq(s, name, n);
}

static httpx__proxy *httpx__proxy_bad(httpx__proxy *p, httpx__err *e, const char *why, const char *url) {
    httpx__proxy_free(p);
    httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "proxy URL '%.100s': %s", url, why);
    return NULL;
}

HTTPX__PRIVATE httpx__proxy *httpx__proxy_new(const char *url, httpx__err *e) {
    httpx__proxy *p = (httpx__proxy *)httpx__malloc(sizeof *p);
    const char *s = url, *sep, *at, *host, *end, *colon;
    size_t hn;
    if (!p) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy"); return NULL; }
    memset(p, 0, sizeof *p);
    if (!url || !*url) return httpx__proxy_bad(p, e, "empty", "");
    for (end = url; *end; end++)
        if ((unsigned char)*end <= ' ' || *end == 0x7f) return httpx__proxy_bad(p, e, "a space or control character", url);
    sep = strstr(url, "://");
    p->kind = HTTPX__PROXY_HTTP;
    if (sep) {
        size_t n = (size_t)(sep - url);
        if (httpx__scheme_is(url, n, "http")) p->kind = HTTPX__PROXY_HTTP;
        else if (httpx__scheme_is(url, n, "https")) p->kind = HTTPX__PROXY_HTTPS;
        else if (httpx__scheme_is(url, n, "socks5")) p->kind = HTTPX__PROXY_SOCKS5;
        else if (httpx__scheme_is(url, n, "socks5h")) p->kind = HTTPX__PROXY_SOCKS5H;
        else return httpx__proxy_bad(p, e, "the scheme is none of http, https, socks5, socks5h", url);
        s = sep + 3;
    }
    /* the authority ends at '/', and a path beyond "/" means nothing to a proxy */
    end = strchr(s, '/');
    if (!end) end = s + strlen(s);
    else if (end[1]) return httpx__proxy_bad(p, e, "a proxy URL has no path", url);
    if (memchr(s, '?', (size_t)(end - s)) || memchr(s, '#', (size_t)(end - s)))
        return httpx__proxy_bad(p, e, "a proxy URL has no query or fragment", url);
    at = NULL;
    for (host = s; host < end; host++)
        if (*host == '@') at = host;
    host = s;
    if (at) {
        const char *pc = (const char *)memchr(s, ':', (size_t)(at - s));
        if (!httpx__proxy_decode(p->user, sizeof p->user, s, (size_t)((pc ? pc : at) - s)) ||
            (pc && !httpx__proxy_decode(p->password, sizeof p->password, pc + 1, (size_t)(at - pc - 1))))
            return httpx__proxy_bad(p, e, "the user or password is longer than 255 bytes or has a bad %-escape", url);
        p->has_user = true;
        host = at + 1;
    }
    if (*host == '[') {
        const char *rb = (const char *)memchr(host, ']', (size_t)(end - host));
        if (!rb) return httpx__proxy_bad(p, e, "an IPv6 literal without ']'", url);
        hn = (size_t)(rb - host - 1);
        if (hn >= sizeof p->host) return httpx__proxy_bad(p, e, "host too long", url);
        memcpy(p->host, host + 1, hn);
        p->host[hn] = 0;
        {
            unsigned char ip[16];
            if (httpx__ip_parse(p->host, ip) != 16) return httpx__proxy_bad(p, e, "a bad IPv6 literal", url);
        }
        colon = rb + 1 < end ? rb + 1 : NULL;
        if (colon && *colon != ':') return httpx__proxy_bad(p, e, "junk after the IPv6 literal", url);
    } else {
        colon = (const char *)memchr(host, ':', (size_t)(end - host));
        hn = (size_t)((colon ? colon : end) - host);
        if (hn >= sizeof p->host) return httpx__proxy_bad(p, e, "host too long", url);
        memcpy(p->host, host, hn);
        p->host[hn] = 0;
    }
    if (!p->host[0]) return httpx__proxy_bad(p, e, "no host", url);
    p->port = p->kind == HTTPX__PROXY_HTTP ? 80 : p->kind == HTTPX__PROXY_HTTPS ? 443 : 1080;
    if (colon) {
        const char *d = colon + 1;
        long port = 0;
        if (d == end) return httpx__proxy_bad(p, e, "an empty port", url);
        for (; d < end; d++) {
            if (*d < '0' || *d > '9') return httpx__proxy_bad(p, e, "a bad port", url);
            port = port * 10 + (*d - '0');
            if (port > 65535) return httpx__proxy_bad(p, e, "the port is above 65535", url);
        }
        if (port == 0) return httpx__proxy_bad(p, e, "port 0", url);
        p->port = (int)port;
    }
    if (p->has_user && (p->kind == HTTPX__PROXY_HTTP || p->kind == HTTPX__PROXY_HTTPS)) {
        httpx__buf up, auth;
        memset(&up, 0, sizeof up);
        memset(&auth, 0, sizeof auth);
        if (!httpx__buf_printf(&up, "%s:%s", p->user, p->password) || !httpx__buf_puts(&auth, "Basic ") ||
            !httpx__base64(&auth, up.p, up.len)) {
            httpx__buf_free(&up);
            httpx__buf_free(&auth);
            httpx__proxy_free(p);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy");
            return NULL;
        }
        httpx__buf_free(&up);
        p->authorization = auth.p;      /* the buffer's memory is the proxy's now */
    }
    return p;
}

HTTPX__PRIVATE void httpx__proxy_free(httpx__proxy *p) {
    if (!p) return;
    httpx__free(p->authorization);
    memset(p->password, 0, sizeof p->password);
    httpx__free(p);
}

HTTPX__PRIVATE bool httpx__proxy_forwards(const httpx__proxy *p, bool origin_tls) {
    return p && !origin_tls && (p->kind == HTTPX__PROXY_HTTP || p->kind == HTTPX__PROXY_HTTPS);
}

HTTPX__PRIVATE const char *httpx__proxy_kind_name(const httpx__proxy *p) {
    static const char *const names[] = {"http", "https", "socks5", "socks5h"};
    return names[p->kind];
}

/* ---- the handshake stream: CONNECT and SOCKS5 share it ----
   Set-up bytes go out from `out`; the proxy's answer comes into `in`; a
   step function reads what came and says what to send next. Bytes the
   proxy sent past its answer stay in `in` and are the first the layer
   above receives. */

#define HTTPX__PROXY_HEAD_MAX (16 * 1024)

typedef struct httpx__hs_stream httpx__hs_stream;
/* Looks at in: 1 done, 0 more bytes needed (or out has new bytes to send),
   HTTPX__BAD (e filled). *used: the answer's bytes to drop from in. */
typedef int (*httpx__hs_step_fn)(httpx__hs_stream *h, httpx__err *e);

struct httpx__hs_stream {
    httpx__stream base;
    const httpx__proxy *proxy;      /* the client's: it outlives its connections */
    httpx__hs_step_fn step;
    httpx__buf out, in;
    size_t out_off, in_off;
    int state;                      /* the step's own */
    bool lower_ready, ready;
    char target[300];               /* host:port, for messages */
    char setup[640];                /* what it waits for, for a timeout's message */
    /* SOCKS5: the CONNECT request's address */
    unsigned char ip[16];
    int ip_len;
    char host[256];
    int port;
};

static httpx__hs_stream *httpx__hs_of(httpx__stream *s) { return (httpx__hs_stream *)(void *)s; }

static int httpx__hs_connect(httpx__stream *s, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_of(s);
    if (h->ready) return 1;
    if (!h->lower_ready) {
        int rc = httpx__stream_connect(s->lower, e);
        s->fd = s->lower->fd;       /* the socket below changes while it tries addresses */
        if (rc != 1) {
            s->want = s->lower->want;
            s->deadline = s->lower->deadline;
            return rc;
        }
        h->lower_ready = true;
        s->deadline = 0;
    }
    for (;;) {
        long n;
        int rc;
        if (h->out_off < h->out.len) {
            n = httpx__stream_send(s->lower, h->out.p + h->out_off, h->out.len - h->out_off, e);
            if (n == HTTPX__BAD) return HTTPX__BAD;
            if (n == HTTPX__AGAIN) { s->want = s->lower->want; return HTTPX__AGAIN; }
            h->out_off += (size_t)n;
            continue;
        }
        rc = h->step(h, e);
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        if (rc == 1) {
            h->ready = true;
            httpx__buf_free(&h->out);
            return 1;
        }
        if (h->out_off < h->out.len) continue;      /* the step queued more to send */
        if (h->in.len - h->in_off >= HTTPX__PROXY_HEAD_MAX) {
            httpx__fail(e, HTTPX_ERR_PROXY, "the %s proxy's answer is longer than %d bytes",
                        httpx__proxy_kind_name(h->proxy), HTTPX__PROXY_HEAD_MAX);
            return HTTPX__BAD;
        }
        if (!httpx__buf_reserve(&h->in, 2048)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy's answer");
            return HTTPX__BAD;
        }
        n = httpx__stream_recv(s->lower, h->in.p + h->in.len, 2048, e);
        if (n == HTTPX__BAD) {
            if (e->code != HTTPX_ERR_NOMEM) {   /* a network error: say it was the proxy's */
                char why[sizeof e->msg];
                snprintf(why, sizeof why, "%s", e->msg);
                httpx__fail(e, HTTPX_ERR_PROXY, "%s proxy %s failed while setting up a tunnel to %s: %s",
                            httpx__proxy_kind_name(h->proxy), h->proxy->host, h->target, why);
            }
            return HTTPX__BAD;
        }
        if (n == HTTPX__AGAIN) { s->want = s->lower->want; return HTTPX__AGAIN; }
        if (n == 0) {
            httpx__fail(e, HTTPX_ERR_PROXY, "the %s proxy %s:%d closed the connection before it set up the tunnel to %s",
                        httpx__proxy_kind_name(h->proxy), h->proxy->host, h->proxy->port, h->target);
            return HTTPX__BAD;
        }
        h->in.len += (size_t)n;
    }
}

static long httpx__hs_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_send(s->lower, p, n, e);
    s->want = s->lower->want;
    return r;
}

static long httpx__hs_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_of(s);
    long r;
    if (h->in_off < h->in.len) {    /* what the proxy sent past its answer comes first */
        size_t k = h->in.len - h->in_off;
        if (k > n) k = n;
        memcpy(p, h->in.p + h->in_off, k);
        h->in_off += k;
        if (h->in_off == h->in.len) httpx__buf_free(&h->in);
        return (long)k;
    }
    r = httpx__stream_recv(s->lower, p, n, e);
    s->want = s->lower->want;
    return r;
}

static size_t httpx__hs_pending(const httpx__stream *s) {
    const httpx__hs_stream *h = (const httpx__hs_stream *)(const void *)s;
    return (h->ready ? h->in.len - h->in_off : 0) + httpx__stream_pending(s->lower);
}

static const char *httpx__hs_query(const httpx__stream *s, int fact) {
    const httpx__hs_stream *h = (const httpx__hs_stream *)(const void *)s;
    if (fact == HTTPX__FACT_SETUP && h->lower_ready && !h->ready) return h->setup;
    return NULL;
}

static void httpx__hs_free(httpx__stream *s) {
    httpx__hs_stream *h = httpx__hs_of(s);
    httpx__stream_free(s->lower);
    httpx__buf_free(&h->out);
    httpx__buf_free(&h->in);
    httpx__free(h);
}

static const httpx__stream_ops httpx__hs_ops = {
    httpx__hs_connect, httpx__hs_send, httpx__hs_recv, httpx__hs_pending, httpx__hs_query, httpx__hs_free
};

static httpx__hs_stream *httpx__hs_new(const httpx__proxy *p, const char *host, int port, httpx__hs_step_fn step,
                                       httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h = (httpx__hs_stream *)httpx__malloc(sizeof *h);
    if (!h) {
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    memset(h, 0, sizeof *h);
    h->base.ops = &httpx__hs_ops;
    h->base.lower = lower;
    h->base.fd = lower->fd;
    h->proxy = p;
    h->step = step;
    h->port = port;
    snprintf(h->host, sizeof h->host, "%s", host);
    snprintf(h->target, sizeof h->target, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    snprintf(h->setup, sizeof h->setup, "waiting for the %s proxy %s:%d to open a tunnel to %s",
             httpx__proxy_kind_name(p), p->host, p->port, h->target);
    return h;
}

/* ---- HTTP CONNECT ---- */

static int httpx__connect_step(httpx__hs_stream *h, httpx__err *e) {
    const char *p = h->in.p, *end, *eol;
    size_t n = h->in.len, line;
    int status = 0;
    if (n < 4) return 0;
    end = NULL;
    {
        size_t i;
        for (i = 0; i + 3 < n; i++)
            if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') { end = p + i + 4; break; }
    }
    /* a reply that does not start as HTTP is refused at once, without waiting for its end */
    if (n >= 5 && memcmp(p, "HTTP/", 5) != 0) {
        char shown[60];
        size_t i, k = n < sizeof shown - 1 ? n : sizeof shown - 1;
        for (i = 0; i < k; i++) shown[i] = (p[i] >= ' ' && p[i] < 0x7f) ? p[i] : '.';
        shown[k] = 0;
        return httpx__fail(e, HTTPX_ERR_PROXY, "the proxy %s:%d answered CONNECT %s with something that is not HTTP: '%s'",
                           h->proxy->host, h->proxy->port, h->target, shown), HTTPX__BAD;
    }
    if (!end) return 0;
    eol = (const char *)memchr(p, '\r', (size_t)(end - p));
    line = (size_t)(eol - p);
    if (line > 200) line = 200;
    if (line >= 12 && (p[5] == '1') && p[6] == '.' && p[8] == ' ' && p[9] >= '1' && p[9] <= '5' &&
        p[10] >= '0' && p[10] <= '9' && p[11] >= '0' && p[11] <= '9' && (line == 12 || p[12] == ' '))
        status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    if (status < 200 || status > 299) {
        char shown[201];
        size_t i;
        for (i = 0; i < line; i++) shown[i] = (p[i] >= ' ' && p[i] < 0x7f) ? p[i] : '.';
        shown[line] = 0;
        return httpx__fail(e, HTTPX_ERR_PROXY, status ? "the proxy %s:%d refused CONNECT %s: %s"
                                                      : "the proxy %s:%d answered CONNECT %s with a bad status line: %s",
                           h->proxy->host, h->proxy->port, h->target, shown), HTTPX__BAD;
    }
    h->in_off = (size_t)(end - p);  /* the rest belongs to the tunnel */
    return 1;
}

HTTPX__PRIVATE httpx__stream *httpx__connect_stream_new(const httpx__proxy *p, const char *host, int port,
                                                        httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_new(p, host, port, httpx__connect_step, lower, e);
    if (!h) return NULL;
    httpx__buf_printf(&h->out, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", h->target, h->target);
    if (p->authorization) httpx__buf_printf(&h->out, "Proxy-Authorization: %s\r\n", p->authorization);
    httpx__buf_puts(&h->out, "\r\n");
    if (h->out.failed) {
        httpx__hs_free(&h->base);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    return &h->base;
}

/* ---- SOCKS5 (RFC 1928; username/password: RFC 1929) ---- */

enum { HTTPX__SOCKS_METHOD, HTTPX__SOCKS_AUTH, HTTPX__SOCKS_REPLY };

static const char *httpx__socks_reply_text(int rep) {
    static const char *const text[] = {
        "succeeded", "general SOCKS server failure", "connection not allowed by ruleset", "network unreachable",
        "host unreachable", "connection refused", "TTL expired", "command not supported", "address type not supported"};
    return rep >= 0 && rep < 9 ? text[rep] : "an unknown reply code";
}

static bool httpx__socks_request(httpx__hs_stream *h) {
    httpx__buf *o = &h->out;
    char head[4];
    head[0] = 5; head[1] = 1; head[2] = 0;
    if (h->ip_len == 4) head[3] = 1;
    else if (h->ip_len == 16) head[3] = 4;
    else head[3] = 3;
    httpx__buf_append(o, head, 4);
    if (h->ip_len) httpx__buf_append(o, h->ip, (size_t)h->ip_len);
    else {
        httpx__buf_putc(o, (char)strlen(h->host));
        httpx__buf_puts(o, h->host);
    }
    httpx__buf_putc(o, (char)(h->port >> 8));
    httpx__buf_putc(o, (char)(h->port & 0xff));
    return !o->failed;
}

static int httpx__socks_nomem(httpx__err *e) {
    httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a SOCKS5 request");
    return HTTPX__BAD;
}

static int httpx__socks_step(httpx__hs_stream *h, httpx__err *e) {
    /* nothing received yet: in.p may be NULL, which takes no offset */
    const unsigned char *p = h->in.p ? (const unsigned char *)h->in.p + h->in_off : NULL;
    size_t n = h->in.len - h->in_off, need;
    const httpx__proxy *px = h->proxy;
    switch (h->state) {
    case HTTPX__SOCKS_METHOD:
        if (n < 2) return 0;
        if (p[0] != 5)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered with version %d, not 5",
                               px->host, px->port, p[0]), HTTPX__BAD;
        h->in_off += 2;
        if (p[1] == 0) {
            h->state = HTTPX__SOCKS_REPLY;
            return httpx__socks_request(h) ? 0 : httpx__socks_nomem(e);
        }
        if (p[1] == 2 && px->has_user) {
            httpx__buf *o = &h->out;
            httpx__buf_putc(o, 1);
            httpx__buf_putc(o, (char)strlen(px->user));
            httpx__buf_puts(o, px->user);
            httpx__buf_putc(o, (char)strlen(px->password));
            httpx__buf_puts(o, px->password);
            h->state = HTTPX__SOCKS_AUTH;
            return o->failed ? httpx__socks_nomem(e) : 0;
        }
        return httpx__fail(e, HTTPX_ERR_PROXY, p[1] == 0xff || p[1] == 2
                           ? "the SOCKS5 proxy %s:%d accepts none of the offered authentication methods (%s)"
                           : "the SOCKS5 proxy %s:%d chose an authentication method that was not offered (%s)",
                           px->host, px->port, px->has_user ? "none, username/password" : "none: give a user in the proxy URL"),
               HTTPX__BAD;
    case HTTPX__SOCKS_AUTH:
        if (n < 2) return 0;
        if (p[0] != 1)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered the username/password "
                               "request with version %d, not 1", px->host, px->port, p[0]), HTTPX__BAD;
        if (p[1] != 0)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d refused the user '%.60s' (status %d)",
                               px->host, px->port, px->user, p[1]), HTTPX__BAD;
        h->in_off += 2;
        h->state = HTTPX__SOCKS_REPLY;
        return httpx__socks_request(h) ? 0 : httpx__socks_nomem(e);
    default:
        if (n < 5) return 0;
        if (p[0] != 5)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered CONNECT with version %d, not 5",
                               px->host, px->port, p[0]), HTTPX__BAD;
        if (p[1] != 0)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d refused CONNECT %s: %s (%d)",
                               px->host, px->port, h->target, httpx__socks_reply_text(p[1]), p[1]), HTTPX__BAD;
        if (p[3] == 1) need = 4 + 4 + 2;
        else if (p[3] == 4) need = 4 + 16 + 2;
        else if (p[3] == 3) need = 4 + 1 + (size_t)p[4] + 2;
        else
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered CONNECT with the unknown "
                               "address type %d", px->host, px->port, p[3]), HTTPX__BAD;
        if (n < need) return 0;
        h->in_off += need;          /* the bound address is of no use to a client */
        return 1;
    }
}

HTTPX__PRIVATE httpx__stream *httpx__socks_stream_new(const httpx__proxy *p, const char *host,
                                                      const unsigned char *ip, int ip_len, int port,
                                                      httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h;
    if (!ip_len && strlen(host) > 255) {
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_PROXY, "the host name is longer than SOCKS5's 255 bytes");
        return NULL;
    }
    if (!(h = httpx__hs_new(p, host, port, httpx__socks_step, lower, e))) return NULL;
    if (ip_len) memcpy(h->ip, ip, (size_t)ip_len);
    h->ip_len = ip_len;
    h->state = HTTPX__SOCKS_METHOD;
    /* the greeting: the methods offered (no authentication; username/password when there is a user) */
    if (p->has_user) httpx__buf_append(&h->out, "\x05\x02\x00\x02", 4);
    else httpx__buf_append(&h->out, "\x05\x01\x00", 3);
    if (h->out.failed) {
        httpx__hs_free(&h->base);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    return &h->base;
}
