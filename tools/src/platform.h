/* platform: what differs between operating systems, in one place, as
   mongoose's arch_*.h: the socket type and its "none" value, the poll
   structure and flags, the would-block test, the error codes, the
   monotonic clock, random bytes. The rest of the library sees these names
   and never a socket header of its own (tools/amalgamate.py refuses one
   outside platform.h, platform.c, net.c and dns_conf.c). A port to another
   system (Windows: SOCKET, INVALID_SOCKET, WSAPoll, WSAGetLastError,
   QueryPerformanceCounter, BCryptGenRandom) edits this file and
   platform.c. */
#ifndef HTTPX__PLATFORM_H
#define HTTPX__PLATFORM_H
#include "public.h"

/* Internal functions: static in the amalgamation; the test build defines it
   as empty so that test files can call them from other units. */
#ifndef HTTPX__PRIVATE
#if defined(__GNUC__) || defined(__clang__)
#define HTTPX__PRIVATE static __attribute__((unused))
#else
#define HTTPX__PRIVATE static
#endif
#endif

/* The format archetype of the library's printf-like calls: mingw's "printf"
   is msvcrt's, without %zu; public.h turns on mingw's own C99 stdio, whose
   archetype is __MINGW_PRINTF_FORMAT. */
#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#define HTTPX__PRINTF __MINGW_PRINTF_FORMAT
#else
#define HTTPX__PRINTF printf
#endif

#if defined(_WIN32)
/* Windows: Winsock 2. WSAStartup runs once, from httpx__socket (see
   platform.c). httpx_client_fds hands out these SOCKETs (as int: a SOCKET
   value fits in 32 bits on every Windows so far). Name lookups go through
   getaddrinfo on a thread (HTTPX_DNS_THREADS): the stub resolver would need
   the system's DNS servers. */
#ifndef HTTPX_DNS_THREADS
#define HTTPX_DNS_THREADS 1
#endif
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0600     /* Vista: inet_ntop, inet_pton, WSAPOLLFD */
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <errno.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET httpx__sock;
#define HTTPX__NO_SOCK INVALID_SOCKET
typedef WSAPOLLFD httpx__pollfd;
#define MSG_NOSIGNAL 0          /* Winsock raises no SIGPIPE */
#define HTTPX__SOCK_ERRNO() (WSAGetLastError())
#define HTTPX__WOULD_BLOCK(err) ((err) == WSAEWOULDBLOCK)
#define HTTPX__IN_PROGRESS(err) ((err) == WSAEWOULDBLOCK || (err) == WSAEINPROGRESS)
#define HTTPX__INTERRUPTED(err) ((err) == WSAEINTR)
#define HTTPX__REFUSED(err) ((err) == WSAECONNREFUSED)
/* send/recv take an int length */
#define HTTPX__IO_LEN(n) ((int)((n) > 0x40000000u ? 0x40000000u : (n)))
/* A Winsock error code as text (strerror knows only the C library's). */
HTTPX__PRIVATE const char *httpx__sock_strerror(int err);
#else
#include <errno.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/socket.h>

/* A socket, and the value that is none. */
typedef int httpx__sock;
#define HTTPX__NO_SOCK (-1)
/* One entry of httpx__poll's array; events POLLIN, POLLOUT, POLLERR, POLLHUP
   (the names POSIX and WSAPoll share). */
typedef struct pollfd httpx__pollfd;

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0          /* macOS: httpx__socket sets SO_NOSIGPIPE instead */
#endif

/* The error of the last failed system call (errno here; WSAGetLastError
   elsewhere), and the tests on it. */
#define HTTPX__SOCK_ERRNO() (errno)
#define HTTPX__WOULD_BLOCK(err) ((err) == EAGAIN || (err) == EWOULDBLOCK)
#define HTTPX__IN_PROGRESS(err) ((err) == EINPROGRESS)
#define HTTPX__INTERRUPTED(err) ((err) == EINTR)
#define HTTPX__REFUSED(err) ((err) == ECONNREFUSED)
#define HTTPX__IO_LEN(n) (n)
#define httpx__sock_strerror(err) strerror(err)
#endif

/* The one process-wide lock, for what clients of several threads share (the
   system trust store). Held briefly; never around a blocking call. Compilers
   without GCC's atomic builtins get no lock: use clients from one thread. */
#if defined(HTTPX_BEARSSL) || defined(HTTPX_OPENSSL)   /* its one user today: TLS */
HTTPX__PRIVATE void httpx__global_lock(void);
HTTPX__PRIVATE void httpx__global_unlock(void);
#endif
/* Monotonic seconds. */
HTTPX__PRIVATE double httpx__now(void);
/* n bytes from the system's random source (/dev/urandom); false when it
   cannot be read (a chroot, a sandbox): the caller decides what then. */
HTTPX__PRIVATE bool httpx__random(void *p, size_t n);
/* O_NONBLOCK and FD_CLOEXEC on fd; false (errno set) when fcntl fails. */
HTTPX__PRIVATE bool httpx__fd_nonblock(httpx__sock fd);
/* A socket that never blocks, is closed on exec and raises no SIGPIPE;
   HTTPX__NO_SOCK with errno set on failure. */
HTTPX__PRIVATE httpx__sock httpx__socket(int family, int type);
HTTPX__PRIVATE void httpx__sock_close(httpx__sock fd);   /* HTTPX__NO_SOCK is fine */
/* The one poll() of the library: like poll, but EINTR is "nothing ready"
   (0). -1 only on a real failure (errno set). */
HTTPX__PRIVATE int httpx__poll(httpx__pollfd *fds, size_t n, int timeout_ms);

#endif /* HTTPX__PLATFORM_H */
