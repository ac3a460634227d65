/* response: what a caller does with a response: headers, status classes,
   text decoding, streaming reads and freeing. */
#include "internal.h"

static httpx__response *httpx__resp(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

HTTPX_API const char *httpx_header(const httpx_response *r, const char *name) {
    return r ? httpx_headers_get(&httpx__resp(r)->headers, name) : NULL;
}

HTTPX_API const char *httpx_header_nth(const httpx_response *r, const char *name, size_t n) {
    return r ? httpx_headers_get_nth(&httpx__resp(r)->headers, name, n) : NULL;
}

HTTPX_API const httpx_headers *httpx_response_headers(const httpx_response *r) {
    return r ? &httpx__resp(r)->headers : NULL;
}

HTTPX_API bool httpx_is_informational(const httpx_response *r) { return r && r->status_code >= 100 && r->status_code < 200; }
HTTPX_API bool httpx_is_success(const httpx_response *r) { return r && r->status_code >= 200 && r->status_code < 300; }
HTTPX_API bool httpx_is_redirect(const httpx_response *r) {
    int s = r ? r->status_code : 0;
    return (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && httpx_header(r, "location") != NULL;
}
HTTPX_API bool httpx_is_client_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 500; }
HTTPX_API bool httpx_is_server_error(const httpx_response *r) { return r && r->status_code >= 500 && r->status_code < 600; }
HTTPX_API bool httpx_is_error(const httpx_response *r) { return r && r->status_code >= 400 && r->status_code < 600; }

HTTPX_API httpx_error httpx_raise_for_status(const httpx_response *r) {
    if (!r) return HTTPX_ERR_NOMEM;
    if (r->error) return r->error;
    return httpx_is_error(r) ? HTTPX_ERR_STATUS : HTTPX_OK;
}

/* ---- streaming ---- */

static long httpx__read_fail(httpx__response *r, httpx__err *e) {
    httpx__exchange_fail(&r->ex, e);
    return -(long)r->pub.error;
}

HTTPX_API long httpx_read(httpx_response *pub, void *buf, size_t cap) {
    httpx__response *r = httpx__resp(pub);
    httpx__err e;
    long n;
    if (!r) return -(long)HTTPX_ERR_INVALID_ARGUMENT;
    if (pub->error) return -(long)pub->error;
    if (!r->ex.stream) {
        httpx__fail(&e, HTTPX_ERR_STREAM, "httpx_read needs a response from httpx_stream or httpx_client_stream");
        return -(long)HTTPX_ERR_STREAM;
    }
    if (!cap) return 0;
    memset(&e, 0, sizeof e);
    for (;;) {
        n = httpx__exchange_read(&r->ex, (char *)buf, cap, &e);
        if (n >= 0) return n;
        if (n == -1) return httpx__read_fail(r, &e);
        if (httpx__blocking_wait(&r->ex, &e)) return httpx__read_fail(r, &e);
        if (pub->error) return -(long)pub->error;   /* failed while others were polled too */
    }
}

static size_t httpx__line_limit(const httpx__response *r) { return r->ex.client->opts.max_body_size; }

/* Lines come out of r->scratch: bytes before line_used were handed out last
   time; the rest is read ahead. A lone '\r' at the end of what has arrived may
   be the first half of "\r\n", so the line waits for one more byte. */
HTTPX_API const char *httpx_read_line(httpx_response *pub, size_t *len) {
    httpx__response *r = httpx__resp(pub);
    httpx__buf *s;
    size_t i;
    bool eof = false;
    if (!r) return NULL;
    s = &r->scratch;
    if (r->line_used) {
        memmove(s->p, s->p + r->line_used, s->len - r->line_used);
        s->len -= r->line_used;
        r->line_used = 0;
    }
    for (;;) {
        long n;
        for (i = 0; i < s->len; i++) {
            if (s->p[i] == '\n' || (s->p[i] == '\r' && (i + 1 < s->len || eof))) {
                size_t skip = (s->p[i] == '\r' && i + 1 < s->len && s->p[i + 1] == '\n') ? 2 : 1;
                s->p[i] = 0;
                r->line_used = i + skip;
                if (len) *len = i;
                return s->p;
            }
        }
        if (eof) break;
        if (s->len > httpx__line_limit(r)) {
            httpx__err e;
            memset(&e, 0, sizeof e);
            httpx__fail(&e, HTTPX_ERR_TOO_LARGE, "a line longer than max_body_size (%zu bytes)", httpx__line_limit(r));
            httpx__read_fail(r, &e);
            return NULL;
        }
        if (!httpx__buf_reserve(s, 4096)) return NULL;
        n = httpx_read(pub, s->p + s->len, s->cap - s->len - 1);
        if (n < 0) return NULL;
        if (n == 0) eof = true;
        s->len += (size_t)n;
        s->p[s->len] = 0;
    }
    if (!s->len) return NULL;
    r->line_used = s->len;     /* the last line had no newline */
    if (len) *len = s->len;
    return s->p;
}

/* An unread stream is drained when the rest is small and already announced,
   so its connection can serve again; otherwise the connection is closed,
   which is cheaper than reading a large body nobody wants. */
static void httpx__stream_close(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    char sink[4096];
    httpx__err e;
    long n;
    if (ex->state != HTTPX__EX_STREAMING) return;
    memset(&e, 0, sizeof e);
    if (ex->framing.kind == HTTPX__BODY_LENGTH && ex->remaining <= 65536) {
        for (;;) {
            n = httpx__exchange_read(ex, sink, sizeof sink, &e);
            if (n > 0) continue;
            if (n == -2 && !httpx__blocking_wait(ex, &e)) continue;
            break;
        }
    }
    if (ex->state != HTTPX__EX_DONE) httpx__exchange_release(ex, false);
    ex->state = HTTPX__EX_DONE;
}

HTTPX_API void httpx_response_free(httpx_response *pub) {
    httpx__response *r = httpx__resp(pub);
    if (!r) return;
    httpx__task_unlink(r);      /* a task still running is cancelled here */
    httpx__stream_close(r);
    httpx__exchange_release(&r->ex, false);
    httpx__request_body_free(&r->ex);
    httpx__headers_clear(&r->headers);
    httpx__buf_free(&r->url_text);
    httpx__buf_free(&r->body);
    httpx__buf_free(&r->scratch);
    httpx__views_free(r);
    if (r->owned_client) httpx_client_free(r->owned_client);
    httpx__free(r);
}
