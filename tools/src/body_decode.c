/* body_decode: Content-Encoding undone at the door. The response's head
   says how the body was encoded (response.c asks here once per head); then
   every body byte that reaches r->content, on_data or a streaming read goes
   through the layers of inflate.c's httpx__cdec first: pushed for bodies
   kept in memory or given to on_data, pulled for httpx_read and what reads
   through it (httpx_read_line, httpx_read_text). Memory is the layers'
   windows and one buffer of wire bytes, whatever the body's size. What
   the counters see: num_bytes_downloaded and expected_length stay wire
   bytes (as HTTPX's), content_length is what was decoded. */
#include "internal.h"
#include "engine_internal.h"
#include "inflate_internal.h"

#ifndef HTTPX_NO_INFLATE
#define HTTPX__DECODE_WIRE 16384    /* wire bytes read at a time for a pulled body */

struct httpx__body_decode {
    httpx__cdec cdec;
    bool ended;                     /* the wire ended and every layer was complete */
    char wire[HTTPX__DECODE_WIRE];  /* the pulled face's wire bytes, taken by the layers */
};

/* Whether the head announces a body there is anything to decode in. */
static bool httpx__decode_wanted(const httpx__response *r, int status) {
    if (r->opts->raw || r->req.head || status == 204 || status == 304 || status < 200) return false;
    return !r->draining_redirect;   /* a redirect's body is dropped unread */
}

HTTPX__PRIVATE httpx_error httpx__body_decode_start(httpx__response *r, int status, httpx__err *e) {
    const char *ce;
    httpx__body_decode *d;
    httpx__cdec probe;
    int layers, ratio = r->client->opts.max_decompression_ratio;
    size_t i, n = 0;
    httpx__body_decode_free(r);
    if (!httpx__decode_wanted(r, status)) return HTTPX_OK;
    /* several Content-Encoding fields are one list, in order */
    for (i = 0; (ce = httpx_headers_get_nth(&r->headers, "content-encoding", i)) != NULL; i++) n += strlen(ce) + 1;
    if (!n) return HTTPX_OK;
    d = (httpx__body_decode *)httpx__malloc(sizeof *d);
    if (!d) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a body decoder");
    {
        /* the joined list goes in the wire buffer, not yet in use */
        size_t at = 0;
        if (n > sizeof d->wire) {
            httpx__free(d);
            return httpx__fail(e, HTTPX_ERR_DECODING, "Content-Encoding: a list of %zu bytes is too long", n);
        }
        for (i = 0; (ce = httpx_headers_get_nth(&r->headers, "content-encoding", i)) != NULL; i++) {
            size_t k = strlen(ce);
            memcpy(d->wire + at, ce, k);
            at += k;
            d->wire[at++] = ',';
        }
        layers = httpx__cdec_init(&probe, d->wire, at, 0, ratio < 0 ? 0u : (unsigned)ratio, e);
    }
    if (layers <= 0) {   /* identity only, or a coding we cannot undo */
        httpx__free(d);
        if (layers == 0) return HTTPX_OK;
        if (e->code == HTTPX_ERR_DECODING) {   /* say what the caller can do */
            char why[sizeof e->msg];
            memcpy(why, e->msg, sizeof why);
            why[sizeof why - 1] = 0;
            return httpx__fail(e, HTTPX_ERR_DECODING, "%.120s (httpx_opts.raw hands such a body over undecoded)", why);
        }
        return e->code;
    }
    d->cdec = probe;
    d->ended = false;
    r->decode = d;
    return HTTPX_OK;
}

HTTPX__PRIVATE void httpx__body_decode_free(httpx__response *r) {
    if (!r->decode) return;
    httpx__cdec_free(&r->decode->cdec);
    httpx__free(r->decode);
    r->decode = NULL;
}

/* The push face's adapter: decoded bytes to the response's sink, whose own
   error (too large, cancelled) is kept apart from the decoder's. */
typedef struct httpx__decode_push {
    httpx__response *r;
    httpx__decode_sink sink;
    httpx__err err;
} httpx__decode_push;

static int httpx__decode_to_sink(void *ctx, const unsigned char *p, size_t n) {
    httpx__decode_push *c = (httpx__decode_push *)ctx;
    return c->sink(c->r, (const char *)p, n, &c->err) ? 1 : 0;
}

HTTPX__PRIVATE httpx_error httpx__body_decode_push(httpx__response *r, const char *p, size_t n, httpx__decode_sink sink,
                                                  httpx__err *e) {
    httpx__decode_push c;
    c.r = r;
    c.sink = sink;
    memset(&c.err, 0, sizeof c.err);
    if (httpx__cdec_feed(&r->decode->cdec, p, n, httpx__decode_to_sink, &c, e) == 0) return HTTPX_OK;
    if (c.err.code) *e = c.err;   /* the sink stopped it: its reason, not the decoder's */
    return e->code ? e->code : HTTPX_ERR_DECODING;
}

HTTPX__PRIVATE char *httpx__body_decode_wire(httpx__response *r, size_t *cap) {
    *cap = sizeof r->decode->wire;
    return r->decode->wire;
}

HTTPX__PRIVATE void httpx__body_decode_input(httpx__response *r, size_t n) {
    httpx__cdec_input(&r->decode->cdec, r->decode->wire, n);
}

HTTPX__PRIVATE long httpx__body_decode_pull(httpx__response *r, char *buf, size_t cap, httpx__err *e) {
    if (r->decode->ended) return 0;
    return httpx__cdec_pull(&r->decode->cdec, buf, cap, e);
}

HTTPX__PRIVATE bool httpx__body_decode_ended(const httpx__response *r) { return r->decode->ended; }

HTTPX__PRIVATE httpx_error httpx__body_decode_finish(httpx__response *r, httpx__err *e) {
    httpx__body_decode *d = r->decode;
    d->ended = true;
    /* an empty body under a coding is an empty body (as HTTPX reads it):
       servers send "Content-Encoding: gzip" on bodies they left empty */
    if (d->cdec.wire == 0) return HTTPX_OK;
    return httpx__cdec_finish(&d->cdec, e) == 0 ? HTTPX_OK : (e->code ? e->code : HTTPX_ERR_DECODING);
}

#else /* HTTPX_NO_INFLATE: bodies are handed over as they came */

HTTPX__PRIVATE httpx_error httpx__body_decode_start(httpx__response *r, int status, httpx__err *e) {
    (void)status;
    (void)e;
    r->decode = NULL;
    return HTTPX_OK;
}
HTTPX__PRIVATE void httpx__body_decode_free(httpx__response *r) { r->decode = NULL; }
HTTPX__PRIVATE httpx_error httpx__body_decode_push(httpx__response *r, const char *p, size_t n, httpx__decode_sink sink,
                                                  httpx__err *e) {
    return sink(r, p, n, e);
}
HTTPX__PRIVATE char *httpx__body_decode_wire(httpx__response *r, size_t *cap) {
    (void)r;
    *cap = 0;
    return NULL;
}
HTTPX__PRIVATE void httpx__body_decode_input(httpx__response *r, size_t n) { (void)r; (void)n; }
HTTPX__PRIVATE long httpx__body_decode_pull(httpx__response *r, char *buf, size_t cap, httpx__err *e) {
    (void)r; (void)buf; (void)cap; (void)e;
    return 0;
}
HTTPX__PRIVATE bool httpx__body_decode_ended(const httpx__response *r) { (void)r; return true; }
HTTPX__PRIVATE httpx_error httpx__body_decode_finish(httpx__response *r, httpx__err *e) {
    (void)r;
    (void)e;
    return HTTPX_OK;
}
#endif /* HTTPX_NO_INFLATE */
