/* gather: 150 requests at once from one thread, the C version of
   `await asyncio.gather(*[client.get(url) for url in urls])`.
       ./gather http://127.0.0.1:8080/hello.txt
   Each request gets "?id=N", as the seed's Pokémon fetcher does with
   /api/v2/pokemon/N; at most 20 run at a time (max_in_flight, its semaphore). */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <time.h>

#define COUNT 150

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080/hello.txt";
    httpx_client *c = httpx_client_new(&(httpx_client_opts){ .max_in_flight = 20 });
    httpx_task *tasks[COUNT];
    char id[16];
    size_t bytes = 0;
    int i, ok = 0;
    double t0, t1;

    if (!c) return 2;
    for (i = 0; i < COUNT; i++) {
        snprintf(id, sizeof id, "%d", i + 1);
        tasks[i] = httpx_client_start(c, "GET", base, &(httpx_opts){
            .params = (httpx_pair[]){ {"id", id}, {0} } });     /* copied: id may change now */
    }
    t0 = (double)clock();
    httpx_gather(c, tasks, COUNT);
    t1 = (double)clock();
    for (i = 0; i < COUNT; i++) {
        httpx_response *r = httpx_task_response(tasks[i]);
        if (r->error) fprintf(stderr, "request %d: %s\n", i + 1, r->error_message);
        else if (httpx_is_success(r)) { ok++; bytes += r->content_length; }
        httpx_task_free(tasks[i]);
    }
    printf("%d of %d requests succeeded, %zu bytes, %.1f ms of CPU\n", ok, COUNT, bytes,
           (t1 - t0) * 1000.0 / CLOCKS_PER_SEC);
    httpx_client_free(c);
    return ok == COUNT ? 0 : 1;
}
