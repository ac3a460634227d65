/* HTTP/2 frames (RFC 9113 sections 4, 6): the http2-frame-test-case data
   (tests/data/http2-frames/, see its UPSTREAM-README.md), the rules the data
   does not cover, the writers, guard pages and a seeded mutation loop. */
#include "test.h"
#include "test_h2_util.h"
#include <stdlib.h>

static const char *const hf_dirs[] = {
    "continuation", "data", "error", "goaway", "headers", "ping", "priority", "push_promise",
    "rst_stream", "settings", "window_update",
};

/* JSON text payload field vs bytes */
static void hf_check_bytes(const h2j *want, const uint8_t *p, size_t n, const char *what, const char *where) {
    if (!want || want->type != H2J_STR) { test_fail(__FILE__, __LINE__, "%s: no %s", where, what); return; }
    if (want->len != n || memcmp(want->str, p, n) != 0)
        test_fail(__FILE__, __LINE__, "%s: %s is \"%.*s\", expected \"%s\"", where, what, (int)n, (const char *)p, want->str);
}

static void hf_check_num(const h2j *want, double got, const char *what, const char *where) {
    if (!want || want->type != H2J_NUM || want->num != got)
        test_fail(__FILE__, __LINE__, "%s: %s is %.0f, expected %.0f", where, what, got, want && want->type == H2J_NUM ? want->num : -1.0);
}

/* Padding, when the case has it: its length and bytes (the end of the wire). */
static void hf_check_padding(const h2j *pl, const httpx__h2_frame *f, const unsigned char *wire, size_t n, const char *where) {
    const h2j *plen = h2j_get(pl, "padding_length");
    if (!plen || plen->type == H2J_NULL) { CHECK_INT(f->pad_length, 0); CHECK(!(f->flags & HTTPX__H2_FLAG_PADDED)); return; }
    hf_check_num(plen, f->pad_length, "padding_length", where);
    hf_check_bytes(h2j_get(pl, "padding"), wire + n - f->pad_length, f->pad_length, "padding", where);
}

static void hf_check_priority(const h2j *pl, const httpx__h2_frame *f, const char *where) {
    const h2j *dep = h2j_get(pl, "stream_dependency");
    if (!dep || dep->type == H2J_NULL) { CHECK(!f->has_priority); return; }
    CHECK(f->has_priority);
    hf_check_num(dep, f->dependency, "stream_dependency", where);
    hf_check_num(h2j_get(pl, "weight"), f->weight, "weight", where);
    CHECK_INT(f->exclusive, h2j_get(pl, "exclusive")->num);
}

/* Compares a parsed frame with the case's "frame"; returns whether we can
   re-encode it with our writers (the frames a client writes, unpadded). */
static bool hf_check_frame(const h2j *fr, const httpx__h2_frame *f, const unsigned char *wire, size_t n,
                           const char *where, httpx__buf *re) {
    const h2j *pl = h2j_get(fr, "frame_payload");
    size_t i;
    hf_check_num(h2j_get(fr, "length"), f->length, "length", where);
    hf_check_num(h2j_get(fr, "type"), f->type, "type", where);
    hf_check_num(h2j_get(fr, "flags"), f->flags, "flags", where);
    hf_check_num(h2j_get(fr, "stream_identifier"), f->stream_id, "stream_identifier", where);
    switch (f->type) {
    case HTTPX__H2_DATA:
        hf_check_bytes(h2j_get(pl, "data"), f->payload, f->payload_len, "data", where);
        hf_check_padding(pl, f, wire, n, where);
        return !f->pad_length && httpx__h2_write_data(re, f->stream_id, f->payload, f->payload_len, f->flags & 1);
    case HTTPX__H2_HEADERS:
        hf_check_bytes(h2j_get(pl, "header_block_fragment"), f->payload, f->payload_len, "header_block_fragment", where);
        hf_check_padding(pl, f, wire, n, where);
        hf_check_priority(pl, f, where);
        return !f->pad_length && !f->has_priority &&
               httpx__h2_write_headers(re, f->stream_id, f->payload, f->payload_len, f->flags & 1, f->flags & 4);
    case HTTPX__H2_PUSH_PROMISE:
        hf_check_bytes(h2j_get(pl, "header_block_fragment"), f->payload, f->payload_len, "header_block_fragment", where);
        hf_check_padding(pl, f, wire, n, where);
        hf_check_num(h2j_get(pl, "promised_stream_id"), f->promised_stream_id, "promised_stream_id", where);
        return false;   /* clients never send it */
    case HTTPX__H2_CONTINUATION:
        hf_check_bytes(h2j_get(pl, "header_block_fragment"), f->payload, f->payload_len, "header_block_fragment", where);
        return httpx__h2_write_continuation(re, f->stream_id, f->payload, f->payload_len, f->flags & 4);
    case HTTPX__H2_PRIORITY:
        hf_check_priority(pl, f, where);
        return httpx__h2_write_priority(re, f->stream_id, f->dependency, f->weight, f->exclusive);
    case HTTPX__H2_RST_STREAM:
        hf_check_num(h2j_get(pl, "error_code"), f->error_code, "error_code", where);
        return httpx__h2_write_rst_stream(re, f->stream_id, f->error_code);
    case HTTPX__H2_SETTINGS: {
        const h2j *s = h2j_get(pl, "settings");
        httpx__h2_setting list[16];
        if (!s || s->len != f->num_settings || s->len > 16) {
            test_fail(__FILE__, __LINE__, "%s: settings differ", where);
            return false;
        }
        for (i = 0; i < f->num_settings; i++) {
            list[i] = httpx__h2_frame_setting(f, i);
            hf_check_num(&s->items[i].items[0], list[i].id, "setting id", where);
            hf_check_num(&s->items[i].items[1], list[i].value, "setting value", where);
        }
        return (f->flags & 1) ? httpx__h2_write_settings_ack(re) : httpx__h2_write_settings(re, list, f->num_settings);
    }
    case HTTPX__H2_PING:
        hf_check_bytes(h2j_get(pl, "opaque_data"), f->payload, f->payload_len, "opaque_data", where);
        return httpx__h2_write_ping(re, f->payload, f->flags & 1);
    case HTTPX__H2_GOAWAY:
        hf_check_num(h2j_get(pl, "last_stream_id"), f->last_stream_id, "last_stream_id", where);
        hf_check_num(h2j_get(pl, "error_code"), f->error_code, "error_code", where);
        hf_check_bytes(h2j_get(pl, "additional_debug_data"), f->payload, f->payload_len, "additional_debug_data", where);
        return httpx__h2_write_goaway(re, f->last_stream_id, f->error_code, f->payload, f->payload_len);
    case HTTPX__H2_WINDOW_UPDATE:
        hf_check_num(h2j_get(pl, "window_size_increment"), f->window_increment, "window_size_increment", where);
        return httpx__h2_write_window_update(re, f->stream_id, f->window_increment);
    default:
        test_fail(__FILE__, __LINE__, "%s: type %d", where, f->type);
        return false;
    }
}

TEST(h2_frames_conformance) {
    size_t d_i, valid = 0, errors = 0, reencoded = 0;
    h2t_guard g;
    REQUIRE(h2t_guard_init(&g));
    for (d_i = 0; d_i < sizeof hf_dirs / sizeof hf_dirs[0]; d_i++) {
        char sub[80], dirbuf[300], **names;
        size_t nfiles, f_i;
        snprintf(sub, sizeof sub, "http2-frames/%s", hf_dirs[d_i]);
        nfiles = h2t_list_json(h2t_suite_dir(sub, dirbuf, sizeof dirbuf), &names);
        CHECK(nfiles >= 1);
        for (f_i = 0; f_i < nfiles; f_i++) {
            char rel[200];
            h2j *c;
            const h2j *err, *fr;
            size_t n;
            unsigned char *wire;
            httpx__h2_frame f;
            httpx__h2_fault fault = {0, 0};
            httpx__err e;
            httpx__buf re = {0};
            int rc;
            snprintf(rel, sizeof rel, "http2-frames/%s/%s", hf_dirs[d_i], names[f_i]);
            c = h2j_load(rel);
            REQUIRE(c && h2j_get(c, "wire"));
            wire = h2t_unhex(h2j_get(c, "wire")->str, &n);
            REQUIRE(wire);
            err = h2j_get(c, "error");
            fr = h2j_get(c, "frame");
            memset(&e, 0, sizeof e);
            rc = httpx__h2_frame_parse(h2t_guard_place(&g, wire, n), n, HTTPX__H2_MAX_FRAME_DEFAULT, &f, &fault, &e);
            if (err && err->type == H2J_ARR) {
                size_t k;
                bool listed = false;
                errors++;
                for (k = 0; k < err->len; k++) listed |= err->items[k].num == fault.code;
                if (rc != HTTPX__BAD || !listed)
                    test_fail(__FILE__, __LINE__, "%s: rc %d, code %s, expected an error", rel, rc,
                              httpx__h2_code_name(fault.code));
                else
                    CHECK_INT(e.code, HTTPX_ERR_REMOTE_PROTOCOL);
            } else {
                valid++;
                if (rc != (int)n) test_fail(__FILE__, __LINE__, "%s: rc %d (%s), expected %zu", rel, rc, e.msg, n);
                else if (hf_check_frame(fr, &f, wire, n, rel, &re)) {
                    CHECK_MEM(re.p, re.len, wire, n);
                    reencoded++;
                }
            }
            httpx__buf_free(&re);
            free(wire);
            h2j_free(c);
        }
        h2t_free_list(names, nfiles);
    }
    CHECK_INT(valid, 12);
    CHECK_INT(errors, 22);
    CHECK_INT(reencoded, 9);
    h2t_guard_free(&g);
}

/* ---- rules the data does not cover ---- */

static const struct hf_case {
    const char *hex;
    uint32_t max;       /* SETTINGS_MAX_FRAME_SIZE; 0: default */
    int rc;             /* > 0: valid, that many bytes */
    uint32_t code, stream;
    const char *msg;
} hf_cases[] = {
    /* sizes */
    {"", 0, HTTPX__AGAIN, 0, 0, NULL},
    {"00000000000000", 0, HTTPX__AGAIN, 0, 0, NULL},                          /* half a header */
    {"000004000000000001aaaa", 0, HTTPX__AGAIN, 0, 0, NULL},                  /* half a payload */
    {"004001000000000001", 0, HTTPX__BAD, HTTPX__H2_FRAME_SIZE_ERROR, 0, "over SETTINGS_MAX_FRAME_SIZE 16384"},
    {"004001000000000001", 16385, HTTPX__AGAIN, 0, 0, NULL},                  /* allowed when we said so */
    {"000000000000000001", 0, 9, 0, 0, NULL},                                 /* empty DATA */
    {"000000000800000001", 0, HTTPX__BAD, HTTPX__H2_FRAME_SIZE_ERROR, 0, "pad length"},
    {"000001000800000001" "00", 0, 10, 0, 0, NULL},                           /* padded, nothing in it */
    {"000003000800000001" "02" "0000", 0, 12, 0, 0, NULL},                    /* all padding */
    {"000003000800000001" "03" "0000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "padding"},
    {"000005012000000003" "00000001", 0, HTTPX__AGAIN, 0, 0, NULL},
    {"000004012000000003" "00000001", 0, HTTPX__BAD, HTTPX__H2_FRAME_SIZE_ERROR, 0, "fixed fields"},
    {"000005012800000003" "0000000001", 0, HTTPX__BAD, HTTPX__H2_FRAME_SIZE_ERROR, 0, "fixed fields"},
    {"000006012800000003" "0000000001ff", 0, 15, 0, 0, NULL},                 /* padded, priority, empty */
    {"000007012800000003" "02000000010f61", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "padding"},
    {"000007012800000003" "01000000010f61", 0, 16, 0, 0, NULL},               /* the last byte is padding */
    {"000007012800000003" "00000000010f61", 0, 16, 0, 0, NULL},
    /* stream ids */
    {"000000098000000000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "stream 0"},   /* CONTINUATION, reserved bit set */
    {"000000000080000001", 0, 9, 0, 0, NULL},                                 /* reserved bit ignored */
    {"000008060000000000" "0102030405060708", 0, 17, 0, 0, NULL},
    {"000008070000000003" "0000000000000000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "stream 0"},
    /* priority: a stream depending on itself is a stream error */
    {"000005020000000003" "000000030f", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 3, "depends on itself"},
    {"000005012000000003" "8000000310", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 3, "depends on itself"},
    {"000004020000000003" "00000001", 0, HTTPX__BAD, HTTPX__H2_FRAME_SIZE_ERROR, 3, "not 5"},
    /* window updates */
    {"000004080000000000" "00000000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "increment 0"},
    {"000004080000000007" "80000000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 7, "increment 0"},  /* reserved bit only */
    {"000004080000000000" "7fffffff", 0, 13, 0, 0, NULL},
    /* settings */
    {"000000040100000000", 0, 9, 0, 0, NULL},                                 /* ACK */
    {"000006040000000000" "000200000002", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "ENABLE_PUSH is 2"},
    {"000006040000000000" "000400000000", 0, 15, 0, 0, NULL},
    {"000006040000000000" "00047fffffff", 0, 15, 0, 0, NULL},
    {"000006040000000000" "000480000000", 0, HTTPX__BAD, HTTPX__H2_FLOW_CONTROL_ERROR, 0, "INITIAL_WINDOW_SIZE"},
    {"000006040000000000" "000500003fff", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "MAX_FRAME_SIZE 16383"},
    {"000006040000000000" "000500004000", 0, 15, 0, 0, NULL},
    {"000006040000000000" "000500ffffff", 0, 15, 0, 0, NULL},
    {"000006040000000000" "000501000000", 0, HTTPX__BAD, HTTPX__H2_PROTOCOL_ERROR, 0, "MAX_FRAME_SIZE 16777216"},
    {"00000c040000000000" "00ffffffffff" "000100000000", 0, 21, 0, 0, NULL},  /* unknown id ignored */
    /* unknown types and flags pass */
    {"0000030aff00000000" "616263", 0, 12, 0, 0, NULL},
    {"000000fa0000000005", 0, 9, 0, 0, NULL},
    {"000008060100000000" "0000000000000000", 0, 17, 0, 0, NULL},             /* PING ACK */
    {"000008070000000000" "00000005000000ff", 0, 17, 0, 0, NULL},             /* GOAWAY, unknown code */
};

TEST(h2_frame_rules) {
    size_t i;
    h2t_guard g;
    REQUIRE(h2t_guard_init(&g));
    for (i = 0; i < sizeof hf_cases / sizeof hf_cases[0]; i++) {
        const struct hf_case *t = &hf_cases[i];
        size_t n;
        unsigned char *b = h2t_unhex(t->hex, &n);
        httpx__h2_frame f;
        httpx__h2_fault fault = {99, 99};
        httpx__err e;
        int rc;
        REQUIRE(b);
        memset(&e, 0, sizeof e);
        rc = httpx__h2_frame_parse(h2t_guard_place(&g, b, n), n, t->max ? t->max : HTTPX__H2_MAX_FRAME_DEFAULT,
                                   &f, &fault, &e);
        if (rc != t->rc) test_fail(__FILE__, __LINE__, "%s: rc %d, expected %d (%s)", t->hex, rc, t->rc, e.msg);
        if (t->rc == HTTPX__BAD && rc == HTTPX__BAD) {
            if (fault.code != t->code || fault.stream_id != t->stream)
                test_fail(__FILE__, __LINE__, "%s: %s on stream %u, expected %s on %u", t->hex,
                          httpx__h2_code_name(fault.code), fault.stream_id, httpx__h2_code_name(t->code), t->stream);
            if (!strstr(e.msg, t->msg)) test_fail(__FILE__, __LINE__, "%s: \"%s\" lacks \"%s\"", t->hex, e.msg, t->msg);
        }
        free(b);
    }
    h2t_guard_free(&g);
}

TEST(h2_frame_fields) {
    httpx__h2_frame f;
    httpx__h2_fault fault;
    httpx__h2_settings s;
    size_t n;
    unsigned char *b = h2t_unhex("000012040000000000" "000100001000" "000400100000" "000300000064", &n);
    REQUIRE(httpx__h2_frame_parse(b, n, 16384, &f, &fault, NULL) == (int)n);
    CHECK_INT(f.num_settings, 3);
    httpx__h2_settings_init(&s);
    CHECK_INT(s.initial_window_size, 65535);
    CHECK_INT(s.max_frame_size, 16384);
    CHECK_INT(s.header_table_size, 4096);
    httpx__h2_settings_apply(&s, &f);
    CHECK_INT(s.header_table_size, 4096);
    CHECK_INT(s.initial_window_size, 0x100000);
    CHECK_INT(s.max_concurrent_streams, 100);
    CHECK_INT(s.max_header_list_size, 0xffffffffu);
    free(b);
    /* a frame followed by the next one: only the first is taken */
    b = h2t_unhex("000004080000000000" "00001000" "000000040100000000", &n);
    CHECK_INT(httpx__h2_frame_parse(b, n, 16384, &f, &fault, NULL), 13);
    CHECK_INT(f.window_increment, 4096);
    CHECK_INT(httpx__h2_frame_parse(b + 13, n - 13, 16384, &f, &fault, NULL), 9);
    CHECK(f.flags & HTTPX__H2_FLAG_ACK);
    free(b);
    CHECK_INT(strlen(HTTPX__H2_PREFACE), HTTPX__H2_PREFACE_LEN);
    CHECK_MEM(HTTPX__H2_PREFACE, 24, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
    CHECK_STR(httpx__h2_code_name(HTTPX__H2_ENHANCE_YOUR_CALM), "ENHANCE_YOUR_CALM");
    CHECK_STR(httpx__h2_code_name(0xd), "HTTP_1_1_REQUIRED");
    CHECK_STR(httpx__h2_code_name(0xe), "unknown");
}

/* ---- writers ---- */

static httpx__h2_frame hf_parse_one(const httpx__buf *b, size_t *off) {
    httpx__h2_frame f;
    httpx__h2_fault fault;
    httpx__err e;
    int rc = httpx__h2_frame_parse(b->p + *off, b->len - *off, HTTPX__H2_MAX_FRAME_LIMIT, &f, &fault, &e);
    if (rc <= 0) { test_fail(__FILE__, __LINE__, "writer output does not parse: %d %s", rc, e.msg); memset(&f, 0, sizeof f); return f; }
    *off += (size_t)rc;
    return f;
}

TEST(h2_frame_writers) {
    httpx__buf b = {0};
    static const uint8_t opaque[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const httpx__h2_setting set[] = {{HTTPX__H2_SET_ENABLE_PUSH, 0}, {HTTPX__H2_SET_INITIAL_WINDOW_SIZE, 1 << 20}};
    httpx__h2_frame f;
    size_t off = 0;
    CHECK(httpx__buf_append(&b, HTTPX__H2_PREFACE, HTTPX__H2_PREFACE_LEN));
    CHECK(httpx__h2_write_settings(&b, set, 2));
    CHECK(httpx__h2_write_settings_ack(&b));
    CHECK(httpx__h2_write_window_update(&b, 0, 0x7fffffffu - 65535));
    CHECK(httpx__h2_write_headers(&b, 1, "\x82\x86\x84", 3, true, true));
    CHECK(httpx__h2_write_data(&b, 3, "hello", 5, true));
    CHECK(httpx__h2_write_data(&b, 3, NULL, 0, false));
    CHECK(httpx__h2_write_ping(&b, opaque, true));
    CHECK(httpx__h2_write_rst_stream(&b, 5, HTTPX__H2_CANCEL));
    CHECK(httpx__h2_write_priority(&b, 7, 3, 256, true));
    CHECK(httpx__h2_write_goaway(&b, 7, HTTPX__H2_NO_ERROR, "bye", 3));
    CHECK(httpx__h2_write_continuation(&b, 9, "ab", 2, false));
    CHECK_MEM(b.p, 24, HTTPX__H2_PREFACE, 24);
    off = 24;
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_SETTINGS && f.num_settings == 2 && !f.flags);
    CHECK_INT(httpx__h2_frame_setting(&f, 1).value, 1 << 20);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_SETTINGS && f.flags == HTTPX__H2_FLAG_ACK && f.length == 0);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_WINDOW_UPDATE && f.stream_id == 0 && f.window_increment == 0x7fffffffu - 65535);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_HEADERS && f.stream_id == 1 && f.flags == 5 && f.payload_len == 3);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_DATA && f.stream_id == 3 && f.flags == 1);
    CHECK_MEM(f.payload, f.payload_len, "hello", 5);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_DATA && f.flags == 0 && f.payload_len == 0);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_PING && f.flags == 1);
    CHECK_MEM(f.payload, f.payload_len, opaque, 8);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_RST_STREAM && f.stream_id == 5 && f.error_code == HTTPX__H2_CANCEL);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_PRIORITY && f.dependency == 3 && f.weight == 256 && f.exclusive);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_GOAWAY && f.last_stream_id == 7 && f.error_code == 0);
    CHECK_MEM(f.payload, f.payload_len, "bye", 3);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_CONTINUATION && f.stream_id == 9 && f.flags == 0);
    CHECK_INT(off, b.len);
    httpx__buf_free(&b);
}

TEST(h2_frame_header_block_split) {
    static char block[40000];
    httpx__buf b = {0};
    httpx__buf joined = {0};
    httpx__h2_frame f;
    size_t off = 0, i;
    for (i = 0; i < sizeof block; i++) block[i] = (char)(i * 7);
    CHECK(httpx__h2_write_header_block(&b, 11, block, sizeof block, true, 16384));
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_HEADERS && f.length == 16384 && f.flags == HTTPX__H2_FLAG_END_STREAM);
    httpx__buf_append(&joined, f.payload, f.payload_len);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_CONTINUATION && f.length == 16384 && f.flags == 0 && f.stream_id == 11);
    httpx__buf_append(&joined, f.payload, f.payload_len);
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_CONTINUATION && f.length == 40000 - 2 * 16384 && f.flags == HTTPX__H2_FLAG_END_HEADERS);
    httpx__buf_append(&joined, f.payload, f.payload_len);
    CHECK_INT(off, b.len);
    CHECK_MEM(joined.p, joined.len, block, sizeof block);
    httpx__buf_clear(&b);
    off = 0;
    CHECK(httpx__h2_write_header_block(&b, 1, block, 100, false, 16384));   /* fits: one frame */
    f = hf_parse_one(&b, &off);
    CHECK(f.type == HTTPX__H2_HEADERS && f.flags == HTTPX__H2_FLAG_END_HEADERS && off == b.len);
    httpx__buf_free(&b);
    httpx__buf_free(&joined);
}

/* ---- guard page and mutations ---- */

static uint32_t hf_rand(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 2685821657736338717ull) >> 32);
}

TEST(h2_frame_guard_and_fuzz) {
    unsigned char *seeds[64];
    size_t lens[64], nseeds = 0, i, k, iter, good = 0;
    uint64_t seed = 0x2545f4914f6cdd1dull;
    h2t_guard g;
    REQUIRE(h2t_guard_init(&g));
    for (i = 0; i < sizeof hf_cases / sizeof hf_cases[0] && nseeds < 64; i++) {
        seeds[nseeds] = h2t_unhex(hf_cases[i].hex, &lens[nseeds]);
        if (lens[nseeds]) nseeds++; else free(seeds[nseeds]);
    }
    /* every prefix of every input, ending at the guard page */
    for (i = 0; i < nseeds; i++) {
        for (k = 0; k <= lens[i]; k++) {
            httpx__h2_frame f;
            httpx__h2_fault fault;
            (void)httpx__h2_frame_parse(h2t_guard_place(&g, seeds[i], k), k, 16384, &f, &fault, NULL);
        }
    }
    for (iter = 0; iter < 100000; iter++) {
        unsigned char buf[256];
        size_t which = hf_rand(&seed) % nseeds, n = lens[which], m;
        const unsigned char *at;
        httpx__h2_frame f;
        httpx__h2_fault fault;
        int rc;
        if (n > sizeof buf - 8) n = sizeof buf - 8;
        memcpy(buf, seeds[which], n);
        m = 1 + hf_rand(&seed) % 3;
        for (k = 0; k < m && n; k++) {
            size_t pos = hf_rand(&seed) % n;
            switch (hf_rand(&seed) % 4) {
            case 0: buf[pos] ^= (unsigned char)(1u << (hf_rand(&seed) % 8)); break;
            case 1: buf[pos] = (unsigned char)hf_rand(&seed); break;
            case 2: n = pos; break;
            default: if (n < sizeof buf - 8) { buf[n] = (unsigned char)hf_rand(&seed); n++; } break;
            }
        }
        at = h2t_guard_place(&g, buf, n);
        rc = httpx__h2_frame_parse(at, n, 16384, &f, &fault, NULL);
        if (rc > 0) {   /* a frame's views stay inside it */
            good++;
            CHECK(rc >= 9 && (size_t)rc <= n);
            CHECK(f.payload >= at + 9 && f.payload + f.payload_len <= at + rc);
            if (f.type == HTTPX__H2_SETTINGS) for (k = 0; k < f.num_settings; k++) (void)httpx__h2_frame_setting(&f, k);
        } else {
            CHECK(rc == HTTPX__BAD || rc == HTTPX__AGAIN);
        }
    }
    CHECK(good > 1000);
    for (i = 0; i < nseeds; i++) free(seeds[i]);
    h2t_guard_free(&g);
}
