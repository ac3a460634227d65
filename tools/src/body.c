/* body: the request side of HTTP/1.1: which body a request has, its head
   (merging default, client and request headers), and the body's bytes in
   pieces, chunked when the length is not known in advance. */
#include "internal.h"

#define HTTPX__UPLOAD_PIECE 16384

/* Picks the body from the options; urlencoded form data is built in
   resp->scratch, everything else is sent from where it already is. */
HTTPX__PRIVATE httpx_error httpx__request_body_setup(httpx__exchange *ex, httpx__err *e) {
    const httpx_opts *o = ex->opts;
    httpx__response *r = ex->resp;
    int kinds = (o->content != NULL) + (o->json != NULL) + (o->upload != NULL) +
                (o->data != NULL && o->files == NULL) + (o->files != NULL);
    ex->body = NULL;
    ex->body_len = ex->body_off = 0;
    ex->upload_length = -1;
    ex->content_type = NULL;
    ex->body_chunked = false;
    if (kinds > 1)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "give at most one body: content, json, data, files (with data) or upload");
    if (o->content) {
        ex->body = (const char *)o->content;
        ex->body_len = o->content_length ? o->content_length : strlen((const char *)o->content);
    } else if (o->json) {
        ex->body = o->json;
        ex->body_len = strlen(o->json);
        ex->content_type = "application/json";
    } else if (o->files) {
        ex->multipart = httpx__multipart_new(o->data, o->files, e);
        if (!ex->multipart) return e->code ? e->code : HTTPX_ERR_NOMEM;
        ex->content_type = httpx__multipart_content_type(ex->multipart);
        ex->upload_length = httpx__multipart_length(ex->multipart);
    } else if (o->data) {
        httpx__buf_clear(&r->scratch);
        if (!httpx__form_encode(&r->scratch, o->data, false) || !httpx__buf_reserve(&r->scratch, 0))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory encoding form data");
        ex->body = r->scratch.p;
        ex->body_len = r->scratch.len;
        ex->content_type = "application/x-www-form-urlencoded";
    } else if (o->upload) {
        ex->upload = o->upload;
        ex->upload_user_data = o->upload_user_data;
        ex->upload_length = o->upload_length > 0 ? o->upload_length : -1;
    }
    ex->body_chunked = (ex->multipart || ex->upload) && ex->upload_length < 0;
    return HTTPX_OK;
}

HTTPX__PRIVATE void httpx__request_body_free(httpx__exchange *ex) {
    if (ex->multipart) httpx__multipart_free(ex->multipart);
    ex->multipart = NULL;
}

static bool httpx__has_body(const httpx__exchange *ex) {
    return ex->body || ex->multipart || ex->upload;
}

/* Headers we compute ourselves; a caller's value would only break framing. */
static bool httpx__is_framing_header(const char *name) {
    return httpx__mem_ieq(name, "content-length", 15) || httpx__mem_ieq(name, "transfer-encoding", 18);
}

static bool httpx__pairs_have(const httpx_pair *p, const char *name) {
    size_t n = strlen(name);
    for (; p && p->name; p++)
        if (strlen(p->name) == n && httpx__mem_ieq(p->name, name, n)) return true;
    return false;
}

/* Writes each header of `layer` unless a later layer names it too: request
   headers win over client headers, which win over the defaults. */
static httpx_error httpx__write_layer(httpx__exchange *ex, httpx__buf *out, const httpx_pair *layer,
                                      const httpx_pair *const *later, int nlater, httpx__err *e) {
    int i;
    for (; layer && layer->name; layer++) {
        bool overridden = false;
        httpx_error err = httpx__header_check(layer->name, layer->value, e);
        if (err) return err;
        for (i = 0; i < nlater && !overridden; i++) overridden = httpx__pairs_have(later[i], layer->name);
        if (overridden || httpx__is_framing_header(layer->name)) continue;
        if (ex->strip_auth && (httpx__mem_ieq(layer->name, "authorization", 14))) continue;
        httpx__buf_puts(out, layer->name);
        httpx__buf_append(out, ": ", 2);
        httpx__buf_puts(out, layer->value);
        if (!httpx__buf_append(out, "\r\n", 2)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    }
    return HTTPX_OK;
}

static void httpx__write_auth(httpx__exchange *ex, httpx__buf *out) {
    const httpx_auth *a = &ex->opts->auth;
    httpx__buf user, pass;
    if (ex->strip_auth) return;
    if (a->kind == 1) {
        httpx__buf_puts(out, "Authorization: Basic ");
        memset(&user, 0, sizeof user);
        httpx__buf_printf(&user, "%s:%s", a->username ? a->username : "", a->password ? a->password : "");
        httpx__base64(out, user.p, user.len);
        httpx__buf_free(&user);
        httpx__buf_append(out, "\r\n", 2);
        return;
    }
    if (ex->client->auth_header.len) {
        httpx__buf_puts(out, "Authorization: ");
        httpx__buf_append(out, ex->client->auth_header.p, ex->client->auth_header.len);
        httpx__buf_append(out, "\r\n", 2);
        return;
    }
    memset(&user, 0, sizeof user);
    memset(&pass, 0, sizeof pass);
    if (httpx__url_credentials(&ex->url, &user, &pass)) {
        httpx__buf_putc(&user, ':');
        httpx__buf_append(&user, pass.p ? pass.p : "", pass.len);
        httpx__buf_puts(out, "Authorization: Basic ");
        httpx__base64(out, user.p ? user.p : "", user.len);
        httpx__buf_append(out, "\r\n", 2);
    }
    httpx__buf_free(&user);
    httpx__buf_free(&pass);
}

HTTPX__PRIVATE httpx_error httpx__request_head(httpx__exchange *ex, httpx__buf *out, httpx__err *e) {
    httpx_pair defaults[6];
    const httpx_pair *later[2];
    const httpx_pair *client_h = ex->client->headers, *req_h = ex->opts->headers;
    httpx_error err;
    int nd = 0;
    httpx__buf_clear(out);
    ex->conn->out_off = 0;
    httpx__buf_reserve(out, 512);
    httpx__buf_puts(out, ex->method);
    httpx__buf_putc(out, ' ');
    httpx__url_write_target(out, &ex->url);
    httpx__buf_puts(out, " HTTP/1.1\r\n");
    if (!httpx__pairs_have(client_h, "host") && !httpx__pairs_have(req_h, "host")) {
        httpx__buf_puts(out, "Host: ");
        httpx__url_write_authority(out, &ex->url);
        httpx__buf_append(out, "\r\n", 2);
    }
    defaults[nd].name = "Accept"; defaults[nd++].value = "*/*";
    defaults[nd].name = "Accept-Encoding"; defaults[nd++].value = "identity";  /* nothing to decode yet */
    defaults[nd].name = "Connection"; defaults[nd++].value = "keep-alive";
    defaults[nd].name = "User-Agent"; defaults[nd++].value = ex->client->opts.user_agent;
    if (ex->content_type) { defaults[nd].name = "Content-Type"; defaults[nd++].value = ex->content_type; }
    defaults[nd].name = NULL; defaults[nd].value = NULL;
    later[0] = client_h;
    later[1] = req_h;
    if ((err = httpx__write_layer(ex, out, defaults, later, 2, e)) ||
        (err = httpx__write_layer(ex, out, client_h, later + 1, 1, e)) ||
        (err = httpx__write_layer(ex, out, req_h, NULL, 0, e)))
        return err;
    if (!httpx__pairs_have(client_h, "authorization") && !httpx__pairs_have(req_h, "authorization"))
        httpx__write_auth(ex, out);
    if (ex->body_chunked) httpx__buf_puts(out, "Transfer-Encoding: chunked\r\n");
    else if (ex->multipart || ex->upload) httpx__buf_printf(out, "Content-Length: %lld\r\n", ex->upload_length);
    else if (ex->body || !strcmp(ex->method, "POST") || !strcmp(ex->method, "PUT") || !strcmp(ex->method, "PATCH"))
        httpx__buf_printf(out, "Content-Length: %zu\r\n", ex->body_len);
    if (!httpx__buf_append(out, "\r\n", 2)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request head");
    ex->body_done = !httpx__has_body(ex);
    /* small bodies ride in the same packet as the head */
    if (ex->body && ex->body_len <= 16384) {
        if (!httpx__buf_append(out, ex->body, ex->body_len))
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request");
        ex->body_off = ex->body_len;
    }
    return HTTPX_OK;
}

/* Called when everything queued is sent: queues the next piece of a streamed
   body, or marks the body done. */
HTTPX__PRIVATE httpx_error httpx__request_body_fill(httpx__exchange *ex, httpx__buf *out, httpx__err *e) {
    long n;
    size_t hdr = ex->body_chunked ? 12 : 0;   /* room for "XXXXXXXX\r\n" before the data */
    if (ex->body) {
        ex->body_done = true;
        return HTTPX_OK;
    }
    if (!httpx__buf_reserve(out, HTTPX__UPLOAD_PIECE + hdr + 8))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the request body");
    httpx__buf_clear(out);
    if (ex->multipart) {
        n = httpx__multipart_read(ex->multipart, out->p + hdr, HTTPX__UPLOAD_PIECE, e);
        if (n < 0) return e->code ? e->code : httpx__fail(e, HTTPX_ERR_WRITE, "reading a multipart file failed");
    } else {
        n = ex->upload(ex->upload_user_data, out->p + hdr, HTTPX__UPLOAD_PIECE);
        if (n < 0) return httpx__fail(e, HTTPX_ERR_WRITE, "the upload callback returned %ld: request aborted", n);
        if (n > HTTPX__UPLOAD_PIECE) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "the upload callback returned more bytes than asked for");
    }
    ex->body_off += (size_t)n;     /* streamed bodies count what they produced here */
    if (!ex->body_chunked) {
        if ((long long)ex->body_off > ex->upload_length || (n == 0 && (long long)ex->body_off < ex->upload_length))
            return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL,
                               "the upload produced %zu bytes but its declared length is %lld",
                               ex->body_off, ex->upload_length);
        out->len = (size_t)n;
        if (n == 0) ex->body_done = true;
        return HTTPX_OK;
    }
    if (n == 0) {
        ex->body_done = true;
        return httpx__buf_puts(out, "0\r\n\r\n") ? HTTPX_OK : httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    }
    {   /* frame the piece in place: size line before, CRLF after */
        char line[12];
        int ll = snprintf(line, sizeof line, "%lx\r\n", (unsigned long)n);
        memcpy(out->p + hdr - (size_t)ll, line, (size_t)ll);
        out->len = hdr + (size_t)n;
        ex->conn->out_off = hdr - (size_t)ll;
        if (!httpx__buf_append(out, "\r\n", 2)) return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
    }
    return HTTPX_OK;
}
