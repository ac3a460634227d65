/* Proxies (httpx_client_opts.proxy, http_proxy, https_proxy; httpx_opts.proxy;
   the environment): plain http forwarded in absolute form, https through a
   CONNECT tunnel with TLS (and HTTP/2 by ALPN) inside it, SOCKS5 with and
   without a user, against Debian's tinyproxy and microsocks on loopback, and
   misbehaving proxies of our own (tests/servers/bad_proxy.py). Origins are
   the fixtures' nginx (http, https, h2) and the rogue server's /echo. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_tls.h"
#include "fixtures_proxy.h"
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

/* An optional program that is not installed skips the test, saying so; one
   that is installed and does not start fails it. */
static int have(const char *path, const char *package) {
    if (access(path, X_OK) == 0) return 1;
    printf("  (%s is not installed: apt-get install %s; skipped)\n", path, package);
    return 0;
}
#define NEED_TINYPROXY() do { if (!have("/usr/bin/tinyproxy", "tinyproxy")) return; } while (0)
#define NEED_MICROSOCKS() do { if (!have("/usr/bin/microsocks", "microsocks")) return; } while (0)

static char *purl(const char *scheme, const char *userinfo, int port) {
    static char buf[8][200];
    static int i;
    char *b = buf[i++ % 8];
    snprintf(b, sizeof buf[0], "%s://%s%s127.0.0.1:%d", scheme, userinfo ? userinfo : "", userinfo ? "@" : "", port);
    return b;
}

static const char *https_at(const char *name, const char *path) {
    static char buf[8][200];
    static int i;
    char *b = buf[i++ % 8];
    snprintf(b, sizeof buf[0], "https://localhost:%d%s", fxt_nginx_port(name), path);
    return b;
}

static httpx_tls_opts ca(void) {
    httpx_tls_opts t;
    memset(&t, 0, sizeof t);
    t.ca_file = fxt_cert("ca.pem");
    return t;
}

/* A client through proxy, verifying the test CA, the environment off. */
static httpx_client *client_via(const char *proxy, bool http2) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    o.proxy = proxy;
    o.tls = ca();
    o.http2 = http2;
    o.trust_env = HTTPX_NO;
    return httpx_client_new(&o);
}

static int contains(const char *hay, const char *needle) { return hay && needle && strstr(hay, needle) != NULL; }

/* ---- the proxy URL and the environment (proxy_env.c, unit) ---- */

TEST(proxy_url_parse) {
    httpx__err e;
    httpx__proxy *p;
    memset(&e, 0, sizeof e);
    p = httpx__proxy_new("http://u%40x:p%3Aw@proxy.example:3128/", &e);
    REQUIRE(p);
    CHECK_INT(p->kind, HTTPX__PROXY_HTTP);
    CHECK_STR(p->host, "proxy.example");
    CHECK_INT(p->port, 3128);
    CHECK_STR(p->user, "u@x");
    CHECK_STR(p->password, "p:w");
    CHECK_STR(p->authorization, "Basic dUB4OnA6dw==");   /* base64("u@x:p:w") */
    httpx__proxy_free(p);
    p = httpx__proxy_new("proxy.example", &e);            /* no scheme: http, port 80 */
    REQUIRE(p);
    CHECK_INT(p->kind, HTTPX__PROXY_HTTP);
    CHECK_INT(p->port, 80);
    CHECK(!p->authorization);
    httpx__proxy_free(p);
    p = httpx__proxy_new("HTTPS://[::1]", &e);
    REQUIRE(p);
    CHECK_INT(p->kind, HTTPX__PROXY_HTTPS);
    CHECK_STR(p->host, "::1");
    CHECK_INT(p->port, 443);
    httpx__proxy_free(p);
    p = httpx__proxy_new("socks5://a:b@h", &e);
    REQUIRE(p);
    CHECK_INT(p->kind, HTTPX__PROXY_SOCKS5);
    CHECK_INT(p->port, 1080);
    CHECK(!p->authorization);                             /* SOCKS5 sends its own, never a header */
    CHECK_STR(p->user, "a");
    httpx__proxy_free(p);
    p = httpx__proxy_new("socks5h://h:9050", &e);
    REQUIRE(p);
    CHECK_INT(p->kind, HTTPX__PROXY_SOCKS5H);
    CHECK_INT(p->port, 9050);
    httpx__proxy_free(p);
    {
        static const char *const bad[] = {"", "ftp://h", "socks4://h", "http://", "http://h:", "http://h:0",
                                          "http://h:65536", "http://h:8x", "http://h/path", "http://h?q",
                                          "http://[::1", "http://[zz]:1", "http://h h", "http://%zz@h"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            memset(&e, 0, sizeof e);
            p = httpx__proxy_new(bad[i], &e);
            if (p) test_fail(__FILE__, __LINE__, "proxy URL '%s' was taken", bad[i]);
            httpx__proxy_free(p);
            CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
            CHECK(contains(e.msg, "proxy URL"));
        }
    }
}

TEST(proxy_no_proxy_match) {
    static const struct { const char *list, *host; int port, match; } t[] = {
        {"*", "anything.example", 80, 1},
        {"example.com", "example.com", 80, 1},
        {"example.com", "www.example.com", 80, 1},
        {"example.com", "notexample.com", 80, 0},
        {".example.com", "www.example.com", 80, 1},
        {".example.com", "example.com", 80, 1},            /* curl: a leading dot is the same */
        {"*.example.com", "a.example.com", 80, 1},
        {"EXAMPLE.com", "www.Example.COM", 80, 1},
        {"example.com.", "example.com", 80, 1},
        {"example.com", "example.com.", 80, 1},
        {"a.com, b.com", "b.com", 80, 1},
        {"a.com b.com", "b.com", 80, 1},
        {"a.com,,b.com,", "c.com", 80, 0},
        {"example.com:8080", "example.com", 8080, 1},
        {"example.com:8080", "example.com", 80, 0},
        {"127.0.0.1", "127.0.0.1", 80, 1},
        {"127.0.0.1", "127.0.0.2", 80, 0},
        {"127.0.0.0/8", "127.9.8.7", 80, 1},
        {"10.0.0.0/8", "11.0.0.1", 80, 0},
        {"192.168.1.0/23", "192.168.0.255", 80, 1},
        {"192.168.1.0/24", "192.168.0.255", 80, 0},
        {"0.0.0.0/0", "8.8.8.8", 80, 1},
        {"::1", "::1", 80, 1},
        {"[::1]", "::1", 80, 1},
        {"[::1]:8080", "::1", 8080, 1},
        {"[::1]:8080", "::1", 80, 0},
        {"fd00::/8", "fd12::1", 80, 1},
        {"fd00::/8", "fe80::1", 80, 0},
        {"127.0.0.0/8", "::1", 80, 0},                    /* families do not mix */
        {"127.0.0.1", "localhost", 80, 0},                 /* names are not resolved */
        {"10.0.0.0/33", "10.0.0.1", 80, 0},
        {"10.0.0.0/", "10.0.0.1", 80, 0},
        {"", "example.com", 80, 0},
        {"com", "example.com", 80, 1},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (httpx__no_proxy_match(t[i].list, t[i].host, t[i].port) != (t[i].match != 0))
            test_fail(__FILE__, __LINE__, "NO_PROXY '%s' vs %s:%d: expected %s", t[i].list, t[i].host, t[i].port,
                      t[i].match ? "a match" : "none");
}

/* A fake environment: NULL-terminated name, value pairs. */
static const char *fake_env(void *ctx, const char *name) {
    const char *const *kv = (const char *const *)ctx;
    for (; kv[0]; kv += 2)
        if (!strcmp(kv[0], name)) return kv[1];
    return NULL;
}

static const httpx__proxy *for_url(const httpx__proxies *p, const char *url) {
    httpx__url u;
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (httpx__url_parse(&u, url, strlen(url), &e)) return NULL;
    return httpx__proxies_for(p, &u);
}

TEST(proxy_env_reading) {
    httpx__proxies p;
    httpx__err e;
    memset(&e, 0, sizeof e);
    {   /* lower case wins over upper case; https_proxy for https; NO_PROXY */
        static const char *const env[] = {"HTTP_PROXY", "http://upper:1", "http_proxy", "http://lower:2",
                                          "HTTPS_PROXY", "socks5h://s:3", "NO_PROXY", "internal.example,10.0.0.0/8",
                                          NULL};
        REQUIRE(httpx__proxies_init(&p, NULL, NULL, NULL, fake_env, (void *)env, &e) == HTTPX_OK);
        REQUIRE(for_url(&p, "http://a.example/"));
        CHECK_STR(for_url(&p, "http://a.example/")->host, "lower");
        CHECK_INT(for_url(&p, "https://a.example/")->kind, HTTPX__PROXY_SOCKS5H);
        CHECK(!for_url(&p, "http://x.internal.example/"));
        CHECK(!for_url(&p, "https://10.1.2.3/"));
        httpx__proxies_free(&p);
    }
    {   /* ALL_PROXY for both; an empty value is unset */
        static const char *const env[] = {"http_proxy", "", "all_proxy", "http://all:9", NULL};
        REQUIRE(httpx__proxies_init(&p, NULL, NULL, NULL, fake_env, (void *)env, &e) == HTTPX_OK);
        CHECK_STR(for_url(&p, "http://a/")->host, "all");
        CHECK_STR(for_url(&p, "https://a/")->host, "all");
        httpx__proxies_free(&p);
    }
    {   /* CGI (httpoxy): HTTP_PROXY ignored, http_proxy still read */
        static const char *const env[] = {"REQUEST_METHOD", "GET", "HTTP_PROXY", "http://evil:1", NULL};
        static const char *const env2[] = {"REQUEST_METHOD", "GET", "http_proxy", "http://good:1", NULL};
        REQUIRE(httpx__proxies_init(&p, NULL, NULL, NULL, fake_env, (void *)env, &e) == HTTPX_OK);
        CHECK(!for_url(&p, "http://a/"));
        httpx__proxies_free(&p);
        REQUIRE(httpx__proxies_init(&p, NULL, NULL, NULL, fake_env, (void *)env2, &e) == HTTPX_OK);
        CHECK_STR(for_url(&p, "http://a/")->host, "good");
        httpx__proxies_free(&p);
    }
    {   /* options turn the environment off; per-scheme fields win over .proxy */
        static const char *const env[] = {"http_proxy", "http://env:1", "no_proxy", "*", NULL};
        REQUIRE(httpx__proxies_init(&p, "http://all:2", NULL, "socks5://s:3", fake_env, (void *)env, &e) == HTTPX_OK);
        CHECK_STR(for_url(&p, "http://a/")->host, "all");     /* no_proxy is the environment's: not read */
        CHECK_INT(for_url(&p, "https://a/")->kind, HTTPX__PROXY_SOCKS5);
        httpx__proxies_free(&p);
    }
    {   /* trust_env off: nothing */
        static const char *const env[] = {"http_proxy", "http://env:1", NULL};
        (void)env;
        REQUIRE(httpx__proxies_init(&p, NULL, NULL, NULL, NULL, NULL, &e) == HTTPX_OK);
        CHECK(!for_url(&p, "http://a/"));
        httpx__proxies_free(&p);
    }
    {   /* a bad value names its variable */
        static const char *const env[] = {"HTTPS_PROXY", "gopher://x", NULL};
        CHECK_INT(httpx__proxies_init(&p, NULL, NULL, NULL, fake_env, (void *)env, &e), HTTPX_ERR_INVALID_ARGUMENT);
        CHECK(contains(e.msg, "HTTPS_PROXY"));
    }
}

TEST(proxy_bad_option_fails_every_request) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .proxy = "ftp://nope", .trust_env = HTTPX_NO });
    httpx_response *r;
    REQUIRE(c);
    r = httpx_client_get(c, "http://127.0.0.1:1/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(contains(r->error_message, "httpx_client_opts.proxy"));
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- tinyproxy: forwarding and CONNECT ---- */

TEST(proxy_tinyproxy_forwards_http) {
    int pp, np = fx_nginx_port();
    httpx_client *c;
    httpx_response *r;
    char want[200], *log;
    NEED_TINYPROXY();
    pp = fxp_tinyproxy_port();
    REQUIRE(pp && np);
    c = client_via(purl("http", NULL, pp), false);
    REQUIRE(c);
    r = httpx_client_get(c, fx_url(np, "/hello.txt?via=tinyproxy"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    r = httpx_client_get(c, fx_url(np, "/small.bin"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 128);          /* (tinyproxy closes after each answer: no reuse) */
    httpx_response_free(r);
    httpx_client_free(c);
    snprintf(want, sizeof want, "GET http://127.0.0.1:%d/hello.txt?via=tinyproxy HTTP/1.1", np);
    log = fxp_tinyproxy_log();
    CHECK(contains(log, want));                 /* the proxy saw the request in absolute form */
    free(log);
}

TEST(proxy_tinyproxy_connect_tls_and_h2) {
    int pp;
    httpx_client *c;
    httpx_response *r;
    char want[100], *log;
    NEED_TINYPROXY();
    pp = fxp_tinyproxy_port();
    REQUIRE(pp && fxt_nginx_port("rsa") && fxt_nginx_port("h2"));
    c = client_via(purl("http", NULL, pp), false);
    r = httpx_client_get(c, https_at("rsa", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    CHECK(r->tls_version[0]);                   /* TLS to the origin, inside the tunnel */
    httpx_response_free(r);
    r = httpx_client_get(c, https_at("rsa", "/1mb.bin"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 1024 * 1024);
    CHECK(r->connection_reused);
    CHECK(r->content && (unsigned char)r->content[1000] == ((1000 * 7 + 3) & 0xff));
    httpx_response_free(r);
    httpx_client_free(c);
    c = client_via(purl("http", NULL, pp), true);
    r = httpx_client_get(c, https_at("h2", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->http_version, "HTTP/2");       /* ALPN inside the tunnel */
    CHECK_STR(r->alpn, "h2");
    CHECK_STR(r->content, "Hello, TLS!\n");
    httpx_response_free(r);
    httpx_client_free(c);
    snprintf(want, sizeof want, "CONNECT localhost:%d", fxt_nginx_port("h2"));
    log = fxp_tinyproxy_log();
    CHECK(contains(log, want));
    free(log);
}

TEST(proxy_tinyproxy_tasks) {
    int pp, np = fx_nginx_port(), i;
    httpx_client *c;
    httpx_task *t[6];
    NEED_TINYPROXY();
    pp = fxp_tinyproxy_port();
    REQUIRE(pp && np && fxt_nginx_port("h2"));
    c = client_via(purl("http", NULL, pp), true);
    for (i = 0; i < 6; i++)
        t[i] = httpx_client_start(c, "GET", i % 2 ? fx_url(np, "/hello.txt") : https_at("h2", "/hello.txt"), NULL);
    httpx_gather(c, t, 6);
    for (i = 0; i < 6; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->content, i % 2 ? "Hello, world!\n" : "Hello, TLS!\n");
        if (!(i % 2)) CHECK_STR(r->http_version, "HTTP/2");
        httpx_task_free(t[i]);
    }
    httpx_client_free(c);
}

TEST(proxy_oneshot_and_per_scheme) {
    int pp, np = fx_nginx_port();
    httpx_response *r;
    httpx_client *c;
    httpx_tls_opts t = ca();
    NEED_TINYPROXY();
    pp = fxp_tinyproxy_port();
    REQUIRE(pp && np && fxt_nginx_port("rsa"));
    r = httpx_get(https_at("rsa", "/hello.txt"), &(httpx_opts){ .proxy = purl("http", NULL, pp), .tls = &t });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    httpx_response_free(r);
    /* https_proxy only: http:// goes direct, https:// through a proxy that refuses */
    c = httpx_client_new(&(httpx_client_opts){ .https_proxy = purl("http", NULL, fxp_bad_port("refuse")),
                                               .tls = t, .trust_env = HTTPX_NO });
    r = httpx_client_get(c, fx_url(np, "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    r = httpx_client_get(c, https_at("rsa", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_PROXY);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The environment: HTTP_PROXY and NO_PROXY, read when the client is made. */
TEST(proxy_from_environment) {
    int pp, np = fx_nginx_port();
    httpx_client *c;
    httpx_response *r;
    char proxy[100], *log, want[200];
    NEED_TINYPROXY();
    pp = fxp_tinyproxy_port();
    REQUIRE(pp && np);
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", pp);
    setenv("HTTP_PROXY", proxy, 1);
    setenv("NO_PROXY", "localhost", 1);
    c = httpx_client_new(NULL);
    unsetenv("HTTP_PROXY");
    unsetenv("NO_PROXY");
    REQUIRE(c);
    r = httpx_client_get(c, fx_url(np, "/hello.txt?env=1"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    {
        char direct[200];
        snprintf(direct, sizeof direct, "http://localhost:%d/hello.txt?env=direct", np);
        r = httpx_client_get(c, direct, NULL);
        CHECK_INT(r->error, HTTPX_OK);
        httpx_response_free(r);
    }
    httpx_client_free(c);
    log = fxp_tinyproxy_log();
    snprintf(want, sizeof want, "GET http://127.0.0.1:%d/hello.txt?env=1 ", np);
    CHECK(contains(log, want));
    CHECK(!contains(log, "env=direct"));        /* NO_PROXY: direct */
    free(log);
    /* trust_env off: the environment is not read */
    setenv("http_proxy", "http://127.0.0.1:1", 1);
    c = httpx_client_new(&(httpx_client_opts){ .trust_env = HTTPX_NO });
    unsetenv("http_proxy");
    r = httpx_client_get(c, fx_url(np, "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- microsocks: SOCKS5 ---- */

static void socks_round(const char *proxy, bool tasks) {
    httpx_client *c = client_via(proxy, true);
    char plain[200];
    const char *urls[2];
    int i;
    snprintf(plain, sizeof plain, "http://localhost:%d/hello.txt", fx_nginx_port());
    urls[0] = plain;
    urls[1] = https_at("h2", "/hello.txt");
    if (!tasks) {
        for (i = 0; i < 2; i++) {
            httpx_response *r = httpx_client_get(c, urls[i], NULL);
            if (r->error) printf("  %s via %s: %s\n", urls[i], proxy, r->error_message);
            CHECK_INT(r->error, HTTPX_OK);
            CHECK_STR(r->content, i ? "Hello, TLS!\n" : "Hello, world!\n");
            if (i) CHECK_STR(r->http_version, "HTTP/2");
            httpx_response_free(r);
        }
    } else {
        httpx_task *t[2];
        for (i = 0; i < 2; i++) t[i] = httpx_client_start(c, "GET", urls[i], NULL);
        httpx_gather(c, t, 2);
        for (i = 0; i < 2; i++) {
            CHECK_INT(httpx_task_response(t[i])->error, HTTPX_OK);
            CHECK_STR(httpx_task_response(t[i])->content, i ? "Hello, TLS!\n" : "Hello, world!\n");
            httpx_task_free(t[i]);
        }
    }
    httpx_client_free(c);
}

TEST(proxy_socks5_microsocks) {
    int sp;
    NEED_MICROSOCKS();
    sp = fxp_microsocks_port(0);
    REQUIRE(sp && fx_nginx_port() && fxt_nginx_port("h2"));
    socks_round(purl("socks5", NULL, sp), false);     /* localhost resolved here */
    socks_round(purl("socks5h", NULL, sp), false);    /* by the proxy */
    socks_round(purl("socks5h", NULL, sp), true);
}

TEST(proxy_socks5_microsocks_user) {
    int sp;
    httpx_client *c;
    httpx_response *r;
    NEED_MICROSOCKS();
    sp = fxp_microsocks_port(1);
    REQUIRE(sp && fx_nginx_port() && fxt_nginx_port("h2"));
    socks_round(purl("socks5", "user:secret", sp), false);
    socks_round(purl("socks5h", "user:secret", sp), true);
    c = client_via(purl("socks5", "user:wrong", sp), false);
    r = httpx_client_get(c, fx_url(fx_nginx_port(), "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_PROXY);
    CHECK(contains(r->error_message, "refused the user 'user'"));
    CHECK(!contains(r->error_message, "wrong"));       /* a password is never shown */
    httpx_response_free(r);
    httpx_client_free(c);
    c = client_via(purl("socks5", NULL, sp), false);
    r = httpx_client_get(c, fx_url(fx_nginx_port(), "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_PROXY);
    CHECK(contains(r->error_message, "authentication"));
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- proxies that misbehave ---- */

/* GET url through the bad proxy of mode, in both faces: the error each face gave. */
static void bad_both(const char *mode, const char *url, httpx_error want, const char *msg, double connect_timeout) {
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    int port = fxp_bad_port(mode);
    if (!port) { test_fail(__FILE__, __LINE__, "bad_proxy.py mode %s did not start", mode); return; }
    memset(&o, 0, sizeof o);
    o.proxy = purl(strncmp(mode, "socks", 5) ? "http" : "socks5h", NULL, port);
    o.tls = ca();
    o.trust_env = HTTPX_NO;
    o.timeout.connect = connect_timeout;
    c = httpx_client_new(&o);
    r = httpx_client_get(c, url, NULL);
    if (r->error != want || !contains(r->error_message, msg))
        test_fail(__FILE__, __LINE__, "%s (blocking): error %d '%s', expected %d with '%s'", mode, r->error,
                  r->error_message, want, msg);
    CHECK_INT(r->status_code, 0);
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", url, NULL);
    r = httpx_task_wait(t);
    if (r->error != want || !contains(r->error_message, msg))
        test_fail(__FILE__, __LINE__, "%s (task): error %d '%s', expected %d with '%s'", mode, r->error,
                  r->error_message, want, msg);
    httpx_task_free(t);
    httpx_client_free(c);
}

TEST(proxy_bad_http_proxies) {
    const char *tls;
    REQUIRE(fxt_nginx_port("rsa"));
    tls = https_at("rsa", "/hello.txt");
    bad_both("auth", tls, HTTPX_ERR_PROXY, "407 Proxy Authentication Required", 0);
    bad_both("auth", fx_url(fx_nginx_port(), "/hello.txt"), HTTPX_ERR_PROXY, "407 Proxy Authentication Required", 0);
    bad_both("refuse", tls, HTTPX_ERR_PROXY, "HTTP/1.1 403 Forbidden by proxy policy", 0);
    bad_both("garbage", tls, HTTPX_ERR_PROXY, "not HTTP: 'SSH-2.0-OpenSSH_9.2..'", 0);
    bad_both("badstatus", tls, HTTPX_ERR_PROXY, "bad status line: HTTP/1.1 twohundred OK", 0);
    bad_both("close", tls, HTTPX_ERR_PROXY, "closed the connection before it set up the tunnel", 0);
    bad_both("huge", tls, HTTPX_ERR_PROXY, "longer than", 0);
    bad_both("silent", tls, HTTPX_ERR_CONNECT_TIMEOUT, "waiting for the http proxy", 0.5);
}

TEST(proxy_bad_socks_proxies) {
    const char *url = fx_url(fx_nginx_port(), "/hello.txt");
    bad_both("socks-badver", url, HTTPX_ERR_PROXY, "version 4, not 5", 0);
    bad_both("socks-badatyp", url, HTTPX_ERR_PROXY, "unknown address type 9", 0);
    bad_both("socks-refuse", url, HTTPX_ERR_PROXY, "connection refused (5)", 0);
}

TEST(proxy_closes_mid_tunnel) {
    httpx_client *c;
    httpx_response *r;
    int port = fxp_bad_port("midtunnel");
    REQUIRE(port && fxt_nginx_port("rsa"));
    c = client_via(purl("http", NULL, port), false);
    r = httpx_client_get(c, https_at("rsa", "/1mb.bin"), NULL);
    CHECK(r->error != HTTPX_OK);                /* cut short: never a short body passed as whole */
    CHECK(r->content_length < 1024 * 1024);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* Proxy credentials go to the proxy only; the origin's stay inside TLS. */
static int saw_proxy_auth;
static void debug_cb(void *user, httpx_debug_kind kind, const char *text, size_t len) {
    (void)user;
    if (kind == HTTPX_DEBUG_HEADER_OUT) {
        size_t i;
        for (i = 0; i + 20 <= len; i++)
            if (!strncasecmp(text + i, "Proxy-Authorization:", 20)) saw_proxy_auth++;
    }
}

TEST(proxy_credentials_stay_where_they_belong) {
    int port = fxp_bad_port("auth");
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    char log_url[100];
    REQUIRE(port && fxt_nginx_port("rsa") && fx_rogue_port());
    memset(&o, 0, sizeof o);
    o.proxy = purl("http", "user:secret", port);
    o.tls = ca();
    o.trust_env = HTTPX_NO;
    o.on_debug = debug_cb;
    o.auth = httpx_basic_auth("origin-user", "origin-pass");
    c = httpx_client_new(&o);
    saw_proxy_auth = 0;
    r = httpx_client_get(c, https_at("rsa", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    httpx_response_free(r);
    CHECK_INT(saw_proxy_auth, 0);               /* the request inside the tunnel has none */
    /* plain http is forwarded: the proxy gets its credentials with the request */
    r = httpx_client_get(c, fx_rogue_at("/echo"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(contains(r->content, "GET /echo HTTP/1.1"));   /* the proxy sent it on in origin form */
    CHECK(!contains(r->content, "Proxy-Authorization"));
    httpx_response_free(r);
    CHECK_INT(saw_proxy_auth, 1);
    httpx_client_free(c);
    /* what the proxy received */
    snprintf(log_url, sizeof log_url, "http://proxy.log/");
    c = client_via(purl("http", NULL, port), false);
    r = httpx_client_get(c, log_url, NULL);
    CHECK_INT(r->error, HTTPX_OK);
    {
        const char *connect = r->content ? strstr(r->content, "CONNECT localhost:") : NULL;
        const char *end = connect ? strstr(connect, "\r\n\r\n") : NULL;
        const char *origin = connect ? strstr(connect, "b3JpZ2luLXVzZXI6") : NULL;  /* base64 "origin-user:" */
        REQUIRE(connect && end);
        CHECK(contains(connect, "Proxy-Authorization: Basic dXNlcjpzZWNyZXQ="));
        CHECK(!origin || origin > end);         /* the origin's credentials never in a CONNECT */
    }
    httpx_response_free(r);
    httpx_client_free(c);
}

/* An https:// proxy: TLS to the proxy (verified by the client's CA), then
   CONNECT and TLS to the origin inside that: TLS in TLS; plain http is
   forwarded over the TLS connection. Both faces. */
TEST(proxy_https_proxy_tls_in_tls) {
    int port = fxp_bad_port("tls");
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    REQUIRE(port && fxt_nginx_port("h2") && fx_rogue_port());
    c = client_via(purl("https", NULL, port), true);
    r = httpx_client_get(c, https_at("h2", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    CHECK_STR(r->http_version, "HTTP/2");
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", fx_rogue_at("/echo"), NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(contains(r->content, "GET /echo HTTP/1.1"));
    httpx_task_free(t);
    httpx_client_free(c);
    /* the proxy's certificate is checked like any other: without the CA, no */
    c = httpx_client_new(&(httpx_client_opts){ .proxy = purl("https", NULL, port), .trust_env = HTTPX_NO });
    r = httpx_client_get(c, fx_rogue_at("/echo"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- the tool: -x, --proxy and --proxies ---- */

static char cli_out[65536];
#include "fixtures_run.h"

TEST(proxy_cli_flags) {
    char cmd[1024];
    int rp = fx_rogue_port(), bp = fxp_bad_port("refuse");
    REQUIRE(fx_have_prog("examples/httpx") && rp && bp);
    /* the rogue server forwards absolute-form requests and echoes them; the name cannot resolve */
    snprintf(cmd, sizeof cmd, "NO_COLOR= build/examples/httpx http://proxied.invalid/echo -x http://127.0.0.1:%d 2>&1", rp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 0);
    CHECK(contains(cli_out, "GET http://proxied.invalid/echo HTTP/1.1"));
    snprintf(cmd, sizeof cmd, "NO_COLOR= build/examples/httpx http://proxied.invalid/echo --proxies 127.0.0.1:%d 2>&1", rp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 0);
    CHECK(contains(cli_out, "GET http://proxied.invalid/echo HTTP/1.1"));
    snprintf(cmd, sizeof cmd, "NO_COLOR= HTTP_PROXY=http://127.0.0.1:%d build/examples/httpx http://proxied.invalid/echo 2>&1", rp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 0);              /* the environment's proxy */
    CHECK(contains(cli_out, "GET http://proxied.invalid/echo HTTP/1.1"));
    snprintf(cmd, sizeof cmd, "build/examples/httpx https://localhost:1/ --proxy http://127.0.0.1:%d 2>&1", bp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 3);              /* refused: a network failure */
    CHECK(contains(cli_out, "403 Forbidden by proxy policy"));
    CHECK_INT(fx_run("build/examples/httpx http://127.0.0.1:1/ --proxy ftp://x 2>&1", cli_out, sizeof cli_out), 2);
    CHECK(contains(cli_out, "proxy URL 'ftp://x'"));
}

/* examples/proxy_env.c: the environment's proxy, and one named on its command line. */
TEST(proxy_example_proxy_env) {
    char cmd[1024];
    int rp = fx_rogue_port(), bp = fxp_bad_port("refuse");
    REQUIRE(fx_have_prog("examples/proxy_env") && rp && bp);
    snprintf(cmd, sizeof cmd, "HTTP_PROXY=http://127.0.0.1:%d build/examples/proxy_env http://proxied.invalid/echo 2>&1", rp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 0);
    CHECK(contains(cli_out, "HTTP/1.1 200 OK"));
    CHECK(contains(cli_out, "GET http://proxied.invalid/echo HTTP/1.1"));
    snprintf(cmd, sizeof cmd, "build/examples/proxy_env https://localhost:1/ http://127.0.0.1:%d 2>&1", bp);
    CHECK_INT(fx_run(cmd, cli_out, sizeof cli_out), 3);
    CHECK(contains(cli_out, "the proxy said no: the proxy 127.0.0.1:"));
}

/* Out of memory at every allocation of a request through a proxy (build/oom,
   ASan): each failure comes out as HTTPX_ERR_NOMEM, never a crash or a leak. */
static void oom_proxy(int line, const char *url, const char *proxy) {
    char cmd[1024];
    if (!fx_have_prog("oom")) { test_fail(__FILE__, line, "build/oom is missing (make build/oom)"); return; }
    snprintf(cmd, sizeof cmd, "build/oom proxy '%s' '%s' '%s' 2>&1", url, fxt_cert("ca.pem"), proxy);
    if (fx_run(cmd, cli_out, sizeof cli_out) != 0 || !strstr(cli_out, " each failed in turn, 0 bad outcomes"))
        test_fail(__FILE__, line, "%s: %s", cmd, cli_out);
    else
        printf("  %s", cli_out);
}

TEST(proxy_oom_paths) {
    int tp, sp;
    NEED_TINYPROXY();
    NEED_MICROSOCKS();
    tp = fxp_tinyproxy_port();
    sp = fxp_microsocks_port(1);
    REQUIRE(tp && sp && fxt_nginx_port("rsa") && fx_nginx_port());
    oom_proxy(__LINE__, https_at("rsa", "/hello.txt"), purl("http", "u:p", tp));
    oom_proxy(__LINE__, fx_url(fx_nginx_port(), "/hello.txt"), purl("http", NULL, tp));
    oom_proxy(__LINE__, https_at("rsa", "/hello.txt"), purl("socks5", "user:secret", sp));
}

/* ---- the handshakes on the wire (a socketpair: the "proxy" answers are
   written before the client runs, so the bytes are exact and nothing
   depends on timing) ---- */
#include <sys/socket.h>
#include <poll.h>

/* Runs the stream made over one end of a socketpair whose other end already
   holds reply; the client's bytes come back in sent. 1 ready, HTTPX__BAD. */
static int wire_run(httpx__stream *(*make)(const httpx__proxy *, httpx__stream *, httpx__err *),
                    const char *proxy_url, const void *reply, size_t reply_len, char *sent, size_t *sent_len,
                    char *extra, size_t *extra_len, httpx__err *e) {
    int sv[2], rc = HTTPX__AGAIN, spins = 0;
    httpx__proxy *p = httpx__proxy_new(proxy_url, e);
    httpx__stream *s;
    long n;
    *sent_len = *extra_len = 0;
    if (!p || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) { httpx__proxy_free(p); return HTTPX__BAD; }
    httpx__fd_nonblock(sv[0]);
    if (write(sv[1], reply, reply_len) != (ssize_t)reply_len) rc = HTTPX__BAD;
    shutdown(sv[1], SHUT_WR);   /* the proxy said all it says: then end of stream */
    s = make(p, httpx__sock_stream_new(sv[0], e), e);
    while (s && rc == HTTPX__AGAIN && spins++ < 1000) {
        struct pollfd pf;
        rc = httpx__stream_connect(s, e);
        if (rc != HTTPX__AGAIN) break;
        pf.fd = s->fd;
        pf.events = s->want;
        poll(&pf, 1, 1000);
    }
    if (rc == 1) {              /* what the proxy sent past its answer is the tunnel's */
        n = httpx__stream_recv(s, extra, 64, e);
        if (n > 0) *extra_len = (size_t)n;
    }
    httpx__stream_free(s);      /* closes sv[0]: what the client sent is all there */
    n = read(sv[1], sent, 512);
    if (n > 0) *sent_len = (size_t)n;
    close(sv[1]);
    httpx__proxy_free(p);
    return rc;
}

#define R(lit) lit, sizeof lit - 1      /* a reply literal and its length (NULs included) */
static const unsigned char *w_ip;
static int w_ip_len;
static const char *w_host;
static httpx__stream *make_socks(const httpx__proxy *p, httpx__stream *lower, httpx__err *e) {
    return httpx__socks_stream_new(p, w_host, w_ip, w_ip_len, 8080, lower, e);
}
static httpx__stream *make_connect(const httpx__proxy *p, httpx__stream *lower, httpx__err *e) {
    return httpx__connect_stream_new(p, w_host, 443, lower, e);
}

TEST(proxy_socks5_wire) {
    static const unsigned char v4[4] = {127, 0, 0, 1}, v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    char sent[512], extra[64];
    size_t sl, el;
    httpx__err e;
    memset(&e, 0, sizeof e);
    /* IPv4, no user; the bound address is a name; bytes after the reply belong to the tunnel */
    w_ip = v4; w_ip_len = 4; w_host = "localhost";
    CHECK_INT(wire_run(make_socks, "socks5://proxy", R("\x05\x00" "\x05\x00\x00\x03\x04host\x00\x50" "HELLO"),
                       sent, &sl, extra, &el, &e), 1);
    CHECK_MEM(sent, sl, "\x05\x01\x00" "\x05\x01\x00\x01\x7f\x00\x00\x01\x1f\x90", 13);
    CHECK_MEM(extra, el, "HELLO", 5);
    /* IPv6 */
    w_ip = v6; w_ip_len = 16;
    CHECK_INT(wire_run(make_socks, "socks5://proxy", R("\x05\x00" "\x05\x00\x00\x04" "0123456789abcdef\x00\x50"),
                       sent, &sl, extra, &el, &e), 1);
    CHECK_MEM(sent, sl, "\x05\x01\x00" "\x05\x01\x00\x04" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01" "\x1f\x90", 25);
    CHECK_INT(el, 0);
    /* a name (socks5h) and a user (RFC 1929) */
    w_ip = NULL; w_ip_len = 0; w_host = "example.org";
    CHECK_INT(wire_run(make_socks, "socks5h://user:secret@proxy", R("\x05\x02" "\x01\x00" "\x05\x00\x00\x01\0\0\0\0\0\0"),
                       sent, &sl, extra, &el, &e), 1);
    CHECK_MEM(sent, sl, "\x05\x02\x00\x02" "\x01\x04user\x06secret" "\x05\x01\x00\x03\x0b" "example.org\x1f\x90",
              4 + 13 + 5 + 13);
    /* failures */
    CHECK_INT(wire_run(make_socks, "socks5h://user:secret@proxy", R("\x05\x02" "\x01\x01"), sent, &sl, extra, &el, &e),
              HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_PROXY);
    CHECK(contains(e.msg, "refused the user 'user'") && !contains(e.msg, "secret"));
    CHECK_INT(wire_run(make_socks, "socks5h://proxy", R("\x05\xff"), sent, &sl, extra, &el, &e), HTTPX__BAD);
    CHECK(contains(e.msg, "accepts none of the offered authentication methods"));
    CHECK_INT(wire_run(make_socks, "socks5h://proxy", R("\x05\x02"), sent, &sl, extra, &el, &e), HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_PROXY);     /* username/password, which was not offered */
    CHECK_INT(wire_run(make_socks, "socks5h://proxy", R("\x05\x00" "\x05\x04\x00\x01\0\0\0\0\0\0"), sent, &sl, extra, &el, &e),
              HTTPX__BAD);
    CHECK(contains(e.msg, "host unreachable (4)"));
    CHECK_INT(wire_run(make_socks, "socks5h://proxy", R("\x05\x00" "\x05\x00"), sent, &sl, extra, &el, &e), HTTPX__BAD);
    CHECK(contains(e.msg, "closed the connection before it set up the tunnel"));   /* cut short */
}

TEST(proxy_connect_wire) {
    char sent[512], extra[64];
    size_t sl, el;
    httpx__err e;
    static const char want[] = "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n"
                               "Proxy-Authorization: Basic dTpw\r\n\r\n";
    memset(&e, 0, sizeof e);
    w_host = "example.org";
    CHECK_INT(wire_run(make_connect, "http://u:p@proxy", R("HTTP/1.0 200 Connection established\r\nX: y\r\n\r\nTLS!"),
                       sent, &sl, extra, &el, &e), 1);
    CHECK_MEM(sent, sl, want, sizeof want - 1);
    CHECK_MEM(extra, el, "TLS!", 4);
    w_host = "::1";                         /* an IPv6 literal is bracketed */
    CHECK_INT(wire_run(make_connect, "http://proxy", R("HTTP/1.1 200 OK\r\n\r\n"), sent, &sl, extra, &el, &e), 1);
    {
        static const char v6[] = "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n";
        CHECK_MEM(sent, sl, v6, sizeof v6 - 1);
    }
    CHECK_INT(wire_run(make_connect, "http://proxy", R("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"),
                       sent, &sl, extra, &el, &e), HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_PROXY);
    CHECK(contains(e.msg, "refused CONNECT [::1]:443: HTTP/1.1 407 Proxy Authentication Required"));
    CHECK_INT(wire_run(make_connect, "http://proxy", R("HTTP/1.1 200\r\n\r\n"), sent, &sl, extra, &el, &e), 1);
    CHECK_INT(wire_run(make_connect, "http://proxy", R("HTTP/1.1 2000 OK\r\n\r\n"), sent, &sl, extra, &el, &e),
              HTTPX__BAD);
    CHECK(contains(e.msg, "bad status line"));
}
