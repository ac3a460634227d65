/* The exchange's state has one owner (exchange.c): legal transitions pass,
   an illegal one is caught by HTTPX_ASSERT; the layer above hears of an
   exchange only through the sink it installed. No sockets. */
#include "test.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct ext_log { int heads, wakes, ends; httpx_error last; int status; } ext_log;
static ext_log ext_seen;

static httpx_error ext_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e) {
    (void)e;
    ext_seen.heads++;
    ext_seen.status = h->status;
    CHECK_INT(ex->state, HTTPX__EX_BODY);       /* the door is passed in BODY */
    return HTTPX_OK;
}
static void ext_wake(httpx__exchange *ex) { (void)ex; ext_seen.wakes++; }
static void ext_end(httpx__exchange *ex, httpx__err *e) {
    ext_seen.ends++;
    ext_seen.last = e ? e->code : HTTPX_OK;
    CHECK_INT(ex->state, HTTPX__EX_DONE);
}
static const httpx__exchange_sink ext_sink = {ext_head, ext_wake, ext_end};

TEST(exchange_legal_path_and_sink) {
    httpx__exchange ex;
    httpx__head h;
    httpx__err e;
    memset(&ex, 0, sizeof ex);
    memset(&h, 0, sizeof h);
    memset(&e, 0, sizeof e);
    memset(&ext_seen, 0, sizeof ext_seen);
    httpx__exchange_init(&ex, &ext_sink);
    CHECK_INT(ex.state, HTTPX__EX_IDLE);
    httpx__exchange_set_state(&ex, HTTPX__EX_QUEUED);
    httpx__exchange_set_state(&ex, HTTPX__EX_ATTACHED);
    httpx__exchange_set_state(&ex, HTTPX__EX_SENDING);
    httpx__exchange_set_state(&ex, HTTPX__EX_RECV_HEAD);
    h.status = 204;
    h.version = "HTTP/1.1";
    h.reason = "";
    CHECK_INT(httpx__exchange_head(&ex, &h, &e), HTTPX_OK);
    CHECK_INT(ext_seen.heads, 1);
    CHECK_INT(ext_seen.status, 204);
    httpx__exchange_wake(&ex);
    CHECK_INT(ext_seen.wakes, 1);
    httpx__exchange_end(&ex, NULL);
    CHECK_INT(ext_seen.ends, 1);
    CHECK_INT(ext_seen.last, HTTPX_OK);
    httpx__exchange_end(&ex, NULL);              /* ending twice is a no-op */
    CHECK_INT(ext_seen.ends, 1);
    /* the next hop of a redirect; then a failure reaches the sink */
    httpx__exchange_set_state(&ex, HTTPX__EX_QUEUED);
    httpx__fail(&e, HTTPX_ERR_READ_TIMEOUT, "read timeout");
    httpx__exchange_fail(&ex, &e);
    CHECK_INT(ext_seen.ends, 2);
    CHECK_INT(ext_seen.last, HTTPX_ERR_READ_TIMEOUT);
    CHECK_INT(ex.state, HTTPX__EX_DONE);
}

/* Runs from -> to in a child; true when the child died of the assertion. */
static bool ext_aborts(enum httpx__ex_state from, enum httpx__ex_state to) {
    int status = 0;
    pid_t pid = fork();
    if (pid == 0) {
        httpx__exchange ex;
        memset(&ex, 0, sizeof ex);
        (void)!freopen("/dev/null", "w", stderr);   /* the assertion's message is expected */
        ex.state = from;
        httpx__exchange_set_state(&ex, to);
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

TEST(exchange_illegal_transitions_are_asserted) {
#ifdef NDEBUG
    return;     /* HTTPX_ASSERT is assert(): nothing to see */
#endif
    CHECK(ext_aborts(HTTPX__EX_BODY, HTTPX__EX_SENDING));       /* a body never goes back to sending */
    CHECK(ext_aborts(HTTPX__EX_IDLE, HTTPX__EX_BODY));          /* no head without a request */
    CHECK(ext_aborts(HTTPX__EX_QUEUED, HTTPX__EX_RECV_HEAD));   /* nothing was sent */
    CHECK(ext_aborts(HTTPX__EX_DONE, HTTPX__EX_SENDING));       /* a new hop is queued first */
    CHECK(!ext_aborts(HTTPX__EX_SENDING, HTTPX__EX_RECV_HEAD)); /* and a legal one does not */
}
