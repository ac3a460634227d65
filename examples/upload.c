/* upload: multipart file uploads, as HTTPX's
       files = {"upload-file": open("report.xls", "rb")}
       r = httpx.post("https://httpbin.org/post", files=files, data={"message": "hi"})
   A file can come from a path (streamed from disk, never read whole into
   memory), an open FILE *, or bytes in memory with a filename and type of
   your choosing.
       ./build/examples/upload http://127.0.0.1:8080 */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    static const char csv[] = "name,score\nada,42\n";
    char url[512];
    const char *path = "/tmp/httpx-upload-example.txt";
    FILE *f = fopen(path, "w");
    httpx_response *r;
    const httpx_json_value *doc;
    int ok;

    if (!f) { perror(path); return 1; }
    fputs("the contents of a file on disk\n", f);
    fclose(f);

    snprintf(url, sizeof url, "%s/anything", base);
    r = httpx_post(url, &(httpx_opts){
        .files = (httpx_file[]){
            { .field = "upload-file", .path = path },              /* filename: its base name */
            { .field = "scores", .filename = "scores.csv", .content_type = "text/csv",
              .data = csv, .size = sizeof csv - 1 },               /* from memory */
            {0} },
        .data = (httpx_pair[]){ {"message", "hi"}, {0} } });       /* plain fields go along */
    remove(path);
    if (r->error) { fprintf(stderr, "failed: %s\n", r->error_message); httpx_response_free(r); return 1; }

    doc = httpx_json(r);
    printf("sent as %.30s...\n", httpx_json_string(httpx_json_path(doc, "headers.Content-Type")));
    printf("server got file upload-file: %s", httpx_json_string(httpx_json_path(doc, "files.upload-file")));
    printf("server got file scores: %s", httpx_json_string(httpx_json_path(doc, "files.scores")));
    printf("server got field message: %s\n", httpx_json_string(httpx_json_path(doc, "form.message")));
    ok = httpx_json_string(httpx_json_path(doc, "files.scores")) &&
         strcmp(httpx_json_string(httpx_json_path(doc, "files.scores")), csv) == 0;
    httpx_response_free(r);
    return ok ? 0 : 1;
}
