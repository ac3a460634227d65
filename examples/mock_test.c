/* mock_test: testing your own code without a server, as HTTPX's
       def handler(request):
           return httpx.Response(200, json={"temp": 21.5})
       client = httpx.Client(transport=httpx.MockTransport(handler))
   Give the client a handler (httpx_client_opts.mock): every request your
   code sends is answered by it, from memory, and the client does the rest
   as over the network (redirects, limits, status checks, JSON, tasks).
   Below, the code under test is a small weather client; the tests each
   install a handler that plays the weather service.
       ./build/examples/mock_test */
#define HTTPX_IMPLEMENTATION
#include "../httpx.h"
#include <string.h>

/* ---- the code under test: it knows nothing of mocks ---- */

/* The temperature of a city, or -1000 with why in err. */
static double fetch_temperature(httpx_client *c, const char *city, char *err, size_t errlen) {
    httpx_response *r = httpx_client_get(c, "/v1/weather", &(httpx_opts){
        .params = (httpx_pair[]){{"city", city}, {0}},
        .headers = (httpx_pair[]){{"X-Api-Key", "secret"}, {0}} });
    double temp = -1000;
    if (httpx_raise_for_status(r) != HTTPX_OK) {
        snprintf(err, errlen, "%s", r->error ? r->error_message : r->reason_phrase);
    } else {
        const httpx_json_value *t = httpx_json_get(httpx_json(r), "temp");
        if (httpx_json_type(t) == HTTPX_JSON_NUMBER) temp = httpx_json_number(t);
        else snprintf(err, errlen, "no temperature in the answer");
    }
    httpx_response_free(r);
    return temp;
}

/* ---- the tests ---- */

static int failures;
#define EXPECT(cond) do { if (!(cond)) { printf("    FAILED: %s (line %d)\n", #cond, __LINE__); failures++; } } while (0)

/* A client whose every request goes to handler. */
static httpx_client *mock_client(httpx_mock_fn handler, void *user_data) {
    return httpx_client_new(&(httpx_client_opts){ .base_url = "https://weather.example", .mock = handler,
                                                  .mock_user_data = user_data, .follow_redirects = true });
}

/* The service as it should be; it also checks what it was sent. */
static void sunny(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    int *calls = (int *)user_data;
    (*calls)++;
    if (strcmp(httpx_request_method(q), "GET") != 0 ||
        strcmp(httpx_request_url(q), "https://weather.example/v1/weather?city=Lyon") != 0) {
        httpx_reply_status(reply, 400);
        return;
    }
    if (!httpx_request_header(q, "x-api-key") || strcmp(httpx_request_header(q, "x-api-key"), "secret") != 0) {
        httpx_reply_status(reply, 401);
        return;
    }
    httpx_reply_json(reply, 200, "{\"city\": \"Lyon\", \"temp\": 21.5}");
}

static void test_reads_the_temperature(void) {
    int calls = 0;
    char err[256] = "";
    httpx_client *c = mock_client(sunny, &calls);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == 21.5);
    EXPECT(calls == 1);
    httpx_client_free(c);
}

static void not_found(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    (void)user_data; (void)q;
    httpx_reply_json(reply, 404, "{\"error\": \"unknown city\"}");
}

static void test_unknown_city_is_an_error(void) {
    char err[256] = "";
    httpx_client *c = mock_client(not_found, NULL);
    EXPECT(fetch_temperature(c, "Atlantis", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "Not Found") == 0);
    httpx_client_free(c);
}

static void too_slow(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    (void)user_data; (void)q;
    httpx_reply_error(reply, HTTPX_ERR_READ_TIMEOUT, "the weather service did not answer");
}

static void test_a_timeout_is_reported(void) {
    char err[256] = "";
    httpx_client *c = mock_client(too_slow, NULL);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "the weather service did not answer") == 0);
    httpx_client_free(c);
}

/* The service moved: the client follows, and the handler sees both hops. */
static void moved(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    int *calls = (int *)user_data;
    (*calls)++;
    if (strstr(httpx_request_url(q), "/v1/")) {
        httpx_reply_status(reply, 308);
        httpx_reply_header(reply, "Location", "/v2/weather?city=Lyon");
    } else {
        httpx_reply_json(reply, 200, "{\"temp\": 19}");
    }
}

static void test_follows_the_service_when_it_moves(void) {
    int calls = 0;
    char err[256] = "";
    httpx_client *c = mock_client(moved, &calls);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == 19);
    EXPECT(calls == 2);
    httpx_client_free(c);
}

static void garbled(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    (void)user_data; (void)q;
    httpx_reply_header(reply, "Content-Type", "application/json");
    httpx_reply_body(reply, "{\"temp\": ", 0);
}

static void test_a_garbled_answer_is_an_error(void) {
    char err[256] = "";
    httpx_client *c = mock_client(garbled, NULL);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "no temperature in the answer") == 0);
    httpx_client_free(c);
}

int main(void) {
    static const struct { const char *name; void (*fn)(void); } tests[] = {
        {"reads the temperature", test_reads_the_temperature},
        {"unknown city is an error", test_unknown_city_is_an_error},
        {"a timeout is reported", test_a_timeout_is_reported},
        {"follows the service when it moves", test_follows_the_service_when_it_moves},
        {"a garbled answer is an error", test_a_garbled_answer_is_an_error},
    };
    size_t i, n = sizeof tests / sizeof tests[0];
    int passed = 0;
    for (i = 0; i < n; i++) {
        int before = failures;
        tests[i].fn();
        printf("%-40s %s\n", tests[i].name, failures == before ? "ok" : "FAILED");
        passed += failures == before;
    }
    printf("%d of %d tests passed\n", passed, (int)n);
    return passed == (int)n ? 0 : 1;
}
