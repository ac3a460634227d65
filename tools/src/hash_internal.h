/* hash.c: MD5 and SHA-256, for digest authentication (RFC 7616), which
   needs both whether or not a TLS library is built in. Not for anything
   that needs collision resistance: MD5 is here only because servers still
   ask for it. Private prefix: httpx__md5_, httpx__sha256_. */
#ifndef HTTPX__HASH_INTERNAL_H
#define HTTPX__HASH_INTERNAL_H

typedef struct httpx__md5 {
    uint32_t h[4];
    uint64_t len;               /* bytes so far */
    unsigned char block[64];
} httpx__md5;
HTTPX__PRIVATE void httpx__md5_init(httpx__md5 *c);
HTTPX__PRIVATE void httpx__md5_update(httpx__md5 *c, const void *p, size_t n);
HTTPX__PRIVATE void httpx__md5_final(httpx__md5 *c, unsigned char out[16]);

typedef struct httpx__sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char block[64];
} httpx__sha256;
HTTPX__PRIVATE void httpx__sha256_init(httpx__sha256 *c);
HTTPX__PRIVATE void httpx__sha256_update(httpx__sha256 *c, const void *p, size_t n);
HTTPX__PRIVATE void httpx__sha256_final(httpx__sha256 *c, unsigned char out[32]);

#endif /* HTTPX__HASH_INTERNAL_H */
