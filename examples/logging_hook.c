/* logging_hook: event hooks, as HTTPX's
       def log_request(request):
           print(f"Request event hook: {request.method} {request.url} - Waiting for response")
       def log_response(response):
           request = response.request
           print(f"Response event hook: {request.method} {request.url} - Status {response.status_code}")
       def raise_on_4xx_5xx(response):
           response.raise_for_status()
       client = httpx.Client(event_hooks={'request': [log_request],
                                          'response': [log_response, raise_on_4xx_5xx]})
   Hooks run for every hop of a redirect; a response hook runs as soon as
   the head is in, before the body is read. A hook that returns an error
   ends the request with it: nothing more is sent.
       ./build/examples/logging_hook http://127.0.0.1:8080
   (a server with httpbin's /redirect-to or the test server's /redirect) */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* A request hook may edit the request: here, a numbered X-Request-Id. */
static httpx_error log_request(void *user_data, httpx_req *request) {
    int *count = (int *)user_data;
    char id[16];
    snprintf(id, sizeof id, "%d", ++*count);
    printf("Request event hook: %s %s - Waiting for response\n", httpx_request_method(request),
           httpx_request_url(request));
    return httpx_request_set_header(request, "X-Request-Id", id);
}

static httpx_error log_response(void *user_data, httpx_response *response) {
    const httpx_req *request = httpx_response_request(response);
    (void)user_data;
    printf("Response event hook: %s %s - Status %d\n", httpx_request_method(request), httpx_request_url(request),
           response->status_code);
    return HTTPX_OK;
}

/* raise_for_status ends the request on anything but a 2xx: with redirects
   followed, only the final response is checked, so 3xx hops pass. */
static httpx_error raise_on_4xx_5xx(void *user_data, httpx_response *response) {
    (void)user_data;
    return httpx_is_redirect(response) ? HTTPX_OK : httpx_raise_for_status(response);
}

static int fetch(httpx_client *c, const char *base, const char *path) {
    char url[512];
    int failed;
    httpx_response *r;
    snprintf(url, sizeof url, "%s%s", base, path);
    r = httpx_client_get(c, url, NULL);
    if (!r) return 1;
    failed = r->error != HTTPX_OK;
    if (failed) printf("failed: %s: %s\n", httpx_strerror(r->error), r->error_message);
    else printf("done: %d, %zu bytes\n", r->status_code, r->content_length);
    httpx_response_free(r);
    return failed;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    int count = 0, ok;
    const httpx_request_hook request_hooks[] = {{log_request, &count, "log_request"}, {NULL, NULL, NULL}};
    const httpx_response_hook response_hooks[] = {
        {log_response, NULL, "log_response"}, {raise_on_4xx_5xx, NULL, "raise_on_4xx_5xx"}, {NULL, NULL, NULL}};
    httpx_client_opts opts;
    httpx_client *c;
    memset(&opts, 0, sizeof opts);
    opts.request_hooks = request_hooks;
    opts.response_hooks = response_hooks;
    opts.follow_redirects = true;
    c = httpx_client_new(&opts);
    if (!c) return 1;
    ok = fetch(c, base, "/redirect?to=/json") == 0 &&     /* two hops, each logged */
         fetch(c, base, "/status/404") == 1;               /* the hook's error ends it */
    printf("%d requests went out\n", count);
    httpx_client_free(c);
    return ok ? 0 : 1;
}
