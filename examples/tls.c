/* tls: https with the certificate checks you need, as HTTPX's
       httpx.Client(verify="path/to/ca.pem")         # a private CA
       httpx.Client(verify=False)                    # no checks: never in production
       httpx.Client(cert=("client.pem", "client.key"))   # mutual TLS
   By default certificates and host names are checked against the system's
   store (SSL_CERT_FILE and SSL_CERT_DIR are honoured). Needs a build with
   -DHTTPX_BEARSSL ... -lbearssl (make does this when BearSSL is installed).
       ./build/examples/tls https://127.0.0.1:8443/ ca.pem */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

static int get(const char *label, const char *url, const httpx_tls_opts *tls) {
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .tls = *tls });
    httpx_response *r;
    int ok;
    if (!c) return 0;
    r = httpx_client_get(c, url, NULL);
    if (r->error) printf("%-22s %s: %s\n", label, httpx_strerror(r->error), r->error_message);
    else printf("%-22s %s %d, %zu bytes\n", label, r->http_version, r->status_code, r->content_length);
    ok = r->error == HTTPX_OK;
    httpx_response_free(r);
    httpx_client_free(c);
    return ok;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "https://127.0.0.1:8443/";
    const char *ca = argc > 2 ? argv[2] : NULL;
    int ok = 1;

    if (ca) {
        /* our CA: the server's certificate is checked against it */
        ok &= get("with its CA (ca_file)", url, &(httpx_tls_opts){ .ca_file = ca });
        /* the system store does not know a private CA: HTTPX_ERR_TLS */
        ok &= !get("with the system store", url, &(httpx_tls_opts){ .ca_file = NULL });
    }
    /* no checks at all: it works, and anyone in the middle could read it */
    ok &= get("no_verify (unsafe)", url, &(httpx_tls_opts){ .no_verify = true });
    return ok ? 0 : 1;
}
