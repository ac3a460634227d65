/* The test runner: main() runs every registered test, or those whose name or
   file contains one of the arguments. */
#include "test.h"
#include <stdarg.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>

#define MAX_TESTS 2048
static struct { const char *name, *file; test_fn fn; } tests[MAX_TESTS];
static int num_tests;
static const char *current_name;
int test_current_failed;

static long test_vcsw(void) {
    struct rusage u;
    return getrusage(RUSAGE_THREAD, &u) == 0 ? u.ru_nvcsw : 0;
}

test_clock test_clock_start(void) {
    test_clock c;
    c.vcsw = test_vcsw();
    c.t = httpx__now();
    return c;
}

double test_clock_seconds(test_clock c) { return httpx__now() - c.t; }

int test_waited(test_clock c, double min_seconds) {
    double took = httpx__now() - c.t;
    return took > min_seconds && test_vcsw() != c.vcsw;
}

void test_register(const char *name, const char *file, test_fn fn) {
    if (num_tests == MAX_TESTS) { fprintf(stderr, "too many tests\n"); exit(2); }
    tests[num_tests].name = name;
    tests[num_tests].file = file;
    tests[num_tests].fn = fn;
    num_tests++;
}

void test_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    if (test_current_failed < 20) {   /* a table test gone wrong should not flood the log */
        fprintf(stdout, "FAIL %s (%s:%d): ", current_name, file, line);
        va_start(ap, fmt);
        vfprintf(stdout, fmt, ap);
        va_end(ap);
        fputc('\n', stdout);
    }
    test_current_failed++;
}

char *test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = (char *)malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) { free(p); p = NULL; }
    fclose(f);
    if (!p) return NULL;
    p[n] = 0;
    if (len) *len = (size_t)n;
    return p;
}

const char *test_data_dir(void) {
    const char *d = getenv("HTTPX_TESTDATA");
    return d && *d ? d : "tests/data";
}

static int selected(int i, int argc, char **argv) {
    int a;
    if (argc < 2) return 1;
    for (a = 1; a < argc; a++)
        if (strstr(tests[i].name, argv[a]) || strstr(tests[i].file, argv[a])) return 1;
    return 0;
}

int main(int argc, char **argv) {
    int i, passed = 0, failed = 0;
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; i < num_tests; i++) {
        if (!selected(i, argc, argv)) continue;
        current_name = tests[i].name;
        test_current_failed = 0;
        tests[i].fn();
        if (test_current_failed) failed++; else passed++;
        if (getenv("TEST_VERBOSE")) printf("%s %s\n", test_current_failed ? "FAIL" : "ok  ", tests[i].name);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
