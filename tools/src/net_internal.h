/* net_internal.h: nonblocking sockets (net.c) and the byte streams over them.
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__NET_INTERNAL_H
#define HTTPX__NET_INTERNAL_H
#include "internal.h"
/* ---- net: nonblocking sockets (the system calls are platform.c's and net.c's) ---- */

/* Fills ss with family (AF_INET: ip is 4 bytes, AF_INET6: 16) and port;
   returns its length. */
HTTPX__PRIVATE socklen_t httpx__sockaddr_make(struct sockaddr_storage *ss, int family, const void *ip, int port);
/* The address of an IPv4 or IPv6 sockaddr as bytes: 4, 16, or 0 (another family). */
HTTPX__PRIVATE int httpx__sockaddr_ip(const struct sockaddr *sa, unsigned char out[16]);
/* "1.2.3.4:80", "[::1]:443", a Unix socket's path, or "?". */
HTTPX__PRIVATE void httpx__sockaddr_string(const struct sockaddr *sa, char *out, size_t cap);
/* An IP literal as bytes: 4 (IPv4), 16 (IPv6), or 0 when s is not one. */
HTTPX__PRIVATE int httpx__ip_parse(const char *s, unsigned char out[16]);
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
/* The text of a 4- or 16-byte address. */
HTTPX__PRIVATE void httpx__ip_string(const unsigned char *ip, int len, char *out, size_t cap);
#endif

#define HTTPX__MAX_ADDRS 8
typedef struct httpx__addrs {
    struct sockaddr_storage addr[HTTPX__MAX_ADDRS];
    socklen_t len[HTTPX__MAX_ADDRS];
    int count;
} httpx__addrs;
HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap);
/* Makes a the one address of a Unix domain socket. HTTPX_ERR_INVALID_ARGUMENT
   when the path is empty or longer than the system allows. */
HTTPX__PRIVATE httpx_error httpx__addrs_unix(httpx__addrs *a, const char *path, httpx__err *e);
#ifdef HTTPX_DNS_THREADS
/* getaddrinfo, which blocks (a helper thread runs it): add gets each IPv4
   and IPv6 address. NULL, or why the name did not resolve. */
HTTPX__PRIVATE const char *httpx__lookup_blocking(const char *host, void (*add)(void *ctx, int family, const void *ip),
                                                  void *ctx);
#endif
/* Raw socket calls, errno kept: a count (>= 0), HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__sock_write(httpx__sock fd, const void *p, size_t n);
HTTPX__PRIVATE long httpx__sock_read(httpx__sock fd, void *p, size_t n);
/* connect(): 0 connected, HTTPX__AGAIN in progress (wait for POLLOUT, then
   httpx__sock_error), HTTPX__BAD (errno set). */
HTTPX__PRIVATE int httpx__sock_connect(httpx__sock fd, const struct sockaddr *sa, socklen_t len);
/* The error of a finished nonblocking connect (0: connected). */
HTTPX__PRIVATE int httpx__sock_error(httpx__sock fd);
/* >0 bytes, HTTPX__AGAIN, HTTPX__BAD (e filled); recv also 0 when the peer closed. */
HTTPX__PRIVATE long httpx__sock_send(httpx__sock fd, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__sock_recv(httpx__sock fd, void *p, size_t n, httpx__err *e);

/* ---- streams: the byte-stream seam under the protocols ----
   A connection talks through a stack of streams, bottom first: a TCP socket
   or a Unix domain socket, then TLS over it (over any stream: a tunnel, a
   socketpair in a test), or a stream with no fd at all (a scripted one in
   the engine tests). As curl's connection filters, each stream sets itself
   up (connect: the lower stream's first, then its own handshake), moves
   bytes, and answers questions about itself (query: what it does not know
   goes to the stream below). Every call returns at once. */
typedef struct httpx__stream httpx__stream;

/* What httpx__stream_query asks. Answers are strings the stream owns (valid
   while it lives); NULL: nobody in the stack knows. */
enum httpx__stream_fact {
    HTTPX__FACT_ALPN,           /* what ALPN chose: "h2", "http/1.1"; "" when TLS chose none */
    HTTPX__FACT_TLS_VERSION,    /* "TLSv1.2" once the handshake is done */
    HTTPX__FACT_TLS_CIPHER,     /* OpenSSL's name of the cipher suite */
    HTTPX__FACT_PEER,           /* the address connected to (or being tried): "1.2.3.4:80", a path */
    HTTPX__FACT_SETUP           /* what the set-up waits for, in words, for a timeout's message */
};

typedef struct httpx__stream_ops {
    /* Sets the stream up (the lower stream first): 1 ready (and stays so),
       HTTPX__AGAIN (s->want, s->fd and s->deadline say what to wait for),
       HTTPX__BAD. A stream made ready returns 1 at once. Called again on
       readiness, or when s->deadline passed. */
    int (*connect)(httpx__stream *s, httpx__err *e);
    /* Called through httpx__stream_send/recv, which never pass e == NULL. */
    /* >0 bytes taken, HTTPX__AGAIN (s->want says what to poll for), HTTPX__BAD */
    long (*send)(httpx__stream *s, const void *p, size_t n, httpx__err *e);
    /* >0 bytes, 0 the peer closed cleanly, HTTPX__AGAIN (s->want set), HTTPX__BAD */
    long (*recv)(httpx__stream *s, void *p, size_t n, httpx__err *e);
    /* bytes already inside the stream that a poll() of fd would not report */
    size_t (*pending)(const httpx__stream *s);
    /* An answer (enum httpx__stream_fact), or NULL: ask the stream below. */
    const char *(*query)(const httpx__stream *s, int fact);
    /* closes, frees the stream and the stream below it */
    void (*free)(httpx__stream *s);
} httpx__stream_ops;
struct httpx__stream {
    const httpx__stream_ops *ops;
    httpx__stream *lower;   /* the stream it runs over; NULL at the bottom */
    httpx__sock fd;         /* what to poll (the socket at the bottom); HTTPX__NO_SOCK: none */
    short want;             /* POLLIN and/or POLLOUT: what the last HTTPX__AGAIN waits for */
    double deadline;        /* connect: when the current step gives up (httpx__now), 0 none */
};
#ifdef HTTPX__TEST_HOOKS   /* used by the tests until transports adopt sockets */
/* A stream over a connected socket; it owns fd (closed by free). NULL: out of
   memory (fd is closed then too). */
HTTPX__PRIVATE httpx__stream *httpx__sock_stream_new(httpx__sock fd, httpx__err *e);
#endif
/* A stream that connects over TCP to the addresses in turn (a copy of a),
   spreading the time left until deadline (0: none) over them; timeout is the
   whole budget in seconds, for messages. NULL: out of memory. */
HTTPX__PRIVATE httpx__stream *httpx__tcp_stream_new(const httpx__addrs *a, double deadline, double timeout,
                                                    httpx__err *e);
/* Connections of s (a TCP stream, before it connects) are made from the
   local address ip (len 4: IPv4, 16: IPv6; port chosen by the system);
   target addresses of the other family are skipped. */
HTTPX__PRIVATE void httpx__tcp_stream_bind(httpx__stream *s, const unsigned char *ip, int len);
/* A stream that connects to the Unix domain socket at path. NULL: out of
   memory or a path the system cannot take (e says which). */
HTTPX__PRIVATE httpx__stream *httpx__unix_stream_new(const char *path, httpx__err *e);
HTTPX__PRIVATE int  httpx__stream_connect(httpx__stream *s, httpx__err *e);
HTTPX__PRIVATE long httpx__stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE size_t httpx__stream_pending(const httpx__stream *s);
/* The first answer down the stack, or NULL. */
HTTPX__PRIVATE const char *httpx__stream_query(const httpx__stream *s, int fact);
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s);   /* NULL is fine */

#endif /* HTTPX__NET_INTERNAL_H */
