/* mock_routes: routes for the mock (or app) transport, in the spirit of
   Python's respx: a router is a handler that matches each request by method
   and URL (exact, prefix, or path only) in the order the routes were added,
   answers with the first match's canned reply or function, and counts the
   calls, so that a test can say which routes were never called. A request no
   route matches fails as a network would (HTTPX_ERR_CONNECT, "no route
   matched GET http://..."), never with a made-up answer.
   Private prefix: httpx__routes_. */
#include "internal.h"
#include "headers_internal.h"
#include "engine_internal.h"

typedef struct httpx__route_entry {
    char *method;                   /* NULL: any method */
    char *pattern;                  /* the URL, the prefix (without its '*') or the path */
    bool prefix;                    /* the pattern ended in '*' */
    bool path_only;                 /* the pattern begins with '/': matched against the path */
    int status;                     /* a canned reply: */
    httpx_headers headers;
    char *body;                     /* NULL: empty */
    httpx_mock_fn fn;               /* or a function */
    void *fn_user_data;
    httpx_error error;              /* or an error (with message) */
    char *message;
    int calls;
} httpx__route_entry;

struct httpx_mock_router {
    httpx__route_entry *routes;
    int count, cap;
    int unmatched;                  /* requests no route matched */
    httpx__err err;                 /* a route that could not be made: every request fails with it */
};

static char *httpx__routes_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = (char *)httpx__malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

HTTPX_API httpx_mock_router *httpx_mock_router_new(void) {
    httpx_mock_router *m = (httpx_mock_router *)httpx__malloc(sizeof *m);
    if (m) memset(m, 0, sizeof *m);
    return m;
}

HTTPX_API void httpx_mock_router_free(httpx_mock_router *m) {
    int i;
    if (!m) return;
    for (i = 0; i < m->count; i++) {
        httpx__route_entry *r = &m->routes[i];
        httpx__free(r->method);
        httpx__free(r->pattern);
        httpx__free(r->body);
        httpx__free(r->message);
        httpx__headers_clear(&r->headers);
    }
    httpx__free(m->routes);
    httpx__free(m);
}

/* A route that cannot be made leaves the router failed: a test that does
   not look at the -1 still sees every request fail, saying why. */
static int httpx__routes_fail(httpx_mock_router *m, httpx_error code, const char *why) {
    if (m && !m->err.code) httpx__fail(&m->err, code, "the mock router could not add a route: %s", why);
    return -1;
}

/* A new route (its method and pattern set), or -1. */
static int httpx__routes_add(httpx_mock_router *m, const char *method, const char *url) {
    httpx__route_entry *r;
    size_t n;
    const char *host;
    if (!m) return -1;
    if (!url || !*url) return httpx__routes_fail(m, HTTPX_ERR_INVALID_ARGUMENT, "no URL given");
    if (m->count == m->cap) {
        int cap = m->cap ? m->cap * 2 : 8;
        httpx__route_entry *p = (httpx__route_entry *)httpx__realloc(m->routes, (size_t)cap * sizeof *p);
        if (!p) return httpx__routes_fail(m, HTTPX_ERR_NOMEM, "out of memory");
        m->routes = p;
        m->cap = cap;
    }
    r = &m->routes[m->count];
    memset(r, 0, sizeof *r);
    httpx__headers_init(&r->headers);
    r->status = 200;
    n = strlen(url);
    r->prefix = url[n - 1] == '*';
    r->path_only = url[0] == '/';
    /* "http://host" names the same resource as "http://host/", which is how
       a request's URL spells it */
    host = strstr(url, "://");
    r->pattern = (char *)httpx__malloc(n + 2);
    if (r->pattern) {
        memcpy(r->pattern, url, n + 1);
        if (r->prefix) r->pattern[n - 1] = 0;
        else if (host && !strchr(host + 3, '/')) {
            char *q = strchr(r->pattern + (host - url) + 3, '?');
            size_t at = q ? (size_t)(q - r->pattern) : n;
            memmove(r->pattern + at + 1, r->pattern + at, n + 1 - at);
            r->pattern[at] = '/';
        }
    }
    if (method && *method && strcmp(method, "*") != 0) r->method = httpx__routes_strdup(method);
    if (!r->pattern || (method && *method && strcmp(method, "*") != 0 && !r->method)) {
        httpx__free(r->pattern);
        httpx__free(r->method);
        return httpx__routes_fail(m, HTTPX_ERR_NOMEM, "out of memory");
    }
    return m->count++;
}

static httpx__route_entry *httpx__routes_at(const httpx_mock_router *m, int route) {
    return m && route >= 0 && route < m->count ? &m->routes[route] : NULL;
}

HTTPX_API httpx_error httpx_mock_route_header(httpx_mock_router *m, int route, const char *name, const char *value) {
    httpx__route_entry *r = httpx__routes_at(m, route);
    httpx_error err;
    if (!r) {
        httpx__routes_fail(m, HTTPX_ERR_INVALID_ARGUMENT, "httpx_mock_route_header was given no such route");
        return HTTPX_ERR_INVALID_ARGUMENT;
    }
    err = httpx_headers_add(&r->headers, name ? name : "", value ? value : "");
    if (err) httpx__routes_fail(m, err, err == HTTPX_ERR_NOMEM ? "out of memory" : "a header that is not a valid field");
    return err;
}

HTTPX_API int httpx_mock_route(httpx_mock_router *m, const char *method, const char *url, int status,
                               const char *content_type, const char *body) {
    int i = httpx__routes_add(m, method, url);
    httpx__route_entry *r = httpx__routes_at(m, i);
    if (!r) return -1;
    r->status = status;
    if (body && *body && !(r->body = httpx__routes_strdup(body))) {
        httpx__free(r->pattern);
        httpx__free(r->method);
        m->count--;
        return httpx__routes_fail(m, HTTPX_ERR_NOMEM, "out of memory");
    }
    if (content_type && httpx_mock_route_header(m, i, "Content-Type", content_type)) return -1;
    return i;
}

HTTPX_API int httpx_mock_route_json(httpx_mock_router *m, const char *method, const char *url, int status,
                                    const char *json) {
    return httpx_mock_route(m, method, url, status, "application/json", json ? json : "null");
}

HTTPX_API int httpx_mock_route_fn(httpx_mock_router *m, const char *method, const char *url, httpx_mock_fn fn,
                                  void *user_data) {
    int i;
    httpx__route_entry *r;
    if (!fn) return httpx__routes_fail(m, HTTPX_ERR_INVALID_ARGUMENT, "httpx_mock_route_fn was given no function");
    i = httpx__routes_add(m, method, url);
    r = httpx__routes_at(m, i);
    if (!r) return -1;
    r->fn = fn;
    r->fn_user_data = user_data;
    return i;
}

HTTPX_API int httpx_mock_route_error(httpx_mock_router *m, const char *method, const char *url, httpx_error code,
                                     const char *message) {
    int i = httpx__routes_add(m, method, url);
    httpx__route_entry *r = httpx__routes_at(m, i);
    if (!r) return -1;
    r->error = code == HTTPX_OK ? HTTPX_ERR_CONNECT : code;
    if (message && !(r->message = httpx__routes_strdup(message))) {
        httpx__free(r->pattern);
        httpx__free(r->method);
        m->count--;
        return httpx__routes_fail(m, HTTPX_ERR_NOMEM, "out of memory");
    }
    return i;
}

HTTPX_API int httpx_mock_route_calls(const httpx_mock_router *m, int route) {
    const httpx__route_entry *r = httpx__routes_at(m, route);
    return r ? r->calls : -1;
}

HTTPX_API int httpx_mock_router_unmatched(const httpx_mock_router *m) { return m ? m->unmatched : 0; }

HTTPX_API int httpx_mock_router_uncalled(const httpx_mock_router *m, char *buf, size_t cap) {
    int i, n = 0;
    size_t len = 0;
    if (buf && cap) buf[0] = 0;
    if (!m) return 0;
    for (i = 0; i < m->count; i++) {
        const httpx__route_entry *r = &m->routes[i];
        int w;
        if (r->calls) continue;
        n++;
        if (!buf || len + 1 >= cap) continue;
        w = snprintf(buf + len, cap - len, "%s#%d %s %s%s", n > 1 ? ", " : "", i, r->method ? r->method : "*",
                     r->pattern, r->prefix ? "*" : "");
        if (w < 0 || (size_t)w >= cap - len) {
            /* cut: say so rather than end mid-word unseen */
            if (cap >= 4) memcpy(buf + cap - 4, "...", 4);
            len = cap;
        } else {
            len += (size_t)w;
        }
    }
    return n;
}

/* The part of an absolute URL from its path on ("/a?b"). */
static const char *httpx__routes_path(const char *url) {
    const char *s = strstr(url, "://");
    s = s ? strpbrk(s + 3, "/?") : url;
    return s ? s : "";
}

static bool httpx__routes_match(const httpx__route_entry *r, const char *method, const char *url) {
    const char *target = r->path_only ? httpx__routes_path(url) : url;
    size_t n = strlen(r->pattern), tn;
    if (r->method && strcmp(r->method, method) != 0) return false;
    if (r->prefix) return !strncmp(target, r->pattern, n);
    /* a pattern without a query matches the URL whatever its query */
    tn = strchr(r->pattern, '?') ? strlen(target) : strcspn(target, "?");
    return tn == n && !memcmp(target, r->pattern, n);
}

HTTPX_API void httpx_mock_router_handler(void *router, const httpx_req *q, httpx_app_response *p) {
    httpx_mock_router *m = (httpx_mock_router *)router;
    const char *method = httpx_request_method(q), *url = httpx_request_url(q);
    char why[240];
    int i;
    if (!m) {
        httpx_reply_error(p, HTTPX_ERR_INVALID_ARGUMENT, "httpx_mock_router_handler needs the router as its user data");
        return;
    }
    if (m->err.code) {
        httpx_reply_error(p, m->err.code, m->err.msg);
        return;
    }
    for (i = 0; i < m->count; i++) {
        httpx__route_entry *r = &m->routes[i];
        size_t k, nh;
        if (!httpx__routes_match(r, method, url)) continue;
        r->calls++;
        if (r->fn) {
            r->fn(r->fn_user_data, q, p);
            return;
        }
        if (r->error) {
            httpx_reply_error(p, r->error, r->message);
            return;
        }
        httpx_reply_status(p, r->status);
        nh = httpx_headers_count(&r->headers);
        for (k = 0; k < nh; k++) {
            const char *name = "", *value = "";
            httpx_headers_at(&r->headers, k, &name, &value);
            httpx_reply_header(p, name, value);
        }
        if (r->body) httpx_reply_body(p, r->body, 0);
        return;
    }
    m->unmatched++;
    snprintf(why, sizeof why, "no route matched %.30s %.180s", method, url);
    httpx_reply_error(p, HTTPX_ERR_CONNECT, why);
}
