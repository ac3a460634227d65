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

typedef struct httpx_auth {
    int kind;                   /* 0 none, 1 basic */
    const char *username, *password;
} httpx_auth;
HTTPX_API httpx_auth httpx_basic_auth(const char *username, const char *password);

typedef struct httpx_response httpx_response;

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
    httpx_auth auth;            /* overrides the client's and the URL's userinfo */
    httpx_timeout timeout;      /* zero fields take the client's */
    bool follow_redirects;      /* default false, as in HTTPX */
    int max_redirects;          /* 0: the client's (20) */
} httpx_opts;

typedef struct httpx_client_opts {
    const char *base_url;       /* relative request URLs join this */
    const httpx_pair *headers;  /* sent with every request */
    const httpx_pair *params;   /* added to every request */
    httpx_auth auth;
    httpx_timeout timeout;      /* zero fields: 5 s */
    httpx_limits limits;
    bool follow_redirects;
    int max_redirects;          /* 0: 20 */
    size_t max_head_size;       /* 0: 64 KiB. A longer response head is HTTPX_ERR_TOO_LARGE */
    size_t max_body_size;       /* 0: 1 GiB. Bodies kept in memory, not streams */
    const char *user_agent;     /* NULL: "httpx.h/<version>" */
} httpx_client_opts;

/* >>response */
struct httpx_response {
    httpx_error error;          /* HTTPX_OK or why the request failed */
    const char *error_message;  /* never NULL: "" when there is no error */
    int sys_errno;              /* errno behind a network error, else 0 */
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
#define HTTPX__PRIVATE
/* Internal declarations shared by the components. Nothing here is part of the
   API: names are httpx__ and, in the amalgamation, static. */

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

/* Internal functions are static in the amalgamation. The test build defines
   HTTPX__PRIVATE as empty so that test files can call them from other units. */
#ifndef HTTPX__PRIVATE
#if defined(__GNUC__) || defined(__clang__)
#define HTTPX__PRIVATE static __attribute__((unused))
#else
#define HTTPX__PRIVATE static
#endif
#endif

/* ---- base: memory, buffers, strings, errors, time ---- */

HTTPX__PRIVATE void *httpx__malloc(size_t n);
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n);
HTTPX__PRIVATE void  httpx__free(void *p);
HTTPX__PRIVATE char *httpx__strdup(const char *s);

/* A growable byte buffer. Zero-initialised is empty. Functions return false
   only when the allocator fails. The contents are NUL-terminated whenever
   cap > 0 (the NUL is not counted in len). */
typedef struct httpx__buf { char *p; size_t len, cap; bool borrowed; } httpx__buf;
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
    __attribute__((format(printf, 3, 4)))
#endif
    ;

HTTPX__PRIVATE double httpx__now(void);  /* monotonic seconds */

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
/* Appends the normalised URL as shown to users (r->url): lower-case scheme and
   host, no userinfo, no default port, path "/" when empty, query kept, no
   fragment. */
HTTPX__PRIVATE bool httpx__url_write(httpx__buf *out, const httpx__url *u);
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

/* ---- headers ---- */

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
   Returns the head's length in bytes (> 0) when complete, -2 when more bytes
   are needed, -1 on a malformed head (e filled with HTTPX_ERR_REMOTE_PROTOCOL
   and a message), -3 when more than max_headers fields came (TOO_LARGE).
   Pure: no allocation, no state beyond the arguments; call again on the whole
   buffer when more bytes arrive. */
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
   is complete, 0 when more input is needed, -1 on bad framing (e filled:
   HTTPX_ERR_REMOTE_PROTOCOL). After 1, d->extra is the number of input bytes
   after the end of the message (they are not in the output). */
HTTPX__PRIVATE int httpx__chunked_decode(httpx__chunked *d, char *buf, size_t *len, httpx__err *e);

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

/* ---- net: resolution and nonblocking sockets ---- */

#include <sys/types.h>
#include <sys/socket.h>

#define HTTPX__MAX_ADDRS 8
typedef struct httpx__addrs {
    struct sockaddr_storage addr[HTTPX__MAX_ADDRS];
    socklen_t len[HTTPX__MAX_ADDRS];
    int count;
} httpx__addrs;
HTTPX__PRIVATE httpx_error httpx__resolve(const char *host, int port, httpx__addrs *a, httpx__err *e);
HTTPX__PRIVATE void httpx__addrs_free(httpx__addrs *a);
HTTPX__PRIVATE void httpx__addr_string(const httpx__addrs *a, int i, char *out, size_t cap);
HTTPX__PRIVATE int  httpx__connect_start(const httpx__addrs *a, int i, httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__connect_finish(int fd, const httpx__addrs *a, int i, httpx__err *e);
HTTPX__PRIVATE long httpx__sock_send(int fd, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__sock_recv(int fd, void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE void httpx__sock_close(int fd);

/* ---- tls ---- */
/* HTTPX_OK when https can be used in this build, else why not. */
HTTPX__PRIVATE httpx_error httpx__tls_available(httpx__err *e);

/* ---- connections, the pool and the exchange state machine ---- */

enum httpx__conn_state { HTTPX__CONN_CONNECTING, HTTPX__CONN_IDLE, HTTPX__CONN_BUSY };

typedef struct httpx__conn httpx__conn;
struct httpx__conn {
    httpx__conn *next;          /* the client's list of every open connection */
    int fd;
    enum httpx__conn_state state;
    char origin[300];           /* "http://host:port": the pool key */
    httpx__addrs addrs;         /* while connecting: the addresses to try in turn */
    int addr_index;
    double attempt_deadline;    /* when to give up on the current address */
    double idle_since;
    unsigned long served;       /* exchanges completed on it */
    httpx__buf in;              /* received bytes; in_off..len not yet consumed */
    size_t in_off;
    httpx__buf out;             /* bytes to send; out_off..len not yet sent */
    size_t out_off;
};

enum httpx__ex_state {
    HTTPX__EX_QUEUED,           /* waiting for a connection from the pool */
    HTTPX__EX_CONNECTING,
    HTTPX__EX_SENDING,          /* head, then body */
    HTTPX__EX_RECV_HEAD,
    HTTPX__EX_RECV_BODY,        /* into memory */
    HTTPX__EX_STREAMING,        /* head is in; the caller pulls the body */
    HTTPX__EX_DONE
};

typedef struct httpx__response httpx__response;

/* One request and its response on one connection: the unit the engine drives. */
typedef struct httpx__exchange {
    enum httpx__ex_state state;
    httpx_client *client;
    httpx__response *resp;
    const httpx_opts *opts;         /* the caller's options (never NULL: points at zeros) */
    char method[32];
    httpx__url url;                 /* views into resp->url_text */
    httpx_timeout timeout;          /* resolved: seconds, <0 none */
    httpx__conn *conn;
    bool reused;                    /* the connection served before: a failure before any
                                       response byte may be a stale connection */
    bool retried;
    bool stream;                    /* stop once the head is in */
    bool head_request;
    short want;                     /* poll events the exchange waits for */
    double deadline;                /* when the current wait fails (0: none) */
    double started;
    httpx_error timeout_error;      /* which timeout the current wait is */
    /* the request body */
    const char *body;               /* in memory: content, json, urlencoded data */
    size_t body_len, body_off;
    httpx__multipart *multipart;
    httpx_read_fn upload;
    void *upload_user_data;
    long long upload_length;        /* -1: unknown, sent chunked */
    bool body_chunked, body_done;
    /* the response body */
    httpx__h1_framing framing;
    httpx__chunked chunked;
    uint64_t remaining;             /* HTTPX__BODY_LENGTH: bytes still to come */
    size_t scanned;                 /* how far the head-end search got */
    size_t decoded;                 /* chunked: decoded body bytes waiting at conn->in */
    bool body_complete;             /* the whole response body has been received */
    bool reusable;                  /* the connection may serve another exchange */
    bool strip_auth;                /* redirected to another origin: no credentials */
    const char *content_type;       /* of the body, unless the caller sets one */
} httpx__exchange;

#define HTTPX__INLINE_FIELDS 24
struct httpx__response {
    httpx_response pub;             /* first: the public view is a cast away */
    httpx__exchange ex;
    httpx_client *owned_client;     /* one-shot calls free their client with the response */
    httpx_headers headers;
    httpx__field inline_fields[HTTPX__INLINE_FIELDS];
    char inline_text[2048];         /* header text of most responses */
    httpx__buf url_text;            /* the absolute request URL, NUL-terminated */
    char url_inline[512];
    httpx__buf body;
    httpx__buf scratch;             /* text() conversion, read_line() lines */
    size_t line_used;               /* read_line: bytes of scratch to drop on the next call */
    char reason[64];
    char errmsg[240];
};

struct httpx_client {
    httpx_client_opts opts;         /* defaults applied; strings below are our own copies */
    httpx__buf base_url;
    httpx_pair *headers, *params;   /* deep copies, {0}-terminated */
    char *strings;                  /* storage of those copies */
    httpx__conn *conns;
    int num_conns;
    httpx__buf auth_header;         /* "Basic ..." from opts.auth, or empty */
};

/* request serialisation (body.c) */
HTTPX__PRIVATE httpx_error httpx__request_body_setup(httpx__exchange *ex, httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__request_head(httpx__exchange *ex, httpx__buf *out, httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__request_body_fill(httpx__exchange *ex, httpx__buf *out, httpx__err *e);
HTTPX__PRIVATE void httpx__request_body_free(httpx__exchange *ex);

HTTPX__PRIVATE httpx_error httpx__conn_new(httpx_client *c, httpx__exchange *ex, httpx__err *e);
HTTPX__PRIVATE void httpx__conn_close(httpx_client *c, httpx__conn *conn);
HTTPX__PRIVATE httpx__conn *httpx__pool_take(httpx_client *c, const char *origin);
HTTPX__PRIVATE void httpx__pool_put(httpx_client *c, httpx__conn *conn, bool reusable);
HTTPX__PRIVATE void httpx__exchange_step(httpx__exchange *ex, short revents);
HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e);
HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE httpx_error httpx__exchange_wait(httpx__exchange *ex, httpx__err *e);
HTTPX__PRIVATE void httpx__exchange_release(httpx__exchange *ex, bool reusable);
HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n);
/* base: allocator hooks, growable buffers, string helpers, errors, clock. */
#include <errno.h>
#include <time.h>

HTTPX__PRIVATE void *httpx__malloc(size_t n) { return HTTPX_MALLOC(n ? n : 1); }
HTTPX__PRIVATE void *httpx__realloc(void *p, size_t n) { return HTTPX_REALLOC(p, n ? n : 1); }
HTTPX__PRIVATE void httpx__free(void *p) { if (p) HTTPX_FREE(p); }

HTTPX__PRIVATE char *httpx__strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)httpx__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

HTTPX__PRIVATE bool httpx__buf_reserve(httpx__buf *b, size_t extra) {
    size_t need, cap;
    char *p;
    if (extra > (size_t)-1 / 2 - b->len) return false;
    need = b->len + extra + 1;                  /* +1: always room for the NUL */
    if (need <= b->cap) return true;
    cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    if (b->borrowed) {
        p = (char *)httpx__malloc(cap);
        if (!p) return false;
        memcpy(p, b->p, b->len + 1);
        b->borrowed = false;
    } else {
        p = (char *)httpx__realloc(b->p, cap);
        if (!p) return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

HTTPX__PRIVATE bool httpx__buf_append(httpx__buf *b, const void *p, size_t n) {
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
    b->borrowed = false;
}

HTTPX__PRIVATE void httpx__buf_init_inline(httpx__buf *b, char *mem, size_t cap) {
    b->p = mem;
    b->cap = cap;
    b->len = 0;
    b->borrowed = true;
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

HTTPX__PRIVATE double httpx__now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const httpx__error_names[HTTPX_ERR_COUNT_] = {
    "no error",
    "connect timeout", "read timeout", "write timeout", "pool timeout",
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
    return e >= HTTPX_ERR_CONNECT_TIMEOUT && e <= HTTPX_ERR_POOL_TIMEOUT;
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
   query and fragment accept any byte but space and control characters; the
   request target percent-encodes what may not be sent as is. */

#define HTTPX__U_MAX_HOST 255   /* DNS names are at most 253 bytes (RFC 1035) */

static int httpx__u_hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool httpx__u_is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool httpx__u_is_digit(int c) { return c >= '0' && c <= '9'; }

static bool httpx__u_unreserved(int c) {
    return httpx__u_is_alpha(c) || httpx__u_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool httpx__u_subdelim(int c) { return c != 0 && strchr("!$&'()*+,;=", c) != NULL; }

static bool httpx__u_escape_at(const char *s, size_t n, size_t i) {
    return i + 2 < n && httpx__u_hexval((unsigned char)s[i + 1]) >= 0 && httpx__u_hexval((unsigned char)s[i + 2]) >= 0;
}

static const char httpx__u_hex[] = "0123456789ABCDEF";

static bool httpx__u_put_pct(httpx__buf *out, unsigned char c) {
    char t[3];
    t[0] = '%';
    t[1] = httpx__u_hex[c >> 4];
    t[2] = httpx__u_hex[c & 15];
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

/* Space and control characters are refused everywhere, before any other
   check, because a URL carrying them is more likely an injection (CR/LF into
   the request line) than a typo. */
static httpx_error httpx__u_check_bytes(const char *s, size_t n, httpx__err *e) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ')
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
        for (len = 0; i + len < n && len < 5 && httpx__u_hexval((unsigned char)s[i + len]) >= 0; len++) {}
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
            if (httpx__u_hexval((unsigned char)s[i]) < 0) return false;
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
    if ((rc = httpx__u_check_bytes(s, n, e))) return rc;
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
    return httpx__buf_printf(out, ":%d", u->port);
}

HTTPX__PRIVATE bool httpx__url_write(httpx__buf *out, const httpx__url *u) {
    return httpx__buf_puts(out, u->is_https ? "https://" : "http://") &&
           httpx__url_write_authority(out, u) && httpx__url_write_target(out, u);
}

/* ---- percent-decoding and credentials ---- */

HTTPX__PRIVATE bool httpx__pct_decode(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run, old = out->len;
    while (i < n) {
        for (run = i; run < n && s[run] != '%'; run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) goto fail;
        if (run == n) break;
        if (!httpx__u_escape_at(s, n, run)) goto fail;
        if (!httpx__buf_putc(out, (char)(httpx__u_hexval((unsigned char)s[run + 1]) * 16 +
                                         httpx__u_hexval((unsigned char)s[run + 2]))))
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
