/* conn: HTTP/1.1 connections, the per-client pool, and the exchange state
   machine (queued -> connecting -> sending -> head -> body -> done). Every
   function here returns without waiting: httpx__exchange_step does what the
   socket allows and leaves `want` and `deadline` for the poll loop above. */
#include "internal.h"
#include <errno.h>
#include <poll.h>

#define HTTPX__RECV_CHUNK 16384
#define HTTPX__MAX_HEAD_FIELDS 256

/* ---- the pool ---- */

static void httpx__origin_key(const httpx__url *u, char *out, size_t cap) {
    size_t i, n = 0;
    n += (size_t)snprintf(out, cap, "%s://", u->is_https ? "https" : "http");
    for (i = 0; i < u->host.n && n + 1 < cap; i++) out[n++] = (char)httpx__lower((unsigned char)u->host.p[i]);
    out[n < cap ? n : cap - 1] = 0;
    if (n < cap) snprintf(out + n, cap - n, ":%d", u->port);
}

HTTPX__PRIVATE void httpx__conn_close(httpx_client *c, httpx__conn *conn) {
    httpx__conn **pp;
    for (pp = &c->conns; *pp; pp = &(*pp)->next)
        if (*pp == conn) { *pp = conn->next; break; }
    c->num_conns--;
    if (conn->dns) httpx__dns_free(conn->dns);
    if (conn->io) httpx__stream_free(conn->io);
    else httpx__sock_close(conn->fd);
    httpx__buf_free(&conn->in);
    httpx__buf_free(&conn->out);
    httpx__free(conn);
}

/* A pooled connection is usable when it is fresh enough and the server has
   not closed it meanwhile: an idle HTTP/1.1 connection that polls readable has
   either hit EOF or carries bytes nobody asked for (a late "408"); both mean
   discard it. That poll costs a syscall per request, so a request that can be
   retried safely (`replayable`) skips it on a connection idle for under a
   second: a close is then caught by the retry, and no server sends unasked
   bytes that soon (idle timeouts are seconds). */
static bool httpx__conn_alive(httpx_client *c, httpx__conn *conn, double now, bool replayable) {
    struct pollfd p;
    double idle = now - conn->idle_since;
    if (idle > c->opts.limits.keepalive_expiry) return false;
    if (replayable && idle < 1.0) return true;
    p.fd = conn->fd;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, 0) == 0;
}

HTTPX__PRIVATE httpx__conn *httpx__pool_take(httpx_client *c, const char *origin, bool replayable) {
    httpx__conn *conn = c->conns, *next;
    double now = httpx__now();
    for (; conn; conn = next) {
        next = conn->next;
        if (conn->state != HTTPX__CONN_IDLE || strcmp(conn->origin, origin) != 0) continue;
        if (!httpx__conn_alive(c, conn, now, replayable)) { httpx__conn_close(c, conn); continue; }
        conn->state = HTTPX__CONN_BUSY;
        return conn;
    }
    return NULL;
}

static int httpx__pool_idle_count(httpx_client *c) {
    int n = 0;
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next) n += conn->state == HTTPX__CONN_IDLE;
    return n;
}

HTTPX__PRIVATE void httpx__pool_put(httpx_client *c, httpx__conn *conn, bool reusable) {
    if (!reusable || httpx__pool_idle_count(c) >= c->opts.limits.max_keepalive_connections) {
        httpx__conn_close(c, conn);
        return;
    }
    conn->state = HTTPX__CONN_IDLE;
    conn->idle_since = httpx__now();
    conn->in.len = conn->in_off = 0;    /* keep the buffers: a warm request allocates nothing here */
    conn->out.len = conn->out_off = 0;
}

/* ---- bytes in and out, plain or through TLS ---- */

/* Both leave in conn->want the poll event to wait for when they would block:
   TLS may need to write in order to read, and the other way round. */
static long httpx__conn_send(httpx__conn *conn, const void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_send(conn->io, p, n, e);
    conn->want = conn->io->want;
    return r == HTTPX__AGAIN ? 0 : r;
}

static long httpx__conn_recv(httpx__conn *conn, void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_recv(conn->io, p, n, e);
    conn->want = conn->io->want;
    return r;
}

/* ---- connecting ---- */

static double httpx__deadline(double seconds) { return seconds < 0 ? 0 : httpx__now() + seconds; }

static void httpx__wait(httpx__exchange *ex, short events, double seconds, httpx_error which) {
    ex->want = events;
    ex->deadline = httpx__deadline(seconds);
    ex->timeout_error = which;
}

/* Spreads what is left of the connect timeout over the addresses left, so that
   one dead address of a name cannot eat the whole budget. */
static double httpx__attempt_budget(httpx__exchange *ex, double connect_deadline) {
    httpx__conn *conn = ex->conn;
    int left = conn->addrs.count - conn->addr_index;
    if (ex->timeout.connect < 0) return -1;
    return (connect_deadline - httpx__now()) / (left > 0 ? left : 1);
}

/* Starts connecting to conn->addrs[addr_index] or a later address. */
static httpx_error httpx__connect_next(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    double budget;
    for (; conn->addr_index < conn->addrs.count; conn->addr_index++) {
        conn->fd = httpx__connect_start(&conn->addrs, conn->addr_index, e);
        if (conn->fd >= 0) {
            budget = httpx__attempt_budget(ex, conn->attempt_deadline);
            httpx__wait(ex, POLLOUT, budget, HTTPX_ERR_CONNECT_TIMEOUT);
            return HTTPX_OK;
        }
    }
    return e->code ? e->code : httpx__fail(e, HTTPX_ERR_CONNECT, "no address to connect to");
}

/* Makes a connection for ex and starts resolving its host; connecting
   follows in httpx__step_resolving. The connect timeout covers both. */
HTTPX__PRIVATE httpx_error httpx__conn_new(httpx_client *c, httpx__exchange *ex, httpx__err *e) {
    char host[256];
    httpx__conn *conn;
    if (ex->url.host.n >= sizeof host) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "host name too long");
    memcpy(host, ex->url.host.p, ex->url.host.n);
    host[ex->url.host.n] = 0;
    conn = (httpx__conn *)httpx__malloc(sizeof *conn);
    if (!conn) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
    memset(conn, 0, sizeof *conn);
    conn->fd = -1;
    conn->state = HTTPX__CONN_CONNECTING;
    httpx__origin_key(&ex->url, conn->origin, sizeof conn->origin);
    conn->next = c->conns;
    c->conns = conn;
    c->num_conns++;
    ex->conn = conn;
    conn->attempt_deadline = httpx__now() + (ex->timeout.connect < 0 ? 0 : ex->timeout.connect);
    conn->dns = httpx__dns_start(&c->dns, host, ex->url.port, e);
    if (!conn->dns) {
        httpx__conn_close(c, conn);
        ex->conn = NULL;
        return e->code ? e->code : HTTPX_ERR_CONNECT;
    }
    return HTTPX_OK;
}

static void httpx__step_resolving(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    double now = httpx__now(), dl;
    int rc = httpx__dns_step(conn->dns, &conn->addrs, e);
    if (rc < 0) { httpx__exchange_fail(ex, e); return; }
    if (rc == 0) {
        if (ex->timeout.connect >= 0 && now >= conn->attempt_deadline) {
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: still resolving '%.*s'",
                        ex->timeout.connect, (int)ex->url.host.n, ex->url.host.p);
            httpx__exchange_fail(ex, e);
            return;
        }
        dl = httpx__dns_deadline(conn->dns);
        if (ex->timeout.connect >= 0 && (!dl || conn->attempt_deadline < dl)) dl = conn->attempt_deadline;
        ex->want = httpx__dns_fd(conn->dns) >= 0 ? httpx__dns_events(conn->dns) : 0;
        ex->deadline = dl;
        ex->timeout_error = HTTPX_ERR_CONNECT_TIMEOUT;
        return;
    }
    httpx__dns_free(conn->dns);
    conn->dns = NULL;
    if (httpx__connect_next(ex, e)) { httpx__exchange_fail(ex, e); return; }
    ex->state = HTTPX__EX_CONNECTING;
}

HTTPX__PRIVATE int httpx__exchange_fd(const httpx__exchange *ex) {
    if (!ex->conn) return -1;
    if (ex->state == HTTPX__EX_RESOLVING) return ex->conn->dns ? httpx__dns_fd(ex->conn->dns) : -1;
    return ex->conn->fd;
}

HTTPX__PRIVATE bool httpx__exchange_steps_on_deadline(const httpx__exchange *ex) {
    return ex->state == HTTPX__EX_CONNECTING || ex->state == HTTPX__EX_RESOLVING;
}

/* ---- the exchange ---- */

static bool httpx__idempotent(const char *m) {
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
           !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
}

HTTPX__PRIVATE void httpx__exchange_release(httpx__exchange *ex, bool reusable) {
    if (!ex->conn) return;
    httpx__pool_put(ex->client, ex->conn, reusable);
    ex->conn = NULL;
}

HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e) {
    httpx__response *r = ex->resp;
    if (r->pub.error) return;   /* the first failure is the one the user needs to see */
    r->pub.error = e->code ? e->code : HTTPX_ERR_READ;
    r->pub.sys_errno = e->code == HTTPX_ERR_TLS ? 0 : e->sys_errno;
    r->pub.tls_error = e->code == HTTPX_ERR_TLS ? e->sys_errno : 0;
    memcpy(r->errmsg, e->msg, sizeof r->errmsg);
    r->errmsg[sizeof r->errmsg - 1] = 0;
    r->pub.error_message = r->errmsg;
    httpx__exchange_release(ex, false);
    ex->state = HTTPX__EX_DONE;
    ex->want = 0;
}

/* Whether the request may be sent again on a new connection if its pooled
   one turns out dead: idempotent, and its body can be produced again. */
static bool httpx__replayable(const httpx__exchange *ex) {
    return !ex->multipart && !ex->upload && httpx__idempotent(ex->method);
}

/* A reused connection that turns out to be dead before the server said a word
   is the pool's fault, not the server's: try once more on a new connection. */
static bool httpx__exchange_retry(httpx__exchange *ex) {
    if (!ex->reused || ex->retried || !httpx__replayable(ex)) return false;
    if (ex->conn && ex->conn->in.len > 0) return false;
    httpx__exchange_release(ex, false);
    ex->retried = true;
    ex->reused = false;
    ex->body_off = 0;
    ex->body_done = false;
    ex->state = HTTPX__EX_QUEUED;
    return true;
}

static void httpx__step_queued(httpx__exchange *ex, httpx__err *e) {
    httpx_client *c = ex->client;
    char origin[sizeof ex->conn->origin];
    httpx__origin_key(&ex->url, origin, sizeof origin);
    ex->conn = httpx__pool_take(c, origin, httpx__replayable(ex) && !ex->retried);
    if (ex->conn) {
        ex->reused = true;
    } else {
        if (c->num_conns >= c->opts.limits.max_connections) {
            /* make room by closing an idle connection to another origin */
            httpx__conn *conn;
            for (conn = c->conns; conn; conn = conn->next)
                if (conn->state == HTTPX__CONN_IDLE) { httpx__conn_close(c, conn); break; }
        }
        if (c->num_conns >= c->opts.limits.max_connections) {
            if (!(ex->deadline && ex->timeout_error == HTTPX_ERR_POOL_TIMEOUT))  /* the wait began earlier */
                httpx__wait(ex, 0, ex->timeout.pool, HTTPX_ERR_POOL_TIMEOUT);
            ex->want = 0;
            return;
        }
        ex->deadline = 0;
        if (httpx__conn_new(c, ex, e)) { httpx__exchange_fail(ex, e); return; }
        ex->state = HTTPX__EX_RESOLVING;
        return;
    }
    ex->conn->state = HTTPX__CONN_BUSY;
    ex->state = HTTPX__EX_SENDING;
    if (httpx__request_head(ex, &ex->conn->out, e)) httpx__exchange_fail(ex, e);
}

/* The handshake shares the connect timeout, as in HTTPX: "connected" means
   ready to send a request. */
static httpx_error httpx__tls_start(httpx__exchange *ex, httpx__err *e) {
    httpx_client *c = ex->client;
    const char *name = c->opts.tls.server_name;
    char host[256];
    if (!c->tls && !(c->tls = httpx__tls_config_new(&c->opts.tls, e))) return e->code ? e->code : HTTPX_ERR_TLS;
    if (!name) {
        size_t n = ex->url.host.n < sizeof host - 1 ? ex->url.host.n : sizeof host - 1;
        memcpy(host, ex->url.host.p, n);
        host[n] = 0;
        name = host;
    }
    ex->conn->is_tls = true;
    ex->conn->io = httpx__tls_stream_new(c->tls, name, ex->url.port, false, ex->conn->io, e);
    if (!ex->conn->io) { ex->conn->fd = -1; return e->code ? e->code : HTTPX_ERR_TLS; }
    ex->state = HTTPX__EX_TLS_HANDSHAKE;
    return HTTPX_OK;
}

static void httpx__step_handshake(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    double left;
    int rc = httpx__tls_handshake(conn->io, e);
    conn->want = conn->io->want;
    if (rc == HTTPX__AGAIN) rc = 0;
    if (rc < 0) { httpx__exchange_fail(ex, e); return; }
    if (rc == 0) {
        left = ex->timeout.connect < 0 ? -1 : conn->attempt_deadline - httpx__now();
        httpx__wait(ex, conn->want, left > 0 || left < 0 ? left : 0.000001, HTTPX_ERR_CONNECT_TIMEOUT);
        return;
    }
    ex->state = HTTPX__EX_SENDING;
    if (httpx__request_head(ex, &conn->out, e)) httpx__exchange_fail(ex, e);
}

static void httpx__step_connecting(httpx__exchange *ex, short revents, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    bool timed_out = ex->deadline && httpx__now() >= ex->deadline;
    if (!(revents & (POLLOUT | POLLERR | POLLHUP)) && !timed_out) return;
    if (!timed_out && !httpx__connect_finish(conn->fd, &conn->addrs, conn->addr_index, e)) {
        conn->state = HTTPX__CONN_BUSY;
        if (!(conn->io = httpx__sock_stream_new(conn->fd, e))) { conn->fd = -1; httpx__exchange_fail(ex, e); return; }
        if (ex->url.is_https) {
            if (httpx__tls_start(ex, e)) httpx__exchange_fail(ex, e);
            return;
        }
        ex->state = HTTPX__EX_SENDING;
        if (httpx__request_head(ex, &conn->out, e)) httpx__exchange_fail(ex, e);
        return;
    }
    httpx__sock_close(conn->fd);
    conn->fd = -1;
    conn->addr_index++;
    if (timed_out && conn->addr_index >= conn->addrs.count) {
        char where[80];
        httpx__addr_string(&conn->addrs, conn->addr_index - 1, where, sizeof where);
        httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect to %s timed out after %.3g s", where,
                    ex->timeout.connect);
        httpx__exchange_fail(ex, e);
        return;
    }
    if (conn->addr_index >= conn->addrs.count || httpx__connect_next(ex, e)) httpx__exchange_fail(ex, e);
}

static long httpx__conn_fill(httpx__conn *conn, httpx__err *e);

/* A server may answer before the request is all sent (a 413 for a body too
   large) and close; the send then fails, but the answer is what the user
   needs to see, as curl shows it too. True when bytes of one are waiting: the
   exchange goes on to read them, and the connection will not be reused. */
static bool httpx__early_response(httpx__exchange *ex) {
    httpx__conn *conn = ex->conn;
    httpx__err ignored;
    memset(&ignored, 0, sizeof ignored);
    if (!conn || conn->is_tls || httpx__conn_fill(conn, &ignored) <= 0) return false;
    conn->out.len = conn->out_off = 0;
    ex->body_done = true;
    ex->body = NULL;
    ex->early = true;
    return true;
}

/* Sends what is queued, then refills from the body. Returns false when it has
   to wait (want/deadline set) or failed. */
static bool httpx__step_sending(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    for (;;) {
        const char *p;
        size_t n;
        long sent;
        if (conn->out_off < conn->out.len) {
            p = conn->out.p + conn->out_off;
            n = conn->out.len - conn->out_off;
        } else if (ex->body && ex->body_off < ex->body_len) {
            p = ex->body + ex->body_off;      /* large in-memory bodies go out without a copy */
            n = ex->body_len - ex->body_off;
        } else {
            conn->out.len = conn->out_off = 0;
            if (ex->body_done) return true;
            if (httpx__request_body_fill(ex, &conn->out, e)) {
                httpx__exchange_fail(ex, e);
                return false;
            }
            continue;
        }
        sent = httpx__conn_send(conn, p, n, e);
        if (sent < 0) {
            if (httpx__exchange_retry(ex)) return false;
            if (httpx__early_response(ex)) return true;
            httpx__exchange_fail(ex, e);
            return false;
        }
        if (sent == 0) {
            httpx__wait(ex, conn->want, ex->timeout.write, HTTPX_ERR_WRITE_TIMEOUT);
            return false;
        }
        if (conn->out_off < conn->out.len) conn->out_off += (size_t)sent;
        else ex->body_off += (size_t)sent;
    }
}

/* Receives into conn->in. >0 bytes, 0 closed, -2 would block, -1 error. */
static long httpx__conn_fill(httpx__conn *conn, httpx__err *e) {
    long n;
    if (conn->in_off == conn->in.len) conn->in.len = conn->in_off = 0;
    if (!httpx__buf_reserve(&conn->in, HTTPX__RECV_CHUNK)) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the receive buffer");
        return -1;
    }
    n = httpx__conn_recv(conn, conn->in.p + conn->in.len, conn->in.cap - conn->in.len - 1, e);
    if (n > 0) conn->in.len += (size_t)n;
    return n;
}

static httpx_error httpx__store_head(httpx__exchange *ex, const httpx__h1_head *head,
                                     const httpx__h1_header *hdrs, httpx__err *e) {
    httpx__response *r = ex->resp;
    size_t i, need = head->reason_len + 1, reason_at;
    for (i = 0; i < head->num_headers; i++) need += hdrs[i].name_len + hdrs[i].value_len + 2;
    httpx__headers_clear(&r->headers);
    r->headers.fields = r->inline_fields;   /* most responses fit: no allocation for the index */
    r->headers.cap = HTTPX__INLINE_FIELDS;
    r->headers.fixed = true;
    httpx__buf_init_inline(&r->headers.text, r->inline_text, sizeof r->inline_text);
    if (!httpx__buf_reserve(&r->headers.text, need)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    for (i = 0; i < head->num_headers; i++)
        if (!httpx__headers_add_raw(&r->headers, hdrs[i].name, hdrs[i].name_len, hdrs[i].value, hdrs[i].value_len))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    /* the reason phrase lives in the same text, after the fields (the index
       never points at it); the pointer is taken once the text stops moving */
    reason_at = r->headers.text.len;
    if (!httpx__buf_append(&r->headers.text, head->reason, head->reason_len))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    r->pub.reason_phrase = r->headers.text.p + reason_at;
    r->pub.status_code = head->status;
    r->pub.http_version = head->minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
    return HTTPX_OK;
}

/* Parses the head once it is all in. Returns false to wait for more bytes. */
static bool httpx__parse_head(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    httpx__h1_header hdrs[HTTPX__MAX_HEAD_FIELDS];
    httpx__h1_head head;
    const char *p = conn->in.p + conn->in_off;
    size_t avail = conn->in.len - conn->in_off, from = ex->scanned > 3 ? ex->scanned - 3 : 0, end;
    size_t max_head = ex->client->opts.max_head_size;
    int rc;
    end = httpx__h1_find_head_end(p, avail, from);
    if (!end) {
        ex->scanned = avail;
        if (avail > max_head) {
            /* a head that is broken, not just long, deserves the truer error */
            if (httpx__h1_parse_head(p, avail, &head, hdrs, HTTPX__MAX_HEAD_FIELDS, e) != -1)
                httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is larger than %zu bytes (max_head_size)", max_head);
            httpx__exchange_fail(ex, e);
        }
        return false;
    }
    ex->scanned = 0;
    if (end > max_head) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is %zu bytes, more than max_head_size (%zu)", end, max_head);
        httpx__exchange_fail(ex, e);
        return false;
    }
    rc = httpx__h1_parse_head(p, end, &head, hdrs, HTTPX__MAX_HEAD_FIELDS, e);
    if (rc == -3) httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %d header fields", HTTPX__MAX_HEAD_FIELDS);
    if (rc < 0) {
        if (rc == -2) httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head");
        httpx__exchange_fail(ex, e);
        return false;
    }
    conn->in_off += end;
    if (head.status >= 100 && head.status < 200 && head.status != 101) return true;  /* interim: skip */
    if (httpx__store_head(ex, &head, hdrs, e) ||
        httpx__h1_framing_of(&head, hdrs, ex->head_request, &ex->framing, e)) {
        httpx__exchange_fail(ex, e);
        return false;
    }
    if (head.status == 101) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server switched protocols (101), which httpx.h does not support");
        httpx__exchange_fail(ex, e);
        return false;
    }
    ex->remaining = ex->framing.kind == HTTPX__BODY_LENGTH ? ex->framing.length : 0;
    ex->resp->pub.expected_length = ex->framing.kind == HTTPX__BODY_LENGTH ? (long long)ex->framing.length
                                  : ex->framing.kind == HTTPX__BODY_NONE ? 0 : -1;
    memset(&ex->chunked, 0, sizeof ex->chunked);
    ex->decoded = 0;
    ex->body_complete = ex->framing.kind == HTTPX__BODY_NONE;
    ex->reusable = ex->framing.keep_alive && !ex->early;
    ex->state = ex->stream ? HTTPX__EX_STREAMING : HTTPX__EX_RECV_BODY;
    return true;
}

static void httpx__step_recv_head(httpx__exchange *ex, httpx__err *e) {
    for (;;) {
        long n;
        if (ex->conn->in.len > ex->conn->in_off) {
            if (!httpx__parse_head(ex, e)) { if (ex->state == HTTPX__EX_DONE) return; }
            else if (ex->state != HTTPX__EX_RECV_HEAD) return;
            else continue;   /* an interim response was skipped: the next head may be in already */
        }
        n = httpx__conn_fill(ex->conn, e);
        if (n == -2) { httpx__wait(ex, ex->conn->want, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT); return; }
        if (n <= 0) {
            if (httpx__exchange_retry(ex)) return;
            if (n == 0)
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, ex->conn->in.len ?
                            "server closed the connection in the middle of the response head" :
                            "server closed the connection without sending a response");
            httpx__exchange_fail(ex, e);
            return;
        }
    }
}

/* Delivers body bytes per the framing, from what is buffered, then from the
   socket. >0 bytes, 0 the body is complete, -2 would block, -1 error. */
static long httpx__body_pull(httpx__exchange *ex, char *dst, size_t cap, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    for (;;) {
        size_t buffered = conn->in.len - conn->in_off, n;
        long got;
        if (ex->body_complete) return 0;
        if (ex->framing.kind == HTTPX__BODY_CHUNKED) {
            if (ex->decoded) {
                n = ex->decoded < cap ? ex->decoded : cap;
                memcpy(dst, conn->in.p + conn->in_off, n);
                conn->in_off += n;
                ex->decoded -= n;
                return (long)n;
            }
            if (buffered) {
                size_t len = buffered;
                int rc = httpx__chunked_decode(&ex->chunked, conn->in.p + conn->in_off, &len, e);
                if (rc < 0) return -1;
                conn->in.len = conn->in_off + len;
                ex->decoded = len;
                if (rc == 1) {
                    if (ex->chunked.extra) ex->reusable = false;   /* bytes nobody asked for */
                    if (!len) { ex->body_complete = true; return 0; }
                    ex->framing.kind = HTTPX__BODY_LENGTH;  /* deliver the rest, then done */
                    ex->remaining = len;
                    ex->decoded = 0;
                }
                continue;
            }
        } else if (buffered) {
            n = buffered < cap ? buffered : cap;
            if (ex->framing.kind == HTTPX__BODY_LENGTH && n > ex->remaining) n = (size_t)ex->remaining;
            memcpy(dst, conn->in.p + conn->in_off, n);
            conn->in_off += n;
            if (ex->framing.kind == HTTPX__BODY_LENGTH) {
                ex->remaining -= n;
                if (!ex->remaining) {
                    ex->body_complete = true;
                    if (conn->in_off < conn->in.len) ex->reusable = false;
                }
            }
            return (long)n;
        } else if (ex->framing.kind == HTTPX__BODY_LENGTH && !ex->remaining) {
            ex->body_complete = true;
            return 0;
        }
        if (ex->framing.kind == HTTPX__BODY_CHUNKED) {
            got = httpx__conn_fill(conn, e);
        } else {
            /* straight into the caller's memory: the common case copies nothing */
            n = cap;
            if (ex->framing.kind == HTTPX__BODY_LENGTH && n > ex->remaining) n = (size_t)ex->remaining;
            got = httpx__conn_recv(conn, dst, n, e);
            if (got > 0 && ex->framing.kind == HTTPX__BODY_LENGTH) {
                ex->remaining -= (uint64_t)got;
                if (!ex->remaining) ex->body_complete = true;
            }
            if (got > 0) return got;
        }
        if (got == -2 || got < 0) return got;
        if (got == 0) {
            if (ex->framing.kind == HTTPX__BODY_CLOSE) { ex->body_complete = true; ex->reusable = false; return 0; }
            if (ex->framing.kind == HTTPX__BODY_LENGTH)
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL,
                            "server closed the connection with %llu of %llu body bytes still to come",
                            (unsigned long long)ex->remaining, (unsigned long long)ex->framing.length);
            else
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of a chunked body");
            return -1;
        }
    }
}

static void httpx__finish(httpx__exchange *ex) {
    httpx__response *r = ex->resp;
    r->pub.elapsed = httpx__now() - ex->started;
    httpx__exchange_release(ex, ex->reusable);
    ex->state = HTTPX__EX_DONE;
    ex->want = 0;
}

static void httpx__step_recv_body(httpx__exchange *ex, httpx__err *e) {
    httpx__response *r = ex->resp;
    size_t limit = ex->client->opts.max_body_size;
    if (ex->framing.kind == HTTPX__BODY_LENGTH && ex->framing.length > limit && !ex->opts->on_data) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response body of %llu bytes is over max_body_size (%zu)",
                    (unsigned long long)ex->framing.length, limit);
        httpx__exchange_fail(ex, e);
        return;
    }
    for (;;) {
        long n;
        /* room for what was announced, but not more than 1 MiB ahead of what
           came: a server's Content-Length alone must not make us allocate */
        size_t want = ex->framing.kind == HTTPX__BODY_LENGTH && !ex->opts->on_data
                          ? (ex->remaining < ((size_t)1 << 20) ? (size_t)ex->remaining : ((size_t)1 << 20))
                          : HTTPX__RECV_CHUNK;
        if (want < 1) want = 1;
        if (!httpx__buf_reserve(&r->body, want)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a response body");
            httpx__exchange_fail(ex, e);
            return;
        }
        if (ex->opts->on_data) httpx__buf_clear(&r->body);   /* the buffer only passes bytes through */
        n = httpx__body_pull(ex, r->body.p + r->body.len, r->body.cap - r->body.len - 1, e);
        if (n > 0 && ex->opts->on_data) {
            r->pub.num_bytes_downloaded += n;
            if (ex->opts->on_data(ex->opts->user_data, &r->pub, r->body.p, (size_t)n)) {
                httpx__fail(e, HTTPX_ERR_CANCELLED, "the on_data callback aborted the request");
                httpx__exchange_fail(ex, e);
                return;
            }
            continue;
        }
        if (n > 0) {
            r->body.len += (size_t)n;
            r->body.p[r->body.len] = 0;
            r->pub.num_bytes_downloaded += n;
            if (r->body.len > limit) {   /* a streamed body (on_data) has no limit: nothing is kept */
                httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response body is over max_body_size (%zu)", limit);
                httpx__exchange_fail(ex, e);
                return;
            }
            continue;
        }
        if (n == -2) { httpx__wait(ex, ex->conn->want, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT); return; }
        if (n < 0) { httpx__exchange_fail(ex, e); return; }
        httpx__finish(ex);
        return;
    }
}

HTTPX__PRIVATE void httpx__exchange_step(httpx__exchange *ex, short revents) {
    httpx__err e;
    enum httpx__ex_state before;
    e.code = HTTPX_OK;
    e.sys_errno = 0;
    e.msg[0] = 0;
    do {
        before = ex->state;
        switch (ex->state) {
        case HTTPX__EX_QUEUED: httpx__step_queued(ex, &e); break;
        case HTTPX__EX_RESOLVING: httpx__step_resolving(ex, &e); break;
        case HTTPX__EX_CONNECTING: httpx__step_connecting(ex, revents, &e); break;
        case HTTPX__EX_TLS_HANDSHAKE: httpx__step_handshake(ex, &e); break;
        case HTTPX__EX_SENDING:
            if (httpx__step_sending(ex, &e)) {
                ex->state = HTTPX__EX_RECV_HEAD;
                ex->scanned = 0;
                if (!ex->conn->is_tls && !ex->early) {
                    /* the answer cannot be there yet: wait for it instead of
                       spending a recv() on EAGAIN (TLS may still have records
                       to flush, which its recv does, so it goes on) */
                    httpx__wait(ex, POLLIN, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
                    return;
                }
            }
            break;
        case HTTPX__EX_RECV_HEAD: httpx__step_recv_head(ex, &e); break;
        case HTTPX__EX_RECV_BODY: httpx__step_recv_body(ex, &e); break;
        case HTTPX__EX_STREAMING:
        case HTTPX__EX_DONE: return;
        }
        revents = 0;
    } while (ex->state != before);
}

/* The streaming face's pull: like the in-memory path, without the buffer. */
HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n;
    if (ex->state != HTTPX__EX_STREAMING) return 0;
    n = httpx__body_pull(ex, buf, cap, e);
    if (n > 0) {
        ex->resp->pub.num_bytes_downloaded += n;
        return n;
    }
    if (n == 0) httpx__finish(ex);
    else if (n == -2) httpx__wait(ex, ex->conn->want, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    return n;
}

/* The error for a wait whose deadline passed. */
HTTPX__PRIVATE httpx_error httpx__exchange_timeout(httpx__exchange *ex, httpx__err *e) {
    httpx_error which = ex->timeout_error;
    return httpx__fail(e, which, "%s after %.3g s", httpx_strerror(which),
                       which == HTTPX_ERR_READ_TIMEOUT ? ex->timeout.read :
                       which == HTTPX_ERR_WRITE_TIMEOUT ? ex->timeout.write :
                       which == HTTPX_ERR_POOL_TIMEOUT ? ex->timeout.pool : ex->timeout.connect);
}

/* Runs the engine for one exchange until it is done (or, for a stream, until
   its head is in, or until the next body bytes arrive). */
HTTPX__PRIVATE httpx_error httpx__exchange_wait(httpx__exchange *ex, httpx__err *e) {
    struct pollfd p;
    int ms, rc;
    double now;
    p.fd = httpx__exchange_fd(ex);
    p.events = ex->want;
    p.revents = 0;
    now = httpx__now();
    if (ex->deadline && now >= ex->deadline) {
        if (!httpx__exchange_steps_on_deadline(ex)) return httpx__exchange_timeout(ex, e);
        httpx__exchange_step(ex, 0);
        return HTTPX_OK;
    }
    if (!ex->want && ex->state == HTTPX__EX_QUEUED) {
        /* Only the pool is waited on, and in a blocking call nothing else runs
           that could hand a connection back. */
        return httpx__fail(e, HTTPX_ERR_POOL_TIMEOUT,
                           "all %d connections of the client are in use (limits.max_connections); "
                           "close open streams first", ex->client->opts.limits.max_connections);
    }
    if (p.fd < 0) p.events = 0;     /* only a deadline to wait for (a DNS answer known at once: none) */
    ms = ex->deadline ? (int)((ex->deadline - now) * 1000.0 + 0.999) : -1;
    rc = poll(&p, 1, ms);
    if (rc < 0 && errno != EINTR) {
        e->sys_errno = errno;
        return httpx__fail(e, HTTPX_ERR_READ, "poll failed: %s", strerror(errno));
    }
    if (rc == 0 && httpx__exchange_steps_on_deadline(ex)) { httpx__exchange_step(ex, 0); return HTTPX_OK; }
    if (rc == 0) return httpx__exchange_wait(ex, e);   /* reports the timeout above */
    httpx__exchange_step(ex, p.revents);
    return HTTPX_OK;
}
