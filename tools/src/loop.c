/* loop: the one loop of a client (the life of an exchange is exchange.c's). Every
   face runs it: httpx_client_poll, httpx_client_process, httpx_task_wait,
   httpx_gather, the blocking calls and httpx_read. One pass places queued
   exchanges on connections, polls the connections (idle pooled ones too),
   steps the ready ones, and applies every deadline in one place. */
#include "internal.h"
#include "engine_internal.h"

/* The error of a wait whose deadline passed, or of the whole request's
   (total: timeout.total). */
static void httpx__exchange_timeout(httpx__exchange *ex, bool total) {
    httpx_error which = total ? HTTPX_ERR_TOTAL_TIMEOUT : ex->timeout_error ? ex->timeout_error : HTTPX_ERR_READ_TIMEOUT;
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (total)
        httpx__fail(&e, which, "the request took longer than timeout.total (%.3g s)", ex->timeout.total);
    else
        httpx__fail(&e, which, "%s after %.3g s", httpx_strerror(which),
                    which == HTTPX_ERR_READ_TIMEOUT ? ex->timeout.read :
                    which == HTTPX_ERR_WRITE_TIMEOUT ? ex->timeout.write :
                    which == HTTPX_ERR_POOL_TIMEOUT ? ex->timeout.pool : ex->timeout.connect);
    httpx__exchange_fail(ex, &e);
}

/* A retry's wait (retry.c decides it, hop.c resends): the exchange is
   queued but not placed before ex->not_before; the loop wakes for it. */
static bool httpx__ex_holding(const httpx__exchange *ex, double now) {
    return ex->not_before && now < ex->not_before;
}

/* ---- one pass ---- */

static bool httpx__pollfds_reserve(httpx_client *c, int n) {
    struct pollfd *p;
    int cap;
    if (n <= c->pollfds_cap) return true;
    cap = c->pollfds_cap ? c->pollfds_cap : 16;
    while (cap < n) cap *= 2;
    p = (struct pollfd *)httpx__realloc(c->pollfds, (size_t)cap * sizeof *p);
    if (!p) return false;
    c->pollfds = p;
    c->pollfds_cap = cap;
    return true;
}

static int httpx__ms_until(double deadline, double now) {
    double ms = (deadline - now) * 1000.0;
    if (ms <= 0) return 0;
    return ms > 86400000.0 ? 86400000 : (int)(ms + 0.999);
}

/* Gives queued exchanges connections, oldest first; those that must wait
   for the pool start their pool timeout. */
static void httpx__loop_place(httpx_client *c) {
    httpx__exchange *ex, *next;
    double now = httpx__now();
    for (ex = c->live; ex; ex = next) {
        next = ex->live_next;
        if (ex->state != HTTPX__EX_QUEUED || httpx__ex_holding(ex, now)) continue;
        if (httpx__pool_place(c, ex)) {
            next = c->live;          /* the list may have changed: look again from the start */
            continue;
        }
        if (!(ex->deadline && ex->timeout_error == HTTPX_ERR_POOL_TIMEOUT)) {
            ex->deadline = httpx__deadline_in(ex->timeout.pool);
            ex->timeout_error = HTTPX_ERR_POOL_TIMEOUT;
        }
    }
}

/* Closes idle connections past their keepalive expiry (the wait ends for
   them, so this runs on time even with nothing in flight) and frees the
   connections that closed. */
static void httpx__loop_sweep(httpx_client *c) {
    httpx__conn **pp = &c->conns;
    double now = httpx__now();
    while (*pp) {
        httpx__conn *conn = *pp;
        if (conn->state == HTTPX__CONN_READY && !conn->active &&
            now - conn->idle_since > c->opts.limits.keepalive_expiry)
            httpx__conn_close(conn);
        if (conn->state == HTTPX__CONN_CLOSED) { *pp = conn->next; httpx__conn_free(conn); }
        else pp = &conn->next;
    }
}

static void httpx__due_at(double *next, double when) {
    if (when && (!*next || when < *next)) *next = when;
}

/* What the loop waits for, in this one place for a pass and for
   httpx_client_fds: the connections' wants go into fds (the count is
   returned), and *ms says how long to wait for them (-1: no limit): until the
   earliest deadline of a connection or an exchange or an idle connection's
   keepalive expiry, or not at all when a pass has work to do at once (an
   exchange the pool has not yet been asked for, a task to admit or report).
   An exchange that waits for the pool is not work: a connection's event
   frees one, or its pool deadline comes. */
HTTPX__PRIVATE int httpx__loop_wants(httpx_client *c, struct pollfd *fds, int cap, int *ms) {
    httpx__conn *conn;
    httpx__exchange *ex;
    double next = 0, now = httpx__now();
    bool at_once = c->polling <= 1 && c->face && c->face->due(c);   /* nested passes neither admit nor report */
    int n = 0;
    for (conn = c->conns; conn; conn = conn->next) {
        httpx__sock fd = httpx__conn_fd(conn);
        conn->poll_index = -1;
        if (conn->state == HTTPX__CONN_CLOSED) continue;
        httpx__due_at(&next, conn->deadline);
        if (conn->state == HTTPX__CONN_READY && !conn->active)
            httpx__due_at(&next, conn->idle_since + c->opts.limits.keepalive_expiry);
        if (fd == HTTPX__NO_SOCK || !conn->want || n >= cap) continue;
        fds[n].fd = fd;
        fds[n].events = conn->want;
        fds[n].revents = 0;
        conn->poll_index = n++;
    }
    for (ex = c->live; ex; ex = ex->live_next) {
        bool holding = httpx__ex_holding(ex, now);
        if (ex->state == HTTPX__EX_QUEUED && ex->timeout_error != HTTPX_ERR_POOL_TIMEOUT && !holding) at_once = true;
        if (holding) httpx__due_at(&next, ex->not_before);
        httpx__due_at(&next, ex->deadline);
        httpx__due_at(&next, ex->total_deadline);
    }
    *ms = at_once ? 0 : next ? httpx__ms_until(next, httpx__now()) : -1;
    return n;
}

/* Makes conn the head of the list, so that the next pass starts there. */
static void httpx__conns_rotate(httpx_client *c, httpx__conn *conn) {
    httpx__conn **pp = &c->conns, *tail;
    if (c->conns == conn) return;
    while (*pp != conn) pp = &(*pp)->next;
    *pp = NULL;
    for (tail = conn; tail->next; tail = tail->next) {}
    tail->next = c->conns;
    c->conns = conn;
}

/* Steps what poll found ready and what is due. budget: seconds of work
   (0: none); the next pass starts where this one stopped. */
static void httpx__loop_dispatch(httpx_client *c, const struct pollfd *fds, int n, double budget) {
    httpx__conn *conn, *next;
    httpx__exchange *ex, *nex;
    double start = httpx__now(), now;
    for (conn = c->conns; conn; conn = next) {
        short revents = 0;
        next = conn->next;
        if (budget > 0 && conn != c->conns && httpx__now() - start > budget) {
            httpx__conns_rotate(c, conn);
            break;
        }
        if (conn->poll_index >= 0 && conn->poll_index < n && fds[conn->poll_index].fd == httpx__conn_fd(conn))
            revents = fds[conn->poll_index].revents;
        conn->poll_index = -1;
        if (revents) httpx__conn_step(conn, revents);
        else if (conn->deadline && start >= conn->deadline) httpx__conn_step(conn, 0);
    }
    now = httpx__now();
    for (ex = c->live; ex; ex = nex) {
        nex = ex->live_next;
        if ((ex->deadline && now >= ex->deadline) || (ex->total_deadline && now >= ex->total_deadline)) {
            httpx__exchange_timeout(ex, ex->total_deadline && now >= ex->total_deadline);
            nex = c->live;
        }
    }
}

/* Whether a blocking caller's wait is over: its exchange reached `until`
   (-1: a stream reader's news). */
static bool httpx__wait_over(const httpx__exchange *ex, int until) {
    if (!ex) return false;
    if (until < 0) return ex->readable || ex->state == HTTPX__EX_DONE;
    return (int)ex->state >= until;
}

/* One pass for a blocking caller that waits on ex: when ex got what it
   waits for while queued exchanges were placed (a response already in),
   the pass does not wait in poll. */
static void httpx__loop_pass_for(httpx_client *c, int timeout_ms, double budget, const httpx__exchange *ex, int until);

HTTPX__PRIVATE void httpx__loop_pass(httpx_client *c, int timeout_ms, double budget) {
    httpx__loop_pass_for(c, timeout_ms, budget, NULL, 0);
}

/* The first and last steps of every pass: tasks are admitted and reported
   only by the outermost one (a callback's blocking call nests a pass). */
static void httpx__pass_begin(httpx_client *c) {
    c->polling++;
    if (c->polling == 1 && c->face) c->face->admit(c);   /* the faces' work around a pass: see task.c */
    httpx__loop_place(c);
}

static void httpx__pass_end(httpx_client *c) {
    if (c->polling == 1 && c->face) {
        c->face->settle(c);      /* reports what ended, admits what may start */
        httpx__loop_place(c);
    }
    httpx__loop_sweep(c);
    c->polling--;
}

static void httpx__loop_pass_for(httpx_client *c, int timeout_ms, double budget, const httpx__exchange *watch, int until) {
    struct pollfd spare[16];    /* out of memory for the array: go on, 16 at a time */
    struct pollfd *fds = spare;
    int n, ms, rc, cap = 16;
    httpx__pass_begin(c);
    if (httpx__pollfds_reserve(c, c->num_conns + 1)) {
        fds = c->pollfds;
        cap = c->pollfds_cap;
    }
    n = httpx__loop_wants(c, fds, cap, &ms);
    if (timeout_ms >= 0 && (ms < 0 || ms > timeout_ms)) ms = timeout_ms;
    if (httpx__wait_over(watch, until)) ms = 0;
    /* nothing to wait for (everything ended while being placed): no poll */
    rc = n || ms > 0 ? httpx__poll(fds, (size_t)n, ms) : 0;
    httpx__loop_dispatch(c, fds, rc > 0 ? n : 0, budget);
    httpx__pass_end(c);
}

/* A pass over the events the caller polled itself (httpx_client_process):
   a connection gets the revents of its entry in fds, found where
   httpx_client_fds put it or by its descriptor; connections made since then
   get none. Nothing is polled again. */
HTTPX__PRIVATE void httpx__loop_pass_given(httpx_client *c, const struct pollfd *fds, int n) {
    httpx__conn *conn;
    httpx__pass_begin(c);
    for (conn = c->conns; conn; conn = conn->next) {
        httpx__sock fd = httpx__conn_fd(conn);
        int i = conn->poll_index;
        if (i < 0 || fd == HTTPX__NO_SOCK) { conn->poll_index = -1; continue; }
        if (!(i < n && fds[i].fd == fd))          /* the caller kept its own order */
            for (i = 0; i < n && fds[i].fd != fd; i++) {}
        conn->poll_index = i < n ? i : -1;
    }
    httpx__loop_dispatch(c, fds, n, 0);
    httpx__pass_end(c);
}

/* Whether something other than the caller's own exchange could still give a
   connection back: a task in flight. */
static bool httpx__others_in_flight(httpx_client *c, httpx__exchange *self) {
    httpx__exchange *ex;
    for (ex = c->live; ex; ex = ex->live_next)
        if (ex != self && ex->resp->is_task) return true;
    return c->tasks_started > 0 && c->tasks_done < c->tasks_total;
}

HTTPX__PRIVATE void httpx__loop_until(httpx__exchange *ex, enum httpx__ex_state until) {
    httpx_client *c = ex->client;
    while (ex->state < until) {
        if (ex->state == HTTPX__EX_QUEUED) {
            httpx__loop_place(c);
            if (ex->state == HTTPX__EX_QUEUED && !httpx__ex_holding(ex, httpx__now()) &&
                !httpx__others_in_flight(c, ex)) {
                /* Only the pool is waited on, and nothing runs that could hand a
                   connection back: say so now rather than after the pool timeout. */
                httpx__err e;
                memset(&e, 0, sizeof e);
                httpx__fail(&e, HTTPX_ERR_POOL_TIMEOUT,
                            "all %d connections of the client are in use (limits.max_connections); "
                            "close open streams first", c->opts.limits.max_connections);
                httpx__exchange_end(ex, &e);
                return;
            }
        }
        httpx__loop_pass_for(c, -1, 0, ex, (int)until);
    }
}

HTTPX__PRIVATE void httpx__loop_until_readable(httpx__exchange *ex) {
    while (!httpx__wait_over(ex, -1)) httpx__loop_pass_for(ex->client, -1, 0, ex, -1);
}
