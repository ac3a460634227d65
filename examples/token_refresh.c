/* token_refresh: a custom auth flow (HTTPX's Auth.auth_flow generator)
   that sends a bearer token and, when the server answers 401, fetches a
   new token and sends the request again:

       class TokenAuth(httpx.Auth):
           def auth_flow(self, request):
               request.headers["Authorization"] = "Bearer " + self.token
               response = yield request
               if response.status_code == 401:
                   self.token = fetch_token()
                   request.headers["Authorization"] = "Bearer " + self.token
                   yield request

   In C the flow is one callback, called with no response before the
   request goes (put the token in) and with each response (ask for another
   round with HTTPX_AUTH_RESEND). The token endpoint is reached with a
   client of its own: the flow runs inside the call that drives its client.
       ./build/examples/token_refresh http://127.0.0.1:8080   (an httpbin) */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

typedef struct token_auth {
    httpx_client *issuer;       /* for the token endpoint */
    char token_url[512];
    char token[128];            /* the current token ("" none yet) */
    int refreshed;
} token_auth;

static int token_flow(void *user_data, httpx_req *request, const httpx_response *response) {
    token_auth *a = (token_auth *)user_data;
    char value[160];
    httpx_response *r;
    if (!response) {            /* the request is about to go: the token we have */
        if (!a->token[0]) return HTTPX_AUTH_ACCEPT;
        snprintf(value, sizeof value, "Bearer %s", a->token);
        return httpx_request_set_header(request, "Authorization", value) ? -HTTPX_ERR_INVALID_HEADER : HTTPX_AUTH_ACCEPT;
    }
    if (response->status_code != 401) return HTTPX_AUTH_ACCEPT;
    /* 401: a new token, then the same request again */
    r = httpx_client_get(a->issuer, a->token_url, NULL);
    if (!r || r->error || r->status_code != 200 || r->content_length >= sizeof a->token) {
        httpx_response_free(r);
        return -HTTPX_ERR_STATUS;    /* the request fails: no token to be had */
    }
    memcpy(a->token, r->content, r->content_length);
    a->token[r->content_length] = 0;
    a->refreshed++;
    printf("401: fetched a new token \"%s\"\n", a->token);
    httpx_response_free(r);
    return HTTPX_AUTH_RESEND;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    token_auth auth;
    httpx_client *c;
    httpx_response *r;
    int failures = 0, i;
    memset(&auth, 0, sizeof auth);
    /* httpbin's /base64/VALUE returns VALUE decoded: here our "token endpoint" */
    snprintf(auth.token_url, sizeof auth.token_url, "%s/base64/dDBrZW4tMQ==", base);
    auth.issuer = httpx_client_new(NULL);
    c = httpx_client_new(&(httpx_client_opts){ .base_url = base, .auth = httpx_auth_flow(token_flow, &auth) });
    if (!c || !auth.issuer) return 1;
    for (i = 0; i < 2; i++) {   /* the first request refreshes, the second uses the token */
        r = httpx_client_get(c, "/bearer", NULL);
        if (r->error) printf("request %d failed: %s\n", i + 1, r->error_message);
        else printf("request %d: %d, sent %s\n", i + 1, r->status_code,
                    httpx_request_header(httpx_response_request(r), "authorization"));
        failures += r->error || r->status_code != 200;
        httpx_response_free(r);
    }
    printf("tokens fetched: %d\n", auth.refreshed);
    httpx_client_free(c);
    httpx_client_free(auth.issuer);
    return failures || auth.refreshed != 1 ? 1 : 0;
}
