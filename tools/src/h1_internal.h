/* h1_internal.h: HTTP/1.1: response parsing (h1.c) and the sans-IO client session (h1_session.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__H1_INTERNAL_H
#define HTTPX__H1_INTERNAL_H
#include "internal.h"
#include "url_internal.h"
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
