/* params: query parameters, as HTTPX's
       params = {"key1": "value1", "key2": ["value2", "value3"]}
       r = httpx.get("https://httpbin.org/get", params=params)
       print(r.url)
   In C the parameters are an array of name/value pairs ending with {0}; a
   name given twice is a list. Values are percent-encoded for you.
       ./build/examples/params http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    char url[512];
    httpx_response *r;
    const httpx_json_value *args;
    int ok;

    snprintf(url, sizeof url, "%s/anything?page=1", base);     /* the URL's own query is kept */
    r = httpx_get(url, &(httpx_opts){
        .params = (httpx_pair[]){
            {"key1", "value1"},
            {"key2", "value2"}, {"key2", "value3"},    /* a list: key2=value2&key2=value3 */
            {"q", "C & C++ = 100%"},                   /* encoded: q=C+%26+C%2B%2B+%3D+100%25 */
            {0} } });
    if (r->error) {
        fprintf(stderr, "failed: %s\n", r->error_message);
        httpx_response_free(r);
        return 1;
    }
    printf("r->url: %s\n", r->url);                   /* the URL as sent, with the query */

    /* The server says what it understood (its "args" member). */
    args = httpx_json_get(httpx_json(r), "args");
    printf("server saw key1=%s, key2=[%s, %s], q=%s, page=%s\n",
           httpx_json_string(httpx_json_get(args, "key1")),
           httpx_json_string(httpx_json_path(args, "key2[0]")),
           httpx_json_string(httpx_json_path(args, "key2[1]")),
           httpx_json_string(httpx_json_get(args, "q")),
           httpx_json_string(httpx_json_get(args, "page")));
    ok = httpx_json_string(httpx_json_get(args, "q")) &&
         strcmp(httpx_json_string(httpx_json_get(args, "q")), "C & C++ = 100%") == 0;
    httpx_response_free(r);
    return ok ? 0 : 1;
}
