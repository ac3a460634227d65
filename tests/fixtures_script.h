/* A scripted stream for engine tests, in the shape of httpcore's
   MockBackend: a list of byte chunks the "server" hands out, one per recv
   (cut smaller with split), and a record of everything the client sent. It
   enters a client through the adoption seam (httpx__conn_adopt), so engine
   cases run without threads or sockets:

       static const char *const chunks[] = {
           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "hi", FX_WAIT,
           "HTTP/1.1 204 No Content\r\n\r\n", NULL };
       fx_script sc = { .chunks = chunks };
       httpx__conn_adopt(c, "http://script.invalid/", fx_script_stream(&sc), false, &e);

   The server speaks only after the client sent something: at the start and
   at each FX_WAIT it waits for bytes of a request (so an idle pooled
   connection sees nothing, as with a real server). After the last chunk it
   waits forever, or ends the stream (close_at_end). The loop polls fds
   only: while the script has something to hand out, the stream's fd is
   /dev/null (always ready, and no socket); while it waits, it has none. */
#ifndef HTTPX_FIXTURES_SCRIPT_H
#define HTTPX_FIXTURES_SCRIPT_H
#include "test.h"

extern const char fx_wait[];
#define FX_WAIT fx_wait

typedef struct fx_script {
    const char *const *chunks;  /* NULL-terminated; FX_WAIT: wait for the client to send */
    size_t split;               /* at most this many bytes per recv; 0: a whole chunk */
    bool close_at_end;          /* after the last chunk: end of stream (0), else wait */
    /* what happened */
    httpx__buf sent;            /* every byte the client sent */
    int recvs;                  /* recv calls that gave bytes */
    bool freed;                 /* the connection let go of the stream */
    /* the script's place */
    size_t next, off;
    bool waiting;               /* for the client to send */
} fx_script;

/* The stream that plays sc (which must outlive it). NULL: out of memory. */
httpx__stream *fx_script_stream(fx_script *sc);
/* Frees what sc recorded. */
void fx_script_free(fx_script *sc);

#endif
