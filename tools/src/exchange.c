/* exchange: the life of one request and its response in the engine, and
   the one owner of its state. Connections, protocols and the loop move an
   exchange only through httpx__exchange_set_state, which asserts the
   transition against a table, as h11's _state.py does for its connection.
   This file comes before the connection and protocol files, so that they
   call it downwards; it reaches the response above only through the sink
   the response installed (head, wake, end). */
#include "internal.h"
#include "net_internal.h"
#include "engine_internal.h"

/* ---- the state, in one place ---- */

#define HTTPX__EX_BIT(s) (1u << (s))
/* For each state, the states it may go to. */
static const unsigned httpx__ex_next[] = {
    /* IDLE: submitted, or failed before (building the request) */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* QUEUED: attached to a connection being set up, served by a ready one, or ended */
    HTTPX__EX_BIT(HTTPX__EX_ATTACHED) | HTTPX__EX_BIT(HTTPX__EX_SENDING) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* ATTACHED: served when ready, back to the queue (it cannot take it), or ended */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_SENDING) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* SENDING: the request is out (or the answer came early), requeued once, ended */
    HTTPX__EX_BIT(HTTPX__EX_RECV_HEAD) | HTTPX__EX_BIT(HTTPX__EX_BODY) | HTTPX__EX_BIT(HTTPX__EX_QUEUED) |
        HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* RECV_HEAD: the final head came, requeued once (never answered), ended */
    HTTPX__EX_BIT(HTTPX__EX_BODY) | HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* BODY: ended */
    HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* DONE: the next hop of a redirect is submitted, or begins afresh */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_IDLE)
};

HTTPX__PRIVATE void httpx__exchange_set_state(httpx__exchange *ex, enum httpx__ex_state to) {
    HTTPX_ASSERT((unsigned)ex->state < sizeof httpx__ex_next / sizeof httpx__ex_next[0]);
    HTTPX_ASSERT(httpx__ex_next[ex->state] & HTTPX__EX_BIT(to));
    ex->state = to;
}

/* A response sets up its exchange: state IDLE, the sink it listens with. */
HTTPX__PRIVATE void httpx__exchange_init(httpx__exchange *ex, const httpx__exchange_sink *sink) {
    ex->state = HTTPX__EX_IDLE;
    ex->sink = sink;
}

HTTPX__PRIVATE double httpx__deadline_in(double seconds) { return seconds < 0 ? 0 : httpx__now() + seconds; }

HTTPX__PRIVATE void httpx__exchange_wait(httpx__exchange *ex, double seconds, httpx_error which) {
    ex->deadline = httpx__deadline_in(seconds);
    ex->timeout_error = which;
}

HTTPX__PRIVATE bool httpx__exchange_may_retry(const httpx__exchange *ex, bool need_idempotent) {
    return !ex->retried && ex->req->replayable && (!need_idempotent || ex->req->idempotent);
}

/* ---- exchanges in flight ---- */

static void httpx__live_add(httpx__exchange *ex) {
    httpx_client *c = ex->client;
    if (ex->live) return;
    ex->live = true;
    ex->live_next = NULL;
    ex->live_prev = c->live_tail;
    if (c->live_tail) c->live_tail->live_next = ex;
    else c->live = ex;
    c->live_tail = ex;
}

HTTPX__PRIVATE void httpx__live_remove(httpx__exchange *ex) {
    httpx_client *c = ex->client;
    if (!ex->live) return;
    if (ex->live_prev) ex->live_prev->live_next = ex->live_next;
    else c->live = ex->live_next;
    if (ex->live_next) ex->live_next->live_prev = ex->live_prev;
    else c->live_tail = ex->live_prev;
    ex->live = false;
    ex->live_prev = ex->live_next = NULL;
}

/* ---- a connection's lists of exchanges ---- */

static void httpx__list_remove(httpx__exchange **head, httpx__exchange *ex) {
    for (; *head; head = &(*head)->conn_next)
        if (*head == ex) {
            *head = ex->conn_next;
            ex->conn_next = NULL;
            return;
        }
}

HTTPX__PRIVATE void httpx__conn_detach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_remove(&conn->waiters, ex);
    httpx__list_remove(&conn->active, ex);
    if (ex->conn == conn) ex->conn = NULL;
}

/* ---- the steps ---- */

HTTPX__PRIVATE void httpx__exchange_submit(httpx__exchange *ex) {
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
    ex->deadline = 0;
    ex->timeout_error = HTTPX_OK;   /* not yet waiting for the pool: a pass places it at once */
    ex->readable = false;
    ex->reused = ex->retried = ex->setup_failed = false;
    ex->not_before = 0;     /* a retry sets its wait after this */
    ex->started = httpx__now();
    if (!ex->total_deadline) ex->total_deadline = httpx__deadline_in(ex->timeout.total);
    httpx__live_add(ex);
}

HTTPX__PRIVATE void httpx__exchange_requeue(httpx__conn *conn, httpx__exchange *ex) {
    httpx__conn_detach(conn, ex);
    ex->retried = true;
    ex->reused = false;
    ex->deadline = 0;
    ex->timeout_error = HTTPX_OK;
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
}

/* Off its connection and the live list, DONE; the sink hears of the end. */
static void httpx__exchange_done(httpx__exchange *ex, httpx__err *e) {
    ex->conn = NULL;
    httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    ex->deadline = 0;
    ex->readable = true;
    httpx__live_remove(ex);
    ex->sink->end(ex, e && e->code ? e : NULL);
}

HTTPX__PRIVATE void httpx__exchange_end(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    bool ok = !e || !e->code;
    if (ex->state == HTTPX__EX_DONE) return;
    if (conn) {
        if (conn->proto && ex->state >= HTTPX__EX_SENDING) conn->proto->release(conn, ex, ok);
        else httpx__conn_detach(conn, ex);
    }
    httpx__exchange_done(ex, e);
}

HTTPX__PRIVATE void httpx__exchange_abandon(httpx__exchange *ex) {
    httpx__conn *conn = ex->conn;
    if (ex->state == HTTPX__EX_DONE) return;
    if (conn && conn->proto && ex->state >= HTTPX__EX_SENDING) conn->proto->cancel(conn, ex);
    else if (conn) httpx__conn_detach(conn, ex);   /* its connection goes on for the others */
    ex->conn = NULL;
    httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    ex->deadline = 0;
    httpx__live_remove(ex);
}

HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e) {
    httpx__exchange_abandon(ex);     /* off its connection (HTTP/1.1 closes it) or the pool queue */
    ex->sink->end(ex, e);
}

HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n;
    if (ex->state != HTTPX__EX_BODY) return ex->state == HTTPX__EX_DONE ? 0 : HTTPX__AGAIN;
    ex->readable = false;
    n = ex->conn->proto->read_body(ex->conn, ex, buf, cap, e);
    if (n > 0) ex->deadline = 0;
    else if (n == 0) httpx__exchange_end(ex, NULL);
    else if (n == HTTPX__BAD) httpx__exchange_end(ex, e);
    return n;
}

/* ---- up to the response, through its sink ---- */

HTTPX__PRIVATE httpx_error httpx__exchange_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e) {
    httpx__head v = *h;
    httpx__exchange_set_state(ex, HTTPX__EX_BODY);
    ex->deadline = 0;
    /* the facts of the connection that carried it go up as values: the
       response never reads a connection (a mock exchange has none) */
    v.connection_reused = ex->reused;
    v.alpn = v.tls_version = v.tls_cipher = NULL;
    if (ex->conn && ex->conn->route.tls) {      /* asked of the connection's stack of streams */
        v.alpn = httpx__stream_query(ex->conn->io, HTTPX__FACT_ALPN);
        v.tls_version = httpx__stream_query(ex->conn->io, HTTPX__FACT_TLS_VERSION);
        v.tls_cipher = httpx__stream_query(ex->conn->io, HTTPX__FACT_TLS_CIPHER);
    }
    return ex->sink->head(ex, &v, e);
}

HTTPX__PRIVATE void httpx__exchange_wake(httpx__exchange *ex) { ex->sink->wake(ex); }
