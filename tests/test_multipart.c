/* Tests of the multipart/form-data encoder: round trips of python-multipart's
   well-formed cases, WPT's name/filename escaping table, streaming from files
   and FILE*s, lengths, boundaries and errors. The output is checked by
   parsing it back with the small parser below. */
#include "test.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers: draining and parsing back ---- */

typedef struct mpt_out { char *p; size_t len; } mpt_out;

/* Reads the whole body in pieces of at most cap; false on a read error. */
static bool mpt_drain(httpx__multipart *m, size_t cap, mpt_out *out, httpx__err *e) {
    char *buf = (char *)malloc(cap);
    size_t have = 0, room = 1024;
    long n;
    out->p = (char *)malloc(room);
    out->len = 0;
    while ((n = httpx__multipart_read(m, buf, cap, e)) > 0) {
        if ((size_t)n > cap) { test_fail(__FILE__, __LINE__, "read %ld bytes with cap %zu", n, cap); break; }
        if (have + (size_t)n > room) {
            while (have + (size_t)n > room) room *= 2;
            out->p = (char *)realloc(out->p, room);
        }
        memcpy(out->p + have, buf, (size_t)n);
        have += (size_t)n;
    }
    free(buf);
    out->len = have;
    return n == 0;
}

static const char *mpt_boundary(const httpx__multipart *m) {
    const char *ct = httpx__multipart_content_type(m);
    const char *b = strstr(ct, "boundary=");
    return b ? b + 9 : "";
}

/* Encodes, drains with cap and checks that the announced length is exact. */
static bool mpt_encode(const httpx_pair *fields, const httpx_file *files, size_t cap, mpt_out *out,
                       char *boundary, size_t bcap) {
    httpx__err e;
    httpx__multipart *m;
    bool ok;
    memset(&e, 0, sizeof e);
    m = httpx__multipart_new(fields, files, &e);
    if (!m) { test_fail(__FILE__, __LINE__, "multipart_new failed: %s", e.msg); return false; }
    ok = mpt_drain(m, cap, out, &e);
    if (!ok) test_fail(__FILE__, __LINE__, "read failed: %s", e.msg);
    if (ok && httpx__multipart_length(m) >= 0 && httpx__multipart_length(m) != (long long)out->len)
        test_fail(__FILE__, __LINE__, "length %lld but %zu bytes read", httpx__multipart_length(m), out->len);
    if (boundary) snprintf(boundary, bcap, "%s", mpt_boundary(m));
    httpx__multipart_free(m);
    if (!ok) free(out->p);
    return ok;
}

typedef struct mpt_part {
    char name[256], filename[256], ctype[256];
    bool has_filename, has_ctype;
    const char *data;
    size_t len;
} mpt_part;

static const char *mpt_find(const char *p, size_t n, const char *needle, size_t k) {
    size_t i;
    for (i = 0; k <= n && i <= n - k; i++)
        if (memcmp(p + i, needle, k) == 0) return p + i;
    return NULL;
}

/* Copies the quoted value of `key="` within the line; false when absent. */
static bool mpt_param(const char *line, size_t n, const char *key, char *out, size_t cap) {
    const char *v = mpt_find(line, n, key, strlen(key)), *end;
    if (!v) return false;
    v += strlen(key);
    end = (const char *)memchr(v, '"', (size_t)(line + n - v));
    if (!end || (size_t)(end - v) >= cap) return false;
    memcpy(out, v, (size_t)(end - v));
    out[end - v] = 0;
    return true;
}

static bool mpt_header(mpt_part *part, const char *line, size_t n) {
    static const char cd[] = "Content-Disposition: form-data", ct[] = "Content-Type: ";
    if (n >= sizeof cd - 1 && memcmp(line, cd, sizeof cd - 1) == 0) {
        part->has_filename = mpt_param(line, n, "; filename=\"", part->filename, sizeof part->filename);
        return mpt_param(line, n, "; name=\"", part->name, sizeof part->name);
    }
    if (n >= sizeof ct - 1 && memcmp(line, ct, sizeof ct - 1) == 0 && n - (sizeof ct - 1) < sizeof part->ctype) {
        memcpy(part->ctype, line + sizeof ct - 1, n - (sizeof ct - 1));
        part->ctype[n - (sizeof ct - 1)] = 0;
        part->has_ctype = true;
        return true;
    }
    return false;
}

/* A strict parser of what the encoder must produce: no preamble, CRLF line
   ends, closing delimiter then CRLF and nothing after. Returns the number of
   parts, or -1. */
static int mpt_parse(const char *body, size_t n, const char *boundary, mpt_part *parts, int max) {
    char delim[128];
    size_t dl, pos;
    int count = 0;
    dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    if (n < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0) return -1;
    pos = dl - 2;
    for (;;) {
        const char *end;
        mpt_part *part;
        if (n - pos == 4 && memcmp(body + pos, "--\r\n", 4) == 0) return count;
        if (n - pos < 2 || memcmp(body + pos, "\r\n", 2) != 0 || count == max) return -1;
        pos += 2;
        part = &parts[count++];
        memset(part, 0, sizeof *part);
        for (;;) {
            const char *eol = mpt_find(body + pos, n - pos, "\r\n", 2);
            if (!eol) return -1;
            if (eol == body + pos) { pos += 2; break; }
            if (!mpt_header(part, body + pos, (size_t)(eol - (body + pos)))) return -1;
            pos = (size_t)(eol - body) + 2;
        }
        end = mpt_find(body + pos, n - pos, delim, dl);
        if (!end) return -1;
        part->data = body + pos;
        part->len = (size_t)(end - (body + pos));
        pos = (size_t)(end - body) + dl;
    }
}

/* ---- python-multipart cases (testdata/multipart-python-multipart/NAME.yaml) ---- */

#define MPT_MAX_PARTS 8
typedef struct mpt_ypart {
    char name[128], file_name[128], ctype[128];
    bool is_file, has_file_name, has_ctype;
    unsigned char *data;
    size_t len;
} mpt_ypart;
typedef struct mpt_ycase {
    bool is_error;
    int nparts;
    mpt_ypart parts[MPT_MAX_PARTS];
} mpt_ycase;

static int mpt_b64_value(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes base64, skipping whitespace and padding. */
static unsigned char *mpt_b64(const char *s, size_t *len) {
    unsigned char *out = (unsigned char *)malloc(strlen(s) + 1);
    unsigned acc = 0;
    int bits = 0;
    size_t n = 0;
    for (; *s; s++) {
        int v = mpt_b64_value((unsigned char)*s);
        if (v < 0) continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    *len = n;
    return out;
}

/* Copies a YAML scalar without its quotes. */
static void mpt_scalar(char *out, size_t cap, const char *s) {
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) { s++; n -= 2; }
    if (n >= cap) n = cap - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

static size_t mpt_indent(const char *line) {
    size_t i = 0;
    while (line[i] == ' ') i++;
    return i;
}

/* Knows just the shapes these files use: boundary, expected: [] | error: N
   | a list of parts whose data is a `!!binary |` block. */
static bool mpt_read_yaml(char *text, mpt_ycase *c) {
    char *line, *save = NULL;
    mpt_ypart *part = NULL;
    char b64[8192];
    size_t data_indent = 0;
    bool in_data = false;
    memset(c, 0, sizeof *c);
    b64[0] = 0;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line), ind;
        const char *t;
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\r')) line[--n] = 0;
        ind = mpt_indent(line);
        t = line + ind;
        if (in_data && ind > data_indent && *t) {
            if (strlen(b64) + strlen(t) >= sizeof b64) return false;
            strcat(b64, t);
            continue;
        }
        if (in_data) {
            part->data = mpt_b64(b64, &part->len);
            in_data = false;
        }
        if (!*t) continue;
        if (strncmp(t, "error:", 6) == 0) c->is_error = true;
        else if (strncmp(t, "- name: ", 8) == 0) {
            if (c->nparts == MPT_MAX_PARTS) return false;
            part = &c->parts[c->nparts++];
            mpt_scalar(part->name, sizeof part->name, t + 8);
        } else if (part && strcmp(t, "type: file") == 0) part->is_file = true;
        else if (part && strncmp(t, "file_name: ", 11) == 0) {
            part->has_file_name = true;
            mpt_scalar(part->file_name, sizeof part->file_name, t + 11);
        } else if (part && strncmp(t, "content_type: ", 14) == 0) {
            part->has_ctype = true;
            mpt_scalar(part->ctype, sizeof part->ctype, t + 14);
        } else if (part && strcmp(t, "data: !!binary |") == 0) {
            in_data = true;
            data_indent = ind;
            b64[0] = 0;
        }
    }
    if (in_data) part->data = mpt_b64(b64, &part->len);
    return true;
}

static void mpt_free_case(mpt_ycase *c) {
    int i;
    for (i = 0; i < c->nparts; i++) free(c->parts[i].data);
}

/* What the encoder must send for one expected part, checked against what the
   parser found. Fields carry no Content-Type: RFC 7578 makes that text/plain,
   which is what the cases that give one say. */
static void mpt_check_part(const char *file, const mpt_ypart *want, const mpt_part *got) {
    if (strcmp(got->name, want->name) != 0)
        test_fail(__FILE__, __LINE__, "%s: name \"%s\", expected \"%s\"", file, got->name, want->name);
    if (want->is_file) {
        const char *ct = want->has_ctype ? want->ctype : "application/octet-stream";
        if (!got->has_filename || strcmp(got->filename, want->file_name) != 0)
            test_fail(__FILE__, __LINE__, "%s: filename \"%s\", expected \"%s\"", file, got->filename, want->file_name);
        if (!got->has_ctype || strcmp(got->ctype, ct) != 0)
            test_fail(__FILE__, __LINE__, "%s: content type \"%s\", expected \"%s\"", file, got->ctype, ct);
    } else {
        if (got->has_filename || got->has_ctype)
            test_fail(__FILE__, __LINE__, "%s: field %s has a filename or content type", file, want->name);
        if (want->has_ctype && strcmp(want->ctype, "text/plain") != 0)
            test_fail(__FILE__, __LINE__, "%s: field content type %s is not the default", file, want->ctype);
    }
    if (got->len != want->len || memcmp(got->data, want->data, want->len) != 0)
        test_fail(__FILE__, __LINE__, "%s: part %s: %zu data bytes differ from the %zu expected", file,
                  want->name, got->len, want->len);
}

/* Encodes the case's parts (fields as text values, files from memory or,
   with use_fp, from a temporary FILE*), parses the body back and compares. */
static void mpt_round_trip(const char *file, const mpt_ycase *c, bool use_fp) {
    httpx_pair fields[MPT_MAX_PARTS + 1];
    httpx_file files[MPT_MAX_PARTS + 1];
    FILE *fps[MPT_MAX_PARTS];
    const mpt_ypart *order[MPT_MAX_PARTS];
    char *values[MPT_MAX_PARTS];
    mpt_part got[MPT_MAX_PARTS + 1];
    char boundary[64];
    int i, nf = 0, nfiles = 0, n;
    mpt_out out;
    memset(fields, 0, sizeof fields);
    memset(files, 0, sizeof files);
    memset(fps, 0, sizeof fps);
    for (i = 0; i < c->nparts; i++) {   /* fields first: the encoder's order */
        const mpt_ypart *p = &c->parts[i];
        if (p->is_file) continue;
        if (memchr(p->data, 0, p->len)) { test_fail(__FILE__, __LINE__, "%s: NUL in a field", file); return; }
        values[nf] = (char *)malloc(p->len + 1);
        memcpy(values[nf], p->data, p->len);
        values[nf][p->len] = 0;
        fields[nf].name = p->name;
        fields[nf].value = values[nf];
        order[nf++] = p;
    }
    for (i = 0; i < c->nparts; i++) {
        const mpt_ypart *p = &c->parts[i];
        httpx_file *f = &files[nfiles];
        if (!p->is_file) continue;
        f->field = p->name;
        f->filename = p->file_name;
        f->content_type = p->has_ctype ? p->ctype : NULL;
        if (use_fp) {
            fps[nfiles] = tmpfile();
            if (p->len) fwrite(p->data, 1, p->len, fps[nfiles]);
            rewind(fps[nfiles]);
            f->fp = fps[nfiles];
        } else {
            f->data = p->len ? (const void *)p->data : (const void *)"";
            f->size = p->len;
        }
        order[nf + nfiles++] = p;
    }
    if (mpt_encode(fields, files, 4096, &out, boundary, sizeof boundary)) {
        n = mpt_parse(out.p, out.len, boundary, got, MPT_MAX_PARTS + 1);
        if (n != c->nparts) test_fail(__FILE__, __LINE__, "%s: parsed %d parts, expected %d", file, n, c->nparts);
        for (i = 0; i < n && i < c->nparts; i++) mpt_check_part(file, order[i], &got[i]);
        free(out.p);
    }
    for (i = 0; i < nf; i++) free(values[i]);
    for (i = 0; i < nfiles; i++) if (fps[i]) fclose(fps[i]);
}

TEST(multipart_python_multipart_round_trip) {
    char dir[512], path[1024];
    DIR *d;
    struct dirent *ent;
    int valid = 0, errors = 0;
    snprintf(dir, sizeof dir, "%s/multipart-python-multipart", test_data_dir());
    d = opendir(dir);
    REQUIRE(d != NULL);
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        char *text;
        mpt_ycase c;
        if (n < 5 || strcmp(ent->d_name + n - 5, ".yaml") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        text = test_read_file(path, NULL);
        if (!text || !mpt_read_yaml(text, &c)) {
            test_fail(__FILE__, __LINE__, "cannot read %s", path);
            free(text);
            continue;
        }
        if (c.is_error) errors++;
        else {
            valid++;
            mpt_round_trip(ent->d_name, &c, false);
            mpt_round_trip(ent->d_name, &c, true);
        }
        mpt_free_case(&c);
        free(text);
    }
    closedir(d);
    CHECK_INT(valid, 22);   /* README: 22 valid, 8 must-fail (parser-only) */
    CHECK_INT(errors, 8);
}

/* ---- WPT cases (testdata/multipart-wpt/formdata-encoding.json) ---- */

enum { MPT_J_OTHER, MPT_J_STR, MPT_J_ARR, MPT_J_OBJ };
typedef struct mpt_json {
    int type;
    char *str;                  /* STR: decoded UTF-8, may hold NULs */
    size_t len;                 /* STR: bytes; ARR/OBJ: members */
    char **keys;                /* OBJ */
    struct mpt_json *kids;
} mpt_json;

static void mpt_ws(const char **p) { while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t') (*p)++; }

static void mpt_put_utf8(char *out, size_t *n, unsigned long cp) {
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 63));
        out[(*n)++] = (char)(0x80 | (cp & 63));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 63));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 63));
        out[(*n)++] = (char)(0x80 | (cp & 63));
    }
}

static unsigned long mpt_hex4(const char *s) {
    char tmp[5];
    memcpy(tmp, s, 4);
    tmp[4] = 0;
    return strtoul(tmp, NULL, 16);
}

static bool mpt_json_string(const char **p, char **out, size_t *len) {
    const char *s = *p + 1;
    char *buf = (char *)malloc(strlen(s) * 2 + 1);
    size_t n = 0;
    while (*s && *s != '"') {
        if (*s != '\\') { buf[n++] = *s++; continue; }
        s++;
        if (*s == 'u') {
            unsigned long cp = mpt_hex4(s + 1);
            s += 5;
            if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
                unsigned long lo = mpt_hex4(s + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            mpt_put_utf8(buf, &n, cp);
            continue;
        }
        switch (*s) {
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        default: buf[n++] = *s; break;   /* \" \\ \/ */
        }
        s++;
    }
    if (*s != '"') { free(buf); return false; }
    buf[n] = 0;
    *out = buf;
    *len = n;
    *p = s + 1;
    return true;
}

static bool mpt_json_value(const char **p, mpt_json *v);

static bool mpt_json_members(const char **p, mpt_json *v, bool obj) {
    char close = obj ? '}' : ']';
    size_t cap = 0;
    (*p)++;
    mpt_ws(p);
    if (**p == close) { (*p)++; return true; }
    for (;;) {
        if (v->len == cap) {
            cap = cap ? cap * 2 : 8;
            v->kids = (mpt_json *)realloc(v->kids, cap * sizeof *v->kids);
            if (obj) v->keys = (char **)realloc(v->keys, cap * sizeof *v->keys);
        }
        memset(&v->kids[v->len], 0, sizeof *v->kids);
        mpt_ws(p);
        if (obj) {
            size_t klen;
            if (**p != '"' || !mpt_json_string(p, &v->keys[v->len], &klen)) return false;
            mpt_ws(p);
            if (*(*p)++ != ':') { free(v->keys[v->len]); return false; }
        }
        if (!mpt_json_value(p, &v->kids[v->len++])) return false;
        mpt_ws(p);
        if (**p == ',') { (*p)++; continue; }
        if (**p == close) { (*p)++; return true; }
        return false;
    }
}

static bool mpt_json_value(const char **p, mpt_json *v) {
    memset(v, 0, sizeof *v);
    mpt_ws(p);
    if (**p == '"') { v->type = MPT_J_STR; return mpt_json_string(p, &v->str, &v->len); }
    if (**p == '{') { v->type = MPT_J_OBJ; return mpt_json_members(p, v, true); }
    if (**p == '[') { v->type = MPT_J_ARR; return mpt_json_members(p, v, false); }
    while (**p && !strchr(",}] \n\r\t", **p)) (*p)++;   /* numbers, true, false, null */
    return true;
}

static void mpt_json_free(mpt_json *v) {
    size_t i;
    for (i = 0; i < v->len && (v->type == MPT_J_ARR || v->type == MPT_J_OBJ); i++) {
        mpt_json_free(&v->kids[i]);
        if (v->type == MPT_J_OBJ) free(v->keys[i]);
    }
    free(v->kids);
    free(v->keys);
    free(v->str);
}

static const mpt_json *mpt_get(const mpt_json *obj, const char *key, int type) {
    size_t i;
    if (!obj || obj->type != MPT_J_OBJ) return NULL;
    for (i = 0; i < obj->len; i++)
        if (strcmp(obj->keys[i], key) == 0) return obj->kids[i].type == type ? &obj->kids[i] : NULL;
    return NULL;
}

static bool mpt_has_nul(const mpt_json *s) { return s && memchr(s->str, 0, s->len) != NULL; }

static void mpt_append(mpt_out *o, const char *p, size_t n) {
    o->p = (char *)realloc(o->p, o->len + n + 1);
    memcpy(o->p + o->len, p, n);
    o->len += n;
}

/* The body WPT expects (expected_payload in the JSON), for our boundary and
   the value we send. */
static mpt_out mpt_wpt_expected(const char *boundary, const mpt_json *exp, const char *value, size_t vlen) {
    const mpt_json *name = mpt_get(exp, "name", MPT_J_STR), *fname = mpt_get(exp, "filename", MPT_J_STR);
    mpt_out o = {NULL, 0};
    mpt_append(&o, "--", 2);
    mpt_append(&o, boundary, strlen(boundary));
    mpt_append(&o, "\r\nContent-Disposition: form-data; name=\"", 40);
    mpt_append(&o, name->str, name->len);
    mpt_append(&o, "\"", 1);
    if (fname) {
        mpt_append(&o, "; filename=\"", 12);
        mpt_append(&o, fname->str, fname->len);
        mpt_append(&o, "\"\r\nContent-Type: text/plain", 27);
    }
    mpt_append(&o, "\r\n\r\n", 4);
    mpt_append(&o, value, vlen);
    mpt_append(&o, "\r\n--", 4);
    mpt_append(&o, boundary, strlen(boundary));
    mpt_append(&o, "--\r\n", 4);
    return o;
}

/* One entry; returns 1 when our value differs from WPT's (we send values as
   given, WPT normalises their line breaks), 0 when not. */
static int mpt_wpt_case(const mpt_json *c) {
    const mpt_json *desc = mpt_get(c, "description", MPT_J_STR), *name = mpt_get(c, "name", MPT_J_STR);
    const mpt_json *value = mpt_get(c, "value", MPT_J_STR), *file = mpt_get(c, "file", MPT_J_OBJ);
    const mpt_json *exp = mpt_get(c, "expected", MPT_J_OBJ), *exp_value = mpt_get(exp, "value", MPT_J_STR);
    httpx_pair fields[2] = {{NULL, NULL}, {NULL, NULL}};
    httpx_file files[2];
    char boundary[64];
    mpt_out got, want;
    int deviates = 0;
    memset(files, 0, sizeof files);
    if (!desc || !name || !exp || !exp_value || (!value && !file)) {
        test_fail(__FILE__, __LINE__, "a WPT case lacks a key");
        return 0;
    }
    if (value) {
        fields[0].name = name->str;
        fields[0].value = value->str;
    } else {
        files[0].field = name->str;
        files[0].filename = mpt_get(file, "filename", MPT_J_STR)->str;
        files[0].content_type = mpt_get(file, "type", MPT_J_STR)->str;
        files[0].data = mpt_get(file, "content", MPT_J_STR)->str;
        files[0].size = mpt_get(file, "content", MPT_J_STR)->len;
    }
    if (!mpt_encode(value ? fields : NULL, value ? NULL : files, 3, &got, boundary, sizeof boundary)) return 0;
    if (value) {
        deviates = value->len != exp_value->len || memcmp(value->str, exp_value->str, value->len) != 0;
        want = mpt_wpt_expected(boundary, exp, value->str, value->len);
    } else {
        want = mpt_wpt_expected(boundary, exp, exp_value->str, exp_value->len);
    }
    if (got.len != want.len || memcmp(got.p, want.p, got.len) != 0)
        test_fail(__FILE__, __LINE__, "WPT \"%s\": body differs:\n  got  %.*s\n  want %.*s", desc->str,
                  (int)got.len, got.p, (int)want.len, want.p);
    if (deviates && !strstr(desc->str, "in value"))
        test_fail(__FILE__, __LINE__, "WPT \"%s\": unexpected value deviation", desc->str);
    free(got.p);
    free(want.p);
    return deviates;
}

TEST(multipart_wpt_formdata_encoding) {
    char path[512];
    char *text;
    const char *p;
    mpt_json root;
    const mpt_json *cases;
    size_t i;
    int run = 0, legacy = 0, with_nul = 0, deviations = 0;
    snprintf(path, sizeof path, "%s/multipart-wpt/formdata-encoding.json", test_data_dir());
    text = test_read_file(path, NULL);
    REQUIRE(text != NULL);
    p = text;
    if (!mpt_json_value(&p, &root)) { test_fail(__FILE__, __LINE__, "bad JSON in %s", path); mpt_json_free(&root); free(text); return; }
    cases = mpt_get(&root, "cases", MPT_J_ARR);
    REQUIRE(cases != NULL);
    for (i = 0; i < cases->len; i++) {
        const mpt_json *c = &cases->kids[i], *file = mpt_get(c, "file", MPT_J_OBJ);
        if (mpt_get(c, "form_encoding", MPT_J_STR)) { legacy++; continue; }   /* windows-1252: UTF-8 only here */
        /* NUL in a name, value or filename cannot pass through C strings */
        if (mpt_has_nul(mpt_get(c, "name", MPT_J_STR)) || mpt_has_nul(mpt_get(c, "value", MPT_J_STR)) ||
            mpt_has_nul(mpt_get(file, "filename", MPT_J_STR))) { with_nul++; continue; }
        deviations += mpt_wpt_case(c);
        run++;
    }
    CHECK_INT(cases->len, 30);
    CHECK_INT(legacy, 2);
    CHECK_INT(with_nul, 3);
    CHECK_INT(run, 25);
    CHECK_INT(deviations, 3);   /* "\n in value", "\r in value", "\n\r in value" */
    mpt_json_free(&root);
    free(text);
}

/* ---- files on disk ---- */

static char *mpt_random_bytes(size_t n) {
    char *p = (char *)malloc(n);
    unsigned long long x = 12345;
    size_t i;
    for (i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        p[i] = (char)(x >> 33);
        if (i % 4099 == 7 && i + 4 < n) { memcpy(p + i, "\r\n--", 4); i += 3; }
    }
    return p;
}

/* A temporary file holding data; path gets its name. */
static bool mpt_temp_file(char *path, size_t cap, const char *data, size_t n) {
    int fd;
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/httpx-mp-test-XXXXXX", dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) return false;
    if (write(fd, data, n) != (ssize_t)n) { close(fd); unlink(path); return false; }
    close(fd);
    return true;
}

static int mpt_open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

TEST(multipart_streams_file_with_any_cap) {
    static const size_t caps[] = {1, 7, 4096, 65536, 3u << 20};
    const size_t size = 2u << 20;
    char *data = mpt_random_bytes(size), path[512], boundary[64];
    httpx_pair fields[] = {{"note", "hello"}, {NULL, NULL}};
    httpx_file files[3];
    mpt_out first = {NULL, 0};
    size_t i;
    REQUIRE(mpt_temp_file(path, sizeof path, data, size));
    memset(files, 0, sizeof files);
    files[0].field = "blob";
    files[0].path = path;
    files[1].field = "small";
    files[1].data = "abc";
    files[1].size = 3;
    files[1].content_type = "text/plain";
    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        mpt_out out;
        mpt_part parts[4];
        if (!mpt_encode(fields, files, caps[i], &out, boundary, sizeof boundary)) break;
        if (i == 0) {
            const char *base = strrchr(path, '/') + 1;
            first = out;
            REQUIRE(mpt_parse(out.p, out.len, boundary, parts, 4) == 3);
            CHECK_STR(parts[0].name, "note");
            CHECK_MEM(parts[0].data, parts[0].len, "hello", 5);
            CHECK_STR(parts[1].name, "blob");
            CHECK_STR(parts[1].filename, base);
            CHECK_STR(parts[1].ctype, "application/octet-stream");
            CHECK_MEM(parts[1].data, parts[1].len, data, size);
            CHECK_STR(parts[2].ctype, "text/plain");
            CHECK_STR(parts[2].filename, "upload");
            CHECK_MEM(parts[2].data, parts[2].len, "abc", 3);
            continue;
        }
        /* Same bytes but for the boundary, which is new each time. */
        REQUIRE(mpt_parse(out.p, out.len, boundary, parts, 4) == 3);
        CHECK_INT(out.len, first.len);
        CHECK_MEM(parts[1].data, parts[1].len, data, size);
        free(out.p);
    }
    free(first.p);
    unlink(path);
    free(data);
}

TEST(multipart_file_pointer_from_current_position) {
    FILE *fp = tmpfile();
    httpx_file files[2];
    httpx__err e;
    httpx__multipart *m;
    mpt_out out;
    mpt_part parts[2];
    REQUIRE(fp != NULL);
    fputs("SKIPME:the rest is sent", fp);
    fseek(fp, 7, SEEK_SET);
    memset(files, 0, sizeof files);
    memset(&e, 0, sizeof e);
    files[0].field = "f";
    files[0].fp = fp;
    m = httpx__multipart_new(NULL, files, &e);
    REQUIRE(m != NULL);
    REQUIRE(mpt_drain(m, 5, &out, &e));
    CHECK_INT(httpx__multipart_length(m), out.len);
    REQUIRE(mpt_parse(out.p, out.len, mpt_boundary(m), parts, 2) == 1);
    CHECK_STR(parts[0].filename, "upload");
    CHECK_MEM(parts[0].data, parts[0].len, "the rest is sent", 16);
    httpx__multipart_free(m);
    CHECK(fcntl(fileno(fp), F_GETFD) != -1);   /* the caller's FILE* stays open */
    CHECK_INT(ftell(fp), 23);
    fclose(fp);
    free(out.p);
}

TEST(multipart_pipe_has_unknown_length) {
    int fds[2];
    FILE *fp;
    char *data = mpt_random_bytes(3000);
    httpx_file files[2];
    httpx__err e;
    httpx__multipart *m;
    mpt_out out;
    mpt_part parts[2];
    REQUIRE(pipe(fds) == 0);
    REQUIRE(write(fds[1], data, 3000) == 3000);
    close(fds[1]);
    fp = fdopen(fds[0], "rb");
    REQUIRE(fp != NULL);
    memset(files, 0, sizeof files);
    memset(&e, 0, sizeof e);
    files[0].field = "stream";
    files[0].fp = fp;
    files[0].filename = "s.bin";
    m = httpx__multipart_new(NULL, files, &e);
    REQUIRE(m != NULL);
    CHECK_INT(httpx__multipart_length(m), -1);
    REQUIRE(mpt_drain(m, 1000, &out, &e));
    REQUIRE(mpt_parse(out.p, out.len, mpt_boundary(m), parts, 2) == 1);
    CHECK_STR(parts[0].filename, "s.bin");
    CHECK_MEM(parts[0].data, parts[0].len, data, 3000);
    httpx__multipart_free(m);
    fclose(fp);
    free(out.p);
    free(data);
}

TEST(multipart_file_that_shrinks_or_grows) {
    char *data = mpt_random_bytes(10000), path[512], buf[4096];
    httpx_file files[2];
    httpx__err e;
    httpx__multipart *m;
    mpt_out out;
    long n;
    REQUIRE(mpt_temp_file(path, sizeof path, data, 10000));
    memset(files, 0, sizeof files);
    memset(&e, 0, sizeof e);
    files[0].field = "f";
    files[0].path = path;
    /* Shrinks: an error, not a body shorter than its Content-Length. */
    m = httpx__multipart_new(NULL, files, &e);
    REQUIRE(m != NULL);
    REQUIRE(truncate(path, 100) == 0);
    while ((n = httpx__multipart_read(m, buf, sizeof buf, &e)) > 0) {}
    CHECK_INT(n, -1);
    CHECK_INT(e.code, HTTPX_ERR_LOCAL_PROTOCOL);
    CHECK(strstr(e.msg, path) != NULL && strstr(e.msg, "shrink") != NULL);
    CHECK_INT(httpx__multipart_read(m, buf, sizeof buf, &e), -1);
    httpx__multipart_free(m);
    /* Grows: only the size measured at the start goes out. */
    m = httpx__multipart_new(NULL, files, &e);
    REQUIRE(m != NULL);
    {
        FILE *f = fopen(path, "ab");
        REQUIRE(f != NULL);
        fputs("appended later", f);
        fclose(f);
    }
    REQUIRE(mpt_drain(m, 333, &out, &e));
    CHECK_INT(httpx__multipart_length(m), out.len);
    httpx__multipart_free(m);
    free(out.p);
    unlink(path);
    free(data);
}

TEST(multipart_closes_the_files_it_opened) {
    char path[512];
    httpx_file files[3];
    httpx__err e;
    httpx__multipart *m;
    int before = mpt_open_fds();
    REQUIRE(before > 0);
    REQUIRE(mpt_temp_file(path, sizeof path, "x", 1));
    memset(files, 0, sizeof files);
    memset(&e, 0, sizeof e);
    files[0].field = "a";
    files[0].path = path;
    m = httpx__multipart_new(NULL, files, &e);
    REQUIRE(m != NULL);
    CHECK_INT(mpt_open_fds(), before + 1);
    httpx__multipart_free(m);
    CHECK_INT(mpt_open_fds(), before);
    /* and when a later file fails */
    files[1].field = "b";
    files[1].path = "/nonexistent-httpx-dir/missing.bin";
    CHECK(httpx__multipart_new(NULL, files, &e) == NULL);
    CHECK_INT(mpt_open_fds(), before);
    unlink(path);
}

/* ---- errors, lengths, boundaries ---- */

TEST(multipart_missing_path) {
    static const char missing[] = "/nonexistent-httpx-dir/missing.bin";
    httpx_file files[2];
    httpx__err e;
    memset(files, 0, sizeof files);
    memset(&e, 0, sizeof e);
    files[0].field = "doc";
    files[0].path = missing;
    CHECK(httpx__multipart_new(NULL, files, &e) == NULL);
    CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK_INT(e.sys_errno, ENOENT);
    CHECK(strstr(e.msg, missing) != NULL);
    CHECK(strstr(e.msg, strerror(ENOENT)) != NULL);
}

TEST(multipart_bad_arguments) {
    struct {
        const char *field, *path, *content_type;
        const char *data;
        bool with_fp;
        httpx_error code;
        const char *in_msg;
    } cases[] = {
        {"both", "/etc/hostname", NULL, "x", false, HTTPX_ERR_INVALID_ARGUMENT, "\"both\""},
        {"three", "/etc/hostname", NULL, "x", true, HTTPX_ERR_INVALID_ARGUMENT, "\"three\""},
        {"memfp", NULL, NULL, "x", true, HTTPX_ERR_INVALID_ARGUMENT, "\"memfp\""},
        {"none", NULL, NULL, NULL, false, HTTPX_ERR_INVALID_ARGUMENT, "\"none\""},
        {NULL, NULL, NULL, "x", false, HTTPX_ERR_INVALID_ARGUMENT, "files[0]"},
        {"crlf", NULL, "text/plain\r\nX-Evil: 1", "x", false, HTTPX_ERR_INVALID_HEADER, "\"crlf\""},
        {"dir", "/tmp", NULL, NULL, false, HTTPX_ERR_INVALID_ARGUMENT, "directory"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        httpx_file files[2];
        httpx__err e;
        memset(files, 0, sizeof files);
        memset(&e, 0, sizeof e);
        files[0].field = cases[i].field;
        files[0].path = cases[i].path;
        files[0].content_type = cases[i].content_type;
        files[0].data = cases[i].data;
        files[0].size = cases[i].data ? 1 : 0;
        files[0].fp = cases[i].with_fp ? stdin : NULL;
        if (httpx__multipart_new(NULL, files, &e) != NULL) {
            test_fail(__FILE__, __LINE__, "case %zu: accepted", i);
            continue;
        }
        if (e.code != cases[i].code || !strstr(e.msg, cases[i].in_msg))
            test_fail(__FILE__, __LINE__, "case %zu: code %d, message \"%s\"", i, (int)e.code, e.msg);
    }
    {   /* a field with a value but no name */
        httpx_pair fields[] = {{"ok", "1"}, {NULL, "orphan"}, {NULL, NULL}};
        httpx__err e;
        memset(&e, 0, sizeof e);
        CHECK(httpx__multipart_new(fields, NULL, &e) == NULL);
        CHECK_INT(e.code, HTTPX_ERR_INVALID_ARGUMENT);
        CHECK(strstr(e.msg, "fields[1]") != NULL);
    }
}

TEST(multipart_boundary_and_empty_body) {
    httpx_pair fields[] = {{"a", NULL}, {NULL, NULL}};
    httpx__err e;
    httpx__multipart *m1, *m2;
    const char *b;
    size_t i;
    char want[128];
    mpt_out out;
    memset(&e, 0, sizeof e);
    m1 = httpx__multipart_new(NULL, NULL, &e);
    m2 = httpx__multipart_new(fields, NULL, &e);
    REQUIRE(m1 && m2);
    b = mpt_boundary(m1);
    CHECK(strncmp(httpx__multipart_content_type(m1), "multipart/form-data; boundary=", 30) == 0);
    CHECK_INT(strlen(b), 32);
    for (i = 0; b[i]; i++) CHECK(strchr("0123456789abcdef", b[i]) != NULL);
    CHECK(strcmp(b, mpt_boundary(m2)) != 0);
    /* no parts: just the closing delimiter */
    REQUIRE(mpt_drain(m1, 100, &out, &e));
    snprintf(want, sizeof want, "--%s--\r\n", b);
    CHECK_MEM(out.p, out.len, want, strlen(want));
    CHECK_INT(httpx__multipart_length(m1), out.len);
    CHECK_INT(httpx__multipart_read(m1, want, sizeof want, &e), 0);   /* stays at the end */
    CHECK_INT(httpx__multipart_read(m1, want, 0, &e), -1);
    free(out.p);
    /* a NULL value is an empty one */
    REQUIRE(mpt_drain(m2, 100, &out, &e));
    snprintf(want, sizeof want, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--%s--\r\n", mpt_boundary(m2),
             mpt_boundary(m2));
    CHECK_MEM(out.p, out.len, want, strlen(want));
    free(out.p);
    httpx__multipart_free(m1);
    httpx__multipart_free(m2);
}

static size_t mpt_count(const char *p, size_t n, const char *needle) {
    size_t k = strlen(needle), c = 0;
    const char *q;
    while ((q = mpt_find(p, n, needle, k)) != NULL) {
        c++;
        n -= (size_t)(q - p) + k;
        p = q + k;
    }
    return c;
}

TEST(multipart_boundary_only_at_delimiters) {
    char *data = mpt_random_bytes(100000), boundary[64];
    httpx_pair fields[] = {{"x", "--\r\n--"}, {"y", "value"}, {NULL, NULL}};
    httpx_file files[2];
    mpt_out out;
    memset(files, 0, sizeof files);
    files[0].field = "bin";
    files[0].data = data;
    files[0].size = 100000;
    files[0].filename = "dir/with \"quotes\"\r\n.bin";
    if (mpt_encode(fields, files, 1 << 16, &out, boundary, sizeof boundary)) {
        mpt_part parts[3];
        CHECK_INT(mpt_count(out.p, out.len, boundary), 4);   /* 3 parts + closing */
        CHECK(mpt_parse(out.p, out.len, boundary, parts, 3) == 3);
        CHECK_STR(parts[2].filename, "dir/with %22quotes%22%0D%0A.bin");
        free(out.p);
    }
    free(data);
}

TEST(multipart_default_filenames) {
    static const struct { const char *filename, *path, *want; } cases[] = {
        {NULL, "/etc/hostname", "hostname"},
        {"given.txt", "/etc/hostname", "given.txt"},
        {NULL, NULL, "upload"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        httpx_file files[2];
        mpt_out out;
        mpt_part parts[1];
        char boundary[64];
        if (cases[i].path && access(cases[i].path, R_OK) != 0) continue;
        memset(files, 0, sizeof files);
        files[0].field = "f";
        files[0].filename = cases[i].filename;
        files[0].path = cases[i].path;
        files[0].data = cases[i].path ? NULL : "d";
        files[0].size = cases[i].path ? 0 : 1;
        if (!mpt_encode(NULL, files, 512, &out, boundary, sizeof boundary)) continue;
        if (mpt_parse(out.p, out.len, boundary, parts, 1) != 1) test_fail(__FILE__, __LINE__, "case %zu: unparsable", i);
        else CHECK_STR(parts[0].filename, cases[i].want);
        free(out.p);
    }
}
