/* dns_wire: the DNS message format (RFC 1035 section 4, RFC 3596), pure:
   no I/O, no allocation, no state. Everything that arrives is hostile until
   proven otherwise: the QR bit and the question must match what we sent (else
   the packet is ignored, as a spoofed packet must not end a lookup), and
   names are decoded with bounds and strictly backward compression pointers,
   so no input can loop or read out of bounds. */
#include "dns_internal.h"
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS

#define HTTPX__DNS_CNAME_HOPS 16

HTTPX__PRIVATE size_t httpx__dns_encode_query(unsigned char *p, unsigned id, const char *name, int type) {
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
HTTPX__PRIVATE bool httpx__dns_get_name(const unsigned char *pkt, size_t len, size_t *off, unsigned char *out, size_t *outlen) {
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

HTTPX__PRIVATE unsigned httpx__dns_u16(const unsigned char *p) { return ((unsigned)p[0] << 8) | p[1]; }

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
HTTPX__PRIVATE int httpx__dns_parse(const unsigned char *pkt, size_t len, const unsigned char *qwire, size_t qwlen,
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

HTTPX__PRIVATE const char *httpx__dns_rcode_text(int rcode) {
    switch (rcode) {
    case 1: return "FORMERR (the nameserver could not read the query)";
    case 2: return "SERVFAIL (the nameserver failed)";
    case 3: return "NXDOMAIN (the name does not exist)";
    case 4: return "NOTIMP (the nameserver does not support the query)";
    case 5: return "REFUSED (the nameserver refused the query)";
    default: return "error";
    }
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS): parses one answer
   to a query for name/qtype: HTTPX__DNS_IGNORED, _PARSED or _MALFORMED; out gets "rcode=N tc=N addr addr ...". */
HTTPX__PRIVATE int httpx__dns_parse_answer(const unsigned char *pkt, size_t len, const char *name, int qtype,
                                           char *out, size_t cap) {
    unsigned char q[HTTPX__DNS_QMAX], wire[256];
    size_t off = 12, wlen, used;
    httpx__dns_answer a;
    int r, i;
    if (strlen(name) > 253) return HTTPX__DNS_MALFORMED;
    httpx__dns_encode_query(q, 0, name, qtype);
    httpx__dns_get_name(q, sizeof q, &off, wire, &wlen);
    r = httpx__dns_parse(pkt, len, wire, wlen, qtype, &a);
    snprintf(out, cap, "rcode=%d tc=%d", a.rcode, a.tc ? 1 : 0);
    for (i = 0; i < a.addrs.n6 + a.addrs.n4; i++) {
        char ip[64];
        if (i < a.addrs.n6) httpx__ip_string(a.addrs.v6[i], 16, ip, sizeof ip);
        else httpx__ip_string(a.addrs.v4[i - a.addrs.n6], 4, ip, sizeof ip);
        used = strlen(out);
        snprintf(out + used, cap - used, " %s", ip);
    }
    return r;
}
#endif

#endif /* !HTTPX_DNS_THREADS */
