/* h1_proto: HTTP/1.1 in a connection's protocol slot, as glue of the same
   shape as h2_proto.c: the response is read by the sans-IO session of
   h1_session.c (bytes in, events out: head, data, end), and this file moves
   bytes between the connection's stream and it, serialises the request
   value as text (small bodies in the same packet), and turns the events
   into what the layer above expects: the head through the one door, body
   bytes when it pulls them. One exchange at a time. An idle connection that
   becomes readable (the server closed it, or sent bytes nobody asked for)
   is closed: it is never handed to the next request. */
#include "internal.h"
#include "h1_internal.h"
#include "engine_internal.h"

#define HTTPX__H1_BODY_PIECE 16384     /* a piece of a streamed request body */
#define HTTPX__MAX_HEAD_FIELDS 256     /* field views on the stack; limits.max_headers above it: the heap */
#define HTTPX__INLINE_BODY 16384       /* bodies up to this ride with the head */

/* ---- bytes in ---- */

static void httpx__h1_wait(httpx__conn *conn, httpx__exchange *ex, double seconds, httpx_error which) {
    httpx__exchange_wait(ex, seconds, which);
    conn->want = conn->io->want ? conn->io->want : POLLIN;
}

/* ---- the request ---- */

/* To an HTTP proxy that forwards plain http: the request line carries the
   absolute URL ("GET http://host/path HTTP/1.1", RFC 9112 3.2.2) and the
   proxy's credentials follow it; both are written into the head as made. */
static bool httpx__h1_forward_form(httpx__buf *out, const httpx__url *u, size_t method_len, const httpx__proxy *px) {
    httpx__buf abs;
    const char *crlf = strstr(out->p, "\r\n");
    size_t line_end = crlf ? (size_t)(crlf - out->p) + 2 : out->len;
    bool ok;
    memset(&abs, 0, sizeof abs);
    ok = httpx__buf_append(&abs, out->p, method_len + 1) && httpx__buf_puts(&abs, "http://") &&
         httpx__url_write_authority(&abs, u) &&
         httpx__buf_append(&abs, out->p + method_len + 1, line_end - method_len - 1) &&
         (!px->authorization || httpx__buf_printf(&abs, "Proxy-Authorization: %s\r\n", px->authorization)) &&
         httpx__buf_append(&abs, out->p + line_end, out->len - line_end);
    if (ok) {
        httpx__buf_clear(out);
        ok = httpx__buf_append(out, abs.p, abs.len);
    }
    httpx__buf_free(&abs);
    return ok;
}

static bool httpx__h1_write_head(httpx__conn *conn, httpx__exchange *ex) {
    httpx__request *q = ex->req;
    httpx__buf *out = &conn->out;
    httpx__buf_clear(out);
    conn->out_off = 0;
    httpx__h1_write_request_head(out, q->method, &q->url, &q->headers, q->has_host, q->has_body, q->body_length);
    if (!out->failed && httpx__proxy_forwards(conn->route.proxy, conn->route.tls) &&
        !httpx__h1_forward_form(out, &q->url, strlen(q->method), conn->route.proxy))
        return false;
    HTTPX__DEBUG(ex->client, HTTPX_DEBUG_HEADER_OUT, out->p, out->len);
    ex->proto.h1.body_off = 0;
    ex->proto.h1.body_sent = !q->has_body;
    if (q->body && q->body_len <= HTTPX__INLINE_BODY) {   /* one packet for head and body */
        httpx__buf_append(out, q->body, q->body_len);
        ex->proto.h1.body_off = q->body_len;
        ex->proto.h1.body_sent = true;
    }
    return !out->failed;
}

/* Queues the next piece of a streamed body in conn->out (chunk-framed when
   the length is unknown), or marks the body sent. */
static httpx_error httpx__h1_body_piece(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__request *q = ex->req;
    bool chunked = q->body_length < 0;
    size_t room = chunked ? HTTPX__H1_CHUNK_ROOM : 0;   /* for the chunk's size line */
    long n;
    if (!httpx__buf_reserve(&conn->out, HTTPX__H1_BODY_PIECE + room + 8))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
    httpx__buf_clear(&conn->out);
    conn->out_off = 0;
    n = httpx__request_body_read(q, &ex->proto.h1.body_off, conn->out.p + room, HTTPX__H1_BODY_PIECE, e);
    if (n < 0) return e->code;
    if (n == 0) ex->proto.h1.body_sent = true;
    if (!chunked) {
        conn->out.len = (size_t)n;
        return HTTPX_OK;
    }
    conn->out_off = httpx__h1_chunk_frame(conn->out.p, (size_t)n);   /* n = 0: the last chunk */
    conn->out.len = room + (size_t)n + 2;
    conn->out.p[conn->out.len] = 0;
    return HTTPX_OK;
}

/* A reused connection that turns out to be dead before the server said a
   word is the pool's fault, not the server's: the exchange goes back to the
   pool queue once, for a new connection. Only for requests that may be sent
   twice: idempotent, with a body that can be produced again. */
static bool httpx__h1_retry(httpx__conn *conn, httpx__exchange *ex) {
    if (!ex->reused || !httpx__exchange_may_retry(ex, true)) return false;
    if (conn->in.len > conn->in_off) return false;
    httpx__exchange_requeue(conn, ex);
    httpx__conn_close(conn);
    return true;
}

/* A server may answer before the request is all sent (a 413 for a body too
   large) and close; the send then fails, but the answer is what the user
   needs to see, as curl shows it too. True when bytes of one are waiting: the
   exchange goes on to read them, and the connection will not be reused. */
static bool httpx__h1_early_response(httpx__conn *conn, httpx__exchange *ex) {
    httpx__err ignored;
    memset(&ignored, 0, sizeof ignored);
    if (conn->route.tls || httpx__conn_fill(conn, &ignored) <= 0) return false;
    conn->out.len = conn->out_off = 0;
    ex->proto.h1.body_sent = true;
    ex->proto.h1.early = true;
    return true;
}

/* Sends what is queued, then refills from the body. True when the request
   is all out; false when it waits (want/deadline set) or ended. */
static bool httpx__h1_send(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__request *q = ex->req;
    for (;;) {
        const char *p;
        size_t n;
        long sent;
        if (conn->out_off < conn->out.len) {
            p = conn->out.p + conn->out_off;
            n = conn->out.len - conn->out_off;
        } else if (q->body && ex->proto.h1.body_off < q->body_len) {
            p = q->body + ex->proto.h1.body_off;      /* large in-memory bodies go out without a copy */
            n = q->body_len - ex->proto.h1.body_off;
        } else {
            conn->out.len = conn->out_off = 0;
            if (q->body) ex->proto.h1.body_sent = true;
            if (ex->proto.h1.body_sent) return true;
            if (httpx__h1_body_piece(conn, ex, e)) { httpx__exchange_end(ex, e); return false; }
            continue;
        }
        sent = httpx__conn_send(conn, p, n, e);
        if (sent == HTTPX__BAD) {
            if (httpx__h1_retry(conn, ex)) return false;
            if (httpx__h1_early_response(conn, ex)) return true;
            httpx__exchange_end(ex, e);
            return false;
        }
        if (sent == HTTPX__AGAIN) {
            httpx__h1_wait(conn, ex, ex->timeout.write, HTTPX_ERR_WRITE_TIMEOUT);
            return false;
        }
        if (conn->out_off < conn->out.len) conn->out_off += (size_t)sent;
        else ex->proto.h1.body_off += (size_t)sent;
    }
}

/* ---- the response: the session's events ---- */

static httpx_error httpx__h1_deliver(httpx__conn *conn, httpx__exchange *ex, const httpx__h1_event *ev, httpx__err *e) {
    httpx__head up;
    if (ex->proto.h1.early) ex->proto.h1.resp.reusable = false;
    conn->want = 0;      /* the layer above asks for body bytes when it wants them */
    up.status = ev->head.status;
    up.version = ev->head.minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
    up.reason = ev->head.reason;
    up.reason_len = ev->head.reason_len;
    up.fields = ev->fields;
    up.nfields = ev->head.num_headers;
    up.expected_length = ev->expected_length;
    if (up.status == 407 && httpx__proxy_forwards(conn->route.proxy, conn->route.tls)) {
        /* the proxy, not the origin, refused: as a refused CONNECT is */
        const httpx__proxy *px = conn->route.proxy;
        return httpx__fail(e, HTTPX_ERR_PROXY, "the proxy %s:%d answered HTTP/1.%d 407 %.*s%s", px->host, px->port,
                           ev->head.minor_version, (int)(up.reason_len > 100 ? 100 : up.reason_len), up.reason,
                           px->authorization ? " (it refused the proxy URL's credentials)" : "");
    }
    return httpx__exchange_head(ex, &up, e);
}

static void httpx__h1_recv_head_into(httpx__conn *conn, httpx__exchange *ex, httpx__h1_header *hdrs, size_t max,
                                     httpx__err *e) {
    for (;;) {
        httpx__h1_event ev;
        size_t used;
        long n;
        int rc = conn->in.len == conn->in_off ? HTTPX__AGAIN
               : httpx__h1_resp_next(&ex->proto.h1.resp, conn->in.p + conn->in_off, conn->in.len - conn->in_off, 0,
                                     hdrs, max, &ev, &used, e);
        if (rc == HTTPX__BAD) { httpx__exchange_end(ex, e); return; }
        if (rc == HTTPX__H1_EV_INTERIM) { conn->in_off += used; continue; }  /* the next head may be in already */
        if (rc == HTTPX__H1_EV_HEAD) {
            /* the views point into conn->in: consume only after the door copied them */
            if (httpx__h1_deliver(conn, ex, &ev, e)) { httpx__exchange_end(ex, e); return; }
            conn->in_off += used;
            httpx__exchange_wake(ex);   /* the body may be in already */
            return;
        }
        n = httpx__conn_fill(conn, e);
        if (n == HTTPX__AGAIN) {
            /* after an interim response the deadline stays: a server that
               sends 1xx heads for ever still meets the read timeout */
            double keep = ex->proto.h1.resp.interim_bytes ? ex->deadline : 0;
            httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
            if (keep) ex->deadline = keep;
            return;
        }
        if (n <= 0) {
            if (httpx__h1_retry(conn, ex)) return;
            if (n == 0)
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, conn->in.len ?
                            "server closed the connection in the middle of the response head" :
                            "server closed the connection without sending a response");
            httpx__exchange_end(ex, e);
            return;
        }
    }
}

static void httpx__h1_recv_head(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__h1_header hdrs[HTTPX__MAX_HEAD_FIELDS], *views = hdrs, *heap = NULL;
    size_t max = (size_t)ex->client->opts.limits.max_headers;
    if (max > HTTPX__MAX_HEAD_FIELDS) {   /* a limit raised above the stack's room: views on the heap */
        heap = (httpx__h1_header *)httpx__malloc(max * sizeof *heap);
        if (!heap) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for %zu header fields", max);
            httpx__exchange_end(ex, e);
            return;
        }
        views = heap;
    }
    httpx__h1_recv_head_into(conn, ex, views, max, e);
    httpx__free(heap);
}

/* Body bytes from the session's events over what is buffered, then from the
   stream (straight into the caller's memory when the framing allows: the
   common case copies nothing). >0 bytes, 0 the body is complete,
   HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__h1_body_pull(httpx__conn *conn, httpx__h1_resp *r, char *dst, size_t cap, httpx__err *e) {
    for (;;) {
        httpx__h1_event ev;
        size_t used;
        uint64_t direct;
        long got;
        int rc = httpx__h1_resp_next(r, conn->in.p + conn->in_off, conn->in.len - conn->in_off, cap, NULL, 0,
                                     &ev, &used, e);
        if (rc == HTTPX__H1_EV_DATA) {
            memcpy(dst, ev.data, ev.len);
            conn->in_off += used;
            return (long)ev.len;
        }
        if (rc == HTTPX__H1_EV_SHRINK) { conn->in.len = conn->in_off + ev.len; continue; }
        if (rc == HTTPX__H1_EV_END) return 0;
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        direct = httpx__h1_resp_direct(r);
        if (direct) {
            got = httpx__conn_recv(conn, dst, (uint64_t)cap < direct ? cap : (size_t)direct, e);
            if (got > 0) {
                httpx__h1_resp_direct_took(r, (size_t)got);
                return got;
            }
        } else {
            got = httpx__conn_fill(conn, e);
        }
        if (got < 0) return got;
        if (got == 0) return httpx__h1_resp_eof(r, e) == HTTPX__H1_EV_END ? 0 : HTTPX__BAD;
    }
}

static long httpx__h1_read_body(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n = httpx__h1_body_pull(conn, &ex->proto.h1.resp, buf, cap, e);
    if (n == HTTPX__AGAIN) httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    return n;
}

/* ---- the slot ---- */

static bool httpx__h1_can_take(const httpx__conn *conn) { return conn->active == NULL; }

static void httpx__h1_advance(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    if (ex->state == HTTPX__EX_SENDING) {
        if (!httpx__h1_send(conn, ex, e)) return;
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        if (!conn->route.tls && !ex->proto.h1.early) {
            /* the answer cannot be there yet: wait for it instead of spending
               a recv() on EAGAIN (TLS may still have records to flush, which
               its recv does, so it goes on) */
            httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
            conn->want = POLLIN;
            return;
        }
    }
    if (ex->state == HTTPX__EX_RECV_HEAD) httpx__h1_recv_head(conn, ex, e);
}

static void httpx__h1_submit(httpx__conn *conn, httpx__exchange *ex) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    memset(&ex->proto.h1, 0, sizeof ex->proto.h1);
    httpx__h1_resp_init(&ex->proto.h1.resp, ex->req->head, !strcmp(ex->req->method, "CONNECT"),
                        ex->client->opts.max_head_size);
    conn->active = ex;
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    conn->in.len = conn->in_off = 0;
    if (!httpx__h1_write_head(conn, ex)) {
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request head");
        httpx__exchange_end(ex, &e);
        return;
    }
    httpx__h1_advance(conn, ex, &e);
}

/* An idle connection polled readable: the server closed it, or sent bytes
   nobody asked for (a late 408, garbage after a 204). Either way it cannot
   serve the next request. */
static void httpx__h1_idle_step(httpx__conn *conn) {
    char b[256];
    httpx__err e;
    long n;
    memset(&e, 0, sizeof e);
    n = httpx__conn_recv(conn, b, sizeof b, &e);
    if (n == HTTPX__AGAIN) { conn->want = POLLIN; return; }
    httpx__conn_close(conn);
}

static void httpx__h1_step(httpx__conn *conn, short revents) {
    httpx__exchange *ex = conn->active;
    httpx__err e;
    if (!ex) {
        if (revents) httpx__h1_idle_step(conn);
        return;
    }
    memset(&e, 0, sizeof e);
    if (ex->state == HTTPX__EX_BODY) {
        conn->want = 0;          /* until the reader asks again */
        ex->readable = true;
        httpx__exchange_wake(ex);
        return;
    }
    httpx__h1_advance(conn, ex, &e);
}

static void httpx__h1_release(httpx__conn *conn, httpx__exchange *ex, bool reusable) {
    reusable = reusable && ex->state == HTTPX__EX_BODY && ex->proto.h1.resp.complete && ex->proto.h1.resp.reusable &&
               conn->in_off == conn->in.len;
    httpx__conn_detach(conn, ex);
    if (reusable) httpx__conn_idle(conn);
    else httpx__conn_close(conn);
}

/* HTTP/1.1 cannot stop one exchange and keep the connection: it closes. */
static void httpx__h1_cancel(httpx__conn *conn, httpx__exchange *ex) {
    httpx__conn_detach(conn, ex);
    httpx__conn_close(conn);
}

/* Any connection may speak it, and it is what one speaks when nothing else
   was chosen: it stands last in the table. */
static bool httpx__h1_any(const httpx__conn *conn) { (void)conn; return true; }

static const httpx__proto httpx__h1_slot = {
    "HTTP/1.1", false, httpx__h1_any, httpx__h1_any, NULL, NULL, NULL, httpx__h1_can_take, httpx__h1_submit, httpx__h1_step, httpx__h1_read_body, httpx__h1_cancel,
    httpx__h1_release
};

HTTPX__PRIVATE const httpx__proto *httpx__h1_protocol(void) { return &httpx__h1_slot; }
