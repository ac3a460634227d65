/* bench_json.c - JSON parse speed of httpx.h against cJSON, side by side.

   Three documents of about 1 MB each, generated here deterministically (a
   fixed-seed generator, so every run and machine parses the same bytes):
     api      an API answer: an array of user objects with strings (some with
              escapes and \u escapes), integers, doubles, booleans, nulls,
              nested objects and arrays
     numbers  an array of arrays of integers and doubles
     strings  an array of long strings, with escapes and raw UTF-8
   Each round parses a document enough times to take ~40 ms and frees the
   tree; the figure is the median MB/s of the rounds. Both parsers get the
   same bytes, and the program checks that they agree (element counts and
   the sum of all numbers), so neither skips work.

   Build and run: sh tests/bench/json.sh   (needs libcjson-dev) */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <locale.h>
#include <cjson/cJSON.h>

static size_t allocs;
static void *count_malloc(size_t n) { allocs++; return malloc(n); }
static void *count_realloc(void *p, size_t n) { allocs++; return realloc(p, n); }
#define HTTPX_MALLOC(n) count_malloc(n)
#define HTTPX_REALLOC(p, n) count_realloc(p, n)
#define HTTPX_FREE(p) free(p)
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"

/* ---- documents ---- */

static unsigned long long seed = 42;
static unsigned rnd(unsigned n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(seed >> 33) % n;
}

typedef struct { char *p; size_t len, cap; } sbuf;
static void put(sbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = (char *)realloc(b->p, b->cap);
        if (!b->p) { perror("realloc"); exit(1); }
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}
static void putf(sbuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp);
}

static const char *const words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
                                    "hotel", "india", "juliet", "kilo", "lima", "caf\xC3\xA9", "na\xC3\xAFve",
                                    "\xE6\x9D\xB1\xE4\xBA\xAC", "stra\xC3\x9F" "e"};
#define NWORDS (sizeof words / sizeof words[0])

static void words_into(sbuf *b, int n) {
    int i;
    for (i = 0; i < n; i++) { if (i) put(b, " "); put(b, words[rnd(NWORDS)]); }
}

static char *doc_api(size_t target, size_t *len) {
    sbuf b = {0};
    int id = 0;
    put(&b, "[");
    while (b.len < target) {
        int t, ntags = 1 + (int)rnd(4);
        if (id) put(&b, ",");
        putf(&b, "\n  {\"id\": %d, \"login\": \"user%d\", \"name\": \"", 100000 + id, id);
        words_into(&b, 2);
        putf(&b, "\", \"email\": \"user%d@example.com\", \"active\": %s, \"score\": %d.%03u, \"karma\": %d,",
             id, rnd(2) ? "true" : "false", (int)rnd(1000), rnd(1000), (int)rnd(100000) - 50000);
        put(&b, " \"bio\": \"");
        words_into(&b, 6 + (int)rnd(10));
        put(&b, rnd(2) ? " \\\"quoted\\\"\\n\\u2603 \\u00e9t\\u00e9" : " plain\\tend");
        put(&b, "\", \"tags\": [");
        for (t = 0; t < ntags; t++) putf(&b, "%s\"%s\"", t ? ", " : "", words[rnd(NWORDS)]);
        putf(&b, "], \"address\": {\"street\": \"%u ", 1 + rnd(999));
        words_into(&b, 2);
        putf(&b, " St\", \"city\": \"%s\", \"zip\": \"%05u\", \"geo\": {\"lat\": %d.%06u, \"lng\": -%u.%06u}},",
             words[rnd(NWORDS)], rnd(100000), (int)rnd(90), rnd(1000000), rnd(180), rnd(1000000));
        putf(&b, " \"created_at\": \"2024-%02u-%02uT%02u:%02u:%02uZ\", \"manager\": %s, \"ratios\": [%u.%u, %u.%u, %u]}",
             1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60), rnd(60), rnd(2) ? "null" : "{\"id\": 7, \"name\": \"Boss\"}",
             rnd(10), rnd(100), rnd(10), rnd(100), rnd(1000));
        id++;
    }
    put(&b, "\n]\n");
    *len = b.len;
    return b.p;
}

static char *doc_numbers(size_t target, size_t *len) {
    sbuf b = {0};
    int row = 0, i;
    put(&b, "[");
    while (b.len < target) {
        put(&b, row++ ? ",\n[" : "\n[");
        for (i = 0; i < 16; i++) {
            if (i) put(&b, ",");
            switch (rnd(5)) {
            case 0: putf(&b, "%u", rnd(1000000000)); break;
            case 1: putf(&b, "-%u", rnd(100000)); break;
            case 2: putf(&b, "%u.%04u", rnd(10000), rnd(10000)); break;
            case 3: putf(&b, "-0.%06u", rnd(1000000)); break;
            default: putf(&b, "%u.%03ue%d", 1 + rnd(9), rnd(1000), (int)rnd(40) - 20); break;
            }
        }
        put(&b, "]");
    }
    put(&b, "\n]\n");
    *len = b.len;
    return b.p;
}

static char *doc_strings(size_t target, size_t *len) {
    sbuf b = {0};
    int n = 0;
    put(&b, "[");
    while (b.len < target) {
        put(&b, n++ ? ",\n\"" : "\n\"");
        words_into(&b, 20 + (int)rnd(60));
        if (rnd(3) == 0) put(&b, " \\\"esc\\\" \\\\ \\/ \\r\\n \\u00fc\\u20ac\\ud83d\\ude00");
        put(&b, "\"");
    }
    put(&b, "\n]\n");
    *len = b.len;
    return b.p;
}

/* ---- agreement: both parsers see the same document ---- */

static void sum_httpx(const httpx_json_value *v, double *sum, size_t *count) {
    size_t i;
    (*count)++;
    if (httpx_json_type(v) == HTTPX_JSON_NUMBER) *sum += httpx_json_number(v);
    for (i = 0; i < httpx_json_len(v); i++) sum_httpx(httpx_json_at(v, i), sum, count);
}

static void sum_cjson(const cJSON *v, double *sum, size_t *count) {
    const cJSON *c;
    (*count)++;
    if (cJSON_IsNumber(v)) *sum += v->valuedouble;
    for (c = v->child; c; c = c->next) sum_cjson(c, sum, count);
}

/* ---- timing ---- */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define ROUNDS 11
typedef double (*round_fn)(const char *doc, size_t len, int reps);

static double round_httpx(const char *doc, size_t len, int reps) {
    double t0 = now();
    int i;
    for (i = 0; i < reps; i++) {
        httpx_json_value *v = httpx_json_parse(doc, len, NULL);
        if (!v) { fprintf(stderr, "httpx failed\n"); exit(1); }
        httpx_json_free(v);
    }
    return now() - t0;
}

static double round_cjson(const char *doc, size_t len, int reps) {
    double t0 = now();
    int i;
    for (i = 0; i < reps; i++) {
        cJSON *v = cJSON_ParseWithLength(doc, len);
        if (!v) { fprintf(stderr, "cJSON failed\n"); exit(1); }
        cJSON_Delete(v);
    }
    return now() - t0;
}

/* The median MB/s over ROUNDS rounds of reps parses each. */
static double measure(round_fn fn, const char *doc, size_t len) {
    double mbs[ROUNDS], t;
    int reps = 1, r;
    while ((t = fn(doc, len, reps)) < 0.04) reps *= 2;     /* calibrate: ~40 ms a round */
    for (r = 0; r < ROUNDS; r++) mbs[r] = (double)len * reps / fn(doc, len, reps) / 1e6;
    qsort(mbs, ROUNDS, sizeof mbs[0], cmp_double);
    return mbs[ROUNDS / 2];
}

int main(void) {
    static const struct { const char *name; char *(*make)(size_t, size_t *); } docs[] = {
        {"api", doc_api}, {"numbers", doc_numbers}, {"strings", doc_strings},
    };
    cJSON_Hooks hooks = {count_malloc, free};
    size_t d;
    int bad = 0;
    setlocale(LC_ALL, "");      /* LC_ALL=de_DE.UTF-8 shows that numbers ignore the decimal comma */
    cJSON_InitHooks(&hooks);
    printf("%-8s %9s %12s %12s %7s %14s %14s\n", "document", "bytes", "httpx MB/s", "cJSON MB/s", "ratio",
           "httpx allocs", "cJSON allocs");
    for (d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        size_t len, hn = 0, cn = 0, ha, ca;
        char *doc = docs[d].make(1000000, &len);
        double hs = 0, cs = 0, h, c;
        httpx_json_value *hv;
        cJSON *cv;
        allocs = 0;
        hv = httpx_json_parse(doc, len, NULL);
        ha = allocs;
        allocs = 0;
        cv = cJSON_ParseWithLength(doc, len);
        ca = allocs;
        if (!hv || !cv) { fprintf(stderr, "%s: a parser failed\n", docs[d].name); return 1; }
        sum_httpx(hv, &hs, &hn);
        sum_cjson(cv, &cs, &cn);
        if (hn != cn || hs != cs) {
            fprintf(stderr, "%s: parsers disagree (%zu vs %zu values, sums %.17g vs %.17g)\n", docs[d].name, hn, cn, hs, cs);
            bad = 1;
        }
        httpx_json_free(hv);
        cJSON_Delete(cv);
        h = measure(round_httpx, doc, len);
        c = measure(round_cjson, doc, len);
        printf("%-8s %9zu %12.1f %12.1f %6.2fx %14zu %14zu\n", docs[d].name, len, h, c, h / c, ha, ca);
        free(doc);
    }
    return bad;
}
