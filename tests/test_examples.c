/* Every example builds (make examples) and runs against the test nginx. */
#include "test.h"
#include "fixtures.h"
#include <stdlib.h>
#include <sys/wait.h>

/* Runs build/examples/NAME with the URL; returns its exit status, output in out. */
static int run_example(const char *name, const char *url, char *out, size_t cap) {
    char cmd[512];
    FILE *p;
    size_t n = 0;
    int status;
    snprintf(cmd, sizeof cmd, "build/examples/%s '%s' 2>&1", name, url);
    p = popen(cmd, "r");
    if (!p) return -1;
    while (n + 1 < cap && fgets(out + n, (int)(cap - n), p)) n += strlen(out + n);
    out[n] = 0;
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(examples_run_against_nginx) {
    static char out[16384];
    int port = fx_nginx_port();
    REQUIRE(port);
    CHECK_INT(run_example("get", fx_url(port, "/hello.txt"), out, sizeof out), 0);
    CHECK(strstr(out, "HTTP/1.1 200 OK") && strstr(out, "Hello, world!"));
    CHECK_INT(run_example("get", fx_url(port, "/status/404"), out, sizeof out), 1);
    CHECK_INT(run_example("client", fx_url(port, ""), out, sizeof out), 0);
    CHECK(strstr(out, "line: Hello, world!") != NULL);
    CHECK_INT(run_example("gather", fx_url(port, "/hello.txt"), out, sizeof out), 0);
    CHECK(strstr(out, "150 of 150 requests succeeded") != NULL);
    CHECK_INT(run_example("frame_loop", fx_url(port, "/hello.txt"), out, sizeof out), 0);
    CHECK(strstr(out, "3 requests done") != NULL);
}

TEST(out_of_memory_at_every_allocation) {
    static char out[4096];
    int port = fx_nginx_port();
    REQUIRE(port);
    CHECK_INT(run_example("../oom", fx_url(port, "/hello.txt"), out, sizeof out), 0);
    CHECK(strstr(out, "every one failed in turn, 0 bad outcomes") != NULL);
    if (!strstr(out, "0 bad outcomes")) printf("%s", out);
}
