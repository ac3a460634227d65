/* intro */

/* ======================================================================
   Begin file public.h   (grep anchor: >>public)
   ====================================================================== */
#ifndef HTTPX_H_INCLUDED
#define HTTPX_H_INCLUDED

#define HTTPX_VERSION_MAJOR 0
#define HTTPX_VERSION_MINOR 1
#define HTTPX_VERSION_PATCH 0
#define HTTPX_VERSION "0.1.0"

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifndef HTTPX_API
#ifdef HTTPX_STATIC
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
/* End of public.h */

#ifdef HTTPX_IMPLEMENTATION
#ifndef HTTPX_IMPLEMENTATION_INCLUDED
#define HTTPX_IMPLEMENTATION_INCLUDED

/* ======================================================================
   Begin file internal.h   (grep anchor: >>internal)
   ====================================================================== */
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
typedef struct httpx__buf { char *p; size_t len, cap; } httpx__buf;
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
/* End of internal.h */

/* ======================================================================
   Begin file base.c   (grep anchor: >>base)
   ====================================================================== */
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
    p = (char *)httpx__realloc(b->p, cap);
    if (!p) return false;
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
    httpx__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
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
/* End of base.c */

/* ======================================================================
   Begin file url.c   (grep anchor: >>url)
   ====================================================================== */
/* url: not written yet */
/* End of url.c */

/* ======================================================================
   Begin file headers.c   (grep anchor: >>headers)
   ====================================================================== */
/* headers: not written yet */
/* End of headers.c */

/* ======================================================================
   Begin file h1.c   (grep anchor: >>h1)
   ====================================================================== */
/* h1: not written yet */
/* End of h1.c */

/* ======================================================================
   Begin file multipart.c   (grep anchor: >>multipart)
   ====================================================================== */
/* multipart: not written yet */
/* End of multipart.c */

/* ======================================================================
   Begin file body.c   (grep anchor: >>body)
   ====================================================================== */
/* body: not written yet */
/* End of body.c */

/* ======================================================================
   Begin file net.c   (grep anchor: >>net)
   ====================================================================== */
/* net: not written yet */
/* End of net.c */

/* ======================================================================
   Begin file tls.c   (grep anchor: >>tls)
   ====================================================================== */
/* tls: not written yet */
/* End of tls.c */

/* ======================================================================
   Begin file conn.c   (grep anchor: >>conn)
   ====================================================================== */
/* conn: not written yet */
/* End of conn.c */

/* ======================================================================
   Begin file client.c   (grep anchor: >>client)
   ====================================================================== */
/* client: not written yet */
/* End of client.c */

/* ======================================================================
   Begin file response.c   (grep anchor: >>response)
   ====================================================================== */
/* response: not written yet */
/* End of response.c */

#endif /* HTTPX_IMPLEMENTATION_INCLUDED */
#endif /* HTTPX_IMPLEMENTATION */

/*
Copyright and license placeholder
*/
