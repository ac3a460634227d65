/* httpx.h - an HTTP client for C, in one file, with the feel of Python's HTTPX.
   version 0.1.0 - MIT licence (text at the end of this file)

   DO THIS in exactly one .c file, before you include it:
       #define HTTPX_IMPLEMENTATION
       #include "httpx.h"
   Every other file includes httpx.h without the define. Compile:
       cc app.c -o app                          (http only)
       cc -DHTTPX_BEARSSL app.c -o app -lbearssl (https, when TLS lands)

   A BLOCKING GET
       httpx_response *r = httpx_get("http://127.0.0.1:8080/hello.txt", NULL);
       if (r->error) fprintf(stderr, "%s\n", r->error_message);
       else printf("%d %s\n", r->status_code, r->content);
       httpx_response_free(r);

   A CLIENT (pooled connections, shared configuration)
       httpx_client *c = httpx_client_new(&(httpx_client_opts){
           .base_url = "http://127.0.0.1:8080/api",
           .headers = (httpx_pair[]){{"X-Token", "abc"}, {0}} });
       httpx_response *r = httpx_client_post(c, "users", &(httpx_opts){ .json = "{\"name\":\"ada\"}" });
       ...
       httpx_response_free(r);
       httpx_client_free(c);

   CONTENTS (grep for the anchor)
       >>public     the API: errors, options, responses, headers, calls
       >>internal   declarations shared by the components
       >>base >>url >>headers >>h1 >>multipart >>body >>net >>tls >>conn >>client >>response

   CONFIGURATION MACROS
       HTTPX_IMPLEMENTATION   only in the implementation file: compile the library there
       HTTPX_STATIC           before every include: every function static (private copy)
       HTTPX_MALLOC(sz), HTTPX_REALLOC(p, sz), HTTPX_FREE(p)
                              in the implementation file: all three or none (#error)
       HTTPX_ASSERT(c)        in the implementation file: default assert()
       HTTPX_BEARSSL          in the implementation file: TLS through BearSSL (-lbearssl)
       HTTPX_NO_HTTP2         in the implementation file: leave HTTP/2 out

   MEMORY   Every byte goes through HTTPX_MALLOC/REALLOC/FREE. Every object the
            library returns has one matching _free. A warm request on a pooled
            connection allocates the response and its body.
   ERRORS   A call returns a response even when it fails (NULL only when out of
            memory): check r->error (an httpx_error), read r->error_message.
            There is no global "last error".
   THREADS  No hidden threads. A client and its responses belong to one thread
            at a time; different clients may be used from different threads.
   TLS      Not yet: an https URL fails with HTTPX_ERR_UNSUPPORTED_PROTOCOL and
            says how to enable it.
   HTTP/2   Not yet; HTTPX_NO_HTTP2 is accepted.
*/
