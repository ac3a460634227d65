/* bench_hpack: HPACK decode and encode speed over the hpack-test-case
   stories in tests/data/hpack/, and the heap bytes of a context.

     cc -std=c99 -O2 tests/bench/bench_hpack.c -o build/bench_hpack && ./build/bench_hpack [rounds]

   Decode: every block of every encoder's stories (one context per story, as
   a connection keeps one), repeated; MB/s of header-block bytes. Encode: the
   header lists those blocks carry, with one encoder per story; MB/s of
   encoded output and fields/s. Run from the repository root. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t bh_live, bh_peak;   /* heap bytes through the library's allocator */
static void *bh_malloc(size_t n) {
    size_t *p = (size_t *)malloc(n + sizeof(size_t));
    if (!p) return NULL;
    *p = n;
    bh_live += n;
    if (bh_live > bh_peak) bh_peak = bh_live;
    return p + 1;
}
static void bh_free(void *q) {
    size_t *p = (size_t *)q;
    if (!p) return;
    bh_live -= p[-1];
    free(p - 1);
}
static void *bh_realloc(void *q, size_t n) {
    void *r = bh_malloc(n);
    if (r && q) {
        size_t old = ((size_t *)q)[-1];
        memcpy(r, q, old < n ? old : n);
        bh_free(q);
    }
    return r;
}
#define HTTPX_MALLOC(n) bh_malloc(n)
#define HTTPX_REALLOC(p, n) bh_realloc(p, n)
#define HTTPX_FREE(p) bh_free(p)
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"

static double bh_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A story: its blocks, and (after a first decode) its header lists. */
typedef struct { unsigned char *wire; size_t n; httpx__hpack_field *f; size_t nf; char *text; } bh_block;
typedef struct { bh_block b[128]; size_t n; } bh_story;

/* Pulls the "wire" hex strings out of a story file without a JSON parser:
   the files are regular. Table size changes need no setting here: the
   decoder allows updates up to 16384, which covers every story. */
static int bh_load(const char *path, bh_story *s) {
    FILE *fp = fopen(path, "rb");
    char *text, *p;
    long len;
    if (!fp) return 0;
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = (char *)malloc((size_t)len + 1);
    if (fread(text, 1, (size_t)len, fp) != (size_t)len) { fclose(fp); free(text); return 0; }
    fclose(fp);
    text[len] = 0;
    s->n = 0;
    for (p = text; (p = strstr(p, "\"wire\": \"")) != NULL && s->n < 128;) {
        char *q = p += 9;
        size_t i, n;
        while (*q != '"') q++;
        n = (size_t)(q - p) / 2;
        s->b[s->n].wire = (unsigned char *)malloc(n + 1);
        for (i = 0; i < n; i++) {
            char two[3] = {p[2 * i], p[2 * i + 1], 0};
            s->b[s->n].wire[i] = (unsigned char)strtoul(two, NULL, 16);
        }
        s->b[s->n].n = n;
        s->b[s->n].f = NULL;
        s->n++;
        p = q;
    }
    free(text);
    return 1;
}

typedef struct { httpx__buf text; size_t nf; } bh_list;
static int bh_collect(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    bh_list *l = (bh_list *)ctx;
    httpx__buf_append(&l->text, name, nlen);
    httpx__buf_putc(&l->text, 0);
    httpx__buf_append(&l->text, value, vlen);
    httpx__buf_putc(&l->text, 0);
    l->nf++;
    return 0;
}
static int bh_count(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    (void)name; (void)value;
    *(size_t *)ctx += nlen + vlen;
    return 0;
}

int main(int argc, char **argv) {
    static const char *const encs[] = {"nghttp2", "nghttp2-change-table-size", "nghttp2-16384-4096",
                                       "python-hpack", "go-hpack", "haskell-http2-linear"};
    static const char *const ids[] = {"00", "01", "02", "24", "26"};
    static bh_story stories[30];
    size_t ns = 0, i, j, k, r, rounds = argc > 1 ? (size_t)atoi(argv[1]) : 200;
    size_t wire_bytes = 0, blocks = 0, fields = 0, sink = 0, enc_bytes = 0;
    double t0, dt;
    httpx__err e;
    for (i = 0; i < 6; i++)
        for (j = 0; j < 5; j++) {
            char path[200];
            snprintf(path, sizeof path, "tests/data/hpack/%s/story_%s.json", encs[i], ids[j]);
            if (!bh_load(path, &stories[ns])) { fprintf(stderr, "cannot read %s (run from the repository root)\n", path); return 1; }
            ns++;
        }
    /* the header lists, for the encoder */
    for (i = 0; i < ns; i++) {
        httpx__hpack_dec d;
        httpx__hpack_dec_init(&d, 4096);
        httpx__hpack_dec_set_max(&d, 16384);
        for (j = 0; j < stories[i].n; j++) {
            bh_block *b = &stories[i].b[j];
            bh_list l;
            const char *p;
            memset(&l, 0, sizeof l);
            if (httpx__hpack_decode(&d, b->wire, b->n, bh_collect, &l, &e) < 0) { fprintf(stderr, "%s\n", e.msg); return 1; }
            b->text = l.text.p;
            b->nf = l.nf;
            b->f = (httpx__hpack_field *)calloc(l.nf + 1, sizeof *b->f);
            for (p = b->text, k = 0; k < l.nf; k++) {
                b->f[k].name = p; b->f[k].nlen = strlen(p); p += b->f[k].nlen + 1;
                b->f[k].value = p; b->f[k].vlen = strlen(p); p += b->f[k].vlen + 1;
            }
            wire_bytes += b->n;
            blocks++;
            fields += l.nf;
        }
        httpx__hpack_dec_free(&d);
    }
    t0 = bh_now();
    for (r = 0; r < rounds; r++)
        for (i = 0; i < ns; i++) {
            httpx__hpack_dec d;
            httpx__hpack_dec_init(&d, 4096);
            httpx__hpack_dec_set_max(&d, 16384);
            for (j = 0; j < stories[i].n; j++)
                if (httpx__hpack_decode(&d, stories[i].b[j].wire, stories[i].b[j].n, bh_count, &sink, &e) < 0) return 1;
            httpx__hpack_dec_free(&d);
        }
    dt = bh_now() - t0;
    printf("RESULT hpack_decode blocks=%zu bytes=%zu rounds=%zu MB/s=%.1f fields/s=%.0f\n", blocks, wire_bytes, rounds,
           wire_bytes * (double)rounds / dt / 1e6, fields * (double)rounds / dt);
    t0 = bh_now();
    for (r = 0; r < rounds; r++)
        for (i = 0; i < ns; i++) {
            httpx__hpack_enc enc;
            httpx__buf out = {0};
            httpx__hpack_enc_init(&enc, 4096);
            for (j = 0; j < stories[i].n; j++) {
                httpx__buf_clear(&out);
                if (httpx__hpack_encode(&enc, &out, stories[i].b[j].f, stories[i].b[j].nf, &e) != HTTPX_OK) return 1;
                if (r == 0) enc_bytes += out.len;
            }
            httpx__buf_free(&out);
            httpx__hpack_enc_free(&enc);
        }
    dt = bh_now() - t0;
    printf("RESULT hpack_encode fields=%zu out_bytes=%zu (the other encoders wrote %zu) MB/s=%.1f fields/s=%.0f\n",
           fields, enc_bytes, wire_bytes, enc_bytes * (double)rounds / dt / 1e6, fields * (double)rounds / dt);
    {   /* heap of one context with the default table, filled */
        httpx__hpack_dec d;
        httpx__hpack_enc enc;
        httpx__buf out = {0};
        size_t base = bh_live;
        httpx__hpack_dec_init(&d, 4096);
        for (j = 0; j < stories[0].n; j++) httpx__hpack_decode(&d, stories[0].b[j].wire, stories[0].b[j].n, bh_count, &sink, &e);
        printf("RESULT hpack_memory decoder_struct=%zu decoder_heap=%zu", sizeof d, bh_live - base);
        httpx__hpack_dec_free(&d);
        base = bh_live;
        httpx__hpack_enc_init(&enc, 4096);
        for (j = 0; j < stories[0].n; j++) httpx__hpack_encode(&enc, &out, stories[0].b[j].f, stories[0].b[j].nf, &e);
        printf(" encoder_struct=%zu encoder_heap=%zu\n", sizeof enc, bh_live - base - out.cap);
        httpx__hpack_enc_free(&enc);
        httpx__buf_free(&out);
    }
    for (i = 0; i < ns; i++)
        for (j = 0; j < stories[i].n; j++) { free(stories[i].b[j].wire); free(stories[i].b[j].f); httpx__free(stories[i].b[j].text); }
    return sink == 0;
}
