/* Running programs for the tests: see fixtures_run.h. */
#include "fixtures_run.h"
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int fx_run(const char *cmd, char *out, size_t cap) {
    char full[8192];
    FILE *p;
    size_t n = 0, got;
    int status;
    if (snprintf(full, sizeof full, "exec </dev/null; %s", cmd) >= (int)sizeof full) return -1;
    p = popen(full, "r");
    if (!p) return -1;
    /* read to the end even past cap, so the program never blocks on a full pipe */
    while (n + 1 < cap && (got = fread(out + n, 1, cap - 1 - n, p)) > 0) n += got;
    out[n] = 0;
    if (n + 1 >= cap) {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, p) > 0) {}
    }
    status = pclose(p);
    if (WIFSIGNALED(status)) printf("  \"%s\" died of signal %d\n", cmd, WTERMSIG(status));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int fx_have_prog(const char *prog) {
    char path[256];
    snprintf(path, sizeof path, "build/%s", prog);
    if (access(path, X_OK) == 0) return 1;
    printf("  %s is missing: `make examples` (or `make unit`) builds it\n", path);
    return 0;
}
