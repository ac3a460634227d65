#ifndef HTTPX_H_INCLUDED
#define HTTPX_H_INCLUDED

/* The implementation needs POSIX (sockets, poll, clock_gettime) even under
   -std=c99. This works when httpx.h is the first include of the
   implementation file; otherwise define _POSIX_C_SOURCE yourself. */
#if defined(HTTPX_IMPLEMENTATION) && !defined(_WIN32) && !defined(_POSIX_C_SOURCE) && \
    !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE) && !defined(_DEFAULT_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#define HTTPX_VERSION_MAJOR 0
#define HTTPX_VERSION_MINOR 1
#define HTTPX_VERSION_PATCH 0
#define HTTPX_VERSION "0.1.0"

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifndef HTTPX_API
#if defined(HTTPX_STATIC) && (defined(__GNUC__) || defined(__clang__))
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
HTTPX_API bool httpx_is_timeout(httpx_error e);        /* the four *_TIMEOUT codes */
HTTPX_API bool httpx_is_network_error(httpx_error e);  /* CONNECT, READ, WRITE, CLOSE */
HTTPX_API bool httpx_is_protocol_error(httpx_error e); /* LOCAL_ and REMOTE_PROTOCOL */
HTTPX_API bool httpx_is_transport_error(httpx_error e);/* any failure talking to a server */

/* >>types */
typedef struct httpx_pair { const char *name, *value; } httpx_pair;   /* arrays end with {0} */

/* Seconds. 0 in a field means the default (5 s, as in HTTPX); a negative value
   means no limit. */
typedef struct httpx_timeout { double connect, read, write, pool; } httpx_timeout;

typedef struct httpx_limits {
    int max_connections;            /* 0: 100. Open connections per client, all origins */
    int max_keepalive_connections;  /* 0: 20. Idle connections kept in the pool */
    double keepalive_expiry;        /* 0: 5 s. An idle connection older than this is closed */
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
} httpx_tls_opts;

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

/* Per-request options: valid when zeroed. */
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
    httpx_auth auth;            /* kind 0: the client's, else the URL's userinfo; HTTPX_AUTH_NONE: none */
    httpx_timeout timeout;      /* zero fields take the client's */
    int follow_redirects;       /* HTTPX_YES (true), HTTPX_NO, or 0: the client's (default no, as in HTTPX) */
    int max_redirects;          /* 0: the client's (20) */
    const httpx_tls_opts *tls;  /* one-shot calls (httpx_get...) only: TLS settings of their
                                   private client; a client's requests use httpx_client_opts.tls
                                   (as in HTTPX, where verify= belongs to the client) */
    httpx_data_fn on_data;      /* stream the body to this callback instead of memory */
    httpx_done_fn on_done;      /* httpx_client_start: called when done, then the task is freed */
    void *user_data;            /* passed to on_data and on_done */
} httpx_opts;

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
    const char *const *nameservers; /* NULL: /etc/resolv.conf. "ip" or "ip:port", NULL-terminated;
                                   kept by pointer: it must outlive the client */
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
   never wait; -1: until something happens). Returns the number of tasks still
   in flight (queued ones included). */
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
   and does the work; it returns the tasks still in flight. */
struct pollfd;
HTTPX_API int httpx_client_fds(httpx_client *c, struct pollfd *fds, int cap, int *timeout_ms);
HTTPX_API int httpx_client_process(httpx_client *c, struct pollfd *fds, int n);

/* >>reading responses */
HTTPX_API const char *httpx_header(const httpx_response *r, const char *name);           /* first value or NULL */
HTTPX_API const char *httpx_header_nth(const httpx_response *r, const char *name, size_t n); /* n-th value of a repeated header */
HTTPX_API const httpx_headers *httpx_response_headers(const httpx_response *r);          /* all, in order */
HTTPX_API const char *httpx_text(httpx_response *r);   /* the body as UTF-8 (charset from Content-Type) */
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

#ifdef __cplusplus
}
#endif

#endif /* HTTPX_H_INCLUDED */
