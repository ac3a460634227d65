/* tls_private.h: what the pieces of the BearSSL backend share, and nothing
   else sees (tools/amalgamate.py refuses it anywhere else):
       tls_config.c  per client: trust anchors (files, PEM, the system
                     store), the client certificate, the session cache
       tls_x509.c    the certificate checks around BearSSL's X.509 engine
       tls.c         the interface, and the TLS stream: handshake, send, recv
   Without HTTPX_BEARSSL only tls.c has anything in it (the stubs that say
   how to turn TLS on), and this header declares nothing. */
#ifndef HTTPX__TLS_PRIVATE_H
#define HTTPX__TLS_PRIVATE_H
#include "internal.h"
#include "tls_internal.h"

#ifdef HTTPX_BEARSSL
#include <bearssl.h>

#define HTTPX__TLS_SESSIONS 32           /* cached sessions per client (host:port) */

/* ---- tls_config.c ---- */

typedef struct httpx__tls_session {
    char *key;                        /* "host:port"; NULL: a free slot */
    unsigned long used;               /* for least-recently-used replacement */
    br_ssl_session_parameters params;
} httpx__tls_session;

/* The system trust store, loaded once and shared by every client of the
   process (tls_config.c): counted references, the cache holding one. */
typedef struct httpx__tls_store httpx__tls_store;

struct httpx__tls_config {
    br_x509_trust_anchor *tas;        /* each dn.data is one allocation holding the key too */
    httpx__tls_store *store;          /* tas and ntas are the shared store's (not owned), or NULL */
    uint64_t *seen;                   /* while loading: a hash of each certificate's DER, so that
                                         one met again (a bundle and SSL_CERT_DIR's files) is not
                                         decoded twice */
    size_t nseen, cap_seen;
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

/* One DER element at *p (before end): its tag (one byte), its value and
   length; *p moves past it. False when malformed or past end. */
HTTPX__PRIVATE bool httpx__der_next(const unsigned char **p, const unsigned char *end, unsigned *tag,
                                    const unsigned char **val, size_t *len);
/* The cached session of key ("host:port"), or NULL. */
HTTPX__PRIVATE httpx__tls_session *httpx__tls_session_find(httpx__tls_config *cfg, const char *key);
/* Remembers p for key, in a free slot or the least recently used one (no
   memory: simply not cached). */
HTTPX__PRIVATE void httpx__tls_session_store(httpx__tls_config *cfg, const char *key,
                                             const br_ssl_session_parameters *p);

/* ---- tls_x509.c ----
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
    bool der_nomem;                   /* keeping that DER ran out of memory: the error is NOMEM */
    unsigned char ip[16];
    size_t ip_len;                    /* 4 or 16 when the host is an IP literal, else 0 */
    uint32_t ncerts, days, secs;
    int expiry;                       /* after BR_ERR_X509_EXPIRED: 1 EE expired, 2 EE not yet valid */
} httpx__x509;

/* Takes over x->minimal, which br_ssl_client_init_full has just set up:
   verification on or off, the host name (an IP literal, "[v6]" too, is
   matched against the certificate's IP addresses), the clock. Then give
   &x->vtable to br_ssl_engine_set_x509. */
HTTPX__PRIVATE void httpx__x509_setup(httpx__x509 *x, bool no_verify, const char *name);
/* Whether the host was an IP literal (then no SNI may be sent, RFC 6066). */
HTTPX__PRIVATE bool httpx__x509_is_ip(const httpx__x509 *x);
HTTPX__PRIVATE void httpx__x509_free(httpx__x509 *x);   /* NULL is fine */
/* A checker that refuses every certificate: it replaces the real one after
   the handshake (renegotiation is off, so it is never called), so that
   nothing could ever reach freed memory. */
HTTPX__PRIVATE const br_x509_class *httpx__x509_refuser(void);

#endif /* HTTPX_BEARSSL */
#endif /* HTTPX__TLS_PRIVATE_H */
