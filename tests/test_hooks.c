/* Event hooks (httpx_client_opts.request_hooks / response_hooks, HTTPX's
   event_hooks): called in order, on every hop of a redirect, in both faces,
   over HTTP/1.1 (rogue.py), HTTP/2 (h2_server.py, h2c prior knowledge) and
   the mock; a hook's error ends the request and nothing more is sent. And
   httpx_raise_for_status's words, HTTPX's. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include <stdlib.h>

/* A logging hook's record: one line per call, "name: what it saw". */
typedef struct hook_log {
    int n;
    char line[24][160];
    /* the request hook that fails, and on which URL (a substring) */
    const char *fail_on;
    httpx_error fail_with;
} hook_log;

static void log_line(hook_log *lg, const char *fmt, const char *a, const char *b) {
    if (lg->n < 24) snprintf(lg->line[lg->n], sizeof lg->line[0], fmt, a, b);
    lg->n++;
}

static const char *path_of(const char *url) {
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return p ? p : url;
}

static httpx_error req_first(void *ud, httpx_req *q) {
    hook_log *lg = (hook_log *)ud;
    log_line(lg, "req1 %s %s", httpx_request_method(q), path_of(httpx_request_url(q)));
    return httpx_request_set_header(q, "X-Hook-One", "1");
}

/* The second hook sees what the first one did. */
static httpx_error req_second(void *ud, httpx_req *q) {
    hook_log *lg = (hook_log *)ud;
    const char *one = httpx_request_header(q, "x-hook-one");
    log_line(lg, "req2 saw x-hook-one=%s%s", one ? one : "none", "");
    if (lg->fail_on && strstr(httpx_request_url(q), lg->fail_on)) return lg->fail_with;
    return httpx_request_add_header(q, "X-Hook-Two", "2");
}

static httpx_error resp_log(void *ud, httpx_response *r) {
    hook_log *lg = (hook_log *)ud;
    char code[16];
    snprintf(code, sizeof code, "%d", r->status_code);
    log_line(lg, "resp %s %s", code, path_of(r->url));
    /* the head only: no body byte has been kept yet */
    if (r->content_length != 0) log_line(lg, "resp saw a body%s%s", "", "");
    return HTTPX_OK;
}

static httpx_error resp_raise(void *ud, httpx_response *r) {
    (void)ud;
    return httpx_raise_for_status(r);
}

static httpx_client *hooked_client(hook_log *lg, const httpx_client_opts *base, bool raise) {
    /* on the stack, names in a buffer that is overwritten after: the client
       must keep its own copies */
    char names[3][16];
    httpx_request_hook rq[3];
    httpx_response_hook rs[3];
    httpx_client_opts o;
    httpx_client *c;
    if (base) o = *base;
    else memset(&o, 0, sizeof o);
    strcpy(names[0], "first");
    strcpy(names[1], "second");
    strcpy(names[2], "raise");
    memset(rq, 0, sizeof rq);
    memset(rs, 0, sizeof rs);
    rq[0].fn = req_first, rq[0].user_data = lg, rq[0].name = names[0];
    rq[1].fn = req_second, rq[1].user_data = lg, rq[1].name = names[1];
    rs[0].fn = resp_log, rs[0].user_data = lg;
    if (raise) rs[1].fn = resp_raise, rs[1].name = names[2];
    o.request_hooks = rq;
    o.response_hooks = rs;
    c = httpx_client_new(&o);
    memset(names, 'x', sizeof names);
    memset(rq, 0, sizeof rq);
    memset(rs, 0, sizeof rs);
    return c;
}

/* The task face: started, then polled until done (a generous bound). */
static httpx_response *run_task(httpx_client *c, httpx_task **tp, const char *method, const char *url) {
    httpx_task *t = httpx_client_start(c, method, url, NULL);
    int i;
    *tp = t;
    if (!t) return NULL;
    for (i = 0; i < 6000 && !httpx_task_done(t); i++) httpx_client_poll(c, 10);
    return httpx_task_response(t);
}

/* ---- the mock ---- */

static void mock_api(void *ud, const httpx_req *q, httpx_mock_reply *p) {
    int *calls = (int *)ud;
    const char *path = path_of(httpx_request_url(q));
    const char *one = httpx_request_header(q, "x-hook-one"), *two = httpx_request_header(q, "x-hook-two");
    char body[128];
    (*calls)++;
    if (!strcmp(path, "/old")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "/new");
        httpx_reply_body(p, "moved", 5);
    } else if (!strcmp(path, "/missing")) {
        httpx_reply_status(p, 404);
    } else {
        snprintf(body, sizeof body, "one=%s two=%s", one ? one : "none", two ? two : "none");
        httpx_reply_body(p, body, strlen(body));
    }
}

static void check_mock_hops(bool task) {
    hook_log lg;
    int calls = 0;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.mock = mock_api;
    o.mock_user_data = &calls;
    o.follow_redirects = true;
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = task ? run_task(c, &t, "GET", "http://api.test/old") : httpx_client_get(c, "http://api.test/old", NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "one=1 two=2");
    CHECK_INT(calls, 2);
    CHECK_INT(lg.n, 6);
    CHECK_STR(lg.line[0], "req1 GET /old");
    CHECK_STR(lg.line[1], "req2 saw x-hook-one=1");
    CHECK_STR(lg.line[2], "resp 302 /old");
    CHECK_STR(lg.line[3], "req1 GET /new");
    CHECK_STR(lg.line[4], "req2 saw x-hook-one=1");
    CHECK_STR(lg.line[5], "resp 200 /new");
    if (task) httpx_task_free(t);
    else httpx_response_free(r);
    httpx_client_free(c);
}

TEST(hooks_mock_every_hop_in_order) { check_mock_hops(false); }
TEST(hooks_mock_every_hop_in_order_task) { check_mock_hops(true); }

/* A request hook's error on the second hop: the mock never sees that hop. */
static void check_mock_request_error(bool task) {
    hook_log lg;
    int calls = 0;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    lg.fail_on = "/new";
    lg.fail_with = HTTPX_ERR_INVALID_ARGUMENT;
    o.mock = mock_api;
    o.mock_user_data = &calls;
    o.follow_redirects = true;
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = task ? run_task(c, &t, "GET", "http://api.test/old") : httpx_client_get(c, "http://api.test/old", NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "request hook 'second' #2") != NULL);
    CHECK_INT(calls, 1);
    CHECK_INT(lg.n, 5);     /* no response hook for the hop that never went */
    if (task) httpx_task_free(t);
    else httpx_response_free(r);
    /* the client goes on: the next request is sent and hooked again */
    lg.fail_on = NULL;
    r = httpx_client_get(c, "http://api.test/new", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "one=1 two=2");
    CHECK_INT(calls, 2);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(hooks_mock_request_error_stops) { check_mock_request_error(false); }
TEST(hooks_mock_request_error_stops_task) { check_mock_request_error(true); }

/* raise_for_status in a response hook, over the mock: the 404 ends the
   request with HTTPX's words. */
TEST(hooks_mock_raise_for_status) {
    hook_log lg;
    int calls = 0;
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.mock = mock_api;
    o.mock_user_data = &calls;
    c = hooked_client(&lg, &o, true);
    REQUIRE(c);
    r = httpx_client_get(c, "http://api.test/missing", NULL);
    CHECK_INT(r->error, HTTPX_ERR_STATUS);
    CHECK_STR(r->error_message, "Client error '404 Not Found' for url 'http://api.test/missing'\n"
                                "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404");
    CHECK_INT(r->status_code, 404);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://api.test/fine", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->error_message, "");
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A hook that returns something that is no httpx_error. */
static httpx_error resp_nonsense(void *ud, httpx_response *r) {
    (void)ud;
    (void)r;
    return (httpx_error)12345;
}

TEST(hooks_mock_bad_return_code) {
    int calls = 0;
    httpx_response_hook rs[2] = {{resp_nonsense, NULL, NULL}, {NULL, NULL, NULL}};
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    memset(&o, 0, sizeof o);
    o.mock = mock_api;
    o.mock_user_data = &calls;
    o.response_hooks = rs;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, "http://api.test/fine", NULL);
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    CHECK(strstr(r->error_message, "response hook #1 returned 12345") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- HTTP/1.1: rogue.py ---- */

static int hits(const char *key) {
    char path[128];
    httpx_response *r;
    int n;
    snprintf(path, sizeof path, "/hits?key=%s", key);
    r = httpx_get(fx_rogue_at(path), NULL);
    n = r && !r->error && r->status_code == 200 ? atoi(r->content) : -1;
    httpx_response_free(r);
    return n;
}

/* The request hooks' headers reach the server on every hop; the response
   hooks see each hop's head. */
static void check_rogue_hops(bool task) {
    hook_log lg;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = task ? run_task(c, &t, "GET", fx_rogue_at("/redirect?to=/echo&code=307"))
             : httpx_client_get(c, fx_rogue_at("/redirect?to=/echo&code=307"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK(strstr(r->content, "GET /echo HTTP/1.1\r\n") != NULL);
    CHECK(strstr(r->content, "X-Hook-One: 1\r\n") != NULL);
    CHECK(strstr(r->content, "X-Hook-Two: 2\r\n") != NULL);
    CHECK_INT(lg.n, 6);
    CHECK_STR(lg.line[0], "req1 GET /redirect?to=/echo&code=307");
    CHECK_STR(lg.line[2], "resp 307 /redirect?to=/echo&code=307");
    CHECK_STR(lg.line[3], "req1 GET /echo");
    CHECK_STR(lg.line[5], "resp 200 /echo");
    if (task) httpx_task_free(t);
    else httpx_response_free(r);
    httpx_client_free(c);
}

TEST(hooks_h1_every_hop) { check_rogue_hops(false); }
TEST(hooks_h1_every_hop_task) { check_rogue_hops(true); }

/* raise_for_status in a response hook on a redirect being followed: the
   request ends on the 302 and the next hop is never sent (the server counts). */
static void check_rogue_raise_on_redirect(bool task) {
    hook_log lg;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    char url[256], key[64], want[512];
    REQUIRE(fx_rogue_port());
    snprintf(key, sizeof key, "hooks-raise-%d", task);
    snprintf(url, sizeof url, "/redirect?to=/hit%%3Fkey%%3D%s", key);
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    c = hooked_client(&lg, &o, true);
    REQUIRE(c);
    r = task ? run_task(c, &t, "GET", fx_rogue_at(url)) : httpx_client_get(c, fx_rogue_at(url), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_STATUS);
    CHECK_INT(r->status_code, 302);
    snprintf(want, sizeof want,
             "Redirect response '302 Found' for url '%s'\nRedirect location: '/hit?key=%s'\n"
             "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/302",
             fx_rogue_at(url), key);
    CHECK_STR(r->error_message, want);
    CHECK_INT(lg.n, 3);
    if (task) httpx_task_free(t);
    else httpx_response_free(r);
    httpx_client_free(c);
    CHECK_INT(hits(key), 0);
}

TEST(hooks_h1_raise_on_redirect_stops) { check_rogue_raise_on_redirect(false); }
TEST(hooks_h1_raise_on_redirect_stops_task) { check_rogue_raise_on_redirect(true); }

/* A request hook that fails on the redirect's second hop: not sent. */
TEST(hooks_h1_request_error_not_sent) {
    hook_log lg;
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    lg.fail_on = "/hit";
    lg.fail_with = HTTPX_ERR_CANCELLED;
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/redirect?to=/hit%3Fkey%3Dhooks-req-stop"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    CHECK(strstr(r->error_message, "request hook 'second' #2 ended the request") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    CHECK_INT(hits("hooks-req-stop"), 0);
}

/* Response hooks run when the head is in, before the body: a hook that
   says no ends a request whose body would stall for 30 s, at once, with
   its own error rather than a timeout. */
static httpx_error resp_refuse(void *ud, httpx_response *r) {
    (void)ud;
    return r->status_code == 200 ? HTTPX_ERR_CANCELLED : HTTPX_OK;
}

TEST(hooks_h1_response_hook_before_body) {
    httpx_response_hook rs[2] = {{resp_refuse, NULL, "refuse"}, {NULL, NULL, NULL}};
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    memset(&o, 0, sizeof o);
    o.response_hooks = rs;
    o.timeout.read = 60;
    c = httpx_client_new(&o);
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/stall-body"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    CHECK(strstr(r->error_message, "response hook 'refuse' #1") != NULL);
    CHECK(r->elapsed < 20);     /* far from the stall's 30 s and the 60 s timeout */
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A stream too: the hook sees the head before httpx_stream returns. */
TEST(hooks_h1_stream_head) {
    hook_log lg;
    httpx_client *c;
    httpx_response *r;
    char buf[64];
    long n, total = 0;
    REQUIRE(fx_rogue_port());
    memset(&lg, 0, sizeof lg);
    c = hooked_client(&lg, NULL, false);
    REQUIRE(c);
    r = httpx_client_stream(c, "GET", fx_rogue_at("/bytes/5000"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(lg.n, 3);
    CHECK_STR(lg.line[2], "resp 200 /bytes/5000");
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) total += n;
    CHECK_INT(total, 5000);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- HTTP/2: h2_server.py over h2c ---- */

static const char *py_at(const char *path) {
    static char bufs[8][256];
    static unsigned k;
    char *b = bufs[k++ % 8];
    snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", fxh2_py_port(), path);
    return b;
}

static void check_h2_hops(bool task) {
    hook_log lg;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    REQUIRE(fxh2_py_port());
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    o.http2_prior_knowledge = true;
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = task ? run_task(c, &t, "GET", py_at("/redirect/302?to=/headers"))
             : httpx_client_get(c, py_at("/redirect/302?to=/headers"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->http_version, "HTTP/2");
    CHECK(strstr(r->content, "x-hook-one: 1\n") != NULL);
    CHECK(strstr(r->content, "x-hook-two: 2\n") != NULL);
    CHECK_INT(lg.n, 6);
    CHECK_STR(lg.line[2], "resp 302 /redirect/302?to=/headers");
    CHECK_STR(lg.line[5], "resp 200 /headers");
    if (task) httpx_task_free(t);
    else httpx_response_free(r);
    httpx_client_free(c);
}

TEST(hooks_h2_every_hop) { check_h2_hops(false); }
TEST(hooks_h2_every_hop_task) { check_h2_hops(true); }

/* A hook's error ends one stream; the connection serves the next request.
   HTTP/2 responses carry no reason phrase: the message has the standard one. */
TEST(hooks_h2_raise_then_next) {
    hook_log lg;
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    char want[512];
    REQUIRE(fxh2_py_port());
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    o.http2_prior_knowledge = true;
    c = hooked_client(&lg, &o, true);
    REQUIRE(c);
    r = httpx_client_get(c, py_at("/redirect/404?to=/x"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_STATUS);
    snprintf(want, sizeof want,
             "Client error '404 Not Found' for url '%s'\n"
             "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404",
             py_at("/redirect/404?to=/x"));
    CHECK_STR(r->error_message, want);
    httpx_response_free(r);
    r = httpx_client_get(c, py_at("/bytes/100000"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 100000);
    CHECK(r->connection_reused);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- httpx_raise_for_status's words ---- */

static void status_mock(void *ud, const httpx_req *q, httpx_mock_reply *p) {
    const char *path = path_of(httpx_request_url(q));
    (void)ud;
    httpx_reply_status(p, atoi(path + 1));
    if (atoi(path + 1) / 100 == 3) httpx_reply_header(p, "Location", "https://elsewhere.test/next?a=1");
}

static httpx_response *status_get(httpx_client *c, const char *path) {
    char url[4200];
    snprintf(url, sizeof url, "http://api.test%s", path);
    return httpx_client_get(c, url, NULL);
}

#define LINK "\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/"

TEST(raise_for_status_words) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = status_mock });
    httpx_response *r;
    REQUIRE(c);
    r = status_get(c, "/200");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_OK);
    CHECK_STR(r->error_message, "");
    httpx_response_free(r);
    r = status_get(c, "/204");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_OK);
    httpx_response_free(r);
    r = status_get(c, "/404");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_INT(r->error, HTTPX_OK);          /* the response stays usable */
    CHECK_STR(r->error_message, "Client error '404 Not Found' for url 'http://api.test/404'" LINK "404");
    httpx_response_free(r);
    r = status_get(c, "/503");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_STR(r->error_message, "Server error '503 Service Unavailable' for url 'http://api.test/503'" LINK "503");
    httpx_response_free(r);
    r = status_get(c, "/302");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_STR(r->error_message, "Redirect response '302 Found' for url 'http://api.test/302'\n"
                                "Redirect location: 'https://elsewhere.test/next?a=1'" LINK "302");
    httpx_response_free(r);
    r = status_get(c, "/304");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK(strstr(r->error_message, "Redirect response '304 Not Modified'") == r->error_message);
    httpx_response_free(r);
    r = status_get(c, "/101");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_STR(r->error_message,
              "Informational response '101 Switching Protocols' for url 'http://api.test/101'" LINK "101");
    httpx_response_free(r);
    r = status_get(c, "/599");      /* no standard reason phrase: empty, as HTTPX's */
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK_STR(r->error_message, "Server error '599 ' for url 'http://api.test/599'" LINK "599");
    httpx_response_free(r);
    httpx_client_free(c);
    CHECK_INT(httpx_raise_for_status(NULL), HTTPX_ERR_NOMEM);
}

/* A long URL is in the message whole (no 240-byte cut). */
TEST(raise_for_status_long_url) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = status_mock });
    char path[4000];
    httpx_response *r;
    REQUIRE(c);
    memset(path, 'a', sizeof path);
    memcpy(path, "/404?q=", 7);
    path[sizeof path - 1] = 0;
    r = status_get(c, path);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    CHECK(strlen(r->error_message) > 4000);
    CHECK(strstr(r->error_message, path) != NULL);
    CHECK(strstr(r->error_message, LINK "404") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* Over the network: the server's reason phrase; a transport error comes first. */
TEST(raise_for_status_network) {
    httpx_response *r;
    char want[256];
    REQUIRE(fx_rogue_port());
    r = httpx_get(fx_rogue_at("/status/418"), NULL);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    snprintf(want, sizeof want, "Client error '418 I'm a Teapot' for url '%s'" LINK "418", fx_rogue_at("/status/418"));
    CHECK_STR(r->error_message, want);
    httpx_response_free(r);
    r = httpx_get(fx_url(fx_closed_port(), "/"), NULL);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_CONNECT);
    httpx_response_free(r);
}

/* A request hook that says no to the first hop of a task: the task ends
   with that error (nothing dialled), over the mock and the network. */
static void check_first_hop_refused(bool mock) {
    hook_log lg;
    int calls = 0;
    httpx_client_opts o;
    httpx_client *c;
    httpx_task *t = NULL;
    httpx_response *r;
    memset(&lg, 0, sizeof lg);
    memset(&o, 0, sizeof o);
    lg.fail_on = "/hit";
    lg.fail_with = HTTPX_ERR_INVALID_ARGUMENT;
    if (mock) {
        o.mock = mock_api;
        o.mock_user_data = &calls;
    } else {
        REQUIRE(fx_rogue_port());
    }
    c = hooked_client(&lg, &o, false);
    REQUIRE(c);
    r = run_task(c, &t, "GET", mock ? "http://api.test/hit" : fx_rogue_at("/hit?key=hooks-first-hop"));
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "request hook 'second' #2") != NULL);
    CHECK_INT(r->status_code, 0);
    CHECK_INT(calls, 0);
    httpx_task_free(t);
    httpx_client_free(c);
    if (!mock) CHECK_INT(hits("hooks-first-hop"), 0);
}

TEST(hooks_request_error_first_hop_task) {
    check_first_hop_refused(true);
    check_first_hop_refused(false);
}
