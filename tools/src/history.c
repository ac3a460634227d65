/* history: what a response tells of the hops before it, as HTTPX's
   r.history and r.next_request. Each redirect the hop follows is kept as a
   read-only response of its own (status, URL, headers; its body was
   dropped), made before the next hop clears r; they are freed with r.
   Private prefix: httpx__hist_. */
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "engine_internal.h"

struct httpx__history {
    httpx__response **hops;         /* oldest first */
    size_t n, cap;
    httpx__buf next_url;            /* httpx_response_next_url, made on first use */
    bool next_done;
};

static httpx__response *httpx__hist_of(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

/* A hop's response never reads or sends: any call that would reads an
   empty, ended body. */
static void httpx__hist_submit(httpx__exchange *ex) { (void)ex; }
static long httpx__hist_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    (void)ex; (void)buf; (void)cap; (void)e;
    return 0;
}
static void httpx__hist_cancel(httpx__exchange *ex) { (void)ex; }
static const httpx__transport httpx__hist_transport = {"history", httpx__hist_submit, httpx__hist_read,
                                                       httpx__hist_cancel, NULL};

static void httpx__hist_free(httpx__response *r) {
    struct httpx__history *h = r->history;
    size_t i;
    if (!h) return;
    for (i = 0; i < h->n; i++) httpx_response_free(&h->hops[i]->pub);
    httpx__free(h->hops);
    httpx__buf_free(&h->next_url);
    httpx__free(h);
    r->history = NULL;
}

static struct httpx__history *httpx__hist_get(httpx__response *r) {
    if (!r->history) {
        r->history = (struct httpx__history *)httpx__malloc(sizeof *r->history);
        if (!r->history) return NULL;
        memset(r->history, 0, sizeof *r->history);
        r->free_history = httpx__hist_free;
    }
    return r->history;
}

/* r's head as it is now, in a response of its own. */
static httpx__response *httpx__hist_copy(const httpx__response *r) {
    static httpx_opts none;         /* zero: never written */
    httpx__response *h = httpx__response_new();
    const char *name, *value;
    size_t i;
    bool ok;
    if (!h) return NULL;
    h->opts = &none;
    h->transport = &httpx__hist_transport;
    h->client = r->client;
    httpx__exchange_init(&h->ex, httpx__response_sink());
    h->pub.status_code = r->pub.status_code;
    h->pub.http_version = r->pub.http_version;        /* static text */
    h->pub.elapsed = r->pub.elapsed;
    h->pub.connection_reused = r->pub.connection_reused;
    h->pub.tls_version = r->pub.tls_version;          /* static text */
    h->pub.tls_cipher = r->pub.tls_cipher;
    h->pub.alpn = r->pub.alpn;
    httpx__headers_init(&h->headers);
    ok = httpx__buf_append(&h->url_text, r->url_text.p, r->url_text.len) &&
         httpx__buf_puts(&h->scratch, r->pub.reason_phrase);
    for (i = 0; ok && httpx_headers_at(&r->headers, i, &name, &value); i++)
        ok = httpx__headers_add_raw(&h->headers, name, strlen(name), value, strlen(value));
    if (!ok) {
        httpx_response_free(&h->pub);
        return NULL;
    }
    h->pub.url = h->url_text.p;
    h->pub.reason_phrase = h->scratch.p;
    /* what httpx_response_request shows of it: the method and the URL */
    memcpy(h->req.method, r->req.method, sizeof h->req.method);
    h->req.url_text = h->url_text.p;
    httpx__headers_init(&h->req.headers);
    return h;
}

HTTPX__PRIVATE httpx_error httpx__history_add(httpx__response *r, httpx__err *e) {
    struct httpx__history *h = httpx__hist_get(r);
    httpx__response *hop;
    if (!h) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 4;
        httpx__response **hops = (httpx__response **)httpx__realloc(h->hops, cap * sizeof *hops);
        if (!hops) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
        h->hops = hops;
        h->cap = cap;
    }
    hop = httpx__hist_copy(r);
    if (!hop) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
    h->hops[h->n++] = hop;
    return HTTPX_OK;
}

HTTPX_API size_t httpx_response_history_len(const httpx_response *r) {
    const httpx__response *p = httpx__hist_of(r);
    return p && p->history ? p->history->n : 0;
}

HTTPX_API const httpx_response *httpx_response_history(const httpx_response *r, size_t i) {
    const httpx__response *p = httpx__hist_of(r);
    if (!p || !p->history || i >= p->history->n) return NULL;
    return &p->history->hops[i]->pub;
}

HTTPX_API const char *httpx_response_next_url(const httpx_response *r) {
    httpx__response *p = httpx__hist_of(r);
    struct httpx__history *h;
    const char *location;
    httpx__err e;
    if (!p || !httpx_is_redirect(r) || !p->url_text.len) return NULL;
    location = httpx_header(r, "location");
    h = httpx__hist_get(p);
    if (!h) return NULL;
    if (!h->next_done) {
        memset(&e, 0, sizeof e);
        h->next_done = true;
        if (httpx__url_resolve(&h->next_url, p->url_text.p, location, &e) != HTTPX_OK) httpx__buf_free(&h->next_url);
    }
    return h->next_url.len ? h->next_url.p : NULL;
}
