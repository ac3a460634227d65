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
HTTPX__PRIVATE httpx__tls *httpx__tls_new(httpx__tls_config *cfg, const char *host, int port, httpx__err *e) {
    (void)cfg; (void)host; (void)port;
    httpx__tls_available(e);
    return NULL;
}
HTTPX__PRIVATE void httpx__tls_free(httpx__tls *t) { (void)t; }
HTTPX__PRIVATE int httpx__tls_handshake(httpx__tls *t, int fd, short *want, httpx__err *e) {
    (void)t; (void)fd; (void)want;
    httpx__tls_available(e);
    return -1;
}
HTTPX__PRIVATE long httpx__tls_send(httpx__tls *t, int fd, const void *p, size_t n, short *want, httpx__err *e) {
    (void)t; (void)fd; (void)p; (void)n; (void)want;
    httpx__tls_available(e);
    return -1;
}
HTTPX__PRIVATE long httpx__tls_recv(httpx__tls *t, int fd, void *p, size_t n, short *want, httpx__err *e) {
    (void)t; (void)fd; (void)p; (void)n; (void)want;
    httpx__tls_available(e);
    return -1;
}
HTTPX__PRIVATE size_t httpx__tls_pending(httpx__tls *t) { (void)t; return 0; }
HTTPX__PRIVATE const char *httpx__tls_alpn(const httpx__tls *t) { (void)t; return ""; }

#else /* HTTPX_BEARSSL: the backend is being written (issue 4) */

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL, "https: the BearSSL backend is not finished yet");
}
HTTPX__PRIVATE httpx__tls_config *httpx__tls_config_new(const httpx_tls_opts *o, httpx__err *e) { (void)o; httpx__tls_available(e); return NULL; }
HTTPX__PRIVATE void httpx__tls_config_free(httpx__tls_config *cfg) { (void)cfg; }
HTTPX__PRIVATE httpx__tls *httpx__tls_new(httpx__tls_config *cfg, const char *host, int port, httpx__err *e) { (void)cfg; (void)host; (void)port; httpx__tls_available(e); return NULL; }
HTTPX__PRIVATE void httpx__tls_free(httpx__tls *t) { (void)t; }
HTTPX__PRIVATE int httpx__tls_handshake(httpx__tls *t, int fd, short *want, httpx__err *e) { (void)t; (void)fd; (void)want; httpx__tls_available(e); return -1; }
HTTPX__PRIVATE long httpx__tls_send(httpx__tls *t, int fd, const void *p, size_t n, short *want, httpx__err *e) { (void)t; (void)fd; (void)p; (void)n; (void)want; httpx__tls_available(e); return -1; }
HTTPX__PRIVATE long httpx__tls_recv(httpx__tls *t, int fd, void *p, size_t n, short *want, httpx__err *e) { (void)t; (void)fd; (void)p; (void)n; (void)want; httpx__tls_available(e); return -1; }
HTTPX__PRIVATE size_t httpx__tls_pending(httpx__tls *t) { (void)t; return 0; }
HTTPX__PRIVATE const char *httpx__tls_alpn(const httpx__tls *t) { (void)t; return ""; }

#endif
