/* dns_stub: a stub resolver of our own, so that a lookup never blocks the
   loop: A and AAAA queries over UDP to the nameservers of resolv.conf (or
   the client's), with search domains and ndots as glibc applies them
   (dns_conf.c), a timeout per try and retries that go round the nameservers.
   A truncated answer (TC bit) is asked again over TCP. The id must match
   what we sent, and the socket is connect()ed, so that only the nameserver
   can answer; the message format itself is dns_wire.c's. */
#include "dns_private.h"
#include <errno.h>
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS       /* always defined on Windows: no stub resolver there */
#include <unistd.h>

#define HTTPX__DNS_UDP_MAX 4096     /* we send no EDNS0, so 512 is all a server may send */
enum { HTTPX__DNSQ_WAIT, HTTPX__DNSQ_TCP, HTTPX__DNSQ_DONE };

/* Query ids must be unguessable (a guessed id is a spoofed answer): a
   splitmix64 stream seeded from /dev/urandom, mixed with the clock and an
   address in case it cannot be read. */
static void httpx__dns_seed(httpx__dns *d) {
    uint64_t s = 0;
    if (!httpx__random(&s, sizeof s)) s = 0;
    d->rng = s ^ (uint64_t)(httpx__now() * 1e9) ^ ((uint64_t)(uintptr_t)d << 16) ^ (uint64_t)getpid();
}

static unsigned httpx__dns_rand16(httpx__dns *d) { return (unsigned)(httpx__splitmix64(&d->rng) & 0xFFFF); }

HTTPX__PRIVATE void httpx__dns_stub_close(httpx__dns *d) {
    httpx__sock_close(d->fd);
    httpx__sock_close(d->tcp_fd);
    d->fd = d->tcp_fd = HTTPX__NO_SOCK;
    d->sock_ns = -1;
    d->tcp_connecting = false;
    httpx__buf_free(&d->tcp_out);
    httpx__buf_free(&d->tcp_in);
    d->tcp_out_off = 0;
}

/* Sends the queries still waiting to nameserver round % nns. The socket is
   connect()ed, so the kernel drops datagrams from anybody else; the kernel
   picks a random source port. Returns false when this nameserver cannot be
   reached at all (the caller moves on). */
static bool httpx__dns_send_round(httpx__dns *d) {
    int ns = d->round % d->rc.nns, i;
    if (d->fd < 0 || d->sock_ns != ns) {
        const struct sockaddr *sa = (const struct sockaddr *)&d->rc.ns[ns];
        httpx__sock_close(d->fd);
        d->sock_ns = ns;
        d->fd = httpx__socket(sa->sa_family, SOCK_DGRAM);
        if (d->fd == HTTPX__NO_SOCK) return false;
        if (httpx__sock_connect(d->fd, sa, d->rc.ns_len[ns]) != 0) {   /* UDP: at once or never */
            httpx__sock_close(d->fd);
            d->fd = HTTPX__NO_SOCK;
            return false;
        }
    }
    for (i = 0; i < 2; i++) {
        long r;
        if (d->q[i].state != HTTPX__DNSQ_WAIT) continue;
        r = httpx__sock_write(d->fd, d->q[i].pkt, d->q[i].len);
        if (r == HTTPX__BAD && HTTPX__REFUSED(errno)) {   /* an earlier ICMP port unreachable */
            d->why_refused = true;
            return false;
        }
        /* Other send errors (a full buffer) are a lost datagram: the retry covers it. */
    }
    return true;
}

/* Next try: the next nameserver, after attempts * nns tries none. Returns
   true when a try is under way. */
static bool httpx__dns_next_round(httpx__dns *d) {
    while (++d->round < d->rc.attempts * d->rc.nns) {
        if (httpx__dns_send_round(d)) {
            d->deadline = httpx__now() + d->rc.timeout;
            return true;
        }
    }
    return false;
}

static bool httpx__dns_start_candidate(httpx__dns *d) {
    int i;
    unsigned char *p;
    size_t off = 12;
    const char *name = d->cand[d->icand];
    for (i = 0; i < 2; i++) {
        httpx__dns_q *q = &d->q[i];
        q->type = i == 0 ? HTTPX__DNS_T_A : HTTPX__DNS_T_AAAA;
        q->state = HTTPX__DNSQ_WAIT;
        do q->id = httpx__dns_rand16(d); while (i == 1 && q->id == d->q[0].id);
        q->len = httpx__dns_encode_query(q->pkt, q->id, name, q->type);
    }
    /* our own question, read back the way answers are read */
    p = d->q[0].pkt;
    httpx__dns_get_name(p, d->q[0].len, &off, d->qwire, &d->qwlen);
    d->round = -1;
    d->why_rcode = 0;
    d->why_malformed = d->why_refused = false;
    return httpx__dns_next_round(d);
}

static int httpx__dns_timeout_fail(httpx__dns *d, httpx__err *e) {
    char ns[80], ign[80] = "";
    if (d->why_rcode) return httpx__dns_fail(d, e, "%s", httpx__dns_rcode_text(d->why_rcode));
    if (d->why_malformed) return httpx__dns_fail(d, e, "malformed answer from the nameserver");
    httpx__dns_ns_string(&d->rc, 0, ns, sizeof ns);
    if (d->why_refused)
        return httpx__dns_fail(d, e, "nameserver %s%s refused the query (port unreachable)", ns,
                               d->rc.nns > 1 ? " and the others" : "");
    if (d->ignored)
        snprintf(ign, sizeof ign, "; ignored %d packet%s that did not answer the query", d->ignored,
                 d->ignored == 1 ? "" : "s");
    return httpx__dns_fail(d, e, "nameserver %s%s did not answer within %g s (%d attempt%s%s)%s", ns,
                           d->rc.nns > 1 ? " and the others" : "", d->rc.timeout, d->rc.attempts,
                           d->rc.attempts == 1 ? "" : "s", d->rc.nns > 1 ? " each" : "", ign);
}

/* Both queries of the candidate have an outcome, or it is time to decide. */
static int httpx__dns_settle(httpx__dns *d, httpx__err *e) {
    if (d->found.n4 || d->found.n6) {
        httpx__dns_stub_close(d);
        d->state = HTTPX__DNS_DONE;
        return 1;
    }
    if (++d->icand < d->ncand) {
        httpx__dns_stub_close(d);   /* closes TCP; the new candidate reopens UDP */
        if (httpx__dns_start_candidate(d)) return 0;
        return httpx__dns_timeout_fail(d, e);
    }
    if (d->nodata)
        return httpx__dns_fail(d, e, "the name has no IPv4 or IPv6 address (no A or AAAA record)%s",
                               d->ncand > 1 ? "; search domains tried too" : "");
    return httpx__dns_fail(d, e, "%s%s", httpx__dns_rcode_text(3), d->ncand > 1 ? "; search domains tried too" : "");
}

static bool httpx__dns_all_done(const httpx__dns *d) {
    return d->q[0].state == HTTPX__DNSQ_DONE && d->q[1].state == HTTPX__DNSQ_DONE;
}

static bool httpx__dns_tcp_start(httpx__dns *d);

/* A server failure or an unreadable answer: the try is over; the next one
   goes to the next nameserver at once. */
static int httpx__dns_server_failed(httpx__dns *d, httpx__err *e) {
    /* The other family's addresses are enough: do not make the caller wait. */
    if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);
    /* Over TCP there is no retry: the answer was too big for UDP anywhere. */
    if (d->tcp_fd < 0 && httpx__dns_next_round(d)) return 0;
    return httpx__dns_timeout_fail(d, e);
}

/* One packet from the nameserver (UDP datagram or TCP message). */
static int httpx__dns_packet(httpx__dns *d, const unsigned char *pkt, size_t len, bool over_tcp, httpx__err *e) {
    httpx__dns_answer a;
    httpx__dns_q *q = NULL;
    int i, r;
    if (len >= 2)
        for (i = 0; i < 2; i++)
            if (d->q[i].state != HTTPX__DNSQ_DONE && httpx__dns_u16(pkt) == d->q[i].id) q = &d->q[i];
    if (!q || (q->state == HTTPX__DNSQ_TCP) != over_tcp) { d->ignored++; return 0; }
    r = httpx__dns_parse(pkt, len, d->qwire, d->qwlen, q->type, &a);
    if (r == HTTPX__DNS_IGNORED) { d->ignored++; return 0; }
    if (r == HTTPX__DNS_MALFORMED) {
        d->why_malformed = true;
        return httpx__dns_server_failed(d, e);
    }
    if (a.tc && !over_tcp) {
        /* Too big for UDP: ask again over TCP, and move the other query there
           too (we poll one fd). The truncated records are not used. */
        if (!httpx__dns_tcp_start(d))
            return httpx__dns_fail(d, e, "the answer was truncated and TCP to the nameserver failed: %s",
                                   strerror(errno));
        return 0;
    }
    if (a.rcode == 3) {
        q->state = HTTPX__DNSQ_DONE;
    } else if (a.rcode != 0) {
        d->why_rcode = a.rcode;
        return httpx__dns_server_failed(d, e);
    } else {
        q->state = HTTPX__DNSQ_DONE;
        if (!a.addrs.n4 && !a.addrs.n6) d->nodata = true;
        for (i = 0; i < a.addrs.n4; i++) httpx__dns_list_add(&d->found, AF_INET, a.addrs.v4[i]);
        for (i = 0; i < a.addrs.n6; i++) httpx__dns_list_add(&d->found, AF_INET6, a.addrs.v6[i]);
    }
    return httpx__dns_all_done(d) ? httpx__dns_settle(d, e) : 0;
}

/* ---- TCP fallback (RFC 1035 section 4.2.2, RFC 7766) ---- */

static bool httpx__dns_tcp_start(httpx__dns *d) {
    int i, ns = d->sock_ns;
    const struct sockaddr *sa;
    if (d->tcp_fd < 0) {
        sa = (const struct sockaddr *)&d->rc.ns[ns];
        d->tcp_fd = httpx__socket(sa->sa_family, SOCK_STREAM);
        if (d->tcp_fd == HTTPX__NO_SOCK) return false;
        if (httpx__sock_connect(d->tcp_fd, sa, d->rc.ns_len[ns]) == HTTPX__BAD) {
            int err = errno;
            httpx__sock_close(d->tcp_fd);
            d->tcp_fd = HTTPX__NO_SOCK;
            errno = err;
            return false;
        }
        d->tcp_connecting = true;
        d->deadline = httpx__now() + d->rc.timeout;
    }
    /* Both messages go out on one connection (pipelined, RFC 7766 6.2.1). */
    for (i = 0; i < 2; i++) {
        unsigned char len2[2];
        httpx__dns_q *q = &d->q[i];
        if (q->state != HTTPX__DNSQ_WAIT) continue;
        q->state = HTTPX__DNSQ_TCP;
        len2[0] = (unsigned char)(q->len >> 8);
        len2[1] = (unsigned char)q->len;
        if (!httpx__buf_append(&d->tcp_out, len2, 2) || !httpx__buf_append(&d->tcp_out, q->pkt, q->len)) {
            errno = ENOMEM;
            return false;
        }
    }
    return true;
}

static int httpx__dns_tcp_step(httpx__dns *d, httpx__err *e) {
    char ns[80];
    if (d->tcp_connecting) {
        httpx__pollfd pf;
        int err;
        pf.fd = d->tcp_fd;
        pf.events = POLLOUT;
        pf.revents = 0;
        if (httpx__poll(&pf, 1, 0) <= 0) return 0;   /* timeout 0: only asks */
        err = httpx__sock_error(d->tcp_fd);
        if (err) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "the answer was truncated and TCP to %s failed: %s", ns, strerror(err));
        }
        d->tcp_connecting = false;
    }
    while (d->tcp_out_off < d->tcp_out.len) {
        long r = httpx__sock_write(d->tcp_fd, d->tcp_out.p + d->tcp_out_off, d->tcp_out.len - d->tcp_out_off);
        if (r == HTTPX__AGAIN) return 0;
        if (r < 0) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "sending to %s over TCP failed: %s", ns, strerror(errno));
        }
        d->tcp_out_off += (size_t)r;
    }
    for (;;) {
        long r;
        size_t need;
        if (!httpx__buf_reserve(&d->tcp_in, 4096))
            return httpx__dns_fail(d, e, "out of memory for a DNS answer over TCP");
        r = httpx__sock_read(d->tcp_fd, d->tcp_in.p + d->tcp_in.len, 4096);
        if (r == HTTPX__AGAIN) return 0;
        if (r <= 0) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);
            return httpx__dns_fail(d, e, "nameserver %s closed the TCP connection before answering%s%s", ns,
                                   r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
        }
        d->tcp_in.len += (size_t)r;
        /* every complete message in the buffer */
        while (d->tcp_in.len >= 2 &&
               d->tcp_in.len >= 2 + (need = httpx__dns_u16((const unsigned char *)d->tcp_in.p))) {
            int rc = httpx__dns_packet(d, (const unsigned char *)d->tcp_in.p + 2, need, true, e);
            if (rc != 0 || d->state != HTTPX__DNS_RUNNING) return rc;
            memmove(d->tcp_in.p, d->tcp_in.p + 2 + need, d->tcp_in.len - 2 - need);
            d->tcp_in.len -= 2 + need;
        }
    }
}

static int httpx__dns_udp_step(httpx__dns *d, httpx__err *e) {
    unsigned char pkt[HTTPX__DNS_UDP_MAX];
    int budget;
    /* Bounded, so that a flood of junk cannot keep one call busy for long. */
    for (budget = 0; budget < 64 && d->fd >= 0; budget++) {
        long r = httpx__sock_read(d->fd, pkt, sizeof pkt);
        int rc;
        if (r == HTTPX__AGAIN) return 0;
        if (r < 0) {
            /* ICMP port unreachable and the like: this nameserver is out. */
            d->why_refused = HTTPX__REFUSED(errno);
            return httpx__dns_server_failed(d, e);
        }
        rc = httpx__dns_packet(d, pkt, (size_t)r, false, e);
        if (rc != 0 || d->state != HTTPX__DNS_RUNNING || d->tcp_fd >= 0) return rc;
    }
    return 0;
}

HTTPX__PRIVATE httpx__dns *httpx__dns_stub_start(httpx__dns *d, const httpx__dns_config *cfg, httpx__err *e) {
    httpx__dns_rc_load(&d->rc, cfg);
    d->ncand = httpx__dns_candidates(&d->rc, d->host, d->cand, HTTPX__DNS_MAX_SEARCH + 1);
    httpx__dns_seed(d);
    if (d->ncand == 0 || !httpx__dns_start_candidate(d)) {
        if (d->ncand == 0) httpx__dns_fail(d, e, "invalid host name");
        else httpx__dns_timeout_fail(d, e);
        httpx__dns_free(d);
        return NULL;
    }
    return d;
}

HTTPX__PRIVATE int httpx__dns_stub_step(httpx__dns *d, httpx__err *e) {
    bool was_tcp = d->tcp_fd >= 0;
    int rc = was_tcp ? httpx__dns_tcp_step(d, e) : httpx__dns_udp_step(d, e);
    if (rc == 0 && d->state == HTTPX__DNS_RUNNING && !was_tcp && d->tcp_fd >= 0)
        rc = httpx__dns_tcp_step(d, e);   /* UDP just handed over to TCP: start at once */
    if (rc != 0 || d->state != HTTPX__DNS_RUNNING || httpx__now() < d->deadline) return rc;
    if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);   /* one family answered: do not wait for the other */
    if (d->tcp_fd >= 0) {
        char ns[80];
        httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
        return httpx__dns_fail(d, e, "nameserver %s did not answer over TCP within %g s", ns, d->rc.timeout);
    }
    if (!httpx__dns_next_round(d)) return httpx__dns_timeout_fail(d, e);
    return 0;
}

HTTPX__PRIVATE int httpx__dns_stub_fd(const httpx__dns *d) { return d->tcp_fd >= 0 ? d->tcp_fd : d->fd; }

HTTPX__PRIVATE short httpx__dns_stub_events(const httpx__dns *d) {
    /* a TCP fallback that is still connecting or sending waits to write */
    if (d->tcp_fd >= 0 && (d->tcp_connecting || d->tcp_out_off < d->tcp_out.len)) return POLLOUT;
    return POLLIN;
}

#endif /* !HTTPX_DNS_THREADS */
