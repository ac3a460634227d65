/* The public API over HTTP/1.1, the server's bytes from the input
   (see fuzz_api.h). */
#include "fuzz_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_api(data, size, false); }
