/* download: stream a large body to a file with a progress display, as
   HTTPX's
       with httpx.stream("GET", url) as r:
           total = int(r.headers["Content-Length"])
           for chunk in r.iter_bytes():
               f.write(chunk); print(r.num_bytes_downloaded, "/", total)
   httpx_stream returns once the head is in; httpx_read then gives the body
   piece by piece, so memory stays small whatever the size.
       ./build/examples/download http://127.0.0.1:8080/bytes/5000000 out.bin */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080/bytes/5000000";
    const char *path = argc > 2 ? argv[2] : "download.bin";
    static char buf[64 * 1024];
    httpx_response *r = httpx_stream("GET", url, NULL);
    FILE *f;
    long n;
    int last = -1;

    if (r->error || httpx_raise_for_status(r)) {    /* check the head before writing anything */
        fprintf(stderr, "GET %s: %s\n", url, r->error ? r->error_message : r->reason_phrase);
        httpx_response_free(r);
        return 1;
    }
    f = fopen(path, "wb");
    if (!f) { perror(path); httpx_response_free(r); return 1; }

    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t)n, f);
        if (r->expected_length > 0) {               /* -1 when the server did not say */
            int pct = (int)(r->num_bytes_downloaded * 100 / r->expected_length);
            if (pct / 10 != last / 10) {             /* a line every 10%: readable in a log */
                printf("%3d%% %lld of %lld bytes\n", pct, r->num_bytes_downloaded, r->expected_length);
                last = pct;
            }
        }
    }
    fclose(f);
    if (n < 0) {                                    /* a broken download: say so, drop the file */
        fprintf(stderr, "download failed: %s\n", r->error_message);
        remove(path);
        httpx_response_free(r);
        return 1;
    }
    printf("saved %lld bytes to %s in %.2f s\n", r->num_bytes_downloaded, path, r->elapsed);
    httpx_response_free(r);
    return 0;
}
