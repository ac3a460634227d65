/* h1_session: the receive side of an HTTP/1.1 client connection without any
   I/O, as h2_session.c is for HTTP/2 (and h11's next_event): the caller
   holds the bytes the server sent and asks for the next event over them: a
   final head (framing worked out, Content-Length parsed once), body data,
   the end of the message. Interim (1xx) responses are skipped here, within
   a bound; a CONNECT's 2xx ends the message at its head (the bytes after it
   belong to the tunnel). Private prefix: httpx__h1s_ / httpx__h1_resp_.

   The caller's buffer is the session's input; nothing is copied. Views in
   an event point into it and stay valid until the caller consumes the
   event's bytes (*used). A chunked body is decoded in place: the caller
   may move its unconsumed bytes (compaction) but must not change them. */
#include "internal.h"

HTTPX__PRIVATE void httpx__h1_resp_init(httpx__h1_resp *r, bool request_was_head, bool connect, size_t max_head) {
    memset(r, 0, sizeof *r);
    r->request_head = request_was_head;
    r->connect = connect;
    r->max_head = max_head;
}

/* The head ends at buf[end]; parses it. HEAD for a final one (consume
   `end` after handling it), INTERIM for a skipped 1xx, HTTPX__BAD. */
static int httpx__h1s_head(httpx__h1_resp *r, char *buf, size_t end, httpx__h1_header *hdrs, size_t max_headers,
                           httpx__h1_event *ev, httpx__err *e) {
    int rc;
    if (end > r->max_head) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is %zu bytes, more than max_head_size (%zu)", end, r->max_head);
        return HTTPX__BAD;
    }
    rc = httpx__h1_parse_head(buf, end, &ev->head, hdrs, max_headers, e);
    if (rc == HTTPX__FULL) httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %zu header fields (limits.max_headers)", max_headers);
    if (rc == HTTPX__AGAIN) httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head");
    if (rc < 0) return HTTPX__BAD;
    ev->fields = hdrs;
    if (ev->head.status == 101) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server switched protocols (101), which httpx.h does not support");
        return HTTPX__BAD;
    }
    if (ev->head.status < 200) {
        /* No count limit (peers have none): all the interim heads together
           may take max_head_size bytes (the caller keeps the read timeout
           running across them). */
        r->interim_bytes += end;
        if (r->interim_bytes > r->max_head) {
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "interim (1xx) responses took more than %zu bytes before the "
                        "final response (max_head_size)", r->max_head);
            return HTTPX__BAD;
        }
        return HTTPX__H1_EV_INTERIM;
    }
    if (httpx__h1_framing_of(&ev->head, hdrs, r->request_head, &r->framing, e)) return HTTPX__BAD;
    if (r->connect && ev->head.status < 300) {   /* a tunnel: what follows is not ours to parse */
        r->framing.kind = HTTPX__BODY_NONE;
        r->framing.keep_alive = false;
    }
    r->remaining = r->framing.kind == HTTPX__BODY_LENGTH ? r->framing.length : 0;
    r->reusable = r->framing.keep_alive;
    r->in_body = true;
    r->complete = r->framing.kind == HTTPX__BODY_NONE;
    ev->framing = r->framing;
    ev->expected_length = r->framing.kind == HTTPX__BODY_LENGTH ? (long long)r->framing.length
                        : r->framing.kind == HTTPX__BODY_NONE ? 0 : -1;
    return HTTPX__H1_EV_HEAD;
}

/* Looks for the end of the head in buf[0..len). */
static int httpx__h1s_find(httpx__h1_resp *r, char *buf, size_t len, httpx__h1_header *hdrs, size_t max_headers,
                           httpx__h1_event *ev, size_t *used, httpx__err *e) {
    size_t from = r->scanned > 3 ? r->scanned - 3 : 0;
    size_t end = httpx__h1_find_head_end(buf, len, from);
    int rc;
    if (!end) {
        r->scanned = len;
        if (len <= r->max_head) return HTTPX__AGAIN;
        /* a head that is broken, not just long, deserves the truer error */
        if (httpx__h1_parse_head(buf, len, &ev->head, hdrs, max_headers, e) != HTTPX__BAD)
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is larger than %zu bytes (max_head_size)", r->max_head);
        return HTTPX__BAD;
    }
    r->scanned = 0;
    rc = httpx__h1s_head(r, buf, end, hdrs, max_headers, ev, e);
    if (rc > 0) *used = end;
    return rc;
}

/* Body data from buf[0..len): a view of at most max bytes. */
static int httpx__h1s_body(httpx__h1_resp *r, char *buf, size_t len, size_t max, httpx__h1_event *ev, size_t *used,
                           httpx__err *e) {
    for (;;) {
        size_t n;
        if (r->complete) {
            if (len > r->decoded) r->reusable = false;   /* bytes nobody asked for */
            return HTTPX__H1_EV_END;
        }
        if (r->framing.kind == HTTPX__BODY_CHUNKED && !r->decoded) {
            size_t out = len;
            int rc;
            if (!len) return HTTPX__AGAIN;
            rc = httpx__chunked_decode(&r->chunked, buf, &out, e);
            if (rc < 0) return HTTPX__BAD;
            r->decoded = out;
            if (rc == 1) {
                if (r->chunked.extra) r->reusable = false;   /* bytes after the message: dropped */
                r->framing.kind = HTTPX__BODY_LENGTH;        /* deliver what was decoded, then done */
                r->remaining = out;
                r->decoded = 0;
                if (!out) r->complete = true;
            }
            if (out < len) {
                /* buf[0..out) is body now; the framing bytes after it are gone */
                ev->data = buf;
                ev->len = out;
                return HTTPX__H1_EV_SHRINK;
            }
            continue;
        }
        if (r->decoded) {
            n = r->decoded < max ? r->decoded : max;
            r->decoded -= n;
        } else {
            if (!len && r->framing.kind == HTTPX__BODY_LENGTH && !r->remaining) {   /* Content-Length: 0 */
                r->complete = true;
                return HTTPX__H1_EV_END;
            }
            if (!len) return HTTPX__AGAIN;
            n = len < max ? len : max;
            if (r->framing.kind == HTTPX__BODY_LENGTH && n > r->remaining) n = (size_t)r->remaining;
            if (r->framing.kind == HTTPX__BODY_LENGTH) {
                r->remaining -= n;
                if (!r->remaining) {
                    r->complete = true;
                    if (len > n) r->reusable = false;
                }
            }
        }
        ev->data = buf;
        ev->len = n;
        *used = n;
        return HTTPX__H1_EV_DATA;
    }
}

HTTPX__PRIVATE int httpx__h1_resp_next(httpx__h1_resp *r, char *buf, size_t len, size_t max, httpx__h1_header *hdrs,
                                       size_t max_headers, httpx__h1_event *ev, size_t *used, httpx__err *e) {
    *used = 0;
    if (!r->in_body) return httpx__h1s_find(r, buf, len, hdrs, max_headers, ev, used, e);
    return httpx__h1s_body(r, buf, len, max, ev, used, e);
}

HTTPX__PRIVATE uint64_t httpx__h1_resp_direct(const httpx__h1_resp *r) {
    if (!r->in_body || r->complete || r->decoded) return 0;
    if (r->framing.kind == HTTPX__BODY_LENGTH) return r->remaining;
    return r->framing.kind == HTTPX__BODY_CLOSE ? UINT64_MAX : 0;
}

HTTPX__PRIVATE void httpx__h1_resp_direct_took(httpx__h1_resp *r, size_t n) {
    if (r->framing.kind != HTTPX__BODY_LENGTH) return;
    HTTPX_ASSERT(n <= r->remaining);
    r->remaining -= n;
    if (!r->remaining) r->complete = true;
}

HTTPX__PRIVATE int httpx__h1_resp_eof(httpx__h1_resp *r, httpx__err *e) {
    if (!r->in_body) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of the response head");
        return HTTPX__BAD;
    }
    if (r->complete) return HTTPX__H1_EV_END;
    if (r->framing.kind == HTTPX__BODY_CLOSE) {
        r->complete = true;
        r->reusable = false;
        return HTTPX__H1_EV_END;
    }
    if (r->framing.kind == HTTPX__BODY_LENGTH)
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection with %llu of %llu body bytes still to come",
                    (unsigned long long)r->remaining, (unsigned long long)r->framing.length);
    else
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of a chunked body");
    return HTTPX__BAD;
}

/* ---- the send side: the request head and the body's chunk framing ---- */

HTTPX__PRIVATE bool httpx__h1_write_request_head(httpx__buf *out, const char *method, const httpx__url *u,
                                                 const httpx_headers *h, bool has_host, bool has_body,
                                                 long long body_length) {
    size_t i, need;
    httpx__buf_reserve(out, 512);
    httpx__buf_puts(out, method);
    httpx__buf_putc(out, ' ');
    httpx__url_write_target(out, u);
    httpx__buf_puts(out, " HTTP/1.1\r\n");
    if (!has_host) {
        httpx__buf_puts(out, "Host: ");
        httpx__url_write_authority(out, u);
        httpx__buf_append(out, "\r\n", 2);
    }
    for (i = 0, need = 0; i < h->count; i++) need += h->fields[i].name_len + h->fields[i].value_len + 4;
    if (httpx__buf_reserve(out, need)) {   /* one reservation, then plain copies: the hot path */
        char *w = out->p + out->len;
        for (i = 0; i < h->count; i++) {
            const httpx__field *f = &h->fields[i];
            memcpy(w, h->text.p + f->name, f->name_len);
            w += f->name_len;
            *w++ = ':';
            *w++ = ' ';
            memcpy(w, h->text.p + f->value, f->value_len);
            w += f->value_len;
            *w++ = '\r';
            *w++ = '\n';
        }
        out->len += need;
        out->p[out->len] = 0;
    }
    if (has_body && body_length < 0) httpx__buf_puts(out, "Transfer-Encoding: chunked\r\n");
    else if (has_body) httpx__buf_printf(out, "Content-Length: %lld\r\n", body_length);
    else if (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH"))
        httpx__buf_puts(out, "Content-Length: 0\r\n");   /* some servers want a length for these */
    httpx__buf_append(out, "\r\n", 2);
    return !out->failed;
}

HTTPX__PRIVATE size_t httpx__h1_chunk_frame(char *buf, size_t n) {
    char line[HTTPX__H1_CHUNK_ROOM];
    int ll = snprintf(line, sizeof line, "%lx\r\n", (unsigned long)n);
    HTTPX_ASSERT(ll > 0 && (size_t)ll <= HTTPX__H1_CHUNK_ROOM);
    memcpy(buf + HTTPX__H1_CHUNK_ROOM - (size_t)ll, line, (size_t)ll);
    memcpy(buf + HTTPX__H1_CHUNK_ROOM + n, "\r\n", 2);
    return HTTPX__H1_CHUNK_ROOM - (size_t)ll;
}
