/* The mock transport (httpx_client_opts.mock): the handler sees each request
   as sent and answers from memory; the client's whole policy runs on top as
   it does over the network, in both faces. And httpx_response_request, over
   the mock and over a real server. */
#include "test.h"
#include "fixtures.h"
#include <poll.h>
#include <stdlib.h>

/* What the handler saw, hop by hop. */
typedef struct seen {
    int calls;
    char method[8][16];
    char url[8][256];
    char auth[8][128];
    char ctype[8][128];
    char body[8][4096];
    size_t body_len[8];
} seen;

static void remember(seen *s, const httpx_req *q) {
    int i = s->calls < 8 ? s->calls : 7;
    size_t n;
    const char *b = httpx_request_body(q, &n);
    const char *a = httpx_request_header(q, "authorization");
    const char *t = httpx_request_header(q, "content-type");
    snprintf(s->method[i], sizeof s->method[i], "%s", httpx_request_method(q));
    snprintf(s->url[i], sizeof s->url[i], "%s", httpx_request_url(q));
    snprintf(s->auth[i], sizeof s->auth[i], "%s", a ? a : "");
    snprintf(s->ctype[i], sizeof s->ctype[i], "%s", t ? t : "");
    s->body_len[i] = n;
    if (n >= sizeof s->body[i]) n = sizeof s->body[i] - 1;
    memcpy(s->body[i], b ? b : "", n);
    s->body[i][n] = 0;
    s->calls++;
}

static bool path_is(const httpx_req *q, const char *path) {
    const char *u = strstr(httpx_request_url(q), "://");
    u = u ? strchr(u + 3, '/') : NULL;
    return u && !strncmp(u, path, strlen(path)) && (!u[strlen(path)] || u[strlen(path)] == '?');
}

/* A small API: /users/1 answers JSON, /old redirects, /missing is 404,
   /slow raises a read timeout, /big is 1000 bytes, /lines three lines. */
static void api(void *user, const httpx_req *q, httpx_mock_reply *p) {
    seen *s = (seen *)user;
    if (s) remember(s, q);
    if (path_is(q, "/users/1")) {
        httpx_reply_json(p, 200, "{\"id\": 1, \"name\": \"Ada\"}");
    } else if (path_is(q, "/old")) {
        httpx_reply_status(p, 301);
        httpx_reply_header(p, "Location", "/users/1");
    } else if (path_is(q, "/see-other")) {
        httpx_reply_status(p, 303);
        httpx_reply_header(p, "Location", "http://api.test/users/1");
    } else if (path_is(q, "/keep")) {
        httpx_reply_status(p, 307);
        httpx_reply_header(p, "Location", "/echo");
    } else if (path_is(q, "/elsewhere")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "http://other.test/users/1");
    } else if (path_is(q, "/loop")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "/loop");
    } else if (path_is(q, "/echo")) {
        size_t n;
        const char *b = httpx_request_body(q, &n);
        httpx_reply_header(p, "X-Method", httpx_request_method(q));
        if (b) httpx_reply_body(p, b, n);
    } else if (path_is(q, "/slow")) {
        httpx_reply_error(p, HTTPX_ERR_READ_TIMEOUT, NULL);
    } else if (path_is(q, "/big")) {
        char big[1000];
        memset(big, 'x', sizeof big);
        httpx_reply_body(p, big, sizeof big);
    } else if (path_is(q, "/lines")) {
        httpx_reply_header(p, "Content-Type", "text/plain; charset=utf-8");
        httpx_reply_body(p, "one\ntwo\r\nthree", 0);
    } else if (path_is(q, "/latin1")) {
        httpx_reply_header(p, "Content-Type", "text/plain; charset=iso-8859-1");
        httpx_reply_body(p, "caf\xe9", 0);
    } else if (path_is(q, "/short")) {
        httpx_reply_header(p, "Content-Length", "10");
        httpx_reply_body(p, "12345", 0);
    } else if (path_is(q, "/bad-header")) {
        httpx_reply_header(p, "X-Evil", "a\r\nInjected: 1");
    } else {
        httpx_reply_status(p, 404);
        httpx_reply_body(p, "no such thing", 0);
    }
}

static httpx_client *mock_client(seen *s, bool follow) {
    return httpx_client_new(&(httpx_client_opts){ .mock = api, .mock_user_data = s, .follow_redirects = follow,
                                                  .base_url = "http://api.test" });
}

TEST(mock_answers_and_the_reading_layer_works) {
    seen s;
    httpx_client *c;
    httpx_response *r;
    const httpx_json_value *j;
    memset(&s, 0, sizeof s);
    c = mock_client(&s, false);
    REQUIRE(c);
    r = httpx_client_get(c, "/users/1", &(httpx_opts){ .params = (httpx_pair[]){{"q", "a b"}, {0}},
                                                      .headers = (httpx_pair[]){{"X-Trace", "7"}, {0}} });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->reason_phrase, "OK");
    CHECK_STR(r->http_version, "HTTP/1.1");
    CHECK_STR(r->url, "http://api.test/users/1?q=a+b");
    CHECK_STR(httpx_header(r, "content-type"), "application/json");
    CHECK_STR(httpx_header(r, "content-length"), "24");
    CHECK_INT(r->expected_length, 24);
    CHECK_INT(r->content_length, 24);
    CHECK_STR(httpx_text(r), "{\"id\": 1, \"name\": \"Ada\"}");
    j = httpx_json(r);
    REQUIRE(j);
    CHECK_STR(httpx_json_string(httpx_json_get(j, "name")), "Ada");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_OK);
    CHECK(!r->connection_reused);
    CHECK_STR(r->tls_version, "");
    /* the handler saw the request as sent */
    CHECK_INT(s.calls, 1);
    CHECK_STR(s.method[0], "GET");
    CHECK_STR(s.url[0], "http://api.test/users/1?q=a+b");
    {
        const httpx_req *q = httpx_response_request(r);
        const httpx_headers *h = httpx_request_headers(q);
        size_t n;
        CHECK_STR(httpx_request_method(q), "GET");
        CHECK_STR(httpx_request_url(q), "http://api.test/users/1?q=a+b");
        CHECK_STR(httpx_request_header(q, "x-trace"), "7");
        CHECK_STR(httpx_request_header(q, "User-Agent"), "httpx.h/" HTTPX_VERSION);
        CHECK(httpx_headers_count(h) >= 5);
        CHECK(httpx_request_body(q, &n) == NULL);
        CHECK_INT(n, 0);
    }
    httpx_response_free(r);
    /* no connection was made */
    CHECK_INT(c->num_conns, 0);
    CHECK(c->conns == NULL);
    r = httpx_client_get(c, "/nothing-here", NULL);
    CHECK_INT(r->status_code, 404);
    CHECK_STR(r->reason_phrase, "Not Found");
    CHECK_STR(r->content, "no such thing");
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
    httpx_response_free(r);
    r = httpx_client_get(c, "/latin1", NULL);
    CHECK_STR(httpx_text(r), "caf\xc3\xa9");
    CHECK_STR(httpx_encoding(r), "iso-8859-1");
    httpx_response_free(r);
    /* https needs no TLS when nothing is dialled */
    r = httpx_client_get(c, "https://secure.test/users/1", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    httpx_client_free(c);
}

static long three_pieces(void *user, void *buf, size_t cap) {
    int *n = (int *)user;
    const char *piece[] = {"stre", "amed ", "body"};
    size_t len;
    if (*n >= 3) return 0;
    len = strlen(piece[*n]);
    if (len > cap) len = cap;
    memcpy(buf, piece[(*n)++], len);
    return (long)len;
}

TEST(mock_sees_every_kind_of_body) {
    seen s;
    httpx_client *c;
    httpx_response *r;
    int pieces = 0;
    memset(&s, 0, sizeof s);
    c = mock_client(&s, false);
    REQUIRE(c);
    r = httpx_client_post(c, "/echo", &(httpx_opts){ .content = "raw\0bytes", .content_length = 9 });
    CHECK_INT(s.body_len[0], 9);
    CHECK_MEM(s.body[0], s.body_len[0], "raw\0bytes", 9);
    CHECK_INT(r->content_length, 9);
    httpx_response_free(r);
    r = httpx_client_post(c, "/echo", &(httpx_opts){ .json = "{\"a\":1}" });
    CHECK_STR(s.body[1], "{\"a\":1}");
    CHECK_STR(s.ctype[1], "application/json");
    httpx_response_free(r);
    r = httpx_client_post(c, "/echo", &(httpx_opts){ .data = (httpx_pair[]){{"k", "v w"}, {"x", "&"}, {0}} });
    CHECK_STR(s.body[2], "k=v+w&x=%26");
    CHECK_STR(s.ctype[2], "application/x-www-form-urlencoded");
    httpx_response_free(r);
    r = httpx_client_post(c, "/echo", &(httpx_opts){ .upload = three_pieces, .upload_user_data = &pieces });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(s.body[3], "streamed body");
    CHECK_STR(r->content, "streamed body");
    httpx_response_free(r);
    r = httpx_client_post(c, "/echo", &(httpx_opts){
        .data = (httpx_pair[]){{"field", "value"}, {0}},
        .files = (httpx_file[]){{.field = "upload", .filename = "a.txt", .content_type = "text/plain", .data = "file text", .size = 9}, {0}} });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(!strncmp(s.ctype[4], "multipart/form-data; boundary=", 30));
    CHECK(strstr(s.body[4], "name=\"field\"\r\n\r\nvalue\r\n") != NULL);
    CHECK(strstr(s.body[4], "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile text\r\n") != NULL);
    CHECK_INT(r->content_length, s.body_len[4]);
    httpx_response_free(r);
    /* a streamed body over the limit is refused, not buffered without bound */
    httpx_client_free(c);
    c = httpx_client_new(&(httpx_client_opts){ .mock = api, .mock_user_data = &s, .max_body_size = 8 });
    pieces = 0;
    r = httpx_client_post(c, "http://api.test/echo", &(httpx_opts){ .upload = three_pieces, .upload_user_data = &pieces });
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK_INT(s.calls, 5);                 /* the handler was not called */
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(mock_redirects_each_hop_calls_the_handler) {
    seen s;
    httpx_client *c;
    httpx_response *r;
    memset(&s, 0, sizeof s);
    c = mock_client(&s, true);
    REQUIRE(c);
    r = httpx_client_get(c, "/old", NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->url, "http://api.test/users/1");
    CHECK_INT(s.calls, 2);
    CHECK_STR(s.url[0], "http://api.test/old");
    CHECK_STR(s.url[1], "http://api.test/users/1");
    CHECK_STR(httpx_request_url(httpx_response_request(r)), "http://api.test/users/1");
    httpx_response_free(r);
    /* 303 after POST: GET without the body */
    memset(&s, 0, sizeof s);
    r = httpx_client_post(c, "/see-other", &(httpx_opts){ .json = "{}" });
    CHECK_INT(r->status_code, 200);
    CHECK_STR(s.method[1], "GET");
    CHECK_INT(s.body_len[1], 0);
    CHECK_STR(s.ctype[1], "");
    httpx_response_free(r);
    /* 307 keeps the method and the body */
    memset(&s, 0, sizeof s);
    r = httpx_client_put(c, "/keep", &(httpx_opts){ .content = "again" });
    CHECK_INT(r->status_code, 200);
    CHECK_STR(httpx_header(r, "x-method"), "PUT");
    CHECK_STR(r->content, "again");
    CHECK_STR(s.body[1], "again");
    httpx_response_free(r);
    /* credentials stay with their origin */
    memset(&s, 0, sizeof s);
    r = httpx_client_get(c, "/elsewhere", &(httpx_opts){ .auth = httpx_basic_auth("u", "p") });
    CHECK_INT(r->status_code, 200);
    CHECK_STR(s.auth[0], "Basic dTpw");
    CHECK_STR(s.auth[1], "");
    CHECK(httpx_request_header(httpx_response_request(r), "authorization") == NULL);
    httpx_response_free(r);
    /* a loop ends at max_redirects */
    memset(&s, 0, sizeof s);
    r = httpx_client_get(c, "/loop", &(httpx_opts){ .max_redirects = 3 });
    CHECK_INT(r->error, HTTPX_ERR_TOO_MANY_REDIRECTS);
    CHECK_INT(s.calls, 4);
    httpx_response_free(r);
    /* not followed when the request says no */
    r = httpx_client_get(c, "/old", &(httpx_opts){ .follow_redirects = HTTPX_NO });
    CHECK_INT(r->status_code, 301);
    CHECK(httpx_is_redirect(r));
    CHECK_STR(httpx_header(r, "location"), "/users/1");
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(mock_errors_limits_and_bad_replies) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = api, .max_body_size = 100 });
    httpx_response *r;
    REQUIRE(c);
    r = httpx_client_get(c, "http://api.test/slow", NULL);
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK(httpx_is_timeout(r->error));
    CHECK_STR(r->error_message, httpx_strerror(HTTPX_ERR_READ_TIMEOUT));
    CHECK_INT(r->status_code, 0);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_READ_TIMEOUT);
    CHECK(httpx_json(r) == NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://api.test/big", NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "max_body_size") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://api.test/bad-header", NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_HEADER);
    CHECK(strstr(r->error_message, "X-Evil") != NULL);
    httpx_response_free(r);
    /* a body shorter than its Content-Length is refused at the door, as over the network */
    r = httpx_client_get(c, "http://api.test/short", NULL);
    CHECK_INT(r->error, HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(r->error_message, "after 5 of the 10 bytes") != NULL);
    httpx_response_free(r);
    /* HEAD: the length, no body */
    r = httpx_client_head(c, "http://api.test/users/1", NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

static int count_bytes(void *user, httpx_response *r, const char *data, size_t len) {
    size_t *n = (size_t *)user;
    (void)r;
    (void)data;
    *n += len;
    return 0;
}

TEST(mock_streams_and_on_data) {
    httpx_client *c = mock_client(NULL, true);
    httpx_response *r;
    const char *line;
    size_t len, got = 0;
    char buf[300];
    long n, total = 0;
    REQUIRE(c);
    r = httpx_client_stream(c, "GET", "/lines", NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    line = httpx_read_line(r, &len);
    CHECK_STR(line, "one");
    line = httpx_read_line(r, &len);
    CHECK_STR(line, "two");
    line = httpx_read_line(r, &len);
    CHECK_STR(line, "three");
    CHECK(httpx_read_line(r, &len) == NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    /* a redirect before the stream, and reads in pieces */
    r = httpx_client_stream(c, "GET", "/old", NULL);
    CHECK_INT(r->status_code, 200);
    while ((n = httpx_read(r, buf, 7)) > 0) total += n;
    CHECK_INT(n, 0);
    CHECK_INT(total, 24);
    CHECK_INT(r->num_bytes_downloaded, 24);
    httpx_response_free(r);
    /* a stream freed unread */
    r = httpx_client_stream(c, "GET", "/big", NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    r = httpx_client_get(c, "/big", &(httpx_opts){ .on_data = count_bytes, .user_data = &got });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(got, 1000);
    CHECK_INT(r->content_length, 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

static void done_cb(void *user, httpx_task *t, httpx_response *r) {
    int *ok = (int *)user;
    (void)t;
    *ok += r->status_code == 200 && strstr(r->content, "Ada") != NULL;
}

TEST(mock_tasks_run_the_same_policy) {
    seen s;
    httpx_client *c;
    httpx_task *t[6];
    int i, ok = 0, spins = 0;
    memset(&s, 0, sizeof s);
    c = httpx_client_new(&(httpx_client_opts){ .mock = api, .mock_user_data = &s, .follow_redirects = true,
                                               .max_in_flight = 2, .base_url = "http://api.test" });
    REQUIRE(c);
    t[0] = httpx_client_start(c, "GET", "/users/1", NULL);
    t[1] = httpx_client_start(c, "GET", "/old", NULL);
    t[2] = httpx_client_start(c, "POST", "/echo", &(httpx_opts){ .data = (httpx_pair[]){{"a", "1"}, {0}},
                                                               .params = (httpx_pair[]){{"p", "2"}, {0}} });
    t[3] = httpx_client_start(c, "GET", "/slow", NULL);
    t[4] = httpx_client_start(c, "GET", "/missing", NULL);
    t[5] = httpx_client_start(c, "GET", "/lines", NULL);
    CHECK_INT(s.calls, 0);                       /* nothing runs outside the loop */
    for (i = 0; i < 6; i++) CHECK(!httpx_task_done(t[i]));
    httpx_gather(c, t, 6);
    CHECK_INT(httpx_task_response(t[0])->status_code, 200);
    CHECK_STR(httpx_task_response(t[1])->url, "http://api.test/users/1");
    CHECK_STR(httpx_task_response(t[2])->content, "a=1");
    CHECK_STR(httpx_request_url(httpx_response_request(httpx_task_response(t[2]))), "http://api.test/echo?p=2");
    CHECK_INT(httpx_task_response(t[3])->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK_INT(httpx_raise_for_status(httpx_task_response(t[4])), HTTPX_ERR_STATUS);
    CHECK_STR(httpx_text(httpx_task_response(t[5])), "one\ntwo\r\nthree");
    CHECK_INT(s.calls, 7);                       /* six requests, one redirect */
    for (i = 0; i < 6; i++) httpx_task_free(t[i]);
    /* httpx_task_wait, on_done, and poll with nothing in flight */
    t[0] = httpx_client_start(c, "GET", "/old", NULL);
    CHECK_INT(httpx_task_wait(t[0])->status_code, 200);
    httpx_task_free(t[0]);
    for (i = 0; i < 3; i++) httpx_client_start(c, "GET", "/users/1", &(httpx_opts){ .on_done = done_cb, .user_data = &ok });
    while (httpx_client_poll(c, -1) > 0 && spins < 100) spins++;
    CHECK_INT(ok, 3);
    CHECK(spins < 100);
    CHECK_INT(httpx_client_poll(c, -1), 0);
    CHECK_INT(c->num_conns, 0);
    httpx_client_free(c);
}

/* A task's body through on_data, and a client driven by an embedder's own
   loop (httpx_client_fds/httpx_client_process): nothing to poll, all done. */
TEST(mock_tasks_on_data_and_an_embedders_loop) {
    httpx_client *c = mock_client(NULL, true);
    httpx_task *t;
    size_t got = 0;
    int left = 1, passes = 0;
    REQUIRE(c);
    t = httpx_client_start(c, "GET", "/big", &(httpx_opts){ .on_data = count_bytes, .user_data = &got });
    while (left > 0 && passes < 100) {
        struct pollfd fds[4];
        int ms = -1, n = httpx_client_fds(c, fds, 4, &ms);
        CHECK_INT(n, 0);                 /* the mock has no sockets */
        CHECK(ms == 0 || passes > 0);    /* a task to admit: do not sleep */
        left = httpx_client_process(c, fds, n);
        passes++;
    }
    CHECK_INT(left, 0);
    CHECK(passes < 100);
    CHECK(httpx_task_done(t));
    CHECK_INT(httpx_task_response(t)->error, HTTPX_OK);
    CHECK_INT(got, 1000);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* The blocking call, the task and the mock see the same request. */
TEST(mock_both_faces_send_the_same_request) {
    seen s;
    httpx_client *c;
    httpx_response *r;
    httpx_task *t;
    const httpx_opts o = { .params = (httpx_pair[]){{"p", "1"}, {0}}, .data = (httpx_pair[]){{"f", "2"}, {0}},
                           .headers = (httpx_pair[]){{"X-A", "b"}, {0}}, .auth = httpx_bearer_auth("tok") };
    memset(&s, 0, sizeof s);
    c = mock_client(&s, false);
    REQUIRE(c);
    r = httpx_client_post(c, "/echo", &o);
    t = httpx_client_start(c, "POST", "/echo", &o);
    httpx_task_wait(t);
    CHECK_INT(s.calls, 2);
    CHECK_STR(s.url[0], s.url[1]);
    CHECK_STR(s.body[0], "f=2");
    CHECK_STR(s.body[0], s.body[1]);
    CHECK_STR(s.auth[1], "Bearer tok");
    CHECK_STR(s.auth[0], s.auth[1]);
    CHECK_STR(r->content, httpx_task_response(t)->content);
    httpx_response_free(r);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* httpx_response_request over the network: what went out on the wire. */
TEST(response_request_over_the_network) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    const httpx_req *q;
    size_t n;
    REQUIRE(c);
    r = httpx_client_post(c, fx_rogue_at("/anything"), &(httpx_opts){ .json = "{\"x\":1}",
                                                                     .headers = (httpx_pair[]){{"X-Id", "42"}, {0}} });
    CHECK_INT(r->status_code, 200);
    q = httpx_response_request(r);
    REQUIRE(q);
    CHECK_STR(httpx_request_method(q), "POST");
    CHECK_STR(httpx_request_url(q), fx_rogue_at("/anything"));
    CHECK_STR(httpx_request_header(q, "x-id"), "42");
    CHECK_STR(httpx_request_header(q, "content-type"), "application/json");
    CHECK_STR(httpx_request_body(q, &n), "{\"x\":1}");
    CHECK_INT(n, 7);
    httpx_response_free(r);
    CHECK(httpx_response_request(NULL) == NULL);
    CHECK_STR(httpx_request_method(NULL), "");
    httpx_client_free(c);
}

/* httpx_request_set/add/remove_header: what request hooks and auth flows
   edit a request with. Checked on a request value the library built (a
   response's request: the same type a hook gets before the hop goes). */
TEST(request_header_editing) {
    seen s;
    httpx_client *c;
    httpx_response *r;
    httpx_req *q;
    memset(&s, 0, sizeof s);
    c = mock_client(&s, false);
    REQUIRE(c);
    r = httpx_client_get(c, "/users/1", &(httpx_opts){ .headers = (httpx_pair[]){{"X-A", "1"}, {0}} });
    CHECK_INT(r->error, HTTPX_OK);
    q = (httpx_req *)httpx_response_request(r);
    CHECK_INT(httpx_request_set_header(q, "x-a", "2"), HTTPX_OK);
    CHECK_STR(httpx_request_header(q, "X-A"), "2");
    CHECK_INT(httpx_request_add_header(q, "X-A", "3"), HTTPX_OK);
    CHECK_STR(httpx_headers_get_nth(httpx_request_headers(q), "x-a", 1), "3");
    CHECK_INT(httpx_request_remove_header(q, "x-a"), 2);
    CHECK(httpx_request_header(q, "x-a") == NULL);
    CHECK_INT(httpx_request_set_header(q, "Bad Name", "v"), HTTPX_ERR_INVALID_HEADER);
    CHECK_INT(httpx_request_set_header(q, "X-B", "a\r\nInjected: 1"), HTTPX_ERR_INVALID_HEADER);
    CHECK_INT(httpx_request_set_header(q, "Content-Length", "5"), HTTPX_ERR_INVALID_HEADER);
    CHECK_INT(httpx_request_add_header(q, "transfer-encoding", "chunked"), HTTPX_ERR_INVALID_HEADER);
    CHECK(httpx_request_header(q, "content-length") == NULL);
    CHECK_INT(httpx_request_set_header(NULL, "X-C", "1"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(httpx_request_remove_header(NULL, "X-C"), 0);
    httpx_response_free(r);
    httpx_client_free(c);
}
