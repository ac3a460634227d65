/* text: the reading layer's views of a body: r.text, iter_text and
   r.json() (the parser itself is json.c, pure). A body is decoded to UTF-8 by the charset of
   its Content-Type, else by a byte order mark, else as UTF-8; what is not
   valid in the encoding becomes U+FFFD the way Python's bytes.decode(enc,
   "replace") does it, so httpx_text agrees with HTTPX's r.text.
   The decoder is incremental (a character cut between two reads waits in
   the decoder for the rest), so httpx_read_text never splits one.
   Private prefix: httpx__text_ (and httpx__enc_ for encodings). */
#include "internal.h"

/* Windows-1252 0x80..0x9F (Unicode's cp1252 mapping; above 0x9F it is
   Latin-1). The five bytes it leaves undefined decode to U+FFFD, as in Python
   (browsers map them to C1 controls instead; we follow HTTPX). */
static const uint16_t httpx__enc_cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Labels compared with case, '-', '_' and ' ' ignored ("UTF-8" = "utf8"),
   as Python's codec lookup is lenient the same way. */
static const struct { const char *label; enum httpx__enc enc; } httpx__enc_labels[] = {
    {"utf8", HTTPX__ENC_UTF8}, {"u8", HTTPX__ENC_UTF8}, {"unicode11utf8", HTTPX__ENC_UTF8},
    {"utf16", HTTPX__ENC_UTF16}, {"utf16le", HTTPX__ENC_UTF16LE}, {"utf16be", HTTPX__ENC_UTF16BE},
    {"iso88591", HTTPX__ENC_LATIN1}, {"latin1", HTTPX__ENC_LATIN1}, {"l1", HTTPX__ENC_LATIN1},
    {"cp819", HTTPX__ENC_LATIN1}, {"ibm819", HTTPX__ENC_LATIN1}, {"8859", HTTPX__ENC_LATIN1},
    {"isoir100", HTTPX__ENC_LATIN1}, {"csisolatin1", HTTPX__ENC_LATIN1}, {"iso885911987", HTTPX__ENC_LATIN1},
    {"windows1252", HTTPX__ENC_CP1252}, {"cp1252", HTTPX__ENC_CP1252}, {"1252", HTTPX__ENC_CP1252},
    {"xcp1252", HTTPX__ENC_CP1252},
    {"ascii", HTTPX__ENC_ASCII}, {"usascii", HTTPX__ENC_ASCII}, {"ansix3.41968", HTTPX__ENC_ASCII},
    {"iso646us", HTTPX__ENC_ASCII}, {"us", HTTPX__ENC_ASCII}, {"646", HTTPX__ENC_ASCII},
    {"cp367", HTTPX__ENC_ASCII}, {"csascii", HTTPX__ENC_ASCII}, {"isoir6", HTTPX__ENC_ASCII},
};

HTTPX__PRIVATE enum httpx__enc httpx__enc_of_label(const char *label, size_t n) {
    char key[32];
    size_t i, k = 0;
    if (!label || !n) return HTTPX__ENC_SNIFF;
    for (i = 0; i < n; i++) {
        char c = (char)httpx__lower((unsigned char)label[i]);
        if (c == '-' || c == '_' || c == ' ') continue;
        if (k + 1 >= sizeof key) return HTTPX__ENC_UTF8;
        key[k++] = c;
    }
    key[k] = 0;
    for (i = 0; i < sizeof httpx__enc_labels / sizeof httpx__enc_labels[0]; i++)
        if (!strcmp(key, httpx__enc_labels[i].label)) return httpx__enc_labels[i].enc;
    return HTTPX__ENC_UTF8;     /* unknown: UTF-8 with replacement, not an error */
}

HTTPX__PRIVATE const char *httpx__enc_name(enum httpx__enc enc) {
    switch (enc) {
    case HTTPX__ENC_UTF16LE: return "utf-16-le";
    case HTTPX__ENC_UTF16BE: return "utf-16-be";
    case HTTPX__ENC_LATIN1: return "iso-8859-1";
    case HTTPX__ENC_CP1252: return "windows-1252";
    case HTTPX__ENC_ASCII: return "ascii";
    default: return "utf-8";
    }
}

/* The encoding for a body starting with p[0..n), and the length of the BOM
   to drop. A BOM that names the encoding in use is never content, so it is
   dropped (as browsers do; Python's "utf-8" would keep it as U+FEFF). */
static enum httpx__enc httpx__enc_resolve(enum httpx__enc enc, const unsigned char *p, size_t n, size_t *bom) {
    bool utf8_bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
    bool le = n >= 2 && p[0] == 0xFF && p[1] == 0xFE, be = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;
    *bom = 0;
    switch (enc) {
    case HTTPX__ENC_SNIFF:
        if (utf8_bom) { *bom = 3; return HTTPX__ENC_UTF8; }
        if (le || be) { *bom = 2; return le ? HTTPX__ENC_UTF16LE : HTTPX__ENC_UTF16BE; }
        return HTTPX__ENC_UTF8;
    case HTTPX__ENC_UTF8:
        if (utf8_bom) *bom = 3;
        return enc;
    case HTTPX__ENC_UTF16LE: case HTTPX__ENC_UTF16BE:
        if (enc == HTTPX__ENC_UTF16LE ? le : be) *bom = 2;
        return enc;
    case HTTPX__ENC_UTF16:
        if (le || be) *bom = 2;
        return be ? HTTPX__ENC_UTF16BE : HTTPX__ENC_UTF16LE;   /* no BOM: little-endian, as Python */
    default:
        return enc;
    }
}

/* ---- decoders: append to out; pending bytes stay in d ---- */

static const char httpx__text_fffd[3] = {'\xEF', '\xBF', '\xBD'};

static void httpx__text_put(httpx__buf *out, uint32_t cp) {
    char u[4];
    httpx__buf_append(out, u, httpx__utf8_put(u, cp));
}

/* Finishes a character cut at the end of the last piece. Returns the input
   bytes it used, or (size_t)-1 when it is still incomplete (all kept). */
static size_t httpx__text_utf8_pending(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    unsigned char tmp[4];
    size_t tn = d->npend, take = 0, bad;
    uint32_t cp;
    int k;
    memcpy(tmp, d->pend, tn);
    while (tn < 4 && take < n) tmp[tn++] = p[take++];
    k = httpx__utf8_next(tmp, tn, &cp);
    if (k == HTTPX__AGAIN && !final) {           /* still cut: keep it all */
        memcpy(d->pend, tmp, tn);
        d->npend = tn;
        return (size_t)-1;
    }
    if (k > 0) {
        httpx__buf_append(out, tmp, (size_t)k);
        take = (size_t)k - d->npend;
    } else {
        bad = k == HTTPX__AGAIN ? tn : httpx__utf8_bad_len(tmp, tn);
        httpx__buf_append(out, httpx__text_fffd, 3);
        take = bad - d->npend;                   /* the kept bytes are a valid start: bad >= npend */
    }
    d->npend = 0;
    return take;
}

static void httpx__text_utf8(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    size_t i = 0, run;
    if (d->npend) {
        i = httpx__text_utf8_pending(d, p, n, final, out);
        if (i == (size_t)-1) return;
    }
    while (i < n) {
        uint32_t cp;
        int k = 0;
        run = i;
        while (run < n && (p[run] < 0x80 || (k = httpx__utf8_next(p + run, n - run, &cp)) > 0))
            run += p[run] < 0x80 ? 1 : (size_t)k;
        httpx__buf_append(out, p + i, run - i);
        i = run;
        if (i == n) break;
        if (k == HTTPX__AGAIN && !final) {       /* cut at the end: wait for the rest */
            memcpy(d->pend, p + i, n - i);
            d->npend = n - i;
            return;
        }
        httpx__buf_append(out, httpx__text_fffd, 3);
        i += k == HTTPX__AGAIN ? n - i : httpx__utf8_bad_len(p + i, n - i);
    }
}

static void httpx__text_utf16_unit(httpx__textdec *d, uint32_t u, httpx__buf *out) {
    if (d->high) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            httpx__text_put(out, 0x10000 + ((d->high - 0xD800) << 10) + (u - 0xDC00));
            d->high = 0;
            return;
        }
        httpx__buf_append(out, httpx__text_fffd, 3);
        d->high = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) d->high = u;
    else if (u >= 0xDC00 && u <= 0xDFFF) httpx__buf_append(out, httpx__text_fffd, 3);
    else httpx__text_put(out, u);
}

static void httpx__text_utf16(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    bool le = d->enc == HTTPX__ENC_UTF16LE;
    size_t i = 0;
    if (d->npend && n) {
        unsigned char a = d->pend[0], b = p[0];
        httpx__text_utf16_unit(d, le ? (uint32_t)(a | b << 8) : (uint32_t)(a << 8 | b), out);
        d->npend = 0;
        i = 1;
    }
    for (; i + 1 < n; i += 2)
        httpx__text_utf16_unit(d, le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]), out);
    if (i < n) {
        d->pend[0] = p[i];
        d->npend = 1;
    }
    if (final && (d->high || d->npend)) {         /* a cut unit or pair at the end: one U+FFFD, as Python */
        httpx__buf_append(out, httpx__text_fffd, 3);
        d->high = 0;
        d->npend = 0;
    }
}

static void httpx__text_bytes(const httpx__textdec *d, const unsigned char *p, size_t n, httpx__buf *out) {
    size_t i, run;
    for (i = 0; i < n;) {
        for (run = i; run < n && p[run] < 0x80; run++) {}
        httpx__buf_append(out, p + i, run - i);
        if (run == n) break;
        if (d->enc == HTTPX__ENC_ASCII) httpx__buf_append(out, httpx__text_fffd, 3);
        else if (d->enc == HTTPX__ENC_CP1252 && p[run] < 0xA0) httpx__text_put(out, httpx__enc_cp1252[p[run] - 0x80]);
        else httpx__text_put(out, p[run]);
        i = run + 1;
    }
}

static void httpx__text_body(httpx__textdec *d, const unsigned char *p, size_t n, bool final, httpx__buf *out) {
    switch (d->enc) {
    case HTTPX__ENC_UTF16LE: case HTTPX__ENC_UTF16BE: httpx__text_utf16(d, p, n, final, out); break;
    case HTTPX__ENC_LATIN1: case HTTPX__ENC_CP1252: case HTTPX__ENC_ASCII: httpx__text_bytes(d, p, n, out); break;
    default: httpx__text_utf8(d, p, n, final, out);
    }
}

/* The first bytes wait in pend until there are three (or the input ends), so
   that a BOM can be recognised however the body is cut. */
HTTPX__PRIVATE bool httpx__text_decode(httpx__textdec *d, const char *in, size_t n, bool final, httpx__buf *out) {
    const unsigned char *p = (const unsigned char *)in;
    if (!d->bom_checked) {
        unsigned char head[3];
        size_t bom, hn;
        while (d->npend < 3 && n) { d->pend[d->npend++] = *p++; n--; }
        if (d->npend < 3 && !final) return httpx__buf_reserve(out, 0);
        d->enc = httpx__enc_resolve(d->enc, d->pend, d->npend, &bom);
        d->bom_checked = true;
        hn = d->npend - bom;
        memcpy(head, d->pend + bom, hn);
        d->npend = 0;
        httpx__text_body(d, head, hn, false, out);
    }
    httpx__text_body(d, p, n, final, out);
    return httpx__buf_reserve(out, 0);          /* false when any append failed (sticky) */
}

/* ---- the response ---- */

HTTPX__PRIVATE httpx__views *httpx__views_of(httpx__response *r) {
    if (!r->views) {
        r->views = (httpx__views *)httpx__malloc(sizeof *r->views);
        if (r->views) memset(r->views, 0, sizeof *r->views);
    }
    return r->views;
}

/* The charset parameter of Content-Type (RFC 9110 8.3.1: parameters after
   ';', names case-insensitive, values a token or a quoted string). */
static enum httpx__enc httpx__text_declared(const httpx_response *r) {
    const char *p = httpx_header(r, "content-type");
    while (p && (p = strchr(p, ';')) != NULL) {
        const char *name, *v;
        size_t nn, vn = 0;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        for (name = p; *p && *p != '=' && *p != ';'; p++) {}
        nn = (size_t)(p - name);
        while (nn && (name[nn - 1] == ' ' || name[nn - 1] == '\t')) nn--;
        if (*p != '=') continue;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        v = p;
        if (*p == '"') {
            for (v = ++p; *p && *p != '"'; p++) {}
            vn = (size_t)(p - v);
        } else {
            for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {}
            vn = (size_t)(p - v);
        }
        if (nn == 7 && httpx__mem_ieq(name, "charset", 7)) return httpx__enc_of_label(v, vn);
    }
    return HTTPX__ENC_SNIFF;
}

static bool httpx__text_ascii(const char *s, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

HTTPX_API const char *httpx_text(httpx_response *pub) {
    httpx__views *vw;
    enum httpx__enc enc;
    size_t bom;
    if (!pub) return NULL;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    if (!vw) return NULL;
    if (vw->text_done) return vw->text;
    memset(&vw->dec, 0, sizeof vw->dec);
    vw->dec.enc = httpx__text_declared(pub);
    enc = httpx__enc_resolve(vw->dec.enc, (const unsigned char *)pub->content, pub->content_length, &bom);
    /* Most bodies need no change: then the text is the body itself. */
    if (!bom && ((enc == HTTPX__ENC_UTF8 && httpx__utf8_valid(pub->content, pub->content_length) == pub->content_length) ||
                 ((enc == HTTPX__ENC_LATIN1 || enc == HTTPX__ENC_CP1252 || enc == HTTPX__ENC_ASCII) &&
                  httpx__text_ascii(pub->content, pub->content_length)))) {
        vw->dec.enc = enc;
        vw->dec.bom_checked = true;
        vw->text = pub->content;
        vw->text_len = pub->content_length;
    } else {
        httpx__buf_clear(&vw->text_buf);
        if (!httpx__text_decode(&vw->dec, pub->content, pub->content_length, true, &vw->text_buf)) return NULL;
        vw->text = vw->text_buf.p;
        vw->text_len = vw->text_buf.len;
    }
    vw->text_done = true;
    return vw->text;
}

HTTPX_API size_t httpx_text_len(httpx_response *r) {
    return httpx_text(r) ? ((httpx__response *)(void *)r)->views->text_len : 0;
}

HTTPX_API const char *httpx_encoding(httpx_response *pub) {
    httpx__views *vw;
    size_t bom;
    if (!pub) return "utf-8";
    vw = ((httpx__response *)(void *)pub)->views;
    if (vw && vw->text_done) return httpx__enc_name(vw->dec.enc);
    if (vw && vw->stream_dec.bom_checked) return httpx__enc_name(vw->stream_dec.enc);
    return httpx__enc_name(httpx__enc_resolve(httpx__text_declared(pub), (const unsigned char *)pub->content,
                                              pub->content_length, &bom));
}

static const char *httpx__text_nomem(httpx_response *pub) {
    pub->error = HTTPX_ERR_NOMEM;
    pub->error_message = "out of memory";
    return NULL;
}

HTTPX_API const char *httpx_read_text(httpx_response *pub, size_t *len) {
    httpx__response *r = (httpx__response *)(void *)pub;
    httpx__views *vw;
    if (len) *len = 0;
    if (!pub) return NULL;
    vw = httpx__views_of(r);
    if (!vw) return httpx__text_nomem(pub);
    if (vw->stream_end) return NULL;
    if (!r->ex.stream) {            /* the body is in memory already: it is one piece */
        const char *t = httpx_text(pub);
        vw->stream_end = true;
        if (!t) return httpx__text_nomem(pub);
        if (len) *len = vw->text_len;
        return vw->text_len ? t : NULL;
    }
    if (!vw->stream_started) {
        vw->stream_started = true;
        vw->stream_dec.enc = httpx__text_declared(pub);
    }
    httpx__buf_clear(&vw->stream_buf);
    for (;;) {
        char chunk[4096];
        long n = httpx_read(pub, chunk, sizeof chunk);
        if (n < 0) return NULL;
        if (!httpx__text_decode(&vw->stream_dec, chunk, (size_t)n, n == 0, &vw->stream_buf)) return httpx__text_nomem(pub);
        if (n == 0) vw->stream_end = true;
        if (vw->stream_buf.len) {
            if (len) *len = vw->stream_buf.len;
            return vw->stream_buf.p;
        }
        if (n == 0) return NULL;
    }
}

/* ---- the response's JSON ---- */

static const httpx_json_error httpx__j_nomem = {HTTPX_ERR_NOMEM, 0, 0, 0, "out of memory"};

HTTPX_API const httpx_json_value *httpx_json(httpx_response *pub) {
    httpx__views *vw;
    if (!pub) return NULL;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    if (!vw) return NULL;
    if (!vw->json_done) {
        vw->json_done = true;
        if (pub->error) {
            vw->json_error.code = pub->error;
            snprintf(vw->json_error.message, sizeof vw->json_error.message, "no JSON: the request failed: %s",
                     pub->error_message);
        } else {
            vw->json = httpx_json_parse(pub->content, pub->content_length, &vw->json_error);
        }
    }
    return vw->json;
}

HTTPX_API const httpx_json_error *httpx_json_error_of(httpx_response *pub) {
    httpx__views *vw;
    if (!pub) return &httpx__j_nomem;
    vw = httpx__views_of((httpx__response *)(void *)pub);
    return vw ? &vw->json_error : &httpx__j_nomem;
}
