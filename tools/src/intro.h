/* httpx.h - an HTTP client for C, in one file, with the feel of Python's HTTPX.
   version 0.1.0 - MIT licence (text at the end of this file)

   DO THIS in exactly one .c file, before you include it:
       #define HTTPX_IMPLEMENTATION
       #include "httpx.h"
   Every other file includes httpx.h without the define. Compile:
       cc app.c -o app                          (http only)
       cc -DHTTPX_BEARSSL app.c -o app -lbearssl (https too)

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

   A FRAME LOOP THAT NEVER STALLS (nonblocking tasks)
       httpx_client_start(c, "GET", url, &(httpx_opts){ .on_done = got_it, .user_data = game });
       while (running) {
           httpx_client_poll(c, 0);      (does what is ready; on_done fires in here)
           render();
       }

   CONTENTS (grep for the anchor)
       >>public     the API: errors, options, responses, headers, calls
       >>internal   declarations shared by the components
       >>base >>url >>headers >>h1 >>h1_session >>hpack >>h2_frame >>h2_session
       >>utf8 >>json >>jsonw >>cookie >>net >>multipart
       >>dns_internal >>dns >>dns_conf >>dns_wire >>dns_stub >>dns_thread
       >>tls_internal >>tls_config >>tls_x509 >>tls >>request >>exchange >>conn
       >>h1_proto >>h2_proto >>loop >>response >>app >>mock_routes >>hop >>client >>task >>text >>cookie_response
       >>cookies    (in >>public) the cookie jar: RFC 6265, curl's cookie file

   CONFIGURATION MACROS
       HTTPX_IMPLEMENTATION   only in the implementation file: compile the library there
       HTTPX_NO_IMPLEMENTATION  ignore HTTPX_IMPLEMENTATION in this file (-D on the command
                              line): the implementation is linked from its own object
       HTTPX_STATIC           before every include: every function static (private copy)
       HTTPX_MALLOC(sz), HTTPX_REALLOC(p, sz), HTTPX_FREE(p)
                              in the implementation file: all three or none (#error)
       HTTPX_ASSERT(c)        in the implementation file: default assert()
       HTTPX_BEARSSL          in the implementation file: TLS through BearSSL (-lbearssl)
       HTTPX_NO_HTTP2         in the implementation file: leave HTTP/2 out (http2 = true then
                              quietly means HTTP/1.1)
       HTTPX_NO_INFLATE       in the implementation file: leave the built-in gzip/deflate
                              decoder out (bodies come as sent; Accept-Encoding: identity)
       HTTPX_BROTLI           in the implementation file: also decode Content-Encoding: br
                              (-lbrotlidec)
       HTTPX_ZSTD             in the implementation file: also decode Content-Encoding: zstd
                              (-lzstd)
       HTTPX_DNS_THREADS      in the implementation file: getaddrinfo on a helper thread
                              instead of the built-in DNS stub resolver (-lpthread)
       HTTPX_LINES            in the implementation file: compiler messages and debuggers
                              name the sources (tools/src/x.c:N in the httpx.h repository)
       HTTPX_JSON_MAX_DEPTH   in the implementation file: JSON nesting limit (default 512)
       HTTPX_JSON_MAX_SIZE    in the implementation file: largest JSON text parsed (default 1 GiB)
       HTTPX_NO_COOKIES       before every include: leave the cookie jar out
       HTTPX_COOKIE_MAX_SIZE, HTTPX_COOKIE_MAX_PER_DOMAIN, HTTPX_COOKIE_MAX_TOTAL
                              in the implementation file: cookie caps (4096 bytes of
                              name + value, 50 per domain, 3000 per jar)

   MEMORY   Every byte goes through HTTPX_MALLOC/REALLOC/FREE. Every object the
            library returns has one matching _free. A warm request on a pooled
            connection allocates the response and its body.
   ERRORS   A call returns a response even when it fails (NULL only when out of
            memory): check r->error (an httpx_error), read r->error_message.
            There is no global "last error".
   THREADS  No hidden threads (unless HTTPX_DNS_THREADS). A client and its
            responses belong to one thread at a time; different clients may be
            used from different threads.
   NONBLOCKING  httpx_client_start + httpx_client_poll(c, 0): connect, TLS
            and DNS never block; callbacks fire only inside the calls that
            drive the client, on the caller's thread. httpx_client_fds and
            httpx_client_process embed the client in another event loop.
   TLS      With HTTPX_BEARSSL: verified by default (system store,
            SSL_CERT_FILE, SSL_CERT_DIR), TLS 1.2 (BearSSL has no 1.3),
            mutual TLS, session resumption, SSLKEYLOGFILE. Without it an https
            URL fails with HTTPX_ERR_UNSUPPORTED_PROTOCOL and says how to
            enable it.
   HTTP/2   httpx_client_opts.http2 = true offers h2 over TLS (ALPN) and speaks
            what the server picks; .http2_prior_knowledge speaks h2c on http://.
            Requests to one origin share one connection, up to the server's
            concurrent-stream limit (more wait for a free stream).
   ENGINE   The loop polls connections, not requests: a connection owns its
            setup (DNS, connect, TLS) and its protocol (HTTP/1.1 or HTTP/2);
            idle pooled connections stay in the poll set, so a server's close
            is noticed when it happens. README's Architecture section has more.
*/
