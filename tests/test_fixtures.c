/* Tests of the test fixtures themselves, over raw sockets, so that a failure
   here points at the servers and not at the library. */
#include "test.h"
#include "fixtures.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define RAW_TIMEOUT_MS 5000

/* A blocking connection to 127.0.0.1:port; -1 and errno on failure. */
static int raw_connect(int port) {
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int raw_send(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, 0);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

typedef struct { char *p; size_t len, cap; } rawbuf;

/* Reads once (bounded wait) into b; bytes read, 0 at EOF, -1 on error/timeout. */
static long raw_read_some(int fd, rawbuf *b) {
    struct pollfd pf;
    ssize_t r;
    if (b->cap - b->len < 65536) {
        char *q = (char *)realloc(b->p, b->cap = b->cap * 2 + 65536 + 1);
        if (!q) return -1;
        b->p = q;
    }
    pf.fd = fd;
    pf.events = POLLIN;
    if (poll(&pf, 1, RAW_TIMEOUT_MS) != 1) return -1;
    r = recv(fd, b->p + b->len, b->cap - b->len - 1, 0);
    if (r < 0) return -1;
    b->len += (size_t)r;
    b->p[b->len] = 0;
    return (long)r;
}

static const char *body_of(const rawbuf *b) {
    const char *e = b->p ? strstr(b->p, "\r\n\r\n") : NULL;
    return e ? e + 4 : NULL;
}

/* One Content-Length response from fd appended to b (no chunked support:
   the tests below only use it on such responses). Returns 0 when complete. */
static int raw_read_response(int fd, rawbuf *b) {
    size_t start = b->len;
    for (;;) {
        const char *head = b->p ? b->p + start : NULL;
        const char *e = head ? strstr(head, "\r\n\r\n") : NULL;
        if (e) {
            const char *cl = strstr(head, "Content-Length: ");
            size_t need = (size_t)(e + 4 - head) + (cl && cl < e ? strtoul(cl + 16, NULL, 10) : 0);
            if (b->len - start >= need) return 0;
        }
        if (raw_read_some(fd, b) <= 0) return -1;
    }
}

/* Sends req on a new connection and reads until the server closes. */
static int raw_exchange(int port, const char *req, size_t reqlen, rawbuf *b) {
    int fd = raw_connect(port);
    long r;
    memset(b, 0, sizeof *b);
    if (fd < 0) return -1;
    if (raw_send(fd, req, reqlen) != 0) { close(fd); return -1; }
    while ((r = raw_read_some(fd, b)) > 0) {}
    close(fd);
    return r == 0 && b->len > 0 ? 0 : -1;
}

static int raw_get(int port, const char *path, rawbuf *b) {
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    return raw_exchange(port, req, (size_t)n, b);
}

TEST(fixture_ports) {
    int free_port = fx_free_port(), closed = fx_closed_port(), fd;
    CHECK(free_port > 0);
    REQUIRE(closed > 0);
    CHECK_INT(fx_closed_port(), closed);
    fd = raw_connect(closed);
    CHECK(fd < 0);
    CHECK_INT(errno, ECONNREFUSED);
    if (fd >= 0) close(fd);
    CHECK_STR(fx_url(8080, "/x?y"), "http://127.0.0.1:8080/x?y");
}

TEST(fixture_nginx_files) {
    int port = fx_nginx_port();
    rawbuf b;
    const char *body;
    size_t i, n;
    REQUIRE(port > 0);
    CHECK_STR(fx_nginx_url(), fx_url(port, ""));

    REQUIRE(raw_get(port, "/hello.txt", &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK_STR(body_of(&b), "Hello, world!\n");
    free(b.p);

    REQUIRE(raw_get(port, "/1mb.bin", &b) == 0);
    body = body_of(&b);
    REQUIRE(body);
    n = b.len - (size_t)(body - b.p);
    CHECK_INT(n, 1 << 20);
    for (i = 0; i < n; i++)
        if ((unsigned char)body[i] != ((i * 7 + 3) & 0xff)) break;
    CHECK_INT(i, n);
    free(b.p);

    REQUIRE(raw_get(port, "/small.bin", &b) == 0);
    body = body_of(&b);
    REQUIRE(body);
    CHECK_INT(b.len - (size_t)(body - b.p), 128);
    CHECK(body[0] == 0 && (unsigned char)body[127] == 127);
    free(b.p);
}

TEST(fixture_nginx_locations) {
    int port = fx_nginx_port();
    rawbuf b;
    REQUIRE(port > 0);
    REQUIRE(raw_get(port, "/status/404", &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 404 ", 13) == 0);
    free(b.p);
    REQUIRE(raw_get(port, "/status/301", &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 301 ", 13) == 0);
    CHECK(strstr(b.p, "\r\nLocation: /hello.txt\r\n") != NULL);
    free(b.p);
    REQUIRE(raw_get(port, "/loop", &b) == 0);
    CHECK(strstr(b.p, "\r\nLocation: /loop\r\n") != NULL);
    free(b.p);
    REQUIRE(raw_get(port, "/gzip/hello.txt", &b) == 0);
    CHECK_STR(body_of(&b), "Hello, world!\n");
    free(b.p);
}

TEST(fixture_nginx_write_file) {
    rawbuf b;
    REQUIRE(fx_nginx_port() > 0);
    REQUIRE(fx_nginx_write_file("fixture/dir/new.txt", "fresh\n", 6) == 0);
    CHECK(fx_nginx_write_file("../escape.txt", "x", 1) != 0);
    REQUIRE(raw_get(fx_nginx_port(), "/fixture/dir/new.txt", &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK_STR(body_of(&b), "fresh\n");
    free(b.p);
}

TEST(fixture_rogue_echo) {
    static const char req[] =
        "POST /echo?a=1 HTTP/1.1\r\nHost: x\r\nX-Odd:  spaced \r\nContent-Length: 5\r\n"
        "Connection: close\r\n\r\nhello";
    static const char chunked[] =
        "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n";
    int port = fx_rogue_port();
    rawbuf b;
    REQUIRE(port > 0);
    CHECK_STR(fx_rogue_url(), fx_url(port, ""));
    REQUIRE(raw_exchange(port, req, sizeof req - 1, &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(b.p, "\r\nX-Body-Length: 5\r\n") && strstr(b.p, "\r\nX-Chunked: 0\r\n"));
    CHECK_STR(body_of(&b), req);
    free(b.p);

    REQUIRE(raw_exchange(port, chunked, sizeof chunked - 1, &b) == 0);
    CHECK(strstr(b.p, "\r\nX-Body-Length: 5\r\n") && strstr(b.p, "\r\nX-Chunked: 1\r\n"));
    CHECK_STR(body_of(&b),
              "PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nabcde");
    free(b.p);
}

TEST(fixture_rogue_keepalive) {
    static const char req[] = "GET /conn-id HTTP/1.1\r\nHost: x\r\n\r\n";
    int port = fx_rogue_port(), fd;
    rawbuf b1, b2, b3;
    REQUIRE(port > 0);
    memset(&b1, 0, sizeof b1);
    memset(&b2, 0, sizeof b2);
    fd = raw_connect(port);
    REQUIRE(fd >= 0);
    CHECK(raw_send(fd, req, sizeof req - 1) == 0 && raw_read_response(fd, &b1) == 0);
    CHECK(raw_send(fd, req, sizeof req - 1) == 0 && raw_read_response(fd, &b2) == 0);
    close(fd);
    REQUIRE(raw_get(port, "/conn-id", &b3) == 0);
    REQUIRE(body_of(&b1) && body_of(&b2) && body_of(&b3));
    CHECK(atoi(body_of(&b1)) > 0);
    CHECK_STR(body_of(&b1), body_of(&b2));                 /* the same connection */
    CHECK(strcmp(body_of(&b1), body_of(&b3)) != 0);        /* a new one */
    free(b1.p);
    free(b2.p);
    free(b3.p);
}

TEST(fixture_rogue_misbehaves) {
    int port = fx_rogue_port();
    rawbuf b;
    const char *body;
    REQUIRE(port > 0);
    REQUIRE(raw_get(port, "/chunked/20", &b) == 0);
    body = body_of(&b);
    REQUIRE(body);
    CHECK(strncmp(body, "1;ext=1\r\n\x00\r\n2\r\n\x01\x02\r\n", 17) == 0);
    CHECK(b.len > 22 && memcmp(b.p + b.len - 22, "0\r\nX-Trailer: done\r\n\r\n", 22) == 0);
    free(b.p);

    REQUIRE(raw_get(port, "/close-mid-body", &b) == 0);
    body = body_of(&b);
    REQUIRE(body);
    CHECK(strstr(b.p, "Content-Length: 100\r\n") != NULL);
    CHECK_INT(b.len - (size_t)(body - b.p), 10);
    free(b.p);

    /* close-delimited is read to the end, bad responses come as written */
    REQUIRE(raw_get(port, "/close-delimited", &b) == 0);
    CHECK_STR(body_of(&b), "until close");
    free(b.p);
    REQUIRE(raw_get(port, "/bad/header-name", &b) == 0);
    CHECK(strstr(b.p, "\r\nBad Header: x\r\n") != NULL);
    free(b.p);
}

TEST(fixture_nginx_proxies_echo) {
    rawbuf b;
    int port = fx_nginx_port();
    REQUIRE(port > 0);
    REQUIRE(fx_rogue_port() > 0);
    REQUIRE(raw_get(port, "/echo/via-nginx", &b) == 0);
    CHECK(strncmp(b.p, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(body_of(&b) && strncmp(body_of(&b), "GET /echo/via-nginx HTTP/1.1\r\n", 30) == 0);
    free(b.p);
}
