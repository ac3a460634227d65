/* text: response content as bytes, as text and as JSON, as HTTPX's
       r.content    the bytes
       r.text       decoded with the charset of Content-Type
       r.encoding   which charset that was
       r.json()
       ./build/examples/text http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    static const char *const paths[] = { "/utf8", "/latin1", "/json" };
    char url[512];
    size_t i, j;
    int failures = 0;

    for (i = 0; i < 3; i++) {
        httpx_response *r;
        snprintf(url, sizeof url, "%s%s", base, paths[i]);
        r = httpx_get(url, NULL);
        if (r->error) { printf("%s: %s\n", paths[i], r->error_message); failures++; httpx_response_free(r); continue; }
        printf("%s (%s)\n  content: %zu bytes:", paths[i], httpx_header(r, "content-type"), r->content_length);
        for (j = 0; j < r->content_length && j < 12; j++) printf(" %02x", (unsigned char)r->content[j]);
        /* the text is UTF-8 whatever the server sent: Latin-1's e9 becomes c3 a9 */
        printf("%s\n  encoding: %s\n  text: %s\n", r->content_length > 12 ? " ..." : "", httpx_encoding(r), httpx_text(r));
        if (httpx_json(r))                          /* NULL when the body is not JSON */
            printf("  json: n = %d\n", (int)httpx_json_int(httpx_json_get(httpx_json(r), "n"), NULL));
        httpx_response_free(r);
    }
    return failures ? 1 : 0;
}
