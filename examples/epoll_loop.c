/* epoll_loop: httpx.h inside an event loop you already have (Linux epoll
   here; libuv, libevent or a game engine's loop work the same way). The
   client does not poll by itself: httpx_client_fds says which sockets it
   waits on and until when, your loop waits, httpx_client_process does the
   work. Results come through on_done, on this thread.
       ./build/examples/epoll_loop http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_FDS 64

static int done, ok;

static void on_done(void *user_data, httpx_task *task, httpx_response *r) {
    (void)task;
    printf("request %s: %s\n", (const char *)user_data, r->error ? r->error_message : r->content);
    done++;
    ok += r->error == HTTPX_OK;
}

/* Makes the epoll set hold exactly the sockets in want: sockets come and go
   as connections open and close, so the set is brought up to date each turn. */
static void sync_epoll(int ep, const struct pollfd *want, int n, int *reg, int *nreg) {
    int i, j, kept = 0;
    for (i = 0; i < *nreg; i++) {                   /* gone: remove (a closed fd is gone already) */
        for (j = 0; j < n && want[j].fd != reg[i]; j++) {}
        if (j == n) epoll_ctl(ep, EPOLL_CTL_DEL, reg[i], NULL);
    }
    for (i = 0; i < n; i++) {                       /* new or changed: add, else modify */
        struct epoll_event e;
        memset(&e, 0, sizeof e);
        e.events = (want[i].events & POLLIN ? EPOLLIN : 0u) | (want[i].events & POLLOUT ? EPOLLOUT : 0u);
        e.data.fd = want[i].fd;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, want[i].fd, &e) != 0 && errno == EEXIST)
            epoll_ctl(ep, EPOLL_CTL_MOD, want[i].fd, &e);
        reg[kept++] = want[i].fd;
    }
    *nreg = kept;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    static const char *const names[] = { "one", "two", "three", "four", "five" };
    struct pollfd fds[MAX_FDS];
    struct epoll_event ev[MAX_FDS];
    int reg[MAX_FDS], nreg = 0, ep = epoll_create1(0), i, j, n, timeout, turns = 0;
    char url[512];
    httpx_client *c = httpx_client_new(NULL);

    if (!c || ep < 0) return 2;
    snprintf(url, sizeof url, "%s/delay/100", base);
    for (i = 0; i < 5; i++)
        httpx_client_start(c, "GET", url, &(httpx_opts){ .on_done = on_done, .user_data = (void *)names[i] });

    while (done < 5) {
        n = httpx_client_fds(c, fds, MAX_FDS, &timeout);   /* what to wait for, and how long */
        sync_epoll(ep, fds, n, reg, &nreg);
        j = epoll_wait(ep, ev, MAX_FDS, timeout);           /* your loop waits for everything here */
        for (i = 0; i < n; i++) fds[i].revents = 0;
        for (i = 0; i < j; i++) {                           /* epoll's events back into the pollfds */
            int k;
            for (k = 0; k < n && fds[k].fd != ev[i].data.fd; k++) {}
            if (k == n) continue;
            fds[k].revents = (short)((ev[i].events & EPOLLIN ? POLLIN : 0) | (ev[i].events & EPOLLOUT ? POLLOUT : 0) |
                                     (ev[i].events & EPOLLERR ? POLLERR : 0) | (ev[i].events & EPOLLHUP ? POLLHUP : 0));
        }
        httpx_client_process(c, fds, n);                    /* the work; on_done fires in here */
        turns++;
    }
    printf("%d of 5 done in %d turns of the loop\n", ok, turns);
    close(ep);
    httpx_client_free(c);
    return ok == 5 ? 0 : 1;
}
