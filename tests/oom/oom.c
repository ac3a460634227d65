/* Out of memory at every allocation: a client, a blocking request with
   params, headers and a JSON body, a stream, and nonblocking tasks are run
   with an allocator that fails after k allocations, for k = 0, 1, 2, ...
   until a run needs no more. Every run must end in a response whose error is
   set (or a NULL where the API allows it), never a crash, a leak (built with
   ASan) or a request sent half-built.
       build/oom http://127.0.0.1:PORT/hello.txt */
#define _POSIX_C_SOURCE 200809L     /* before any system header */
#include <stdlib.h>
#include <string.h>
static long budget = -1;          /* allocations left; -1: no limit */
static long used;
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

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:1/";
    long k, needed, bad = 0;
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
