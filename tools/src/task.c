/* task: the nonblocking face. A task is a response whose exchange the client
   drives from httpx_client_poll (or from the caller's own event loop through
   httpx_client_fds/httpx_client_process) instead of from a blocking call.
   It is the same exchange state machine as the blocking face. */
#include "internal.h"
#include <errno.h>
#include <poll.h>

static httpx__response *httpx__task_of(const httpx_task *t) { return (httpx__response *)(void *)(uintptr_t)t; }

/* The caller's options may live in a compound literal that is gone before the
   task runs, so a task keeps its own copy of everything it reads later:
   headers, auth strings, and the body bytes. */
static bool httpx__task_copy_opts(httpx__response *r, const httpx_opts *o) {
    size_t nh, sh = httpx__pairs_size(o->headers, &nh);
    size_t su = o->auth.username ? strlen(o->auth.username) + 1 : 0;
    size_t sp = o->auth.password ? strlen(o->auth.password) + 1 : 0;
    char *store;
    httpx_pair *pairs;
    r->opts_copy = *o;
    r->opts_store = (char *)httpx__malloc((nh + 1) * sizeof(httpx_pair) + sh + su + sp);
    if (!r->opts_store) return false;
    pairs = (httpx_pair *)(void *)r->opts_store;
    store = r->opts_store + (nh + 1) * sizeof(httpx_pair);
    httpx__pairs_copy(pairs, o->headers, &store);
    r->opts_copy.headers = o->headers ? pairs : NULL;
    if (su) { memcpy(store, o->auth.username, su); r->opts_copy.auth.username = store; store += su; }
    if (sp) { memcpy(store, o->auth.password, sp); r->opts_copy.auth.password = store; }
    /* parts already consumed by httpx__begin need no copy: URL and params */
    r->opts_copy.params = NULL;
    r->opts_copy.data = NULL;
    return true;
}

static void httpx__task_link(httpx_client *c, httpx__response *r) {
    r->task_prev = c->tasks_tail;
    r->task_next = NULL;
    if (c->tasks_tail) c->tasks_tail->task_next = r;
    else c->tasks = r;
    c->tasks_tail = r;
    c->tasks_total++;
}

HTTPX__PRIVATE void httpx__task_unlink(httpx__response *r) {
    httpx_client *c = r->ex.client;
    if (!r->is_task) return;
    if (r->task_prev) r->task_prev->task_next = r->task_next;
    else c->tasks = r->task_next;
    if (r->task_next) r->task_next->task_prev = r->task_prev;
    else c->tasks_tail = r->task_prev;
    c->tasks_total--;
    if (r->started && !r->finished) c->tasks_started--;
    if (r->finished) c->tasks_done--;
    r->is_task = false;
    httpx__free(r->opts_store);
    r->opts_store = NULL;
}

HTTPX_API httpx_task *httpx_client_start(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    static httpx_opts none;
    httpx__response *r = httpx__response_new();
    httpx__exchange *ex;
    if (!r) return NULL;
    if (!httpx__task_copy_opts(r, opt ? opt : &none)) {
        httpx__free(r);
        return NULL;
    }
    r->is_task = true;
    httpx__task_link(c, r);
    httpx__begin(r, c, method, url, &r->opts_copy, false);
    ex = &r->ex;
    /* a body in the caller's memory is copied, unless it is ours already */
    if (ex->body && ex->body != r->scratch.p) {
        httpx__buf_clear(&r->scratch);
        if (!httpx__buf_append(&r->scratch, ex->body, ex->body_len)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory copying the request body");
            httpx__exchange_fail(ex, &e);
        }
        ex->body = r->scratch.p;
    }
    return (httpx_task *)r;
}

HTTPX_API bool httpx_task_done(const httpx_task *t) { return t && httpx__task_of(t)->finished; }

HTTPX_API httpx_response *httpx_task_response(httpx_task *t) {
    httpx__response *r = httpx__task_of(t);
    return r && r->finished ? &r->pub : NULL;
}

HTTPX_API void httpx_task_free(httpx_task *t) {
    if (t) httpx_response_free(&httpx__task_of(t)->pub);
}

HTTPX_API void httpx_task_cancel(httpx_task *t) { httpx_task_free(t); }

/* ---- driving the tasks ---- */

/* Moves queued tasks into flight while max_in_flight allows, and lets tasks
   waiting for a pooled connection look again (one may have come free). */
static void httpx__tasks_admit(httpx_client *c) {
    httpx__response *r;
    for (r = c->tasks; r; r = r->task_next) {
        if (r->started) {
            if (!r->finished && r->ex.state == HTTPX__EX_QUEUED) httpx__exchange_step(&r->ex, 0);
            continue;
        }
        if (c->opts.max_in_flight > 0 && c->tasks_started >= c->opts.max_in_flight) continue;
        r->started = true;
        c->tasks_started++;
        r->ex.started = httpx__now();
        httpx__exchange_step(&r->ex, 0);
    }
}

/* A task whose exchange ended: follow a redirect, or report it. Returns true
   when the task was freed (on_done set). */
static bool httpx__task_settle(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx_client *c = ex->client;
    if (ex->state != HTTPX__EX_DONE || r->finished) return false;
    if (httpx__wants_redirect(r) && httpx__follow(r, &r->redirects)) {
        httpx__exchange_step(ex, 0);
        if (ex->state != HTTPX__EX_DONE) return false;
    }
    if (r->body.p && !ex->opts->on_data) {
        r->pub.content = r->body.p;
        r->pub.content_length = r->body.len;
    }
    httpx__request_body_free(ex);
    r->finished = true;
    c->tasks_started--;
    c->tasks_done++;
    if (ex->opts->on_done) {
        ex->opts->on_done(ex->opts->user_data, (httpx_task *)r, &r->pub);
        httpx_response_free(&r->pub);
        return true;
    }
    return false;
}

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

HTTPX_API int httpx_client_fds(httpx_client *c, struct pollfd *fds, int cap, int *timeout_ms) {
    httpx__response *r;
    double now = httpx__now(), next = 0;
    int n = 0;
    httpx__tasks_admit(c);
    for (r = c->tasks; r; r = r->task_next) {
        httpx__exchange *ex = &r->ex;
        r->poll_index = -1;
        if (!r->started || r->finished) continue;
        if (ex->state == HTTPX__EX_DONE) { next = now; continue; }   /* settle it on the next call */
        if (ex->deadline && (!next || ex->deadline < next)) next = ex->deadline;
        if (!ex->want || httpx__exchange_fd(ex) < 0 || n >= cap) continue;
        fds[n].fd = httpx__exchange_fd(ex);
        fds[n].events = ex->want;
        fds[n].revents = 0;
        r->poll_index = n++;
    }
    if ((r = c->blocking) != NULL) {
        httpx__exchange *ex = &r->ex;
        r->poll_index = -1;
        if (ex->deadline && (!next || ex->deadline < next)) next = ex->deadline;
        if (ex->want && httpx__exchange_fd(ex) >= 0 && n < cap) {
            fds[n].fd = httpx__exchange_fd(ex);
            fds[n].events = ex->want;
            fds[n].revents = 0;
            r->poll_index = n++;
        }
    }
    if (timeout_ms) *timeout_ms = next ? httpx__ms_until(next, now) : -1;
    return n;
}

/* Makes r the head of the task list, so that the next pass starts there. */
static void httpx__tasks_rotate(httpx_client *c, httpx__response *r) {
    httpx__response *before = r->task_prev;
    if (!before) return;
    before->task_next = NULL;
    r->task_prev = NULL;
    c->tasks_tail->task_next = c->tasks;
    c->tasks->task_prev = c->tasks_tail;
    c->tasks_tail = before;
    c->tasks = r;
}

/* Works through the tasks that poll found ready. With a budget (seconds,
   0: none) it stops once the budget is spent, so that one frame's
   httpx_client_poll(c, 0) does not run thirty TLS handshakes in a row; the
   next call starts where this one stopped (poll reports the rest again). */
/* Steps the exchange of a blocking call that waits among the tasks. */
static void httpx__process_blocking(httpx__response *r, struct pollfd *fds, int n, double now) {
    httpx__exchange *ex = &r->ex;
    short revents = 0;
    httpx__err e;
    if (r->poll_index >= 0 && r->poll_index < n && fds[r->poll_index].fd == httpx__exchange_fd(ex))
        revents = fds[r->poll_index].revents;
    r->poll_index = -1;
    if (revents || ex->state == HTTPX__EX_QUEUED || (ex->deadline && now >= ex->deadline && httpx__exchange_steps_on_deadline(ex))) {
        httpx__exchange_step(ex, revents);
    } else if (ex->deadline && now >= ex->deadline) {
        memset(&e, 0, sizeof e);
        httpx__exchange_timeout(ex, &e);
        httpx__exchange_fail(ex, &e);
    }
}

static int httpx__process(httpx_client *c, struct pollfd *fds, int n, double budget) {
    httpx__response *r, *next;
    double now = httpx__now();
    httpx__err e;
    if (c->blocking) httpx__process_blocking(c->blocking, fds, n, now);
    for (r = c->tasks; r; r = next) {
        httpx__exchange *ex = &r->ex;
        short revents = 0;
        next = r->task_next;
        if (budget > 0 && r != c->tasks && httpx__now() - now > budget) {
            httpx__tasks_rotate(c, r);
            break;
        }
        if (!r->started || r->finished) continue;
        if (r->poll_index >= 0 && r->poll_index < n && fds[r->poll_index].fd == httpx__exchange_fd(ex))
            revents = fds[r->poll_index].revents;
        r->poll_index = -1;
        if (revents) {
            httpx__exchange_step(ex, revents);
        } else if (ex->deadline && now >= ex->deadline) {
            if (httpx__exchange_steps_on_deadline(ex)) {
                httpx__exchange_step(ex, 0);      /* next address, DNS retry, or a connect timeout */
            } else {
                memset(&e, 0, sizeof e);
                httpx__exchange_timeout(ex, &e);
                httpx__exchange_fail(ex, &e);
            }
        }
        httpx__task_settle(r);
    }
    httpx__tasks_admit(c);
    if (c->blocking && c->blocking->ex.state == HTTPX__EX_QUEUED)
        httpx__exchange_step(&c->blocking->ex, 0);   /* a task may have given a connection back */
    for (r = c->tasks; r; r = next) {            /* tasks that ended while being admitted */
        next = r->task_next;
        if (r->started) httpx__task_settle(r);
    }
    return c->tasks_total - c->tasks_done;
}

HTTPX_API int httpx_client_process(httpx_client *c, struct pollfd *fds, int n) {
    int left;
    c->polling++;
    left = httpx__process(c, fds, n, 0);
    c->polling--;
    return left;
}

#define HTTPX__FRAME_BUDGET 0.002   /* seconds of work one poll(c, 0) aims at */

HTTPX_API int httpx_client_poll(httpx_client *c, int timeout_ms) {
    struct pollfd spare[16];    /* out of memory for the array: go on, 16 at a time */
    struct pollfd *fds = spare;
    int n, ms, rc, cap = 16;
    httpx__tasks_admit(c);
    if (httpx__pollfds_reserve(c, c->tasks_started + 1)) {
        fds = c->pollfds;
        cap = c->pollfds_cap;
    }
    n = httpx_client_fds(c, fds, cap, &ms);
    if (timeout_ms >= 0 && (ms < 0 || ms > timeout_ms)) ms = timeout_ms;
    if (n == 0 && ms < 0) return httpx_client_process(c, fds, 0);   /* nothing to wait for */
    rc = poll(fds, (nfds_t)n, ms);
    if (rc < 0 && errno != EINTR) rc = 0;
    c->polling++;
    rc = httpx__process(c, fds, rc > 0 ? n : 0, timeout_ms == 0 ? HTTPX__FRAME_BUDGET : 0);
    c->polling--;
    return rc;
}

HTTPX__PRIVATE httpx_error httpx__blocking_wait(httpx__exchange *ex, httpx__err *e) {
    httpx_client *c = ex->client;
    if (ex->state == HTTPX__EX_QUEUED) {       /* a task may have given a connection back */
        httpx__exchange_step(ex, 0);
        if (ex->state != HTTPX__EX_QUEUED) return HTTPX_OK;
    }
    /* Inside a callback the task list is being walked: wait alone there. */
    if (c->tasks_total == c->tasks_done || c->polling) return httpx__exchange_wait(ex, e);
    c->blocking = ex->resp;
    httpx_client_poll(c, -1);
    c->blocking = NULL;
    return HTTPX_OK;                /* failures land in the response, as the exchange's own */
}

HTTPX_API httpx_response *httpx_task_wait(httpx_task *t) {
    httpx__response *r = httpx__task_of(t);
    if (!r) return NULL;
    while (!r->finished) httpx_client_poll(r->ex.client, -1);
    return &r->pub;
}

HTTPX_API void httpx_gather(httpx_client *c, httpx_task **tasks, size_t n) {
    size_t i;
    for (;;) {
        bool all = true;
        for (i = 0; i < n && all; i++) all = !tasks[i] || httpx__task_of(tasks[i])->finished;
        if (all) return;
        httpx_client_poll(c, -1);
    }
}
