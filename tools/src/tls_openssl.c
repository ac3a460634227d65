/* tls_openssl: the TLS interface of tls_internal.h over OpenSSL 3, chosen
   with HTTPX_OPENSSL instead of HTTPX_BEARSSL (link -lssl -lcrypto). It
   brings TLS 1.3 (BearSSL stops at 1.2). The SSL object talks to two memory
   BIOs, never to a socket: we move its records to and from the stream below
   ourselves, so TLS runs over anything httpx__stream is (a socket, a CONNECT
   or SOCKS tunnel), nonblocking, as tls.c does with BearSSL.
   OpenSSL allocates through its own allocator, not httpx's hooks (its
   CRYPTO_set_mem_functions is process-wide and must come before any other
   OpenSSL use: an application that wants it calls it itself). */
#include "internal.h"
#include "net_internal.h"
#include "tls_internal.h"

#if defined(HTTPX_OPENSSL) && defined(HTTPX_BEARSSL)
#error "define one TLS backend: HTTPX_BEARSSL or HTTPX_OPENSSL, not both"
#endif

#ifdef HTTPX_OPENSSL
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#define HTTPX__OSSL_SESSIONS 32     /* cached sessions per client (host:port), as with BearSSL */
#define HTTPX__OSSL_CHUNK 16709     /* one full TLS record: what we move per step */

typedef struct httpx__ossl_session {
    char *key;                      /* "host:port"; NULL: a free slot */
    unsigned long used;
    SSL_SESSION *sess;
} httpx__ossl_session;

struct httpx__tls_config {
    SSL_CTX *ctx;
    char *server_name;              /* the override, or NULL */
    char *keylog;                   /* SSLKEYLOGFILE, or NULL */
    unsigned long tick;
    httpx__ossl_session sessions[HTTPX__OSSL_SESSIONS];
};

/* Where SSL_get_ex_data keeps our connection, for the callbacks. */
static int httpx__ossl_index = -1;

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    (void)e;
    return HTTPX_OK;
}

/* OpenSSL 3 sets itself up on first use (thread-safely); the index for our
   per-connection pointer is ours to get once, under the library's lock. */
static bool httpx__ossl_init(void) {
    if (!OPENSSL_init_ssl(0, NULL)) return false;
    bool ok;
    httpx__global_lock();   /* clients may be made on several threads */
    if (httpx__ossl_index < 0) httpx__ossl_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    ok = httpx__ossl_index >= 0;
    httpx__global_unlock();
    return ok;
}

/* OpenSSL's last error, as words, for messages (and clears the queue). */
static const char *httpx__ossl_reason(unsigned long *code) {
    unsigned long err = ERR_peek_last_error();
    const char *r = err ? ERR_reason_error_string(err) : NULL;
    if (code) *code = err;
    ERR_clear_error();
    return r ? r : "unknown error";
}

/* The system store is read by each client's context through OpenSSL's own
   default paths (SSL_CERT_FILE and SSL_CERT_DIR honoured; a directory is
   read lazily, certificate by certificate). There is nothing to share ahead
   of time: preload sets OpenSSL up and checks that a store can be found. */
HTTPX_API httpx_error httpx_tls_preload(void) {
    SSL_CTX *ctx;
    if (!httpx__ossl_init()) return HTTPX_ERR_TLS;
    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) { ERR_clear_error(); return HTTPX_ERR_NOMEM; }
    if (!SSL_CTX_set_default_verify_paths(ctx)) {
        SSL_CTX_free(ctx);
        ERR_clear_error();
        return HTTPX_ERR_TLS;
    }
    SSL_CTX_free(ctx);
    return HTTPX_OK;
}

static char *httpx__ossl_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = (char *)httpx__malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* ---- per client ---- */

static void httpx__ossl_keylog_cb(const SSL *ssl, const char *line) {
    httpx__tls_config *cfg = (httpx__tls_config *)SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    FILE *f;
    if (!cfg || !cfg->keylog) return;
    f = fopen(cfg->keylog, "a");
    if (!f) return;   /* a debugging aid: its failure does not fail the connection */
    fprintf(f, "%s\n", line);
    fclose(f);
}

static httpx__ossl_session *httpx__ossl_session_find(httpx__tls_config *cfg, const char *key) {
    int i;
    for (i = 0; i < HTTPX__OSSL_SESSIONS; i++)
        if (cfg->sessions[i].key && strcmp(cfg->sessions[i].key, key) == 0) return &cfg->sessions[i];
    return NULL;
}

typedef struct httpx__tls httpx__tls;
static const char *httpx__ossl_key_of(const SSL *ssl);

/* A new session (TLS 1.3: a ticket, which may come after the handshake):
   remembered per origin, in a free slot or the least recently used. Returns
   1: we keep the reference. */
static int httpx__ossl_new_session_cb(SSL *ssl, SSL_SESSION *sess) {
    httpx__tls_config *cfg = (httpx__tls_config *)SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    const char *key = httpx__ossl_key_of(ssl);
    httpx__ossl_session *s;
    int i;
    if (!cfg || !key || !SSL_SESSION_is_resumable(sess)) return 0;
    s = httpx__ossl_session_find(cfg, key);
    if (!s) {
        s = &cfg->sessions[0];
        for (i = 0; i < HTTPX__OSSL_SESSIONS; i++) {
            if (!cfg->sessions[i].key) { s = &cfg->sessions[i]; break; }
            if (cfg->sessions[i].used < s->used) s = &cfg->sessions[i];
        }
        httpx__free(s->key);
        if (s->sess) SSL_SESSION_free(s->sess);
        s->sess = NULL;
        if (!(s->key = httpx__ossl_strdup(key))) return 0;   /* no memory: simply not cached */
    }
    if (s->sess) SSL_SESSION_free(s->sess);
    s->sess = sess;
    s->used = ++cfg->tick;
    return 1;
}

HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg) {
    int i;
    if (!cfg) return;
    for (i = 0; i < HTTPX__OSSL_SESSIONS; i++) {
        httpx__free(cfg->sessions[i].key);
        if (cfg->sessions[i].sess) SSL_SESSION_free(cfg->sessions[i].sess);
    }
    if (cfg->ctx) SSL_CTX_free(cfg->ctx);
    httpx__free(cfg->server_name);
    httpx__free(cfg->keylog);
    httpx__free(cfg);
}

/* Every certificate of PEM text into the context's store; the count. */
static int httpx__ossl_load_ca_pem(SSL_CTX *ctx, const char *pem) {
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509_STORE *st = SSL_CTX_get_cert_store(ctx);
    X509 *x;
    int n = 0;
    if (!b) return -1;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_cert(st, x)) n++;
        X509_free(x);
    }
    BIO_free(b);
    ERR_clear_error();   /* the end of the text reads as an error */
    return n;
}

/* Certificates of one PEM file into the store: how many (0: none, or not
   readable). */
static int httpx__ossl_load_file(X509_STORE *st, const char *path) {
    int before = sk_X509_OBJECT_num(X509_STORE_get0_objects(st));
    X509_STORE_load_file(st, path);
    ERR_clear_error();
    return sk_X509_OBJECT_num(X509_STORE_get0_objects(st)) - before;
}

/* The system store. With SSL_CERT_FILE or SSL_CERT_DIR set, as BearSSL's
   backend reads them: the file, and every file of each directory of
   SSL_CERT_DIR (OpenSSL itself would look only for hashed names, by
   c_rehash, at verification time); none found is an error. Else OpenSSL's
   defaults (the distribution's bundle and directory). */
static bool httpx__ossl_load_system(SSL_CTX *ctx, httpx__err *e) {
    const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
    X509_STORE *st = SSL_CTX_get_cert_store(ctx);
    int n = 0;
    if (!(file && *file) && !(dir && *dir)) {
        if (SSL_CTX_set_default_verify_paths(ctx) == 1) return true;
        httpx__fail(e, HTTPX_ERR_TLS, "cannot load the system's CA certificates: %s", httpx__ossl_reason(NULL));
        return false;
    }
    if (file && *file) n += httpx__ossl_load_file(st, file);
    while (dir && *dir) {
        const char *end = strchr(dir, ':');
        size_t l = end ? (size_t)(end - dir) : strlen(dir);
        char path[1024];
        DIR *d;
        if (l > 0 && l < sizeof path) {
            memcpy(path, dir, l);
            path[l] = 0;
            if ((d = opendir(path)) != NULL) {
                struct dirent *de;
                long entries = 0;
                while (entries++ < 100000 && (de = readdir(d)) != NULL) {
                    char f[2048];
                    if (de->d_name[0] == '.') continue;
                    if ((size_t)snprintf(f, sizeof f, "%s/%s", path, de->d_name) >= sizeof f) continue;
                    n += httpx__ossl_load_file(st, f);
                }
                closedir(d);
            }
        }
        dir += l;
        if (*dir == ':') dir++;
    }
    if (n > 0) return true;
    httpx__fail(e, HTTPX_ERR_TLS, "no CA certificate found in SSL_CERT_FILE=%s SSL_CERT_DIR=%s",
                file ? file : "(unset)", getenv("SSL_CERT_DIR") ? getenv("SSL_CERT_DIR") : "(unset)");
    return false;
}

/* The client certificate chain and its key, from files or PEM text. */
static bool httpx__ossl_load_client(SSL_CTX *ctx, const httpx_tls_opts *o, httpx__err *e) {
    const char *what;
    if (!o->cert_file && !o->cert_pem && !o->key_file && !o->key_pem) return true;
    if (!(o->cert_file || o->cert_pem) || !(o->key_file || o->key_pem)) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "a client certificate needs both a certificate and its key "
                    "(tls.cert_file or cert_pem, and tls.key_file or key_pem)");
        return false;
    }
    if (o->cert_file) {
        what = o->cert_file;
        if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1) goto bad_cert;
    } else {
        BIO *b = BIO_new_mem_buf(o->cert_pem, -1);
        X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
        what = "tls.cert_pem";
        if (!x || SSL_CTX_use_certificate(ctx, x) != 1) { X509_free(x); BIO_free(b); goto bad_cert; }
        X509_free(x);
        while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
            if (SSL_CTX_add_extra_chain_cert(ctx, x) != 1) { X509_free(x); BIO_free(b); goto bad_cert; }
        BIO_free(b);
        ERR_clear_error();
    }
    if (o->key_file) {
        what = o->key_file;
        if (SSL_CTX_use_PrivateKey_file(ctx, o->key_file, SSL_FILETYPE_PEM) != 1) goto bad_key;
    } else {
        BIO *b = BIO_new_mem_buf(o->key_pem, -1);
        EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
        what = "tls.key_pem";
        if (!k || SSL_CTX_use_PrivateKey(ctx, k) != 1) { EVP_PKEY_free(k); goto bad_key; }
        EVP_PKEY_free(k);
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        httpx__fail(e, HTTPX_ERR_TLS, "the client key does not match the client certificate: %s",
                    httpx__ossl_reason(NULL));
        return false;
    }
    return true;
bad_cert:
    httpx__fail(e, HTTPX_ERR_TLS, "cannot use the client certificate %s: %s", what, httpx__ossl_reason(NULL));
    return false;
bad_key:
    httpx__fail(e, HTTPX_ERR_TLS, "cannot use the client key %s: no private key in it (%s)", what, httpx__ossl_reason(NULL));
    return false;
}

HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e) {
    httpx_tls_opts none;
    httpx__tls_config *cfg;
    const char *keylog = getenv("SSLKEYLOGFILE");
    httpx__err scratch;
    SSL_CTX *ctx;
    if (!e) e = &scratch;
    if (!o) { memset(&none, 0, sizeof none); o = &none; }
    if (!httpx__ossl_init()) { httpx__fail(e, HTTPX_ERR_TLS, "OpenSSL could not be initialised"); return NULL; }
    cfg = (httpx__tls_config *)httpx__malloc(sizeof *cfg);
    if (!cfg) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"); return NULL; }
    memset(cfg, 0, sizeof *cfg);
    if ((o->server_name && !(cfg->server_name = httpx__ossl_strdup(o->server_name))) ||
        (keylog && *keylog && !(cfg->keylog = httpx__ossl_strdup(keylog)))) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        goto fail;
    }
    ctx = cfg->ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory (SSL_CTX_new)"); ERR_clear_error(); goto fail; }
    SSL_CTX_set_app_data(ctx, cfg);
    /* TLS 1.2 and 1.3; in 1.2 only ECDHE with AEAD ciphers, as with BearSSL. */
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20");
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, httpx__ossl_new_session_cb);
    if (cfg->keylog) SSL_CTX_set_keylog_callback(ctx, httpx__ossl_keylog_cb);
    if (o->no_verify) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        /* ca_file and ca_pem replace the system store; both may be given. */
        if (o->ca_file) {
            FILE *f = fopen(o->ca_file, "rb");
            if (!f) {
                httpx__fail(e, HTTPX_ERR_TLS, "cannot read %s: %s", o->ca_file, strerror(errno));
                goto fail;
            }
            fclose(f);
            if (httpx__ossl_load_file(SSL_CTX_get_cert_store(ctx), o->ca_file) <= 0) {
                httpx__fail(e, HTTPX_ERR_TLS, "no usable CA certificate in %s (not valid PEM?)", o->ca_file);
                goto fail;
            }
        }
        if (o->ca_pem && httpx__ossl_load_ca_pem(ctx, o->ca_pem) <= 0) {
            httpx__fail(e, HTTPX_ERR_TLS, "no usable CA certificate in tls.ca_pem%s",
                        strstr(o->ca_pem, "-----BEGIN") ? ": not valid PEM" : "");
            goto fail;
        }
        if (!o->ca_file && !o->ca_pem && !httpx__ossl_load_system(ctx, e)) goto fail;
    }
    if (!httpx__ossl_load_client(ctx, o, e)) goto fail;
    return cfg;
fail:
    httpx__tls_config_free(cfg);
    return NULL;
}

/* ---- connections ---- */

struct httpx__tls {
    httpx__stream base;               /* first: a TLS connection is a stream */
    SSL *ssl;
    BIO *in, *out;                    /* network side: records from the server, records for it */
    httpx__tls_config *cfg;
    char *key;                        /* "host:port" of the session cache */
    char *name;                       /* the name checked, for messages */
    char setup[300];                  /* "TLS handshake with <name> not done" */
    char alpn[32];
    bool done, lower_ready, write_failed;
    bool failed;                      /* a TLS error: its session is not to be resumed */
    int write_errno;
    int sent_alert;                   /* the last alert we sent, +1 (0: none) */
    size_t out_len, out_off;          /* records taken from `out`, not yet sent below */
    unsigned char obuf[HTTPX__OSSL_CHUNK];
    unsigned char ibuf[HTTPX__OSSL_CHUNK];
};

static httpx__tls *httpx__tls_of(const httpx__stream *s) { return (httpx__tls *)(void *)(uintptr_t)s; }

static const char *httpx__ossl_key_of(const SSL *ssl) {
    httpx__tls *t = (httpx__tls *)SSL_get_ex_data(ssl, httpx__ossl_index);
    return t ? t->key : NULL;
}

/* Alerts we send, for messages (OpenSSL's error queue names the cause, the
   alert says what the server was told). */
static void httpx__ossl_info_cb(const SSL *ssl, int where, int ret) {
    httpx__tls *t = (httpx__tls *)SSL_get_ex_data(ssl, httpx__ossl_index);
    if (t && (where & SSL_CB_WRITE_ALERT) && (ret >> 8) == SSL3_AL_FATAL) t->sent_alert = (ret & 0xff) + 1;
}

static void httpx__tls_free(httpx__stream *s) {
    httpx__tls *t = httpx__tls_of(s);
    if (!t) return;
    httpx__stream_free(t->base.lower);
    /* SSL_free forgets the session of a connection that did not shut down
       with close_notify, as if it had failed; ours close without it (the
       pool drops idle ones), so a sound one says it did, and stays
       resumable in the cache. */
    if (t->ssl && t->done && !t->failed) SSL_set_shutdown(t->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    if (t->ssl) SSL_free(t->ssl);     /* frees both BIOs */
    httpx__free(t->key);
    httpx__free(t->name);
    memset(t, 0, sizeof *t);          /* plaintext does not linger in freed memory */
    httpx__free(t);
}

static long httpx__tls_send(httpx__stream *s, const void *p, size_t n, httpx__err *e);
static long httpx__tls_recv(httpx__stream *s, void *p, size_t n, httpx__err *e);
static size_t httpx__tls_pending(const httpx__stream *s);
static int httpx__tls_connect(httpx__stream *s, httpx__err *e);
static const char *httpx__tls_query(const httpx__stream *s, int fact);
static const httpx__stream_ops httpx__tls_ops = {
    httpx__tls_connect, httpx__tls_send, httpx__tls_recv, httpx__tls_pending, httpx__tls_query, httpx__tls_free
};

HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e) {
    static const unsigned char alpn_h2[] = "\x02h2\x08http/1.1";
    static const unsigned char alpn_h1[] = "\x08http/1.1";
    httpx__tls *t;
    const char *name;
    char keybuf[16], ip[64];
    size_t nl;
    bool is_ip = false;
    httpx__ossl_session *cached;
    httpx__err scratch;
    HTTPX_ASSERT(cfg && host && lower);
    if (!e) e = &scratch;
    name = cfg->server_name ? cfg->server_name : host;
    nl = strlen(name);
    t = (httpx__tls *)httpx__malloc(sizeof *t);
    if (!t) {
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->base.ops = &httpx__tls_ops;
    t->base.fd = lower->fd;
    t->base.lower = lower;
    t->cfg = cfg;
    snprintf(keybuf, sizeof keybuf, ":%d", port);
    if (nl > 1 && name[nl - 1] == '.') nl--;   /* "example.com." is "example.com" */
    t->name = (char *)httpx__malloc(nl + 1);
    t->key = (char *)httpx__malloc(nl + strlen(keybuf) + 1);
    if (!t->name || !t->key) goto nomem;
    memcpy(t->name, name, nl);
    t->name[nl] = 0;
    snprintf(t->setup, sizeof t->setup, "TLS handshake with %s not done", t->name);
    memcpy(t->key, t->name, nl);
    strcpy(t->key + nl, keybuf);

    t->ssl = SSL_new(cfg->ctx);
    t->in = BIO_new(BIO_s_mem());
    t->out = BIO_new(BIO_s_mem());
    if (!t->ssl || !t->in || !t->out) {
        if (!t->ssl) { BIO_free(t->in); BIO_free(t->out); t->in = t->out = NULL; }
        else if (!t->in || !t->out) { BIO_free(t->in); BIO_free(t->out); t->in = t->out = NULL; }
        goto nomem;
    }
    BIO_set_mem_eof_return(t->in, -1);     /* empty: "retry later", not end of file */
    BIO_set_mem_eof_return(t->out, -1);
    SSL_set_bio(t->ssl, t->in, t->out);
    SSL_set_ex_data(t->ssl, httpx__ossl_index, t);
    SSL_set_info_callback(t->ssl, httpx__ossl_info_cb);
    SSL_set_connect_state(t->ssl);
    if (SSL_set_alpn_protos(t->ssl, offer_h2 ? alpn_h2 : alpn_h1,
                            (unsigned)(offer_h2 ? sizeof alpn_h2 - 1 : sizeof alpn_h1 - 1)) != 0) goto nomem;
    /* An IP literal ("[v6]" too) is checked against the certificate's IP
       addresses and gets no SNI (RFC 6066 allows host names only). */
    if (nl + 1 < sizeof ip) {
        if (t->name[0] == '[' && nl > 2 && t->name[nl - 1] == ']') {
            memcpy(ip, t->name + 1, nl - 2);
            ip[nl - 2] = 0;
        } else {
            memcpy(ip, t->name, nl + 1);
        }
        if (strspn(ip, "0123456789abcdefABCDEF.:") == strlen(ip) && strchr(ip, '.') != strchr(ip, ':')) {
            X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);
            is_ip = X509_VERIFY_PARAM_set1_ip_asc(vp, ip) == 1;
        }
        ERR_clear_error();
    }
    if (!is_ip) {
        if (SSL_set1_host(t->ssl, t->name) != 1 || SSL_set_tlsext_host_name(t->ssl, t->name) != 1) {
            httpx__tls_free(&t->base);
            httpx__fail(e, HTTPX_ERR_TLS, "TLS set-up failed: bad server name %s", name);
            ERR_clear_error();
            return NULL;
        }
    }
    cached = httpx__ossl_session_find(cfg, t->key);
    if (cached && cached->sess) {
        SSL_set_session(t->ssl, cached->sess);
        cached->used = ++cfg->tick;
    }
    return &t->base;
nomem:
    httpx__tls_free(&t->base);
    ERR_clear_error();
    httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    return NULL;
}

/* A failed certificate check, in the words tls.c uses for BearSSL's. */
static int httpx__ossl_verify_fail(httpx__tls *t, long v, httpx__err *e) {
    const char *n = t->name;
    e->sys_errno = (int)v;
    switch (v) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: unknown CA (the certificate is self-signed "
                           "or its issuer is not in the trusted CA certificates)", n), HTTPX__BAD;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: the certificate has expired", n), HTTPX__BAD;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: the certificate is not yet valid", n), HTTPX__BAD;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed: host name mismatch (the certificate is not "
                           "valid for %s)", n), HTTPX__BAD;
    default:
        return httpx__fail(e, HTTPX_ERR_TLS, "certificate verify failed for %s: %s (OpenSSL verify error %ld)", n,
                           X509_verify_cert_error_string(v), v), HTTPX__BAD;
    }
}

/* SSL_ERROR_SSL: a sentence naming the cause, e->sys_errno = OpenSSL's
   reason code (or the verify error). */
static int httpx__ossl_fail(httpx__tls *t, httpx__err *e) {
    const char *n = t->name, *stage = t->done ? "connection" : "handshake";
    long v = SSL_get_verify_result(t->ssl);
    unsigned long code;
    const char *why;
    int reason;
    t->failed = true;
    if (!t->done && v != X509_V_OK) { ERR_clear_error(); return httpx__ossl_verify_fail(t, v, e); }
    why = httpx__ossl_reason(&code);
    reason = ERR_GET_REASON(code);
    e->sys_errno = reason;
    if (ERR_GET_LIB(code) == ERR_LIB_SSL && reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
        int a = reason - SSL_AD_REASON_OFFSET;
        return httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: the server sent alert %d (%s)%s", stage, n, a,
                           httpx__tls_alert_name(a),
                           a == 40 || a == 71 || a == 70 ? ": no cipher suite or version in common (TLS 1.2 and 1.3 offered)"
                           : a == 116 || a == 42 || a == 48 ? ": it wants a client certificate it trusts" : ""), HTTPX__BAD;
    }
    if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
        (reason == SSL_R_UNSUPPORTED_PROTOCOL || reason == SSL_R_WRONG_VERSION_NUMBER ||
         reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION))
        return httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server speaks neither TLS 1.2 nor 1.3 "
                           "(%s)", n, why), HTTPX__BAD;
    if (t->sent_alert)
        return httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: %s; we sent alert %d (%s)", stage, n, why,
                           t->sent_alert - 1, httpx__tls_alert_name(t->sent_alert - 1)), HTTPX__BAD;
    return httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: %s", stage, n, why), HTTPX__BAD;
}

/* ---- moving records ---- */

/* Sends the records OpenSSL wrote, until they are gone or the stream below
   would block: 1 all sent, HTTPX__AGAIN, HTTPX__BAD. After a write error
   the records are dropped (the reader may still have something to read). */
static int httpx__tls_flush(httpx__tls *t, httpx__err *e) {
    for (;;) {
        long w;
        if (t->out_off == t->out_len) {
            int r = BIO_read(t->out, t->obuf, (int)sizeof t->obuf);
            t->out_off = t->out_len = 0;
            if (r <= 0) return 1;
            t->out_len = (size_t)r;
        }
        if (t->write_failed) { t->out_off = t->out_len; continue; }
        w = httpx__stream_send(t->base.lower, t->obuf + t->out_off, t->out_len - t->out_off, e);
        if (w == HTTPX__AGAIN) return HTTPX__AGAIN;
        if (w == HTTPX__BAD) {
            t->write_failed = true;
            t->write_errno = e->sys_errno;
            return HTTPX__BAD;
        }
        t->out_off += (size_t)w;
    }
}

static bool httpx__tls_out_pending(const httpx__tls *t) {
    return t->out_off < t->out_len || BIO_ctrl_pending(t->out) > 0;
}

/* Receives records once, into OpenSSL's input: >0, 0 end of file,
   HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__tls_pull(httpx__tls *t, httpx__err *e) {
    long r = httpx__stream_recv(t->base.lower, t->ibuf, sizeof t->ibuf, e);
    if (r > 0 && BIO_write(t->in, t->ibuf, (int)r) != (int)r) {
        ERR_clear_error();
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for TLS records from %s", t->name), HTTPX__BAD;
    }
    return r;
}

static void httpx__tls_finish(httpx__tls *t) {
    const unsigned char *p = NULL;
    unsigned n = 0;
    t->done = true;
    SSL_get0_alpn_selected(t->ssl, &p, &n);
    if (p && n < sizeof t->alpn) { memcpy(t->alpn, p, n); t->alpn[n] = 0; }
}

/* The handshake, over a lower stream that is set up: 1 done, HTTPX__AGAIN
   (s->want set), HTTPX__BAD. */
static int httpx__tls_handshake(httpx__stream *s, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    if (t->done) return 1;
    for (;;) {
        int rc, err, f;
        long r;
        ERR_clear_error();
        rc = SSL_do_handshake(t->ssl);
        err = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(t->ssl, rc);
        f = httpx__tls_flush(t, e);
        if (err == SSL_ERROR_SSL) {
            /* What we could not send (an alert) does not hide the cause. */
            return httpx__ossl_fail(t, e);
        }
        if (f == HTTPX__BAD) {
            int se = e->sys_errno;
            /* The server may have said why before it went: an alert. */
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            if (httpx__tls_pull(t, &ignore) > 0) {
                ERR_clear_error();
                if (SSL_do_handshake(t->ssl) <= 0 && SSL_get_error(t->ssl, -1) == SSL_ERROR_SSL) return httpx__ossl_fail(t, e);
            }
            e->sys_errno = se;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server closed the connection (%s)",
                        t->name, strerror(se));
            return HTTPX__BAD;
        }
        if (rc == 1) {
            httpx__tls_finish(t);   /* records still queued go out with send() and recv() */
            return 1;
        }
        /* Our records first: the server answers only what it got. */
        if (f == HTTPX__AGAIN) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
        if (err != SSL_ERROR_WANT_READ) {
            ERR_clear_error();
            e->sys_errno = err;
            return httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: unexpected OpenSSL state %d", t->name, err),
                   HTTPX__BAD;
        }
        r = httpx__tls_pull(t, e);
        if (r > 0) continue;
        if (r == HTTPX__AGAIN) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
        if (r == 0) {
            e->sys_errno = 0;
            httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: the server closed the connection during the "
                        "handshake (is it a TLS server?)", t->name);
            return HTTPX__BAD;
        }
        {   /* a reset: keep the socket's message, say where it happened */
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            httpx__fail(e, HTTPX_ERR_TLS, "TLS handshake with %s failed: %s", t->name, msg);
        }
        return HTTPX__BAD;
    }
}

/* Encrypts and sends: >0 bytes taken. New plaintext is taken only once the
   previous records went out, so what waits here stays within one write. */
static long httpx__tls_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    int f, w;
    if (t->write_failed) {
        e->sys_errno = t->write_errno;
        return httpx__fail(e, HTTPX_ERR_WRITE, "send failed: %s", strerror(t->write_errno)), HTTPX__BAD;
    }
    f = httpx__tls_flush(t, e);
    if (f == HTTPX__BAD) return HTTPX__BAD;
    if (f == HTTPX__AGAIN) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
    if (n > 16384) n = 16384;
    ERR_clear_error();
    w = SSL_write(t->ssl, p, (int)n);
    if (w <= 0) {
        int err = SSL_get_error(t->ssl, w);
        if (err == SSL_ERROR_SSL) return httpx__ossl_fail(t, e);
        if (err == SSL_ERROR_ZERO_RETURN)
            return httpx__fail(e, HTTPX_ERR_WRITE, "the server closed the TLS connection to %s", t->name), HTTPX__BAD;
        ERR_clear_error();
        return httpx__fail(e, HTTPX_ERR_WRITE, "TLS send to %s failed (OpenSSL state %d)", t->name, err), HTTPX__BAD;
    }
    if (httpx__tls_flush(t, e) == HTTPX__BAD) return HTTPX__BAD;
    return w;
}

/* Receives and decrypts: >0 bytes, 0 the server closed cleanly
   (close_notify), HTTPX__AGAIN (it also flushes pending records),
   HTTPX__BAD. A close without close_notify is HTTPX__BAD (truncation). */
static long httpx__tls_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    int cap = n > 0x40000000 ? 0x40000000 : (int)n;
    for (;;) {
        int r, err;
        long got;
        httpx__err ignore;
        ERR_clear_error();
        r = SSL_read(t->ssl, p, cap);
        err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(t->ssl, r);
        /* A write error while reading is not the reader's error (tls.c's rule). */
        memset(&ignore, 0, sizeof ignore);
        httpx__tls_flush(t, &ignore);
        if (r > 0) return r;
        if (err == SSL_ERROR_ZERO_RETURN) return 0;                      /* close_notify */
        if (err == SSL_ERROR_SSL) return httpx__ossl_fail(t, e);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
            ERR_clear_error();
            return httpx__fail(e, HTTPX_ERR_TLS, "TLS receive from %s failed (OpenSSL state %d)", t->name, err), HTTPX__BAD;
        }
        got = httpx__tls_pull(t, e);
        if (got > 0) continue;
        if (got == HTTPX__AGAIN) {
            s->want = (short)(t->base.lower->want | (httpx__tls_out_pending(t) ? POLLOUT : 0));
            return HTTPX__AGAIN;
        }
        if (got == 0) {
            e->sys_errno = 0;
            httpx__fail(e, HTTPX_ERR_TLS, "the server at %s closed the connection without a TLS close_notify: "
                        "the data may be truncated", t->name);
        }
        return HTTPX__BAD;
    }
}

/* Bytes inside: decrypted ones, and received records not yet opened (a
   poll() of the socket would not report either). */
static size_t httpx__tls_pending(const httpx__stream *s) {
    httpx__tls *t = httpx__tls_of(s);
    if (!t || !t->ssl || !t->done) return 0;
    return (size_t)SSL_pending(t->ssl) + BIO_ctrl_pending(t->in);
}

/* The set-up step of the stack: the stream below first, then the handshake. */
static int httpx__tls_connect(httpx__stream *s, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
    httpx__err scratch;
    if (!e) e = &scratch;
    if (!t->lower_ready) {
        int rc = httpx__stream_connect(s->lower, e);
        s->fd = s->lower->fd;     /* the socket below may change while it tries addresses */
        if (rc != 1) {
            s->want = s->lower->want;
            s->deadline = s->lower->deadline;
            return rc;
        }
        t->lower_ready = true;
        s->deadline = 0;          /* the handshake is timed by the connection's budget */
    }
    return httpx__tls_handshake(s, e);
}

static const char *httpx__tls_query(const httpx__stream *s, int fact) {
    const httpx__tls *t = httpx__tls_of(s);
    switch (fact) {
    case HTTPX__FACT_ALPN: return t->done ? t->alpn : NULL;
    case HTTPX__FACT_TLS_VERSION: return t->done ? SSL_get_version(t->ssl) : NULL;
    case HTTPX__FACT_TLS_CIPHER: return t->done ? SSL_get_cipher_name(t->ssl) : NULL;
    case HTTPX__FACT_SETUP: return t->lower_ready && !t->done ? t->setup : NULL;
    default: return NULL;
    }
}

#endif /* HTTPX_OPENSSL */
