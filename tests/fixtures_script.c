/* The scripted stream of fixtures_script.h. */
#include "fixtures_script.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

const char fx_wait[] = "(wait for the client)";

typedef struct fx_script_stream_t {
    httpx__stream base;
    fx_script *sc;
    int ready_fd;                   /* /dev/null: what the loop polls while there is news */
} fx_script_stream_t;

static fx_script_stream_t *fx_ss(const httpx__stream *s) { return (fx_script_stream_t *)(void *)(uintptr_t)s; }

/* Whether recv has something to give now (bytes or the end). */
static bool fx_script_has_news(const fx_script *sc) {
    return !sc->waiting && (sc->chunks[sc->next] != NULL || sc->close_at_end);
}

static void fx_script_show(fx_script_stream_t *ss) {
    ss->base.fd = fx_script_has_news(ss->sc) ? ss->ready_fd : HTTPX__NO_SOCK;
}

static long fx_script_send(httpx__stream *s, const void *p, size_t n, httpx__err *e) {
    fx_script_stream_t *ss = fx_ss(s);
    if (!httpx__buf_append(&ss->sc->sent, p, n)) return httpx__fail(e, HTTPX_ERR_NOMEM, "script: out of memory");
    ss->sc->waiting = false;        /* a request came: the server goes on */
    fx_script_show(ss);
    return (long)n;
}

static long fx_script_recv(httpx__stream *s, void *p, size_t n, httpx__err *e) {
    fx_script_stream_t *ss = fx_ss(s);
    fx_script *sc = ss->sc;
    const char *chunk;
    size_t left;
    (void)e;
    while ((chunk = sc->chunks[sc->next]) == FX_WAIT && !sc->waiting) {
        sc->next++;                 /* the client has sent since: go on after it */
        sc->waiting = true;
    }
    if (sc->waiting || (!chunk && !sc->close_at_end)) {
        s->want = POLLIN;
        fx_script_show(ss);
        return HTTPX__AGAIN;
    }
    if (!chunk) return 0;
    left = strlen(chunk) - sc->off;
    if (sc->split && left > sc->split) left = sc->split;
    if (left > n) left = n;
    memcpy(p, chunk + sc->off, left);
    sc->off += left;
    sc->recvs++;
    if (chunk[sc->off] == 0) {
        sc->next++;
        sc->off = 0;
        if (sc->chunks[sc->next] == FX_WAIT) {
            sc->next++;
            sc->waiting = true;
        }
    }
    fx_script_show(ss);
    return (long)left;
}

static size_t fx_script_pending(const httpx__stream *s) {
    const fx_script *sc = fx_ss(s)->sc;
    const char *chunk = sc->chunks[sc->next];
    return sc->waiting || !chunk || chunk == FX_WAIT ? 0 : strlen(chunk) - sc->off;
}

static const char *fx_script_query(const httpx__stream *s, int fact) {
    (void)s;
    return fact == HTTPX__FACT_PEER ? "script" : NULL;
}

static void fx_script_free_stream(httpx__stream *s) {
    fx_script_stream_t *ss = fx_ss(s);
    ss->sc->freed = true;
    close(ss->ready_fd);
    free(ss);
}

static int fx_script_connect(httpx__stream *s, httpx__err *e) { (void)s; (void)e; return 1; }

static const httpx__stream_ops fx_script_ops = {
    fx_script_connect, fx_script_send, fx_script_recv, fx_script_pending, fx_script_query, fx_script_free_stream
};

httpx__stream *fx_script_stream(fx_script *sc) {
    fx_script_stream_t *ss = (fx_script_stream_t *)calloc(1, sizeof *ss);
    if (!ss) return NULL;
    ss->ready_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (ss->ready_fd < 0) { free(ss); return NULL; }
    ss->base.ops = &fx_script_ops;
    ss->sc = sc;
    sc->next = sc->off = 0;
    sc->waiting = true;             /* a server speaks after the request */
    sc->freed = false;
    sc->recvs = 0;
    fx_script_show(ss);
    return &ss->base;
}

void fx_script_free(fx_script *sc) { httpx__buf_free(&sc->sent); }
