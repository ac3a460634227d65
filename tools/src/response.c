/* response: the layer above the transports. Every response head comes in
   through one door (the sink it installs on its exchange: exchange.c hands
   up a head as values, whatever carried it, the connection's facts too);
   body bytes go to memory (with the size limit), to on_data, or to a
   streaming reader; a redirect's body is dropped, bounded. Then what a
   caller does with a response: headers, status classes, streaming reads,
   the request it answers, and freeing. Nothing here names a face: the one
   that made a response installs what its free needs (on_free, free_owned). */
#include "internal.h"
#include "headers_internal.h"
#include "engine_internal.h"
#include "text_internal.h"

static httpx__response *httpx__resp(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

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
    r->pub.tls_version = r->pub.tls_cipher = r->pub.alpn = "";
    httpx__buf_init_inline(&r->url_text, r->url_inline, sizeof r->url_inline);
    return r;
}

HTTPX_API const char *httpx_header(const httpx_response *r, const char *name) {
    return r ? httpx_headers_get(&httpx__resp(r)->headers, name) : NULL;
}

HTTPX_API const char *httpx_header_nth(const httpx_response *r, const char *name, size_t n) {
    return r ? httpx_headers_get_nth(&httpx__resp(r)->headers, name, n) : NULL;
}

HTTPX_API const httpx_headers *httpx_response_headers(const httpx_response *r) {
    return r ? &httpx__resp(r)->headers : NULL;
}

/* ---- the request as sent ---- */

HTTPX_API const httpx_req *httpx_response_request(const httpx_response *r) {
    return r ? &httpx__resp(r)->req : NULL;
}

HTTPX_API const char *httpx_request_method(const httpx_req *q) { return q ? q->method : ""; }
HTTPX_API const char *httpx_request_url(const httpx_req *q) { return q && q->url_text ? q->url_text : ""; }
HTTPX_API const char *httpx_request_header(const httpx_req *q, const char *name) {
    return q ? httpx_headers_get(&q->headers, name) : NULL;
}
HTTPX_API const httpx_headers *httpx_request_headers(const httpx_req *q) { return q ? &q->headers : NULL; }
HTTPX_API const char *httpx_request_body(const httpx_req *q, size_t *len) {
    if (len) *len = q && q->body ? q->body_len : 0;
    return q ? q->body : NULL;
}

/* The protocols frame the body themselves: a field that would say how is
   theirs alone (request.c leaves them out of the merged fields too). */
static bool httpx__request_framing_field(const char *name) {
    httpx__str n;
    if (!name) return false;
    n.p = name;
    n.n = strlen(name);
    return httpx__str_ieq(n, "content-length") || httpx__str_ieq(n, "transfer-encoding");
}

static bool httpx__request_is_host(const char *name) {
    httpx__str n;
    n.p = name;
    n.n = strlen(name);
    return httpx__str_ieq(n, "host");
}

static httpx_error httpx__request_edit(httpx_req *q, const char *name, const char *value, bool replace) {
    httpx_error err;
    if (!q) return HTTPX_ERR_INVALID_ARGUMENT;
    if (httpx__request_framing_field(name)) return HTTPX_ERR_INVALID_HEADER;
    err = replace ? httpx_headers_set(&q->headers, name, value) : httpx_headers_add(&q->headers, name, value);
    if (!err && httpx__request_is_host(name)) q->has_host = true;
    return err;
}

HTTPX_API httpx_error httpx_request_set_header(httpx_req *q, const char *name, const char *value) {
    return httpx__request_edit(q, name, value, true);
}
HTTPX_API httpx_error httpx_request_add_header(httpx_req *q, const char *name, const char *value) {
    return httpx__request_edit(q, name, value, false);
}
HTTPX_API size_t httpx_request_remove_header(httpx_req *q, const char *name) {
    size_t n;
    if (!q || !name) return 0;
    n = httpx_headers_remove(&q->headers, name);
    if (n && httpx__request_is_host(name)) q->has_host = false;
    return n;
}

HTTPX_API bool httpx_is_informational(const httpx_response *r) { return r && r->status_code >= 100 && r->status_code < 200; }
HTTPX_API bool httpx_is_success(const httpx_response *r) { return r && r->status_code >= 200 && r->status_code < 300; }
HTTPX_API bool httpx_is_redirect(const httpx_response *r) {
    int s = r ? r->status_code : 0;
    return (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && httpx_header(r, "location") != NULL;
}
HTTPX_API bool httpx_is_client_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 500; }
HTTPX_API bool httpx_is_server_error(const httpx_response *r) { return r && r->status_code >= 500 && r->status_code < 600; }
HTTPX_API bool httpx_is_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 600; }

HTTPX__PRIVATE const char *httpx__status_reason(int status) {
    static const struct { int code; const char *text; } t[] = {
        {100, "Continue"}, {101, "Switching Protocols"}, {102, "Processing"}, {103, "Early Hints"}, {200, "OK"},
        {201, "Created"}, {202, "Accepted"}, {203, "Non-Authoritative Information"}, {204, "No Content"},
        {205, "Reset Content"}, {206, "Partial Content"}, {300, "Multiple Choices"}, {301, "Moved Permanently"},
        {302, "Found"}, {303, "See Other"}, {304, "Not Modified"}, {305, "Use Proxy"}, {307, "Temporary Redirect"},
        {308, "Permanent Redirect"}, {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"},
        {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"}, {406, "Not Acceptable"},
        {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"},
        {411, "Length Required"}, {412, "Precondition Failed"}, {413, "Content Too Large"}, {414, "URI Too Long"},
        {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
        {418, "I'm a teapot"}, {421, "Misdirected Request"}, {422, "Unprocessable Content"}, {425, "Too Early"},
        {426, "Upgrade Required"}, {428, "Precondition Required"}, {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
        {511, "Network Authentication Required"}};
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].code == status) return t[i].text;
    return "";
}

/* HTTPX's words (its Response.raise_for_status), with the link line newer
   HTTPX versions give (MDN's page; the older httpstatuses.com is gone). */
static bool httpx__status_words(httpx__buf *b, const httpx_response *r) {
    int cls = r->status_code / 100;
    const char *kind = cls == 1 ? "Informational response" : cls == 3 ? "Redirect response"
                     : cls == 4 ? "Client error" : cls == 5 ? "Server error" : "Invalid status code";
    const char *reason = r->reason_phrase[0] ? r->reason_phrase : httpx__status_reason(r->status_code);
    const char *location = httpx_header(r, "location");
    httpx__buf_clear(b);
    return httpx__buf_printf(b, "%s '%d %s' for url '%s'\n", kind, r->status_code, reason, r->url) &&
           (!(cls == 3 && location) || httpx__buf_printf(b, "Redirect location: '%s'\n", location)) &&
           httpx__buf_printf(b, "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/%d",
                             r->status_code) &&
           httpx__buf_reserve(b, 0);
}

HTTPX_API httpx_error httpx_raise_for_status(httpx_response *pub) {
    httpx__response *r = httpx__resp(pub);
    if (!r) return HTTPX_ERR_NOMEM;     /* a NULL response is what running out of memory gives */
    if (pub->error) return pub->error;
    if (httpx_is_success(pub)) return HTTPX_OK;
    if (httpx__status_words(&r->status_text, pub)) {
        pub->error_message = r->status_text.p;
    } else {            /* out of memory: the short form, without the URL, says so */
        snprintf(r->errmsg, sizeof r->errmsg, "HTTP status %d (out of memory for the whole message)", pub->status_code);
        pub->error_message = r->errmsg;
    }
    return HTTPX_ERR_STATUS;
}

/* ---- the door and the body sink ---- */

#define HTTPX__REDIRECT_BODY_MAX 65536   /* a redirect body longer than this: close instead of reading */

HTTPX__PRIVATE void httpx__response_fail(httpx__response *r, httpx__err *e) {
    if (r->pub.error) return;   /* the first failure is the one the user needs to see */
    r->pub.error = e->code ? e->code : HTTPX_ERR_READ;
    r->pub.sys_errno = e->code == HTTPX_ERR_TLS ? 0 : e->sys_errno;
    r->pub.tls_error = e->code == HTTPX_ERR_TLS ? e->sys_errno : 0;
    memcpy(r->errmsg, e->msg, sizeof r->errmsg);
    r->errmsg[sizeof r->errmsg - 1] = 0;
    r->pub.error_message = r->errmsg;
}

static bool httpx__is_redirect_status(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/* The door's head, which is values not text, rendered for on_debug: the
   status line, "name: value" lines, then the blank line. */
static void httpx__response_debug_fields(const httpx_client *c, const char *line, const httpx__field_view *f,
                                         size_t n) {
    httpx__buf b;
    size_t i;
    if (!c->opts.on_debug) return;
    memset(&b, 0, sizeof b);
    httpx__buf_puts(&b, line);
    httpx__buf_append(&b, "\r\n", 2);
    for (i = 0; i < n; i++) httpx__debug_field_line(&b, f[i].name, f[i].name_len, f[i].value, f[i].value_len);
    httpx__buf_append(&b, "\r\n", 2);
    if (!b.failed) c->opts.on_debug(c->opts.debug_user_data, HTTPX_DEBUG_HEADER_IN, b.p, b.len);
    httpx__buf_free(&b);
}

/* on_debug: the connection's facts in words, then the head as text. */
static void httpx__debug_head_in(httpx__exchange *ex, const httpx__head *h) {
    httpx__response *r = ex->resp;
    char line[320];
    int n;
    if (r->pub.tls_version[0])
        n = snprintf(line, sizeof line, "%s over a %s connection, %s, cipher %s, ALPN %s", h->version,
                     h->connection_reused ? "reused" : "new", r->pub.tls_version, r->pub.tls_cipher,
                     r->pub.alpn[0] ? r->pub.alpn : "none");
    else
        n = snprintf(line, sizeof line, "%s over a %s connection", h->version, h->connection_reused ? "reused" : "new");
    HTTPX__DEBUG(ex->client, HTTPX_DEBUG_TEXT, line, n > 0 && (size_t)n < sizeof line ? (size_t)n : strlen(line));
    snprintf(line, sizeof line, "%s %d%s%s", h->version, h->status, r->pub.reason_phrase[0] ? " " : "",
             r->pub.reason_phrase);
    httpx__response_debug_fields(ex->client, line, h->fields, h->nfields);
}

/* The sink's head: every response head comes through here (the one door),
   as values: the connection's facts too (exchange.c takes them from the
   connection that carried the head; the mock has none). */
static httpx_error httpx__response_on_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e) {
    httpx__response *r = ex->resp;
    size_t i, need = h->reason_len + 1, reason_at;
    if (h->nfields > (size_t)ex->client->opts.limits.max_headers)   /* HTTP/2 and the mock (HTTP/1.1 stops in its parser) */
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has %zu header fields, more than limits.max_headers (%d)",
                           h->nfields, ex->client->opts.limits.max_headers);
    httpx__headers_clear(&r->headers);
    for (i = 0; i < h->nfields; i++) need += h->fields[i].name_len + h->fields[i].value_len + 2;
    r->headers.fields = r->inline_fields;
    r->headers.cap = HTTPX__INLINE_FIELDS;
    r->headers.fixed = true;
    httpx__buf_init_inline(&r->headers.text, r->inline_text, sizeof r->inline_text);
    if (!httpx__buf_reserve(&r->headers.text, need)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    for (i = 0; i < h->nfields; i++)
        if (!httpx__headers_add_raw(&r->headers, h->fields[i].name, h->fields[i].name_len, h->fields[i].value,
                                    h->fields[i].value_len))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    /* the reason phrase lives in the same text, after the fields (the index
       never points at it); the pointer is taken once the text stops moving */
    reason_at = r->headers.text.len;
    if (!httpx__buf_append(&r->headers.text, h->reason, h->reason_len))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    r->pub.reason_phrase = r->headers.text.p + reason_at;
    r->pub.status_code = h->status;
    r->pub.http_version = h->version;
    r->pub.expected_length = h->expected_length;
    r->pub.num_bytes_downloaded = 0;
    r->pub.connection_reused = h->connection_reused;
    r->pub.alpn = h->alpn ? h->alpn : "";
    r->pub.tls_version = h->tls_version ? h->tls_version : "";
    r->pub.tls_cipher = h->tls_cipher ? h->tls_cipher : "";
    if (ex->client->opts.on_debug) httpx__debug_head_in(ex, h);
    httpx__buf_clear(&r->body);
    r->draining_redirect = r->set.follow_redirects && httpx__is_redirect_status(h->status) &&
                           httpx_header(&r->pub, "location") != NULL;
    if (!r->draining_redirect && httpx__retry_on_head(r)) r->draining_redirect = true;   /* dropped like a redirect's */
    r->redirect_body = 0;
    if (httpx__hooks_response(r, e)) return e->code;     /* before any body byte is read, as HTTPX */
    if (httpx__body_decode_start(r, h->status, e) != HTTPX_OK) return e->code;
    if (!r->draining_redirect && !r->ex.stream && !r->opts->on_data && h->expected_length > 0 &&
        (unsigned long long)h->expected_length > (unsigned long long)r->set.max_body_size)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response body of %lld bytes is over max_body_size (%zu)",
                           h->expected_length, r->set.max_body_size);
    return HTTPX_OK;
}

/* A redirect that will be followed: its body is read and dropped, at most
   HTTPX__REDIRECT_BODY_MAX bytes; a longer one costs its connection instead
   (an endless body must not keep us here). */
static void httpx__sink_redirect(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    char sink[4096];
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (;;) {
        long n = r->transport->read(ex, sink, sizeof sink, &e);
        if (n <= 0) return;      /* the end, a wait, or an error (recorded by the read) */
        r->redirect_body += (size_t)n;
        if (r->redirect_body > HTTPX__REDIRECT_BODY_MAX) {
            r->transport->cancel(ex);
            return;
        }
    }
}

/* The door's last word on a body that ended, whatever the protocol: one
   shorter than the length its head announced is never published as a
   success. Each protocol checks its own framing; this catches what slips
   past one (a stale HTTP/2 stream once ended a new response early). True
   when r failed here. */
HTTPX__PRIVATE bool httpx__response_body_short(httpx__response *r) {
    httpx__err e;
    if (r->pub.error || r->pub.expected_length < 0 || r->pub.num_bytes_downloaded >= r->pub.expected_length)
        return false;
    memset(&e, 0, sizeof e);
    httpx__fail(&e, HTTPX_ERR_REMOTE_PROTOCOL, "the response body ended after %lld of the %lld bytes its head announced",
                (long long)r->pub.num_bytes_downloaded, r->pub.expected_length);
    httpx__response_fail(r, &e);
    return true;
}

/* Decoded body bytes (body_decode.c pushes them here): into memory,
   bounded by max_body_size, or through on_data. */
static httpx_error httpx__sink_decoded(httpx__response *r, const char *p, size_t n, httpx__err *e) {
    httpx_data_fn on_data = r->opts->on_data;
    if (on_data) {
        if (on_data(r->opts->user_data, &r->pub, p, n))
            return httpx__fail(e, HTTPX_ERR_CANCELLED, "the on_data callback aborted the request");
        return HTTPX_OK;
    }
    if (n > r->set.max_body_size - r->body.len)   /* body.len never passes the limit */
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "decoded response body is over max_body_size (%zu)",
                           r->set.max_body_size);
    if (!httpx__buf_append(&r->body, p, n)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a response body");
    return HTTPX_OK;
}

/* A body that failed to decode: what was decoded of it is not published
   (a checksum that fails at the end puts all of it in doubt). */
static void httpx__sink_undecodable(httpx__response *r, httpx__err *e) {
    if (e->code == HTTPX_ERR_DECODING) httpx__buf_clear(&r->body);
    httpx__response_fail(r, e);
}

/* An encoded body: wire bytes through the decoder into httpx__sink_decoded. */
static void httpx__sink_encoded(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (;;) {
        size_t cap;
        char *wire = httpx__body_decode_wire(r, &cap);
        long n = r->transport->read(ex, wire, cap, &e);
        if (n == 0 && !httpx__response_body_short(r) && httpx__body_decode_finish(r, &e) != HTTPX_OK)
            httpx__sink_undecodable(r, &e);   /* the exchange ended well; the body did not */
        if (n <= 0) return;      /* the end, a wait, or an error (recorded by the read) */
        r->pub.num_bytes_downloaded += n;
        if (httpx__body_decode_push(r, wire, (size_t)n, httpx__sink_decoded, &e) != HTTPX_OK) {
            r->transport->cancel(ex);
            httpx__sink_undecodable(r, &e);
            return;
        }
    }
}

/* Body bytes into memory (bounded by max_body_size) or through on_data. */
static void httpx__sink_body(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    size_t limit = r->set.max_body_size;
    httpx_data_fn on_data = r->opts->on_data;
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (;;) {
        long n;
        /* room for what was announced, but not more than 1 MiB ahead of what
           came: a server's Content-Length alone must not make us allocate */
        size_t want = 16384;
        if (r->pub.expected_length >= 0 && !on_data) {
            long long left = r->pub.expected_length - r->pub.num_bytes_downloaded;
            want = left < 1 ? 1 : left > (1 << 20) ? (size_t)1 << 20 : (size_t)left;
        }
        if (on_data) httpx__buf_clear(&r->body);   /* the buffer only passes bytes through */
        if (!httpx__buf_reserve(&r->body, want)) {
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for a response body");
            r->transport->cancel(ex);
            httpx__response_fail(r, &e);
            return;
        }
        n = r->transport->read(ex, r->body.p + r->body.len, r->body.cap - r->body.len - 1, &e);
        if (n == 0) httpx__response_body_short(r);
        if (n <= 0) return;      /* the end, a wait, or an error (recorded by the read) */
        r->pub.num_bytes_downloaded += n;
        if (on_data) {
            if (on_data(r->opts->user_data, &r->pub, r->body.p, (size_t)n)) {
                httpx__fail(&e, HTTPX_ERR_CANCELLED, "the on_data callback aborted the request");
                r->transport->cancel(ex);
                httpx__response_fail(r, &e);
                return;
            }
            continue;
        }
        r->body.len += (size_t)n;
        r->body.p[r->body.len] = 0;
        if (r->body.len > limit) {   /* a streamed body (on_data) has no limit: nothing is kept */
            httpx__fail(&e, HTTPX_ERR_TOO_LARGE, "response body is over max_body_size (%zu)", limit);
            r->transport->cancel(ex);
            httpx__response_fail(r, &e);
            return;
        }
    }
}

static void httpx__response_on_wake(httpx__exchange *ex) {
    httpx__response *r = ex->resp;
    if (r->draining_redirect) httpx__sink_redirect(r);
    else if (ex->stream) ex->readable = true;     /* the reader pulls when it runs */
    else if (r->decode) httpx__sink_encoded(r);
    else httpx__sink_body(r);
}

static void httpx__response_on_end(httpx__exchange *ex, httpx__err *e) {
    if (e) httpx__response_fail(ex->resp, e);
    ex->resp->pub.elapsed = httpx__now() - ex->started;
}

static const httpx__exchange_sink httpx__response_sink_ops = {
    httpx__response_on_head, httpx__response_on_wake, httpx__response_on_end
};

HTTPX__PRIVATE const httpx__exchange_sink *httpx__response_sink(void) { return &httpx__response_sink_ops; }

HTTPX__PRIVATE void httpx__response_publish(httpx__response *r) {
    if (r->body.p && !r->opts->on_data) {
        r->pub.content = r->body.p;
        r->pub.content_length = r->body.len;
    }
}

/* ---- streaming ---- */

static long httpx__read_fail(httpx__response *r, httpx__err *e) {
    r->transport->cancel(&r->ex);
    httpx__response_fail(r, e);
    return -(long)r->pub.error;
}

#define HTTPX__READ_MAX (1L << 30)

/* Wire bytes of a stream, counted; a body that ends short of its
   announced length fails r here. */
static long httpx__read_wire(httpx__response *r, char *buf, size_t cap, httpx__err *e) {
    long n = r->transport->read(&r->ex, buf, cap, e);
    if (n > 0) r->pub.num_bytes_downloaded += n;
    if (n == 0) httpx__response_body_short(r);
    return n;
}

HTTPX_API long httpx_read(httpx_response *pub, void *buf, size_t cap) {
    httpx__response *r = httpx__resp(pub);
    httpx__err e;
    size_t wire_cap;
    long n;
    if (!r) return -(long)HTTPX_ERR_INVALID_ARGUMENT;
    if (pub->error) return -(long)pub->error;
    memset(&e, 0, sizeof e);
    if (!r->ex.stream) {
        httpx__fail(&e, HTTPX_ERR_STREAM, "httpx_read needs a response from httpx_stream or httpx_client_stream");
        return httpx__read_fail(r, &e);
    }
    if (!buf || !cap) {
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_read needs a buffer of at least one byte");
        return httpx__read_fail(r, &e);
    }
    if (cap > (size_t)HTTPX__READ_MAX) cap = (size_t)HTTPX__READ_MAX;   /* the count fits the long returned */
    for (;;) {
        if (r->decode) {
            /* decoded bytes first; the wire only when the decoder needs more */
            n = httpx__body_decode_pull(r, (char *)buf, cap, &e);
            if (n > 0 || (n == 0 && httpx__body_decode_ended(r))) return n;
            if (n == HTTPX__BAD) return httpx__read_fail(r, &e);
            char *wire = httpx__body_decode_wire(r, &wire_cap);
            n = httpx__read_wire(r, wire, wire_cap, &e);
            if (n > 0) {
                httpx__body_decode_input(r, (size_t)n);
                continue;
            }
            if (n == 0) {
                if (pub->error) return -(long)pub->error;
                if (httpx__body_decode_finish(r, &e) != HTTPX_OK) {
                    httpx__response_fail(r, &e);   /* the exchange ended already */
                    return -(long)pub->error;
                }
                continue;   /* ended: the next pull says 0 */
            }
        } else {
            n = httpx__read_wire(r, (char *)buf, cap, &e);
            if (n == 0 && pub->error) return -(long)pub->error;
            if (n >= 0) return n;
        }
        if (n == HTTPX__BAD || pub->error) return -(long)(pub->error ? pub->error : HTTPX_ERR_READ);
        httpx__loop_until_readable(&r->ex);
        if (pub->error) return -(long)pub->error;   /* a timeout, while others were polled too */
    }
}

static size_t httpx__line_limit(const httpx__response *r) { return r->set.max_body_size; }

/* Lines come out of r->scratch: bytes before line_used were handed out last
   time; the rest is read ahead. A lone '\r' at the end of what has arrived may
   be the first half of "\r\n", so the line waits for one more byte. */
HTTPX_API const char *httpx_read_line(httpx_response *pub, size_t *len) {
    httpx__response *r = httpx__resp(pub);
    httpx__buf *s;
    size_t i;
    bool eof = false;
    if (!r) return NULL;
    s = &r->scratch;
    if (r->line_used) {
        memmove(s->p, s->p + r->line_used, s->len - r->line_used);
        s->len -= r->line_used;
        r->line_used = 0;
    }
    for (;;) {
        long n;
        for (i = 0; i < s->len; i++) {
            if (s->p[i] == '\n' || (s->p[i] == '\r' && (i + 1 < s->len || eof))) {
                size_t skip = (s->p[i] == '\r' && i + 1 < s->len && s->p[i + 1] == '\n') ? 2 : 1;
                s->p[i] = 0;
                r->line_used = i + skip;
                if (len) *len = i;
                return s->p;
            }
        }
        if (eof) break;
        if (s->len > httpx__line_limit(r)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_TOO_LARGE, "a line longer than max_body_size (%zu bytes)", httpx__line_limit(r));
            httpx__read_fail(r, &e);
            return NULL;
        }
        if (!httpx__buf_reserve(s, 4096)) return NULL;
        n = httpx_read(pub, s->p + s->len, s->cap - s->len - 1);
        if (n < 0) return NULL;
        if (n == 0) eof = true;
        s->len += (size_t)n;
        s->p[s->len] = 0;
    }
    if (!s->len) return NULL;
    r->line_used = s->len;     /* the last line had no newline */
    if (len) *len = s->len;
    return s->p;
}

/* An unread stream is drained when the rest is small and already announced,
   so its connection can serve again; otherwise the connection is closed,
   which is cheaper than reading a large body nobody wants. */
static void httpx__stream_close(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    char sink[4096];
    httpx__err e;
    long long left = r->pub.expected_length - r->pub.num_bytes_downloaded;
    if (ex->state != HTTPX__EX_BODY || !ex->stream) return;
    memset(&e, 0, sizeof e);
    if (r->pub.expected_length >= 0 && left <= 65536 && !r->client->polling) {
        for (;;) {
            long n = r->transport->read(ex, sink, sizeof sink, &e);
            if (n > 0) continue;
            if (n == HTTPX__AGAIN) { httpx__loop_until_readable(ex); continue; }
            break;
        }
    }
}

/* The decoded views (text.c makes them; they are plain memory). */
HTTPX__PRIVATE void httpx__views_free(httpx__response *r) {
    if (!r->views) return;
    httpx__buf_free(&r->views->text_buf);
    httpx__buf_free(&r->views->stream_buf);
    httpx_json_free(r->views->json);
    httpx__free(r->views);
    r->views = NULL;
}

HTTPX_API void httpx_response_free(httpx_response *pub) {
    httpx__response *r = httpx__resp(pub);
    httpx_client *owned;
    if (!r) return;
    if (r->is_task) {
        httpx_client *c = r->client;
        /* freeing another task from inside an on_done callback breaks the loop's walk */
        HTTPX_ASSERT(!c->callback_task || c->callback_task == r);
    }
    if (r->on_free) r->on_free(r);   /* a task leaves its client's list (one still running is cancelled here) */
    if (r->transport) {
        httpx__stream_close(r);
        r->transport->cancel(&r->ex);
        if (r->transport->release) r->transport->release(r);
    }
    httpx__request_free(&r->req);
    httpx__headers_clear(&r->headers);
    httpx__buf_free(&r->url_text);
    httpx__buf_free(&r->body);
    httpx__buf_free(&r->form);
    httpx__buf_free(&r->body_copy);
    httpx__buf_free(&r->scratch);
    httpx__buf_free(&r->status_text);
    httpx__buf_free(&r->sent_body);
    httpx__views_free(r);
    httpx__digest_free(&r->auth.digest);
    httpx__body_decode_free(r);
    if (r->free_history) r->free_history(r);   /* the policy's own memory (history.c, links.c) */
    if (r->free_links) r->free_links(r);
    owned = r->owned_client;
    if (owned && r->free_owned) r->free_owned(owned);
    httpx__free(r);
}
