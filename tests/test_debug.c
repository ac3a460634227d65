/* httpx_client_opts.on_debug: each request head as it went out and each
   response head as it came in, hop by hop, both protocols. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"

typedef struct seen {
    char text[16384];
    size_t len;
    int out, in, info;
} seen;

static void record(void *user, httpx_debug_kind kind, const char *text, size_t len) {
    seen *s = (seen *)user;
    const char *tag = kind == HTTPX_DEBUG_HEADER_OUT ? "> " : kind == HTTPX_DEBUG_HEADER_IN ? "< " : "* ";
    s->out += kind == HTTPX_DEBUG_HEADER_OUT;
    s->in += kind == HTTPX_DEBUG_HEADER_IN;
    s->info += kind == HTTPX_DEBUG_TEXT;
    if (s->len + len + 3 >= sizeof s->text) return;
    memcpy(s->text + s->len, tag, 2);
    memcpy(s->text + s->len + 2, text, len);
    s->len += len + 2;
    s->text[s->len++] = '\n';
    s->text[s->len] = 0;
}

TEST(debug_shows_every_hop_as_sent_and_received) {
    static seen s;
    httpx_client *c;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    memset(&s, 0, sizeof s);
    c = httpx_client_new(&(httpx_client_opts){ .on_debug = record, .debug_user_data = &s, .follow_redirects = true });
    r = httpx_client_get(c, fx_rogue_at("/redirect?to=/echo/end"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(s.out, 2);
    CHECK_INT(s.in, 2);
    CHECK_INT(s.info, 2);
    CHECK(strncmp(s.text, "> GET /redirect?to=/echo/end HTTP/1.1\r\nHost: 127.0.0.1:", 55) == 0);
    CHECK(strstr(s.text, "* HTTP/1.1 over a new connection\n< HTTP/1.1 302 Found\r\nLocation: /echo/end\r\n") != NULL);
    CHECK(strstr(s.text, "> GET /echo/end HTTP/1.1\r\n") != NULL);
    CHECK(strstr(s.text, "* HTTP/1.1 over a reused connection\n< HTTP/1.1 200 OK\r\n") != NULL);
    /* what went out is what the server got */
    CHECK(strstr(s.text, r->content) != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}

#ifndef HTTPX_NO_HTTP2
TEST(debug_shows_the_http2_header_list) {
    static seen s;
    httpx_client *c;
    httpx_response *r;
    int port = fxh2_nghttpd_port();
    REQUIRE(port);
    memset(&s, 0, sizeof s);
    c = httpx_client_new(&(httpx_client_opts){ .on_debug = record, .debug_user_data = &s,
                                               .http2_prior_knowledge = true });
    r = httpx_client_get(c, fx_url(port, "/hello.txt"), NULL);
    CHECK_INT(r->status_code, 200);
    CHECK(strncmp(s.text, "> :method: GET\r\n:scheme: http\r\n:authority: 127.0.0.1:", 53) == 0);
    CHECK(strstr(s.text, "\r\n:path: /hello.txt\r\n") != NULL);
    CHECK(strstr(s.text, "\r\nuser-agent: httpx.h/") != NULL);
    CHECK(strstr(s.text, "HTTP/1.1") == NULL);
    CHECK(strstr(s.text, "* HTTP/2 over a new connection\n< HTTP/2 200\r\n") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif
