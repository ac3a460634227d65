/* TLS test fixtures; see fixtures_tls.h. The process handling is that of
   tests/fixtures.c (fixtures_common.h): servers in process groups of their
   own, stopped by an atexit handler; a watchdog process (started with the
   fixture directory, before the certificates are made) stops nginx (by the
   pid in nginx.pid) and removes the directory when the test process dies (a
   pipe reaches end of file) or after a fixed lifetime; tls_server.py watches
   its stdin for the same. */
#include "fixtures_tls.h"
#include "fixtures.h"
#include "fixtures_common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FXT_START_MS  8000                  /* a server must answer within this */

static const char *const fxt_names[] = {
    "rsa", "ec", "chain", "expired", "notyet", "wronghost", "selfsigned", "otherca", "mtls", "nosuite", "tls13", "h2"
};
#define FXT_N ((int)(sizeof fxt_names / sizeof fxt_names[0]))

static pthread_mutex_t fxt_lock = PTHREAD_MUTEX_INITIALIZER;
static int certs_tried, ng_tried, py_tried;
static char base[256], certs[300];
static struct { fxc_proc p; int ports[FXT_N]; } ng = { FXC_PROC_INIT, { 0 } };
static struct { fxc_proc p; int truncate, clean, hangup; char line[260]; } py = { FXC_PROC_INIT, 0, 0, 0, "" };

static void fxt_cleanup(void) {
    fxc_proc_stop(&ng.p);
    fxc_proc_stop(&py.p);
    fxc_rm_tree(base);
}

/* ---- certificates ---- */

static int certs_locked(void) {
    char script[1024], sh[64], log[400], pidfile[300];
    char *argv[4];
    int fd, st = 0;
    pid_t pid;
    if (certs_tried) return certs[0] != 0;
    certs_tried = 1;
    fxc_at_exit(fxt_cleanup);
    if (!fxc_find_source("tests/tls/gencerts.sh", script, sizeof script)) {
        fxc_log("fixtures_tls", "tests/tls/gencerts.sh not found (run from the repository root or set HTTPX_SRCDIR)");
        return 0;
    }
    if (!fxc_make_tmpdir(base, sizeof base, "httpx-tls")) {
        fxc_log("fixtures_tls", "mkdtemp %s: %s", base, strerror(errno));
        base[0] = 0;
        return 0;
    }
    snprintf(pidfile, sizeof pidfile, "%s/nginx.pid", base);
    fxc_start_watchdog(&ng.p, pidfile, base);
    snprintf(certs, sizeof certs, "%s/certs", base);
    snprintf(log, sizeof log, "%s/gencerts.log", base);
    snprintf(sh, sizeof sh, "/bin/sh");
    argv[0] = sh;
    argv[1] = script;
    argv[2] = certs;
    argv[3] = NULL;
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid = fxc_spawn(argv, -1, fd, fd);
    if (fd >= 0) close(fd);
    if (pid < 0 || !fxc_wait_exit(pid, 60000, &st) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (pid > 0) fxc_stop_group(pid, SIGKILL);
        fxc_log("fixtures_tls", "%s failed (is the openssl command installed?); see %s", script, log);
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

static int nginx_start_locked(void) {
    static const char who[] = "fixtures_tls: nginx";
    char exe[512], conf_in[1024], locations[1024], conf[400], errlog[400], prefix[300], root[320], pidf[400];
    char user[300], temps[1200], portstr[FXT_N][16], keys[FXT_N + 6][32];
    const char *kp[FXT_N + 6], *vals[FXT_N + 6];
    char *tmpl = NULL, *text = NULL;
    int attempt, i;

    ng_tried = 1;
    if (!certs_locked()) return 0;
    if (!fxc_find_nginx(exe, sizeof exe)) {
        fxc_log(who, "not found (set NGINX to its path)");
        return 0;
    }
    if (!fxc_find_source("tests/tls/nginx.conf.in", conf_in, sizeof conf_in) ||
        !fxc_find_source("tests/tls/locations.conf", locations, sizeof locations) ||
        !(tmpl = fxc_read_whole(conf_in))) {
        fxc_log(who, "tests/tls/nginx.conf.in or locations.conf not found");
        return 0;
    }
    snprintf(root, sizeof root, "%s/www", base);
    if (!fxc_make_docroot(root, "Hello, TLS!\n")) { fxc_log(who, "cannot write %s", root); free(tmpl); return 0; }
    fxc_nginx_user(user, sizeof user);
    /* All five *_temp_path directives, without asking nginx -V which modules
       it has: the Debian nginx has all five. */
    fxc_nginx_temp_paths(temps, sizeof temps, base, NULL);
    snprintf(prefix, sizeof prefix, "%s/", base);
    snprintf(conf, sizeof conf, "%s/nginx.conf", base);
    snprintf(errlog, sizeof errlog, "%s/error.log", base);
    snprintf(pidf, sizeof pidf, "%s/nginx.pid", base);

    for (attempt = 0; attempt < 5; attempt++) {
        long long end;
        int died = 0, k = 0, up;
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
        text = fxc_substitute(tmpl, kp, vals, k);
        if (!text || fxc_write_file(conf, text, strlen(text)) != 0) { fxc_log(who, "cannot write %s", conf); break; }
        remove(errlog);
        remove(pidf);   /* "up" below is its appearance */
        {   /* a socket file left by an attempt that died would make bind() fail */
            char sock[400];
            snprintf(sock, sizeof sock, "%s/tls.sock", base);
            remove(sock);
            snprintf(sock, sizeof sock, "%s/h2.sock", base);
            remove(sock);
        }
        ng.p.pid = fxc_nginx_spawn(who, exe, prefix, conf, errlog);
        if (!ng.p.pid) break;
        end = fxc_now_ms() + FXT_START_MS;
        up = 0;
        while (fxc_now_ms() < end) {
            if (waitpid(ng.p.pid, NULL, WNOHANG) == ng.p.pid) { ng.p.pid = 0; died = 1; break; }
            /* nginx binds every port before it accepts on any: the pid file says it is up */
            if (access(pidf, R_OK) == 0) { up = 1; break; }
            fxc_sleep_ms(10);
        }
        if (up) { free(tmpl); free(text); return 1; }
        if (ng.p.pid > 0) { fxc_stop_group(ng.p.pid, SIGTERM); ng.p.pid = 0; }
        if (!fxc_nginx_port_taken(who, exe, 0, errlog, died, FXT_START_MS)) break;
    }
    free(tmpl);
    free(text);
    memset(ng.ports, 0, sizeof ng.ports);
    return 0;
}

int fxt_nginx_write_file(const char *name, const void *data, size_t len) {
    char root[320];
    if (!fxt_nginx_port("rsa")) return -1;
    snprintf(root, sizeof root, "%s/www", base);
    return fxc_write_in_root(root, name, data, len);
}

const char *fxt_nginx_uds(const char *name) {
    static char paths[2][400];
    int k = strcmp(name, "h2") == 0;
    if (!fxt_nginx_port("rsa")) return NULL;
    snprintf(paths[k], sizeof paths[k], "%s/%s.sock", base, k ? "h2" : "tls");
    return paths[k];
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
    char line[256], cert[400], key[400];
    char *args[5], *p;
    py_tried = 1;
    if (!certs_locked()) return 0;
    snprintf(cert, sizeof cert, "%s/server-rsa.pem", certs);
    snprintf(key, sizeof key, "%s/server-rsa.key", certs);
    args[0] = (char *)"--cert";
    args[1] = cert;
    args[2] = (char *)"--key";
    args[3] = key;
    args[4] = NULL;
    if (!fxc_start_python("fixtures_tls", "tests/tls/tls_server.py", args, &py.p, line, sizeof line,
                          FXT_START_MS, NULL, 0))
        return 0;
    snprintf(py.line, sizeof py.line, " %s", line);      /* every "name=port" (fxt_py_port) */
    if ((p = strstr(line, "truncate="))) py.truncate = atoi(p + 9);
    if ((p = strstr(line, "clean="))) py.clean = atoi(p + 6);
    if ((p = strstr(line, "hangup="))) py.hangup = atoi(p + 7);
    if (!py.truncate || !py.clean || !py.hangup) {
        fxc_log("fixtures_tls", "tls_server.py did not report its ports (got \"%s\")", line);
        fxc_proc_stop(&py.p);
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
    else {
        char key[40];
        const char *p;
        snprintf(key, sizeof key, " %s=", name);
        if ((p = strstr(py.line, key))) port = atoi(p + strlen(key));
    }
    pthread_mutex_unlock(&fxt_lock);
    return port;
}
