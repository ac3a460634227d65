/* HTTP/2 test fixtures: nghttpd (h2c) and tests/servers/h2_server.py.

   As fixtures.h: each server starts lazily, once per process, on the first
   call that needs it, on free ports of 127.0.0.1, and is stopped (its files
   removed) at exit; when the test process dies without its atexit handlers
   the servers notice (a pipe reaches end of file) and stop. A function that
   cannot start its server prints why on stderr and returns 0 / NULL.
   Thread-safe. nginx with HTTP/2 over TLS is fxt_nginx_port("h2")
   (fixtures_tls.h). */
#ifndef HTTPX_TEST_FIXTURES_H2_H
#define HTTPX_TEST_FIXTURES_H2_H

#include <stddef.h>

/* nghttpd --no-tls (Debian nghttp2-server), $NGHTTPD or /usr/sbin/nghttpd or
   PATH, with --echo-upload (a POST or PUT gets its body back). Document
   root: /hello.txt ("Hello, h2c!\n"), /1mb.bin (byte i = (i*7+3) & 0xff). */
int         fxh2_nghttpd_port(void);
const char *fxh2_nghttpd_root(void);
/* Writes (replaces) root/name; 0 or -1. */
int         fxh2_nghttpd_write_file(const char *name, const void *data, size_t len);

/* tests/servers/h2_server.py (its docstring lists the endpoints, the
   hostile ones too); "nosettings": a port that accepts and never sends. */
int         fxh2_py_port(void);
int         fxh2_py_nosettings_port(void);

#endif
