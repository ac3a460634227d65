/* llhttp's Markdown response cases (testdata/http1-llhttp, see its README)
   run through our parser the way a client drives it: parse the head, work
   out the framing, read the body, and after a message that keeps the
   connection the rest of the bytes is the next response. Each case is fed
   whole and split at every offset. Where we differ from llhttp on purpose the
   case is listed in h1l_deviations with the reason; every other case must
   match: status, version, header fields, body, completed messages, and
   whether an error happened. */
#include "test.h"
#include <stdlib.h>

#define H1L_MAX_MSGS 8
#define H1L_MAX_FIELDS 24

typedef struct h1l_msg {
    int status, minor;
    size_t nfields;
    httpx__buf names[H1L_MAX_FIELDS], values[H1L_MAX_FIELDS];
    httpx__buf body;
    bool complete;
} h1l_msg;

typedef struct h1l_outcome {
    h1l_msg msg[H1L_MAX_MSGS];
    size_t nheads;          /* heads seen ("headers complete") */
    size_t ncomplete;       /* "message complete" */
    bool error;
    char why[300];
} h1l_outcome;

static void h1l_outcome_free(h1l_outcome *o) {
    size_t i, j;
    for (i = 0; i < H1L_MAX_MSGS; i++) {
        for (j = 0; j < H1L_MAX_FIELDS; j++) {
            httpx__buf_free(&o->msg[i].names[j]);
            httpx__buf_free(&o->msg[i].values[j]);
        }
        httpx__buf_free(&o->msg[i].body);
    }
    memset(o, 0, sizeof *o);
}

/* ---- the Markdown file ---- */

typedef struct h1l_case {
    char name[200];
    char type[64];
    bool pause, skip_body;
    httpx__buf input, log;
} h1l_case;

/* Input decoding, in the README's order. */
static void h1l_decode_input(const char *s, size_t n, httpx__buf *out) {
    httpx__buf a = {0}, b = {0};
    size_t i;
    if (n && s[n - 1] == '\n') n--;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') { i++; continue; }
        httpx__buf_putc(&a, s[i]);
    }
    for (i = 0; i < a.len; i++) {
        if (a.p[i] == '\n') httpx__buf_putc(&b, '\r');
        httpx__buf_putc(&b, a.p[i]);
    }
    for (i = 0; i < b.len; i++) {
        char c = b.p[i], nx = i + 1 < b.len ? b.p[i + 1] : 0;
        if (c != '\\') { httpx__buf_putc(out, c); continue; }
        if (nx == 'r') { httpx__buf_putc(out, '\r'); i++; }
        else if (nx == 'n') { httpx__buf_putc(out, '\n'); i++; }
        else if (nx == 't') { httpx__buf_putc(out, '\t'); i++; }
        else if (nx == 'f') { httpx__buf_putc(out, '\f'); i++; }
        else if (nx == 'x' && i + 3 < b.len) {
            char hex[3] = {b.p[i + 2], b.p[i + 3], 0};
            httpx__buf_putc(out, (char)strtol(hex, NULL, 16));
            i += 3;
        } else if (nx >= '0' && nx <= '7') {
            int v = 0, k;
            for (k = 0; k < 3 && i + 1 < b.len && b.p[i + 1] >= '0' && b.p[i + 1] <= '7'; k++, i++)
                v = v * 8 + (b.p[i + 1] - '0');
            httpx__buf_putc(out, (char)v);
        } else httpx__buf_putc(out, c);
    }
    if (!out->p) httpx__buf_reserve(out, 1);
    httpx__buf_free(&a);
    httpx__buf_free(&b);
}

/* Copies the lines of a fenced block starting after *pos; false if none. */
static bool h1l_block(const char *md, size_t *pos, const char *fence, httpx__buf *raw) {
    const char *start = strstr(md + *pos, fence), *body, *end;
    if (!start) return false;
    body = strchr(start, '\n');
    if (!body) return false;
    body++;
    end = strstr(body, "\n```");
    if (!end) return false;
    httpx__buf_append(raw, body, (size_t)(end - body) + 1);
    *pos = (size_t)(end + 4 - md);
    return true;
}

/* Splits a file into cases; returns how many (at most max). */
static size_t h1l_read_cases(const char *md, h1l_case *cases, size_t max) {
    size_t pos = 0, n = 0;
    const char *heading = "";
    size_t heading_len = 0;
    while (n < max) {
        const char *line = md + pos, *nl, *meta, *t;
        httpx__buf raw = {0};
        if (!*line) break;
        nl = strchr(line, '\n');
        if (!nl) nl = line + strlen(line);
        pos = (size_t)(nl - md) + (*nl ? 1 : 0);
        if (line[0] == '#') {
            heading = line;
            while (*heading == '#' || *heading == ' ') heading++;
            heading_len = (size_t)(nl - heading);
            continue;
        }
        if (strncmp(line, "<!-- meta=", 10) != 0) continue;
        meta = line;
        memset(&cases[n], 0, sizeof cases[n]);
        snprintf(cases[n].name, sizeof cases[n].name, "%.*s", (int)heading_len, heading);
        t = strstr(meta, "\"type\"");
        if (t && t < nl) sscanf(t, "\"type\": \"%63[^\"]\"", cases[n].type);
        cases[n].pause = strstr(meta, "\"pause\"") && strstr(meta, "\"pause\"") < nl;
        cases[n].skip_body = strstr(meta, "\"skipBody\": true") && strstr(meta, "\"skipBody\": true") < nl;
        if (!h1l_block(md, &pos, "```http", &raw)) break;
        h1l_decode_input(raw.p, raw.len, &cases[n].input);
        httpx__buf_free(&raw);
        if (!h1l_block(md, &pos, "```log", &cases[n].log)) break;
        n++;
    }
    return n;
}

/* ---- expectations from the log ---- */

static void h1l_unescape_log_line(const char *s, size_t n, httpx__buf *out) {
    size_t i;
    out->len = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == 't') { httpx__buf_putc(out, '\t'); i++; }
        else if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'f') { httpx__buf_putc(out, '\f'); i++; }
        else httpx__buf_putc(out, s[i]);
    }
}

/* The span's bytes: len=L bytes after `="`, or the cr/lf shorthands. */
static void h1l_span(const char *line, httpx__buf *to) {
    const char *lenp = strstr(line, "len="), *eq = strstr(line, "]=");
    long len = lenp ? strtol(lenp + 4, NULL, 10) : 0;
    if (!eq) return;
    if (eq[2] == '"') httpx__buf_append(to, eq + 3, (size_t)len);
    else if (strncmp(eq + 2, "lf", 2) == 0) httpx__buf_putc(to, '\n');
    else if (strncmp(eq + 2, "cr", 2) == 0) httpx__buf_putc(to, '\r');
}

static void h1l_expected(const h1l_case *c, bool request, h1l_outcome *o) {
    const char *p = c->log.p;
    httpx__buf line = {0};
    long cur = -1;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        h1l_msg *m;
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        h1l_unescape_log_line(p, n, &line);
        p = nl ? nl + 1 : NULL;
        if (!line.p) continue;
        if (strstr(line.p, " message begin")) {
            if (cur + 1 < H1L_MAX_MSGS) cur++;
            continue;
        }
        if (cur < 0) continue;
        m = &o->msg[cur];
        if (m->status && strstr(line.p, "span[header_")) {
            continue;   /* trailer fields: a client skips them */
        } else if (strstr(line.p, "span[header_field]")) {
            if (m->nfields < H1L_MAX_FIELDS) h1l_span(line.p, &m->names[m->nfields]);
        } else if (strstr(line.p, "span[header_value]")) {
            if (m->nfields < H1L_MAX_FIELDS) h1l_span(line.p, &m->values[m->nfields]);
        } else if (!m->status && strstr(line.p, " header_value complete")) {
            if (m->nfields < H1L_MAX_FIELDS) m->nfields++;
        } else if (strstr(line.p, " headers complete ")) {
            const char *st = strstr(line.p, "status="), *v = strstr(line.p, " v=");
            m->status = request ? 200 : (st ? atoi(st + 7) : -1);
            m->minor = v ? atoi(v + 5) : -1;
            o->nheads++;
        } else if (strstr(line.p, "span[body]")) {
            h1l_span(line.p, &m->body);
        } else if (strstr(line.p, " message complete")) {
            m->complete = true;
            o->ncomplete++;
        } else if (strstr(line.p, " error code=")) {
            /* 22 is llhttp pausing on an upgrade: the message is done and the
               rest of the stream is another protocol, which is no error */
            if (atoi(strstr(line.p, "code=") + 5) != 22) o->error = true;
        }
    }
    httpx__buf_free(&line);
}

/* ---- driving our parser like a client ---- */

enum { H1L_HEAD, H1L_BODY, H1L_STOP };

typedef struct h1l_client {
    httpx__buf in;              /* received, not consumed */
    int state;
    httpx__h1_framing framing;
    httpx__chunked chunked;
    uint64_t remaining;
    bool skip_body;
    h1l_outcome *o;
} h1l_client;

static void h1l_stop(h1l_client *cl, const char *why) {
    cl->o->error = true;
    snprintf(cl->o->why, sizeof cl->o->why, "%s", why);
    cl->state = H1L_STOP;
}

static void h1l_consume(h1l_client *cl, size_t n) {
    memmove(cl->in.p, cl->in.p + n, cl->in.len - n);
    cl->in.len -= n;
}

/* The message is over: a connection that stays open reads the next one. */
static void h1l_complete(h1l_client *cl, size_t more_input) {
    h1l_msg *m = &cl->o->msg[cl->o->nheads - 1];
    m->complete = true;
    cl->o->ncomplete++;
    cl->state = H1L_HEAD;
    if (m->status == 101) cl->state = H1L_STOP;   /* the stream now speaks another protocol */
    else if (!cl->framing.keep_alive) {
        /* a client closes here; anything the server sent after is refused */
        if (cl->in.len + more_input) h1l_stop(cl, "data after a response that closes the connection");
        else cl->state = H1L_STOP;
    }
}

static void h1l_head(h1l_client *cl, size_t more_input) {
    httpx__h1_head head;
    httpx__h1_header hdrs[H1L_MAX_FIELDS];
    httpx__err e;
    h1l_msg *m;
    size_t i;
    int r;
    memset(&e, 0, sizeof e);
    r = httpx__h1_parse_head(cl->in.p, cl->in.len, &head, hdrs, H1L_MAX_FIELDS, &e);
    if (r == HTTPX__AGAIN) return;
    if (r < 0) { h1l_stop(cl, e.msg); return; }
    if (httpx__h1_find_head_end(cl->in.p, cl->in.len, 0) != (size_t)r) { h1l_stop(cl, "find_head_end disagrees"); return; }
    if (cl->o->nheads == H1L_MAX_MSGS) { h1l_stop(cl, "too many messages for the harness"); return; }
    m = &cl->o->msg[cl->o->nheads++];
    m->status = head.status;
    m->minor = head.minor_version;
    m->nfields = head.num_headers;
    for (i = 0; i < head.num_headers; i++) {
        httpx__buf_append(&m->names[i], hdrs[i].name, hdrs[i].name_len);
        httpx__buf_append(&m->values[i], hdrs[i].value, hdrs[i].value_len);
    }
    if (httpx__h1_framing_of(&head, hdrs, cl->skip_body, &cl->framing, &e)) { h1l_stop(cl, e.msg); return; }
    h1l_consume(cl, (size_t)r);
    memset(&cl->chunked, 0, sizeof cl->chunked);
    cl->remaining = cl->framing.length;
    cl->state = H1L_BODY;
    if (cl->framing.kind == HTTPX__BODY_NONE ||
        (cl->framing.kind == HTTPX__BODY_LENGTH && cl->remaining == 0))
        h1l_complete(cl, more_input);
}

static void h1l_body(h1l_client *cl, size_t more_input) {
    h1l_msg *m = &cl->o->msg[cl->o->nheads - 1];
    httpx__err e;
    size_t n = cl->in.len;
    int r;
    switch (cl->framing.kind) {
    case HTTPX__BODY_LENGTH:
        if ((uint64_t)n > cl->remaining) n = (size_t)cl->remaining;
        httpx__buf_append(&m->body, cl->in.p, n);
        h1l_consume(cl, n);
        cl->remaining -= n;
        if (cl->remaining == 0) h1l_complete(cl, more_input);
        break;
    case HTTPX__BODY_CHUNKED:
        r = httpx__chunked_decode(&cl->chunked, cl->in.p, &n, &e);
        if (r < 0) { h1l_stop(cl, e.msg); return; }
        httpx__buf_append(&m->body, cl->in.p, n);
        if (r == 0) { cl->in.len = 0; return; }
        memmove(cl->in.p, cl->in.p + cl->in.len - cl->chunked.extra, cl->chunked.extra);
        cl->in.len = cl->chunked.extra;
        h1l_complete(cl, more_input);
        break;
    default:
        httpx__buf_append(&m->body, cl->in.p, n);
        cl->in.len = 0;
        break;
    }
}

/* Processes what has arrived until more is needed. */
static void h1l_pump(h1l_client *cl, size_t more_input) {
    for (;;) {
        int before = cl->state;
        size_t len = cl->in.len;
        if (cl->state == H1L_HEAD) h1l_head(cl, more_input);
        else if (cl->state == H1L_BODY) h1l_body(cl, more_input);
        if (cl->state == H1L_STOP) return;
        if (cl->state == before && cl->in.len == len) return;
        if (cl->in.len == 0 && cl->state == H1L_BODY) return;
    }
}

static void h1l_run(const h1l_case *c, const char *in, size_t n, size_t split, bool finish, h1l_outcome *o) {
    h1l_client cl;
    memset(&cl, 0, sizeof cl);
    cl.o = o;
    cl.skip_body = c->skip_body;
    cl.state = H1L_HEAD;
    httpx__buf_append(&cl.in, in, split);
    h1l_pump(&cl, n - split);
    if (cl.state != H1L_STOP) {
        httpx__buf_append(&cl.in, in + split, n - split);
        h1l_pump(&cl, 0);
    }
    /* EOF: it ends a body that runs until close */
    if (finish && cl.state == H1L_BODY && cl.framing.kind == HTTPX__BODY_CLOSE) h1l_complete(&cl, 0);
    httpx__buf_free(&cl.in);
}

/* ---- comparing ---- */

static bool h1l_same_buf(const httpx__buf *a, const httpx__buf *b) {
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* llhttp's value spans keep trailing whitespace; our views do not. */
static bool h1l_same_value(const httpx__buf *ours, const httpx__buf *theirs) {
    size_t n = theirs->len;
    while (n && (theirs->p[n - 1] == ' ' || theirs->p[n - 1] == '\t')) n--;
    return ours->len == n && (n == 0 || memcmp(ours->p, theirs->p, n) == 0);
}

/* Empty when they match, else what differs. */
static void h1l_compare(const h1l_outcome *got, const h1l_outcome *want, char *diff, size_t cap) {
    size_t i, j;
    diff[0] = 0;
    if (got->error != want->error) {
        snprintf(diff, cap, "error: ours %d (%s), llhttp %d", got->error, got->why, want->error);
        return;
    }
    if (want->error) return;   /* what came before an error is llhttp's business */
    if (got->nheads != want->nheads || got->ncomplete != want->ncomplete) {
        snprintf(diff, cap, "heads %lu/%lu, complete %lu/%lu", (unsigned long)got->nheads,
                 (unsigned long)want->nheads, (unsigned long)got->ncomplete, (unsigned long)want->ncomplete);
        return;
    }
    for (i = 0; i < got->nheads; i++) {
        const h1l_msg *a = &got->msg[i], *b = &want->msg[i];
        if (a->status != b->status || a->minor != b->minor || a->nfields != b->nfields) {
            snprintf(diff, cap, "message %lu: status %d/%d minor %d/%d fields %lu/%lu", (unsigned long)i,
                     a->status, b->status, a->minor, b->minor, (unsigned long)a->nfields, (unsigned long)b->nfields);
            return;
        }
        for (j = 0; j < a->nfields; j++)
            if (!h1l_same_buf(&a->names[j], &b->names[j]) || !h1l_same_value(&a->values[j], &b->values[j])) {
                snprintf(diff, cap, "message %lu: field %lu differs", (unsigned long)i, (unsigned long)j);
                return;
            }
        if (!h1l_same_buf(&a->body, &b->body)) {
            snprintf(diff, cap, "message %lu: body %lu bytes, llhttp %lu", (unsigned long)i,
                     (unsigned long)a->body.len, (unsigned long)b->body.len);
            return;
        }
    }
}

/* ---- the deviations ---- */

static const struct { const char *file, *name, *why; } h1l_deviations[] = {
    {"sample.md", "RTSP response", "we parse HTTP/1.x only; another protocol name is an error"},
    {"sample.md", "ICE response", "we parse HTTP/1.x only; another protocol name is an error"},
    {"sample.md", "HTTP version 0.9", "a status line of HTTP/0.9 is no HTTP/1.x response; we refuse it"},
    {"sample.md", "No carriage ret", "bare LF line ends are accepted (RFC 9112 2.2 allows it; browsers do)"},
    {"invalid.md", "Only LFs present and no body", "bare LF line ends are accepted (RFC 9112 2.2)"},
    {"invalid.md", "Only LFs present", "bare LF line ends are accepted (RFC 9112 2.2)"},
    {"transfer-encoding.md", "No extension after semicolon",
     "chunk extensions are skipped to the line end, not parsed (RFC 9112 7.1.1: ignore them)"},
    {"transfer-encoding.md", "Unbalanced chunk extensions quoting",
     "chunk extensions are skipped to the line end; a quote cannot hide a line end"},
    {"finish.md", "It should be safe to finish with cb after empty response",
     "the log records llhttp_finish's return code; for us EOF completes a read-until-close message"},
    {"request/transfer-encoding.md", "No extension after semicolon", "chunk extensions are skipped, not parsed"},
    {"request/transfer-encoding.md", "Unbalanced chunk extensions quoting", "chunk extensions are skipped, not parsed"},
    {"request/transfer-encoding.md", "Ignoring `pigeons`",
     "a request must be refused; a response whose last coding is not chunked is read until close (RFC 9112 6.3)"},
    {"request/transfer-encoding.md", "POST with `chunked` before other transfer coding names",
     "as a response: chunked not last means read until close (RFC 9112 6.3)"},
    {"request/transfer-encoding.md", "POST with `chunked` and duplicate transfer-encoding",
     "as a response: chunked not last means read until close (RFC 9112 6.3)"},
    {"request/transfer-encoding.md", "POST with `chunkedchunked` as transfer-encoding",
     "as a response: an unknown coding means read until close (RFC 9112 6.3)"},
};

static const char *h1l_deviation(const char *file, const char *name) {
    size_t i;
    for (i = 0; i < sizeof h1l_deviations / sizeof h1l_deviations[0]; i++)
        if (strcmp(h1l_deviations[i].file, file) == 0 && strcmp(h1l_deviations[i].name, name) == 0)
            return h1l_deviations[i].why;
    return NULL;
}

static int h1l_matched, h1l_deviated, h1l_skipped;

/* Request cases become responses: the request line is swapped for a status line. */
static void h1l_as_response(const httpx__buf *req, httpx__buf *out) {
    const char *eol = (const char *)memchr(req->p, '\n', req->len);
    size_t skip = eol ? (size_t)(eol - req->p) + 1 : req->len;
    httpx__buf_puts(out, "HTTP/1.1 200 OK\r\n");
    httpx__buf_append(out, req->p + skip, req->len - skip);
}

static void h1l_run_case(const char *file, const h1l_case *c, bool request) {
    static h1l_outcome want, got;
    httpx__buf in = {0};
    const char *dev = h1l_deviation(file, c->name);
    bool finish = strcmp(c->type, "response-finish") == 0;
    char diff[400];
    size_t split;
    bool all_match = true, whole_match = false;
    if (c->pause || (strcmp(c->type, request ? "request" : "response") != 0 && !finish)) {
        h1l_skipped++;
        return;
    }
    if (request) h1l_as_response(&c->input, &in);
    else httpx__buf_append(&in, c->input.p, c->input.len);
    h1l_expected(c, request, &want);
    /* split == len is the whole input in one piece */
    for (split = in.len + 1; split-- > 0;) {
        h1l_run(c, in.p, in.len, split, finish, &got);
        h1l_compare(&got, &want, diff, sizeof diff);
        if (split == in.len) whole_match = diff[0] == 0;
        if (diff[0] && !dev && all_match)
            test_fail(__FILE__, __LINE__, "%s \"%s\" (split at %lu): %s", file, c->name, (unsigned long)split, diff);
        if (diff[0]) all_match = false;
        h1l_outcome_free(&got);
    }
    if (dev) {
        if (whole_match) test_fail(__FILE__, __LINE__, "%s \"%s\" is listed as a deviation but matches", file, c->name);
        h1l_deviated++;
    } else if (all_match) h1l_matched++;
    h1l_outcome_free(&want);
    httpx__buf_free(&in);
}

static void h1l_run_file(const char *rel, bool request) {
    static h1l_case cases[64];
    char path[512];
    char *md;
    size_t n, i;
    snprintf(path, sizeof path, "%s/http1-llhttp/%s", test_data_dir(), rel);
    md = test_read_file(path, NULL);
    if (!md) { test_fail(__FILE__, __LINE__, "cannot read %s", path); return; }
    n = h1l_read_cases(md, cases, 64);
    if (getenv("H1L_DEBUG")) printf("%s: %lu cases\n", rel, (unsigned long)n);
    CHECK(n > 0);
    for (i = 0; i < n; i++) {
        h1l_run_case(request ? rel : strchr(rel, '/') + 1, &cases[i], request);
        httpx__buf_free(&cases[i].input);
        httpx__buf_free(&cases[i].log);
    }
    free(md);
}

TEST(h1_llhttp_cases) {
    static const char *const files[] = {
        "response/connection.md", "response/content-length.md", "response/finish.md",
        "response/invalid.md", "response/lenient-version.md", "response/pausing.md",
        "response/pipelining.md", "response/sample.md", "response/transfer-encoding.md",
    };
    size_t i;
    h1l_matched = h1l_deviated = h1l_skipped = 0;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) h1l_run_file(files[i], false);
    h1l_run_file("request/transfer-encoding.md", true);
    printf("h1 llhttp cases: %d matched, %d expected deviations, %d skipped (pause/lenient)\n",
           h1l_matched, h1l_deviated, h1l_skipped);
    CHECK_INT(h1l_matched + h1l_deviated + h1l_skipped, 85 + 31);
    /* every listed deviation was met, so the table holds no stale entries */
    CHECK_INT(h1l_deviated, sizeof h1l_deviations / sizeof h1l_deviations[0]);
    CHECK(h1l_matched >= 75);
}
