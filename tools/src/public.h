#ifndef HTTPX_H_INCLUDED
#define HTTPX_H_INCLUDED

/* HTTPX_NO_IMPLEMENTATION: the implementation is linked from an object of
   its own (one file with HTTPX_IMPLEMENTATION, compiled once), so a file
   that says HTTPX_IMPLEMENTATION, as each example does to stand alone, gets
   the declarations only. The Makefile builds the examples this way. */
#if defined(HTTPX_NO_IMPLEMENTATION) && defined(HTTPX_IMPLEMENTATION)
#undef HTTPX_IMPLEMENTATION
#endif

/* The implementation needs POSIX.1-2008 (sockets, poll, clock_gettime,
   fdopen, O_CLOEXEC) even under -std=c99. This works when httpx.h is the
   first include of the implementation file; otherwise define _POSIX_C_SOURCE
   yourself. A file built with HTTPX_NO_IMPLEMENTATION gets the same, so that
   it sees the declarations it would see with its own copy. */
#if (defined(HTTPX_IMPLEMENTATION) || defined(HTTPX_NO_IMPLEMENTATION)) && !defined(_WIN32) && \
    !defined(_POSIX_C_SOURCE) && \
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
    HTTPX_ERR_STATUS,            /* httpx_raise_for_status: not 2xx */
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

/* >>retries
   Opt-in resends on chosen statuses (httpx_client_opts.retry): a request that
   is idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) and whose body can
   be produced again (none, or in memory: never upload or files) is sent
   again when the answer's status is one of statuses, up to max times. The
   wait before resend n (1, 2, ...) is the answer's Retry-After (seconds or
   an HTTP-date) when it has one, else the backoff below; a Retry-After longer
   than max_wait ends the retries and the answer is returned as it is (the
   server asks for longer than the caller will wait). The body of an answer
   that is retried is read (at most 64 KiB, else its connection is closed)
   and dropped. timeout.total covers every try and wait.

   The backoff, for connection retries (httpx_client_opts.retries) and
   status retries without Retry-After: try n waits 0.5 * 2^(n-2) s (capped
   at 30 s) times a random factor in [0.5, 1] (jitter, so that clients that
   failed together do not come back together); a connection retry's first
   try (n = 1) goes at once, as httpcore's (0, 0.5, 1, 2 s ...), a status
   retry starts at n = 2. A retry whose wait would end past timeout.total is
   not made: the last failure is returned. The wait is a timer of the
   client's loop: nothing sleeps; httpx_client_fds' timeout counts down to
   it. With the mock transport (httpx_client_opts.mock) resends go at once. */
typedef struct httpx_retry {
    int max;                    /* 0: no status retries */
    const int *statuses;        /* 0-terminated, at most 16 (copied); NULL: 429, 502, 503, 504 */
    double max_wait;            /* seconds; 0: 60. The longest Retry-After honoured */
} httpx_retry;

typedef enum httpx_auth_kind {
    HTTPX_AUTH_INHERIT = 0,     /* a request: the client's auth, else the URL's user:password,
                                   else .netrc's (see trust_env); a client: none */
    HTTPX_AUTH_NONE,            /* send no credentials (not even the client's or the URL's) */
    HTTPX_AUTH_BASIC,           /* username and password */
    HTTPX_AUTH_BEARER,          /* "Authorization: Bearer <token>" */
    HTTPX_AUTH_DIGEST,          /* username and password, answering a 401's Digest challenge */
    HTTPX_AUTH_FLOW             /* a callback: flow and flow_user_data (see httpx_auth_fn) */
} httpx_auth_kind;              /* another value is HTTPX_ERR_INVALID_ARGUMENT */

typedef struct httpx_req httpx_req;                /* a request as sent (see >>request) */
typedef struct httpx_response httpx_response;
/* >>auth_flow: a custom authentication, the C shape of HTTPX's Auth.auth_flow
   generator (`response = yield request`). The callback is called
     - with response NULL just before the request goes out (the first time,
       before each round it asked for, and before each hop of a redirect that
       stays on the first origin): edit the request (httpx_request_set_header
       & co.); return HTTPX_AUTH_ACCEPT (0) to send it;
     - with each final response (after redirects; a streamed or on_data
       response: its head only, its body was not kept): return
       HTTPX_AUTH_ACCEPT to keep it, or HTTPX_AUTH_RESEND to send the request
       again; the request is built afresh from the options, and the callback
       is called with NULL once more to put its credentials in. With on_data,
       the body of a response sent again has gone through on_data too.
   Returning a negated httpx_error (-HTTPX_ERR_STATUS...) ends the request
   with that error. A request asking for more than HTTPX_AUTH_MAX_ROUNDS
   rounds fails with HTTPX_ERR_LOCAL_PROTOCOL; one whose body cannot be
   produced again (upload, files) fails with HTTPX_ERR_STREAM when a round
   is asked for. After a redirect to another origin the flow is not called
   again (credentials stay with their origin). It runs on the thread that
   drives the client, inside that call: it must not call into the same
   client, but may use another (a token endpoint, see
   examples/token_refresh.c). Keep per-request state in user_data: the
   callback cannot tell the requests of one client apart otherwise. */
enum { HTTPX_AUTH_ACCEPT = 0, HTTPX_AUTH_RESEND = 1, HTTPX_AUTH_MAX_ROUNDS = 8 };
typedef int (*httpx_auth_fn)(void *user_data, httpx_req *request, const httpx_response *response);

typedef struct httpx_auth {
    httpx_auth_kind kind;
    const char *username, *password;   /* HTTPX_AUTH_BASIC, HTTPX_AUTH_DIGEST */
    const char *token;                 /* HTTPX_AUTH_BEARER */
    httpx_auth_fn flow;                /* HTTPX_AUTH_FLOW */
    void *flow_user_data;              /* passed to flow */
} httpx_auth;
HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password);
HTTPX_API httpx_auth httpx_bearer_auth(const char *token);
/* Digest access authentication (RFC 7616): the request goes without
   credentials; a 401 with a Digest challenge (MD5, MD5-sess, SHA-256,
   SHA-256-sess; qop auth or auth-int; userhash) is answered once, and once
   more when the server says the nonce was stale. The challenge is kept per
   request (each request pays one 401 round trip). A body that is not in
   memory cannot be sent twice: use content, json or data. */
HTTPX_API httpx_auth httpx_digest_auth(const char *username, const char *password);
HTTPX_API httpx_auth httpx_auth_flow(httpx_auth_fn flow, void *user_data);

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
    bool raw;                   /* the body as it came, Content-Encoding not undone (HTTPX's
                                   iter_raw): content, on_data and httpx_read all see wire bytes */
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
/* >>app: a server in process, for testing your own HTTP app in C (Python's
   WSGITransport/ASGITransport). With httpx_client_opts.app set, no socket is
   made: each request (each hop of a redirect too) calls the handler, which
   looks at the request as sent, reads its body in pieces
   (httpx_app_read_body) and answers through the reply builder below: a
   status, headers, and a body written whole, in pieces, or pulled from a
   producer as the client reads (httpx_reply_stream), so that a large body is
   never whole in memory on either side. The client's whole policy
   (redirects, max_body_size, streaming, on_data, tasks) runs on top as it
   does over the network; https:// URLs need no TLS. The handler runs on the
   caller's thread, inside the call that drives the client, and answers at
   once: of the client's timeouts only timeout.total applies (to a produced
   body, HTTPX_ERR_TOTAL_TIMEOUT). A 204, 304 or HEAD answer has no body.
       static void app(void *ud, const httpx_req *q, httpx_app_response *res) {
           if (!strcmp(httpx_request_method(q), "GET")) httpx_reply_json(res, 200, "{\"ok\": true}");
           else httpx_reply_status(res, 405);
       }
       httpx_client *c = httpx_client_new(&(httpx_client_opts){ .app = app,
                                                                .base_url = "http://app.test" });
   >>mock: the same transport as HTTPX's MockTransport (httpx_client_opts.mock):
   the request body, streamed uploads and files included, is read whole
   before the handler runs (bounded by max_body_size), so httpx_request_body
   gives it all. Mock routes (>>mock_routes) are such a handler. */
typedef struct httpx_app_response httpx_app_response;  /* the handler's answer, being built */
typedef httpx_app_response httpx_mock_reply;           /* the same, by its mock name */
typedef void (*httpx_app_fn)(void *user_data, const httpx_req *request, httpx_app_response *response);
typedef httpx_app_fn httpx_mock_fn;
/* The answer: status 200, no headers, an empty body unless told otherwise.
   Strings and bytes are copied. A Content-Length field is added when the
   length is known, unless the handler set one. A header name or value the
   library would refuse from a caller (CR, LF, not a token) fails the request
   with HTTPX_ERR_INVALID_HEADER; a body longer than a Content-Length the
   handler set fails with HTTPX_ERR_REMOTE_PROTOCOL, a shorter one too, as
   over the network. The first mistake is kept: later calls do nothing. */
HTTPX_API void httpx_reply_status(httpx_app_response *p, int status_code);
HTTPX_API void httpx_reply_header(httpx_app_response *p, const char *name, const char *value);
HTTPX_API void httpx_reply_body(httpx_app_response *p, const void *data, size_t len);  /* replaces; len 0: strlen */
HTTPX_API void httpx_reply_write(httpx_app_response *p, const void *data, size_t len); /* appends len bytes */
/* status, "Content-Type: application/json" and the body, in one call */
HTTPX_API void httpx_reply_json(httpx_app_response *p, int status_code, const char *json);
/* No response: the request fails with this error (HTTPX_ERR_READ_TIMEOUT, HTTPX_ERR_CONNECT, ...)
   and message (NULL: httpx_strerror's) as if the network had failed. */
HTTPX_API void httpx_reply_error(httpx_app_response *p, httpx_error code, const char *message);
/* The rest of the body (after any bytes written) comes from producer, called
   as the client reads (httpx_read, on_data, or a body kept in memory): it
   fills at most cap bytes of buf and returns how many, 0 at the end, or a
   negative httpx_error (-HTTPX_ERR_READ) to fail the request with it.
   length: the bytes it will give (Content-Length), or -1 unknown. Once the
   client is done with it (the end, an error, a cancel, a HEAD request, a
   redirect, the response freed) it is called one last time with buf NULL
   and cap 0, to release user_data; a refused call (a second producer, a
   reply already failed) makes that call at once. */
typedef long (*httpx_app_body_fn)(void *user_data, char *buf, size_t cap);
HTTPX_API void httpx_reply_stream(httpx_app_response *p, httpx_app_body_fn producer, void *user_data,
                                  long long length);
/* The request body, in pieces, while the handler runs: >0 bytes read into
   buf, 0 the end, or a negative httpx_error. A caller's upload callback is
   called from here, so an app reads a large upload without holding it; one
   that fails fails the request with its error, whatever the app answers. An
   app need not read it all. Under the mock the body was read whole before,
   and this reads it again from memory. */
HTTPX_API long httpx_app_read_body(httpx_app_response *p, void *buf, size_t cap);
/* >>mock_routes: a router to give as the mock (or app) handler, in the spirit
   of Python's respx, so that a test reads as a list of what the server says:
       httpx_mock_router *m = httpx_mock_router_new();
       int users = httpx_mock_route_json(m, "GET", "https://api.test/users", 200, "[]");
       httpx_client *c = httpx_client_new(&(httpx_client_opts){ .mock = httpx_mock_router_handler,
                                                                .mock_user_data = m });
       ... requests ...
       assert(httpx_mock_route_calls(m, users) == 1);
       assert(httpx_mock_router_uncalled(m, msg, sizeof msg) == 0);   (msg lists them)
       httpx_client_free(c); httpx_mock_router_free(m);
   Each request goes to the first route, in the order added, whose method
   (NULL or "*": any; else exact, "GET" does not match HEAD) and URL match.
   The URL is matched as httpx_request_url spells it (absolute, params in
   the query): a pattern "https://api.test/users" matches that URL whatever
   its query; one with a '?' must match the query too; one ending in '*'
   matches every URL that begins with the rest; one beginning with '/'
   matches the path (and query) on any host, with the same rules. A request
   no route matches fails with HTTPX_ERR_CONNECT, "no route matched GET
   http://...". The route functions return the route's index (>= 0) or -1
   (NULL URL or function, out of memory); a route that could not be made
   leaves the router failed: every request then fails with why, so a test
   cannot pass on half its routes. Strings are copied. Not thread-safe: one
   router serves one thread's clients. */
typedef struct httpx_mock_router httpx_mock_router;
HTTPX_API httpx_mock_router *httpx_mock_router_new(void);   /* NULL: out of memory */
HTTPX_API void httpx_mock_router_free(httpx_mock_router *m);
/* The handler: httpx_client_opts.mock (or .app) with the router as user data. */
HTTPX_API void httpx_mock_router_handler(void *router, const httpx_req *request, httpx_app_response *response);
/* A canned answer: status, a Content-Type (NULL: none) and a body (NULL: empty). */
HTTPX_API int httpx_mock_route(httpx_mock_router *m, const char *method, const char *url, int status,
                               const char *content_type, const char *body);
HTTPX_API int httpx_mock_route_json(httpx_mock_router *m, const char *method, const char *url, int status,
                                    const char *json);
/* A header for a canned answer (route: an index from httpx_mock_route). */
HTTPX_API httpx_error httpx_mock_route_header(httpx_mock_router *m, int route, const char *name, const char *value);
/* A function answers (a handler of its own, with its own user data). */
HTTPX_API int httpx_mock_route_fn(httpx_mock_router *m, const char *method, const char *url, httpx_mock_fn fn,
                                  void *user_data);
/* The request fails with this error and message (NULL: httpx_strerror's), as
   respx's side_effect=httpx.ConnectError: HTTPX_OK means HTTPX_ERR_CONNECT. */
HTTPX_API int httpx_mock_route_error(httpx_mock_router *m, const char *method, const char *url, httpx_error code,
                                     const char *message);
/* How many requests a route answered (-1: no such route). */
HTTPX_API int httpx_mock_route_calls(const httpx_mock_router *m, int route);
/* How many routes were never called; buf (may be NULL) gets them listed,
   "#1 GET https://api.test/users, #3 * /health", cut with "..." when cap is
   too small. */
HTTPX_API int httpx_mock_router_uncalled(const httpx_mock_router *m, char *buf, size_t cap);
/* How many requests no route matched (each failed with HTTPX_ERR_CONNECT). */
HTTPX_API int httpx_mock_router_unmatched(const httpx_mock_router *m);

/* >>hooks: event hooks, as HTTPX's event_hooks={'request': [...], 'response': [...]}.
   Arrays in httpx_client_opts, each ended by an entry whose fn is NULL,
   called in order for every hop: each redirect hop and each round of an auth
   flow gets its own calls. A request hook sees the request just before it
   goes out and may edit it (httpx_request_set_header & co.). A response hook
   sees the response as soon as its head is in, before any body is read, for
   streams and non-streams alike (as in HTTPX): status, reason, headers, URL,
   httpx_response_request; not the body. It may call httpx_raise_for_status.
   A hook returns HTTPX_OK to go on; any other code ends the request with
   that code and nothing more is sent (no further hook, hop or body read):
   r->error_message names the hook ("response hook 'name' ...") unless the
   hook failed through httpx_raise_for_status, whose words stay. Hooks run on
   the thread that drives the client, inside the call that does; they must
   not call into the client (no requests, no reading). name (may be NULL) is
   for messages; arrays and names are copied at httpx_client_new. */
typedef httpx_error (*httpx_request_hook_fn)(void *user_data, httpx_req *request);
typedef httpx_error (*httpx_response_hook_fn)(void *user_data, httpx_response *response);
typedef struct httpx_request_hook {
    httpx_request_hook_fn fn;   /* NULL ends the array */
    void *user_data;
    const char *name;
} httpx_request_hook;
typedef struct httpx_response_hook {
    httpx_response_hook_fn fn;  /* NULL ends the array */
    void *user_data;
    const char *name;
} httpx_response_hook;

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
    size_t max_body_size;       /* 0: 1 GiB. Bodies kept in memory, not streams; counts decoded
                                   bytes (a gzip body over it is HTTPX_ERR_TOO_LARGE) */
    int max_decompression_ratio;/* 0: 200. A decoded body (gzip, deflate...) more than this many
                                   times larger than its wire bytes, once past 1 MiB, ends in
                                   HTTPX_ERR_DECODING (a decompression bomb); -1: no limit */
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
    httpx_app_fn app;           /* NULL: the network. Else every request is served by this
                                   in-process app (see >>app), bodies streamed both ways;
                                   nothing is dialled. Set app or mock, not both */
    void *app_user_data;        /* passed to app */
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
    const httpx_request_hook *request_hooks;   /* NULL: none. See >>hooks */
    const httpx_response_hook *response_hooks; /* NULL: none. See >>hooks */
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
    int retries;                /* 0: none. As HTTPX's HTTPTransport(retries=N): a request whose
                                   connection could not be made (refused, unreachable, a name not
                                   found, a connect timeout, a TLS handshake cut short; never a
                                   certificate failure, never after a request byte went) is
                                   tried up to N more times, after a backoff (see >>retries) */
    httpx_retry retry;          /* resends on chosen statuses; off unless retry.max > 0 (see >>retries) */
    const char *local_address;  /* NULL: the system's choice. A literal IPv4 or IPv6 address the
                                   connections are made from (HTTPX's local_address); a target
                                   address of the other family is skipped. Another value fails
                                   every request with HTTPX_ERR_INVALID_ARGUMENT */
} httpx_client_opts;

/* >>response */
struct httpx_response {
    httpx_error error;          /* HTTPX_OK or why the request failed */
    const char *error_message;  /* never NULL: "" when there is no error (or the words of the
                                   last httpx_raise_for_status that said HTTPX_ERR_STATUS) */
    int sys_errno;              /* errno behind a network error, else 0 */
    int tls_error;              /* BearSSL error number behind HTTPX_ERR_TLS, else 0 (HTTPX_OPENSSL:
                                   the X509_V_ERR_* of a certificate, else OpenSSL's reason code) */
    int status_code;            /* 0 when no response came */
    const char *reason_phrase;  /* never NULL */
    const char *http_version;   /* "HTTP/1.1", "HTTP/1.0"; "" when no response came */
    const char *url;            /* the final URL (after redirects); never NULL */
    double elapsed;             /* seconds from sending the request to the end of the response */
    char *content;              /* the body, NUL-terminated; never NULL ("" when empty); decoded
                                   (gzip, deflate...) unless httpx_opts.raw */
    size_t content_length;      /* bytes in content (decoded) */
    /* streaming progress */
    long long num_bytes_downloaded; /* body bytes received so far, as sent (before decoding) */
    long long expected_length;  /* Content-Length of the body (as sent), -1 when unknown */
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
   the whole body, streamed uploads and multipart included; in an app
   handler the in-memory ones only (read the others with
   httpx_app_read_body). On a response's
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
/* r.raise_for_status(): HTTPX_OK for a 2xx; HTTPX_ERR_STATUS for any other
   status (1xx and 3xx too, as HTTPX), with HTTPX's words in r->error_message:
     Client error '404 Not Found' for url 'https://example.org/x'
     For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404
   ("Server error", "Redirect response" with a "Redirect location: '...'"
   line, "Informational response"; HTTP/2's missing reason phrase is the
   standard one). r->error is left alone: the response stays readable, as
   HTTPX's does after HTTPStatusError, and a response hook that returns the
   code ends the request with it. A failed request returns its r->error. */
HTTPX_API httpx_error httpx_raise_for_status(httpx_response *r);
HTTPX_API bool httpx_is_informational(const httpx_response *r);
HTTPX_API bool httpx_is_success(const httpx_response *r);
HTTPX_API bool httpx_is_redirect(const httpx_response *r);
HTTPX_API bool httpx_is_client_error(const httpx_response *r);
HTTPX_API bool httpx_is_server_error(const httpx_response *r);
HTTPX_API bool httpx_is_error(const httpx_response *r);  /* 4xx or 5xx */
/* Streaming: >0 bytes, 0 at the end of the body, <0 a negated httpx_error (also in r->error).
   Bytes are decoded (Content-Encoding undone; corrupt data: -HTTPX_ERR_DECODING) unless the
   request set httpx_opts.raw, which gives them as sent. */
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
