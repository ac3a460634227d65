/* net: nonblocking TCP sockets (names are resolved in dns.c). Nothing here waits: every
   call returns at once with "done", "would block" or an error; the engine's
   poll() loop does the waiting. */
#include "internal.h"
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0          /* macOS: SO_NOSIGPIPE is set on the socket instead */
#endif

HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap) {
    const struct sockaddr *sa = (const struct sockaddr *)&a->addr[i];
    char ip[64] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        port = ntohs(s4->sin_port);
        snprintf(out, cap, "%s:%d", ip, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        port = ntohs(s6->sin6_port);
        snprintf(out, cap, "[%s]:%d", ip, port);
    } else {
        snprintf(out, cap, "?");
    }
}

/* Starts a nonblocking connect to address i. Returns the fd (the connect may
   still be in progress: wait for POLLOUT, then httpx__connect_finish), or -1. */
HTTPX__PRIVATE int httpx__connect_start(const httpx__addrs *a, int i, httpx__err *e) {
    const struct sockaddr *sa = (const struct sockaddr *)&a->addr[i];
    int fd, one = 1, flags;
    char where[80];
    fd = socket(sa->sa_family, SOCK_STREAM, 0);
    if (fd < 0) {
        e->sys_errno = errno;
        httpx__fail(e, HTTPX_ERR_CONNECT, "socket(): %s", strerror(errno));
        return -1;
    }
    flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  /* requests are small and latency matters */
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    if (connect(fd, sa, a->len[i]) == 0 || errno == EINPROGRESS) return fd;
    e->sys_errno = errno;
    httpx__addr_string(a, i, where, sizeof where);
    httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", where, strerror(errno));
    close(fd);
    return -1;
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
    httpx__stream *s = (httpx__stream *)httpx__malloc(sizeof *s);
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

/* The calls through the seam; the checks keep a NULL stream harmless. */
HTTPX__PRIVATE long httpx__stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    return s->ops->send(s, p, n, e);
}
HTTPX__PRIVATE long httpx__stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    return s->ops->recv(s, p, n, e);
}
HTTPX__PRIVATE size_t httpx__stream_pending(const httpx__stream *s) { return s ? s->ops->pending(s) : 0; }
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s) { if (s) s->ops->free(s); }
