/* The declarations alone, as every file but the implementation sees them. */
#include "../../httpx.h"
#include <stdio.h>

int compile_check_use(void);

int main(void) {
    httpx_client *c = httpx_client_new(NULL);
    printf("%s %d\n", httpx_strerror(HTTPX_ERR_READ_TIMEOUT), compile_check_use());
    httpx_client_free(c);
    return 0;
}
