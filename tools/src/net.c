/* net: nonblocking TCP sockets (names are resolved in dns.c), and the few
   platform helpers the other components share (socket set-up, addresses as
   text, random bytes). Nothing here waits: every call returns at once with
   "done", "would block" or an error; the engine's poll() loop does the
   waiting. */
#include "internal.h"
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>

/* ---- platform helpers ---- */

HTTPX__PRIVATE bool httpx__fd_nonblock(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

HTTPX__PRIVATE int httpx__socket(int family, int type) {
    int fd = socket(family, type, 0);
    if (fd < 0) return -1;
    if (!httpx__fd_nonblock(fd)) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    return fd;
}

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
    } else {
        snprintf(out, cap, "?");
    }
}

HTTPX__PRIVATE bool httpx__random(void *p, size_t n) {
    unsigned char *out = (unsigned char *)p;
    size_t got = 0;
    int fd;
    do fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC); while (fd < 0 && errno == EINTR);
    if (fd < 0) return false;
    while (got < n) {
        ssize_t r = read(fd, out + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

/* ---- TCP ---- */

HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap) {
    HTTPX_ASSERT(i >= 0 && i < a->count && cap > 0);
    httpx__sockaddr_string((const struct sockaddr *)&a->addr[i], out, cap);
}

/* Starts a nonblocking connect to address i. Returns the fd (the connect may
   still be in progress: wait for POLLOUT, then httpx__connect_finish), or
   HTTPX__BAD. */
HTTPX__PRIVATE int httpx__connect_start(const httpx__addrs *a, int i, httpx__err *e) {
    const struct sockaddr *sa = (const struct sockaddr *)&a->addr[i];
    int fd, one = 1;
    char where[80];
    HTTPX_ASSERT(i >= 0 && i < a->count);
    fd = httpx__socket(sa->sa_family, SOCK_STREAM);
    if (fd < 0) {
        e->sys_errno = errno;
        httpx__fail(e, HTTPX_ERR_CONNECT, "socket(): %s", strerror(errno));
        return HTTPX__BAD;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  /* requests are small and latency matters */
    if (connect(fd, sa, a->len[i]) == 0 || errno == EINPROGRESS) return fd;
    e->sys_errno = errno;
    httpx__addr_string(a, i, where, sizeof where);
    httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", where, strerror(e->sys_errno));
    close(fd);
    return HTTPX__BAD;
}

/* After POLLOUT on a connecting socket: did it connect? */
HTTPX__PRIVATE httpx_error httpx__connect_finish(int fd, const httpx__addrs *a, int i, httpx__err *e) {
    int err = 0;
    socklen_t len = (socklen_t)sizeof err;
    char where[80];
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err == 0) return HTTPX_OK;
    e->sys_errno = err;
    httpx__addr_string(a, i, where, sizeof where);
    return httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", where, strerror(err));
}

/* >0 bytes sent, HTTPX__AGAIN, HTTPX__BAD (errno kept in e). */
HTTPX__PRIVATE long httpx__sock_send(int fd, const void *p, size_t n, httpx__err *e) {
    ssize_t r;
    for (;;) {
        r = send(fd, p, n, MSG_NOSIGNAL);
        if (r >= 0) return (long)r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return HTTPX__AGAIN;
        e->sys_errno = errno;
        httpx__fail(e, HTTPX_ERR_WRITE, "send failed: %s", strerror(errno));
        return HTTPX__BAD;
    }
}

/* >0 bytes received, 0 the peer closed, HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__sock_recv(int fd, void *p, size_t n, httpx__err *e) {
    ssize_t r;
    for (;;) {
        r = recv(fd, p, n, 0);
        if (r >= 0) return (long)r;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return HTTPX__AGAIN;
        e->sys_errno = errno;
        httpx__fail(e, HTTPX_ERR_READ, "receive failed: %s", strerror(errno));
        return HTTPX__BAD;
    }
}

HTTPX__PRIVATE void httpx__sock_close(int fd) { if (fd >= 0) close(fd); }

HTTPX__PRIVATE int httpx__poll(struct pollfd *fds, size_t n, int timeout_ms) {
    int rc = poll(fds, (nfds_t)n, timeout_ms);
    if (rc < 0 && errno == EINTR) return 0;
    return rc;
}

/* ---- the socket stream: the bottom of every network connection ---- */

static long httpx__sock_stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    s->want = POLLOUT;
    return httpx__sock_send(s->fd, p, n, e);
}

static long httpx__sock_stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    s->want = POLLIN;
    return httpx__sock_recv(s->fd, p, n, e);
}

static size_t httpx__sock_stream_pending(const httpx__stream *s) { (void)s; return 0; }

static void httpx__sock_stream_free(httpx__stream *s) {
    httpx__sock_close(s->fd);
    httpx__free(s);
}

static const httpx__stream_ops httpx__sock_stream_ops = {
    httpx__sock_stream_send, httpx__sock_stream_recv, httpx__sock_stream_pending, httpx__sock_stream_free
};

HTTPX__PRIVATE httpx__stream *httpx__sock_stream_new(int fd, httpx__err *e) {
    httpx__stream *s;
    HTTPX_ASSERT(fd >= 0);
    s = (httpx__stream *)httpx__malloc(sizeof *s);
    if (!s) {
        httpx__sock_close(fd);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
        return NULL;
    }
    s->ops = &httpx__sock_stream_ops;
    s->fd = fd;
    s->want = 0;
    return s;
}

/* The calls through the seam. The ops always get an httpx__err to fill, so
   that no stream needs a scratch one of its own. */
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
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s) { if (s) s->ops->free(s); }
