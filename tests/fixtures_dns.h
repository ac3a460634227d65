/* Test fixture: tests/servers/dns.py, a DNS server on 127.0.0.1 (UDP and TCP
   on one port) whose behaviour the query name picks; its docstring lists the
   names. Started lazily, once per process, stopped at exit; it also stops when
   the test process dies (its stdin reaches end of file) and after 10 minutes.
   Returns the port, or 0 (and says why on stderr) when it could not start.
   Thread-safe. */
#ifndef HTTPX_TEST_FIXTURES_DNS_H
#define HTTPX_TEST_FIXTURES_DNS_H

int fx_dns_port(void);

#endif
