/* h1_proto: HTTP/1.1 in a connection's protocol slot. One exchange at a
   time: it serialises the request value as text, sends it (small bodies in
   the same packet), parses the head with the pure parser in h1.c, hands it
   to the response through the one door, and gives body bytes per the
   framing when the layer above pulls them. An idle connection that becomes
   readable (the server closed it, or sent bytes nobody asked for) is closed:
   it is never handed to the next request. */
#include "internal.h"
#include <poll.h>

#define HTTPX__RECV_CHUNK 16384
#define HTTPX__MAX_HEAD_FIELDS 256     /* field views on the stack; limits.max_headers above it: the heap */
#define HTTPX__INLINE_BODY 16384       /* bodies up to this ride with the head */

/* ---- bytes in ---- */

/* Receives into conn->in: >0 bytes, 0 closed, HTTPX__AGAIN, HTTPX__BAD. The
   unconsumed tail moves to the front first when the buffer would have to
   grow, so a stream of small messages (1xx floods) cannot grow it. */
static long httpx__h1_fill(httpx__conn *conn, httpx__err *e) {
    long n;
    if (conn->in_off == conn->in.len) {
        conn->in.len = conn->in_off = 0;
    } else if (conn->in_off && conn->in.cap - conn->in.len < HTTPX__RECV_CHUNK + 1) {
        memmove(conn->in.p, conn->in.p + conn->in_off, conn->in.len - conn->in_off);
        conn->in.len -= conn->in_off;
        conn->in_off = 0;
    }
    if (!httpx__buf_reserve(&conn->in, HTTPX__RECV_CHUNK)) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the receive buffer");
        return HTTPX__BAD;
    }
    n = httpx__conn_recv(conn, conn->in.p + conn->in.len, conn->in.cap - conn->in.len - 1, e);
    if (n > 0) conn->in.len += (size_t)n;
    return n;
}

static void httpx__h1_wait(httpx__conn *conn, httpx__exchange *ex, double seconds, httpx_error which) {
    ex->deadline = httpx__deadline_in(seconds);
    ex->timeout_error = which;
    conn->want = conn->io->want ? conn->io->want : POLLIN;
}

/* ---- the request ---- */

static bool httpx__h1_write_head(httpx__conn *conn, httpx__exchange *ex) {
    httpx__request *q = ex->req;
    httpx__buf *out = &conn->out;
    size_t i, need;
    httpx__buf_clear(out);
    conn->out_off = 0;
    httpx__buf_reserve(out, 512);
    httpx__buf_puts(out, q->method);
    httpx__buf_putc(out, ' ');
    httpx__url_write_target(out, &q->url);
    httpx__buf_puts(out, " HTTP/1.1\r\n");
    if (!q->has_host) {
        httpx__buf_puts(out, "Host: ");
        httpx__url_write_authority(out, &q->url);
        httpx__buf_append(out, "\r\n", 2);
    }
    for (i = 0, need = 0; i < q->headers.count; i++)
        need += q->headers.fields[i].name_len + q->headers.fields[i].value_len + 4;
    if (httpx__buf_reserve(out, need)) {   /* one reservation, then plain copies: the hot path */
        char *w = out->p + out->len;
        for (i = 0; i < q->headers.count; i++) {
            const httpx__field *f = &q->headers.fields[i];
            memcpy(w, q->headers.text.p + f->name, f->name_len);
            w += f->name_len;
            *w++ = ':';
            *w++ = ' ';
            memcpy(w, q->headers.text.p + f->value, f->value_len);
            w += f->value_len;
            *w++ = '\r';
            *w++ = '\n';
        }
        out->len += need;
        out->p[out->len] = 0;
    }
    if (q->has_body && q->body_length < 0) httpx__buf_puts(out, "Transfer-Encoding: chunked\r\n");
    else if (q->has_body) httpx__buf_printf(out, "Content-Length: %lld\r\n", q->body_length);
    else if (!strcmp(q->method, "POST") || !strcmp(q->method, "PUT") || !strcmp(q->method, "PATCH"))
        httpx__buf_puts(out, "Content-Length: 0\r\n");
    httpx__buf_append(out, "\r\n", 2);
    HTTPX__DEBUG(ex->client, HTTPX_DEBUG_HEADER_OUT, out->p, out->len);
    ex->h1.body_off = 0;
    ex->h1.body_sent = !q->has_body;
    if (q->body && q->body_len <= HTTPX__INLINE_BODY) {   /* one packet for head and body */
        httpx__buf_append(out, q->body, q->body_len);
        ex->h1.body_off = q->body_len;
        ex->h1.body_sent = true;
    }
    return !out->failed;
}

/* Queues the next piece of a streamed body in conn->out (chunk-framed when
   the length is unknown), or marks the body sent. */
static httpx_error httpx__h1_body_piece(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__request *q = ex->req;
    bool chunked = q->body_length < 0;
    size_t hdr = chunked ? 12 : 0;     /* room for "XXXXXXXX\r\n" before the data */
    long n;
    if (!httpx__buf_reserve(&conn->out, HTTPX__RECV_CHUNK + hdr + 8))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
    httpx__buf_clear(&conn->out);
    conn->out_off = 0;
    n = httpx__request_body_read(q, &ex->h1.body_off, conn->out.p + hdr, HTTPX__RECV_CHUNK, e);
    if (n < 0) return e->code;
    if (!chunked) {
        conn->out.len = (size_t)n;
        if (n == 0) ex->h1.body_sent = true;
        return HTTPX_OK;
    }
    if (n == 0) {
        ex->h1.body_sent = true;
        return httpx__buf_puts(&conn->out, "0\r\n\r\n") ? HTTPX_OK : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    }
    {   /* frame the piece in place: size line before, CRLF after */
        char line[12];
        int ll = snprintf(line, sizeof line, "%lx\r\n", (unsigned long)n);
        memcpy(conn->out.p + hdr - (size_t)ll, line, (size_t)ll);
        conn->out.len = hdr + (size_t)n;
        conn->out_off = hdr - (size_t)ll;
        if (!httpx__buf_append(&conn->out, "\r\n", 2)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    }
    return HTTPX_OK;
}

/* A reused connection that turns out to be dead before the server said a
   word is the pool's fault, not the server's: the exchange goes back to the
   pool queue once, for a new connection. Only for requests that may be sent
   twice: idempotent, with a body that can be produced again. */
static bool httpx__h1_retry(httpx__conn *conn, httpx__exchange *ex) {
    if (!ex->reused || ex->retried || !ex->req->replayable || !ex->req->idempotent) return false;
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
    if (conn->is_tls || httpx__h1_fill(conn, &ignored) <= 0) return false;
    conn->out.len = conn->out_off = 0;
    ex->h1.body_sent = true;
    ex->h1.early = true;
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
        } else if (q->body && ex->h1.body_off < q->body_len) {
            p = q->body + ex->h1.body_off;      /* large in-memory bodies go out without a copy */
            n = q->body_len - ex->h1.body_off;
        } else {
            conn->out.len = conn->out_off = 0;
            if (q->body) ex->h1.body_sent = true;
            if (ex->h1.body_sent) return true;
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
        else ex->h1.body_off += (size_t)sent;
    }
}

/* ---- the response head ---- */

static httpx_error httpx__h1_deliver(httpx__conn *conn, httpx__exchange *ex, const httpx__h1_head *head,
                                     const httpx__h1_header *hdrs, httpx__err *e) {
    httpx__h1_ex *h = &ex->h1;
    long long expected;
    httpx_error err = httpx__h1_framing_of(head, hdrs, ex->req->head, &h->framing, e);
    if (err) return err;
    if (head->status == 101)
        return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server switched protocols (101), which httpx.h does not support");
    h->remaining = h->framing.kind == HTTPX__BODY_LENGTH ? h->framing.length : 0;
    memset(&h->chunked, 0, sizeof h->chunked);
    h->decoded = 0;
    h->body_complete = h->framing.kind == HTTPX__BODY_NONE;
    h->reusable = h->framing.keep_alive && !h->early;
    expected = h->framing.kind == HTTPX__BODY_LENGTH ? (long long)h->framing.length
             : h->framing.kind == HTTPX__BODY_NONE ? 0 : -1;
    ex->state = HTTPX__EX_BODY;
    ex->deadline = 0;
    conn->want = 0;      /* the layer above asks for body bytes when it wants them */
    return httpx__exchange_head(ex, head->status, head->minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1",
                                head->reason, head->reason_len, hdrs, head->num_headers, expected, e);
}

/* Parses a complete head into hdrs (HTTPX__MAX_HEAD_FIELDS views), or into
   *heap (allocated here, the caller frees it) when limits.max_headers allows
   more fields than that and the head has them. */
static int httpx__h1_parse_fields(const httpx__exchange *ex, const char *p, size_t end, httpx__h1_head *head,
                                  httpx__h1_header *hdrs, httpx__h1_header **heap, httpx__err *e) {
    size_t max = (size_t)ex->client->opts.limits.max_headers;
    int rc = httpx__h1_parse_head(p, end, head, hdrs, max < HTTPX__MAX_HEAD_FIELDS ? max : HTTPX__MAX_HEAD_FIELDS, e);
    if (rc == HTTPX__FULL && max > HTTPX__MAX_HEAD_FIELDS) {
        memset(e, 0, sizeof *e);
        *heap = (httpx__h1_header *)httpx__malloc(max * sizeof **heap);
        if (!*heap) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for %zu header fields", max), HTTPX__BAD;
        rc = httpx__h1_parse_head(p, end, head, *heap, max, e);
    }
    if (rc == HTTPX__FULL)
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %zu header fields (limits.max_headers)", max);
    if (rc == HTTPX__AGAIN) httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head");
    return rc < 0 ? HTTPX__BAD : rc;
}

/* Parses the head once it is all in. Returns 1 when a head was taken (a
   final one: the exchange is in BODY; or an interim one, skipped), 0 to
   wait for more bytes, HTTPX__BAD when the exchange ended. */
static int httpx__h1_parse(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__h1_header hdrs[HTTPX__MAX_HEAD_FIELDS], *heap = NULL;
    httpx__h1_head head;
    const char *p = conn->in.p + conn->in_off;
    size_t avail = conn->in.len - conn->in_off, from = ex->h1.scanned > 3 ? ex->h1.scanned - 3 : 0, end;
    size_t max_head = ex->client->opts.max_head_size;
    int rc;
    end = httpx__h1_find_head_end(p, avail, from);
    if (!end) {
        ex->h1.scanned = avail;
        if (avail <= max_head) return 0;
        /* a head that is broken, not just long, deserves the truer error */
        if (httpx__h1_parse_head(p, avail, &head, hdrs, HTTPX__MAX_HEAD_FIELDS, e) != HTTPX__BAD)
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is larger than %zu bytes (max_head_size)", max_head);
        return HTTPX__BAD;
    }
    ex->h1.scanned = 0;
    if (end > max_head) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is %zu bytes, more than max_head_size (%zu)", end, max_head);
        return HTTPX__BAD;
    }
    rc = httpx__h1_parse_fields(ex, p, end, &head, hdrs, &heap, e);
    if (rc < 0) {
        httpx__free(heap);
        return HTTPX__BAD;
    }
    if (head.status >= 100 && head.status < 200 && head.status != 101) {   /* interim: skip */
        httpx__free(heap);
        /* No count limit (peers have none): all the interim heads together
           may take max_head_size bytes, and they do not extend the read
           timeout (see httpx__h1_recv_head). */
        conn->in_off += end;
        ex->h1.interim_bytes += end;
        if (ex->h1.interim_bytes > max_head) {
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "interim (1xx) responses took more than %zu bytes before the "
                        "final response (max_head_size)", max_head);
            return HTTPX__BAD;
        }
        return 1;
    }
    /* the views point into conn->in: consume only after the door copied them */
    rc = httpx__h1_deliver(conn, ex, &head, heap ? heap : hdrs, e) ? HTTPX__BAD : 1;
    httpx__free(heap);
    if (rc == 1) conn->in_off += end;
    return rc;
}

static void httpx__h1_recv_head(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    for (;;) {
        long n;
        if (conn->in.len > conn->in_off) {
            int rc = httpx__h1_parse(conn, ex, e);
            if (rc == HTTPX__BAD) { httpx__exchange_end(ex, e); return; }
            if (rc == 1 && ex->state != HTTPX__EX_RECV_HEAD) {
                httpx__exchange_wake(ex);   /* the body may be in already */
                return;
            }
            if (rc == 1) continue;   /* an interim response was skipped: the next head may be in already */
        }
        n = httpx__h1_fill(conn, e);
        if (n == HTTPX__AGAIN) {
            /* after an interim response the deadline stays: a server that
               sends 1xx heads for ever still meets the read timeout */
            double keep = ex->h1.interim_bytes ? ex->deadline : 0;
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

/* ---- the response body ---- */

/* Delivers body bytes per the framing, from what is buffered, then from the
   stream. >0 bytes, 0 the body is complete, HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__h1_body_pull(httpx__conn *conn, httpx__h1_ex *h, char *dst, size_t cap, httpx__err *e) {
    for (;;) {
        size_t buffered = conn->in.len - conn->in_off, n;
        long got;
        if (h->body_complete) return 0;
        if (h->framing.kind == HTTPX__BODY_CHUNKED) {
            if (h->decoded) {
                n = h->decoded < cap ? h->decoded : cap;
                memcpy(dst, conn->in.p + conn->in_off, n);
                conn->in_off += n;
                h->decoded -= n;
                return (long)n;
            }
            if (buffered) {
                size_t len = buffered;
                int rc = httpx__chunked_decode(&h->chunked, conn->in.p + conn->in_off, &len, e);
                if (rc < 0) return HTTPX__BAD;
                conn->in.len = conn->in_off + len;
                h->decoded = len;
                if (rc == 1) {
                    if (h->chunked.extra) h->reusable = false;   /* bytes nobody asked for */
                    if (!len) { h->body_complete = true; return 0; }
                    h->framing.kind = HTTPX__BODY_LENGTH;  /* deliver the rest, then done */
                    h->remaining = len;
                    h->decoded = 0;
                }
                continue;
            }
        } else if (buffered) {
            n = buffered < cap ? buffered : cap;
            if (h->framing.kind == HTTPX__BODY_LENGTH && n > h->remaining) n = (size_t)h->remaining;
            memcpy(dst, conn->in.p + conn->in_off, n);
            conn->in_off += n;
            if (h->framing.kind == HTTPX__BODY_LENGTH) {
                h->remaining -= n;
                if (!h->remaining) {
                    h->body_complete = true;
                    if (conn->in_off < conn->in.len) h->reusable = false;
                }
            }
            return (long)n;
        } else if (h->framing.kind == HTTPX__BODY_LENGTH && !h->remaining) {
            h->body_complete = true;
            return 0;
        }
        if (h->framing.kind == HTTPX__BODY_CHUNKED) {
            got = httpx__h1_fill(conn, e);
        } else {
            /* straight into the caller's memory: the common case copies nothing */
            n = cap;
            if (h->framing.kind == HTTPX__BODY_LENGTH && n > h->remaining) n = (size_t)h->remaining;
            got = httpx__conn_recv(conn, dst, n, e);
            if (got > 0 && h->framing.kind == HTTPX__BODY_LENGTH) {
                h->remaining -= (uint64_t)got;
                if (!h->remaining) h->body_complete = true;
            }
            if (got > 0) return got;
        }
        if (got < 0) return got;
        if (got == 0) {
            if (h->framing.kind == HTTPX__BODY_CLOSE) { h->body_complete = true; h->reusable = false; return 0; }
            if (h->framing.kind == HTTPX__BODY_LENGTH)
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL,
                            "server closed the connection with %llu of %llu body bytes still to come",
                            (unsigned long long)h->remaining, (unsigned long long)h->framing.length);
            else
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of a chunked body");
            return HTTPX__BAD;
        }
    }
}

static long httpx__h1_read_body(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n = httpx__h1_body_pull(conn, &ex->h1, buf, cap, e);
    if (n == HTTPX__AGAIN) httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    return n;
}

/* ---- the slot ---- */

static bool httpx__h1_can_take(const httpx__conn *conn) { return conn->active == NULL; }

static void httpx__h1_advance(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    if (ex->state == HTTPX__EX_SENDING) {
        if (!httpx__h1_send(conn, ex, e)) return;
        ex->state = HTTPX__EX_RECV_HEAD;
        ex->h1.scanned = 0;
        if (!conn->is_tls && !ex->h1.early) {
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
    memset(&ex->h1, 0, sizeof ex->h1);
    conn->active = ex;
    ex->conn = conn;
    ex->state = HTTPX__EX_SENDING;
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
    reusable = reusable && ex->state == HTTPX__EX_BODY && ex->h1.body_complete && ex->h1.reusable &&
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

static const httpx__proto httpx__h1_slot = {
    "HTTP/1.1", httpx__h1_can_take, httpx__h1_submit, httpx__h1_step, httpx__h1_read_body, httpx__h1_cancel,
    httpx__h1_release
};

HTTPX__PRIVATE const httpx__proto *httpx__h1_protocol(void) { return &httpx__h1_slot; }
