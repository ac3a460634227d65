/* frame_loop: a game-style loop that must never stall. Requests go out in the
   background; each frame calls httpx_client_poll(c, 0), which does what is
   ready and returns at once; results arrive through on_done, on this thread.
       ./frame_loop http://127.0.0.1:8080/hello.txt */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <time.h>

static int finished;

static void on_done(void *user_data, httpx_task *task, httpx_response *r) {
    const char *what = (const char *)user_data;
    (void)task;
    if (r->error) printf("%s: failed: %s\n", what, r->error_message);
    else printf("%s: %d, %zu bytes\n", what, r->status_code, r->content_length);
    finished++;                          /* the task is freed when this returns */
}

static void render_frame(void) {         /* stands in for the game's work: ~4 ms */
    struct timespec ts = {0, 4 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080/hello.txt";
    httpx_client *c = httpx_client_new(NULL);
    int frames = 0;

    if (!c) return 2;
    httpx_client_start(c, "GET", url, &(httpx_opts){ .on_done = on_done, .user_data = "level data" });
    httpx_client_start(c, "GET", url, &(httpx_opts){ .on_done = on_done, .user_data = "player profile" });
    httpx_client_start(c, "POST", url, &(httpx_opts){ .json = "{\"score\": 42}", .on_done = on_done,
                                                      .user_data = "score upload" });
    while (finished < 3 && frames < 5000) {  /* the game's main loop */
        httpx_client_poll(c, 0);             /* never waits */
        render_frame();
        frames++;
    }
    printf("%d requests done in %d frames\n", finished, frames);
    httpx_client_free(c);
    return finished == 3 ? 0 : 1;
}
