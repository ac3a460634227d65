/* Shared by the libFuzzer targets in tests/fuzz/ (one target a file; see
   README "Reliability / Fuzzing" and `make fuzz`). Each target is one
   translation unit with the whole implementation in it, so that it can look
   at internal state (the HTTP/2 session's windows) and use the test hooks. */
#ifndef HTTPX_FUZZ_H
#define HTTPX_FUZZ_H
#define HTTPX__TEST_HOOKS
#define HTTPX_IMPLEMENTATION
#include "../../httpx.h"
#include <stdio.h>
#include <stdlib.h>

/* A property the target checks: a failure is a finding, reported by
   libFuzzer as a crash with the input saved. */
#define FUZZ_CHECK(c) do { if (!(c)) fuzz_fail(#c, __FILE__, __LINE__); } while (0)
static void fuzz_fail(const char *what, const char *file, int line) {
    fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", what, file, line);
    abort();
}

/* The fuzz input read as a source of decisions (split points, sizes) and
   bytes; once it runs out, every decision is 0. */
typedef struct fuzz_in { const uint8_t *p; size_t n; } fuzz_in;
static unsigned fuzz_byte(fuzz_in *in) {
    unsigned b;
    if (!in->n) return 0;
    b = in->p[0];
    in->p++;
    in->n--;
    return b;
}
static unsigned fuzz_u16(fuzz_in *in) { unsigned hi = fuzz_byte(in); return (hi << 8) | fuzz_byte(in); }
/* The next n bytes (fewer when the input ends): a view. */
static const uint8_t *fuzz_take(fuzz_in *in, size_t n, size_t *got) {
    const uint8_t *p = in->p;
    if (n > in->n) n = in->n;
    in->p += n;
    in->n -= n;
    *got = n;
    return p;
}

/* Split points from a seed, so that a message split "at random" is the same
   split every time the input runs. */
static uint64_t fuzz_seed_of(const uint8_t *p, size_t n) {
    uint64_t h = 1469598103934665603ull;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}
static size_t fuzz_piece(uint64_t *state, size_t left) {
    uint64_t r = httpx__splitmix64(state);
    size_t k;
    if (!left) return 0;
    /* mostly small pieces (1..8 bytes), sometimes big ones */
    k = (r & 3) ? (size_t)(r >> 8) % 8 + 1 : (size_t)(r >> 8) % (left + 1);
    if (k == 0) k = 1;
    return k > left ? left : k;
}
#endif
