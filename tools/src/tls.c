/* tls: the internal TLS interface. The BearSSL backend comes with issue 4;
   until then (and in every build without HTTPX_BEARSSL) an https URL fails
   before anything is sent, with a message that says what to do. */
#include "internal.h"

HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e) {
#ifdef HTTPX_BEARSSL
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL,
                       "https is not implemented in this version of httpx.h yet (BearSSL backend pending)");
#else
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL,
                       "https needs TLS: compile with -DHTTPX_BEARSSL and link -lbearssl");
#endif
}
