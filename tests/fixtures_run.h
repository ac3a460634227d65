/* Running the programs the tests check (the httpx tool, the examples) and
   reading what they print. */
#ifndef HTTPX_TEST_FIXTURES_RUN_H
#define HTTPX_TEST_FIXTURES_RUN_H

#include <stddef.h>

/* Runs the shell command cmd (stdin from /dev/null) and keeps its stdout (and
   whatever cmd redirects there, e.g. "2>&1") in out, NUL-terminated and cut
   at cap-1 bytes. Returns its exit status, or -1 when it could not run or
   was killed by a signal (the signal is printed). */
int fx_run(const char *cmd, char *out, size_t cap);
/* 1 when build/PROG (e.g. "examples/httpx") exists, else 0 after printing
   that `make examples` builds it (`make unit` does). */
int fx_have_prog(const char *prog);

#endif
