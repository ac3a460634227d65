/* Out of memory at every allocation of an HTTP/2 session (h2_session.c):
   a scripted exchange (three requests, a head split over CONTINUATIONs, a
   dynamic table, padded DATA, trailers, PING, GOAWAY) is run with an
   allocator that fails after k allocations, for k = 0, 1, 2, ... until a run
   needs no more. Every failure must come out as HTTPX_ERR_NOMEM (a NULL
   session, a failed submit or send, a dead session), never a crash, a leak
   (built with ASan) or another error.
       build/oom_h2 */
#define _POSIX_C_SOURCE 200809L     /* before any system header */
#include <stdlib.h>
#include <string.h>
static long budget = -1;          /* allocations left; -1: no limit */
static long used;
static void *oom_malloc(size_t n) {
    if (budget == 0) return NULL;
    if (budget > 0) budget--;
    used++;
    return malloc(n);
}
static void *oom_realloc(void *p, size_t n) {
    if (budget == 0) return NULL;
    if (budget > 0) budget--;
    used++;
    return realloc(p, n);
}
#define HTTPX_MALLOC(n) oom_malloc(n)
#define HTTPX_REALLOC(p, n) oom_realloc(p, n)
#define HTTPX_FREE(p) free(p)
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"
#include <stdio.h>

#ifndef HTTPX_NO_HTTP2
static void field(httpx__hpack_field *f, const char *name, const char *value) {
    memset(f, 0, sizeof *f);
    f->name = name;
    f->nlen = strlen(name);
    f->value = value;
    f->vlen = strlen(value);
}

/* The server's bytes, built before the allocator starts failing. */
static void script(httpx__buf *srv) {
    httpx__hpack_enc enc;
    httpx__hpack_field f[3];
    httpx__buf block = {0};
    static char longv[3000];
    memset(longv, 'v', sizeof longv - 1);
    httpx__hpack_enc_init(&enc, 4096);
    httpx__h2_write_settings(srv, NULL, 0);
    field(&f[0], ":status", "200");
    field(&f[1], "content-type", "text/plain");
    field(&f[2], "x-long", longv);
    f[2].index = HTTPX__HPACK_INDEX;
    httpx__hpack_encode(&enc, &block, f, 3, NULL);
    httpx__h2_write_header_block(srv, 1, block.p, block.len, false, 1000);   /* HEADERS + CONTINUATIONs */
    httpx__h2_write_data(srv, 1, "hello", 5, false);
    httpx__buf_clear(&block);
    httpx__hpack_encode(&enc, &block, f, 3, NULL);          /* now from the dynamic table */
    httpx__h2_write_header_block(srv, 3, block.p, block.len, false, 16384);
    httpx__h2_write_frame(srv, HTTPX__H2_DATA, HTTPX__H2_FLAG_PADDED | HTTPX__H2_FLAG_END_STREAM, 3, "\2abc\0\0", 6);
    httpx__buf_clear(&block);
    field(&f[0], "x-checksum", "42");
    httpx__hpack_encode(&enc, &block, f, 1, NULL);
    httpx__h2_write_header_block(srv, 1, block.p, block.len, true, 16384);   /* trailers */
    httpx__h2_write_ping(srv, (const uint8_t *)"12345678", false);
    httpx__h2_write_window_update(srv, 0, 1000);
    httpx__h2_write_goaway(srv, 3, HTTPX__H2_NO_ERROR, "bye", 3);
    httpx__buf_free(&block);
    httpx__hpack_enc_free(&enc);
}

/* One run; 0 when it completed, 1 when it failed with NOMEM as it should,
   2 when it went wrong otherwise. */
static int run_once(const httpx__buf *srv) {
    httpx__h2_session *s;
    httpx__hpack_field f[4];
    httpx__err e;
    httpx__h2_event ev;
    size_t off = 0, i, len;
    int nomem = 0, bad = 0;
    uint32_t id;
    memset(&e, 0, sizeof e);
    s = httpx__h2_new(NULL, &e);
    if (!s) return e.code == HTTPX_ERR_NOMEM ? 1 : 2;
    field(&f[0], ":method", "GET");
    field(&f[1], ":scheme", "http");
    field(&f[2], ":authority", "example.com");
    field(&f[3], ":path", "/");
    for (i = 0; i < 3; i++) {
        httpx_error rc;
        if (i == 2) field(&f[0], ":method", "POST");
        rc = httpx__h2_submit(s, f, 4, i == 2, NULL, &id, &e);
        if (rc != HTTPX_OK) {   /* the script's stream ids would not match: stop here */
            httpx__h2_free(s);
            return rc == HTTPX_ERR_NOMEM ? 1 : 2;
        }
    }
    if (httpx__h2_send_data(s, 5, "body", 4, true, &e) < 0 && e.code != HTTPX_ERR_NOMEM) bad = 1;
    while (off < srv->len) {
        size_t used_bytes = 0, step = srv->len - off < 7 ? srv->len - off : 7;
        int rc = httpx__h2_feed(s, srv->p + off, step, &used_bytes, &e);
        while (httpx__h2_next_event(s, &ev)) {
            if (ev.type == HTTPX__H2_EV_DATA) httpx__h2_consumed(s, ev.stream_id, ev.len);
            if (ev.type == HTTPX__H2_EV_ERROR && ev.error != HTTPX_ERR_NOMEM) bad = 1;
            if (ev.type == HTTPX__H2_EV_RESET && ev.stream_id != 5) bad = 1;
        }
        if (rc != 0) {
            if (e.code == HTTPX_ERR_NOMEM) nomem = 1;
            else bad = 1;
            break;
        }
        off += used_bytes;
        httpx__h2_out(s, &len);
        httpx__h2_out_done(s, len);
    }
    httpx__h2_cancel(s, 5);
    httpx__h2_goaway(s);
    if (httpx__h2_dead(s)) nomem = 1;
    httpx__h2_free(s);
    return bad ? 2 : nomem;
}
#endif

int main(void) {
#ifndef HTTPX_NO_HTTP2
    httpx__buf srv = {0};
    long k, runs = 0, bad = 0, need;
    script(&srv);
    used = 0;
    if (run_once(&srv) != 0) {
        printf("oom_h2: the run without limits failed\n");
        return 1;
    }
    need = used;
    for (k = 0; k <= need; k++) {
        int r;
        budget = k;
        r = run_once(&srv);
        budget = -1;
        runs++;
        if (r == 2) printf("oom_h2: allocation %ld: a failure other than NOMEM\n", k);
        if (r == 0 && k < need) printf("oom_h2: allocation %ld failed and nobody noticed\n", k);
        bad += r == 2 || (r == 0 && k < need);
    }
    httpx__buf_free(&srv);
    printf("oom_h2: %ld runs, %ld allocations, every one failed in turn, %ld bad outcomes\n", runs, need, bad);
    return bad ? 1 : 0;
#else
    printf("oom_h2: HTTP/2 is compiled out\n");
    return 0;
#endif
}
