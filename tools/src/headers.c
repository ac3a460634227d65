/* headers: an ordered, case-insensitive multi-map. Fields are offsets into one
   text buffer ("name\0value\0" each), so that growing the buffer never leaves a
   dangling pointer inside the map, and a parsed response costs two
   allocations however many fields it has. */
#include "internal.h"
#include "headers_internal.h"

HTTPX__PRIVATE void httpx__headers_init(httpx_headers *h) { memset(h, 0, sizeof *h); }

HTTPX__PRIVATE void httpx__headers_clear(httpx_headers *h) {
    if (!h->fixed) httpx__free(h->fields);
    httpx__buf_free(&h->text);
    httpx__headers_init(h);
}

static bool httpx__headers_grow(httpx_headers *h) {
    size_t cap = h->cap ? h->cap * 2 : 8;
    httpx__field *f;
    if (h->fixed) {         /* the first fields lived in memory we do not own: move out */
        f = (httpx__field *)httpx__malloc(cap * sizeof *f);
        if (f && h->count) memcpy(f, h->fields, h->count * sizeof *f);
    } else {
        f = (httpx__field *)httpx__realloc(h->fields, cap * sizeof *f);
    }
    if (!f) return false;
    h->fields = f;
    h->cap = cap;
    h->fixed = false;
    return true;
}

HTTPX__PRIVATE bool httpx__headers_add_raw(httpx_headers *h, const char *name, size_t nlen,
                                           const char *value, size_t vlen) {
    httpx__field *f;
    if (nlen > 0xffffffu || vlen > 0xffffffu || h->text.len > 0x7f000000u) return false;
    if (h->count == h->cap && !httpx__headers_grow(h)) return false;
    if (!httpx__buf_reserve(&h->text, nlen + vlen + 2)) return false;
    f = &h->fields[h->count];
    f->name = (uint32_t)h->text.len;
    f->name_len = (uint32_t)nlen;
    httpx__buf_append(&h->text, name, nlen);
    h->text.len++;                         /* keep the NUL that append wrote */
    f->value = (uint32_t)h->text.len;
    f->value_len = (uint32_t)vlen;
    httpx__buf_append(&h->text, value, vlen);
    h->text.len++;
    h->text.p[h->text.len - 1] = 0;
    h->count++;
    return true;
}

HTTPX__PRIVATE httpx_error httpx__header_check(const char *name, const char *value, httpx__err *e) {
    const char *p;
    if (!name || !*name) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "empty header name");
    if (!value) return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header '%.64s' has no value (NULL)", name);
    for (p = name; *p; p++)
        if (!httpx__is_tchar((unsigned char)*p))
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                               "header name '%.64s' has the character 0x%02x, which is not allowed in a name",
                               name, (unsigned char)*p);
    if (strlen(name) > 0xffffffu || strlen(value) > 0xffffffu)
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER, "header '%.64s' is longer than 16 MiB", name);
    for (p = value; *p; p++)
        if (*p == '\r' || *p == '\n')
            return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                               "header '%.64s' has a CR or LF in its value (refused: it would split the request)",
                               name);
    return HTTPX_OK;
}

static const char *httpx__field_name(const httpx_headers *h, size_t i) { return h->text.p + h->fields[i].name; }
static const char *httpx__field_value(const httpx_headers *h, size_t i) { return h->text.p + h->fields[i].value; }

static bool httpx__field_is(const httpx_headers *h, size_t i, const char *name, size_t nlen) {
    return h->fields[i].name_len == nlen && httpx__mem_ieq(httpx__field_name(h, i), name, nlen);
}

HTTPX_API httpx_headers *httpx_headers_new(void) {
    httpx_headers *h = (httpx_headers *)httpx__malloc(sizeof *h);
    if (h) httpx__headers_init(h);
    return h;
}

HTTPX_API void httpx_headers_free(httpx_headers *h) {
    if (!h) return;
    httpx__headers_clear(h);
    httpx__free(h);
}

HTTPX_API httpx_error httpx_headers_add(httpx_headers *h, const char *name, const char *value) {
    httpx_error err = httpx__header_check(name, value, NULL);
    if (err) return err;
    return httpx__headers_add_raw(h, name, strlen(name), value, strlen(value)) ? HTTPX_OK : HTTPX_ERR_NOMEM;
}

HTTPX_API size_t httpx_headers_remove(httpx_headers *h, const char *name) {
    size_t i, kept = 0, nlen = strlen(name);
    for (i = 0; i < h->count; i++)
        if (!httpx__field_is(h, i, name, nlen)) h->fields[kept++] = h->fields[i];
    i = h->count - kept;
    h->count = kept;     /* the text of removed fields stays until clear: bounded by what was added */
    return i;
}

HTTPX_API httpx_error httpx_headers_set(httpx_headers *h, const char *name, const char *value) {
    httpx_error err = httpx__header_check(name, value, NULL);
    if (err) return err;
    httpx_headers_remove(h, name);
    return httpx__headers_add_raw(h, name, strlen(name), value, strlen(value)) ? HTTPX_OK : HTTPX_ERR_NOMEM;
}

HTTPX_API const char *httpx_headers_get_nth(const httpx_headers *h, const char *name, size_t n) {
    size_t i, nlen;
    if (!h || !name) return NULL;
    nlen = strlen(name);
    for (i = 0; i < h->count; i++)
        if (httpx__field_is(h, i, name, nlen) && n-- == 0) return httpx__field_value(h, i);
    return NULL;
}

HTTPX_API const char *httpx_headers_get(const httpx_headers *h, const char *name) {
    return httpx_headers_get_nth(h, name, 0);
}

HTTPX_API size_t httpx_headers_count(const httpx_headers *h) { return h ? h->count : 0; }

HTTPX_API bool httpx_headers_at(const httpx_headers *h, size_t i, const char **name, const char **value) {
    if (!h || i >= h->count) return false;
    if (name) *name = httpx__field_name(h, i);
    if (value) *value = httpx__field_value(h, i);
    return true;
}

HTTPX__PRIVATE void httpx__debug_field_line(httpx__buf *b, const char *name, size_t nlen, const char *value,
                                            size_t vlen) {
    httpx__buf_append(b, name, nlen);
    httpx__buf_append(b, ": ", 2);
    httpx__buf_append(b, value, vlen);
    httpx__buf_append(b, "\r\n", 2);
}
