/* netrc: credentials from a .netrc file (the NETRC variable, else
   ~/.netrc), as HTTPX's trust_env=True and curl's --netrc-optional read
   them: `machine NAME login L password P`, `default` for any other host,
   `account` ignored, `macdef` bodies (up to a blank line) skipped, `#`
   comments, tokens in double quotes with backslash escapes. The file is
   read at each lookup (it is small, and may change). Private prefix:
   httpx__netrc_. */
#include "internal.h"
#include "engine_internal.h"

/* A .netrc bigger than this is no credentials file: it is not read. */
#define HTTPX__NETRC_MAX (1 << 20)

typedef struct httpx__netrc_in { const char *p, *end; } httpx__netrc_in;

static bool httpx__netrc_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

/* The next token into tok; false at the end. */
static bool httpx__netrc_token(httpx__netrc_in *in, httpx__buf *tok) {
    httpx__buf_clear(tok);
    for (;;) {
        while (in->p < in->end && httpx__netrc_space(*in->p)) in->p++;
        if (in->p < in->end && *in->p == '#') {      /* a comment, to the end of the line */
            while (in->p < in->end && *in->p != '\n') in->p++;
            continue;
        }
        break;
    }
    if (in->p >= in->end) return false;
    if (*in->p == '"') {
        for (in->p++; in->p < in->end && *in->p != '"'; in->p++) {
            if (*in->p == '\\' && in->p + 1 < in->end) in->p++;
            httpx__buf_putc(tok, *in->p);
        }
        if (in->p < in->end) in->p++;
    } else {
        for (; in->p < in->end && !httpx__netrc_space(*in->p); in->p++) {
            if (*in->p == '\\' && in->p + 1 < in->end) in->p++;
            httpx__buf_putc(tok, *in->p);
        }
    }
    httpx__buf_reserve(tok, 0);
    return true;
}

/* A macdef's body: the lines after its name, up to an empty line. */
static void httpx__netrc_skip_macro(httpx__netrc_in *in) {
    while (in->p < in->end && *in->p != '\n') in->p++;     /* the rest of the macdef line */
    while (in->p < in->end) {
        const char *nl;
        in->p++;                                            /* past a '\n' */
        if (in->p < in->end && (*in->p == '\n' || (*in->p == '\r' && in->p + 1 < in->end && in->p[1] == '\n'))) return;
        nl = (const char *)memchr(in->p, '\n', (size_t)(in->end - in->p));
        in->p = nl ? nl : in->end;
    }
}

HTTPX__PRIVATE bool httpx__netrc_load(httpx__buf *text) {
    const char *path = getenv("NETRC");
    httpx__buf home;
    FILE *f;
    char chunk[4096];
    size_t n;
    memset(&home, 0, sizeof home);
    if (!path || !*path) {
        const char *h = getenv("HOME");
        if (!h || !*h || !httpx__buf_printf(&home, "%s/.netrc", h)) {
            httpx__buf_free(&home);
            return false;
        }
        path = home.p;
    }
    f = fopen(path, "rb");
    httpx__buf_free(&home);
    if (!f) return false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (text->len + n > HTTPX__NETRC_MAX || !httpx__buf_append(text, chunk, n)) {
            fclose(f);
            return false;
        }
    }
    fclose(f);
    return true;
}

/* Looks host up in the text of a .netrc (exposed to the tests). */
HTTPX__PRIVATE bool httpx__netrc_find(const char *text, size_t len, const char *host, size_t host_len,
                                      httpx__buf *login, httpx__buf *password) {
    enum { HTTPX__NETRC_OUTSIDE, HTTPX__NETRC_MATCH, HTTPX__NETRC_OTHER, HTTPX__NETRC_DEFAULT };
    int state = HTTPX__NETRC_OUTSIDE;
    httpx__netrc_in in;
    httpx__buf tok, def_login, def_pass;
    bool matched = false, have_default = false, ok;
    memset(&tok, 0, sizeof tok);
    memset(&def_login, 0, sizeof def_login);
    memset(&def_pass, 0, sizeof def_pass);
    in.p = text;
    in.end = text + len;
    httpx__buf_clear(login);
    httpx__buf_clear(password);
    while (httpx__netrc_token(&in, &tok)) {
        bool is_login = !strcmp(tok.p, "login"), is_pass = !strcmp(tok.p, "password");
        if (!strcmp(tok.p, "machine") || !strcmp(tok.p, "default") || !strcmp(tok.p, "macdef")) {
            if (state == HTTPX__NETRC_MATCH) break;                     /* the machine's entry is complete */
            if (!strcmp(tok.p, "macdef")) {
                httpx__netrc_skip_macro(&in);
                state = HTTPX__NETRC_OUTSIDE;
            } else if (!strcmp(tok.p, "default")) {
                state = have_default ? HTTPX__NETRC_OTHER : HTTPX__NETRC_DEFAULT;   /* the first default counts */
                have_default = true;
            } else {
                if (!httpx__netrc_token(&in, &tok)) break;
                state = tok.len == host_len && httpx__mem_ieq(tok.p, host, host_len) ? HTTPX__NETRC_MATCH : HTTPX__NETRC_OTHER;
                matched = matched || state == HTTPX__NETRC_MATCH;
            }
        } else if (is_login || is_pass || !strcmp(tok.p, "account")) {
            httpx__buf *dst = NULL;
            if (!httpx__netrc_token(&in, &tok)) break;
            if (state == HTTPX__NETRC_MATCH) dst = is_login ? login : is_pass ? password : NULL;
            if (state == HTTPX__NETRC_DEFAULT) dst = is_login ? &def_login : is_pass ? &def_pass : NULL;
            if (dst) {
                httpx__buf_clear(dst);
                httpx__buf_append(dst, tok.p, tok.len);
            }
        }
        /* any other token is one we do not understand: skipped */
    }
    if (!matched && have_default) {
        httpx__buf_append(login, def_login.p ? def_login.p : "", def_login.len);
        httpx__buf_append(password, def_pass.p ? def_pass.p : "", def_pass.len);
    }
    httpx__buf_free(&tok);
    httpx__buf_free(&def_login);
    httpx__buf_free(&def_pass);
    httpx__buf_reserve(login, 0);
    httpx__buf_reserve(password, 0);
    ok = (matched || have_default) && !login->failed && !password->failed && (login->len || password->len);
    return ok;
}
