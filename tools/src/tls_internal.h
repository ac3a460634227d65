/* tls_internal.h: TLS as the other components see it (tls.c; tls_private.h is what the TLS files share).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__TLS_INTERNAL_H
#define HTTPX__TLS_INTERNAL_H
#include "internal.h"
#include "net_internal.h"
/* ---- tls: the internal TLS interface (BearSSL behind it) ----
   A backend implements these; the engine never sees BearSSL types. All calls
   are nonblocking: they do what the socket allows and say, through *want,
   which poll event (POLLIN or POLLOUT) they need before they can go on. */

/* HTTPX_OK when https can be used in this build, else why not (message says
   how to turn TLS on). */
HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e);

/* Per client: trust anchors (loaded once), client certificate, session cache. */
typedef struct httpx__tls_config httpx__tls_config;
HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e);
HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg);

/* Per connection: TLS over the stream `lower` (which it takes: freed with
   it, or at once on failure). host: the name for SNI and verification (an IP
   literal is checked against the certificate's IP addresses, and no SNI is
   sent); port keys the session cache. offer_h2: ALPN offers "h2" before
   "http/1.1". The result is a stream whose connect step sets up the stream
   below, then runs the handshake (1 done, HTTPX__AGAIN, HTTPX__BAD with e:
   HTTPX_ERR_TLS and a sentence, e->sys_errno = the BearSSL error number; or
   a network error); its query answers ALPN, the TLS version and cipher once
   the handshake is done. */
HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e);

#if defined(HTTPX_BEARSSL) || defined(HTTPX_OPENSSL)
/* tls.c: the name of a TLS alert number (RFC 8446 6), for both backends'
   messages; "unknown alert" for others. */
HTTPX__PRIVATE const char *httpx__tls_alert_name(int a);
#endif
#if defined(HTTPX__TEST_HOOKS) && defined(HTTPX_BEARSSL)
/* The trust anchors a configuration verifies with (the tests compare them:
   one shared system store, or a new one). */
HTTPX__PRIVATE const void *httpx__tls_config_anchors(const httpx__tls_config *cfg);
/* For each certificate of a PEM file: what the direct DER walk reads
   (subject, key, CA flag) against BearSSL's decoder. Counts of certificates
   both read alike, the walk left to the decoder, and read differently (a
   defect); false when the file cannot be read. */
typedef struct httpx__tls_walk_counts { int same, declined, differ; } httpx__tls_walk_counts;
HTTPX__PRIVATE bool httpx__tls_walk_compare(const char *pem_path, httpx__tls_walk_counts *n);
#endif
#endif /* HTTPX__TLS_INTERNAL_H */
