/* h2_proto: HTTP/2 in a connection's protocol slot. The protocol logic is
   the sans-IO session of h2_session.c; this file moves bytes between the
   connection's stream and the session, turns the request value into a
   header list, and turns session events into what the layer above expects:
   a head through the one door, body bytes when it pulls them, an end or an
   error. Many exchanges share the connection; each has a stream. Body bytes
   wait in the exchange (at most the stream's window, since the window only
   reopens as the reader takes them), so a slow reader of one stream holds
   its window while the other streams go on. */
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "h1_internal.h"
#include "h2_internal.h"
#include "net_internal.h"
#include "engine_internal.h"
#include <limits.h>

#ifdef HTTPX_NO_HTTP2

HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void) { return NULL; }

#else

/* The connection's session: its opaque protocol state. */
#define HTTPX__H2S(conn) ((httpx__h2_session *)(conn)->proto_state)

static void httpx__h2_ex_free(httpx__exchange *ex);

#define HTTPX__H2_OUT_HIGH 65536       /* queue no more request body while this much waits to go out */
#define HTTPX__H2_BODY_PIECE 16384
/* Bytes one step reads at most: a poll(c, 0) frame stays short however fast
   the server sends; the rest is read on the next pass (the connection's
   deadline says "at once", since TLS may hold bytes that poll cannot see). */
#define HTTPX__H2_STEP_READ (256 * 1024)
/* Output that makes the reader stop to send it: answers to the server's
   frames (SETTINGS and PING ACKs, WINDOW_UPDATEs) go out while it reads, so
   a peer that reads them is never taken for a flood. */
#define HTTPX__H2_OUT_FLUSH 16384

/* ---- bytes between the stream and the session ---- */

/* Sends what the session has queued. HTTPX__BAD when the connection failed. */
static int httpx__h2_flush(httpx__conn *conn, httpx__err *e) {
    for (;;) {
        size_t len;
        const char *p = httpx__h2_out(HTTPX__H2S(conn), &len);
        long n;
        if (!len) return 0;
        n = httpx__conn_send(conn, p, len, e);
        if (n == HTTPX__AGAIN) return 0;
        if (n < 0) return HTTPX__BAD;
        httpx__h2_out_done(HTTPX__H2S(conn), (size_t)n);
    }
}

static size_t httpx__h2_out_pending_len(const httpx__conn *conn) {
    size_t len;
    httpx__h2_out(HTTPX__H2S(conn), &len);
    return len;
}

static bool httpx__h2_out_pending(const httpx__conn *conn) { return httpx__h2_out_pending_len(conn) > 0; }

/* What the connection polls for: always the server's frames (PING, GOAWAY,
   answers), and room to send when output waits. */
static void httpx__h2_set_want(httpx__conn *conn) {
    conn->want = (short)(POLLIN | (httpx__h2_out_pending(conn) ? POLLOUT : 0));
}

/* ---- the request ---- */

static bool httpx__h2_hop_by_hop(const char *name, size_t n, const char *value) {
    return (n == 10 && httpx__mem_ieq(name, "connection", 10)) || (n == 10 && httpx__mem_ieq(name, "keep-alive", 10)) ||
           (n == 16 && httpx__mem_ieq(name, "proxy-connection", 16)) ||
           (n == 17 && httpx__mem_ieq(name, "transfer-encoding", 17)) || (n == 7 && httpx__mem_ieq(name, "upgrade", 7)) ||
           (n == 4 && httpx__mem_ieq(name, "host", 4)) ||
           (n == 2 && httpx__mem_ieq(name, "te", 2) && strcmp(value, "trailers") != 0);
}

/* The header list of ex's request: pseudo-headers, then the fields with
   lower-case names (their text in *text). */
static httpx_error httpx__h2_fields(httpx__exchange *ex, httpx__hpack_field *f, size_t cap, size_t *n,
                                    httpx__buf *text, httpx__err *e) {
    httpx__request *q = ex->req;
    size_t i, k = 0, target_at, authority_at, authority_end, length_at = 0, names = 0, *name_at;
    size_t name_at_inline[HTTPX__REQ_INLINE_FIELDS + 1];
    const char *host = q->has_host ? httpx_headers_get(&q->headers, "host") : NULL;
    char length[24];
    if (q->headers.count + 5 > cap) return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "too many request header fields");
    name_at = q->headers.count < HTTPX__REQ_INLINE_FIELDS ? name_at_inline
            : (size_t *)httpx__malloc((q->headers.count + 1) * sizeof *name_at);
    if (!name_at) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    target_at = text->len;
    httpx__url_write_target(text, &q->url);
    authority_at = text->len;
    if (host) httpx__buf_puts(text, host);
    else httpx__url_write_authority(text, &q->url);
    authority_end = text->len;
    for (i = 0; i < q->headers.count; i++) names += q->headers.fields[i].name_len;
    if (httpx__buf_reserve(text, names + 1)) {        /* the lower-case names, in one go */
        for (i = 0; i < q->headers.count; i++) {
            const httpx__field *h = &q->headers.fields[i];
            const char *src = q->headers.text.p + h->name;
            char *dst = text->p + text->len;
            size_t j;
            name_at[i] = text->len;
            for (j = 0; j < h->name_len; j++) {
                char c = src[j];
                dst[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            text->len += h->name_len;
        }
        text->p[text->len] = 0;
    }
    if (q->has_body && q->body_length >= 0) {
        snprintf(length, sizeof length, "%lld", q->body_length);
        length_at = text->len;
        httpx__buf_puts(text, length);
    }
    if (text->failed) {
        if (name_at != name_at_inline) httpx__free(name_at);
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    }
    /* the text stopped moving: take the pointers now */
    f[k].name = ":method"; f[k].nlen = 7; f[k].value = q->method; f[k].vlen = strlen(q->method); f[k++].index = 0;
    f[k].name = ":scheme"; f[k].nlen = 7; f[k].value = q->url.is_https ? "https" : "http";
    f[k].vlen = q->url.is_https ? 5 : 4; f[k++].index = 0;
    f[k].name = ":authority"; f[k].nlen = 10; f[k].value = text->p + authority_at;
    f[k].vlen = authority_end - authority_at; f[k++].index = 0;
    f[k].name = ":path"; f[k].nlen = 5; f[k].value = text->p + target_at; f[k].vlen = authority_at - target_at;
    f[k++].index = 0;
    for (i = 0; i < q->headers.count; i++) {
        const httpx__field *h = &q->headers.fields[i];
        const char *value = q->headers.text.p + h->value;
        if (httpx__h2_hop_by_hop(q->headers.text.p + h->name, h->name_len, value)) continue;
        f[k].name = text->p + name_at[i];
        f[k].nlen = h->name_len;
        f[k].value = value;
        f[k].vlen = h->value_len;
        f[k++].index = 0;
    }
    if (length_at) {
        f[k].name = "content-length"; f[k].nlen = 14; f[k].value = text->p + length_at;
        f[k].vlen = strlen(length); f[k++].index = 0;
    }
    if (name_at != name_at_inline) httpx__free(name_at);
    *n = k;
    return HTTPX_OK;
}

/* Whether ex still has request body to send. The response head does not
   stop it (full duplex, RFC 9113 8.1: echo and streaming servers answer
   before they read the whole body, as curl and HTTPX allow); the end of the
   response does, and a reset stream has nothing left to send (it waits for
   the wake that reports it). */
static bool httpx__h2_uploading(const httpx__exchange *ex) {
    const httpx__h2_ex *h = &ex->proto.h2;
    return !h->body_sent && !h->ended && !h->err.code && h->id &&
           (ex->state == HTTPX__EX_SENDING || ex->state == HTTPX__EX_BODY);
}

/* Queues request body bytes as the windows allow (and while little output
   waits). Errors end ex. */
static void httpx__h2_send_body(httpx__conn *conn, httpx__exchange *ex) {
    httpx__h2_ex *h = &ex->proto.h2;
    httpx__request *q = ex->req;
    httpx__err e;
    memset(&e, 0, sizeof e);
    while (httpx__h2_uploading(ex)) {
        size_t out_len;
        const char *p;
        size_t len;
        bool end;
        long n;
        httpx__h2_out(HTTPX__H2S(conn), &out_len);
        if (out_len >= HTTPX__H2_OUT_HIGH) return;          /* let the socket catch up first */
        if (q->body) {
            p = q->body + h->body_off;
            len = q->body_len - h->body_off;
            end = true;
        } else {
            if (h->stage_off == h->stage.len) {              /* the next piece of a streamed body */
                long got;
                httpx__buf_clear(&h->stage);
                h->stage_off = 0;
                if (!httpx__buf_reserve(&h->stage, HTTPX__H2_BODY_PIECE)) {
                    httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request body");
                    httpx__exchange_end(ex, &e);
                    return;
                }
                got = httpx__request_body_read(q, &h->body_off, h->stage.p, HTTPX__H2_BODY_PIECE, &e);
                if (got < 0) { httpx__exchange_end(ex, &e); return; }
                h->stage.len = (size_t)got;
                if (got == 0) {
                    n = httpx__h2_send_data(HTTPX__H2S(conn), h->id, "", 0, true, &e);
                    if (n < 0) { httpx__exchange_end(ex, &e); return; }
                    h->body_sent = true;
                    break;
                }
            }
            p = h->stage.p + h->stage_off;
            len = h->stage.len - h->stage_off;
            end = false;
        }
        n = httpx__h2_send_data(HTTPX__H2S(conn), h->id, p, len, end, &e);
        if (n < 0) { httpx__exchange_end(ex, &e); return; }
        /* the write timeout is per operation, as HTTPX's and curl's: it
           runs from the last progress, not from the start of the upload */
        if (n > 0 && ex->state == HTTPX__EX_SENDING) ex->deadline = httpx__deadline_in(ex->timeout.write);
        if (q->body) h->body_off += (size_t)n;
        else h->stage_off += (size_t)n;
        if (q->body && h->body_off == q->body_len) h->body_sent = true;
        if ((size_t)n < len) return;                          /* a window is shut: EV_WINDOW resumes */
    }
    if (h->body_sent && ex->state == HTTPX__EX_SENDING) {
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    }
}

/* ---- events ---- */

static long long httpx__h2_head_length(const httpx__h2_event *ev) {
    size_t i;
    for (i = 0; i < ev->num_fields; i++) {
        const httpx__h1_header *f = &ev->fields[i];
        if (f->name_len == 14 && !memcmp(f->name, "content-length", 14)) {
            long long v = 0;
            size_t j;
            for (j = 0; j < f->value_len; j++) {
                if (f->value[j] < '0' || f->value[j] > '9' || v > (LLONG_MAX - 9) / 10) return -1;
                v = v * 10 + (f->value[j] - '0');
            }
            return f->value_len ? v : -1;
        }
    }
    return -1;
}

/* A stream goes back to the pool queue once when its body can be made
   again and the server cannot have acted on it: it said so (REFUSED_STREAM,
   above a GOAWAY's last stream: RFC 9113 8.7, any method), or, for an
   idempotent request, the connection failed before any answer. */
static bool httpx__h2_retry(httpx__conn *conn, httpx__exchange *ex, bool retryable, bool need_idempotent) {
    if (!retryable || !httpx__exchange_may_retry(ex, need_idempotent)) return false;
    httpx__h2_ex_free(ex);
    httpx__exchange_requeue(conn, ex);
    return true;
}

static void httpx__h2_on_event(httpx__conn *conn, const httpx__h2_event *ev) {
    httpx__exchange *ex = (httpx__exchange *)ev->user;
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (ev->type == HTTPX__H2_EV_GOAWAY) return;     /* streams above its id come as retryable resets */
    /* An exchange forgets its stream when it leaves (httpx__h2_forget), so
       ev->user is live; the id check keeps a redirect's new stream (same
       exchange) from news of its old one all the same. */
    if (!ex || ex->conn != conn || ex->state == HTTPX__EX_DONE || ev->stream_id != ex->proto.h2.id) return;
    switch (ev->type) {
    case HTTPX__H2_EV_HEADERS: {
        httpx__head head;
        head.status = ev->status;
        head.version = "HTTP/2";
        head.reason = "";
        head.reason_len = 0;
        head.fields = ev->fields;
        head.nfields = ev->num_fields;
        head.expected_length = ex->req->head || ev->status == 204 || ev->status == 304 ? 0 : httpx__h2_head_length(ev);
        if (httpx__exchange_head(ex, &head, &e)) ex->proto.h2.err = e;
        ex->proto.h2.wake = true;
        break;
    }
    case HTTPX__H2_EV_DATA:
        if (!httpx__buf_append(&ex->proto.h2.in, ev->data, ev->len))
            httpx__fail(&ex->proto.h2.err, HTTPX_ERR_NOMEM, "out of memory for a response body");
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_END:
        ex->proto.h2.ended = true;
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_RESET:
        ex->proto.h2.id = 0;          /* the session dropped the stream */
        if (ev->error == HTTPX_OK && ex->state == HTTPX__EX_BODY) { ex->proto.h2.ended = true; ex->proto.h2.wake = true; break; }
        if (ex->state < HTTPX__EX_BODY && httpx__h2_retry(conn, ex, ev->retryable, false)) break;
        /* "safe to retry" in the session's words, but we did not: say why */
        httpx__fail(&ex->proto.h2.err, ev->error ? ev->error : HTTPX_ERR_REMOTE_PROTOCOL, "%s%s", ev->msg ? ev->msg : "stream reset",
                    !ev->retryable || ex->state >= HTTPX__EX_BODY ? ""
                    : ex->retried ? "; not retried: it was retried once already"
                    : "; not retried: its body was streamed and cannot be sent again");
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_WINDOW:
        httpx__h2_send_body(conn, ex);
        break;
    default:
        break;
    }
}

/* The connection failed: every exchange on it gets the error (or a retry
   when the server never saw its request). */
static void httpx__h2_fail_all(httpx__conn *conn, httpx__err *e) {
    httpx__exchange *ex;
    while ((ex = conn->active) != NULL) {
        httpx__err copy = *e;
        if (ex->state < HTTPX__EX_BODY && ex->reused && httpx__h2_retry(conn, ex, true, true)) continue;
        httpx__conn_detach(conn, ex);
        httpx__h2_ex_free(ex);
        httpx__exchange_end(ex, &copy);     /* off the connection already: end only records */
    }
    /* Exchanges still waiting for it: the connection failed while its first
       requests were being placed (its first write failed right after the
       handshake). They share the failure, as in a setup failure. */
    while ((ex = conn->waiters) != NULL) {
        httpx__err copy = *e;
        httpx__conn_detach(conn, ex);
        httpx__exchange_end(ex, &copy);
    }
    httpx__conn_close(conn);
}

/* Tells the layer above about the news of each exchange. Waking may end or
   free exchanges, so the list is walked again from the start each time. */
static void httpx__h2_wake_all(httpx__conn *conn) {
    httpx__exchange *ex;
    for (;;) {
        for (ex = conn->active; ex && !ex->proto.h2.wake; ex = ex->conn_next) {}
        if (!ex) return;
        ex->proto.h2.wake = false;
        if (ex->proto.h2.err.code) {
            httpx__err copy = ex->proto.h2.err;
            httpx__exchange_end(ex, &copy);
            continue;
        }
        ex->readable = true;
        httpx__exchange_wake(ex);
        if (conn->state == HTTPX__CONN_CLOSED) return;
    }
}

/* Reads what the stream has (up to HTTPX__H2_STEP_READ) and feeds it to the
   session, event by event. *more: it stopped with bytes perhaps left. */
static int httpx__h2_read(httpx__conn *conn, bool *more, httpx__err *e) {
    httpx__h2_event ev;
    size_t total = 0;
    for (;;) {
        long n;
        size_t done = 0;
        if (total >= HTTPX__H2_STEP_READ) { *more = true; return 0; }
        n = httpx__conn_fill(conn, e);
        if (n == HTTPX__AGAIN) return 0;
        if (n == 0) {
            httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "the server closed the HTTP/2 connection");
            return HTTPX__BAD;
        }
        if (n < 0) return HTTPX__BAD;
        total += (size_t)n;
        while (conn->in_off < conn->in.len) {
            int rc = httpx__h2_feed(HTTPX__H2S(conn), conn->in.p + conn->in_off, conn->in.len - conn->in_off, &done, e);
            conn->in_off += done;
            while (httpx__h2_next_event(HTTPX__H2S(conn), &ev)) {
                if (ev.type == HTTPX__H2_EV_ERROR) {
                    if (!e->code) httpx__fail(e, ev.error ? ev.error : HTTPX_ERR_REMOTE_PROTOCOL, "%s", ev.msg ? ev.msg : "HTTP/2 error");
                    continue;
                }
                httpx__h2_on_event(conn, &ev);
            }
            if (rc == HTTPX__BAD) return HTTPX__BAD;
            if (httpx__h2_out_pending_len(conn) >= HTTPX__H2_OUT_FLUSH && httpx__h2_flush(conn, e) == HTTPX__BAD)
                return HTTPX__BAD;
            if (!done && conn->in_off < conn->in.len) break;   /* a partial frame, kept inside */
        }
        conn->in.len = conn->in_off = 0;
    }
}

/* ---- the slot ---- */

static bool httpx__h2_can_take(const httpx__conn *conn) {
    return HTTPX__H2S(conn) && !httpx__h2_dead(HTTPX__H2S(conn)) && httpx__h2_can_open(HTTPX__H2S(conn));
}

static void httpx__h2_step(httpx__conn *conn, short revents) {
    httpx__err e;
    httpx__exchange *ex;
    bool more = false;
    memset(&e, 0, sizeof e);
    (void)revents;
    conn->deadline = 0;
    if (httpx__h2_read(conn, &more, &e) == HTTPX__BAD || httpx__h2_flush(conn, &e) == HTTPX__BAD) {
        if (HTTPX__H2S(conn) && httpx__h2_out_pending(conn)) {           /* the GOAWAY, if the socket takes it */
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            httpx__h2_flush(conn, &ignore);
        }
        httpx__h2_wake_all(conn);
        if (conn->state != HTTPX__CONN_CLOSED) httpx__h2_fail_all(conn, &e);
        return;
    }
    for (ex = conn->active; ex; ex = ex->conn_next)
        if (httpx__h2_uploading(ex)) httpx__h2_send_body(conn, ex);
    httpx__h2_wake_all(conn);
    if (conn->state == HTTPX__CONN_CLOSED) return;
    if (httpx__h2_flush(conn, &e) == HTTPX__BAD) { httpx__h2_fail_all(conn, &e); return; }
    if (!conn->active && !httpx__h2_can_open(HTTPX__H2S(conn))) { httpx__conn_close(conn); return; }  /* GOAWAY'd */
    if (more) conn->deadline = httpx__now();      /* the next pass reads on, without waiting */
    httpx__h2_set_want(conn);
}

/* An HTTP/2 request's header list as text for on_debug
   (HTTPX_DEBUG_HEADER_OUT), pseudo-headers first, as it is encoded. */
static void httpx__h2_debug_head(const httpx_client *c, const httpx__hpack_field *f, size_t n) {
    httpx__buf b;
    size_t i;
    if (!c->opts.on_debug) return;
    memset(&b, 0, sizeof b);
    for (i = 0; i < n; i++) httpx__debug_field_line(&b, f[i].name, f[i].nlen, f[i].value, f[i].vlen);
    httpx__buf_append(&b, "\r\n", 2);
    if (!b.failed) c->opts.on_debug(c->opts.debug_user_data, HTTPX_DEBUG_HEADER_OUT, b.p, b.len);
    httpx__buf_free(&b);
}

static void httpx__h2_submit_ex(httpx__conn *conn, httpx__exchange *ex) {
    httpx__hpack_field fields[HTTPX__REQ_INLINE_FIELDS + 8], *f = fields;
    char text_inline[1024];          /* the text of most request heads: no allocation */
    httpx__buf text;
    size_t n = 0, cap = sizeof fields / sizeof fields[0];
    httpx__err e;
    memset(&e, 0, sizeof e);
    memset(&text, 0, sizeof text);
    httpx__buf_init_inline(&text, text_inline, sizeof text_inline);
    memset(&ex->proto.h2, 0, sizeof ex->proto.h2);
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    ex->conn_next = conn->active;          /* order does not matter for HTTP/2 */
    conn->active = ex;
    if (ex->req->headers.count + 8 > cap) {
        cap = ex->req->headers.count + 8;
        f = (httpx__hpack_field *)httpx__malloc(cap * sizeof *f);
        if (!f) {
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
            httpx__exchange_end(ex, &e);
            return;
        }
    }
    if (!httpx__h2_fields(ex, f, cap, &n, &text, &e)) {
        httpx__h2_debug_head(ex->client, f, n);
        httpx__h2_submit(HTTPX__H2S(conn), f, n, ex->req->has_body, ex, &ex->proto.h2.id, &e);
    }
    httpx__buf_free(&text);
    if (f != fields) httpx__free(f);
    if (e.code) { httpx__exchange_end(ex, &e); return; }
    ex->proto.h2.body_sent = !ex->req->has_body;
    if (ex->proto.h2.body_sent) {
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    } else {
        httpx__h2_send_body(conn, ex);
        if (ex->state == HTTPX__EX_SENDING) httpx__exchange_wait(ex, ex->timeout.write, HTTPX_ERR_WRITE_TIMEOUT);
    }
    if (ex->state == HTTPX__EX_DONE) return;
    /* Small output waits for POLLOUT, which the same loop pass sees at once:
       the requests placed together leave in one write, and the server reads
       them in one go rather than one system call each. */
    if (httpx__h2_out_pending_len(conn) >= HTTPX__H2_OUT_FLUSH && httpx__h2_flush(conn, &e) == HTTPX__BAD) {
        httpx__h2_fail_all(conn, &e);
        return;
    }
    httpx__h2_set_want(conn);
}

static long httpx__h2_read_body(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    httpx__h2_ex *h = &ex->proto.h2;
    size_t avail = h->in.len - h->in_off;
    if (avail) {
        size_t n = avail < cap ? avail : cap;
        memcpy(buf, h->in.p + h->in_off, n);
        h->in_off += n;
        if (h->in_off == h->in.len) h->in.len = h->in_off = 0;
        httpx__h2_consumed(HTTPX__H2S(conn), h->id, n);      /* reopens the window: the server may send more */
        if (httpx__h2_out_pending(conn)) {
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            httpx__h2_flush(conn, &ignore);
            httpx__h2_set_want(conn);
        }
        return (long)n;
    }
    if (h->err.code) { *e = h->err; return HTTPX__BAD; }
    if (h->ended) return 0;
    httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    httpx__h2_set_want(conn);
    return HTTPX__AGAIN;
}

/* Whatever the session still holds of ex goes when ex goes. Body bytes it
   received and nobody read are given back to the connection window (else
   every dropped body shrinks it until the connection stalls for good); a
   stream still open either way is reset (CANCEL) and forgotten, so that no
   later frame of the server's (RST_STREAM, WINDOW_UPDATE, GOAWAY) reaches
   ex through the stream, be ex freed or serving a redirect by then. A
   stream whose response ended while its body was still blocked is such a
   stream. */
static void httpx__h2_forget(httpx__conn *conn, httpx__exchange *ex) {
    httpx__h2_ex *h = &ex->proto.h2;
    if (HTTPX__H2S(conn) && h->id) {
        httpx__h2_cancel(HTTPX__H2S(conn), h->id);       /* nothing when the session dropped it */
        if (h->in.len > h->in_off) httpx__h2_consumed(HTTPX__H2S(conn), h->id, h->in.len - h->in_off);
    }
    h->in.len = h->in_off = 0;
    h->id = 0;
}

/* Off the connection, forgotten by the session; the connection goes on for
   the other streams, or idles in the pool. */
static void httpx__h2_release(httpx__conn *conn, httpx__exchange *ex, bool reusable) {
    (void)reusable;
    httpx__h2_forget(conn, ex);
    httpx__conn_detach(conn, ex);
    httpx__h2_ex_free(ex);
    if (conn->state == HTTPX__CONN_CLOSED) return;
    if (httpx__h2_out_pending(conn)) {
        httpx__err ignore;
        memset(&ignore, 0, sizeof ignore);
        if (httpx__h2_flush(conn, &ignore) == HTTPX__BAD) {
            httpx__h2_fail_all(conn, &ignore);
            return;
        }
    }
    if (!conn->active) {
        if (httpx__h2_dead(HTTPX__H2S(conn)) || !httpx__h2_can_open(HTTPX__H2S(conn))) { httpx__conn_close(conn); return; }
        httpx__conn_idle(conn);
    }
    if (conn->state != HTTPX__CONN_CLOSED) httpx__h2_set_want(conn);
}

static void httpx__h2_cancel_ex(httpx__conn *conn, httpx__exchange *ex) { httpx__h2_release(conn, ex, false); }

/* Over TLS when the client asked for HTTP/2 (ALPN offers it), over plain
   TCP with prior knowledge only, and never to an HTTP proxy that forwards
   plain http requests (it speaks HTTP/1.1 to us). */
static bool httpx__h2_offered(const httpx__conn *conn) {
    const httpx_client_opts *o = &conn->client->opts;
    return conn->route.tls ? o->http2 : o->http2_prior_knowledge && !httpx__proxy_forwards(conn->route.proxy, false);
}

static bool httpx__h2_chosen(const httpx__conn *conn) {
    const char *alpn;
    if (!conn->route.tls) return true;
    alpn = httpx__stream_query(conn->io, HTTPX__FACT_ALPN);
    return alpn && !strcmp(alpn, "h2");
}

static httpx_error httpx__h2_start(httpx__conn *conn, httpx__err *e) {
    httpx__h2_config cfg;
    size_t max_head = conn->client->opts.max_head_size;
    memset(&cfg, 0, sizeof cfg);
    /* max_head_size bounds the head as HTTP/1.1 does, counted as HPACK
       counts a header list (name, value and 32 per field, RFC 9113 6.5.2);
       it is also what our SETTINGS_MAX_HEADER_LIST_SIZE tells the server */
    cfg.max_header_list = max_head > 0x7fffffffu ? 0x7fffffffu : (uint32_t)max_head;
    conn->proto_state = httpx__h2_new(&cfg, e);
    if (!HTTPX__H2S(conn)) return e->code ? e->code : HTTPX_ERR_NOMEM;
    if (httpx__h2_flush(conn, e) == HTTPX__BAD) return e->code;   /* the preface and our SETTINGS */
    httpx__h2_set_want(conn);
    return HTTPX_OK;
}

/* A closing connection says goodbye (GOAWAY, if the socket takes it now). */
static void httpx__h2_conn_free(httpx__conn *conn) {
    if (!HTTPX__H2S(conn)) return;
    if (conn->io && !httpx__h2_dead(HTTPX__H2S(conn))) {
        httpx__err ignore;
        memset(&ignore, 0, sizeof ignore);
        httpx__h2_goaway(HTTPX__H2S(conn));
        httpx__h2_flush(conn, &ignore);
    }
    httpx__h2_free(HTTPX__H2S(conn));
    conn->proto_state = NULL;
}

/* A connection that is going away (GOAWAY) only finishes its streams: an
   exchange waiting for it would wait for nothing, so it does not count. */
static bool httpx__h2_has_streams(const httpx__conn *conn) {
    return HTTPX__H2S(conn) && !httpx__h2_draining(HTTPX__H2S(conn)) && !httpx__h2_idle(HTTPX__H2S(conn));
}

static void httpx__h2_ex_free(httpx__exchange *ex) {
    httpx__buf_free(&ex->proto.h2.in);
    httpx__buf_free(&ex->proto.h2.stage);
    ex->proto.h2.in_off = ex->proto.h2.stage_off = 0;
}

static const httpx__proto httpx__h2_slot = {
    "HTTP/2", true, httpx__h2_offered, httpx__h2_chosen, httpx__h2_start, httpx__h2_conn_free, httpx__h2_has_streams,
    httpx__h2_can_take, httpx__h2_submit_ex, httpx__h2_step, httpx__h2_read_body, httpx__h2_cancel_ex,
    httpx__h2_release
};

HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void) { return &httpx__h2_slot; }

#endif /* HTTPX_NO_HTTP2 */
