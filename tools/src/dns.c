/* dns: name resolution that never blocks the loop.

   httpx__dns_start answers numeric hosts, "localhost" (RFC 6761) and hosts-file
   names at once. Other names go to a stub resolver of our own: A and AAAA
   queries over UDP to the nameservers of resolv.conf (or the client's), with
   search domains and ndots as glibc applies them, a timeout per try and retries
   that go round the nameservers. A truncated answer (TC bit) is asked again over
   TCP. Everything that arrives is hostile until proven otherwise: the id, the QR
   bit and the question must match what we sent (else the packet is dropped and
   we keep waiting, as a spoofed packet must not end a lookup), and names are
   decoded with bounds and strictly backward compression pointers, so no input
   can loop or read out of bounds.

   With HTTPX_DNS_THREADS, getaddrinfo runs on a helper thread instead and a
   pipe tells the loop when it is done. The user's allocator must then be
   thread-safe: the thread may free the lookup's state when the caller has
   already dropped it.

   Addresses come out interleaved, IPv6 first (v6, v4, v6, v4, ...): a caller
   that tries them in order gets both families early (RFC 8305 section 4). */
#include "internal.h"
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <netdb.h>
#include <time.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#ifdef HTTPX_DNS_THREADS
#include <pthread.h>
#include <signal.h>
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#define HTTPX__DNS_MAX_NS 3         /* as glibc's MAXNS */
#define HTTPX__DNS_MAX_SEARCH 6     /* as glibc's MAXDNSRCH */
#define HTTPX__DNS_NAME 256         /* a dotted name (at most 253) and its NUL */
#define HTTPX__DNS_QMAX 300         /* a query: 12 + 255 + 4 */
#define HTTPX__DNS_UDP_MAX 4096     /* we send no EDNS0, so 512 is all a server may send */
#define HTTPX__DNS_CNAME_HOPS 16

enum { HTTPX__DNS_T_A = 1, HTTPX__DNS_T_CNAME = 5, HTTPX__DNS_T_AAAA = 28 };
enum { HTTPX__DNS_IGNORED = 0, HTTPX__DNS_PARSED = 1, HTTPX__DNS_MALFORMED = -1 };
enum { HTTPX__DNS_RUNNING, HTTPX__DNS_DONE, HTTPX__DNS_FAILED };
enum { HTTPX__DNSQ_WAIT, HTTPX__DNSQ_TCP, HTTPX__DNSQ_DONE };

/* ---- small helpers ---- */

typedef struct httpx__dns_list {
    unsigned char v4[HTTPX__MAX_ADDRS][4];
    unsigned char v6[HTTPX__MAX_ADDRS][16];
    int n4, n6;
} httpx__dns_list;

static void httpx__dns_list_add(httpx__dns_list *l, int family, const void *a) {
    if (family == AF_INET && l->n4 < HTTPX__MAX_ADDRS) memcpy(l->v4[l->n4++], a, 4);
    if (family == AF_INET6 && l->n6 < HTTPX__MAX_ADDRS) memcpy(l->v6[l->n6++], a, 16);
}

/* Interleaved, IPv6 first, at most HTTPX__MAX_ADDRS. */
static void httpx__dns_list_out(const httpx__dns_list *l, int port, httpx__addrs *out) {
    int i4 = 0, i6 = 0, turn6 = 1;
    memset(out, 0, sizeof *out);
    while (out->count < HTTPX__MAX_ADDRS && (i4 < l->n4 || i6 < l->n6)) {
        int k = out->count;
        if ((turn6 && i6 < l->n6) || i4 >= l->n4) {
            struct sockaddr_in6 s6;
            memset(&s6, 0, sizeof s6);
            s6.sin6_family = AF_INET6;
            s6.sin6_port = htons((unsigned short)port);
            memcpy(&s6.sin6_addr, l->v6[i6++], 16);
            memcpy(&out->addr[k], &s6, sizeof s6);
            out->len[k] = (socklen_t)sizeof s6;
        } else {
            struct sockaddr_in s4;
            memset(&s4, 0, sizeof s4);
            s4.sin_family = AF_INET;
            s4.sin_port = htons((unsigned short)port);
            memcpy(&s4.sin_addr, l->v4[i4++], 4);
            memcpy(&out->addr[k], &s4, sizeof s4);
            out->len[k] = (socklen_t)sizeof s4;
        }
        out->count++;
        turn6 = !turn6;
    }
}

static bool httpx__dns_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Next whitespace-separated token of *p (NUL-terminated in place), or NULL. */
static char *httpx__dns_token(char **p) {
    char *s = *p, *t;
    while (*s && httpx__dns_space((unsigned char)*s)) s++;
    if (!*s) { *p = s; return NULL; }
    t = s;
    while (*s && !httpx__dns_space((unsigned char)*s)) s++;
    if (*s) *s++ = 0;
    *p = s;
    return t;
}

/* Reads a text file line by line with fixed memory (a hosts file may be
   megabytes long). Lines longer than the buffer are cut. */
typedef struct httpx__dns_lines {
    int fd;
    size_t len, off;
    bool eof;
    char buf[4096];
    char line[1024];
} httpx__dns_lines;

static bool httpx__dns_lines_open(httpx__dns_lines *r, const char *path) {
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    r->len = r->off = 0;
    r->eof = false;
    return r->fd >= 0;
}

static char *httpx__dns_lines_next(httpx__dns_lines *r) {
    size_t n = 0;
    bool any = false;
    for (;;) {
        if (r->off == r->len) {
            ssize_t got;
            if (r->eof) break;
            do got = read(r->fd, r->buf, sizeof r->buf); while (got < 0 && errno == EINTR);
            if (got <= 0) { r->eof = true; break; }
            r->len = (size_t)got;
            r->off = 0;
        }
        any = true;
        {
            char c = r->buf[r->off++];
            if (c == '\n') break;
            if (n < sizeof r->line - 1) r->line[n++] = c;
        }
    }
    r->line[n] = 0;
    return any ? r->line : NULL;
}

static void httpx__dns_lines_close(httpx__dns_lines *r) {
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
}

static bool httpx__dns_ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (httpx__lower((unsigned char)*a) != httpx__lower((unsigned char)*b)) return false;
    return *a == *b;
}

/* A host name we are willing to put on the wire: 1..253 bytes (a final dot
   aside), labels of 1..63 printable bytes. */
static bool httpx__dns_name_ok(const char *h) {
    size_t n = strlen(h), label = 0, i;
    if (n && h[n - 1] == '.') n--;
    if (n == 0 || n > 253) return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c == 0x7f) return false;
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (++label > 63) {
            return false;
        }
    }
    return label > 0;
}

/* ---- answers known at once: numbers, localhost, the hosts file ---- */

static bool httpx__dns_numeric(const char *host, httpx__dns_list *l) {
    unsigned char a[16];
    if (inet_pton(AF_INET, host, a) == 1) { httpx__dns_list_add(l, AF_INET, a); return true; }
    if (inet_pton(AF_INET6, host, a) == 1) { httpx__dns_list_add(l, AF_INET6, a); return true; }
    return false;
}

static bool httpx__dns_localhost(const char *host, httpx__dns_list *l) {
    static const unsigned char lo4[4] = { 127, 0, 0, 1 };
    static const unsigned char lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    size_t n = strlen(host);
    if (n && host[n - 1] == '.') n--;
    if (!(n == 9 && httpx__mem_ieq(host, "localhost", 9)) &&
        !(n > 10 && httpx__mem_ieq(host + n - 10, ".localhost", 10)))
        return false;
    httpx__dns_list_add(l, AF_INET6, lo6);
    httpx__dns_list_add(l, AF_INET, lo4);
    return true;
}

/* Every address the hosts file gives the name (canonical name or alias). */
static bool httpx__dns_hosts(const char *path, const char *host, httpx__dns_list *l) {
    httpx__dns_lines r;
    char name[HTTPX__DNS_NAME], *line;
    size_t n = strlen(host);
    bool found = false;
    if (n >= sizeof name) return false;
    memcpy(name, host, n + 1);
    if (n && name[n - 1] == '.') name[n - 1] = 0;
    if (!httpx__dns_lines_open(&r, path)) return false;
    while ((line = httpx__dns_lines_next(&r)) != NULL) {
        char *p = line, *addr, *tok, *hash = strchr(line, '#');
        unsigned char a[16];
        int family;
        if (hash) *hash = 0;
        if (!(addr = httpx__dns_token(&p))) continue;
        if (inet_pton(AF_INET, addr, a) == 1) family = AF_INET;
        else if (inet_pton(AF_INET6, addr, a) == 1) family = AF_INET6;
        else continue;
        while ((tok = httpx__dns_token(&p)) != NULL) {
            size_t tl = strlen(tok);
            if (tl && tok[tl - 1] == '.') tok[tl - 1] = 0;
            if (httpx__dns_ieq(tok, name)) {
                httpx__dns_list_add(l, family, a);
                found = true;
                break;
            }
        }
    }
    httpx__dns_lines_close(&r);
    return found;
}

#ifndef HTTPX_DNS_THREADS

/* ---- resolver configuration ---- */

typedef struct httpx__dns_rc {
    struct sockaddr_storage ns[HTTPX__DNS_MAX_NS];
    socklen_t ns_len[HTTPX__DNS_MAX_NS];
    int nns;
    char search[HTTPX__DNS_MAX_SEARCH][HTTPX__DNS_NAME];
    int nsearch;
    int ndots, attempts;
    double timeout;
} httpx__dns_rc;

/* "ip", "ip:port", "[v6]" or "[v6]:port"; a v6 address may carry a numeric
   "%scope". */
static bool httpx__dns_parse_ns(const char *s, struct sockaddr_storage *ss, socklen_t *len) {
    char ip[64], *pct;
    const char *port = NULL, *colon = strchr(s, ':');
    size_t n;
    long pnum = 53;
    unsigned long scope = 0;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end) return false;
        if (end[1] == ':') port = end + 2;
        else if (end[1]) return false;
        s++;
        n = (size_t)(end - s);
    } else if (colon && !strchr(colon + 1, ':')) {
        n = (size_t)(colon - s);
        port = colon + 1;
    } else {
        n = strlen(s);
    }
    if (n == 0 || n >= sizeof ip) return false;
    memcpy(ip, s, n);
    ip[n] = 0;
    if (port) {
        const char *q = port;
        pnum = 0;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || pnum > 65535) return false;
            pnum = pnum * 10 + (*q - '0');
        }
        if (pnum < 1 || pnum > 65535) return false;
    }
    if ((pct = strchr(ip, '%')) != NULL) {
        const char *q = pct + 1;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || scope > 0xffffffUL) return false;
            scope = scope * 10 + (unsigned long)(*q - '0');
        }
        *pct = 0;
    }
    memset(ss, 0, sizeof *ss);
    if (!pct && inet_pton(AF_INET, ip, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)pnum);
        *len = (socklen_t)sizeof *s4;
        return true;
    }
    if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)pnum);
        s6->sin6_scope_id = (uint32_t)scope;
        *len = (socklen_t)sizeof *s6;
        return true;
    }
    return false;
}

static void httpx__dns_set_search(httpx__dns_rc *rc, char **p, bool one) {
    char *tok;
    rc->nsearch = 0;
    while ((tok = httpx__dns_token(p)) != NULL) {
        size_t n = strlen(tok);
        if (n && tok[n - 1] == '.') tok[--n] = 0;
        if (n == 0 || !httpx__dns_name_ok(tok)) continue;   /* "." (the root) or junk */
        if (rc->nsearch == HTTPX__DNS_MAX_SEARCH) break;
        memcpy(rc->search[rc->nsearch++], tok, n + 1);
        if (one) break;
    }
}

static int httpx__dns_option(const char *tok, const char *name, int lo, int hi) {
    size_t n = strlen(name);
    long v = 0;
    const char *q;
    if (strncmp(tok, name, n) != 0 || tok[n] != ':' || !tok[n + 1]) return -1;
    for (q = tok + n + 1; *q; q++) {
        if (*q < '0' || *q > '9') return -1;
        if (v < 1000) v = v * 10 + (*q - '0');
    }
    return (int)(v < lo ? lo : v > hi ? hi : v);
}

/* Reads resolv.conf (a missing file leaves the defaults, as glibc does), then
   lets cfg override. ndots, timeout and attempts are capped as glibc caps them. */
static void httpx__dns_rc_load(httpx__dns_rc *rc, const httpx__dns_config *cfg) {
    httpx__dns_lines r;
    char *line;
    int timeout = 0, attempts = 0;
    memset(rc, 0, sizeof *rc);
    rc->ndots = 1;
    if (httpx__dns_lines_open(&r, cfg && cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf")) {
        while ((line = httpx__dns_lines_next(&r)) != NULL) {
            char *p = line, *kw, *tok, *c = strpbrk(line, "#;");
            if (c) *c = 0;
            if (!(kw = httpx__dns_token(&p))) continue;
            if (strcmp(kw, "nameserver") == 0) {
                if ((tok = httpx__dns_token(&p)) != NULL && rc->nns < HTTPX__DNS_MAX_NS &&
                    httpx__dns_parse_ns(tok, &rc->ns[rc->nns], &rc->ns_len[rc->nns]))
                    rc->nns++;
            } else if (strcmp(kw, "search") == 0) {
                httpx__dns_set_search(rc, &p, false);
            } else if (strcmp(kw, "domain") == 0) {
                httpx__dns_set_search(rc, &p, true);
            } else if (strcmp(kw, "options") == 0) {
                while ((tok = httpx__dns_token(&p)) != NULL) {
                    int v;
                    if ((v = httpx__dns_option(tok, "ndots", 0, 15)) >= 0) rc->ndots = v;
                    else if ((v = httpx__dns_option(tok, "timeout", 1, 30)) >= 0) timeout = v;
                    else if ((v = httpx__dns_option(tok, "attempts", 1, 5)) >= 0) attempts = v;
                }
            }
        }
        httpx__dns_lines_close(&r);
    }
    if (cfg && cfg->nameservers) {
        int i;
        rc->nns = 0;
        for (i = 0; cfg->nameservers[i] && rc->nns < HTTPX__DNS_MAX_NS; i++)
            if (httpx__dns_parse_ns(cfg->nameservers[i], &rc->ns[rc->nns], &rc->ns_len[rc->nns])) rc->nns++;
    }
    if (rc->nns == 0)   /* glibc's default: a resolver on this machine */
        httpx__dns_parse_ns("127.0.0.1", &rc->ns[rc->nns], &rc->ns_len[rc->nns]), rc->nns++;
    rc->timeout = cfg && cfg->timeout > 0 ? cfg->timeout : timeout ? (double)timeout : 2.0;
    rc->attempts = cfg && cfg->attempts > 0 ? cfg->attempts : attempts ? attempts : 2;
    if (rc->attempts > 10) rc->attempts = 10;
}

/* The names to ask for, in order (glibc's res_search): a name with a final
   dot is only itself; one with at least ndots dots is tried as it is first,
   then with each search domain; one with fewer, the other way round. */
static int httpx__dns_candidates(const httpx__dns_rc *rc, const char *host, char out[][HTTPX__DNS_NAME], int max) {
    size_t n = strlen(host);
    int dots = 0, count = 0, i;
    bool as_is_first;
    if (n == 0 || n >= HTTPX__DNS_NAME) return 0;
    if (host[n - 1] == '.') {
        memcpy(out[0], host, n - 1);
        out[0][n - 1] = 0;
        return 1;
    }
    for (i = 0; host[i]; i++) dots += host[i] == '.';
    as_is_first = dots >= rc->ndots;
    if (as_is_first) memcpy(out[count++], host, n + 1);
    for (i = 0; i < rc->nsearch && count < max - (as_is_first ? 0 : 1); i++) {
        size_t sl = strlen(rc->search[i]);
        if (n + 1 + sl > 253) continue;
        memcpy(out[count], host, n);
        out[count][n] = '.';
        memcpy(out[count] + n + 1, rc->search[i], sl + 1);
        count++;
    }
    if (!as_is_first && count < max) memcpy(out[count++], host, n + 1);
    return count;
}

static void httpx__dns_ns_string(const httpx__dns_rc *rc, int i, char *out, size_t cap) {
    const struct sockaddr *sa = (const struct sockaddr *)&rc->ns[i];
    char ip[64] = "?";
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        snprintf(out, cap, "%s:%d", ip, ntohs(s4->sin_port));
    } else {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        snprintf(out, cap, "[%s]:%d", ip, ntohs(s6->sin6_port));
    }
}

/* ---- the wire format (RFC 1035 section 4, RFC 3596) ---- */

static size_t httpx__dns_encode_query(unsigned char *p, unsigned id, const char *name, int type) {
    size_t n = 12;
    const char *s = name;
    memset(p, 0, 12);
    p[0] = (unsigned char)(id >> 8);
    p[1] = (unsigned char)id;
    p[2] = 0x01;                    /* RD: the server recurses for us */
    p[5] = 1;                       /* QDCOUNT */
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        p[n++] = (unsigned char)l;
        memcpy(p + n, s, l);
        n += l;
        s += l;
        if (*s) s++;
    }
    p[n++] = 0;
    p[n++] = (unsigned char)(type >> 8);
    p[n++] = (unsigned char)type;
    p[n++] = 0;
    p[n++] = 1;                     /* class IN */
    return n;
}

/* Decodes the name at *off into out as uncompressed, lower-case wire format
   (length-prefixed labels, final 0), at most 255 bytes. *off moves past the
   name as it sits in the packet. Each pointer must point before the previous
   jump target (or, for the first, before itself): the targets fall strictly,
   so no packet can make this loop. */
static bool httpx__dns_get_name(const unsigned char *pkt, size_t len, size_t *off, unsigned char *out, size_t *outlen) {
    size_t pos = *off, n = 0, limit = *off;
    bool jumped = false;
    for (;;) {
        unsigned c;
        if (pos >= len) return false;
        c = pkt[pos];
        if (c == 0) {
            out[n++] = 0;
            if (!jumped) *off = pos + 1;
            *outlen = n;
            return true;
        }
        if ((c & 0xC0) == 0xC0) {
            size_t ptr;
            if (pos + 1 >= len) return false;
            ptr = ((size_t)(c & 0x3F) << 8) | pkt[pos + 1];
            if (!jumped) *off = pos + 2;
            if (ptr >= limit) return false;
            limit = ptr;
            pos = ptr;
            jumped = true;
            continue;
        }
        if (c & 0xC0) return false;   /* the 0x40 and 0x80 label types are obsolete */
        if (pos + 1 + c > len || n + 1 + c + 1 > 255) return false;
        out[n++] = (unsigned char)c;
        {
            unsigned i;
            for (i = 0; i < c; i++) out[n++] = (unsigned char)httpx__lower(pkt[pos + 1 + i]);
        }
        pos += 1 + c;
    }
}

static unsigned httpx__dns_u16(const unsigned char *p) { return ((unsigned)p[0] << 8) | p[1]; }

typedef struct httpx__dns_answer {
    int rcode;
    bool tc;
    httpx__dns_list addrs;
} httpx__dns_answer;

/* One pass over the answer section. With cname_of set, finds the CNAME whose
   owner is `name` and copies its target into cname_of; otherwise collects the
   records of qtype owned by `name`. Returns false on a malformed record. */
static bool httpx__dns_scan(const unsigned char *pkt, size_t len, size_t off, unsigned ancount, int qtype,
                            const unsigned char *name, size_t nlen, unsigned char *cname_of, size_t *cname_len,
                            httpx__dns_answer *a) {
    unsigned i;
    bool found = false;
    for (i = 0; i < ancount; i++) {
        unsigned char owner[256];
        size_t olen, rdlen;
        unsigned type, klass;
        bool mine;
        if (!httpx__dns_get_name(pkt, len, &off, owner, &olen) || len - off < 10) return false;
        type = httpx__dns_u16(pkt + off);
        klass = httpx__dns_u16(pkt + off + 2);
        rdlen = httpx__dns_u16(pkt + off + 8);
        off += 10;
        if (len - off < rdlen) return false;
        mine = klass == 1 && olen == nlen && memcmp(owner, name, nlen) == 0;
        if (type == HTTPX__DNS_T_A && rdlen != 4) return false;
        if (type == HTTPX__DNS_T_AAAA && rdlen != 16) return false;
        if (type == HTTPX__DNS_T_CNAME) {
            unsigned char target[256];
            size_t tlen, roff = off;
            if (!httpx__dns_get_name(pkt, len, &roff, target, &tlen) || roff != off + rdlen) return false;
            if (cname_of && mine && !found) {
                memcpy(cname_of, target, tlen);
                *cname_len = tlen;
                found = true;
            }
        } else if (!cname_of && mine && (int)type == qtype) {
            httpx__dns_list_add(&a->addrs, type == HTTPX__DNS_T_A ? AF_INET : AF_INET6, pkt + off);
        }
        off += rdlen;
    }
    return !cname_of || found;
}

/* Checks that pkt answers the question (qwire: our query's name in wire form,
   lower case; qtype) and reads it. IGNORED: not an answer to it (too short,
   not a response, another question): keep waiting. MALFORMED: an answer to it
   that cannot be read. PARSED: a has rcode, tc and the addresses, CNAMEs
   followed. The id is the caller's to check. */
static int httpx__dns_parse(const unsigned char *pkt, size_t len, const unsigned char *qwire, size_t qwlen,
                            int qtype, httpx__dns_answer *a) {
    unsigned char name[256], hop[256];
    size_t off = 12, nlen, hlen;
    unsigned ancount, hops;
    memset(a, 0, sizeof *a);
    if (len < 12 || !(pkt[2] & 0x80) || (pkt[2] & 0x78) != 0 || httpx__dns_u16(pkt + 4) != 1)
        return HTTPX__DNS_IGNORED;
    if (!httpx__dns_get_name(pkt, len, &off, name, &nlen) || len - off < 4 ||
        nlen != qwlen || memcmp(name, qwire, nlen) != 0 ||
        (int)httpx__dns_u16(pkt + off) != qtype || httpx__dns_u16(pkt + off + 2) != 1)
        return HTTPX__DNS_IGNORED;
    off += 4;
    a->rcode = pkt[3] & 0x0F;
    a->tc = (pkt[2] & 0x02) != 0;
    if (a->tc || a->rcode != 0) return HTTPX__DNS_PARSED;
    ancount = httpx__dns_u16(pkt + 6);
    /* The first pass checks every record; then follow the CNAME chain. */
    if (!httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, NULL, NULL, a)) return HTTPX__DNS_MALFORMED;
    for (hops = 0; hops < HTTPX__DNS_CNAME_HOPS && !a->addrs.n4 && !a->addrs.n6; hops++) {
        if (!httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, hop, &hlen, a)) break;
        memcpy(name, hop, hlen);
        nlen = hlen;
        httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, NULL, NULL, a);
    }
    return HTTPX__DNS_PARSED;
}

static const char *httpx__dns_rcode_text(int rcode) {
    switch (rcode) {
    case 1: return "FORMERR (the nameserver could not read the query)";
    case 2: return "SERVFAIL (the nameserver failed)";
    case 3: return "NXDOMAIN (the name does not exist)";
    case 4: return "NOTIMP (the nameserver does not support the query)";
    case 5: return "REFUSED (the nameserver refused the query)";
    default: return "error";
    }
}

/* ---- the lookup ---- */

typedef struct httpx__dns_q {
    unsigned id;
    int type, state;
    size_t len;
    unsigned char pkt[HTTPX__DNS_QMAX];
} httpx__dns_q;

#else
typedef struct httpx__dns_job httpx__dns_job;
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

static int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...) {
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    httpx__fail(&d->err, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': %s", d->host, why);
    d->state = HTTPX__DNS_FAILED;
    if (e) *e = d->err;
    return -1;
}

/* A failure that is not about the name: a host name we will not send, no
   memory, no socket. */
static httpx__dns *httpx__dns_new(const char *host, int port, httpx__err *e) {
    httpx__dns *d;
    if (!host || !*host || strlen(host) >= HTTPX__DNS_NAME) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host ? host : "");
        return NULL;
    }
    d = (httpx__dns *)httpx__malloc(sizeof *d);
    if (!d) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", host);
        return NULL;
    }
    memset(d, 0, sizeof *d);
    d->port = port;
    memcpy(d->host, host, strlen(host) + 1);
#ifndef HTTPX_DNS_THREADS
    d->fd = d->tcp_fd = -1;
    d->sock_ns = -1;
#endif
    return d;
}

#ifndef HTTPX_DNS_THREADS

/* Query ids must be unguessable (a guessed id is a spoofed answer): a
   splitmix64 stream seeded from /dev/urandom, mixed with the clock and an
   address in case it cannot be read. */
static void httpx__dns_seed(httpx__dns *d) {
    uint64_t s = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &s, sizeof s) != (ssize_t)sizeof s) s = 0;
        close(fd);
    }
    d->rng = s ^ (uint64_t)(httpx__now() * 1e9) ^ ((uint64_t)(uintptr_t)d << 16) ^ (uint64_t)getpid();
}

static unsigned httpx__dns_rand16(httpx__dns *d) {
    uint64_t z = (d->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (unsigned)((z ^ (z >> 31)) & 0xFFFF);
}

static void httpx__dns_close_socks(httpx__dns *d) {
    if (d->fd >= 0) close(d->fd);
    if (d->tcp_fd >= 0) close(d->tcp_fd);
    d->fd = d->tcp_fd = -1;
    d->sock_ns = -1;
    d->tcp_connecting = false;
    httpx__buf_free(&d->tcp_out);
    httpx__buf_free(&d->tcp_in);
    d->tcp_out_off = 0;
}

static int httpx__dns_socket(int family, int type) {
    int fd = socket(family, type, 0);
    if (fd < 0) return -1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    return fd;
}

/* Sends the queries still waiting to nameserver round % nns. The socket is
   connect()ed, so the kernel drops datagrams from anybody else; the kernel
   picks a random source port. Returns false when this nameserver cannot be
   reached at all (the caller moves on). */
static bool httpx__dns_send_round(httpx__dns *d) {
    int ns = d->round % d->rc.nns, i;
    if (d->fd < 0 || d->sock_ns != ns) {
        const struct sockaddr *sa = (const struct sockaddr *)&d->rc.ns[ns];
        if (d->fd >= 0) close(d->fd);
        d->sock_ns = ns;
        d->fd = httpx__dns_socket(sa->sa_family, SOCK_DGRAM);
        if (d->fd < 0) return false;
        if (connect(d->fd, sa, d->rc.ns_len[ns]) != 0) {
            close(d->fd);
            d->fd = -1;
            return false;
        }
    }
    for (i = 0; i < 2; i++) {
        ssize_t r;
        if (d->q[i].state != HTTPX__DNSQ_WAIT) continue;
        do r = send(d->fd, d->q[i].pkt, d->q[i].len, MSG_NOSIGNAL); while (r < 0 && errno == EINTR);
        if (r < 0 && errno == ECONNREFUSED) {   /* an earlier ICMP port unreachable */
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
        httpx__dns_close_socks(d);
        d->state = HTTPX__DNS_DONE;
        return 1;
    }
    if (++d->icand < d->ncand) {
        httpx__dns_close_socks(d);   /* closes TCP; the new candidate reopens UDP */
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
        d->tcp_fd = httpx__dns_socket(sa->sa_family, SOCK_STREAM);
        if (d->tcp_fd < 0) return false;
        if (connect(d->tcp_fd, sa, d->rc.ns_len[ns]) != 0 && errno != EINPROGRESS) {
            int err = errno;
            close(d->tcp_fd);
            d->tcp_fd = -1;
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
        struct pollfd pf;
        int err = 0;
        socklen_t elen = (socklen_t)sizeof err;
        pf.fd = d->tcp_fd;
        pf.events = POLLOUT;
        pf.revents = 0;
        if (poll(&pf, 1, 0) <= 0) return 0;   /* timeout 0: only asks */
        if (getsockopt(d->tcp_fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0) err = errno;
        if (err) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "the answer was truncated and TCP to %s failed: %s", ns, strerror(err));
        }
        d->tcp_connecting = false;
    }
    while (d->tcp_out_off < d->tcp_out.len) {
        ssize_t r = send(d->tcp_fd, d->tcp_out.p + d->tcp_out_off, d->tcp_out.len - d->tcp_out_off, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (r < 0) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "sending to %s over TCP failed: %s", ns, strerror(errno));
        }
        d->tcp_out_off += (size_t)r;
    }
    for (;;) {
        ssize_t r;
        size_t need;
        if (!httpx__buf_reserve(&d->tcp_in, 4096))
            return httpx__dns_fail(d, e, "out of memory for a DNS answer over TCP");
        r = recv(d->tcp_fd, d->tcp_in.p + d->tcp_in.len, 4096, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
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
        ssize_t r = recv(d->fd, pkt, sizeof pkt, 0);
        int rc;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (r < 0) {
            /* ICMP port unreachable and the like: this nameserver is out. */
            d->why_refused = errno == ECONNREFUSED;
            return httpx__dns_server_failed(d, e);
        }
        rc = httpx__dns_packet(d, pkt, (size_t)r, false, e);
        if (rc != 0 || d->state != HTTPX__DNS_RUNNING || d->tcp_fd >= 0) return rc;
    }
    return 0;
}

static httpx__dns *httpx__dns_stub_start(httpx__dns *d, const httpx__dns_config *cfg, httpx__err *e) {
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

#else /* HTTPX_DNS_THREADS */

/* ---- getaddrinfo on a helper thread ----
   The job is shared by the caller and the thread and freed by whichever lets
   go last, so httpx__dns_free never waits for a slow getaddrinfo. */
struct httpx__dns_job {
    pthread_mutex_t lock;
    int refs;
    int pipe[2];                    /* the thread writes a byte when done */
    bool done;
    int port, gai;
    char host[HTTPX__DNS_NAME];
    httpx__dns_list found;
};

static void httpx__dns_job_release(httpx__dns_job *j) {
    bool last;
    pthread_mutex_lock(&j->lock);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last) return;
    pthread_mutex_destroy(&j->lock);
    close(j->pipe[0]);
    close(j->pipe[1]);
    httpx__free(j);
}

static void *httpx__dns_thread(void *arg) {
    httpx__dns_job *j = (httpx__dns_job *)arg;
    struct addrinfo hints, *res = NULL, *ai;
    httpx__dns_list found;
    int rc;
    memset(&found, 0, sizeof found);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    rc = getaddrinfo(j->host, NULL, &hints, &res);
#ifdef EAI_ADDRFAMILY
    if (rc == EAI_ADDRFAMILY) rc = EAI_NONAME;
#endif
    if (rc == EAI_NONAME) {   /* AI_ADDRCONFIG hides everything on a host with only loopback */
        hints.ai_flags = 0;
        rc = getaddrinfo(j->host, NULL, &hints, &res);
    }
    if (rc == 0) {
        for (ai = res; ai; ai = ai->ai_next) {
            if (ai->ai_family == AF_INET)
                httpx__dns_list_add(&found, AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr);
            else if (ai->ai_family == AF_INET6)
                httpx__dns_list_add(&found, AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
        }
        freeaddrinfo(res);
    }
    pthread_mutex_lock(&j->lock);
    j->found = found;
    j->gai = rc;
    j->done = true;
    if (write(j->pipe[1], "x", 1) < 0) { /* a full pipe already wakes the reader */ }
    pthread_mutex_unlock(&j->lock);
    httpx__dns_job_release(j);
    return NULL;
}

static httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = (httpx__dns_job *)httpx__malloc(sizeof *j);
    pthread_t tid;
    sigset_t all, old;
    int i, rc;
    if (!j) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", d->host);
        httpx__free(d);
        return NULL;
    }
    memset(j, 0, sizeof *j);
    memcpy(j->host, d->host, sizeof j->host);
    if (pipe(j->pipe) != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': pipe(): %s", d->host, strerror(errno));
        httpx__free(j);
        httpx__free(d);
        return NULL;
    }
    for (i = 0; i < 2; i++) {
        fcntl(j->pipe[i], F_SETFL, fcntl(j->pipe[i], F_GETFL, 0) | O_NONBLOCK);
        fcntl(j->pipe[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&j->lock, NULL);
    j->refs = 2;
    /* The thread starts with every signal blocked: the program's handlers
       keep running on the program's own threads. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&tid, NULL, httpx__dns_thread, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': cannot start a thread: %s", d->host,
                    strerror(rc));
        j->refs = 1;
        httpx__dns_job_release(j);
        httpx__free(d);
        return NULL;
    }
    pthread_detach(tid);
    d->job = j;
    return d;
}

static int httpx__dns_thread_step(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = d->job;
    char c;
    bool done;
    int gai;
    while (read(j->pipe[0], &c, 1) > 0) {}
    pthread_mutex_lock(&j->lock);
    done = j->done;
    gai = j->gai;
    if (done) d->found = j->found;
    pthread_mutex_unlock(&j->lock);
    if (!done) return 0;
    if (gai != 0) return httpx__dns_fail(d, e, "%s", gai_strerror(gai));
    if (!d->found.n4 && !d->found.n6) return httpx__dns_fail(d, e, "no IPv4 or IPv6 address");
    d->state = HTTPX__DNS_DONE;
    return 1;
}

#endif /* HTTPX_DNS_THREADS */

/* ---- the interface ---- */

HTTPX__PRIVATE httpx__dns *httpx__dns_start(const httpx__dns_config *cfg, const char *host, int port, httpx__err *e) {
    httpx__dns *d = httpx__dns_new(host, port, e);
    if (!d) return NULL;
    if (httpx__dns_numeric(host, &d->found) || httpx__dns_localhost(host, &d->found) ||
        httpx__dns_hosts(cfg && cfg->hosts_file ? cfg->hosts_file : "/etc/hosts", host, &d->found)) {
        d->state = HTTPX__DNS_DONE;
        return d;
    }
    if (!httpx__dns_name_ok(host)) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host);
        httpx__free(d);
        return NULL;
    }
#ifdef HTTPX_DNS_THREADS
    return httpx__dns_thread_start(d, e);
#else
    return httpx__dns_stub_start(d, cfg, e);
#endif
}

HTTPX__PRIVATE int httpx__dns_fd(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return -1;
#ifdef HTTPX_DNS_THREADS
    return d->job->pipe[0];
#else
    return d->tcp_fd >= 0 ? d->tcp_fd : d->fd;
#endif
}

HTTPX__PRIVATE double httpx__dns_deadline(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifdef HTTPX_DNS_THREADS
    return 0;
#else
    return d->deadline;
#endif
}

HTTPX__PRIVATE short httpx__dns_events(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifndef HTTPX_DNS_THREADS
    /* a TCP fallback that is still connecting or sending waits to write */
    if (d->tcp_fd >= 0 && (d->tcp_connecting || d->tcp_out_off < d->tcp_out.len)) return POLLOUT;
#endif
    return POLLIN;
}

HTTPX__PRIVATE int httpx__dns_step(httpx__dns *d, httpx__addrs *out, httpx__err *e) {
    int rc;
    if (d->state == HTTPX__DNS_RUNNING) {
#ifdef HTTPX_DNS_THREADS
        rc = httpx__dns_thread_step(d, e);
#else
        bool was_tcp = d->tcp_fd >= 0;
        rc = was_tcp ? httpx__dns_tcp_step(d, e) : httpx__dns_udp_step(d, e);
        if (rc == 0 && d->state == HTTPX__DNS_RUNNING && !was_tcp && d->tcp_fd >= 0)
            rc = httpx__dns_tcp_step(d, e);   /* UDP just handed over to TCP: start at once */
        if (rc == 0 && d->state == HTTPX__DNS_RUNNING && httpx__now() >= d->deadline) {
            if (d->found.n4 || d->found.n6) {
                rc = httpx__dns_settle(d, e);   /* one family answered: do not wait for the other */
            } else if (d->tcp_fd >= 0) {
                char ns[80];
                httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
                rc = httpx__dns_fail(d, e, "nameserver %s did not answer over TCP within %g s", ns, d->rc.timeout);
            } else if (!httpx__dns_next_round(d)) {
                rc = httpx__dns_timeout_fail(d, e);
            }
        }
#endif
        (void)rc;
    }
    if (d->state == HTTPX__DNS_DONE) {
        httpx__dns_list_out(&d->found, d->port, out);
        return 1;
    }
    if (d->state == HTTPX__DNS_FAILED) {
        if (e) *e = d->err;
        return -1;
    }
    return 0;
}

HTTPX__PRIVATE void httpx__dns_free(httpx__dns *d) {
    if (!d) return;
#ifdef HTTPX_DNS_THREADS
    if (d->job) httpx__dns_job_release(d->job);
#else
    httpx__dns_close_socks(d);
#endif
    httpx__free(d);
}

/* ---- for the tests: what the code above decided, as text ---- */

#ifndef HTTPX_DNS_THREADS
/* The resolver configuration and the names host would be tried as:
   "ns=127.0.0.1:53,[::1]:5353 ndots=1 timeout=2 attempts=2 search=a.b,c names=x;x.a.b;x.c" */
HTTPX__PRIVATE void httpx__dns_describe(const httpx__dns_config *cfg, const char *host, char *out, size_t cap) {
    httpx__dns_rc rc;
    char names[HTTPX__DNS_MAX_SEARCH + 1][HTTPX__DNS_NAME], ns[80];
    httpx__buf b;
    int i, n;
    memset(&b, 0, sizeof b);
    httpx__dns_rc_load(&rc, cfg);
    httpx__buf_puts(&b, "ns=");
    for (i = 0; i < rc.nns; i++) {
        httpx__dns_ns_string(&rc, i, ns, sizeof ns);
        httpx__buf_printf(&b, "%s%s", i ? "," : "", ns);
    }
    httpx__buf_printf(&b, " ndots=%d timeout=%g attempts=%d search=", rc.ndots, rc.timeout, rc.attempts);
    for (i = 0; i < rc.nsearch; i++) httpx__buf_printf(&b, "%s%s", i ? "," : "", rc.search[i]);
    n = host ? httpx__dns_candidates(&rc, host, names, HTTPX__DNS_MAX_SEARCH + 1) : 0;
    httpx__buf_puts(&b, " names=");
    for (i = 0; i < n; i++) httpx__buf_printf(&b, "%s%s", i ? ";" : "", names[i]);
    snprintf(out, cap, "%s", b.p ? b.p : "");
    httpx__buf_free(&b);
}

/* Parses one answer to a query for name/qtype: 0 ignored, 1 parsed, -1
   malformed; out gets "rcode=N tc=N addr addr ...". */
HTTPX__PRIVATE int httpx__dns_parse_answer(const unsigned char *pkt, size_t len, const char *name, int qtype,
                                           char *out, size_t cap) {
    unsigned char q[HTTPX__DNS_QMAX], wire[256];
    size_t off = 12, wlen, used;
    httpx__dns_answer a;
    int r, i;
    if (strlen(name) > 253) return -1;
    httpx__dns_encode_query(q, 0, name, qtype);
    httpx__dns_get_name(q, sizeof q, &off, wire, &wlen);
    r = httpx__dns_parse(pkt, len, wire, wlen, qtype, &a);
    snprintf(out, cap, "rcode=%d tc=%d", a.rcode, a.tc ? 1 : 0);
    for (i = 0; i < a.addrs.n6 + a.addrs.n4; i++) {
        char ip[64];
        if (i < a.addrs.n6) inet_ntop(AF_INET6, a.addrs.v6[i], ip, sizeof ip);
        else inet_ntop(AF_INET, a.addrs.v4[i - a.addrs.n6], ip, sizeof ip);
        used = strlen(out);
        snprintf(out + used, cap - used, " %s", ip);
    }
    return r;
}
#endif /* !HTTPX_DNS_THREADS */
