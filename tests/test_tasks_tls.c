/* The nonblocking face over TLS: handshakes and records go through the same
   poll loop, so poll(c, 0) stays short while many https tasks run. */
#include "test.h"
#include "fixtures_tls.h"

#ifdef HTTPX_BEARSSL
TEST(tasks_over_tls_gather_and_poll_zero) {
    int port = fxt_nginx_port("ec");
    httpx_client *c;
    httpx_task *t[30];
    char url[96];
    double worst = 0, start;
    int i, ok = 0, waited = 0;
    REQUIRE(port && fxt_cert("ca.pem"));
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .ca_file = fxt_cert("ca.pem") } });
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    for (i = 0; i < 30; i++) t[i] = httpx_client_start(c, "GET", url, NULL);
    start = httpx__now();
    while (httpx_client_poll(c, 0) > 0 && httpx__now() - start < 20) {
        test_clock k = test_clock_start();
        httpx_client_poll(c, 0);
        if (test_clock_seconds(k) > worst) worst = test_clock_seconds(k);
        waited += test_waited(k, 0.020);
    }
    for (i = 0; i < 30; i++) {
        httpx_response *r = httpx_task_response(t[i]);
        if (r && r->error) printf("  %s\n", r->error_message);
        ok += r && r->error == HTTPX_OK && !strcmp(r->content, "Hello, TLS!\n");
        httpx_task_free(t[i]);
    }
    printf("  30 https tasks: longest poll(c, 0) %.2f ms (handshake crypto runs inside it)\n", worst * 1e3);
    CHECK_INT(ok, 30);
    CHECK_INT(waited, 0);                    /* crypto takes time; waiting is what must not happen */
    CHECK(worst < 5.0);
    httpx_client_free(c);
}

TEST(tasks_over_tls_bad_certificate) {
    int port = fxt_nginx_port("expired");
    httpx_client *c;
    httpx_task *t;
    char url[96];
    REQUIRE(port && fxt_cert("ca.pem"));
    c = httpx_client_new(&(httpx_client_opts){ .tls = { .ca_file = fxt_cert("ca.pem") } });
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    t = httpx_client_start(c, "GET", url, NULL);
    CHECK_INT(httpx_task_wait(t)->error, HTTPX_ERR_TLS);
    CHECK(strstr(httpx_task_response(t)->error_message, "expired") != NULL);
    httpx_task_free(t);
    httpx_client_free(c);
}
#endif

#ifdef HTTPX_BEARSSL
TEST(tls_one_shot_calls_take_tls_options) {
    int port = fxt_nginx_port("rsa");
    httpx_tls_opts tls;
    httpx_client *c;
    httpx_response *r;
    char url[96];
    REQUIRE(port && fxt_cert("ca.pem"));
    memset(&tls, 0, sizeof tls);
    tls.ca_file = fxt_cert("ca.pem");
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", port);
    r = httpx_get(url, &(httpx_opts){ .tls = &tls });
    CHECK_INT(r->error, HTTPX_OK);
    CHECK_STR(r->content, "Hello, TLS!\n");
    httpx_response_free(r);
    r = httpx_get(url, NULL);                        /* the system store does not know the test CA */
    CHECK_INT(r->error, HTTPX_ERR_TLS);
    httpx_response_free(r);
    c = httpx_client_new(NULL);                      /* a client's requests take the client's */
    r = httpx_client_get(c, url, &(httpx_opts){ .tls = &tls });
    CHECK_INT(r->error, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(r->error_message, "httpx_client_opts.tls") != NULL);
    httpx_response_free(r);
    httpx_client_free(c);
}
#endif
