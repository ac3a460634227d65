/* dns_conf: the stub resolver's configuration. resolv.conf as glibc reads
   it (nameserver, search, domain, options ndots/timeout/attempts; the last
   search or domain line wins), the client's overrides, and the names a host
   is tried as. */
#include "dns_private.h"
#include <stdio.h>

#ifndef HTTPX_DNS_THREADS       /* always defined on Windows: no stub resolver there */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* "ip", "ip:port", "[v6]" or "[v6]:port"; a v6 address may carry a numeric
   "%scope". */
static bool httpx__dns_parse_ns(const char *s, struct sockaddr_storage *ss, socklen_t *len) {
    char ip[64], *pct;
    unsigned char a[16];
    const char *port = NULL, *colon = strchr(s, ':');
    size_t n;
    long pnum = 53;
    unsigned long scope = 0;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end) return false;
        if (end[1] == ':') port = end + 2;
        else if (end[1]) return false;
        s++;
        n = (size_t)(end - s);
    } else if (colon && !strchr(colon + 1, ':')) {
        n = (size_t)(colon - s);
        port = colon + 1;
    } else {
        n = strlen(s);
    }
    if (n == 0 || n >= sizeof ip) return false;
    memcpy(ip, s, n);
    ip[n] = 0;
    if (port) {
        const char *q = port;
        pnum = 0;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || pnum > 65535) return false;
            pnum = pnum * 10 + (*q - '0');
        }
        if (pnum < 1 || pnum > 65535) return false;
    }
    if ((pct = strchr(ip, '%')) != NULL) {
        const char *q = pct + 1;
        if (!*q) return false;
        for (; *q; q++) {
            if (*q < '0' || *q > '9' || scope > 0xffffffUL) return false;
            scope = scope * 10 + (unsigned long)(*q - '0');
        }
        *pct = 0;
    }
    if (!pct && inet_pton(AF_INET, ip, a) == 1) {
        *len = httpx__sockaddr_make(ss, AF_INET, a, (int)pnum);
        return true;
    }
    if (inet_pton(AF_INET6, ip, a) == 1) {
        *len = httpx__sockaddr_make(ss, AF_INET6, a, (int)pnum);
        ((struct sockaddr_in6 *)ss)->sin6_scope_id = (uint32_t)scope;
        return true;
    }
    return false;
}

static void httpx__dns_set_search(httpx__dns_rc *rc, char **p, bool one) {
    char *tok;
    rc->nsearch = 0;
    while ((tok = httpx__dns_token(p)) != NULL) {
        size_t n = strlen(tok);
        if (n && tok[n - 1] == '.') tok[--n] = 0;
        if (n == 0 || !httpx__dns_name_ok(tok)) continue;   /* "." (the root) or junk */
        if (rc->nsearch == HTTPX__DNS_MAX_SEARCH) break;
        memcpy(rc->search[rc->nsearch++], tok, n + 1);
        if (one) break;
    }
}

static int httpx__dns_option(const char *tok, const char *name, int lo, int hi) {
    size_t n = strlen(name);
    long v = 0;
    const char *q;
    if (strncmp(tok, name, n) != 0 || tok[n] != ':' || !tok[n + 1]) return -1;
    for (q = tok + n + 1; *q; q++) {
        if (*q < '0' || *q > '9') return -1;
        if (v < 1000) v = v * 10 + (*q - '0');
    }
    return (int)(v < lo ? lo : v > hi ? hi : v);
}

HTTPX__PRIVATE void httpx__dns_rc_load(httpx__dns_rc *rc, const httpx__dns_config *cfg) {
    httpx__dns_lines r;
    char *line;
    int timeout = 0, attempts = 0;
    memset(rc, 0, sizeof *rc);
    rc->ndots = 1;
    if (httpx__dns_lines_open(&r, cfg && cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf")) {
        while ((line = httpx__dns_lines_next(&r)) != NULL) {
            char *p = line, *kw, *tok, *c = strpbrk(line, "#;");
            if (c) *c = 0;
            if (!(kw = httpx__dns_token(&p))) continue;
            if (strcmp(kw, "nameserver") == 0) {
                if ((tok = httpx__dns_token(&p)) != NULL && rc->nns < HTTPX__DNS_MAX_NS &&
                    httpx__dns_parse_ns(tok, &rc->ns[rc->nns], &rc->ns_len[rc->nns]))
                    rc->nns++;
            } else if (strcmp(kw, "search") == 0) {
                httpx__dns_set_search(rc, &p, false);
            } else if (strcmp(kw, "domain") == 0) {
                httpx__dns_set_search(rc, &p, true);
            } else if (strcmp(kw, "options") == 0) {
                while ((tok = httpx__dns_token(&p)) != NULL) {
                    int v;
                    if ((v = httpx__dns_option(tok, "ndots", 0, 15)) >= 0) rc->ndots = v;
                    else if ((v = httpx__dns_option(tok, "timeout", 1, 30)) >= 0) timeout = v;
                    else if ((v = httpx__dns_option(tok, "attempts", 1, 5)) >= 0) attempts = v;
                }
            }
        }
        httpx__dns_lines_close(&r);
    }
    if (cfg && cfg->nameservers) {
        int i;
        rc->nns = 0;
        for (i = 0; cfg->nameservers[i] && rc->nns < HTTPX__DNS_MAX_NS; i++)
            if (httpx__dns_parse_ns(cfg->nameservers[i], &rc->ns[rc->nns], &rc->ns_len[rc->nns])) rc->nns++;
    }
    if (rc->nns == 0)   /* glibc's default: a resolver on this machine */
        httpx__dns_parse_ns("127.0.0.1", &rc->ns[rc->nns], &rc->ns_len[rc->nns]), rc->nns++;
    rc->timeout = cfg && cfg->timeout > 0 ? cfg->timeout : timeout ? (double)timeout : 2.0;
    rc->attempts = cfg && cfg->attempts > 0 ? cfg->attempts : attempts ? attempts : 2;
    if (rc->attempts > 10) rc->attempts = 10;
}

/* The names to ask for, in order (glibc's res_search): a name with a final
   dot is only itself; one with at least ndots dots is tried as it is first,
   then with each search domain; one with fewer, the other way round. */
HTTPX__PRIVATE int httpx__dns_candidates(const httpx__dns_rc *rc, const char *host, char out[][HTTPX__DNS_NAME], int max) {
    size_t n = strlen(host);
    int dots = 0, count = 0, i;
    bool as_is_first;
    if (n == 0 || n >= HTTPX__DNS_NAME) return 0;
    if (host[n - 1] == '.') {
        memcpy(out[0], host, n - 1);
        out[0][n - 1] = 0;
        return 1;
    }
    for (i = 0; host[i]; i++) dots += host[i] == '.';
    as_is_first = dots >= rc->ndots;
    if (as_is_first) memcpy(out[count++], host, n + 1);
    for (i = 0; i < rc->nsearch && count < max - (as_is_first ? 0 : 1); i++) {
        size_t sl = strlen(rc->search[i]);
        if (n + 1 + sl > 253) continue;
        memcpy(out[count], host, n);
        out[count][n] = '.';
        memcpy(out[count] + n + 1, rc->search[i], sl + 1);
        count++;
    }
    if (!as_is_first && count < max) memcpy(out[count++], host, n + 1);
    return count;
}

HTTPX__PRIVATE void httpx__dns_ns_string(const httpx__dns_rc *rc, int i, char *out, size_t cap) {
    httpx__sockaddr_string((const struct sockaddr *)&rc->ns[i], out, cap);
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS; users never get it):
   the resolver configuration and the names host would be tried as:
   "ns=127.0.0.1:53,[::1]:5353 ndots=1 timeout=2 attempts=2 search=a.b,c names=x;x.a.b;x.c" */
HTTPX__PRIVATE void httpx__dns_describe(const httpx__dns_config *cfg, const char *host, char *out, size_t cap) {
    httpx__dns_rc rc;
    char names[HTTPX__DNS_MAX_SEARCH + 1][HTTPX__DNS_NAME], ns[80];
    httpx__buf b;
    int i, n;
    memset(&b, 0, sizeof b);
    httpx__dns_rc_load(&rc, cfg);
    httpx__buf_puts(&b, "ns=");
    for (i = 0; i < rc.nns; i++) {
        httpx__dns_ns_string(&rc, i, ns, sizeof ns);
        httpx__buf_printf(&b, "%s%s", i ? "," : "", ns);
    }
    httpx__buf_printf(&b, " ndots=%d timeout=%g attempts=%d search=", rc.ndots, rc.timeout, rc.attempts);
    for (i = 0; i < rc.nsearch; i++) httpx__buf_printf(&b, "%s%s", i ? "," : "", rc.search[i]);
    n = host ? httpx__dns_candidates(&rc, host, names, HTTPX__DNS_MAX_SEARCH + 1) : 0;
    httpx__buf_puts(&b, " names=");
    for (i = 0; i < n; i++) httpx__buf_printf(&b, "%s%s", i ? ";" : "", names[i]);
    snprintf(out, cap, "%s", b.p ? b.p : "");
    httpx__buf_free(&b);
}
#endif

#endif /* !HTTPX_DNS_THREADS */
