/* tls: the internal TLS interface. Without HTTPX_BEARSSL every https URL
   fails before anything is sent, with a message that says how to enable TLS. */
#include "internal.h"

#ifndef HTTPX_BEARSSL

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL,
                       "https needs TLS: compile with -DHTTPX_BEARSSL and link -lbearssl");
}
HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e) {
    (void)o;
    httpx__tls_available(e);
    return NULL;
}
HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg) { (void)cfg; }
HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e) {
    (void)cfg; (void)host; (void)port; (void)offer_h2;
    httpx__stream_free(lower);
    httpx__tls_available(e);
    return NULL;
}
HTTPX__PRIVATE int httpx__tls_handshake(httpx__stream *s, httpx__err *e) {
    (void)s;
    httpx__tls_available(e);
    return HTTPX__BAD;
}
HTTPX__PRIVATE const char *httpx__tls_alpn(const httpx__stream *s) { (void)s; return ""; }

#else /* HTTPX_BEARSSL: the BearSSL backend */

#include <bearssl.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Buffer sizes, the bulk of the memory of a TLS connection.
   Input: a full record (16 KiB of plaintext plus header, MAC and padding).
   A full record must fit: we do not ask the server for smaller records
   (max_fragment_length, see httpx__tls_new), since servers that ignore the
   extension would break a smaller buffer, and those that honour it (OpenSSL)
   would send four times as many records.
   Output: our own records can be any size, so we choose 4 KiB of plaintext
   per record: a request head fits in one record, and an upload costs 85 bytes
   of framing per 4 KiB (about 2%) and four times as many send() calls as with
   16 KiB records, in exchange for 12 KiB less per connection, idle ones
   included. Total: 16709 + 4181 = 20890 bytes of buffers a connection. */
#define HTTPX__TLS_IBUF BR_SSL_BUFSIZE_INPUT
#define HTTPX__TLS_OBUF (4096 + 85)
#define HTTPX__TLS_SESSIONS 32           /* cached sessions per client (host:port) */
#define HTTPX__TLS_MAX_EE (64 * 1024)    /* largest end-entity certificate kept for the IP check */
/* SSL_CERT_DIR bounds: certificate files read (all directories together),
   entries looked at per directory, and the size of a file still read. */
#define HTTPX__TLS_DIR_FILES 4096
#define HTTPX__TLS_DIR_ENTRIES 65536
#define HTTPX__TLS_DIR_FILE_MAX (16L * 1024 * 1024)

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    (void)e;
    return HTTPX_OK;
}

/* ---- configuration: trust anchors, client certificate, session cache ---- */

typedef struct httpx__tls_session {
    char *key;                        /* "host:port"; NULL: a free slot */
    unsigned long used;               /* for least-recently-used replacement */
    br_ssl_session_parameters params;
} httpx__tls_session;

struct httpx__tls_config {
    br_x509_trust_anchor *tas;        /* each dn.data is one allocation holding the key too */
    size_t ntas, cap_tas;
    br_x509_certificate *chain;       /* client certificate chain, DER */
    size_t nchain;
    br_skey_decoder_context *skey;    /* its private key; NULL: no client certificate */
    bool no_verify;
    char *server_name;                /* the override, or NULL */
    char *keylog;                     /* SSLKEYLOGFILE, or NULL */
    const char *alpn[2];              /* "h2", "http/1.1" */
    unsigned long tick;
    httpx__tls_session sessions[HTTPX__TLS_SESSIONS];
};

/* Collects bytes from BearSSL's decoders into a growable buffer. */
typedef struct httpx__tls_sink { httpx__buf b; bool oom; } httpx__tls_sink;
static void httpx__tls_sink_cb(void *ctx, const void *p, size_t n) {
    httpx__tls_sink *s = (httpx__tls_sink *)ctx;
    if (!s->oom && !httpx__buf_append(&s->b, p, n)) s->oom = true;
}

/* Calls fn for each object of a PEM text. Returns the number of objects, or
   -1 when the text is not PEM (e filled) or fn failed (fn fills e). */
typedef int (*httpx__pem_fn)(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e);
static int httpx__pem_each(const char *what, const char *data, size_t len, httpx__pem_fn fn, void *ctx, httpx__err *e) {
    br_pem_decoder_context pc;
    httpx__tls_sink der;
    char name[128];
    size_t pos = 0;
    int count = 0, in_obj = 0;
    memset(&der, 0, sizeof der);
    name[0] = 0;
    br_pem_decoder_init(&pc);
    while (pos <= len) {   /* one more byte than the text: a final newline */
        const char *src = pos < len ? data + pos : "\n";
        size_t n = pos < len ? len - pos : 1;
        pos += br_pem_decoder_push(&pc, src, n);
        switch (br_pem_decoder_event(&pc)) {
        case BR_PEM_BEGIN_OBJ:
            snprintf(name, sizeof name, "%s", br_pem_decoder_name(&pc));
            der.b.len = 0;
            br_pem_decoder_setdest(&pc, httpx__tls_sink_cb, &der);
            in_obj = 1;
            break;
        case BR_PEM_END_OBJ:
            if (!in_obj) break;
            in_obj = 0;
            if (der.oom) { httpx__buf_free(&der.b); httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory reading %s", what); return HTTPX__BAD; }
            if (fn(ctx, name, (const unsigned char *)der.b.p, der.b.len, e) != 0) { httpx__buf_free(&der.b); return HTTPX__BAD; }
            count++;
            break;
        case BR_PEM_ERROR:
            httpx__buf_free(&der.b);
            httpx__fail(e, HTTPX_ERR_TLS, "%s is not valid PEM", what);
            return HTTPX__BAD;
        default:
            break;
        }
    }
    httpx__buf_free(&der.b);
    if (in_obj) { httpx__fail(e, HTTPX_ERR_TLS, "%s ends inside a PEM object (no END line)", what); return HTTPX__BAD; }
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

/* Whether an anchor with this name, key and CA flag is loaded already. */
static bool httpx__tls_have_anchor(const httpx__tls_config *cfg, br_x509_decoder_context *dc,
                                   const unsigned char *dn, size_t dn_len, const br_x509_pkey *pk) {
    unsigned flags = br_x509_decoder_isCA(dc) ? BR_X509_TA_CA : 0;
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

/* One certificate of a CA bundle: becomes a trust anchor (a CA one when its
   Basic Constraints say so; a non-CA certificate is trusted directly, which
   pins that one server certificate). Certificates BearSSL cannot decode
   (unsupported key types) are skipped. */
static int httpx__tls_add_anchor(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_config *cfg = (httpx__tls_config *)ctx;
    br_x509_decoder_context dc;
    httpx__tls_sink dn;
    const br_x509_pkey *pk;
    br_x509_trust_anchor *ta;
    unsigned char *blob;
    size_t klen;
    if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "TRUSTED CERTIFICATE") != 0) return 0;
    memset(&dn, 0, sizeof dn);
    br_x509_decoder_init(&dc, httpx__tls_sink_cb, &dn);
    br_x509_decoder_push(&dc, der, len);
    pk = br_x509_decoder_get_pkey(&dc);
    if (dn.oom) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
    if (!pk || br_x509_decoder_last_error(&dc) != 0) { httpx__buf_free(&dn.b); return 0; }
    klen = pk->key_type == BR_KEYTYPE_RSA ? pk->key.rsa.nlen + pk->key.rsa.elen : pk->key.ec.qlen;
    if (httpx__tls_have_anchor(cfg, &dc, (const unsigned char *)dn.b.p, dn.b.len, pk)) {
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
    blob = (unsigned char *)httpx__malloc(dn.b.len + klen + 1);
    if (!blob) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
    ta = &cfg->tas[cfg->ntas++];
    memset(ta, 0, sizeof *ta);
    if (dn.b.len) memcpy(blob, dn.b.p, dn.b.len);
    ta->dn.data = blob;
    ta->dn.len = dn.b.len;
    ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
    ta->pkey.key_type = pk->key_type;
    if (pk->key_type == BR_KEYTYPE_RSA) {
        ta->pkey.key.rsa.n = blob + dn.b.len;
        memcpy(ta->pkey.key.rsa.n, pk->key.rsa.n, pk->key.rsa.nlen);
        ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
        ta->pkey.key.rsa.e = ta->pkey.key.rsa.n + pk->key.rsa.nlen;
        memcpy(ta->pkey.key.rsa.e, pk->key.rsa.e, pk->key.rsa.elen);
        ta->pkey.key.rsa.elen = pk->key.rsa.elen;
    } else {
        ta->pkey.key.ec.curve = pk->key.ec.curve;
        ta->pkey.key.ec.q = blob + dn.b.len;
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

/* Files of SSL_CERT_DIR: which were read already (by device and inode, so
   that a hash link, the file it points to and the SSL_CERT_FILE bundle are
   read once), and how many. */
typedef struct httpx__tls_file_id { dev_t dev; ino_t ino; } httpx__tls_file_id;
typedef struct httpx__tls_files {
    httpx__tls_file_id *ids;
    size_t n, cap;
} httpx__tls_files;

/* 1: seen before; 0: now recorded; -1: out of memory. */
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
    static const char *const bundles[] = {
        "/etc/ssl/certs/ca-certificates.crt",                 /* Debian, Ubuntu, Arch, Gentoo */
        "/etc/pki/tls/certs/ca-bundle.crt",                   /* Fedora, RHEL */
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  /* CentOS, RHEL 7 */
        "/etc/ssl/ca-bundle.pem",                             /* openSUSE */
        "/etc/pki/tls/cacert.pem",                            /* OpenELEC */
        "/etc/ssl/cert.pem",                                  /* Alpine, macOS, OpenBSD */
        "/usr/local/share/certs/ca-root-nss.crt",             /* FreeBSD */
        "/usr/local/etc/ssl/cert.pem",                        /* FreeBSD ports */
        NULL
    };
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
    int n = -1;
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
    for (i = 0; i < cfg->ntas; i++) httpx__free(cfg->tas[i].dn.data);
    httpx__free(cfg->tas);
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
    if ((o->server_name && !(cfg->server_name = httpx__strdup(o->server_name))) ||
        (keylog && *keylog && !(cfg->keylog = httpx__strdup(keylog)))) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!cfg->no_verify) {
        /* ca_file and ca_pem replace the system store; both may be given. */
        if (o->ca_file && httpx__tls_load_file(cfg, o->ca_file, e) < 0) goto fail;
        if (o->ca_pem && httpx__tls_load_pem(cfg, "tls.ca_pem", o->ca_pem, strlen(o->ca_pem), e) < 0) goto fail;
        if (!o->ca_file && !o->ca_pem && !httpx__tls_load_system(cfg, e)) goto fail;
        if (cfg->ntas == 0) {
            httpx__fail(e, HTTPX_ERR_TLS, "no usable CA certificate in %s", o->ca_file ? o->ca_file : "tls.ca_pem");
            goto fail;
        }
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

static httpx__tls_session *httpx__tls_session_find(httpx__tls_config *cfg, const char *key) {
    int i;
    for (i = 0; i < HTTPX__TLS_SESSIONS; i++)
        if (cfg->sessions[i].key && strcmp(cfg->sessions[i].key, key) == 0) return &cfg->sessions[i];
    return NULL;
}

static void httpx__tls_session_store(httpx__tls_config *cfg, const char *key, const br_ssl_session_parameters *p) {
    httpx__tls_session *s = httpx__tls_session_find(cfg, key);
    int i;
    if (!s) {   /* a free slot, else the least recently used */
        s = &cfg->sessions[0];
        for (i = 0; i < HTTPX__TLS_SESSIONS; i++) {
            if (!cfg->sessions[i].key) { s = &cfg->sessions[i]; break; }
            if (cfg->sessions[i].used < s->used) s = &cfg->sessions[i];
        }
        httpx__free(s->key);
        if (!(s->key = httpx__strdup(key))) return;   /* no memory: simply not cached */
    }
    s->params = *p;
    s->used = ++cfg->tick;
}

/* ---- certificate checks: BearSSL's minimal X.509 engine, plus ours ----
   A wrapper around br_x509_minimal: it also decodes the end-entity
   certificate on the side (its dates, to tell "expired" from "not yet
   valid"; its key, when verification is off) and keeps its DER when the host
   is an IP literal, because the minimal engine matches DNS names only. */

typedef struct httpx__x509 {
    const br_x509_class *vtable;      /* first: BearSSL passes &vtable around */
    br_x509_minimal_context minimal;
    br_x509_decoder_context ee;
    httpx__buf der;                   /* the end-entity certificate, for IP literals */
    bool no_verify, want_der, der_too_big;
    unsigned char ip[16];
    size_t ip_len;                    /* 4 or 16 when the host is an IP literal, else 0 */
    uint32_t ncerts, days, secs;
    int expiry;                       /* after BR_ERR_X509_EXPIRED: 1 EE expired, 2 EE not yet valid */
} httpx__x509;

static httpx__x509 *httpx__x509_of(const br_x509_class *const *ctx) {
    return (httpx__x509 *)(void *)(uintptr_t)ctx;
}

static void httpx__x509_start_chain(const br_x509_class **ctx, const char *server_name) {
    httpx__x509 *x = httpx__x509_of(ctx);
    x->ncerts = 0;
    x->der.len = 0;
    x->der_too_big = false;
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
        if (x->want_der && !x->der_too_big &&
            (x->der.len + len > HTTPX__TLS_MAX_EE || !httpx__buf_append(&x->der, buf, len)))
            x->der_too_big = true;
    }
    if (!x->no_verify) x->minimal.vtable->append(&x->minimal.vtable, buf, len);
}

static void httpx__x509_end_cert(const br_x509_class **ctx) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (!x->no_verify) x->minimal.vtable->end_cert(&x->minimal.vtable);
    x->ncerts++;
}

/* One DER element at *p: its tag and contents. false when malformed. */
static bool httpx__der_next(const unsigned char **p, const unsigned char *end, unsigned *tag,
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

/* After the handshake the checker is freed and this one takes its place: it
   refuses any certificate. Renegotiation is off, so it is never called; it
   is there so that nothing could ever reach freed memory. */
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

/* ---- connections ---- */

typedef struct httpx__tls {
    httpx__stream base;               /* first: a TLS connection is a stream */
    httpx__stream *lower;             /* the stream the records travel on */
    br_ssl_client_context cc;
    httpx__x509 *x509;                /* during the handshake only */
    const br_x509_class *refuse;      /* the x509 context after it */
    httpx__tls_config *cfg;
    char *key;                        /* "host:port" of the session cache */
    char *name;                       /* the name checked, for messages */
    const char *alpn;
    bool done;                        /* handshake finished */
    bool write_failed;                /* the socket refused a write; later writes fail */
    int write_errno;
    unsigned char *ibuf, *obuf;       /* in the same allocation, after the struct */
} httpx__tls;

static httpx__tls *httpx__tls_of(const httpx__stream *s) { return (httpx__tls *)(void *)(uintptr_t)s; }

/* Cipher suites: ECDHE (forward secrecy) with AEAD ciphers only. AES-GCM
   first when the CPU has AES-NI and PCLMUL (BearSSL then uses them), else
   ChaCha20-Poly1305 first, which is faster and constant-time in software. */
static void httpx__tls_set_suites(br_ssl_engine_context *eng) {
    static const uint16_t aes_first[] = {
        BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    };
    static const uint16_t chacha_first[] = {
        BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    };
    bool hw = br_aes_x86ni_ctr_get_vtable() != NULL && br_ghash_pclmul_get() != 0;
    if (hw) br_ssl_engine_set_suites(eng, aes_first, sizeof aes_first / sizeof aes_first[0]);
    else br_ssl_engine_set_suites(eng, chacha_first, sizeof chacha_first / sizeof chacha_first[0]);
}

static void httpx__tls_free(httpx__stream *s) {
    httpx__tls *t = httpx__tls_of(s);
    if (!t) return;
    httpx__stream_free(t->lower);
    if (t->x509) {
        httpx__buf_free(&t->x509->der);
        httpx__free(t->x509);
    }
    httpx__free(t->key);
    httpx__free(t->name);
    memset(t, 0, sizeof *t);   /* keys and plaintext do not linger in freed memory */
    httpx__free(t);
}

static long httpx__tls_send(httpx__stream *s, const void *p, size_t n, httpx__err *e);
static long httpx__tls_recv(httpx__stream *s, void *p, size_t n, httpx__err *e);
static size_t httpx__tls_pending(const httpx__stream *s);
static const httpx__stream_ops httpx__tls_ops = { httpx__tls_send, httpx__tls_recv, httpx__tls_pending, httpx__tls_free };

HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e) {
    httpx__tls *t;
    httpx__x509 *x;
    br_ssl_engine_context *eng;
    httpx__tls_session *s;
    const char *name = cfg->server_name ? cfg->server_name : host;
    char bare[64], keybuf[16];
    size_t nl = strlen(name);
    time_t now = time(NULL);
    httpx__err scratch;
    if (!e) e = &scratch;

    t = (httpx__tls *)httpx__malloc(sizeof *t + HTTPX__TLS_IBUF + HTTPX__TLS_OBUF);
    x = (httpx__x509 *)httpx__malloc(sizeof *x);
    if (!t || !x) {
        httpx__free(t);
        httpx__free(x);
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(t, 0, sizeof *t);
    memset(x, 0, sizeof *x);
    t->base.ops = &httpx__tls_ops;
    t->base.fd = lower->fd;
    t->lower = lower;
    t->x509 = x;
    t->cfg = cfg;
    t->alpn = "";
    t->ibuf = (unsigned char *)(t + 1);
    t->obuf = t->ibuf + HTTPX__TLS_IBUF;
    t->refuse = &httpx__x509_refuse_vtable;
    snprintf(keybuf, sizeof keybuf, ":%d", port);
    /* "example.com." is "example.com" for SNI and the certificate. */
    if (nl > 1 && name[nl - 1] == '.') nl--;
    t->name = (char *)httpx__malloc(nl + 1);
    t->key = (char *)httpx__malloc(nl + strlen(keybuf) + 1);
    if (!t->name || !t->key) {
        httpx__tls_free(&t->base);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(t->name, name, nl);
    t->name[nl] = 0;
    name = t->name;
    memcpy(t->key, name, nl);
    strcpy(t->key + nl, keybuf);

    /* An IP literal ("[::1]" too) is checked against the certificate's IP
       addresses by us, and gets no SNI (RFC 6066 allows host names only). */
    if (name[0] == '[' && nl >= 2 && nl - 2 < sizeof bare && name[nl - 1] == ']') {
        memcpy(bare, name + 1, nl - 2);
        bare[nl - 2] = 0;
    } else {
        snprintf(bare, sizeof bare, "%s", nl < sizeof bare ? name : "");
    }
    if (inet_pton(AF_INET, bare, x->ip) == 1) x->ip_len = 4;
    else if (inet_pton(AF_INET6, bare, x->ip) == 1) x->ip_len = 16;

    eng = &t->cc.eng;
    br_ssl_client_init_full(&t->cc, &x->minimal, cfg->tas, cfg->ntas);
    x->vtable = &httpx__x509_vtable;
    x->no_verify = cfg->no_verify;
    x->want_der = x->ip_len != 0 && !cfg->no_verify;
    /* The real clock (BearSSL's own choice would be the same, made explicit). */
    x->days = (uint32_t)((unsigned long long)now / 86400u + 719528u);   /* 0000-01-01 to 1970-01-01 */
    x->secs = (uint32_t)((unsigned long long)now % 86400u);
    br_x509_minimal_set_time(&x->minimal, x->days, x->secs);
    br_ssl_engine_set_x509(eng, &x->vtable);
    br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
    httpx__tls_set_suites(eng);
    br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION);
    br_ssl_engine_set_protocol_names(eng, offer_h2 ? cfg->alpn : cfg->alpn + 1, offer_h2 ? 2 : 1);
    br_ssl_engine_set_buffers_bidi(eng, t->ibuf, HTTPX__TLS_IBUF, t->obuf, HTTPX__TLS_OBUF);
    /* BearSSL takes the smaller buffer for the max_fragment_length extension
       (RFC 6066) it asks of the server: with our 4 KiB output buffer, 4 KiB.
       OpenSSL servers (nginx) honour it and send four times as many records
       (and we receive with four times as many recv() calls). Our input buffer
       holds a full record, so we ask for nothing: the field only decides the
       extension; our own records stay within max_frag_len (4 KiB). */
    eng->log_max_frag_len = 14;
    if (cfg->skey) {
        if (br_skey_decoder_key_type(cfg->skey) == BR_KEYTYPE_RSA)
            br_ssl_client_set_single_rsa(&t->cc, cfg->chain, cfg->nchain, br_skey_decoder_get_rsa(cfg->skey),
                                         br_rsa_pkcs1_sign_get_default());
        else
            br_ssl_client_set_single_ec(&t->cc, cfg->chain, cfg->nchain, br_skey_decoder_get_ec(cfg->skey),
                                        BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, br_ec_get_default(),
                                        br_ecdsa_sign_asn1_get_default());
    }
    s = httpx__tls_session_find(cfg, t->key);
    if (s) {
        br_ssl_engine_set_session_parameters(eng, &s->params);
        s->used = ++cfg->tick;
    }
    if (!br_ssl_client_reset(&t->cc, x->ip_len ? NULL : name, s != NULL)) {
        int err = br_ssl_engine_last_error(eng);
        httpx__tls_free(&t->base);
        e->sys_errno = err;
        httpx__fail(e, HTTPX_ERR_TLS, "TLS set-up failed (BearSSL error %d)%s", err,
                    err == BR_ERR_NO_RANDOM ? ": no random source" : err == BR_ERR_BAD_PARAM ? ": bad server name" : "");
        return NULL;
    }
    return &t->base;
}

/* ---- errors ---- */

static const char *httpx__tls_alert_name(int a) {
    switch (a) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "unknown alert";
    }
}

/* The engine closed: a sentence naming the cause, e->sys_errno = the error. */
static int httpx__tls_fail(httpx__tls *t, httpx__err *e) {
    int err = br_ssl_engine_last_error(&t->cc.eng);
    const char *n = t->name;
    e->sys_errno = err;
    switch (err) {
    case BR_ERR_X509_NOT_TRUSTED:
        httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: unknown CA (the certificate is self-signed "
                    "or its issuer is not in the trusted CA certificates)", n);
        break;
    case BR_ERR_X509_EXPIRED: {
        int k = t->x509 ? t->x509->expiry : 0;
        httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: %s", n,
                    k == 1 ? "the certificate has expired" : k == 2 ? "the certificate is not yet valid"
                    : "a certificate of the chain has expired or is not yet valid");
        break;
    }
    case BR_ERR_X509_BAD_SERVER_NAME:
        httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed: host name mismatch (the certificate is not valid for %s)", n);
        break;
    case BR_ERR_X509_NOT_CA:
    case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
    case BR_ERR_X509_CRITICAL_EXTENSION:
    case BR_ERR_X509_WEAK_PUBLIC_KEY:
    case BR_ERR_X509_BAD_SIGNATURE:
    case BR_ERR_X509_UNSUPPORTED:
    case BR_ERR_X509_DN_MISMATCH:
        httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: %s (BearSSL error %d)", n,
                    err == BR_ERR_X509_NOT_CA ? "an issuer is not a CA"
                    : err == BR_ERR_X509_FORBIDDEN_KEY_USAGE ? "the key usage does not allow TLS"
                    : err == BR_ERR_X509_CRITICAL_EXTENSION ? "an unknown critical extension"
                    : err == BR_ERR_X509_WEAK_PUBLIC_KEY ? "the key is too weak"
                    : err == BR_ERR_X509_BAD_SIGNATURE ? "a bad signature in the chain"
                    : err == BR_ERR_X509_DN_MISMATCH ? "the chain is out of order"
                    : "an unsupported algorithm", err);
        break;
    case BR_ERR_UNSUPPORTED_VERSION:
    case BR_ERR_BAD_VERSION:
        httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server does not speak TLS 1.2", n);
        break;
    case BR_ERR_BAD_CIPHER_SUITE:
        httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server chose a cipher suite we did not offer", n);
        break;
    case BR_ERR_IO:
        httpx__fail(e, HTTPX_ERR_TLS, "TLS connection to %s failed: the server closed the connection", n);
        break;
    default:
        if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256) {
            int a = err - BR_ERR_RECV_FATAL_ALERT;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: the server sent alert %d (%s)%s",
                        t->done ? "connection" : "handshake", n, a, httpx__tls_alert_name(a),
                        a == 40 || a == 71 ? ": no cipher suite or version in common (TLS 1.2 with ECDHE and AES-GCM or ChaCha20 offered)"
                        : a == 116 || a == 42 || a == 48 ? ": it wants a client certificate it trusts" : "");
        } else if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256) {
            int a = err - BR_ERR_SEND_FATAL_ALERT;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: we sent alert %d (%s)",
                        t->done ? "connection" : "handshake", n, a, httpx__tls_alert_name(a));
        } else if (err == BR_ERR_OK) {
            httpx__fail(e, HTTPX_ERR_TLS, "the TLS connection to %s is closed", n);
        } else if (err >= BR_ERR_X509_OK) {
            httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: the certificate could not be decoded (BearSSL error %d)", n, err);
        } else {
            httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: protocol error (BearSSL error %d)",
                        t->done ? "connection" : "handshake", n, err);
        }
    }
    return HTTPX__BAD;
}

/* ---- moving records ---- */

/* Sends pending records once. >0 progress, HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__tls_push(httpx__tls *t, httpx__err *e) {
    size_t len;
    unsigned char *buf = br_ssl_engine_sendrec_buf(&t->cc.eng, &len);
    long w;
    if (t->write_failed) {   /* the other side is gone: drop what cannot go out */
        br_ssl_engine_sendrec_ack(&t->cc.eng, len);
        return (long)len;
    }
    w = httpx__stream_send(t->lower, buf, len, e);
    if (w > 0) br_ssl_engine_sendrec_ack(&t->cc.eng, (size_t)w);
    if (w == HTTPX__BAD) { t->write_failed = true; t->write_errno = e->sys_errno; }
    return w;
}

/* Receives records once. >0 progress, 0 end of file, HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__tls_pull(httpx__tls *t, httpx__err *e) {
    size_t len;
    unsigned char *buf = br_ssl_engine_recvrec_buf(&t->cc.eng, &len);
    long r = httpx__stream_recv(t->lower, buf, len, e);
    if (r > 0) br_ssl_engine_recvrec_ack(&t->cc.eng, (size_t)r);
    return r;
}

/* Sends what the engine has, until the socket would block. */
static int httpx__tls_flush(httpx__tls *t, httpx__err *e) {
    while (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_SENDREC) {
        long w = httpx__tls_push(t, e);
        if (w == HTTPX__BAD) return HTTPX__BAD;
        if (w == HTTPX__AGAIN) break;
    }
    return 0;
}

static void httpx__tls_keylog(httpx__tls *t) {
    br_ssl_engine_context *eng = &t->cc.eng;
    char line[13 + 64 + 1 + 96 + 2];
    size_t i, n = 0;
    FILE *f;
    static const char hex[] = "0123456789abcdef";
    memcpy(line, "CLIENT_RANDOM ", 14);
    n = 14;
    for (i = 0; i < 32; i++) { line[n++] = hex[eng->client_random[i] >> 4]; line[n++] = hex[eng->client_random[i] & 15]; }
    line[n++] = ' ';
    for (i = 0; i < 48; i++) { line[n++] = hex[eng->session.master_secret[i] >> 4]; line[n++] = hex[eng->session.master_secret[i] & 15]; }
    line[n++] = '\n';
    f = fopen(t->cfg->keylog, "a");
    if (!f) return;   /* a debugging aid: its failure does not fail the connection */
    fwrite(line, 1, n, f);
    fclose(f);
    memset(line, 0, sizeof line);
}

static void httpx__tls_finish(httpx__tls *t) {
    br_ssl_engine_context *eng = &t->cc.eng;
    br_ssl_session_parameters sp;
    const char *p = br_ssl_engine_get_selected_protocol(eng);
    t->done = true;
    t->alpn = p ? p : "";
    br_ssl_engine_get_session_parameters(eng, &sp);
    httpx__tls_session_store(t->cfg, t->key, &sp);
    memset(&sp, 0, sizeof sp);
    if (t->cfg->keylog) httpx__tls_keylog(t);
    /* The certificate checker is needed no more (renegotiation is off). */
    br_ssl_engine_set_x509(eng, &t->refuse);
    httpx__buf_free(&t->x509->der);
    httpx__free(t->x509);
    t->x509 = NULL;
}

/* BearSSL reached a state our loop did not plan for: say so, do not spin. */
static int httpx__tls_bad_state(const httpx__tls *t, const char *where, unsigned st, httpx__err *e) {
    e->sys_errno = BR_ERR_BAD_STATE;
    httpx__fail(e, HTTPX_ERR_TLS, "%s %s: unexpected engine state %u", where, t->name, st);
    return HTTPX__BAD;
}

HTTPX__PRIVATE int httpx__tls_handshake(httpx__stream *s, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    br_ssl_engine_context *eng = &t->cc.eng;
    httpx__err scratch;
    if (!e) e = &scratch;
    if (t->done) return 1;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(eng);
        long r;
        if (st & BR_SSL_CLOSED) return httpx__tls_fail(t, e);
        if (st & BR_SSL_SENDREC) {
            r = httpx__tls_push(t, e);
            if (r == HTTPX__BAD) {
                int se = e->sys_errno;
                /* The server may have said why before it went: an alert. */
                if (st & BR_SSL_RECVREC) {
                    httpx__err ignore;
                    memset(&ignore, 0, sizeof ignore);
                    if (httpx__tls_pull(t, &ignore) > 0 &&
                        (br_ssl_engine_current_state(eng) & BR_SSL_CLOSED)) return httpx__tls_fail(t, e);
                }
                e->sys_errno = BR_ERR_IO;
                httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server closed the connection (%s)",
                            t->name, strerror(se));
                return HTTPX__BAD;
            }
            if (r > 0) continue;
            if (!(st & BR_SSL_SENDAPP)) { s->want = t->lower->want; return HTTPX__AGAIN; }
            /* Done, with our last record still queued: send() and recv() flush it. */
        }
        if (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP)) {
            httpx__tls_finish(t);
            return 1;
        }
        if (!(st & BR_SSL_RECVREC)) {
            return httpx__tls_bad_state(t, "TLS handshake with", st, e);
        }
        r = httpx__tls_pull(t, e);
        if (r > 0) continue;
        if (r == HTTPX__AGAIN) { s->want = t->lower->want; return HTTPX__AGAIN; }
        if (r == 0) {
            e->sys_errno = BR_ERR_IO;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server closed the connection during the "
                        "handshake (is it a TLS server? does it want TLS 1.2 with ECDHE?)", t->name);
            return HTTPX__BAD;
        }
        {   /* a reset: keep the socket's message, say where it happened */
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            e->sys_errno = BR_ERR_IO;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: %s", t->name, msg);
        }
        return HTTPX__BAD;
    }
}

/* Encrypts and sends: >0 bytes taken (flushed towards the stream below as
   far as it allows; the rest goes out on later send/recv calls). */
static long httpx__tls_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    br_ssl_engine_context *eng = &t->cc.eng;
    httpx__err scratch;
    if (!e) e = &scratch;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(eng);
        long r;
        if (t->write_failed) {
            e->sys_errno = t->write_errno;
            httpx__fail(e, HTTPX_ERR_WRITE, "send failed: %s", strerror(t->write_errno));
            return HTTPX__BAD;
        }
        if (st & BR_SSL_CLOSED) return httpx__tls_fail(t, e);
        if (st & BR_SSL_SENDAPP) {
            size_t len;
            unsigned char *buf = br_ssl_engine_sendapp_buf(eng, &len);
            if (len > n) len = n;
            memcpy(buf, p, len);
            br_ssl_engine_sendapp_ack(eng, len);
            br_ssl_engine_flush(eng, 0);
            if (httpx__tls_flush(t, e) == HTTPX__BAD) return HTTPX__BAD;
            return (long)len;
        }
        if (st & BR_SSL_SENDREC) {
            r = httpx__tls_push(t, e);
            if (r == HTTPX__BAD) return HTTPX__BAD;
            if (r > 0) continue;
            s->want = t->lower->want;
            return HTTPX__AGAIN;
        }
        if (st & BR_SSL_RECVREC) {
            r = httpx__tls_pull(t, e);
            if (r > 0) continue;
            if (r == HTTPX__AGAIN) { s->want = t->lower->want; return HTTPX__AGAIN; }
            if (r == 0) {
                e->sys_errno = BR_ERR_IO;
                httpx__fail(e, HTTPX_ERR_WRITE, "the server closed the TLS connection to %s", t->name);
            }
            return HTTPX__BAD;
        }
        /* Only received application data is waiting: in full-duplex mode
           that does not stop sending, so this does not happen. */
        return httpx__tls_bad_state(t, "TLS send to", st, e);
    }
}

/* Receives and decrypts: >0 bytes, 0 the server closed cleanly
   (close_notify), HTTPX__AGAIN (it also flushes pending outgoing records),
   HTTPX__BAD. A close without close_notify is HTTPX__BAD (truncation attack). */
static long httpx__tls_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    br_ssl_engine_context *eng = &t->cc.eng;
    httpx__err scratch;
    if (!e) e = &scratch;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(eng);
        long r;
        if (st & BR_SSL_RECVAPP) {
            size_t len;
            unsigned char *buf = br_ssl_engine_recvapp_buf(eng, &len);
            if (len > n) len = n;
            memcpy(p, buf, len);
            br_ssl_engine_recvapp_ack(eng, len);
            return (long)len;
        }
        if (st & BR_SSL_CLOSED) {
            if (br_ssl_engine_last_error(eng) == BR_ERR_OK) return 0;   /* close_notify */
            return httpx__tls_fail(t, e);
        }
        if (st & BR_SSL_SENDREC) {
            /* A write error while reading is not the reader's error: the
               records are dropped and reading goes on (httpx__tls_push). */
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            r = httpx__tls_push(t, &ignore);
            if (r != HTTPX__AGAIN) continue;
            if (!(st & BR_SSL_RECVREC)) { s->want = t->lower->want; return HTTPX__AGAIN; }
        }
        if (!(st & BR_SSL_RECVREC)) {
            return httpx__tls_bad_state(t, "TLS receive from", st, e);
        }
        r = httpx__tls_pull(t, e);
        if (r > 0) continue;
        if (r == HTTPX__AGAIN) {
            s->want = (short)(t->lower->want |
                              ((br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) ? POLLOUT : 0));
            return HTTPX__AGAIN;
        }
        if (r == 0) {
            e->sys_errno = BR_ERR_IO;
            httpx__fail(e, HTTPX_ERR_TLS, "the server at %s closed the connection without a TLS close_notify: "
                        "the data may be truncated", t->name);
        }
        return HTTPX__BAD;
    }
}

/* Decrypted bytes already buffered (poll would not report them). */
static size_t httpx__tls_pending(const httpx__stream *s) {
    httpx__tls *t = httpx__tls_of(s);
    size_t len = 0;
    if (t && (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_RECVAPP))
        br_ssl_engine_recvapp_buf(&t->cc.eng, &len);
    return len;
}

HTTPX__PRIVATE const char *httpx__tls_alpn(const httpx__stream *s) {
    return s && s->ops == &httpx__tls_ops ? httpx__tls_of(s)->alpn : "";
}

#endif
