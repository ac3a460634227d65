/* Mock routes (httpx_mock_router, in the spirit of respx): requests matched
   by method and URL (exact, prefix, path), canned answers, functions and
   errors, call counts, the routes never called, and requests no route
   matched failing as a network would; in both faces, under the mock and
   the app transports. */
#include "test.h"
#include <stdlib.h>

static void echo_method(void *user, const httpx_req *q, httpx_mock_reply *p) {
    size_t n;
    const char *b = httpx_request_body(q, &n);
    int *calls = (int *)user;
    (*calls)++;
    httpx_reply_header(p, "X-Method", httpx_request_method(q));
    httpx_reply_body(p, b ? b : "none", b ? n : 0);
}

static httpx_client *routed(httpx_mock_router *m, bool app) {
    if (app) return httpx_client_new(&(httpx_client_opts){ .app = httpx_mock_router_handler, .app_user_data = m });
    return httpx_client_new(&(httpx_client_opts){ .mock = httpx_mock_router_handler, .mock_user_data = m,
                                                  .follow_redirects = true });
}

TEST(mock_routes_match_count_and_report) {
    httpx_mock_router *m = httpx_mock_router_new();
    httpx_client *c;
    httpx_response *r;
    int users, user1, any_health, prefix, post, err, never, calls = 0;
    char msg[300];
    REQUIRE(m);
    users = httpx_mock_route_json(m, "GET", "https://api.test/users", 200, "[{\"id\": 1}]");
    user1 = httpx_mock_route(m, "GET", "https://api.test/users?id=1", 200, "text/plain", "one");
    any_health = httpx_mock_route(m, NULL, "/health", 204, NULL, NULL);
    prefix = httpx_mock_route(m, "GET", "https://api.test/files/*", 200, "text/plain", "a file");
    post = httpx_mock_route_fn(m, "POST", "https://api.test/users", echo_method, &calls);
    err = httpx_mock_route_error(m, "*", "https://down.test/*", HTTPX_ERR_CONNECT_TIMEOUT, "down.test is down");
    never = httpx_mock_route(m, "DELETE", "https://api.test/users", 204, NULL, NULL);
    CHECK_INT(users, 0);
    CHECK_INT(never, 6);
    CHECK_INT(httpx_mock_route_header(m, prefix, "ETag", "\"v1\""), HTTPX_OK);
    c = routed(m, false);
    REQUIRE(c);
    /* a pattern without a query matches whatever the query; the first route wins */
    r = httpx_client_get(c, "https://api.test/users", &(httpx_opts){ .params = (httpx_pair[]){{"page", "2"}, {0}} });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(httpx_header(r, "content-type"), "application/json");
    CHECK_INT(httpx_json_int(httpx_json_path(httpx_json(r), "[0].id"), 0), 1);
    httpx_response_free(r);
    r = httpx_client_get(c, "https://api.test/users?id=1", NULL);
    CHECK_STR(r->content, "[{\"id\": 1}]");        /* "users" came first and matches too */
    httpx_response_free(r);
    /* a path on any host, any method */
    r = httpx_client_get(c, "http://localhost:8080/health", NULL);
    CHECK_INT(r->status_code, 204);
    httpx_response_free(r);
    r = httpx_client_post(c, "https://other.test/health?x=1", &(httpx_opts){ .content = "x" });
    CHECK_INT(r->status_code, 204);
    httpx_response_free(r);
    /* a prefix, with its canned header */
    r = httpx_client_get(c, "https://api.test/files/a/b.txt", NULL);
    CHECK_STR(r->content, "a file");
    CHECK_STR(httpx_header(r, "etag"), "\"v1\"");
    httpx_response_free(r);
    /* a function sees the request */
    r = httpx_client_post(c, "https://api.test/users", &(httpx_opts){ .json = "{\"name\": \"Ada\"}" });
    CHECK_STR(r->content, "{\"name\": \"Ada\"}");
    CHECK_STR(httpx_header(r, "x-method"), "POST");
    CHECK_INT(calls, 1);
    httpx_response_free(r);
    /* an error route */
    r = httpx_client_get(c, "https://down.test/anything", NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT_TIMEOUT);
    CHECK_STR(r->error_message, "down.test is down");
    httpx_response_free(r);
    /* no route: a connect error that names the request */
    r = httpx_client_get(c, "https://api.test/nope", NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK_STR(r->error_message, "no route matched GET https://api.test/nope");
    httpx_response_free(r);
    r = httpx_client_head(c, "https://api.test/users", NULL);   /* GET routes do not answer HEAD */
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    httpx_response_free(r);
    r = httpx_client_get(c, "https://api.test/files", NULL);     /* the prefix is "/files/" */
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    httpx_response_free(r);
    CHECK_INT(httpx_mock_router_unmatched(m), 3);
    CHECK_INT(httpx_mock_route_calls(m, users), 2);
    CHECK_INT(httpx_mock_route_calls(m, user1), 0);
    CHECK_INT(httpx_mock_route_calls(m, any_health), 2);
    CHECK_INT(httpx_mock_route_calls(m, prefix), 1);
    CHECK_INT(httpx_mock_route_calls(m, post), 1);
    CHECK_INT(httpx_mock_route_calls(m, err), 1);
    CHECK_INT(httpx_mock_route_calls(m, 99), -1);
    CHECK_INT(httpx_mock_router_uncalled(m, msg, sizeof msg), 2);
    CHECK_STR(msg, "#1 GET https://api.test/users?id=1, #6 DELETE https://api.test/users");
    CHECK_INT(httpx_mock_router_uncalled(m, msg, 20), 2);       /* cut, and says so */
    CHECK_STR(msg, "#1 GET https://a...");
    CHECK_INT(httpx_mock_router_uncalled(m, NULL, 0), 2);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

/* "http://host" is "http://host/"; a query in the pattern must match. */
TEST(mock_routes_url_spellings) {
    httpx_mock_router *m = httpx_mock_router_new();
    httpx_client *c;
    httpx_response *r;
    int root, q;
    REQUIRE(m);
    root = httpx_mock_route(m, "GET", "http://example.test", 200, NULL, "root");
    q = httpx_mock_route(m, "GET", "http://example.test/s?q=1", 200, NULL, "q1");
    c = routed(m, false);
    REQUIRE(c);
    r = httpx_client_get(c, "http://example.test/", NULL);
    CHECK_STR(r->content, "root");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://example.test/?a=b", NULL);
    CHECK_STR(r->content, "root");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://example.test/s", &(httpx_opts){ .params = (httpx_pair[]){{"q", "1"}, {0}} });
    CHECK_STR(r->content, "q1");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://example.test/s?q=2", NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    httpx_response_free(r);
    CHECK_INT(httpx_mock_route_calls(m, root), 2);
    CHECK_INT(httpx_mock_route_calls(m, q), 1);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

/* Routes as an app, in both faces, and a redirect through two routes. */
TEST(mock_routes_both_faces_and_redirects) {
    httpx_mock_router *m = httpx_mock_router_new();
    httpx_client *c;
    httpx_response *r;
    httpx_task *t[3];
    int old, new_, calls = 0, i;
    REQUIRE(m);
    old = httpx_mock_route(m, "GET", "http://svc.test/old", 301, NULL, NULL);
    httpx_mock_route_header(m, old, "Location", "/new");
    new_ = httpx_mock_route(m, "GET", "http://svc.test/new", 200, "text/plain", "moved here");
    httpx_mock_route_fn(m, "PUT", "/echo", echo_method, &calls);
    for (i = 0; i < 2; i++) {        /* the mock, then the app transport */
        c = i ? httpx_client_new(&(httpx_client_opts){ .app = httpx_mock_router_handler, .app_user_data = m,
                                                       .follow_redirects = true })
              : routed(m, false);
        REQUIRE(c);
        r = httpx_client_get(c, "http://svc.test/old", NULL);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_STR(r->url, "http://svc.test/new");
        CHECK_STR(r->content, "moved here");
        httpx_response_free(r);
        t[0] = httpx_client_start(c, "GET", "http://svc.test/old", NULL);
        t[1] = httpx_client_start(c, "PUT", "http://svc.test/echo", &(httpx_opts){ .content = "body" });
        t[2] = httpx_client_start(c, "GET", "http://svc.test/missing", NULL);
        httpx_gather(c, t, 3);
        CHECK_STR(httpx_task_response(t[0])->content, "moved here");
        /* the app transport does not gather the body: httpx_request_body has the in-memory one */
        CHECK_STR(httpx_task_response(t[1])->content, "body");
        CHECK_INT(httpx_task_response(t[2])->error, HTTPX_ERR_CONNECT);
        CHECK(strstr(httpx_task_response(t[2])->error_message, "no route matched GET http://svc.test/missing") != NULL);
        httpx_task_free(t[0]);
        httpx_task_free(t[1]);
        httpx_task_free(t[2]);
        httpx_client_free(c);
    }
    CHECK_INT(httpx_mock_route_calls(m, old), 4);
    CHECK_INT(httpx_mock_route_calls(m, new_), 4);
    CHECK_INT(calls, 2);
    CHECK_INT(httpx_mock_router_unmatched(m), 2);
    CHECK_INT(httpx_mock_router_uncalled(m, NULL, 0), 0);
    httpx_mock_router_free(m);
}

/* A route that could not be made fails every request, saying why: a test
   cannot pass on half its routes. */
TEST(mock_routes_bad_routes_fail_loudly) {
    httpx_mock_router *m = httpx_mock_router_new();
    httpx_client *c;
    httpx_response *r;
    REQUIRE(m);
    CHECK_INT(httpx_mock_route(m, "GET", "http://ok.test/", 200, NULL, "fine"), 0);
    CHECK_INT(httpx_mock_route_header(m, 0, "Bad\nName", "x"), HTTPX_ERR_INVALID_HEADER);
    CHECK_INT(httpx_mock_route(m, "GET", NULL, 200, NULL, NULL), -1);
    CHECK_INT(httpx_mock_route_fn(m, "GET", "/x", NULL, NULL), -1);
    CHECK_INT(httpx_mock_route_header(m, 7, "A", "b"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(httpx_mock_route(NULL, "GET", "/x", 200, NULL, NULL), -1);
    c = routed(m, false);
    REQUIRE(c);
    r = httpx_client_get(c, "http://ok.test/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_HEADER);
    CHECK(strstr(r->error_message, "could not add a route") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    httpx_mock_router_free(m);
    httpx_mock_router_free(NULL);
    /* a handler without its router */
    c = httpx_client_new(&(httpx_client_opts){ .mock = httpx_mock_router_handler });
    REQUIRE(c);
    r = httpx_client_get(c, "http://ok.test/", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "router as its user data") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}
