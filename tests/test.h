/* A small test runner: each test is a function registered by TEST(name); the
   run prints one line per failure and ends with "N passed, N failed".
   Test files are separate units linked with tests/impl.c, which holds the
   implementation with internal functions visible (HTTPX__PRIVATE empty). */
#ifndef HTTPX_TEST_H
#define HTTPX_TEST_H

#ifndef HTTPX__TEST_HOOKS
#define HTTPX__TEST_HOOKS   /* the internals only tests use (see tests/impl.c) */
#endif
#include "../httpx.h"
#include "../tools/src/internal.h"
/* the components' declarations (SHARED_HEADERS in tools/amalgamate.py) */
#include "../tools/src/url_internal.h"
#include "../tools/src/headers_internal.h"
#include "../tools/src/h1_internal.h"
#include "../tools/src/h2_internal.h"
#include "../tools/src/json_internal.h"
#include "../tools/src/net_internal.h"
#include "../tools/src/multipart_internal.h"
#include "../tools/src/dns_internal.h"
#include "../tools/src/tls_internal.h"
#include "../tools/src/engine_internal.h"
#include "../tools/src/text_internal.h"
#include "../tools/src/inflate_internal.h"
#include "../tools/src/cookie_internal.h"
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, const char *file, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
extern int test_current_failed;

#define TEST(name)                                                              \
    static void test_##name(void);                                              \
    __attribute__((constructor)) static void test_register_##name(void) {       \
        test_register(#name, __FILE__, test_##name);                            \
    }                                                                           \
    static void test_##name(void)

/* CHECK records a failure and goes on; REQUIRE also leaves the test. */
#define CHECK(c) do { if (!(c)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #c); } while (0)
#define REQUIRE(c) do { if (!(c)) { test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #c); return; } } while (0)
#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b);       \
    if (a_ != b_) test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, a_, #b, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b);                              \
    if (!a_ || !b_ || strcmp(a_, b_) != 0)                                             \
        test_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a,              \
                  a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_MEM(a, alen, b, blen) do { size_t al_ = (alen), bl_ = (blen);            \
    if (al_ != bl_ || memcmp((a), (b), al_) != 0)                                      \
        test_fail(__FILE__, __LINE__, "%s (%zu bytes) differs from %s (%zu bytes)",    \
                  #a, al_, #b, bl_); } while (0)

/* "This call never waits", asserted without a wall-clock window: a call
   waited when its thread slept in the kernel (a voluntary context switch)
   AND it took longer than min_seconds. A loaded machine that preempts the
   thread makes a call slow, not "waited"; a short sleep on a kernel lock is
   not a wait either. */
typedef struct { double t; long vcsw; } test_clock;
test_clock test_clock_start(void);
double test_clock_seconds(test_clock c);
int test_waited(test_clock c, double min_seconds);

/* Reads a whole file (NUL-terminated); NULL when missing. *len may be NULL. */
char *test_read_file(const char *path, size_t *len);
/* tests/data (run from the repository root), or $HTTPX_TESTDATA. */
const char *test_data_dir(void);

#endif
