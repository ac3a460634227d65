/* auth_flow: the rounds of an authentication around each hop, for both
   faces and every transport. A custom flow (HTTPX_AUTH_FLOW) is the
   caller's callback; digest (HTTPX_AUTH_DIGEST) is the same two steps
   written here: before a hop, put an answer to the last challenge in the
   request; after it, on a 401 with a challenge we can answer, ask for
   another round. hop.c calls the two steps and does the resending.
   Private prefix: httpx__auth_flow_. */
#include "internal.h"
#include "url_internal.h"
#include "engine_internal.h"

static bool httpx__auth_flow_on(const httpx__response *r) {
    /* credentials stay with their origin: after a redirect to another one
       the flow is not asked (its answer would go to a stranger) */
    return (r->set.auth.kind == HTTPX_AUTH_FLOW || r->set.auth.kind == HTTPX_AUTH_DIGEST) &&
           !r->req.strip_credentials;
}

/* A failure before the hop is sent: as httpx__begin's, r holds why and its
   exchange is DONE, so that both faces publish it. */
static bool httpx__auth_flow_fail(httpx__response *r, httpx__err *e) {
    httpx__response_fail(r, e);
    if (r->ex.state != HTTPX__EX_DONE) httpx__exchange_set_state(&r->ex, HTTPX__EX_DONE);
    return false;
}

static bool httpx__auth_flow_user_error(httpx__response *r, int rc, const char *when) {
    httpx__err e;
    httpx_error code = rc < 0 && -rc < (int)HTTPX_ERR_COUNT_ ? (httpx_error)-rc : HTTPX_ERR_INVALID_ARGUMENT;
    memset(&e, 0, sizeof e);
    if (rc < 0 && code != HTTPX_ERR_INVALID_ARGUMENT)
        httpx__fail(&e, code, "the auth flow ended the request %s (%s)", when, httpx_strerror(code));
    else
        httpx__fail(&e, code, "the auth flow returned %d %s: give HTTPX_AUTH_ACCEPT, HTTPX_AUTH_RESEND or a negated httpx_error",
                    rc, when);
    return httpx__auth_flow_fail(r, &e);
}

/* Digest, before a hop: the answer to the challenge we hold, if any. */
static bool httpx__auth_flow_digest_before(httpx__response *r) {
    httpx__auth_state *st = &r->auth;
    httpx__request *q = &r->req;
    const httpx_auth *a = &r->set.auth;
    httpx__buf uri, value;
    httpx__err e;
    httpx_error err = HTTPX_OK;
    if (!st->digest_ready) return true;
    memset(&e, 0, sizeof e);
    memset(&uri, 0, sizeof uri);
    memset(&value, 0, sizeof value);
    if (!httpx__url_write_target(&uri, &q->url) || !httpx__buf_reserve(&uri, 0) ||
        !httpx__digest_answer(&value, &st->digest, a->username ? a->username : "", a->password ? a->password : "",
                              q->method, uri.p, q->body, q->body ? q->body_len : 0, NULL))
        httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory for the digest Authorization header");
    else if ((err = httpx_request_set_header((httpx_req *)q, "Authorization", value.p)) != HTTPX_OK)
        httpx__fail(&e, err, err == HTTPX_ERR_INVALID_HEADER
                                 ? "the digest Authorization header would hold a CR, LF or NUL (username or password?)"
                                 : "out of memory for the digest Authorization header");
    httpx__buf_free(&uri);
    httpx__buf_free(&value);
    if (e.code) return httpx__auth_flow_fail(r, &e);
    st->digest_sent = true;
    return true;
}

HTTPX__PRIVATE bool httpx__auth_flow_before(httpx__response *r) {
    const httpx_auth *a = &r->set.auth;
    if (!httpx__auth_flow_on(r)) return true;
    if (a->kind == HTTPX_AUTH_DIGEST) return httpx__auth_flow_digest_before(r);
    if (!a->flow) {
        httpx__err e;
        memset(&e, 0, sizeof e);
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "auth.kind is HTTPX_AUTH_FLOW but auth.flow is NULL");
        return httpx__auth_flow_fail(r, &e);
    }
    {
        int rc = a->flow(a->flow_user_data, (httpx_req *)&r->req, NULL);
        /* RESEND before anything was sent means "send": there is nothing else to do */
        if (rc != HTTPX_AUTH_ACCEPT && rc != HTTPX_AUTH_RESEND)
            return httpx__auth_flow_user_error(r, rc, "before sending it");
    }
    return true;
}

/* Digest, after a hop: HTTPX_AUTH_RESEND when a 401 brings a challenge we
   should answer, a negated error when it cannot be read. */
static int httpx__auth_flow_digest_after(httpx__response *r, httpx__err *e) {
    httpx__auth_state *st = &r->auth;
    const httpx__request *q = &r->req;
    httpx__digest fresh;
    const char *v;
    size_t i;
    int found = 0;
    /* auth-int hashes the body: only one we hold in memory (or none) */
    bool body_known = q->body != NULL || !q->has_body;
    if (r->pub.status_code != 401) return HTTPX_AUTH_ACCEPT;
    memset(&fresh, 0, sizeof fresh);
    for (i = 0; !found && (v = httpx_headers_get_nth(&r->headers, "www-authenticate", i)) != NULL; i++)
        found = httpx__digest_parse(&fresh, v, body_known, e);
    if (found <= 0 || (st->digest_sent && (!fresh.stale || st->stale_retried))) {
        /* no challenge we can answer, or ours was refused (wrong credentials):
           the 401 is the answer, as in HTTPX */
        httpx__digest_free(&fresh);
        return found < 0 ? found : HTTPX_AUTH_ACCEPT;
    }
    if (st->digest_sent) st->stale_retried = true;   /* stale=true: a new nonce, once */
    httpx__digest_free(&st->digest);
    st->digest = fresh;
    st->digest_ready = true;
    return HTTPX_AUTH_RESEND;
}

HTTPX__PRIVATE bool httpx__auth_flow_after(httpx__response *r) {
    const httpx_auth *a = &r->set.auth;
    httpx__err e;
    int rc;
    if (r->pub.error || !httpx__auth_flow_on(r)) return false;
    memset(&e, 0, sizeof e);
    if (a->kind == HTTPX_AUTH_DIGEST) {
        rc = httpx__auth_flow_digest_after(r, &e);
        if (rc < 0) {
            httpx__response_fail(r, &e);
            return false;
        }
    } else {
        /* the flow may look at the body that came so far (all of it, unless
           it streams) through r->content, as it will once published */
        bool show = !r->opts->on_data && r->ex.state == HTTPX__EX_DONE && r->body.p;
        if (show) {
            r->pub.content = r->body.p;
            r->pub.content_length = r->body.len;
        }
        rc = a->flow(a->flow_user_data, (httpx_req *)&r->req, &r->pub);
        r->pub.content = NULL;
        r->pub.content_length = 0;
        if (rc != HTTPX_AUTH_ACCEPT && rc != HTTPX_AUTH_RESEND) {
            httpx__auth_flow_user_error(r, rc, "after a response");
            return false;
        }
    }
    if (rc != HTTPX_AUTH_RESEND) return false;
    if (++r->auth.rounds > HTTPX_AUTH_MAX_ROUNDS) {
        httpx__fail(&e, HTTPX_ERR_LOCAL_PROTOCOL, "the auth flow asked for more than %d rounds (HTTPX_AUTH_MAX_ROUNDS)",
                    HTTPX_AUTH_MAX_ROUNDS);
        httpx__response_fail(r, &e);
        return false;
    }
    if (!r->req.replayable) {
        httpx__fail(&e, HTTPX_ERR_STREAM, "cannot replay a streamed request body (upload or files) for another auth round");
        httpx__response_fail(r, &e);
        return false;
    }
    return true;
}
