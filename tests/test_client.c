/* Integration tests of the blocking face against real servers on 127.0.0.1:
   nginx for ordinary HTTP, tests/servers/rogue.py for echoes and misbehaviour. */
#include "test.h"
#include "fixtures.h"
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* The echoed request head (rogue /echo) holds this exact header line. */
static bool has_line(const httpx_response *r, const char *line) {
    const char *end = strstr(r->content, "\r\n\r\n");
    const char *p = strstr(r->content, line);
    size_t n = strlen(line);
    return p && end && p < end && p[n] == '\r' && (p == r->content || p[-1] == '\n');
}

static const char *echoed_body(const httpx_response *r) {
    const char *end = strstr(r->content, "\r\n\r\n");
    return end ? end + 4 : "";
}

TEST(client_get_hello_from_nginx) {
    httpx_response *r = httpx_get(fx_nginx_at("/hello.txt"), NULL);
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->error_message, "");
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->reason_phrase, "OK");
    CHECK_STR(r->http_version, "HTTP/1.1");
    CHECK_STR(r->content, "Hello, world!\n");
    CHECK_INT(r->content_length, 14);
    CHECK_STR(httpx_header(r, "Content-Length"), "14");
    CHECK_STR(httpx_header(r, "content-type"), "text/plain");
    CHECK_STR(r->url, fx_nginx_at("/hello.txt"));
    CHECK(r->elapsed > 0 && r->elapsed < 5);
    CHECK_INT(httpx_raise_for_status(r), HTTPX_OK);
    CHECK(httpx_is_success(r));
    httpx_response_free(r);
}

TEST(client_one_shot_methods) {
    httpx_response *r = httpx_head(fx_nginx_at("/hello.txt"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->content_length, 0);          /* HEAD: the length is announced, no body comes */
    CHECK_STR(httpx_header(r, "content-length"), "14");
    httpx_response_free(r);
    r = httpx_delete(fx_rogue_at("/echo"), NULL);
    CHECK(strncmp(r->content, "DELETE /echo HTTP/1.1\r\n", 23) == 0);
    httpx_response_free(r);
    r = httpx_options(fx_rogue_at("/echo"), NULL);
    CHECK(strncmp(r->content, "OPTIONS /echo HTTP/1.1\r\n", 24) == 0);
    httpx_response_free(r);
    r = httpx_put(fx_rogue_at("/echo"), &(httpx_opts){ .content = "abc" });
    CHECK(strncmp(r->content, "PUT /echo HTTP/1.1\r\n", 20) == 0);
    CHECK_STR(echoed_body(r), "abc");
    httpx_response_free(r);
    r = httpx_patch(fx_rogue_at("/echo"), &(httpx_opts){ .content = "x\0y", .content_length = 3 });
    CHECK_STR(httpx_header(r, "x-body-length"), "3");
    httpx_response_free(r);
    r = httpx_request("PROPFIND", fx_rogue_at("/echo"), NULL);
    CHECK(strncmp(r->content, "PROPFIND /echo ", 15) == 0);
    httpx_response_free(r);
}

TEST(client_status_codes) {
    static const struct { const char *path; int status; bool client_err, server_err; } cases[] = {
        {"/status/404", 404, true, false}, {"/status/418", 418, true, false},
        {"/status/500", 500, false, true}, {"/status/503", 503, false, true},
    };
    size_t i;
    httpx_response *r;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = httpx_get(fx_nginx_at(cases[i].path), NULL);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(r->status_code, cases[i].status);
        CHECK_INT(httpx_raise_for_status(r), HTTPX_ERR_STATUS);
        CHECK(httpx_is_client_error(r) == cases[i].client_err);
        CHECK(httpx_is_server_error(r) == cases[i].server_err);
        CHECK(!httpx_is_success(r));
        httpx_response_free(r);
    }
    r = httpx_get(fx_nginx_at("/status/204"), NULL);
    CHECK_INT(r->status_code, 204);
    CHECK_INT(r->content_length, 0);
    CHECK_STR(r->content, "");
    httpx_response_free(r);
}

TEST(client_large_body_matches_file) {
    httpx_response *r = httpx_get(fx_nginx_at("/1mb.bin"), NULL);
    size_t i, bad = 0;
    REQUIRE(r->error == HTTPX_OK);
    CHECK_INT(r->content_length, 1 << 20);
    for (i = 0; i < r->content_length; i++) bad += (unsigned char)r->content[i] != ((i * 7 + 3) & 0xff);
    CHECK_INT(bad, 0);
    CHECK_INT(r->content[r->content_length], 0);
    httpx_response_free(r);
}

TEST(client_chunked_and_other_framings) {
    static const struct { const char *path; const char *body; const char *version; } cases[] = {
        {"/close-delimited", "until close", "HTTP/1.1"},
        {"/http10", "http/1.0 body", "HTTP/1.0"},
        {"/continue", "continued", "HTTP/1.1"},
        {"/early-hints", "ok", "HTTP/1.1"},
        {"/lf-only", "ok", "HTTP/1.1"},
    };
    size_t i, bad = 0;
    httpx_response *r = httpx_get(fx_rogue_at("/chunked/200000"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 200000);
    for (i = 0; i < r->content_length; i++) bad += (unsigned char)r->content[i] != (i & 0xff);
    CHECK_INT(bad, 0);
    httpx_response_free(r);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = httpx_get(fx_rogue_at(cases[i].path), NULL);
        CHECK_INT(r->error, HTTPX_OK);
        CHECK_INT(r->status_code, 200);
        CHECK_STR(r->content, cases[i].body);
        CHECK_STR(r->http_version, cases[i].version);
        httpx_response_free(r);
    }
}

TEST(client_keepalive_reuses_connection) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *a = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    httpx_response *b = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    httpx_response *d = httpx_get(fx_rogue_at("/conn-id"), NULL);   /* one-shot: its own connection */
    CHECK_INT(a->error, HTTPX_OK);
    CHECK_STR(a->content, b->content);
    CHECK(strcmp(a->content, d->content) != 0);
    httpx_response_free(a);
    httpx_response_free(b);
    httpx_response_free(d);
    httpx_client_free(c);
}

/* Two ways a pooled connection goes stale, each seen to take its path. */
TEST(client_stale_pooled_connection_is_retried) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    int i;
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    /* the server drops the connection as the request goes out on it: the
       request is sent again on a new one (without the retry: an error) */
    r = httpx_client_get(c, fx_rogue_at("/close-if-reused"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strncmp(r->content, "fresh connection ", 17) == 0);
    CHECK(!r->connection_reused);
    httpx_response_free(r);
    /* the server's close arrives while the connection is idle: the loop
       sees it, and the next request opens a new connection */
    r = httpx_client_get(c, fx_rogue_at("/close-after-response"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "ok");
    httpx_response_free(r);
    for (i = 0; i < 100 && c->num_conns > 0; i++) httpx_client_poll(c, 100);
    CHECK_INT(c->num_conns, 0);
    r = httpx_client_get(c, fx_rogue_at("/echo"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(!r->connection_reused);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo"), NULL);
    CHECK(r->connection_reused);               /* and reuse still works */
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_base_url_params_and_headers_merge) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){
        .base_url = fx_rogue_at("/echo/api"),
        .headers = (httpx_pair[]){{"X-Client", "1"}, {"X-Both", "client"}, {0}},
        .params = (httpx_pair[]){{"a", "1"}, {"shared", "client"}, {0}},
    });
    httpx_response *r = httpx_client_get(c, "/users", &(httpx_opts){
        .headers = (httpx_pair[]){{"x-both", "request"}, {"User-Agent", "mine/1"}, {0}},
        .params = (httpx_pair[]){{"shared", "request value"}, {"q", "a&b=c"}, {0}},
    });
    REQUIRE(r->error == HTTPX_OK);
    CHECK(strncmp(r->content, "GET /echo/api/users?a=1&shared=request+value&q=a%26b%3Dc HTTP/1.1\r\n", 67) == 0);
    CHECK(has_line(r, "X-Client: 1"));
    CHECK(has_line(r, "x-both: request"));
    CHECK(!strstr(r->content, "X-Both: client"));
    CHECK(has_line(r, "User-Agent: mine/1"));
    CHECK(!strstr(r->content, "httpx.h/"));
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/echo/absolute?x=1#frag"), NULL);   /* absolute URLs ignore base_url */
    CHECK(strncmp(r->content, "GET /echo/absolute?x=1&a=1&shared=client HTTP/1.1\r\n", 51) == 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_default_headers) {
    httpx_response *r = httpx_get(fx_rogue_at("/echo"), NULL);
    char host[64];
    REQUIRE(r->error == HTTPX_OK);
    snprintf(host, sizeof host, "Host: 127.0.0.1:%d", fx_rogue_port());
    CHECK(has_line(r, host));
    CHECK(has_line(r, "Accept: */*"));
    CHECK(has_line(r, "Connection: keep-alive"));
    CHECK(has_line(r, "User-Agent: httpx.h/" HTTPX_VERSION));
#ifdef HTTPX_NO_INFLATE
    CHECK(has_line(r, "Accept-Encoding: identity"));
#else
    /* what the door decodes, as HTTPX: gzip, deflate (br, zstd when built with them) */
    CHECK(strstr(r->content, "\r\nAccept-Encoding: gzip, deflate") != NULL);
#endif
    CHECK(!strstr(r->content, "Content-Length"));   /* a GET without a body says nothing */
    httpx_response_free(r);
}

TEST(client_refuses_bad_headers) {
    static const httpx_pair bad[][2] = {
        {{"X-Evil", "a\r\nInjected: yes"}, {0}},
        {{"X-Evil", "a\nb"}, {0}},
        {{"Bad Name", "x"}, {0}},
        {{"", "x"}, {0}},
        {{"X:Colon", "x"}, {0}},
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        httpx_response *r = httpx_get(fx_rogue_at("/echo"), &(httpx_opts){ .headers = bad[i] });
        CHECK_INT(r->error, HTTPX_ERR_INVALID_HEADER);
        CHECK(strlen(r->error_message) > 10);
        CHECK_INT(r->status_code, 0);
        httpx_response_free(r);
    }
}

TEST(client_json_and_form_bodies) {
    httpx_response *r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .json = "{\"a\": 1}" });
    REQUIRE(r->error == HTTPX_OK);
    CHECK(has_line(r, "Content-Type: application/json"));
    CHECK(has_line(r, "Content-Length: 8"));
    CHECK_STR(echoed_body(r), "{\"a\": 1}");
    httpx_response_free(r);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){
        .data = (httpx_pair[]){{"name", "Ada Lovelace"}, {"tag", "a"}, {"tag", "b&c"}, {0}} });
    CHECK(has_line(r, "Content-Type: application/x-www-form-urlencoded"));
    CHECK_STR(echoed_body(r), "name=Ada+Lovelace&tag=a&tag=b%26c");
    httpx_response_free(r);
    r = httpx_post(fx_rogue_at("/echo"), NULL);                  /* POST without a body says 0 */
    CHECK(has_line(r, "Content-Length: 0"));
    httpx_response_free(r);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .json = "{}", .content = "x" });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
}

TEST(client_large_content_body) {
    size_t n = 3u << 20, i;
    char *big = (char *)malloc(n);
    httpx_response *r;
    char expect[32];
    REQUIRE(big);
    for (i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
    r = httpx_post(fx_rogue_at("/discard"), &(httpx_opts){ .content = big, .content_length = n });
    snprintf(expect, sizeof expect, "%zu", n);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, expect);
    httpx_response_free(r);
    free(big);
}

struct upload_state { int calls, total; };
static long upload_cb(void *user, void *buf, size_t cap) {
    struct upload_state *s = (struct upload_state *)user;
    size_t n = cap < 1000 ? cap : 1000;
    if (s->total >= 25000) return 0;
    memset(buf, 'u', n);
    s->calls++;
    s->total += (int)n;
    return (long)n;
}
static long upload_fail_cb(void *user, void *buf, size_t cap) { (void)user; (void)buf; (void)cap; return -1; }

TEST(client_streaming_upload) {
    struct upload_state s = {0, 0};
    httpx_response *r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .upload = upload_cb, .upload_user_data = &s });
    REQUIRE(r->error == HTTPX_OK);
    CHECK(has_line(r, "Transfer-Encoding: chunked"));
    CHECK_STR(httpx_header(r, "x-chunked"), "1");
    CHECK_STR(httpx_header(r, "x-body-length"), "25000");
    httpx_response_free(r);
    memset(&s, 0, sizeof s);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .upload = upload_cb, .upload_user_data = &s, .upload_length = 25000 });
    CHECK(has_line(r, "Content-Length: 25000"));
    CHECK_STR(httpx_header(r, "x-chunked"), "0");
    CHECK_STR(httpx_header(r, "x-body-length"), "25000");
    httpx_response_free(r);
    memset(&s, 0, sizeof s);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .upload = upload_cb, .upload_user_data = &s, .upload_length = 30000 });
    CHECK_INT(r->error, HTTPX_ERR_LOCAL_PROTOCOL);   /* produced less than it promised */
    httpx_response_free(r);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .upload = upload_fail_cb });
    CHECK_INT(r->error, HTTPX_ERR_WRITE);
    CHECK(strstr(r->error_message, "upload callback") != NULL);
    httpx_response_free(r);
}

TEST(client_multipart_from_memory_path_and_file) {
    char path[] = "/tmp/httpx-test-upload-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;
    httpx_response *r;
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "from disk\n", 10) == 10);
    close(fd);
    fp = tmpfile();
    REQUIRE(fp);
    fputs("from FILE*", fp);
    rewind(fp);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){
        .data = (httpx_pair[]){{"title", "hello"}, {0}},
        .files = (httpx_file[]){
            {.field = "mem", .filename = "a.txt", .content_type = "text/plain", .data = "in memory", .size = 9},
            {.field = "disk", .path = path},
            {.field = "stream", .filename = "s.bin", .fp = fp},
            {0}},
    });
    REQUIRE(r->error == HTTPX_OK);
    CHECK(strstr(r->content, "Content-Type: multipart/form-data; boundary=") != NULL);
    CHECK(strstr(r->content, "Content-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n") != NULL);
    CHECK(strstr(r->content, "name=\"mem\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nin memory\r\n") != NULL);
    CHECK(strstr(r->content, "from disk\n\r\n") != NULL);
    CHECK(strstr(r->content, "filename=\"s.bin\"") != NULL);
    CHECK(strstr(r->content, "from FILE*\r\n") != NULL);
    httpx_response_free(r);
    fclose(fp);
    unlink(path);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){
        .files = (httpx_file[]){{.field = "f", .path = "/nonexistent/file.bin"}, {0}} });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "/nonexistent/file.bin") != NULL);
    httpx_response_free(r);
}

TEST(client_stream_read_in_pieces) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r = httpx_client_stream(c, "GET", fx_rogue_at("/bytes/300000"), NULL);
    char buf[7777];
    long n, total = 0, bad = 0, i;
    REQUIRE(r->error == HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(r->expected_length, 300000);
    CHECK_INT(r->content_length, 0);
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        for (i = 0; i < n; i++) bad += (unsigned char)buf[i] != ((total + i) & 0xff);
        total += n;
    }
    CHECK_INT(n, 0);
    CHECK_INT(total, 300000);
    CHECK_INT(bad, 0);
    CHECK_INT(r->num_bytes_downloaded, 300000);
    CHECK_INT(httpx_read(r, buf, sizeof buf), 0);   /* stays at the end */
    httpx_response_free(r);
    r = httpx_client_stream(c, "GET", fx_rogue_at("/chunked/100000"), NULL);
    total = 0;
    while ((n = httpx_read(r, buf, 100)) > 0) total += n;
    CHECK_INT(n, 0);
    CHECK_INT(total, 100000);
    CHECK_INT(r->expected_length, -1);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_stream_read_lines) {
    static const char text[] = "one\ntwo\r\nthree\rfour\r\n\r\nlast";
    static const char *const want[] = {"one", "two", "three", "four", "", "last"};
    const char *line;
    size_t len, i = 0;
    httpx_response *r;
    REQUIRE(fx_nginx_write_file("lines.txt", text, sizeof text - 1) == 0);
    r = httpx_stream("GET", fx_nginx_at("/lines.txt"), NULL);
    while ((line = httpx_read_line(r, &len)) != NULL && i < 6) {
        CHECK_STR(line, want[i]);
        CHECK_INT(len, strlen(want[i]));
        i++;
    }
    CHECK_INT(i, 6);
    CHECK(httpx_read_line(r, NULL) == NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
}

TEST(client_free_unread_stream_keeps_client_usable) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *s = httpx_client_stream(c, "GET", fx_rogue_at("/bytes/1000"), NULL);
    httpx_response *big = httpx_client_stream(c, "GET", fx_rogue_at("/bytes/5000000"), NULL);
    httpx_response *r;
    char id1[16];
    CHECK_INT(s->error, HTTPX_OK);
    httpx_response_free(s);               /* small rest: drained, connection pooled */
    httpx_response_free(big);             /* large rest: connection closed */
    r = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    snprintf(id1, sizeof id1, "%s", r->content);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    CHECK_STR(r->content, id1);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_pool_limit_reports_pool_timeout) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_response *s = httpx_client_stream(c, "GET", fx_rogue_at("/bytes/100"), NULL);
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/bytes/10"), NULL);
    CHECK_INT(s->error, HTTPX_OK);
    CHECK_INT(r->error, HTTPX_ERR_POOL_TIMEOUT);
    CHECK(httpx_is_timeout(r->error));
    httpx_response_free(r);
    httpx_response_free(s);
    r = httpx_client_get(c, fx_rogue_at("/bytes/10"), NULL);      /* the stream gave its connection back */
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_server_misbehaviour_is_an_error) {
    static const struct { const char *path; httpx_error err; const char *words; } cases[] = {
        {"/close-mid-body", HTTPX_ERR_REMOTE_PROTOCOL, "90 of 100"},
        {"/close-mid-chunk", HTTPX_ERR_REMOTE_PROTOCOL, "chunked"},
        {"/close-no-response", HTTPX_ERR_REMOTE_PROTOCOL, "without sending a response"},
        {"/bad/two-content-lengths", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/cl-and-te", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/chunk-size", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/chunk-overflow", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/negative-content-length", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/status-line", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/not-http", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/header-name", HTTPX_ERR_REMOTE_PROTOCOL, ""},
        {"/bad/huge-head", HTTPX_ERR_TOO_LARGE, "max_head_size"},
        {"/bad/many-headers", HTTPX_ERR_TOO_LARGE, ""},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        httpx_response *r = httpx_get(fx_rogue_at(cases[i].path), NULL);
        if (r->error != cases[i].err) printf("  %s: %s\n", cases[i].path, r->error_message);
        CHECK_INT(r->error, cases[i].err);
        CHECK(strstr(r->error_message, cases[i].words) != NULL);
        CHECK(r->error_message[0] != 0);
        httpx_response_free(r);
    }
}

TEST(client_body_size_limit) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .max_body_size = 1000 });
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/bytes/1001"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/chunked/5000"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/bytes/1000"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    httpx_client_free(c);
}

TEST(client_connect_errors_and_bad_urls) {
    static const struct { const char *url; httpx_error err; const char *words; } cases[] = {
        {"127.0.0.1/x", HTTPX_ERR_INVALID_URL, ""},
        {"http://", HTTPX_ERR_INVALID_URL, ""},
        {"http://127.0.0.1:99999/", HTTPX_ERR_INVALID_URL, "port"},
        {"http://exa mple.com/", HTTPX_ERR_INVALID_URL, ""},
        {"ftp://127.0.0.1/", HTTPX_ERR_UNSUPPORTED_PROTOCOL, "ftp"},
#ifndef HTTPX_BEARSSL
        {"https://127.0.0.1/", HTTPX_ERR_UNSUPPORTED_PROTOCOL, "HTTPX_BEARSSL"},
#endif
    };
    size_t i;
    httpx_response *r;
    char url[64];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = httpx_get(cases[i].url, NULL);
        if (r->error != cases[i].err) printf("  %s: %s\n", cases[i].url, r->error_message);
        CHECK_INT(r->error, cases[i].err);
        CHECK(strstr(r->error_message, cases[i].words) != NULL);
        httpx_response_free(r);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", fx_closed_port());
    r = httpx_get(url, NULL);
    CHECK_INT(r->error, HTTPX_ERR_CONNECT);
    CHECK(httpx_is_network_error(r->error));
    CHECK(strstr(r->error_message, "refused") != NULL);
    CHECK(r->sys_errno != 0);
    httpx_response_free(r);
    snprintf(url, sizeof url, "http://localhost:%d/hello.txt", fx_nginx_port());
    r = httpx_get(url, NULL);                       /* a name, tried on each address (::1 first, maybe) */
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
}

TEST(client_read_timeouts) {
    double t0 = httpx__now();
    httpx_response *r = httpx_get(fx_rogue_at("/stall-head"), &(httpx_opts){ .timeout = { .read = 0.3 } });
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK(httpx_is_timeout(r->error));
    CHECK(httpx__now() - t0 < 3);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/stall-body"), &(httpx_opts){ .timeout = { .read = 0.3 } });
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/drip?n=5&ms=100"), &(httpx_opts){ .timeout = { .read = 1 } });
    CHECK_INT(r->error, HTTPX_OK);              /* the read timeout is between bytes, not overall */
    httpx_response_free(r);
}

static long endless_cb(void *user, void *buf, size_t cap) { (void)user; memset(buf, 'w', cap); return (long)cap; }

/* A socket that listens but never accepts: the kernel completes the handshake
   and buffers what the client sends until the buffers are full; then the
   client's sends would block, so a write timeout is the only way out. */
static int listen_never_accept(struct sockaddr_in *a) {
    socklen_t len = sizeof *a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof *a) != 0 || listen(fd, 0) != 0) return -1;
    getsockname(fd, (struct sockaddr *)a, &len);
    return fd;
}

TEST(client_write_timeout) {
    struct sockaddr_in a;
    int lfd = listen_never_accept(&a);
    char url[64];
    httpx_response *r;
    REQUIRE(lfd >= 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/upload", ntohs(a.sin_port));
    r = httpx_post(url, &(httpx_opts){ .upload = endless_cb, .timeout = { .write = 0.3, .read = 5 } });
    CHECK_INT(r->error, HTTPX_ERR_WRITE_TIMEOUT);
    CHECK(strstr(r->error_message, "write timeout") != NULL);
    httpx_response_free(r);
    close(lfd);
}

/* A listening socket whose accept queue is full drops further SYNs, so a
   connect to it hangs: the only loopback way to see a connect timeout. */
TEST(client_connect_timeout) {
    struct sockaddr_in a;
    int lfd = listen_never_accept(&a), fillers[8], i, nf = 0;
    char url[64];
    httpx_response *r;
    double t0;
    REQUIRE(lfd >= 0);
    for (i = 0; i < 8; i++) {                    /* fill the accept queue */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct timeval tv = {0, 200000};
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); break; }
        fillers[nf++] = fd;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
    t0 = httpx__now();
    r = httpx_get(url, &(httpx_opts){ .timeout = { .connect = 0.3, .read = 0.3 } });
    /* where the kernel still accepts the handshake, the server never answers */
    CHECK(r->error == HTTPX_ERR_CONNECT_TIMEOUT || r->error == HTTPX_ERR_READ_TIMEOUT);
    if (r->error == HTTPX_ERR_CONNECT_TIMEOUT) CHECK(strstr(r->error_message, "timed out") != NULL);
    CHECK(httpx__now() - t0 < 3);
    httpx_response_free(r);
    for (i = 0; i < nf; i++) close(fillers[i]);
    close(lfd);
}

TEST(client_redirects) {
    httpx_response *r = httpx_get(fx_nginx_at("/redirect/somewhere"), NULL);
    CHECK_INT(r->status_code, 302);
    CHECK(httpx_is_redirect(r));
    CHECK(httpx_header(r, "location") != NULL);
    httpx_response_free(r);
    r = httpx_get(fx_nginx_at("/redirect/somewhere"), &(httpx_opts){ .follow_redirects = true });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "Hello, world!\n");
    CHECK_STR(r->url, fx_nginx_at("/hello.txt"));
    httpx_response_free(r);
    r = httpx_get(fx_nginx_at("/loop"), &(httpx_opts){ .follow_redirects = true, .max_redirects = 5 });
    CHECK_INT(r->error, HTTPX_ERR_TOO_MANY_REDIRECTS);
    httpx_response_free(r);
}

TEST(client_redirect_method_rules) {
    char url[256];
    httpx_response *r;
    snprintf(url, sizeof url, "%s?to=/echo/after&code=303", fx_rogue_at("/redirect"));
    r = httpx_post(url, &(httpx_opts){ .json = "{}", .follow_redirects = true });
    CHECK(strncmp(r->content, "GET /echo/after HTTP/1.1", 24) == 0);
    CHECK(!strstr(r->content, "Content-Type"));
    httpx_response_free(r);
    snprintf(url, sizeof url, "%s?to=/echo/after&code=307", fx_rogue_at("/redirect"));
    r = httpx_post(url, &(httpx_opts){ .json = "{\"k\":2}", .follow_redirects = true });
    CHECK(strncmp(r->content, "POST /echo/after HTTP/1.1", 25) == 0);
    CHECK_STR(echoed_body(r), "{\"k\":2}");
    httpx_response_free(r);
}

TEST(client_credentials_stay_with_their_origin) {
    char url[256];
    httpx_response *r;
    /* same origin: kept */
    snprintf(url, sizeof url, "%s?to=/echo/same", fx_rogue_at("/redirect"));
    r = httpx_get(url, &(httpx_opts){ .auth = httpx_basic_auth("u", "p"), .follow_redirects = true });
    CHECK(has_line(r, "Authorization: Basic dTpw"));
    httpx_response_free(r);
    /* another origin (nginx proxies /echo to rogue): dropped */
    snprintf(url, sizeof url, "%s?to=%s", fx_rogue_at("/redirect"), fx_nginx_at("/echo/other"));
    r = httpx_get(url, &(httpx_opts){ .auth = httpx_basic_auth("u", "p"), .follow_redirects = true,
                                      .headers = (httpx_pair[]){{"Authorization", "Bearer secret"}, {0}} });
    CHECK_INT(r->status_code, 200);
    CHECK(strstr(r->content, "/echo/other") != NULL);
    CHECK(!strstr(r->content, "Authorization"));
    httpx_response_free(r);
}

TEST(client_basic_auth) {
    char url[256];
    httpx_response *r = httpx_get(fx_rogue_at("/basic-auth/ada/s3cret"), NULL);
    CHECK_INT(r->status_code, 401);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/basic-auth/ada/s3cret"), &(httpx_opts){ .auth = httpx_basic_auth("ada", "s3cret") });
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    snprintf(url, sizeof url, "http://ada:s3cret@127.0.0.1:%d/basic-auth/ada/s3cret", fx_rogue_port());
    r = httpx_get(url, NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
}

TEST(client_text_and_repeated_headers) {
    httpx_response *r = httpx_get(fx_rogue_at("/latin1"), NULL);
    CHECK_STR(httpx_text(r), "caf\xc3\xa9");
    CHECK_INT(r->content_length, 4);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/utf8"), NULL);
    CHECK_STR(httpx_text(r), "caf\xc3\xa9");
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/repeat-header"), NULL);
    CHECK_STR(httpx_header(r, "x-multi"), "a");
    CHECK_STR(httpx_header_nth(r, "X-Multi", 1), "b");
    CHECK(httpx_header_nth(r, "X-Multi", 2) == NULL);
    CHECK_STR(httpx_header_nth(r, "set-cookie", 1), "b=2; Path=/");
    CHECK(httpx_headers_count(httpx_response_headers(r)) >= 4);
    httpx_response_free(r);
}

/* Many requests on one client: nothing may grow (ASan's leak check and the
   connection count tell). */
TEST(client_many_requests_one_connection) {
    httpx_client *c = httpx_client_new(NULL);
    int i, errors = 0, n = getenv("HTTPX_SOAK") ? atoi(getenv("HTTPX_SOAK")) : 2000;
    for (i = 0; i < n; i++) {
        httpx_response *r = httpx_client_get(c, fx_nginx_at("/hello.txt"), NULL);
        errors += r->error != HTTPX_OK || r->content_length != 14;
        httpx_response_free(r);
    }
    CHECK_INT(errors, 0);
    CHECK_INT(c->num_conns, 1);
    httpx_client_free(c);
}

TEST(client_keepalive_expiry_closes_idle_connections) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .keepalive_expiry = 0.2 } });
    httpx_response *a = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL), *b;
    usleep(300 * 1000);
    b = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);
    CHECK_INT(b->error, HTTPX_OK);
    CHECK(strcmp(a->content, b->content) != 0);     /* the expired one was not reused */
    httpx_response_free(a);
    httpx_response_free(b);
    httpx_client_free(c);
}

/* A one-connection HTTP server on [::1], for the IPv6 literal path. */
#include <pthread.h>
static void *v6_serve(void *arg) {
    int lfd = *(int *)arg, fd;
    char buf[2048];
    ssize_t n;
    fd = accept(lfd, NULL, NULL);
    if (fd < 0) return NULL;
    n = recv(fd, buf, sizeof buf - 1, 0);
    if (n > 0) {
        char resp[2300];
        int len;
        buf[n] = 0;
        len = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                       (int)n, buf);
        if (send(fd, resp, (size_t)len, 0) < 0) {}
    }
    close(fd);
    return NULL;
}

TEST(client_ipv6_literal) {
    struct sockaddr_in6 a;
    socklen_t len = sizeof a;
    int lfd = socket(AF_INET6, SOCK_STREAM, 0);
    pthread_t th;
    char url[96], host[64];
    httpx_response *r;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4) != 0) {
        printf("  (no IPv6 loopback here: skipped)\n");
        if (lfd >= 0) close(lfd);
        return;
    }
    getsockname(lfd, (struct sockaddr *)&a, &len);
    pthread_create(&th, NULL, v6_serve, &lfd);
    snprintf(url, sizeof url, "http://[::1]:%d/v6?x=1", ntohs(a.sin6_port));
    r = httpx_get(url, NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strncmp(r->content, "GET /v6?x=1 HTTP/1.1\r\n", 22) == 0);
    snprintf(host, sizeof host, "Host: [::1]:%d\r\n", ntohs(a.sin6_port));
    CHECK(strstr(r->content, host) != NULL);
    httpx_response_free(r);
    pthread_join(th, NULL);
    close(lfd);
}

static long endless_upload(void *user, void *buf, size_t cap) {
    long long *left = (long long *)user;
    size_t n = cap;
    if (*left <= 0) return 0;
    if ((long long)n > *left) n = (size_t)*left;
    memset(buf, 'e', n);
    *left -= (long long)n;
    return (long)n;
}

/* The server answers before the body is all sent and closes: the answer is
   what the user sees, not "broken pipe". */
TEST(client_early_response_while_sending) {
    long long left = 1LL << 40;                   /* more than the server will wait for */
    httpx_response *r = httpx_post(fx_rogue_at("/expect-417"), &(httpx_opts){
        .headers = (httpx_pair[]){{"Expect", "100-continue"}, {0}},
        .upload = endless_upload, .upload_user_data = &left, .timeout = { .write = 5, .read = 5 } });
    if (r->error) printf("  %s\n", r->error_message);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 417);
    CHECK(left > 0);                              /* it did not send everything */
    httpx_response_free(r);
}

TEST(client_read_line_is_bounded) {
    static char text[5000];
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .max_body_size = 1000 });
    httpx_response *r;
    memset(text, 'x', sizeof text);
    REQUIRE(fx_nginx_write_file("long-line.txt", text, sizeof text) == 0);
    r = httpx_client_stream(c, "GET", fx_nginx_at("/long-line.txt"), NULL);
    CHECK(httpx_read_line(r, NULL) == NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* 1,000 "100 Continue" heads before the final response: HTTPX and curl
   return the 200, and so does httpx.h (it used to give up after 32). */
TEST(client_thousand_interim_responses_then_the_final_one) {
    httpx_response *r = httpx_get(fx_rogue_at("/interim?n=1000"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "final after 1000 interim responses");
    httpx_response_free(r);
}

/* Interim heads are bounded by bytes (together, max_head_size) and by time
   (they do not extend the read timeout), not by a count. */
TEST(client_interim_responses_are_bounded_by_bytes_and_time) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .max_head_size = 4096 });
    httpx_response *r = httpx_client_get(c, fx_rogue_at("/interim?n=1000"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(r->error_message, "interim") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
    r = httpx_get(fx_rogue_at("/interim?n=100&ms=100"), &(httpx_opts){ .timeout = { .read = 1.0 } });
    CHECK_INT(r->error, HTTPX_ERR_READ_TIMEOUT);   /* 10 s of 1xx heads, each within the read timeout */
    httpx_response_free(r);
}

/* A space in a URL path: HTTPX sends /a%20b; so does httpx.h (it used to
   refuse the URL). Control characters are still refused. */
TEST(client_space_in_the_path_is_sent_encoded) {
    httpx_response *r = httpx_get(fx_rogue_at("/echo/a b?q=\"x y\"#frag ment"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strncmp(r->content, "GET /echo/a%20b?q=%22x%20y%22 HTTP/1.1\r\n", 40) == 0);
    httpx_response_free(r);
    r = httpx_get(fx_rogue_at("/echo/a\tb"), NULL);
    CHECK_INT(r->error, HTTPX_ERR_INVALID_URL);
    httpx_response_free(r);
}
