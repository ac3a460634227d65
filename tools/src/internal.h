/* Internal declarations shared by the components. Nothing here is part of the
   API: names are httpx__ and, in the amalgamation, static. It includes what it
   uses, so that each component compiles alone (make modules). */
#include "public.h"
#include "platform.h"

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
    __attribute__((format(printf, 3, 4)))
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

/* ---- return codes of the nonblocking calls ----
   One convention for every call that moves bytes or parses them as they come
   (net, streams, tls, dns, the HTTP/1.1 and HTTP/2 parsers): a value >= 0 is
   progress (a count, or 0 where documented, e.g. end of stream), and: */
#define HTTPX__BAD   (-1)   /* failed: the httpx__err says why */
#define HTTPX__AGAIN (-2)   /* would block, or needs more input: call again later */
#define HTTPX__FULL  (-3)   /* a caller-given room or limit was hit (say which in the caller) */

/* ---- net: nonblocking sockets (the system calls are platform.c's and net.c's) ---- */

/* Fills ss with family (AF_INET: ip is 4 bytes, AF_INET6: 16) and port;
   returns its length. */
HTTPX__PRIVATE socklen_t httpx__sockaddr_make(struct sockaddr_storage *ss, int family, const void *ip, int port);
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
HTTPX__PRIVATE int httpx__dns_fd(const httpx__dns *d);
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

/* A response head as protocol-neutral views (HTTP/1.1 parses into these). */
typedef httpx__h1_header httpx__field_view;

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
    const char *proxy;              /* the proxy hop to go through: NULL (direct) until proxies
                                       come (the next issue), as one more stream in the stack
                                       under TLS; then part of the key too */
} httpx__route;

struct httpx__conn {
    httpx__conn *next;              /* the client's list of every connection */
    httpx_client *client;
    enum httpx__conn_state state;
    httpx__route route;             /* where it goes; the pool's key */
    httpx__dns *dns;                /* while resolving */
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
    struct pollfd *pollfds;         /* the loop's array, reused */
    int pollfds_cap;
    /* what a connection may speak, most preferred first, NULL-terminated */
    const httpx__proto *protocols[HTTPX__MAX_PROTOCOLS + 1];
};

/* request.c */
HTTPX__PRIVATE httpx_error httpx__request_build(httpx__response *r, httpx__err *e);
/* response.c: the response object, the door, the body sinks */
HTTPX__PRIVATE httpx__response *httpx__response_new(void);
/* The sink a response listens to its exchange with. */
HTTPX__PRIVATE const httpx__exchange_sink *httpx__response_sink(void);
HTTPX__PRIVATE void httpx__response_fail(httpx__response *r, httpx__err *e);
HTTPX__PRIVATE void httpx__response_publish(httpx__response *r);
/* mock.c */
HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void);
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
HTTPX__PRIVATE bool httpx__base64(httpx__buf *out, const char *s, size_t n);
/* on_debug (httpx_client_opts): a head that is already text goes as it is,
   one call, nothing done when no callback is set. */
#define HTTPX__DEBUG(c, kind, p, n)                                                    \
    do { if ((c)->opts.on_debug) (c)->opts.on_debug((c)->opts.debug_user_data, kind, p, n); } while (0)
/* headers.c: a head that is not text (the response door's fields) rendered
   for on_debug: line, then "name: value" lines, CRLF each, then CRLF. */
HTTPX__PRIVATE void httpx__debug_fields(const httpx_client *c, httpx_debug_kind kind, const char *line,
                                        const httpx__field_view *f, size_t n);
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

/* ---- json, text: UTF-8, the JSON reader and writer, decoded views of a body ----
   (utf8.c, json.c, jsonw.c, text.c) */

/* The return-code convention of byte-level calls: >= 0 progress, these two
   otherwise. */
#ifndef HTTPX__BAD
#define HTTPX__BAD (-1)     /* failed; the httpx__err says why */
#define HTTPX__AGAIN (-2)   /* needs more input */
#endif

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
HTTPX__PRIVATE void httpx__views_free(httpx__response *r);

/* ---- HTTP/2: HPACK and frames (RFC 7541, RFC 9113) ---- */
#ifndef HTTPX_NO_HTTP2

/* The return convention of the byte-level calls: >= 0 progress, HTTPX__BAD
   failed (the httpx__err says why), HTTPX__AGAIN needs more input. */
#ifndef HTTPX__BAD
#define HTTPX__BAD (-1)
#define HTTPX__AGAIN (-2)
#endif

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
/* hpack.c: an HTTP/2 request's header list as text for on_debug
   (HTTPX_DEBUG_HEADER_OUT), pseudo-headers first, as it is encoded. */
HTTPX__PRIVATE void httpx__hpack_debug(const httpx_client *c, const httpx__hpack_field *f, size_t n);
#endif
