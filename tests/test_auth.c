/* Authentication (issue 15): MD5 and SHA-256, digest challenges and
   answers (RFC 7616 section 3.9.1 byte for byte), the auth flow's rounds
   over the mock transport in both faces, and .netrc. The same against a
   real server (python3-httpbin) is in test_auth_httpbin.c. */
#include "test.h"
#include "../tools/src/hash_internal.h"
#include <stdlib.h>
#include <unistd.h>

/* test hook of netrc.c */
bool httpx__netrc_find(const char *text, size_t len, const char *host, size_t host_len, httpx__buf *login,
                       httpx__buf *password);

static void md5_hex(const char *s, char out[33]) {
    httpx__md5 c;
    unsigned char raw[16];
    httpx__md5_init(&c);
    httpx__md5_update(&c, s, strlen(s));
    httpx__md5_final(&c, raw);
    httpx__hex_encode(out, raw, 16);
    out[32] = 0;
}

static void sha256_hex(const char *s, size_t n, char out[65]) {
    httpx__sha256 c;
    unsigned char raw[32];
    size_t i;
    httpx__sha256_init(&c);
    for (i = 0; i < n; i += 7) httpx__sha256_update(&c, s + i, n - i < 7 ? n - i : 7);   /* in pieces */
    httpx__sha256_final(&c, raw);
    httpx__hex_encode(out, raw, 32);
    out[64] = 0;
}

TEST(auth_md5_and_sha256_known_answers) {
    char h[65];
    static char million[1000001];
    /* RFC 1321's test suite */
    md5_hex("", h); CHECK_STR(h, "d41d8cd98f00b204e9800998ecf8427e");
    md5_hex("abc", h); CHECK_STR(h, "900150983cd24fb0d6963f7d28e17f72");
    md5_hex("message digest", h); CHECK_STR(h, "f96b697d7cb7938d525a2f31aaf161d0");
    md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890", h);
    CHECK_STR(h, "57edf4a22be3c955ac49da2e2107b67a");
    /* FIPS 180-4's examples */
    sha256_hex("abc", 3, h); CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, h); CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
    CHECK_STR(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', 1000000);
    sha256_hex(million, 1000000, h);
    CHECK_STR(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* RFC 7616 section 3.9.1: the same challenge answered with SHA-256 and
   with MD5, byte for byte as the RFC prints the Authorization field. */
TEST(auth_digest_rfc7616_examples) {
    const char *sha_challenge =
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
    const char *cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    httpx__digest d;
    httpx__buf out;
    httpx__err e;
    memset(&d, 0, sizeof d);
    memset(&out, 0, sizeof out);
    memset(&e, 0, sizeof e);
    REQUIRE(httpx__digest_parse(&d, sha_challenge, true, &e) == 1);
    CHECK_INT(d.alg, HTTPX__DIGEST_SHA256);
    CHECK_INT(d.qop, HTTPX__DIGEST_QOP_AUTH);
    CHECK(httpx__digest_answer(&out, &d, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0, cnonce));
    CHECK_STR(out.p, "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
                     "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
                     "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
                     "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
                     "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    /* the MD5 challenge of the same example, and nc counting up */
    httpx__digest_free(&d);
    memset(&d, 0, sizeof d);
    REQUIRE(httpx__digest_parse(&d,
                                "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
                                "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                                "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", true, &e) == 1);
    httpx__buf_clear(&out);
    CHECK(httpx__digest_answer(&out, &d, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0, cnonce));
    CHECK_STR(out.p, "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
                     "algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
                     "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
                     "response=\"8ca523f5e9506fed4657c9700eebdbec\", "
                     "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    httpx__buf_clear(&out);
    CHECK(httpx__digest_answer(&out, &d, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0, cnonce));
    CHECK(strstr(out.p, "nc=00000002") != NULL);
    CHECK(strstr(out.p, "8ca523f5e9506fed4657c9700eebdbec") == NULL);
    httpx__buf_free(&out);
    httpx__digest_free(&d);
}

/* RFC 2617 section 3.5's example (MD5, qop auth) and the RFC 2069 form
   (no qop): the older servers' shapes. */
TEST(auth_digest_rfc2617_and_2069) {
    httpx__digest d;
    httpx__buf out;
    httpx__err e;
    memset(&d, 0, sizeof d);
    memset(&out, 0, sizeof out);
    REQUIRE(httpx__digest_parse(&d, "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                                    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                                    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", true, &e) == 1);
    CHECK(httpx__digest_answer(&out, &d, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", NULL, 0, "0a4f113b"));
    CHECK(strstr(out.p, "response=\"6629fae49393a05397450978507c4ef1\"") != NULL);
    httpx__digest_free(&d);
    memset(&d, 0, sizeof d);
    httpx__buf_clear(&out);
    REQUIRE(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"n\"", true, &e) == 1);
    CHECK_INT(d.qop, HTTPX__DIGEST_QOP_NONE);
    CHECK(httpx__digest_answer(&out, &d, "u", "p", "GET", "/", NULL, 0, "c"));
    CHECK(strstr(out.p, "nc=") == NULL && strstr(out.p, "qop=") == NULL && strstr(out.p, "opaque") == NULL);
    httpx__buf_free(&out);
    httpx__digest_free(&d);
}

/* Hostile and unusual challenges: several in one value, escapes,
   unknown parameters and algorithms, token68, junk, no nonce. */
TEST(auth_digest_challenges_parsed_robustly) {
    httpx__digest d;
    httpx__err e;
    static char big[4000];
    memset(&d, 0, sizeof d);
    memset(&e, 0, sizeof e);
    REQUIRE(httpx__digest_parse(&d, "Negotiate YII+/x==, Basic realm=\"a, b\", Digest realm=\"say \\\"hi\\\"\", "
                                    "nonce=\"n1\", foo=\"bar, baz=1\", qop=auth, x-unknown=1", true, &e) == 1);
    CHECK_STR(d.realm.p, "say \"hi\"");
    CHECK_STR(d.nonce.p, "n1");
    CHECK_INT(d.alg, HTTPX__DIGEST_MD5);
    httpx__digest_free(&d);
    memset(&d, 0, sizeof d);
    /* the first one we know wins: SHA-512-256 is skipped, SHA-256-sess taken */
    REQUIRE(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"a\", algorithm=SHA-512-256, qop=\"auth\", "
                                    "Digest realm=\"r\", nonce=\"b\", algorithm=sha-256-SESS, qop=\"auth\", userhash=true",
                                true, &e) == 1);
    CHECK_STR(d.nonce.p, "b");
    CHECK_INT(d.alg, HTTPX__DIGEST_SHA256);
    CHECK(d.sess);
    CHECK(d.userhash);
    httpx__digest_free(&d);
    memset(&d, 0, sizeof d);
    /* auth-int alone, over a body we cannot hash: none; with one: auth-int */
    CHECK_INT(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"a\", qop=\"auth-int\"", false, &e), 0);
    CHECK_INT(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"a\", qop=\"auth-int\"", true, &e), 1);
    CHECK_INT(d.qop, HTTPX__DIGEST_QOP_AUTH_INT);
    /* nothing to answer */
    CHECK_INT(httpx__digest_parse(&d, "Digest realm=\"r\"", true, &e), 0);                 /* no nonce */
    CHECK_INT(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"x", true, &e), 0);      /* unterminated */
    CHECK_INT(httpx__digest_parse(&d, "Digest nonce=\"x\", qop=\"weird\"", true, &e), 0);  /* unknown qop */
    CHECK_INT(httpx__digest_parse(&d, "Basic realm=\"x\"", true, &e), 0);
    CHECK_INT(httpx__digest_parse(&d, "", true, &e), 0);
    CHECK_INT(httpx__digest_parse(&d, ",,, ,\"\\", true, &e), 0);
    CHECK_INT(httpx__digest_parse(&d, "Digest ===, nonce=\"z\"", true, &e), 1);
    /* over our limit: refused with a message, never echoed */
    memset(big, 'n', sizeof big - 1);
    memcpy(big, "Digest nonce=\"", 14);
    big[sizeof big - 2] = '"';
    CHECK_INT(httpx__digest_parse(&d, big, true, &e), -HTTPX_ERR_REMOTE_PROTOCOL);
    CHECK(strstr(e.msg, "nonce") != NULL);
    httpx__digest_free(&d);
}

TEST(auth_digest_username_forms) {
    httpx__digest d;
    httpx__buf out;
    httpx__err e;
    memset(&d, 0, sizeof d);
    memset(&out, 0, sizeof out);
    REQUIRE(httpx__digest_parse(&d, "Digest realm=\"r\", nonce=\"n\", qop=auth", true, &e) == 1);
    CHECK(httpx__digest_answer(&out, &d, "a\"b\\c", "p", "GET", "/", NULL, 0, "c"));
    CHECK(strstr(out.p, "username=\"a\\\"b\\\\c\"") != NULL);
    httpx__buf_clear(&out);
    CHECK(httpx__digest_answer(&out, &d, "J\xc3\xa4sper", "p", "GET", "/", NULL, 0, "c"));
    CHECK(strstr(out.p, "username*=UTF-8''J%C3%A4sper") != NULL);
    d.userhash = true;
    httpx__buf_clear(&out);
    CHECK(httpx__digest_answer(&out, &d, "Mufasa", "p", "GET", "/", NULL, 0, "c"));
    CHECK(strstr(out.p, "Mufasa") == NULL && strstr(out.p, "userhash=true") != NULL);
    httpx__buf_free(&out);
    httpx__digest_free(&d);
}

/* ---- a digest server in a mock handler ---- */

typedef struct dserver {
    const char *qop;            /* offered */
    const char *algorithm;
    int calls, answers;
    int stale_left;             /* answer a valid response with stale=true this many times */
    bool always_401;
    char last_auth[600];
    char nonce[32];
    int nonce_no;
} dserver;

/* Checks the client's answer by computing the expected one from the same
   parts (the hash itself is checked against the RFC above). */
static bool dserver_valid(dserver *s, const httpx_req *q, const char *auth) {
    httpx__digest d;
    httpx__buf out, ch;
    httpx__err e;
    const char *cn = strstr(auth, "cnonce=\""), *u = strstr(auth, "uri=\"");
    char cnonce[64], uri[256];
    size_t n;
    bool ok;
    size_t blen = 0;
    const char *body = httpx_request_body(q, &blen);
    if (!cn || !u) return false;
    cn += 8; u += 5;
    n = strcspn(cn, "\""); if (n >= sizeof cnonce) return false;
    memcpy(cnonce, cn, n); cnonce[n] = 0;
    n = strcspn(u, "\""); if (n >= sizeof uri) return false;
    memcpy(uri, u, n); uri[n] = 0;
    memset(&d, 0, sizeof d);
    memset(&out, 0, sizeof out);
    memset(&ch, 0, sizeof ch);
    httpx__buf_printf(&ch, "Digest realm=\"mock\", nonce=\"%s\", qop=\"%s\", algorithm=%s", s->nonce, s->qop, s->algorithm);
    ok = httpx__digest_parse(&d, ch.p, true, &e) == 1;
    d.nc = (unsigned long)strtoul(strstr(auth, "nc=") + 3, NULL, 16) - 1;
    ok = ok && httpx__digest_answer(&out, &d, "user", "pa:ss", httpx_request_method(q), uri, body, blen, cnonce) &&
         !strcmp(out.p, auth);
    httpx__buf_free(&out);
    httpx__buf_free(&ch);
    httpx__digest_free(&d);
    return ok;
}

static void dserver_handler(void *user, const httpx_req *q, httpx_mock_reply *p) {
    dserver *s = (dserver *)user;
    const char *auth = httpx_request_header(q, "authorization");
    char ch[300];
    bool stale = false;
    s->calls++;
    if (auth) {
        snprintf(s->last_auth, sizeof s->last_auth, "%s", auth);
        s->answers++;
        if (!s->always_401 && dserver_valid(s, q, auth)) {
            if (s->stale_left > 0) {
                s->stale_left--;
                stale = true;
            } else {
                httpx_reply_json(p, 200, "{\"authenticated\": true}");
                return;
            }
        }
    }
    snprintf(s->nonce, sizeof s->nonce, "nonce%d", ++s->nonce_no);
    snprintf(ch, sizeof ch, "Digest realm=\"mock\", nonce=\"%s\", qop=\"%s\", algorithm=%s%s", s->nonce, s->qop,
             s->algorithm, stale ? ", stale=true" : "");
    httpx_reply_status(p, 401);
    httpx_reply_header(p, "WWW-Authenticate", "Basic realm=\"other\"");
    httpx_reply_header(p, "WWW-Authenticate", ch);
    httpx_reply_body(p, "no", 2);
}

static httpx_client *dclient(dserver *s, bool h2, httpx_auth auth) {
    return httpx_client_new(&(httpx_client_opts){ .mock = dserver_handler, .mock_user_data = s, .auth = auth,
                                                  .http2_prior_knowledge = h2 });
}

TEST(auth_digest_over_the_mock_both_faces) {
    const char *algs[] = {"MD5", "MD5-sess", "SHA-256", "SHA-256-sess"};
    const char *qops[] = {"auth", "auth-int"};
    int a, k, face;
    for (face = 0; face < 2; face++)
        for (a = 0; a < 4; a++)
            for (k = 0; k < 2; k++) {
                dserver s;
                httpx_client *c;
                httpx_response *r;
                httpx_task *t = NULL;
                memset(&s, 0, sizeof s);
                s.algorithm = algs[a];
                s.qop = qops[k];
                c = dclient(&s, false, httpx_digest_auth("user", "pa:ss"));
                REQUIRE(c);
                if (face == 0) {
                    r = httpx_client_request(c, "POST", "http://h.test/p?q=1", &(httpx_opts){ .content = "body!" });
                } else {
                    t = httpx_client_start(c, "POST", "http://h.test/p?q=1", &(httpx_opts){ .content = "body!" });
                    r = httpx_task_wait(t);
                }
                REQUIRE(r);
                CHECK_INT(r->error, HTTPX_OK);
                CHECK_INT(r->status_code, 200);
                CHECK_STR(r->content, "{\"authenticated\": true}");
                CHECK_INT(s.calls, 2);
                CHECK(strstr(s.last_auth, "uri=\"/p?q=1\"") != NULL);
                CHECK(strstr(s.last_auth, algs[a]) != NULL);
                if (t) httpx_task_free(t);
                else httpx_response_free(r);
                httpx_client_free(c);
            }
}

TEST(auth_digest_stale_retried_once_wrong_password_is_the_401) {
    dserver s;
    httpx_client *c;
    httpx_response *r;
    memset(&s, 0, sizeof s);
    s.algorithm = "SHA-256";
    s.qop = "auth";
    s.stale_left = 1;
    c = dclient(&s, false, (httpx_auth){0});
    REQUIRE(c);
    /* per-request digest auth; stale=true: a new nonce, answered once more */
    r = httpx_client_get(c, "http://h.test/", &(httpx_opts){ .auth = httpx_digest_auth("user", "pa:ss") });
    CHECK_INT(r->status_code, 200);
    CHECK_INT(s.calls, 3);
    httpx_response_free(r);
    /* stale twice: the second stale 401 is the answer */
    memset(&s, 0, sizeof s);
    s.algorithm = "MD5"; s.qop = "auth"; s.stale_left = 2;
    r = httpx_client_get(c, "http://h.test/", &(httpx_opts){ .auth = httpx_digest_auth("user", "pa:ss") });
    CHECK_INT(r->status_code, 401);
    CHECK_INT(s.calls, 3);
    CHECK_STR(r->content, "no");
    httpx_response_free(r);
    /* a wrong password: one answer, then the server's 401 stands */
    memset(&s, 0, sizeof s);
    s.algorithm = "MD5"; s.qop = "auth";
    r = httpx_client_get(c, "http://h.test/", &(httpx_opts){ .auth = httpx_digest_auth("user", "wrong") });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_INT(r->status_code, 401);
    CHECK_INT(s.calls, 2);
    httpx_response_free(r);
    /* a streamed upload cannot go twice */
    memset(&s, 0, sizeof s);
    s.algorithm = "MD5"; s.qop = "auth";
    r = httpx_client_request(c, "PUT", "http://h.test/", &(httpx_opts){ .auth = httpx_digest_auth("user", "pa:ss"),
                                                                     .upload = NULL, .files = (httpx_file[]){{"f", "x.txt", NULL, "hi", 2, NULL, NULL}, {0}} });
    CHECK_INT(r->error, HTTPX_ERR_STREAM);
    CHECK(strstr(r->error_message, "auth round") != NULL);
    httpx_response_free(r);
    /* CR LF in a user name: percent-encoded in username*, never raw */
    memset(&s, 0, sizeof s);
    s.algorithm = "MD5"; s.qop = "auth";
    r = httpx_client_get(c, "http://h.test/", &(httpx_opts){ .auth = httpx_digest_auth("us\r\ner", "p") });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strstr(s.last_auth, "username*=UTF-8''us%0D%0Aer") != NULL);
    CHECK_INT(s.calls, 2);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- a user's flow: token refresh ---- */

typedef struct tokens {
    char token[32];
    int issued, before_calls, after_calls;
    int expire_after;           /* the server takes a token this many times */
    int uses;
    bool refuse_refresh;
} tokens;

static void token_server(void *user, const httpx_req *q, httpx_mock_reply *p) {
    tokens *t = (tokens *)user;
    const char *auth = httpx_request_header(q, "authorization");
    char want[48];
    if (!strcmp(httpx_request_url(q), "http://api.test/token")) {   /* the token endpoint */
        char body[64];
        snprintf(body, sizeof body, "tok%d", ++t->issued);
        t->uses = 0;
        httpx_reply_body(p, body, 0);
        return;
    }
    if (!strcmp(httpx_request_url(q), "http://api.test/away")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "http://other.test/x");
        return;
    }
    if (!strcmp(httpx_request_url(q), "http://other.test/x")) {
        httpx_reply_body(p, auth ? "leaked" : "clean", 0);
        return;
    }
    snprintf(want, sizeof want, "Bearer tok%d", t->issued);
    if (t->issued && auth && !strcmp(auth, want) && t->uses < t->expire_after) {
        t->uses++;
        httpx_reply_body(p, "secret", 0);
        return;
    }
    httpx_reply_status(p, 401);
}

/* The user's flow: the current token before each round; on a 401, a new
   token from the token endpoint (through a client of its own), once. */
static httpx_client *token_client;
static int refresh_flow(void *user, httpx_req *q, const httpx_response *r) {
    tokens *t = (tokens *)user;
    char v[48];
    if (!r) {
        t->before_calls++;
        if (!t->token[0]) return HTTPX_AUTH_ACCEPT;    /* none yet: let the 401 say so */
        snprintf(v, sizeof v, "Bearer %s", t->token);
        return httpx_request_set_header(q, "Authorization", v) ? -HTTPX_ERR_INVALID_HEADER : HTTPX_AUTH_ACCEPT;
    }
    t->after_calls++;
    if (r->status_code != 401) return HTTPX_AUTH_ACCEPT;
    if (t->refuse_refresh) return -HTTPX_ERR_STATUS;
    {
        httpx_response *tr = httpx_client_get(token_client, "http://api.test/token", NULL);
        if (!tr || tr->error || tr->status_code != 200) {
            httpx_response_free(tr);
            return -HTTPX_ERR_STATUS;
        }
        snprintf(t->token, sizeof t->token, "%s", tr->content);
        httpx_response_free(tr);
    }
    return HTTPX_AUTH_RESEND;
}

TEST(auth_flow_token_refresh_both_faces) {
    tokens t;
    httpx_client *c;
    httpx_response *r;
    httpx_task *task;
    memset(&t, 0, sizeof t);
    t.expire_after = 2;
    token_client = httpx_client_new(&(httpx_client_opts){ .mock = token_server, .mock_user_data = &t });
    c = httpx_client_new(&(httpx_client_opts){ .mock = token_server, .mock_user_data = &t, .follow_redirects = true,
                                               .auth = httpx_auth_flow(refresh_flow, &t) });
    REQUIRE(c && token_client);
    r = httpx_client_get(c, "http://api.test/data", NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "secret");
    CHECK_INT(t.issued, 1);
    CHECK_INT(t.before_calls, 2);
    CHECK_INT(t.after_calls, 2);
    CHECK_STR(httpx_request_header(httpx_response_request(r), "authorization"), "Bearer tok1");
    httpx_response_free(r);
    /* the token still works: no refresh */
    task = httpx_client_start(c, "GET", "http://api.test/data", NULL);
    r = httpx_task_wait(task);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(t.issued, 1);
    httpx_task_free(task);
    /* it expired: refreshed, in the task face */
    task = httpx_client_start(c, "GET", "http://api.test/data", NULL);
    r = httpx_task_wait(task);
    CHECK_INT(r->status_code, 200);
    CHECK_INT(t.issued, 2);
    httpx_task_free(task);
    /* the flow fails the request: its error, with a message */
    t.uses = 99;
    t.refuse_refresh = true;
    r = httpx_client_get(c, "http://api.test/data", NULL);
    CHECK_INT(r->error, HTTPX_ERR_STATUS);
    CHECK(strstr(r->error_message, "auth flow") != NULL);
    httpx_response_free(r);
    /* a redirect to another origin: the flow is not asked, nothing leaks */
    t.refuse_refresh = false;
    t.uses = 0;
    t.before_calls = 0;
    r = httpx_client_get(c, "http://api.test/away", NULL);
    CHECK_INT(r->status_code, 200);
    CHECK_STR(r->content, "clean");
    CHECK_INT(t.before_calls, 1);
    httpx_response_free(r);
    httpx_client_free(c);
    httpx_client_free(token_client);
}

static int forever_flow(void *user, httpx_req *q, const httpx_response *r) {
    int *n = (int *)user;
    (void)q;
    if (r) (*n)++;
    return r ? HTTPX_AUTH_RESEND : HTTPX_AUTH_ACCEPT;
}

static int bad_flow(void *user, httpx_req *q, const httpx_response *r) {
    (void)user; (void)q; (void)r;
    return 7;
}

static int body_flow(void *user, httpx_req *q, const httpx_response *r) {
    (void)q;
    if (r) snprintf((char *)user, 16, "%.*s", (int)r->content_length, r->content ? r->content : "(null)");
    return HTTPX_AUTH_ACCEPT;
}

TEST(auth_flow_bounded_and_checked) {
    tokens t;
    int n = 0;
    char seen[16] = "";
    httpx_client *c;
    httpx_response *r;
    httpx_task *task;
    memset(&t, 0, sizeof t);
    c = httpx_client_new(&(httpx_client_opts){ .mock = token_server, .mock_user_data = &t });
    REQUIRE(c);
    r = httpx_client_get(c, "http://api.test/data", &(httpx_opts){ .auth = httpx_auth_flow(forever_flow, &n) });
    CHECK_INT(r->error, HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK(strstr(r->error_message, "rounds") != NULL);
    CHECK_INT(n, HTTPX_AUTH_MAX_ROUNDS + 1);
    httpx_response_free(r);
    n = 0;
    task = httpx_client_start(c, "GET", "http://api.test/data", &(httpx_opts){ .auth = httpx_auth_flow(forever_flow, &n) });
    CHECK_INT(httpx_task_wait(task)->error, HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK_INT(n, HTTPX_AUTH_MAX_ROUNDS + 1);
    httpx_task_free(task);
    r = httpx_client_get(c, "http://api.test/data", &(httpx_opts){ .auth = httpx_auth_flow(bad_flow, NULL) });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "returned 7") != NULL);
    httpx_response_free(r);
    r = httpx_client_get(c, "http://api.test/data", &(httpx_opts){ .auth = httpx_auth_flow(NULL, NULL) });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    httpx_response_free(r);
    /* the flow sees the body of a response */
    r = httpx_client_get(c, "http://api.test/token", &(httpx_opts){ .auth = httpx_auth_flow(body_flow, seen) });
    CHECK_STR(seen, "tok1");
    CHECK_STR(r->content, "tok1");
    httpx_response_free(r);
    /* streamed: the flow sees the head, and a resend costs nothing more */
    n = 0;
    r = httpx_client_stream(c, "GET", "http://api.test/data", &(httpx_opts){ .auth = httpx_auth_flow(forever_flow, &n) });
    CHECK_INT(r->error, HTTPX_ERR_LOCAL_PROTOCOL);
    httpx_response_free(r);
    httpx_client_free(c);
}

/* ---- .netrc ---- */

static bool netrc_find(const char *text, const char *host, char *login, char *password) {
    httpx__buf l, p;
    bool ok;
    memset(&l, 0, sizeof l);
    memset(&p, 0, sizeof p);
    ok = httpx__netrc_find(text, strlen(text), host, strlen(host), &l, &p);
    strcpy(login, l.p ? l.p : "");
    strcpy(password, p.p ? p.p : "");
    httpx__buf_free(&l);
    httpx__buf_free(&p);
    return ok;
}

TEST(auth_netrc_parsing) {
    char l[64], p[64];
    const char *text =
        "# a comment\n"
        "machine a.test login alice password \"s3 cret\"\n"
        "macdef init\n  machine b.test login mallory password evil\n  cd /\n\n"
        "machine b.test\n  login bob\n  account acct\n  password b\\pw\n"
        "machine C.Test login carol password c default login anon password guest\n";
    CHECK(netrc_find(text, "a.test", l, p));
    CHECK_STR(l, "alice"); CHECK_STR(p, "s3 cret");
    CHECK(netrc_find(text, "b.test", l, p));          /* not the macro's */
    CHECK_STR(l, "bob"); CHECK_STR(p, "bpw");
    CHECK(netrc_find(text, "c.test", l, p));
    CHECK_STR(l, "carol"); CHECK_STR(p, "c");
    CHECK(netrc_find(text, "z.test", l, p));
    CHECK_STR(l, "anon"); CHECK_STR(p, "guest");
    CHECK(!netrc_find("machine a.test login x password y", "b.test", l, p));
    CHECK(!netrc_find("", "b.test", l, p));
    CHECK(!netrc_find("machine", "b.test", l, p));
    CHECK(!netrc_find("machine b.test login", "b.test", l, p));
    CHECK(!netrc_find("machine b.test password \"unterminated", "x.test", l, p));
}

static void echo_auth(void *user, const httpx_req *q, httpx_mock_reply *p) {
    const char *a = httpx_request_header(q, "authorization");
    (void)user;
    if (strstr(httpx_request_url(q), "/away")) {
        httpx_reply_status(p, 302);
        httpx_reply_header(p, "Location", "http://b.test/x");
        return;
    }
    httpx_reply_body(p, a ? a : "none", 0);
}

TEST(auth_netrc_used_when_nothing_else) {
    char path[] = "/tmp/httpx-netrc-XXXXXX";
    int fd = mkstemp(path);
    const char *old = getenv("NETRC");
    char *saved = old ? strdup(old) : NULL;
    httpx_client *c, *off;
    httpx_response *r;
    httpx_task *t;
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "machine a.test login user password passwd\n", 42) == 42);
    close(fd);
    setenv("NETRC", path, 1);
    c = httpx_client_new(&(httpx_client_opts){ .mock = echo_auth, .follow_redirects = true });
    off = httpx_client_new(&(httpx_client_opts){ .mock = echo_auth, .trust_env = HTTPX_NO });
    r = httpx_client_get(c, "http://a.test/", NULL);
    CHECK_STR(r->content, "Basic dXNlcjpwYXNzd2Q=");
    httpx_response_free(r);
    t = httpx_client_start(c, "GET", "https://A.TEST:8443/", NULL);   /* the host, any port */
    CHECK_STR(httpx_task_wait(t)->content, "Basic dXNlcjpwYXNzd2Q=");
    httpx_task_free(t);
    r = httpx_client_get(c, "http://b.test/", NULL);                 /* another host: none */
    CHECK_STR(r->content, "none");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://a.test/away", NULL);             /* not across a redirect */
    CHECK_STR(r->content, "none");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://a.test/", &(httpx_opts){ .auth = httpx_bearer_auth("t") });  /* other credentials win */
    CHECK_STR(r->content, "Bearer t");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://x:y@a.test/", NULL);
    CHECK_STR(r->content, "Basic eDp5");
    httpx_response_free(r);
    r = httpx_client_get(c, "http://a.test/", &(httpx_opts){ .auth = { HTTPX_AUTH_NONE, NULL, NULL, NULL, NULL, NULL } });
    CHECK_STR(r->content, "none");
    httpx_response_free(r);
    r = httpx_client_get(off, "http://a.test/", NULL);               /* trust_env = HTTPX_NO */
    CHECK_STR(r->content, "none");
    httpx_response_free(r);
    /* the file is read once per client (as HTTPX's client): a new client
       reads NETRC again */
    setenv("NETRC", "/nonexistent/netrc", 1);
    r = httpx_client_get(c, "http://a.test/", NULL);
    CHECK_STR(r->content, "Basic dXNlcjpwYXNzd2Q=");
    httpx_response_free(r);
    {
        httpx_client *later = httpx_client_new(&(httpx_client_opts){ .mock = echo_auth });
        r = httpx_client_get(later, "http://a.test/", NULL);
        CHECK_STR(r->content, "none");
        httpx_response_free(r);
        httpx_client_free(later);
    }
    if (saved) setenv("NETRC", saved, 1);
    else unsetenv("NETRC");
    free(saved);
    unlink(path);
    httpx_client_free(c);
    httpx_client_free(off);
}
