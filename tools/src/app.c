/* app: the in-process transports, answered by a C function instead of a
   server: the app (WSGI/ASGI's analogue: the request body streams to the
   handler, the response body streams from a producer the reader pulls) and
   the mock (HTTPX's MockTransport), which is the same transport with the
   request body gathered first so that the handler sees it whole. Each hop
   calls the handler with the request as sent and a reply to fill; the
   reply's head goes through the same door as a network head and its body
   comes out of read, so every policy above runs unchanged. The handler
   answers at once: submit ends in BODY (or DONE), never in a wait.
   Private prefix: httpx__app_. */
#include "internal.h"
#include "headers_internal.h"
#include "engine_internal.h"

/* ---- the reply builder (httpx_reply_*, httpx_app_read_body) ---- */

HTTPX_API void httpx_reply_status(httpx_app_response *p, int status_code) {
    if (!p) return;
    if ((status_code < 100 || status_code > 999) && !p->err.code)
        httpx__fail(&p->err, HTTPX_ERR_INVALID_ARGUMENT,
                    "the app answered status %d: give 100..999", status_code);
    p->status = status_code;
}

HTTPX_API void httpx_reply_header(httpx_app_response *p, const char *name, const char *value) {
    httpx_error err;
    if (!p || p->err.code) return;
    err = httpx_headers_add(&p->headers, name ? name : "", value ? value : "");
    if (err == HTTPX_ERR_NOMEM)
        httpx__fail(&p->err, err, "out of memory for the app's response headers");
    else if (err)
        httpx__fail(&p->err, err, "the app's header '%.60s' is not a valid field (a token name, "
                    "a value without CR, LF or NUL)", name ? name : "(null)");
}

HTTPX_API void httpx_reply_write(httpx_app_response *p, const void *data, size_t len) {
    if (!p || p->err.code || !len) return;
    if (!data) {
        httpx__fail(&p->err, HTTPX_ERR_INVALID_ARGUMENT, "httpx_reply_write was given NULL data and %zu bytes", len);
        return;
    }
    if (!httpx__buf_append(&p->body, data, len))
        httpx__fail(&p->err, HTTPX_ERR_NOMEM, "out of memory for the app's response body");
}

HTTPX_API void httpx_reply_body(httpx_app_response *p, const void *data, size_t len) {
    if (!p || p->err.code) return;
    if (!data) data = "";
    if (!len) len = strlen((const char *)data);
    httpx__buf_clear(&p->body);
    httpx_reply_write(p, data, len);
}

HTTPX_API void httpx_reply_json(httpx_app_response *p, int status_code, const char *json) {
    httpx_reply_status(p, status_code);
    httpx_reply_header(p, "Content-Type", "application/json");
    httpx_reply_body(p, json ? json : "null", 0);
}

HTTPX_API void httpx_reply_error(httpx_app_response *p, httpx_error code, const char *message) {
    if (!p || p->err.code) return;
    if (code == HTTPX_OK || (unsigned)code >= (unsigned)HTTPX_ERR_COUNT_) code = HTTPX_ERR_INVALID_ARGUMENT;
    httpx__fail(&p->err, code, "%s", message ? message : httpx_strerror(code));
}

/* The producer's last call: it may free what it holds. Exactly once per
   producer, whatever ended the body (its end, an error, a cancel, a HEAD,
   a redirect, the response's free). */
static void httpx__app_producer_release(httpx_app_response *p) {
    httpx_app_body_fn fn = p->producer;
    if (!fn) return;
    p->producer = NULL;
    fn(p->producer_user_data, NULL, 0);
}

HTTPX_API void httpx_reply_stream(httpx_app_response *p, httpx_app_body_fn producer, void *user_data,
                                  long long length) {
    if (!p) return;
    if (p->err.code || !producer || p->producer || length < -1) {
        if (!p->err.code)
            httpx__fail(&p->err, HTTPX_ERR_INVALID_ARGUMENT, !producer ? "httpx_reply_stream needs a producer"
                        : p->producer ? "httpx_reply_stream was called twice in one answer"
                                      : "httpx_reply_stream's length is %lld: give -1 (unknown) or more", length);
        if (producer) producer(user_data, NULL, 0);   /* refused, it is still ours to release */
        return;
    }
    p->producer = producer;
    p->producer_user_data = user_data;
    p->producer_length = length;
}

HTTPX_API long httpx_app_read_body(httpx_app_response *p, void *buf, size_t cap) {
    httpx__err e;
    long n;
    if (!p || !buf || !cap) return -(long)HTTPX_ERR_INVALID_ARGUMENT;
    if (!p->req) {
        if (!p->err.code)
            httpx__fail(&p->err, HTTPX_ERR_STREAM, "httpx_app_read_body is for the handler, while it runs");
        return -(long)HTTPX_ERR_STREAM;
    }
    if (p->req_error) return -(long)p->req_error;
    memset(&e, 0, sizeof e);
    n = httpx__request_body_read(p->req, &p->req_off, (char *)buf, cap, &e);
    if (n >= 0) return n;
    /* the caller's upload failed: the request fails with it, whatever the app answers */
    if (!e.code) httpx__fail(&e, HTTPX_ERR_WRITE, "reading the request body failed");
    p->req_error = e.code;
    p->err = e;
    return -(long)e.code;
}

/* ---- the transport ---- */

/* The reason phrase HTTPX gives a Response(status) (RFC 9110's); "" for
   codes without one. */
static const char *httpx__app_reason(int status) {
    static const struct { int code; const char *text; } t[] = {
        {100, "Continue"}, {101, "Switching Protocols"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
        {203, "Non-Authoritative Information"}, {204, "No Content"}, {205, "Reset Content"},
        {206, "Partial Content"}, {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"},
        {303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
        {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"}, {409, "Conflict"},
        {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"}, {413, "Content Too Large"},
        {415, "Unsupported Media Type"}, {418, "I'm a teapot"}, {422, "Unprocessable Content"},
        {429, "Too Many Requests"}, {500, "Internal Server Error"}, {501, "Not Implemented"},
        {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].code == status) return t[i].text;
    return "";
}

/* The reply of r's hop, fresh: made on first use, reset for each hop (a
   redirect's producer is released first). */
static httpx_app_response *httpx__app_reply_of(httpx__response *r) {
    httpx_app_response *p = r->app;
    if (!p) {
        p = (httpx_app_response *)httpx__malloc(sizeof *p);
        if (!p) return NULL;
        memset(p, 0, sizeof *p);
        httpx__headers_init(&p->headers);
        r->app = p;
    }
    httpx__app_producer_release(p);
    p->status = 200;
    p->body_off = 0;
    p->delivered = 0;
    p->expected = -1;
    p->req = NULL;
    p->req_off = 0;
    p->req_error = HTTPX_OK;
    httpx__headers_clear(&p->headers);
    httpx__buf_clear(&p->body);
    memset(&p->err, 0, sizeof p->err);
    return p;
}

/* The mock gathers a streamed body (upload, files) whole, so that the
   handler sees the bytes with httpx_request_body: bounded by the client's
   max_body_size, as a body kept in memory is. */
static httpx_error httpx__app_gather_body(httpx__response *r, httpx__err *e) {
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
   when the handler gave none and the length is known. */
static httpx_error httpx__app_head(httpx__exchange *ex, httpx_app_response *p, httpx__err *e) {
    httpx__field_view inline_views[32], *views = inline_views;
    size_t i, n = httpx_headers_count(&p->headers);
    char length[24];
    const char *cl = httpx_headers_get(&p->headers, "content-length");
    httpx__head h;
    httpx_error err;
    memset(&h, 0, sizeof h);
    if (n + 1 > sizeof inline_views / sizeof inline_views[0]) {
        views = (httpx__field_view *)httpx__malloc((n + 1) * sizeof *views);
        if (!views) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the app's response headers");
    }
    for (i = 0; i < n; i++) {
        const char *name = "", *value = "";
        httpx_headers_at(&p->headers, i, &name, &value);
        views[i].name = name;
        views[i].name_len = strlen(name);
        views[i].value = value;
        views[i].value_len = strlen(value);
    }
    h.expected_length = (long long)p->body.len;
    if (p->producer)   /* unknown, or too large to add up: no Content-Length */
        h.expected_length = p->producer_length < 0 || p->producer_length > (long long)(~0ULL >> 1) - h.expected_length
                                ? -1 : h.expected_length + p->producer_length;
    if (cl) {
        char *end;
        h.expected_length = strtoll(cl, &end, 10);
        if (end == cl || *end || h.expected_length < 0) h.expected_length = -1;
    } else if (h.expected_length >= 0 && p->status != 204 && p->status != 304) {   /* RFC 9110 8.6 */
        snprintf(length, sizeof length, "%lld", h.expected_length);
        views[n].name = "content-length";
        views[n].name_len = 14;
        views[n].value = length;
        views[n].value_len = strlen(length);
        n++;
    }
    if (ex->req->head || p->status == 204 || p->status == 304) h.expected_length = 0;   /* as on the wire */
    p->expected = h.expected_length;
    h.status = p->status;
    h.version = "HTTP/1.1";
    h.reason = httpx__app_reason(p->status);
    h.reason_len = strlen(h.reason);
    h.fields = views;
    h.nfields = n;
    err = httpx__exchange_head(ex, &h, e);   /* the same door as the network's (ex goes to BODY) */
    if (views != inline_views) httpx__free(views);
    return err;
}

static void httpx__app_fail(httpx__exchange *ex, httpx__err *e) {
    if (ex->resp->app) httpx__app_producer_release(ex->resp->app);
    httpx__exchange_end(ex, e);
}

static void httpx__app_submit_with(httpx__exchange *ex, bool gather) {
    httpx__response *r = ex->resp;
    httpx_client *c = ex->client;
    httpx_app_response *p;
    httpx__err e;
    memset(&e, 0, sizeof e);
    ex->started = httpx__now();
    ex->readable = false;
    ex->reused = ex->retried = ex->setup_failed = false;
    ex->deadline = 0;
    /* timeout.total bounds the whole request, redirects included, as over
       the network: here it stops a producer that never ends */
    if (!ex->total_deadline) ex->total_deadline = httpx__deadline_in(ex->timeout.total);
    /* the states a network exchange passes, without the pool: it is never
       on the client's live list, so the loop has nothing to place or time */
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    p = httpx__app_reply_of(r);
    if (!p) {
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the app's response");
        httpx__exchange_end(ex, &e);
        return;
    }
    if (gather && httpx__app_gather_body(r, &e)) { httpx__exchange_end(ex, &e); return; }
    p->req = &r->req;
    if (gather) c->opts.mock(c->opts.mock_user_data, &r->req, p);
    else c->opts.app(c->opts.app_user_data, &r->req, p);
    p->req = NULL;     /* the body is the handler's to read while it runs, not later */
    if (p->err.code) {
        /* the handler says the connection could not be made: httpx_client_opts.retries
           applies as on the network, so a user's test can see its retries */
        ex->setup_failed = p->err.code == HTTPX_ERR_CONNECT || p->err.code == HTTPX_ERR_CONNECT_TIMEOUT;
        httpx__app_fail(ex, &p->err);
        return;
    }
    if (r->req.head || p->status == 204 || p->status == 304) {  /* no body, as on the wire */
        httpx__buf_clear(&p->body);
        httpx__app_producer_release(p);
    }
    if (httpx__app_head(ex, p, &e)) { httpx__app_fail(ex, &e); return; }
    httpx__exchange_wake(ex);
}

static void httpx__app_submit(httpx__exchange *ex) { httpx__app_submit_with(ex, false); }
static void httpx__mock_submit(httpx__exchange *ex) { httpx__app_submit_with(ex, true); }

/* The next piece of the producer's body: >0 bytes, 0 the end (ex ended),
   HTTPX__BAD (ex ended with e). */
static long httpx__app_produce(httpx__exchange *ex, httpx_app_response *p, char *buf, size_t cap, httpx__err *e) {
    long n = p->producer(p->producer_user_data, buf, cap);
    if (n < 0 || (size_t)n > cap) {
        httpx_error code = n < 0 && -n < (long)HTTPX_ERR_COUNT_ ? (httpx_error)-n : HTTPX_ERR_READ;
        if (n > 0) httpx__fail(e, HTTPX_ERR_READ, "the app's body producer returned %ld bytes for a buffer of %zu", n, cap);
        else httpx__fail(e, code, "the app's body producer failed (%s)", httpx_strerror(code));
        httpx__app_fail(ex, e);
        return HTTPX__BAD;
    }
    if (n == 0) {
        httpx__app_producer_release(p);
        httpx__exchange_end(ex, NULL);
    }
    return n;
}

static long httpx__app_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    httpx_app_response *p = ex->resp->app;
    size_t left;
    long n;
    if (ex->state != HTTPX__EX_BODY || !cap) return 0;
    ex->readable = false;
    left = p->body.len - p->body_off;
    if (left) {
        if (cap > left) cap = left;
        memcpy(buf, p->body.p + p->body_off, cap);
        p->body_off += cap;
        n = (long)cap;
    } else if (p->producer) {
        if (ex->total_deadline && httpx__now() >= ex->total_deadline) {
            httpx__fail(e, HTTPX_ERR_TOTAL_TIMEOUT, "the app's body took longer than timeout.total (%g s)",
                        ex->timeout.total);
            httpx__app_fail(ex, e);
            return HTTPX__BAD;
        }
        n = httpx__app_produce(ex, p, buf, cap, e);
        if (n <= 0) return n;
    } else {
        httpx__exchange_end(ex, NULL);
        return 0;
    }
    p->delivered += n;
    if (p->expected >= 0 && p->delivered > p->expected) {
        /* on the wire the extra bytes would be the next response's garbage */
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "the app's body is longer than the %lld bytes its Content-Length "
                    "announced", p->expected);
        httpx__app_fail(ex, e);
        return HTTPX__BAD;
    }
    return n;
}

static void httpx__app_cancel(httpx__exchange *ex) {
    if (ex->resp->app) httpx__app_producer_release(ex->resp->app);
    httpx__exchange_abandon(ex);
}

static void httpx__app_release(httpx__response *r) {
    httpx_app_response *p = r->app;
    if (!p) return;
    httpx__app_producer_release(p);
    httpx__headers_clear(&p->headers);
    httpx__buf_free(&p->body);
    httpx__free(p);
    r->app = NULL;
}

HTTPX__PRIVATE const httpx__transport *httpx__app_transport(void) {
    static const httpx__transport app = {"app", httpx__app_submit, httpx__app_read, httpx__app_cancel,
                                         httpx__app_release};
    return &app;
}

HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void) {
    static const httpx__transport mock = {"mock", httpx__mock_submit, httpx__app_read, httpx__app_cancel,
                                          httpx__app_release};
    return &mock;
}
