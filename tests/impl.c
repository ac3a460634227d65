/* The implementation for the test build: internal functions are visible to
   the test units (the Makefile passes -DHTTPX__PRIVATE=), and so are the
   hooks only the tests use (HTTPX__TEST_HOOKS; a user's build has none). */
#define HTTPX__TEST_HOOKS
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
