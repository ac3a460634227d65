/* h2_session: the client side of one HTTP/2 connection (RFC 9113) without
   any I/O. The caller hands in the server's bytes (httpx__h2_feed), sends
   what httpx__h2_out holds, and acts on events; requests go in through
   httpx__h2_submit and httpx__h2_send_data. Stream states (5.1), flow
   control (5.2, 6.9), settings, PING, GOAWAY and the HTTP rules for a
   response (8.1, 8.2) live here; frame syntax is h2_frame.c's, field
   compression hpack.c's. Private prefix: httpx__h2_. */
#include "internal.h"
#include "headers_internal.h"
#include "h1_internal.h"
#include "h2_internal.h"

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
