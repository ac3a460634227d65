/* app_test: a tiny HTTP app served in process, and its tests, as the Flask
   tutorials do with app.test_client() (or HTTPX with WSGITransport):
       client = httpx.Client(transport=httpx.WSGITransport(app=app))
   The app is a C function (httpx_client_opts.app) that reads each request,
   its body in pieces, and answers: a status, headers and a body, written
   whole or produced in pieces as the client reads. No socket, no port, no
   server to start; the client runs as over the network (redirects, JSON,
   streaming, limits).
       ./build/examples/app_test */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* ---- the app: a notes service ---- */

#define MAX_NOTES 16
typedef struct notes {
    char text[MAX_NOTES][128];
    int count;
} notes;

/* The path of a request ("/notes/1"), without the query. */
static void path_of(const httpx_req *q, char *path, size_t cap) {
    const char *u = strstr(httpx_request_url(q), "://");
    u = u ? strchr(u + 3, '/') : NULL;
    snprintf(path, cap, "%.*s", u ? (int)strcspn(u, "?") : 1, u ? u : "/");
}

static void list_notes(notes *db, httpx_app_response *res) {
    httpx_jsonw *w = httpx_jsonw_new();
    int i;
    httpx_jsonw_array_begin(w);
    for (i = 0; i < db->count; i++) {
        httpx_jsonw_object_begin(w);
        httpx_jsonw_key(w, "id");
        httpx_jsonw_int(w, i + 1);
        httpx_jsonw_key(w, "text");
        httpx_jsonw_string(w, db->text[i]);
        httpx_jsonw_object_end(w);
    }
    httpx_jsonw_array_end(w);
    if (httpx_jsonw_text(w)) httpx_reply_json(res, 200, httpx_jsonw_text(w));
    else httpx_reply_status(res, 500);
    httpx_jsonw_free(w);
}

/* POST /notes {"text": "..."}: the body is read in pieces, at most 1 KiB. */
static void add_note(notes *db, httpx_app_response *res) {
    char body[1024], location[32];
    size_t len = 0;
    long n;
    httpx_json_value *doc;
    const char *text;
    while ((n = httpx_app_read_body(res, body + len, sizeof body - len)) > 0) {
        len += (size_t)n;
        if (len == sizeof body) {
            httpx_reply_json(res, 413, "{\"error\": \"a note is at most 1 KiB\"}");
            return;
        }
    }
    doc = httpx_json_parse(body, len, NULL);
    text = httpx_json_string(httpx_json_get(doc, "text"));
    if (!text || !*text) {
        httpx_reply_json(res, 400, "{\"error\": \"a note needs a text\"}");
    } else if (db->count == MAX_NOTES) {
        httpx_reply_json(res, 507, "{\"error\": \"full\"}");
    } else {
        snprintf(db->text[db->count++], sizeof db->text[0], "%s", text);
        snprintf(location, sizeof location, "/notes/%d", db->count);
        httpx_reply_header(res, "Location", location);
        httpx_reply_json(res, 201, "{\"created\": true}");
    }
    httpx_json_free(doc);
}

/* GET /export.csv: 100000 rows, made one piece at a time as the client
   reads, never the whole file in memory. */
typedef struct csv_rows { int next, last; } csv_rows;

static long csv_produce(void *user_data, char *buf, size_t cap) {
    csv_rows *rows = (csv_rows *)user_data;
    size_t len = 0;
    if (!buf) return 0;                    /* the client is done with it: nothing to free here */
    while (rows->next <= rows->last) {
        char line[64];
        int n = snprintf(line, sizeof line, "%d,note %d\n", rows->next, rows->next);
        if ((size_t)n > cap - len) break;
        memcpy(buf + len, line, (size_t)n);
        len += (size_t)n;
        rows->next++;
    }
    return (long)len;
}

static csv_rows export_rows;

static void notes_app(void *user_data, const httpx_req *q, httpx_app_response *res) {
    notes *db = (notes *)user_data;
    const char *method = httpx_request_method(q);
    char path[256];
    int id;
    path_of(q, path, sizeof path);
    if (!strcmp(path, "/notes") && !strcmp(method, "GET")) {
        list_notes(db, res);
    } else if (!strcmp(path, "/notes") && !strcmp(method, "POST")) {
        add_note(db, res);
    } else if (sscanf(path, "/notes/%d", &id) == 1 && !strcmp(method, "GET")) {
        if (id < 1 || id > db->count) httpx_reply_json(res, 404, "{\"error\": \"no such note\"}");
        else {
            httpx_reply_header(res, "Content-Type", "text/plain; charset=utf-8");
            httpx_reply_body(res, db->text[id - 1], 0);
        }
    } else if (!strcmp(path, "/old-notes")) {
        httpx_reply_status(res, 301);
        httpx_reply_header(res, "Location", "/notes");
    } else if (!strcmp(path, "/export.csv")) {
        export_rows.next = 1;
        export_rows.last = 100000;
        httpx_reply_header(res, "Content-Type", "text/csv");
        httpx_reply_stream(res, csv_produce, &export_rows, -1);   /* -1: length unknown */
    } else {
        httpx_reply_status(res, 404);
    }
}

/* ---- the tests ---- */

static int failures;
#define EXPECT(cond) do { if (!(cond)) { printf("    FAILED: %s (line %d)\n", #cond, __LINE__); failures++; } } while (0)

/* A fresh app and a client that talks to it. */
static notes db;
static httpx_client *test_client(void) {
    memset(&db, 0, sizeof db);
    return httpx_client_new(&(httpx_client_opts){ .app = notes_app, .app_user_data = &db,
                                                  .base_url = "http://notes.test", .follow_redirects = true });
}

static void test_lists_the_notes(void) {
    httpx_client *c = test_client();
    httpx_response *r;
    strcpy(db.text[0], "buy milk");
    db.count = 1;
    r = httpx_client_get(c, "/notes", NULL);
    EXPECT(r->status_code == 200);
    EXPECT(httpx_json_len(httpx_json(r)) == 1);
    EXPECT(!strcmp(httpx_json_string(httpx_json_path(httpx_json(r), "[0].text")), "buy milk"));
    httpx_response_free(r);
    httpx_client_free(c);
}

static void test_creates_a_note(void) {
    httpx_client *c = test_client();
    httpx_response *r = httpx_client_post(c, "/notes", &(httpx_opts){ .json = "{\"text\": \"call Ada\"}" });
    EXPECT(r->status_code == 201);
    EXPECT(httpx_header(r, "location") && !strcmp(httpx_header(r, "location"), "/notes/1"));
    httpx_response_free(r);
    r = httpx_client_get(c, "/notes/1", NULL);
    EXPECT(r->status_code == 200 && !strcmp(httpx_text(r), "call Ada"));
    httpx_response_free(r);
    httpx_client_free(c);
}

static void test_refuses_a_bad_note(void) {
    httpx_client *c = test_client();
    char big[4000];
    httpx_response *r = httpx_client_post(c, "/notes", &(httpx_opts){ .json = "{\"title\": \"no text\"}" });
    EXPECT(r->status_code == 400);
    EXPECT(httpx_raise_for_status(r) == HTTPX_ERR_STATUS);
    httpx_response_free(r);
    memset(big, ' ', sizeof big);
    big[0] = '[';
    big[sizeof big - 1] = ']';
    r = httpx_client_post(c, "/notes", &(httpx_opts){ .content = big, .content_length = sizeof big });
    EXPECT(r->status_code == 413);
    EXPECT(db.count == 0);
    httpx_response_free(r);
    httpx_client_free(c);
}

static void test_a_missing_note_is_404(void) {
    httpx_client *c = test_client();
    httpx_response *r = httpx_client_get(c, "/notes/7", NULL);
    EXPECT(r->status_code == 404);
    EXPECT(!strcmp(httpx_json_string(httpx_json_get(httpx_json(r), "error")), "no such note"));
    httpx_response_free(r);
    httpx_client_free(c);
}

static void test_the_old_address_redirects(void) {
    httpx_client *c = test_client();
    httpx_response *r = httpx_client_get(c, "/old-notes", NULL);
    EXPECT(r->status_code == 200);
    EXPECT(!strcmp(r->url, "http://notes.test/notes"));
    httpx_response_free(r);
    httpx_client_free(c);
}

/* The client streams the CSV line by line while the app produces it. */
static void test_exports_a_large_csv_in_pieces(void) {
    httpx_client *c = test_client();
    httpx_response *r = httpx_client_stream(c, "GET", "/export.csv", NULL);
    const char *line;
    int lines = 0, seen_mid_export = 0;
    EXPECT(r->status_code == 200);
    while ((line = httpx_read_line(r, NULL)) != NULL) {
        lines++;
        /* while the client reads row 50000 the app has not made them all */
        if (lines == 50000) seen_mid_export = export_rows.next <= export_rows.last;
    }
    EXPECT(r->error == HTTPX_OK);
    EXPECT(lines == 100000);
    EXPECT(seen_mid_export);
    httpx_response_free(r);
    httpx_client_free(c);
}

int main(void) {
    static const struct { const char *name; void (*fn)(void); } tests[] = {
        {"lists the notes", test_lists_the_notes},
        {"creates a note", test_creates_a_note},
        {"refuses a bad note", test_refuses_a_bad_note},
        {"a missing note is 404", test_a_missing_note_is_404},
        {"the old address redirects", test_the_old_address_redirects},
        {"exports a large CSV in pieces", test_exports_a_large_csv_in_pieces},
    };
    size_t i, n = sizeof tests / sizeof tests[0];
    int passed = 0;
    for (i = 0; i < n; i++) {
        int before = failures;
        tests[i].fn();
        printf("%-40s %s\n", tests[i].name, failures == before ? "ok" : "FAILED");
        passed += failures == before;
    }
    printf("%d of %d tests passed\n", passed, (int)n);
    return passed == (int)n ? 0 : 1;
}
