/* mock_test: testing your own code without a server, as HTTPX's
       def handler(request):
           return httpx.Response(200, json={"temp": 21.5})
       client = httpx.Client(transport=httpx.MockTransport(handler))
   and as respx's routes:
       respx.get("https://weather.example/v1/weather").mock(return_value=httpx.Response(200, json=...))
   Give the client a router (httpx_mock_router_handler as httpx_client_opts.mock):
   every request your code sends is answered from memory by the first route
   that matches it, and the client does the rest as over the network
   (redirects, limits, status checks, JSON, tasks). A request no route
   expects fails, and each route counts its calls, so a test can check that
   what it expected was asked. Below, the code under test is a small weather
   client; each test lists what the weather service says.
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

#define LYON "https://weather.example/v1/weather?city=Lyon"

/* A client whose every request goes to the router's routes. */
static httpx_client *routed_client(httpx_mock_router *m) {
    return httpx_client_new(&(httpx_client_opts){ .base_url = "https://weather.example",
                                                  .mock = httpx_mock_router_handler, .mock_user_data = m,
                                                  .follow_redirects = true });
}

/* Every route was used: the test asked what it meant to ask. */
static void expect_all_called(httpx_mock_router *m) {
    char which[256];
    if (httpx_mock_router_uncalled(m, which, sizeof which)) {
        printf("    FAILED: routes never called: %s\n", which);
        failures++;
    }
}

static void test_reads_the_temperature(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    int weather = httpx_mock_route_json(m, "GET", LYON, 200, "{\"city\": \"Lyon\", \"temp\": 21.5}");
    char err[256] = "";
    httpx_client *c = routed_client(m);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == 21.5);
    EXPECT(httpx_mock_route_calls(m, weather) == 1);
    expect_all_called(m);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

/* A route can be a function too, to look at what was sent. */
static void check_key(void *user_data, const httpx_req *q, httpx_mock_reply *reply) {
    const char *key = httpx_request_header(q, "x-api-key");
    (void)user_data;
    if (!key || strcmp(key, "secret") != 0) httpx_reply_json(reply, 401, "{\"error\": \"no key\"}");
    else httpx_reply_json(reply, 200, "{\"temp\": 20}");
}

static void test_sends_the_api_key(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    httpx_mock_route_fn(m, "GET", LYON, check_key, NULL);
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == 20);
    expect_all_called(m);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

static void test_unknown_city_is_an_error(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    httpx_mock_route_json(m, "GET", "https://weather.example/v1/weather", 404, "{\"error\": \"unknown city\"}");
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Atlantis", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "Not Found") == 0);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

static void test_a_timeout_is_reported(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    httpx_mock_route_error(m, "GET", "https://weather.example/*", HTTPX_ERR_READ_TIMEOUT,
                           "the weather service did not answer");
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "the weather service did not answer") == 0);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

/* The service moved: the client follows, and each route is asked once. */
static void test_follows_the_service_when_it_moves(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    int v1 = httpx_mock_route(m, "GET", "/v1/weather", 308, NULL, NULL);
    int v2 = httpx_mock_route_json(m, "GET", "/v2/weather", 200, "{\"temp\": 19}");
    httpx_mock_route_header(m, v1, "Location", "/v2/weather?city=Lyon");
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == 19);
    EXPECT(httpx_mock_route_calls(m, v1) == 1 && httpx_mock_route_calls(m, v2) == 1);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

static void test_a_garbled_answer_is_an_error(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    httpx_mock_route(m, "GET", LYON, 200, "application/json", "{\"temp\": ");
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Lyon", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "no temperature in the answer") == 0);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

/* What no route expects never reaches a made-up answer: it fails. */
static void test_an_unexpected_request_fails(void) {
    httpx_mock_router *m = httpx_mock_router_new();
    char err[256] = "";
    httpx_client *c;
    httpx_mock_route_json(m, "GET", LYON, 200, "{\"temp\": 21.5}");
    c = routed_client(m);
    EXPECT(fetch_temperature(c, "Paris", err, sizeof err) == -1000);
    EXPECT(strcmp(err, "no route matched GET https://weather.example/v1/weather?city=Paris") == 0);
    EXPECT(httpx_mock_router_unmatched(m) == 1);
    httpx_client_free(c);
    httpx_mock_router_free(m);
}

int main(void) {
    static const struct { const char *name; void (*fn)(void); } tests[] = {
        {"reads the temperature", test_reads_the_temperature},
        {"sends the api key", test_sends_the_api_key},
        {"unknown city is an error", test_unknown_city_is_an_error},
        {"a timeout is reported", test_a_timeout_is_reported},
        {"follows the service when it moves", test_follows_the_service_when_it_moves},
        {"a garbled answer is an error", test_a_garbled_answer_is_an_error},
        {"an unexpected request fails", test_an_unexpected_request_fails},
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
