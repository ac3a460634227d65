/* url: RFC 3986 parsing of http and https URLs, reference resolution
   (section 5.2), request-target and display serialisation, percent-decoding
   and application/x-www-form-urlencoded.

   The parser follows RFC 3986 (plus RFC 9110 section 4.2 for http/https: an
   authority with a non-empty host is required), not the WHATWG URL standard:
   no tab/newline stripping, no backslash as a separator, no IDNA, no IPv4
   number forms ("0x7f.1" is refused rather than read as 127.0.0.1). Where the
   RFC is lax but the result could not name a server, it is stricter: a host
   that ends in a number must be a dotted-quad IPv4 address, a percent-encoded
   or non-ASCII host is refused, and '@' in userinfo must be encoded. Path,
   query and fragment accept any byte but control characters; the request
   target percent-encodes what may not be sent as is (space, '"', '<', '>',
   '\\', '^', '`', '{', '|', '}', non-ASCII bytes), as HTTPX does. */
#include "internal.h"

#define HTTPX__U_MAX_HOST 255   /* DNS names are at most 253 bytes (RFC 1035) */

static bool httpx__u_is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool httpx__u_is_digit(int c) { return c >= '0' && c <= '9'; }

static bool httpx__u_unreserved(int c) {
    return httpx__u_is_alpha(c) || httpx__u_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool httpx__u_subdelim(int c) { return c != 0 && strchr("!$&'()*+,;=", c) != NULL; }

static bool httpx__u_escape_at(const char *s, size_t n, size_t i) {
    return i + 2 < n && httpx__hex_value((unsigned char)s[i + 1]) >= 0 && httpx__hex_value((unsigned char)s[i + 2]) >= 0;
}

static bool httpx__u_put_pct(httpx__buf *out, unsigned char c) {
    char t[3];
    t[0] = '%';
    t[1] = httpx__hex_digit(c >> 4, true);
    t[2] = httpx__hex_digit(c, true);
    return httpx__buf_append(out, t, 3);
}

static bool httpx__u_put_lower(httpx__buf *out, const char *s, size_t n) {
    size_t i;
    if (!httpx__buf_reserve(out, n)) return false;
    for (i = 0; i < n; i++) out->p[out->len + i] = (char)httpx__lower((unsigned char)s[i]);
    out->len += n;
    out->p[out->len] = 0;
    return true;
}

/* Shows at most a short piece of hostile input in a message. */
static int httpx__u_clip(size_t n, size_t max) { return (int)(n < max ? n : max); }

/* ---- parse ---- */

/* Control characters are refused everywhere, before any other check,
   because a URL carrying them is more likely an injection (CR/LF into the
   request line) than a typo. A space is refused before the path (scheme and
   authority: no host has one); in the path, query and fragment it is sent
   as %20, as HTTPX does. */
static httpx_error httpx__u_check_bytes(const char *s, size_t n, size_t authority_end, httpx__err *e) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && i < authority_end)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: space at offset %zu (encode it as %%20)", i);
        if (c < 0x20 || c == 0x7F)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: control character 0x%02X at offset %zu", c, i);
    }
    return HTTPX_OK;
}

/* Every '%' in s[0..n) must start a %XX escape; base is s's offset in the URL.
   The message quotes the escape up to its first non-printable byte. */
static httpx_error httpx__u_check_escapes(const char *s, size_t n, size_t base, const char *part, httpx__err *e) {
    size_t i, k;
    for (i = 0; i < n; i++) {
        if (s[i] != '%' || httpx__u_escape_at(s, n, i)) continue;
        for (k = 1; k < 3 && i + k < n && (unsigned char)s[i + k] > 0x20 && (unsigned char)s[i + k] < 0x7F; k++) {}
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: bad percent escape '%.*s' in %s at offset %zu",
                           (int)k, s + i, part, base + i);
    }
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_scheme(httpx__url *u, const char *s, size_t n, size_t *pos, httpx__err *e) {
    size_t i = 0;
    if (n > 0 && httpx__u_is_alpha((unsigned char)s[0]))
        while (i < n && (httpx__u_is_alpha((unsigned char)s[i]) || httpx__u_is_digit((unsigned char)s[i]) ||
                         s[i] == '+' || s[i] == '-' || s[i] == '.'))
            i++;
    if (i == 0 || i == n || s[i] != ':')
        return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                           "invalid URL: no scheme (a relative URL? expected http:// or https://)");
    u->scheme.p = s;
    u->scheme.n = i;
    if (httpx__str_ieq(u->scheme, "https")) u->is_https = true;
    else if (!httpx__str_ieq(u->scheme, "http"))
        return httpx__fail(e, HTTPX_ERR_UNSUPPORTED_PROTOCOL, "unsupported scheme '%.*s' (only http and https)",
                           httpx__u_clip(i, 40), s);
    *pos = i + 1;
    return HTTPX_OK;
}

static bool httpx__u_dec_octet(const char *s, size_t n) {
    size_t i;
    int v = 0;
    if (n == 0 || n > 3 || (n > 1 && s[0] == '0')) return false;
    for (i = 0; i < n; i++) {
        if (!httpx__u_is_digit((unsigned char)s[i])) return false;
        v = v * 10 + (s[i] - '0');
    }
    return v <= 255;
}

/* RFC 3986 IPv4address: four dec-octets, no leading zeros. */
static bool httpx__u_ipv4(const char *s, size_t n) {
    size_t i, start = 0;
    int parts = 0;
    for (i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') continue;
        if (++parts > 4 || !httpx__u_dec_octet(s + start, i - start)) return false;
        start = i + 1;
    }
    return parts == 4;
}

/* RFC 3986 IPv6address: eight h16 groups, or fewer with one "::", the last two
   possibly written as an IPv4 address. */
static bool httpx__u_ipv6(const char *s, size_t n) {
    size_t i = 0, len;
    int groups = 0;
    bool gap = false;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = true;
        i = 2;
        if (i == n) return true;
    }
    for (;;) {
        for (len = 0; i + len < n && len < 5 && httpx__hex_value((unsigned char)s[i + len]) >= 0; len++) {}
        if (i + len < n && s[i + len] == '.') {     /* a trailing IPv4 part ends the address */
            if (!httpx__u_ipv4(s + i, n - i)) return false;
            groups += 2;
            break;
        }
        if (len == 0 || len > 4) return false;
        groups++;
        i += len;
        if (i == n) break;
        if (s[i] != ':' || ++i == n) return false;
        if (s[i] == ':') {
            if (gap) return false;
            gap = true;
            if (++i == n) break;
        }
        if (groups >= 8) return false;
    }
    return gap ? groups <= 7 : groups == 8;
}

static httpx_error httpx__u_parse_ip_literal(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    if (n > 0 && (s[0] == 'v' || s[0] == 'V'))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPvFuture address literals are not supported");
    if (memchr(s, '%', n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPv6 zone identifiers are not supported");
    if (!httpx__u_ipv6(s, n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: bad IPv6 literal '[%.*s]'", httpx__u_clip(n, 64), s);
    u->host.p = s;
    u->host.n = n;
    u->host_is_ipv6 = true;
    return HTTPX_OK;
}

/* WHATWG's "ends in a number" test: such a host can only be an IPv4 address,
   never a DNS name, so anything but a plain dotted quad is refused rather than
   handed to a resolver that may read "0x7f.1" or "2130706433" as 127.0.0.1. */
static bool httpx__u_ends_in_number(const char *s, size_t n) {
    size_t start, i;
    if (n > 0 && s[n - 1] == '.') n--;
    for (start = n; start > 0 && s[start - 1] != '.'; start--) {}
    if (start == n) return false;
    if (n - start >= 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X')) {
        for (i = start + 2; i < n; i++)
            if (httpx__hex_value((unsigned char)s[i]) < 0) return false;
        return true;
    }
    for (i = start; i < n; i++)
        if (!httpx__u_is_digit((unsigned char)s[i])) return false;
    return true;
}

static httpx_error httpx__u_parse_reg_name(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    size_t i;
    if (n > HTTPX__U_MAX_HOST)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: host name longer than %d bytes", HTTPX__U_MAX_HOST);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: non-ASCII host name (write an internationalised name in its xn-- form)");
        if (c == '%')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: percent-encoded host names are not supported");
        if (!httpx__u_unreserved(c) && !httpx__u_subdelim(c))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: invalid character '%c' in host", c);
    }
    if (httpx__u_ends_in_number(s, n) && !httpx__u_ipv4(s, n))
        return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                           "invalid URL: host '%.*s' is neither a name nor an IPv4 address a.b.c.d",
                           httpx__u_clip(n, 64), s);
    u->host.p = s;
    u->host.n = n;
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_port(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    unsigned long v = 0;
    size_t i;
    if (n == 0) return HTTPX_OK;   /* "host:" means the default port (RFC 3986 section 3.2.3) */
    for (i = 0; i < n; i++) {
        if (!httpx__u_is_digit((unsigned char)s[i]))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: port '%.*s' is not a number",
                               httpx__u_clip(n, 20), s);
        if (v <= 65535) v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v == 0 || v > 65535)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: port %.*s out of range (1-65535)",
                           httpx__u_clip(n, 20), s);
    u->port = (int)v;
    u->has_port = true;
    return HTTPX_OK;
}

static httpx_error httpx__u_parse_userinfo(httpx__url *u, const char *s, size_t n, size_t base, httpx__err *e) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '@')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: '@' in userinfo must be percent-encoded as %%40");
        if (c >= 0x80 || (!httpx__u_unreserved(c) && !httpx__u_subdelim(c) && c != ':' && c != '%'))
            return httpx__fail(e, HTTPX_ERR_INVALID_URL,
                               "invalid URL: byte 0x%02X in userinfo must be percent-encoded", c);
    }
    u->userinfo.p = s;
    u->userinfo.n = n;
    return httpx__u_check_escapes(s, n, base, "userinfo", e);
}

/* authority = [ userinfo "@" ] host [ ":" port ]; base is its offset in the URL. */
static httpx_error httpx__u_parse_authority(httpx__url *u, const char *s, size_t n, size_t base, httpx__err *e) {
    const char *h = s, *colon;
    size_t hn = n, at = n;
    httpx_error rc;
    /* The last '@' splits, so that an unencoded '@' in a password is reported
       as such instead of as a strange host. */
    while (at > 0 && s[at - 1] != '@') at--;
    if (at > 0) {
        if ((rc = httpx__u_parse_userinfo(u, s, at - 1, base, e))) return rc;
        h = s + at;
        hn = n - at;
    }
    if (hn > 0 && h[0] == '[') {
        const char *close = (const char *)memchr(h, ']', hn);
        if (!close) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: IPv6 literal without closing ']'");
        if ((rc = httpx__u_parse_ip_literal(u, h + 1, (size_t)(close - h - 1), e))) return rc;
        colon = close + 1;
        if (colon < h + hn && *colon != ':')
            return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: unexpected '%c' after IPv6 literal", *colon);
    } else {
        colon = (const char *)memchr(h, ':', hn);
        if (!colon) colon = h + hn;
        if (colon == h) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: empty host");
        if ((rc = httpx__u_parse_reg_name(u, h, (size_t)(colon - h), e))) return rc;
    }
    if (colon < h + hn) return httpx__u_parse_port(u, colon + 1, hn - (size_t)(colon + 1 - h), e);
    return HTTPX_OK;
}

/* Path, query and fragment, from s[i] (just after the authority) to the end. */
static httpx_error httpx__u_parse_rest(httpx__url *u, const char *s, size_t n, size_t i, httpx__err *e) {
    size_t start = i;
    httpx_error rc;
    while (i < n && s[i] != '?' && s[i] != '#') i++;
    u->path.p = s + start;
    u->path.n = i - start;
    if ((rc = httpx__u_check_escapes(u->path.p, u->path.n, start, "path", e))) return rc;
    if (i < n && s[i] == '?') {
        start = ++i;
        while (i < n && s[i] != '#') i++;
        u->query.p = s + start;
        u->query.n = i - start;
        if ((rc = httpx__u_check_escapes(u->query.p, u->query.n, start, "query", e))) return rc;
    }
    if (i < n) {    /* '#' */
        u->fragment.p = s + i + 1;
        u->fragment.n = n - i - 1;
        if ((rc = httpx__u_check_escapes(u->fragment.p, u->fragment.n, i + 1, "fragment", e))) return rc;
    }
    return HTTPX_OK;
}

HTTPX__PRIVATE httpx_error httpx__url_parse(httpx__url *u, const char *s, size_t n, httpx__err *e) {
    size_t i = 0, end;
    httpx_error rc;
    memset(u, 0, sizeof *u);
    if (!s || n == 0) return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: empty URL");
    for (end = 0; end < n && s[end] != '/'; end++) {}          /* the scheme's "//" */
    for (end += 2; end < n && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++) {}
    if ((rc = httpx__u_check_bytes(s, n, end, e))) return rc;
    if ((rc = httpx__u_parse_scheme(u, s, n, &i, e))) return rc;
    u->port = u->is_https ? 443 : 80;
    /* RFC 9110 section 4.2: http and https URLs always have an authority. */
    if (n - i < 2 || s[i] != '/' || s[i + 1] != '/')
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: expected '//' and a host after '%.*s:'",
                           (int)u->scheme.n, u->scheme.p);
    i += 2;
    for (end = i; end < n && s[end] != '/' && s[end] != '?' && s[end] != '#'; end++) {}
    if ((rc = httpx__u_parse_authority(u, s + i, end - i, i, e))) return rc;
    return httpx__u_parse_rest(u, s, n, end, e);
}

/* ---- serialise ---- */

static bool httpx__u_target_safe(const char *s, size_t n, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20 || c >= 0x7F) return false;
    if (c == '%') return httpx__u_escape_at(s, n, i);   /* a stray '%' is sent as %25 */
    return strchr("\"<>\\^`{|}#", c) == NULL;
}

static bool httpx__u_put_target_part(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run;
    while (i < n) {
        for (run = i; run < n && httpx__u_target_safe(s, n, run); run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) return false;
        if (run < n && !httpx__u_put_pct(out, (unsigned char)s[run])) return false;
        i = run + 1;
    }
    return true;
}

HTTPX__PRIVATE bool httpx__url_write_target(httpx__buf *out, const httpx__url *u) {
    if (u->path.n == 0) {
        if (!httpx__buf_putc(out, '/')) return false;
    } else if (!httpx__u_put_target_part(out, u->path.p, u->path.n)) {
        return false;
    }
    if (!u->query.p) return true;
    return httpx__buf_putc(out, '?') && httpx__u_put_target_part(out, u->query.p, u->query.n);
}

HTTPX__PRIVATE bool httpx__url_write_authority(httpx__buf *out, const httpx__url *u) {
    if (u->host_is_ipv6 && !httpx__buf_putc(out, '[')) return false;
    if (!httpx__u_put_lower(out, u->host.p, u->host.n)) return false;
    if (u->host_is_ipv6 && !httpx__buf_putc(out, ']')) return false;
    if (u->port == (u->is_https ? 443 : 80)) return true;
    {   /* ":port" by hand: this runs for every request, printf is slow */
        char digits[8];
        int n = 0, port = u->port;
        do { digits[n++] = (char)('0' + port % 10); port /= 10; } while (port && n < 7);
        if (!httpx__buf_putc(out, ':')) return false;
        while (n) if (!httpx__buf_putc(out, digits[--n])) return false;
        return true;
    }
}

#ifdef HTTPX__TEST_HOOKS
/* For the tests (tests/impl.c defines HTTPX__TEST_HOOKS), until the engine
   shows r->url normalised: the URL as a user would see it, lower-case
   scheme and host, no userinfo, no default port, path "/" when empty, the
   query kept, no fragment. */
HTTPX__PRIVATE bool httpx__url_write(httpx__buf *out, const httpx__url *u) {
    return httpx__buf_puts(out, u->is_https ? "https://" : "http://") &&
           httpx__url_write_authority(out, u) && httpx__url_write_target(out, u);
}
#endif

/* ---- percent-decoding and credentials ---- */

HTTPX__PRIVATE bool httpx__pct_decode(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run, old = out->len;
    while (i < n) {
        for (run = i; run < n && s[run] != '%'; run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) goto fail;
        if (run == n) break;
        if (!httpx__u_escape_at(s, n, run)) goto fail;
        if (!httpx__buf_putc(out, (char)(httpx__hex_value((unsigned char)s[run + 1]) * 16 +
                                         httpx__hex_value((unsigned char)s[run + 2]))))
            goto fail;
        i = run + 3;
    }
    return httpx__buf_append(out, "", 0);   /* a C string even when empty */
fail:
    out->len = old;
    if (out->p) out->p[old] = 0;
    return false;
}

HTTPX__PRIVATE bool httpx__url_credentials(const httpx__url *u, httpx__buf *user, httpx__buf *pass) {
    const char *colon;
    size_t un;
    if (!u->userinfo.p) return false;
    colon = (const char *)memchr(u->userinfo.p, ':', u->userinfo.n);
    un = colon ? (size_t)(colon - u->userinfo.p) : u->userinfo.n;
    if (!httpx__pct_decode(user, u->userinfo.p, un)) return false;
    if (!colon) return httpx__pct_decode(pass, "", 0);
    return httpx__pct_decode(pass, colon + 1, u->userinfo.n - un - 1);
}

/* ---- application/x-www-form-urlencoded ---- */

HTTPX__PRIVATE bool httpx__form_escape(httpx__buf *out, const char *s, size_t n) {
    size_t i = 0, run;
    while (i < n) {
        for (run = i; run < n && httpx__u_unreserved((unsigned char)s[run]); run++) {}
        if (!httpx__buf_append(out, s + i, run - i)) return false;
        if (run == n) break;
        if (s[run] == ' ' ? !httpx__buf_putc(out, '+') : !httpx__u_put_pct(out, (unsigned char)s[run])) return false;
        i = run + 1;
    }
    return httpx__buf_append(out, "", 0);
}

HTTPX__PRIVATE bool httpx__form_encode(httpx__buf *out, const httpx_pair *pairs, bool sep_first) {
    bool sep = sep_first;
    if (!pairs) return httpx__buf_append(out, "", 0);
    for (; pairs->name; pairs++) {
        if (sep && !httpx__buf_putc(out, '&')) return false;
        if (!httpx__form_escape(out, pairs->name, strlen(pairs->name)) || !httpx__buf_putc(out, '=')) return false;
        if (pairs->value && !httpx__form_escape(out, pairs->value, strlen(pairs->value))) return false;
        sep = true;
    }
    return httpx__buf_append(out, "", 0);
}

/* ---- reference resolution (RFC 3986 section 5.2) ---- */

/* A URI reference split as in RFC 3986 appendix B; p == NULL: undefined. */
typedef struct httpx__u_ref { httpx__str scheme, authority, path, query, fragment; } httpx__u_ref;

static void httpx__u_split(httpx__u_ref *r, const char *s) {
    size_t i = 0, n = strlen(s), start;
    memset(r, 0, sizeof *r);
    if (httpx__u_is_alpha((unsigned char)s[0])) {
        for (i = 1; httpx__u_is_alpha((unsigned char)s[i]) || httpx__u_is_digit((unsigned char)s[i]) ||
                    s[i] == '+' || s[i] == '-' || s[i] == '.'; i++) {}
        if (s[i] == ':') {
            r->scheme.p = s;
            r->scheme.n = i++;
        } else {
            i = 0;
        }
    }
    if (s[i] == '/' && s[i + 1] == '/') {
        for (start = i += 2; i < n && !strchr("/?#", s[i]); i++) {}
        r->authority.p = s + start;
        r->authority.n = i - start;
    }
    for (start = i; i < n && s[i] != '?' && s[i] != '#'; i++) {}
    r->path.p = s + start;
    r->path.n = i - start;
    if (s[i] == '?') {
        for (start = ++i; i < n && s[i] != '#'; i++) {}
        r->query.p = s + start;
        r->query.n = i - start;
    }
    if (s[i] == '#') {
        r->fragment.p = s + i + 1;
        r->fragment.n = n - i - 1;
    }
}

/* Drops the last segment and its '/' from what remove_dot_segments wrote. */
static void httpx__u_pop_segment(httpx__buf *out, size_t start) {
    size_t j = out->len;
    while (j > start && out->p[j - 1] != '/') j--;
    out->len = j > start ? j - 1 : start;
    out->p[out->len] = 0;
}

static bool httpx__u_is(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}

/* RFC 3986 section 5.2.4, appending the result to out. Where the RFC replaces
   a "/./" or "/../" prefix by "/", the input is advanced to that prefix's last
   '/' instead; a final "/." or "/.." keeps only its '/'. */
static bool httpx__u_remove_dots(httpx__buf *out, const char *s, size_t n) {
    size_t start = out->len, seg;
    if (!httpx__buf_reserve(out, n)) return false;
    while (n > 0) {
        if (httpx__u_is(s, n, "../")) { s += 3; n -= 3; }
        else if (httpx__u_is(s, n, "./")) { s += 2; n -= 2; }
        else if (httpx__u_is(s, n, "/./")) { s += 2; n -= 2; }
        else if (n == 2 && httpx__u_is(s, n, "/.")) { n = 1; }
        else if (httpx__u_is(s, n, "/../")) { s += 3; n -= 3; httpx__u_pop_segment(out, start); }
        else if (n == 3 && httpx__u_is(s, n, "/..")) { n = 1; httpx__u_pop_segment(out, start); }
        else if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) { n = 0; }
        else {
            for (seg = 1; seg < n && s[seg] != '/'; seg++) {}
            memcpy(out->p + out->len, s, seg);   /* fits: output never outgrows the input */
            out->len += seg;
            out->p[out->len] = 0;
            s += seg;
            n -= seg;
        }
    }
    return true;
}

/* RFC 3986 section 5.2.3: the base path up to its last '/', then the ref path. */
static bool httpx__u_merge(httpx__buf *tmp, const httpx__u_ref *b, const httpx__u_ref *r) {
    size_t keep = b->path.n;
    if (b->authority.p && b->path.n == 0)
        return httpx__buf_putc(tmp, '/') && httpx__buf_append(tmp, r->path.p, r->path.n);
    while (keep > 0 && b->path.p[keep - 1] != '/') keep--;
    return httpx__buf_append(tmp, b->path.p, keep) && httpx__buf_append(tmp, r->path.p, r->path.n);
}

static bool httpx__u_put_part(httpx__buf *out, const char *pre, httpx__str s) {
    if (!s.p) return true;
    return httpx__buf_puts(out, pre) && httpx__buf_append(out, s.p, s.n);
}

/* Section 5.2.2 (strict) and 5.3: writes the target's scheme, authority, path
   and query; the caller adds the fragment. */
static bool httpx__u_transform(httpx__buf *out, const httpx__u_ref *b, const httpx__u_ref *r) {
    bool own_authority = r->scheme.p || r->authority.p;   /* r names its own server */
    httpx__str scheme = r->scheme.p ? r->scheme : b->scheme;
    httpx__buf tmp;
    bool ok;
    if (!httpx__buf_append(out, scheme.p, scheme.n) || !httpx__buf_putc(out, ':') ||
        !httpx__u_put_part(out, "//", own_authority ? r->authority : b->authority))
        return false;
    if (own_authority || (r->path.n > 0 && r->path.p[0] == '/'))
        return httpx__u_remove_dots(out, r->path.p, r->path.n) && httpx__u_put_part(out, "?", r->query);
    if (r->path.n == 0)
        return httpx__buf_append(out, b->path.p, b->path.n) &&
               httpx__u_put_part(out, "?", r->query.p ? r->query : b->query);
    memset(&tmp, 0, sizeof tmp);
    ok = httpx__u_merge(&tmp, b, r) && httpx__u_remove_dots(out, tmp.p, tmp.len) &&
         httpx__u_put_part(out, "?", r->query);
    httpx__buf_free(&tmp);
    return ok;
}

HTTPX__PRIVATE httpx_error httpx__url_resolve(httpx__buf *out, const char *base, const char *ref, httpx__err *e) {
    httpx__u_ref b, r;
    size_t old = out->len;
    if (!base || !ref) return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "URL resolution needs a base and a reference");
    httpx__u_split(&b, base);
    if (!b.scheme.p)
        return httpx__fail(e, HTTPX_ERR_INVALID_URL, "invalid URL: base URL '%.*s' has no scheme",
                           httpx__u_clip(strlen(base), 80), base);
    httpx__u_split(&r, ref);
    if (httpx__u_transform(out, &b, &r) && httpx__u_put_part(out, "#", r.fragment)) return HTTPX_OK;
    out->len = old;
    if (out->p) out->p[old] = 0;
    return httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory while resolving a URL");
}
