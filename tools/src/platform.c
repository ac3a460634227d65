/* platform: the system calls behind platform.h (see there why they are in
   one place). */
#include "internal.h"
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
