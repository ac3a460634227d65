/* Compiled by tests/compile_matrix.sh under every compiler, standard and
   configuration macro, with -Werror: the header must stay warning-free for
   users, in C and in C++. */
#ifdef USE_CUSTOM_ALLOC
#define _POSIX_C_SOURCE 200809L     /* what a user does who includes a system header first */
#include <stdlib.h>
static size_t allocations;
static void *count_malloc(size_t n) { allocations++; return malloc(n); }
#define HTTPX_MALLOC(sz) count_malloc(sz)
#define HTTPX_REALLOC(p, sz) realloc(p, sz)
#define HTTPX_FREE(p) free(p)
#endif
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"
#include "../../httpx.h"     /* a second include must be harmless */

int compile_check_use(void);
int compile_check_use(void) {
    httpx_response *r = httpx_get("http://127.0.0.1:1/", NULL);
    int failed = r && r->error != HTTPX_OK;
    httpx_response_free(r);
    return failed;
}
