/* json: the JSON reader (RFC 8259) and the tree it builds.

   The parser is a loop with an explicit stack, not recursion, so hostile
   nesting costs memory we bound (HTTPX_JSON_MAX_DEPTH), never the C stack.
   Values of the containers still open sit on that stack; when a container
   closes, its children move as one contiguous run into the node arena, so
   httpx_json_at is an index and a document costs a handful of allocations:
   node blocks that never move (each twice the last), one block for all the
   strings (unescaped text is never longer than its source, so the input's
   length is always enough), and the stack when it outgrows its inline part.
   Private prefix: httpx__jp_ (the parser), httpx__j_ (the tree). */
#include "internal.h"
#include "json_internal.h"
#include <stdlib.h>
#include <locale.h>
#include <float.h>

#define HTTPX__J_DOC 100        /* the hidden node in front of a root: the document */
#define HTTPX__J_INT 1          /* flags: an integer that fits in int64_t, in u.i */
#define HTTPX__J_NONE ((size_t)-1)

struct httpx_json_value {
    const char *key;            /* a member's name (NUL-terminated), else NULL */
    union {
        double d;
        int64_t i;
        const char *s;
        const httpx_json_value *kids;
        size_t parent;          /* while open on the parser's stack: the enclosing container */
        void *mem;              /* the document node: the string block */
    } u;
    uint32_t key_len, len;      /* len: bytes of a string, children of a container */
    unsigned char type, flags;
};

/* A block of nodes. A union, so the nodes after the header are aligned. */
typedef union httpx__jblock {
    struct { union httpx__jblock *next; size_t cap, used; } h;
    httpx_json_value align_;
} httpx__jblock;
#define HTTPX__J_NODES(b) ((httpx_json_value *)(void *)((b) + 1))

#define HTTPX__JP_INLINE 32
typedef struct httpx__jp {
    const unsigned char *start, *p, *end;
    httpx_json_value *stack;    /* inline_stack until it grows */
    size_t top, cap;
    size_t open;                /* stack index of the innermost open container */
    int depth;
    httpx__jblock *first, *cur; /* first holds the document node and the root */
    char *strs, *sw;            /* the string block and where the next string goes */
    httpx_json_error *err;
    httpx_json_value inline_stack[HTTPX__JP_INLINE];
} httpx__jp;

/* Bytes that stand for themselves inside a string: not '"', not '\\', not a
   control character, not the start of a multi-byte sequence (checked apart). */
static const unsigned char httpx__jp_plain[256] = {
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
};

/* ---- errors ---- */

static void httpx__jp_where(httpx__jp *jp, const unsigned char *at) {
    const unsigned char *q, *line_start = jp->start;
    size_t line = 1;
    for (q = jp->start; q < at; q++)
        if (*q == '\n') { line++; line_start = q + 1; }
    jp->err->offset = (size_t)(at - jp->start);
    jp->err->line = line;
    jp->err->column = (size_t)(at - line_start) + 1;
}

static void httpx__jp_found(const httpx__jp *jp, const unsigned char *at, char *out, size_t cap) {
    if (at >= jp->end) snprintf(out, cap, "the end of the input");
    else if (*at >= 0x21 && *at < 0x7F) snprintf(out, cap, "'%c'", *at);
    else snprintf(out, cap, "byte 0x%02X", *at);
}

/* "expected X at byte N (line L, column C), found Y": the position a user
   can find in an editor, and what was there instead. */
static bool httpx__jp_expected(httpx__jp *jp, const unsigned char *at, const char *what) {
    char found[32];
    httpx__jp_where(jp, at);
    httpx__jp_found(jp, at, found, sizeof found);
    jp->err->code = HTTPX_ERR_DECODING;
    snprintf(jp->err->message, sizeof jp->err->message, "expected %s at byte %zu (line %zu, column %zu), found %s",
             what, jp->err->offset, jp->err->line, jp->err->column, found);
    return false;
}

/* Other failures: "<what> at byte N (line L, column C)". */
static bool httpx__jp_fail(httpx__jp *jp, httpx_error code, const unsigned char *at, const char *what) {
    httpx__jp_where(jp, at);
    jp->err->code = code;
    snprintf(jp->err->message, sizeof jp->err->message, "%s at byte %zu (line %zu, column %zu)",
             what, jp->err->offset, jp->err->line, jp->err->column);
    return false;
}

static bool httpx__jp_nomem(httpx__jp *jp) {
    jp->err->code = HTTPX_ERR_NOMEM;
    jp->err->offset = (size_t)(jp->p - jp->start);
    snprintf(jp->err->message, sizeof jp->err->message, "out of memory while parsing JSON");
    return false;
}

/* ---- memory ---- */

static httpx__jblock *httpx__jp_block(size_t cap) {
    httpx__jblock *b;
    if (cap > ((size_t)-1 - sizeof *b) / sizeof(httpx_json_value)) return NULL;
    b = (httpx__jblock *)httpx__malloc(sizeof *b + cap * sizeof(httpx_json_value));
    if (!b) return NULL;
    b->h.next = NULL;
    b->h.cap = cap;
    b->h.used = 0;
    return b;
}

/* count contiguous nodes that never move. */
static httpx_json_value *httpx__jp_nodes(httpx__jp *jp, size_t count) {
    httpx__jblock *b = jp->cur;
    httpx_json_value *out;
    if (b->h.cap - b->h.used < count) {
        size_t cap = b->h.cap * 2;
        if (cap < count) cap = count;
        b = httpx__jp_block(cap);
        if (!b) return NULL;
        b->h.next = jp->first->h.next;      /* every block hangs off the first */
        jp->first->h.next = b;
        jp->cur = b;
    }
    out = HTTPX__J_NODES(b) + b->h.used;
    b->h.used += count;
    return out;
}

static httpx_json_value *httpx__jp_push(httpx__jp *jp) {
    if (jp->top == jp->cap) {
        size_t cap = jp->cap * 2;
        httpx_json_value *s;
        if (cap > (size_t)-1 / sizeof *s) return NULL;
        if (jp->stack == jp->inline_stack) {
            s = (httpx_json_value *)httpx__malloc(cap * sizeof *s);
            if (s) memcpy(s, jp->stack, jp->top * sizeof *s);
        } else {
            s = (httpx_json_value *)httpx__realloc(jp->stack, cap * sizeof *s);
        }
        if (!s) return NULL;
        jp->stack = s;
        jp->cap = cap;
    }
    return &jp->stack[jp->top++];
}

static void httpx__jp_free_blocks(httpx__jblock *first, void *strs) {
    httpx__jblock *b, *next;
    if (!first) return;
    for (b = first->h.next; b; b = next) {
        next = b->h.next;
        httpx__free(b);
    }
    httpx__free(first);
    httpx__free(strs);
}

/* ---- strings ---- */

static int httpx__jp_hex4(const unsigned char *p) {
    int i, v = 0;
    for (i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    return v;
}

/* A \uXXXX escape at p (after the backslash and the 'u' is p[0]). A lone
   surrogate cannot be written in UTF-8: it becomes U+FFFD, as it does when a
   browser encodes the string JSON.parse made. */
static bool httpx__jp_unicode(httpx__jp *jp, const unsigned char **pp, char **ww) {
    const unsigned char *p = *pp;
    int cp;
    uint32_t c;
    if (jp->end - p < 5 || (cp = httpx__jp_hex4(p + 1)) < 0)
        return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "invalid \\u escape (four hex digits must follow)");
    p += 5;
    c = (uint32_t)cp;
    if (c >= 0xD800 && c <= 0xDBFF) {
        int lo;
        if (jp->end - p >= 6 && p[0] == '\\' && p[1] == 'u' && (lo = httpx__jp_hex4(p + 2)) >= 0xDC00 && lo <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t)(lo - 0xDC00);
            p += 6;
        } else {
            c = 0xFFFD;
        }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
        c = 0xFFFD;
    }
    *ww += httpx__utf8_put(*ww, c);
    *pp = p;
    return true;
}

static bool httpx__jp_escape(httpx__jp *jp, const unsigned char **pp, char **ww) {
    const unsigned char *p = *pp + 1;      /* past the backslash */
    char c;
    if (p == jp->end) return httpx__jp_expected(jp, p, "an escape after '\\'");
    switch (*p) {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': *pp = p; return httpx__jp_unicode(jp, pp, ww);
    default: return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "invalid escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    }
    *(*ww)++ = c;
    *pp = p + 1;
    return true;
}

/* Whether the 8 bytes at p are all plain (see httpx__jp_plain), tested at
   once: a byte is flagged when it is below 0x20, has its top bit set, or
   equals '"' or '\\' (the zero-byte test after an XOR). Strings are most of a
   typical document, and this is most of a string. */
static bool httpx__jp_plain8(const unsigned char *p) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t x, q, b;
    memcpy(&x, p, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    return !((((x - ones * 0x20) & ~x) | x | ((q - ones) & ~q) | ((b - ones) & ~b)) & high);
}

/* The string at jp->p (its opening quote), unescaped into the string block. */
static bool httpx__jp_string(httpx__jp *jp, const char **out, uint32_t *out_len) {
    const unsigned char *p = jp->p + 1, *end = jp->end;
    char *w, *s;
    if (!jp->strs) {
        jp->strs = jp->sw = (char *)httpx__malloc((size_t)(jp->end - jp->start) + 1);
        if (!jp->strs) return httpx__jp_nomem(jp);
    }
    w = s = jp->sw;
    for (;;) {
        const unsigned char *q;
        uint32_t cp;
        int k;
        while (end - p >= 8 && httpx__jp_plain8(p)) {
            memcpy(w, p, 8);
            w += 8;
            p += 8;
        }
        for (q = p; q < end && httpx__jp_plain[*q]; q++) {}
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        p = q;
        if (p == end) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, jp->p, "unterminated string (no closing '\"') starting");
        if (*p == '"') break;
        if (*p == '\\') {
            if (!httpx__jp_escape(jp, &p, &w)) return false;
            continue;
        }
        if (*p < 0x20)
            return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p, "control character in a string (write it as \\u00XX)");
        if (*p >= 0xC2 && *p <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80) {   /* the common 2-byte case */
            w[0] = (char)p[0];
            w[1] = (char)p[1];
            w += 2;
            p += 2;
            continue;
        }
        if (((*p >= 0xE1 && *p <= 0xEC) || *p == 0xEE || *p == 0xEF) && end - p >= 3 &&
            (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {   /* 3 bytes, no special range */
            memcpy(w, p, 3);
            w += 3;
            p += 3;
            continue;
        }
        k = httpx__utf8_next(p, (size_t)(end - p), &cp);
        if (k <= 0) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p, "invalid UTF-8 in a string");
        memcpy(w, p, (size_t)k);
        w += k;
        p += k;
    }
    *w = 0;
    *out = s;
    *out_len = (uint32_t)(w - s);
    jp->sw = w + 1;
    jp->p = p + 1;
    return true;
}

/* ---- numbers ---- */

HTTPX__PRIVATE bool httpx__json_strtod(const char *p, size_t n, double *out) {
    /* strtod reads the decimal point of LC_NUMERIC: give it that one. */
    const char *dp = localeconv()->decimal_point;
    size_t dpn = (dp && *dp) ? strlen(dp) : 1, i, j = 0;
    char local[64], *buf = local;
    if (!dp || !*dp) dp = ".";
    if (n + dpn + 1 > sizeof local) {
        buf = (char *)httpx__malloc(n + dpn + 1);
        if (!buf) return false;
    }
    for (i = 0; i < n; i++) {
        if (p[i] == '.') { memcpy(buf + j, dp, dpn); j += dpn; }
        else buf[j++] = p[i];
    }
    buf[j] = 0;
    *out = strtod(buf, NULL);
    if (buf != local) httpx__free(buf);
    return true;
}

/* Powers of ten that a double holds exactly: with a mantissa below 2^53, one
   multiplication or division by them rounds once, so the result is the
   correctly rounded value (Clinger's fast path). */
static const double httpx__jp_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool httpx__jp_digit(const unsigned char *p, const unsigned char *end) {
    return p < end && *p >= '0' && *p <= '9';
}

static bool httpx__jp_number(httpx__jp *jp, httpx_json_value *v) {
    const unsigned char *p = jp->p, *end = jp->end, *s = p;
    uint64_t m = 0;
    int ndig = 0;
    long long e10 = 0, ex = 0;
    bool neg = false, truncated = false, integer = true;
    if (*p == '-') { neg = true; p++; }
    if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit");
    if (*p == '0') {
        p++;
        if (httpx__jp_digit(p, end)) return httpx__jp_fail(jp, HTTPX_ERR_DECODING, p - 1, "a number with a leading zero");
    } else {
        for (; httpx__jp_digit(p, end); p++) {
            if (ndig < 19) { m = m * 10 + (uint64_t)(*p - '0'); ndig++; }
            else { e10++; if (*p != '0') truncated = true; }
        }
    }
    if (p < end && *p == '.') {
        integer = false;
        p++;
        if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit after '.'");
        for (; httpx__jp_digit(p, end); p++) {
            if (m == 0 && *p == '0') e10--;               /* leading zeros: no significant digit */
            else if (ndig < 19) { m = m * 10 + (uint64_t)(*p - '0'); ndig++; e10--; }
            else if (*p != '0') truncated = true;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool eneg = false;
        integer = false;
        p++;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (!httpx__jp_digit(p, end)) return httpx__jp_expected(jp, p, "a digit in the exponent");
        for (; httpx__jp_digit(p, end); p++)
            if (ex < 1000000) ex = ex * 10 + (*p - '0');
        e10 += eneg ? -ex : ex;
    }
    jp->p = p;
    v->type = HTTPX_JSON_NUMBER;
    if (integer && e10 == 0 && !truncated && m <= (uint64_t)INT64_MAX + neg) {
        v->flags = HTTPX__J_INT;
        v->u.i = neg ? (int64_t)(0 - m) : (int64_t)m;    /* 0 - m wraps to INT64_MIN's bits for 2^63 */
        return true;
    }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if (!truncated && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        double d = (double)m;
        d = e10 < 0 ? d / httpx__jp_pow10[-e10] : d * httpx__jp_pow10[e10];
        v->u.d = neg ? -d : d;
        return true;
    }
#endif
    if (m == 0 && !truncated) {
        v->u.d = neg ? -0.0 : 0.0;
        return true;
    }
    if (!httpx__json_strtod((const char *)s, (size_t)(p - s), &v->u.d)) return httpx__jp_nomem(jp);
    return true;
}

/* ---- structure ---- */

static void httpx__jp_ws(httpx__jp *jp) {
    const unsigned char *p = jp->p, *end = jp->end;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    jp->p = p;
}

/* Moves the children of the innermost open container into the arena. */
static bool httpx__jp_close(httpx__jp *jp) {
    size_t o = jp->open, n = jp->top - o - 1;
    httpx_json_value *kids = NULL;
    if (n) {
        kids = httpx__jp_nodes(jp, n);
        if (!kids) return httpx__jp_nomem(jp);
        memcpy(kids, &jp->stack[o + 1], n * sizeof *kids);
    }
    jp->open = jp->stack[o].u.parent;
    jp->stack[o].u.kids = kids;
    jp->stack[o].len = (uint32_t)n;
    jp->top = o + 1;
    jp->depth--;
    return true;
}

/* A member name and its ':' (jp->p at the name's quote). */
static bool httpx__jp_key(httpx__jp *jp, const char **key, uint32_t *key_len) {
    httpx__jp_ws(jp);
    if (jp->p == jp->end || *jp->p != '"') return httpx__jp_expected(jp, jp->p, "a member name in quotes");
    if (!httpx__jp_string(jp, key, key_len)) return false;
    httpx__jp_ws(jp);
    if (jp->p == jp->end || *jp->p != ':') return httpx__jp_expected(jp, jp->p, "':' after the member name");
    jp->p++;
    return true;
}

static bool httpx__jp_literal(httpx__jp *jp, httpx_json_value *v) {
    static const char *const words[3] = {"true", "false", "null"};
    static const unsigned char types[3] = {HTTPX_JSON_BOOL, HTTPX_JSON_BOOL, HTTPX_JSON_NULL};
    int i;
    for (i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(jp->end - jp->p) >= n && !memcmp(jp->p, words[i], n)) {
            v->type = types[i];
            v->u.i = i == 0;
            jp->p += n;
            return true;
        }
    }
    return httpx__jp_expected(jp, jp->p, "a value");
}

/* After a value: closes the containers that end here, then positions at the
   next value (setting its member name). Returns 1 for another value, 0 when
   the root is complete, -1 on error. */
static int httpx__jp_after(httpx__jp *jp, const char **key, uint32_t *key_len) {
    while (jp->open != HTTPX__J_NONE) {
        bool obj = jp->stack[jp->open].type == HTTPX_JSON_OBJECT;
        httpx__jp_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            *key = NULL;
            *key_len = 0;
            if (obj && !httpx__jp_key(jp, key, key_len)) return -1;
            return 1;
        }
        if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
            jp->p++;
            if (!httpx__jp_close(jp)) return -1;
            continue;
        }
        httpx__jp_expected(jp, jp->p, obj ? "',' or '}'" : "',' or ']'");
        return -1;
    }
    return 0;
}

/* Opens an object or array (v on the stack, jp->p at the bracket). Returns
   1 when a first value follows, 0 when it closed at once, -1 on error. */
static int httpx__jp_open(httpx__jp *jp, const char **key, uint32_t *key_len) {
    httpx_json_value *v = &jp->stack[jp->top - 1];
    bool obj = *jp->p == '{';
    if (++jp->depth > HTTPX_JSON_MAX_DEPTH) {
        char what[80];
        snprintf(what, sizeof what, "nesting deeper than %d levels", HTTPX_JSON_MAX_DEPTH);
        httpx__jp_fail(jp, HTTPX_ERR_TOO_LARGE, jp->p, what);
        return -1;
    }
    v->type = obj ? HTTPX_JSON_OBJECT : HTTPX_JSON_ARRAY;
    v->u.parent = jp->open;
    jp->open = jp->top - 1;
    jp->p++;
    httpx__jp_ws(jp);
    if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
        jp->p++;
        return httpx__jp_close(jp) ? 0 : -1;
    }
    *key = NULL;
    *key_len = 0;
    if (obj && !httpx__jp_key(jp, key, key_len)) return -1;
    return 1;
}

static bool httpx__jp_run(httpx__jp *jp) {
    const char *key = NULL;
    uint32_t key_len = 0;
    for (;;) {
        httpx_json_value *v;
        int more;
        httpx__jp_ws(jp);
        if (jp->p == jp->end) return httpx__jp_expected(jp, jp->p, "a value");
        v = httpx__jp_push(jp);
        if (!v) return httpx__jp_nomem(jp);
        v->key = key;
        v->key_len = key_len;
        v->flags = 0;
        v->len = 0;
        switch (*jp->p) {
        case '{': case '[':
            more = httpx__jp_open(jp, &key, &key_len);
            if (more < 0) return false;
            if (more) continue;
            break;
        case '"':
            v->type = HTTPX_JSON_STRING;
            if (!httpx__jp_string(jp, &v->u.s, &v->len)) return false;
            break;
        case 't': case 'f': case 'n':
            if (!httpx__jp_literal(jp, v)) return false;
            break;
        default:
            if (*jp->p != '-' && (*jp->p < '0' || *jp->p > '9')) return httpx__jp_expected(jp, jp->p, "a value");
            if (!httpx__jp_number(jp, v)) return false;
        }
        more = httpx__jp_after(jp, &key, &key_len);
        if (more < 0) return false;
        if (!more) return true;
    }
}

static bool httpx__jp_start(httpx__jp *jp, const char *text, size_t len, httpx_json_error *err) {
    size_t cap = 64 + len / 64;
    memset(jp, 0, offsetof(httpx__jp, inline_stack));
    jp->start = jp->p = (const unsigned char *)text;
    jp->end = jp->start + len;
    jp->stack = jp->inline_stack;
    jp->cap = HTTPX__JP_INLINE;
    jp->open = HTTPX__J_NONE;
    jp->err = err;
    if (cap > 65536) cap = 65536;
    jp->first = jp->cur = httpx__jp_block(cap);
    if (!jp->first) return httpx__jp_nomem(jp);
    jp->first->h.used = 2;                  /* the document node, then the root */
    return true;
}

HTTPX_API httpx_json_value *httpx_json_parse(const char *text, size_t len, httpx_json_error *err) {
    httpx_json_error spare;
    httpx__jp jp;
    httpx_json_value *doc, *root = NULL;
    if (!err) err = &spare;
    memset(err, 0, sizeof *err);
    if (!text && len) {
        err->code = HTTPX_ERR_INVALID_ARGUMENT;
        snprintf(err->message, sizeof err->message, "httpx_json_parse: NULL text");
        return NULL;
    }
    if (len > HTTPX_JSON_MAX_SIZE || len >= 0xFFFFFFFFu) {
        err->code = HTTPX_ERR_TOO_LARGE;
        snprintf(err->message, sizeof err->message, "JSON text of %zu bytes is over the limit of %zu (HTTPX_JSON_MAX_SIZE)",
                 len, (size_t)HTTPX_JSON_MAX_SIZE);
        return NULL;
    }
    if (!text) text = "";
    if (!httpx__jp_start(&jp, text, len, err)) return NULL;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) jp.p += 3;   /* RFC 8259 8.1: a BOM may be ignored */
    if (httpx__jp_run(&jp)) {
        httpx__jp_ws(&jp);
        if (jp.p != jp.end) httpx__jp_expected(&jp, jp.p, "the end of the document");
        else {
            doc = HTTPX__J_NODES(jp.first);
            root = doc + 1;
            *root = jp.stack[0];
            memset(doc, 0, sizeof *doc);
            doc->type = HTTPX__J_DOC;
            doc->u.mem = jp.strs;
        }
    }
    if (jp.stack != jp.inline_stack) httpx__free(jp.stack);
    if (!root) httpx__jp_free_blocks(jp.first, jp.strs);
    return root;
}

HTTPX_API void httpx_json_free(httpx_json_value *root) {
    httpx_json_value *doc;
    if (!root) return;
    doc = root - 1;
    HTTPX_ASSERT(doc->type == HTTPX__J_DOC && "httpx_json_free takes a root from httpx_json_parse");
    if (doc->type != HTTPX__J_DOC) return;
    httpx__jp_free_blocks((httpx__jblock *)(void *)doc - 1, doc->u.mem);
}

/* ---- the tree ---- */

HTTPX_API httpx_json_kind httpx_json_type(const httpx_json_value *v) {
    return v ? (httpx_json_kind)v->type : HTTPX_JSON_NONE;
}
HTTPX_API bool httpx_json_is_null(const httpx_json_value *v) { return v && v->type == HTTPX_JSON_NULL; }
HTTPX_API bool httpx_json_bool(const httpx_json_value *v) { return v && v->type == HTTPX_JSON_BOOL && v->u.i; }

HTTPX_API double httpx_json_number(const httpx_json_value *v) {
    if (!v || v->type != HTTPX_JSON_NUMBER) return 0;
    return (v->flags & HTTPX__J_INT) ? (double)v->u.i : v->u.d;
}

HTTPX_API int64_t httpx_json_int(const httpx_json_value *v, bool *ok) {
    double d;
    if (ok) *ok = false;
    if (!v || v->type != HTTPX_JSON_NUMBER) return 0;
    if (v->flags & HTTPX__J_INT) {
        if (ok) *ok = true;
        return v->u.i;
    }
    d = v->u.d;
    if (d != d) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;   /* the double is 2^63 */
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

HTTPX_API const char *httpx_json_string(const httpx_json_value *v) {
    return v && v->type == HTTPX_JSON_STRING ? v->u.s : NULL;
}
HTTPX_API size_t httpx_json_string_len(const httpx_json_value *v) {
    return v && v->type == HTTPX_JSON_STRING ? v->len : 0;
}

static bool httpx__j_container(const httpx_json_value *v) {
    return v && (v->type == HTTPX_JSON_ARRAY || v->type == HTTPX_JSON_OBJECT);
}
HTTPX_API size_t httpx_json_len(const httpx_json_value *v) { return httpx__j_container(v) ? v->len : 0; }

HTTPX_API const httpx_json_value *httpx_json_at(const httpx_json_value *v, size_t i) {
    return httpx__j_container(v) && i < v->len ? &v->u.kids[i] : NULL;
}

HTTPX_API const httpx_json_value *httpx_json_member(const httpx_json_value *v, size_t i, const char **name) {
    const httpx_json_value *m = v && v->type == HTTPX_JSON_OBJECT ? httpx_json_at(v, i) : NULL;
    if (name) *name = m ? m->key : NULL;
    return m;
}

HTTPX_API const char *httpx_json_key(const httpx_json_value *v) { return v ? v->key : NULL; }
HTTPX_API size_t httpx_json_key_len(const httpx_json_value *v) { return v ? v->key_len : 0; }

HTTPX_API const httpx_json_value *httpx_json_get(const httpx_json_value *v, const char *key) {
    size_t n, i;
    if (!v || v->type != HTTPX_JSON_OBJECT || !key) return NULL;
    n = strlen(key);
    for (i = v->len; i-- > 0;) {        /* from the end: the last of repeated names wins */
        const httpx_json_value *m = &v->u.kids[i];
        if (m->key_len == n && !memcmp(m->key, key, n)) return m;
    }
    return NULL;
}

/* Whether a member name equals the path segment seg[0..n), whose backslashes
   escape the character after them. */
static bool httpx__j_seg_eq(const httpx_json_value *m, const char *seg, size_t n) {
    size_t i, k = 0;
    for (i = 0; i < n; i++, k++) {
        if (seg[i] == '\\') i++;
        if (k >= m->key_len || m->key[k] != seg[i]) return false;
    }
    return k == m->key_len;
}

static const httpx_json_value *httpx__j_index(const httpx_json_value *v, const char **pp) {
    const char *p = *pp + 1;
    bool neg = false;
    size_t i = 0;
    if (*p == '-') { neg = true; p++; }
    if (*p < '0' || *p > '9') return NULL;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (i > ((size_t)-1 - 9) / 10) return NULL;
        i = i * 10 + (size_t)(*p - '0');
    }
    if (*p != ']' || !v || v->type != HTTPX_JSON_ARRAY) return NULL;
    *pp = p + 1;
    if (neg) return i >= 1 && i <= v->len ? &v->u.kids[v->len - i] : NULL;
    return httpx_json_at(v, i);
}

HTTPX_API const httpx_json_value *httpx_json_path(const httpx_json_value *v, const char *path) {
    const char *p = path;
    if (!p) return NULL;
    while (v && *p) {
        const char *seg;
        size_t i;
        if (*p == '[') {
            v = httpx__j_index(v, &p);
            continue;
        }
        if (*p == '.') p++;
        else if (p != path) return NULL;            /* "a[0]b": a name must follow a '.' */
        for (seg = p; *p && *p != '.' && *p != '['; p++) {
            if (*p == ']') return NULL;
            if (*p == '\\' && !*++p) return NULL;
        }
        if (v->type != HTTPX_JSON_OBJECT) return NULL;
        for (i = v->len; i-- > 0;)
            if (httpx__j_seg_eq(&v->u.kids[i], seg, (size_t)(p - seg))) break;
        v = i < v->len ? &v->u.kids[i] : NULL;
    }
    return v;
}
