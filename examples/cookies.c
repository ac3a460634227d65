/* cookies: a cookie session kept in a file between runs, as
       jar = http.cookiejar.MozillaCookieJar("cookies.txt"); jar.load()
       client = httpx.Client(cookies=jar, follow_redirects=True)
       r = client.get(url + "/cookies/set/session/abc")   # sets it, redirects
       jar.save()
   A client keeps the cookies its responses set (each hop of a redirect
   too) and sends them back; here the jar is ours (cookie_jar), so that it
   can be loaded before and saved after. The file is the Netscape format of
   curl's -b/-c, so curl can read it.
       ./build/examples/cookies http://127.0.0.1:8080 cookies.txt */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* A client that uses jar, following redirects as a login flow needs. */
static httpx_client *client_with(httpx_cookies *jar) {
    return httpx_client_new(&(httpx_client_opts){ .cookie_jar = jar, .follow_redirects = true });
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    const char *file = argc > 2 ? argv[2] : "cookies.txt";
    char url[512];
    httpx_cookies *jar = httpx_cookies_new(), *set;
    httpx_client *c;
    httpx_response *r;
    const httpx_response *login;
    httpx_cookie k;
    const char *seen;
    size_t i;
    FILE *f;
    int ok;
    if (!jar) return 1;

    /* First run: log in. The server sets a cookie and redirects to /cookies;
       the jar keeps it and the redirect's request already carries it. */
    if ((f = fopen(file, "r")) != NULL) {       /* an earlier run's file, if any */
        fclose(f);
        if (httpx_cookies_load(jar, file) != HTTPX_OK) { fprintf(stderr, "%s\n", httpx_cookies_error(jar)); return 1; }
    }
    c = client_with(jar);
    if (!c) return 1;
    snprintf(url, sizeof url, "%s/cookies/set/session/abc123", base);
    r = httpx_client_get(c, url, NULL);
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); return 1; }
    login = httpx_response_history(r, 0);      /* the 302 that set it */
    if (login) {
        set = httpx_response_cookies(login);    /* r.history[0].cookies */
        printf("login: %d, the response set session=%s\n", login->status_code,
               set ? httpx_cookies_get(set, "session", NULL, NULL) : "?");
        httpx_cookies_free(set);
    }
    printf("after the redirect: %d %s\n", r->status_code, r->content);
    httpx_response_free(r);
    httpx_client_free(c);                       /* the jar is ours: it stays */
    if (httpx_cookies_save(jar, file) != HTTPX_OK) { fprintf(stderr, "%s\n", httpx_cookies_error(jar)); return 1; }
    httpx_cookies_free(jar);

    /* Later (another run): the session comes back from the file. */
    jar = httpx_cookies_new();
    if (!jar || httpx_cookies_load(jar, file) != HTTPX_OK) return 1;
    for (i = 0; httpx_cookies_at(jar, i, &k); i++)
        printf("in %s: %s=%s for %s%s, path %s, %s\n", file, k.name, k.value, k.host_only ? "" : ".", k.domain,
               k.path, k.expires ? "persistent" : "session cookie");
    c = client_with(jar);
    if (!c) return 1;
    snprintf(url, sizeof url, "%s/cookies", base);
    r = httpx_client_get(c, url, NULL);
    seen = httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session"));
    printf("the server sees session=%s\n", seen ? seen : "(none)");
    ok = !r->error && seen && strcmp(seen, "abc123") == 0;
    httpx_response_free(r);
    httpx_client_free(c);
    httpx_cookies_free(jar);
    return ok ? 0 : 1;
}
