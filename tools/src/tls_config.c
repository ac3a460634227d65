/* tls_config: what a client's TLS connections share. Trust anchors from
   tls.ca_file / tls.ca_pem or the system store (SSL_CERT_FILE, SSL_CERT_DIR,
   the usual bundle paths), the client certificate and key (mutual TLS), and
   the cache of sessions to resume. */
#include "tls_private.h"

#ifdef HTTPX_BEARSSL
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>

/* SSL_CERT_DIR bounds: certificate files read (all directories together),
   entries looked at per directory, and the size of a file still read. */
#define HTTPX__TLS_DIR_FILES 4096
#define HTTPX__TLS_DIR_ENTRIES 65536
#define HTTPX__TLS_DIR_FILE_MAX (16L * 1024 * 1024)

/* The backend is the only user of a string copy (a base helper would be
   dead code in a build without TLS). NULL: out of memory. */
static char *httpx__tls_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)httpx__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Collects bytes from BearSSL's decoders into a growable buffer. */
typedef struct httpx__tls_sink { httpx__buf b; bool oom; } httpx__tls_sink;
static void httpx__tls_sink_cb(void *ctx, const void *p, size_t n) {
    httpx__tls_sink *s = (httpx__tls_sink *)ctx;
    if (!s->oom && !httpx__buf_append(&s->b, p, n)) s->oom = true;
}

/* Calls fn for each object of a PEM text. Returns the number of objects, or
   HTTPX__BAD when the text is not PEM (e filled) or fn failed (fn fills e). */
typedef int (*httpx__pem_fn)(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e);
/* The value of a base64 digit, -1 for anything else. */
static int httpx__b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 of one PEM object (line breaks and spaces skipped,
   '=' padding at the end) into out. False on anything else. */
static bool httpx__pem_decode(const char *p, const char *end, httpx__buf *out) {
    unsigned acc = 0;
    int bits = 0, pad = 0;
    unsigned char *w;
    if (!httpx__buf_reserve(out, (size_t)(end - p) / 4 * 3 + 3)) return false;   /* room for all of it */
    w = (unsigned char *)out->p + out->len;
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        int v;
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
        if (c == '=') { pad++; continue; }
        v = httpx__b64_value(c);
        if (v < 0 || pad) return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *w++ = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    out->len = (size_t)(w - (unsigned char *)out->p);
    return pad <= 2;
}

/* Calls fn for each PEM object of data ("-----BEGIN name-----" ... "-----END
   name-----"); text between objects is ignored. Our own reader: BearSSL's
   PEM decoder runs byte by byte through its interpreter, which made loading
   a system store of a few hundred certificates cost 150 ms. Returns how many
   objects, or HTTPX__BAD (e filled). */
static int httpx__pem_each(const char *what, const char *data, size_t len, httpx__pem_fn fn, void *ctx, httpx__err *e) {
    static const char begin[] = "-----BEGIN ", end_tag[] = "-----END ";
    const char *p = data, *stop = data + len;
    httpx__buf der;
    int count = 0;
    memset(&der, 0, sizeof der);
    for (;;) {
        const char *b = NULL, *name, *name_end, *body, *q, *tail;
        char name_buf[128];
        size_t nl;
        for (q = p; q + sizeof begin - 1 <= stop; q++) {   /* a BEGIN at the start of a line */
            if ((q == data || q[-1] == '\n') && !memcmp(q, begin, sizeof begin - 1)) { b = q; break; }
        }
        if (!b) break;
        name = b + sizeof begin - 1;
        for (name_end = name; name_end < stop && *name_end != '-' && *name_end != '\n'; name_end++) {}
        if (name_end + 5 > stop || memcmp(name_end, "-----", 5) != 0) {
            httpx__buf_free(&der);
            httpx__fail(e, HTTPX_ERR_TLS, "%s is not valid PEM (a bad BEGIN line)", what);
            return HTTPX__BAD;
        }
        nl = (size_t)(name_end - name);
        snprintf(name_buf, sizeof name_buf, "%.*s", (int)(nl < sizeof name_buf ? nl : sizeof name_buf - 1), name);
        body = name_end + 5;
        for (tail = body; tail + sizeof end_tag - 1 <= stop; tail++)
            if (tail[-1] == '\n' && !memcmp(tail, end_tag, sizeof end_tag - 1)) break;
        if (tail + sizeof end_tag - 1 > stop) {
            httpx__buf_free(&der);
            httpx__fail(e, HTTPX_ERR_TLS, "%s ends inside a PEM object (no END line)", what);
            return HTTPX__BAD;
        }
        httpx__buf_clear(&der);
        if (!httpx__pem_decode(body, tail, &der)) {
            bool oom = der.failed;
            httpx__buf_free(&der);
            if (oom) httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory reading %s", what);
            else httpx__fail(e, HTTPX_ERR_TLS, "%s is not valid PEM", what);
            return HTTPX__BAD;
        }
        if (fn(ctx, name_buf, (const unsigned char *)(der.p ? der.p : ""), der.len, e) != 0) {
            httpx__buf_free(&der);
            return HTTPX__BAD;
        }
        count++;
        for (p = tail; p < stop && *p != '\n'; p++) {}
    }
    httpx__buf_free(&der);
    return count;
}

/* Reads a whole file into b (NUL-terminated). */
static bool httpx__tls_read_file(const char *path, httpx__buf *b, httpx__err *e) {
    char chunk[8192];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        e->sys_errno = errno;
        httpx__fail(e, HTTPX_ERR_TLS, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!httpx__buf_append(b, chunk, n)) {
            fclose(f);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory reading %s", path);
            return false;
        }
    fclose(f);
    return true;
}

/* ---- what a trust anchor needs from a certificate, read directly ----
   BearSSL's X.509 decoder runs through its interpreter and was half of the
   time a system store took to load. An anchor needs only three things of a
   certificate: its subject name (the DER of the Name), its public key, and
   whether Basic Constraints make it a CA. httpx__der_anchor reads those by
   walking the DER; anything it does not know (another key type, an odd
   encoding) goes to BearSSL's decoder instead, which then decides
   (tests/test_tls.c compares the two over the system store). */
typedef struct httpx__der { const unsigned char *p, *end; } httpx__der;

HTTPX__PRIVATE bool httpx__der_next(const unsigned char **p, const unsigned char *end, unsigned *tag,
                                    const unsigned char **val, size_t *len) {
    const unsigned char *q = *p;
    size_t l;
    if (end - q < 2) return false;
    *tag = q[0];
    l = q[1];
    q += 2;
    if ((*tag & 0x1f) == 0x1f) return false;   /* multi-byte tags: none in a certificate */
    if (l & 0x80) {
        unsigned k = (unsigned)(l & 0x7f);
        if (k == 0 || k > 3 || (size_t)(end - q) < k) return false;
        for (l = 0; k > 0; k--) l = (l << 8) | *q++;
    }
    if ((size_t)(end - q) < l) return false;
    *val = q;
    *len = l;
    *p = q + l;
    return true;
}

/* The next element of d, as httpx__der_next reads it, with its content in c
   and where it began in *start (for the subject's whole encoding). */
static bool httpx__der_take(httpx__der *d, unsigned *tag, httpx__der *c, const unsigned char **start) {
    const unsigned char *v;
    size_t l;
    if (start) *start = d->p;
    if (!httpx__der_next(&d->p, d->end, tag, &v, &l)) return false;
    c->p = v;
    c->end = v + l;
    return true;
}

/* The next element must have this tag. */
static bool httpx__der_expect(httpx__der *d, unsigned tag, httpx__der *c) {
    unsigned t;
    return httpx__der_take(d, &t, c, NULL) && t == tag;
}

static bool httpx__der_is(const httpx__der *c, const unsigned char *oid, size_t n) {
    return (size_t)(c->end - c->p) == n && memcmp(c->p, oid, n) == 0;
}

/* An INTEGER's magnitude without its leading zero bytes. */
static void httpx__der_unsigned(httpx__der *c) {
    while (c->end - c->p > 1 && c->p[0] == 0) c->p++;
}

/* The key of a SubjectPublicKeyInfo: RSA, or EC on P-256, P-384, P-521. */
static bool httpx__der_key(httpx__der spki, br_x509_pkey *pk) {
    static const unsigned char rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
    static const unsigned char ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    static const unsigned char p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    static const unsigned char p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
    static const unsigned char p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
    httpx__der alg, oid, params, bits, seq, n, e;
    unsigned t;
    if (!httpx__der_expect(&spki, 0x30, &alg) || !httpx__der_expect(&alg, 0x06, &oid) ||
        !httpx__der_expect(&spki, 0x03, &bits) || bits.p == bits.end || *bits.p++ != 0)
        return false;
    memset(pk, 0, sizeof *pk);
    if (httpx__der_is(&oid, rsa, sizeof rsa)) {
        if (!httpx__der_expect(&bits, 0x30, &seq) || !httpx__der_expect(&seq, 0x02, &n) ||
            !httpx__der_expect(&seq, 0x02, &e) || n.p == n.end || e.p == e.end || (n.p[0] | e.p[0]) & 0x80)
            return false;
        httpx__der_unsigned(&n);
        httpx__der_unsigned(&e);
        pk->key_type = BR_KEYTYPE_RSA;
        pk->key.rsa.n = (unsigned char *)n.p;
        pk->key.rsa.nlen = (size_t)(n.end - n.p);
        pk->key.rsa.e = (unsigned char *)e.p;
        pk->key.rsa.elen = (size_t)(e.end - e.p);
        return true;
    }
    if (!httpx__der_is(&oid, ec, sizeof ec) || !httpx__der_take(&alg, &t, &params, NULL) || t != 0x06) return false;
    pk->key_type = BR_KEYTYPE_EC;
    if (httpx__der_is(&params, p256, sizeof p256)) pk->key.ec.curve = BR_EC_secp256r1;
    else if (httpx__der_is(&params, p384, sizeof p384)) pk->key.ec.curve = BR_EC_secp384r1;
    else if (httpx__der_is(&params, p521, sizeof p521)) pk->key.ec.curve = BR_EC_secp521r1;
    else return false;
    if (bits.p == bits.end || bits.p[0] != 0x04) return false;   /* an uncompressed point */
    pk->key.ec.q = (unsigned char *)bits.p;
    pk->key.ec.qlen = (size_t)(bits.end - bits.p);
    return true;
}

/* Whether the extensions ([3]) hold Basic Constraints with cA TRUE. */
static bool httpx__der_is_ca(httpx__der exts) {
    static const unsigned char basic_constraints[] = {0x55, 0x1d, 0x13};
    httpx__der list, ext, oid, value, bc, ca;
    unsigned t;
    if (!httpx__der_expect(&exts, 0x30, &list)) return false;
    while (httpx__der_expect(&list, 0x30, &ext)) {
        if (!httpx__der_expect(&ext, 0x06, &oid) || !httpx__der_is(&oid, basic_constraints, sizeof basic_constraints))
            continue;
        if (!httpx__der_take(&ext, &t, &value, NULL)) return false;
        if (t == 0x01 && !httpx__der_take(&ext, &t, &value, NULL)) return false;   /* critical */
        if (t != 0x04 || !httpx__der_expect(&value, 0x30, &bc)) return false;
        return httpx__der_take(&bc, &t, &ca, NULL) && t == 0x01 && ca.end - ca.p == 1 && ca.p[0] != 0;
    }
    return false;
}

/* Reads a certificate's subject (*dn: its whole DER), key and CA flag.
   False when it is not a certificate this walk understands. */
static bool httpx__der_anchor(const unsigned char *der, size_t len, httpx__der *dn, br_x509_pkey *pk, bool *is_ca) {
    httpx__der all, cert, tbs, el, spki;
    const unsigned char *start;
    unsigned t;
    int i;
    all.p = der;
    all.end = der + len;
    if (!httpx__der_expect(&all, 0x30, &cert) || !httpx__der_expect(&cert, 0x30, &tbs)) return false;
    if (!httpx__der_take(&tbs, &t, &el, NULL)) return false;
    if (t == 0xa0 && !httpx__der_take(&tbs, &t, &el, NULL)) return false;   /* the version, then the serial */
    if (t != 0x02) return false;
    for (i = 0; i < 3; i++)   /* signature algorithm, issuer, validity */
        if (!httpx__der_expect(&tbs, 0x30, &el)) return false;
    if (!httpx__der_take(&tbs, &t, &el, &start) || t != 0x30) return false;
    dn->p = start;
    dn->end = el.end;
    if (!httpx__der_expect(&tbs, 0x30, &spki) || !httpx__der_key(spki, pk)) return false;
    *is_ca = false;
    while (httpx__der_take(&tbs, &t, &el, NULL))   /* unique ids, then the extensions */
        if (t == 0xa3) *is_ca = httpx__der_is_ca(el);
    return true;
}

/* Whether an anchor with this name, key and CA flag is loaded already. */
static bool httpx__tls_have_anchor(const httpx__tls_config *cfg, unsigned flags, const unsigned char *dn,
                                   size_t dn_len, const br_x509_pkey *pk) {
    size_t i;
    for (i = 0; i < cfg->ntas; i++) {
        const br_x509_trust_anchor *ta = &cfg->tas[i];
        if (ta->dn.len != dn_len || ta->flags != flags || ta->pkey.key_type != pk->key_type) continue;
        if (dn_len && memcmp(ta->dn.data, dn, dn_len) != 0) continue;
        if (pk->key_type == BR_KEYTYPE_RSA) {
            if (ta->pkey.key.rsa.nlen == pk->key.rsa.nlen && ta->pkey.key.rsa.elen == pk->key.rsa.elen &&
                memcmp(ta->pkey.key.rsa.n, pk->key.rsa.n, pk->key.rsa.nlen) == 0 &&
                memcmp(ta->pkey.key.rsa.e, pk->key.rsa.e, pk->key.rsa.elen) == 0) return true;
        } else if (ta->pkey.key.ec.curve == pk->key.ec.curve && ta->pkey.key.ec.qlen == pk->key.ec.qlen &&
                   memcmp(ta->pkey.key.ec.q, pk->key.ec.q, pk->key.ec.qlen) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether this DER was met before in this load (1), else records it (0);
   HTTPX__BAD when out of memory. A 64-bit FNV-1a hash with the length
   stands for the bytes: two different certificates that collided would
   only leave the second one out, which trusts less, never more. */
static int httpx__tls_seen_before(httpx__tls_config *cfg, const unsigned char *der, size_t len) {
    uint64_t h = 14695981039346656037ull;
    size_t i;
    for (i = 0; i < len; i++) h = (h ^ der[i]) * 1099511628211ull;
    h ^= (uint64_t)len << 32;
    for (i = 0; i < cfg->nseen; i++) if (cfg->seen[i] == h) return 1;
    if (cfg->nseen == cfg->cap_seen) {
        size_t cap = cfg->cap_seen ? cfg->cap_seen * 2 : 64;
        uint64_t *p = (uint64_t *)httpx__realloc(cfg->seen, cap * sizeof *p);
        if (!p) return HTTPX__BAD;
        cfg->seen = p;
        cfg->cap_seen = cap;
    }
    cfg->seen[cfg->nseen++] = h;
    return 0;
}

/* One certificate of a CA bundle: becomes a trust anchor (a CA one when its
   Basic Constraints say so; a non-CA certificate is trusted directly, which
   pins that one server certificate). Certificates BearSSL cannot decode
   (unsupported key types) are skipped. */
static int httpx__tls_add_anchor(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_config *cfg = (httpx__tls_config *)ctx;
    br_x509_decoder_context dc;
    httpx__tls_sink dn;
    const br_x509_pkey *pk;
    br_x509_pkey walked;
    httpx__der walked_dn;
    const unsigned char *dn_p;
    size_t dn_len;
    unsigned flags;
    bool is_ca;
    br_x509_trust_anchor *ta;
    unsigned char *blob;
    size_t klen;
    if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "TRUSTED CERTIFICATE") != 0) return 0;
    switch (httpx__tls_seen_before(cfg, der, len)) {
    case 1: return 0;               /* the same certificate again: decoded once is enough */
    case 0: break;
    default: return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
    }
    memset(&dn, 0, sizeof dn);
    if (httpx__der_anchor(der, len, &walked_dn, &walked, &is_ca)) {
        pk = &walked;
        dn_p = walked_dn.p;
        dn_len = (size_t)(walked_dn.end - walked_dn.p);
        flags = is_ca ? BR_X509_TA_CA : 0;
    } else {   /* not what the walk knows: BearSSL's decoder decides */
        br_x509_decoder_init(&dc, httpx__tls_sink_cb, &dn);
        br_x509_decoder_push(&dc, der, len);
        pk = br_x509_decoder_get_pkey(&dc);
        if (dn.oom) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
        if (!pk || br_x509_decoder_last_error(&dc) != 0) { httpx__buf_free(&dn.b); return 0; }
        dn_p = (const unsigned char *)dn.b.p;
        dn_len = dn.b.len;
        flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
    }
    klen = pk->key_type == BR_KEYTYPE_RSA ? pk->key.rsa.nlen + pk->key.rsa.elen : pk->key.ec.qlen;
    if (httpx__tls_have_anchor(cfg, flags, dn_p, dn_len, pk)) {
        httpx__buf_free(&dn.b);   /* the same CA twice (a bundle and its files): one anchor */
        return 0;
    }
    if (cfg->ntas == cfg->cap_tas) {
        size_t cap = cfg->cap_tas ? cfg->cap_tas * 2 : 16;
        br_x509_trust_anchor *p = (br_x509_trust_anchor *)httpx__realloc(cfg->tas, cap * sizeof *p);
        if (!p) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
        cfg->tas = p;
        cfg->cap_tas = cap;
    }
    blob = (unsigned char *)httpx__malloc(dn_len + klen + 1);
    if (!blob) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
    ta = &cfg->tas[cfg->ntas++];
    memset(ta, 0, sizeof *ta);
    if (dn_len) memcpy(blob, dn_p, dn_len);
    ta->dn.data = blob;
    ta->dn.len = dn_len;
    ta->flags = flags;
    ta->pkey.key_type = pk->key_type;
    if (pk->key_type == BR_KEYTYPE_RSA) {
        ta->pkey.key.rsa.n = blob + dn_len;
        memcpy(ta->pkey.key.rsa.n, pk->key.rsa.n, pk->key.rsa.nlen);
        ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
        ta->pkey.key.rsa.e = ta->pkey.key.rsa.n + pk->key.rsa.nlen;
        memcpy(ta->pkey.key.rsa.e, pk->key.rsa.e, pk->key.rsa.elen);
        ta->pkey.key.rsa.elen = pk->key.rsa.elen;
    } else {
        ta->pkey.key.ec.curve = pk->key.ec.curve;
        ta->pkey.key.ec.q = blob + dn_len;
        memcpy(ta->pkey.key.ec.q, pk->key.ec.q, pk->key.ec.qlen);
        ta->pkey.key.ec.qlen = pk->key.ec.qlen;
    }
    httpx__buf_free(&dn.b);
    return 0;
}

/* Loads the trust anchors of a PEM text; how many certificates it held. */
static int httpx__tls_load_pem(httpx__tls_config *cfg, const char *what, const char *pem, size_t len, httpx__err *e) {
    return httpx__pem_each(what, pem, len, httpx__tls_add_anchor, cfg, e);
}

static int httpx__tls_load_file(httpx__tls_config *cfg, const char *path, httpx__err *e) {
    httpx__buf b;
    int n;
    memset(&b, 0, sizeof b);
    if (!httpx__tls_read_file(path, &b, e)) { httpx__buf_free(&b); return HTTPX__BAD; }
    n = httpx__tls_load_pem(cfg, path, b.p ? b.p : "", b.len, e);
    httpx__buf_free(&b);
    return n;
}

/* The usual places of the system's CA bundle, first found first used. */
#define HTTPX__TLS_BUNDLES { \
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu, Arch, Gentoo */ \
    "/etc/pki/tls/certs/ca-bundle.crt", /* Fedora, RHEL */ \
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* CentOS, RHEL 7 */ \
    "/etc/ssl/ca-bundle.pem", /* openSUSE */ \
    "/etc/pki/tls/cacert.pem", /* OpenELEC */ \
    "/etc/ssl/cert.pem", /* Alpine, macOS, OpenBSD */ \
    "/usr/local/share/certs/ca-root-nss.crt", /* FreeBSD */ \
    "/usr/local/etc/ssl/cert.pem", /* FreeBSD ports */ \
    NULL \
}

/* Files of SSL_CERT_DIR: which were read already (by device and inode, so
   that a hash link, the file it points to and the SSL_CERT_FILE bundle are
   read once), and how many. */
typedef struct httpx__tls_file_id { dev_t dev; ino_t ino; } httpx__tls_file_id;
typedef struct httpx__tls_files {
    httpx__tls_file_id *ids;
    size_t n, cap;
} httpx__tls_files;

/* 1: seen before; 0: now recorded; HTTPX__BAD: out of memory. */
static int httpx__tls_files_seen(httpx__tls_files *f, const struct stat *st) {
    size_t i;
    for (i = 0; i < f->n; i++)
        if (f->ids[i].dev == st->st_dev && f->ids[i].ino == st->st_ino) return 1;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        httpx__tls_file_id *p = (httpx__tls_file_id *)httpx__realloc(f->ids, cap * sizeof *p);
        if (!p) return HTTPX__BAD;
        f->ids = p;
        f->cap = cap;
    }
    f->ids[f->n].dev = st->st_dev;
    f->ids[f->n].ino = st->st_ino;
    f->n++;
    return 0;
}

/* The names of certificate files: *.pem, *.crt, *.cer (any case), and
   OpenSSL's hash links "1a2b3c4d.0" (not the CRL links "1a2b3c4d.r0"). */
static bool httpx__tls_cert_name(const char *name) {
    static const char *const ext[] = { ".pem", ".crt", ".cer" };
    size_t n = strlen(name), i, k;
    if (name[0] == '.') return false;
    for (k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        if (n <= 4) break;
        for (i = 0; i < 4 && tolower((unsigned char)name[n - 4 + i]) == ext[k][i]; i++) {}
        if (i == 4) return true;
    }
    if (n < 10 || name[8] != '.') return false;
    for (i = 0; i < 8; i++) if (!isxdigit((unsigned char)name[i])) return false;
    for (i = 9; i < n; i++) if (!isdigit((unsigned char)name[i])) return false;
    return true;
}

/* Loads the certificate files of one directory of SSL_CERT_DIR. Files that
   are not regular (after symbolic links), too big, unreadable, not PEM, or
   read already are skipped; a directory that cannot be opened is skipped as
   OpenSSL does. false only when out of memory (e filled). */
static bool httpx__tls_load_dir(httpx__tls_config *cfg, const char *dir, httpx__tls_files *files, httpx__err *e) {
    DIR *d = opendir(dir);
    struct dirent *de;
    long entries = 0;
    if (!d) return true;
    while (files->n < HTTPX__TLS_DIR_FILES && entries++ < HTTPX__TLS_DIR_ENTRIES && (de = readdir(d)) != NULL) {
        char path[1024];
        struct stat st;
        httpx__err fe;
        int seen;
        if (!httpx__tls_cert_name(de->d_name)) continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path) continue;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > HTTPX__TLS_DIR_FILE_MAX) continue;
        if ((seen = httpx__tls_files_seen(files, &st)) != 0) {
            if (seen > 0) continue;
            closedir(d);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
            return false;
        }
        memset(&fe, 0, sizeof fe);
        if (httpx__tls_load_file(cfg, path, &fe) < 0 && fe.code == HTTPX_ERR_NOMEM) {
            closedir(d);
            *e = fe;
            return false;
        }
    }
    closedir(d);
    return true;
}

/* The system trust store: SSL_CERT_FILE and SSL_CERT_DIR when set (either
   or both, as OpenSSL reads them), else the first bundle of the usual places
   that exists. SSL_CERT_DIR is a colon-separated list of directories; each
   certificate file in them is loaded (httpx__tls_load_dir). */
static bool httpx__tls_load_system(httpx__tls_config *cfg, httpx__err *e) {
    static const char *const bundles[] = HTTPX__TLS_BUNDLES;
    const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
    int i;
    if (file && *file) {
        if (httpx__tls_load_file(cfg, file, e) < 0) return false;
    }
    if (dir && *dir) {
        httpx__tls_files files;
        const char *p = dir;
        struct stat st;
        bool ok = true;
        memset(&files, 0, sizeof files);
        if (file && *file && stat(file, &st) == 0 && httpx__tls_files_seen(&files, &st) < 0) ok = false;
        while (ok && *p) {
            const char *end = strchr(p, ':');
            size_t l = end ? (size_t)(end - p) : strlen(p);
            char path[1024];
            if (l > 0 && l < sizeof path) {
                memcpy(path, p, l);
                path[l] = 0;
                if (!httpx__tls_load_dir(cfg, path, &files, e)) { httpx__free(files.ids); return false; }
            }
            p += l;
            if (*p == ':') p++;
        }
        httpx__free(files.ids);
        if (!ok) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); return false; }
    }
    if ((file && *file) || (dir && *dir)) {
        if (cfg->ntas > 0) return true;
        httpx__fail(e, HTTPX_ERR_TLS, "no CA certificate found in SSL_CERT_FILE=%s SSL_CERT_DIR=%s",
                    file ? file : "(unset)", dir ? dir : "(unset)");
        return false;
    }
    for (i = 0; bundles[i]; i++) {
        FILE *f = fopen(bundles[i], "rb");
        int n;
        if (!f) continue;
        fclose(f);
        n = httpx__tls_load_file(cfg, bundles[i], e);
        if (n < 0) return false;
        if (cfg->ntas > 0) return true;
    }
    httpx__fail(e, HTTPX_ERR_TLS, "no system CA certificates found (looked in /etc/ssl/certs/ca-certificates.crt "
                "and other usual places): set SSL_CERT_FILE, or tls.ca_file");
    return false;
}

/* ---- the system trust store, loaded once per process ----
   Parsing a system bundle (some 150 certificates) costs tens of
   milliseconds of CPU: a frame hitch inside a game's loop, paid again by
   every client and every one-shot call. So the store is loaded once and
   shared by every client that uses it (counted references: the cache holds
   one, each client's configuration one). It is loaded again only when what
   it came from changes: SSL_CERT_FILE or SSL_CERT_DIR, or a file or
   directory listing behind them (inode, size and modification time of each,
   which a few stat calls compare: httpx__tls_store_key). httpx_tls_preload
   loads it ahead of time; a client with tls.preload loads it in
   httpx_client_new. */
struct httpx__tls_store {
    int refs;
    br_x509_trust_anchor *tas;
    size_t ntas;
    httpx__buf key;
};
static httpx__tls_store *httpx__tls_cached_store;

#if defined(__APPLE__)
#define HTTPX__MTIME_NS(st) ((long)(st).st_mtimespec.tv_nsec)
#else
#define HTTPX__MTIME_NS(st) ((long)(st).st_mtim.tv_nsec)
#endif

static void httpx__tls_key_stat(httpx__buf *k, const char *path) {
    struct stat st;
    char line[160];
    if (stat(path, &st) != 0) { httpx__buf_puts(k, "|-"); return; }
    snprintf(line, sizeof line, "|%llu|%llu|%lld|%lld.%ld", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtime, HTTPX__MTIME_NS(st));
    httpx__buf_puts(k, line);
}

/* What the system store would be loaded from, as text: equal keys, the
   same store. false when out of memory. */
static bool httpx__tls_store_key(httpx__buf *k) {
    static const char *const bundles[] = HTTPX__TLS_BUNDLES;
    const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
    int i;
    if ((file && *file) || (dir && *dir)) {
        const char *p = dir && *dir ? dir : "";
        httpx__buf_puts(k, "F");
        httpx__buf_puts(k, file ? file : "");
        if (file && *file) httpx__tls_key_stat(k, file);
        while (*p) {   /* each directory, and each certificate file in it */
            const char *end = strchr(p, ':');
            size_t l = end ? (size_t)(end - p) : strlen(p);
            char path[1024];
            if (l > 0 && l < sizeof path) {
                DIR *d;
                struct dirent *de;
                long entries = 0;
                memcpy(path, p, l);
                path[l] = 0;
                httpx__buf_puts(k, "\nD");
                httpx__buf_puts(k, path);
                httpx__tls_key_stat(k, path);
                if ((d = opendir(path)) != NULL) {
                    while (entries++ < HTTPX__TLS_DIR_ENTRIES && (de = readdir(d)) != NULL) {
                        char sub[1024];
                        if (!httpx__tls_cert_name(de->d_name)) continue;
                        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >= sizeof sub) continue;
                        httpx__buf_puts(k, "\n");
                        httpx__buf_puts(k, de->d_name);
                        httpx__tls_key_stat(k, sub);
                    }
                    closedir(d);
                }
            }
            p += l;
            if (*p == ':') p++;
        }
    } else {
        for (i = 0; bundles[i]; i++) {
            httpx__buf_puts(k, "\nB");
            httpx__buf_puts(k, bundles[i]);
            httpx__tls_key_stat(k, bundles[i]);
        }
    }
    return !k->failed;
}

static void httpx__tls_anchors_free(br_x509_trust_anchor *tas, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) httpx__free(tas[i].dn.data);
    httpx__free(tas);
}

static void httpx__tls_store_release(httpx__tls_store *s) {
    bool last;
    if (!s) return;
    httpx__global_lock();
    last = --s->refs == 0;
    httpx__global_unlock();
    if (!last) return;
    httpx__tls_anchors_free(s->tas, s->ntas);
    httpx__buf_free(&s->key);
    httpx__free(s);
}

/* The system store, with a reference for the caller: the cached one when
   it is still what the system holds, else loaded now (outside the lock: two
   threads may both load; the last to finish is cached, and both stores are
   correct). NULL with e filled when there is none or memory ran out. */
static httpx__tls_store *httpx__tls_store_get(httpx__err *e) {
    httpx__tls_store *s, *old;
    httpx__tls_config tmp;
    httpx__buf key;
    memset(&key, 0, sizeof key);
    if (!httpx__tls_store_key(&key)) {
        httpx__buf_free(&key);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
        return NULL;
    }
    httpx__global_lock();
    s = httpx__tls_cached_store;
    if (s && s->key.len == key.len && memcmp(s->key.p, key.p, key.len) == 0) s->refs++;
    else s = NULL;
    httpx__global_unlock();
    if (s) { httpx__buf_free(&key); return s; }
    memset(&tmp, 0, sizeof tmp);
    s = (httpx__tls_store *)httpx__malloc(sizeof *s);
    if (s && !httpx__tls_load_system(&tmp, e)) {
        httpx__free(s);
        s = NULL;
    } else if (!s) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
    }
    httpx__free(tmp.seen);
    if (!s) {
        httpx__tls_anchors_free(tmp.tas, tmp.ntas);
        httpx__buf_free(&key);
        return NULL;
    }
    if (tmp.cap_tas > tmp.ntas) {   /* the array grew by doubling: give back the rest */
        br_x509_trust_anchor *p = (br_x509_trust_anchor *)httpx__realloc(tmp.tas, tmp.ntas * sizeof *p);
        if (p) tmp.tas = p;
    }
    s->refs = 2;                    /* the caller's and the cache's */
    s->tas = tmp.tas;
    s->ntas = tmp.ntas;
    s->key = key;
    httpx__global_lock();
    old = httpx__tls_cached_store;
    httpx__tls_cached_store = s;
    httpx__global_unlock();
    httpx__tls_store_release(old);   /* clients still using it keep it alive */
    return s;
}

#ifdef HTTPX__TEST_HOOKS
static bool httpx__pkey_eq(const br_x509_pkey *a, const br_x509_pkey *b) {
    if (a->key_type != b->key_type) return false;
    if (a->key_type == BR_KEYTYPE_RSA)
        return a->key.rsa.nlen == b->key.rsa.nlen && a->key.rsa.elen == b->key.rsa.elen &&
               !memcmp(a->key.rsa.n, b->key.rsa.n, a->key.rsa.nlen) && !memcmp(a->key.rsa.e, b->key.rsa.e, a->key.rsa.elen);
    return a->key.ec.curve == b->key.ec.curve && a->key.ec.qlen == b->key.ec.qlen &&
           !memcmp(a->key.ec.q, b->key.ec.q, a->key.ec.qlen);
}

static int httpx__tls_walk_one(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_walk_counts *n = (httpx__tls_walk_counts *)ctx;
    br_x509_decoder_context dc;
    httpx__tls_sink dn;
    const br_x509_pkey *pk;
    br_x509_pkey walked;
    httpx__der walked_dn;
    bool is_ca, same;
    (void)e;
    if (strcmp(name, "CERTIFICATE") != 0) return 0;
    if (!httpx__der_anchor(der, len, &walked_dn, &walked, &is_ca)) { n->declined++; return 0; }
    memset(&dn, 0, sizeof dn);
    br_x509_decoder_init(&dc, httpx__tls_sink_cb, &dn);
    br_x509_decoder_push(&dc, der, len);
    pk = br_x509_decoder_get_pkey(&dc);
    same = pk && br_x509_decoder_last_error(&dc) == 0 && httpx__pkey_eq(pk, &walked) &&
           !br_x509_decoder_isCA(&dc) == !is_ca && dn.b.len == (size_t)(walked_dn.end - walked_dn.p) &&
           !memcmp(dn.b.p, walked_dn.p, dn.b.len);
    if (same) n->same++; else n->differ++;
    httpx__buf_free(&dn.b);
    return 0;
}

HTTPX__PRIVATE bool httpx__tls_walk_compare(const char *pem_path, httpx__tls_walk_counts *n) {
    httpx__buf b;
    httpx__err e;
    bool ok;
    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    memset(n, 0, sizeof *n);
    ok = httpx__tls_read_file(pem_path, &b, &e) && httpx__pem_each(pem_path, b.p ? b.p : "", b.len, httpx__tls_walk_one, n, &e) >= 0;
    httpx__buf_free(&b);
    return ok;
}

HTTPX__PRIVATE const void *httpx__tls_config_anchors(const httpx__tls_config *cfg) { return cfg->tas; }
#endif

HTTPX_API httpx_error httpx_tls_preload(void) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    httpx__tls_store_release(httpx__tls_store_get(&e));
    return e.code;
}

/* Client certificate chain and key. */
static int httpx__tls_add_cert(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_config *cfg = (httpx__tls_config *)ctx;
    br_x509_certificate *p;
    unsigned char *copy;
    if (strcmp(name, "CERTIFICATE") != 0) return 0;
    p = (br_x509_certificate *)httpx__realloc(cfg->chain, (cfg->nchain + 1) * sizeof *p);
    if (!p) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading the client certificate");
    cfg->chain = p;
    copy = (unsigned char *)httpx__malloc(len ? len : 1);
    if (!copy) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading the client certificate");
    if (len) memcpy(copy, der, len);
    cfg->chain[cfg->nchain].data = copy;
    cfg->chain[cfg->nchain].data_len = len;
    cfg->nchain++;
    return 0;
}

static int httpx__tls_add_key(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_config *cfg = (httpx__tls_config *)ctx;
    if (strcmp(name, "PRIVATE KEY") != 0 && strcmp(name, "RSA PRIVATE KEY") != 0 &&
        strcmp(name, "EC PRIVATE KEY") != 0) return 0;   /* e.g. "EC PARAMETERS" */
    if (cfg->skey) return httpx__fail(e, HTTPX_ERR_TLS, "the client key holds more than one private key");
    cfg->skey = (br_skey_decoder_context *)httpx__malloc(sizeof *cfg->skey);
    if (!cfg->skey) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading the client key");
    br_skey_decoder_init(cfg->skey);
    br_skey_decoder_push(cfg->skey, der, len);
    if (br_skey_decoder_last_error(cfg->skey) != 0 || br_skey_decoder_key_type(cfg->skey) == 0) {
        e->sys_errno = br_skey_decoder_last_error(cfg->skey);
        return httpx__fail(e, HTTPX_ERR_TLS, "the client key (%s) could not be decoded: only unencrypted RSA and EC keys are supported", name);
    }
    return 0;
}

/* Text of PEM from memory or from a file; *owned is freed by the caller. */
static bool httpx__tls_pem_source(const char *pem, const char *file, httpx__buf *owned, const char **text, size_t *len, httpx__err *e) {
    if (pem) { *text = pem; *len = strlen(pem); return true; }
    if (!httpx__tls_read_file(file, owned, e)) return false;
    *text = owned->p ? owned->p : "";
    *len = owned->len;
    return true;
}

/* Feeds each PEM object of pem (in memory) or of file to fn. */
static bool httpx__tls_pem_objects(const char *pem, const char *file, const char *label, httpx__pem_fn fn,
                                httpx__tls_config *cfg, httpx__err *e) {
    httpx__buf b;
    const char *text;
    size_t len;
    int n = HTTPX__BAD;
    memset(&b, 0, sizeof b);
    if (httpx__tls_pem_source(pem, file, &b, &text, &len, e))
        n = httpx__pem_each(pem ? label : file, text, len, fn, cfg, e);
    httpx__buf_free(&b);
    return n >= 0;
}

static bool httpx__tls_load_client(httpx__tls_config *cfg, const httpx_tls_opts *o, httpx__err *e) {
    bool has_cert = o->cert_pem || o->cert_file, has_key = o->key_pem || o->key_file;
    if (!has_cert && !has_key) return true;
    if (!has_cert || !has_key) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "tls: a client certificate needs both the certificate (cert_file or cert_pem) and its key (key_file or key_pem)");
        return false;
    }
    if (!httpx__tls_pem_objects(o->cert_pem, o->cert_file, "tls.cert_pem", httpx__tls_add_cert, cfg, e)) return false;
    if (cfg->nchain == 0) {
        httpx__fail(e, HTTPX_ERR_TLS, "no CERTIFICATE in the client certificate %s", o->cert_pem ? "tls.cert_pem" : o->cert_file);
        return false;
    }
    if (!httpx__tls_pem_objects(o->key_pem, o->key_file, "tls.key_pem", httpx__tls_add_key, cfg, e)) return false;
    if (!cfg->skey) {
        httpx__fail(e, HTTPX_ERR_TLS, "no private key in %s (an encrypted key is not supported)", o->key_pem ? "tls.key_pem" : o->key_file);
        return false;
    }
    return true;
}

HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg) {
    size_t i;
    if (!cfg) return;
    httpx__free(cfg->seen);
    if (cfg->store) httpx__tls_store_release(cfg->store);
    else httpx__tls_anchors_free(cfg->tas, cfg->ntas);
    for (i = 0; i < cfg->nchain; i++) httpx__free(cfg->chain[i].data);
    httpx__free(cfg->chain);
    if (cfg->skey) {
        memset(cfg->skey, 0, sizeof *cfg->skey);   /* the key does not linger in freed memory */
        httpx__free(cfg->skey);
    }
    httpx__free(cfg->server_name);
    httpx__free(cfg->keylog);
    for (i = 0; i < HTTPX__TLS_SESSIONS; i++) httpx__free(cfg->sessions[i].key);
    memset(cfg->sessions, 0, sizeof cfg->sessions);
    httpx__free(cfg);
}

HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e) {
    httpx_tls_opts none;
    httpx__tls_config *cfg;
    const char *keylog = getenv("SSLKEYLOGFILE");
    httpx__err scratch;
    if (!e) e = &scratch;
    if (!o) { memset(&none, 0, sizeof none); o = &none; }
    cfg = (httpx__tls_config *)httpx__malloc(sizeof *cfg);
    if (!cfg) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"); return NULL; }
    memset(cfg, 0, sizeof *cfg);
    cfg->no_verify = o->no_verify;
    cfg->alpn[0] = "h2";
    cfg->alpn[1] = "http/1.1";
    if ((o->server_name && !(cfg->server_name = httpx__tls_strdup(o->server_name))) ||
        (keylog && *keylog && !(cfg->keylog = httpx__tls_strdup(keylog)))) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!cfg->no_verify) {
        /* ca_file and ca_pem replace the system store; both may be given. */
        if (o->ca_file && httpx__tls_load_file(cfg, o->ca_file, e) < 0) goto fail;
        if (o->ca_pem && httpx__tls_load_pem(cfg, "tls.ca_pem", o->ca_pem, strlen(o->ca_pem), e) < 0) goto fail;
        if (!o->ca_file && !o->ca_pem) {
            if (!(cfg->store = httpx__tls_store_get(e))) goto fail;
            cfg->tas = cfg->store->tas;
            cfg->ntas = cfg->cap_tas = cfg->store->ntas;
        }
        if (cfg->ntas == 0) {
            httpx__fail(e, HTTPX_ERR_TLS, "no usable CA certificate in %s", o->ca_file ? o->ca_file : "tls.ca_pem");
            goto fail;
        }
        httpx__free(cfg->seen);
        cfg->seen = NULL;
        cfg->nseen = cfg->cap_seen = 0;
        if (cfg->cap_tas > cfg->ntas) {   /* the array grew by doubling: give back the rest */
            br_x509_trust_anchor *p = (br_x509_trust_anchor *)httpx__realloc(cfg->tas, cfg->ntas * sizeof *p);
            if (p) { cfg->tas = p; cfg->cap_tas = cfg->ntas; }
        }
    }
    if (!httpx__tls_load_client(cfg, o, e)) goto fail;
    return cfg;
fail:
    httpx__tls_config_free(cfg);
    return NULL;
}

HTTPX__PRIVATE httpx__tls_session *httpx__tls_session_find(httpx__tls_config *cfg, const char *key) {
    int i;
    for (i = 0; i < HTTPX__TLS_SESSIONS; i++)
        if (cfg->sessions[i].key && strcmp(cfg->sessions[i].key, key) == 0) return &cfg->sessions[i];
    return NULL;
}

HTTPX__PRIVATE void httpx__tls_session_store(httpx__tls_config *cfg, const char *key, const br_ssl_session_parameters *p) {
    httpx__tls_session *s = httpx__tls_session_find(cfg, key);
    int i;
    if (!s) {   /* a free slot, else the least recently used */
        s = &cfg->sessions[0];
        for (i = 0; i < HTTPX__TLS_SESSIONS; i++) {
            if (!cfg->sessions[i].key) { s = &cfg->sessions[i]; break; }
            if (cfg->sessions[i].used < s->used) s = &cfg->sessions[i];
        }
        httpx__free(s->key);
        if (!(s->key = httpx__tls_strdup(key))) return;   /* no memory: simply not cached */
    }
    s->params = *p;
    s->used = ++cfg->tick;
}

#endif /* HTTPX_BEARSSL */
