/* text_internal.h: decoded views of a body: charsets, text, the parsed JSON (text.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__TEXT_INTERNAL_H
#define HTTPX__TEXT_INTERNAL_H
#include "internal.h"
#include "engine_internal.h"
/* Incremental decoding of a body to UTF-8 (text.c). */
enum httpx__enc { HTTPX__ENC_SNIFF, HTTPX__ENC_UTF8, HTTPX__ENC_UTF16LE, HTTPX__ENC_UTF16BE,
                  HTTPX__ENC_UTF16,   /* "utf-16": the BOM decides, little-endian without one */
                  HTTPX__ENC_LATIN1, HTTPX__ENC_CP1252, HTTPX__ENC_ASCII };
typedef struct httpx__textdec {
    enum httpx__enc enc;        /* SNIFF: decide by a byte order mark, else UTF-8 */
    bool bom_checked;           /* a BOM of the encoding in use is dropped once, at the start */
    unsigned char pend[4];      /* bytes of a character cut at the end of the last piece */
    size_t npend;
    uint32_t high;              /* UTF-16: a high surrogate waiting for its low half, else 0 */
} httpx__textdec;
/* The encoding a charset label names (ASCII case-insensitive); SNIFF for no
   label, UTF8 for a label we do not know. */
HTTPX__PRIVATE enum httpx__enc httpx__enc_of_label(const char *label, size_t n);
HTTPX__PRIVATE const char *httpx__enc_name(enum httpx__enc enc);
/* Appends the UTF-8 of in[0..n) to out. final: no more input comes, so a cut
   character becomes U+FFFD. False only when out of memory. */
HTTPX__PRIVATE bool httpx__text_decode(httpx__textdec *d, const char *in, size_t n, bool final, httpx__buf *out);

/* Per response, made on first use: the decoded text and the parsed JSON. */
typedef struct httpx__views {
    httpx__textdec dec;         /* httpx_text's decoder (whole body), and the encoding decided */
    bool text_done;
    const char *text;           /* the body itself when it needed no change, else text_buf.p */
    size_t text_len;
    httpx__buf text_buf;
    httpx__textdec stream_dec;  /* httpx_read_text */
    httpx__buf stream_buf;
    bool stream_started, stream_end;
    bool json_done;
    httpx_json_value *json;
    httpx_json_error json_error;
} httpx__views;
HTTPX__PRIVATE httpx__views *httpx__views_of(httpx__response *r);   /* NULL: out of memory */

#endif /* HTTPX__TEXT_INTERNAL_H */
