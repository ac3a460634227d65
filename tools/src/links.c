/* links: r.links, the Link header fields (RFC 8288 section 3) parsed once,
   on first use, and kept with the response. Every Link field counts, each
   may hold several links; a link is "<URL>" and parameters "; name=value"
   (token or quoted string, backslash escapes undone). The URL stays as
   written, as HTTPX's response.links keeps it. A link that does not start
   with '<' is skipped up to the next comma outside quotes: a server's bad
   link never hides the good ones. Private prefix: httpx__lk_. */
#include "internal.h"
#include "headers_internal.h"
#include "engine_internal.h"

/* Offsets into the text while it grows; pointers once it is complete. */
typedef struct httpx__lk_rec { size_t url, first, count; } httpx__lk_rec;
typedef struct httpx__lk_param { size_t name, value; } httpx__lk_param;

struct httpx__links {
    httpx_link *items;
    httpx_pair *pairs;              /* each link's params, {0}-terminated, one after another */
    size_t n;
    httpx__buf text;                /* every string, NUL-terminated */
    bool failed;                    /* out of memory: no links */
};

typedef struct httpx__lk_parse {
    httpx__buf text, recs, params;  /* recs and params: arrays of the structs above */
    bool ok;
} httpx__lk_parse;

static httpx__response *httpx__lk_of(const httpx_response *r) { return (httpx__response *)(void *)(uintptr_t)r; }

static bool httpx__lk_ows(char c) { return c == ' ' || c == '\t'; }

/* Appends s[0..n) (lowered when asked) and a NUL; returns its offset. */
static size_t httpx__lk_put(httpx__lk_parse *p, const char *s, size_t n, bool lower) {
    size_t at = p->text.len, i;
    for (i = 0; i < n; i++) {
        char c = lower ? (char)httpx__lower((unsigned char)s[i]) : s[i];
        p->ok = p->ok && httpx__buf_putc(&p->text, c);
    }
    p->ok = p->ok && httpx__buf_putc(&p->text, 0);
    return at;
}

/* A parameter's value at s[*i..n): a quoted string (escapes undone) or a
   token up to ';', ',' or white space. */
static size_t httpx__lk_value(httpx__lk_parse *p, const char *s, size_t n, size_t *i) {
    size_t at = p->text.len, j = *i;
    if (j < n && s[j] == '"') {
        for (j++; j < n && s[j] != '"'; j++) {
            if (s[j] == '\\' && j + 1 < n) j++;
            p->ok = p->ok && httpx__buf_putc(&p->text, s[j]);
        }
        if (j < n) j++;                 /* the closing quote */
    } else {
        for (; j < n && s[j] != ';' && s[j] != ',' && !httpx__lk_ows(s[j]); j++)
            p->ok = p->ok && httpx__buf_putc(&p->text, s[j]);
    }
    p->ok = p->ok && httpx__buf_putc(&p->text, 0);
    *i = j;
    return at;
}

/* Past the rest of a link: to the comma that ends it, outside quotes. */
static size_t httpx__lk_skip(const char *s, size_t n, size_t i) {
    bool quoted = false;
    for (; i < n; i++) {
        if (quoted && s[i] == '\\') i++;
        else if (s[i] == '"') quoted = !quoted;
        else if (!quoted && s[i] == ',') break;
    }
    return i;
}

/* The parameters after a link's URL, from s[*i]. */
static void httpx__lk_params(httpx__lk_parse *p, httpx__lk_rec *rec, const char *s, size_t n, size_t *i) {
    size_t j = *i;
    for (;;) {
        httpx__lk_param prm;
        size_t start;
        while (j < n && httpx__lk_ows(s[j])) j++;
        if (j >= n || s[j] != ';') break;
        j++;
        while (j < n && httpx__lk_ows(s[j])) j++;
        start = j;
        while (j < n && s[j] != '=' && s[j] != ';' && s[j] != ',' && !httpx__lk_ows(s[j])) j++;
        if (j == start) continue;       /* "; ;" */
        prm.name = httpx__lk_put(p, s + start, j - start, true);
        while (j < n && httpx__lk_ows(s[j])) j++;
        if (j < n && s[j] == '=') {
            j++;
            while (j < n && httpx__lk_ows(s[j])) j++;
            prm.value = httpx__lk_value(p, s, n, &j);
        } else {
            prm.value = httpx__lk_put(p, "", 0, false);
        }
        p->ok = p->ok && httpx__buf_append(&p->params, &prm, sizeof prm);
        rec->count++;
    }
    *i = j;
}

/* One Link field's links. */
static void httpx__lk_field(httpx__lk_parse *p, const char *s) {
    size_t n = strlen(s), i = 0;
    while (i < n && p->ok) {
        httpx__lk_rec rec;
        const char *end;
        while (i < n && (httpx__lk_ows(s[i]) || s[i] == ',')) i++;
        if (i >= n) break;
        end = s[i] == '<' ? (const char *)memchr(s + i, '>', n - i) : NULL;
        if (!end) {                     /* not a link: on to the next one */
            i = httpx__lk_skip(s, n, i);
            continue;
        }
        rec.url = httpx__lk_put(p, s + i + 1, (size_t)(end - s) - i - 1, false);
        rec.first = p->params.len / sizeof(httpx__lk_param);
        rec.count = 0;
        i = (size_t)(end - s) + 1;
        httpx__lk_params(p, &rec, s, n, &i);
        p->ok = p->ok && httpx__buf_append(&p->recs, &rec, sizeof rec);
        i = httpx__lk_skip(s, n, i);
    }
}

static void httpx__lk_free(httpx__response *r) {
    if (!r->links) return;
    httpx__free(r->links->items);
    httpx__free(r->links->pairs);
    httpx__buf_free(&r->links->text);
    httpx__free(r->links);
    r->links = NULL;
}

/* Offsets become pointers, now that the text stops moving. */
static bool httpx__lk_finish(struct httpx__links *l, httpx__lk_parse *p) {
    const httpx__lk_rec *recs = (const httpx__lk_rec *)(void *)p->recs.p;
    const httpx__lk_param *prm = (const httpx__lk_param *)(void *)p->params.p;
    size_t nparams = p->params.len / sizeof *prm, i, k, at = 0;
    l->n = p->recs.len / sizeof *recs;
    l->text = p->text;
    memset(&p->text, 0, sizeof p->text);
    if (!l->n) return true;
    l->items = (httpx_link *)httpx__malloc(l->n * sizeof *l->items);
    l->pairs = (httpx_pair *)httpx__malloc((nparams + l->n) * sizeof *l->pairs);
    if (!l->items || !l->pairs) return false;
    for (i = 0; i < l->n; i++) {
        httpx_link *it = &l->items[i];
        it->url = l->text.p + recs[i].url;
        it->rel = NULL;
        it->params = l->pairs + at;
        for (k = 0; k < recs[i].count; k++, at++) {
            l->pairs[at].name = l->text.p + prm[recs[i].first + k].name;
            l->pairs[at].value = l->text.p + prm[recs[i].first + k].value;
            if (!it->rel && !strcmp(l->pairs[at].name, "rel")) it->rel = l->pairs[at].value;
        }
        l->pairs[at].name = l->pairs[at].value = NULL;
        at++;
    }
    return true;
}

static struct httpx__links *httpx__lk_get(const httpx_response *pub) {
    httpx__response *r = httpx__lk_of(pub);
    struct httpx__links *l;
    httpx__lk_parse p;
    const char *v;
    size_t i;
    if (!r) return NULL;
    if (r->links) return r->links->failed ? NULL : r->links;
    l = (struct httpx__links *)httpx__malloc(sizeof *l);
    if (!l) return NULL;
    memset(l, 0, sizeof *l);
    r->links = l;
    r->free_links = httpx__lk_free;
    memset(&p, 0, sizeof p);
    p.ok = true;
    for (i = 0; p.ok && (v = httpx_headers_get_nth(&r->headers, "link", i)) != NULL; i++) httpx__lk_field(&p, v);
    l->failed = !p.ok || !httpx__lk_finish(l, &p);
    httpx__buf_free(&p.text);
    httpx__buf_free(&p.recs);
    httpx__buf_free(&p.params);
    return l->failed ? NULL : l;
}

HTTPX_API size_t httpx_response_links_len(const httpx_response *r) {
    struct httpx__links *l = httpx__lk_get(r);
    return l ? l->n : 0;
}

HTTPX_API bool httpx_response_link(const httpx_response *r, size_t i, httpx_link *out) {
    struct httpx__links *l = httpx__lk_get(r);
    if (!l || i >= l->n) return false;
    if (out) *out = l->items[i];
    return true;
}

/* Whether the space-separated list rels holds rel (case-insensitive). */
static bool httpx__lk_rel_has(const char *rels, const char *rel) {
    size_t n = strlen(rel);
    while (*rels) {
        size_t k = 0;
        while (*rels == ' ' || *rels == '\t') rels++;
        while (rels[k] && rels[k] != ' ' && rels[k] != '\t') k++;
        if (k && k == n && httpx__mem_ieq(rels, rel, n)) return true;
        rels += k;
    }
    return false;
}

HTTPX_API const char *httpx_response_link_url(const httpx_response *r, const char *rel) {
    struct httpx__links *l = httpx__lk_get(r);
    size_t i;
    if (!l || !rel) return NULL;
    for (i = 0; i < l->n; i++)
        if (l->items[i].rel && httpx__lk_rel_has(l->items[i].rel, rel)) return l->items[i].url;
    return NULL;
}

HTTPX_API const char *httpx_link_param(const httpx_link *l, const char *name) {
    const httpx_pair *p;
    size_t n;
    if (!l || !name) return NULL;
    n = strlen(name);
    for (p = l->params; p && p->name; p++)
        if (strlen(p->name) == n && httpx__mem_ieq(p->name, name, n)) return p->value;
    return NULL;
}
