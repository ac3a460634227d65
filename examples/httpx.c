/* httpx: the command-line client, modelled on the `httpx` command of Python's
   HTTPX. Run it with no arguments (or -h) for its usage.

       ./httpx http://127.0.0.1:8080/anything -m POST -j '{"name": "ada"}'

   It is also the largest example: one client, request options built from the
   command line, a buffered request, a streamed download, the JSON reader and
   the error families. */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Exit codes: scripts tell failures apart by family, as with curl. */
enum {
    EXIT_OK = 0,        /* a response with a status below 400 */
    EXIT_STATUS = 1,    /* a response with a status of 400 or more */
    EXIT_USAGE = 2,     /* the command line (or the URL, or a file to upload) is wrong */
    EXIT_NETWORK = 3,   /* could not connect (refused, no such host) or the connection broke */
    EXIT_TIMEOUT = 4,   /* connect, read, write or pool timeout */
    EXIT_TLS = 5,       /* TLS handshake or certificate failure */
    EXIT_PROTOCOL = 6,  /* the server broke HTTP, a limit was exceeded, too many redirects */
    EXIT_OTHER = 7      /* anything else: out of memory, a download file that cannot be written */
};

static const char usage_text[] =
    "usage: httpx URL [options]\n"
    "\n"
    "Options mean what they mean in HTTPX's command (python -m httpx); curl's\n"
    "spelling, where it does not clash, is an alias (second column).\n"
    "\n"
    "  -m, --method METHOD        -X, --request     request method (default: GET, or POST\n"
    "                                               when a body is given)\n"
    "  -p, --params NAME VALUE                      query parameter (repeatable)\n"
    "  -h, --headers NAME VALUE   -H 'Name: value'  request header (repeatable)\n"
    "  -c, --content TEXT         --data-raw TEXT   the request body, as it is\n"
    "  -d, --data NAME VALUE                        form field; urlencoded, or multipart with -f\n"
    "  -f, --files NAME PATH      -F name=@PATH     file to upload as multipart/form-data\n"
    "                             -F name=VALUE     (-F with a value: a form field)\n"
    "  -j, --json JSON            --json JSON       JSON body, sent as application/json\n"
    "      --cookies NAME VALUE   -b 'n=v; n2=v2'   request cookie (repeatable)\n"
    "      --cookie-jar FILE      -b FILE (read)    cookies from FILE (curl's format) are sent,\n"
    "                                               and Set-Cookie saved back into it\n"
    "      --auth USER PASS       -u USER:PASS      HTTP basic authentication\n"
    "      --digest               --digest          with --auth: digest authentication instead\n"
    "      --proxies URL          -x, --proxy URL   proxy: http://[user:pass@]host:port, https://,\n"
    "                                               socks5://, socks5h://; without it, HTTP_PROXY,\n"
    "                                               HTTPS_PROXY, ALL_PROXY and NO_PROXY apply\n"
    "      --timeout SECONDS                        connect, read, write and pool timeout\n"
    "                                               (default 5; 0: none)\n"
    "      --follow-redirects     -L, --location    follow redirects, printing every hop's\n"
    "                                               response head (with -v, every request too)\n"
    "      --verify / --no-verify -k, --insecure    verify the server's certificate (the\n"
    "                                               default) or not (unsafe)\n"
    "      --http2                --http2           offer HTTP/2 over https (ALPN)\n"
    "      --uds PATH             --unix-socket     connect to this Unix domain socket instead of\n"
    "                                               the URL's host and port\n"
    "      --download FILE        -o, --output FILE save the body to FILE, a progress bar on stderr\n"
    "  -v, --verbose              -v                each request and response head as sent and received\n"
    "      --help                                   this text (also -h alone)\n"
    "\n"
    "Output: the status line and headers, then the body (JSON pretty-printed;\n"
    "coloured on a terminal unless NO_COLOR is set; FORCE_COLOR forces colour).\n"
    "Certificates: the system store, or the PEM file in SSL_CERT_FILE.\n"
    "\n"
    "Exit codes: 0 success, 1 HTTP status >= 400, 2 usage, 3 network (connect,\n"
    "DNS, connection broken, the proxy refused), 4 timeout, 5 TLS, 6 protocol (bad\n"
    "HTTP, too large, too many redirects), 7 other (out of memory, download file not writable).\n";

typedef struct cli {
    const char *url, *method, *json, *content, *download, *user, *pass, *uds, *cookie_jar, *proxy;
    const char *cookie_file;    /* -b FILE: read, not saved */
    httpx_pair *params, *headers, *data;
    httpx_file *files;
    size_t nparams, nheaders, ndata, nfiles;
    char *cookie;               /* "a=1; b=2", or NULL */
    double timeout;             /* < 0: not given */
    bool follow, no_verify, http2, verbose, digest;
} cli;

/* ---- command line ---- */

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "httpx: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: httpx URL [options]   (httpx --help lists them)\n");
    return EXIT_USAGE;
}

static bool is_opt(const char *a, const char *shrt, const char *lng) {
    return (shrt && strcmp(a, shrt) == 0) || (lng && strcmp(a, lng) == 0);
}

static void add_pair(httpx_pair *arr, size_t *n, const char *name, const char *value) {
    arr[*n].name = name;
    arr[*n].value = value;
    (*n)++;                             /* arrays are sized for argc pairs plus the {0} end */
}

/* The Cookie header of -c pairs, as HTTPX's CLI sends request cookies. */
static int add_cookie(cli *o, const char *name, const char *value) {
    size_t old = o->cookie ? strlen(o->cookie) : 0;
    char *s = (char *)realloc(o->cookie, old + strlen(name) + strlen(value) + 4);
    if (!s) return -1;
    sprintf(s + old, "%s%s=%s", old ? "; " : "", name, value);
    o->cookie = s;
    return 0;
}

/* curl's -H 'Name: value': the name before the colon, the value after it
   without its leading blanks. Written into the argument (argv is ours). */
static int split_header(cli *o, char *a) {
    char *colon = strchr(a, ':'), *v;
    if (!colon || colon == a) return usage_error("-H wants 'Name: value' (or NAME VALUE), not \"%s\"", a);
    *colon = 0;
    for (v = colon + 1; *v == ' ' || *v == '\t'; v++) {}
    add_pair(o->headers, &o->nheaders, a, v);
    return -1;
}

/* curl's -F name=@path (a file) or name=value (a field). */
static int split_form(cli *o, char *a) {
    char *eq = strchr(a, '=');
    if (!eq || eq == a) return usage_error("-F wants name=@PATH or name=VALUE, not \"%s\"", a);
    *eq = 0;
    if (eq[1] == '@') {
        FILE *f = fopen(eq + 2, "rb");
        if (!f) return usage_error("-F: cannot read \"%s\"", eq + 2);
        fclose(f);
        o->files[o->nfiles].field = a;
        o->files[o->nfiles++].path = eq + 2;
    } else {
        add_pair(o->data, &o->ndata, a, eq + 1);
    }
    return -1;
}

/* curl's -b: "n=v; n2=v2" is sent as it is; anything else names a cookie
   file to read (not written back: --cookie-jar does both). */
static int add_cookie_arg(cli *o, const char *a) {
    size_t old;
    char *s;
    if (!strchr(a, '=')) {
        o->cookie_file = a;
        return -1;
    }
    old = o->cookie ? strlen(o->cookie) : 0;
    s = (char *)realloc(o->cookie, old + strlen(a) + 3);
    if (!s) return EXIT_OTHER;
    sprintf(s + old, "%s%s", old ? "; " : "", a);
    o->cookie = s;
    return -1;
}

/* Options with one value. */
static bool takes_one(const char *a) {
    static const char *const names[] = {"-m", "--method", "-X", "--request", "-j", "--json", "-c", "--content",
                                        "--data-raw", "--download", "-o", "--output", "--timeout", "--proxies",
                                        "--proxy", "-x", "--uds", "--unix-socket", "--cookie-jar", "-b", "--cookie",
                                        "-u", "--user", "-F", "--form", NULL};
    size_t i;
    for (i = 0; names[i]; i++)
        if (!strcmp(a, names[i])) return true;
    return false;
}

static int one_value(cli *o, const char *a, char *v) {
    char *end;
    if (is_opt(a, "-m", "--method") || is_opt(a, "-X", "--request")) o->method = v;
    else if (is_opt(a, "-j", "--json")) o->json = v;
    else if (is_opt(a, "-c", "--content") || is_opt(a, NULL, "--data-raw")) o->content = v;
    else if (is_opt(a, NULL, "--download") || is_opt(a, "-o", "--output")) o->download = v;
    else if (is_opt(a, NULL, "--uds") || is_opt(a, NULL, "--unix-socket")) o->uds = v;
    else if (is_opt(a, NULL, "--cookie-jar")) o->cookie_jar = v;
    else if (is_opt(a, "-b", "--cookie")) return add_cookie_arg(o, v);
    else if (is_opt(a, "-F", "--form")) return split_form(o, v);
    else if (is_opt(a, "-u", "--user")) {
        char *colon = strchr(v, ':');
        if (!colon) return usage_error("-u wants USER:PASSWORD, not \"%s\"", v);
        *colon = 0;
        o->user = v;
        o->pass = colon + 1;
    } else if (is_opt(a, NULL, "--proxies") || is_opt(a, "-x", "--proxy")) {
        o->proxy = v;
    } else {
        errno = 0;
        o->timeout = strtod(v, &end);
        if (end == v || *end || errno || !(o->timeout >= 0))
            return usage_error("--timeout wants a number of seconds >= 0, not \"%s\"", v);
    }
    return -1;
}

/* Fills o from argv; returns -1 when all is well, else the exit code. */
static int parse_args(cli *o, int argc, char **argv) {
    int i, bodies;
    size_t cap = (size_t)argc + 2;
    o->params = (httpx_pair *)calloc(cap, sizeof *o->params);
    o->headers = (httpx_pair *)calloc(cap, sizeof *o->headers);
    o->data = (httpx_pair *)calloc(cap, sizeof *o->data);
    o->files = (httpx_file *)calloc(cap, sizeof *o->files);
    o->timeout = -1;
    if (!o->params || !o->headers || !o->data || !o->files) return EXIT_OTHER;
    /* -h is HTTPX's --headers; alone it still asks for help */
    if (argc == 2 && !strcmp(argv[1], "-h")) { fputs(usage_text, stdout); return EXIT_OK; }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int left = argc - i - 1;        /* arguments after this one */
        int code = -1;
        if (is_opt(a, NULL, "--help")) { fputs(usage_text, stdout); return EXIT_OK; }
        else if (is_opt(a, "-v", "--verbose")) o->verbose = true;
        else if (is_opt(a, NULL, "--follow-redirects") || is_opt(a, "-L", "--location")) o->follow = true;
        else if (is_opt(a, NULL, "--no-verify") || is_opt(a, "-k", "--insecure")) o->no_verify = true;
        else if (is_opt(a, NULL, "--verify")) o->no_verify = false;
        else if (is_opt(a, NULL, "--http2")) o->http2 = true;
        else if (is_opt(a, NULL, "--digest")) o->digest = true;
        else if (!strcmp(a, "-H") && left >= 1 && strchr(argv[i + 1], ':')) code = split_header(o, argv[++i]);
        else if (takes_one(a)) {
            if (left < 1) return usage_error("%s needs a value", a);
            code = one_value(o, a, argv[++i]);
        } else if (is_opt(a, "-p", "--params") || is_opt(a, "-h", "--headers") || is_opt(a, "-H", NULL) ||
                   is_opt(a, NULL, "--cookies") || is_opt(a, "-d", "--data") || is_opt(a, "-f", "--files") ||
                   is_opt(a, NULL, "--auth")) {
            const char *n = argv[i + 1], *v = argv[i + 2];
            if (left < 2) return usage_error("%s needs two values", a);
            i += 2;
            if (is_opt(a, "-p", "--params")) add_pair(o->params, &o->nparams, n, v);
            else if (is_opt(a, "-h", "--headers") || is_opt(a, "-H", NULL)) add_pair(o->headers, &o->nheaders, n, v);
            else if (is_opt(a, "-d", "--data")) add_pair(o->data, &o->ndata, n, v);
            else if (is_opt(a, NULL, "--auth")) { o->user = n; o->pass = v; }
            else if (is_opt(a, NULL, "--cookies")) { if (add_cookie(o, n, v)) return EXIT_OTHER; }
            else {
                FILE *f = fopen(v, "rb");     /* a missing file is a usage error, found before sending */
                if (!f) return usage_error("-f: cannot read \"%s\"", v);
                fclose(f);
                o->files[o->nfiles].field = n;
                o->files[o->nfiles++].path = v;
            }
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option %s", a);
        } else if (o->url) {
            return usage_error("one URL only (got another: %s)", a);
        } else {
            o->url = a;
        }
        if (code >= 0) return code;
    }
    if (!o->url) return usage_error("%s", "which URL?");
    if (o->digest && !o->user) return usage_error("%s", "--digest goes with --auth USER PASS");
    bodies = (o->json != NULL) + (o->content != NULL) + (o->ndata || o->nfiles);
    if (bodies > 1) return usage_error("%s", "-j, -c and -d/-f do not go together: a request has one body");
    if (o->json) {                      /* refuse bad JSON here rather than send it */
        httpx_json_error err;
        httpx_json_value *v = httpx_json_parse(o->json, strlen(o->json), &err);
        if (!v) return usage_error("-j is not JSON: %s", err.message);
        httpx_json_free(v);
    }
    if (!o->method) o->method = bodies ? "POST" : "GET";
    return -1;
}

/* ---- exit codes and errors ---- */

static int exit_code_of(httpx_error e) {
    if (httpx_is_timeout(e)) return EXIT_TIMEOUT;
    if (httpx_is_network_error(e) || e == HTTPX_ERR_PROXY) return EXIT_NETWORK;
    switch (e) {
    case HTTPX_ERR_TLS: return EXIT_TLS;
    case HTTPX_ERR_LOCAL_PROTOCOL: case HTTPX_ERR_REMOTE_PROTOCOL: case HTTPX_ERR_TOO_LARGE:
    case HTTPX_ERR_TOO_MANY_REDIRECTS: case HTTPX_ERR_DECODING: return EXIT_PROTOCOL;
    case HTTPX_ERR_INVALID_URL: case HTTPX_ERR_INVALID_HEADER: case HTTPX_ERR_INVALID_ARGUMENT:
    case HTTPX_ERR_UNSUPPORTED_PROTOCOL: return EXIT_USAGE;
    default: return EXIT_OTHER;
    }
}

/* ---- colours (ANSI), used only when c->color ---- */

static bool color;
#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_KEY    "\033[1;34m"   /* JSON keys, header names */
#define C_STR    "\033[32m"
#define C_NUM    "\033[36m"
#define C_LIT    "\033[35m"     /* true, false, null */
#define C_DIM    "\033[2m"

static void paint(const char *code, const char *text) {
    if (color) printf("%s%s%s", code, text, C_RESET);
    else fputs(text, stdout);
}

/* ---- printing a response ---- */

static const char *status_color(int status) {
    return status >= 400 ? "\033[1;31m" : status >= 300 ? "\033[1;33m" : "\033[1;32m";
}

static void print_head(httpx_response *r) {
    const httpx_headers *h = httpx_response_headers(r);
    const char *name, *value;
    char code[16];
    size_t i;
    snprintf(code, sizeof code, "%d", r->status_code);
    paint(C_DIM, r->http_version);
    putchar(' ');
    paint(status_color(r->status_code), code);
    printf(" %s\n", r->reason_phrase);
    for (i = 0; h && httpx_headers_at(h, i, &name, &value); i++) {
        paint(C_KEY, name);
        printf(": %s\n", value);
    }
    putchar('\n');
}

/* A JSON string, escaped as JSON again; UTF-8 stays as it is (readable). */
static void print_json_string(const char *s, size_t n, const char *c) {
    size_t i;
    if (color) fputs(c, stdout);
    putchar('"');
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') printf("\\%c", ch);
        else if (ch == '\n') fputs("\\n", stdout);
        else if (ch == '\t') fputs("\\t", stdout);
        else if (ch == '\r') fputs("\\r", stdout);
        else if (ch < 0x20 || ch == 0x7f) printf("\\u%04x", ch);
        else putchar(ch);
    }
    putchar('"');
    if (color) fputs(C_RESET, stdout);
}

/* The shortest %g form that reads back as x, so 0.1 prints as 0.1. */
static void print_json_number(const httpx_json_value *v) {
    char buf[40];
    bool exact;
    int64_t i = httpx_json_int(v, &exact);
    double x = httpx_json_number(v);
    int prec;
    if (exact) snprintf(buf, sizeof buf, "%lld", (long long)i);
    else
        for (prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, x);
            if (strtod(buf, NULL) == x) break;
        }
    paint(C_NUM, buf);
}

static void indent(int depth) {
    int i;
    for (i = 0; i < depth * 4; i++) putchar(' ');   /* 4 spaces, as HTTPX's CLI */
}

static void print_json(const httpx_json_value *v, int depth) {
    size_t i, n = httpx_json_len(v);
    const char *name = "";
    switch (httpx_json_type(v)) {
    case HTTPX_JSON_NULL: paint(C_LIT, "null"); break;
    case HTTPX_JSON_BOOL: paint(C_LIT, httpx_json_bool(v) ? "true" : "false"); break;
    case HTTPX_JSON_NUMBER: print_json_number(v); break;
    case HTTPX_JSON_STRING: print_json_string(httpx_json_string(v), httpx_json_string_len(v), C_STR); break;
    case HTTPX_JSON_ARRAY:
    case HTTPX_JSON_OBJECT: {
        bool obj = httpx_json_type(v) == HTTPX_JSON_OBJECT;
        if (n == 0) { fputs(obj ? "{}" : "[]", stdout); break; }
        puts(obj ? "{" : "[");
        for (i = 0; i < n; i++) {
            const httpx_json_value *m = obj ? httpx_json_member(v, i, &name) : httpx_json_at(v, i);
            indent(depth + 1);
            if (obj) {
                print_json_string(name, httpx_json_key_len(m), C_KEY);
                fputs(": ", stdout);
            }
            print_json(m, depth + 1);
            puts(i + 1 < n ? "," : "");
        }
        indent(depth);
        putchar(obj ? '}' : ']');
        break;
    }
    default: break;
    }
}

static bool has_prefix_ci(const char *s, const char *prefix) {
    size_t i;
    for (i = 0; prefix[i]; i++) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b) return false;
    }
    return true;
}

static bool is_json_type(const char *ct) {
    const char *semi;
    size_t n;
    if (!ct) return false;
    semi = strchr(ct, ';');
    n = semi ? (size_t)(semi - ct) : strlen(ct);
    while (n && ct[n - 1] == ' ') n--;
    return (n == 16 && has_prefix_ci(ct, "application/json")) || (n > 5 && has_prefix_ci(ct + n - 5, "+json"));
}

/* Binary as HTTPX's CLI judges it for display: not text by its type and
   holding control bytes that no text has. */
static bool looks_binary(const httpx_response *r) {
    const char *ct = httpx_header(r, "content-type");
    size_t i;
    if (ct && has_prefix_ci(ct, "text/")) return false;
    for (i = 0; i < r->content_length; i++) {
        unsigned char ch = (unsigned char)r->content[i];
        if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t' && ch != '\f') return true;
    }
    return false;
}

static void print_body(httpx_response *r) {
    const httpx_json_value *doc;
    const char *text;
    size_t n;
    if (r->content_length == 0) return;
    if (is_json_type(httpx_header(r, "content-type")) && (doc = httpx_json(r)) != NULL) {
        print_json(doc, 0);
        putchar('\n');
        return;
    }
    if (looks_binary(r)) {
        printf("<%zu bytes of binary data>\n", r->content_length);
        return;
    }
    text = httpx_text(r);               /* decoded by its charset, as r.text */
    n = text ? httpx_text_len(r) : r->content_length;
    fwrite(text ? text : r->content, 1, n, stdout);
    if (n && (text ? text : r->content)[n - 1] != '\n') putchar('\n');
}

/* ---- -v: every hop as the library sent and received it (on_debug) ---- */

/* A response head is held until the next hop starts: the last one is the
   final response, which print_head shows with its body. */
typedef struct verbose {
    char *held;
    size_t held_len;
} verbose;

/* Head text (CRLF lines, a blank line at the end) with the names painted. */
static void print_head_text(const char *t, size_t n) {
    size_t i = 0, first = 1;
    while (i < n) {
        const char *line = t + i, *eol = memchr(line, '\n', n - i), *colon;
        size_t len = eol ? (size_t)(eol - line) : n - i;
        i += len + (eol != NULL);
        if (len && line[len - 1] == '\r') len--;
        colon = first ? NULL : memchr(line, ':', len);
        if (line[0] == ':' && len > 1) colon = memchr(line + 1, ':', len - 1);   /* HTTP/2 pseudo-header */
        first = 0;
        if (colon) {
            printf("%s%.*s%s%.*s\n", color ? C_KEY : "", (int)(colon - line), line, color ? C_RESET : "",
                   (int)(len - (size_t)(colon - line)), colon);
        } else {
            printf("%.*s\n", (int)len, line);
        }
    }
}

static void verbose_flush(verbose *v) {
    if (v->held_len) print_head_text(v->held, v->held_len);
    v->held_len = 0;
}

static void on_debug(void *user, httpx_debug_kind kind, const char *text, size_t len) {
    verbose *v = (verbose *)user;
    char *p;
    if (kind == HTTPX_DEBUG_TEXT) {
        printf("* %.*s\n", (int)len, text);
    } else if (kind == HTTPX_DEBUG_HEADER_OUT) {
        verbose_flush(v);             /* the previous hop's response */
        print_head_text(text, len);
    } else if ((p = (char *)realloc(v->held, len)) != NULL) {
        memcpy(p, text, len);
        v->held = p;
        v->held_len = len;
    }
}

static void print_connection(const httpx_response *r) {
    printf("* %s %s in %.1f ms, %s connection\n\n", r->http_version[0] ? r->http_version : "no response", r->url,
           r->elapsed * 1e3, r->connection_reused ? "a reused" : "a new");
}

/* ---- --download: a progress bar on stderr ---- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void human_size(char *out, size_t cap, double n) {
    static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
    int u = 0;
    while (n >= 1000 && u < 4) { n /= 1000; u++; }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", n, units[u]);
}

typedef struct progress {
    bool live;                  /* redraw in place (a terminal, or HTTPX_PROGRESS=1) */
    double start, last_draw;
    unsigned frame;
} progress;

static void progress_draw(progress *p, long long got, long long total, bool final) {
    static const char spin[] = "|/-\\";
    char done[32], all[32], speed[32], line[160];
    double t = now_s(), secs = t - p->start;
    double rate = secs > 0 ? (double)got / secs : 0;
    if (!final && (!p->live || t - p->last_draw < 0.1)) return;   /* at most 10 redraws a second */
    p->last_draw = t;
    human_size(done, sizeof done, (double)got);
    human_size(speed, sizeof speed, rate);
    if (total >= 0) {
        int pct = total ? (int)(got * 100 / total) : 100, fill = pct * 30 / 100, i;
        char bar[31];
        double eta = rate > 0 ? (double)(total - got) / rate : 0;
        for (i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = 0;
        human_size(all, sizeof all, (double)total);
        snprintf(line, sizeof line, "%3d%% [%s] %s / %s  %s/s  ETA %d:%02d", pct, bar, done, all, speed,
                 (int)eta / 60, (int)eta % 60);
    } else {
        snprintf(line, sizeof line, "%c %s  %s/s  (length unknown)", final ? '*' : spin[p->frame++ % 4], done, speed);
    }
    fprintf(stderr, "%s%-78s%s", p->live ? "\r" : "", line, final || !p->live ? "\n" : "");
}

/* Saves the body into path.part and renames it to path once complete: a
   failed download never leaves a file that looks whole, and nothing is
   resumed or appended to. Returns the exit code. */
static int download(httpx_response *r, const char *path) {
    static char buf[65536];
    size_t plen = strlen(path);
    char *part = (char *)malloc(plen + 6);
    progress p;
    FILE *f;
    long n;
    if (!part) return EXIT_OTHER;
    memcpy(part, path, plen);
    memcpy(part + plen, ".part", 6);
    f = fopen(part, "wb");
    if (!f) {
        fprintf(stderr, "httpx: cannot write %s: %s\n", part, strerror(errno));
        free(part);
        return EXIT_OTHER;
    }
    memset(&p, 0, sizeof p);
    p.live = isatty(2) || (getenv("HTTPX_PROGRESS") && strcmp(getenv("HTTPX_PROGRESS"), "1") == 0);
    p.start = now_s();
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) break;
        progress_draw(&p, r->num_bytes_downloaded, r->expected_length, false);
    }
    progress_draw(&p, r->num_bytes_downloaded, r->expected_length, true);
    if (fclose(f) != 0 || n > 0) {
        fprintf(stderr, "httpx: writing %s failed: %s\n", part, strerror(errno));
        remove(part);
        free(part);
        return EXIT_OTHER;
    }
    if (n < 0) {
        fprintf(stderr, "httpx: download failed: %s (%s removed)\n", r->error_message, part);
        remove(part);
        free(part);
        return exit_code_of(r->error);
    }
    if (rename(part, path) != 0) {
        fprintf(stderr, "httpx: cannot rename %s to %s: %s\n", part, path, strerror(errno));
        remove(part);
        free(part);
        return EXIT_OTHER;
    }
    fprintf(stderr, "saved %lld bytes to %s\n", r->num_bytes_downloaded, path);
    free(part);
    return EXIT_OK;
}

/* The body of a streamed response, as it comes. */
static void print_stream(httpx_response *r) {
    static char buf[16384];
    long n;
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
}

/* ---- the cookie jar file ---- */

/* Loads --cookie-jar (a file that does not exist yet is an empty jar) or
   -b FILE (which must exist). The client then keeps its cookies in that jar
   (httpx_client_opts.cookie_jar): the jar's cookies go with every hop of a
   redirect, and every hop's Set-Cookie is stored there. */
static int jar_open(const cli *o, httpx_cookies **jar) {
    const char *path = o->cookie_jar ? o->cookie_jar : o->cookie_file;
    FILE *f;
    *jar = NULL;
    if (!path) return -1;
    f = fopen(path, "r");
    if (!f && !o->cookie_jar) {
        fprintf(stderr, "httpx: -b %s: cannot read it: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    *jar = httpx_cookies_new();
    if (!*jar) { if (f) fclose(f); return EXIT_OTHER; }
    if (f) {
        fclose(f);
        if (httpx_cookies_load(*jar, path) != HTTPX_OK) {
            fprintf(stderr, "httpx: %s\n", httpx_cookies_error(*jar));
            return EXIT_USAGE;
        }
    }
    return -1;
}

/* --cookies and -b 'n=v; n2=v2' as the request's cookies (httpx_opts.cookies,
   HTTPX's cookies=): with a jar they are merged with its cookies, winning by
   name. The text is cut in place into pairs ({0}-terminated, at most cap-1). */
static void request_cookies(char *text, httpx_pair *pairs, size_t cap) {
    size_t n = 0;
    char *p = text;
    while (p && *p && n + 1 < cap) {
        char *end = strstr(p, "; "), *eq;
        if (end) *end = 0;
        eq = strchr(p, '=');
        if (eq) {
            *eq = 0;
            pairs[n].name = p;
            pairs[n++].value = eq + 1;
        }
        p = end ? end + 2 : NULL;
    }
    pairs[n].name = pairs[n].value = NULL;
}

/* The jar into its file (--cookie-jar; -b FILE is only read). */
static int jar_close(const cli *o, httpx_cookies *jar, int code) {
    if (!jar) return code;
    if (o->cookie_jar && httpx_cookies_save(jar, o->cookie_jar) != HTTPX_OK) {
        fprintf(stderr, "httpx: %s\n", httpx_cookies_error(jar));
        if (code == EXIT_OK) code = EXIT_OTHER;
    }
    return code;
}

/* ---- --follow-redirects: every hop's head, as HTTPX's command prints it ---- */

/* A response hook (httpx_client_opts.response_hooks): it sees each hop's
   head as it comes in, before any body. Without -v, the heads of the
   redirects being followed are printed here; the final one comes with its
   body. (-v prints every hop from on_debug instead.) */
static httpx_error print_hop(void *user_data, httpx_response *r) {
    (void)user_data;
    if (httpx_is_redirect(r)) print_head(r);
    return HTTPX_OK;
}

/* ---- main ---- */

static int run(cli *o) {
    static const char ua[] = "httpx.h-cli/" HTTPX_VERSION;
    static const httpx_response_hook hop_hooks[] = {{print_hop, NULL, "print-hop"}, {NULL, NULL, NULL}};
    double t = o->timeout == 0 ? -1 : o->timeout;     /* --timeout 0: no limit */
    httpx_client_opts copts;
    httpx_opts ropts;
    httpx_client *c;
    httpx_response *r;
    httpx_cookies *jar;
    httpx_pair cookies[64];
    verbose v = { NULL, 0 };
    int code = jar_open(o, &jar);

    if (code >= 0) { httpx_cookies_free(jar); return code; }
    memset(&copts, 0, sizeof copts);
    if (o->verbose) {
        copts.on_debug = on_debug;
        copts.debug_user_data = &v;
    }
    copts.user_agent = ua;
    copts.tls.no_verify = o->no_verify;
    if (o->timeout >= 0) copts.timeout.connect = copts.timeout.read = copts.timeout.write = copts.timeout.pool = t;
    memset(&ropts, 0, sizeof ropts);
    ropts.params = o->params;
    ropts.headers = o->headers;
    ropts.json = o->json;
    ropts.content = o->content;         /* -c: as it is (content_length 0: strlen) */
    ropts.data = o->ndata ? o->data : NULL;
    ropts.files = o->nfiles ? o->files : NULL;
    ropts.follow_redirects = o->follow ? HTTPX_YES : HTTPX_NO;
    if (o->cookie) {
        request_cookies(o->cookie, cookies, sizeof cookies / sizeof cookies[0]);
        ropts.cookies = cookies;
    }
    copts.cookie_jar = jar;
    if (o->user) ropts.auth = o->digest ? httpx_digest_auth(o->user, o->pass) : httpx_basic_auth(o->user, o->pass);
    copts.http2 = o->http2;     /* as HTTPX's --http2: offered over TLS, http:// stays HTTP/1.1 */
    copts.uds = o->uds;
    if (o->follow && !o->verbose) copts.response_hooks = hop_hooks;
    copts.proxy = o->proxy;

    c = httpx_client_new(&copts);
    if (!c) { httpx_cookies_free(jar); return EXIT_OTHER; }
    r = o->download ? httpx_client_stream(c, o->method, o->url, &ropts)
                    : httpx_client_request(c, o->method, o->url, &ropts);
    if (!r) { httpx_client_free(c); httpx_cookies_free(jar); free(v.held); return EXIT_OTHER; }
    if (r->error) {
        if (o->verbose) { verbose_flush(&v); print_connection(r); }
        fflush(stdout);
        fprintf(stderr, "httpx: %s %s failed: %s\n", o->method, o->url, r->error_message);
        code = exit_code_of(r->error);
    } else {
        if (o->verbose) print_connection(r);
        print_head(r);
        code = r->status_code >= 400 ? EXIT_STATUS : EXIT_OK;
        if (o->download && code == EXIT_OK) {
            fflush(stdout);
            code = download(r, o->download);
        } else {
            if (o->download) {                      /* an error page is shown, not saved */
                print_stream(r);
                fprintf(stderr, "httpx: HTTP %d: nothing saved to %s\n", r->status_code, o->download);
            } else if (strcmp(o->method, "HEAD") != 0) {
                print_body(r);
            }
        }
    }
    fflush(stdout);
    code = jar_close(o, jar, code);
    httpx_response_free(r);
    httpx_client_free(c);
    httpx_cookies_free(jar);            /* the client used it, never owned it */
    free(v.held);
    return code;
}

int main(int argc, char **argv) {
    cli o;
    int code;
    const char *force = getenv("FORCE_COLOR"), *no = getenv("NO_COLOR");
    memset(&o, 0, sizeof o);
    color = (force && *force) || (isatty(1) && !(no && *no));
    code = argc < 2 ? usage_error("%s", "which URL?") : parse_args(&o, argc, argv);
    if (code < 0) code = run(&o);
    free(o.params);
    free(o.headers);
    free(o.data);
    free(o.files);
    free(o.cookie);
    return code;
}
