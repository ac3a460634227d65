/* Test fixture: the DNS server tests/servers/dns.py. See fixtures_dns.h. */
#include "fixtures_dns.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FXD_START_MS 10000   /* python start-up on a slow CI box */

static pthread_mutex_t fxd_lock = PTHREAD_MUTEX_INITIALIZER;
static int fxd_tried, fxd_port, fxd_stdin = -1;
static pid_t fxd_pid, fxd_owner;

static long long fxd_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fxd_stop(void) {
    int i;
    if (getpid() != fxd_owner) return;   /* a forked child exiting must not stop it */
    if (fxd_stdin >= 0) { close(fxd_stdin); fxd_stdin = -1; }
    if (fxd_pid > 0) {
        kill(fxd_pid, SIGTERM);
        for (i = 0; i < 300 && waitpid(fxd_pid, NULL, WNOHANG) == 0; i++) {
            struct timespec ts = { 0, 10000000L };
            nanosleep(&ts, NULL);
        }
        if (i == 300) { kill(-fxd_pid, SIGKILL); waitpid(fxd_pid, NULL, 0); }
        fxd_pid = 0;
    }
}

/* The script: $HTTPX_SRCDIR/tests/servers/dns.py or the same relative path. */
static int fxd_script(char *out, size_t cap) {
    const char *env = getenv("HTTPX_SRCDIR");
    if (env && (size_t)snprintf(out, cap, "%s/tests/servers/dns.py", env) < cap && access(out, R_OK) == 0) return 1;
    snprintf(out, cap, "tests/servers/dns.py");
    return access(out, R_OK) == 0;
}

static int fxd_start_locked(void) {
    char script[1024], line[64];
    const char *py = getenv("PYTHON");
    int in[2], out[2];
    size_t n = 0;
    long long end;
    pid_t pid;

    fxd_tried = 1;
    fxd_owner = getpid();
    if (!fxd_script(script, sizeof script)) {
        fprintf(stderr, "fixtures: tests/servers/dns.py not found (run from the repository root or set HTTPX_SRCDIR)\n");
        return 0;
    }
    if (!py || !*py) py = "python3";
    if (pipe(in) != 0) return 0;
    if (pipe(out) != 0) { close(in[0]); close(in[1]); return 0; }
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid == 0) {
        long fd, maxfd = sysconf(_SC_OPEN_MAX);
        struct sigaction sa;
        sigset_t none;
        setpgid(0, 0);
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        dup2(in[0], 0);
        dup2(out[1], 1);
        if (maxfd < 0 || maxfd > 65536) maxfd = 65536;
        for (fd = 3; fd < maxfd; fd++) close((int)fd);
        execlp(py, py, script, "--watch-stdin", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        fprintf(stderr, "fixtures: fork: %s\n", strerror(errno));
        return 0;
    }
    setpgid(pid, pid);
    fxd_pid = pid;
    fxd_stdin = in[1];
    atexit(fxd_stop);
    end = fxd_now_ms() + FXD_START_MS;
    while (n < sizeof line - 1 && !memchr(line, '\n', n)) {
        struct pollfd pf;
        long long left = end - fxd_now_ms();
        ssize_t r;
        pf.fd = out[0];
        pf.events = POLLIN;
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0) break;
        r = read(out[0], line + n, sizeof line - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(out[0]);
    line[n] = 0;
    fxd_port = atoi(line);
    if (fxd_port <= 0 || fxd_port > 65535 || !memchr(line, '\n', n)) {
        fprintf(stderr, "fixtures: %s did not report its port (got \"%s\")\n", script, line);
        fxd_stop();
        fxd_port = 0;
    }
    return fxd_port;
}

int fx_dns_port(void) {
    int port;
    pthread_mutex_lock(&fxd_lock);
    if (!fxd_tried) fxd_start_locked();
    port = fxd_port;
    pthread_mutex_unlock(&fxd_lock);
    return port;
}
