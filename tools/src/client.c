/* client: shared configuration, URL and option merging, and the blocking
   face (one-shot calls and httpx_client_*), which runs the same hop
   (hop.c) as the task face, waiting until its request is done. */
#include "internal.h"
#include "url_internal.h"
#include "h1_internal.h"
#include "net_internal.h"
#include "tls_internal.h"
#include "engine_internal.h"

static httpx_opts httpx__no_opts;   /* zero: every default (never written) */

static bool httpx__auth_kind_known(httpx_auth_kind k) {
    return k == HTTPX_AUTH_INHERIT || k == HTTPX_AUTH_NONE || k == HTTPX_AUTH_BASIC || k == HTTPX_AUTH_BEARER ||
           k == HTTPX_AUTH_DIGEST || k == HTTPX_AUTH_FLOW;
}

/* ---- the client ---- */

static const char *httpx__getenv(void *ctx, const char *name) {
    (void)ctx;
    return getenv(name);
}

static double httpx__timeout_default(double v) { return v == 0 ? 5.0 : v < 0 ? -1 : v; }

/* All defaults in one place: a zeroed httpx_client_opts is a usable client. */
static void httpx__client_defaults(httpx_client_opts *o) {
    o->timeout.connect = httpx__timeout_default(o->timeout.connect);
    o->timeout.read = httpx__timeout_default(o->timeout.read);
    o->timeout.write = httpx__timeout_default(o->timeout.write);
    o->timeout.pool = httpx__timeout_default(o->timeout.pool);
    o->timeout.total = o->timeout.total > 0 ? o->timeout.total : -1;   /* unlike the others: none by default */
    if (o->limits.max_connections <= 0) o->limits.max_connections = 100;
    if (o->limits.max_keepalive_connections <= 0) o->limits.max_keepalive_connections = 20;
    if (o->limits.keepalive_expiry <= 0) o->limits.keepalive_expiry = 5.0;
    if (o->limits.max_headers <= 0) o->limits.max_headers = HTTPX__MAX_HEADERS_DEFAULT;
    if (o->max_redirects <= 0) o->max_redirects = 20;
    if (!o->max_head_size) o->max_head_size = 64 * 1024;
    if (!o->max_body_size) o->max_body_size = (size_t)1 << 30;
    if (!o->max_decompression_ratio) o->max_decompression_ratio = HTTPX__DECOMPRESSION_RATIO_DEFAULT;
    if (!o->user_agent) o->user_agent = "httpx.h/" HTTPX_VERSION;
}

HTTPX__PRIVATE size_t httpx__pairs_size(const httpx_pair *p, size_t *count) {
    size_t n = 0;
    *count = 0;
    for (; p && p->name; p++, (*count)++) n += strlen(p->name) + 1 + strlen(p->value ? p->value : "") + 1;
    return n;
}

/* Copies a {0}-terminated pair array into `pairs`, its strings into *store. */
HTTPX__PRIVATE void httpx__pairs_copy(httpx_pair *pairs, const httpx_pair *src, char **store) {
    size_t n;
    for (; src && src->name; src++, pairs++) {
        n = strlen(src->name) + 1;
        memcpy(*store, src->name, n);
        pairs->name = *store;
        *store += n;
        n = strlen(src->value ? src->value : "") + 1;
        memcpy(*store, src->value ? src->value : "", n);
        pairs->value = *store;
        *store += n;
    }
    pairs->name = pairs->value = NULL;
}

/* The protocols a connection of c may speak, most preferred first; the
   connection chooses among them (conn.c names none). HTTP/1.1 is last: what
   a connection speaks when nothing else was chosen. */
static void httpx__client_protocols(httpx_client *c) {
    int n = 0;
    if (httpx__h2_protocol()) c->protocols[n++] = httpx__h2_protocol();
    c->protocols[n++] = httpx__h1_protocol();
    c->protocols[n] = NULL;
}

HTTPX_API httpx_client *httpx_client_new(const httpx_client_opts *opt) {
    httpx_client *c = (httpx_client *)httpx__malloc(sizeof *c);
    size_t nh, np, sh, sp, su, sdu = 0, sdp = 0;
    char *store;
    bool ok = true;
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    if (opt) c->opts = *opt;
    httpx__client_defaults(&c->opts);
    sh = httpx__pairs_size(c->opts.headers, &nh);
    sp = httpx__pairs_size(c->opts.params, &np);
    c->headers = (httpx_pair *)httpx__malloc((nh + np + 2) * sizeof(httpx_pair));
    su = c->opts.uds ? strlen(c->opts.uds) + 1 : 0;
    if (c->opts.auth.kind == HTTPX_AUTH_DIGEST) {   /* answered at each 401: kept for the client's life */
        sdu = c->opts.auth.username ? strlen(c->opts.auth.username) + 1 : 0;
        sdp = c->opts.auth.password ? strlen(c->opts.auth.password) + 1 : 0;
    }
    c->strings = (char *)httpx__malloc(sh + sp + su + sdu + sdp + 1);
    if (!c->headers || !c->strings) ok = false;
    if (ok) {
        store = c->strings;
        c->params = c->headers + nh + 1;
        httpx__pairs_copy(c->headers, c->opts.headers, &store);
        httpx__pairs_copy(c->params, c->opts.params, &store);
        if (su) {           /* the route of every connection points at this one copy */
            memcpy(store, c->opts.uds, su);
            c->opts.uds = store;
            store += su;
        }
        if (sdu) {
            memcpy(store, c->opts.auth.username, sdu);
            c->opts.auth.username = store;
            store += sdu;
        }
        if (sdp) {
            memcpy(store, c->opts.auth.password, sdp);
            c->opts.auth.password = store;
        }
    }
    if (ok && c->opts.base_url) {
        ok = httpx__buf_puts(&c->base_url, c->opts.base_url);
        /* HTTPX joins by appending to the base path, so it must end in '/' */
        if (ok && c->base_url.len && c->base_url.p[c->base_url.len - 1] != '/' && !strchr(c->base_url.p, '?'))
            ok = httpx__buf_putc(&c->base_url, '/');
    }
    if (ok && !httpx__auth_kind_known(c->opts.auth.kind)) {
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts.auth.kind is %d, which is no httpx_auth_kind", (int)c->opts.auth.kind);
    } else if (ok && c->opts.auth.kind == HTTPX_AUTH_BASIC) {
        httpx__buf up;
        memset(&up, 0, sizeof up);
        ok = httpx__buf_printf(&up, "%s:%s", c->opts.auth.username ? c->opts.auth.username : "",
                               c->opts.auth.password ? c->opts.auth.password : "") &&
             httpx__buf_puts(&c->auth_header, "Basic ") && httpx__base64(&c->auth_header, up.p, up.len);
        httpx__buf_free(&up);
    } else if (ok && c->opts.auth.kind == HTTPX_AUTH_BEARER) {
        ok = httpx__buf_puts(&c->auth_header, "Bearer ") &&
             httpx__buf_puts(&c->auth_header, c->opts.auth.token ? c->opts.auth.token : "");
        if (ok && (strchr(c->auth_header.p, '\r') || strchr(c->auth_header.p, '\n')))
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_HEADER, "the client's bearer token has a CR or LF");
    }
    if (ok) ok = httpx__hooks_copy(c);
    httpx__client_protocols(c);
    if (ok && !c->config_error.code) httpx__retry_configure(c, &c->opts);
    if (ok && c->opts.app && c->opts.mock && !c->config_error.code)   /* which would answer is a guess */
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts has both app and mock set: give one handler");
    if (ok && c->opts.uds && !c->config_error.code) {   /* a path the system cannot take fails every request */
        httpx__addrs scratch;
        httpx__addrs_unix(&scratch, c->opts.uds, &c->config_error);
    }
    if (ok && c->opts.tls.preload && !c->config_error.code &&
        !(c->tls = httpx__tls_config_new(&c->opts.tls, &c->config_error)))   /* now, not at the first https request */
        ok = c->config_error.code != HTTPX_ERR_NOMEM;
    if (ok && !c->config_error.code &&
        httpx__proxies_init(&c->proxies, c->opts.proxy, c->opts.http_proxy, c->opts.https_proxy,
                            c->opts.trust_env == HTTPX_NO ? NULL : httpx__getenv, NULL, &c->config_error) == HTTPX_ERR_NOMEM)
        ok = false;
    c->opts.proxy = c->opts.http_proxy = c->opts.https_proxy = NULL;   /* parsed: only c->proxies is used */
    c->dns.nameservers = c->opts.nameservers;
    ok = ok && httpx__client_jar_init(c);
    c->opts.headers = c->opts.params = c->opts.cookies = NULL;   /* only our copies are used from here on */
    c->opts.base_url = c->base_url.p;
    if (!ok) {
        httpx_client_free(c);
        return NULL;
    }
    return c;
}

HTTPX_API void httpx_client_free(httpx_client *c) {
    httpx__conn *conn;
    if (!c) return;
    while (c->tasks) httpx_response_free(&c->tasks->pub);   /* each leaves the list as it goes */
    while ((conn = c->conns) != NULL) {
        c->conns = conn->next;
        httpx__conn_free(conn);
    }
    httpx__free(c->pollfds);
    httpx__hooks_free(c);
    if (c->tls) httpx__tls_config_free(c->tls);
    httpx__buf_free(&c->base_url);
    httpx__buf_free(&c->auth_header);
    httpx__client_jar_free(c);
    httpx__buf_free(&c->netrc);
    httpx__proxies_free(&c->proxies);
    httpx__free(c->headers);
    httpx__free(c->strings);
    httpx__free(c);
}

HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_BASIC;
    a.username = username;
    a.password = password;
    return a;
}

HTTPX_API httpx_auth httpx_digest_auth(const char *username, const char *password) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_DIGEST;
    a.username = username;
    a.password = password;
    return a;
}

HTTPX_API httpx_auth httpx_auth_flow(httpx_auth_fn flow, void *user_data) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_FLOW;
    a.flow = flow;
    a.flow_user_data = user_data;
    return a;
}

HTTPX_API httpx_auth httpx_bearer_auth(const char *token) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_BEARER;
    a.token = token;
    return a;
}

/* ---- building a request ---- */

static bool httpx__has_scheme(const char *url) {
    const char *p = url;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return false;
    while (*p && (httpx__is_tchar((unsigned char)*p) && *p != ':' )) p++;
    return *p == ':' && p[1] == '/' && p[2] == '/';
}

static bool httpx__put_param(httpx__buf *u, const httpx_pair *p, bool *any) {
    bool ok = !*any || httpx__buf_putc(u, '&');
    ok = ok && httpx__form_escape(u, p->name, strlen(p->name)) && httpx__buf_putc(u, '=');
    ok = ok && (!p->value || httpx__form_escape(u, p->value, strlen(p->value)));
    *any = true;
    return ok;
}

/* Client params, then request params; a request param replaces client params
   of the same name, as HTTPX merges them. u holds a URL without fragment.
   False when memory ran out. */
static bool httpx__add_params(httpx__buf *u, const httpx_pair *client_p, const httpx_pair *req_p) {
    const httpx_pair *p, *q;
    bool any = false, ok = true;
    if (!(client_p && client_p->name) && !(req_p && req_p->name)) return true;
    if (!strchr(u->p, '?')) ok = httpx__buf_putc(u, '?');
    else if (u->p[u->len - 1] != '?' && u->p[u->len - 1] != '&') ok = httpx__buf_putc(u, '&');
    for (p = client_p; ok && p && p->name; p++) {
        bool overridden = false;
        for (q = req_p; q && q->name && !overridden; q++) overridden = !strcmp(q->name, p->name);
        if (!overridden) ok = httpx__put_param(u, p, &any);
    }
    for (p = req_p; ok && p && p->name; p++) ok = httpx__put_param(u, p, &any);
    return ok;
}

static httpx_error httpx__build_url(httpx__response *r, const char *url, httpx__err *e) {
    httpx_client *c = r->client;
    httpx__buf *u = &r->url_text;
    const char *hash;
    bool ok = true;
    httpx__buf_clear(u);
    if (!url) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: NULL");
    if (!httpx__has_scheme(url) && c->base_url.len) {
        ok = httpx__buf_append(u, c->base_url.p, c->base_url.len);
        while (*url == '/') url++;      /* "/users" under base ".../api/" is ".../api/users" */
    }
    hash = strchr(url, '#');            /* params go before the fragment */
    ok = ok && httpx__buf_append(u, url, hash ? (size_t)(hash - url) : strlen(url));
    ok = ok && httpx__add_params(u, c->params, r->opts->params);
    ok = ok && (!hash || httpx__buf_puts(u, hash));
    return ok ? HTTPX_OK : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory building the URL");
}

static double httpx__timeout_pick(double req, double client) { return req == 0 ? client : req < 0 ? -1 : req; }

/* The request's options over the client's, in this one place: a zero field
   takes the client's value; HTTPX_NO and HTTPX_AUTH_NONE say "no" even
   where the client says yes. */
static httpx_error httpx__settings_resolve(httpx__settings *s, const httpx_client *c, const httpx_opts *o,
                                           httpx__err *e) {
    if (c->config_error.code) {
        *e = c->config_error;
        return e->code;
    }
    s->timeout.connect = httpx__timeout_pick(o->timeout.connect, c->opts.timeout.connect);
    s->timeout.read = httpx__timeout_pick(o->timeout.read, c->opts.timeout.read);
    s->timeout.write = httpx__timeout_pick(o->timeout.write, c->opts.timeout.write);
    s->timeout.pool = httpx__timeout_pick(o->timeout.pool, c->opts.timeout.pool);
    s->timeout.total = httpx__timeout_pick(o->timeout.total, c->opts.timeout.total);
    if (o->follow_redirects != HTTPX_INHERIT && o->follow_redirects != HTTPX_YES && o->follow_redirects != HTTPX_NO)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "follow_redirects is %d: use HTTPX_YES (or true), HTTPX_NO, or 0 for the client's",
                           o->follow_redirects);
    s->follow_redirects = o->follow_redirects == HTTPX_INHERIT ? c->opts.follow_redirects
                                                               : o->follow_redirects == HTTPX_YES;
    s->max_redirects = o->max_redirects > 0 ? o->max_redirects : c->opts.max_redirects;
    s->max_body_size = c->opts.max_body_size;
    if (!httpx__auth_kind_known(o->auth.kind))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "auth.kind is %d, which is no httpx_auth_kind",
                           (int)o->auth.kind);
    s->auth_from_client = o->auth.kind == HTTPX_AUTH_INHERIT &&
                          (c->opts.auth.kind == HTTPX_AUTH_BASIC || c->opts.auth.kind == HTTPX_AUTH_BEARER);
    s->auth = o->auth.kind == HTTPX_AUTH_INHERIT ? c->opts.auth : o->auth;
    if (o->tls && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .tls is for one-shot calls: give a client its TLS settings in httpx_client_opts.tls");
    if (o->proxy && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .proxy is for one-shot calls: give a client its proxy in httpx_client_opts.proxy");
    if ((o->http2 || o->http2_prior_knowledge) && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .http2 is for one-shot calls: set httpx_client_opts.http2 on the client");
    return HTTPX_OK;
}

static httpx_error httpx__method_copy(httpx__request *q, const char *method, httpx__err *e) {
    size_t i;
    if (!method || !*method || strlen(method) >= sizeof q->method)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid method '%.40s'", method ? method : "(null)");
    for (i = 0; method[i]; i++) {
        if (!httpx__is_tchar((unsigned char)method[i]))
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid character in method '%.31s'", method);
        q->method[i] = method[i];
    }
    q->method[i] = 0;
    return HTTPX_OK;
}

/* Sets up r's request: options resolved, URL built, the request value made
   and checked, all before any connection work. Errors land in the response
   (its exchange is then DONE); the faces submit it otherwise. */
HTTPX__PRIVATE void httpx__begin(httpx__response *r, httpx_client *c, const char *method, const char *url,
                                 const httpx_opts *opt, bool stream) {
    httpx__exchange *ex = &r->ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    r->client = c;
    r->opts = opt ? opt : &httpx__no_opts;
    ex->client = c;
    ex->resp = r;
    ex->req = &r->req;
    ex->stream = stream;
    httpx__exchange_init(ex, httpx__response_sink());
    r->transport = c->opts.app    ? httpx__app_transport()
                   : c->opts.mock ? httpx__mock_transport()
                                  : httpx__network_transport();
    if (!httpx__settings_resolve(&r->set, c, r->opts, &e) && !httpx__method_copy(&r->req, method, &e) &&
        !httpx__build_url(r, url, &e))
        httpx__request_build(r, &e);
    ex->timeout = r->set.timeout;
    r->pub.url = r->url_text.p ? r->url_text.p : "";
    if (e.code) {
        if (!r->url_text.len && url) httpx__buf_puts(&r->url_text, url);
        r->pub.url = r->url_text.p ? r->url_text.p : "";
        httpx__response_fail(r, &e);
        httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    }
}

/* ---- the blocking face ---- */

static httpx__response *httpx__send(httpx_client *c, const char *method, const char *url,
                                    const httpx_opts *opt, bool stream) {
    httpx__response *r = httpx__response_new();
    if (!r) return NULL;
    httpx__begin(r, c, method, url, opt, stream);
    httpx__hop_run(r);
    return r;
}

HTTPX_API httpx_response *httpx_client_request(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    return (httpx_response *)httpx__send(c, method, url, opt, false);
}
HTTPX_API httpx_response *httpx_client_stream(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    return (httpx_response *)httpx__send(c, method, url, opt, true);
}
HTTPX_API httpx_response *httpx_client_get(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "GET", url, opt); }
HTTPX_API httpx_response *httpx_client_post(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "POST", url, opt); }
HTTPX_API httpx_response *httpx_client_put(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "PUT", url, opt); }
HTTPX_API httpx_response *httpx_client_patch(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "PATCH", url, opt); }
HTTPX_API httpx_response *httpx_client_delete(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "DELETE", url, opt); }
HTTPX_API httpx_response *httpx_client_head(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "HEAD", url, opt); }
HTTPX_API httpx_response *httpx_client_options(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "OPTIONS", url, opt); }

/* One-shot calls: a private client per call, freed with the response (a
   stream keeps it, and its connection, until httpx_response_free). */
static httpx_response *httpx__oneshot(const char *method, const char *url, const httpx_opts *opt, bool stream) {
    httpx_client_opts co;
    httpx_client *c;
    httpx__response *r;
    memset(&co, 0, sizeof co);
    if (opt && opt->tls) co.tls = *opt->tls;
    if (opt) {
        co.proxy = opt->proxy;
        co.http2 = opt->http2;
        co.http2_prior_knowledge = opt->http2_prior_knowledge;
    }
    c = httpx_client_new(&co);
    if (!c) return NULL;
    c->oneshot = true;
    r = httpx__send(c, method, url, opt, stream);
    if (!r) { httpx_client_free(c); return NULL; }
    r->owned_client = c;
    r->free_owned = httpx_client_free;
    return &r->pub;
}

HTTPX_API httpx_response *httpx_request(const char *method, const char *url, const httpx_opts *opt) { return httpx__oneshot(method, url, opt, false); }
HTTPX_API httpx_response *httpx_stream(const char *method, const char *url, const httpx_opts *opt) { return httpx__oneshot(method, url, opt, true); }
HTTPX_API httpx_response *httpx_get(const char *url, const httpx_opts *opt) { return httpx_request("GET", url, opt); }
HTTPX_API httpx_response *httpx_post(const char *url, const httpx_opts *opt) { return httpx_request("POST", url, opt); }
HTTPX_API httpx_response *httpx_put(const char *url, const httpx_opts *opt) { return httpx_request("PUT", url, opt); }
HTTPX_API httpx_response *httpx_patch(const char *url, const httpx_opts *opt) { return httpx_request("PATCH", url, opt); }
HTTPX_API httpx_response *httpx_delete(const char *url, const httpx_opts *opt) { return httpx_request("DELETE", url, opt); }
HTTPX_API httpx_response *httpx_head(const char *url, const httpx_opts *opt) { return httpx_request("HEAD", url, opt); }
HTTPX_API httpx_response *httpx_options(const char *url, const httpx_opts *opt) { return httpx_request("OPTIONS", url, opt); }
