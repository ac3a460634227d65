/* engine_internal.h: the engine: requests, exchanges, connections, protocols, the loop, the faces.
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__ENGINE_INTERNAL_H
#define HTTPX__ENGINE_INTERNAL_H
#include "internal.h"
#include "url_internal.h"
#include "headers_internal.h"
#include "h1_internal.h"
#include "net_internal.h"
#include "multipart_internal.h"
#include "dns_internal.h"
#include "tls_internal.h"
#include "proxy_internal.h"
/* ==== The engine: requests, exchanges, connections, protocols, the loop ====
   Layers, bottom up (README's architecture section tells the story):
   - a connection (conn.c) owns its socket and its setup: resolving ->
     connecting -> TLS -> ready; exchanges wait on it; when it is ready it
     gets a protocol, which then serves exchanges on it;
   - a protocol (h1_proto.c: HTTP/1.1) sits in the connection's slot: it
     says whether the connection can take another exchange, sends requests,
     reads responses and hands each head to the response through one door
     (httpx__exchange_head), and gives body bytes when asked;
   - the loop (loop.c) polls connections, not requests (idle pooled ones
     too), steps them on readiness and deadlines, and places queued
     exchanges on connections;
   - the response (response.c) listens to its exchange through a sink:
     the door every head comes through, the body kept, streamed or dropped;
   - transports (hop.c's network one: the pool and the slot; app.c's app and mock) carry
     a hop's exchange; one hop (hop.c) builds, sends, follows redirects and
     publishes for both faces (client.c blocking, task.c tasks).
   Calls go down, callbacks go up: exchange.c reaches the response through
   the sink it installed (head, wake, end), the loop reaches the task face
   through the hooks it installed on the client (httpx__face_hooks). */

/* ---- the request value (request.c) ---- */

#define HTTPX__REQ_INLINE_FIELDS 16
/* The public httpx_req is this value: what a mock handler and
   httpx_response_request see. */
typedef struct httpx_req {
    char method[32];
    httpx__url url;                 /* views into the response's url_text */
    const char *url_text;           /* the whole URL (the response's url_text) */
    /* The fields to send, merged from the defaults, the client's headers, the
       request's and auth, without Content-Length/Transfer-Encoding (each
       protocol frames the body itself). A caller's Host, if any, is here;
       otherwise the protocol derives it from url. */
    httpx_headers headers;
    httpx__field inline_fields[HTTPX__REQ_INLINE_FIELDS];
    char inline_text[1024];
    bool has_host;
    /* the body source */
    const char *body;               /* in memory: content, json, urlencoded form */
    size_t body_len;
    httpx__multipart *multipart;
    httpx_read_fn upload;
    void *upload_user_data;
    long long body_length;          /* bytes when known, -1 unknown (HTTP/1.1: chunked) */
    const char *content_type;       /* of the body, unless the caller sets one */
    bool has_body;
    bool replayable;                /* the body can be produced again: none or in memory */
    bool idempotent;
    bool head;                      /* a HEAD request: no response body */
    bool strip_credentials;         /* redirected to another origin: no Authorization,
                                       Cookie, Proxy-Authorization or caller Host */
} httpx__request;

/* ---- digest authentication (digest.c) and the auth flow's state ---- */

enum { HTTPX__DIGEST_MD5, HTTPX__DIGEST_SHA256 };
enum { HTTPX__DIGEST_QOP_NONE, HTTPX__DIGEST_QOP_AUTH, HTTPX__DIGEST_QOP_AUTH_INT };
/* A challenge to answer, as the server's WWW-Authenticate gave it. */
typedef struct httpx__digest {
    int alg;                        /* HTTPX__DIGEST_MD5 or _SHA256 */
    bool sess;                      /* the -sess variant */
    int qop;                        /* the one we chose of those offered */
    bool stale, userhash, has_opaque;
    httpx__buf realm, nonce, opaque;   /* NUL-terminated */
    unsigned long nc;               /* answers sent with this nonce */
} httpx__digest;
HTTPX__PRIVATE void httpx__digest_free(httpx__digest *d);
HTTPX__PRIVATE int httpx__digest_parse(httpx__digest *d, const char *value, bool body_known, httpx__err *e);
HTTPX__PRIVATE const char *httpx__digest_algorithm_name(const httpx__digest *d);
HTTPX__PRIVATE bool httpx__digest_answer(httpx__buf *out, httpx__digest *d, const char *user, const char *password,
                                         const char *method, const char *uri, const char *body, size_t body_len,
                                         const char *cnonce);

/* One request's auth flow (auth_flow.c), kept in its response. */
typedef struct httpx__auth_state {
    httpx__digest digest;           /* the last challenge (digest auth) */
    bool digest_ready;              /* digest holds a challenge to answer */
    bool digest_sent;               /* the last round carried an answer */
    bool stale_retried;             /* stale=true was answered once already */
    int rounds;                     /* rounds sent again so far */
} httpx__auth_state;

/* netrc.c: the text of the .netrc file (NETRC, else ~/.netrc) into text;
   false when there is none (or it is too large, or memory ran out). */
HTTPX__PRIVATE bool httpx__netrc_load(httpx__buf *text);
/* The login and password that .netrc text gives for host (the machine
   entry, else default). False when there is none. */
HTTPX__PRIVATE bool httpx__netrc_find(const char *text, size_t len, const char *host, size_t host_len,
                                      httpx__buf *login, httpx__buf *password);

/* The resolved settings of one request: the request's options over the
   client's, in one place (httpx__settings_resolve). */
typedef struct httpx__settings {
    httpx_timeout timeout;          /* seconds, <0: none */
    bool follow_redirects;
    int max_redirects;
    size_t max_body_size;
    httpx_auth auth;                /* the auth to apply: kind NONE for none */
    bool auth_from_client;          /* auth is the client's (its header is prebuilt) */
} httpx__settings;

/* Reads the next piece of the body from *off: >0 bytes, 0 the end, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__request_body_read(httpx__request *q, size_t *off, char *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE void httpx__request_free(httpx__request *q);

/* ---- exchanges: one request and its response on a connection ---- */

typedef struct httpx__conn httpx__conn;
typedef struct httpx__exchange httpx__exchange;
typedef struct httpx__response httpx__response;
typedef struct httpx__body_decode httpx__body_decode;   /* body_decode.c */

enum httpx__ex_state {
    HTTPX__EX_IDLE,             /* not started (a task behind max_in_flight) or between redirects */
    HTTPX__EX_QUEUED,           /* waiting for the pool to give it a connection */
    HTTPX__EX_ATTACHED,         /* waiting on a connection that is being set up */
    HTTPX__EX_SENDING,          /* the protocol sends the request */
    HTTPX__EX_RECV_HEAD,        /* ... and waits for the response head */
    HTTPX__EX_BODY,             /* the head is in; body bytes come through httpx__exchange_read */
    HTTPX__EX_DONE              /* ended, successfully or not; off its connection */
};

/* HTTP/1.1's state of an exchange: the response being read (the sans-IO
   receive side) and how far the request went out. */
typedef struct httpx__h1_ex {
    httpx__h1_resp resp;
    size_t body_off;                /* request body bytes produced so far */
    bool body_sent;                 /* the request body is all queued */
    bool early;                     /* the server answered before the request was all sent */
} httpx__h1_ex;

#ifndef HTTPX_NO_HTTP2
/* HTTP/2's state of an exchange: its stream. */
typedef struct httpx__h2_ex {
    uint32_t id;                    /* the stream, 0 before it is opened */
    httpx__buf in;                  /* body bytes received, not yet read (at most a window) */
    size_t in_off;
    httpx__buf stage;               /* a piece of a streamed request body waiting for window */
    size_t stage_off;
    size_t body_off;                /* request body bytes produced so far */
    bool body_sent;                 /* END_STREAM is queued */
    bool ended;                     /* the server's side ended cleanly */
    bool wake;                      /* news for the layer above, delivered after the events */
    httpx__err err;                 /* a stream error to report (code 0: none) */
} httpx__h2_ex;
#endif

/* A final response head, as a protocol hands it up: views valid during the
   call only. The body length is parsed once, by the protocol. */
typedef struct httpx__head {
    int status;
    const char *version;            /* "HTTP/1.1", "HTTP/1.0", "HTTP/2" (static) */
    const char *reason;
    size_t reason_len;
    const httpx__field_view *fields;
    size_t nfields;
    long long expected_length;      /* the body's length when known (0: none), else -1 */
    /* the facts of the connection that carried it, as values (exchange.c
       fills them; a transport without a connection leaves them empty) */
    bool connection_reused;
    const char *tls_version, *tls_cipher, *alpn;   /* static text or NULL */
} httpx__head;

/* What the layer above an exchange installs to hear of it: the protocols
   and the connection are below it and reach it only through these. */
typedef struct httpx__exchange_sink {
    /* The final head (ex is in BODY). HTTPX_OK, or why it is refused (too
       large, out of memory): the protocol then ends ex with that error. */
    httpx_error (*head)(httpx__exchange *ex, const httpx__head *h, httpx__err *e);
    /* Body bytes, the end or an error wait: pull with httpx__exchange_read. */
    void (*wake)(httpx__exchange *ex);
    /* ex ended (DONE, off its connection): e NULL for success, else why. */
    void (*end)(httpx__exchange *ex, httpx__err *e);
} httpx__exchange_sink;

struct httpx__exchange {
    enum httpx__ex_state state;
    httpx_client *client;
    httpx__response *resp;          /* the response it fills (the layer above) */
    httpx__request *req;
    httpx__conn *conn;              /* while attached or being served */
    httpx__exchange *conn_next;     /* the connection's waiters or the exchanges it serves */
    httpx__exchange *live_prev, *live_next;  /* the client's exchanges in flight */
    httpx_timeout timeout;          /* resolved: seconds, <0 none */
    double deadline;                /* when the current wait fails (0: none) */
    httpx_error timeout_error;      /* which timeout that wait is */
    double total_deadline;          /* when the whole request fails (timeout.total; 0: none),
                                       set at the first submit, kept across redirects */
    double started;
    bool live;                      /* on the client's list */
    bool reused;                    /* its connection served before: a failure before any
                                       response byte may be a stale connection */
    bool retried;
    bool setup_failed;              /* it ended because its connection could not be set up:
                                       no byte of it went (a connection retry may resend it) */
    double not_before;              /* a retry's wait: the pool places it from then on (0: now) */
    bool stream;                    /* the caller pulls the body (httpx_read) */
    bool readable;                  /* the protocol has news for a stream reader */
    const httpx__exchange_sink *sink;   /* the layer above (the response) */
    union {                         /* the protocol's part: one of them, never both */
        httpx__h1_ex h1;
#ifndef HTTPX_NO_HTTP2
        httpx__h2_ex h2;
#endif
    } proto;
};

/* exchange.c: the one owner of ex->state. Every change goes through here
   and is asserted against the table of legal transitions. */
HTTPX__PRIVATE void httpx__exchange_set_state(httpx__exchange *ex, enum httpx__ex_state to);
/* The exchange waits now, for at most seconds (<0: no limit); which: the
   error when that runs out. The one place protocols arm timeouts. */
HTTPX__PRIVATE void httpx__exchange_wait(httpx__exchange *ex, double seconds, httpx_error which);
/* Whether ex may go out again on another connection: not retried yet, a
   body that can be produced again, and idempotent when need_idempotent
   (the server may have acted on it). The protocols decide when it applies. */
HTTPX__PRIVATE bool httpx__exchange_may_retry(const httpx__exchange *ex, bool need_idempotent);
/* A response sets up its exchange: IDLE, listened to through sink. */
HTTPX__PRIVATE void httpx__exchange_init(httpx__exchange *ex, const httpx__exchange_sink *sink);
/* The one door through which every response head reaches its response:
   ex goes to BODY and the sink takes the head. HTTPX_OK or why the head is
   refused: the protocol then ends the exchange with that error. */
HTTPX__PRIVATE httpx_error httpx__exchange_head(httpx__exchange *ex, const httpx__head *h, httpx__err *e);
/* The protocol has body bytes (or the end, or an error) for ex: the layer
   above pulls them with httpx__exchange_read now (in-memory bodies,
   on_data) or when its reader runs (streams). */
HTTPX__PRIVATE void httpx__exchange_wake(httpx__exchange *ex);
/* Gives up on ex wherever it is (httpx__exchange_abandon) and tells the
   sink it ended with e (a timeout). */
HTTPX__PRIVATE void httpx__exchange_fail(httpx__exchange *ex, httpx__err *e);
/* Ends ex: e NULL or e->code 0 for success. Takes it off its connection. */
HTTPX__PRIVATE void httpx__exchange_end(httpx__exchange *ex, httpx__err *e);
/* Pulls body bytes: >0, 0 the end (the exchange is ended), HTTPX__AGAIN, HTTPX__BAD. */
HTTPX__PRIVATE long httpx__exchange_read(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
/* Gives up on ex wherever it is (cancel, free, a timeout): off the pool
   queue, off a connection being set up (which goes on for the others), or
   its protocol cancels it (HTTP/1.1: closes the connection). */
HTTPX__PRIVATE void httpx__exchange_abandon(httpx__exchange *ex);
/* Puts ex in the pool queue and on the client's live list. */
HTTPX__PRIVATE void httpx__exchange_submit(httpx__exchange *ex);
/* Takes ex off conn and back to the pool queue, once: the request was never
   processed (a dead pooled connection, a refused stream). The protocol has
   freed its own state of ex already. */
HTTPX__PRIVATE void httpx__exchange_requeue(httpx__conn *conn, httpx__exchange *ex);
HTTPX__PRIVATE void httpx__live_remove(httpx__exchange *ex);

/* ---- connections and their protocol slot ---- */

enum httpx__conn_state {
    HTTPX__CONN_RESOLVING,      /* the host name, without blocking (dns.c) */
    HTTPX__CONN_CONNECTING,     /* the stack of streams sets itself up: a TCP connect
                                   (the addresses in turn) or a Unix socket's, then TLS */
    HTTPX__CONN_READY,          /* a protocol serves exchanges (or it is idle in the pool) */
    HTTPX__CONN_CLOSED          /* failed or closed: freed by the loop */
};

/* The protocol slot, closed at both ends: the connection knows a protocol
   only through these, and keeps its state as an opaque pointer
   (conn->proto_state); a protocol reaches exchanges through exchange.c and
   their sinks. The client's table (httpx_client.protocols) lists the
   protocols a connection may choose from, most preferred first. */
typedef struct httpx__proto {
    const char *name;
    bool multiplex;                 /* serves many exchanges at once: exchanges wait for
                                       a connection that may speak it rather than open
                                       their own, and traffic on it while idle is normal */
    /* Whether conn may come to speak it, by the client's options (asked
       while it is set up: TLS offers it by ALPN, exchanges wait on it). */
    bool (*offered)(const httpx__conn *conn);
    /* Whether the ready conn speaks it: ALPN chose it, or prior knowledge. */
    bool (*chosen)(const httpx__conn *conn);
    /* conn is ready and speaks it: makes conn->proto_state (NULL: nothing to make). */
    httpx_error (*start)(httpx__conn *conn, httpx__err *e);
    /* conn closes: says goodbye if it can, frees conn->proto_state (NULL: nothing). */
    void (*free)(httpx__conn *conn);
    /* conn cannot take another exchange now, but will without a new
       connection (streams finish): an exchange waits for it. */
    bool (*worth_waiting)(const httpx__conn *conn);
    /* Whether the connection can take another exchange now. */
    bool (*can_take)(const httpx__conn *conn);
    /* Starts serving ex (state SENDING). Errors end ex. */
    void (*submit)(httpx__conn *conn, httpx__exchange *ex);
    /* On readiness (revents) or with none to go on: sends, reads, parses,
       wakes exchanges. Idle connections too: a server's close or stray
       bytes end an idle HTTP/1.1 connection. */
    void (*step)(httpx__conn *conn, short revents);
    /* Body bytes of ex: >0, 0 the end, HTTPX__AGAIN, HTTPX__BAD. */
    long (*read_body)(httpx__conn *conn, httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
    /* Gives up on ex (HTTP/1.1: the connection closes). */
    void (*cancel)(httpx__conn *conn, httpx__exchange *ex);
    /* ex is off the protocol: it was served fully or failed. */
    void (*release)(httpx__conn *conn, httpx__exchange *ex, bool reusable);
} httpx__proto;

/* Where a connection goes: the stack of streams it is made of, and the
   pool's key (exchanges whose URLs have the route of a connection may use
   it; httpx__route_is_for compares without building a string). */
typedef struct httpx__route {
    char host[256];                 /* the origin's host: what DNS resolves (unless uds), the
                                       TLS name (SNI, verification), messages */
    int port;
    bool tls;                       /* https: TLS over the bottom stream */
    const char *uds;                /* dial this Unix domain socket instead of host:port (the
                                       client's copy of httpx_client_opts.uds); NULL: TCP */
    const httpx__proxy *proxy;      /* the proxy to go through (the client's; its pointer is its
                                       identity in the key), NULL: direct. Its streams stand
                                       under TLS in the stack (proxy.c) */
} httpx__route;

struct httpx__conn {
    httpx__conn *next;              /* the client's list of every connection */
    httpx_client *client;
    enum httpx__conn_state state;
    httpx__route route;             /* where it goes; the pool's key */
    httpx__dns *dns;                /* while resolving */
    unsigned char origin_ip[16];    /* socks5://: the origin's address, resolved here before */
    int origin_ip_len;              /* the proxy's name (4 or 16; 0: not yet) */
    httpx__stream *io;              /* the top of its stack of streams, from CONNECTING on */
    double connect_timeout;         /* seconds, <0 none: covers DNS, connect and TLS */
    double setup_deadline;          /* when the whole setup fails */
    double deadline;                /* the current setup wait (next address, DNS retry) */
    const httpx__proto *proto;      /* set when ready */
    httpx__exchange *waiters;       /* exchanges waiting on its setup, oldest first */
    httpx__exchange *active;        /* exchanges its protocol serves (HTTP/1.1: at most one) */
    httpx__buf in;                  /* received bytes; in_off..len not yet consumed */
    size_t in_off;
    httpx__buf out;                 /* bytes to send; out_off..len not yet sent */
    size_t out_off;
    double idle_since;
    bool served;                    /* it served an exchange before (reuse) */
    void *proto_state;              /* the protocol's own (its start and free) */
    short want;                     /* poll events it waits for */
    int poll_index;                 /* its place in the loop's pollfd array, -1 none */
};

/* The slots (h1_proto.c, h2_proto.c); HTTP/2's is NULL under HTTPX_NO_HTTP2.
   Only the code that fills a client's protocol table names them. */
HTTPX__PRIVATE const httpx__proto *httpx__h1_protocol(void);
HTTPX__PRIVATE const httpx__proto *httpx__h2_protocol(void);
#define HTTPX__MAX_PROTOCOLS 4

/* Finds a ready connection of the origin that can take ex, or attaches ex
   to one being set up, or starts a new one (within limits). Returns false
   when ex has to wait for the pool. Errors end ex. */
HTTPX__PRIVATE bool httpx__pool_place(httpx_client *c, httpx__exchange *ex);
HTTPX__PRIVATE void httpx__conn_close(httpx__conn *conn);
/* Frees a connection the loop found closed. */
HTTPX__PRIVATE void httpx__conn_free(httpx__conn *conn);
HTTPX__PRIVATE void httpx__conn_step(httpx__conn *conn, short revents);
/* Makes a pooled connection of url's origin from a stream that is already
   connected (and takes the stream): the seam where transports that are not
   a TCP connect (a socketpair in the tests; later tunnels, Unix sockets,
   in-process apps) enter the pool. tls: run TLS over it first. */
#ifdef HTTPX__TEST_HOOKS
HTTPX__PRIVATE httpx_error httpx__conn_adopt(httpx_client *c, const char *url, httpx__stream *s, bool tls, httpx__err *e);
#endif
/* The socket to poll (conn->want the events; 0: nothing to poll now). */
HTTPX__PRIVATE httpx__sock httpx__conn_fd(const httpx__conn *conn);
/* An idle connection: the exchange is done with it. */
HTTPX__PRIVATE void httpx__conn_idle(httpx__conn *conn);
HTTPX__PRIVATE void httpx__conn_detach(httpx__conn *conn, httpx__exchange *ex);
/* Receives into conn->in (reserving room first; the unconsumed tail moves
   to the front when the buffer would have to grow, so a stream of small
   messages cannot grow it): >0 bytes, 0 closed, HTTPX__AGAIN, HTTPX__BAD. */
#define HTTPX__CONN_RECV_CHUNK 16384
HTTPX__PRIVATE long httpx__conn_fill(httpx__conn *conn, httpx__err *e);
/* Bytes in and out through the connection's stream (conn->want updated). */
HTTPX__PRIVATE long httpx__conn_send(httpx__conn *conn, const void *p, size_t n, httpx__err *e);
HTTPX__PRIVATE long httpx__conn_recv(httpx__conn *conn, void *p, size_t n, httpx__err *e);

/* ---- the response, its client, tasks ---- */

/* What the policy layer sends a hop through (hop.c): an exchange-level
   transport. The network one is the pool and the protocol slot (submit
   queues for a connection); the app and mock ones (app.c) call a handler in process. Either way
   the head reaches the response through the one door (httpx__exchange_head,
   then the response's sink)
   and the body comes through read. */
typedef struct httpx__transport {
    const char *name;
    /* Sends ex's request (ex->req, built). News comes through the door and
       httpx__exchange_wake; errors end ex. */
    void (*submit)(httpx__exchange *ex);
    /* Body bytes: >0, 0 the end (ex ended), HTTPX__AGAIN, HTTPX__BAD (ex ended with e). */
    long (*read)(httpx__exchange *ex, char *buf, size_t cap, httpx__err *e);
    /* Gives up on ex wherever it is (a timeout, a limit, the caller's free). */
    void (*cancel)(httpx__exchange *ex);
    /* Frees what the transport keeps for the response (NULL: nothing). */
    void (*release)(httpx__response *r);
} httpx__transport;

/* The answer of an app or mock handler being built (app.c). */
struct httpx_app_response {
    int status;
    httpx_headers headers;
    httpx__buf body;                /* bytes written (httpx_reply_body, httpx_reply_write) */
    size_t body_off;                /* how much of body was read */
    httpx_app_body_fn producer;     /* the rest of the body, pulled as the reader reads; NULL none */
    void *producer_user_data;
    long long producer_length;      /* bytes it will give, -1 unknown */
    long long expected;             /* the whole body's length as the head announced it, -1 unknown */
    long long delivered;            /* body bytes handed to the reader */
    httpx__request *req;            /* while the handler runs: the request whose body it may read */
    size_t req_off;                 /* how far httpx_app_read_body read it */
    httpx_error req_error;          /* reading it failed (the caller's upload): the request fails */
    httpx__err err;                 /* httpx_reply_error, a refused header or argument, NOMEM */
};

/* What a face that keeps tasks installs on its client, so that the loop
   (below the faces) can call up around a pass without naming them. */
typedef struct httpx__face_hooks {
    void (*admit)(httpx_client *c);         /* move waiting tasks into flight */
    bool (*due)(const httpx_client *c);     /* a task waits to be reported: do not wait in poll */
    void (*settle)(httpx_client *c);        /* report the tasks that ended (redirects followed) */
} httpx__face_hooks;

#define HTTPX__INLINE_FIELDS 24
struct httpx__response {
    httpx_response pub;             /* first: the public view is a cast away */
    httpx__exchange ex;
    httpx__request req;
    httpx__settings set;
    httpx_client *client;
    httpx_client *owned_client;     /* one-shot calls free their client with the response */
    const httpx_opts *opts;         /* the caller's options (never NULL: points at zeros) */
    httpx_headers headers;
    httpx__field inline_fields[HTTPX__INLINE_FIELDS];
    char inline_text[2048];         /* header text of most responses */
    httpx__buf url_text;            /* the absolute request URL, NUL-terminated */
    char url_inline[512];
    httpx__buf body;
    httpx__buf form;                /* an urlencoded form body */
    httpx__buf body_copy;           /* a task's copy of an in-memory request body */
    httpx__buf scratch;             /* text() conversion, read_line() lines */
    httpx__buf status_text;         /* httpx_raise_for_status's words (a URL can be long) */
    size_t line_used;               /* read_line: bytes of scratch to drop on the next call */
    char errmsg[240];
    int redirects;
    bool draining_redirect;         /* a redirect's (or a retried answer's) body is read
                                       (bounded) and dropped */
    /* retries (retry.c) */
    int conn_retries, status_retries;   /* resends made so far, for the whole request */
    bool retry_status;              /* this hop's answer is to be retried (its body is dropped) */
    double retry_wait;              /* ... after this many seconds */
    size_t redirect_body;           /* bytes of it dropped so far */
    /* a nonblocking task (httpx_client_start) */
    bool is_task;
    bool started;                   /* past the max_in_flight queue */
    bool finished;                  /* done and reported (on_done called) */
    httpx__response *task_prev, *task_next;   /* the client's list of tasks */
    httpx_opts opts_copy;           /* a task's own copy of the options */
    char *opts_store;               /* the strings and arrays that copy points into */
    /* the hop (hop.c) */
    const httpx__transport *transport;
    struct httpx_app_response *app; /* the app or mock transport's reply (made on first use) */
    httpx__buf sent_body;           /* a streamed request body as the mock read it */
    /* the policy's memory hung on a response (hop_cookies.c, history.c,
       links.c): made on first use; each maker installs its free */
    bool cookies_taken;             /* this hop's Set-Cookie fields are in the jar */
    struct httpx__history *history; /* r.history and r.next_request's URL */
    struct httpx__links *links;     /* r.links, parsed on first use */
    void (*free_history)(httpx__response *r);
    void (*free_links)(httpx__response *r);
    /* the face that made it: called first when it is freed (a task leaves
       its client's list), and with the one-shot client it owns, last */
    void (*on_free)(httpx__response *r);
    void (*free_owned)(httpx_client *c);
    /* httpx_text, httpx_read_text, httpx_json (text.c, json.c): made on first
       use, freed with the response by httpx__views_free */
    struct httpx__views *views;
    httpx__auth_state auth;         /* the auth flow's rounds (auth_flow.c) */
    /* Content-Encoding being undone (body_decode.c): NULL when the body
       passes as it came (none, identity, raw, no body) */
    httpx__body_decode *decode;
};

struct httpx_client {
    httpx_client_opts opts;         /* defaults applied; strings below are our own copies */
    httpx__buf base_url;
    httpx_pair *headers, *params;   /* deep copies, {0}-terminated */
    char *strings;                  /* storage of those copies */
    httpx__conn *conns;
    int num_conns;
    httpx__buf auth_header;         /* the Authorization value from opts.auth, or empty */
    httpx__buf netrc;               /* the .netrc text (trust_env), read at the first request
                                       that could use it, then kept, as HTTPX's client does */
    bool netrc_read;
    httpx_cookies *jar;             /* the cookie jar (hop_cookies.c); NULL: none */
    bool jar_owned;                 /* the client's own (not opts.cookie_jar): freed with it */
    httpx__tls_config *tls;         /* made at the first https request */
    httpx__dns_config dns;
    bool oneshot;                   /* the private client of one httpx_get() & co. */
    httpx__exchange *live, *live_tail;  /* exchanges in flight (queued ones first come first) */
    httpx__response *tasks, *tasks_tail;  /* nonblocking tasks, oldest first */
    const httpx__face_hooks *face;  /* installed by the task face at its first task */
    int tasks_started, tasks_total, tasks_done;
    int polling;                    /* inside the loop: callbacks run there */
    httpx__response *callback_task; /* the task whose on_done runs */
    httpx__err config_error;        /* a client option that makes no sense: every request fails with it */
    char *hook_store;               /* the copies of opts.request_hooks/response_hooks (hooks.c) */
    httpx__proxies proxies;         /* from the options or the environment (proxy_env.c) */
    struct pollfd *pollfds;         /* the loop's array, reused */
    int pollfds_cap;
    int retry_statuses[17];         /* httpx_client_opts.retry's statuses, 0-terminated */
    int local_ip_len;               /* local_address: 4 or 16 bytes of local_ip, 0 none */
    unsigned char local_ip[16];
    /* what a connection may speak, most preferred first, NULL-terminated */
    const httpx__proto *protocols[HTTPX__MAX_PROTOCOLS + 1];
};

/* request.c */
HTTPX__PRIVATE httpx_error httpx__request_build(httpx__response *r, httpx__err *e);
/* hooks.c: the client's event hooks (>>hooks) */
HTTPX__PRIVATE bool httpx__hooks_copy(httpx_client *c);     /* false: out of memory */
HTTPX__PRIVATE void httpx__hooks_free(httpx_client *c);
/* Calls the request hooks on r's request before a hop goes; an error (e
   says why, naming the hook) means the hop must not be sent. */
HTTPX__PRIVATE httpx_error httpx__hooks_request(httpx__response *r, httpx__err *e);
/* Calls the response hooks once r's head is in; an error ends the exchange. */
HTTPX__PRIVATE httpx_error httpx__hooks_response(httpx__response *r, httpx__err *e);
/* body_decode.c: Content-Encoding undone at the door.
   Honest bodies rarely grow past 100 times (text 3-20, zeros near the
   deflate maximum of 1032); a bomb grows 1032 times a layer. */
#define HTTPX__DECOMPRESSION_RATIO_DEFAULT 200
/* Where no decoder is set up (r->decode NULL) only start and free may be
   called. */
/* On a final head (status): sets r->decode up for its Content-Encoding, or
   leaves it NULL (nothing to undo, httpx_opts.raw, no body). A coding it
   cannot undo: HTTPX_ERR_DECODING. */
HTTPX__PRIVATE httpx_error httpx__body_decode_start(httpx__response *r, int status, httpx__err *e);
HTTPX__PRIVATE void httpx__body_decode_free(httpx__response *r);
/* Where decoded bytes go on the push face: HTTPX_OK, or why to stop. */
typedef httpx_error (*httpx__decode_sink)(httpx__response *r, const char *p, size_t n, httpx__err *e);
/* Wire bytes in, decoded bytes to sink: HTTPX_OK or the error (the sink's,
   or HTTPX_ERR_DECODING for corrupt data and the ratio limit). */
HTTPX__PRIVATE httpx_error httpx__body_decode_push(httpx__response *r, const char *p, size_t n,
                                                  httpx__decode_sink sink, httpx__err *e);
/* The pulled face: read wire bytes into the buffer httpx__body_decode_wire
   gives (cap bytes), hand them in with httpx__body_decode_input(n), pull
   decoded bytes (>0; 0: give more wire bytes or it ended; HTTPX__BAD). */
HTTPX__PRIVATE char *httpx__body_decode_wire(httpx__response *r, size_t *cap);
HTTPX__PRIVATE void httpx__body_decode_input(httpx__response *r, size_t n);
HTTPX__PRIVATE long httpx__body_decode_pull(httpx__response *r, char *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE bool httpx__body_decode_ended(const httpx__response *r);
/* The wire ended: HTTPX_OK when every layer is complete (or the body was
   empty), else HTTPX_ERR_DECODING (truncated). */
HTTPX__PRIVATE httpx_error httpx__body_decode_finish(httpx__response *r, httpx__err *e);
/* response.c: the response object, the door, the body sinks */
/* RFC 9110's reason phrase of a status ("" for one without): what HTTPX
   shows when the response carried none (HTTP/2, the mock). */
HTTPX__PRIVATE const char *httpx__status_reason(int status);
HTTPX__PRIVATE httpx__response *httpx__response_new(void);
/* Frees the views (text_internal.h) httpx_text and httpx_json made. */
HTTPX__PRIVATE void httpx__views_free(httpx__response *r);
/* The sink a response listens to its exchange with. */
HTTPX__PRIVATE const httpx__exchange_sink *httpx__response_sink(void);
HTTPX__PRIVATE void httpx__response_fail(httpx__response *r, httpx__err *e);
HTTPX__PRIVATE void httpx__response_publish(httpx__response *r);
/* history.c: r.history; the hop adds the response of each redirect it
   follows, before the next hop clears r. */
HTTPX__PRIVATE httpx_error httpx__history_add(httpx__response *r, httpx__err *e);
/* retry.c: the retry policy (connection failures, statuses); the resends
   are hop.c's. */
/* Reads the client's retry options (statuses, local address) when it is
   made: a value that makes no sense becomes c->config_error. */
HTTPX__PRIVATE void httpx__retry_configure(httpx_client *c, const httpx_client_opts *o);
/* At the door: whether this answer (head in r) is to be retried; sets
   r->retry_status and r->retry_wait. */
HTTPX__PRIVATE bool httpx__retry_on_head(httpx__response *r);
/* r's exchange ended: whether to resend it, and after how many seconds.
   Counts the retry and clears the failure it consumes. */
HTTPX__PRIVATE bool httpx__retry_decide(httpx__response *r, double *wait);
/* app.c: the in-process transports, a handler's answer (the mock gathers
   the request body first) */
HTTPX__PRIVATE const httpx__transport *httpx__app_transport(void);
HTTPX__PRIVATE const httpx__transport *httpx__mock_transport(void);
/* hop_cookies.c: the client's jar in each hop (nothing under HTTPX_NO_COOKIES) */
/* Makes c's jar (or takes opts.cookie_jar) with opts.cookies in it; false
   when out of memory. A misuse becomes c->config_error. */
HTTPX__PRIVATE bool httpx__client_jar_init(httpx_client *c);
HTTPX__PRIVATE void httpx__client_jar_free(httpx_client *c);
/* Before a hop goes: its Cookie header from the jar and the request's
   .cookies (unless the caller gave one). */
HTTPX__PRIVATE httpx_error httpx__hop_cookies_out(httpx__response *r, httpx__err *e);
/* A hop's head is in: its Set-Cookie fields into the jar, once per hop. */
HTTPX__PRIVATE httpx_error httpx__hop_cookies_in(httpx__response *r, httpx__err *e);
/* hop.c: one hop of the policy layer, for both faces */
HTTPX__PRIVATE const httpx__transport *httpx__network_transport(void);
/* Picks r's transport (the client's) and sends its first hop. */
HTTPX__PRIVATE void httpx__hop_send(httpx__response *r);
/* r's exchange ended: follows a redirect (sends the next hop) or publishes.
   True when r is final (published), false while a hop is in flight. */
HTTPX__PRIVATE bool httpx__hop_settle(httpx__response *r);
/* The blocking face's wait: sends r (unless it failed already) and runs the
   loop until it is final, or for a stream until the final head is in. */
HTTPX__PRIVATE void httpx__hop_run(httpx__response *r);
/* auth_flow.c: a custom or digest auth flow around each hop (hop.c calls).
   Before a hop goes: the flow edits r->req; false when it failed r (its
   exchange is then DONE). */
HTTPX__PRIVATE bool httpx__auth_flow_before(httpx__response *r);
/* r's hop ended (a stream: its head is in): true when the flow wants the
   request sent again (the hop rebuilds and resends it), false when r is
   final (or failed: too many rounds, a body that cannot be replayed). */
HTTPX__PRIVATE bool httpx__auth_flow_after(httpx__response *r);
/* client.c */
HTTPX__PRIVATE void httpx__begin(httpx__response *r, httpx_client *c, const char *method, const char *url,
                                 const httpx_opts *opt, bool stream);
HTTPX__PRIVATE size_t httpx__pairs_size(const httpx_pair *p, size_t *count);
HTTPX__PRIVATE void httpx__pairs_copy(httpx_pair *pairs, const httpx_pair *src, char **store);
/* on_debug (httpx_client_opts): a head that is already text goes as it is,
   one call, nothing done when no callback is set. */
#define HTTPX__DEBUG(c, kind, p, n)                                                    \
    do { if ((c)->opts.on_debug) (c)->opts.on_debug((c)->opts.debug_user_data, kind, p, n); } while (0)
/* loop.c: the one loop of a client. One pass: place queued exchanges, poll
   the connections (waiting at most timeout_ms, -1 none), step what is
   ready or due, within budget seconds (0: none). */
HTTPX__PRIVATE void httpx__loop_pass(httpx_client *c, int timeout_ms, double budget);
/* What a pass waits for (httpx_client_fds reports it): fds to poll, and
   *ms, how long (-1: no limit). */
HTTPX__PRIVATE int httpx__loop_wants(httpx_client *c, struct pollfd *fds, int cap, int *ms);
/* A pass over events the caller polled (httpx_client_process). */
HTTPX__PRIVATE void httpx__loop_pass_given(httpx_client *c, const struct pollfd *fds, int n);
/* Runs passes until ex is no longer in a state before `until` (a blocking
   call's wait). */
HTTPX__PRIVATE void httpx__loop_until(httpx__exchange *ex, enum httpx__ex_state until);
/* Runs passes until a stream reader has news: bytes, the end, an error. */
HTTPX__PRIVATE void httpx__loop_until_readable(httpx__exchange *ex);
HTTPX__PRIVATE double httpx__deadline_in(double seconds);   /* 0: none (seconds < 0) */

#endif /* HTTPX__ENGINE_INTERNAL_H */
