/* http2.c - many requests over one HTTP/2 connection, from a frame loop.

   Build:  cc -std=c99 -DHTTPX_BEARSSL examples/http2.c -lbearssl -o http2
   Run:    ./http2 https://example.org/            (h2 over TLS, by ALPN)
           ./http2 --h2c http://127.0.0.1:8080/    (h2c: HTTP/2 without TLS)

   With .http2 = true the client offers "h2" in the TLS handshake and speaks
   what the server picks; a server without HTTP/2 answers over HTTP/1.1 and
   the program works the same. Every request to one origin then shares one
   connection: each is a stream, and they all travel at once. */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <time.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#define N 20   /* requests in flight at once */

/* A stand-in for a game's frame: ~1 ms of other work. */
static void other_work(void) {
    struct timespec ts = { 0, 1000000L };
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
    bool h2c = argc > 2 && strcmp(argv[1], "--h2c") == 0;
    const char *url = argc > 1 ? argv[argc - 1] : "https://127.0.0.1/";
    httpx_task *tasks[N];
    int i, ok = 0, frames = 0;

    /* One client: its pool keeps the connection, its options apply to all. */
    httpx_client *c = httpx_client_new(&(httpx_client_opts){
        .http2 = true,                  /* https: ALPN offers h2, then http/1.1 */
        .http2_prior_knowledge = h2c,   /* http: speak HTTP/2 at once */
    });
    if (!c) return 1;

    /* First one blocking request, to see what the server chose. */
    httpx_response *r = httpx_client_get(c, url, NULL);
    if (r->error) {
        fprintf(stderr, "%s: %s\n", httpx_strerror(r->error), r->error_message);
        httpx_response_free(r);
        httpx_client_free(c);
        return 1;
    }
    printf("%s %d\n", r->http_version, r->status_code);
    httpx_response_free(r);

    /* Then N at once. httpx_client_start returns at once; nothing is sent yet. */
    for (i = 0; i < N; i++) tasks[i] = httpx_client_start(c, "GET", url, NULL);

    /* The frame loop: poll(c, 0) does what is ready and never waits, so the
       frame rate does not depend on the network. It returns the tasks still
       in flight. */
    while (httpx_client_poll(c, 0) > 0) {
        other_work();
        frames++;
    }

    for (i = 0; i < N; i++) {
        httpx_response *t = httpx_task_response(tasks[i]);   /* owned by the task */
        if (t && !t->error && t->status_code == 200) ok++;
        httpx_task_free(tasks[i]);
    }
    printf("%d of %d requests done in %d frames\n", ok, N, frames);
    httpx_client_free(c);
    return ok == N ? 0 : 1;
}
