/* The headers multi-map: order, case-insensitivity, repeats, validation. */
#include "test.h"

TEST(headers_add_get_order_and_case) {
    httpx_headers *h = httpx_headers_new();
    const char *name, *value;
    REQUIRE(h);
    CHECK_INT(httpx_headers_add(h, "Content-Type", "text/plain"), HTTPX_OK);
    CHECK_INT(httpx_headers_add(h, "Set-Cookie", "a=1"), HTTPX_OK);
    CHECK_INT(httpx_headers_add(h, "set-cookie", "b=2"), HTTPX_OK);
    CHECK_INT(httpx_headers_add(h, "X-Empty", ""), HTTPX_OK);
    CHECK_INT(httpx_headers_count(h), 4);
    CHECK_STR(httpx_headers_get(h, "CONTENT-TYPE"), "text/plain");
    CHECK_STR(httpx_headers_get(h, "Set-Cookie"), "a=1");
    CHECK_STR(httpx_headers_get_nth(h, "SET-COOKIE", 1), "b=2");
    CHECK(httpx_headers_get_nth(h, "set-cookie", 2) == NULL);
    CHECK_STR(httpx_headers_get(h, "x-empty"), "");
    CHECK(httpx_headers_get(h, "missing") == NULL);
    CHECK(httpx_headers_get(h, "Content-Typ") == NULL);     /* whole names only */
    CHECK(httpx_headers_at(h, 2, &name, &value));
    CHECK_STR(name, "set-cookie");                         /* spelling kept as given */
    CHECK_STR(value, "b=2");
    CHECK(!httpx_headers_at(h, 4, &name, &value));
    httpx_headers_free(h);
}

TEST(headers_set_and_remove) {
    httpx_headers *h = httpx_headers_new();
    const char *name, *value;
    httpx_headers_add(h, "A", "1");
    httpx_headers_add(h, "B", "2");
    httpx_headers_add(h, "a", "3");
    CHECK_INT(httpx_headers_set(h, "A", "only"), HTTPX_OK);
    CHECK_INT(httpx_headers_count(h), 2);
    CHECK_STR(httpx_headers_get(h, "a"), "only");
    CHECK(httpx_headers_get_nth(h, "a", 1) == NULL);
    CHECK(httpx_headers_at(h, 0, &name, &value));
    CHECK_STR(name, "B");                                  /* set appends after removing */
    CHECK_INT(httpx_headers_remove(h, "b"), 1);
    CHECK_INT(httpx_headers_remove(h, "b"), 0);
    CHECK_INT(httpx_headers_count(h), 1);
    httpx_headers_free(h);
}

TEST(headers_refuse_bad_names_and_values) {
    static const struct { const char *name, *value; } bad[] = {
        {"X", "a\r\nEvil: 1"}, {"X", "a\nb"}, {"X", "a\rb"}, {"Bad Name", "v"}, {"", "v"},
        {"X:Y", "v"}, {"X\tY", "v"}, {"X(Y)", "v"}, {"\xc3\xa9", "v"}, {"X", NULL}, {NULL, "v"},
    };
    httpx_headers *h = httpx_headers_new();
    httpx__err e;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(httpx_headers_add(h, bad[i].name, bad[i].value), HTTPX_ERR_INVALID_HEADER);
        CHECK_INT(httpx_headers_set(h, bad[i].name, bad[i].value), HTTPX_ERR_INVALID_HEADER);
        memset(&e, 0, sizeof e);
        CHECK_INT(httpx__header_check(bad[i].name, bad[i].value, &e), HTTPX_ERR_INVALID_HEADER);
        CHECK(strlen(e.msg) > 10);
    }
    CHECK_INT(httpx_headers_count(h), 0);
    CHECK_INT(httpx_headers_add(h, "X-Tab-Ok", "a\tb"), HTTPX_OK);     /* HTAB is allowed in values */
    CHECK_INT(httpx_headers_add(h, "!#$%&'*+-.^_`|~09azAZ", "v"), HTTPX_OK);
    httpx_headers_free(h);
}

TEST(headers_many_fields_grow) {
    httpx_headers *h = httpx_headers_new();
    char name[32], value[32];
    int i, bad = 0;
    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "X-%d", i);
        snprintf(value, sizeof value, "v%d", i);
        bad += httpx_headers_add(h, name, value) != HTTPX_OK;
    }
    CHECK_INT(bad, 0);
    CHECK_STR(httpx_headers_get(h, "x-0"), "v0");
    CHECK_STR(httpx_headers_get(h, "x-999"), "v999");
    CHECK_INT(httpx_headers_count(h), 1000);
    httpx_headers_free(h);
}

/* A response's headers start in inline storage and move to the heap when
   they outgrow it: both must read the same. */
TEST(headers_inline_storage_moves_out) {
    httpx_headers h;
    httpx__field inline_fields[2];
    char text[16];
    httpx__headers_init(&h);
    h.fields = inline_fields;
    h.cap = 2;
    h.fixed = true;
    httpx__buf_init_inline(&h.text, text, sizeof text);
    CHECK(httpx__headers_add_raw(&h, "A", 1, "1", 1));
    CHECK(h.text.borrowed);
    CHECK(httpx__headers_add_raw(&h, "Bee", 3, "two", 3));
    CHECK(httpx__headers_add_raw(&h, "Cee", 3, "a longer value than fits", 24));
    CHECK(!h.fixed);
    CHECK(!h.text.borrowed);
    CHECK_STR(httpx_headers_get(&h, "a"), "1");
    CHECK_STR(httpx_headers_get(&h, "bee"), "two");
    CHECK_STR(httpx_headers_get(&h, "CEE"), "a longer value than fits");
    httpx__headers_clear(&h);
}

TEST(headers_base64_and_buf) {
    static const struct { const char *in, *out; } cases[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}, {"u:p", "dTpw"},     /* RFC 4648 section 10 */
    };
    size_t i;
    httpx__buf b;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&b, 0, sizeof b);
        CHECK(httpx__base64(&b, cases[i].in, strlen(cases[i].in)));
        CHECK_STR(b.p ? b.p : "", cases[i].out);
        httpx__buf_free(&b);
    }
    memset(&b, 0, sizeof b);
    CHECK(httpx__buf_reserve(&b, 10));
    CHECK_STR(b.p, "");                       /* NUL-terminated from the first allocation */
    CHECK(httpx__buf_printf(&b, "%s-%d", "x", 42));
    CHECK(httpx__buf_printf(&b, "%0300d", 7));   /* longer than the first guess */
    CHECK_INT(b.len, 4 + 300);
    CHECK_INT(b.p[b.len], 0);
    httpx__buf_free(&b);
}

TEST(errors_have_names_and_groups) {
    int i;
    for (i = 0; i < HTTPX_ERR_COUNT_; i++) CHECK(strcmp(httpx_strerror((httpx_error)i), "unknown error") != 0);
    CHECK_STR(httpx_strerror(HTTPX_ERR_COUNT_), "unknown error");
    CHECK(httpx_is_timeout(HTTPX_ERR_READ_TIMEOUT) && httpx_is_timeout(HTTPX_ERR_POOL_TIMEOUT));
    CHECK(!httpx_is_timeout(HTTPX_ERR_READ));
    CHECK(httpx_is_network_error(HTTPX_ERR_CONNECT) && !httpx_is_network_error(HTTPX_ERR_CONNECT_TIMEOUT));
    CHECK(httpx_is_protocol_error(HTTPX_ERR_REMOTE_PROTOCOL) && !httpx_is_protocol_error(HTTPX_ERR_TLS));
    CHECK(httpx_is_transport_error(HTTPX_ERR_TLS) && !httpx_is_transport_error(HTTPX_ERR_INVALID_URL));
}
