/* Every example builds (make examples) and runs against the test servers:
   nginx for files, the rogue server for its httpbin-like endpoints
   (/anything, /status/N, /delay/MS, /basic-auth, /bearer, /flaky, ...). */
#include "test.h"
#include "fixtures.h"
#include "fixtures_run.h"
#include "fixtures_tls.h"
#include "fixtures_httpbin.h"
#include <stdlib.h>
#include <unistd.h>

static char out[1 << 16];

/* Runs build/examples/NAME with up to two arguments; returns its exit status,
   output (stdout and stderr) in out. */
static int run_example(const char *name, const char *arg1, const char *arg2) {
    char prog[64], cmd[1024];
    snprintf(prog, sizeof prog, "examples/%s", name);
    if (!fx_have_prog(prog)) return -1;
    snprintf(cmd, sizeof cmd, "build/%s '%s'%s%s%s 2>&1", prog, arg1, arg2 ? " '" : "", arg2 ? arg2 : "",
             arg2 ? "'" : "");
    return fx_run(cmd, out, sizeof out);
}

#define HAS(s) do { CHECK(strstr(out, s) != NULL); if (!strstr(out, s)) printf("%s", out); } while (0)

TEST(examples_run_against_nginx) {
    int port = fx_nginx_port();
    REQUIRE(port);
    CHECK_INT(run_example("get", fx_url(port, "/hello.txt"), NULL), 0);
    HAS("HTTP/1.1 200 OK");
    HAS("Hello, world!");
    CHECK_INT(run_example("get", fx_url(port, "/status/404"), NULL), 1);
    CHECK_INT(run_example("client", fx_url(port, ""), NULL), 0);
    HAS("line: Hello, world!");
    CHECK_INT(run_example("gather", fx_url(port, "/hello.txt"), NULL), 0);
    HAS("150 of 150 requests succeeded");
    CHECK_INT(run_example("frame_loop", fx_url(port, "/hello.txt"), NULL), 0);
    HAS("3 requests done");
}

TEST(examples_cookie_session_file) {
    char dir[] = "/tmp/httpx-ex-cookies-XXXXXX", jar[128];
    char *text;
    REQUIRE(fx_rogue_url() && mkdtemp(dir));
    snprintf(jar, sizeof jar, "%s/cookies.txt", dir);
    CHECK_INT(run_example("cookies", fx_rogue_url(), jar), 0);
    HAS("login: 302, the response set session=abc123");
    HAS("cookies.txt: session=abc123 for 127.0.0.1, path /, session cookie");
    HAS("the server sees session=abc123");
    text = test_read_file(jar, NULL);
    CHECK(text && strstr(text, "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n"));
    free(text);
    remove(jar);
    rmdir(dir);
}

TEST(examples_redirects_history) {
    REQUIRE(fx_rogue_url());
    CHECK_INT(run_example("redirects", fx_rogue_url(), NULL), 0);
    HAS("hop 1: 302 ");
    HAS("/redirect/3  ->  /redirect/2");
    HAS("/redirect/1  ->  /anything");
    HAS("final: 200 ");
    HAS("/anything (3 redirects)");
    HAS("not followed: 302, next request would go to http://127.0.0.1:");
}

TEST(examples_quickstart_requests) {
    const char *base = fx_rogue_url();
    REQUIRE(base);
    CHECK_INT(run_example("methods", base, NULL), 0);
    HAS("PATCH    200 OK");
    HAS("HEAD     200 OK, 0 bytes");
    HAS("all methods worked");
    CHECK_INT(run_example("params", base, NULL), 0);
    HAS("/anything?page=1&key1=value1&key2=value2&key2=value3&q=C+%26+C%2B%2B+%3D+100%25");
    HAS("key2=[value2, value3], q=C & C++ = 100%, page=1");
    CHECK_INT(run_example("headers", base, NULL), 0);
    HAS("the server got User-Agent: my-app/0.0.1");
    HAS("x-multi #1: b");
    HAS("  Set-Cookie: b=2; Path=/\n");
    CHECK_INT(run_example("text", base, NULL), 0);
    HAS("  encoding: iso-8859-1\n  text: caf\xc3\xa9\n");
    HAS("json: n = 1");
    CHECK_INT(run_example("status", base, NULL), 0);
    HAS("/status/404  404 Not Found: client error");
    HAS("/status/503  503 Service Unavailable: server error");
    HAS("/status/302  302 Found: not a success");
    HAS("Redirect response '302 Found' for url '");
    HAS("Client error '404 Not Found' for url '");
}

TEST(examples_logging_hook) {
    const char *base = fx_rogue_url();
    char want[256];
    REQUIRE(base);
    CHECK_INT(run_example("logging_hook", base, NULL), 0);
    snprintf(want, sizeof want, "Request event hook: GET %s/redirect?to=/json - Waiting for response\n"
                                "Response event hook: GET %s/redirect?to=/json - Status 302\n", base, base);
    HAS(want);
    snprintf(want, sizeof want, "Request event hook: GET %s/json - Waiting for response\n"
                                "Response event hook: GET %s/json - Status 200\ndone: 200", base, base);
    HAS(want);
    snprintf(want, sizeof want, "failed: %s: Client error '404 Not Found' for url '%s/status/404'\n",
             httpx_strerror(HTTPX_ERR_STATUS), base);
    HAS(want);
    HAS("3 requests went out\n");
}

TEST(examples_request_bodies) {
    const char *base = fx_rogue_url();
    REQUIRE(base);
    CHECK_INT(run_example("post_form", base, NULL), 0);
    HAS("sent as application/x-www-form-urlencoded");
    HAS("comment=50% off & free shipping");
    CHECK_INT(run_example("post_json", base, NULL), 0);
    HAS("printf   name=Ada \"the Countess\" Lovelace, tags=2, tags[-1]=poetry");
    HAS("builder  name=Ada \"the Countess\" Lovelace, tags=3, tags[-1]=bernoulli");
    CHECK_INT(run_example("upload", base, NULL), 0);
    HAS("server got file upload-file: the contents of a file on disk");
    HAS("server got field message: hi");
}

TEST(examples_auth_timeouts_retries) {
    const char *base = fx_rogue_url();
    REQUIRE(base);
    CHECK_INT(run_example("auth", base, NULL), 0);
    HAS("basic, wrong password          401");
    HAS("basic, from the URL            200 authenticated");
    HAS("client bearer, turned off      401");
    HAS("custom                         200, server saw X-Signature: v1:");
    CHECK_INT(run_example("timeouts", base, NULL), 0);
    HAS("read timeout 0.3 s                 timeout (read timeout)");
    HAS("second, pool timeout 0.3 s         timeout (pool timeout)");
    CHECK_INT(run_example("retries", base, NULL), 0);
    HAS("try 2: Service Unavailable; again in 100 ms");
    HAS("-built-in/2 -> ok after 2 failures");
    HAS("-> ok after 2 failures");
}

/* digest_auth and token_refresh against Debian's python3-httpbin */
TEST(examples_digest_and_token_refresh) {
    int port = fx_httpbin_port();
    REQUIRE(port);
    CHECK_INT(run_example("digest_auth", fx_url(port, ""), NULL), 0);
    HAS("MD5                          200 {\"authenticated\":true");
    HAS("MD5, wrong password          401");
    HAS("SHA-256, auth-int            200");
    CHECK_INT(run_example("token_refresh", fx_url(port, ""), NULL), 0);
    HAS("401: fetched a new token \"t0ken-1\"");
    HAS("request 1: 200, sent Bearer t0ken-1");
    HAS("request 2: 200, sent Bearer t0ken-1");
    HAS("tokens fetched: 1");
}

TEST(examples_clients_loops_and_limits) {
    const char *base = fx_rogue_url();
    REQUIRE(base);
    CHECK_INT(run_example("reuse", base, NULL), 0);
    HAS("20 client GETs:");
    HAS("20 of them on connection #");
    CHECK_INT(run_example("rate_limit", base, NULL), 0);
    HAS("30 requests (30 ok) in ");
    /* 30 requests at 20 a second cannot finish in less than 29/20 s */
    CHECK(strstr(out, " in 1.") || strstr(out, " in 2.") || strstr(out, " in 3."));
    CHECK_INT(run_example("epoll_loop", base, NULL), 0);
    HAS("5 of 5 done in ");
}

/* A user's own test suite over the mock transport: no server at all. */
TEST(examples_mock_test) {
    CHECK_INT(run_example("mock_test", "", NULL), 0);
    HAS("reads the temperature                    ok");
    HAS("follows the service when it moves        ok");
    HAS("an unexpected request fails              ok");
    HAS("7 of 7 tests passed");
}

/* A tiny in-process app and its tests, as a Flask tutorial's test client. */
TEST(examples_app_test) {
    CHECK_INT(run_example("app_test", "", NULL), 0);
    HAS("lists the notes                          ok");
    HAS("exports a large CSV in pieces            ok");
    HAS("6 of 6 tests passed");
}

TEST(examples_download) {
    char dir[] = "/tmp/httpx-example-XXXXXX", file[64];
    size_t len = 0;
    char *d;
    REQUIRE(fx_nginx_port() && mkdtemp(dir));
    snprintf(file, sizeof file, "%s/out.bin", dir);
    CHECK_INT(run_example("download", fx_nginx_at("/1mb.bin"), file), 0);
    HAS("100% 1048576 of 1048576 bytes");
    d = test_read_file(file, &len);
    CHECK(d && len == 1048576 && (unsigned char)d[1000] == ((1000 * 7 + 3) & 0xff));
    free(d);
    remove(file);
    CHECK_INT(run_example("download", fx_nginx_at("/status/404"), file), 1);
    CHECK(access(file, F_OK) != 0);
    rmdir(dir);
}

#ifndef HTTPX_NO_INFLATE
/* nginx gzips the file; the example writes it decoded, or raw with --raw,
   and a broken stream leaves no file */
TEST(examples_gzip_download) {
    char dir[] = "/tmp/httpx-example-XXXXXX", file[64], *text, *d;
    size_t len = 0, i, at = 0, tlen = 200000;
    REQUIRE(fx_nginx_port() && fx_rogue_port() && mkdtemp(dir));
    text = (char *)malloc(tlen);
    REQUIRE(text);
    for (i = 0; at + 40 < tlen; i++) at += (size_t)snprintf(text + at, tlen - at, "row %zu of the example\n", i);
    REQUIRE(fx_nginx_write_file("example/big.txt", text, at) == 0);
    snprintf(file, sizeof file, "%s/out.txt", dir);
    CHECK_INT(run_example("gzip_download", fx_nginx_at("/gzip-on/example/big.txt"), file), 0);
    HAS("Content-Encoding: gzip");
    HAS("saved ");
    d = test_read_file(file, &len);
    CHECK(d && len == at && memcmp(d, text, at) == 0);
    free(d);
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "build/examples/gzip_download '%s' '%s' --raw 2>&1",
                 fx_nginx_at("/gzip-on/example/big.txt"), file);
        CHECK_INT(fx_run(cmd, out, sizeof out), 0);
        HAS("(kept: --raw)");
        d = test_read_file(file, &len);
        CHECK(d && len > 10 && len < at / 4 && (unsigned char)d[0] == 0x1f && (unsigned char)d[1] == 0x8b);
        free(d);
    }
    remove(file);
    CHECK_INT(run_example("gzip_download", fx_rogue_at("/enc/lines?n=100&cut=4"), file), 1);
    HAS("truncated gzip data");
    CHECK(access(file, F_OK) != 0);
    rmdir(dir);
    free(text);
}
#endif

#ifdef HTTPX_BEARSSL
TEST(examples_tls) {
    char url[64], cmd[512];
    REQUIRE(fxt_nginx_port("rsa") && fxt_cert("ca.pem"));
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", fxt_nginx_port("rsa"));
    /* the system store must not know the test CA, whatever the environment says */
    snprintf(cmd, sizeof cmd, "env -u SSL_CERT_FILE -u SSL_CERT_DIR build/examples/tls '%s' '%s' 2>&1", url,
             fxt_cert("ca.pem"));
    REQUIRE(fx_have_prog("examples/tls"));
    CHECK_INT(fx_run(cmd, out, sizeof out), 0);
    HAS("with its CA (ca_file)  HTTP/1.1 200, 12 bytes");
    HAS("with the system store  TLS error:");
    HAS("no_verify (unsafe)     HTTP/1.1 200");
}
#endif

TEST(out_of_memory_at_every_allocation) {
    char cmd[256];
    int port = fx_nginx_port();
    REQUIRE(port);
    snprintf(cmd, sizeof cmd, "build/oom '%s' 2>&1", fx_url(port, "/hello.txt"));
    CHECK_INT(fx_run(cmd, out, sizeof out), 0);
    HAS("every one failed in turn, 0 bad outcomes");
}
