/* inflate (tools/src/inflate.c): the Wuffs and Go deflate suites
   (tests/data/deflate-*, see tests/data/README.md), hand-made invalid streams,
   gzip header fields and members, and, when zlib is installed (the Makefile
   defines HTTPX_TEST_ZLIB), a differential test against zlib's own deflate
   output. Every input is fed whole, a byte at a time and in random pieces. */
#include "test.h"
#include "test_h2_util.h"
#include "../tools/src/inflate_internal.h"
#include <stdlib.h>
#include <dirent.h>
#ifdef HTTPX_TEST_ZLIB
#include <zlib.h>
#endif

#ifndef HTTPX_NO_INFLATE

/* ---- feeding a decoder ---- */

enum { TI_WHOLE = 0, TI_BYTES = 1 };   /* other modes: random pieces, seeded by the mode */

typedef struct ti_result {
    httpx__buf out;
    int step_rc;            /* the last step's return: HTTPX__BAD when the data was refused */
    int finish_rc;          /* httpx__inflate_finish at the end (when no step failed) */
    httpx__err err;
    uint64_t total_in, total_out, ignored;
    size_t fed;             /* input bytes taken */
} ti_result;

/* When set, every piece is fed from the end of a buffer that touches a
   PROT_NONE page, so that reading past a piece crashes. */
static h2t_guard *ti_guard;

static httpx__inflate *ti_new(enum httpx__inflate_wrap wrap) {
    httpx__inflate *z = (httpx__inflate *)malloc(sizeof *z);
    if (z) httpx__inflate_init(z, wrap);
    return z;
}

static void ti_run(enum httpx__inflate_wrap wrap, const void *data, size_t n, int mode, ti_result *r) {
    const unsigned char *p = (const unsigned char *)data;
    httpx__inflate *z = ti_new(wrap);
    uint64_t seed = (uint64_t)mode * 0x9E3779B97F4A7C15u;
    size_t off = 0;
    int rc = HTTPX__AGAIN;
    memset(r, 0, sizeof *r);
    r->finish_rc = HTTPX__BAD;
    if (!z) { r->step_rc = HTTPX__BAD; return; }
    while (off < n || rc == 1) {
        size_t piece = n - off, used, outn;
        const unsigned char *out;
        if (mode == TI_BYTES) piece = piece ? 1 : 0;
        else if (mode != TI_WHOLE && piece) {
            uint64_t x = httpx__splitmix64(&seed);
            /* mostly small pieces, sometimes large ones */
            size_t want = (x & 7) == 0 ? (size_t)(x >> 8) % 70000 + 1 : (size_t)(x >> 8) % 40 + 1;
            if (want < piece) piece = want;
        }
        if (ti_guard) {
            const unsigned char *at;
            if (piece > ti_guard->page) piece = ti_guard->page;
            at = h2t_guard_place(ti_guard, p + off, piece);
            rc = httpx__inflate_step(z, at, piece, &used, &out, &outn, &r->err);
        } else {
            rc = httpx__inflate_step(z, p + off, piece, &used, &out, &outn, &r->err);
        }
        if (rc == HTTPX__BAD) break;
        if (used > piece) { test_fail(__FILE__, __LINE__, "step took %zu of %zu bytes", used, piece); rc = HTTPX__BAD; break; }
        httpx__buf_append(&r->out, out, outn);
        off += used;
        if (rc != 1 && used < piece) {
            /* only a full window may leave input behind, or a completed
               gzip member before the next one */
            if (!(rc == 0 && wrap != HTTPX__INFLATE_RAW)) {
                test_fail(__FILE__, __LINE__, "step left %zu bytes with rc %d", piece - used, rc);
                rc = HTTPX__BAD;
                break;
            }
        }
    }
    r->step_rc = rc;
    r->fed = off;
    if (rc != HTTPX__BAD) r->finish_rc = httpx__inflate_finish(z, &r->err);
    r->total_in = z->total_in;
    r->total_out = z->total_out;
    r->ignored = z->ignored;
    free(z);
}

static void ti_free(ti_result *r) { httpx__buf_free(&r->out); }

static const int ti_modes[] = {TI_WHOLE, TI_BYTES, 2, 3, 4};
#define TI_NMODES (sizeof ti_modes / sizeof ti_modes[0])

/* Decodes `data` in every mode and checks the output is `want`, and that
   the stream is complete (or, `complete` false, that it is cut after the
   whole output, as the Go streams with no final block are). */
static bool ti_expect(const char *name, enum httpx__inflate_wrap wrap, const void *data, size_t n,
                      const void *want, size_t wn, bool complete) {
    size_t m;
    bool ok = true;
    for (m = 0; m < TI_NMODES; m++) {
        ti_result r;
        ti_run(wrap, data, n, ti_modes[m], &r);
        if (r.step_rc == HTTPX__BAD) {
            test_fail(__FILE__, __LINE__, "%s (mode %d): refused: %s", name, ti_modes[m], r.err.msg);
            ok = false;
        } else if (r.out.len != wn || (wn && memcmp(r.out.p, want, wn) != 0)) {
            test_fail(__FILE__, __LINE__, "%s (mode %d): %zu bytes out, expected %zu", name, ti_modes[m], r.out.len, wn);
            ok = false;
        } else if (complete && r.finish_rc != 0) {
            test_fail(__FILE__, __LINE__, "%s (mode %d): not complete: %s", name, ti_modes[m], r.err.msg);
            ok = false;
        } else if (!complete && r.finish_rc == 0) {
            /* a stream with a final block is fine too */
        } else if (!complete && (r.err.code != HTTPX_ERR_DECODING || !strstr(r.err.msg, "truncated"))) {
            test_fail(__FILE__, __LINE__, "%s (mode %d): finish says \"%s\"", name, ti_modes[m], r.err.msg);
            ok = false;
        } else if (r.total_in != n || r.total_out != wn) {
            test_fail(__FILE__, __LINE__, "%s (mode %d): counts %llu in, %llu out", name, ti_modes[m],
                      (unsigned long long)r.total_in, (unsigned long long)r.total_out);
            ok = false;
        }
        ti_free(&r);
        if (!ok) break;
    }
    return ok;
}

/* Expects the data to be refused (or, at the end, found truncated) in every
   mode, with a message containing `what`, and the output before the refusal
   to be a prefix of `good` (when given). */
static void ti_refuse(const char *name, enum httpx__inflate_wrap wrap, const void *data, size_t n,
                      const char *what, const void *good, size_t gn) {
    size_t m;
    for (m = 0; m < TI_NMODES; m++) {
        ti_result r;
        ti_run(wrap, data, n, ti_modes[m], &r);
        if (r.step_rc != HTTPX__BAD && r.finish_rc == 0)
            test_fail(__FILE__, __LINE__, "%s (mode %d): accepted (%zu bytes out)", name, ti_modes[m], r.out.len);
        else if (r.err.code != HTTPX_ERR_DECODING || !strstr(r.err.msg, what))
            test_fail(__FILE__, __LINE__, "%s (mode %d): \"%s\", expected \"%s\"", name, ti_modes[m], r.err.msg, what);
        else if (good && r.out.len && (r.out.len > gn || memcmp(r.out.p, good, r.out.len) != 0))
            test_fail(__FILE__, __LINE__, "%s (mode %d): garbage passed on before the error", name, ti_modes[m]);
        ti_free(&r);
    }
}

static char *ti_file(const char *sub, size_t *n) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", test_data_dir(), sub);
    return test_read_file(path, n);
}

/* ---- the Wuffs files ---- */

TEST(inflate_wuffs_real_streams) {
    static const struct { const char *file, *plain; enum httpx__inflate_wrap wrap; } cases[] = {
        {"romeo.txt.gz", "romeo.txt", HTTPX__INFLATE_GZIP},
        {"romeo.txt.zlib", "romeo.txt", HTTPX__INFLATE_ZLIB},
        {"romeo.txt.deflate", "romeo.txt", HTTPX__INFLATE_RAW},
        {"romeo.txt.fixed-huff.deflate", "romeo.txt", HTTPX__INFLATE_RAW},
        {"midsummer.txt.gz", "midsummer.txt", HTTPX__INFLATE_GZIP},
        {"midsummer.txt.zlib", "midsummer.txt", HTTPX__INFLATE_ZLIB},
        {"pi.txt.gz", "pi.txt", HTTPX__INFLATE_GZIP},
        {"pi.txt.zlib", "pi.txt", HTTPX__INFLATE_ZLIB},
        {"256.bytes.gz", "256.bytes", HTTPX__INFLATE_GZIP},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char f[128], g[128];
        size_t n, pn;
        char *data, *plain;
        snprintf(f, sizeof f, "deflate-wuffs/%s", cases[i].file);
        snprintf(g, sizeof g, "deflate-wuffs/%s", cases[i].plain);
        data = ti_file(f, &n);
        plain = ti_file(g, &pn);
        REQUIRE(data && plain);
        ti_expect(cases[i].file, cases[i].wrap, data, n, plain, pn, true);
        /* Content-Encoding: deflate takes zlib, raw deflate and gzip alike */
        ti_expect(cases[i].file, HTTPX__INFLATE_DEFLATE, data, n, plain, pn, true);
        free(data);
        free(plain);
    }
}

TEST(inflate_wuffs_artificial) {
    static const char *const names[] = {"backref-crosses-blocks", "degenerate-huffman", "distance-32768",
                                        "huffman-primlen-9"};
    size_t i, n, pn;
    char *data, *plain;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        char f[160], g[160];
        snprintf(f, sizeof f, "deflate-wuffs/artificial-deflate/%s.deflate", names[i]);
        snprintf(g, sizeof g, "deflate-wuffs/artificial-deflate/%s.deflate.decompressed", names[i]);
        data = ti_file(f, &n);
        plain = ti_file(g, &pn);
        REQUIRE(data && plain);
        ti_expect(names[i], HTTPX__INFLATE_RAW, data, n, plain, pn, true);
        free(data);
        free(plain);
    }
    data = ti_file("deflate-wuffs/artificial-deflate/distance-code-31.deflate", &n);
    REQUIRE(data);
    ti_refuse("distance-code-31", HTTPX__INFLATE_RAW, data, n, "invalid distance code", NULL, 0);
    free(data);
}

/* ---- the Go files: streams without a final block ---- */

TEST(inflate_go_flate) {
    char dir[512];
    DIR *d;
    struct dirent *ent;
    int count = 0;
    snprintf(dir, sizeof dir, "%s/deflate-go/flate", test_data_dir());
    d = opendir(dir);
    REQUIRE(d);
    while ((ent = readdir(d)) != NULL) {
        char f[300], g[300];
        const char *name = ent->d_name, *dot = strchr(name, '.');
        size_t n, pn;
        char *data, *plain;
        if (name[0] == '.' || (dot && strcmp(dot, ".in") == 0)) continue;
        snprintf(f, sizeof f, "deflate-go/flate/%s", name);
        data = ti_file(f, &n);
        REQUIRE(data);
        if (strncmp(name, "huffman-", 8) == 0) {
            snprintf(g, sizeof g, "deflate-go/flate/%.*s.in", (int)(dot - name), name);
            plain = ti_file(g, &pn);
        } else if (strncmp(name, "null-long-match", 15) == 0) {
            pn = 196605;
            plain = (char *)calloc(1, pn);
        } else {
            REQUIRE(strcmp(name, "partial-block") == 0);
            pn = 12;
            plain = (char *)malloc(13);
            memcpy(plain, "hello, world", 13);
        }
        REQUIRE(plain);
        ti_expect(name, HTTPX__INFLATE_RAW, data, n, plain, pn, false);
        free(data);
        free(plain);
        count++;
    }
    closedir(d);
    CHECK_INT(count, 44);
}

TEST(inflate_go_gzip_issue6550) {
    size_t n;
    char *data = ti_file("deflate-go/gzip/issue6550.gz", &n);
    double t0;
    REQUIRE(data);
    ti_refuse("issue6550", HTTPX__INFLATE_GZIP, data, n, "reserved header flags", NULL, 0);
    data[3] &= 0x1F;
    t0 = httpx__now();
    ti_refuse("issue6550 masked", HTTPX__INFLATE_GZIP, data, n, "too many length or distance symbols", NULL, 0);
    CHECK(httpx__now() - t0 < 10.0);   /* fails at once, never hangs */
    free(data);
}

/* ---- hand-made streams ---- */

/* Writes bits LSB first, as deflate packs them; Huffman codes go MSB first. */
typedef struct ti_bits { unsigned char b[256]; size_t n; unsigned bit; } ti_bits;
static void ti_put(ti_bits *w, unsigned v, unsigned count) {
    while (count--) {
        if (w->bit == 0) w->b[w->n++] = 0;
        w->b[w->n - 1] |= (unsigned char)((v & 1) << w->bit);
        v >>= 1;
        w->bit = (w->bit + 1) & 7;
    }
}
static void ti_code(ti_bits *w, unsigned code, unsigned len) {
    while (len--) ti_put(w, (code >> len) & 1, 1);
}
static void ti_fixed_lit(ti_bits *w, unsigned c) {   /* RFC 1951 3.2.6, literals under 144 */
    ti_code(w, 0x30 + c, 8);
}

TEST(inflate_invalid_streams) {
    static const unsigned char bad_type[] = {0x07};
    static const unsigned char stored_len[] = {0x01, 0x05, 0x00, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o'};
    ti_bits w;
    ti_refuse("block type 3", HTTPX__INFLATE_RAW, bad_type, sizeof bad_type, "invalid block type", NULL, 0);
    ti_refuse("stored length", HTTPX__INFLATE_RAW, stored_len, sizeof stored_len, "stored block length", NULL, 0);

    /* a dynamic block whose code-length code is all 1-bit codes */
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 2, 2);
    ti_put(&w, 0, 5); ti_put(&w, 0, 5); ti_put(&w, 15, 4);
    { int i; for (i = 0; i < 19; i++) ti_put(&w, 1, 3); }
    ti_refuse("over-subscribed code-length code", HTTPX__INFLATE_RAW, w.b, w.n, "over-subscribed code-length code", NULL, 0);

    /* a code-length code of one 2-bit code */
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 2, 2);
    ti_put(&w, 0, 5); ti_put(&w, 0, 5); ti_put(&w, 0, 4);
    ti_put(&w, 0, 3); ti_put(&w, 0, 3); ti_put(&w, 0, 3); ti_put(&w, 2, 3);   /* 16, 17, 18, 0 */
    ti_refuse("incomplete code-length code", HTTPX__INFLATE_RAW, w.b, w.n, "incomplete code-length code", NULL, 0);

    /* literal/length codes: two of 2 bits (incomplete), then three of 1 bit
       (over-subscribed). The code-length code: symbols 1 or 2, and 18, one
       bit each (canonical: the lower symbol is 0, 18 is 1). */
    {
        int over;
        for (over = 0; over < 2; over++) {
            unsigned lensym = over ? 1 : 2;
            int i;
            memset(&w, 0, sizeof w);
            ti_put(&w, 1, 1); ti_put(&w, 2, 2);
            ti_put(&w, 0, 5); ti_put(&w, 0, 5);      /* 257 literal/length codes, 1 distance code */
            ti_put(&w, 14, 4);                        /* 18 code-length lengths: up to symbol 1 */
            for (i = 0; i < 18; i++) {
                static const unsigned char order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
                ti_put(&w, order[i] == 18 || order[i] == lensym ? 1 : 0, 3);
            }
            ti_code(&w, 0, 1);                        /* literal 0: length lensym */
            if (over) { ti_code(&w, 0, 1); }          /* literal 1: 1 */
            ti_code(&w, 1, 1); ti_put(&w, 138 - 11, 7);
            ti_code(&w, 1, 1); ti_put(&w, (over ? 254 : 255) - 138 - 11, 7);
            ti_code(&w, 0, 1);                        /* end of block */
            ti_code(&w, 0, 1);                        /* the distance code */
            ti_refuse(over ? "over-subscribed literal/length code" : "incomplete literal/length code",
                      HTTPX__INFLATE_RAW, w.b, w.n, over ? "over-subscribed literal/length code" : "incomplete literal/length code",
                      NULL, 0);
        }
    }

    /* distance too far back: "a", then a match of 3 at distance 2; and one
       at distance 1 with no output at all */
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 1, 2);
    ti_fixed_lit(&w, 'a');
    ti_code(&w, 1, 7);                    /* length 3 (symbol 257) */
    ti_code(&w, 1, 5);                    /* distance 2 */
    ti_code(&w, 0, 7);                    /* end of block */
    ti_refuse("distance 2 after 1 byte", HTTPX__INFLATE_RAW, w.b, w.n, "distance too far back", "a", 1);
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 1, 2);
    ti_code(&w, 1, 7); ti_code(&w, 0, 5); ti_code(&w, 0, 7);
    ti_refuse("distance 1 at the start", HTTPX__INFLATE_RAW, w.b, w.n, "distance too far back", NULL, 0);

    /* the fixed code's length symbols 286 and 287 (11000110, 11000111) */
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 1, 2);
    ti_fixed_lit(&w, 'a');
    ti_code(&w, 0xC6, 8);
    ti_code(&w, 0, 7);
    ti_refuse("length symbol 286", HTTPX__INFLATE_RAW, w.b, w.n, "invalid literal/length code", "a", 1);

    /* good: the same "a" then a match of 3 at distance 1: "aaaa" */
    memset(&w, 0, sizeof w);
    ti_put(&w, 1, 1); ti_put(&w, 1, 2);
    ti_fixed_lit(&w, 'a');
    ti_code(&w, 1, 7); ti_code(&w, 0, 5); ti_code(&w, 0, 7);
    ti_expect("aaaa", HTTPX__INFLATE_RAW, w.b, w.n, "aaaa", 4, true);
}

static uint32_t ti_crc32(const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

static void ti_le32(httpx__buf *b, uint32_t v) {
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    httpx__buf_append(b, x, 4);
}

/* Every prefix of a stream is either incomplete or refused, and what came
   out is a prefix of the right output; a flipped checksum byte is refused. */
TEST(inflate_truncated_and_checksums) {
    static const struct { const char *file; enum httpx__inflate_wrap wrap; } cases[] = {
        {"deflate-wuffs/romeo.txt.gz", HTTPX__INFLATE_GZIP},
        {"deflate-wuffs/romeo.txt.zlib", HTTPX__INFLATE_ZLIB},
        {"deflate-wuffs/romeo.txt.deflate", HTTPX__INFLATE_RAW},
    };
    size_t pn, i, cut;
    char *plain = ti_file("deflate-wuffs/romeo.txt", &pn);
    REQUIRE(plain);
    for (i = 0; i < 3; i++) {
        size_t n;
        unsigned char *data = (unsigned char *)ti_file(cases[i].file, &n);
        REQUIRE(data);
        for (cut = 0; cut < n; cut++) {
            ti_result r;
            ti_run(cases[i].wrap, data, cut, (int)(cut % 3 == 0 ? TI_WHOLE : cut % 3 == 1 ? TI_BYTES : (int)cut), &r);
            if (r.finish_rc == 0) test_fail(__FILE__, __LINE__, "%s cut at %zu: accepted", cases[i].file, cut);
            else if (r.err.code != HTTPX_ERR_DECODING) test_fail(__FILE__, __LINE__, "%s cut at %zu: %s", cases[i].file, cut, r.err.msg);
            else if (r.out.len > pn || (r.out.len && memcmp(r.out.p, plain, r.out.len) != 0))
                test_fail(__FILE__, __LINE__, "%s cut at %zu: wrong output", cases[i].file, cut);
            ti_free(&r);
        }
        if (cases[i].wrap == HTTPX__INFLATE_GZIP) {
            data[n - 8] ^= 1;
            ti_refuse("gzip CRC", HTTPX__INFLATE_GZIP, data, n, "CRC-32 mismatch", plain, pn);
            data[n - 8] ^= 1;
            data[n - 3] ^= 1;
            ti_refuse("gzip ISIZE", HTTPX__INFLATE_GZIP, data, n, "ISIZE", plain, pn);
            data[n - 3] ^= 1;
        } else if (cases[i].wrap == HTTPX__INFLATE_ZLIB) {
            data[n - 1] ^= 0x80;
            ti_refuse("zlib Adler-32", HTTPX__INFLATE_ZLIB, data, n, "Adler-32 mismatch", plain, pn);
            ti_refuse("zlib Adler-32 via deflate", HTTPX__INFLATE_DEFLATE, data, n, "Adler-32 mismatch", plain, pn);
            data[n - 1] ^= 0x80;
            data[0] = 0x88;   /* a 64 KiB window */
            ti_refuse("zlib window", HTTPX__INFLATE_ZLIB, data, n, "window size", NULL, 0);
        }
        free(data);
    }
    {
        ti_result r;
        ti_run(HTTPX__INFLATE_GZIP, "", 0, TI_WHOLE, &r);
        CHECK(r.finish_rc == HTTPX__BAD);
        CHECK(strstr(r.err.msg, "truncated") != NULL);
        ti_free(&r);
    }
    free(plain);
}

/* gzip members with every header field, two members, trailing bytes. */
TEST(inflate_gzip_members_and_fields) {
    size_t pn, dn, mn, mpn;
    char *plain = ti_file("deflate-wuffs/romeo.txt", &pn);
    char *raw = ti_file("deflate-wuffs/romeo.txt.deflate", &dn);
    char *mid = ti_file("deflate-wuffs/midsummer.txt.gz", &mn);
    char *midplain = ti_file("deflate-wuffs/midsummer.txt", &mpn);
    httpx__buf g = {0}, want = {0};
    static const unsigned char head[] = {0x1F, 0x8B, 8, 4 | 8 | 16 | 2, 1, 2, 3, 4, 0, 3};
    uint32_t hcrc;
    REQUIRE(plain && raw && mid && midplain);
    httpx__buf_append(&g, head, sizeof head);
    httpx__buf_append(&g, "\x05\x00" "AB\x02\x00z", 7);   /* FEXTRA: XLEN 5, one subfield */
    httpx__buf_append(&g, "romeo.txt", 10);                 /* FNAME with its NUL */
    httpx__buf_append(&g, "a comment", 10);                 /* FCOMMENT */
    hcrc = ti_crc32(g.p, g.len);
    httpx__buf_putc(&g, (char)(hcrc & 0xFF));
    httpx__buf_putc(&g, (char)(hcrc >> 8 & 0xFF));
    httpx__buf_append(&g, raw, dn);
    ti_le32(&g, ti_crc32(plain, pn));
    ti_le32(&g, (uint32_t)pn);
    ti_expect("all header fields", HTTPX__INFLATE_GZIP, g.p, g.len, plain, pn, true);

    /* two members, then a third */
    httpx__buf_append(&want, plain, pn);
    httpx__buf_append(&want, midplain, mpn);
    {
        size_t one = g.len;
        httpx__buf_append(&g, mid, mn);
        ti_expect("two members", HTTPX__INFLATE_GZIP, g.p, g.len, want.p, want.len, true);
        {
            httpx__buf first = {0};
            httpx__buf_append(&first, g.p, one);
            httpx__buf_append(&g, first.p, one);
            httpx__buf_free(&first);
        }
        httpx__buf_append(&want, plain, pn);
        ti_expect("three members", HTTPX__INFLATE_GZIP, g.p, g.len, want.p, want.len, true);
        /* bytes after the last member that are not a member: skipped, counted */
        httpx__buf_append(&g, "\0\0\0garbage", 10);
        ti_expect("trailing bytes", HTTPX__INFLATE_GZIP, g.p, g.len, want.p, want.len, true);
        {
            ti_result r;
            ti_run(HTTPX__INFLATE_GZIP, g.p, g.len, 3, &r);
            CHECK_INT(r.ignored, 10);
            ti_free(&r);
        }
        /* a second member cut short is truncated, not ignored */
        g.len -= 10;
        httpx__buf_append(&g, mid, 20);
        ti_refuse("cut second member", HTTPX__INFLATE_GZIP, g.p, g.len, "truncated", want.p, want.len);
        /* a wrong header CRC */
        g.p[10 + 7 + 10 + 10] ^= 1;
        ti_refuse("header CRC", HTTPX__INFLATE_GZIP, g.p, one, "header CRC mismatch", NULL, 0);
    }
    httpx__buf_free(&g);
    httpx__buf_free(&want);
    free(plain);
    free(raw);
    free(mid);
    free(midplain);
}

/* Output larger than the window, fed in pieces: the window slides, matches
   reach back across the slide, and a stored block bigger than the room. */
TEST(inflate_window_slides) {
    size_t n, i;
    char *pi = ti_file("deflate-wuffs/pi.txt", &n);
    httpx__buf s = {0}, want = {0};
    REQUIRE(pi);
    /* a stored block of 65535 bytes, then a fixed block copying 258 bytes
       from 32768 back, twice */
    httpx__buf_append(&s, "\x00\xFF\xFF\x00\x00", 5);
    httpx__buf_append(&s, pi, 65535);
    httpx__buf_append(&want, pi, 65535);
    {
        ti_bits w;
        memset(&w, 0, sizeof w);
        ti_put(&w, 1, 1); ti_put(&w, 1, 2);
        for (i = 0; i < 2; i++) {
            ti_code(&w, 0xC5, 8);                     /* length 258 (symbol 285) */
            ti_code(&w, 29, 5); ti_put(&w, 8191, 13); /* distance 24577 + 8191 = 32768 */
            REQUIRE(httpx__buf_reserve(&want, 258));   /* the source must not move */
            httpx__buf_append(&want, want.p + want.len - 32768, 258);
        }
        ti_code(&w, 0, 7);
        httpx__buf_append(&s, w.b, w.n);
    }
    ti_expect("slides", HTTPX__INFLATE_RAW, s.p, s.len, want.p, want.len, true);
    httpx__buf_free(&s);
    httpx__buf_free(&want);
    free(pi);
}

/* No read past the end of what is given: each piece ends at a guard page. */
TEST(inflate_guard_page) {
    static const struct { const char *file, *plain; enum httpx__inflate_wrap wrap; } cases[] = {
        {"deflate-wuffs/romeo.txt.gz", "deflate-wuffs/romeo.txt", HTTPX__INFLATE_GZIP},
        {"deflate-wuffs/pi.txt.zlib", "deflate-wuffs/pi.txt", HTTPX__INFLATE_ZLIB},
        {"deflate-wuffs/midsummer.txt.gz", "deflate-wuffs/midsummer.txt", HTTPX__INFLATE_DEFLATE},
    };
    h2t_guard g;
    size_t i;
    REQUIRE(h2t_guard_init(&g));
    ti_guard = &g;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n, pn;
        char *data = ti_file(cases[i].file, &n), *plain = ti_file(cases[i].plain, &pn);
        if (!data || !plain) { test_fail(__FILE__, __LINE__, "%s missing", cases[i].file); break; }
        ti_expect(cases[i].file, cases[i].wrap, data, n, plain, pn, true);
        free(data);
        free(plain);
    }
    ti_guard = NULL;
    h2t_guard_free(&g);
}

/* ---- against zlib ---- */
#ifdef HTTPX_TEST_ZLIB

/* Compresses with zlib (windowBits picks raw, zlib or gzip); flushes every
   `flush_every` bytes with Z_SYNC_FLUSH or Z_FULL_FLUSH when nonzero. */
static bool ti_zcompress(const unsigned char *p, size_t n, int level, int strategy, int window_bits, int mem_level,
                         size_t flush_every, httpx__buf *out) {
    z_stream s;
    size_t off = 0;
    unsigned char buf[16384];
    int rc;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, level, Z_DEFLATED, window_bits, mem_level, strategy) != Z_OK) return false;
    do {
        size_t piece = flush_every ? (n - off < flush_every ? n - off : flush_every) : n - off;
        int flush = off + piece == n ? Z_FINISH : (off / flush_every) % 2 ? Z_FULL_FLUSH : Z_SYNC_FLUSH;
        s.next_in = (Bytef *)(p + off);
        s.avail_in = (uInt)piece;
        off += piece;
        do {
            s.next_out = buf;
            s.avail_out = sizeof buf;
            rc = deflate(&s, flush);
            httpx__buf_append(out, buf, sizeof buf - s.avail_out);
        } while (s.avail_out == 0);
    } while (off < n);
    while (rc != Z_STREAM_END) {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        rc = deflate(&s, Z_FINISH);
        httpx__buf_append(out, buf, sizeof buf - s.avail_out);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
    }
    deflateEnd(&s);
    return rc == Z_STREAM_END;
}

/* Inputs: random bytes, a small alphabet, long runs, and real files. */
static void ti_make_input(int kind, uint64_t *seed, httpx__buf *b) {
    size_t n = (size_t)(httpx__splitmix64(seed) % 300000), i;
    static const char words[] = "the quick brown fox jumps over the lazy dog {\"id\": 12, \"name\": \"value\"} ";
    httpx__buf_clear(b);
    for (i = 0; i < n;) {
        uint64_t x = httpx__splitmix64(seed);
        if (kind == 0) { httpx__buf_putc(b, (char)x); i++; }
        else if (kind == 1) { httpx__buf_putc(b, "abcd"[x & 3]); i++; }
        else if (kind == 2) {
            size_t run = (size_t)(x >> 8) % 2000 + 1, k;
            for (k = 0; k < run; k++) httpx__buf_putc(b, (char)(x & 0xFF));
            i += run;
        } else {
            size_t at = (size_t)(x >> 8) % (sizeof words - 20), len = (size_t)(x >> 32) % 20 + 1;
            httpx__buf_append(b, words + at, len);
            if ((x & 15) == 0) httpx__buf_putc(b, (char)(x >> 16));
            i += len;
        }
    }
}

TEST(inflate_differential_zlib) {
    static const int levels[] = {0, 1, 6, 9};
    static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    static const int wraps[] = {-15, 15, 31, -9};
    uint64_t seed = 20261207;
    httpx__buf in = {0}, z = {0};
    int round, fails = 0;
    for (round = 0; round < 48 && fails < 3; round++) {
        int level = levels[round % 4], strategy = strategies[(round / 4) % 5], wb = wraps[round % 4];
        int mem = 1 + (int)(httpx__splitmix64(&seed) % 9);
        size_t flush = round % 3 == 0 ? 1 + (size_t)(httpx__splitmix64(&seed) % 50000) : 0;
        enum httpx__inflate_wrap wrap = wb == 15 ? HTTPX__INFLATE_ZLIB : wb == 31 ? HTTPX__INFLATE_GZIP : HTTPX__INFLATE_RAW;
        char name[96];
        if (round % 6 == 5) {
            /* real data: the library itself */
            size_t hn;
            char *h = test_read_file("httpx.h", &hn);
            REQUIRE(h);
            httpx__buf_clear(&in);
            httpx__buf_append(&in, h, hn);
            free(h);
        } else {
            ti_make_input(round % 4, &seed, &in);
        }
        httpx__buf_clear(&z);
        REQUIRE(ti_zcompress((const unsigned char *)in.p, in.len, level, strategy, wb, mem, flush, &z));
        snprintf(name, sizeof name, "round %d (level %d, strategy %d, window %d, flush %zu, %zu bytes)", round, level,
                 strategy, wb, flush, in.len);
        if (!ti_expect(name, wrap, z.p, z.len, in.p, in.len, true)) fails++;
        if (wb == 15 && !ti_expect(name, HTTPX__INFLATE_DEFLATE, z.p, z.len, in.p, in.len, true)) fails++;
    }
    httpx__buf_free(&in);
    httpx__buf_free(&z);
}

/* What zlib refuses we refuse, and what it accepts we decode the same:
   random mutations of a real stream. */
TEST(inflate_mutations_agree_with_zlib) {
    size_t n, i;
    char *data = ti_file("deflate-wuffs/midsummer.txt.zlib", &n);
    uint64_t seed = 99;
    unsigned char *m;
    int disagree = 0;
    REQUIRE(data);
    m = (unsigned char *)malloc(n);
    for (i = 0; i < 2000 && disagree < 3; i++) {
        z_stream s;
        unsigned char out[65536];
        int zrc, k;
        ti_result r;
        memcpy(m, data, n);
        for (k = 0; k < 1 + (int)(i % 4); k++) {
            uint64_t x = httpx__splitmix64(&seed);
            m[(x >> 8) % n] ^= (unsigned char)(1u << (x & 7));
        }
        memset(&s, 0, sizeof s);
        inflateInit(&s);
        s.next_in = m;
        s.avail_in = (uInt)n;
        s.next_out = out;
        s.avail_out = sizeof out;
        zrc = inflate(&s, Z_FINISH);
        ti_run(HTTPX__INFLATE_ZLIB, m, n, (int)i % 5, &r);
        if ((zrc == Z_STREAM_END) != (r.step_rc != HTTPX__BAD && r.finish_rc == 0)) {
            test_fail(__FILE__, __LINE__, "mutation %zu: zlib %d (%s), ours \"%s\"", i, zrc, s.msg ? s.msg : "",
                      r.err.msg);
            disagree++;
        } else if (zrc == Z_STREAM_END && (r.out.len != s.total_out || memcmp(r.out.p, out, r.out.len) != 0)) {
            test_fail(__FILE__, __LINE__, "mutation %zu: different output", i);
            disagree++;
        }
        inflateEnd(&s);
        ti_free(&r);
    }
    free(m);
    free(data);
}
#endif /* HTTPX_TEST_ZLIB */

#endif /* HTTPX_NO_INFLATE */

/* ---- Content-Encoding layers and the bomb limits ---- */
#ifndef HTTPX_NO_INFLATE

static int ti_sink(void *ctx, const unsigned char *p, size_t n) {
    return httpx__buf_append((httpx__buf *)ctx, p, n) ? 0 : 1;
}

/* Feeds in pieces of `piece` bytes; returns what the feed or finish said. */
static int ti_cdec(const char *ce, const void *data, size_t n, size_t piece, uint64_t max_out, unsigned ratio,
                   httpx__buf *out, httpx__err *e) {
    httpx__cdec d;
    size_t off = 0;
    int rc = httpx__cdec_init(&d, ce, strlen(ce), max_out, ratio, e);
    if (rc < 0) return rc;
    while (off < n) {
        size_t k = n - off < piece ? n - off : piece;
        if (httpx__cdec_feed(&d, (const char *)data + off, k, ti_sink, out, e) != 0) { httpx__cdec_free(&d); return HTTPX__BAD; }
        off += k;
    }
    rc = httpx__cdec_finish(&d, e);
    httpx__cdec_free(&d);
    return rc;
}

TEST(inflate_content_encoding_layers) {
    size_t pn, gn, zn;
    char *plain = ti_file("deflate-wuffs/midsummer.txt", &pn);
    char *gz = ti_file("deflate-wuffs/midsummer.txt.gz", &gn);
    char *zl = ti_file("deflate-wuffs/midsummer.txt.zlib", &zn);
    httpx__buf out = {0};
    httpx__err e;
    httpx__cdec d;
    REQUIRE(plain && gz && zl);
    CHECK_INT(ti_cdec("gzip", gz, gn, 7, 0, 0, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec(" X-GZIP ,identity", gz, gn, 1000, 0, 0, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec("deflate", zl, zn, 1, 0, 0, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    CHECK_INT(httpx__cdec_init(&d, "identity", 8, 0, 0, &e), 0);
    CHECK_INT(httpx__cdec_init(&d, "", 0, 0, 0, &e), 0);
    CHECK_INT(httpx__cdec_init(&d, "compress", 8, 0, 0, &e), HTTPX__BAD);
    CHECK(strstr(e.msg, "unknown coding \"compress\"") != NULL);
    CHECK_INT(httpx__cdec_init(&d, "gzip,gzip,gzip,gzip,gzip,gzip", 29, 0, 0, &e), HTTPX__BAD);
    CHECK(strstr(e.msg, "layers") != NULL);
#ifdef HTTPX_TEST_ZLIB
    {
        /* "deflate, gzip": deflate applied first, so gzip is undone first */
        httpx__buf inner = {0}, outer = {0};
        REQUIRE(ti_zcompress((const unsigned char *)plain, pn, 6, Z_DEFAULT_STRATEGY, 15, 8, 0, &inner));
        REQUIRE(ti_zcompress((const unsigned char *)inner.p, inner.len, 1, Z_DEFAULT_STRATEGY, 31, 8, 0, &outer));
        httpx__buf_clear(&out);
        CHECK_INT(ti_cdec("deflate, gzip", outer.p, outer.len, 333, 0, 0, &out, &e), 0);
        CHECK_MEM(out.p, out.len, plain, pn);
        httpx__buf_clear(&out);
        CHECK_INT(ti_cdec("gzip, deflate", outer.p, outer.len, 333, 0, 0, &out, &e), HTTPX__BAD);
        CHECK_INT(e.code, HTTPX_ERR_DECODING);
        httpx__buf_free(&inner);
        httpx__buf_free(&outer);
    }
#endif
    /* truncated: the finish says so */
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec("gzip", gz, gn - 1, 100, 0, 0, &out, &e), HTTPX__BAD);
    CHECK(strstr(e.msg, "truncated") != NULL);
    httpx__buf_free(&out);
    free(plain);
    free(gz);
    free(zl);
}

/* Pulled in reads of `cap` bytes, the input given `piece` bytes at a time. */
static int ti_cdec_pull(const char *ce, const void *data, size_t n, size_t piece, size_t cap, httpx__buf *out,
                        httpx__err *e) {
    httpx__cdec d;
    size_t off = 0;
    char buf[64];
    int rc = httpx__cdec_init(&d, ce, strlen(ce), 0, 0, e);
    if (rc < 0) return rc;
    if (cap > sizeof buf) cap = sizeof buf;
    for (;;) {
        long k = httpx__cdec_pull(&d, buf, cap, e);
        if (k == HTTPX__BAD) { httpx__cdec_free(&d); return HTTPX__BAD; }
        if (k > 0) { httpx__buf_append(out, buf, (size_t)k); continue; }
        if (off == n) break;
        k = (long)(n - off < piece ? n - off : piece);
        httpx__cdec_input(&d, (const char *)data + off, (size_t)k);
        off += (size_t)k;
    }
    rc = httpx__cdec_finish(&d, e);
    httpx__cdec_free(&d);
    return rc;
}

/* The pulled face gives the same bytes whatever the sizes of the input
   pieces and of the reads, across layers too. */
TEST(inflate_content_encoding_pull) {
    size_t pn, gn, zn;
    char *plain = ti_file("deflate-wuffs/midsummer.txt", &pn);
    char *gz = ti_file("deflate-wuffs/midsummer.txt.gz", &gn);
    char *zl = ti_file("deflate-wuffs/midsummer.txt.zlib", &zn);
    httpx__buf out = {0};
    httpx__err e;
    REQUIRE(plain && gz && zl);
    CHECK_INT(ti_cdec_pull("gzip", gz, gn, 1, 1, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec_pull("deflate", zl, zn, 5000, 7, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec_pull("identity", plain, pn, 100, 64, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec_pull("gzip", gz, gn - 3, 17, 64, &out, &e), HTTPX__BAD);
    CHECK(strstr(e.msg, "truncated") != NULL);
#ifdef HTTPX_TEST_ZLIB
    {
        httpx__buf inner = {0}, outer = {0};
        REQUIRE(ti_zcompress((const unsigned char *)plain, pn, 6, Z_DEFAULT_STRATEGY, -15, 8, 0, &inner));
        REQUIRE(ti_zcompress((const unsigned char *)inner.p, inner.len, 1, Z_DEFAULT_STRATEGY, 31, 8, 0, &outer));
        httpx__buf_clear(&out);
        CHECK_INT(ti_cdec_pull("deflate, gzip", outer.p, outer.len, 3, 13, &out, &e), 0);
        CHECK_MEM(out.p, out.len, plain, pn);
        httpx__buf_free(&inner);
        httpx__buf_free(&outer);
    }
#endif
    httpx__buf_free(&out);
    free(plain);
    free(gz);
    free(zl);
}

/* A gzip header's file name or comment has no length: an endless one is
   cut at HTTPX__INFLATE_GZIP_TEXT_MAX, a long-but-ending one passes. */
TEST(inflate_gzip_header_text_capped) {
    size_t gn, pn, i;
    char *gz = ti_file("deflate-wuffs/midsummer.txt.gz", &gn);
    char *plain = ti_file("deflate-wuffs/midsummer.txt", &pn);
    httpx__buf in = {0}, out = {0};
    httpx__err e;
    int flag;
    REQUIRE(gz && plain && gn > 10);
    for (flag = 8; flag <= 16; flag += 8) {
        /* a bare 10-byte header with FNAME or FCOMMENT set, then the text */
        unsigned char head[10];
        memcpy(head, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
        head[3] = (unsigned char)flag;
        httpx__buf_clear(&in);
        httpx__buf_append(&in, head, 10);
        for (i = 0; i < HTTPX__INFLATE_GZIP_TEXT_MAX + 100; i++) httpx__buf_putc(&in, 'a');
        httpx__buf_clear(&out);
        CHECK_INT(ti_cdec("gzip", in.p, in.len, 4096, 0, 0, &out, &e), HTTPX__BAD);
        CHECK_INT(e.code, HTTPX_ERR_DECODING);
        CHECK(strstr(e.msg, flag == 8 ? "file name too long" : "comment too long") != NULL);
        CHECK_INT(out.len, 0);
    }
    /* 60000 bytes of name, ended, then the original member's deflate data */
    REQUIRE((gz[3] & 0x1E) == 0 || (gz[3] & 0x1E) == 8);
    httpx__buf_clear(&in);
    httpx__buf_append(&in, gz, 10);
    in.p[3] = 8;
    for (i = 0; i < 60000; i++) httpx__buf_putc(&in, 'n');
    httpx__buf_putc(&in, 0);
    if (gz[3] & 8) {   /* skip the original name */
        size_t at = 10;
        while (at < gn && gz[at]) at++;
        httpx__buf_append(&in, gz + at + 1, gn - at - 1);
    } else {
        httpx__buf_append(&in, gz + 10, gn - 10);
    }
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec("gzip", in.p, in.len, 777, 0, 0, &out, &e), 0);
    CHECK_MEM(out.p, out.len, plain, pn);
    httpx__buf_free(&in);
    httpx__buf_free(&out);
    free(gz);
    free(plain);
}

/* 64 MiB of zeros in a small gzip stream: a cap on the output, and a cap on
   the ratio, each stop it early with HTTPX_ERR_DECODING. */
TEST(inflate_bomb_limits) {
    httpx__buf bomb = {0}, out = {0};
    httpx__err e;
    ti_bits w;
    size_t i;
    /* gzip header, then one fixed block: a zero, then 258-byte matches at
       distance 1, 13 bits each (written 8 matches = 13 bytes at a time) */
    unsigned char eight[13];
    httpx__buf_append(&bomb, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    memset(&w, 0, sizeof w);
    ti_put(&w, 0, 1); ti_put(&w, 1, 2);
    ti_fixed_lit(&w, 0);
    for (i = 0; w.bit != 0; i++) { ti_code(&w, 0xC5, 8); ti_code(&w, 0, 5); }   /* up to a byte boundary */
    httpx__buf_append(&bomb, w.b, w.n);
    memset(&w, 0, sizeof w);
    for (i = 0; i < 8; i++) { ti_code(&w, 0xC5, 8); ti_code(&w, 0, 5); }
    REQUIRE(w.n == 13 && w.bit == 0);
    memcpy(eight, w.b, 13);
    while (bomb.len < 300000) httpx__buf_append(&bomb, eight, 13);
    CHECK_INT(ti_cdec("gzip", bomb.p, bomb.len, 4096, 10u << 20, 0, &out, &e), HTTPX__BAD);
    if (!strstr(e.msg, "over the limit of 10485760 bytes")) test_fail(__FILE__, __LINE__, "%s", e.msg);
    CHECK(out.len <= (10u << 20));
    httpx__buf_clear(&out);
    CHECK_INT(ti_cdec("gzip", bomb.p, bomb.len, 4096, 0, 100, &out, &e), HTTPX__BAD);
    if (!strstr(e.msg, "times larger")) test_fail(__FILE__, __LINE__, "%s", e.msg);
    CHECK(out.len < (8u << 20));
    httpx__buf_free(&bomb);
    httpx__buf_free(&out);
}
#endif
