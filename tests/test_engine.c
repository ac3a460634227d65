/* The engine's shape, tried end to end: connections own their setup and
   report its failure to every exchange waiting on them; the loop polls idle
   connections; the byte-stream seam carries HTTP/1.1 over a socketpair,
   plain and TLS. And the defects found by playing a hostile server, each
   with its regression test against tests/servers/rogue.py. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_dns.h"
#include "fixtures_tls.h"
#include "fixtures_script.h"
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static httpx__conn *only_conn(httpx_client *c) {
    httpx__conn *conn, *found = NULL;
    int n = 0;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state != HTTPX__CONN_CLOSED) { found = conn; n++; }
    return n == 1 ? found : NULL;
}

static int count_waiters(const httpx__conn *conn) {
    const httpx__exchange *ex;
    int n = 0;
    for (ex = conn->waiters; ex; ex = ex->conn_next) n++;
    return n;
}

/* Polls the client without any request until its connections are gone
   (a server's close noticed by the loop), or about 10 s passed. */
static int poll_until_no_connections(httpx_client *c) {
    int i;
    for (i = 0; i < 100 && c->num_conns > 0; i++) httpx_client_poll(c, 100);
    return c->num_conns;
}

/* ---- connections own their setup ---- */

#ifndef HTTPX_DNS_THREADS
static char dns_server[64];
static const char *nameservers[2] = { dns_server, NULL };

static httpx_client *slow_dns_client(int max_connections) {
    snprintf(dns_server, sizeof dns_server, "127.0.0.1:%d", fx_dns_port());
    return httpx_client_new(&(httpx_client_opts){ .nameservers = nameservers,
                                                  .limits = { .max_connections = max_connections } });
}

/* Three requests wait on one connection whose name takes 300 ms to resolve
   and whose port then refuses: every one of them gets the refusal. */
TEST(engine_setup_failure_reaches_every_waiting_exchange) {
    httpx_client *c;
    httpx_task *t[3];
    char url[128];
    int i;
    REQUIRE(fx_dns_port());
    c = slow_dns_client(1);
    snprintf(url, sizeof url, "http://delay-300.setupfail.test:1/");
    for (i = 0; i < 3; i++) t[i] = httpx_client_start(c, "GET", url, NULL);
    httpx_client_poll(c, 0);
    REQUIRE(only_conn(c));
    CHECK_INT(only_conn(c)->state, HTTPX__CONN_RESOLVING);
    CHECK_INT(count_waiters(only_conn(c)), 3);
    httpx_gather(c, t, 3);
    for (i = 0; i < 3; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        CHECK_INT(r->error, HTTPX_ERR_CONNECT);
        CHECK(strstr(r->error_message, "refused") != NULL);
        httpx_task_free(t[i]);
    }
    CHECK_INT(c->num_conns, 0);
    httpx_client_free(c);
}

/* A task cancelled while its connection resolves leaves the connection to
   the other task waiting on it, which gets its answer over it. */
TEST(engine_cancel_while_connecting_keeps_the_connection_for_others) {
    httpx_client *c;
    httpx_task *a, *b;
    httpx__conn *conn;
    httpx_response *r;
    char url[128];
    REQUIRE(fx_dns_port() && fx_nginx_port());
    c = slow_dns_client(1);
    snprintf(url, sizeof url, "http://delay-200.cancel.test:%d/hello.txt", fx_nginx_port());
    a = httpx_client_start(c, "GET", url, NULL);
    b = httpx_client_start(c, "GET", url, NULL);
    httpx_client_poll(c, 0);
    REQUIRE((conn = only_conn(c)) != NULL);
    CHECK_INT(conn->state, HTTPX__CONN_RESOLVING);
    CHECK_INT(count_waiters(conn), 2);
    httpx_task_cancel(a);
    CHECK_INT(count_waiters(conn), 1);
    r = httpx_task_wait(b);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, world!\n");
    CHECK(only_conn(c) == conn);        /* the same connection served b */
    httpx_task_free(b);
    httpx_client_free(c);
}
#endif

#ifdef HTTPX_BEARSSL
/* A listening socket that never accepts: connects complete (the kernel
   does that), the TLS handshake waits for an answer that never comes. */
static int silent_listener(int *port) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* The connection's stack is past its TCP connect, in the TLS handshake:
   what its set-up waits for, as a timeout would say it. */
static bool in_tls_handshake(const httpx__conn *conn) {
    const char *what = conn && conn->io ? httpx__stream_query(conn->io, HTTPX__FACT_SETUP) : NULL;
    return what && strncmp(what, "TLS handshake with 127.0.0.1", 28) == 0;
}

/* Three requests wait on one connection in its TLS handshake; the server
   goes away (its listening socket closes, which resets the connection): all
   three get the TLS failure. */
TEST(engine_tls_setup_failure_reaches_every_waiting_exchange) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_task *t[3];
    char url[128];
    int i, port = 0, lfd = silent_listener(&port);
    REQUIRE(lfd >= 0);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
    for (i = 0; i < 3; i++) t[i] = httpx_client_start(c, "GET", url, NULL);
    for (i = 0; i < 100 && !in_tls_handshake(only_conn(c)); i++) httpx_client_poll(c, 50);
    REQUIRE(only_conn(c));
    CHECK_INT(only_conn(c)->state, HTTPX__CONN_CONNECTING);
    CHECK(in_tls_handshake(only_conn(c)));
    CHECK_INT(count_waiters(only_conn(c)), 3);
    close(lfd);
    httpx_gather(c, t, 3);
    for (i = 0; i < 3; i++) {
        CHECK_INT(httpx_task_response(t[i])->error, HTTPX_ERR_TLS);
        httpx_task_free(t[i]);
    }
    httpx_client_free(c);
}
#endif

/* ---- the loop polls idle connections ---- */

TEST(engine_server_closing_an_idle_connection_is_noticed_without_a_request) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/keepalive-timeout/200"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    CHECK_INT(poll_until_no_connections(c), 0);
    httpx_client_free(c);
}

/* Bytes nobody asked for arrive on an idle connection: the loop closes it,
   and the next request gets its own answer on a new connection. */
TEST(engine_stray_bytes_on_an_idle_connection_close_it) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/stray-after"), NULL);
    CHECK_STR(r->content, "first");
    httpx_response_free(r);
    CHECK_INT(poll_until_no_connections(c), 0);
    r = httpx_client_get(c, fx_rogue_at("/echo/next"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(strncmp(r->content, "GET /echo/next ", 15) == 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The same, when the bytes came after the loop last looked: the check at
   reuse refuses the connection (the test waits for the bytes on the socket
   itself, so no timing is assumed). */
TEST(engine_stray_bytes_are_caught_at_reuse) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/stray-after"), NULL);
    struct pollfd p;
    CHECK_STR(r->content, "first");
    httpx_response_free(r);
    REQUIRE(only_conn(c));
    p.fd = only_conn(c)->io->fd;
    p.events = POLLIN;
    p.revents = 0;
    CHECK_INT(poll(&p, 1, 10000), 1);     /* the stray answer is in the socket now */
    r = httpx_client_get(c, fx_rogue_at("/echo/reuse"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(strncmp(r->content, "GET /echo/reuse ", 16) == 0);
    CHECK(!strstr(r->content, "stray"));
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- the byte-stream seam ---- */

/* ---- engine cases over a scripted stream: no threads, no sockets ---- */

/* A client with one pooled connection of http://script.invalid whose
   server plays sc. */
static httpx_client *script_client(fx_script *sc, const httpx_client_opts *o) {
    httpx_client *c = httpx_client_new(o);
    httpx__err e;
    httpx__stream *s = fx_script_stream(sc);
    memset(&e, 0, sizeof e);
    if (!c || !s || httpx__conn_adopt(c, "http://script.invalid/", s, false, &e) != HTTPX_OK) {
        httpx_client_free(c);
        return NULL;
    }
    return c;
}

/* The seam carries HTTP/1.1 (it once did over a socketpair and a thread). */
TEST(engine_seam_carries_http1_over_a_scripted_stream) {
    static const char *const chunks[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n", "through a ", "script!", NULL };
    fx_script sc = { .chunks = chunks };
    httpx_client *c = script_client(&sc, NULL);
    httpx_response *r;
    REQUIRE(c);
    /* a name nobody could resolve: the answer can only come through the script */
    r = httpx_client_get(c, "http://script.invalid/over/the/seam", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "through a script!");
    CHECK(strncmp(sc.sent.p, "GET /over/the/seam HTTP/1.1\r\n", 29) == 0);
    CHECK(strstr(sc.sent.p, "\r\nHost: script.invalid\r\n") != NULL);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);         /* no connection of its own was made */
    httpx_client_free(c);
    CHECK(sc.freed);
    fx_script_free(&sc);
}

/* Every response arrives one byte per recv: heads, a Content-Length body,
   a chunked body with trailers, 100 Continue before a head; keep-alive
   between them (one connection), in the blocking face and as tasks. */
static const char *const every_byte[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello", FX_WAIT,
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: x\r\n\r\n", FX_WAIT,
    "HTTP/1.1 204 No Content\r\nX-B: 2\r\n\r\n", NULL };

static void check_every_byte(httpx_response *r1, httpx_response *r2, httpx_response *r3) {
    CHECK_INT(r1->error, HTTPX_OK);
    CHECK_INT(r1->status_code, 200);
    CHECK_STR(r1->content, "hello");
    CHECK_STR(httpx_header(r1, "x-a"), "1");
    CHECK_INT(r2->error, HTTPX_OK);
    CHECK_INT(r2->status_code, 201);
    CHECK_STR(r2->content, "abcde");
    CHECK(r2->connection_reused);
    CHECK_INT(r3->error, HTTPX_OK);
    CHECK_INT(r3->status_code, 204);
    CHECK_STR(r3->content, "");
    CHECK_STR(httpx_header(r3, "x-b"), "2");
    CHECK(r3->connection_reused);
}

TEST(engine_response_split_at_every_byte_blocking) {
    fx_script sc = { .chunks = every_byte, .split = 1 };
    httpx_client *c = script_client(&sc, NULL);
    httpx_response *r[3];
    REQUIRE(c);
    r[0] = httpx_client_get(c, "http://script.invalid/a", NULL);
    r[1] = httpx_client_post(c, "http://script.invalid/b", &(httpx_opts){ .content = "body" });
    r[2] = httpx_client_get(c, "http://script.invalid/c", NULL);
    check_every_byte(r[0], r[1], r[2]);
    CHECK(sc.recvs > 100);              /* it really came a byte at a time */
    CHECK(strstr(sc.sent.p, "POST /b HTTP/1.1\r\n") != NULL);
    CHECK(strstr(sc.sent.p, "\r\n\r\nbody") != NULL);
    CHECK(strstr(sc.sent.p, "GET /c HTTP/1.1\r\n") != NULL);
    CHECK_INT(c->num_conns, 1);
    httpx_response_free(r[0]);
    httpx_response_free(r[1]);
    httpx_response_free(r[2]);
    httpx_client_free(c);
    fx_script_free(&sc);
}

TEST(engine_response_split_at_every_byte_tasks) {
    fx_script sc = { .chunks = every_byte, .split = 1 };
    httpx_client *c = script_client(&sc, &(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_task *t[3];
    int i;
    REQUIRE(c);
    t[0] = httpx_client_start(c, "GET", "http://script.invalid/a", NULL);
    t[1] = httpx_client_start(c, "POST", "http://script.invalid/b", &(httpx_opts){ .content = "body" });
    t[2] = httpx_client_start(c, "GET", "http://script.invalid/c", NULL);
    httpx_gather(c, t, 3);
    check_every_byte(httpx_task_response(t[0]), httpx_task_response(t[1]), httpx_task_response(t[2]));
    for (i = 0; i < 3; i++) httpx_task_free(t[i]);
    httpx_client_free(c);
    fx_script_free(&sc);
}

/* The server closes before the body it announced is all there: the error
   says so, whatever the piece size. */
TEST(engine_scripted_close_inside_a_body_is_an_error) {
    static const char *const chunks[] = { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", NULL };
    size_t split;
    for (split = 0; split <= 3; split += 3) {
        fx_script sc = { .chunks = chunks, .split = split, .close_at_end = true };
        httpx_client *c = script_client(&sc, NULL);
        httpx_response *r;
        REQUIRE(c);
        r = httpx_client_get(c, "http://script.invalid/", NULL);
        CHECK(r->error != HTTPX_OK);
        CHECK(r->error_message[0] != 0);
        CHECK_INT(r->status_code, 200);     /* the head had come */
        httpx_response_free(r);
        httpx_client_free(c);
        fx_script_free(&sc);
    }
}

/* A streamed read of a chunked body in pieces smaller than the chunks. */
TEST(engine_scripted_streamed_body_in_pieces) {
    static const char *const chunks[] = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "4\r\nabcd\r\n", "4\r\nefgh\r\n", "0\r\n\r\n", NULL };
    fx_script sc = { .chunks = chunks };
    httpx_client *c = script_client(&sc, NULL);
    httpx_response *r;
    char buf[3];
    long n;
    httpx__buf got;
    REQUIRE(c);
    memset(&got, 0, sizeof got);
    r = httpx_client_stream(c, "GET", "http://script.invalid/", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) httpx__buf_append(&got, buf, (size_t)n);
    CHECK_INT(n, 0);
    CHECK_INT(got.len, 8);
    CHECK(got.p && memcmp(got.p, "abcdefgh", 8) == 0);
    httpx__buf_free(&got);
    httpx_response_free(r);
    httpx_client_free(c);
    fx_script_free(&sc);
}

#ifdef HTTPX_BEARSSL
/* A relay between one end of a socketpair and nginx's TLS port: the client
   runs TLS over the other end, a stream that is not its own socket. */
typedef struct relay { int pair_fd, port; long moved; } relay;

static void *relay_run(void *arg) {
    relay *rl = (relay *)arg;
    struct sockaddr_in a;
    struct pollfd p[2];
    char buf[16384];
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)rl->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (tcp < 0 || connect(tcp, (struct sockaddr *)&a, sizeof a) != 0) goto done;
    p[0].fd = rl->pair_fd;
    p[1].fd = tcp;
    for (;;) {
        int i;
        p[0].events = p[1].events = POLLIN;
        if (poll(p, 2, 10000) <= 0) break;
        for (i = 0; i < 2; i++) {
            ssize_t n;
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0 || write(p[1 - i].fd, buf, (size_t)n) != n) goto done;
            rl->moved += n;
        }
    }
done:
    if (tcp >= 0) close(tcp);
    close(rl->pair_fd);
    return NULL;
}

TEST(engine_seam_carries_tls_over_a_socketpair) {
    int sv[2], port = fxt_nginx_port("rsa");
    pthread_t th;
    relay rl;
    httpx_client *c;
    httpx__err e;
    httpx__stream *s;
    httpx_response *r;
    char origin[96], url[128];
    REQUIRE(port && fxt_cert("ca.pem"));
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .ca_file = fxt_cert("ca.pem") } });
    memset(&e, 0, sizeof e);
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    rl.pair_fd = sv[1];
    rl.port = port;
    rl.moved = 0;
    REQUIRE(pthread_create(&th, NULL, relay_run, &rl) == 0);
    REQUIRE((s = httpx__sock_stream_new(sv[0], &e)) != NULL);
    snprintf(origin, sizeof origin, "https://localhost:%d/", port);
    snprintf(url, sizeof url, "https://localhost:%d/hello.txt", port);
    CHECK_INT(httpx__conn_adopt(c, origin, s, true, &e), HTTPX_OK);
    REQUIRE(only_conn(c));
    while (only_conn(c) && only_conn(c)->state != HTTPX__CONN_READY && c->num_conns) httpx_client_poll(c, 100);
    REQUIRE(only_conn(c) && only_conn(c)->state == HTTPX__CONN_READY);   /* the handshake ran through the relay */
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    CHECK_INT(c->num_conns, 1);         /* no connection of its own was made */
    httpx_response_free(r);
    httpx_client_free(c);               /* closes our end: the relay ends */
    pthread_join(th, NULL);
    CHECK(rl.moved > 0);
}
#endif

/* ---- defects found by a hostile server ---- */

/* A 307/308 redirect of a body larger than the first packet resends all of it. */
TEST(engine_redirect_307_and_308_resend_the_whole_body) {
    static char body[100000];
    static const int codes[] = { 307, 308 };
    httpx_client *c = httpx_client_new(NULL);
    char url[256];
    size_t i;
    memset(body, 'b', sizeof body);
    for (i = 0; i < 2; i++) {
        httpx_response *r;
        snprintf(url, sizeof url, "%s?code=%d&to=/echo/after", fx_rogue_at("/redirect"), codes[i]);
        r = httpx_client_post(c, url, &(httpx_opts){ .content = body, .content_length = sizeof body,
                                                     .follow_redirects = HTTPX_YES });
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(r->status_code, 200);
        CHECK_STR(httpx_header(r, "x-body-length"), "100000");
        httpx_response_free(r);
        /* and the connection is sane for the next request */
        r = httpx_client_get(c, fx_rogue_at("/echo/next"), NULL);
        CHECK(strncmp(r->content, "GET /echo/next ", 15) == 0);
        httpx_response_free(r);
    }
    httpx_client_free(c);
}

/* Cookie, Proxy-Authorization, Authorization and a caller's Host stay with
   their origin (127.0.0.1 and localhost are different origins). */
TEST(engine_credentials_and_host_do_not_follow_to_another_origin) {
    char url[256];
    httpx_response *r;
    const httpx_pair secrets[] = { {"Cookie", "session=s3cret"}, {"Proxy-Authorization", "Basic cHJveHk="},
                                   {"Authorization", "Bearer tok"}, {"Host", "custom.example"}, {0} };
    snprintf(url, sizeof url, "%s?to=/echo/same", fx_rogue_at("/redirect"));
    r = httpx_get(url, &(httpx_opts){ .headers = secrets, .follow_redirects = HTTPX_YES });
    CHECK(strstr(r->content, "Cookie: session=s3cret") != NULL);
    CHECK(strstr(r->content, "Host: custom.example") != NULL);
    httpx_response_free(r);
    snprintf(url, sizeof url, "%s?to=http://localhost:%d/echo/other", fx_rogue_at("/redirect"), fx_rogue_port());
    r = httpx_get(url, &(httpx_opts){ .headers = secrets, .follow_redirects = HTTPX_YES });
    CHECK_INT(r->status_code, 200);
    CHECK(strncmp(r->content, "GET /echo/other ", 16) == 0);
    CHECK(!strstr(r->content, "s3cret"));
    CHECK(!strstr(r->content, "Proxy-Authorization"));
    CHECK(!strstr(r->content, "Authorization"));
    CHECK(!strstr(r->content, "custom.example"));
    CHECK(strstr(r->content, "Host: localhost:") != NULL);
    httpx_response_free(r);
}

static const char *hits(const char *key) {
    static char count[32];
    char url[256];
    httpx_response *r;
    snprintf(url, sizeof url, "%s?key=%s", fx_rogue_at("/hits"), key);
    r = httpx_get(url, NULL);
    snprintf(count, sizeof count, "%s", r->content);
    httpx_response_free(r);
    return count;
}

/* A redirect whose body never ends is followed after a bounded read; one
   whose body breaks is not followed at all. */
TEST(engine_redirect_bodies_are_bounded_and_a_broken_one_stops) {
    char url[256], key[64];
    httpx_response *r;
    snprintf(key, sizeof key, "endless%d", (int)getpid());
    snprintf(url, sizeof url, "%s?to=/hit%%3Fkey%%3D%s", fx_rogue_at("/redirect-endless"), key);
    r = httpx_get(url, &(httpx_opts){ .follow_redirects = HTTPX_YES });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "hit");
    httpx_response_free(r);
    CHECK_STR(hits(key), "1");
    snprintf(key, sizeof key, "broken%d", (int)getpid());
    snprintf(url, sizeof url, "%s?to=/hit%%3Fkey%%3D%s", fx_rogue_at("/redirect-broken"), key);
    r = httpx_get(url, &(httpx_opts){ .follow_redirects = HTTPX_YES });
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK_INT(r->status_code, 302);
    httpx_response_free(r);
    CHECK_STR(hits(key), "0");
}

static int count_bytes(void *user, httpx_response *r, const char *data, size_t len) {
    (void)r;
    (void)data;
    *(size_t *)user += len;
    return 0;
}

/* The nonblocking face hands on_data the final body only, not a redirect's. */
TEST(engine_on_data_never_sees_a_redirect_body) {
    httpx_client *c = httpx_client_new(NULL);
    size_t got = 0;
    char url[256];
    httpx_task *t;
    httpx_response *r;
    snprintf(url, sizeof url, "%s?to=/bytes/100", fx_rogue_at("/redirect"));
    t = httpx_client_start(c, "GET", url, &(httpx_opts){ .follow_redirects = HTTPX_YES, .on_data = count_bytes,
                                                         .user_data = &got });
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(got, 100);
    httpx_task_free(t);
    httpx_client_free(c);
}

TEST(engine_interim_flood_is_an_error_with_bounded_memory) {
    httpx_response *r = httpx_get(fx_rogue_at("/interim-flood"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);          /* max_head_size bytes of them, not a count */
    CHECK(strstr(r->error_message, "interim") != NULL);
    httpx_response_free(r);
}

TEST(engine_http10_with_transfer_encoding_closes_after_the_message) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/http10-chunked"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "hello");
    CHECK_STR(r->http_version, "HTTP/1.0");
    CHECK_INT(c->num_conns, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(engine_read_misuse_sets_the_error) {
    char buf[16];
    httpx_response *r = httpx_get(fx_rogue_at("/bytes/10"), NULL);
    CHECK_INT(httpx_read(r, buf, sizeof buf), -(long)HTTPX_ERR_STREAM);
    CHECK_INT(r->error, HTTPX_ERR_STREAM);
    httpx_response_free(r);
    r = httpx_stream("GET", fx_rogue_at("/bytes/10"), NULL);
    CHECK_INT(httpx_read(r, buf, 0), -(long)HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
}

/* A bad header is the caller's error, found before any connection work. */
TEST(engine_request_is_checked_before_connecting) {
    httpx_response *r = httpx_get("http://127.0.0.1:1/", &(httpx_opts){
        .headers = (httpx_pair[]){{"X-Bad", "a\r\nInjected: 1"}, {0}} });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_HEADER);
    httpx_response_free(r);
}

/* ---- options that can say no ---- */

TEST(engine_request_no_beats_client_yes) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true,
                                                              .auth = httpx_basic_auth("u", "p") });
    char url[256];
    httpx_response *r;
    snprintf(url, sizeof url, "%s?to=/echo/x", fx_rogue_at("/redirect"));
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(strstr(r->content, "Authorization: Basic dTpw") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, url, &(httpx_opts){ .follow_redirects = HTTPX_NO });
    CHECK_INT(r->status_code, 302);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo/noauth"), &(httpx_opts){ .auth = { .kind = HTTPX_AUTH_NONE } });
    CHECK(!strstr(r->content, "Authorization"));
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo/bearer"), &(httpx_opts){ .auth = httpx_bearer_auth("t0k") });
    CHECK(strstr(r->content, "Authorization: Bearer t0k\r\n") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo/x"), &(httpx_opts){ .auth = { .kind = (httpx_auth_kind)7 } });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo/x"), &(httpx_opts){ .follow_redirects = 5 });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .auth = { .kind = (httpx_auth_kind)9 } });
    r = httpx_client_get(c, fx_rogue_at("/echo/x"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The response says which connection served it. */
TEST(engine_response_tells_about_its_connection) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_nginx_at("/hello.txt"), NULL);
    CHECK(!r->connection_reused);
    CHECK_STR(r->tls_version, "");
    CHECK_STR(r->alpn, "");
    httpx_response_free(r);
    r = httpx_client_get(c, fx_nginx_at("/hello.txt"), NULL);
    CHECK(r->connection_reused);
    httpx_response_free(r);
    httpx_client_free(c);
}
