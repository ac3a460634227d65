/* task: the nonblocking face. A task is a response whose hops the client
   drives from httpx_client_poll (or from the caller's own event loop through
   httpx_client_fds/httpx_client_process) instead of from a blocking call.
   It is the same hop (hop.c) as the blocking face. The loop knows nothing
   of tasks: the face installs hooks on its client (httpx__task_face) that
   admit and settle tasks around each pass. */
#include "internal.h"
#include "engine_internal.h"
#include <errno.h>

static const httpx__face_hooks *httpx__task_face(void);

static httpx__response *httpx__task_of(const httpx_task *t) { return (httpx__response *)(void *)(uintptr_t)t; }

/* The caller's options may live in a compound literal that is gone before the
   task runs, so a task keeps its own copy of everything it reads later:
   headers, auth strings, and the body bytes. */
static bool httpx__task_copy_opts(httpx__response *r, const httpx_opts *o) {
    size_t nh, sh = httpx__pairs_size(o->headers, &nh);
    size_t nc, sc = httpx__pairs_size(o->cookies, &nc);
    size_t su = o->auth.username ? strlen(o->auth.username) + 1 : 0;
    size_t sp = o->auth.password ? strlen(o->auth.password) + 1 : 0;
    char *store;
    httpx_pair *pairs;
    r->opts_copy = *o;
    r->opts_store = (char *)httpx__malloc((nh + nc + 2) * sizeof(httpx_pair) + sh + sc + su + sp);
    if (!r->opts_store) return false;
    pairs = (httpx_pair *)(void *)r->opts_store;
    store = r->opts_store + (nh + nc + 2) * sizeof(httpx_pair);
    httpx__pairs_copy(pairs, o->headers, &store);
    r->opts_copy.headers = o->headers ? pairs : NULL;
    httpx__pairs_copy(pairs + nh + 1, o->cookies, &store);    /* read at every hop */
    r->opts_copy.cookies = o->cookies ? pairs + nh + 1 : NULL;
    if (su) { memcpy(store, o->auth.username, su); r->opts_copy.auth.username = store; store += su; }
    if (sp) { memcpy(store, o->auth.password, sp); r->opts_copy.auth.password = store; }
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

static void httpx__task_unlink(httpx__response *r) {
    httpx_client *c = r->client;
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
    httpx__request *q;
    if (!r) return NULL;
    if (!httpx__task_copy_opts(r, opt ? opt : &none)) {
        httpx__free(r);
        return NULL;
    }
    c->face = httpx__task_face();
    r->is_task = true;
    r->on_free = httpx__task_unlink;
    r->client = c;
    httpx__task_link(c, r);
    httpx__begin(r, c, method, url, &r->opts_copy, false);
    /* httpx__begin consumed these (into the URL and the form body); past this
       call they may point to the caller's dead memory, so nothing may read them */
    r->opts_copy.params = NULL;
    r->opts_copy.data = NULL;
    q = &r->req;
    /* a body in the caller's memory is copied */
    if (q->body && q->body != r->form.p) {
        if (!httpx__buf_append(&r->body_copy, q->body, q->body_len) || !httpx__buf_reserve(&r->body_copy, 0)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory copying the request body");
            httpx__response_fail(r, &e);
            httpx__exchange_set_state(&r->ex, HTTPX__EX_DONE);
        }
        q->body = r->body_copy.p;
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

/* Moves tasks into flight while max_in_flight allows. */
static void httpx__tasks_admit(httpx_client *c) {
    httpx__response *r;
    for (r = c->tasks; r; r = r->task_next) {
        if (r->started) continue;
        if (c->opts.max_in_flight > 0 && c->tasks_started >= c->opts.max_in_flight) break;
        r->started = true;
        c->tasks_started++;
        httpx__hop_send(r);
    }
}

/* A task whose hop ended: the next hop of a redirect, or report it. Returns
   true when the task was freed (on_done set). */
static bool httpx__task_settle(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx_client *c = r->client;
    httpx_done_fn on_done = r->opts->on_done;
    if (ex->state != HTTPX__EX_DONE || r->finished || !r->started) return false;
    if (!httpx__hop_settle(r)) return false;
    r->finished = true;
    c->tasks_started--;
    c->tasks_done++;
    if (on_done) {
        c->callback_task = r;
        on_done(r->opts->user_data, (httpx_task *)r, &r->pub);
        c->callback_task = NULL;
        httpx_response_free(&r->pub);
        return true;
    }
    return false;
}

static void httpx__tasks_settle(httpx_client *c) {
    httpx__response *r, *next;
    for (r = c->tasks; r; r = next) {
        next = r->task_next;
        if (httpx__task_settle(r)) next = c->tasks;   /* the callback may have started or ended others */
    }
    httpx__tasks_admit(c);
}

/* A task to admit (there is room) or that ended and waits for its report:
   the pass must not wait. */
static bool httpx__tasks_due(const httpx_client *c) {
    const httpx__response *r;
    bool room = c->opts.max_in_flight <= 0 || c->tasks_started < c->opts.max_in_flight;
    if (c->tasks_done >= c->tasks_total) return false;
    for (r = c->tasks; r; r = r->task_next)
        if (!r->finished && (r->started ? r->ex.state == HTTPX__EX_DONE : room)) return true;
    return false;
}

static const httpx__face_hooks *httpx__task_face(void) {
    static const httpx__face_hooks face = {httpx__tasks_admit, httpx__tasks_due, httpx__tasks_settle};
    return &face;
}

/* ---- the faces of the loop ---- */

HTTPX_API int httpx_client_fds(httpx_client *c, struct pollfd *fds, int cap, int *timeout_ms) {
    int ms, n = httpx__loop_wants(c, fds, cap, &ms);
    if (timeout_ms) *timeout_ms = ms;
    return n;
}

static int httpx__tasks_left(httpx_client *c) { return c->tasks_total - c->tasks_done; }

/* The caller polled what httpx_client_fds reported: the work is done with
   the revents it got, without polling again. */
HTTPX_API int httpx_client_process(httpx_client *c, struct pollfd *fds, int n) {
    httpx__loop_pass_given(c, fds, fds ? n : 0);
    return httpx__tasks_left(c);
}

#define HTTPX__FRAME_BUDGET 0.002   /* seconds of work one poll(c, 0) aims at */

HTTPX_API int httpx_client_poll(httpx_client *c, int timeout_ms) {
    /* No task in flight: nothing to wait for without end (an idle pooled
       connection is no reason to block). A bounded wait still serves the idle
       connections, and every pass does what is due, such as closing those
       past their keepalive expiry. */
    if (timeout_ms < 0 && httpx__tasks_left(c) == 0) timeout_ms = 0;
    httpx__loop_pass(c, timeout_ms, timeout_ms == 0 ? HTTPX__FRAME_BUDGET : 0);
    return httpx__tasks_left(c);
}

HTTPX_API httpx_response *httpx_task_wait(httpx_task *t) {
    httpx__response *r = httpx__task_of(t);
    if (!r) return NULL;
    /* a task with on_done is freed when it ends: there is nothing to wait for */
    HTTPX_ASSERT(!r->opts->on_done);
    while (!r->finished) httpx_client_poll(r->client, -1);
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
