/* Test fixtures: nginx and the rogue server, started lazily on free ports on
   127.0.0.1 and stopped at exit. See fixtures.h for the contract.

   Lifetime: each server runs in a process group of its own (so the terminal's
   Ctrl-C reaches the test, not the server, and a whole group can be killed).
   At exit the atexit handler stops them. When the test process dies without
   it (crash, SIGKILL), a pipe whose write end only the test holds reaches end
   of file: rogue.py watches its stdin for that, and nginx, which cannot, gets
   a watchdog process that kills it and removes its directory. Both also stop
   after a fixed lifetime.

   This file also defines the helpers of fixtures_common.h, which
   fixtures_tls.c and fixtures_dns.c share. */
#include "fixtures.h"
#include "fixtures_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FX_START_MS     5000                 /* nginx must accept within this */
#define FX_ROGUE_MS     10000                /* python start-up on a slow CI box */

/* ==== shared with fixtures_tls.c and fixtures_dns.c: see fixtures_common.h ==== */

void fxc_log(const char *who, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: ", who);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

long long fxc_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fxc_sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

int fxc_find_exe(const char *name, char *out, size_t cap) {
    const char *path = getenv("PATH"), *p, *end;
    if (strchr(name, '/')) {
        snprintf(out, cap, "%s", name);
        return access(out, X_OK) == 0;
    }
    for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
        end = strchr(p, ':');
        if (!end) end = p + strlen(p);
        if ((size_t)snprintf(out, cap, "%.*s/%s", (int)(end - p), p, name) < cap &&
            access(out, X_OK) == 0) return 1;
    }
    return 0;
}

/* out is an existing file: make it absolute (servers run elsewhere). */
static int absolute(char *out, size_t cap) {
    char *abs = realpath(out, NULL);
    if (abs && strlen(abs) < cap) snprintf(out, cap, "%s", abs);
    free(abs);
    return 1;
}

int fxc_find_source(const char *rel, char *out, size_t cap) {
    const char *env = getenv("HTTPX_SRCDIR");
    char exe[512];
    ssize_t n;
    if (env && *env && (size_t)snprintf(out, cap, "%s/%s", env, rel) < cap && access(out, R_OK) == 0)
        return absolute(out, cap);
    if ((size_t)snprintf(out, cap, "%s", rel) < cap && access(out, R_OK) == 0) return absolute(out, cap);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = 0;
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            if ((size_t)snprintf(out, cap, "%s/../%s", exe, rel) < cap && access(out, R_OK) == 0)
                return absolute(out, cap);
        }
    }
    return 0;
}

int fxc_find_nginx(char *out, size_t cap) {
    const char *env = getenv("NGINX");
    return fxc_find_exe(env && *env ? env : "/usr/sbin/nginx", out, cap) || fxc_find_exe("nginx", out, cap);
}

static long max_fd(void) {
    long m = sysconf(_SC_OPEN_MAX);
    return m < 0 || m > 65536 ? 65536 : m;
}

/* Between fork and exec: a new process group, default signals, only fds 0-2. */
static void child_setup(int in_fd, int out_fd, int err_fd, long maxfd) {
    struct sigaction sa;
    sigset_t none;
    int fd;
    setpgid(0, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);   /* the runner ignores it; exec would keep that */
    sigaction(SIGINT, &sa, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (in_fd >= 0) dup2(in_fd, 0);
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    for (fd = 3; fd < maxfd; fd++) close(fd);
}

pid_t fxc_spawn(char *const argv[], int in_fd, int out_fd, int err_fd) {
    long maxfd = max_fd();
    pid_t pid = fork();
    if (pid == 0) {
        static const char msg[] = "fixtures: exec failed\n";
        child_setup(in_fd, out_fd, err_fd, maxfd);
        execv(argv[0], argv);
        if (write(2, msg, sizeof msg - 1) < 0) {}
        _exit(127);
    }
    if (pid > 0) setpgid(pid, pid);   /* both sides, so a kill(-pid) right away works */
    return pid;
}

int fxc_wait_exit(pid_t pid, long ms, int *status) {
    long long end = fxc_now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) return 1;
        if (fxc_now_ms() >= end) return 0;
        fxc_sleep_ms(10);
    }
}

void fxc_stop_group(pid_t pid, int sig) {
    if (pid <= 0) return;
    kill(pid, sig);
    if (!fxc_wait_exit(pid, FXC_STOP_MS, NULL)) {
        fxc_log("fixtures", "process %d ignored signal %d; killing it", (int)pid, sig);
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    kill(-pid, SIGKILL);   /* whatever is left of the group (nginx workers) */
}

void fxc_proc_stop(fxc_proc *p) {
    if (p->watchdog > 0) {
        kill(p->watchdog, SIGKILL);
        waitpid(p->watchdog, NULL, 0);
    }
    p->watchdog = 0;
    if (p->pipe_fd >= 0) { close(p->pipe_fd); p->pipe_fd = -1; }
    if (p->pid > 0) {
        fxc_stop_group(p->pid, SIGTERM);   /* nginx: fast shutdown, does not wait for keep-alive clients */
        p->pid = 0;
    }
}

int fxc_start_python(const char *who, const char *script, char *const args[], fxc_proc *p,
                     char *line, size_t cap, long ms, char *script_out, size_t script_cap) {
    char path[1024], python[1024];
    const char *py = getenv("PYTHON");
    char *argv[12];
    int in[2], out[2], k = 0;
    size_t n = 0;
    long long end;

    line[0] = 0;
    if (!fxc_find_source(script, path, sizeof path)) {
        fxc_log(who, "%s not found (run from the repository root or set HTTPX_SRCDIR)", script);
        return 0;
    }
    if (script_out) snprintf(script_out, script_cap, "%s", path);
    if (!fxc_find_exe(py && *py ? py : "python3", python, sizeof python)) {
        fxc_log(who, "%s not found", py && *py ? py : "python3");
        return 0;
    }
    argv[k++] = python;
    argv[k++] = path;
    while (args && *args && k < 10) argv[k++] = *args++;
    argv[k++] = (char *)"--watch-stdin";
    argv[k] = NULL;
    if (pipe(in) != 0) return 0;
    if (pipe(out) != 0) { close(in[0]); close(in[1]); return 0; }
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    p->pid = fxc_spawn(argv, in[0], out[1], -1);
    close(in[0]);
    close(out[1]);
    p->pipe_fd = in[1];
    if (p->pid < 0) {
        p->pid = 0;
        close(out[0]);
        fxc_log(who, "fork: %s", strerror(errno));
        fxc_proc_stop(p);
        return 0;
    }
    /* The first stdout line tells the port(s). */
    end = fxc_now_ms() + ms;
    while (n < cap - 1 && !memchr(line, '\n', n)) {
        struct pollfd pf;
        long long left = end - fxc_now_ms();
        ssize_t r;
        pf.fd = out[0];
        pf.events = POLLIN;
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0) break;
        r = read(out[0], line + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(out[0]);
    line[n] = 0;
    return 1;
}

/* The watchdog's body. Only async-signal-safe calls: the test process may
   have threads. */
static void watchdog_main(int fd_in, pid_t group, const char *pidfile, char *const rm_argv[], long maxfd) {
    struct sigaction sa;
    struct pollfd pf;
    int fd, i;
    setpgid(0, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    for (fd = 3; fd < maxfd; fd++)
        if (fd != fd_in) close(fd);
    pf.fd = fd_in;
    pf.events = POLLIN;
    for (i = 0; i < 100; i++) {          /* EINTR cannot stretch it much */
        int r = poll(&pf, 1, FXC_WATCH_MS);
        if (r != -1 || errno != EINTR) break;
    }
    if (group <= 0 && pidfile) {         /* the group leader's pid, as nginx wrote it */
        char buf[32];
        ssize_t n;
        fd = open(pidfile, O_RDONLY);
        n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) group = group * 10 + (buf[i] - '0');
    }
    if (group > 1) {
        kill(-group, SIGTERM);
        for (i = 0; i < 60 && kill(-group, 0) == 0; i++) fxc_sleep_ms(50);
        kill(-group, SIGKILL);
    }
    execv("/bin/rm", rm_argv);
    _exit(0);
}

void fxc_start_watchdog(fxc_proc *p, const char *pidfile, const char *dir) {
    int fds[2];
    long maxfd = max_fd();
    char *rm_argv[5];
    pid_t pid;
    rm_argv[0] = (char *)"rm";
    rm_argv[1] = (char *)"-rf";
    rm_argv[2] = (char *)"--";
    rm_argv[3] = (char *)dir;
    rm_argv[4] = NULL;
    p->watchdog = -1;
    if (pipe(fds) != 0) return;
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid == 0) watchdog_main(fds[0], p->pid, pidfile, rm_argv, maxfd);
    close(fds[0]);
    if (pid < 0) { close(fds[1]); return; }
    p->pipe_fd = fds[1];
    p->watchdog = pid;
}

static pthread_mutex_t exit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void (*fn)(void); pid_t owner; } exit_fns[8];
static int exit_n;

static void run_exit_fns(void) {
    int i;
    for (i = exit_n - 1; i >= 0; i--)
        if (exit_fns[i].owner == getpid()) exit_fns[i].fn();
}

void fxc_at_exit(void (*fn)(void)) {
    int i;
    pthread_mutex_lock(&exit_lock);
    for (i = 0; i < exit_n && exit_fns[i].fn != fn; i++) {}
    if (i == exit_n && exit_n < 8) {
        if (exit_n == 0) atexit(run_exit_fns);
        exit_fns[exit_n].fn = fn;
        exit_fns[exit_n].owner = getpid();
        exit_n++;
    }
    pthread_mutex_unlock(&exit_lock);
}

int fxc_make_tmpdir(char *dir, size_t cap, const char *name) {
    const char *tmpdir = getenv("TMPDIR");
    snprintf(dir, cap, "%s/%s-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp", name);
    if (!mkdtemp(dir)) return 0;
    chmod(dir, 0755);
    return 1;
}

int fxc_write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return -1;
    ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (ok) chmod(path, 0644);
    return ok ? 0 : -1;
}

int fxc_write_in_root(const char *root, const char *name, const void *data, size_t len) {
    char path[1024], tmp[1100];
    char *p;
    if (!root[0] || !name || !*name || name[0] == '/' || strstr(name, "..")) return -1;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, name) >= sizeof path) return -1;
    for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
    if (fxc_write_file(tmp, data, len) != 0) { remove(tmp); return -1; }
    if (rename(tmp, path) != 0) { remove(tmp); return -1; }
    return 0;
}

int fxc_make_docroot(const char *root, const char *hello) {
    unsigned char *big;
    size_t i;
    int ok;
    if (mkdir(root, 0755) != 0) return 0;
    chmod(root, 0755);
    big = (unsigned char *)malloc(1 << 20);
    if (!big) return 0;
    for (i = 0; i < (1u << 20); i++) big[i] = (unsigned char)((i * 7 + 3) & 0xff);
    ok = fxc_write_in_root(root, "hello.txt", hello, strlen(hello)) == 0 &&
         fxc_write_in_root(root, "1mb.bin", big, 1 << 20) == 0;
    free(big);
    return ok;
}

char *fxc_read_whole(const char *path) {
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    size_t n = 0, cap = 0, r;
    if (!f) return NULL;
    for (;;) {
        if (cap - n < 4096) {
            char *q = (char *)realloc(p, cap = cap * 2 + 8192);
            if (!q) { free(p); fclose(f); return NULL; }
            p = q;
        }
        r = fread(p + n, 1, cap - n - 1, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    p[n] = 0;
    return p;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

void fxc_rm_tree(const char *dir) {
    if (dir[0]) nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *fxc_substitute(const char *tmpl, const char *const *keys, const char *const *vals, int n) {
    size_t cap = 0, len = 0;
    char *out = NULL;
    const char *p = tmpl;
    while (*p) {
        const char *piece = p;
        size_t plen = 1;
        int i;
        if (*p == '@')
            for (i = 0; i < n; i++) {
                size_t kl = strlen(keys[i]);
                if (strncmp(p + 1, keys[i], kl) == 0 && p[1 + kl] == '@') {
                    piece = vals[i];
                    plen = strlen(vals[i]);
                    p += kl + 1;   /* the +1 below skips the closing '@' */
                    break;
                }
            }
        p++;
        if (len + plen + 1 > cap) {
            char *q = (char *)realloc(out, cap = (len + plen + 1) * 2);
            if (!q) { free(out); return NULL; }
            out = q;
        }
        memcpy(out + len, piece, plen);
        len += plen;
        out[len] = 0;
    }
    return out ? out : (char *)calloc(1, 1);
}

void fxc_nginx_user(char *out, size_t cap) {
    out[0] = 0;
    if (geteuid() == 0) {
        struct passwd *pw = getpwuid(0);
        struct group *gr = getgrgid(0);
        snprintf(out, cap, "user %s %s;", pw ? pw->pw_name : "root", gr ? gr->gr_name : "root");
    }
}

void fxc_nginx_temp_paths(char *out, size_t cap, const char *dir, const char *info) {
    static const char *const mods[] = { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" };
    int i;
    out[0] = 0;
    for (i = 0; i < 5; i++) {
        char without[64];
        size_t l = strlen(out);
        snprintf(without, sizeof without, "--without-http_%s_module", mods[i]);
        if (i > 0 && info && strstr(info, without)) continue;   /* a missing module's directive is an error */
        snprintf(out + l, cap - l, "    %s_temp_path %s/%s_temp;\n", mods[i], dir, mods[i]);
    }
}

pid_t fxc_nginx_spawn(const char *who, const char *exe, const char *prefix, const char *conf,
                      const char *errlog) {
    char *argv[8];
    int n = 0, devnull;
    pid_t pid;
    argv[n++] = (char *)exe;
    argv[n++] = (char *)"-p";
    argv[n++] = (char *)prefix;
    argv[n++] = (char *)"-c";
    argv[n++] = (char *)conf;
    if (errlog) { argv[n++] = (char *)"-e"; argv[n++] = (char *)errlog; }
    argv[n] = NULL;
    devnull = open("/dev/null", O_RDONLY);
    pid = fxc_spawn(argv, devnull, -1, -1);
    if (devnull >= 0) close(devnull);
    if (pid < 0) {
        fxc_log(who, "fork: %s", strerror(errno));
        return 0;
    }
    return pid;
}

int fxc_nginx_port_taken(const char *who, const char *exe, int port, const char *errlog, int died, long ms) {
    char *log = fxc_read_whole(errlog);
    char on[32] = "";
    if (died && log && strstr(log, "in use")) {   /* "bind() ... failed (98: Address already in use)" */
        free(log);
        return 1;
    }
    if (port) snprintf(on, sizeof on, " on port %d", port);
    fxc_log(who, "%s did not start%s within %ld ms%s\n%s", exe, on, ms, died ? " (it exited)" : "",
            log ? log : "(no error log)");
    free(log);
    return 0;
}

/* ==== nginx and the rogue server ==== */

static pthread_mutex_t fx_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
    int tried, port;
    fxc_proc p;
    char dir[256], root[300], url[64];
} ng = { 0, 0, FXC_PROC_INIT, "", "", "" };

static struct {
    int tried, port;
    fxc_proc p;
    char url[64];
} rg = { 0, 0, FXC_PROC_INIT, "" };

static int closed_fd = -1, closed_port;

/* ---- ports ---- */

/* A TCP socket bound to 127.0.0.1:0; *port gets the port the kernel chose. */
static int bound_socket(int *port) {
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    fcntl(fd, F_SETFD, FD_CLOEXEC);   /* servers we start must not inherit it */
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}
int fx_free_port(void) {
    int port = 0, fd = bound_socket(&port);
    if (fd < 0) return 0;
    close(fd);
    return port;
}

int fx_closed_port(void) {
    int port;
    pthread_mutex_lock(&fx_lock);
    if (closed_fd < 0) closed_fd = bound_socket(&closed_port);
    port = closed_fd < 0 ? 0 : closed_port;
    pthread_mutex_unlock(&fx_lock);
    return port;
}

/* Whether something accepts on 127.0.0.1:port (within timeout_ms). */
static int can_connect(int port, int timeout_ms) {
    struct sockaddr_in a, me;
    socklen_t mlen = sizeof me;
    struct pollfd p;
    int fd, err = 0, ok = 0;
    socklen_t elen = sizeof err;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        ok = 1;
    } else if (errno == EINPROGRESS) {
        p.fd = fd;
        p.events = POLLOUT;
        if (poll(&p, 1, timeout_ms) == 1 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0) ok = 1;
    }
    /* Probing a free port from the ephemeral range can connect the socket to
       itself (TCP simultaneous open); that is not a server. */
    if (ok && getsockname(fd, (struct sockaddr *)&me, &mlen) == 0 && me.sin_port == a.sin_port) ok = 0;
    close(fd);
    return ok;
}


/* Runs argv, returns its stdout+stderr (at most cap-1 bytes, NUL-terminated). */
static size_t run_capture(char *const argv[], char *buf, size_t cap) {
    int p[2];
    size_t n = 0;
    long long end = fxc_now_ms() + FX_START_MS;
    pid_t pid;
    buf[0] = 0;
    if (pipe(p) != 0) return 0;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    pid = fxc_spawn(argv, -1, p[1], p[1]);
    close(p[1]);
    if (pid < 0) { close(p[0]); return 0; }
    for (;;) {
        struct pollfd pf;
        long long left = end - fxc_now_ms();
        ssize_t r;
        pf.fd = p[0];
        pf.events = POLLIN;
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0) break;
        r = read(p[0], buf + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        if (n == cap - 1) break;
    }
    buf[n] = 0;
    close(p[0]);
    fxc_stop_group(pid, SIGKILL);
    return n;
}

/* ---- cleanup ---- */

static void fx_cleanup(void) {
    fxc_proc_stop(&ng.p);
    fxc_rm_tree(ng.dir);
    ng.port = 0;
    fxc_proc_stop(&rg.p);
    rg.port = 0;
    if (closed_fd >= 0) { close(closed_fd); closed_fd = -1; }
}

/* ---- rogue.py ---- */

static int rogue_start_locked(void) {
    char script[1024], line[64];

    rg.tried = 1;
    fxc_at_exit(fx_cleanup);
    if (!fxc_start_python("fixtures: rogue", "tests/servers/rogue.py", NULL, &rg.p, line, sizeof line,
                          FX_ROGUE_MS, script, sizeof script))
        return 0;
    rg.port = atoi(line);
    if (rg.port <= 0 || rg.port > 65535 || !strchr(line, '\n') || !can_connect(rg.port, 1000)) {
        fxc_log("fixtures: rogue", "%s did not report a port it listens on (got \"%s\")", script, line);
        fxc_proc_stop(&rg.p);
        rg.port = 0;
        return 0;
    }
    snprintf(rg.url, sizeof rg.url, "http://127.0.0.1:%d", rg.port);
    return rg.port;
}

int fx_rogue_port(void) {
    int port;
    pthread_mutex_lock(&fx_lock);
    if (!rg.tried) rogue_start_locked();
    port = rg.port;
    pthread_mutex_unlock(&fx_lock);
    return port;
}

const char *fx_rogue_url(void) {
    return fx_rogue_port() ? rg.url : NULL;
}

/* ---- nginx ---- */

static int nginx_version_at_least(const char *v, int a, int b, int c) {
    const char *p = strstr(v, "nginx/");
    int x = 0, y = 0, z = 0;
    if (!p || sscanf(p + 6, "%d.%d.%d", &x, &y, &z) < 2) return 0;
    return x != a ? x > a : y != b ? y > b : z >= c;
}

static int make_docroot(const char *root) {
    static const char index[] =
        "<!DOCTYPE html>\n<html><head><title>httpx.h test</title></head>\n"
        "<body><p>Hello from nginx.</p></body></html>\n";
    unsigned char small[128];
    size_t i;
    for (i = 0; i < sizeof small; i++) small[i] = (unsigned char)i;
    return fxc_make_docroot(root, "Hello, world!\n") &&
           fxc_write_in_root(root, "small.bin", small, sizeof small) == 0 &&
           fxc_write_in_root(root, "index.html", index, sizeof index - 1) == 0;
}

static int nginx_start_locked(void) {
    static const char who[] = "fixtures: nginx";
    char exe[512], conf_in[1024], conf[400], errlog[400], prefix[300], info[8192];
    char user[300], temps[2048], echo[512] = "", port_s[16];
    char *tmpl = NULL, *text = NULL;
    int attempt, have_e, rport;
    char *vargv[3];

    ng.tried = 1;
    fxc_at_exit(fx_cleanup);
    if (!fxc_find_nginx(exe, sizeof exe)) {
        fxc_log(who, "not found (install nginx-light, or set NGINX to its path)");
        return 0;
    }
    if (!fxc_find_source("tests/servers/nginx.conf.in", conf_in, sizeof conf_in) ||
        !(tmpl = fxc_read_whole(conf_in))) {
        fxc_log(who, "tests/servers/nginx.conf.in not found (run from the repository root or set HTTPX_SRCDIR)");
        return 0;
    }
    /* nginx -V: the version (-e exists since 1.19.5) and the modules left out
       (a *_temp_path directive of a missing module is a config error). */
    vargv[0] = exe;
    vargv[1] = (char *)"-V";
    vargv[2] = NULL;
    run_capture(vargv, info, sizeof info);
    have_e = nginx_version_at_least(info, 1, 19, 5);

    /* As root the workers would run as nobody, who cannot enter a 0700 temp
       dir: run them as root (fxc_nginx_user) and also open the dir to everyone. */
    if (!fxc_make_tmpdir(ng.dir, sizeof ng.dir, "httpx-nginx")) {
        fxc_log(who, "mkdtemp %s: %s", ng.dir, strerror(errno));
        ng.dir[0] = 0;
        goto fail;
    }
    snprintf(ng.root, sizeof ng.root, "%s/www", ng.dir);
    if (!make_docroot(ng.root)) {
        fxc_log(who, "cannot write the document root %s: %s", ng.root, strerror(errno));
        goto fail;
    }
    fxc_nginx_user(user, sizeof user);
    fxc_nginx_temp_paths(temps, sizeof temps, ng.dir, info);
    rport = strstr(info, "--without-http_proxy_module") ? 0 : (rg.tried ? rg.port : rogue_start_locked());
    if (rport)
        snprintf(echo, sizeof echo,
                 "        location /echo {\n"
                 "            proxy_pass http://127.0.0.1:%d;\n"
                 "            proxy_http_version 1.1;\n"
                 "            proxy_set_header Connection \"\";\n"
                 "        }\n", rport);
    snprintf(prefix, sizeof prefix, "%s/", ng.dir);
    snprintf(conf, sizeof conf, "%s/nginx.conf", ng.dir);
    snprintf(errlog, sizeof errlog, "%s/error.log", ng.dir);

    /* The port is free when we look and nginx binds it a moment later; if
       somebody takes it in between, try another. */
    for (attempt = 0; attempt < 5; attempt++) {
        const char *keys[] = { "USER", "PREFIX", "TEMP_PATHS", "PORT", "ROOT", "ECHO" };
        const char *vals[6];
        long long end;
        int port = fx_free_port(), died = 0;

        snprintf(port_s, sizeof port_s, "%d", port);
        vals[0] = user; vals[1] = ng.dir; vals[2] = temps; vals[3] = port_s; vals[4] = ng.root; vals[5] = echo;
        free(text);
        text = fxc_substitute(tmpl, keys, vals, 6);
        if (!port || !text || fxc_write_file(conf, text, strlen(text)) != 0) {
            fxc_log(who, "cannot write %s", conf);
            goto fail;
        }
        remove(errlog);
        {   /* socket files left by an attempt that died would make bind() fail */
            char sock[400];
            snprintf(sock, sizeof sock, "%s/http.sock", ng.dir);
            remove(sock);
            snprintf(sock, sizeof sock, "%s/h2c.sock", ng.dir);
            remove(sock);
        }
        ng.p.pid = fxc_nginx_spawn(who, exe, prefix, conf, have_e ? errlog : NULL);
        if (!ng.p.pid) goto fail;
        fxc_start_watchdog(&ng.p, NULL, ng.dir);
        end = fxc_now_ms() + FX_START_MS;
        while (fxc_now_ms() < end) {
            if (waitpid(ng.p.pid, NULL, WNOHANG) == ng.p.pid) { ng.p.pid = 0; died = 1; break; }
            if (can_connect(port, 200)) {
                ng.port = port;
                snprintf(ng.url, sizeof ng.url, "http://127.0.0.1:%d", port);
                free(tmpl);
                free(text);
                return port;
            }
            fxc_sleep_ms(10);
        }
        fxc_proc_stop(&ng.p);
        if (fxc_nginx_port_taken(who, exe, port, errlog, died, FX_START_MS)) continue;
        goto fail;
    }
    fxc_log(who, "no free port after 5 attempts");
fail:
    free(tmpl);
    free(text);
    fxc_proc_stop(&ng.p);
    fxc_rm_tree(ng.dir);
    ng.dir[0] = 0;
    ng.root[0] = 0;
    return 0;
}

int fx_nginx_port(void) {
    int port;
    pthread_mutex_lock(&fx_lock);
    if (!ng.tried) nginx_start_locked();
    port = ng.port;
    pthread_mutex_unlock(&fx_lock);
    return port;
}

const char *fx_nginx_url(void) {
    return fx_nginx_port() ? ng.url : NULL;
}

const char *fx_nginx_root(void) {
    return fx_nginx_port() ? ng.root : NULL;
}

const char *fx_nginx_uds(const char *name) {
    static char paths[2][400];
    int k = strcmp(name, "h2c") == 0;
    if (!fx_nginx_port()) return NULL;
    snprintf(paths[k], sizeof paths[k], "%s/%s.sock", ng.dir, k ? "h2c" : "http");
    return paths[k];
}

int fx_nginx_write_file(const char *name, const void *data, size_t len) {
    return fx_nginx_port() ? fxc_write_in_root(ng.root, name, data, len) : -1;
}

const char *fx_url(int port, const char *path) {
    static _Thread_local char bufs[16][1024];
    static _Thread_local unsigned next;
    char *b = bufs[next++ % 16];
    snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", port, path ? path : "");
    return b;
}

const char *fx_nginx_at(const char *path) {
    int port = fx_nginx_port();
    return port ? fx_url(port, path) : "http://127.0.0.1:1/nginx-did-not-start";
}

const char *fx_rogue_at(const char *path) {
    int port = fx_rogue_port();
    return port ? fx_url(port, path) : "http://127.0.0.1:1/rogue-did-not-start";
}
