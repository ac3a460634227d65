/* The implementation of httpx.h, compiled once into build/httpx_impl.o; the
   examples and the httpx tool link against it (-DHTTPX_NO_IMPLEMENTATION)
   instead of each compiling its own copy. A user's project does the same:
   one small file like this one, and the header alone everywhere else. */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
