/* timeouts: how long to wait, and the errors when it is too long, as HTTPX's
       httpx.get(url, timeout=0.5)
       httpx.Timeout(10.0, connect=60.0)         # per phase
       except httpx.ReadTimeout: ...             # one of httpx.TimeoutException
   Every phase has 5 seconds by default (0 in a field = the default); a
   negative value means no limit. The errors are HTTPX_ERR_CONNECT_TIMEOUT,
   _READ_TIMEOUT, _WRITE_TIMEOUT and _POOL_TIMEOUT, and httpx_is_timeout()
   is true for all four, as `except httpx.TimeoutException`.
       ./build/examples/timeouts http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

static void show(const char *what, httpx_response *r) {
    if (r->error)
        printf("%-34s %s (%s): %s\n", what, httpx_is_timeout(r->error) ? "timeout" : "error",
               httpx_strerror(r->error), r->error_message);
    else
        printf("%-34s %d after %.2f s\n", what, r->status_code, r->elapsed);
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char slow[512];
    httpx_response *r;
    httpx_client *c;
    httpx_task *first, *second;
    int as_expected = 1;

    snprintf(slow, sizeof slow, "%s/delay/1000", base);     /* answers after 1 s */

    /* A read timeout: the server takes 1 s, we wait 0.3 s for a byte. */
    r = httpx_get(slow, &(httpx_opts){ .timeout = { .read = 0.3 } });
    show("read timeout 0.3 s", r);
    as_expected &= r->error == HTTPX_ERR_READ_TIMEOUT;
    httpx_response_free(r);

    /* A client's timeouts apply to all its requests; a request may change one phase. */
    c = httpx_client_new(&(httpx_client_opts){ .base_url = base, .timeout = { .connect = 2, .read = 0.3 } });
    if (!c) return 1;
    r = httpx_client_get(c, "/delay/1000", &(httpx_opts){ .timeout = { .read = 3 } });
    show("client read 0.3 s, request 3 s", r);
    as_expected &= r->error == HTTPX_OK;
    httpx_response_free(r);
    httpx_client_free(c);

    /* No limit at all: a negative value (use with care). */
    r = httpx_get(slow, &(httpx_opts){ .timeout = { .read = -1 } });
    show("no read timeout", r);
    as_expected &= r->error == HTTPX_OK;
    httpx_response_free(r);

    /* A pool timeout: one connection allowed, two requests at once; the
       second waits for the connection at most 0.3 s (HTTPX's PoolTimeout). */
    c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    if (!c) return 1;
    first = httpx_client_start(c, "GET", slow, NULL);
    second = httpx_client_start(c, "GET", slow, &(httpx_opts){ .timeout = { .pool = 0.3 } });
    show("first of two on one connection", httpx_task_wait(first));
    show("second, pool timeout 0.3 s", httpx_task_wait(second));
    as_expected &= httpx_task_response(second)->error == HTTPX_ERR_POOL_TIMEOUT;
    httpx_task_free(first);
    httpx_task_free(second);
    httpx_client_free(c);

    /* A connect timeout (HTTPX_ERR_CONNECT_TIMEOUT) needs a host that never
       answers, so it is not shown here: this example talks to 127.0.0.1 only. */
    return as_expected ? 0 : 1;
}
