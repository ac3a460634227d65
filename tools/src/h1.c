/* h1: HTTP/1.1 response head parser, body framing (RFC 9112 section 6.3) and
   the chunked transfer coding decoder.

   The head parser is a pure function over the caller's buffer: it keeps no
   state, allocates nothing and returns views into the buffer, so a caller
   simply calls it again on the grown buffer. It is strict where leniency has
   been used for request smuggling or response splitting (bare CR, NUL,
   whitespace before the colon, obs-fold, conflicting lengths) and lenient
   where it costs nothing (bare LF line ends, RFC 9112 section 2.2; empty lines
   before the status line, which some servers send after a body). */
#include "internal.h"
#include "h1_internal.h"

#define HTTPX__H1_CHUNK_LINE_MAX 4096     /* a chunk size line with extensions */
#define HTTPX__H1_TRAILERS_MAX 65536      /* the whole trailer section */

/* ---- head ---- */

typedef struct httpx__h1p {
    const char *buf;
    size_t len, pos;
    httpx__err *e;
} httpx__h1p;

static int httpx__h1p_bad(httpx__h1p *p, const char *what) {
    httpx__fail(p->e, HTTPX_ERR_REMOTE_PROTOCOL, "malformed response head: %s at byte %lu",
                what, (unsigned long)p->pos);
    return HTTPX__BAD;
}

/* Field-value and reason-phrase bytes: HTAB, SP, VCHAR, obs-text. */
static bool httpx__h1_is_text(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Skips empty lines in front of the status line: a server may send a stray
   CRLF after a body, and reading it as a line of its own is harmless for a
   client. Returns where the status line starts, or len when not known yet. */
static size_t httpx__h1_skip_empty_lines(const char *buf, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (buf[i] == '\n') i++;
        else if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') i += 2;
        else if (buf[i] == '\r' && i + 1 == len) return len;
        else break;
    }
    return i;
}

HTTPX__PRIVATE size_t httpx__h1_find_head_end(const char *buf, size_t len, size_t from) {
    size_t start = httpx__h1_skip_empty_lines(buf, len), i;
    if (from < start) from = start;
    /* a blank line is an LF followed by LF or CR LF */
    for (i = from; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
    }
    return 0;
}

/* Consumes a line end at p->pos: CRLF or LF. 0 when one was there. */
static int httpx__h1p_eol(httpx__h1p *p) {
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos] == '\n') { p->pos++; return 0; }
    if (p->buf[p->pos] != '\r') return httpx__h1p_bad(p, "expected end of line");
    if (p->pos + 1 >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos + 1] != '\n') return httpx__h1p_bad(p, "CR not followed by LF");
    p->pos += 2;
    return 0;
}

/* Moves over field-value or reason text up to the line end, which it leaves. */
static int httpx__h1p_text(httpx__h1p *p, const char *what) {
    for (; p->pos < p->len; p->pos++) {
        unsigned char c = (unsigned char)p->buf[p->pos];
        if (c == '\r' || c == '\n') return 0;
        if (!httpx__h1_is_text(c)) {
            char msg[80];
            snprintf(msg, sizeof msg, "control character 0x%02x in %s", c, what);
            return httpx__h1p_bad(p, msg);
        }
    }
    return HTTPX__AGAIN;
}

static int httpx__h1p_expect(httpx__h1p *p, bool ok, const char *what) {
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (!ok) return httpx__h1p_bad(p, what);
    p->pos++;
    return 0;
}

#define HTTPX__H1_TRY(x) do { int r_ = (x); if (r_) return r_; } while (0)
#define HTTPX__H1_AT(p) ((p)->pos < (p)->len ? (unsigned char)(p)->buf[(p)->pos] : 0)

static bool httpx__h1_digit(int c) { return c >= '0' && c <= '9'; }

static int httpx__h1p_status_line(httpx__h1p *p, httpx__h1_head *head) {
    static const char name[] = "HTTP/1.";
    size_t i, start;
    int status = 0;
    for (i = 0; i < sizeof name - 1; i++, p->pos++) {
        if (p->pos >= p->len) return HTTPX__AGAIN;
        if (p->buf[p->pos] != name[i])
            return httpx__h1p_bad(p, i >= 5 ? "HTTP version is not 1.x" : "status line does not start with HTTP/");
    }
    HTTPX__H1_TRY(httpx__h1p_expect(p, httpx__h1_digit(HTTPX__H1_AT(p)), "bad minor version"));
    head->minor_version = p->buf[p->pos - 1] - '0';
    HTTPX__H1_TRY(httpx__h1p_expect(p, HTTPX__H1_AT(p) == ' ', "expected one space after the version"));
    for (i = 0; i < 3; i++) {
        unsigned char c = HTTPX__H1_AT(p);
        HTTPX__H1_TRY(httpx__h1p_expect(p, httpx__h1_digit(c) && (i > 0 || c != '0'),
                                        "status code is not three digits from 100 to 999"));
        status = status * 10 + (c - '0');
    }
    head->status = status;
    if (p->pos >= p->len) return HTTPX__AGAIN;
    if (p->buf[p->pos] == ' ') p->pos++;   /* "HTTP/1.1 301\r\n": no reason at all is fine */
    else if (p->buf[p->pos] != '\r' && p->buf[p->pos] != '\n')
        return httpx__h1p_bad(p, "status code is not three digits from 100 to 999");
    start = p->pos;
    HTTPX__H1_TRY(httpx__h1p_text(p, "reason phrase"));
    head->reason = p->buf + start;
    head->reason_len = p->pos - start;
    return httpx__h1p_eol(p);
}

/* One "name: value" line; p->pos is at its first byte, which is a tchar. */
static int httpx__h1p_field(httpx__h1p *p, httpx__h1_header *h) {
    size_t start = p->pos, end;
    for (;;) {
        unsigned char c = HTTPX__H1_AT(p);
        if (p->pos >= p->len) return HTTPX__AGAIN;
        if (c == ':') break;
        if (c == ' ' || c == '\t') return httpx__h1p_bad(p, "whitespace between header name and colon");
        if (c == '\r' || c == '\n') return httpx__h1p_bad(p, "header line without a colon");
        if (!httpx__is_tchar(c)) return httpx__h1p_bad(p, "invalid character in header name");
        p->pos++;
    }
    h->name = p->buf + start;
    h->name_len = p->pos - start;
    p->pos++;
    while (p->pos < p->len && (p->buf[p->pos] == ' ' || p->buf[p->pos] == '\t')) p->pos++;
    start = p->pos;
    HTTPX__H1_TRY(httpx__h1p_text(p, "header value"));
    end = p->pos;
    while (end > start && (p->buf[end - 1] == ' ' || p->buf[end - 1] == '\t')) end--;
    h->value = p->buf + start;
    h->value_len = end - start;
    return httpx__h1p_eol(p);
}

HTTPX__PRIVATE int httpx__h1_parse_head(const char *buf, size_t len, httpx__h1_head *head,
                                        httpx__h1_header *hdrs, size_t max_headers, httpx__err *e) {
    httpx__h1p p;
    size_t n = 0;
    HTTPX_ASSERT((buf || len == 0) && head && (hdrs || max_headers == 0));
    p.buf = buf;
    p.len = len;
    p.e = e;
    p.pos = httpx__h1_skip_empty_lines(buf, len);
    HTTPX__H1_TRY(httpx__h1p_status_line(&p, head));
    for (;;) {
        unsigned char c = HTTPX__H1_AT(&p);
        if (p.pos >= len) return HTTPX__AGAIN;
        if (c == '\r' || c == '\n') break;
        /* obs-fold is refused, not unfolded: RFC 9112 section 5.2 allows either,
           and a continuation line is how smuggled fields hide */
        if (c == ' ' || c == '\t')
            return httpx__h1p_bad(&p, "line folding (obs-fold) or whitespace before a header name");
        if (!httpx__is_tchar(c)) return httpx__h1p_bad(&p, "invalid character in header name");
        if (n == max_headers) {
            httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response has more than %lu header fields",
                        (unsigned long)max_headers);
            return HTTPX__FULL;
        }
        HTTPX__H1_TRY(httpx__h1p_field(&p, &hdrs[n]));
        n++;
    }
    HTTPX__H1_TRY(httpx__h1p_eol(&p));
    head->num_headers = n;
    if (p.pos > (size_t)0x7fffffff) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "response head longer than 2 GiB");
        return HTTPX__FULL;
    }
    return (int)p.pos;
}

#undef HTTPX__H1_TRY
#undef HTTPX__H1_AT

/* ---- framing ---- */

typedef struct httpx__h1_list { const char *p, *end; bool done; } httpx__h1_list;

static void httpx__h1_list_init(httpx__h1_list *l, const httpx__h1_header *h) {
    l->p = h->value;
    l->end = h->value + h->value_len;
    l->done = false;
}

/* The next element of a comma-separated list, trimmed, empty ones included
   (callers decide whether those count); false at the end. */
static bool httpx__h1_list_next(httpx__h1_list *l, httpx__str *item) {
    const char *s = l->p, *t;
    if (l->done) return false;
    t = (const char *)memchr(s, ',', (size_t)(l->end - s));
    if (t) l->p = t + 1;
    else { t = l->end; l->done = true; }
    while (s < t && (*s == ' ' || *s == '\t')) s++;
    while (t > s && (t[-1] == ' ' || t[-1] == '\t')) t--;
    item->p = s;
    item->n = (size_t)(t - s);
    return true;
}

static bool httpx__h1_name_is(const httpx__h1_header *h, const char *name) {
    httpx__str s;
    s.p = h->name;
    s.n = h->name_len;
    return httpx__str_ieq(s, name);
}

static httpx_error httpx__h1_parse_length(httpx__str s, uint64_t *out, httpx__err *e) {
    uint64_t v = 0;
    size_t i;
    if (s.n == 0) return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "empty Content-Length");
    for (i = 0; i < s.n; i++) {
        unsigned d = (unsigned char)s.p[i] - (unsigned)'0';
        if (d > 9)
            return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Content-Length \"%.*s\" is not a number",
                               (int)(s.n > 40 ? 40 : s.n), s.p);
        /* a length must also fit in the signed 64-bit expected_length */
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Content-Length is too large");
        v = v * 10 + d;
    }
    *out = v;
    return HTTPX_OK;
}

/* All Content-Length fields (and list elements) must agree (RFC 9110 8.6). */
static httpx_error httpx__h1_content_length(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                            bool *found, uint64_t *length, httpx__err *e) {
    size_t i;
    *found = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        uint64_t v = 0;
        if (!httpx__h1_name_is(&hdrs[i], "content-length")) continue;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (httpx__h1_parse_length(item, &v, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
            if (*found && v != *length)
                return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "conflicting Content-Length values");
            *found = true;
            *length = v;
        }
    }
    return HTTPX_OK;
}

/* Finds whether chunked is the final transfer coding. */
static httpx_error httpx__h1_transfer_encoding(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                               bool *found, bool *chunked, httpx__err *e) {
    size_t i, codings = 0;
    bool seen_chunked = false;
    *found = *chunked = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        if (!httpx__h1_name_is(&hdrs[i], "transfer-encoding")) continue;
        *found = true;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (item.n == 0) continue;    /* empty list elements do not count (RFC 9110 5.6.1) */
            codings++;
            *chunked = httpx__str_ieq(item, "chunked");
            if (*chunked && seen_chunked)
                return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "Transfer-Encoding applies chunked twice");
            seen_chunked = seen_chunked || *chunked;
        }
    }
    if (*found && codings == 0) return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "empty Transfer-Encoding");
    return HTTPX_OK;
}

static bool httpx__h1_keep_alive(const httpx__h1_head *head, const httpx__h1_header *hdrs) {
    size_t i;
    bool close = false, keep = false;
    for (i = 0; i < head->num_headers; i++) {
        httpx__h1_list l;
        httpx__str item;
        if (!httpx__h1_name_is(&hdrs[i], "connection")) continue;
        httpx__h1_list_init(&l, &hdrs[i]);
        while (httpx__h1_list_next(&l, &item)) {
            if (httpx__str_ieq(item, "close")) close = true;
            else if (httpx__str_ieq(item, "keep-alive")) keep = true;
        }
    }
    if (close) return false;
    return head->minor_version >= 1 || keep;
}

HTTPX__PRIVATE httpx_error httpx__h1_framing_of(const httpx__h1_head *head, const httpx__h1_header *hdrs,
                                                bool request_was_head, httpx__h1_framing *out, httpx__err *e) {
    bool has_te, chunked, has_cl;
    uint64_t length = 0;
    out->kind = HTTPX__BODY_CLOSE;
    out->length = 0;
    out->keep_alive = httpx__h1_keep_alive(head, hdrs);
    if (request_was_head || head->status < 200 || head->status == 204 || head->status == 304) {
        /* these carry no body whatever the fields say (RFC 9112 6.3 rules 1-2) */
        out->kind = HTTPX__BODY_NONE;
        return HTTPX_OK;
    }
    if (httpx__h1_transfer_encoding(head, hdrs, &has_te, &chunked, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
    if (httpx__h1_content_length(head, hdrs, &has_cl, &length, e)) return HTTPX_ERR_REMOTE_PROTOCOL;
    if (has_te && has_cl)   /* RFC 9112 6.3 rule 3 allows TE to win; refusing stops smuggling */
        return httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "response has both Transfer-Encoding and Content-Length");
    if (has_te && chunked) out->kind = HTTPX__BODY_CHUNKED;
    else if (has_cl) {
        out->kind = HTTPX__BODY_LENGTH;
        out->length = length;
    }
    if (out->kind == HTTPX__BODY_CLOSE) out->keep_alive = false;
    /* RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is suspect framing: close after the message */
    if (has_te && head->minor_version == 0) out->keep_alive = false;
    return HTTPX_OK;
}

/* ---- chunked ---- */

enum {
    HTTPX__CK_SIZE_START,   /* first byte of a chunk size line */
    HTTPX__CK_SIZE,         /* hex digits */
    HTTPX__CK_SIZE_WS,      /* BWS after the size: only ';' may follow */
    HTTPX__CK_EXT,          /* chunk extensions: skipped */
    HTTPX__CK_SIZE_CR,
    HTTPX__CK_DATA,
    HTTPX__CK_DATA_END,     /* CRLF after chunk data */
    HTTPX__CK_DATA_CR,
    HTTPX__CK_TRAILER_START,
    HTTPX__CK_TRAILER,
    HTTPX__CK_TRAILER_CR,
    HTTPX__CK_END_CR,       /* CR of the final empty line */
    HTTPX__CK_DONE,
    HTTPX__CK_ERROR
};

static int httpx__ck_fail(httpx__chunked *d, httpx__err *e, const char *what) {
    d->state = HTTPX__CK_ERROR;
    httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "bad chunked body: %s", what);
    return HTTPX__BAD;
}

static int httpx__ck_size_line_end(httpx__chunked *d) {
    d->line = 0;
    return d->remaining ? HTTPX__CK_DATA : HTTPX__CK_TRAILER_START;
}

/* One byte of a size line or the trailer section: new state, or -1 (e filled). */
static int httpx__ck_byte(httpx__chunked *d, unsigned char c, httpx__err *e) {
    int h;
    switch (d->state) {
    case HTTPX__CK_SIZE_START:
    case HTTPX__CK_SIZE:
        h = httpx__hex_value(c);
        if (h >= 0) {
            if (d->remaining > (UINT64_MAX >> 4)) return httpx__ck_fail(d, e, "chunk size overflows 64 bits");
            d->remaining = (d->remaining << 4) | (uint64_t)h;
            return HTTPX__CK_SIZE;
        }
        if (d->state == HTTPX__CK_SIZE_START) return httpx__ck_fail(d, e, "expected a hex chunk size");
        if (c == ';') return HTTPX__CK_EXT;
        if (c == ' ' || c == '\t') return HTTPX__CK_SIZE_WS;
        if (c == '\r') return HTTPX__CK_SIZE_CR;
        if (c == '\n') return httpx__ck_size_line_end(d);
        return httpx__ck_fail(d, e, "invalid character in chunk size");
    case HTTPX__CK_SIZE_WS:
        if (c == ' ' || c == '\t') return HTTPX__CK_SIZE_WS;
        if (c == ';') return HTTPX__CK_EXT;
        return httpx__ck_fail(d, e, "whitespace after chunk size not followed by an extension");
    case HTTPX__CK_EXT:
        /* extensions are ignored (RFC 9112 7.1.1); only the line end matters,
           and a quoted-string cannot hide one since it may not hold CR or LF */
        if (c == '\r') return HTTPX__CK_SIZE_CR;
        if (c == '\n') return httpx__ck_size_line_end(d);
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in chunk extension");
        return HTTPX__CK_EXT;
    case HTTPX__CK_SIZE_CR:
        if (c == '\n') return httpx__ck_size_line_end(d);
        return httpx__ck_fail(d, e, "CR not followed by LF after chunk size");
    case HTTPX__CK_DATA_END:
        if (c == '\r') return HTTPX__CK_DATA_CR;
        if (c == '\n') return HTTPX__CK_SIZE_START;
        return httpx__ck_fail(d, e, "chunk data not followed by CRLF");
    case HTTPX__CK_DATA_CR:
        if (c == '\n') return HTTPX__CK_SIZE_START;
        return httpx__ck_fail(d, e, "chunk data not followed by CRLF");
    case HTTPX__CK_TRAILER_START:
        if (c == '\r') return HTTPX__CK_END_CR;
        if (c == '\n') return HTTPX__CK_DONE;
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in trailer field");
        return HTTPX__CK_TRAILER;
    case HTTPX__CK_TRAILER:
        if (c == '\r') return HTTPX__CK_TRAILER_CR;
        if (c == '\n') return HTTPX__CK_TRAILER_START;
        if (!httpx__h1_is_text(c)) return httpx__ck_fail(d, e, "control character in trailer field");
        return HTTPX__CK_TRAILER;
    case HTTPX__CK_TRAILER_CR:
        if (c == '\n') return HTTPX__CK_TRAILER_START;
        return httpx__ck_fail(d, e, "CR not followed by LF in trailer section");
    case HTTPX__CK_END_CR:
        if (c == '\n') return HTTPX__CK_DONE;
        return httpx__ck_fail(d, e, "CR not followed by LF at the end of the chunked body");
    default:
        return httpx__ck_fail(d, e, "decoder in an unknown state");
    }
}

/* Bounds the bytes of one size line, and of the whole trailer section. */
static bool httpx__ck_count(httpx__chunked *d, httpx__err *e) {
    bool trailer = d->state >= HTTPX__CK_TRAILER_START && d->state <= HTTPX__CK_END_CR;
    bool size_line = d->state <= HTTPX__CK_SIZE_CR;
    if (!trailer && !size_line) return true;
    d->line++;
    if (size_line && d->line > HTTPX__H1_CHUNK_LINE_MAX) {
        httpx__ck_fail(d, e, "chunk size line longer than 4096 bytes");
        return false;
    }
    if (trailer && d->line > HTTPX__H1_TRAILERS_MAX) {
        httpx__ck_fail(d, e, "trailer section longer than 65536 bytes");
        return false;
    }
    return true;
}

HTTPX__PRIVATE int httpx__chunked_decode(httpx__chunked *d, char *buf, size_t *len, httpx__err *e) {
    size_t r = 0, w = 0, n;
    HTTPX_ASSERT(d && len && (buf || *len == 0));
    n = *len;
    if (d->state == HTTPX__CK_ERROR) {
        *len = 0;
        httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL, "bad chunked body: decoder used after an error");
        return HTTPX__BAD;
    }
    while (r < n && d->state != HTTPX__CK_DONE) {
        int next;
        if (d->state == HTTPX__CK_DATA) {
            size_t take = n - r;
            if ((uint64_t)take > d->remaining) take = (size_t)d->remaining;
            memmove(buf + w, buf + r, take);
            w += take;
            r += take;
            d->remaining -= take;
            if (d->remaining == 0) d->state = HTTPX__CK_DATA_END;
            continue;
        }
        if (!httpx__ck_count(d, e)) { *len = 0; return HTTPX__BAD; }
        next = httpx__ck_byte(d, (unsigned char)buf[r++], e);
        if (next == HTTPX__BAD) { *len = 0; return HTTPX__BAD; }
        /* the trailer count runs across lines; a size line's count restarts */
        if (next == HTTPX__CK_SIZE_START) d->line = 0;
        d->state = next;
    }
    *len = w;
    if (d->state != HTTPX__CK_DONE) return 0;
    d->extra = n - r;
    return 1;
}
