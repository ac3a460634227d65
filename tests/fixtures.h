/* Test fixtures: real servers on 127.0.0.1 for the integration tests.

   Each server starts lazily, once per process, on the first call that needs
   it, on a free port, and is stopped (and its files removed) at exit. If the
   test binary dies without running atexit handlers, the servers notice (a pipe
   from the test process reaches end of file) and stop by themselves; they also
   stop after 10 (nginx) or 15 (rogue) minutes whatever happens.

   A function that starts a server returns 0 (port) or NULL (string) and prints
   why on stderr when the server could not start, so a test begins with
       int port = fx_nginx_port(); REQUIRE(port);
   The functions are thread-safe. Paths are relative to the repository root,
   which is the working directory of `make unit` (or set HTTPX_SRCDIR). */
#ifndef HTTPX_TEST_FIXTURES_H
#define HTTPX_TEST_FIXTURES_H

#include <stddef.h>

/* nginx (tests/servers/nginx.conf.in), $NGINX or /usr/sbin/nginx or PATH.
   Document root files: /hello.txt ("Hello, world!\n"), /small.bin (bytes 0..127),
   /1mb.bin (1 MiB, byte i = (i*7+3) & 0xff), /index.html (also served for "/").
   Other locations: /status/{204,301,302,404,418,500,503} (301 and 302 redirect
   to the relative Location "/hello.txt"), /redirect/... (302 to /hello.txt),
   /loop (302 to /loop), /gzip/NAME (root file NAME, gzip off), /gzip-on/NAME
   (root file NAME, gzipped when the request accepts gzip), /echo... (proxied
   to the rogue server's /echo..., present when the rogue server started). */
int         fx_nginx_port(void);
const char *fx_nginx_url(void);    /* "http://127.0.0.1:PORT", NULL if no nginx */
const char *fx_nginx_root(void);   /* document root, NULL if no nginx */
/* The Unix socket nginx also listens on: "http" (the server of fx_nginx_port)
   or "h2c" (HTTP/2 with prior knowledge); NULL if no nginx. */
const char *fx_nginx_uds(const char *name);
/* Writes (replaces) file NAME (may contain '/': directories are made) in the
   document root, readable by nginx. Returns 0, or -1 if it failed. */
int         fx_nginx_write_file(const char *name, const void *data, size_t len);

/* tests/servers/rogue.py under $PYTHON or python3; its docstring lists the
   endpoints. */
int         fx_rogue_port(void);
const char *fx_rogue_url(void);    /* "http://127.0.0.1:PORT", NULL if no server */

/* A port nothing listens on right now (bound to port 0, then closed): for a
   server a test starts itself. Another process may take it; retry on EADDRINUSE. */
int         fx_free_port(void);
/* A port that refuses connections for the whole run: a socket is bound to it
   and never listens, so nobody else can take it. */
int         fx_closed_port(void);

/* "http://127.0.0.1:PORT" + path, in one of 16 rotating thread-local buffers
   (so a few can be used in one expression). path may be "" or NULL. */
const char *fx_url(int port, const char *path);
/* fx_url(fx_nginx_port(), path) and fx_url(fx_rogue_port(), path); when the
   server did not start, "http://127.0.0.1:1/nginx-did-not-start" (or
   rogue-...): a URL whose requests fail loudly. */
const char *fx_nginx_at(const char *path);
const char *fx_rogue_at(const char *path);

#endif
