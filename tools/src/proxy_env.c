/* proxy_env: which proxy a request goes through. The client's options name
   them; without any, the environment does (trust_env), read the way curl
   and Python read it: http_proxy, https_proxy, all_proxy and no_proxy, lower
   case before upper case. */
#include "internal.h"
#include "url_internal.h"
#include "net_internal.h"
#include "proxy_internal.h"

static const char *httpx__env_upper_name(const char *lower) {
    return !strcmp(lower, "http_proxy") ? "HTTP_PROXY" : !strcmp(lower, "https_proxy") ? "HTTPS_PROXY"
         : !strcmp(lower, "all_proxy") ? "ALL_PROXY" : "NO_PROXY";
}

/* name in lower case, then in upper case; an empty value is unset. *which:
   the name that gave it, for messages. */
static const char *httpx__env_pick(httpx__getenv_fn get, void *ctx, const char *lower, bool upper_too,
                                   const char **which) {
    char upper[32];
    size_t i;
    const char *v = get(ctx, lower);
    if (v && *v) { *which = lower; return v; }
    if (!upper_too) return NULL;
    for (i = 0; lower[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)(lower[i] >= 'a' && lower[i] <= 'z' ? lower[i] - 32 : lower[i]);
    upper[i] = 0;
    v = get(ctx, upper);
    if (v && *v) { *which = httpx__env_upper_name(lower); return v; }
    return NULL;
}

static httpx_error httpx__proxy_make(httpx__proxy **out, const char *url, const char *from, httpx__err *e) {
    if (!url) return HTTPX_OK;
    if (!(*out = httpx__proxy_new(url, e))) {
        if (e->code == HTTPX_ERR_INVALID_ARGUMENT) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "%s: %s", from, why);
        }
        return e->code;
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__proxies_init(httpx__proxies *p, const char *all, const char *http,
                                               const char *https, httpx__getenv_fn get, void *ctx, httpx__err *e) {
    const char *from_http = "httpx_client_opts.http_proxy", *from_https = "httpx_client_opts.https_proxy";
    const char *from_all = "httpx_client_opts.proxy", *no = NULL;
    memset(p, 0, sizeof *p);
    if (!all && !http && !https && get) {
        const char *w = NULL;
        /* A CGI program's HTTP_PROXY may come from the request's "Proxy:"
           header (httpoxy): ignored then, as curl and Python do. */
        bool cgi = get(ctx, "REQUEST_METHOD") != NULL;
        http = httpx__env_pick(get, ctx, "http_proxy", !cgi, &from_http);
        https = httpx__env_pick(get, ctx, "https_proxy", true, &from_https);
        all = httpx__env_pick(get, ctx, "all_proxy", true, &from_all);
        no = httpx__env_pick(get, ctx, "no_proxy", true, &w);
    }
    if (!http) { http = all; from_http = from_all; }
    if (!https) { https = all; from_https = from_all; }
    if (httpx__proxy_make(&p->http, http, from_http, e) || httpx__proxy_make(&p->https, https, from_https, e)) {
        httpx__proxies_free(p);
        return e->code;
    }
    if (no) {
        size_t n = strlen(no) + 1;
        if (!(p->no_proxy = (char *)httpx__malloc(n))) {
            httpx__proxies_free(p);
            return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for NO_PROXY");
        }
        memcpy(p->no_proxy, no, n);
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE void httpx__proxies_free(httpx__proxies *p) {
    httpx__proxy_free(p->http);
    httpx__proxy_free(p->https);
    httpx__free(p->no_proxy);
    memset(p, 0, sizeof *p);
}

HTTPX__PRIVATE const httpx__proxy *httpx__proxies_for(const httpx__proxies *p, const httpx__url *u) {
    const httpx__proxy *px = u->is_https ? p->https : p->http;
    char host[256];
    if (!px || !p->no_proxy) return px;
    if (u->host.n >= sizeof host) return px;
    memcpy(host, u->host.p, u->host.n);
    host[u->host.n] = 0;
    return httpx__no_proxy_match(p->no_proxy, host, u->port) ? NULL : px;
}

/* Whether the first bits of a and b (n bytes each) agree. */
static bool httpx__prefix_eq(const unsigned char *a, const unsigned char *b, int bits) {
    int i;
    for (i = 0; bits >= 8; i++, bits -= 8)
        if (a[i] != b[i]) return false;
    return !bits || ((a[i] ^ b[i]) & (0xff00 >> bits) & 0xff) == 0;
}

/* One NO_PROXY entry (e[0..n), no spaces or commas) against host:port. */
static bool httpx__no_proxy_entry(const char *en, size_t n, const char *host, const unsigned char *hip, int hip_len,
                                  int port) {
    char name[256];
    const char *slash, *colon = NULL;
    int want_port = 0, bits = -1;
    unsigned char ip[16];
    int ip_len;
    size_t hn;
    if (n == 1 && en[0] == '*') return true;
    if (en[0] == '[') {                     /* [v6] or [v6]:port */
        const char *rb = (const char *)memchr(en, ']', n);
        if (!rb) return false;
        if (rb + 1 < en + n) {
            if (rb[1] != ':') return false;
            colon = rb + 1;
        }
        n = (size_t)(rb - en - 1);
        en++;
    } else {
        /* one ':' is a port; more are an IPv6 literal */
        const char *c1 = (const char *)memchr(en, ':', n);
        if (c1 && !memchr(c1 + 1, ':', (size_t)(en + n - c1 - 1))) {
            colon = c1;
            n = (size_t)(c1 - en);
        }
    }
    if (colon) {
        const char *d = colon + 1;
        for (; *d >= '0' && *d <= '9' && want_port < 100000; d++) want_port = want_port * 10 + (*d - '0');
        if (want_port && want_port != port) return false;
    }
    if (n == 0 || n >= sizeof name) return false;
    memcpy(name, en, n);
    name[n] = 0;
    slash = strchr(name, '/');
    if (slash) {                            /* CIDR */
        const char *d = slash + 1;
        bits = 0;
        if (!*d) return false;
        for (; *d; d++) {
            if (*d < '0' || *d > '9' || bits > 128) return false;
            bits = bits * 10 + (*d - '0');
        }
        name[slash - name] = 0;
    }
    ip_len = httpx__ip_parse(name, ip);
    if (ip_len) {
        if (hip_len != ip_len) return false;
        if (bits < 0) bits = ip_len * 8;
        if (bits > ip_len * 8) return false;
        return httpx__prefix_eq(ip, hip, bits);
    }
    if (slash) return false;
    /* a name: itself or its subdomains; a leading dot (or "*.") means the same */
    en = name;
    if (en[0] == '*' && en[1] == '.') en++;
    if (en[0] == '.') en++;
    n = strlen(en);
    hn = strlen(host);
    if (hn && host[hn - 1] == '.') hn--;    /* "example.com." is example.com */
    if (n && en[n - 1] == '.') n--;
    if (!n || hn < n || !httpx__mem_ieq(host + hn - n, en, n)) return false;
    return hn == n || host[hn - n - 1] == '.';
}

HTTPX__PRIVATE bool httpx__no_proxy_match(const char *list, const char *host, int port) {
    unsigned char hip[16];
    int hip_len = httpx__ip_parse(host, hip);
    const char *p = list;
    if (!list) return false;
    while (*p) {
        size_t n;
        while (*p == ',' || *p == ' ' || *p == '\t') p++;
        n = strcspn(p, ", \t");
        if (n && httpx__no_proxy_entry(p, n, host, hip, hip_len, port)) return true;
        p += n;
    }
    return false;
}
