/* The httpx command-line tool (examples/httpx.c), run as a user runs it,
   against the test servers: every flag, the output format and the exit
   codes. The rogue server's /anything answers with what it received, as
   httpbin.org does, so each flag's effect is read back from the body. */
#include "test.h"
#include "fixtures.h"
#include "fixtures_run.h"
#include "fixtures_tls.h"
#include "fixtures_httpbin.h"
#include <stdlib.h>
#include <unistd.h>

static char out[1 << 17];

/* Runs "build/examples/httpx ARGS" (stderr too, colour off unless env says
   otherwise) and returns its exit code; the output is in out. */
static int cli(const char *env, const char *fmt, const char *a, const char *b) {
    char args[2048], cmd[4096];
    snprintf(args, sizeof args, fmt, a ? a : "", b ? b : "");
    snprintf(cmd, sizeof cmd, "NO_COLOR= FORCE_COLOR= HTTPX_PROGRESS= %s build/examples/httpx %s 2>&1",
             env ? env : "", args);
    return fx_run(cmd, out, sizeof out);
}

#define HAS(s) CHECK(strstr(out, s) != NULL)
#define LACKS(s) CHECK(strstr(out, s) == NULL)

TEST(cli_get_prints_status_headers_and_pretty_json) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s", fx_rogue_at("/json"), NULL), 0);
    CHECK(strncmp(out, "HTTP/1.1 200 OK\n", 16) == 0);
    HAS("\nContent-Type: application/json\n");
    HAS("\n\n{\n    \"hello\": \"world\",\n    \"n\": 1,\n    \"list\": [\n        1,\n        2,\n        3\n    ]\n}\n");
    LACKS("\033[");                                 /* piped: no colour */
    CHECK_INT(cli("FORCE_COLOR=1", "%s", fx_rogue_at("/json"), NULL), 0);
    HAS("\033[1;34m\"hello\"\033[0m: \033[32m\"world\"\033[0m");
    HAS("\033[36m1\033[0m");
}

TEST(cli_text_binary_and_head_bodies) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_nginx_port());
    CHECK_INT(cli(NULL, "%s", fx_nginx_at("/hello.txt"), NULL), 0);
    HAS("\n\nHello, world!\n");
    CHECK_INT(cli(NULL, "%s", fx_nginx_at("/small.bin"), NULL), 0);
    HAS("\n\n<128 bytes of binary data>\n");
    CHECK_INT(cli(NULL, "%s -m HEAD", fx_nginx_at("/hello.txt"), NULL), 0);
    HAS("Content-Length: 14\n");
    LACKS("Hello, world!");
    CHECK_INT(cli(NULL, "%s", fx_rogue_at("/latin1"), NULL), 0);
    HAS("\n\ncaf\xc3\xa9\n");                       /* decoded from ISO-8859-1 */
}

TEST(cli_method_params_headers_cookies) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s -m PUT -p q 'a b' -p q 2 -H X-Token abc -H Accept text/plain",
                  fx_rogue_at("/anything"), NULL), 0);
    HAS("\"method\": \"PUT\"");
    HAS("\"q\": [\n            \"a b\",\n            \"2\"\n        ]");
    HAS("\"X-Token\": \"abc\"");
    HAS("\"Accept\": \"text/plain\"");              /* the caller's Accept wins */
    CHECK_INT(cli(NULL, "%s --cookies session abc --cookies theme dark", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"Cookie\": \"session=abc; theme=dark\"");
    HAS("\"method\": \"GET\"");
}

/* --cookie-jar: a login flow over two runs of the tool, the jar in a file
   curl could read. */
TEST(cli_cookie_jar_file) {
    char dir[] = "/tmp/httpx-cli-jar-XXXXXX", jar[128], args[256], *text;
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    REQUIRE(mkdtemp(dir));
    snprintf(jar, sizeof jar, "%s/jar.txt", dir);
    snprintf(args, sizeof args, "%%s --cookie-jar %s", jar);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/cookies/set/session/abc123"), NULL), 0);
    HAS("HTTP/1.1 302 Found");
    text = test_read_file(jar, NULL);
    CHECK(text && strstr(text, "# Netscape HTTP Cookie File\n"));
    CHECK(text && strstr(text, "\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n"));
    free(text);
    snprintf(args, sizeof args, "%%s --cookie-jar %s --cookies theme dark", jar);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/cookies"), NULL), 0);
    HAS("\"session\": \"abc123\"");
    HAS("\"theme\": \"dark\"");
    snprintf(args, sizeof args, "%%s --cookie-jar %s", jar);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/cookies/delete?session"), NULL), 0);
    text = test_read_file(jar, NULL);
    CHECK(text && !strstr(text, "session"));
    free(text);
    /* followed: the cookie the redirect hop sets is in the jar file and goes
       with the next hop (the client uses the file's jar as its own) */
    snprintf(args, sizeof args, "%%s --cookie-jar %s --follow-redirects", jar);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/cookies/set/hop/1"), NULL), 0);
    HAS("\"hop\": \"1\"");
    text = test_read_file(jar, NULL);
    CHECK(text && strstr(text, "\thop\t1\n"));
    free(text);
    /* a jar file that cannot be written: the request is shown, the exit code says 7 */
    CHECK_INT(cli(NULL, "%s --cookie-jar /nonexistent/dir/jar.txt", fx_rogue_at("/cookies/set/a/b"), NULL), 7);
    HAS("cannot write cookie file");
    remove(jar);
    rmdir(dir);
}

TEST(cli_bodies_json_form_files) {
    char dir[] = "/tmp/httpx-cli-XXXXXX", path[64], args[256];
    FILE *f;
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s -j '{\"name\": \"ada\", \"tags\": [\"x\"]}'", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"method\": \"POST\"");                    /* a body makes the default POST */
    HAS("\"Content-Type\": \"application/json\"");
    HAS("\"json\": {\n        \"name\": \"ada\",\n        \"tags\": [\n            \"x\"\n        ]\n    }");
    CHECK_INT(cli(NULL, "%s -j '{\"broken\": }'", fx_rogue_at("/anything"), NULL), 2);
    HAS("-j is not JSON");
    CHECK_INT(cli(NULL, "%s -d user ada -d lang 'C & more'", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"Content-Type\": \"application/x-www-form-urlencoded\"");
    HAS("\"form\": {\n        \"user\": \"ada\",\n        \"lang\": \"C & more\"\n    }");

    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/report.txt", dir);
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("quarterly numbers\n", f);
    fclose(f);
    snprintf(args, sizeof args, "%%s -f upload %s -d note hi", path);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/anything"), NULL), 0);
    HAS("multipart/form-data; boundary=");
    HAS("\"files\": {\n        \"upload\": \"quarterly numbers\\n\"\n    }");
    HAS("\"form\": {\n        \"note\": \"hi\"\n    }");
    remove(path);
    rmdir(dir);
    CHECK_INT(cli(NULL, "%s -f upload /nonexistent/file", fx_rogue_at("/anything"), NULL), 2);
    HAS("cannot read \"/nonexistent/file\"");
    CHECK_INT(cli(NULL, "%s -j '{}' -d a b", fx_rogue_at("/anything"), NULL), 2);
}

TEST(cli_auth_and_status_exit_codes) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s --auth ada secret", fx_rogue_at("/basic-auth/ada/secret"), NULL), 0);
    HAS("\n\nauthenticated\n");
    CHECK_INT(cli(NULL, "%s --auth ada wrong", fx_rogue_at("/basic-auth/ada/secret"), NULL), 1);
    HAS("HTTP/1.1 401 Unauthorized\n");
    CHECK_INT(cli(NULL, "%s", fx_rogue_at("/status/500"), NULL), 1);
    CHECK_INT(cli(NULL, "%s", fx_rogue_at("/status/399"), NULL), 0);
}

/* --digest (curl's spelling: HTTPX's CLI has no digest flag) with --auth */
TEST(cli_digest_auth) {
    int port = fx_httpbin_port();
    REQUIRE(fx_have_prog("examples/httpx") && port);
    CHECK_INT(cli(NULL, "%s --auth user passwd --digest", fx_url(port, "/digest-auth/auth/user/passwd/SHA-256"), NULL), 0);
    HAS("\"authenticated\": true");
    CHECK_INT(cli(NULL, "%s --digest --auth user wrong", fx_url(port, "/digest-auth/auth/user/passwd/MD5"), NULL), 1);
    HAS(" 401 ");
    CHECK_INT(cli(NULL, "%s --digest", fx_url(port, "/digest-auth/auth/user/passwd"), NULL), 2);
    HAS("--digest goes with --auth");
}

TEST(cli_redirects_shown_or_followed) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_nginx_port());
    CHECK_INT(cli(NULL, "%s", fx_nginx_at("/status/302"), NULL), 0);
    HAS("HTTP/1.1 302 Moved Temporarily\n");
    HAS("Location: /hello.txt\n");
    CHECK_INT(cli(NULL, "%s --follow-redirects", fx_nginx_at("/status/302"), NULL), 0);
    HAS("HTTP/1.1 200 OK\n");
    HAS("Hello, world!");
    CHECK_INT(cli(NULL, "%s --follow-redirects", fx_nginx_at("/loop"), NULL), 6);
    HAS("redirect");
}

/* --follow-redirects prints every hop's response head, as HTTPX's command
   does (without -v too), then the final one with its body; -L is curl's. */
TEST(cli_follow_redirects_prints_every_hop) {
    const char *p;
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s --follow-redirects", fx_rogue_at("/redirect?to=/redirect%3Fto%3D/json%26code%3D307"), NULL), 0);
    REQUIRE(strncmp(out, "HTTP/1.1 302 Found\n", 19) == 0);
    p = strstr(out, "Location: /redirect?to=/json&code=307\n");
    CHECK(p != NULL);
    p = p ? strstr(p, "\n\nHTTP/1.1 307 Temporary Redirect\n") : NULL;
    CHECK(p != NULL);
    p = p ? strstr(p, "Location: /json\n") : NULL;
    CHECK(p != NULL);
    p = p ? strstr(p, "\n\nHTTP/1.1 200 OK\n") : NULL;
    CHECK(p != NULL);
    HAS("\"hello\": \"world\"");
    LACKS("redirecting");                           /* the hops' bodies are not shown */
    CHECK_INT(cli(NULL, "%s -L", fx_rogue_at("/redirect?to=/json"), NULL), 0);
    HAS("HTTP/1.1 302 Found\n");
    HAS("\n\nHTTP/1.1 200 OK\n");
}

/* HTTPX's short flags (-h headers, -c content) and curl's aliases. */
TEST(cli_httpx_and_curl_spellings) {
    char dir[] = "/tmp/httpx-cli-alias-XXXXXX", path[128], args[512], *text;
    FILE *f;
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s -h X-One 1 --headers X-Two 2 -H 'X-Three:  3' -H X-Four 4", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"X-One\": \"1\"");
    HAS("\"X-Two\": \"2\"");
    HAS("\"X-Three\": \"3\"");
    HAS("\"X-Four\": \"4\"");
    CHECK_INT(cli(NULL, "%s -c 'raw text body' -h Content-Type text/plain", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"method\": \"POST\"");
    HAS("\"data\": \"raw text body\"");
    CHECK_INT(cli(NULL, "%s --content abc -X PUT", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"method\": \"PUT\"");
    HAS("\"data\": \"abc\"");
    CHECK_INT(cli(NULL, "%s --request PATCH --data-raw xyz", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"method\": \"PATCH\"");
    HAS("\"data\": \"xyz\"");
    CHECK_INT(cli(NULL, "%s -u ada:s:ecret", fx_rogue_at("/basic-auth/ada/s:ecret"), NULL), 0);
    HAS("authenticated");
    CHECK_INT(cli(NULL, "%s --user ada:wrong", fx_rogue_at("/basic-auth/ada/secret"), NULL), 1);
    CHECK_INT(cli(NULL, "%s -b 'a=1; b=2' --cookies c 3", fx_rogue_at("/anything"), NULL), 0);
    HAS("\"Cookie\": \"a=1; b=2; c=3\"");
    /* -b FILE: read, never written */
    REQUIRE(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/jar.txt", dir);
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tfrom\tfile\n", f);
    fclose(f);
    snprintf(args, sizeof args, "%%s -b %s", path);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/cookies/set/new/one"), NULL), 0);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/anything"), NULL), 0);
    HAS("\"Cookie\": \"from=file\"");
    text = test_read_file(path, NULL);
    CHECK(text && !strstr(text, "new"));
    free(text);
    snprintf(args, sizeof args, "%%s -b %s/missing.txt", dir);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/anything"), NULL), 2);
    HAS("cannot read it");
    /* -F name=@file and name=value */
    snprintf(path, sizeof path, "%s/up.txt", dir);
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("file body", f);
    fclose(f);
    snprintf(args, sizeof args, "%%s -F doc=@%s -F lang=C", path);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/anything"), NULL), 0);
    HAS("\"doc\": \"file body\"");
    HAS("\"lang\": \"C\"");
    remove(path);
    snprintf(path, sizeof path, "%s/jar.txt", dir);
    remove(path);
    rmdir(dir);
    /* one body only */
    CHECK_INT(cli(NULL, "%s -c a -j '{}'", fx_rogue_at("/anything"), NULL), 2);
    HAS("a request has one body");
    CHECK_INT(cli(NULL, "%s -c a -d x y", fx_rogue_at("/anything"), NULL), 2);
    /* bad alias values */
    CHECK_INT(cli(NULL, "%s -u nocolon", fx_rogue_at("/anything"), NULL), 2);
    HAS("-u wants USER:PASSWORD");
    CHECK_INT(cli(NULL, "%s -F novalue", fx_rogue_at("/anything"), NULL), 2);
    CHECK_INT(cli(NULL, "%s -H ':x'", fx_rogue_at("/anything"), NULL), 2);
    /* -h alone is still help */
    CHECK_INT(cli(NULL, "%s", "-h", NULL), 0);
    HAS("usage: httpx URL [options]");
    HAS("-H 'Name: value'");
}

TEST(cli_transport_error_exit_codes) {
    char url[64];
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", fx_closed_port());
    CHECK_INT(cli(NULL, "%s", url, NULL), 3);
    HAS("httpx: GET http://127.0.0.1:");
    HAS("refused");
    CHECK_INT(cli(NULL, "%s --timeout 0.3", fx_rogue_at("/delay/5000"), NULL), 4);
    HAS("timeout");
    CHECK_INT(cli(NULL, "%s", fx_rogue_at("/bad/status-line"), NULL), 6);
    CHECK_INT(cli(NULL, "%s --timeout 0", fx_rogue_at("/delay/10"), NULL), 0);   /* 0: no limit */
    CHECK_INT(cli(NULL, "%s", "ftp://127.0.0.1/x", NULL), 2);
    CHECK_INT(cli(NULL, "%s", "http://exa mple.com/", NULL), 2);
}

TEST(cli_usage_errors_and_help) {
    REQUIRE(fx_have_prog("examples/httpx"));
    CHECK_INT(cli(NULL, "%s", "", NULL), 2);
    HAS("which URL?");
    CHECK_INT(cli(NULL, "%s", "--help", NULL), 0);
    HAS("usage: httpx URL [options]");
    HAS("Exit codes: 0 success, 1 HTTP status >= 400, 2 usage");
    CHECK_INT(cli(NULL, "%s", "http://127.0.0.1:1/ --bogus", NULL), 2);
    HAS("unknown option --bogus");
    CHECK_INT(cli(NULL, "%s", "http://127.0.0.1:1/ -p onlyname", NULL), 2);
    HAS("-p needs two values");
    CHECK_INT(cli(NULL, "%s", "http://127.0.0.1:1/ --timeout soon", NULL), 2);
    CHECK_INT(cli(NULL, "%s", "http://127.0.0.1:1/ http://127.0.0.1:2/", NULL), 2);
    CHECK_INT(cli(NULL, "%s", "http://127.0.0.1:1/ --proxy", NULL), 2);
    HAS("--proxy needs a value");
}

/* --http2 over http:// stays HTTP/1.1, as in HTTPX's CLI (h2 is offered
   through TLS's ALPN only). */
TEST(cli_http2_over_plain_http_is_http1) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_nginx_port());
    CHECK_INT(cli(NULL, "%s --http2", fx_nginx_at("/hello.txt"), NULL), 0);
    HAS("HTTP/1.1 200 OK\n");
}

/* --uds (and curl's spelling, --unix-socket) go through nginx's Unix
   socket: the URL's host resolves nowhere. A missing socket is a network
   failure (exit 3) that names the path. */
TEST(cli_uds_and_unix_socket) {
    const char *path = fx_nginx_uds("http");
    REQUIRE(fx_have_prog("examples/httpx") && path);
    CHECK_INT(cli(NULL, "http://nginx.invalid/hello.txt --uds %s", path, NULL), 0);
    HAS("HTTP/1.1 200 OK\n");
    HAS("Hello, world!");
    CHECK_INT(cli(NULL, "--unix-socket %s http://nginx.invalid/status/404", path, NULL), 1);
    HAS("HTTP/1.1 404");
    CHECK_INT(cli(NULL, "http://localhost/ --uds %s.missing", path, NULL), 3);
    HAS(".missing");
    CHECK_INT(cli(NULL, "http://localhost/ --uds", NULL, NULL), 2);
}

TEST(cli_verbose_shows_request_and_connection) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s -v -p a 1 -H X-Thing yes -j '[1]'", fx_rogue_at("/anything"), NULL), 0);
    REQUIRE(strncmp(out, "POST /anything?a=1 HTTP/1.1\nHost: 127.0.0.1:", 44) == 0);   /* as sent */
    HAS("\nUser-Agent: httpx.h-cli/" HTTPX_VERSION "\n");
    HAS("\nX-Thing: yes\n");
    HAS("\nContent-Type: application/json\n");
    HAS("\nContent-Length: 3\n\n* HTTP/1.1 over a new connection\n");
    HAS("* HTTP/1.1 http://127.0.0.1:");
    HAS("\"User-Agent\": \"httpx.h-cli/" HTTPX_VERSION "\"");   /* what the server got matches */
}

/* -v shows every hop as it was sent and answered (it used to show one
   request, made up from the final URL). */
TEST(cli_verbose_shows_every_hop_as_sent) {
    REQUIRE(fx_have_prog("examples/httpx") && fx_rogue_port());
    CHECK_INT(cli(NULL, "%s --follow-redirects -v", fx_rogue_at("/redirect?to=/redirect%3Fto%3D/echo/end"), NULL), 0);
    REQUIRE(strncmp(out, "GET /redirect?to=/redirect%3Fto%3D/echo/end HTTP/1.1\n", 52) == 0);
    HAS("\n* HTTP/1.1 over a new connection\nHTTP/1.1 302 Found\nLocation: /redirect?to=/echo/end\n");
    HAS("\n\nGET /redirect?to=/echo/end HTTP/1.1\n");
    HAS("\n* HTTP/1.1 over a reused connection\nHTTP/1.1 302 Found\nLocation: /echo/end\n");
    HAS("\n\nGET /echo/end HTTP/1.1\n");
    HAS("\nHTTP/1.1 200 OK\n");
    CHECK(strstr(strstr(out, "HTTP/1.1 200 OK") + 1, "HTTP/1.1 200 OK") == NULL);   /* the final head once */
}

/* The nginx fixture's /1mb.bin: byte i is (i*7+3) & 0xff. */
static int is_1mb_pattern(const char *path) {
    size_t len = 0, i;
    char *d = test_read_file(path, &len);
    int ok = d && len == 1048576;
    for (i = 0; ok && i < len; i++) ok = (unsigned char)d[i] == ((i * 7 + 3) & 0xff);
    free(d);
    return ok;
}

TEST(cli_download_with_progress) {
    char dir[] = "/tmp/httpx-dl-XXXXXX", file[64], part[80], args[256];
    REQUIRE(fx_have_prog("examples/httpx") && fx_nginx_port() && fx_rogue_port());
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(file, sizeof file, "%s/big.bin", dir);
    snprintf(part, sizeof part, "%s.part", file);
    snprintf(args, sizeof args, "%%s --download %s", file);

    CHECK_INT(cli("HTTPX_PROGRESS=1", args, fx_nginx_at("/1mb.bin"), NULL), 0);
    CHECK(is_1mb_pattern(file));
    HAS("HTTP/1.1 200 OK\n");
    HAS("\r100% [##############################] 1.0 MB / 1.0 MB");
    HAS("ETA 0:00");
    HAS("saved 1048576 bytes to ");
    LACKS("<1048576 bytes");                        /* the body went to the file */
    CHECK(access(part, F_OK) != 0);

    CHECK_INT(cli(NULL, args, fx_rogue_at("/chunked/70000"), NULL), 0);    /* length unknown */
    HAS("* 70.0 kB");
    HAS("(length unknown)");
    LACKS("\r");                                    /* not a terminal: one final line */
    HAS("saved 70000 bytes");

    remove(file);
    CHECK_INT(cli(NULL, args, fx_nginx_at("/status/404"), NULL), 1);     /* error pages are shown */
    HAS("nothing saved to");
    CHECK(access(file, F_OK) != 0);
    CHECK_INT(cli(NULL, args, fx_rogue_at("/close-mid-body"), NULL), 6); /* no half file left */
    HAS("download failed");
    CHECK(access(file, F_OK) != 0 && access(part, F_OK) != 0);
    rmdir(dir);
    snprintf(args, sizeof args, "%%s --download %s/no/such/dir/x", dir);
    CHECK_INT(cli(NULL, args, fx_nginx_at("/hello.txt"), NULL), 7);
}

#ifdef HTTPX_BEARSSL
static const char *https_hello(const char *server) {
    static char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hello.txt", fxt_nginx_port(server));
    return url;
}

TEST(cli_https_verify_no_verify_and_ca_file) {
    char env[512];
    REQUIRE(fx_have_prog("examples/httpx") && fxt_nginx_port("selfsigned") && fxt_nginx_port("rsa"));
    CHECK_INT(cli(NULL, "%s", https_hello("selfsigned"), NULL), 5);
    HAS("httpx: GET https://");
    CHECK_INT(cli(NULL, "%s --no-verify", https_hello("selfsigned"), NULL), 0);
    HAS("Hello, TLS!");
    CHECK_INT(cli(NULL, "%s -k", https_hello("selfsigned"), NULL), 0);           /* curl's */
    HAS("Hello, TLS!");
    CHECK_INT(cli(NULL, "%s --insecure --verify", https_hello("selfsigned"), NULL), 5);   /* the last word wins */
    snprintf(env, sizeof env, "SSL_CERT_FILE=%s", fxt_cert("ca.pem"));
    CHECK_INT(cli(env, "%s -v", https_hello("rsa"), NULL), 0);
    HAS("X-Protocol: TLSv1.2");
    HAS("* HTTP/1.1 over a new connection, TLSv1.2, cipher ECDHE-RSA-");   /* what it negotiated */
    HAS(", ALPN http/1.1\n");
    HAS("Hello, TLS!");
    CHECK_INT(cli(env, "%s -v --http2", https_hello("h2"), NULL), 0);
    /* HTTP/2's request as encoded: pseudo-headers, lower-case names; no HTTP/1.1 line */
    REQUIRE(strncmp(out, ":method: GET\n:scheme: https\n:authority: 127.0.0.1:", 50) == 0);
    HAS("\n:path: /hello.txt\n");
    HAS("\nuser-agent: httpx.h-cli/");
    LACKS("HTTP/1.1");
    HAS("* HTTP/2 over a new connection, TLS");
    HAS(", ALPN h2\n");
    HAS("* HTTP/2 https://");
    HAS("HTTP/2 200");
}
#endif
