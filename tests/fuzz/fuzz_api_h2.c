/* The public API over HTTP/2 with prior knowledge, the server's frames from
   the input (see fuzz_api.h). */
#include "fuzz_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_api(data, size, true); }
