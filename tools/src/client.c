/* client: shared configuration, URL and option merging, redirects, and the
   blocking face (one-shot calls and httpx_client_*), which runs the same
   exchange engine as everything else until its request is done. */
#include "internal.h"

static httpx_opts httpx__no_opts;   /* zero: every default (never written) */

/* ---- the client ---- */

static double httpx__timeout_default(double v) { return v == 0 ? 5.0 : v < 0 ? -1 : v; }

/* All defaults in one place: a zeroed httpx_client_opts is a usable client. */
static void httpx__client_defaults(httpx_client_opts *o) {
    o->timeout.connect = httpx__timeout_default(o->timeout.connect);
    o->timeout.read = httpx__timeout_default(o->timeout.read);
    o->timeout.write = httpx__timeout_default(o->timeout.write);
    o->timeout.pool = httpx__timeout_default(o->timeout.pool);
    if (o->limits.max_connections <= 0) o->limits.max_connections = 100;
    if (o->limits.max_keepalive_connections <= 0) o->limits.max_keepalive_connections = 20;
    if (o->limits.keepalive_expiry <= 0) o->limits.keepalive_expiry = 5.0;
    if (o->max_redirects <= 0) o->max_redirects = 20;
    if (!o->max_head_size) o->max_head_size = 64 * 1024;
    if (!o->max_body_size) o->max_body_size = (size_t)1 << 30;
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

HTTPX_API httpx_client *httpx_client_new(const httpx_client_opts *opt) {
    httpx_client *c = (httpx_client *)httpx__malloc(sizeof *c);
    size_t nh, np, sh, sp;
    char *store;
    bool ok = true;
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    if (opt) c->opts = *opt;
    httpx__client_defaults(&c->opts);
    sh = httpx__pairs_size(c->opts.headers, &nh);
    sp = httpx__pairs_size(c->opts.params, &np);
    c->headers = (httpx_pair *)httpx__malloc((nh + np + 2) * sizeof(httpx_pair));
    c->strings = (char *)httpx__malloc(sh + sp + 1);
    if (!c->headers || !c->strings) ok = false;
    if (ok) {
        store = c->strings;
        c->params = c->headers + nh + 1;
        httpx__pairs_copy(c->headers, c->opts.headers, &store);
        httpx__pairs_copy(c->params, c->opts.params, &store);
    }
    if (ok && c->opts.base_url) {
        ok = httpx__buf_puts(&c->base_url, c->opts.base_url);
        /* HTTPX joins by appending to the base path, so it must end in '/' */
        if (ok && c->base_url.len && c->base_url.p[c->base_url.len - 1] != '/' && !strchr(c->base_url.p, '?'))
            ok = httpx__buf_putc(&c->base_url, '/');
    }
    if (ok && c->opts.auth.kind == 1) {
        httpx__buf up;
        memset(&up, 0, sizeof up);
        ok = httpx__buf_printf(&up, "%s:%s", c->opts.auth.username ? c->opts.auth.username : "",
                               c->opts.auth.password ? c->opts.auth.password : "") &&
             httpx__buf_puts(&c->auth_header, "Basic ") && httpx__base64(&c->auth_header, up.p, up.len);
        httpx__buf_free(&up);
    }
    c->dns.nameservers = c->opts.nameservers;
    c->opts.headers = c->opts.params = NULL;   /* only our copies are used from here on */
    c->opts.base_url = c->base_url.p;
    if (!ok) {
        httpx_client_free(c);
        return NULL;
    }
    return c;
}

HTTPX_API void httpx_client_free(httpx_client *c) {
    if (!c) return;
    while (c->tasks) httpx_task_free((httpx_task *)c->tasks);
    while (c->conns) httpx__conn_close(c, c->conns);
    httpx__free(c->pollfds);
    if (c->tls) httpx__tls_config_free(c->tls);
    httpx__buf_free(&c->base_url);
    httpx__buf_free(&c->auth_header);
    httpx__free(c->headers);
    httpx__free(c->strings);
    httpx__free(c);
}

HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password) {
    httpx_auth a;
    a.kind = 1;
    a.username = username;
    a.password = password;
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

static httpx_error httpx__build_url(httpx__exchange *ex, const char *url, httpx__err *e) {
    httpx__response *r = ex->resp;
    httpx_client *c = ex->client;
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
    ok = ok && httpx__add_params(u, c->params, ex->opts->params);
    ok = ok && (!hash || httpx__buf_puts(u, hash));
    return ok ? HTTPX_OK : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory building the URL");
}

static double httpx__timeout_pick(double req, double client) { return req == 0 ? client : req < 0 ? -1 : req; }

/* Prepares ex for (another) run against r->url_text. */
static httpx_error httpx__exchange_prepare(httpx__exchange *ex, httpx__err *e) {
    httpx_error err = httpx__url_parse(&ex->url, ex->resp->url_text.p, ex->resp->url_text.len, e);
    if (err) return err;
    if (ex->url.is_https && (err = httpx__tls_available(e))) return err;   /* before any connection */
    ex->head_request = !strcmp(ex->method, "HEAD");
    ex->state = HTTPX__EX_QUEUED;
    ex->want = 0;
    ex->deadline = 0;
    ex->reused = ex->retried = ex->early = false;
    ex->started = httpx__now();
    ex->resp->pub.url = ex->resp->url_text.p;
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx__response *httpx__response_new(void) {
    httpx__response *r = (httpx__response *)httpx__malloc(sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    r->pub.error_message = "";
    r->pub.reason_phrase = "";
    r->pub.http_version = "";
    r->pub.url = "";
    r->pub.content = (char *)"";
    r->pub.expected_length = -1;
    r->poll_index = -1;
    httpx__buf_init_inline(&r->url_text, r->url_inline, sizeof r->url_inline);
    return r;
}

/* Sets up the exchange of a new response. Errors land in the response. */
HTTPX__PRIVATE void httpx__begin(httpx__response *r, httpx_client *c, const char *method, const char *url,
                         const httpx_opts *opt, bool stream) {
    httpx__exchange *ex = &r->ex;
    httpx__err e;
    size_t i;
    memset(&e, 0, sizeof e);
    ex->client = c;
    ex->resp = r;
    ex->opts = opt ? opt : &httpx__no_opts;
    ex->stream = stream;
    ex->timeout.connect = httpx__timeout_pick(ex->opts->timeout.connect, c->opts.timeout.connect);
    ex->timeout.read = httpx__timeout_pick(ex->opts->timeout.read, c->opts.timeout.read);
    ex->timeout.write = httpx__timeout_pick(ex->opts->timeout.write, c->opts.timeout.write);
    ex->timeout.pool = httpx__timeout_pick(ex->opts->timeout.pool, c->opts.timeout.pool);
    if (!method || !*method || strlen(method) >= sizeof ex->method) {
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "invalid method '%.40s'", method ? method : "(null)");
    } else {
        for (i = 0; method[i]; i++) {
            if (!httpx__is_tchar((unsigned char)method[i])) {
                httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "invalid character in method '%.31s'", method);
                break;
            }
            ex->method[i] = method[i];
        }
        ex->method[i] = 0;
    }
    if (!e.code && ex->opts->tls && !c->oneshot)
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT,
                    "per-request .tls is for one-shot calls: give a client its TLS settings in httpx_client_opts.tls");
    if (!e.code && !httpx__build_url(ex, url, &e) && !httpx__exchange_prepare(ex, &e))
        httpx__request_body_setup(ex, &e);
    if (e.code) {
        if (!r->url_text.len && url) httpx__buf_puts(&r->url_text, url);
        r->pub.url = r->url_text.p ? r->url_text.p : "";
        httpx__exchange_fail(ex, &e);
    }
}

/* Drives the exchange until it is done, or for a stream until the head is in. */
static void httpx__run(httpx__exchange *ex) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    httpx__exchange_step(ex, 0);
    while (ex->state != HTTPX__EX_DONE && ex->state != HTTPX__EX_STREAMING) {
        if (httpx__blocking_wait(ex, &e)) {
            httpx__exchange_fail(ex, &e);
            break;
        }
    }
}

/* ---- redirects ---- */

static bool httpx__same_origin(const httpx__url *a, const httpx__url *b) {
    return a->is_https == b->is_https && a->port == b->port && a->host.n == b->host.n &&
           httpx__mem_ieq(a->host.p, b->host.p, a->host.n);
}

/* Consumes the body of a redirect response so its connection can be reused. */
static void httpx__drain(httpx__exchange *ex) {
    char sink[4096];
    httpx__err e;
    long n;
    memset(&e, 0, sizeof e);
    while (ex->state == HTTPX__EX_STREAMING) {
        n = httpx__exchange_read(ex, sink, sizeof sink, &e);
        if (n == -2 && !httpx__blocking_wait(ex, &e)) continue;
        if (n < 0) { httpx__exchange_fail(ex, &e); return; }
    }
}

/* Whether the options ask to follow redirects. */
HTTPX__PRIVATE bool httpx__wants_redirect(const httpx__response *r) {
    return r->ex.opts->follow_redirects || r->ex.client->opts.follow_redirects;
}

/* Turns r into the request for its Location. Returns false when r is final. */
HTTPX__PRIVATE bool httpx__follow(httpx__response *r, int *redirects) {
    httpx__exchange *ex = &r->ex;
    const char *location = httpx_header(&r->pub, "location");
    int code = r->pub.status_code, max = ex->opts->max_redirects ? ex->opts->max_redirects : ex->client->opts.max_redirects;
    httpx__buf next;
    httpx__url old = ex->url;
    httpx__err e;
    char old_host[256];
    if (r->pub.error || !location ||
        !(code == 301 || code == 302 || code == 303 || code == 307 || code == 308))
        return false;
    memset(&e, 0, sizeof e);
    memset(&next, 0, sizeof next);
    if (++*redirects > max) {
        httpx__fail(&e, HTTPX_ERR_TOO_MANY_REDIRECTS, "exceeded %d redirects (max_redirects)", max);
        httpx__exchange_fail(ex, &e);
        return false;
    }
    if (httpx__url_resolve(&next, r->url_text.p, location, &e)) {
        httpx__buf_free(&next);
        httpx__exchange_fail(ex, &e);
        return false;
    }
    httpx__drain(ex);
    /* remember the old origin: its views die with the old URL text */
    if (old.host.n >= sizeof old_host) old.host.n = sizeof old_host - 1;
    memcpy(old_host, old.host.p, old.host.n);
    old.host.p = old_host;
    httpx__buf_clear(&r->url_text);
    httpx__buf_append(&r->url_text, next.p, next.len);
    httpx__buf_free(&next);
    /* 303, and 301/302 after POST, become GET without a body, as browsers and HTTPX do */
    if ((code == 303 && strcmp(ex->method, "HEAD") != 0) || ((code == 301 || code == 302) && !strcmp(ex->method, "POST"))) {
        strcpy(ex->method, "GET");
        httpx__request_body_free(ex);
        ex->body = NULL;
        ex->body_len = 0;
        ex->upload = NULL;
        ex->body_chunked = false;
        ex->content_type = NULL;
    } else if (ex->multipart || ex->upload) {
        httpx__fail(&e, HTTPX_ERR_STREAM, "cannot replay a streamed request body to follow a %d redirect", code);
        httpx__exchange_fail(ex, &e);
        return false;
    }
    httpx__headers_clear(&r->headers);
    httpx__buf_clear(&r->body);
    r->pub.status_code = 0;
    r->pub.reason_phrase = "";          /* it lived in the header text just cleared */
    r->pub.http_version = "";
    r->pub.num_bytes_downloaded = 0;
    if (httpx__exchange_prepare(ex, &e)) { httpx__exchange_fail(ex, &e); return false; }
    if (!httpx__same_origin(&old, &ex->url)) ex->strip_auth = true;   /* credentials stay with their origin */
    return true;
}

/* ---- the blocking face ---- */

static void httpx__publish_body(httpx__response *r) {
    if (r->body.p) {
        r->pub.content = r->body.p;
        r->pub.content_length = r->body.len;
    }
}

static httpx__response *httpx__send(httpx_client *c, const char *method, const char *url,
                                    const httpx_opts *opt, bool stream) {
    httpx__response *r = httpx__response_new();
    int redirects = 0;
    bool follow;
    if (!r) return NULL;
    httpx__begin(r, c, method, url, opt, stream);
    follow = httpx__wants_redirect(r);
    do {
        /* a redirect is read as a stream so that its body can be drained, not kept */
        r->ex.stream = stream || follow;
        httpx__run(&r->ex);
    } while (follow && httpx__follow(r, &redirects));
    if (!stream && r->ex.state == HTTPX__EX_STREAMING) {
        r->ex.stream = false;
        r->ex.state = HTTPX__EX_RECV_BODY;
        httpx__run(&r->ex);
    }
    httpx__publish_body(r);
    if (r->ex.state == HTTPX__EX_DONE) httpx__request_body_free(&r->ex);
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
    c = httpx_client_new(&co);
    if (!c) return NULL;
    c->oneshot = true;
    r = httpx__send(c, method, url, opt, stream);
    if (!r) { httpx_client_free(c); return NULL; }
    r->owned_client = c;
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
