/* hooks: the client's event hooks, HTTPX's event_hooks={'request': [...],
   'response': [...]}. The hop (hop.c) calls the request hooks before each
   hop is sent; the door (response.c) calls the response hooks as each head
   comes in, before any body is read, as HTTPX calls them after
   _send_single_request. A hook's error stops everything: the caller of these
   ends the hop with it, so nothing more is sent or read. This file only
   calls the caller's functions and reports: it comes before response.c and
   hop.c, which act on what it says. Private prefix: httpx__hooks_. */
#include "internal.h"
#include "engine_internal.h"

static size_t httpx__hooks_name_size(const char *name) { return name ? strlen(name) + 1 : 0; }

static char *httpx__hooks_name_copy(const char *name, char **store) {
    char *at = *store;
    size_t n = httpx__hooks_name_size(name);
    if (!n) return NULL;
    memcpy(at, name, n);
    *store += n;
    return at;
}

/* One allocation: the request hooks, {0}, the response hooks, {0}, then
   the names. The caller's arrays may be on its stack. */
HTTPX__PRIVATE bool httpx__hooks_copy(httpx_client *c) {
    const httpx_request_hook *rq = c->opts.request_hooks;
    const httpx_response_hook *rs = c->opts.response_hooks;
    size_t nq = 0, ns = 0, names = 0, i, at;
    httpx_request_hook *q;
    httpx_response_hook *s;
    char *store;
    c->opts.request_hooks = NULL;
    c->opts.response_hooks = NULL;
    for (; rq && rq[nq].fn; nq++) names += httpx__hooks_name_size(rq[nq].name);
    for (; rs && rs[ns].fn; ns++) names += httpx__hooks_name_size(rs[ns].name);
    if (!nq && !ns) return true;
    /* the response hooks start at an offset aligned for them */
    at = (nq + 1) * sizeof *q;
    at = (at + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *);
    c->hook_store = (char *)httpx__malloc(at + (ns + 1) * sizeof *s + names);
    if (!c->hook_store) return false;
    q = (httpx_request_hook *)(void *)c->hook_store;
    s = (httpx_response_hook *)(void *)(c->hook_store + at);
    store = c->hook_store + at + (ns + 1) * sizeof *s;
    for (i = 0; i < nq; i++) {
        q[i] = rq[i];
        q[i].name = httpx__hooks_name_copy(rq[i].name, &store);
    }
    memset(&q[nq], 0, sizeof q[nq]);
    for (i = 0; i < ns; i++) {
        s[i] = rs[i];
        s[i].name = httpx__hooks_name_copy(rs[i].name, &store);
    }
    memset(&s[ns], 0, sizeof s[ns]);
    if (nq) c->opts.request_hooks = q;
    if (ns) c->opts.response_hooks = s;
    return true;
}

HTTPX__PRIVATE void httpx__hooks_free(httpx_client *c) {
    httpx__free(c->hook_store);
    c->hook_store = NULL;
    c->opts.request_hooks = NULL;
    c->opts.response_hooks = NULL;
}

/* What a hook's failure says: the hook by name (or place) and the error.
   A code that is no httpx_error is reported as HTTPX_ERR_CANCELLED, so the
   response never carries a value the caller cannot look up. */
static httpx_error httpx__hooks_failed(httpx__err *e, const char *kind, size_t i, const char *name, httpx_error err) {
    if ((int)err < 0 || (int)err >= (int)HTTPX_ERR_COUNT_)
        return httpx__fail(e, HTTPX_ERR_CANCELLED, "%s hook %s%s%s#%zu returned %d, which is no httpx_error", kind,
                           name ? "'" : "", name ? name : "", name ? "' " : "", i + 1, (int)err);
    return httpx__fail(e, err, "%s hook %s%s%s#%zu ended the request: %s", kind, name ? "'" : "", name ? name : "",
                       name ? "' " : "", i + 1, httpx_strerror(err));
}

HTTPX__PRIVATE httpx_error httpx__hooks_request(httpx__response *r, httpx__err *e) {
    const httpx_request_hook *h = r->client->opts.request_hooks;
    size_t i;
    for (i = 0; h && h[i].fn; i++) {
        httpx_error err = h[i].fn(h[i].user_data, &r->req);
        if (err) return httpx__hooks_failed(e, "request", i, h[i].name, err);
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__hooks_response(httpx__response *r, httpx__err *e) {
    const httpx_response_hook *h = r->client->opts.response_hooks;
    size_t i;
    for (i = 0; h && h[i].fn; i++) {
        httpx_error err;
        if (!r->pub.error) r->pub.error_message = "";   /* words a hook left on an earlier hop are gone */
        err = h[i].fn(h[i].user_data, &r->pub);
        if (!err) continue;
        /* a hook that failed through httpx_raise_for_status: its words (the
           whole URL, however long) are the message; the first failure wins */
        if (err == HTTPX_ERR_STATUS && r->pub.error_message[0] && !r->pub.error) {
            r->pub.error = err;
            httpx__fail(e, err, "%s", r->pub.error_message);
            return err;
        }
        return httpx__hooks_failed(e, "response", i, h[i].name, err);
    }
    return HTTPX_OK;
}
