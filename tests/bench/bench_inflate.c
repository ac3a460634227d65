/* bench_inflate: the built-in inflater against zlib's inflate on the same
   bodies, as an HTTP client meets them: input in 16 KiB pieces (network
   reads), output taken 32 KiB at a time.

     make bench-inflate      (or: cc -std=c99 -O2 -Itools/src tests/bench/bench_inflate.c -lz)

   Bodies (8 MiB each, made here so that the run needs no files): English-like
   text, JSON records, and binary-ish data (this program's own executable,
   repeated, with a little noise so zlib cannot just find the repeats), all
   compressed by zlib at level 6 in the zlib format. Each body is decoded
   BENCH_INFLATE_REPEATS times (default 15) by each side, alternating; the
   output is checked against the original once, and the table shows medians
   in MB/s of decompressed output, and the ratio ours / zlib. zlib's one-shot
   uncompress() into a buffer of the whole size is shown too, for reference
   (a client that streams cannot do that). BENCH_STRICT=1: exit 1 when a
   ratio against streamed zlib is under 1.2. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#define HTTPX_IMPLEMENTATION
#define HTTPX__PRIVATE static __attribute__((unused))
#include "../../httpx.h"

#define BI_SIZE (8u << 20)
#define BI_PIECE 16384u

static double bi_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t bi_seed = 12345;
static uint64_t bi_rand(void) { return httpx__splitmix64(&bi_seed); }

static const char *const bi_words[] = {
    "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are", "with", "as", "his",
    "they", "be", "at", "one", "have", "this", "from", "or", "had", "by", "word", "but", "what", "some", "we",
    "can", "out", "other", "were", "all", "there", "when", "up", "use", "your", "how", "said", "an", "each",
    "which", "she", "do", "their", "time", "if", "will", "way", "about", "many", "then", "them", "write",
    "would", "like", "so", "these", "her", "long", "make", "thing", "see", "him", "two", "has", "look",
    "more", "day", "could", "go", "come", "did", "number", "sound", "most", "people", "over", "know",
    "water", "than", "call", "first", "who", "may", "down", "side", "been", "now", "find", "connection",
    "request", "response", "library", "decoder", "window", "header", "compression", "streaming"};
#define BI_NWORDS (sizeof bi_words / sizeof bi_words[0])

/* A word, the common ones far more often (roughly Zipf). */
static const char *bi_word(void) {
    uint64_t x = bi_rand();
    size_t i = (size_t)((x % 1000) * (x % 1000) / 1000 * BI_NWORDS / 1000);
    return bi_words[i];
}

static void bi_text(unsigned char *b, size_t n) {
    size_t i = 0;
    while (i < n) {
        const char *w = bi_word();
        size_t k = strlen(w);
        uint64_t x = bi_rand();
        if (i + k + 2 > n) { memset(b + i, ' ', n - i); break; }
        memcpy(b + i, w, k);
        i += k;
        b[i++] = (x & 15) == 0 ? '.' : (x & 31) == 1 ? ',' : ' ';
        if ((x & 255) == 2) b[i - 1] = '\n';
    }
}

static void bi_json(unsigned char *b, size_t n) {
    size_t i = 0;
    unsigned id = 1000;
    char rec[512];
    while (i < n) {
        uint64_t x = bi_rand();
        int k = snprintf(rec, sizeof rec,
                         "{\"id\": %u, \"name\": \"%s %s\", \"email\": \"%s%u@example.com\", \"active\": %s, "
                         "\"score\": %.3f, \"tags\": [\"%s\", \"%s\"], \"created\": \"2026-%02u-%02uT%02u:%02u:%02uZ\"},\n",
                         id++, bi_word(), bi_word(), bi_word(), (unsigned)(x % 997), (x & 1) ? "true" : "false",
                         (double)(x % 100000) / 7.0, bi_word(), bi_word(), (unsigned)(x >> 8) % 12 + 1,
                         (unsigned)(x >> 12) % 28 + 1, (unsigned)(x >> 20) % 24, (unsigned)(x >> 28) % 60,
                         (unsigned)(x >> 36) % 60);
        if (i + (size_t)k > n) { memset(b + i, ' ', n - i); break; }
        memcpy(b + i, rec, (size_t)k);
        i += (size_t)k;
    }
}

static void bi_binary(unsigned char *b, size_t n) {
    FILE *f = fopen("/proc/self/exe", "rb");
    size_t i = 0, got = 0;
    if (f) {
        got = fread(b, 1, n, f);
        fclose(f);
    }
    if (got == 0) {   /* no executable to read: small numbers and floats */
        for (i = 0; i + 8 <= n; i += 8) {
            uint64_t x = bi_rand();
            float v = (float)(x % 1000) / 10.0f;
            memcpy(b + i, &v, 4);
            memset(b + i + 4, (int)(x >> 32) & 3, 4);
        }
        got = i;
    }
    for (i = got; i < n; i++) b[i] = b[i - got];
    for (i = 0; i < n / 64; i++) b[bi_rand() % n] ^= (unsigned char)bi_rand();
}

static unsigned bi_sink;

static double bi_ours(const unsigned char *z, size_t zn, httpx__inflate *st, unsigned char *check) {
    double t0 = bi_now();
    size_t off = 0, total = 0;
    int rc = HTTPX__AGAIN;
    httpx__err e;
    httpx__inflate_init(st, HTTPX__INFLATE_ZLIB);
    while (off < zn || rc == 1) {
        size_t piece = zn - off < BI_PIECE ? zn - off : BI_PIECE, used, on;
        const unsigned char *out;
        rc = httpx__inflate_step(st, z + off, piece, &used, &out, &on, &e);
        if (rc == HTTPX__BAD) { fprintf(stderr, "ours: %s\n", e.msg); exit(1); }
        if (check) memcpy(check + total, out, on);
        if (on) bi_sink += out[on - 1];
        total += on;
        off += used;
    }
    if (httpx__inflate_finish(st, &e) != 0 || total != BI_SIZE) { fprintf(stderr, "ours: %s\n", e.msg); exit(1); }
    return bi_now() - t0;
}

static double bi_zlib(const unsigned char *z, size_t zn, unsigned char *check) {
    double t0 = bi_now();
    z_stream s;
    unsigned char out[32768];
    size_t off = 0, total = 0;
    int rc = Z_OK;
    memset(&s, 0, sizeof s);
    inflateInit(&s);
    while (rc != Z_STREAM_END) {
        size_t piece = zn - off < BI_PIECE ? zn - off : BI_PIECE;
        s.next_in = (Bytef *)(z + off);
        s.avail_in = (uInt)piece;
        do {
            s.next_out = out;
            s.avail_out = sizeof out;
            rc = inflate(&s, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END) { fprintf(stderr, "zlib: %d\n", rc); exit(1); }
            if (check) memcpy(check + total, out, sizeof out - s.avail_out);
            if (s.avail_out < sizeof out) bi_sink += out[sizeof out - s.avail_out - 1];
            total += sizeof out - s.avail_out;
        } while (s.avail_out == 0);
        off = (size_t)s.total_in;
    }
    inflateEnd(&s);
    if (total != BI_SIZE) { fprintf(stderr, "zlib: %zu bytes\n", total); exit(1); }
    return bi_now() - t0;
}

static double bi_zlib_oneshot(const unsigned char *z, size_t zn, unsigned char *out) {
    double t0 = bi_now();
    uLongf n = BI_SIZE;
    if (uncompress(out, &n, z, (uLong)zn) != Z_OK || n != BI_SIZE) { fprintf(stderr, "uncompress failed\n"); exit(1); }
    bi_sink += out[n - 1];
    return bi_now() - t0;
}

static int bi_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double bi_median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, bi_cmp);
    return v[n / 2];
}

int main(void) {
    static const char *const names[] = {"text", "json", "binary"};
    const char *env = getenv("BENCH_INFLATE_REPEATS");
    int repeats = env ? atoi(env) : 15, k, r, weak = 0;
    unsigned char *plain = (unsigned char *)malloc(BI_SIZE), *check = (unsigned char *)malloc(BI_SIZE);
    httpx__inflate *st = (httpx__inflate *)malloc(sizeof *st);
    double *t_ours, *t_zlib, *t_one;
    if (repeats < 1) repeats = 1;
    t_ours = (double *)malloc(sizeof(double) * (size_t)repeats);
    t_zlib = (double *)malloc(sizeof(double) * (size_t)repeats);
    t_one = (double *)malloc(sizeof(double) * (size_t)repeats);
    if (!plain || !check || !st || !t_ours || !t_zlib || !t_one) return 1;
    printf("inflate: %u MiB bodies, zlib -6 (zlib %s), input in %u-byte pieces, medians of %d runs\n",
           BI_SIZE >> 20, zlibVersion(), BI_PIECE, repeats);
    printf("%-8s %9s %12s %12s %12s %8s %8s\n", "body", "ratio", "ours MB/s", "zlib MB/s", "zlib 1-shot", "x zlib",
           "x 1-shot");
    for (k = 0; k < 3; k++) {
        uLongf zn = compressBound(BI_SIZE);
        unsigned char *z = (unsigned char *)malloc(zn);
        double mo, mz, m1;
        if (!z) return 1;
        if (k == 0) bi_text(plain, BI_SIZE);
        else if (k == 1) bi_json(plain, BI_SIZE);
        else bi_binary(plain, BI_SIZE);
        if (compress2(z, &zn, plain, BI_SIZE, 6) != Z_OK) return 1;
        bi_ours(z, zn, st, check);
        if (memcmp(check, plain, BI_SIZE) != 0) { fprintf(stderr, "%s: ours differs\n", names[k]); return 1; }
        bi_zlib(z, zn, check);
        if (memcmp(check, plain, BI_SIZE) != 0) { fprintf(stderr, "%s: zlib differs\n", names[k]); return 1; }
        for (r = 0; r < repeats; r++) {
            t_ours[r] = bi_ours(z, zn, st, NULL);
            t_zlib[r] = bi_zlib(z, zn, NULL);
            t_one[r] = bi_zlib_oneshot(z, zn, check);
        }
        mo = BI_SIZE / 1e6 / bi_median(t_ours, repeats);
        mz = BI_SIZE / 1e6 / bi_median(t_zlib, repeats);
        m1 = BI_SIZE / 1e6 / bi_median(t_one, repeats);
        printf("%-8s %8.2fx %12.0f %12.0f %12.0f %7.2fx %7.2fx\n", names[k], (double)BI_SIZE / zn, mo, mz, m1,
               mo / mz, mo / m1);
        printf("RESULT inflate %s ours_mbps=%.0f zlib_mbps=%.0f zlib_oneshot_mbps=%.0f ratio=%.2f\n", names[k], mo, mz,
               m1, mo / mz);
        if (mo / mz < 1.2) weak = 1;
        free(z);
    }
    printf("target: at least 1.2x zlib's streamed inflate%s\n", weak ? " -- MISSED on some body" : ": met");
    free(plain);
    free(check);
    free(st);
    free(t_ours);
    free(t_zlib);
    free(t_one);
    env = getenv("BENCH_STRICT");
    return (bi_sink == 1 && 0) || (weak && env && atoi(env)) ? 1 : 0;
}
