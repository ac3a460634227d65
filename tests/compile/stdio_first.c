/* The implementation after a system header (tests/compile_matrix.sh): it
   compiles whenever the C library still offers POSIX (-std=gnu99, or
   _POSIX_C_SOURCE defined first); under strict -std=c99 glibc has already
   left POSIX out, and the first error must be httpx.h's #error saying what
   to do, not a missing struct deep inside. */
#include <stdio.h>
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"

int compile_check_stdio_first(void);
int compile_check_stdio_first(void) { return httpx_strerror(HTTPX_OK) == NULL; }
