/* dns: name resolution that never blocks the loop.

   httpx__dns_start answers numeric hosts, "localhost" (RFC 6761) and hosts-file
   names at once. Other names go to the stub resolver of dns_stub.c (or, with
   HTTPX_DNS_THREADS, to getaddrinfo on a helper thread: dns_thread.c); this
   file is the interface both sit behind, and what they share.

   Addresses come out interleaved, IPv6 first (v6, v4, v6, v4, ...): a caller
   that tries them in order gets both families early (RFC 8305 section 4). */
#include "dns_private.h"
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#if defined(_WIN32)
#include <io.h>                 /* open, read, close */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#else
#include <unistd.h>
#endif

/* ---- small helpers ---- */

HTTPX__PRIVATE void httpx__dns_list_add(httpx__dns_list *l, int family, const void *a) {
    if (family == AF_INET && l->n4 < HTTPX__MAX_ADDRS) memcpy(l->v4[l->n4++], a, 4);
    if (family == AF_INET6 && l->n6 < HTTPX__MAX_ADDRS) memcpy(l->v6[l->n6++], a, 16);
}

/* Interleaved, IPv6 first, at most HTTPX__MAX_ADDRS. */
static void httpx__dns_list_out(const httpx__dns_list *l, int port, httpx__addrs *out) {
    int i4 = 0, i6 = 0, turn6 = 1;
    memset(out, 0, sizeof *out);
    while (out->count < HTTPX__MAX_ADDRS && (i4 < l->n4 || i6 < l->n6)) {
        int k = out->count;
        if ((turn6 && i6 < l->n6) || i4 >= l->n4)
            out->len[k] = httpx__sockaddr_make(&out->addr[k], AF_INET6, l->v6[i6++], port);
        else
            out->len[k] = httpx__sockaddr_make(&out->addr[k], AF_INET, l->v4[i4++], port);
        out->count++;
        turn6 = !turn6;
    }
}

static bool httpx__dns_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

HTTPX__PRIVATE char *httpx__dns_token(char **p) {
    char *s = *p, *t;
    while (*s && httpx__dns_space((unsigned char)*s)) s++;
    if (!*s) { *p = s; return NULL; }
    t = s;
    while (*s && !httpx__dns_space((unsigned char)*s)) s++;
    if (*s) *s++ = 0;
    *p = s;
    return t;
}

HTTPX__PRIVATE bool httpx__dns_lines_open(httpx__dns_lines *r, const char *path) {
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    r->len = r->off = 0;
    r->eof = false;
    return r->fd >= 0;
}

HTTPX__PRIVATE char *httpx__dns_lines_next(httpx__dns_lines *r) {
    size_t n = 0;
    bool any = false;
    for (;;) {
        if (r->off == r->len) {
            ssize_t got;
            if (r->eof) break;
            do got = read(r->fd, r->buf, sizeof r->buf); while (got < 0 && errno == EINTR);
            if (got <= 0) { r->eof = true; break; }
            r->len = (size_t)got;
            r->off = 0;
        }
        any = true;
        {
            char c = r->buf[r->off++];
            if (c == '\n') break;
            if (n < sizeof r->line - 1) r->line[n++] = c;
        }
    }
    r->line[n] = 0;
    return any ? r->line : NULL;
}

HTTPX__PRIVATE void httpx__dns_lines_close(httpx__dns_lines *r) {
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
}

HTTPX__PRIVATE bool httpx__dns_name_ok(const char *h) {
    size_t n = strlen(h), label = 0, i;
    if (n && h[n - 1] == '.') n--;
    if (n == 0 || n > 253) return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c == 0x7f) return false;
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (++label > 63) {
            return false;
        }
    }
    return label > 0;
}

/* ---- answers known at once: numbers, localhost, the hosts file ---- */

static bool httpx__dns_numeric(const char *host, httpx__dns_list *l) {
    unsigned char a[16];
    int n = httpx__ip_parse(host, a);
    if (n) httpx__dns_list_add(l, n == 4 ? AF_INET : AF_INET6, a);
    return n != 0;
}

static bool httpx__dns_localhost(const char *host, httpx__dns_list *l) {
    static const unsigned char lo4[4] = { 127, 0, 0, 1 };
    static const unsigned char lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    size_t n = strlen(host);
    if (n && host[n - 1] == '.') n--;
    if (!(n == 9 && httpx__mem_ieq(host, "localhost", 9)) &&
        !(n > 10 && httpx__mem_ieq(host + n - 10, ".localhost", 10)))
        return false;
    httpx__dns_list_add(l, AF_INET6, lo6);
    httpx__dns_list_add(l, AF_INET, lo4);
    return true;
}

/* Every address the hosts file gives the name (canonical name or alias). */
static bool httpx__dns_hosts(const char *path, const char *host, httpx__dns_list *l) {
    httpx__dns_lines r;
    char name[HTTPX__DNS_NAME], *line;
    size_t n = strlen(host);
    bool found = false;
    if (n >= sizeof name) return false;
    memcpy(name, host, n + 1);
    if (n && name[n - 1] == '.') name[--n] = 0;
    if (!httpx__dns_lines_open(&r, path)) return false;
    while ((line = httpx__dns_lines_next(&r)) != NULL) {
        char *p = line, *addr, *tok, *hash = strchr(line, '#');
        unsigned char a[16];
        int family;
        if (hash) *hash = 0;
        if (!(addr = httpx__dns_token(&p))) continue;
        family = httpx__ip_parse(addr, a);
        if (!family) continue;
        family = family == 4 ? AF_INET : AF_INET6;
        while ((tok = httpx__dns_token(&p)) != NULL) {
            size_t tl = strlen(tok);
            if (tl && tok[tl - 1] == '.') tok[--tl] = 0;
            if (tl == n && httpx__mem_ieq(tok, name, n)) {
                httpx__dns_list_add(l, family, a);
                found = true;
                break;
            }
        }
    }
    httpx__dns_lines_close(&r);
    return found;
}

HTTPX__PRIVATE int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...) {
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    httpx__fail(&d->err, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': %s", d->host, why);
    d->state = HTTPX__DNS_FAILED;
    if (e) *e = d->err;
    return HTTPX__BAD;
}

/* A failure that is not about the name: a host name we will not send, no
   memory, no socket. */
static httpx__dns *httpx__dns_new(const char *host, int port, httpx__err *e) {
    httpx__dns *d;
    if (!host || !*host || strlen(host) >= HTTPX__DNS_NAME) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host ? host : "");
        return NULL;
    }
    d = (httpx__dns *)httpx__malloc(sizeof *d);
    if (!d) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", host);
        return NULL;
    }
    memset(d, 0, sizeof *d);
    d->port = port;
    memcpy(d->host, host, strlen(host) + 1);
#ifndef HTTPX_DNS_THREADS
    d->fd = d->tcp_fd = -1;     /* what httpx__dns_stub_close looks at */
    d->sock_ns = -1;
#endif
    return d;
}
/* ---- the interface ---- */

HTTPX__PRIVATE httpx__dns *httpx__dns_start(const httpx__dns_config *cfg, const char *host, int port, httpx__err *e) {
    httpx__dns *d;
    HTTPX_ASSERT(port >= 0 && port <= 65535);
    d = httpx__dns_new(host, port, e);
    if (!d) return NULL;
    if (httpx__dns_numeric(host, &d->found) || httpx__dns_localhost(host, &d->found) ||
        httpx__dns_hosts(cfg && cfg->hosts_file ? cfg->hosts_file : "/etc/hosts", host, &d->found)) {
        d->state = HTTPX__DNS_DONE;
        return d;
    }
    if (!httpx__dns_name_ok(host)) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host);
        httpx__free(d);
        return NULL;
    }
#ifdef HTTPX_DNS_THREADS
    (void)cfg;
    return httpx__dns_thread_start(d, e);
#else
    return httpx__dns_stub_start(d, cfg, e);
#endif
}

HTTPX__PRIVATE httpx__sock httpx__dns_fd(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return HTTPX__NO_SOCK;
#ifdef HTTPX_DNS_THREADS
    return httpx__dns_thread_fd(d);
#else
    return httpx__dns_stub_fd(d);
#endif
}

HTTPX__PRIVATE double httpx__dns_deadline(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifdef HTTPX_DNS_THREADS
    return 0;   /* getaddrinfo keeps its own time */
#else
    return d->deadline;
#endif
}

HTTPX__PRIVATE short httpx__dns_events(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifdef HTTPX_DNS_THREADS
    return POLLIN;
#else
    return httpx__dns_stub_events(d);
#endif
}

HTTPX__PRIVATE int httpx__dns_step(httpx__dns *d, httpx__addrs *out, httpx__err *e) {
    HTTPX_ASSERT(d && out);
    if (d->state == HTTPX__DNS_RUNNING) {
#ifdef HTTPX_DNS_THREADS
        httpx__dns_thread_step(d, e);
#else
        httpx__dns_stub_step(d, e);
#endif
    }
    if (d->state == HTTPX__DNS_DONE) {
        httpx__dns_list_out(&d->found, d->port, out);
        return 1;
    }
    if (d->state == HTTPX__DNS_FAILED) {
        if (e) *e = d->err;
        return HTTPX__BAD;
    }
    return 0;
}

HTTPX__PRIVATE void httpx__dns_free(httpx__dns *d) {
    if (!d) return;
#ifdef HTTPX_DNS_THREADS
    httpx__dns_thread_close(d);
#else
    httpx__dns_stub_close(d);
#endif
    httpx__free(d);
}
