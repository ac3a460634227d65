/* Helpers shared by the HTTP/2 codec tests (test_hpack.c, test_h2_frame.c):
   a small JSON reader for the conformance data, hex, the data directory,
   and a guard page so that a parser over-read crashes. */
#ifndef HTTPX_TEST_H2_UTIL_H
#define HTTPX_TEST_H2_UTIL_H
#include <stddef.h>
#include <stdbool.h>

enum { H2J_NULL, H2J_BOOL, H2J_NUM, H2J_STR, H2J_ARR, H2J_OBJ };
typedef struct h2j {
    int type;
    double num;                 /* H2J_NUM; H2J_BOOL: 0 or 1 */
    char *str;                  /* H2J_STR: NUL-terminated (len may hold NULs) */
    size_t len;                 /* H2J_STR: bytes; H2J_ARR, H2J_OBJ: items */
    struct h2j *items;          /* H2J_ARR, H2J_OBJ */
    char **keys;                /* H2J_OBJ */
} h2j;

/* Reads tests/data/<rel> (or <test_data_dir()>/<rel>); NULL when missing or
   malformed. Free with h2j_free. */
h2j *h2j_load(const char *rel);
void h2j_free(h2j *v);
const h2j *h2j_get(const h2j *obj, const char *key);   /* NULL when absent */
/* The directory tests/data/<suite> or its fallback; "" when neither exists. */
const char *h2t_suite_dir(const char *suite, char *buf, size_t cap);
/* Names of the *.json files of a directory, sorted; returns the count. */
size_t h2t_list_json(const char *dir, char ***names);
void h2t_free_list(char **names, size_t n);
/* Hex (either case) to bytes; malloc'd, *n set; NULL on a bad digit. */
unsigned char *h2t_unhex(const char *hex, size_t *n);

/* A buffer whose end touches a PROT_NONE page: h2t_guard_place copies n
   bytes so that they end right at it and returns where they start. */
typedef struct h2t_guard { char *map; size_t page; } h2t_guard;
bool h2t_guard_init(h2t_guard *g);
const unsigned char *h2t_guard_place(h2t_guard *g, const void *p, size_t n);
void h2t_guard_free(h2t_guard *g);
#endif
