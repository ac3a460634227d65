/* digest_auth: HTTP Digest authentication (RFC 7616), as HTTPX's
       httpx.get(url, auth=httpx.DigestAuth("user", "passwd"))
   The request goes out without credentials; the server's 401 names a
   challenge (realm, nonce, algorithm, qop), which httpx.h answers with a
   hash of the password, never the password itself, and sends again.
   MD5, MD5-sess, SHA-256, SHA-256-sess; qop auth and auth-int.
       ./build/examples/digest_auth http://127.0.0.1:8080   (an httpbin) */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

static int show(const char *what, httpx_response *r, int want) {
    int bad = !r || r->error || r->status_code != want;
    if (!r) printf("%-28s out of memory\n", what);
    else if (r->error) printf("%-28s failed: %s\n", what, r->error_message);
    else printf("%-28s %d %.*s\n", what, r->status_code, (int)strcspn(r->content, "\n"), r->content);
    httpx_response_free(r);
    return bad;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    int failures = 0;
    httpx_client *c;

    /* one request */
    snprintf(url, sizeof url, "%s/digest-auth/auth/user/passwd/MD5", base);
    failures += show("MD5", httpx_get(url, &(httpx_opts){ .auth = httpx_digest_auth("user", "passwd") }), 200);
    failures += show("MD5, wrong password", httpx_get(url, &(httpx_opts){ .auth = httpx_digest_auth("user", "nope") }), 401);

    /* a client's auth answers each of its requests' challenges */
    c = httpx_client_new(&(httpx_client_opts){ .base_url = base, .auth = httpx_digest_auth("user", "passwd") });
    if (!c) return 1;
    failures += show("SHA-256", httpx_client_get(c, "/digest-auth/auth/user/passwd/SHA-256", NULL), 200);
    /* auth-int also hashes the body: it must be in memory (content, json, data) */
    failures += show("SHA-256, auth-int", httpx_client_get(c, "/digest-auth/auth-int/user/passwd/SHA-256", NULL), 200);
    httpx_client_free(c);
    return failures ? 1 : 0;
}
