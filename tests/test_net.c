/* The helpers of net.c and base.c the components share (sockets, addresses
   as text, random bytes, hex), and HTTPX_ASSERT catching misuse that the
   internal docs forbid (in a child process, which must die of it). */
#include "test.h"
#include "fixtures.h"
#include <poll.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

TEST(net_sockaddr_make_and_string) {
    struct sockaddr_storage ss;
    unsigned char v4[4] = { 192, 0, 2, 7 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    char text[80];
    v6[15] = 1;
    CHECK_INT(httpx__sockaddr_make(&ss, AF_INET, v4, 8080), sizeof(struct sockaddr_in));
    httpx__sockaddr_string((const struct sockaddr *)&ss, text, sizeof text);
    CHECK_STR(text, "192.0.2.7:8080");
    CHECK_INT(httpx__sockaddr_make(&ss, AF_INET6, v6, 443), sizeof(struct sockaddr_in6));
    httpx__sockaddr_string((const struct sockaddr *)&ss, text, sizeof text);
    CHECK_STR(text, "[2001:db8::1]:443");
    memset(&ss, 0, sizeof ss);   /* AF_UNSPEC */
    httpx__sockaddr_string((const struct sockaddr *)&ss, text, sizeof text);
    CHECK_STR(text, "?");
    CHECK_INT(httpx__sockaddr_make(&ss, AF_INET, v4, 1), sizeof(struct sockaddr_in));
    httpx__sockaddr_string((const struct sockaddr *)&ss, text, 6);   /* cut, still a C string */
    CHECK_STR(text, "192.0");
}

TEST(net_socket_never_blocks_and_is_closed_on_exec) {
    int fd = httpx__socket(AF_INET, SOCK_STREAM), fds[2];
    REQUIRE(fd >= 0);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    CHECK_INT(httpx__socket(12345, SOCK_STREAM), -1);   /* no such family */
    REQUIRE(pipe(fds) == 0);
    CHECK(httpx__fd_nonblock(fds[0]));
    CHECK(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
    CHECK(!(fcntl(fds[1], F_GETFL) & O_NONBLOCK));
    close(fds[0]);
    close(fds[1]);
    CHECK(!httpx__fd_nonblock(fds[0]));   /* closed: fcntl fails, and it says so */
}

TEST(net_random_bytes) {
    unsigned char a[32], b[32], zero[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    memset(zero, 0, sizeof zero);
    REQUIRE(httpx__random(a, sizeof a));
    REQUIRE(httpx__random(b, sizeof b));
    CHECK(memcmp(a, b, sizeof a) != 0);     /* 2^-256 to fail by chance */
    CHECK(memcmp(a, zero, sizeof a) != 0);
    CHECK(httpx__random(a, 0));
}

TEST(base_hex_and_splitmix) {
    static const unsigned char bytes[] = { 0x00, 0x09, 0xab, 0xff };
    char out[9];
    uint64_t state = 0;
    int c;
    for (c = 0; c < 256; c++) {
        int want = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (httpx__hex_value(c) != want) test_fail(__FILE__, __LINE__, "hex value of %d: %d", c, httpx__hex_value(c));
    }
    CHECK_INT(httpx__hex_value(-1), -1);
    CHECK_INT(httpx__hex_digit(10, true), 'A');
    CHECK_INT(httpx__hex_digit(10, false), 'a');
    CHECK_INT(httpx__hex_digit(0x1f, false), 'f');   /* the low four bits */
    memset(out, 0, sizeof out);
    httpx__hex_encode(out, bytes, sizeof bytes);
    CHECK_STR(out, "0009abff");
    /* splitmix64's published first output for the seed 0 */
    CHECK(httpx__splitmix64(&state) == 0xE220A8397B1DCDAFULL);
    CHECK(state == 0x9E3779B97F4A7C15ULL);
}

/* ---- the bottom streams set themselves up ---- */

/* A port nobody listens on (bound, never listened: connects are refused). */
static int refusing_port(int *fd) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(*fd, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* Connects s, polling what it asks for; the last result. */
static int connect_until_done(httpx__stream *s, httpx__err *e) {
    int rc, i;
    for (i = 0; i < 1000 && (rc = httpx__stream_connect(s, e)) == HTTPX__AGAIN; i++) {
        struct pollfd p;
        p.fd = s->fd;
        p.events = s->want;
        p.revents = 0;
        poll(&p, 1, 100);
    }
    return rc;
}

/* TCP tries the addresses in turn: a refusing one, then nginx; the peer
   it reports is the one that answered. */
TEST(net_tcp_stream_tries_addresses_in_turn) {
    static const unsigned char lo[4] = { 127, 0, 0, 1 };
    int fd, dead = refusing_port(&fd), live = fx_nginx_port();
    httpx__addrs a;
    httpx__stream *s;
    httpx__err e;
    char want[32];
    REQUIRE(dead && live);
    memset(&a, 0, sizeof a);
    memset(&e, 0, sizeof e);
    a.len[0] = httpx__sockaddr_make(&a.addr[0], AF_INET, lo, dead);
    a.len[1] = httpx__sockaddr_make(&a.addr[1], AF_INET, lo, live);
    a.count = 2;
    REQUIRE((s = httpx__tcp_stream_new(&a, httpx__now() + 10, 10, &e)) != NULL);
    CHECK_INT(connect_until_done(s, &e), 1);
    snprintf(want, sizeof want, "127.0.0.1:%d", live);
    CHECK_STR(httpx__stream_query(s, HTTPX__FACT_PEER), want);
    CHECK(httpx__stream_query(s, HTTPX__FACT_SETUP) == NULL);     /* nothing left to wait for */
    CHECK(httpx__stream_query(s, HTTPX__FACT_ALPN) == NULL);      /* TCP knows no ALPN */
    CHECK_INT(httpx__stream_connect(s, &e), 1);                   /* ready stays ready */
    CHECK_INT(httpx__stream_send(s, "GET /hello.txt HTTP/1.0\r\n\r\n", 27, &e), 27);
    httpx__stream_free(s);
    /* only refusing addresses: the error names the last one */
    a.count = 1;
    memset(&e, 0, sizeof e);
    REQUIRE((s = httpx__tcp_stream_new(&a, 0, -1, &e)) != NULL);
    CHECK_INT(connect_until_done(s, &e), HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_CONNECT);
    snprintf(want, sizeof want, "127.0.0.1:%d", dead);
    CHECK(strstr(e.msg, want) != NULL);
    CHECK(strstr(e.msg, "refused") != NULL);
    httpx__stream_free(s);
    close(fd);
}

TEST(net_unix_stream_refuses_bad_paths) {
    char path[200];
    httpx__err e;
    memset(&e, 0, sizeof e);
    CHECK(httpx__unix_stream_new("", &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = 0;
    memset(&e, 0, sizeof e);
    CHECK(httpx__unix_stream_new(path, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(e.msg, "199 bytes") != NULL);
}

/* ---- HTTPX_ASSERT: documented misuse stops the program ---- */

static httpx__stream *sock_stream(void) {
    int fds[2];
    httpx__err e;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return NULL;
    close(fds[1]);
    return httpx__sock_stream_new(fds[0], &e);
}

static void misuse_send_null(void) { httpx__stream_send(NULL, "x", 1, NULL); }
static void misuse_recv_null(void) { char c; httpx__stream_recv(NULL, &c, 1, NULL); }
static void misuse_recv_into_null(void) { httpx__stream_recv(sock_stream(), NULL, 1, NULL); }
static void misuse_inline_buf_without_room(void) { char m[1]; httpx__buf b; httpx__buf_init_inline(&b, m, 0); }
static void misuse_broken_buf(void) { httpx__buf b; memset(&b, 0, sizeof b); b.len = 5; httpx__buf_putc(&b, 'x'); }
static void misuse_dns_port(void) { httpx__err e; httpx__dns_free(httpx__dns_start(NULL, "127.0.0.1", 70000, &e)); }
static void misuse_connect_null(void) { httpx__stream_connect(NULL, NULL); }

/* Runs fn in a child; true when the child died of SIGABRT (assert). */
static bool aborts(void (*fn)(void)) {
    int status = 0;
    pid_t pid;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);   /* the assert message is expected */
        signal(SIGABRT, SIG_DFL);
        fn();
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

TEST(assert_catches_misuse_of_the_lower_layers) {
    CHECK(aborts(misuse_send_null));
    CHECK(aborts(misuse_recv_null));
    CHECK(aborts(misuse_recv_into_null));
    CHECK(aborts(misuse_inline_buf_without_room));
    CHECK(aborts(misuse_broken_buf));
    CHECK(aborts(misuse_dns_port));
    CHECK(aborts(misuse_connect_null));
    httpx__stream_free(NULL);   /* documented as fine */
    CHECK_INT(httpx__stream_pending(NULL), 0);
}
