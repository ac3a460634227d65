/* Cookie jar (tools/src/cookie.c): RFC 6265 section 5 parsing, matching,
   order, caps, the Netscape file, the public jar API.
   Conformance data: cookies-http-state (the IETF httpstate working group's
   parser and date cases, run on a fixed clock) and curl's cookie tests that
   say something about a client jar (tests/data/curl-cookies). */
#include "test.h"
#include "fixtures.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef HTTPX_NO_COOKIES

/* 2011-04-01 00:00:00 UTC: after the cases' past dates (2007, 1980), before
   their future ones (2019, 2027), as when the cases were written. */
#define CK_NOW ((int64_t)1301616000)

static bool ck_url(httpx__url *u, const char *s) {
    return httpx__url_parse(u, s, strlen(s), NULL) == HTTPX_OK;
}

static httpx_error ck_store(httpx_cookies *j, const char *url, const char *line, int64_t now) {
    httpx__url u;
    if (!ck_url(&u, url)) return HTTPX_ERR_INVALID_URL;
    return httpx__cookies_store(j, &u, line, strlen(line), now, NULL);
}

/* The Cookie header for url at now, in a static buffer. */
static const char *ck_header(httpx_cookies *j, const char *url, int64_t now) {
    static char out[8192];
    httpx__url u;
    httpx__buf b;
    memset(&b, 0, sizeof b);
    out[0] = 0;
    if (!ck_url(&u, url) || !httpx__cookies_header(j, &u, now, &b)) return "(error)";
    if (b.len) snprintf(out, sizeof out, "%s", b.p);
    httpx__buf_free(&b);
    return out;
}

/* ---- dates: section 5.1.1 ---- */

static void ck_format_date(int64_t t, char *out, size_t cap) {
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t days = t / 86400, secs = t % 86400, z, era, doe, yoe, y, doy, mp, d, m;
    if (secs < 0) { secs += 86400; days--; }
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[((days % 7) + 7) % 7], (int)d, mon[m - 1], (int)y,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* A JSON file of the test data, "//" comment lines dropped (bsd-examples.json
   has a licence header in them). */
static httpx_json_value *ck_json(const char *rel) {
    char path[512];
    char *text, *w, *r;
    httpx_json_value *doc;
    httpx_json_error err;
    snprintf(path, sizeof path, "%s/%s", test_data_dir(), rel);
    text = test_read_file(path, NULL);
    if (!text) return NULL;
    for (w = r = text; *r;) {
        char *nl = strchr(r, '\n');
        size_t n = nl ? (size_t)(nl - r + 1) : strlen(r);
        if (!(r[0] == '/' && r[1] == '/')) { memmove(w, r, n); w += n; }
        r += n;
    }
    *w = 0;
    doc = httpx_json_parse(text, strlen(text), &err);
    if (!doc) test_fail(__FILE__, __LINE__, "%s: %s", rel, err.message);
    free(text);
    return doc;
}

static void ck_dates(const char *rel, int *pass, int *total) {
    httpx_json_value *doc = ck_json(rel);
    size_t i;
    if (!doc) { test_fail(__FILE__, __LINE__, "cannot read %s", rel); return; }
    for (i = 0; i < httpx_json_len(doc); i++) {
        const httpx_json_value *c = httpx_json_at(doc, i);
        const char *in = httpx_json_string(httpx_json_get(c, "test"));
        const char *want = httpx_json_string(httpx_json_get(c, "expected"));
        char got[64] = "null";
        int64_t t;
        if (httpx__cookie_date(in, strlen(in), &t)) ck_format_date(t, got, sizeof got);
        (*total)++;
        if (strcmp(got, want ? want : "null") == 0) (*pass)++;
        else test_fail(__FILE__, __LINE__, "%s: date \"%s\" gave %s, expected %s", rel, in, got, want ? want : "null");
    }
    httpx_json_free(doc);
}

TEST(cookie_http_state_dates) {
    int pass = 0, total = 0;
    ck_dates("cookies-http-state/dates/examples.json", &pass, &total);
    ck_dates("cookies-http-state/dates/bsd-examples.json", &pass, &total);
    printf("  cookies-http-state dates: %d of %d pass\n", pass, total);
    CHECK(total > 0);
}

/* ---- the http-state parser cases ----
   Each case: the Set-Cookie lines a page at
   http://home.example.org:8888/cookie-parser?NAME sent, then the cookies the
   next request (to /cookie-parser-result?NAME, or "sent-to") must carry. */

/* The cases where httpx.h does what RFC 6265 section 5 says and the case
   expects otherwise (README "Cookies" gives each reason). */
static const char *const ck_deviations[] = {
    NULL
};

static bool ck_is_deviation(const char *name) {
    size_t i;
    for (i = 0; ck_deviations[i]; i++)
        if (strcmp(ck_deviations[i], name) == 0) return true;
    return false;
}

/* Compares a Cookie header with the expected list of {name, value}. */
static bool ck_sent_matches(const char *header, const httpx_json_value *sent, char *why, size_t cap) {
    char want[8192];
    size_t i, at = 0;
    want[0] = 0;
    for (i = 0; i < httpx_json_len(sent); i++) {
        const httpx_json_value *c = httpx_json_at(sent, i);
        at += (size_t)snprintf(want + at, sizeof want - at, "%s%s=%s", i ? "; " : "",
                               httpx_json_string(httpx_json_get(c, "name")),
                               httpx_json_string(httpx_json_get(c, "value")));
        if (at >= sizeof want) return false;
    }
    snprintf(why, cap, "sent \"%s\", expected \"%s\"", header, want);
    return strcmp(header, want) == 0;
}

static bool ck_run_case(const httpx_json_value *c, char *why, size_t cap) {
    const char *name = httpx_json_string(httpx_json_get(c, "test"));
    const httpx_json_value *recv = httpx_json_get(c, "received");
    const char *sent_to = httpx_json_string(httpx_json_get(c, "sent-to"));
    char url[256], lower[64];
    httpx__buf target;
    httpx_cookies *j = httpx_cookies_new();
    httpx__url u;
    size_t i;
    bool ok;
    for (i = 0; name[i] && i < sizeof lower - 1; i++) lower[i] = (char)httpx__lower((unsigned char)name[i]);
    lower[i] = 0;
    snprintf(url, sizeof url, "http://home.example.org:8888/cookie-parser?%s", lower);
    ck_url(&u, url);
    for (i = 0; i < httpx_json_len(recv); i++) {
        const httpx_json_value *line = httpx_json_at(recv, i);
        httpx__cookies_store(j, &u, httpx_json_string(line), httpx_json_string_len(line), CK_NOW, NULL);
    }
    memset(&target, 0, sizeof target);
    if (sent_to) httpx__url_resolve(&target, url, sent_to, NULL);
    else httpx__buf_printf(&target, "http://home.example.org:8888/cookie-parser-result?%s", lower);
    ok = ck_sent_matches(ck_header(j, target.p, CK_NOW), httpx_json_get(c, "sent"), why, cap);
    httpx__buf_free(&target);
    httpx_cookies_free(j);
    return ok;
}

TEST(cookie_http_state_parser) {
    httpx_json_value *doc = ck_json("cookies-http-state/parser.json");
    int pass = 0, total = 0, deviations = 0;
    size_t i;
    REQUIRE(doc);
    for (i = 0; i < httpx_json_len(doc); i++) {
        const httpx_json_value *c = httpx_json_at(doc, i);
        const char *name = httpx_json_string(httpx_json_get(c, "test"));
        char why[20000];
        if (strncmp(name, "DISABLED_", 9) == 0) continue;  /* upstream turned these off */
        total++;
        if (ck_run_case(c, why, sizeof why)) {
            pass++;
            if (ck_is_deviation(name)) test_fail(__FILE__, __LINE__, "%s passes: take it off ck_deviations", name);
        } else if (ck_is_deviation(name)) {
            deviations++;
        } else {
            test_fail(__FILE__, __LINE__, "http-state %s: %s", name, why);
        }
    }
    printf("  cookies-http-state parser: %d of %d pass, %d known deviations\n", pass, total, deviations);
    CHECK(pass * 100 >= total * 95);
    httpx_json_free(doc);
}

#endif /* HTTPX_NO_COOKIES */

#ifndef HTTPX_NO_COOKIES
/* ---- curl's cookie tests, as jar-level cases ----
   Each: the Set-Cookie lines of the test's reply, stored for the URL(s) curl
   requested (the Host: or proxy URL curl's command line names), then the jar
   saved, against the cookie file curl's test expects. Lines are compared as
   sets (curl writes newest first). curl drops a trailing '/' of a cookie's
   path when it stores it; httpx.h keeps the path as the server sent it (RFC
   6265), so that one difference is normalised before comparing. */
typedef struct ck_curl_case {
    int num;
    const char *urls;               /* space-separated */
    const char *deviation;          /* NULL: must match; else why it does not */
} ck_curl_case;

static const ck_curl_case ck_curl_cases[] = {
    {31, "http://test31.curl/we/want/31", "curl drops a path's trailing '/', so Path=/overwrite/ and "
     "Path=/overwrite are one cookie to curl; RFC 6265 keeps two"},
    {61, "http://www.host.foo.com/we/want/61", NULL},
    {73, "http://host.NOT_DISCLOSED.se/we/want/73", "curl keeps the Domain as written (.NOT_DISCLOSED.se); "
     "RFC 6265 section 5.2.3 lower-cases it"},
    {171, "http://z.x.com/171", NULL},
    {1415, "http://example.com/we/want/1415", NULL},
    {1685, "http://127.0.0.1/", NULL},
    {1136, "http://www.example.ck/1136 http://www.ck/1136 http://z-1.compute-1.amazonaws.com/1136",
     "Domain=example.ck is a public suffix by the full list's wildcard *.ck, which the built-in list does not have"},
};

/* curl's test-file macros: %CR, %TAB, %hex[%xx...]hex%, %days[N] (now + N days). */
static void ck_curl_unmacro(const char *in, char *out, size_t cap) {
    size_t o = 0;
    while (*in && o + 1 < cap) {
        if (strncmp(in, "%CR", 3) == 0) { in += 3; continue; }
        if (strncmp(in, "%TAB", 4) == 0) { out[o++] = '\t'; in += 4; continue; }
        if (strncmp(in, "%hex[", 5) == 0) {
            in += 5;
            while (*in && strncmp(in, "]hex%", 5) != 0 && o + 1 < cap) {
                if (in[0] == '%' && httpx__hex_value(in[1]) >= 0 && httpx__hex_value(in[2]) >= 0) {
                    out[o++] = (char)(httpx__hex_value(in[1]) * 16 + httpx__hex_value(in[2]));
                    in += 3;
                } else {
                    out[o++] = *in++;
                }
            }
            if (*in) in += 5;
            continue;
        }
        if (strncmp(in, "%days[", 6) == 0) {
            long days = strtol(in + 6, (char **)&in, 10);
            o += (size_t)snprintf(out + o, cap - o, "%lld", (long long)(CK_NOW + days * 86400));
            if (*in == ']') in++;
            continue;
        }
        out[o++] = *in++;
    }
    out[o < cap ? o : cap - 1] = 0;
}

/* The section of text between the first `open` after `after` and `close`. */
static char *ck_section(char *text, const char *after, const char *open, const char *close) {
    char *a = strstr(text, after), *s, *e;
    if (!a || !(s = strstr(a, open)) || !(s = strchr(s, '\n')) || !(e = strstr(s, close))) return NULL;
    *e = 0;
    return s + 1;
}

static int ck_line_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Cookie lines of a cookie file (comments and blank lines dropped), sorted. */
static size_t ck_file_lines(char *text, char **lines, size_t max, bool strip_slash) {
    size_t n = 0;
    char *save = NULL, *l;
    for (l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(l);
        if (len && l[len - 1] == '\r') l[--len] = 0;
        if (len == 0 || (l[0] == '#' && strncmp(l, "#HttpOnly_", 10) != 0)) continue;
        if (strip_slash) {      /* the path is the third field */
            char *p = strchr(l, '\t'), *q;
            if (p && (p = strchr(p + 1, '\t')) && (q = strchr(p + 1, '\t')) && q - p > 2 && q[-1] == '/')
                memmove(q - 1, q, strlen(q) + 1);
        }
        lines[n++] = l;
    }
    qsort(lines, n, sizeof *lines, ck_line_cmp);
    return n;
}

static bool ck_curl_case_run(const ck_curl_case *k, char *why, size_t cap) {
    char path[512], *text, *reply, *want_text, *l, *save = NULL, urls[512], *url, *usave = NULL;
    char *want[128], *got[128], got_text[65536], line[8192];
    size_t nw, ng, i, len;
    bool skip = false, ok;
    FILE *fp;
    httpx_cookies *j = httpx_cookies_new();
    snprintf(path, sizeof path, "%s/curl-cookies/test%d", test_data_dir(), k->num);
    text = test_read_file(path, NULL);
    if (!text) { snprintf(why, cap, "cannot read %s", path); return false; }
    want_text = strstr(text, "<verify>");
    want_text = want_text ? ck_section(want_text, "<verify>", "<file name=\"%LOGDIR/jar", "</file>") : NULL;
    reply = ck_section(text, "<reply>", "<data", "</data>");
    if (!reply || !want_text) { snprintf(why, cap, "no reply or jar file in test%d", k->num); free(text); return false; }
    snprintf(urls, sizeof urls, "%s", k->urls);
    for (url = strtok_r(urls, " ", &usave); url; url = strtok_r(NULL, " ", &usave)) {
        char *copy = strdup(reply);
        httpx__url u;
        ck_url(&u, url);
        skip = false;
        for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            if (strncmp(l, "%if large-time", 14) == 0) { skip = true; continue; }   /* 32-bit time_t-safe branch */
            if (strncmp(l, "%else", 5) == 0) { skip = false; continue; }
            if (strncmp(l, "%endif", 6) == 0) { skip = false; continue; }
            if (skip || !httpx__mem_ieq(l, "set-cookie:", 11)) continue;
            ck_curl_unmacro(l + 11, line, sizeof line);
            len = strlen(line);
            while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
            httpx__cookies_store(j, &u, line + strspn(line, " \t"), strlen(line + strspn(line, " \t")), CK_NOW, NULL);
        }
        free(copy);
    }
    fp = tmpfile();
    httpx__cookies_save_file(j, fp, CK_NOW);
    rewind(fp);
    len = fread(got_text, 1, sizeof got_text - 1, fp);
    got_text[len] = 0;
    fclose(fp);
    ck_curl_unmacro(want_text, line, sizeof line);
    nw = ck_file_lines(line, want, 128, false);
    ng = ck_file_lines(got_text, got, 128, true);
    ok = nw == ng;
    for (i = 0; ok && i < nw; i++) ok = strcmp(want[i], got[i]) == 0;
    if (!ok) {
        size_t at = (size_t)snprintf(why, cap, "test%d: jar differs\n  curl:\n", k->num);
        for (i = 0; i < nw && at < cap; i++) at += (size_t)snprintf(why + at, cap - at, "    %s\n", want[i]);
        if (at < cap) at += (size_t)snprintf(why + at, cap - at, "  httpx.h:\n");
        for (i = 0; i < ng && at < cap; i++) at += (size_t)snprintf(why + at, cap - at, "    %s\n", got[i]);
    }
    httpx_cookies_free(j);
    free(text);
    return ok;
}

TEST(cookie_curl_jar_cases) {
    size_t i;
    int pass = 0, total = 0;
    for (i = 0; i < sizeof ck_curl_cases / sizeof ck_curl_cases[0]; i++) {
        char why[16384];
        bool ok = ck_curl_case_run(&ck_curl_cases[i], why, sizeof why);
        total++;
        pass += ok;
        if (!ok && !ck_curl_cases[i].deviation) test_fail(__FILE__, __LINE__, "%s", why);
        if (ok && ck_curl_cases[i].deviation)
            test_fail(__FILE__, __LINE__, "curl test%d passes: take its deviation off", ck_curl_cases[i].num);
    }
    printf("  curl cookie tests (jar level): %d of %d match\n", pass, total);
}
#endif /* HTTPX_NO_COOKIES */

#ifndef HTTPX_NO_COOKIES
/* ---- the jar's rules, one by one ---- */

TEST(cookie_max_age_wins_over_expires) {
    httpx_cookies *j = httpx_cookies_new();
    httpx_cookie c;
    /* Expires in the past, Max-Age in the future: kept, for Max-Age's time (either order) */
    CHECK_INT(ck_store(j, "http://a.test/", "a=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=60", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.test/", "b=2; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:01 GMT", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://a.test/", CK_NOW + 59), "a=1; b=2");
    CHECK_STR(ck_header(j, "http://a.test/", CK_NOW + 60), "");
    /* Max-Age=0 deletes even with a future Expires */
    CHECK_INT(ck_store(j, "http://a.test/", "c=3; Expires=Fri, 01 Apr 2011 01:00:00 GMT", CK_NOW), HTTPX_OK);
    REQUIRE(httpx_cookies_at(j, 0, &c));
    CHECK_INT(c.expires, CK_NOW + 3600);
    CHECK_INT(ck_store(j, "http://a.test/", "c=3; Expires=Fri, 07 Aug 2019 08:04:19 GMT; Max-Age=0", CK_NOW), HTTPX_OK);
    CHECK_INT(httpx_cookies_count(j), 0);
    /* a bad Max-Age is ignored, Expires then counts; far expiries are capped at 400 days */
    CHECK_INT(ck_store(j, "http://a.test/", "d=4; Max-Age=1x; Expires=Sun, 18-Apr-2027 21:06:29 GMT", CK_NOW), HTTPX_OK);
    REQUIRE(httpx_cookies_at(j, 0, &c));
    CHECK_INT(c.expires, CK_NOW + 400 * 86400);
    httpx_cookies_free(j);
}

TEST(cookie_domain_host_only_and_suffixes) {
    httpx_cookies *j = httpx_cookies_new();
    httpx__err e;
    httpx__url u;
    /* host-only: not for subdomains; Domain=: for the domain and its subdomains */
    CHECK_INT(ck_store(j, "http://example.org/", "h=1", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://www.example.org/", "d=2; Domain=.Example.ORG", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://example.org/", CK_NOW), "h=1; d=2");
    CHECK_STR(ck_header(j, "http://sub.example.org/", CK_NOW), "d=2");
    CHECK_STR(ck_header(j, "http://notexample.org/", CK_NOW), "");
    /* a Domain the host is not in, and public suffixes, are refused with a reason */
    ck_url(&u, "http://www.example.co.uk/");
    memset(&e, 0, sizeof e);
    CHECK_INT(httpx__cookies_store(j, &u, "x=1; Domain=co.uk", 17, CK_NOW, &e), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(e.msg, "public suffix") != NULL);
    CHECK_INT(ck_store(j, "http://www.example.com/", "x=1; Domain=com", CK_NOW), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(ck_store(j, "http://user.github.io/", "x=1; Domain=github.io", CK_NOW), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(ck_store(j, "http://www.example.co.uk/", "ok=1; Domain=example.co.uk", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.example.org/", "x=1; Domain=b.example.org", CK_NOW), HTTPX_ERR_INVALID_ARGUMENT);
    /* a suffix that is the host itself is a host-only cookie (RFC 6265 section 5.3 step 5) */
    CHECK_INT(ck_store(j, "http://localhost/", "lh=1; Domain=localhost", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://localhost/", CK_NOW), "lh=1");
    /* an IP host never domain-matches a shorter domain */
    CHECK(!httpx__cookie_domain_match("10.0.0.1", "0.0.1"));
    CHECK(httpx__cookie_domain_match("10.0.0.1", "10.0.0.1"));
    CHECK_INT(ck_store(j, "http://10.0.0.1/", "ip=1; Domain=0.0.1", CK_NOW), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(ck_store(j, "http://[::1]/", "ip6=1", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://[::1]/", CK_NOW), "ip6=1");
    httpx_cookies_free(j);
}

TEST(cookie_path_order_secure) {
    httpx_cookies *j = httpx_cookies_new();
    /* default-path: the request path up to its last '/' */
    CHECK_INT(ck_store(j, "http://a.test/docs/page?x=1", "dflt=1", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.test/", "root=1", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.test/", "deep=1; Path=/docs/api", CK_NOW + 1), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.test/", "early=1; Path=/docs", CK_NOW - 5), HTTPX_OK);
    /* longer paths first, then earlier creation */
    CHECK_STR(ck_header(j, "http://a.test/docs/api/x", CK_NOW + 2), "deep=1; early=1; dflt=1; root=1");
    CHECK_STR(ck_header(j, "http://a.test/docsx", CK_NOW + 2), "root=1");
    CHECK_STR(ck_header(j, "http://a.test/docs", CK_NOW + 2), "early=1; dflt=1; root=1");
    /* Secure: refused from plain http (but for this machine), sent over https only */
    CHECK_INT(ck_store(j, "http://a.test/", "s=1; Secure", CK_NOW), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(ck_store(j, "https://a.test/", "s=1; Secure; HttpOnly; SameSite=lax", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://a.test/", CK_NOW), "root=1");
    CHECK_STR(ck_header(j, "https://a.test/", CK_NOW), "root=1; s=1");
    CHECK_INT(ck_store(j, "http://127.0.0.1/", "loop=1; Secure", CK_NOW), HTTPX_OK);
    CHECK_STR(httpx_cookies_get(j, "s", "a.test", "/"), "1");
    httpx_cookies_free(j);
}

TEST(cookie_replace_delete_and_caps) {
    httpx_cookies *j = httpx_cookies_new();
    httpx_cookie c;
    char big[HTTPX_COOKIE_MAX_SIZE + 16], line[64];
    int i;
    CHECK_INT(ck_store(j, "http://a.test/", "a=1", CK_NOW), HTTPX_OK);
    CHECK_INT(ck_store(j, "http://a.test/", "b=1", CK_NOW), HTTPX_OK);
    /* replacement keeps the first creation time, so the order stays */
    CHECK_INT(ck_store(j, "http://a.test/", "a=2", CK_NOW + 10), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://a.test/", CK_NOW + 10), "a=2; b=1");
    CHECK_INT(httpx_cookies_count(j), 2);
    /* a past expiry deletes */
    CHECK_INT(ck_store(j, "http://a.test/", "a=x; Expires=Thu, 10 Apr 1980 16:33:12 GMT", CK_NOW), HTTPX_OK);
    CHECK_STR(ck_header(j, "http://a.test/", CK_NOW), "b=1");
    /* one cookie's size */
    memset(big, 'v', sizeof big);
    memcpy(big, "n=", 2);
    big[HTTPX_COOKIE_MAX_SIZE + 1] = 0;     /* name + value = MAX_SIZE + 0: fits */
    CHECK_INT(ck_store(j, "http://a.test/", big, CK_NOW), HTTPX_OK);
    big[HTTPX_COOKIE_MAX_SIZE + 1] = 'v';
    big[HTTPX_COOKIE_MAX_SIZE + 2] = 0;
    CHECK_INT(ck_store(j, "http://a.test/", big, CK_NOW), HTTPX_ERR_TOO_LARGE);
    /* per domain: the least recently used goes */
    httpx_cookies_clear(j, NULL, NULL);
    for (i = 0; i < HTTPX_COOKIE_MAX_PER_DOMAIN + 5; i++) {
        snprintf(line, sizeof line, "c%d=%d", i, i);
        CHECK_INT(ck_store(j, "http://a.test/", line, CK_NOW + i), HTTPX_OK);
    }
    CHECK_INT(httpx_cookies_count(j), HTTPX_COOKIE_MAX_PER_DOMAIN);
    CHECK(httpx_cookies_get(j, "c4", NULL, NULL) == NULL);
    CHECK_STR(httpx_cookies_get(j, "c5", NULL, NULL), "5");
    /* in total: many domains, never more than the cap */
    for (i = 0; i < HTTPX_COOKIE_MAX_TOTAL + 10; i++) {
        char url[64];
        snprintf(url, sizeof url, "http://h%d.test/", i / 10);
        snprintf(line, sizeof line, "t%d=1", i);
        ck_store(j, url, line, CK_NOW + 100 + i);
    }
    CHECK_INT(httpx_cookies_count(j), HTTPX_COOKIE_MAX_TOTAL);
    REQUIRE(httpx_cookies_at(j, httpx_cookies_count(j) - 1, &c));
    CHECK_STR(c.name, "t3009");
    httpx_cookies_free(j);
}

TEST(cookie_netscape_file_round_trip) {
    httpx_cookies *j = httpx_cookies_new(), *k = httpx_cookies_new();
    char path[] = "/tmp/httpx-cookie-XXXXXX";
    httpx_cookie c;
    FILE *fp;
    size_t skipped;
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    fp = fopen(path, "w");
    REQUIRE(fp);
    /* curl's own lines: a subdomain cookie, an HttpOnly host-only one, a session
       one, an expired one, junk, a 6-field line (empty value) */
    fputs("# Netscape HTTP Cookie File\n\n"
          ".example.com\tTRUE\t/\tFALSE\t1900000000\tsub\tyes\n"
          "#HttpOnly_www.example.com\tFALSE\t/app\tTRUE\t0\tsid\tabc def\n"
          "old.example.com\tFALSE\t/\tFALSE\t1000\texpired\tx\n"
          "this is not a cookie line\n"
          "example.com\tTRUE\t/\tFALSE\t0\tempty\n", fp);
    fclose(fp);
    fp = fopen(path, "r");
    CHECK_INT(httpx__cookies_load_file(j, fp, CK_NOW, &skipped, NULL), HTTPX_OK);
    fclose(fp);
    CHECK_INT(skipped, 1);
    CHECK_INT(httpx_cookies_count(j), 3);
    CHECK_STR(ck_header(j, "https://www.example.com/app/x", CK_NOW), "sid=abc def; sub=yes; empty=");
    REQUIRE(httpx_cookies_at(j, 1, &c));
    CHECK(c.http_only && c.host_only && c.secure && c.expires == 0);
    CHECK_STR(c.domain, "www.example.com");
    /* saved and loaded again: the same cookies */
    fp = fopen(path, "w");
    CHECK_INT(httpx__cookies_save_file(j, fp, CK_NOW), HTTPX_OK);
    fclose(fp);
    fp = fopen(path, "r");
    CHECK_INT(httpx__cookies_load_file(k, fp, CK_NOW, &skipped, NULL), HTTPX_OK);
    fclose(fp);
    CHECK_INT(skipped, 0);
    CHECK_INT(httpx_cookies_count(k), 3);
    CHECK_STR(ck_header(k, "https://www.example.com/app/x", CK_NOW), ck_header(j, "https://www.example.com/app/x", CK_NOW));
    REQUIRE(httpx_cookies_at(k, 0, &c));
    CHECK(!c.host_only && c.expires == 1900000000);
    {
        char *text = test_read_file(path, NULL);
        CHECK(text && strstr(text, "#HttpOnly_www.example.com\tFALSE\t/app\tTRUE\t0\tsid\tabc def\n"));
        CHECK(text && strstr(text, ".example.com\tTRUE\t/\tFALSE\t1900000000\tsub\tyes\n"));
        free(text);
    }
    remove(path);
    httpx_cookies_free(j);
    httpx_cookies_free(k);
}

TEST(cookie_public_api) {
    httpx_cookies *j = httpx_cookies_new();
    char path[] = "/tmp/httpx-cookie-api-XXXXXX", buf[64];
    httpx_cookie c;
    int fd = mkstemp(path);
    REQUIRE(j && fd >= 0);
    close(fd);
    /* set/get as HTTPX's cookies.set/get: no domain is every host */
    CHECK_INT(httpx_cookies_set(j, "token", "t1", NULL, NULL), HTTPX_OK);
    CHECK_INT(httpx_cookies_set(j, "lang", "en", ".example.org", "/"), HTTPX_OK);
    CHECK_INT(httpx_cookies_set(j, "bad;name", "x", NULL, NULL), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(httpx_cookies_set(j, "n", "a\r\nb", NULL, NULL), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(httpx_cookies_set(j, "n", "v", NULL, "nopath"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_STR(httpx_cookies_get(j, "token", NULL, NULL), "t1");
    CHECK_STR(httpx_cookies_get(j, "lang", "example.org", NULL), "en");
    CHECK(httpx_cookies_get(j, "lang", "other.org", NULL) == NULL);
    CHECK_INT(httpx_cookies_header(j, "http://anything.test/", buf, sizeof buf), 8);
    CHECK_STR(buf, "token=t1");
    CHECK_INT(httpx_cookies_header(j, "http://www.example.org/", buf, 5), 17);
    CHECK_STR(buf, "toke");     /* cut as snprintf cuts; the length says so */
    /* a server's Set-Cookie, through the public call */
    CHECK_INT(httpx_cookies_set_cookie(j, "https://shop.test/cart/add", "cart=42; Secure; SameSite=Strict"), HTTPX_OK);
    CHECK_INT(httpx_cookies_set_cookie(j, "http://shop.test/", "x=1; Domain=com"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(httpx_cookies_error(j), "public suffix") != NULL);
    REQUIRE(httpx_cookies_count(j) == 3);
    REQUIRE(httpx_cookies_at(j, 2, &c));
    CHECK_STR(c.name, "cart");
    CHECK_STR(c.path, "/cart");
    CHECK_STR(c.same_site, "Strict");
    CHECK(c.secure && c.host_only && !httpx_cookies_at(j, 3, &c));
    /* save, clear, load */
    CHECK_INT(httpx_cookies_save(j, path), HTTPX_OK);
    httpx_cookies_clear(j, NULL, NULL);
    CHECK_INT(httpx_cookies_count(j), 0);
    CHECK_INT(httpx_cookies_load(j, path), HTTPX_OK);
    CHECK_INT(httpx_cookies_count(j), 3);
    CHECK_STR(httpx_cookies_get(j, "cart", "shop.test", "/cart"), "42");
    /* delete and clear by domain */
    CHECK_INT(httpx_cookies_delete(j, "cart", NULL, NULL), 1);
    httpx_cookies_clear(j, "example.org", NULL);
    CHECK_INT(httpx_cookies_count(j), 1);
    CHECK_INT(httpx_cookies_load(j, "/nonexistent/dir/cookies.txt"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(httpx_cookies_error(j), "/nonexistent/dir/cookies.txt") != NULL);
    CHECK_INT(httpx_cookies_save(j, "/nonexistent/dir/cookies.txt"), HTTPX_ERR_WRITE);
    remove(path);
    httpx_cookies_free(j);
}
#endif /* HTTPX_NO_COOKIES */

#ifndef HTTPX_NO_COOKIES

/* r.cookies over the network, and a login flow by hand through a jar of
   the caller's (the client's own is off: test_cookie_client.c tests it):
   /cookies/set/NAME/VALUE, then /cookies. */
TEST(cookie_response_cookies_and_login_flow) {
    httpx_client *c;
    httpx_response *r;
    httpx_cookies *got, *jar;
    httpx_cookie k;
    char header[256];
    REQUIRE(fx_rogue_port());
    c = httpx_client_new(&(httpx_client_opts){ .no_cookies = true });
    REQUIRE(c);
    r = httpx_client_get(c, fx_rogue_at("/cookies/set/session/abc123"), NULL);
    CHECK_INT(r->status_code, 302);
    got = httpx_response_cookies(r);
    REQUIRE(got);
    CHECK_INT(httpx_cookies_count(got), 1);
    CHECK_STR(httpx_cookies_get(got, "session", NULL, NULL), "abc123");
    REQUIRE(httpx_cookies_at(got, 0, &k));
    CHECK_STR(k.domain, "127.0.0.1");
    CHECK_STR(k.path, "/");
    CHECK(k.host_only && k.expires == 0);
    httpx_response_free(r);
    /* the jar carries it to the next request */
    jar = got;
    CHECK(httpx_cookies_header(jar, fx_rogue_at("/cookies"), header, sizeof header) > 0);
    r = httpx_client_get(c, fx_rogue_at("/cookies"), &(httpx_opts){
        .headers = (httpx_pair[]){{"Cookie", header}, {0}} });
    CHECK_INT(r->status_code, 200);
    CHECK_STR(httpx_json_string(httpx_json_path(httpx_json(r), "cookies.session")), "abc123");
    httpx_response_free(r);
    /* two Set-Cookie headers in one response; a response without any */
    r = httpx_client_get(c, fx_rogue_at("/repeat-header"), NULL);
    got = httpx_response_cookies(r);
    REQUIRE(got);
    CHECK_INT(httpx_cookies_count(got), 2);
    CHECK_STR(httpx_cookies_get(got, "b", NULL, NULL), "2");
    httpx_cookies_free(got);
    httpx_response_free(r);
    r = httpx_client_get(c, fx_rogue_at("/cookies"), NULL);
    got = httpx_response_cookies(r);
    CHECK(got && httpx_cookies_count(got) == 0);
    CHECK(httpx_json_path(httpx_json(r), "cookies") && !httpx_json_path(httpx_json(r), "cookies.session"));
    httpx_cookies_free(got);
    httpx_response_free(r);
    httpx_cookies_free(jar);
    httpx_client_free(c);
}
#endif /* HTTPX_NO_COOKIES */

#ifndef HTTPX_NO_COOKIES
/* Every http-state Set-Cookie line and date, each prefix of it, put right
   before a PROT_NONE page: any read past its end crashes. */
TEST(cookie_guard_page) {
    long page = sysconf(_SC_PAGESIZE);
    char *map = (char *)mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    httpx_json_value *doc = ck_json("cookies-http-state/parser.json");
    httpx_json_value *dates = ck_json("cookies-http-state/dates/examples.json");
    httpx__url u;
    size_t i, k, n, total = 0;
    int64_t t;
    REQUIRE(map != MAP_FAILED && doc && dates);
    REQUIRE(mprotect(map + page, (size_t)page, PROT_NONE) == 0);
    ck_url(&u, "http://home.example.org:8888/cookie-parser?x");
    for (i = 0; i < httpx_json_len(doc); i++) {
        const httpx_json_value *recv = httpx_json_get(httpx_json_at(doc, i), "received");
        for (k = 0; k < httpx_json_len(recv); k++) {
            const char *line = httpx_json_string(httpx_json_at(recv, k));
            size_t len = httpx_json_string_len(httpx_json_at(recv, k));
            if (len > (size_t)page) continue;
            for (n = 0; n <= len; n++) {
                httpx_cookies *j = httpx_cookies_new();
                memcpy(map + page - n, line, n);
                (void)httpx__cookies_store(j, &u, map + page - n, n, CK_NOW, NULL);
                httpx_cookies_free(j);
                total++;
            }
        }
    }
    for (i = 0; i < httpx_json_len(dates); i++) {
        const char *d = httpx_json_string(httpx_json_get(httpx_json_at(dates, i), "test"));
        for (n = 0; n <= strlen(d); n++) {
            memcpy(map + page - n, d, n);
            (void)httpx__cookie_date(map + page - n, n, &t);
            total++;
        }
    }
    CHECK(total > 5000);
    httpx_json_free(doc);
    httpx_json_free(dates);
    munmap(map, (size_t)page * 2);
}
#endif /* HTTPX_NO_COOKIES */
