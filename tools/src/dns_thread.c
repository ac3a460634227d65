/* dns_thread: with HTTPX_DNS_THREADS, getaddrinfo runs on a helper thread
   instead of the stub resolver, and a pipe tells the loop when it is done.
   The user's allocator must then be thread-safe: the thread may free the
   lookup's state when the caller has already dropped it. */
#include "dns_private.h"
#include <errno.h>
#include <unistd.h>

#ifdef HTTPX_DNS_THREADS
#include <pthread.h>
#include <signal.h>

/* The job is shared by the caller and the thread and freed by whichever lets
   go last, so httpx__dns_free never waits for a slow getaddrinfo. */
struct httpx__dns_job {
    pthread_mutex_t lock;
    int refs;
    int pipe[2];                    /* the thread writes a byte when done */
    bool done;
    int port;
    const char *why;                /* the lookup failed: why (a static string) */
    char host[HTTPX__DNS_NAME];
    httpx__dns_list found;
};

static void httpx__dns_job_release(httpx__dns_job *j) {
    bool last;
    pthread_mutex_lock(&j->lock);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last) return;
    pthread_mutex_destroy(&j->lock);
    close(j->pipe[0]);
    close(j->pipe[1]);
    httpx__free(j);
}

/* How many lookup threads still run, for the tests only: a detached thread
   frees its job last, so a leak check at exit waits for them. */
#ifdef HTTPX__TEST_HOOKS
static pthread_mutex_t httpx__dns_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t httpx__dns_threads_idle = PTHREAD_COND_INITIALIZER;
static int httpx__dns_threads_running;

static void httpx__dns_threads_count(int delta) {
    pthread_mutex_lock(&httpx__dns_threads_lock);
    httpx__dns_threads_running += delta;
    if (httpx__dns_threads_running == 0) pthread_cond_broadcast(&httpx__dns_threads_idle);
    pthread_mutex_unlock(&httpx__dns_threads_lock);
}

HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void) {
    pthread_mutex_lock(&httpx__dns_threads_lock);
    while (httpx__dns_threads_running > 0) pthread_cond_wait(&httpx__dns_threads_idle, &httpx__dns_threads_lock);
    pthread_mutex_unlock(&httpx__dns_threads_lock);
}
#else
#define httpx__dns_threads_count(delta) ((void)0)
#endif

static void httpx__dns_thread_add(void *ctx, int family, const void *ip) {
    httpx__dns_list_add((httpx__dns_list *)ctx, family, ip);
}

static void *httpx__dns_thread(void *arg) {
    httpx__dns_job *j = (httpx__dns_job *)arg;
    httpx__dns_list found;
    const char *why;
    memset(&found, 0, sizeof found);
    why = httpx__lookup_blocking(j->host, httpx__dns_thread_add, &found);
    pthread_mutex_lock(&j->lock);
    j->found = found;
    j->why = why;
    j->done = true;
    if (write(j->pipe[1], "x", 1) < 0) { /* a full pipe already wakes the reader */ }
    pthread_mutex_unlock(&j->lock);
    httpx__dns_job_release(j);
    httpx__dns_threads_count(-1);
    return NULL;
}

HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = (httpx__dns_job *)httpx__malloc(sizeof *j);
    pthread_t tid;
    sigset_t all, old;
    int i, rc;
    if (!j) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", d->host);
        httpx__free(d);
        return NULL;
    }
    memset(j, 0, sizeof *j);
    memcpy(j->host, d->host, sizeof j->host);
    if (pipe(j->pipe) != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': pipe(): %s", d->host, strerror(errno));
        httpx__free(j);
        httpx__free(d);
        return NULL;
    }
    for (i = 0; i < 2; i++) httpx__fd_nonblock(j->pipe[i]);
    pthread_mutex_init(&j->lock, NULL);
    j->refs = 2;
    /* The thread starts with every signal blocked: the program's handlers
       keep running on the program's own threads. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    httpx__dns_threads_count(1);
    rc = pthread_create(&tid, NULL, httpx__dns_thread, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        httpx__dns_threads_count(-1);
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': cannot start a thread: %s", d->host,
                    strerror(rc));
        j->refs = 1;
        httpx__dns_job_release(j);
        httpx__free(d);
        return NULL;
    }
    pthread_detach(tid);
    d->job = j;
    return d;
}

HTTPX__PRIVATE int httpx__dns_thread_step(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = d->job;
    char c;
    bool done;
    const char *why;
    while (read(j->pipe[0], &c, 1) > 0) {}
    pthread_mutex_lock(&j->lock);
    done = j->done;
    why = j->why;
    if (done) d->found = j->found;
    pthread_mutex_unlock(&j->lock);
    if (!done) return 0;
    if (why) return httpx__dns_fail(d, e, "%s", why);
    if (!d->found.n4 && !d->found.n6) return httpx__dns_fail(d, e, "no IPv4 or IPv6 address");
    d->state = HTTPX__DNS_DONE;
    return 1;
}

HTTPX__PRIVATE int httpx__dns_thread_fd(const httpx__dns *d) { return d->job->pipe[0]; }

HTTPX__PRIVATE void httpx__dns_thread_close(httpx__dns *d) {
    if (d->job) httpx__dns_job_release(d->job);
    d->job = NULL;
}

#endif /* HTTPX_DNS_THREADS */
