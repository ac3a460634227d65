/* cookies: a cookie session kept in a file between runs, as
       jar = http.cookiejar.MozillaCookieJar("cookies.txt"); jar.load()
       r = httpx.get(url + "/cookies/set/session/abc", cookies=jar)
       r.cookies["session"]; jar.save()
   The file is the Netscape format of curl's -b/-c, so curl can read it.
   (Until a client keeps a jar itself, the jar goes into each request's
   Cookie header by hand, and each response's cookies into the jar.)
       ./build/examples/cookies http://127.0.0.1:8080 cookies.txt */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* One request with the jar's cookies; the response's Set-Cookie into the jar. */
static httpx_response *get_with_jar(httpx_client *c, httpx_cookies *jar, const char *url) {
    char cookie[4096];
    httpx_response *r;
    const char *v;
    size_t i;
    httpx_cookies_header(jar, url, cookie, sizeof cookie);
    r = httpx_client_get(c, url, &(httpx_opts){
        .headers = cookie[0] ? (httpx_pair[]){ {"Cookie", cookie}, {0} } : NULL });
    for (i = 0; !r->error && (v = httpx_header_nth(r, "set-cookie", i)) != NULL; i++)
        httpx_cookies_set_cookie(jar, r->url, v);   /* a cookie the jar refuses is left out */
    return r;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    const char *file = argc > 2 ? argv[2] : "cookies.txt";
    char url[512];
    httpx_client *c = httpx_client_new(NULL);
    httpx_cookies *jar = httpx_cookies_new(), *set;
    httpx_response *r;
    httpx_cookie k;
    const char *seen;
    size_t i;
    FILE *f;
    int ok;
    if (!c || !jar) return 1;

    /* First run: log in; the server sets a cookie (and redirects, not followed here). */
    if ((f = fopen(file, "r")) != NULL) {       /* an earlier run's file, if any */
        fclose(f);
        if (httpx_cookies_load(jar, file) != HTTPX_OK) { fprintf(stderr, "%s\n", httpx_cookies_error(jar)); return 1; }
    }
    snprintf(url, sizeof url, "%s/cookies/set/session/abc123", base);
    r = get_with_jar(c, jar, url);
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); return 1; }
    set = httpx_response_cookies(r);            /* r.cookies */
    printf("login: %d, the response set session=%s\n", r->status_code, httpx_cookies_get(set, "session", NULL, NULL));
    httpx_cookies_free(set);
    httpx_response_free(r);
    if (httpx_cookies_save(jar, file) != HTTPX_OK) { fprintf(stderr, "%s\n", httpx_cookies_error(jar)); return 1; }
    httpx_cookies_free(jar);

    /* Later (another run): the session comes back from the file. */
    jar = httpx_cookies_new();
    if (!jar || httpx_cookies_load(jar, file) != HTTPX_OK) return 1;
    for (i = 0; httpx_cookies_at(jar, i, &k); i++)
        printf("in %s: %s=%s for %s%s, path %s, %s\n", file, k.name, k.value, k.host_only ? "" : ".", k.domain,
               k.path, k.expires ? "persistent" : "session cookie");
    snprintf(url, sizeof url, "%s/cookies", base);
    r = get_with_jar(c, jar, url);
    seen = httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session"));
    printf("the server sees session=%s\n", seen ? seen : "(none)");
    ok = !r->error && seen && strcmp(seen, "abc123") == 0;
    httpx_response_free(r);
    httpx_cookies_free(jar);
    httpx_client_free(c);
    return ok ? 0 : 1;
}
