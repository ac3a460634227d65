/* Cookie jar (tools/src/cookie.c): RFC 6265 section 5 parsing, matching,
   order, caps, the Netscape file, the public jar API.
   Conformance data: cookies-http-state (the IETF httpstate working group's
   parser and date cases, run on a fixed clock) and curl's cookie tests that
   say something about a client jar (tests/data/curl-cookies). */
#include "test.h"
#include <stdlib.h>
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
