/* cookies: a jar as RFC 6265 section 5 describes a user agent's, pure (no I/O
   but the Netscape cookie-file load and save, no clock: every call that
   needs the time takes it). Private prefix: httpx__ck_. */
#include "internal.h"
#include "cookie_internal.h"
#include <errno.h>
#include <stdio.h>
#include <time.h>

#ifndef HTTPX_NO_COOKIES

/* One cookie. Its four strings live in one allocation that starts at name. */
typedef struct httpx__cookie {
    char *name, *value, *domain, *path;
    int64_t expires;            /* Unix seconds; HTTPX__COOKIE_FOREVER for a session cookie */
    int64_t created, accessed;  /* Unix seconds (created is kept across a replacement) */
    uint64_t seq;               /* creation order: the tie-break when the clock says "same" */
    char same_site[8];          /* "Strict", "Lax", "None" or "" */
    bool persistent, host_only, secure, http_only;
} httpx__cookie;

struct httpx_cookies {
    httpx__cookie *v;
    size_t n, cap;
    uint64_t seq;
    char msg[600];              /* why the last set_cookie, load or save failed */
};

#define HTTPX__COOKIE_FOREVER INT64_MAX
/* RFC 6265bis: an expiry is at most 400 days ahead (as browsers and curl). */
#define HTTPX__COOKIE_MAX_AGE ((int64_t)400 * 86400)

/* ---- dates: RFC 6265 section 5.1.1 ---- */

static bool httpx__ck_is_delim(unsigned char c) {
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) ||
           (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

static bool httpx__ck_digit(char c) { return c >= '0' && c <= '9'; }

/* The leading digits of t[0..n) as a number, when there are min..max of
   them (what follows them is then a non-digit or the end, as the grammar's
   "( non-digit *OCTET )" wants); -1 otherwise. *used gets their count. */
static int httpx__ck_digits(const char *t, size_t n, size_t min, size_t max, size_t *used) {
    size_t i = 0;
    int v = 0;
    while (i < n && httpx__ck_digit(t[i])) {
        if (i == max) return -1;
        v = v * 10 + (t[i] - '0');
        i++;
    }
    if (i < min) return -1;
    *used = i;
    return v;
}

static bool httpx__ck_time_token(const char *t, size_t n, int hms[3]) {
    size_t used, at = 0;
    int k;
    for (k = 0; k < 3; k++) {
        hms[k] = httpx__ck_digits(t + at, n - at, 1, 2, &used);
        if (hms[k] < 0) return false;
        at += used;
        if (k < 2) {
            if (at >= n || t[at] != ':') return false;
            at++;
        }
    }
    return true;
}

static int httpx__ck_month_token(const char *t, size_t n) {
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int m;
    if (n < 3) return -1;
    for (m = 0; m < 12; m++)
        if (httpx__mem_ieq(t, months + 3 * m, 3)) return m + 1;
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
   days_from_civil: exact for every year the parser lets through). */
static int64_t httpx__ck_days(int64_t y, int m, int d) {
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int httpx__ck_month_days(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

HTTPX__PRIVATE bool httpx__cookie_date(const char *s, size_t n, int64_t *out) {
    int hms[3] = {0, 0, 0}, dom = -1, month = -1, year = -1;
    bool have_time = false;
    size_t i = 0;
    while (i < n) {
        size_t start, len, used;
        int v;
        while (i < n && httpx__ck_is_delim((unsigned char)s[i])) i++;
        start = i;
        while (i < n && !httpx__ck_is_delim((unsigned char)s[i])) i++;
        len = i - start;
        if (len == 0) break;
        /* each token counts for the first production it matches that is still open */
        if (!have_time && httpx__ck_time_token(s + start, len, hms)) { have_time = true; continue; }
        if (dom < 0 && (v = httpx__ck_digits(s + start, len, 1, 2, &used)) >= 0) { dom = v; continue; }
        if (month < 0 && (v = httpx__ck_month_token(s + start, len)) > 0) { month = v; continue; }
        if (year < 0 && (v = httpx__ck_digits(s + start, len, 2, 4, &used)) >= 0) { year = v; continue; }
    }
    if (year >= 70 && year <= 99) year += 1900;
    else if (year >= 0 && year <= 69) year += 2000;
    if (!have_time || dom < 1 || month < 0 || year < 1601) return false;
    if (hms[0] > 23 || hms[1] > 59 || hms[2] > 59) return false;
    if (dom > httpx__ck_month_days(year, month)) return false;   /* "February 31" does not exist */
    *out = httpx__ck_days(year, month, dom) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
    return true;
}

/* ---- the request's side: host, path, scheme ---- */

/* The canonical host of a URL: lower case (the parser keeps it as written). */
static bool httpx__ck_host(const httpx__url *u, char *out, size_t cap) {
    size_t i;
    if (u->host.n == 0 || u->host.n >= cap) return false;
    for (i = 0; i < u->host.n; i++) out[i] = (char)httpx__lower((unsigned char)u->host.p[i]);
    out[u->host.n] = 0;
    return true;
}

/* A host that is an IP literal: IPv6 (the parser saw brackets) or dotted
   digits only. Such a host never domain-matches anything but itself. */
static bool httpx__ck_is_ip(const char *host) {
    size_t i, n = strlen(host);
    if (strchr(host, ':')) return true;
    if (n == 0) return false;
    for (i = 0; i < n; i++)
        if (!httpx__ck_digit(host[i]) && host[i] != '.') return false;
    return true;
}

/* RFC 6265 section 5.1.3. */
HTTPX__PRIVATE bool httpx__cookie_domain_match(const char *host, const char *domain) {
    size_t hn = strlen(host), dn = strlen(domain);
    if (hn == dn) return httpx__mem_ieq(host, domain, hn);
    if (dn == 0 || dn > hn || host[hn - dn - 1] != '.') return false;
    if (!httpx__mem_ieq(host + hn - dn, domain, dn)) return false;
    return !httpx__ck_is_ip(host);
}

/* RFC 6265 section 5.1.4: request path p[0..n) against a cookie's path. */
HTTPX__PRIVATE bool httpx__cookie_path_match(const char *p, size_t n, const char *cpath) {
    size_t cn = strlen(cpath);
    if (cn > n || memcmp(p, cpath, cn) != 0) return false;
    return cn == n || cpath[cn - 1] == '/' || p[cn] == '/';
}

/* The request path of u for matching: its path without the query, "/"
   when empty. */
static httpx__str httpx__ck_req_path(const httpx__url *u) {
    httpx__str p = u->path;
    if (p.n == 0 || p.p[0] != '/') { p.p = "/"; p.n = 1; }
    return p;
}

/* RFC 6265 section 5.1.4's default-path: up to the last '/', or "/". */
static httpx__str httpx__ck_default_path(const httpx__url *u) {
    httpx__str p = httpx__ck_req_path(u);
    size_t last = p.n;
    while (last > 0 && p.p[last - 1] != '/') last--;
    if (last <= 1) { p.p = "/"; p.n = 1; return p; }
    p.n = last - 1;
    return p;
}

/* ---- public suffixes ----
   A small list of the common ones (the full Public Suffix List is 250 KB
   and changes monthly): every top-level domain (a name without a dot) is
   one, and these second-level registries. README lists them. */
static const char *const httpx__ck_suffixes[] = {
    "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "nhs.uk", "sch.uk",
    "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
    "co.nz", "org.nz", "net.nz", "govt.nz", "ac.nz",
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "ed.jp", "gr.jp", "lg.jp",
    "co.kr", "or.kr", "ne.kr", "go.kr", "ac.kr",
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn",
    "com.tw", "net.tw", "org.tw", "edu.tw", "gov.tw",
    "com.hk", "net.hk", "org.hk", "edu.hk", "gov.hk",
    "com.sg", "net.sg", "org.sg", "edu.sg", "gov.sg",
    "co.in", "net.in", "org.in", "gov.in", "ac.in", "firm.in", "gen.in", "ind.in",
    "com.br", "net.br", "org.br", "gov.br", "edu.br",
    "com.ar", "com.mx", "com.tr", "com.pl", "com.ru", "com.ua", "com.es", "com.pt",
    "co.za", "org.za", "gov.za", "ac.za", "co.il", "org.il", "ac.il",
    "co.id", "or.id", "ac.id", "go.id", "co.th", "in.th", "ac.th", "go.th",
    "com.my", "com.ph", "com.vn", "com.pk", "com.eg", "com.sa", "com.ng",
    "github.io", "gitlab.io", "herokuapp.com", "appspot.com", "blogspot.com",
    "cloudfront.net", "azurewebsites.net", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
    "s3.amazonaws.com", "web.app", "firebaseapp.com",
};

HTTPX__PRIVATE bool httpx__cookie_public_suffix(const char *domain) {
    size_t i;
    if (!strchr(domain, '.')) return true;
    for (i = 0; i < sizeof httpx__ck_suffixes / sizeof httpx__ck_suffixes[0]; i++)
        if (strlen(domain) == strlen(httpx__ck_suffixes[i]) &&
            httpx__mem_ieq(domain, httpx__ck_suffixes[i], strlen(domain)))
            return true;
    return false;
}

/* ---- the jar ---- */

static void httpx__ck_free_one(httpx__cookie *c) { httpx__free(c->name); }

static void httpx__ck_remove(httpx_cookies *j, size_t i) {
    httpx__ck_free_one(&j->v[i]);
    memmove(j->v + i, j->v + i + 1, (j->n - i - 1) * sizeof j->v[0]);
    j->n--;
}

/* Fills c's strings with one allocation. */
static bool httpx__ck_strings(httpx__cookie *c, httpx__str name, httpx__str value, httpx__str domain,
                              httpx__str path) {
    size_t total = name.n + value.n + domain.n + path.n + 4;
    char *p = (char *)httpx__malloc(total);
    if (!p) return false;
    c->name = p;
    memcpy(p, name.p, name.n); p[name.n] = 0; p += name.n + 1;
    c->value = p;
    if (value.n) memcpy(p, value.p, value.n);
    p[value.n] = 0; p += value.n + 1;
    c->domain = p;
    if (domain.n) memcpy(p, domain.p, domain.n);
    p[domain.n] = 0; p += domain.n + 1;
    c->path = p;
    memcpy(p, path.p, path.n); p[path.n] = 0;
    return true;
}

static httpx__str httpx__ck_s(const char *s) {
    httpx__str r;
    r.p = s ? s : "";
    r.n = s ? strlen(s) : 0;
    return r;
}

HTTPX__PRIVATE void httpx__cookies_expire(httpx_cookies *j, int64_t now) {
    size_t i = 0;
    while (i < j->n) {
        if (j->v[i].expires <= now) httpx__ck_remove(j, i);
        else i++;
    }
}

/* The cookie to evict among those whose domain is `domain` (NULL: all):
   the one used least recently, the oldest on a tie. */
static size_t httpx__ck_victim(const httpx_cookies *j, const char *domain) {
    size_t i, best = (size_t)-1;
    for (i = 0; i < j->n; i++) {
        const httpx__cookie *c = &j->v[i];
        if (domain && strcmp(c->domain, domain) != 0) continue;
        if (best == (size_t)-1 || c->accessed < j->v[best].accessed ||
            (c->accessed == j->v[best].accessed && c->seq < j->v[best].seq))
            best = i;
    }
    return best;
}

/* RFC 6265 section 5.3 step 12 and the caps: expired cookies go first, then
   the least recently used of the new cookie's domain, then of the jar. */
static void httpx__ck_enforce_caps(httpx_cookies *j, const char *domain, int64_t now) {
    size_t i, in_domain = 0;
    httpx__cookies_expire(j, now);
    for (i = 0; i < j->n; i++) in_domain += strcmp(j->v[i].domain, domain) == 0;
    while (in_domain > HTTPX_COOKIE_MAX_PER_DOMAIN) {
        httpx__ck_remove(j, httpx__ck_victim(j, domain));
        in_domain--;
    }
    while (j->n > HTTPX_COOKIE_MAX_TOTAL) httpx__ck_remove(j, httpx__ck_victim(j, NULL));
}

/* Adds c (whose strings the jar now owns), replacing a cookie of the same
   name, domain and path (section 5.3 step 11: the new one keeps the old
   one's creation time). A cookie already expired only deletes. */
static httpx_error httpx__ck_insert(httpx_cookies *j, httpx__cookie *c, int64_t now, httpx__err *e) {
    size_t i;
    c->seq = ++j->seq;
    for (i = 0; i < j->n; i++) {
        httpx__cookie *o = &j->v[i];
        if (strcmp(o->name, c->name) == 0 && strcmp(o->domain, c->domain) == 0 && strcmp(o->path, c->path) == 0) {
            c->created = o->created;
            c->seq = o->seq;
            httpx__ck_remove(j, i);
            break;
        }
    }
    if (c->expires <= now) {
        httpx__ck_free_one(c);
        return HTTPX_OK;
    }
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 8;
        httpx__cookie *v = (httpx__cookie *)httpx__realloc(j->v, cap * sizeof *v);
        if (!v) {
            httpx__ck_free_one(c);
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing a cookie");
        }
        j->v = v;
        j->cap = cap;
    }
    j->v[j->n++] = *c;
    httpx__ck_enforce_caps(j, c->domain, now);
    return HTTPX_OK;
}

/* ---- Set-Cookie: RFC 6265 section 5.2 ---- */

static httpx__str httpx__ck_trim(const char *p, size_t n) {
    httpx__str s;
    while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    s.p = p;
    s.n = n;
    return s;
}

/* The attributes that matter, as the last of each in the string says
   (section 5.3 takes the last Domain and Path; the others are the same). */
typedef struct httpx__ck_attrs {
    httpx__str domain, path, same_site;
    bool has_domain, has_path, has_max_age, has_expires, secure, http_only;
    int64_t max_age_expiry, expires;
} httpx__ck_attrs;

static void httpx__ck_max_age(httpx__ck_attrs *a, httpx__str v, int64_t now) {
    size_t i = 0;
    int64_t delta = 0;
    bool neg = false;
    if (v.n == 0 || !(httpx__ck_digit(v.p[0]) || v.p[0] == '-')) return;
    if (v.p[0] == '-') { neg = true; i = 1; }
    if (i == v.n) return;
    for (; i < v.n; i++) {
        if (!httpx__ck_digit(v.p[i])) return;       /* not a number: the attribute is ignored */
        if (delta < INT64_MAX / 10 - 10) delta = delta * 10 + (v.p[i] - '0');   /* saturates */
    }
    a->has_max_age = true;
    if (neg || delta == 0) a->max_age_expiry = INT64_MIN;   /* "the earliest representable time" */
    else a->max_age_expiry = delta > HTTPX__COOKIE_FOREVER - 1 - now ? HTTPX__COOKIE_FOREVER - 1 : now + delta;
}

static void httpx__ck_attribute(httpx__ck_attrs *a, httpx__str name, httpx__str v, int64_t now) {
    if (v.n > 1024) return;     /* RFC 6265bis: an attribute value over 1024 bytes is ignored */
    if (httpx__str_ieq(name, "expires")) {
        int64_t t;
        if (httpx__cookie_date(v.p, v.n, &t)) { a->has_expires = true; a->expires = t; }
    } else if (httpx__str_ieq(name, "max-age")) {
        httpx__ck_max_age(a, v, now);
    } else if (httpx__str_ieq(name, "domain")) {
        if (v.n == 0) return;   /* section 5.2.3: the UA SHOULD ignore an empty Domain */
        if (v.p[0] == '.') { v.p++; v.n--; }
        a->domain = v;
        a->has_domain = true;
    } else if (httpx__str_ieq(name, "path")) {
        a->has_path = v.n > 0 && v.p[0] == '/';
        a->path = v;
    } else if (httpx__str_ieq(name, "secure")) {
        a->secure = true;
    } else if (httpx__str_ieq(name, "httponly")) {
        a->http_only = true;
    } else if (httpx__str_ieq(name, "samesite")) {
        a->same_site = v;
    }
}

static void httpx__ck_attributes(httpx__ck_attrs *a, const char *p, size_t n, int64_t now) {
    while (n > 0) {
        const char *semi, *eq;
        size_t len;
        p++; n--;           /* the ';' */
        semi = (const char *)memchr(p, ';', n);
        len = semi ? (size_t)(semi - p) : n;
        eq = (const char *)memchr(p, '=', len);
        if (eq)
            httpx__ck_attribute(a, httpx__ck_trim(p, (size_t)(eq - p)),
                                httpx__ck_trim(eq + 1, len - (size_t)(eq - p) - 1), now);
        else
            httpx__ck_attribute(a, httpx__ck_trim(p, len), httpx__ck_trim(p + len, 0), now);
        p += len;
        n -= len;
    }
}

static void httpx__ck_same_site(httpx__cookie *c, httpx__str v) {
    static const char *const known[] = {"Strict", "Lax", "None"};
    size_t i;
    c->same_site[0] = 0;
    for (i = 0; i < 3; i++)
        if (httpx__str_ieq(v, known[i])) strcpy(c->same_site, known[i]);
}

static bool httpx__ck_lower_copy(char *out, size_t cap, httpx__str s) {
    size_t i;
    if (s.n >= cap) return false;
    for (i = 0; i < s.n; i++) out[i] = (char)httpx__lower((unsigned char)s.p[i]);
    out[s.n] = 0;
    return true;
}

/* The cookie's domain (section 5.3 steps 4-6): host-only for the request
   host, or a Domain the host domain-matches that is not a public suffix. */
static httpx_error httpx__ck_domain(httpx__cookie *c, const httpx__ck_attrs *a, const char *host,
                                    char *domain, size_t cap, httpx__err *e) {
    c->host_only = true;
    strcpy(domain, host);
    if (!a->has_domain) return HTTPX_OK;
    if (!httpx__ck_lower_copy(domain, cap, a->domain))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Domain too long");
    if (httpx__cookie_public_suffix(domain)) {
        if (strcmp(domain, host) == 0) return HTTPX_OK;     /* host-only on the suffix itself */
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Domain=%s is a public suffix", domain);
    }
    if (!httpx__cookie_domain_match(host, domain))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: host %s is not in Domain=%s", host, domain);
    c->host_only = false;
    return HTTPX_OK;
}

/* RFC 6265bis: a Secure cookie may only come from a secure origin, https
   or this machine (localhost and loopback addresses, as browsers and curl
   count them), so that plain http cannot overwrite an https session. */
static bool httpx__ck_secure_origin(const httpx__url *u, const char *host) {
    size_t n = strlen(host);
    if (u->is_https) return true;
    if (strcmp(host, "localhost") == 0 || (n > 10 && strcmp(host + n - 10, ".localhost") == 0)) return true;
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

HTTPX__PRIVATE httpx_error httpx__cookies_store(httpx_cookies *j, const httpx__url *u, const char *s, size_t n,
                                                int64_t now, httpx__err *e) {
    const char *semi = (const char *)memchr(s, ';', n), *eq;
    size_t nv = semi ? (size_t)(semi - s) : n, i;
    httpx__str name, value, path;
    httpx__ck_attrs a;
    httpx__cookie c;
    httpx_error err;
    char host[256], domain[256];
    for (i = 0; i < n; i++) {       /* RFC 6265bis: a control character refuses the line */
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: control character in Set-Cookie");
    }
    eq = (const char *)memchr(s, '=', nv);
    if (!eq) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: no '=' in its name-value pair");
    name = httpx__ck_trim(s, (size_t)(eq - s));
    value = httpx__ck_trim(eq + 1, nv - (size_t)(eq - s) - 1);
    if (name.n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: empty name");
    if (name.n + value.n > HTTPX_COOKIE_MAX_SIZE)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "cookie refused: name and value are %zu bytes, over %d",
                           name.n + value.n, HTTPX_COOKIE_MAX_SIZE);
    if (!httpx__ck_host(u, host, sizeof host))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: no usable request host");
    memset(&a, 0, sizeof a);
    httpx__ck_attributes(&a, s + nv, n - nv, now);
    memset(&c, 0, sizeof c);
    err = httpx__ck_domain(&c, &a, host, domain, sizeof domain, e);
    if (err != HTTPX_OK) return err;
    if (memchr(name.p, '\t', name.n) || memchr(value.p, '\t', value.n) || (a.has_path && memchr(a.path.p, '\t', a.path.n)))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: a tab in its name, value or path "
                           "(the cookie file could not hold it)");
    if (a.secure && !httpx__ck_secure_origin(u, host))
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "cookie refused: Secure, but set over plain http");
    path = a.has_path ? a.path : httpx__ck_default_path(u);
    c.persistent = a.has_max_age || a.has_expires;
    c.expires = a.has_max_age ? a.max_age_expiry : a.has_expires ? a.expires : HTTPX__COOKIE_FOREVER;
    if (c.persistent && c.expires > now && c.expires - now > HTTPX__COOKIE_MAX_AGE)
        c.expires = now + HTTPX__COOKIE_MAX_AGE;
    c.created = c.accessed = now;
    c.secure = a.secure;
    c.http_only = a.http_only;
    httpx__ck_same_site(&c, a.same_site);
    if (!httpx__ck_strings(&c, name, value, httpx__ck_s(domain), path))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory storing a cookie");
    return httpx__ck_insert(j, &c, now, e);
}

HTTPX__PRIVATE httpx_error httpx__cookies_store_headers(httpx_cookies *j, const httpx__url *u, const httpx_headers *h,
                                                        int64_t now) {
    size_t i;
    for (i = 0; i < h->count; i++) {
        const httpx__field *f = &h->fields[i];
        httpx__str name;
        name.p = h->text.p + f->name;
        name.n = f->name_len;
        if (httpx__str_ieq(name, "set-cookie") &&
            httpx__cookies_store(j, u, h->text.p + f->value, f->value_len, now, NULL) == HTTPX_ERR_NOMEM)
            return HTTPX_ERR_NOMEM;     /* a refused cookie is left out, as a browser leaves it */
    }
    return HTTPX_OK;
}

/* ---- Cookie: section 5.4 ---- */

static bool httpx__ck_sends(const httpx__cookie *c, const char *host, httpx__str path, bool https) {
    if (c->domain[0]) {     /* "" is a cookie the caller set for every host, as HTTPX's */
        if (c->host_only ? strcmp(host, c->domain) != 0 : !httpx__cookie_domain_match(host, c->domain))
            return false;
    }
    if (!httpx__cookie_path_match(path.p, path.n, c->path)) return false;
    return https || !c->secure;
}

/* The order of section 5.4 step 2: longer paths first, then earlier creation. */
static bool httpx__ck_before(const httpx__cookie *a, const httpx__cookie *b) {
    size_t an = strlen(a->path), bn = strlen(b->path);
    if (an != bn) return an > bn;
    if (a->created != b->created) return a->created < b->created;
    return a->seq < b->seq;
}

HTTPX__PRIVATE bool httpx__cookies_header(httpx_cookies *j, const httpx__url *u, int64_t now, httpx__buf *out) {
    char host[256];
    httpx__str path = httpx__ck_req_path(u);
    size_t i, k, count = 0, *order;
    bool ok = true;
    httpx__cookies_expire(j, now);
    if (j->n == 0 || !httpx__ck_host(u, host, sizeof host)) return true;
    order = (size_t *)httpx__malloc(j->n * sizeof *order);
    if (!order) return false;
    for (i = 0; i < j->n; i++) {        /* insertion sort of the matching ones: jars are small */
        if (!httpx__ck_sends(&j->v[i], host, path, u->is_https)) continue;
        for (k = count; k > 0 && httpx__ck_before(&j->v[i], &j->v[order[k - 1]]); k--) order[k] = order[k - 1];
        order[k] = i;
        count++;
    }
    for (k = 0; k < count; k++) {
        httpx__cookie *c = &j->v[order[k]];
        c->accessed = now;
        if (out->len) ok &= httpx__buf_puts(out, "; ");
        ok &= httpx__buf_puts(out, c->name) && httpx__buf_putc(out, '=') && httpx__buf_puts(out, c->value);
    }
    httpx__free(order);
    return ok;
}

/* ---- the Netscape cookie file (curl's -b / -c) ----
   domain TAB include-subdomains TAB path TAB secure TAB expires TAB name TAB value,
   "#HttpOnly_" before the domain of an HttpOnly cookie, expires 0 for a
   session cookie. SameSite has no column: it is not saved. */

static bool httpx__ck_fields(char *line, char **f, int max, int *count) {
    int k = 0;
    char *p = line;
    while (k < max) {
        char *tab = strchr(p, '\t');
        f[k++] = p;
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    *count = k;
    return !strchr(p, '\t');
}

static bool httpx__ck_flag(const char *s, bool *out) {
    if (strcmp(s, "TRUE") == 0) { *out = true; return true; }
    if (strcmp(s, "FALSE") == 0) { *out = false; return true; }
    return false;
}

/* One line of a cookie file; false when it is not a cookie (skipped). */
static httpx_error httpx__ck_load_line(httpx_cookies *j, char *line, int64_t now, httpx__err *e) {
    char *f[7], *end;
    int count;
    bool subdomains, http_only = false;
    long long expires;
    httpx__cookie c;
    httpx__str domain;
    if (strncmp(line, "#HttpOnly_", 10) == 0) { line += 10; http_only = true; }
    else if (line[0] == '#' || line[0] == 0) return HTTPX_OK;
    if (!httpx__ck_fields(line, f, 7, &count) || count < 6) return HTTPX_ERR_DECODING;
    if (!httpx__ck_flag(f[1], &subdomains)) return HTTPX_ERR_DECODING;
    memset(&c, 0, sizeof c);
    if (!httpx__ck_flag(f[3], &c.secure) || f[2][0] != '/' || f[5][0] == 0) return HTTPX_ERR_DECODING;
    expires = strtoll(f[4], &end, 10);
    if (end == f[4] || *end || expires < 0) return HTTPX_ERR_DECODING;
    domain = httpx__ck_s(f[0][0] == '.' ? f[0] + 1 : f[0]);
    if (strlen(f[5]) + (count == 7 ? strlen(f[6]) : 0) > HTTPX_COOKIE_MAX_SIZE) return HTTPX_ERR_DECODING;
    c.http_only = http_only;
    c.host_only = !subdomains;
    c.persistent = expires != 0;
    c.expires = expires ? (int64_t)expires : HTTPX__COOKIE_FOREVER;
    c.created = c.accessed = now;
    for (end = (char *)domain.p; *end; end++) *end = (char)httpx__lower((unsigned char)*end);
    if (!httpx__ck_strings(&c, httpx__ck_s(f[5]), httpx__ck_s(count == 7 ? f[6] : ""), domain, httpx__ck_s(f[2])))
        return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory loading cookies");
    return httpx__ck_insert(j, &c, now, e);
}

HTTPX__PRIVATE httpx_error httpx__cookies_load_file(httpx_cookies *j, FILE *fp, int64_t now, size_t *skipped,
                                                    httpx__err *e) {
    char line[HTTPX_COOKIE_MAX_SIZE + 2048];
    *skipped = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        httpx_error err;
        if (n == sizeof line - 1 && line[n - 1] != '\n') {     /* longer than any cookie we keep */
            int ch;
            while ((ch = fgetc(fp)) != EOF && ch != '\n') {}
            (*skipped)++;
            continue;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        err = httpx__ck_load_line(j, line, now, e);
        if (err == HTTPX_ERR_NOMEM) return err;
        if (err != HTTPX_OK) (*skipped)++;
    }
    if (ferror(fp)) return httpx__fail(e, HTTPX_ERR_DECODING, "read error in the cookie file");
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__cookies_save_file(const httpx_cookies *j, FILE *fp, int64_t now) {
    size_t i;
    fputs("# Netscape HTTP Cookie File\n# Written by httpx.h " HTTPX_VERSION ". Edit at your own risk.\n\n", fp);
    for (i = 0; i < j->n; i++) {
        const httpx__cookie *c = &j->v[i];
        if (c->expires <= now) continue;
        fprintf(fp, "%s%s%s\t%s\t%s\t%s\t%lld\t%s\t%s\n", c->http_only ? "#HttpOnly_" : "",
                c->host_only || !c->domain[0] ? "" : ".", c->domain, c->host_only ? "FALSE" : "TRUE", c->path,
                c->secure ? "TRUE" : "FALSE", c->persistent ? (long long)c->expires : 0LL, c->name, c->value);
    }
    return ferror(fp) ? HTTPX_ERR_WRITE : HTTPX_OK;
}

/* ---- the public jar ---- */

static int64_t httpx__ck_now(void) { return (int64_t)time(NULL); }

HTTPX_API httpx_cookies *httpx_cookies_new(void) {
    httpx_cookies *j = (httpx_cookies *)httpx__malloc(sizeof *j);
    if (j) memset(j, 0, sizeof *j);
    return j;
}

HTTPX_API void httpx_cookies_free(httpx_cookies *j) {
    size_t i;
    if (!j) return;
    for (i = 0; i < j->n; i++) httpx__ck_free_one(&j->v[i]);
    httpx__free(j->v);
    httpx__free(j);
}

/* NULL domain or path: any; a domain matches with or without a leading dot. */
static bool httpx__ck_selected(const httpx__cookie *c, const char *name, const char *domain, const char *path) {
    if (name && strcmp(c->name, name) != 0) return false;
    if (domain) {
        if (domain[0] == '.') domain++;
        if (strlen(domain) != strlen(c->domain) || !httpx__mem_ieq(domain, c->domain, strlen(domain))) return false;
    }
    return !path || strcmp(c->path, path) == 0;
}

HTTPX_API const char *httpx_cookies_get(const httpx_cookies *j, const char *name, const char *domain,
                                        const char *path) {
    size_t i;
    int64_t now = httpx__ck_now();
    if (!j || !name) return NULL;
    for (i = 0; i < j->n; i++)
        if (j->v[i].expires > now && httpx__ck_selected(&j->v[i], name, domain, path)) return j->v[i].value;
    return NULL;
}

HTTPX_API httpx_error httpx_cookies_set(httpx_cookies *j, const char *name, const char *value, const char *domain,
                                        const char *path) {
    httpx__cookie c;
    httpx__str d = httpx__ck_s(domain && domain[0] == '.' ? domain + 1 : domain);
    size_t i;
    int64_t now = httpx__ck_now();
    const char *p;
    if (!j || !name || !name[0] || strchr(name, '=') || strchr(name, ';')) return HTTPX_ERR_INVALID_ARGUMENT;
    if (!value) value = "";
    if (strchr(value, ';') || strlen(name) + strlen(value) > HTTPX_COOKIE_MAX_SIZE) return HTTPX_ERR_INVALID_ARGUMENT;
    if (!path) path = "/";
    if (path[0] != '/') return HTTPX_ERR_INVALID_ARGUMENT;
    for (p = name; *p; p++) if ((unsigned char)*p < 0x20 || *p == 0x7f) return HTTPX_ERR_INVALID_ARGUMENT;
    for (p = value; *p; p++) if ((unsigned char)*p < 0x20 || *p == 0x7f) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&c, 0, sizeof c);
    /* as HTTPX's cookies.set: a cookie for that domain and its subdomains ("": every host) */
    c.expires = HTTPX__COOKIE_FOREVER;
    c.created = c.accessed = now;
    if (!httpx__ck_strings(&c, httpx__ck_s(name), httpx__ck_s(value), d, httpx__ck_s(path))) return HTTPX_ERR_NOMEM;
    for (i = 0; i < d.n; i++) c.domain[i] = (char)httpx__lower((unsigned char)c.domain[i]);
    return httpx__ck_insert(j, &c, now, NULL);
}

HTTPX_API size_t httpx_cookies_delete(httpx_cookies *j, const char *name, const char *domain, const char *path) {
    size_t i = 0, gone = 0;
    if (!j || !name) return 0;
    while (i < j->n) {
        if (httpx__ck_selected(&j->v[i], name, domain, path)) { httpx__ck_remove(j, i); gone++; }
        else i++;
    }
    return gone;
}

HTTPX_API void httpx_cookies_clear(httpx_cookies *j, const char *domain, const char *path) {
    size_t i = 0;
    if (!j) return;
    while (i < j->n) {
        if (httpx__ck_selected(&j->v[i], NULL, domain, path)) httpx__ck_remove(j, i);
        else i++;
    }
}

HTTPX_API size_t httpx_cookies_count(const httpx_cookies *j) { return j ? j->n : 0; }

HTTPX_API bool httpx_cookies_at(const httpx_cookies *j, size_t i, httpx_cookie *out) {
    const httpx__cookie *c;
    if (!j || i >= j->n || !out) return false;
    c = &j->v[i];
    out->name = c->name;
    out->value = c->value;
    out->domain = c->domain;
    out->path = c->path;
    out->same_site = c->same_site;
    out->expires = c->persistent ? (long long)c->expires : 0;
    out->host_only = c->host_only;
    out->secure = c->secure;
    out->http_only = c->http_only;
    return true;
}

HTTPX_API httpx_error httpx_cookies_set_cookie(httpx_cookies *j, const char *url, const char *set_cookie) {
    httpx__url u;
    httpx__err e;
    httpx_error err;
    if (!j || !url || !set_cookie) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&e, 0, sizeof e);
    err = httpx__url_parse(&u, url, strlen(url), &e);
    if (err == HTTPX_OK) err = httpx__cookies_store(j, &u, set_cookie, strlen(set_cookie), httpx__ck_now(), &e);
    if (err != HTTPX_OK) snprintf(j->msg, sizeof j->msg, "%.240s", e.msg);
    return err;
}

HTTPX_API size_t httpx_cookies_header(httpx_cookies *j, const char *url, char *buf, size_t cap) {
    httpx__url u;
    httpx__buf out;
    size_t n;
    memset(&out, 0, sizeof out);
    if (buf && cap) buf[0] = 0;
    if (!j || !url || httpx__url_parse(&u, url, strlen(url), NULL) != HTTPX_OK) return 0;
    if (!httpx__cookies_header(j, &u, httpx__ck_now(), &out)) { httpx__buf_free(&out); return 0; }
    n = out.len;
    if (buf && cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        if (k) memcpy(buf, out.p, k);
        buf[k] = 0;
    }
    httpx__buf_free(&out);
    return n;
}

HTTPX_API httpx_error httpx_cookies_load(httpx_cookies *j, const char *path) {
    FILE *fp;
    httpx__err e;
    httpx_error err;
    size_t skipped;
    if (!j || !path) return HTTPX_ERR_INVALID_ARGUMENT;
    fp = fopen(path, "r");
    if (!fp) {
        snprintf(j->msg, sizeof j->msg, "cannot open cookie file %.300s: %.200s", path, strerror(errno));
        return HTTPX_ERR_INVALID_ARGUMENT;
    }
    memset(&e, 0, sizeof e);
    err = httpx__cookies_load_file(j, fp, httpx__ck_now(), &skipped, &e);
    fclose(fp);
    if (err != HTTPX_OK) snprintf(j->msg, sizeof j->msg, "%.300s: %.240s", path, e.msg);
    else if (skipped) snprintf(j->msg, sizeof j->msg, "%.300s: %zu lines were not cookies and were skipped", path, skipped);
    else j->msg[0] = 0;
    return err;
}

HTTPX_API httpx_error httpx_cookies_save(httpx_cookies *j, const char *path) {
    FILE *fp;
    httpx_error err;
    httpx__buf tmp;
    if (!j || !path) return HTTPX_ERR_INVALID_ARGUMENT;
    memset(&tmp, 0, sizeof tmp);
    /* a new file renamed over the old one: a failure never leaves half a jar */
    if (!httpx__buf_printf(&tmp, "%s.tmp", path)) return HTTPX_ERR_NOMEM;
    fp = fopen(tmp.p, "w");
    if (!fp) {
        snprintf(j->msg, sizeof j->msg, "cannot write cookie file %.300s: %.200s", tmp.p, strerror(errno));
        httpx__buf_free(&tmp);
        return HTTPX_ERR_WRITE;
    }
    err = httpx__cookies_save_file(j, fp, httpx__ck_now());
    if (fclose(fp) != 0) err = HTTPX_ERR_WRITE;
    if (err == HTTPX_OK && rename(tmp.p, path) != 0) err = HTTPX_ERR_WRITE;
    if (err != HTTPX_OK) {
        snprintf(j->msg, sizeof j->msg, "cannot write cookie file %.300s: %.200s", path, strerror(errno));
        remove(tmp.p);
    } else {
        j->msg[0] = 0;
    }
    httpx__buf_free(&tmp);
    return err;
}

HTTPX_API const char *httpx_cookies_error(const httpx_cookies *j) { return j ? j->msg : ""; }

#endif /* HTTPX_NO_COOKIES */
