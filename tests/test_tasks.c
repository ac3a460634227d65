/* The nonblocking face against real servers on 127.0.0.1: tasks, poll,
   gather, callbacks, limits, cancellation, and an epoll loop of our own. */
#include "test.h"
#include "fixtures.h"
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

TEST(tasks_gather_150) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *tasks[150];
    int i, ok = 0;
    for (i = 0; i < 150; i++) {
        char path[32];
        snprintf(path, sizeof path, "/hello.txt?n=%d", i);
        tasks[i] = httpx_client_start(c, "GET", fx_nginx_at(path), NULL);
        REQUIRE(tasks[i]);
        CHECK(!httpx_task_done(tasks[i]));
        CHECK(httpx_task_response(tasks[i]) == NULL);
    }
    httpx_gather(c, tasks, 150);
    for (i = 0; i < 150; i++) {
        httpx_response *r = httpx_task_response(tasks[i]);
        ok += r && r->error == HTTPX_OK && r->status_code == 200 && !strcmp(r->content, "Hello, world!\n");
        httpx_task_free(tasks[i]);
    }
    CHECK_INT(ok, 150);
    CHECK(c->num_conns <= 20);              /* the rest were closed: max_keepalive_connections */
    CHECK_INT(httpx_client_poll(c, 0), 0);
    httpx_client_free(c);
}

struct done_count { int calls, ok; };
static void count_done(void *user, httpx_task *t, httpx_response *r) {
    struct done_count *d = (struct done_count *)user;
    (void)t;
    d->calls++;
    d->ok += r->error == HTTPX_OK && r->status_code == 200;
}

TEST(tasks_on_done_and_max_in_flight) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .max_in_flight = 4 });
    struct done_count d = {0, 0};
    int i, most = 0, left;
    for (i = 0; i < 40; i++)
        httpx_client_start(c, "GET", fx_rogue_at("/delay/10"), &(httpx_opts){ .on_done = count_done, .user_data = &d });
    CHECK_INT(d.calls, 0);                   /* callbacks fire only inside poll */
    do {
        left = httpx_client_poll(c, 100);
        if (c->tasks_started > most) most = c->tasks_started;
    } while (left > 0);
    CHECK_INT(d.calls, 40);
    CHECK_INT(d.ok, 40);
    CHECK(most <= 4 && most > 0);
    CHECK(c->tasks == NULL);                 /* on_done tasks free themselves */
    httpx_client_free(c);
}

/* The frame-loop promise: poll(c, 0) returns at once however much is in flight. */
TEST(tasks_poll_zero_never_stalls) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 200 } });
    struct done_count d = {0, 0};
    double worst = 0, dt, start = httpx__now();
    int i, calls = 0, waited = 0;
    for (i = 0; i < 200; i++)
        httpx_client_start(c, "GET", fx_rogue_at("/delay/200"), &(httpx_opts){ .on_done = count_done, .user_data = &d });
    while (httpx_client_poll(c, 0) > 0 && httpx__now() - start < 30) {
        test_clock k = test_clock_start();
        httpx_client_poll(c, 0);
        dt = test_clock_seconds(k);
        if (dt > worst) worst = dt;
        waited += test_waited(k, 0.020);
        calls++;
        usleep(1000);                        /* the rest of a frame */
    }
    printf("  poll(c, 0): %d calls, longest %.3f ms, 200 requests in %.2f s\n", calls, worst * 1e3,
           httpx__now() - start);
    CHECK_INT(d.ok, 200);
    /* the promise is "never waits" (the 2 ms work budget is the benchmark's):
       no call slept, whatever a loaded machine does to the wall clock */
    CHECK_INT(waited, 0);
    CHECK(worst < 2.0);
    httpx_client_free(c);
}

static int check_pattern(void *user, httpx_response *r, const char *data, size_t len) {
    long *total = (long *)user;
    size_t i;
    (void)r;
    for (i = 0; i < len; i++)
        if ((unsigned char)data[i] != ((*total + (long)i) & 0xff)) return 1;
    *total += (long)len;
    return 0;
}

TEST(tasks_on_data_streams_the_body) {
    httpx_client *c = httpx_client_new(NULL);
    long total = 0, total2 = 0;
    httpx_task *t = httpx_client_start(c, "GET", fx_rogue_at("/bytes/300000"), &(httpx_opts){ .on_data = check_pattern, .user_data = &total });
    httpx_task *t2 = httpx_client_start(c, "GET", fx_rogue_at("/chunked/100000"), &(httpx_opts){ .on_data = check_pattern, .user_data = &total2 });
    httpx_response *r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(total, 300000);
    CHECK_INT(r->content_length, 0);         /* nothing kept in memory */
    CHECK_INT(r->num_bytes_downloaded, 300000);
    r = httpx_task_wait(t2);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(total2, 100000);
    httpx_task_free(t);
    httpx_task_free(t2);
    /* blocking calls take on_data too */
    total = 0;
    r = httpx_client_get(c, fx_rogue_at("/bytes/5000"), &(httpx_opts){ .on_data = check_pattern, .user_data = &total });
    CHECK_INT(total, 5000);
    httpx_response_free(r);
    httpx_client_free(c);
}

static int abort_data(void *user, httpx_response *r, const char *data, size_t len) {
    (void)user; (void)r; (void)data; (void)len;
    return 1;
}

TEST(tasks_on_data_abort_is_cancelled) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t = httpx_client_start(c, "GET", fx_rogue_at("/bytes/100000"), &(httpx_opts){ .on_data = abort_data });
    httpx_response *r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_ERR_CANCELLED);
    httpx_task_free(t);
    httpx_client_free(c);
}

TEST(tasks_cancel_leaves_pool_sane) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_task *stalled = httpx_client_start(c, "GET", fx_rogue_at("/stall-head"), NULL);
    httpx_task *t;
    httpx_response *r;
    int i;
    for (i = 0; i < 20; i++) httpx_client_poll(c, 5);
    CHECK(!httpx_task_done(stalled));
    CHECK_INT(c->num_conns, 1);
    httpx_task_cancel(stalled);              /* mid-exchange: its connection is closed */
    CHECK_INT(c->num_conns, 0);
    t = httpx_client_start(c, "GET", fx_rogue_at("/bytes/10"), NULL);
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 10);
    httpx_task_free(t);
    httpx_client_free(c);                    /* also frees tasks never waited for */
}

TEST(tasks_client_free_with_tasks_in_flight) {
    httpx_client *c = httpx_client_new(NULL);
    struct done_count d = {0, 0};
    int i;
    for (i = 0; i < 5; i++)
        httpx_client_start(c, "GET", fx_rogue_at("/delay/1000"), &(httpx_opts){ .on_done = count_done, .user_data = &d });
    for (i = 0; i < 100 && c->num_conns < 5; i++) httpx_client_poll(c, 10);
    CHECK_INT(c->num_conns, 5);              /* really in flight, on their connections */
    CHECK_INT(c->tasks_total, 5);
    httpx_client_free(c);                    /* ASan's leak check tells the rest */
    CHECK_INT(d.calls, 0);                   /* no callback into a client being freed */
}

TEST(tasks_timeouts_and_errors_per_task) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *slow = httpx_client_start(c, "GET", fx_rogue_at("/stall-head"), &(httpx_opts){ .timeout = { .read = 0.2 } });
    httpx_task *good = httpx_client_start(c, "GET", fx_rogue_at("/delay/50"), NULL);
    httpx_task *bad = httpx_client_start(c, "GET", "http://exa mple/", NULL);
    httpx_task *all[3];
    all[0] = slow; all[1] = good; all[2] = bad;
    httpx_gather(c, all, 3);
    CHECK_INT(httpx_task_response(slow)->error, HTTPX_ERR_READ_TIMEOUT);
    CHECK_INT(httpx_task_response(good)->error, HTTPX_OK);
    CHECK_STR(httpx_task_response(good)->content, "ok");
    CHECK_INT(httpx_task_response(bad)->error, HTTPX_ERR_INVALID_URL);
    httpx_task_free(slow);
    httpx_task_free(good);
    httpx_task_free(bad);
    httpx_client_free(c);
}

TEST(tasks_share_pooled_connections) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 3 } });
    httpx_task *t[30];
    int i, ids[30], distinct = 0, j;
    for (i = 0; i < 30; i++) t[i] = httpx_client_start(c, "GET", fx_rogue_at("/conn-id"), NULL);
    httpx_gather(c, t, 30);
    for (i = 0; i < 30; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        CHECK_INT(r->error, HTTPX_OK);
        ids[i] = atoi(r->content);
        for (j = 0; j < i && ids[j] != ids[i]; j++) {}
        distinct += j == i;
        httpx_task_free(t[i]);
    }
    CHECK(distinct >= 1 && distinct <= 3);
    httpx_client_free(c);
}

TEST(tasks_pool_timeout) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_task *busy = httpx_client_start(c, "GET", fx_rogue_at("/delay/1000"), NULL);
    httpx_task *waiting = httpx_client_start(c, "GET", fx_rogue_at("/bytes/1"), &(httpx_opts){ .timeout = { .pool = 0.2 } });
    httpx_response *r = httpx_task_wait(waiting);
    CHECK_INT(r->error, HTTPX_ERR_POOL_TIMEOUT);
    CHECK(!httpx_task_done(busy));
    httpx_task_free(waiting);
    httpx_task_free(busy);
    httpx_client_free(c);
}

TEST(tasks_redirect_and_copied_options) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t;
    httpx_response *r;
    {   /* the options and everything they point to go out of scope before the task runs */
        char body[16], hv[16];
        strcpy(body, "{\"x\":1}");
        strcpy(hv, "on");
        t = httpx_client_start(c, "POST", fx_rogue_at("/echo"), &(httpx_opts){
            .json = body, .headers = (httpx_pair[]){{"X-Copied", hv}, {0}} });
        memset(body, 'Z', sizeof body - 1);
        memset(hv, 'Z', sizeof hv - 1);
    }
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strstr(r->content, "X-Copied: on\r\n") != NULL);
    CHECK(strstr(r->content, "\r\n\r\n{\"x\":1}") != NULL);
    httpx_task_free(t);
    t = httpx_client_start(c, "GET", fx_nginx_at("/redirect/x"), &(httpx_opts){ .follow_redirects = true });
    r = httpx_task_wait(t);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "Hello, world!\n");
    httpx_task_free(t);
    httpx_client_free(c);
}

/* The caller's own epoll loop, driving the client through fds/process. */
TEST(tasks_driven_by_an_epoll_loop) {
    httpx_client *c = httpx_client_new(NULL);
    struct done_count d = {0, 0};
    struct pollfd fds[64];
    struct epoll_event ev[64];
    int ep = epoll_create1(0), i, n, timeout, left = 1, rounds = 0;
    REQUIRE(ep >= 0);
    for (i = 0; i < 20; i++)
        httpx_client_start(c, "GET", fx_nginx_at("/small.bin"), &(httpx_opts){ .on_done = count_done, .user_data = &d });
    while (left > 0 && rounds++ < 100000) {
        n = httpx_client_fds(c, fds, 64, &timeout);
        for (i = 0; i < n; i++) {
            struct epoll_event e;
            memset(&e, 0, sizeof e);
            e.events = (fds[i].events & POLLIN ? EPOLLIN : 0) | (fds[i].events & POLLOUT ? EPOLLOUT : 0);
            e.data.u32 = (uint32_t)i;
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i].fd, &e) != 0) epoll_ctl(ep, EPOLL_CTL_MOD, fds[i].fd, &e);
        }
        n = epoll_wait(ep, ev, 64, timeout < 0 || timeout > 1000 ? 1000 : timeout);
        for (i = 0; i < 64; i++) fds[i].revents = 0;
        for (i = 0; i < n; i++) {
            short re = (short)((ev[i].events & EPOLLIN ? POLLIN : 0) | (ev[i].events & EPOLLOUT ? POLLOUT : 0) |
                               (ev[i].events & EPOLLERR ? POLLERR : 0) | (ev[i].events & EPOLLHUP ? POLLHUP : 0));
            fds[ev[i].data.u32].revents = re;
        }
        left = httpx_client_process(c, fds, 64);
        /* a fresh set each round: the next round registers what is wanted then */
        close(ep);
        ep = epoll_create1(0);
    }
    CHECK_INT(d.ok, 20);
    close(ep);
    httpx_client_free(c);
}

TEST(tasks_thousand_connections) {
    struct rlimit rl;
    httpx_client *c;
    httpx_task **t;
    int i, ok = 0, n = 1000;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < 1200) n = (int)rl.rlim_cur - 200;
    c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1000 } });
    t = (httpx_task **)calloc((size_t)n, sizeof *t);
    REQUIRE(t);
    for (i = 0; i < n; i++) t[i] = httpx_client_start(c, "GET", fx_rogue_at("/delay/300"), NULL);
    httpx_gather(c, t, (size_t)n);
    for (i = 0; i < n; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        ok += r->error == HTTPX_OK;
        if (r->error && i < 3) printf("  %s\n", r->error_message);
        httpx_task_free(t[i]);
    }
    CHECK_INT(ok, n);
    free(t);
    httpx_client_free(c);
}

/* A blocking call on a client with tasks in flight runs the same loop: the
   tasks go on meanwhile, and the call may wait for a connection they free. */
TEST(tasks_go_on_during_blocking_calls) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t[5];
    httpx_response *r;
    int i, done = 0;
    for (i = 0; i < 5; i++) t[i] = httpx_client_start(c, "GET", fx_rogue_at("/delay/100"), NULL);
    r = httpx_client_get(c, fx_rogue_at("/delay/400"), NULL);
    CHECK_INT(r->error, HTTPX_OK);
    httpx_response_free(r);
    for (i = 0; i < 5; i++) {
        done += httpx_task_done(t[i]) && httpx_task_response(t[i])->error == HTTPX_OK;
        httpx_task_free(t[i]);
    }
    CHECK_INT(done, 5);
    httpx_client_free(c);
}

TEST(tasks_blocking_call_waits_for_a_connection_a_task_frees) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    httpx_task *t = httpx_client_start(c, "GET", fx_rogue_at("/delay/200"), NULL);
    httpx_response *r;
    httpx_client_poll(c, 0);                 /* the task takes the only connection */
    r = httpx_client_get(c, fx_rogue_at("/bytes/5"), NULL);
    if (r->error) printf("  %s\n", r->error_message);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->content_length, 5);
    CHECK(httpx_task_done(t));
    httpx_response_free(r);
    httpx_task_free(t);
    httpx_client_free(c);
}

TEST(tasks_streams_and_tasks_together) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t = httpx_client_start(c, "GET", fx_rogue_at("/delay/100"), NULL);
    httpx_response *s = httpx_client_stream(c, "GET", fx_rogue_at("/drip?n=5&ms=60"), NULL);
    httpx_response *stalled;
    char buf[16];
    long n, total = 0;
    while ((n = httpx_read(s, buf, sizeof buf)) > 0) total += n;
    CHECK_INT(n, 0);
    CHECK_INT(total, 5);
    CHECK(httpx_task_done(t));               /* went on while the stream was read */
    httpx_response_free(s);
    httpx_task_free(t);
    t = httpx_client_start(c, "GET", fx_rogue_at("/delay/1000"), NULL);
    stalled = httpx_client_stream(c, "GET", fx_rogue_at("/stall-body"), &(httpx_opts){ .timeout = { .read = 0.3 } });
    while ((n = httpx_read(stalled, buf, sizeof buf)) > 0) {}
    CHECK_INT(n, -(long)HTTPX_ERR_READ_TIMEOUT);
    CHECK_INT(stalled->error, HTTPX_ERR_READ_TIMEOUT);
    httpx_response_free(stalled);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* Nothing in flight: poll(c, -1) returns at once, whatever idle pooled
   connection the client keeps (it used to block until the server closed it). */
TEST(tasks_poll_forever_with_nothing_in_flight_returns) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_response *r;
    double t0;
    REQUIRE(fx_rogue_port());
    r = httpx_client_get(c, fx_rogue_at("/conn-id"), NULL);   /* rogue keeps it open 60 s */
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    t0 = httpx__now();
    CHECK_INT(httpx_client_poll(c, -1), 0);
    CHECK(httpx__now() - t0 < 10.0);          /* generous: the old wait was the server's 60 s */
    httpx_client_free(c);
}

/* An idle connection past keepalive_expiry is closed when its time comes,
   while the loop waits for something else. */
TEST(tasks_keepalive_expiry_wakes_the_loop) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .keepalive_expiry = 0.2 } });
    httpx_response *r;
    httpx_task *t;
    bool closed_while_waiting = false;
    REQUIRE(fx_rogue_port() && fx_nginx_port());
    r = httpx_client_get(c, fx_nginx_at("/hello.txt"), NULL);
    CHECK_INT(r->status_code, 200);
    httpx_response_free(r);
    CHECK_INT(c->num_conns, 1);
    t = httpx_client_start(c, "GET", fx_rogue_at("/delay/3000"), NULL);
    while (!httpx_task_done(t)) {
        httpx_client_poll(c, -1);
        if (!httpx_task_done(t) && c->num_conns == 1) closed_while_waiting = true;
    }
    CHECK(closed_while_waiting);
    CHECK_INT(httpx_task_response(t)->status_code, 200);
    httpx_task_free(t);
    httpx_client_free(c);
}

/* A task that waits for the pool is no work to do now: an embedder's loop
   must sleep until something happens (it used to be told timeout 0 on every
   pass and spun a core). */
TEST(tasks_fds_waiting_for_the_pool_do_not_spin) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .limits = { .max_connections = 1 } });
    struct pollfd fds[8];
    int rounds = 0, at_once = 0, n, ms = 0;
    double start = httpx__now();
    REQUIRE(fx_rogue_port());
    httpx_client_start(c, "GET", fx_rogue_at("/delay/60000"), NULL);
    httpx_client_start(c, "GET", fx_rogue_at("/delay/60000"), NULL);
    while (httpx__now() - start < 1.0 && rounds < 200) {
        n = httpx_client_fds(c, fds, 8, &ms);
        at_once += ms == 0;
        poll(fds, (nfds_t)n, ms < 0 || ms > 100 ? 100 : ms);
        httpx_client_process(c, fds, n);
        rounds++;
    }
    n = httpx_client_fds(c, fds, 8, &ms);
    CHECK(ms > 1000);                       /* the read and pool timeouts are 5 s away */
    CHECK(at_once <= 3);                    /* admitting, connecting: then nothing is due */
    CHECK_INT(httpx_client_poll(c, 0), 2);
    httpx_client_free(c);
}
