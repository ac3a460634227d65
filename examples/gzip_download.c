/* gzip_download: a compressed download streamed to a file, decoded on the
   way, as HTTPX's
       with httpx.stream("GET", url) as r:
           for chunk in r.iter_bytes():        # decoded: gzip, deflate (br, zstd)
               f.write(chunk)
   The request says "Accept-Encoding: gzip, deflate" by itself; httpx_read
   hands over decoded bytes, a 32 KiB window at a time, so memory stays small
   however large the file. num_bytes_downloaded counts what came over the
   wire, so the two counts below show what compression saved. A corrupt or
   cut-off stream is an error (HTTPX_ERR_DECODING), never a short file.
   With --raw the file gets the bytes as sent (HTTPX's iter_raw).
       ./build/examples/gzip_download http://127.0.0.1:8080/big.txt out.txt [--raw] */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080/big.txt";
    const char *path = argc > 2 ? argv[2] : "download.txt";
    httpx_opts opts = {0};
    static char buf[64 * 1024];
    httpx_response *r;
    const char *coding;
    long long written = 0;
    FILE *f;
    long n;

    opts.raw = argc > 3 && strcmp(argv[3], "--raw") == 0;
    r = httpx_stream("GET", url, &opts);
    if (r->error || httpx_raise_for_status(r)) {    /* check the head before writing anything */
        fprintf(stderr, "GET %s: %s\n", url, r->error ? r->error_message : r->reason_phrase);
        httpx_response_free(r);
        return 1;
    }
    coding = httpx_header(r, "Content-Encoding");
    printf("Content-Encoding: %s%s\n", coding ? coding : "none", opts.raw ? " (kept: --raw)" : "");
    f = fopen(path, "wb");
    if (!f) { perror(path); httpx_response_free(r); return 1; }
    while ((n = httpx_read(r, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t)n, f);
        written += n;
    }
    fclose(f);
    if (n < 0) {                                    /* corrupt, cut off, refused: drop the file */
        fprintf(stderr, "download failed: %s\n", r->error_message);
        remove(path);
        httpx_response_free(r);
        return 1;
    }
    printf("saved %lld bytes to %s (%lld bytes on the wire)\n", written, path, r->num_bytes_downloaded);
    httpx_response_free(r);
    return 0;
}
