/* Proxy fixtures for tests/test_proxy.c: real proxies on 127.0.0.1 (Debian's
   tinyproxy and microsocks) and misbehaving ones (tests/servers/bad_proxy.py).
   Like fixtures.h: started lazily, once per process, on free ports, stopped
   at exit (and by a watchdog, or --watch-stdin, if the test process dies).
   A function that cannot start its proxy prints why and returns 0 / NULL. */
#ifndef HTTPX_TEST_FIXTURES_PROXY_H
#define HTTPX_TEST_FIXTURES_PROXY_H

/* tinyproxy (/usr/bin/tinyproxy or $TINYPROXY): HTTP forwarding and CONNECT
   to any port, for 127.0.0.1. */
int fxp_tinyproxy_port(void);
/* Its log (LogLevel Info: a "Request ...: GET http://..." line per request,
   "CONNECT host:port" for tunnels), read now; malloc'd, NULL when none. */
char *fxp_tinyproxy_log(void);
/* microsocks (/usr/bin/microsocks or $MICROSOCKS): SOCKS5 without
   authentication (with_user 0) or with user "user" and password "secret". */
int fxp_microsocks_port(int with_user);
/* tests/servers/bad_proxy.py: the port of a mode ("auth", "refuse", ...,
   "socks-badver": its docstring lists them). */
int fxp_bad_port(const char *mode);

#endif
