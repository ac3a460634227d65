/* DNS answers (dns_wire.c): what a nameserver, or anyone who can send UDP
   to our port, may send back. The input is the packet; it is read as the
   answer to the question it carries itself (so the fuzzer need not guess
   our name), as A and AAAA, and as an answer to a fixed question.
   Properties: no read outside the packet (ASan), at most HTTPX__MAX_ADDRS
   addresses a family, names decode to at most 255 bytes, an answer that
   does not match the question is IGNORED with no address (a MALFORMED
   one may carry some: the resolver drops them). */
#include "fuzz.h"

static void check(const uint8_t *pkt, size_t n, const unsigned char *q, size_t qn, int type) {
    httpx__dns_answer a;
    int rc = httpx__dns_parse(pkt, n, q, qn, type, &a);
    FUZZ_CHECK(rc == HTTPX__DNS_IGNORED || rc == HTTPX__DNS_PARSED || rc == HTTPX__DNS_MALFORMED);
    FUZZ_CHECK(a.addrs.n4 >= 0 && a.addrs.n4 <= HTTPX__MAX_ADDRS);
    FUZZ_CHECK(a.addrs.n6 >= 0 && a.addrs.n6 <= HTTPX__MAX_ADDRS);
    if (rc == HTTPX__DNS_IGNORED) FUZZ_CHECK(a.addrs.n4 == 0 && a.addrs.n6 == 0);
    if (type == HTTPX__DNS_T_A) FUZZ_CHECK(a.addrs.n6 == 0);
    if (type == HTTPX__DNS_T_AAAA) FUZZ_CHECK(a.addrs.n4 == 0);
    if (rc == HTTPX__DNS_PARSED) FUZZ_CHECK(a.rcode >= 0 && a.rcode <= 15);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned char *pkt = (unsigned char *)malloc(size ? size : 1), name[256], query[HTTPX__DNS_QMAX], qname[256];
    size_t off = 12, nlen, qlen, qoff = 12;
    if (size) memcpy(pkt, data, size);
    if (size >= 12 && httpx__dns_get_name(pkt, size, &off, name, &nlen)) {
        FUZZ_CHECK(nlen <= 255 && off <= size);
        check(pkt, size, name, nlen, HTTPX__DNS_T_A);
        check(pkt, size, name, nlen, HTTPX__DNS_T_AAAA);
    }
    /* a fixed question: what the stub asks */
    qlen = httpx__dns_encode_query(query, 0x1234, "www.example.com", HTTPX__DNS_T_A);
    FUZZ_CHECK(qlen <= sizeof query);
    FUZZ_CHECK(httpx__dns_get_name(query, qlen, &qoff, qname, &nlen));
    check(pkt, size, qname, nlen, HTTPX__DNS_T_A);
    free(pkt);
    return 0;
}
