/* Unix domain sockets (httpx_client_opts.uds, as HTTPX's uds= and curl's
   --unix-socket): the connection's bottom stream is a Unix socket instead
   of TCP, and nothing else changes: HTTP/1.1, HTTP/2 with prior knowledge
   and TLS run over it, in both faces, against nginx listening on sockets in
   its temp dir. The URL's host names no machine (".invalid" cannot
   resolve): an answer can only have come through the socket. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_tls.h"
#include <stdlib.h>

static httpx__conn *first_conn(httpx_client *c) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state != HTTPX__CONN_CLOSED) return conn;
    return NULL;
}

TEST(uds_http1_blocking) {
    const char *path = fx_nginx_uds("http");
    httpx_client *c;
    httpx_response *r;
    const char *peer;
    REQUIRE(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path });
    REQUIRE(c);
    r = httpx_client_get(c, "http://nginx.invalid/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->http_version, "HTTP/1.1");
    CHECK_STR(r->content, "Hello, world!\n");
    CHECK(!r->connection_reused);
    httpx_response_free(r);
    REQUIRE(first_conn(c));
    peer = httpx__stream_query(first_conn(c)->io, HTTPX__FACT_PEER);
    CHECK_STR(peer, path);                      /* the connection says where it went */
    r = httpx_client_get(c, "http://nginx.invalid/status/404", NULL);
    CHECK_INT(r->status_code, 404);
    CHECK(r->connection_reused);                /* pooled like any other */
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

TEST(uds_http1_tasks) {
    const char *path = fx_nginx_uds("http");
    httpx_client *c;
    httpx_task *t[4];
    int i;
    REQUIRE(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path });
    for (i = 0; i < 4; i++) t[i] = httpx_client_start(c, "GET", "http://nginx.invalid/hello.txt", NULL);
    httpx_gather(c, t, 4);
    for (i = 0; i < 4; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->content, "Hello, world!\n");
        httpx_task_free(t[i]);
    }
    httpx_client_free(c);
}

/* A request body and a redirect go over the socket as over TCP. */
TEST(uds_http1_post_and_redirect) {
    const char *path = fx_nginx_uds("http");
    httpx_client *c;
    httpx_response *r;
    REQUIRE(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path, .follow_redirects = true });
    r = httpx_client_get(c, "http://localhost/redirect/x", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, world!\n");
    CHECK_STR(r->url, "http://localhost/hello.txt");
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(uds_http2_prior_knowledge_blocking_and_tasks) {
    const char *path = fx_nginx_uds("h2c");
    httpx_client *c;
    httpx_response *r;
    httpx_task *t[8];
    int i;
    REQUIRE(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path, .http2_prior_knowledge = true });
    r = httpx_client_get(c, "http://nginx.invalid/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    for (i = 0; i < 8; i++) t[i] = httpx_client_start(c, "GET", "http://nginx.invalid/hello.txt", NULL);
    httpx_gather(c, t, 8);
    for (i = 0; i < 8; i++) {
        r = httpx_task_response(t[i]);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->http_version, "HTTP/2");
        CHECK_STR(r->content, "Hello, world!\n");
        httpx_task_free(t[i]);
    }
    CHECK_INT(c->num_conns, 1);                 /* the streams shared one socket */
    httpx_client_free(c);
}

#ifdef HTTPX_BEARSSL
/* TLS over the Unix socket: the URL's host is the TLS name (SNI, the
   certificate's check), the socket is where the bytes go. */
TEST(uds_https_blocking_and_tasks) {
    const char *path = fxt_nginx_uds("tls"), *ca = fxt_cert("ca.pem");
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    REQUIRE(path && ca);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path, .tls = { .ca_file = ca } });
    r = httpx_client_get(c, "https://localhost/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    CHECK_STR(r->tls_version, "TLSv1.2");
    CHECK(r->tls_cipher[0] != 0);
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", "https://localhost/hello.txt", NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    CHECK(r->connection_reused);
    httpx_task_free(t);
    /* a name the certificate does not have fails as it would over TCP */
    r = httpx_client_get(c, "https://wrong.invalid/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK(strstr(r->error_message, "wrong.invalid") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* HTTP/2 chosen by ALPN over TLS over the Unix socket: the protocol comes
   from what the stream stack answers, whatever is at its bottom. */
TEST(uds_https_http2_by_alpn) {
    const char *path = fxt_nginx_uds("h2"), *ca = fxt_cert("ca.pem");
    httpx_client *c;
    httpx_response *r;
    httpx_task *t[4];
    int i;
    REQUIRE(path && ca);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path, .http2 = true, .tls = { .ca_file = ca } });
    r = httpx_client_get(c, "https://localhost/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK_STR(r->alpn, "h2");
    CHECK_STR(r->content, "Hello, TLS!\n");
    httpx_response_free(r);
    for (i = 0; i < 4; i++) t[i] = httpx_client_start(c, "GET", "https://localhost/hello.txt", NULL);
    httpx_gather(c, t, 4);
    for (i = 0; i < 4; i++) {
        CHECK_STR(httpx_task_response(t[i])->http_version, "HTTP/2");
        CHECK_STR(httpx_task_response(t[i])->content, "Hello, TLS!\n");
        httpx_task_free(t[i]);
    }
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}
#endif

/* No socket at the path: a connect error that names the path, in both faces. */
TEST(uds_missing_socket_names_the_path) {
    const char *dir = fx_nginx_root();
    char path[512];
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    REQUIRE(dir);
    snprintf(path, sizeof path, "%s/no-such.sock", dir);
    c = httpx_client_new(&(httpx_client_opts){ .uds = path });
    r = httpx_client_get(c, "http://localhost/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(strstr(r->error_message, path) != NULL);
    CHECK(strstr(r->error_message, "No such file") != NULL);
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", "http://localhost/", NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(strstr(r->error_message, path) != NULL);
    httpx_task_free(t);
    CHECK_INT(c->num_conns, 0);
    httpx_client_free(c);
}

/* A path longer than the system's sockaddr_un takes fails every request
   with a message, and is never cut short to another path. */
TEST(uds_path_too_long_is_refused) {
    char path[300];
    httpx_client *c;
    httpx_response *r;
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = 0;
    c = httpx_client_new(&(httpx_client_opts){ .uds = path });
    REQUIRE(c);
    r = httpx_client_get(c, "http://localhost/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "Unix socket path") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The client keeps its own copy of the path. */
TEST(uds_path_is_copied) {
    const char *path = fx_nginx_uds("http");
    char *mine;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(path);
    mine = strdup(path);
    c = httpx_client_new(&(httpx_client_opts){ .uds = mine });
    memset(mine, 'x', strlen(mine));
    free(mine);
    r = httpx_client_get(c, "http://localhost/hello.txt", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    httpx_client_free(c);
}
