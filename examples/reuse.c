/* reuse: why a client beats one-shot calls in a loop, as HTTPX's
       with httpx.Client() as client:
           for i in range(20): client.get(url)      # one connection, reused
   Each httpx_get opens and closes its own connection; a client keeps idle
   connections in a pool and sends the next request on one of them. The
   server's /conn-id says which connection served a request.
       ./build/examples/reuse http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>
#include <time.h>

#define ROUNDS 20

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512], first[32] = "", ids[2][32];
    httpx_client *c;
    double t;
    int i, same = 0;

    snprintf(url, sizeof url, "%s/conn-id", base);

    t = now();                                      /* one-shot: a new connection each time */
    for (i = 0; i < ROUNDS; i++) {
        httpx_response *r = httpx_get(url, NULL);
        if (r->error) { fprintf(stderr, "%s\n", r->error_message); httpx_response_free(r); return 1; }
        snprintf(ids[i == 0 ? 0 : 1], sizeof ids[0], "%s", r->content);
        httpx_response_free(r);
    }
    printf("%d one-shot GETs: %.1f ms, connections #%s ... #%s\n", ROUNDS, (now() - t) * 1e3, ids[0], ids[1]);

    c = httpx_client_new(NULL);                      /* a client: one pooled connection */
    if (!c) return 1;
    t = now();
    for (i = 0; i < ROUNDS; i++) {
        httpx_response *r = httpx_client_get(c, url, NULL);
        if (r->error) { fprintf(stderr, "%s\n", r->error_message); httpx_response_free(r); break; }
        if (i == 0) snprintf(first, sizeof first, "%s", r->content);
        same += strcmp(r->content, first) == 0;
        httpx_response_free(r);                      /* the connection goes back to the pool */
    }
    printf("%d client GETs:   %.1f ms, %d of them on connection #%s\n", ROUNDS, (now() - t) * 1e3, same, first);
    httpx_client_free(c);                            /* closes the pooled connection */
    return same == ROUNDS ? 0 : 1;
}
