/* Names through the client faces, answered by the tests' own DNS server
   (tests/servers/dns.py) on 127.0.0.1: nothing leaves the machine. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_dns.h"

/* These point the client at the tests' own nameserver, which only the stub
   resolver can be pointed at: with HTTPX_DNS_THREADS, getaddrinfo uses the
   system's, so they are left out there (test_dns.c covers the thread). */
#ifndef HTTPX_DNS_THREADS

static char dns_server[64];
static const char *nameservers[2] = { dns_server, NULL };

static httpx_client *dns_client(double connect_timeout) {
    int port = fx_dns_port();
    snprintf(dns_server, sizeof dns_server, "127.0.0.1:%d", port);
    return httpx_client_new(&(httpx_client_opts){ .nameservers = nameservers,
                                                  .timeout = { .connect = connect_timeout } });
}

static const char *named_url(const char *host, const char *path) {
    static char url[256];
    snprintf(url, sizeof url, "http://%s:%d%s", host, fx_nginx_port(), path);
    return url;
}

TEST(dns_client_resolves_through_its_nameserver) {
    httpx_client *c = dns_client(0);
    httpx_response *r;
    REQUIRE(fx_nginx_port() && fx_dns_port());
    /* ::1 comes first and nginx listens on 127.0.0.1 only: the next address serves */
    r = httpx_client_get(c, named_url("ok.test", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_response_free(r);
    r = httpx_client_get(c, named_url("v4only.test", "/hello.txt"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(dns_client_errors_name_the_host) {
    static const struct { const char *host; const char *words; } cases[] = {
        {"nxdomain.test", "NXDOMAIN"}, {"servfail.test", "SERVFAIL"}, {"malformed.test", "malformed"},
        {"nodata.test", "no A or AAAA"},
    };
    httpx_client *c = dns_client(0);
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        httpx_response *r = httpx_client_get(c, named_url(cases[i].host, "/"), NULL);
        if (!strstr(r->error_message, cases[i].words)) printf("  %s: %s\n", cases[i].host, r->error_message);
        CHECK_INT(r->error, HTTPX_ERR_CONNECT);
        CHECK(strstr(r->error_message, cases[i].host) != NULL);
        CHECK(strstr(r->error_message, cases[i].words) != NULL);
        httpx_response_free(r);
    }
    httpx_client_free(c);
}

TEST(dns_client_connect_timeout_covers_resolution) {
    httpx_client *c = dns_client(0.3);
    double t0 = httpx__now();
    httpx_response *r = httpx_client_get(c, named_url("drop.test", "/"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT_TIMEOUT);
    CHECK(strstr(r->error_message, "drop.test") != NULL);
    CHECK(httpx__now() - t0 < 2);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A slow nameserver must not stall a frame loop. */
TEST(dns_slow_answers_do_not_stall_poll) {
    httpx_client *c = dns_client(0);
    httpx_task *t[10];
    double worst = 0, start = httpx__now();
    int i, waited = 0;
    for (i = 0; i < 10; i++) t[i] = httpx_client_start(c, "GET", named_url("delay-300.test", "/hello.txt"), NULL);
    while (httpx_client_poll(c, 0) > 0 && httpx__now() - start < 10) {
        test_clock k = test_clock_start();
        httpx_client_poll(c, 0);
        if (test_clock_seconds(k) > worst) worst = test_clock_seconds(k);
        waited += test_waited(k, 0.020);
    }
    for (i = 0; i < 10; i++) {
        CHECK_INT(httpx_task_response(t[i])->error, HTTPX_OK);
        httpx_task_free(t[i]);
    }
    CHECK(httpx__now() - start >= 0.3);       /* the answers really were slow */
    CHECK_INT(waited, 0);                     /* no call slept on the slow nameserver */
    CHECK(worst < 2.0);
    httpx_client_free(c);
}
#endif /* !HTTPX_DNS_THREADS */
