/* conn: connections and the pool. A connection owns its setup (resolving ->
   connecting its stack of streams -> ready), its streams, its buffers and
   its protocol. Its route says where it goes (host and port, or a Unix
   socket; TLS or not) and is the pool's key; the streams of the stack do
   the connecting and the handshake themselves (net.c, tls.c), so nothing
   here names a transport;
   exchanges wait on it while it is set up, and a setup failure is reported
   to every one of them. Which protocol it speaks is decided when it becomes
   ready, from the client's table of protocols: this file names none, and
   knows a protocol only through its slot (httpx__proto). Nothing here waits: each step does what is ready and leaves `want`
   and `deadline` for the loop. A closed connection is marked CLOSED and
   freed by the loop, so nobody holds a dangling pointer in the meantime. */
#include "internal.h"
#include "url_internal.h"
#include "net_internal.h"
#include "dns_internal.h"
#include "tls_internal.h"
#include "engine_internal.h"

/* ---- small parts ---- */

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

HTTPX__PRIVATE long httpx__conn_fill(httpx__conn *conn, httpx__err *e) {
    long n;
    if (conn->in_off == conn->in.len) {
        conn->in.len = conn->in_off = 0;
    } else if (conn->in_off && conn->in.cap - conn->in.len < HTTPX__CONN_RECV_CHUNK + 1) {
        memmove(conn->in.p, conn->in.p + conn->in_off, conn->in.len - conn->in_off);
        conn->in.len -= conn->in_off;
        conn->in_off = 0;
    }
    if (!httpx__buf_reserve(&conn->in, HTTPX__CONN_RECV_CHUNK)) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the receive buffer");
        return HTTPX__BAD;
    }
    n = httpx__conn_recv(conn, conn->in.p + conn->in.len, conn->in.cap - conn->in.len - 1, e);
    if (n > 0) conn->in.len += (size_t)n;
    return n;
}

HTTPX__PRIVATE httpx__sock httpx__conn_fd(const httpx__conn *conn) {
    if (conn->state == HTTPX__CONN_RESOLVING) return conn->dns ? httpx__dns_fd(conn->dns) : HTTPX__NO_SOCK;
    if (conn->state == HTTPX__CONN_CLOSED || !conn->io) return HTTPX__NO_SOCK;
    return conn->io->fd;
}

/* Whether a connection may come to serve many exchanges at once: a
   multiplexing protocol is offered on it (or it speaks one). Exchanges then
   wait on it rather than opening connections of their own. */
static bool httpx__conn_may_multiplex(const httpx__conn *conn) {
    const httpx__proto *const *p;
    if (conn->proto) return conn->proto->multiplex;
    for (p = conn->client->protocols; *p; p++)
        if ((*p)->multiplex && (*p)->offered(conn)) return true;
    return false;
}

/* Which protocol a ready connection speaks, decided now: the first of the
   table that is offered and chosen (ALPN, prior knowledge); the last one is
   the fallback. */
static const httpx__proto *httpx__protocol_for(const httpx__conn *conn) {
    const httpx__proto *const *p;
    for (p = conn->client->protocols; p[1]; p++)
        if ((*p)->offered(conn) && (*p)->chosen(conn)) return *p;
    return *p;
}

/* ---- lists ---- */

static void httpx__list_append(httpx__exchange **head, httpx__exchange *ex) {
    while (*head) head = &(*head)->conn_next;
    ex->conn_next = NULL;
    *head = ex;
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
    if (conn->proto && conn->proto->free) conn->proto->free(conn);
    httpx__stream_free(conn->io);
    conn->io = NULL;
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
        ex->setup_failed = true;    /* no byte of it went: a connection retry may resend it */
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
    httpx__pollfd p;
    if (now - conn->idle_since > conn->client->opts.limits.keepalive_expiry) return false;
    p.fd = conn->io->fd;
    p.events = POLLIN;
    p.revents = 0;
    if (conn->proto->multiplex) {
        /* Frames on an idle multiplexed connection (HTTP/2: PING, GOAWAY) are normal:
           they are read now, and a close the server made while it idled
           (no GOAWAY) ends it here rather than failing the next request,
           which the server would never have seen (a POST cannot be retried). */
        if (httpx__stream_pending(conn->io) || (p.fd != HTTPX__NO_SOCK && httpx__poll(&p, 1, 0) > 0))
            conn->proto->step(conn, POLLIN);
        return conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn);
    }
    if (conn->in.len > conn->in_off || httpx__stream_pending(conn->io)) return false;
    return p.fd == HTTPX__NO_SOCK || httpx__poll(&p, 1, 0) == 0;
}

/* The route of an exchange to u. */
static httpx_error httpx__route_of(httpx__route *r, const httpx_client *c, const httpx__url *u, httpx__err *e) {
    if (u->host.n >= sizeof r->host) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "host name too long");
    memcpy(r->host, u->host.p, u->host.n);
    r->host[u->host.n] = 0;
    r->port = u->port;
    r->tls = u->is_https;
    r->uds = c->opts.uds;
    r->proxy = c->opts.uds ? NULL : httpx__proxies_for(&c->proxies, u);   /* a Unix socket goes direct */
    return HTTPX_OK;
}

/* Whether a connection of route r serves u through proxy (u's, from
   httpx__proxies_for): the pool's key, compared without building a string,
   as this runs for every request. uds and proxy are the client's one copy,
   so their pointers are their identity. */
static bool httpx__route_is_for(const httpx__route *r, const httpx_client *c, const httpx__url *u,
                                const httpx__proxy *proxy) {
    return r->tls == u->is_https && r->port == u->port && r->uds == c->opts.uds && r->proxy == proxy &&
           u->host.n < sizeof r->host &&
           r->host[u->host.n] == 0 && httpx__mem_ieq(r->host, u->host.p, u->host.n);
}

/* Stacks the streams of conn's route, bottom first, over the addresses a
   (unused for a Unix socket); the stack connects in CONNECTING. */
static httpx_error httpx__conn_stack(httpx__conn *conn, const httpx__addrs *a, httpx__err *e) {
    httpx_client *c = conn->client;
    const httpx__route *r = &conn->route;
    const httpx__proxy *px = r->proxy;
    httpx__stream *s = r->uds ? httpx__unix_stream_new(r->uds, e)
                     : httpx__tcp_stream_new(a, conn->connect_timeout < 0 ? 0 : conn->setup_deadline,
                                             conn->connect_timeout, e);
    if (s && !r->uds && c->local_ip_len) httpx__tcp_stream_bind(s, c->local_ip, c->local_ip_len);
    if (s && (r->tls || (px && px->kind == HTTPX__PROXY_HTTPS)) && !c->tls &&
        !(c->tls = httpx__tls_config_new(&c->opts.tls, e))) {
        httpx__stream_free(s);
        return e->code;
    }
    /* through a proxy (proxy.c): TLS to an https:// proxy, then a tunnel to
       the origin (SOCKS5, or CONNECT for https); plain http to an HTTP proxy
       needs no tunnel: h1_proto.c writes it in absolute form */
    if (s && px && px->kind == HTTPX__PROXY_HTTPS) s = httpx__tls_stream_new(c->tls, px->host, px->port, false, s, e);
    if (s && px && (px->kind == HTTPX__PROXY_SOCKS5 || px->kind == HTTPX__PROXY_SOCKS5H))
        s = httpx__socks_stream_new(px, r->host, conn->origin_ip, conn->origin_ip_len, r->port, s, e);
    else if (s && px && r->tls)
        s = httpx__connect_stream_new(px, r->host, r->port, s, e);
    /* a TLS stream over s (it takes s, on failure too) */
    if (s && r->tls) s = httpx__tls_stream_new(c->tls, r->host, r->port, httpx__conn_may_multiplex(conn), s, e);
    if (!s) return e->code ? e->code : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
    conn->io = s;
    conn->state = HTTPX__CONN_CONNECTING;
    conn->deadline = conn->connect_timeout < 0 ? 0 : conn->setup_deadline;
    return HTTPX_OK;
}

/* The name a connection resolves next: the proxy's, but first the
   origin's for socks5:// (the proxy gets an address; socks5h:// gives it
   the name). */
static const char *httpx__conn_dns_name(const httpx__conn *conn, int *port) {
    const httpx__proxy *px = conn->route.proxy;
    if (!px || (px->kind == HTTPX__PROXY_SOCKS5 && !conn->origin_ip_len)) {
        *port = conn->route.port;
        return conn->route.host;
    }
    *port = px->port;
    return px->host;
}

/* A connection of route r, listed in the client, with nothing started. */
static httpx__conn *httpx__conn_new(httpx_client *c, const httpx__route *r, double connect_timeout, httpx__err *e) {
    httpx__conn *conn = (httpx__conn *)httpx__malloc(sizeof *conn);
    if (!conn) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection"); return NULL; }
    memset(conn, 0, sizeof *conn);
    conn->client = c;
    conn->poll_index = -1;
    conn->state = HTTPX__CONN_RESOLVING;
    conn->route = *r;
    conn->connect_timeout = connect_timeout;
    conn->setup_deadline = httpx__now() + (connect_timeout < 0 ? 0 : connect_timeout);
    conn->deadline = httpx__deadline_in(connect_timeout);
    conn->next = c->conns;
    c->conns = conn;
    c->num_conns++;
    return conn;
}

/* A new connection for ex's origin, with ex waiting on it: it resolves the
   host, or goes straight to connecting a Unix socket. */
static httpx__conn *httpx__conn_open(httpx_client *c, httpx__exchange *ex, httpx__err *e) {
    httpx__route r;
    httpx__conn *conn;
    const char *name;
    int port;
    if (httpx__route_of(&r, c, &ex->req->url, e) || !(conn = httpx__conn_new(c, &r, ex->timeout.connect, e)))
        return NULL;
    if (r.proxy && r.proxy->kind == HTTPX__PROXY_SOCKS5)    /* an IP literal needs no lookup */
        conn->origin_ip_len = httpx__ip_parse(r.host, conn->origin_ip);
    name = httpx__conn_dns_name(conn, &port);
    if (r.uds ? httpx__conn_stack(conn, NULL, e) != HTTPX_OK
              : !(conn->dns = httpx__dns_start(&c->dns, name, port, e))) {
        httpx__conn_close(conn);
        return NULL;
    }
    return conn;
}

static void httpx__conn_attach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_append(&conn->waiters, ex);
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_ATTACHED);
    ex->deadline = 0;   /* the connection's setup deadline rules now */
}

/* Closes an idle connection (of any origin) to make room for a new one. */
static bool httpx__pool_make_room(httpx_client *c) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state == HTTPX__CONN_READY && !conn->active) { httpx__conn_close(conn); return true; }
    return false;
}

/* Whether a busy connection of u's origin will take another exchange
   without a new connection (its streams finish: a multiplexing protocol). Asked only when no
   connection could take it: the common path does not pay for it. */
static bool httpx__pool_worth_waiting(httpx_client *c, const httpx__url *u, const httpx__proxy *proxy) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state == HTTPX__CONN_READY && conn->proto->worth_waiting &&
            httpx__route_is_for(&conn->route, c, u, proxy) &&
            conn->proto->worth_waiting(conn))
            return true;
    return false;
}

HTTPX__PRIVATE bool httpx__pool_place(httpx_client *c, httpx__exchange *ex) {
    httpx__conn *conn, *setting_up = NULL;
    double now = httpx__now();
    const httpx__proxy *proxy = c->opts.uds ? NULL : httpx__proxies_for(&c->proxies, &ex->req->url);
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (conn = c->conns; conn; conn = conn->next) {
        if (conn->state == HTTPX__CONN_CLOSED || !httpx__route_is_for(&conn->route, c, &ex->req->url, proxy)) continue;
        if (conn->state != HTTPX__CONN_READY) {
            if (!setting_up) setting_up = conn;
            continue;
        }
        if (!conn->proto->can_take(conn)) continue;
        if (!conn->active && !httpx__conn_usable(conn, now)) { httpx__conn_close(conn); continue; }
        ex->reused = conn->served;
        conn->served = true;
        conn->proto->submit(conn, ex);
        return true;
    }
    /* A connection being set up that may multiplex will serve this one too;
       one that multiplexes and has no stream free is waited for (one
       connection per origin, as browsers and HTTPX do). */
    if (setting_up && httpx__conn_may_multiplex(setting_up)) { httpx__conn_attach(setting_up, ex); return true; }
    if (httpx__pool_worth_waiting(c, &ex->req->url, proxy)) return false;
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
   go back to the pool queue (a protocol that serves one at a time). */
static void httpx__conn_ready(httpx__conn *conn) {
    httpx__exchange *ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    conn->state = HTTPX__CONN_READY;
    conn->deadline = 0;
    conn->proto = httpx__protocol_for(conn);
    conn->want = 0;
    if (conn->proto->start && conn->proto->start(conn, &e)) {
        conn->state = HTTPX__CONN_CONNECTING;   /* not ready after all: a setup failure */
        httpx__conn_fail(conn, &e);
        return;
    }
    while ((ex = conn->waiters) != NULL) {
        httpx__conn_detach(conn, ex);
        if (conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn)) {
            conn->served = true;
            conn->proto->submit(conn, ex);
        } else {
            httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
            ex->deadline = 0;
        }
    }
    if (conn->state == HTTPX__CONN_READY && !conn->active) httpx__conn_idle(conn);  /* its exchanges left */
}

static void httpx__step_resolving(httpx__conn *conn, httpx__err *e) {
    double now = httpx__now(), dl;
    httpx__addrs addrs;
    int rc = httpx__dns_step(conn->dns, &addrs, e);
    if (rc < 0) { httpx__conn_fail(conn, e); return; }
    if (rc == 0) {
        if (conn->connect_timeout >= 0 && now >= conn->setup_deadline) {
            int port;
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: still resolving '%s'",
                        conn->connect_timeout, httpx__conn_dns_name(conn, &port));
            httpx__conn_fail(conn, e);
            return;
        }
        dl = httpx__dns_deadline(conn->dns);
        if (conn->connect_timeout >= 0 && (!dl || conn->setup_deadline < dl)) dl = conn->setup_deadline;
        conn->want = httpx__dns_fd(conn->dns) != HTTPX__NO_SOCK ? httpx__dns_events(conn->dns) : 0;
        conn->deadline = dl;
        return;
    }
    httpx__dns_free(conn->dns);
    conn->dns = NULL;
    if (conn->route.proxy && conn->route.proxy->kind == HTTPX__PROXY_SOCKS5 && !conn->origin_ip_len) {
        /* that was the origin's name, for the SOCKS5 request: now the proxy's */
        const char *name;
        int port, i;
        /* one address goes in the request: an IPv4 one when there is one, as
           SOCKS5 proxies without IPv6 are common and nothing can fall back */
        for (i = 0; i < addrs.count; i++) {
            unsigned char ip[16];
            int n = httpx__sockaddr_ip((const struct sockaddr *)&addrs.addr[i], ip);
            if (n && (!conn->origin_ip_len || (conn->origin_ip_len == 16 && n == 4))) {
                memcpy(conn->origin_ip, ip, (size_t)n);
                conn->origin_ip_len = n;
            }
        }
        name = httpx__conn_dns_name(conn, &port);
        if (!conn->origin_ip_len || !(conn->dns = httpx__dns_start(&conn->client->dns, name, port, e))) {
            if (!e->code) httpx__fail(e, HTTPX_ERR_CONNECT, "no IP address for '%s' to give the SOCKS5 proxy", conn->route.host);
            httpx__conn_fail(conn, e);
            return;
        }
        httpx__step_resolving(conn, e);     /* a name known at once goes on now */
        return;
    }
    if (httpx__conn_stack(conn, &addrs, e)) httpx__conn_fail(conn, e);
}

/* The stack sets itself up: the bottom stream connects, then the ones
   above it (TLS) run their handshakes. All of it shares the connect
   timeout, as in HTTPX: "connected" means ready to send a request. */
static void httpx__step_connecting(httpx__conn *conn, httpx__err *e) {
    int rc = httpx__stream_connect(conn->io, e);
    double dl;
    if (rc == 1) { httpx__conn_ready(conn); return; }
    if (rc == HTTPX__BAD) { httpx__conn_fail(conn, e); return; }
    if (conn->connect_timeout >= 0 && httpx__now() >= conn->setup_deadline) {
        const char *what = httpx__stream_query(conn->io, HTTPX__FACT_SETUP);
        httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: %s",
                    conn->connect_timeout, what ? what : "not connected");
        httpx__conn_fail(conn, e);
        return;
    }
    conn->want = conn->io->want;
    dl = conn->connect_timeout < 0 ? 0 : conn->setup_deadline;
    if (conn->io->deadline && (!dl || conn->io->deadline < dl)) dl = conn->io->deadline;
    conn->deadline = dl;
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests until transports use it */
HTTPX__PRIVATE httpx_error httpx__conn_adopt(httpx_client *c, const char *url, httpx__stream *s, bool tls, httpx__err *e) {
    httpx__url u;
    httpx__route r;
    httpx__conn *conn;
    if (httpx__url_parse(&u, url, strlen(url), e) || httpx__route_of(&r, c, &u, e) ||
        !(conn = httpx__conn_new(c, &r, c->opts.timeout.connect, e))) {
        httpx__stream_free(s);
        return e->code;
    }
    conn->route.tls = tls;
    conn->io = s;
    if (tls && !(c->tls || (c->tls = httpx__tls_config_new(&c->opts.tls, e)))) {
        httpx__conn_close(conn);
        return e->code;
    }
    if (tls && !(conn->io = httpx__tls_stream_new(c->tls, r.host, r.port, httpx__conn_may_multiplex(conn), s, e))) {
        httpx__conn_close(conn);
        return e->code;
    }
    conn->state = HTTPX__CONN_CONNECTING;
    httpx__conn_step(conn, 0);
    return HTTPX_OK;
}
#endif

/* Steps a connection on readiness (revents) or a passed deadline (0). Setup
   states loop while they make progress: a name known at once connects at
   once. */
HTTPX__PRIVATE void httpx__conn_step(httpx__conn *conn, short revents) {
    httpx__err e;
    enum httpx__conn_state before;
    memset(&e, 0, sizeof e);
    do {
        before = conn->state;
        switch (conn->state) {
        case HTTPX__CONN_RESOLVING: httpx__step_resolving(conn, &e); break;
        case HTTPX__CONN_CONNECTING: httpx__step_connecting(conn, &e); break;
        case HTTPX__CONN_READY: conn->proto->step(conn, revents); return;
        case HTTPX__CONN_CLOSED: return;
        }
        revents = 0;
    } while (conn->state != before && conn->state != HTTPX__CONN_READY);
}
