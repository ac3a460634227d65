/* platform: the system calls behind platform.h (see there why they are in
   one place). */
#include "internal.h"
#if defined(_WIN32)
#include <bcrypt.h>
#ifdef _MSC_VER
#pragma comment(lib, "ws2_32")
#pragma comment(lib, "bcrypt")
#endif

/* Winsock needs WSAStartup before its first call. It counts its callers, so
   two threads racing here both start it and no harm is done; it is never
   cleaned up (the process's exit does that). */
static volatile LONG httpx__wsa_started;
static bool httpx__wsa_start(void) {
    WSADATA wsa;
    if (httpx__wsa_started) return true;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return false;
    InterlockedExchange(&httpx__wsa_started, 1);
    return true;
}

HTTPX__PRIVATE double httpx__now(void) {
    static LARGE_INTEGER freq;   /* fixed at boot: a race writes the same value */
    LARGE_INTEGER t;
    if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

#if defined(HTTPX_BEARSSL) || defined(HTTPX_OPENSSL)
static volatile LONG httpx__global_lock_word;
HTTPX__PRIVATE void httpx__global_lock(void) {
    while (InterlockedExchange(&httpx__global_lock_word, 1)) SwitchToThread();
}
HTTPX__PRIVATE void httpx__global_unlock(void) { InterlockedExchange(&httpx__global_lock_word, 0); }
#endif

HTTPX__PRIVATE bool httpx__random(void *p, size_t n) {
    unsigned char *out = (unsigned char *)p;
    while (n > 0) {
        ULONG chunk = n > 0x10000000u ? 0x10000000u : (ULONG)n;
        if (BCryptGenRandom(NULL, out, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return false;
        out += chunk;
        n -= chunk;
    }
    return true;
}

HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd) {
    u_long one = 1;
    return ioctlsocket(fd, FIONBIO, &one) == 0;
}

HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type) {
    httpx__sock fd;
    if (!httpx__wsa_start()) return HTTPX__NO_SOCK;
    /* WSA_FLAG_NO_HANDLE_INHERIT: the socket is not inherited by child
       processes (the FD_CLOEXEC of POSIX). */
    fd = WSASocketW(family, type, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (fd == INVALID_SOCKET) return HTTPX__NO_SOCK;
    if (!httpx__fd_nonblock(fd)) {
        int err = WSAGetLastError();
        closesocket(fd);
        WSASetLastError(err);
        return HTTPX__NO_SOCK;
    }
    return fd;
}

HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd) { if (fd != HTTPX__NO_SOCK) closesocket(fd); }

/* The poll wrapper is on select, not WSAPoll: WSAPoll before Windows 10 2004
   does not report a failed non-blocking connect (no POLLERR/POLLHUP, the
   wait just times out), which is also why curl avoids it. select reports
   that failure in its except set. Winsock's fd_set is a count and an array
   of SOCKETs (no FD_SETSIZE limit when sized by hand), so a set for n
   sockets is allocated with room for n. */
typedef struct httpx__fdset { u_int fd_count; SOCKET fd_array[1]; } httpx__fdset;

HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms) {
    /* the three sets in one block from the user's allocator (HTTPX_MALLOC:
       platform.c sits below base.c's httpx__malloc) */
    size_t one = offsetof(httpx__fdset, fd_array) + (n ? n : 1) * sizeof(SOCKET);
    httpx__fdset *rd, *wr, *ex;
    unsigned char *block;
    struct timeval tv;
    size_t i;
    int rc, ready = 0;
    u_int used = 0;
    if (one < sizeof(fd_set)) one = sizeof(fd_set);
    one = (one + sizeof(SOCKET) - 1) / sizeof(SOCKET) * sizeof(SOCKET);
    block = (unsigned char *)HTTPX_MALLOC(3 * one);
    if (!block) {
        WSASetLastError(WSA_NOT_ENOUGH_MEMORY);
        return -1;
    }
    rd = (httpx__fdset *)(void *)block;
    wr = (httpx__fdset *)(void *)(block + one);
    ex = (httpx__fdset *)(void *)(block + 2 * one);
    rd->fd_count = wr->fd_count = ex->fd_count = 0;
    for (i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd == INVALID_SOCKET) continue;
        used++;
        if (fds[i].events & POLLIN) rd->fd_array[rd->fd_count++] = fds[i].fd;
        if (fds[i].events & POLLOUT) wr->fd_array[wr->fd_count++] = fds[i].fd;
        ex->fd_array[ex->fd_count++] = fds[i].fd;
    }
    if (!used) {
        /* select refuses empty sets (WSAEINVAL): wait as poll would */
        HTTPX_FREE(block);
        if (timeout_ms != 0) Sleep(timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
        return 0;
    }
    tv.tv_sec = timeout_ms < 0 ? 0 : timeout_ms / 1000;
    tv.tv_usec = timeout_ms < 0 ? 0 : (timeout_ms % 1000) * 1000;
    rc = select(0, (fd_set *)(void *)rd, (fd_set *)(void *)wr, (fd_set *)(void *)ex, timeout_ms < 0 ? NULL : &tv);
    if (rc > 0) {
        for (i = 0; i < n; i++) {
            if (fds[i].fd == INVALID_SOCKET) continue;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)rd)) fds[i].revents |= POLLIN;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)wr)) fds[i].revents |= POLLOUT;
            if (FD_ISSET(fds[i].fd, (fd_set *)(void *)ex)) fds[i].revents |= POLLERR;
            if (fds[i].revents) ready++;
        }
    }
    HTTPX_FREE(block);
    if (rc < 0) return WSAGetLastError() == WSAEINTR ? 0 : -1;
    return ready;
}

HTTPX__PRIVATE const char *httpx__sock_strerror(int err) {
    switch (err) {
    case WSAECONNREFUSED: return "Connection refused";
    case WSAECONNRESET: return "Connection reset by peer";
    case WSAECONNABORTED: return "Software caused connection abort";
    case WSAETIMEDOUT: return "Connection timed out";
    case WSAEHOSTUNREACH: return "No route to host";
    case WSAENETUNREACH: return "Network is unreachable";
    case WSAEADDRNOTAVAIL: return "Cannot assign requested address";
    case WSAEAFNOSUPPORT: return "Address family not supported by protocol";
    case WSAENOTCONN: return "Transport endpoint is not connected";
    case WSAESHUTDOWN: return "Cannot send after transport endpoint shutdown";
    case WSAEMFILE: return "Too many open sockets";
    case WSAENOBUFS: return "No buffer space available";
    case WSANOTINITIALISED: return "Winsock is not initialised";
    case WSA_NOT_ENOUGH_MEMORY: return "Not enough memory";
    default: return "Winsock error";
    }
}

#else /* POSIX */
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

HTTPX__PRIVATE double httpx__now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if !defined(HTTPX_BEARSSL) && !defined(HTTPX_OPENSSL)
/* no global lock: nothing shares state between clients without TLS */
#elif defined(__GNUC__) || defined(__clang__)
#include <sched.h>
static int httpx__global_lock_word;
HTTPX__PRIVATE void httpx__global_lock(void) {
    while (__atomic_exchange_n(&httpx__global_lock_word, 1, __ATOMIC_ACQUIRE)) sched_yield();
}
HTTPX__PRIVATE void httpx__global_unlock(void) { __atomic_store_n(&httpx__global_lock_word, 0, __ATOMIC_RELEASE); }
#else
HTTPX__PRIVATE void httpx__global_lock(void) {}
HTTPX__PRIVATE void httpx__global_unlock(void) {}
#endif

HTTPX__PRIVATE bool httpx__random(void *p, size_t n) {
    unsigned char *out = (unsigned char *)p;
    size_t got = 0;
    int fd;
    do fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC); while (fd < 0 && errno == EINTR);
    if (fd < 0) return false;
    while (got < n) {
        ssize_t r = read(fd, out + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type) {
    httpx__sock fd = socket(family, type, 0);
    if (fd < 0) return HTTPX__NO_SOCK;
    if (!httpx__fd_nonblock(fd)) {
        int err = errno;
        close(fd);
        errno = err;
        return HTTPX__NO_SOCK;
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    return fd;
}

HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd) { if (fd != HTTPX__NO_SOCK) close(fd); }

HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms) {
    int rc = poll(fds, (nfds_t)n, timeout_ms);
    if (rc < 0 && errno == EINTR) return 0;
    return rc;
}
#endif /* POSIX */
