/* h2_internal.h: HTTP/2: HPACK, frames, the client session (hpack.c, h2_frame.c, h2_session.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__H2_INTERNAL_H
#define HTTPX__H2_INTERNAL_H
#include "internal.h"
#include "h1_internal.h"
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
