/* Redirects as HTTPX reports them (issue 15): r.history (every hop followed,
   oldest first, the final response not in it), the next URL when redirects
   are not followed, https -> http refused unless allowed, a streamed upload
   rewound for a 307/308, and r.links. Both faces, HTTP/1.1 (rogue.py),
   HTTP/2 over TLS (nginx) and the mock transport. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_tls.h"
#include <stdlib.h>

static httpx_response *get_via(httpx_client *c, bool task, const char *url, const httpx_opts *o, httpx_task **t) {
    *t = NULL;
    if (!task) return httpx_client_get(c, url, o);
    *t = httpx_client_start(c, "GET", url, o);
    return *t ? httpx_task_wait(*t) : NULL;
}

static void done(httpx_response *r, httpx_task *t) {
    if (t) httpx_task_free(t);
    else httpx_response_free(r);
}

static bool ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

/* httpbin's /redirect/3: three hops, each a 302 with its Location. */
TEST(history_redirect_3_both_faces) {
    int task;
    REQUIRE(fx_rogue_port());
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true });
        httpx_task *t;
        httpx_response *r;
        const httpx_response *h;
        size_t i;
        REQUIRE(c);
        r = get_via(c, task, fx_rogue_at("/redirect/3"), NULL, &t);
        REQUIRE(r);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(r->status_code, 200);
        CHECK(ends_with(r->url, "/anything"));
        CHECK_INT(httpx_response_history_len(r), 3);
        for (i = 0; i < 3; i++) {
            char want[32];
            h = httpx_response_history(r, i);
            REQUIRE(h);
            snprintf(want, sizeof want, "/redirect/%d", (int)(3 - i));
            CHECK(ends_with(h->url, want));
            CHECK_INT(h->status_code, 302);
            CHECK_STR(h->reason_phrase, "Found");
            CHECK_STR(h->http_version, "HTTP/1.1");
            CHECK_STR(h->content, "");
            CHECK_INT(h->content_length, 0);
            CHECK_INT(h->error, HTTPX_OK);
            snprintf(want, sizeof want, i < 2 ? "/redirect/%d" : "/anything", (int)(2 - i));
            CHECK_STR(httpx_header(h, "location"), want);
            CHECK(httpx_headers_count(httpx_response_headers(h)) >= 2);
            CHECK_STR(httpx_request_method(httpx_response_request(h)), "GET");
            CHECK_STR(httpx_request_url(httpx_response_request(h)), h->url);
            CHECK(httpx_response_history_len(h) == 0);
        }
        CHECK(httpx_response_history(r, 3) == NULL);
        CHECK(httpx_response_next_url(r) == NULL);     /* the final response is no redirect */
        done(r, t);
        /* a response with no redirect has no history */
        r = get_via(c, task, fx_rogue_at("/json"), NULL, &t);
        CHECK_INT(httpx_response_history_len(r), 0);
        CHECK(httpx_response_history(r, 0) == NULL);
        done(r, t);
        httpx_client_free(c);
    }
}

/* Redirects off: the response is the redirect, and next_url says where the
   next request would go (HTTPX's r.next_request.url). */
TEST(history_next_url_when_not_following) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    char want[128];
    REQUIRE(c && fx_rogue_port());
    r = httpx_client_get(c, fx_rogue_at("/redirect/3"), NULL);
    CHECK_INT(r->status_code, 302);
    snprintf(want, sizeof want, "http://127.0.0.1:%d/redirect/2", fx_rogue_port());
    CHECK_STR(httpx_response_next_url(r), want);
    CHECK_INT(httpx_response_history_len(r), 0);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/redirect?to=http://other.test/x%3Fy"), NULL);
    CHECK_STR(httpx_response_next_url(r), "http://other.test/x?y");
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/json"), NULL);
    CHECK(httpx_response_next_url(r) == NULL);
    httpx_response_free(r);
    CHECK(httpx_response_next_url(NULL) == NULL);
    CHECK(httpx_response_history_len(NULL) == 0);
    httpx_client_free(c);
}

/* The mock: every hop is the handler's; a 307 of a streamed upload is
   rewound through upload_rewind, and fails without it. */
typedef struct up { const char *next; int rewinds, rewind_rc; } up;

static long up_read(void *user, void *buf, size_t cap) {
    up *u = (up *)user;
    size_t n = strlen(u->next);
    if (n > cap) n = cap;
    memcpy(buf, u->next, n);
    u->next += n;
    return (long)n;
}

static int up_rewind(void *user) {
    up *u = (up *)user;
    u->rewinds++;
    u->next = "payload";
    return u->rewind_rc;
}

static void hops_api(void *user, const httpx_req *q, httpx_mock_reply *p) {
    const char *url = strchr(strstr(httpx_request_url(q), "://") + 3, '/');
    (void)user;
    if (!strcmp(url, "/a")) {
        httpx_reply_status(p, 301);
        httpx_reply_header(p, "Location", "/b");
        httpx_reply_header(p, "X-Hop", "a");
    } else if (!strcmp(url, "/b")) {
        httpx_reply_status(p, 307);
        httpx_reply_header(p, "Location", "/c");
    } else if (!strcmp(url, "/secure")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "http://api.test/c");
    } else if (!strcmp(url, "/links")) {
        httpx_reply_header(p, "Link", "<https://api.test/items?page=2>; rel=\"next\", "
                                      "</items?page=9>; rel=last; title=\"a, \\\"quoted\\\" title\"");
        httpx_reply_header(p, "Link", "<https://cdn.test/s.css>; REL=\"preload stylesheet\"; as=style");
        httpx_reply_header(p, "Link", "no-angle-brackets; rel=bad, <https://ok.test/>;rel=ok");
    } else {
        size_t n;
        const char *b = httpx_request_body(q, &n);
        httpx_reply_header(p, "X-Method", httpx_request_method(q));
        httpx_reply_body(p, b ? b : "", b ? n : 0);
    }
}

TEST(history_mock_both_faces_and_upload_rewind) {
    int task;
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = hops_api, .follow_redirects = true });
        httpx_task *t;
        httpx_response *r;
        up u = {"payload", 0, 0};
        httpx_opts o;
        REQUIRE(c);
        r = get_via(c, task, "http://api.test/a", NULL, &t);
        CHECK_INT(r->status_code, 200);
        CHECK_STR(r->url, "http://api.test/c");
        REQUIRE(httpx_response_history_len(r) == 2);
        CHECK_INT(httpx_response_history(r, 0)->status_code, 301);
        CHECK_STR(httpx_response_history(r, 0)->reason_phrase, "Moved Permanently");
        CHECK_STR(httpx_header(httpx_response_history(r, 0), "x-hop"), "a");
        CHECK_STR(httpx_response_history(r, 1)->url, "http://api.test/b");
        CHECK_INT(httpx_response_history(r, 1)->status_code, 307);
        done(r, t);
        /* a POST with a streamed body through a 307: rewound once */
        memset(&o, 0, sizeof o);
        o.upload = up_read;
        o.upload_user_data = &u;
        o.upload_rewind = up_rewind;
        if (task) {
            t = httpx_client_start(c, "POST", "http://api.test/b", &o);
            r = httpx_task_wait(t);
        } else {
            t = NULL;
            r = httpx_client_post(c, "http://api.test/b", &o);
        }
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(u.rewinds, 1);
        CHECK_STR(httpx_header(r, "x-method"), "POST");
        CHECK_STR(r->content, "payload");
        done(r, t);
        /* without a rewind callback: fails, saying how to allow it */
        u.next = "payload";
        o.upload_rewind = NULL;
        r = httpx_client_post(c, "http://api.test/b", &o);
        CHECK_INT(r->error, HTTPX_ERR_STREAM);
        CHECK_INT(r->status_code, 307);
        CHECK(strstr(r->error_message, "upload_rewind") != NULL);
        httpx_response_free(r);
        /* a callback that cannot rewind */
        u.next = "payload";
        u.rewind_rc = 7;
        o.upload_rewind = up_rewind;
        r = httpx_client_post(c, "http://api.test/b", &o);
        CHECK_INT(r->error, HTTPX_ERR_STREAM);
        CHECK(strstr(r->error_message, "returned 7") != NULL);
        httpx_response_free(r);
        httpx_client_free(c);
    }
}

/* https -> http: refused by default (the redirect is the response, with an
   error that says how to allow it); followed with allow_https_downgrade. */
TEST(history_https_downgrade_mock) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = hops_api, .follow_redirects = true });
    httpx_response *r;
    REQUIRE(c);
    r = httpx_client_get(c, "https://api.test/secure", NULL);
    CHECK_INT(r->error, HTTPX_ERR_UNSUPPORTED_PROTOCOL);
    CHECK_INT(r->status_code, 302);
    CHECK(strstr(r->error_message, "allow_https_downgrade") != NULL);
    CHECK_INT(httpx_response_history_len(r), 0);
    httpx_response_free(r);
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .mock = hops_api, .follow_redirects = true,
                                               .allow_https_downgrade = true });
    REQUIRE(c);
    r = httpx_client_get(c, "https://api.test/secure", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->url, "http://api.test/c");
    CHECK_INT(httpx_response_history_len(r), 1);
    httpx_response_free(r);
    httpx_client_free(c);
}

#ifdef HTTPX_BEARSSL
/* HTTP/2 over TLS (nginx): three hops of three kinds, both faces; and a real
   https -> http downgrade. */
TEST(history_http2_and_downgrade) {
    int task, port = fxt_nginx_port("h2"), plain = fx_nginx_port();
    char url[160];
    REQUIRE(port && plain && fxt_cert("ca.pem"));
    for (task = 0; task < 2; task++) {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true, .http2 = true,
                                                                 .tls = { .ca_file = fxt_cert("ca.pem") } });
        httpx_task *t;
        httpx_response *r;
        static const int codes[3] = {302, 301, 303};
        int i;
        REQUIRE(c);
        snprintf(url, sizeof url, "https://127.0.0.1:%d/hops/3", port);
        r = get_via(c, task, url, NULL, &t);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->http_version, "HTTP/2");
        CHECK_STR(r->content, "Hello, TLS!\n");
        REQUIRE(httpx_response_history_len(r) == 3);
        for (i = 0; i < 3; i++) {
            const httpx_response *h = httpx_response_history(r, (size_t)i);
            char hop[8];
            snprintf(hop, sizeof hop, "%d", 3 - i);
            CHECK_INT(h->status_code, codes[i]);
            CHECK_STR(h->http_version, "HTTP/2");
            CHECK_STR(httpx_header(h, "x-hop"), hop);
            CHECK(ends_with(h->url, i == 0 ? "/hops/3" : i == 1 ? "/hops/2" : "/hops/1"));
        }
        done(r, t);
        snprintf(url, sizeof url, "https://127.0.0.1:%d/downgrade?port=%d", port, plain);
        r = get_via(c, task, url, NULL, &t);
        CHECK_INT(r->error, HTTPX_ERR_UNSUPPORTED_PROTOCOL);
        CHECK_INT(r->status_code, 302);
        done(r, t);
        httpx_client_free(c);
    }
    {
        httpx_client *c = httpx_client_new(&(httpx_client_opts){ .follow_redirects = true, .allow_https_downgrade = true,
                                                                 .tls = { .ca_file = fxt_cert("ca.pem") } });
        httpx_response *r;
        REQUIRE(c);
        r = httpx_client_get(c, url, NULL);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->content, "Hello, world!\n");
        CHECK_INT(httpx_response_history_len(r), 1);
        httpx_response_free(r);
        httpx_client_free(c);
    }
}
#endif

/* r.links: several links per field, several fields, quoted parameters with
   commas and escapes, a bad link skipped, rel lookup. */
TEST(history_links_parsed) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = hops_api });
    httpx_response *r;
    httpx_link l;
    REQUIRE(c);
    r = httpx_client_get(c, "http://api.test/links", NULL);
    REQUIRE(r->status_code == 200);
    CHECK_INT(httpx_response_links_len(r), 4);
    REQUIRE(httpx_response_link(r, 0, &l));
    CHECK_STR(l.url, "https://api.test/items?page=2");
    CHECK_STR(l.rel, "next");
    CHECK_STR(l.params[0].name, "rel");
    CHECK(l.params[1].name == NULL);
    REQUIRE(httpx_response_link(r, 1, &l));
    CHECK_STR(l.url, "/items?page=9");          /* as given, not resolved (as HTTPX) */
    CHECK_STR(l.rel, "last");
    CHECK_STR(httpx_link_param(&l, "TITLE"), "a, \"quoted\" title");
    REQUIRE(httpx_response_link(r, 2, &l));
    CHECK_STR(l.rel, "preload stylesheet");
    CHECK_STR(httpx_link_param(&l, "as"), "style");
    CHECK(httpx_link_param(&l, "title") == NULL);
    REQUIRE(httpx_response_link(r, 3, &l));
    CHECK_STR(l.url, "https://ok.test/");
    CHECK(!httpx_response_link(r, 4, &l));
    CHECK_STR(httpx_response_link_url(r, "next"), "https://api.test/items?page=2");
    CHECK_STR(httpx_response_link_url(r, "stylesheet"), "https://cdn.test/s.css");
    CHECK_STR(httpx_response_link_url(r, "LAST"), "/items?page=9");
    CHECK(httpx_response_link_url(r, "prev") == NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://api.test/c", NULL);
    CHECK_INT(httpx_response_links_len(r), 0);
    CHECK(httpx_response_link_url(r, "next") == NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* A real server's Link field (rogue.py's /set-header), over HTTP/1.1. */
TEST(history_links_http1) {
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    r = httpx_get(fx_rogue_at("/set-header?Link=%3C%2Fpage%2F2%3E%3B%20rel%3D%22next%22"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(httpx_response_link_url(r, "next"), "/page/2");
    httpx_response_free(r);
}
