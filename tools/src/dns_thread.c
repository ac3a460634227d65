/* dns_thread: with HTTPX_DNS_THREADS, getaddrinfo runs on a helper thread
   instead of the stub resolver, and a pipe tells the loop when it is done.
   The user's allocator must then be thread-safe: the thread may free the
   lookup's state when the caller has already dropped it. */
#include "dns_private.h"
#include <errno.h>

#ifdef HTTPX_DNS_THREADS
#if defined(_WIN32)
/* Windows threads under the names this file uses. No pipe that WSAPoll or
   select can wait on: the thread's "done" byte is a datagram that a UDP
   socket on 127.0.0.1, connected to itself, sends to itself (both ends are
   that one socket). */
#include <process.h>
typedef CRITICAL_SECTION httpx__dns_mutex;
#define httpx__dns_mutex_init(m) InitializeCriticalSection(m)
#define httpx__dns_mutex_destroy(m) DeleteCriticalSection(m)
#define pthread_mutex_lock(m) EnterCriticalSection(m)
#define pthread_mutex_unlock(m) LeaveCriticalSection(m)
#define httpx__dns_wake_write(fd) send((fd), "x", 1, 0)
#define httpx__dns_wake_read(fd, c) recv((fd), (c), 1, 0)
static void httpx__dns_wake_close(httpx__sock fd0, httpx__sock fd1) { (void)fd1; closesocket(fd0); }
/* One socket as both ends; 0 or an error code. */
static int httpx__dns_wake_pair(httpx__sock fds[2]) {
    struct sockaddr_in sa;
    int len = (int)sizeof sa, err;
    httpx__sock s = httpx__socket(AF_INET, SOCK_DGRAM);
    if (s == HTTPX__NO_SOCK) return WSAGetLastError();
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&sa, len) != 0 || getsockname(s, (struct sockaddr *)&sa, &len) != 0 ||
        connect(s, (struct sockaddr *)&sa, len) != 0) {
        err = WSAGetLastError();
        closesocket(s);
        return err;
    }
    fds[0] = fds[1] = s;
    return 0;
}
#else
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
typedef pthread_mutex_t httpx__dns_mutex;
#define httpx__dns_mutex_init(m) pthread_mutex_init((m), NULL)
#define httpx__dns_mutex_destroy(m) pthread_mutex_destroy(m)
#define httpx__dns_wake_write(fd) write((fd), "x", 1)
#define httpx__dns_wake_read(fd, c) read((fd), (c), 1)
static void httpx__dns_wake_close(int fd0, int fd1) {
    close(fd0);
    close(fd1);
}
#endif

/* The job is shared by the caller and the thread and freed by whichever lets
   go last, so httpx__dns_free never waits for a slow getaddrinfo. */
struct httpx__dns_job {
    httpx__dns_mutex lock;
    int refs;
    httpx__sock pipe[2];                  /* the thread writes a byte when done */
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
    httpx__dns_mutex_destroy(&j->lock);
    httpx__dns_wake_close(j->pipe[0], j->pipe[1]);
    httpx__free(j);
}

/* How many lookup threads still run, for the tests only: a detached thread
   frees its job last, so a leak check at exit waits for them. */
#if defined(HTTPX__TEST_HOOKS) && defined(_WIN32)
static SRWLOCK httpx__dns_threads_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE httpx__dns_threads_idle = CONDITION_VARIABLE_INIT;
static int httpx__dns_threads_running;

static void httpx__dns_threads_count(int delta) {
    AcquireSRWLockExclusive(&httpx__dns_threads_lock);
    httpx__dns_threads_running += delta;
    if (httpx__dns_threads_running == 0) WakeAllConditionVariable(&httpx__dns_threads_idle);
    ReleaseSRWLockExclusive(&httpx__dns_threads_lock);
}

HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void) {
    AcquireSRWLockExclusive(&httpx__dns_threads_lock);
    while (httpx__dns_threads_running > 0)
        SleepConditionVariableSRW(&httpx__dns_threads_idle, &httpx__dns_threads_lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&httpx__dns_threads_lock);
}
#elif defined(HTTPX__TEST_HOOKS)
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

#if defined(_WIN32)
static unsigned __stdcall httpx__dns_thread(void *arg) {
#else
static void *httpx__dns_thread(void *arg) {
#endif
    httpx__dns_job *j = (httpx__dns_job *)arg;
    httpx__dns_list found;
    const char *why;
    memset(&found, 0, sizeof found);
    why = httpx__lookup_blocking(j->host, httpx__dns_thread_add, &found);
    pthread_mutex_lock(&j->lock);
    j->found = found;
    j->why = why;
    j->done = true;
    if (httpx__dns_wake_write(j->pipe[1]) < 0) { /* a full pipe already wakes the reader */ }
    pthread_mutex_unlock(&j->lock);
    httpx__dns_job_release(j);
    httpx__dns_threads_count(-1);
#if defined(_WIN32)
    return 0;
#else
    return NULL;
#endif
}

#if defined(_WIN32)
HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = (httpx__dns_job *)httpx__malloc(sizeof *j);
    uintptr_t th;
    int rc;
    if (!j) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", d->host);
        httpx__free(d);
        return NULL;
    }
    memset(j, 0, sizeof *j);
    memcpy(j->host, d->host, sizeof j->host);
    if ((rc = httpx__dns_wake_pair(j->pipe)) != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': no wake-up socket: %s", d->host,
                    httpx__sock_strerror(rc));
        httpx__free(j);
        httpx__free(d);
        return NULL;
    }
    httpx__dns_mutex_init(&j->lock);
    j->refs = 2;
    httpx__dns_threads_count(1);
    th = _beginthreadex(NULL, 0, httpx__dns_thread, j, 0, NULL);
    if (th == 0) {
        httpx__dns_threads_count(-1);
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': cannot start a thread: %s", d->host,
                    strerror(errno));
        j->refs = 1;
        httpx__dns_job_release(j);
        httpx__free(d);
        return NULL;
    }
    CloseHandle((HANDLE)th);   /* detached */
    d->job = j;
    return d;
}
#else
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
    httpx__dns_mutex_init(&j->lock);
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

#endif

HTTPX__PRIVATE int httpx__dns_thread_step(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = d->job;
    char c;
    bool done;
    const char *why;
    while (httpx__dns_wake_read(j->pipe[0], &c) > 0) {}
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

HTTPX__PRIVATE httpx__sock httpx__dns_thread_fd(const httpx__dns *d) { return d->job->pipe[0]; }

HTTPX__PRIVATE void httpx__dns_thread_close(httpx__dns *d) {
    if (d->job) httpx__dns_job_release(d->job);
    d->job = NULL;
}

#endif /* HTTPX_DNS_THREADS */
