/* inflate.c: what the inflater and the Content-Encoding layers offer the
   others. */
#ifndef HTTPX_INFLATE_INTERNAL_H
#define HTTPX_INFLATE_INTERNAL_H
#include "internal.h"
#include <stdint.h>

/* ---- inflate: gzip, zlib and raw deflate, streamed (inflate.c) ----
   RFC 1951 (deflate), RFC 1950 (zlib: Adler-32 checked), RFC 1952 (gzip:
   header flags, CRC-32 and ISIZE checked, concatenated members). Pure: no
   allocation, no I/O; the caller owns the state (about 90 KiB: the 32 KiB
   history, 32 KiB of new output, the tables) and feeds input in any pieces,
   down to one byte at a time. Output comes as views into the state's window,
   valid until the next call, so a body is never held whole. The decoder
   counts bytes in and out; limits (a decompression bomb) are the caller's. */
#ifndef HTTPX_NO_INFLATE
#define HTTPX__INFLATE_HISTORY 32768u   /* the deflate window: the farthest a match looks back */
#define HTTPX__INFLATE_OUT 32768u       /* new output between two slides of the window */
#define HTTPX__INFLATE_SLOP 16u
#define HTTPX__INFLATE_GZIP_TEXT_MAX 65536u  /* a gzip header's file name or comment, each */         /* word-wise match copies may write this far past a match */
/* Table sizes: an 11-bit first level for literals/lengths and 8 bits for
   distances, each with second-level tables, are at most this big for any
   complete code of up to 15 bits (counted over every such code). */
#define HTTPX__INFLATE_LITLEN_BITS 11u
#define HTTPX__INFLATE_DIST_BITS 8u
#define HTTPX__INFLATE_LITLEN_ENOUGH 2342u
#define HTTPX__INFLATE_DIST_ENOUGH 402u

enum httpx__inflate_wrap {
    HTTPX__INFLATE_RAW,         /* RFC 1951 alone */
    HTTPX__INFLATE_ZLIB,        /* RFC 1950 */
    HTTPX__INFLATE_GZIP,        /* RFC 1952, one member or several */
    HTTPX__INFLATE_DEFLATE      /* Content-Encoding: deflate: zlib, or raw deflate as some servers send */
};

typedef struct httpx__inflate {
    enum httpx__inflate_wrap wrap;
    int state, hstate;          /* where decoding stopped (inflate.c), and within a header */
    uint64_t bitbuf;            /* input bits not used yet, the next one lowest */
    unsigned bitcount;
    bool last;                  /* the block being decoded is the final one */
    int tables;                 /* which tables litlen/dist hold: 0 none, 1 fixed, 2 dynamic */
    unsigned nlit, ndist, ncode, nlen;  /* a dynamic block's header as it comes */
    unsigned copy_len, copy_dist;       /* the rest of a match cut by the end of the window */
    unsigned stored_left;       /* bytes of a stored block still to copy */
    unsigned hleft;             /* bytes of a header or trailer field still to come */
    unsigned gzflags;           /* the gzip member's FLG */
    uint32_t check;             /* Adler-32 or CRC-32 of the output so far */
    uint32_t hcrc;              /* CRC-32 of the gzip header, for FHCRC */
    uint32_t trailer;           /* the trailer's bytes as they come */
    uint32_t member_out;        /* output of this gzip member, mod 2^32 (ISIZE) */
    unsigned members;           /* gzip members completed */
    uint64_t total_in;          /* input bytes taken, the wrapper and any ignored tail included */
    uint64_t total_out;         /* output bytes produced */
    uint64_t ignored;           /* bytes after the end of the stream, skipped (see inflate.c) */
    size_t pos;                 /* next write position in win */
    size_t ckpos;               /* win[ckpos..pos) is not in check yet */
    unsigned char lens[320];    /* code lengths of a dynamic block */
    uint32_t litlen[HTTPX__INFLATE_LITLEN_ENOUGH];
    uint32_t dist[HTTPX__INFLATE_DIST_ENOUGH];
    uint32_t pre[128];          /* the code-length code */
    uint32_t crc_table[8][256]; /* CRC-32, eight bytes a step; filled for gzip only */
    unsigned char win[HTTPX__INFLATE_HISTORY + HTTPX__INFLATE_OUT + HTTPX__INFLATE_SLOP];
} httpx__inflate;

HTTPX__PRIVATE void httpx__inflate_init(httpx__inflate *z, enum httpx__inflate_wrap wrap);
/* Decodes from in[0..n): *used bytes are taken, and the output made by this
   call is (*out, *outn), valid until the next call. Returns
     1             the window is full: hand the output on, then call again
                   with the rest of the input (even none);
     0             all input taken, and the stream is complete here (a gzip
                   stream may still go on with another member);
     HTTPX__AGAIN  all input taken, and more is needed;
     HTTPX__BAD    corrupt data (e: HTTPX_ERR_DECODING, what and at which
                   input byte); no output of this call is to be trusted past
                   what was handed on before, and later calls fail too. */
HTTPX__PRIVATE int httpx__inflate_step(httpx__inflate *z, const void *in, size_t n, size_t *used,
                                       const unsigned char **out, size_t *outn, httpx__err *e);
/* At the end of the input: 0 when the stream is complete, else HTTPX__BAD
   (e: HTTPX_ERR_DECODING, truncated). */
HTTPX__PRIVATE int httpx__inflate_finish(const httpx__inflate *z, httpx__err *e);

/* Content-Encoding decoding (content_coding.c): the layers of a
   Content-Encoding value ("gzip", "deflate", "x-gzip", "identity", and "br"
   under HTTPX_BROTLI, "zstd" under HTTPX_ZSTD; several, comma-separated,
   undone last first), pushed through to a sink or pulled, with the
   decompression-bomb limits: a total output cap and an output/input ratio,
   the ratio checked only once the output passes HTTPX__CDEC_RATIO_FLOOR
   (small bodies of zeros compress a thousandfold quite honestly). */
#define HTTPX__CDEC_MAX_LAYERS 5        /* as curl */
#define HTTPX__CDEC_RATIO_FLOOR ((uint64_t)1 << 20)
#define HTTPX__CDEC_LIB_OUT 32768u      /* a library decoder's output between two steps */
/* zstd's window, at most: RFC 8878 asks HTTP decoders for 8 MiB, and a
   server's frame header must not make us allocate more (zstd allows 128 MiB) */
#define HTTPX__CDEC_ZSTD_WINDOW_LOG 23
enum httpx__coding { HTTPX__CODING_INFLATE, HTTPX__CODING_BROTLI, HTTPX__CODING_ZSTD };
typedef struct httpx__cdec_layer {
    enum httpx__coding coding;
    httpx__inflate *z;                  /* inflate's state */
    void *lib;                          /* the library's decoder (brotli, zstd) */
    unsigned char *buf;                 /* its output (HTTPX__CDEC_LIB_OUT bytes) */
    bool complete;                      /* the library said the stream is whole */
} httpx__cdec_layer;
typedef int (*httpx__cdec_sink)(void *ctx, const unsigned char *p, size_t n);   /* nonzero: stop */
typedef struct httpx__cdec {
    unsigned nlayers;
    httpx__cdec_layer layer[HTTPX__CDEC_MAX_LAYERS];  /* in decoding order */
    /* each layer's output not yet taken by the next (a view into that
       layer's window, valid until it steps again, which it does only once
       the view is used up), and whether it must step again even without
       new input (its window filled up) */
    const unsigned char *pend[HTTPX__CDEC_MAX_LAYERS];
    size_t pend_n[HTTPX__CDEC_MAX_LAYERS];
    bool again[HTTPX__CDEC_MAX_LAYERS];
    const unsigned char *in;            /* encoded bytes given, not yet taken by the first layer */
    size_t in_n;
    uint64_t wire, out;                 /* bytes in (encoded), bytes out (decoded) */
    uint64_t max_out;                   /* 0: no cap */
    unsigned max_ratio;                 /* 0: no ratio limit */
} httpx__cdec;
/* Sets d up for a Content-Encoding value. Returns the number of layers to
   undo (0: nothing to decode, identity), or HTTPX__BAD (e: HTTPX_ERR_DECODING
   for a coding we do not know or too many layers, HTTPX_ERR_NOMEM). The
   codings we undo, for Accept-Encoding: HTTPX__CDEC_ACCEPT. */
#if defined(HTTPX_BROTLI) && defined(HTTPX_ZSTD)
#define HTTPX__CDEC_ACCEPT "gzip, deflate, br, zstd"
#elif defined(HTTPX_BROTLI)
#define HTTPX__CDEC_ACCEPT "gzip, deflate, br"
#elif defined(HTTPX_ZSTD)
#define HTTPX__CDEC_ACCEPT "gzip, deflate, zstd"
#else
#define HTTPX__CDEC_ACCEPT "gzip, deflate"
#endif
HTTPX__PRIVATE int httpx__cdec_init(httpx__cdec *d, const char *value, size_t n, uint64_t max_out,
                                    unsigned max_ratio, httpx__err *e);
/* Decodes in[0..n) into sink. 0, or HTTPX__BAD (e: HTTPX_ERR_DECODING for
   corrupt data or a limit, or whatever the sink's stop means: then e says
   "stopped by the sink" and the caller knows better). */
HTTPX__PRIVATE int httpx__cdec_feed(httpx__cdec *d, const void *in, size_t n, httpx__cdec_sink sink, void *ctx,
                                    httpx__err *e);
/* The same, pulled: httpx__cdec_input gives encoded bytes (the caller
   keeps them until httpx__cdec_pull has taken them all, i.e. returned 0),
   httpx__cdec_pull copies decoded bytes into buf: >0 bytes, 0 when all the
   input given is used and more is needed (or the end: see finish), or
   HTTPX__BAD. Memory stays the layers' windows, however large the body or
   small the reads. */
HTTPX__PRIVATE void httpx__cdec_input(httpx__cdec *d, const void *in, size_t n);
HTTPX__PRIVATE long httpx__cdec_pull(httpx__cdec *d, void *buf, size_t cap, httpx__err *e);
/* At the end of the body: 0 when every layer is complete, else HTTPX__BAD. */
HTTPX__PRIVATE int httpx__cdec_finish(httpx__cdec *d, httpx__err *e);
HTTPX__PRIVATE void httpx__cdec_free(httpx__cdec *d);
#endif /* HTTPX_NO_INFLATE */

#endif /* HTTPX_INFLATE_INTERNAL_H */
