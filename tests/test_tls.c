/* TLS over BearSSL: the backend of tools/src/tls.c driven directly over a
   socket of our own, then end to end through the client. Servers: nginx with
   one TLS server block per certificate case and tls_server.py for what nginx
   cannot be made to do (tests/fixtures_tls.h); certificates made at run time
   by tests/tls/gencerts.sh. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_tls.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HTTPX_BEARSSL

TEST(tls_https_without_bearssl_says_how_to_enable) {
    httpx_response *r = httpx_get("https://127.0.0.1:1/", NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_UNSUPPORTED_PROTOCOL);
    CHECK(strstr(r->error_message, "HTTPX_BEARSSL") != NULL);
    httpx_response_free(r);
}

#else

#include <bearssl.h>

/* ---- driving the backend by hand ---- */

static int tcp_connect(int port) {
    struct sockaddr_in a;
    struct pollfd p;
    int fd = socket(AF_INET, SOCK_STREAM, 0), err = 0;
    socklen_t elen = sizeof err;
    if (fd < 0) return -1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        p.fd = fd;
        p.events = POLLOUT;
        if (errno != EINPROGRESS || poll(&p, 1, 5000) != 1 ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

static int wait_fd(int fd, short want) {
    struct pollfd p;
    p.fd = fd;
    p.events = want;
    return poll(&p, 1, 10000) == 1;
}

/* What one exchange over a fresh connection gave. */
typedef struct fetch_result {
    int rc;                 /* 0 ok, -1 failed (err) */
    httpx__err err;
    httpx__buf resp;        /* the raw response */
    char alpn[16];
    int clean_close;        /* recv ended with 0 (close_notify) */
} fetch_result;

/* Connects to port, handshakes as host, sends `method path` (with body, if
   any) and reads until the server closes. Everything nonblocking, driven by
   poll like the engine does. */
static void fetch_body(httpx__tls_config *cfg, const char *host, int port, const char *method, const char *path,
                       const char *body, size_t body_len, fetch_result *out) {
    httpx__stream *t;
    int fd, rc;
    httpx__buf req;
    size_t sent = 0;
    memset(out, 0, sizeof *out);
    out->rc = -1;
    fd = tcp_connect(port);
    if (fd < 0) { httpx__fail(&out->err, HTTPX_ERR_CONNECT, "connect to %d failed", port); return; }
    t = httpx__sock_stream_new(fd, &out->err);
    if (t) t = httpx__tls_stream_new(cfg, host, port, false, t, &out->err);
    if (!t) return;
    while ((rc = httpx__stream_connect(t, &out->err)) == HTTPX__AGAIN)
        if (!wait_fd(fd, t->want)) { httpx__fail(&out->err, HTTPX_ERR_CONNECT_TIMEOUT, "handshake timeout"); break; }
    if (rc != 1) goto done;
    snprintf(out->alpn, sizeof out->alpn, "%s",
             httpx__stream_query(t, HTTPX__FACT_ALPN) ? httpx__stream_query(t, HTTPX__FACT_ALPN) : "");
    memset(&req, 0, sizeof req);
    httpx__buf_printf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, path, host);
    if (body) httpx__buf_printf(&req, "Content-Length: %zu\r\n", body_len);
    httpx__buf_puts(&req, "\r\n");
    if (body) httpx__buf_append(&req, body, body_len);
    while (sent < req.len) {
        long w = httpx__stream_send(t, req.p + sent, req.len - sent, &out->err);
        if (w == HTTPX__BAD) { httpx__buf_free(&req); goto done; }
        if (w == HTTPX__AGAIN) {
            if (!wait_fd(fd, t->want)) { httpx__fail(&out->err, HTTPX_ERR_WRITE_TIMEOUT, "send timeout"); break; }
            continue;
        }
        sent += (size_t)w;
    }
    httpx__buf_free(&req);
    for (;;) {
        char buf[7000];
        long r = httpx__stream_recv(t, buf, sizeof buf, &out->err);
        if (r > 0) { httpx__buf_append(&out->resp, buf, (size_t)r); continue; }
        if (r == 0) { out->clean_close = 1; out->rc = 0; break; }
        if (r == HTTPX__BAD) break;
        if (httpx__stream_pending(t) != 0) { httpx__fail(&out->err, HTTPX_ERR_READ, "pending but would block"); break; }
        if (!wait_fd(fd, t->want)) { httpx__fail(&out->err, HTTPX_ERR_READ_TIMEOUT, "read timeout"); break; }
    }
done:
    httpx__stream_free(t);   /* closes fd too */
}

static void fetch(httpx__tls_config *cfg, const char *host, int port, const char *path, fetch_result *out) {
    fetch_body(cfg, host, port, "GET", path, NULL, 0, out);
}

static int status_of(const fetch_result *f) {
    int st = 0;
    if (f->resp.p) sscanf(f->resp.p, "HTTP/1.1 %d", &st);
    return st;
}

static const char *body_of(const fetch_result *f) {
    const char *p = f->resp.p ? strstr(f->resp.p, "\r\n\r\n") : NULL;
    return p ? p + 4 : "";
}

/* A response header's value (first line that starts with "name: "). */
static const char *header_of(const fetch_result *f, const char *name) {
    static _Thread_local char v[256];
    const char *p = f->resp.p, *end = p ? strstr(p, "\r\n\r\n") : NULL;
    size_t n = strlen(name);
    if (!end) return NULL;
    for (p = strstr(p, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            const char *s = p + 3 + n, *e = strstr(s, "\r\n");
            while (*s == ' ') s++;
            snprintf(v, sizeof v, "%.*s", (int)(e - s), s);
            return v;
        }
    }
    return NULL;
}

static httpx__tls_config *config(const httpx_tls_opts *o) {
    httpx__err e;
    httpx__tls_config *cfg;
    memset(&e, 0, sizeof e);
    cfg = httpx__tls_config_new(o, &e);
    if (!cfg) fprintf(stderr, "config: %s\n", e.msg);
    return cfg;
}

/* A config trusting the test CA (ca.pem). */
static httpx__tls_config *test_ca_config(void) {
    httpx_tls_opts o;
    memset(&o, 0, sizeof o);
    o.ca_file = fxt_cert("ca.pem");
    return o.ca_file ? config(&o) : NULL;
}

/* The environment may set SSL_CERT_FILE and SSL_CERT_DIR (this one does):
   tests that need them otherwise save them and put them back. */
typedef struct saved_env { char *file, *dir, *keylog; } saved_env;
static saved_env env_clear(void) {
    saved_env s;
    const char *f = getenv("SSL_CERT_FILE"), *d = getenv("SSL_CERT_DIR"), *k = getenv("SSLKEYLOGFILE");
    s.file = f ? strdup(f) : NULL;
    s.dir = d ? strdup(d) : NULL;
    s.keylog = k ? strdup(k) : NULL;
    unsetenv("SSL_CERT_FILE");
    unsetenv("SSL_CERT_DIR");
    unsetenv("SSLKEYLOGFILE");
    return s;
}
static void env_restore(saved_env *s) {
    if (s->file) setenv("SSL_CERT_FILE", s->file, 1); else unsetenv("SSL_CERT_FILE");
    if (s->dir) setenv("SSL_CERT_DIR", s->dir, 1); else unsetenv("SSL_CERT_DIR");
    if (s->keylog) setenv("SSLKEYLOGFILE", s->keylog, 1); else unsetenv("SSLKEYLOGFILE");
    free(s->file);
    free(s->dir);
    free(s->keylog);
}

#define NGINX(name) int port = fxt_nginx_port(name); REQUIRE(port)

/* ---- good certificates ---- */

static void check_good(httpx__tls_config *cfg, const char *host, int port, const char *sni) {
    fetch_result f;
    fetch(cfg, host, port, "/hello.txt", &f);
    if (f.rc != 0) test_fail(__FILE__, __LINE__, "%s port %d: %s", host, port, f.err.msg);
    CHECK_INT(status_of(&f), 200);
    CHECK_STR(body_of(&f), "Hello, TLS!\n");
    CHECK_STR(header_of(&f, "X-Protocol"), "TLSv1.2");
    if (*sni) CHECK_STR(header_of(&f, "X-SNI"), sni);
    else CHECK(header_of(&f, "X-SNI") == NULL);   /* nginx leaves out an empty header */
    CHECK_STR(header_of(&f, "X-ALPN"), "http/1.1");
    CHECK_STR(f.alpn, "http/1.1");
    CHECK(f.clean_close);   /* nginx ends with close_notify */
    httpx__buf_free(&f.resp);
}

TEST(tls_rsa_by_ip_and_by_name) {
    httpx__tls_config *cfg;
    NGINX("rsa");
    REQUIRE((cfg = test_ca_config()));
    check_good(cfg, "127.0.0.1", port, "");       /* IP SAN; no SNI for an IP literal */
    check_good(cfg, "localhost", port, "localhost");
    check_good(cfg, "LOCALHOST", port, "LOCALHOST");  /* names match case-insensitively */
    check_good(cfg, "localhost.", port, "localhost");  /* the root's dot is not part of the name */
    httpx__tls_config_free(cfg);
}

TEST(tls_ecdsa_certificate) {
    httpx__tls_config *cfg;
    NGINX("ec");
    REQUIRE((cfg = test_ca_config()));
    check_good(cfg, "127.0.0.1", port, "");
    check_good(cfg, "localhost", port, "localhost");
    httpx__tls_config_free(cfg);
}

TEST(tls_chain_through_intermediate) {
    httpx__tls_config *cfg;
    NGINX("chain");
    REQUIRE((cfg = test_ca_config()));
    check_good(cfg, "127.0.0.1", port, "");
    httpx__tls_config_free(cfg);
}

TEST(tls_server_name_override) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    fetch_result f;
    int wrong = fxt_nginx_port("wronghost");
    NGINX("rsa");
    REQUIRE(wrong);
    memset(&o, 0, sizeof o);
    o.ca_file = fxt_cert("ca.pem");
    o.server_name = "wrong.example";    /* what wronghost.pem is for */
    REQUIRE((cfg = config(&o)));
    fetch(cfg, "127.0.0.1", wrong, "/hello.txt", &f);
    CHECK_INT(f.rc, 0);
    CHECK_INT(status_of(&f), 200);
    CHECK_STR(header_of(&f, "X-SNI"), "wrong.example");
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
    o.server_name = "::1";               /* an IPv6 literal: checked against the IP SANs */
    REQUIRE((cfg = config(&o)));
    check_good(cfg, "127.0.0.1", port, "");
    o.server_name = "10.9.8.7";          /* in wronghost.pem only */
    httpx__tls_config_free(cfg);
    REQUIRE((cfg = config(&o)));
    fetch(cfg, "127.0.0.1", port, "/hello.txt", &f);
    CHECK_INT(f.rc, -1);
    CHECK(strstr(f.err.msg, "host name mismatch") != NULL);
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
}

TEST(tls_big_download_and_upload) {
    httpx__tls_config *cfg;
    fetch_result f;
    char *up;
    size_t i, n = 300000;
    const char *b;
    NGINX("rsa");
    REQUIRE((cfg = test_ca_config()));
    fetch(cfg, "127.0.0.1", port, "/1mb.bin", &f);
    CHECK_INT(f.rc, 0);
    b = body_of(&f);
    REQUIRE(f.resp.len - (size_t)(b - f.resp.p) == (1u << 20));
    for (i = 0; i < (1u << 20); i++)
        if ((unsigned char)b[i] != ((i * 7 + 3) & 0xff)) { test_fail(__FILE__, __LINE__, "byte %zu differs", i); break; }
    httpx__buf_free(&f.resp);
    up = (char *)malloc(n);
    REQUIRE(up);
    memset(up, 'u', n);
    fetch_body(cfg, "127.0.0.1", port, "POST", "/upload", up, n, &f);
    CHECK_INT(f.rc, 0);
    CHECK_STR(body_of(&f), "got 300000\n");
    httpx__buf_free(&f.resp);
    free(up);
    httpx__tls_config_free(cfg);
}

/* AES-GCM through AES-NI and PCLMUL when the CPU has them, else ChaCha20. */
TEST(tls_cipher_suite_follows_the_cpu) {
    httpx__tls_config *cfg;
    fetch_result f;
    bool hw = br_aes_x86ni_ctr_get_vtable() != NULL && br_ghash_pclmul_get() != 0;
    NGINX("rsa");
    REQUIRE((cfg = test_ca_config()));
    fetch(cfg, "127.0.0.1", port, "/hello.txt", &f);
    CHECK_INT(f.rc, 0);
    CHECK_STR(header_of(&f, "X-Cipher"), hw ? "ECDHE-RSA-AES128-GCM-SHA256" : "ECDHE-RSA-CHACHA20-POLY1305");
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
}

/* Decrypted bytes wait in the engine where poll cannot see them. */
TEST(tls_pending_counts_buffered_plaintext) {
    httpx__tls_config *cfg;
    httpx__stream *t;
    httpx__err e;
    int fd, rc;
    long r;
    char c;
    static const char req[] = "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    size_t sent = 0;
    NGINX("rsa");
    REQUIRE((cfg = test_ca_config()));
    memset(&e, 0, sizeof e);
    REQUIRE((fd = tcp_connect(port)) >= 0);
    t = httpx__sock_stream_new(fd, &e);
    REQUIRE(t);
    t = httpx__tls_stream_new(cfg, "localhost", port, false, t, &e);
    REQUIRE(t);
    CHECK_INT(httpx__stream_pending(t), 0);
    CHECK(httpx__stream_query(t, HTTPX__FACT_ALPN) == NULL);   /* not known before the handshake */
    while ((rc = httpx__stream_connect(t, &e)) == HTTPX__AGAIN) CHECK(wait_fd(fd, t->want));
    CHECK_INT(rc, 1);
    CHECK_INT(httpx__stream_connect(t, &e), 1);   /* done stays done */
    while (sent < sizeof req - 1) {
        long w = httpx__stream_send(t, req + sent, sizeof req - 1 - sent, &e);
        REQUIRE(w != HTTPX__BAD);
        if (w == HTTPX__AGAIN) { CHECK(wait_fd(fd, t->want)); continue; }
        sent += (size_t)w;
    }
    while ((r = httpx__stream_recv(t, &c, 1, &e)) == HTTPX__AGAIN) CHECK(wait_fd(fd, t->want));
    CHECK_INT(r, 1);
    CHECK_INT(c, 'H');
    CHECK(httpx__stream_pending(t) > 0);   /* the rest of the record */
    httpx__stream_free(t);
    httpx__tls_config_free(cfg);
}

/* ---- bad certificates fail closed, each with its reason ---- */

static void check_bad(httpx__tls_config *cfg, const char *server, const char *host, int want_errno, const char *why) {
    fetch_result f;
    int port = fxt_nginx_port(server);
    if (!port) { test_fail(__FILE__, __LINE__, "no nginx for %s", server); return; }
    fetch(cfg, host, port, "/hello.txt", &f);
    if (f.rc != -1 || f.err.code != HTTPX_ERR_TLS || f.err.sys_errno != want_errno || !strstr(f.err.msg, why))
        test_fail(__FILE__, __LINE__, "%s as %s: rc %d, code %d, errno %d, \"%s\"; expected errno %d and \"%s\"",
                  server, host, f.rc, (int)f.err.code, f.err.sys_errno, f.err.msg, want_errno, why);
    CHECK_INT(f.resp.len, 0);   /* no byte of HTTP went either way */
    httpx__buf_free(&f.resp);
}

TEST(tls_bad_certificates_fail_with_reason) {
    httpx__tls_config *cfg;
    REQUIRE((cfg = test_ca_config()));
    check_bad(cfg, "expired", "127.0.0.1", BR_ERR_X509_EXPIRED, "the certificate has expired");
    check_bad(cfg, "notyet", "localhost", BR_ERR_X509_EXPIRED, "the certificate is not yet valid");
    check_bad(cfg, "wronghost", "127.0.0.1", BR_ERR_X509_BAD_SERVER_NAME, "host name mismatch");
    check_bad(cfg, "wronghost", "localhost", BR_ERR_X509_BAD_SERVER_NAME, "host name mismatch");
    check_bad(cfg, "rsa", "127.0.0.2", BR_ERR_X509_BAD_SERVER_NAME, "not valid for 127.0.0.2");
    check_bad(cfg, "rsa", "other.localhost", BR_ERR_X509_BAD_SERVER_NAME, "host name mismatch");
    check_bad(cfg, "selfsigned", "localhost", BR_ERR_X509_NOT_TRUSTED, "unknown CA");
    check_bad(cfg, "otherca", "127.0.0.1", BR_ERR_X509_NOT_TRUSTED, "unknown CA");
    httpx__tls_config_free(cfg);
}

TEST(tls_handshake_failures_name_the_cause) {
    httpx__tls_config *cfg;
    fetch_result f;
    int hangup = fxt_py_port("hangup");
    REQUIRE((cfg = test_ca_config()));
    check_bad(cfg, "nosuite", "localhost", BR_ERR_RECV_FATAL_ALERT + 40, "alert 40 (handshake_failure)");
    check_bad(cfg, "tls13", "localhost", BR_ERR_RECV_FATAL_ALERT + 70, "alert 70 (protocol_version)");
    REQUIRE(hangup);
    fetch(cfg, "127.0.0.1", hangup, "/", &f);
    CHECK_INT(f.rc, -1);
    CHECK_INT(f.err.code, HTTPX_ERR_TLS);
    CHECK_INT(f.err.sys_errno, BR_ERR_IO);
    CHECK(strstr(f.err.msg, "closed the connection during the handshake") != NULL);
    httpx__tls_config_free(cfg);
}

TEST(tls_no_verify_accepts_anything) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    static const char *const servers[] = { "expired", "notyet", "wronghost", "selfsigned", "otherca", "ec" };
    size_t i;
    memset(&o, 0, sizeof o);
    o.no_verify = true;
    REQUIRE((cfg = config(&o)));
    for (i = 0; i < sizeof servers / sizeof servers[0]; i++) {
        fetch_result f;
        int port = fxt_nginx_port(servers[i]);
        REQUIRE(port);
        fetch(cfg, "localhost", port, "/hello.txt", &f);
        if (f.rc != 0) test_fail(__FILE__, __LINE__, "%s: %s", servers[i], f.err.msg);
        CHECK_STR(body_of(&f), "Hello, TLS!\n");
        httpx__buf_free(&f.resp);
    }
    httpx__tls_config_free(cfg);
}

/* ---- where trust comes from ---- */

TEST(tls_ca_pem_in_memory_and_pinned_self_signed) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    char *pem;
    int ss = fxt_nginx_port("selfsigned");
    NGINX("rsa");
    REQUIRE(ss);
    memset(&o, 0, sizeof o);
    REQUIRE((pem = test_read_file(fxt_cert("ca.pem"), NULL)));
    o.ca_pem = pem;
    REQUIRE((cfg = config(&o)));
    check_good(cfg, "localhost", port, "localhost");
    httpx__tls_config_free(cfg);
    free(pem);
    /* a self-signed server certificate given as the one trusted certificate */
    REQUIRE((pem = test_read_file(fxt_cert("selfsigned.pem"), NULL)));
    o.ca_pem = pem;
    REQUIRE((cfg = config(&o)));
    check_good(cfg, "localhost", ss, "localhost");
    httpx__tls_config_free(cfg);
    free(pem);
}

TEST(tls_ssl_cert_file_and_dir_are_honoured) {
    httpx__tls_config *cfg;
    saved_env saved;
    char dir[] = "/tmp/httpx-certdir-XXXXXX", path[600];
    char *pem;
    FILE *f;
    NGINX("rsa");
    saved = env_clear();
    setenv("SSL_CERT_FILE", fxt_cert("ca.pem"), 1);
    cfg = config(NULL);
    unsetenv("SSL_CERT_FILE");
    if (!cfg) env_restore(&saved);
    REQUIRE(cfg);
    check_good(cfg, "localhost", port, "localhost");
    httpx__tls_config_free(cfg);

    setenv("SSL_CERT_FILE", fxt_cert("other-ca.pem"), 1);
    cfg = config(NULL);
    unsetenv("SSL_CERT_FILE");
    if (!cfg) env_restore(&saved);
    REQUIRE(cfg);
    check_bad(cfg, "rsa", "localhost", BR_ERR_X509_NOT_TRUSTED, "unknown CA");
    httpx__tls_config_free(cfg);

    /* SSL_CERT_DIR: a bundle under one of the usual names in it */
    REQUIRE(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/cert.pem", dir);
    REQUIRE((pem = test_read_file(fxt_cert("ca.pem"), NULL)));
    REQUIRE((f = fopen(path, "w")));
    fputs(pem, f);
    fclose(f);
    free(pem);
    setenv("SSL_CERT_DIR", dir, 1);
    cfg = config(NULL);
    unsetenv("SSL_CERT_DIR");
    remove(path);
    rmdir(dir);
    env_restore(&saved);
    REQUIRE(cfg);
    check_good(cfg, "localhost", port, "localhost");
    httpx__tls_config_free(cfg);
}

TEST(tls_system_store_does_not_know_the_test_ca) {
    httpx__tls_config *cfg;
    httpx__err e;
    saved_env saved = env_clear();
    memset(&e, 0, sizeof e);
    cfg = httpx__tls_config_new(NULL, &e);
    env_restore(&saved);
    if (!cfg) {   /* a machine without a CA bundle: the message says so */
        CHECK(strstr(e.msg, "no system CA certificates") != NULL);
        return;
    }
    check_bad(cfg, "rsa", "localhost", BR_ERR_X509_NOT_TRUSTED, "unknown CA");
    httpx__tls_config_free(cfg);
}

TEST(tls_config_errors) {
    httpx_tls_opts o;
    httpx__err e;
    memset(&o, 0, sizeof o);
    memset(&e, 0, sizeof e);
    o.ca_file = "/nonexistent/ca.pem";
    CHECK(httpx__tls_config_new(&o, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_TLS);
    CHECK(strstr(e.msg, "cannot read /nonexistent/ca.pem") != NULL);
    o.ca_file = NULL;
    o.ca_pem = "no certificates here\n";
    CHECK(httpx__tls_config_new(&o, &e) == NULL);
    CHECK(strstr(e.msg, "no usable CA certificate") != NULL);
    o.ca_pem = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    CHECK(httpx__tls_config_new(&o, &e) == NULL);
    CHECK(strstr(e.msg, "not valid PEM") != NULL);
    o.ca_pem = NULL;
    o.no_verify = true;
    o.cert_file = fxt_cert("client-rsa.pem");
    CHECK(httpx__tls_config_new(&o, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
    o.key_file = fxt_cert("client-rsa.pem");   /* a certificate where the key should be */
    CHECK(httpx__tls_config_new(&o, &e) == NULL);
    CHECK(strstr(e.msg, "no private key") != NULL);
}

/* ---- mutual TLS ---- */

static void check_mtls(const char *cert, const char *key, int want_status, const char *want_body) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    fetch_result f;
    int port = fxt_nginx_port("mtls");
    if (!port) { test_fail(__FILE__, __LINE__, "no mtls nginx"); return; }
    memset(&o, 0, sizeof o);
    o.ca_file = fxt_cert("ca.pem");
    o.cert_file = cert ? fxt_cert(cert) : NULL;
    o.key_file = key ? fxt_cert(key) : NULL;
    cfg = config(&o);
    if (!cfg) { test_fail(__FILE__, __LINE__, "config for %s failed", cert ? cert : "(none)"); return; }
    fetch(cfg, "localhost", port, "/client", &f);
    if (f.rc != 0 || status_of(&f) != want_status || (want_body && strcmp(body_of(&f), want_body) != 0))
        test_fail(__FILE__, __LINE__, "%s/%s: rc %d (%s), status %d, body \"%s\"", cert ? cert : "-", key ? key : "-",
                  f.rc, f.err.msg, status_of(&f), body_of(&f));
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
}

TEST(tls_mutual_tls) {
    check_mtls(NULL, NULL, 400, NULL);   /* nginx: "No required SSL certificate was sent" */
    check_mtls("client-rsa.pem", "client-rsa.key", 200, "SUCCESS CN=httpx client rsa\n");
    check_mtls("client-rsa.pem", "client-rsa-pkcs1.key", 200, "SUCCESS CN=httpx client rsa\n");
    check_mtls("client-ec.pem", "client-ec.key", 200, "SUCCESS CN=httpx client ec\n");
    check_mtls("client-ec.pem", "client-ec-params.key", 200, "SUCCESS CN=httpx client ec\n");
    check_mtls("client-other.pem", "client-other.key", 400, NULL);   /* a CA nginx does not trust */
}

TEST(tls_mutual_tls_from_memory) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    fetch_result f;
    char *cert, *key;
    NGINX("mtls");
    memset(&o, 0, sizeof o);
    o.ca_file = fxt_cert("ca.pem");
    REQUIRE((cert = test_read_file(fxt_cert("client-ec.pem"), NULL)));
    REQUIRE((key = test_read_file(fxt_cert("client-ec.key"), NULL)));
    o.cert_pem = cert;
    o.key_pem = key;
    REQUIRE((cfg = config(&o)));
    fetch(cfg, "localhost", port, "/client", &f);
    CHECK_INT(status_of(&f), 200);
    CHECK_STR(body_of(&f), "SUCCESS CN=httpx client ec\n");
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
    free(cert);
    free(key);
}

/* ---- sessions, key log, truncation ---- */

TEST(tls_session_resumption) {
    httpx__tls_config *cfg;
    fetch_result f;
    int ec = fxt_nginx_port("ec");
    NGINX("rsa");
    REQUIRE(ec);
    REQUIRE((cfg = test_ca_config()));
    fetch(cfg, "localhost", port, "/hello.txt", &f);
    CHECK_STR(header_of(&f, "X-Reused"), ".");
    httpx__buf_free(&f.resp);
    fetch(cfg, "localhost", port, "/hello.txt", &f);
    CHECK_STR(header_of(&f, "X-Reused"), "r");
    CHECK_STR(body_of(&f), "Hello, TLS!\n");
    httpx__buf_free(&f.resp);
    fetch(cfg, "localhost", ec, "/hello.txt", &f);         /* another port: another session */
    CHECK_STR(header_of(&f, "X-Reused"), ".");
    httpx__buf_free(&f.resp);
    fetch(cfg, "localhost", port, "/hello.txt", &f);       /* the first is still cached */
    CHECK_STR(header_of(&f, "X-Reused"), "r");
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
}

TEST(tls_sslkeylogfile) {
    httpx__tls_config *cfg;
    fetch_result f;
    char path[] = "/tmp/httpx-keylog-XXXXXX", *text, *line;
    int fd, lines = 0;
    saved_env saved;
    NGINX("rsa");
    REQUIRE((fd = mkstemp(path)) >= 0);
    close(fd);
    saved = env_clear();
    setenv("SSLKEYLOGFILE", path, 1);
    cfg = test_ca_config();
    env_restore(&saved);
    REQUIRE(cfg);
    fetch(cfg, "localhost", port, "/hello.txt", &f);
    CHECK_INT(f.rc, 0);
    httpx__buf_free(&f.resp);
    fetch(cfg, "127.0.0.1", port, "/hello.txt", &f);
    CHECK_INT(f.rc, 0);
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
    text = test_read_file(path, NULL);
    remove(path);
    REQUIRE(text);
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t i;
        lines++;
        CHECK(strncmp(line, "CLIENT_RANDOM ", 14) == 0);
        CHECK_INT(strlen(line), 14 + 64 + 1 + 96);
        for (i = 14; line[i]; i++)
            if (i != 14 + 64 && !strchr("0123456789abcdef", line[i])) { test_fail(__FILE__, __LINE__, "bad hex: %s", line); break; }
    }
    CHECK_INT(lines, 2);
    free(text);
}

TEST(tls_truncation_is_an_error_and_close_notify_is_not) {
    httpx_tls_opts o;
    httpx__tls_config *cfg;
    fetch_result f;
    int trunc = fxt_py_port("truncate"), clean = fxt_py_port("clean");
    REQUIRE(trunc && clean);
    memset(&o, 0, sizeof o);
    o.ca_file = fxt_cert("ca.pem");
    REQUIRE((cfg = config(&o)));
    fetch(cfg, "127.0.0.1", trunc, "/", &f);
    CHECK_INT(f.rc, -1);
    CHECK_INT(f.err.code, HTTPX_ERR_TLS);
    CHECK(strstr(f.err.msg, "without a TLS close_notify") != NULL);
    CHECK(strstr(body_of(&f), "0123456789") != NULL);   /* what came before the cut */
    httpx__buf_free(&f.resp);
    fetch(cfg, "127.0.0.1", clean, "/", &f);
    CHECK_INT(f.rc, 0);
    CHECK(f.clean_close);
    CHECK_STR(body_of(&f), "clean\n");
    httpx__buf_free(&f.resp);
    httpx__tls_config_free(cfg);
}

/* ---- end to end through the client ---- */

static const char *https_url(int port, const char *host, const char *path) {
    static _Thread_local char b[8][256];
    static _Thread_local unsigned next;
    char *u = b[next++ % 8];
    snprintf(u, sizeof b[0], "https://%s:%d%s", host, port, path);
    return u;
}

static httpx_client *client_with_ca(void) {
    httpx_client_opts co;
    memset(&co, 0, sizeof co);
    co.tls.ca_file = fxt_cert("ca.pem");
    return httpx_client_new(&co);
}

TEST(tls_client_get_over_https) {
    httpx_client *c;
    httpx_response *r;
    NGINX("rsa");
    REQUIRE((c = client_with_ca()));
    r = httpx_client_get(c, https_url(port, "127.0.0.1", "/hello.txt"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->error_message, "");
    CHECK_INT(r->status_code, 200);
    CHECK_STR(httpx_text(r), "Hello, TLS!\n");
    CHECK_STR(httpx_header(r, "x-alpn"), "http/1.1");
    httpx_response_free(r);
    /* keep-alive over TLS, then a name instead of the IP */
    r = httpx_client_get(c, https_url(port, "localhost", "/1mb.bin"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 1 << 20);
    CHECK_STR(httpx_header(r, "x-sni"), "localhost");
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(tls_client_bad_certificate_sets_error_and_tls_error) {
    httpx_client *c;
    httpx_response *r;
    NGINX("expired");
    REQUIRE((c = client_with_ca()));
    r = httpx_client_get(c, https_url(port, "127.0.0.1", "/hello.txt"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK_INT(r->tls_error, BR_ERR_X509_EXPIRED);
    CHECK(strstr(r->error_message, "the certificate has expired") != NULL);
    CHECK_INT(r->status_code, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(tls_client_no_verify_and_mutual_tls) {
    httpx_client_opts co;
    httpx_client *c;
    httpx_response *r;
    int mtls = fxt_nginx_port("mtls");
    NGINX("selfsigned");
    REQUIRE(mtls);
    memset(&co, 0, sizeof co);
    co.tls.no_verify = true;
    co.tls.cert_file = fxt_cert("client-rsa.pem");
    co.tls.key_file = fxt_cert("client-rsa.key");
    REQUIRE((c = httpx_client_new(&co)));
    r = httpx_client_get(c, https_url(port, "localhost", "/hello.txt"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_text(r), "Hello, TLS!\n");
    httpx_response_free(r);
    r = httpx_client_get(c, https_url(mtls, "localhost", "/client"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_text(r), "SUCCESS CN=httpx client rsa\n");
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(tls_client_resumes_sessions_across_connections) {
    httpx_client *c;
    httpx_response *r;
    httpx_opts o;
    httpx_pair close_hdr[] = { { "Connection", "close" }, { NULL, NULL } };
    NGINX("ec");
    REQUIRE((c = client_with_ca()));
    memset(&o, 0, sizeof o);
    o.headers = close_hdr;   /* a new connection each time */
    r = httpx_client_get(c, https_url(port, "localhost", "/hello.txt"), &o);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "x-reused"), ".");
    httpx_response_free(r);
    r = httpx_client_get(c, https_url(port, "localhost", "/hello.txt"), &o);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "x-reused"), "r");
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(tls_client_truncated_body_is_an_error) {
    httpx_client *c;
    httpx_response *r;
    int port = fxt_py_port("truncate");
    REQUIRE(port);
    REQUIRE((c = client_with_ca()));
    r = httpx_client_get(c, https_url(port, "127.0.0.1", "/"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK(strstr(r->error_message, "without a TLS close_notify") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* SSL_CERT_DIR as OpenSSL reads it: every certificate file of each listed
   directory (here one hash-link-named PEM file), skipping what is not a
   certificate file; SSL_CERT_FILE may be unset or an empty file. */
static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return 0;
    fputs(text, f);
    return fclose(f) == 0;
}

TEST(tls_ssl_cert_dir_loads_each_certificate_file) {
    char dir[] = "/tmp/httpx-certdir-XXXXXX", bad[] = "/tmp/httpx-certdir-XXXXXX";
    char ca[600], junk[600], sub[600], dead[600], empty[600], other[600], list[1400];
    httpx__tls_config *a, *b, *c, *d;
    httpx_client *cl = NULL;
    httpx_response *r = NULL;
    httpx__err e;
    saved_env saved;
    char *pem, *other_pem;
    NGINX("rsa");
    REQUIRE((pem = test_read_file(fxt_cert("ca.pem"), NULL)));
    other_pem = test_read_file(fxt_cert("other-ca.pem"), NULL);
    if (!other_pem || !mkdtemp(dir) || !mkdtemp(bad)) { free(pem); free(other_pem); REQUIRE(0); }
    snprintf(ca, sizeof ca, "%s/1a2b3c4d.0", dir);        /* the test CA, named like a hash link */
    snprintf(junk, sizeof junk, "%s/notes.pem", dir);     /* a .pem that holds no PEM */
    snprintf(sub, sizeof sub, "%s/sub.crt", dir);         /* a directory with a certificate's name */
    snprintf(dead, sizeof dead, "%s/deadbeef.0", dir);    /* a dangling symbolic link */
    snprintf(empty, sizeof empty, "%s/empty", dir);       /* SSL_CERT_FILE: empty */
    snprintf(other, sizeof other, "%s/other.pem", bad);   /* a directory trusting another CA */
    CHECK(write_text(ca, pem) && write_text(junk, "not a certificate\n") && write_text(empty, "") &&
          write_text(other, other_pem));
    CHECK(mkdir(sub, 0755) == 0);
    CHECK(symlink("/nonexistent/httpx-ca.pem", dead) == 0);
    free(pem);
    free(other_pem);

    saved = env_clear();
    setenv("SSL_CERT_DIR", dir, 1);                       /* SSL_CERT_FILE unset */
    a = config(NULL);
    snprintf(list, sizeof list, "/nonexistent/certs::%s:%s", bad, dir);
    setenv("SSL_CERT_DIR", list, 1);                      /* a list; SSL_CERT_FILE empty */
    setenv("SSL_CERT_FILE", empty, 1);
    b = config(NULL);
    unsetenv("SSL_CERT_FILE");
    setenv("SSL_CERT_DIR", bad, 1);
    c = config(NULL);
    remove(ca);
    setenv("SSL_CERT_DIR", dir, 1);                       /* only what is not a certificate is left */
    memset(&e, 0, sizeof e);
    d = httpx__tls_config_new(NULL, &e);
    if (write_text(ca, "")) remove(ca);
    /* end to end: a client with zeroed TLS options reads SSL_CERT_DIR */
    snprintf(ca, sizeof ca, "%s/httpx-test-ca.crt", dir);
    pem = test_read_file(fxt_cert("ca.pem"), NULL);
    if (pem && write_text(ca, pem) && (cl = httpx_client_new(NULL)) != NULL)
        r = httpx_client_get(cl, https_url(port, "127.0.0.1", "/hello.txt"), NULL);
    free(pem);
    env_restore(&saved);

    if (a) check_good(a, "localhost", port, "localhost"); else CHECK(a != NULL);
    if (b) check_good(b, "127.0.0.1", port, ""); else CHECK(b != NULL);
    if (c) check_bad(c, "rsa", "localhost", BR_ERR_X509_NOT_TRUSTED, "unknown CA"); else CHECK(c != NULL);
    CHECK(d == NULL);
    CHECK_INT(e.code, HTTPX_ERR_TLS);
    CHECK(strstr(e.msg, "no CA certificate found in") != NULL);
    CHECK(r != NULL);
    if (r) {
        if (r->error) test_fail(__FILE__, __LINE__, "https with SSL_CERT_DIR: %s", r->error_message);
        CHECK_INT(r->status_code, 200);
        CHECK_STR(httpx_text(r), "Hello, TLS!\n");
        httpx_response_free(r);
    }
    httpx_client_free(cl);
    httpx__tls_config_free(a);
    httpx__tls_config_free(b);
    httpx__tls_config_free(c);
    httpx__tls_config_free(d);
    remove(ca); remove(junk); rmdir(sub); remove(dead); remove(empty); remove(other);
    CHECK(rmdir(dir) == 0);
    CHECK(rmdir(bad) == 0);
}

/* The system store is loaded once and shared: two clients' configurations
   hold the same anchors; a change of SSL_CERT_FILE, or of the file behind
   it, loads it again, and a configuration made before keeps the store it
   had (it still verifies) after the cache moved on. */
TEST(tls_system_store_loaded_once_and_shared) {
    char path[] = "/tmp/httpx-store-XXXXXX";
    char *pem, *other_pem;
    httpx__tls_config *a, *b, *c, *d;
    saved_env saved;
    int fd;
    NGINX("rsa");
    REQUIRE((pem = test_read_file(fxt_cert("ca.pem"), NULL)));
    other_pem = test_read_file(fxt_cert("other-ca.pem"), NULL);
    fd = mkstemp(path);
    if (fd < 0 || !other_pem) { free(pem); free(other_pem); REQUIRE(0); }
    close(fd);
    CHECK(write_text(path, pem));
    saved = env_clear();
    setenv("SSL_CERT_FILE", path, 1);
    a = config(NULL);
    b = config(NULL);
    CHECK_INT(httpx_tls_preload(), HTTPX_OK);
    /* the file behind SSL_CERT_FILE changes (another CA, another size) */
    CHECK(write_text(path, other_pem));
    c = config(NULL);
    setenv("SSL_CERT_FILE", "/nonexistent/httpx-ca.pem", 1);
    CHECK_INT(httpx_tls_preload(), HTTPX_ERR_TLS);
    d = config(NULL);
    env_restore(&saved);
    remove(path);
    free(pem);
    free(other_pem);
    REQUIRE(a && b && c);
    CHECK(httpx__tls_config_anchors(a) == httpx__tls_config_anchors(b));   /* one store, not two loads */
    CHECK(httpx__tls_config_anchors(c) != httpx__tls_config_anchors(a));   /* loaded again: the file changed */
    CHECK(d == NULL);
    httpx__tls_config_free(b);
    check_good(a, "localhost", port, "localhost");   /* a's store outlives the cache's move */
    check_bad(c, "rsa", "localhost", BR_ERR_X509_NOT_TRUSTED, "unknown CA");
    httpx__tls_config_free(a);
    httpx__tls_config_free(c);
}

/* tls.preload: the store is read in httpx_client_new; a store that cannot be
   had fails every request of the client with the reason, before any
   connection. */
TEST(tls_preload_at_client_new) {
    httpx_client *c;
    httpx_response *r;
    saved_env saved;
    NGINX("rsa");
    saved = env_clear();
    setenv("SSL_CERT_FILE", fxt_cert("ca.pem"), 1);
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .preload = true } });
    setenv("SSL_CERT_FILE", "/nonexistent/httpx-ca.pem", 1);   /* read at new, not now */
    REQUIRE(c);
    r = httpx_client_get(c, https_url(port, "localhost", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .preload = true } });
    env_restore(&saved);
    REQUIRE(c);
    r = httpx_client_get(c, https_url(port, "localhost", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    CHECK(strstr(r->error_message, "/nonexistent/httpx-ca.pem") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The trust store's certificates are read by a direct DER walk (subject,
   key, CA flag), BearSSL's decoder taking what the walk does not know: over
   the test certificates and the system bundle, the two read every
   certificate alike. */
TEST(tls_anchor_walk_agrees_with_bearssl) {
    const char *bundle = "/etc/ssl/certs/ca-certificates.crt", *dir = fxt_certs_dir();
    httpx__tls_walk_counts n, all;
    DIR *d;
    struct dirent *de;
    memset(&all, 0, sizeof all);
    REQUIRE(dir && (d = opendir(dir)) != NULL);
    while ((de = readdir(d)) != NULL) {   /* every PEM file the tests made: RSA, EC, CA or not */
        size_t l = strlen(de->d_name);
        char path[1024];
        if (l < 5 || strcmp(de->d_name + l - 4, ".pem") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (!httpx__tls_walk_compare(path, &n)) continue;
        all.same += n.same;
        all.declined += n.declined;
        all.differ += n.differ;
        if (n.differ) test_fail(__FILE__, __LINE__, "%s: the walk and BearSSL differ", de->d_name);
    }
    closedir(d);
    if (httpx__tls_walk_compare(bundle, &n)) {
        CHECK(n.same >= 50);             /* a real system store: the walk reads nearly all */
        CHECK(n.declined * 10 <= n.same);
        all.same += n.same;
        all.declined += n.declined;
        all.differ += n.differ;
    }
    CHECK(all.same >= 5);
    CHECK_INT(all.differ, 0);
}

#endif
