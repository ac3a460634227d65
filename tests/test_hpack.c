/* HPACK (RFC 7541): decoder and encoder, against the hpack-test-case stories
   (tests/data/hpack/, see its README) and the RFC 7541 Appendix C vectors;
   hostile blocks before a guard page; a seeded mutation loop. */
#include "test.h"
#include "test_h2_util.h"
#include <stdlib.h>

/* ---- collecting decoded fields ---- */

typedef struct ht_fields {
    httpx__buf text;            /* "name\0value\0" ... */
    size_t count;
    int stop_after;             /* > 0: return nonzero at that field */
} ht_fields;

static int ht_collect(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen) {
    ht_fields *f = (ht_fields *)ctx;
    httpx__buf_append(&f->text, name, nlen);
    httpx__buf_putc(&f->text, 0);
    httpx__buf_append(&f->text, value, vlen);
    httpx__buf_putc(&f->text, 0);
    f->count++;
    return f->stop_after && (int)f->count >= f->stop_after;
}

/* Compares collected fields with a story's [{name: value}, ...]; returns
   false (and says why) on the first difference. */
static bool ht_same(const ht_fields *got, const h2j *want, const char *where) {
    size_t i, off = 0;
    if (!want || want->type != H2J_ARR) { test_fail(__FILE__, __LINE__, "%s: no headers", where); return false; }
    if (got->count != want->len) {
        test_fail(__FILE__, __LINE__, "%s: %zu fields, expected %zu", where, got->count, want->len);
        return false;
    }
    for (i = 0; i < want->len; i++) {
        const h2j *kv = &want->items[i];
        const char *name = got->text.p + off, *value;
        size_t nlen = strlen(name), vlen;
        value = name + nlen + 1;
        vlen = strlen(value);
        off += nlen + vlen + 2;
        if (kv->type != H2J_OBJ || kv->len != 1 || strcmp(kv->keys[0], name) != 0 ||
            kv->items[0].len != vlen || memcmp(kv->items[0].str, value, vlen) != 0) {
            test_fail(__FILE__, __LINE__, "%s: field %zu is \"%s: %s\", expected \"%s: %s\"", where, i, name, value,
                      kv->type == H2J_OBJ && kv->len ? kv->keys[0] : "?",
                      kv->type == H2J_OBJ && kv->len ? kv->items[0].str : "?");
            return false;
        }
    }
    return true;
}

/* The fields of a story case as encoder input. */
static httpx__hpack_field *ht_fields_of(const h2j *headers, size_t *n) {
    httpx__hpack_field *f = (httpx__hpack_field *)calloc(headers->len + 1, sizeof *f);
    size_t i;
    for (i = 0; i < headers->len; i++) {
        const h2j *kv = &headers->items[i];
        f[i].name = kv->keys[0];
        f[i].nlen = strlen(kv->keys[0]);
        f[i].value = kv->items[0].str;
        f[i].vlen = kv->items[0].len;
    }
    *n = headers->len;
    return f;
}

static const char *const ht_encoders[] = {
    "nghttp2", "nghttp2-change-table-size", "nghttp2-16384-4096", "python-hpack", "go-hpack",
    "haskell-http2-linear", "rfc7541-appendix-c",
};

/* Checks the decoder's dynamic table against an RFC case's dynamic_table
   (newest first) and table_size. */
static void ht_check_table(const httpx__hpack_table *t, const h2j *c, const char *where) {
    const h2j *dt = h2j_get(c, "dynamic_table"), *ts = h2j_get(c, "table_size");
    size_t i;
    if (!dt || !ts) return;
    CHECK_INT(t->size, (long long)ts->num);
    if (t->count != dt->len) { test_fail(__FILE__, __LINE__, "%s: %zu entries, expected %zu", where, t->count, dt->len); return; }
    for (i = 0; i < dt->len; i++) {
        httpx__str name, value;
        const h2j *row = &dt->items[i];
        REQUIRE(httpx__hpack_table_get(t, i, &name, &value));
        if (name.n != row->items[0].len || memcmp(name.p, row->items[0].str, name.n) != 0 ||
            value.n != row->items[1].len || memcmp(value.p, row->items[1].str, value.n) != 0 ||
            (double)(name.n + value.n + 32) != row->items[2].num)
            test_fail(__FILE__, __LINE__, "%s: table entry %zu is \"%.*s: %.*s\", expected \"%s: %s\"", where, i,
                      (int)name.n, name.p, (int)value.n, value.p, row->items[0].str, row->items[1].str);
    }
}

/* Decodes every story of every encoder (one context per story) and returns
   the number of blocks decoded; each block is placed right before a guard
   page. */
static size_t ht_decode_all(h2t_guard *g, size_t *bytes, bool check) {
    size_t e_i, blocks = 0;
    for (e_i = 0; e_i < sizeof ht_encoders / sizeof ht_encoders[0]; e_i++) {
        char dirbuf[300], sub[64], **names;
        size_t nfiles, f_i;
        snprintf(sub, sizeof sub, "hpack/%s", ht_encoders[e_i]);
        nfiles = h2t_list_json(h2t_suite_dir(sub, dirbuf, sizeof dirbuf), &names);
        if (check) CHECK(nfiles >= 5);
        for (f_i = 0; f_i < nfiles; f_i++) {
            char rel[200];
            h2j *story;
            const h2j *cases, *hts0;
            httpx__hpack_dec d;
            size_t c_i;
            if (strncmp(names[f_i], "c1_", 3) == 0) continue;    /* integers, not a story */
            snprintf(rel, sizeof rel, "hpack/%s/%s", ht_encoders[e_i], names[f_i]);
            story = h2j_load(rel);
            cases = h2j_get(story, "cases");
            if (!cases) { test_fail(__FILE__, __LINE__, "cannot read %s", rel); h2j_free(story); continue; }
            /* A size given with the first block is where both sides start,
               as RFC 7541 C.5/C.6 assume (their first block has no size
               update; a later decrease must come with one, RFC 7541 4.2) */
            hts0 = cases->len ? h2j_get(&cases->items[0], "header_table_size") : NULL;
            httpx__hpack_dec_init(&d, hts0 && hts0->type == H2J_NUM && hts0->num < HTTPX__HPACK_TABLE_DEFAULT ?
                                  (size_t)hts0->num : HTTPX__HPACK_TABLE_DEFAULT);
            for (c_i = 0; c_i < cases->len; c_i++) {
                const h2j *c = &cases->items[c_i], *hts = h2j_get(c, "header_table_size");
                size_t n;
                unsigned char *wire = h2t_unhex(h2j_get(c, "wire")->str, &n);
                ht_fields got;
                httpx__err e;
                char where[300];
                int rc;
                memset(&got, 0, sizeof got);
                memset(&e, 0, sizeof e);
                snprintf(where, sizeof where, "%s case %zu", rel, c_i);
                if (hts && hts->type == H2J_NUM) httpx__hpack_dec_set_max(&d, (size_t)hts->num);
                rc = httpx__hpack_decode(&d, h2t_guard_place(g, wire, n), n, ht_collect, &got, &e);
                if (check) {
                    if (rc < 0) test_fail(__FILE__, __LINE__, "%s: %s", where, e.msg);
                    else if (ht_same(&got, h2j_get(c, "headers"), where)) ht_check_table(&d.t, c, where);
                    CHECK_INT(rc, got.count);
                }
                *bytes += n;
                blocks++;
                free(wire);
                httpx__buf_free(&got.text);
            }
            httpx__hpack_dec_free(&d);
            h2j_free(story);
        }
        h2t_free_list(names, nfiles);
    }
    return blocks;
}

TEST(hpack_stories_decode) {
    h2t_guard g;
    size_t bytes = 0, blocks;
    REQUIRE(h2t_guard_init(&g));
    blocks = ht_decode_all(&g, &bytes, true);
    CHECK_INT(blocks, 990 + 16);     /* 6 encoders x 5 stories, and RFC 7541 C.2-C.6 */
    h2t_guard_free(&g);
}

TEST(hpack_c1_integers) {
    h2j *root = h2j_load("hpack/rfc7541-appendix-c/c1_integers.json");
    const h2j *cases = h2j_get(root, "cases");
    size_t i;
    REQUIRE(cases && cases->len == 3);
    for (i = 0; i < cases->len; i++) {
        const h2j *c = &cases->items[i];
        uint32_t value = (uint32_t)h2j_get(c, "value")->num, got = 0;
        int prefix = (int)h2j_get(c, "prefix_bits")->num;
        size_t n;
        unsigned char *wire = h2t_unhex(h2j_get(c, "wire")->str, &n);
        const uint8_t *p = wire;
        httpx__buf b = {0};
        CHECK(httpx__hpack_put_int(&b, 0, prefix, value));
        CHECK_MEM(b.p, b.len, wire, n);
        CHECK_INT(httpx__hpack_get_int(&p, wire + n, prefix, &got), 0);
        CHECK_INT(got, value);
        CHECK(p == wire + n);
        httpx__buf_free(&b);
        free(wire);
    }
    h2j_free(root);
}

TEST(hpack_integer_limits) {
    static const struct { const char *hex; int prefix; int rc; uint32_t v; } t[] = {
        {"1f", 5, HTTPX__AGAIN, 0},                 /* continuation missing */
        {"1f9a", 5, HTTPX__AGAIN, 0},               /* ends inside it */
        {"1e", 5, 0, 30},
        {"1f00", 5, 0, 31},
        {"ff80808080808000", 7, HTTPX__BAD, 0},     /* zero padding beyond 5 bytes */
        {"ff80ffffff07", 7, 0, 0x7fffffffu},        /* the largest accepted: 127 + 0x7fffff80 */
        {"ff81ffffff07", 7, HTTPX__BAD, 0},         /* 2^31 */
        {"ffffffffff0f", 7, HTTPX__BAD, 0},         /* over 32 bits */
        {"", 7, HTTPX__AGAIN, 0},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n = 0;
        unsigned char *b = h2t_unhex(t[i].hex, &n);
        const uint8_t *p = b;
        uint32_t v = 0;
        int rc = httpx__hpack_get_int(&p, b + n, t[i].prefix, &v);
        if (rc != t[i].rc) test_fail(__FILE__, __LINE__, "%s: rc %d, expected %d", t[i].hex, rc, t[i].rc);
        if (rc == 0) { CHECK_INT(v, t[i].v); CHECK(p == b + n); }
        free(b);
    }
    {   /* the encoder's side of the largest value */
        httpx__buf b = {0};
        CHECK(httpx__hpack_put_int(&b, 0x80, 7, 0x7fffffffu));
        CHECK_MEM(b.p, b.len, "\xff\x80\xff\xff\xff\x07", 6);
        httpx__buf_free(&b);
    }
}

/* ---- Huffman ---- */

TEST(hpack_huffman) {
    static const struct { const char *plain, *hex; } t[] = {   /* RFC 7541 C.4, C.6 */
        {"www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"},
        {"no-cache", "a8eb10649cbf"},
        {"custom-key", "25a849e95ba97d7f"},
        {"custom-value", "25a849e95bb8e8b4bf"},
        {"302", "6402"},
        {"Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff"},
        {"X", "fc"},                        /* a whole byte, no padding */
        {".", "5f"},                        /* 6 bits and 2 of padding */
        {"", ""},
    };
    char all[256];
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        httpx__buf enc = {0}, dec = {0};
        size_t n = 0;
        unsigned char *want = h2t_unhex(t[i].hex, &n);
        CHECK_INT(httpx__huff_encoded_len(t[i].plain, strlen(t[i].plain)), n);
        CHECK(httpx__huff_encode(&enc, t[i].plain, strlen(t[i].plain)));
        CHECK_MEM(enc.p ? enc.p : "", enc.len, want, n);
        CHECK_INT(httpx__huff_decode(&dec, want, n, NULL), 0);
        CHECK_MEM(dec.p ? dec.p : "", dec.len, t[i].plain, strlen(t[i].plain));
        httpx__buf_free(&enc);
        httpx__buf_free(&dec);
        free(want);
    }
    for (i = 0; i < 256; i++) all[i] = (char)(255 - i);    /* every byte value, long codes included */
    for (i = 1; i <= 256; i++) {
        httpx__buf enc = {0}, dec = {0};
        CHECK(httpx__huff_encode(&enc, all + 256 - i, i));
        CHECK_INT(enc.len, httpx__huff_encoded_len(all + 256 - i, i));
        CHECK_INT(httpx__huff_decode(&dec, (const uint8_t *)enc.p, enc.len, NULL), 0);
        CHECK_MEM(dec.p, dec.len, all + 256 - i, i);
        httpx__buf_free(&enc);
        httpx__buf_free(&dec);
    }
}

TEST(hpack_huffman_bad) {
    static const struct { const char *hex, *msg; } t[] = {
        {"ffffffff", "EOS"},                 /* the 30-bit EOS code, then 2 bits */
        {"18", "not all ones"},              /* 'a' (00011) then 000 */
        {"1fff", "padding is at most 7"},    /* 'a' then 11 one bits */
        {"ff", "padding is at most 7"},      /* 8 bits of padding, no symbol */
        {"fe", "padding is at most 7"},      /* a 10-bit code cut short at the end */
        {"5c", "not all ones"},              /* '.' (010111), then 00 */
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n;
        unsigned char *b = h2t_unhex(t[i].hex, &n);
        httpx__err e;
        httpx__buf out = {0};
        memset(&e, 0, sizeof e);
        CHECK_INT(httpx__huff_decode(&out, b, n, &e), HTTPX__BAD);
        CHECK_INT(e.code, HTTPX_ERR_REMOTE_PROTOCOL);
        if (!strstr(e.msg, t[i].msg)) test_fail(__FILE__, __LINE__, "%s: \"%s\" lacks \"%s\"", t[i].hex, e.msg, t[i].msg);
        CHECK_INT(httpx__huff_decode(NULL, b, n, NULL), HTTPX__BAD);   /* the same when only checking */
        httpx__buf_free(&out);
        free(b);
    }
}

/* ---- encoder against RFC 7541 Appendix C, byte for byte ---- */

TEST(hpack_rfc_encode) {
    static const struct { const char *file; bool huffman; } t[] = {
        {"c2_1.json", false}, {"c2_2.json", false}, {"c2_3.json", false}, {"c2_4.json", false},
        {"c3.json", false}, {"c4.json", true}, {"c5.json", false}, {"c6.json", true},
    };
    size_t i, blocks = 0;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        char rel[100];
        h2j *story;
        const h2j *cases;
        httpx__hpack_enc enc;
        size_t c_i;
        snprintf(rel, sizeof rel, "hpack/rfc7541-appendix-c/%s", t[i].file);
        story = h2j_load(rel);
        cases = h2j_get(story, "cases");
        REQUIRE(cases);
        /* the RFC's responses assume a 256-byte table from the start */
        httpx__hpack_enc_init(&enc, h2j_get(&cases->items[0], "header_table_size") ? 256 : 4096);
        enc.huffman = t[i].huffman ? HTTPX__HPACK_HUFF_ALWAYS : HTTPX__HPACK_HUFF_NEVER;
        for (c_i = 0; c_i < cases->len; c_i++) {
            const h2j *c = &cases->items[c_i];
            size_t n, wn, k;
            httpx__hpack_field *f = ht_fields_of(h2j_get(c, "headers"), &n);
            unsigned char *wire = h2t_unhex(h2j_get(c, "wire")->str, &wn);
            httpx__buf out = {0};
            httpx__err e;
            /* where the RFC's encoder chose otherwise than our AUTO policy */
            for (k = 0; k < n; k++) {
                if (strcmp(f[k].name, "password") == 0) f[k].index = HTTPX__HPACK_NEVER_INDEX;   /* C.2.3 */
                if (strcmp(f[k].name, "set-cookie") == 0) f[k].index = HTTPX__HPACK_INDEX;       /* C.5.3 */
            }
            CHECK_INT(httpx__hpack_encode(&enc, &out, f, n, &e), HTTPX_OK);
            if (out.len != wn || memcmp(out.p, wire, wn) != 0)
                test_fail(__FILE__, __LINE__, "%s case %zu: our encoding differs from the RFC's", t[i].file, c_i);
            ht_check_table(&enc.t, c, t[i].file);
            blocks++;
            httpx__buf_free(&out);
            free(wire);
            free(f);
        }
        httpx__hpack_enc_free(&enc);
        h2j_free(story);
    }
    CHECK_INT(blocks, 16);
}

/* ---- round trip: our encoder, our decoder ---- */

static size_t ht_int_len(size_t v, int prefix) {
    size_t n = 1, max = ((size_t)1 << prefix) - 1;
    if (v < max) return 1;
    for (v -= max; v >= 128; v /= 128) n++;
    return n + 1;
}

/* Encodes every case of a story with one encoder and decodes it with one
   decoder; table size changes of the story are applied to both. Returns
   the encoded bytes; *plain gets the size of a plain-literal encoding. */
static size_t ht_roundtrip_story(const char *rel, size_t *plain, size_t *blocks) {
    h2j *story = h2j_load(rel);
    const h2j *cases = h2j_get(story, "cases");
    httpx__hpack_enc enc;
    httpx__hpack_dec dec;
    size_t c_i, total = 0;
    if (!cases) { test_fail(__FILE__, __LINE__, "cannot read %s", rel); h2j_free(story); return 0; }
    httpx__hpack_enc_init(&enc, 4096);
    httpx__hpack_dec_init(&dec, 4096);
    for (c_i = 0; c_i < cases->len; c_i++) {
        const h2j *c = &cases->items[c_i], *hts = h2j_get(c, "header_table_size");
        size_t n, k, lit = 0;
        httpx__hpack_field *f = ht_fields_of(h2j_get(c, "headers"), &n);
        httpx__buf out = {0};
        httpx__err e;
        ht_fields got;
        char where[300];
        memset(&got, 0, sizeof got);
        snprintf(where, sizeof where, "%s case %zu (round trip)", rel, c_i);
        if (hts && hts->type == H2J_NUM) {      /* SETTINGS sent, acknowledged */
            httpx__hpack_dec_set_max(&dec, (size_t)hts->num);
            httpx__hpack_enc_set_peer_max(&enc, (size_t)hts->num);
        }
        CHECK_INT(httpx__hpack_encode(&enc, &out, f, n, &e), HTTPX_OK);
        if (httpx__hpack_decode(&dec, out.p, out.len, ht_collect, &got, &e) < 0)
            test_fail(__FILE__, __LINE__, "%s: %s", where, e.msg);
        else
            ht_same(&got, h2j_get(c, "headers"), where);
        for (k = 0; k < n; k++)     /* literal without indexing, new name, no Huffman */
            lit += 1 + ht_int_len(f[k].nlen, 7) + f[k].nlen + ht_int_len(f[k].vlen, 7) + f[k].vlen;
        if (out.len > lit) test_fail(__FILE__, __LINE__, "%s: %zu bytes, plain literals take %zu", where, out.len, lit);
        total += out.len;
        *plain += lit;
        (*blocks)++;
        httpx__buf_free(&out);
        httpx__buf_free(&got.text);
        free(f);
    }
    /* both tables agree entry for entry */
    CHECK_INT(enc.t.count, dec.t.count);
    CHECK_INT(enc.t.size, dec.t.size);
    for (c_i = 0; c_i < enc.t.count && c_i < dec.t.count; c_i++) {
        httpx__str n1, v1, n2, v2;
        httpx__hpack_table_get(&enc.t, c_i, &n1, &v1);
        httpx__hpack_table_get(&dec.t, c_i, &n2, &v2);
        CHECK_MEM(n1.p, n1.n, n2.p, n2.n);
        CHECK_MEM(v1.p, v1.n, v2.p, v2.n);
    }
    httpx__hpack_enc_free(&enc);
    httpx__hpack_dec_free(&dec);
    h2j_free(story);
    return total;
}

TEST(hpack_roundtrip_raw_data) {
    static const char *const stories[] = {"story_00.json", "story_01.json", "story_02.json", "story_24.json", "story_26.json"};
    size_t i, plain = 0, ours = 0, blocks = 0;
    for (i = 0; i < sizeof stories / sizeof stories[0]; i++) {
        char rel[100];
        snprintf(rel, sizeof rel, "hpack/raw-data/%s", stories[i]);
        ours += ht_roundtrip_story(rel, &plain, &blocks);
    }
    CHECK_INT(blocks, 165);
    CHECK(ours < plain / 2);     /* indexing and Huffman pay off: measured about 0.26 */
    if (getenv("TEST_VERBOSE")) printf("hpack: raw-data %zu bytes as plain literals, %zu encoded\n", plain, ours);
}

TEST(hpack_roundtrip_table_size_changes) {
    static const char *const stories[] = {"story_00.json", "story_02.json", "story_24.json", "story_26.json"};
    size_t i, plain = 0, blocks = 0;
    for (i = 0; i < sizeof stories / sizeof stories[0]; i++) {
        char rel[100];
        snprintf(rel, sizeof rel, "hpack/nghttp2-change-table-size/%s", stories[i]);
        ht_roundtrip_story(rel, &plain, &blocks);
        snprintf(rel, sizeof rel, "hpack/nghttp2-16384-4096/%s", stories[i]);
        ht_roundtrip_story(rel, &plain, &blocks);
    }
    CHECK(blocks > 300);
}

/* ---- hostile blocks ---- */

static const struct { const char *hex, *msg; } ht_bad[] = {
    {"ff", "integer truncated"},                        /* index continues past the end */
    {"ff80808080808000", "integer over"},               /* 0x80 padding beyond 5 bytes */
    {"ffffffffff0f", "integer over"},
    {"3fe1", "integer truncated"},                      /* size update cut short */
    {"80", "index 0"},
    {"be", "index 62 out of range"},                    /* empty dynamic table */
    {"c6", "index 70 out of range"},
    {"7f01", "index 64 out of range"},                  /* literal, name index beyond */
    {"4005616263", "string length 5 goes beyond"},
    {"40", "string missing"},
    {"000161", "string missing"},                       /* name, no value */
    {"00016101", "string length 1 goes beyond"},
    {"0081180162", "not all ones"},                     /* Huffman name 'a' + 000 */
    {"00821fff0162", "padding is at most 7"},
    {"0084ffffffff0162", "EOS"},
    {"3fe21f", "size update to 4097, over the 4096"},
    {"8220", "size update after a field"},
    {"82bf", "index 63 out of range"},
    {"7e03616263", "index 62 out of range"},            /* incremental, dynamic name missing */
};

TEST(hpack_hostile_blocks) {
    h2t_guard g;
    size_t i, k;
    REQUIRE(h2t_guard_init(&g));
    for (i = 0; i < sizeof ht_bad / sizeof ht_bad[0]; i++) {
        size_t n;
        unsigned char *b = h2t_unhex(ht_bad[i].hex, &n);
        httpx__hpack_dec d;
        httpx__err e;
        ht_fields got;
        REQUIRE(b);
        memset(&e, 0, sizeof e);
        memset(&got, 0, sizeof got);
        httpx__hpack_dec_init(&d, 4096);
        if (httpx__hpack_decode(&d, h2t_guard_place(&g, b, n), n, ht_collect, &got, &e) != HTTPX__BAD)
            test_fail(__FILE__, __LINE__, "%s decoded", ht_bad[i].hex);
        else if (e.code != HTTPX_ERR_REMOTE_PROTOCOL || !strstr(e.msg, ht_bad[i].msg) || strncmp(e.msg, "HPACK: ", 7) != 0)
            test_fail(__FILE__, __LINE__, "%s: \"%s\" (%d), expected \"%s\"", ht_bad[i].hex, e.msg, e.code, ht_bad[i].msg);
        /* broken from now on: the peer's table and ours may differ */
        CHECK_INT(httpx__hpack_decode(&d, "\x82", 1, NULL, NULL, &e), HTTPX__BAD);
        httpx__hpack_dec_free(&d);
        /* every prefix, each ending at the guard page: no over-read */
        for (k = 0; k < n; k++) {
            httpx__hpack_dec_init(&d, 4096);
            (void)httpx__hpack_decode(&d, h2t_guard_place(&g, b, k), k, NULL, NULL, NULL);
            httpx__hpack_dec_free(&d);
        }
        httpx__buf_free(&got.text);
        free(b);
    }
    h2t_guard_free(&g);
}

TEST(hpack_list_size_limit) {
    /* C.3.1 then C.3.2: the second block refers to the entry the first added */
    static const char c31[] = "\x82\x86\x84\x41\x0f" "www.example.com";
    static const char c32[] = "\x82\x86\x84\xbe\x58\x08" "no-cache";
    httpx__hpack_dec d;
    httpx__err e;
    ht_fields got;
    memset(&got, 0, sizeof got);
    httpx__hpack_dec_init(&d, 4096);
    d.max_list = 100;   /* the four fields take 42 + 43 + 37 + 57 */
    CHECK_INT(httpx__hpack_decode(&d, c31, sizeof c31 - 1, ht_collect, &got, &e), HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_TOO_LARGE);
    CHECK_INT(got.count, 2);            /* nothing past the limit was reported */
    CHECK_INT(d.t.count, 1);            /* but the table is in sync */
    d.max_list = 0;
    httpx__buf_free(&got.text);
    memset(&got, 0, sizeof got);
    CHECK_INT(httpx__hpack_decode(&d, c32, sizeof c32 - 1, ht_collect, &got, &e), 5);
    {   /* the fourth field is the entry C.3.1 added */
        const char *p = got.text.p;
        int k;
        for (k = 0; k < 6; k++) p += strlen(p) + 1;
        CHECK_STR(p, ":authority");
        CHECK_STR(p + strlen(p) + 1, "www.example.com");
    }
    CHECK_INT(d.t.count, 2);
    httpx__buf_free(&got.text);
    httpx__hpack_dec_free(&d);
}

TEST(hpack_callback_stops) {
    static const char c31[] = "\x82\x86\x84\x41\x0f" "www.example.com";
    httpx__hpack_dec d;
    httpx__err e;
    ht_fields got;
    memset(&got, 0, sizeof got);
    got.stop_after = 2;
    httpx__hpack_dec_init(&d, 4096);
    CHECK_INT(httpx__hpack_decode(&d, c31, sizeof c31 - 1, ht_collect, &got, &e), HTTPX__BAD);
    CHECK_INT(e.code, HTTPX_ERR_CANCELLED);
    CHECK_INT(got.count, 2);
    CHECK(d.broken);
    httpx__buf_free(&got.text);
    httpx__hpack_dec_free(&d);
}

TEST(hpack_size_update_rules) {
    httpx__hpack_dec d;
    httpx__err e;
    httpx__hpack_dec_init(&d, 4096);
    /* several updates at the start are fine; the table shrinks and grows */
    CHECK_INT(httpx__hpack_decode(&d, "\x20\x3f\xe1\x1f\x82", 5, NULL, NULL, &e), 1);
    CHECK_INT(d.t.max, 4096);
    /* our setting went down to 1024 after entries were added */
    CHECK_INT(httpx__hpack_decode(&d, "\x41\x03" "abc", 5, NULL, NULL, &e), 1);
    httpx__hpack_dec_set_max(&d, 1024);
    CHECK_INT(d.t.max, 1024);
    CHECK_INT(httpx__hpack_decode(&d, "\x82", 1, NULL, NULL, &e), HTTPX__BAD);   /* no update: error */
    CHECK(strstr(e.msg, "does not start with the size update") != NULL);
    httpx__hpack_dec_free(&d);
    httpx__hpack_dec_init(&d, 4096);
    httpx__hpack_dec_set_max(&d, 1024);
    CHECK_INT(httpx__hpack_decode(&d, "\x3f\xe1\x07\x82", 4, NULL, NULL, &e), 1);   /* update to 1024 */
    CHECK_INT(d.t.max, 1024);
    CHECK_INT(httpx__hpack_decode(&d, "\x3f\xe2\x07", 3, NULL, NULL, &e), HTTPX__BAD); /* 1025 > 1024 */
    httpx__hpack_dec_free(&d);
    /* a raised setting allows a larger table, which the encoder must ask for */
    httpx__hpack_dec_init(&d, 4096);
    httpx__hpack_dec_set_max(&d, 8192);
    CHECK_INT(d.t.max, 4096);
    CHECK_INT(httpx__hpack_decode(&d, "\x3f\xe1\x3f", 3, NULL, NULL, &e), 0);      /* 8192 */
    CHECK_INT(d.t.max, 8192);
    httpx__hpack_dec_free(&d);
}

/* ---- encoder behaviour ---- */

static int ht_first_repr(const httpx__buf *b) { return (unsigned char)b->p[0]; }

TEST(hpack_encoder_policy) {
    httpx__hpack_enc enc;
    httpx__hpack_dec dec;
    httpx__err e;
    size_t i;
    static const struct { const char *name, *value; int first_mask, first; bool indexed; } t[] = {
        {"authorization", "Bearer x", 0xf0, 0x10, false},       /* never indexed, static name 23 */
        {"cookie", "a=b", 0xf0, 0x10, false},
        {"proxy-authorization", "Basic y", 0xf0, 0x10, false},
        {"set-cookie", "k=v", 0xf0, 0x10, false},
        {":path", "/a/b?c", 0xf0, 0x00, false},                  /* without indexing */
        {"content-length", "123", 0xf0, 0x00, false},
        {"user-agent", "httpx.h", 0xc0, 0x40, true},            /* incremental */
        {":method", "GET", 0xff, 0x82, false},                  /* static match */
        {"x-big", "", 0xf0, 0x00, false},                       /* value set below: over half the table */
    };
    char big[3000];
    memset(big, 'v', sizeof big);
    httpx__hpack_enc_init(&enc, 4096);
    httpx__hpack_dec_init(&dec, 4096);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        httpx__hpack_field f;
        httpx__buf out = {0};
        size_t before = enc.t.count;
        memset(&f, 0, sizeof f);
        f.name = t[i].name;
        f.nlen = strlen(t[i].name);
        f.value = t[i].value;
        f.vlen = strlen(t[i].value);
        if (strcmp(t[i].name, "x-big") == 0) { f.value = big; f.vlen = sizeof big; }
        CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
        if ((ht_first_repr(&out) & t[i].first_mask) != t[i].first)
            test_fail(__FILE__, __LINE__, "%s: first byte 0x%02x", t[i].name, ht_first_repr(&out));
        CHECK_INT(enc.t.count, before + (t[i].indexed ? 1 : 0));
        CHECK_INT(httpx__hpack_decode(&dec, out.p, out.len, NULL, NULL, &e), 1);
        httpx__buf_free(&out);
    }
    {   /* the second time, an indexed field is one byte */
        httpx__hpack_field f = {"user-agent", 10, "httpx.h", 7, 0};
        httpx__buf out = {0};
        CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
        CHECK_INT(out.len, 1);
        CHECK_INT(ht_first_repr(&out), 0x80 | 62);
        httpx__buf_free(&out);
    }
    httpx__hpack_enc_free(&enc);
    httpx__hpack_dec_free(&dec);
}

TEST(hpack_encoder_refuses) {
    static const httpx__hpack_field bad[] = {
        {"Accept", 6, "x", 1, 0},
        {"", 0, "x", 1, 0},
        {"x-a", 3, "a\r\nb: c", 7, 0},
        {"x-a", 3, "a\0b", 3, 0},
        {"x\nb", 3, "v", 1, 0},
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        httpx__hpack_enc enc;
        httpx__buf out = {0};
        httpx__err e;
        httpx__hpack_field two[2] = {{"x-ok", 4, "fine", 4, 0}, {0}};
        two[1] = bad[i];
        httpx__hpack_enc_init(&enc, 4096);
        CHECK_INT(httpx__hpack_encode(&enc, &out, two, 2, &e), HTTPX_ERR_INVALID_HEADER);
        CHECK_INT(out.len, 0);          /* nothing written, */
        CHECK_INT(enc.t.count, 0);      /* nothing indexed: the peer's table is unchanged */
        httpx__buf_free(&out);
        httpx__hpack_enc_free(&enc);
    }
}

TEST(hpack_encoder_size_updates) {
    httpx__hpack_enc enc;
    httpx__buf out = {0};
    httpx__err e;
    httpx__hpack_field f = {":method", 7, "GET", 3, 0};
    httpx__hpack_enc_init(&enc, 4096);
    httpx__hpack_enc_set_peer_max(&enc, 65536);      /* more than we want: nothing to say */
    CHECK(!enc.pending);
    httpx__hpack_enc_set_peer_max(&enc, 1024);
    CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
    CHECK_MEM(out.p, out.len, "\x3f\xe1\x07\x82", 4);
    httpx__buf_clear(&out);
    CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
    CHECK_MEM(out.p, out.len, "\x82", 1);           /* once only */
    httpx__buf_clear(&out);
    httpx__hpack_enc_set_peer_max(&enc, 0);          /* down and up between two blocks: */
    httpx__hpack_enc_set_peer_max(&enc, 4096);       /* the smallest is signalled too */
    CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
    CHECK_MEM(out.p, out.len, "\x20\x3f\xe1\x1f\x82", 5);
    httpx__buf_free(&out);
    httpx__hpack_enc_free(&enc);
}

/* ---- memory of a context with the default table ---- */

TEST(hpack_context_memory) {
    h2t_guard g;
    httpx__hpack_dec d;
    httpx__hpack_enc enc;
    httpx__err e;
    size_t dec_bytes, enc_bytes;
    httpx__hpack_field f = {"x-custom", 8, "some value", 10, 0};
    httpx__buf out = {0};
    REQUIRE(h2t_guard_init(&g));
    httpx__hpack_dec_init(&d, 4096);
    CHECK_INT(d.t.text_cap + d.t.ents_cap, 0);       /* nothing until the first entry */
    CHECK_INT(httpx__hpack_decode(&d, "\x40\x01" "a\x01" "b", 5, NULL, NULL, &e), 1);
    CHECK_INT(d.t.text_cap, 4096);
    CHECK_INT(d.t.ents_cap, 128);
    dec_bytes = sizeof d + d.t.text_cap + d.t.ents_cap * sizeof(httpx__hpack_entry);
    httpx__hpack_enc_init(&enc, 4096);
    CHECK_INT(httpx__hpack_encode(&enc, &out, &f, 1, &e), HTTPX_OK);
    enc_bytes = sizeof enc + enc.t.text_cap + enc.t.ents_cap * sizeof(httpx__hpack_entry);
    CHECK(dec_bytes < 6500 && enc_bytes < 6500);
    if (getenv("TEST_VERBOSE"))
        printf("hpack: decoder context %zu bytes (+ Huffman scratch), encoder %zu bytes\n", dec_bytes, enc_bytes);
    httpx__buf_free(&out);
    httpx__hpack_enc_free(&enc);
    httpx__hpack_dec_free(&d);
    h2t_guard_free(&g);
}

/* ---- mutations ---- */

static uint32_t ht_rand(uint64_t *s) {   /* xorshift64*, fixed seed: reproducible */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 2685821657736338717ull) >> 32);
}

TEST(hpack_fuzz_mutations) {
    static const char *const files[] = {
        "hpack/nghttp2/story_26.json", "hpack/python-hpack/story_24.json", "hpack/go-hpack/story_02.json",
        "hpack/haskell-http2-linear/story_26.json", "hpack/nghttp2-change-table-size/story_24.json",
    };
    unsigned char *blocks[400];
    size_t lens[400], nblocks = 0, i, iter, ok = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    h2t_guard g;
    httpx__hpack_dec d;
    REQUIRE(h2t_guard_init(&g));
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        h2j *story = h2j_load(files[i]);
        const h2j *cases = h2j_get(story, "cases");
        size_t c;
        REQUIRE(cases);
        for (c = 0; c < cases->len && nblocks < 400; c++)
            blocks[nblocks] = h2t_unhex(h2j_get(&cases->items[c], "wire")->str, &lens[nblocks]), nblocks++;
        h2j_free(story);
    }
    httpx__hpack_dec_init(&d, 4096);
    for (iter = 0; iter < 100000; iter++) {
        unsigned char buf[4096];
        size_t which = ht_rand(&seed) % nblocks, n = lens[which], m, k;
        if (n > sizeof buf - 8) n = sizeof buf - 8;
        memcpy(buf, blocks[which], n);
        m = 1 + ht_rand(&seed) % 4;
        for (k = 0; k < m && n; k++) {
            size_t at = ht_rand(&seed) % n;
            switch (ht_rand(&seed) % 5) {
            case 0: buf[at] ^= (unsigned char)(1u << (ht_rand(&seed) % 8)); break;
            case 1: buf[at] = (unsigned char)ht_rand(&seed); break;
            case 2: n = at; break;                                              /* truncate */
            case 3: buf[at] = (unsigned char)(0xff); break;                     /* long integers */
            default: memmove(buf + at + 1, buf + at, n - at); buf[at] = (unsigned char)ht_rand(&seed); n++; break;
            }
        }
        if (d.broken || ht_rand(&seed) % 8 == 0) {   /* a fresh context now and then, as after a reconnect */
            httpx__hpack_dec_free(&d);
            httpx__hpack_dec_init(&d, 4096);
            d.max_list = ht_rand(&seed) % 2 ? 0 : 2000;
        }
        if (httpx__hpack_decode(&d, h2t_guard_place(&g, buf, n), n, NULL, NULL, NULL) >= 0) ok++;
        CHECK(d.t.size <= d.t.max);
    }
    httpx__hpack_dec_free(&d);
    CHECK(ok > 1000 && ok < 100000);   /* both outcomes happen */
    for (i = 0; i < nblocks; i++) free(blocks[i]);
    h2t_guard_free(&g);
}
