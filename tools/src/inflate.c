/* inflate: gzip (RFC 1952), zlib (RFC 1950) and raw deflate (RFC 1951),
   streamed, for Content-Encoding. Private prefix: httpx__inf_.

   Output is written into z->win, which holds the last 32 KiB of output (the
   history a match may reach) followed by room for 32 KiB of new output; the
   caller reads the new part as a view, and when the room is nearly used up
   the next call slides the last 32 KiB down. Matches are then plain forward
   copies inside one array, never wrapping.

   Speed comes from the Huffman tables: one look-up of the low 11 bits (8 for
   distances) gives the symbol already turned into what it means (a literal
   byte, or a length or distance base with its count of extra bits), and codes
   longer than that go through a second-level table. The fast loop runs while
   at least 16 input bytes and 262 bytes of room remain: it refills a 64-bit
   bit buffer eight bytes at a time without a check per byte, which leaves
   enough bits for a whole length/distance pair, and it copies matches eight
   bytes at a time. Near the ends of the input or the room, a slow path does
   the same one symbol at a time, taking nothing from the bit buffer until a
   whole symbol with its extra bits is there, so it can stop at any byte and
   go on when more comes. */
#include "inflate_internal.h"

#ifndef HTTPX_NO_INFLATE

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Where decoding stands between calls. */
enum {
    HTTPX__INF_HEAD,            /* the zlib or gzip header (hstate says where in it) */
    HTTPX__INF_BLOCK,           /* a block's 3 header bits */
    HTTPX__INF_STORED_HEAD,     /* LEN and NLEN of a stored block */
    HTTPX__INF_STORED,          /* the bytes of a stored block */
    HTTPX__INF_DYN,             /* HLIT, HDIST, HCLEN */
    HTTPX__INF_DYN_PRE,         /* the code-length code's lengths */
    HTTPX__INF_DYN_LENS,        /* the literal/length and distance code lengths */
    HTTPX__INF_HUFF,            /* Huffman-coded symbols */
    HTTPX__INF_COPY,            /* the rest of a match that did not fit the room */
    HTTPX__INF_TRAILER,         /* Adler-32, or CRC-32 and ISIZE */
    HTTPX__INF_DONE,            /* complete (a gzip member may follow) */
    HTTPX__INF_IGNORE,          /* complete; what follows is skipped */
    HTTPX__INF_FAILED
};
/* Within a header. */
enum {
    HTTPX__INF_H_START,
    HTTPX__INF_H_ID2, HTTPX__INF_H_CM, HTTPX__INF_H_FLG, HTTPX__INF_H_FIXED,
    HTTPX__INF_H_XLEN1, HTTPX__INF_H_XLEN2, HTTPX__INF_H_EXTRA, HTTPX__INF_H_NAME,
    HTTPX__INF_H_COMMENT, HTTPX__INF_H_HCRC1, HTTPX__INF_H_HCRC2, HTTPX__INF_H_END
};

#define HTTPX__INF_LIMIT (HTTPX__INFLATE_HISTORY + HTTPX__INFLATE_OUT)   /* end of the room in win */

/* A table entry: bits 0-7 the code's length in bits (for a pointer to a
   second-level table, the first level's width), bits 8-11 the count of extra
   bits (for a pointer, the second level's width), bits 12-15 the kind, bits
   16-31 the value. An entry of no kind is a code that must not appear. */
#define HTTPX__INF_LIT 0x1000u      /* a literal byte (or a code-length symbol) */
#define HTTPX__INF_LEN 0x2000u      /* a length or distance: base + extra bits */
#define HTTPX__INF_EOB 0x4000u      /* end of block */
#define HTTPX__INF_SUB 0x8000u      /* first level: see the second-level table at value */

typedef struct httpx__inf_io {
    const unsigned char *start, *in, *end;
} httpx__inf_io;

static const unsigned short httpx__inf_len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const unsigned char httpx__inf_len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const unsigned short httpx__inf_dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const unsigned char httpx__inf_dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* RFC 1951 3.2.7: the order in which the code-length code's lengths come. */
static const unsigned char httpx__inf_pre_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* ---- checksums ---- */

static uint32_t httpx__inf_adler32(uint32_t adler, const unsigned char *p, size_t n) {
    uint32_t a = adler & 0xFFFFu, b = adler >> 16;
    while (n > 0) {
        /* 5552 is the most bytes before b can overflow 32 bits (RFC 1950's note) */
        size_t k = n < 5552 ? n : 5552;
        n -= k;
        for (; k >= 4; k -= 4, p += 4) {
            a += p[0]; b += a; a += p[1]; b += a;
            a += p[2]; b += a; a += p[3]; b += a;
        }
        for (; k > 0; k--) { a += *p++; b += a; }
        a %= 65521u;
        b %= 65521u;
    }
    return b << 16 | a;
}

/* Tables for CRC-32 (the reflected polynomial 0xEDB88320) eight bytes at a
   time: t[k][i] is the CRC of byte i followed by k zero bytes. */
static void httpx__inf_crc_init(uint32_t t[8][256]) {
    unsigned i, k;
    for (i = 0; i < 256; i++) {
        uint32_t c = i;
        for (k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (i = 0; i < 256; i++)
        for (k = 1; k < 8; k++) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
}

static uint32_t httpx__inf_le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t httpx__inf_crc32(const uint32_t t[8][256], uint32_t crc, const unsigned char *p, size_t n) {
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = httpx__inf_le32(p) ^ crc, hi = httpx__inf_le32(p + 4);
        crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
              t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    }
    for (; n > 0; n--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* Brings the checksum and the counts up to the output made so far. */
static void httpx__inf_sum(httpx__inflate *z) {
    size_t n = z->pos - z->ckpos;
    const unsigned char *p = z->win + z->ckpos;
    if (n == 0) return;
    if (z->wrap == HTTPX__INFLATE_GZIP) {
        z->check = httpx__inf_crc32((const uint32_t (*)[256])z->crc_table, z->check, p, n);
        z->member_out += (uint32_t)n;
    } else if (z->wrap == HTTPX__INFLATE_ZLIB) {
        z->check = httpx__inf_adler32(z->check, p, n);
    }
    z->total_out += n;
    z->ckpos = z->pos;
}

/* ---- errors ---- */

static int httpx__inf_bad(httpx__inflate *z, const httpx__inf_io *io, httpx__err *e, const char *what) {
    static const char *const names[] = {"raw deflate", "zlib", "gzip", "deflate"};
    z->state = HTTPX__INF_FAILED;
    httpx__fail(e, HTTPX_ERR_DECODING, "corrupt %s data: %s (near input byte %llu)", names[z->wrap], what,
                (unsigned long long)(z->total_in + (uint64_t)(io->in - io->start)));
    return HTTPX__BAD;
}

/* ---- Huffman tables ---- */

static unsigned httpx__inf_reverse(unsigned code, unsigned len) {
    unsigned r = 0;
    while (len--) { r = (r << 1) | (code & 1); code >>= 1; }
    return r;
}

enum { HTTPX__INF_KIND_LITLEN, HTTPX__INF_KIND_DIST, HTTPX__INF_KIND_PRE };

/* What symbol sym of a code of this kind means, as a table entry without
   its length. */
static uint32_t httpx__inf_meaning(int kind, unsigned sym) {
    if (kind == HTTPX__INF_KIND_PRE) return HTTPX__INF_LIT | (uint32_t)sym << 16;
    if (kind == HTTPX__INF_KIND_DIST)
        return sym < 30 ? HTTPX__INF_LEN | (uint32_t)httpx__inf_dist_extra[sym] << 8 |
                              (uint32_t)httpx__inf_dist_base[sym] << 16
                        : 0;   /* distance codes 30 and 31 */
    if (sym < 256) return HTTPX__INF_LIT | (uint32_t)sym << 16;
    if (sym == 256) return HTTPX__INF_EOB;
    if (sym < 286)
        return HTTPX__INF_LEN | (uint32_t)httpx__inf_len_extra[sym - 257] << 8 |
               (uint32_t)httpx__inf_len_base[sym - 257] << 16;
    return 0;   /* length codes 286 and 287 */
}

/* Fills table (cap entries, first level `bits` wide) for the canonical code
   of the lengths lens[0..n). NULL, or what is wrong with the lengths. As
   zlib does, a code with no symbols at all is accepted (any use of it is
   then an error), and so is an incomplete code when it is a single code of
   one bit (RFC 1951 3.2.7's one distance code), except for the code-length
   code, which must be complete. */
static const char *httpx__inf_build(uint32_t *table, unsigned cap, unsigned bits, const unsigned char *lens,
                                    unsigned n, int kind) {
    unsigned count[16], left_count[16], offs[16], max, len, i, sym, code, next_sub, subbits = 0;
    unsigned short sorted[320];
    unsigned prefix = ~0u, sub_base = 0, size = 1u << bits;
    int left;
    memset(count, 0, sizeof count);
    for (sym = 0; sym < n; sym++) count[lens[sym]]++;
    count[0] = 0;
    for (max = 15; max > 0 && count[max] == 0; max--) {}
    if (max == 0) {
        for (i = 0; i < size; i++) table[i] = 1;   /* nothing valid: a 1-bit code of no kind */
        return NULL;
    }
    left = 1;
    for (len = 1; len <= 15; len++) {
        left = left * 2 - (int)count[len];
        if (left < 0) return "over-subscribed code lengths";
    }
    if (left > 0 && (kind == HTTPX__INF_KIND_PRE || max != 1)) return "incomplete code lengths";
    if (left > 0)
        for (i = 0; i < size; i++) table[i] = 1;
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    for (sym = 0; sym < n; sym++)
        if (lens[sym]) sorted[offs[lens[sym]]++] = (unsigned short)sym;
    memcpy(left_count, count, sizeof count);
    next_sub = size;
    code = 0;
    i = 0;
    for (len = 1; len <= max; len++, code <<= 1) {
        unsigned k;
        for (k = 0; k < count[len]; k++, code++) {
            unsigned rev = httpx__inf_reverse(code, len), j;
            uint32_t en = httpx__inf_meaning(kind, sorted[i++]) | len;
            if (len <= bits) {
                for (j = rev; j < size; j += 1u << len) table[j] = en;
            } else {
                if ((rev & (size - 1)) != prefix) {
                    /* a new second-level table: as wide as the longest code
                       that shares this prefix needs (codes come shortest first) */
                    unsigned curr = len - bits;
                    int room = 1 << curr;
                    while (curr + bits < max) {
                        room -= (int)left_count[curr + bits];
                        if (room <= 0) break;
                        curr++;
                        room <<= 1;
                    }
                    subbits = curr;
                    prefix = rev & (size - 1);
                    sub_base = next_sub;
                    next_sub += 1u << subbits;
                    if (next_sub > cap) return "code too large for the tables";
                    table[prefix] = HTTPX__INF_SUB | (uint32_t)sub_base << 16 | (uint32_t)subbits << 8 | bits;
                }
                for (j = rev >> bits; j < (1u << subbits); j += 1u << (len - bits)) table[sub_base + j] = en;
            }
            left_count[len]--;
        }
    }
    return NULL;
}

static void httpx__inf_fixed(httpx__inflate *z) {
    unsigned i;
    for (i = 0; i < 144; i++) z->lens[i] = 8;
    for (; i < 256; i++) z->lens[i] = 9;
    for (; i < 280; i++) z->lens[i] = 7;
    for (; i < 288; i++) z->lens[i] = 8;
    for (; i < 288 + 32; i++) z->lens[i] = 5;
    /* the fixed code is complete: building cannot fail */
    (void)httpx__inf_build(z->litlen, HTTPX__INFLATE_LITLEN_ENOUGH, HTTPX__INFLATE_LITLEN_BITS, z->lens, 288,
                           HTTPX__INF_KIND_LITLEN);
    (void)httpx__inf_build(z->dist, HTTPX__INFLATE_DIST_ENOUGH, HTTPX__INFLATE_DIST_BITS, z->lens + 288, 32,
                           HTTPX__INF_KIND_DIST);
    z->tables = 1;
}

/* ---- the bit buffer, slowly ---- */

static bool httpx__inf_need(httpx__inflate *z, httpx__inf_io *io, unsigned n) {
    while (z->bitcount < n) {
        if (io->in == io->end) return false;
        z->bitbuf |= (uint64_t)*io->in++ << z->bitcount;
        z->bitcount += 8;
    }
    return true;
}

static void httpx__inf_drop(httpx__inflate *z, unsigned n) {   /* n <= bitcount, any size */
    z->bitbuf >>= n;
    z->bitcount -= n;
}

static unsigned httpx__inf_bits(httpx__inflate *z, unsigned n) {   /* n <= 16 */
    unsigned v = (unsigned)(z->bitbuf & ((1u << n) - 1));
    z->bitbuf >>= n;
    z->bitcount -= n;
    return v;
}

/* One byte of a header or trailer (whole bytes: the bit buffer is aligned
   there): what is left in the bit buffer first. -1 when the input ran out. */
static int httpx__inf_byte(httpx__inflate *z, httpx__inf_io *io) {
    if (z->bitcount >= 8) return (int)httpx__inf_bits(z, 8);
    if (io->in == io->end) return -1;
    return *io->in++;
}

/* The entry for the symbol `skip` bits into the bit buffer, once that symbol
   and its extra bits are all there (bytes are pulled until then; nothing is
   taken). False when the input runs out first. A look-up with fewer bits
   than the table's width is right whenever the entry's code fits in the bits
   there are: the bits above are zeros, and every entry of a code shorter
   than the width is repeated for every value of the bits past it. */
static bool httpx__inf_peek(httpx__inflate *z, httpx__inf_io *io, const uint32_t *t, unsigned bits, unsigned skip,
                            uint32_t *entry) {
    for (;;) {
        uint64_t b = z->bitbuf >> skip;
        uint32_t en = t[b & ((1u << bits) - 1)];
        unsigned need;
        if (en & HTTPX__INF_SUB) en = t[(en >> 16) + ((b >> bits) & ((1u << ((en >> 8) & 15)) - 1))];
        need = skip + (en & 0xFF) + ((en & HTTPX__INF_LEN) ? (en >> 8) & 15 : 0);
        if (need <= z->bitcount) { *entry = en; return true; }
        if (io->in == io->end) return false;
        z->bitbuf |= (uint64_t)*io->in++ << z->bitcount;
        z->bitcount += 8;
    }
}

/* The value of a length or distance entry whose code starts `skip` bits in. */
static unsigned httpx__inf_value(const httpx__inflate *z, uint32_t en, unsigned skip) {
    unsigned extra = (en >> 8) & 15;
    return (en >> 16) + (unsigned)((z->bitbuf >> (skip + (en & 0xFF))) & ((1u << extra) - 1));
}

static unsigned httpx__inf_size(uint32_t en) {   /* code and extra bits of an entry */
    return (en & 0xFF) + ((en & HTTPX__INF_LEN) ? (en >> 8) & 15 : 0);
}

/* ---- the fast loop ---- */

static uint64_t httpx__inf_le64(const unsigned char *p) {
    return (uint64_t)httpx__inf_le32(p) | (uint64_t)httpx__inf_le32(p + 4) << 32;
}

/* Decodes while at least 16 bytes of input and 262 of room are left.
   Returns 0 (go on in the slow path: an end of block, or too near an end),
   or HTTPX__BAD. */
static int httpx__inf_fast(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    const unsigned char *in = io->in, *in_end = io->end;
    unsigned char *win = z->win, *out = win + z->pos, *out_lim = win + HTTPX__INF_LIMIT - 262;
    uint64_t bb = z->bitbuf;
    unsigned bc = z->bitcount;
    const uint32_t *lt = z->litlen, *dt = z->dist;
    const uint64_t lmask = (1u << HTTPX__INFLATE_LITLEN_BITS) - 1, dmask = (1u << HTTPX__INFLATE_DIST_BITS) - 1;
    const char *err = NULL;
    /* Loads as many whole bytes as fit: bc becomes 56..63. The bits loaded
       above bc belong to bytes not taken yet; the next load puts the same
       values there again. */
#define HTTPX__INF_REFILL()                                       \
    do {                                                          \
        bb |= httpx__inf_le64(in) << bc;                          \
        in += (63 - bc) >> 3;                                     \
        bc |= 56;                                                 \
    } while (0)
#define HTTPX__INF_LOOKUP(t, mask, width, en)                                                     \
    do {                                                                                          \
        en = t[bb & (mask)];                                                                      \
        if (en & HTTPX__INF_SUB) en = t[(en >> 16) + ((bb >> (width)) & ((1u << ((en >> 8) & 15)) - 1))]; \
    } while (0)
    while (in_end - in >= 16 && out < out_lim) {
        uint32_t en;
        unsigned cl, ex, len, dist;
        HTTPX__INF_REFILL();
        HTTPX__INF_LOOKUP(lt, lmask, HTTPX__INFLATE_LITLEN_BITS, en);
        if (en & HTTPX__INF_LIT) {
            /* after a literal (15 bits at most) 41 remain: enough for
               another code, not for a length/distance pair */
            cl = en & 0xFF;
            bb >>= cl; bc -= cl;
            *out++ = (unsigned char)(en >> 16);
            HTTPX__INF_LOOKUP(lt, lmask, HTTPX__INFLATE_LITLEN_BITS, en);
            if (en & HTTPX__INF_LIT) {
                cl = en & 0xFF;
                bb >>= cl; bc -= cl;
                *out++ = (unsigned char)(en >> 16);
                continue;
            }
            HTTPX__INF_REFILL();   /* 16 bytes were there, at most 7 taken */
        }
        if (en & HTTPX__INF_LEN) {
            cl = en & 0xFF; ex = (en >> 8) & 15;
            len = (en >> 16) + (unsigned)((bb >> cl) & ((1u << ex) - 1));
            bb >>= cl + ex; bc -= cl + ex;
            HTTPX__INF_LOOKUP(dt, dmask, HTTPX__INFLATE_DIST_BITS, en);
            if (!(en & HTTPX__INF_LEN)) { err = "invalid distance code"; break; }
            cl = en & 0xFF; ex = (en >> 8) & 15;
            dist = (en >> 16) + (unsigned)((bb >> cl) & ((1u << ex) - 1));
            bb >>= cl + ex; bc -= cl + ex;
            if (dist > (size_t)(out - win)) { err = "distance too far back"; break; }
            {
                const unsigned char *src = out - dist;
                unsigned char *end = out + len;
                if (dist >= 8) {
                    /* each word read lies wholly before the write position;
                       up to 7 bytes past the match are written, into room
                       that is written again later */
                    do { memcpy(out, src, 8); out += 8; src += 8; } while (out < end);
                } else if (dist == 1) {
                    memset(out, *src, len);
                } else {
                    do { *out++ = *src++; } while (out < end);
                }
                out = end;
            }
        } else if (en & HTTPX__INF_EOB) {
            cl = en & 0xFF;
            bb >>= cl; bc -= cl;
            z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
            break;
        } else {
            err = "invalid literal/length code";
            break;
        }
    }
#undef HTTPX__INF_REFILL
#undef HTTPX__INF_LOOKUP
    io->in = in;
    z->pos = (size_t)(out - win);
    z->bitbuf = bb & (((uint64_t)1 << bc) - 1);
    z->bitcount = bc;
    if (err) return httpx__inf_bad(z, io, e, err);
    return 0;
}

/* ---- the slow path, one step at a time ---- */

/* One symbol, or the rest of a match. 1 progress, 0 room full (return 1 to
   the caller), HTTPX__AGAIN, HTTPX__BAD. */
static int httpx__inf_symbol(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    uint32_t en, de;
    unsigned skip, len, dist;
    if (!httpx__inf_peek(z, io, z->litlen, HTTPX__INFLATE_LITLEN_BITS, 0, &en)) return HTTPX__AGAIN;
    if (en & HTTPX__INF_LIT) {
        if (z->pos == HTTPX__INF_LIMIT) return 0;
        z->win[z->pos++] = (unsigned char)(en >> 16);
        httpx__inf_bits(z, en & 0xFF);
        return 1;
    }
    if (en & HTTPX__INF_EOB) {
        httpx__inf_bits(z, en & 0xFF);
        z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
        return 1;
    }
    if (!(en & HTTPX__INF_LEN)) return httpx__inf_bad(z, io, e, "invalid literal/length code");
    skip = httpx__inf_size(en);
    if (!httpx__inf_peek(z, io, z->dist, HTTPX__INFLATE_DIST_BITS, skip, &de)) return HTTPX__AGAIN;
    if (!(de & HTTPX__INF_LEN)) return httpx__inf_bad(z, io, e, "invalid distance code");
    len = httpx__inf_value(z, en, 0);
    dist = httpx__inf_value(z, de, skip);
    if (dist > z->pos) return httpx__inf_bad(z, io, e, "distance too far back");
    httpx__inf_drop(z, skip + httpx__inf_size(de));
    z->copy_len = len;
    z->copy_dist = dist;
    z->state = HTTPX__INF_COPY;
    return 1;
}

static int httpx__inf_copy(httpx__inflate *z) {
    size_t room = HTTPX__INF_LIMIT - z->pos, n = z->copy_len < room ? z->copy_len : room, i;
    unsigned char *out = z->win + z->pos;
    const unsigned char *src = out - z->copy_dist;
    for (i = 0; i < n; i++) out[i] = src[i];
    z->pos += n;
    z->copy_len -= (unsigned)n;
    if (z->copy_len) return 0;
    z->state = HTTPX__INF_HUFF;
    return 1;
}

static int httpx__inf_stored(httpx__inflate *z, httpx__inf_io *io) {
    while (z->stored_left > 0) {
        size_t room = HTTPX__INF_LIMIT - z->pos, n;
        if (room == 0) return 0;
        if (z->bitcount >= 8) {   /* bytes the bit buffer took ahead */
            z->win[z->pos++] = (unsigned char)httpx__inf_bits(z, 8);
            z->stored_left--;
            continue;
        }
        if (io->in == io->end) return HTTPX__AGAIN;
        n = (size_t)(io->end - io->in);
        if (n > room) n = room;
        if (n > z->stored_left) n = z->stored_left;
        memcpy(z->win + z->pos, io->in, n);
        io->in += n;
        z->pos += n;
        z->stored_left -= (unsigned)n;
    }
    z->state = z->last ? HTTPX__INF_TRAILER : HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_block(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned type;
    if (!httpx__inf_need(z, io, 3)) return HTTPX__AGAIN;
    z->last = httpx__inf_bits(z, 1) != 0;
    type = httpx__inf_bits(z, 2);
    if (type == 0) {
        z->bitbuf >>= z->bitcount & 7;   /* a stored block starts on a byte */
        z->bitcount &= ~7u;
        z->state = HTTPX__INF_STORED_HEAD;
    } else if (type == 1) {
        if (z->tables != 1) httpx__inf_fixed(z);
        z->state = HTTPX__INF_HUFF;
    } else if (type == 2) {
        z->state = HTTPX__INF_DYN;
    } else {
        return httpx__inf_bad(z, io, e, "invalid block type 3");
    }
    return 1;
}

static int httpx__inf_dyn_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    if (!httpx__inf_need(z, io, 14)) return HTTPX__AGAIN;
    z->nlit = 257 + httpx__inf_bits(z, 5);
    z->ndist = 1 + httpx__inf_bits(z, 5);
    z->ncode = 4 + httpx__inf_bits(z, 4);
    if (z->nlit > 286 || z->ndist > 30) return httpx__inf_bad(z, io, e, "too many length or distance symbols");
    memset(z->lens, 0, 19);
    z->nlen = 0;
    z->tables = 0;
    z->state = HTTPX__INF_DYN_PRE;
    return 1;
}

static int httpx__inf_dyn_pre(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    const char *why;
    while (z->nlen < z->ncode) {
        if (!httpx__inf_need(z, io, 3)) return HTTPX__AGAIN;
        z->lens[httpx__inf_pre_order[z->nlen++]] = (unsigned char)httpx__inf_bits(z, 3);
    }
    why = httpx__inf_build(z->pre, 128, 7, z->lens, 19, HTTPX__INF_KIND_PRE);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed code-length code"
                                                              : "incomplete code-length code");
    z->nlen = 0;
    z->state = HTTPX__INF_DYN_LENS;
    return 1;
}

static int httpx__inf_dyn_lens(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned total = z->nlit + z->ndist;
    const char *why;
    while (z->nlen < total) {
        uint32_t en;
        unsigned sym, cl, rep;
        unsigned char fill = 0;
        if (!httpx__inf_peek(z, io, z->pre, 7, 0, &en)) return HTTPX__AGAIN;
        if (!(en & HTTPX__INF_LIT)) return httpx__inf_bad(z, io, e, "invalid code-length code");
        sym = en >> 16;
        cl = en & 0xFF;
        if (sym < 16) {
            httpx__inf_bits(z, cl);
            z->lens[z->nlen++] = (unsigned char)sym;
            continue;
        }
        {
            unsigned extra = sym == 16 ? 2 : sym == 17 ? 3 : 7;
            if (!httpx__inf_need(z, io, cl + extra)) return HTTPX__AGAIN;
            if (sym == 16) {
                if (z->nlen == 0) return httpx__inf_bad(z, io, e, "repeated code length with none before");
                fill = z->lens[z->nlen - 1];
            }
            httpx__inf_bits(z, cl);
            rep = httpx__inf_bits(z, extra) + (sym == 16 ? 3 : sym == 17 ? 3 : 11);
        }
        if (z->nlen + rep > total) return httpx__inf_bad(z, io, e, "code lengths repeated past the end");
        memset(z->lens + z->nlen, fill, rep);
        z->nlen += rep;
    }
    if (z->lens[256] == 0) return httpx__inf_bad(z, io, e, "no end-of-block code");
    why = httpx__inf_build(z->litlen, HTTPX__INFLATE_LITLEN_ENOUGH, HTTPX__INFLATE_LITLEN_BITS, z->lens, z->nlit,
                           HTTPX__INF_KIND_LITLEN);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed literal/length code"
                                                            : "incomplete literal/length code");
    why = httpx__inf_build(z->dist, HTTPX__INFLATE_DIST_ENOUGH, HTTPX__INFLATE_DIST_BITS, z->lens + z->nlit,
                           z->ndist, HTTPX__INF_KIND_DIST);
    if (why) return httpx__inf_bad(z, io, e, why[0] == 'o' ? "over-subscribed distance code"
                                                            : "incomplete distance code");
    z->tables = 2;
    z->state = HTTPX__INF_HUFF;
    return 1;
}

/* ---- wrappers ---- */

static void httpx__inf_member_start(httpx__inflate *z) {
    z->check = 0;
    z->hcrc = 0;
    z->member_out = 0;
    z->state = HTTPX__INF_HEAD;
    z->hstate = HTTPX__INF_H_START;
}

/* A header byte of a gzip member, through the header's CRC. */
static int httpx__inf_gzbyte(httpx__inflate *z, httpx__inf_io *io) {
    int c = httpx__inf_byte(z, io);
    if (c >= 0) {
        unsigned char b = (unsigned char)c;
        z->hcrc = httpx__inf_crc32((const uint32_t (*)[256])z->crc_table, z->hcrc, &b, 1);
    }
    return c;
}

/* The next header field after `from` that the flags say is there. */
static int httpx__inf_gz_next(unsigned flags, int from) {
    if (from < HTTPX__INF_H_XLEN1 && (flags & 4)) return HTTPX__INF_H_XLEN1;      /* FEXTRA */
    if (from < HTTPX__INF_H_NAME && (flags & 8)) return HTTPX__INF_H_NAME;        /* FNAME */
    if (from < HTTPX__INF_H_COMMENT && (flags & 16)) return HTTPX__INF_H_COMMENT; /* FCOMMENT */
    if (from < HTTPX__INF_H_HCRC1 && (flags & 2)) return HTTPX__INF_H_HCRC1;      /* FHCRC */
    return HTTPX__INF_H_END;
}

static int httpx__inf_gzip_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    while (z->hstate != HTTPX__INF_H_END) {
        int h = z->hstate;
        int c = h >= HTTPX__INF_H_HCRC1 ? httpx__inf_byte(z, io) : httpx__inf_gzbyte(z, io);
        if (c < 0) return HTTPX__AGAIN;
        switch (h) {
        case HTTPX__INF_H_START:
        case HTTPX__INF_H_ID2:
            if (c != (h == HTTPX__INF_H_START ? 0x1F : 0x8B))
                return httpx__inf_bad(z, io, e, "not a gzip stream (no magic bytes)");
            z->hstate = h + 1;
            break;
        case HTTPX__INF_H_CM:
            if (c != 8) return httpx__inf_bad(z, io, e, "unknown compression method");
            z->hstate = HTTPX__INF_H_FLG;
            break;
        case HTTPX__INF_H_FLG:
            if (c & 0xE0) return httpx__inf_bad(z, io, e, "reserved header flags set");
            z->gzflags = (unsigned)c;
            z->hleft = 6;   /* MTIME, XFL, OS */
            z->hstate = HTTPX__INF_H_FIXED;
            break;
        case HTTPX__INF_H_FIXED:
            if (--z->hleft == 0) z->hstate = httpx__inf_gz_next(z->gzflags, h);
            break;
        case HTTPX__INF_H_XLEN1:
            z->hleft = (unsigned)c;
            z->hstate = HTTPX__INF_H_XLEN2;
            break;
        case HTTPX__INF_H_XLEN2:
            z->hleft |= (unsigned)c << 8;
            z->hstate = z->hleft ? HTTPX__INF_H_EXTRA : httpx__inf_gz_next(z->gzflags, HTTPX__INF_H_EXTRA);
            break;
        case HTTPX__INF_H_EXTRA:
            if (--z->hleft == 0) z->hstate = httpx__inf_gz_next(z->gzflags, h);
            break;
        case HTTPX__INF_H_NAME:
        case HTTPX__INF_H_COMMENT:
            /* zero-terminated, of any length by the RFC: an endless one
               would read a body forever with no output, so it is capped
               (hleft counts it; every field before it leaves hleft 0) */
            if (c == 0) {
                z->hleft = 0;
                z->hstate = httpx__inf_gz_next(z->gzflags, h);
            } else if (++z->hleft > HTTPX__INFLATE_GZIP_TEXT_MAX) {
                return httpx__inf_bad(z, io, e, h == HTTPX__INF_H_NAME ? "header file name too long"
                                                                        : "header comment too long");
            }
            break;
        case HTTPX__INF_H_HCRC1:
            z->trailer = (unsigned)c;
            z->hstate = HTTPX__INF_H_HCRC2;
            break;
        default:   /* HTTPX__INF_H_HCRC2 */
            z->trailer |= (unsigned)c << 8;
            if (z->trailer != (z->hcrc & 0xFFFF)) return httpx__inf_bad(z, io, e, "header CRC mismatch");
            z->hstate = HTTPX__INF_H_END;
            break;
        }
    }
    z->trailer = 0;
    z->state = HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_zlib_head(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    unsigned cmf, flg;
    if (!httpx__inf_need(z, io, 16)) return HTTPX__AGAIN;
    cmf = (unsigned)(z->bitbuf & 0xFF);
    flg = (unsigned)((z->bitbuf >> 8) & 0xFF);
    if (z->wrap == HTTPX__INFLATE_DEFLATE) {
        /* Content-Encoding: deflate is zlib (RFC 9110 8.4.1.2), but some
           servers send raw deflate, and a few gzip: the first two bytes tell
           them apart (0x1F cannot start a valid raw stream: block type 3) */
        if (cmf == 0x1F && flg == 0x8B) {
            z->wrap = HTTPX__INFLATE_GZIP;
            httpx__inf_member_start(z);
            return 1;
        }
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || (cmf << 8 | flg) % 31 != 0) {
            z->wrap = HTTPX__INFLATE_RAW;
            z->state = HTTPX__INF_BLOCK;
            return 1;
        }
        z->wrap = HTTPX__INFLATE_ZLIB;
    }
    if ((cmf & 0x0F) != 8) return httpx__inf_bad(z, io, e, "unknown compression method");
    if ((cmf >> 4) > 7) return httpx__inf_bad(z, io, e, "window size over 32 KiB");
    if ((cmf << 8 | flg) % 31 != 0) return httpx__inf_bad(z, io, e, "header check failed");
    if (flg & 0x20) return httpx__inf_bad(z, io, e, "a preset dictionary is needed");
    httpx__inf_bits(z, 16);
    z->check = 1;
    z->state = HTTPX__INF_BLOCK;
    return 1;
}

static int httpx__inf_trailer(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    if (z->hleft == 0) {   /* first time here: the trailer starts on a byte */
        z->bitbuf >>= z->bitcount & 7;
        z->bitcount &= ~7u;
        z->hleft = z->wrap == HTTPX__INFLATE_GZIP ? 8 : z->wrap == HTTPX__INFLATE_ZLIB ? 4 : 0;
        z->trailer = 0;
        httpx__inf_sum(z);
        if (z->hleft == 0) { z->state = HTTPX__INF_DONE; return 1; }
    }
    while (z->hleft > 0) {
        int c = httpx__inf_byte(z, io);
        if (c < 0) return HTTPX__AGAIN;
        z->hleft--;
        if (z->wrap == HTTPX__INFLATE_ZLIB) {
            z->trailer = z->trailer << 8 | (unsigned)c;
        } else {
            z->trailer |= (uint32_t)c << (8 * ((7 - z->hleft) & 3));
            if (z->hleft == 4) {
                if (z->trailer != z->check) return httpx__inf_bad(z, io, e, "CRC-32 mismatch");
                z->trailer = 0;
            }
        }
    }
    if (z->wrap == HTTPX__INFLATE_ZLIB && z->trailer != z->check)
        return httpx__inf_bad(z, io, e, "Adler-32 mismatch");
    if (z->wrap == HTTPX__INFLATE_GZIP) {
        if (z->trailer != z->member_out) return httpx__inf_bad(z, io, e, "length (ISIZE) mismatch");
        z->members++;
    }
    z->state = HTTPX__INF_DONE;
    return 1;
}

/* After the end: another gzip member, or bytes to skip. Clients built on
   zlib (curl, Python's HTTPX) ignore what follows a complete stream, and
   what came before it was whole and checked, so it is skipped and counted
   rather than failing a good body. */
static int httpx__inf_after(httpx__inflate *z, httpx__inf_io *io) {
    if (z->state == HTTPX__INF_DONE && z->wrap == HTTPX__INFLATE_GZIP) {
        if (!httpx__inf_need(z, io, 16)) return 0;
        if ((z->bitbuf & 0xFFFF) == 0x8B1F) {
            httpx__inf_member_start(z);
            return 1;
        }
    }
    if (z->state == HTTPX__INF_DONE && io->in == io->end && z->bitcount == 0) return 0;
    z->state = HTTPX__INF_IGNORE;
    z->ignored += z->bitcount / 8 + (uint64_t)(io->end - io->in);
    z->bitbuf = 0;
    z->bitcount = 0;
    io->in = io->end;
    return 0;
}

/* Runs the state machine until the input, the room or the stream ends. */
static int httpx__inf_run(httpx__inflate *z, httpx__inf_io *io, httpx__err *e) {
    for (;;) {
        int rc;
        switch (z->state) {
        case HTTPX__INF_HEAD:
            rc = z->wrap == HTTPX__INFLATE_GZIP ? httpx__inf_gzip_head(z, io, e) : httpx__inf_zlib_head(z, io, e);
            break;
        case HTTPX__INF_BLOCK: rc = httpx__inf_block(z, io, e); break;
        case HTTPX__INF_STORED_HEAD:
            if (!httpx__inf_need(z, io, 32)) return HTTPX__AGAIN;
            if ((z->bitbuf & 0xFFFF) != (~z->bitbuf >> 16 & 0xFFFF))
                return httpx__inf_bad(z, io, e, "stored block length does not match its complement");
            z->stored_left = httpx__inf_bits(z, 16);
            httpx__inf_bits(z, 16);
            z->state = HTTPX__INF_STORED;
            rc = 1;
            break;
        case HTTPX__INF_STORED: rc = httpx__inf_stored(z, io); break;
        case HTTPX__INF_DYN: rc = httpx__inf_dyn_head(z, io, e); break;
        case HTTPX__INF_DYN_PRE: rc = httpx__inf_dyn_pre(z, io, e); break;
        case HTTPX__INF_DYN_LENS: rc = httpx__inf_dyn_lens(z, io, e); break;
        case HTTPX__INF_HUFF:
            if (io->end - io->in >= 16 && z->pos < HTTPX__INF_LIMIT - 262) {
                if (httpx__inf_fast(z, io, e) != 0) return HTTPX__BAD;
                continue;
            }
            rc = httpx__inf_symbol(z, io, e);
            break;
        case HTTPX__INF_COPY: rc = httpx__inf_copy(z); break;
        case HTTPX__INF_TRAILER: rc = httpx__inf_trailer(z, io, e); break;
        case HTTPX__INF_DONE:
        case HTTPX__INF_IGNORE:
            rc = httpx__inf_after(z, io);
            if (rc == 0) return 0;
            break;
        default:
            httpx__fail(e, HTTPX_ERR_DECODING, "inflate: called again after an error");
            return HTTPX__BAD;
        }
        if (rc == 0) return 1;   /* the room is full */
        if (rc != 1) return rc;
    }
}

/* ---- the interface ---- */

HTTPX__PRIVATE void httpx__inflate_init(httpx__inflate *z, enum httpx__inflate_wrap wrap) {
    memset(z, 0, offsetof(httpx__inflate, lens));
    z->wrap = wrap;
    z->state = wrap == HTTPX__INFLATE_RAW ? HTTPX__INF_BLOCK : HTTPX__INF_HEAD;
    if (wrap == HTTPX__INFLATE_GZIP || wrap == HTTPX__INFLATE_DEFLATE) httpx__inf_crc_init(z->crc_table);
}

HTTPX__PRIVATE int httpx__inflate_step(httpx__inflate *z, const void *in, size_t n, size_t *used,
                                       const unsigned char **out, size_t *outn, httpx__err *e) {
    static const unsigned char none[1] = {0};
    httpx__inf_io io;
    size_t start;
    int rc;
    io.start = io.in = n ? (const unsigned char *)in : none;
    io.end = io.in + n;
    *used = 0;
    *out = z->win;
    *outn = 0;
    /* Slide once the room is nearly used up: the last 32 KiB stay as history. */
    if (z->pos > HTTPX__INFLATE_HISTORY && HTTPX__INF_LIMIT - z->pos < 2048) {
        memmove(z->win, z->win + z->pos - HTTPX__INFLATE_HISTORY, HTTPX__INFLATE_HISTORY);
        z->pos = z->ckpos = HTTPX__INFLATE_HISTORY;
    }
    start = z->pos;
    rc = httpx__inf_run(z, &io, e);
    *used = (size_t)(io.in - io.start);
    z->total_in += *used;
    if (rc == HTTPX__BAD) {
        z->state = HTTPX__INF_FAILED;
        return HTTPX__BAD;
    }
    httpx__inf_sum(z);
    *out = z->win + start;
    *outn = z->pos - start;
    return rc;
}

HTTPX__PRIVATE int httpx__inflate_finish(const httpx__inflate *z, httpx__err *e) {
    static const char *const names[] = {"raw deflate", "zlib", "gzip", "deflate"};
    const char *where;
    switch (z->state) {
    case HTTPX__INF_DONE: case HTTPX__INF_IGNORE: return 0;
    case HTTPX__INF_FAILED:
        httpx__fail(e, HTTPX_ERR_DECODING, "inflate: the stream failed earlier");
        return HTTPX__BAD;
    case HTTPX__INF_HEAD: where = "in its header"; break;
    case HTTPX__INF_TRAILER: where = "in its trailer"; break;
    default: where = "inside a block"; break;
    }
    httpx__fail(e, HTTPX_ERR_DECODING, "truncated %s data: the body ends %s (after %llu bytes in, %llu out)",
                names[z->wrap], where, (unsigned long long)z->total_in, (unsigned long long)z->total_out);
    return HTTPX__BAD;
}

#endif /* HTTPX_NO_INFLATE */
