/* TLS test fixtures: certificates, nginx with TLS, a misbehaving TLS server.

   Like fixtures.h: each thing is made lazily, once per process, on the first
   call that needs it, on free ports of 127.0.0.1, and removed (servers
   stopped, files deleted) at exit. If the test binary dies without running
   atexit handlers, the servers notice (a pipe from the test process reaches
   end of file) and stop; they also stop after 10 minutes whatever happens.
   A function that cannot start its server prints why on stderr and returns
   0 / NULL. Thread-safe. */
#ifndef HTTPX_TEST_FIXTURES_TLS_H
#define HTTPX_TEST_FIXTURES_TLS_H

#include <stddef.h>

/* The directory of the certificates that tests/tls/gencerts.sh made (its
   comment lists them), NULL when the openssl command failed. */
const char *fxt_certs_dir(void);
/* dir/file, in one of 16 rotating thread-local buffers; NULL without certs. */
const char *fxt_cert(const char *file);

/* nginx (tests/tls/nginx.conf.in): the port of a server block by name:
   "rsa", "ec", "chain" (good certificates for localhost, 127.0.0.1 and ::1 by
   ca.pem), "expired", "notyet", "wronghost", "selfsigned", "otherca",
   "mtls" (needs a client certificate by client-ca.pem), "nosuite" (only a
   CBC suite without ECDHE), "tls13" (TLS 1.3 only), "h2" (HTTP/2 and
   HTTP/1.1 by ALPN, good certificate). 0 when unavailable.
   Document root: /hello.txt ("Hello, TLS!\n"), /1mb.bin (byte i =
   (i*7+3) & 0xff); /client, /upload (tests/tls/locations.conf). */
int fxt_nginx_port(const char *name);
/* The Unix socket the "rsa" (name "tls") or "h2" server also listens on;
   NULL if no nginx. */
const char *fxt_nginx_uds(const char *name);
/* Writes (replaces) name in that document root (starting nginx first);
   0 or -1. */
int fxt_nginx_write_file(const char *name, const void *data, size_t len);

/* tests/tls/tls_server.py: "truncate", "clean", "bigrecord" (TLS,
   certificate server-rsa.pem), "hangup" or "alpn" (plain TCP); see its
   docstring. */
int fxt_py_port(const char *name);

#endif
