/* Proxy fixtures: see fixtures_proxy.h; the process handling is that of
   tests/fixtures.c (fixtures_common.h). */
#include "fixtures_proxy.h"
#include "fixtures.h"
#include "fixtures_common.h"
#include "fixtures_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

#define FXP_START_MS 10000   /* python or a daemon starting on a slow CI box */

static pthread_mutex_t fxp_lock = PTHREAD_MUTEX_INITIALIZER;
static fxc_proc tp = FXC_PROC_INIT, ms[2] = {FXC_PROC_INIT, FXC_PROC_INIT}, bad = FXC_PROC_INIT;
static int tp_tried, tp_port, ms_tried[2], ms_port[2], bad_tried;
static char tp_dir[512], tp_log[600], bad_line[1024];

static void fxp_stop(void) {
    fxc_proc_stop(&tp);
    fxc_proc_stop(&ms[0]);
    fxc_proc_stop(&ms[1]);
    fxc_proc_stop(&bad);
    fxc_rm_tree(tp_dir);
    tp_dir[0] = 0;
}

/* Whether something accepts on 127.0.0.1:port, retried until ms passed. */
static int fxp_accepts(int port, long ms_total) {
    long long end = fxc_now_ms() + ms_total;
    do {
        struct sockaddr_in a;
        int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((unsigned short)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        if (fd >= 0) close(fd);
        if (ok) return 1;
        fxc_sleep_ms(20);
    } while (fxc_now_ms() < end);
    return 0;
}

/* Starts argv (a daemon in the foreground) and waits for it on port. */
static int fxp_spawn(fxc_proc *p, char *const argv[], int port, const char *who) {
    int status, null = open("/dev/null", O_WRONLY);
    p->pid = fxc_spawn(argv, -1, null, null);    /* microsocks talks on stdout */
    if (null >= 0) close(null);
    if (p->pid <= 0) { p->pid = 0; fxc_log(who, "fork failed"); return 0; }
    fxc_start_watchdog(p, NULL, "");
    if (fxp_accepts(port, FXP_START_MS)) return 1;
    if (fxc_wait_exit(p->pid, 0, &status)) p->pid = 0;   /* it died: the port was taken, or worse */
    fxc_proc_stop(p);
    return 0;
}

static int tp_start_locked(void) {
    static const char who[] = "fixtures: tinyproxy";
    const char *env = getenv("TINYPROXY");
    char exe[512], conf[600], text[1200];
    int attempt;
    tp_tried = 1;
    fxc_at_exit(fxp_stop);
    if (!fxc_find_exe(env && *env ? env : "/usr/bin/tinyproxy", exe, sizeof exe) &&
        !fxc_find_exe("tinyproxy", exe, sizeof exe)) {
        fxc_log(who, "not found (apt-get install tinyproxy, or set TINYPROXY)");
        return 0;
    }
    if (!fxc_make_tmpdir(tp_dir, sizeof tp_dir, "httpx-tinyproxy")) { tp_dir[0] = 0; return 0; }
    snprintf(tp_log, sizeof tp_log, "%s/tinyproxy.log", tp_dir);
    snprintf(conf, sizeof conf, "%s/tinyproxy.conf", tp_dir);
    for (attempt = 0; attempt < 5; attempt++) {     /* port 0 is not supported: a free one, retried */
        char *argv[5];
        int port = fx_free_port();
        /* No ConnectPort line: CONNECT to every port (nginx's TLS ports are random). */
        snprintf(text, sizeof text,
                 "Port %d\nListen 127.0.0.1\nTimeout 60\nLogFile \"%s\"\nLogLevel Info\nMaxClients 200\n"
                 "Allow 127.0.0.1\nDisableViaHeader Yes\n", port, tp_log);
        if (fxc_write_file(conf, text, strlen(text)) != 0) return 0;
        argv[0] = exe;
        argv[1] = (char *)"-d";
        argv[2] = (char *)"-c";
        argv[3] = conf;
        argv[4] = NULL;
        if (fxp_spawn(&tp, argv, port, who)) return tp_port = port;
    }
    fxc_log(who, "did not start (see %s)", tp_log);
    return 0;
}

int fxp_tinyproxy_port(void) {
    int port;
    pthread_mutex_lock(&fxp_lock);
    if (!tp_tried) tp_start_locked();
    port = tp_port;
    pthread_mutex_unlock(&fxp_lock);
    return port;
}

char *fxp_tinyproxy_log(void) {
    return tp_port ? fxc_read_whole(tp_log) : NULL;
}

static int ms_start_locked(int u) {
    static const char who[] = "fixtures: microsocks";
    const char *env = getenv("MICROSOCKS");
    char exe[512], port_s[16];
    int attempt;
    ms_tried[u] = 1;
    fxc_at_exit(fxp_stop);
    if (!fxc_find_exe(env && *env ? env : "/usr/bin/microsocks", exe, sizeof exe) &&
        !fxc_find_exe("microsocks", exe, sizeof exe)) {
        fxc_log(who, "not found (apt-get install microsocks, or set MICROSOCKS)");
        return 0;
    }
    for (attempt = 0; attempt < 5; attempt++) {
        char *argv[10];
        int k = 0, port = fx_free_port();
        snprintf(port_s, sizeof port_s, "%d", port);
        argv[k++] = exe;
        argv[k++] = (char *)"-i";
        argv[k++] = (char *)"127.0.0.1";
        argv[k++] = (char *)"-p";
        argv[k++] = port_s;
        if (u) {
            argv[k++] = (char *)"-u";
            argv[k++] = (char *)"user";
            argv[k++] = (char *)"-P";
            argv[k++] = (char *)"secret";
        }
        argv[k] = NULL;
        if (fxp_spawn(&ms[u], argv, port, who)) return ms_port[u] = port;
    }
    fxc_log(who, "did not start");
    return 0;
}

int fxp_microsocks_port(int with_user) {
    int port, u = with_user ? 1 : 0;
    pthread_mutex_lock(&fxp_lock);
    if (!ms_tried[u]) ms_start_locked(u);
    port = ms_port[u];
    pthread_mutex_unlock(&fxp_lock);
    return port;
}

int fxp_bad_port(const char *mode) {
    char key[64];
    const char *p;
    int port = 0;
    pthread_mutex_lock(&fxp_lock);
    if (!bad_tried) {
        /* the https:// proxy serves the TLS fixtures' certificate for 127.0.0.1 */
        char cert[600], key[600];
        const char *pem = fxt_cert("server-rsa.pem"), *k = fxt_cert("server-rsa.key");
        char *args[5] = {NULL};
        if (pem && k) {
            snprintf(cert, sizeof cert, "%s", pem);
            snprintf(key, sizeof key, "%s", k);
            args[0] = (char *)"--cert";
            args[1] = cert;
            args[2] = (char *)"--key";
            args[3] = key;
        }
        bad_tried = 1;
        fxc_at_exit(fxp_stop);
        if (!fxc_start_python("fixtures: bad_proxy", "tests/servers/bad_proxy.py", args, &bad, bad_line,
                              sizeof bad_line, FXP_START_MS, NULL, 0) || !strchr(bad_line, '\n')) {
            fxc_log("fixtures: bad_proxy", "did not report its ports (got \"%s\")", bad_line);
            fxc_proc_stop(&bad);
            bad_line[0] = 0;
        }
    }
    snprintf(key, sizeof key, "%s=", mode);
    for (p = bad_line; (p = strstr(p, key)) != NULL; p++)
        if (p == bad_line || p[-1] == ' ') { port = atoi(p + strlen(key)); break; }
    pthread_mutex_unlock(&fxp_lock);
    return port;
}
