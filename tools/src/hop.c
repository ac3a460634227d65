/* hop: one hop of the policy layer, the same for both faces (HTTPX's
   Client._send_single_request and the loops around it):

     1. build the request value (request.c: httpx__begin for the first hop,
        the redirect decision below for the next ones);
     2. before it goes (httpx__hop_send): the jar's cookies into it
        (hop_cookies.c), the auth flow's step (auth_flow.c: digest, a
        user's flow), the request hooks (hooks.c), which see it as it goes;
     3. send it through the client's transport (the network: the pool and
        the protocol slot; or the app and mock transports of app.c);
     4. the head comes in through the door (response.c), as values: the
        response hooks, the decoder of its Content-Encoding, whether it is
        a redirect to follow or a status to retry; its Set-Cookie fields go
        to the jar (httpx__hop_head_in);
     5. once the hop ended: a retry (retry.c's decision, a timer of the
        loop), else the redirect (the next hop's request), else an auth
        round (the flow asks for the request to go again): back to 2;
     6. publish the response.

   The blocking face waits for each hop with httpx__hop_run; the task face
   sends with httpx__hop_send and settles with httpx__hop_settle from its
   hook around a loop pass. Private prefix: httpx__hop_. */
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "multipart_internal.h"
#include "engine_internal.h"

/* ---- the network transport: the pool and the protocol slot ---- */

HTTPX__PRIVATE const httpx__transport *httpx__network_transport(void) {
    static const httpx__transport net = {"network", httpx__exchange_submit, httpx__exchange_read,
                                         httpx__exchange_abandon, NULL};
    return &net;
}

/* ---- the hop ---- */

/* A hop that fails before it goes: r holds why, its exchange is DONE. */
static void httpx__hop_refuse(httpx__response *r, httpx__err *e) {
    httpx__response_fail(r, e);
    if (r->ex.state != HTTPX__EX_DONE) httpx__exchange_set_state(&r->ex, HTTPX__EX_DONE);
}

HTTPX__PRIVATE void httpx__hop_send(httpx__response *r) {
    httpx__err e;
    if (r->pub.error) return;   /* the request could not be built: r holds why (its exchange is DONE) */
    memset(&e, 0, sizeof e);
    /* the jar's cookies first, so that request hooks and auth see the
       request as it goes (HTTPX sets Cookie when it builds a request) */
    if (httpx__hop_cookies_out(r, &e)) {
        httpx__hop_refuse(r, &e);
        return;
    }
    /* the auth flow's step first (HTTPX's auth flow wraps the hops), then
       the request hooks, which see the request as it goes */
    if (!httpx__auth_flow_before(r)) return;   /* the flow failed r (its exchange is DONE) */
    if (httpx__hooks_request(r, &e)) {      /* a request hook said no: nothing goes out */
        httpx__hop_refuse(r, &e);
        return;
    }
    r->transport->submit(&r->ex);
}

/* A hop's head is in (or the hop ended without one): what the policy
   takes from every head, redirects' too. */
static void httpx__hop_head_in(httpx__response *r) {
    httpx__err e;
    memset(&e, 0, sizeof e);
    if (httpx__hop_cookies_in(r, &e)) {
        r->transport->cancel(&r->ex);
        httpx__response_fail(r, &e);
    }
}

static bool httpx__hop_same_origin(const httpx__url *a, const httpx__url *b) {
    return a->is_https == b->is_https && a->port == b->port && a->host.n == b->host.n &&
           httpx__mem_ieq(a->host.p, b->host.p, a->host.n);
}

static bool httpx__hop_fail(httpx__response *r, httpx__err *e) {
    httpx__response_fail(r, e);
    return false;
}

/* The request's body for a hop that becomes GET: none. */
static void httpx__hop_drop_body(httpx__request *q) {
    strcpy(q->method, "GET");
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    q->body = NULL;
    q->body_len = 0;
    q->upload = NULL;
    q->body_length = -1;
    q->has_body = false;
    q->content_type = NULL;
}

/* What the last hop left in r (its head, body, status) is cleared so that
   the next hop fills r afresh: a redirect's, and (the next issue) an auth
   flow's round or a retry's. The request (r->req) and the URL stay as the
   caller left them. */
static void httpx__hop_reset(httpx__response *r) {
    httpx__headers_clear(&r->headers);
    httpx__buf_clear(&r->body);
    r->pub.status_code = 0;
    r->pub.reason_phrase = "";          /* it lived in the header text just cleared */
    r->pub.http_version = "";
    r->pub.num_bytes_downloaded = 0;
    r->pub.expected_length = -1;
    r->pub.url = r->url_text.p;
    r->draining_redirect = false;
    r->cookies_taken = false;
}

/* An https:// page that redirects to http:// would send what follows in
   clear text: only when the client allows it. */
static httpx_error httpx__hop_downgrade(httpx__response *r, const char *next, httpx__err *e) {
    bool to_http = strlen(next) > 7 && httpx__mem_ieq(next, "http://", 7);
    if (!r->req.url.is_https || !to_http || r->client->opts.allow_https_downgrade) return HTTPX_OK;
    return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL, "refused a redirect from https to http (%.120s): "
                       "set httpx_client_opts.allow_https_downgrade to follow it", next);
}

/* A 307/308 sends the body again: a streamed upload only when the caller
   can rewind it (httpx_opts.upload_rewind). */
static httpx_error httpx__hop_rewind(httpx__response *r, int code, httpx__err *e) {
    httpx__request *q = &r->req;
    int rc;
    if (!q->upload || !r->opts->upload_rewind)
        return httpx__fail(e, HTTPX_ERR_STREAM, "cannot replay a streamed request body to follow a %d redirect%s",
                           code, q->upload ? " (give httpx_opts.upload_rewind to allow it)" : "");
    rc = r->opts->upload_rewind(q->upload_user_data);
    if (rc != 0)
        return httpx__fail(e, HTTPX_ERR_STREAM, "the upload_rewind callback returned %d: cannot follow the %d redirect",
                           rc, code);
    q->body = NULL;             /* the mock kept the bytes it read: read them afresh */
    q->body_len = 0;
    return HTTPX_OK;
}

/* Step 4b: the retry policy (retry.c) wants this hop again: the same
   request, after a wait that the loop keeps (the pool does not place the
   exchange before it; the mock answers at once). */
static bool httpx__hop_retry(httpx__response *r) {
    double wait;
    if (!httpx__retry_decide(r, &wait)) return false;
    httpx__hop_reset(r);
    r->transport->submit(&r->ex);
    if (wait > 0 && r->ex.state == HTTPX__EX_QUEUED) r->ex.not_before = httpx__now() + wait;
    return true;
}

/* Step 5: r's exchange ended on a redirect to follow. Builds the next
   hop's request and sends it; false (r failed, or it was no redirect to
   follow) when r is final. */
static bool httpx__hop_redirect(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx__request *q = &r->req;
    const char *location = httpx_header(&r->pub, "location");
    int code = r->pub.status_code;
    httpx__buf next;
    httpx__url old = q->url;
    httpx__err e;
    char old_host[256];
    if (ex->state != HTTPX__EX_DONE || r->pub.error || !r->draining_redirect || !location) return false;
    memset(&e, 0, sizeof e);
    memset(&next, 0, sizeof next);
    if (++r->redirects > r->set.max_redirects) {
        httpx__fail(&e, HTTPX_ERR_TOO_MANY_REDIRECTS, "exceeded %d redirects (max_redirects)", r->set.max_redirects);
        return httpx__hop_fail(r, &e);
    }
    if (httpx__url_resolve(&next, r->url_text.p, location, &e) || httpx__hop_downgrade(r, next.p, &e)) {
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    /* 303, and 301/302 after POST, become GET without a body, as browsers and HTTPX do */
    if ((code == 303 && strcmp(q->method, "HEAD") != 0) || ((code == 301 || code == 302) && !strcmp(q->method, "POST"))) {
        httpx__hop_drop_body(q);
    } else if (!q->replayable && httpx__hop_rewind(r, code, &e)) {
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    if (httpx__history_add(r, &e)) {    /* r.history: this hop, before r is cleared for the next */
        httpx__buf_free(&next);
        return httpx__hop_fail(r, &e);
    }
    /* remember the old origin: its views die with the old URL text */
    if (old.host.n >= sizeof old_host) old.host.n = sizeof old_host - 1;
    memcpy(old_host, old.host.p, old.host.n);
    old.host.p = old_host;
    httpx__buf_clear(&r->url_text);
    httpx__buf_append(&r->url_text, next.p, next.len);
    httpx__buf_free(&next);
    httpx__hop_reset(r);
    if (httpx__url_parse(&q->url, r->url_text.p, r->url_text.len, &e)) return httpx__hop_fail(r, &e);
    /* credentials stay with their origin; once dropped they stay dropped */
    if (!httpx__hop_same_origin(&old, &q->url)) q->strip_credentials = true;
    if (httpx__request_build(r, &e)) return httpx__hop_fail(r, &e);
    r->pub.url = r->url_text.p;
    httpx__hop_send(r);
    return true;
}

/* An auth flow's round (auth_flow.c): when the flow asks for the request
   to go again, it is built afresh and sent; false when r is final. A
   stream's unread body (a 401's) costs its connection. */
static bool httpx__hop_auth_round(httpx__response *r) {
    httpx__err e;
    if (!httpx__auth_flow_after(r)) return false;
    if (r->ex.state != HTTPX__EX_DONE) r->transport->cancel(&r->ex);
    httpx__hop_reset(r);
    memset(&e, 0, sizeof e);
    if (httpx__request_build(r, &e)) return httpx__hop_fail(r, &e);
    httpx__hop_send(r);
    return true;
}

/* Step 6. The request stays for httpx_response_request; only its body
   source is let go (a multipart body's open files). */
static void httpx__hop_publish(httpx__response *r) {
    httpx__request *q = &r->req;
    httpx__response_publish(r);
    if (q->multipart) httpx__multipart_free(q->multipart);
    q->multipart = NULL;
    q->upload = NULL;
}

HTTPX__PRIVATE bool httpx__hop_settle(httpx__response *r) {
    /* a transport that answers at once (the mock) ends the next hop inside
       the redirect step: go on while that happens */
    for (;;) {
        if (r->ex.state != HTTPX__EX_DONE) return false;
        httpx__hop_head_in(r);
        if (httpx__hop_retry(r)) continue;
        if (!httpx__hop_redirect(r) && !httpx__hop_auth_round(r)) break;
    }
    httpx__hop_publish(r);
    return true;
}

HTTPX__PRIVATE void httpx__hop_run(httpx__response *r) {
    httpx__exchange *ex = &r->ex;
    httpx__hop_send(r);
    for (;;) {
        httpx__loop_until(ex, ex->stream ? HTTPX__EX_BODY : HTTPX__EX_DONE);
        /* a redirect's body is dropped before the next hop, stream or not */
        if (r->draining_redirect && ex->state != HTTPX__EX_DONE) httpx__loop_until(ex, HTTPX__EX_DONE);
        httpx__hop_head_in(r);
        if (ex->state != HTTPX__EX_DONE) {           /* a stream: the reader takes the body */
            if (httpx__hop_auth_round(r)) continue;
            return;
        }
        if (httpx__hop_retry(r)) continue;
        if (!httpx__hop_redirect(r) && !httpx__hop_auth_round(r)) break;
    }
    httpx__hop_publish(r);
}
