/* Internal to the fixtures: the process, file and clock helpers that
   fixtures.c defines and fixtures_tls.c and fixtures_dns.c use too. Tests
   include fixtures.h (and fixtures_tls.h, fixtures_dns.h), not this.

   Conventions: a server runs in a process group of its own (fxc_spawn), so
   the terminal's Ctrl-C reaches the test, not the server, and the whole group
   can be killed. When the test process dies without its atexit handlers, a
   pipe whose write end only the test holds reaches end of file: a Python
   server watches its stdin for that (--watch-stdin), nginx, which cannot,
   gets a watchdog process (fxc_start_watchdog). */
#ifndef HTTPX_TEST_FIXTURES_COMMON_H
#define HTTPX_TEST_FIXTURES_COMMON_H

#include <stddef.h>
#include <sys/types.h>

#define FXC_STOP_MS     3000                 /* after the stop signal, SIGKILL */
#define FXC_WATCH_MS    (10 * 60 * 1000)     /* a watchdog's bound */

/* Prints "who: message\n" on stderr. */
void fxc_log(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

long long fxc_now_ms(void);      /* CLOCK_MONOTONIC */
void fxc_sleep_ms(long ms);

/* An executable: name itself when it has a '/', else the first match on PATH.
   Resolved before fork: the child may only call async-signal-safe functions. */
int fxc_find_exe(const char *name, char *out, size_t cap);
/* A file of the source tree, as an absolute path where possible:
   $HTTPX_SRCDIR/rel, ./rel, or rel next to the test binary's parent
   directory (build/test -> ./rel). */
int fxc_find_source(const char *rel, char *out, size_t cap);
/* The nginx binary: $NGINX, else /usr/sbin/nginx, else nginx on PATH. */
int fxc_find_nginx(char *out, size_t cap);

/* ---- processes ---- */

/* Runs argv[0] (a path) in a new process group with default signals and
   only fds 0-2 (in_fd/out_fd/err_fd when >= 0, else inherited). The pid, or
   -1 if fork failed. */
pid_t fxc_spawn(char *const argv[], int in_fd, int out_fd, int err_fd);
/* Reaps pid within ms (status may be NULL); 1 if it exited. */
int fxc_wait_exit(pid_t pid, long ms, int *status);
/* Stops a process that leads its own group: sig, then after FXC_STOP_MS
   SIGKILL; then SIGKILL to whatever is left of the group. */
void fxc_stop_group(pid_t pid, int sig);

/* A server process: its pid, the write end of the pipe that tells it (or its
   watchdog) the test lives, and its watchdog (0 if none). */
typedef struct {
    pid_t pid, watchdog;
    int pipe_fd;
} fxc_proc;
#define FXC_PROC_INIT { 0, 0, -1 }
/* Kills the watchdog, closes the pipe, stops the process group with SIGTERM. */
void fxc_proc_stop(fxc_proc *p);

/* Starts $PYTHON (or python3) on the source file script (relative to the
   repository root) with args (NULL-terminated, at most 8) and --watch-stdin;
   reads its first stdout line (at most cap-1 bytes, NUL-terminated, within
   ms) into line. 0 if it could not start (why is logged under who), else 1
   with p->pid and p->pipe_fd (its stdin) set; the caller checks the line and
   fxc_proc_stop()s it when the line is wrong. *script_out (may be NULL) gets
   the script's path. */
int fxc_start_python(const char *who, const char *script, char *const args[], fxc_proc *p,
                     char *line, size_t cap, long ms, char *script_out, size_t script_cap);

/* Starts a watchdog for p: when the test process dies (end of file on the
   pipe it keeps in p->pipe_fd) or after FXC_WATCH_MS, it stops the process
   group p->pid, or when that is 0 the one whose leader's pid is in pidfile
   (may be NULL), and then removes dir (rm -rf). Sets p->watchdog (-1 if it
   could not start). */
void fxc_start_watchdog(fxc_proc *p, const char *pidfile, const char *dir);

/* Runs fn at exit, in the calling process only: a child forked by a test and
   calling exit() must not stop the servers. Once per fn; thread-safe. */
void fxc_at_exit(void (*fn)(void));

/* ---- files ---- */

/* Makes $TMPDIR/name-XXXXXX (or /tmp/...) in dir, mode 0755 (nginx workers
   may run as another user). 0 (dir holds the template, for a message) if
   mkdtemp failed. */
int fxc_make_tmpdir(char *dir, size_t cap, const char *name);
int fxc_write_file(const char *path, const void *data, size_t len);   /* mode 0644; 0 or -1 */
/* Writes root/name, making directories; name must stay inside root. Written
   to a temporary name and renamed, so nginx never serves half a file. */
int fxc_write_in_root(const char *root, const char *name, const void *data, size_t len);
/* Makes the directory root (mode 0755 whatever the umask: workers must read
   it) with hello.txt (the text hello) and 1mb.bin (1 MiB, byte i =
   (i*7+3) & 0xff). 1 if all went well. */
int fxc_make_docroot(const char *root, const char *hello);
char *fxc_read_whole(const char *path);                           /* malloc'd, NUL-terminated */
void fxc_rm_tree(const char *dir);                                /* nothing when dir is "" */
/* Copies tmpl to a new string, replacing each @KEY@ by its value from
   keys/vals (n of them); unknown @...@ stay as they are. */
char *fxc_substitute(const char *tmpl, const char *const *keys, const char *const *vals, int n);

/* ---- nginx ---- */

/* "user root root;" (by the names of uid and gid 0) when running as root,
   so that the workers can read a 0700 temp dir; "" otherwise. */
void fxc_nginx_user(char *out, size_t cap);
/* The *_temp_path directives under dir, for the modules that info (the
   output of nginx -V) does not list as left out; all five when info is NULL. */
void fxc_nginx_temp_paths(char *out, size_t cap, const char *dir, const char *info);
/* Starts nginx -p prefix -c conf [-e errlog] with stdin from /dev/null
   (errlog may be NULL). The pid, or 0 after logging under who. */
pid_t fxc_nginx_spawn(const char *who, const char *exe, const char *prefix, const char *conf,
                      const char *errlog);
/* After nginx did not come up within ms (died: it exited): 1 if its port was
   taken (try another), else 0 after logging why (with its error log) under
   who; port is named in the message unless 0. */
int fxc_nginx_port_taken(const char *who, const char *exe, int port, const char *errlog, int died, long ms);

#endif
