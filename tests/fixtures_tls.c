/* TLS test fixtures; see fixtures_tls.h. The process handling mirrors
   tests/fixtures.c: servers in process groups of their own, stopped by an
   atexit handler; a janitor process (started with the fixture directory,
   before the certificates are made) stops nginx and removes the directory
   when the test process dies (a pipe reaches end of file) or after a fixed
   lifetime; tls_server.py watches its stdin for the same. */
#include "fixtures_tls.h"
#include "fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FXT_START_MS  8000                  /* a server must answer within this */
#define FXT_STOP_MS   3000                  /* then SIGKILL */
#define FXT_LIFE_MS   (10 * 60 * 1000)      /* the janitor's bound */

static const char *const fxt_names[] = {
    "rsa", "ec", "chain", "expired", "notyet", "wronghost", "selfsigned", "otherca", "mtls", "nosuite", "tls13"
};
#define FXT_N ((int)(sizeof fxt_names / sizeof fxt_names[0]))

static pthread_mutex_t fxt_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t fxt_owner;
static int fxt_atexit_set, certs_tried, ng_tried, py_tried;
static char base[256], certs[300];
static struct { pid_t pid, watchdog; int watch_fd; int ports[FXT_N]; } ng = { 0, 0, -1, { 0 } };
static struct { pid_t pid; int stdin_fd; int truncate, clean, hangup; } py = { 0, -1, 0, 0, 0 };

static pid_t start_janitor(void);
static void fxt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fxt_log(const char *fmt, ...) {
    va_list ap;
    fputs("fixtures_tls: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

static int find_exe(const char *name, char *out, size_t cap) {
    const char *path = getenv("PATH"), *p, *end;
    if (strchr(name, '/')) {
        snprintf(out, cap, "%s", name);
        return access(out, X_OK) == 0;
    }
    for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
        end = strchr(p, ':');
        if (!end) end = p + strlen(p);
        if ((size_t)snprintf(out, cap, "%.*s/%s", (int)(end - p), p, name) < cap && access(out, X_OK) == 0) return 1;
    }
    return 0;
}

/* A file of the source tree, as an absolute path. */
static int find_source(const char *rel, char *out, size_t cap) {
    const char *env = getenv("HTTPX_SRCDIR");
    char tmp[1024], *abs;
    if (env && *env) snprintf(tmp, sizeof tmp, "%s/%s", env, rel);
    else snprintf(tmp, sizeof tmp, "%s", rel);
    if (access(tmp, R_OK) != 0) return 0;
    abs = realpath(tmp, NULL);
    if (!abs || strlen(abs) >= cap) { free(abs); return 0; }
    snprintf(out, cap, "%s", abs);
    free(abs);
    return 1;
}

static long max_fd(void) {
    long m = sysconf(_SC_OPEN_MAX);
    return m < 0 || m > 65536 ? 65536 : m;
}

static pid_t spawn(char *const argv[], int in_fd, int out_fd, int err_fd) {
    long maxfd = max_fd();
    pid_t pid = fork();
    if (pid == 0) {
        static const char msg[] = "fixtures_tls: exec failed\n";
        struct sigaction sa;
        sigset_t none;
        int fd;
        setpgid(0, 0);
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (in_fd >= 0) dup2(in_fd, 0);
        if (out_fd >= 0) dup2(out_fd, 1);
        if (err_fd >= 0) dup2(err_fd, 2);
        for (fd = 3; fd < maxfd; fd++) close(fd);
        execv(argv[0], argv);
        if (write(2, msg, sizeof msg - 1) < 0) {}
        _exit(127);
    }
    if (pid > 0) setpgid(pid, pid);
    return pid;
}

static int wait_exit(pid_t pid, long ms, int *status) {
    long long end = now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) return 1;
        if (now_ms() >= end) return 0;
        sleep_ms(10);
    }
}

static void stop_group(pid_t pid, int sig) {
    if (pid <= 0) return;
    kill(pid, sig);
    if (!wait_exit(pid, FXT_STOP_MS, NULL)) {
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    kill(-pid, SIGKILL);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static int write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return -1;
    ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (ok) chmod(path, 0644);
    return ok ? 0 : -1;
}

static void fxt_cleanup(void) {
    if (getpid() != fxt_owner) return;
    if (ng.watchdog > 0) { kill(ng.watchdog, SIGKILL); waitpid(ng.watchdog, NULL, 0); ng.watchdog = 0; }
    if (ng.watch_fd >= 0) { close(ng.watch_fd); ng.watch_fd = -1; }
    if (ng.pid > 0) { stop_group(ng.pid, SIGTERM); ng.pid = 0; }
    if (py.stdin_fd >= 0) { close(py.stdin_fd); py.stdin_fd = -1; }
    if (py.pid > 0) { stop_group(py.pid, SIGTERM); py.pid = 0; }
    if (base[0]) nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void ensure_atexit(void) {
    if (!fxt_atexit_set) {
        fxt_atexit_set = 1;
        fxt_owner = getpid();
        atexit(fxt_cleanup);
    }
}

/* ---- certificates ---- */

static int certs_locked(void) {
    char script[1024], sh[64], log[400];
    const char *tmpdir = getenv("TMPDIR");
    char *argv[4];
    int fd, st = 0;
    pid_t pid;
    if (certs_tried) return certs[0] != 0;
    certs_tried = 1;
    ensure_atexit();
    if (!find_source("tests/tls/gencerts.sh", script, sizeof script)) {
        fxt_log("tests/tls/gencerts.sh not found (run from the repository root or set HTTPX_SRCDIR)");
        return 0;
    }
    snprintf(base, sizeof base, "%s/httpx-tls-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(base)) { fxt_log("mkdtemp %s: %s", base, strerror(errno)); base[0] = 0; return 0; }
    chmod(base, 0755);   /* nginx workers may run as another user */
    ng.watchdog = start_janitor();
    snprintf(certs, sizeof certs, "%s/certs", base);
    snprintf(log, sizeof log, "%s/gencerts.log", base);
    snprintf(sh, sizeof sh, "/bin/sh");
    argv[0] = sh;
    argv[1] = script;
    argv[2] = certs;
    argv[3] = NULL;
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid = spawn(argv, -1, fd, fd);
    if (fd >= 0) close(fd);
    if (pid < 0 || !wait_exit(pid, 60000, &st) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (pid > 0) stop_group(pid, SIGKILL);
        fxt_log("%s failed (is the openssl command installed?); see %s", script, log);
        certs[0] = 0;
        return 0;
    }
    return 1;
}

const char *fxt_certs_dir(void) {
    int ok;
    pthread_mutex_lock(&fxt_lock);
    ok = certs_locked();
    pthread_mutex_unlock(&fxt_lock);
    return ok ? certs : NULL;
}

const char *fxt_cert(const char *file) {
    static _Thread_local char bufs[16][512];
    static _Thread_local unsigned next;
    char *b;
    if (!fxt_certs_dir()) return NULL;
    b = bufs[next++ % 16];
    snprintf(b, sizeof bufs[0], "%s/%s", certs, file);
    return b;
}

/* ---- nginx ---- */

static char *read_whole(const char *path) {
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

/* Replaces each @KEY@ of tmpl by its value. */
static char *substitute(const char *tmpl, const char *const *keys, const char *const *vals, int n) {
    size_t cap = strlen(tmpl) + 1, len = 0;
    char *out = (char *)malloc(cap);
    const char *p = tmpl;
    if (!out) return NULL;
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
                    p += kl + 1;
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
    return out;
}

/* The janitor, started as soon as the fixture directory exists: when the
   test process dies (end of file on the pipe) or the lifetime ends, it stops
   nginx (its master leads a process group; the pid is in nginx.pid) and
   removes the directory. Only async-signal-safe calls in the child: the test
   process may have threads. */
static pid_t start_janitor(void) {
    int p[2];
    long maxfd = max_fd();
    pid_t pid;
    char *rm_argv[5], pidfile[300];
    rm_argv[0] = (char *)"rm";
    rm_argv[1] = (char *)"-rf";
    rm_argv[2] = (char *)"--";
    rm_argv[3] = base;
    rm_argv[4] = NULL;
    snprintf(pidfile, sizeof pidfile, "%s/nginx.pid", base);
    if (pipe(p) != 0) return -1;
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        struct pollfd pf;
        char buf[32];
        int fd, i;
        ssize_t n;
        setpgid(0, 0);
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        for (fd = 3; fd < maxfd; fd++)
            if (fd != p[0]) close(fd);
        pf.fd = p[0];
        pf.events = POLLIN;
        for (i = 0; i < 100; i++) {
            int r = poll(&pf, 1, FXT_LIFE_MS);
            if (r != -1 || errno != EINTR) break;
        }
        fd = open(pidfile, O_RDONLY);
        n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        if (n > 0) {
            pid_t nginx = 0;
            for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) nginx = nginx * 10 + (buf[i] - '0');
            if (nginx > 1) {
                kill(-nginx, SIGTERM);
                for (i = 0; i < 60 && kill(-nginx, 0) == 0; i++) sleep_ms(50);
                kill(-nginx, SIGKILL);
            }
        }
        execv("/bin/rm", rm_argv);
        _exit(0);
    }
    close(p[0]);
    if (pid < 0) { close(p[1]); return -1; }
    ng.watch_fd = p[1];
    return pid;
}

static int make_docroot(const char *root) {
    static const char hello[] = "Hello, TLS!\n";
    unsigned char *big;
    char path[512];
    size_t i;
    int ok;
    if (mkdir(root, 0755) != 0) return 0;
    chmod(root, 0755);
    big = (unsigned char *)malloc(1 << 20);
    if (!big) return 0;
    for (i = 0; i < (1u << 20); i++) big[i] = (unsigned char)((i * 7 + 3) & 0xff);
    snprintf(path, sizeof path, "%s/hello.txt", root);
    ok = write_file(path, hello, sizeof hello - 1) == 0;
    snprintf(path, sizeof path, "%s/1mb.bin", root);
    ok = ok && write_file(path, big, 1 << 20) == 0;
    free(big);
    return ok;
}

static int nginx_start_locked(void) {
    const char *env = getenv("NGINX");
    char exe[512], conf_in[1024], locations[1024], conf[400], errlog[400], prefix[300], root[320];
    char user[300] = "", temps[1200] = "", portstr[FXT_N][16], keys[FXT_N + 6][32];
    const char *kp[FXT_N + 6], *vals[FXT_N + 6];
    char *tmpl = NULL, *text = NULL, *argv[8];
    int attempt, i, n;
    static const char *const temp_mods[] = { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" };

    ng_tried = 1;
    if (!certs_locked()) return 0;
    if (!find_exe(env && *env ? env : "/usr/sbin/nginx", exe, sizeof exe) && !find_exe("nginx", exe, sizeof exe)) {
        fxt_log("nginx: not found (set NGINX to its path)");
        return 0;
    }
    if (!find_source("tests/tls/nginx.conf.in", conf_in, sizeof conf_in) ||
        !find_source("tests/tls/locations.conf", locations, sizeof locations) || !(tmpl = read_whole(conf_in))) {
        fxt_log("nginx: tests/tls/nginx.conf.in or locations.conf not found");
        return 0;
    }
    snprintf(root, sizeof root, "%s/www", base);
    if (!make_docroot(root)) { fxt_log("nginx: cannot write %s", root); free(tmpl); return 0; }
    if (geteuid() == 0) {
        struct passwd *pw = getpwuid(0);
        struct group *gr = getgrgid(0);
        snprintf(user, sizeof user, "user %s %s;", pw ? pw->pw_name : "root", gr ? gr->gr_name : "root");
    }
    /* Only client_body is sure to exist; the others are harmless when the
       module is there, and `nginx -t` would tell. Like fixtures.c, keep it
       simple: the Debian nginx has all five. */
    for (i = 0; i < 5; i++) {
        size_t l = strlen(temps);
        snprintf(temps + l, sizeof temps - l, "    %s_temp_path %s/%s_temp;\n", temp_mods[i], base, temp_mods[i]);
    }
    snprintf(prefix, sizeof prefix, "%s/", base);
    snprintf(conf, sizeof conf, "%s/nginx.conf", base);
    snprintf(errlog, sizeof errlog, "%s/error.log", base);

    for (attempt = 0; attempt < 5; attempt++) {
        long long end;
        int died = 0, devnull, k = 0, up;
        char *log;
        kp[k] = "USER"; vals[k++] = user;
        kp[k] = "PREFIX"; vals[k++] = base;
        kp[k] = "TEMP_PATHS"; vals[k++] = temps;
        kp[k] = "CERTS"; vals[k++] = certs;
        kp[k] = "ROOT"; vals[k++] = root;
        kp[k] = "LOCATIONS"; vals[k++] = locations;
        for (i = 0; i < FXT_N; i++) {
            size_t j;
            ng.ports[i] = fx_free_port();
            snprintf(portstr[i], sizeof portstr[i], "%d", ng.ports[i]);
            snprintf(keys[i], sizeof keys[i], "PORT_%s", fxt_names[i]);
            for (j = 0; keys[i][j]; j++)
                if (keys[i][j] >= 'a' && keys[i][j] <= 'z') keys[i][j] = (char)(keys[i][j] - 'a' + 'A');
            kp[k] = keys[i];
            vals[k++] = portstr[i];
        }
        free(text);
        text = substitute(tmpl, kp, vals, k);
        if (!text || write_file(conf, text, strlen(text)) != 0) { fxt_log("nginx: cannot write %s", conf); break; }
        remove(errlog);
        {
            char pidf[400];
            snprintf(pidf, sizeof pidf, "%s/nginx.pid", base);
            remove(pidf);   /* "up" below is its appearance */
        }
        n = 0;
        argv[n++] = exe;
        argv[n++] = (char *)"-p";
        argv[n++] = prefix;
        argv[n++] = (char *)"-c";
        argv[n++] = conf;
        argv[n++] = (char *)"-e";
        argv[n++] = errlog;
        argv[n] = NULL;
        devnull = open("/dev/null", O_RDONLY);
        ng.pid = spawn(argv, devnull, -1, -1);
        if (devnull >= 0) close(devnull);
        if (ng.pid < 0) { ng.pid = 0; fxt_log("nginx: fork: %s", strerror(errno)); break; }
        end = now_ms() + FXT_START_MS;
        up = 0;
        while (now_ms() < end) {
            if (waitpid(ng.pid, NULL, WNOHANG) == ng.pid) { ng.pid = 0; died = 1; break; }
            /* nginx binds every port before it accepts on any: the pid file says it is up */
            {
                char pidf[400];
                snprintf(pidf, sizeof pidf, "%s/nginx.pid", base);
                if (access(pidf, R_OK) == 0) { up = 1; break; }
            }
            sleep_ms(10);
        }
        if (up) { free(tmpl); free(text); return 1; }
        if (ng.pid > 0) { stop_group(ng.pid, SIGTERM); ng.pid = 0; }
        log = read_whole(errlog);
        if (died && log && strstr(log, "in use")) { free(log); continue; }
        fxt_log("nginx: %s did not start within %d ms%s\n%s", exe, FXT_START_MS, died ? " (it exited)" : "",
                log ? log : "(no error log)");
        free(log);
        break;
    }
    free(tmpl);
    free(text);
    memset(ng.ports, 0, sizeof ng.ports);
    return 0;
}

int fxt_nginx_port(const char *name) {
    int i, port = 0;
    pthread_mutex_lock(&fxt_lock);
    if (!ng_tried) nginx_start_locked();
    for (i = 0; i < FXT_N; i++)
        if (strcmp(name, fxt_names[i]) == 0) port = ng.ports[i];
    pthread_mutex_unlock(&fxt_lock);
    return port;
}

/* ---- tls_server.py ---- */

static int py_start_locked(void) {
    char script[1024], python[1024], line[256], cert[400], key[400];
    const char *pyenv = getenv("PYTHON");
    char *argv[8], *p;
    int in[2], out[2];
    size_t n = 0;
    long long end;
    py_tried = 1;
    if (!certs_locked()) return 0;
    if (!find_source("tests/tls/tls_server.py", script, sizeof script)) { fxt_log("tests/tls/tls_server.py not found"); return 0; }
    if (!find_exe(pyenv && *pyenv ? pyenv : "python3", python, sizeof python)) { fxt_log("python3 not found"); return 0; }
    snprintf(cert, sizeof cert, "%s/server-rsa.pem", certs);
    snprintf(key, sizeof key, "%s/server-rsa.key", certs);
    if (pipe(in) != 0) return 0;
    if (pipe(out) != 0) { close(in[0]); close(in[1]); return 0; }
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    argv[0] = python;
    argv[1] = script;
    argv[2] = (char *)"--cert";
    argv[3] = cert;
    argv[4] = (char *)"--key";
    argv[5] = key;
    argv[6] = (char *)"--watch-stdin";
    argv[7] = NULL;
    py.pid = spawn(argv, in[0], out[1], -1);
    close(in[0]);
    close(out[1]);
    py.stdin_fd = in[1];
    if (py.pid < 0) { py.pid = 0; close(out[0]); return 0; }
    end = now_ms() + FXT_START_MS;
    while (n < sizeof line - 1 && !memchr(line, '\n', n)) {
        struct pollfd pf;
        long long left = end - now_ms();
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
    if ((p = strstr(line, "truncate="))) py.truncate = atoi(p + 9);
    if ((p = strstr(line, "clean="))) py.clean = atoi(p + 6);
    if ((p = strstr(line, "hangup="))) py.hangup = atoi(p + 7);
    if (!py.truncate || !py.clean || !py.hangup) {
        fxt_log("tls_server.py did not report its ports (got \"%s\")", line);
        if (py.stdin_fd >= 0) { close(py.stdin_fd); py.stdin_fd = -1; }
        stop_group(py.pid, SIGTERM);
        py.pid = 0;
        return 0;
    }
    return 1;
}

int fxt_py_port(const char *name) {
    int port = 0;
    pthread_mutex_lock(&fxt_lock);
    if (!py_tried) py_start_locked();
    if (strcmp(name, "truncate") == 0) port = py.truncate;
    else if (strcmp(name, "clean") == 0) port = py.clean;
    else if (strcmp(name, "hangup") == 0) port = py.hangup;
    pthread_mutex_unlock(&fxt_lock);
    return port;
}
