/* net: the network's bottom streams (TCP, trying a name's addresses in
   turn, and Unix domain sockets; names are resolved in dns.c), the socket
   calls the resolver shares, addresses as text, and the calls through the
   stream seam. Nothing here waits: every call returns at once with "done",
   "would block" or an error; the engine's poll loop does the waiting. */
#include "internal.h"
#include "net_internal.h"
#include <stdio.h>
#if defined(_WIN32)
#include <afunix.h>             /* sockaddr_un: Windows 10 1803 and later */
#else
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#ifdef HTTPX_DNS_THREADS
#include <netdb.h>
#endif
#endif

/* ---- addresses ---- */

HTTPX__PRIVATE socklen_t httpx__sockaddr_make(struct sockaddr_storage *ss, int family, const void *ip, int port) {
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        memcpy(&s6->sin6_addr, ip, 16);
        return (socklen_t)sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        memcpy(&s4->sin_addr, ip, 4);
        return (socklen_t)sizeof *s4;
    }
}

HTTPX__PRIVATE int httpx__sockaddr_ip(const struct sockaddr *sa, unsigned char out[16]) {
    if (sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return 4;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return 16;
    }
    return 0;
}

HTTPX__PRIVATE void httpx__sockaddr_string(const struct sockaddr *sa, char *out, size_t cap) {
    char ip[64] = "?";
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        snprintf(out, cap, "%s:%d", ip, ntohs(s4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        snprintf(out, cap, "[%s]:%d", ip, ntohs(s6->sin6_port));
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *su = (const struct sockaddr_un *)(const void *)sa;
        snprintf(out, cap, "%.*s", (int)sizeof su->sun_path, su->sun_path);
    } else {
        snprintf(out, cap, "?");
    }
}

HTTPX__PRIVATE int httpx__ip_parse(const char *s, unsigned char out[16]) {
    if (inet_pton(AF_INET, s, out) == 1) return 4;
    if (inet_pton(AF_INET6, s, out) == 1) return 16;
    return 0;
}

#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE void httpx__ip_string(const unsigned char *ip, int len, char *out, size_t cap) {
    char text[64];
    if (!inet_ntop(len == 16 ? AF_INET6 : AF_INET, ip, text, sizeof text)) snprintf(text, sizeof text, "?");
    snprintf(out, cap, "%s", text);
}
#endif

HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap) {
    HTTPX_ASSERT(i >= 0 && i < a->count && cap > 0);
    httpx__sockaddr_string((const struct sockaddr *)&a->addr[i], out, cap);
}

HTTPX__PRIVATE httpx_error httpx__addrs_unix(httpx__addrs *a, const char *path, httpx__err *e) {
    struct sockaddr_un *su = (struct sockaddr_un *)&a->addr[0];
    size_t n = path ? strlen(path) : 0;
    memset(a, 0, sizeof *a);
    if (n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the Unix socket path (uds) is empty");
    if (n >= sizeof su->sun_path)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the Unix socket path (uds) is %lu bytes long: "
                           "this system takes at most %lu", (unsigned long)n, (unsigned long)sizeof su->sun_path - 1);
    su->sun_family = AF_UNIX;
    memcpy(su->sun_path, path, n + 1);
    a->len[0] = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    a->count = 1;
    return HTTPX_OK;
}

#ifdef HTTPX_DNS_THREADS
HTTPX__PRIVATE const char *httpx__lookup_blocking(const char *host, void (*add)(void *ctx, int family, const void *ip),
                                                  void *ctx) {
    struct addrinfo hints, *res = NULL, *ai;
    int rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    rc = getaddrinfo(host, NULL, &hints, &res);
#ifdef EAI_ADDRFAMILY
    if (rc == EAI_ADDRFAMILY) rc = EAI_NONAME;
#endif
    if (rc == EAI_NONAME) {   /* AI_ADDRCONFIG hides everything on a host with only loopback */
        hints.ai_flags = 0;
        rc = getaddrinfo(host, NULL, &hints, &res);
    }
    if (rc != 0) return gai_strerror(rc);
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            add(ctx, AF_INET, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr);
        else if (ai->ai_family == AF_INET6)
            add(ctx, AF_INET6, &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr);
    }
    freeaddrinfo(res);
    return NULL;
}
#endif

/* ---- socket calls ---- */

HTTPX__PRIVATE long httpx__sock_write(httpx__sock fd, const void *p, size_t n) {
    for (;;) {
        ssize_t r = send(fd, (const char *)p, HTTPX__IO_LEN(n), MSG_NOSIGNAL);
        if (r >= 0) return (long)r;
        if (HTTPX__INTERRUPTED(HTTPX__SOCK_ERRNO())) continue;
        return HTTPX__WOULD_BLOCK(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
    }
}

HTTPX__PRIVATE long httpx__sock_read(httpx__sock fd, void *p, size_t n) {
    for (;;) {
        ssize_t r = recv(fd, (char *)p, HTTPX__IO_LEN(n), 0);
        if (r >= 0) return (long)r;
        if (HTTPX__INTERRUPTED(HTTPX__SOCK_ERRNO())) continue;
        return HTTPX__WOULD_BLOCK(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
    }
}

HTTPX__PRIVATE int httpx__sock_connect(httpx__sock fd, const struct sockaddr *sa, socklen_t len) {
    if (connect(fd, sa, len) == 0) return 0;
    return HTTPX__IN_PROGRESS(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
}

HTTPX__PRIVATE int httpx__sock_error(httpx__sock fd) {
    int err = 0;
    socklen_t len = (socklen_t)sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, (char *)&err, &len) < 0) err = HTTPX__SOCK_ERRNO();
    return err;
}

/* >0 bytes sent, HTTPX__AGAIN, HTTPX__BAD (errno kept in e). */
HTTPX__PRIVATE long httpx__sock_send(httpx__sock fd, const void *p, size_t n, httpx__err *e) {
    long r = httpx__sock_write(fd, p, n);
    if (r == HTTPX__BAD) {
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_WRITE, "send failed: %s", httpx__sock_strerror(e->sys_errno));
    }
    return r;
}

/* >0 bytes received, 0 the peer closed, HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__sock_recv(httpx__sock fd, void *p, size_t n, httpx__err *e) {
    long r = httpx__sock_read(fd, p, n);
    if (r == HTTPX__BAD) {
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_READ, "receive failed: %s", httpx__sock_strerror(e->sys_errno));
    }
    return r;
}

/* ---- the socket stream: the bottom of every network connection ----
   One type for TCP (the addresses of a name, tried in turn), a Unix domain
   socket (one address) and a socket connected elsewhere (adopted). */

typedef struct httpx__sock_stream {
    httpx__stream base;               /* first: it is a stream */
    httpx__addrs addrs;               /* the addresses to try; count 0 when adopted */
    int index;                        /* the one being tried */
    bool ready;                       /* connected */
    double all_deadline;              /* when the whole connect fails (0: never) */
    double timeout;                   /* the whole budget, seconds, for messages */
    char peer[112];                   /* the address being tried or connected: a path fits */
    unsigned char local_ip[16];       /* local_address to connect from (local_len 4 or 16; 0 none) */
    int local_len;
    char setup[144];                  /* "connect to <peer> not done" */
} httpx__sock_stream;

static httpx__sock_stream *httpx__ss_of(const httpx__stream *s) {
    return (httpx__sock_stream *)(void *)(uintptr_t)s;
}

/* Binds the socket being set up to the local address (port 0: the
   system's choice), so that the connection comes from it. */
static httpx_error httpx__ss_bind(httpx__sock_stream *ss, httpx__err *e) {
    struct sockaddr_storage local;
    char text[64] = "?";
    int family = ss->local_len == 16 ? AF_INET6 : AF_INET;
    socklen_t len = httpx__sockaddr_make(&local, family, ss->local_ip, 0);
    if (bind(ss->base.fd, (const struct sockaddr *)&local, len) == 0) return HTTPX_OK;
    e->sys_errno = errno;
    inet_ntop(family, ss->local_ip, text, sizeof text);
    return httpx__fail(e, HTTPX_ERR_CONNECT, "cannot connect from local_address %s: bind: %s", text,
                       strerror(e->sys_errno));
}

/* Starts connecting to addrs[index] or a later address. Spreads what is
   left of the time over the addresses left, so that one dead address of a
   name cannot eat the whole budget. 1 connected at once, HTTPX__AGAIN,
   HTTPX__BAD (no address left; e says why the last one failed). */
static int httpx__ss_start(httpx__sock_stream *ss, httpx__err *e) {
    httpx__stream *s = &ss->base;
    for (; ss->index < ss->addrs.count; ss->index++) {
        const struct sockaddr *sa = (const struct sockaddr *)&ss->addrs.addr[ss->index];
        int rc, one = 1;
        httpx__addr_string(&ss->addrs, ss->index, ss->peer, sizeof ss->peer);
        snprintf(ss->setup, sizeof ss->setup, "connect to %s not done", ss->peer);
        if (ss->local_len && (sa->sa_family == AF_INET6) != (ss->local_len == 16)) {
            /* a socket of one family cannot reach the other: skipped (an earlier address's failure says more) */
            if (!e->code)
                httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cannot connect to %s from local_address, an IPv%d address",
                            ss->peer, ss->local_len == 16 ? 6 : 4);
            continue;
        }
        s->fd = httpx__socket(sa->sa_family, SOCK_STREAM);
        if (s->fd == HTTPX__NO_SOCK) {
            e->sys_errno = HTTPX__SOCK_ERRNO();
            httpx__fail(e, HTTPX_ERR_CONNECT, "socket(): %s", httpx__sock_strerror(e->sys_errno));
            continue;
        }
        if (ss->local_len && httpx__ss_bind(ss, e)) {
            httpx__sock_close(s->fd);
            s->fd = HTTPX__NO_SOCK;
            continue;
        }
        if (sa->sa_family != AF_UNIX)   /* requests are small and latency matters */
            setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        rc = httpx__sock_connect(s->fd, sa, ss->addrs.len[ss->index]);
        if (rc == 0) {
            ss->ready = true;
            s->deadline = 0;
            return 1;
        }
        if (rc == HTTPX__AGAIN) {
            int left = ss->addrs.count - ss->index;
            double now = httpx__now();
            s->want = POLLOUT;
            s->deadline = ss->all_deadline ? now + (ss->all_deadline - now) / left : 0;
            return HTTPX__AGAIN;
        }
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", ss->peer, httpx__sock_strerror(e->sys_errno));
        httpx__sock_close(s->fd);
        s->fd = HTTPX__NO_SOCK;
    }
    if (!e->code) httpx__fail(e, HTTPX_ERR_CONNECT, "no address to connect to");
    return HTTPX__BAD;
}

static int httpx__ss_connect(httpx__stream *s, httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_of(s);
    bool timed_out;
    httpx__pollfd p;
    int err;
    if (ss->ready) return 1;
    if (s->fd == HTTPX__NO_SOCK) return httpx__ss_start(ss, e);
    timed_out = s->deadline && httpx__now() >= s->deadline;
    if (!timed_out) {
        p.fd = s->fd;
        p.events = POLLOUT;
        p.revents = 0;
        if (httpx__poll(&p, 1, 0) == 0) return HTTPX__AGAIN;   /* still connecting: want stays POLLOUT */
        err = httpx__sock_error(s->fd);
        if (err == 0) {
            ss->ready = true;
            s->want = 0;
            s->deadline = 0;
            return 1;
        }
        e->sys_errno = err;
        httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", ss->peer, httpx__sock_strerror(err));
    }
    httpx__sock_close(s->fd);
    s->fd = HTTPX__NO_SOCK;
    if (++ss->index >= ss->addrs.count) {
        if (timed_out)
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect to %s timed out after %.3g s", ss->peer, ss->timeout);
        return HTTPX__BAD;
    }
    return httpx__ss_start(ss, e);
}

static long httpx__ss_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    s->want = POLLOUT;
    return httpx__sock_send(s->fd, p, n, e);
}

static long httpx__ss_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    s->want = POLLIN;
    return httpx__sock_recv(s->fd, p, n, e);
}

static size_t httpx__ss_pending(const httpx__stream *s) { (void)s; return 0; }

static const char *httpx__ss_query(const httpx__stream *s, int fact) {
    const httpx__sock_stream *ss = httpx__ss_of(s);
    if (fact == HTTPX__FACT_PEER) return ss->peer[0] ? ss->peer : NULL;
    if (fact == HTTPX__FACT_SETUP) return ss->ready || !ss->setup[0] ? NULL : ss->setup;
    return NULL;
}

static void httpx__ss_free(httpx__stream *s) {
    httpx__sock_close(s->fd);
    httpx__free(s);
}

static const httpx__stream_ops httpx__sock_stream_ops = {
    httpx__ss_connect, httpx__ss_send, httpx__ss_recv, httpx__ss_pending, httpx__ss_query, httpx__ss_free
};

static httpx__sock_stream *httpx__ss_new(httpx__err *e) {
    httpx__sock_stream *ss = (httpx__sock_stream *)httpx__malloc(sizeof *ss);
    if (!ss) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
        return NULL;
    }
    memset(ss, 0, sizeof *ss);
    ss->base.ops = &httpx__sock_stream_ops;
    ss->base.fd = HTTPX__NO_SOCK;
    return ss;
}

#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE httpx__stream *httpx__sock_stream_new(httpx__sock fd, httpx__err *e) {
    httpx__sock_stream *ss;
    HTTPX_ASSERT(fd != HTTPX__NO_SOCK);
    if (!(ss = httpx__ss_new(e))) {
        httpx__sock_close(fd);
        return NULL;
    }
    ss->base.fd = fd;
    ss->ready = true;
    return &ss->base;
}
#endif

HTTPX__PRIVATE httpx__stream *httpx__tcp_stream_new(const httpx__addrs *a, double deadline, double timeout,
                                                    httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_new(e);
    if (!ss) return NULL;
    ss->addrs = *a;
    ss->all_deadline = deadline;
    ss->timeout = timeout;
    return &ss->base;
}

HTTPX__PRIVATE void httpx__tcp_stream_bind(httpx__stream *s, const unsigned char *ip, int len) {
    httpx__sock_stream *ss = httpx__ss_of(s);
    HTTPX_ASSERT(len == 4 || len == 16);
    memcpy(ss->local_ip, ip, (size_t)len);
    ss->local_len = len;
}

HTTPX__PRIVATE httpx__stream *httpx__unix_stream_new(const char *path, httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_new(e);
    if (!ss) return NULL;
    if (httpx__addrs_unix(&ss->addrs, path, e)) {
        httpx__free(ss);
        return NULL;
    }
    return &ss->base;
}

/* ---- the calls through the seam ----
   The ops always get an httpx__err to fill, so that no stream needs a
   scratch one of its own. */

HTTPX__PRIVATE int httpx__stream_connect(httpx__stream *s, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops);
    if (!e) {
        memset(&scratch, 0, sizeof scratch);
        e = &scratch;
    }
    return s->ops->connect(s, e);
}
HTTPX__PRIVATE long httpx__stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops && (p || n == 0));
    return s->ops->send(s, p, n, e ? e : &scratch);
}
HTTPX__PRIVATE long httpx__stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops && (p || n == 0));
    return s->ops->recv(s, p, n, e ? e : &scratch);
}
HTTPX__PRIVATE size_t httpx__stream_pending(const httpx__stream *s) { return s ? s->ops->pending(s) : 0; }
HTTPX__PRIVATE const char *httpx__stream_query(const httpx__stream *s, int fact) {
    for (; s; s = s->lower) {
        const char *answer = s->ops->query(s, fact);
        if (answer) return answer;
    }
    return NULL;
}
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s) { if (s) s->ops->free(s); }
