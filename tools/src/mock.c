/* mock: a transport that answers from memory (HTTPX's MockTransport). Each
   hop calls the user's handler with the request as sent and a reply to
   fill; the reply's head goes through the same door as a network head and
   its body comes out of read, so every policy above runs unchanged. It
   answers at once: submit ends in BODY (or DONE), never in a wait.
   Private prefix: httpx__mock_. */
#include "internal.h"
#include "headers_internal.h"
#include "engine_internal.h"

static httpx__err *httpx__mock_err(httpx_mock_reply *p) { return &p->err; }

HTTPX_API void httpx_reply_status(httpx_mock_reply *p, int status_code) {
    if (!p) return;
    if ((status_code < 100 || status_code > 999) && !p->err.code)
        httpx__fail(httpx__mock_err(p), HTTPX_ERR_INVALID_ARGUMENT,
                    "the mock handler answered status %d: give 100..999", status_code);
    p->status = status_code;
}

HTTPX_API void httpx_reply_header(httpx_mock_reply *p, const char *name, const char *value) {
    httpx_error err;
    if (!p || p->err.code) return;
    err = httpx_headers_add(&p->headers, name ? name : "", value ? value : "");
    if (err == HTTPX_ERR_NOMEM)
        httpx__fail(&p->err, err, "out of memory for the mock reply's headers");
    else if (err)
        httpx__fail(&p->err, err, "the mock handler's header '%.60s' is not a valid field (a token name, "
                    "a value without CR, LF or NUL)", name ? name : "(null)");
}

HTTPX_API void httpx_reply_body(httpx_mock_reply *p, const void *data, size_t len) {
    if (!p || p->err.code) return;
    if (!data) data = "";
    if (!len) len = strlen((const char *)data);
    httpx__buf_clear(&p->body);
    if (len && !httpx__buf_append(&p->body, data, len)) httpx__fail(&p->err, HTTPX_ERR_NOMEM, "out of memory for the mock reply's body");
}

HTTPX_API void httpx_reply_json(httpx_mock_reply *p, int status_code, const char *json) {
    httpx_reply_status(p, status_code);
    httpx_reply_header(p, "Content-Type", "application/json");
    httpx_reply_body(p, json ? json : "null", 0);
}

HTTPX_API void httpx_reply_error(httpx_mock_reply *p, httpx_error code, const char *message) {
    if (!p || p->err.code) return;
    if (code == HTTPX_OK) code = HTTPX_ERR_INVALID_ARGUMENT;
    httpx__fail(&p->err, code, "%s", message ? message : httpx_strerror(code));
}

/* ---- the transport ---- */

static httpx_mock_reply *httpx__mock_reply_of(httpx__response *r) {
    if (!r->mock) {
        r->mock = (httpx_mock_reply *)httpx__malloc(sizeof *r->mock);
        if (!r->mock) return NULL;
        memset(r->mock, 0, sizeof *r->mock);
        httpx__headers_init(&r->mock->headers);
    }
    r->mock->status = 200;
    r->mock->body_off = 0;
    httpx__headers_clear(&r->mock->headers);
    httpx__buf_clear(&r->mock->body);
    memset(&r->mock->err, 0, sizeof r->mock->err);
    return r->mock;
}

/* A streamed body (upload, files) is read whole, so that the handler sees
   the bytes: bounded by the client's max_body_size, as a body kept in
   memory is. */
static httpx_error httpx__mock_take_body(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    size_t off = 0, limit = r->client->opts.max_body_size;
    if (q->body || !q->has_body) return HTTPX_OK;
    httpx__buf_clear(&r->sent_body);
    for (;;) {
        long n;
        if (!httpx__buf_reserve(&r->sent_body, 16384))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
        n = httpx__request_body_read(q, &off, r->sent_body.p + r->sent_body.len,
                                     r->sent_body.cap - r->sent_body.len - 1, e);
        if (n < 0) return e->code ? e->code : HTTPX_ERR_WRITE;
        if (n == 0) break;
        r->sent_body.len += (size_t)n;
        if (r->sent_body.len > limit)
            return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the request body is over max_body_size (%zu) "
                               "for the mock transport", limit);
    }
    httpx__buf_reserve(&r->sent_body, 0);
    q->body = r->sent_body.p ? r->sent_body.p : "";
    q->body_len = r->sent_body.len;
    return HTTPX_OK;
}

/* The reply's fields as the door takes them, with Content-Length added
   when the handler gave none. */
static httpx_error httpx__mock_head(httpx__exchange *ex, httpx_mock_reply *p, httpx__err *e) {
    httpx__field_view inline_views[32], *views = inline_views;
    size_t i, n = httpx_headers_count(&p->headers);
    char length[24];
    const char *cl = httpx_headers_get(&p->headers, "content-length");
    httpx__head h;
    httpx_error err;
    memset(&h, 0, sizeof h);
    if (n + 1 > sizeof inline_views / sizeof inline_views[0]) {
        views = (httpx__field_view *)httpx__malloc((n + 1) * sizeof *views);
        if (!views) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the mock reply's headers");
    }
    for (i = 0; i < n; i++) {
        const char *name, *value;
        httpx_headers_at(&p->headers, i, &name, &value);
        views[i].name = name;
        views[i].name_len = strlen(name);
        views[i].value = value;
        views[i].value_len = strlen(value);
    }
    h.expected_length = (long long)p->body.len;
    if (cl) {
        char *end;
        h.expected_length = strtoll(cl, &end, 10);
        if (end == cl || *end || h.expected_length < 0) h.expected_length = -1;
    } else {
        snprintf(length, sizeof length, "%zu", p->body.len);
        views[n].name = "content-length";
        views[n].name_len = 14;
        views[n].value = length;
        views[n].value_len = strlen(length);
        n++;
    }
    if (ex->req->head) h.expected_length = 0;   /* a HEAD answer has no body, as on the wire */
    h.status = p->status;
    h.version = "HTTP/1.1";
    h.reason = httpx__status_reason(p->status);
    h.reason_len = strlen(h.reason);
    h.fields = views;
    h.nfields = n;
    err = httpx__exchange_head(ex, &h, e);   /* the same door as the network's (ex goes to BODY) */
    if (views != inline_views) httpx__free(views);
    return err;
}

static void httpx__mock_submit(httpx__exchange *ex) {
    httpx__response *r = ex->resp;
    httpx_client *c = ex->client;
    httpx_mock_reply *p;
    httpx__err e;
    memset(&e, 0, sizeof e);
    ex->started = httpx__now();
    ex->readable = false;
    ex->reused = ex->retried = false;
    ex->deadline = 0;
    /* the states a network exchange passes, without the pool: it is never
       on the client's live list, so the loop has nothing to place or time */
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    p = httpx__mock_reply_of(r);
    if (!p) {
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the mock reply");
        httpx__exchange_end(ex, &e);
        return;
    }
    if (httpx__mock_take_body(r, &e)) { httpx__exchange_end(ex, &e); return; }
    c->opts.mock(c->opts.mock_user_data, &r->req, p);
    if (p->err.code) { httpx__exchange_end(ex, &p->err); return; }
    if (r->req.head) httpx__buf_clear(&p->body);   /* a HEAD answer has no body, as on the wire */
    if (httpx__mock_head(ex, p, &e)) { httpx__exchange_end(ex, &e); return; }
    httpx__exchange_wake(ex);
}

static long httpx__mock_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    httpx_mock_reply *p = ex->resp->mock;
    size_t left;
    (void)e;
    if (ex->state != HTTPX__EX_BODY) return 0;
    left = p->body.len - p->body_off;
    if (!left) {
        httpx__exchange_end(ex, NULL);
        return 0;
    }
    if (cap > left) cap = left;
    memcpy(buf, p->body.p + p->body_off, cap);
    p->body_off += cap;
    return (long)cap;
}

static void httpx__mock_cancel(httpx__exchange *ex) { httpx__exchange_abandon(ex); }

static void httpx__mock_release(httpx__response *r) {
    if (!r->mock) return;
    httpx__headers_clear(&r->mock->headers);
    httpx__buf_free(&r->mock->body);
    httpx__free(r->mock);
    r->mock = NULL;
}

HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void) {
    static const httpx__transport mock = {"mock", httpx__mock_submit, httpx__mock_read, httpx__mock_cancel,
                                          httpx__mock_release};
    return &mock;
}
