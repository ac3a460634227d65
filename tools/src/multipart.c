/* multipart: the multipart/form-data encoder (RFC 7578), streamed.

   The body is a list of segments read in order: for each part a head (built
   here, kept in m->heads) and a content (the caller's memory, a file we
   opened, or the caller's FILE*), then the closing delimiter. Files are read
   piece by piece as the body is sent, never whole, through stdio so that
   small reads (a nearly full socket, an HTTP/2 window) cost no system call
   each.

   Names and filenames are escaped the way browsers do (WHATWG "multipart/
   form-data encoding algorithm"): in names every line break (CR, LF, CRLF)
   becomes %0D%0A, in filenames CR becomes %0D and LF %0A, and '"' becomes %22
   in both. Text values are sent as given, as Python HTTPX does; browsers
   would turn their line breaks into CRLF, but a caller of an HTTP client
   means the bytes it passed.

   Lifetime: the caller's field values, file data and FILE*s are not copied
   and must stay valid (and open) until the body has been read or the
   multipart freed. Names, filenames and content types are copied. */
#include "internal.h"
#include "multipart_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

enum { HTTPX__MP_HEAD, HTTPX__MP_MEM, HTTPX__MP_FILE };

#define HTTPX__MP_BOUNDARY_BYTES 16   /* 128 bits, printed as 32 hex digits */
#define HTTPX__MP_BOUNDARY_TRIES 16

typedef struct httpx__mp_seg {
    int kind;
    const char *mem;        /* MEM: the caller's bytes */
    size_t off;             /* HEAD: where its bytes start in m->heads */
    long long size;         /* bytes it yields; -1: until end of file */
    long long done;         /* bytes yielded so far */
    FILE *fp;               /* FILE: from path or the caller's */
    bool own_fp;            /* we opened fp (from path): closed in _free */
    char *label;            /* FILE: names the source in error messages */
} httpx__mp_seg;

struct httpx__multipart {
    httpx__mp_seg *segs;    /* head, content, head, content, ..., closing delimiter */
    size_t nsegs, cur;
    httpx__buf heads;       /* the bytes of every HEAD segment */
    char boundary[2 * HTTPX__MP_BOUNDARY_BYTES + 1];
    char content_type[80];
    long long length;       /* -1 when a content's size is unknown */
    bool failed;            /* a read failed: the body cannot be finished */
};

static httpx_error httpx__mp_nomem(httpx__err *e) {
    return httpx__fail(e, HTTPX_ERR_NOMEM, "multipart: out of memory");
}

/* ---- counting and checking what the caller gave ---- */

static size_t httpx__mp_count_fields(const httpx_pair *fields) {
    size_t n = 0;
    while (fields && (fields[n].name || fields[n].value)) n++;
    return n;
}

static bool httpx__mp_file_is_end(const httpx_file *f) {
    return !f->field && !f->data && !f->path && !f->fp;
}

static size_t httpx__mp_count_files(const httpx_file *files) {
    size_t n = 0;
    while (files && !httpx__mp_file_is_end(&files[n])) n++;
    return n;
}

/* A content type goes on a header line of its own: a line break in it would
   let the caller's text end the part head, or fake a delimiter. */
static bool httpx__mp_ctype_ok(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
}

static httpx_error httpx__mp_check_file(const httpx_file *f, size_t i, httpx__err *e) {
    int sources = (f->data != NULL) + (f->path != NULL) + (f->fp != NULL);
    if (!f->field)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: files[%zu] has no field name", i);
    if (sources != 1)
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT,
                           "multipart: file field \"%s\" must set exactly one of data, path and fp (%d set)",
                           f->field, sources);
#if SIZE_MAX > LLONG_MAX     /* a 32-bit size_t always fits: the test would be "always false" there */
    if (f->data && f->size > (unsigned long long)LLONG_MAX)
        return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: file field \"%s\": size too large", f->field);
#endif
    if (f->content_type && !httpx__mp_ctype_ok(f->content_type))
        return httpx__fail(e, HTTPX_ERR_INVALID_HEADER,
                           "multipart: file field \"%s\": control character (CR, LF, ...) in content_type",
                           f->field);
    return HTTPX_OK;
}

/* ---- sources ---- */

static httpx_error httpx__mp_sys_fail(httpx__err *e, httpx_error code, int err, const char *what,
                                      const char *label) {
    httpx__fail(e, code, "multipart: %s %s: %s", what, label, strerror(err));
    if (e) e->sys_errno = err;
    return code;
}

static char *httpx__mp_label_path(const httpx_file *f) {
    httpx__buf b;
    memset(&b, 0, sizeof b);
    if (!httpx__buf_printf(&b, "\"%s\" (field \"%s\")", f->path, f->field)) {
        httpx__buf_free(&b);
        return NULL;
    }
    return b.p;
}

static char *httpx__mp_label_fp(const httpx_file *f) {
    httpx__buf b;
    memset(&b, 0, sizeof b);
    if (!httpx__buf_printf(&b, "the FILE* of field \"%s\"", f->field)) {
        httpx__buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* Opens now, so that a missing file fails before a byte is sent. open()
   rather than fopen(): a child the program forks must not inherit it. */
static httpx_error httpx__mp_open_path(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    struct stat st;
    int fd, flags = O_RDONLY;
#ifdef O_CLOEXEC
    flags |= O_CLOEXEC;
#endif
    s->kind = HTTPX__MP_FILE;
    s->label = httpx__mp_label_path(f);
    if (!s->label) return httpx__mp_nomem(e);
    do fd = open(f->path, flags); while (fd < 0 && errno == EINTR);
    if (fd < 0) return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, errno, "cannot open", s->label);
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, err, "cannot stat", s->label);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: %s is a directory", s->label);
    }
    s->fp = fdopen(fd, "rb");
    if (!s->fp) {
        int err = errno;
        close(fd);
        return httpx__mp_sys_fail(e, HTTPX_ERR_INVALID_ARGUMENT, err, "cannot use", s->label);
    }
    s->own_fp = true;
    /* A pipe or device has no size: it is read to its end and sent chunked. */
    s->size = S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
    return HTTPX_OK;
}

/* The size is what is left from the current position, when the stream is a
   regular file; anything else is read to its end. */
static httpx_error httpx__mp_use_fp(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    struct stat st;
    int fd = fileno(f->fp);
    s->kind = HTTPX__MP_FILE;
    s->fp = f->fp;
    s->size = -1;
    s->label = httpx__mp_label_fp(f);
    if (!s->label) return httpx__mp_nomem(e);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        long long pos = (long long)ftello(f->fp);
        if (pos >= 0) s->size = (long long)st.st_size > pos ? (long long)st.st_size - pos : 0;
    }
    return HTTPX_OK;
}

static httpx_error httpx__mp_set_content(httpx__mp_seg *s, const httpx_file *f, httpx__err *e) {
    if (f->path) return httpx__mp_open_path(s, f, e);
    if (f->fp) return httpx__mp_use_fp(s, f, e);
    s->kind = HTTPX__MP_MEM;
    s->mem = (const char *)f->data;
    s->size = (long long)f->size;
    return HTTPX_OK;
}

/* ---- the boundary ---- */

/* Without /dev/urandom (a chroot, a sandbox) the boundary only has to be
   unlikely to occur in the content, not secret: the clocks and a heap and
   a stack address, mixed, serve for that. */
static void httpx__mp_weak_random(unsigned char *out, size_t n, const void *salt, unsigned attempt) {
    uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20) ^ (uint64_t)(uintptr_t)salt, r = 0;
    size_t i;
    x ^= (uint64_t)(httpx__now() * 1e9) ^ ((uint64_t)(uintptr_t)&x << 7) ^ ((uint64_t)attempt << 48);
    for (i = 0; i < n; i++) {
        if (i % 8 == 0) r = httpx__splitmix64(&x);
        out[i] = (unsigned char)(r >> (8 * (i % 8)));
    }
}

static void httpx__mp_new_boundary(httpx__multipart *m, unsigned attempt) {
    unsigned char r[HTTPX__MP_BOUNDARY_BYTES];
    if (!httpx__random(r, sizeof r)) httpx__mp_weak_random(r, sizeof r, m, attempt);
    httpx__hex_encode(m->boundary, r, sizeof r);
    m->boundary[2 * sizeof r] = 0;
}

static bool httpx__mp_contains(const char *hay, size_t n, const char *needle, size_t k) {
    const char *p = hay, *end = hay + n;
    while ((size_t)(end - p) >= k) {
        p = (const char *)memchr(p, needle[0], (size_t)(end - p) - k + 1);
        if (!p) return false;
        if (memcmp(p, needle, k) == 0) return true;
        p++;
    }
    return false;
}

/* Only in-memory contents are checked. Files are streamed and never read
   whole, so they are not: with 128 random bits the chance that a file holds
   the boundary by accident is about n / 2^128 for n bytes, negligible.
   Heads need no check: no line break can get into a name, filename or
   content type, and a delimiter must start a line. */
static bool httpx__mp_boundary_clashes(const httpx__multipart *m) {
    size_t i, k = strlen(m->boundary);
    for (i = 0; i < m->nsegs; i++) {
        const httpx__mp_seg *s = &m->segs[i];
        if (s->kind == HTTPX__MP_MEM && httpx__mp_contains(s->mem, (size_t)s->size, m->boundary, k))
            return true;
    }
    return false;
}

static httpx_error httpx__mp_choose_boundary(httpx__multipart *m, httpx__err *e) {
    unsigned attempt;
    for (attempt = 0; attempt < HTTPX__MP_BOUNDARY_TRIES; attempt++) {
        httpx__mp_new_boundary(m, attempt);
        if (!httpx__mp_boundary_clashes(m)) {
            snprintf(m->content_type, sizeof m->content_type, "multipart/form-data; boundary=%s", m->boundary);
            return HTTPX_OK;
        }
    }
    return httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL,
                       "multipart: no boundary absent from the content after %u tries", attempt);
}

/* ---- part heads ---- */

/* Names: CR, LF and CRLF all become one CRLF, written %0D%0A. Filenames: CR
   and LF escaped one by one, without that normalisation (WHATWG). */
static bool httpx__mp_put_escaped(httpx__buf *b, const char *s, bool is_name) {
    bool ok = true;
    for (; *s && ok; s++) {
        if (is_name && (*s == '\r' || *s == '\n')) {
            if (s[0] == '\r' && s[1] == '\n') s++;
            ok = httpx__buf_puts(b, "%0D%0A");
        } else if (*s == '\r') {
            ok = httpx__buf_puts(b, "%0D");
        } else if (*s == '\n') {
            ok = httpx__buf_puts(b, "%0A");
        } else if (*s == '"') {
            ok = httpx__buf_puts(b, "%22");
        } else {
            ok = httpx__buf_putc(b, *s);
        }
    }
    return ok;
}

static const char *httpx__mp_filename(const httpx_file *f) {
    if (f->filename) return f->filename;
    if (f->path) {
        const char *slash = strrchr(f->path, '/');
        const char *base = slash ? slash + 1 : f->path;
        if (*base) return base;
    }
    return "upload";
}

/* Starts a part: the delimiter (CRLF first, but for the first part) and the
   Content-Disposition up to its name. */
static bool httpx__mp_put_opening(httpx__multipart *m, const char *name) {
    httpx__buf *b = &m->heads;
    return (b->len == 0 || httpx__buf_puts(b, "\r\n")) && httpx__buf_puts(b, "--") &&
           httpx__buf_puts(b, m->boundary) &&
           httpx__buf_puts(b, "\r\nContent-Disposition: form-data; name=\"") &&
           httpx__mp_put_escaped(b, name, true) && httpx__buf_putc(b, '"');
}

static bool httpx__mp_put_field_head(httpx__multipart *m, const char *name) {
    return httpx__mp_put_opening(m, name) && httpx__buf_puts(&m->heads, "\r\n\r\n");
}

static bool httpx__mp_put_file_head(httpx__multipart *m, const httpx_file *f) {
    const char *ctype = f->content_type && *f->content_type ? f->content_type : "application/octet-stream";
    httpx__buf *b = &m->heads;
    return httpx__mp_put_opening(m, f->field) && httpx__buf_puts(b, "; filename=\"") &&
           httpx__mp_put_escaped(b, httpx__mp_filename(f), false) &&
           httpx__buf_puts(b, "\"\r\nContent-Type: ") && httpx__buf_puts(b, ctype) &&
           httpx__buf_puts(b, "\r\n\r\n");
}

static bool httpx__mp_put_closing(httpx__multipart *m) {
    httpx__buf *b = &m->heads;
    return (b->len == 0 || httpx__buf_puts(b, "\r\n")) && httpx__buf_puts(b, "--") &&
           httpx__buf_puts(b, m->boundary) && httpx__buf_puts(b, "--\r\n");
}

/* Fills in segment i (a HEAD) as the bytes from `start` to the end of heads. */
static void httpx__mp_seal_head(httpx__multipart *m, size_t i, size_t start) {
    m->segs[i].kind = HTTPX__MP_HEAD;
    m->segs[i].off = start;
    m->segs[i].size = (long long)(m->heads.len - start);
}

static httpx_error httpx__mp_build_heads(httpx__multipart *m, const httpx_pair *fields, size_t nfields,
                                         const httpx_file *files, httpx__err *e) {
    size_t i, start;
    for (i = 0; i + 1 < m->nsegs; i += 2) {
        size_t part = i / 2;
        bool ok;
        start = m->heads.len;
        if (part < nfields) ok = httpx__mp_put_field_head(m, fields[part].name);
        else ok = httpx__mp_put_file_head(m, &files[part - nfields]);
        if (!ok) return httpx__mp_nomem(e);
        httpx__mp_seal_head(m, i, start);
    }
    start = m->heads.len;
    if (!httpx__mp_put_closing(m)) return httpx__mp_nomem(e);
    httpx__mp_seal_head(m, m->nsegs - 1, start);
    return HTTPX_OK;
}

static httpx_error httpx__mp_sum_length(httpx__multipart *m, httpx__err *e) {
    size_t i;
    m->length = 0;
    for (i = 0; i < m->nsegs; i++) {
        long long n = m->segs[i].size;
        if (n < 0) {
            m->length = -1;
            return HTTPX_OK;
        }
        if (n > LLONG_MAX - m->length)
            return httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: the body would be over %lld bytes", LLONG_MAX);
        m->length += n;
    }
    return HTTPX_OK;
}

/* ---- construction ---- */

static httpx_error httpx__mp_add_contents(httpx__multipart *m, const httpx_pair *fields, size_t nfields,
                                          const httpx_file *files, size_t nfiles, httpx__err *e) {
    size_t i;
    for (i = 0; i < nfields; i++) {
        httpx__mp_seg *s = &m->segs[2 * i + 1];
        const char *v = fields[i].value ? fields[i].value : "";
        if (!fields[i].name)
            return httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: fields[%zu] has a value but no name", i);
        s->kind = HTTPX__MP_MEM;
        s->mem = v;
        s->size = (long long)strlen(v);
    }
    for (i = 0; i < nfiles; i++) {
        httpx_error err = httpx__mp_check_file(&files[i], i, e);
        if (!err) err = httpx__mp_set_content(&m->segs[2 * (nfields + i) + 1], &files[i], e);
        if (err) return err;
    }
    return HTTPX_OK;
}

static httpx__multipart *httpx__mp_alloc(size_t nparts, httpx__err *e) {
    httpx__multipart *m;
    if (nparts > ((size_t)-1 / sizeof(httpx__mp_seg) - 1) / 2) {
        httpx__fail(e, HTTPX_ERR_TOO_LARGE, "multipart: too many parts (%zu)", nparts);
        return NULL;
    }
    m = (httpx__multipart *)httpx__malloc(sizeof *m);
    if (!m) {
        httpx__mp_nomem(e);
        return NULL;
    }
    memset(m, 0, sizeof *m);
    m->nsegs = 2 * nparts + 1;
    m->segs = (httpx__mp_seg *)httpx__malloc(m->nsegs * sizeof(httpx__mp_seg));
    if (!m->segs) {
        httpx__free(m);
        httpx__mp_nomem(e);
        return NULL;
    }
    memset(m->segs, 0, m->nsegs * sizeof(httpx__mp_seg));
    return m;
}

HTTPX__PRIVATE httpx__multipart *httpx__multipart_new(const httpx_pair *fields, const httpx_file *files,
                                                      httpx__err *e) {
    size_t nfields = httpx__mp_count_fields(fields), nfiles = httpx__mp_count_files(files);
    httpx__multipart *m = httpx__mp_alloc(nfields + nfiles, e);
    if (!m) return NULL;
    if (httpx__mp_add_contents(m, fields, nfields, files, nfiles, e) || httpx__mp_choose_boundary(m, e) ||
        httpx__mp_build_heads(m, fields, nfields, files, e) || httpx__mp_sum_length(m, e)) {
        httpx__multipart_free(m);
        return NULL;
    }
    return m;
}

HTTPX__PRIVATE const char *httpx__multipart_content_type(const httpx__multipart *m) {
    return m->content_type;
}

HTTPX__PRIVATE long long httpx__multipart_length(const httpx__multipart *m) {
    return m->length;
}

HTTPX__PRIVATE void httpx__multipart_free(httpx__multipart *m) {
    size_t i;
    if (!m) return;
    for (i = 0; i < m->nsegs; i++) {
        if (m->segs[i].own_fp) fclose(m->segs[i].fp);
        httpx__free(m->segs[i].label);
    }
    httpx__free(m->segs);
    httpx__buf_free(&m->heads);
    httpx__free(m);
}

/* ---- reading ---- */

static long httpx__mp_read_file(httpx__mp_seg *s, char *out, size_t n, httpx__err *e) {
    size_t r = fread(out, 1, n, s->fp);
    if (r < n && ferror(s->fp)) {
        httpx__mp_sys_fail(e, HTTPX_ERR_LOCAL_PROTOCOL, errno, "cannot read", s->label);
        return -1;
    }
    return (long)r;
}

/* Up to cap bytes of one segment; 0 when it is finished. A file of known
   size yields exactly that many bytes: more would break the Content-Length
   already announced, fewer is an error rather than a short body. */
static long httpx__mp_seg_read(httpx__multipart *m, httpx__mp_seg *s, char *out, size_t cap, httpx__err *e) {
    long n;
    if (s->size >= 0) {
        long long left = s->size - s->done;
        if (left <= 0) return 0;
        if ((unsigned long long)left < (unsigned long long)cap) cap = (size_t)left;
    }
    if (s->kind == HTTPX__MP_HEAD || s->kind == HTTPX__MP_MEM) {
        const char *from = s->kind == HTTPX__MP_HEAD ? m->heads.p + s->off : s->mem;
        memcpy(out, from + s->done, cap);
        n = (long)cap;
    } else {
        n = httpx__mp_read_file(s, out, cap, e);
        if (n == 0 && s->size >= 0) {
            httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL,
                        "multipart: %s ended after %lld of its %lld bytes (did it shrink?)", s->label, s->done,
                        s->size);
            return -1;
        }
    }
    if (n > 0) s->done += n;
    return n;
}

HTTPX__PRIVATE long httpx__multipart_read(httpx__multipart *m, void *buf, size_t cap, httpx__err *e) {
    char *out = (char *)buf;
    size_t got = 0;
    if (m->failed) {
        httpx__fail(e, HTTPX_ERR_LOCAL_PROTOCOL, "multipart: read after an earlier read failed");
        return -1;
    }
    if (cap == 0) {
        httpx__fail(e, HTTPX_ERR_INVALID_ARGUMENT, "multipart: read with a buffer of 0 bytes");
        return -1;
    }
    if (cap > (size_t)LONG_MAX) cap = (size_t)LONG_MAX;
    while (got < cap && m->cur < m->nsegs) {
        long n = httpx__mp_seg_read(m, &m->segs[m->cur], out + got, cap - got, e);
        if (n < 0) {
            m->failed = true;
            return -1;
        }
        if (n == 0) m->cur++;
        got += (size_t)n;
    }
    return (long)got;
}
