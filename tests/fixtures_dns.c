/* Test fixture: the DNS server tests/servers/dns.py. See fixtures_dns.h; the
   process handling is that of tests/fixtures.c (fixtures_common.h). */
#include "fixtures_dns.h"
#include "fixtures_common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FXD_START_MS 10000   /* python start-up on a slow CI box */

static pthread_mutex_t fxd_lock = PTHREAD_MUTEX_INITIALIZER;
static int fxd_tried, fxd_port;
static fxc_proc fxd = FXC_PROC_INIT;

static void fxd_stop(void) {
    fxc_proc_stop(&fxd);
}

static int fxd_start_locked(void) {
    char script[1024], line[64];

    fxd_tried = 1;
    if (!fxc_start_python("fixtures", "tests/servers/dns.py", NULL, &fxd, line, sizeof line, FXD_START_MS,
                          script, sizeof script))
        return 0;
    fxc_at_exit(fxd_stop);
    fxd_port = atoi(line);
    if (fxd_port <= 0 || fxd_port > 65535 || !strchr(line, '\n')) {
        fxc_log("fixtures", "%s did not report its port (got \"%s\")", script, line);
        fxd_stop();
        fxd_port = 0;
    }
    return fxd_port;
}

int fx_dns_port(void) {
    int port;
    pthread_mutex_lock(&fxd_lock);
    if (!fxd_tried) fxd_start_locked();
    port = fxd_port;
    pthread_mutex_unlock(&fxd_lock);
    return port;
}
