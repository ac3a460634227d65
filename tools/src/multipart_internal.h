/* multipart_internal.h: multipart/form-data bodies (multipart.c).
   Internal: names are httpx__ and, in the amalgamation, static. */
#ifndef HTTPX__MULTIPART_INTERNAL_H
#define HTTPX__MULTIPART_INTERNAL_H
#include "internal.h"
/* ---- multipart/form-data encoder, streamed ---- */

typedef struct httpx__multipart httpx__multipart;
/* Prepares a body of fields (may be NULL) and files. Opens path files now so
   that a missing file is an error before anything is sent. */
HTTPX__PRIVATE httpx__multipart *httpx__multipart_new(const httpx_pair *fields, const httpx_file *files, httpx__err *e);
/* "multipart/form-data; boundary=..." */
HTTPX__PRIVATE const char *httpx__multipart_content_type(const httpx__multipart *m);
/* Total length when every part has a known size, else -1 (sent chunked). */
HTTPX__PRIVATE long long httpx__multipart_length(const httpx__multipart *m);
/* Next bytes of the body: >0 bytes, 0 at the end, -1 on a read error (e filled). */
HTTPX__PRIVATE long httpx__multipart_read(httpx__multipart *m, void *buf, size_t cap, httpx__err *e);
HTTPX__PRIVATE void httpx__multipart_free(httpx__multipart *m);

#endif /* HTTPX__MULTIPART_INTERNAL_H */
