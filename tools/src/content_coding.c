/* content_coding: the layers of a Content-Encoding, undone in turn, with
   the decompression-bomb limits. gzip and deflate are inflate.c's; br and
   zstd are the user's libraries (HTTPX_BROTLI: libbrotlidec; HTTPX_ZSTD:
   libzstd), each behind the same step as inflate: take input, give a view
   of output, say whether it must be called again, is complete, or failed.
   Layers are pulled: a layer steps only once its last output was all taken
   by the next, so every view stays valid and memory stays the layers'
   windows, however large the body. */
#include "inflate_internal.h"

#ifndef HTTPX_NO_INFLATE

#include <string.h>
#ifdef HTTPX_BROTLI
#include <brotli/decode.h>
#endif
#ifdef HTTPX_ZSTD
#include <zstd.h>
#endif

/* ---- the library decoders, as inflate steps ---- */

#ifdef HTTPX_BROTLI
/* brotli allocates through ours, so an allocator the user set (and the
   out-of-memory tests) see its memory too */
static void *httpx__br_alloc(void *opaque, size_t n) {
    (void)opaque;
    return httpx__malloc(n);
}
static void httpx__br_free(void *opaque, void *p) {
    (void)opaque;
    httpx__free(p);
}

static int httpx__br_step(httpx__cdec_layer *l, const unsigned char *in, size_t n, size_t *used, size_t *outn,
                          httpx__err *e) {
    size_t avail_in = n, avail_out = HTTPX__CDEC_LIB_OUT;
    const uint8_t *next_in = in;
    uint8_t *next_out = l->buf;
    BrotliDecoderResult rc;
    if (l->complete) {
        *used = 0;
        *outn = 0;
        if (!n) return 0;
        httpx__fail(e, HTTPX_ERR_DECODING, "corrupt brotli data: %zu bytes after the end of the stream", n);
        return HTTPX__BAD;
    }
    rc = BrotliDecoderDecompressStream((BrotliDecoderState *)l->lib, &avail_in, &next_in, &avail_out, &next_out,
                                       NULL);
    *used = n - avail_in;
    *outn = HTTPX__CDEC_LIB_OUT - avail_out;
    switch (rc) {
    case BROTLI_DECODER_RESULT_SUCCESS:
        l->complete = true;
        if (avail_in) {
            httpx__fail(e, HTTPX_ERR_DECODING, "corrupt brotli data: %zu bytes after the end of the stream", avail_in);
            return HTTPX__BAD;
        }
        return 0;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: return HTTPX__AGAIN;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: return 1;
    default:
        httpx__fail(e, HTTPX_ERR_DECODING, "corrupt brotli data: %s",
                    BrotliDecoderErrorString(BrotliDecoderGetErrorCode((BrotliDecoderState *)l->lib)));
        return HTTPX__BAD;
    }
}
#endif

#ifdef HTTPX_ZSTD
/* Frames may follow one another (RFC 8878 3.1); the stream is complete
   when the last one is whole and all its output was given. */
static int httpx__zstd_step(httpx__cdec_layer *l, const unsigned char *in, size_t n, size_t *used, size_t *outn,
                            httpx__err *e) {
    ZSTD_inBuffer ib;
    ZSTD_outBuffer ob;
    size_t rc;
    ib.src = in;
    ib.size = n;
    ib.pos = 0;
    ob.dst = l->buf;
    ob.size = HTTPX__CDEC_LIB_OUT;
    ob.pos = 0;
    do {   /* a call may stop at the end of a frame with input left */
        rc = ZSTD_decompressStream((ZSTD_DStream *)l->lib, &ob, &ib);
        *used = ib.pos;
        *outn = ob.pos;
        if (ZSTD_isError(rc)) {
            httpx__fail(e, HTTPX_ERR_DECODING, "corrupt zstd data: %s", ZSTD_getErrorName(rc));
            return HTTPX__BAD;
        }
        l->complete = rc == 0;
    } while (ib.pos < ib.size && ob.pos < ob.size);
    if (ob.pos == ob.size) return 1;    /* more may be waiting inside */
    return rc == 0 && ib.pos == ib.size ? 0 : HTTPX__AGAIN;
}
#endif

/* One step of layer l, with inflate's contract (inflate_internal.h). */
static int httpx__cdec_step(httpx__cdec_layer *l, const unsigned char *in, size_t n, size_t *used,
                            const unsigned char **out, size_t *outn, httpx__err *e) {
    switch (l->coding) {
#ifdef HTTPX_BROTLI
    case HTTPX__CODING_BROTLI:
        *out = l->buf;
        return httpx__br_step(l, in, n, used, outn, e);
#endif
#ifdef HTTPX_ZSTD
    case HTTPX__CODING_ZSTD:
        *out = l->buf;
        return httpx__zstd_step(l, in, n, used, outn, e);
#endif
    default: return httpx__inflate_step(l->z, in, n, used, out, outn, e);
    }
}

static int httpx__cdec_layer_finish(const httpx__cdec_layer *l, httpx__err *e) {
    static const char *const names[] = {"", "brotli", "zstd"};
    if (l->coding == HTTPX__CODING_INFLATE) return httpx__inflate_finish(l->z, e);
    if (l->complete) return 0;
    httpx__fail(e, HTTPX_ERR_DECODING, "truncated %s data: the body ends inside the stream", names[l->coding]);
    return HTTPX__BAD;
}

static void httpx__cdec_layer_free(httpx__cdec_layer *l) {
    httpx__free(l->z);
#ifdef HTTPX_BROTLI
    if (l->coding == HTTPX__CODING_BROTLI && l->lib) BrotliDecoderDestroyInstance((BrotliDecoderState *)l->lib);
#endif
#ifdef HTTPX_ZSTD
    if (l->coding == HTTPX__CODING_ZSTD && l->lib) ZSTD_freeDStream((ZSTD_DStream *)l->lib);
#endif
    httpx__free(l->buf);
    memset(l, 0, sizeof *l);
}

/* Makes the state of a layer: false when out of memory. */
static bool httpx__cdec_layer_new(httpx__cdec_layer *l, enum httpx__coding coding, enum httpx__inflate_wrap wrap) {
    memset(l, 0, sizeof *l);
    l->coding = coding;
    if (coding == HTTPX__CODING_INFLATE) {
        l->z = (httpx__inflate *)httpx__malloc(sizeof *l->z);
        if (!l->z) return false;
        httpx__inflate_init(l->z, wrap);
        return true;
    }
    l->buf = (unsigned char *)httpx__malloc(HTTPX__CDEC_LIB_OUT);
    if (!l->buf) return false;
#ifdef HTTPX_BROTLI
    if (coding == HTTPX__CODING_BROTLI) l->lib = BrotliDecoderCreateInstance(httpx__br_alloc, httpx__br_free, NULL);
#endif
#ifdef HTTPX_ZSTD
    if (coding == HTTPX__CODING_ZSTD) {
        ZSTD_DStream *z = ZSTD_createDStream();
        if (z && ZSTD_isError(ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, HTTPX__CDEC_ZSTD_WINDOW_LOG))) {
            ZSTD_freeDStream(z);
            z = NULL;
        }
        l->lib = z;
    }
#endif
    return l->lib != NULL;
}

/* ---- layers and limits ---- */

HTTPX__PRIVATE void httpx__cdec_free(httpx__cdec *d) {
    unsigned i;
    for (i = 0; i < d->nlayers; i++) httpx__cdec_layer_free(&d->layer[i]);
    d->nlayers = 0;
}

HTTPX__PRIVATE int httpx__cdec_init(httpx__cdec *d, const char *value, size_t n, uint64_t max_out,
                                    unsigned max_ratio, httpx__err *e) {
    enum httpx__inflate_wrap wraps[HTTPX__CDEC_MAX_LAYERS];
    enum httpx__coding codings[HTTPX__CDEC_MAX_LAYERS];
    unsigned count = 0, i;
    size_t at = 0;
    memset(d, 0, sizeof *d);
    d->max_out = max_out;
    d->max_ratio = max_ratio;
    while (at < n) {
        size_t s, t;
        httpx__str tok;
        while (at < n && (value[at] == ',' || value[at] == ' ' || value[at] == '\t')) at++;
        s = at;
        while (at < n && value[at] != ',') at++;
        t = at;
        while (t > s && (value[t - 1] == ' ' || value[t - 1] == '\t')) t--;
        if (t == s) continue;
        tok.p = value + s;
        tok.n = t - s;
        if (httpx__str_ieq(tok, "identity")) continue;
        if (count == HTTPX__CDEC_MAX_LAYERS) {
            httpx__fail(e, HTTPX_ERR_DECODING, "Content-Encoding: more than %d layers", HTTPX__CDEC_MAX_LAYERS);
            return HTTPX__BAD;
        }
        codings[count] = HTTPX__CODING_INFLATE;
        wraps[count] = HTTPX__INFLATE_RAW;
        if (httpx__str_ieq(tok, "gzip") || httpx__str_ieq(tok, "x-gzip")) wraps[count++] = HTTPX__INFLATE_GZIP;
        else if (httpx__str_ieq(tok, "deflate")) wraps[count++] = HTTPX__INFLATE_DEFLATE;
#ifdef HTTPX_BROTLI
        else if (httpx__str_ieq(tok, "br")) codings[count++] = HTTPX__CODING_BROTLI;
#endif
#ifdef HTTPX_ZSTD
        else if (httpx__str_ieq(tok, "zstd")) codings[count++] = HTTPX__CODING_ZSTD;
#endif
        else {
            httpx__fail(e, HTTPX_ERR_DECODING, "Content-Encoding: unknown coding \"%.*s\"", (int)(tok.n > 40 ? 40 : tok.n),
                        tok.p);
            return HTTPX__BAD;
        }
    }
    /* the codings are listed in the order they were applied: undo the last first */
    for (i = 0; i < count; i++) {
        if (!httpx__cdec_layer_new(&d->layer[d->nlayers], codings[count - 1 - i], wraps[count - 1 - i])) {
            d->nlayers++;   /* what it made is freed with the others */
            httpx__cdec_free(d);
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory for a decoder");
            return HTTPX__BAD;
        }
        d->nlayers++;
    }
    return (int)count;
}

/* The limits, on n more bytes of decoded output. */
static int httpx__cdec_limits(httpx__cdec *d, size_t n, httpx__err *e) {
    d->out += n;
    if (d->max_out && d->out > d->max_out) {
        httpx__fail(e, HTTPX_ERR_DECODING, "decompressed body over the limit of %llu bytes (a decompression bomb?)",
                    (unsigned long long)d->max_out);
        return HTTPX__BAD;
    }
    if (d->max_ratio && d->out > HTTPX__CDEC_RATIO_FLOOR && d->out / (d->wire ? d->wire : 1) >= d->max_ratio) {
        httpx__fail(e, HTTPX_ERR_DECODING,
                    "decompressed body %llu bytes from %llu: over %u times larger (a decompression bomb?)",
                    (unsigned long long)d->out, (unsigned long long)d->wire, d->max_ratio);
        return HTTPX__BAD;
    }
    return 0;
}

/* Makes layer i have output waiting (pend[i]): 1 when it has, 0 when the
   input given is used up first, HTTPX__BAD. A layer steps only once its
   last output is all taken, so the views stay valid. */
static int httpx__cdec_fill(httpx__cdec *d, unsigned i, httpx__err *e) {
    for (;;) {
        const unsigned char **in, *out;
        size_t *in_n, used, outn;
        int rc;
        if (d->pend_n[i]) return 1;
        if (i == 0) {
            in = &d->in;
            in_n = &d->in_n;
            if (!*in_n && !d->again[0]) return 0;
        } else {
            rc = httpx__cdec_fill(d, i - 1, e);
            if (rc == HTTPX__BAD) return HTTPX__BAD;
            if (rc == 0 && !d->again[i]) return 0;
            in = &d->pend[i - 1];
            in_n = &d->pend_n[i - 1];
        }
        rc = httpx__cdec_step(&d->layer[i], *in, *in_n, &used, &out, &outn, e);
        if (rc == HTTPX__BAD) return HTTPX__BAD;
        *in += used;
        *in_n -= used;
        d->pend[i] = out;
        d->pend_n[i] = outn;
        d->again[i] = rc == 1;
        /* a guard: a step takes all its input or fills its window */
        if (rc != 1 && !outn && *in_n) {
            httpx__fail(e, HTTPX_ERR_DECODING, "corrupt data: the decoder stopped with %zu bytes left", *in_n);
            return HTTPX__BAD;
        }
    }
}

HTTPX__PRIVATE void httpx__cdec_input(httpx__cdec *d, const void *in, size_t n) {
    d->in = (const unsigned char *)in;
    d->in_n = n;
    d->wire += n;
}

HTTPX__PRIVATE long httpx__cdec_pull(httpx__cdec *d, void *buf, size_t cap, httpx__err *e) {
    unsigned last = d->nlayers - 1;
    size_t k;
    int rc;
    if (!d->nlayers) {   /* identity: the input as it is */
        k = d->in_n < cap ? d->in_n : cap;
        if (httpx__cdec_limits(d, k, e) != 0) return HTTPX__BAD;
        if (!k) return 0;   /* nothing in (d->in may be NULL: no offset on it) */
        memcpy(buf, d->in, k);
        d->in += k;
        d->in_n -= k;
        return (long)k;
    }
    rc = httpx__cdec_fill(d, last, e);
    if (rc <= 0) return rc;
    k = d->pend_n[last] < cap ? d->pend_n[last] : cap;
    if (httpx__cdec_limits(d, k, e) != 0) return HTTPX__BAD;
    memcpy(buf, d->pend[last], k);
    d->pend[last] += k;
    d->pend_n[last] -= k;
    return (long)k;
}

HTTPX__PRIVATE int httpx__cdec_feed(httpx__cdec *d, const void *in, size_t n, httpx__cdec_sink sink, void *ctx,
                                    httpx__err *e) {
    unsigned last = d->nlayers - 1;
    int rc;
    httpx__cdec_input(d, in, n);
    if (!d->nlayers) {   /* identity */
        d->in_n = 0;
        if (n && httpx__cdec_limits(d, n, e) != 0) return HTTPX__BAD;
        if (n && sink(ctx, (const unsigned char *)in, n) != 0) {
            httpx__fail(e, HTTPX_ERR_DECODING, "stopped by the sink");
            return HTTPX__BAD;
        }
        return 0;
    }
    while ((rc = httpx__cdec_fill(d, last, e)) == 1) {
        size_t k = d->pend_n[last];
        if (httpx__cdec_limits(d, k, e) != 0) return HTTPX__BAD;
        d->pend_n[last] = 0;
        if (sink(ctx, d->pend[last], k) != 0) {
            httpx__fail(e, HTTPX_ERR_DECODING, "stopped by the sink");
            return HTTPX__BAD;
        }
    }
    return rc;
}

HTTPX__PRIVATE int httpx__cdec_finish(httpx__cdec *d, httpx__err *e) {
    unsigned i;
    for (i = 0; i < d->nlayers; i++)
        if (httpx__cdec_layer_finish(&d->layer[i], e) != 0) return HTTPX__BAD;
    return 0;
}

#endif /* HTTPX_NO_INFLATE */
