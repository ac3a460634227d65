/* dns_internal.h: name resolution as the other components see it (dns.c; dns_private.h is what the resolver's files share).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__DNS_INTERNAL_H
#define HTTPX__DNS_INTERNAL_H
#include "internal.h"
#include "net_internal.h"
/* ---- dns: name resolution that never blocks the loop ----
   Numeric hosts, "localhost" and /etc/hosts names answer at once (inside
   httpx__dns_start). Other names go to the nameservers of /etc/resolv.conf
   (or the client's) over UDP, A and AAAA, with search domains, timeout and
   retry. With HTTPX_DNS_THREADS defined, getaddrinfo on a helper thread does
   it instead. */
typedef struct httpx__dns_config {
    const char *const *nameservers; /* NULL: from /etc/resolv.conf ("ip" or "ip:port" each, NULL-terminated) */
    double timeout;                 /* per try, seconds; 0: 2 s (resolv.conf "options timeout:" wins when set there) */
    int attempts;                   /* 0: 2 (resolv.conf "options attempts:") */
    const char *hosts_file;         /* NULL: /etc/hosts (tests point it elsewhere) */
    const char *resolv_conf;        /* NULL: /etc/resolv.conf */
} httpx__dns_config;
typedef struct httpx__dns httpx__dns;
/* Starts resolving host (port goes into the addresses). Returns NULL on
   failure (e filled: HTTPX_ERR_CONNECT naming the host, or NOMEM). When the
   answer is known at once, httpx__dns_step returns 1 on its first call. */
HTTPX__PRIVATE httpx__dns *httpx__dns_start(const httpx__dns_config *cfg, const char *host, int port, httpx__err *e);
/* The fd to poll for POLLIN while the lookup runs, or -1 when none is needed
   (answer already known: call step). */
HTTPX__PRIVATE httpx__sock httpx__dns_fd(const httpx__dns *d);
/* The poll events to wait for on that fd: POLLIN, or POLLOUT while a TCP
   fallback connects or sends. */
HTTPX__PRIVATE short httpx__dns_events(const httpx__dns *d);
/* When the current try times out (monotonic seconds, httpx__now()), 0 if none. */
HTTPX__PRIVATE double httpx__dns_deadline(const httpx__dns *d);
/* Does what is ready without waiting: reads answers, sends retries when the
   deadline passed. 1 done (out filled, IPv6 and IPv4 addresses, at most
   HTTPX__MAX_ADDRS), 0 still waiting, HTTPX__BAD failed (e: HTTPX_ERR_CONNECT with a
   message naming the host and why: NXDOMAIN, SERVFAIL, timeout, malformed). */
HTTPX__PRIVATE int httpx__dns_step(httpx__dns *d, httpx__addrs *out, httpx__err *e);
HTTPX__PRIVATE void httpx__dns_free(httpx__dns *d);

#if defined(HTTPX__TEST_HOOKS) && defined(HTTPX_DNS_THREADS)
/* Waits until no lookup thread runs (the tests' leak check at exit must not
   race a detached thread that still owns its job). */
HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void);
#endif
#endif /* HTTPX__DNS_INTERNAL_H */
