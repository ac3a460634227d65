/* The soak: many requests through the nonblocking face (httpx_client_start,
   the client's fds in our own poll, httpx_client_process) against
   tests/soak/chaos.py, which closes, resets, cuts, stalls and sends GOAWAY
   as each request's path tells it, and closes idle connections by itself.
   HTTP/1.1 and HTTP/2 (h2c prior knowledge), and both over TLS; GETs and
   uploads (in memory, streamed with and without a length); bodies in memory
   and through on_data; some tasks cancelled while they run.

   Every request is accounted for: a verified response (length, bytes and
   CRC-32 of the body and of the upload as the server saw it) or an error,
   never a success on an answer the server cut. File descriptors come back
   to where they were; RSS stays flat after a warm-up.

   HTTPX_SOAK_REQUESTS (default 3000; `make soak`: 200000) and
   HTTPX_SOAK_SEED (default: from the clock; printed) set the run. */
#include "../test.h"
#include "../fixtures.h"
#include "../fixtures_common.h"
#include "../fixtures_tls.h"
#include <dirent.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif
#ifndef SOAK_ASAN
#define SOAK_ASAN 0
#endif

enum { A_OK, A_CLOSE, A_DROP, A_CUT, A_RESET, A_STALL, A_BADCHUNK, A_COUNT };
static const char *const action_name[A_COUNT] = {"ok", "close", "drop", "cut", "reset", "stall", "badchunk"};
enum { C_H1, C_H2C, C_TLS_H2, C_TLS_H1, C_COUNT };
static const char *const client_name[C_COUNT] = {"http/1.1", "h2c", "https (h2)", "https (http/1.1)"};
enum { UP_NONE, UP_MEMORY, UP_STREAM_LENGTH, UP_STREAM_CHUNKED };
enum { E_TIMEOUT, E_NETWORK, E_PROTOCOL, E_TLS, E_OTHER, E_KINDS };
static const char *const kind_name[E_KINDS] = {"timeout", "network", "protocol", "tls", "other"};

#define SLOTS 48
#define MAX_UP (256 * 1024)

/* ---- the run's randomness and checksums ---- */

static uint64_t rng_state;
static uint32_t rnd(void) {          /* splitmix64: seeded, the same run for the same seed */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
static uint32_t rnd_below(uint32_t n) { return rnd() % n; }

static uint32_t crc_table[256];
static void crc_init(void) {
    uint32_t i, k, c;
    for (i = 0; i < 256; i++) {
        for (c = i, k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n) {
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* The server's body: byte i is (i + id) % 251. */
static bool body_matches(const char *p, size_t n, uint32_t id, size_t off) {
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)p[i] != (unsigned char)((off + i + id) % 251)) return false;
    return true;
}

/* ---- one request ---- */

typedef struct slot {
    httpx_task *task;
    int client, action, upload;
    uint32_t id;
    size_t size, up_size, up_pos;
    unsigned char *up;              /* the upload's bytes (kept until done) */
    uint32_t up_crc;
    bool on_data;
    size_t got;                     /* on_data: bytes so far, all matching */
    uint32_t got_crc;
    bool got_bad;
    int cancel_after;               /* loop passes before httpx_task_free; -1 never */
} slot;

typedef struct tally {
    long started, ok, errors, cancelled, bad;
    long expected_ok, ok_failed;                   /* answers that should have succeeded */
    long expected_ok_h1, ok_failed_h1;             /* the same over HTTP/1.1 (plain and TLS) */
    long by_action[A_COUNT][2];                    /* [action][0 ok, 1 error] */
    long by_kind[E_KINDS], by_client[C_COUNT][2];
    long uploads, streamed_bodies, bytes_down, bytes_up;
    char first_bad[512];
} tally;

static long stream_upload(void *user, void *buf, size_t cap) {
    slot *s = (slot *)user;
    size_t n = s->up_size - s->up_pos;
    if (n > cap) n = cap;
    if (n > 7000) n = 7000;          /* several calls per body */
    memcpy(buf, s->up + s->up_pos, n);
    s->up_pos += n;
    return (long)n;
}

static int take_data(void *user, httpx_response *r, const char *data, size_t len) {
    slot *s = (slot *)user;
    (void)r;
    if (!body_matches(data, len, s->id, s->got)) s->got_bad = true;
    s->got_crc = crc32_update(s->got_crc, (const unsigned char *)data, len);
    s->got += len;
    return 0;
}

static const char *bases[C_COUNT];

static void slot_start(slot *s, httpx_client **clients, uint32_t id) {
    static const int weights[A_COUNT] = {880, 30, 20, 25, 20, 3, 22};
    static const int weights_h2[A_COUNT] = {944, 30, 1, 1, 20, 3, 1};   /* connection-wide failures rarer */
    httpx_opts o;
    char url[256];
    uint32_t pick;
    int a, avail = 0, i;
    memset(s, 0, sizeof *s);
    s->id = id;
    do s->client = (int)rnd_below(C_COUNT); while (!clients[s->client]);
    for (i = 0; i < C_COUNT; i++) avail += clients[i] != NULL;
    (void)avail;
    pick = rnd_below(1000);
    for (a = 0; a < A_COUNT; a++) {
        int w = s->client == C_H2C || s->client == C_TLS_H2 ? weights_h2[a] : weights[a];
        if (pick < (uint32_t)w) break;
        pick -= (uint32_t)w;
    }
    s->action = a < A_COUNT ? a : A_OK;
    pick = rnd_below(100);
    s->size = pick < 70 ? rnd_below(2000) : pick < 95 ? 2000 + rnd_below(68000) : 70000 + rnd_below(230000);
    if (s->action == A_CUT || s->action == A_RESET || s->action == A_BADCHUNK) s->size += 2;   /* something to cut */
    s->upload = rnd_below(10) < 4 ? 1 + (int)rnd_below(3) : UP_NONE;
    s->on_data = rnd_below(5) == 0;
    s->cancel_after = rnd_below(50) == 0 ? (int)rnd_below(4) : -1;
    memset(&o, 0, sizeof o);
    if (s->upload) {
        size_t i2;
        s->up_size = rnd_below(4) == 0 ? rnd_below(MAX_UP) : rnd_below(3000);
        s->up = (unsigned char *)malloc(s->up_size + 1);
        for (i2 = 0; i2 < s->up_size; i2++) s->up[i2] = (unsigned char)(i2 * 3 + id);
        s->up_crc = crc32_update(0, s->up, s->up_size);
        if (s->upload == UP_MEMORY) {
            o.content = s->up_size ? (const void *)s->up : (const void *)"";
            o.content_length = s->up_size;
            if (!s->up_size) s->upload = UP_NONE;     /* content "" with length 0: no body */
        } else {
            o.upload = stream_upload;
            o.upload_user_data = s;
            o.upload_length = s->upload == UP_STREAM_LENGTH ? (long long)s->up_size : 0;
            if (s->upload == UP_STREAM_LENGTH && !s->up_size) s->upload = UP_STREAM_CHUNKED;
        }
    }
    if (s->on_data) {
        o.on_data = take_data;
        o.user_data = s;
    }
    snprintf(url, sizeof url, "%s/c/%s/%lu/%lu", bases[s->client], action_name[s->action], (unsigned long)id,
             (unsigned long)s->size);
    s->task = httpx_client_start(clients[s->client], s->upload ? "POST" : "GET", url, &o);
}

static int error_kind(httpx_error e) {
    if (httpx_is_timeout(e)) return E_TIMEOUT;
    if (httpx_is_network_error(e)) return E_NETWORK;
    if (httpx_is_protocol_error(e)) return E_PROTOCOL;
    if (e == HTTPX_ERR_TLS) return E_TLS;
    return E_OTHER;
}

static unsigned long header_ul(const httpx_response *r, const char *name, int base) {
    const char *v = httpx_header(r, name);
    return v ? strtoul(v, NULL, base) : (unsigned long)-1;
}

/* Why a successful response is wrong ("" when it is right). */
static const char *check_success(const slot *s, const httpx_response *r, char *why, size_t cap) {
    size_t len = s->on_data ? s->got : r->content_length;
    uint32_t crc = s->on_data ? s->got_crc : crc32_update(0, (const unsigned char *)r->content, r->content_length);
    why[0] = 0;
    if (s->action != A_OK && s->action != A_CLOSE)
        snprintf(why, cap, "a success on an answer the server broke (%s): %zu of %zu bytes", action_name[s->action],
                 len, s->size);
    else if (r->status_code != 200) snprintf(why, cap, "status %d", r->status_code);
    else if (header_ul(r, "x-id", 10) != s->id) snprintf(why, cap, "x-id %s", httpx_header(r, "x-id"));
    else if (len != s->size) snprintf(why, cap, "%zu body bytes, %zu sent", len, s->size);
    else if (s->on_data ? s->got_bad : !body_matches(r->content, len, s->id, 0)) snprintf(why, cap, "body bytes differ");
    else if (header_ul(r, "x-crc", 16) != crc) snprintf(why, cap, "body CRC differs");
    else if (header_ul(r, "x-up-len", 10) != (s->upload ? s->up_size : 0))
        snprintf(why, cap, "the server got %s upload bytes of %zu", httpx_header(r, "x-up-len"), s->up_size);
    else if (s->upload && header_ul(r, "x-up-crc", 16) != s->up_crc) snprintf(why, cap, "upload CRC differs");
    return why;
}

static void slot_account(slot *s, tally *t, bool cancelled) {
    httpx_response *r = cancelled ? NULL : httpx_task_response(s->task);
    bool expect_ok = s->action == A_OK || s->action == A_CLOSE;
    char why[300];
    if (cancelled) t->cancelled++;
    else if (!r) {
        t->bad++;
        if (!t->first_bad[0]) snprintf(t->first_bad, sizeof t->first_bad, "request %lu: done without a response", (unsigned long)s->id);
    } else if (r->error == HTTPX_OK) {
        if (*check_success(s, r, why, sizeof why)) {
            t->bad++;
            if (!t->first_bad[0])
                snprintf(t->first_bad, sizeof t->first_bad, "request %lu (%s, %s, upload %d, on_data %d): %s",
                         (unsigned long)s->id, client_name[s->client], action_name[s->action], s->upload, s->on_data, why);
        }
        t->ok++;
        t->by_action[s->action][0]++;
        t->by_client[s->client][0]++;
        t->bytes_down += (long)s->size;
        t->bytes_up += s->upload ? (long)s->up_size : 0;
    } else {
        t->errors++;
        t->by_action[s->action][1]++;
        t->by_client[s->client][1]++;
        t->by_kind[error_kind(r->error)]++;
        if (expect_ok) {
            t->ok_failed++;
            t->ok_failed_h1 += s->client == C_H1 || s->client == C_TLS_H1;
            if (getenv("HTTPX_SOAK_VERBOSE"))
                fprintf(stderr, "soak: %lu %s %s: %s\n", (unsigned long)s->id, client_name[s->client],
                        action_name[s->action], r->error_message);
        }
    }
    if (!cancelled) {
        t->expected_ok += expect_ok;
        t->expected_ok_h1 += expect_ok && (s->client == C_H1 || s->client == C_TLS_H1);
        t->uploads += s->upload != UP_NONE;
        t->streamed_bodies += s->on_data;
    }
    httpx_task_free(s->task);
    free(s->up);
    memset(s, 0, sizeof *s);
}

/* ---- the process ---- */

static long rss_kb(void) {
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = -1;
    fclose(f);
    return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static int open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;                    /* the directory's own */
}

static fxc_proc chaos = FXC_PROC_INIT;
static void chaos_stop(void) { fxc_proc_stop(&chaos); }

/* Starts chaos.py once; its four ports (the TLS ones 0 when it has no certificate). */
static bool chaos_ports(unsigned long seed, int ports[4]) {
    static int have = -1, saved[4];
    char line[128], seedarg[32];
    const char *cert = fxt_cert("server-rsa.pem"), *key = fxt_cert("server-rsa.key");
    char certbuf[1024], keybuf[1024];
    char *args[8];
    int k = 0;
    if (have < 0) {
        have = 0;
        snprintf(seedarg, sizeof seedarg, "%lu", seed);
        args[k++] = (char *)"--seed";
        args[k++] = seedarg;
        if (cert && key) {
            snprintf(certbuf, sizeof certbuf, "%s", cert);
            snprintf(keybuf, sizeof keybuf, "%s", key);
            args[k++] = (char *)"--cert";
            args[k++] = certbuf;
            args[k++] = (char *)"--key";
            args[k++] = keybuf;
        }
        args[k] = NULL;
        if (fxc_start_python("chaos.py", "tests/soak/chaos.py", args, &chaos, line, sizeof line, 20000, NULL, 0)) {
            if (sscanf(line, "%d %d %d %d", &saved[0], &saved[1], &saved[2], &saved[3]) == 4 && saved[0] > 0) {
                have = 1;
                fxc_at_exit(chaos_stop);
            } else {
                fxc_log("chaos.py", "no ports line: '%s'", line);
                fxc_proc_stop(&chaos);
            }
        }
    }
    memcpy(ports, saved, sizeof saved);
    return have == 1;
}

static httpx_client *soak_client(int which, const int ports[4], char *base, size_t cap) {
    httpx_client_opts o;
    memset(&o, 0, sizeof o);
    o.timeout.read = 3;              /* a stall costs this much */
    o.timeout.total = 30;            /* the net under everything: no request lives on */
    o.limits.max_connections = 64;
    o.limits.max_keepalive_connections = 16;
    o.tls.ca_file = fxt_cert("ca.pem");
    if (which == C_H2C) o.http2_prior_knowledge = true;
    if (which == C_TLS_H2) o.http2 = true;
    if ((which == C_TLS_H1 || which == C_TLS_H2) && (!ports[2] || !o.tls.ca_file)) return NULL;
    if (which == C_H2C && !ports[1]) return NULL;
    snprintf(base, cap, "%s://127.0.0.1:%d", which >= C_TLS_H2 ? "https" : "http",
             ports[which == C_H1 ? 0 : which == C_H2C ? 1 : 2]);
#ifndef HTTPX_BEARSSL
    if (which >= C_TLS_H2) return NULL;
#endif
    return httpx_client_new(&o);
}

/* One poll over every client's descriptors, then each client's work. */
static void soak_wait(httpx_client **clients) {
    struct pollfd fds[C_COUNT][256], all[C_COUNT * 256];
    int n[C_COUNT], i, j, total = 0, ms = 100;
    for (i = 0; i < C_COUNT; i++) {
        int t = -1;
        n[i] = clients[i] ? httpx_client_fds(clients[i], fds[i], 256, &t) : 0;
        if (t >= 0 && t < ms) ms = t;
        for (j = 0; j < n[i]; j++) all[total++] = fds[i][j];
    }
    poll(all, (nfds_t)total, ms);
    for (i = 0, total = 0; i < C_COUNT; i++) {
        for (j = 0; j < n[i]; j++) fds[i][j].revents = all[total++].revents;
        if (clients[i]) httpx_client_process(clients[i], fds[i], n[i]);
    }
}

TEST(soak_chaos) {
    const char *env = getenv("HTTPX_SOAK_REQUESTS"), *senv = getenv("HTTPX_SOAK_SEED");
    long n = env ? atol(env) : SOAK_ASAN ? 1500 : 3000, warm_at = n / 10 > 1000 ? n / 10 : n / 5;
    unsigned long seed = senv ? strtoul(senv, NULL, 10) : (unsigned long)time(NULL);
    httpx_client *clients[C_COUNT];
    char base[C_COUNT][64];
    int ports[4], i, fds_before, fds_warm = -1, fds_end, fds_after;
    long rss_start, rss_warm = -1, rss_end, passes = 0, done = 0;
    long long t0, t_warm = 0, t_last_progress;
    static slot slots[SLOTS];
    tally t;
    memset(&t, 0, sizeof t);
    rng_state = seed;
    crc_init();
    REQUIRE(chaos_ports(seed, ports));
    fds_before = open_fds();
    rss_start = rss_kb();
    for (i = 0; i < C_COUNT; i++) {
        clients[i] = soak_client(i, ports, base[i], sizeof base[i]);
        bases[i] = base[i];
    }
    REQUIRE(clients[C_H1]);
    printf("  soak: seed %lu (HTTPX_SOAK_SEED), %ld requests, %d at a time; clients:", seed, n, SLOTS);
    for (i = 0; i < C_COUNT; i++) if (clients[i]) printf(" %s", client_name[i]);
    printf("\n  soak: start: RSS %ld KiB, %d open fds\n", rss_start, fds_before);
    t0 = t_last_progress = fxc_now_ms();
    while (t.started < n || done < t.started) {
        for (i = 0; i < SLOTS && t.started < n; i++) {
            if (slots[i].task) continue;
            slot_start(&slots[i], clients, (uint32_t)t.started);
            t.started++;
            if (!slots[i].task) {               /* start refused: count as a lost request */
                t.bad++;
                done++;
                snprintf(t.first_bad, sizeof t.first_bad, "httpx_client_start returned NULL");
            }
        }
        soak_wait(clients);
        passes++;
        for (i = 0; i < SLOTS; i++) {
            slot *s = &slots[i];
            if (!s->task) continue;
            if (httpx_task_done(s->task)) slot_account(s, &t, false);
            else if (s->cancel_after >= 0 && s->cancel_after-- == 0) slot_account(s, &t, true);
            else continue;
            done++;
            t_last_progress = fxc_now_ms();
        }
        if (fds_warm < 0 && done >= warm_at) {
            fds_warm = open_fds();
            rss_warm = rss_kb();
            t_warm = fxc_now_ms();
        }
        if (fxc_now_ms() - t_last_progress > 60000) {
            test_fail(__FILE__, __LINE__, "no request ended for 60 s: %ld of %ld done", done, t.started);
            break;
        }
    }
    fds_end = open_fds();
    rss_end = rss_kb();
    for (i = 0; i < C_COUNT; i++) httpx_client_free(clients[i]);
    for (i = 0; i < SLOTS; i++) if (slots[i].task) { httpx_task_free(slots[i].task); free(slots[i].up); slots[i].task = NULL; }
    fds_after = open_fds();
    {
        double secs = (double)(fxc_now_ms() - t0) / 1000.0;
        printf("  soak: %ld requests in %.1f s (%.0f/s, %ld loop passes): %ld ok, %ld errors, %ld cancelled, %ld bad\n",
               t.started, secs, (double)t.started / (secs > 0 ? secs : 1), passes, t.ok, t.errors, t.cancelled, t.bad);
        printf("  soak: errors by kind:");
        for (i = 0; i < E_KINDS; i++) printf(" %s %ld", kind_name[i], t.by_kind[i]);
        printf("\n  soak: by action (ok/error):");
        for (i = 0; i < A_COUNT; i++) printf(" %s %ld/%ld", action_name[i], t.by_action[i][0], t.by_action[i][1]);
        printf("\n  soak: by client (ok/error):");
        for (i = 0; i < C_COUNT; i++) if (clients[i]) printf(" %s %ld/%ld", client_name[i], t.by_client[i][0], t.by_client[i][1]);
        printf("\n  soak: %ld uploads (%.1f MiB), %.1f MiB down, %ld bodies through on_data; "
               "%ld of %ld well-answered requests failed (their connection was closed under them; "
               "HTTP/1.1: %ld of %ld)\n",
               t.uploads, (double)t.bytes_up / 1048576.0, (double)t.bytes_down / 1048576.0, t.streamed_bodies,
               t.ok_failed, t.expected_ok, t.ok_failed_h1, t.expected_ok_h1);
        printf("  soak: RSS KiB start %ld, after %ld requests %ld, end %ld; fds start %d, after warm-up %d, "
               "end %d, clients freed %d\n", rss_start, warm_at, rss_warm, rss_end, fds_before, fds_warm, fds_end,
               fds_after);
        (void)t_warm;
    }
    if (t.first_bad[0]) test_fail(__FILE__, __LINE__, "first bad outcome: %s", t.first_bad);
    CHECK_INT(t.bad, 0);
    CHECK_INT(t.ok + t.errors + t.cancelled + t.bad, n);
    CHECK_INT(done, n);
    /* Well-answered requests fail only when another request's chaos closed
       their connection under them and they cannot be replayed (a streamed
       upload; a POST on HTTP/1.1): over HTTP/2 a connection carries many
       streams, so one close costs more. Generous bounds. */
    CHECK(t.ok_failed * 100 <= t.expected_ok * 15);
    CHECK(t.ok_failed_h1 * 100 <= t.expected_ok_h1 * 3);
    CHECK(t.ok * 100 >= n * 75);
    /* no descriptor kept after the clients are gone; the pool's own bound while they live */
    CHECK_INT(fds_after, fds_before);
    CHECK(fds_end <= fds_before + C_COUNT * 64);
    /* flat after the warm-up (ASan keeps freed memory in quarantine: not measured there) */
    if (!SOAK_ASAN && rss_warm > 0) CHECK(rss_end - rss_warm <= 16 * 1024 + (rss_warm / 4));
}

#ifdef HTTPX_BEARSSL
/* Regression (found by the soak): an HTTP/2 connection whose first flush
   fails right after the TLS handshake (the server closed at once: its
   preface's write draws a reset, the first upload's flush gets EPIPE) while
   more requests wait for it aborted on an assertion (httpx__conn_close with
   waiters still attached): the failure ended the exchanges it had taken, not
   those still waiting. Each request must end with an error, none lost,
   nothing crashing. */
TEST(soak_h2_reset_after_handshake_with_waiters) {
    int ports[4], round, i, failed = 0;
    httpx_client_opts o;
    char url[64];
    static char upload[100000];
    REQUIRE(chaos_ports(1, ports) && ports[3] && fxt_cert("ca.pem"));
    memset(&o, 0, sizeof o);
    o.http2 = true;
    o.tls.ca_file = fxt_cert("ca.pem");
    snprintf(url, sizeof url, "https://127.0.0.1:%d/c/ok/1/10", ports[3]);
    for (round = 0; round < 20; round++) {
        httpx_client *c = httpx_client_new(&o);
        httpx_task *t[8];
        /* 100 KB uploads: the first request placed flushes at once */
        httpx_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.content = upload;
        ro.content_length = sizeof upload;
        for (i = 0; i < 8; i++) REQUIRE((t[i] = httpx_client_start(c, "POST", url, &ro)) != NULL);
        httpx_gather(c, t, 8);
        for (i = 0; i < 8; i++) {
            httpx_response *r = httpx_task_response(t[i]);
            CHECK(r && r->error != HTTPX_OK);
            failed += r && r->error != HTTPX_OK;
            httpx_task_free(t[i]);
        }
        httpx_client_free(c);
    }
    CHECK_INT(failed, 20 * 8);
}
#endif
