/* Out of memory at every allocation of the JSON reader, writer, printf and
   the text decoder. This unit holds its own static copy of the library, built
   with an allocator that fails after k allocations (so it cannot include
   test.h, which declares the shared internals; it registers its tests by
   hand). Run under ASan, a leak on any failure path is reported too. */
#undef HTTPX__PRIVATE               /* the Makefile empties it; here everything is static */
#define HTTPX_STATIC
#include <stdlib.h>
#include <string.h>
static long oom_budget = -1;        /* allocations left; -1: no limit */
static void *oom_malloc(size_t n) {
    if (oom_budget == 0) return NULL;
    if (oom_budget > 0) oom_budget--;
    return malloc(n);
}
static void *oom_realloc(void *p, size_t n) {
    if (oom_budget == 0) return NULL;
    if (oom_budget > 0) oom_budget--;
    return realloc(p, n);
}
#define HTTPX_MALLOC(n) oom_malloc(n)
#define HTTPX_REALLOC(p, n) oom_realloc(p, n)
#define HTTPX_FREE(p) free(p)
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

/* What test.h would give (it cannot be included here, see above). */
typedef void (*test_fn)(void);
void test_register(const char *name, const char *file, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...);
#define OOM_TEST(name)                                                          \
    static void name(void);                                                     \
    __attribute__((constructor)) static void name##_register(void) {            \
        test_register(#name, __FILE__, name);                                   \
    }                                                                           \
    static void name(void)
#define OOM_CHECK(c) do { if (!(c)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #c); } while (0)

/* A document that needs every kind of allocation: node blocks beyond the
   first, a stack beyond its inline part, the string block, a long number. */
static char *oom_document(size_t *len) {
    size_t cap = 200000, n = 0, i;
    char *s = (char *)malloc(cap);
    n += (size_t)sprintf(s + n, "{\"long\": 0.%s1, \"list\": [", "0000000000000000000000000000000000000000000000000000000000000000000");
    for (i = 0; i < 3000; i++) n += (size_t)sprintf(s + n, "%s{\"k\": [%zu, \"s\\u00e9%zu\"]}", i ? "," : "", i, i);
    n += (size_t)sprintf(s + n, "]}");
    *len = n;
    return s;
}

OOM_TEST(json_oom_parse_at_every_allocation) {
    size_t len;
    char *doc = oom_document(&len);
    long k;
    int nomem = 0;
    for (k = 0;; k++) {
        httpx_json_error err;
        httpx_json_value *v;
        oom_budget = k;
        v = httpx_json_parse(doc, len, &err);
        oom_budget = -1;
        if (v) {
            OOM_CHECK(httpx_json_len(httpx_json_get(v, "list")) == 3000);
            httpx_json_free(v);
            break;
        }
        if (err.code != HTTPX_ERR_NOMEM) { test_fail(__FILE__, __LINE__, "k=%ld: %s", k, err.message); break; }
        nomem++;
        if (k > 1000) { test_fail(__FILE__, __LINE__, "no end"); break; }
    }
    OOM_CHECK(nomem >= 4);     /* first block, strings, stack, more blocks, the long number */
    free(doc);
}

static httpx_error oom_write(httpx_jsonw *w) {
    int i;
    httpx_jsonw_object_begin(w);
    httpx_jsonw_key(w, "a");
    httpx_jsonw_array_begin(w);
    for (i = 0; i < 200; i++) httpx_jsonw_string(w, "some text to make the buffer grow \xC3\xA9");
    httpx_jsonw_number(w, 0.1);
    httpx_jsonw_raw(w, "{\"x\": [1, 2]}");
    httpx_jsonw_array_end(w);
    return httpx_jsonw_object_end(w);
}

static char *oom_printf(httpx_json_error *err, const char *fmt, ...) {
    va_list ap;
    char *s;
    va_start(ap, fmt);
    s = httpx_json_vprintf(err, fmt, ap);
    va_end(ap);
    return s;
}

OOM_TEST(json_oom_writer_and_printf) {
    long k;
    for (k = 0;; k++) {
        httpx_jsonw *w;
        httpx_error err;
        oom_budget = k;
        w = httpx_jsonw_new();
        err = oom_write(w);
        oom_budget = -1;
        if (!err) {
            OOM_CHECK(httpx_jsonw_text(w) != NULL);
            httpx_jsonw_free(w);
            break;
        }
        OOM_CHECK(err == HTTPX_ERR_NOMEM);
        OOM_CHECK(httpx_jsonw_text(w) == NULL);
        httpx_jsonw_free(w);
        if (k > 1000) { test_fail(__FILE__, __LINE__, "no end"); break; }
    }
    for (k = 0;; k++) {
        httpx_json_error err;
        char *s;
        oom_budget = k;
        s = oom_printf(&err, "{\"name\": %s, \"n\": %g, \"list\": [%d, %j]}",
                       "a long enough string \"quoted\" to need the buffer to grow \xC3\xA9", 0.1, 7, "[1]");
        oom_budget = -1;
        if (s) {
            OOM_CHECK(strstr(s, "[7, [1]]") != NULL);
            httpx_json_printf_free(s);
            break;
        }
        OOM_CHECK(err.code == HTTPX_ERR_NOMEM);
        if (k > 1000) { test_fail(__FILE__, __LINE__, "no end"); break; }
    }
}

OOM_TEST(text_oom_at_every_allocation) {
    static const char body[] = "caf\xE9 \x80\x9f and more text after it";
    long k;
    for (k = 0;; k++) {
        httpx__response *r;
        const char *t;
        size_t len = 0;
        oom_budget = k;
        r = httpx__response_new();
        if (!r) { oom_budget = -1; continue; }
        r->pub.content = (char *)body;
        r->pub.content_length = sizeof body - 1;
        if (!httpx__headers_add_raw(&r->headers, "Content-Type", 12, "text/plain; charset=cp1252", 26)) {
            oom_budget = -1;
            httpx_response_free(&r->pub);
            continue;
        }
        t = httpx_text(&r->pub);
        if (t) {
            t = httpx_read_text(&r->pub, &len);
            OOM_CHECK(t || r->pub.error == HTTPX_ERR_NOMEM);   /* a NULL piece says why */
        }
        oom_budget = -1;
        if (t) {
            OOM_CHECK(strncmp(t, "caf\xC3\xA9 \xE2\x82\xAC\xC5\xB8", 11) == 0 && len == 34);
            httpx_response_free(&r->pub);
            break;
        }
        httpx_response_free(&r->pub);
        if (k > 1000) { test_fail(__FILE__, __LINE__, "no end"); break; }
    }
}
