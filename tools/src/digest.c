/* digest: HTTP Digest access authentication (RFC 7616) as pure functions:
   the challenges of WWW-Authenticate values read into a httpx__digest, and
   the Authorization value computed from it. The auth flow (auth_flow.c)
   decides when; nothing here does I/O, except that a fresh cnonce comes
   from httpx__random. Private prefix: httpx__digest_. */
#include "internal.h"
#include "hash_internal.h"
#include "engine_internal.h"

/* A hostile server may send long values: a challenge's nonce, realm or
   opaque beyond this is refused rather than echoed. */
#define HTTPX__DIGEST_VALUE_MAX 1024

static void httpx__digest_skip_ws(const char **s, const char *end) {
    while (*s < end && (**s == ' ' || **s == '\t')) (*s)++;
}

static httpx__str httpx__digest_token(const char **s, const char *end) {
    httpx__str t;
    t.p = *s;
    while (*s < end && httpx__is_tchar((unsigned char)**s)) (*s)++;
    t.n = (size_t)(*s - t.p);
    return t;
}

/* A parameter's value, a token or a quoted-string (escapes undone), into
   out. False when it is neither (an unterminated quote). */
static bool httpx__digest_value(const char **s, const char *end, httpx__buf *out) {
    httpx__buf_clear(out);
    if (*s < end && **s == '"') {
        for ((*s)++; *s < end && **s != '"'; (*s)++) {
            if (**s == '\\' && *s + 1 < end) (*s)++;
            httpx__buf_putc(out, **s);
        }
        if (*s >= end) return false;
        (*s)++;
    } else {
        /* a token; token68's trailing '=' are taken too (they are only
           found where a parameter is expected after a broken header) */
        httpx__str t = httpx__digest_token(s, end);
        while (*s < end && **s == '=') { (*s)++; t.n++; }
        httpx__buf_append(out, t.p, t.n);
    }
    httpx__buf_reserve(out, 0);
    return true;
}

/* Whether the text at s starts a parameter ("name =") rather than a new
   challenge ("Scheme" followed by space, a comma or the end). */
static bool httpx__digest_at_param(const char *s, const char *end) {
    httpx__str t = httpx__digest_token(&s, end);
    if (!t.n) return false;
    httpx__digest_skip_ws(&s, end);
    return s < end && *s == '=';
}

static bool httpx__digest_list_has(const char *list, const char *want) {
    /* qop="auth, auth-int": a comma-separated list of tokens */
    size_t n = strlen(want);
    const char *p = list;
    while (*p) {
        const char *q;
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        q = p;
        while (*q && *q != ',' && *q != ' ' && *q != '\t') q++;
        if ((size_t)(q - p) == n && httpx__mem_ieq(p, want, n)) return true;
        p = q;
    }
    return false;
}

/* One Digest challenge's parameters (already read) into d when we can
   answer it. */
static bool httpx__digest_take(httpx__digest *d, const httpx__digest *c, const char *qop, bool have_qop,
                               bool body_known) {
    if (!c->nonce.len) return false;
    d->alg = c->alg;
    d->sess = c->sess;
    if (have_qop) {
        if (httpx__digest_list_has(qop, "auth")) d->qop = HTTPX__DIGEST_QOP_AUTH;
        else if (httpx__digest_list_has(qop, "auth-int") && body_known) d->qop = HTTPX__DIGEST_QOP_AUTH_INT;
        else return false;     /* only qops we do not know, or auth-int of a body we cannot hash */
    } else {
        d->qop = HTTPX__DIGEST_QOP_NONE;   /* RFC 2069 */
    }
    d->stale = c->stale;
    d->userhash = c->userhash;
    d->has_opaque = c->has_opaque;
    httpx__buf_clear(&d->realm);
    httpx__buf_clear(&d->nonce);
    httpx__buf_clear(&d->opaque);
    httpx__buf_append(&d->realm, c->realm.p ? c->realm.p : "", c->realm.len);
    httpx__buf_append(&d->nonce, c->nonce.p, c->nonce.len);
    httpx__buf_append(&d->opaque, c->opaque.p ? c->opaque.p : "", c->opaque.len);
    httpx__buf_reserve(&d->realm, 0);
    httpx__buf_reserve(&d->opaque, 0);
    d->nc = 0;
    return true;
}

HTTPX__PRIVATE void httpx__digest_free(httpx__digest *d) {
    httpx__buf_free(&d->realm);
    httpx__buf_free(&d->nonce);
    httpx__buf_free(&d->opaque);
}

/* Reads one WWW-Authenticate value: several challenges may share it
   (`Basic realm="a", Digest realm="b", nonce="c"`). The first Digest
   challenge we can answer fills d (servers list their preference first,
   RFC 7616 section 3.7). Returns 1 when d was filled, 0 when nothing here
   can be answered, <0 (a negated httpx_error, detail in e) when a value
   is over our limit or memory ran out. A malformed rest is ignored. */
HTTPX__PRIVATE int httpx__digest_parse(httpx__digest *d, const char *value, bool body_known, httpx__err *e) {
    const char *s = value, *end = value + strlen(value);
    httpx__digest c;
    httpx__buf name, v, qop;
    int found = 0;
    memset(&c, 0, sizeof c);
    memset(&name, 0, sizeof name);
    memset(&v, 0, sizeof v);
    memset(&qop, 0, sizeof qop);
    while (s < end && !found) {
        httpx__str scheme;
        bool is_digest, have_qop = false, alg_ok = true;
        while (s < end && (*s == ' ' || *s == '\t' || *s == ',')) s++;
        if (s >= end) break;
        scheme = httpx__digest_token(&s, end);
        if (!scheme.n) {        /* junk (a token68's '/', a stray quote): step over it */
            s++;
            continue;
        }
        /* a token68 after another scheme ("Negotiate YII+/=") is read as a
           scheme of its own without parameters: harmless, it is no Digest */
        is_digest = httpx__str_ieq(scheme, "digest");
        httpx__digest_free(&c);
        memset(&c, 0, sizeof c);
        httpx__buf_clear(&qop);
        for (;;) {          /* its parameters, up to the next challenge */
            httpx__str pn;
            httpx__digest_skip_ws(&s, end);
            while (s < end && (*s == ',' || *s == ' ' || *s == '\t')) s++;
            if (s < end && !httpx__is_tchar((unsigned char)*s) && *s != '"') {
                /* junk where a parameter should be ("===", a stray '/'): to the next comma */
                while (s < end && *s != ',') s++;
                continue;
            }
            if (s >= end || !httpx__digest_at_param(s, end)) break;
            pn = httpx__digest_token(&s, end);
            httpx__digest_skip_ws(&s, end);
            s++;                                   /* the '=' */
            httpx__digest_skip_ws(&s, end);
            if (!httpx__digest_value(&s, end, &v)) { s = end; break; }
            if (v.failed) goto nomem;
            if (!is_digest) continue;
            if (v.len > HTTPX__DIGEST_VALUE_MAX) {
                found = -httpx__fail(e, HTTPX_ERR_REMOTE_PROTOCOL,
                                     "a digest challenge's %.*s is %zu bytes long, over the %d we accept",
                                     (int)(pn.n < 40 ? pn.n : 40), pn.p, v.len, HTTPX__DIGEST_VALUE_MAX);
                goto out;
            }
            if (httpx__str_ieq(pn, "realm")) httpx__buf_append(&c.realm, v.p, v.len);
            else if (httpx__str_ieq(pn, "nonce")) httpx__buf_append(&c.nonce, v.p, v.len);
            else if (httpx__str_ieq(pn, "opaque")) {
                httpx__buf_append(&c.opaque, v.p, v.len);
                c.has_opaque = true;
            } else if (httpx__str_ieq(pn, "qop")) {
                httpx__buf_append(&qop, v.p, v.len);
                have_qop = true;
            } else if (httpx__str_ieq(pn, "stale")) c.stale = v.len == 4 && httpx__mem_ieq(v.p, "true", 4);
            else if (httpx__str_ieq(pn, "userhash")) c.userhash = v.len == 4 && httpx__mem_ieq(v.p, "true", 4);
            else if (httpx__str_ieq(pn, "algorithm")) {
                httpx__str a;
                a.p = v.p;
                a.n = v.len;
                alg_ok = true;
                if (httpx__str_ieq(a, "MD5")) { c.alg = HTTPX__DIGEST_MD5; c.sess = false; }
                else if (httpx__str_ieq(a, "MD5-sess")) { c.alg = HTTPX__DIGEST_MD5; c.sess = true; }
                else if (httpx__str_ieq(a, "SHA-256")) { c.alg = HTTPX__DIGEST_SHA256; c.sess = false; }
                else if (httpx__str_ieq(a, "SHA-256-sess")) { c.alg = HTTPX__DIGEST_SHA256; c.sess = true; }
                else alg_ok = false;               /* SHA-512-256 and the unknown: another challenge may do */
            }
            /* other parameters (domain, charset, and the unknown) are not needed */
        }
        if (c.realm.failed || c.nonce.failed || c.opaque.failed || qop.failed) goto nomem;
        httpx__buf_reserve(&qop, 0);
        if (is_digest && alg_ok && httpx__digest_take(d, &c, qop.p ? qop.p : "", have_qop, body_known)) found = 1;
        if (d->realm.failed || d->nonce.failed || d->opaque.failed) goto nomem;
    }
    goto out;
nomem:
    found = -httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory reading a digest challenge");
out:
    httpx__digest_free(&c);
    httpx__buf_free(&name);
    httpx__buf_free(&v);
    httpx__buf_free(&qop);
    return found;
}

/* ---- the answer ---- */

typedef struct httpx__digest_hash {
    int alg;
    httpx__md5 md5;
    httpx__sha256 sha;
} httpx__digest_hash;

static void httpx__dh_init(httpx__digest_hash *h, int alg) {
    h->alg = alg;
    if (alg == HTTPX__DIGEST_SHA256) httpx__sha256_init(&h->sha);
    else httpx__md5_init(&h->md5);
}

static void httpx__dh_add(httpx__digest_hash *h, const void *p, size_t n) {
    if (h->alg == HTTPX__DIGEST_SHA256) httpx__sha256_update(&h->sha, p, n);
    else httpx__md5_update(&h->md5, p, n);
}

static void httpx__dh_adds(httpx__digest_hash *h, const char *s) { httpx__dh_add(h, s, strlen(s)); }

/* The hash as lower-case hex, NUL-terminated (65 bytes hold either). */
static void httpx__dh_hex(httpx__digest_hash *h, char out[65]) {
    unsigned char raw[32];
    size_t n = h->alg == HTTPX__DIGEST_SHA256 ? 32 : 16;
    if (h->alg == HTTPX__DIGEST_SHA256) httpx__sha256_final(&h->sha, raw);
    else httpx__md5_final(&h->md5, raw);
    httpx__hex_encode(out, raw, n);
    out[2 * n] = 0;
}

/* A quoted-string's content: '"' and '\' escaped. */
static void httpx__digest_quote(httpx__buf *out, const char *s, size_t n) {
    size_t i;
    httpx__buf_putc(out, '"');
    for (i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') httpx__buf_putc(out, '\\');
        httpx__buf_putc(out, s[i]);
    }
    httpx__buf_putc(out, '"');
}

static bool httpx__digest_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20) return false;
    return true;
}

HTTPX__PRIVATE const char *httpx__digest_algorithm_name(const httpx__digest *d) {
    if (d->alg == HTTPX__DIGEST_SHA256) return d->sess ? "SHA-256-sess" : "SHA-256";
    return d->sess ? "MD5-sess" : "MD5";
}

/* Appends the Authorization value answering d for this request: method,
   uri (the request-target as sent), the body (auth-int; NULL is empty),
   with cnonce (NULL: a fresh random one). Counts nc up. False only when
   memory ran out or no randomness was to be had. */
HTTPX__PRIVATE bool httpx__digest_answer(httpx__buf *out, httpx__digest *d, const char *user, const char *password,
                                         const char *method, const char *uri, const char *body, size_t body_len,
                                         const char *cnonce) {
    httpx__digest_hash h;
    char ha1[65], ha2[65], resp[65], hbody[65], nc[9], fresh[33], uhash[65];
    const char *qop = d->qop == HTTPX__DIGEST_QOP_AUTH ? "auth" : "auth-int";
    const char *realm = d->realm.p ? d->realm.p : "", *nonce = d->nonce.p ? d->nonce.p : "";
    if (!cnonce) {
        unsigned char rnd[16];
        if (!httpx__random(rnd, sizeof rnd)) return false;
        httpx__hex_encode(fresh, rnd, sizeof rnd);
        fresh[32] = 0;
        cnonce = fresh;
    }
    d->nc++;
    snprintf(nc, sizeof nc, "%08lx", d->nc & 0xffffffffUL);
    /* A1 = user:realm:password, and for -sess H(A1):nonce:cnonce */
    httpx__dh_init(&h, d->alg);
    httpx__dh_adds(&h, user);
    httpx__dh_add(&h, ":", 1);
    httpx__dh_adds(&h, realm);
    httpx__dh_add(&h, ":", 1);
    httpx__dh_adds(&h, password);
    httpx__dh_hex(&h, ha1);
    if (d->sess) {
        httpx__dh_init(&h, d->alg);
        httpx__dh_adds(&h, ha1);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, nonce);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, cnonce);
        httpx__dh_hex(&h, ha1);
    }
    /* A2 = method:uri, and for auth-int :H(body) */
    httpx__dh_init(&h, d->alg);
    httpx__dh_adds(&h, method);
    httpx__dh_add(&h, ":", 1);
    httpx__dh_adds(&h, uri);
    if (d->qop == HTTPX__DIGEST_QOP_AUTH_INT) {
        httpx__digest_hash hb;
        httpx__dh_init(&hb, d->alg);
        if (body_len) httpx__dh_add(&hb, body, body_len);
        httpx__dh_hex(&hb, hbody);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, hbody);
    }
    httpx__dh_hex(&h, ha2);
    /* response = H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop */
    httpx__dh_init(&h, d->alg);
    httpx__dh_adds(&h, ha1);
    httpx__dh_add(&h, ":", 1);
    httpx__dh_adds(&h, nonce);
    httpx__dh_add(&h, ":", 1);
    if (d->qop != HTTPX__DIGEST_QOP_NONE) {
        httpx__dh_adds(&h, nc);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, cnonce);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, qop);
        httpx__dh_add(&h, ":", 1);
    }
    httpx__dh_adds(&h, ha2);
    httpx__dh_hex(&h, resp);

    httpx__buf_puts(out, "Digest ");
    if (d->userhash) {          /* H(user:realm) instead of the name (section 3.4.4) */
        httpx__dh_init(&h, d->alg);
        httpx__dh_adds(&h, user);
        httpx__dh_add(&h, ":", 1);
        httpx__dh_adds(&h, realm);
        httpx__dh_hex(&h, uhash);
        httpx__buf_puts(out, "username=\"");
        httpx__buf_puts(out, uhash);
        httpx__buf_puts(out, "\"");
    } else if (httpx__digest_ascii(user)) {
        httpx__buf_puts(out, "username=");
        httpx__digest_quote(out, user, strlen(user));
    } else {                    /* username*: RFC 5987's UTF-8 form (section 3.4.4) */
        const char *p;
        httpx__buf_puts(out, "username*=UTF-8''");
        for (p = user; *p; p++) {
            unsigned char ch = (unsigned char)*p;
            bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                         (ch && strchr("!#$&+-.^_`|~", ch));
            if (plain) httpx__buf_putc(out, (char)ch);
            else httpx__buf_printf(out, "%%%02X", ch);
        }
    }
    httpx__buf_puts(out, ", realm=");
    httpx__digest_quote(out, realm, strlen(realm));
    httpx__buf_puts(out, ", uri=");
    httpx__digest_quote(out, uri, strlen(uri));
    httpx__buf_printf(out, ", algorithm=%s, nonce=", httpx__digest_algorithm_name(d));
    httpx__digest_quote(out, nonce, strlen(nonce));
    if (d->qop != HTTPX__DIGEST_QOP_NONE) {
        httpx__buf_printf(out, ", nc=%s, cnonce=", nc);
        httpx__digest_quote(out, cnonce, strlen(cnonce));
        httpx__buf_printf(out, ", qop=%s", qop);
    }
    httpx__buf_printf(out, ", response=\"%s\"", resp);
    if (d->has_opaque) {
        httpx__buf_puts(out, ", opaque=");
        httpx__digest_quote(out, d->opaque.p ? d->opaque.p : "", d->opaque.len);
    }
    if (d->userhash) httpx__buf_puts(out, ", userhash=true");
    return !out->failed;
}
