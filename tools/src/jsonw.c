/* jsonw: writing JSON for request bodies, a builder (httpx_jsonw) and a
   printf whose conversions escape. Both refuse to produce text that is not
   JSON: misuse is an error that sticks, never a quietly wrong body.
   Private prefix: httpx__jw_. */
#include "internal.h"
#include <locale.h>

struct httpx_jsonw {
    httpx__buf out;
    httpx__err err;             /* err.code: the first error; it sticks */
    int depth;
    bool root_done;             /* a whole top-level value is written */
    bool need_comma;            /* the open container has an element already */
    bool after_key;             /* in an object, a name is written and its value is due */
    unsigned char in_object[(HTTPX_JSON_MAX_DEPTH + 7) / 8];   /* a bit per open level */
};

/* ---- shared by the builder and printf ---- */

/* s[0..n) as a JSON string. Invalid UTF-8 is refused rather than altered: a
   body must say what the caller meant or fail. */
static bool httpx__jw_escape(httpx__buf *b, const char *s, size_t n, httpx__err *e) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (!httpx__buf_reserve(b, n + 2)) return false;
    httpx__buf_putc(b, '"');
    while (i < n) {
        size_t run = i;
        uint32_t cp;
        int k;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        httpx__buf_append(b, p + i, run - i);
        i = run;
        if (i == n) break;
        if (p[i] >= 0x80) {
            k = httpx__utf8_next(p + i, n - i, &cp);
            if (k <= 0) {
                httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "invalid UTF-8 at byte %zu of a string", i);
                return false;
            }
            httpx__buf_append(b, p + i, (size_t)k);
            i += (size_t)k;
            continue;
        }
        httpx__buf_putc(b, '\\');
        switch (p[i]) {
        case '"': httpx__buf_putc(b, '"'); break;
        case '\\': httpx__buf_putc(b, '\\'); break;
        case '\b': httpx__buf_putc(b, 'b'); break;
        case '\f': httpx__buf_putc(b, 'f'); break;
        case '\n': httpx__buf_putc(b, 'n'); break;
        case '\r': httpx__buf_putc(b, 'r'); break;
        case '\t': httpx__buf_putc(b, 't'); break;
        default: {
            char u[5] = {'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15]};
            httpx__buf_append(b, u, 5);
        }
        }
        i++;
    }
    return httpx__buf_putc(b, '"') || (httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"), false);
}

/* snprintf writes LC_NUMERIC's decimal point; JSON wants '.'. */
static void httpx__jw_c_locale(char *s) {
    const char *dp = localeconv()->decimal_point;
    char *at;
    size_t n;
    if (!dp || !*dp || !strcmp(dp, ".") || !(at = strstr(s, dp))) return;
    n = strlen(dp);
    *at = '.';
    memmove(at + 1, at + n, strlen(at + n) + 1);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as x (17 always does). */
static bool httpx__jw_double(httpx__buf *b, double x, httpx__err *e) {
    char tmp[48];
    int prec;
    if (x != x || x - x != 0) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "JSON has no NaN or infinity");
        return false;
    }
    for (prec = 15; prec <= 17; prec++) {
        double back = 0;
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        httpx__jw_c_locale(tmp);
        if (!httpx__json_strtod(tmp, strlen(tmp), &back)) {
            httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory");
            return false;
        }
        if (back == x) break;
    }
    /* "-0" reads back as the integer 0 (as in Python and JavaScript): the
       sign would be lost; "-0.0" is read as the double it is. */
    if (x == 0 && tmp[0] == '-') memcpy(tmp, "-0.0", 5);
    return httpx__buf_puts(b, tmp) || (httpx__fail(e, HTTPX_ERR_NOMEM, "out of memory"), false);
}

/* ---- the builder ---- */

HTTPX_API httpx_jsonw *httpx_jsonw_new(void) {
    httpx_jsonw *w = (httpx_jsonw *)httpx__malloc(sizeof *w);
    if (w) memset(w, 0, sizeof *w);
    return w;
}

HTTPX_API void httpx_jsonw_free(httpx_jsonw *w) {
    if (!w) return;
    httpx__buf_free(&w->out);
    httpx__free(w);
}

/* Checks that a value may come now and writes the comma before it. */
static httpx_error httpx__jw_begin_value(httpx_jsonw *w) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (w->depth == 0) {
        if (w->root_done) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a second top-level value");
        return HTTPX_OK;
    }
    if (w->in_object[(w->depth - 1) / 8] & (1u << ((w->depth - 1) % 8))) {
        if (!w->after_key)
            return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a value in an object where a member name is due "
                                                                   "(call httpx_jsonw_key first)");
        w->after_key = false;
        return HTTPX_OK;
    }
    if (w->need_comma) httpx__buf_putc(&w->out, ',');
    return HTTPX_OK;
}

static httpx_error httpx__jw_end_value(httpx_jsonw *w, bool ok) {
    if (!ok || w->out.failed) {
        if (!w->err.code) httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return w->err.code;
    }
    w->need_comma = true;
    if (w->depth == 0) w->root_done = true;
    return HTTPX_OK;
}

static bool httpx__jw_top_is_object(const httpx_jsonw *w) {
    return w->depth > 0 && (w->in_object[(w->depth - 1) / 8] & (1u << ((w->depth - 1) % 8)));
}

static httpx_error httpx__jw_open(httpx_jsonw *w, bool object) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    if (w->depth >= HTTPX_JSON_MAX_DEPTH)
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "nesting deeper than %d levels", HTTPX_JSON_MAX_DEPTH);
    if (object) w->in_object[w->depth / 8] |= (unsigned char)(1u << (w->depth % 8));
    else w->in_object[w->depth / 8] &= (unsigned char)~(1u << (w->depth % 8));
    w->depth++;
    w->need_comma = false;
    w->after_key = false;
    if (!httpx__buf_putc(&w->out, object ? '{' : '[')) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
    return HTTPX_OK;
}

static httpx_error httpx__jw_close(httpx_jsonw *w, bool object) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (w->depth == 0 || httpx__jw_top_is_object(w) != object)
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "%s with no %s open",
                           object ? "httpx_jsonw_object_end" : "httpx_jsonw_array_end", object ? "object" : "array");
    if (w->after_key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a member name without a value");
    w->depth--;
    return httpx__jw_end_value(w, httpx__buf_putc(&w->out, object ? '}' : ']'));
}

HTTPX_API httpx_error httpx_jsonw_object_begin(httpx_jsonw *w) { return httpx__jw_open(w, true); }
HTTPX_API httpx_error httpx_jsonw_array_begin(httpx_jsonw *w) { return httpx__jw_open(w, false); }
HTTPX_API httpx_error httpx_jsonw_object_end(httpx_jsonw *w) { return httpx__jw_close(w, true); }
HTTPX_API httpx_error httpx_jsonw_array_end(httpx_jsonw *w) { return httpx__jw_close(w, false); }

static httpx_error httpx__jw_key_n(httpx_jsonw *w, const char *key, size_t n) {
    if (!w) return HTTPX_ERR_NOMEM;
    if (w->err.code) return w->err.code;
    if (!httpx__jw_top_is_object(w)) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a member name outside an object");
    if (w->after_key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "two member names in a row");
    if (!key) return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "a NULL member name");
    if (w->need_comma) httpx__buf_putc(&w->out, ',');
    if (!httpx__jw_escape(&w->out, key, n, &w->err)) {
        if (!w->err.code) httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return w->err.code;
    }
    w->after_key = true;
    if (!httpx__buf_putc(&w->out, ':')) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
    return HTTPX_OK;
}

HTTPX_API httpx_error httpx_jsonw_key(httpx_jsonw *w, const char *key) {
    return httpx__jw_key_n(w, key, key ? strlen(key) : 0);
}

static httpx_error httpx__jw_literal(httpx_jsonw *w, const char *text) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    return httpx__jw_end_value(w, httpx__buf_puts(&w->out, text));
}

HTTPX_API httpx_error httpx_jsonw_null(httpx_jsonw *w) { return httpx__jw_literal(w, "null"); }
HTTPX_API httpx_error httpx_jsonw_bool(httpx_jsonw *w, bool b) { return httpx__jw_literal(w, b ? "true" : "false"); }

HTTPX_API httpx_error httpx_jsonw_string_n(httpx_jsonw *w, const char *s, size_t n) {
    httpx_error err;
    if (!s) return httpx_jsonw_null(w);
    err = httpx__jw_begin_value(w);
    if (err) return err;
    if (!httpx__jw_escape(&w->out, s, n, &w->err) && w->err.code) return w->err.code;
    return httpx__jw_end_value(w, true);
}

HTTPX_API httpx_error httpx_jsonw_string(httpx_jsonw *w, const char *s) {
    return httpx_jsonw_string_n(w, s, s ? strlen(s) : 0);
}

HTTPX_API httpx_error httpx_jsonw_number(httpx_jsonw *w, double x) {
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    if (!httpx__jw_double(&w->out, x, &w->err)) return w->err.code;
    return httpx__jw_end_value(w, true);
}

HTTPX_API httpx_error httpx_jsonw_int(httpx_jsonw *w, int64_t x) {
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)x);
    return httpx__jw_literal(w, tmp);
}

HTTPX_API httpx_error httpx_jsonw_raw(httpx_jsonw *w, const char *json) {
    httpx_json_error jerr;
    httpx_json_value *v;
    httpx_error err = httpx__jw_begin_value(w);
    if (err) return err;
    v = httpx_json_parse(json ? json : "", json ? strlen(json) : 0, &jerr);
    if (!v) {
        if (jerr.code == HTTPX_ERR_NOMEM) return httpx__fail(&w->err, HTTPX_ERR_NOMEM, "out of memory");
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "httpx_jsonw_raw: not JSON: %.200s", jerr.message);
    }
    httpx_json_free(v);
    return httpx__jw_end_value(w, httpx__buf_puts(&w->out, json));
}

/* Recursion is bounded: a parsed tree is at most HTTPX_JSON_MAX_DEPTH deep. */
HTTPX_API httpx_error httpx_jsonw_value(httpx_jsonw *w, const httpx_json_value *v) {
    size_t i, n = httpx_json_len(v);
    bool exact;
    int64_t iv;
    switch (httpx_json_type(v)) {
    case HTTPX_JSON_NULL: return httpx_jsonw_null(w);
    case HTTPX_JSON_BOOL: return httpx_jsonw_bool(w, httpx_json_bool(v));
    case HTTPX_JSON_STRING: return httpx_jsonw_string_n(w, httpx_json_string(v), httpx_json_string_len(v));
    case HTTPX_JSON_NUMBER:
        iv = httpx_json_int(v, &exact);
        return exact ? httpx_jsonw_int(w, iv) : httpx_jsonw_number(w, httpx_json_number(v));
    case HTTPX_JSON_ARRAY:
        httpx_jsonw_array_begin(w);
        for (i = 0; i < n; i++) httpx_jsonw_value(w, httpx_json_at(v, i));
        return httpx_jsonw_array_end(w);
    case HTTPX_JSON_OBJECT:
        httpx_jsonw_object_begin(w);
        for (i = 0; i < n; i++) {
            const httpx_json_value *m = httpx_json_at(v, i);
            httpx__jw_key_n(w, httpx_json_key(m), httpx_json_key_len(m));
            httpx_jsonw_value(w, m);
        }
        return httpx_jsonw_object_end(w);
    default:
        if (!w) return HTTPX_ERR_NOMEM;
        if (w->err.code) return w->err.code;
        return httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "httpx_jsonw_value: no value (NULL)");
    }
}

HTTPX_API const char *httpx_jsonw_text(httpx_jsonw *w) {
    if (!w || w->err.code) return NULL;
    if (w->depth > 0) {
        httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "unbalanced: %d %s still open", w->depth,
                    w->depth == 1 ? "object or array is" : "objects or arrays are");
        return NULL;
    }
    if (!w->root_done) {
        httpx__fail(&w->err, HTTPX_ERR_INVALID_ARGUMENT, "nothing was written");
        return NULL;
    }
    return w->out.p;
}

HTTPX_API const char *httpx_jsonw_error_message(const httpx_jsonw *w) {
    if (!w) return "out of memory";
    return w->err.code ? w->err.msg : "";
}

/* ---- printf ---- */

/* One conversion at *pp (just after the '%'); advances *pp past it. */
static bool httpx__jw_conv(httpx__buf *b, const char **pp, va_list *ap, httpx__err *e) {
    const char *p = *pp, *s;
    char tmp[32];
    switch (*p) {
    case '%': httpx__buf_putc(b, '%'); break;
    case 's':
        s = va_arg(*ap, const char *);
        if (!s) httpx__buf_puts(b, "null");
        else if (!httpx__jw_escape(b, s, strlen(s), e)) return false;
        break;
    case 'j':
        s = va_arg(*ap, const char *);
        httpx__buf_puts(b, s ? s : "null");
        break;
    case 'b': httpx__buf_puts(b, va_arg(*ap, int) ? "true" : "false"); break;
    case 'd': case 'i': snprintf(tmp, sizeof tmp, "%d", va_arg(*ap, int)); httpx__buf_puts(b, tmp); break;
    case 'u': snprintf(tmp, sizeof tmp, "%u", va_arg(*ap, unsigned)); httpx__buf_puts(b, tmp); break;
    case 'f': case 'g':
        if (!httpx__jw_double(b, va_arg(*ap, double), e)) return false;
        break;
    case 'z':
        if (p[1] != 'u') goto unknown;
        snprintf(tmp, sizeof tmp, "%zu", va_arg(*ap, size_t));
        httpx__buf_puts(b, tmp);
        p++;
        break;
    case 'l':
        if (p[1] == 'l' && (p[2] == 'd' || p[2] == 'i')) snprintf(tmp, sizeof tmp, "%lld", va_arg(*ap, long long)), p += 2;
        else if (p[1] == 'l' && p[2] == 'u') snprintf(tmp, sizeof tmp, "%llu", va_arg(*ap, unsigned long long)), p += 2;
        else if (p[1] == 'd' || p[1] == 'i') snprintf(tmp, sizeof tmp, "%ld", va_arg(*ap, long)), p++;
        else if (p[1] == 'u') snprintf(tmp, sizeof tmp, "%lu", va_arg(*ap, unsigned long)), p++;
        else goto unknown;
        httpx__buf_puts(b, tmp);
        break;
    default:
    unknown:
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "unknown conversion '%%%.3s' in a JSON format", *pp);
        return false;
    }
    *pp = p + 1;
    return true;
}

static char *httpx__jw_printf_fail(httpx_json_error *err, httpx__buf *b, const httpx__err *e) {
    httpx__buf_free(b);
    if (err) {
        err->code = e->code;
        snprintf(err->message, sizeof err->message, "%s", e->msg);
    }
    return NULL;
}

HTTPX_API char *httpx_json_vprintf(httpx_json_error *err, const char *fmt, va_list ap) {
    httpx__buf b;
    httpx__err e;
    httpx_json_error perr;
    httpx_json_value *v;
    va_list aq;
    const char *p;
    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    if (err) memset(err, 0, sizeof *err);
    if (!fmt) {
        httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "httpx_json_printf: NULL format");
        return httpx__jw_printf_fail(err, &b, &e);
    }
    va_copy(aq, ap);
    for (p = fmt; *p;) {
        const char *lit = p;
        while (*p && *p != '%') p++;
        httpx__buf_append(&b, lit, (size_t)(p - lit));
        if (*p == '%') {
            p++;
            if (!httpx__jw_conv(&b, &p, &aq, &e)) break;
        }
    }
    va_end(aq);
    if (!e.code && (b.failed || !httpx__buf_reserve(&b, 0))) httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory");
    if (e.code) return httpx__jw_printf_fail(err, &b, &e);
    v = httpx_json_parse(b.p, b.len, &perr);       /* never hand out text that is not JSON */
    if (!v) {
        if (perr.code == HTTPX_ERR_NOMEM) httpx__fail(&e, HTTPX_ERR_NOMEM, "out of memory");
        else httpx__fail(&e, HTTPX_ERR_INVALID_ARGUMENT, "the format makes text that is not JSON: %.190s", perr.message);
        httpx__jw_printf_fail(err, &b, &e);
        if (err && perr.code != HTTPX_ERR_NOMEM) {
            err->offset = perr.offset;
            err->line = perr.line;
            err->column = perr.column;
        }
        return NULL;
    }
    httpx_json_free(v);
    return b.p;
}

HTTPX_API char *httpx_json_printf(const char *fmt, ...) {
    va_list ap;
    char *s;
    va_start(ap, fmt);
    s = httpx_json_vprintf(NULL, fmt, ap);
    va_end(ap);
    return s;
}

HTTPX_API void httpx_json_printf_free(char *s) { httpx__free(s); }
