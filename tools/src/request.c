/* request: the request as a value. The policy layer builds it once per hop
   from the options (method, URL, the merged header list, the body source);
   each protocol then serialises it in its own way (HTTP/1.1 text here,
   HPACK for HTTP/2). Everything a caller gave is checked here, before any
   connection work, so a bad header never costs a connect. */
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "multipart_internal.h"
#include "tls_internal.h"
#include "engine_internal.h"
#include "inflate_internal.h"

#define HTTPX__MAX_BODY_PIECE 16384

static bool httpx__name_is(const char *name, const char *want) {
    size_t n = strlen(want);
    return strlen(name) == n && httpx__mem_ieq(name, want, n);
}

static bool httpx__pairs_have(const httpx_pair *p, const char *name) {
    for (; p && p->name; p++)
        if (httpx__name_is(p->name, name)) return true;
    return false;
}

/* Headers we compute ourselves; a caller's value would only break framing. */
static bool httpx__is_framing_header(const char *name) {
    return httpx__name_is(name, "content-length") || httpx__name_is(name, "transfer-encoding");
}

/* Credentials of one origin: never sent to another after a redirect. */
static bool httpx__is_credential_header(const char *name) {
    return httpx__name_is(name, "authorization") || httpx__name_is(name, "cookie") ||
           httpx__name_is(name, "proxy-authorization") || httpx__name_is(name, "host");
}

static bool httpx__is_idempotent(const char *m) {
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
           !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
}

/* Adds each field of `layer` unless a later layer names it too: request
   headers win over client headers, which win over the defaults. */
/* What the door can undo (body_decode.c), as HTTPX sends it by default. */
#ifdef HTTPX_NO_INFLATE
#define HTTPX__ACCEPT_ENCODING "identity"
#else
#define HTTPX__ACCEPT_ENCODING HTTPX__CDEC_ACCEPT
#endif

static httpx_error httpx__add_layer(httpx__request *q, const httpx_pair *layer, const httpx_pair *const *later,
                                    int nlater, httpx__err *e) {
    int i;
    for (; layer && layer->name; layer++) {
        bool overridden = false;
        httpx_error err = httpx__header_check(layer->name, layer->value, e);
        if (err) return err;
        for (i = 0; i < nlater && !overridden; i++) overridden = httpx__pairs_have(later[i], layer->name);
        if (overridden || httpx__is_framing_header(layer->name)) continue;
        if (q->strip_credentials && httpx__is_credential_header(layer->name)) continue;
        if (httpx__name_is(layer->name, "host")) q->has_host = true;
        if (!httpx__headers_add_raw(&q->headers, layer->name, strlen(layer->name), layer->value, strlen(layer->value)))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    }
    return HTTPX_OK;
}

static httpx_error httpx__add_field(httpx__request *q, const char *name, const char *value, size_t vlen, httpx__err *e) {
    if (!httpx__headers_add_raw(&q->headers, name, strlen(name), value, vlen))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    return HTTPX_OK;
}

/* "Basic base64(user:pass)" into out. */
static bool httpx__basic_value(httpx__buf *out, const char *user, size_t ulen, const char *pass, size_t plen) {
    httpx__buf up;
    bool ok;
    memset(&up, 0, sizeof up);
    ok = httpx__buf_append(&up, user, ulen) && httpx__buf_putc(&up, ':') && httpx__buf_append(&up, pass, plen) &&
         httpx__buf_puts(out, "Basic ") && httpx__base64(out, up.p, up.len);
    httpx__buf_free(&up);
    return ok;
}

/* .netrc's credentials for u's host: the file is read once per client, at
   the first request that could use it (HTTPX's client keeps its NetRCInfo
   the same way), so a request costs no file system call. */
static bool httpx__netrc_credentials(httpx_client *c, const httpx__url *u, httpx__buf *user, httpx__buf *pass) {
    if (!c->netrc_read) {
        c->netrc_read = true;
        if (!httpx__netrc_load(&c->netrc)) httpx__buf_free(&c->netrc);
    }
    return c->netrc.len && httpx__netrc_find(c->netrc.p, c->netrc.len, u->host.p, u->host.n, user, pass);
}

/* The Authorization field from the resolved auth, or the URL's userinfo. */
static httpx_error httpx__add_auth(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    const httpx_auth *a = &r->set.auth;
    httpx__buf v, user, pass;
    httpx_error err = HTTPX_OK;
    bool ok = true;
    if (q->strip_credentials || a->kind == HTTPX_AUTH_NONE) return HTTPX_OK;
    /* a digest or custom flow puts its own in, before each hop (auth_flow.c) */
    if (a->kind == HTTPX_AUTH_DIGEST || a->kind == HTTPX_AUTH_FLOW) return HTTPX_OK;
    if (r->set.auth_from_client && r->client->auth_header.len)
        return httpx__add_field(q, "Authorization", r->client->auth_header.p, r->client->auth_header.len, e);
    memset(&v, 0, sizeof v);
    memset(&user, 0, sizeof user);
    memset(&pass, 0, sizeof pass);
    if (a->kind == HTTPX_AUTH_BASIC) {
        const char *u = a->username ? a->username : "", *p = a->password ? a->password : "";
        ok = httpx__basic_value(&v, u, strlen(u), p, strlen(p));
    } else if (a->kind == HTTPX_AUTH_BEARER) {
        ok = httpx__buf_puts(&v, "Bearer ") && httpx__buf_puts(&v, a->token ? a->token : "");
    } else if (httpx__url_credentials(&q->url, &user, &pass)) {
        ok = httpx__basic_value(&v, user.p ? user.p : "", user.len, pass.p ? pass.p : "", pass.len);
    } else if (a->kind == HTTPX_AUTH_INHERIT && r->client->opts.trust_env != HTTPX_NO &&
               httpx__netrc_credentials(r->client, &q->url, &user, &pass)) {
        /* nothing else gave credentials: .netrc's for this host, as HTTPX's trust_env */
        ok = httpx__basic_value(&v, user.p ? user.p : "", user.len, pass.p ? pass.p : "", pass.len);
    }
    if (!ok) err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Authorization header");
    else if (v.len && memchr(v.p, '\r', v.len) == NULL && memchr(v.p, '\n', v.len) == NULL)
        err = httpx__add_field(q, "Authorization", v.p, v.len, e);
    else if (v.len)
        err = httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "the bearer token has a CR or LF");
    httpx__buf_free(&v);
    httpx__buf_free(&user);
    httpx__buf_free(&pass);
    return err;
}

/* Picks the body from the options; urlencoded form data is built in r->form,
   everything else is sent from where it already is. */
static httpx_error httpx__body_setup(httpx__response *r, httpx__err *e) {
    const httpx_opts *o = r->opts;
    httpx__request *q = &r->req;
    int kinds = (o->content != NULL) + (o->json != NULL) + (o->upload != NULL) +
                (o->data != NULL && o->files == NULL) + (o->files != NULL);
    if (kinds > 1)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "give at most one body: content, json, data, files (with data) or upload");
    q->body_length = -1;
    if (o->content) {
        q->body = (const char *)o->content;
        q->body_len = o->content_length ? o->content_length : strlen((const char *)o->content);
    } else if (o->json) {
        q->body = o->json;
        q->body_len = strlen(o->json);
        q->content_type = "application/json";
    } else if (o->files) {
        q->multipart = httpx__multipart_new(o->data, o->files, e);
        if (!q->multipart) return e->code ? e->code : HTTPX_ERR_NOMEM;
        q->content_type = httpx__multipart_content_type(q->multipart);
        q->body_length = httpx__multipart_length(q->multipart);
    } else if (o->data) {
        httpx__buf_clear(&r->form);
        if (!httpx__form_encode(&r->form, o->data, false) || !httpx__buf_reserve(&r->form, 0))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory encoding form data");
        q->body = r->form.p;
        q->body_len = r->form.len;
        q->content_type = "application/x-www-form-urlencoded";
    } else if (o->upload) {
        q->upload = o->upload;
        q->upload_user_data = o->upload_user_data;
        q->body_length = o->upload_length > 0 ? o->upload_length : -1;
    }
    if (q->body) q->body_length = (long long)q->body_len;
    q->has_body = q->body || q->multipart || q->upload;
    return HTTPX_OK;
}

/* Builds r->req for r->url_text (the first hop, or the next after a
   redirect: then the method and body were already decided by the hop
   and only the URL, headers and credentials are made again). */
HTTPX__PRIVATE httpx_error httpx__request_build(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    httpx_client *c = r->client;
    const httpx_pair *client_h = c->headers, *req_h = r->opts->headers;
    const httpx_pair *later[2];
    httpx_pair defaults[6];
    httpx_error err;
    int nd = 0;
    bool first = !q->headers.fields;
    err = httpx__url_parse(&q->url, r->url_text.p, r->url_text.len, e);
    if (err) return err;
    q->url_text = r->url_text.p;
    /* an app or a mock answers https URLs without TLS, as HTTPX's MockTransport does */
    if (q->url.is_https && !c->opts.mock && !c->opts.app && (err = httpx__tls_available(e))) return err;
    q->head = !strcmp(q->method, "HEAD");
    q->idempotent = httpx__is_idempotent(q->method);
    if (first && (err = httpx__body_setup(r, e))) return err;
    q->replayable = !q->multipart && !q->upload;
    /* the header list lives in the request's own memory for the common case */
    httpx__headers_clear(&q->headers);
    q->headers.fields = q->inline_fields;
    q->headers.cap = HTTPX__REQ_INLINE_FIELDS;
    q->headers.fixed = true;
    httpx__buf_init_inline(&q->headers.text, q->inline_text, sizeof q->inline_text);
    q->has_host = false;
    defaults[nd].name = "Accept"; defaults[nd++].value = "*/*";
    defaults[nd].name = "Accept-Encoding"; defaults[nd++].value = HTTPX__ACCEPT_ENCODING;
    defaults[nd].name = "Connection"; defaults[nd++].value = "keep-alive";
    defaults[nd].name = "User-Agent"; defaults[nd++].value = c->opts.user_agent;
    if (q->content_type) { defaults[nd].name = "Content-Type"; defaults[nd++].value = q->content_type; }
    defaults[nd].name = NULL; defaults[nd].value = NULL;
    later[0] = client_h;
    later[1] = req_h;
    if ((err = httpx__add_layer(q, defaults, later, 2, e)) ||
        (err = httpx__add_layer(q, client_h, later + 1, 1, e)) ||
        (err = httpx__add_layer(q, req_h, NULL, 0, e)))
        return err;
    if (!httpx_headers_get(&q->headers, "authorization") &&
        !httpx__pairs_have(client_h, "authorization") && !httpx__pairs_have(req_h, "authorization"))
        err = httpx__add_auth(r, e);
    return err;
}

HTTPX__PRIVATE long httpx__request_body_read(httpx__request *q, size_t *off, char *buf, size_t cap, httpx__err *e) {
    long n;
    if (cap > HTTPX__MAX_BODY_PIECE) cap = HTTPX__MAX_BODY_PIECE;
    if (q->body) {
        size_t left = q->body_len - *off;
        if (left < cap) cap = left;
        memcpy(buf, q->body + *off, cap);
        *off += cap;
        return (long)cap;
    }
    if (q->multipart) {
        n = httpx__multipart_read(q->multipart, buf, cap, e);
        if (n < 0) {
            if (!e->code) httpx__fail(e, HTTPX_ERR_WRITE, "reading a multipart file failed");
            return HTTPX__BAD;
        }
    } else if (q->upload) {
        n = q->upload(q->upload_user_data, buf, cap);
        if (n < 0) {
            httpx__fail(e, HTTPX_ERR_WRITE, "the upload callback returned %ld: request aborted", n);
            return HTTPX__BAD;
        }
        if ((size_t)n > cap) {
            httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the upload callback returned more bytes than asked for");
            return HTTPX__BAD;
        }
    } else {
        return 0;
    }
    *off += (size_t)n;
    if (q->body_length >= 0 && ((long long)*off > q->body_length || (n == 0 && (long long)*off < q->body_length))) {
        httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "the upload produced %zu bytes but its declared length is %lld",
                    *off, q->body_length);
        return HTTPX__BAD;
    }
    return n;
}

HTTPX__PRIVATE void httpx__request_free(httpx__request *q) {
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    httpx__headers_clear(&q->headers);
}
