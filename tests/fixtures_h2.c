/* HTTP/2 test fixtures; see fixtures_h2.h. The process handling is that of
   tests/fixtures.c (fixtures_common.h): nghttpd runs in a process group of
   its own with a watchdog that stops it and removes its directory when the
   test process dies; h2_server.py watches its stdin for the same. */
#include "fixtures_h2.h"
#include "fixtures.h"
#include "fixtures_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FXH2_START_MS 8000      /* a server must accept within this, on a loaded machine too */

static pthread_mutex_t fxh2_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { int tried, port; fxc_proc p; char dir[256], root[300]; } ngd = { 0, 0, FXC_PROC_INIT, "", "" };
static struct { int tried, port, nosettings; fxc_proc p; } py = { 0, 0, 0, FXC_PROC_INIT };

static void fxh2_cleanup(void) {
    fxc_proc_stop(&ngd.p);
    fxc_rm_tree(ngd.dir);
    ngd.dir[0] = 0;
    fxc_proc_stop(&py.p);
}

/* Whether something accepts on 127.0.0.1:port now. */
static int fxh2_accepts(int port) {
    struct sockaddr_in a, me;
    socklen_t mlen = sizeof me;
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
    if (fd < 0) return 0;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    /* a free port of the ephemeral range can connect to itself: not a server */
    if (ok && getsockname(fd, (struct sockaddr *)&me, &mlen) == 0 && me.sin_port == a.sin_port) ok = 0;
    close(fd);
    return ok;
}

/* ---- nghttpd ---- */

static int nghttpd_start_locked(void) {
    static const char who[] = "fixtures_h2: nghttpd";
    const char *env = getenv("NGHTTPD");
    char exe[512], portstr[16], log[400];
    char *argv[10];
    int attempt;
    ngd.tried = 1;
    fxc_at_exit(fxh2_cleanup);
    if (!fxc_find_exe(env && *env ? env : "/usr/sbin/nghttpd", exe, sizeof exe) && !fxc_find_exe("nghttpd", exe, sizeof exe)) {
        fxc_log(who, "not found (apt-get install nghttp2-server, or set NGHTTPD)");
        return 0;
    }
    if (!fxc_make_tmpdir(ngd.dir, sizeof ngd.dir, "httpx-h2")) {
        fxc_log(who, "mkdtemp %s: %s", ngd.dir, strerror(errno));
        ngd.dir[0] = 0;
        return 0;
    }
    snprintf(ngd.root, sizeof ngd.root, "%s/www", ngd.dir);
    snprintf(log, sizeof log, "%s/nghttpd.log", ngd.dir);
    if (!fxc_make_docroot(ngd.root, "Hello, h2c!\n")) { fxc_log(who, "cannot write %s", ngd.root); return 0; }
    for (attempt = 0; attempt < 5; attempt++) {
        long long end;
        int fd, up = 0;
        ngd.port = fx_free_port();
        snprintf(portstr, sizeof portstr, "%d", ngd.port);
        argv[0] = exe;
        argv[1] = (char *)"--no-tls";
        argv[2] = (char *)"--echo-upload";
        argv[3] = (char *)"-a";
        argv[4] = (char *)"127.0.0.1";
        argv[5] = (char *)"-d";
        argv[6] = ngd.root;
        argv[7] = portstr;
        argv[8] = NULL;
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ngd.p.pid = fxc_spawn(argv, -1, fd, fd);
        if (fd >= 0) close(fd);
        if (ngd.p.pid < 0) { ngd.p.pid = 0; fxc_log(who, "fork: %s", strerror(errno)); break; }
        fxc_start_watchdog(&ngd.p, NULL, ngd.dir);
        end = fxc_now_ms() + FXH2_START_MS;
        while (fxc_now_ms() < end) {
            if (waitpid(ngd.p.pid, NULL, WNOHANG) == ngd.p.pid) { ngd.p.pid = 0; break; }
            if (fxh2_accepts(ngd.port)) { up = 1; break; }
            fxc_sleep_ms(10);
        }
        if (up) return 1;
        fxc_proc_stop(&ngd.p);   /* port taken (it exited) or too slow: another port */
    }
    fxc_log(who, "did not start; see %s", log);
    ngd.port = 0;
    return 0;
}

int fxh2_nghttpd_port(void) {
    int port;
    pthread_mutex_lock(&fxh2_lock);
    if (!ngd.tried) nghttpd_start_locked();
    port = ngd.port;
    pthread_mutex_unlock(&fxh2_lock);
    return port;
}

const char *fxh2_nghttpd_root(void) {
    return fxh2_nghttpd_port() ? ngd.root : NULL;
}

int fxh2_nghttpd_write_file(const char *name, const void *data, size_t len) {
    const char *root = fxh2_nghttpd_root();
    return root ? fxc_write_in_root(root, name, data, len) : -1;
}

/* ---- h2_server.py ---- */

static int py_start_locked(void) {
    char line[128];
    const char *q;
    py.tried = 1;
    fxc_at_exit(fxh2_cleanup);
    if (!fxc_start_python("fixtures_h2", "tests/servers/h2_server.py", NULL, &py.p, line, sizeof line,
                          FXH2_START_MS * 2, NULL, 0))
        return 0;
    py.port = atoi(line);
    q = strstr(line, "nosettings=");
    py.nosettings = q ? atoi(q + 11) : 0;
    if (py.port <= 0 || py.nosettings <= 0 || !fxh2_accepts(py.port)) {
        fxc_log("fixtures_h2", "h2_server.py did not report its ports (got \"%s\")", line);
        fxc_proc_stop(&py.p);
        py.port = py.nosettings = 0;
        return 0;
    }
    return 1;
}

int fxh2_py_port(void) {
    int port;
    pthread_mutex_lock(&fxh2_lock);
    if (!py.tried) py_start_locked();
    port = py.port;
    pthread_mutex_unlock(&fxh2_lock);
    return port;
}

int fxh2_py_nosettings_port(void) {
    int port;
    pthread_mutex_lock(&fxh2_lock);
    if (!py.tried) py_start_locked();
    port = py.nosettings;
    pthread_mutex_unlock(&fxh2_lock);
    return port;
}
