/* Helpers for the HTTP/2 codec tests; see test_h2_util.h. */
#include "test.h"
#include "test_h2_util.h"
#include <stdlib.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- JSON ---- */

typedef struct { const char *p, *end; int depth; } h2j_in;

static void h2j_ws(h2j_in *in) {
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\r' || *in->p == '\n')) in->p++;
}

static void h2j_put_utf8(char *out, size_t *o, unsigned long cp) {
    if (cp < 0x80) { out[(*o)++] = (char)cp; return; }
    if (cp < 0x800) { out[(*o)++] = (char)(0xc0 | cp >> 6); }
    else {
        if (cp < 0x10000) out[(*o)++] = (char)(0xe0 | cp >> 12);
        else { out[(*o)++] = (char)(0xf0 | cp >> 18); out[(*o)++] = (char)(0x80 | ((cp >> 12) & 63)); }
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 63));
    }
    out[(*o)++] = (char)(0x80 | (cp & 63));
}

static bool h2j_str(h2j_in *in, char **s, size_t *len) {
    const char *q = ++in->p;
    size_t o = 0;
    char *out;
    while (q < in->end && *q != '"') q += (*q == '\\') ? 2 : 1;
    if (q >= in->end) return false;
    out = (char *)malloc((size_t)(q - in->p) * 2 + 1);   /* escapes never grow: \uXXXX is 6 for at most 4 */
    while (in->p < q) {
        char c = *in->p++;
        if (c != '\\') { out[o++] = c; continue; }
        c = *in->p++;
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'u': {
            char hex[5] = {0};
            unsigned long cp;
            if (q - in->p < 4) { free(out); return false; }
            memcpy(hex, in->p, 4);
            cp = strtoul(hex, NULL, 16);
            in->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && q - in->p >= 6 && in->p[0] == '\\' && in->p[1] == 'u') {
                memcpy(hex, in->p + 2, 4);
                cp = 0x10000 + ((cp - 0xd800) << 10) + (strtoul(hex, NULL, 16) - 0xdc00);
                in->p += 6;
            }
            h2j_put_utf8(out, &o, cp);
            break;
        }
        default: out[o++] = c; break;   /* \" \\ \/ */
        }
    }
    in->p = q + 1;
    out[o] = 0;
    *s = out;
    *len = o;
    return true;
}

static bool h2j_value(h2j_in *in, h2j *v);

static bool h2j_items(h2j_in *in, h2j *v, char close) {
    size_t cap = 0;
    in->p++;
    h2j_ws(in);
    if (in->p < in->end && *in->p == close) { in->p++; return true; }
    for (;;) {
        char *key = NULL;
        size_t klen;
        h2j_ws(in);
        if (close == '}') {
            if (in->p >= in->end || *in->p != '"' || !h2j_str(in, &key, &klen)) return false;
            h2j_ws(in);
            if (in->p >= in->end || *in->p++ != ':') { free(key); return false; }
        }
        if (v->len == cap) {
            cap = cap ? cap * 2 : 4;
            v->items = (h2j *)realloc(v->items, cap * sizeof *v->items);
            if (close == '}') v->keys = (char **)realloc(v->keys, cap * sizeof *v->keys);
        }
        if (close == '}') v->keys[v->len] = key;
        memset(&v->items[v->len], 0, sizeof v->items[0]);
        v->len++;
        if (!h2j_value(in, &v->items[v->len - 1])) return false;
        h2j_ws(in);
        if (in->p < in->end && *in->p == ',') { in->p++; continue; }
        if (in->p < in->end && *in->p == close) { in->p++; return true; }
        return false;
    }
}

static bool h2j_value1(h2j_in *in, h2j *v);

static bool h2j_value(h2j_in *in, h2j *v) {
    bool ok;
    if (++in->depth > 64) return false;
    ok = h2j_value1(in, v);
    in->depth--;
    return ok;
}

static bool h2j_value1(h2j_in *in, h2j *v) {
    h2j_ws(in);
    if (in->p >= in->end) return false;
    switch (*in->p) {
    case '"': v->type = H2J_STR; return h2j_str(in, &v->str, &v->len);
    case '[': v->type = H2J_ARR; return h2j_items(in, v, ']');
    case '{': v->type = H2J_OBJ; return h2j_items(in, v, '}');
    case 'n': v->type = H2J_NULL; in->p += 4; return in->p <= in->end;
    case 't': v->type = H2J_BOOL; v->num = 1; in->p += 4; return in->p <= in->end;
    case 'f': v->type = H2J_BOOL; v->num = 0; in->p += 5; return in->p <= in->end;
    default: {
        char *endp;
        v->type = H2J_NUM;
        v->num = strtod(in->p, &endp);
        if (endp == in->p) return false;
        in->p = endp;
        return true;
    }
    }
}

static void h2j_clear(h2j *v) {
    size_t i;
    free(v->str);
    if (v->type == H2J_ARR || v->type == H2J_OBJ) {
        for (i = 0; i < v->len; i++) {
            h2j_clear(&v->items[i]);
            if (v->keys) free(v->keys[i]);
        }
    }
    free(v->items);
    free(v->keys);
}

void h2j_free(h2j *v) {
    if (!v) return;
    h2j_clear(v);
    free(v);
}

const char *h2t_suite_dir(const char *suite, char *buf, size_t cap) {
    struct stat st;
    snprintf(buf, cap, "tests/data/%s", suite);
    if (stat(buf, &st) == 0) return buf;
    snprintf(buf, cap, "%s/%s", test_data_dir(), suite);
    if (stat(buf, &st) == 0) return buf;
    return "";
}

h2j *h2j_load(const char *rel) {
    char path[512], suite[128], dir[256];
    const char *slash = strchr(rel, '/');
    size_t n;
    char *text;
    h2j *v;
    h2j_in in;
    if (!slash) return NULL;
    snprintf(suite, sizeof suite, "%.*s", (int)(slash - rel), rel);
    snprintf(path, sizeof path, "%s%s", h2t_suite_dir(suite, dir, sizeof dir), slash);
    text = test_read_file(path, &n);
    if (!text) return NULL;
    v = (h2j *)calloc(1, sizeof *v);
    in.p = text;
    in.end = text + n;
    in.depth = 0;
    if (!h2j_value(&in, v)) { h2j_free(v); v = NULL; }
    free(text);
    return v;
}

const h2j *h2j_get(const h2j *obj, const char *key) {
    size_t i;
    if (!obj || obj->type != H2J_OBJ) return NULL;
    for (i = 0; i < obj->len; i++)
        if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
    return NULL;
}

static int h2t_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

size_t h2t_list_json(const char *dir, char ***names) {
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0, cap = 0;
    *names = NULL;
    if (!d) return 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0) continue;
        if (n == cap) { cap = cap ? cap * 2 : 16; *names = (char **)realloc(*names, cap * sizeof **names); }
        (*names)[n++] = strdup(de->d_name);
    }
    closedir(d);
    if (n) qsort(*names, n, sizeof **names, h2t_cmp);
    return n;
}

void h2t_free_list(char **names, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) free(names[i]);
    free(names);
}

unsigned char *h2t_unhex(const char *hex, size_t *n) {
    size_t len = strlen(hex), i;
    unsigned char *out;
    if (len % 2) return NULL;
    out = (unsigned char *)malloc(len / 2 + 1);
    for (i = 0; i < len / 2; i++) {
        char two[3] = {hex[2 * i], hex[2 * i + 1], 0};
        char *endp;
        out[i] = (unsigned char)strtoul(two, &endp, 16);
        if (*endp) { free(out); return NULL; }
    }
    *n = len / 2;
    return out;
}

/* ---- guard page ---- */

bool h2t_guard_init(h2t_guard *g) {
    g->page = (size_t)sysconf(_SC_PAGESIZE) * 16;   /* inputs up to 64 KiB */
    g->map = (char *)mmap(NULL, g->page + (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) return false;
    return mprotect(g->map + g->page, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) == 0;
}

const unsigned char *h2t_guard_place(h2t_guard *g, const void *p, size_t n) {
    if (n > g->page) return NULL;
    memcpy(g->map + g->page - n, p, n);
    return (const unsigned char *)g->map + g->page - n;
}

void h2t_guard_free(h2t_guard *g) {
    munmap(g->map, g->page + (size_t)sysconf(_SC_PAGESIZE));
}
