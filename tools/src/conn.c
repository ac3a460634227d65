/* conn: connections and the pool. A connection owns its setup (resolving ->
   connecting -> TLS -> ready), its stream, its buffers and its protocol;
   exchanges wait on it while it is set up, and a setup failure is reported
   to every one of them. Which protocol it speaks is decided when it becomes
   ready. Nothing here waits: each step does what is ready and leaves `want`
   and `deadline` for the loop. A closed connection is marked CLOSED and
   freed by the loop, so nobody holds a dangling pointer in the meantime. */
#include "internal.h"
#include <poll.h>

/* ---- small parts ---- */

HTTPX__PRIVATE double httpx__deadline_in(double seconds) { return seconds < 0 ? 0 : httpx__now() + seconds; }

HTTPX__PRIVATE long httpx__conn_send(httpx__conn *conn, const void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_send(conn->io, p, n, e);
    if (r == HTTPX__AGAIN) conn->want = conn->io->want;
    return r;
}

HTTPX__PRIVATE long httpx__conn_recv(httpx__conn *conn, void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_recv(conn->io, p, n, e);
    if (r == HTTPX__AGAIN) conn->want = conn->io->want;
    return r;
}

HTTPX__PRIVATE int httpx__conn_fd(const httpx__conn *conn) {
    if (conn->state == HTTPX__CONN_RESOLVING) return conn->dns ? httpx__dns_fd(conn->dns) : -1;
    if (conn->state == HTTPX__CONN_CLOSED) return -1;
    return conn->io ? conn->io->fd : conn->fd;
}

/* Whether a connection may come to serve many exchanges at once: it offers
   HTTP/2 (ALPN over TLS, or prior knowledge over plain TCP). Exchanges then
   wait on it rather than opening connections of their own. */
static bool httpx__conn_may_multiplex(const httpx__conn *conn) {
    const httpx_client_opts *o = &conn->client->opts;
    if (!httpx__h2_protocol()) return false;
    return conn->h2 || (conn->is_tls ? o->http2 : o->http2_prior_knowledge);
}

/* Which protocol a ready connection speaks, decided now: what ALPN chose
   over TLS, prior knowledge over plain TCP, else HTTP/1.1. */
static const httpx__proto *httpx__protocol_for(const httpx__conn *conn) {
    const char *alpn = conn->is_tls ? httpx__tls_alpn(conn->io) : "";
    if (httpx__h2_protocol() && (conn->is_tls ? !strcmp(alpn, "h2") : conn->client->opts.http2_prior_knowledge))
        return httpx__h2_protocol();
    return httpx__h1_protocol();
}

/* ---- lists ---- */

static void httpx__list_remove(httpx__exchange **head, httpx__exchange *ex) {
    for (; *head; head = &(*head)->conn_next)
        if (*head == ex) {
            *head = ex->conn_next;
            ex->conn_next = NULL;
            return;
        }
}

static void httpx__list_append(httpx__exchange **head, httpx__exchange *ex) {
    while (*head) head = &(*head)->conn_next;
    ex->conn_next = NULL;
    *head = ex;
}

HTTPX__PRIVATE void httpx__conn_detach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_remove(&conn->waiters, ex);
    httpx__list_remove(&conn->active, ex);
    if (ex->conn == conn) ex->conn = NULL;
}

/* ---- closing ---- */

/* Releases the connection's resources now (its fd closes at once, so a
   server sees the close); the memory goes when the loop sweeps. */
HTTPX__PRIVATE void httpx__conn_close(httpx__conn *conn) {
    if (conn->state == HTTPX__CONN_CLOSED) return;
    HTTPX_ASSERT(!conn->active && !conn->waiters);   /* exchanges are ended or moved first */
    conn->state = HTTPX__CONN_CLOSED;
    conn->client->num_conns--;
    if (conn->dns) httpx__dns_free(conn->dns);
    conn->dns = NULL;
    httpx__h2_conn_free(conn);
    if (conn->io) httpx__stream_free(conn->io);
    else httpx__sock_close(conn->fd);
    conn->io = NULL;
    conn->fd = -1;
    conn->want = 0;
    httpx__buf_free(&conn->in);
    httpx__buf_free(&conn->out);
}

HTTPX__PRIVATE void httpx__conn_free(httpx__conn *conn) {
    if (conn->state != HTTPX__CONN_CLOSED) {
        httpx__exchange *ex;
        while ((ex = conn->waiters) != NULL || (ex = conn->active) != NULL) httpx__conn_detach(conn, ex);
        httpx__conn_close(conn);
    }
    httpx__free(conn);
}

/* The setup failed: every exchange waiting on it gets the error. */
static void httpx__conn_fail(httpx__conn *conn, httpx__err *e) {
    httpx__exchange *ex;
    while ((ex = conn->waiters) != NULL) {
        httpx__err copy = *e;
        httpx__conn_detach(conn, ex);
        httpx__exchange_end(ex, &copy);
    }
    httpx__conn_close(conn);
}

/* ---- the pool ---- */

static int httpx__pool_idle_count(httpx_client *c) {
    int n = 0;
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        n += conn->state == HTTPX__CONN_READY && !conn->active;
    return n;
}

HTTPX__PRIVATE void httpx__conn_idle(httpx__conn *conn) {
    httpx_client *c = conn->client;
    if (httpx__pool_idle_count(c) > c->opts.limits.max_keepalive_connections) {
        httpx__conn_close(conn);
        return;
    }
    conn->idle_since = httpx__now();
    conn->in.len = conn->in_off = 0;    /* keep the buffers: a warm request allocates nothing here */
    conn->out.len = conn->out_off = 0;
    conn->want = POLLIN;                /* in the poll set: a close or stray bytes end it */
}

/* Whether an idle connection can serve: fresh enough, and nothing arrived
   on it since it went idle. The loop catches most of that when it polls
   idle connections; this check catches bytes that came after the last
   poll (one zero-timeout poll: the rule is never to reuse a connection that
   became readable while idle). */
static bool httpx__conn_usable(httpx__conn *conn, double now) {
    struct pollfd p;
    if (now - conn->idle_since > conn->client->opts.limits.keepalive_expiry) return false;
    p.fd = conn->io->fd;
    p.events = POLLIN;
    p.revents = 0;
    if (conn->h2) {
        /* Frames on an idle HTTP/2 connection (PING, GOAWAY) are normal:
           they are read now, and a close the server made while it idled
           (no GOAWAY) ends it here rather than failing the next request,
           which the server would never have seen (a POST cannot be retried). */
        if (httpx__stream_pending(conn->io) || (p.fd >= 0 && httpx__poll(&p, 1, 0) > 0))
            conn->proto->step(conn, POLLIN);
        return conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn);
    }
    if (conn->in.len > conn->in_off || httpx__stream_pending(conn->io)) return false;
    return p.fd < 0 || httpx__poll(&p, 1, 0) == 0;
}

/* Starts connecting to conn->addrs[addr_index] or a later address. Spreads
   what is left of the connect timeout over the addresses left, so that one
   dead address of a name cannot eat the whole budget. */
static httpx_error httpx__connect_next(httpx__conn *conn, httpx__err *e) {
    for (; conn->addr_index < conn->addrs.count; conn->addr_index++) {
        conn->fd = httpx__connect_start(&conn->addrs, conn->addr_index, e);
        if (conn->fd >= 0) {
            int left = conn->addrs.count - conn->addr_index;
            conn->want = POLLOUT;
            conn->deadline = conn->connect_timeout < 0 ? 0
                           : httpx__now() + (conn->setup_deadline - httpx__now()) / (left > 0 ? left : 1);
            return HTTPX_OK;
        }
    }
    return e->code ? e->code : httpx__fail(e, HTTPX_ERR_CONNECT, "no address to connect to");
}

/* A new connection for ex's origin, with ex waiting on it. */
static httpx__conn *httpx__conn_open(httpx_client *c, httpx__exchange *ex, httpx__err *e) {
    const httpx__url *u = &ex->req->url;
    httpx__conn *conn;
    if (u->host.n >= sizeof conn->host) { httpx__fail(e, HTTPX_ERR_INVALID_URL, "host name too long"); return NULL; }
    conn = (httpx__conn *)httpx__malloc(sizeof *conn);
    if (!conn) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection"); return NULL; }
    memset(conn, 0, sizeof *conn);
    conn->client = c;
    conn->fd = -1;
    conn->poll_index = -1;
    conn->state = HTTPX__CONN_RESOLVING;
    memcpy(conn->host, u->host.p, u->host.n);
    conn->host[u->host.n] = 0;
    conn->port = u->port;
    conn->is_tls = u->is_https;
    conn->connect_timeout = ex->timeout.connect;
    conn->setup_deadline = httpx__now() + (ex->timeout.connect < 0 ? 0 : ex->timeout.connect);
    conn->deadline = httpx__deadline_in(ex->timeout.connect);
    conn->next = c->conns;
    c->conns = conn;
    c->num_conns++;
    conn->dns = httpx__dns_start(&c->dns, conn->host, conn->port, e);
    if (!conn->dns) {
        httpx__conn_close(conn);
        return NULL;
    }
    return conn;
}

static void httpx__conn_attach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_append(&conn->waiters, ex);
    ex->conn = conn;
    ex->state = HTTPX__EX_ATTACHED;
    ex->deadline = 0;   /* the connection's setup deadline rules now */
}

/* Whether conn serves u's origin (scheme, host, port): the pool's key,
   compared without building a string, as this runs for every request. */
static bool httpx__conn_is_for(const httpx__conn *conn, const httpx__url *u) {
    return conn->is_tls == u->is_https && conn->port == u->port && u->host.n < sizeof conn->host &&
           conn->host[u->host.n] == 0 && httpx__mem_ieq(conn->host, u->host.p, u->host.n);
}

/* Closes an idle connection (of any origin) to make room for a new one. */
static bool httpx__pool_make_room(httpx_client *c) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state == HTTPX__CONN_READY && !conn->active) { httpx__conn_close(conn); return true; }
    return false;
}

HTTPX__PRIVATE bool httpx__pool_place(httpx_client *c, httpx__exchange *ex) {
    httpx__conn *conn, *setting_up = NULL;
    bool busy_mux = false;
    double now = httpx__now();
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (conn = c->conns; conn; conn = conn->next) {
        if (conn->state == HTTPX__CONN_CLOSED || !httpx__conn_is_for(conn, &ex->req->url)) continue;
        if (conn->state != HTTPX__CONN_READY) {
            if (!setting_up) setting_up = conn;
            continue;
        }
        if (!conn->proto->can_take(conn)) {
            busy_mux = busy_mux || httpx__h2_has_streams(conn);
            continue;
        }
        if (!conn->active && !httpx__conn_usable(conn, now)) { httpx__conn_close(conn); continue; }
        ex->reused = conn->served;
        conn->served = true;
        conn->proto->submit(conn, ex);
        return true;
    }
    /* A connection being set up that may speak HTTP/2 will serve this one
       too; one that speaks it and has no stream free is waited for (one
       connection per origin, as browsers and HTTPX do). */
    if (setting_up && httpx__conn_may_multiplex(setting_up)) { httpx__conn_attach(setting_up, ex); return true; }
    if (busy_mux) return false;
    if (c->num_conns >= c->opts.limits.max_connections) httpx__pool_make_room(c);
    if (c->num_conns < c->opts.limits.max_connections) {
        conn = httpx__conn_open(c, ex, &e);
        if (!conn) { httpx__exchange_end(ex, &e); return true; }
        httpx__conn_attach(conn, ex);
        httpx__conn_step(conn, 0);    /* a name known at once connects now */
        return true;
    }
    /* No room for another connection: wait on one of the origin that is being
       set up (its failure is then this exchange's too), or for the pool. */
    if (setting_up) { httpx__conn_attach(setting_up, ex); return true; }
    return false;
}

/* ---- setup ---- */

/* The connection is ready: the protocol takes the first waiter; the others
   go back to the pool queue (HTTP/1.1 serves one at a time). */
static void httpx__conn_ready(httpx__conn *conn) {
    httpx__exchange *ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    conn->state = HTTPX__CONN_READY;
    conn->deadline = 0;
    conn->proto = httpx__protocol_for(conn);
    conn->want = 0;
    if (conn->proto == httpx__h2_protocol() && httpx__h2_start(conn, &e)) {
        conn->state = HTTPX__CONN_TLS;      /* not ready after all: a setup failure */
        httpx__conn_fail(conn, &e);
        return;
    }
    while ((ex = conn->waiters) != NULL) {
        httpx__conn_detach(conn, ex);
        if (conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn)) {
            conn->served = true;
            conn->proto->submit(conn, ex);
        } else {
            ex->state = HTTPX__EX_QUEUED;
            ex->deadline = 0;
        }
    }
    if (conn->state == HTTPX__CONN_READY && !conn->active) httpx__conn_idle(conn);  /* its exchanges left */
}

static void httpx__step_resolving(httpx__conn *conn, httpx__err *e) {
    double now = httpx__now(), dl;
    int rc = httpx__dns_step(conn->dns, &conn->addrs, e);
    if (rc < 0) { httpx__conn_fail(conn, e); return; }
    if (rc == 0) {
        if (conn->connect_timeout >= 0 && now >= conn->setup_deadline) {
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: still resolving '%s'",
                        conn->connect_timeout, conn->host);
            httpx__conn_fail(conn, e);
            return;
        }
        dl = httpx__dns_deadline(conn->dns);
        if (conn->connect_timeout >= 0 && (!dl || conn->setup_deadline < dl)) dl = conn->setup_deadline;
        conn->want = httpx__dns_fd(conn->dns) >= 0 ? httpx__dns_events(conn->dns) : 0;
        conn->deadline = dl;
        return;
    }
    httpx__dns_free(conn->dns);
    conn->dns = NULL;
    conn->state = HTTPX__CONN_CONNECTING;
    if (httpx__connect_next(conn, e)) httpx__conn_fail(conn, e);
}

/* The handshake shares the connect timeout, as in HTTPX: "connected" means
   ready to send a request. */
static void httpx__tls_begin(httpx__conn *conn, httpx__err *e) {
    httpx_client *c = conn->client;
    if (!c->tls && !(c->tls = httpx__tls_config_new(&c->opts.tls, e))) { httpx__conn_fail(conn, e); return; }
    conn->io = httpx__tls_stream_new(c->tls, conn->host, conn->port,
                                     c->opts.http2 && httpx__h2_protocol() != NULL, conn->io, e);
    if (!conn->io) { conn->fd = -1; httpx__conn_fail(conn, e); return; }
    conn->state = HTTPX__CONN_TLS;
    conn->deadline = conn->connect_timeout < 0 ? 0 : conn->setup_deadline;
}

static void httpx__step_handshake(httpx__conn *conn, httpx__err *e) {
    int rc;
    if (conn->deadline && httpx__now() >= conn->deadline) {
        httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: TLS handshake with %s not done",
                    conn->connect_timeout, conn->host);
        httpx__conn_fail(conn, e);
        return;
    }
    rc = httpx__tls_handshake(conn->io, e);
    if (rc == HTTPX__AGAIN) { conn->want = conn->io->want; return; }
    if (rc == HTTPX__BAD) { httpx__conn_fail(conn, e); return; }
    httpx__conn_ready(conn);
}

static void httpx__step_connecting(httpx__conn *conn, short revents, httpx__err *e) {
    bool timed_out = conn->deadline && httpx__now() >= conn->deadline;
    if (!(revents & (POLLOUT | POLLERR | POLLHUP)) && !timed_out) return;
    if (!timed_out && !httpx__connect_finish(conn->fd, &conn->addrs, conn->addr_index, e)) {
        conn->io = httpx__sock_stream_new(conn->fd, e);
        if (!conn->io) { conn->fd = -1; httpx__conn_fail(conn, e); return; }
        if (conn->is_tls) httpx__tls_begin(conn, e);
        else httpx__conn_ready(conn);
        return;
    }
    httpx__sock_close(conn->fd);
    conn->fd = -1;
    conn->addr_index++;
    if (timed_out && conn->addr_index >= conn->addrs.count) {
        char where[80];
        httpx__addr_string(&conn->addrs, conn->addr_index - 1, where, sizeof where);
        httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect to %s timed out after %.3g s", where, conn->connect_timeout);
        httpx__conn_fail(conn, e);
        return;
    }
    if (conn->addr_index >= conn->addrs.count || httpx__connect_next(conn, e)) httpx__conn_fail(conn, e);
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests until transports use it */
HTTPX__PRIVATE httpx_error httpx__conn_adopt(httpx_client *c, const char *url, httpx__stream *s, bool tls, httpx__err *e) {
    httpx__url u;
    httpx__conn *conn;
    if (httpx__url_parse(&u, url, strlen(url), e) || u.host.n >= sizeof conn->host) {
        httpx__stream_free(s);
        return e->code ? e->code : httpx__fail(e, HTTPX_ERR_INVALID_URL, "host name too long");
    }
    conn = (httpx__conn *)httpx__malloc(sizeof *conn);
    if (!conn) {
        httpx__stream_free(s);
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
    }
    memset(conn, 0, sizeof *conn);
    conn->client = c;
    conn->poll_index = -1;
    conn->fd = s->fd;
    conn->io = s;
    memcpy(conn->host, u.host.p, u.host.n);
    conn->port = u.port;
    conn->is_tls = tls;
    conn->connect_timeout = c->opts.timeout.connect;
    conn->setup_deadline = httpx__now() + (conn->connect_timeout < 0 ? 0 : conn->connect_timeout);
    conn->next = c->conns;
    c->conns = conn;
    c->num_conns++;
    if (tls) {
        httpx__tls_begin(conn, e);
        if (conn->state == HTTPX__CONN_CLOSED) return e->code;
        httpx__conn_step(conn, 0);
    } else {
        httpx__conn_ready(conn);
    }
    return HTTPX_OK;
}
#endif

/* Steps a connection on readiness (revents) or a passed deadline (0). Setup
   states loop while they make progress: a name known at once connects, a
   connect that finished at once starts TLS. */
HTTPX__PRIVATE void httpx__conn_step(httpx__conn *conn, short revents) {
    httpx__err e;
    enum httpx__conn_state before;
    memset(&e, 0, sizeof e);
    do {
        before = conn->state;
        switch (conn->state) {
        case HTTPX__CONN_RESOLVING: httpx__step_resolving(conn, &e); break;
        case HTTPX__CONN_CONNECTING: httpx__step_connecting(conn, revents, &e); break;
        case HTTPX__CONN_TLS: httpx__step_handshake(conn, &e); break;
        case HTTPX__CONN_READY: conn->proto->step(conn, revents); return;
        case HTTPX__CONN_CLOSED: return;
        }
        revents = 0;
    } while (conn->state != before && conn->state != HTTPX__CONN_READY);
}
