/* tests/servers/httpbin_server.py: Debian's python3-httpbin under a WSGI
   server on 127.0.0.1, started at the first call, stopped at exit (it
   watches its stdin, so it also goes when the test process dies). */
#ifndef FIXTURES_HTTPBIN_H
#define FIXTURES_HTTPBIN_H

/* Its port, or 0 when it cannot run (python3-httpbin missing: logged). */
int fx_httpbin_port(void);

#endif
