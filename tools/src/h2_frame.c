/* h2_frame: the HTTP/2 frame layer (RFC 9113 sections 4 and 6): a parser
   that validates each frame on its own, and writers for every frame type.

   The parser is pure: it looks at one buffer, keeps no state and allocates
   nothing; the returned frame views point into the buffer. Rules that need
   connection state (CONTINUATION order, stream states, flow control, which
   settings a client may receive) belong to the session that drives it.
   Private prefix: httpx__h2_. */
#include "internal.h"
#include "h2_internal.h"

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
