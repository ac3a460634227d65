/* The HTTP/2 session (h2_session.c) fed server bytes with streams open.
   Input: 3 bytes of set-up (windows, streams, which have bodies, the seed
   of the split points and of the user's actions), then the server's bytes,
   fed in random pieces; between pieces the "user" takes delivered body
   bytes (now or later), sends request body bytes, or cancels a stream.

   Besides crashes, leaks and undefined behaviour, it checks the
   flow-control bookkeeping against a model built only from the bytes on
   the wire (the server's frames as the session consumed them, and the
   frames the session wrote):
   - receive: the connection's and each stream's window equal what we
     advertised (SETTINGS, WINDOW_UPDATEs we sent) minus the DATA the server
     sent; the server can never get more credit than bytes it sent; once
     the user took every body byte, the whole connection window is open
     again or about to be (no byte is lost to flow control: a stall);
   - send: we never send more DATA than the server's windows allow (its
     SETTINGS_INITIAL_WINDOW_SIZE, changes applying to open streams, and
     its WINDOW_UPDATEs), and the session's send windows equal the model's;
   - events: per stream HEADERS before DATA, after END only RESET or
     WINDOW (the upload's fate), nothing after RESET,
     TRAILERS only before END, final statuses 200..999, names lower case. */
#include "fuzz.h"

#define NS 4                        /* streams we open */

typedef struct model_stream {
    uint32_t id;
    uint64_t recv, wu_out;          /* DATA received (with padding), credit we gave */
    uint64_t sent, wu_in;           /* DATA we sent, credit the server gave */
    uint64_t pending;               /* delivered to the user, not yet taken */
    size_t body_left;               /* request body still to send */
    bool head, ended, reset, has_body, cancelled;
} model_stream;

typedef struct model {
    httpx__h2_session *s;
    model_stream st[NS];
    int n;
    uint64_t conn_recv, conn_wu_out, conn_sent, conn_wu_in;
    uint64_t peer_initial;          /* the server's SETTINGS_INITIAL_WINDOW_SIZE */
    uint64_t our_initial;
    httpx__buf in_frame, out_frame; /* frames being split on each side */
    bool preface_seen;
    uint64_t rng;
} model;

static model_stream *find(model *m, uint32_t id) {
    int i;
    for (i = 0; i < m->n; i++) if (m->st[i].id == id) return &m->st[i];
    return NULL;
}

static uint32_t u32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* One whole frame seen on the wire; from_server tells the direction. */
static void on_frame(model *m, const uint8_t *f, size_t n, bool from_server) {
    uint32_t len = (uint32_t)f[0] << 16 | (uint32_t)f[1] << 8 | f[2], sid = u32(f + 5) & 0x7fffffffu;
    uint8_t type = f[3], flags = f[4];
    model_stream *st = find(m, sid);
    (void)n;
    if (type == HTTPX__H2_DATA) {
        if (from_server) {
            m->conn_recv += len;
            if (st) st->recv += len;
        } else {
            m->conn_sent += len;
            FUZZ_CHECK(st != NULL);
            st->sent += len;
        }
    } else if (type == HTTPX__H2_WINDOW_UPDATE && len == 4) {
        uint32_t inc = u32(f + 9) & 0x7fffffffu;
        if (from_server) {
            if (sid == 0) m->conn_wu_in += inc;
            else if (st) st->wu_in += inc;
        } else {
            if (sid == 0) m->conn_wu_out += inc;
            else if (st) st->wu_out += inc;
        }
    } else if (type == HTTPX__H2_SETTINGS && !(flags & HTTPX__H2_FLAG_ACK) && sid == 0 && len % 6 == 0) {
        size_t i;
        for (i = 0; i < len; i += 6) {
            unsigned id = (unsigned)f[9 + i] << 8 | f[10 + i];
            if (id == HTTPX__H2_SET_INITIAL_WINDOW_SIZE) {
                if (from_server) m->peer_initial = u32(f + 11 + i);
                else m->our_initial = u32(f + 11 + i);
            }
        }
    }
}

/* Splits a byte stream into frames as they complete. */
static void wire(model *m, httpx__buf *acc, const void *p, size_t n, bool from_server) {
    size_t off = 0;
    FUZZ_CHECK(httpx__buf_append(acc, p, n));
    if (!from_server && !m->preface_seen) {
        if (acc->len < HTTPX__H2_PREFACE_LEN) return;
        FUZZ_CHECK(memcmp(acc->p, HTTPX__H2_PREFACE, HTTPX__H2_PREFACE_LEN) == 0);
        off = HTTPX__H2_PREFACE_LEN;
        m->preface_seen = true;
    }
    for (;;) {
        const uint8_t *f = (const uint8_t *)acc->p + off;
        size_t left = acc->len - off, len;
        if (left < 9) break;
        len = (size_t)f[0] << 16 | (size_t)f[1] << 8 | f[2];
        if (left < 9 + len) break;
        on_frame(m, f, 9 + len, from_server);
        off += 9 + len;
    }
    memmove(acc->p, acc->p + off, acc->len - off);
    acc->len -= off;
}

/* Takes what the session wants to send (all of it, or a part). */
static void flush(model *m, bool all) {
    size_t n;
    const char *p = httpx__h2_out(m->s, &n);
    if (!all && n > 1) n = (size_t)(httpx__splitmix64(&m->rng) % n) + 1;
    if (!n) return;
    wire(m, &m->out_frame, p, n, false);
    httpx__h2_out_done(m->s, n);
}

/* The model and the session agree on every window. */
static void check_windows(model *m) {
    httpx__h2_session *s = m->s;
    size_t i;
    if (httpx__h2_dead(s)) return;
    flush(m, true);     /* credit given is in the output: count it */
    FUZZ_CHECK(m->conn_wu_out <= m->conn_recv + (uint64_t)s->cfg.conn_window - HTTPX__H2_WINDOW_DEFAULT);
    FUZZ_CHECK((uint64_t)s->conn_recv_window + m->conn_recv == HTTPX__H2_WINDOW_DEFAULT + m->conn_wu_out);
    FUZZ_CHECK((int64_t)(HTTPX__H2_WINDOW_DEFAULT + m->conn_wu_in) - (int64_t)m->conn_sent == s->conn_send_window);
    FUZZ_CHECK(m->conn_sent <= HTTPX__H2_WINDOW_DEFAULT + m->conn_wu_in);
    for (i = 0; i < s->nstreams; i++) {
        httpx__h2_stream *st = &s->streams[i];
        model_stream *ms = find(m, st->id);
        FUZZ_CHECK(ms != NULL);
        FUZZ_CHECK(m->our_initial == s->cfg.stream_window);
        FUZZ_CHECK((uint64_t)st->recv_window + ms->recv == m->our_initial + ms->wu_out);
        FUZZ_CHECK(ms->wu_out <= ms->recv);
        FUZZ_CHECK((int64_t)(m->peer_initial + ms->wu_in) - (int64_t)ms->sent == st->send_window);
    }
}

static void take(model *m, model_stream *ms, uint64_t n) {
    if (n > ms->pending) n = ms->pending;
    ms->pending -= n;
    httpx__h2_consumed(m->s, ms->id, (size_t)n);
}

static void drain(model *m) {
    httpx__h2_event ev;
    while (httpx__h2_next_event(m->s, &ev)) {
        model_stream *ms = ev.stream_id ? find(m, ev.stream_id) : NULL;
        size_t i;
        if (ev.stream_id) {
            FUZZ_CHECK(ms != NULL && ev.user == (void *)ms);
            /* after END only what concerns our side: a RESET (our upload is
               cut off), a WINDOW (it may go on); after RESET nothing */
            FUZZ_CHECK(!ms->reset);
            FUZZ_CHECK(!ms->ended || ev.type == HTTPX__H2_EV_RESET || ev.type == HTTPX__H2_EV_WINDOW);
        }
        switch (ev.type) {
        case HTTPX__H2_EV_HEADERS:
            FUZZ_CHECK(!ms->head);
            FUZZ_CHECK(ev.status >= 200 && ev.status <= 999);   /* any three digits, as HTTP/1.1 */
            ms->head = true;
            /* fallthrough */
        case HTTPX__H2_EV_TRAILERS:
            FUZZ_CHECK(ms->head);
            for (i = 0; i < ev.num_fields; i++) {
                size_t k;
                FUZZ_CHECK(ev.fields[i].name_len > 0 && ev.fields[i].name[ev.fields[i].name_len] == 0);
                FUZZ_CHECK(ev.fields[i].value[ev.fields[i].value_len] == 0);
                FUZZ_CHECK(ev.fields[i].name[0] != ':');
                for (k = 0; k < ev.fields[i].name_len; k++)
                    FUZZ_CHECK(!(ev.fields[i].name[k] >= 'A' && ev.fields[i].name[k] <= 'Z'));
            }
            break;
        case HTTPX__H2_EV_DATA:
            FUZZ_CHECK(ms->head && ev.len > 0);
            ms->pending += ev.len;
            break;
        case HTTPX__H2_EV_END: ms->ended = true; break;
        case HTTPX__H2_EV_RESET:
            ms->reset = true;
            FUZZ_CHECK(ev.msg && ev.msg[0]);
            break;
        case HTTPX__H2_EV_WINDOW: FUZZ_CHECK(ms != NULL); break;
        case HTTPX__H2_EV_ERROR: FUZZ_CHECK(ev.msg && ev.msg[0] && ev.error != HTTPX_OK); break;
        default: break;
        }
    }
}

static char body[70000];

static void act(model *m) {
    uint64_t r = httpx__splitmix64(&m->rng);
    model_stream *ms = &m->st[(r >> 8) % (uint64_t)m->n];
    httpx__err e;
    memset(&e, 0, sizeof e);
    switch (r & 7) {
    case 0: case 1: case 2:     /* the user reads */
        take(m, ms, (r & 1) ? ms->pending : (r >> 16) % 5000);
        break;
    case 3: case 4: {           /* more of the request body */
        size_t n = (size_t)((r >> 16) % 20000);
        long took;
        if (!ms->has_body || !ms->body_left || ms->cancelled || ms->reset || httpx__h2_dead(m->s)) break;
        if (n > ms->body_left) n = ms->body_left;
        took = httpx__h2_send_data(m->s, ms->id, body, n, n == ms->body_left, &e);
        if (took == HTTPX__BAD) {
            FUZZ_CHECK(e.code != HTTPX_OK && e.msg[0]);
            break;
        }
        FUZZ_CHECK((size_t)took <= n);
        ms->body_left -= (size_t)took;
        break;
    }
    case 5:
        if ((r >> 16) % 8 == 0 && !ms->cancelled && !ms->ended && !ms->reset) {
            httpx__h2_cancel(m->s, ms->id);
            ms->cancelled = true;
        }
        break;
    default:
        flush(m, false);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint32_t windows[4] = {0, 65535, 100000, 1000};
    fuzz_in in = {data, size};
    unsigned a = fuzz_byte(&in), b = fuzz_byte(&in), c = fuzz_byte(&in);
    httpx__h2_config cfg;
    model m;
    httpx__err e;
    uint64_t split;
    int i;
    memset(&m, 0, sizeof m);
    memset(&cfg, 0, sizeof cfg);
    cfg.stream_window = windows[a & 3];
    cfg.conn_window = windows[(a >> 2) & 3];
    cfg.max_header_list = (a & 16) ? 4096 : 0;
    split = m.rng = (uint64_t)b << 8 | c;
    m.peer_initial = HTTPX__H2_WINDOW_DEFAULT;
    m.our_initial = HTTPX__H2_WINDOW_DEFAULT;
    memset(&e, 0, sizeof e);
    m.s = httpx__h2_new(&cfg, &e);
    FUZZ_CHECK(m.s != NULL);
    m.n = 1 + (int)((a >> 5) & 3);
    for (i = 0; i < m.n; i++) {
        static const char *methods[] = {"GET", "POST", "HEAD", "PUT"};
        const char *method = methods[(b >> i) & 3];
        httpx__hpack_field f[4] = {
            {":method", 7, method, strlen(method), 0}, {":scheme", 7, "https", 5, 0},
            {":authority", 10, "example.com", 11, 0}, {":path", 5, "/", 1, 0}};
        model_stream *ms = &m.st[i];
        ms->has_body = method[1] == 'O' || method[1] == 'U';
        ms->body_left = ms->has_body ? (size_t)((c * 997u + (unsigned)i * 40000u) % sizeof body) : 0;
        FUZZ_CHECK(httpx__h2_submit(m.s, f, 4, ms->has_body, ms, &ms->id, &e) == HTTPX_OK);
    }
    flush(&m, true);
    FUZZ_CHECK(m.our_initial == m.s->cfg.stream_window);
    while (in.n && !httpx__h2_dead(m.s)) {
        size_t k = fuzz_piece(&split, in.n), used = 0;
        const uint8_t *p = in.p;
        in.p += k;
        in.n -= k;
        while (used < k) {
            size_t got = 0;
            int rc = httpx__h2_feed(m.s, p + used, k - used, &got, &e);
            FUZZ_CHECK(got <= k - used);
            wire(&m, &m.in_frame, p + used, got, true);
            used += got;
            drain(&m);
            if (rc == HTTPX__BAD) {
                FUZZ_CHECK(httpx__h2_dead(m.s) && e.code != HTTPX_OK);
                break;
            }
            FUZZ_CHECK(got > 0 || k == used);
            check_windows(&m);
        }
        act(&m);
        check_windows(&m);
    }
    /* the user takes everything: the connection window must come back */
    for (i = 0; i < m.n; i++) take(&m, &m.st[i], m.st[i].pending);
    if (!httpx__h2_dead(m.s)) {
        check_windows(&m);
        FUZZ_CHECK((uint64_t)m.s->conn_recv_window + m.s->conn_unacked == m.s->cfg.conn_window);
        FUZZ_CHECK(m.s->conn_unacked < m.s->cfg.conn_window / 2);
    }
    httpx__h2_free(m.s);
    httpx__buf_free(&m.in_frame);
    httpx__buf_free(&m.out_frame);
    return 0;
}
