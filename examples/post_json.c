/* post_json: JSON in and out, as HTTPX's
       r = httpx.post("https://httpbin.org/post", json={"name": name, "tags": ["a", "b"]})
       r.json()["json"]["name"]
   Three ways to make the body: a literal, httpx_json_printf (escapes the
   arguments for you, so user input can never break the document), and the
   httpx_jsonw builder for shapes known only at run time.
       ./build/examples/post_json http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* POSTs body, prints what the server parsed; 1 on failure. */
static int post(const char *url, const char *label, const char *body) {
    httpx_response *r = httpx_post(url, &(httpx_opts){ .json = body });
    const httpx_json_value *doc, *sent;
    int failed;
    if (r->error) { fprintf(stderr, "%s: %s\n", label, r->error_message); httpx_response_free(r); return 1; }
    doc = httpx_json(r);                            /* r.json(): parsed once, owned by r */
    if (!doc) {
        fprintf(stderr, "%s: the answer is not JSON: %s\n", label, httpx_json_error_of(r)->message);
        httpx_response_free(r);
        return 1;
    }
    sent = httpx_json_get(doc, "json");             /* what the server understood */
    printf("%-8s name=%s, tags=%zu, tags[-1]=%s\n", label,
           httpx_json_string(httpx_json_get(sent, "name")),
           httpx_json_len(httpx_json_get(sent, "tags")),
           httpx_json_string(httpx_json_path(sent, "tags[-1]")));
    failed = httpx_json_string(httpx_json_get(sent, "name")) == NULL;
    httpx_response_free(r);
    return failed;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    const char *name = "Ada \"the Countess\" Lovelace";       /* quotes: must be escaped */
    char url[512], *body;
    httpx_jsonw *w;
    int failures = 0;

    snprintf(url, sizeof url, "%s/anything", base);

    /* 1. a literal */
    failures += post(url, "literal", "{\"name\": \"Ada\", \"tags\": [\"a\", \"b\"]}");

    /* 2. printf for JSON: %s is written as a JSON string, escaped */
    body = httpx_json_printf("{\"name\": %s, \"tags\": [\"math\", %s], \"born\": %d}", name, "poetry", 1815);
    if (!body) return 1;
    failures += post(url, "printf", body);
    httpx_json_printf_free(body);

    /* 3. a builder, for a document built by a loop */
    w = httpx_jsonw_new();
    httpx_jsonw_object_begin(w);
    httpx_jsonw_key(w, "name");
    httpx_jsonw_string(w, name);
    httpx_jsonw_key(w, "tags");
    httpx_jsonw_array_begin(w);
    {
        static const char *const tags[] = { "engines", "notes", "bernoulli" };
        size_t i;
        for (i = 0; i < sizeof tags / sizeof tags[0]; i++) httpx_jsonw_string(w, tags[i]);
    }
    httpx_jsonw_array_end(w);
    httpx_jsonw_object_end(w);
    if (!httpx_jsonw_text(w)) {                     /* errors stick: one check at the end */
        fprintf(stderr, "builder: %s\n", httpx_jsonw_error_message(w));
        failures++;
    } else {
        failures += post(url, "builder", httpx_jsonw_text(w));
    }
    httpx_jsonw_free(w);
    return failures ? 1 : 0;
}
