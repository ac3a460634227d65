/* auth: basic, bearer and custom authentication, as HTTPX's
       httpx.get(url, auth=("user", "pass"))
       httpx.get(url, headers={"Authorization": "Bearer " + token})
       class MyAuth(httpx.Auth): def auth_flow(self, request): request.headers[...] = ...; yield request
   Credentials in the URL (http://user:pass@host/) work too. A client's
   .auth goes with each of its requests, to its origin only: credentials never
   follow a redirect to another host. Digest auth is not there yet.
       ./build/examples/auth http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

static int show(const char *what, httpx_response *r, int want) {
    int bad = r->error || r->status_code != want;
    if (r->error) printf("%-30s failed: %s\n", what, r->error_message);
    else printf("%-30s %d %s\n", what, r->status_code, r->content);
    httpx_response_free(r);
    return bad;
}

/* A custom scheme: here an API key and a request signature header, made
   for each request by your own function (HTTPX's auth_flow). A real
   signature would hash the method, path and a secret. */
static void sign(char *out, size_t cap, const char *method, const char *path) {
    unsigned h = 5381;
    const char *p;
    for (p = method; *p; p++) h = h * 33 + (unsigned char)*p;
    for (p = path; *p; p++) h = h * 33 + (unsigned char)*p;
    snprintf(out, cap, "v1:%08x", h);
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512], sig[32];
    const char *host = strstr(base, "://") ? strstr(base, "://") + 3 : base;
    int failures = 0;
    httpx_client *c;

    /* Basic: username and password */
    snprintf(url, sizeof url, "%s/basic-auth/ada/secret", base);
    failures += show("basic", httpx_get(url, &(httpx_opts){ .auth = httpx_basic_auth("ada", "secret") }), 200);
    failures += show("basic, wrong password", httpx_get(url, &(httpx_opts){ .auth = httpx_basic_auth("ada", "nope") }), 401);
    snprintf(url, sizeof url, "http://ada:secret@%s/basic-auth/ada/secret", host);
    failures += show("basic, from the URL", httpx_get(url, NULL), 200);

    /* Bearer: a token */
    snprintf(url, sizeof url, "%s/bearer/t0ken", base);
    failures += show("bearer", httpx_get(url, &(httpx_opts){ .auth = httpx_bearer_auth("t0ken") }), 200);

    /* A client's auth goes with every request; a request can turn it off */
    c = httpx_client_new(&(httpx_client_opts){ .base_url = base, .auth = httpx_bearer_auth("t0ken") });
    if (!c) return 1;
    failures += show("client bearer", httpx_client_get(c, "/bearer/t0ken", NULL), 200);
    failures += show("client bearer, turned off", httpx_client_get(c, "/bearer/t0ken", &(httpx_opts){
        .auth = { .kind = HTTPX_AUTH_NONE } }), 401);
    httpx_client_free(c);

    /* Custom: your own headers, computed per request */
    sign(sig, sizeof sig, "GET", "/anything");
    snprintf(url, sizeof url, "%s/anything", base);
    {
        httpx_response *r = httpx_get(url, &(httpx_opts){
            .headers = (httpx_pair[]){ {"X-Api-Key", "k-123"}, {"X-Signature", sig}, {0} } });
        const char *got = httpx_json_string(httpx_json_path(httpx_json(r), "headers.X-Signature"));
        printf("%-30s %d, server saw X-Signature: %s\n", "custom", r->status_code, got ? got : "(none)");
        failures += !got || strcmp(got, sig) != 0;
        httpx_response_free(r);
    }
    return failures ? 1 : 0;
}
