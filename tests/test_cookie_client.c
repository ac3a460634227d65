/* The client's cookie jar in requests (issue 15): the tutorial login flow
   (GET /cookies/set/NAME/VALUE, a 302 to /cookies, which shows the
   cookie) in one call, through both faces (blocking, task), over HTTP/1.1
   (rogue.py), HTTP/2 over TLS (nginx) and the mock transport; one-shot
   calls; what must not leak (another origin, Secure over http); per-request
   cookies; a caller's jar; the Cookie header's cap. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_tls.h"
#include <stdlib.h>
#include <unistd.h>

#ifndef HTTPX_NO_COOKIES

/* One request through one face; the task (if any) is kept until got_free. */
typedef struct got { httpx_response *r; httpx_task *t; } got;

static got get_via(httpx_client *c, bool task, const char *url, const httpx_opts *o) {
    got g;
    g.t = NULL;
    if (task) {
        g.t = httpx_client_start(c, "GET", url, o);
        g.r = g.t ? httpx_task_wait(g.t) : NULL;
    } else {
        g.r = httpx_client_get(c, url, o);
    }
    return g;
}

static void got_free(got *g) {
    if (g->t) httpx_task_free(g->t);
    else httpx_response_free(g->r);
}

/* The mock's login flow: what rogue.py and nginx do, from memory. */
static void cookie_api(void *user, const httpx_req *q, httpx_mock_reply *p) {
    const char *url = httpx_request_url(q), *path = strstr(url, "://");
    const char *cookie = httpx_request_header(q, "cookie");
    char text[512];
    (void)user;
    path = path ? strchr(path + 3, '/') : NULL;
    if (path && !strncmp(path, "/cookies/set/", 13)) {
        char name[64], value[64];
        if (sscanf(path + 13, "%63[^/]/%63s", name, value) == 2) {
            snprintf(text, sizeof text, "%s=%s; Path=/", name, value);
            httpx_reply_status(p, 302);
            httpx_reply_header(p, "Set-Cookie", text);
            httpx_reply_header(p, "Location", "/cookies");
            return;
        }
    }
    if (path && !strcmp(path, "/cookies")) {
        snprintf(text, sizeof text, "cookie: %s\n", cookie ? cookie : "");
        httpx_reply_body(p, text, 0);
        return;
    }
    httpx_reply_status(p, 404);
}

/* The flow through one face; body_has: what the final body shows. */
static void login_flow(const char *file, int line, httpx_client *c, bool task, const char *set_url,
                       const char *again_url, const char *body_has, const char *version) {
    got g = get_via(c, task, set_url, NULL);
    if (!g.r || g.r->error || g.r->status_code != 200 || !strstr(g.r->content, body_has) ||
        strcmp(g.r->http_version, version) != 0 || httpx_response_history_len(g.r) != 1 ||
        httpx_response_history(g.r, 0)->status_code != 302)
        test_fail(file, line, "%s login through the %s: error '%s', status %d, %s, history %zu, body '%.200s'",
                  version, task ? "task" : "blocking call", g.r ? g.r->error_message : "NULL",
                  g.r ? g.r->status_code : 0, g.r ? g.r->http_version : "", g.r ? httpx_response_history_len(g.r) : 0,
                  g.r ? g.r->content : "");
    got_free(&g);
    /* the jar has it; the next request carries it */
    if (!httpx_cookies_get(httpx_client_cookies(c), "session", NULL, NULL))
        test_fail(file, line, "the client's jar has no 'session' cookie after the login");
    g = get_via(c, task, again_url, NULL);
    if (!g.r || g.r->error || !strstr(g.r->content, body_has))
        test_fail(file, line, "the next request did not carry the cookie: '%.200s'", g.r ? g.r->content : "");
    got_free(&g);
}
#define LOGIN_FLOW(c, task, set_url, again_url, body_has, version) \
    login_flow(__FILE__, __LINE__, c, task, set_url, again_url, body_has, version)

TEST(cookie_client_login_flow_http1_both_faces) {
    int task;
    REQUIRE(fx_rogue_port());
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true });
        REQUIRE(c);
        LOGIN_FLOW(c, task, fx_rogue_at("/cookies/set/session/abc123"), fx_rogue_at("/cookies"),
                   "\"session\": \"abc123\"", "HTTP/1.1");
        httpx_client_free(c);
    }
}

TEST(cookie_client_login_flow_mock_both_faces) {
    int task;
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true, .mock = cookie_api });
        REQUIRE(c);
        LOGIN_FLOW(c, task, "http://api.test/cookies/set/session/abc123", "http://api.test/cookies",
                   "cookie: session=abc123\n", "HTTP/1.1");
        httpx_client_free(c);
    }
}

#ifdef HTTPX_BEARSSL
static const char *tls_at(int port, const char *path) {
    static char buf[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "https://127.0.0.1:%d%s", port, path);
    return buf[k];
}

TEST(cookie_client_login_flow_http2_both_faces) {
    int task, port = fxt_nginx_port("h2");
    REQUIRE(port && fxt_cert("ca.pem"));
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true, .http2 = true,
                                                                 .tls = { .ca_file = fxt_cert("ca.pem") } });
        REQUIRE(c);
        LOGIN_FLOW(c, task, tls_at(port, "/cookies/set/session/abc123"), tls_at(port, "/cookies"),
                   "cookie: session=abc123\n", "HTTP/2");
        httpx_client_free(c);
    }
}

/* A Secure cookie goes over https only: the same host over http does not get it. */
TEST(cookie_client_secure_only_over_https) {
    int port = fxt_nginx_port("rsa"), plain = fx_nginx_port();
    httpx_client *c;
    httpx_response *r;
    char url[128];
    REQUIRE(port && plain && fxt_cert("ca.pem"));
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .ca_file = fxt_cert("ca.pem") } });
    REQUIRE(c);
    r = httpx_client_get(c, tls_at(port, "/cookies/secure"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    REQUIRE(httpx_cookies_get(httpx_client_cookies(c), "sec", "127.0.0.1", "/"));
    r = httpx_client_get(c, tls_at(port, "/cookies"), NULL);
    CHECK_STR(r->content, "cookie: sec=1\n");
    httpx_response_free(r);
    /* the same host over http (rogue.py's /cookies): no Secure cookie */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/cookies", fx_rogue_port());
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(!strstr(r->content, "sec"));
    CHECK(httpx_request_header(httpx_response_request(r), "cookie") == NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif

/* One-shot calls have a jar of their own: the login flow works in one call. */
TEST(cookie_client_oneshot_login_flow) {
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    r = httpx_get(fx_rogue_at("/cookies/set/session/one"), &(httpx_opts){ .follow_redirects = HTTPX_YES });
    CHECK_INT(r->status_code, 200);
    CHECK_STR(httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session")), "one");
    httpx_response_free(r);
    /* and nothing stays behind for the next one-shot call */
    r = httpx_get(fx_rogue_at("/cookies"), NULL);
    CHECK(httpx_json_path(httpx_json(r), "cookies") && !httpx_json_path(httpx_json(r), "cookies.session"));
    httpx_response_free(r);
}

/* A cookie of 127.0.0.1 does not follow a redirect to localhost (another
   host), nor does a Cookie header the caller gave. */
TEST(cookie_client_not_leaked_across_origins) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true });
    httpx_response *r;
    char to[160], url[256];
    REQUIRE(c && fx_rogue_port());
    r = httpx_client_get(c, fx_rogue_at("/cookies/set/session/abc"), NULL);
    CHECK_STR(httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session")), "abc");
    httpx_response_free(r);
    snprintf(to, sizeof to, "http://localhost:%d/cookies", fx_rogue_port());
    snprintf(url, sizeof url, "%s", fx_rogue_at("/redirect?to="));
    snprintf(url + strlen(url), sizeof url - strlen(url), "%s", to);
    r = httpx_client_get(c, url, NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->url, to);
    CHECK(httpx_json_path(httpx_json(r), "cookies") && !httpx_json_path(httpx_json(r), "cookies.session"));
    CHECK(httpx_request_header(httpx_response_request(r), "cookie") == NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, url, &(httpx_opts){ .headers = (httpx_pair[]){{"Cookie", "mine=1"}, {0}},
                                                 .cookies = (httpx_pair[]){{"req", "2"}, {0}} });
    CHECK_INT(r->status_code, 200);
    CHECK(httpx_request_header(httpx_response_request(r), "cookie") == NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* httpx_opts.cookies: sent with the jar's, winning by name, never stored;
   a caller's own Cookie header goes as it is, without the jar's. */
TEST(cookie_client_request_cookies_and_caller_header) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){
        .cookies = (httpx_pair[]){{"a", "client"}, {"keep", "k"}, {0}} });
    httpx_response *r;
    REQUIRE(c && fx_rogue_port());
    r = httpx_client_get(c, fx_rogue_at("/echo"), &(httpx_opts){ .cookies = (httpx_pair[]){{"a", "req"}, {"b", "2"}, {0}} });
    CHECK(strstr(r->content, "\r\nCookie: keep=k; a=req; b=2\r\n") != NULL);
    httpx_response_free(r);
    CHECK_STR(httpx_cookies_get(httpx_client_cookies(c), "a", NULL, NULL), "client");
    CHECK(httpx_cookies_get(httpx_client_cookies(c), "b", NULL, NULL) == NULL);
    r = httpx_client_get(c, fx_rogue_at("/echo"), &(httpx_opts){ .headers = (httpx_pair[]){{"Cookie", "own=1"}, {0}} });
    CHECK(strstr(r->content, "\r\nCookie: own=1\r\n") != NULL);
    CHECK(strstr(r->content, "keep=k") == NULL);
    httpx_response_free(r);
    /* a bad request cookie fails before anything is sent */
    r = httpx_client_get(c, fx_rogue_at("/echo"), &(httpx_opts){ .cookies = (httpx_pair[]){{"a;b", "1"}, {0}} });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "httpx_opts.cookies") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo"), &(httpx_opts){ .cookies = (httpx_pair[]){{"a", "x\r\nEvil: 1"}, {0}} });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* no_cookies: nothing kept, nothing sent but a request's own. */
TEST(cookie_client_no_cookies) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .no_cookies = true, .follow_redirects = true });
    httpx_response *r;
    REQUIRE(c && fx_rogue_port());
    CHECK(httpx_client_cookies(c) == NULL);
    r = httpx_client_get(c, fx_rogue_at("/cookies/set/session/abc"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(!httpx_json_path(httpx_json(r), "cookies.session"));
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/cookies"), &(httpx_opts){ .cookies = (httpx_pair[]){{"x", "1"}, {0}} });
    CHECK_STR(httpx_json_string(httpx_json_path(httpx_json(r), "cookies.x")), "1");
    httpx_response_free(r);
    httpx_client_free(c);
    /* client cookies without a jar make no sense: every request says so */
    c = httpx_client_new(&(httpx_client_opts){ .no_cookies = true, .cookies = (httpx_pair[]){{"x", "1"}, {0}} });
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/cookies"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "no_cookies") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A jar of the caller's: loaded from a file, used by a client, saved. */
TEST(cookie_client_user_jar_saved_and_loaded) {
    char dir[] = "/tmp/httpx-cookie-client-XXXXXX", file[128];
    httpx_cookies *jar = httpx_cookies_new(), *again;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(jar && mkdtemp(dir) && fx_rogue_port());
    snprintf(file, sizeof file, "%s/jar.txt", dir);
    c = httpx_client_new(&(httpx_client_opts){ .cookie_jar = jar, .follow_redirects = true });
    REQUIRE(c);
    CHECK(httpx_client_cookies(c) == jar);
    r = httpx_client_get(c, fx_rogue_at("/cookies/set/session/saved"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    httpx_client_free(c);                       /* the jar is the caller's: still here */
    CHECK_STR(httpx_cookies_get(jar, "session", NULL, NULL), "saved");
    CHECK_INT(httpx_cookies_save(jar, file), HTTPX_OK);
    again = httpx_cookies_new();
    REQUIRE(again);
    CHECK_INT(httpx_cookies_load(again, file), HTTPX_OK);
    c = httpx_client_new(&(httpx_client_opts){ .cookie_jar = again });
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/cookies"), NULL);
    CHECK_STR(httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session")), "saved");
    httpx_response_free(r);
    httpx_client_free(c);
    httpx_cookies_free(again);
    httpx_cookies_free(jar);
    unlink(file);
    rmdir(dir);
}

/* More than HTTPX_COOKIE_MAX_HEADER bytes of cookies for a URL: the request
   fails saying so; nothing is dropped silently. */
TEST(cookie_client_header_cap) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = cookie_api });
    httpx_response *r;
    char big[4000];
    REQUIRE(c);
    memset(big, 'v', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK_INT(httpx_cookies_set(httpx_client_cookies(c), "a", big, "api.test", "/"), HTTPX_OK);
    CHECK_INT(httpx_cookies_set(httpx_client_cookies(c), "b", big, "api.test", "/"), HTTPX_OK);
    r = httpx_client_get(c, "http://api.test/cookies", NULL);
    CHECK_INT(r->status_code, 200);               /* 8 KB: still fits */
    httpx_response_free(r);
    CHECK_INT(httpx_cookies_set(httpx_client_cookies(c), "c", big, "api.test", "/"), HTTPX_OK);
    r = httpx_client_get(c, "http://api.test/cookies", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "HTTPX_COOKIE_MAX_HEADER") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

#endif /* HTTPX_NO_COOKIES */
