/* Out of memory at every allocation: a client, a blocking request with
   params, headers and a JSON body, a stream, and nonblocking tasks are run
   with an allocator that fails after k allocations, for k = 0, 1, 2, ...
   until a run needs no more. Every run must end in a response whose error is
   set (or a NULL where the API allows it), never a crash, a leak (built with
   ASan) or a request sent half-built.
       build/oom http://127.0.0.1:PORT/hello.txt

   And one path at a time, each a full request against a real server, with
   the same sweep: every response is a success (with the right body: the
   allocation that failed was optional) or HTTPX_ERR_NOMEM, nothing else.
       build/oom plain    URL              a GET (nginx /hello.txt)
       build/oom tls      URL CAFILE       the same over TLS
       build/oom h2c      URL              HTTP/2 prior knowledge (blocking and a task)
       build/oom h2tls    URL CAFILE       HTTP/2 over TLS (ALPN)
       build/oom proxy    URL CAFILE PROXY through a proxy (CAFILE "" for http)
       build/oom upload   BASE             in memory, streamed with and without a
                                           length, multipart with a file on disk
                                           (rogue.py /discard, /anything)
       build/oom redirect BASE             two redirects followed (rogue.py)
       build/oom hooks BASE                event hooks on a redirect and a 404 (rogue.py)
       build/oom json     BASE             httpx_json on the response (rogue.py /json)
       build/oom digest   any              digest auth over the mock (a 401, then the
                                           answer), blocking and a task
       build/oom app      -                the app transport (an upload read in pieces, a
                                           produced body after a redirect) and mock routes
       build/oom cookies  BASE             the client's jar through a login redirect, with
                                           client and request cookies; the history and
                                           the Link header read (rogue.py /cookies, /set-header)
   It prints "oom PATH: N allocation points, each failed in turn, B bad
   outcomes" and exits 1 when B > 0. */
#define _POSIX_C_SOURCE 200809L     /* before any system header */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static long budget = -1;          /* allocations left; -1: no limit */
static long used;
static long cur_budget = -1;     /* the budget the run began with */
static long succeeded;            /* responses without error */
static void *oom_malloc(size_t n) {
    if (budget == 0) return NULL;
    if (budget > 0) budget--;
    used++;
    return malloc(n);
}
static void *oom_realloc(void *p, size_t n) {
    if (budget == 0) return NULL;
    if (budget > 0) budget--;
    used++;
    return realloc(p, n);
}
#define HTTPX_MALLOC(n) oom_malloc(n)
#define HTTPX_REALLOC(p, n) oom_realloc(p, n)
#define HTTPX_FREE(p) free(p)
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"

/* The mock transport: a redirect, then an echo of a streamed body. */
static void mock_api(void *user_data, const httpx_req *q, httpx_mock_reply *p) {
    size_t n;
    const char *b = httpx_request_body(q, &n);
    (void)user_data;
    if (strstr(httpx_request_url(q), "/old")) {
        httpx_reply_status(p, 307);
        httpx_reply_header(p, "Location", "/new");
        return;
    }
    httpx_reply_header(p, "X-Seen", httpx_request_method(q));
    httpx_reply_body(p, b ? b : "none", b ? n : 0);
}

static long three(void *user_data, void *buf, size_t cap) {
    int *left = (int *)user_data;
    if (!*left || cap < 3) return 0;
    (*left)--;
    memcpy(buf, "abc", 3);
    return 3;
}

static int run_mock(void) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = mock_api, .follow_redirects = true });
    httpx_response *r;
    httpx_task *t;
    int bad = 0, left = 2;
    if (!c) return 0;
    r = httpx_client_put(c, "http://mock.test/old", &(httpx_opts){ .content = "body" });
    if (r) {
        bad += r->error == HTTPX_OK && (r->status_code != 200 || strcmp(r->content, "body") != 0);
        succeeded += r->error == HTTPX_OK;
        httpx_response_free(r);
    }
    t = httpx_client_start(c, "POST", "http://mock.test/new", &(httpx_opts){ .upload = three, .upload_user_data = &left });
    if (t) {
        r = httpx_task_wait(t);
        bad += r->error == HTTPX_OK && strcmp(r->content, "abcabc") != 0;
        succeeded += r->error == HTTPX_OK;
        httpx_task_free(t);
    }
    httpx_client_free(c);
    return bad;
}

static int run_once(const char *url) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){
        .headers = (httpx_pair[]){{"X-Client", "1"}, {0}}, .params = (httpx_pair[]){{"c", "1"}, {0}} });
    httpx_response *r;
    httpx_task *t[3];
    int i, bad = 0;
    if (!c) return 0;
    r = httpx_client_post(c, url, &(httpx_opts){ .json = "{\"a\": 1}", .params = (httpx_pair[]){{"q", "x y"}, {0}},
                                                 .headers = (httpx_pair[]){{"X-Req", "2"}, {0}} });
    if (r) {
        bad += r->error == HTTPX_OK && r->status_code != 200 && r->status_code != 405;
        succeeded += r->error == HTTPX_OK;
        httpx_response_free(r);
    }
    r = httpx_client_stream(c, "GET", url, NULL);
    if (r) {
        while (httpx_read_line(r, NULL)) {}
        succeeded += r->error == HTTPX_OK;
        httpx_response_free(r);
    }
    for (i = 0; i < 3; i++) t[i] = httpx_client_start(c, "GET", url, NULL);
    httpx_gather(c, t, 3);
    for (i = 0; i < 3; i++) {
        if (!t[i]) continue;
        r = httpx_task_response(t[i]);
        bad += !r || (r->error == HTTPX_OK && r->status_code != 200);
        succeeded += r && r->error == HTTPX_OK;
        httpx_task_free(t[i]);
    }
    httpx_client_free(c);
    return bad + run_mock();
}


/* ---- one path at a time ---- */

static const char *g_url, *g_ca, *g_proxy;
static long other_errors;
static char first_other[300];

/* A response of a swept run: NULL (allowed: out of memory), a success with
   the expected body (want NULL: any), or HTTPX_ERR_NOMEM. 1 when bad. */
static int outcome(httpx_response *r, const char *want) {
    int bad = 0;
    if (!r) return 0;
    if (r->error == HTTPX_OK) {
        succeeded++;
        bad = want && strcmp(r->content, want) != 0;
        if (bad && !first_other[0])
            snprintf(first_other, sizeof first_other, "a success with the body \"%.60s\", not \"%.60s\"", r->content, want);
    } else if (r->error != HTTPX_ERR_NOMEM) {
        bad = 1;
        other_errors++;
        if (getenv("OOM_BAD")) fprintf(stderr, "  bad at budget %ld (now %ld): %s\n", cur_budget, budget, r->error_message);
        if (!first_other[0])
            snprintf(first_other, sizeof first_other, "%s: %s", httpx_strerror(r->error), r->error_message);
    }
    httpx_response_free(r);
    return bad;
}

static httpx_client *path_client(bool tls, bool h2) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    if (tls) o.tls.ca_file = g_ca;
    if (h2 && tls) o.http2 = true;
    if (h2 && !tls) o.http2_prior_knowledge = true;
    o.proxy = g_proxy;
    o.trust_env = HTTPX_NO;
    return httpx_client_new(&o);
}

static const char *hello_of(const char *url) {
    return strstr(url, "https") == url ? "Hello, TLS!\n" : "Hello, world!\n";
}

static int run_get(bool tls, bool h2, const char *want) {
    httpx_client *c = path_client(tls, h2);
    int bad;
    if (!c) return 0;
    bad = outcome(httpx_client_get(c, g_url, NULL), want);
    httpx_client_free(c);
    return bad;
}
static int run_plain(void) { return run_get(false, false, hello_of(g_url)); }
static int run_tls(void) { return run_get(true, false, hello_of(g_url)); }
static int run_h2tls(void) { return run_get(true, true, hello_of(g_url)); }
/* through the proxy of argv[4] (CONNECT or SOCKS5, then TLS when https) */
static int run_proxy(void) { return run_get(strstr(g_url, "https") == g_url, false, hello_of(g_url)); }

/* h2c: a blocking GET, then a task on the same connection */
static int run_h2c(void) {
    httpx_client *c = path_client(false, true);
    httpx_task *t;
    int bad;
    if (!c) return 0;
    bad = outcome(httpx_client_get(c, g_url, NULL), NULL);
    t = httpx_client_start(c, "GET", g_url, NULL);
    if (t) {
        httpx_response *r = httpx_task_wait(t);
        if (r && r->error == HTTPX_OK) succeeded++;
        else if (r && r->error != HTTPX_ERR_NOMEM) {
            bad++;
            other_errors++;
            if (!first_other[0]) snprintf(first_other, sizeof first_other, "task: %s", r->error_message);
        }
        httpx_task_free(t);
    }
    httpx_client_free(c);
    return bad;
}

static char upload_src[20000];
static long upload_read(void *user, void *buf, size_t cap) {
    size_t *pos = (size_t *)user, n = sizeof upload_src - *pos;
    if (n > cap) n = cap;
    if (n > 3000) n = 3000;
    memcpy(buf, upload_src + *pos, n);
    *pos += n;
    return (long)n;
}
static char upload_path[64];

static int run_upload(void) {
    httpx_client *c = path_client(false, false);
    char url[512];
    size_t pos;
    int bad = 0;
    httpx_file files[] = {{"doc", "a.txt", "text/plain", "in memory", 9, NULL, NULL},
                          {"disk", NULL, NULL, NULL, 0, upload_path, NULL}, {0}};
    httpx_pair fields[] = {{"name", "value"}, {NULL, NULL}};
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/discard", g_url);
    bad += outcome(httpx_client_post(c, url, &(httpx_opts){ .content = upload_src, .content_length = sizeof upload_src }),
                   "20000");
    pos = 0;
    bad += outcome(httpx_client_post(c, url, &(httpx_opts){ .upload = upload_read, .upload_user_data = &pos,
                                                           .upload_length = sizeof upload_src }), "20000");
    pos = 0;
    bad += outcome(httpx_client_put(c, url, &(httpx_opts){ .upload = upload_read, .upload_user_data = &pos }), "20000");
    snprintf(url, sizeof url, "%s/anything", g_url);
    bad += outcome(httpx_client_post(c, url, &(httpx_opts){ .data = fields, .files = files }), NULL);
    httpx_client_free(c);
    return bad;
}

static int run_redirect(void) {
    httpx_client_opts o;
    httpx_client *c;
    char url[512];
    int bad;
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    c = httpx_client_new(&o);
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/redirect?to=/redirect%%3Fto%%3D/bytes/3", g_url);
    bad = outcome(httpx_client_get(c, url, NULL), "\x00\x01\x02");
    httpx_client_free(c);
    return bad;
}

static int run_cookies(void) {
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    char url[512];
    int bad = 0;
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    o.cookies = (const httpx_pair[]){{"c", "1"}, {0}};
    c = httpx_client_new(&o);
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/cookies/set/session/abc", g_url);
    r = httpx_client_get(c, url, &(httpx_opts){ .cookies = (const httpx_pair[]){{"r", "2"}, {0}} });
    if (r && r->error == HTTPX_OK && (httpx_response_history_len(r) != 1 ||
                                      httpx_response_history(r, 0)->status_code != 302)) {
        bad++;
        if (!first_other[0]) snprintf(first_other, sizeof first_other, "cookies: no history of the redirect");
    }
    bad += outcome(r, "{\"cookies\": {\"c\": \"1\", \"session\": \"abc\", \"r\": \"2\"}}");
    snprintf(url, sizeof url, "%s/set-header?Link=%%3C%%2Fp%%2F2%%3E%%3B%%20rel%%3Dnext", g_url);
    r = httpx_client_get(c, url, NULL);
    if (r && r->error == HTTPX_OK) {
        const char *next = httpx_response_link_url(r, "next");   /* NULL: out of memory, allowed */
        if (next && strcmp(next, "/p/2") != 0) {
            bad++;
            if (!first_other[0]) snprintf(first_other, sizeof first_other, "cookies: link '%s'", next);
        }
    }
    bad += outcome(r, "ok");
    httpx_client_free(c);
    return bad;
}

/* Event hooks on a followed redirect: a request hook that adds a header (an
   allocation that may fail: its error ends the request) and a response hook
   that calls httpx_raise_for_status on the final response. */
static httpx_error oom_req_hook(void *user_data, httpx_req *q) {
    (void)user_data;
    return httpx_request_set_header(q, "X-Hooked", "yes, with a value long enough to need room");
}
static httpx_error oom_resp_hook(void *user_data, httpx_response *r) {
    (void)user_data;
    return httpx_is_redirect(r) ? HTTPX_OK : httpx_raise_for_status(r);
}

static int run_hooks(void) {
    httpx_request_hook rq[] = {{oom_req_hook, NULL, "add-header"}, {NULL, NULL, NULL}};
    httpx_response_hook rs[] = {{oom_resp_hook, NULL, "raise"}, {NULL, NULL, NULL}};
    httpx_client_opts o;
    httpx_client *c;
    httpx_response *r;
    char url[512];
    int bad;
    memset(&o, 0, sizeof o);
    o.follow_redirects = true;
    o.request_hooks = rq;
    o.response_hooks = rs;
    c = httpx_client_new(&o);
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/redirect?to=/bytes/3", g_url);
    bad = outcome(httpx_client_get(c, url, NULL), "\x00\x01\x02");
    /* a 404 the hook turns into HTTPX_ERR_STATUS (or out of memory) */
    snprintf(url, sizeof url, "%s/status/404", g_url);
    r = httpx_client_get(c, url, NULL);
    if (r && r->error != HTTPX_ERR_STATUS && r->error != HTTPX_ERR_NOMEM) {
        bad++;
        if (!first_other[0]) snprintf(first_other, sizeof first_other, "hooks 404: %s", r->error_message);
    }
    if (r && r->error == HTTPX_ERR_STATUS) succeeded++;
    httpx_response_free(r);
    httpx_client_free(c);
    return bad;
}

static int run_json(void) {
    httpx_client *c = path_client(false, false);
    char url[512];
    httpx_response *r;
    int bad = 0;
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/json", g_url);
    r = httpx_client_get(c, url, NULL);
    if (r && r->error == HTTPX_OK) {
        const httpx_json_value *doc = httpx_json(r);
        if (doc) bad += httpx_json_int(httpx_json_path(doc, "list[2]"), NULL) != 3;
        else if (httpx_json_error_of(r)->code != HTTPX_ERR_NOMEM) {
            bad++;
            if (!first_other[0]) snprintf(first_other, sizeof first_other, "json: %s", httpx_json_error_of(r)->message);
        }
    }
    bad += outcome(r, NULL);
    httpx_client_free(c);
    return bad;
}

/* A digest server in the mock: a challenge (two headers, several
   challenges) until an answer comes, then the body. */
static void mock_digest(void *user_data, const httpx_req *q, httpx_mock_reply *p) {
    const char *a = httpx_request_header(q, "authorization");
    (void)user_data;
    if (a && !strncmp(a, "Digest username=\"u\"", 18) && strstr(a, "nc=00000001")) {
        httpx_reply_body(p, "in", 2);
        return;
    }
    httpx_reply_status(p, 401);
    httpx_reply_header(p, "WWW-Authenticate", "Basic realm=\"b\", Digest realm=\"x\", nonce=\"abc\", algorithm=SHA-512-256");
    httpx_reply_header(p, "WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256, opaque=\"o\"");
}

static int run_digest(void) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = mock_digest,
                                                             .auth = httpx_digest_auth("u", "p") });
    httpx_task *t;
    int bad = 0;
    if (!c) return 0;
    bad += outcome(httpx_client_post(c, "http://mock.test/x", &(httpx_opts){ .content = "body" }), "in");
    t = httpx_client_start(c, "GET", "http://mock.test/y", NULL);
    if (t) {
        httpx_response *r = httpx_task_wait(t);
        if (r->error == HTTPX_OK) {
            succeeded++;
            bad += strcmp(r->content, "in") != 0;
        } else if (r->error != HTTPX_ERR_NOMEM) {
            bad++;
            if (!first_other[0]) snprintf(first_other, sizeof first_other, "task: %s", r->error_message);
        }
        httpx_task_free(t);
    }
    httpx_client_free(c);
    return bad;
}

/* gzip: a body under two Content-Encoding layers, kept in memory, then
   the same pulled through httpx_read (the decoders are allocated at the
   head, one per layer) */
static int run_gzip(void) {
    httpx_client *c = path_client(false, false);
    char url[512], buf[512];
    httpx_response *r;
    int bad = 0;
    if (!c) return 0;
    snprintf(url, sizeof url, "%s/enc/lines?n=3&ce=deflate,gzip", g_url);
    bad += outcome(httpx_client_get(c, url, NULL),
                   "line 0: the quick brown fox\nline 1: the quick brown fox\nline 2: the quick brown fox\n");
    r = httpx_client_stream(c, "GET", url, NULL);
    if (r && r->error == HTTPX_OK) {
        long n, got = 0;
        while ((n = httpx_read(r, buf, sizeof buf)) > 0) got += n;
        if (n == 0 && got != 3 * 28) {
            bad++;
            if (!first_other[0]) snprintf(first_other, sizeof first_other, "gzip stream: %ld bytes", got);
        }
    }
    bad += outcome(r, NULL);
    httpx_client_free(c);
    return bad;
}

/* The app transport and mock routes: a streamed upload the app reads in
   pieces, a produced body after a redirect, a router's redirect and JSON. */
static int app_pieces;
static long app_produce(void *user_data, char *buf, size_t cap) {
    (void)user_data;
    if (!buf) return 0;
    if (app_pieces == 3 || cap < 3) return 0;
    app_pieces++;
    memcpy(buf, "abc", 3);
    return 3;
}

static void oom_app(void *user_data, const httpx_req *q, httpx_app_response *res) {
    char buf[1000], text[32];
    long n, total = 0;
    (void)user_data;
    if (strstr(httpx_request_url(q), "/old")) {
        httpx_reply_status(res, 302);
        httpx_reply_header(res, "Location", "/produce");
    } else if (strstr(httpx_request_url(q), "/produce")) {
        app_pieces = 0;
        httpx_reply_header(res, "Content-Type", "text/plain");
        httpx_reply_stream(res, app_produce, NULL, -1);
    } else {
        while ((n = httpx_app_read_body(res, buf, sizeof buf)) > 0) total += n;
        snprintf(text, sizeof text, "%ld", total);
        httpx_reply_body(res, text, 0);
    }
}

static int run_app(void) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .app = oom_app, .follow_redirects = true });
    httpx_mock_router *m;
    size_t pos = 0;
    int bad = 0, i;
    if (c) {
        bad += outcome(httpx_client_post(c, "http://app.test/count", &(httpx_opts){ .upload = upload_read,
                                                                                    .upload_user_data = &pos }), "20000");
        bad += outcome(httpx_client_get(c, "http://app.test/old", NULL), "abcabcabc");
        httpx_client_free(c);
    }
    m = httpx_mock_router_new();
    if (!m) return bad;
    i = httpx_mock_route(m, "GET", "http://r.test/a", 307, NULL, NULL);
    httpx_mock_route_header(m, i, "Location", "/b");
    httpx_mock_route_json(m, "GET", "/b", 200, "{\"ok\": 1}");
    c = httpx_client_new(&(httpx_client_opts){ .mock = httpx_mock_router_handler, .mock_user_data = m,
                                               .follow_redirects = true });
    if (c) {
        bad += outcome(httpx_client_get(c, "http://r.test/a", NULL), "{\"ok\": 1}");
        httpx_client_free(c);
    }
    httpx_mock_router_free(m);
    return bad;
}

static int sweep(const char *name, int (*run)(void), long expect_ok) {
    long k, needed, bad;
    budget = -1;
    used = succeeded = other_errors = 0;
    first_other[0] = 0;
    bad = run();
    needed = used;
    if (bad || succeeded != expect_ok) {
        printf("oom %s: the run without limits had %ld of %ld requests succeed (%s): is the server up?\n", name,
               succeeded, expect_ok, first_other[0] ? first_other : "no error");
        return 1;
    }
    for (k = 0; k <= needed + 5; k++) {
        budget = cur_budget = k;
        if (getenv("OOM_VERBOSE")) fprintf(stderr, "%s: budget %ld\n", name, k);
        bad += run();
    }
    budget = -1;
    printf("oom %s: %ld allocation points, each failed in turn, %ld bad outcomes%s%s\n", name, needed, bad,
           first_other[0] ? "; first: " : "", first_other);
    return bad ? 1 : 0;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:1/";
    long k, needed, bad = 0;
    static const struct { const char *name; int (*run)(void); long ok; } paths[] = {
        {"plain", run_plain, 1}, {"tls", run_tls, 1}, {"h2c", run_h2c, 2}, {"h2tls", run_h2tls, 1},
        {"proxy", run_proxy, 1},
        {"upload", run_upload, 4}, {"redirect", run_redirect, 1}, {"json", run_json, 1}, {"app", run_app, 3},
        {"cookies", run_cookies, 2}, {"digest", run_digest, 2}, {"hooks", run_hooks, 2}, {"gzip", run_gzip, 2}};
    size_t i;
    for (i = 0; argc > 2 && i < sizeof paths / sizeof paths[0]; i++) {
        if (strcmp(argv[1], paths[i].name) != 0) continue;
        g_url = argv[2];
        g_ca = argc > 3 && argv[3][0] ? argv[3] : NULL;
        g_proxy = argc > 4 ? argv[4] : NULL;
        if (!strcmp(argv[1], "upload") || !strcmp(argv[1], "app")) memset(upload_src, 'u', sizeof upload_src);
        if (!strcmp(argv[1], "upload")) {
            FILE *f;
            memset(upload_src, 'u', sizeof upload_src);
            snprintf(upload_path, sizeof upload_path, "/tmp/httpx-oom-%ld.txt", (long)getpid());
            f = fopen(upload_path, "wb");
            if (!f || fwrite(upload_src, 1, 5000, f) != 5000) return 1;
            fclose(f);
            k = sweep(paths[i].name, paths[i].run, paths[i].ok);
            remove(upload_path);
            return (int)k;
        }
        return sweep(paths[i].name, paths[i].run, paths[i].ok);
    }
    budget = -1;
    used = 0;
    bad += run_once(url);                 /* how many allocations a whole run takes */
    needed = used;
    if (succeeded != 7) {
        printf("oom: the run without limits had %ld of 7 requests succeed: is the server up?\n", succeeded);
        return 1;
    }
    for (k = 0; k <= needed + 5; k++) {
        budget = k;
        if (getenv("OOM_VERBOSE")) fprintf(stderr, "budget %ld\n", k);
        bad += run_once(url);
    }
    budget = -1;
    printf("oom: %ld allocations in a full run, every one failed in turn, %ld bad outcomes\n", needed, bad);
    return bad ? 1 : 0;
}
