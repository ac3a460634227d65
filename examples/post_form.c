/* post_form: an HTML form post, as HTTPX's
       data = {"key1": "value1", "key2": ["value2", "value3"]}
       r = httpx.post("https://httpbin.org/post", data=data)
   .data sends application/x-www-form-urlencoded; with .files beside it the
   same fields go as multipart/form-data (see upload.c).
       ./build/examples/post_form http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    httpx_response *r;
    const httpx_json_value *form;
    int ok;

    snprintf(url, sizeof url, "%s/anything", base);
    r = httpx_post(url, &(httpx_opts){
        .data = (httpx_pair[]){
            {"key1", "value1"},
            {"key2", "value2"}, {"key2", "value3"},     /* several values for one name */
            {"comment", "50% off & free shipping"},     /* encoded for you */
            {0} } });
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); httpx_response_free(r); return 1; }

    form = httpx_json_get(httpx_json(r), "form");
    printf("sent as %s\n", httpx_json_string(httpx_json_path(httpx_json(r), "headers.Content-Type")));
    printf("server saw key1=%s, key2=[%s, %s], comment=%s\n",
           httpx_json_string(httpx_json_get(form, "key1")),
           httpx_json_string(httpx_json_path(form, "key2[0]")),
           httpx_json_string(httpx_json_path(form, "key2[1]")),
           httpx_json_string(httpx_json_get(form, "comment")));
    ok = httpx_json_string(httpx_json_get(form, "comment")) &&
         strcmp(httpx_json_string(httpx_json_get(form, "comment")), "50% off & free shipping") == 0;
    httpx_response_free(r);
    return ok ? 0 : 1;
}
