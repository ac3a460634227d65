/* The implementation for the test build: internal functions are visible to
   the test units (the Makefile passes -DHTTPX__PRIVATE=). */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
