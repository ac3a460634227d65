/* hop_cookies: the client's cookie jar (cookie.c) in each hop, as HTTPX's
   Client keeps one: every response head, a followed redirect's too, stores
   its Set-Cookie fields; every request, each hop of a redirect too, carries
   the cookies the jar holds for its URL, so that a login that sets a
   cookie and redirects works in one call. One-shot calls have a jar of
   their own client, thrown away with it. Private prefix: httpx__hc_. */
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "cookie_internal.h"
#include "engine_internal.h"
#include <time.h>

#ifndef HTTPX_COOKIE_MAX_HEADER
/* Bytes of the Cookie value made from the jar and .cookies. 8 KiB is what
   common servers take in one header line (nginx's default buffer, Apache's
   LimitRequestFieldSize); a longer one would be refused there anyway, so it
   fails here first, saying why, instead of leaving cookies out silently. */
#define HTTPX_COOKIE_MAX_HEADER 8192
#endif

HTTPX_API httpx_cookies *httpx_client_cookies(httpx_client *c) { return c ? c->jar : NULL; }

#ifndef HTTPX_NO_COOKIES

HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c) {
    const httpx_pair *p;
    if (c->opts.no_cookies) {
        if (c->opts.cookies && c->opts.cookies->name)
            httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                        "httpx_client_opts.cookies needs the cookie jar, but no_cookies is set");
        return true;
    }
    c->jar = c->opts.cookie_jar;
    if (!c->jar) {
        c->jar = httpx_cookies_new();
        if (!c->jar) return false;
        c->jar_owned = true;
    }
    for (p = c->opts.cookies; p && p->name; p++) {
        httpx_error err = httpx_cookies_set(c->jar, p->name, p->value, "", "/");
        if (err == HTTPX_ERR_NOMEM) return false;
        if (err) {
            httpx__fail(&c->config_error, err, "httpx_client_opts.cookies: cookie '%.60s' is not valid (a name "
                        "without '=', ';' or control characters; a value without ';')", p->name);
            return true;
        }
    }
    return true;
}

HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c) {
    if (c->jar_owned) httpx_cookies_free(c->jar);
    c->jar = NULL;
    c->jar_owned = false;
}

static bool httpx__hc_valid(const char *s, bool name) {
    if (name && !*s) return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ';' || (name && *s == '=')) return false;
    return true;
}

static bool httpx__hc_named(const httpx_pair *mine, const char *name, size_t n) {
    for (; mine && mine->name; mine++)
        if (strlen(mine->name) == n && !memcmp(mine->name, name, n)) return true;
    return false;
}

/* The request's .cookies after the jar's cookies (jar, "a=1; b=2") that
   they do not name: theirs win by name, as HTTPX merges them. */
static bool httpx__hc_merge(httpx__buf *out, const httpx__buf *jar, const httpx_pair *mine) {
    const char *s = jar->p, *end = jar->p ? jar->p + jar->len : NULL;   /* an empty jar has no text at all */
    bool ok = true;
    while (s && s < end) {
        const char *stop = strstr(s, "; "), *eq;
        size_t n;
        if (!stop) stop = end;
        eq = (const char *)memchr(s, '=', (size_t)(stop - s));
        n = eq ? (size_t)(eq - s) : 0;
        if (!httpx__hc_named(mine, s, n)) {
            if (out->len) ok = ok && httpx__buf_puts(out, "; ");
            ok = ok && httpx__buf_append(out, s, (size_t)(stop - s));
        }
        s = stop + 2;
    }
    for (; mine && mine->name; mine++) {
        if (out->len) ok = ok && httpx__buf_puts(out, "; ");
        ok = ok && httpx__buf_puts(out, mine->name) && httpx__buf_putc(out, '=') &&
             httpx__buf_puts(out, mine->value ? mine->value : "");
    }
    return ok;
}

HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e) {
    httpx__request *q = &r->req;
    httpx_cookies *jar = r->client->jar;
    const httpx_pair *mine = q->strip_credentials ? NULL : r->opts->cookies, *p;
    httpx__buf from_jar, value;
    httpx_error err = HTTPX_OK;
    bool ok = true;
    for (p = mine; p && p->name; p++)
        if (!httpx__hc_valid(p->name, true) || !httpx__hc_valid(p->value ? p->value : "", false))
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_opts.cookies: cookie '%.60s' is not valid (a "
                               "name without '=', ';' or control characters; a value without ';')", p->name);
    /* the caller's own Cookie field is theirs to send, as HTTPX (urllib's
       add_cookie_header) leaves it alone */
    if (httpx_headers_get(&q->headers, "cookie")) return HTTPX_OK;
    if (!jar && !(mine && mine->name)) return HTTPX_OK;
    memset(&from_jar, 0, sizeof from_jar);
    memset(&value, 0, sizeof value);
    if (jar) ok = httpx__cookies_header(jar, &q->url, (int64_t)time(NULL), &from_jar);
    ok = ok && httpx__hc_merge(&value, &from_jar, mine);
    if (!ok)
        err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Cookie header");
    else if (value.len > HTTPX_COOKIE_MAX_HEADER)
        err = httpx__fail(e, HTTPX_ERR_TOO_LARGE, "the Cookie header for this URL would be %zu bytes, over "
                          "HTTPX_COOKIE_MAX_HEADER (%d): clear cookies from the jar (httpx_client_cookies)",
                          value.len, HTTPX_COOKIE_MAX_HEADER);
    else if (value.len && !httpx__headers_add_raw(&q->headers, "Cookie", 6, value.p, value.len))
        err = httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for the Cookie header");
    httpx__buf_free(&from_jar);
    httpx__buf_free(&value);
    return err;
}

HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e) {
    httpx_cookies *jar = r->client->jar;
    if (!jar || r->cookies_taken || !r->pub.status_code) return HTTPX_OK;
    r->cookies_taken = true;
    if (httpx__cookies_store_headers(jar, &r->req.url, &r->headers, (int64_t)time(NULL)) != HTTPX_OK)
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing the response's cookies");
    return HTTPX_OK;
}

#else /* HTTPX_NO_COOKIES: no jar; cookies asked for fail rather than vanish */

HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c) {
    if (c->opts.cookies && c->opts.cookies->name)
        httpx__fail(&c->config_error, HTTPX_ERR_INVALID_ARGUMENT,
                    "httpx_client_opts.cookies: this build has no cookies (HTTPX_NO_COOKIES)");
    return true;
}
HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c) { (void)c; }
HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e) {
    if (r->opts->cookies && r->opts->cookies->name)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_opts.cookies: this build has no cookies (HTTPX_NO_COOKIES)");
    return HTTPX_OK;
}
HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e) {
    (void)r; (void)e;
    return HTTPX_OK;
}

#endif /* HTTPX_NO_COOKIES */
