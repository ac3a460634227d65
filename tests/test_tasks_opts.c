/* Every field of httpx_opts through every face: the blocking call
   (httpx_client_request), the task (httpx_client_start + wait) and the
   one-shot call (httpx_request). Each row sets one field (or a field and the
   ones it needs), sends it, and checks what the server received or what the
   user sees; rows whose server-side bytes do not vary (no random multipart
   boundary) must also give the same bytes through all three faces.

   A face once dropped .params and .data without an error (the task copied
   its options and cleared both before reading them). This table is the
   guard: OPTS_FIELDS below must name every field of httpx_opts in order, and
   the static checks fail the build when httpx_opts gains, loses or moves a
   field, until the list (and a row for the new field) is updated. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_h2.h"
#include "fixtures_tls.h"
#include <stddef.h>
#include <stdlib.h>

/* type, name: every field of httpx_opts, in declaration order */
#define OPTS_FIELDS(X)                                                         \
    X(const httpx_pair *, params)                                              \
    X(const httpx_pair *, headers)                                             \
    X(const void *, content)                                                   \
    X(size_t, content_length)                                                  \
    X(const httpx_pair *, data)                                                \
    X(const httpx_file *, files)                                               \
    X(const char *, json)                                                      \
    X(httpx_read_fn, upload)                                                   \
    X(void *, upload_user_data)                                                \
    X(long long, upload_length)                                                \
    X(httpx_rewind_fn, upload_rewind)                                          \
    X(httpx_auth, auth)                                                        \
    X(httpx_timeout, timeout)                                                  \
    X(int, follow_redirects)                                                   \
    X(int, max_redirects)                                                      \
    X(bool, http2)                                                             \
    X(bool, http2_prior_knowledge)                                             \
    X(const char *, proxy)                                                     \
    X(const httpx_tls_opts *, tls)                                             \
    X(httpx_data_fn, on_data)                                                  \
    X(bool, raw)                                                               \
    X(httpx_done_fn, on_done)                                                  \
    X(void *, user_data)                                                       \
    X(const httpx_pair *, cookies)

/* A struct with exactly the listed fields has httpx_opts's size and offsets
   only while the list is complete. (A bool squeezed into padding would keep
   both: the comment on httpx_opts in public.h points here for that case.) */
#define OPTS_MIRROR_MEMBER(type, name) type name;
typedef struct opts_mirror { OPTS_FIELDS(OPTS_MIRROR_MEMBER) } opts_mirror;
#define OPTS_SAME_OFFSET(type, name)                                            \
    typedef char opts_offset_of_##name[offsetof(opts_mirror, name) == offsetof(httpx_opts, name) ? 1 : -1];
OPTS_FIELDS(OPTS_SAME_OFFSET)
typedef char opts_fields_listed_all[sizeof(opts_mirror) == sizeof(httpx_opts) ? 1 : -1];

enum { FACE_BLOCKING, FACE_TASK, FACE_ONESHOT, FACES };
static const char *const face_names[FACES] = {"blocking call", "task", "one-shot call"};

/* What one face gave the user. */
typedef struct run {
    int face;
    httpx_error error;
    int status;
    char version[16];
    char *content;              /* the body kept in memory (malloc) */
    char streamed[4096];        /* what on_data got */
    size_t streamed_len;
    int data_calls, done_calls;
    void *data_user, *done_user;
    const char *upload_next;    /* the upload callback's state */
    int rewinds;                /* upload_rewind calls */
} run;

static int stream_cb(void *user, httpx_response *r, const char *buf, size_t len) {
    run *ru = (run *)user;
    (void)r;
    ru->data_calls++;
    ru->data_user = user;
    if (len > sizeof ru->streamed - ru->streamed_len) return 1;
    memcpy(ru->streamed + ru->streamed_len, buf, len);
    ru->streamed_len += len;
    return 0;
}

static void keep(run *ru, const httpx_response *r) {
    size_t n = r->content_length;
    ru->error = r->error;
    ru->status = r->status_code;
    snprintf(ru->version, sizeof ru->version, "%s", r->http_version);
    ru->content = (char *)malloc(n + 1);
    if (ru->content) { memcpy(ru->content, r->content, n); ru->content[n] = 0; }
}

static void done_cb(void *user, httpx_task *t, httpx_response *r) {
    run *ru = (run *)user;
    (void)t;
    ru->done_calls++;
    ru->done_user = user;
    keep(ru, r);
}

static long upload_cb(void *user, void *buf, size_t cap) {
    run *ru = (run *)user;
    size_t n = strlen(ru->upload_next);
    if (n > cap) n = cap;
    if (n > 3) n = 3;           /* several calls */
    memcpy(buf, ru->upload_next, n);
    ru->upload_next += n;
    return (long)n;
}

static int rewind_cb(void *user) {
    run *ru = (run *)user;
    ru->upload_next = "streamed body";
    ru->rewinds++;
    return 0;
}

typedef struct row {
    const char *fields;         /* the httpx_opts fields this row sets, space-separated */
    const char *method;
    const char *(*url)(void);
    void (*fill)(httpx_opts *o, run *ru);
    void (*check)(const struct row *w, const run *ru);
    bool same_bytes;            /* the server saw the same bytes through every face */
} row;

#define ROW_CHECK(c) do { if (!(c))                                                   \
    test_fail(__FILE__, __LINE__, "row \"%s\" through the %s: CHECK(%s)", w->fields,  \
              face_names[ru->face], #c); } while (0)
#define ECHOED(s) (ru->content && strstr(ru->content, s) != NULL)

static const char *url_echo(void) { return fx_rogue_at("/echo"); }
static const char *url_delay(void) { return fx_rogue_at("/delay/3000"); }
static const char *url_redirect(void) { return fx_rogue_at("/redirect?to=/echo/after"); }
static const char *url_redirect307(void) { return fx_rogue_at("/redirect?to=/echo/after&code=307"); }
static const char *url_redirect2(void) { return fx_rogue_at("/redirect?to=/redirect%3Fto%3D/echo/after"); }
static const char *url_h2c(void) { return fx_url(fxh2_nghttpd_port(), "/hello.txt"); }
static const char *url_tls(void) { return fx_url(fxt_nginx_port("rsa"), "/hello.txt"); }
static const char *url_tls_h2(void) { return fx_url(fxt_nginx_port("h2"), "/hello.txt"); }

static const char *https(const char *u) {
    static char buf[128];
    snprintf(buf, sizeof buf, "https://%s", u + strlen("http://"));
    return buf;
}
static const char *url_tls_s(void) { return https(url_tls()); }
static const char *url_tls_h2_s(void) { return https(url_tls_h2()); }

static const httpx_tls_opts *test_ca(void) {
    static httpx_tls_opts t;
    t.ca_file = fxt_cert("ca.pem");
    return &t;
}

/* ---- the rows ---- */

static void f_params(httpx_opts *o, run *ru) {
    static const httpx_pair p[] = {{"q", "a b"}, {"n", "1"}, {0}};
    (void)ru;
    o->params = p;
}
static void c_params(const row *w, const run *ru) {
    ROW_CHECK(ru->status == 200);
    ROW_CHECK(ECHOED("GET /echo?q=a+b&n=1 HTTP/1.1\r\n"));
}

static void f_headers(httpx_opts *o, run *ru) {
    static const httpx_pair h[] = {{"X-Row", "headers"}, {"Accept", "text/x-row"}, {0}};
    (void)ru;
    o->headers = h;
}
static void c_headers(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nX-Row: headers\r\n"));
    ROW_CHECK(ECHOED("\r\nAccept: text/x-row\r\n"));
}

static void f_content(httpx_opts *o, run *ru) {
    (void)ru;
    o->content = "raw\0bytes";
    o->content_length = 9;
}
static void c_content(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("POST /echo HTTP/1.1\r\n"));
    ROW_CHECK(ECHOED("\r\nContent-Length: 9\r\n"));
    ROW_CHECK(ru->content && strstr(ru->content, "\r\n\r\n") &&
              !memcmp(strstr(ru->content, "\r\n\r\n") + 4, "raw\0bytes", 9));
}

static void f_content_strlen(httpx_opts *o, run *ru) {
    (void)ru;
    o->content = "text body";
}
static void c_content_strlen(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nContent-Length: 9\r\n\r\ntext body"));
}

static void f_data(httpx_opts *o, run *ru) {
    static const httpx_pair d[] = {{"name", "x y"}, {"k", "&="}, {0}};
    (void)ru;
    o->data = d;
}
static void c_data(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nContent-Type: application/x-www-form-urlencoded\r\n"));
    ROW_CHECK(ECHOED("\r\n\r\nname=x+y&k=%26%3D"));
}

static void f_files(httpx_opts *o, run *ru) {
    static const httpx_pair d[] = {{"field", "value"}, {0}};
    static const httpx_file f[] = {{"up", "a.txt", "text/plain", "file bytes", 10, NULL, NULL}, {0}};
    (void)ru;
    o->data = d;
    o->files = f;
}
static void c_files(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nContent-Type: multipart/form-data; boundary="));
    ROW_CHECK(ECHOED("Content-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"));
    ROW_CHECK(ECHOED("name=\"up\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile bytes\r\n"));
}

static void f_json(httpx_opts *o, run *ru) {
    (void)ru;
    o->json = "{\"row\":\"json\"}";
}
static void c_json(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nContent-Type: application/json\r\n"));
    ROW_CHECK(ECHOED("\r\n\r\n{\"row\":\"json\"}"));
}

static void f_upload(httpx_opts *o, run *ru) {
    ru->upload_next = "streamed body";
    o->upload = upload_cb;
    o->upload_user_data = ru;
}
static void c_upload(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nTransfer-Encoding: chunked\r\n"));
    ROW_CHECK(ECHOED("\r\n\r\nstreamed body"));
}

static void f_upload_length(httpx_opts *o, run *ru) {
    f_upload(o, ru);
    o->upload_length = 13;
}
static void c_upload_length(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nContent-Length: 13\r\n\r\nstreamed body"));
}

static void f_auth(httpx_opts *o, run *ru) {
    (void)ru;
    o->auth.kind = HTTPX_AUTH_BASIC;
    o->auth.username = "user";
    o->auth.password = "pass";
}
static void c_auth(const row *w, const run *ru) {
    ROW_CHECK(ECHOED("\r\nAuthorization: Basic dXNlcjpwYXNz\r\n"));
}

static void f_timeout(httpx_opts *o, run *ru) {
    (void)ru;
    o->timeout.read = 0.2;
}
static void c_timeout(const row *w, const run *ru) {
    ROW_CHECK(ru->error == HTTPX_ERR_READ_TIMEOUT);
}

static void f_follow(httpx_opts *o, run *ru) {
    (void)ru;
    o->follow_redirects = HTTPX_YES;
}
static void c_follow(const row *w, const run *ru) {
    ROW_CHECK(ru->status == 200);
    ROW_CHECK(ECHOED("GET /echo/after HTTP/1.1\r\n"));
}

static void f_max_redirects(httpx_opts *o, run *ru) {
    (void)ru;
    o->follow_redirects = HTTPX_YES;
    o->max_redirects = 1;
}
static void c_max_redirects(const row *w, const run *ru) {
    ROW_CHECK(ru->error == HTTPX_ERR_TOO_MANY_REDIRECTS);
}

/* .http2, .http2_prior_knowledge and .tls belong to a one-shot call's
   private client; a client's requests refuse them, the same in both faces. */
static void f_h2c(httpx_opts *o, run *ru) {
    (void)ru;
    o->http2_prior_knowledge = true;
}
static void c_h2c(const row *w, const run *ru) {
    if (ru->face != FACE_ONESHOT) { ROW_CHECK(ru->error == HTTPX_ERR_INVALID_ARGUMENT); return; }
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(!strcmp(ru->version, "HTTP/2"));
    ROW_CHECK(ru->content && !strcmp(ru->content, "Hello, h2c!\n"));
}

/* .proxy too: the rogue server forwards absolute-form requests (and
   echoes them); the origin's name does not resolve, so only the proxy can
   have answered. */
static const char *url_proxied(void) { return "http://proxied.invalid/echo"; }
static void f_proxy(httpx_opts *o, run *ru) {
    (void)ru;
    o->proxy = fx_rogue_url();
}
static void c_proxy(const row *w, const run *ru) {
    if (ru->face != FACE_ONESHOT) { ROW_CHECK(ru->error == HTTPX_ERR_INVALID_ARGUMENT); return; }
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(ru->content && !strncmp(ru->content, "GET http://proxied.invalid/echo HTTP/1.1\r\n", 42));
}

static void f_tls(httpx_opts *o, run *ru) {
    (void)ru;
    o->tls = test_ca();
}
static void c_tls(const row *w, const run *ru) {
    if (ru->face != FACE_ONESHOT) { ROW_CHECK(ru->error == HTTPX_ERR_INVALID_ARGUMENT); return; }
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(!strcmp(ru->version, "HTTP/1.1"));
    ROW_CHECK(ru->content && !strcmp(ru->content, "Hello, TLS!\n"));
}

static void f_h2(httpx_opts *o, run *ru) {
    f_tls(o, ru);
    o->http2 = true;
}
static void c_h2(const row *w, const run *ru) {
    if (ru->face != FACE_ONESHOT) { ROW_CHECK(ru->error == HTTPX_ERR_INVALID_ARGUMENT); return; }
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(!strcmp(ru->version, "HTTP/2"));
}

static void f_on_data(httpx_opts *o, run *ru) {
    o->on_data = stream_cb;
    o->user_data = ru;
}
static void c_on_data(const row *w, const run *ru) {
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(ru->data_calls > 0 && ru->data_user == ru);
    ROW_CHECK(ru->content && !ru->content[0]);          /* streamed, not kept */
    ROW_CHECK(ru->streamed_len > 20 && !memcmp(ru->streamed, "GET /echo HTTP/1.1\r\n", 20));
}

static const char *url_gzip(void) { return fx_rogue_at("/gzip"); }
static void f_raw(httpx_opts *o, run *ru) {
    (void)ru;
    o->raw = true;
}
static void c_raw(const row *w, const run *ru) {
    /* the gzip stream as it came: its magic bytes, not the text inside */
    ROW_CHECK(ru->error == HTTPX_OK);
    ROW_CHECK(ru->content && (unsigned char)ru->content[0] == 0x1f && (unsigned char)ru->content[1] == 0x8b);
}

static void f_on_done(httpx_opts *o, run *ru) {
    o->on_done = done_cb;
    o->user_data = ru;
}
static void c_on_done(const row *w, const run *ru) {
    /* httpx_client_start only: the blocking faces return the response */
    ROW_CHECK(ru->done_calls == (ru->face == FACE_TASK));
    if (ru->face == FACE_TASK) ROW_CHECK(ru->done_user == ru);
    ROW_CHECK(ru->status == 200 && ECHOED("GET /echo HTTP/1.1\r\n"));
}

static void f_cookies(httpx_opts *o, run *ru) {
    static const httpx_pair k[] = {{"a", "1"}, {"b", "x y"}, {0}};
    (void)ru;
    o->cookies = k;
}
static void c_cookies(const row *w, const run *ru) {
    ROW_CHECK(ru->status == 200);
    ROW_CHECK(ECHOED("\r\nCookie: a=1; b=x y\r\n"));
}

/* a 307 sends the streamed body again once the caller rewound it */
static void f_upload_rewind(httpx_opts *o, run *ru) {
    f_upload(o, ru);
    o->upload_rewind = rewind_cb;
    o->follow_redirects = HTTPX_YES;
}
static void c_upload_rewind(const row *w, const run *ru) {
    ROW_CHECK(ru->error == HTTPX_OK && ru->status == 200);
    ROW_CHECK(ru->rewinds == 1);
    ROW_CHECK(ECHOED("POST /echo/after HTTP/1.1\r\n"));
    ROW_CHECK(ECHOED("\r\n\r\nstreamed body"));
}

static const row rows[] = {
    {"params", "GET", url_echo, f_params, c_params, true},
    {"headers", "GET", url_echo, f_headers, c_headers, true},
    {"content content_length", "POST", url_echo, f_content, c_content, true},
    {"content", "POST", url_echo, f_content_strlen, c_content_strlen, true},
    {"data", "POST", url_echo, f_data, c_data, true},
    {"data files", "POST", url_echo, f_files, c_files, false},
    {"json", "PUT", url_echo, f_json, c_json, true},
    {"upload upload_user_data", "POST", url_echo, f_upload, c_upload, true},
    {"upload upload_user_data upload_length", "POST", url_echo, f_upload_length, c_upload_length, true},
    {"upload upload_user_data upload_rewind follow_redirects", "POST", url_redirect307, f_upload_rewind,
     c_upload_rewind, true},
    {"cookies", "GET", url_echo, f_cookies, c_cookies, true},
    {"auth", "GET", url_echo, f_auth, c_auth, true},
    {"timeout", "GET", url_delay, f_timeout, c_timeout, false},
    {"follow_redirects", "GET", url_redirect, f_follow, c_follow, true},
    {"follow_redirects max_redirects", "GET", url_redirect2, f_max_redirects, c_max_redirects, false},
    {"http2_prior_knowledge", "GET", url_h2c, f_h2c, c_h2c, false},
    {"proxy", "GET", url_proxied, f_proxy, c_proxy, false},
    {"tls", "GET", url_tls_s, f_tls, c_tls, false},
    {"tls http2", "GET", url_tls_h2_s, f_h2, c_h2, false},
    {"on_data user_data", "GET", url_echo, f_on_data, c_on_data, true},
    {"raw", "GET", url_gzip, f_raw, c_raw, true},
    {"on_done user_data", "GET", url_echo, f_on_done, c_on_done, true},
};

static bool row_sets(const row *w, const char *field) {
    const char *p = w->fields;
    size_t n = strlen(field);
    while ((p = strstr(p, field)) != NULL) {
        if ((p == w->fields || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return true;
        p += n;
    }
    return false;
}

static void run_face(const row *w, int face, run *ru) {
    httpx_opts o;
    httpx_response *r = NULL;
    httpx_client *c = face == FACE_ONESHOT ? NULL : httpx_client_new(NULL);
    const char *url = w->url();
    memset(ru, 0, sizeof *ru);
    ru->face = face;
    memset(&o, 0, sizeof o);
    w->fill(&o, ru);
    if (face == FACE_BLOCKING) r = httpx_client_request(c, w->method, url, &o);
    else if (face == FACE_ONESHOT) r = httpx_request(w->method, url, &o);
    else {
        httpx_task *t = httpx_client_start(c, w->method, url, &o);
        int spins = 0;
        memset(&o, 0xA5, sizeof o);    /* the task must have kept what it needs */
        if (!t) { ru->error = HTTPX_ERR_NOMEM; httpx_client_free(c); return; }
        if (ru->done_calls == 0 && w->fill == f_on_done) {
            while (!ru->done_calls && spins++ < 100000) httpx_client_poll(c, 100);
        } else {
            r = httpx_task_wait(t);
            keep(ru, r);
            httpx_task_free(t);
            r = NULL;
        }
    }
    if (r) { keep(ru, r); httpx_response_free(r); }
    httpx_client_free(c);
}

TEST(opts_every_field_through_every_face) {
    size_t i, k;
    static const char *const names[] = {
#define OPTS_NAME(type, name) #name,
        OPTS_FIELDS(OPTS_NAME)
#undef OPTS_NAME
    };
    REQUIRE(fx_rogue_port());
    for (k = 0; k < sizeof names / sizeof names[0]; k++) {     /* no field without a row */
        bool found = false;
        for (i = 0; i < sizeof rows / sizeof rows[0] && !found; i++) found = row_sets(&rows[i], names[k]);
        if (!found) test_fail(__FILE__, __LINE__, "httpx_opts.%s has no row in the table", names[k]);
    }
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *w = &rows[i];
        run runs[FACES];
        int f;
        for (f = 0; f < FACES; f++) {
            run *ru = &runs[f];
            run_face(w, f, ru);
            w->check(w, ru);
        }
        for (f = 1; f < FACES; f++) {
            const run *ru = &runs[f];
            ROW_CHECK(ru->error == runs[0].error || w->fill == f_h2c || w->fill == f_tls || w->fill == f_h2 ||
                      w->fill == f_proxy);
            if (w->same_bytes)
                ROW_CHECK(ru->content && runs[0].content && !strcmp(ru->content, runs[0].content) &&
                          ru->streamed_len == runs[0].streamed_len &&
                          !memcmp(ru->streamed, runs[0].streamed, ru->streamed_len));
        }
        for (f = 0; f < FACES; f++) free(runs[f].content);
    }
}

/* The defect as a user hit it: a task's .params and .data went missing. */
TEST(tasks_send_params_and_data) {
    httpx_client *c = httpx_client_new(NULL);
    httpx_task *t;
    httpx_response *r;
    REQUIRE(fx_rogue_port());
    t = httpx_client_start(c, "POST", fx_rogue_at("/echo"), &(httpx_opts){
        .params = (httpx_pair[]){{"page", "2"}, {0}}, .data = (httpx_pair[]){{"a", "1"}, {0}} });
    r = httpx_task_wait(t);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strstr(r->content, "POST /echo?page=2 HTTP/1.1\r\n") != NULL);
    CHECK(strstr(r->content, "\r\n\r\na=1") != NULL);
    httpx_task_free(t);
    httpx_client_free(c);
}
