/* test_windows: the library's Windows port, run under Wine (or on Windows)
   against servers on 127.0.0.1 that tests/windows/run.sh starts:
       test_windows H1PORT H2PORT
   H1PORT: h1_server.py (HTTP/1.1); H2PORT: tests/servers/h2_server.py (h2c).
   The POSIX test suite (tests/runner.c) forks, uses rlimits and Unix
   sockets, so the Windows leg is this program: each check asserts what a
   user sees, on both faces (blocking calls and tasks), both protocols, the
   mock transport and httpx_client_fds with the caller's own select(). */
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"
#include <stdlib.h>
#include <string.h>

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
    printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); printf(__VA_ARGS__); printf("\n"); } } while (0)

static char base1[64], base2[64];

static void url(char *out, size_t cap, const char *base, const char *path) { snprintf(out, cap, "%s%s", base, path); }

static bool pattern_ok(const httpx_response *r, size_t n) {
    size_t i;
    if (r->content_length != n) return false;
    for (i = 0; i < n; i++) if ((unsigned char)r->content[i] != (i & 0xff)) return false;
    return true;
}

static void test_blocking_get(const char *base, bool h2) {
    char u[128];
    httpx_response *r;
    url(u, sizeof u, base, "/bytes/300000");
    r = httpx_get(u, &(httpx_opts){ .http2_prior_knowledge = h2 });
    CHECK(r && !r->error, "%s: %s", u, r ? r->error_message : "no memory");
    if (r && !r->error) {
        CHECK(r->status_code == 200, "status %d", r->status_code);
        CHECK(pattern_ok(r, 300000), "body of %lu bytes is not the pattern", (unsigned long)r->content_length);
        CHECK(strcmp(r->http_version, h2 ? "HTTP/2" : "HTTP/1.1") == 0, "version %s", r->http_version);
    }
    httpx_response_free(r);
}

static void test_post_echo(const char *base, bool h2) {
    char u[128], body[5000];
    httpx_response *r;
    memset(body, 'w', sizeof body);
    url(u, sizeof u, base, "/echo");
    r = httpx_request("POST", u, &(httpx_opts){ .http2_prior_knowledge = h2,
                                               .content = body, .content_length = sizeof body });
    CHECK(r && !r->error && r->status_code == 200, "%s: %s", u, r ? r->error_message : "no memory");
    if (r && !r->error)
        CHECK(r->content_length == sizeof body && memcmp(r->content, body, sizeof body) == 0, "echo differs (%lu bytes)",
              (unsigned long)r->content_length);
    httpx_response_free(r);
}

static void test_tasks(const char *base, bool h2) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .http2_prior_knowledge = h2 });
    httpx_task *t[6];
    char u[128];
    int i;
    CHECK(c != NULL, "no client");
    if (!c) return;
    for (i = 0; i < 6; i++) {
        snprintf(u, sizeof u, "%s/bytes/%d", base, 1000 * (i + 1));
        t[i] = httpx_client_start(c, "GET", u, NULL);
        CHECK(t[i] != NULL, "start %d", i);
    }
    while (httpx_client_poll(c, 1000) > 0) {}
    for (i = 0; i < 6; i++) {
        httpx_response *r = t[i] ? httpx_task_response(t[i]) : NULL;
        CHECK(r && !r->error && r->status_code == 200 && pattern_ok(r, 1000 * (size_t)(i + 1)), "task %d: %s", i,
              r ? r->error_message : "not done");
        if (t[i]) httpx_task_free(t[i]);
    }
    httpx_client_free(c);
}

/* The caller's own loop: httpx_client_fds gives SOCKETs for select(). */
static void test_client_fds(const char *base) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t;
    char u[128];
    int rounds = 0;
    url(u, sizeof u, base, "/bytes/100000");
    t = c ? httpx_client_start(c, "GET", u, NULL) : NULL;
    CHECK(t != NULL, "start");
    if (!t) { httpx_client_free(c); return; }
    while (!httpx_task_response(t) && rounds++ < 100000) {
        struct pollfd fds[8];
        fd_set rd, wr;
        struct timeval tv;
        int timeout_ms, n = httpx_client_fds(c, fds, 8, &timeout_ms), i;
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        for (i = 0; i < n; i++) {
            if (fds[i].events & POLLIN) FD_SET(fds[i].fd, &rd);
            if (fds[i].events & POLLOUT) FD_SET(fds[i].fd, &wr);
        }
        tv.tv_sec = 1;
        tv.tv_usec = 0;
        if (n > 0) select(0, &rd, &wr, NULL, &tv);
        for (i = 0; i < n; i++) {
            fds[i].revents = 0;
            if (FD_ISSET(fds[i].fd, &rd)) fds[i].revents |= POLLIN;
            if (FD_ISSET(fds[i].fd, &wr)) fds[i].revents |= POLLOUT;
        }
        httpx_client_process(c, fds, n);
    }
    {
        httpx_response *r = httpx_task_response(t);
        CHECK(r && !r->error && pattern_ok(r, 100000), "%s", r ? r->error_message : "not done");
    }
    httpx_task_free(t);
    httpx_client_free(c);
}

static void test_refused(void) {
    /* port 1 on loopback: nothing listens there; select's except set is what
       reports the failed connect (WSAPoll before Windows 10 2004 does not) */
    httpx_response *r = httpx_get("http://127.0.0.1:1/", &(httpx_opts){ .timeout = { .connect = 20 } });
    CHECK(r && r->error == HTTPX_ERR_CONNECT, "error %d: %s", r ? (int)r->error : -1, r ? r->error_message : "");
    if (r) CHECK(strstr(r->error_message, "refused") != NULL, "message: %s", r->error_message);
    httpx_response_free(r);
}

static void test_names(const char *port) {
    char u[128];
    httpx_response *r;
    /* localhost is answered at once; a bad name goes to getaddrinfo on the
       lookup thread and comes back as an error through the wake-up socket */
    snprintf(u, sizeof u, "http://localhost:%s/bytes/10", port);
    r = httpx_get(u, NULL);
    CHECK(r && !r->error && pattern_ok(r, 10), "%s: %s", u, r ? r->error_message : "");
    httpx_response_free(r);
    r = httpx_get("http://no-such-host.invalid/", NULL);
    CHECK(r && r->error == HTTPX_ERR_CONNECT && strstr(r->error_message, "could not resolve host"), "%s",
          r ? r->error_message : "");
    httpx_response_free(r);
}

static void mock_handler(void *user, const httpx_req *req, httpx_mock_reply *reply) {
    (void)user;
    (void)req;
    httpx_reply_json(reply, 200, "{\"os\": \"windows\"}");
}

static void test_mock(void) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = mock_handler });
    httpx_response *r = c ? httpx_client_get(c, "http://example.test/", NULL) : NULL;
    CHECK(r && !r->error && r->status_code == 200 && strstr(r->content, "windows"), "%s", r ? r->error_message : "");
    httpx_response_free(r);
    httpx_client_free(c);
}

static void test_timeout(const char *base) {
    char u[128];
    httpx_response *r;
    url(u, sizeof u, base, "/stall");
    r = httpx_get(u, &(httpx_opts){ .http2_prior_knowledge = true, .timeout = { .read = 0.5 } });
    CHECK(r && r->error == HTTPX_ERR_READ_TIMEOUT, "a stalled stream: %s", r ? r->error_message : "");
    httpx_response_free(r);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_windows H1PORT H2PORT\n");
        return 2;
    }
    snprintf(base1, sizeof base1, "http://127.0.0.1:%s", argv[1]);
    snprintf(base2, sizeof base2, "http://127.0.0.1:%s", argv[2]);
    test_blocking_get(base1, false);
    test_blocking_get(base2, true);
    test_post_echo(base1, false);
    test_post_echo(base2, true);
    test_tasks(base1, false);
    test_tasks(base2, true);
    test_client_fds(base1);
    test_refused();
    test_names(argv[1]);
    test_mock();
    test_timeout(base2);
    printf("test_windows: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
