/* The resolver (tools/src/dns.c): answers known at once, the stub resolver
   against tests/servers/dns.py on 127.0.0.1 (which answers, delays, lies and
   drops as the query name says), resolv.conf and hosts parsing, and the answer
   parser alone with hostile packets. No test ever reads the machine's
   resolv.conf: each one hands the resolver a file of its own and a nameserver
   on 127.0.0.1. */
#include "test.h"
#include "fixtures_common.h"
#include "fixtures_dns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* test hooks of dns.c (not in internal.h: only the tests use them) */
void httpx__dns_describe(const httpx__dns_config *cfg, const char *host, char *out, size_t cap);
int httpx__dns_parse_answer(const unsigned char *pkt, size_t len, const char *name, int qtype, char *out, size_t cap);

/* A start or step never waits: one that slept in the kernel (test_waited)
   for longer than this failed, however slow a loaded machine makes it
   otherwise. Well below the delays and timeouts (>= 0.2 s) a wait would show. */
#define STEP_MAX 0.1

static char tmpdir[256];

static void remove_tmpdir(void) { fxc_rm_tree(tmpdir); }

static const char *tmp_path(const char *name) {
    static char paths[8][300];
    static unsigned next;
    char *p = paths[next++ % 8];
    if (!tmpdir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/httpx-dns-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmpdir)) tmpdir[0] = 0;
        else fxc_at_exit(remove_tmpdir);
    }
    snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
    return p;
}

static const char *write_tmp(const char *name, const char *text) {
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *hosts_text =
    "# a hosts file\n"
    "127.0.0.1\tlocalhost\n"
    "10.1.2.3   files.test   alias.test  # trailing comment\n"
    "fd00::7    files.test\n"
    "   10.9.9.9 Upper.Test\n"
    "# 10.6.6.6 commented.test\n"
    "bogus      bogus.test\n"
    "10.4.4.4\n"
    "10.5.5.5 dotted.test.\n";

/* A config for the test server: our hosts file, a resolv.conf with a search
   domain, short timeouts. */
typedef struct test_cfg {
    httpx__dns_config cfg;
    const char *ns[3];
    char ns0[64], ns1[64];
} test_cfg;

static int setup(test_cfg *t, double timeout, int attempts, const char *resolv) {
    int port = fx_dns_port();
    memset(t, 0, sizeof *t);
    if (!port) return 0;
    snprintf(t->ns0, sizeof t->ns0, "127.0.0.1:%d", port);
    t->ns[0] = t->ns0;
    t->cfg.nameservers = t->ns;
    t->cfg.timeout = timeout;
    t->cfg.attempts = attempts;
    t->cfg.hosts_file = write_tmp("hosts", hosts_text);
    t->cfg.resolv_conf = write_tmp("resolv.conf", resolv ? resolv
        : "nameserver 192.0.2.1\nsearch example.internal\noptions ndots:1\n");
    return t->cfg.hosts_file && t->cfg.resolv_conf;
}

#define START_FAILED (-100)     /* run(): httpx__dns_start gave NULL */

/* Resolves host the way the engine would: poll the fd until the deadline,
   step, repeat. Each step is timed. Returns step's result, or START_FAILED. */
static int run(const httpx__dns_config *cfg, const char *host, httpx__addrs *out, httpx__err *e, double *elapsed) {
    double t0 = httpx__now(), limit = t0 + 15;
    httpx__dns *d;
    int r;
    test_clock k = test_clock_start();
    memset(out, 0, sizeof *out);
    memset(e, 0, sizeof *e);
    d = httpx__dns_start(cfg, host, 8080, e);
    if (test_waited(k, STEP_MAX))
        test_fail(__FILE__, __LINE__, "httpx__dns_start(%s) waited %.3f s", host, test_clock_seconds(k));
    if (!d) {
        if (elapsed) *elapsed = httpx__now() - t0;
        return START_FAILED;
    }
    for (;;) {
        double dl;
        struct pollfd pf;
        int fd, ms;
        k = test_clock_start();
        r = httpx__dns_step(d, out, e);
        if (test_waited(k, STEP_MAX))
            test_fail(__FILE__, __LINE__, "httpx__dns_step(%s) waited %.3f s", host, test_clock_seconds(k));
        if (r != 0) break;
        if (httpx__now() > limit) {
            test_fail(__FILE__, __LINE__, "resolving %s did not end within 15 s", host);
            break;
        }
        fd = httpx__dns_fd(d);
        dl = httpx__dns_deadline(d);
        ms = dl > 0 ? (int)((dl - httpx__now()) * 1000) + 1 : 1000;
        if (ms < 0) ms = 0;
        if (ms > 1000) ms = 1000;
        pf.fd = fd;
        pf.events = httpx__dns_events(d);
        pf.revents = 0;
        poll(&pf, fd >= 0 ? 1 : 0, ms);
    }
    httpx__dns_free(d);
    if (elapsed) *elapsed = httpx__now() - t0;
    return r;
}

/* "ip,ip,..." without ports; also checks every port is 8080. */
static const char *addrs_str(const httpx__addrs *a) {
    static char buf[8][512];
    static unsigned next;
    char *out = buf[next++ % 8];
    int i;
    out[0] = 0;
    for (i = 0; i < a->count; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&a->addr[i];
        char ip[64] = "?";
        int port = 0;
        if (sa->sa_family == AF_INET) {
            const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
            inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
            port = ntohs(s4->sin_port);
            if (a->len[i] != sizeof *s4) port = -1;
        } else if (sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
            inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
            port = ntohs(s6->sin6_port);
            if (a->len[i] != sizeof *s6) port = -1;
        }
        snprintf(out + strlen(out), sizeof buf[0] - strlen(out), "%s%s%s", i ? "," : "", ip,
                 port == 8080 ? "" : "(bad port)");
    }
    return out;
}

#define CHECK_HAS(s, sub) do { const char *s_ = (s), *sub_ = (sub);                          \
    if (!strstr(s_, sub_)) test_fail(__FILE__, __LINE__, "\"%s\" lacks \"%s\"", s_, sub_); } while (0)

/* Resolves and expects these addresses. */
#define EXPECT_OK(cfg, host, want) do { httpx__addrs xa_; httpx__err xe_; double xt_;            \
    int xr_ = run(cfg, host, &xa_, &xe_, &xt_);                                                   \
    if (xr_ != 1) test_fail(__FILE__, __LINE__, "%s: result %d: %s", host, xr_, xe_.msg);       \
    else CHECK_STR(addrs_str(&xa_), want); } while (0)

/* Resolves and expects HTTPX_ERR_CONNECT naming the host, with `sub` in the message. */
#define EXPECT_FAIL(cfg, host, sub) do { httpx__addrs xa_; httpx__err xe_; double xt_;           \
    char who_[300];                                                                           \
    int xr_ = run(cfg, host, &xa_, &xe_, &xt_);                                                   \
    snprintf(who_, sizeof who_, "could not resolve host '%s'", host);                         \
    if (xr_ >= 0) test_fail(__FILE__, __LINE__, "%s: resolved to %s", host, addrs_str(&xa_));   \
    else { CHECK_INT(xe_.code, HTTPX_ERR_CONNECT); CHECK_HAS(xe_.msg, who_); CHECK_HAS(xe_.msg, sub); } \
    } while (0)

static const char *unique(const char *behaviour) {
    static char buf[8][128];
    static unsigned next, serial;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s.r%u-%d.test", behaviour, ++serial, (int)getpid());
    return p;
}

/* A UDP port on 127.0.0.1 with nobody behind it (ICMP port unreachable). */
static int dead_udp_port(void) {
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_DGRAM, 0), port = 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

/* ---- answers known at once ---- */

static void expect_immediate(const httpx__dns_config *cfg, const char *host, const char *want) {
    httpx__err e;
    httpx__addrs a;
    httpx__dns *d;
    memset(&e, 0, sizeof e);
    d = httpx__dns_start(cfg, host, 8080, &e);
    if (!d) { test_fail(__FILE__, __LINE__, "%s: start failed: %s", host, e.msg); return; }
    CHECK_INT(httpx__dns_fd(d), -1);
    CHECK(httpx__dns_deadline(d) == 0);
    if (httpx__dns_step(d, &a, &e) != 1) test_fail(__FILE__, __LINE__, "%s: not answered at once", host);
    else if (strcmp(addrs_str(&a), want) != 0)
        test_fail(__FILE__, __LINE__, "%s: got %s, expected %s", host, addrs_str(&a), want);
    CHECK_INT(httpx__dns_step(d, &a, &e), 1);   /* asking again is fine */
    httpx__dns_free(d);
}

TEST(dns_numeric_and_localhost_at_once) {
    httpx__dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.hosts_file = write_tmp("hosts", hosts_text);
    cfg.resolv_conf = write_tmp("resolv-none.conf", "nameserver 192.0.2.1\n");   /* never used */
    expect_immediate(&cfg, "127.0.0.1", "127.0.0.1");
    expect_immediate(&cfg, "192.168.10.20", "192.168.10.20");
    expect_immediate(&cfg, "::1", "::1");
    expect_immediate(&cfg, "2001:db8::5", "2001:db8::5");
    expect_immediate(&cfg, "::ffff:1.2.3.4", "::ffff:1.2.3.4");
    expect_immediate(&cfg, "localhost", "::1,127.0.0.1");
    expect_immediate(&cfg, "LocalHost.", "::1,127.0.0.1");
    expect_immediate(&cfg, "app.localhost", "::1,127.0.0.1");
}

TEST(dns_hosts_file) {
    httpx__dns_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.hosts_file = write_tmp("hosts", hosts_text);
    cfg.resolv_conf = write_tmp("resolv-none.conf", "nameserver 192.0.2.1\n");
    expect_immediate(&cfg, "files.test", "fd00::7,10.1.2.3");
    expect_immediate(&cfg, "alias.test", "10.1.2.3");
    expect_immediate(&cfg, "FILES.test.", "fd00::7,10.1.2.3");
    expect_immediate(&cfg, "upper.test", "10.9.9.9");
    expect_immediate(&cfg, "dotted.test", "10.5.5.5");
}

TEST(dns_invalid_names_fail_at_start) {
    static const char *const bad[] = { "", "a..b", ".a", "a b", "x\x01y", "..", NULL };
    char longlabel[80], longname[300];
    httpx__dns_config cfg;
    httpx__err e;
    int i;
    memset(&cfg, 0, sizeof cfg);
    cfg.hosts_file = write_tmp("hosts", hosts_text);
    cfg.resolv_conf = write_tmp("resolv-none.conf", "nameserver 192.0.2.1\n");
    for (i = 0; bad[i]; i++) {
        memset(&e, 0, sizeof e);
        if (httpx__dns_start(&cfg, bad[i], 80, &e)) test_fail(__FILE__, __LINE__, "'%s' was accepted", bad[i]);
        CHECK_INT(e.code, HTTPX_ERR_CONNECT);
        CHECK_HAS(e.msg, "invalid host name");
    }
    memset(longlabel, 'a', 64);
    strcpy(longlabel + 64, ".test");
    memset(&e, 0, sizeof e);
    CHECK(httpx__dns_start(&cfg, longlabel, 80, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_CONNECT);
    for (i = 0; i < 255; i++) longname[i] = i % 2 ? '.' : 'a';   /* 255 bytes, no final dot */
    longname[255] = 0;
    memset(&e, 0, sizeof e);
    CHECK(httpx__dns_start(&cfg, longname, 80, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_CONNECT);
}

#ifndef HTTPX_DNS_THREADS   /* the stub resolver: with threads, getaddrinfo replaces it */

/* ---- resolv.conf ---- */

TEST(dns_resolv_conf_parsing) {
    httpx__dns_config cfg;
    char out[1024];
    const char *ns[] = { "10.0.0.1", "[fe80::1%3]:5353", "not-an-ip", "10.0.0.2:54", NULL };
    memset(&cfg, 0, sizeof cfg);
    cfg.resolv_conf = write_tmp("r1.conf",
        "# comment\n"
        "; another\n"
        "nameserver 192.0.2.1\n"
        "nameserver   2001:db8::53   # trailing\n"
        "nameserver bogus\n"
        "nameserver 192.0.2.2\n"
        "nameserver 192.0.2.3\n"          /* a fourth one: ignored, as glibc does */
        "domain first.example\n"
        "search a.example b.example. . c.example\n"
        "options rotate ndots:3 timeout:5 attempts:9 edns0\n"
        "sortlist 130.155.160.0/255.255.240.0\n");
    httpx__dns_describe(&cfg, "www", out, sizeof out);
    CHECK_STR(out, "ns=192.0.2.1:53,[2001:db8::53]:53,192.0.2.2:53 ndots=3 timeout=5 attempts=5 "
                   "search=a.example,b.example,c.example names=www.a.example;www.b.example;www.c.example;www");
    httpx__dns_describe(&cfg, "a.b.c.d", out, sizeof out);
    CHECK_HAS(out, "names=a.b.c.d;a.b.c.d.a.example;a.b.c.d.b.example;a.b.c.d.c.example");
    httpx__dns_describe(&cfg, "a.b", out, sizeof out);
    CHECK_HAS(out, "names=a.b.a.example;a.b.b.example;a.b.c.example;a.b");
    httpx__dns_describe(&cfg, "abs.olute.", out, sizeof out);
    CHECK_HAS(out, "names=abs.olute");

    /* "domain" after "search": the last one wins */
    cfg.resolv_conf = write_tmp("r2.conf", "search x.example y.example\ndomain z.example\noptions ndots:0\n");
    httpx__dns_describe(&cfg, "host", out, sizeof out);
    CHECK_STR(out, "ns=127.0.0.1:53 ndots=0 timeout=2 attempts=2 search=z.example names=host;host.z.example");

    /* the caller's settings win over the file's */
    cfg.nameservers = ns;
    cfg.timeout = 0.25;
    cfg.attempts = 3;
    cfg.resolv_conf = write_tmp("r3.conf", "nameserver 192.0.2.9\noptions timeout:7 attempts:4\n");
    httpx__dns_describe(&cfg, "h", out, sizeof out);
    CHECK_STR(out, "ns=10.0.0.1:53,[fe80::1]:5353,10.0.0.2:54 ndots=1 timeout=0.25 attempts=3 search= names=h");

    /* no file: glibc's defaults */
    memset(&cfg, 0, sizeof cfg);
    cfg.resolv_conf = tmp_path("does-not-exist.conf");
    httpx__dns_describe(&cfg, "h.x", out, sizeof out);
    CHECK_STR(out, "ns=127.0.0.1:53 ndots=1 timeout=2 attempts=2 search= names=h.x");

    /* a very long line and junk do not break the parser */
    {
        char big[5000];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = 0;
        memcpy(big, "search ", 7);
        big[3000] = '\n';
        memcpy(big + 3001, "nameserver 10.0.0.9\n", 20);
        cfg.resolv_conf = write_tmp("r4.conf", big);
        httpx__dns_describe(&cfg, "h", out, sizeof out);
        CHECK_HAS(out, "ns=10.0.0.9:53");
    }
}

/* ---- the stub resolver against the test server ---- */

TEST(dns_stub_answers) {
    test_cfg t;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    EXPECT_OK(&t.cfg, "ok.test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "v4only.test", "127.0.0.1");
    EXPECT_OK(&t.cfg, "v6only.test", "::1");
    EXPECT_OK(&t.cfg, "case.test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "OK.Test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "cname.test", "::3,127.0.0.3");
    {   /* one family fails, the other answered: that is enough, at once */
        httpx__addrs a;
        httpx__err e;
        double el;
        t.cfg.timeout = 10;      /* waiting for the AAAA retry would take 10 s: far from any load */
        CHECK_INT(run(&t.cfg, "aaaa-servfail.test", &a, &e, &el), 1);
        CHECK_STR(addrs_str(&a), "127.0.0.1");
        CHECK(el < 5);
        t.cfg.timeout = 0.5;
    }
    /* more addresses than fit: the first HTTPX__MAX_ADDRS, families interleaved */
    EXPECT_OK(&t.cfg, "many.test", "127.0.1.1,127.0.1.2,127.0.1.3,127.0.1.4,127.0.1.5,127.0.1.6,127.0.1.7,127.0.1.8");
    EXPECT_OK(&t.cfg, "many6.test",
              "2001:db8::1,127.0.0.1,2001:db8::2,2001:db8::3,2001:db8::4,2001:db8::5,2001:db8::6,2001:db8::7");
}

TEST(dns_stub_start_returns_at_once) {
    test_cfg t;
    httpx__dns *d;
    httpx__addrs a;
    httpx__err e;
    test_clock k;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    memset(&e, 0, sizeof e);
    k = test_clock_start();
    d = httpx__dns_start(&t.cfg, "delay-200.test", 443, &e);
    REQUIRE(d);
    CHECK(!test_waited(k, STEP_MAX));
    CHECK(httpx__dns_fd(d) >= 0);
    CHECK(httpx__dns_deadline(d) > httpx__now());
    CHECK(httpx__dns_deadline(d) < httpx__now() + 0.6);
    k = test_clock_start();
    CHECK_INT(httpx__dns_step(d, &a, &e), 0);   /* the answer is 200 ms away */
    CHECK(!test_waited(k, STEP_MAX));
    httpx__dns_free(d);                          /* dropped while running: no leak, no crash */
}

TEST(dns_stub_errors) {
    test_cfg t;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    EXPECT_FAIL(&t.cfg, "nxdomain.test", "NXDOMAIN (the name does not exist)");
    EXPECT_FAIL(&t.cfg, "servfail.test", "SERVFAIL");
    EXPECT_FAIL(&t.cfg, "refused.test", "REFUSED");
    EXPECT_FAIL(&t.cfg, "nodata.test", "no A or AAAA record");
    EXPECT_FAIL(&t.cfg, "cnameloop.test", "no A or AAAA record");
    EXPECT_FAIL(&t.cfg, "malformed.test", "malformed answer");
    EXPECT_FAIL(&t.cfg, "badrdlen.test", "malformed answer");
    EXPECT_FAIL(&t.cfg, "ptrloop.test", "malformed answer");
    EXPECT_FAIL(&t.cfg, "ptrfwd.test", "malformed answer");
}

TEST(dns_stub_ignores_spoofed_answers) {
    test_cfg t;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    /* each of these first sends a packet that must not be believed, then the truth */
    EXPECT_OK(&t.cfg, "wrongid.test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "wrongq.test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "noqr.test", "::1,127.0.0.1");
    EXPECT_OK(&t.cfg, "short.test", "::1,127.0.0.1");
}

TEST(dns_stub_timeout_and_retry) {
    test_cfg t;
    httpx__addrs a;
    httpx__err e;
    double el;
    int r;
    REQUIRE(setup(&t, 0.3, 2, NULL));
    /* never answered: timeout * attempts, then a message that says so */
    r = run(&t.cfg, "drop.test", &a, &e, &el);
    CHECK_INT(r, HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_CONNECT);
    CHECK_HAS(e.msg, "could not resolve host 'drop.test': nameserver 127.0.0.1:");
    CHECK_HAS(e.msg, "did not answer within 0.3 s (2 attempts)");
    /* lower bounds only (a loaded machine makes things late, never early);
       the upper ones are the run's 15 s limit */
    if (el < 0.55) test_fail(__FILE__, __LINE__, "drop took %.3f s, expected 0.6", el);

    /* the first try lost, the retry answered */
    r = run(&t.cfg, unique("drop-once"), &a, &e, &el);
    CHECK_INT(r, 1);
    CHECK_STR(addrs_str(&a), "::1,127.0.0.1");
    if (el < 0.28) test_fail(__FILE__, __LINE__, "drop-once took %.3f s, expected 0.3", el);

    /* an answer to the first try that comes during the second is taken (the
       retry keeps the id): the server answers the retries with other
       addresses, so the answer says which one was taken, not the clock */
    r = run(&t.cfg, unique("delayfirst-450"), &a, &e, &el);
    CHECK_INT(r, 1);
    CHECK_STR(addrs_str(&a), "::1,127.0.0.1");
    if (el < 0.4) test_fail(__FILE__, __LINE__, "delayfirst-450 took %.3f s", el);
    EXPECT_OK(&t.cfg, "delay-50.test", "::1,127.0.0.1");

    /* only answers with the wrong id: a timeout that says what was seen */
    r = run(&t.cfg, "wrongid-never.test", &a, &e, &el);
    CHECK_INT(r, HTTPX__BAD);
    CHECK_HAS(e.msg, "did not answer within 0.3 s (2 attempts)");
    CHECK_HAS(e.msg, "ignored");

    /* one attempt */
    t.cfg.attempts = 1;
    r = run(&t.cfg, "drop.test", &a, &e, &el);
    CHECK_INT(r, HTTPX__BAD);
    CHECK_HAS(e.msg, "did not answer within 0.3 s (1 attempt)");
    if (el < 0.28) test_fail(__FILE__, __LINE__, "drop (1 attempt) took %.3f s", el);
}

TEST(dns_stub_nameservers) {
    test_cfg t;
    httpx__addrs a;
    httpx__err e;
    double el;
    int r, dead = dead_udp_port();
    REQUIRE(dead);
    REQUIRE(setup(&t, 10.0, 2, NULL));   /* a wait for a timeout would take 10 s: the bounds are 5 */
    /* the first nameserver is not there: on to the second without waiting */
    snprintf(t.ns1, sizeof t.ns1, "%s", t.ns0);
    snprintf(t.ns0, sizeof t.ns0, "127.0.0.1:%d", dead);
    t.ns[1] = t.ns1;
    r = run(&t.cfg, "ok.test", &a, &e, &el);
    CHECK_INT(r, 1);
    CHECK_STR(addrs_str(&a), "::1,127.0.0.1");
    CHECK(el < 5);
    /* nobody at all */
    t.ns[1] = NULL;
    r = run(&t.cfg, "ok.test", &a, &e, &el);
    CHECK(r < 0);   /* the refusal may come back before httpx__dns_start returns */
    CHECK_INT(e.code, HTTPX_ERR_CONNECT);
    CHECK_HAS(e.msg, "refused the query");
    CHECK(el < 5);
}

TEST(dns_stub_truncated_answers_go_tcp) {
    test_cfg t;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    EXPECT_OK(&t.cfg, "trunc.test",
              "::10,127.0.0.10,127.0.0.11,127.0.0.12,127.0.0.13,127.0.0.14,127.0.0.15,127.0.0.16");
    EXPECT_FAIL(&t.cfg, "trunc-close.test", "closed the TCP connection");
}

TEST(dns_stub_search_domains) {
    test_cfg t;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    /* fewer dots than ndots: the search domain first */
    EXPECT_OK(&t.cfg, "host", "127.0.0.5");
    /* enough dots: as it is first */
    EXPECT_OK(&t.cfg, "host.test", "127.0.0.6");
    /* as it is fails (NXDOMAIN), then with the search domain */
    EXPECT_OK(&t.cfg, "host.nowhere", "127.0.0.5");
    /* absolute: no search */
    EXPECT_FAIL(&t.cfg, "host.", "NXDOMAIN");
    /* ndots:2: "host.test" is now relative, so the search domain comes first */
    REQUIRE(setup(&t, 0.5, 2, "search example.internal other.internal\noptions ndots:2\n"));
    EXPECT_OK(&t.cfg, "host.test", "127.0.0.5");
    EXPECT_OK(&t.cfg, "host.test.", "127.0.0.6");
    /* every name NXDOMAIN: the message names what the caller asked for */
    EXPECT_FAIL(&t.cfg, "nothere", "NXDOMAIN");
}

TEST(dns_stub_free_while_running) {
    test_cfg t;
    httpx__err e;
    httpx__addrs a;
    httpx__dns *d;
    int i;
    REQUIRE(setup(&t, 0.5, 2, NULL));
    for (i = 0; i < 3; i++) {
        memset(&e, 0, sizeof e);
        d = httpx__dns_start(&t.cfg, i == 0 ? "drop.test" : i == 1 ? "delay-100.test" : "trunc.test", 80, &e);
        REQUIRE(d);
        if (i == 2) {   /* into the TCP fallback, then dropped */
            double end = httpx__now() + 2;
            while (httpx__now() < end && httpx__dns_step(d, &a, &e) == 0) {
                struct pollfd pf;
                pf.fd = httpx__dns_fd(d);
                pf.events = POLLIN;
                if (poll(&pf, 1, 5) > 0) break;
            }
        }
        httpx__dns_free(d);
    }
    httpx__dns_free(NULL);
}

/* 30 hostile answers with the right id, then a SERVFAIL: whatever they do,
   the lookup ends, with an error or addresses, and nothing crashes (run
   under `make asan T=dns`). */
TEST(dns_stub_fuzzed_answers) {
    test_cfg t;
    int seed, ok = 0, failed = 0;
    REQUIRE(setup(&t, 0.3, 10, NULL));   /* a malformed answer ends a try: more tries, more packets read */
    for (seed = 0; seed < 60; seed++) {
        char name[64];
        httpx__addrs a;
        httpx__err e;
        double el;
        int r;
        snprintf(name, sizeof name, "fuzz-%d.test", seed);
        r = run(&t.cfg, name, &a, &e, &el);
        if (r == 1) {
            ok++;
            CHECK(a.count > 0 && a.count <= HTTPX__MAX_ADDRS);
        } else {
            failed++;
            CHECK_INT(r, HTTPX__BAD);
            CHECK_INT(e.code, HTTPX_ERR_CONNECT);
            CHECK_HAS(e.msg, name);
        }
    }
    CHECK(ok + failed == 60);
}

/* ---- the answer parser alone ---- */

/* Builds "id 0, response, question <name> <type>", then the given tail, into p. */
static size_t packet(unsigned char *p, unsigned flags, unsigned ancount, const char *name, int type,
                     const void *tail, size_t tail_len) {
    size_t n = 12;
    const char *s = name;
    memset(p, 0, 12);
    p[2] = (unsigned char)(flags >> 8);
    p[3] = (unsigned char)flags;
    p[5] = 1;
    p[7] = (unsigned char)ancount;
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        p[n++] = (unsigned char)l;
        memcpy(p + n, s, l);
        n += l;
        s += l + (dot ? 1 : 0);
    }
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = (unsigned char)type;
    p[n++] = 0;
    p[n++] = 1;
    memcpy(p + n, tail, tail_len);
    return n + tail_len;
}

/* Copies pkt to the very end of a page followed by a PROT_NONE page, so that
   any read past the end faults. */
static int parse_guarded(const unsigned char *pkt, size_t len, const char *name, int type, char *out, size_t cap) {
    static unsigned char *mem;
    static long page;
    unsigned char *at;
    if (!mem) {
        page = sysconf(_SC_PAGESIZE);
        mem = (unsigned char *)mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) { mem = NULL; return httpx__dns_parse_answer(pkt, len, name, type, out, cap); }
        mprotect(mem + page * 2, (size_t)page, PROT_NONE);
    }
    if (len > (size_t)page * 2) len = (size_t)page * 2;
    at = mem + page * 2 - len;
    memcpy(at, pkt, len);
    return httpx__dns_parse_answer(at, len, name, type, out, cap);
}

TEST(dns_parse_answers) {
    unsigned char p[1024];
    char out[512];
    size_t n;
    /* owner as a pointer to the question, A 1.2.3.4 */
    static const unsigned char a1[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    /* CNAME to "x.y" (written out), then x.y A 5.6.7.8 with the owner a pointer to the CNAME target */
    static const unsigned char cn[] = { 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 5, 1, 'x', 1, 'y', 0,
                                        0xc0, 33, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 5, 6, 7, 8 };
    static const unsigned char a_other[] = { 1, 'z', 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 6, 6, 6, 6 };
    static const unsigned char aaaa[] = { 0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
                                          0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
    static const unsigned char loop[] = { 0xc0, 21, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    static const unsigned char fwd[] = { 0xc0, 23, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    static const unsigned char far[] = { 0xff, 0xff, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    static const unsigned char ext[] = { 0x41, 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    static const unsigned char rdlen[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 1, 2, 3, 4 };
    static const unsigned char a3[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3 };

    n = packet(p, 0x8180, 1, "a.b", 1, a1, sizeof a1);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 1);
    CHECK_STR(out, "rcode=0 tc=0 1.2.3.4");
    CHECK_INT(parse_guarded(p, n, "A.B", 1, out, sizeof out), 1);           /* case-insensitive */
    CHECK_INT(parse_guarded(p, n, "a.c", 1, out, sizeof out), 0);           /* another question */
    CHECK_INT(parse_guarded(p, n, "a.b", 28, out, sizeof out), 0);          /* another type */
    CHECK_INT(parse_guarded(p, n - 1, "a.b", 1, out, sizeof out), -1);      /* cut short */
    CHECK_INT(parse_guarded(p, 11, "a.b", 1, out, sizeof out), 0);          /* not even a header */
    n = packet(p, 0x0180, 1, "a.b", 1, a1, sizeof a1);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 0);           /* QR clear */
    n = packet(p, 0x8180, 2, "a.b", 1, cn, sizeof cn);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 1);
    CHECK_STR(out, "rcode=0 tc=0 5.6.7.8");
    n = packet(p, 0x8180, 1, "a.b", 1, a_other, sizeof a_other);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 1);
    CHECK_STR(out, "rcode=0 tc=0");                                         /* not its name: not used */
    n = packet(p, 0x8180, 1, "a.b", 28, aaaa, sizeof aaaa);
    CHECK_INT(parse_guarded(p, n, "a.b", 28, out, sizeof out), 1);
    CHECK_STR(out, "rcode=0 tc=0 2001:db8::9");
    n = packet(p, 0x8183, 0, "a.b", 1, "", 0);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 1);
    CHECK_STR(out, "rcode=3 tc=0");
    n = packet(p, 0x8380, 0, "a.b", 1, "", 0);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), 1);
    CHECK_STR(out, "rcode=0 tc=1");
    n = packet(p, 0x8180, 5, "a.b", 1, a1, sizeof a1);                      /* ANCOUNT too big */
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, loop, sizeof loop);                  /* pointer to itself */
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, fwd, sizeof fwd);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, far, sizeof far);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, ext, sizeof ext);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, rdlen, sizeof rdlen);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    n = packet(p, 0x8180, 1, "a.b", 1, a3, sizeof a3);
    CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    /* a pointer chain that goes back and forth between two names */
    {
        static const unsigned char pp[] = { 1, 'q', 0xc0, 23,   /* offset 21: "q" then -> 23 */
                                            1, 'r', 0xc0, 21,   /* offset 25: "r" then -> 21 */
                                            0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
        n = packet(p, 0x8180, 1, "a.b", 1, pp, sizeof pp);
        CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    }
    /* a name longer than 255 bytes made of pointers to labels */
    {
        unsigned char tail[600];
        size_t k = 0, i;
        for (i = 0; i < 5; i++) { tail[k++] = 63; memset(tail + k, 'a', 63); k += 63; }
        tail[k++] = 0;
        memcpy(tail + k, "\0\1\0\1\0\0\0\x3c\0\4\1\2\3\4", 14);
        k += 14;
        n = packet(p, 0x8180, 1, "a.b", 1, tail, k);
        CHECK_INT(parse_guarded(p, n, "a.b", 1, out, sizeof out), -1);
    }
}

/* Random changes to valid answers, many times over, with a guard page behind
   each: no crash, no read past the end, never an address that is not in the
   packet's records (checked loosely: at most HTTPX__MAX_ADDRS of each family). */
TEST(dns_parse_fuzz) {
    static const unsigned char cn[] = { 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 5, 1, 'x', 1, 'y', 0,
                                        0xc0, 33, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 5, 6, 7, 8,
                                        0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
                                        0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
    unsigned char base[512], p[512];
    char out[1024];
    size_t n, len;
    unsigned long long x = 12345;
    int i, j, counts[3] = { 0, 0, 0 };
    n = packet(base, 0x8180, 3, "a.b", 1, cn, sizeof cn);
    for (i = 0; i < 200000; i++) {
        int r, flips;
        memcpy(p, base, n);
        len = n;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        flips = 1 + (int)((x >> 33) % 4);
        for (j = 0; j < flips; j++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            p[(x >> 33) % n] = (unsigned char)(x >> 20);
        }
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        if ((x >> 40) % 4 == 0) len = (size_t)((x >> 20) % (n + 1));
        r = parse_guarded(p, len, "a.b", (i & 1) ? 28 : 1, out, sizeof out);
        if (r < -1 || r > 1) { test_fail(__FILE__, __LINE__, "result %d", r); break; }
        counts[r + 1]++;
    }
    CHECK(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
}

#else
/* getaddrinfo on a thread. "127.1" is not an address for inet_pton, so it
   reaches the thread, and getaddrinfo reads it as 127.0.0.1 (inet_aton)
   without asking anybody: no query leaves the machine. */
TEST(dns_threads) {
    httpx__dns_config cfg;
    httpx__addrs a;
    httpx__err e;
    double el;
    int i;
    memset(&cfg, 0, sizeof cfg);
    cfg.hosts_file = write_tmp("hosts", hosts_text);
    expect_immediate(&cfg, "files.test", "fd00::7,10.1.2.3");
    expect_immediate(&cfg, "localhost", "::1,127.0.0.1");
    CHECK_INT(run(&cfg, "127.1", &a, &e, &el), 1);
    CHECK_STR(addrs_str(&a), "127.0.0.1");
    for (i = 0; i < 50; i++) {   /* dropped while the thread may still run: it cleans up */
        httpx__dns *d = httpx__dns_start(&cfg, "127.1", 80, &e);
        REQUIRE(d);
        CHECK(httpx__dns_fd(d) >= 0);
        CHECK_INT(httpx__dns_events(d), POLLIN);   /* the thread's pipe */
        CHECK(httpx__dns_deadline(d) == 0);        /* getaddrinfo keeps its own time */
        if (i % 2) usleep(1000);
        httpx__dns_free(d);
    }
    httpx__dns_threads_wait_idle();   /* the threads free their jobs before the leak check at exit */
}
#endif
