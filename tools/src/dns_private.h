/* dns_private.h: what the pieces of the resolver share, and nothing else
   sees (tools/amalgamate.py refuses it anywhere else):
       dns.c         the interface, answers known at once (numbers,
                     localhost, the hosts file), the helpers below
       dns_conf.c    resolv.conf and the names a host is tried as
       dns_wire.c    the DNS message format (pure: no I/O, no allocation)
       dns_stub.c    the stub resolver: queries over UDP, TCP on truncation
       dns_thread.c  getaddrinfo on a helper thread (HTTPX_DNS_THREADS)
   Exactly one of dns_stub.c and dns_thread.c is compiled in. */
#ifndef HTTPX__DNS_PRIVATE_H
#define HTTPX__DNS_PRIVATE_H
#include "internal.h"
#include "net_internal.h"
#include "dns_internal.h"

#define HTTPX__DNS_MAX_NS 3         /* as glibc's MAXNS */
#define HTTPX__DNS_MAX_SEARCH 6     /* as glibc's MAXDNSRCH */
#define HTTPX__DNS_NAME 256         /* a dotted name (at most 253) and its NUL */
#define HTTPX__DNS_QMAX 300         /* a query: 12 + 255 + 4 */

enum { HTTPX__DNS_RUNNING, HTTPX__DNS_DONE, HTTPX__DNS_FAILED };

/* Addresses as they are found, per family, before they are interleaved. */
typedef struct httpx__dns_list {
    unsigned char v4[HTTPX__MAX_ADDRS][4];
    unsigned char v6[HTTPX__MAX_ADDRS][16];
    int n4, n6;
} httpx__dns_list;
/* family is AF_INET (a: 4 bytes) or AF_INET6 (16); beyond HTTPX__MAX_ADDRS
   of a family, more are dropped. */
HTTPX__PRIVATE void httpx__dns_list_add(httpx__dns_list *l, int family, const void *a);

/* Next whitespace-separated token of *p (NUL-terminated in place), or NULL. */
HTTPX__PRIVATE char *httpx__dns_token(char **p);
/* A host name we are willing to put on the wire: 1..253 bytes (a final dot
   aside), labels of 1..63 printable bytes. */
HTTPX__PRIVATE bool httpx__dns_name_ok(const char *h);

/* Reads a text file line by line with fixed memory (a hosts file may be
   megabytes long). Lines longer than the buffer are cut. */
typedef struct httpx__dns_lines {
    int fd;
    size_t len, off;
    bool eof;
    char buf[4096];
    char line[1024];
} httpx__dns_lines;
HTTPX__PRIVATE bool httpx__dns_lines_open(httpx__dns_lines *r, const char *path);
HTTPX__PRIVATE char *httpx__dns_lines_next(httpx__dns_lines *r);   /* NULL at the end */
HTTPX__PRIVATE void httpx__dns_lines_close(httpx__dns_lines *r);

#ifndef HTTPX_DNS_THREADS

/* ---- dns_conf.c ---- */

typedef struct httpx__dns_rc {
    struct sockaddr_storage ns[HTTPX__DNS_MAX_NS];
    socklen_t ns_len[HTTPX__DNS_MAX_NS];
    int nns;
    char search[HTTPX__DNS_MAX_SEARCH][HTTPX__DNS_NAME];
    int nsearch;
    int ndots, attempts;
    double timeout;
} httpx__dns_rc;
/* Reads resolv.conf (a missing file leaves the defaults, as glibc does), then
   lets cfg override. ndots, timeout and attempts are capped as glibc caps them. */
HTTPX__PRIVATE void httpx__dns_rc_load(httpx__dns_rc *rc, const httpx__dns_config *cfg);
/* The names to ask for, in order (glibc's res_search); how many (<= max). */
HTTPX__PRIVATE int httpx__dns_candidates(const httpx__dns_rc *rc, const char *host, char out[][HTTPX__DNS_NAME], int max);
/* "ip:port" or "[v6]:port" of nameserver i, for messages. */
HTTPX__PRIVATE void httpx__dns_ns_string(const httpx__dns_rc *rc, int i, char *out, size_t cap);

/* ---- dns_wire.c: RFC 1035 section 4, RFC 3596 ---- */

enum { HTTPX__DNS_T_A = 1, HTTPX__DNS_T_CNAME = 5, HTTPX__DNS_T_AAAA = 28 };
enum { HTTPX__DNS_IGNORED = 0, HTTPX__DNS_PARSED = 1, HTTPX__DNS_MALFORMED = -1 };

typedef struct httpx__dns_answer {
    int rcode;
    bool tc;
    httpx__dns_list addrs;
} httpx__dns_answer;
/* Writes a query for name (a checked host name, httpx__dns_name_ok) into p
   (HTTPX__DNS_QMAX bytes); its length. */
HTTPX__PRIVATE size_t httpx__dns_encode_query(unsigned char *p, unsigned id, const char *name, int type);
/* Decodes the name at *off as lower-case wire format into out (256 bytes). */
HTTPX__PRIVATE bool httpx__dns_get_name(const unsigned char *pkt, size_t len, size_t *off, unsigned char *out,
                                        size_t *outlen);
HTTPX__PRIVATE unsigned httpx__dns_u16(const unsigned char *p);
/* Reads pkt as an answer to the question qwire/qtype: HTTPX__DNS_IGNORED,
   _MALFORMED or _PARSED (a filled). */
HTTPX__PRIVATE int httpx__dns_parse(const unsigned char *pkt, size_t len, const unsigned char *qwire, size_t qwlen,
                                    int qtype, httpx__dns_answer *a);
HTTPX__PRIVATE const char *httpx__dns_rcode_text(int rcode);

/* ---- dns_stub.c ---- */

typedef struct httpx__dns_q {
    unsigned id;
    int type, state;
    size_t len;
    unsigned char pkt[HTTPX__DNS_QMAX];
} httpx__dns_q;

#else
typedef struct httpx__dns_job httpx__dns_job;   /* dns_thread.c */
#endif

struct httpx__dns {
    int state, port;
    char host[HTTPX__DNS_NAME];     /* as the caller wrote it: for messages */
    httpx__dns_list found;
    httpx__err err;                 /* when FAILED */
#ifdef HTTPX_DNS_THREADS
    httpx__dns_job *job;
#else
    httpx__dns_rc rc;
    char cand[HTTPX__DNS_MAX_SEARCH + 1][HTTPX__DNS_NAME];
    int ncand, icand;
    unsigned char qwire[256];       /* the current candidate, as in the question */
    size_t qwlen;
    httpx__dns_q q[2];              /* A, AAAA */
    int round;                      /* tries so far for this candidate; ns = round % nns */
    int sock_ns;                    /* which nameserver fd is connected to */
    int fd;                         /* UDP */
    double deadline;
    int why_rcode;                  /* why the last try failed: the server's rcode, */
    bool why_malformed, why_refused;/* an unreadable answer, ICMP port unreachable */
    bool nodata;                    /* some name exists but has no A/AAAA */
    int ignored;                    /* packets that were not answers to us */
    uint64_t rng;
    /* the TCP fallback for a truncated answer */
    int tcp_fd;
    bool tcp_connecting;
    httpx__buf tcp_out, tcp_in;
    size_t tcp_out_off;
#endif
};

/* Fails the lookup: "could not resolve host 'h': <why>" into d->err and e;
   returns HTTPX__BAD. */
HTTPX__PRIVATE int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 3, 4)))
#endif
    ;

/* The lookup of a name that is not known at once, in one of two ways. start
   takes d (freed on failure, NULL returned, e filled); step returns 1 done,
   0 waiting, HTTPX__BAD failed, with d->state set to match. */
#ifndef HTTPX_DNS_THREADS
HTTPX__PRIVATE httpx__dns *httpx__dns_stub_start(httpx__dns *d, const httpx__dns_config *cfg, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_stub_step(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_stub_fd(const httpx__dns *d);
HTTPX__PRIVATE short httpx__dns_stub_events(const httpx__dns *d);
HTTPX__PRIVATE void httpx__dns_stub_close(httpx__dns *d);
#else
HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_thread_step(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE httpx__sock httpx__dns_thread_fd(const httpx__dns *d);
HTTPX__PRIVATE void httpx__dns_thread_close(httpx__dns *d);
#endif

#endif /* HTTPX__DNS_PRIVATE_H */
