/* The httpbin fixture; see fixtures_httpbin.h. Process handling is that of
   fixtures_common.h, as for h2_server.py. */
#include "fixtures_httpbin.h"
#include "fixtures_common.h"

#include <pthread.h>
#include <stdlib.h>

#define FXHB_START_MS 15000     /* Flask's import is slow on a loaded machine */

static pthread_mutex_t fxhb_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { int tried, port; fxc_proc p; } hb = { 0, 0, FXC_PROC_INIT };

static void fxhb_cleanup(void) { fxc_proc_stop(&hb.p); }

int fx_httpbin_port(void) {
    int port;
    pthread_mutex_lock(&fxhb_lock);
    if (!hb.tried) {
        char line[64];
        hb.tried = 1;
        fxc_at_exit(fxhb_cleanup);
        if (fxc_start_python("fixtures_httpbin", "tests/servers/httpbin_server.py", NULL, &hb.p, line, sizeof line,
                             FXHB_START_MS, NULL, 0)) {
            hb.port = atoi(line);
            if (hb.port <= 0) {
                fxc_log("fixtures_httpbin", "httpbin_server.py did not report its port (got \"%s\"): "
                        "apt-get install python3-httpbin", line);
                fxc_proc_stop(&hb.p);
                hb.port = 0;
            }
        }
    }
    port = hb.port;
    pthread_mutex_unlock(&fxhb_lock);
    return port;
}
