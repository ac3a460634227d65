/* proxy_internal.h: proxies (proxy.c: the proxy URL and the streams that go
   through a proxy; proxy_env.c: choosing a proxy, from the options or the
   environment). Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__PROXY_INTERNAL_H
#define HTTPX__PROXY_INTERNAL_H
#include "internal.h"
#include "url_internal.h"
#include "net_internal.h"

/* ---- a proxy (proxy.c) ---- */

enum httpx__proxy_kind {
    HTTPX__PROXY_HTTP,          /* http://: plain http forwarded, https through CONNECT */
    HTTPX__PROXY_HTTPS,         /* https://: the same, over TLS to the proxy */
    HTTPX__PROXY_SOCKS5,        /* socks5://: the origin's name resolved here */
    HTTPX__PROXY_SOCKS5H        /* socks5h://: the name goes to the proxy */
};

/* A parsed proxy URL: kind://[user[:password]@]host[:port][/] */
typedef struct httpx__proxy {
    enum httpx__proxy_kind kind;
    char host[256];             /* without the brackets of an IPv6 literal */
    int port;                   /* the explicit one, else 80, 443 or 1080 */
    char user[256], password[256];  /* percent-decoded; SOCKS5 takes at most 255 bytes each */
    bool has_user;
    char *authorization;        /* http(s): "Basic ..." for Proxy-Authorization, or NULL */
} httpx__proxy;

/* A new proxy from its URL (a URL without "scheme://" is http://, as curl
   takes it). NULL: HTTPX_ERR_INVALID_ARGUMENT naming what is wrong, or out
   of memory. */
HTTPX__PRIVATE httpx__proxy *httpx__proxy_new(const char *url, httpx__err *e);
HTTPX__PRIVATE void httpx__proxy_free(httpx__proxy *p);   /* NULL is fine */
/* Whether p forwards plain http requests in absolute form (an HTTP proxy
   and an origin of http://), rather than tunnelling. */
HTTPX__PRIVATE bool httpx__proxy_forwards(const httpx__proxy *p, bool origin_tls);
/* "http", "https", "socks5" or "socks5h", for messages. */
HTTPX__PRIVATE const char *httpx__proxy_kind_name(const httpx__proxy *p);

/* A stream over lower (which it takes, on failure too) that asks an HTTP
   proxy for a tunnel to host:port (CONNECT, with p's Proxy-Authorization),
   then carries bytes through it. A refusal, a 407 or a reply that is not
   HTTP is HTTPX_ERR_PROXY with the proxy's status line. */
HTTPX__PRIVATE httpx__stream *httpx__connect_stream_new(const httpx__proxy *p, const char *host, int port,
                                                        httpx__stream *lower, httpx__err *e);
/* A stream over lower (taken) that speaks SOCKS5 (RFC 1928, RFC 1929 for
   p's user): a CONNECT to ip (ip_len 4 or 16) when ip_len > 0, else to the
   name host (socks5h), port. Failures are HTTPX_ERR_PROXY. */
HTTPX__PRIVATE httpx__stream *httpx__socks_stream_new(const httpx__proxy *p, const char *host,
                                                      const unsigned char *ip, int ip_len, int port,
                                                      httpx__stream *lower, httpx__err *e);

/* ---- choosing a proxy (proxy_env.c) ---- */

/* The proxies of a client: one for http:// traffic, one for https://, and
   the hosts that go direct (NO_PROXY, from the environment only). */
typedef struct httpx__proxies {
    httpx__proxy *http, *https; /* NULL: direct */
    char *no_proxy;             /* a copy of NO_PROXY, or NULL */
} httpx__proxies;

/* Reads a variable of the environment (getenv, or a test's table). */
typedef const char *(*httpx__getenv_fn)(void *ctx, const char *name);
/* Fills p: from the options when any of all, http, https is set (http and
   https win over all for their scheme), else, when get is not NULL, from the
   environment (http_proxy, https_proxy, all_proxy, no_proxy; lower case wins
   over upper case; HTTP_PROXY is ignored when REQUEST_METHOD is set, as a
   CGI program's environment carries the client's "Proxy:" header there).
   Errors: a bad URL (HTTPX_ERR_INVALID_ARGUMENT naming the option or the
   variable), out of memory. */
HTTPX__PRIVATE httpx_error httpx__proxies_init(httpx__proxies *p, const char *all, const char *http,
                                               const char *https, httpx__getenv_fn get, void *ctx, httpx__err *e);
HTTPX__PRIVATE void httpx__proxies_free(httpx__proxies *p);
/* The proxy for a request to u, or NULL to go direct. */
HTTPX__PRIVATE const httpx__proxy *httpx__proxies_for(const httpx__proxies *p, const httpx__url *u);
/* Whether host (port) matches the NO_PROXY list: "*", host names (a name
   matches itself and its subdomains; a leading dot is the same), IP
   literals, CIDR ranges ("10.0.0.0/8", "fd00::/8"), each with an optional
   ":port"; separated by commas or spaces, case-insensitive. */
HTTPX__PRIVATE bool httpx__no_proxy_match(const char *list, const char *host, int port);

#endif /* HTTPX__PROXY_INTERNAL_H */
