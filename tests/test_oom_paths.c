/* Out of memory at every allocation of a full request, one path at a time
   (build/oom PATH ..., tests/oom/oom.c, built with ASan and UBSan: a leak
   or a crash fails the run), against the real servers of the fixtures.
   Each failure must come out as HTTPX_ERR_NOMEM, or the request succeeds
   with the right body when the failed allocation was optional. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include "fixtures_run.h"
#include "fixtures_tls.h"
#include <stdlib.h>

static char out[8192];

static void oom_path(const char *file, int line, const char *path, const char *url, const char *ca) {
    char cmd[1024], want[64];
    snprintf(cmd, sizeof cmd, "build/oom %s '%s' '%s' 2>&1", path, url, ca ? ca : "");
    snprintf(want, sizeof want, "oom %s: ", path);
    if (!fx_have_prog("oom")) {
        test_fail(file, line, "build/oom is missing (make build/oom)");
        return;
    }
    if (fx_run(cmd, out, sizeof out) != 0 || !strstr(out, want) || !strstr(out, " each failed in turn, 0 bad outcomes"))
        test_fail(file, line, "%s: %s", cmd, out);
    else
        printf("  %s", strstr(out, want));
}
#define OOM_PATH(path, url, ca) oom_path(__FILE__, __LINE__, path, url, ca)

TEST(oom_path_plain) {
    REQUIRE(fx_nginx_port());
    OOM_PATH("plain", fx_nginx_at("/hello.txt"), NULL);
}

TEST(oom_path_upload_redirect_json) {
    REQUIRE(fx_rogue_port());
    OOM_PATH("upload", fx_rogue_url(), NULL);
    OOM_PATH("redirect", fx_rogue_url(), NULL);
    OOM_PATH("json", fx_rogue_url(), NULL);
#ifndef HTTPX_NO_INFLATE
    OOM_PATH("gzip", fx_rogue_url(), NULL);
#endif
    OOM_PATH("cookies", fx_rogue_url(), NULL);
}

TEST(oom_path_digest) {
    OOM_PATH("digest", "mock", NULL);
}

TEST(oom_path_hooks) {
    REQUIRE(fx_rogue_port());
    OOM_PATH("hooks", fx_rogue_url(), NULL);
}

/* no server: the app transport and mock routes */
TEST(oom_path_app_and_routes) {
    OOM_PATH("app", "-", NULL);
}

#ifndef HTTPX_NO_HTTP2
TEST(oom_path_h2c) {
    int port = fxh2_nghttpd_port();
    REQUIRE(port);
    OOM_PATH("h2c", fx_url(port, "/hello.txt"), NULL);
}
#endif

#ifdef HTTPX_BEARSSL
TEST(oom_path_tls) {
    char url[128];
    int port = fxt_nginx_port("rsa");
    REQUIRE(port && fxt_cert("ca.pem"));
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    OOM_PATH("tls", url, fxt_cert("ca.pem"));
}

TEST(oom_path_h2tls) {
    char url[128];
    int port = fxt_nginx_port("h2");
    REQUIRE(port && fxt_cert("ca.pem"));
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    OOM_PATH("h2tls", url, fxt_cert("ca.pem"));
}
#endif
