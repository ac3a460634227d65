/* tls: the internal TLS interface, and the TLS stream over BearSSL: a TLS
   connection is an httpx__stream over a lower stream (a socket, a tunnel),
   driven without ever blocking. The configuration it uses is tls_config.c's,
   the certificate checks tls_x509.c's. Without HTTPX_BEARSSL every https URL
   fails before anything is sent, with a message that says how to enable TLS. */
#include "tls_private.h"
#include "net_internal.h"

#if !defined(HTTPX_BEARSSL) && !defined(HTTPX_OPENSSL)

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL,
                       "https needs TLS: compile with -DHTTPX_BEARSSL and link -lbearssl "
                       "(or -DHTTPX_OPENSSL and -lssl -lcrypto)");
}
HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e) {
    (void)o;
    httpx__tls_available(e);
    return NULL;
}
HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg) { (void)cfg; }
HTTPX_API httpx_error httpx_tls_preload(void) { return httpx__tls_available(NULL); }
HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e) {
    (void)cfg; (void)host; (void)port; (void)offer_h2;
    httpx__stream_free(lower);
    httpx__tls_available(e);
    return NULL;
}

#else /* both backends */

/* ---- errors ---- */

HTTPX__PRIVATE const char *httpx__tls_alert_name(int a) {
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

#endif

#if defined(HTTPX_BEARSSL) /* the BearSSL backend (HTTPX_OPENSSL: tls_openssl.c) */

#include <errno.h>
#include <stdio.h>

/* Buffer sizes, the bulk of the memory of a TLS connection.
   Input: a full record (16 KiB of plaintext plus header, MAC and padding).
   A full record must fit: we do not ask the server for smaller records
   (max_fragment_length, see httpx__tls_stream_new), since servers that ignore
   the extension would break a smaller buffer, and those that honour it
   (OpenSSL) would send four times as many records.
   Output: our own records can be any size, so we choose 4 KiB of plaintext
   per record: a request head fits in one record, and an upload costs 85 bytes
   of framing per 4 KiB (about 2%) and four times as many send() calls as with
   16 KiB records, in exchange for 12 KiB less per connection, idle ones
   included. Total: 16709 + 4181 = 20890 bytes of buffers a connection. */
#define HTTPX__TLS_IBUF BR_SSL_BUFSIZE_INPUT
#define HTTPX__TLS_OBUF (4096 + 85)

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    (void)e;
    return HTTPX_OK;
}

/* ---- connections ---- */

typedef struct httpx__tls {
    httpx__stream base;               /* first: a TLS connection is a stream */
    br_ssl_client_context cc;
    httpx__x509 *x509;                /* during the handshake only */
    const br_x509_class *refuse;      /* the x509 context after it */
    httpx__tls_config *cfg;
    char *key;                        /* "host:port" of the session cache */
    char *name;                       /* the name checked, for messages */
    char setup[300];                  /* "TLS handshake with <name> not done" */
    const char *alpn;
    bool done;                        /* handshake finished */
    bool lower_ready;                 /* the stream below is set up: the handshake runs */
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
    httpx__stream_free(t->base.lower);
    httpx__x509_free(t->x509);
    httpx__free(t->key);
    httpx__free(t->name);
    memset(t, 0, sizeof *t);   /* keys and plaintext do not linger in freed memory */
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
    httpx__tls *t;
    httpx__x509 *x;
    br_ssl_engine_context *eng;
    httpx__tls_session *s;
    const char *name;
    char keybuf[16];
    size_t nl;
    httpx__err scratch;
    HTTPX_ASSERT(cfg && host && lower);
    if (!e) e = &scratch;
    name = cfg->server_name ? cfg->server_name : host;
    nl = strlen(name);

    t = (httpx__tls *)httpx__malloc(sizeof *t + HTTPX__TLS_IBUF + HTTPX__TLS_OBUF);
    x = (httpx__x509 *)httpx__malloc(sizeof *x);
    if (!t || !x) {
        httpx__free(t);
        httpx__free(x);             /* not set up yet: nothing inside to free */
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(t, 0, sizeof *t);
    memset(x, 0, sizeof *x);
    t->base.ops = &httpx__tls_ops;
    t->base.fd = lower->fd;
    t->base.lower = lower;
    t->x509 = x;
    t->cfg = cfg;
    t->alpn = "";
    t->ibuf = (unsigned char *)(t + 1);
    t->obuf = t->ibuf + HTTPX__TLS_IBUF;
    t->refuse = httpx__x509_refuser();
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
    snprintf(t->setup, sizeof t->setup, "TLS handshake with %s not done", t->name);
    name = t->name;
    memcpy(t->key, name, nl);
    strcpy(t->key + nl, keybuf);

    eng = &t->cc.eng;
    br_ssl_client_init_full(&t->cc, &x->minimal, cfg->tas, cfg->ntas);
    httpx__x509_setup(x, cfg->no_verify, name);
    br_ssl_engine_set_x509(eng, &x->vtable);
    br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
    httpx__tls_set_suites(eng);
    /* An ALPN answer we never offered aborts the handshake (RFC 7301 3.2),
       as it does in curl and Python; BearSSL would carry on without one. */
    br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION | BR_OPT_FAIL_ON_ALPN_MISMATCH);
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
    /* An IP literal gets no SNI (RFC 6066 allows host names only). */
    if (!br_ssl_client_reset(&t->cc, httpx__x509_is_ip(x) ? NULL : name, s != NULL)) {
        int err = br_ssl_engine_last_error(eng);
        httpx__tls_free(&t->base);
        e->sys_errno = err;
        httpx__fail(e, HTTPX_ERR_TLS, "TLS set-up failed (BearSSL error %d)%s", err,
                    err == BR_ERR_NO_RANDOM ? ": no random source" : err == BR_ERR_BAD_PARAM ? ": bad server name" : "");
        return NULL;
    }
    return &t->base;
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
        if (t->x509 && t->x509->der_nomem) {     /* not the certificate's fault */
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the certificate of %s", n);
            e->sys_errno = 0;
            break;
        }
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
    case BR_ERR_UNEXPECTED:
        /* with BR_OPT_FAIL_ON_ALPN_MISMATCH, BearSSL's word for an ALPN
           answer we never offered is this one */
        httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: %s (BearSSL error %d)", t->done ? "connection" : "handshake", n,
                    t->done ? "an unexpected message"
                    : "the server chose an application protocol (ALPN) we did not offer, or sent a message out of order",
                    err);
        break;
    case BR_ERR_BAD_LENGTH:
    case BR_ERR_TOO_LARGE:
        httpx__fail(e, HTTPX_ERR_TLS, "TLS %s with %s failed: the server sent a record of a length TLS does not allow "
                    "(over 16 KiB of plaintext) (BearSSL error %d)", t->done ? "connection" : "handshake", n, err);
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
    w = httpx__stream_send(t->base.lower, buf, len, e);
    if (w > 0) br_ssl_engine_sendrec_ack(&t->cc.eng, (size_t)w);
    if (w == HTTPX__BAD) { t->write_failed = true; t->write_errno = e->sys_errno; }
    return w;
}

/* Receives records once. >0 progress, 0 end of file, HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__tls_pull(httpx__tls *t, httpx__err *e) {
    size_t len;
    unsigned char *buf = br_ssl_engine_recvrec_buf(&t->cc.eng, &len);
    long r = httpx__stream_recv(t->base.lower, buf, len, e);
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
    size_t n = 0;
    FILE *f;
    memcpy(line, "CLIENT_RANDOM ", 14);
    n = 14;
    httpx__hex_encode(line + n, eng->client_random, 32);
    n += 64;
    line[n++] = ' ';
    httpx__hex_encode(line + n, eng->session.master_secret, 48);
    n += 96;
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
    httpx__x509_free(t->x509);
    t->x509 = NULL;
}

/* BearSSL reached a state our loop did not plan for: say so, do not spin. */
static int httpx__tls_bad_state(const httpx__tls *t, const char *where, unsigned st, httpx__err *e) {
    e->sys_errno = BR_ERR_BAD_STATE;
    httpx__fail(e, HTTPX_ERR_TLS, "%s %s: unexpected engine state %u", where, t->name, st);
    return HTTPX__BAD;
}

/* The handshake, over a lower stream that is set up: 1 done, HTTPX__AGAIN
   (s->want set), HTTPX__BAD. */
static int httpx__tls_handshake(httpx__stream *s, httpx__err *e) {
    httpx__tls *t;
    br_ssl_engine_context *eng;
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops == &httpx__tls_ops);   /* a stream httpx__tls_stream_new made */
    t = httpx__tls_of(s);
    eng = &t->cc.eng;
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
            if (!(st & BR_SSL_SENDAPP)) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
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
        if (r == HTTPX__AGAIN) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
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
            s->want = t->base.lower->want;
            return HTTPX__AGAIN;
        }
        if (st & BR_SSL_RECVREC) {
            r = httpx__tls_pull(t, e);
            if (r > 0) continue;
            if (r == HTTPX__AGAIN) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
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
            if (!(st & BR_SSL_RECVREC)) { s->want = t->base.lower->want; return HTTPX__AGAIN; }
        }
        if (!(st & BR_SSL_RECVREC)) {
            return httpx__tls_bad_state(t, "TLS receive from", st, e);
        }
        r = httpx__tls_pull(t, e);
        if (r > 0) continue;
        if (r == HTTPX__AGAIN) {
            s->want = (short)(t->base.lower->want |
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

/* The set-up step of the stack: the stream below first, then the handshake. */
static int httpx__tls_connect(httpx__stream *s, httpx__err *e) {
    httpx__tls *t = httpx__tls_of(s);
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

static const char *httpx__tls_suite_name(uint16_t id) {
    static const struct { uint16_t id; const char *name; } suites[] = {
        { BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256" },
        { BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256" },
        { BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384" },
        { BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384" },
        { BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305" },
        { BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305" },
    };
    size_t i;
    for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
        if (suites[i].id == id) return suites[i].name;
    return "";
}

/* What TLS knows: the negotiated facts once the handshake is done (as
   OpenSSL names them), and what the set-up waits for while it runs. */
static const char *httpx__tls_query(const httpx__stream *s, int fact) {
    const httpx__tls *t = httpx__tls_of(s);
    switch (fact) {
    case HTTPX__FACT_ALPN: return t->done ? t->alpn : NULL;
    case HTTPX__FACT_TLS_VERSION:
        return !t->done ? NULL : t->cc.eng.session.version == BR_TLS12 ? "TLSv1.2" : "";
    case HTTPX__FACT_TLS_CIPHER: return t->done ? httpx__tls_suite_name(t->cc.eng.session.cipher_suite) : NULL;
    case HTTPX__FACT_SETUP: return t->lower_ready && !t->done ? t->setup : NULL;
    default: return NULL;
    }
}

#endif
