/* The JSON reader and writer. The first byte picks the mode:
   - parse: the rest is JSON text. When it parses, our writer's text of the
     tree parses back to the same tree (kinds, numbers bit for bit, strings
     byte for byte, members in order) and writes the same text again; when
     it does not, the error's offset lies within the input;
   - write: the rest drives the writer (begin/end, keys, strings of input
     bytes, numbers); when the writer accepts the document, its text parses
     and writes back identically; the writer refuses (never alters) bad
     UTF-8 in strings. */
#include "fuzz.h"

static bool same(const httpx_json_value *a, const httpx_json_value *b) {
    size_t i;
    httpx_json_kind k = httpx_json_type(a);
    if (k != httpx_json_type(b)) return false;
    switch (k) {
    case HTTPX_JSON_BOOL: return httpx_json_bool(a) == httpx_json_bool(b);
    case HTTPX_JSON_NUMBER: {
        double x = httpx_json_number(a), y = httpx_json_number(b);
        bool ok1, ok2;
        int64_t i1 = httpx_json_int(a, &ok1), i2 = httpx_json_int(b, &ok2);
        if (ok1 && ok2 && i1 != i2) return false;
        return memcmp(&x, &y, sizeof x) == 0 || (x == 0 && y == 0);
    }
    case HTTPX_JSON_STRING:
        return httpx_json_string_len(a) == httpx_json_string_len(b) &&
               memcmp(httpx_json_string(a), httpx_json_string(b), httpx_json_string_len(a)) == 0;
    case HTTPX_JSON_ARRAY: case HTTPX_JSON_OBJECT:
        if (httpx_json_len(a) != httpx_json_len(b)) return false;
        for (i = 0; i < httpx_json_len(a); i++) {
            const char *ka, *kb;
            const httpx_json_value *va = httpx_json_member(a, i, &ka), *vb = httpx_json_member(b, i, &kb);
            if (k == HTTPX_JSON_ARRAY) { va = httpx_json_at(a, i); vb = httpx_json_at(b, i); }
            else if (httpx_json_key_len(va) != httpx_json_key_len(vb) ||
                     memcmp(ka, kb, httpx_json_key_len(va)) != 0) return false;
            if (!same(va, vb)) return false;
        }
        return true;
    default: return true;
    }
}

/* Writes v, parses the text, compares, writes again: the same text. A
   number the reader took as infinity (1e400: valid JSON, out of the double
   range, read as Python reads it) cannot be written: JSON has no infinity,
   and the writer says so rather than write something else. */
static void roundtrip(const httpx_json_value *v) {
    httpx_jsonw *w = httpx_jsonw_new(), *w2 = httpx_jsonw_new();
    httpx_json_error err;
    httpx_json_value *back;
    const char *t1, *t2;
    if (httpx_jsonw_value(w, v) != HTTPX_OK) {
        FUZZ_CHECK(strstr(httpx_jsonw_error_message(w), "infinity") != NULL);
        httpx_jsonw_free(w);
        httpx_jsonw_free(w2);
        return;
    }
    t1 = httpx_jsonw_text(w);
    FUZZ_CHECK(t1 != NULL);
    back = httpx_json_parse(t1, strlen(t1), &err);
    if (!back) fprintf(stderr, "%s\n%s\n", t1, err.message);
    FUZZ_CHECK(back != NULL);
    FUZZ_CHECK(same(v, back));
    FUZZ_CHECK(httpx_jsonw_value(w2, back) == HTTPX_OK);
    t2 = httpx_jsonw_text(w2);
    FUZZ_CHECK(t2 && strcmp(t1, t2) == 0);
    httpx_json_free(back);
    httpx_jsonw_free(w);
    httpx_jsonw_free(w2);
}

static void parse_mode(const uint8_t *p, size_t n) {
    httpx_json_error err;
    httpx_json_value *v;
    memset(&err, 0, sizeof err);
    v = httpx_json_parse((const char *)p, n, &err);
    if (!v) {
        FUZZ_CHECK(err.code == HTTPX_ERR_DECODING || err.code == HTTPX_ERR_TOO_LARGE);
        FUZZ_CHECK(err.offset <= n && err.message[0] && err.line >= 1 && err.column >= 1);
        return;
    }
    roundtrip(v);
    httpx_json_free(v);
}

static void write_mode(fuzz_in *in) {
    httpx_jsonw *w = httpx_jsonw_new();
    const char *text;
    while (in->n) {
        unsigned op = fuzz_byte(in);
        size_t len = op >> 4, got;
        const uint8_t *s;
        switch (op & 15) {
        case 0: httpx_jsonw_object_begin(w); break;
        case 1: httpx_jsonw_object_end(w); break;
        case 2: httpx_jsonw_array_begin(w); break;
        case 3: httpx_jsonw_array_end(w); break;
        case 4: {
            char key[16];
            s = fuzz_take(in, len, &got);
            memcpy(key, s, got);
            key[got] = 0;
            httpx_jsonw_key(w, key);
            break;
        }
        case 5:
            s = fuzz_take(in, len, &got);
            if (httpx_jsonw_string_n(w, (const char *)s, got) == HTTPX_OK)
                FUZZ_CHECK(httpx__utf8_valid((const char *)s, got) == got);
            break;
        case 6: {
            double x;
            s = fuzz_take(in, sizeof x, &got);
            memset(&x, 0, sizeof x);
            memcpy(&x, s, got);
            if (httpx_jsonw_number(w, x) == HTTPX_OK) FUZZ_CHECK(x == x && x - x == 0);
            break;
        }
        case 7: {
            int64_t x = 0;
            s = fuzz_take(in, sizeof x, &got);
            memcpy(&x, s, got);
            httpx_jsonw_int(w, x);
            break;
        }
        case 8: httpx_jsonw_bool(w, len & 1); break;
        case 9: httpx_jsonw_null(w); break;
        default: break;
        }
    }
    text = httpx_jsonw_text(w);
    if (text) {
        httpx_json_error err;
        httpx_json_value *v = httpx_json_parse(text, strlen(text), &err);
        if (!v) fprintf(stderr, "%s\n%s\n", text, err.message);
        FUZZ_CHECK(v != NULL);
        roundtrip(v);
        httpx_json_free(v);
    }
    httpx_jsonw_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    if (fuzz_byte(&in) == 'w') write_mode(&in);
    else parse_mode(in.p, in.n);
    return 0;
}
