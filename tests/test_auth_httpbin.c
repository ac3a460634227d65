/* Authentication against real servers: Debian's python3-httpbin
   (tests/servers/httpbin_server.py, HTTP/1.x), and h2_server.py's /digest
   for HTTP/2. Digest with each
   algorithm and qop it offers, basic, .netrc, in both faces; credentials
   and digest answers never go to another origin after a redirect. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_httpbin.h"
#include "fixtures_h2.h"
#include <stdlib.h>
#include <unistd.h>

static const char *hb(const char *path) { return fx_url(fx_httpbin_port(), path); }

/* one request in the face asked for; the response is the caller's (with its task) */
static httpx_response *go(httpx_client *c, int face, const char *url, const httpx_opts *o, httpx_task **t) {
    *t = NULL;
    if (face == 0) return httpx_client_get(c, url, o);
    *t = httpx_client_start(c, "GET", url, o);
    return httpx_task_wait(*t);
}

static void done(httpx_response *r, httpx_task *t) {
    if (t) httpx_task_free(t);
    else httpx_response_free(r);
}

TEST(auth_httpbin_digest_every_algorithm_and_qop) {
    const char *paths[] = {"/digest-auth/auth/user/passwd/MD5", "/digest-auth/auth/user/passwd/SHA-256",
                           "/digest-auth/auth-int/user/passwd/MD5", "/digest-auth/auth-int/user/passwd/SHA-256",
                           "/digest-auth/auth/user/passwd"};
    int i, face;
    REQUIRE(fx_httpbin_port());
    for (face = 0; face < 2; face++) {
        /* the client's auth, and the request's */
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .auth = httpx_digest_auth("user", "passwd") });
        httpx_client *plain = httpx_client_new(NULL);
        REQUIRE(c && plain);
        for (i = 0; i < 5; i++) {
            httpx_task *t;
            httpx_response *r = go(c, face, hb(paths[i]), NULL, &t);
            CHECK_INT(r->error, HTTPX_OK);
            CHECK_INT(r->status_code, 200);
            CHECK(r->content && strstr(r->content, "\"authenticated\":true") != NULL);
            CHECK(strstr(httpx_request_header(httpx_response_request(r), "authorization"), "Digest username=\"user\"") != NULL);
            done(r, t);
            r = go(plain, face, hb(paths[i]), &(httpx_opts){ .auth = httpx_digest_auth("user", "wrong") }, &t);
            CHECK_INT(r->error, HTTPX_OK);
            CHECK_INT(r->status_code, 401);
            done(r, t);
            r = go(plain, face, hb(paths[i]), NULL, &t);               /* no auth: the challenge */
            CHECK_INT(r->status_code, 401);
            CHECK(httpx_header(r, "www-authenticate") != NULL);
            done(r, t);
        }
        httpx_client_free(c);
        httpx_client_free(plain);
    }
}

TEST(auth_httpbin_basic_and_hidden) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    httpx_task *t;
    int face;
    REQUIRE(fx_httpbin_port() && c);
    for (face = 0; face < 2; face++) {
        r = go(c, face, hb("/basic-auth/user/passwd"), &(httpx_opts){ .auth = httpx_basic_auth("user", "passwd") }, &t);
        CHECK_INT(r->status_code, 200);
        done(r, t);
        r = go(c, face, hb("/basic-auth/user/passwd"), &(httpx_opts){ .auth = httpx_basic_auth("user", "no") }, &t);
        CHECK_INT(r->status_code, 401);
        done(r, t);
        r = go(c, face, hb("/hidden-basic-auth/user/passwd"), &(httpx_opts){ .auth = httpx_basic_auth("user", "passwd") }, &t);
        CHECK_INT(r->status_code, 200);
        done(r, t);
        r = go(c, face, hb("/hidden-basic-auth/user/passwd"), NULL, &t);
        CHECK_INT(r->status_code, 404);
        done(r, t);
    }
    httpx_client_free(c);
}

TEST(auth_httpbin_netrc) {
    char path[] = "/tmp/httpx-netrc-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "machine 127.0.0.1\n  login user\n  password passwd\n";
    const char *old = getenv("NETRC");
    char *saved = old ? strdup(old) : NULL;
    httpx_client *c, *off;
    httpx_response *r;
    httpx_task *t;
    int face;
    REQUIRE(fd >= 0 && fx_httpbin_port());
    REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    setenv("NETRC", path, 1);
    c = httpx_client_new(NULL);
    off = httpx_client_new(&(httpx_client_opts){ .trust_env = HTTPX_NO });
    for (face = 0; face < 2; face++) {
        r = go(c, face, hb("/basic-auth/user/passwd"), NULL, &t);
        CHECK_INT(r->status_code, 200);
        done(r, t);
        r = go(off, face, hb("/basic-auth/user/passwd"), NULL, &t);
        CHECK_INT(r->status_code, 401);
        done(r, t);
    }
    if (saved) setenv("NETRC", saved, 1);
    else unsetenv("NETRC");
    free(saved);
    unlink(path);
    httpx_client_free(c);
    httpx_client_free(off);
}

/* localhost and 127.0.0.1 are two origins on one server: what is sent to
   the first never reaches the second through a redirect. */
TEST(auth_httpbin_credentials_stay_with_their_origin) {
    char url[300], same[300];
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true });
    httpx_response *r;
    int port = fx_httpbin_port();
    REQUIRE(port && c);
    snprintf(url, sizeof url, "http://localhost:%d/redirect-to?url=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fheaders", port, port);
    snprintf(same, sizeof same, "http://127.0.0.1:%d/redirect-to?url=%%2Fheaders", port);
    r = httpx_client_get(c, url, &(httpx_opts){ .auth = httpx_basic_auth("user", "passwd") });
    CHECK_INT(r->status_code, 200);
    CHECK(r->content && strstr(r->content, "Authorization") == NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, same, &(httpx_opts){ .auth = httpx_basic_auth("user", "passwd") });
    CHECK_INT(r->status_code, 200);
    CHECK(r->content && strstr(r->content, "Authorization") != NULL);    /* the same origin keeps them */
    httpx_response_free(r);
    /* a digest challenge from another origin is not answered */
    snprintf(url, sizeof url,
             "http://localhost:%d/redirect-to?url=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fdigest-auth%%2Fauth%%2Fuser%%2Fpasswd",
             port, port);
    r = httpx_client_get(c, url, &(httpx_opts){ .auth = httpx_digest_auth("user", "passwd") });
    CHECK_INT(r->status_code, 401);
    CHECK(httpx_request_header(httpx_response_request(r), "authorization") == NULL);
    httpx_response_free(r);
    /* a same-origin redirect to it is */
    snprintf(same, sizeof same, "http://127.0.0.1:%d/redirect-to?url=%%2Fdigest-auth%%2Fauth%%2Fuser%%2Fpasswd", port);
    r = httpx_client_get(c, same, &(httpx_opts){ .auth = httpx_digest_auth("user", "passwd") });
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* HTTP/2 (h2c): digest answered on the same connection, in both faces,
   for a stream too (the 401's stream is reset, the answer goes on). */
TEST(auth_h2_digest_both_faces) {
    const char *algs[] = {"MD5", "MD5-sess", "SHA-256", "SHA-256-sess"};
    char url[200];
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = true,
                                                             .auth = httpx_digest_auth("user", "passwd") });
    httpx_response *r;
    httpx_task *t;
    int port = fxh2_py_port(), face, i;
    REQUIRE(port && c);
    for (face = 0; face < 2; face++)
        for (i = 0; i < 4; i++) {
            snprintf(url, sizeof url, "http://127.0.0.1:%d/digest?alg=%s", port, algs[i]);
            r = go(c, face, url, NULL, &t);
            CHECK_INT(r->error, HTTPX_OK);
            CHECK_STR(r->http_version, "HTTP/2");
            CHECK_INT(r->status_code, 200);
            CHECK_STR(r->content, "authenticated");
            done(r, t);
            r = go(c, face, url, &(httpx_opts){ .auth = httpx_digest_auth("user", "nope") }, &t);
            CHECK_INT(r->status_code, 401);
            done(r, t);
        }
    snprintf(url, sizeof url, "http://127.0.0.1:%d/digest", port);
    r = httpx_client_stream(c, "GET", url, NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    {
        char buf[64];
        long n = httpx_read(r, buf, sizeof buf - 1);
        CHECK_INT(n, 13);
        if (n > 0) { buf[n] = 0; CHECK_STR(buf, "authenticated"); }
    }
    httpx_response_free(r);
    httpx_client_free(c);
}
