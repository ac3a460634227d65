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
       >>h1_proto >>h2_proto >>loop >>response >>mock >>hop >>client >>task >>text >>cookie_response
       >>cookies    (in >>public) the cookie jar: RFC 6265, curl's cookie file

   CONFIGURATION MACROS
       HTTPX_IMPLEMENTATION   only in the implementation file: compile the library there
       HTTPX_STATIC           before every include: every function static (private copy)
       HTTPX_MALLOC(sz), HTTPX_REALLOC(p, sz), HTTPX_FREE(p)
                              in the implementation file: all three or none (#error)
       HTTPX_ASSERT(c)        in the implementation file: default assert()
       HTTPX_BEARSSL          in the implementation file: TLS through BearSSL (-lbearssl)
       HTTPX_NO_HTTP2         in the implementation file: leave HTTP/2 out (http2 = true then
                              quietly means HTTP/1.1)
       HTTPX_NO_INFLATE       in the implementation file: leave the built-in gzip/deflate
                              decoder out
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

/* ======================================================================
   Begin file public.h   (grep anchor: >>public)
   ====================================================================== */
#ifndef HTTPX_H_INCLUDED
#if defined(HTTPX_LINES)
#line 1 "tools/src/public.h"
#endif
#define HTTPX_H_INCLUDED

/* The implementation needs POSIX.1-2008 (sockets, poll, clock_gettime,
   fdopen, O_CLOEXEC) even under -std=c99. This works when httpx.h is the
   first include of the implementation file; otherwise define _POSIX_C_SOURCE
   yourself. */
#if defined(HTTPX_IMPLEMENTATION) && !defined(_WIN32) && !defined(_POSIX_C_SOURCE) && \
    !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE) && !defined(_DEFAULT_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
/* glibc fixes its feature set at the first system header: when one came
   before this file under strict ISO C (-std=c99, -std=c11), the POSIX
   declarations are gone for good and the define above is too late. Say so,
   rather than fail on a missing struct timespec deep inside. */
#if defined(HTTPX_IMPLEMENTATION) && defined(__GLIBC__) && !defined(__USE_XOPEN2K8)
#error "httpx.h: the implementation needs POSIX.1-2008 declarations, but a system header included before it (strict -std=c99/c11) left them out. Fix: include httpx.h with HTTPX_IMPLEMENTATION before any other header of this file, or put #define _POSIX_C_SOURCE 200809L before the first #include (or compile with -D_POSIX_C_SOURCE=200809L, or -std=gnu99/gnu11)."
#endif

#define HTTPX_VERSION_MAJOR 0
#define HTTPX_VERSION_MINOR 1
#define HTTPX_VERSION_PATCH 0
#define HTTPX_VERSION "0.1.0"

/* mingw: its C99 printf family (%zu, %lld), not msvcrt's. */
#if defined(HTTPX_IMPLEMENTATION) && defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
#define __USE_MINGW_ANSI_STDIO 1
#endif
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>

/* HTTPX_DLL (as sokol's SOKOL_DLL), on Windows: the implementation file
   exports the calls from a DLL (__declspec(dllexport)), other files import
   them (__declspec(dllimport)). */
#ifndef HTTPX_API
#if defined(HTTPX_DLL) && defined(_WIN32) && defined(HTTPX_IMPLEMENTATION)
#define HTTPX_API __declspec(dllexport)
#elif defined(HTTPX_DLL) && defined(_WIN32)
#define HTTPX_API extern __declspec(dllimport)
#elif defined(HTTPX_STATIC) && (defined(__GNUC__) || defined(__clang__))
#define HTTPX_API static __attribute__((unused))  /* a program need not use every call */
#elif defined(HTTPX_STATIC)
#define HTTPX_API static
#else
#define HTTPX_API extern
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* >>errors
   Every call that can fail reports one of these. A response that failed still
   exists: check r->error first, r->error_message says what happened in words. */
typedef enum httpx_error {
    HTTPX_OK = 0,
    /* timeouts (httpx_is_timeout) */
    HTTPX_ERR_CONNECT_TIMEOUT,   /* TCP (or TLS) connect took longer than timeout.connect */
    HTTPX_ERR_READ_TIMEOUT,      /* no byte from the server within timeout.read */
    HTTPX_ERR_WRITE_TIMEOUT,     /* could not send a byte within timeout.write */
    HTTPX_ERR_POOL_TIMEOUT,      /* no connection became free within timeout.pool */
    HTTPX_ERR_TOTAL_TIMEOUT,     /* the whole request took longer than timeout.total */
    /* network errors (httpx_is_network_error) */
    HTTPX_ERR_CONNECT,           /* refused, unreachable, name not found */
    HTTPX_ERR_READ,              /* the connection failed while receiving */
    HTTPX_ERR_WRITE,             /* the connection failed while sending */
    HTTPX_ERR_CLOSE,             /* the connection failed while closing */
    /* protocol errors (httpx_is_protocol_error) */
    HTTPX_ERR_LOCAL_PROTOCOL,    /* we could not produce a valid request */
    HTTPX_ERR_REMOTE_PROTOCOL,   /* the server broke HTTP framing or rules */
    /* other transport errors */
    HTTPX_ERR_PROXY,             /* the proxy refused or failed */
    HTTPX_ERR_UNSUPPORTED_PROTOCOL, /* e.g. https without HTTPX_BEARSSL, ftp:// */
    HTTPX_ERR_TLS,               /* TLS handshake or record failure (detail in tls_error) */
    HTTPX_ERR_DECODING,          /* the body could not be decoded (gzip, charset) */
    HTTPX_ERR_TOO_MANY_REDIRECTS,
    HTTPX_ERR_TOO_LARGE,         /* a response head or body over the configured limit */
    /* errors of the request as the caller gave it */
    HTTPX_ERR_INVALID_URL,
    HTTPX_ERR_INVALID_HEADER,    /* CR, LF or NUL in a header, bad header name */
    HTTPX_ERR_INVALID_ARGUMENT,  /* an option that makes no sense */
    HTTPX_ERR_STREAM,            /* streaming misuse: body already read, read after close */
    HTTPX_ERR_CANCELLED,         /* the request was cancelled */
    HTTPX_ERR_STATUS,            /* httpx_raise_for_status: 4xx or 5xx */
    HTTPX_ERR_NOMEM,             /* the allocator returned NULL */
    HTTPX_ERR_COUNT_             /* not an error: the number of codes */
} httpx_error;

HTTPX_API const char *httpx_strerror(httpx_error e);
HTTPX_API bool httpx_is_timeout(httpx_error e);        /* the five *_TIMEOUT codes */
HTTPX_API bool httpx_is_network_error(httpx_error e);  /* CONNECT, READ, WRITE, CLOSE */
HTTPX_API bool httpx_is_protocol_error(httpx_error e); /* LOCAL_ and REMOTE_PROTOCOL */
HTTPX_API bool httpx_is_transport_error(httpx_error e);/* any failure talking to a server */

/* >>types */
typedef struct httpx_pair { const char *name, *value; } httpx_pair;   /* arrays end with {0} */
/* A cookie jar (see >>cookies); declared here for the client's options. */
typedef struct httpx_cookies httpx_cookies;

/* Seconds. 0 in a field means the default (5 s, as in HTTPX); a negative value
   means no limit. connect, read, write and pool bound one wait each, so a
   server that trickles a byte now and then keeps a request alive within all
   of them; total bounds the whole request: from when it leaves the queue
   (a task beyond max_in_flight waits there first) through connecting,
   sending, every redirect and the last body byte, also when a stream's body
   is read with httpx_read. Its default is none (0, as curl's CURLOPT_TIMEOUT);
   when it passes the request fails with HTTPX_ERR_TOTAL_TIMEOUT. */
typedef struct httpx_timeout { double connect, read, write, pool, total; } httpx_timeout;

typedef struct httpx_limits {
    int max_connections;            /* 0: 100. Open connections per client, all origins */
    int max_keepalive_connections;  /* 0: 20. Idle connections kept in the pool */
    double keepalive_expiry;        /* 0: 5 s. An idle connection older than this is closed */
    int max_headers;                /* 0: 256. Fields in a response head (HTTP/1.1 and HTTP/2);
                                       more is HTTPX_ERR_TOO_LARGE */
} httpx_limits;

/* A file of a multipart upload (.files). Give exactly one of data/path/fp.
   path and fp are streamed from disk, never read whole into memory. */
typedef struct httpx_file {
    const char *field;          /* form field name */
    const char *filename;       /* NULL: the base name of path, or "upload" */
    const char *content_type;   /* NULL: application/octet-stream */
    const void *data;           /* in memory: data + size */
    size_t size;
    const char *path;           /* a file to open and stream */
    FILE *fp;                   /* an open file, read from its current position */
} httpx_file;                   /* arrays end with {0} */

/* A streaming upload: return bytes written into buf (>0), 0 at the end, <0 to
   abort the request. */
typedef long (*httpx_read_fn)(void *user_data, void *buf, size_t cap);
/* Rewinds a streaming upload (httpx_opts.upload_rewind): 0 when the next
   reads produce the body from its start again, nonzero when they cannot. */
typedef int (*httpx_rewind_fn)(void *user_data);

/* A yes/no of a request that can also say "as the client says" (zero), so
   that a request's explicit no beats a client's yes. true works as HTTPX_YES;
   false is 0, which means the client's setting: say HTTPX_NO for "no". */
enum { HTTPX_INHERIT = 0, HTTPX_YES = 1, HTTPX_NO = -1 };

typedef enum httpx_auth_kind {
    HTTPX_AUTH_INHERIT = 0,     /* a request: the client's auth, else the URL's user:password;
                                   a client: none */
    HTTPX_AUTH_NONE,            /* send no credentials (not even the client's or the URL's) */
    HTTPX_AUTH_BASIC,           /* username and password */
    HTTPX_AUTH_BEARER           /* "Authorization: Bearer <token>" */
} httpx_auth_kind;              /* another value is HTTPX_ERR_INVALID_ARGUMENT */

typedef struct httpx_auth {
    httpx_auth_kind kind;
    const char *username, *password;   /* HTTPX_AUTH_BASIC */
    const char *token;                 /* HTTPX_AUTH_BEARER */
} httpx_auth;
HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password);
HTTPX_API httpx_auth httpx_bearer_auth(const char *token);

/* TLS settings of a client (https). Zeroed: verify against the system trust
   store (SSL_CERT_FILE / SSL_CERT_DIR honoured), no client certificate. */
typedef struct httpx_tls_opts {
    bool no_verify;             /* UNSAFE: accept any certificate and host name */
    const char *ca_file;        /* PEM file of trusted CAs, instead of the system store */
    const char *ca_pem;         /* PEM text of trusted CAs, in memory, instead of the system store */
    const char *cert_file;      /* client certificate chain (PEM) for mutual TLS */
    const char *key_file;       /* its private key (PEM; RSA or EC) */
    const char *cert_pem;       /* the same, as PEM text in memory */
    const char *key_pem;
    const char *server_name;    /* NULL: the URL's host. SNI and the name checked */
    bool preload;               /* load the CA certificates (and the client certificate) in
                                   httpx_client_new, not at the first https request: a failure
                                   then fails every request of the client with its reason */
} httpx_tls_opts;
/* The system trust store is loaded once per process and shared by every
   client (and one-shot call) that uses it; it is loaded again only when
   SSL_CERT_FILE, SSL_CERT_DIR or the files behind them change. Loading it
   costs tens of milliseconds of CPU: call this at start-up (any thread) so
   that no request pays it later, in a frame loop say. HTTPX_OK, or why
   there is no store (HTTPX_ERR_TLS; HTTPX_ERR_UNSUPPORTED_PROTOCOL without
   TLS compiled in). It stays loaded until the process ends. */
HTTPX_API httpx_error httpx_tls_preload(void);

typedef struct httpx_response httpx_response;
typedef struct httpx_task httpx_task;

/* Nonblocking completion: called inside httpx_client_poll (or any call that
   drives the client) when the task ends, successfully or not. The task and its
   response are freed when it returns, so do not httpx_task_wait on such a
   task, and do not free other tasks from inside the callback (starting new
   tasks there is fine). */
typedef void (*httpx_done_fn)(void *user_data, httpx_task *task, httpx_response *r);
/* Body bytes as they arrive; they are not kept in r->content. Return 0 to go
   on, nonzero to abort the request (HTTPX_ERR_CANCELLED). */
typedef int (*httpx_data_fn)(void *user_data, httpx_response *r, const char *data, size_t len);

/* Per-request options: valid when zeroed. (A new field needs a row in
   tests/test_tasks_opts.c, which sends every field through every face.) */
typedef struct httpx_opts {
    const httpx_pair *params;   /* query parameters, added to the URL's own */
    const httpx_pair *headers;  /* win over the client's headers of the same name */
    /* the body: at most one of content, data, json, upload (files may go with data) */
    const void *content;        /* raw bytes */
    size_t content_length;      /* length of content; 0 with content set: strlen */
    const httpx_pair *data;     /* form fields: urlencoded, or multipart beside files */
    const httpx_file *files;    /* multipart/form-data */
    const char *json;           /* JSON text, sent with Content-Type: application/json */
    httpx_read_fn upload;       /* a streaming body */
    void *upload_user_data;
    long long upload_length;    /* 0: unknown, sent chunked; >0: Content-Length */
    /* NULL: a 307/308 redirect of a streamed upload fails (HTTPX_ERR_STREAM:
       its bytes are gone). Else it is called before the body goes again to
       the redirect's target: return 0 once upload will produce the body from
       its start again (a file rewound, a counter reset), nonzero to fail. */
    httpx_rewind_fn upload_rewind;
    httpx_auth auth;            /* kind 0: the client's, else the URL's userinfo; HTTPX_AUTH_NONE: none */
    httpx_timeout timeout;      /* zero fields take the client's */
    int follow_redirects;       /* HTTPX_YES (true), HTTPX_NO, or 0: the client's (default no, as in HTTPX) */
    int max_redirects;          /* 0: the client's (20) */
    bool http2;                 /* one-shot calls only (as .tls): offer HTTP/2 (see httpx_client_opts) */
    bool http2_prior_knowledge; /* one-shot calls only: http:// speaks HTTP/2 at once */
    const char *proxy;          /* one-shot calls only (as .tls): httpx_client_opts.proxy of their
                                   private client */
    const httpx_tls_opts *tls;  /* one-shot calls (httpx_get...) only: TLS settings of their
                                   private client; a client's requests use httpx_client_opts.tls
                                   (as in HTTPX, where verify= belongs to the client) */
    httpx_data_fn on_data;      /* stream the body to this callback instead of memory */
    httpx_done_fn on_done;      /* httpx_client_start: called when done, then the task is freed */
    void *user_data;            /* passed to on_data and on_done */
    /* HTTPX's cookies= of one request: sent with the client jar's cookies in
       its Cookie header (a name here wins over the jar's of that name), never
       stored in the jar; they go with every hop to the request's origin, not
       across a redirect to another. Names and values as httpx_cookies_set
       takes them (else HTTPX_ERR_INVALID_ARGUMENT). A Cookie header of the
       caller's own (.headers or the client's) is sent as it is instead, as
       HTTPX does: then neither these nor the jar's are added. */
    const httpx_pair *cookies;
} httpx_opts;

/* What an on_debug call shows (as libcurl's CURLOPT_DEBUGFUNCTION). */
typedef enum httpx_debug_kind {
    HTTPX_DEBUG_TEXT,           /* a fact in words: the connection, its TLS version, cipher, ALPN */
    HTTPX_DEBUG_HEADER_OUT,     /* a request head as sent: HTTP/1.1 text, or HTTP/2's header
                                   list as "name: value" lines (pseudo-headers first) */
    HTTPX_DEBUG_HEADER_IN       /* a response head as received, every hop's (HTTP/2: as text) */
} httpx_debug_kind;
/* text is not NUL-terminated; lines end in CRLF. Called on the thread that
   drives the client, while it does; it must not call into the client. */
typedef void (*httpx_debug_fn)(void *user_data, httpx_debug_kind kind, const char *text, size_t len);
/* >>mock: a transport that answers from memory, for tests (HTTPX's
   MockTransport). With httpx_client_opts.mock set, no connection is made: each
   request (each hop of a redirect too) calls the handler, which looks at the
   request as sent and answers through the reply builder; the client's whole
   policy (redirects, max_body_size, streaming, on_data, tasks) runs on top as
   it does over the network. The handler runs on the caller's thread, inside
   the call that drives the client. */
typedef struct httpx_req httpx_req;                /* a request as sent (see >>request) */
typedef struct httpx_mock_reply httpx_mock_reply;  /* the handler's answer, being built */
typedef void (*httpx_mock_fn)(void *user_data, const httpx_req *request, httpx_mock_reply *reply);
/* The answer: status 200, no headers, an empty body unless told otherwise.
   Strings are copied. A Content-Length field is added unless the handler set
   one. A header name or value the library would refuse from a caller (CR, LF,
   not a token) fails the request with HTTPX_ERR_INVALID_HEADER. */
HTTPX_API void httpx_reply_status(httpx_mock_reply *p, int status_code);
HTTPX_API void httpx_reply_header(httpx_mock_reply *p, const char *name, const char *value);
HTTPX_API void httpx_reply_body(httpx_mock_reply *p, const void *data, size_t len);   /* len 0: strlen */
/* status, "Content-Type: application/json" and the body, in one call */
HTTPX_API void httpx_reply_json(httpx_mock_reply *p, int status_code, const char *json);
/* No response: the request fails with this error (HTTPX_ERR_READ_TIMEOUT, HTTPX_ERR_CONNECT, ...)
   and message (NULL: httpx_strerror's) as if the network had failed. */
HTTPX_API void httpx_reply_error(httpx_mock_reply *p, httpx_error code, const char *message);

typedef struct httpx_client_opts {
    const char *base_url;       /* relative request URLs join this */
    const httpx_pair *headers;  /* sent with every request */
    const httpx_pair *params;   /* added to every request */
    httpx_auth auth;            /* sent with every request (to its origin; never across a redirect) */
    httpx_timeout timeout;      /* zero fields: 5 s */
    httpx_limits limits;
    bool follow_redirects;
    int max_redirects;          /* 0: 20 */
    size_t max_head_size;       /* 0: 64 KiB. A longer response head is HTTPX_ERR_TOO_LARGE */
    size_t max_body_size;       /* 0: 1 GiB. Bodies kept in memory, not streams */
    const char *user_agent;     /* NULL: "httpx.h/<version>" */
    httpx_tls_opts tls;
    int max_in_flight;          /* 0: no limit. Started tasks beyond it wait in a queue */
    bool http2;                 /* https offers HTTP/2 (ALPN "h2", then "http/1.1") and speaks what
                                   the server picks; requests to one origin then share one
                                   connection. Under HTTPX_NO_HTTP2: HTTP/1.1 */
    bool http2_prior_knowledge; /* http:// speaks HTTP/2 at once (h2c, no Upgrade), as HTTPX's
                                   http1=False. Under HTTPX_NO_HTTP2: HTTP/1.1 */
    httpx_debug_fn on_debug;    /* NULL: none. Sees each request head as it goes out (redirect
                                   hops and retries too) and each response head as it comes */
    void *debug_user_data;      /* passed to on_debug */
    const char *const *nameservers; /* NULL: /etc/resolv.conf. "ip" or "ip:port", NULL-terminated;
                                   kept by pointer: it must outlive the client. Not used under
                                   HTTPX_DNS_THREADS (getaddrinfo asks the system's) */
    httpx_mock_fn mock;         /* NULL: the network. Else every request is answered by this
                                   handler (see >>mock); nothing is dialled */
    void *mock_user_data;       /* passed to mock */
    int trust_env;              /* 0 or HTTPX_YES: read the environment as HTTPX's trust_env=True
                                   does (.netrc credentials, HTTP_PROXY and the like); HTTPX_NO:
                                   ignore it */
    const char *uds;            /* NULL: TCP. The path of a Unix domain socket to connect to
                                   instead of the URL's host and port, which still make the Host
                                   header (and the TLS name of https://), as HTTPX's uds= and
                                   curl's --unix-socket. Copied */
    /* Cookies (see >>cookies), on by default as in HTTPX: the client keeps a
       jar; every response head (each hop of a redirect too) stores its
       Set-Cookie there, and every request (each hop) carries the jar's
       cookies for its URL in one Cookie header (at most HTTPX_COOKIE_MAX_HEADER,
       8192 bytes; a longer one fails the request with HTTPX_ERR_TOO_LARGE
       rather than drop cookies silently). httpx_client_cookies gives the jar. */
    const httpx_pair *cookies;  /* HTTPX's Client(cookies=): put in the jar at creation, for every
                                   host and path "/" (needs the jar: with no_cookies every request
                                   fails with HTTPX_ERR_INVALID_ARGUMENT) */
    httpx_cookies *cookie_jar;  /* NULL: a jar of the client's own. Else this jar is used (and
                                   not freed): load it before, save it after, share it between
                                   clients used one at a time */
    bool no_cookies;            /* no jar: nothing stored, nothing sent but a request's .cookies */
    bool allow_https_downgrade; /* follow a redirect from https:// to http:// (default: such a
                                   redirect fails with HTTPX_ERR_UNSUPPORTED_PROTOCOL, as curl's
                                   --proto-redir =https does, and the redirect is the response) */
    /* >>proxies: NULL: none (then, with trust_env, the environment's: http_proxy,
       https_proxy, all_proxy and no_proxy, lower case winning over upper case, as curl
       reads them; HTTP_PROXY is ignored when REQUEST_METHOD is set, as in a CGI program).
       A URL: "http://[user:password@]host[:port]" (plain http forwarded in absolute form,
       https tunnelled with CONNECT, the user sent as Proxy-Authorization: Basic to the
       proxy only), "https://..." (the same over TLS to the proxy, verified with .tls),
       "socks5://..." (SOCKS5, the origin's name resolved here) or "socks5h://..." (the
       proxy resolves it); a URL without a scheme is http://. Setting any of the three
       turns the environment's proxies off. A proxy that refuses (407, a refused CONNECT,
       a SOCKS5 failure) fails the request with HTTPX_ERR_PROXY and the proxy's answer
       in the message. The connect timeout covers the proxy's handshake. Copied */
    const char *proxy;          /* every request */
    const char *http_proxy;     /* http:// requests: wins over .proxy (HTTPX's mounts "http://") */
    const char *https_proxy;    /* https:// requests: wins over .proxy (HTTPX's mounts "https://") */
} httpx_client_opts;

/* >>response */
struct httpx_response {
    httpx_error error;          /* HTTPX_OK or why the request failed */
    const char *error_message;  /* never NULL: "" when there is no error */
    int sys_errno;              /* errno behind a network error, else 0 */
    int tls_error;              /* BearSSL error number behind HTTPX_ERR_TLS, else 0 */
    int status_code;            /* 0 when no response came */
    const char *reason_phrase;  /* never NULL */
    const char *http_version;   /* "HTTP/1.1", "HTTP/1.0"; "" when no response came */
    const char *url;            /* the final URL (after redirects); never NULL */
    double elapsed;             /* seconds from sending the request to the end of the response */
    char *content;              /* the body, NUL-terminated; never NULL ("" when empty) */
    size_t content_length;      /* bytes in content */
    /* streaming progress */
    long long num_bytes_downloaded; /* body bytes received so far */
    long long expected_length;  /* Content-Length of the body, -1 when unknown */
    /* the connection that served it (what curl -v shows); "" when none or plain http */
    const char *tls_version;    /* "TLSv1.2" */
    const char *tls_cipher;     /* e.g. "ECDHE-RSA-AES128-GCM-SHA256" (OpenSSL's names) */
    const char *alpn;           /* what ALPN chose: "h2", "http/1.1" */
    bool connection_reused;     /* a pooled connection served it, not a new one */
};

/* >>headers
   An ordered, case-insensitive multi-map. Names and values are checked: CR, LF
   and NUL are refused (HTTPX_ERR_INVALID_HEADER), names must be HTTP tokens. */
typedef struct httpx_headers httpx_headers;
HTTPX_API httpx_headers *httpx_headers_new(void);
HTTPX_API void        httpx_headers_free(httpx_headers *h);
HTTPX_API httpx_error httpx_headers_add(httpx_headers *h, const char *name, const char *value);
HTTPX_API httpx_error httpx_headers_set(httpx_headers *h, const char *name, const char *value); /* replaces all */
HTTPX_API size_t      httpx_headers_remove(httpx_headers *h, const char *name); /* returns how many */
HTTPX_API const char *httpx_headers_get(const httpx_headers *h, const char *name); /* first, or NULL */
HTTPX_API const char *httpx_headers_get_nth(const httpx_headers *h, const char *name, size_t n);
HTTPX_API size_t      httpx_headers_count(const httpx_headers *h); /* all fields */
HTTPX_API bool        httpx_headers_at(const httpx_headers *h, size_t i, const char **name, const char **value);

/* >>requests: one-shot calls, each on a fresh connection */
HTTPX_API httpx_response *httpx_request(const char *method, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_get(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_post(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_put(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_patch(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_delete(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_head(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_options(const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_stream(const char *method, const char *url, const httpx_opts *opt);

/* >>client: shared configuration and a connection pool */
typedef struct httpx_client httpx_client;
HTTPX_API httpx_client   *httpx_client_new(const httpx_client_opts *opt);   /* NULL opt: defaults; NULL result: out of memory */
HTTPX_API void            httpx_client_free(httpx_client *c);
/* client.cookies: the jar the client uses (its own, or httpx_client_opts.cookie_jar);
   NULL with no_cookies or HTTPX_NO_COOKIES. Read and change it between requests. */
HTTPX_API httpx_cookies  *httpx_client_cookies(httpx_client *c);
HTTPX_API httpx_response *httpx_client_request(httpx_client *c, const char *method, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_get(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_post(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_put(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_patch(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_delete(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_head(httpx_client *c, const char *url, const httpx_opts *opt);
HTTPX_API httpx_response *httpx_client_options(httpx_client *c, const char *url, const httpx_opts *opt);
/* Returns once the response head is in; read the body with httpx_read/httpx_read_line. */
HTTPX_API httpx_response *httpx_client_stream(httpx_client *c, const char *method, const char *url, const httpx_opts *opt);

/* >>nonblocking: many requests at once in one thread, never blocking
   A task is a request in flight. httpx_client_start returns at once; the work
   happens inside httpx_client_poll (or httpx_task_wait / httpx_gather), on the
   caller's thread. Options are copied (but not file data given by pointer in
   .files, nor an upload callback's state: keep those alive until done). */
HTTPX_API httpx_task *httpx_client_start(httpx_client *c, const char *method, const char *url, const httpx_opts *opt);
/* Does all the work that is ready, waiting at most timeout_ms for some (0:
   never wait; -1: until something happens, but with no task in flight it
   returns 0 at once). Returns the number of tasks still in flight (queued
   ones included). Idle pooled connections past keepalive_expiry are closed
   by any call that drives the client. */
HTTPX_API int  httpx_client_poll(httpx_client *c, int timeout_ms);
HTTPX_API bool httpx_task_done(const httpx_task *t);
HTTPX_API httpx_response *httpx_task_response(httpx_task *t);   /* NULL until done; owned by the task */
HTTPX_API httpx_response *httpx_task_wait(httpx_task *t);       /* runs the client until t is done */
HTTPX_API void httpx_gather(httpx_client *c, httpx_task **tasks, size_t n); /* until all are done */
/* Frees a task and its response. A task still running is cancelled: its
   connection is closed if it was mid-exchange, so the pool stays sane. */
HTTPX_API void httpx_task_free(httpx_task *t);
HTTPX_API void httpx_task_cancel(httpx_task *t);  /* the same as httpx_task_free */

/* Embedding in another event loop: httpx_client_fds fills up to cap pollfds
   (fd and events) and *timeout_ms with when the client next needs a call
   (-1: no deadline), and returns how many it filled (it never fills more than
   cap; call again with a larger array when it returns cap). After the caller's
   own poll/epoll, httpx_client_process takes the same array with revents set
   and does the work with those events (it does not poll again; entries may be
   reordered, they are matched by fd); it returns the tasks still in flight.
   On Windows the struct is Winsock's (WSAPOLLFD): fd is a SOCKET, for
   WSAPoll or select. */
struct pollfd;
HTTPX_API int httpx_client_fds(httpx_client *c, struct pollfd *fds, int cap, int *timeout_ms);
HTTPX_API int httpx_client_process(httpx_client *c, struct pollfd *fds, int n);

/* >>reading responses */
HTTPX_API const char *httpx_header(const httpx_response *r, const char *name);           /* first value or NULL */
HTTPX_API const char *httpx_header_nth(const httpx_response *r, const char *name, size_t n); /* n-th value of a repeated header */
HTTPX_API const httpx_headers *httpx_response_headers(const httpx_response *r);          /* all, in order */
/* The request that was sent for r: the last hop's, after redirects (HTTPX's
   r.request). Valid until r is freed. */
HTTPX_API const httpx_req *httpx_response_request(const httpx_response *r);
/* r.history: the responses of the redirects followed to reach r, oldest
   first; r itself is not in it. Each is a read-only response: status_code,
   reason_phrase, http_version, url, elapsed, headers (httpx_header,
   httpx_response_headers), content "" (a followed redirect's body is
   dropped), httpx_response_request (method and URL only). They live and die
   with r: never free them. NULL for i out of range. */
HTTPX_API size_t httpx_response_history_len(const httpx_response *r);
HTTPX_API const httpx_response *httpx_response_history(const httpx_response *r, size_t i);
/* r.next_request's URL: where a redirect response (301, 302, 303, 307, 308
   with a Location) points, resolved against r->url, as the next hop would
   go when redirects are not followed. NULL when r is no redirect (or out of
   memory). Valid until r is freed. */
HTTPX_API const char *httpx_response_next_url(const httpx_response *r);
/* r.links: the Link header fields (RFC 8288; every Link field, several links
   each) in order, as HTTPX's response.links reads them: the URL as written
   between < > (not resolved, as HTTPX keeps it), rel and the other
   parameters (quoted strings unquoted, names in lower case). */
typedef struct httpx_link {
    const char *url;
    const char *rel;            /* NULL when the link has none */
    const httpx_pair *params;   /* every parameter, rel too, {0}-terminated */
} httpx_link;
HTTPX_API size_t httpx_response_links_len(const httpx_response *r);       /* 0 also when out of memory */
HTTPX_API bool   httpx_response_link(const httpx_response *r, size_t i, httpx_link *out);  /* false: i out of range */
/* links["next"]: the URL of the first link whose rel (one of its
   space-separated values) is rel, case-insensitively; NULL when none. */
HTTPX_API const char *httpx_response_link_url(const httpx_response *r, const char *rel);
/* A parameter of a link by name (case-insensitive), NULL when absent. */
HTTPX_API const char *httpx_link_param(const httpx_link *l, const char *name);

/* >>request: a request as sent, as a mock handler sees it and as
   httpx_response_request returns it. (The type is httpx_req because
   httpx_request is the one-shot call.) */
HTTPX_API const char *httpx_request_method(const httpx_req *q);              /* "GET" */
HTTPX_API const char *httpx_request_url(const httpx_req *q);                 /* absolute, params added */
HTTPX_API const char *httpx_request_header(const httpx_req *q, const char *name); /* first value or NULL */
/* Every field sent but Content-Length and Transfer-Encoding (each protocol
   frames the body itself) and Host (derived from the URL unless given). */
HTTPX_API const httpx_headers *httpx_request_headers(const httpx_req *q);
/* The body bytes (*len set; NULL and 0 for none). In a mock handler always
   the whole body, streamed uploads and multipart included. On a response's
   request: in-memory bodies (content, json, data); NULL for a streamed
   upload or files sent over the network, whose bytes are not kept. */
HTTPX_API const char *httpx_request_body(const httpx_req *q, size_t *len);
/* Editing a request before it goes out: a request hook or an auth flow
   (both run before each hop is sent) adds, replaces or removes fields.
   Names and values are checked as httpx_headers_add checks them
   (HTTPX_ERR_INVALID_HEADER); Content-Length and Transfer-Encoding are the
   protocol's to write and are refused too (HTTPX_ERR_INVALID_HEADER).
   A NULL request is HTTPX_ERR_INVALID_ARGUMENT. */
HTTPX_API httpx_error httpx_request_set_header(httpx_req *q, const char *name, const char *value); /* replaces all */
HTTPX_API httpx_error httpx_request_add_header(httpx_req *q, const char *name, const char *value);
HTTPX_API size_t      httpx_request_remove_header(httpx_req *q, const char *name);  /* returns how many */
/* r.text: the body decoded to UTF-8, NUL-terminated, owned by the response
   (made once, then cached). The encoding is the Content-Type charset, else the
   one a byte order mark names, else UTF-8. Known: utf-8, utf-16 (-le, -be),
   iso-8859-1 (latin-1 and its aliases), windows-1252 (cp1252), us-ascii; an
   unknown charset decodes as UTF-8. Bytes that are not valid in the encoding
   become U+FFFD, exactly as Python's bytes.decode(enc, "replace") does. NULL
   only when out of memory. httpx_text_len: its length in bytes (the text may
   hold U+0000). */
HTTPX_API const char *httpx_text(httpx_response *r);
HTTPX_API size_t httpx_text_len(httpx_response *r);
/* r.encoding: the name of the encoding httpx_text uses ("utf-8", "utf-16-le",
   "utf-16-be", "iso-8859-1", "windows-1252", "ascii"). Never NULL. */
HTTPX_API const char *httpx_encoding(httpx_response *r);
/* iter_text: the next piece of a streamed body, decoded as httpx_text would;
   a character is never split between pieces. NULL at the end or on an error
   (r->error says which); *len (may be NULL) gets the piece's length. The
   pointer stays valid until the next call. Do not mix with httpx_read_line. */
HTTPX_API const char *httpx_read_text(httpx_response *r, size_t *len);
HTTPX_API httpx_error httpx_raise_for_status(const httpx_response *r);
HTTPX_API bool httpx_is_informational(const httpx_response *r);
HTTPX_API bool httpx_is_success(const httpx_response *r);
HTTPX_API bool httpx_is_redirect(const httpx_response *r);
HTTPX_API bool httpx_is_client_error(const httpx_response *r);
HTTPX_API bool httpx_is_server_error(const httpx_response *r);
HTTPX_API bool httpx_is_error(const httpx_response *r);  /* 4xx or 5xx */
/* Streaming: >0 bytes, 0 at the end of the body, <0 a negated httpx_error (also in r->error). */
HTTPX_API long httpx_read(httpx_response *r, void *buf, size_t cap);
/* The next line without its newline (\n, \r\n or \r), NULL at the end or on error.
   The pointer stays valid until the next read. *len (may be NULL) gets its length. */
HTTPX_API const char *httpx_read_line(httpx_response *r, size_t *len);
/* Frees the response; an unread stream is drained (small rest) or its connection closed. */
HTTPX_API void httpx_response_free(httpx_response *r);

/* >>json
   r.json(): the body parsed as JSON (RFC 8259), and a small tree API.

       const httpx_json_value *doc = httpx_json(r);
       if (!doc) fprintf(stderr, "%s\n", httpx_json_error_of(r)->message);
       const char *name = httpx_json_string(httpx_json_path(doc, "items[0].name"));

   Every accessor takes NULL or a value of the wrong type and then returns a
   neutral value (NULL, 0, false, HTTPX_JSON_NONE), so chains never crash and
   one check at the end is enough.
   Reading rules: UTF-8 only (a leading UTF-8 BOM is skipped; invalid UTF-8,
   UTF-16 or Latin-1 text is an error); a \u escape of a lone surrogate becomes
   U+FFFD; integers that fit in 64 bits are kept exactly; other numbers are the
   nearest double (too large: +-infinity, too small: 0), independent of the C
   locale; nesting deeper than HTTPX_JSON_MAX_DEPTH (512) and documents larger
   than HTTPX_JSON_MAX_SIZE (1 GiB) are errors; duplicate keys are kept and
   httpx_json_get finds the last, as Python and JavaScript do.
   Memory: a handful of allocations per document: 32 bytes per value plus at
   most the input's size for the strings. */
typedef struct httpx_json_value httpx_json_value;
typedef enum httpx_json_kind {
    HTTPX_JSON_NONE = 0,        /* no value: a NULL pointer (missing key, index out of range) */
    HTTPX_JSON_NULL, HTTPX_JSON_BOOL, HTTPX_JSON_NUMBER, HTTPX_JSON_STRING,
    HTTPX_JSON_ARRAY, HTTPX_JSON_OBJECT
} httpx_json_kind;
typedef struct httpx_json_error {
    httpx_error code;           /* HTTPX_OK; HTTPX_ERR_DECODING (not JSON), HTTPX_ERR_TOO_LARGE
                                   (over a limit), HTTPX_ERR_NOMEM; httpx_json(r) on a failed
                                   request: r->error */
    size_t offset;              /* the byte where the text stopped being JSON */
    size_t line, column;        /* the same, 1-based (column in bytes) */
    char message[240];          /* e.g. "expected ',' or '}' at byte 17 (line 2, column 5), found ']'" */
} httpx_json_error;

/* Parses text[0..len). Returns the root (free it with httpx_json_free), or
   NULL with *err (may be NULL) saying why. */
HTTPX_API httpx_json_value *httpx_json_parse(const char *text, size_t len, httpx_json_error *err);
HTTPX_API void httpx_json_free(httpx_json_value *root);  /* only roots from httpx_json_parse */
/* The response body parsed once and cached; the response owns it (freed by
   httpx_response_free). NULL when the body is not JSON (or the request
   failed): httpx_json_error_of(r) says why (code HTTPX_OK before a failure). */
HTTPX_API const httpx_json_value *httpx_json(httpx_response *r);
HTTPX_API const httpx_json_error *httpx_json_error_of(httpx_response *r);

HTTPX_API httpx_json_kind httpx_json_type(const httpx_json_value *v);
HTTPX_API bool        httpx_json_is_null(const httpx_json_value *v);   /* JSON null (not a missing value) */
HTTPX_API bool        httpx_json_bool(const httpx_json_value *v);      /* true only for JSON true */
HTTPX_API double      httpx_json_number(const httpx_json_value *v);    /* 0 unless a number */
/* The exact integer when the number was written as an integer that fits in
   int64_t (*ok true). Otherwise *ok (may be NULL) is false and the result is
   the number truncated toward zero and clamped to the int64_t range (0 for
   a value that is no number). */
HTTPX_API int64_t     httpx_json_int(const httpx_json_value *v, bool *ok);
/* UTF-8, NUL-terminated; NULL unless a string. A string may contain U+0000:
   httpx_json_string_len is its length in bytes. */
HTTPX_API const char *httpx_json_string(const httpx_json_value *v);
HTTPX_API size_t      httpx_json_string_len(const httpx_json_value *v);
HTTPX_API size_t      httpx_json_len(const httpx_json_value *v);       /* elements or members; 0 otherwise */
HTTPX_API const httpx_json_value *httpx_json_at(const httpx_json_value *v, size_t i);  /* i-th element or member value */
/* The member named key (the last one when the name repeats); linear search. */
HTTPX_API const httpx_json_value *httpx_json_get(const httpx_json_value *v, const char *key);
/* Iteration over an object: the i-th member's value, and its name in *name
   (may be NULL). Members keep their order in the text. */
HTTPX_API const httpx_json_value *httpx_json_member(const httpx_json_value *v, size_t i, const char **name);
/* The name of a member value (from httpx_json_at, _get, _member), NULL for
   array elements and roots; httpx_json_key_len: its length in bytes. */
HTTPX_API const char *httpx_json_key(const httpx_json_value *v);
HTTPX_API size_t      httpx_json_key_len(const httpx_json_value *v);
/* A value by path: names separated by '.', array indexes in brackets:
   "items[0].name", "[2][0]", "a.b.c". A negative index counts from the end
   ("[-1]"). A backslash takes the next character literally, for names that
   hold '.', '[', ']' or '\\': "a\\.b" is the member "a.b". "" is v itself.
   NULL when any step is missing or of the wrong type, or the path is malformed. */
HTTPX_API const httpx_json_value *httpx_json_path(const httpx_json_value *v, const char *path);

/* Writing JSON for request bodies: a builder that escapes for you.

       httpx_jsonw *w = httpx_jsonw_new();
       httpx_jsonw_object_begin(w);
       httpx_jsonw_key(w, "name");  httpx_jsonw_string(w, user_input);
       httpx_jsonw_key(w, "tags");  httpx_jsonw_array_begin(w); ... httpx_jsonw_array_end(w);
       httpx_jsonw_object_end(w);
       const char *body = httpx_jsonw_text(w);      (NULL: misuse or out of memory)
       if (body) r = httpx_post(url, &(httpx_opts){ .json = body });
       else fprintf(stderr, "%s\n", httpx_jsonw_error_message(w));
       httpx_jsonw_free(w);                         (frees the text too)

   Every call returns HTTPX_OK or the first error, which sticks: after one,
   later calls do nothing and httpx_jsonw_text returns NULL. Errors: a value
   where a key is due (or the reverse), an end that does not match, a second
   top-level value, nesting deeper than HTTPX_JSON_MAX_DEPTH, invalid UTF-8 in
   a string (HTTPX_ERR_INVALID_ARGUMENT: it is refused, never altered), a
   number that is NaN or infinite, out of memory. A NULL writer (httpx_jsonw_new
   out of memory) makes every call return HTTPX_ERR_NOMEM. */
typedef struct httpx_jsonw httpx_jsonw;
HTTPX_API httpx_jsonw *httpx_jsonw_new(void);
HTTPX_API void        httpx_jsonw_free(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_object_begin(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_object_end(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_array_begin(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_array_end(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_key(httpx_jsonw *w, const char *key);
HTTPX_API httpx_error httpx_jsonw_string(httpx_jsonw *w, const char *s);    /* NULL: null */
HTTPX_API httpx_error httpx_jsonw_string_n(httpx_jsonw *w, const char *s, size_t n);
HTTPX_API httpx_error httpx_jsonw_number(httpx_jsonw *w, double x);         /* shortest text that reads back as x */
HTTPX_API httpx_error httpx_jsonw_int(httpx_jsonw *w, int64_t x);
HTTPX_API httpx_error httpx_jsonw_bool(httpx_jsonw *w, bool b);
HTTPX_API httpx_error httpx_jsonw_null(httpx_jsonw *w);
HTTPX_API httpx_error httpx_jsonw_raw(httpx_jsonw *w, const char *json);    /* checked: must be one JSON value */
HTTPX_API httpx_error httpx_jsonw_value(httpx_jsonw *w, const httpx_json_value *v); /* a parsed tree */
HTTPX_API const char *httpx_jsonw_text(httpx_jsonw *w);     /* the document when complete, else NULL */
HTTPX_API const char *httpx_jsonw_error_message(const httpx_jsonw *w);  /* "" when there is no error */

/* printf for JSON: the conversions write JSON values, so the format holds the
   structure and the arguments are escaped for you:
       char *body = httpx_json_printf("{\"name\": %s, \"age\": %d, \"admin\": %b}", name, 36, true);
   %s     a char * as a JSON string, escaped (NULL: null; invalid UTF-8 is an error)
   %d %i  int; %ld long; %lld long long (cast an int64_t); %u unsigned; %zu size_t
   %f %g  double, written as httpx_jsonw_number does (NaN or infinity is an error)
   %b     bool (passed as int): true or false
   %j     a char * of JSON text inserted as it is (e.g. another printf's result)
   %%     a '%'
   The result is parsed before it is returned, so it is always valid JSON.
   NULL on any error (httpx_json_vprintf fills err, which may be NULL). Free
   it with httpx_json_printf_free. */
HTTPX_API char *httpx_json_printf(const char *fmt, ...);
HTTPX_API char *httpx_json_vprintf(httpx_json_error *err, const char *fmt, va_list ap);
HTTPX_API void  httpx_json_printf_free(char *s);

/* >>cookies
   A cookie jar, as HTTPX's httpx.Cookies and the jar of an RFC 6265 user
   agent: Set-Cookie is parsed per RFC 6265 section 5 (every date form,
   Max-Age over Expires, Domain, Path, Secure, HttpOnly, SameSite kept);
   Cookie headers carry the cookies whose domain and path match, longest path
   first, Secure ones only over https. A Domain that is a public suffix
   (Domain=com, Domain=co.uk: a short built-in list, see README) is refused.
   Limits (a cookie over them is refused, or evicts the least recently used):
   HTTPX_COOKIE_MAX_SIZE 4096 bytes of name + value, HTTPX_COOKIE_MAX_PER_DOMAIN
   50, HTTPX_COOKIE_MAX_TOTAL 3000 (define them in the implementation file to
   change them). HTTPX_NO_COOKIES leaves all of it out.

       httpx_cookies *jar = httpx_cookies_new();
       httpx_cookies_load(jar, "cookies.txt");          (curl -b/-c format)
       httpx_cookies_set(jar, "session", "abc", "example.org", "/");
       const char *v = httpx_cookies_get(jar, "session", NULL, NULL);
       httpx_cookies_save(jar, "cookies.txt");
       httpx_cookies_free(jar);

   A jar is used by one thread at a time. Strings it returns stay valid until
   the jar changes. */
#ifndef HTTPX_NO_COOKIES
typedef struct httpx_cookie {
    const char *name, *value;
    const char *domain;         /* without a leading dot; "" for a cookie set with no domain
                                   (sent to every host, as HTTPX's cookies.set) */
    const char *path;
    const char *same_site;      /* "Strict", "Lax", "None", or "" when not given */
    long long expires;          /* Unix time; 0 for a session cookie */
    bool host_only;             /* sent to domain exactly, not to its subdomains */
    bool secure;                /* sent over https only */
    bool http_only;
} httpx_cookie;
HTTPX_API httpx_cookies *httpx_cookies_new(void);          /* NULL: out of memory */
HTTPX_API void        httpx_cookies_free(httpx_cookies *j);
/* cookies.get(name, domain=, path=): the value of the first cookie (in the
   order they were first stored) of that name; NULL domain or path: any
   (a leading dot of domain is ignored). NULL when there is none. */
HTTPX_API const char *httpx_cookies_get(const httpx_cookies *j, const char *name, const char *domain, const char *path);
/* cookies.set(name, value, domain=, path=): a session cookie for domain and
   its subdomains (NULL or "": every host), path (NULL: "/"). Replaces one of
   the same name, domain and path. HTTPX_ERR_INVALID_ARGUMENT for an empty
   name, '=' or ';' in the name, ';' in the value, a control character, a
   path not starting with '/', or over HTTPX_COOKIE_MAX_SIZE. */
HTTPX_API httpx_error httpx_cookies_set(httpx_cookies *j, const char *name, const char *value, const char *domain, const char *path);
/* cookies.delete(name, domain=, path=): removes every match; returns how many. */
HTTPX_API size_t      httpx_cookies_delete(httpx_cookies *j, const char *name, const char *domain, const char *path);
/* cookies.clear(domain=, path=): removes every cookie that matches (NULL, NULL: all). */
HTTPX_API void        httpx_cookies_clear(httpx_cookies *j, const char *domain, const char *path);
/* Iteration: the i-th cookie (i < httpx_cookies_count), in the order they were stored. */
HTTPX_API size_t      httpx_cookies_count(const httpx_cookies *j);
HTTPX_API bool        httpx_cookies_at(const httpx_cookies *j, size_t i, httpx_cookie *out);
/* What a browser does with a server's "Set-Cookie: <set_cookie>" from url:
   HTTPX_OK when stored (or deleted by a past expiry); a refused cookie
   (bad syntax, a Domain the host is not in, a public suffix, too large) is
   HTTPX_ERR_INVALID_ARGUMENT or HTTPX_ERR_TOO_LARGE, httpx_cookies_error says why. */
HTTPX_API httpx_error httpx_cookies_set_cookie(httpx_cookies *j, const char *url, const char *set_cookie);
/* The Cookie header a request to url carries ("a=1; b=2", "" when none),
   written into buf as snprintf does; returns its full length. */
HTTPX_API size_t      httpx_cookies_header(httpx_cookies *j, const char *url, char *buf, size_t cap);
/* The Netscape cookie file of curl's -b and -c (and wget, and browsers'
   exporters): tab-separated lines, "#HttpOnly_" before an HttpOnly cookie's
   domain, expiry 0 for a session cookie. load adds the file's cookies to the
   jar (lines that are not cookies are skipped, as curl does; httpx_cookies_error
   counts them); save writes every cookie not yet expired, session ones too
   (SameSite has no column: it is not saved), through a temporary file renamed
   over path. A failure is HTTPX_ERR_INVALID_ARGUMENT (cannot open) or
   HTTPX_ERR_WRITE, with the reason in httpx_cookies_error. */
HTTPX_API httpx_error httpx_cookies_load(httpx_cookies *j, const char *path);
HTTPX_API httpx_error httpx_cookies_save(httpx_cookies *j, const char *path);
/* Why the last set_cookie, load or save failed, or what load skipped; "" when nothing to say. */
HTTPX_API const char *httpx_cookies_error(const httpx_cookies *j);
/* r.cookies: the cookies r's Set-Cookie headers set, as the jar would store
   them for r->url (refused ones left out), in a new jar the caller frees with
   httpx_cookies_free; read one with httpx_cookies_get(jar, name, NULL, NULL),
   iterate with httpx_cookies_at. NULL only when out of memory. */
HTTPX_API httpx_cookies *httpx_response_cookies(const httpx_response *r);
#endif /* HTTPX_NO_COOKIES */

#ifdef __cplusplus
}
#endif

#endif /* HTTPX_H_INCLUDED */
/* End of public.h */

#if defined(HTTPX_LINES)
#line 850 "httpx.h"
#endif
#ifdef HTTPX_IMPLEMENTATION
#ifndef HTTPX_IMPLEMENTATION_INCLUDED
#define HTTPX_IMPLEMENTATION_INCLUDED

/* ======================================================================
   Begin file platform.h   (grep anchor: >>platform)
   ====================================================================== */
/* platform: what differs between operating systems, in one place, as
   mongoose's arch_*.h: the socket type and its "none" value, the poll
   structure and flags, the would-block test, the error codes, the
   monotonic clock, random bytes. The rest of the library sees these names
   and never a socket header of its own (tools/amalgamate.py refuses one
   outside platform.h, platform.c, net.c and dns_conf.c). A port to another
   system (Windows: SOCKET, INVALID_SOCKET, WSAPoll, WSAGetLastError,
   QueryPerformanceCounter, BCryptGenRandom) edits this file and
   platform.c. */
#if defined(HTTPX_LINES)
#line 9 "tools/src/platform.h"
#endif
#ifndef HTTPX__PLATFORM_H
#define HTTPX__PLATFORM_H
/* #include "public.h": earlier in httpx.h */

/* Internal functions: static in the amalgamation; the test build defines it
   as empty so that test files can call them from other units. */
#ifndef HTTPX__PRIVATE
#if defined(__GNUC__) || defined(__clang__)
#define HTTPX__PRIVATE static __attribute__((unused))
#else
#define HTTPX__PRIVATE static
#endif
#endif

/* The format archetype of the library's printf-like calls: mingw's "printf"
   is msvcrt's, without %zu; public.h turns on mingw's own C99 stdio, whose
   archetype is __MINGW_PRINTF_FORMAT. */
#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#define HTTPX__PRINTF __MINGW_PRINTF_FORMAT
#else
#define HTTPX__PRINTF printf
#endif

#if defined(_WIN32)
/* Windows: Winsock 2. WSAStartup runs once, from httpx__socket (see
   platform.c). httpx_client_fds hands out these SOCKETs (as int: a SOCKET
   value fits in 32 bits on every Windows so far). Name lookups go through
   getaddrinfo on a thread (HTTPX_DNS_THREADS): the stub resolver would need
   the system's DNS servers. */
#ifndef HTTPX_DNS_THREADS
#define HTTPX_DNS_THREADS 1
#endif
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0600     /* Vista: inet_ntop, inet_pton, WSAPOLLFD */
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <errno.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET httpx__sock;
#define HTTPX__NO_SOCK INVALID_SOCKET
typedef WSAPOLLFD httpx__pollfd;
#define MSG_NOSIGNAL 0          /* Winsock raises no SIGPIPE */
#define HTTPX__SOCK_ERRNO() (WSAGetLastError())
#define HTTPX__WOULD_BLOCK(err) ((err) == WSAEWOULDBLOCK)
#define HTTPX__IN_PROGRESS(err) ((err) == WSAEWOULDBLOCK || (err) == WSAEINPROGRESS)
#define HTTPX__INTERRUPTED(err) ((err) == WSAEINTR)
#define HTTPX__REFUSED(err) ((err) == WSAECONNREFUSED)
/* send/recv take an int length */
#define HTTPX__IO_LEN(n) ((int)((n) > 0x40000000u ? 0x40000000u : (n)))
/* A Winsock error code as text (strerror knows only the C library's). */
HTTPX__PRIVATE const char *httpx__sock_strerror(int err);
#else
#include <errno.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/socket.h>

/* A socket, and the value that is none. */
typedef int httpx__sock;
#define HTTPX__NO_SOCK (-1)
/* One entry of httpx__poll's array; events POLLIN, POLLOUT, POLLERR, POLLHUP
   (the names POSIX and WSAPoll share). */
typedef struct pollfd httpx__pollfd;

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0          /* macOS: httpx__socket sets SO_NOSIGPIPE instead */
#endif

/* The error of the last failed system call (errno here; WSAGetLastError
   elsewhere), and the tests on it. */
#define HTTPX__SOCK_ERRNO() (errno)
#define HTTPX__WOULD_BLOCK(err) ((err) == EAGAIN || (err) == EWOULDBLOCK)
#define HTTPX__IN_PROGRESS(err) ((err) == EINPROGRESS)
#define HTTPX__INTERRUPTED(err) ((err) == EINTR)
#define HTTPX__REFUSED(err) ((err) == ECONNREFUSED)
#define HTTPX__IO_LEN(n) (n)
#define httpx__sock_strerror(err) strerror(err)
#endif

/* The one process-wide lock, for what clients of several threads share (the
   system trust store). Held briefly; never around a blocking call. Compilers
   without GCC's atomic builtins get no lock: use clients from one thread. */
#if defined(HTTPX_BEARSSL) || defined(HTTPX_OPENSSL)   /* its one user today: TLS */
HTTPX__PRIVATE void httpx__global_lock(void);
HTTPX__PRIVATE void httpx__global_unlock(void);
#endif
/* Monotonic seconds. */
HTTPX__PRIVATE double httpx__now(void);
/* n bytes from the system's random source (/dev/urandom); false when it
   cannot be read (a chroot, a sandbox): the caller decides what then. */
HTTPX__PRIVATE bool httpx__random(void *p, size_t n);
/* O_NONBLOCK and FD_CLOEXEC on fd; false (errno set) when fcntl fails. */
HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd);
/* A socket that never blocks, is closed on exec and raises no SIGPIPE;
   HTTPX__NO_SOCK with errno set on failure. */
HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type);
HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd);   /* HTTPX__NO_SOCK is fine */
/* The one poll() of the library: like poll, but EINTR is "nothing ready"
   (0). -1 only on a real failure (errno set). */
HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms);

#endif /* HTTPX__PLATFORM_H */
/* End of platform.h */

#if defined(HTTPX_LINES)
#line 981 "httpx.h"
#endif
/* ======================================================================
   Begin file internal.h   (grep anchor: >>internal)
   ====================================================================== */
/* Internal declarations that every component shares: memory, buffers,
   strings, errors, the return codes of the nonblocking calls (time is
   platform.h's). Nothing here is part of the API: names are httpx__ and, in
   the amalgamation, static. Each component's own declarations are in its
   x_internal.h (SHARED_HEADERS in tools/amalgamate.py), which a file
   includes when it uses them; a header includes what it uses, so that each
   component compiles alone (make modules). */
#if defined(HTTPX_LINES)
#line 7 "tools/src/internal.h"
#endif
#ifndef HTTPX__INTERNAL_H
#define HTTPX__INTERNAL_H
/* #include "public.h": earlier in httpx.h */
/* #include "platform.h": earlier in httpx.h */

#if defined(HTTPX_MALLOC) || defined(HTTPX_REALLOC) || defined(HTTPX_FREE)
#if !defined(HTTPX_MALLOC) || !defined(HTTPX_REALLOC) || !defined(HTTPX_FREE)
#error "httpx.h: define all of HTTPX_MALLOC, HTTPX_REALLOC and HTTPX_FREE, or none"
#endif
#else
#include <stdlib.h>
#define HTTPX_MALLOC(sz) malloc(sz)
#define HTTPX_REALLOC(p, sz) realloc(p, sz)
#define HTTPX_FREE(p) free(p)
#endif

#ifndef HTTPX_ASSERT
#include <assert.h>
#define HTTPX_ASSERT(c) assert(c)
#endif

#include <string.h>
#include <stdarg.h>

/* Internal functions are static in the amalgamation (HTTPX__PRIVATE, defined
   in platform.h, which comes first). The test build defines HTTPX__PRIVATE as
   empty so that test files can call them from other units. */

/* ---- base: memory, buffers, strings, errors, time ---- */

HTTPX__PRIVATE void *httpx__malloc(size_t n);
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n);
HTTPX__PRIVATE void  httpx__free(void *p);

/* A growable byte buffer. Zero-initialised is empty. Functions return false
   only when the allocator fails (now or earlier: failure is sticky). The contents are NUL-terminated whenever
   cap > 0 (the NUL is not counted in len). */
typedef struct httpx__buf {
    char *p;
    size_t len, cap;
    bool borrowed;      /* p is not ours (see httpx__buf_init_inline) */
    bool failed;        /* an allocation failed: every later append fails too, so a
                           sequence of appends can be checked once, at its end */
} httpx__buf;
/* Empties b (keeping its memory) and forgets an earlier failure. */
HTTPX__PRIVATE void httpx__buf_clear(httpx__buf *b);
/* Starts b on memory that is not ours (an inline array): it is used until it
   is too small, then the contents move to the heap. Saves an allocation for
   the common small case. */
HTTPX__PRIVATE void httpx__buf_init_inline(httpx__buf *b, char *mem, size_t cap);
HTTPX__PRIVATE bool httpx__buf_reserve(httpx__buf *b, size_t extra);
HTTPX__PRIVATE bool httpx__buf_append(httpx__buf *b, const void *p, size_t n);
HTTPX__PRIVATE bool httpx__buf_puts(httpx__buf *b, const char *s);
HTTPX__PRIVATE bool httpx__buf_putc(httpx__buf *b, char c);
HTTPX__PRIVATE bool httpx__buf_printf(httpx__buf *b, const char *fmt, ...);
HTTPX__PRIVATE void httpx__buf_free(httpx__buf *b);

/* A view into somebody else's bytes. */
typedef struct httpx__str { const char *p; size_t n; } httpx__str;
HTTPX__PRIVATE bool httpx__str_ieq(httpx__str a, const char *b);     /* ASCII case-insensitive */
HTTPX__PRIVATE bool httpx__mem_ieq(const char *a, const char *b, size_t n);
HTTPX__PRIVATE int  httpx__lower(int c);
HTTPX__PRIVATE bool httpx__is_tchar(int c);                          /* RFC 9110 token char */

/* Failure detail. A function that can fail takes an httpx__err * and fills it
   through httpx__fail, which returns the code so that callers can write
   `return httpx__fail(e, HTTPX_ERR_X, "...", ...);`. e may be NULL. */
typedef struct httpx__err {
    httpx_error code;
    int sys_errno;
    char msg[240];
} httpx__err;
HTTPX__PRIVATE httpx_error httpx__fail(httpx__err *e, httpx_error code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 3, 4)))
#endif
    ;

/* httpx__now(), monotonic seconds, is platform.h's. */

/* The next number of a splitmix64 stream: well mixed, not secret (seed the
   state from httpx__random where it must not be guessed). */
HTTPX__PRIVATE uint64_t httpx__splitmix64(uint64_t *state);
/* Hex digits: the value of c (0..15, or -1 when c is not one), the digit of
   v & 15, and n bytes as 2n lower-case digits (no NUL). */
HTTPX__PRIVATE int  httpx__hex_value(int c);
HTTPX__PRIVATE char httpx__hex_digit(unsigned v, bool upper);
HTTPX__PRIVATE void httpx__hex_encode(char *out, const void *p, size_t n);

/* base.c: appends s[0..n) in base64 (HTTP Basic credentials). */
HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n);

/* ---- return codes of the nonblocking calls ----
   One convention for every call that moves bytes or parses them as they come
   (net, streams, tls, dns, the HTTP/1.1 and HTTP/2 parsers): a value >= 0 is
   progress (a count, or 0 where documented, e.g. end of stream), and: */
#define HTTPX__BAD   (-1)   /* failed: the httpx__err says why */
#define HTTPX__AGAIN (-2)   /* would block, or needs more input: call again later */
#define HTTPX__FULL  (-3)   /* a caller-given room or limit was hit (say which in the caller) */

/* ---- codecs ----
   Each codec has its own header: url_internal.h, h1_internal.h,
   h2_internal.h (HPACK, frames, session), json_internal.h, text_internal.h.
   A new codec (or component) puts its declarations in its own x_internal.h,
   not here: list it in SHARED_HEADERS of tools/amalgamate.py and include it
   from the files that use it. */

#endif /* HTTPX__INTERNAL_H */
/* End of internal.h */

#if defined(HTTPX_LINES)
#line 1107 "httpx.h"
#endif
/* ======================================================================
   Begin file platform.c   (grep anchor: >>platform)
   ====================================================================== */
/* platform: the system calls behind platform.h (see there why they are in
   one place). */
#if defined(HTTPX_LINES)
#line 2 "tools/src/platform.c"
#endif
/* #include "internal.h": earlier in httpx.h */
#if defined(_WIN32)
#include <bcrypt.h>
#ifdef _MSC_VER
#pragma comment(lib, "ws2_32")
#pragma comment(lib, "bcrypt")
#endif

/* Winsock needs WSAStartup before its first call. It counts its callers, so
   two threads racing here both start it and no harm is done; it is never
   cleaned up (the process's exit does that). */
static volatile LONG httpx__wsa_started;
static bool httpx__wsa_start(void) {
    WSADATA wsa;
    if (httpx__wsa_started) return true;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return false;
    InterlockedExchange(&httpx__wsa_started, 1);
    return true;
}

HTTPX__PRIVATE double httpx__now(void) {
    static LARGE_INTEGER freq;   /* fixed at boot: a race writes the same value */
    LARGE_INTEGER t;
    if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

#if defined(HTTPX_BEARSSL) || defined(HTTPX_OPENSSL)
static volatile LONG httpx__global_lock_word;
HTTPX__PRIVATE void httpx__global_lock(void) {
    while (InterlockedExchange(&httpx__global_lock_word, 1)) SwitchToThread();
}
HTTPX__PRIVATE void httpx__global_unlock(void) { InterlockedExchange(&httpx__global_lock_word, 0); }
#endif

HTTPX__PRIVATE bool httpx__random(void *p, size_t n) {
    unsigned char *out = (unsigned char *)p;
    while (n > 0) {
        ULONG chunk = n > 0x10000000u ? 0x10000000u : (ULONG)n;
        if (BCryptGenRandom(NULL, out, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return false;
        out += chunk;
        n -= chunk;
    }
    return true;
}

HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd) {
    u_long one = 1;
    return ioctlsocket(fd, FIONBIO, &one) == 0;
}

HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type) {
    httpx__sock fd;
    if (!httpx__wsa_start()) return HTTPX__NO_SOCK;
    /* WSA_FLAG_NO_HANDLE_INHERIT: the socket is not inherited by child
       processes (the FD_CLOEXEC of POSIX). */
    fd = WSASocketW(family, type, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (fd == INVALID_SOCKET) return HTTPX__NO_SOCK;
    if (!httpx__fd_nonblock(fd)) {
        int err = WSAGetLastError();
        closesocket(fd);
        WSASetLastError(err);
        return HTTPX__NO_SOCK;
    }
    return fd;
}

HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd) { if (fd != HTTPX__NO_SOCK) closesocket(fd); }

/* The poll wrapper is on select, not WSAPoll: WSAPoll before Windows 10 2004
   does not report a failed non-blocking connect (no POLLERR/POLLHUP, the
   wait just times out), which is also why curl avoids it. select reports
   that failure in its except set. Winsock's fd_set is a count and an array
   of SOCKETs (no FD_SETSIZE limit when sized by hand), so a set for n
   sockets is allocated with room for n. */
typedef struct httpx__fdset { u_int fd_count; SOCKET fd_array[1]; } httpx__fdset;

HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms) {
    /* the three sets in one block from the user's allocator (HTTPX_MALLOC:
       platform.c sits below base.c's httpx__malloc) */
    size_t one = offsetof(httpx__fdset, fd_array) + (n ? n : 1) * sizeof(SOCKET);
    httpx__fdset *rd, *wr, *ex;
    unsigned char *block;
    struct timeval tv;
    size_t i;
    int rc, ready = 0;
    u_int used = 0;
    if (one < sizeof(fd_set)) one = sizeof(fd_set);
    one = (one + sizeof(SOCKET) - 1) / sizeof(SOCKET) * sizeof(SOCKET);
    block = (unsigned char *)HTTPX_MALLOC(3 * one);
    if (!block) {
        WSASetLastError(WSA_NOT_ENOUGH_MEMORY);
        return -1;
    }
    rd = (httpx__fdset *)(void *)block;
    wr = (httpx__fdset *)(void *)(block + one);
    ex = (httpx__fdset *)(void *)(block + 2 * one);
    rd->fd_count = wr->fd_count = ex->fd_count = 0;
    for (i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd == INVALID_SOCKET) continue;
        used++;
        if (fds[i].events & POLLIN) rd->fd_array[rd->fd_count++] = fds[i].fd;
        if (fds[i].events & POLLOUT) wr->fd_array[wr->fd_count++] = fds[i].fd;
        ex->fd_array[ex->fd_count++] = fds[i].fd;
    }
    if (!used) {
        /* select refuses empty sets (WSAEINVAL): wait as poll would */
        HTTPX_FREE(block);
        if (timeout_ms != 0) Sleep(timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
        return 0;
    }
    tv.tv_sec = timeout_ms < 0 ? 0 : timeout_ms / 1000;
    tv.tv_usec = timeout_ms < 0 ? 0 : (timeout_ms % 1000) * 1000;
    rc = select(0, (fd_set *)(void *)rd, (fd_set *)(void *)wr, (fd_set *)(void *)ex, timeout_ms < 0 ? NULL : &tv);
    if (rc > 0) {
        for (i = 0; i < n; i++) {
            if (fds[i].fd == INVALID_SOCKET) continue;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)rd)) fds[i].revents |= POLLIN;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)wr)) fds[i].revents |= POLLOUT;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)ex)) fds[i].revents |= POLLERR;
            if (fds[i].revents) ready++;
        }
    }
    HTTPX_FREE(block);
    if (rc < 0) return WSAGetLastError() == WSAEINTR ? 0 : -1;
    return ready;
}

HTTPX__PRIVATE const char *httpx__sock_strerror(int err) {
    switch (err) {
    case WSAECONNREFUSED: return "Connection refused";
    case WSAECONNRESET: return "Connection reset by peer";
    case WSAECONNABORTED: return "Software caused connection abort";
    case WSAETIMEDOUT: return "Connection timed out";
    case WSAEHOSTUNREACH: return "No route to host";
    case WSAENETUNREACH: return "Network is unreachable";
    case WSAEADDRNOTAVAIL: return "Cannot assign requested address";
    case WSAEAFNOSUPPORT: return "Address family not supported by protocol";
    case WSAENOTCONN: return "Transport endpoint is not connected";
    case WSAESHUTDOWN: return "Cannot send after transport endpoint shutdown";
    case WSAEMFILE: return "Too many open sockets";
    case WSAENOBUFS: return "No buffer space available";
    case WSANOTINITIALISED: return "Winsock is not initialised";
    case WSA_NOT_ENOUGH_MEMORY: return "Not enough memory";
    default: return "Winsock error";
    }
}

#else /* POSIX */
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

HTTPX__PRIVATE double httpx__now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if !defined(HTTPX_BEARSSL) && !defined(HTTPX_OPENSSL)
/* no global lock: nothing shares state between clients without TLS */
#elif defined(__GNUC__) || defined(__clang__)
#include <sched.h>
static int httpx__global_lock_word;
HTTPX__PRIVATE void httpx__global_lock(void) {
    while (__atomic_exchange_n(&httpx__global_lock_word, 1, __ATOMIC_ACQUIRE)) sched_yield();
}
HTTPX__PRIVATE void httpx__global_unlock(void) { __atomic_store_n(&httpx__global_lock_word, 0, __ATOMIC_RELEASE); }
#else
HTTPX__PRIVATE void httpx__global_lock(void) {}
HTTPX__PRIVATE void httpx__global_unlock(void) {}
#endif

HTTPX__PRIVATE bool httpx__random(void *p, size_t n) {
    unsigned char *out = (unsigned char *)p;
    size_t got = 0;
    int fd;
    do fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC); while (fd < 0 && errno == EINTR);
    if (fd < 0) return false;
    while (got < n) {
        ssize_t r = read(fd, out + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type) {
    httpx__sock fd = socket(family, type, 0);
    if (fd < 0) return HTTPX__NO_SOCK;
    if (!httpx__fd_nonblock(fd)) {
        int err = errno;
        close(fd);
        errno = err;
        return HTTPX__NO_SOCK;
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    return fd;
}

HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd) { if (fd != HTTPX__NO_SOCK) close(fd); }

HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms) {
    int rc = poll(fds, (nfds_t)n, timeout_ms);
    if (rc < 0 && errno == EINTR) return 0;
    return rc;
}
#endif /* POSIX */
/* End of platform.c */

#if defined(HTTPX_LINES)
#line 1342 "httpx.h"
#endif
/* ======================================================================
   Begin file base.c   (grep anchor: >>base)
   ====================================================================== */
/* base: allocator hooks, growable buffers, string helpers, errors, clock. */
#if defined(HTTPX_LINES)
#line 1 "tools/src/base.c"
#endif
/* #include "internal.h": earlier in httpx.h */
#include <errno.h>

HTTPX__PRIVATE void *httpx__malloc(size_t n) { return HTTPX_MALLOC(n ? n : 1); }
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n) { return HTTPX_REALLOC(p, n ? n : 1); }
HTTPX__PRIVATE void httpx__free(void *p) { if (p) HTTPX_FREE(p); }

HTTPX__PRIVATE bool httpx__buf_reserve(httpx__buf *b, size_t extra) {
    size_t need, cap;
    char *p;
    HTTPX_ASSERT(b->cap == 0 ? b->len == 0 : b->len < b->cap);   /* room for the NUL, always */
    if (b->failed) return false;
    if (extra > (size_t)-1 / 2 - b->len) { b->failed = true; return false; }
    need = b->len + extra + 1;                  /* +1: always room for the NUL */
    if (need <= b->cap) return true;
    cap = b->cap * 2;       /* geometric growth, but a first large reserve fits exactly */
    if (cap < need) cap = need;
    if (cap < 64) cap = 64;
    if (b->borrowed) {
        p = (char *)httpx__malloc(cap);
        if (p) memcpy(p, b->p, b->len + 1);
    } else {
        p = (char *)httpx__realloc(b->p, cap);
    }
    if (!p) {
        b->failed = true;
        return false;
    }
    b->borrowed = false;
    b->p = p;
    b->cap = cap;
    p[b->len] = 0;          /* keep the promise of NUL termination from the first byte */
    return true;
}

HTTPX__PRIVATE bool httpx__buf_append(httpx__buf *b, const void *p, size_t n) {
    HTTPX_ASSERT(p || n == 0);
    if (!httpx__buf_reserve(b, n)) return false;
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
    return true;
}

HTTPX__PRIVATE bool httpx__buf_puts(httpx__buf *b, const char *s) { return httpx__buf_append(b, s, strlen(s)); }
HTTPX__PRIVATE bool httpx__buf_putc(httpx__buf *b, char c) { return httpx__buf_append(b, &c, 1); }

HTTPX__PRIVATE bool httpx__buf_printf(httpx__buf *b, const char *fmt, ...) {
    va_list ap;
    int n;
    if (!httpx__buf_reserve(b, 64)) return false;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) return false;
    if ((size_t)n >= b->cap - b->len) {          /* did not fit: grow and format again */
        if (!httpx__buf_reserve(b, (size_t)n)) return false;
        va_start(ap, fmt);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return true;
}

HTTPX__PRIVATE void httpx__buf_free(httpx__buf *b) {
    if (!b->borrowed) httpx__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->borrowed = b->failed = false;
}

HTTPX__PRIVATE void httpx__buf_clear(httpx__buf *b) {
    b->len = 0;
    b->failed = false;
    if (b->p) b->p[0] = 0;
}

HTTPX__PRIVATE void httpx__buf_init_inline(httpx__buf *b, char *mem, size_t cap) {
    HTTPX_ASSERT(mem && cap > 0);   /* the NUL needs a byte */
    b->p = mem;
    b->cap = cap;
    b->len = 0;
    b->borrowed = true;
    b->failed = false;
    mem[0] = 0;
}

HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    if (!httpx__buf_reserve(out, (n + 2) / 3 * 4)) return false;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
        char q[4];
        q[0] = abc[v >> 18]; q[1] = abc[(v >> 12) & 63]; q[2] = abc[(v >> 6) & 63]; q[3] = abc[v & 63];
        httpx__buf_append(out, q, 4);
    }
    if (i < n) {
        unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0);
        char q[4];
        q[0] = abc[v >> 18]; q[1] = abc[(v >> 12) & 63];
        q[2] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        q[3] = '=';
        httpx__buf_append(out, q, 4);
    }
    return true;
}

HTTPX__PRIVATE int httpx__lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

HTTPX__PRIVATE bool httpx__mem_ieq(const char *a, const char *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (httpx__lower((unsigned char)a[i]) != httpx__lower((unsigned char)b[i])) return false;
    return true;
}

HTTPX__PRIVATE bool httpx__str_ieq(httpx__str a, const char *b) {
    return strlen(b) == a.n && httpx__mem_ieq(a.p, b, a.n);
}

HTTPX__PRIVATE bool httpx__is_tchar(int c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

HTTPX__PRIVATE httpx_error httpx__fail(httpx__err *e, httpx_error code, const char *fmt, ...) {
    va_list ap;
    if (!e) return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

HTTPX__PRIVATE uint64_t httpx__splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

HTTPX__PRIVATE int httpx__hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

HTTPX__PRIVATE char httpx__hex_digit(unsigned v, bool upper) {
    return (upper ? "0123456789ABCDEF" : "0123456789abcdef")[v & 15];
}

HTTPX__PRIVATE void httpx__hex_encode(char *out, const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = httpx__hex_digit(b[i] >> 4, false);
        out[2 * i + 1] = httpx__hex_digit(b[i], false);
    }
}

static const char *const httpx__error_names[HTTPX_ERR_COUNT_] = {
    "no error",
    "connect timeout", "read timeout", "write timeout", "pool timeout", "total timeout",
    "connect error", "read error", "write error", "close error",
    "local protocol error", "remote protocol error",
    "proxy error", "unsupported protocol", "TLS error", "decoding error",
    "too many redirects", "too large",
    "invalid URL", "invalid header", "invalid argument", "stream error",
    "cancelled", "HTTP status error", "out of memory",
};

HTTPX_API const char *httpx_strerror(httpx_error e) {
    if ((int)e < 0 || e >= HTTPX_ERR_COUNT_) return "unknown error";
    return httpx__error_names[e];
}

HTTPX_API bool httpx_is_timeout(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT_TIMEOUT && e <= HTTPX_ERR_TOTAL_TIMEOUT;
}
HTTPX_API bool httpx_is_network_error(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT && e <= HTTPX_ERR_CLOSE;
}
HTTPX_API bool httpx_is_protocol_error(httpx_error e) {
    return e == HTTPX_ERR_LOCAL_PROTOCOL || e == HTTPX_ERR_REMOTE_PROTOCOL;
}
HTTPX_API bool httpx_is_transport_error(httpx_error e) {
    return e >= HTTPX_ERR_CONNECT_TIMEOUT && e <= HTTPX_ERR_TLS;
}
/* End of base.c */

#if defined(HTTPX_LINES)
#line 1546 "httpx.h"
#endif
/* ======================================================================
   Begin file url_internal.h   (grep anchor: >>url_internal)
   ====================================================================== */
/* url_internal.h: url: RFC 3986 for http and https (url.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/url_internal.h"
#endif
#ifndef HTTPX__URL_INTERNAL_H
#define HTTPX__URL_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* ---- url: RFC 3986 for http and https ---- */

/* A parsed absolute URL. Every view points into the string that was parsed,
   which must outlive the struct. Absent parts have p == NULL, n == 0; an empty
   but present query ("x?") has p != NULL, n == 0. */
typedef struct httpx__url {
    httpx__str scheme;      /* as written; is_https tells which */
    httpx__str userinfo;    /* still percent-encoded; see httpx__url_credentials */
    httpx__str host;        /* without the brackets of an IPv6 literal */
    httpx__str path;        /* as written, may be empty */
    httpx__str query;       /* without '?' */
    httpx__str fragment;    /* without '#'; never sent */
    int port;               /* the explicit port, else 80 or 443 */
    bool has_port;          /* a port was written (even if it is the default) */
    bool is_https;
    bool host_is_ipv6;
} httpx__url;

/* Parses an absolute http or https URL. Fails with HTTPX_ERR_INVALID_URL and a
   message naming the problem (no scheme, relative URL, empty host, bad port,
   space or control character, bad IPv6 literal, bad percent escape), or
   HTTPX_ERR_UNSUPPORTED_PROTOCOL for a scheme other than http/https. */
HTTPX__PRIVATE httpx_error httpx__url_parse(httpx__url *u, const char *s, size_t n, httpx__err *e);
/* RFC 3986 section 5.2 reference resolution of ref against an absolute base
   (any scheme), with remove_dot_segments; the recomposed result is appended to
   out. "http:g" resolves the strict way ("http:g"). */
HTTPX__PRIVATE httpx_error httpx__url_resolve(httpx__buf *out, const char *base, const char *ref, httpx__err *e);
/* Appends the request target: path (or "/" when empty), then "?query" when a
   query is present. Characters that may not appear in a target (non-ASCII
   bytes, '"', '<', '>', '\\', '^', '`', '{', '|', '}') are percent-encoded;
   existing %XX escapes are kept as they are. */
HTTPX__PRIVATE bool httpx__url_write_target(httpx__buf *out, const httpx__url *u);
/* Appends the Host header value: host, or [v6], plus ":port" unless default. */
HTTPX__PRIVATE bool httpx__url_write_authority(httpx__buf *out, const httpx__url *u);
/* Splits userinfo into percent-decoded user and password (password "" when no
   ':'). Returns false when there is no userinfo. */
HTTPX__PRIVATE bool httpx__url_credentials(const httpx__url *u, httpx__buf *user, httpx__buf *pass);
/* Appends s form-urlencoded (application/x-www-form-urlencoded as HTML forms
   do: space as '+', unreserved kept, everything else %XX upper-case). */
HTTPX__PRIVATE bool httpx__form_escape(httpx__buf *out, const char *s, size_t n);
/* Appends "k=v&k=v..." for the pairs; a leading '&' first when out already
   ends in a query that is non-empty (sep_first). NULL value: "k=". */
HTTPX__PRIVATE bool httpx__form_encode(httpx__buf *out, const httpx_pair *pairs, bool sep_first);
/* Percent-decodes s into out ('+' stays '+'). Fails on a bad escape. */
HTTPX__PRIVATE bool httpx__pct_decode(httpx__buf *out, const char *s, size_t n);

#endif /* HTTPX__URL_INTERNAL_H */
/* End of url_internal.h */

#if defined(HTTPX_LINES)
#line 1609 "httpx.h"
#endif
/* ======================================================================
   Begin file url.c   (grep anchor: >>url)
   ====================================================================== */
/* url: RFC 3986 parsing of http and https URLs, reference resolution
   (section 5.2), request-target and display serialisation, percent-decoding
   and application/x-www-form-urlencoded.

   The parser follows RFC 3986 (plus RFC 9110 section 4.2 for http/https: an
   authority with a non-empty host is required), not the WHATWG URL standard:
   no tab/newline stripping, no backslash as a separator, no IDNA, no IPv4
   number forms ("0x7f.1" is refused rather than read as 127.0.0.1). Where the
   RFC is lax but the result could not name a server, it is stricter: a host
   that ends in a number must be a dotted-quad IPv4 address, a percent-encoded
   or non-ASCII host is refused, and '@' in userinfo must be encoded. Path,
   query and fragment accept any byte but control characters; the request
   target percent-encodes what may not be sent as is (space, '"', '<', '>',
   '\\', '^', '`', '{', '|', '}', non-ASCII bytes), as HTTPX does. */
#if defined(HTTPX_LINES)
#line 14 "tools/src/url.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */

#define HTTPX__U_MAX_HOST 255   /* DNS names are at most 253 bytes (RFC 1035) */

static bool httpx__u_is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool httpx__u_is_digit(int c) { return c >= '0' && c <= '9'; }

static bool httpx__u_unreserved(int c) {
    return httpx__u_is_alpha(c) || httpx__u_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool httpx__u_subdelim(int c) { return c != 0 && strchr("!$&'()*+,;=", c) != NULL; }

static bool httpx__u_escape_at(const char *s, size_t n, size_t i) {
    return i + 2 < n && httpx__hex_value((unsigned char)s[i + 1]) >= 0 && httpx__hex_value((unsigned char)s[i + 2]) >= 0;
}

static bool httpx__u_put_pct(httpx__buf *out, unsigned char c) {
    char t[3];
    t[0] = '%';
    t[1] = httpx__hex_digit(c >> 4, true);
    t[2] = httpx__hex_digit(c, true);
    return httpx__buf_append(out, t, 3);
}

static bool httpx__u_put_lower(httpx__buf *out, const char *s, size_t n) {
    size_t i;
    if (!httpx__buf_reserve(out, n)) return false;
    for (i = 0; i < n; i++) out->p[out->len + i] = (char)httpx__lower((unsigned char)s[i]);
    out->len += n;
    out->p[out->len] = 0;
    return true;
}

/* Shows at most a short piece of hostile input in a message. */
static int httpx__u_clip(size_t n, size_t max) { return (int)(n < max ? n : max); }

/* ---- parse ---- */

/* Control characters are refused everywhere, before any other check,
   because a URL carrying them is more likely an injection (CR/LF into the
   request line) than a typo. A space is refused before the path (scheme and
   authority: no host has one); in the path, query and fragment it is sent
   as %20, as HTTPX does. */
static httpx_error httpx__u_check_bytes(const char *s, size_t n, size_t authority_end, httpx__err *e) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && i < authority_end)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: space at offset %zu (encode it as %%20)", i);
        if (c < 0x20 || c == 0x7F)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: control character 0x%02X at offset %zu", c, i);
    }
    return HTTPX_OK;
}

/* Every '%' in s[0..n) must start a %XX escape; base is s's offset in the URL.
   The message quotes the escape up to its first non-printable byte. */
static httpx_error httpx__u_check_escapes(const char *s, size_t n, size_t base, const char *part, httpx__err *e) {
    size_t i, k;
    for (i = 0; i < n; i++) {
        if (s[i] != '%' || httpx__u_escape_at(s, n, i)) continue;
        for (k = 1; k < 3 && i + k < n && (unsigned char)s[i + k] > 0x20 && (unsigned char)s[i + k] < 0x7F; k++) {}
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: bad percent escape '%.*s' in %s at offset %zu",
                           (int)k, s + i, part, base + i);
    }
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_scheme(httpx__url *u, const char *s, size_t n, size_t *pos, httpx__err *e) {
    size_t i = 0;
    if (n > 0 && httpx__u_is_alpha((unsigned char)s[0]))
        while (i < n && (httpx__u_is_alpha((unsigned char)s[i]) || httpx__u_is_digit((unsigned char)s[i]) ||
                         s[i] == '+' || s[i] == '-' || s[i] == '.'))
            i++;
    if (i == 0 || i == n || s[i] != ':')
        return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                           "invalid URL: no scheme (a relative URL? expected http:// or https://)");
    u->scheme.p = s;
    u->scheme.n = i;
    if (httpx__str_ieq(u->scheme, "https")) u->is_https = true;
    else if (!httpx__str_ieq(u->scheme, "http"))
        return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL, "unsupported scheme '%.*s' (only http and https)",
                           httpx__u_clip(i, 40), s);
    *pos = i + 1;
    return HTTPX_OK;
}

static bool httpx__u_dec_octet(const char *s, size_t n) {
    size_t i;
    int v = 0;
    if (n == 0 || n > 3 || (n > 1 && s[0] == '0')) return false;
    for (i = 0; i < n; i++) {
        if (!httpx__u_is_digit((unsigned char)s[i])) return false;
        v = v * 10 + (s[i] - '0');
    }
    return v <= 255;
}

/* RFC 3986 IPv4address: four dec-octets, no leading zeros. */
static bool httpx__u_ipv4(const char *s, size_t n) {
    size_t i, start = 0;
    int parts = 0;
    for (i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') continue;
        if (++parts > 4 || !httpx__u_dec_octet(s + start, i - start)) return false;
        start = i + 1;
    }
    return parts == 4;
}

/* RFC 3986 IPv6address: eight h16 groups, or fewer with one "::", the last two
   possibly written as an IPv4 address. */
static bool httpx__u_ipv6(const char *s, size_t n) {
    size_t i = 0, len;
    int groups = 0;
    bool gap = false;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = true;
        i = 2;
        if (i == n) return true;
    }
    for (;;) {
        for (len = 0; i + len < n && len < 5 && httpx__hex_value((unsigned char)s[i + len]) >= 0; len++) {}
        if (i + len < n && s[i + len] == '.') {     /* a trailing IPv4 part ends the address */
            if (!httpx__u_ipv4(s + i, n - i)) return false;
            groups += 2;
            break;
        }
        if (len == 0 || len > 4) return false;
        groups++;
        i += len;
        if (i == n) break;
        if (s[i] != ':' || ++i == n) return false;
        if (s[i] == ':') {
            if (gap) return false;
            gap = true;
            if (++i == n) break;
        }
        if (groups >= 8) return false;
    }
    return gap ? groups <= 7 : groups == 8;
}

static httpx_error httpx__u_parse_ip_literal(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    if (n > 0 && (s[0] == 'v' || s[0] == 'V'))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPvFuture address literals are not supported");
    if (memchr(s, '%', n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPv6 zone identifiers are not supported");
    if (!httpx__u_ipv6(s, n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: bad IPv6 literal '[%.*s]'", httpx__u_clip(n, 64), s);
    u->host.p = s;
    u->host.n = n;
    u->host_is_ipv6 = true;
    return HTTPX_OK;
}

/* WHATWG's "ends in a number" test: such a host can only be an IPv4 address,
   never a DNS name, so anything but a plain dotted quad is refused rather than
   handed to a resolver that may read "0x7f.1" or "2130706433" as 127.0.0.1. */
static bool httpx__u_ends_in_number(const char *s, size_t n) {
    size_t start, i;
    if (n > 0 && s[n - 1] == '.') n--;
    for (start = n; start > 0 && s[start - 1] != '.'; start--) {}
    if (start == n) return false;
    if (n - start >= 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X')) {
        for (i = start + 2; i < n; i++)
            if (httpx__hex_value((unsigned char)s[i]) < 0) return false;
        return true;
    }
    for (i = start; i < n; i++)
        if (!httpx__u_is_digit((unsigned char)s[i])) return false;
    return true;
}

static httpx_error httpx__u_parse_reg_name(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    size_t i;
    if (n > HTTPX__U_MAX_HOST)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: host name longer than %d bytes", HTTPX__U_MAX_HOST);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: non-ASCII host name (write an internationalised name in its xn-- form)");
        if (c == '%')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: percent-encoded host names are not supported");
        if (!httpx__u_unreserved(c) && !httpx__u_subdelim(c))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: invalid character '%c' in host", c);
    }
    if (httpx__u_ends_in_number(s, n) && !httpx__u_ipv4(s, n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                           "invalid URL: host '%.*s' is neither a name nor an IPv4 address a.b.c.d",
                           httpx__u_clip(n, 64), s);
    u->host.p = s;
    u->host.n = n;
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_port(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    unsigned long v = 0;
    size_t i;
    if (n == 0) return HTTPX_OK;   /* "host:" means the default port (RFC 3986 section 3.2.3) */
    for (i = 0; i < n; i++) {
        if (!httpx__u_is_digit((unsigned char)s[i]))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: port '%.*s' is not a number",
                               httpx__u_clip(n, 20), s);
        if (v <= 65535) v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v == 0 || v > 65535)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: port %.*s out of range (1-65535)",
                           httpx__u_clip(n, 20), s);
    u->port = (int)v;
    u->has_port = true;
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_userinfo(httpx__url *u, const char *s, size_t n, size_t base, httpx__err *e) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '@')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: '@' in userinfo must be percent-encoded as %%40");
        if (c >= 0x80 || (!httpx__u_unreserved(c) && !httpx__u_subdelim(c) && c != ':' && c != '%'))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: byte 0x%02X in userinfo must be percent-encoded", c);
    }
    u->userinfo.p = s;
    u->userinfo.n = n;
    return httpx__u_check_escapes(s, n, base, "userinfo", e);
}

/* authority = [ userinfo "@" ] host [ ":" port ]; base is its offset in the URL. */
static httpx_error httpx__u_parse_authority(httpx__url *u, const char *s, size_t n, size_t base, httpx__err *e) {
    const char *h = s, *colon;
    size_t hn = n, at = n;
    httpx_error rc;
    /* The last '@' splits, so that an unencoded '@' in a password is reported
       as such instead of as a strange host. */
    while (at > 0 && s[at - 1] != '@') at--;
    if (at > 0) {
        if ((rc = httpx__u_parse_userinfo(u, s, at - 1, base, e))) return rc;
        h = s + at;
        hn = n - at;
    }
    if (hn > 0 && h[0] == '[') {
        const char *close = (const char *)memchr(h, ']', hn);
        if (!close) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPv6 literal without closing ']'");
        if ((rc = httpx__u_parse_ip_literal(u, h + 1, (size_t)(close - h - 1), e))) return rc;
        colon = close + 1;
        if (colon < h + hn && *colon != ':')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: unexpected '%c' after IPv6 literal", *colon);
    } else {
        colon = (const char *)memchr(h, ':', hn);
        if (!colon) colon = h + hn;
        if (colon == h) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: empty host");
        if ((rc = httpx__u_parse_reg_name(u, h, (size_t)(colon - h), e))) return rc;
    }
    if (colon < h + hn) return httpx__u_parse_port(u, colon + 1, hn - (size_t)(colon + 1 - h), e);
    return HTTPX_OK;
}

/* Path, query and fragment, from s[i] (just after the authority) to the end. */
static httpx_error httpx__u_parse_rest(httpx__url *u, const char *s, size_t n, size_t i, httpx__err *e) {
    size_t start = i;
    httpx_error rc;
    while (i < n && s[i] != '?' && s[i] != '#') i++;
    u->path.p = s + start;
    u->path.n = i - start;
    if ((rc = httpx__u_check_escapes(u->path.p, u->path.n, start, "path", e))) return rc;
    if (i < n && s[i] == '?') {
        start = ++i;
        while (i < n && s[i] != '#') i++;
        u->query.p = s + start;
        u->query.n = i - start;
        if ((rc = httpx__u_check_escapes(u->query.p, u->query.n, start, "query", e))) return rc;
    }
    if (i < n) {    /* '#' */
        u->fragment.p = s + i + 1;
        u->fragment.n = n - i - 1;
        if ((rc = httpx__u_check_escapes(u->fragment.p, u->fragment.n, i + 1, "fragment", e))) return rc;
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__url_parse(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    size_t i = 0, end;
    httpx_error rc;
    memset(u, 0, sizeof *u);
    if (!s || n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: empty URL");
    for (end = 0; end < n && s[end] != '/'; end++) {}          /* the scheme's "//" */
    for (end += 2; end < n && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++) {}
    if ((rc = httpx__u_check_bytes(s, n, end, e))) return rc;
    if ((rc = httpx__u_parse_scheme(u, s, n, &i, e))) return rc;
    u->port = u->is_https ? 443 : 80;
    /* RFC 9110 section 4.2: http and https URLs always have an authority. */
    if (n - i < 2 || s[i] != '/' || s[i + 1] != '/')
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: expected '//' and a host after '%.*s:'",
                           (int)u->scheme.n, u->scheme.p);
    i += 2;
    for (end = i; end < n && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++) {}
    if ((rc = httpx__u_parse_authority(u, s + i, end - i, i, e))) return rc;
    return httpx__u_parse_rest(u, s, n, end, e);
}

/* ---- serialise ---- */

static bool httpx__u_target_safe(const char *s, size_t n, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20 || c >= 0x7F) return false;
    if (c == '%') return httpx__u_escape_at(s, n, i);   /* a stray '%' is sent as %25 */
    return strchr("\"<>\\^`{|}#", c) == NULL;
}

static bool httpx__u_put_target_part(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run;
    while (i < n) {
        for (run = i; run < n && httpx__u_target_safe(s, n, run); run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) return false;
        if (run < n && !httpx__u_put_pct(out, (unsigned char)s[run])) return false;
        i = run + 1;
    }
    return true;
}

HTTPX__PRIVATE bool httpx__url_write_target(httpx__buf *out, const httpx__url *u) {
    if (u->path.n == 0) {
        if (!httpx__buf_putc(out, '/')) return false;
    } else if (!httpx__u_put_target_part(out, u->path.p, u->path.n)) {
        return false;
    }
    if (!u->query.p) return true;
    return httpx__buf_putc(out, '?') && httpx__u_put_target_part(out, u->query.p, u->query.n);
}

HTTPX__PRIVATE bool httpx__url_write_authority(httpx__buf *out, const httpx__url *u) {
    if (u->host_is_ipv6 && !httpx__buf_putc(out, '[')) return false;
    if (!httpx__u_put_lower(out, u->host.p, u->host.n)) return false;
    if (u->host_is_ipv6 && !httpx__buf_putc(out, ']')) return false;
    if (u->port == (u->is_https ? 443 : 80)) return true;
    {   /* ":port" by hand: this runs for every request, printf is slow */
        char digits[8];
        int n = 0, port = u->port;
        do { digits[n++] = (char)('0' + port % 10); port /= 10; } while (port && n < 7);
        if (!httpx__buf_putc(out, ':')) return false;
        while (n) if (!httpx__buf_putc(out, digits[--n])) return false;
        return true;
    }
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS), until the engine
   shows r->url normalised: the URL as a user would see it, lower-case
   scheme and host, no userinfo, no default port, path "/" when empty, the
   query kept, no fragment. */
HTTPX__PRIVATE bool httpx__url_write(httpx__buf *out, const httpx__url *u) {
    return httpx__buf_puts(out, u->is_https ? "https://" : "http://") &&
           httpx__url_write_authority(out, u) && httpx__url_write_target(out, u);
}
#endif

/* ---- percent-decoding and credentials ---- */

HTTPX__PRIVATE bool httpx__pct_decode(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run, old = out->len;
    while (i < n) {
        for (run = i; run < n && s[run] != '%'; run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) goto fail;
        if (run == n) break;
        if (!httpx__u_escape_at(s, n, run)) goto fail;
        if (!httpx__buf_putc(out, (char)(httpx__hex_value((unsigned char)s[run + 1]) * 16 +
                                         httpx__hex_value((unsigned char)s[run + 2]))))
            goto fail;
        i = run + 3;
    }
    return httpx__buf_append(out, "", 0);   /* a C string even when empty */
fail:
    out->len = old;
    if (out->p) out->p[old] = 0;
    return false;
}

HTTPX__PRIVATE bool httpx__url_credentials(const httpx__url *u, httpx__buf *user, httpx__buf *pass) {
    const char *colon;
    size_t un;
    if (!u->userinfo.p) return false;
    colon = (const char *)memchr(u->userinfo.p, ':', u->userinfo.n);
    un = colon ? (size_t)(colon - u->userinfo.p) : u->userinfo.n;
    if (!httpx__pct_decode(user, u->userinfo.p, un)) return false;
    if (!colon) return httpx__pct_decode(pass, "", 0);
    return httpx__pct_decode(pass, colon + 1, u->userinfo.n - un - 1);
}

/* ---- application/x-www-form-urlencoded ---- */

HTTPX__PRIVATE bool httpx__form_escape(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run;
    while (i < n) {
        for (run = i; run < n && httpx__u_unreserved((unsigned char)s[run]); run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) return false;
        if (run == n) break;
        if (s[run] == ' ' ? !httpx__buf_putc(out, '+') : !httpx__u_put_pct(out, (unsigned char)s[run])) return false;
        i = run + 1;
    }
    return httpx__buf_append(out, "", 0);
}

HTTPX__PRIVATE bool httpx__form_encode(httpx__buf *out, const httpx_pair *pairs, bool sep_first) {
    bool sep = sep_first;
    if (!pairs) return httpx__buf_append(out, "", 0);
    for (; pairs->name; pairs++) {
        if (sep && !httpx__buf_putc(out, '&')) return false;
        if (!httpx__form_escape(out, pairs->name, strlen(pairs->name)) || !httpx__buf_putc(out, '=')) return false;
        if (pairs->value && !httpx__form_escape(out, pairs->value, strlen(pairs->value))) return false;
        sep = true;
    }
    return httpx__buf_append(out, "", 0);
}

/* ---- reference resolution (RFC 3986 section 5.2) ---- */

/* A URI reference split as in RFC 3986 appendix B; p == NULL: undefined. */
typedef struct httpx__u_ref { httpx__str scheme, authority, path, query, fragment; } httpx__u_ref;

static void httpx__u_split(httpx__u_ref *r, const char *s) {
    size_t i = 0, n = strlen(s), start;
    memset(r, 0, sizeof *r);
    if (httpx__u_is_alpha((unsigned char)s[0])) {
        for (i = 1; httpx__u_is_alpha((unsigned char)s[i]) || httpx__u_is_digit((unsigned char)s[i]) ||
                    s[i] == '+' || s[i] == '-' || s[i] == '.'; i++) {}
        if (s[i] == ':') {
            r->scheme.p = s;
            r->scheme.n = i++;
        } else {
            i = 0;
        }
    }
    if (s[i] == '/' && s[i + 1] == '/') {
        for (start = i += 2; i < n && !strchr("/?#", s[i]); i++) {}
        r->authority.p = s + start;
        r->authority.n = i - start;
    }
    for (start = i; i < n && s[i] != '?' && s[i] != '#'; i++) {}
    r->path.p = s + start;
    r->path.n = i - start;
    if (s[i] == '?') {
        for (start = ++i; i < n && s[i] != '#'; i++) {}
        r->query.p = s + start;
        r->query.n = i - start;
    }
    if (s[i] == '#') {
        r->fragment.p = s + i + 1;
        r->fragment.n = n - i - 1;
    }
}

/* Drops the last segment and its '/' from what remove_dot_segments wrote. */
static void httpx__u_pop_segment(httpx__buf *out, size_t start) {
    size_t j = out->len;
    while (j > start && out->p[j - 1] != '/') j--;
    out->len = j > start ? j - 1 : start;
    out->p[out->len] = 0;
}

static bool httpx__u_is(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}

/* RFC 3986 section 5.2.4, appending the result to out. Where the RFC replaces
   a "/./" or "/../" prefix by "/", the input is advanced to that prefix's last
   '/' instead; a final "/." or "/.." keeps only its '/'. */
static bool httpx__u_remove_dots(httpx__buf *out, const char *s, size_t n) {
    size_t start = out->len, seg;
    if (!httpx__buf_reserve(out, n)) return false;
    while (n > 0) {
        if (httpx__u_is(s, n, "../")) { s += 3; n -= 3; }
        else if (httpx__u_is(s, n, "./")) { s += 2; n -= 2; }
        else if (httpx__u_is(s, n, "/./")) { s += 2; n -= 2; }
        else if (n == 2 && httpx__u_is(s, n, "/.")) { n = 1; }
        else if (httpx__u_is(s, n, "/../")) { s += 3; n -= 3; httpx__u_pop_segment(out, start); }
        else if (n == 3 && httpx__u_is(s, n, "/..")) { n = 1; httpx__u_pop_segment(out, start); }
        else if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) { n = 0; }
        else {
            for (seg = 1; seg < n && s[seg] != '/'; seg++) {}
            memcpy(out->p + out->len, s, seg);   /* fits: output never outgrows the input */
            out->len += seg;
            out->p[out->len] = 0;
            s += seg;
            n -= seg;
        }
    }
    return true;
}

/* RFC 3986 section 5.2.3: the base path up to its last '/', then the ref path. */
static bool httpx__u_merge(httpx__buf *tmp, const httpx__u_ref *b, const httpx__u_ref *r) {
    size_t keep = b->path.n;
    if (b->authority.p && b->path.n == 0)
        return httpx__buf_putc(tmp, '/') && httpx__buf_append(tmp, r->path.p, r->path.n);
    while (keep > 0 && b->path.p[keep - 1] != '/') keep--;
    return httpx__buf_append(tmp, b->path.p, keep) && httpx__buf_append(tmp, r->path.p, r->path.n);
}

static bool httpx__u_put_part(httpx__buf *out, const char *pre, httpx__str s) {
    if (!s.p) return true;
    return httpx__buf_puts(out, pre) && httpx__buf_append(out, s.p, s.n);
}

/* Section 5.2.2 (strict) and 5.3: writes the target's scheme, authority, path
   and query; the caller adds the fragment. */
static bool httpx__u_transform(httpx__buf *out, const httpx__u_ref *b, const httpx__u_ref *r) {
    bool own_authority = r->scheme.p || r->authority.p;   /* r names its own server */
    httpx__str scheme = r->scheme.p ? r->scheme : b->scheme;
    httpx__buf tmp;
    bool ok;
    if (!httpx__buf_append(out, scheme.p, scheme.n) || !httpx__buf_putc(out, ':') ||
        !httpx__u_put_part(out, "//", own_authority ? r->authority : b->authority))
        return false;
    if (own_authority || (r->path.n > 0 && r->path.p[0] == '/'))
        return httpx__u_remove_dots(out, r->path.p, r->path.n) && httpx__u_put_part(out, "?", r->query);
    if (r->path.n == 0)
        return httpx__buf_append(out, b->path.p, b->path.n) &&
               httpx__u_put_part(out, "?", r->query.p ? r->query : b->query);
    memset(&tmp, 0, sizeof tmp);
    ok = httpx__u_merge(&tmp, b, r) && httpx__u_remove_dots(out, tmp.p, tmp.len) &&
         httpx__u_put_part(out, "?", r->query);
    httpx__buf_free(&tmp);
    return ok;
}

HTTPX__PRIVATE httpx_error httpx__url_resolve(httpx__buf *out, const char *base, const char *ref, httpx__err *e) {
    httpx__u_ref b, r;
    size_t old = out->len;
    if (!base || !ref) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "URL resolution needs a base and a reference");
    httpx__u_split(&b, base);
    if (!b.scheme.p)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: base URL '%.*s' has no scheme",
                           httpx__u_clip(strlen(base), 80), base);
    httpx__u_split(&r, ref);
    if (httpx__u_transform(out, &b, &r) && httpx__u_put_part(out, "#", r.fragment)) return HTTPX_OK;
    out->len = old;
    if (out->p) out->p[old] = 0;
    return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory while resolving a URL");
}
/* End of url.c */

#if defined(HTTPX_LINES)
#line 2180 "httpx.h"
#endif
/* ======================================================================
   Begin file h1_internal.h   (grep anchor: >>h1_internal)
   ====================================================================== */
/* h1_internal.h: HTTP/1.1: response parsing (h1.c) and the sans-IO client session (h1_session.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/h1_internal.h"
#endif
#ifndef HTTPX__H1_INTERNAL_H
#define HTTPX__H1_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* ---- HTTP/1.1 response parsing ---- */

typedef struct httpx__h1_header {
    const char *name; size_t name_len;
    const char *value; size_t value_len;   /* without surrounding OWS */
} httpx__h1_header;

typedef struct httpx__h1_head {
    int minor_version;      /* HTTP/1.x */
    int status;
    const char *reason; size_t reason_len;
    size_t num_headers;
} httpx__h1_head;

/* Parses a response head (status line + header fields + empty line) from
   buf[0..len). Zero-copy: the views point into buf. Accepts CRLF and bare LF
   line ends. hdrs has room for max_headers.
   Returns the head's length in bytes (> 0) when complete, HTTPX__AGAIN when
   more bytes are needed, HTTPX__BAD on a malformed head (e filled with
   HTTPX_ERR_REMOTE_PROTOCOL and a message), HTTPX__FULL when more than
   max_headers fields came (e filled with HTTPX_ERR_TOO_LARGE).
   Pure: no allocation, no state beyond the arguments; call again on the whole
   buffer when more bytes arrive. */
#define HTTPX__MAX_HEADERS_DEFAULT 256   /* limits.max_headers when 0 */
HTTPX__PRIVATE int httpx__h1_parse_head(const char *buf, size_t len, httpx__h1_head *head,
                                        httpx__h1_header *hdrs, size_t max_headers, httpx__err *e);
/* Finds where a head ends: scans buf[from..len) for the blank line and returns
   the head length, or 0 when not complete yet. `from` lets a caller skip bytes
   it already scanned (it may back up 3 bytes itself). */
HTTPX__PRIVATE size_t httpx__h1_find_head_end(const char *buf, size_t len, size_t from);

enum httpx__body_kind {
    HTTPX__BODY_NONE,       /* 1xx, 204, 304, response to HEAD: no body */
    HTTPX__BODY_LENGTH,     /* Content-Length bytes */
    HTTPX__BODY_CHUNKED,
    HTTPX__BODY_CLOSE       /* until the server closes */
};
typedef struct httpx__h1_framing {
    enum httpx__body_kind kind;
    uint64_t length;        /* for HTTPX__BODY_LENGTH */
    bool keep_alive;        /* the connection may be reused afterwards */
} httpx__h1_framing;
/* Works out how the body is delimited (RFC 9112 section 6.3) from a parsed head.
   Fails with HTTPX_ERR_REMOTE_PROTOCOL on conflicting or malformed framing:
   different Content-Length values, Content-Length beside Transfer-Encoding,
   a Content-Length that is not a number, a Transfer-Encoding whose last coding
   is not chunked is read until close (not an error). */
HTTPX__PRIVATE httpx_error httpx__h1_framing_of(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                                bool request_was_head, httpx__h1_framing *out, httpx__err *e);

/* Chunked transfer coding decoder, resumable at any byte. Zero it to start. */
typedef struct httpx__chunked {
    int state;
    uint64_t remaining;     /* bytes left in the current chunk */
    size_t line;            /* bytes of the current size/trailer line seen (limit) */
    size_t extra;           /* after completion: bytes that followed the message */
} httpx__chunked;
/* Decodes in place: buf[0..*len) is new input; on return buf[0..*len) holds the
   body bytes it carried. Returns 1 when the message (last chunk and trailers)
   is complete, 0 when more input is needed, HTTPX__BAD on bad framing (e filled:
   HTTPX_ERR_REMOTE_PROTOCOL). After 1, d->extra is the number of input bytes
   after the end of the message (they are not in the output). */
HTTPX__PRIVATE int httpx__chunked_decode(httpx__chunked *d, char *buf, size_t *len, httpx__err *e);

/* ---- HTTP/1.1 client connection, receive side, sans-IO (h1_session.c) ---- */

enum httpx__h1_ev_type {
    HTTPX__H1_EV_HEAD = 1,      /* the final head: head, fields, framing, expected_length */
    HTTPX__H1_EV_INTERIM,       /* a 1xx head, skipped: consume *used bytes and go on */
    HTTPX__H1_EV_DATA,          /* body bytes: data, len (= *used, consume them) */
    HTTPX__H1_EV_SHRINK,        /* a chunked body was decoded in place: the caller's
                                   unconsumed bytes are now buf[0..len) (drop the rest) */
    HTTPX__H1_EV_END            /* the message is complete */
};
typedef struct httpx__h1_event {
    httpx__h1_head head;                /* HEAD, INTERIM */
    const httpx__h1_header *fields;     /* HEAD, INTERIM: head.num_headers of them */
    httpx__h1_framing framing;          /* HEAD */
    long long expected_length;          /* HEAD: the body length when known (0: none), else -1 */
    const char *data;                   /* DATA, SHRINK */
    size_t len;
} httpx__h1_event;
typedef struct httpx__h1_resp {
    httpx__h1_framing framing;
    httpx__chunked chunked;
    uint64_t remaining;         /* LENGTH: body bytes still to come */
    size_t max_head;            /* bytes a head may take */
    size_t scanned;             /* how far the head-end search got */
    size_t decoded;             /* chunked: decoded body bytes at the front of the input */
    size_t interim_bytes;       /* of the 1xx heads skipped */
    bool request_head;          /* the request was HEAD: no body whatever the head says */
    bool connect;               /* the request was CONNECT: a 2xx ends at its head */
    bool in_body;               /* the final head is in */
    bool complete;              /* the whole message is in */
    bool reusable;              /* the connection may serve another message after this one */
} httpx__h1_resp;
/* Starts reading one response. */
HTTPX__PRIVATE void httpx__h1_resp_init(httpx__h1_resp *r, bool request_was_head, bool connect, size_t max_head);
/* The next event from buf[0..len), the bytes the caller holds and has not
   consumed. hdrs has room for max_headers (HEAD's views point into buf);
   max: the most DATA bytes wanted. *used: the bytes of buf the event took
   (consume them once the event is handled). Returns an httpx__h1_ev_type,
   HTTPX__AGAIN (more bytes are needed), HTTPX__BAD (e: HTTPX_ERR_REMOTE_PROTOCOL
   or HTTPX_ERR_TOO_LARGE). */
HTTPX__PRIVATE int httpx__h1_resp_next(httpx__h1_resp *r, char *buf, size_t len, size_t max, httpx__h1_header *hdrs,
                                       size_t max_headers, httpx__h1_event *ev, size_t *used, httpx__err *e);
/* With no bytes held: how many body bytes the caller may read from the
   stream straight into its own memory (0: none; UINT64_MAX: until close),
   and how many it did. */
HTTPX__PRIVATE uint64_t httpx__h1_resp_direct(const httpx__h1_resp *r);
HTTPX__PRIVATE void httpx__h1_resp_direct_took(httpx__h1_resp *r, size_t n);
/* The server closed the connection (no bytes held): HTTPX__H1_EV_END when
   that ends the message, else HTTPX__BAD (e says what was cut short). */
HTTPX__PRIVATE int httpx__h1_resp_eof(httpx__h1_resp *r, httpx__err *e);
/* The send side. Appends the request head to out: request line, Host
   (from u) unless the caller's fields have one, the fields, then the body's
   framing: Content-Length when its length is known, chunked when it is not
   (body_length < 0), "Content-Length: 0" for a POST, PUT or PATCH without a
   body. False when out failed (out of memory). */
HTTPX__PRIVATE bool httpx__h1_write_request_head(httpx__buf *out, const char *method, const httpx__url *u,
                                                 const httpx_headers *h, bool has_host, bool has_body,
                                                 long long body_length);
/* Frames the n bytes at buf[HTTPX__H1_CHUNK_ROOM..+n) as one chunk, in place:
   its size line just before them, CRLF after (buf has room for those 2).
   n = 0 gives the last chunk ("0\r\n\r\n"). Returns where the chunk starts;
   it ends at HTTPX__H1_CHUNK_ROOM + n + 2. */
#define HTTPX__H1_CHUNK_ROOM 12
HTTPX__PRIVATE size_t httpx__h1_chunk_frame(char *buf, size_t n);

#endif /* HTTPX__H1_INTERNAL_H */
/* End of h1_internal.h */

#if defined(HTTPX_LINES)
#line 2327 "httpx.h"
#endif
/* ======================================================================
   Begin file headers_internal.h   (grep anchor: >>headers_internal)
   ====================================================================== */
/* headers_internal.h: header lists (headers.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/headers_internal.h"
#endif
#ifndef HTTPX__HEADERS_INTERNAL_H
#define HTTPX__HEADERS_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* ---- headers ---- */

/* A head's fields as protocol-neutral views (HTTP/1.1 parses into these). */
typedef httpx__h1_header httpx__field_view;

typedef struct httpx__field { uint32_t name, name_len, value, value_len; } httpx__field;
struct httpx_headers {
    httpx__field *fields;   /* offsets into text */
    size_t count, cap;
    httpx__buf text;        /* "name\0value\0" for each field */
    bool fixed;             /* fields/text live in memory that is not ours (arena) */
};
HTTPX__PRIVATE void httpx__headers_init(httpx_headers *h);
HTTPX__PRIVATE void httpx__headers_clear(httpx_headers *h);  /* frees, stays usable */
/* Adds without validation (for trusted, already-checked input such as a parsed response). */
HTTPX__PRIVATE bool httpx__headers_add_raw(httpx_headers *h, const char *name, size_t nlen, const char *value, size_t vlen);
/* Checks a header a caller gave: token name, value without CR/LF/NUL. */
HTTPX__PRIVATE httpx_error httpx__header_check(const char *name, const char *value, httpx__err *e);
/* For on_debug, a head that is not text (HTTP/2's, the door's fields) is
   rendered one "name: value" line at a time, CRLF-terminated; the caller,
   which knows the client, adds the first line, the blank line and the call. */
HTTPX__PRIVATE void httpx__debug_field_line(httpx__buf *b, const char *name, size_t nlen, const char *value,
                                            size_t vlen);

#endif /* HTTPX__HEADERS_INTERNAL_H */
/* End of headers_internal.h */

#if defined(HTTPX_LINES)
#line 2369 "httpx.h"
#endif
/* ======================================================================
   Begin file headers.c   (grep anchor: >>headers)
   ====================================================================== */
/* headers: an ordered, case-insensitive multi-map. Fields are offsets into one
   text buffer ("name\0value\0" each), so that growing the buffer never leaves a
   dangling pointer inside the map, and a parsed response costs two
   allocations however many fields it has. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/headers.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */

HTTPX__PRIVATE void httpx__headers_init(httpx_headers *h) { memset(h, 0, sizeof *h); }

HTTPX__PRIVATE void httpx__headers_clear(httpx_headers *h) {
    if (!h->fixed) httpx__free(h->fields);
    httpx__buf_free(&h->text);
    httpx__headers_init(h);
}

static bool httpx__headers_grow(httpx_headers *h) {
    size_t cap = h->cap ? h->cap * 2 : 8;
    httpx__field *f;
    if (h->fixed) {         /* the first fields lived in memory we do not own: move out */
        f = (httpx__field *)httpx__malloc(cap * sizeof *f);
        if (f && h->count) memcpy(f, h->fields, h->count * sizeof *f);
    } else {
        f = (httpx__field *)httpx__realloc(h->fields, cap * sizeof *f);
    }
    if (!f) return false;
    h->fields = f;
    h->cap = cap;
    h->fixed = false;
    return true;
}

HTTPX__PRIVATE bool httpx__headers_add_raw(httpx_headers *h, const char *name, size_t nlen,
                                           const char *value, size_t vlen) {
    httpx__field *f;
    if (nlen > 0xffffffu || vlen > 0xffffffu || h->text.len > 0x7f000000u) return false;
    if (h->count == h->cap && !httpx__headers_grow(h)) return false;
    if (!httpx__buf_reserve(&h->text, nlen + vlen + 2)) return false;
    f = &h->fields[h->count];
    f->name = (uint32_t)h->text.len;
    f->name_len = (uint32_t)nlen;
    httpx__buf_append(&h->text, name, nlen);
    h->text.len++;                         /* keep the NUL that append wrote */
    f->value = (uint32_t)h->text.len;
    f->value_len = (uint32_t)vlen;
    httpx__buf_append(&h->text, value, vlen);
    h->text.len++;
    h->text.p[h->text.len - 1] = 0;
    h->count++;
    return true;
}

HTTPX__PRIVATE httpx_error httpx__header_check(const char *name, const char *value, httpx__err *e) {
    const char *p;
    if (!name || !*name) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "empty header name");
    if (!value) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header '%.64s' has no value (NULL)", name);
    for (p = name; *p; p++)
        if (!httpx__is_tchar((unsigned char)*p))
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                               "header name '%.64s' has the character 0x%02x, which is not allowed in a name",
                               name, (unsigned char)*p);
    if (strlen(name) > 0xffffffu || strlen(value) > 0xffffffu)
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header '%.64s' is longer than 16 MiB", name);
    for (p = value; *p; p++)
        if (*p == '\r' || *p == '\n')
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                               "header '%.64s' has a CR or LF in its value (refused: it would split the request)",
                               name);
    return HTTPX_OK;
}

static const char *httpx__field_name(const httpx_headers *h, size_t i) { return h->text.p + h->fields[i].name; }
static const char *httpx__field_value(const httpx_headers *h, size_t i) { return h->text.p + h->fields[i].value; }

static bool httpx__field_is(const httpx_headers *h, size_t i, const char *name, size_t nlen) {
    return h->fields[i].name_len == nlen && httpx__mem_ieq(httpx__field_name(h, i), name, nlen);
}

HTTPX_API httpx_headers *httpx_headers_new(void) {
    httpx_headers *h = (httpx_headers *)httpx__malloc(sizeof *h);
    if (h) httpx__headers_init(h);
    return h;
}

HTTPX_API void httpx_headers_free(httpx_headers *h) {
    if (!h) return;
    httpx__headers_clear(h);
    httpx__free(h);
}

HTTPX_API httpx_error httpx_headers_add(httpx_headers *h, const char *name, const char *value) {
    httpx_error err = httpx__header_check(name, value, NULL);
    if (err) return err;
    return httpx__headers_add_raw(h, name, strlen(name), value, strlen(value)) ? HTTPX_OK : HTTPX_ERR_NOMEM;
}

HTTPX_API size_t httpx_headers_remove(httpx_headers *h, const char *name) {
    size_t i, kept = 0, nlen = strlen(name);
    for (i = 0; i < h->count; i++)
        if (!httpx__field_is(h, i, name, nlen)) h->fields[kept++] = h->fields[i];
    i = h->count - kept;
    h->count = kept;     /* the text of removed fields stays until clear: bounded by what was added */
    return i;
}

HTTPX_API httpx_error httpx_headers_set(httpx_headers *h, const char *name, const char *value) {
    httpx_error err = httpx__header_check(name, value, NULL);
    if (err) return err;
    httpx_headers_remove(h, name);
    return httpx__headers_add_raw(h, name, strlen(name), value, strlen(value)) ? HTTPX_OK : HTTPX_ERR_NOMEM;
}

HTTPX_API const char *httpx_headers_get_nth(const httpx_headers *h, const char *name, size_t n) {
    size_t i, nlen;
    if (!h || !name) return NULL;
    nlen = strlen(name);
    for (i = 0; i < h->count; i++)
        if (httpx__field_is(h, i, name, nlen) && n-- == 0) return httpx__field_value(h, i);
    return NULL;
}

HTTPX_API const char *httpx_headers_get(const httpx_headers *h, const char *name) {
    return httpx_headers_get_nth(h, name, 0);
}

HTTPX_API size_t httpx_headers_count(const httpx_headers *h) { return h ? h->count : 0; }

HTTPX_API bool httpx_headers_at(const httpx_headers *h, size_t i, const char **name, const char **value) {
    if (!h || i >= h->count) return false;
    if (name) *name = httpx__field_name(h, i);
    if (value) *value = httpx__field_value(h, i);
    return true;
}

HTTPX__PRIVATE void httpx__debug_field_line(httpx__buf *b, const char *name, size_t nlen, const char *value,
                                            size_t vlen) {
    httpx__buf_append(b, name, nlen);
    httpx__buf_append(b, ": ", 2);
    httpx__buf_append(b, value, vlen);
    httpx__buf_append(b, "\r\n", 2);
}
/* End of headers.c */

#if defined(HTTPX_LINES)
#line 2520 "httpx.h"
#endif
/* ======================================================================
   Begin file h1.c   (grep anchor: >>h1)
   ====================================================================== */
/* h1: HTTP/1.1 response head parser, body framing (RFC 9112 section 6.3) and
   the chunked transfer coding decoder.

   The head parser is a pure function over the caller's buffer: it keeps no
   state, allocates nothing and returns views into the buffer, so a caller
   simply calls it again on the grown buffer. It is strict where leniency has
   been used for request smuggling or response splitting (bare CR, NUL,
   whitespace before the colon, obs-fold, conflicting lengths) and lenient
   where it costs nothing (bare LF line ends, RFC 9112 section 2.2; empty lines
   before the status line, which some servers send after a body). */
#if defined(HTTPX_LINES)
#line 10 "tools/src/h1.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */

#define HTTPX__H1_CHUNK_LINE_MAX 4096     /* a chunk size line with extensions */
#define HTTPX__H1_TRAILERS_MAX 65536      /* the whole trailer section */

/* ---- head ---- */

typedef struct httpx__h1p {
    const char *buf;
    size_t len, pos;
    httpx__err *e;
} httpx__h1p;

static int httpx__h1p_bad(httpx__h1p *p, const char *what) {
    httpx__fail(p->e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head: %s at byte %lu",
                what, (unsigned long)p->pos);
    return HTTPX__BAD;
}

/* Field-value and reason-phrase bytes: HTAB, SP, VCHAR, obs-text. */
static bool httpx__h1_is_text(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Skips empty lines in front of the status line: a server may send a stray
   CRLF after a body, and reading it as a line of its own is harmless for a
   client. Returns where the status line starts, or len when not known yet. */
static size_t httpx__h1_skip_empty_lines(const char *buf, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (buf[i] == '\n') i++;
        else if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') i += 2;
        else if (buf[i] == '\r' && i + 1 == len) return len;
        else break;
    }
    return i;
}

HTTPX__PRIVATE size_t httpx__h1_find_head_end(const char *buf, size_t len, size_t from) {
    size_t start = httpx__h1_skip_empty_lines(buf, len), i;
    if (from < start) from = start;
    /* a blank line is an LF followed by LF or CR LF */
    for (i = from; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
    }
    return 0;
}

/* Consumes a line end at p->pos: CRLF or LF. 0 when one was there. */
static int httpx__h1p_eol(httpx__h1p *p) {
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos] == '\n') { p->pos++; return 0; }
    if (p->buf[p->pos] != '\r') return httpx__h1p_bad(p, "expected end of line");
    if (p->pos + 1 >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos + 1] != '\n') return httpx__h1p_bad(p, "CR not followed by LF");
    p->pos += 2;
    return 0;
}

/* Moves over field-value or reason text up to the line end, which it leaves. */
static int httpx__h1p_text(httpx__h1p *p, const char *what) {
    for (; p->pos < p->len; p->pos++) {
        unsigned char c = (unsigned char)p->buf[p->pos];
        if (c == '\r' || c == '\n') return 0;
        if (!httpx__h1_is_text(c)) {
            char msg[80];
            snprintf(msg, sizeof msg, "control character 0x%02x in %s", c, what);
            return httpx__h1p_bad(p, msg);
        }
    }
    return HTTPX__AGAIN;
}

static int httpx__h1p_expect(httpx__h1p *p, bool ok, const char *what) {
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (!ok) return httpx__h1p_bad(p, what);
    p->pos++;
    return 0;
}

#define HTTPX__H1_TRY(x) do { int r_ = (x); if (r_) return r_; } while (0)
#define HTTPX__H1_AT(p) ((p)->pos < (p)->len ? (unsigned char)(p)->buf[(p)->pos] : 0)

static bool httpx__h1_digit(int c) { return c >= '0' && c <= '9'; }

static int httpx__h1p_status_line(httpx__h1p *p, httpx__h1_head *head) {
    static const char name[] = "HTTP/1.";
    size_t i, start;
    int status = 0;
    for (i = 0; i < sizeof name - 1; i++, p->pos++) {
        if (p->pos >= p->len) return HTTPX__AGAIN;
        if (p->buf[p->pos] != name[i])
            return httpx__h1p_bad(p, i >= 5 ? "HTTP version is not 1.x" : "status line does not start with HTTP/");
    }
    HTTPX__H1_TRY(httpx__h1p_expect(p, httpx__h1_digit(HTTPX__H1_AT(p)), "bad minor version"));
    head->minor_version = p->buf[p->pos - 1] - '0';
    HTTPX__H1_TRY(httpx__h1p_expect(p, HTTPX__H1_AT(p) == ' ', "expected one space after the version"));
    for (i = 0; i < 3; i++) {
        unsigned char c = HTTPX__H1_AT(p);
        HTTPX__H1_TRY(httpx__h1p_expect(p, httpx__h1_digit(c) && (i > 0 || c != '0'),
                                        "status code is not three digits from 100 to 999"));
        status = status * 10 + (c - '0');
    }
    head->status = status;
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos] == ' ') p->pos++;   /* "HTTP/1.1 301\r\n": no reason at all is fine */
    else if (p->buf[p->pos] != '\r' && p->buf[p->pos] != '\n')
        return httpx__h1p_bad(p, "status code is not three digits from 100 to 999");
    start = p->pos;
    HTTPX__H1_TRY(httpx__h1p_text(p, "reason phrase"));
    head->reason = p->buf + start;
    head->reason_len = p->pos - start;
    return httpx__h1p_eol(p);
}

/* One "name: value" line; p->pos is at its first byte, which is a tchar. */
static int httpx__h1p_field(httpx__h1p *p, httpx__h1_header *h) {
    size_t start = p->pos, end;
    for (;;) {
        unsigned char c = HTTPX__H1_AT(p);
        if (p->pos >= p->len) return HTTPX__AGAIN;
        if (c == ':') break;
        if (c == ' ' || c == '\t') return httpx__h1p_bad(p, "whitespace between header name and colon");
        if (c == '\r' || c == '\n') return httpx__h1p_bad(p, "header line without a colon");
        if (!httpx__is_tchar(c)) return httpx__h1p_bad(p, "invalid character in header name");
        p->pos++;
    }
    h->name = p->buf + start;
    h->name_len = p->pos - start;
    p->pos++;
    while (p->pos < p->len && (p->buf[p->pos] == ' ' || p->buf[p->pos] == '\t')) p->pos++;
    start = p->pos;
    HTTPX__H1_TRY(httpx__h1p_text(p, "header value"));
    end = p->pos;
    while (end > start && (p->buf[end - 1] == ' ' || p->buf[end - 1] == '\t')) end--;
    h->value = p->buf + start;
    h->value_len = end - start;
    return httpx__h1p_eol(p);
}

HTTPX__PRIVATE int httpx__h1_parse_head(const char *buf, size_t len, httpx__h1_head *head,
                                        httpx__h1_header *hdrs, size_t max_headers, httpx__err *e) {
    httpx__h1p p;
    size_t n = 0;
    HTTPX_ASSERT((buf || len == 0) && head && (hdrs || max_headers == 0));
    p.buf = buf;
    p.len = len;
    p.e = e;
    p.pos = httpx__h1_skip_empty_lines(buf, len);
    HTTPX__H1_TRY(httpx__h1p_status_line(&p, head));
    for (;;) {
        unsigned char c = HTTPX__H1_AT(&p);
        if (p.pos >= len) return HTTPX__AGAIN;
        if (c == '\r' || c == '\n') break;
        /* obs-fold is refused, not unfolded: RFC 9112 section 5.2 allows either,
           and a continuation line is how smuggled fields hide */
        if (c == ' ' || c == '\t')
            return httpx__h1p_bad(&p, "line folding (obs-fold) or whitespace before a header name");
        if (!httpx__is_tchar(c)) return httpx__h1p_bad(&p, "invalid character in header name");
        if (n == max_headers) {
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %lu header fields",
                        (unsigned long)max_headers);
            return HTTPX__FULL;
        }
        HTTPX__H1_TRY(httpx__h1p_field(&p, &hdrs[n]));
        n++;
    }
    HTTPX__H1_TRY(httpx__h1p_eol(&p));
    head->num_headers = n;
    if (p.pos > (size_t)0x7fffffff) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head longer than 2 GiB");
        return HTTPX__FULL;
    }
    return (int)p.pos;
}

#undef HTTPX__H1_TRY
#undef HTTPX__H1_AT

/* ---- framing ---- */

typedef struct httpx__h1_list { const char *p, *end; bool done; } httpx__h1_list;

static void httpx__h1_list_init(httpx__h1_list *l, const httpx__h1_header *h) {
    l->p = h->value;
    l->end = h->value + h->value_len;
    l->done = false;
}

/* The next element of a comma-separated list, trimmed, empty ones included
   (callers decide whether those count); false at the end. */
static bool httpx__h1_list_next(httpx__h1_list *l, httpx__str *item) {
    const char *s = l->p, *t;
    if (l->done) return false;
    t = (const char *)memchr(s, ',', (size_t)(l->end - s));
    if (t) l->p = t + 1;
    else { t = l->end; l->done = true; }
    while (s < t && (*s == ' ' || *s == '\t')) s++;
    while (t > s && (t[-1] == ' ' || t[-1] == '\t')) t--;
    item->p = s;
    item->n = (size_t)(t - s);
    return true;
}

static bool httpx__h1_name_is(const httpx__h1_header *h, const char *name) {
    httpx__str s;
    s.p = h->name;
    s.n = h->name_len;
    return httpx__str_ieq(s, name);
}

static httpx_error httpx__h1_parse_length(httpx__str s, uint64_t *out, httpx__err *e) {
    uint64_t v = 0;
    size_t i;
    if (s.n == 0) return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "empty Content-Length");
    for (i = 0; i < s.n; i++) {
        unsigned d = (unsigned char)s.p[i] - (unsigned)'0';
        if (d > 9)
            return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Content-Length \"%.*s\" is not a number",
                               (int)(s.n > 40 ? 40 : s.n), s.p);
        /* a length must also fit in the signed 64-bit expected_length */
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Content-Length is too large");
        v = v * 10 + d;
    }
    *out = v;
    return HTTPX_OK;
}

/* All Content-Length fields (and list elements) must agree (RFC 9110 8.6). */
static httpx_error httpx__h1_content_length(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                            bool *found, uint64_t *length, httpx__err *e) {
    size_t i;
    *found = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        uint64_t v = 0;
        if (!httpx__h1_name_is(&hdrs[i], "content-length")) continue;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (httpx__h1_parse_length(item, &v, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
            if (*found && v != *length)
                return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "conflicting Content-Length values");
            *found = true;
            *length = v;
        }
    }
    return HTTPX_OK;
}

/* Finds whether chunked is the final transfer coding. */
static httpx_error httpx__h1_transfer_encoding(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                               bool *found, bool *chunked, httpx__err *e) {
    size_t i, codings = 0;
    bool seen_chunked = false;
    *found = *chunked = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        if (!httpx__h1_name_is(&hdrs[i], "transfer-encoding")) continue;
        *found = true;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (item.n == 0) continue;    /* empty list elements do not count (RFC 9110 5.6.1) */
            codings++;
            *chunked = httpx__str_ieq(item, "chunked");
            if (*chunked && seen_chunked)
                return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Transfer-Encoding applies chunked twice");
            seen_chunked = seen_chunked || *chunked;
        }
    }
    if (*found && codings == 0) return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "empty Transfer-Encoding");
    return HTTPX_OK;
}

static bool httpx__h1_keep_alive(const httpx__h1_head *head, const httpx__h1_header *hdrs) {
    size_t i;
    bool close = false, keep = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        if (!httpx__h1_name_is(&hdrs[i], "connection")) continue;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (httpx__str_ieq(item, "close")) close = true;
            else if (httpx__str_ieq(item, "keep-alive")) keep = true;
        }
    }
    if (close) return false;
    return head->minor_version >= 1 || keep;
}

HTTPX__PRIVATE httpx_error httpx__h1_framing_of(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                                bool request_was_head, httpx__h1_framing *out, httpx__err *e) {
    bool has_te, chunked, has_cl;
    uint64_t length = 0;
    out->kind = HTTPX__BODY_CLOSE;
    out->length = 0;
    out->keep_alive = httpx__h1_keep_alive(head, hdrs);
    if (request_was_head || head->status < 200 || head->status == 204 || head->status == 304) {
        /* these carry no body whatever the fields say (RFC 9112 6.3 rules 1-2) */
        out->kind = HTTPX__BODY_NONE;
        return HTTPX_OK;
    }
    if (httpx__h1_transfer_encoding(head, hdrs, &has_te, &chunked, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
    if (httpx__h1_content_length(head, hdrs, &has_cl, &length, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
    if (has_te && has_cl)   /* RFC 9112 6.3 rule 3 allows TE to win; refusing stops smuggling */
        return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "response has both Transfer-Encoding and Content-Length");
    if (has_te && chunked) out->kind = HTTPX__BODY_CHUNKED;
    else if (has_cl) {
        out->kind = HTTPX__BODY_LENGTH;
        out->length = length;
    }
    if (out->kind == HTTPX__BODY_CLOSE) out->keep_alive = false;
    /* RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is suspect framing: close after the message */
    if (has_te && head->minor_version == 0) out->keep_alive = false;
    return HTTPX_OK;
}

/* ---- chunked ---- */

enum {
    HTTPX__CK_SIZE_START,   /* first byte of a chunk size line */
    HTTPX__CK_SIZE,         /* hex digits */
    HTTPX__CK_SIZE_WS,      /* BWS after the size: only ';' may follow */
    HTTPX__CK_EXT,          /* chunk extensions: skipped */
    HTTPX__CK_SIZE_CR,
    HTTPX__CK_DATA,
    HTTPX__CK_DATA_END,     /* CRLF after chunk data */
    HTTPX__CK_DATA_CR,
    HTTPX__CK_TRAILER_START,
    HTTPX__CK_TRAILER,
    HTTPX__CK_TRAILER_CR,
    HTTPX__CK_END_CR,       /* CR of the final empty line */
    HTTPX__CK_DONE,
    HTTPX__CK_ERROR
};

static int httpx__ck_fail(httpx__chunked *d, httpx__err *e, const char *what) {
    d->state = HTTPX__CK_ERROR;
    httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "bad chunked body: %s", what);
    return HTTPX__BAD;
}

static int httpx__ck_size_line_end(httpx__chunked *d) {
    d->line = 0;
    return d->remaining ? HTTPX__CK_DATA : HTTPX__CK_TRAILER_START;
}

/* One byte of a size line or the trailer section: new state, or -1 (e filled). */
static int httpx__ck_byte(httpx__chunked *d, unsigned char c, httpx__err *e) {
    int h;
    switch (d->state) {
    case HTTPX__CK_SIZE_START:
    case HTTPX__CK_SIZE:
        h = httpx__hex_value(c);
        if (h >= 0) {
            if (d->remaining > (UINT64_MAX >> 4)) return httpx__ck_fail(d, e, "chunk size overflows 64 bits");
            d->remaining = (d->remaining << 4) | (uint64_t)h;
            return HTTPX__CK_SIZE;
        }
        if (d->state == HTTPX__CK_SIZE_START) return httpx__ck_fail(d, e, "expected a hex chunk size");
        if (c == ';') return HTTPX__CK_EXT;
        if (c == ' ' || c == '\t') return HTTPX__CK_SIZE_WS;
        if (c == '\r') return HTTPX__CK_SIZE_CR;
        if (c == '\n') return httpx__ck_size_line_end(d);
        return httpx__ck_fail(d, e, "invalid character in chunk size");
    case HTTPX__CK_SIZE_WS:
        if (c == ' ' || c == '\t') return HTTPX__CK_SIZE_WS;
        if (c == ';') return HTTPX__CK_EXT;
        return httpx__ck_fail(d, e, "whitespace after chunk size not followed by an extension");
    case HTTPX__CK_EXT:
        /* extensions are ignored (RFC 9112 7.1.1); only the line end matters,
           and a quoted-string cannot hide one since it may not hold CR or LF */
        if (c == '\r') return HTTPX__CK_SIZE_CR;
        if (c == '\n') return httpx__ck_size_line_end(d);
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in chunk extension");
        return HTTPX__CK_EXT;
    case HTTPX__CK_SIZE_CR:
        if (c == '\n') return httpx__ck_size_line_end(d);
        return httpx__ck_fail(d, e, "CR not followed by LF after chunk size");
    case HTTPX__CK_DATA_END:
        if (c == '\r') return HTTPX__CK_DATA_CR;
        if (c == '\n') return HTTPX__CK_SIZE_START;
        return httpx__ck_fail(d, e, "chunk data not followed by CRLF");
    case HTTPX__CK_DATA_CR:
        if (c == '\n') return HTTPX__CK_SIZE_START;
        return httpx__ck_fail(d, e, "chunk data not followed by CRLF");
    case HTTPX__CK_TRAILER_START:
        if (c == '\r') return HTTPX__CK_END_CR;
        if (c == '\n') return HTTPX__CK_DONE;
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in trailer field");
        return HTTPX__CK_TRAILER;
    case HTTPX__CK_TRAILER:
        if (c == '\r') return HTTPX__CK_TRAILER_CR;
        if (c == '\n') return HTTPX__CK_TRAILER_START;
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in trailer field");
        return HTTPX__CK_TRAILER;
    case HTTPX__CK_TRAILER_CR:
        if (c == '\n') return HTTPX__CK_TRAILER_START;
        return httpx__ck_fail(d, e, "CR not followed by LF in trailer section");
    case HTTPX__CK_END_CR:
        if (c == '\n') return HTTPX__CK_DONE;
        return httpx__ck_fail(d, e, "CR not followed by LF at the end of the chunked body");
    default:
        return httpx__ck_fail(d, e, "decoder in an unknown state");
    }
}

/* Bounds the bytes of one size line, and of the whole trailer section. */
static bool httpx__ck_count(httpx__chunked *d, httpx__err *e) {
    bool trailer = d->state >= HTTPX__CK_TRAILER_START && d->state <= HTTPX__CK_END_CR;
    bool size_line = d->state <= HTTPX__CK_SIZE_CR;
    if (!trailer && !size_line) return true;
    d->line++;
    if (size_line && d->line > HTTPX__H1_CHUNK_LINE_MAX) {
        httpx__ck_fail(d, e, "chunk size line longer than 4096 bytes");
        return false;
    }
    if (trailer && d->line > HTTPX__H1_TRAILERS_MAX) {
        httpx__ck_fail(d, e, "trailer section longer than 65536 bytes");
        return false;
    }
    return true;
}

HTTPX__PRIVATE int httpx__chunked_decode(httpx__chunked *d, char *buf, size_t *len, httpx__err *e) {
    size_t r = 0, w = 0, n;
    HTTPX_ASSERT(d && len && (buf || *len == 0));
    n = *len;
    if (d->state == HTTPX__CK_ERROR) {
        *len = 0;
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "bad chunked body: decoder used after an error");
        return HTTPX__BAD;
    }
    while (r < n && d->state != HTTPX__CK_DONE) {
        int next;
        if (d->state == HTTPX__CK_DATA) {
            size_t take = n - r;
            if ((uint64_t)take > d->remaining) take = (size_t)d->remaining;
            memmove(buf + w, buf + r, take);
            w += take;
            r += take;
            d->remaining -= take;
            if (d->remaining == 0) d->state = HTTPX__CK_DATA_END;
            continue;
        }
        if (!httpx__ck_count(d, e)) { *len = 0; return HTTPX__BAD; }
        next = httpx__ck_byte(d, (unsigned char)buf[r++], e);
        if (next == HTTPX__BAD) { *len = 0; return HTTPX__BAD; }
        /* the trailer count runs across lines; a size line's count restarts */
        if (next == HTTPX__CK_SIZE_START) d->line = 0;
        d->state = next;
    }
    *len = w;
    if (d->state != HTTPX__CK_DONE) return 0;
    d->extra = n - r;
    return 1;
}
/* End of h1.c */

#if defined(HTTPX_LINES)
#line 3004 "httpx.h"
#endif
/* ======================================================================
   Begin file h1_session.c   (grep anchor: >>h1_session)
   ====================================================================== */
/* h1_session: the receive side of an HTTP/1.1 client connection without any
   I/O, as h2_session.c is for HTTP/2 (and h11's next_event): the caller
   holds the bytes the server sent and asks for the next event over them: a
   final head (framing worked out, Content-Length parsed once), body data,
   the end of the message. Interim (1xx) responses are skipped here, within
   a bound; a CONNECT's 2xx ends the message at its head (the bytes after it
   belong to the tunnel). Private prefix: httpx__h1s_ / httpx__h1_resp_.

   The caller's buffer is the session's input; nothing is copied. Views in
   an event point into it and stay valid until the caller consumes the
   event's bytes (*used). A chunked body is decoded in place: the caller
   may move its unconsumed bytes (compaction) but must not change them. */
#if defined(HTTPX_LINES)
#line 12 "tools/src/h1_session.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */

HTTPX__PRIVATE void httpx__h1_resp_init(httpx__h1_resp *r, bool request_was_head, bool connect, size_t max_head) {
    memset(r, 0, sizeof *r);
    r->request_head = request_was_head;
    r->connect = connect;
    r->max_head = max_head;
}

/* The head ends at buf[end]; parses it. HEAD for a final one (consume
   `end` after handling it), INTERIM for a skipped 1xx, HTTPX__BAD. */
static int httpx__h1s_head(httpx__h1_resp *r, char *buf, size_t end, httpx__h1_header *hdrs, size_t max_headers,
                           httpx__h1_event *ev, httpx__err *e) {
    int rc;
    if (end > r->max_head) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is %zu bytes, more than max_head_size (%zu)", end, r->max_head);
        return HTTPX__BAD;
    }
    rc = httpx__h1_parse_head(buf, end, &ev->head, hdrs, max_headers, e);
    if (rc == HTTPX__FULL) httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %zu header fields (limits.max_headers)", max_headers);
    if (rc == HTTPX__AGAIN) httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head");
    if (rc < 0) return HTTPX__BAD;
    ev->fields = hdrs;
    if (ev->head.status == 101) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server switched protocols (101), which httpx.h does not support");
        return HTTPX__BAD;
    }
    if (ev->head.status < 200) {
        /* No count limit (peers have none): all the interim heads together
           may take max_head_size bytes (the caller keeps the read timeout
           running across them). */
        r->interim_bytes += end;
        if (r->interim_bytes > r->max_head) {
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "interim (1xx) responses took more than %zu bytes before the "
                        "final response (max_head_size)", r->max_head);
            return HTTPX__BAD;
        }
        return HTTPX__H1_EV_INTERIM;
    }
    if (httpx__h1_framing_of(&ev->head, hdrs, r->request_head, &r->framing, e)) return HTTPX__BAD;
    if (r->connect && ev->head.status < 300) {   /* a tunnel: what follows is not ours to parse */
        r->framing.kind = HTTPX__BODY_NONE;
        r->framing.keep_alive = false;
    }
    r->remaining = r->framing.kind == HTTPX__BODY_LENGTH ? r->framing.length : 0;
    r->reusable = r->framing.keep_alive;
    r->in_body = true;
    r->complete = r->framing.kind == HTTPX__BODY_NONE;
    ev->framing = r->framing;
    ev->expected_length = r->framing.kind == HTTPX__BODY_LENGTH ? (long long)r->framing.length
                        : r->framing.kind == HTTPX__BODY_NONE ? 0 : -1;
    return HTTPX__H1_EV_HEAD;
}

/* Looks for the end of the head in buf[0..len). */
static int httpx__h1s_find(httpx__h1_resp *r, char *buf, size_t len, httpx__h1_header *hdrs, size_t max_headers,
                           httpx__h1_event *ev, size_t *used, httpx__err *e) {
    size_t from = r->scanned > 3 ? r->scanned - 3 : 0;
    size_t end = httpx__h1_find_head_end(buf, len, from);
    int rc;
    if (!end) {
        r->scanned = len;
        if (len <= r->max_head) return HTTPX__AGAIN;
        /* a head that is broken, not just long, deserves the truer error */
        if (httpx__h1_parse_head(buf, len, &ev->head, hdrs, max_headers, e) != HTTPX__BAD)
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head is larger than %zu bytes (max_head_size)", r->max_head);
        return HTTPX__BAD;
    }
    r->scanned = 0;
    rc = httpx__h1s_head(r, buf, end, hdrs, max_headers, ev, e);
    if (rc > 0) *used = end;
    return rc;
}

/* Body data from buf[0..len): a view of at most max bytes. */
static int httpx__h1s_body(httpx__h1_resp *r, char *buf, size_t len, size_t max, httpx__h1_event *ev, size_t *used,
                           httpx__err *e) {
    for (;;) {
        size_t n;
        if (r->complete) {
            if (len > r->decoded) r->reusable = false;   /* bytes nobody asked for */
            return HTTPX__H1_EV_END;
        }
        if (r->framing.kind == HTTPX__BODY_CHUNKED && !r->decoded) {
            size_t out = len;
            int rc;
            if (!len) return HTTPX__AGAIN;
            rc = httpx__chunked_decode(&r->chunked, buf, &out, e);
            if (rc < 0) return HTTPX__BAD;
            r->decoded = out;
            if (rc == 1) {
                if (r->chunked.extra) r->reusable = false;   /* bytes after the message: dropped */
                r->framing.kind = HTTPX__BODY_LENGTH;        /* deliver what was decoded, then done */
                r->remaining = out;
                r->decoded = 0;
                if (!out) r->complete = true;
            }
            if (out < len) {
                /* buf[0..out) is body now; the framing bytes after it are gone */
                ev->data = buf;
                ev->len = out;
                return HTTPX__H1_EV_SHRINK;
            }
            continue;
        }
        if (r->decoded) {
            n = r->decoded < max ? r->decoded : max;
            r->decoded -= n;
        } else {
            if (!len && r->framing.kind == HTTPX__BODY_LENGTH && !r->remaining) {   /* Content-Length: 0 */
                r->complete = true;
                return HTTPX__H1_EV_END;
            }
            if (!len) return HTTPX__AGAIN;
            n = len < max ? len : max;
            if (r->framing.kind == HTTPX__BODY_LENGTH && n > r->remaining) n = (size_t)r->remaining;
            if (r->framing.kind == HTTPX__BODY_LENGTH) {
                r->remaining -= n;
                if (!r->remaining) {
                    r->complete = true;
                    if (len > n) r->reusable = false;
                }
            }
        }
        ev->data = buf;
        ev->len = n;
        *used = n;
        return HTTPX__H1_EV_DATA;
    }
}

HTTPX__PRIVATE int httpx__h1_resp_next(httpx__h1_resp *r, char *buf, size_t len, size_t max, httpx__h1_header *hdrs,
                                       size_t max_headers, httpx__h1_event *ev, size_t *used, httpx__err *e) {
    *used = 0;
    if (!r->in_body) return httpx__h1s_find(r, buf, len, hdrs, max_headers, ev, used, e);
    return httpx__h1s_body(r, buf, len, max, ev, used, e);
}

HTTPX__PRIVATE uint64_t httpx__h1_resp_direct(const httpx__h1_resp *r) {
    if (!r->in_body || r->complete || r->decoded) return 0;
    if (r->framing.kind == HTTPX__BODY_LENGTH) return r->remaining;
    return r->framing.kind == HTTPX__BODY_CLOSE ? UINT64_MAX : 0;
}

HTTPX__PRIVATE void httpx__h1_resp_direct_took(httpx__h1_resp *r, size_t n) {
    if (r->framing.kind != HTTPX__BODY_LENGTH) return;
    HTTPX_ASSERT(n <= r->remaining);
    r->remaining -= n;
    if (!r->remaining) r->complete = true;
}

HTTPX__PRIVATE int httpx__h1_resp_eof(httpx__h1_resp *r, httpx__err *e) {
    if (!r->in_body) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of the response head");
        return HTTPX__BAD;
    }
    if (r->complete) return HTTPX__H1_EV_END;
    if (r->framing.kind == HTTPX__BODY_CLOSE) {
        r->complete = true;
        r->reusable = false;
        return HTTPX__H1_EV_END;
    }
    if (r->framing.kind == HTTPX__BODY_LENGTH)
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection with %llu of %llu body bytes still to come",
                    (unsigned long long)r->remaining, (unsigned long long)r->framing.length);
    else
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "server closed the connection in the middle of a chunked body");
    return HTTPX__BAD;
}

/* ---- the send side: the request head and the body's chunk framing ---- */

HTTPX__PRIVATE bool httpx__h1_write_request_head(httpx__buf *out, const char *method, const httpx__url *u,
                                                 const httpx_headers *h, bool has_host, bool has_body,
                                                 long long body_length) {
    size_t i, need;
    httpx__buf_reserve(out, 512);
    httpx__buf_puts(out, method);
    httpx__buf_putc(out, ' ');
    httpx__url_write_target(out, u);
    httpx__buf_puts(out, " HTTP/1.1\r\n");
    if (!has_host) {
        httpx__buf_puts(out, "Host: ");
        httpx__url_write_authority(out, u);
        httpx__buf_append(out, "\r\n", 2);
    }
    for (i = 0, need = 0; i < h->count; i++) need += h->fields[i].name_len + h->fields[i].value_len + 4;
    if (httpx__buf_reserve(out, need)) {   /* one reservation, then plain copies: the hot path */
        char *w = out->p + out->len;
        for (i = 0; i < h->count; i++) {
            const httpx__field *f = &h->fields[i];
            memcpy(w, h->text.p + f->name, f->name_len);
            w += f->name_len;
            *w++ = ':';
            *w++ = ' ';
            memcpy(w, h->text.p + f->value, f->value_len);
            w += f->value_len;
            *w++ = '\r';
            *w++ = '\n';
        }
        out->len += need;
        out->p[out->len] = 0;
    }
    if (has_body && body_length < 0) httpx__buf_puts(out, "Transfer-Encoding: chunked\r\n");
    else if (has_body) httpx__buf_printf(out, "Content-Length: %lld\r\n", body_length);
    else if (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH"))
        httpx__buf_puts(out, "Content-Length: 0\r\n");   /* some servers want a length for these */
    httpx__buf_append(out, "\r\n", 2);
    return !out->failed;
}

HTTPX__PRIVATE size_t httpx__h1_chunk_frame(char *buf, size_t n) {
    char line[HTTPX__H1_CHUNK_ROOM];
    int ll = snprintf(line, sizeof line, "%lx\r\n", (unsigned long)n);
    HTTPX_ASSERT(ll > 0 && (size_t)ll <= HTTPX__H1_CHUNK_ROOM);
    memcpy(buf + HTTPX__H1_CHUNK_ROOM - (size_t)ll, line, (size_t)ll);
    memcpy(buf + HTTPX__H1_CHUNK_ROOM + n, "\r\n", 2);
    return HTTPX__H1_CHUNK_ROOM - (size_t)ll;
}
/* End of h1_session.c */

#if defined(HTTPX_LINES)
#line 3249 "httpx.h"
#endif
/* ======================================================================
   Begin file h2_internal.h   (grep anchor: >>h2_internal)
   ====================================================================== */
/* h2_internal.h: HTTP/2: HPACK, frames, the client session (hpack.c, h2_frame.c, h2_session.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/h2_internal.h"
#endif
#ifndef HTTPX__H2_INTERNAL_H
#define HTTPX__H2_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* ---- HTTP/2: HPACK and frames (RFC 7541, RFC 9113) ---- */
#ifndef HTTPX_NO_HTTP2

/* -- HPACK (hpack.c) --
   One decoder per connection for the header blocks the server sends, one
   encoder for ours. Both keep an RFC 7541 dynamic table; every allocation is
   bounded by the table size the peer or we agreed to. */

#define HTTPX__HPACK_TABLE_DEFAULT 4096u     /* SETTINGS_HEADER_TABLE_SIZE initial value */
#define HTTPX__HPACK_ENTRY_OVERHEAD 32u      /* RFC 7541 4.1: name + value + 32 */
#define HTTPX__HPACK_LIST_DEFAULT 65536u     /* decoder's max header list size by default */

typedef struct httpx__hpack_entry { uint32_t off, nlen, vlen; } httpx__hpack_entry;
/* The dynamic table: entry text lives in `text`, oldest first, so evicting
   the oldest moves `head` on and adding appends at `tail`; when the end is
   reached the live text is moved to the front. Entries form a ring. */
typedef struct httpx__hpack_table {
    char *text;
    size_t text_cap, head, tail;
    httpx__hpack_entry *ents;
    size_t ents_cap, oldest, count;
    size_t size;            /* RFC 7541 size of the entries */
    size_t max;             /* the current maximum size */
} httpx__hpack_table;

typedef struct httpx__hpack_dec {
    httpx__hpack_table t;
    size_t max_allowed;     /* the SETTINGS_HEADER_TABLE_SIZE the peer acknowledged */
    size_t max_list;        /* max header list size (name + value + 32 each); 0: none */
    bool need_update;       /* our setting went below the table size: the next
                               block must start with a size update */
    bool broken;            /* a decoding error happened: the context is out of sync */
    httpx__buf scratch;     /* Huffman-decoded strings of the current field */
} httpx__hpack_dec;

/* Called for each decoded field, in order. Views are valid during the call
   only. Return 0 to go on; anything else stops decoding (the context is then
   out of sync with the peer's: close the connection). */
typedef int (*httpx__hpack_on_field)(void *ctx, const char *name, size_t nlen,
                                     const char *value, size_t vlen);

/* table_size: the size both sides start with (4096 in HTTP/2). Allocates
   nothing until the first entry is added. */
HTTPX__PRIVATE void httpx__hpack_dec_init(httpx__hpack_dec *d, size_t table_size);
HTTPX__PRIVATE void httpx__hpack_dec_free(httpx__hpack_dec *d);
/* Our SETTINGS_HEADER_TABLE_SIZE was acknowledged: size updates above n are
   errors from now on; when n is below the current size the table shrinks and
   the next block must begin with a size update (RFC 7541 4.2). */
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE void httpx__hpack_dec_set_max(httpx__hpack_dec *d, size_t n);
#endif
/* Decodes one complete header block (HEADERS + CONTINUATIONs joined).
   Returns the number of fields, or HTTPX__BAD with e filled:
   - HTTPX_ERR_REMOTE_PROTOCOL "HPACK: ...": a COMPRESSION_ERROR; the context is
     broken and every later call fails;
   - HTTPX_ERR_TOO_LARGE: the list is over max_list. Decoding went on to the
     end without calling on_field for the rest, so the table is in sync and
     the connection can go on (reset the stream);
   - HTTPX_ERR_CANCELLED: on_field returned nonzero (context broken);
   - HTTPX_ERR_NOMEM. */
HTTPX__PRIVATE int httpx__hpack_decode(httpx__hpack_dec *d, const void *block, size_t n,
                                       httpx__hpack_on_field on_field, void *ctx, httpx__err *e);

/* How the encoder represents a field (RFC 7541 6.2). AUTO: never-indexed for
   credentials (authorization, proxy-authorization, cookie, set-cookie),
   without indexing for fields that change every request (:path,
   content-length) or that would take more than half the table, incremental
   indexing otherwise. */
enum httpx__hpack_index { HTTPX__HPACK_AUTO, HTTPX__HPACK_INDEX, HTTPX__HPACK_NO_INDEX, HTTPX__HPACK_NEVER_INDEX };
typedef struct httpx__hpack_field {
    const char *name; size_t nlen;      /* lower-case */
    const char *value; size_t vlen;
    int index;                          /* enum httpx__hpack_index; 0 = AUTO */
} httpx__hpack_field;

typedef struct httpx__hpack_enc {
    httpx__hpack_table t;
    size_t cap;             /* the most table we are willing to keep */
    size_t pending_min;     /* smallest size chosen since the last block */
    bool pending;           /* a size update is owed at the next block */
    int huffman;            /* enum httpx__hpack_huff; 0: Huffman when shorter */
} httpx__hpack_enc;
/* ALWAYS exists to reproduce RFC 7541 C.4/C.6, whose encoder Huffman-codes
   "307" although that saves nothing. */
enum httpx__hpack_huff { HTTPX__HPACK_HUFF_AUTO, HTTPX__HPACK_HUFF_NEVER, HTTPX__HPACK_HUFF_ALWAYS };

/* table_size: as for the decoder; it is also the cap (memory) the encoder
   keeps to when the peer allows more. */
HTTPX__PRIVATE void httpx__hpack_enc_init(httpx__hpack_enc *enc, size_t table_size);
HTTPX__PRIVATE void httpx__hpack_enc_free(httpx__hpack_enc *enc);
/* The peer's SETTINGS_HEADER_TABLE_SIZE: the encoder uses min(n, cap) and
   signals a change with size updates at the start of the next block. */
HTTPX__PRIVATE void httpx__hpack_enc_set_peer_max(httpx__hpack_enc *enc, size_t n);
/* Appends one header block for fields[0..n) to out. Fails, having changed
   nothing, with HTTPX_ERR_INVALID_HEADER for an empty or non-lower-case
   name or a CR, LF or NUL in a field, or with HTTPX_ERR_NOMEM. */
HTTPX__PRIVATE httpx_error httpx__hpack_encode(httpx__hpack_enc *enc, httpx__buf *out,
                                               const httpx__hpack_field *fields, size_t n, httpx__err *e);

/* Building blocks, visible for the tests. */
HTTPX__PRIVATE bool httpx__hpack_put_int(httpx__buf *out, unsigned first, int prefix_bits, uint32_t v);
/* Reads a prefix integer at *p: 0 and *p moved past it, HTTPX__AGAIN when the
   input ends inside it, HTTPX__BAD when it is over 2^31 - 1. */
HTTPX__PRIVATE int httpx__hpack_get_int(const uint8_t **p, const uint8_t *end, int prefix_bits, uint32_t *v);
HTTPX__PRIVATE size_t httpx__huff_encoded_len(const char *s, size_t n);
HTTPX__PRIVATE bool httpx__huff_encode(httpx__buf *out, const char *s, size_t n);
/* Appends the decoded bytes to out (out may be NULL: validate only). Returns
   0, or HTTPX__BAD with e filled (EOS, bad padding). */
HTTPX__PRIVATE int httpx__huff_decode(httpx__buf *out, const uint8_t *p, size_t n, httpx__err *e);
/* Dynamic table entry i (0 = newest). */
HTTPX__PRIVATE bool httpx__hpack_table_get(const httpx__hpack_table *t, size_t i, httpx__str *name, httpx__str *value);

/* -- frames (h2_frame.c), RFC 9113 sections 4 and 6 -- */

#define HTTPX__H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define HTTPX__H2_PREFACE_LEN 24
#define HTTPX__H2_HEADER_LEN 9
#define HTTPX__H2_MAX_FRAME_DEFAULT 16384u
#define HTTPX__H2_MAX_FRAME_LIMIT 16777215u
#define HTTPX__H2_WINDOW_DEFAULT 65535u
#define HTTPX__H2_WINDOW_MAX 2147483647u

enum httpx__h2_type {
    HTTPX__H2_DATA = 0, HTTPX__H2_HEADERS = 1, HTTPX__H2_PRIORITY = 2, HTTPX__H2_RST_STREAM = 3,
    HTTPX__H2_SETTINGS = 4, HTTPX__H2_PUSH_PROMISE = 5, HTTPX__H2_PING = 6, HTTPX__H2_GOAWAY = 7,
    HTTPX__H2_WINDOW_UPDATE = 8, HTTPX__H2_CONTINUATION = 9
};
#define HTTPX__H2_FLAG_END_STREAM 0x01u
#define HTTPX__H2_FLAG_ACK 0x01u
#define HTTPX__H2_FLAG_END_HEADERS 0x04u
#define HTTPX__H2_FLAG_PADDED 0x08u
#define HTTPX__H2_FLAG_PRIORITY 0x20u

/* RFC 9113 section 7 error codes. */
enum httpx__h2_code {
    HTTPX__H2_NO_ERROR = 0x0, HTTPX__H2_PROTOCOL_ERROR = 0x1, HTTPX__H2_INTERNAL_ERROR = 0x2,
    HTTPX__H2_FLOW_CONTROL_ERROR = 0x3, HTTPX__H2_SETTINGS_TIMEOUT = 0x4, HTTPX__H2_STREAM_CLOSED = 0x5,
    HTTPX__H2_FRAME_SIZE_ERROR = 0x6, HTTPX__H2_REFUSED_STREAM = 0x7, HTTPX__H2_CANCEL = 0x8,
    HTTPX__H2_COMPRESSION_ERROR = 0x9, HTTPX__H2_CONNECT_ERROR = 0xa, HTTPX__H2_ENHANCE_YOUR_CALM = 0xb,
    HTTPX__H2_INADEQUATE_SECURITY = 0xc, HTTPX__H2_HTTP_1_1_REQUIRED = 0xd
};
/* "PROTOCOL_ERROR", ...; "unknown" for codes outside the RFC (which must be
   treated as INTERNAL_ERROR-like, never as an error themselves). */
HTTPX__PRIVATE const char *httpx__h2_code_name(uint32_t code);

enum httpx__h2_setting_id {
    HTTPX__H2_SET_HEADER_TABLE_SIZE = 1, HTTPX__H2_SET_ENABLE_PUSH = 2,
    HTTPX__H2_SET_MAX_CONCURRENT_STREAMS = 3, HTTPX__H2_SET_INITIAL_WINDOW_SIZE = 4,
    HTTPX__H2_SET_MAX_FRAME_SIZE = 5, HTTPX__H2_SET_MAX_HEADER_LIST_SIZE = 6
};
/* One side's settings; httpx__h2_settings_init gives the RFC defaults
   (max_concurrent_streams and max_header_list_size unlimited: UINT32_MAX). */
typedef struct httpx__h2_settings {
    uint32_t header_table_size, enable_push, max_concurrent_streams,
             initial_window_size, max_frame_size, max_header_list_size;
} httpx__h2_settings;
typedef struct httpx__h2_setting { uint16_t id; uint32_t value; } httpx__h2_setting;

/* A decoded frame: views into the parsed buffer. payload is what the frame
   carries with padding and fixed fields removed: DATA's data, HEADERS' and
   PUSH_PROMISE's and CONTINUATION's field block fragment, GOAWAY's debug
   data, PING's 8 opaque bytes, SETTINGS' entries (see httpx__h2_frame_setting),
   an unknown type's whole payload. */
typedef struct httpx__h2_frame {
    uint32_t length;            /* the payload length on the wire */
    uint8_t type, flags;
    uint32_t stream_id;         /* reserved bit cleared */
    const uint8_t *payload;
    size_t payload_len;
    uint8_t pad_length;         /* padding removed (PADDED frames) */
    bool has_priority;          /* HEADERS with PRIORITY, and PRIORITY */
    bool exclusive;
    uint32_t dependency;
    uint16_t weight;            /* 1..256 */
    uint32_t error_code;        /* RST_STREAM, GOAWAY */
    uint32_t last_stream_id;    /* GOAWAY */
    uint32_t window_increment;  /* WINDOW_UPDATE */
    uint32_t promised_stream_id;/* PUSH_PROMISE */
    size_t num_settings;        /* SETTINGS */
} httpx__h2_frame;

/* What the peer did wrong: an RFC 9113 error code, and the stream to reset
   for a stream error, 0 for a connection error (send GOAWAY and close). */
typedef struct httpx__h2_fault { uint32_t code; uint32_t stream_id; } httpx__h2_fault;

/* Parses and validates one frame at the start of buf[0..n). Returns the
   bytes it takes (9 + length); HTTPX__AGAIN when the frame is not all there
   yet (a length over max_frame_size fails at once, from the 9-byte header
   alone); HTTPX__BAD with fault and e (HTTPX_ERR_REMOTE_PROTOCOL, a message
   naming the rule) filled. Checks everything that needs no connection state:
   sizes, stream 0 or not, padding, PRIORITY/HEADERS depending on their own
   stream, WINDOW_UPDATE increment 0, PUSH_PROMISE promised id, SETTINGS
   values. Unknown types and flags pass (the caller ignores them). */
HTTPX__PRIVATE int httpx__h2_frame_parse(const void *buf, size_t n, uint32_t max_frame_size,
                                         httpx__h2_frame *f, httpx__h2_fault *fault, httpx__err *e);
/* SETTINGS entry i < f->num_settings. */
HTTPX__PRIVATE httpx__h2_setting httpx__h2_frame_setting(const httpx__h2_frame *f, size_t i);
HTTPX__PRIVATE void httpx__h2_settings_init(httpx__h2_settings *s);
/* Applies a parsed (so validated) SETTINGS frame; unknown ids are ignored. */
HTTPX__PRIVATE void httpx__h2_settings_apply(httpx__h2_settings *s, const httpx__h2_frame *f);

/* Writers: append one frame to out; false when the allocator failed. Stream
   ids, lengths and increments outside the RFC's ranges are bugs (asserted). */
HTTPX__PRIVATE bool httpx__h2_write_frame(httpx__buf *out, uint8_t type, uint8_t flags, uint32_t stream_id,
                                          const void *payload, size_t n);
HTTPX__PRIVATE bool httpx__h2_write_data(httpx__buf *out, uint32_t stream_id, const void *p, size_t n, bool end_stream);
HTTPX__PRIVATE bool httpx__h2_write_headers(httpx__buf *out, uint32_t stream_id, const void *frag, size_t n,
                                            bool end_stream, bool end_headers);
HTTPX__PRIVATE bool httpx__h2_write_continuation(httpx__buf *out, uint32_t stream_id, const void *frag, size_t n,
                                                 bool end_headers);
/* A whole field block: HEADERS, then CONTINUATIONs when it is longer than
   max_frame_size (the peer's SETTINGS_MAX_FRAME_SIZE). */
HTTPX__PRIVATE bool httpx__h2_write_header_block(httpx__buf *out, uint32_t stream_id, const void *block, size_t n,
                                                 bool end_stream, uint32_t max_frame_size);
HTTPX__PRIVATE bool httpx__h2_write_settings(httpx__buf *out, const httpx__h2_setting *s, size_t n);
HTTPX__PRIVATE bool httpx__h2_write_settings_ack(httpx__buf *out);
HTTPX__PRIVATE bool httpx__h2_write_ping(httpx__buf *out, const uint8_t opaque[8], bool ack);
HTTPX__PRIVATE bool httpx__h2_write_goaway(httpx__buf *out, uint32_t last_stream_id, uint32_t code,
                                           const void *debug, size_t n);
HTTPX__PRIVATE bool httpx__h2_write_rst_stream(httpx__buf *out, uint32_t stream_id, uint32_t code);
HTTPX__PRIVATE bool httpx__h2_write_window_update(httpx__buf *out, uint32_t stream_id, uint32_t increment);
/* weight 1..256 as in the frame view (the wire carries weight - 1). */
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE bool httpx__h2_write_priority(httpx__buf *out, uint32_t stream_id, uint32_t dependency,
                                             unsigned weight, bool exclusive);
#endif

#endif /* HTTPX_NO_HTTP2 */

/* ---- HTTP/2 client session (h2_session.c) ----
   The protocol logic of one HTTP/2 connection without any I/O: the caller
   moves bytes between the socket and the session (httpx__h2_out /
   httpx__h2_out_done, httpx__h2_feed) and acts on the events it drains.
   A session is used by one thread at a time. Private prefix: httpx__h2_.
   The loop an engine runs:
       send httpx__h2_out (httpx__h2_out_done with what the socket took);
       read bytes; while some are left: httpx__h2_feed, then drain every
       event with httpx__h2_next_event; HTTPX__BAD is fatal (an EV_ERROR
       event says why; flush the GOAWAY, close). */
#ifndef HTTPX_NO_HTTP2

/* Zero-initialised is the default for every field. */
typedef struct httpx__h2_config {
    uint32_t stream_window;     /* receive window per stream; 0: 1 MiB (our SETTINGS_INITIAL_WINDOW_SIZE) */
    uint32_t conn_window;       /* receive window of the connection; 0: 16 MiB (WINDOW_UPDATE on stream 0) */
    uint32_t max_header_list;   /* SETTINGS_MAX_HEADER_LIST_SIZE sent and enforced; 0: 64 KiB */
    uint32_t max_streams;       /* most streams we open at once, whatever the server allows; 0: 256 */
} httpx__h2_config;

enum httpx__h2_ev_type {
    HTTPX__H2_EV_HEADERS = 1,   /* the final response head: status, fields */
    HTTPX__H2_EV_DATA,          /* body bytes: data, len (give them back with httpx__h2_consumed) */
    HTTPX__H2_EV_TRAILERS,      /* trailer fields (always followed by END) */
    HTTPX__H2_EV_END,           /* the server's side of the stream ended cleanly */
    HTTPX__H2_EV_RESET,         /* the stream is gone: code, error, msg, retryable, remote */
    HTTPX__H2_EV_WINDOW,        /* a stream that httpx__h2_send_data held back may send again */
    HTTPX__H2_EV_SETTINGS,      /* the server's SETTINGS were applied (httpx__h2_can_open may change) */
    HTTPX__H2_EV_PING_ACK,      /* the answer to httpx__h2_ping: data (8 bytes) */
    HTTPX__H2_EV_GOAWAY,        /* no new streams: last_stream_id, code, data (debug) */
    HTTPX__H2_EV_ERROR          /* connection error: code, error, msg. The session is dead:
                                   send what httpx__h2_out holds (the GOAWAY), then close */
};

/* One event. Its pointers stay valid until the next httpx__h2_next_event
   or httpx__h2_feed call (handle each event before draining the next):
   DATA, PING_ACK and GOAWAY's debug data point into the bytes given to
   httpx__h2_feed (keep them until the events are drained) or into the
   session; fields and msg into the session. */
typedef struct httpx__h2_event {
    int type;                           /* enum httpx__h2_ev_type */
    uint32_t stream_id;                 /* 0 for connection events */
    void *user;                         /* the stream's pointer from httpx__h2_submit */
    int status;                         /* HEADERS: :status (200..599) */
    const httpx__h1_header *fields;     /* HEADERS, TRAILERS: without pseudo-headers, */
    size_t num_fields;                  /*   names lower-case, NUL-terminated */
    const uint8_t *data;                /* DATA, PING_ACK, GOAWAY */
    size_t len;
    uint32_t code;                      /* RESET, GOAWAY, ERROR: RFC 9113 error code */
    uint32_t last_stream_id;            /* GOAWAY */
    bool retryable;                     /* RESET: the server did not process the request
                                           (REFUSED_STREAM, or above a GOAWAY's last id) */
    bool remote;                        /* RESET: the server's RST_STREAM or GOAWAY; false: we
                                           reset it because the server broke a rule */
    httpx_error error;                  /* RESET, ERROR (HTTPX_OK for a RESET NO_ERROR after END) */
    const char *msg;                    /* RESET, ERROR: what happened, in words */
} httpx__h2_event;

typedef struct httpx__h2_session httpx__h2_session;

/* Creates a session and queues the client preface, our SETTINGS and the
   connection WINDOW_UPDATE. cfg may be NULL. NULL on NOMEM. */
HTTPX__PRIVATE httpx__h2_session *httpx__h2_new(const httpx__h2_config *cfg, httpx__err *e);
HTTPX__PRIVATE void httpx__h2_free(httpx__h2_session *s);

/* The bytes waiting to be sent (*len may be 0), and how many were sent. */
HTTPX__PRIVATE const char *httpx__h2_out(const httpx__h2_session *s, size_t *len);
HTTPX__PRIVATE void httpx__h2_out_done(httpx__h2_session *s, size_t n);

/* Whether a new stream may be opened now: alive, no GOAWAY either way,
   under the server's SETTINGS_MAX_CONCURRENT_STREAMS (100 until its first
   SETTINGS) and our max_streams, stream ids left. */
HTTPX__PRIVATE bool httpx__h2_can_open(const httpx__h2_session *s);
/* Opens a stream for a request: fields[0..n) are the pseudo-headers
   (:method, :scheme, :authority, :path) then the other fields, names lower
   case. Queues HEADERS (+ CONTINUATION), with END_STREAM when !has_body.
   user comes back in the stream's events. Fails (nothing queued) with
   HTTPX_ERR_LOCAL_PROTOCOL when no stream can be opened or a field is not
   allowed in HTTP/2 (connection-specific ones), HTTPX_ERR_INVALID_HEADER,
   HTTPX_ERR_NOMEM. */
HTTPX__PRIVATE httpx_error httpx__h2_submit(httpx__h2_session *s, const httpx__hpack_field *fields, size_t n,
                                            bool has_body, void *user, uint32_t *stream_id, httpx__err *e);
/* Queues up to len request body bytes as DATA frames, as far as the stream
   and connection send windows allow; with end, the frame with the last
   byte carries END_STREAM (len 0 with end: an empty DATA frame ends it).
   Returns the bytes taken; fewer than len means blocked: an EV_WINDOW event
   for the stream says when to try again. HTTPX__BAD (e filled) when the
   stream is not open for sending or the session is dead. */
HTTPX__PRIVATE long httpx__h2_send_data(httpx__h2_session *s, uint32_t stream_id, const void *p, size_t len,
                                        bool end, httpx__err *e);
/* Takes bytes the server sent. Handles whole frames (a partial frame at the
   end is kept inside, at most 9 + 16384 bytes) and stops after the first
   frame that produced events, so *consumed may be less than n: drain the
   events, then feed the rest. Returns 0, or HTTPX__BAD on a connection
   error (e filled, an EV_ERROR event queued, a GOAWAY in the output).
   Misuse: feeding while events are pending (asserted). */
HTTPX__PRIVATE int httpx__h2_feed(httpx__h2_session *s, const void *p, size_t n, size_t *consumed, httpx__err *e);
/* The next event; false when there is none. */
HTTPX__PRIVATE bool httpx__h2_next_event(httpx__h2_session *s, httpx__h2_event *ev);
/* The user took n body bytes of stream_id (call it for every DATA byte ever
   delivered, even after the stream ended or was cancelled): windows are
   reopened with WINDOW_UPDATE once half a window was taken. */
HTTPX__PRIVATE void httpx__h2_consumed(httpx__h2_session *s, uint32_t stream_id, size_t n);
/* RST_STREAM CANCEL for a stream still open; no event follows. */
HTTPX__PRIVATE void httpx__h2_cancel(httpx__h2_session *s, uint32_t stream_id);
/* A clean close: GOAWAY NO_ERROR, no new streams; open ones go on. */
HTTPX__PRIVATE void httpx__h2_goaway(httpx__h2_session *s);
/* Sends a PING; the EV_PING_ACK event carries the same 8 bytes back. */
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE void httpx__h2_ping(httpx__h2_session *s, const uint8_t opaque[8]);
#endif
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE size_t httpx__h2_open_streams(const httpx__h2_session *s);
HTTPX__PRIVATE size_t httpx__h2_recv_held(const httpx__h2_session *s);
#endif
/* No stream open (the connection can be pooled or closed). */
HTTPX__PRIVATE bool httpx__h2_idle(const httpx__h2_session *s);
/* Connection error happened (the EV_ERROR message stays in *err). */
HTTPX__PRIVATE bool httpx__h2_dead(const httpx__h2_session *s);
/* Heap bytes the session holds now (for the memory figures). */
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE size_t httpx__h2_memory(const httpx__h2_session *s);
#endif

#endif /* HTTPX_NO_HTTP2 */

/* ---- HTTP/2 end to end (h2_session.c, h2_proto.c) ---- */
#ifndef HTTPX_NO_HTTP2
/* The session will never open another stream: a GOAWAY either way, a
   connection error, or stream ids used up. A new exchange must not wait
   for such a connection (it only finishes the streams it has). */
HTTPX__PRIVATE bool httpx__h2_draining(const httpx__h2_session *s);
#endif

#endif /* HTTPX__H2_INTERNAL_H */
/* End of h2_internal.h */

#if defined(HTTPX_LINES)
#line 3630 "httpx.h"
#endif
/* ======================================================================
   Begin file hpack.c   (grep anchor: >>hpack)
   ====================================================================== */
/* hpack: HPACK header compression for HTTP/2 (RFC 7541).

   The decoder takes one complete header block and reports fields through a
   callback; plain literals are passed as views into the block, Huffman ones
   are decoded into a scratch buffer. Every length and index is checked
   against the block and the tables before use, integers are bounded, and
   memory is bounded by the table size we allow plus the block itself.

   The encoder writes a block into an httpx__buf: indexed fields where the
   static or dynamic table has them, Huffman only when it is shorter, and an
   indexing choice per field (see enum httpx__hpack_index). Private prefixes:
   httpx__hpack_, httpx__huff_. */
#if defined(HTTPX_LINES)
#line 12 "tools/src/hpack.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "h2_internal.h": earlier in httpx.h */

#ifndef HTTPX_NO_HTTP2

/* ---- Huffman code (RFC 7541 Appendix B) ----
   The code is canonical: sorted by (length, symbol) the codes count up, so
   decoding needs per length only where its codes start (no tree). */

static const uint32_t httpx__huff_code[257] = {
    0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7,
    0xfffffe8, 0xffffea, 0x3ffffffc, 0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec,
    0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0, 0xffffff1, 0xffffff2, 0x3ffffffe, 0xffffff3,
    0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9, 0xffffffa, 0xffffffb,
    0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa,
    0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
    0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
    0x1e, 0x1f, 0x5c, 0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc,
    0x1ffa, 0x21, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62,
    0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
    0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72,
    0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22,
    0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26,
    0x27, 0x6, 0x74, 0x75, 0x28, 0x29, 0x2a, 0x7,
    0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78,
    0x79, 0x7a, 0x7b, 0x7ffe, 0x7fc, 0x3ffd, 0x1ffd, 0xffffffc,
    0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9,
    0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf,
    0xffffec, 0xffffed, 0x3fffd7, 0x7fffe0, 0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3,
    0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6, 0x7fffe7, 0xffffef,
    0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde,
    0x7fffea, 0x3fffdd, 0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec,
    0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2, 0x7fffed, 0x3fffe1, 0x7fffee, 0x7fffef,
    0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
    0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec,
    0x3ffffe2, 0x3ffffe3, 0x3ffffe4, 0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed,
    0x7fff2, 0x1fffe3, 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7, 0x7ffffe2, 0xfffff2,
    0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5,
    0xfffec, 0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3,
    0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef, 0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4,
    0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9, 0x7ffffea,
    0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
    0x3fffffff,
};
static const uint8_t httpx__huff_len[257] = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30,
};
/* symbols in code order (by length, then value) */
static const uint16_t httpx__huff_sym[257] = {
    48, 49, 50, 97, 99, 101, 105, 111, 115, 116, 32, 37, 45, 46, 47, 51,
    52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109,
    110, 112, 114, 117, 58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
    77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118,
    119, 120, 121, 122, 38, 42, 44, 59, 88, 90, 33, 34, 40, 41, 63, 39,
    43, 124, 35, 62, 0, 36, 64, 91, 93, 126, 94, 125, 60, 96, 123, 92,
    195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172, 176, 177,
    179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160,
    163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232,
    233, 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157,
    158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239, 9, 142,
    144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193,
    200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255, 203, 204, 211,
    212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254,
    2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20,
    21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249, 10, 13, 22,
    256,
};
/* Per code length L: (first code of L + number of codes of L) << (32 - L).
   A 32-bit window below limit[L] starts with a code of at most L bits;
   above limit[29] it is a 30-bit code. */
static const uint32_t httpx__huff_limit[30] = {
    0x0u, 0x0u, 0x0u, 0x0u, 0x0u, 0x50000000u,
    0xb8000000u, 0xf8000000u, 0xfe000000u, 0xfe000000u, 0xff400000u, 0xffa00000u,
    0xffc00000u, 0xfff00000u, 0xfff80000u, 0xfffe0000u, 0xfffe0000u, 0xfffe0000u,
    0xfffe0000u, 0xfffe6000u, 0xfffee000u, 0xffff4800u, 0xffffb000u, 0xffffea00u,
    0xfffff600u, 0xfffff800u, 0xfffffbc0u, 0xfffffe20u, 0xfffffff0u, 0xfffffff0u,
};
static const uint32_t httpx__huff_first[31] = {
    0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x14, 0x5c,
    0xf8, 0x0, 0x3f8, 0x7fa, 0xffa, 0x1ff8, 0x3ffc, 0x7ffc,
    0x0, 0x0, 0x0, 0x7fff0, 0xfffe6, 0x1fffdc, 0x3fffd2, 0x7fffd8,
    0xffffea, 0x1ffffec, 0x3ffffe0, 0x7ffffde, 0xfffffe2, 0x0, 0x3ffffffc,
};
static const uint16_t httpx__huff_index[31] = {
    0, 0, 0, 0, 0, 0, 10, 36, 68, 0, 74, 79, 82, 84, 90, 92,
    0, 0, 0, 95, 98, 106, 119, 145, 174, 186, 190, 205, 224, 0, 253,
};

/* By the first 8 bits of the window: the symbol and length of a code of at
   most 8 bits, or (0, the shortest length of the longer codes starting so). */
static const uint8_t httpx__huff_fast_sym[256] = {
    48, 48, 48, 48, 48, 48, 48, 48, 49, 49, 49, 49, 49, 49, 49, 49,
    50, 50, 50, 50, 50, 50, 50, 50, 97, 97, 97, 97, 97, 97, 97, 97,
    99, 99, 99, 99, 99, 99, 99, 99, 101, 101, 101, 101, 101, 101, 101, 101,
    105, 105, 105, 105, 105, 105, 105, 105, 111, 111, 111, 111, 111, 111, 111, 111,
    115, 115, 115, 115, 115, 115, 115, 115, 116, 116, 116, 116, 116, 116, 116, 116,
    32, 32, 32, 32, 37, 37, 37, 37, 45, 45, 45, 45, 46, 46, 46, 46,
    47, 47, 47, 47, 51, 51, 51, 51, 52, 52, 52, 52, 53, 53, 53, 53,
    54, 54, 54, 54, 55, 55, 55, 55, 56, 56, 56, 56, 57, 57, 57, 57,
    61, 61, 61, 61, 65, 65, 65, 65, 95, 95, 95, 95, 98, 98, 98, 98,
    100, 100, 100, 100, 102, 102, 102, 102, 103, 103, 103, 103, 104, 104, 104, 104,
    108, 108, 108, 108, 109, 109, 109, 109, 110, 110, 110, 110, 112, 112, 112, 112,
    114, 114, 114, 114, 117, 117, 117, 117, 58, 58, 66, 66, 67, 67, 68, 68,
    69, 69, 70, 70, 71, 71, 72, 72, 73, 73, 74, 74, 75, 75, 76, 76,
    77, 77, 78, 78, 79, 79, 80, 80, 81, 81, 82, 82, 83, 83, 84, 84,
    85, 85, 86, 86, 87, 87, 89, 89, 106, 106, 107, 107, 113, 113, 118, 118,
    119, 119, 120, 120, 121, 121, 122, 122, 38, 42, 44, 59, 88, 90, 0, 0,
};
static const uint8_t httpx__huff_fast_len[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 10, 10,
};
#define HTTPX__HUFF_EOS 256

HTTPX__PRIVATE size_t httpx__huff_encoded_len(const char *s, size_t n) {
    size_t bits = 0, i;
    for (i = 0; i < n; i++) bits += httpx__huff_len[(unsigned char)s[i]];
    return (bits + 7) / 8;
}

HTTPX__PRIVATE bool httpx__huff_encode(httpx__buf *out, const char *s, size_t n) {
    uint64_t acc = 0;       /* pending bits, right-aligned */
    int bits = 0;
    size_t i;
    char *w;
    if (!httpx__buf_reserve(out, httpx__huff_encoded_len(s, n))) return false;
    w = out->p + out->len;
    for (i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        acc = acc << httpx__huff_len[c] | httpx__huff_code[c];
        bits += httpx__huff_len[c];
        while (bits >= 8) {
            bits -= 8;
            *w++ = (char)(acc >> bits);
        }
    }
    if (bits > 0)   /* pad with the most significant bits of EOS: all ones */
        *w++ = (char)(acc << (8 - bits) | (0xffu >> bits));
    out->len = (size_t)(w - out->p);
    out->p[out->len] = 0;
    return true;
}

/* The 32 bits at the front of the window, padded with ones past the end so
   that a partial code at the end reads as a (too long) prefix of EOS. */
static uint32_t httpx__huff_peek(uint64_t acc, int bits) {
    if (bits >= 32) return (uint32_t)(acc >> (bits - 32));
    return (uint32_t)((acc << (32 - bits)) | (((uint64_t)1 << (32 - bits)) - 1));
}

HTTPX__PRIVATE int httpx__huff_decode(httpx__buf *out, const uint8_t *p, size_t n, httpx__err *e) {
    uint64_t acc = 0;
    int bits = 0, len;
    size_t i = 0;
    char *w = NULL;
    if (out) {   /* the shortest code is 5 bits, so at most 8/5 bytes per byte */
        if (!httpx__buf_reserve(out, n + n / 4 * 3 + 8)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory decoding a Huffman string");
            return HTTPX__BAD;
        }
        w = out->p + out->len;
    }
    for (;;) {
        uint32_t win;
        unsigned sym;
        while (bits <= 56 && i < n) { acc = acc << 8 | p[i++]; bits += 8; }
        if (bits == 0) break;
        win = httpx__huff_peek(acc, bits);
        len = httpx__huff_fast_len[win >> 24];
        if (len > 8) {      /* rare bytes: count up from the shortest candidate */
            while (len < 30 && win >= httpx__huff_limit[len]) len++;
            sym = httpx__huff_sym[httpx__huff_index[len] + ((win >> (32 - len)) - httpx__huff_first[len])];
        } else {
            sym = httpx__huff_fast_sym[win >> 24];
        }
        if (len > bits) {
            /* what is left is no whole code: it must be padding, which is
               the start of EOS (all ones) and shorter than a byte */
            if (bits > 7 || (acc & ((1u << bits) - 1)) != (1u << bits) - 1) {
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, bits > 7 ?
                            "HPACK: Huffman string ends with %d bits that are no code (padding is at most 7 bits)" :
                            "HPACK: Huffman padding of %d bits is not all ones", bits);
                return HTTPX__BAD;
            }
            break;
        }
        if (sym == HTTPX__HUFF_EOS) {
            httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: EOS symbol inside a Huffman string");
            return HTTPX__BAD;
        }
        bits -= len;
        acc &= bits ? (~(uint64_t)0 >> (64 - bits)) : 0;
        if (w) *w++ = (char)sym;
    }
    if (out) {
        out->len = (size_t)(w - out->p);
        out->p[out->len] = 0;
    }
    return 0;
}

/* ---- integers (RFC 7541 5.1) ---- */

#define HTTPX__HPACK_INT_MAX 0x7fffffffu

HTTPX__PRIVATE bool httpx__hpack_put_int(httpx__buf *out, unsigned first, int prefix_bits, uint32_t v) {
    uint32_t max = (1u << prefix_bits) - 1;
    unsigned char b[6];
    size_t n = 0;
    if (v < max) {
        b[n++] = (unsigned char)(first | v);
    } else {
        b[n++] = (unsigned char)(first | max);
        v -= max;
        while (v >= 128) { b[n++] = (unsigned char)(v % 128 + 128); v /= 128; }
        b[n++] = (unsigned char)v;
    }
    return httpx__buf_append(out, b, n);
}

HTTPX__PRIVATE int httpx__hpack_get_int(const uint8_t **pp, const uint8_t *end, int prefix_bits, uint32_t *v) {
    const uint8_t *p = *pp;
    uint32_t max = (1u << prefix_bits) - 1, val;
    int shift = 0;
    if (p >= end) return HTTPX__AGAIN;
    val = *p++ & max;
    if (val == max) {
        for (;;) {
            uint32_t b;
            if (p >= end) return HTTPX__AGAIN;
            b = *p++;
            /* 2^31 needs at most 5 continuation bytes; more is an attack
               (long runs of 0x80) or a value we will never accept */
            if (shift > 28 || (uint64_t)(b & 127) << shift > HTTPX__HPACK_INT_MAX - val) return HTTPX__BAD;
            val += (b & 127) << shift;
            shift += 7;
            if (!(b & 128)) break;
        }
    }
    *v = val;
    *pp = p;
    return 0;
}

/* ---- static table (RFC 7541 Appendix A) ---- */

typedef struct httpx__hpack_static { const char *name, *value; uint8_t nlen, vlen; } httpx__hpack_static;
#define HTTPX__S(n, v) {n, v, sizeof n - 1, sizeof v - 1}
static const httpx__hpack_static httpx__hpack_statics[61] = {
    HTTPX__S(":authority", ""), HTTPX__S(":method", "GET"), HTTPX__S(":method", "POST"),
    HTTPX__S(":path", "/"), HTTPX__S(":path", "/index.html"), HTTPX__S(":scheme", "http"),
    HTTPX__S(":scheme", "https"), HTTPX__S(":status", "200"), HTTPX__S(":status", "204"),
    HTTPX__S(":status", "206"), HTTPX__S(":status", "304"), HTTPX__S(":status", "400"),
    HTTPX__S(":status", "404"), HTTPX__S(":status", "500"), HTTPX__S("accept-charset", ""),
    HTTPX__S("accept-encoding", "gzip, deflate"), HTTPX__S("accept-language", ""),
    HTTPX__S("accept-ranges", ""), HTTPX__S("accept", ""), HTTPX__S("access-control-allow-origin", ""),
    HTTPX__S("age", ""), HTTPX__S("allow", ""), HTTPX__S("authorization", ""),
    HTTPX__S("cache-control", ""), HTTPX__S("content-disposition", ""), HTTPX__S("content-encoding", ""),
    HTTPX__S("content-language", ""), HTTPX__S("content-length", ""), HTTPX__S("content-location", ""),
    HTTPX__S("content-range", ""), HTTPX__S("content-type", ""), HTTPX__S("cookie", ""),
    HTTPX__S("date", ""), HTTPX__S("etag", ""), HTTPX__S("expect", ""), HTTPX__S("expires", ""),
    HTTPX__S("from", ""), HTTPX__S("host", ""), HTTPX__S("if-match", ""),
    HTTPX__S("if-modified-since", ""), HTTPX__S("if-none-match", ""), HTTPX__S("if-range", ""),
    HTTPX__S("if-unmodified-since", ""), HTTPX__S("last-modified", ""), HTTPX__S("link", ""),
    HTTPX__S("location", ""), HTTPX__S("max-forwards", ""), HTTPX__S("proxy-authenticate", ""),
    HTTPX__S("proxy-authorization", ""), HTTPX__S("range", ""), HTTPX__S("referer", ""),
    HTTPX__S("refresh", ""), HTTPX__S("retry-after", ""), HTTPX__S("server", ""),
    HTTPX__S("set-cookie", ""), HTTPX__S("strict-transport-security", ""),
    HTTPX__S("transfer-encoding", ""), HTTPX__S("user-agent", ""), HTTPX__S("vary", ""),
    HTTPX__S("via", ""), HTTPX__S("www-authenticate", ""),
};
#undef HTTPX__S
#define HTTPX__HPACK_STATICS 61u

/* ---- dynamic table (RFC 7541 2.3.2, 4) ---- */

static void httpx__hpack_table_init(httpx__hpack_table *t, size_t max) {
    memset(t, 0, sizeof *t);
    t->max = max;
}

static void httpx__hpack_table_free(httpx__hpack_table *t) {
    httpx__free(t->text);
    httpx__free(t->ents);
    t->text = NULL;
    t->ents = NULL;
    t->text_cap = t->ents_cap = t->head = t->tail = t->oldest = t->count = t->size = 0;
}

static httpx__hpack_entry *httpx__hpack_nth(const httpx__hpack_table *t, size_t i) {
    return &t->ents[(t->oldest + t->count - 1 - i) % t->ents_cap];
}

HTTPX__PRIVATE bool httpx__hpack_table_get(const httpx__hpack_table *t, size_t i, httpx__str *name, httpx__str *value) {
    const httpx__hpack_entry *en;
    if (i >= t->count) return false;
    en = httpx__hpack_nth(t, i);
    name->p = t->text + en->off;
    name->n = en->nlen;
    value->p = t->text + en->off + en->nlen;
    value->n = en->vlen;
    return true;
}

static void httpx__hpack_evict_to(httpx__hpack_table *t, size_t max) {
    while (t->size > max) {
        httpx__hpack_entry *en = &t->ents[t->oldest];
        t->size -= en->nlen + en->vlen + HTTPX__HPACK_ENTRY_OVERHEAD;
        t->head = en->off + en->nlen + en->vlen;
        t->oldest = (t->oldest + 1) % t->ents_cap;
        t->count--;
    }
    if (t->count == 0) t->head = t->tail = 0;
}

static void httpx__hpack_set_size(httpx__hpack_table *t, size_t max) {
    t->max = max;
    httpx__hpack_evict_to(t, max);
}

/* Makes room for a table of t->max bytes: text never needs more than max
   bytes (every entry costs 32 more than its text), entries at most max/32. */
static bool httpx__hpack_table_grow(httpx__hpack_table *t) {
    size_t ents = t->max / HTTPX__HPACK_ENTRY_OVERHEAD, i;
    if (t->text_cap < t->max) {
        char *p = (char *)httpx__realloc(t->text, t->max);
        if (!p) return false;
        t->text = p;
        t->text_cap = t->max;
    }
    if (t->ents_cap < ents) {
        httpx__hpack_entry *p = (httpx__hpack_entry *)httpx__malloc(ents * sizeof *p);
        if (!p) return false;
        for (i = 0; i < t->count; i++) p[i] = t->ents[(t->oldest + i) % t->ents_cap];
        httpx__free(t->ents);
        t->ents = p;
        t->ents_cap = ents;
        t->oldest = 0;
    }
    return true;
}

/* Adds an entry (RFC 7541 4.4): evicts first; an entry larger than the table
   empties it and is not added. name and value must not point into t. */
static bool httpx__hpack_table_add(httpx__hpack_table *t, const char *name, size_t nlen,
                                   const char *value, size_t vlen) {
    size_t need = nlen + vlen, i;
    httpx__hpack_entry *en;
    if (need + HTTPX__HPACK_ENTRY_OVERHEAD > t->max) {
        httpx__hpack_evict_to(t, 0);
        return true;
    }
    httpx__hpack_evict_to(t, t->max - need - HTTPX__HPACK_ENTRY_OVERHEAD);
    if (!httpx__hpack_table_grow(t)) return false;
    if (t->tail + need > t->text_cap) {     /* move the live text to the front */
        memmove(t->text, t->text + t->head, t->tail - t->head);
        for (i = 0; i < t->count; i++) t->ents[(t->oldest + i) % t->ents_cap].off -= (uint32_t)t->head;
        t->tail -= t->head;
        t->head = 0;
    }
    memcpy(t->text + t->tail, name, nlen);
    memcpy(t->text + t->tail + nlen, value, vlen);
    en = &t->ents[(t->oldest + t->count) % t->ents_cap];
    en->off = (uint32_t)t->tail;
    en->nlen = (uint32_t)nlen;
    en->vlen = (uint32_t)vlen;
    t->count++;
    t->tail += need;
    t->size += need + HTTPX__HPACK_ENTRY_OVERHEAD;
    return true;
}

/* ---- decoder ---- */

HTTPX__PRIVATE void httpx__hpack_dec_init(httpx__hpack_dec *d, size_t table_size) {
    memset(d, 0, sizeof *d);
    httpx__hpack_table_init(&d->t, table_size);
    d->max_allowed = table_size;
    d->max_list = HTTPX__HPACK_LIST_DEFAULT;
}

HTTPX__PRIVATE void httpx__hpack_dec_free(httpx__hpack_dec *d) {
    httpx__hpack_table_free(&d->t);
    httpx__buf_free(&d->scratch);
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE void httpx__hpack_dec_set_max(httpx__hpack_dec *d, size_t n) {
    d->max_allowed = n;
    if (n < d->t.max) {
        httpx__hpack_set_size(&d->t, n);
        d->need_update = true;
    }
}
#endif

/* A string of the current field: a view into the block, or bytes in scratch
   (which may move while the next string is decoded, hence the offset). */
typedef struct httpx__hpack_s { const char *p; size_t off, n; bool in_scratch; } httpx__hpack_s;

typedef struct httpx__hpack_rd {
    httpx__hpack_dec *d;
    const uint8_t *start, *p, *end;
    httpx__err *e;
} httpx__hpack_rd;

static int httpx__hpack_bad(httpx__hpack_rd *r, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 2, 3)))
#endif
    ;
static int httpx__hpack_bad(httpx__hpack_rd *r, const char *fmt, ...) {
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    httpx__fail(r->e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: %s (byte %lu of the block)", msg,
                (unsigned long)(r->p - r->start));
    r->d->broken = true;
    return HTTPX__BAD;
}

static int httpx__hpack_rd_int(httpx__hpack_rd *r, int prefix, uint32_t *v) {
    int rc = httpx__hpack_get_int(&r->p, r->end, prefix, v);
    if (rc == HTTPX__AGAIN) return httpx__hpack_bad(r, "integer truncated by the end of the block");
    if (rc != 0) return httpx__hpack_bad(r, "integer over %lu", (unsigned long)HTTPX__HPACK_INT_MAX);
    return 0;
}

/* keep: the decoded bytes are needed (else a Huffman string is only checked) */
static int httpx__hpack_rd_str(httpx__hpack_rd *r, bool keep, httpx__hpack_s *s) {
    uint32_t len;
    bool huff;
    if (r->p >= r->end) return httpx__hpack_bad(r, "string missing at the end of the block");
    huff = (*r->p & 0x80) != 0;
    if (httpx__hpack_rd_int(r, 7, &len) != 0) return HTTPX__BAD;
    if (len > (size_t)(r->end - r->p))
        return httpx__hpack_bad(r, "string length %lu goes beyond the block (%lu bytes left)",
                                (unsigned long)len, (unsigned long)(r->end - r->p));
    s->in_scratch = huff && keep;
    s->p = (const char *)r->p;
    s->n = len;
    s->off = r->d->scratch.len;
    if (huff) {
        if (httpx__huff_decode(keep ? &r->d->scratch : NULL, r->p, len, r->e) != 0) {
            r->d->broken = true;    /* the message says what; Huffman errors are COMPRESSION_ERRORs */
            return HTTPX__BAD;
        }
        s->n = keep ? r->d->scratch.len - s->off : 0;
    }
    r->p += len;
    return 0;
}

/* Looks up index i (1-based, static then dynamic). */
static int httpx__hpack_lookup(httpx__hpack_rd *r, uint32_t i, httpx__str *name, httpx__str *value) {
    if (i == 0) return httpx__hpack_bad(r, "index 0");
    if (i <= HTTPX__HPACK_STATICS) {
        name->p = httpx__hpack_statics[i - 1].name;
        name->n = httpx__hpack_statics[i - 1].nlen;
        value->p = httpx__hpack_statics[i - 1].value;
        value->n = httpx__hpack_statics[i - 1].vlen;
        return 0;
    }
    if (!httpx__hpack_table_get(&r->d->t, i - HTTPX__HPACK_STATICS - 1, name, value))
        return httpx__hpack_bad(r, "index %lu out of range (%lu entries)", (unsigned long)i,
                                (unsigned long)(HTTPX__HPACK_STATICS + r->d->t.count));
    return 0;
}

typedef struct httpx__hpack_out {
    httpx__hpack_on_field on_field;
    void *ctx;
    size_t list_size;       /* name + value + 32 of every field so far */
    bool over;              /* over max_list: fields are no longer reported */
    int fields;
} httpx__hpack_out;

static int httpx__hpack_emit(httpx__hpack_rd *r, httpx__hpack_out *o, httpx__str name, httpx__str value) {
    size_t max = r->d->max_list;
    o->list_size += name.n + value.n + HTTPX__HPACK_ENTRY_OVERHEAD;
    if (max && o->list_size > max) o->over = true;
    if (o->over) return 0;
    o->fields++;
    if (o->on_field && o->on_field(o->ctx, name.p, name.n, value.p, value.n) != 0) {
        r->d->broken = true;
        httpx__fail(r->e, HTTPX_ERR_CANCELLED, "HPACK: the field callback stopped decoding");
        return HTTPX__BAD;
    }
    return 0;
}

static httpx__str httpx__hpack_resolve(const httpx__hpack_dec *d, const httpx__hpack_s *s) {
    httpx__str v;
    v.p = s->in_scratch ? d->scratch.p + s->off : s->p;
    v.n = s->n;
    return v;
}

/* A literal field (RFC 7541 6.2): b is its first byte. */
static int httpx__hpack_literal(httpx__hpack_rd *r, httpx__hpack_out *o, uint8_t b) {
    bool indexing = (b & 0xc0) == 0x40;
    uint32_t idx;
    httpx__hpack_s ns, vs;
    httpx__str name, value;
    /* the strings are needed to report them, or to add them to the table
       (an entry larger than the table is not added, but that is known only
       after decoding: bounded by the block anyway) */
    bool keep = !o->over || indexing;
    httpx__buf_clear(&r->d->scratch);
    if (httpx__hpack_rd_int(r, indexing ? 6 : 4, &idx) != 0) return HTTPX__BAD;
    if (idx) {
        httpx__str unused;
        if (httpx__hpack_lookup(r, idx, &name, &unused) != 0) return HTTPX__BAD;
        /* a dynamic name may be evicted by this very insertion: copy it */
        ns.in_scratch = indexing && idx > HTTPX__HPACK_STATICS;
        ns.p = name.p;
        ns.n = name.n;
        ns.off = 0;
        if (ns.in_scratch && !httpx__buf_append(&r->d->scratch, name.p, name.n)) goto nomem;
    } else if (httpx__hpack_rd_str(r, keep, &ns) != 0) {
        return HTTPX__BAD;
    }
    if (httpx__hpack_rd_str(r, keep, &vs) != 0) return HTTPX__BAD;
    if (r->d->scratch.failed) goto nomem;
    name = httpx__hpack_resolve(r->d, &ns);
    value = httpx__hpack_resolve(r->d, &vs);
    if (indexing && !httpx__hpack_table_add(&r->d->t, name.p, name.n, value.p, value.n)) goto nomem;
    return httpx__hpack_emit(r, o, name, value);
nomem:
    r->d->broken = true;
    httpx__fail(r->e, HTTPX_ERR_NOMEM, "HPACK: out of memory");
    return HTTPX__BAD;
}

static int httpx__hpack_size_update(httpx__hpack_rd *r, bool first) {
    uint32_t v;
    if (!first) return httpx__hpack_bad(r, "dynamic table size update after a field");
    if (httpx__hpack_rd_int(r, 5, &v) != 0) return HTTPX__BAD;
    if (v > r->d->max_allowed)
        return httpx__hpack_bad(r, "dynamic table size update to %lu, over the %lu we allow",
                                (unsigned long)v, (unsigned long)r->d->max_allowed);
    httpx__hpack_set_size(&r->d->t, v);
    r->d->need_update = false;
    return 0;
}

HTTPX__PRIVATE int httpx__hpack_decode(httpx__hpack_dec *d, const void *block, size_t n,
                                       httpx__hpack_on_field on_field, void *ctx, httpx__err *e) {
    httpx__hpack_rd r;
    httpx__hpack_out o;
    bool first = true;  /* no field yet: size updates allowed */
    r.d = d;
    r.start = r.p = (const uint8_t *)block;
    r.end = r.p + n;
    r.e = e;
    memset(&o, 0, sizeof o);
    o.on_field = on_field;
    o.ctx = ctx;
    if (d->broken) {
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "HPACK: the decoder failed before and is out of sync");
        return HTTPX__BAD;
    }
    while (r.p < r.end) {
        uint8_t b = *r.p;
        if ((b & 0xe0) == 0x20) {
            if (httpx__hpack_size_update(&r, first) != 0) return HTTPX__BAD;
            continue;
        }
        if (d->need_update)
            return httpx__hpack_bad(&r, "the block does not start with the size update our smaller "
                                    "SETTINGS_HEADER_TABLE_SIZE (%lu) requires", (unsigned long)d->max_allowed);
        first = false;
        if (b & 0x80) {
            uint32_t idx;
            httpx__str name, value;
            if (httpx__hpack_rd_int(&r, 7, &idx) != 0 || httpx__hpack_lookup(&r, idx, &name, &value) != 0 ||
                httpx__hpack_emit(&r, &o, name, value) != 0)
                return HTTPX__BAD;
        } else if (httpx__hpack_literal(&r, &o, b) != 0) {
            return HTTPX__BAD;
        }
    }
    if (d->need_update)
        return httpx__hpack_bad(&r, "the block does not start with the size update our smaller "
                                "SETTINGS_HEADER_TABLE_SIZE (%lu) requires", (unsigned long)d->max_allowed);
    if (o.over) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the header list is %lu bytes, over the limit of %lu "
                    "(names + values + 32 per field)", (unsigned long)o.list_size, (unsigned long)d->max_list);
        return HTTPX__BAD;
    }
    return o.fields;
}

/* ---- encoder ---- */

HTTPX__PRIVATE void httpx__hpack_enc_init(httpx__hpack_enc *enc, size_t table_size) {
    memset(enc, 0, sizeof *enc);
    httpx__hpack_table_init(&enc->t, table_size);
    enc->cap = table_size;
}

HTTPX__PRIVATE void httpx__hpack_enc_free(httpx__hpack_enc *enc) { httpx__hpack_table_free(&enc->t); }

HTTPX__PRIVATE void httpx__hpack_enc_set_peer_max(httpx__hpack_enc *enc, size_t n) {
    size_t size = n < enc->cap ? n : enc->cap;
    if (size == enc->t.max && !enc->pending) return;
    /* RFC 7541 4.2: when the size went down and up again between two blocks,
       the smallest value must be signalled too, so both are kept */
    if (!enc->pending || size < enc->pending_min) enc->pending_min = size;
    enc->pending = true;
    httpx__hpack_set_size(&enc->t, size);
}

static bool httpx__hpack_sensitive(const httpx__hpack_field *f) {
    static const char *const names[] = {"authorization", "proxy-authorization", "cookie", "set-cookie"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == f->nlen && memcmp(names[i], f->name, f->nlen) == 0) return true;
    return false;
}

/* Fields whose value changes from one request to the next: an entry for them
   would evict entries that get reused, for nothing. */
static bool httpx__hpack_volatile(const httpx__hpack_field *f) {
    return (f->nlen == 5 && memcmp(f->name, ":path", 5) == 0) ||
           (f->nlen == 14 && memcmp(f->name, "content-length", 14) == 0);
}

static int httpx__hpack_choose(const httpx__hpack_enc *enc, const httpx__hpack_field *f) {
    if (f->index != HTTPX__HPACK_AUTO) return f->index;
    if (httpx__hpack_sensitive(f)) return HTTPX__HPACK_NEVER_INDEX;
    if (httpx__hpack_volatile(f)) return HTTPX__HPACK_NO_INDEX;
    /* an entry over half the table pushes out most of what is there, for a
       field that is probably unique */
    if (f->nlen + f->vlen + HTTPX__HPACK_ENTRY_OVERHEAD > enc->t.max / 2) return HTTPX__HPACK_NO_INDEX;
    return HTTPX__HPACK_INDEX;
}

/* Finds f in the tables: returns the index of a full match (and sets *full),
   else of the first name match, else 0. Static entries first: their indices
   are the smallest. */
/* The static entries whose names begin with c are [lo, hi): the table is
   sorted by name, so a lookup compares a few entries, not 61 (the encoder
   runs this for every field of every request). */
static void httpx__hpack_static_range(int c, uint32_t *lo, uint32_t *hi) {
    static const unsigned char r[27][2] = {     /* ':', then 'a'..'z' */
        {0, 14}, {14, 23}, {23, 23}, {23, 32}, {32, 33}, {33, 36}, {36, 37}, {37, 37}, {37, 38},
        {38, 43}, {43, 43}, {43, 43}, {43, 46}, {46, 47}, {47, 47}, {47, 47}, {47, 49}, {49, 49},
        {49, 53}, {53, 56}, {56, 57}, {57, 58}, {58, 60}, {60, 61}, {61, 61}, {61, 61}, {61, 61}
    };
    int k = c == ':' ? 0 : c >= 'a' && c <= 'z' ? c - 'a' + 1 : -1;
    *lo = k < 0 ? 0 : r[k][0];
    *hi = k < 0 ? 0 : r[k][1];
}

static uint32_t httpx__hpack_find(const httpx__hpack_enc *enc, const httpx__hpack_field *f, bool *full) {
    uint32_t name_idx = 0, i, hi;
    size_t at;
    *full = false;
    httpx__hpack_static_range((unsigned char)f->name[0], &i, &hi);
    for (; i < hi; i++) {
        const httpx__hpack_static *s = &httpx__hpack_statics[i];
        if (s->nlen != f->nlen || s->name[1] != f->name[1] || memcmp(s->name, f->name, f->nlen) != 0) continue;
        if (s->vlen == f->vlen && memcmp(s->value, f->value, f->vlen) == 0) {
            *full = true;
            return i + 1;
        }
        if (!name_idx) name_idx = i + 1;
    }
    for (i = 0, at = enc->t.count ? (enc->t.oldest + enc->t.count - 1) % enc->t.ents_cap : 0; i < enc->t.count;
         i++, at = at ? at - 1 : enc->t.ents_cap - 1) {     /* newest first */
        const httpx__hpack_entry *en = &enc->t.ents[at];
        const char *text = enc->t.text + en->off;
        if (en->nlen != f->nlen || memcmp(text, f->name, f->nlen) != 0) continue;
        if (en->vlen == f->vlen && memcmp(text + en->nlen, f->value, f->vlen) == 0) {
            *full = true;
            return HTTPX__HPACK_STATICS + 1 + i;
        }
        if (!name_idx) name_idx = HTTPX__HPACK_STATICS + 1 + i;
    }
    return name_idx;
}

static void httpx__hpack_put_str(httpx__hpack_enc *enc, httpx__buf *out, const char *s, size_t n) {
    size_t hlen = enc->huffman == HTTPX__HPACK_HUFF_NEVER ? n : httpx__huff_encoded_len(s, n);
    if (hlen < n || (enc->huffman == HTTPX__HPACK_HUFF_ALWAYS && hlen == n)) {
        httpx__hpack_put_int(out, 0x80, 7, (uint32_t)hlen);
        httpx__huff_encode(out, s, n);
    } else {
        httpx__hpack_put_int(out, 0, 7, (uint32_t)n);
        httpx__buf_append(out, s, n);
    }
}

static void httpx__hpack_put_field(httpx__hpack_enc *enc, httpx__buf *out, const httpx__hpack_field *f) {
    bool full;
    int how = httpx__hpack_choose(enc, f);
    uint32_t idx = httpx__hpack_find(enc, f, &full);
    if (full && how != HTTPX__HPACK_NEVER_INDEX) {
        httpx__hpack_put_int(out, 0x80, 7, idx);
        return;
    }
    if (how == HTTPX__HPACK_INDEX) httpx__hpack_put_int(out, 0x40, 6, idx);
    else httpx__hpack_put_int(out, how == HTTPX__HPACK_NEVER_INDEX ? 0x10 : 0x00, 4, idx);
    if (!idx) httpx__hpack_put_str(enc, out, f->name, f->nlen);
    httpx__hpack_put_str(enc, out, f->value, f->vlen);
    /* cannot fail: the table has room for max bytes once grown (checked by the caller) */
    if (how == HTTPX__HPACK_INDEX) (void)httpx__hpack_table_add(&enc->t, f->name, f->nlen, f->value, f->vlen);
}

static httpx_error httpx__hpack_check_field(const httpx__hpack_field *f, httpx__err *e) {
    size_t i;
    if (f->nlen == 0) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "empty header name");
    if (f->nlen > HTTPX__HPACK_INT_MAX || f->vlen > HTTPX__HPACK_INT_MAX)
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header field too long for HPACK");
    for (i = 0; i < f->nlen; i++) {
        char c = f->name[i];
        if (c >= 'A' && c <= 'Z')
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "HTTP/2 header names are lower-case: \"%.*s\"",
                               (int)(f->nlen > 60 ? 60 : f->nlen), f->name);
        if (c == '\r' || c == '\n' || c == 0)
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "CR, LF or NUL in a header name");
    }
    for (i = 0; i < f->vlen; i++) {
        char c = f->value[i];
        if (c == '\r' || c == '\n' || c == 0)
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "CR, LF or NUL in the value of header \"%.*s\"",
                               (int)(f->nlen > 60 ? 60 : f->nlen), f->name);
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__hpack_encode(httpx__hpack_enc *enc, httpx__buf *out,
                                               const httpx__hpack_field *fields, size_t n, httpx__err *e) {
    size_t i, worst = 2 * 6;    /* two size updates */
    httpx_error rc;
    for (i = 0; i < n; i++) {
        if ((rc = httpx__hpack_check_field(&fields[i], e)) != HTTPX_OK) return rc;
        worst += 1 + 5 + 5 + fields[i].nlen + 5 + fields[i].vlen;   /* integers take at most 5 bytes */
    }
    /* everything that can fail is done first, so that a failure leaves the
       table as the peer's decoder knows it */
    if (!httpx__buf_reserve(out, worst) || !httpx__hpack_table_grow(&enc->t))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory encoding a header block");
    if (enc->pending) {
        if (enc->pending_min < enc->t.max) httpx__hpack_put_int(out, 0x20, 5, (uint32_t)enc->pending_min);
        httpx__hpack_put_int(out, 0x20, 5, (uint32_t)enc->t.max);
        enc->pending = false;
    }
    for (i = 0; i < n; i++) httpx__hpack_put_field(enc, out, &fields[i]);
    return HTTPX_OK;
}

#endif /* HTTPX_NO_HTTP2 */
/* End of hpack.c */

#if defined(HTTPX_LINES)
#line 4439 "httpx.h"
#endif
/* ======================================================================
   Begin file h2_frame.c   (grep anchor: >>h2_frame)
   ====================================================================== */
/* h2_frame: the HTTP/2 frame layer (RFC 9113 sections 4 and 6): a parser
   that validates each frame on its own, and writers for every frame type.

   The parser is pure: it looks at one buffer, keeps no state and allocates
   nothing; the returned frame views point into the buffer. Rules that need
   connection state (CONTINUATION order, stream states, flow control, which
   settings a client may receive) belong to the session that drives it.
   Private prefix: httpx__h2_. */
#if defined(HTTPX_LINES)
#line 8 "tools/src/h2_frame.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "h2_internal.h": earlier in httpx.h */

#ifndef HTTPX_NO_HTTP2

static uint32_t httpx__h2_u32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

HTTPX__PRIVATE const char *httpx__h2_code_name(uint32_t code) {
    static const char *const names[] = {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
        "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };
    return code < sizeof names / sizeof names[0] ? names[code] : "unknown";
}

static const char *httpx__h2_type_name(uint8_t type) {
    static const char *const names[] = {
        "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY",
        "WINDOW_UPDATE", "CONTINUATION",
    };
    return type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

/* ---- parsing ---- */

typedef struct httpx__h2_chk {
    httpx__h2_frame *f;
    httpx__h2_fault *fault;
    httpx__err *e;
} httpx__h2_chk;

/* A violation: stream 0 in `stream` means a connection error. */
static int httpx__h2_bad(httpx__h2_chk *c, uint32_t code, uint32_t stream, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 4, 5)))
#endif
    ;
static int httpx__h2_bad(httpx__h2_chk *c, uint32_t code, uint32_t stream, const char *fmt, ...) {
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->fault) {
        c->fault->code = code;
        c->fault->stream_id = stream;
    }
    httpx__fail(c->e, HTTPX_ERR_REMOTE_PROTOCOL, "HTTP/2 %s frame on stream %lu: %s (%s)",
                httpx__h2_type_name(c->f->type), (unsigned long)c->f->stream_id, msg, httpx__h2_code_name(code));
    return HTTPX__BAD;
}

static int httpx__h2_size_bad(httpx__h2_chk *c, const char *what) {
    return httpx__h2_bad(c, HTTPX__H2_FRAME_SIZE_ERROR, 0, "length %lu, %s", (unsigned long)c->f->length, what);
}

/* Strips PADDED's pad length byte and padding; `fixed` bytes of fields
   follow the pad length (PUSH_PROMISE's id, HEADERS' priority) and must fit
   in front of the padding (RFC 9113 6.1, 6.2, 6.6). */
static int httpx__h2_unpad(httpx__h2_chk *c, size_t fixed) {
    httpx__h2_frame *f = c->f;
    size_t pad = 0, pre = 0;
    if (f->flags & HTTPX__H2_FLAG_PADDED) {
        if (f->payload_len < 1) return httpx__h2_size_bad(c, "too short for the pad length");
        pad = f->payload[0];
        pre = 1;
    }
    if (f->payload_len < pre + fixed) return httpx__h2_size_bad(c, "too short for its fixed fields");
    if (pad > f->payload_len - pre - fixed)
        return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "%lu bytes of padding do not fit in %lu",
                             (unsigned long)pad, (unsigned long)(f->payload_len - pre - fixed));
    f->pad_length = (uint8_t)pad;
    f->payload += pre;
    f->payload_len -= pre + pad;
    return 0;
}

/* The stream dependency and weight in front of a HEADERS (with PRIORITY) or
   PRIORITY frame's payload. A stream depending on itself is a stream error
   (RFC 9113 5.3.1). */
static int httpx__h2_priority(httpx__h2_chk *c, const uint8_t *p) {
    httpx__h2_frame *f = c->f;
    uint32_t dep = httpx__h2_u32(p);
    f->has_priority = true;
    f->exclusive = (dep & 0x80000000u) != 0;
    f->dependency = dep & 0x7fffffffu;
    f->weight = (uint16_t)(p[4] + 1);
    if (f->dependency == f->stream_id)
        return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, f->stream_id, "the stream depends on itself");
    return 0;
}

static int httpx__h2_on_stream(httpx__h2_chk *c) {
    if (c->f->stream_id == 0) return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "needs a stream, not stream 0");
    return 0;
}

static int httpx__h2_on_conn(httpx__h2_chk *c) {
    if (c->f->stream_id != 0) return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "belongs on stream 0");
    return 0;
}

static int httpx__h2_check_headers(httpx__h2_chk *c) {
    httpx__h2_frame *f = c->f;
    bool prio = (f->flags & HTTPX__H2_FLAG_PRIORITY) != 0;
    if (httpx__h2_on_stream(c) || httpx__h2_unpad(c, prio ? 5 : 0)) return HTTPX__BAD;
    if (prio) {
        if (httpx__h2_priority(c, f->payload)) return HTTPX__BAD;
        f->payload += 5;
        f->payload_len -= 5;
    }
    return 0;
}

static int httpx__h2_check_push_promise(httpx__h2_chk *c) {
    httpx__h2_frame *f = c->f;
    if (httpx__h2_on_stream(c) || httpx__h2_unpad(c, 4)) return HTTPX__BAD;
    f->promised_stream_id = httpx__h2_u32(f->payload) & 0x7fffffffu;
    f->payload += 4;
    f->payload_len -= 4;
    /* servers open even-numbered streams (RFC 9113 5.1.1) */
    if (f->promised_stream_id == 0 || f->promised_stream_id % 2)
        return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "promised stream %lu is not a server stream",
                             (unsigned long)f->promised_stream_id);
    return 0;
}

static int httpx__h2_check_settings(httpx__h2_chk *c) {
    httpx__h2_frame *f = c->f;
    size_t i;
    if (httpx__h2_on_conn(c)) return HTTPX__BAD;
    if ((f->flags & HTTPX__H2_FLAG_ACK) && f->length != 0) return httpx__h2_size_bad(c, "an ACK must be empty");
    if (f->length % 6) return httpx__h2_size_bad(c, "not a multiple of 6");
    f->num_settings = f->length / 6;
    for (i = 0; i < f->num_settings; i++) {   /* RFC 9113 6.5.2 */
        httpx__h2_setting s = httpx__h2_frame_setting(f, i);
        if (s.id == HTTPX__H2_SET_ENABLE_PUSH && s.value > 1)
            return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "SETTINGS_ENABLE_PUSH is %lu, not 0 or 1",
                                 (unsigned long)s.value);
        if (s.id == HTTPX__H2_SET_INITIAL_WINDOW_SIZE && s.value > HTTPX__H2_WINDOW_MAX)
            return httpx__h2_bad(c, HTTPX__H2_FLOW_CONTROL_ERROR, 0, "SETTINGS_INITIAL_WINDOW_SIZE %lu is over 2^31-1",
                                 (unsigned long)s.value);
        if (s.id == HTTPX__H2_SET_MAX_FRAME_SIZE &&
            (s.value < HTTPX__H2_MAX_FRAME_DEFAULT || s.value > HTTPX__H2_MAX_FRAME_LIMIT))
            return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, 0, "SETTINGS_MAX_FRAME_SIZE %lu is outside 16384..16777215",
                                 (unsigned long)s.value);
    }
    return 0;
}

static int httpx__h2_check_fixed(httpx__h2_chk *c) {
    httpx__h2_frame *f = c->f;
    switch (f->type) {
    case HTTPX__H2_PRIORITY:
        if (httpx__h2_on_stream(c)) return HTTPX__BAD;
        /* a stream error: the frame changes nothing else (RFC 9113 6.3) */
        if (f->length != 5)
            return httpx__h2_bad(c, HTTPX__H2_FRAME_SIZE_ERROR, f->stream_id, "length %lu, not 5", (unsigned long)f->length);
        return httpx__h2_priority(c, f->payload);
    case HTTPX__H2_RST_STREAM:
        if (httpx__h2_on_stream(c)) return HTTPX__BAD;
        if (f->length != 4) return httpx__h2_size_bad(c, "not 4");
        f->error_code = httpx__h2_u32(f->payload);
        return 0;
    case HTTPX__H2_PING:
        if (httpx__h2_on_conn(c)) return HTTPX__BAD;
        if (f->length != 8) return httpx__h2_size_bad(c, "not 8");
        return 0;
    case HTTPX__H2_GOAWAY:
        if (httpx__h2_on_conn(c)) return HTTPX__BAD;
        if (f->length < 8) return httpx__h2_size_bad(c, "under 8");
        f->last_stream_id = httpx__h2_u32(f->payload) & 0x7fffffffu;
        f->error_code = httpx__h2_u32(f->payload + 4);
        f->payload += 8;
        f->payload_len -= 8;
        return 0;
    default:    /* WINDOW_UPDATE */
        if (f->length != 4) return httpx__h2_size_bad(c, "not 4");
        f->window_increment = httpx__h2_u32(f->payload) & 0x7fffffffu;
        if (f->window_increment == 0)   /* on a stream: only that stream is wrong */
            return httpx__h2_bad(c, HTTPX__H2_PROTOCOL_ERROR, f->stream_id, "window increment 0");
        return 0;
    }
}

HTTPX__PRIVATE int httpx__h2_frame_parse(const void *buf, size_t n, uint32_t max_frame_size,
                                         httpx__h2_frame *f, httpx__h2_fault *fault, httpx__err *e) {
    const uint8_t *p = (const uint8_t *)buf;
    httpx__h2_chk c;
    if (n < HTTPX__H2_HEADER_LEN) return HTTPX__AGAIN;
    memset(f, 0, sizeof *f);
    c.f = f;
    c.fault = fault;
    c.e = e;
    f->length = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    f->type = p[3];
    f->flags = p[4];
    f->stream_id = httpx__h2_u32(p + 5) & 0x7fffffffu;   /* the reserved bit is ignored */
    /* oversized frames are connection errors even where RFC 9113 4.2 would
       allow a stream error: we never buffer them, so cannot skip them cleanly */
    if (f->length > max_frame_size) {
        char what[48];
        snprintf(what, sizeof what, "over SETTINGS_MAX_FRAME_SIZE %lu", (unsigned long)max_frame_size);
        return httpx__h2_size_bad(&c, what);
    }
    if (n - HTTPX__H2_HEADER_LEN < f->length) return HTTPX__AGAIN;
    f->payload = p + HTTPX__H2_HEADER_LEN;
    f->payload_len = f->length;
    switch (f->type) {
    case HTTPX__H2_DATA:
        if (httpx__h2_on_stream(&c) || httpx__h2_unpad(&c, 0)) return HTTPX__BAD;
        break;
    case HTTPX__H2_HEADERS:
        if (httpx__h2_check_headers(&c)) return HTTPX__BAD;
        break;
    case HTTPX__H2_PUSH_PROMISE:
        if (httpx__h2_check_push_promise(&c)) return HTTPX__BAD;
        break;
    case HTTPX__H2_CONTINUATION:
        if (httpx__h2_on_stream(&c)) return HTTPX__BAD;
        break;
    case HTTPX__H2_SETTINGS:
        if (httpx__h2_check_settings(&c)) return HTTPX__BAD;
        break;
    case HTTPX__H2_PRIORITY: case HTTPX__H2_RST_STREAM: case HTTPX__H2_PING:
    case HTTPX__H2_GOAWAY: case HTTPX__H2_WINDOW_UPDATE:
        if (httpx__h2_check_fixed(&c)) return HTTPX__BAD;
        break;
    default:    /* unknown types must be ignored (RFC 9113 5.5) */
        break;
    }
    return (int)(HTTPX__H2_HEADER_LEN + f->length);
}

HTTPX__PRIVATE httpx__h2_setting httpx__h2_frame_setting(const httpx__h2_frame *f, size_t i) {
    httpx__h2_setting s;
    const uint8_t *p = f->payload + 6 * i;
    HTTPX_ASSERT(i < f->num_settings);
    s.id = (uint16_t)(p[0] << 8 | p[1]);
    s.value = httpx__h2_u32(p + 2);
    return s;
}

HTTPX__PRIVATE void httpx__h2_settings_init(httpx__h2_settings *s) {
    s->header_table_size = HTTPX__HPACK_TABLE_DEFAULT;
    s->enable_push = 1;
    s->max_concurrent_streams = 0xffffffffu;
    s->initial_window_size = HTTPX__H2_WINDOW_DEFAULT;
    s->max_frame_size = HTTPX__H2_MAX_FRAME_DEFAULT;
    s->max_header_list_size = 0xffffffffu;
}

HTTPX__PRIVATE void httpx__h2_settings_apply(httpx__h2_settings *s, const httpx__h2_frame *f) {
    size_t i;
    for (i = 0; i < f->num_settings; i++) {
        httpx__h2_setting st = httpx__h2_frame_setting(f, i);
        switch (st.id) {
        case HTTPX__H2_SET_HEADER_TABLE_SIZE: s->header_table_size = st.value; break;
        case HTTPX__H2_SET_ENABLE_PUSH: s->enable_push = st.value; break;
        case HTTPX__H2_SET_MAX_CONCURRENT_STREAMS: s->max_concurrent_streams = st.value; break;
        case HTTPX__H2_SET_INITIAL_WINDOW_SIZE: s->initial_window_size = st.value; break;
        case HTTPX__H2_SET_MAX_FRAME_SIZE: s->max_frame_size = st.value; break;
        case HTTPX__H2_SET_MAX_HEADER_LIST_SIZE: s->max_header_list_size = st.value; break;
        default: break;     /* unknown settings are ignored (RFC 9113 6.5.2) */
        }
    }
}

/* ---- writing ---- */

static void httpx__h2_put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Writes the 9-byte header and reserves room for the payload. */
static bool httpx__h2_head(httpx__buf *out, size_t len, uint8_t type, uint8_t flags, uint32_t stream_id) {
    uint8_t h[HTTPX__H2_HEADER_LEN];
    HTTPX_ASSERT(len <= HTTPX__H2_MAX_FRAME_LIMIT);
    HTTPX_ASSERT(stream_id <= 0x7fffffffu);
    h[0] = (uint8_t)(len >> 16);
    h[1] = (uint8_t)(len >> 8);
    h[2] = (uint8_t)len;
    h[3] = type;
    h[4] = flags;
    httpx__h2_put32(h + 5, stream_id);
    return httpx__buf_reserve(out, HTTPX__H2_HEADER_LEN + len) && httpx__buf_append(out, h, sizeof h);
}

HTTPX__PRIVATE bool httpx__h2_write_frame(httpx__buf *out, uint8_t type, uint8_t flags, uint32_t stream_id,
                                          const void *payload, size_t n) {
    return httpx__h2_head(out, n, type, flags, stream_id) && httpx__buf_append(out, payload, n);
}

HTTPX__PRIVATE bool httpx__h2_write_data(httpx__buf *out, uint32_t stream_id, const void *p, size_t n, bool end_stream) {
    HTTPX_ASSERT(stream_id != 0);
    return httpx__h2_write_frame(out, HTTPX__H2_DATA, end_stream ? HTTPX__H2_FLAG_END_STREAM : 0, stream_id, p, n);
}

HTTPX__PRIVATE bool httpx__h2_write_headers(httpx__buf *out, uint32_t stream_id, const void *frag, size_t n,
                                            bool end_stream, bool end_headers) {
    uint8_t flags = (uint8_t)((end_stream ? HTTPX__H2_FLAG_END_STREAM : 0) | (end_headers ? HTTPX__H2_FLAG_END_HEADERS : 0));
    HTTPX_ASSERT(stream_id != 0);
    return httpx__h2_write_frame(out, HTTPX__H2_HEADERS, flags, stream_id, frag, n);
}

HTTPX__PRIVATE bool httpx__h2_write_continuation(httpx__buf *out, uint32_t stream_id, const void *frag, size_t n,
                                                 bool end_headers) {
    HTTPX_ASSERT(stream_id != 0);
    return httpx__h2_write_frame(out, HTTPX__H2_CONTINUATION, end_headers ? HTTPX__H2_FLAG_END_HEADERS : 0,
                                 stream_id, frag, n);
}

HTTPX__PRIVATE bool httpx__h2_write_header_block(httpx__buf *out, uint32_t stream_id, const void *block, size_t n,
                                                 bool end_stream, uint32_t max_frame_size) {
    const char *p = (const char *)block;
    size_t first = n < max_frame_size ? n : max_frame_size, off;
    if (!httpx__h2_write_headers(out, stream_id, p, first, end_stream, first == n)) return false;
    for (off = first; off < n;) {
        size_t chunk = n - off < max_frame_size ? n - off : max_frame_size;
        if (!httpx__h2_write_continuation(out, stream_id, p + off, chunk, off + chunk == n)) return false;
        off += chunk;
    }
    return true;
}

HTTPX__PRIVATE bool httpx__h2_write_settings(httpx__buf *out, const httpx__h2_setting *s, size_t n) {
    size_t i;
    if (!httpx__h2_head(out, 6 * n, HTTPX__H2_SETTINGS, 0, 0)) return false;
    for (i = 0; i < n; i++) {
        uint8_t b[6];
        b[0] = (uint8_t)(s[i].id >> 8);
        b[1] = (uint8_t)s[i].id;
        httpx__h2_put32(b + 2, s[i].value);
        httpx__buf_append(out, b, 6);   /* room was reserved */
    }
    return true;
}

HTTPX__PRIVATE bool httpx__h2_write_settings_ack(httpx__buf *out) {
    return httpx__h2_head(out, 0, HTTPX__H2_SETTINGS, HTTPX__H2_FLAG_ACK, 0);
}

HTTPX__PRIVATE bool httpx__h2_write_ping(httpx__buf *out, const uint8_t opaque[8], bool ack) {
    return httpx__h2_write_frame(out, HTTPX__H2_PING, ack ? HTTPX__H2_FLAG_ACK : 0, 0, opaque, 8);
}

HTTPX__PRIVATE bool httpx__h2_write_goaway(httpx__buf *out, uint32_t last_stream_id, uint32_t code,
                                           const void *debug, size_t n) {
    uint8_t b[8];
    HTTPX_ASSERT(last_stream_id <= 0x7fffffffu);
    httpx__h2_put32(b, last_stream_id);
    httpx__h2_put32(b + 4, code);
    return httpx__h2_head(out, 8 + n, HTTPX__H2_GOAWAY, 0, 0) && httpx__buf_append(out, b, 8) &&
           httpx__buf_append(out, debug, n);
}

HTTPX__PRIVATE bool httpx__h2_write_rst_stream(httpx__buf *out, uint32_t stream_id, uint32_t code) {
    uint8_t b[4];
    HTTPX_ASSERT(stream_id != 0);
    httpx__h2_put32(b, code);
    return httpx__h2_write_frame(out, HTTPX__H2_RST_STREAM, 0, stream_id, b, 4);
}

HTTPX__PRIVATE bool httpx__h2_write_window_update(httpx__buf *out, uint32_t stream_id, uint32_t increment) {
    uint8_t b[4];
    HTTPX_ASSERT(increment >= 1 && increment <= HTTPX__H2_WINDOW_MAX);
    httpx__h2_put32(b, increment);
    return httpx__h2_write_frame(out, HTTPX__H2_WINDOW_UPDATE, 0, stream_id, b, 4);
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE bool httpx__h2_write_priority(httpx__buf *out, uint32_t stream_id, uint32_t dependency,
                                             unsigned weight, bool exclusive) {
    uint8_t b[5];
    HTTPX_ASSERT(stream_id != 0 && dependency <= 0x7fffffffu && weight >= 1 && weight <= 256);
    httpx__h2_put32(b, dependency | (exclusive ? 0x80000000u : 0));
    b[4] = (uint8_t)(weight - 1);
    return httpx__h2_write_frame(out, HTTPX__H2_PRIORITY, 0, stream_id, b, 5);
}
#endif

#endif /* HTTPX_NO_HTTP2 */
/* End of h2_frame.c */

#if defined(HTTPX_LINES)
#line 4846 "httpx.h"
#endif
/* ======================================================================
   Begin file h2_session.c   (grep anchor: >>h2_session)
   ====================================================================== */
/* h2_session: the client side of one HTTP/2 connection (RFC 9113) without
   any I/O. The caller hands in the server's bytes (httpx__h2_feed), sends
   what httpx__h2_out holds, and acts on events; requests go in through
   httpx__h2_submit and httpx__h2_send_data. Stream states (5.1), flow
   control (5.2, 6.9), settings, PING, GOAWAY and the HTTP rules for a
   response (8.1, 8.2) live here; frame syntax is h2_frame.c's, field
   compression hpack.c's. Private prefix: httpx__h2_. */
#if defined(HTTPX_LINES)
#line 7 "tools/src/h2_session.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* #include "h2_internal.h": earlier in httpx.h */

#ifndef HTTPX_NO_HTTP2

/* Defaults (see httpx__h2_config). A stream window of 1 MiB keeps a fast
   LAN or a 10 ms path at about 100 MB/s per stream; the connection window is
   16 of those, so a few streams whose readers stall (each holding at most
   its stream window) do not stop the others. 16 MiB is also the most body a
   session holds for readers that do not read. */
#define HTTPX__H2_STREAM_WINDOW (1u << 20)
#define HTTPX__H2_CONN_WINDOW (16u << 20)
#define HTTPX__H2_MAX_STREAMS 256u
/* Until the server's SETTINGS say otherwise (RFC 9113 6.5.2 advises servers
   to allow at least 100), so that early requests are not refused. */
#define HTTPX__H2_EARLY_STREAMS 100u
/* CONTINUATION frames per header block: a legitimate 64 KiB head needs 4. */
#define HTTPX__H2_MAX_CONTINUATIONS 64u
/* Frames we must answer (PING, SETTINGS ACK, RST_STREAM) queued while the
   server reads none of our output: a peer that floods without reading. */
#define HTTPX__H2_MAX_ANSWERS 1024u
/* Streams we reset lately: the server's frames in flight on them are
   ignored rather than answered with STREAM_CLOSED. */
#define HTTPX__H2_RESET_RING 16u
/* 1xx heads per stream (100 Continue, 103 Early Hints: a few at most); each
   one costs a decode (its fields are dropped at once, so no memory), so a
   server may not send them without end. 1000, as curl and HTTPX allow. */
#define HTTPX__H2_MAX_INTERIM 1000u
#define HTTPX__H2_NONE ((size_t)-1)

typedef struct httpx__h2_stream {
    uint32_t id;
    uint32_t recv_window;       /* bytes the server may still send */
    uint32_t recv_unacked;      /* taken by the user, not yet given back */
    uint32_t interim;           /* 1xx heads so far */
    void *user;
    int64_t send_window;        /* goes negative when SETTINGS shrink it */
    int64_t content_length;     /* -1: none (or not checked) */
    uint64_t received;
    bool local_closed;          /* we sent END_STREAM */
    bool remote_closed;         /* the server sent END_STREAM */
    bool got_head;              /* the final (non-1xx) head came */
    bool blocked;               /* send_data was held back by a window */
    bool is_head;               /* a HEAD request: content-length is not the body's */
    bool no_content;            /* HEAD, 204, 304: any DATA byte is a protocol error */
} httpx__h2_stream;

/* A queued event; pointers are filled in when it is drained, because the
   storage they point into may move while the feed goes on. */
typedef struct httpx__h2_qev {
    httpx__h2_event ev;
    size_t fields;              /* first field in foff, or NONE */
    size_t msg;                 /* offset in msgs, or NONE */
} httpx__h2_qev;

struct httpx__h2_session {
    httpx__h2_config cfg;
    httpx__h2_settings peer;
    httpx__hpack_enc enc;
    httpx__hpack_dec dec;
    httpx__buf out;             /* to send: out.p[out_off..out.len) */
    size_t out_off;
    httpx__buf in;              /* a partial frame */
    httpx__buf hb;              /* a header block being collected */
    httpx__buf enc_buf;         /* a request's header block */
    uint32_t hb_stream, hb_frames;
    bool hb_active, hb_end_stream;
    httpx__h2_stream *streams;  /* sorted by id (ids only grow) */
    size_t nstreams, streams_cap;
    uint32_t next_id;
    int64_t conn_send_window;
    uint32_t conn_recv_window, conn_unacked;
    uint32_t reset_ring[HTTPX__H2_RESET_RING];
    unsigned reset_pos;
    uint32_t goaway_last;       /* the lowest last-stream-id of the server's GOAWAYs */
    unsigned answers;           /* frames answered since the output was last empty */
    unsigned settings_unacked, pings_out;
    bool got_settings, goaway_recv, goaway_sent, dead, error_reported, oom;
    /* events of the current feed and what they point into */
    httpx__h2_qev *evs, sink;
    size_t nev, ev_pos, ev_cap;
    httpx__buf ftext;           /* "name\0value\0" */
    httpx__field *foff;
    size_t nfoff, foff_cap;
    httpx__h1_header *fv;       /* foff as views, built when the feed ends */
    size_t nfv, fv_cap;
    httpx__buf msgs;
    httpx__err err;             /* the connection error */
    uint32_t err_code;          /* and its RFC 9113 code, sent in our GOAWAY */
};

/* ---- small helpers ---- */

static bool httpx__h2_grow(void **p, size_t *cap, size_t need, size_t size) {
    size_t ncap;
    void *np;
    if (need <= *cap) return true;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap < need) ncap = need;
    np = httpx__realloc(*p, ncap * size);
    if (!np) return false;
    *p = np;
    *cap = ncap;
    return true;
}

static httpx__h2_stream *httpx__h2_find(const httpx__h2_session *s, uint32_t id) {
    size_t lo = 0, hi = s->nstreams;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->streams[mid].id == id) return &s->streams[mid];
        if (s->streams[mid].id < id) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

static void httpx__h2_remove(httpx__h2_session *s, httpx__h2_stream *st) {
    size_t i = (size_t)(st - s->streams);
    memmove(st, st + 1, (s->nstreams - i - 1) * sizeof *st);
    s->nstreams--;
}

static void httpx__h2_note_reset(httpx__h2_session *s, uint32_t id) {
    s->reset_ring[s->reset_pos++ % HTTPX__H2_RESET_RING] = id;
}

static bool httpx__h2_was_reset(const httpx__h2_session *s, uint32_t id) {
    unsigned i;
    for (i = 0; i < HTTPX__H2_RESET_RING; i++)
        if (s->reset_ring[i] == id) return true;
    return false;
}

/* A stream id the server may not use: never opened by us (client streams
   are odd; without push, the server opens none). */
static bool httpx__h2_is_idle(const httpx__h2_session *s, uint32_t id) {
    return id % 2 == 0 || id >= s->next_id;
}

/* Queues an event; on allocation failure a sink absorbs it and the feed
   fails once the frame is done (so handlers need no checks). */
static httpx__h2_qev *httpx__h2_queue(httpx__h2_session *s, int type, uint32_t id, void *user) {
    httpx__h2_qev *q = &s->sink;
    if (httpx__h2_grow((void **)&s->evs, &s->ev_cap, s->nev + 1, sizeof *s->evs)) q = &s->evs[s->nev++];
    else s->oom = true;
    memset(q, 0, sizeof *q);
    q->ev.type = type;
    q->ev.stream_id = id;
    q->ev.user = user;
    q->fields = q->msg = HTTPX__H2_NONE;
    return q;
}

static size_t httpx__h2_vmsg(httpx__h2_session *s, const char *fmt, va_list ap) {
    char m[200];
    size_t off = s->msgs.len;
    vsnprintf(m, sizeof m, fmt, ap);
    if (!httpx__buf_append(&s->msgs, m, strlen(m) + 1)) {
        s->oom = true;
        return HTTPX__H2_NONE;
    }
    return off;
}

/* ---- errors ---- */

static int httpx__h2_conn_error(httpx__h2_session *s, uint32_t code, httpx_error err, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 4, 5)))
#endif
    ;
/* Connection error (RFC 9113 5.4.1): GOAWAY with our reason, then the
   session is dead; its message is the EV_ERROR event's. */
static int httpx__h2_conn_error(httpx__h2_session *s, uint32_t code, httpx_error err, const char *fmt, ...) {
    char m[sizeof s->err.msg];
    va_list ap;
    if (s->dead) return HTTPX__BAD;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    httpx__fail(&s->err, err, "%s", m);
    s->err_code = code;
    s->dead = true;
    httpx__h2_write_goaway(&s->out, 0, code, m, strlen(m));
    return HTTPX__BAD;
}

/* Counts a frame we send because the server sent one. */
static int httpx__h2_answer(httpx__h2_session *s) {
    if (++s->answers > HTTPX__H2_MAX_ANSWERS)
        return httpx__h2_conn_error(s, HTTPX__H2_ENHANCE_YOUR_CALM, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: the server sent over %u frames that need an answer without "
                                    "reading our output (a flood)", HTTPX__H2_MAX_ANSWERS);
    return 0;
}

static int httpx__h2_stream_error(httpx__h2_session *s, uint32_t id, uint32_t code, httpx_error err,
                                  const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 5, 6)))
#endif
    ;
/* Stream error (RFC 9113 5.4.2): RST_STREAM, and a RESET event when the
   stream was still ours. */
static int httpx__h2_stream_error(httpx__h2_session *s, uint32_t id, uint32_t code, httpx_error err,
                                  const char *fmt, ...) {
    httpx__h2_stream *st;
    va_list ap;
    if (httpx__h2_answer(s)) return HTTPX__BAD;
    httpx__h2_write_rst_stream(&s->out, id, code);
    httpx__h2_note_reset(s, id);
    st = httpx__h2_find(s, id);
    if (!st) return 0;
    {
        httpx__h2_qev *q = httpx__h2_queue(s, HTTPX__H2_EV_RESET, id, st->user);
        q->ev.code = code;
        q->ev.error = err;
        va_start(ap, fmt);
        q->msg = httpx__h2_vmsg(s, fmt, ap);
        va_end(ap);
    }
    httpx__h2_remove(s, st);
    return 0;
}

/* ---- creating, output ---- */

static void httpx__h2_defaults(httpx__h2_config *c) {
    if (!c->stream_window) c->stream_window = HTTPX__H2_STREAM_WINDOW;
    if (!c->conn_window) c->conn_window = HTTPX__H2_CONN_WINDOW;
    if (!c->max_header_list) c->max_header_list = HTTPX__HPACK_LIST_DEFAULT;
    if (!c->max_streams) c->max_streams = HTTPX__H2_MAX_STREAMS;
    if (c->stream_window > HTTPX__H2_WINDOW_MAX) c->stream_window = HTTPX__H2_WINDOW_MAX;
    if (c->conn_window > HTTPX__H2_WINDOW_MAX) c->conn_window = HTTPX__H2_WINDOW_MAX;
    /* the connection starts at 65535 and can only be raised */
    if (c->conn_window < HTTPX__H2_WINDOW_DEFAULT) c->conn_window = HTTPX__H2_WINDOW_DEFAULT;
}

HTTPX__PRIVATE httpx__h2_session *httpx__h2_new(const httpx__h2_config *cfg, httpx__err *e) {
    httpx__h2_session *s = (httpx__h2_session *)httpx__malloc(sizeof *s);
    httpx__h2_setting set[5];
    if (!s) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "HTTP/2: out of memory for a session");
        return NULL;
    }
    memset(s, 0, sizeof *s);
    if (cfg) s->cfg = *cfg;
    httpx__h2_defaults(&s->cfg);
    httpx__h2_settings_init(&s->peer);
    httpx__hpack_enc_init(&s->enc, HTTPX__HPACK_TABLE_DEFAULT);
    httpx__hpack_dec_init(&s->dec, HTTPX__HPACK_TABLE_DEFAULT);
    s->dec.max_list = s->cfg.max_header_list;
    s->next_id = 1;
    s->conn_send_window = HTTPX__H2_WINDOW_DEFAULT;
    s->conn_recv_window = s->cfg.conn_window;
    s->goaway_last = HTTPX__H2_WINDOW_MAX;
    set[0].id = HTTPX__H2_SET_HEADER_TABLE_SIZE;       set[0].value = HTTPX__HPACK_TABLE_DEFAULT;
    set[1].id = HTTPX__H2_SET_ENABLE_PUSH;             set[1].value = 0;
    set[2].id = HTTPX__H2_SET_MAX_CONCURRENT_STREAMS;  set[2].value = 0;
    set[3].id = HTTPX__H2_SET_INITIAL_WINDOW_SIZE;     set[3].value = s->cfg.stream_window;
    set[4].id = HTTPX__H2_SET_MAX_HEADER_LIST_SIZE;    set[4].value = s->cfg.max_header_list;
    httpx__buf_append(&s->out, HTTPX__H2_PREFACE, HTTPX__H2_PREFACE_LEN);
    httpx__h2_write_settings(&s->out, set, 5);
    if (s->cfg.conn_window > HTTPX__H2_WINDOW_DEFAULT)
        httpx__h2_write_window_update(&s->out, 0, s->cfg.conn_window - HTTPX__H2_WINDOW_DEFAULT);
    s->settings_unacked = 1;
    if (s->out.failed) {
        httpx__h2_free(s);
        httpx__fail(e, HTTPX_ERR_NOMEM, "HTTP/2: out of memory for a session");
        return NULL;
    }
    return s;
}

HTTPX__PRIVATE void httpx__h2_free(httpx__h2_session *s) {
    if (!s) return;
    httpx__hpack_enc_free(&s->enc);
    httpx__hpack_dec_free(&s->dec);
    httpx__buf_free(&s->out);
    httpx__buf_free(&s->in);
    httpx__buf_free(&s->hb);
    httpx__buf_free(&s->enc_buf);
    httpx__buf_free(&s->ftext);
    httpx__buf_free(&s->msgs);
    httpx__free(s->streams);
    httpx__free(s->evs);
    httpx__free(s->foff);
    httpx__free(s->fv);
    httpx__free(s);
}

HTTPX__PRIVATE const char *httpx__h2_out(const httpx__h2_session *s, size_t *len) {
    *len = s->out.len - s->out_off;
    return s->out.p ? s->out.p + s->out_off : "";
}

HTTPX__PRIVATE void httpx__h2_out_done(httpx__h2_session *s, size_t n) {
    HTTPX_ASSERT(n <= s->out.len - s->out_off);
    s->out_off += n;
    if (s->out_off == s->out.len) {
        s->out.len = s->out_off = 0;
        s->answers = 0;     /* the server reads what we answer */
    } else if (s->out_off >= 65536 && s->out_off >= s->out.len / 2) {
        memmove(s->out.p, s->out.p + s->out_off, s->out.len - s->out_off);
        s->out.len -= s->out_off;
        s->out_off = 0;
    } else {
        return;
    }
    if (s->out.p) s->out.p[s->out.len] = 0;     /* httpx__buf's promise */
}

/* After frames queued by a call that reports nothing: an allocation failure
   leaves the output incomplete, so the session cannot go on. */
static void httpx__h2_check_out(httpx__h2_session *s) {
    if (s->out.failed) httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
}

/* Gives the memory of per-feed storage back when no stream needs it, so an
   idle pooled session holds little more than its HPACK tables. */
static void httpx__h2_trim(httpx__h2_session *s) {
    if (s->nstreams || s->in.len || s->hb_active) return;
    httpx__buf_free(&s->in);
    httpx__buf_free(&s->hb);
    httpx__buf_free(&s->enc_buf);
    httpx__buf_free(&s->ftext);
    httpx__buf_free(&s->msgs);
    httpx__buf_free(&s->dec.scratch);
    httpx__free(s->streams);
    httpx__free(s->evs);
    httpx__free(s->foff);
    httpx__free(s->fv);
    s->streams = NULL;
    s->evs = NULL;
    s->foff = NULL;
    s->fv = NULL;
    s->streams_cap = s->ev_cap = s->foff_cap = s->fv_cap = 0;
    s->nev = s->ev_pos = s->nfoff = s->nfv = 0;
    if (s->out.len == 0) httpx__buf_free(&s->out);
}

/* ---- receive flow control ---- */

static void httpx__h2_credit_conn(httpx__h2_session *s, size_t n) {
    s->conn_unacked += (uint32_t)n;
    if (s->conn_unacked >= s->cfg.conn_window / 2) {
        httpx__h2_write_window_update(&s->out, 0, s->conn_unacked);
        s->conn_recv_window += s->conn_unacked;
        s->conn_unacked = 0;
    }
}

static void httpx__h2_credit_stream(httpx__h2_session *s, httpx__h2_stream *st, size_t n) {
    if (st->remote_closed) return;  /* the server sends no more on it */
    st->recv_unacked += (uint32_t)n;
    if (st->recv_unacked >= s->cfg.stream_window / 2) {
        httpx__h2_write_window_update(&s->out, st->id, st->recv_unacked);
        st->recv_window += st->recv_unacked;
        st->recv_unacked = 0;
    }
}

HTTPX__PRIVATE void httpx__h2_consumed(httpx__h2_session *s, uint32_t stream_id, size_t n) {
    httpx__h2_stream *st;
    if (s->dead || n == 0) return;
    /* the server cannot have sent more than the window it had */
    HTTPX_ASSERT(n <= (size_t)s->cfg.conn_window - s->conn_recv_window - s->conn_unacked);
    httpx__h2_credit_conn(s, n);
    st = httpx__h2_find(s, stream_id);
    if (st) httpx__h2_credit_stream(s, st, n);
    httpx__h2_check_out(s);
}

/* ---- the response head ---- */

/* What the HPACK callback collects for one header block. */
typedef struct httpx__h2_hdr {
    httpx__h2_session *s;
    int status;                 /* -1: no :status */
    int64_t content_length;     /* -1: none */
    bool pseudo, regular;       /* seen */
    const char *bad;            /* why the block is malformed (RFC 9113 8.1.1) */
} httpx__h2_hdr;

static bool httpx__h2_conn_specific(const char *name, size_t n) {
    static const char *const names[] = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0) return true;
    return false;
}

/* RFC 9113 8.2.1: no upper case, controls, space, DEL or non-ASCII in a
   name, no colon but a pseudo-header's first; no NUL, CR or LF in a value,
   no whitespace at its ends. */
static const char *httpx__h2_field_bad(const char *name, size_t nlen, const char *value, size_t vlen) {
    size_t i;
    if (nlen == 0) return "an empty field name";
    for (i = 0; i < nlen; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || (c >= 'A' && c <= 'Z') || c >= 0x7f) return "a field name with upper case or a control character";
        if (c == ':' && i > 0) return "a colon inside a field name";
    }
    for (i = 0; i < vlen; i++)
        if (value[i] == 0 || value[i] == '\r' || value[i] == '\n') return "NUL, CR or LF in a field value";
    if (vlen && (value[0] == ' ' || value[0] == '\t' || value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
        return "whitespace around a field value";
    return NULL;
}

static const char *httpx__h2_pseudo(httpx__h2_hdr *h, const char *name, size_t nlen, const char *value, size_t vlen) {
    if (h->regular) return "a pseudo-header after a regular field";
    h->pseudo = true;
    if (nlen != 7 || memcmp(name, ":status", 7) != 0) return "a pseudo-header other than :status";
    if (h->status >= 0) return "two :status fields";
    if (vlen != 3 || value[0] < '1' || value[0] > '9' || value[1] < '0' || value[1] > '9' || value[2] < '0' ||
        value[2] > '9')
        return "a :status that is not three digits";
    h->status = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
    return NULL;
}

static const char *httpx__h2_content_length(httpx__h2_hdr *h, const char *value, size_t vlen) {
    int64_t v = 0;
    size_t i;
    if (vlen == 0 || vlen > 18) return "a content-length that is not a number";
    for (i = 0; i < vlen; i++) {
        if (value[i] < '0' || value[i] > '9') return "a content-length that is not a number";
        v = v * 10 + (value[i] - '0');
    }
    if (h->content_length >= 0 && h->content_length != v) return "two different content-length values";
    h->content_length = v;
    return NULL;
}

static const char *httpx__h2_regular(httpx__h2_hdr *h, const char *name, size_t nlen, const char *value, size_t vlen) {
    const char *bad = httpx__h2_field_bad(name, nlen, value, vlen);
    h->regular = true;
    if (bad) return bad;
    if (httpx__h2_conn_specific(name, nlen)) return "a connection-specific field (connection, transfer-encoding, ...)";
    if (nlen == 2 && memcmp(name, "te", 2) == 0 && !(vlen == 8 && memcmp(value, "trailers", 8) == 0))
        return "a te field other than \"trailers\"";
    if (nlen == 14 && memcmp(name, "content-length", 14) == 0) return httpx__h2_content_length(h, value, vlen);
    return NULL;
}

static bool httpx__h2_store_field(httpx__h2_session *s, const char *name, size_t nlen, const char *value, size_t vlen) {
    httpx__field *f;
    if (!httpx__h2_grow((void **)&s->foff, &s->foff_cap, s->nfoff + 1, sizeof *s->foff)) return false;
    f = &s->foff[s->nfoff];
    f->name = (uint32_t)s->ftext.len;
    f->name_len = (uint32_t)nlen;
    httpx__buf_append(&s->ftext, name, nlen);
    httpx__buf_putc(&s->ftext, 0);
    f->value = (uint32_t)s->ftext.len;
    f->value_len = (uint32_t)vlen;
    httpx__buf_append(&s->ftext, value, vlen);
    if (!httpx__buf_putc(&s->ftext, 0)) return false;
    s->nfoff++;
    return true;
}

/* Keeps decoding after a malformed field (returning 0) so that the HPACK
   table stays in step with the server's; only out-of-memory stops it. */
static int httpx__h2_on_field(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    httpx__h2_hdr *h = (httpx__h2_hdr *)ctx;
    const char *bad;
    if (h->bad) return 0;
    bad = nlen && name[0] == ':' ? httpx__h2_pseudo(h, name, nlen, value, vlen)
                                 : httpx__h2_regular(h, name, nlen, value, vlen);
    if (bad) {
        h->bad = bad;
        return 0;
    }
    if (name[0] == ':') return 0;
    return httpx__h2_store_field(h->s, name, nlen, value, vlen) ? 0 : 1;
}

static int httpx__h2_end_stream(httpx__h2_session *s, httpx__h2_stream *st) {
    if (st->content_length >= 0 && st->received != (uint64_t)st->content_length)
        return httpx__h2_stream_error(s, st->id, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                      "HTTP/2 stream %lu: the body is %llu bytes, content-length said %lld",
                                      (unsigned long)st->id, (unsigned long long)st->received,
                                      (long long)st->content_length);
    st->remote_closed = true;
    httpx__h2_queue(s, HTTPX__H2_EV_END, st->id, st->user);
    if (st->local_closed) httpx__h2_remove(s, st);
    return 0;
}

static int httpx__h2_malformed(httpx__h2_session *s, uint32_t id, const char *why) {
    return httpx__h2_stream_error(s, id, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                  "HTTP/2 stream %lu: malformed response: %s", (unsigned long)id, why);
}

/* Forgets the fields of a block that no event reports, so that blocks the
   server repeats (interim heads, blocks on closed streams) cost no memory. */
static void httpx__h2_rollback(httpx__h2_session *s, size_t first, size_t text) {
    s->nfoff = first;
    s->ftext.len = text;
}

/* A decoded block on a stream of ours: the head (1xx ones skipped), or
   trailers. first/text: where its fields begin. */
static int httpx__h2_head_done(httpx__h2_session *s, httpx__h2_stream *st, const httpx__h2_hdr *h, size_t first,
                               size_t text, bool end_stream) {
    httpx__h2_qev *q;
    const char *bad = h->bad;
    if (!bad && !st->got_head) {
        if (h->status < 0) bad = "no :status";
        else if (h->status == 101) bad = "status 101 (no Upgrade in HTTP/2)";
        else if (h->status < 200 && end_stream) bad = "an informational head ends the stream";
        else if (h->status < 200 && ++st->interim > HTTPX__H2_MAX_INTERIM) bad = "too many informational heads";
    } else if (!bad) {
        if (!end_stream) bad = "a second header block that does not end the stream";
        else if (h->pseudo) bad = "a pseudo-header in trailers";
    }
    if (bad || (!st->got_head && h->status < 200)) {
        httpx__h2_rollback(s, first, text);     /* interim heads are not reported */
        return bad ? httpx__h2_malformed(s, st->id, bad) : 0;
    }
    if (!st->got_head) {
        st->got_head = true;
        /* A response without content (RFC 9110 6.4.1) that carries DATA is
           malformed: it fails as nghttp2 (curl) fails it, rather than
           handing a HEAD caller a body it cannot have asked for. */
        st->no_content = st->is_head || h->status == 304 || h->status == 204;
        st->content_length = st->no_content ? 0 : h->content_length;
        q = httpx__h2_queue(s, HTTPX__H2_EV_HEADERS, st->id, st->user);
        q->ev.status = h->status;
    } else {
        q = httpx__h2_queue(s, HTTPX__H2_EV_TRAILERS, st->id, st->user);
    }
    q->fields = first;
    q->ev.num_fields = s->nfoff - first;
    return end_stream ? httpx__h2_end_stream(s, st) : 0;
}

/* A complete header block (HEADERS + CONTINUATIONs) for stream id. It is
   decoded even when nobody wants it, to keep the HPACK tables in step;
   without reporting fields then, so that it costs no memory. */
static int httpx__h2_block(httpx__h2_session *s, uint32_t id, const void *block, size_t n, bool end_stream) {
    httpx__h2_stream *st = httpx__h2_find(s, id);
    bool wanted = st && !st->remote_closed;
    httpx__h2_hdr h;
    httpx__err e;
    size_t first = s->nfoff, text = s->ftext.len;
    memset(&h, 0, sizeof h);
    h.s = s;
    h.status = -1;
    h.content_length = -1;
    if (httpx__hpack_decode(&s->dec, block, n, wanted ? httpx__h2_on_field : NULL, &h, &e) < 0) {
        httpx__h2_rollback(s, first, text);
        if (e.code == HTTPX_ERR_TOO_LARGE)  /* the table is in step: only this stream fails */
            return wanted ? httpx__h2_stream_error(s, id, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_TOO_LARGE,
                                                   "HTTP/2 stream %lu: %s", (unsigned long)id, e.msg) : 0;
        if (e.code == HTTPX_ERR_NOMEM || e.code == HTTPX_ERR_CANCELLED)
            return httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory for a header block");
        return httpx__h2_conn_error(s, HTTPX__H2_COMPRESSION_ERROR, HTTPX_ERR_REMOTE_PROTOCOL, "HTTP/2 stream %lu: %s",
                                    (unsigned long)id, e.msg);
    }
    if (!wanted) {
        if (!st && httpx__h2_was_reset(s, id)) return 0;    /* in flight when we reset it */
        return httpx__h2_stream_error(s, id, HTTPX__H2_STREAM_CLOSED, HTTPX_ERR_REMOTE_PROTOCOL,
                                      "HTTP/2 stream %lu: HEADERS after the stream ended", (unsigned long)id);
    }
    return httpx__h2_head_done(s, st, &h, first, text, end_stream);
}

static size_t httpx__h2_block_max(const httpx__h2_session *s) {
    size_t m = (size_t)s->cfg.max_header_list * 2;
    return m < 32768 ? 32768 : m;
}

static int httpx__h2_on_headers(httpx__h2_session *s, const httpx__h2_frame *f) {
    bool end_stream = (f->flags & HTTPX__H2_FLAG_END_STREAM) != 0;
    if (httpx__h2_is_idle(s, f->stream_id))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: HEADERS on stream %lu, which we never opened (push is off)",
                                    (unsigned long)f->stream_id);
    if (f->flags & HTTPX__H2_FLAG_END_HEADERS) return httpx__h2_block(s, f->stream_id, f->payload, f->payload_len, end_stream);
    httpx__buf_clear(&s->hb);
    if (!httpx__buf_append(&s->hb, f->payload, f->payload_len)) s->oom = true;
    s->hb_active = true;
    s->hb_stream = f->stream_id;
    s->hb_end_stream = end_stream;
    s->hb_frames = 0;
    return 0;
}

static int httpx__h2_on_continuation(httpx__h2_session *s, const httpx__h2_frame *f) {
    if (!s->hb_active)
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: CONTINUATION on stream %lu without a HEADERS before it",
                                    (unsigned long)f->stream_id);
    if (++s->hb_frames > HTTPX__H2_MAX_CONTINUATIONS || s->hb.len + f->payload_len > httpx__h2_block_max(s))
        return httpx__h2_conn_error(s, HTTPX__H2_ENHANCE_YOUR_CALM, HTTPX_ERR_TOO_LARGE,
                                    "HTTP/2 stream %lu: a header block of over %lu CONTINUATION frames or %lu bytes",
                                    (unsigned long)f->stream_id, (unsigned long)HTTPX__H2_MAX_CONTINUATIONS,
                                    (unsigned long)httpx__h2_block_max(s));
    if (!httpx__buf_append(&s->hb, f->payload, f->payload_len)) s->oom = true;
    if (!(f->flags & HTTPX__H2_FLAG_END_HEADERS) || s->oom) return 0;
    s->hb_active = false;
    return httpx__h2_block(s, s->hb_stream, s->hb.p, s->hb.len, s->hb_end_stream);
}

/* ---- DATA ---- */

/* DATA for a stream that is not (or no longer) ours: its bytes still
   counted against the connection window, which gets them back at once. */
static int httpx__h2_data_elsewhere(httpx__h2_session *s, const httpx__h2_frame *f) {
    if (httpx__h2_is_idle(s, f->stream_id))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: DATA on stream %lu, which we never opened", (unsigned long)f->stream_id);
    httpx__h2_credit_conn(s, f->length);
    if (httpx__h2_was_reset(s, f->stream_id)) return 0;
    return httpx__h2_stream_error(s, f->stream_id, HTTPX__H2_STREAM_CLOSED, HTTPX_ERR_REMOTE_PROTOCOL,
                                  "HTTP/2 stream %lu: DATA after the stream closed", (unsigned long)f->stream_id);
}

static int httpx__h2_on_data(httpx__h2_session *s, const httpx__h2_frame *f) {
    httpx__h2_stream *st = httpx__h2_find(s, f->stream_id);
    size_t pad = f->length - f->payload_len;
    if (f->length > s->conn_recv_window)
        return httpx__h2_conn_error(s, HTTPX__H2_FLOW_CONTROL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: the server sent %lu bytes of DATA with %lu left in the connection window",
                                    (unsigned long)f->length, (unsigned long)s->conn_recv_window);
    s->conn_recv_window -= f->length;
    if (!st || st->remote_closed) {
        if (st) {   /* half-closed (remote): RFC 9113 5.1 */
            httpx__h2_credit_conn(s, f->length);
            return httpx__h2_stream_error(s, f->stream_id, HTTPX__H2_STREAM_CLOSED, HTTPX_ERR_REMOTE_PROTOCOL,
                                          "HTTP/2 stream %lu: DATA after END_STREAM", (unsigned long)f->stream_id);
        }
        return httpx__h2_data_elsewhere(s, f);
    }
    if (f->length > st->recv_window)
        return httpx__h2_conn_error(s, HTTPX__H2_FLOW_CONTROL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2 stream %lu: the server sent %lu bytes of DATA with %lu left in the stream window",
                                    (unsigned long)f->stream_id, (unsigned long)f->length, (unsigned long)st->recv_window);
    st->recv_window -= f->length;
    if (!st->got_head) {
        httpx__h2_credit_conn(s, f->length);
        return httpx__h2_malformed(s, st->id, "DATA before the response head");
    }
    st->received += f->payload_len;
    if (st->content_length >= 0 && st->received > (uint64_t)st->content_length) {
        httpx__h2_credit_conn(s, f->length);
        return httpx__h2_malformed(s, st->id, st->no_content ? "DATA in a response that has no content "
                                   "(to a HEAD, or status 204 or 304)" : "more DATA than content-length");
    }
    if (pad) {      /* padding reaches nobody: give it back now */
        httpx__h2_credit_conn(s, pad);
        httpx__h2_credit_stream(s, st, pad);
    }
    if (f->payload_len) {
        httpx__h2_qev *q = httpx__h2_queue(s, HTTPX__H2_EV_DATA, st->id, st->user);
        q->ev.data = f->payload;
        q->ev.len = f->payload_len;
    }
    return (f->flags & HTTPX__H2_FLAG_END_STREAM) ? httpx__h2_end_stream(s, st) : 0;
}

/* ---- control frames ---- */

/* Streams held back by a window that is open again. */
static void httpx__h2_wake(httpx__h2_session *s) {
    size_t i;
    if (s->conn_send_window <= 0) return;
    for (i = 0; i < s->nstreams; i++) {
        httpx__h2_stream *st = &s->streams[i];
        if (st->blocked && st->send_window > 0) {
            st->blocked = false;
            httpx__h2_queue(s, HTTPX__H2_EV_WINDOW, st->id, st->user);
        }
    }
}

static int httpx__h2_on_settings(httpx__h2_session *s, const httpx__h2_frame *f) {
    httpx__h2_settings next = s->peer;
    int64_t delta;
    size_t i;
    if (f->flags & HTTPX__H2_FLAG_ACK) {
        if (s->settings_unacked) s->settings_unacked--;
        return 0;
    }
    httpx__h2_settings_apply(&next, f);
    for (i = 0; i < f->num_settings; i++)   /* RFC 9113 6.5.2: only a client may say 1 */
        if (httpx__h2_frame_setting(f, i).id == HTTPX__H2_SET_ENABLE_PUSH && httpx__h2_frame_setting(f, i).value == 1)
            return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: the server's SETTINGS_ENABLE_PUSH is 1 (only clients may say so)");
    delta = (int64_t)next.initial_window_size - (int64_t)s->peer.initial_window_size;
    for (i = 0; i < s->nstreams; i++)   /* RFC 9113 6.9.2 */
        if (s->streams[i].send_window + delta > (int64_t)HTTPX__H2_WINDOW_MAX)
            return httpx__h2_conn_error(s, HTTPX__H2_FLOW_CONTROL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                        "HTTP/2: SETTINGS_INITIAL_WINDOW_SIZE %lu takes stream %lu's window over 2^31-1 (FLOW_CONTROL_ERROR)",
                                        (unsigned long)next.initial_window_size, (unsigned long)s->streams[i].id);
    for (i = 0; i < s->nstreams; i++) s->streams[i].send_window += delta;
    if (next.header_table_size != s->peer.header_table_size || !s->got_settings)
        httpx__hpack_enc_set_peer_max(&s->enc, next.header_table_size);
    s->peer = next;
    s->got_settings = true;
    if (httpx__h2_answer(s)) return HTTPX__BAD;
    httpx__h2_write_settings_ack(&s->out);
    httpx__h2_queue(s, HTTPX__H2_EV_SETTINGS, 0, NULL);
    if (delta > 0) httpx__h2_wake(s);
    return 0;
}

static int httpx__h2_on_ping(httpx__h2_session *s, const httpx__h2_frame *f) {
    if (f->flags & HTTPX__H2_FLAG_ACK) {
        if (s->pings_out) {     /* an ACK we did not ask for is ignored */
            httpx__h2_qev *q = httpx__h2_queue(s, HTTPX__H2_EV_PING_ACK, 0, NULL);
            s->pings_out--;
            q->ev.data = f->payload;
            q->ev.len = 8;
        }
        return 0;
    }
    if (httpx__h2_answer(s)) return HTTPX__BAD;
    httpx__h2_write_ping(&s->out, f->payload, true);
    return 0;
}

/* Streams above the last id were never processed: they end as retryable. */
static int httpx__h2_on_goaway(httpx__h2_session *s, const httpx__h2_frame *f) {
    httpx__h2_qev *q;
    size_t msg = HTTPX__H2_NONE;
    if (f->last_stream_id < s->goaway_last) s->goaway_last = f->last_stream_id;  /* it may only go down */
    s->goaway_recv = true;
    q = httpx__h2_queue(s, HTTPX__H2_EV_GOAWAY, 0, NULL);
    q->ev.code = f->error_code;
    q->ev.last_stream_id = s->goaway_last;
    q->ev.data = f->payload;
    q->ev.len = f->payload_len;
    while (s->nstreams && s->streams[s->nstreams - 1].id > s->goaway_last) {
        httpx__h2_stream *st = &s->streams[s->nstreams - 1];
        if (msg == HTTPX__H2_NONE) {
            msg = s->msgs.len;
            if (!httpx__buf_printf(&s->msgs, "HTTP/2: the server closes the connection (GOAWAY %s, last stream %lu) "
                                   "before it processed the request: safe to retry",
                                   httpx__h2_code_name(f->error_code), (unsigned long)s->goaway_last) ||
                !httpx__buf_putc(&s->msgs, 0))
                s->oom = true;
        }
        q = httpx__h2_queue(s, HTTPX__H2_EV_RESET, st->id, st->user);
        q->ev.code = HTTPX__H2_REFUSED_STREAM;
        q->ev.retryable = q->ev.remote = true;
        q->ev.error = HTTPX_ERR_REMOTE_PROTOCOL;
        q->msg = msg;
        httpx__h2_note_reset(s, st->id);
        s->nstreams--;
    }
    return 0;
}

static int httpx__h2_on_rst(httpx__h2_session *s, const httpx__h2_frame *f) {
    httpx__h2_stream *st = httpx__h2_find(s, f->stream_id);
    httpx__h2_qev *q;
    if (httpx__h2_is_idle(s, f->stream_id))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: RST_STREAM on stream %lu, which we never opened", (unsigned long)f->stream_id);
    if (!st) return 0;  /* closed already: never answer a RST_STREAM (RFC 9113 5.4.2) */
    q = httpx__h2_queue(s, HTTPX__H2_EV_RESET, st->id, st->user);
    q->ev.code = f->error_code;
    q->ev.remote = true;
    q->ev.retryable = f->error_code == HTTPX__H2_REFUSED_STREAM;
    /* NO_ERROR after a complete response: "stop sending the body" (RFC 9113 8.1) */
    q->ev.error = f->error_code == HTTPX__H2_NO_ERROR && st->remote_closed ? HTTPX_OK : HTTPX_ERR_REMOTE_PROTOCOL;
    {
        size_t off = s->msgs.len;
        if (httpx__buf_printf(&s->msgs, "HTTP/2: the server reset stream %lu (%s)%s", (unsigned long)st->id,
                              httpx__h2_code_name(f->error_code),
                              q->ev.retryable ? ": it did not process the request, safe to retry" : "") &&
            httpx__buf_putc(&s->msgs, 0))
            q->msg = off;
        else
            s->oom = true;
    }
    httpx__h2_note_reset(s, st->id);
    httpx__h2_remove(s, st);
    return 0;
}

static int httpx__h2_on_window(httpx__h2_session *s, const httpx__h2_frame *f) {
    httpx__h2_stream *st;
    if (f->stream_id == 0) {
        if (s->conn_send_window + f->window_increment > (int64_t)HTTPX__H2_WINDOW_MAX)
            return httpx__h2_conn_error(s, HTTPX__H2_FLOW_CONTROL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                        "HTTP/2: WINDOW_UPDATE takes the connection window over 2^31-1 (FLOW_CONTROL_ERROR)");
        s->conn_send_window += f->window_increment;
        httpx__h2_wake(s);
        return 0;
    }
    if (httpx__h2_is_idle(s, f->stream_id))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: WINDOW_UPDATE on stream %lu, which we never opened", (unsigned long)f->stream_id);
    st = httpx__h2_find(s, f->stream_id);
    if (!st) return 0;  /* may cross our END_STREAM or RST_STREAM */
    if (st->send_window + f->window_increment > (int64_t)HTTPX__H2_WINDOW_MAX)
        return httpx__h2_stream_error(s, st->id, HTTPX__H2_FLOW_CONTROL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                      "HTTP/2 stream %lu: WINDOW_UPDATE takes the window over 2^31-1 (FLOW_CONTROL_ERROR)", (unsigned long)st->id);
    st->send_window += f->window_increment;
    if (st->blocked && st->send_window > 0 && s->conn_send_window > 0) {
        st->blocked = false;
        httpx__h2_queue(s, HTTPX__H2_EV_WINDOW, st->id, st->user);
    }
    return 0;
}

/* ---- frames in ---- */

static int httpx__h2_dispatch(httpx__h2_session *s, const httpx__h2_frame *f) {
    if (s->hb_active && (f->type != HTTPX__H2_CONTINUATION || f->stream_id != s->hb_stream))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: a frame of type %u on stream %lu inside the header block of stream %lu",
                                    (unsigned)f->type, (unsigned long)f->stream_id, (unsigned long)s->hb_stream);
    switch (f->type) {
    case HTTPX__H2_DATA: return httpx__h2_on_data(s, f);
    case HTTPX__H2_HEADERS: return httpx__h2_on_headers(s, f);
    case HTTPX__H2_CONTINUATION: return httpx__h2_on_continuation(s, f);
    case HTTPX__H2_SETTINGS: return httpx__h2_on_settings(s, f);
    case HTTPX__H2_PING: return httpx__h2_on_ping(s, f);
    case HTTPX__H2_GOAWAY: return httpx__h2_on_goaway(s, f);
    case HTTPX__H2_RST_STREAM: return httpx__h2_on_rst(s, f);
    case HTTPX__H2_WINDOW_UPDATE: return httpx__h2_on_window(s, f);
    case HTTPX__H2_PUSH_PROMISE:
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: PUSH_PROMISE although we disabled push");
    default: return 0;  /* PRIORITY (deprecated) and unknown types */
    }
}

/* A stream error the frame parser found (bad PRIORITY length, a
   WINDOW_UPDATE of 0): only a stream of ours can be reset. */
static int httpx__h2_parse_fault(httpx__h2_session *s, const httpx__h2_frame *f, const httpx__h2_fault *fault,
                                 const httpx__err *e) {
    if (f->type == HTTPX__H2_HEADERS || s->hb_active)   /* its block cannot be decoded safely */
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL, "%s", e->msg);
    if (f->type == HTTPX__H2_WINDOW_UPDATE && httpx__h2_is_idle(s, f->stream_id))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL, "%s", e->msg);
    if (!httpx__h2_find(s, fault->stream_id)) return 0;
    return httpx__h2_stream_error(s, fault->stream_id, fault->code, HTTPX_ERR_REMOTE_PROTOCOL, "%s", e->msg);
}

/* The server's first frame must be SETTINGS (RFC 9113 3.4). */
static int httpx__h2_check_first(httpx__h2_session *s, const uint8_t *p, size_t n) {
    if (s->got_settings || n < HTTPX__H2_HEADER_LEN) return 0;
    if (memcmp(p, "HTTP/", 5) == 0)
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: the server answered in HTTP/1 (it does not speak HTTP/2 here)");
    if (p[3] != HTTPX__H2_SETTINGS || (p[4] & HTTPX__H2_FLAG_ACK))
        return httpx__h2_conn_error(s, HTTPX__H2_PROTOCOL_ERROR, HTTPX_ERR_REMOTE_PROTOCOL,
                                    "HTTP/2: the server's first frame is of type %u, not SETTINGS", (unsigned)p[3]);
    return 0;
}

/* Handles the frame at p if it is all there: its length in *used.
   HTTPX__AGAIN when it is not. */
static int httpx__h2_one(httpx__h2_session *s, const uint8_t *p, size_t n, size_t *used) {
    httpx__h2_frame f;
    httpx__h2_fault fault = {0, 0};
    httpx__err e;
    int rc;
    if (httpx__h2_check_first(s, p, n)) return HTTPX__BAD;
    rc = httpx__h2_frame_parse(p, n, HTTPX__H2_MAX_FRAME_DEFAULT, &f, &fault, &e);
    if (rc == HTTPX__AGAIN) return rc;
    if (rc == HTTPX__BAD && fault.stream_id == 0)
        return httpx__h2_conn_error(s, fault.code, HTTPX_ERR_REMOTE_PROTOCOL, "%s", e.msg);
    *used = HTTPX__H2_HEADER_LEN + f.length;
    rc = rc == HTTPX__BAD ? httpx__h2_parse_fault(s, &f, &fault, &e) : httpx__h2_dispatch(s, &f);
    if (rc == 0 && (s->oom || s->out.failed || s->ftext.failed))
        rc = httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
    return rc;
}

/* Completes the partial frame in s->in from p; HTTPX__AGAIN when the input
   ran out first (all of it taken). */
static int httpx__h2_fill(httpx__h2_session *s, const uint8_t *p, size_t n, size_t *took) {
    size_t want = HTTPX__H2_HEADER_LEN, take;
    const uint8_t *h = (const uint8_t *)s->in.p;
    *took = 0;
    for (;;) {
        if (s->in.len >= HTTPX__H2_HEADER_LEN) {
            uint32_t len = (uint32_t)h[0] << 16 | (uint32_t)h[1] << 8 | h[2];
            /* an oversized length is left for the parser to report */
            want = len > HTTPX__H2_MAX_FRAME_DEFAULT ? s->in.len : HTTPX__H2_HEADER_LEN + len;
        }
        if (s->in.len >= want) return 0;
        take = want - s->in.len < n - *took ? want - s->in.len : n - *took;
        if (take == 0) return HTTPX__AGAIN;
        if (!httpx__buf_append(&s->in, p + *took, take)) {
            *took = n;
            return httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
        }
        h = (const uint8_t *)s->in.p;
        *took += take;
    }
}

static void httpx__h2_feed_start(httpx__h2_session *s) {
    s->nev = s->ev_pos = 0;
    s->nfoff = s->nfv = 0;
    httpx__buf_clear(&s->ftext);
    httpx__buf_clear(&s->msgs);
}

/* Turns the stored field offsets into views, now that no more fields come. */
static void httpx__h2_feed_end(httpx__h2_session *s) {
    size_t i;
    if (s->dead) return;
    if (!httpx__h2_grow((void **)&s->fv, &s->fv_cap, s->nfoff, sizeof *s->fv)) {
        httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
        return;
    }
    for (i = 0; i < s->nfoff; i++) {
        s->fv[i].name = s->ftext.p + s->foff[i].name;
        s->fv[i].name_len = s->foff[i].name_len;
        s->fv[i].value = s->ftext.p + s->foff[i].value;
        s->fv[i].value_len = s->foff[i].value_len;
    }
    s->nfv = s->nfoff;
}

static int httpx__h2_dead_again(httpx__h2_session *s, httpx__err *e) {
    if (e) *e = s->err;
    return HTTPX__BAD;
}

HTTPX__PRIVATE int httpx__h2_feed(httpx__h2_session *s, const void *buf, size_t n, size_t *consumed, httpx__err *e) {
    const uint8_t *p = (const uint8_t *)buf;
    size_t used = 0, fu = 0;
    int rc = 0;
    *consumed = 0;
    if (s->dead) return httpx__h2_dead_again(s, e);
    HTTPX_ASSERT(s->ev_pos == s->nev);  /* drain the events before feeding more */
    httpx__h2_feed_start(s);
    if (s->in.len) {
        rc = httpx__h2_fill(s, p, n, &used);
        if (rc == 0) {
            rc = httpx__h2_one(s, (const uint8_t *)s->in.p, s->in.len, &fu);
            s->in.len = 0;  /* the bytes stay put: events may point into them */
        }
        if (rc == HTTPX__AGAIN) rc = 0;
    }
    while (rc == 0 && !s->nev && used < n) {
        rc = httpx__h2_one(s, p + used, n - used, &fu);
        if (rc == HTTPX__AGAIN) {   /* keep the partial frame (at most 9 + max frame size) */
            rc = httpx__buf_append(&s->in, p + used, n - used) ? 0
                 : httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
            used = n;
        } else if (rc == 0) {
            used += fu;
        }
    }
    *consumed = used;
    httpx__h2_feed_end(s);
    return s->dead ? httpx__h2_dead_again(s, e) : 0;
}

HTTPX__PRIVATE bool httpx__h2_next_event(httpx__h2_session *s, httpx__h2_event *ev) {
    if (s->ev_pos < s->nev) {
        const httpx__h2_qev *q = &s->evs[s->ev_pos++];
        *ev = q->ev;
        /* no fields (a head of only :status): fields stays NULL, as s->fv may
           be; NULL + 0 is undefined behaviour in C */
        if (ev->num_fields && q->fields != HTTPX__H2_NONE && q->fields + ev->num_fields <= s->nfv)
            ev->fields = s->fv + q->fields;
        else
            ev->num_fields = 0;
        if (q->msg != HTTPX__H2_NONE) ev->msg = s->msgs.p + q->msg;
        else if (ev->type == HTTPX__H2_EV_RESET) ev->msg = "HTTP/2: the stream was reset";
        return true;
    }
    if (s->dead && !s->error_reported) {
        memset(ev, 0, sizeof *ev);
        ev->type = HTTPX__H2_EV_ERROR;
        ev->code = s->err_code;
        ev->error = s->err.code;
        ev->msg = s->err.msg;
        s->error_reported = true;
        return true;
    }
    httpx__h2_trim(s);
    return false;
}

/* ---- requests ---- */

HTTPX__PRIVATE bool httpx__h2_can_open(const httpx__h2_session *s) {
    uint32_t limit = s->got_settings ? s->peer.max_concurrent_streams : HTTPX__H2_EARLY_STREAMS;
    if (limit > s->cfg.max_streams) limit = s->cfg.max_streams;
    return !s->dead && !s->goaway_recv && !s->goaway_sent && s->nstreams < limit && s->next_id <= HTTPX__H2_WINDOW_MAX;
}

/* The request's fields as RFC 9113 8.2, 8.3 want them. */
static httpx_error httpx__h2_check_request(const httpx__h2_session *s, const httpx__hpack_field *fields, size_t n,
                                           bool *is_head, httpx__err *e) {
    size_t i, list = 0;
    bool regular = false, method = false;
    for (i = 0; i < n; i++) {
        const httpx__hpack_field *f = &fields[i];
        list += f->nlen + f->vlen + HTTPX__HPACK_ENTRY_OVERHEAD;
        if (f->nlen && f->name[0] == ':') {
            if (regular) return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2: pseudo-header %.*s after a regular field", (int)f->nlen, f->name);
            if (f->nlen == 7 && memcmp(f->name, ":method", 7) == 0) {
                method = true;
                *is_head = f->vlen == 4 && memcmp(f->value, "HEAD", 4) == 0;
            }
            continue;
        }
        regular = true;
        if (httpx__h2_conn_specific(f->name, f->nlen) ||
            (f->nlen == 2 && memcmp(f->name, "te", 2) == 0 && !(f->vlen == 8 && memcmp(f->value, "trailers", 8) == 0)))
            return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2: the field %.*s is not allowed in HTTP/2 requests",
                               (int)f->nlen, f->name);
    }
    if (!method) return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2: a request without :method");
    if (list > s->peer.max_header_list_size)
        return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2: the request head is %lu bytes, over the server's "
                           "SETTINGS_MAX_HEADER_LIST_SIZE of %lu", (unsigned long)list, (unsigned long)s->peer.max_header_list_size);
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__h2_submit(httpx__h2_session *s, const httpx__hpack_field *fields, size_t n,
                                            bool has_body, void *user, uint32_t *stream_id, httpx__err *e) {
    httpx__h2_stream *st;
    bool is_head = false;
    httpx_error rc;
    if (!httpx__h2_can_open(s))
        return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2: no stream can be opened on this connection now (%s)",
                           s->dead ? "it failed" : s->goaway_recv || s->goaway_sent ? "it is going away"
                                                                                     : "at its concurrent stream limit");
    if ((rc = httpx__h2_check_request(s, fields, n, &is_head, e)) != HTTPX_OK) return rc;
    if (!httpx__h2_grow((void **)&s->streams, &s->streams_cap, s->nstreams + 1, sizeof *s->streams))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "HTTP/2: out of memory for a stream");
    httpx__buf_clear(&s->enc_buf);
    if ((rc = httpx__hpack_encode(&s->enc, &s->enc_buf, fields, n, e)) != HTTPX_OK) return rc;
    /* from here on the encoder's table changed: a failure ends the session */
    if (!httpx__h2_write_header_block(&s->out, s->next_id, s->enc_buf.p, s->enc_buf.len, !has_body,
                                      s->peer.max_frame_size)) {
        httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
        return httpx__fail(e, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
    }
    st = &s->streams[s->nstreams++];
    memset(st, 0, sizeof *st);
    st->id = s->next_id;
    st->user = user;
    st->send_window = s->peer.initial_window_size;
    st->recv_window = s->cfg.stream_window;
    st->content_length = -1;
    st->local_closed = !has_body;
    st->is_head = is_head;
    s->next_id += 2;
    if (stream_id) *stream_id = st->id;
    return HTTPX_OK;
}

HTTPX__PRIVATE long httpx__h2_send_data(httpx__h2_session *s, uint32_t stream_id, const void *p, size_t len,
                                        bool end, httpx__err *e) {
    httpx__h2_stream *st = httpx__h2_find(s, stream_id);
    const char *b = (const char *)p;
    size_t taken = 0;
    if (s->dead) return httpx__h2_dead_again(s, e);
    if (!st || st->local_closed) {
        httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "HTTP/2 stream %lu is not open for sending", (unsigned long)stream_id);
        return HTTPX__BAD;
    }
    while (taken < len) {
        int64_t win = st->send_window < s->conn_send_window ? st->send_window : s->conn_send_window;
        size_t chunk = len - taken;
        if (win <= 0) break;
        if ((uint64_t)chunk > (uint64_t)win) chunk = (size_t)win;
        if (chunk > s->peer.max_frame_size) chunk = s->peer.max_frame_size;
        httpx__h2_write_data(&s->out, stream_id, b + taken, chunk, end && taken + chunk == len);
        st->send_window -= (int64_t)chunk;
        s->conn_send_window -= (int64_t)chunk;
        taken += chunk;
    }
    if (len == 0 && end) httpx__h2_write_data(&s->out, stream_id, "", 0, true);
    if (s->out.failed) {
        httpx__h2_conn_error(s, HTTPX__H2_INTERNAL_ERROR, HTTPX_ERR_NOMEM, "HTTP/2: out of memory");
        return httpx__h2_dead_again(s, e);
    }
    if (taken < len) {
        st->blocked = true;
    } else if (end) {
        st->local_closed = true;
        if (st->remote_closed) httpx__h2_remove(s, st);
    }
    return (long)taken;
}

HTTPX__PRIVATE void httpx__h2_cancel(httpx__h2_session *s, uint32_t stream_id) {
    httpx__h2_stream *st = httpx__h2_find(s, stream_id);
    if (!st || s->dead) return;
    httpx__h2_write_rst_stream(&s->out, stream_id, HTTPX__H2_CANCEL);
    httpx__h2_note_reset(s, stream_id);
    httpx__h2_remove(s, st);
    httpx__h2_check_out(s);
}

HTTPX__PRIVATE void httpx__h2_goaway(httpx__h2_session *s) {
    if (s->dead || s->goaway_sent) return;
    s->goaway_sent = true;
    httpx__h2_write_goaway(&s->out, 0, HTTPX__H2_NO_ERROR, "", 0);
    httpx__h2_check_out(s);
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE void httpx__h2_ping(httpx__h2_session *s, const uint8_t opaque[8]) {
    if (s->dead) return;
    s->pings_out++;
    httpx__h2_write_ping(&s->out, opaque, false);
    httpx__h2_check_out(s);
}
#endif

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE size_t httpx__h2_open_streams(const httpx__h2_session *s) { return s->nstreams; }
/* Body bytes the server sent that were not given back to the connection
   window: 0 once no exchange holds any. */
HTTPX__PRIVATE size_t httpx__h2_recv_held(const httpx__h2_session *s) {
    return (size_t)s->cfg.conn_window - s->conn_recv_window - s->conn_unacked;
}
#endif
HTTPX__PRIVATE bool httpx__h2_idle(const httpx__h2_session *s) { return s->nstreams == 0; }

HTTPX__PRIVATE bool httpx__h2_draining(const httpx__h2_session *s) {
    return s->dead || s->goaway_recv || s->goaway_sent || s->next_id > HTTPX__H2_WINDOW_MAX;
}
HTTPX__PRIVATE bool httpx__h2_dead(const httpx__h2_session *s) { return s->dead; }

#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
HTTPX__PRIVATE size_t httpx__h2_memory(const httpx__h2_session *s) {
    const httpx__hpack_table *d = &s->dec.t, *c = &s->enc.t;
    return sizeof *s + s->out.cap + s->in.cap + s->hb.cap + s->enc_buf.cap + s->ftext.cap + s->msgs.cap +
           s->dec.scratch.cap + s->streams_cap * sizeof *s->streams + s->ev_cap * sizeof *s->evs +
           s->foff_cap * sizeof *s->foff + s->fv_cap * sizeof *s->fv + d->text_cap + d->ents_cap * sizeof *d->ents +
           c->text_cap + c->ents_cap * sizeof *c->ents;
}
#endif

#endif /* HTTPX_NO_HTTP2 */
/* End of h2_session.c */

#if defined(HTTPX_LINES)
#line 6010 "httpx.h"
#endif
/* ======================================================================
   Begin file json_internal.h   (grep anchor: >>json_internal)
   ====================================================================== */
/* json_internal.h: UTF-8 and JSON (utf8.c, json.c, jsonw.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/json_internal.h"
#endif
#ifndef HTTPX__JSON_INTERNAL_H
#define HTTPX__JSON_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* ---- json: UTF-8, the JSON reader and writer (utf8.c, json.c, jsonw.c) ---- */

/* Limits of the JSON reader and writer; a user may define them before the
   implementation. 512 levels: deeper than any real API answer (and than
   JSONTestSuite's 500), shallow enough that code walking the tree
   recursively cannot run out of stack. */
#ifndef HTTPX_JSON_MAX_DEPTH
#define HTTPX_JSON_MAX_DEPTH 512
#endif
#ifndef HTTPX_JSON_MAX_SIZE
#define HTTPX_JSON_MAX_SIZE ((size_t)1 << 30)   /* the default max_body_size */
#endif

/* One UTF-8 sequence at p[0..n) (n > 0), strictly (RFC 3629: no overlong
   forms, no surrogates, nothing above U+10FFFF). Returns its length (1-4,
   *cp set); HTTPX__AGAIN when all n bytes are a valid start of a sequence that
   needs more; 0 when it is invalid (see httpx__utf8_bad_len). */
HTTPX__PRIVATE int httpx__utf8_next(const unsigned char *p, size_t n, uint32_t *cp);
/* For an invalid sequence at p (httpx__utf8_next returned 0): the length of
   its maximal subpart (Unicode 3.9, "U+FFFD substitution of maximal
   subparts", what Python's "replace" does), >= 1. */
HTTPX__PRIVATE size_t httpx__utf8_bad_len(const unsigned char *p, size_t n);
/* Writes cp (<= 0x10FFFF) as UTF-8 into out (room for 4); returns the length. */
HTTPX__PRIVATE size_t httpx__utf8_put(char *out, uint32_t cp);
/* The offset of the first invalid or truncated sequence, or n when all is valid. */
HTTPX__PRIVATE size_t httpx__utf8_valid(const char *s, size_t n);

/* A JSON number's text (RFC 8259 grammar, already checked) to the nearest
   double, whatever LC_NUMERIC says. False only when out of memory (a number
   longer than 60 bytes needs a copy). */
HTTPX__PRIVATE bool httpx__json_strtod(const char *p, size_t n, double *out);

#endif /* HTTPX__JSON_INTERNAL_H */
/* End of json_internal.h */

#if defined(HTTPX_LINES)
#line 6059 "httpx.h"
#endif
/* ======================================================================
   Begin file utf8.c   (grep anchor: >>utf8)
   ====================================================================== */
/* utf8: strict UTF-8 decoding steps, shared by the JSON reader and writer
   and the text decoder. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/utf8.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "json_internal.h": earlier in httpx.h */

/* The valid range of the second byte depends on the first (RFC 3629 table):
   that is what rules out overlong forms, surrogates and values past U+10FFFF
   without decoding first. */
static void httpx__utf8_range(unsigned char b0, int *need, unsigned char *lo, unsigned char *hi) {
    *lo = 0x80; *hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) *need = 1;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        *need = 2;
        if (b0 == 0xE0) *lo = 0xA0;
        if (b0 == 0xED) *hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        *need = 3;
        if (b0 == 0xF0) *lo = 0x90;
        if (b0 == 0xF4) *hi = 0x8F;
    } else *need = -1;
}

HTTPX__PRIVATE int httpx__utf8_next(const unsigned char *p, size_t n, uint32_t *cp) {
    int need, i;
    unsigned char lo, hi;
    uint32_t c;
    if (p[0] < 0x80) { *cp = p[0]; return 1; }
    httpx__utf8_range(p[0], &need, &lo, &hi);
    if (need < 0) return 0;
    c = p[0] & (0x3F >> need);
    for (i = 1; i <= need; i++) {
        if ((size_t)i >= n) return HTTPX__AGAIN;
        if (p[i] < lo || p[i] > hi) return 0;
        c = c << 6 | (p[i] & 0x3F);
        lo = 0x80; hi = 0xBF;
    }
    *cp = c;
    return need + 1;
}

HTTPX__PRIVATE size_t httpx__utf8_bad_len(const unsigned char *p, size_t n) {
    int need, i;
    unsigned char lo, hi;
    httpx__utf8_range(p[0], &need, &lo, &hi);
    if (need < 0) return 1;
    for (i = 1; i <= need && (size_t)i < n; i++) {
        if (p[i] < lo || p[i] > hi) break;
        lo = 0x80; hi = 0xBF;
    }
    return (size_t)i;
}

HTTPX__PRIVATE size_t httpx__utf8_put(char *out, uint32_t cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

HTTPX__PRIVATE size_t httpx__utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        int k;
        if (p[i] < 0x80) { i++; continue; }
        k = httpx__utf8_next(p + i, n - i, &cp);
        if (k <= 0) return i;
        i += (size_t)k;
    }
    return n;
}
/* End of utf8.c */

#if defined(HTTPX_LINES)
#line 6155 "httpx.h"
#endif
/* ======================================================================
   Begin file json.c   (grep anchor: >>json)
   ====================================================================== */
/* json: the JSON reader (RFC 8259) and the tree it builds.

   The parser is a loop with an explicit stack, not recursion, so hostile
   nesting costs memory we bound (HTTPX_JSON_MAX_DEPTH), never the C stack.
   Values of the containers still open sit on that stack; when a container
   closes, its children move as one contiguous run into the node arena, so
   httpx_json_at is an index and a document costs a handful of allocations:
   node blocks that never move (each twice the last), one block for all the
   strings (unescaped text is never longer than its source, so the input's
   length is always enough), and the stack when it outgrows its inline part.
   Private prefix: httpx__jp_ (the parser), httpx__j_ (the tree). */
#if defined(HTTPX_LINES)
#line 11 "tools/src/json.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "json_internal.h": earlier in httpx.h */
#include <stdlib.h>
#include <locale.h>
#include <float.h>

#define HTTPX__J_DOC 100        /* the hidden node in front of a root: the document */
#define HTTPX__J_INT 1          /* flags: an integer that fits in int64_t, in u.i */
#define HTTPX__J_NONE ((size_t)-1)

struct httpx_json_value {
    const char *key;            /* a member's name (NUL-terminated), else NULL */
    union {
        double d;
        int64_t i;
        const char *s;
        const httpx_json_value *kids;
        size_t parent;          /* while open on the parser's stack: the enclosing container */
        void *mem;              /* the document node: the string block */
    } u;
    uint32_t key_len, len;      /* len: bytes of a string, children of a container */
    unsigned char type, flags;
};

/* A block of nodes. A union, so the nodes after the header are aligned. */
typedef union httpx__jblock {
    struct { union httpx__jblock *next; size_t cap, used; } h;
    httpx_json_value align_;
} httpx__jblock;
#define HTTPX__J_NODES(b) ((httpx_json_value *)(void *)((b) + 1))

#define HTTPX__JP_INLINE 32
typedef struct httpx__jp {
    const unsigned char *start, *p, *end;
    httpx_json_value *stack;    /* inline_stack until it grows */
    size_t top, cap;
    size_t open;                /* stack index of the innermost open container */
    int depth;
    httpx__jblock *first, *cur; /* first holds the document node and the root */
    char *strs, *sw;            /* the string block and where the next string goes */
    httpx_json_error *err;
    httpx_json_value inline_stack[HTTPX__JP_INLINE];
} httpx__jp;

/* Bytes that stand for themselves inside a string: not '"', not '\\', not a
   control character, not the start of a multi-byte sequence (checked apart). */
static const unsigned char httpx__jp_plain[256] = {
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
};

/* ---- errors ---- */

static void httpx__jp_where(httpx__jp *jp, const unsigned char *at) {
    const unsigned char *q, *line_start = jp->start;
    size_t line = 1;
    for (q = jp->start; q < at; q++)
        if (*q == '\n') { line++; line_start = q + 1; }
    jp->err->offset = (size_t)(at - jp->start);
    jp->err->line = line;
    jp->err->column = (size_t)(at - line_start) + 1;
}

static void httpx__jp_found(const httpx__jp *jp, const unsigned char *at, char *out, size_t cap) {
    if (at >= jp->end) snprintf(out, cap, "the end of the input");
    else if (*at >= 0x21 && *at < 0x7F) snprintf(out, cap, "'%c'", *at);
    else snprintf(out, cap, "byte 0x%02X", *at);
}

/* "expected X at byte N (line L, column C), found Y": the position a user
   can find in an editor, and what was there instead. */
static bool httpx__jp_expected(httpx__jp *jp, const unsigned char *at, const char *what) {
    char found[32];
    httpx__jp_where(jp, at);
    httpx__jp_found(jp, at, found, sizeof found);
    jp->err->code = HTTPX_ERR_DECODING;
    snprintf(jp->err->message, sizeof jp->err->message, "expected %s at byte %zu (line %zu, column %zu), found %s",
             what, jp->err->offset, jp->err->line, jp->err->column, found);
    return false;
}

/* Other failures: "<what> at byte N (line L, column C)". */
static bool httpx__jp_fail(httpx__jp *jp, httpx_error code, const unsigned char *at, const char *what) {
    httpx__jp_where(jp, at);
    jp->err->code = code;
    snprintf(jp->err->message, sizeof jp->err->message, "%s at byte %zu (line %zu, column %zu)",
             what, jp->err->offset, jp->err->line, jp->err->column);
    return false;
}

static bool httpx__jp_nomem(httpx__jp *jp) {
    jp->err->code = HTTPX_ERR_NOMEM;
    jp->err->offset = (size_t)(jp->p - jp->start);
    snprintf(jp->err->message, sizeof jp->err->message, "out of memory while parsing JSON");
    return false;
}

/* ---- memory ---- */

static httpx__jblock *httpx__jp_block(size_t cap) {
    httpx__jblock *b;
    if (cap > ((size_t)-1 - sizeof *b) / sizeof(httpx_json_value)) return NULL;
    b = (httpx__jblock *)httpx__malloc(sizeof *b + cap * sizeof(httpx_json_value));
    if (!b) return NULL;
    b->h.next = NULL;
    b->h.cap = cap;
    b->h.used = 0;
    return b;
}

/* count contiguous nodes that never move. */
static httpx_json_value *httpx__jp_nodes(httpx__jp *jp, size_t count) {
    httpx__jblock *b = jp->cur;
    httpx_json_value *out;
    if (b->h.cap - b->h.used < count) {
        size_t cap = b->h.cap * 2;
        if (cap < count) cap = count;
        b = httpx__jp_block(cap);
        if (!b) return NULL;
        b->h.next = jp->first->h.next;      /* every block hangs off the first */
        jp->first->h.next = b;
        jp->cur = b;
    }
    out = HTTPX__J_NODES(b) + b->h.used;
    b->h.used += count;
    return out;
}

static httpx_json_value *httpx__jp_push(httpx__jp *jp) {
    if (jp->top == jp->cap) {
        size_t cap = jp->cap * 2;
        httpx_json_value *s;
        if (cap > (size_t)-1 / sizeof *s) return NULL;
        if (jp->stack == jp->inline_stack) {
            s = (httpx_json_value *)httpx__malloc(cap * sizeof *s);
            if (s) memcpy(s, jp->stack, jp->top * sizeof *s);
        } else {
            s = (httpx_json_value *)httpx__realloc(jp->stack, cap * sizeof *s);
        }
        if (!s) return NULL;
        jp->stack = s;
        jp->cap = cap;
    }
    return &jp->stack[jp->top++];
}

static void httpx__jp_free_blocks(httpx__jblock *first, void *strs) {
    httpx__jblock *b, *next;
    if (!first) return;
    for (b = first->h.next; b; b = next) {
        next = b->h.next;
        httpx__free(b);
    }
    httpx__free(first);
    httpx__free(strs);
}

/* ---- strings ---- */

static int httpx__jp_hex4(const unsigned char *p) {
    int i, v = 0;
    for (i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    return v;
}

/* A \uXXXX escape at p (after the backslash and the 'u' is p[0]). A lone
   surrogate cannot be written in UTF-8: it becomes U+FFFD, as it does when a
   browser encodes the string JSON.parse made. */
static bool httpx__jp_unicode(httpx__jp *jp, const unsigned char **pp, char **ww) {
    const unsigned char *p = *pp;
    int cp;
    uint32_t c;
    if (jp->end - p < 5 || (cp = httpx__jp_hex4(p + 1)) < 0)
        return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "invalid \\u escape (four hex digits must follow)");
    p += 5;
    c = (uint32_t)cp;
    if (c >= 0xD800 && c <= 0xDBFF) {
        int lo;
        if (jp->end - p >= 6 && p[0] == '\\' && p[1] == 'u' && (lo = httpx__jp_hex4(p + 2)) >= 0xDC00 && lo <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t)(lo - 0xDC00);
            p += 6;
        } else {
            c = 0xFFFD;
        }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
        c = 0xFFFD;
    }
    *ww += httpx__utf8_put(*ww, c);
    *pp = p;
    return true;
}

static bool httpx__jp_escape(httpx__jp *jp, const unsigned char **pp, char **ww) {
    const unsigned char *p = *pp + 1;      /* past the backslash */
    char c;
    if (p == jp->end) return httpx__jp_expected(jp, p, "an escape after '\\'");
    switch (*p) {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': *pp = p; return httpx__jp_unicode(jp, pp, ww);
    default: return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "invalid escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    }
    *(*ww)++ = c;
    *pp = p + 1;
    return true;
}

/* Whether the 8 bytes at p are all plain (see httpx__jp_plain), tested at
   once: a byte is flagged when it is below 0x20, has its top bit set, or
   equals '"' or '\\' (the zero-byte test after an XOR). Strings are most of a
   typical document, and this is most of a string. */
static bool httpx__jp_plain8(const unsigned char *p) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x, q, b;
    memcpy(&x, p, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    return !((((x - ones * 0x20) & ~x) | x | ((q - ones) & ~q) | ((b - ones) & ~b)) & high);
}

/* The string at jp->p (its opening quote), unescaped into the string block. */
static bool httpx__jp_string(httpx__jp *jp, const char **out, uint32_t *out_len) {
    const unsigned char *p = jp->p + 1, *end = jp->end;
    char *w, *s;
    if (!jp->strs) {
        jp->strs = jp->sw = (char *)httpx__malloc((size_t)(jp->end - jp->start) + 1);
        if (!jp->strs) return httpx__jp_nomem(jp);
    }
    w = s = jp->sw;
    for (;;) {
        const unsigned char *q;
        uint32_t cp;
        int k;
        while (end - p >= 8 && httpx__jp_plain8(p)) {
            memcpy(w, p, 8);
            w += 8;
            p += 8;
        }
        for (q = p; q < end && httpx__jp_plain[*q]; q++) {}
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        p = q;
        if (p == end) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, jp->p, "unterminated string (no closing '\"') starting");
        if (*p == '"') break;
        if (*p == '\\') {
            if (!httpx__jp_escape(jp, &p, &w)) return false;
            continue;
        }
        if (*p < 0x20)
            return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p, "control character in a string (write it as \\u00XX)");
        if (*p >= 0xC2 && *p <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80) {   /* the common 2-byte case */
            w[0] = (char)p[0];
            w[1] = (char)p[1];
            w += 2;
            p += 2;
            continue;
        }
        if (((*p >= 0xE1 && *p <= 0xEC) || *p == 0xEE || *p == 0xEF) && end - p >= 3 &&
            (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {   /* 3 bytes, no special range */
            memcpy(w, p, 3);
            w += 3;
            p += 3;
            continue;
        }
        k = httpx__utf8_next(p, (size_t)(end - p), &cp);
        if (k <= 0) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p, "invalid UTF-8 in a string");
        memcpy(w, p, (size_t)k);
        w += k;
        p += k;
    }
    *w = 0;
    *out = s;
    *out_len = (uint32_t)(w - s);
    jp->sw = w + 1;
    jp->p = p + 1;
    return true;
}

/* ---- numbers ---- */

HTTPX__PRIVATE bool httpx__json_strtod(const char *p, size_t n, double *out) {
    /* strtod reads the decimal point of LC_NUMERIC: give it that one. */
    const char *dp = localeconv()->decimal_point;
    size_t dpn = (dp && *dp) ? strlen(dp) : 1, i, j = 0;
    char local[64], *buf = local;
    if (!dp || !*dp) dp = ".";
    if (n + dpn + 1 > sizeof local) {
        buf = (char *)httpx__malloc(n + dpn + 1);
        if (!buf) return false;
    }
    for (i = 0; i < n; i++) {
        if (p[i] == '.') { memcpy(buf + j, dp, dpn); j += dpn; }
        else buf[j++] = p[i];
    }
    buf[j] = 0;
    *out = strtod(buf, NULL);
    if (buf != local) httpx__free(buf);
    return true;
}

/* Powers of ten that a double holds exactly: with a mantissa below 2^53, one
   multiplication or division by them rounds once, so the result is the
   correctly rounded value (Clinger's fast path). */
static const double httpx__jp_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool httpx__jp_digit(const unsigned char *p, const unsigned char *end) {
    return p < end && *p >= '0' && *p <= '9';
}

static bool httpx__jp_number(httpx__jp *jp, httpx_json_value *v) {
    const unsigned char *p = jp->p, *end = jp->end, *s = p;
    uint64_t m = 0;
    int ndig = 0;
    long long e10 = 0, ex = 0;
    bool neg = false, truncated = false, integer = true;
    double d;
    if (*p == '-') { neg = true; p++; }
    if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit");
    if (*p == '0') {
        p++;
        if (httpx__jp_digit(p, end)) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "a number with a leading zero");
    } else {
        for (; httpx__jp_digit(p, end); p++) {
            if (ndig < 19) { m = m * 10 + (uint64_t)(*p - '0'); ndig++; }
            else { e10++; if (*p != '0') truncated = true; }
        }
    }
    if (p < end && *p == '.') {
        integer = false;
        p++;
        if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit after '.'");
        for (; httpx__jp_digit(p, end); p++) {
            if (m == 0 && *p == '0') e10--;               /* leading zeros: no significant digit */
            else if (ndig < 19) { m = m * 10 + (uint64_t)(*p - '0'); ndig++; e10--; }
            else if (*p != '0') truncated = true;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool eneg = false;
        integer = false;
        p++;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit in the exponent");
        for (; httpx__jp_digit(p, end); p++)
            if (ex < 1000000) ex = ex * 10 + (*p - '0');
        e10 += eneg ? -ex : ex;
    }
    jp->p = p;
    v->type = HTTPX_JSON_NUMBER;
    if (integer && e10 == 0 && !truncated && m <= (uint64_t)INT64_MAX + neg) {
        v->flags = HTTPX__J_INT;
        v->u.i = neg ? (int64_t)(0 - m) : (int64_t)m;    /* 0 - m wraps to INT64_MIN's bits for 2^63 */
        return true;
    }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if (!truncated && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        d = (double)m;
        d = e10 < 0 ? d / httpx__jp_pow10[-e10] : d * httpx__jp_pow10[e10];
        v->u.d = neg ? -d : d;
        return true;
    }
#endif
    if (m == 0 && !truncated) {
        v->u.d = neg ? -0.0 : 0.0;
        return true;
    }
    if (!httpx__json_strtod((const char *)s, (size_t)(p - s), &v->u.d)) return httpx__jp_nomem(jp);
    return true;
}

/* ---- structure ---- */

static void httpx__jp_ws(httpx__jp *jp) {
    const unsigned char *p = jp->p, *end = jp->end;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    jp->p = p;
}

/* Moves the children of the innermost open container into the arena. */
static bool httpx__jp_close(httpx__jp *jp) {
    size_t o = jp->open, n = jp->top - o - 1;
    httpx_json_value *kids = NULL;
    if (n) {
        kids = httpx__jp_nodes(jp, n);
        if (!kids) return httpx__jp_nomem(jp);
        memcpy(kids, &jp->stack[o + 1], n * sizeof *kids);
    }
    jp->open = jp->stack[o].u.parent;
    jp->stack[o].u.kids = kids;
    jp->stack[o].len = (uint32_t)n;
    jp->top = o + 1;
    jp->depth--;
    return true;
}

/* A member name and its ':' (jp->p at the name's quote). */
static bool httpx__jp_key(httpx__jp *jp, const char **key, uint32_t *key_len) {
    httpx__jp_ws(jp);
    if (jp->p == jp->end || *jp->p != '"') return httpx__jp_expected(jp, jp->p, "a member name in quotes");
    if (!httpx__jp_string(jp, key, key_len)) return false;
    httpx__jp_ws(jp);
    if (jp->p == jp->end || *jp->p != ':') return httpx__jp_expected(jp, jp->p, "':' after the member name");
    jp->p++;
    return true;
}

static bool httpx__jp_literal(httpx__jp *jp, httpx_json_value *v) {
    static const char *const words[3] = {"true", "false", "null"};
    static const unsigned char types[3] = {HTTPX_JSON_BOOL, HTTPX_JSON_BOOL, HTTPX_JSON_NULL};
    int i;
    for (i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(jp->end - jp->p) >= n && !memcmp(jp->p, words[i], n)) {
            v->type = types[i];
            v->u.i = i == 0;
            jp->p += n;
            return true;
        }
    }
    return httpx__jp_expected(jp, jp->p, "a value");
}

/* After a value: closes the containers that end here, then positions at the
   next value (setting its member name). Returns 1 for another value, 0 when
   the root is complete, -1 on error. */
static int httpx__jp_after(httpx__jp *jp, const char **key, uint32_t *key_len) {
    while (jp->open != HTTPX__J_NONE) {
        bool obj = jp->stack[jp->open].type == HTTPX_JSON_OBJECT;
        httpx__jp_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            *key = NULL;
            *key_len = 0;
            if (obj && !httpx__jp_key(jp, key, key_len)) return -1;
            return 1;
        }
        if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
            jp->p++;
            if (!httpx__jp_close(jp)) return -1;
            continue;
        }
        httpx__jp_expected(jp, jp->p, obj ? "',' or '}'" : "',' or ']'");
        return -1;
    }
    return 0;
}

/* Opens an object or array (v on the stack, jp->p at the bracket). Returns
   1 when a first value follows, 0 when it closed at once, -1 on error. */
static int httpx__jp_open(httpx__jp *jp, const char **key, uint32_t *key_len) {
    httpx_json_value *v = &jp->stack[jp->top - 1];
    bool obj = *jp->p == '{';
    if (++jp->depth > HTTPX_JSON_MAX_DEPTH) {
        char what[80];
        snprintf(what, sizeof what, "nesting deeper than %d levels", HTTPX_JSON_MAX_DEPTH);
        httpx__jp_fail(jp, HTTPX_ERR_TOO_LARGE, jp->p, what);
        return -1;
    }
    v->type = obj ? HTTPX_JSON_OBJECT : HTTPX_JSON_ARRAY;
    v->u.parent = jp->open;
    jp->open = jp->top - 1;
    jp->p++;
    httpx__jp_ws(jp);
    if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
        jp->p++;
        return httpx__jp_close(jp) ? 0 : -1;
    }
    *key = NULL;
    *key_len = 0;
    if (obj && !httpx__jp_key(jp, key, key_len)) return -1;
    return 1;
}

static bool httpx__jp_run(httpx__jp *jp) {
    const char *key = NULL;
    uint32_t key_len = 0;
    for (;;) {
        httpx_json_value *v;
        int more;
        httpx__jp_ws(jp);
        if (jp->p == jp->end) return httpx__jp_expected(jp, jp->p, "a value");
        v = httpx__jp_push(jp);
        if (!v) return httpx__jp_nomem(jp);
        v->key = key;
        v->key_len = key_len;
        v->flags = 0;
        v->len = 0;
        switch (*jp->p) {
        case '{': case '[':
            more = httpx__jp_open(jp, &key, &key_len);
            if (more < 0) return false;
            if (more) continue;
            break;
        case '"':
            v->type = HTTPX_JSON_STRING;
            if (!httpx__jp_string(jp, &v->u.s, &v->len)) return false;
            break;
        case 't': case 'f': case 'n':
            if (!httpx__jp_literal(jp, v)) return false;
            break;
        default:
            if (*jp->p != '-' && (*jp->p < '0' || *jp->p > '9')) return httpx__jp_expected(jp, jp->p, "a value");
            if (!httpx__jp_number(jp, v)) return false;
        }
        more = httpx__jp_after(jp, &key, &key_len);
        if (more < 0) return false;
        if (!more) return true;
    }
}

static bool httpx__jp_start(httpx__jp *jp, const char *text, size_t len, httpx_json_error *err) {
    size_t cap = 64 + len / 64;
    memset(jp, 0, offsetof(httpx__jp, inline_stack));
    jp->start = jp->p = (const unsigned char *)text;
    jp->end = jp->start + len;
    jp->stack = jp->inline_stack;
    jp->cap = HTTPX__JP_INLINE;
    jp->open = HTTPX__J_NONE;
    jp->err = err;
    if (cap > 65536) cap = 65536;
    jp->first = jp->cur = httpx__jp_block(cap);
    if (!jp->first) return httpx__jp_nomem(jp);
    jp->first->h.used = 2;                  /* the document node, then the root */
    return true;
}

HTTPX_API httpx_json_value *httpx_json_parse(const char *text, size_t len, httpx_json_error *err) {
    httpx_json_error spare;
    httpx__jp jp;
    httpx_json_value *doc, *root = NULL;
    if (!err) err = &spare;
    memset(err, 0, sizeof *err);
    if (!text && len) {
        err->code = HTTPX_ERR_INVALID_ARGUMENT;
        snprintf(err->message, sizeof err->message, "httpx_json_parse: NULL text");
        return NULL;
    }
    if (len > HTTPX_JSON_MAX_SIZE || len >= 0xFFFFFFFFu) {
        err->code = HTTPX_ERR_TOO_LARGE;
        snprintf(err->message, sizeof err->message, "JSON text of %zu bytes is over the limit of %zu (HTTPX_JSON_MAX_SIZE)",
                 len, (size_t)HTTPX_JSON_MAX_SIZE);
        return NULL;
    }
    if (!text) text = "";
    if (!httpx__jp_start(&jp, text, len, err)) return NULL;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) jp.p += 3;   /* RFC 8259 8.1: a BOM may be ignored */
    if (httpx__jp_run(&jp)) {
        httpx__jp_ws(&jp);
        if (jp.p != jp.end) httpx__jp_expected(&jp, jp.p, "the end of the document");
        else {
            doc = HTTPX__J_NODES(jp.first);
            root = doc + 1;
            *root = jp.stack[0];
            memset(doc, 0, sizeof *doc);
            doc->type = HTTPX__J_DOC;
            doc->u.mem = jp.strs;
        }
    }
    if (jp.stack != jp.inline_stack) httpx__free(jp.stack);
    if (!root) httpx__jp_free_blocks(jp.first, jp.strs);
    return root;
}

HTTPX_API void httpx_json_free(httpx_json_value *root) {
    httpx_json_value *doc;
    if (!root) return;
    doc = root - 1;
    HTTPX_ASSERT(doc->type == HTTPX__J_DOC && "httpx_json_free takes a root from httpx_json_parse");
    if (doc->type != HTTPX__J_DOC) return;
    httpx__jp_free_blocks((httpx__jblock *)(void *)doc - 1, doc->u.mem);
}

/* ---- the tree ---- */

HTTPX_API httpx_json_kind httpx_json_type(const httpx_json_value *v) {
    return v ? (httpx_json_kind)v->type : HTTPX_JSON_NONE;
}
HTTPX_API bool httpx_json_is_null(const httpx_json_value *v) { return v && v->type == HTTPX_JSON_NULL; }
HTTPX_API bool httpx_json_bool(const httpx_json_value *v) { return v && v->type == HTTPX_JSON_BOOL && v->u.i; }

HTTPX_API double httpx_json_number(const httpx_json_value *v) {
    if (!v || v->type != HTTPX_JSON_NUMBER) return 0;
    return (v->flags & HTTPX__J_INT) ? (double)v->u.i : v->u.d;
}

HTTPX_API int64_t httpx_json_int(const httpx_json_value *v, bool *ok) {
    double d;
    if (ok) *ok = false;
    if (!v || v->type != HTTPX_JSON_NUMBER) return 0;
    if (v->flags & HTTPX__J_INT) {
        if (ok) *ok = true;
        return v->u.i;
    }
    d = v->u.d;
    if (d != d) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;   /* the double is 2^63 */
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

HTTPX_API const char *httpx_json_string(const httpx_json_value *v) {
    return v && v->type == HTTPX_JSON_STRING ? v->u.s : NULL;
}
HTTPX_API size_t httpx_json_string_len(const httpx_json_value *v) {
    return v && v->type == HTTPX_JSON_STRING ? v->len : 0;
}

static bool httpx__j_container(const httpx_json_value *v) {
    return v && (v->type == HTTPX_JSON_ARRAY || v->type == HTTPX_JSON_OBJECT);
}
HTTPX_API size_t httpx_json_len(const httpx_json_value *v) { return httpx__j_container(v) ? v->len : 0; }

HTTPX_API const httpx_json_value *httpx_json_at(const httpx_json_value *v, size_t i) {
    return httpx__j_container(v) && i < v->len ? &v->u.kids[i] : NULL;
}

HTTPX_API const httpx_json_value *httpx_json_member(const httpx_json_value *v, size_t i, const char **name) {
    const httpx_json_value *m = v && v->type == HTTPX_JSON_OBJECT ? httpx_json_at(v, i) : NULL;
    if (name) *name = m ? m->key : NULL;
    return m;
}

HTTPX_API const char *httpx_json_key(const httpx_json_value *v) { return v ? v->key : NULL; }
HTTPX_API size_t httpx_json_key_len(const httpx_json_value *v) { return v ? v->key_len : 0; }

HTTPX_API const httpx_json_value *httpx_json_get(const httpx_json_value *v, const char *key) {
    size_t n, i;
    if (!v || v->type != HTTPX_JSON_OBJECT || !key) return NULL;
    n = strlen(key);
    for (i = v->len; i-- > 0;) {        /* from the end: the last of repeated names wins */
        const httpx_json_value *m = &v->u.kids[i];
        if (m->key_len == n && !memcmp(m->key, key, n)) return m;
    }
    return NULL;
}

/* Whether a member name equals the path segment seg[0..n), whose backslashes
   escape the character after them. */
static bool httpx__j_seg_eq(const httpx_json_value *m, const char *seg, size_t n) {
    size_t i, k = 0;
    for (i = 0; i < n; i++, k++) {
        if (seg[i] == '\\') i++;
        if (k >= m->key_len || m->key[k] != seg[i]) return false;
    }
    return k == m->key_len;
}

static const httpx_json_value *httpx__j_index(const httpx_json_value *v, const char **pp) {
    const char *p = *pp + 1;
    bool neg = false;
    size_t i = 0;
    if (*p == '-') { neg = true; p++; }
    if (*p < '0' || *p > '9') return NULL;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (i > ((size_t)-1 - 9) / 10) return NULL;
        i = i * 10 + (size_t)(*p - '0');
    }
    if (*p != ']' || !v || v->type != HTTPX_JSON_ARRAY) return NULL;
    *pp = p + 1;
    if (neg) return i >= 1 && i <= v->len ? &v->u.kids[v->len - i] : NULL;
    return httpx_json_at(v, i);
}

HTTPX_API const httpx_json_value *httpx_json_path(const httpx_json_value *v, const char *path) {
    const char *p = path;
    if (!p) return NULL;
    while (v && *p) {
        const char *seg;
        size_t i;
        if (*p == '[') {
            v = httpx__j_index(v, &p);
            continue;
        }
        if (*p == '.') p++;
        else if (p != path) return NULL;            /* "a[0]b": a name must follow a '.' */
        for (seg = p; *p && *p != '.' && *p != '['; p++) {
            if (*p == ']') return NULL;
            if (*p == '\\' && !*++p) return NULL;
        }
        if (v->type != HTTPX_JSON_OBJECT) return NULL;
        for (i = v->len; i-- > 0;)
            if (httpx__j_seg_eq(&v->u.kids[i], seg, (size_t)(p - seg))) break;
        v = i < v->len ? &v->u.kids[i] : NULL;
    }
    return v;
}
/* End of json.c */

#if defined(HTTPX_LINES)
#line 6881 "httpx.h"
#endif
/* ======================================================================
   Begin file jsonw.c   (grep anchor: >>jsonw)
   ====================================================================== */
/* jsonw: writing JSON for request bodies, a builder (httpx_jsonw) and a
   printf whose conversions escape. Both refuse to produce text that is not
   JSON: misuse is an error that sticks, never a quietly wrong body.
   Private prefix: httpx__jw_. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/jsonw.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "json_internal.h": earlier in httpx.h */
#include <locale.h>

struct httpx_jsonw {
    httpx__buf out;
    httpx__err err;             /* err.code: the first error; it sticks */
    int depth;
    bool root_done;             /* a whole top-level value is written */
    bool need_comma;            /* the open container has an element already */
    bool after_key;             /* in an object, a name is written and its value is due */
    unsigned char in_object[(HTTPX_JSON_MAX_DEPTH + 7) / 8];   /* a bit per open level */
};

/* ---- shared by the builder and printf ---- */

/* s[0..n) as a JSON string. Invalid UTF-8 is refused rather than altered: a
   body must say what the caller meant or fail. */
static bool httpx__jw_escape(httpx__buf *b, const char *s, size_t n, httpx__err *e) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (!httpx__buf_reserve(b, n + 2)) return false;
    httpx__buf_putc(b, '"');
    while (i < n) {
        size_t run = i;
        uint32_t cp;
        int k;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        httpx__buf_append(b, p + i, run - i);
        i = run;
        if (i == n) break;
        if (p[i] >= 0x80) {
            k = httpx__utf8_next(p + i, n - i, &cp);
            if (k <= 0) {
                httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid UTF-8 at byte %zu of a string", i);
                return false;
            }
            httpx__buf_append(b, p + i, (size_t)k);
            i += (size_t)k;
            continue;
        }
        httpx__buf_putc(b, '\\');
        switch (p[i]) {
        case '"': httpx__buf_putc(b, '"'); break;
        case '\\': httpx__buf_putc(b, '\\'); break;
        case '\b': httpx__buf_putc(b, 'b'); break;
        case '\f': httpx__buf_putc(b, 'f'); break;
        case '\n': httpx__buf_putc(b, 'n'); break;
        case '\r': httpx__buf_putc(b, 'r'); break;
        case '\t': httpx__buf_putc(b, 't'); break;
        default: {
            char u[5] = {'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15]};
            httpx__buf_append(b, u, 5);
        }
        }
        i++;
    }
    return httpx__buf_putc(b, '"') || (httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"), false);
}

/* snprintf writes LC_NUMERIC's decimal point; JSON wants '.'. */
static void httpx__jw_c_locale(char *s) {
    const char *dp = localeconv()->decimal_point;
    char *at;
    size_t n;
    if (!dp || !*dp || !strcmp(dp, ".") || !(at = strstr(s, dp))) return;
    n = strlen(dp);
    *at = '.';
    memmove(at + 1, at + n, strlen(at + n) + 1);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as x (17 always does). */
static bool httpx__jw_double(httpx__buf *b, double x, httpx__err *e) {
    char tmp[48];
    int prec;
    if (x != x || x - x != 0) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "JSON has no NaN or infinity");
        return false;
    }
    for (prec = 15; prec <= 17; prec++) {
        double back = 0;
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        httpx__jw_c_locale(tmp);
        if (!httpx__json_strtod(tmp, strlen(tmp), &back)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
            return false;
        }
        if (back == x) break;
    }
    /* "-0" reads back as the integer 0 (as in Python and JavaScript): the
       sign would be lost; "-0.0" is read as the double it is. */
    if (x == 0 && tmp[0] == '-') memcpy(tmp, "-0.0", 5);
    return httpx__buf_puts(b, tmp) || (httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"), false);
}

/* ---- the builder ---- */

HTTPX_API httpx_jsonw *httpx_jsonw_new(void) {
    httpx_jsonw *w = (httpx_jsonw *)httpx__malloc(sizeof *w);
    if (w) memset(w, 0, sizeof *w);
    return w;
}

HTTPX_API void httpx_jsonw_free(httpx_jsonw *w) {
    if (!w) return;
    httpx__buf_free(&w->out);
    httpx__free(w);
}

/* Checks that a value may come now and writes the comma before it. */
static httpx_error httpx__jw_begin_value(httpx_jsonw *w) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (w->depth == 0) {
        if (w->root_done) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a second top-level value");
        return HTTPX_OK;
    }
    if (w->in_object[(w->depth - 1) / 8] & (1u << ((w->depth - 1) % 8))) {
        if (!w->after_key)
            return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a value in an object where a member name is due "
                                                                   "(call httpx_jsonw_key first)");
        w->after_key = false;
        return HTTPX_OK;
    }
    if (w->need_comma) httpx__buf_putc(&w->out, ',');
    return HTTPX_OK;
}

static httpx_error httpx__jw_end_value(httpx_jsonw *w, bool ok) {
    if (!ok || w->out.failed) {
        if (!w->err.code) httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return w->err.code;
    }
    w->need_comma = true;
    if (w->depth == 0) w->root_done = true;
    return HTTPX_OK;
}

static bool httpx__jw_top_is_object(const httpx_jsonw *w) {
    return w->depth > 0 && (w->in_object[(w->depth - 1) / 8] & (1u << ((w->depth - 1) % 8)));
}

static httpx_error httpx__jw_open(httpx_jsonw *w, bool object) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    if (w->depth >= HTTPX_JSON_MAX_DEPTH)
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "nesting deeper than %d levels", HTTPX_JSON_MAX_DEPTH);
    if (object) w->in_object[w->depth / 8] |= (unsigned char)(1u << (w->depth % 8));
    else w->in_object[w->depth / 8] &= (unsigned char)~(1u << (w->depth % 8));
    w->depth++;
    w->need_comma = false;
    w->after_key = false;
    if (!httpx__buf_putc(&w->out, object ? '{' : '[')) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
    return HTTPX_OK;
}

static httpx_error httpx__jw_close(httpx_jsonw *w, bool object) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (w->depth == 0 || httpx__jw_top_is_object(w) != object)
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "%s with no %s open",
                           object ? "httpx_jsonw_object_end" : "httpx_jsonw_array_end", object ? "object" : "array");
    if (w->after_key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a member name without a value");
    w->depth--;
    return httpx__jw_end_value(w, httpx__buf_putc(&w->out, object ? '}' : ']'));
}

HTTPX_API httpx_error httpx_jsonw_object_begin(httpx_jsonw *w) { return httpx__jw_open(w, true); }
HTTPX_API httpx_error httpx_jsonw_array_begin(httpx_jsonw *w) { return httpx__jw_open(w, false); }
HTTPX_API httpx_error httpx_jsonw_object_end(httpx_jsonw *w) { return httpx__jw_close(w, true); }
HTTPX_API httpx_error httpx_jsonw_array_end(httpx_jsonw *w) { return httpx__jw_close(w, false); }

static httpx_error httpx__jw_key_n(httpx_jsonw *w, const char *key, size_t n) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (!httpx__jw_top_is_object(w)) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a member name outside an object");
    if (w->after_key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "two member names in a row");
    if (!key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a NULL member name");
    if (w->need_comma) httpx__buf_putc(&w->out, ',');
    if (!httpx__jw_escape(&w->out, key, n, &w->err)) {
        if (!w->err.code) httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return w->err.code;
    }
    w->after_key = true;
    if (!httpx__buf_putc(&w->out, ':')) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
    return HTTPX_OK;
}

HTTPX_API httpx_error httpx_jsonw_key(httpx_jsonw *w, const char *key) {
    return httpx__jw_key_n(w, key, key ? strlen(key) : 0);
}

static httpx_error httpx__jw_literal(httpx_jsonw *w, const char *text) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    return httpx__jw_end_value(w, httpx__buf_puts(&w->out, text));
}

HTTPX_API httpx_error httpx_jsonw_null(httpx_jsonw *w) { return httpx__jw_literal(w, "null"); }
HTTPX_API httpx_error httpx_jsonw_bool(httpx_jsonw *w, bool b) { return httpx__jw_literal(w, b ? "true" : "false"); }

HTTPX_API httpx_error httpx_jsonw_string_n(httpx_jsonw *w, const char *s, size_t n) {
    httpx_error err;
    if (!s) return httpx_jsonw_null(w);
    err = httpx__jw_begin_value(w);
    if (err) return err;
    if (!httpx__jw_escape(&w->out, s, n, &w->err) && w->err.code) return w->err.code;
    return httpx__jw_end_value(w, true);
}

HTTPX_API httpx_error httpx_jsonw_string(httpx_jsonw *w, const char *s) {
    return httpx_jsonw_string_n(w, s, s ? strlen(s) : 0);
}

HTTPX_API httpx_error httpx_jsonw_number(httpx_jsonw *w, double x) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    if (!httpx__jw_double(&w->out, x, &w->err)) return w->err.code;
    return httpx__jw_end_value(w, true);
}

HTTPX_API httpx_error httpx_jsonw_int(httpx_jsonw *w, int64_t x) {
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)x);
    return httpx__jw_literal(w, tmp);
}

HTTPX_API httpx_error httpx_jsonw_raw(httpx_jsonw *w, const char *json) {
    httpx_json_error jerr;
    httpx_json_value *v;
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    v = httpx_json_parse(json ? json : "", json ? strlen(json) : 0, &jerr);
    if (!v) {
        if (jerr.code == HTTPX_ERR_NOMEM) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "httpx_jsonw_raw: not JSON: %.200s", jerr.message);
    }
    httpx_json_free(v);
    return httpx__jw_end_value(w, httpx__buf_puts(&w->out, json));
}

/* Recursion is bounded: a parsed tree is at most HTTPX_JSON_MAX_DEPTH deep. */
HTTPX_API httpx_error httpx_jsonw_value(httpx_jsonw *w, const httpx_json_value *v) {
    size_t i, n = httpx_json_len(v);
    bool exact;
    int64_t iv;
    switch (httpx_json_type(v)) {
    case HTTPX_JSON_NULL: return httpx_jsonw_null(w);
    case HTTPX_JSON_BOOL: return httpx_jsonw_bool(w, httpx_json_bool(v));
    case HTTPX_JSON_STRING: return httpx_jsonw_string_n(w, httpx_json_string(v), httpx_json_string_len(v));
    case HTTPX_JSON_NUMBER:
        iv = httpx_json_int(v, &exact);
        return exact ? httpx_jsonw_int(w, iv) : httpx_jsonw_number(w, httpx_json_number(v));
    case HTTPX_JSON_ARRAY:
        httpx_jsonw_array_begin(w);
        for (i = 0; i < n; i++) httpx_jsonw_value(w, httpx_json_at(v, i));
        return httpx_jsonw_array_end(w);
    case HTTPX_JSON_OBJECT:
        httpx_jsonw_object_begin(w);
        for (i = 0; i < n; i++) {
            const httpx_json_value *m = httpx_json_at(v, i);
            httpx__jw_key_n(w, httpx_json_key(m), httpx_json_key_len(m));
            httpx_jsonw_value(w, m);
        }
        return httpx_jsonw_object_end(w);
    default:
        if (!w) return HTTPX_ERR_NOMEM;
        if (w->err.code) return w->err.code;
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "httpx_jsonw_value: no value (NULL)");
    }
}

HTTPX_API const char *httpx_jsonw_text(httpx_jsonw *w) {
    if (!w || w->err.code) return NULL;
    if (w->depth > 0) {
        httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "unbalanced: %d %s still open", w->depth,
                    w->depth == 1 ? "object or array is" : "objects or arrays are");
        return NULL;
    }
    if (!w->root_done) {
        httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "nothing was written");
        return NULL;
    }
    return w->out.p;
}

HTTPX_API const char *httpx_jsonw_error_message(const httpx_jsonw *w) {
    if (!w) return "out of memory";
    return w->err.code ? w->err.msg : "";
}

/* ---- printf ---- */

/* One conversion at *pp (just after the '%'); advances *pp past it. */
static bool httpx__jw_conv(httpx__buf *b, const char **pp, va_list *ap, httpx__err *e) {
    const char *p = *pp, *s;
    char tmp[32];
    switch (*p) {
    case '%': httpx__buf_putc(b, '%'); break;
    case 's':
        s = va_arg(*ap, const char *);
        if (!s) httpx__buf_puts(b, "null");
        else if (!httpx__jw_escape(b, s, strlen(s), e)) return false;
        break;
    case 'j':
        s = va_arg(*ap, const char *);
        httpx__buf_puts(b, s ? s : "null");
        break;
    case 'b': httpx__buf_puts(b, va_arg(*ap, int) ? "true" : "false"); break;
    case 'd': case 'i': snprintf(tmp, sizeof tmp, "%d", va_arg(*ap, int)); httpx__buf_puts(b, tmp); break;
    case 'u': snprintf(tmp, sizeof tmp, "%u", va_arg(*ap, unsigned)); httpx__buf_puts(b, tmp); break;
    case 'f': case 'g':
        if (!httpx__jw_double(b, va_arg(*ap, double), e)) return false;
        break;
    case 'z':
        if (p[1] != 'u') goto unknown;
        snprintf(tmp, sizeof tmp, "%zu", va_arg(*ap, size_t));
        httpx__buf_puts(b, tmp);
        p++;
        break;
    case 'l':
        if (p[1] == 'l' && (p[2] == 'd' || p[2] == 'i')) snprintf(tmp, sizeof tmp, "%lld", va_arg(*ap, long long)), p += 2;
        else if (p[1] == 'l' && p[2] == 'u') snprintf(tmp, sizeof tmp, "%llu", va_arg(*ap, unsigned long long)), p += 2;
        else if (p[1] == 'd' || p[1] == 'i') snprintf(tmp, sizeof tmp, "%ld", va_arg(*ap, long)), p++;
        else if (p[1] == 'u') snprintf(tmp, sizeof tmp, "%lu", va_arg(*ap, unsigned long)), p++;
        else goto unknown;
        httpx__buf_puts(b, tmp);
        break;
    default:
    unknown:
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "unknown conversion '%%%.3s' in a JSON format", *pp);
        return false;
    }
    *pp = p + 1;
    return true;
}

static char *httpx__jw_printf_fail(httpx_json_error *err, httpx__buf *b, const httpx__err *e) {
    httpx__buf_free(b);
    if (err) {
        err->code = e->code;
        snprintf(err->message, sizeof err->message, "%s", e->msg);
    }
    return NULL;
}

HTTPX_API char *httpx_json_vprintf(httpx_json_error *err, const char *fmt, va_list ap) {
    httpx__buf b;
    httpx__err e;
    httpx_json_error perr;
    httpx_json_value *v;
    va_list aq;
    const char *p;
    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    if (err) memset(err, 0, sizeof *err);
    if (!fmt) {
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_json_printf: NULL format");
        return httpx__jw_printf_fail(err, &b, &e);
    }
    va_copy(aq, ap);
    for (p = fmt; *p;) {
        const char *lit = p;
        while (*p && *p != '%') p++;
        httpx__buf_append(&b, lit, (size_t)(p - lit));
        if (*p == '%') {
            p++;
            if (!httpx__jw_conv(&b, &p, &aq, &e)) break;
        }
    }
    va_end(aq);
    if (!e.code && (b.failed || !httpx__buf_reserve(&b, 0))) httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory");
    if (e.code) return httpx__jw_printf_fail(err, &b, &e);
    v = httpx_json_parse(b.p, b.len, &perr);       /* never hand out text that is not JSON */
    if (!v) {
        if (perr.code == HTTPX_ERR_NOMEM) httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory");
        else httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "the format makes text that is not JSON: %.190s", perr.message);
        httpx__jw_printf_fail(err, &b, &e);
        if (err && perr.code != HTTPX_ERR_NOMEM) {
            err->offset = perr.offset;
            err->line = perr.line;
            err->column = perr.column;
        }
        return NULL;
    }
    httpx_json_free(v);
    return b.p;
}

HTTPX_API char *httpx_json_printf(const char *fmt, ...) {
    va_list ap;
    char *s;
    va_start(ap, fmt);
    s = httpx_json_vprintf(NULL, fmt, ap);
    va_end(ap);
    return s;
}

HTTPX_API void httpx_json_printf_free(char *s) { httpx__free(s); }
/* End of jsonw.c */

#if defined(HTTPX_LINES)
#line 7296 "httpx.h"
#endif
/* ======================================================================
   Begin file inflate_internal.h   (grep anchor: >>inflate_internal)
   ====================================================================== */
/* inflate.c: what the inflater and the Content-Encoding layers offer the
   others. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/inflate_internal.h"
#endif
#ifndef HTTPX_INFLATE_INTERNAL_H
#define HTTPX_INFLATE_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
#include <stdint.h>

/* ---- inflate: gzip, zlib and raw deflate, streamed (inflate.c) ----
   RFC 1951 (deflate), RFC 1950 (zlib: Adler-32 checked), RFC 1952 (gzip:
   header flags, CRC-32 and ISIZE checked, concatenated members). Pure: no
   allocation, no I/O; the caller owns the state (about 90 KiB: the 32 KiB
   history, 32 KiB of new output, the tables) and feeds input in any pieces,
   down to one byte at a time. Output comes as views into the state's window,
   valid until the next call, so a body is never held whole. The decoder
   counts bytes in and out; limits (a decompression bomb) are the caller's. */
#ifndef HTTPX_NO_INFLATE
#define HTTPX__INFLATE_HISTORY 32768u   /* the deflate window: the farthest a match looks back */
#define HTTPX__INFLATE_OUT 32768u       /* new output between two slides of the window */
#define HTTPX__INFLATE_SLOP 16u         /* word-wise match copies may write this far past a match */
/* Table sizes: an 11-bit first level for literals/lengths and 8 bits for
   distances, each with second-level tables, are at most this big for any
   complete code of up to 15 bits (counted over every such code). */
#define HTTPX__INFLATE_LITLEN_BITS 11u
#define HTTPX__INFLATE_DIST_BITS 8u
#define HTTPX__INFLATE_LITLEN_ENOUGH 2342u
#define HTTPX__INFLATE_DIST_ENOUGH 402u

enum httpx__inflate_wrap {
    HTTPX__INFLATE_RAW,         /* RFC 1951 alone */
    HTTPX__INFLATE_ZLIB,        /* RFC 1950 */
    HTTPX__INFLATE_GZIP,        /* RFC 1952, one member or several */
    HTTPX__INFLATE_DEFLATE      /* Content-Encoding: deflate: zlib, or raw deflate as some servers send */
};

typedef struct httpx__inflate {
    enum httpx__inflate_wrap wrap;
    int state, hstate;          /* where decoding stopped (inflate.c), and within a header */
    uint64_t bitbuf;            /* input bits not used yet, the next one lowest */
    unsigned bitcount;
    bool last;                  /* the block being decoded is the final one */
    int tables;                 /* which tables litlen/dist hold: 0 none, 1 fixed, 2 dynamic */
    unsigned nlit, ndist, ncode, nlen;  /* a dynamic block's header as it comes */
    unsigned copy_len, copy_dist;       /* the rest of a match cut by the end of the window */
    unsigned stored_left;       /* bytes of a stored block still to copy */
    unsigned hleft;             /* bytes of a header or trailer field still to come */
    unsigned gzflags;           /* the gzip member's FLG */
    uint32_t check;             /* Adler-32 or CRC-32 of the output so far */
    uint32_t hcrc;              /* CRC-32 of the gzip header, for FHCRC */
    uint32_t trailer;           /* the trailer's bytes as they come */
    uint32_t member_out;        /* output of this gzip member, mod 2^32 (ISIZE) */
    unsigned members;           /* gzip members completed */
    uint64_t total_in;          /* input bytes taken, the wrapper and any ignored tail included */
    uint64_t total_out;         /* output bytes produced */
    uint64_t ignored;           /* bytes after the end of the stream, skipped (see inflate.c) */
    size_t pos;                 /* next write position in win */
    size_t ckpos;               /* win[ckpos..pos) is not in check yet */
    unsigned char lens[320];    /* code lengths of a dynamic block */
    uint32_t litlen[HTTPX__INFLATE_LITLEN_ENOUGH];
    uint32_t dist[HTTPX__INFLATE_DIST_ENOUGH];
    uint32_t pre[128];          /* the code-length code */
    uint32_t crc_table[8][256]; /* CRC-32, eight bytes a step; filled for gzip only */
    unsigned char win[HTTPX__INFLATE_HISTORY + HTTPX__INFLATE_OUT + HTTPX__INFLATE_SLOP];
} httpx__inflate;

HTTPX__PRIVATE void httpx__inflate_init(httpx__inflate *z, enum httpx__inflate_wrap wrap);
/* Decodes from in[0..n): *used bytes are taken, and the output made by this
   call is (*out, *outn), valid until the next call. Returns
     1             the window is full: hand the output on, then call again
                   with the rest of the input (even none);
     0             all input taken, and the stream is complete here (a gzip
                   stream may still go on with another member);
     HTTPX__AGAIN  all input taken, and more is needed;
     HTTPX__BAD    corrupt data (e: HTTPX_ERR_DECODING, what and at which
                   input byte); no output of this call is to be trusted past
                   what was handed on before, and later calls fail too. */
HTTPX__PRIVATE int httpx__inflate_step(httpx__inflate *z, const void *in, size_t n, size_t *used,
                                       const unsigned char **out, size_t *outn, httpx__err *e);
/* At the end of the input: 0 when the stream is complete, else HTTPX__BAD
   (e: HTTPX_ERR_DECODING, truncated). */
HTTPX__PRIVATE int httpx__inflate_finish(const httpx__inflate *z, httpx__err *e);

/* Content-Encoding decoding: the layers of a Content-Encoding value ("gzip",
   "deflate", "x-gzip", "identity"; several, comma-separated, undone last
   first), pushed through to a sink, with the decompression-bomb limits: a
   total output cap and an output/input ratio, the ratio checked only once
   the output passes HTTPX__CDEC_RATIO_FLOOR (small bodies of zeros compress
   a thousandfold quite honestly). */
#define HTTPX__CDEC_MAX_LAYERS 5        /* as curl */
#define HTTPX__CDEC_RATIO_FLOOR ((uint64_t)1 << 20)
typedef int (*httpx__cdec_sink)(void *ctx, const unsigned char *p, size_t n);   /* nonzero: stop */
typedef struct httpx__cdec {
    unsigned nlayers;
    httpx__inflate *layer[HTTPX__CDEC_MAX_LAYERS];  /* in decoding order */
    uint64_t wire, out;                 /* bytes in (encoded), bytes out (decoded) */
    uint64_t max_out;                   /* 0: no cap */
    unsigned max_ratio;                 /* 0: no ratio limit */
} httpx__cdec;
/* Sets d up for a Content-Encoding value. Returns the number of layers to
   undo (0: nothing to decode, identity), or HTTPX__BAD (e: HTTPX_ERR_DECODING
   for a coding we do not know or too many layers, HTTPX_ERR_NOMEM). */
HTTPX__PRIVATE int httpx__cdec_init(httpx__cdec *d, const char *value, size_t n, uint64_t max_out,
                                    unsigned max_ratio, httpx__err *e);
/* Decodes in[0..n) into sink. 0, or HTTPX__BAD (e: HTTPX_ERR_DECODING for
   corrupt data or a limit, or whatever the sink's stop means: then e says
   "stopped by the sink" and the caller knows better). */
HTTPX__PRIVATE int httpx__cdec_feed(httpx__cdec *d, const void *in, size_t n, httpx__cdec_sink sink, void *ctx,
                                    httpx__err *e);
/* At the end of the body: 0 when every layer is complete, else HTTPX__BAD. */
HTTPX__PRIVATE int httpx__cdec_finish(httpx__cdec *d, httpx__err *e);
HTTPX__PRIVATE void httpx__cdec_free(httpx__cdec *d);
#endif /* HTTPX_NO_INFLATE */

#endif /* HTTPX_INFLATE_INTERNAL_H */
/* End of inflate_internal.h */

#if defined(HTTPX_LINES)
#line 7420 "httpx.h"
#endif
/* ======================================================================
   Begin file inflate.c   (grep anchor: >>inflate)
   ====================================================================== */
/* inflate: gzip (RFC 1952), zlib (RFC 1950) and raw deflate (RFC 1951),
   streamed, for Content-Encoding. Private prefix: httpx__inf_.

   Output is written into z->win, which holds the last 32 KiB of output (the
   history a match may reach) followed by room for 32 KiB of new output; the
   caller reads the new part as a view, and when the room is nearly used up
   the next call slides the last 32 KiB down. Matches are then plain forward
   copies inside one array, never wrapping.

   Speed comes from the Huffman tables: one look-up of the low 11 bits (8 for
   distances) gives the symbol already turned into what it means (a literal
   byte, or a length or distance base with its count of extra bits), and codes
   longer than that go through a second-level table. The fast loop runs while
   at least 16 input bytes and 262 bytes of room remain: it refills a 64-bit
   bit buffer eight bytes at a time without a check per byte, which leaves
   enough bits for a whole length/distance pair, and it copies matches eight
   bytes at a time. Near the ends of the input or the room, a slow path does
   the same one symbol at a time, taking nothing from the bit buffer until a
   whole symbol with its extra bits is there, so it can stop at any byte and
   go on when more comes. */
#if defined(HTTPX_LINES)
#line 20 "tools/src/inflate.c"
#endif
/* #include "inflate_internal.h": earlier in httpx.h */

#ifndef HTTPX_NO_INFLATE

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Where decoding stands between calls. */
enum {
    HTTPX__INF_HEAD,            /* the zlib or gzip header (hstate says where in it) */
    HTTPX__INF_BLOCK,           /* a block's 3 header bits */
    HTTPX__INF_STORED_HEAD,     /* LEN and NLEN of a stored block */
    HTTPX__INF_STORED,          /* the bytes of a stored block */
    HTTPX__INF_DYN,             /* HLIT, HDIST, HCLEN */
    HTTPX__INF_DYN_PRE,         /* the code-length code's lengths */
    HTTPX__INF_DYN_LENS,        /* the literal/length and distance code lengths */
    HTTPX__INF_HUFF,            /* Huffman-coded symbols */
    HTTPX__INF_COPY,            /* the rest of a match that did not fit the room */
    HTTPX__INF_TRAILER,         /* Adler-32, or CRC-32 and ISIZE */
    HTTPX__INF_DONE,            /* complete (a gzip member may follow) */
    HTTPX__INF_IGNORE,          /* complete; what follows is skipped */
    HTTPX__INF_FAILED
};
/* Within a header. */
enum {
    HTTPX__INF_H_START,
    HTTPX__INF_H_ID2, HTTPX__INF_H_CM, HTTPX__INF_H_FLG, HTTPX__INF_H_FIXED,
    HTTPX__INF_H_XLEN1, HTTPX__INF_H_XLEN2, HTTPX__INF_H_EXTRA, HTTPX__INF_H_NAME,
    HTTPX__INF_H_COMMENT, HTTPX__INF_H_HCRC1, HTTPX__INF_H_HCRC2, HTTPX__INF_H_END
};

#define HTTPX__INF_LIMIT (HTTPX__INFLATE_HISTORY + HTTPX__INFLATE_OUT)   /* end of the room in win */

/* A table entry: bits 0-7 the code's length in bits (for a pointer to a
   second-level table, the first level's width), bits 8-11 the count of extra
   bits (for a pointer, the second level's width), bits 12-15 the kind, bits
   16-31 the value. An entry of no kind is a code that must not appear. */
#define HTTPX__INF_LIT 0x1000u      /* a literal byte (or a code-length symbol) */
#define HTTPX__INF_LEN 0x2000u      /* a length or distance: base + extra bits */
#define HTTPX__INF_EOB 0x4000u      /* end of block */
#define HTTPX__INF_SUB 0x8000u      /* first level: see the second-level table at value */

typedef struct httpx__inf_io {
    const unsigned char *start, *in, *end;
} httpx__inf_io;

static const unsigned short httpx__inf_len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const unsigned char httpx__inf_len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const unsigned short httpx__inf_dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const unsigned char httpx__inf_dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* RFC 1951 3.2.7: the order in which the code-length code's lengths come. */
static const unsigned char httpx__inf_pre_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* ---- checksums ---- */

static uint32_t httpx__inf_adler32(uint32_t adler, const unsigned char *p, size_t n) {
    uint32_t a = adler & 0xFFFFu, b = adler >> 16;
    while (n > 0) {
        /* 5552 is the most bytes before b can overflow 32 bits (RFC 1950's note) */
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        for (; k >= 4; k -= 4, p += 4) {
            a += p[0]; b += a; a += p[1]; b += a;
            a += p[2]; b += a; a += p[3]; b += a;
        }
        for (; k > 0; k--) { a += *p++; b += a; }
        a %= 65521u;
        b %= 65521u;
    }
    return b << 16 | a;
}

/* Tables for CRC-32 (the reflected polynomial 0xEDB88320) eight bytes at a
   time: t[k][i] is the CRC of byte i followed by k zero bytes. */
static void httpx__inf_crc_init(uint32_t t[8][256]) {
    unsigned i, k;
    for (i = 0; i < 256; i++) {
        uint32_t c = i;
        for (k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (i = 0; i < 256; i++)
        for (k = 1; k < 8; k++) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
}

static uint32_t httpx__inf_le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t httpx__inf_crc32(const uint32_t t[8][256], uint32_t crc, const unsigned char *p, size_t n) {
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = httpx__inf_le32(p) ^ crc, hi = httpx__inf_le32(p + 4);
        crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
              t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    }
    for (; n > 0; n--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* Brings the checksum and the counts up to the output made so far. */
static void httpx__inf_sum(httpx__inflate *z) {
    size_t n = z->pos - z->ckpos;
    const unsigned char *p = z->win + z->ckpos;
    if (n == 0) return;
    if (z->wrap == HTTPX__INFLATE_GZIP) {
        z->check = httpx__inf_crc32((const uint32_t (*)[256])z->crc_table, z->check, p, n);
        z->member_out += (uint32_t)n;
    } else if (z->wrap == HTTPX__INFLATE_ZLIB) {
        z->check = httpx__inf_adler32(z->check, p, n);
    }
    z->total_out += n;
    z->ckpos = z->pos;
}

/* ---- errors ---- */

static int httpx__inf_bad(httpx__inflate *z, const httpx__inf_io *io, httpx__err *e, const char *what) {
    static const char *const names[] = {"raw deflate", "zlib", "gzip", "deflate"};
    z->state = HTTPX__INF_FAILED;
    httpx__fail(e, HTTPX_ERR_DECODING, "corrupt %s data: %s (near input byte %llu)", names[z->wrap], what,
                (unsigned long long)(z->total_in + (uint64_t)(io->in - io->start)));
    return HTTPX__BAD;
}

/* ---- Huffman tables ---- */

static unsigned httpx__inf_reverse(unsigned code, unsigned len) {
    unsigned r = 0;
    while (len--) { r = (r << 1) | (code & 1); code >>= 1; }
    return r;
}

enum { HTTPX__INF_KIND_LITLEN, HTTPX__INF_KIND_DIST, HTTPX__INF_KIND_PRE };

/* What symbol sym of a code of this kind means, as a table entry without
   its length. */
static uint32_t httpx__inf_meaning(int kind, unsigned sym) {
    if (kind == HTTPX__INF_KIND_PRE) return HTTPX__INF_LIT | (uint32_t)sym << 16;
    if (kind == HTTPX__INF_KIND_DIST)
        return sym < 30 ? HTTPX__INF_LEN | (uint32_t)httpx__inf_dist_extra[sym] << 8 |
                              (uint32_t)httpx__inf_dist_base[sym] << 16
                        : 0;   /* distance codes 30 and 31 */
    if (sym < 256) return HTTPX__INF_LIT | (uint32_t)sym << 16;
    if (sym == 256) return HTTPX__INF_EOB;
    if (sym < 286)
        return HTTPX__INF_LEN | (uint32_t)httpx__inf_len_extra[sym - 257] << 8 |
               (uint32_t)httpx__inf_len_base[sym - 257] << 16;
    return 0;   /* length codes 286 and 287 */
}

/* Fills table (cap entries, first level `bits` wide) for the canonical code
   of the lengths lens[0..n). NULL, or what is wrong with the lengths. As
   zlib does, a code with no symbols at all is accepted (any use of it is
   then an error), and so is an incomplete code when it is a single code of
   one bit (RFC 1951 3.2.7's one distance code), except for the code-length
   code, which must be complete. */
static const char *httpx__inf_build(uint32_t *table, unsigned cap, unsigned bits, const unsigned char *lens,
                                    unsigned n, int kind) {
    unsigned count[16], left_count[16], offs[16], max, len, i, sym, code, next_sub, subbits = 0;
    unsigned short sorted[320];
    unsigned prefix = ~0u, sub_base = 0, size = 1u << bits;
    int left;
    memset(count, 0, sizeof count);
    for (sym = 0; sym < n; sym++) count[lens[sym]]++;
    count[0] = 0;
    for (max = 15; max > 0 && count[max] == 0; max--) {}
    if (max == 0) {
        for (i = 0; i < size; i++) table[i] = 1;   /* nothing valid: a 1-bit code of no kind */
        return NULL;
    }
    left = 1;
    for (len = 1; len <= 15; len++) {
        left = left * 2 - (int)count[len];
        if (left < 0) return "over-subscribed code lengths";
    }
    if (left > 0 && (kind == HTTPX__INF_KIND_PRE || max != 1)) return "incomplete code lengths";
    if (left > 0)
        for (i = 0; i < size; i++) table[i] = 1;
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    for (sym = 0; sym < n; sym++)
        if (lens[sym]) sorted[offs[lens[sym]]++] = (unsigned short)sym;
    memcpy(left_count, count, sizeof count);
    next_sub = size;
    code = 0;
    i = 0;
    for (len = 1; len <= max; len++, code <<= 1) {
        unsigned k;
        for (k = 0; k < count[len]; k++, code++) {
            unsigned rev = httpx__inf_reverse(code, len), j;
            uint32_t en = httpx__inf_meaning(kind, sorted[i++]) | len;
            if (len <= bits) {
                for (j = rev; j < size; j += 1u << len) table[j] = en;
            } else {
                if ((rev & (size - 1)) != prefix) {
                    /* a new second-level table: as wide as the longest code
                       that shares this prefix needs (codes come shortest first) */
                    unsigned curr = len - bits;
                    int room = 1 << curr;
                    while (curr + bits < max) {
                        room -= (int)left_count[curr + bits];
                        if (room <= 0) break;
                        curr++;
                        room <<= 1;
                    }
                    subbits = curr;
                    prefix = rev & (size - 1);
                    sub_base = next_sub;
                    next_sub += 1u << subbits;
                    if (next_sub > cap) return "code too large for the tables";
                    table[prefix] = HTTPX__INF_SUB | (uint32_t)sub_base << 16 | (uint32_t)subbits << 8 | bits;
                }
                for (j = rev >> bits; j < (1u << subbits); j += 1u << (len - bits)) table[sub_base + j] = en;
            }
            left_count[len]--;
        }
    }
    return NULL;
}

static void httpx__inf_fixed(httpx__inflate *z) {
    unsigned i;
    for (i = 0; i < 144; i++) z->lens[i] = 8;
    for (; i < 256; i++) z->lens[i] = 9;
    for (; i < 280; i++) z->lens[i] = 7;
    for (; i < 288; i++) z->lens[i] = 8;
    for (; i < 288 + 32; i++) z->lens[i] = 5;
    /* the fixed code is complete: building cannot fail */
    (void)httpx__inf_build(z->litlen, HTTPX__INFLATE_LITLEN_ENOUGH, HTTPX__INFLATE_LITLEN_BITS, z->lens, 288,
                           HTTPX__INF_KIND_LITLEN);
    (void)httpx__inf_build(z->dist, HTTPX__INFLATE_DIST_ENOUGH, HTTPX__INFLATE_DIST_BITS, z->lens + 288, 32,
                           HTTPX__INF_KIND_DIST);
    z->tables = 1;
}

/* ---- the bit buffer, slowly ---- */

static bool httpx__inf_need(httpx__inflate *z, httpx__inf_io *io, unsigned n) {
    while (z->bitcount < n) {
        if (io->in == io->end) return false;
        z->bitbuf |= (uint64_t)*io->in++ << z->bitcount;
        z->bitcount += 8;
    }
    return true;
}

static void httpx__inf_drop(httpx__inflate *z, unsigned n) {   /* n <= bitcount, any size */
    z->bitbuf >>= n;
    z->bitcount -= n;
}

static unsigned httpx__inf_bits(httpx__inflate *z, unsigned n) {   /* n <= 16 */
    unsigned v = (unsigned)(z->bitbuf & ((1u << n) - 1));
    z->bitbuf >>= n;
    z->bitcount -= n;
    return v;
}

/* One byte of a header or trailer (whole bytes: the bit buffer is aligned
   there): what is left in the bit buffer first. -1 when the input ran out. */
static int httpx__inf_byte(httpx__inflate *z, httpx__inf_io *io) {
    if (z->bitcount >= 8) return (int)httpx__inf_bits(z, 8);
    if (io->in == io->end) return -1;
    return *io->in++;
}

/* The entry for the symbol `skip` bits into the bit buffer, once that symbol
   and its extra bits are all there (bytes are pulled until then; nothing is
   taken). False when the input runs out first. A look-up with fewer bits
   than the table's width is right whenever the entry's code fits in the bits
   there are: the bits above are zeros, and every entry of a code shorter
   than the width is repeated for every value of the bits past it. */
static bool httpx__inf_peek(httpx__inflate *z, httpx__inf_io *io, const uint32_t *t, unsigned bits, unsigned skip,
                            uint32_t *entry) {
    for (;;) {
        uint64_t b = z->bitbuf >> skip;
        uint32_t en = t[b & ((1u << bits) - 1)];
        unsigned need;
        if (en & HTTPX__INF_SUB) en = t[(en >> 16) + ((b >> bits) & ((1u << ((en >> 8) & 15)) - 1))];
        need = skip + (en & 0xFF) + ((en & HTTPX__INF_LEN) ? (en >> 8) & 15 : 0);
        if (need <= z->bitcount) { *entry = en; return true; }
        if (io->in == io->end) return false;
        z->bitbuf |= (uint64_t)*io->in++ << z->bitcount;
        z->bitcount += 8;
    }
}

/* The value of a length or distance entry whose code starts `skip` bits in. */
static unsigned httpx__inf_value(const httpx__inflate *z, uint32_t en, unsigned skip) {
    unsigned extra = (en >> 8) & 15;
    return (en >> 16) + (unsigned)((z->bitbuf >> (skip + (en & 0xFF))) & ((1u << extra) - 1));
}

static unsigned httpx__inf_size(uint32_t en) {   /* code and extra bits of an entry */
    return (en & 0xFF) + ((en & HTTPX__INF_LEN) ? (en >> 8) & 15 : 0);
}

/* ---- the fast loop ---- */

static uint64_t httpx__inf_le64(const unsigned char *p) {
    return (uint64_t)httpx__inf_le32(p) | (uint64_t)httpx__inf_le32(p + 4) << 32;
}

/* Decodes while at least 16 bytes of input and 262 of room are left.
   Returns 0 (go on in the slow path: an end of block, or too near an end),
   or HTTPX__BAD. */
static int httpx__inf_fast(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    const unsigned char *in = io->in, *in_end = io->end;
    unsigned char *win = z->win, *out = win + z->pos, *out_lim = win + HTTPX__INF_LIMIT - 262;
    uint64_t bb = z->bitbuf;
    unsigned bc = z->bitcount;
    const uint32_t *lt = z->litlen, *dt = z->dist;
    const uint64_t lmask = (1u << HTTPX__INFLATE_LITLEN_BITS) - 1, dmask = (1u << HTTPX__INFLATE_DIST_BITS) - 1;
    const char *err = NULL;
    /* Loads as many whole bytes as fit: bc becomes 56..63. The bits loaded
       above bc belong to bytes not taken yet; the next load puts the same
       values there again. */
#define HTTPX__INF_REFILL()                                       \
    do {                                                          \
        bb |= httpx__inf_le64(in) << bc;                          \
        in += (63 - bc) >> 3;                                     \
        bc |= 56;                                                 \
    } while (0)
#define HTTPX__INF_LOOKUP(t, mask, width, en)                                                     \
    do {                                                                                          \
        en = t[bb & (mask)];                                                                      \
        if (en & HTTPX__INF_SUB) en = t[(en >> 16) + ((bb >> (width)) & ((1u << ((en >> 8) & 15)) - 1))]; \
    } while (0)
    while (in_end - in >= 16 && out < out_lim) {
        uint32_t en;
        unsigned cl, ex, len, dist;
        HTTPX__INF_REFILL();
        HTTPX__INF_LOOKUP(lt, lmask, HTTPX__INFLATE_LITLEN_BITS, en);
        if (en & HTTPX__INF_LIT) {
            /* after a literal (15 bits at most) 41 remain: enough for
               another code, not for a length/distance pair */
            cl = en & 0xFF;
            bb >>= cl; bc -= cl;
            *out++ = (unsigned char)(en >> 16);
            HTTPX__INF_LOOKUP(lt, lmask, HTTPX__INFLATE_LITLEN_BITS, en);
            if (en & HTTPX__INF_LIT) {
                cl = en & 0xFF;
                bb >>= cl; bc -= cl;
                *out++ = (unsigned char)(en >> 16);
                continue;
            }
            HTTPX__INF_REFILL();   /* 16 bytes were there, at most 7 taken */
        }
        if (en & HTTPX__INF_LEN) {
            cl = en & 0xFF; ex = (en >> 8) & 15;
            len = (en >> 16) + (unsigned)((bb >> cl) & ((1u << ex) - 1));
            bb >>= cl + ex; bc -= cl + ex;
            HTTPX__INF_LOOKUP(dt, dmask, HTTPX__INFLATE_DIST_BITS, en);
            if (!(en & HTTPX__INF_LEN)) { err = "invalid distance code"; break; }
            cl = en & 0xFF; ex = (en >> 8) & 15;
            dist = (en >> 16) + (unsigned)((bb >> cl) & ((1u << ex) - 1));
            bb >>= cl + ex; bc -= cl + ex;
            if (dist > (size_t)(out - win)) { err = "distance too far back"; break; }
            {
                const unsigned char *src = out - dist;
                unsigned char *end = out + len;
                if (dist >= 8) {
                    /* each word read lies wholly before the write position;
                       up to 7 bytes past the match are written, into room
                       that is written again later */
                    do { memcpy(out, src, 8); out += 8; src += 8; } while (out < end);
                } else if (dist == 1) {
                    memset(out, *src, len);
                } else {
                    do { *out++ = *src++; } while (out < end);
                }
                out = end;
            }
        } else if (en & HTTPX__INF_EOB) {
            cl = en & 0xFF;
            bb >>= cl; bc -= cl;
            z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
            break;
        } else {
            err = "invalid literal/length code";
            break;
        }
    }
#undef HTTPX__INF_REFILL
#undef HTTPX__INF_LOOKUP
    io->in = in;
    z->pos = (size_t)(out - win);
    z->bitbuf = bb & (((uint64_t)1 << bc) - 1);
    z->bitcount = bc;
    if (err) return httpx__inf_bad(z, io, e, err);
    return 0;
}

/* ---- the slow path, one step at a time ---- */

/* One symbol, or the rest of a match. 1 progress, 0 room full (return 1 to
   the caller), HTTPX__AGAIN, HTTPX__BAD. */
static int httpx__inf_symbol(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    uint32_t en, de;
    unsigned skip, len, dist;
    if (!httpx__inf_peek(z, io, z->litlen, HTTPX__INFLATE_LITLEN_BITS, 0, &en)) return HTTPX__AGAIN;
    if (en & HTTPX__INF_LIT) {
        if (z->pos == HTTPX__INF_LIMIT) return 0;
        z->win[z->pos++] = (unsigned char)(en >> 16);
        httpx__inf_bits(z, en & 0xFF);
        return 1;
    }
    if (en & HTTPX__INF_EOB) {
        httpx__inf_bits(z, en & 0xFF);
        z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
        return 1;
    }
    if (!(en & HTTPX__INF_LEN)) return httpx__inf_bad(z, io, e, "invalid literal/length code");
    skip = httpx__inf_size(en);
    if (!httpx__inf_peek(z, io, z->dist, HTTPX__INFLATE_DIST_BITS, skip, &de)) return HTTPX__AGAIN;
    if (!(de & HTTPX__INF_LEN)) return httpx__inf_bad(z, io, e, "invalid distance code");
    len = httpx__inf_value(z, en, 0);
    dist = httpx__inf_value(z, de, skip);
    if (dist > z->pos) return httpx__inf_bad(z, io, e, "distance too far back");
    httpx__inf_drop(z, skip + httpx__inf_size(de));
    z->copy_len = len;
    z->copy_dist = dist;
    z->state = HTTPX__INF_COPY;
    return 1;
}

static int httpx__inf_copy(httpx__inflate *z) {
    size_t room = HTTPX__INF_LIMIT - z->pos, n = z->copy_len < room ? z->copy_len : room, i;
    unsigned char *out = z->win + z->pos;
    const unsigned char *src = out - z->copy_dist;
    for (i = 0; i < n; i++) out[i] = src[i];
    z->pos += n;
    z->copy_len -= (unsigned)n;
    if (z->copy_len) return 0;
    z->state = HTTPX__INF_HUFF;
    return 1;
}

static int httpx__inf_stored(httpx__inflate *z, httpx__inf_io *io) {
    while (z->stored_left > 0) {
        size_t room = HTTPX__INF_LIMIT - z->pos, n;
        if (room == 0) return 0;
        if (z->bitcount >= 8) {   /* bytes the bit buffer took ahead */
            z->win[z->pos++] = (unsigned char)httpx__inf_bits(z, 8);
            z->stored_left--;
            continue;
        }
        if (io->in == io->end) return HTTPX__AGAIN;
        n = (size_t)(io->end - io->in);
        if (n > room) n = room;
        if (n > z->stored_left) n = z->stored_left;
        memcpy(z->win + z->pos, io->in, n);
        io->in += n;
        z->pos += n;
        z->stored_left -= (unsigned)n;
    }
    z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_block(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned type;
    if (!httpx__inf_need(z, io, 3)) return HTTPX__AGAIN;
    z->last = httpx__inf_bits(z, 1) != 0;
    type = httpx__inf_bits(z, 2);
    if (type == 0) {
        z->bitbuf >>= z->bitcount & 7;   /* a stored block starts on a byte */
        z->bitcount &= ~7u;
        z->state = HTTPX__INF_STORED_HEAD;
    } else if (type == 1) {
        if (z->tables != 1) httpx__inf_fixed(z);
        z->state = HTTPX__INF_HUFF;
    } else if (type == 2) {
        z->state = HTTPX__INF_DYN;
    } else {
        return httpx__inf_bad(z, io, e, "invalid block type 3");
    }
    return 1;
}

static int httpx__inf_dyn_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    if (!httpx__inf_need(z, io, 14)) return HTTPX__AGAIN;
    z->nlit = 257 + httpx__inf_bits(z, 5);
    z->ndist = 1 + httpx__inf_bits(z, 5);
    z->ncode = 4 + httpx__inf_bits(z, 4);
    if (z->nlit > 286 || z->ndist > 30) return httpx__inf_bad(z, io, e, "too many length or distance symbols");
    memset(z->lens, 0, 19);
    z->nlen = 0;
    z->tables = 0;
    z->state = HTTPX__INF_DYN_PRE;
    return 1;
}

static int httpx__inf_dyn_pre(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    const char *why;
    while (z->nlen < z->ncode) {
        if (!httpx__inf_need(z, io, 3)) return HTTPX__AGAIN;
        z->lens[httpx__inf_pre_order[z->nlen++]] = (unsigned char)httpx__inf_bits(z, 3);
    }
    why = httpx__inf_build(z->pre, 128, 7, z->lens, 19, HTTPX__INF_KIND_PRE);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed code-length code"
                                                              : "incomplete code-length code");
    z->nlen = 0;
    z->state = HTTPX__INF_DYN_LENS;
    return 1;
}

static int httpx__inf_dyn_lens(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned total = z->nlit + z->ndist;
    const char *why;
    while (z->nlen < total) {
        uint32_t en;
        unsigned sym, cl, rep;
        unsigned char fill = 0;
        if (!httpx__inf_peek(z, io, z->pre, 7, 0, &en)) return HTTPX__AGAIN;
        if (!(en & HTTPX__INF_LIT)) return httpx__inf_bad(z, io, e, "invalid code-length code");
        sym = en >> 16;
        cl = en & 0xFF;
        if (sym < 16) {
            httpx__inf_bits(z, cl);
            z->lens[z->nlen++] = (unsigned char)sym;
            continue;
        }
        {
            unsigned extra = sym == 16 ? 2 : sym == 17 ? 3 : 7;
            if (!httpx__inf_need(z, io, cl + extra)) return HTTPX__AGAIN;
            if (sym == 16) {
                if (z->nlen == 0) return httpx__inf_bad(z, io, e, "repeated code length with none before");
                fill = z->lens[z->nlen - 1];
            }
            httpx__inf_bits(z, cl);
            rep = httpx__inf_bits(z, extra) + (sym == 16 ? 3 : sym == 17 ? 3 : 11);
        }
        if (z->nlen + rep > total) return httpx__inf_bad(z, io, e, "code lengths repeated past the end");
        memset(z->lens + z->nlen, fill, rep);
        z->nlen += rep;
    }
    if (z->lens[256] == 0) return httpx__inf_bad(z, io, e, "no end-of-block code");
    why = httpx__inf_build(z->litlen, HTTPX__INFLATE_LITLEN_ENOUGH, HTTPX__INFLATE_LITLEN_BITS, z->lens, z->nlit,
                           HTTPX__INF_KIND_LITLEN);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed literal/length code"
                                                            : "incomplete literal/length code");
    why = httpx__inf_build(z->dist, HTTPX__INFLATE_DIST_ENOUGH, HTTPX__INFLATE_DIST_BITS, z->lens + z->nlit,
                           z->ndist, HTTPX__INF_KIND_DIST);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed distance code"
                                                            : "incomplete distance code");
    z->tables = 2;
    z->state = HTTPX__INF_HUFF;
    return 1;
}

/* ---- wrappers ---- */

static void httpx__inf_member_start(httpx__inflate *z) {
    z->check = 0;
    z->hcrc = 0;
    z->member_out = 0;
    z->state = HTTPX__INF_HEAD;
    z->hstate = HTTPX__INF_H_START;
}

/* A header byte of a gzip member, through the header's CRC. */
static int httpx__inf_gzbyte(httpx__inflate *z, httpx__inf_io *io) {
    int c = httpx__inf_byte(z, io);
    if (c >= 0) {
        unsigned char b = (unsigned char)c;
        z->hcrc = httpx__inf_crc32((const uint32_t (*)[256])z->crc_table, z->hcrc, &b, 1);
    }
    return c;
}

/* The next header field after `from` that the flags say is there. */
static int httpx__inf_gz_next(unsigned flags, int from) {
    if (from < HTTPX__INF_H_XLEN1 && (flags & 4)) return HTTPX__INF_H_XLEN1;      /* FEXTRA */
    if (from < HTTPX__INF_H_NAME && (flags & 8)) return HTTPX__INF_H_NAME;        /* FNAME */
    if (from < HTTPX__INF_H_COMMENT && (flags & 16)) return HTTPX__INF_H_COMMENT; /* FCOMMENT */
    if (from < HTTPX__INF_H_HCRC1 && (flags & 2)) return HTTPX__INF_H_HCRC1;      /* FHCRC */
    return HTTPX__INF_H_END;
}

static int httpx__inf_gzip_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    while (z->hstate != HTTPX__INF_H_END) {
        int h = z->hstate;
        int c = h >= HTTPX__INF_H_HCRC1 ? httpx__inf_byte(z, io) : httpx__inf_gzbyte(z, io);
        if (c < 0) return HTTPX__AGAIN;
        switch (h) {
        case HTTPX__INF_H_START:
        case HTTPX__INF_H_ID2:
            if (c != (h == HTTPX__INF_H_START ? 0x1F : 0x8B))
                return httpx__inf_bad(z, io, e, "not a gzip stream (no magic bytes)");
            z->hstate = h + 1;
            break;
        case HTTPX__INF_H_CM:
            if (c != 8) return httpx__inf_bad(z, io, e, "unknown compression method");
            z->hstate = HTTPX__INF_H_FLG;
            break;
        case HTTPX__INF_H_FLG:
            if (c & 0xE0) return httpx__inf_bad(z, io, e, "reserved header flags set");
            z->gzflags = (unsigned)c;
            z->hleft = 6;   /* MTIME, XFL, OS */
            z->hstate = HTTPX__INF_H_FIXED;
            break;
        case HTTPX__INF_H_FIXED:
            if (--z->hleft == 0) z->hstate = httpx__inf_gz_next(z->gzflags, h);
            break;
        case HTTPX__INF_H_XLEN1:
            z->hleft = (unsigned)c;
            z->hstate = HTTPX__INF_H_XLEN2;
            break;
        case HTTPX__INF_H_XLEN2:
            z->hleft |= (unsigned)c << 8;
            z->hstate = z->hleft ? HTTPX__INF_H_EXTRA : httpx__inf_gz_next(z->gzflags, HTTPX__INF_H_EXTRA);
            break;
        case HTTPX__INF_H_EXTRA:
            if (--z->hleft == 0) z->hstate = httpx__inf_gz_next(z->gzflags, h);
            break;
        case HTTPX__INF_H_NAME:
        case HTTPX__INF_H_COMMENT:
            if (c == 0) z->hstate = httpx__inf_gz_next(z->gzflags, h);
            break;
        case HTTPX__INF_H_HCRC1:
            z->trailer = (unsigned)c;
            z->hstate = HTTPX__INF_H_HCRC2;
            break;
        default:   /* HTTPX__INF_H_HCRC2 */
            z->trailer |= (unsigned)c << 8;
            if (z->trailer != (z->hcrc & 0xFFFF)) return httpx__inf_bad(z, io, e, "header CRC mismatch");
            z->hstate = HTTPX__INF_H_END;
            break;
        }
    }
    z->trailer = 0;
    z->state = HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_zlib_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned cmf, flg;
    if (!httpx__inf_need(z, io, 16)) return HTTPX__AGAIN;
    cmf = (unsigned)(z->bitbuf & 0xFF);
    flg = (unsigned)((z->bitbuf >> 8) & 0xFF);
    if (z->wrap == HTTPX__INFLATE_DEFLATE) {
        /* Content-Encoding: deflate is zlib (RFC 9110 8.4.1.2), but some
           servers send raw deflate, and a few gzip: the first two bytes tell
           them apart (0x1F cannot start a valid raw stream: block type 3) */
        if (cmf == 0x1F && flg == 0x8B) {
            z->wrap = HTTPX__INFLATE_GZIP;
            httpx__inf_member_start(z);
            return 1;
        }
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || (cmf << 8 | flg) % 31 != 0) {
            z->wrap = HTTPX__INFLATE_RAW;
            z->state = HTTPX__INF_BLOCK;
            return 1;
        }
        z->wrap = HTTPX__INFLATE_ZLIB;
    }
    if ((cmf & 0x0F) != 8) return httpx__inf_bad(z, io, e, "unknown compression method");
    if ((cmf >> 4) > 7) return httpx__inf_bad(z, io, e, "window size over 32 KiB");
    if ((cmf << 8 | flg) % 31 != 0) return httpx__inf_bad(z, io, e, "header check failed");
    if (flg & 0x20) return httpx__inf_bad(z, io, e, "a preset dictionary is needed");
    httpx__inf_bits(z, 16);
    z->check = 1;
    z->state = HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_trailer(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    if (z->hleft == 0) {   /* first time here: the trailer starts on a byte */
        z->bitbuf >>= z->bitcount & 7;
        z->bitcount &= ~7u;
        z->hleft = z->wrap == HTTPX__INFLATE_GZIP ? 8 : z->wrap == HTTPX__INFLATE_ZLIB ? 4 : 0;
        z->trailer = 0;
        httpx__inf_sum(z);
        if (z->hleft == 0) { z->state = HTTPX__INF_DONE; return 1; }
    }
    while (z->hleft > 0) {
        int c = httpx__inf_byte(z, io);
        if (c < 0) return HTTPX__AGAIN;
        z->hleft--;
        if (z->wrap == HTTPX__INFLATE_ZLIB) {
            z->trailer = z->trailer << 8 | (unsigned)c;
        } else {
            z->trailer |= (uint32_t)c << (8 * ((7 - z->hleft) & 3));
            if (z->hleft == 4) {
                if (z->trailer != z->check) return httpx__inf_bad(z, io, e, "CRC-32 mismatch");
                z->trailer = 0;
            }
        }
    }
    if (z->wrap == HTTPX__INFLATE_ZLIB && z->trailer != z->check)
        return httpx__inf_bad(z, io, e, "Adler-32 mismatch");
    if (z->wrap == HTTPX__INFLATE_GZIP) {
        if (z->trailer != z->member_out) return httpx__inf_bad(z, io, e, "length (ISIZE) mismatch");
        z->members++;
    }
    z->state = HTTPX__INF_DONE;
    return 1;
}

/* After the end: another gzip member, or bytes to skip. Clients built on
   zlib (curl, Python's HTTPX) ignore what follows a complete stream, and
   what came before it was whole and checked, so it is skipped and counted
   rather than failing a good body. */
static int httpx__inf_after(httpx__inflate *z, httpx__inf_io *io) {
    if (z->state == HTTPX__INF_DONE && z->wrap == HTTPX__INFLATE_GZIP) {
        if (!httpx__inf_need(z, io, 16)) return 0;
        if ((z->bitbuf & 0xFFFF) == 0x8B1F) {
            httpx__inf_member_start(z);
            return 1;
        }
    }
    if (z->state == HTTPX__INF_DONE && io->in == io->end && z->bitcount == 0) return 0;
    z->state = HTTPX__INF_IGNORE;
    z->ignored += z->bitcount / 8 + (uint64_t)(io->end - io->in);
    z->bitbuf = 0;
    z->bitcount = 0;
    io->in = io->end;
    return 0;
}

/* Runs the state machine until the input, the room or the stream ends. */
static int httpx__inf_run(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    for (;;) {
        int rc;
        switch (z->state) {
        case HTTPX__INF_HEAD:
            rc = z->wrap == HTTPX__INFLATE_GZIP ? httpx__inf_gzip_head(z, io, e) : httpx__inf_zlib_head(z, io, e);
            break;
        case HTTPX__INF_BLOCK: rc = httpx__inf_block(z, io, e); break;
        case HTTPX__INF_STORED_HEAD:
            if (!httpx__inf_need(z, io, 32)) return HTTPX__AGAIN;
            if ((z->bitbuf & 0xFFFF) != (~z->bitbuf >> 16 & 0xFFFF))
                return httpx__inf_bad(z, io, e, "stored block length does not match its complement");
            z->stored_left = httpx__inf_bits(z, 16);
            httpx__inf_bits(z, 16);
            z->state = HTTPX__INF_STORED;
            rc = 1;
            break;
        case HTTPX__INF_STORED: rc = httpx__inf_stored(z, io); break;
        case HTTPX__INF_DYN: rc = httpx__inf_dyn_head(z, io, e); break;
        case HTTPX__INF_DYN_PRE: rc = httpx__inf_dyn_pre(z, io, e); break;
        case HTTPX__INF_DYN_LENS: rc = httpx__inf_dyn_lens(z, io, e); break;
        case HTTPX__INF_HUFF:
            if (io->end - io->in >= 16 && z->pos < HTTPX__INF_LIMIT - 262) {
                if (httpx__inf_fast(z, io, e) != 0) return HTTPX__BAD;
                continue;
            }
            rc = httpx__inf_symbol(z, io, e);
            break;
        case HTTPX__INF_COPY: rc = httpx__inf_copy(z); break;
        case HTTPX__INF_TRAILER: rc = httpx__inf_trailer(z, io, e); break;
        case HTTPX__INF_DONE:
        case HTTPX__INF_IGNORE:
            rc = httpx__inf_after(z, io);
            if (rc == 0) return 0;
            break;
        default:
            httpx__fail(e, HTTPX_ERR_DECODING, "inflate: called again after an error");
            return HTTPX__BAD;
        }
        if (rc == 0) return 1;   /* the room is full */
        if (rc != 1) return rc;
    }
}

/* ---- the interface ---- */

HTTPX__PRIVATE void httpx__inflate_init(httpx__inflate *z, enum httpx__inflate_wrap wrap) {
    memset(z, 0, offsetof(httpx__inflate, lens));
    z->wrap = wrap;
    z->state = wrap == HTTPX__INFLATE_RAW ? HTTPX__INF_BLOCK : HTTPX__INF_HEAD;
    if (wrap == HTTPX__INFLATE_GZIP || wrap == HTTPX__INFLATE_DEFLATE) httpx__inf_crc_init(z->crc_table);
}

HTTPX__PRIVATE int httpx__inflate_step(httpx__inflate *z, const void *in, size_t n, size_t *used,
                                       const unsigned char **out, size_t *outn, httpx__err *e) {
    static const unsigned char none[1] = {0};
    httpx__inf_io io;
    size_t start;
    int rc;
    io.start = io.in = n ? (const unsigned char *)in : none;
    io.end = io.in + n;
    *used = 0;
    *out = z->win;
    *outn = 0;
    /* Slide once the room is nearly used up: the last 32 KiB stay as history. */
    if (z->pos > HTTPX__INFLATE_HISTORY && HTTPX__INF_LIMIT - z->pos < 2048) {
        memmove(z->win, z->win + z->pos - HTTPX__INFLATE_HISTORY, HTTPX__INFLATE_HISTORY);
        z->pos = z->ckpos = HTTPX__INFLATE_HISTORY;
    }
    start = z->pos;
    rc = httpx__inf_run(z, &io, e);
    *used = (size_t)(io.in - io.start);
    z->total_in += *used;
    if (rc == HTTPX__BAD) {
        z->state = HTTPX__INF_FAILED;
        return HTTPX__BAD;
    }
    httpx__inf_sum(z);
    *out = z->win + start;
    *outn = z->pos - start;
    return rc;
}

HTTPX__PRIVATE int httpx__inflate_finish(const httpx__inflate *z, httpx__err *e) {
    static const char *const names[] = {"raw deflate", "zlib", "gzip", "deflate"};
    const char *where;
    switch (z->state) {
    case HTTPX__INF_DONE: case HTTPX__INF_IGNORE: return 0;
    case HTTPX__INF_FAILED:
        httpx__fail(e, HTTPX_ERR_DECODING, "inflate: the stream failed earlier");
        return HTTPX__BAD;
    case HTTPX__INF_HEAD: where = "in its header"; break;
    case HTTPX__INF_TRAILER: where = "in its trailer"; break;
    default: where = "inside a block"; break;
    }
    httpx__fail(e, HTTPX_ERR_DECODING, "truncated %s data: the body ends %s (after %llu bytes in, %llu out)",
                names[z->wrap], where, (unsigned long long)z->total_in, (unsigned long long)z->total_out);
    return HTTPX__BAD;
}

/* ---- Content-Encoding: layers and limits ---- */

HTTPX__PRIVATE void httpx__cdec_free(httpx__cdec *d) {
    unsigned i;
    for (i = 0; i < d->nlayers; i++) httpx__free(d->layer[i]);
    d->nlayers = 0;
}

HTTPX__PRIVATE int httpx__cdec_init(httpx__cdec *d, const char *value, size_t n, uint64_t max_out,
                                    unsigned max_ratio, httpx__err *e) {
    enum httpx__inflate_wrap wraps[HTTPX__CDEC_MAX_LAYERS];
    unsigned count = 0, i;
    size_t at = 0;
    memset(d, 0, sizeof *d);
    d->max_out = max_out;
    d->max_ratio = max_ratio;
    while (at < n) {
        size_t s, t;
        httpx__str tok;
        while (at < n && (value[at] == ',' || value[at] == ' ' || value[at] == '\t')) at++;
        s = at;
        while (at < n && value[at] != ',') at++;
        t = at;
        while (t > s && (value[t - 1] == ' ' || value[t - 1] == '\t')) t--;
        if (t == s) continue;
        tok.p = value + s;
        tok.n = t - s;
        if (httpx__str_ieq(tok, "identity")) continue;
        if (count == HTTPX__CDEC_MAX_LAYERS) {
            httpx__fail(e, HTTPX_ERR_DECODING, "Content-Encoding: more than %d layers", HTTPX__CDEC_MAX_LAYERS);
            return HTTPX__BAD;
        }
        if (httpx__str_ieq(tok, "gzip") || httpx__str_ieq(tok, "x-gzip")) wraps[count++] = HTTPX__INFLATE_GZIP;
        else if (httpx__str_ieq(tok, "deflate")) wraps[count++] = HTTPX__INFLATE_DEFLATE;
        else {
            httpx__fail(e, HTTPX_ERR_DECODING, "Content-Encoding: unknown coding \"%.*s\"", (int)(tok.n > 40 ? 40 : tok.n),
                        tok.p);
            return HTTPX__BAD;
        }
    }
    /* the codings are listed in the order they were applied: undo the last first */
    for (i = 0; i < count; i++) {
        httpx__inflate *z = (httpx__inflate *)httpx__malloc(sizeof *z);
        if (!z) {
            httpx__cdec_free(d);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a decoder");
            return HTTPX__BAD;
        }
        httpx__inflate_init(z, wraps[count - 1 - i]);
        d->layer[d->nlayers++] = z;
    }
    return (int)count;
}

/* Output of the last layer: the limits, then the sink. */
static int httpx__cdec_out(httpx__cdec *d, const unsigned char *p, size_t n, httpx__cdec_sink sink, void *ctx,
                           httpx__err *e) {
    if (n == 0) return 0;
    d->out += n;
    if (d->max_out && d->out > d->max_out) {
        httpx__fail(e, HTTPX_ERR_DECODING, "decompressed body over the limit of %llu bytes (a decompression bomb?)",
                    (unsigned long long)d->max_out);
        return HTTPX__BAD;
    }
    if (d->max_ratio && d->out > HTTPX__CDEC_RATIO_FLOOR && d->out / (d->wire ? d->wire : 1) >= d->max_ratio) {
        httpx__fail(e, HTTPX_ERR_DECODING,
                    "decompressed body %llu bytes from %llu: over %u times larger (a decompression bomb?)",
                    (unsigned long long)d->out, (unsigned long long)d->wire, d->max_ratio);
        return HTTPX__BAD;
    }
    if (sink(ctx, p, n) != 0) {
        httpx__fail(e, HTTPX_ERR_DECODING, "stopped by the sink");
        return HTTPX__BAD;
    }
    return 0;
}

static int httpx__cdec_layer(httpx__cdec *d, unsigned i, const unsigned char *in, size_t n, httpx__cdec_sink sink,
                             void *ctx, httpx__err *e) {
    size_t off = 0;
    int rc = HTTPX__AGAIN;
    if (i == d->nlayers) return httpx__cdec_out(d, in, n, sink, ctx, e);
    while (off < n || rc == 1) {
        size_t used, outn;
        const unsigned char *out;
        rc = httpx__inflate_step(d->layer[i], in + off, n - off, &used, &out, &outn, e);
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        off += used;
        if (outn && httpx__cdec_layer(d, i + 1, out, outn, sink, ctx, e) != 0) return HTTPX__BAD;
        if (rc != 1 && used == 0 && off < n) break;   /* a guard: a step takes all its input or fills the window */
    }
    return 0;
}

HTTPX__PRIVATE int httpx__cdec_feed(httpx__cdec *d, const void *in, size_t n, httpx__cdec_sink sink, void *ctx,
                                    httpx__err *e) {
    d->wire += n;
    if (n == 0) return 0;
    return httpx__cdec_layer(d, 0, (const unsigned char *)in, n, sink, ctx, e);
}

HTTPX__PRIVATE int httpx__cdec_finish(httpx__cdec *d, httpx__err *e) {
    unsigned i;
    for (i = 0; i < d->nlayers; i++)
        if (httpx__inflate_finish(d->layer[i], e) != 0) return HTTPX__BAD;
    return 0;
}

#endif /* HTTPX_NO_INFLATE */
/* End of inflate.c */

#if defined(HTTPX_LINES)
#line 8391 "httpx.h"
#endif
/* ======================================================================
   Begin file cookie_internal.h   (grep anchor: >>cookie_internal)
   ====================================================================== */
/* cookie.c: what the cookie jar offers the others (the client's policy
   layer when it is wired; the tool and the tests through the public API). */
#if defined(HTTPX_LINES)
#line 2 "tools/src/cookie_internal.h"
#endif
#ifndef HTTPX_COOKIE_INTERNAL_H
#define HTTPX_COOKIE_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */

/* ---- cookies: a jar as RFC 6265 section 5 has it (cookie.c) ----
   Pure but for the clock, which every call that needs it takes (Unix
   seconds), so that tests run on a fixed one. The caps below are per jar;
   a cookie over a cap is refused (too large) or evicts the least recently
   used one (of its domain, then of the jar). Private prefix: httpx__ck_. */
#ifndef HTTPX_NO_COOKIES
#ifndef HTTPX_COOKIE_MAX_SIZE
#define HTTPX_COOKIE_MAX_SIZE 4096          /* bytes of name + value (RFC 6265 section 6.1's minimum) */
#endif
#ifndef HTTPX_COOKIE_MAX_PER_DOMAIN
#define HTTPX_COOKIE_MAX_PER_DOMAIN 50      /* cookies per Domain (section 6.1's minimum) */
#endif
#ifndef HTTPX_COOKIE_MAX_TOTAL
#define HTTPX_COOKIE_MAX_TOTAL 3000         /* cookies in one jar (section 6.1's minimum) */
#endif
/* A cookie-date (section 5.1.1: every form its algorithm accepts) as Unix
   seconds; false when it is not one. */
HTTPX__PRIVATE bool httpx__cookie_date(const char *s, size_t n, int64_t *out);
/* Section 5.1.3 (a host that is an IP literal matches only itself) and 5.1.4. */
HTTPX__PRIVATE bool httpx__cookie_domain_match(const char *host, const char *domain);
HTTPX__PRIVATE bool httpx__cookie_path_match(const char *path, size_t n, const char *cookie_path);
/* A Domain that is a public suffix: any name without a dot, or one of a
   built-in list of common registries (co.uk, com.au, github.io, ...). */
HTTPX__PRIVATE bool httpx__cookie_public_suffix(const char *domain);
/* Stores the cookie of one Set-Cookie value s[0..n) received for u
   (section 5.2 and 5.3). HTTPX_OK when stored (or, with a past expiry,
   when it deleted its namesake); a refused cookie is HTTPX_ERR_INVALID_ARGUMENT
   or HTTPX_ERR_TOO_LARGE with e saying why (the exchange goes on: a server's
   bad cookie is not a failed request); HTTPX_ERR_NOMEM. */
HTTPX__PRIVATE httpx_error httpx__cookies_store(httpx_cookies *j, const httpx__url *u, const char *s, size_t n,
                                                int64_t now, httpx__err *e);
/* Every Set-Cookie of h (a response to u) into j; only HTTPX_ERR_NOMEM fails. */
HTTPX__PRIVATE httpx_error httpx__cookies_store_headers(httpx_cookies *j, const httpx__url *u, const httpx_headers *h,
                                                        int64_t now);
/* Appends the Cookie header's value for a request to u ("a=1; b=2"; nothing
   when no cookie applies) in section 5.4's order, Secure ones only over
   https; drops the expired ones. false when the allocator failed. */
HTTPX__PRIVATE bool httpx__cookies_header(httpx_cookies *j, const httpx__url *u, int64_t now, httpx__buf *out);
HTTPX__PRIVATE void httpx__cookies_expire(httpx_cookies *j, int64_t now);
/* The Netscape cookie file that curl's -b/-c read and write. Lines that are
   not cookies (malformed, or longer than any cookie kept) are skipped and
   counted, as curl skips them; expired cookies are not loaded or saved. */
HTTPX__PRIVATE httpx_error httpx__cookies_load_file(httpx_cookies *j, FILE *fp, int64_t now, size_t *skipped,
                                                    httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__cookies_save_file(const httpx_cookies *j, FILE *fp, int64_t now);
#endif /* HTTPX_NO_COOKIES */

#endif /* HTTPX_COOKIE_INTERNAL_H */
/* End of cookie_internal.h */

#if defined(HTTPX_LINES)
#line 8458 "httpx.h"
#endif
/* ======================================================================
   Begin file cookie.c   (grep anchor: >>cookie)
   ====================================================================== */
/* cookies: a jar as RFC 6265 section 5 describes a user agent's, pure (no I/O
   but the Netscape cookie-file load and save, no clock: every call that
   needs the time takes it). Private prefix: httpx__ck_. */
#if defined(HTTPX_LINES)
#line 3 "tools/src/cookie.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "cookie_internal.h": earlier in httpx.h */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#ifndef HTTPX_NO_COOKIES

/* One cookie. Its four strings live in one allocation that starts at name. */
typedef struct httpx__cookie {
    char *name, *value, *domain, *path;
    int64_t expires;            /* Unix seconds; HTTPX__COOKIE_FOREVER for a session cookie */
    int64_t created, accessed;  /* Unix seconds (created is kept across a replacement) */
    uint64_t seq;               /* creation order: the tie-break when the clock says "same" */
    char same_site[8];          /* "Strict", "Lax", "None" or "" */
    bool persistent, host_only, secure, http_only;
} httpx__cookie;

struct httpx_cookies {
    httpx__cookie *v;
    size_t n, cap;
    uint64_t seq;
    char msg[600];              /* why the last set_cookie, load or save failed */
};

#define HTTPX__COOKIE_FOREVER INT64_MAX
/* RFC 6265bis: an expiry is at most 400 days ahead (as browsers and curl). */
#define HTTPX__COOKIE_MAX_AGE ((int64_t)400 * 86400)

/* ---- dates: RFC 6265 section 5.1.1 ---- */

static bool httpx__ck_is_delim(unsigned char c) {
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) ||
           (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

static bool httpx__ck_digit(char c) { return c >= '0' && c <= '9'; }

/* The leading digits of t[0..n) as a number, when there are min..max of
   them (what follows them is then a non-digit or the end, as the grammar's
   "( non-digit *OCTET )" wants); -1 otherwise. *used gets their count. */
static int httpx__ck_digits(const char *t, size_t n, size_t min, size_t max, size_t *used) {
    size_t i = 0;
    int v = 0;
    while (i < n && httpx__ck_digit(t[i])) {
        if (i == max) return -1;
        v = v * 10 + (t[i] - '0');
        i++;
    }
    if (i < min) return -1;
    *used = i;
    return v;
}

static bool httpx__ck_time_token(const char *t, size_t n, int hms[3]) {
    size_t used, at = 0;
    int k;
    for (k = 0; k < 3; k++) {
        hms[k] = httpx__ck_digits(t + at, n - at, 1, 2, &used);
        if (hms[k] < 0) return false;
        at += used;
        if (k < 2) {
            if (at >= n || t[at] != ':') return false;
            at++;
        }
    }
    return true;
}

static int httpx__ck_month_token(const char *t, size_t n) {
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int m;
    if (n < 3) return -1;
    for (m = 0; m < 12; m++)
        if (httpx__mem_ieq(t, months + 3 * m, 3)) return m + 1;
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
   days_from_civil: exact for every year the parser lets through). */
static int64_t httpx__ck_days(int64_t y, int m, int d) {
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int httpx__ck_month_days(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

HTTPX__PRIVATE bool httpx__cookie_date(const char *s, size_t n, int64_t *out) {
    int hms[3] = {0, 0, 0}, dom = -1, month = -1, year = -1;
    bool have_time = false;
    size_t i = 0;
    while (i < n) {
        size_t start, len, used;
        int v;
        while (i < n && httpx__ck_is_delim((unsigned char)s[i])) i++;
        start = i;
        while (i < n && !httpx__ck_is_delim((unsigned char)s[i])) i++;
        len = i - start;
        if (len == 0) break;
        /* each token counts for the first production it matches that is still open */
        if (!have_time && httpx__ck_time_token(s + start, len, hms)) { have_time = true; continue; }
        if (dom < 0 && (v = httpx__ck_digits(s + start, len, 1, 2, &used)) >= 0) { dom = v; continue; }
        if (month < 0 && (v = httpx__ck_month_token(s + start, len)) > 0) { month = v; continue; }
        if (year < 0 && (v = httpx__ck_digits(s + start, len, 2, 4, &used)) >= 0) { year = v; continue; }
    }
    if (year >= 70 && year <= 99) year += 1900;
    else if (year >= 0 && year <= 69) year += 2000;
    if (!have_time || dom < 1 || month < 0 || year < 1601) return false;
    if (hms[0] > 23 || hms[1] > 59 || hms[2] > 59) return false;
    if (dom > httpx__ck_month_days(year, month)) return false;   /* "February 31" does not exist */
    *out = httpx__ck_days(year, month, dom) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
    return true;
}

/* ---- the request's side: host, path, scheme ---- */

/* The canonical host of a URL: lower case (the parser keeps it as written). */
static bool httpx__ck_host(const httpx__url *u, char *out, size_t cap) {
    size_t i;
    if (u->host.n == 0 || u->host.n >= cap) return false;
    for (i = 0; i < u->host.n; i++) out[i] = (char)httpx__lower((unsigned char)u->host.p[i]);
    out[u->host.n] = 0;
    return true;
}

/* A host that is an IP literal: IPv6 (the parser saw brackets) or dotted
   digits only. Such a host never domain-matches anything but itself. */
static bool httpx__ck_is_ip(const char *host) {
    size_t i, n = strlen(host);
    if (strchr(host, ':')) return true;
    if (n == 0) return false;
    for (i = 0; i < n; i++)
        if (!httpx__ck_digit(host[i]) && host[i] != '.') return false;
    return true;
}

/* RFC 6265 section 5.1.3. */
HTTPX__PRIVATE bool httpx__cookie_domain_match(const char *host, const char *domain) {
    size_t hn = strlen(host), dn = strlen(domain);
    if (hn == dn) return httpx__mem_ieq(host, domain, hn);
    if (dn == 0 || dn > hn || host[hn - dn - 1] != '.') return false;
    if (!httpx__mem_ieq(host + hn - dn, domain, dn)) return false;
    return !httpx__ck_is_ip(host);
}

/* RFC 6265 section 5.1.4: request path p[0..n) against a cookie's path. */
HTTPX__PRIVATE bool httpx__cookie_path_match(const char *p, size_t n, const char *cpath) {
    size_t cn = strlen(cpath);
    if (cn > n || memcmp(p, cpath, cn) != 0) return false;
    return cn == n || cpath[cn - 1] == '/' || p[cn] == '/';
}

/* The request path of u for matching: its path without the query, "/"
   when empty. */
static httpx__str httpx__ck_req_path(const httpx__url *u) {
    httpx__str p = u->path;
    if (p.n == 0 || p.p[0] != '/') { p.p = "/"; p.n = 1; }
    return p;
}

/* RFC 6265 section 5.1.4's default-path: up to the last '/', or "/". */
static httpx__str httpx__ck_default_path(const httpx__url *u) {
    httpx__str p = httpx__ck_req_path(u);
    size_t last = p.n;
    while (last > 0 && p.p[last - 1] != '/') last--;
    if (last <= 1) { p.p = "/"; p.n = 1; return p; }
    p.n = last - 1;
    return p;
}

/* ---- public suffixes ----
   A small list of the common ones (the full Public Suffix List is 250 KB
   and changes monthly): every top-level domain (a name without a dot) is
   one, and these second-level registries. README lists them. */
static const char *const httpx__ck_suffixes[] = {
    "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "nhs.uk", "sch.uk",
    "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
    "co.nz", "org.nz", "net.nz", "govt.nz", "ac.nz",
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
    "co.kr", "or.kr", "ne.kr", "go.kr", "ac.kr",
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn",
    "com.tw", "net.tw", "org.tw", "edu.tw", "gov.tw",
    "com.hk", "net.hk", "org.hk", "edu.hk", "gov.hk",
    "com.sg", "net.sg", "org.sg", "edu.sg", "gov.sg",
    "co.in", "net.in", "org.in", "gov.in", "ac.in", "firm.in", "gen.in", "ind.in",
    "com.br", "net.br", "org.br", "gov.br", "edu.br",
    "com.ar", "com.mx", "com.tr", "com.pl", "com.ru", "com.ua", "com.es", "com.pt",
    "co.za", "org.za", "gov.za", "ac.za", "co.il", "org.il", "ac.il",
    "co.id", "or.id", "ac.id", "go.id", "co.th", "in.th", "ac.th", "go.th",
    "com.my", "com.ph", "com.vn", "com.pk", "com.eg", "com.sa", "com.ng",
    "github.io", "gitlab.io", "herokuapp.com", "appspot.com", "blogspot.com",
    "cloudfront.net", "azurewebsites.net", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
    "s3.amazonaws.com", "web.app", "firebaseapp.com",
};

HTTPX__PRIVATE bool httpx__cookie_public_suffix(const char *domain) {
    size_t i;
    if (!strchr(domain, '.')) return true;
    for (i = 0; i < sizeof httpx__ck_suffixes / sizeof httpx__ck_suffixes[0]; i++)
        if (strlen(domain) == strlen(httpx__ck_suffixes[i]) &&
            httpx__mem_ieq(domain, httpx__ck_suffixes[i], strlen(domain)))
            return true;
    return false;
}

/* ---- the jar ---- */

static void httpx__ck_free_one(httpx__cookie *c) { httpx__free(c->name); }

static void httpx__ck_remove(httpx_cookies *j, size_t i) {
    httpx__ck_free_one(&j->v[i]);
    memmove(j->v + i, j->v + i + 1, (j->n - i - 1) * sizeof j->v[0]);
    j->n--;
}

/* Fills c's strings with one allocation. */
static bool httpx__ck_strings(httpx__cookie *c, httpx__str name, httpx__str value, httpx__str domain,
                              httpx__str path) {
    size_t total = name.n + value.n + domain.n + path.n + 4;
    char *p = (char *)httpx__malloc(total);
    if (!p) return false;
    c->name = p;
    memcpy(p, name.p, name.n); p[name.n] = 0; p += name.n + 1;
    c->value = p;
    if (value.n) memcpy(p, value.p, value.n);
    p[value.n] = 0; p += value.n + 1;
    c->domain = p;
    if (domain.n) memcpy(p, domain.p, domain.n);
    p[domain.n] = 0; p += domain.n + 1;
    c->path = p;
    memcpy(p, path.p, path.n); p[path.n] = 0;
    return true;
}

static httpx__str httpx__ck_s(const char *s) {
    httpx__str r;
    r.p = s ? s : "";
    r.n = s ? strlen(s) : 0;
    return r;
}

HTTPX__PRIVATE void httpx__cookies_expire(httpx_cookies *j, int64_t now) {
    size_t i = 0;
    while (i < j->n) {
        if (j->v[i].expires <= now) httpx__ck_remove(j, i);
        else i++;
    }
}

/* The cookie to evict among those whose domain is `domain` (NULL: all):
   the one used least recently, the oldest on a tie. */
static size_t httpx__ck_victim(const httpx_cookies *j, const char *domain) {
    size_t i, best = (size_t)-1;
    for (i = 0; i < j->n; i++) {
        const httpx__cookie *c = &j->v[i];
        if (domain && strcmp(c->domain, domain) != 0) continue;
        if (best == (size_t)-1 || c->accessed < j->v[best].accessed ||
            (c->accessed == j->v[best].accessed && c->seq < j->v[best].seq))
            best = i;
    }
    return best;
}

/* RFC 6265 section 5.3 step 12 and the caps: expired cookies go first, then
   the least recently used of the new cookie's domain, then of the jar. */
static void httpx__ck_enforce_caps(httpx_cookies *j, const char *domain, int64_t now) {
    size_t i, in_domain = 0;
    httpx__cookies_expire(j, now);
    for (i = 0; i < j->n; i++) in_domain += strcmp(j->v[i].domain, domain) == 0;
    while (in_domain > HTTPX_COOKIE_MAX_PER_DOMAIN) {
        httpx__ck_remove(j, httpx__ck_victim(j, domain));
        in_domain--;
    }
    while (j->n > HTTPX_COOKIE_MAX_TOTAL) httpx__ck_remove(j, httpx__ck_victim(j, NULL));
}

/* Adds c (whose strings the jar now owns), replacing a cookie of the same
   name, domain and path (section 5.3 step 11: the new one keeps the old
   one's creation time). A cookie already expired only deletes. */
static httpx_error httpx__ck_insert(httpx_cookies *j, httpx__cookie *c, int64_t now, httpx__err *e) {
    size_t i;
    c->seq = ++j->seq;
    for (i = 0; i < j->n; i++) {
        httpx__cookie *o = &j->v[i];
        if (strcmp(o->name, c->name) == 0 && strcmp(o->domain, c->domain) == 0 && strcmp(o->path, c->path) == 0) {
            c->created = o->created;
            c->seq = o->seq;
            httpx__ck_remove(j, i);
            break;
        }
    }
    if (c->expires <= now) {
        httpx__ck_free_one(c);
        return HTTPX_OK;
    }
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 8;
        httpx__cookie *v = (httpx__cookie *)httpx__realloc(j->v, cap * sizeof *v);
        if (!v) {
            httpx__ck_free_one(c);
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing a cookie");
        }
        j->v = v;
        j->cap = cap;
    }
    j->v[j->n++] = *c;
    httpx__ck_enforce_caps(j, c->domain, now);
    return HTTPX_OK;
}

/* ---- Set-Cookie: RFC 6265 section 5.2 ---- */

static httpx__str httpx__ck_trim(const char *p, size_t n) {
    httpx__str s;
    while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    s.p = p;
    s.n = n;
    return s;
}

/* The attributes that matter, as the last of each in the string says
   (section 5.3 takes the last Domain and Path; the others are the same). */
typedef struct httpx__ck_attrs {
    httpx__str domain, path, same_site;
    bool has_domain, has_path, has_max_age, has_expires, secure, http_only;
    int64_t max_age_expiry, expires;
} httpx__ck_attrs;

static void httpx__ck_max_age(httpx__ck_attrs *a, httpx__str v, int64_t now) {
    size_t i = 0;
    int64_t delta = 0;
    bool neg = false;
    if (v.n == 0 || !(httpx__ck_digit(v.p[0]) || v.p[0] == '-')) return;
    if (v.p[0] == '-') { neg = true; i = 1; }
    if (i == v.n) return;
    for (; i < v.n; i++) {
        if (!httpx__ck_digit(v.p[i])) return;       /* not a number: the attribute is ignored */
        if (delta < INT64_MAX / 10 - 10) delta = delta * 10 + (v.p[i] - '0');   /* saturates */
    }
    a->has_max_age = true;
    if (neg || delta == 0) a->max_age_expiry = INT64_MIN;   /* "the earliest representable time" */
    else a->max_age_expiry = delta > HTTPX__COOKIE_FOREVER - 1 - now ? HTTPX__COOKIE_FOREVER - 1 : now + delta;
}

static void httpx__ck_attribute(httpx__ck_attrs *a, httpx__str name, httpx__str v, int64_t now) {
    if (v.n > 1024) return;     /* RFC 6265bis: an attribute value over 1024 bytes is ignored */
    if (httpx__str_ieq(name, "expires")) {
        int64_t t;
        if (httpx__cookie_date(v.p, v.n, &t)) { a->has_expires = true; a->expires = t; }
    } else if (httpx__str_ieq(name, "max-age")) {
        httpx__ck_max_age(a, v, now);
    } else if (httpx__str_ieq(name, "domain")) {
        if (v.n == 0) return;   /* section 5.2.3: the UA SHOULD ignore an empty Domain */
        if (v.p[0] == '.') { v.p++; v.n--; }
        a->domain = v;
        a->has_domain = true;
    } else if (httpx__str_ieq(name, "path")) {
        a->has_path = v.n > 0 && v.p[0] == '/';
        a->path = v;
    } else if (httpx__str_ieq(name, "secure")) {
        a->secure = true;
    } else if (httpx__str_ieq(name, "httponly")) {
        a->http_only = true;
    } else if (httpx__str_ieq(name, "samesite")) {
        a->same_site = v;
    }
}

static void httpx__ck_attributes(httpx__ck_attrs *a, const char *p, size_t n, int64_t now) {
    while (n > 0) {
        const char *semi, *eq;
        size_t len;
        p++; n--;           /* the ';' */
        semi = (const char *)memchr(p, ';', n);
        len = semi ? (size_t)(semi - p) : n;
        eq = (const char *)memchr(p, '=', len);
        if (eq)
            httpx__ck_attribute(a, httpx__ck_trim(p, (size_t)(eq - p)),
                                httpx__ck_trim(eq + 1, len - (size_t)(eq - p) - 1), now);
        else
            httpx__ck_attribute(a, httpx__ck_trim(p, len), httpx__ck_trim(p + len, 0), now);
        p += len;
        n -= len;
    }
}

static void httpx__ck_same_site(httpx__cookie *c, httpx__str v) {
    static const char *const known[] = {"Strict", "Lax", "None"};
    size_t i;
    c->same_site[0] = 0;
    for (i = 0; i < 3; i++)
        if (httpx__str_ieq(v, known[i])) strcpy(c->same_site, known[i]);
}

static bool httpx__ck_lower_copy(char *out, size_t cap, httpx__str s) {
    size_t i;
    if (s.n >= cap) return false;
    for (i = 0; i < s.n; i++) out[i] = (char)httpx__lower((unsigned char)s.p[i]);
    out[s.n] = 0;
    return true;
}

/* The cookie's domain (section 5.3 steps 4-6): host-only for the request
   host, or a Domain the host domain-matches that is not a public suffix. */
static httpx_error httpx__ck_domain(httpx__cookie *c, const httpx__ck_attrs *a, const char *host,
                                    char *domain, size_t cap, httpx__err *e) {
    c->host_only = true;
    strcpy(domain, host);
    if (!a->has_domain) return HTTPX_OK;
    if (!httpx__ck_lower_copy(domain, cap, a->domain))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Domain too long");
    if (httpx__cookie_public_suffix(domain)) {
        if (strcmp(domain, host) == 0) return HTTPX_OK;     /* host-only on the suffix itself */
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Domain=%s is a public suffix", domain);
    }
    if (!httpx__cookie_domain_match(host, domain))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: host %s is not in Domain=%s", host, domain);
    c->host_only = false;
    return HTTPX_OK;
}

/* RFC 6265bis: a Secure cookie may only come from a secure origin, https
   or this machine (localhost and loopback addresses, as browsers and curl
   count them), so that plain http cannot overwrite an https session. */
static bool httpx__ck_secure_origin(const httpx__url *u, const char *host) {
    size_t n = strlen(host);
    if (u->is_https) return true;
    if (strcmp(host, "localhost") == 0 || (n > 10 && strcmp(host + n - 10, ".localhost") == 0)) return true;
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

HTTPX__PRIVATE httpx_error httpx__cookies_store(httpx_cookies *j, const httpx__url *u, const char *s, size_t n,
                                                int64_t now, httpx__err *e) {
    const char *semi = (const char *)memchr(s, ';', n), *eq;
    size_t nv = semi ? (size_t)(semi - s) : n, i;
    httpx__str name, value, path;
    httpx__ck_attrs a;
    httpx__cookie c;
    httpx_error err;
    char host[256], domain[256];
    for (i = 0; i < n; i++) {       /* RFC 6265bis: a control character refuses the line */
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: control character in Set-Cookie");
    }
    eq = (const char *)memchr(s, '=', nv);
    if (!eq) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: no '=' in its name-value pair");
    name = httpx__ck_trim(s, (size_t)(eq - s));
    value = httpx__ck_trim(eq + 1, nv - (size_t)(eq - s) - 1);
    if (name.n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: empty name");
    if (name.n + value.n > HTTPX_COOKIE_MAX_SIZE)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "cookie refused: name and value are %zu bytes, over %d",
                           name.n + value.n, HTTPX_COOKIE_MAX_SIZE);
    if (!httpx__ck_host(u, host, sizeof host))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: no usable request host");
    memset(&a, 0, sizeof a);
    httpx__ck_attributes(&a, s + nv, n - nv, now);
    memset(&c, 0, sizeof c);
    err = httpx__ck_domain(&c, &a, host, domain, sizeof domain, e);
    if (err != HTTPX_OK) return err;
    if (memchr(name.p, '\t', name.n) || memchr(value.p, '\t', value.n) || (a.has_path && memchr(a.path.p, '\t', a.path.n)))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: a tab in its name, value or path "
                           "(the cookie file could not hold it)");
    if (a.secure && !httpx__ck_secure_origin(u, host))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Secure, but set over plain http");
    path = a.has_path ? a.path : httpx__ck_default_path(u);
    c.persistent = a.has_max_age || a.has_expires;
    c.expires = a.has_max_age ? a.max_age_expiry : a.has_expires ? a.expires : HTTPX__COOKIE_FOREVER;
    if (c.persistent && c.expires > now && c.expires - now > HTTPX__COOKIE_MAX_AGE)
        c.expires = now + HTTPX__COOKIE_MAX_AGE;
    c.created = c.accessed = now;
    c.secure = a.secure;
    c.http_only = a.http_only;
    httpx__ck_same_site(&c, a.same_site);
    if (!httpx__ck_strings(&c, name, value, httpx__ck_s(domain), path))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing a cookie");
    return httpx__ck_insert(j, &c, now, e);
}

HTTPX__PRIVATE httpx_error httpx__cookies_store_headers(httpx_cookies *j, const httpx__url *u, const httpx_headers *h,
                                                        int64_t now) {
    size_t i;
    for (i = 0; i < h->count; i++) {
        const httpx__field *f = &h->fields[i];
        httpx__str name;
        name.p = h->text.p + f->name;
        name.n = f->name_len;
        if (httpx__str_ieq(name, "set-cookie") &&
            httpx__cookies_store(j, u, h->text.p + f->value, f->value_len, now, NULL) == HTTPX_ERR_NOMEM)
            return HTTPX_ERR_NOMEM;     /* a refused cookie is left out, as a browser leaves it */
    }
    return HTTPX_OK;
}

/* ---- Cookie: section 5.4 ---- */

static bool httpx__ck_sends(const httpx__cookie *c, const char *host, httpx__str path, bool https) {
    if (c->domain[0]) {     /* "" is a cookie the caller set for every host, as HTTPX's */
        if (c->host_only ? strcmp(host, c->domain) != 0 : !httpx__cookie_domain_match(host, c->domain))
            return false;
    }
    if (!httpx__cookie_path_match(path.p, path.n, c->path)) return false;
    return https || !c->secure;
}

/* The order of section 5.4 step 2: longer paths first, then earlier creation. */
static bool httpx__ck_before(const httpx__cookie *a, const httpx__cookie *b) {
    size_t an = strlen(a->path), bn = strlen(b->path);
    if (an != bn) return an > bn;
    if (a->created != b->created) return a->created < b->created;
    return a->seq < b->seq;
}

HTTPX__PRIVATE bool httpx__cookies_header(httpx_cookies *j, const httpx__url *u, int64_t now, httpx__buf *out) {
    char host[256];
    httpx__str path = httpx__ck_req_path(u);
    size_t i, k, count = 0, *order;
    bool ok = true;
    httpx__cookies_expire(j, now);
    if (j->n == 0 || !httpx__ck_host(u, host, sizeof host)) return true;
    order = (size_t *)httpx__malloc(j->n * sizeof *order);
    if (!order) return false;
    for (i = 0; i < j->n; i++) {        /* insertion sort of the matching ones: jars are small */
        if (!httpx__ck_sends(&j->v[i], host, path, u->is_https)) continue;
        for (k = count; k > 0 && httpx__ck_before(&j->v[i], &j->v[order[k - 1]]); k--) order[k] = order[k - 1];
        order[k] = i;
        count++;
    }
    for (k = 0; k < count; k++) {
        httpx__cookie *c = &j->v[order[k]];
        c->accessed = now;
        if (out->len) ok &= httpx__buf_puts(out, "; ");
        ok &= httpx__buf_puts(out, c->name) && httpx__buf_putc(out, '=') && httpx__buf_puts(out, c->value);
    }
    httpx__free(order);
    return ok;
}

/* ---- the Netscape cookie file (curl's -b / -c) ----
   domain TAB include-subdomains TAB path TAB secure TAB expires TAB name TAB value,
   "#HttpOnly_" before the domain of an HttpOnly cookie, expires 0 for a
   session cookie. SameSite has no column: it is not saved. */

static bool httpx__ck_fields(char *line, char **f, int max, int *count) {
    int k = 0;
    char *p = line;
    while (k < max) {
        char *tab = strchr(p, '\t');
        f[k++] = p;
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    *count = k;
    return !strchr(p, '\t');
}

static bool httpx__ck_flag(const char *s, bool *out) {
    if (strcmp(s, "TRUE") == 0) { *out = true; return true; }
    if (strcmp(s, "FALSE") == 0) { *out = false; return true; }
    return false;
}

/* One line of a cookie file; false when it is not a cookie (skipped). */
static httpx_error httpx__ck_load_line(httpx_cookies *j, char *line, int64_t now, httpx__err *e) {
    char *f[7], *end;
    int count;
    bool subdomains, http_only = false;
    long long expires;
    httpx__cookie c;
    httpx__str domain;
    if (strncmp(line, "#HttpOnly_", 10) == 0) { line += 10; http_only = true; }
    else if (line[0] == '#' || line[0] == 0) return HTTPX_OK;
    if (!httpx__ck_fields(line, f, 7, &count) || count < 6) return HTTPX_ERR_DECODING;
    if (!httpx__ck_flag(f[1], &subdomains)) return HTTPX_ERR_DECODING;
    memset(&c, 0, sizeof c);
    if (!httpx__ck_flag(f[3], &c.secure) || f[2][0] != '/' || f[5][0] == 0) return HTTPX_ERR_DECODING;
    expires = strtoll(f[4], &end, 10);
    if (end == f[4] || *end || expires < 0) return HTTPX_ERR_DECODING;
    domain = httpx__ck_s(f[0][0] == '.' ? f[0] + 1 : f[0]);
    if (strlen(f[5]) + (count == 7 ? strlen(f[6]) : 0) > HTTPX_COOKIE_MAX_SIZE) return HTTPX_ERR_DECODING;
    c.http_only = http_only;
    c.host_only = !subdomains;
    c.persistent = expires != 0;
    c.expires = expires ? (int64_t)expires : HTTPX__COOKIE_FOREVER;
    c.created = c.accessed = now;
    for (end = (char *)domain.p; *end; end++) *end = (char)httpx__lower((unsigned char)*end);
    if (!httpx__ck_strings(&c, httpx__ck_s(f[5]), httpx__ck_s(count == 7 ? f[6] : ""), domain, httpx__ck_s(f[2])))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading cookies");
    return httpx__ck_insert(j, &c, now, e);
}

HTTPX__PRIVATE httpx_error httpx__cookies_load_file(httpx_cookies *j, FILE *fp, int64_t now, size_t *skipped,
                                                    httpx__err *e) {
    char line[HTTPX_COOKIE_MAX_SIZE + 2048];
    *skipped = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        httpx_error err;
        if (n == sizeof line - 1 && line[n - 1] != '\n') {     /* longer than any cookie we keep */
            int ch;
            while ((ch = fgetc(fp)) != EOF && ch != '\n') {}
            (*skipped)++;
            continue;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        err = httpx__ck_load_line(j, line, now, e);
        if (err == HTTPX_ERR_NOMEM) return err;
        if (err != HTTPX_OK) (*skipped)++;
    }
    if (ferror(fp)) return httpx__fail(e, HTTPX_ERR_DECODING, "read error in the cookie file");
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__cookies_save_file(const httpx_cookies *j, FILE *fp, int64_t now) {
    size_t i;
    fputs("# Netscape HTTP Cookie File\n# Written by httpx.h " HTTPX_VERSION ". Edit at your own risk.\n\n", fp);
    for (i = 0; i < j->n; i++) {
        const httpx__cookie *c = &j->v[i];
        if (c->expires <= now) continue;
        fprintf(fp, "%s%s%s\t%s\t%s\t%s\t%lld\t%s\t%s\n", c->http_only ? "#HttpOnly_" : "",
                c->host_only || !c->domain[0] ? "" : ".", c->domain, c->host_only ? "FALSE" : "TRUE", c->path,
                c->secure ? "TRUE" : "FALSE", c->persistent ? (long long)c->expires : 0LL, c->name, c->value);
    }
    return ferror(fp) ? HTTPX_ERR_WRITE : HTTPX_OK;
}

/* ---- the public jar ---- */

static int64_t httpx__ck_now(void) { return (int64_t)time(NULL); }

HTTPX_API httpx_cookies *httpx_cookies_new(void) {
    httpx_cookies *j = (httpx_cookies *)httpx__malloc(sizeof *j);
    if (j) memset(j, 0, sizeof *j);
    return j;
}

HTTPX_API void httpx_cookies_free(httpx_cookies *j) {
    size_t i;
    if (!j) return;
    for (i = 0; i < j->n; i++) httpx__ck_free_one(&j->v[i]);
    httpx__free(j->v);
    httpx__free(j);
}

/* NULL domain or path: any; a domain matches with or without a leading dot. */
static bool httpx__ck_selected(const httpx__cookie *c, const char *name, const char *domain, const char *path) {
    if (name && strcmp(c->name, name) != 0) return false;
    if (domain) {
        if (domain[0] == '.') domain++;
        if (strlen(domain) != strlen(c->domain) || !httpx__mem_ieq(domain, c->domain, strlen(domain))) return false;
    }
    return !path || strcmp(c->path, path) == 0;
}

HTTPX_API const char *httpx_cookies_get(const httpx_cookies *j, const char *name, const char *domain,
                                        const char *path) {
    size_t i;
    int64_t now = httpx__ck_now();
    if (!j || !name) return NULL;
    for (i = 0; i < j->n; i++)
        if (j->v[i].expires > now && httpx__ck_selected(&j->v[i], name, domain, path)) return j->v[i].value;
    return NULL;
}

HTTPX_API httpx_error httpx_cookies_set(httpx_cookies *j, const char *name, const char *value, const char *domain,
                                        const char *path) {
    httpx__cookie c;
    httpx__str d = httpx__ck_s(domain && domain[0] == '.' ? domain + 1 : domain);
    size_t i;
    int64_t now = httpx__ck_now();
    const char *p;
    if (!j || !name || !name[0] || strchr(name, '=') || strchr(name, ';')) return HTTPX_ERR_INVALID_ARGUMENT;
    if (!value) value = "";
    if (strchr(value, ';') || strlen(name) + strlen(value) > HTTPX_COOKIE_MAX_SIZE) return HTTPX_ERR_INVALID_ARGUMENT;
    if (!path) path = "/";
    if (path[0] != '/') return HTTPX_ERR_INVALID_ARGUMENT;
    for (p = name; *p; p++) if ((unsigned char)*p < 0x20 || *p == 0x7f) return HTTPX_ERR_INVALID_ARGUMENT;
    for (p = value; *p; p++) if ((unsigned char)*p < 0x20 || *p == 0x7f) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&c, 0, sizeof c);
    /* as HTTPX's cookies.set: a cookie for that domain and its subdomains ("": every host) */
    c.expires = HTTPX__COOKIE_FOREVER;
    c.created = c.accessed = now;
    if (!httpx__ck_strings(&c, httpx__ck_s(name), httpx__ck_s(value), d, httpx__ck_s(path))) return HTTPX_ERR_NOMEM;
    for (i = 0; i < d.n; i++) c.domain[i] = (char)httpx__lower((unsigned char)c.domain[i]);
    return httpx__ck_insert(j, &c, now, NULL);
}

HTTPX_API size_t httpx_cookies_delete(httpx_cookies *j, const char *name, const char *domain, const char *path) {
    size_t i = 0, gone = 0;
    if (!j || !name) return 0;
    while (i < j->n) {
        if (httpx__ck_selected(&j->v[i], name, domain, path)) { httpx__ck_remove(j, i); gone++; }
        else i++;
    }
    return gone;
}

HTTPX_API void httpx_cookies_clear(httpx_cookies *j, const char *domain, const char *path) {
    size_t i = 0;
    if (!j) return;
    while (i < j->n) {
        if (httpx__ck_selected(&j->v[i], NULL, domain, path)) httpx__ck_remove(j, i);
        else i++;
    }
}

HTTPX_API size_t httpx_cookies_count(const httpx_cookies *j) { return j ? j->n : 0; }

HTTPX_API bool httpx_cookies_at(const httpx_cookies *j, size_t i, httpx_cookie *out) {
    const httpx__cookie *c;
    if (!j || i >= j->n || !out) return false;
    c = &j->v[i];
    out->name = c->name;
    out->value = c->value;
    out->domain = c->domain;
    out->path = c->path;
    out->same_site = c->same_site;
    out->expires = c->persistent ? (long long)c->expires : 0;
    out->host_only = c->host_only;
    out->secure = c->secure;
    out->http_only = c->http_only;
    return true;
}

HTTPX_API httpx_error httpx_cookies_set_cookie(httpx_cookies *j, const char *url, const char *set_cookie) {
    httpx__url u;
    httpx__err e;
    httpx_error err;
    if (!j || !url || !set_cookie) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&e, 0, sizeof e);
    err = httpx__url_parse(&u, url, strlen(url), &e);
    if (err == HTTPX_OK) err = httpx__cookies_store(j, &u, set_cookie, strlen(set_cookie), httpx__ck_now(), &e);
    if (err != HTTPX_OK) snprintf(j->msg, sizeof j->msg, "%.240s", e.msg);
    return err;
}

HTTPX_API size_t httpx_cookies_header(httpx_cookies *j, const char *url, char *buf, size_t cap) {
    httpx__url u;
    httpx__buf out;
    size_t n;
    memset(&out, 0, sizeof out);
    if (buf && cap) buf[0] = 0;
    if (!j || !url || httpx__url_parse(&u, url, strlen(url), NULL) != HTTPX_OK) return 0;
    if (!httpx__cookies_header(j, &u, httpx__ck_now(), &out)) { httpx__buf_free(&out); return 0; }
    n = out.len;
    if (buf && cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        if (k) memcpy(buf, out.p, k);
        buf[k] = 0;
    }
    httpx__buf_free(&out);
    return n;
}

HTTPX_API httpx_error httpx_cookies_load(httpx_cookies *j, const char *path) {
    FILE *fp;
    httpx__err e;
    httpx_error err;
    size_t skipped;
    if (!j || !path) return HTTPX_ERR_INVALID_ARGUMENT;
    fp = fopen(path, "r");
    if (!fp) {
        snprintf(j->msg, sizeof j->msg, "cannot open cookie file %.300s: %.200s", path, strerror(errno));
        return HTTPX_ERR_INVALID_ARGUMENT;
    }
    memset(&e, 0, sizeof e);
    err = httpx__cookies_load_file(j, fp, httpx__ck_now(), &skipped, &e);
    fclose(fp);
    if (err != HTTPX_OK) snprintf(j->msg, sizeof j->msg, "%.300s: %.240s", path, e.msg);
    else if (skipped) snprintf(j->msg, sizeof j->msg, "%.300s: %zu lines were not cookies and were skipped", path, skipped);
    else j->msg[0] = 0;
    return err;
}

HTTPX_API httpx_error httpx_cookies_save(httpx_cookies *j, const char *path) {
    FILE *fp;
    httpx_error err;
    httpx__buf tmp;
    if (!j || !path) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&tmp, 0, sizeof tmp);
    /* a new file renamed over the old one: a failure never leaves half a jar */
    if (!httpx__buf_printf(&tmp, "%s.tmp", path)) return HTTPX_ERR_NOMEM;
    fp = fopen(tmp.p, "w");
    if (!fp) {
        snprintf(j->msg, sizeof j->msg, "cannot write cookie file %.300s: %.200s", tmp.p, strerror(errno));
        httpx__buf_free(&tmp);
        return HTTPX_ERR_WRITE;
    }
    err = httpx__cookies_save_file(j, fp, httpx__ck_now());
    if (fclose(fp) != 0) err = HTTPX_ERR_WRITE;
    if (err == HTTPX_OK && rename(tmp.p, path) != 0) err = HTTPX_ERR_WRITE;
    if (err != HTTPX_OK) {
        snprintf(j->msg, sizeof j->msg, "cannot write cookie file %.300s: %.200s", path, strerror(errno));
        remove(tmp.p);
    } else {
        j->msg[0] = 0;
    }
    httpx__buf_free(&tmp);
    return err;
}

HTTPX_API const char *httpx_cookies_error(const httpx_cookies *j) { return j ? j->msg : ""; }

#endif /* HTTPX_NO_COOKIES */
/* End of cookie.c */

#if defined(HTTPX_LINES)
#line 9287 "httpx.h"
#endif
/* ======================================================================
   Begin file net_internal.h   (grep anchor: >>net_internal)
   ====================================================================== */
/* net_internal.h: nonblocking sockets (net.c) and the byte streams over them.
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/net_internal.h"
#endif
#ifndef HTTPX__NET_INTERNAL_H
#define HTTPX__NET_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* ---- net: nonblocking sockets (the system calls are platform.c's and net.c's) ---- */

/* Fills ss with family (AF_INET: ip is 4 bytes, AF_INET6: 16) and port;
   returns its length. */
HTTPX__PRIVATE socklen_t httpx__sockaddr_make(struct sockaddr_storage *ss, int family, const void *ip, int port);
/* The address of an IPv4 or IPv6 sockaddr as bytes: 4, 16, or 0 (another family). */
HTTPX__PRIVATE int httpx__sockaddr_ip(const struct sockaddr *sa, unsigned char out[16]);
/* "1.2.3.4:80", "[::1]:443", a Unix socket's path, or "?". */
HTTPX__PRIVATE void httpx__sockaddr_string(const struct sockaddr *sa, char *out, size_t cap);
/* An IP literal as bytes: 4 (IPv4), 16 (IPv6), or 0 when s is not one. */
HTTPX__PRIVATE int httpx__ip_parse(const char *s, unsigned char out[16]);
#ifdef HTTPX__TEST_HOOKS   /* used by the tests only */
/* The text of a 4- or 16-byte address. */
HTTPX__PRIVATE void httpx__ip_string(const unsigned char *ip, int len, char *out, size_t cap);
#endif

#define HTTPX__MAX_ADDRS 8
typedef struct httpx__addrs {
    struct sockaddr_storage addr[HTTPX__MAX_ADDRS];
    socklen_t len[HTTPX__MAX_ADDRS];
    int count;
} httpx__addrs;
HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap);
/* Makes a the one address of a Unix domain socket. HTTPX_ERR_INVALID_ARGUMENT
   when the path is empty or longer than the system allows. */
HTTPX__PRIVATE httpx_error httpx__addrs_unix(httpx__addrs *a, const char *path, httpx__err *e);
#ifdef HTTPX_DNS_THREADS
/* getaddrinfo, which blocks (a helper thread runs it): add gets each IPv4
   and IPv6 address. NULL, or why the name did not resolve. */
HTTPX__PRIVATE const char *httpx__lookup_blocking(const char *host, void (*add)(void *ctx, int family, const void *ip),
                                                  void *ctx);
#endif
/* Raw socket calls, errno kept: a count (>= 0), HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__sock_write(httpx__sock fd, const void *p, size_t n);
HTTPX__PRIVATE long httpx__sock_read(httpx__sock fd, void *p, size_t n);
/* connect(): 0 connected, HTTPX__AGAIN in progress (wait for POLLOUT, then
   httpx__sock_error), HTTPX__BAD (errno set). */
HTTPX__PRIVATE int httpx__sock_connect(httpx__sock fd, const struct sockaddr *sa, socklen_t len);
/* The error of a finished nonblocking connect (0: connected). */
HTTPX__PRIVATE int httpx__sock_error(httpx__sock fd);
/* >0 bytes, HTTPX__AGAIN, HTTPX__BAD (e filled); recv also 0 when the peer closed. */
HTTPX__PRIVATE long httpx__sock_send(httpx__sock fd, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__sock_recv(httpx__sock fd, void *p, size_t n, httpx__err *e);

/* ---- streams: the byte-stream seam under the protocols ----
   A connection talks through a stack of streams, bottom first: a TCP socket
   or a Unix domain socket, then TLS over it (over any stream: a tunnel, a
   socketpair in a test), or a stream with no fd at all (a scripted one in
   the engine tests). As curl's connection filters, each stream sets itself
   up (connect: the lower stream's first, then its own handshake), moves
   bytes, and answers questions about itself (query: what it does not know
   goes to the stream below). Every call returns at once. */
typedef struct httpx__stream httpx__stream;

/* What httpx__stream_query asks. Answers are strings the stream owns (valid
   while it lives); NULL: nobody in the stack knows. */
enum httpx__stream_fact {
    HTTPX__FACT_ALPN,           /* what ALPN chose: "h2", "http/1.1"; "" when TLS chose none */
    HTTPX__FACT_TLS_VERSION,    /* "TLSv1.2" once the handshake is done */
    HTTPX__FACT_TLS_CIPHER,     /* OpenSSL's name of the cipher suite */
    HTTPX__FACT_PEER,           /* the address connected to (or being tried): "1.2.3.4:80", a path */
    HTTPX__FACT_SETUP           /* what the set-up waits for, in words, for a timeout's message */
};

typedef struct httpx__stream_ops {
    /* Sets the stream up (the lower stream first): 1 ready (and stays so),
       HTTPX__AGAIN (s->want, s->fd and s->deadline say what to wait for),
       HTTPX__BAD. A stream made ready returns 1 at once. Called again on
       readiness, or when s->deadline passed. */
    int (*connect)(httpx__stream *s, httpx__err *e);
    /* Called through httpx__stream_send/recv, which never pass e == NULL. */
    /* >0 bytes taken, HTTPX__AGAIN (s->want says what to poll for), HTTPX__BAD */
    long (*send)(httpx__stream *s, const void *p, size_t n, httpx__err *e);
    /* >0 bytes, 0 the peer closed cleanly, HTTPX__AGAIN (s->want set), HTTPX__BAD */
    long (*recv)(httpx__stream *s, void *p, size_t n, httpx__err *e);
    /* bytes already inside the stream that a poll() of fd would not report */
    size_t (*pending)(const httpx__stream *s);
    /* An answer (enum httpx__stream_fact), or NULL: ask the stream below. */
    const char *(*query)(const httpx__stream *s, int fact);
    /* closes, frees the stream and the stream below it */
    void (*free)(httpx__stream *s);
} httpx__stream_ops;
struct httpx__stream {
    const httpx__stream_ops *ops;
    httpx__stream *lower;   /* the stream it runs over; NULL at the bottom */
    httpx__sock fd;         /* what to poll (the socket at the bottom); HTTPX__NO_SOCK: none */
    short want;             /* POLLIN and/or POLLOUT: what the last HTTPX__AGAIN waits for */
    double deadline;        /* connect: when the current step gives up (httpx__now), 0 none */
};
#ifdef HTTPX__TEST_HOOKS   /* used by the tests until transports adopt sockets */
/* A stream over a connected socket; it owns fd (closed by free). NULL: out of
   memory (fd is closed then too). */
HTTPX__PRIVATE httpx__stream *httpx__sock_stream_new(httpx__sock fd, httpx__err *e);
#endif
/* A stream that connects over TCP to the addresses in turn (a copy of a),
   spreading the time left until deadline (0: none) over them; timeout is the
   whole budget in seconds, for messages. NULL: out of memory. */
HTTPX__PRIVATE httpx__stream *httpx__tcp_stream_new(const httpx__addrs *a, double deadline, double timeout,
                                                    httpx__err *e);
/* A stream that connects to the Unix domain socket at path. NULL: out of
   memory or a path the system cannot take (e says which). */
HTTPX__PRIVATE httpx__stream *httpx__unix_stream_new(const char *path, httpx__err *e);
HTTPX__PRIVATE int  httpx__stream_connect(httpx__stream *s, httpx__err *e);
HTTPX__PRIVATE long httpx__stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE size_t httpx__stream_pending(const httpx__stream *s);
/* The first answer down the stack, or NULL. */
HTTPX__PRIVATE const char *httpx__stream_query(const httpx__stream *s, int fact);
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s);   /* NULL is fine */

#endif /* HTTPX__NET_INTERNAL_H */
/* End of net_internal.h */

#if defined(HTTPX_LINES)
#line 9414 "httpx.h"
#endif
/* ======================================================================
   Begin file net.c   (grep anchor: >>net)
   ====================================================================== */
/* net: the network's bottom streams (TCP, trying a name's addresses in
   turn, and Unix domain sockets; names are resolved in dns.c), the socket
   calls the resolver shares, addresses as text, and the calls through the
   stream seam. Nothing here waits: every call returns at once with "done",
   "would block" or an error; the engine's poll loop does the waiting. */
#if defined(HTTPX_LINES)
#line 5 "tools/src/net.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
#include <stdio.h>
#if defined(_WIN32)
#include <afunix.h>             /* sockaddr_un: Windows 10 1803 and later */
#else
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#ifdef HTTPX_DNS_THREADS
#include <netdb.h>
#endif
#endif

/* ---- addresses ---- */

HTTPX__PRIVATE socklen_t httpx__sockaddr_make(struct sockaddr_storage *ss, int family, const void *ip, int port) {
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        memcpy(&s6->sin6_addr, ip, 16);
        return (socklen_t)sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        memcpy(&s4->sin_addr, ip, 4);
        return (socklen_t)sizeof *s4;
    }
}

HTTPX__PRIVATE int httpx__sockaddr_ip(const struct sockaddr *sa, unsigned char out[16]) {
    if (sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return 4;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return 16;
    }
    return 0;
}

HTTPX__PRIVATE void httpx__sockaddr_string(const struct sockaddr *sa, char *out, size_t cap) {
    char ip[64] = "?";
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        snprintf(out, cap, "%s:%d", ip, ntohs(s4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        snprintf(out, cap, "[%s]:%d", ip, ntohs(s6->sin6_port));
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *su = (const struct sockaddr_un *)(const void *)sa;
        snprintf(out, cap, "%.*s", (int)sizeof su->sun_path, su->sun_path);
    } else {
        snprintf(out, cap, "?");
    }
}

HTTPX__PRIVATE int httpx__ip_parse(const char *s, unsigned char out[16]) {
    if (inet_pton(AF_INET, s, out) == 1) return 4;
    if (inet_pton(AF_INET6, s, out) == 1) return 16;
    return 0;
}

#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE void httpx__ip_string(const unsigned char *ip, int len, char *out, size_t cap) {
    char text[64];
    if (!inet_ntop(len == 16 ? AF_INET6 : AF_INET, ip, text, sizeof text)) snprintf(text, sizeof text, "?");
    snprintf(out, cap, "%s", text);
}
#endif

HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap) {
    HTTPX_ASSERT(i >= 0 && i < a->count && cap > 0);
    httpx__sockaddr_string((const struct sockaddr *)&a->addr[i], out, cap);
}

HTTPX__PRIVATE httpx_error httpx__addrs_unix(httpx__addrs *a, const char *path, httpx__err *e) {
    struct sockaddr_un *su = (struct sockaddr_un *)&a->addr[0];
    size_t n = path ? strlen(path) : 0;
    memset(a, 0, sizeof *a);
    if (n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the Unix socket path (uds) is empty");
    if (n >= sizeof su->sun_path)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the Unix socket path (uds) is %lu bytes long: "
                           "this system takes at most %lu", (unsigned long)n, (unsigned long)sizeof su->sun_path - 1);
    su->sun_family = AF_UNIX;
    memcpy(su->sun_path, path, n + 1);
    a->len[0] = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    a->count = 1;
    return HTTPX_OK;
}

#ifdef HTTPX_DNS_THREADS
HTTPX__PRIVATE const char *httpx__lookup_blocking(const char *host, void (*add)(void *ctx, int family, const void *ip),
                                                  void *ctx) {
    struct addrinfo hints, *res = NULL, *ai;
    int rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    rc = getaddrinfo(host, NULL, &hints, &res);
#ifdef EAI_ADDRFAMILY
    if (rc == EAI_ADDRFAMILY) rc = EAI_NONAME;
#endif
    if (rc == EAI_NONAME) {   /* AI_ADDRCONFIG hides everything on a host with only loopback */
        hints.ai_flags = 0;
        rc = getaddrinfo(host, NULL, &hints, &res);
    }
    if (rc != 0) return gai_strerror(rc);
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            add(ctx, AF_INET, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr);
        else if (ai->ai_family == AF_INET6)
            add(ctx, AF_INET6, &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr);
    }
    freeaddrinfo(res);
    return NULL;
}
#endif

/* ---- socket calls ---- */

HTTPX__PRIVATE long httpx__sock_write(httpx__sock fd, const void *p, size_t n) {
    for (;;) {
        ssize_t r = send(fd, (const char *)p, HTTPX__IO_LEN(n), MSG_NOSIGNAL);
        if (r >= 0) return (long)r;
        if (HTTPX__INTERRUPTED(HTTPX__SOCK_ERRNO())) continue;
        return HTTPX__WOULD_BLOCK(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
    }
}

HTTPX__PRIVATE long httpx__sock_read(httpx__sock fd, void *p, size_t n) {
    for (;;) {
        ssize_t r = recv(fd, (char *)p, HTTPX__IO_LEN(n), 0);
        if (r >= 0) return (long)r;
        if (HTTPX__INTERRUPTED(HTTPX__SOCK_ERRNO())) continue;
        return HTTPX__WOULD_BLOCK(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
    }
}

HTTPX__PRIVATE int httpx__sock_connect(httpx__sock fd, const struct sockaddr *sa, socklen_t len) {
    if (connect(fd, sa, len) == 0) return 0;
    return HTTPX__IN_PROGRESS(HTTPX__SOCK_ERRNO()) ? HTTPX__AGAIN : HTTPX__BAD;
}

HTTPX__PRIVATE int httpx__sock_error(httpx__sock fd) {
    int err = 0;
    socklen_t len = (socklen_t)sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, (char *)&err, &len) < 0) err = HTTPX__SOCK_ERRNO();
    return err;
}

/* >0 bytes sent, HTTPX__AGAIN, HTTPX__BAD (errno kept in e). */
HTTPX__PRIVATE long httpx__sock_send(httpx__sock fd, const void *p, size_t n, httpx__err *e) {
    long r = httpx__sock_write(fd, p, n);
    if (r == HTTPX__BAD) {
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_WRITE, "send failed: %s", httpx__sock_strerror(e->sys_errno));
    }
    return r;
}

/* >0 bytes received, 0 the peer closed, HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__sock_recv(httpx__sock fd, void *p, size_t n, httpx__err *e) {
    long r = httpx__sock_read(fd, p, n);
    if (r == HTTPX__BAD) {
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_READ, "receive failed: %s", httpx__sock_strerror(e->sys_errno));
    }
    return r;
}

/* ---- the socket stream: the bottom of every network connection ----
   One type for TCP (the addresses of a name, tried in turn), a Unix domain
   socket (one address) and a socket connected elsewhere (adopted). */

typedef struct httpx__sock_stream {
    httpx__stream base;               /* first: it is a stream */
    httpx__addrs addrs;               /* the addresses to try; count 0 when adopted */
    int index;                        /* the one being tried */
    bool ready;                       /* connected */
    double all_deadline;              /* when the whole connect fails (0: never) */
    double timeout;                   /* the whole budget, seconds, for messages */
    char peer[112];                   /* the address being tried or connected: a path fits */
    char setup[144];                  /* "connect to <peer> not done" */
} httpx__sock_stream;

static httpx__sock_stream *httpx__ss_of(const httpx__stream *s) {
    return (httpx__sock_stream *)(void *)(uintptr_t)s;
}

/* Starts connecting to addrs[index] or a later address. Spreads what is
   left of the time over the addresses left, so that one dead address of a
   name cannot eat the whole budget. 1 connected at once, HTTPX__AGAIN,
   HTTPX__BAD (no address left; e says why the last one failed). */
static int httpx__ss_start(httpx__sock_stream *ss, httpx__err *e) {
    httpx__stream *s = &ss->base;
    for (; ss->index < ss->addrs.count; ss->index++) {
        const struct sockaddr *sa = (const struct sockaddr *)&ss->addrs.addr[ss->index];
        int rc, one = 1;
        httpx__addr_string(&ss->addrs, ss->index, ss->peer, sizeof ss->peer);
        snprintf(ss->setup, sizeof ss->setup, "connect to %s not done", ss->peer);
        s->fd = httpx__socket(sa->sa_family, SOCK_STREAM);
        if (s->fd == HTTPX__NO_SOCK) {
            e->sys_errno = HTTPX__SOCK_ERRNO();
            httpx__fail(e, HTTPX_ERR_CONNECT, "socket(): %s", httpx__sock_strerror(e->sys_errno));
            continue;
        }
        if (sa->sa_family != AF_UNIX)   /* requests are small and latency matters */
            setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        rc = httpx__sock_connect(s->fd, sa, ss->addrs.len[ss->index]);
        if (rc == 0) {
            ss->ready = true;
            s->deadline = 0;
            return 1;
        }
        if (rc == HTTPX__AGAIN) {
            int left = ss->addrs.count - ss->index;
            double now = httpx__now();
            s->want = POLLOUT;
            s->deadline = ss->all_deadline ? now + (ss->all_deadline - now) / left : 0;
            return HTTPX__AGAIN;
        }
        e->sys_errno = HTTPX__SOCK_ERRNO();
        httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", ss->peer, httpx__sock_strerror(e->sys_errno));
        httpx__sock_close(s->fd);
        s->fd = HTTPX__NO_SOCK;
    }
    if (!e->code) httpx__fail(e, HTTPX_ERR_CONNECT, "no address to connect to");
    return HTTPX__BAD;
}

static int httpx__ss_connect(httpx__stream *s, httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_of(s);
    bool timed_out;
    httpx__pollfd p;
    int err;
    if (ss->ready) return 1;
    if (s->fd == HTTPX__NO_SOCK) return httpx__ss_start(ss, e);
    timed_out = s->deadline && httpx__now() >= s->deadline;
    if (!timed_out) {
        p.fd = s->fd;
        p.events = POLLOUT;
        p.revents = 0;
        if (httpx__poll(&p, 1, 0) == 0) return HTTPX__AGAIN;   /* still connecting: want stays POLLOUT */
        err = httpx__sock_error(s->fd);
        if (err == 0) {
            ss->ready = true;
            s->want = 0;
            s->deadline = 0;
            return 1;
        }
        e->sys_errno = err;
        httpx__fail(e, HTTPX_ERR_CONNECT, "connect to %s failed: %s", ss->peer, httpx__sock_strerror(err));
    }
    httpx__sock_close(s->fd);
    s->fd = HTTPX__NO_SOCK;
    if (++ss->index >= ss->addrs.count) {
        if (timed_out)
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect to %s timed out after %.3g s", ss->peer, ss->timeout);
        return HTTPX__BAD;
    }
    return httpx__ss_start(ss, e);
}

static long httpx__ss_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    s->want = POLLOUT;
    return httpx__sock_send(s->fd, p, n, e);
}

static long httpx__ss_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    s->want = POLLIN;
    return httpx__sock_recv(s->fd, p, n, e);
}

static size_t httpx__ss_pending(const httpx__stream *s) { (void)s; return 0; }

static const char *httpx__ss_query(const httpx__stream *s, int fact) {
    const httpx__sock_stream *ss = httpx__ss_of(s);
    if (fact == HTTPX__FACT_PEER) return ss->peer[0] ? ss->peer : NULL;
    if (fact == HTTPX__FACT_SETUP) return ss->ready || !ss->setup[0] ? NULL : ss->setup;
    return NULL;
}

static void httpx__ss_free(httpx__stream *s) {
    httpx__sock_close(s->fd);
    httpx__free(s);
}

static const httpx__stream_ops httpx__sock_stream_ops = {
    httpx__ss_connect, httpx__ss_send, httpx__ss_recv, httpx__ss_pending, httpx__ss_query, httpx__ss_free
};

static httpx__sock_stream *httpx__ss_new(httpx__err *e) {
    httpx__sock_stream *ss = (httpx__sock_stream *)httpx__malloc(sizeof *ss);
    if (!ss) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
        return NULL;
    }
    memset(ss, 0, sizeof *ss);
    ss->base.ops = &httpx__sock_stream_ops;
    ss->base.fd = HTTPX__NO_SOCK;
    return ss;
}

#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE httpx__stream *httpx__sock_stream_new(httpx__sock fd, httpx__err *e) {
    httpx__sock_stream *ss;
    HTTPX_ASSERT(fd != HTTPX__NO_SOCK);
    if (!(ss = httpx__ss_new(e))) {
        httpx__sock_close(fd);
        return NULL;
    }
    ss->base.fd = fd;
    ss->ready = true;
    return &ss->base;
}
#endif

HTTPX__PRIVATE httpx__stream *httpx__tcp_stream_new(const httpx__addrs *a, double deadline, double timeout,
                                                    httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_new(e);
    if (!ss) return NULL;
    ss->addrs = *a;
    ss->all_deadline = deadline;
    ss->timeout = timeout;
    return &ss->base;
}

HTTPX__PRIVATE httpx__stream *httpx__unix_stream_new(const char *path, httpx__err *e) {
    httpx__sock_stream *ss = httpx__ss_new(e);
    if (!ss) return NULL;
    if (httpx__addrs_unix(&ss->addrs, path, e)) {
        httpx__free(ss);
        return NULL;
    }
    return &ss->base;
}

/* ---- the calls through the seam ----
   The ops always get an httpx__err to fill, so that no stream needs a
   scratch one of its own. */

HTTPX__PRIVATE int httpx__stream_connect(httpx__stream *s, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops);
    if (!e) {
        memset(&scratch, 0, sizeof scratch);
        e = &scratch;
    }
    return s->ops->connect(s, e);
}
HTTPX__PRIVATE long httpx__stream_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops && (p || n == 0));
    return s->ops->send(s, p, n, e ? e : &scratch);
}
HTTPX__PRIVATE long httpx__stream_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__err scratch;
    HTTPX_ASSERT(s && s->ops && (p || n == 0));
    return s->ops->recv(s, p, n, e ? e : &scratch);
}
HTTPX__PRIVATE size_t httpx__stream_pending(const httpx__stream *s) { return s ? s->ops->pending(s) : 0; }
HTTPX__PRIVATE const char *httpx__stream_query(const httpx__stream *s, int fact) {
    for (; s; s = s->lower) {
        const char *answer = s->ops->query(s, fact);
        if (answer) return answer;
    }
    return NULL;
}
HTTPX__PRIVATE void httpx__stream_free(httpx__stream *s) { if (s) s->ops->free(s); }
/* End of net.c */

#if defined(HTTPX_LINES)
#line 9812 "httpx.h"
#endif
/* ======================================================================
   Begin file multipart_internal.h   (grep anchor: >>multipart_internal)
   ====================================================================== */
/* multipart_internal.h: multipart/form-data bodies (multipart.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/multipart_internal.h"
#endif
#ifndef HTTPX__MULTIPART_INTERNAL_H
#define HTTPX__MULTIPART_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* ---- multipart/form-data encoder, streamed ---- */

typedef struct httpx__multipart httpx__multipart;
/* Prepares a body of fields (may be NULL) and files. Opens path files now so
   that a missing file is an error before anything is sent. */
HTTPX__PRIVATE httpx__multipart *httpx__multipart_new(const httpx_pair *fields, const httpx_file *files, httpx__err *e);
/* "multipart/form-data; boundary=..." */
HTTPX__PRIVATE const char *httpx__multipart_content_type(const httpx__multipart *m);
/* Total length when every part has a known size, else -1 (sent chunked). */
HTTPX__PRIVATE long long httpx__multipart_length(const httpx__multipart *m);
/* Next bytes of the body: >0 bytes, 0 at the end, -1 on a read error (e filled). */
HTTPX__PRIVATE long httpx__multipart_read(httpx__multipart *m, void *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE void httpx__multipart_free(httpx__multipart *m);

#endif /* HTTPX__MULTIPART_INTERNAL_H */
/* End of multipart_internal.h */

#if defined(HTTPX_LINES)
#line 9843 "httpx.h"
#endif
/* ======================================================================
   Begin file multipart.c   (grep anchor: >>multipart)
   ====================================================================== */
/* multipart: the multipart/form-data encoder (RFC 7578), streamed.

   The body is a list of segments read in order: for each part a head (built
   here, kept in m->heads) and a content (the caller's memory, a file we
   opened, or the caller's FILE*), then the closing delimiter. Files are read
   piece by piece as the body is sent, never whole, through stdio so that
   small reads (a nearly full socket, an HTTP/2 window) cost no system call
   each.

   Names and filenames are escaped the way browsers do (WHATWG "multipart/
   form-data encoding algorithm"): in names every line break (CR, LF, CRLF)
   becomes %0D%0A, in filenames CR becomes %0D and LF %0A, and '"' becomes %22
   in both. Text values are sent as given, as Python HTTPX does; browsers
   would turn their line breaks into CRLF, but a caller of an HTTP client
   means the bytes it passed.

   Lifetime: the caller's field values, file data and FILE*s are not copied
   and must stay valid (and open) until the body has been read or the
   multipart freed. Names, filenames and content types are copied. */
#if defined(HTTPX_LINES)
#line 19 "tools/src/multipart.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "multipart_internal.h": earlier in httpx.h */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

enum { HTTPX__MP_HEAD, HTTPX__MP_MEM, HTTPX__MP_FILE };

#define HTTPX__MP_BOUNDARY_BYTES 16   /* 128 bits, printed as 32 hex digits */
#define HTTPX__MP_BOUNDARY_TRIES 16

typedef struct httpx__mp_seg {
    int kind;
    const char *mem;        /* MEM: the caller's bytes */
    size_t off;             /* HEAD: where its bytes start in m->heads */
    long long size;         /* bytes it yields; -1: until end of file */
    long long done;         /* bytes yielded so far */
    FILE *fp;               /* FILE: from path or the caller's */
    bool own_fp;            /* we opened fp (from path): closed in _free */
    char *label;            /* FILE: names the source in error messages */
} httpx__mp_seg;

struct httpx__multipart {
    httpx__mp_seg *segs;    /* head, content, head, content, ..., closing delimiter */
    size_t nsegs, cur;
    httpx__buf heads;       /* the bytes of every HEAD segment */
    char boundary[2 * HTTPX__MP_BOUNDARY_BYTES + 1];
    char content_type[80];
    long long length;       /* -1 when a content's size is unknown */
    bool failed;            /* a read failed: the body cannot be finished */
};

static httpx_error httpx__mp_nomem(httpx__err *e) {
    return httpx__fail(e, HTTPX_ERR_NOMEM, "multipart: out of memory");
}

/* ---- counting and checking what the caller gave ---- */

static size_t httpx__mp_count_fields(const httpx_pair *fields) {
    size_t n = 0;
    while (fields && (fields[n].name || fields[n].value)) n++;
    return n;
}

static bool httpx__mp_file_is_end(const httpx_file *f) {
    return !f->field && !f->data && !f->path && !f->fp;
}

static size_t httpx__mp_count_files(const httpx_file *files) {
    size_t n = 0;
    while (files && !httpx__mp_file_is_end(&files[n])) n++;
    return n;
}

/* A content type goes on a header line of its own: a line break in it would
   let the caller's text end the part head, or fake a delimiter. */
static bool httpx__mp_ctype_ok(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
}

static httpx_error httpx__mp_check_file(const httpx_file *f, size_t i, httpx__err *e) {
    int sources = (f->data != NULL) + (f->path != NULL) + (f->fp != NULL);
    if (!f->field)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: files[%zu] has no field name", i);
    if (sources != 1)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "multipart: file field \"%s\" must set exactly one of data, path and fp (%d set)",
                           f->field, sources);
    if (f->data && f->size > (unsigned long long)LLONG_MAX)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: file field \"%s\": size too large", f->field);
    if (f->content_type && !httpx__mp_ctype_ok(f->content_type))
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                           "multipart: file field \"%s\": control character (CR, LF, ...) in content_type",
                           f->field);
    return HTTPX_OK;
}

/* ---- sources ---- */

static httpx_error httpx__mp_sys_fail(httpx__err *e, httpx_error code, int err, const char *what,
                                      const char *label) {
    httpx__fail(e, code, "multipart: %s %s: %s", what, label, strerror(err));
    if (e) e->sys_errno = err;
    return code;
}

static char *httpx__mp_label_path(const httpx_file *f) {
    httpx__buf b;
    memset(&b, 0, sizeof b);
    if (!httpx__buf_printf(&b, "\"%s\" (field \"%s\")", f->path, f->field)) {
        httpx__buf_free(&b);
        return NULL;
    }
    return b.p;
}

static char *httpx__mp_label_fp(const httpx_file *f) {
    httpx__buf b;
    memset(&b, 0, sizeof b);
    if (!httpx__buf_printf(&b, "the FILE* of field \"%s\"", f->field)) {
        httpx__buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* Opens now, so that a missing file fails before a byte is sent. open()
   rather than fopen(): a child the program forks must not inherit it. */
static httpx_error httpx__mp_open_path(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    struct stat st;
    int fd, flags = O_RDONLY;
#ifdef O_CLOEXEC
    flags |= O_CLOEXEC;
#endif
    s->kind = HTTPX__MP_FILE;
    s->label = httpx__mp_label_path(f);
    if (!s->label) return httpx__mp_nomem(e);
    do fd = open(f->path, flags); while (fd < 0 && errno == EINTR);
    if (fd < 0) return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, errno, "cannot open", s->label);
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, err, "cannot stat", s->label);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: %s is a directory", s->label);
    }
    s->fp = fdopen(fd, "rb");
    if (!s->fp) {
        int err = errno;
        close(fd);
        return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, err, "cannot use", s->label);
    }
    s->own_fp = true;
    /* A pipe or device has no size: it is read to its end and sent chunked. */
    s->size = S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
    return HTTPX_OK;
}

/* The size is what is left from the current position, when the stream is a
   regular file; anything else is read to its end. */
static httpx_error httpx__mp_use_fp(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    struct stat st;
    int fd = fileno(f->fp);
    s->kind = HTTPX__MP_FILE;
    s->fp = f->fp;
    s->size = -1;
    s->label = httpx__mp_label_fp(f);
    if (!s->label) return httpx__mp_nomem(e);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        long long pos = (long long)ftello(f->fp);
        if (pos >= 0) s->size = (long long)st.st_size > pos ? (long long)st.st_size - pos : 0;
    }
    return HTTPX_OK;
}

static httpx_error httpx__mp_set_content(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    if (f->path) return httpx__mp_open_path(s, f, e);
    if (f->fp) return httpx__mp_use_fp(s, f, e);
    s->kind = HTTPX__MP_MEM;
    s->mem = (const char *)f->data;
    s->size = (long long)f->size;
    return HTTPX_OK;
}

/* ---- the boundary ---- */

/* Without /dev/urandom (a chroot, a sandbox) the boundary only has to be
   unlikely to occur in the content, not secret: the clocks and a heap and
   a stack address, mixed, serve for that. */
static void httpx__mp_weak_random(unsigned char *out, size_t n, const void *salt, unsigned attempt) {
    uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20) ^ (uint64_t)(uintptr_t)salt, r = 0;
    size_t i;
    x ^= (uint64_t)(httpx__now() * 1e9) ^ ((uint64_t)(uintptr_t)&x << 7) ^ ((uint64_t)attempt << 48);
    for (i = 0; i < n; i++) {
        if (i % 8 == 0) r = httpx__splitmix64(&x);
        out[i] = (unsigned char)(r >> (8 * (i % 8)));
    }
}

static void httpx__mp_new_boundary(httpx__multipart *m, unsigned attempt) {
    unsigned char r[HTTPX__MP_BOUNDARY_BYTES];
    if (!httpx__random(r, sizeof r)) httpx__mp_weak_random(r, sizeof r, m, attempt);
    httpx__hex_encode(m->boundary, r, sizeof r);
    m->boundary[2 * sizeof r] = 0;
}

static bool httpx__mp_contains(const char *hay, size_t n, const char *needle, size_t k) {
    const char *p = hay, *end = hay + n;
    while ((size_t)(end - p) >= k) {
        p = (const char *)memchr(p, needle[0], (size_t)(end - p) - k + 1);
        if (!p) return false;
        if (memcmp(p, needle, k) == 0) return true;
        p++;
    }
    return false;
}

/* Only in-memory contents are checked. Files are streamed and never read
   whole, so they are not: with 128 random bits the chance that a file holds
   the boundary by accident is about n / 2^128 for n bytes, negligible.
   Heads need no check: no line break can get into a name, filename or
   content type, and a delimiter must start a line. */
static bool httpx__mp_boundary_clashes(const httpx__multipart *m) {
    size_t i, k = strlen(m->boundary);
    for (i = 0; i < m->nsegs; i++) {
        const httpx__mp_seg *s = &m->segs[i];
        if (s->kind == HTTPX__MP_MEM && httpx__mp_contains(s->mem, (size_t)s->size, m->boundary, k))
            return true;
    }
    return false;
}

static httpx_error httpx__mp_choose_boundary(httpx__multipart *m, httpx__err *e) {
    unsigned attempt;
    for (attempt = 0; attempt < HTTPX__MP_BOUNDARY_TRIES; attempt++) {
        httpx__mp_new_boundary(m, attempt);
        if (!httpx__mp_boundary_clashes(m)) {
            snprintf(m->content_type, sizeof m->content_type, "multipart/form-data; boundary=%s", m->boundary);
            return HTTPX_OK;
        }
    }
    return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL,
                       "multipart: no boundary absent from the content after %u tries", attempt);
}

/* ---- part heads ---- */

/* Names: CR, LF and CRLF all become one CRLF, written %0D%0A. Filenames: CR
   and LF escaped one by one, without that normalisation (WHATWG). */
static bool httpx__mp_put_escaped(httpx__buf *b, const char *s, bool is_name) {
    bool ok = true;
    for (; *s && ok; s++) {
        if (is_name && (*s == '\r' || *s == '\n')) {
            if (s[0] == '\r' && s[1] == '\n') s++;
            ok = httpx__buf_puts(b, "%0D%0A");
        } else if (*s == '\r') {
            ok = httpx__buf_puts(b, "%0D");
        } else if (*s == '\n') {
            ok = httpx__buf_puts(b, "%0A");
        } else if (*s == '"') {
            ok = httpx__buf_puts(b, "%22");
        } else {
            ok = httpx__buf_putc(b, *s);
        }
    }
    return ok;
}

static const char *httpx__mp_filename(const httpx_file *f) {
    if (f->filename) return f->filename;
    if (f->path) {
        const char *slash = strrchr(f->path, '/');
        const char *base = slash ? slash + 1 : f->path;
        if (*base) return base;
    }
    return "upload";
}

/* Starts a part: the delimiter (CRLF first, but for the first part) and the
   Content-Disposition up to its name. */
static bool httpx__mp_put_opening(httpx__multipart *m, const char *name) {
    httpx__buf *b = &m->heads;
    return (b->len == 0 || httpx__buf_puts(b, "\r\n")) && httpx__buf_puts(b, "--") &&
           httpx__buf_puts(b, m->boundary) &&
           httpx__buf_puts(b, "\r\nContent-Disposition: form-data; name=\"") &&
           httpx__mp_put_escaped(b, name, true) && httpx__buf_putc(b, '"');
}

static bool httpx__mp_put_field_head(httpx__multipart *m, const char *name) {
    return httpx__mp_put_opening(m, name) && httpx__buf_puts(&m->heads, "\r\n\r\n");
}

static bool httpx__mp_put_file_head(httpx__multipart *m, const httpx_file *f) {
    const char *ctype = f->content_type && *f->content_type ? f->content_type : "application/octet-stream";
    httpx__buf *b = &m->heads;
    return httpx__mp_put_opening(m, f->field) && httpx__buf_puts(b, "; filename=\"") &&
           httpx__mp_put_escaped(b, httpx__mp_filename(f), false) &&
           httpx__buf_puts(b, "\"\r\nContent-Type: ") && httpx__buf_puts(b, ctype) &&
           httpx__buf_puts(b, "\r\n\r\n");
}

static bool httpx__mp_put_closing(httpx__multipart *m) {
    httpx__buf *b = &m->heads;
    return (b->len == 0 || httpx__buf_puts(b, "\r\n")) && httpx__buf_puts(b, "--") &&
           httpx__buf_puts(b, m->boundary) && httpx__buf_puts(b, "--\r\n");
}

/* Fills in segment i (a HEAD) as the bytes from `start` to the end of heads. */
static void httpx__mp_seal_head(httpx__multipart *m, size_t i, size_t start) {
    m->segs[i].kind = HTTPX__MP_HEAD;
    m->segs[i].off = start;
    m->segs[i].size = (long long)(m->heads.len - start);
}

static httpx_error httpx__mp_build_heads(httpx__multipart *m, const httpx_pair *fields, size_t nfields,
                                         const httpx_file *files, httpx__err *e) {
    size_t i, start;
    for (i = 0; i + 1 < m->nsegs; i += 2) {
        size_t part = i / 2;
        bool ok;
        start = m->heads.len;
        if (part < nfields) ok = httpx__mp_put_field_head(m, fields[part].name);
        else ok = httpx__mp_put_file_head(m, &files[part - nfields]);
        if (!ok) return httpx__mp_nomem(e);
        httpx__mp_seal_head(m, i, start);
    }
    start = m->heads.len;
    if (!httpx__mp_put_closing(m)) return httpx__mp_nomem(e);
    httpx__mp_seal_head(m, m->nsegs - 1, start);
    return HTTPX_OK;
}

static httpx_error httpx__mp_sum_length(httpx__multipart *m, httpx__err *e) {
    size_t i;
    m->length = 0;
    for (i = 0; i < m->nsegs; i++) {
        long long n = m->segs[i].size;
        if (n < 0) {
            m->length = -1;
            return HTTPX_OK;
        }
        if (n > LLONG_MAX - m->length)
            return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: the body would be over %lld bytes", LLONG_MAX);
        m->length += n;
    }
    return HTTPX_OK;
}

/* ---- construction ---- */

static httpx_error httpx__mp_add_contents(httpx__multipart *m, const httpx_pair *fields, size_t nfields,
                                          const httpx_file *files, size_t nfiles, httpx__err *e) {
    size_t i;
    for (i = 0; i < nfields; i++) {
        httpx__mp_seg *s = &m->segs[2 * i + 1];
        const char *v = fields[i].value ? fields[i].value : "";
        if (!fields[i].name)
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: fields[%zu] has a value but no name", i);
        s->kind = HTTPX__MP_MEM;
        s->mem = v;
        s->size = (long long)strlen(v);
    }
    for (i = 0; i < nfiles; i++) {
        httpx_error err = httpx__mp_check_file(&files[i], i, e);
        if (!err) err = httpx__mp_set_content(&m->segs[2 * (nfields + i) + 1], &files[i], e);
        if (err) return err;
    }
    return HTTPX_OK;
}

static httpx__multipart *httpx__mp_alloc(size_t nparts, httpx__err *e) {
    httpx__multipart *m;
    if (nparts > ((size_t)-1 / sizeof(httpx__mp_seg) - 1) / 2) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: too many parts (%zu)", nparts);
        return NULL;
    }
    m = (httpx__multipart *)httpx__malloc(sizeof *m);
    if (!m) {
        httpx__mp_nomem(e);
        return NULL;
    }
    memset(m, 0, sizeof *m);
    m->nsegs = 2 * nparts + 1;
    m->segs = (httpx__mp_seg *)httpx__malloc(m->nsegs * sizeof(httpx__mp_seg));
    if (!m->segs) {
        httpx__free(m);
        httpx__mp_nomem(e);
        return NULL;
    }
    memset(m->segs, 0, m->nsegs * sizeof(httpx__mp_seg));
    return m;
}

HTTPX__PRIVATE httpx__multipart *httpx__multipart_new(const httpx_pair *fields, const httpx_file *files,
                                                      httpx__err *e) {
    size_t nfields = httpx__mp_count_fields(fields), nfiles = httpx__mp_count_files(files);
    httpx__multipart *m = httpx__mp_alloc(nfields + nfiles, e);
    if (!m) return NULL;
    if (httpx__mp_add_contents(m, fields, nfields, files, nfiles, e) || httpx__mp_choose_boundary(m, e) ||
        httpx__mp_build_heads(m, fields, nfields, files, e) || httpx__mp_sum_length(m, e)) {
        httpx__multipart_free(m);
        return NULL;
    }
    return m;
}

HTTPX__PRIVATE const char *httpx__multipart_content_type(const httpx__multipart *m) {
    return m->content_type;
}

HTTPX__PRIVATE long long httpx__multipart_length(const httpx__multipart *m) {
    return m->length;
}

HTTPX__PRIVATE void httpx__multipart_free(httpx__multipart *m) {
    size_t i;
    if (!m) return;
    for (i = 0; i < m->nsegs; i++) {
        if (m->segs[i].own_fp) fclose(m->segs[i].fp);
        httpx__free(m->segs[i].label);
    }
    httpx__free(m->segs);
    httpx__buf_free(&m->heads);
    httpx__free(m);
}

/* ---- reading ---- */

static long httpx__mp_read_file(httpx__mp_seg *s, char *out, size_t n, httpx__err *e) {
    size_t r = fread(out, 1, n, s->fp);
    if (r < n && ferror(s->fp)) {
        httpx__mp_sys_fail(e, HTTPX_ERR_LOCAL_PROTOCOL, errno, "cannot read", s->label);
        return -1;
    }
    return (long)r;
}

/* Up to cap bytes of one segment; 0 when it is finished. A file of known
   size yields exactly that many bytes: more would break the Content-Length
   already announced, fewer is an error rather than a short body. */
static long httpx__mp_seg_read(httpx__multipart *m, httpx__mp_seg *s, char *out, size_t cap, httpx__err *e) {
    long n;
    if (s->size >= 0) {
        long long left = s->size - s->done;
        if (left <= 0) return 0;
        if ((unsigned long long)left < (unsigned long long)cap) cap = (size_t)left;
    }
    if (s->kind == HTTPX__MP_HEAD || s->kind == HTTPX__MP_MEM) {
        const char *from = s->kind == HTTPX__MP_HEAD ? m->heads.p + s->off : s->mem;
        memcpy(out, from + s->done, cap);
        n = (long)cap;
    } else {
        n = httpx__mp_read_file(s, out, cap, e);
        if (n == 0 && s->size >= 0) {
            httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL,
                        "multipart: %s ended after %lld of its %lld bytes (did it shrink?)", s->label, s->done,
                        s->size);
            return -1;
        }
    }
    if (n > 0) s->done += n;
    return n;
}

HTTPX__PRIVATE long httpx__multipart_read(httpx__multipart *m, void *buf, size_t cap, httpx__err *e) {
    char *out = (char *)buf;
    size_t got = 0;
    if (m->failed) {
        httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "multipart: read after an earlier read failed");
        return -1;
    }
    if (cap == 0) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: read with a buffer of 0 bytes");
        return -1;
    }
    if (cap > (size_t)LONG_MAX) cap = (size_t)LONG_MAX;
    while (got < cap && m->cur < m->nsegs) {
        long n = httpx__mp_seg_read(m, &m->segs[m->cur], out + got, cap - got, e);
        if (n < 0) {
            m->failed = true;
            return -1;
        }
        if (n == 0) m->cur++;
        got += (size_t)n;
    }
    return (long)got;
}
/* End of multipart.c */

#if defined(HTTPX_LINES)
#line 10351 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_internal.h   (grep anchor: >>dns_internal)
   ====================================================================== */
/* dns_internal.h: name resolution as the other components see it (dns.c; dns_private.h is what the resolver's files share).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/dns_internal.h"
#endif
#ifndef HTTPX__DNS_INTERNAL_H
#define HTTPX__DNS_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* ---- dns: name resolution that never blocks the loop ----
   Numeric hosts, "localhost" and /etc/hosts names answer at once (inside
   httpx__dns_start). Other names go to the nameservers of /etc/resolv.conf
   (or the client's) over UDP, A and AAAA, with search domains, timeout and
   retry. With HTTPX_DNS_THREADS defined, getaddrinfo on a helper thread does
   it instead. */
typedef struct httpx__dns_config {
    const char *const *nameservers; /* NULL: from /etc/resolv.conf ("ip" or "ip:port" each, NULL-terminated) */
    double timeout;                 /* per try, seconds; 0: 2 s (resolv.conf "options timeout:" wins when set there) */
    int attempts;                   /* 0: 2 (resolv.conf "options attempts:") */
    const char *hosts_file;         /* NULL: /etc/hosts (tests point it elsewhere) */
    const char *resolv_conf;        /* NULL: /etc/resolv.conf */
} httpx__dns_config;
typedef struct httpx__dns httpx__dns;
/* Starts resolving host (port goes into the addresses). Returns NULL on
   failure (e filled: HTTPX_ERR_CONNECT naming the host, or NOMEM). When the
   answer is known at once, httpx__dns_step returns 1 on its first call. */
HTTPX__PRIVATE httpx__dns *httpx__dns_start(const httpx__dns_config *cfg, const char *host, int port, httpx__err *e);
/* The fd to poll for POLLIN while the lookup runs, or -1 when none is needed
   (answer already known: call step). */
HTTPX__PRIVATE httpx__sock httpx__dns_fd(const httpx__dns *d);
/* The poll events to wait for on that fd: POLLIN, or POLLOUT while a TCP
   fallback connects or sends. */
HTTPX__PRIVATE short httpx__dns_events(const httpx__dns *d);
/* When the current try times out (monotonic seconds, httpx__now()), 0 if none. */
HTTPX__PRIVATE double httpx__dns_deadline(const httpx__dns *d);
/* Does what is ready without waiting: reads answers, sends retries when the
   deadline passed. 1 done (out filled, IPv6 and IPv4 addresses, at most
   HTTPX__MAX_ADDRS), 0 still waiting, HTTPX__BAD failed (e: HTTPX_ERR_CONNECT with a
   message naming the host and why: NXDOMAIN, SERVFAIL, timeout, malformed). */
HTTPX__PRIVATE int httpx__dns_step(httpx__dns *d, httpx__addrs *out, httpx__err *e);
HTTPX__PRIVATE void httpx__dns_free(httpx__dns *d);

#if defined(HTTPX__TEST_HOOKS) && defined(HTTPX_DNS_THREADS)
/* Waits until no lookup thread runs (the tests' leak check at exit must not
   race a detached thread that still owns its job). */
HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void);
#endif
#endif /* HTTPX__DNS_INTERNAL_H */
/* End of dns_internal.h */

#if defined(HTTPX_LINES)
#line 10407 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_private.h   (grep anchor: >>dns_private)
   ====================================================================== */
/* dns_private.h: what the pieces of the resolver share, and nothing else
   sees (tools/amalgamate.py refuses it anywhere else):
       dns.c         the interface, answers known at once (numbers,
                     localhost, the hosts file), the helpers below
       dns_conf.c    resolv.conf and the names a host is tried as
       dns_wire.c    the DNS message format (pure: no I/O, no allocation)
       dns_stub.c    the stub resolver: queries over UDP, TCP on truncation
       dns_thread.c  getaddrinfo on a helper thread (HTTPX_DNS_THREADS)
   Exactly one of dns_stub.c and dns_thread.c is compiled in. */
#if defined(HTTPX_LINES)
#line 9 "tools/src/dns_private.h"
#endif
#ifndef HTTPX__DNS_PRIVATE_H
#define HTTPX__DNS_PRIVATE_H
/* #include "internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "dns_internal.h": earlier in httpx.h */

#define HTTPX__DNS_MAX_NS 3         /* as glibc's MAXNS */
#define HTTPX__DNS_MAX_SEARCH 6     /* as glibc's MAXDNSRCH */
#define HTTPX__DNS_NAME 256         /* a dotted name (at most 253) and its NUL */
#define HTTPX__DNS_QMAX 300         /* a query: 12 + 255 + 4 */

enum { HTTPX__DNS_RUNNING, HTTPX__DNS_DONE, HTTPX__DNS_FAILED };

/* Addresses as they are found, per family, before they are interleaved. */
typedef struct httpx__dns_list {
    unsigned char v4[HTTPX__MAX_ADDRS][4];
    unsigned char v6[HTTPX__MAX_ADDRS][16];
    int n4, n6;
} httpx__dns_list;
/* family is AF_INET (a: 4 bytes) or AF_INET6 (16); beyond HTTPX__MAX_ADDRS
   of a family, more are dropped. */
HTTPX__PRIVATE void httpx__dns_list_add(httpx__dns_list *l, int family, const void *a);

/* Next whitespace-separated token of *p (NUL-terminated in place), or NULL. */
HTTPX__PRIVATE char *httpx__dns_token(char **p);
/* A host name we are willing to put on the wire: 1..253 bytes (a final dot
   aside), labels of 1..63 printable bytes. */
HTTPX__PRIVATE bool httpx__dns_name_ok(const char *h);

/* Reads a text file line by line with fixed memory (a hosts file may be
   megabytes long). Lines longer than the buffer are cut. */
typedef struct httpx__dns_lines {
    int fd;
    size_t len, off;
    bool eof;
    char buf[4096];
    char line[1024];
} httpx__dns_lines;
HTTPX__PRIVATE bool httpx__dns_lines_open(httpx__dns_lines *r, const char *path);
HTTPX__PRIVATE char *httpx__dns_lines_next(httpx__dns_lines *r);   /* NULL at the end */
HTTPX__PRIVATE void httpx__dns_lines_close(httpx__dns_lines *r);

#ifndef HTTPX_DNS_THREADS

/* ---- dns_conf.c ---- */

typedef struct httpx__dns_rc {
    struct sockaddr_storage ns[HTTPX__DNS_MAX_NS];
    socklen_t ns_len[HTTPX__DNS_MAX_NS];
    int nns;
    char search[HTTPX__DNS_MAX_SEARCH][HTTPX__DNS_NAME];
    int nsearch;
    int ndots, attempts;
    double timeout;
} httpx__dns_rc;
/* Reads resolv.conf (a missing file leaves the defaults, as glibc does), then
   lets cfg override. ndots, timeout and attempts are capped as glibc caps them. */
HTTPX__PRIVATE void httpx__dns_rc_load(httpx__dns_rc *rc, const httpx__dns_config *cfg);
/* The names to ask for, in order (glibc's res_search); how many (<= max). */
HTTPX__PRIVATE int httpx__dns_candidates(const httpx__dns_rc *rc, const char *host, char out[][HTTPX__DNS_NAME], int max);
/* "ip:port" or "[v6]:port" of nameserver i, for messages. */
HTTPX__PRIVATE void httpx__dns_ns_string(const httpx__dns_rc *rc, int i, char *out, size_t cap);

/* ---- dns_wire.c: RFC 1035 section 4, RFC 3596 ---- */

enum { HTTPX__DNS_T_A = 1, HTTPX__DNS_T_CNAME = 5, HTTPX__DNS_T_AAAA = 28 };
enum { HTTPX__DNS_IGNORED = 0, HTTPX__DNS_PARSED = 1, HTTPX__DNS_MALFORMED = -1 };

typedef struct httpx__dns_answer {
    int rcode;
    bool tc;
    httpx__dns_list addrs;
} httpx__dns_answer;
/* Writes a query for name (a checked host name, httpx__dns_name_ok) into p
   (HTTPX__DNS_QMAX bytes); its length. */
HTTPX__PRIVATE size_t httpx__dns_encode_query(unsigned char *p, unsigned id, const char *name, int type);
/* Decodes the name at *off as lower-case wire format into out (256 bytes). */
HTTPX__PRIVATE bool httpx__dns_get_name(const unsigned char *pkt, size_t len, size_t *off, unsigned char *out,
                                        size_t *outlen);
HTTPX__PRIVATE unsigned httpx__dns_u16(const unsigned char *p);
/* Reads pkt as an answer to the question qwire/qtype: HTTPX__DNS_IGNORED,
   _MALFORMED or _PARSED (a filled). */
HTTPX__PRIVATE int httpx__dns_parse(const unsigned char *pkt, size_t len, const unsigned char *qwire, size_t qwlen,
                                    int qtype, httpx__dns_answer *a);
HTTPX__PRIVATE const char *httpx__dns_rcode_text(int rcode);

/* ---- dns_stub.c ---- */

typedef struct httpx__dns_q {
    unsigned id;
    int type, state;
    size_t len;
    unsigned char pkt[HTTPX__DNS_QMAX];
} httpx__dns_q;

#else
typedef struct httpx__dns_job httpx__dns_job;   /* dns_thread.c */
#endif

struct httpx__dns {
    int state, port;
    char host[HTTPX__DNS_NAME];     /* as the caller wrote it: for messages */
    httpx__dns_list found;
    httpx__err err;                 /* when FAILED */
#ifdef HTTPX_DNS_THREADS
    httpx__dns_job *job;
#else
    httpx__dns_rc rc;
    char cand[HTTPX__DNS_MAX_SEARCH + 1][HTTPX__DNS_NAME];
    int ncand, icand;
    unsigned char qwire[256];       /* the current candidate, as in the question */
    size_t qwlen;
    httpx__dns_q q[2];              /* A, AAAA */
    int round;                      /* tries so far for this candidate; ns = round % nns */
    int sock_ns;                    /* which nameserver fd is connected to */
    int fd;                         /* UDP */
    double deadline;
    int why_rcode;                  /* why the last try failed: the server's rcode, */
    bool why_malformed, why_refused;/* an unreadable answer, ICMP port unreachable */
    bool nodata;                    /* some name exists but has no A/AAAA */
    int ignored;                    /* packets that were not answers to us */
    uint64_t rng;
    /* the TCP fallback for a truncated answer */
    int tcp_fd;
    bool tcp_connecting;
    httpx__buf tcp_out, tcp_in;
    size_t tcp_out_off;
#endif
};

/* Fails the lookup: "could not resolve host 'h': <why>" into d->err and e;
   returns HTTPX__BAD. */
HTTPX__PRIVATE int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(HTTPX__PRINTF, 3, 4)))
#endif
    ;

/* The lookup of a name that is not known at once, in one of two ways. start
   takes d (freed on failure, NULL returned, e filled); step returns 1 done,
   0 waiting, HTTPX__BAD failed, with d->state set to match. */
#ifndef HTTPX_DNS_THREADS
HTTPX__PRIVATE httpx__dns *httpx__dns_stub_start(httpx__dns *d, const httpx__dns_config *cfg, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_stub_step(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_stub_fd(const httpx__dns *d);
HTTPX__PRIVATE short httpx__dns_stub_events(const httpx__dns *d);
HTTPX__PRIVATE void httpx__dns_stub_close(httpx__dns *d);
#else
HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE int httpx__dns_thread_step(httpx__dns *d, httpx__err *e);
HTTPX__PRIVATE httpx__sock httpx__dns_thread_fd(const httpx__dns *d);
HTTPX__PRIVATE void httpx__dns_thread_close(httpx__dns *d);
#endif

#endif /* HTTPX__DNS_PRIVATE_H */
/* End of dns_private.h */

#if defined(HTTPX_LINES)
#line 10582 "httpx.h"
#endif
/* ======================================================================
   Begin file dns.c   (grep anchor: >>dns)
   ====================================================================== */
/* dns: name resolution that never blocks the loop.

   httpx__dns_start answers numeric hosts, "localhost" (RFC 6761) and hosts-file
   names at once. Other names go to the stub resolver of dns_stub.c (or, with
   HTTPX_DNS_THREADS, to getaddrinfo on a helper thread: dns_thread.c); this
   file is the interface both sit behind, and what they share.

   Addresses come out interleaved, IPv6 first (v6, v4, v6, v4, ...): a caller
   that tries them in order gets both families early (RFC 8305 section 4). */
#if defined(HTTPX_LINES)
#line 9 "tools/src/dns.c"
#endif
/* #include "dns_private.h": earlier in httpx.h */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#if defined(_WIN32)
#include <io.h>                 /* open, read, close */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#else
#include <unistd.h>
#endif

/* ---- small helpers ---- */

HTTPX__PRIVATE void httpx__dns_list_add(httpx__dns_list *l, int family, const void *a) {
    if (family == AF_INET && l->n4 < HTTPX__MAX_ADDRS) memcpy(l->v4[l->n4++], a, 4);
    if (family == AF_INET6 && l->n6 < HTTPX__MAX_ADDRS) memcpy(l->v6[l->n6++], a, 16);
}

/* Interleaved, IPv6 first, at most HTTPX__MAX_ADDRS. */
static void httpx__dns_list_out(const httpx__dns_list *l, int port, httpx__addrs *out) {
    int i4 = 0, i6 = 0, turn6 = 1;
    memset(out, 0, sizeof *out);
    while (out->count < HTTPX__MAX_ADDRS && (i4 < l->n4 || i6 < l->n6)) {
        int k = out->count;
        if ((turn6 && i6 < l->n6) || i4 >= l->n4)
            out->len[k] = httpx__sockaddr_make(&out->addr[k], AF_INET6, l->v6[i6++], port);
        else
            out->len[k] = httpx__sockaddr_make(&out->addr[k], AF_INET, l->v4[i4++], port);
        out->count++;
        turn6 = !turn6;
    }
}

static bool httpx__dns_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

HTTPX__PRIVATE char *httpx__dns_token(char **p) {
    char *s = *p, *t;
    while (*s && httpx__dns_space((unsigned char)*s)) s++;
    if (!*s) { *p = s; return NULL; }
    t = s;
    while (*s && !httpx__dns_space((unsigned char)*s)) s++;
    if (*s) *s++ = 0;
    *p = s;
    return t;
}

HTTPX__PRIVATE bool httpx__dns_lines_open(httpx__dns_lines *r, const char *path) {
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    r->len = r->off = 0;
    r->eof = false;
    return r->fd >= 0;
}

HTTPX__PRIVATE char *httpx__dns_lines_next(httpx__dns_lines *r) {
    size_t n = 0;
    bool any = false;
    for (;;) {
        if (r->off == r->len) {
            ssize_t got;
            if (r->eof) break;
            do got = read(r->fd, r->buf, sizeof r->buf); while (got < 0 && errno == EINTR);
            if (got <= 0) { r->eof = true; break; }
            r->len = (size_t)got;
            r->off = 0;
        }
        any = true;
        {
            char c = r->buf[r->off++];
            if (c == '\n') break;
            if (n < sizeof r->line - 1) r->line[n++] = c;
        }
    }
    r->line[n] = 0;
    return any ? r->line : NULL;
}

HTTPX__PRIVATE void httpx__dns_lines_close(httpx__dns_lines *r) {
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
}

HTTPX__PRIVATE bool httpx__dns_name_ok(const char *h) {
    size_t n = strlen(h), label = 0, i;
    if (n && h[n - 1] == '.') n--;
    if (n == 0 || n > 253) return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c == 0x7f) return false;
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (++label > 63) {
            return false;
        }
    }
    return label > 0;
}

/* ---- answers known at once: numbers, localhost, the hosts file ---- */

static bool httpx__dns_numeric(const char *host, httpx__dns_list *l) {
    unsigned char a[16];
    int n = httpx__ip_parse(host, a);
    if (n) httpx__dns_list_add(l, n == 4 ? AF_INET : AF_INET6, a);
    return n != 0;
}

static bool httpx__dns_localhost(const char *host, httpx__dns_list *l) {
    static const unsigned char lo4[4] = { 127, 0, 0, 1 };
    static const unsigned char lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    size_t n = strlen(host);
    if (n && host[n - 1] == '.') n--;
    if (!(n == 9 && httpx__mem_ieq(host, "localhost", 9)) &&
        !(n > 10 && httpx__mem_ieq(host + n - 10, ".localhost", 10)))
        return false;
    httpx__dns_list_add(l, AF_INET6, lo6);
    httpx__dns_list_add(l, AF_INET, lo4);
    return true;
}

/* Every address the hosts file gives the name (canonical name or alias). */
static bool httpx__dns_hosts(const char *path, const char *host, httpx__dns_list *l) {
    httpx__dns_lines r;
    char name[HTTPX__DNS_NAME], *line;
    size_t n = strlen(host);
    bool found = false;
    if (n >= sizeof name) return false;
    memcpy(name, host, n + 1);
    if (n && name[n - 1] == '.') name[--n] = 0;
    if (!httpx__dns_lines_open(&r, path)) return false;
    while ((line = httpx__dns_lines_next(&r)) != NULL) {
        char *p = line, *addr, *tok, *hash = strchr(line, '#');
        unsigned char a[16];
        int family;
        if (hash) *hash = 0;
        if (!(addr = httpx__dns_token(&p))) continue;
        family = httpx__ip_parse(addr, a);
        if (!family) continue;
        family = family == 4 ? AF_INET : AF_INET6;
        while ((tok = httpx__dns_token(&p)) != NULL) {
            size_t tl = strlen(tok);
            if (tl && tok[tl - 1] == '.') tok[--tl] = 0;
            if (tl == n && httpx__mem_ieq(tok, name, n)) {
                httpx__dns_list_add(l, family, a);
                found = true;
                break;
            }
        }
    }
    httpx__dns_lines_close(&r);
    return found;
}

HTTPX__PRIVATE int httpx__dns_fail(httpx__dns *d, httpx__err *e, const char *fmt, ...) {
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    httpx__fail(&d->err, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': %s", d->host, why);
    d->state = HTTPX__DNS_FAILED;
    if (e) *e = d->err;
    return HTTPX__BAD;
}

/* A failure that is not about the name: a host name we will not send, no
   memory, no socket. */
static httpx__dns *httpx__dns_new(const char *host, int port, httpx__err *e) {
    httpx__dns *d;
    if (!host || !*host || strlen(host) >= HTTPX__DNS_NAME) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host ? host : "");
        return NULL;
    }
    d = (httpx__dns *)httpx__malloc(sizeof *d);
    if (!d) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", host);
        return NULL;
    }
    memset(d, 0, sizeof *d);
    d->port = port;
    memcpy(d->host, host, strlen(host) + 1);
#ifndef HTTPX_DNS_THREADS
    d->fd = d->tcp_fd = -1;     /* what httpx__dns_stub_close looks at */
    d->sock_ns = -1;
#endif
    return d;
}
/* ---- the interface ---- */

HTTPX__PRIVATE httpx__dns *httpx__dns_start(const httpx__dns_config *cfg, const char *host, int port, httpx__err *e) {
    httpx__dns *d;
    HTTPX_ASSERT(port >= 0 && port <= 65535);
    d = httpx__dns_new(host, port, e);
    if (!d) return NULL;
    if (httpx__dns_numeric(host, &d->found) || httpx__dns_localhost(host, &d->found) ||
        httpx__dns_hosts(cfg && cfg->hosts_file ? cfg->hosts_file : "/etc/hosts", host, &d->found)) {
        d->state = HTTPX__DNS_DONE;
        return d;
    }
    if (!httpx__dns_name_ok(host)) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': invalid host name", host);
        httpx__free(d);
        return NULL;
    }
#ifdef HTTPX_DNS_THREADS
    (void)cfg;
    return httpx__dns_thread_start(d, e);
#else
    return httpx__dns_stub_start(d, cfg, e);
#endif
}

HTTPX__PRIVATE httpx__sock httpx__dns_fd(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return HTTPX__NO_SOCK;
#ifdef HTTPX_DNS_THREADS
    return httpx__dns_thread_fd(d);
#else
    return httpx__dns_stub_fd(d);
#endif
}

HTTPX__PRIVATE double httpx__dns_deadline(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifdef HTTPX_DNS_THREADS
    return 0;   /* getaddrinfo keeps its own time */
#else
    return d->deadline;
#endif
}

HTTPX__PRIVATE short httpx__dns_events(const httpx__dns *d) {
    if (!d || d->state != HTTPX__DNS_RUNNING) return 0;
#ifdef HTTPX_DNS_THREADS
    return POLLIN;
#else
    return httpx__dns_stub_events(d);
#endif
}

HTTPX__PRIVATE int httpx__dns_step(httpx__dns *d, httpx__addrs *out, httpx__err *e) {
    HTTPX_ASSERT(d && out);
    if (d->state == HTTPX__DNS_RUNNING) {
#ifdef HTTPX_DNS_THREADS
        httpx__dns_thread_step(d, e);
#else
        httpx__dns_stub_step(d, e);
#endif
    }
    if (d->state == HTTPX__DNS_DONE) {
        httpx__dns_list_out(&d->found, d->port, out);
        return 1;
    }
    if (d->state == HTTPX__DNS_FAILED) {
        if (e) *e = d->err;
        return HTTPX__BAD;
    }
    return 0;
}

HTTPX__PRIVATE void httpx__dns_free(httpx__dns *d) {
    if (!d) return;
#ifdef HTTPX_DNS_THREADS
    httpx__dns_thread_close(d);
#else
    httpx__dns_stub_close(d);
#endif
    httpx__free(d);
}
/* End of dns.c */

#if defined(HTTPX_LINES)
#line 10872 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_conf.c   (grep anchor: >>dns_conf)
   ====================================================================== */
/* dns_conf: the stub resolver's configuration. resolv.conf as glibc reads
   it (nameserver, search, domain, options ndots/timeout/attempts; the last
   search or domain line wins), the client's overrides, and the names a host
   is tried as. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/dns_conf.c"
#endif
/* #include "dns_private.h": earlier in httpx.h */
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS       /* always defined on Windows: no stub resolver there */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* "ip", "ip:port", "[v6]" or "[v6]:port"; a v6 address may carry a numeric
   "%scope". */
static bool httpx__dns_parse_ns(const char *s, struct sockaddr_storage *ss, socklen_t *len) {
    char ip[64], *pct;
    unsigned char a[16];
    const char *port = NULL, *colon = strchr(s, ':');
    size_t n;
    long pnum = 53;
    unsigned long scope = 0;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end) return false;
        if (end[1] == ':') port = end + 2;
        else if (end[1]) return false;
        s++;
        n = (size_t)(end - s);
    } else if (colon && !strchr(colon + 1, ':')) {
        n = (size_t)(colon - s);
        port = colon + 1;
    } else {
        n = strlen(s);
    }
    if (n == 0 || n >= sizeof ip) return false;
    memcpy(ip, s, n);
    ip[n] = 0;
    if (port) {
        const char *q = port;
        pnum = 0;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || pnum > 65535) return false;
            pnum = pnum * 10 + (*q - '0');
        }
        if (pnum < 1 || pnum > 65535) return false;
    }
    if ((pct = strchr(ip, '%')) != NULL) {
        const char *q = pct + 1;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || scope > 0xffffffUL) return false;
            scope = scope * 10 + (unsigned long)(*q - '0');
        }
        *pct = 0;
    }
    if (!pct && inet_pton(AF_INET, ip, a) == 1) {
        *len = httpx__sockaddr_make(ss, AF_INET, a, (int)pnum);
        return true;
    }
    if (inet_pton(AF_INET6, ip, a) == 1) {
        *len = httpx__sockaddr_make(ss, AF_INET6, a, (int)pnum);
        ((struct sockaddr_in6 *)ss)->sin6_scope_id = (uint32_t)scope;
        return true;
    }
    return false;
}

static void httpx__dns_set_search(httpx__dns_rc *rc, char **p, bool one) {
    char *tok;
    rc->nsearch = 0;
    while ((tok = httpx__dns_token(p)) != NULL) {
        size_t n = strlen(tok);
        if (n && tok[n - 1] == '.') tok[--n] = 0;
        if (n == 0 || !httpx__dns_name_ok(tok)) continue;   /* "." (the root) or junk */
        if (rc->nsearch == HTTPX__DNS_MAX_SEARCH) break;
        memcpy(rc->search[rc->nsearch++], tok, n + 1);
        if (one) break;
    }
}

static int httpx__dns_option(const char *tok, const char *name, int lo, int hi) {
    size_t n = strlen(name);
    long v = 0;
    const char *q;
    if (strncmp(tok, name, n) != 0 || tok[n] != ':' || !tok[n + 1]) return -1;
    for (q = tok + n + 1; *q; q++) {
        if (*q < '0' || *q > '9') return -1;
        if (v < 1000) v = v * 10 + (*q - '0');
    }
    return (int)(v < lo ? lo : v > hi ? hi : v);
}

HTTPX__PRIVATE void httpx__dns_rc_load(httpx__dns_rc *rc, const httpx__dns_config *cfg) {
    httpx__dns_lines r;
    char *line;
    int timeout = 0, attempts = 0;
    memset(rc, 0, sizeof *rc);
    rc->ndots = 1;
    if (httpx__dns_lines_open(&r, cfg && cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf")) {
        while ((line = httpx__dns_lines_next(&r)) != NULL) {
            char *p = line, *kw, *tok, *c = strpbrk(line, "#;");
            if (c) *c = 0;
            if (!(kw = httpx__dns_token(&p))) continue;
            if (strcmp(kw, "nameserver") == 0) {
                if ((tok = httpx__dns_token(&p)) != NULL && rc->nns < HTTPX__DNS_MAX_NS &&
                    httpx__dns_parse_ns(tok, &rc->ns[rc->nns], &rc->ns_len[rc->nns]))
                    rc->nns++;
            } else if (strcmp(kw, "search") == 0) {
                httpx__dns_set_search(rc, &p, false);
            } else if (strcmp(kw, "domain") == 0) {
                httpx__dns_set_search(rc, &p, true);
            } else if (strcmp(kw, "options") == 0) {
                while ((tok = httpx__dns_token(&p)) != NULL) {
                    int v;
                    if ((v = httpx__dns_option(tok, "ndots", 0, 15)) >= 0) rc->ndots = v;
                    else if ((v = httpx__dns_option(tok, "timeout", 1, 30)) >= 0) timeout = v;
                    else if ((v = httpx__dns_option(tok, "attempts", 1, 5)) >= 0) attempts = v;
                }
            }
        }
        httpx__dns_lines_close(&r);
    }
    if (cfg && cfg->nameservers) {
        int i;
        rc->nns = 0;
        for (i = 0; cfg->nameservers[i] && rc->nns < HTTPX__DNS_MAX_NS; i++)
            if (httpx__dns_parse_ns(cfg->nameservers[i], &rc->ns[rc->nns], &rc->ns_len[rc->nns])) rc->nns++;
    }
    if (rc->nns == 0)   /* glibc's default: a resolver on this machine */
        httpx__dns_parse_ns("127.0.0.1", &rc->ns[rc->nns], &rc->ns_len[rc->nns]), rc->nns++;
    rc->timeout = cfg && cfg->timeout > 0 ? cfg->timeout : timeout ? (double)timeout : 2.0;
    rc->attempts = cfg && cfg->attempts > 0 ? cfg->attempts : attempts ? attempts : 2;
    if (rc->attempts > 10) rc->attempts = 10;
}

/* The names to ask for, in order (glibc's res_search): a name with a final
   dot is only itself; one with at least ndots dots is tried as it is first,
   then with each search domain; one with fewer, the other way round. */
HTTPX__PRIVATE int httpx__dns_candidates(const httpx__dns_rc *rc, const char *host, char out[][HTTPX__DNS_NAME], int max) {
    size_t n = strlen(host);
    int dots = 0, count = 0, i;
    bool as_is_first;
    if (n == 0 || n >= HTTPX__DNS_NAME) return 0;
    if (host[n - 1] == '.') {
        memcpy(out[0], host, n - 1);
        out[0][n - 1] = 0;
        return 1;
    }
    for (i = 0; host[i]; i++) dots += host[i] == '.';
    as_is_first = dots >= rc->ndots;
    if (as_is_first) memcpy(out[count++], host, n + 1);
    for (i = 0; i < rc->nsearch && count < max - (as_is_first ? 0 : 1); i++) {
        size_t sl = strlen(rc->search[i]);
        if (n + 1 + sl > 253) continue;
        memcpy(out[count], host, n);
        out[count][n] = '.';
        memcpy(out[count] + n + 1, rc->search[i], sl + 1);
        count++;
    }
    if (!as_is_first && count < max) memcpy(out[count++], host, n + 1);
    return count;
}

HTTPX__PRIVATE void httpx__dns_ns_string(const httpx__dns_rc *rc, int i, char *out, size_t cap) {
    httpx__sockaddr_string((const struct sockaddr *)&rc->ns[i], out, cap);
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS; users never get it):
   the resolver configuration and the names host would be tried as:
   "ns=127.0.0.1:53,[::1]:5353 ndots=1 timeout=2 attempts=2 search=a.b,c names=x;x.a.b;x.c" */
HTTPX__PRIVATE void httpx__dns_describe(const httpx__dns_config *cfg, const char *host, char *out, size_t cap) {
    httpx__dns_rc rc;
    char names[HTTPX__DNS_MAX_SEARCH + 1][HTTPX__DNS_NAME], ns[80];
    httpx__buf b;
    int i, n;
    memset(&b, 0, sizeof b);
    httpx__dns_rc_load(&rc, cfg);
    httpx__buf_puts(&b, "ns=");
    for (i = 0; i < rc.nns; i++) {
        httpx__dns_ns_string(&rc, i, ns, sizeof ns);
        httpx__buf_printf(&b, "%s%s", i ? "," : "", ns);
    }
    httpx__buf_printf(&b, " ndots=%d timeout=%g attempts=%d search=", rc.ndots, rc.timeout, rc.attempts);
    for (i = 0; i < rc.nsearch; i++) httpx__buf_printf(&b, "%s%s", i ? "," : "", rc.search[i]);
    n = host ? httpx__dns_candidates(&rc, host, names, HTTPX__DNS_MAX_SEARCH + 1) : 0;
    httpx__buf_puts(&b, " names=");
    for (i = 0; i < n; i++) httpx__buf_printf(&b, "%s%s", i ? ";" : "", names[i]);
    snprintf(out, cap, "%s", b.p ? b.p : "");
    httpx__buf_free(&b);
}
#endif

#endif /* !HTTPX_DNS_THREADS */
/* End of dns_conf.c */

#if defined(HTTPX_LINES)
#line 11079 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_wire.c   (grep anchor: >>dns_wire)
   ====================================================================== */
/* dns_wire: the DNS message format (RFC 1035 section 4, RFC 3596), pure:
   no I/O, no allocation, no state. Everything that arrives is hostile until
   proven otherwise: the QR bit and the question must match what we sent (else
   the packet is ignored, as a spoofed packet must not end a lookup), and
   names are decoded with bounds and strictly backward compression pointers,
   so no input can loop or read out of bounds. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/dns_wire.c"
#endif
/* #include "dns_private.h": earlier in httpx.h */
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS

#define HTTPX__DNS_CNAME_HOPS 16

HTTPX__PRIVATE size_t httpx__dns_encode_query(unsigned char *p, unsigned id, const char *name, int type) {
    size_t n = 12;
    const char *s = name;
    memset(p, 0, 12);
    p[0] = (unsigned char)(id >> 8);
    p[1] = (unsigned char)id;
    p[2] = 0x01;                    /* RD: the server recurses for us */
    p[5] = 1;                       /* QDCOUNT */
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        p[n++] = (unsigned char)l;
        memcpy(p + n, s, l);
        n += l;
        s += l;
        if (*s) s++;
    }
    p[n++] = 0;
    p[n++] = (unsigned char)(type >> 8);
    p[n++] = (unsigned char)type;
    p[n++] = 0;
    p[n++] = 1;                     /* class IN */
    return n;
}

/* Decodes the name at *off into out as uncompressed, lower-case wire format
   (length-prefixed labels, final 0), at most 255 bytes. *off moves past the
   name as it sits in the packet. Each pointer must point before the previous
   jump target (or, for the first, before itself): the targets fall strictly,
   so no packet can make this loop. */
HTTPX__PRIVATE bool httpx__dns_get_name(const unsigned char *pkt, size_t len, size_t *off, unsigned char *out, size_t *outlen) {
    size_t pos = *off, n = 0, limit = *off;
    bool jumped = false;
    for (;;) {
        unsigned c;
        if (pos >= len) return false;
        c = pkt[pos];
        if (c == 0) {
            out[n++] = 0;
            if (!jumped) *off = pos + 1;
            *outlen = n;
            return true;
        }
        if ((c & 0xC0) == 0xC0) {
            size_t ptr;
            if (pos + 1 >= len) return false;
            ptr = ((size_t)(c & 0x3F) << 8) | pkt[pos + 1];
            if (!jumped) *off = pos + 2;
            if (ptr >= limit) return false;
            limit = ptr;
            pos = ptr;
            jumped = true;
            continue;
        }
        if (c & 0xC0) return false;   /* the 0x40 and 0x80 label types are obsolete */
        if (pos + 1 + c > len || n + 1 + c + 1 > 255) return false;
        out[n++] = (unsigned char)c;
        {
            unsigned i;
            for (i = 0; i < c; i++) out[n++] = (unsigned char)httpx__lower(pkt[pos + 1 + i]);
        }
        pos += 1 + c;
    }
}

HTTPX__PRIVATE unsigned httpx__dns_u16(const unsigned char *p) { return ((unsigned)p[0] << 8) | p[1]; }

/* One pass over the answer section. With cname_of set, finds the CNAME whose
   owner is `name` and copies its target into cname_of; otherwise collects the
   records of qtype owned by `name`. Returns false on a malformed record. */
static bool httpx__dns_scan(const unsigned char *pkt, size_t len, size_t off, unsigned ancount, int qtype,
                            const unsigned char *name, size_t nlen, unsigned char *cname_of, size_t *cname_len,
                            httpx__dns_answer *a) {
    unsigned i;
    bool found = false;
    for (i = 0; i < ancount; i++) {
        unsigned char owner[256];
        size_t olen, rdlen;
        unsigned type, klass;
        bool mine;
        if (!httpx__dns_get_name(pkt, len, &off, owner, &olen) || len - off < 10) return false;
        type = httpx__dns_u16(pkt + off);
        klass = httpx__dns_u16(pkt + off + 2);
        rdlen = httpx__dns_u16(pkt + off + 8);
        off += 10;
        if (len - off < rdlen) return false;
        mine = klass == 1 && olen == nlen && memcmp(owner, name, nlen) == 0;
        if (type == HTTPX__DNS_T_A && rdlen != 4) return false;
        if (type == HTTPX__DNS_T_AAAA && rdlen != 16) return false;
        if (type == HTTPX__DNS_T_CNAME) {
            unsigned char target[256];
            size_t tlen, roff = off;
            if (!httpx__dns_get_name(pkt, len, &roff, target, &tlen) || roff != off + rdlen) return false;
            if (cname_of && mine && !found) {
                memcpy(cname_of, target, tlen);
                *cname_len = tlen;
                found = true;
            }
        } else if (!cname_of && mine && (int)type == qtype) {
            httpx__dns_list_add(&a->addrs, type == HTTPX__DNS_T_A ? AF_INET : AF_INET6, pkt + off);
        }
        off += rdlen;
    }
    return !cname_of || found;
}

/* Checks that pkt answers the question (qwire: our query's name in wire form,
   lower case; qtype) and reads it. IGNORED: not an answer to it (too short,
   not a response, another question): keep waiting. MALFORMED: an answer to it
   that cannot be read. PARSED: a has rcode, tc and the addresses, CNAMEs
   followed. The id is the caller's to check. */
HTTPX__PRIVATE int httpx__dns_parse(const unsigned char *pkt, size_t len, const unsigned char *qwire, size_t qwlen,
                            int qtype, httpx__dns_answer *a) {
    unsigned char name[256], hop[256];
    size_t off = 12, nlen, hlen;
    unsigned ancount, hops;
    memset(a, 0, sizeof *a);
    if (len < 12 || !(pkt[2] & 0x80) || (pkt[2] & 0x78) != 0 || httpx__dns_u16(pkt + 4) != 1)
        return HTTPX__DNS_IGNORED;
    if (!httpx__dns_get_name(pkt, len, &off, name, &nlen) || len - off < 4 ||
        nlen != qwlen || memcmp(name, qwire, nlen) != 0 ||
        (int)httpx__dns_u16(pkt + off) != qtype || httpx__dns_u16(pkt + off + 2) != 1)
        return HTTPX__DNS_IGNORED;
    off += 4;
    a->rcode = pkt[3] & 0x0F;
    a->tc = (pkt[2] & 0x02) != 0;
    if (a->tc || a->rcode != 0) return HTTPX__DNS_PARSED;
    ancount = httpx__dns_u16(pkt + 6);
    /* The first pass checks every record; then follow the CNAME chain. */
    if (!httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, NULL, NULL, a)) return HTTPX__DNS_MALFORMED;
    for (hops = 0; hops < HTTPX__DNS_CNAME_HOPS && !a->addrs.n4 && !a->addrs.n6; hops++) {
        if (!httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, hop, &hlen, a)) break;
        memcpy(name, hop, hlen);
        nlen = hlen;
        httpx__dns_scan(pkt, len, off, ancount, qtype, name, nlen, NULL, NULL, a);
    }
    return HTTPX__DNS_PARSED;
}

HTTPX__PRIVATE const char *httpx__dns_rcode_text(int rcode) {
    switch (rcode) {
    case 1: return "FORMERR (the nameserver could not read the query)";
    case 2: return "SERVFAIL (the nameserver failed)";
    case 3: return "NXDOMAIN (the name does not exist)";
    case 4: return "NOTIMP (the nameserver does not support the query)";
    case 5: return "REFUSED (the nameserver refused the query)";
    default: return "error";
    }
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS): parses one answer
   to a query for name/qtype: HTTPX__DNS_IGNORED, _PARSED or _MALFORMED; out gets "rcode=N tc=N addr addr ...". */
HTTPX__PRIVATE int httpx__dns_parse_answer(const unsigned char *pkt, size_t len, const char *name, int qtype,
                                           char *out, size_t cap) {
    unsigned char q[HTTPX__DNS_QMAX], wire[256];
    size_t off = 12, wlen, used;
    httpx__dns_answer a;
    int r, i;
    if (strlen(name) > 253) return HTTPX__DNS_MALFORMED;
    httpx__dns_encode_query(q, 0, name, qtype);
    httpx__dns_get_name(q, sizeof q, &off, wire, &wlen);
    r = httpx__dns_parse(pkt, len, wire, wlen, qtype, &a);
    snprintf(out, cap, "rcode=%d tc=%d", a.rcode, a.tc ? 1 : 0);
    for (i = 0; i < a.addrs.n6 + a.addrs.n4; i++) {
        char ip[64];
        if (i < a.addrs.n6) httpx__ip_string(a.addrs.v6[i], 16, ip, sizeof ip);
        else httpx__ip_string(a.addrs.v4[i - a.addrs.n6], 4, ip, sizeof ip);
        used = strlen(out);
        snprintf(out + used, cap - used, " %s", ip);
    }
    return r;
}
#endif

#endif /* !HTTPX_DNS_THREADS */
/* End of dns_wire.c */

#if defined(HTTPX_LINES)
#line 11279 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_stub.c   (grep anchor: >>dns_stub)
   ====================================================================== */
/* dns_stub: a stub resolver of our own, so that a lookup never blocks the
   loop: A and AAAA queries over UDP to the nameservers of resolv.conf (or
   the client's), with search domains and ndots as glibc applies them
   (dns_conf.c), a timeout per try and retries that go round the nameservers.
   A truncated answer (TC bit) is asked again over TCP. The id must match
   what we sent, and the socket is connect()ed, so that only the nameserver
   can answer; the message format itself is dns_wire.c's. */
#if defined(HTTPX_LINES)
#line 7 "tools/src/dns_stub.c"
#endif
/* #include "dns_private.h": earlier in httpx.h */
#include <errno.h>
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS       /* always defined on Windows: no stub resolver there */
#include <unistd.h>

#define HTTPX__DNS_UDP_MAX 4096     /* we send no EDNS0, so 512 is all a server may send */
enum { HTTPX__DNSQ_WAIT, HTTPX__DNSQ_TCP, HTTPX__DNSQ_DONE };

/* Query ids must be unguessable (a guessed id is a spoofed answer): a
   splitmix64 stream seeded from /dev/urandom, mixed with the clock and an
   address in case it cannot be read. */
static void httpx__dns_seed(httpx__dns *d) {
    uint64_t s = 0;
    if (!httpx__random(&s, sizeof s)) s = 0;
    d->rng = s ^ (uint64_t)(httpx__now() * 1e9) ^ ((uint64_t)(uintptr_t)d << 16) ^ (uint64_t)getpid();
}

static unsigned httpx__dns_rand16(httpx__dns *d) { return (unsigned)(httpx__splitmix64(&d->rng) & 0xFFFF); }

HTTPX__PRIVATE void httpx__dns_stub_close(httpx__dns *d) {
    httpx__sock_close(d->fd);
    httpx__sock_close(d->tcp_fd);
    d->fd = d->tcp_fd = HTTPX__NO_SOCK;
    d->sock_ns = -1;
    d->tcp_connecting = false;
    httpx__buf_free(&d->tcp_out);
    httpx__buf_free(&d->tcp_in);
    d->tcp_out_off = 0;
}

/* Sends the queries still waiting to nameserver round % nns. The socket is
   connect()ed, so the kernel drops datagrams from anybody else; the kernel
   picks a random source port. Returns false when this nameserver cannot be
   reached at all (the caller moves on). */
static bool httpx__dns_send_round(httpx__dns *d) {
    int ns = d->round % d->rc.nns, i;
    if (d->fd < 0 || d->sock_ns != ns) {
        const struct sockaddr *sa = (const struct sockaddr *)&d->rc.ns[ns];
        httpx__sock_close(d->fd);
        d->sock_ns = ns;
        d->fd = httpx__socket(sa->sa_family, SOCK_DGRAM);
        if (d->fd == HTTPX__NO_SOCK) return false;
        if (httpx__sock_connect(d->fd, sa, d->rc.ns_len[ns]) != 0) {   /* UDP: at once or never */
            httpx__sock_close(d->fd);
            d->fd = HTTPX__NO_SOCK;
            return false;
        }
    }
    for (i = 0; i < 2; i++) {
        long r;
        if (d->q[i].state != HTTPX__DNSQ_WAIT) continue;
        r = httpx__sock_write(d->fd, d->q[i].pkt, d->q[i].len);
        if (r == HTTPX__BAD && HTTPX__REFUSED(errno)) {   /* an earlier ICMP port unreachable */
            d->why_refused = true;
            return false;
        }
        /* Other send errors (a full buffer) are a lost datagram: the retry covers it. */
    }
    return true;
}

/* Next try: the next nameserver, after attempts * nns tries none. Returns
   true when a try is under way. */
static bool httpx__dns_next_round(httpx__dns *d) {
    while (++d->round < d->rc.attempts * d->rc.nns) {
        if (httpx__dns_send_round(d)) {
            d->deadline = httpx__now() + d->rc.timeout;
            return true;
        }
    }
    return false;
}

static bool httpx__dns_start_candidate(httpx__dns *d) {
    int i;
    unsigned char *p;
    size_t off = 12;
    const char *name = d->cand[d->icand];
    for (i = 0; i < 2; i++) {
        httpx__dns_q *q = &d->q[i];
        q->type = i == 0 ? HTTPX__DNS_T_A : HTTPX__DNS_T_AAAA;
        q->state = HTTPX__DNSQ_WAIT;
        do q->id = httpx__dns_rand16(d); while (i == 1 && q->id == d->q[0].id);
        q->len = httpx__dns_encode_query(q->pkt, q->id, name, q->type);
    }
    /* our own question, read back the way answers are read */
    p = d->q[0].pkt;
    httpx__dns_get_name(p, d->q[0].len, &off, d->qwire, &d->qwlen);
    d->round = -1;
    d->why_rcode = 0;
    d->why_malformed = d->why_refused = false;
    return httpx__dns_next_round(d);
}

static int httpx__dns_timeout_fail(httpx__dns *d, httpx__err *e) {
    char ns[80], ign[80] = "";
    if (d->why_rcode) return httpx__dns_fail(d, e, "%s", httpx__dns_rcode_text(d->why_rcode));
    if (d->why_malformed) return httpx__dns_fail(d, e, "malformed answer from the nameserver");
    httpx__dns_ns_string(&d->rc, 0, ns, sizeof ns);
    if (d->why_refused)
        return httpx__dns_fail(d, e, "nameserver %s%s refused the query (port unreachable)", ns,
                               d->rc.nns > 1 ? " and the others" : "");
    if (d->ignored)
        snprintf(ign, sizeof ign, "; ignored %d packet%s that did not answer the query", d->ignored,
                 d->ignored == 1 ? "" : "s");
    return httpx__dns_fail(d, e, "nameserver %s%s did not answer within %g s (%d attempt%s%s)%s", ns,
                           d->rc.nns > 1 ? " and the others" : "", d->rc.timeout, d->rc.attempts,
                           d->rc.attempts == 1 ? "" : "s", d->rc.nns > 1 ? " each" : "", ign);
}

/* Both queries of the candidate have an outcome, or it is time to decide. */
static int httpx__dns_settle(httpx__dns *d, httpx__err *e) {
    if (d->found.n4 || d->found.n6) {
        httpx__dns_stub_close(d);
        d->state = HTTPX__DNS_DONE;
        return 1;
    }
    if (++d->icand < d->ncand) {
        httpx__dns_stub_close(d);   /* closes TCP; the new candidate reopens UDP */
        if (httpx__dns_start_candidate(d)) return 0;
        return httpx__dns_timeout_fail(d, e);
    }
    if (d->nodata)
        return httpx__dns_fail(d, e, "the name has no IPv4 or IPv6 address (no A or AAAA record)%s",
                               d->ncand > 1 ? "; search domains tried too" : "");
    return httpx__dns_fail(d, e, "%s%s", httpx__dns_rcode_text(3), d->ncand > 1 ? "; search domains tried too" : "");
}

static bool httpx__dns_all_done(const httpx__dns *d) {
    return d->q[0].state == HTTPX__DNSQ_DONE && d->q[1].state == HTTPX__DNSQ_DONE;
}

static bool httpx__dns_tcp_start(httpx__dns *d);

/* A server failure or an unreadable answer: the try is over; the next one
   goes to the next nameserver at once. */
static int httpx__dns_server_failed(httpx__dns *d, httpx__err *e) {
    /* The other family's addresses are enough: do not make the caller wait. */
    if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);
    /* Over TCP there is no retry: the answer was too big for UDP anywhere. */
    if (d->tcp_fd < 0 && httpx__dns_next_round(d)) return 0;
    return httpx__dns_timeout_fail(d, e);
}

/* One packet from the nameserver (UDP datagram or TCP message). */
static int httpx__dns_packet(httpx__dns *d, const unsigned char *pkt, size_t len, bool over_tcp, httpx__err *e) {
    httpx__dns_answer a;
    httpx__dns_q *q = NULL;
    int i, r;
    if (len >= 2)
        for (i = 0; i < 2; i++)
            if (d->q[i].state != HTTPX__DNSQ_DONE && httpx__dns_u16(pkt) == d->q[i].id) q = &d->q[i];
    if (!q || (q->state == HTTPX__DNSQ_TCP) != over_tcp) { d->ignored++; return 0; }
    r = httpx__dns_parse(pkt, len, d->qwire, d->qwlen, q->type, &a);
    if (r == HTTPX__DNS_IGNORED) { d->ignored++; return 0; }
    if (r == HTTPX__DNS_MALFORMED) {
        d->why_malformed = true;
        return httpx__dns_server_failed(d, e);
    }
    if (a.tc && !over_tcp) {
        /* Too big for UDP: ask again over TCP, and move the other query there
           too (we poll one fd). The truncated records are not used. */
        if (!httpx__dns_tcp_start(d))
            return httpx__dns_fail(d, e, "the answer was truncated and TCP to the nameserver failed: %s",
                                   strerror(errno));
        return 0;
    }
    if (a.rcode == 3) {
        q->state = HTTPX__DNSQ_DONE;
    } else if (a.rcode != 0) {
        d->why_rcode = a.rcode;
        return httpx__dns_server_failed(d, e);
    } else {
        q->state = HTTPX__DNSQ_DONE;
        if (!a.addrs.n4 && !a.addrs.n6) d->nodata = true;
        for (i = 0; i < a.addrs.n4; i++) httpx__dns_list_add(&d->found, AF_INET, a.addrs.v4[i]);
        for (i = 0; i < a.addrs.n6; i++) httpx__dns_list_add(&d->found, AF_INET6, a.addrs.v6[i]);
    }
    return httpx__dns_all_done(d) ? httpx__dns_settle(d, e) : 0;
}

/* ---- TCP fallback (RFC 1035 section 4.2.2, RFC 7766) ---- */

static bool httpx__dns_tcp_start(httpx__dns *d) {
    int i, ns = d->sock_ns;
    const struct sockaddr *sa;
    if (d->tcp_fd < 0) {
        sa = (const struct sockaddr *)&d->rc.ns[ns];
        d->tcp_fd = httpx__socket(sa->sa_family, SOCK_STREAM);
        if (d->tcp_fd == HTTPX__NO_SOCK) return false;
        if (httpx__sock_connect(d->tcp_fd, sa, d->rc.ns_len[ns]) == HTTPX__BAD) {
            int err = errno;
            httpx__sock_close(d->tcp_fd);
            d->tcp_fd = HTTPX__NO_SOCK;
            errno = err;
            return false;
        }
        d->tcp_connecting = true;
        d->deadline = httpx__now() + d->rc.timeout;
    }
    /* Both messages go out on one connection (pipelined, RFC 7766 6.2.1). */
    for (i = 0; i < 2; i++) {
        unsigned char len2[2];
        httpx__dns_q *q = &d->q[i];
        if (q->state != HTTPX__DNSQ_WAIT) continue;
        q->state = HTTPX__DNSQ_TCP;
        len2[0] = (unsigned char)(q->len >> 8);
        len2[1] = (unsigned char)q->len;
        if (!httpx__buf_append(&d->tcp_out, len2, 2) || !httpx__buf_append(&d->tcp_out, q->pkt, q->len)) {
            errno = ENOMEM;
            return false;
        }
    }
    return true;
}

static int httpx__dns_tcp_step(httpx__dns *d, httpx__err *e) {
    char ns[80];
    if (d->tcp_connecting) {
        httpx__pollfd pf;
        int err;
        pf.fd = d->tcp_fd;
        pf.events = POLLOUT;
        pf.revents = 0;
        if (httpx__poll(&pf, 1, 0) <= 0) return 0;   /* timeout 0: only asks */
        err = httpx__sock_error(d->tcp_fd);
        if (err) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "the answer was truncated and TCP to %s failed: %s", ns, strerror(err));
        }
        d->tcp_connecting = false;
    }
    while (d->tcp_out_off < d->tcp_out.len) {
        long r = httpx__sock_write(d->tcp_fd, d->tcp_out.p + d->tcp_out_off, d->tcp_out.len - d->tcp_out_off);
        if (r == HTTPX__AGAIN) return 0;
        if (r < 0) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            return httpx__dns_fail(d, e, "sending to %s over TCP failed: %s", ns, strerror(errno));
        }
        d->tcp_out_off += (size_t)r;
    }
    for (;;) {
        long r;
        size_t need;
        if (!httpx__buf_reserve(&d->tcp_in, 4096))
            return httpx__dns_fail(d, e, "out of memory for a DNS answer over TCP");
        r = httpx__sock_read(d->tcp_fd, d->tcp_in.p + d->tcp_in.len, 4096);
        if (r == HTTPX__AGAIN) return 0;
        if (r <= 0) {
            httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
            if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);
            return httpx__dns_fail(d, e, "nameserver %s closed the TCP connection before answering%s%s", ns,
                                   r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
        }
        d->tcp_in.len += (size_t)r;
        /* every complete message in the buffer */
        while (d->tcp_in.len >= 2 &&
               d->tcp_in.len >= 2 + (need = httpx__dns_u16((const unsigned char *)d->tcp_in.p))) {
            int rc = httpx__dns_packet(d, (const unsigned char *)d->tcp_in.p + 2, need, true, e);
            if (rc != 0 || d->state != HTTPX__DNS_RUNNING) return rc;
            memmove(d->tcp_in.p, d->tcp_in.p + 2 + need, d->tcp_in.len - 2 - need);
            d->tcp_in.len -= 2 + need;
        }
    }
}

static int httpx__dns_udp_step(httpx__dns *d, httpx__err *e) {
    unsigned char pkt[HTTPX__DNS_UDP_MAX];
    int budget;
    /* Bounded, so that a flood of junk cannot keep one call busy for long. */
    for (budget = 0; budget < 64 && d->fd >= 0; budget++) {
        long r = httpx__sock_read(d->fd, pkt, sizeof pkt);
        int rc;
        if (r == HTTPX__AGAIN) return 0;
        if (r < 0) {
            /* ICMP port unreachable and the like: this nameserver is out. */
            d->why_refused = HTTPX__REFUSED(errno);
            return httpx__dns_server_failed(d, e);
        }
        rc = httpx__dns_packet(d, pkt, (size_t)r, false, e);
        if (rc != 0 || d->state != HTTPX__DNS_RUNNING || d->tcp_fd >= 0) return rc;
    }
    return 0;
}

HTTPX__PRIVATE httpx__dns *httpx__dns_stub_start(httpx__dns *d, const httpx__dns_config *cfg, httpx__err *e) {
    httpx__dns_rc_load(&d->rc, cfg);
    d->ncand = httpx__dns_candidates(&d->rc, d->host, d->cand, HTTPX__DNS_MAX_SEARCH + 1);
    httpx__dns_seed(d);
    if (d->ncand == 0 || !httpx__dns_start_candidate(d)) {
        if (d->ncand == 0) httpx__dns_fail(d, e, "invalid host name");
        else httpx__dns_timeout_fail(d, e);
        httpx__dns_free(d);
        return NULL;
    }
    return d;
}

HTTPX__PRIVATE int httpx__dns_stub_step(httpx__dns *d, httpx__err *e) {
    bool was_tcp = d->tcp_fd >= 0;
    int rc = was_tcp ? httpx__dns_tcp_step(d, e) : httpx__dns_udp_step(d, e);
    if (rc == 0 && d->state == HTTPX__DNS_RUNNING && !was_tcp && d->tcp_fd >= 0)
        rc = httpx__dns_tcp_step(d, e);   /* UDP just handed over to TCP: start at once */
    if (rc != 0 || d->state != HTTPX__DNS_RUNNING || httpx__now() < d->deadline) return rc;
    if (d->found.n4 || d->found.n6) return httpx__dns_settle(d, e);   /* one family answered: do not wait for the other */
    if (d->tcp_fd >= 0) {
        char ns[80];
        httpx__dns_ns_string(&d->rc, d->sock_ns, ns, sizeof ns);
        return httpx__dns_fail(d, e, "nameserver %s did not answer over TCP within %g s", ns, d->rc.timeout);
    }
    if (!httpx__dns_next_round(d)) return httpx__dns_timeout_fail(d, e);
    return 0;
}

HTTPX__PRIVATE int httpx__dns_stub_fd(const httpx__dns *d) { return d->tcp_fd >= 0 ? d->tcp_fd : d->fd; }

HTTPX__PRIVATE short httpx__dns_stub_events(const httpx__dns *d) {
    /* a TCP fallback that is still connecting or sending waits to write */
    if (d->tcp_fd >= 0 && (d->tcp_connecting || d->tcp_out_off < d->tcp_out.len)) return POLLOUT;
    return POLLIN;
}

#endif /* !HTTPX_DNS_THREADS */
/* End of dns_stub.c */

#if defined(HTTPX_LINES)
#line 11622 "httpx.h"
#endif
/* ======================================================================
   Begin file dns_thread.c   (grep anchor: >>dns_thread)
   ====================================================================== */
/* dns_thread: with HTTPX_DNS_THREADS, getaddrinfo runs on a helper thread
   instead of the stub resolver, and a pipe tells the loop when it is done.
   The user's allocator must then be thread-safe: the thread may free the
   lookup's state when the caller has already dropped it. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/dns_thread.c"
#endif
/* #include "dns_private.h": earlier in httpx.h */
#include <errno.h>

#ifdef HTTPX_DNS_THREADS
#if defined(_WIN32)
/* Windows threads under the names this file uses. No pipe that WSAPoll or
   select can wait on: the thread's "done" byte is a datagram that a UDP
   socket on 127.0.0.1, connected to itself, sends to itself (both ends are
   that one socket). */
#include <process.h>
typedef CRITICAL_SECTION httpx__dns_mutex;
#define httpx__dns_mutex_init(m) InitializeCriticalSection(m)
#define httpx__dns_mutex_destroy(m) DeleteCriticalSection(m)
#define pthread_mutex_lock(m) EnterCriticalSection(m)
#define pthread_mutex_unlock(m) LeaveCriticalSection(m)
#define httpx__dns_wake_write(fd) send((fd), "x", 1, 0)
#define httpx__dns_wake_read(fd, c) recv((fd), (c), 1, 0)
static void httpx__dns_wake_close(httpx__sock fd0, httpx__sock fd1) { (void)fd1; closesocket(fd0); }
/* One socket as both ends; 0 or an error code. */
static int httpx__dns_wake_pair(httpx__sock fds[2]) {
    struct sockaddr_in sa;
    int len = (int)sizeof sa, err;
    httpx__sock s = httpx__socket(AF_INET, SOCK_DGRAM);
    if (s == HTTPX__NO_SOCK) return WSAGetLastError();
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&sa, len) != 0 || getsockname(s, (struct sockaddr *)&sa, &len) != 0 ||
        connect(s, (struct sockaddr *)&sa, len) != 0) {
        err = WSAGetLastError();
        closesocket(s);
        return err;
    }
    fds[0] = fds[1] = s;
    return 0;
}
#else
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
typedef pthread_mutex_t httpx__dns_mutex;
#define httpx__dns_mutex_init(m) pthread_mutex_init((m), NULL)
#define httpx__dns_mutex_destroy(m) pthread_mutex_destroy(m)
#define httpx__dns_wake_write(fd) write((fd), "x", 1)
#define httpx__dns_wake_read(fd, c) read((fd), (c), 1)
static void httpx__dns_wake_close(int fd0, int fd1) {
    close(fd0);
    close(fd1);
}
#endif

/* The job is shared by the caller and the thread and freed by whichever lets
   go last, so httpx__dns_free never waits for a slow getaddrinfo. */
struct httpx__dns_job {
    httpx__dns_mutex lock;
    int refs;
    httpx__sock pipe[2];                  /* the thread writes a byte when done */
    bool done;
    int port;
    const char *why;                /* the lookup failed: why (a static string) */
    char host[HTTPX__DNS_NAME];
    httpx__dns_list found;
};

static void httpx__dns_job_release(httpx__dns_job *j) {
    bool last;
    pthread_mutex_lock(&j->lock);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last) return;
    httpx__dns_mutex_destroy(&j->lock);
    httpx__dns_wake_close(j->pipe[0], j->pipe[1]);
    httpx__free(j);
}

/* How many lookup threads still run, for the tests only: a detached thread
   frees its job last, so a leak check at exit waits for them. */
#if defined(HTTPX__TEST_HOOKS) && defined(_WIN32)
static SRWLOCK httpx__dns_threads_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE httpx__dns_threads_idle = CONDITION_VARIABLE_INIT;
static int httpx__dns_threads_running;

static void httpx__dns_threads_count(int delta) {
    AcquireSRWLockExclusive(&httpx__dns_threads_lock);
    httpx__dns_threads_running += delta;
    if (httpx__dns_threads_running == 0) WakeAllConditionVariable(&httpx__dns_threads_idle);
    ReleaseSRWLockExclusive(&httpx__dns_threads_lock);
}

HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void) {
    AcquireSRWLockExclusive(&httpx__dns_threads_lock);
    while (httpx__dns_threads_running > 0)
        SleepConditionVariableSRW(&httpx__dns_threads_idle, &httpx__dns_threads_lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&httpx__dns_threads_lock);
}
#elif defined(HTTPX__TEST_HOOKS)
static pthread_mutex_t httpx__dns_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t httpx__dns_threads_idle = PTHREAD_COND_INITIALIZER;
static int httpx__dns_threads_running;

static void httpx__dns_threads_count(int delta) {
    pthread_mutex_lock(&httpx__dns_threads_lock);
    httpx__dns_threads_running += delta;
    if (httpx__dns_threads_running == 0) pthread_cond_broadcast(&httpx__dns_threads_idle);
    pthread_mutex_unlock(&httpx__dns_threads_lock);
}

HTTPX__PRIVATE void httpx__dns_threads_wait_idle(void) {
    pthread_mutex_lock(&httpx__dns_threads_lock);
    while (httpx__dns_threads_running > 0) pthread_cond_wait(&httpx__dns_threads_idle, &httpx__dns_threads_lock);
    pthread_mutex_unlock(&httpx__dns_threads_lock);
}
#else
#define httpx__dns_threads_count(delta) ((void)0)
#endif

static void httpx__dns_thread_add(void *ctx, int family, const void *ip) {
    httpx__dns_list_add((httpx__dns_list *)ctx, family, ip);
}

#if defined(_WIN32)
static unsigned __stdcall httpx__dns_thread(void *arg) {
#else
static void *httpx__dns_thread(void *arg) {
#endif
    httpx__dns_job *j = (httpx__dns_job *)arg;
    httpx__dns_list found;
    const char *why;
    memset(&found, 0, sizeof found);
    why = httpx__lookup_blocking(j->host, httpx__dns_thread_add, &found);
    pthread_mutex_lock(&j->lock);
    j->found = found;
    j->why = why;
    j->done = true;
    if (httpx__dns_wake_write(j->pipe[1]) < 0) { /* a full pipe already wakes the reader */ }
    pthread_mutex_unlock(&j->lock);
    httpx__dns_job_release(j);
    httpx__dns_threads_count(-1);
#if defined(_WIN32)
    return 0;
#else
    return NULL;
#endif
}

#if defined(_WIN32)
HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = (httpx__dns_job *)httpx__malloc(sizeof *j);
    uintptr_t th;
    int rc;
    if (!j) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", d->host);
        httpx__free(d);
        return NULL;
    }
    memset(j, 0, sizeof *j);
    memcpy(j->host, d->host, sizeof j->host);
    if ((rc = httpx__dns_wake_pair(j->pipe)) != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': no wake-up socket: %s", d->host,
                    httpx__sock_strerror(rc));
        httpx__free(j);
        httpx__free(d);
        return NULL;
    }
    httpx__dns_mutex_init(&j->lock);
    j->refs = 2;
    httpx__dns_threads_count(1);
    th = _beginthreadex(NULL, 0, httpx__dns_thread, j, 0, NULL);
    if (th == 0) {
        httpx__dns_threads_count(-1);
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': cannot start a thread: %s", d->host,
                    strerror(errno));
        j->refs = 1;
        httpx__dns_job_release(j);
        httpx__free(d);
        return NULL;
    }
    CloseHandle((HANDLE)th);   /* detached */
    d->job = j;
    return d;
}
#else
HTTPX__PRIVATE httpx__dns *httpx__dns_thread_start(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = (httpx__dns_job *)httpx__malloc(sizeof *j);
    pthread_t tid;
    sigset_t all, old;
    int i, rc;
    if (!j) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory resolving '%.100s'", d->host);
        httpx__free(d);
        return NULL;
    }
    memset(j, 0, sizeof *j);
    memcpy(j->host, d->host, sizeof j->host);
    if (pipe(j->pipe) != 0) {
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': pipe(): %s", d->host, strerror(errno));
        httpx__free(j);
        httpx__free(d);
        return NULL;
    }
    for (i = 0; i < 2; i++) httpx__fd_nonblock(j->pipe[i]);
    httpx__dns_mutex_init(&j->lock);
    j->refs = 2;
    /* The thread starts with every signal blocked: the program's handlers
       keep running on the program's own threads. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    httpx__dns_threads_count(1);
    rc = pthread_create(&tid, NULL, httpx__dns_thread, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        httpx__dns_threads_count(-1);
        httpx__fail(e, HTTPX_ERR_CONNECT, "could not resolve host '%.100s': cannot start a thread: %s", d->host,
                    strerror(rc));
        j->refs = 1;
        httpx__dns_job_release(j);
        httpx__free(d);
        return NULL;
    }
    pthread_detach(tid);
    d->job = j;
    return d;
}

#endif

HTTPX__PRIVATE int httpx__dns_thread_step(httpx__dns *d, httpx__err *e) {
    httpx__dns_job *j = d->job;
    char c;
    bool done;
    const char *why;
    while (httpx__dns_wake_read(j->pipe[0], &c) > 0) {}
    pthread_mutex_lock(&j->lock);
    done = j->done;
    why = j->why;
    if (done) d->found = j->found;
    pthread_mutex_unlock(&j->lock);
    if (!done) return 0;
    if (why) return httpx__dns_fail(d, e, "%s", why);
    if (!d->found.n4 && !d->found.n6) return httpx__dns_fail(d, e, "no IPv4 or IPv6 address");
    d->state = HTTPX__DNS_DONE;
    return 1;
}

HTTPX__PRIVATE httpx__sock httpx__dns_thread_fd(const httpx__dns *d) { return d->job->pipe[0]; }

HTTPX__PRIVATE void httpx__dns_thread_close(httpx__dns *d) {
    if (d->job) httpx__dns_job_release(d->job);
    d->job = NULL;
}

#endif /* HTTPX_DNS_THREADS */
/* End of dns_thread.c */

#if defined(HTTPX_LINES)
#line 11889 "httpx.h"
#endif
/* ======================================================================
   Begin file tls_internal.h   (grep anchor: >>tls_internal)
   ====================================================================== */
/* tls_internal.h: TLS as the other components see it (tls.c; tls_private.h is what the TLS files share).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/tls_internal.h"
#endif
#ifndef HTTPX__TLS_INTERNAL_H
#define HTTPX__TLS_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
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
/* End of tls_internal.h */

#if defined(HTTPX_LINES)
#line 11944 "httpx.h"
#endif
/* ======================================================================
   Begin file tls_private.h   (grep anchor: >>tls_private)
   ====================================================================== */
/* tls_private.h: what the pieces of the BearSSL backend share, and nothing
   else sees (tools/amalgamate.py refuses it anywhere else):
       tls_config.c  per client: trust anchors (files, PEM, the system
                     store), the client certificate, the session cache
       tls_x509.c    the certificate checks around BearSSL's X.509 engine
       tls.c         the interface, and the TLS stream: handshake, send, recv
   Without HTTPX_BEARSSL only tls.c has anything in it (the stubs that say
   how to turn TLS on), and this header declares nothing. */
#if defined(HTTPX_LINES)
#line 8 "tools/src/tls_private.h"
#endif
#ifndef HTTPX__TLS_PRIVATE_H
#define HTTPX__TLS_PRIVATE_H
/* #include "internal.h": earlier in httpx.h */
/* #include "tls_internal.h": earlier in httpx.h */

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
/* End of tls_private.h */

#if defined(HTTPX_LINES)
#line 12048 "httpx.h"
#endif
/* ======================================================================
   Begin file tls_config.c   (grep anchor: >>tls_config)
   ====================================================================== */
/* tls_config: what a client's TLS connections share. Trust anchors from
   tls.ca_file / tls.ca_pem or the system store (SSL_CERT_FILE, SSL_CERT_DIR,
   the usual bundle paths), the client certificate and key (mutual TLS), and
   the cache of sessions to resume. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/tls_config.c"
#endif
/* #include "tls_private.h": earlier in httpx.h */

#ifdef HTTPX_BEARSSL
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>

/* SSL_CERT_DIR bounds: certificate files read (all directories together),
   entries looked at per directory, and the size of a file still read. */
#define HTTPX__TLS_DIR_FILES 4096
#define HTTPX__TLS_DIR_ENTRIES 65536
#define HTTPX__TLS_DIR_FILE_MAX (16L * 1024 * 1024)

/* The backend is the only user of a string copy (a base helper would be
   dead code in a build without TLS). NULL: out of memory. */
static char *httpx__tls_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)httpx__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Collects bytes from BearSSL's decoders into a growable buffer. */
typedef struct httpx__tls_sink { httpx__buf b; bool oom; } httpx__tls_sink;
static void httpx__tls_sink_cb(void *ctx, const void *p, size_t n) {
    httpx__tls_sink *s = (httpx__tls_sink *)ctx;
    if (!s->oom && !httpx__buf_append(&s->b, p, n)) s->oom = true;
}

/* Calls fn for each object of a PEM text. Returns the number of objects, or
   HTTPX__BAD when the text is not PEM (e filled) or fn failed (fn fills e). */
typedef int (*httpx__pem_fn)(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e);
/* The value of a base64 digit, -1 for anything else. */
static int httpx__b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 of one PEM object (line breaks and spaces skipped,
   '=' padding at the end) into out. False on anything else. */
static bool httpx__pem_decode(const char *p, const char *end, httpx__buf *out) {
    unsigned acc = 0;
    int bits = 0, pad = 0;
    unsigned char *w;
    if (!httpx__buf_reserve(out, (size_t)(end - p) / 4 * 3 + 3)) return false;   /* room for all of it */
    w = (unsigned char *)out->p + out->len;
    for (; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        int v;
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
        if (c == '=') { pad++; continue; }
        v = httpx__b64_value(c);
        if (v < 0 || pad) return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *w++ = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    out->len = (size_t)(w - (unsigned char *)out->p);
    return pad <= 2;
}

/* Calls fn for each PEM object of data ("-----BEGIN name-----" ... "-----END
   name-----"); text between objects is ignored. Our own reader: BearSSL's
   PEM decoder runs byte by byte through its interpreter, which made loading
   a system store of a few hundred certificates cost 150 ms. Returns how many
   objects, or HTTPX__BAD (e filled). */
static int httpx__pem_each(const char *what, const char *data, size_t len, httpx__pem_fn fn, void *ctx, httpx__err *e) {
    static const char begin[] = "-----BEGIN ", end_tag[] = "-----END ";
    const char *p = data, *stop = data + len;
    httpx__buf der;
    int count = 0;
    memset(&der, 0, sizeof der);
    for (;;) {
        const char *b = NULL, *name, *name_end, *body, *q, *tail;
        char name_buf[128];
        size_t nl;
        for (q = p; q + sizeof begin - 1 <= stop; q++) {   /* a BEGIN at the start of a line */
            if ((q == data || q[-1] == '\n') && !memcmp(q, begin, sizeof begin - 1)) { b = q; break; }
        }
        if (!b) break;
        name = b + sizeof begin - 1;
        for (name_end = name; name_end < stop && *name_end != '-' && *name_end != '\n'; name_end++) {}
        if (name_end + 5 > stop || memcmp(name_end, "-----", 5) != 0) {
            httpx__buf_free(&der);
            httpx__fail(e, HTTPX_ERR_TLS, "%s is not valid PEM (a bad BEGIN line)", what);
            return HTTPX__BAD;
        }
        nl = (size_t)(name_end - name);
        snprintf(name_buf, sizeof name_buf, "%.*s", (int)(nl < sizeof name_buf ? nl : sizeof name_buf - 1), name);
        body = name_end + 5;
        for (tail = body; tail + sizeof end_tag - 1 <= stop; tail++)
            if (tail[-1] == '\n' && !memcmp(tail, end_tag, sizeof end_tag - 1)) break;
        if (tail + sizeof end_tag - 1 > stop) {
            httpx__buf_free(&der);
            httpx__fail(e, HTTPX_ERR_TLS, "%s ends inside a PEM object (no END line)", what);
            return HTTPX__BAD;
        }
        httpx__buf_clear(&der);
        if (!httpx__pem_decode(body, tail, &der)) {
            bool oom = der.failed;
            httpx__buf_free(&der);
            if (oom) httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory reading %s", what);
            else httpx__fail(e, HTTPX_ERR_TLS, "%s is not valid PEM", what);
            return HTTPX__BAD;
        }
        if (fn(ctx, name_buf, (const unsigned char *)(der.p ? der.p : ""), der.len, e) != 0) {
            httpx__buf_free(&der);
            return HTTPX__BAD;
        }
        count++;
        for (p = tail; p < stop && *p != '\n'; p++) {}
    }
    httpx__buf_free(&der);
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

/* ---- what a trust anchor needs from a certificate, read directly ----
   BearSSL's X.509 decoder runs through its interpreter and was half of the
   time a system store took to load. An anchor needs only three things of a
   certificate: its subject name (the DER of the Name), its public key, and
   whether Basic Constraints make it a CA. httpx__der_anchor reads those by
   walking the DER; anything it does not know (another key type, an odd
   encoding) goes to BearSSL's decoder instead, which then decides
   (tests/test_tls.c compares the two over the system store). */
typedef struct httpx__der { const unsigned char *p, *end; } httpx__der;

HTTPX__PRIVATE bool httpx__der_next(const unsigned char **p, const unsigned char *end, unsigned *tag,
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

/* The next element of d, as httpx__der_next reads it, with its content in c
   and where it began in *start (for the subject's whole encoding). */
static bool httpx__der_take(httpx__der *d, unsigned *tag, httpx__der *c, const unsigned char **start) {
    const unsigned char *v;
    size_t l;
    if (start) *start = d->p;
    if (!httpx__der_next(&d->p, d->end, tag, &v, &l)) return false;
    c->p = v;
    c->end = v + l;
    return true;
}

/* The next element must have this tag. */
static bool httpx__der_expect(httpx__der *d, unsigned tag, httpx__der *c) {
    unsigned t;
    return httpx__der_take(d, &t, c, NULL) && t == tag;
}

static bool httpx__der_is(const httpx__der *c, const unsigned char *oid, size_t n) {
    return (size_t)(c->end - c->p) == n && memcmp(c->p, oid, n) == 0;
}

/* An INTEGER's magnitude without its leading zero bytes. */
static void httpx__der_unsigned(httpx__der *c) {
    while (c->end - c->p > 1 && c->p[0] == 0) c->p++;
}

/* The key of a SubjectPublicKeyInfo: RSA, or EC on P-256, P-384, P-521. */
static bool httpx__der_key(httpx__der spki, br_x509_pkey *pk) {
    static const unsigned char rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
    static const unsigned char ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    static const unsigned char p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    static const unsigned char p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
    static const unsigned char p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
    httpx__der alg, oid, params, bits, seq, n, e;
    unsigned t;
    if (!httpx__der_expect(&spki, 0x30, &alg) || !httpx__der_expect(&alg, 0x06, &oid) ||
        !httpx__der_expect(&spki, 0x03, &bits) || bits.p == bits.end || *bits.p++ != 0)
        return false;
    memset(pk, 0, sizeof *pk);
    if (httpx__der_is(&oid, rsa, sizeof rsa)) {
        if (!httpx__der_expect(&bits, 0x30, &seq) || !httpx__der_expect(&seq, 0x02, &n) ||
            !httpx__der_expect(&seq, 0x02, &e) || n.p == n.end || e.p == e.end || (n.p[0] | e.p[0]) & 0x80)
            return false;
        httpx__der_unsigned(&n);
        httpx__der_unsigned(&e);
        pk->key_type = BR_KEYTYPE_RSA;
        pk->key.rsa.n = (unsigned char *)n.p;
        pk->key.rsa.nlen = (size_t)(n.end - n.p);
        pk->key.rsa.e = (unsigned char *)e.p;
        pk->key.rsa.elen = (size_t)(e.end - e.p);
        return true;
    }
    if (!httpx__der_is(&oid, ec, sizeof ec) || !httpx__der_take(&alg, &t, &params, NULL) || t != 0x06) return false;
    pk->key_type = BR_KEYTYPE_EC;
    if (httpx__der_is(&params, p256, sizeof p256)) pk->key.ec.curve = BR_EC_secp256r1;
    else if (httpx__der_is(&params, p384, sizeof p384)) pk->key.ec.curve = BR_EC_secp384r1;
    else if (httpx__der_is(&params, p521, sizeof p521)) pk->key.ec.curve = BR_EC_secp521r1;
    else return false;
    if (bits.p == bits.end || bits.p[0] != 0x04) return false;   /* an uncompressed point */
    pk->key.ec.q = (unsigned char *)bits.p;
    pk->key.ec.qlen = (size_t)(bits.end - bits.p);
    return true;
}

/* Whether the extensions ([3]) hold Basic Constraints with cA TRUE. */
static bool httpx__der_is_ca(httpx__der exts) {
    static const unsigned char basic_constraints[] = {0x55, 0x1d, 0x13};
    httpx__der list, ext, oid, value, bc, ca;
    unsigned t;
    if (!httpx__der_expect(&exts, 0x30, &list)) return false;
    while (httpx__der_expect(&list, 0x30, &ext)) {
        if (!httpx__der_expect(&ext, 0x06, &oid) || !httpx__der_is(&oid, basic_constraints, sizeof basic_constraints))
            continue;
        if (!httpx__der_take(&ext, &t, &value, NULL)) return false;
        if (t == 0x01 && !httpx__der_take(&ext, &t, &value, NULL)) return false;   /* critical */
        if (t != 0x04 || !httpx__der_expect(&value, 0x30, &bc)) return false;
        return httpx__der_take(&bc, &t, &ca, NULL) && t == 0x01 && ca.end - ca.p == 1 && ca.p[0] != 0;
    }
    return false;
}

/* Reads a certificate's subject (*dn: its whole DER), key and CA flag.
   False when it is not a certificate this walk understands. */
static bool httpx__der_anchor(const unsigned char *der, size_t len, httpx__der *dn, br_x509_pkey *pk, bool *is_ca) {
    httpx__der all, cert, tbs, el, spki;
    const unsigned char *start;
    unsigned t;
    int i;
    all.p = der;
    all.end = der + len;
    if (!httpx__der_expect(&all, 0x30, &cert) || !httpx__der_expect(&cert, 0x30, &tbs)) return false;
    if (!httpx__der_take(&tbs, &t, &el, NULL)) return false;
    if (t == 0xa0 && !httpx__der_take(&tbs, &t, &el, NULL)) return false;   /* the version, then the serial */
    if (t != 0x02) return false;
    for (i = 0; i < 3; i++)   /* signature algorithm, issuer, validity */
        if (!httpx__der_expect(&tbs, 0x30, &el)) return false;
    if (!httpx__der_take(&tbs, &t, &el, &start) || t != 0x30) return false;
    dn->p = start;
    dn->end = el.end;
    if (!httpx__der_expect(&tbs, 0x30, &spki) || !httpx__der_key(spki, pk)) return false;
    *is_ca = false;
    while (httpx__der_take(&tbs, &t, &el, NULL))   /* unique ids, then the extensions */
        if (t == 0xa3) *is_ca = httpx__der_is_ca(el);
    return true;
}

/* Whether an anchor with this name, key and CA flag is loaded already. */
static bool httpx__tls_have_anchor(const httpx__tls_config *cfg, unsigned flags, const unsigned char *dn,
                                   size_t dn_len, const br_x509_pkey *pk) {
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

/* Whether this DER was met before in this load (1), else records it (0);
   HTTPX__BAD when out of memory. A 64-bit FNV-1a hash with the length
   stands for the bytes: two different certificates that collided would
   only leave the second one out, which trusts less, never more. */
static int httpx__tls_seen_before(httpx__tls_config *cfg, const unsigned char *der, size_t len) {
    uint64_t h = 14695981039346656037ull;
    size_t i;
    for (i = 0; i < len; i++) h = (h ^ der[i]) * 1099511628211ull;
    h ^= (uint64_t)len << 32;
    for (i = 0; i < cfg->nseen; i++) if (cfg->seen[i] == h) return 1;
    if (cfg->nseen == cfg->cap_seen) {
        size_t cap = cfg->cap_seen ? cfg->cap_seen * 2 : 64;
        uint64_t *p = (uint64_t *)httpx__realloc(cfg->seen, cap * sizeof *p);
        if (!p) return HTTPX__BAD;
        cfg->seen = p;
        cfg->cap_seen = cap;
    }
    cfg->seen[cfg->nseen++] = h;
    return 0;
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
    br_x509_pkey walked;
    httpx__der walked_dn;
    const unsigned char *dn_p;
    size_t dn_len;
    unsigned flags;
    bool is_ca;
    br_x509_trust_anchor *ta;
    unsigned char *blob;
    size_t klen;
    if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "TRUSTED CERTIFICATE") != 0) return 0;
    switch (httpx__tls_seen_before(cfg, der, len)) {
    case 1: return 0;               /* the same certificate again: decoded once is enough */
    case 0: break;
    default: return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
    }
    memset(&dn, 0, sizeof dn);
    if (httpx__der_anchor(der, len, &walked_dn, &walked, &is_ca)) {
        pk = &walked;
        dn_p = walked_dn.p;
        dn_len = (size_t)(walked_dn.end - walked_dn.p);
        flags = is_ca ? BR_X509_TA_CA : 0;
    } else {   /* not what the walk knows: BearSSL's decoder decides */
        br_x509_decoder_init(&dc, httpx__tls_sink_cb, &dn);
        br_x509_decoder_push(&dc, der, len);
        pk = br_x509_decoder_get_pkey(&dc);
        if (dn.oom) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
        if (!pk || br_x509_decoder_last_error(&dc) != 0) { httpx__buf_free(&dn.b); return 0; }
        dn_p = (const unsigned char *)dn.b.p;
        dn_len = dn.b.len;
        flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
    }
    klen = pk->key_type == BR_KEYTYPE_RSA ? pk->key.rsa.nlen + pk->key.rsa.elen : pk->key.ec.qlen;
    if (httpx__tls_have_anchor(cfg, flags, dn_p, dn_len, pk)) {
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
    blob = (unsigned char *)httpx__malloc(dn_len + klen + 1);
    if (!blob) { httpx__buf_free(&dn.b); return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates"); }
    ta = &cfg->tas[cfg->ntas++];
    memset(ta, 0, sizeof *ta);
    if (dn_len) memcpy(blob, dn_p, dn_len);
    ta->dn.data = blob;
    ta->dn.len = dn_len;
    ta->flags = flags;
    ta->pkey.key_type = pk->key_type;
    if (pk->key_type == BR_KEYTYPE_RSA) {
        ta->pkey.key.rsa.n = blob + dn_len;
        memcpy(ta->pkey.key.rsa.n, pk->key.rsa.n, pk->key.rsa.nlen);
        ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
        ta->pkey.key.rsa.e = ta->pkey.key.rsa.n + pk->key.rsa.nlen;
        memcpy(ta->pkey.key.rsa.e, pk->key.rsa.e, pk->key.rsa.elen);
        ta->pkey.key.rsa.elen = pk->key.rsa.elen;
    } else {
        ta->pkey.key.ec.curve = pk->key.ec.curve;
        ta->pkey.key.ec.q = blob + dn_len;
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

/* The usual places of the system's CA bundle, first found first used. */
#define HTTPX__TLS_BUNDLES { \
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu, Arch, Gentoo */ \
    "/etc/pki/tls/certs/ca-bundle.crt", /* Fedora, RHEL */ \
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* CentOS, RHEL 7 */ \
    "/etc/ssl/ca-bundle.pem", /* openSUSE */ \
    "/etc/pki/tls/cacert.pem", /* OpenELEC */ \
    "/etc/ssl/cert.pem", /* Alpine, macOS, OpenBSD */ \
    "/usr/local/share/certs/ca-root-nss.crt", /* FreeBSD */ \
    "/usr/local/etc/ssl/cert.pem", /* FreeBSD ports */ \
    NULL \
}

/* Files of SSL_CERT_DIR: which were read already (by device and inode, so
   that a hash link, the file it points to and the SSL_CERT_FILE bundle are
   read once), and how many. */
typedef struct httpx__tls_file_id { dev_t dev; ino_t ino; } httpx__tls_file_id;
typedef struct httpx__tls_files {
    httpx__tls_file_id *ids;
    size_t n, cap;
} httpx__tls_files;

/* 1: seen before; 0: now recorded; HTTPX__BAD: out of memory. */
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
    static const char *const bundles[] = HTTPX__TLS_BUNDLES;
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

/* ---- the system trust store, loaded once per process ----
   Parsing a system bundle (some 150 certificates) costs tens of
   milliseconds of CPU: a frame hitch inside a game's loop, paid again by
   every client and every one-shot call. So the store is loaded once and
   shared by every client that uses it (counted references: the cache holds
   one, each client's configuration one). It is loaded again only when what
   it came from changes: SSL_CERT_FILE or SSL_CERT_DIR, or a file or
   directory listing behind them (inode, size and modification time of each,
   which a few stat calls compare: httpx__tls_store_key). httpx_tls_preload
   loads it ahead of time; a client with tls.preload loads it in
   httpx_client_new. */
struct httpx__tls_store {
    int refs;
    br_x509_trust_anchor *tas;
    size_t ntas;
    httpx__buf key;
};
static httpx__tls_store *httpx__tls_cached_store;

#if defined(__APPLE__)
#define HTTPX__MTIME_NS(st) ((long)(st).st_mtimespec.tv_nsec)
#else
#define HTTPX__MTIME_NS(st) ((long)(st).st_mtim.tv_nsec)
#endif

static void httpx__tls_key_stat(httpx__buf *k, const char *path) {
    struct stat st;
    char line[160];
    if (stat(path, &st) != 0) { httpx__buf_puts(k, "|-"); return; }
    snprintf(line, sizeof line, "|%llu|%llu|%lld|%lld.%ld", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtime, HTTPX__MTIME_NS(st));
    httpx__buf_puts(k, line);
}

/* What the system store would be loaded from, as text: equal keys, the
   same store. false when out of memory. */
static bool httpx__tls_store_key(httpx__buf *k) {
    static const char *const bundles[] = HTTPX__TLS_BUNDLES;
    const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
    int i;
    if ((file && *file) || (dir && *dir)) {
        const char *p = dir && *dir ? dir : "";
        httpx__buf_puts(k, "F");
        httpx__buf_puts(k, file ? file : "");
        if (file && *file) httpx__tls_key_stat(k, file);
        while (*p) {   /* each directory, and each certificate file in it */
            const char *end = strchr(p, ':');
            size_t l = end ? (size_t)(end - p) : strlen(p);
            char path[1024];
            if (l > 0 && l < sizeof path) {
                DIR *d;
                struct dirent *de;
                long entries = 0;
                memcpy(path, p, l);
                path[l] = 0;
                httpx__buf_puts(k, "\nD");
                httpx__buf_puts(k, path);
                httpx__tls_key_stat(k, path);
                if ((d = opendir(path)) != NULL) {
                    while (entries++ < HTTPX__TLS_DIR_ENTRIES && (de = readdir(d)) != NULL) {
                        char sub[1024];
                        if (!httpx__tls_cert_name(de->d_name)) continue;
                        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >= sizeof sub) continue;
                        httpx__buf_puts(k, "\n");
                        httpx__buf_puts(k, de->d_name);
                        httpx__tls_key_stat(k, sub);
                    }
                    closedir(d);
                }
            }
            p += l;
            if (*p == ':') p++;
        }
    } else {
        for (i = 0; bundles[i]; i++) {
            httpx__buf_puts(k, "\nB");
            httpx__buf_puts(k, bundles[i]);
            httpx__tls_key_stat(k, bundles[i]);
        }
    }
    return !k->failed;
}

static void httpx__tls_anchors_free(br_x509_trust_anchor *tas, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) httpx__free(tas[i].dn.data);
    httpx__free(tas);
}

static void httpx__tls_store_release(httpx__tls_store *s) {
    bool last;
    if (!s) return;
    httpx__global_lock();
    last = --s->refs == 0;
    httpx__global_unlock();
    if (!last) return;
    httpx__tls_anchors_free(s->tas, s->ntas);
    httpx__buf_free(&s->key);
    httpx__free(s);
}

/* The system store, with a reference for the caller: the cached one when
   it is still what the system holds, else loaded now (outside the lock: two
   threads may both load; the last to finish is cached, and both stores are
   correct). NULL with e filled when there is none or memory ran out. */
static httpx__tls_store *httpx__tls_store_get(httpx__err *e) {
    httpx__tls_store *s, *old;
    httpx__tls_config tmp;
    httpx__buf key;
    memset(&key, 0, sizeof key);
    if (!httpx__tls_store_key(&key)) {
        httpx__buf_free(&key);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
        return NULL;
    }
    httpx__global_lock();
    s = httpx__tls_cached_store;
    if (s && s->key.len == key.len && memcmp(s->key.p, key.p, key.len) == 0) s->refs++;
    else s = NULL;
    httpx__global_unlock();
    if (s) { httpx__buf_free(&key); return s; }
    memset(&tmp, 0, sizeof tmp);
    s = (httpx__tls_store *)httpx__malloc(sizeof *s);
    if (s && !httpx__tls_load_system(&tmp, e)) {
        httpx__free(s);
        s = NULL;
    } else if (!s) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading CA certificates");
    }
    httpx__free(tmp.seen);
    if (!s) {
        httpx__tls_anchors_free(tmp.tas, tmp.ntas);
        httpx__buf_free(&key);
        return NULL;
    }
    if (tmp.cap_tas > tmp.ntas) {   /* the array grew by doubling: give back the rest */
        br_x509_trust_anchor *p = (br_x509_trust_anchor *)httpx__realloc(tmp.tas, tmp.ntas * sizeof *p);
        if (p) tmp.tas = p;
    }
    s->refs = 2;                    /* the caller's and the cache's */
    s->tas = tmp.tas;
    s->ntas = tmp.ntas;
    s->key = key;
    httpx__global_lock();
    old = httpx__tls_cached_store;
    httpx__tls_cached_store = s;
    httpx__global_unlock();
    httpx__tls_store_release(old);   /* clients still using it keep it alive */
    return s;
}

#ifdef HTTPX__TEST_HOOKS
static bool httpx__pkey_eq(const br_x509_pkey *a, const br_x509_pkey *b) {
    if (a->key_type != b->key_type) return false;
    if (a->key_type == BR_KEYTYPE_RSA)
        return a->key.rsa.nlen == b->key.rsa.nlen && a->key.rsa.elen == b->key.rsa.elen &&
               !memcmp(a->key.rsa.n, b->key.rsa.n, a->key.rsa.nlen) && !memcmp(a->key.rsa.e, b->key.rsa.e, a->key.rsa.elen);
    return a->key.ec.curve == b->key.ec.curve && a->key.ec.qlen == b->key.ec.qlen &&
           !memcmp(a->key.ec.q, b->key.ec.q, a->key.ec.qlen);
}

static int httpx__tls_walk_one(void *ctx, const char *name, const unsigned char *der, size_t len, httpx__err *e) {
    httpx__tls_walk_counts *n = (httpx__tls_walk_counts *)ctx;
    br_x509_decoder_context dc;
    httpx__tls_sink dn;
    const br_x509_pkey *pk;
    br_x509_pkey walked;
    httpx__der walked_dn;
    bool is_ca, same;
    (void)e;
    if (strcmp(name, "CERTIFICATE") != 0) return 0;
    if (!httpx__der_anchor(der, len, &walked_dn, &walked, &is_ca)) { n->declined++; return 0; }
    memset(&dn, 0, sizeof dn);
    br_x509_decoder_init(&dc, httpx__tls_sink_cb, &dn);
    br_x509_decoder_push(&dc, der, len);
    pk = br_x509_decoder_get_pkey(&dc);
    same = pk && br_x509_decoder_last_error(&dc) == 0 && httpx__pkey_eq(pk, &walked) &&
           !br_x509_decoder_isCA(&dc) == !is_ca && dn.b.len == (size_t)(walked_dn.end - walked_dn.p) &&
           !memcmp(dn.b.p, walked_dn.p, dn.b.len);
    if (same) n->same++; else n->differ++;
    httpx__buf_free(&dn.b);
    return 0;
}

HTTPX__PRIVATE bool httpx__tls_walk_compare(const char *pem_path, httpx__tls_walk_counts *n) {
    httpx__buf b;
    httpx__err e;
    bool ok;
    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    memset(n, 0, sizeof *n);
    ok = httpx__tls_read_file(pem_path, &b, &e) && httpx__pem_each(pem_path, b.p ? b.p : "", b.len, httpx__tls_walk_one, n, &e) >= 0;
    httpx__buf_free(&b);
    return ok;
}

HTTPX__PRIVATE const void *httpx__tls_config_anchors(const httpx__tls_config *cfg) { return cfg->tas; }
#endif

HTTPX_API httpx_error httpx_tls_preload(void) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    httpx__tls_store_release(httpx__tls_store_get(&e));
    return e.code;
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
    int n = HTTPX__BAD;
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
    httpx__free(cfg->seen);
    if (cfg->store) httpx__tls_store_release(cfg->store);
    else httpx__tls_anchors_free(cfg->tas, cfg->ntas);
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
    if ((o->server_name && !(cfg->server_name = httpx__tls_strdup(o->server_name))) ||
        (keylog && *keylog && !(cfg->keylog = httpx__tls_strdup(keylog)))) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!cfg->no_verify) {
        /* ca_file and ca_pem replace the system store; both may be given. */
        if (o->ca_file && httpx__tls_load_file(cfg, o->ca_file, e) < 0) goto fail;
        if (o->ca_pem && httpx__tls_load_pem(cfg, "tls.ca_pem", o->ca_pem, strlen(o->ca_pem), e) < 0) goto fail;
        if (!o->ca_file && !o->ca_pem) {
            if (!(cfg->store = httpx__tls_store_get(e))) goto fail;
            cfg->tas = cfg->store->tas;
            cfg->ntas = cfg->cap_tas = cfg->store->ntas;
        }
        if (cfg->ntas == 0) {
            httpx__fail(e, HTTPX_ERR_TLS, "no usable CA certificate in %s", o->ca_file ? o->ca_file : "tls.ca_pem");
            goto fail;
        }
        httpx__free(cfg->seen);
        cfg->seen = NULL;
        cfg->nseen = cfg->cap_seen = 0;
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

HTTPX__PRIVATE httpx__tls_session *httpx__tls_session_find(httpx__tls_config *cfg, const char *key) {
    int i;
    for (i = 0; i < HTTPX__TLS_SESSIONS; i++)
        if (cfg->sessions[i].key && strcmp(cfg->sessions[i].key, key) == 0) return &cfg->sessions[i];
    return NULL;
}

HTTPX__PRIVATE void httpx__tls_session_store(httpx__tls_config *cfg, const char *key, const br_ssl_session_parameters *p) {
    httpx__tls_session *s = httpx__tls_session_find(cfg, key);
    int i;
    if (!s) {   /* a free slot, else the least recently used */
        s = &cfg->sessions[0];
        for (i = 0; i < HTTPX__TLS_SESSIONS; i++) {
            if (!cfg->sessions[i].key) { s = &cfg->sessions[i]; break; }
            if (cfg->sessions[i].used < s->used) s = &cfg->sessions[i];
        }
        httpx__free(s->key);
        if (!(s->key = httpx__tls_strdup(key))) return;   /* no memory: simply not cached */
    }
    s->params = *p;
    s->used = ++cfg->tick;
}

#endif /* HTTPX_BEARSSL */
/* End of tls_config.c */

#if defined(HTTPX_LINES)
#line 12996 "httpx.h"
#endif
/* ======================================================================
   Begin file tls_x509.c   (grep anchor: >>tls_x509)
   ====================================================================== */
/* tls_x509: the certificate checks. BearSSL's minimal X.509 engine does the
   chain, the names and the dates; around it we decode the end-entity
   certificate on the side (for "expired" versus "not yet valid", and its key
   when verification is off) and check an IP-literal host against the
   certificate's subjectAltName IP addresses (RFC 6125), which the minimal
   engine does not do. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/tls_x509.c"
#endif
/* #include "tls_private.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */

#ifdef HTTPX_BEARSSL
#include <stdio.h>
#include <time.h>

#define HTTPX__TLS_MAX_EE (64 * 1024)    /* largest end-entity certificate kept for the IP check */

static httpx__x509 *httpx__x509_of(const br_x509_class *const *ctx) {
    return (httpx__x509 *)(void *)(uintptr_t)ctx;
}

static void httpx__x509_start_chain(const br_x509_class **ctx, const char *server_name) {
    httpx__x509 *x = httpx__x509_of(ctx);
    x->ncerts = 0;
    x->der.len = 0;
    x->der_too_big = x->der_nomem = false;
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
        if (x->want_der && !x->der_too_big) {
            if (x->der.len + len > HTTPX__TLS_MAX_EE) x->der_too_big = true;
            else if (!httpx__buf_append(&x->der, buf, len)) x->der_too_big = x->der_nomem = true;
        }
    }
    if (!x->no_verify) x->minimal.vtable->append(&x->minimal.vtable, buf, len);
}

static void httpx__x509_end_cert(const br_x509_class **ctx) {
    httpx__x509 *x = httpx__x509_of(ctx);
    if (!x->no_verify) x->minimal.vtable->end_cert(&x->minimal.vtable);
    x->ncerts++;
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

HTTPX__PRIVATE const br_x509_class *httpx__x509_refuser(void) { return &httpx__x509_refuse_vtable; }

HTTPX__PRIVATE void httpx__x509_setup(httpx__x509 *x, bool no_verify, const char *name) {
    char bare[64];
    size_t nl = strlen(name);
    time_t now = time(NULL);
    if (name[0] == '[' && nl >= 2 && nl - 2 < sizeof bare && name[nl - 1] == ']') {
        memcpy(bare, name + 1, nl - 2);
        bare[nl - 2] = 0;
    } else {
        snprintf(bare, sizeof bare, "%s", nl < sizeof bare ? name : "");
    }
    x->ip_len = (size_t)httpx__ip_parse(bare, x->ip);
    x->vtable = &httpx__x509_vtable;
    x->no_verify = no_verify;
    x->want_der = x->ip_len != 0 && !no_verify;
    /* The real clock (BearSSL's own choice would be the same, made explicit). */
    x->days = (uint32_t)((unsigned long long)now / 86400u + 719528u);   /* 0000-01-01 to 1970-01-01 */
    x->secs = (uint32_t)((unsigned long long)now % 86400u);
    br_x509_minimal_set_time(&x->minimal, x->days, x->secs);
}

HTTPX__PRIVATE bool httpx__x509_is_ip(const httpx__x509 *x) { return x->ip_len != 0; }

HTTPX__PRIVATE void httpx__x509_free(httpx__x509 *x) {
    if (!x) return;
    httpx__buf_free(&x->der);
    httpx__free(x);
}

#endif /* HTTPX_BEARSSL */
/* End of tls_x509.c */

#if defined(HTTPX_LINES)
#line 13189 "httpx.h"
#endif
/* ======================================================================
   Begin file tls.c   (grep anchor: >>tls)
   ====================================================================== */
/* tls: the internal TLS interface, and the TLS stream over BearSSL: a TLS
   connection is an httpx__stream over a lower stream (a socket, a tunnel),
   driven without ever blocking. The configuration it uses is tls_config.c's,
   the certificate checks tls_x509.c's. Without HTTPX_BEARSSL every https URL
   fails before anything is sent, with a message that says how to enable TLS. */
#if defined(HTTPX_LINES)
#line 5 "tools/src/tls.c"
#endif
/* #include "tls_private.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */

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
HTTPX_API httpx_error httpx_tls_preload(void) { return httpx__tls_available(NULL); }
HTTPX__PRIVATE httpx__stream *httpx__tls_stream_new(httpx__tls_config *cfg, const char *host, int port,
                                                    bool offer_h2, httpx__stream *lower, httpx__err *e) {
    (void)cfg; (void)host; (void)port; (void)offer_h2;
    httpx__stream_free(lower);
    httpx__tls_available(e);
    return NULL;
}

#else /* HTTPX_BEARSSL: the BearSSL backend */

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
/* End of tls.c */

#if defined(HTTPX_LINES)
#line 13822 "httpx.h"
#endif
/* ======================================================================
   Begin file proxy_internal.h   (grep anchor: >>proxy_internal)
   ====================================================================== */
/* proxy_internal.h: proxies (proxy.c: the proxy URL and the streams that go
   through a proxy; proxy_env.c: choosing a proxy, from the options or the
   environment). Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 3 "tools/src/proxy_internal.h"
#endif
#ifndef HTTPX__PROXY_INTERNAL_H
#define HTTPX__PROXY_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */

/* ---- a proxy (proxy.c) ---- */

enum httpx__proxy_kind {
    HTTPX__PROXY_HTTP,          /* http://: plain http forwarded, https through CONNECT */
    HTTPX__PROXY_HTTPS,         /* https://: the same, over TLS to the proxy */
    HTTPX__PROXY_SOCKS5,        /* socks5://: the origin's name resolved here */
    HTTPX__PROXY_SOCKS5H        /* socks5h://: the name goes to the proxy */
};

/* A parsed proxy URL: kind://[user[:password]@]host[:port][/] */
typedef struct httpx__proxy {
    enum httpx__proxy_kind kind;
    char host[256];             /* without the brackets of an IPv6 literal */
    int port;                   /* the explicit one, else 80, 443 or 1080 */
    char user[256], password[256];  /* percent-decoded; SOCKS5 takes at most 255 bytes each */
    bool has_user;
    char *authorization;        /* http(s): "Basic ..." for Proxy-Authorization, or NULL */
} httpx__proxy;

/* A new proxy from its URL (a URL without "scheme://" is http://, as curl
   takes it). NULL: HTTPX_ERR_INVALID_ARGUMENT naming what is wrong, or out
   of memory. */
HTTPX__PRIVATE httpx__proxy *httpx__proxy_new(const char *url, httpx__err *e);
HTTPX__PRIVATE void httpx__proxy_free(httpx__proxy *p);   /* NULL is fine */
/* Whether p forwards plain http requests in absolute form (an HTTP proxy
   and an origin of http://), rather than tunnelling. */
HTTPX__PRIVATE bool httpx__proxy_forwards(const httpx__proxy *p, bool origin_tls);
/* "http", "https", "socks5" or "socks5h", for messages. */
HTTPX__PRIVATE const char *httpx__proxy_kind_name(const httpx__proxy *p);

/* A stream over lower (which it takes, on failure too) that asks an HTTP
   proxy for a tunnel to host:port (CONNECT, with p's Proxy-Authorization),
   then carries bytes through it. A refusal, a 407 or a reply that is not
   HTTP is HTTPX_ERR_PROXY with the proxy's status line. */
HTTPX__PRIVATE httpx__stream *httpx__connect_stream_new(const httpx__proxy *p, const char *host, int port,
                                                        httpx__stream *lower, httpx__err *e);
/* A stream over lower (taken) that speaks SOCKS5 (RFC 1928, RFC 1929 for
   p's user): a CONNECT to ip (ip_len 4 or 16) when ip_len > 0, else to the
   name host (socks5h), port. Failures are HTTPX_ERR_PROXY. */
HTTPX__PRIVATE httpx__stream *httpx__socks_stream_new(const httpx__proxy *p, const char *host,
                                                      const unsigned char *ip, int ip_len, int port,
                                                      httpx__stream *lower, httpx__err *e);

/* ---- choosing a proxy (proxy_env.c) ---- */

/* The proxies of a client: one for http:// traffic, one for https://, and
   the hosts that go direct (NO_PROXY, from the environment only). */
typedef struct httpx__proxies {
    httpx__proxy *http, *https; /* NULL: direct */
    char *no_proxy;             /* a copy of NO_PROXY, or NULL */
} httpx__proxies;

/* Reads a variable of the environment (getenv, or a test's table). */
typedef const char *(*httpx__getenv_fn)(void *ctx, const char *name);
/* Fills p: from the options when any of all, http, https is set (http and
   https win over all for their scheme), else, when get is not NULL, from the
   environment (http_proxy, https_proxy, all_proxy, no_proxy; lower case wins
   over upper case; HTTP_PROXY is ignored when REQUEST_METHOD is set, as a
   CGI program's environment carries the client's "Proxy:" header there).
   Errors: a bad URL (HTTPX_ERR_INVALID_ARGUMENT naming the option or the
   variable), out of memory. */
HTTPX__PRIVATE httpx_error httpx__proxies_init(httpx__proxies *p, const char *all, const char *http,
                                               const char *https, httpx__getenv_fn get, void *ctx, httpx__err *e);
HTTPX__PRIVATE void httpx__proxies_free(httpx__proxies *p);
/* The proxy for a request to u, or NULL to go direct. */
HTTPX__PRIVATE const httpx__proxy *httpx__proxies_for(const httpx__proxies *p, const httpx__url *u);
/* Whether host (port) matches the NO_PROXY list: "*", host names (a name
   matches itself and its subdomains; a leading dot is the same), IP
   literals, CIDR ranges ("10.0.0.0/8", "fd00::/8"), each with an optional
   ":port"; separated by commas or spaces, case-insensitive. */
HTTPX__PRIVATE bool httpx__no_proxy_match(const char *list, const char *host, int port);

#endif /* HTTPX__PROXY_INTERNAL_H */
/* End of proxy_internal.h */

#if defined(HTTPX_LINES)
#line 13915 "httpx.h"
#endif
/* ======================================================================
   Begin file proxy.c   (grep anchor: >>proxy)
   ====================================================================== */
/* proxy: a proxy's URL, and the streams that go through a proxy: an HTTP
   CONNECT tunnel and a SOCKS5 connection. Each is one more stream in a
   connection's stack (net_internal.h): it sets itself up over the stream
   below (a TCP socket to the proxy, or TLS to an https:// proxy), then
   carries the origin's bytes untouched, so TLS to the origin runs over it
   as over a socket. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/proxy.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "proxy_internal.h": earlier in httpx.h */

/* ---- the proxy URL ---- */

/* Percent-decodes s[0..n) into out (cap bytes with the NUL): false when it
   does not fit or an escape is bad. */
static bool httpx__proxy_decode(char *out, size_t cap, const char *s, size_t n) {
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi, lo;
            hi = i + 1 < n ? httpx__hex_value(s[i + 1]) : -1;
            lo = i + 2 < n ? httpx__hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) return false;
            c = hi * 16 + lo;
            i += 2;
        }
        if (o + 1 >= cap) return false;
        out[o++] = (char)c;
    }
    out[o] = 0;
    return true;
}

static bool httpx__scheme_is(const char *s, size_t n, const char *name) {
    return n == strlen(name) && httpx__mem_ieq(s, name, n);
}

static httpx__proxy *httpx__proxy_bad(httpx__proxy *p, httpx__err *e, const char *why, const char *url) {
    httpx__proxy_free(p);
    httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "proxy URL '%.100s': %s", url, why);
    return NULL;
}

HTTPX__PRIVATE httpx__proxy *httpx__proxy_new(const char *url, httpx__err *e) {
    httpx__proxy *p = (httpx__proxy *)httpx__malloc(sizeof *p);
    const char *s = url, *sep, *at, *host, *end, *colon;
    size_t hn;
    if (!p) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy"); return NULL; }
    memset(p, 0, sizeof *p);
    if (!url || !*url) return httpx__proxy_bad(p, e, "empty", "");
    for (end = url; *end; end++)
        if ((unsigned char)*end <= ' ' || *end == 0x7f) return httpx__proxy_bad(p, e, "a space or control character", url);
    sep = strstr(url, "://");
    p->kind = HTTPX__PROXY_HTTP;
    if (sep) {
        size_t n = (size_t)(sep - url);
        if (httpx__scheme_is(url, n, "http")) p->kind = HTTPX__PROXY_HTTP;
        else if (httpx__scheme_is(url, n, "https")) p->kind = HTTPX__PROXY_HTTPS;
        else if (httpx__scheme_is(url, n, "socks5")) p->kind = HTTPX__PROXY_SOCKS5;
        else if (httpx__scheme_is(url, n, "socks5h")) p->kind = HTTPX__PROXY_SOCKS5H;
        else return httpx__proxy_bad(p, e, "the scheme is none of http, https, socks5, socks5h", url);
        s = sep + 3;
    }
    /* the authority ends at '/', and a path beyond "/" means nothing to a proxy */
    end = strchr(s, '/');
    if (!end) end = s + strlen(s);
    else if (end[1]) return httpx__proxy_bad(p, e, "a proxy URL has no path", url);
    if (memchr(s, '?', (size_t)(end - s)) || memchr(s, '#', (size_t)(end - s)))
        return httpx__proxy_bad(p, e, "a proxy URL has no query or fragment", url);
    at = NULL;
    for (host = s; host < end; host++)
        if (*host == '@') at = host;
    host = s;
    if (at) {
        const char *pc = (const char *)memchr(s, ':', (size_t)(at - s));
        if (!httpx__proxy_decode(p->user, sizeof p->user, s, (size_t)((pc ? pc : at) - s)) ||
            (pc && !httpx__proxy_decode(p->password, sizeof p->password, pc + 1, (size_t)(at - pc - 1))))
            return httpx__proxy_bad(p, e, "the user or password is longer than 255 bytes or has a bad %-escape", url);
        p->has_user = true;
        host = at + 1;
    }
    if (*host == '[') {
        const char *rb = (const char *)memchr(host, ']', (size_t)(end - host));
        if (!rb) return httpx__proxy_bad(p, e, "an IPv6 literal without ']'", url);
        hn = (size_t)(rb - host - 1);
        if (hn >= sizeof p->host) return httpx__proxy_bad(p, e, "host too long", url);
        memcpy(p->host, host + 1, hn);
        p->host[hn] = 0;
        {
            unsigned char ip[16];
            if (httpx__ip_parse(p->host, ip) != 16) return httpx__proxy_bad(p, e, "a bad IPv6 literal", url);
        }
        colon = rb + 1 < end ? rb + 1 : NULL;
        if (colon && *colon != ':') return httpx__proxy_bad(p, e, "junk after the IPv6 literal", url);
    } else {
        colon = (const char *)memchr(host, ':', (size_t)(end - host));
        hn = (size_t)((colon ? colon : end) - host);
        if (hn >= sizeof p->host) return httpx__proxy_bad(p, e, "host too long", url);
        memcpy(p->host, host, hn);
        p->host[hn] = 0;
    }
    if (!p->host[0]) return httpx__proxy_bad(p, e, "no host", url);
    p->port = p->kind == HTTPX__PROXY_HTTP ? 80 : p->kind == HTTPX__PROXY_HTTPS ? 443 : 1080;
    if (colon) {
        const char *d = colon + 1;
        long port = 0;
        if (d == end) return httpx__proxy_bad(p, e, "an empty port", url);
        for (; d < end; d++) {
            if (*d < '0' || *d > '9') return httpx__proxy_bad(p, e, "a bad port", url);
            port = port * 10 + (*d - '0');
            if (port > 65535) return httpx__proxy_bad(p, e, "the port is above 65535", url);
        }
        if (port == 0) return httpx__proxy_bad(p, e, "port 0", url);
        p->port = (int)port;
    }
    if (p->has_user && (p->kind == HTTPX__PROXY_HTTP || p->kind == HTTPX__PROXY_HTTPS)) {
        httpx__buf up, auth;
        memset(&up, 0, sizeof up);
        memset(&auth, 0, sizeof auth);
        if (!httpx__buf_printf(&up, "%s:%s", p->user, p->password) || !httpx__buf_puts(&auth, "Basic ") ||
            !httpx__base64(&auth, up.p, up.len)) {
            httpx__buf_free(&up);
            httpx__buf_free(&auth);
            httpx__proxy_free(p);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy");
            return NULL;
        }
        httpx__buf_free(&up);
        p->authorization = auth.p;      /* the buffer's memory is the proxy's now */
    }
    return p;
}

HTTPX__PRIVATE void httpx__proxy_free(httpx__proxy *p) {
    if (!p) return;
    httpx__free(p->authorization);
    memset(p->password, 0, sizeof p->password);
    httpx__free(p);
}

HTTPX__PRIVATE bool httpx__proxy_forwards(const httpx__proxy *p, bool origin_tls) {
    return p && !origin_tls && (p->kind == HTTPX__PROXY_HTTP || p->kind == HTTPX__PROXY_HTTPS);
}

HTTPX__PRIVATE const char *httpx__proxy_kind_name(const httpx__proxy *p) {
    static const char *const names[] = {"http", "https", "socks5", "socks5h"};
    return names[p->kind];
}

/* ---- the handshake stream: CONNECT and SOCKS5 share it ----
   Set-up bytes go out from `out`; the proxy's answer comes into `in`; a
   step function reads what came and says what to send next. Bytes the
   proxy sent past its answer stay in `in` and are the first the layer
   above receives. */

#define HTTPX__PROXY_HEAD_MAX (16 * 1024)

typedef struct httpx__hs_stream httpx__hs_stream;
/* Looks at in: 1 done, 0 more bytes needed (or out has new bytes to send),
   HTTPX__BAD (e filled). *used: the answer's bytes to drop from in. */
typedef int (*httpx__hs_step_fn)(httpx__hs_stream *h, httpx__err *e);

struct httpx__hs_stream {
    httpx__stream base;
    const httpx__proxy *proxy;      /* the client's: it outlives its connections */
    httpx__hs_step_fn step;
    httpx__buf out, in;
    size_t out_off, in_off;
    int state;                      /* the step's own */
    bool lower_ready, ready;
    char target[300];               /* host:port, for messages */
    char setup[640];                /* what it waits for, for a timeout's message */
    /* SOCKS5: the CONNECT request's address */
    unsigned char ip[16];
    int ip_len;
    char host[256];
    int port;
};

static httpx__hs_stream *httpx__hs_of(httpx__stream *s) { return (httpx__hs_stream *)(void *)s; }

static int httpx__hs_connect(httpx__stream *s, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_of(s);
    if (h->ready) return 1;
    if (!h->lower_ready) {
        int rc = httpx__stream_connect(s->lower, e);
        s->fd = s->lower->fd;       /* the socket below changes while it tries addresses */
        if (rc != 1) {
            s->want = s->lower->want;
            s->deadline = s->lower->deadline;
            return rc;
        }
        h->lower_ready = true;
        s->deadline = 0;
    }
    for (;;) {
        long n;
        int rc;
        if (h->out_off < h->out.len) {
            n = httpx__stream_send(s->lower, h->out.p + h->out_off, h->out.len - h->out_off, e);
            if (n == HTTPX__BAD) return HTTPX__BAD;
            if (n == HTTPX__AGAIN) { s->want = s->lower->want; return HTTPX__AGAIN; }
            h->out_off += (size_t)n;
            continue;
        }
        rc = h->step(h, e);
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        if (rc == 1) {
            h->ready = true;
            httpx__buf_free(&h->out);
            return 1;
        }
        if (h->out_off < h->out.len) continue;      /* the step queued more to send */
        if (h->in.len - h->in_off >= HTTPX__PROXY_HEAD_MAX) {
            httpx__fail(e, HTTPX_ERR_PROXY, "the %s proxy's answer is longer than %d bytes",
                        httpx__proxy_kind_name(h->proxy), HTTPX__PROXY_HEAD_MAX);
            return HTTPX__BAD;
        }
        if (!httpx__buf_reserve(&h->in, 2048)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy's answer");
            return HTTPX__BAD;
        }
        n = httpx__stream_recv(s->lower, h->in.p + h->in.len, 2048, e);
        if (n == HTTPX__BAD) {
            if (e->code != HTTPX_ERR_NOMEM) {   /* a network error: say it was the proxy's */
                char why[sizeof e->msg];
                snprintf(why, sizeof why, "%s", e->msg);
                httpx__fail(e, HTTPX_ERR_PROXY, "%s proxy %s failed while setting up a tunnel to %s: %s",
                            httpx__proxy_kind_name(h->proxy), h->proxy->host, h->target, why);
            }
            return HTTPX__BAD;
        }
        if (n == HTTPX__AGAIN) { s->want = s->lower->want; return HTTPX__AGAIN; }
        if (n == 0) {
            httpx__fail(e, HTTPX_ERR_PROXY, "the %s proxy %s:%d closed the connection before it set up the tunnel to %s",
                        httpx__proxy_kind_name(h->proxy), h->proxy->host, h->proxy->port, h->target);
            return HTTPX__BAD;
        }
        h->in.len += (size_t)n;
    }
}

static long httpx__hs_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_send(s->lower, p, n, e);
    s->want = s->lower->want;
    return r;
}

static long httpx__hs_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_of(s);
    long r;
    if (h->in_off < h->in.len) {    /* what the proxy sent past its answer comes first */
        size_t k = h->in.len - h->in_off;
        if (k > n) k = n;
        memcpy(p, h->in.p + h->in_off, k);
        h->in_off += k;
        if (h->in_off == h->in.len) httpx__buf_free(&h->in);
        return (long)k;
    }
    r = httpx__stream_recv(s->lower, p, n, e);
    s->want = s->lower->want;
    return r;
}

static size_t httpx__hs_pending(const httpx__stream *s) {
    const httpx__hs_stream *h = (const httpx__hs_stream *)(const void *)s;
    return (h->ready ? h->in.len - h->in_off : 0) + httpx__stream_pending(s->lower);
}

static const char *httpx__hs_query(const httpx__stream *s, int fact) {
    const httpx__hs_stream *h = (const httpx__hs_stream *)(const void *)s;
    if (fact == HTTPX__FACT_SETUP && h->lower_ready && !h->ready) return h->setup;
    return NULL;
}

static void httpx__hs_free(httpx__stream *s) {
    httpx__hs_stream *h = httpx__hs_of(s);
    httpx__stream_free(s->lower);
    httpx__buf_free(&h->out);
    httpx__buf_free(&h->in);
    httpx__free(h);
}

static const httpx__stream_ops httpx__hs_ops = {
    httpx__hs_connect, httpx__hs_send, httpx__hs_recv, httpx__hs_pending, httpx__hs_query, httpx__hs_free
};

static httpx__hs_stream *httpx__hs_new(const httpx__proxy *p, const char *host, int port, httpx__hs_step_fn step,
                                       httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h = (httpx__hs_stream *)httpx__malloc(sizeof *h);
    if (!h) {
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    memset(h, 0, sizeof *h);
    h->base.ops = &httpx__hs_ops;
    h->base.lower = lower;
    h->base.fd = lower->fd;
    h->proxy = p;
    h->step = step;
    h->port = port;
    snprintf(h->host, sizeof h->host, "%s", host);
    snprintf(h->target, sizeof h->target, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    snprintf(h->setup, sizeof h->setup, "waiting for the %s proxy %s:%d to open a tunnel to %s",
             httpx__proxy_kind_name(p), p->host, p->port, h->target);
    return h;
}

/* ---- HTTP CONNECT ---- */

static int httpx__connect_step(httpx__hs_stream *h, httpx__err *e) {
    const char *p = h->in.p, *end, *eol;
    size_t n = h->in.len, line;
    int status = 0;
    if (n < 4) return 0;
    end = NULL;
    {
        size_t i;
        for (i = 0; i + 3 < n; i++)
            if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') { end = p + i + 4; break; }
    }
    /* a reply that does not start as HTTP is refused at once, without waiting for its end */
    if (n >= 5 && memcmp(p, "HTTP/", 5) != 0) {
        char shown[60];
        size_t i, k = n < sizeof shown - 1 ? n : sizeof shown - 1;
        for (i = 0; i < k; i++) shown[i] = (p[i] >= ' ' && p[i] < 0x7f) ? p[i] : '.';
        shown[k] = 0;
        return httpx__fail(e, HTTPX_ERR_PROXY, "the proxy %s:%d answered CONNECT %s with something that is not HTTP: '%s'",
                           h->proxy->host, h->proxy->port, h->target, shown), HTTPX__BAD;
    }
    if (!end) return 0;
    eol = (const char *)memchr(p, '\r', (size_t)(end - p));
    line = (size_t)(eol - p);
    if (line > 200) line = 200;
    if (line >= 12 && (p[5] == '1') && p[6] == '.' && p[8] == ' ' && p[9] >= '1' && p[9] <= '5' &&
        p[10] >= '0' && p[10] <= '9' && p[11] >= '0' && p[11] <= '9' && (line == 12 || p[12] == ' '))
        status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    if (status < 200 || status > 299) {
        char shown[201];
        size_t i;
        for (i = 0; i < line; i++) shown[i] = (p[i] >= ' ' && p[i] < 0x7f) ? p[i] : '.';
        shown[line] = 0;
        return httpx__fail(e, HTTPX_ERR_PROXY, status ? "the proxy %s:%d refused CONNECT %s: %s"
                                                      : "the proxy %s:%d answered CONNECT %s with a bad status line: %s",
                           h->proxy->host, h->proxy->port, h->target, shown), HTTPX__BAD;
    }
    h->in_off = (size_t)(end - p);  /* the rest belongs to the tunnel */
    return 1;
}

HTTPX__PRIVATE httpx__stream *httpx__connect_stream_new(const httpx__proxy *p, const char *host, int port,
                                                        httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h = httpx__hs_new(p, host, port, httpx__connect_step, lower, e);
    if (!h) return NULL;
    httpx__buf_printf(&h->out, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", h->target, h->target);
    if (p->authorization) httpx__buf_printf(&h->out, "Proxy-Authorization: %s\r\n", p->authorization);
    httpx__buf_puts(&h->out, "\r\n");
    if (h->out.failed) {
        httpx__hs_free(&h->base);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    return &h->base;
}

/* ---- SOCKS5 (RFC 1928; username/password: RFC 1929) ---- */

enum { HTTPX__SOCKS_METHOD, HTTPX__SOCKS_AUTH, HTTPX__SOCKS_REPLY };

static const char *httpx__socks_reply_text(int rep) {
    static const char *const text[] = {
        "succeeded", "general SOCKS server failure", "connection not allowed by ruleset", "network unreachable",
        "host unreachable", "connection refused", "TTL expired", "command not supported", "address type not supported"};
    return rep >= 0 && rep < 9 ? text[rep] : "an unknown reply code";
}

static bool httpx__socks_request(httpx__hs_stream *h) {
    httpx__buf *o = &h->out;
    char head[4];
    head[0] = 5; head[1] = 1; head[2] = 0;
    if (h->ip_len == 4) head[3] = 1;
    else if (h->ip_len == 16) head[3] = 4;
    else head[3] = 3;
    httpx__buf_append(o, head, 4);
    if (h->ip_len) httpx__buf_append(o, h->ip, (size_t)h->ip_len);
    else {
        httpx__buf_putc(o, (char)strlen(h->host));
        httpx__buf_puts(o, h->host);
    }
    httpx__buf_putc(o, (char)(h->port >> 8));
    httpx__buf_putc(o, (char)(h->port & 0xff));
    return !o->failed;
}

static int httpx__socks_nomem(httpx__err *e) {
    httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a SOCKS5 request");
    return HTTPX__BAD;
}

static int httpx__socks_step(httpx__hs_stream *h, httpx__err *e) {
    const unsigned char *p = (const unsigned char *)h->in.p + h->in_off;
    size_t n = h->in.len - h->in_off, need;
    const httpx__proxy *px = h->proxy;
    switch (h->state) {
    case HTTPX__SOCKS_METHOD:
        if (n < 2) return 0;
        if (p[0] != 5)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered with version %d, not 5",
                               px->host, px->port, p[0]), HTTPX__BAD;
        h->in_off += 2;
        if (p[1] == 0) {
            h->state = HTTPX__SOCKS_REPLY;
            return httpx__socks_request(h) ? 0 : httpx__socks_nomem(e);
        }
        if (p[1] == 2 && px->has_user) {
            httpx__buf *o = &h->out;
            httpx__buf_putc(o, 1);
            httpx__buf_putc(o, (char)strlen(px->user));
            httpx__buf_puts(o, px->user);
            httpx__buf_putc(o, (char)strlen(px->password));
            httpx__buf_puts(o, px->password);
            h->state = HTTPX__SOCKS_AUTH;
            return o->failed ? httpx__socks_nomem(e) : 0;
        }
        return httpx__fail(e, HTTPX_ERR_PROXY, p[1] == 0xff || p[1] == 2
                           ? "the SOCKS5 proxy %s:%d accepts none of the offered authentication methods (%s)"
                           : "the SOCKS5 proxy %s:%d chose an authentication method that was not offered (%s)",
                           px->host, px->port, px->has_user ? "none, username/password" : "none: give a user in the proxy URL"),
               HTTPX__BAD;
    case HTTPX__SOCKS_AUTH:
        if (n < 2) return 0;
        if (p[0] != 1)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered the username/password "
                               "request with version %d, not 1", px->host, px->port, p[0]), HTTPX__BAD;
        if (p[1] != 0)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d refused the user '%.60s' (status %d)",
                               px->host, px->port, px->user, p[1]), HTTPX__BAD;
        h->in_off += 2;
        h->state = HTTPX__SOCKS_REPLY;
        return httpx__socks_request(h) ? 0 : httpx__socks_nomem(e);
    default:
        if (n < 5) return 0;
        if (p[0] != 5)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered CONNECT with version %d, not 5",
                               px->host, px->port, p[0]), HTTPX__BAD;
        if (p[1] != 0)
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d refused CONNECT %s: %s (%d)",
                               px->host, px->port, h->target, httpx__socks_reply_text(p[1]), p[1]), HTTPX__BAD;
        if (p[3] == 1) need = 4 + 4 + 2;
        else if (p[3] == 4) need = 4 + 16 + 2;
        else if (p[3] == 3) need = 4 + 1 + (size_t)p[4] + 2;
        else
            return httpx__fail(e, HTTPX_ERR_PROXY, "the SOCKS5 proxy %s:%d answered CONNECT with the unknown "
                               "address type %d", px->host, px->port, p[3]), HTTPX__BAD;
        if (n < need) return 0;
        h->in_off += need;          /* the bound address is of no use to a client */
        return 1;
    }
}

HTTPX__PRIVATE httpx__stream *httpx__socks_stream_new(const httpx__proxy *p, const char *host,
                                                      const unsigned char *ip, int ip_len, int port,
                                                      httpx__stream *lower, httpx__err *e) {
    httpx__hs_stream *h;
    if (!ip_len && strlen(host) > 255) {
        httpx__stream_free(lower);
        httpx__fail(e, HTTPX_ERR_PROXY, "the host name is longer than SOCKS5's 255 bytes");
        return NULL;
    }
    if (!(h = httpx__hs_new(p, host, port, httpx__socks_step, lower, e))) return NULL;
    if (ip_len) memcpy(h->ip, ip, (size_t)ip_len);
    h->ip_len = ip_len;
    h->state = HTTPX__SOCKS_METHOD;
    /* the greeting: the methods offered (no authentication; username/password when there is a user) */
    if (p->has_user) httpx__buf_append(&h->out, "\x05\x02\x00\x02", 4);
    else httpx__buf_append(&h->out, "\x05\x01\x00", 3);
    if (h->out.failed) {
        httpx__hs_free(&h->base);
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a proxy connection");
        return NULL;
    }
    return &h->base;
}
/* End of proxy.c */

#if defined(HTTPX_LINES)
#line 14411 "httpx.h"
#endif
/* ======================================================================
   Begin file proxy_env.c   (grep anchor: >>proxy_env)
   ====================================================================== */
/* proxy_env: which proxy a request goes through. The client's options name
   them; without any, the environment does (trust_env), read the way curl
   and Python read it: http_proxy, https_proxy, all_proxy and no_proxy, lower
   case before upper case. */
#if defined(HTTPX_LINES)
#line 4 "tools/src/proxy_env.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "proxy_internal.h": earlier in httpx.h */

static const char *httpx__env_upper_name(const char *lower) {
    return !strcmp(lower, "http_proxy") ? "HTTP_PROXY" : !strcmp(lower, "https_proxy") ? "HTTPS_PROXY"
         : !strcmp(lower, "all_proxy") ? "ALL_PROXY" : "NO_PROXY";
}

/* name in lower case, then in upper case; an empty value is unset. *which:
   the name that gave it, for messages. */
static const char *httpx__env_pick(httpx__getenv_fn get, void *ctx, const char *lower, bool upper_too,
                                   const char **which) {
    char upper[32];
    size_t i;
    const char *v = get(ctx, lower);
    if (v && *v) { *which = lower; return v; }
    if (!upper_too) return NULL;
    for (i = 0; lower[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)(lower[i] >= 'a' && lower[i] <= 'z' ? lower[i] - 32 : lower[i]);
    upper[i] = 0;
    v = get(ctx, upper);
    if (v && *v) { *which = httpx__env_upper_name(lower); return v; }
    return NULL;
}

static httpx_error httpx__proxy_make(httpx__proxy **out, const char *url, const char *from, httpx__err *e) {
    if (!url) return HTTPX_OK;
    if (!(*out = httpx__proxy_new(url, e))) {
        if (e->code == HTTPX_ERR_INVALID_ARGUMENT) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "%s: %s", from, why);
        }
        return e->code;
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__proxies_init(httpx__proxies *p, const char *all, const char *http,
                                               const char *https, httpx__getenv_fn get, void *ctx, httpx__err *e) {
    const char *from_http = "httpx_client_opts.http_proxy", *from_https = "httpx_client_opts.https_proxy";
    const char *from_all = "httpx_client_opts.proxy", *no = NULL;
    memset(p, 0, sizeof *p);
    if (!all && !http && !https && get) {
        const char *w = NULL;
        /* A CGI program's HTTP_PROXY may come from the request's "Proxy:"
           header (httpoxy): ignored then, as curl and Python do. */
        bool cgi = get(ctx, "REQUEST_METHOD") != NULL;
        http = httpx__env_pick(get, ctx, "http_proxy", !cgi, &from_http);
        https = httpx__env_pick(get, ctx, "https_proxy", true, &from_https);
        all = httpx__env_pick(get, ctx, "all_proxy", true, &from_all);
        no = httpx__env_pick(get, ctx, "no_proxy", true, &w);
    }
    if (!http) { http = all; from_http = from_all; }
    if (!https) { https = all; from_https = from_all; }
    if (httpx__proxy_make(&p->http, http, from_http, e) || httpx__proxy_make(&p->https, https, from_https, e)) {
        httpx__proxies_free(p);
        return e->code;
    }
    if (no) {
        size_t n = strlen(no) + 1;
        if (!(p->no_proxy = (char *)httpx__malloc(n))) {
            httpx__proxies_free(p);
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for NO_PROXY");
        }
        memcpy(p->no_proxy, no, n);
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE void httpx__proxies_free(httpx__proxies *p) {
    httpx__proxy_free(p->http);
    httpx__proxy_free(p->https);
    httpx__free(p->no_proxy);
    memset(p, 0, sizeof *p);
}

HTTPX__PRIVATE const httpx__proxy *httpx__proxies_for(const httpx__proxies *p, const httpx__url *u) {
    const httpx__proxy *px = u->is_https ? p->https : p->http;
    char host[256];
    if (!px || !p->no_proxy) return px;
    if (u->host.n >= sizeof host) return px;
    memcpy(host, u->host.p, u->host.n);
    host[u->host.n] = 0;
    return httpx__no_proxy_match(p->no_proxy, host, u->port) ? NULL : px;
}

/* Whether the first bits of a and b (n bytes each) agree. */
static bool httpx__prefix_eq(const unsigned char *a, const unsigned char *b, int bits) {
    int i;
    for (i = 0; bits >= 8; i++, bits -= 8)
        if (a[i] != b[i]) return false;
    return !bits || ((a[i] ^ b[i]) & (0xff00 >> bits) & 0xff) == 0;
}

/* One NO_PROXY entry (e[0..n), no spaces or commas) against host:port. */
static bool httpx__no_proxy_entry(const char *en, size_t n, const char *host, const unsigned char *hip, int hip_len,
                                  int port) {
    char name[256];
    const char *slash, *colon = NULL;
    int want_port = 0, bits = -1;
    unsigned char ip[16];
    int ip_len;
    size_t hn;
    if (n == 1 && en[0] == '*') return true;
    if (en[0] == '[') {                     /* [v6] or [v6]:port */
        const char *rb = (const char *)memchr(en, ']', n);
        if (!rb) return false;
        if (rb + 1 < en + n) {
            if (rb[1] != ':') return false;
            colon = rb + 1;
        }
        n = (size_t)(rb - en - 1);
        en++;
    } else {
        /* one ':' is a port; more are an IPv6 literal */
        const char *c1 = (const char *)memchr(en, ':', n);
        if (c1 && !memchr(c1 + 1, ':', (size_t)(en + n - c1 - 1))) {
            colon = c1;
            n = (size_t)(c1 - en);
        }
    }
    if (colon) {
        const char *d = colon + 1;
        for (; *d >= '0' && *d <= '9' && want_port < 100000; d++) want_port = want_port * 10 + (*d - '0');
        if (want_port && want_port != port) return false;
    }
    if (n == 0 || n >= sizeof name) return false;
    memcpy(name, en, n);
    name[n] = 0;
    slash = strchr(name, '/');
    if (slash) {                            /* CIDR */
        const char *d = slash + 1;
        bits = 0;
        if (!*d) return false;
        for (; *d; d++) {
            if (*d < '0' || *d > '9' || bits > 128) return false;
            bits = bits * 10 + (*d - '0');
        }
        name[slash - name] = 0;
    }
    ip_len = httpx__ip_parse(name, ip);
    if (ip_len) {
        if (hip_len != ip_len) return false;
        if (bits < 0) bits = ip_len * 8;
        if (bits > ip_len * 8) return false;
        return httpx__prefix_eq(ip, hip, bits);
    }
    if (slash) return false;
    /* a name: itself or its subdomains; a leading dot (or "*.") means the same */
    en = name;
    if (en[0] == '*' && en[1] == '.') en++;
    if (en[0] == '.') en++;
    n = strlen(en);
    hn = strlen(host);
    if (hn && host[hn - 1] == '.') hn--;    /* "example.com." is example.com */
    if (n && en[n - 1] == '.') n--;
    if (!n || hn < n || !httpx__mem_ieq(host + hn - n, en, n)) return false;
    return hn == n || host[hn - n - 1] == '.';
}

HTTPX__PRIVATE bool httpx__no_proxy_match(const char *list, const char *host, int port) {
    unsigned char hip[16];
    int hip_len = httpx__ip_parse(host, hip);
    const char *p = list;
    if (!list) return false;
    while (*p) {
        size_t n;
        while (*p == ',' || *p == ' ' || *p == '\t') p++;
        n = strcspn(p, ", \t");
        if (n && httpx__no_proxy_entry(p, n, host, hip, hip_len, port)) return true;
        p += n;
    }
    return false;
}
/* End of proxy_env.c */

#if defined(HTTPX_LINES)
#line 14603 "httpx.h"
#endif
/* ======================================================================
   Begin file engine_internal.h   (grep anchor: >>engine_internal)
   ====================================================================== */
/* engine_internal.h: the engine: requests, exchanges, connections, protocols, the loop, the faces.
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/engine_internal.h"
#endif
#ifndef HTTPX__ENGINE_INTERNAL_H
#define HTTPX__ENGINE_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "multipart_internal.h": earlier in httpx.h */
/* #include "dns_internal.h": earlier in httpx.h */
/* #include "tls_internal.h": earlier in httpx.h */
/* #include "proxy_internal.h": earlier in httpx.h */
/* ==== The engine: requests, exchanges, connections, protocols, the loop ====
   Layers, bottom up (README's architecture section tells the story):
   - a connection (conn.c) owns its socket and its setup: resolving ->
     connecting -> TLS -> ready; exchanges wait on it; when it is ready it
     gets a protocol, which then serves exchanges on it;
   - a protocol (h1_proto.c: HTTP/1.1) sits in the connection's slot: it
     says whether the connection can take another exchange, sends requests,
     reads responses and hands each head to the response through one door
     (httpx__exchange_head), and gives body bytes when asked;
   - the loop (loop.c) polls connections, not requests (idle pooled ones
     too), steps them on readiness and deadlines, and places queued
     exchanges on connections;
   - the response (response.c) listens to its exchange through a sink:
     the door every head comes through, the body kept, streamed or dropped;
   - transports (hop.c's network one: the pool and the slot; mock.c) carry
     a hop's exchange; one hop (hop.c) builds, sends, follows redirects and
     publishes for both faces (client.c blocking, task.c tasks).
   Calls go down, callbacks go up: exchange.c reaches the response through
   the sink it installed (head, wake, end), the loop reaches the task face
   through the hooks it installed on the client (httpx__face_hooks). */

/* ---- the request value (request.c) ---- */

#define HTTPX__REQ_INLINE_FIELDS 16
/* The public httpx_req is this value: what a mock handler and
   httpx_response_request see. */
typedef struct httpx_req {
    char method[32];
    httpx__url url;                 /* views into the response's url_text */
    const char *url_text;           /* the whole URL (the response's url_text) */
    /* The fields to send, merged from the defaults, the client's headers, the
       request's and auth, without Content-Length/Transfer-Encoding (each
       protocol frames the body itself). A caller's Host, if any, is here;
       otherwise the protocol derives it from url. */
    httpx_headers headers;
    httpx__field inline_fields[HTTPX__REQ_INLINE_FIELDS];
    char inline_text[1024];
    bool has_host;
    /* the body source */
    const char *body;               /* in memory: content, json, urlencoded form */
    size_t body_len;
    httpx__multipart *multipart;
    httpx_read_fn upload;
    void *upload_user_data;
    long long body_length;          /* bytes when known, -1 unknown (HTTP/1.1: chunked) */
    const char *content_type;       /* of the body, unless the caller sets one */
    bool has_body;
    bool replayable;                /* the body can be produced again: none or in memory */
    bool idempotent;
    bool head;                      /* a HEAD request: no response body */
    bool strip_credentials;         /* redirected to another origin: no Authorization,
                                       Cookie, Proxy-Authorization or caller Host */
} httpx__request;

/* The resolved settings of one request: the request's options over the
   client's, in one place (httpx__settings_resolve). */
typedef struct httpx__settings {
    httpx_timeout timeout;          /* seconds, <0: none */
    bool follow_redirects;
    int max_redirects;
    size_t max_body_size;
    httpx_auth auth;                /* the auth to apply: kind NONE for none */
    bool auth_from_client;          /* auth is the client's (its header is prebuilt) */
} httpx__settings;

/* Reads the next piece of the body from *off: >0 bytes, 0 the end, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__request_body_read(httpx__request *q, size_t *off, char *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE void httpx__request_free(httpx__request *q);

/* ---- exchanges: one request and its response on a connection ---- */

typedef struct httpx__conn httpx__conn;
typedef struct httpx__exchange httpx__exchange;
typedef struct httpx__response httpx__response;

enum httpx__ex_state {
    HTTPX__EX_IDLE,             /* not started (a task behind max_in_flight) or between redirects */
    HTTPX__EX_QUEUED,           /* waiting for the pool to give it a connection */
    HTTPX__EX_ATTACHED,         /* waiting on a connection that is being set up */
    HTTPX__EX_SENDING,          /* the protocol sends the request */
    HTTPX__EX_RECV_HEAD,        /* ... and waits for the response head */
    HTTPX__EX_BODY,             /* the head is in; body bytes come through httpx__exchange_read */
    HTTPX__EX_DONE              /* ended, successfully or not; off its connection */
};

/* HTTP/1.1's state of an exchange: the response being read (the sans-IO
   receive side) and how far the request went out. */
typedef struct httpx__h1_ex {
    httpx__h1_resp resp;
    size_t body_off;                /* request body bytes produced so far */
    bool body_sent;                 /* the request body is all queued */
    bool early;                     /* the server answered before the request was all sent */
} httpx__h1_ex;

#ifndef HTTPX_NO_HTTP2
/* HTTP/2's state of an exchange: its stream. */
typedef struct httpx__h2_ex {
    uint32_t id;                    /* the stream, 0 before it is opened */
    httpx__buf in;                  /* body bytes received, not yet read (at most a window) */
    size_t in_off;
    httpx__buf stage;               /* a piece of a streamed request body waiting for window */
    size_t stage_off;
    size_t body_off;                /* request body bytes produced so far */
    bool body_sent;                 /* END_STREAM is queued */
    bool ended;                     /* the server's side ended cleanly */
    bool wake;                      /* news for the layer above, delivered after the events */
    httpx__err err;                 /* a stream error to report (code 0: none) */
} httpx__h2_ex;
#endif

/* A final response head, as a protocol hands it up: views valid during the
   call only. The body length is parsed once, by the protocol. */
typedef struct httpx__head {
    int status;
    const char *version;            /* "HTTP/1.1", "HTTP/1.0", "HTTP/2" (static) */
    const char *reason;
    size_t reason_len;
    const httpx__field_view *fields;
    size_t nfields;
    long long expected_length;      /* the body's length when known (0: none), else -1 */
    /* the facts of the connection that carried it, as values (exchange.c
       fills them; a transport without a connection leaves them empty) */
    bool connection_reused;
    const char *tls_version, *tls_cipher, *alpn;   /* static text or NULL */
} httpx__head;

/* What the layer above an exchange installs to hear of it: the protocols
   and the connection are below it and reach it only through these. */
typedef struct httpx__exchange_sink {
    /* The final head (ex is in BODY). HTTPX_OK, or why it is refused (too
       large, out of memory): the protocol then ends ex with that error. */
    httpx_error (*head)(httpx__exchange *ex, const httpx__head *h, httpx__err *e);
    /* Body bytes, the end or an error wait: pull with httpx__exchange_read. */
    void (*wake)(httpx__exchange *ex);
    /* ex ended (DONE, off its connection): e NULL for success, else why. */
    void (*end)(httpx__exchange *ex, httpx__err *e);
} httpx__exchange_sink;

struct httpx__exchange {
    enum httpx__ex_state state;
    httpx_client *client;
    httpx__response *resp;          /* the response it fills (the layer above) */
    httpx__request *req;
    httpx__conn *conn;              /* while attached or being served */
    httpx__exchange *conn_next;     /* the connection's waiters or the exchanges it serves */
    httpx__exchange *live_prev, *live_next;  /* the client's exchanges in flight */
    httpx_timeout timeout;          /* resolved: seconds, <0 none */
    double deadline;                /* when the current wait fails (0: none) */
    httpx_error timeout_error;      /* which timeout that wait is */
    double total_deadline;          /* when the whole request fails (timeout.total; 0: none),
                                       set at the first submit, kept across redirects */
    double started;
    bool live;                      /* on the client's list */
    bool reused;                    /* its connection served before: a failure before any
                                       response byte may be a stale connection */
    bool retried;
    bool stream;                    /* the caller pulls the body (httpx_read) */
    bool readable;                  /* the protocol has news for a stream reader */
    const httpx__exchange_sink *sink;   /* the layer above (the response) */
    union {                         /* the protocol's part: one of them, never both */
        httpx__h1_ex h1;
#ifndef HTTPX_NO_HTTP2
        httpx__h2_ex h2;
#endif
    } proto;
};

/* exchange.c: the one owner of ex->state. Every change goes through here
   and is asserted against the table of legal transitions. */
HTTPX__PRIVATE void httpx__exchange_set_state(httpx__exchange *ex, enum httpx__ex_state to);
/* The exchange waits now, for at most seconds (<0: no limit); which: the
   error when that runs out. The one place protocols arm timeouts. */
HTTPX__PRIVATE void httpx__exchange_wait(httpx__exchange *ex, double seconds, httpx_error which);
/* Whether ex may go out again on another connection: not retried yet, a
   body that can be produced again, and idempotent when need_idempotent
   (the server may have acted on it). The protocols decide when it applies. */
HTTPX__PRIVATE bool httpx__exchange_may_retry(const httpx__exchange *ex, bool need_idempotent);
/* A response sets up its exchange: IDLE, listened to through sink. */
HTTPX__PRIVATE void httpx__exchange_init(httpx__exchange *ex, const httpx__exchange_sink *sink);
/* The one door through which every response head reaches its response:
   ex goes to BODY and the sink takes the head. HTTPX_OK or why the head is
   refused: the protocol then ends the exchange with that error. */
HTTPX__PRIVATE httpx_error httpx__exchange_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e);
/* The protocol has body bytes (or the end, or an error) for ex: the layer
   above pulls them with httpx__exchange_read now (in-memory bodies,
   on_data) or when its reader runs (streams). */
HTTPX__PRIVATE void httpx__exchange_wake(httpx__exchange *ex);
/* Gives up on ex wherever it is (httpx__exchange_abandon) and tells the
   sink it ended with e (a timeout). */
HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e);
/* Ends ex: e NULL or e->code 0 for success. Takes it off its connection. */
HTTPX__PRIVATE void httpx__exchange_end(httpx__exchange *ex, httpx__err *e);
/* Pulls body bytes: >0, 0 the end (the exchange is ended), HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
/* Gives up on ex wherever it is (cancel, free, a timeout): off the pool
   queue, off a connection being set up (which goes on for the others), or
   its protocol cancels it (HTTP/1.1: closes the connection). */
HTTPX__PRIVATE void httpx__exchange_abandon(httpx__exchange *ex);
/* Puts ex in the pool queue and on the client's live list. */
HTTPX__PRIVATE void httpx__exchange_submit(httpx__exchange *ex);
/* Takes ex off conn and back to the pool queue, once: the request was never
   processed (a dead pooled connection, a refused stream). The protocol has
   freed its own state of ex already. */
HTTPX__PRIVATE void httpx__exchange_requeue(httpx__conn *conn, httpx__exchange *ex);
HTTPX__PRIVATE void httpx__live_remove(httpx__exchange *ex);

/* ---- connections and their protocol slot ---- */

enum httpx__conn_state {
    HTTPX__CONN_RESOLVING,      /* the host name, without blocking (dns.c) */
    HTTPX__CONN_CONNECTING,     /* the stack of streams sets itself up: a TCP connect
                                   (the addresses in turn) or a Unix socket's, then TLS */
    HTTPX__CONN_READY,          /* a protocol serves exchanges (or it is idle in the pool) */
    HTTPX__CONN_CLOSED          /* failed or closed: freed by the loop */
};

/* The protocol slot, closed at both ends: the connection knows a protocol
   only through these, and keeps its state as an opaque pointer
   (conn->proto_state); a protocol reaches exchanges through exchange.c and
   their sinks. The client's table (httpx_client.protocols) lists the
   protocols a connection may choose from, most preferred first. */
typedef struct httpx__proto {
    const char *name;
    bool multiplex;                 /* serves many exchanges at once: exchanges wait for
                                       a connection that may speak it rather than open
                                       their own, and traffic on it while idle is normal */
    /* Whether conn may come to speak it, by the client's options (asked
       while it is set up: TLS offers it by ALPN, exchanges wait on it). */
    bool (*offered)(const httpx__conn *conn);
    /* Whether the ready conn speaks it: ALPN chose it, or prior knowledge. */
    bool (*chosen)(const httpx__conn *conn);
    /* conn is ready and speaks it: makes conn->proto_state (NULL: nothing to make). */
    httpx_error (*start)(httpx__conn *conn, httpx__err *e);
    /* conn closes: says goodbye if it can, frees conn->proto_state (NULL: nothing). */
    void (*free)(httpx__conn *conn);
    /* conn cannot take another exchange now, but will without a new
       connection (streams finish): an exchange waits for it. */
    bool (*worth_waiting)(const httpx__conn *conn);
    /* Whether the connection can take another exchange now. */
    bool (*can_take)(const httpx__conn *conn);
    /* Starts serving ex (state SENDING). Errors end ex. */
    void (*submit)(httpx__conn *conn, httpx__exchange *ex);
    /* On readiness (revents) or with none to go on: sends, reads, parses,
       wakes exchanges. Idle connections too: a server's close or stray
       bytes end an idle HTTP/1.1 connection. */
    void (*step)(httpx__conn *conn, short revents);
    /* Body bytes of ex: >0, 0 the end, HTTPX__AGAIN, HTTPX__BAD. */
    long (*read_body)(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
    /* Gives up on ex (HTTP/1.1: the connection closes). */
    void (*cancel)(httpx__conn *conn, httpx__exchange *ex);
    /* ex is off the protocol: it was served fully or failed. */
    void (*release)(httpx__conn *conn, httpx__exchange *ex, bool reusable);
} httpx__proto;

/* Where a connection goes: the stack of streams it is made of, and the
   pool's key (exchanges whose URLs have the route of a connection may use
   it; httpx__route_is_for compares without building a string). */
typedef struct httpx__route {
    char host[256];                 /* the origin's host: what DNS resolves (unless uds), the
                                       TLS name (SNI, verification), messages */
    int port;
    bool tls;                       /* https: TLS over the bottom stream */
    const char *uds;                /* dial this Unix domain socket instead of host:port (the
                                       client's copy of httpx_client_opts.uds); NULL: TCP */
    const httpx__proxy *proxy;      /* the proxy to go through (the client's; its pointer is its
                                       identity in the key), NULL: direct. Its streams stand
                                       under TLS in the stack (proxy.c) */
} httpx__route;

struct httpx__conn {
    httpx__conn *next;              /* the client's list of every connection */
    httpx_client *client;
    enum httpx__conn_state state;
    httpx__route route;             /* where it goes; the pool's key */
    httpx__dns *dns;                /* while resolving */
    unsigned char origin_ip[16];    /* socks5://: the origin's address, resolved here before */
    int origin_ip_len;              /* the proxy's name (4 or 16; 0: not yet) */
    httpx__stream *io;              /* the top of its stack of streams, from CONNECTING on */
    double connect_timeout;         /* seconds, <0 none: covers DNS, connect and TLS */
    double setup_deadline;          /* when the whole setup fails */
    double deadline;                /* the current setup wait (next address, DNS retry) */
    const httpx__proto *proto;      /* set when ready */
    httpx__exchange *waiters;       /* exchanges waiting on its setup, oldest first */
    httpx__exchange *active;        /* exchanges its protocol serves (HTTP/1.1: at most one) */
    httpx__buf in;                  /* received bytes; in_off..len not yet consumed */
    size_t in_off;
    httpx__buf out;                 /* bytes to send; out_off..len not yet sent */
    size_t out_off;
    double idle_since;
    bool served;                    /* it served an exchange before (reuse) */
    void *proto_state;              /* the protocol's own (its start and free) */
    short want;                     /* poll events it waits for */
    int poll_index;                 /* its place in the loop's pollfd array, -1 none */
};

/* The slots (h1_proto.c, h2_proto.c); HTTP/2's is NULL under HTTPX_NO_HTTP2.
   Only the code that fills a client's protocol table names them. */
HTTPX__PRIVATE const httpx__proto *httpx__h1_protocol(void);
HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void);
#define HTTPX__MAX_PROTOCOLS 4

/* Finds a ready connection of the origin that can take ex, or attaches ex
   to one being set up, or starts a new one (within limits). Returns false
   when ex has to wait for the pool. Errors end ex. */
HTTPX__PRIVATE bool httpx__pool_place(httpx_client *c, httpx__exchange *ex);
HTTPX__PRIVATE void httpx__conn_close(httpx__conn *conn);
/* Frees a connection the loop found closed. */
HTTPX__PRIVATE void httpx__conn_free(httpx__conn *conn);
HTTPX__PRIVATE void httpx__conn_step(httpx__conn *conn, short revents);
/* Makes a pooled connection of url's origin from a stream that is already
   connected (and takes the stream): the seam where transports that are not
   a TCP connect (a socketpair in the tests; later tunnels, Unix sockets,
   in-process apps) enter the pool. tls: run TLS over it first. */
#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE httpx_error httpx__conn_adopt(httpx_client *c, const char *url, httpx__stream *s, bool tls, httpx__err *e);
#endif
/* The socket to poll (conn->want the events; 0: nothing to poll now). */
HTTPX__PRIVATE httpx__sock httpx__conn_fd(const httpx__conn *conn);
/* An idle connection: the exchange is done with it. */
HTTPX__PRIVATE void httpx__conn_idle(httpx__conn *conn);
HTTPX__PRIVATE void httpx__conn_detach(httpx__conn *conn, httpx__exchange *ex);
/* Receives into conn->in (reserving room first; the unconsumed tail moves
   to the front when the buffer would have to grow, so a stream of small
   messages cannot grow it): >0 bytes, 0 closed, HTTPX__AGAIN, HTTPX__BAD. */
#define HTTPX__CONN_RECV_CHUNK 16384
HTTPX__PRIVATE long httpx__conn_fill(httpx__conn *conn, httpx__err *e);
/* Bytes in and out through the connection's stream (conn->want updated). */
HTTPX__PRIVATE long httpx__conn_send(httpx__conn *conn, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__conn_recv(httpx__conn *conn, void *p, size_t n, httpx__err *e);

/* ---- the response, its client, tasks ---- */

/* What the policy layer sends a hop through (hop.c): an exchange-level
   transport. The network one is the pool and the protocol slot (submit
   queues for a connection); the mock one answers from memory. Either way
   the head reaches the response through the one door (httpx__exchange_head,
   then the response's sink)
   and the body comes through read. */
typedef struct httpx__transport {
    const char *name;
    /* Sends ex's request (ex->req, built). News comes through the door and
       httpx__exchange_wake; errors end ex. */
    void (*submit)(httpx__exchange *ex);
    /* Body bytes: >0, 0 the end (ex ended), HTTPX__AGAIN, HTTPX__BAD (ex ended with e). */
    long (*read)(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
    /* Gives up on ex wherever it is (a timeout, a limit, the caller's free). */
    void (*cancel)(httpx__exchange *ex);
    /* Frees what the transport keeps for the response (NULL: nothing). */
    void (*release)(httpx__response *r);
} httpx__transport;

/* The mock transport's answer being built (mock.c). */
struct httpx_mock_reply {
    int status;
    httpx_headers headers;
    httpx__buf body;
    size_t body_off;                /* how much of body was read */
    httpx__err err;                 /* httpx_reply_error, or a refused header, or NOMEM */
};

/* What a face that keeps tasks installs on its client, so that the loop
   (below the faces) can call up around a pass without naming them. */
typedef struct httpx__face_hooks {
    void (*admit)(httpx_client *c);         /* move waiting tasks into flight */
    bool (*due)(const httpx_client *c);     /* a task waits to be reported: do not wait in poll */
    void (*settle)(httpx_client *c);        /* report the tasks that ended (redirects followed) */
} httpx__face_hooks;

#define HTTPX__INLINE_FIELDS 24
struct httpx__response {
    httpx_response pub;             /* first: the public view is a cast away */
    httpx__exchange ex;
    httpx__request req;
    httpx__settings set;
    httpx_client *client;
    httpx_client *owned_client;     /* one-shot calls free their client with the response */
    const httpx_opts *opts;         /* the caller's options (never NULL: points at zeros) */
    httpx_headers headers;
    httpx__field inline_fields[HTTPX__INLINE_FIELDS];
    char inline_text[2048];         /* header text of most responses */
    httpx__buf url_text;            /* the absolute request URL, NUL-terminated */
    char url_inline[512];
    httpx__buf body;
    httpx__buf form;                /* an urlencoded form body */
    httpx__buf body_copy;           /* a task's copy of an in-memory request body */
    httpx__buf scratch;             /* text() conversion, read_line() lines */
    size_t line_used;               /* read_line: bytes of scratch to drop on the next call */
    char errmsg[240];
    int redirects;
    bool draining_redirect;         /* a redirect's body is read (bounded) and dropped */
    size_t redirect_body;           /* bytes of it dropped so far */
    /* a nonblocking task (httpx_client_start) */
    bool is_task;
    bool started;                   /* past the max_in_flight queue */
    bool finished;                  /* done and reported (on_done called) */
    httpx__response *task_prev, *task_next;   /* the client's list of tasks */
    httpx_opts opts_copy;           /* a task's own copy of the options */
    char *opts_store;               /* the strings and arrays that copy points into */
    /* the hop (hop.c) */
    const httpx__transport *transport;
    struct httpx_mock_reply *mock;  /* the mock transport's reply (made on first use) */
    httpx__buf sent_body;           /* a streamed request body as the mock read it */
    /* the policy's memory hung on a response (hop_cookies.c, history.c,
       links.c): made on first use; each maker installs its free */
    bool cookies_taken;             /* this hop's Set-Cookie fields are in the jar */
    struct httpx__history *history; /* r.history and r.next_request's URL */
    struct httpx__links *links;     /* r.links, parsed on first use */
    void (*free_history)(httpx__response *r);
    void (*free_links)(httpx__response *r);
    /* the face that made it: called first when it is freed (a task leaves
       its client's list), and with the one-shot client it owns, last */
    void (*on_free)(httpx__response *r);
    void (*free_owned)(httpx_client *c);
    /* httpx_text, httpx_read_text, httpx_json (text.c, json.c): made on first
       use, freed with the response by httpx__views_free */
    struct httpx__views *views;
};

struct httpx_client {
    httpx_client_opts opts;         /* defaults applied; strings below are our own copies */
    httpx__buf base_url;
    httpx_pair *headers, *params;   /* deep copies, {0}-terminated */
    char *strings;                  /* storage of those copies */
    httpx__conn *conns;
    int num_conns;
    httpx__buf auth_header;         /* the Authorization value from opts.auth, or empty */
    httpx_cookies *jar;             /* the cookie jar (hop_cookies.c); NULL: none */
    bool jar_owned;                 /* the client's own (not opts.cookie_jar): freed with it */
    httpx__tls_config *tls;         /* made at the first https request */
    httpx__dns_config dns;
    bool oneshot;                   /* the private client of one httpx_get() & co. */
    httpx__exchange *live, *live_tail;  /* exchanges in flight (queued ones first come first) */
    httpx__response *tasks, *tasks_tail;  /* nonblocking tasks, oldest first */
    const httpx__face_hooks *face;  /* installed by the task face at its first task */
    int tasks_started, tasks_total, tasks_done;
    int polling;                    /* inside the loop: callbacks run there */
    httpx__response *callback_task; /* the task whose on_done runs */
    httpx__err config_error;        /* a client option that makes no sense: every request fails with it */
    httpx__proxies proxies;         /* from the options or the environment (proxy_env.c) */
    struct pollfd *pollfds;         /* the loop's array, reused */
    int pollfds_cap;
    /* what a connection may speak, most preferred first, NULL-terminated */
    const httpx__proto *protocols[HTTPX__MAX_PROTOCOLS + 1];
};

/* request.c */
HTTPX__PRIVATE httpx_error httpx__request_build(httpx__response *r, httpx__err *e);
/* response.c: the response object, the door, the body sinks */
HTTPX__PRIVATE httpx__response *httpx__response_new(void);
/* Frees the views (text_internal.h) httpx_text and httpx_json made. */
HTTPX__PRIVATE void httpx__views_free(httpx__response *r);
/* The sink a response listens to its exchange with. */
HTTPX__PRIVATE const httpx__exchange_sink *httpx__response_sink(void);
HTTPX__PRIVATE void httpx__response_fail(httpx__response *r, httpx__err *e);
HTTPX__PRIVATE void httpx__response_publish(httpx__response *r);
/* history.c: r.history; the hop adds the response of each redirect it
   follows, before the next hop clears r. */
HTTPX__PRIVATE httpx_error httpx__history_add(httpx__response *r, httpx__err *e);
/* mock.c */
HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void);
/* hop_cookies.c: the client's jar in each hop (nothing under HTTPX_NO_COOKIES) */
/* Makes c's jar (or takes opts.cookie_jar) with opts.cookies in it; false
   when out of memory. A misuse becomes c->config_error. */
HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c);
HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c);
/* Before a hop goes: its Cookie header from the jar and the request's
   .cookies (unless the caller gave one). */
HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e);
/* A hop's head is in: its Set-Cookie fields into the jar, once per hop. */
HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e);
/* hop.c: one hop of the policy layer, for both faces */
HTTPX__PRIVATE const httpx__transport *httpx__network_transport(void);
/* Picks r's transport (the client's) and sends its first hop. */
HTTPX__PRIVATE void httpx__hop_send(httpx__response *r);
/* r's exchange ended: follows a redirect (sends the next hop) or publishes.
   True when r is final (published), false while a hop is in flight. */
HTTPX__PRIVATE bool httpx__hop_settle(httpx__response *r);
/* The blocking face's wait: sends r (unless it failed already) and runs the
   loop until it is final, or for a stream until the final head is in. */
HTTPX__PRIVATE void httpx__hop_run(httpx__response *r);
/* client.c */
HTTPX__PRIVATE void httpx__begin(httpx__response *r, httpx_client *c, const char *method, const char *url,
                                 const httpx_opts *opt, bool stream);
HTTPX__PRIVATE size_t httpx__pairs_size(const httpx_pair *p, size_t *count);
HTTPX__PRIVATE void httpx__pairs_copy(httpx_pair *pairs, const httpx_pair *src, char **store);
/* on_debug (httpx_client_opts): a head that is already text goes as it is,
   one call, nothing done when no callback is set. */
#define HTTPX__DEBUG(c, kind, p, n)                                                    \
    do { if ((c)->opts.on_debug) (c)->opts.on_debug((c)->opts.debug_user_data, kind, p, n); } while (0)
/* loop.c: the one loop of a client. One pass: place queued exchanges, poll
   the connections (waiting at most timeout_ms, -1 none), step what is
   ready or due, within budget seconds (0: none). */
HTTPX__PRIVATE void httpx__loop_pass(httpx_client *c, int timeout_ms, double budget);
/* What a pass waits for (httpx_client_fds reports it): fds to poll, and
   *ms, how long (-1: no limit). */
HTTPX__PRIVATE int httpx__loop_wants(httpx_client *c, struct pollfd *fds, int cap, int *ms);
/* A pass over events the caller polled (httpx_client_process). */
HTTPX__PRIVATE void httpx__loop_pass_given(httpx_client *c, const struct pollfd *fds, int n);
/* Runs passes until ex is no longer in a state before `until` (a blocking
   call's wait). */
HTTPX__PRIVATE void httpx__loop_until(httpx__exchange *ex, enum httpx__ex_state until);
/* Runs passes until a stream reader has news: bytes, the end, an error. */
HTTPX__PRIVATE void httpx__loop_until_readable(httpx__exchange *ex);
HTTPX__PRIVATE double httpx__deadline_in(double seconds);   /* 0: none (seconds < 0) */

#endif /* HTTPX__ENGINE_INTERNAL_H */
/* End of engine_internal.h */

#if defined(HTTPX_LINES)
#line 15133 "httpx.h"
#endif
/* ======================================================================
   Begin file request.c   (grep anchor: >>request)
   ====================================================================== */
/* request: the request as a value. The policy layer builds it once per hop
   from the options (method, URL, the merged header list, the body source);
   each protocol then serialises it in its own way (HTTP/1.1 text here,
   HPACK for HTTP/2). Everything a caller gave is checked here, before any
   connection work, so a bad header never costs a connect. */
#if defined(HTTPX_LINES)
#line 5 "tools/src/request.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "multipart_internal.h": earlier in httpx.h */
/* #include "tls_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

#define HTTPX__MAX_BODY_PIECE 16384

static bool httpx__name_is(const char *name, const char *want) {
    size_t n = strlen(want);
    return strlen(name) == n && httpx__mem_ieq(name, want, n);
}

static bool httpx__pairs_have(const httpx_pair *p, const char *name) {
    for (; p && p->name; p++)
        if (httpx__name_is(p->name, name)) return true;
    return false;
}

/* Headers we compute ourselves; a caller's value would only break framing. */
static bool httpx__is_framing_header(const char *name) {
    return httpx__name_is(name, "content-length") || httpx__name_is(name, "transfer-encoding");
}

/* Credentials of one origin: never sent to another after a redirect. */
static bool httpx__is_credential_header(const char *name) {
    return httpx__name_is(name, "authorization") || httpx__name_is(name, "cookie") ||
           httpx__name_is(name, "proxy-authorization") || httpx__name_is(name, "host");
}

static bool httpx__is_idempotent(const char *m) {
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
           !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
}

/* Adds each field of `layer` unless a later layer names it too: request
   headers win over client headers, which win over the defaults. */
static httpx_error httpx__add_layer(httpx__request *q, const httpx_pair *layer, const httpx_pair *const *later,
                                    int nlater, httpx__err *e) {
    int i;
    for (; layer && layer->name; layer++) {
        bool overridden = false;
        httpx_error err = httpx__header_check(layer->name, layer->value, e);
        if (err) return err;
        for (i = 0; i < nlater && !overridden; i++) overridden = httpx__pairs_have(later[i], layer->name);
        if (overridden || httpx__is_framing_header(layer->name)) continue;
        if (q->strip_credentials && httpx__is_credential_header(layer->name)) continue;
        if (httpx__name_is(layer->name, "host")) q->has_host = true;
        if (!httpx__headers_add_raw(&q->headers, layer->name, strlen(layer->name), layer->value, strlen(layer->value)))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    }
    return HTTPX_OK;
}

static httpx_error httpx__add_field(httpx__request *q, const char *name, const char *value, size_t vlen, httpx__err *e) {
    if (!httpx__headers_add_raw(&q->headers, name, strlen(name), value, vlen))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    return HTTPX_OK;
}

/* "Basic base64(user:pass)" into out. */
static bool httpx__basic_value(httpx__buf *out, const char *user, size_t ulen, const char *pass, size_t plen) {
    httpx__buf up;
    bool ok;
    memset(&up, 0, sizeof up);
    ok = httpx__buf_append(&up, user, ulen) && httpx__buf_putc(&up, ':') && httpx__buf_append(&up, pass, plen) &&
         httpx__buf_puts(out, "Basic ") && httpx__base64(out, up.p, up.len);
    httpx__buf_free(&up);
    return ok;
}

/* The Authorization field from the resolved auth, or the URL's userinfo. */
static httpx_error httpx__add_auth(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    const httpx_auth *a = &r->set.auth;
    httpx__buf v, user, pass;
    httpx_error err = HTTPX_OK;
    bool ok = true;
    if (q->strip_credentials || a->kind == HTTPX_AUTH_NONE) return HTTPX_OK;
    if (r->set.auth_from_client && r->client->auth_header.len)
        return httpx__add_field(q, "Authorization", r->client->auth_header.p, r->client->auth_header.len, e);
    memset(&v, 0, sizeof v);
    memset(&user, 0, sizeof user);
    memset(&pass, 0, sizeof pass);
    if (a->kind == HTTPX_AUTH_BASIC) {
        const char *u = a->username ? a->username : "", *p = a->password ? a->password : "";
        ok = httpx__basic_value(&v, u, strlen(u), p, strlen(p));
    } else if (a->kind == HTTPX_AUTH_BEARER) {
        ok = httpx__buf_puts(&v, "Bearer ") && httpx__buf_puts(&v, a->token ? a->token : "");
    } else if (httpx__url_credentials(&q->url, &user, &pass)) {
        ok = httpx__basic_value(&v, user.p ? user.p : "", user.len, pass.p ? pass.p : "", pass.len);
    }
    if (!ok) err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Authorization header");
    else if (v.len && memchr(v.p, '\r', v.len) == NULL && memchr(v.p, '\n', v.len) == NULL)
        err = httpx__add_field(q, "Authorization", v.p, v.len, e);
    else if (v.len)
        err = httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "the bearer token has a CR or LF");
    httpx__buf_free(&v);
    httpx__buf_free(&user);
    httpx__buf_free(&pass);
    return err;
}

/* Picks the body from the options; urlencoded form data is built in r->form,
   everything else is sent from where it already is. */
static httpx_error httpx__body_setup(httpx__response *r, httpx__err *e) {
    const httpx_opts *o = r->opts;
    httpx__request *q = &r->req;
    int kinds = (o->content != NULL) + (o->json != NULL) + (o->upload != NULL) +
                (o->data != NULL && o->files == NULL) + (o->files != NULL);
    if (kinds > 1)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "give at most one body: content, json, data, files (with data) or upload");
    q->body_length = -1;
    if (o->content) {
        q->body = (const char *)o->content;
        q->body_len = o->content_length ? o->content_length : strlen((const char *)o->content);
    } else if (o->json) {
        q->body = o->json;
        q->body_len = strlen(o->json);
        q->content_type = "application/json";
    } else if (o->files) {
        q->multipart = httpx__multipart_new(o->data, o->files, e);
        if (!q->multipart) return e->code ? e->code : HTTPX_ERR_NOMEM;
        q->content_type = httpx__multipart_content_type(q->multipart);
        q->body_length = httpx__multipart_length(q->multipart);
    } else if (o->data) {
        httpx__buf_clear(&r->form);
        if (!httpx__form_encode(&r->form, o->data, false) || !httpx__buf_reserve(&r->form, 0))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory encoding form data");
        q->body = r->form.p;
        q->body_len = r->form.len;
        q->content_type = "application/x-www-form-urlencoded";
    } else if (o->upload) {
        q->upload = o->upload;
        q->upload_user_data = o->upload_user_data;
        q->body_length = o->upload_length > 0 ? o->upload_length : -1;
    }
    if (q->body) q->body_length = (long long)q->body_len;
    q->has_body = q->body || q->multipart || q->upload;
    return HTTPX_OK;
}

/* Builds r->req for r->url_text (the first hop, or the next after a
   redirect: then the method and body were already decided by the hop
   and only the URL, headers and credentials are made again). */
HTTPX__PRIVATE httpx_error httpx__request_build(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    httpx_client *c = r->client;
    const httpx_pair *client_h = c->headers, *req_h = r->opts->headers;
    const httpx_pair *later[2];
    httpx_pair defaults[6];
    httpx_error err;
    int nd = 0;
    bool first = !q->headers.fields;
    err = httpx__url_parse(&q->url, r->url_text.p, r->url_text.len, e);
    if (err) return err;
    q->url_text = r->url_text.p;
    /* a mock answers https URLs without TLS, as HTTPX's MockTransport does */
    if (q->url.is_https && !c->opts.mock && (err = httpx__tls_available(e))) return err;
    q->head = !strcmp(q->method, "HEAD");
    q->idempotent = httpx__is_idempotent(q->method);
    if (first && (err = httpx__body_setup(r, e))) return err;
    q->replayable = !q->multipart && !q->upload;
    /* the header list lives in the request's own memory for the common case */
    httpx__headers_clear(&q->headers);
    q->headers.fields = q->inline_fields;
    q->headers.cap = HTTPX__REQ_INLINE_FIELDS;
    q->headers.fixed = true;
    httpx__buf_init_inline(&q->headers.text, q->inline_text, sizeof q->inline_text);
    q->has_host = false;
    defaults[nd].name = "Accept"; defaults[nd++].value = "*/*";
    defaults[nd].name = "Accept-Encoding"; defaults[nd++].value = "identity";  /* nothing to decode yet */
    defaults[nd].name = "Connection"; defaults[nd++].value = "keep-alive";
    defaults[nd].name = "User-Agent"; defaults[nd++].value = c->opts.user_agent;
    if (q->content_type) { defaults[nd].name = "Content-Type"; defaults[nd++].value = q->content_type; }
    defaults[nd].name = NULL; defaults[nd].value = NULL;
    later[0] = client_h;
    later[1] = req_h;
    if ((err = httpx__add_layer(q, defaults, later, 2, e)) ||
        (err = httpx__add_layer(q, client_h, later + 1, 1, e)) ||
        (err = httpx__add_layer(q, req_h, NULL, 0, e)))
        return err;
    if (!httpx_headers_get(&q->headers, "authorization") &&
        !httpx__pairs_have(client_h, "authorization") && !httpx__pairs_have(req_h, "authorization"))
        err = httpx__add_auth(r, e);
    return err;
}

HTTPX__PRIVATE long httpx__request_body_read(httpx__request *q, size_t *off, char *buf, size_t cap, httpx__err *e) {
    long n;
    if (cap > HTTPX__MAX_BODY_PIECE) cap = HTTPX__MAX_BODY_PIECE;
    if (q->body) {
        size_t left = q->body_len - *off;
        if (left < cap) cap = left;
        memcpy(buf, q->body + *off, cap);
        *off += cap;
        return (long)cap;
    }
    if (q->multipart) {
        n = httpx__multipart_read(q->multipart, buf, cap, e);
        if (n < 0) {
            if (!e->code) httpx__fail(e, HTTPX_ERR_WRITE, "reading a multipart file failed");
            return HTTPX__BAD;
        }
    } else if (q->upload) {
        n = q->upload(q->upload_user_data, buf, cap);
        if (n < 0) {
            httpx__fail(e, HTTPX_ERR_WRITE, "the upload callback returned %ld: request aborted", n);
            return HTTPX__BAD;
        }
        if ((size_t)n > cap) {
            httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the upload callback returned more bytes than asked for");
            return HTTPX__BAD;
        }
    } else {
        return 0;
    }
    *off += (size_t)n;
    if (q->body_length >= 0 && ((long long)*off > q->body_length || (n == 0 && (long long)*off < q->body_length))) {
        httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "the upload produced %zu bytes but its declared length is %lld",
                    *off, q->body_length);
        return HTTPX__BAD;
    }
    return n;
}

HTTPX__PRIVATE void httpx__request_free(httpx__request *q) {
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    httpx__headers_clear(&q->headers);
}
/* End of request.c */

#if defined(HTTPX_LINES)
#line 15382 "httpx.h"
#endif
/* ======================================================================
   Begin file exchange.c   (grep anchor: >>exchange)
   ====================================================================== */
/* exchange: the life of one request and its response in the engine, and
   the one owner of its state. Connections, protocols and the loop move an
   exchange only through httpx__exchange_set_state, which asserts the
   transition against a table, as h11's _state.py does for its connection.
   This file comes before the connection and protocol files, so that they
   call it downwards; it reaches the response above only through the sink
   the response installed (head, wake, end). */
#if defined(HTTPX_LINES)
#line 7 "tools/src/exchange.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

/* ---- the state, in one place ---- */

#define HTTPX__EX_BIT(s) (1u << (s))
/* For each state, the states it may go to. */
static const unsigned httpx__ex_next[] = {
    /* IDLE: submitted, or failed before (building the request) */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* QUEUED: attached to a connection being set up, served by a ready one, or ended */
    HTTPX__EX_BIT(HTTPX__EX_ATTACHED) | HTTPX__EX_BIT(HTTPX__EX_SENDING) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* ATTACHED: served when ready, back to the queue (it cannot take it), or ended */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_SENDING) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* SENDING: the request is out (or the answer came early), requeued once, ended */
    HTTPX__EX_BIT(HTTPX__EX_RECV_HEAD) | HTTPX__EX_BIT(HTTPX__EX_BODY) | HTTPX__EX_BIT(HTTPX__EX_QUEUED) |
        HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* RECV_HEAD: the final head came, requeued once (never answered), ended */
    HTTPX__EX_BIT(HTTPX__EX_BODY) | HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* BODY: ended */
    HTTPX__EX_BIT(HTTPX__EX_DONE),
    /* DONE: the next hop of a redirect is submitted, or begins afresh */
    HTTPX__EX_BIT(HTTPX__EX_QUEUED) | HTTPX__EX_BIT(HTTPX__EX_IDLE)
};

HTTPX__PRIVATE void httpx__exchange_set_state(httpx__exchange *ex, enum httpx__ex_state to) {
    HTTPX_ASSERT((unsigned)ex->state < sizeof httpx__ex_next / sizeof httpx__ex_next[0]);
    HTTPX_ASSERT(httpx__ex_next[ex->state] & HTTPX__EX_BIT(to));
    ex->state = to;
}

/* A response sets up its exchange: state IDLE, the sink it listens with. */
HTTPX__PRIVATE void httpx__exchange_init(httpx__exchange *ex, const httpx__exchange_sink *sink) {
    ex->state = HTTPX__EX_IDLE;
    ex->sink = sink;
}

HTTPX__PRIVATE double httpx__deadline_in(double seconds) { return seconds < 0 ? 0 : httpx__now() + seconds; }

HTTPX__PRIVATE void httpx__exchange_wait(httpx__exchange *ex, double seconds, httpx_error which) {
    ex->deadline = httpx__deadline_in(seconds);
    ex->timeout_error = which;
}

HTTPX__PRIVATE bool httpx__exchange_may_retry(const httpx__exchange *ex, bool need_idempotent) {
    return !ex->retried && ex->req->replayable && (!need_idempotent || ex->req->idempotent);
}

/* ---- exchanges in flight ---- */

static void httpx__live_add(httpx__exchange *ex) {
    httpx_client *c = ex->client;
    if (ex->live) return;
    ex->live = true;
    ex->live_next = NULL;
    ex->live_prev = c->live_tail;
    if (c->live_tail) c->live_tail->live_next = ex;
    else c->live = ex;
    c->live_tail = ex;
}

HTTPX__PRIVATE void httpx__live_remove(httpx__exchange *ex) {
    httpx_client *c = ex->client;
    if (!ex->live) return;
    if (ex->live_prev) ex->live_prev->live_next = ex->live_next;
    else c->live = ex->live_next;
    if (ex->live_next) ex->live_next->live_prev = ex->live_prev;
    else c->live_tail = ex->live_prev;
    ex->live = false;
    ex->live_prev = ex->live_next = NULL;
}

/* ---- a connection's lists of exchanges ---- */

static void httpx__list_remove(httpx__exchange **head, httpx__exchange *ex) {
    for (; *head; head = &(*head)->conn_next)
        if (*head == ex) {
            *head = ex->conn_next;
            ex->conn_next = NULL;
            return;
        }
}

HTTPX__PRIVATE void httpx__conn_detach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_remove(&conn->waiters, ex);
    httpx__list_remove(&conn->active, ex);
    if (ex->conn == conn) ex->conn = NULL;
}

/* ---- the steps ---- */

HTTPX__PRIVATE void httpx__exchange_submit(httpx__exchange *ex) {
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
    ex->deadline = 0;
    ex->timeout_error = HTTPX_OK;   /* not yet waiting for the pool: a pass places it at once */
    ex->readable = false;
    ex->reused = ex->retried = false;
    ex->started = httpx__now();
    if (!ex->total_deadline) ex->total_deadline = httpx__deadline_in(ex->timeout.total);
    httpx__live_add(ex);
}

HTTPX__PRIVATE void httpx__exchange_requeue(httpx__conn *conn, httpx__exchange *ex) {
    httpx__conn_detach(conn, ex);
    ex->retried = true;
    ex->reused = false;
    ex->deadline = 0;
    ex->timeout_error = HTTPX_OK;
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
}

/* Off its connection and the live list, DONE; the sink hears of the end. */
static void httpx__exchange_done(httpx__exchange *ex, httpx__err *e) {
    ex->conn = NULL;
    httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    ex->deadline = 0;
    ex->readable = true;
    httpx__live_remove(ex);
    ex->sink->end(ex, e && e->code ? e : NULL);
}

HTTPX__PRIVATE void httpx__exchange_end(httpx__exchange *ex, httpx__err *e) {
    httpx__conn *conn = ex->conn;
    bool ok = !e || !e->code;
    if (ex->state == HTTPX__EX_DONE) return;
    if (conn) {
        if (conn->proto && ex->state >= HTTPX__EX_SENDING) conn->proto->release(conn, ex, ok);
        else httpx__conn_detach(conn, ex);
    }
    httpx__exchange_done(ex, e);
}

HTTPX__PRIVATE void httpx__exchange_abandon(httpx__exchange *ex) {
    httpx__conn *conn = ex->conn;
    if (ex->state == HTTPX__EX_DONE) return;
    if (conn && conn->proto && ex->state >= HTTPX__EX_SENDING) conn->proto->cancel(conn, ex);
    else if (conn) httpx__conn_detach(conn, ex);   /* its connection goes on for the others */
    ex->conn = NULL;
    httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    ex->deadline = 0;
    httpx__live_remove(ex);
}

HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e) {
    httpx__exchange_abandon(ex);     /* off its connection (HTTP/1.1 closes it) or the pool queue */
    ex->sink->end(ex, e);
}

HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n;
    if (ex->state != HTTPX__EX_BODY) return ex->state == HTTPX__EX_DONE ? 0 : HTTPX__AGAIN;
    ex->readable = false;
    n = ex->conn->proto->read_body(ex->conn, ex, buf, cap, e);
    if (n > 0) ex->deadline = 0;
    else if (n == 0) httpx__exchange_end(ex, NULL);
    else if (n == HTTPX__BAD) httpx__exchange_end(ex, e);
    return n;
}

/* ---- up to the response, through its sink ---- */

HTTPX__PRIVATE httpx_error httpx__exchange_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e) {
    httpx__head v = *h;
    httpx__exchange_set_state(ex, HTTPX__EX_BODY);
    ex->deadline = 0;
    /* the facts of the connection that carried it go up as values: the
       response never reads a connection (a mock exchange has none) */
    v.connection_reused = ex->reused;
    v.alpn = v.tls_version = v.tls_cipher = NULL;
    if (ex->conn && ex->conn->route.tls) {      /* asked of the connection's stack of streams */
        v.alpn = httpx__stream_query(ex->conn->io, HTTPX__FACT_ALPN);
        v.tls_version = httpx__stream_query(ex->conn->io, HTTPX__FACT_TLS_VERSION);
        v.tls_cipher = httpx__stream_query(ex->conn->io, HTTPX__FACT_TLS_CIPHER);
    }
    return ex->sink->head(ex, &v, e);
}

HTTPX__PRIVATE void httpx__exchange_wake(httpx__exchange *ex) { ex->sink->wake(ex); }
/* End of exchange.c */

#if defined(HTTPX_LINES)
#line 15579 "httpx.h"
#endif
/* ======================================================================
   Begin file conn.c   (grep anchor: >>conn)
   ====================================================================== */
/* conn: connections and the pool. A connection owns its setup (resolving ->
   connecting its stack of streams -> ready), its streams, its buffers and
   its protocol. Its route says where it goes (host and port, or a Unix
   socket; TLS or not) and is the pool's key; the streams of the stack do
   the connecting and the handshake themselves (net.c, tls.c), so nothing
   here names a transport;
   exchanges wait on it while it is set up, and a setup failure is reported
   to every one of them. Which protocol it speaks is decided when it becomes
   ready, from the client's table of protocols: this file names none, and
   knows a protocol only through its slot (httpx__proto). Nothing here waits: each step does what is ready and leaves `want`
   and `deadline` for the loop. A closed connection is marked CLOSED and
   freed by the loop, so nobody holds a dangling pointer in the meantime. */
#if defined(HTTPX_LINES)
#line 12 "tools/src/conn.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "dns_internal.h": earlier in httpx.h */
/* #include "tls_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

/* ---- small parts ---- */

HTTPX__PRIVATE long httpx__conn_send(httpx__conn *conn, const void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_send(conn->io, p, n, e);
    if (r == HTTPX__AGAIN) conn->want = conn->io->want;
    return r;
}

HTTPX__PRIVATE long httpx__conn_recv(httpx__conn *conn, void *p, size_t n, httpx__err *e) {
    long r = httpx__stream_recv(conn->io, p, n, e);
    if (r == HTTPX__AGAIN) conn->want = conn->io->want;
    return r;
}

HTTPX__PRIVATE long httpx__conn_fill(httpx__conn *conn, httpx__err *e) {
    long n;
    if (conn->in_off == conn->in.len) {
        conn->in.len = conn->in_off = 0;
    } else if (conn->in_off && conn->in.cap - conn->in.len < HTTPX__CONN_RECV_CHUNK + 1) {
        memmove(conn->in.p, conn->in.p + conn->in_off, conn->in.len - conn->in_off);
        conn->in.len -= conn->in_off;
        conn->in_off = 0;
    }
    if (!httpx__buf_reserve(&conn->in, HTTPX__CONN_RECV_CHUNK)) {
        httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the receive buffer");
        return HTTPX__BAD;
    }
    n = httpx__conn_recv(conn, conn->in.p + conn->in.len, conn->in.cap - conn->in.len - 1, e);
    if (n > 0) conn->in.len += (size_t)n;
    return n;
}

HTTPX__PRIVATE httpx__sock httpx__conn_fd(const httpx__conn *conn) {
    if (conn->state == HTTPX__CONN_RESOLVING) return conn->dns ? httpx__dns_fd(conn->dns) : HTTPX__NO_SOCK;
    if (conn->state == HTTPX__CONN_CLOSED || !conn->io) return HTTPX__NO_SOCK;
    return conn->io->fd;
}

/* Whether a connection may come to serve many exchanges at once: a
   multiplexing protocol is offered on it (or it speaks one). Exchanges then
   wait on it rather than opening connections of their own. */
static bool httpx__conn_may_multiplex(const httpx__conn *conn) {
    const httpx__proto *const *p;
    if (conn->proto) return conn->proto->multiplex;
    for (p = conn->client->protocols; *p; p++)
        if ((*p)->multiplex && (*p)->offered(conn)) return true;
    return false;
}

/* Which protocol a ready connection speaks, decided now: the first of the
   table that is offered and chosen (ALPN, prior knowledge); the last one is
   the fallback. */
static const httpx__proto *httpx__protocol_for(const httpx__conn *conn) {
    const httpx__proto *const *p;
    for (p = conn->client->protocols; p[1]; p++)
        if ((*p)->offered(conn) && (*p)->chosen(conn)) return *p;
    return *p;
}

/* ---- lists ---- */

static void httpx__list_append(httpx__exchange **head, httpx__exchange *ex) {
    while (*head) head = &(*head)->conn_next;
    ex->conn_next = NULL;
    *head = ex;
}

/* ---- closing ---- */

/* Releases the connection's resources now (its fd closes at once, so a
   server sees the close); the memory goes when the loop sweeps. */
HTTPX__PRIVATE void httpx__conn_close(httpx__conn *conn) {
    if (conn->state == HTTPX__CONN_CLOSED) return;
    HTTPX_ASSERT(!conn->active && !conn->waiters);   /* exchanges are ended or moved first */
    conn->state = HTTPX__CONN_CLOSED;
    conn->client->num_conns--;
    if (conn->dns) httpx__dns_free(conn->dns);
    conn->dns = NULL;
    if (conn->proto && conn->proto->free) conn->proto->free(conn);
    httpx__stream_free(conn->io);
    conn->io = NULL;
    conn->want = 0;
    httpx__buf_free(&conn->in);
    httpx__buf_free(&conn->out);
}

HTTPX__PRIVATE void httpx__conn_free(httpx__conn *conn) {
    if (conn->state != HTTPX__CONN_CLOSED) {
        httpx__exchange *ex;
        while ((ex = conn->waiters) != NULL || (ex = conn->active) != NULL) httpx__conn_detach(conn, ex);
        httpx__conn_close(conn);
    }
    httpx__free(conn);
}

/* The setup failed: every exchange waiting on it gets the error. */
static void httpx__conn_fail(httpx__conn *conn, httpx__err *e) {
    httpx__exchange *ex;
    while ((ex = conn->waiters) != NULL) {
        httpx__err copy = *e;
        httpx__conn_detach(conn, ex);
        httpx__exchange_end(ex, &copy);
    }
    httpx__conn_close(conn);
}

/* ---- the pool ---- */

static int httpx__pool_idle_count(httpx_client *c) {
    int n = 0;
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        n += conn->state == HTTPX__CONN_READY && !conn->active;
    return n;
}

HTTPX__PRIVATE void httpx__conn_idle(httpx__conn *conn) {
    httpx_client *c = conn->client;
    if (httpx__pool_idle_count(c) > c->opts.limits.max_keepalive_connections) {
        httpx__conn_close(conn);
        return;
    }
    conn->idle_since = httpx__now();
    conn->in.len = conn->in_off = 0;    /* keep the buffers: a warm request allocates nothing here */
    conn->out.len = conn->out_off = 0;
    conn->want = POLLIN;                /* in the poll set: a close or stray bytes end it */
}

/* Whether an idle connection can serve: fresh enough, and nothing arrived
   on it since it went idle. The loop catches most of that when it polls
   idle connections; this check catches bytes that came after the last
   poll (one zero-timeout poll: the rule is never to reuse a connection that
   became readable while idle). */
static bool httpx__conn_usable(httpx__conn *conn, double now) {
    httpx__pollfd p;
    if (now - conn->idle_since > conn->client->opts.limits.keepalive_expiry) return false;
    p.fd = conn->io->fd;
    p.events = POLLIN;
    p.revents = 0;
    if (conn->proto->multiplex) {
        /* Frames on an idle multiplexed connection (HTTP/2: PING, GOAWAY) are normal:
           they are read now, and a close the server made while it idled
           (no GOAWAY) ends it here rather than failing the next request,
           which the server would never have seen (a POST cannot be retried). */
        if (httpx__stream_pending(conn->io) || (p.fd != HTTPX__NO_SOCK && httpx__poll(&p, 1, 0) > 0))
            conn->proto->step(conn, POLLIN);
        return conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn);
    }
    if (conn->in.len > conn->in_off || httpx__stream_pending(conn->io)) return false;
    return p.fd == HTTPX__NO_SOCK || httpx__poll(&p, 1, 0) == 0;
}

/* The route of an exchange to u. */
static httpx_error httpx__route_of(httpx__route *r, const httpx_client *c, const httpx__url *u, httpx__err *e) {
    if (u->host.n >= sizeof r->host) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "host name too long");
    memcpy(r->host, u->host.p, u->host.n);
    r->host[u->host.n] = 0;
    r->port = u->port;
    r->tls = u->is_https;
    r->uds = c->opts.uds;
    r->proxy = c->opts.uds ? NULL : httpx__proxies_for(&c->proxies, u);   /* a Unix socket goes direct */
    return HTTPX_OK;
}

/* Whether a connection of route r serves u through proxy (u's, from
   httpx__proxies_for): the pool's key, compared without building a string,
   as this runs for every request. uds and proxy are the client's one copy,
   so their pointers are their identity. */
static bool httpx__route_is_for(const httpx__route *r, const httpx_client *c, const httpx__url *u,
                                const httpx__proxy *proxy) {
    return r->tls == u->is_https && r->port == u->port && r->uds == c->opts.uds && r->proxy == proxy &&
           u->host.n < sizeof r->host &&
           r->host[u->host.n] == 0 && httpx__mem_ieq(r->host, u->host.p, u->host.n);
}

/* Stacks the streams of conn's route, bottom first, over the addresses a
   (unused for a Unix socket); the stack connects in CONNECTING. */
static httpx_error httpx__conn_stack(httpx__conn *conn, const httpx__addrs *a, httpx__err *e) {
    httpx_client *c = conn->client;
    const httpx__route *r = &conn->route;
    const httpx__proxy *px = r->proxy;
    httpx__stream *s = r->uds ? httpx__unix_stream_new(r->uds, e)
                     : httpx__tcp_stream_new(a, conn->connect_timeout < 0 ? 0 : conn->setup_deadline,
                                             conn->connect_timeout, e);
    if (s && (r->tls || (px && px->kind == HTTPX__PROXY_HTTPS)) && !c->tls &&
        !(c->tls = httpx__tls_config_new(&c->opts.tls, e))) {
        httpx__stream_free(s);
        return e->code;
    }
    /* through a proxy (proxy.c): TLS to an https:// proxy, then a tunnel to
       the origin (SOCKS5, or CONNECT for https); plain http to an HTTP proxy
       needs no tunnel: h1_proto.c writes it in absolute form */
    if (s && px && px->kind == HTTPX__PROXY_HTTPS) s = httpx__tls_stream_new(c->tls, px->host, px->port, false, s, e);
    if (s && px && (px->kind == HTTPX__PROXY_SOCKS5 || px->kind == HTTPX__PROXY_SOCKS5H))
        s = httpx__socks_stream_new(px, r->host, conn->origin_ip, conn->origin_ip_len, r->port, s, e);
    else if (s && px && r->tls)
        s = httpx__connect_stream_new(px, r->host, r->port, s, e);
    /* a TLS stream over s (it takes s, on failure too) */
    if (s && r->tls) s = httpx__tls_stream_new(c->tls, r->host, r->port, httpx__conn_may_multiplex(conn), s, e);
    if (!s) return e->code ? e->code : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection");
    conn->io = s;
    conn->state = HTTPX__CONN_CONNECTING;
    conn->deadline = conn->connect_timeout < 0 ? 0 : conn->setup_deadline;
    return HTTPX_OK;
}

/* The name a connection resolves next: the proxy's, but first the
   origin's for socks5:// (the proxy gets an address; socks5h:// gives it
   the name). */
static const char *httpx__conn_dns_name(const httpx__conn *conn, int *port) {
    const httpx__proxy *px = conn->route.proxy;
    if (!px || (px->kind == HTTPX__PROXY_SOCKS5 && !conn->origin_ip_len)) {
        *port = conn->route.port;
        return conn->route.host;
    }
    *port = px->port;
    return px->host;
}

/* A connection of route r, listed in the client, with nothing started. */
static httpx__conn *httpx__conn_new(httpx_client *c, const httpx__route *r, double connect_timeout, httpx__err *e) {
    httpx__conn *conn = (httpx__conn *)httpx__malloc(sizeof *conn);
    if (!conn) { httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a connection"); return NULL; }
    memset(conn, 0, sizeof *conn);
    conn->client = c;
    conn->poll_index = -1;
    conn->state = HTTPX__CONN_RESOLVING;
    conn->route = *r;
    conn->connect_timeout = connect_timeout;
    conn->setup_deadline = httpx__now() + (connect_timeout < 0 ? 0 : connect_timeout);
    conn->deadline = httpx__deadline_in(connect_timeout);
    conn->next = c->conns;
    c->conns = conn;
    c->num_conns++;
    return conn;
}

/* A new connection for ex's origin, with ex waiting on it: it resolves the
   host, or goes straight to connecting a Unix socket. */
static httpx__conn *httpx__conn_open(httpx_client *c, httpx__exchange *ex, httpx__err *e) {
    httpx__route r;
    httpx__conn *conn;
    const char *name;
    int port;
    if (httpx__route_of(&r, c, &ex->req->url, e) || !(conn = httpx__conn_new(c, &r, ex->timeout.connect, e)))
        return NULL;
    if (r.proxy && r.proxy->kind == HTTPX__PROXY_SOCKS5)    /* an IP literal needs no lookup */
        conn->origin_ip_len = httpx__ip_parse(r.host, conn->origin_ip);
    name = httpx__conn_dns_name(conn, &port);
    if (r.uds ? httpx__conn_stack(conn, NULL, e) != HTTPX_OK
              : !(conn->dns = httpx__dns_start(&c->dns, name, port, e))) {
        httpx__conn_close(conn);
        return NULL;
    }
    return conn;
}

static void httpx__conn_attach(httpx__conn *conn, httpx__exchange *ex) {
    httpx__list_append(&conn->waiters, ex);
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_ATTACHED);
    ex->deadline = 0;   /* the connection's setup deadline rules now */
}

/* Closes an idle connection (of any origin) to make room for a new one. */
static bool httpx__pool_make_room(httpx_client *c) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state == HTTPX__CONN_READY && !conn->active) { httpx__conn_close(conn); return true; }
    return false;
}

/* Whether a busy connection of u's origin will take another exchange
   without a new connection (its streams finish: a multiplexing protocol). Asked only when no
   connection could take it: the common path does not pay for it. */
static bool httpx__pool_worth_waiting(httpx_client *c, const httpx__url *u, const httpx__proxy *proxy) {
    httpx__conn *conn;
    for (conn = c->conns; conn; conn = conn->next)
        if (conn->state == HTTPX__CONN_READY && conn->proto->worth_waiting &&
            httpx__route_is_for(&conn->route, c, u, proxy) &&
            conn->proto->worth_waiting(conn))
            return true;
    return false;
}

HTTPX__PRIVATE bool httpx__pool_place(httpx_client *c, httpx__exchange *ex) {
    httpx__conn *conn, *setting_up = NULL;
    double now = httpx__now();
    const httpx__proxy *proxy = c->opts.uds ? NULL : httpx__proxies_for(&c->proxies, &ex->req->url);
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (conn = c->conns; conn; conn = conn->next) {
        if (conn->state == HTTPX__CONN_CLOSED || !httpx__route_is_for(&conn->route, c, &ex->req->url, proxy)) continue;
        if (conn->state != HTTPX__CONN_READY) {
            if (!setting_up) setting_up = conn;
            continue;
        }
        if (!conn->proto->can_take(conn)) continue;
        if (!conn->active && !httpx__conn_usable(conn, now)) { httpx__conn_close(conn); continue; }
        ex->reused = conn->served;
        conn->served = true;
        conn->proto->submit(conn, ex);
        return true;
    }
    /* A connection being set up that may multiplex will serve this one too;
       one that multiplexes and has no stream free is waited for (one
       connection per origin, as browsers and HTTPX do). */
    if (setting_up && httpx__conn_may_multiplex(setting_up)) { httpx__conn_attach(setting_up, ex); return true; }
    if (httpx__pool_worth_waiting(c, &ex->req->url, proxy)) return false;
    if (c->num_conns >= c->opts.limits.max_connections) httpx__pool_make_room(c);
    if (c->num_conns < c->opts.limits.max_connections) {
        conn = httpx__conn_open(c, ex, &e);
        if (!conn) { httpx__exchange_end(ex, &e); return true; }
        httpx__conn_attach(conn, ex);
        httpx__conn_step(conn, 0);    /* a name known at once connects now */
        return true;
    }
    /* No room for another connection: wait on one of the origin that is being
       set up (its failure is then this exchange's too), or for the pool. */
    if (setting_up) { httpx__conn_attach(setting_up, ex); return true; }
    return false;
}

/* ---- setup ---- */

/* The connection is ready: the protocol takes the first waiter; the others
   go back to the pool queue (a protocol that serves one at a time). */
static void httpx__conn_ready(httpx__conn *conn) {
    httpx__exchange *ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    conn->state = HTTPX__CONN_READY;
    conn->deadline = 0;
    conn->proto = httpx__protocol_for(conn);
    conn->want = 0;
    if (conn->proto->start && conn->proto->start(conn, &e)) {
        conn->state = HTTPX__CONN_CONNECTING;   /* not ready after all: a setup failure */
        httpx__conn_fail(conn, &e);
        return;
    }
    while ((ex = conn->waiters) != NULL) {
        httpx__conn_detach(conn, ex);
        if (conn->state == HTTPX__CONN_READY && conn->proto->can_take(conn)) {
            conn->served = true;
            conn->proto->submit(conn, ex);
        } else {
            httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
            ex->deadline = 0;
        }
    }
    if (conn->state == HTTPX__CONN_READY && !conn->active) httpx__conn_idle(conn);  /* its exchanges left */
}

static void httpx__step_resolving(httpx__conn *conn, httpx__err *e) {
    double now = httpx__now(), dl;
    httpx__addrs addrs;
    int rc = httpx__dns_step(conn->dns, &addrs, e);
    if (rc < 0) { httpx__conn_fail(conn, e); return; }
    if (rc == 0) {
        if (conn->connect_timeout >= 0 && now >= conn->setup_deadline) {
            int port;
            httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: still resolving '%s'",
                        conn->connect_timeout, httpx__conn_dns_name(conn, &port));
            httpx__conn_fail(conn, e);
            return;
        }
        dl = httpx__dns_deadline(conn->dns);
        if (conn->connect_timeout >= 0 && (!dl || conn->setup_deadline < dl)) dl = conn->setup_deadline;
        conn->want = httpx__dns_fd(conn->dns) != HTTPX__NO_SOCK ? httpx__dns_events(conn->dns) : 0;
        conn->deadline = dl;
        return;
    }
    httpx__dns_free(conn->dns);
    conn->dns = NULL;
    if (conn->route.proxy && conn->route.proxy->kind == HTTPX__PROXY_SOCKS5 && !conn->origin_ip_len) {
        /* that was the origin's name, for the SOCKS5 request: now the proxy's */
        const char *name;
        int port, i;
        /* one address goes in the request: an IPv4 one when there is one, as
           SOCKS5 proxies without IPv6 are common and nothing can fall back */
        for (i = 0; i < addrs.count; i++) {
            unsigned char ip[16];
            int n = httpx__sockaddr_ip((const struct sockaddr *)&addrs.addr[i], ip);
            if (n && (!conn->origin_ip_len || (conn->origin_ip_len == 16 && n == 4))) {
                memcpy(conn->origin_ip, ip, (size_t)n);
                conn->origin_ip_len = n;
            }
        }
        name = httpx__conn_dns_name(conn, &port);
        if (!conn->origin_ip_len || !(conn->dns = httpx__dns_start(&conn->client->dns, name, port, e))) {
            if (!e->code) httpx__fail(e, HTTPX_ERR_CONNECT, "no IP address for '%s' to give the SOCKS5 proxy", conn->route.host);
            httpx__conn_fail(conn, e);
            return;
        }
        httpx__step_resolving(conn, e);     /* a name known at once goes on now */
        return;
    }
    if (httpx__conn_stack(conn, &addrs, e)) httpx__conn_fail(conn, e);
}

/* The stack sets itself up: the bottom stream connects, then the ones
   above it (TLS) run their handshakes. All of it shares the connect
   timeout, as in HTTPX: "connected" means ready to send a request. */
static void httpx__step_connecting(httpx__conn *conn, httpx__err *e) {
    int rc = httpx__stream_connect(conn->io, e);
    double dl;
    if (rc == 1) { httpx__conn_ready(conn); return; }
    if (rc == HTTPX__BAD) { httpx__conn_fail(conn, e); return; }
    if (conn->connect_timeout >= 0 && httpx__now() >= conn->setup_deadline) {
        const char *what = httpx__stream_query(conn->io, HTTPX__FACT_SETUP);
        httpx__fail(e, HTTPX_ERR_CONNECT_TIMEOUT, "connect timeout after %.3g s: %s",
                    conn->connect_timeout, what ? what : "not connected");
        httpx__conn_fail(conn, e);
        return;
    }
    conn->want = conn->io->want;
    dl = conn->connect_timeout < 0 ? 0 : conn->setup_deadline;
    if (conn->io->deadline && (!dl || conn->io->deadline < dl)) dl = conn->io->deadline;
    conn->deadline = dl;
}

#ifdef HTTPX__TEST_HOOKS   /* used by the tests until transports use it */
HTTPX__PRIVATE httpx_error httpx__conn_adopt(httpx_client *c, const char *url, httpx__stream *s, bool tls, httpx__err *e) {
    httpx__url u;
    httpx__route r;
    httpx__conn *conn;
    if (httpx__url_parse(&u, url, strlen(url), e) || httpx__route_of(&r, c, &u, e) ||
        !(conn = httpx__conn_new(c, &r, c->opts.timeout.connect, e))) {
        httpx__stream_free(s);
        return e->code;
    }
    conn->route.tls = tls;
    conn->io = s;
    if (tls && !(c->tls || (c->tls = httpx__tls_config_new(&c->opts.tls, e)))) {
        httpx__conn_close(conn);
        return e->code;
    }
    if (tls && !(conn->io = httpx__tls_stream_new(c->tls, r.host, r.port, httpx__conn_may_multiplex(conn), s, e))) {
        httpx__conn_close(conn);
        return e->code;
    }
    conn->state = HTTPX__CONN_CONNECTING;
    httpx__conn_step(conn, 0);
    return HTTPX_OK;
}
#endif

/* Steps a connection on readiness (revents) or a passed deadline (0). Setup
   states loop while they make progress: a name known at once connects at
   once. */
HTTPX__PRIVATE void httpx__conn_step(httpx__conn *conn, short revents) {
    httpx__err e;
    enum httpx__conn_state before;
    memset(&e, 0, sizeof e);
    do {
        before = conn->state;
        switch (conn->state) {
        case HTTPX__CONN_RESOLVING: httpx__step_resolving(conn, &e); break;
        case HTTPX__CONN_CONNECTING: httpx__step_connecting(conn, &e); break;
        case HTTPX__CONN_READY: conn->proto->step(conn, revents); return;
        case HTTPX__CONN_CLOSED: return;
        }
        revents = 0;
    } while (conn->state != before && conn->state != HTTPX__CONN_READY);
}
/* End of conn.c */

#if defined(HTTPX_LINES)
#line 16074 "httpx.h"
#endif
/* ======================================================================
   Begin file h1_proto.c   (grep anchor: >>h1_proto)
   ====================================================================== */
/* h1_proto: HTTP/1.1 in a connection's protocol slot, as glue of the same
   shape as h2_proto.c: the response is read by the sans-IO session of
   h1_session.c (bytes in, events out: head, data, end), and this file moves
   bytes between the connection's stream and it, serialises the request
   value as text (small bodies in the same packet), and turns the events
   into what the layer above expects: the head through the one door, body
   bytes when it pulls them. One exchange at a time. An idle connection that
   becomes readable (the server closed it, or sent bytes nobody asked for)
   is closed: it is never handed to the next request. */
#if defined(HTTPX_LINES)
#line 9 "tools/src/h1_proto.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

#define HTTPX__H1_BODY_PIECE 16384     /* a piece of a streamed request body */
#define HTTPX__MAX_HEAD_FIELDS 256     /* field views on the stack; limits.max_headers above it: the heap */
#define HTTPX__INLINE_BODY 16384       /* bodies up to this ride with the head */

/* ---- bytes in ---- */

static void httpx__h1_wait(httpx__conn *conn, httpx__exchange *ex, double seconds, httpx_error which) {
    httpx__exchange_wait(ex, seconds, which);
    conn->want = conn->io->want ? conn->io->want : POLLIN;
}

/* ---- the request ---- */

/* To an HTTP proxy that forwards plain http: the request line carries the
   absolute URL ("GET http://host/path HTTP/1.1", RFC 9112 3.2.2) and the
   proxy's credentials follow it; both are written into the head as made. */
static bool httpx__h1_forward_form(httpx__buf *out, const httpx__url *u, size_t method_len, const httpx__proxy *px) {
    httpx__buf abs;
    const char *crlf = strstr(out->p, "\r\n");
    size_t line_end = crlf ? (size_t)(crlf - out->p) + 2 : out->len;
    bool ok;
    memset(&abs, 0, sizeof abs);
    ok = httpx__buf_append(&abs, out->p, method_len + 1) && httpx__buf_puts(&abs, "http://") &&
         httpx__url_write_authority(&abs, u) &&
         httpx__buf_append(&abs, out->p + method_len + 1, line_end - method_len - 1) &&
         (!px->authorization || httpx__buf_printf(&abs, "Proxy-Authorization: %s\r\n", px->authorization)) &&
         httpx__buf_append(&abs, out->p + line_end, out->len - line_end);
    if (ok) {
        httpx__buf_clear(out);
        ok = httpx__buf_append(out, abs.p, abs.len);
    }
    httpx__buf_free(&abs);
    return ok;
}

static bool httpx__h1_write_head(httpx__conn *conn, httpx__exchange *ex) {
    httpx__request *q = ex->req;
    httpx__buf *out = &conn->out;
    httpx__buf_clear(out);
    conn->out_off = 0;
    httpx__h1_write_request_head(out, q->method, &q->url, &q->headers, q->has_host, q->has_body, q->body_length);
    if (!out->failed && httpx__proxy_forwards(conn->route.proxy, conn->route.tls) &&
        !httpx__h1_forward_form(out, &q->url, strlen(q->method), conn->route.proxy))
        return false;
    HTTPX__DEBUG(ex->client, HTTPX_DEBUG_HEADER_OUT, out->p, out->len);
    ex->proto.h1.body_off = 0;
    ex->proto.h1.body_sent = !q->has_body;
    if (q->body && q->body_len <= HTTPX__INLINE_BODY) {   /* one packet for head and body */
        httpx__buf_append(out, q->body, q->body_len);
        ex->proto.h1.body_off = q->body_len;
        ex->proto.h1.body_sent = true;
    }
    return !out->failed;
}

/* Queues the next piece of a streamed body in conn->out (chunk-framed when
   the length is unknown), or marks the body sent. */
static httpx_error httpx__h1_body_piece(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__request *q = ex->req;
    bool chunked = q->body_length < 0;
    size_t room = chunked ? HTTPX__H1_CHUNK_ROOM : 0;   /* for the chunk's size line */
    long n;
    if (!httpx__buf_reserve(&conn->out, HTTPX__H1_BODY_PIECE + room + 8))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
    httpx__buf_clear(&conn->out);
    conn->out_off = 0;
    n = httpx__request_body_read(q, &ex->proto.h1.body_off, conn->out.p + room, HTTPX__H1_BODY_PIECE, e);
    if (n < 0) return e->code;
    if (n == 0) ex->proto.h1.body_sent = true;
    if (!chunked) {
        conn->out.len = (size_t)n;
        return HTTPX_OK;
    }
    conn->out_off = httpx__h1_chunk_frame(conn->out.p, (size_t)n);   /* n = 0: the last chunk */
    conn->out.len = room + (size_t)n + 2;
    conn->out.p[conn->out.len] = 0;
    return HTTPX_OK;
}

/* A reused connection that turns out to be dead before the server said a
   word is the pool's fault, not the server's: the exchange goes back to the
   pool queue once, for a new connection. Only for requests that may be sent
   twice: idempotent, with a body that can be produced again. */
static bool httpx__h1_retry(httpx__conn *conn, httpx__exchange *ex) {
    if (!ex->reused || !httpx__exchange_may_retry(ex, true)) return false;
    if (conn->in.len > conn->in_off) return false;
    httpx__exchange_requeue(conn, ex);
    httpx__conn_close(conn);
    return true;
}

/* A server may answer before the request is all sent (a 413 for a body too
   large) and close; the send then fails, but the answer is what the user
   needs to see, as curl shows it too. True when bytes of one are waiting: the
   exchange goes on to read them, and the connection will not be reused. */
static bool httpx__h1_early_response(httpx__conn *conn, httpx__exchange *ex) {
    httpx__err ignored;
    memset(&ignored, 0, sizeof ignored);
    if (conn->route.tls || httpx__conn_fill(conn, &ignored) <= 0) return false;
    conn->out.len = conn->out_off = 0;
    ex->proto.h1.body_sent = true;
    ex->proto.h1.early = true;
    return true;
}

/* Sends what is queued, then refills from the body. True when the request
   is all out; false when it waits (want/deadline set) or ended. */
static bool httpx__h1_send(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__request *q = ex->req;
    for (;;) {
        const char *p;
        size_t n;
        long sent;
        if (conn->out_off < conn->out.len) {
            p = conn->out.p + conn->out_off;
            n = conn->out.len - conn->out_off;
        } else if (q->body && ex->proto.h1.body_off < q->body_len) {
            p = q->body + ex->proto.h1.body_off;      /* large in-memory bodies go out without a copy */
            n = q->body_len - ex->proto.h1.body_off;
        } else {
            conn->out.len = conn->out_off = 0;
            if (q->body) ex->proto.h1.body_sent = true;
            if (ex->proto.h1.body_sent) return true;
            if (httpx__h1_body_piece(conn, ex, e)) { httpx__exchange_end(ex, e); return false; }
            continue;
        }
        sent = httpx__conn_send(conn, p, n, e);
        if (sent == HTTPX__BAD) {
            if (httpx__h1_retry(conn, ex)) return false;
            if (httpx__h1_early_response(conn, ex)) return true;
            httpx__exchange_end(ex, e);
            return false;
        }
        if (sent == HTTPX__AGAIN) {
            httpx__h1_wait(conn, ex, ex->timeout.write, HTTPX_ERR_WRITE_TIMEOUT);
            return false;
        }
        if (conn->out_off < conn->out.len) conn->out_off += (size_t)sent;
        else ex->proto.h1.body_off += (size_t)sent;
    }
}

/* ---- the response: the session's events ---- */

static httpx_error httpx__h1_deliver(httpx__conn *conn, httpx__exchange *ex, const httpx__h1_event *ev, httpx__err *e) {
    httpx__head up;
    if (ex->proto.h1.early) ex->proto.h1.resp.reusable = false;
    conn->want = 0;      /* the layer above asks for body bytes when it wants them */
    up.status = ev->head.status;
    up.version = ev->head.minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
    up.reason = ev->head.reason;
    up.reason_len = ev->head.reason_len;
    up.fields = ev->fields;
    up.nfields = ev->head.num_headers;
    up.expected_length = ev->expected_length;
    if (up.status == 407 && httpx__proxy_forwards(conn->route.proxy, conn->route.tls)) {
        /* the proxy, not the origin, refused: as a refused CONNECT is */
        const httpx__proxy *px = conn->route.proxy;
        return httpx__fail(e, HTTPX_ERR_PROXY, "the proxy %s:%d answered HTTP/1.%d 407 %.*s%s", px->host, px->port,
                           ev->head.minor_version, (int)(up.reason_len > 100 ? 100 : up.reason_len), up.reason,
                           px->authorization ? " (it refused the proxy URL's credentials)" : "");
    }
    return httpx__exchange_head(ex, &up, e);
}

static void httpx__h1_recv_head_into(httpx__conn *conn, httpx__exchange *ex, httpx__h1_header *hdrs, size_t max,
                                     httpx__err *e) {
    for (;;) {
        httpx__h1_event ev;
        size_t used;
        long n;
        int rc = conn->in.len == conn->in_off ? HTTPX__AGAIN
               : httpx__h1_resp_next(&ex->proto.h1.resp, conn->in.p + conn->in_off, conn->in.len - conn->in_off, 0,
                                     hdrs, max, &ev, &used, e);
        if (rc == HTTPX__BAD) { httpx__exchange_end(ex, e); return; }
        if (rc == HTTPX__H1_EV_INTERIM) { conn->in_off += used; continue; }  /* the next head may be in already */
        if (rc == HTTPX__H1_EV_HEAD) {
            /* the views point into conn->in: consume only after the door copied them */
            if (httpx__h1_deliver(conn, ex, &ev, e)) { httpx__exchange_end(ex, e); return; }
            conn->in_off += used;
            httpx__exchange_wake(ex);   /* the body may be in already */
            return;
        }
        n = httpx__conn_fill(conn, e);
        if (n == HTTPX__AGAIN) {
            /* after an interim response the deadline stays: a server that
               sends 1xx heads for ever still meets the read timeout */
            double keep = ex->proto.h1.resp.interim_bytes ? ex->deadline : 0;
            httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
            if (keep) ex->deadline = keep;
            return;
        }
        if (n <= 0) {
            if (httpx__h1_retry(conn, ex)) return;
            if (n == 0)
                httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, conn->in.len ?
                            "server closed the connection in the middle of the response head" :
                            "server closed the connection without sending a response");
            httpx__exchange_end(ex, e);
            return;
        }
    }
}

static void httpx__h1_recv_head(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    httpx__h1_header hdrs[HTTPX__MAX_HEAD_FIELDS], *views = hdrs, *heap = NULL;
    size_t max = (size_t)ex->client->opts.limits.max_headers;
    if (max > HTTPX__MAX_HEAD_FIELDS) {   /* a limit raised above the stack's room: views on the heap */
        heap = (httpx__h1_header *)httpx__malloc(max * sizeof *heap);
        if (!heap) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for %zu header fields", max);
            httpx__exchange_end(ex, e);
            return;
        }
        views = heap;
    }
    httpx__h1_recv_head_into(conn, ex, views, max, e);
    httpx__free(heap);
}

/* Body bytes from the session's events over what is buffered, then from the
   stream (straight into the caller's memory when the framing allows: the
   common case copies nothing). >0 bytes, 0 the body is complete,
   HTTPX__AGAIN, HTTPX__BAD. */
static long httpx__h1_body_pull(httpx__conn *conn, httpx__h1_resp *r, char *dst, size_t cap, httpx__err *e) {
    for (;;) {
        httpx__h1_event ev;
        size_t used;
        uint64_t direct;
        long got;
        int rc = httpx__h1_resp_next(r, conn->in.p + conn->in_off, conn->in.len - conn->in_off, cap, NULL, 0,
                                     &ev, &used, e);
        if (rc == HTTPX__H1_EV_DATA) {
            memcpy(dst, ev.data, ev.len);
            conn->in_off += used;
            return (long)ev.len;
        }
        if (rc == HTTPX__H1_EV_SHRINK) { conn->in.len = conn->in_off + ev.len; continue; }
        if (rc == HTTPX__H1_EV_END) return 0;
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        direct = httpx__h1_resp_direct(r);
        if (direct) {
            got = httpx__conn_recv(conn, dst, (uint64_t)cap < direct ? cap : (size_t)direct, e);
            if (got > 0) {
                httpx__h1_resp_direct_took(r, (size_t)got);
                return got;
            }
        } else {
            got = httpx__conn_fill(conn, e);
        }
        if (got < 0) return got;
        if (got == 0) return httpx__h1_resp_eof(r, e) == HTTPX__H1_EV_END ? 0 : HTTPX__BAD;
    }
}

static long httpx__h1_read_body(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    long n = httpx__h1_body_pull(conn, &ex->proto.h1.resp, buf, cap, e);
    if (n == HTTPX__AGAIN) httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    return n;
}

/* ---- the slot ---- */

static bool httpx__h1_can_take(const httpx__conn *conn) { return conn->active == NULL; }

static void httpx__h1_advance(httpx__conn *conn, httpx__exchange *ex, httpx__err *e) {
    if (ex->state == HTTPX__EX_SENDING) {
        if (!httpx__h1_send(conn, ex, e)) return;
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        if (!conn->route.tls && !ex->proto.h1.early) {
            /* the answer cannot be there yet: wait for it instead of spending
               a recv() on EAGAIN (TLS may still have records to flush, which
               its recv does, so it goes on) */
            httpx__h1_wait(conn, ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
            conn->want = POLLIN;
            return;
        }
    }
    if (ex->state == HTTPX__EX_RECV_HEAD) httpx__h1_recv_head(conn, ex, e);
}

static void httpx__h1_submit(httpx__conn *conn, httpx__exchange *ex) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    memset(&ex->proto.h1, 0, sizeof ex->proto.h1);
    httpx__h1_resp_init(&ex->proto.h1.resp, ex->req->head, !strcmp(ex->req->method, "CONNECT"),
                        ex->client->opts.max_head_size);
    conn->active = ex;
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    conn->in.len = conn->in_off = 0;
    if (!httpx__h1_write_head(conn, ex)) {
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request head");
        httpx__exchange_end(ex, &e);
        return;
    }
    httpx__h1_advance(conn, ex, &e);
}

/* An idle connection polled readable: the server closed it, or sent bytes
   nobody asked for (a late 408, garbage after a 204). Either way it cannot
   serve the next request. */
static void httpx__h1_idle_step(httpx__conn *conn) {
    char b[256];
    httpx__err e;
    long n;
    memset(&e, 0, sizeof e);
    n = httpx__conn_recv(conn, b, sizeof b, &e);
    if (n == HTTPX__AGAIN) { conn->want = POLLIN; return; }
    httpx__conn_close(conn);
}

static void httpx__h1_step(httpx__conn *conn, short revents) {
    httpx__exchange *ex = conn->active;
    httpx__err e;
    if (!ex) {
        if (revents) httpx__h1_idle_step(conn);
        return;
    }
    memset(&e, 0, sizeof e);
    if (ex->state == HTTPX__EX_BODY) {
        conn->want = 0;          /* until the reader asks again */
        ex->readable = true;
        httpx__exchange_wake(ex);
        return;
    }
    httpx__h1_advance(conn, ex, &e);
}

static void httpx__h1_release(httpx__conn *conn, httpx__exchange *ex, bool reusable) {
    reusable = reusable && ex->state == HTTPX__EX_BODY && ex->proto.h1.resp.complete && ex->proto.h1.resp.reusable &&
               conn->in_off == conn->in.len;
    httpx__conn_detach(conn, ex);
    if (reusable) httpx__conn_idle(conn);
    else httpx__conn_close(conn);
}

/* HTTP/1.1 cannot stop one exchange and keep the connection: it closes. */
static void httpx__h1_cancel(httpx__conn *conn, httpx__exchange *ex) {
    httpx__conn_detach(conn, ex);
    httpx__conn_close(conn);
}

/* Any connection may speak it, and it is what one speaks when nothing else
   was chosen: it stands last in the table. */
static bool httpx__h1_any(const httpx__conn *conn) { (void)conn; return true; }

static const httpx__proto httpx__h1_slot = {
    "HTTP/1.1", false, httpx__h1_any, httpx__h1_any, NULL, NULL, NULL, httpx__h1_can_take, httpx__h1_submit, httpx__h1_step, httpx__h1_read_body, httpx__h1_cancel,
    httpx__h1_release
};

HTTPX__PRIVATE const httpx__proto *httpx__h1_protocol(void) { return &httpx__h1_slot; }
/* End of h1_proto.c */

#if defined(HTTPX_LINES)
#line 16451 "httpx.h"
#endif
/* ======================================================================
   Begin file h2_proto.c   (grep anchor: >>h2_proto)
   ====================================================================== */
/* h2_proto: HTTP/2 in a connection's protocol slot. The protocol logic is
   the sans-IO session of h2_session.c; this file moves bytes between the
   connection's stream and the session, turns the request value into a
   header list, and turns session events into what the layer above expects:
   a head through the one door, body bytes when it pulls them, an end or an
   error. Many exchanges share the connection; each has a stream. Body bytes
   wait in the exchange (at most the stream's window, since the window only
   reopens as the reader takes them), so a slow reader of one stream holds
   its window while the other streams go on. */
#if defined(HTTPX_LINES)
#line 9 "tools/src/h2_proto.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* #include "h2_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
#include <limits.h>

#ifdef HTTPX_NO_HTTP2

HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void) { return NULL; }

#else

/* The connection's session: its opaque protocol state. */
#define HTTPX__H2S(conn) ((httpx__h2_session *)(conn)->proto_state)

static void httpx__h2_ex_free(httpx__exchange *ex);

#define HTTPX__H2_OUT_HIGH 65536       /* queue no more request body while this much waits to go out */
#define HTTPX__H2_BODY_PIECE 16384
/* Bytes one step reads at most: a poll(c, 0) frame stays short however fast
   the server sends; the rest is read on the next pass (the connection's
   deadline says "at once", since TLS may hold bytes that poll cannot see). */
#define HTTPX__H2_STEP_READ (256 * 1024)
/* Output that makes the reader stop to send it: answers to the server's
   frames (SETTINGS and PING ACKs, WINDOW_UPDATEs) go out while it reads, so
   a peer that reads them is never taken for a flood. */
#define HTTPX__H2_OUT_FLUSH 16384

/* ---- bytes between the stream and the session ---- */

/* Sends what the session has queued. HTTPX__BAD when the connection failed. */
static int httpx__h2_flush(httpx__conn *conn, httpx__err *e) {
    for (;;) {
        size_t len;
        const char *p = httpx__h2_out(HTTPX__H2S(conn), &len);
        long n;
        if (!len) return 0;
        n = httpx__conn_send(conn, p, len, e);
        if (n == HTTPX__AGAIN) return 0;
        if (n < 0) return HTTPX__BAD;
        httpx__h2_out_done(HTTPX__H2S(conn), (size_t)n);
    }
}

static size_t httpx__h2_out_pending_len(const httpx__conn *conn) {
    size_t len;
    httpx__h2_out(HTTPX__H2S(conn), &len);
    return len;
}

static bool httpx__h2_out_pending(const httpx__conn *conn) { return httpx__h2_out_pending_len(conn) > 0; }

/* What the connection polls for: always the server's frames (PING, GOAWAY,
   answers), and room to send when output waits. */
static void httpx__h2_set_want(httpx__conn *conn) {
    conn->want = (short)(POLLIN | (httpx__h2_out_pending(conn) ? POLLOUT : 0));
}

/* ---- the request ---- */

static bool httpx__h2_hop_by_hop(const char *name, size_t n, const char *value) {
    return (n == 10 && httpx__mem_ieq(name, "connection", 10)) || (n == 10 && httpx__mem_ieq(name, "keep-alive", 10)) ||
           (n == 16 && httpx__mem_ieq(name, "proxy-connection", 16)) ||
           (n == 17 && httpx__mem_ieq(name, "transfer-encoding", 17)) || (n == 7 && httpx__mem_ieq(name, "upgrade", 7)) ||
           (n == 4 && httpx__mem_ieq(name, "host", 4)) ||
           (n == 2 && httpx__mem_ieq(name, "te", 2) && strcmp(value, "trailers") != 0);
}

/* The header list of ex's request: pseudo-headers, then the fields with
   lower-case names (their text in *text). */
static httpx_error httpx__h2_fields(httpx__exchange *ex, httpx__hpack_field *f, size_t cap, size_t *n,
                                    httpx__buf *text, httpx__err *e) {
    httpx__request *q = ex->req;
    size_t i, k = 0, target_at, authority_at, authority_end, length_at = 0, names = 0, *name_at;
    size_t name_at_inline[HTTPX__REQ_INLINE_FIELDS + 1];
    const char *host = q->has_host ? httpx_headers_get(&q->headers, "host") : NULL;
    char length[24];
    if (q->headers.count + 5 > cap) return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "too many request header fields");
    name_at = q->headers.count < HTTPX__REQ_INLINE_FIELDS ? name_at_inline
            : (size_t *)httpx__malloc((q->headers.count + 1) * sizeof *name_at);
    if (!name_at) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    target_at = text->len;
    httpx__url_write_target(text, &q->url);
    authority_at = text->len;
    if (host) httpx__buf_puts(text, host);
    else httpx__url_write_authority(text, &q->url);
    authority_end = text->len;
    for (i = 0; i < q->headers.count; i++) names += q->headers.fields[i].name_len;
    if (httpx__buf_reserve(text, names + 1)) {        /* the lower-case names, in one go */
        for (i = 0; i < q->headers.count; i++) {
            const httpx__field *h = &q->headers.fields[i];
            const char *src = q->headers.text.p + h->name;
            char *dst = text->p + text->len;
            size_t j;
            name_at[i] = text->len;
            for (j = 0; j < h->name_len; j++) {
                char c = src[j];
                dst[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            text->len += h->name_len;
        }
        text->p[text->len] = 0;
    }
    if (q->has_body && q->body_length >= 0) {
        snprintf(length, sizeof length, "%lld", q->body_length);
        length_at = text->len;
        httpx__buf_puts(text, length);
    }
    if (text->failed) {
        if (name_at != name_at_inline) httpx__free(name_at);
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
    }
    /* the text stopped moving: take the pointers now */
    f[k].name = ":method"; f[k].nlen = 7; f[k].value = q->method; f[k].vlen = strlen(q->method); f[k++].index = 0;
    f[k].name = ":scheme"; f[k].nlen = 7; f[k].value = q->url.is_https ? "https" : "http";
    f[k].vlen = q->url.is_https ? 5 : 4; f[k++].index = 0;
    f[k].name = ":authority"; f[k].nlen = 10; f[k].value = text->p + authority_at;
    f[k].vlen = authority_end - authority_at; f[k++].index = 0;
    f[k].name = ":path"; f[k].nlen = 5; f[k].value = text->p + target_at; f[k].vlen = authority_at - target_at;
    f[k++].index = 0;
    for (i = 0; i < q->headers.count; i++) {
        const httpx__field *h = &q->headers.fields[i];
        const char *value = q->headers.text.p + h->value;
        if (httpx__h2_hop_by_hop(q->headers.text.p + h->name, h->name_len, value)) continue;
        f[k].name = text->p + name_at[i];
        f[k].nlen = h->name_len;
        f[k].value = value;
        f[k].vlen = h->value_len;
        f[k++].index = 0;
    }
    if (length_at) {
        f[k].name = "content-length"; f[k].nlen = 14; f[k].value = text->p + length_at;
        f[k].vlen = strlen(length); f[k++].index = 0;
    }
    if (name_at != name_at_inline) httpx__free(name_at);
    *n = k;
    return HTTPX_OK;
}

/* Whether ex still has request body to send. The response head does not
   stop it (full duplex, RFC 9113 8.1: echo and streaming servers answer
   before they read the whole body, as curl and HTTPX allow); the end of the
   response does, and a reset stream has nothing left to send (it waits for
   the wake that reports it). */
static bool httpx__h2_uploading(const httpx__exchange *ex) {
    const httpx__h2_ex *h = &ex->proto.h2;
    return !h->body_sent && !h->ended && !h->err.code && h->id &&
           (ex->state == HTTPX__EX_SENDING || ex->state == HTTPX__EX_BODY);
}

/* Queues request body bytes as the windows allow (and while little output
   waits). Errors end ex. */
static void httpx__h2_send_body(httpx__conn *conn, httpx__exchange *ex) {
    httpx__h2_ex *h = &ex->proto.h2;
    httpx__request *q = ex->req;
    httpx__err e;
    memset(&e, 0, sizeof e);
    while (httpx__h2_uploading(ex)) {
        size_t out_len;
        const char *p;
        size_t len;
        bool end;
        long n;
        httpx__h2_out(HTTPX__H2S(conn), &out_len);
        if (out_len >= HTTPX__H2_OUT_HIGH) return;          /* let the socket catch up first */
        if (q->body) {
            p = q->body + h->body_off;
            len = q->body_len - h->body_off;
            end = true;
        } else {
            if (h->stage_off == h->stage.len) {              /* the next piece of a streamed body */
                long got;
                httpx__buf_clear(&h->stage);
                h->stage_off = 0;
                if (!httpx__buf_reserve(&h->stage, HTTPX__H2_BODY_PIECE)) {
                    httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request body");
                    httpx__exchange_end(ex, &e);
                    return;
                }
                got = httpx__request_body_read(q, &h->body_off, h->stage.p, HTTPX__H2_BODY_PIECE, &e);
                if (got < 0) { httpx__exchange_end(ex, &e); return; }
                h->stage.len = (size_t)got;
                if (got == 0) {
                    n = httpx__h2_send_data(HTTPX__H2S(conn), h->id, "", 0, true, &e);
                    if (n < 0) { httpx__exchange_end(ex, &e); return; }
                    h->body_sent = true;
                    break;
                }
            }
            p = h->stage.p + h->stage_off;
            len = h->stage.len - h->stage_off;
            end = false;
        }
        n = httpx__h2_send_data(HTTPX__H2S(conn), h->id, p, len, end, &e);
        if (n < 0) { httpx__exchange_end(ex, &e); return; }
        /* the write timeout is per operation, as HTTPX's and curl's: it
           runs from the last progress, not from the start of the upload */
        if (n > 0 && ex->state == HTTPX__EX_SENDING) ex->deadline = httpx__deadline_in(ex->timeout.write);
        if (q->body) h->body_off += (size_t)n;
        else h->stage_off += (size_t)n;
        if (q->body && h->body_off == q->body_len) h->body_sent = true;
        if ((size_t)n < len) return;                          /* a window is shut: EV_WINDOW resumes */
    }
    if (h->body_sent && ex->state == HTTPX__EX_SENDING) {
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    }
}

/* ---- events ---- */

static long long httpx__h2_head_length(const httpx__h2_event *ev) {
    size_t i;
    for (i = 0; i < ev->num_fields; i++) {
        const httpx__h1_header *f = &ev->fields[i];
        if (f->name_len == 14 && !memcmp(f->name, "content-length", 14)) {
            long long v = 0;
            size_t j;
            for (j = 0; j < f->value_len; j++) {
                if (f->value[j] < '0' || f->value[j] > '9' || v > (LLONG_MAX - 9) / 10) return -1;
                v = v * 10 + (f->value[j] - '0');
            }
            return f->value_len ? v : -1;
        }
    }
    return -1;
}

/* A stream goes back to the pool queue once when its body can be made
   again and the server cannot have acted on it: it said so (REFUSED_STREAM,
   above a GOAWAY's last stream: RFC 9113 8.7, any method), or, for an
   idempotent request, the connection failed before any answer. */
static bool httpx__h2_retry(httpx__conn *conn, httpx__exchange *ex, bool retryable, bool need_idempotent) {
    if (!retryable || !httpx__exchange_may_retry(ex, need_idempotent)) return false;
    httpx__h2_ex_free(ex);
    httpx__exchange_requeue(conn, ex);
    return true;
}

static void httpx__h2_on_event(httpx__conn *conn, const httpx__h2_event *ev) {
    httpx__exchange *ex = (httpx__exchange *)ev->user;
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (ev->type == HTTPX__H2_EV_GOAWAY) return;     /* streams above its id come as retryable resets */
    /* An exchange forgets its stream when it leaves (httpx__h2_forget), so
       ev->user is live; the id check keeps a redirect's new stream (same
       exchange) from news of its old one all the same. */
    if (!ex || ex->conn != conn || ex->state == HTTPX__EX_DONE || ev->stream_id != ex->proto.h2.id) return;
    switch (ev->type) {
    case HTTPX__H2_EV_HEADERS: {
        httpx__head head;
        head.status = ev->status;
        head.version = "HTTP/2";
        head.reason = "";
        head.reason_len = 0;
        head.fields = ev->fields;
        head.nfields = ev->num_fields;
        head.expected_length = ex->req->head || ev->status == 204 || ev->status == 304 ? 0 : httpx__h2_head_length(ev);
        if (httpx__exchange_head(ex, &head, &e)) ex->proto.h2.err = e;
        ex->proto.h2.wake = true;
        break;
    }
    case HTTPX__H2_EV_DATA:
        if (!httpx__buf_append(&ex->proto.h2.in, ev->data, ev->len))
            httpx__fail(&ex->proto.h2.err, HTTPX_ERR_NOMEM, "out of memory for a response body");
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_END:
        ex->proto.h2.ended = true;
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_RESET:
        ex->proto.h2.id = 0;          /* the session dropped the stream */
        if (ev->error == HTTPX_OK && ex->state == HTTPX__EX_BODY) { ex->proto.h2.ended = true; ex->proto.h2.wake = true; break; }
        if (ex->state < HTTPX__EX_BODY && httpx__h2_retry(conn, ex, ev->retryable, false)) break;
        /* "safe to retry" in the session's words, but we did not: say why */
        httpx__fail(&ex->proto.h2.err, ev->error ? ev->error : HTTPX_ERR_REMOTE_PROTOCOL, "%s%s", ev->msg ? ev->msg : "stream reset",
                    !ev->retryable || ex->state >= HTTPX__EX_BODY ? ""
                    : ex->retried ? "; not retried: it was retried once already"
                    : "; not retried: its body was streamed and cannot be sent again");
        ex->proto.h2.wake = true;
        break;
    case HTTPX__H2_EV_WINDOW:
        httpx__h2_send_body(conn, ex);
        break;
    default:
        break;
    }
}

/* The connection failed: every exchange on it gets the error (or a retry
   when the server never saw its request). */
static void httpx__h2_fail_all(httpx__conn *conn, httpx__err *e) {
    httpx__exchange *ex;
    while ((ex = conn->active) != NULL) {
        httpx__err copy = *e;
        if (ex->state < HTTPX__EX_BODY && ex->reused && httpx__h2_retry(conn, ex, true, true)) continue;
        httpx__conn_detach(conn, ex);
        httpx__h2_ex_free(ex);
        httpx__exchange_end(ex, &copy);     /* off the connection already: end only records */
    }
    /* Exchanges still waiting for it: the connection failed while its first
       requests were being placed (its first write failed right after the
       handshake). They share the failure, as in a setup failure. */
    while ((ex = conn->waiters) != NULL) {
        httpx__err copy = *e;
        httpx__conn_detach(conn, ex);
        httpx__exchange_end(ex, &copy);
    }
    httpx__conn_close(conn);
}

/* Tells the layer above about the news of each exchange. Waking may end or
   free exchanges, so the list is walked again from the start each time. */
static void httpx__h2_wake_all(httpx__conn *conn) {
    httpx__exchange *ex;
    for (;;) {
        for (ex = conn->active; ex && !ex->proto.h2.wake; ex = ex->conn_next) {}
        if (!ex) return;
        ex->proto.h2.wake = false;
        if (ex->proto.h2.err.code) {
            httpx__err copy = ex->proto.h2.err;
            httpx__exchange_end(ex, &copy);
            continue;
        }
        ex->readable = true;
        httpx__exchange_wake(ex);
        if (conn->state == HTTPX__CONN_CLOSED) return;
    }
}

/* Reads what the stream has (up to HTTPX__H2_STEP_READ) and feeds it to the
   session, event by event. *more: it stopped with bytes perhaps left. */
static int httpx__h2_read(httpx__conn *conn, bool *more, httpx__err *e) {
    httpx__h2_event ev;
    size_t total = 0;
    for (;;) {
        long n;
        size_t done = 0;
        if (total >= HTTPX__H2_STEP_READ) { *more = true; return 0; }
        n = httpx__conn_fill(conn, e);
        if (n == HTTPX__AGAIN) return 0;
        if (n == 0) {
            httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "the server closed the HTTP/2 connection");
            return HTTPX__BAD;
        }
        if (n < 0) return HTTPX__BAD;
        total += (size_t)n;
        while (conn->in_off < conn->in.len) {
            int rc = httpx__h2_feed(HTTPX__H2S(conn), conn->in.p + conn->in_off, conn->in.len - conn->in_off, &done, e);
            conn->in_off += done;
            while (httpx__h2_next_event(HTTPX__H2S(conn), &ev)) {
                if (ev.type == HTTPX__H2_EV_ERROR) {
                    if (!e->code) httpx__fail(e, ev.error ? ev.error : HTTPX_ERR_REMOTE_PROTOCOL, "%s", ev.msg ? ev.msg : "HTTP/2 error");
                    continue;
                }
                httpx__h2_on_event(conn, &ev);
            }
            if (rc == HTTPX__BAD) return HTTPX__BAD;
            if (httpx__h2_out_pending_len(conn) >= HTTPX__H2_OUT_FLUSH && httpx__h2_flush(conn, e) == HTTPX__BAD)
                return HTTPX__BAD;
            if (!done && conn->in_off < conn->in.len) break;   /* a partial frame, kept inside */
        }
        conn->in.len = conn->in_off = 0;
    }
}

/* ---- the slot ---- */

static bool httpx__h2_can_take(const httpx__conn *conn) {
    return HTTPX__H2S(conn) && !httpx__h2_dead(HTTPX__H2S(conn)) && httpx__h2_can_open(HTTPX__H2S(conn));
}

static void httpx__h2_step(httpx__conn *conn, short revents) {
    httpx__err e;
    httpx__exchange *ex;
    bool more = false;
    memset(&e, 0, sizeof e);
    (void)revents;
    conn->deadline = 0;
    if (httpx__h2_read(conn, &more, &e) == HTTPX__BAD || httpx__h2_flush(conn, &e) == HTTPX__BAD) {
        if (HTTPX__H2S(conn) && httpx__h2_out_pending(conn)) {           /* the GOAWAY, if the socket takes it */
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            httpx__h2_flush(conn, &ignore);
        }
        httpx__h2_wake_all(conn);
        if (conn->state != HTTPX__CONN_CLOSED) httpx__h2_fail_all(conn, &e);
        return;
    }
    for (ex = conn->active; ex; ex = ex->conn_next)
        if (httpx__h2_uploading(ex)) httpx__h2_send_body(conn, ex);
    httpx__h2_wake_all(conn);
    if (conn->state == HTTPX__CONN_CLOSED) return;
    if (httpx__h2_flush(conn, &e) == HTTPX__BAD) { httpx__h2_fail_all(conn, &e); return; }
    if (!conn->active && !httpx__h2_can_open(HTTPX__H2S(conn))) { httpx__conn_close(conn); return; }  /* GOAWAY'd */
    if (more) conn->deadline = httpx__now();      /* the next pass reads on, without waiting */
    httpx__h2_set_want(conn);
}

/* An HTTP/2 request's header list as text for on_debug
   (HTTPX_DEBUG_HEADER_OUT), pseudo-headers first, as it is encoded. */
static void httpx__h2_debug_head(const httpx_client *c, const httpx__hpack_field *f, size_t n) {
    httpx__buf b;
    size_t i;
    if (!c->opts.on_debug) return;
    memset(&b, 0, sizeof b);
    for (i = 0; i < n; i++) httpx__debug_field_line(&b, f[i].name, f[i].nlen, f[i].value, f[i].vlen);
    httpx__buf_append(&b, "\r\n", 2);
    if (!b.failed) c->opts.on_debug(c->opts.debug_user_data, HTTPX_DEBUG_HEADER_OUT, b.p, b.len);
    httpx__buf_free(&b);
}

static void httpx__h2_submit_ex(httpx__conn *conn, httpx__exchange *ex) {
    httpx__hpack_field fields[HTTPX__REQ_INLINE_FIELDS + 8], *f = fields;
    char text_inline[1024];          /* the text of most request heads: no allocation */
    httpx__buf text;
    size_t n = 0, cap = sizeof fields / sizeof fields[0];
    httpx__err e;
    memset(&e, 0, sizeof e);
    memset(&text, 0, sizeof text);
    httpx__buf_init_inline(&text, text_inline, sizeof text_inline);
    memset(&ex->proto.h2, 0, sizeof ex->proto.h2);
    ex->conn = conn;
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    ex->conn_next = conn->active;          /* order does not matter for HTTP/2 */
    conn->active = ex;
    if (ex->req->headers.count + 8 > cap) {
        cap = ex->req->headers.count + 8;
        f = (httpx__hpack_field *)httpx__malloc(cap * sizeof *f);
        if (!f) {
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the request headers");
            httpx__exchange_end(ex, &e);
            return;
        }
    }
    if (!httpx__h2_fields(ex, f, cap, &n, &text, &e)) {
        httpx__h2_debug_head(ex->client, f, n);
        httpx__h2_submit(HTTPX__H2S(conn), f, n, ex->req->has_body, ex, &ex->proto.h2.id, &e);
    }
    httpx__buf_free(&text);
    if (f != fields) httpx__free(f);
    if (e.code) { httpx__exchange_end(ex, &e); return; }
    ex->proto.h2.body_sent = !ex->req->has_body;
    if (ex->proto.h2.body_sent) {
        httpx__exchange_set_state(ex, HTTPX__EX_RECV_HEAD);
        httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    } else {
        httpx__h2_send_body(conn, ex);
        if (ex->state == HTTPX__EX_SENDING) httpx__exchange_wait(ex, ex->timeout.write, HTTPX_ERR_WRITE_TIMEOUT);
    }
    if (ex->state == HTTPX__EX_DONE) return;
    /* Small output waits for POLLOUT, which the same loop pass sees at once:
       the requests placed together leave in one write, and the server reads
       them in one go rather than one system call each. */
    if (httpx__h2_out_pending_len(conn) >= HTTPX__H2_OUT_FLUSH && httpx__h2_flush(conn, &e) == HTTPX__BAD) {
        httpx__h2_fail_all(conn, &e);
        return;
    }
    httpx__h2_set_want(conn);
}

static long httpx__h2_read_body(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    httpx__h2_ex *h = &ex->proto.h2;
    size_t avail = h->in.len - h->in_off;
    if (avail) {
        size_t n = avail < cap ? avail : cap;
        memcpy(buf, h->in.p + h->in_off, n);
        h->in_off += n;
        if (h->in_off == h->in.len) h->in.len = h->in_off = 0;
        httpx__h2_consumed(HTTPX__H2S(conn), h->id, n);      /* reopens the window: the server may send more */
        if (httpx__h2_out_pending(conn)) {
            httpx__err ignore;
            memset(&ignore, 0, sizeof ignore);
            httpx__h2_flush(conn, &ignore);
            httpx__h2_set_want(conn);
        }
        return (long)n;
    }
    if (h->err.code) { *e = h->err; return HTTPX__BAD; }
    if (h->ended) return 0;
    httpx__exchange_wait(ex, ex->timeout.read, HTTPX_ERR_READ_TIMEOUT);
    httpx__h2_set_want(conn);
    return HTTPX__AGAIN;
}

/* Whatever the session still holds of ex goes when ex goes. Body bytes it
   received and nobody read are given back to the connection window (else
   every dropped body shrinks it until the connection stalls for good); a
   stream still open either way is reset (CANCEL) and forgotten, so that no
   later frame of the server's (RST_STREAM, WINDOW_UPDATE, GOAWAY) reaches
   ex through the stream, be ex freed or serving a redirect by then. A
   stream whose response ended while its body was still blocked is such a
   stream. */
static void httpx__h2_forget(httpx__conn *conn, httpx__exchange *ex) {
    httpx__h2_ex *h = &ex->proto.h2;
    if (HTTPX__H2S(conn) && h->id) {
        httpx__h2_cancel(HTTPX__H2S(conn), h->id);       /* nothing when the session dropped it */
        if (h->in.len > h->in_off) httpx__h2_consumed(HTTPX__H2S(conn), h->id, h->in.len - h->in_off);
    }
    h->in.len = h->in_off = 0;
    h->id = 0;
}

/* Off the connection, forgotten by the session; the connection goes on for
   the other streams, or idles in the pool. */
static void httpx__h2_release(httpx__conn *conn, httpx__exchange *ex, bool reusable) {
    (void)reusable;
    httpx__h2_forget(conn, ex);
    httpx__conn_detach(conn, ex);
    httpx__h2_ex_free(ex);
    if (conn->state == HTTPX__CONN_CLOSED) return;
    if (httpx__h2_out_pending(conn)) {
        httpx__err ignore;
        memset(&ignore, 0, sizeof ignore);
        if (httpx__h2_flush(conn, &ignore) == HTTPX__BAD) {
            httpx__h2_fail_all(conn, &ignore);
            return;
        }
    }
    if (!conn->active) {
        if (httpx__h2_dead(HTTPX__H2S(conn)) || !httpx__h2_can_open(HTTPX__H2S(conn))) { httpx__conn_close(conn); return; }
        httpx__conn_idle(conn);
    }
    if (conn->state != HTTPX__CONN_CLOSED) httpx__h2_set_want(conn);
}

static void httpx__h2_cancel_ex(httpx__conn *conn, httpx__exchange *ex) { httpx__h2_release(conn, ex, false); }

/* Over TLS when the client asked for HTTP/2 (ALPN offers it), over plain
   TCP with prior knowledge only, and never to an HTTP proxy that forwards
   plain http requests (it speaks HTTP/1.1 to us). */
static bool httpx__h2_offered(const httpx__conn *conn) {
    const httpx_client_opts *o = &conn->client->opts;
    return conn->route.tls ? o->http2 : o->http2_prior_knowledge && !httpx__proxy_forwards(conn->route.proxy, false);
}

static bool httpx__h2_chosen(const httpx__conn *conn) {
    const char *alpn;
    if (!conn->route.tls) return true;
    alpn = httpx__stream_query(conn->io, HTTPX__FACT_ALPN);
    return alpn && !strcmp(alpn, "h2");
}

static httpx_error httpx__h2_start(httpx__conn *conn, httpx__err *e) {
    httpx__h2_config cfg;
    size_t max_head = conn->client->opts.max_head_size;
    memset(&cfg, 0, sizeof cfg);
    /* max_head_size bounds the head as HTTP/1.1 does, counted as HPACK
       counts a header list (name, value and 32 per field, RFC 9113 6.5.2);
       it is also what our SETTINGS_MAX_HEADER_LIST_SIZE tells the server */
    cfg.max_header_list = max_head > 0x7fffffffu ? 0x7fffffffu : (uint32_t)max_head;
    conn->proto_state = httpx__h2_new(&cfg, e);
    if (!HTTPX__H2S(conn)) return e->code ? e->code : HTTPX_ERR_NOMEM;
    if (httpx__h2_flush(conn, e) == HTTPX__BAD) return e->code;   /* the preface and our SETTINGS */
    httpx__h2_set_want(conn);
    return HTTPX_OK;
}

/* A closing connection says goodbye (GOAWAY, if the socket takes it now). */
static void httpx__h2_conn_free(httpx__conn *conn) {
    if (!HTTPX__H2S(conn)) return;
    if (conn->io && !httpx__h2_dead(HTTPX__H2S(conn))) {
        httpx__err ignore;
        memset(&ignore, 0, sizeof ignore);
        httpx__h2_goaway(HTTPX__H2S(conn));
        httpx__h2_flush(conn, &ignore);
    }
    httpx__h2_free(HTTPX__H2S(conn));
    conn->proto_state = NULL;
}

/* A connection that is going away (GOAWAY) only finishes its streams: an
   exchange waiting for it would wait for nothing, so it does not count. */
static bool httpx__h2_has_streams(const httpx__conn *conn) {
    return HTTPX__H2S(conn) && !httpx__h2_draining(HTTPX__H2S(conn)) && !httpx__h2_idle(HTTPX__H2S(conn));
}

static void httpx__h2_ex_free(httpx__exchange *ex) {
    httpx__buf_free(&ex->proto.h2.in);
    httpx__buf_free(&ex->proto.h2.stage);
    ex->proto.h2.in_off = ex->proto.h2.stage_off = 0;
}

static const httpx__proto httpx__h2_slot = {
    "HTTP/2", true, httpx__h2_offered, httpx__h2_chosen, httpx__h2_start, httpx__h2_conn_free, httpx__h2_has_streams,
    httpx__h2_can_take, httpx__h2_submit_ex, httpx__h2_step, httpx__h2_read_body, httpx__h2_cancel_ex,
    httpx__h2_release
};

HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void) { return &httpx__h2_slot; }

#endif /* HTTPX_NO_HTTP2 */
/* End of h2_proto.c */

#if defined(HTTPX_LINES)
#line 17067 "httpx.h"
#endif
/* ======================================================================
   Begin file loop.c   (grep anchor: >>loop)
   ====================================================================== */
/* loop: the one loop of a client (the life of an exchange is exchange.c's). Every
   face runs it: httpx_client_poll, httpx_client_process, httpx_task_wait,
   httpx_gather, the blocking calls and httpx_read. One pass places queued
   exchanges on connections, polls the connections (idle pooled ones too),
   steps the ready ones, and applies every deadline in one place. */
#if defined(HTTPX_LINES)
#line 5 "tools/src/loop.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

/* The error of a wait whose deadline passed, or of the whole request's
   (total: timeout.total). */
static void httpx__exchange_timeout(httpx__exchange *ex, bool total) {
    httpx_error which = total ? HTTPX_ERR_TOTAL_TIMEOUT : ex->timeout_error ? ex->timeout_error : HTTPX_ERR_READ_TIMEOUT;
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (total)
        httpx__fail(&e, which, "the request took longer than timeout.total (%.3g s)", ex->timeout.total);
    else
        httpx__fail(&e, which, "%s after %.3g s", httpx_strerror(which),
                    which == HTTPX_ERR_READ_TIMEOUT ? ex->timeout.read :
                    which == HTTPX_ERR_WRITE_TIMEOUT ? ex->timeout.write :
                    which == HTTPX_ERR_POOL_TIMEOUT ? ex->timeout.pool : ex->timeout.connect);
    httpx__exchange_fail(ex, &e);
}

/* ---- one pass ---- */

static bool httpx__pollfds_reserve(httpx_client *c, int n) {
    struct pollfd *p;
    int cap;
    if (n <= c->pollfds_cap) return true;
    cap = c->pollfds_cap ? c->pollfds_cap : 16;
    while (cap < n) cap *= 2;
    p = (struct pollfd *)httpx__realloc(c->pollfds, (size_t)cap * sizeof *p);
    if (!p) return false;
    c->pollfds = p;
    c->pollfds_cap = cap;
    return true;
}

static int httpx__ms_until(double deadline, double now) {
    double ms = (deadline - now) * 1000.0;
    if (ms <= 0) return 0;
    return ms > 86400000.0 ? 86400000 : (int)(ms + 0.999);
}

/* Gives queued exchanges connections, oldest first; those that must wait
   for the pool start their pool timeout. */
static void httpx__loop_place(httpx_client *c) {
    httpx__exchange *ex, *next;
    for (ex = c->live; ex; ex = next) {
        next = ex->live_next;
        if (ex->state != HTTPX__EX_QUEUED) continue;
        if (httpx__pool_place(c, ex)) {
            next = c->live;          /* the list may have changed: look again from the start */
            continue;
        }
        if (!(ex->deadline && ex->timeout_error == HTTPX_ERR_POOL_TIMEOUT)) {
            ex->deadline = httpx__deadline_in(ex->timeout.pool);
            ex->timeout_error = HTTPX_ERR_POOL_TIMEOUT;
        }
    }
}

/* Closes idle connections past their keepalive expiry (the wait ends for
   them, so this runs on time even with nothing in flight) and frees the
   connections that closed. */
static void httpx__loop_sweep(httpx_client *c) {
    httpx__conn **pp = &c->conns;
    double now = httpx__now();
    while (*pp) {
        httpx__conn *conn = *pp;
        if (conn->state == HTTPX__CONN_READY && !conn->active &&
            now - conn->idle_since > c->opts.limits.keepalive_expiry)
            httpx__conn_close(conn);
        if (conn->state == HTTPX__CONN_CLOSED) { *pp = conn->next; httpx__conn_free(conn); }
        else pp = &conn->next;
    }
}

static void httpx__due_at(double *next, double when) {
    if (when && (!*next || when < *next)) *next = when;
}

/* What the loop waits for, in this one place for a pass and for
   httpx_client_fds: the connections' wants go into fds (the count is
   returned), and *ms says how long to wait for them (-1: no limit): until the
   earliest deadline of a connection or an exchange or an idle connection's
   keepalive expiry, or not at all when a pass has work to do at once (an
   exchange the pool has not yet been asked for, a task to admit or report).
   An exchange that waits for the pool is not work: a connection's event
   frees one, or its pool deadline comes. */
HTTPX__PRIVATE int httpx__loop_wants(httpx_client *c, struct pollfd *fds, int cap, int *ms) {
    httpx__conn *conn;
    httpx__exchange *ex;
    double next = 0;
    bool at_once = c->polling <= 1 && c->face && c->face->due(c);   /* nested passes neither admit nor report */
    int n = 0;
    for (conn = c->conns; conn; conn = conn->next) {
        httpx__sock fd = httpx__conn_fd(conn);
        conn->poll_index = -1;
        if (conn->state == HTTPX__CONN_CLOSED) continue;
        httpx__due_at(&next, conn->deadline);
        if (conn->state == HTTPX__CONN_READY && !conn->active)
            httpx__due_at(&next, conn->idle_since + c->opts.limits.keepalive_expiry);
        if (fd == HTTPX__NO_SOCK || !conn->want || n >= cap) continue;
        fds[n].fd = fd;
        fds[n].events = conn->want;
        fds[n].revents = 0;
        conn->poll_index = n++;
    }
    for (ex = c->live; ex; ex = ex->live_next) {
        if (ex->state == HTTPX__EX_QUEUED && ex->timeout_error != HTTPX_ERR_POOL_TIMEOUT) at_once = true;
        httpx__due_at(&next, ex->deadline);
        httpx__due_at(&next, ex->total_deadline);
    }
    *ms = at_once ? 0 : next ? httpx__ms_until(next, httpx__now()) : -1;
    return n;
}

/* Makes conn the head of the list, so that the next pass starts there. */
static void httpx__conns_rotate(httpx_client *c, httpx__conn *conn) {
    httpx__conn **pp = &c->conns, *tail;
    if (c->conns == conn) return;
    while (*pp != conn) pp = &(*pp)->next;
    *pp = NULL;
    for (tail = conn; tail->next; tail = tail->next) {}
    tail->next = c->conns;
    c->conns = conn;
}

/* Steps what poll found ready and what is due. budget: seconds of work
   (0: none); the next pass starts where this one stopped. */
static void httpx__loop_dispatch(httpx_client *c, const struct pollfd *fds, int n, double budget) {
    httpx__conn *conn, *next;
    httpx__exchange *ex, *nex;
    double start = httpx__now(), now;
    for (conn = c->conns; conn; conn = next) {
        short revents = 0;
        next = conn->next;
        if (budget > 0 && conn != c->conns && httpx__now() - start > budget) {
            httpx__conns_rotate(c, conn);
            break;
        }
        if (conn->poll_index >= 0 && conn->poll_index < n && fds[conn->poll_index].fd == httpx__conn_fd(conn))
            revents = fds[conn->poll_index].revents;
        conn->poll_index = -1;
        if (revents) httpx__conn_step(conn, revents);
        else if (conn->deadline && start >= conn->deadline) httpx__conn_step(conn, 0);
    }
    now = httpx__now();
    for (ex = c->live; ex; ex = nex) {
        nex = ex->live_next;
        if ((ex->deadline && now >= ex->deadline) || (ex->total_deadline && now >= ex->total_deadline)) {
            httpx__exchange_timeout(ex, ex->total_deadline && now >= ex->total_deadline);
            nex = c->live;
        }
    }
}

/* Whether a blocking caller's wait is over: its exchange reached `until`
   (-1: a stream reader's news). */
static bool httpx__wait_over(const httpx__exchange *ex, int until) {
    if (!ex) return false;
    if (until < 0) return ex->readable || ex->state == HTTPX__EX_DONE;
    return (int)ex->state >= until;
}

/* One pass for a blocking caller that waits on ex: when ex got what it
   waits for while queued exchanges were placed (a response already in),
   the pass does not wait in poll. */
static void httpx__loop_pass_for(httpx_client *c, int timeout_ms, double budget, const httpx__exchange *ex, int until);

HTTPX__PRIVATE void httpx__loop_pass(httpx_client *c, int timeout_ms, double budget) {
    httpx__loop_pass_for(c, timeout_ms, budget, NULL, 0);
}

/* The first and last steps of every pass: tasks are admitted and reported
   only by the outermost one (a callback's blocking call nests a pass). */
static void httpx__pass_begin(httpx_client *c) {
    c->polling++;
    if (c->polling == 1 && c->face) c->face->admit(c);   /* the faces' work around a pass: see task.c */
    httpx__loop_place(c);
}

static void httpx__pass_end(httpx_client *c) {
    if (c->polling == 1 && c->face) {
        c->face->settle(c);      /* reports what ended, admits what may start */
        httpx__loop_place(c);
    }
    httpx__loop_sweep(c);
    c->polling--;
}

static void httpx__loop_pass_for(httpx_client *c, int timeout_ms, double budget, const httpx__exchange *watch, int until) {
    struct pollfd spare[16];    /* out of memory for the array: go on, 16 at a time */
    struct pollfd *fds = spare;
    int n, ms, rc, cap = 16;
    httpx__pass_begin(c);
    if (httpx__pollfds_reserve(c, c->num_conns + 1)) {
        fds = c->pollfds;
        cap = c->pollfds_cap;
    }
    n = httpx__loop_wants(c, fds, cap, &ms);
    if (timeout_ms >= 0 && (ms < 0 || ms > timeout_ms)) ms = timeout_ms;
    if (httpx__wait_over(watch, until)) ms = 0;
    /* nothing to wait for (everything ended while being placed): no poll */
    rc = n || ms > 0 ? httpx__poll(fds, (size_t)n, ms) : 0;
    httpx__loop_dispatch(c, fds, rc > 0 ? n : 0, budget);
    httpx__pass_end(c);
}

/* A pass over the events the caller polled itself (httpx_client_process):
   a connection gets the revents of its entry in fds, found where
   httpx_client_fds put it or by its descriptor; connections made since then
   get none. Nothing is polled again. */
HTTPX__PRIVATE void httpx__loop_pass_given(httpx_client *c, const struct pollfd *fds, int n) {
    httpx__conn *conn;
    httpx__pass_begin(c);
    for (conn = c->conns; conn; conn = conn->next) {
        httpx__sock fd = httpx__conn_fd(conn);
        int i = conn->poll_index;
        if (i < 0 || fd == HTTPX__NO_SOCK) { conn->poll_index = -1; continue; }
        if (!(i < n && fds[i].fd == fd))          /* the caller kept its own order */
            for (i = 0; i < n && fds[i].fd != fd; i++) {}
        conn->poll_index = i < n ? i : -1;
    }
    httpx__loop_dispatch(c, fds, n, 0);
    httpx__pass_end(c);
}

/* Whether something other than the caller's own exchange could still give a
   connection back: a task in flight. */
static bool httpx__others_in_flight(httpx_client *c, httpx__exchange *self) {
    httpx__exchange *ex;
    for (ex = c->live; ex; ex = ex->live_next)
        if (ex != self && ex->resp->is_task) return true;
    return c->tasks_started > 0 && c->tasks_done < c->tasks_total;
}

HTTPX__PRIVATE void httpx__loop_until(httpx__exchange *ex, enum httpx__ex_state until) {
    httpx_client *c = ex->client;
    while (ex->state < until) {
        if (ex->state == HTTPX__EX_QUEUED) {
            httpx__loop_place(c);
            if (ex->state == HTTPX__EX_QUEUED && !httpx__others_in_flight(c, ex)) {
                /* Only the pool is waited on, and nothing runs that could hand a
                   connection back: say so now rather than after the pool timeout. */
                httpx__err e;
                memset(&e, 0, sizeof e);
                httpx__fail(&e, HTTPX_ERR_POOL_TIMEOUT,
                            "all %d connections of the client are in use (limits.max_connections); "
                            "close open streams first", c->opts.limits.max_connections);
                httpx__exchange_end(ex, &e);
                return;
            }
        }
        httpx__loop_pass_for(c, -1, 0, ex, (int)until);
    }
}

HTTPX__PRIVATE void httpx__loop_until_readable(httpx__exchange *ex) {
    while (!httpx__wait_over(ex, -1)) httpx__loop_pass_for(ex->client, -1, 0, ex, -1);
}
/* End of loop.c */

#if defined(HTTPX_LINES)
#line 17341 "httpx.h"
#endif
/* ======================================================================
   Begin file text_internal.h   (grep anchor: >>text_internal)
   ====================================================================== */
/* text_internal.h: decoded views of a body: charsets, text, the parsed JSON (text.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#if defined(HTTPX_LINES)
#line 2 "tools/src/text_internal.h"
#endif
#ifndef HTTPX__TEXT_INTERNAL_H
#define HTTPX__TEXT_INTERNAL_H
/* #include "internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
/* Incremental decoding of a body to UTF-8 (text.c). */
enum httpx__enc { HTTPX__ENC_SNIFF, HTTPX__ENC_UTF8, HTTPX__ENC_UTF16LE, HTTPX__ENC_UTF16BE,
                  HTTPX__ENC_UTF16,   /* "utf-16": the BOM decides, little-endian without one */
                  HTTPX__ENC_LATIN1, HTTPX__ENC_CP1252, HTTPX__ENC_ASCII };
typedef struct httpx__textdec {
    enum httpx__enc enc;        /* SNIFF: decide by a byte order mark, else UTF-8 */
    bool bom_checked;           /* a BOM of the encoding in use is dropped once, at the start */
    unsigned char pend[4];      /* bytes of a character cut at the end of the last piece */
    size_t npend;
    uint32_t high;              /* UTF-16: a high surrogate waiting for its low half, else 0 */
} httpx__textdec;
/* The encoding a charset label names (ASCII case-insensitive); SNIFF for no
   label, UTF8 for a label we do not know. */
HTTPX__PRIVATE enum httpx__enc httpx__enc_of_label(const char *label, size_t n);
HTTPX__PRIVATE const char *httpx__enc_name(enum httpx__enc enc);
/* Appends the UTF-8 of in[0..n) to out. final: no more input comes, so a cut
   character becomes U+FFFD. False only when out of memory. */
HTTPX__PRIVATE bool httpx__text_decode(httpx__textdec *d, const char *in, size_t n, bool final, httpx__buf *out);

/* Per response, made on first use: the decoded text and the parsed JSON. */
typedef struct httpx__views {
    httpx__textdec dec;         /* httpx_text's decoder (whole body), and the encoding decided */
    bool text_done;
    const char *text;           /* the body itself when it needed no change, else text_buf.p */
    size_t text_len;
    httpx__buf text_buf;
    httpx__textdec stream_dec;  /* httpx_read_text */
    httpx__buf stream_buf;
    bool stream_started, stream_end;
    bool json_done;
    httpx_json_value *json;
    httpx_json_error json_error;
} httpx__views;
HTTPX__PRIVATE httpx__views *httpx__views_of(httpx__response *r);   /* NULL: out of memory */

#endif /* HTTPX__TEXT_INTERNAL_H */
/* End of text_internal.h */

#if defined(HTTPX_LINES)
#line 17394 "httpx.h"
#endif
/* ======================================================================
   Begin file response.c   (grep anchor: >>response)
   ====================================================================== */
/* response: the layer above the transports. Every response head comes in
   through one door (the sink it installs on its exchange: exchange.c hands
   up a head as values, whatever carried it, the connection's facts too);
   body bytes go to memory (with the size limit), to on_data, or to a
   streaming reader; a redirect's body is dropped, bounded. Then what a
   caller does with a response: headers, status classes, streaming reads,
   the request it answers, and freeing. Nothing here names a face: the one
   that made a response installs what its free needs (on_free, free_owned). */
#if defined(HTTPX_LINES)
#line 8 "tools/src/response.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
/* #include "text_internal.h": earlier in httpx.h */

static httpx__response *httpx__resp(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

HTTPX__PRIVATE httpx__response *httpx__response_new(void) {
    httpx__response *r = (httpx__response *)httpx__malloc(sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    r->pub.error_message = "";
    r->pub.reason_phrase = "";
    r->pub.http_version = "";
    r->pub.url = "";
    r->pub.content = (char *)"";
    r->pub.expected_length = -1;
    r->pub.tls_version = r->pub.tls_cipher = r->pub.alpn = "";
    httpx__buf_init_inline(&r->url_text, r->url_inline, sizeof r->url_inline);
    return r;
}

HTTPX_API const char *httpx_header(const httpx_response *r, const char *name) {
    return r ? httpx_headers_get(&httpx__resp(r)->headers, name) : NULL;
}

HTTPX_API const char *httpx_header_nth(const httpx_response *r, const char *name, size_t n) {
    return r ? httpx_headers_get_nth(&httpx__resp(r)->headers, name, n) : NULL;
}

HTTPX_API const httpx_headers *httpx_response_headers(const httpx_response *r) {
    return r ? &httpx__resp(r)->headers : NULL;
}

/* ---- the request as sent ---- */

HTTPX_API const httpx_req *httpx_response_request(const httpx_response *r) {
    return r ? &httpx__resp(r)->req : NULL;
}

HTTPX_API const char *httpx_request_method(const httpx_req *q) { return q ? q->method : ""; }
HTTPX_API const char *httpx_request_url(const httpx_req *q) { return q && q->url_text ? q->url_text : ""; }
HTTPX_API const char *httpx_request_header(const httpx_req *q, const char *name) {
    return q ? httpx_headers_get(&q->headers, name) : NULL;
}
HTTPX_API const httpx_headers *httpx_request_headers(const httpx_req *q) { return q ? &q->headers : NULL; }
HTTPX_API const char *httpx_request_body(const httpx_req *q, size_t *len) {
    if (len) *len = q && q->body ? q->body_len : 0;
    return q ? q->body : NULL;
}

/* The protocols frame the body themselves: a field that would say how is
   theirs alone (request.c leaves them out of the merged fields too). */
static bool httpx__request_framing_field(const char *name) {
    httpx__str n;
    if (!name) return false;
    n.p = name;
    n.n = strlen(name);
    return httpx__str_ieq(n, "content-length") || httpx__str_ieq(n, "transfer-encoding");
}

static bool httpx__request_is_host(const char *name) {
    httpx__str n;
    n.p = name;
    n.n = strlen(name);
    return httpx__str_ieq(n, "host");
}

static httpx_error httpx__request_edit(httpx_req *q, const char *name, const char *value, bool replace) {
    httpx_error err;
    if (!q) return HTTPX_ERR_INVALID_ARGUMENT;
    if (httpx__request_framing_field(name)) return HTTPX_ERR_INVALID_HEADER;
    err = replace ? httpx_headers_set(&q->headers, name, value) : httpx_headers_add(&q->headers, name, value);
    if (!err && httpx__request_is_host(name)) q->has_host = true;
    return err;
}

HTTPX_API httpx_error httpx_request_set_header(httpx_req *q, const char *name, const char *value) {
    return httpx__request_edit(q, name, value, true);
}
HTTPX_API httpx_error httpx_request_add_header(httpx_req *q, const char *name, const char *value) {
    return httpx__request_edit(q, name, value, false);
}
HTTPX_API size_t httpx_request_remove_header(httpx_req *q, const char *name) {
    size_t n;
    if (!q || !name) return 0;
    n = httpx_headers_remove(&q->headers, name);
    if (n && httpx__request_is_host(name)) q->has_host = false;
    return n;
}

HTTPX_API bool httpx_is_informational(const httpx_response *r) { return r && r->status_code >= 100 && r->status_code < 200; }
HTTPX_API bool httpx_is_success(const httpx_response *r) { return r && r->status_code >= 200 && r->status_code < 300; }
HTTPX_API bool httpx_is_redirect(const httpx_response *r) {
    int s = r ? r->status_code : 0;
    return (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && httpx_header(r, "location") != NULL;
}
HTTPX_API bool httpx_is_client_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 500; }
HTTPX_API bool httpx_is_server_error(const httpx_response *r) { return r && r->status_code >= 500 && r->status_code < 600; }
HTTPX_API bool httpx_is_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 600; }

HTTPX_API httpx_error httpx_raise_for_status(const httpx_response *r) {
    if (!r) return HTTPX_ERR_NOMEM;
    if (r->error) return r->error;
    return httpx_is_error(r) ? HTTPX_ERR_STATUS : HTTPX_OK;
}

/* ---- the door and the body sink ---- */

#define HTTPX__REDIRECT_BODY_MAX 65536   /* a redirect body longer than this: close instead of reading */

HTTPX__PRIVATE void httpx__response_fail(httpx__response *r, httpx__err *e) {
    if (r->pub.error) return;   /* the first failure is the one the user needs to see */
    r->pub.error = e->code ? e->code : HTTPX_ERR_READ;
    r->pub.sys_errno = e->code == HTTPX_ERR_TLS ? 0 : e->sys_errno;
    r->pub.tls_error = e->code == HTTPX_ERR_TLS ? e->sys_errno : 0;
    memcpy(r->errmsg, e->msg, sizeof r->errmsg);
    r->errmsg[sizeof r->errmsg - 1] = 0;
    r->pub.error_message = r->errmsg;
}

static bool httpx__is_redirect_status(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/* The door's head, which is values not text, rendered for on_debug: the
   status line, "name: value" lines, then the blank line. */
static void httpx__response_debug_fields(const httpx_client *c, const char *line, const httpx__field_view *f,
                                         size_t n) {
    httpx__buf b;
    size_t i;
    if (!c->opts.on_debug) return;
    memset(&b, 0, sizeof b);
    httpx__buf_puts(&b, line);
    httpx__buf_append(&b, "\r\n", 2);
    for (i = 0; i < n; i++) httpx__debug_field_line(&b, f[i].name, f[i].name_len, f[i].value, f[i].value_len);
    httpx__buf_append(&b, "\r\n", 2);
    if (!b.failed) c->opts.on_debug(c->opts.debug_user_data, HTTPX_DEBUG_HEADER_IN, b.p, b.len);
    httpx__buf_free(&b);
}

/* on_debug: the connection's facts in words, then the head as text. */
static void httpx__debug_head_in(httpx__exchange *ex, const httpx__head *h) {
    httpx__response *r = ex->resp;
    char line[320];
    int n;
    if (r->pub.tls_version[0])
        n = snprintf(line, sizeof line, "%s over a %s connection, %s, cipher %s, ALPN %s", h->version,
                     h->connection_reused ? "reused" : "new", r->pub.tls_version, r->pub.tls_cipher,
                     r->pub.alpn[0] ? r->pub.alpn : "none");
    else
        n = snprintf(line, sizeof line, "%s over a %s connection", h->version, h->connection_reused ? "reused" : "new");
    HTTPX__DEBUG(ex->client, HTTPX_DEBUG_TEXT, line, n > 0 && (size_t)n < sizeof line ? (size_t)n : strlen(line));
    snprintf(line, sizeof line, "%s %d%s%s", h->version, h->status, r->pub.reason_phrase[0] ? " " : "",
             r->pub.reason_phrase);
    httpx__response_debug_fields(ex->client, line, h->fields, h->nfields);
}

/* The sink's head: every response head comes through here (the one door),
   as values: the connection's facts too (exchange.c takes them from the
   connection that carried the head; the mock has none). */
static httpx_error httpx__response_on_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e) {
    httpx__response *r = ex->resp;
    size_t i, need = h->reason_len + 1, reason_at;
    if (h->nfields > (size_t)ex->client->opts.limits.max_headers)   /* HTTP/2 and the mock (HTTP/1.1 stops in its parser) */
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has %zu header fields, more than limits.max_headers (%d)",
                           h->nfields, ex->client->opts.limits.max_headers);
    httpx__headers_clear(&r->headers);
    for (i = 0; i < h->nfields; i++) need += h->fields[i].name_len + h->fields[i].value_len + 2;
    r->headers.fields = r->inline_fields;
    r->headers.cap = HTTPX__INLINE_FIELDS;
    r->headers.fixed = true;
    httpx__buf_init_inline(&r->headers.text, r->inline_text, sizeof r->inline_text);
    if (!httpx__buf_reserve(&r->headers.text, need)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    for (i = 0; i < h->nfields; i++)
        if (!httpx__headers_add_raw(&r->headers, h->fields[i].name, h->fields[i].name_len, h->fields[i].value,
                                    h->fields[i].value_len))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    /* the reason phrase lives in the same text, after the fields (the index
       never points at it); the pointer is taken once the text stops moving */
    reason_at = r->headers.text.len;
    if (!httpx__buf_append(&r->headers.text, h->reason, h->reason_len))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for headers");
    r->pub.reason_phrase = r->headers.text.p + reason_at;
    r->pub.status_code = h->status;
    r->pub.http_version = h->version;
    r->pub.expected_length = h->expected_length;
    r->pub.num_bytes_downloaded = 0;
    r->pub.connection_reused = h->connection_reused;
    r->pub.alpn = h->alpn ? h->alpn : "";
    r->pub.tls_version = h->tls_version ? h->tls_version : "";
    r->pub.tls_cipher = h->tls_cipher ? h->tls_cipher : "";
    if (ex->client->opts.on_debug) httpx__debug_head_in(ex, h);
    httpx__buf_clear(&r->body);
    r->draining_redirect = r->set.follow_redirects && httpx__is_redirect_status(h->status) &&
                           httpx_header(&r->pub, "location") != NULL;
    r->redirect_body = 0;
    if (!r->draining_redirect && !r->ex.stream && !r->opts->on_data && h->expected_length > 0 &&
        (unsigned long long)h->expected_length > (unsigned long long)r->set.max_body_size)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response body of %lld bytes is over max_body_size (%zu)",
                           h->expected_length, r->set.max_body_size);
    return HTTPX_OK;
}

/* A redirect that will be followed: its body is read and dropped, at most
   HTTPX__REDIRECT_BODY_MAX bytes; a longer one costs its connection instead
   (an endless body must not keep us here). */
static void httpx__sink_redirect(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    char sink[4096];
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (;;) {
        long n = r->transport->read(ex, sink, sizeof sink, &e);
        if (n <= 0) return;      /* the end, a wait, or an error (recorded by the read) */
        r->redirect_body += (size_t)n;
        if (r->redirect_body > HTTPX__REDIRECT_BODY_MAX) {
            r->transport->cancel(ex);
            return;
        }
    }
}

/* The door's last word on a body that ended, whatever the protocol: one
   shorter than the length its head announced is never published as a
   success. Each protocol checks its own framing; this catches what slips
   past one (a stale HTTP/2 stream once ended a new response early). True
   when r failed here. */
HTTPX__PRIVATE bool httpx__response_body_short(httpx__response *r) {
    httpx__err e;
    if (r->pub.error || r->pub.expected_length < 0 || r->pub.num_bytes_downloaded >= r->pub.expected_length)
        return false;
    memset(&e, 0, sizeof e);
    httpx__fail(&e, HTTPX_ERR_REMOTE_PROTOCOL, "the response body ended after %lld of the %lld bytes its head announced",
                (long long)r->pub.num_bytes_downloaded, r->pub.expected_length);
    httpx__response_fail(r, &e);
    return true;
}

/* Body bytes into memory (bounded by max_body_size) or through on_data. */
static void httpx__sink_body(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    size_t limit = r->set.max_body_size;
    httpx_data_fn on_data = r->opts->on_data;
    httpx__err e;
    memset(&e, 0, sizeof e);
    for (;;) {
        long n;
        /* room for what was announced, but not more than 1 MiB ahead of what
           came: a server's Content-Length alone must not make us allocate */
        size_t want = 16384;
        if (r->pub.expected_length >= 0 && !on_data) {
            long long left = r->pub.expected_length - r->pub.num_bytes_downloaded;
            want = left < 1 ? 1 : left > (1 << 20) ? (size_t)1 << 20 : (size_t)left;
        }
        if (on_data) httpx__buf_clear(&r->body);   /* the buffer only passes bytes through */
        if (!httpx__buf_reserve(&r->body, want)) {
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for a response body");
            r->transport->cancel(ex);
            httpx__response_fail(r, &e);
            return;
        }
        n = r->transport->read(ex, r->body.p + r->body.len, r->body.cap - r->body.len - 1, &e);
        if (n == 0) httpx__response_body_short(r);
        if (n <= 0) return;      /* the end, a wait, or an error (recorded by the read) */
        r->pub.num_bytes_downloaded += n;
        if (on_data) {
            if (on_data(r->opts->user_data, &r->pub, r->body.p, (size_t)n)) {
                httpx__fail(&e, HTTPX_ERR_CANCELLED, "the on_data callback aborted the request");
                r->transport->cancel(ex);
                httpx__response_fail(r, &e);
                return;
            }
            continue;
        }
        r->body.len += (size_t)n;
        r->body.p[r->body.len] = 0;
        if (r->body.len > limit) {   /* a streamed body (on_data) has no limit: nothing is kept */
            httpx__fail(&e, HTTPX_ERR_TOO_LARGE, "response body is over max_body_size (%zu)", limit);
            r->transport->cancel(ex);
            httpx__response_fail(r, &e);
            return;
        }
    }
}

static void httpx__response_on_wake(httpx__exchange *ex) {
    httpx__response *r = ex->resp;
    if (r->draining_redirect) httpx__sink_redirect(r);
    else if (ex->stream) ex->readable = true;     /* the reader pulls when it runs */
    else httpx__sink_body(r);
}

static void httpx__response_on_end(httpx__exchange *ex, httpx__err *e) {
    if (e) httpx__response_fail(ex->resp, e);
    ex->resp->pub.elapsed = httpx__now() - ex->started;
}

static const httpx__exchange_sink httpx__response_sink_ops = {
    httpx__response_on_head, httpx__response_on_wake, httpx__response_on_end
};

HTTPX__PRIVATE const httpx__exchange_sink *httpx__response_sink(void) { return &httpx__response_sink_ops; }

HTTPX__PRIVATE void httpx__response_publish(httpx__response *r) {
    if (r->body.p && !r->opts->on_data) {
        r->pub.content = r->body.p;
        r->pub.content_length = r->body.len;
    }
}

/* ---- streaming ---- */

static long httpx__read_fail(httpx__response *r, httpx__err *e) {
    r->transport->cancel(&r->ex);
    httpx__response_fail(r, e);
    return -(long)r->pub.error;
}

HTTPX_API long httpx_read(httpx_response *pub, void *buf, size_t cap) {
    httpx__response *r = httpx__resp(pub);
    httpx__err e;
    long n;
    if (!r) return -(long)HTTPX_ERR_INVALID_ARGUMENT;
    if (pub->error) return -(long)pub->error;
    memset(&e, 0, sizeof e);
    if (!r->ex.stream) {
        httpx__fail(&e, HTTPX_ERR_STREAM, "httpx_read needs a response from httpx_stream or httpx_client_stream");
        return httpx__read_fail(r, &e);
    }
    if (!buf || !cap) {
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_read needs a buffer of at least one byte");
        return httpx__read_fail(r, &e);
    }
    for (;;) {
        n = r->transport->read(&r->ex, (char *)buf, cap, &e);
        if (n > 0) r->pub.num_bytes_downloaded += n;
        if (n == 0 && httpx__response_body_short(r)) return -(long)pub->error;
        if (n >= 0) return n;
        if (n == HTTPX__BAD || pub->error) return -(long)(pub->error ? pub->error : HTTPX_ERR_READ);
        httpx__loop_until_readable(&r->ex);
        if (pub->error) return -(long)pub->error;   /* a timeout, while others were polled too */
    }
}

static size_t httpx__line_limit(const httpx__response *r) { return r->set.max_body_size; }

/* Lines come out of r->scratch: bytes before line_used were handed out last
   time; the rest is read ahead. A lone '\r' at the end of what has arrived may
   be the first half of "\r\n", so the line waits for one more byte. */
HTTPX_API const char *httpx_read_line(httpx_response *pub, size_t *len) {
    httpx__response *r = httpx__resp(pub);
    httpx__buf *s;
    size_t i;
    bool eof = false;
    if (!r) return NULL;
    s = &r->scratch;
    if (r->line_used) {
        memmove(s->p, s->p + r->line_used, s->len - r->line_used);
        s->len -= r->line_used;
        r->line_used = 0;
    }
    for (;;) {
        long n;
        for (i = 0; i < s->len; i++) {
            if (s->p[i] == '\n' || (s->p[i] == '\r' && (i + 1 < s->len || eof))) {
                size_t skip = (s->p[i] == '\r' && i + 1 < s->len && s->p[i + 1] == '\n') ? 2 : 1;
                s->p[i] = 0;
                r->line_used = i + skip;
                if (len) *len = i;
                return s->p;
            }
        }
        if (eof) break;
        if (s->len > httpx__line_limit(r)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_TOO_LARGE, "a line longer than max_body_size (%zu bytes)", httpx__line_limit(r));
            httpx__read_fail(r, &e);
            return NULL;
        }
        if (!httpx__buf_reserve(s, 4096)) return NULL;
        n = httpx_read(pub, s->p + s->len, s->cap - s->len - 1);
        if (n < 0) return NULL;
        if (n == 0) eof = true;
        s->len += (size_t)n;
        s->p[s->len] = 0;
    }
    if (!s->len) return NULL;
    r->line_used = s->len;     /* the last line had no newline */
    if (len) *len = s->len;
    return s->p;
}

/* An unread stream is drained when the rest is small and already announced,
   so its connection can serve again; otherwise the connection is closed,
   which is cheaper than reading a large body nobody wants. */
static void httpx__stream_close(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    char sink[4096];
    httpx__err e;
    long long left = r->pub.expected_length - r->pub.num_bytes_downloaded;
    if (ex->state != HTTPX__EX_BODY || !ex->stream) return;
    memset(&e, 0, sizeof e);
    if (r->pub.expected_length >= 0 && left <= 65536 && !r->client->polling) {
        for (;;) {
            long n = r->transport->read(ex, sink, sizeof sink, &e);
            if (n > 0) continue;
            if (n == HTTPX__AGAIN) { httpx__loop_until_readable(ex); continue; }
            break;
        }
    }
}

/* The decoded views (text.c makes them; they are plain memory). */
HTTPX__PRIVATE void httpx__views_free(httpx__response *r) {
    if (!r->views) return;
    httpx__buf_free(&r->views->text_buf);
    httpx__buf_free(&r->views->stream_buf);
    httpx_json_free(r->views->json);
    httpx__free(r->views);
    r->views = NULL;
}

HTTPX_API void httpx_response_free(httpx_response *pub) {
    httpx__response *r = httpx__resp(pub);
    httpx_client *owned;
    if (!r) return;
    if (r->is_task) {
        httpx_client *c = r->client;
        /* freeing another task from inside an on_done callback breaks the loop's walk */
        HTTPX_ASSERT(!c->callback_task || c->callback_task == r);
    }
    if (r->on_free) r->on_free(r);   /* a task leaves its client's list (one still running is cancelled here) */
    if (r->transport) {
        httpx__stream_close(r);
        r->transport->cancel(&r->ex);
        if (r->transport->release) r->transport->release(r);
    }
    httpx__request_free(&r->req);
    httpx__headers_clear(&r->headers);
    httpx__buf_free(&r->url_text);
    httpx__buf_free(&r->body);
    httpx__buf_free(&r->form);
    httpx__buf_free(&r->body_copy);
    httpx__buf_free(&r->scratch);
    httpx__buf_free(&r->sent_body);
    httpx__views_free(r);
    if (r->free_history) r->free_history(r);   /* the policy's own memory (history.c, links.c) */
    if (r->free_links) r->free_links(r);
    owned = r->owned_client;
    if (owned && r->free_owned) r->free_owned(owned);
    httpx__free(r);
}
/* End of response.c */

#if defined(HTTPX_LINES)
#line 17865 "httpx.h"
#endif
/* ======================================================================
   Begin file history.c   (grep anchor: >>history)
   ====================================================================== */
/* history: what a response tells of the hops before it, as HTTPX's
   r.history and r.next_request. Each redirect the hop follows is kept as a
   read-only response of its own (status, URL, headers; its body was
   dropped), made before the next hop clears r; they are freed with r.
   Private prefix: httpx__hist_. */
#if defined(HTTPX_LINES)
#line 5 "tools/src/history.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

struct httpx__history {
    httpx__response **hops;         /* oldest first */
    size_t n, cap;
    httpx__buf next_url;            /* httpx_response_next_url, made on first use */
    bool next_done;
};

static httpx__response *httpx__hist_of(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

/* A hop's response never reads or sends: any call that would reads an
   empty, ended body. */
static void httpx__hist_submit(httpx__exchange *ex) { (void)ex; }
static long httpx__hist_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    (void)ex; (void)buf; (void)cap; (void)e;
    return 0;
}
static void httpx__hist_cancel(httpx__exchange *ex) { (void)ex; }
static const httpx__transport httpx__hist_transport = {"history", httpx__hist_submit, httpx__hist_read,
                                                       httpx__hist_cancel, NULL};

static void httpx__hist_free(httpx__response *r) {
    struct httpx__history *h = r->history;
    size_t i;
    if (!h) return;
    for (i = 0; i < h->n; i++) httpx_response_free(&h->hops[i]->pub);
    httpx__free(h->hops);
    httpx__buf_free(&h->next_url);
    httpx__free(h);
    r->history = NULL;
}

static struct httpx__history *httpx__hist_get(httpx__response *r) {
    if (!r->history) {
        r->history = (struct httpx__history *)httpx__malloc(sizeof *r->history);
        if (!r->history) return NULL;
        memset(r->history, 0, sizeof *r->history);
        r->free_history = httpx__hist_free;
    }
    return r->history;
}

/* r's head as it is now, in a response of its own. */
static httpx__response *httpx__hist_copy(const httpx__response *r) {
    static httpx_opts none;         /* zero: never written */
    httpx__response *h = httpx__response_new();
    const char *name, *value;
    size_t i;
    bool ok;
    if (!h) return NULL;
    h->opts = &none;
    h->transport = &httpx__hist_transport;
    h->client = r->client;
    httpx__exchange_init(&h->ex, httpx__response_sink());
    h->pub.status_code = r->pub.status_code;
    h->pub.http_version = r->pub.http_version;        /* static text */
    h->pub.elapsed = r->pub.elapsed;
    h->pub.connection_reused = r->pub.connection_reused;
    h->pub.tls_version = r->pub.tls_version;          /* static text */
    h->pub.tls_cipher = r->pub.tls_cipher;
    h->pub.alpn = r->pub.alpn;
    httpx__headers_init(&h->headers);
    ok = httpx__buf_append(&h->url_text, r->url_text.p, r->url_text.len) &&
         httpx__buf_puts(&h->scratch, r->pub.reason_phrase);
    for (i = 0; ok && httpx_headers_at(&r->headers, i, &name, &value); i++)
        ok = httpx__headers_add_raw(&h->headers, name, strlen(name), value, strlen(value));
    if (!ok) {
        httpx_response_free(&h->pub);
        return NULL;
    }
    h->pub.url = h->url_text.p;
    h->pub.reason_phrase = h->scratch.p;
    /* what httpx_response_request shows of it: the method and the URL */
    memcpy(h->req.method, r->req.method, sizeof h->req.method);
    h->req.url_text = h->url_text.p;
    httpx__headers_init(&h->req.headers);
    return h;
}

HTTPX__PRIVATE httpx_error httpx__history_add(httpx__response *r, httpx__err *e) {
    struct httpx__history *h = httpx__hist_get(r);
    httpx__response *hop;
    if (!h) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 4;
        httpx__response **hops = (httpx__response **)httpx__realloc(h->hops, cap * sizeof *hops);
        if (!hops) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
        h->hops = hops;
        h->cap = cap;
    }
    hop = httpx__hist_copy(r);
    if (!hop) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the redirect history");
    h->hops[h->n++] = hop;
    return HTTPX_OK;
}

HTTPX_API size_t httpx_response_history_len(const httpx_response *r) {
    const httpx__response *p = httpx__hist_of(r);
    return p && p->history ? p->history->n : 0;
}

HTTPX_API const httpx_response *httpx_response_history(const httpx_response *r, size_t i) {
    const httpx__response *p = httpx__hist_of(r);
    if (!p || !p->history || i >= p->history->n) return NULL;
    return &p->history->hops[i]->pub;
}

HTTPX_API const char *httpx_response_next_url(const httpx_response *r) {
    httpx__response *p = httpx__hist_of(r);
    struct httpx__history *h;
    const char *location;
    httpx__err e;
    if (!p || !httpx_is_redirect(r) || !p->url_text.len) return NULL;
    location = httpx_header(r, "location");
    h = httpx__hist_get(p);
    if (!h) return NULL;
    if (!h->next_done) {
        memset(&e, 0, sizeof e);
        h->next_done = true;
        if (httpx__url_resolve(&h->next_url, p->url_text.p, location, &e) != HTTPX_OK) httpx__buf_free(&h->next_url);
    }
    return h->next_url.len ? h->next_url.p : NULL;
}
/* End of history.c */

#if defined(HTTPX_LINES)
#line 18008 "httpx.h"
#endif
/* ======================================================================
   Begin file links.c   (grep anchor: >>links)
   ====================================================================== */
/* links: r.links, the Link header fields (RFC 8288 section 3) parsed once,
   on first use, and kept with the response. Every Link field counts, each
   may hold several links; a link is "<URL>" and parameters "; name=value"
   (token or quoted string, backslash escapes undone). The URL stays as
   written, as HTTPX's response.links keeps it. A link that does not start
   with '<' is skipped up to the next comma outside quotes: a server's bad
   link never hides the good ones. Private prefix: httpx__lk_. */
#if defined(HTTPX_LINES)
#line 7 "tools/src/links.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

/* Offsets into the text while it grows; pointers once it is complete. */
typedef struct httpx__lk_rec { size_t url, first, count; } httpx__lk_rec;
typedef struct httpx__lk_param { size_t name, value; } httpx__lk_param;

struct httpx__links {
    httpx_link *items;
    httpx_pair *pairs;              /* each link's params, {0}-terminated, one after another */
    size_t n;
    httpx__buf text;                /* every string, NUL-terminated */
    bool failed;                    /* out of memory: no links */
};

typedef struct httpx__lk_parse {
    httpx__buf text, recs, params;  /* recs and params: arrays of the structs above */
    bool ok;
} httpx__lk_parse;

static httpx__response *httpx__lk_of(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

static bool httpx__lk_ows(char c) { return c == ' ' || c == '\t'; }

/* Appends s[0..n) (lowered when asked) and a NUL; returns its offset. */
static size_t httpx__lk_put(httpx__lk_parse *p, const char *s, size_t n, bool lower) {
    size_t at = p->text.len, i;
    for (i = 0; i < n; i++) {
        char c = lower ? (char)httpx__lower((unsigned char)s[i]) : s[i];
        p->ok = p->ok && httpx__buf_putc(&p->text, c);
    }
    p->ok = p->ok && httpx__buf_putc(&p->text, 0);
    return at;
}

/* A parameter's value at s[*i..n): a quoted string (escapes undone) or a
   token up to ';', ',' or white space. */
static size_t httpx__lk_value(httpx__lk_parse *p, const char *s, size_t n, size_t *i) {
    size_t at = p->text.len, j = *i;
    if (j < n && s[j] == '"') {
        for (j++; j < n && s[j] != '"'; j++) {
            if (s[j] == '\\' && j + 1 < n) j++;
            p->ok = p->ok && httpx__buf_putc(&p->text, s[j]);
        }
        if (j < n) j++;                 /* the closing quote */
    } else {
        for (; j < n && s[j] != ';' && s[j] != ',' && !httpx__lk_ows(s[j]); j++)
            p->ok = p->ok && httpx__buf_putc(&p->text, s[j]);
    }
    p->ok = p->ok && httpx__buf_putc(&p->text, 0);
    *i = j;
    return at;
}

/* Past the rest of a link: to the comma that ends it, outside quotes. */
static size_t httpx__lk_skip(const char *s, size_t n, size_t i) {
    bool quoted = false;
    for (; i < n; i++) {
        if (quoted && s[i] == '\\') i++;
        else if (s[i] == '"') quoted = !quoted;
        else if (!quoted && s[i] == ',') break;
    }
    return i;
}

/* The parameters after a link's URL, from s[*i]. */
static void httpx__lk_params(httpx__lk_parse *p, httpx__lk_rec *rec, const char *s, size_t n, size_t *i) {
    size_t j = *i;
    for (;;) {
        httpx__lk_param prm;
        size_t start;
        while (j < n && httpx__lk_ows(s[j])) j++;
        if (j >= n || s[j] != ';') break;
        j++;
        while (j < n && httpx__lk_ows(s[j])) j++;
        start = j;
        while (j < n && s[j] != '=' && s[j] != ';' && s[j] != ',' && !httpx__lk_ows(s[j])) j++;
        if (j == start) continue;       /* "; ;" */
        prm.name = httpx__lk_put(p, s + start, j - start, true);
        while (j < n && httpx__lk_ows(s[j])) j++;
        if (j < n && s[j] == '=') {
            j++;
            while (j < n && httpx__lk_ows(s[j])) j++;
            prm.value = httpx__lk_value(p, s, n, &j);
        } else {
            prm.value = httpx__lk_put(p, "", 0, false);
        }
        p->ok = p->ok && httpx__buf_append(&p->params, &prm, sizeof prm);
        rec->count++;
    }
    *i = j;
}

/* One Link field's links. */
static void httpx__lk_field(httpx__lk_parse *p, const char *s) {
    size_t n = strlen(s), i = 0;
    while (i < n && p->ok) {
        httpx__lk_rec rec;
        const char *end;
        while (i < n && (httpx__lk_ows(s[i]) || s[i] == ',')) i++;
        if (i >= n) break;
        end = s[i] == '<' ? (const char *)memchr(s + i, '>', n - i) : NULL;
        if (!end) {                     /* not a link: on to the next one */
            i = httpx__lk_skip(s, n, i);
            continue;
        }
        rec.url = httpx__lk_put(p, s + i + 1, (size_t)(end - s) - i - 1, false);
        rec.first = p->params.len / sizeof(httpx__lk_param);
        rec.count = 0;
        i = (size_t)(end - s) + 1;
        httpx__lk_params(p, &rec, s, n, &i);
        p->ok = p->ok && httpx__buf_append(&p->recs, &rec, sizeof rec);
        i = httpx__lk_skip(s, n, i);
    }
}

static void httpx__lk_free(httpx__response *r) {
    if (!r->links) return;
    httpx__free(r->links->items);
    httpx__free(r->links->pairs);
    httpx__buf_free(&r->links->text);
    httpx__free(r->links);
    r->links = NULL;
}

/* Offsets become pointers, now that the text stops moving. */
static bool httpx__lk_finish(struct httpx__links *l, httpx__lk_parse *p) {
    const httpx__lk_rec *recs = (const httpx__lk_rec *)(void *)p->recs.p;
    const httpx__lk_param *prm = (const httpx__lk_param *)(void *)p->params.p;
    size_t nparams = p->params.len / sizeof *prm, i, k, at = 0;
    l->n = p->recs.len / sizeof *recs;
    l->text = p->text;
    memset(&p->text, 0, sizeof p->text);
    if (!l->n) return true;
    l->items = (httpx_link *)httpx__malloc(l->n * sizeof *l->items);
    l->pairs = (httpx_pair *)httpx__malloc((nparams + l->n) * sizeof *l->pairs);
    if (!l->items || !l->pairs) return false;
    for (i = 0; i < l->n; i++) {
        httpx_link *it = &l->items[i];
        it->url = l->text.p + recs[i].url;
        it->rel = NULL;
        it->params = l->pairs + at;
        for (k = 0; k < recs[i].count; k++, at++) {
            l->pairs[at].name = l->text.p + prm[recs[i].first + k].name;
            l->pairs[at].value = l->text.p + prm[recs[i].first + k].value;
            if (!it->rel && !strcmp(l->pairs[at].name, "rel")) it->rel = l->pairs[at].value;
        }
        l->pairs[at].name = l->pairs[at].value = NULL;
        at++;
    }
    return true;
}

static struct httpx__links *httpx__lk_get(const httpx_response *pub) {
    httpx__response *r = httpx__lk_of(pub);
    struct httpx__links *l;
    httpx__lk_parse p;
    const char *v;
    size_t i;
    if (!r) return NULL;
    if (r->links) return r->links->failed ? NULL : r->links;
    l = (struct httpx__links *)httpx__malloc(sizeof *l);
    if (!l) return NULL;
    memset(l, 0, sizeof *l);
    r->links = l;
    r->free_links = httpx__lk_free;
    memset(&p, 0, sizeof p);
    p.ok = true;
    for (i = 0; p.ok && (v = httpx_headers_get_nth(&r->headers, "link", i)) != NULL; i++) httpx__lk_field(&p, v);
    l->failed = !p.ok || !httpx__lk_finish(l, &p);
    httpx__buf_free(&p.text);
    httpx__buf_free(&p.recs);
    httpx__buf_free(&p.params);
    return l->failed ? NULL : l;
}

HTTPX_API size_t httpx_response_links_len(const httpx_response *r) {
    struct httpx__links *l = httpx__lk_get(r);
    return l ? l->n : 0;
}

HTTPX_API bool httpx_response_link(const httpx_response *r, size_t i, httpx_link *out) {
    struct httpx__links *l = httpx__lk_get(r);
    if (!l || i >= l->n) return false;
    if (out) *out = l->items[i];
    return true;
}

/* Whether the space-separated list rels holds rel (case-insensitive). */
static bool httpx__lk_rel_has(const char *rels, const char *rel) {
    size_t n = strlen(rel);
    while (*rels) {
        size_t k = 0;
        while (*rels == ' ' || *rels == '\t') rels++;
        while (rels[k] && rels[k] != ' ' && rels[k] != '\t') k++;
        if (k && k == n && httpx__mem_ieq(rels, rel, n)) return true;
        rels += k;
    }
    return false;
}

HTTPX_API const char *httpx_response_link_url(const httpx_response *r, const char *rel) {
    struct httpx__links *l = httpx__lk_get(r);
    size_t i;
    if (!l || !rel) return NULL;
    for (i = 0; i < l->n; i++)
        if (l->items[i].rel && httpx__lk_rel_has(l->items[i].rel, rel)) return l->items[i].url;
    return NULL;
}

HTTPX_API const char *httpx_link_param(const httpx_link *l, const char *name) {
    const httpx_pair *p;
    size_t n;
    if (!l || !name) return NULL;
    n = strlen(name);
    for (p = l->params; p && p->name; p++)
        if (strlen(p->name) == n && httpx__mem_ieq(p->name, name, n)) return p->value;
    return NULL;
}
/* End of links.c */

#if defined(HTTPX_LINES)
#line 18246 "httpx.h"
#endif
/* ======================================================================
   Begin file mock.c   (grep anchor: >>mock)
   ====================================================================== */
/* mock: a transport that answers from memory (HTTPX's MockTransport). Each
   hop calls the user's handler with the request as sent and a reply to
   fill; the reply's head goes through the same door as a network head and
   its body comes out of read, so every policy above runs unchanged. It
   answers at once: submit ends in BODY (or DONE), never in a wait.
   Private prefix: httpx__mock_. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/mock.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

static httpx__err *httpx__mock_err(httpx_mock_reply *p) { return &p->err; }

HTTPX_API void httpx_reply_status(httpx_mock_reply *p, int status_code) {
    if (!p) return;
    if ((status_code < 100 || status_code > 999) && !p->err.code)
        httpx__fail(httpx__mock_err(p), HTTPX_ERR_INVALID_ARGUMENT,
                    "the mock handler answered status %d: give 100..999", status_code);
    p->status = status_code;
}

HTTPX_API void httpx_reply_header(httpx_mock_reply *p, const char *name, const char *value) {
    httpx_error err;
    if (!p || p->err.code) return;
    err = httpx_headers_add(&p->headers, name ? name : "", value ? value : "");
    if (err == HTTPX_ERR_NOMEM)
        httpx__fail(&p->err, err, "out of memory for the mock reply's headers");
    else if (err)
        httpx__fail(&p->err, err, "the mock handler's header '%.60s' is not a valid field (a token name, "
                    "a value without CR, LF or NUL)", name ? name : "(null)");
}

HTTPX_API void httpx_reply_body(httpx_mock_reply *p, const void *data, size_t len) {
    if (!p || p->err.code) return;
    if (!data) data = "";
    if (!len) len = strlen((const char *)data);
    httpx__buf_clear(&p->body);
    if (len && !httpx__buf_append(&p->body, data, len)) httpx__fail(&p->err, HTTPX_ERR_NOMEM, "out of memory for the mock reply's body");
}

HTTPX_API void httpx_reply_json(httpx_mock_reply *p, int status_code, const char *json) {
    httpx_reply_status(p, status_code);
    httpx_reply_header(p, "Content-Type", "application/json");
    httpx_reply_body(p, json ? json : "null", 0);
}

HTTPX_API void httpx_reply_error(httpx_mock_reply *p, httpx_error code, const char *message) {
    if (!p || p->err.code) return;
    if (code == HTTPX_OK) code = HTTPX_ERR_INVALID_ARGUMENT;
    httpx__fail(&p->err, code, "%s", message ? message : httpx_strerror(code));
}

/* ---- the transport ---- */

/* The reason phrase HTTPX gives a Response(status) (RFC 9110's); "" for
   codes without one. */
static const char *httpx__mock_reason(int status) {
    static const struct { int code; const char *text; } t[] = {
        {100, "Continue"}, {101, "Switching Protocols"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
        {203, "Non-Authoritative Information"}, {204, "No Content"}, {205, "Reset Content"},
        {206, "Partial Content"}, {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"},
        {303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
        {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"}, {409, "Conflict"},
        {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"}, {413, "Content Too Large"},
        {415, "Unsupported Media Type"}, {418, "I'm a teapot"}, {422, "Unprocessable Content"},
        {429, "Too Many Requests"}, {500, "Internal Server Error"}, {501, "Not Implemented"},
        {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].code == status) return t[i].text;
    return "";
}

static httpx_mock_reply *httpx__mock_reply_of(httpx__response *r) {
    if (!r->mock) {
        r->mock = (httpx_mock_reply *)httpx__malloc(sizeof *r->mock);
        if (!r->mock) return NULL;
        memset(r->mock, 0, sizeof *r->mock);
        httpx__headers_init(&r->mock->headers);
    }
    r->mock->status = 200;
    r->mock->body_off = 0;
    httpx__headers_clear(&r->mock->headers);
    httpx__buf_clear(&r->mock->body);
    memset(&r->mock->err, 0, sizeof r->mock->err);
    return r->mock;
}

/* A streamed body (upload, files) is read whole, so that the handler sees
   the bytes: bounded by the client's max_body_size, as a body kept in
   memory is. */
static httpx_error httpx__mock_take_body(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    size_t off = 0, limit = r->client->opts.max_body_size;
    if (q->body || !q->has_body) return HTTPX_OK;
    httpx__buf_clear(&r->sent_body);
    for (;;) {
        long n;
        if (!httpx__buf_reserve(&r->sent_body, 16384))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
        n = httpx__request_body_read(q, &off, r->sent_body.p + r->sent_body.len,
                                     r->sent_body.cap - r->sent_body.len - 1, e);
        if (n < 0) return e->code ? e->code : HTTPX_ERR_WRITE;
        if (n == 0) break;
        r->sent_body.len += (size_t)n;
        if (r->sent_body.len > limit)
            return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the request body is over max_body_size (%zu) "
                               "for the mock transport", limit);
    }
    httpx__buf_reserve(&r->sent_body, 0);
    q->body = r->sent_body.p ? r->sent_body.p : "";
    q->body_len = r->sent_body.len;
    return HTTPX_OK;
}

/* The reply's fields as the door takes them, with Content-Length added
   when the handler gave none. */
static httpx_error httpx__mock_head(httpx__exchange *ex, httpx_mock_reply *p, httpx__err *e) {
    httpx__field_view inline_views[32], *views = inline_views;
    size_t i, n = httpx_headers_count(&p->headers);
    char length[24];
    const char *cl = httpx_headers_get(&p->headers, "content-length");
    httpx__head h;
    httpx_error err;
    memset(&h, 0, sizeof h);
    if (n + 1 > sizeof inline_views / sizeof inline_views[0]) {
        views = (httpx__field_view *)httpx__malloc((n + 1) * sizeof *views);
        if (!views) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the mock reply's headers");
    }
    for (i = 0; i < n; i++) {
        const char *name, *value;
        httpx_headers_at(&p->headers, i, &name, &value);
        views[i].name = name;
        views[i].name_len = strlen(name);
        views[i].value = value;
        views[i].value_len = strlen(value);
    }
    h.expected_length = (long long)p->body.len;
    if (cl) {
        char *end;
        h.expected_length = strtoll(cl, &end, 10);
        if (end == cl || *end || h.expected_length < 0) h.expected_length = -1;
    } else {
        snprintf(length, sizeof length, "%zu", p->body.len);
        views[n].name = "content-length";
        views[n].name_len = 14;
        views[n].value = length;
        views[n].value_len = strlen(length);
        n++;
    }
    if (ex->req->head) h.expected_length = 0;   /* a HEAD answer has no body, as on the wire */
    h.status = p->status;
    h.version = "HTTP/1.1";
    h.reason = httpx__mock_reason(p->status);
    h.reason_len = strlen(h.reason);
    h.fields = views;
    h.nfields = n;
    err = httpx__exchange_head(ex, &h, e);   /* the same door as the network's (ex goes to BODY) */
    if (views != inline_views) httpx__free(views);
    return err;
}

static void httpx__mock_submit(httpx__exchange *ex) {
    httpx__response *r = ex->resp;
    httpx_client *c = ex->client;
    httpx_mock_reply *p;
    httpx__err e;
    memset(&e, 0, sizeof e);
    ex->started = httpx__now();
    ex->readable = false;
    ex->reused = ex->retried = false;
    ex->deadline = 0;
    /* the states a network exchange passes, without the pool: it is never
       on the client's live list, so the loop has nothing to place or time */
    httpx__exchange_set_state(ex, HTTPX__EX_QUEUED);
    httpx__exchange_set_state(ex, HTTPX__EX_SENDING);
    p = httpx__mock_reply_of(r);
    if (!p) {
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the mock reply");
        httpx__exchange_end(ex, &e);
        return;
    }
    if (httpx__mock_take_body(r, &e)) { httpx__exchange_end(ex, &e); return; }
    c->opts.mock(c->opts.mock_user_data, &r->req, p);
    if (p->err.code) { httpx__exchange_end(ex, &p->err); return; }
    if (r->req.head) httpx__buf_clear(&p->body);   /* a HEAD answer has no body, as on the wire */
    if (httpx__mock_head(ex, p, &e)) { httpx__exchange_end(ex, &e); return; }
    httpx__exchange_wake(ex);
}

static long httpx__mock_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e) {
    httpx_mock_reply *p = ex->resp->mock;
    size_t left;
    (void)e;
    if (ex->state != HTTPX__EX_BODY) return 0;
    left = p->body.len - p->body_off;
    if (!left) {
        httpx__exchange_end(ex, NULL);
        return 0;
    }
    if (cap > left) cap = left;
    memcpy(buf, p->body.p + p->body_off, cap);
    p->body_off += cap;
    return (long)cap;
}

static void httpx__mock_cancel(httpx__exchange *ex) { httpx__exchange_abandon(ex); }

static void httpx__mock_release(httpx__response *r) {
    if (!r->mock) return;
    httpx__headers_clear(&r->mock->headers);
    httpx__buf_free(&r->mock->body);
    httpx__free(r->mock);
    r->mock = NULL;
}

HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void) {
    static const httpx__transport mock = {"mock", httpx__mock_submit, httpx__mock_read, httpx__mock_cancel,
                                          httpx__mock_release};
    return &mock;
}
/* End of mock.c */

#if defined(HTTPX_LINES)
#line 18478 "httpx.h"
#endif
/* ======================================================================
   Begin file hop_cookies.c   (grep anchor: >>hop_cookies)
   ====================================================================== */
/* hop_cookies: the client's cookie jar (cookie.c) in each hop, as HTTPX's
   Client keeps one: every response head, a followed redirect's too, stores
   its Set-Cookie fields; every request, each hop of a redirect too, carries
   the cookies the jar holds for its URL, so that a login that sets a
   cookie and redirects works in one call. One-shot calls have a jar of
   their own client, thrown away with it. Private prefix: httpx__hc_. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/hop_cookies.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "cookie_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
#include <time.h>

#ifndef HTTPX_COOKIE_MAX_HEADER
/* Bytes of the Cookie value made from the jar and .cookies. 8 KiB is what
   common servers take in one header line (nginx's default buffer, Apache's
   LimitRequestFieldSize); a longer one would be refused there anyway, so it
   fails here first, saying why, instead of leaving cookies out silently. */
#define HTTPX_COOKIE_MAX_HEADER 8192
#endif

HTTPX_API httpx_cookies *httpx_client_cookies(httpx_client *c) { return c ? c->jar : NULL; }

#ifndef HTTPX_NO_COOKIES

HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c) {
    const httpx_pair *p;
    if (c->opts.no_cookies) {
        if (c->opts.cookies && c->opts.cookies->name)
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                        "httpx_client_opts.cookies needs the cookie jar, but no_cookies is set");
        return true;
    }
    c->jar = c->opts.cookie_jar;
    if (!c->jar) {
        c->jar = httpx_cookies_new();
        if (!c->jar) return false;
        c->jar_owned = true;
    }
    for (p = c->opts.cookies; p && p->name; p++) {
        httpx_error err = httpx_cookies_set(c->jar, p->name, p->value, "", "/");
        if (err == HTTPX_ERR_NOMEM) return false;
        if (err) {
            httpx__fail(&c->config_error, err, "httpx_client_opts.cookies: cookie '%.60s' is not valid (a name "
                        "without '=', ';' or control characters; a value without ';')", p->name);
            return true;
        }
    }
    return true;
}

HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c) {
    if (c->jar_owned) httpx_cookies_free(c->jar);
    c->jar = NULL;
    c->jar_owned = false;
}

static bool httpx__hc_valid(const char *s, bool name) {
    if (name && !*s) return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ';' || (name && *s == '=')) return false;
    return true;
}

static bool httpx__hc_named(const httpx_pair *mine, const char *name, size_t n) {
    for (; mine && mine->name; mine++)
        if (strlen(mine->name) == n && !memcmp(mine->name, name, n)) return true;
    return false;
}

/* The request's .cookies after the jar's cookies (jar, "a=1; b=2") that
   they do not name: theirs win by name, as HTTPX merges them. */
static bool httpx__hc_merge(httpx__buf *out, const httpx__buf *jar, const httpx_pair *mine) {
    const char *s = jar->p, *end = jar->p + jar->len;
    bool ok = true;
    while (s && s < end) {
        const char *stop = strstr(s, "; "), *eq;
        size_t n;
        if (!stop) stop = end;
        eq = (const char *)memchr(s, '=', (size_t)(stop - s));
        n = eq ? (size_t)(eq - s) : 0;
        if (!httpx__hc_named(mine, s, n)) {
            if (out->len) ok = ok && httpx__buf_puts(out, "; ");
            ok = ok && httpx__buf_append(out, s, (size_t)(stop - s));
        }
        s = stop + 2;
    }
    for (; mine && mine->name; mine++) {
        if (out->len) ok = ok && httpx__buf_puts(out, "; ");
        ok = ok && httpx__buf_puts(out, mine->name) && httpx__buf_putc(out, '=') &&
             httpx__buf_puts(out, mine->value ? mine->value : "");
    }
    return ok;
}

HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    httpx_cookies *jar = r->client->jar;
    const httpx_pair *mine = q->strip_credentials ? NULL : r->opts->cookies, *p;
    httpx__buf from_jar, value;
    httpx_error err = HTTPX_OK;
    bool ok = true;
    for (p = mine; p && p->name; p++)
        if (!httpx__hc_valid(p->name, true) || !httpx__hc_valid(p->value ? p->value : "", false))
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_opts.cookies: cookie '%.60s' is not valid (a "
                               "name without '=', ';' or control characters; a value without ';')", p->name);
    /* the caller's own Cookie field is theirs to send, as HTTPX (urllib's
       add_cookie_header) leaves it alone */
    if (httpx_headers_get(&q->headers, "cookie")) return HTTPX_OK;
    if (!jar && !(mine && mine->name)) return HTTPX_OK;
    memset(&from_jar, 0, sizeof from_jar);
    memset(&value, 0, sizeof value);
    if (jar) ok = httpx__cookies_header(jar, &q->url, (int64_t)time(NULL), &from_jar);
    ok = ok && httpx__hc_merge(&value, &from_jar, mine);
    if (!ok)
        err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Cookie header");
    else if (value.len > HTTPX_COOKIE_MAX_HEADER)
        err = httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the Cookie header for this URL would be %zu bytes, over "
                          "HTTPX_COOKIE_MAX_HEADER (%d): clear cookies from the jar (httpx_client_cookies)",
                          value.len, HTTPX_COOKIE_MAX_HEADER);
    else if (value.len && !httpx__headers_add_raw(&q->headers, "Cookie", 6, value.p, value.len))
        err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Cookie header");
    httpx__buf_free(&from_jar);
    httpx__buf_free(&value);
    return err;
}

HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e) {
    httpx_cookies *jar = r->client->jar;
    if (!jar || r->cookies_taken || !r->pub.status_code) return HTTPX_OK;
    r->cookies_taken = true;
    if (httpx__cookies_store_headers(jar, &r->req.url, &r->headers, (int64_t)time(NULL)) != HTTPX_OK)
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing the response's cookies");
    return HTTPX_OK;
}

#else /* HTTPX_NO_COOKIES: no jar; cookies asked for fail rather than vanish */

HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c) {
    if (c->opts.cookies && c->opts.cookies->name)
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts.cookies: this build has no cookies (HTTPX_NO_COOKIES)");
    return true;
}
HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c) { (void)c; }
HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e) {
    if (r->opts->cookies && r->opts->cookies->name)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_opts.cookies: this build has no cookies (HTTPX_NO_COOKIES)");
    return HTTPX_OK;
}
HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e) {
    (void)r; (void)e;
    return HTTPX_OK;
}

#endif /* HTTPX_NO_COOKIES */
/* End of hop_cookies.c */

#if defined(HTTPX_LINES)
#line 18645 "httpx.h"
#endif
/* ======================================================================
   Begin file hop.c   (grep anchor: >>hop)
   ====================================================================== */
/* hop: one hop of the policy layer, the same for both faces (HTTPX's
   Client._send_single_request and the redirect loop around it):

     1. build the request value (request.c: httpx__begin for the first hop,
        the redirect decision below for the next ones);
     2. the jar's cookies into the request (hop_cookies.c); [the next
        issue: request hooks, an auth flow's step: see httpx__hop_send];
     3. send it through the client's transport (the network: the pool and
        the protocol slot; or the mock);
     4. the head comes in through the door (response.c), as values (its
        Set-Cookie fields go to the jar: httpx__hop_head_in), which
        also notes whether it is a redirect to follow;
     5. decide on the redirect: the next hop's request, back to 2;
     6. publish the response.

   The blocking face waits for each hop with httpx__hop_run; the task face
   sends with httpx__hop_send and settles with httpx__hop_settle from its
   hook around a loop pass. Private prefix: httpx__hop_. */
#if defined(HTTPX_LINES)
#line 18 "tools/src/hop.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "headers_internal.h": earlier in httpx.h */
/* #include "multipart_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

/* ---- the network transport: the pool and the protocol slot ---- */

HTTPX__PRIVATE const httpx__transport *httpx__network_transport(void) {
    static const httpx__transport net = {"network", httpx__exchange_submit, httpx__exchange_read,
                                         httpx__exchange_abandon, NULL};
    return &net;
}

/* ---- the hop ---- */

/* A hop that fails before it goes: r holds why, its exchange is DONE. */
static void httpx__hop_refuse(httpx__response *r, httpx__err *e) {
    httpx__response_fail(r, e);
    if (r->ex.state != HTTPX__EX_DONE) httpx__exchange_set_state(&r->ex, HTTPX__EX_DONE);
}

HTTPX__PRIVATE void httpx__hop_send(httpx__response *r) {
    httpx__err e;
    if (r->pub.error) return;   /* the request could not be built: r holds why (its exchange is DONE) */
    memset(&e, 0, sizeof e);
    /* the jar's cookies first, so that request hooks and auth see the
       request as it goes (HTTPX sets Cookie when it builds a request) */
    if (httpx__hop_cookies_out(r, &e)) {
        httpx__hop_refuse(r, &e);
        return;
    }
    /* Here the next issue's request hooks and auth flow see the built
       request (r->req) before it goes. */
    r->transport->submit(&r->ex);
}

/* A hop's head is in (or the hop ended without one): what the policy
   takes from every head, redirects' too. */
static void httpx__hop_head_in(httpx__response *r) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (httpx__hop_cookies_in(r, &e)) {
        r->transport->cancel(&r->ex);
        httpx__response_fail(r, &e);
    }
}

static bool httpx__hop_same_origin(const httpx__url *a, const httpx__url *b) {
    return a->is_https == b->is_https && a->port == b->port && a->host.n == b->host.n &&
           httpx__mem_ieq(a->host.p, b->host.p, a->host.n);
}

static bool httpx__hop_fail(httpx__response *r, httpx__err *e) {
    httpx__response_fail(r, e);
    return false;
}

/* The request's body for a hop that becomes GET: none. */
static void httpx__hop_drop_body(httpx__request *q) {
    strcpy(q->method, "GET");
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    q->body = NULL;
    q->body_len = 0;
    q->upload = NULL;
    q->body_length = -1;
    q->has_body = false;
    q->content_type = NULL;
}

/* What the last hop left in r (its head, body, status) is cleared so that
   the next hop fills r afresh: a redirect's, and (the next issue) an auth
   flow's round or a retry's. The request (r->req) and the URL stay as the
   caller left them. */
static void httpx__hop_reset(httpx__response *r) {
    httpx__headers_clear(&r->headers);
    httpx__buf_clear(&r->body);
    r->pub.status_code = 0;
    r->pub.reason_phrase = "";          /* it lived in the header text just cleared */
    r->pub.http_version = "";
    r->pub.num_bytes_downloaded = 0;
    r->pub.expected_length = -1;
    r->pub.url = r->url_text.p;
    r->draining_redirect = false;
    r->cookies_taken = false;
}

/* An https:// page that redirects to http:// would send what follows in
   clear text: only when the client allows it. */
static httpx_error httpx__hop_downgrade(httpx__response *r, const char *next, httpx__err *e) {
    bool to_http = strlen(next) > 7 && httpx__mem_ieq(next, "http://", 7);
    if (!r->req.url.is_https || !to_http || r->client->opts.allow_https_downgrade) return HTTPX_OK;
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL, "refused a redirect from https to http (%.120s): "
                       "set httpx_client_opts.allow_https_downgrade to follow it", next);
}

/* A 307/308 sends the body again: a streamed upload only when the caller
   can rewind it (httpx_opts.upload_rewind). */
static httpx_error httpx__hop_rewind(httpx__response *r, int code, httpx__err *e) {
    httpx__request *q = &r->req;
    int rc;
    if (!q->upload || !r->opts->upload_rewind)
        return httpx__fail(e, HTTPX_ERR_STREAM, "cannot replay a streamed request body to follow a %d redirect%s",
                           code, q->upload ? " (give httpx_opts.upload_rewind to allow it)" : "");
    rc = r->opts->upload_rewind(q->upload_user_data);
    if (rc != 0)
        return httpx__fail(e, HTTPX_ERR_STREAM, "the upload_rewind callback returned %d: cannot follow the %d redirect",
                           rc, code);
    q->body = NULL;             /* the mock kept the bytes it read: read them afresh */
    q->body_len = 0;
    return HTTPX_OK;
}

/* Step 5: r's exchange ended on a redirect to follow. Builds the next
   hop's request and sends it; false (r failed, or it was no redirect to
   follow) when r is final. */
static bool httpx__hop_redirect(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx__request *q = &r->req;
    const char *location = httpx_header(&r->pub, "location");
    int code = r->pub.status_code;
    httpx__buf next;
    httpx__url old = q->url;
    httpx__err e;
    char old_host[256];
    if (ex->state != HTTPX__EX_DONE || r->pub.error || !r->draining_redirect || !location) return false;
    memset(&e, 0, sizeof e);
    memset(&next, 0, sizeof next);
    if (++r->redirects > r->set.max_redirects) {
        httpx__fail(&e, HTTPX_ERR_TOO_MANY_REDIRECTS, "exceeded %d redirects (max_redirects)", r->set.max_redirects);
        return httpx__hop_fail(r, &e);
    }
    if (httpx__url_resolve(&next, r->url_text.p, location, &e) || httpx__hop_downgrade(r, next.p, &e)) {
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    /* 303, and 301/302 after POST, become GET without a body, as browsers and HTTPX do */
    if ((code == 303 && strcmp(q->method, "HEAD") != 0) || ((code == 301 || code == 302) && !strcmp(q->method, "POST"))) {
        httpx__hop_drop_body(q);
    } else if (!q->replayable && httpx__hop_rewind(r, code, &e)) {
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    if (httpx__history_add(r, &e)) {    /* r.history: this hop, before r is cleared for the next */
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    /* remember the old origin: its views die with the old URL text */
    if (old.host.n >= sizeof old_host) old.host.n = sizeof old_host - 1;
    memcpy(old_host, old.host.p, old.host.n);
    old.host.p = old_host;
    httpx__buf_clear(&r->url_text);
    httpx__buf_append(&r->url_text, next.p, next.len);
    httpx__buf_free(&next);
    httpx__hop_reset(r);
    if (httpx__url_parse(&q->url, r->url_text.p, r->url_text.len, &e)) return httpx__hop_fail(r, &e);
    /* credentials stay with their origin; once dropped they stay dropped */
    if (!httpx__hop_same_origin(&old, &q->url)) q->strip_credentials = true;
    if (httpx__request_build(r, &e)) return httpx__hop_fail(r, &e);
    r->pub.url = r->url_text.p;
    httpx__hop_send(r);
    return true;
}

/* Step 6. The request stays for httpx_response_request; only its body
   source is let go (a multipart body's open files). */
static void httpx__hop_publish(httpx__response *r) {
    httpx__request *q = &r->req;
    httpx__response_publish(r);
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    q->upload = NULL;
}

HTTPX__PRIVATE bool httpx__hop_settle(httpx__response *r) {
    /* a transport that answers at once (the mock) ends the next hop inside
       the redirect step: go on while that happens */
    for (;;) {
        if (r->ex.state != HTTPX__EX_DONE) return false;
        httpx__hop_head_in(r);
        if (!httpx__hop_redirect(r)) break;
    }
    httpx__hop_publish(r);
    return true;
}

HTTPX__PRIVATE void httpx__hop_run(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx__hop_send(r);
    for (;;) {
        httpx__loop_until(ex, ex->stream ? HTTPX__EX_BODY : HTTPX__EX_DONE);
        /* a redirect's body is dropped before the next hop, stream or not */
        if (r->draining_redirect && ex->state != HTTPX__EX_DONE) httpx__loop_until(ex, HTTPX__EX_DONE);
        httpx__hop_head_in(r);
        if (ex->state != HTTPX__EX_DONE) return;     /* a stream: the reader takes the body */
        if (!httpx__hop_redirect(r)) break;
    }
    httpx__hop_publish(r);
}
/* End of hop.c */

#if defined(HTTPX_LINES)
#line 18874 "httpx.h"
#endif
/* ======================================================================
   Begin file client.c   (grep anchor: >>client)
   ====================================================================== */
/* client: shared configuration, URL and option merging, and the blocking
   face (one-shot calls and httpx_client_*), which runs the same hop
   (hop.c) as the task face, waiting until its request is done. */
#if defined(HTTPX_LINES)
#line 3 "tools/src/client.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "url_internal.h": earlier in httpx.h */
/* #include "h1_internal.h": earlier in httpx.h */
/* #include "net_internal.h": earlier in httpx.h */
/* #include "tls_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */

static httpx_opts httpx__no_opts;   /* zero: every default (never written) */

static bool httpx__auth_kind_known(httpx_auth_kind k) {
    return k == HTTPX_AUTH_INHERIT || k == HTTPX_AUTH_NONE || k == HTTPX_AUTH_BASIC || k == HTTPX_AUTH_BEARER;
}

/* ---- the client ---- */

static const char *httpx__getenv(void *ctx, const char *name) {
    (void)ctx;
    return getenv(name);
}

static double httpx__timeout_default(double v) { return v == 0 ? 5.0 : v < 0 ? -1 : v; }

/* All defaults in one place: a zeroed httpx_client_opts is a usable client. */
static void httpx__client_defaults(httpx_client_opts *o) {
    o->timeout.connect = httpx__timeout_default(o->timeout.connect);
    o->timeout.read = httpx__timeout_default(o->timeout.read);
    o->timeout.write = httpx__timeout_default(o->timeout.write);
    o->timeout.pool = httpx__timeout_default(o->timeout.pool);
    o->timeout.total = o->timeout.total > 0 ? o->timeout.total : -1;   /* unlike the others: none by default */
    if (o->limits.max_connections <= 0) o->limits.max_connections = 100;
    if (o->limits.max_keepalive_connections <= 0) o->limits.max_keepalive_connections = 20;
    if (o->limits.keepalive_expiry <= 0) o->limits.keepalive_expiry = 5.0;
    if (o->limits.max_headers <= 0) o->limits.max_headers = HTTPX__MAX_HEADERS_DEFAULT;
    if (o->max_redirects <= 0) o->max_redirects = 20;
    if (!o->max_head_size) o->max_head_size = 64 * 1024;
    if (!o->max_body_size) o->max_body_size = (size_t)1 << 30;
    if (!o->user_agent) o->user_agent = "httpx.h/" HTTPX_VERSION;
}

HTTPX__PRIVATE size_t httpx__pairs_size(const httpx_pair *p, size_t *count) {
    size_t n = 0;
    *count = 0;
    for (; p && p->name; p++, (*count)++) n += strlen(p->name) + 1 + strlen(p->value ? p->value : "") + 1;
    return n;
}

/* Copies a {0}-terminated pair array into `pairs`, its strings into *store. */
HTTPX__PRIVATE void httpx__pairs_copy(httpx_pair *pairs, const httpx_pair *src, char **store) {
    size_t n;
    for (; src && src->name; src++, pairs++) {
        n = strlen(src->name) + 1;
        memcpy(*store, src->name, n);
        pairs->name = *store;
        *store += n;
        n = strlen(src->value ? src->value : "") + 1;
        memcpy(*store, src->value ? src->value : "", n);
        pairs->value = *store;
        *store += n;
    }
    pairs->name = pairs->value = NULL;
}

/* The protocols a connection of c may speak, most preferred first; the
   connection chooses among them (conn.c names none). HTTP/1.1 is last: what
   a connection speaks when nothing else was chosen. */
static void httpx__client_protocols(httpx_client *c) {
    int n = 0;
    if (httpx__h2_protocol()) c->protocols[n++] = httpx__h2_protocol();
    c->protocols[n++] = httpx__h1_protocol();
    c->protocols[n] = NULL;
}

HTTPX_API httpx_client *httpx_client_new(const httpx_client_opts *opt) {
    httpx_client *c = (httpx_client *)httpx__malloc(sizeof *c);
    size_t nh, np, sh, sp, su;
    char *store;
    bool ok = true;
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    if (opt) c->opts = *opt;
    httpx__client_defaults(&c->opts);
    sh = httpx__pairs_size(c->opts.headers, &nh);
    sp = httpx__pairs_size(c->opts.params, &np);
    c->headers = (httpx_pair *)httpx__malloc((nh + np + 2) * sizeof(httpx_pair));
    su = c->opts.uds ? strlen(c->opts.uds) + 1 : 0;
    c->strings = (char *)httpx__malloc(sh + sp + su + 1);
    if (!c->headers || !c->strings) ok = false;
    if (ok) {
        store = c->strings;
        c->params = c->headers + nh + 1;
        httpx__pairs_copy(c->headers, c->opts.headers, &store);
        httpx__pairs_copy(c->params, c->opts.params, &store);
        if (su) {           /* the route of every connection points at this one copy */
            memcpy(store, c->opts.uds, su);
            c->opts.uds = store;
        }
    }
    if (ok && c->opts.base_url) {
        ok = httpx__buf_puts(&c->base_url, c->opts.base_url);
        /* HTTPX joins by appending to the base path, so it must end in '/' */
        if (ok && c->base_url.len && c->base_url.p[c->base_url.len - 1] != '/' && !strchr(c->base_url.p, '?'))
            ok = httpx__buf_putc(&c->base_url, '/');
    }
    if (ok && !httpx__auth_kind_known(c->opts.auth.kind)) {
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts.auth.kind is %d, which is no httpx_auth_kind", (int)c->opts.auth.kind);
    } else if (ok && c->opts.auth.kind == HTTPX_AUTH_BASIC) {
        httpx__buf up;
        memset(&up, 0, sizeof up);
        ok = httpx__buf_printf(&up, "%s:%s", c->opts.auth.username ? c->opts.auth.username : "",
                               c->opts.auth.password ? c->opts.auth.password : "") &&
             httpx__buf_puts(&c->auth_header, "Basic ") && httpx__base64(&c->auth_header, up.p, up.len);
        httpx__buf_free(&up);
    } else if (ok && c->opts.auth.kind == HTTPX_AUTH_BEARER) {
        ok = httpx__buf_puts(&c->auth_header, "Bearer ") &&
             httpx__buf_puts(&c->auth_header, c->opts.auth.token ? c->opts.auth.token : "");
        if (ok && (strchr(c->auth_header.p, '\r') || strchr(c->auth_header.p, '\n')))
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_HEADER, "the client's bearer token has a CR or LF");
    }
    httpx__client_protocols(c);
    if (ok && c->opts.uds && !c->config_error.code) {   /* a path the system cannot take fails every request */
        httpx__addrs scratch;
        httpx__addrs_unix(&scratch, c->opts.uds, &c->config_error);
    }
    if (ok && c->opts.tls.preload && !c->config_error.code &&
        !(c->tls = httpx__tls_config_new(&c->opts.tls, &c->config_error)))   /* now, not at the first https request */
        ok = c->config_error.code != HTTPX_ERR_NOMEM;
    if (ok && !c->config_error.code &&
        httpx__proxies_init(&c->proxies, c->opts.proxy, c->opts.http_proxy, c->opts.https_proxy,
                            c->opts.trust_env == HTTPX_NO ? NULL : httpx__getenv, NULL, &c->config_error) == HTTPX_ERR_NOMEM)
        ok = false;
    c->opts.proxy = c->opts.http_proxy = c->opts.https_proxy = NULL;   /* parsed: only c->proxies is used */
    c->dns.nameservers = c->opts.nameservers;
    ok = ok && httpx__client_jar_init(c);
    c->opts.headers = c->opts.params = c->opts.cookies = NULL;   /* only our copies are used from here on */
    c->opts.base_url = c->base_url.p;
    if (!ok) {
        httpx_client_free(c);
        return NULL;
    }
    return c;
}

HTTPX_API void httpx_client_free(httpx_client *c) {
    httpx__conn *conn;
    if (!c) return;
    while (c->tasks) httpx_response_free(&c->tasks->pub);   /* each leaves the list as it goes */
    while ((conn = c->conns) != NULL) {
        c->conns = conn->next;
        httpx__conn_free(conn);
    }
    httpx__free(c->pollfds);
    if (c->tls) httpx__tls_config_free(c->tls);
    httpx__buf_free(&c->base_url);
    httpx__buf_free(&c->auth_header);
    httpx__client_jar_free(c);
    httpx__proxies_free(&c->proxies);
    httpx__free(c->headers);
    httpx__free(c->strings);
    httpx__free(c);
}

HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_BASIC;
    a.username = username;
    a.password = password;
    return a;
}

HTTPX_API httpx_auth httpx_bearer_auth(const char *token) {
    httpx_auth a;
    memset(&a, 0, sizeof a);
    a.kind = HTTPX_AUTH_BEARER;
    a.token = token;
    return a;
}

/* ---- building a request ---- */

static bool httpx__has_scheme(const char *url) {
    const char *p = url;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return false;
    while (*p && (httpx__is_tchar((unsigned char)*p) && *p != ':' )) p++;
    return *p == ':' && p[1] == '/' && p[2] == '/';
}

static bool httpx__put_param(httpx__buf *u, const httpx_pair *p, bool *any) {
    bool ok = !*any || httpx__buf_putc(u, '&');
    ok = ok && httpx__form_escape(u, p->name, strlen(p->name)) && httpx__buf_putc(u, '=');
    ok = ok && (!p->value || httpx__form_escape(u, p->value, strlen(p->value)));
    *any = true;
    return ok;
}

/* Client params, then request params; a request param replaces client params
   of the same name, as HTTPX merges them. u holds a URL without fragment.
   False when memory ran out. */
static bool httpx__add_params(httpx__buf *u, const httpx_pair *client_p, const httpx_pair *req_p) {
    const httpx_pair *p, *q;
    bool any = false, ok = true;
    if (!(client_p && client_p->name) && !(req_p && req_p->name)) return true;
    if (!strchr(u->p, '?')) ok = httpx__buf_putc(u, '?');
    else if (u->p[u->len - 1] != '?' && u->p[u->len - 1] != '&') ok = httpx__buf_putc(u, '&');
    for (p = client_p; ok && p && p->name; p++) {
        bool overridden = false;
        for (q = req_p; q && q->name && !overridden; q++) overridden = !strcmp(q->name, p->name);
        if (!overridden) ok = httpx__put_param(u, p, &any);
    }
    for (p = req_p; ok && p && p->name; p++) ok = httpx__put_param(u, p, &any);
    return ok;
}

static httpx_error httpx__build_url(httpx__response *r, const char *url, httpx__err *e) {
    httpx_client *c = r->client;
    httpx__buf *u = &r->url_text;
    const char *hash;
    bool ok = true;
    httpx__buf_clear(u);
    if (!url) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: NULL");
    if (!httpx__has_scheme(url) && c->base_url.len) {
        ok = httpx__buf_append(u, c->base_url.p, c->base_url.len);
        while (*url == '/') url++;      /* "/users" under base ".../api/" is ".../api/users" */
    }
    hash = strchr(url, '#');            /* params go before the fragment */
    ok = ok && httpx__buf_append(u, url, hash ? (size_t)(hash - url) : strlen(url));
    ok = ok && httpx__add_params(u, c->params, r->opts->params);
    ok = ok && (!hash || httpx__buf_puts(u, hash));
    return ok ? HTTPX_OK : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory building the URL");
}

static double httpx__timeout_pick(double req, double client) { return req == 0 ? client : req < 0 ? -1 : req; }

/* The request's options over the client's, in this one place: a zero field
   takes the client's value; HTTPX_NO and HTTPX_AUTH_NONE say "no" even
   where the client says yes. */
static httpx_error httpx__settings_resolve(httpx__settings *s, const httpx_client *c, const httpx_opts *o,
                                           httpx__err *e) {
    if (c->config_error.code) {
        *e = c->config_error;
        return e->code;
    }
    s->timeout.connect = httpx__timeout_pick(o->timeout.connect, c->opts.timeout.connect);
    s->timeout.read = httpx__timeout_pick(o->timeout.read, c->opts.timeout.read);
    s->timeout.write = httpx__timeout_pick(o->timeout.write, c->opts.timeout.write);
    s->timeout.pool = httpx__timeout_pick(o->timeout.pool, c->opts.timeout.pool);
    s->timeout.total = httpx__timeout_pick(o->timeout.total, c->opts.timeout.total);
    if (o->follow_redirects != HTTPX_INHERIT && o->follow_redirects != HTTPX_YES && o->follow_redirects != HTTPX_NO)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "follow_redirects is %d: use HTTPX_YES (or true), HTTPX_NO, or 0 for the client's",
                           o->follow_redirects);
    s->follow_redirects = o->follow_redirects == HTTPX_INHERIT ? c->opts.follow_redirects
                                                               : o->follow_redirects == HTTPX_YES;
    s->max_redirects = o->max_redirects > 0 ? o->max_redirects : c->opts.max_redirects;
    s->max_body_size = c->opts.max_body_size;
    if (!httpx__auth_kind_known(o->auth.kind))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "auth.kind is %d, which is no httpx_auth_kind",
                           (int)o->auth.kind);
    s->auth_from_client = o->auth.kind == HTTPX_AUTH_INHERIT &&
                          (c->opts.auth.kind == HTTPX_AUTH_BASIC || c->opts.auth.kind == HTTPX_AUTH_BEARER);
    s->auth = o->auth.kind == HTTPX_AUTH_INHERIT ? c->opts.auth : o->auth;
    if (o->tls && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .tls is for one-shot calls: give a client its TLS settings in httpx_client_opts.tls");
    if (o->proxy && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .proxy is for one-shot calls: give a client its proxy in httpx_client_opts.proxy");
    if ((o->http2 || o->http2_prior_knowledge) && !c->oneshot)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "per-request .http2 is for one-shot calls: set httpx_client_opts.http2 on the client");
    return HTTPX_OK;
}

static httpx_error httpx__method_copy(httpx__request *q, const char *method, httpx__err *e) {
    size_t i;
    if (!method || !*method || strlen(method) >= sizeof q->method)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid method '%.40s'", method ? method : "(null)");
    for (i = 0; method[i]; i++) {
        if (!httpx__is_tchar((unsigned char)method[i]))
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid character in method '%.31s'", method);
        q->method[i] = method[i];
    }
    q->method[i] = 0;
    return HTTPX_OK;
}

/* Sets up r's request: options resolved, URL built, the request value made
   and checked, all before any connection work. Errors land in the response
   (its exchange is then DONE); the faces submit it otherwise. */
HTTPX__PRIVATE void httpx__begin(httpx__response *r, httpx_client *c, const char *method, const char *url,
                                 const httpx_opts *opt, bool stream) {
    httpx__exchange *ex = &r->ex;
    httpx__err e;
    memset(&e, 0, sizeof e);
    r->client = c;
    r->opts = opt ? opt : &httpx__no_opts;
    ex->client = c;
    ex->resp = r;
    ex->req = &r->req;
    ex->stream = stream;
    httpx__exchange_init(ex, httpx__response_sink());
    r->transport = c->opts.mock ? httpx__mock_transport() : httpx__network_transport();
    if (!httpx__settings_resolve(&r->set, c, r->opts, &e) && !httpx__method_copy(&r->req, method, &e) &&
        !httpx__build_url(r, url, &e))
        httpx__request_build(r, &e);
    ex->timeout = r->set.timeout;
    r->pub.url = r->url_text.p ? r->url_text.p : "";
    if (e.code) {
        if (!r->url_text.len && url) httpx__buf_puts(&r->url_text, url);
        r->pub.url = r->url_text.p ? r->url_text.p : "";
        httpx__response_fail(r, &e);
        httpx__exchange_set_state(ex, HTTPX__EX_DONE);
    }
}

/* ---- the blocking face ---- */

static httpx__response *httpx__send(httpx_client *c, const char *method, const char *url,
                                    const httpx_opts *opt, bool stream) {
    httpx__response *r = httpx__response_new();
    if (!r) return NULL;
    httpx__begin(r, c, method, url, opt, stream);
    httpx__hop_run(r);
    return r;
}

HTTPX_API httpx_response *httpx_client_request(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    return (httpx_response *)httpx__send(c, method, url, opt, false);
}
HTTPX_API httpx_response *httpx_client_stream(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    return (httpx_response *)httpx__send(c, method, url, opt, true);
}
HTTPX_API httpx_response *httpx_client_get(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "GET", url, opt); }
HTTPX_API httpx_response *httpx_client_post(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "POST", url, opt); }
HTTPX_API httpx_response *httpx_client_put(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "PUT", url, opt); }
HTTPX_API httpx_response *httpx_client_patch(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "PATCH", url, opt); }
HTTPX_API httpx_response *httpx_client_delete(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "DELETE", url, opt); }
HTTPX_API httpx_response *httpx_client_head(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "HEAD", url, opt); }
HTTPX_API httpx_response *httpx_client_options(httpx_client *c, const char *url, const httpx_opts *opt) { return httpx_client_request(c, "OPTIONS", url, opt); }

/* One-shot calls: a private client per call, freed with the response (a
   stream keeps it, and its connection, until httpx_response_free). */
static httpx_response *httpx__oneshot(const char *method, const char *url, const httpx_opts *opt, bool stream) {
    httpx_client_opts co;
    httpx_client *c;
    httpx__response *r;
    memset(&co, 0, sizeof co);
    if (opt && opt->tls) co.tls = *opt->tls;
    if (opt) {
        co.proxy = opt->proxy;
        co.http2 = opt->http2;
        co.http2_prior_knowledge = opt->http2_prior_knowledge;
    }
    c = httpx_client_new(&co);
    if (!c) return NULL;
    c->oneshot = true;
    r = httpx__send(c, method, url, opt, stream);
    if (!r) { httpx_client_free(c); return NULL; }
    r->owned_client = c;
    r->free_owned = httpx_client_free;
    return &r->pub;
}

HTTPX_API httpx_response *httpx_request(const char *method, const char *url, const httpx_opts *opt) { return httpx__oneshot(method, url, opt, false); }
HTTPX_API httpx_response *httpx_stream(const char *method, const char *url, const httpx_opts *opt) { return httpx__oneshot(method, url, opt, true); }
HTTPX_API httpx_response *httpx_get(const char *url, const httpx_opts *opt) { return httpx_request("GET", url, opt); }
HTTPX_API httpx_response *httpx_post(const char *url, const httpx_opts *opt) { return httpx_request("POST", url, opt); }
HTTPX_API httpx_response *httpx_put(const char *url, const httpx_opts *opt) { return httpx_request("PUT", url, opt); }
HTTPX_API httpx_response *httpx_patch(const char *url, const httpx_opts *opt) { return httpx_request("PATCH", url, opt); }
HTTPX_API httpx_response *httpx_delete(const char *url, const httpx_opts *opt) { return httpx_request("DELETE", url, opt); }
HTTPX_API httpx_response *httpx_head(const char *url, const httpx_opts *opt) { return httpx_request("HEAD", url, opt); }
HTTPX_API httpx_response *httpx_options(const char *url, const httpx_opts *opt) { return httpx_request("OPTIONS", url, opt); }
/* End of client.c */

#if defined(HTTPX_LINES)
#line 19261 "httpx.h"
#endif
/* ======================================================================
   Begin file task.c   (grep anchor: >>task)
   ====================================================================== */
/* task: the nonblocking face. A task is a response whose hops the client
   drives from httpx_client_poll (or from the caller's own event loop through
   httpx_client_fds/httpx_client_process) instead of from a blocking call.
   It is the same hop (hop.c) as the blocking face. The loop knows nothing
   of tasks: the face installs hooks on its client (httpx__task_face) that
   admit and settle tasks around each pass. */
#if defined(HTTPX_LINES)
#line 6 "tools/src/task.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
#include <errno.h>

static const httpx__face_hooks *httpx__task_face(void);

static httpx__response *httpx__task_of(const httpx_task *t) { return (httpx__response *)(void *)(uintptr_t)t; }

/* The caller's options may live in a compound literal that is gone before the
   task runs, so a task keeps its own copy of everything it reads later:
   headers, auth strings, and the body bytes. */
static bool httpx__task_copy_opts(httpx__response *r, const httpx_opts *o) {
    size_t nh, sh = httpx__pairs_size(o->headers, &nh);
    size_t nc, sc = httpx__pairs_size(o->cookies, &nc);
    size_t su = o->auth.username ? strlen(o->auth.username) + 1 : 0;
    size_t sp = o->auth.password ? strlen(o->auth.password) + 1 : 0;
    char *store;
    httpx_pair *pairs;
    r->opts_copy = *o;
    r->opts_store = (char *)httpx__malloc((nh + nc + 2) * sizeof(httpx_pair) + sh + sc + su + sp);
    if (!r->opts_store) return false;
    pairs = (httpx_pair *)(void *)r->opts_store;
    store = r->opts_store + (nh + nc + 2) * sizeof(httpx_pair);
    httpx__pairs_copy(pairs, o->headers, &store);
    r->opts_copy.headers = o->headers ? pairs : NULL;
    httpx__pairs_copy(pairs + nh + 1, o->cookies, &store);    /* read at every hop */
    r->opts_copy.cookies = o->cookies ? pairs + nh + 1 : NULL;
    if (su) { memcpy(store, o->auth.username, su); r->opts_copy.auth.username = store; store += su; }
    if (sp) { memcpy(store, o->auth.password, sp); r->opts_copy.auth.password = store; }
    return true;
}

static void httpx__task_link(httpx_client *c, httpx__response *r) {
    r->task_prev = c->tasks_tail;
    r->task_next = NULL;
    if (c->tasks_tail) c->tasks_tail->task_next = r;
    else c->tasks = r;
    c->tasks_tail = r;
    c->tasks_total++;
}

static void httpx__task_unlink(httpx__response *r) {
    httpx_client *c = r->client;
    if (!r->is_task) return;
    if (r->task_prev) r->task_prev->task_next = r->task_next;
    else c->tasks = r->task_next;
    if (r->task_next) r->task_next->task_prev = r->task_prev;
    else c->tasks_tail = r->task_prev;
    c->tasks_total--;
    if (r->started && !r->finished) c->tasks_started--;
    if (r->finished) c->tasks_done--;
    r->is_task = false;
    httpx__free(r->opts_store);
    r->opts_store = NULL;
}

HTTPX_API httpx_task *httpx_client_start(httpx_client *c, const char *method, const char *url, const httpx_opts *opt) {
    static httpx_opts none;
    httpx__response *r = httpx__response_new();
    httpx__request *q;
    if (!r) return NULL;
    if (!httpx__task_copy_opts(r, opt ? opt : &none)) {
        httpx__free(r);
        return NULL;
    }
    c->face = httpx__task_face();
    r->is_task = true;
    r->on_free = httpx__task_unlink;
    r->client = c;
    httpx__task_link(c, r);
    httpx__begin(r, c, method, url, &r->opts_copy, false);
    /* httpx__begin consumed these (into the URL and the form body); past this
       call they may point to the caller's dead memory, so nothing may read them */
    r->opts_copy.params = NULL;
    r->opts_copy.data = NULL;
    q = &r->req;
    /* a body in the caller's memory is copied */
    if (q->body && q->body != r->form.p) {
        if (!httpx__buf_append(&r->body_copy, q->body, q->body_len) || !httpx__buf_reserve(&r->body_copy, 0)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory copying the request body");
            httpx__response_fail(r, &e);
            httpx__exchange_set_state(&r->ex, HTTPX__EX_DONE);
        }
        q->body = r->body_copy.p;
    }
    return (httpx_task *)r;
}

HTTPX_API bool httpx_task_done(const httpx_task *t) { return t && httpx__task_of(t)->finished; }

HTTPX_API httpx_response *httpx_task_response(httpx_task *t) {
    httpx__response *r = httpx__task_of(t);
    return r && r->finished ? &r->pub : NULL;
}

HTTPX_API void httpx_task_free(httpx_task *t) {
    if (t) httpx_response_free(&httpx__task_of(t)->pub);
}

HTTPX_API void httpx_task_cancel(httpx_task *t) { httpx_task_free(t); }

/* ---- driving the tasks ---- */

/* Moves tasks into flight while max_in_flight allows. */
static void httpx__tasks_admit(httpx_client *c) {
    httpx__response *r;
    for (r = c->tasks; r; r = r->task_next) {
        if (r->started) continue;
        if (c->opts.max_in_flight > 0 && c->tasks_started >= c->opts.max_in_flight) break;
        r->started = true;
        c->tasks_started++;
        httpx__hop_send(r);
    }
}

/* A task whose hop ended: the next hop of a redirect, or report it. Returns
   true when the task was freed (on_done set). */
static bool httpx__task_settle(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx_client *c = r->client;
    httpx_done_fn on_done = r->opts->on_done;
    if (ex->state != HTTPX__EX_DONE || r->finished || !r->started) return false;
    if (!httpx__hop_settle(r)) return false;
    r->finished = true;
    c->tasks_started--;
    c->tasks_done++;
    if (on_done) {
        c->callback_task = r;
        on_done(r->opts->user_data, (httpx_task *)r, &r->pub);
        c->callback_task = NULL;
        httpx_response_free(&r->pub);
        return true;
    }
    return false;
}

static void httpx__tasks_settle(httpx_client *c) {
    httpx__response *r, *next;
    for (r = c->tasks; r; r = next) {
        next = r->task_next;
        if (httpx__task_settle(r)) next = c->tasks;   /* the callback may have started or ended others */
    }
    httpx__tasks_admit(c);
}

/* A task to admit (there is room) or that ended and waits for its report:
   the pass must not wait. */
static bool httpx__tasks_due(const httpx_client *c) {
    const httpx__response *r;
    bool room = c->opts.max_in_flight <= 0 || c->tasks_started < c->opts.max_in_flight;
    if (c->tasks_done >= c->tasks_total) return false;
    for (r = c->tasks; r; r = r->task_next)
        if (!r->finished && (r->started ? r->ex.state == HTTPX__EX_DONE : room)) return true;
    return false;
}

static const httpx__face_hooks *httpx__task_face(void) {
    static const httpx__face_hooks face = {httpx__tasks_admit, httpx__tasks_due, httpx__tasks_settle};
    return &face;
}

/* ---- the faces of the loop ---- */

HTTPX_API int httpx_client_fds(httpx_client *c, struct pollfd *fds, int cap, int *timeout_ms) {
    int ms, n = httpx__loop_wants(c, fds, cap, &ms);
    if (timeout_ms) *timeout_ms = ms;
    return n;
}

static int httpx__tasks_left(httpx_client *c) { return c->tasks_total - c->tasks_done; }

/* The caller polled what httpx_client_fds reported: the work is done with
   the revents it got, without polling again. */
HTTPX_API int httpx_client_process(httpx_client *c, struct pollfd *fds, int n) {
    httpx__loop_pass_given(c, fds, fds ? n : 0);
    return httpx__tasks_left(c);
}

#define HTTPX__FRAME_BUDGET 0.002   /* seconds of work one poll(c, 0) aims at */

HTTPX_API int httpx_client_poll(httpx_client *c, int timeout_ms) {
    /* No task in flight: nothing to wait for without end (an idle pooled
       connection is no reason to block). A bounded wait still serves the idle
       connections, and every pass does what is due, such as closing those
       past their keepalive expiry. */
    if (timeout_ms < 0 && httpx__tasks_left(c) == 0) timeout_ms = 0;
    httpx__loop_pass(c, timeout_ms, timeout_ms == 0 ? HTTPX__FRAME_BUDGET : 0);
    return httpx__tasks_left(c);
}

HTTPX_API httpx_response *httpx_task_wait(httpx_task *t) {
    httpx__response *r = httpx__task_of(t);
    if (!r) return NULL;
    /* a task with on_done is freed when it ends: there is nothing to wait for */
    HTTPX_ASSERT(!r->opts->on_done);
    while (!r->finished) httpx_client_poll(r->client, -1);
    return &r->pub;
}

HTTPX_API void httpx_gather(httpx_client *c, httpx_task **tasks, size_t n) {
    size_t i;
    for (;;) {
        bool all = true;
        for (i = 0; i < n && all; i++) all = !tasks[i] || httpx__task_of(tasks[i])->finished;
        if (all) return;
        httpx_client_poll(c, -1);
    }
}
/* End of task.c */

#if defined(HTTPX_LINES)
#line 19488 "httpx.h"
#endif
/* ======================================================================
   Begin file text.c   (grep anchor: >>text)
   ====================================================================== */
/* text: the reading layer's views of a body: r.text, iter_text and
   r.json() (the parser itself is json.c, pure). A body is decoded to UTF-8 by the charset of
   its Content-Type, else by a byte order mark, else as UTF-8; what is not
   valid in the encoding becomes U+FFFD the way Python's bytes.decode(enc,
   "replace") does it, so httpx_text agrees with HTTPX's r.text.
   The decoder is incremental (a character cut between two reads waits in
   the decoder for the rest), so httpx_read_text never splits one.
   Private prefix: httpx__text_ (and httpx__enc_ for encodings). */
#if defined(HTTPX_LINES)
#line 8 "tools/src/text.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "json_internal.h": earlier in httpx.h */
/* #include "engine_internal.h": earlier in httpx.h */
/* #include "text_internal.h": earlier in httpx.h */

/* Windows-1252 0x80..0x9F (Unicode's cp1252 mapping; above 0x9F it is
   Latin-1). The five bytes it leaves undefined decode to U+FFFD, as in Python
   (browsers map them to C1 controls instead; we follow HTTPX). */
static const uint16_t httpx__enc_cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Labels compared with case, '-', '_' and ' ' ignored ("UTF-8" = "utf8"),
   as Python's codec lookup is lenient the same way. */
static const struct { const char *label; enum httpx__enc enc; } httpx__enc_labels[] = {
    {"utf8", HTTPX__ENC_UTF8}, {"u8", HTTPX__ENC_UTF8}, {"unicode11utf8", HTTPX__ENC_UTF8},
    {"utf16", HTTPX__ENC_UTF16}, {"utf16le", HTTPX__ENC_UTF16LE}, {"utf16be", HTTPX__ENC_UTF16BE},
    {"iso88591", HTTPX__ENC_LATIN1}, {"latin1", HTTPX__ENC_LATIN1}, {"l1", HTTPX__ENC_LATIN1},
    {"cp819", HTTPX__ENC_LATIN1}, {"ibm819", HTTPX__ENC_LATIN1}, {"8859", HTTPX__ENC_LATIN1},
    {"isoir100", HTTPX__ENC_LATIN1}, {"csisolatin1", HTTPX__ENC_LATIN1}, {"iso885911987", HTTPX__ENC_LATIN1},
    {"windows1252", HTTPX__ENC_CP1252}, {"cp1252", HTTPX__ENC_CP1252}, {"1252", HTTPX__ENC_CP1252},
    {"xcp1252", HTTPX__ENC_CP1252},
    {"ascii", HTTPX__ENC_ASCII}, {"usascii", HTTPX__ENC_ASCII}, {"ansix3.41968", HTTPX__ENC_ASCII},
    {"iso646us", HTTPX__ENC_ASCII}, {"us", HTTPX__ENC_ASCII}, {"646", HTTPX__ENC_ASCII},
    {"cp367", HTTPX__ENC_ASCII}, {"csascii", HTTPX__ENC_ASCII}, {"isoir6", HTTPX__ENC_ASCII},
};

HTTPX__PRIVATE enum httpx__enc httpx__enc_of_label(const char *label, size_t n) {
    char key[32];
    size_t i, k = 0;
    if (!label || !n) return HTTPX__ENC_SNIFF;
    for (i = 0; i < n; i++) {
        char c = (char)httpx__lower((unsigned char)label[i]);
        if (c == '-' || c == '_' || c == ' ') continue;
        if (k + 1 >= sizeof key) return HTTPX__ENC_UTF8;
        key[k++] = c;
    }
    key[k] = 0;
    for (i = 0; i < sizeof httpx__enc_labels / sizeof httpx__enc_labels[0]; i++)
        if (!strcmp(key, httpx__enc_labels[i].label)) return httpx__enc_labels[i].enc;
    return HTTPX__ENC_UTF8;     /* unknown: UTF-8 with replacement, not an error */
}

HTTPX__PRIVATE const char *httpx__enc_name(enum httpx__enc enc) {
    switch (enc) {
    case HTTPX__ENC_UTF16LE: return "utf-16-le";
    case HTTPX__ENC_UTF16BE: return "utf-16-be";
    case HTTPX__ENC_LATIN1: return "iso-8859-1";
    case HTTPX__ENC_CP1252: return "windows-1252";
    case HTTPX__ENC_ASCII: return "ascii";
    default: return "utf-8";
    }
}

/* The encoding for a body starting with p[0..n), and the length of the BOM
   to drop. A BOM that names the encoding in use is never content, so it is
   dropped (as browsers do; Python's "utf-8" would keep it as U+FEFF). */
static enum httpx__enc httpx__enc_resolve(enum httpx__enc enc, const unsigned char *p, size_t n, size_t *bom) {
    bool utf8_bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
    bool le = n >= 2 && p[0] == 0xFF && p[1] == 0xFE, be = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;
    *bom = 0;
    switch (enc) {
    case HTTPX__ENC_SNIFF:
        if (utf8_bom) { *bom = 3; return HTTPX__ENC_UTF8; }
        if (le || be) { *bom = 2; return le ? HTTPX__ENC_UTF16LE : HTTPX__ENC_UTF16BE; }
        return HTTPX__ENC_UTF8;
    case HTTPX__ENC_UTF8:
        if (utf8_bom) *bom = 3;
        return enc;
    case HTTPX__ENC_UTF16LE: case HTTPX__ENC_UTF16BE:
        if (enc == HTTPX__ENC_UTF16LE ? le : be) *bom = 2;
        return enc;
    case HTTPX__ENC_UTF16:
        if (le || be) *bom = 2;
        return be ? HTTPX__ENC_UTF16BE : HTTPX__ENC_UTF16LE;   /* no BOM: little-endian, as Python */
    default:
        return enc;
    }
}

/* ---- decoders: append to out; pending bytes stay in d ---- */

static const char httpx__text_fffd[3] = {'\xEF', '\xBF', '\xBD'};

static void httpx__text_put(httpx__buf *out, uint32_t cp) {
    char u[4];
    httpx__buf_append(out, u, httpx__utf8_put(u, cp));
}

/* Finishes a character cut at the end of the last piece. Returns the input
   bytes it used, or (size_t)-1 when it is still incomplete (all kept). */
static size_t httpx__text_utf8_pending(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    unsigned char tmp[4];
    size_t tn = d->npend, take = 0, bad;
    uint32_t cp;
    int k;
    memcpy(tmp, d->pend, tn);
    while (tn < 4 && take < n) tmp[tn++] = p[take++];
    k = httpx__utf8_next(tmp, tn, &cp);
    if (k == HTTPX__AGAIN && !final) {           /* still cut: keep it all */
        memcpy(d->pend, tmp, tn);
        d->npend = tn;
        return (size_t)-1;
    }
    if (k > 0) {
        httpx__buf_append(out, tmp, (size_t)k);
        take = (size_t)k - d->npend;
    } else {
        bad = k == HTTPX__AGAIN ? tn : httpx__utf8_bad_len(tmp, tn);
        httpx__buf_append(out, httpx__text_fffd, 3);
        take = bad - d->npend;                   /* the kept bytes are a valid start: bad >= npend */
    }
    d->npend = 0;
    return take;
}

static void httpx__text_utf8(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    size_t i = 0, run;
    if (d->npend) {
        i = httpx__text_utf8_pending(d, p, n, final, out);
        if (i == (size_t)-1) return;
    }
    while (i < n) {
        uint32_t cp;
        int k = 0;
        run = i;
        while (run < n && (p[run] < 0x80 || (k = httpx__utf8_next(p + run, n - run, &cp)) > 0))
            run += p[run] < 0x80 ? 1 : (size_t)k;
        httpx__buf_append(out, p + i, run - i);
        i = run;
        if (i == n) break;
        if (k == HTTPX__AGAIN && !final) {       /* cut at the end: wait for the rest */
            memcpy(d->pend, p + i, n - i);
            d->npend = n - i;
            return;
        }
        httpx__buf_append(out, httpx__text_fffd, 3);
        i += k == HTTPX__AGAIN ? n - i : httpx__utf8_bad_len(p + i, n - i);
    }
}

static void httpx__text_utf16_unit(httpx__textdec *d, uint32_t u, httpx__buf *out) {
    if (d->high) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            httpx__text_put(out, 0x10000 + ((d->high - 0xD800) << 10) + (u - 0xDC00));
            d->high = 0;
            return;
        }
        httpx__buf_append(out, httpx__text_fffd, 3);
        d->high = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) d->high = u;
    else if (u >= 0xDC00 && u <= 0xDFFF) httpx__buf_append(out, httpx__text_fffd, 3);
    else httpx__text_put(out, u);
}

static void httpx__text_utf16(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    bool le = d->enc == HTTPX__ENC_UTF16LE;
    size_t i = 0;
    if (d->npend && n) {
        unsigned char a = d->pend[0], b = p[0];
        httpx__text_utf16_unit(d, le ? (uint32_t)(a | b << 8) : (uint32_t)(a << 8 | b), out);
        d->npend = 0;
        i = 1;
    }
    for (; i + 1 < n; i += 2)
        httpx__text_utf16_unit(d, le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]), out);
    if (i < n) {
        d->pend[0] = p[i];
        d->npend = 1;
    }
    if (final && (d->high || d->npend)) {         /* a cut unit or pair at the end: one U+FFFD, as Python */
        httpx__buf_append(out, httpx__text_fffd, 3);
        d->high = 0;
        d->npend = 0;
    }
}

static void httpx__text_bytes(const httpx__textdec *d, const unsigned char *p, size_t n, httpx__buf *out) {
    size_t i, run;
    for (i = 0; i < n;) {
        for (run = i; run < n && p[run] < 0x80; run++) {}
        httpx__buf_append(out, p + i, run - i);
        if (run == n) break;
        if (d->enc == HTTPX__ENC_ASCII) httpx__buf_append(out, httpx__text_fffd, 3);
        else if (d->enc == HTTPX__ENC_CP1252 && p[run] < 0xA0) httpx__text_put(out, httpx__enc_cp1252[p[run] - 0x80]);
        else httpx__text_put(out, p[run]);
        i = run + 1;
    }
}

static void httpx__text_body(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    switch (d->enc) {
    case HTTPX__ENC_UTF16LE: case HTTPX__ENC_UTF16BE: httpx__text_utf16(d, p, n, final, out); break;
    case HTTPX__ENC_LATIN1: case HTTPX__ENC_CP1252: case HTTPX__ENC_ASCII: httpx__text_bytes(d, p, n, out); break;
    default: httpx__text_utf8(d, p, n, final, out);
    }
}

/* The first bytes wait in pend until there are three (or the input ends), so
   that a BOM can be recognised however the body is cut. */
HTTPX__PRIVATE bool httpx__text_decode(httpx__textdec *d, const char *in, size_t n, bool final, httpx__buf *out) {
    const unsigned char *p = (const unsigned char *)in;
    if (!d->bom_checked) {
        unsigned char head[3];
        size_t bom, hn;
        while (d->npend < 3 && n) { d->pend[d->npend++] = *p++; n--; }
        if (d->npend < 3 && !final) return httpx__buf_reserve(out, 0);
        d->enc = httpx__enc_resolve(d->enc, d->pend, d->npend, &bom);
        d->bom_checked = true;
        hn = d->npend - bom;
        memcpy(head, d->pend + bom, hn);
        d->npend = 0;
        httpx__text_body(d, head, hn, false, out);
    }
    httpx__text_body(d, p, n, final, out);
    return httpx__buf_reserve(out, 0);          /* false when any append failed (sticky) */
}

/* ---- the response ---- */

HTTPX__PRIVATE httpx__views *httpx__views_of(httpx__response *r) {
    if (!r->views) {
        r->views = (httpx__views *)httpx__malloc(sizeof *r->views);
        if (r->views) memset(r->views, 0, sizeof *r->views);
    }
    return r->views;
}

/* The charset parameter of Content-Type (RFC 9110 8.3.1: parameters after
   ';', names case-insensitive, values a token or a quoted string). */
static enum httpx__enc httpx__text_declared(const httpx_response *r) {
    const char *p = httpx_header(r, "content-type");
    while (p && (p = strchr(p, ';')) != NULL) {
        const char *name, *v;
        size_t nn, vn = 0;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        for (name = p; *p && *p != '=' && *p != ';'; p++) {}
        nn = (size_t)(p - name);
        while (nn && (name[nn - 1] == ' ' || name[nn - 1] == '\t')) nn--;
        if (*p != '=') continue;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        v = p;
        if (*p == '"') {
            for (v = ++p; *p && *p != '"'; p++) {}
            vn = (size_t)(p - v);
        } else {
            for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {}
            vn = (size_t)(p - v);
        }
        if (nn == 7 && httpx__mem_ieq(name, "charset", 7)) return httpx__enc_of_label(v, vn);
    }
    return HTTPX__ENC_SNIFF;
}

static bool httpx__text_ascii(const char *s, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

HTTPX_API const char *httpx_text(httpx_response *pub) {
    httpx__views *vw;
    enum httpx__enc enc;
    size_t bom;
    if (!pub) return NULL;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    if (!vw) return NULL;
    if (vw->text_done) return vw->text;
    memset(&vw->dec, 0, sizeof vw->dec);
    vw->dec.enc = httpx__text_declared(pub);
    enc = httpx__enc_resolve(vw->dec.enc, (const unsigned char *)pub->content, pub->content_length, &bom);
    /* Most bodies need no change: then the text is the body itself. */
    if (!bom && ((enc == HTTPX__ENC_UTF8 && httpx__utf8_valid(pub->content, pub->content_length) == pub->content_length) ||
                 ((enc == HTTPX__ENC_LATIN1 || enc == HTTPX__ENC_CP1252 || enc == HTTPX__ENC_ASCII) &&
                  httpx__text_ascii(pub->content, pub->content_length)))) {
        vw->dec.enc = enc;
        vw->dec.bom_checked = true;
        vw->text = pub->content;
        vw->text_len = pub->content_length;
    } else {
        httpx__buf_clear(&vw->text_buf);
        if (!httpx__text_decode(&vw->dec, pub->content, pub->content_length, true, &vw->text_buf)) return NULL;
        vw->text = vw->text_buf.p;
        vw->text_len = vw->text_buf.len;
    }
    vw->text_done = true;
    return vw->text;
}

HTTPX_API size_t httpx_text_len(httpx_response *r) {
    return httpx_text(r) ? ((httpx__response *)(void *)r)->views->text_len : 0;
}

HTTPX_API const char *httpx_encoding(httpx_response *pub) {
    httpx__views *vw;
    size_t bom;
    if (!pub) return "utf-8";
    vw = ((httpx__response *)(void *)pub)->views;
    if (vw && vw->text_done) return httpx__enc_name(vw->dec.enc);
    if (vw && vw->stream_dec.bom_checked) return httpx__enc_name(vw->stream_dec.enc);
    return httpx__enc_name(httpx__enc_resolve(httpx__text_declared(pub), (const unsigned char *)pub->content,
                                              pub->content_length, &bom));
}

static const char *httpx__text_nomem(httpx_response *pub) {
    pub->error = HTTPX_ERR_NOMEM;
    pub->error_message = "out of memory";
    return NULL;
}

HTTPX_API const char *httpx_read_text(httpx_response *pub, size_t *len) {
    httpx__response *r = (httpx__response *)(void *)pub;
    httpx__views *vw;
    if (len) *len = 0;
    if (!pub) return NULL;
    vw = httpx__views_of(r);
    if (!vw) return httpx__text_nomem(pub);
    if (vw->stream_end) return NULL;
    if (!r->ex.stream) {            /* the body is in memory already: it is one piece */
        const char *t = httpx_text(pub);
        vw->stream_end = true;
        if (!t) return httpx__text_nomem(pub);
        if (len) *len = vw->text_len;
        return vw->text_len ? t : NULL;
    }
    if (!vw->stream_started) {
        vw->stream_started = true;
        vw->stream_dec.enc = httpx__text_declared(pub);
    }
    httpx__buf_clear(&vw->stream_buf);
    for (;;) {
        char chunk[4096];
        long n = httpx_read(pub, chunk, sizeof chunk);
        if (n < 0) return NULL;
        if (!httpx__text_decode(&vw->stream_dec, chunk, (size_t)n, n == 0, &vw->stream_buf)) return httpx__text_nomem(pub);
        if (n == 0) vw->stream_end = true;
        if (vw->stream_buf.len) {
            if (len) *len = vw->stream_buf.len;
            return vw->stream_buf.p;
        }
        if (n == 0) return NULL;
    }
}

/* ---- the response's JSON ---- */

static const httpx_json_error httpx__j_nomem = {HTTPX_ERR_NOMEM, 0, 0, 0, "out of memory"};

HTTPX_API const httpx_json_value *httpx_json(httpx_response *pub) {
    httpx__views *vw;
    if (!pub) return NULL;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    if (!vw) return NULL;
    if (!vw->json_done) {
        vw->json_done = true;
        if (pub->error) {
            vw->json_error.code = pub->error;
            snprintf(vw->json_error.message, sizeof vw->json_error.message, "no JSON: the request failed: %s",
                     pub->error_message);
        } else {
            vw->json = httpx_json_parse(pub->content, pub->content_length, &vw->json_error);
        }
    }
    return vw->json;
}

HTTPX_API const httpx_json_error *httpx_json_error_of(httpx_response *pub) {
    httpx__views *vw;
    if (!pub) return &httpx__j_nomem;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    return vw ? &vw->json_error : &httpx__j_nomem;
}
/* End of text.c */

#if defined(HTTPX_LINES)
#line 19884 "httpx.h"
#endif
/* ======================================================================
   Begin file cookie_response.c   (grep anchor: >>cookie_response)
   ====================================================================== */
/* r.cookies: the cookies a response set, as a jar of their own. Here, after
   the response, because it reads a response's headers and URL; the jar
   itself is cookie.c's. */
#if defined(HTTPX_LINES)
#line 3 "tools/src/cookie_response.c"
#endif
/* #include "internal.h": earlier in httpx.h */
/* #include "cookie_internal.h": earlier in httpx.h */
#include <time.h>

#ifndef HTTPX_NO_COOKIES
HTTPX_API httpx_cookies *httpx_response_cookies(const httpx_response *r) {
    httpx_cookies *j;
    const httpx_headers *h;
    httpx__url u;
    if (!r) return NULL;
    j = httpx_cookies_new();
    if (!j) return NULL;
    h = httpx_response_headers(r);
    if (!h || !r->url || httpx__url_parse(&u, r->url, strlen(r->url), NULL) != HTTPX_OK) return j;
    if (httpx__cookies_store_headers(j, &u, h, (int64_t)time(NULL)) != HTTPX_OK) {
        httpx_cookies_free(j);
        return NULL;
    }
    return j;
}
#endif /* HTTPX_NO_COOKIES */
/* End of cookie_response.c */

#if defined(HTTPX_LINES)
#line 19919 "httpx.h"
#endif
#endif /* HTTPX_IMPLEMENTATION_INCLUDED */
#endif /* HTTPX_IMPLEMENTATION */

/*
MIT License

Copyright (c) 2026 the httpx.h authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
*/
