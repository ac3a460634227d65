/* tls_x509: the certificate checks. BearSSL's minimal X.509 engine does the
   chain, the names and the dates; around it we decode the end-entity
   certificate on the side (for "expired" versus "not yet valid", and its key
   when verification is off) and check an IP-literal host against the
   certificate's subjectAltName IP addresses (RFC 6125), which the minimal
   engine does not do. */
#include "tls_private.h"
#include "net_internal.h"

#ifdef HTTPX_BEARSSL
#include <stdio.h>
#include <time.h>

#define HTTPX__TLS_MAX_EE (64 * 1024)    /* largest end-entity certificate kept for the IP check */

static httpx__x509 *httpx__x509_of(const br_x509_class *const *ctx) {
    return (httpx__x509 *)(void *)(uintptr_t)ctx;
}

static void httpx__x509_start_chain(const br_x509_class **ctx, const char *server_name) {
    httpx__x509 *x = httpx__x509_of(ctx);
    x->ncerts = 0;
    x->der.len = 0;
    x->der_too_big = x->der_nomem = false;
    x->expiry = 0;
    br_x509_decoder_init(&x->ee, NULL, NULL);
    if (!x->no_verify) x->minimal.vtable->start_chain(&x->minimal.vtable, server_name);
}

static void httpx__x509_start_cert(const br_x509_class **ctx, uint32_t length) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (!x->no_verify) x->minimal.vtable->start_cert(&x->minimal.vtable, length);
}

static void httpx__x509_append(const br_x509_class **ctx, const unsigned char *buf, size_t len) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (x->ncerts == 0) {
        br_x509_decoder_push(&x->ee, buf, len);
        if (x->want_der && !x->der_too_big) {
            if (x->der.len + len > HTTPX__TLS_MAX_EE) x->der_too_big = true;
            else if (!httpx__buf_append(&x->der, buf, len)) x->der_too_big = x->der_nomem = true;
        }
    }
    if (!x->no_verify) x->minimal.vtable->append(&x->minimal.vtable, buf, len);
}

static void httpx__x509_end_cert(const br_x509_class **ctx) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (!x->no_verify) x->minimal.vtable->end_cert(&x->minimal.vtable);
    x->ncerts++;
}

/* Whether the certificate (DER) lists ip among its subjectAltName iPAddress
   entries (RFC 6125: an IP address is never matched against the CN). */
static bool httpx__x509_has_ip(const unsigned char *der, size_t n, const unsigned char *ip, size_t ip_len) {
    static const unsigned char san_oid[] = { 0x55, 0x1d, 0x11 };   /* 2.5.29.17 */
    const unsigned char *p = der, *end = der + n, *v, *q, *qend;
    size_t l;
    unsigned tag;
    if (!httpx__der_next(&p, end, &tag, &v, &l) || tag != 0x30) return false;   /* Certificate */
    p = v; end = v + l;
    if (!httpx__der_next(&p, end, &tag, &v, &l) || tag != 0x30) return false;   /* TBSCertificate */
    p = v; end = v + l;
    while (p < end) {
        if (!httpx__der_next(&p, end, &tag, &v, &l)) return false;
        if (tag != 0xa3) continue;                                               /* [3] extensions */
        if (!httpx__der_next(&v, v + l, &tag, &q, &l) || tag != 0x30) return false;
        for (qend = q + l; q < qend;) {
            const unsigned char *ext, *eend, *oid, *val;
            size_t olen, vlen;
            if (!httpx__der_next(&q, qend, &tag, &ext, &l) || tag != 0x30) return false;
            eend = ext + l;
            if (!httpx__der_next(&ext, eend, &tag, &oid, &olen) || tag != 0x06) return false;
            if (olen != sizeof san_oid || memcmp(oid, san_oid, olen) != 0) continue;
            if (!httpx__der_next(&ext, eend, &tag, &val, &vlen)) return false;
            if (tag == 0x01 && !httpx__der_next(&ext, eend, &tag, &val, &vlen)) return false;   /* critical */
            if (tag != 0x04) return false;
            if (!httpx__der_next(&val, val + vlen, &tag, &v, &l) || tag != 0x30) return false;
            for (end = v + l; v < end;) {
                const unsigned char *name;
                size_t nlen;
                if (!httpx__der_next(&v, end, &tag, &name, &nlen)) return false;
                if (tag == 0x87 && nlen == ip_len && memcmp(name, ip, ip_len) == 0) return true;
            }
            return false;
        }
        return false;
    }
    return false;
}

static unsigned httpx__x509_end_chain(const br_x509_class **ctx) {
    httpx__x509 *x = httpx__x509_of(ctx);
    unsigned err;
    if (x->no_verify) {
        /* Nothing checked: the end-entity key is all the handshake needs. */
        return br_x509_decoder_get_pkey(&x->ee) ? 0 : BR_ERR_X509_EMPTY_CHAIN;
    }
    err = x->minimal.vtable->end_chain(&x->minimal.vtable);
    if (err == BR_ERR_X509_EXPIRED && br_x509_decoder_get_pkey(&x->ee)) {
        uint64_t now = (uint64_t)x->days * 86400 + x->secs;
        uint64_t nb = (uint64_t)x->ee.notbefore_days * 86400 + x->ee.notbefore_seconds;
        uint64_t na = (uint64_t)x->ee.notafter_days * 86400 + x->ee.notafter_seconds;
        x->expiry = now < nb ? 2 : now > na ? 1 : 0;
    }
    if (err == 0 && x->ip_len) {
        if (x->der_too_big || !httpx__x509_has_ip((const unsigned char *)x->der.p, x->der.len, x->ip, x->ip_len))
            err = BR_ERR_X509_BAD_SERVER_NAME;
    }
    return err;
}

static const br_x509_pkey *httpx__x509_get_pkey(const br_x509_class *const *ctx, unsigned *usages) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (x->no_verify) {
        if (usages) *usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
        return br_x509_decoder_get_pkey(&x->ee);
    }
    return x->minimal.vtable->get_pkey(&x->minimal.vtable, usages);
}

static const br_x509_class httpx__x509_vtable = {
    sizeof(httpx__x509),
    httpx__x509_start_chain,
    httpx__x509_start_cert,
    httpx__x509_append,
    httpx__x509_end_cert,
    httpx__x509_end_chain,
    httpx__x509_get_pkey
};

static void httpx__x509_refuse_start_chain(const br_x509_class **ctx, const char *server_name) { (void)ctx; (void)server_name; }
static void httpx__x509_refuse_start_cert(const br_x509_class **ctx, uint32_t length) { (void)ctx; (void)length; }
static void httpx__x509_refuse_append(const br_x509_class **ctx, const unsigned char *buf, size_t len) { (void)ctx; (void)buf; (void)len; }
static void httpx__x509_refuse_end_cert(const br_x509_class **ctx) { (void)ctx; }
static unsigned httpx__x509_refuse_end_chain(const br_x509_class **ctx) { (void)ctx; return BR_ERR_X509_NOT_TRUSTED; }
static const br_x509_pkey *httpx__x509_refuse_get_pkey(const br_x509_class *const *ctx, unsigned *usages) {
    (void)ctx;
    if (usages) *usages = 0;
    return NULL;
}
static const br_x509_class httpx__x509_refuse_vtable = {
    sizeof(const br_x509_class *),
    httpx__x509_refuse_start_chain,
    httpx__x509_refuse_start_cert,
    httpx__x509_refuse_append,
    httpx__x509_refuse_end_cert,
    httpx__x509_refuse_end_chain,
    httpx__x509_refuse_get_pkey
};

HTTPX__PRIVATE const br_x509_class *httpx__x509_refuser(void) { return &httpx__x509_refuse_vtable; }

HTTPX__PRIVATE void httpx__x509_setup(httpx__x509 *x, bool no_verify, const char *name) {
    char bare[64];
    size_t nl = strlen(name);
    time_t now = time(NULL);
    if (name[0] == '[' && nl >= 2 && nl - 2 < sizeof bare && name[nl - 1] == ']') {
        memcpy(bare, name + 1, nl - 2);
        bare[nl - 2] = 0;
    } else {
        snprintf(bare, sizeof bare, "%s", nl < sizeof bare ? name : "");
    }
    x->ip_len = (size_t)httpx__ip_parse(bare, x->ip);
    x->vtable = &httpx__x509_vtable;
    x->no_verify = no_verify;
    x->want_der = x->ip_len != 0 && !no_verify;
    /* The real clock (BearSSL's own choice would be the same, made explicit). */
    x->days = (uint32_t)((unsigned long long)now / 86400u + 719528u);   /* 0000-01-01 to 1970-01-01 */
    x->secs = (uint32_t)((unsigned long long)now % 86400u);
    br_x509_minimal_set_time(&x->minimal, x->days, x->secs);
}

HTTPX__PRIVATE bool httpx__x509_is_ip(const httpx__x509 *x) { return x->ip_len != 0; }

HTTPX__PRIVATE void httpx__x509_free(httpx__x509 *x) {
    if (!x) return;
    httpx__buf_free(&x->der);
    httpx__free(x);
}

#endif /* HTTPX_BEARSSL */
