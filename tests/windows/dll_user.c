/* A program of httpx_dll.dll (HTTPX_DLL without the implementation:
   __declspec(dllimport)): dll_user URL prints "STATUS LENGTH". */
#define HTTPX_DLL
#include "../../httpx.h"

int main(int argc, char **argv) {
    httpx_response *r = httpx_get(argc > 1 ? argv[1] : "http://127.0.0.1:1/", NULL);
    if (!r) return 2;
    if (r->error) printf("error: %s\n", r->error_message);
    else printf("%d %lu\n", r->status_code, (unsigned long)r->content_length);
    httpx_response_free(r);
    return 0;
}
