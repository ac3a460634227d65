#!/bin/sh
# The first run of httpx.h (`make demo`): starts a local server of our own on
# free 127.0.0.1 ports, runs the httpx command-line tool against it over http
# and https, and stops the server when it ends (Ctrl-C included).
#
#   tools/demo.sh           the demo
#   tools/demo.sh --serve   only the server, until Ctrl-C (`make serve`): for
#                           trying build/examples/* and build/examples/httpx.
#                           It takes ports 8080 (http) and 8443 (https) when
#                           they are free, the examples' default URLs.
#
# The server: nginx (when installed) serving files and proxying the
# httpbin-like endpoints (/anything, /json, /status/N, /delay/MS, ...) to
# tests/servers/rogue.py (python3); without nginx, rogue.py alone over http.
# https uses a throwaway CA and certificate that tests/tls/gencerts.sh makes
# with openssl in a temp dir;
# the tool trusts that CA through SSL_CERT_FILE, as HTTPX does.
set -u
cd "$(dirname "$0")/.."
HTTPX=${HTTPX:-build/examples/httpx}
GATHER=${GATHER:-build/examples/gather}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
PYTHON=${PYTHON:-python3}
serve=0
[ "${1:-}" = "--serve" ] && serve=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/httpx-demo-XXXXXX") || exit 1
chmod 755 "$tmp"
rogue_pid=""
nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
    [ -n "$rogue_pid" ] && kill "$rogue_pid" 2>/dev/null
    [ -n "$nginx_pid$rogue_pid" ] && sleep 0.2
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=""; plain=""; fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
note() { printf '    %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

[ -x "$HTTPX" ] || die "$HTTPX is missing: run make first"

# a port number to try; nginx tells us when it is taken
random_port() { echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 )); }

# Waits until URL answers (the tool itself is the probe); 1 after 5 s or
# when process PID (if given) has exited.
wait_up() {
    i=0
    while [ $i -lt 50 ]; do
        [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null && return 1
        "$HTTPX" "$1" --no-verify --timeout 1 >/dev/null 2>&1 && return 0
        i=$((i + 1)); sleep 0.1
    done
    return 1
}

# ---- the rogue server (python3): the httpbin-like endpoints ----
rogue_port=""
if command -v "$PYTHON" >/dev/null 2>&1; then
    "$PYTHON" tests/servers/rogue.py --port 0 --lifetime 3600 >"$tmp/rogue.port" 2>"$tmp/rogue.log" &
    rogue_pid=$!
    i=0
    while [ $i -lt 50 ] && ! [ -s "$tmp/rogue.port" ]; do i=$((i + 1)); sleep 0.1; done
    rogue_port=$(head -n 1 "$tmp/rogue.port")
    [ -n "$rogue_port" ] || { rogue_pid=""; note "rogue.py did not start: $(cat "$tmp/rogue.log")"; }
fi

# ---- certificates: a throwaway CA and a server certificate by it ----
have_tls=0
if command -v openssl >/dev/null 2>&1 && "$HTTPX" --help >/dev/null 2>&1; then
    sh tests/tls/gencerts.sh "$tmp" servers >"$tmp/openssl.log" 2>&1 && have_tls=1
    [ $have_tls = 1 ] || note "openssl failed, https is skipped: $(tail -n 3 "$tmp/openssl.log")"
fi

# ---- nginx ----
mkdir -p "$tmp/root"
printf 'Hello, world!\n' > "$tmp/root/hello.txt"
dd if=/dev/urandom of="$tmp/root/big.bin" bs=1048576 count=40 2>/dev/null
chmod -R a+rX "$tmp/root"

start_nginx() {  # start_nginx HTTP_PORT HTTPS_PORT; 0 when it runs
    user=""
    [ "$(id -u)" = 0 ] && user="user root $(id -gn root 2>/dev/null || echo root);"
    temps="client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy;"
    info=$("$NGINX" -V 2>&1)
    for m in fastcgi uwsgi scgi; do
        case "$info" in *--without-http_${m}_module*) ;; *) temps="$temps ${m}_temp_path $tmp/$m;" ;; esac
    done
    if [ -n "$rogue_port" ]; then
        fallback="proxy_pass http://rogue; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host; proxy_buffering off;"
    else
        fallback="default_type text/plain; return 503 \"this endpoint needs python3 (tests/servers/rogue.py)\\n\";"
    fi
    upstream=""
    [ -n "$rogue_port" ] && upstream="upstream rogue { server 127.0.0.1:$rogue_port; keepalive 16; }"
    tls_server=""
    [ $have_tls = 1 ] && tls_server="server { listen 127.0.0.1:$2 ssl; ssl_certificate $tmp/server-ec.pem; ssl_certificate_key $tmp/server-ec.key; include $tmp/locations.conf; }"
    cat > "$tmp/locations.conf" <<EOF
root $tmp/root;
location / { }
# the httpbin-like endpoints of tests/servers/rogue.py
location ~ ^/(anything|json|status|delay|basic-auth|bearer|flaky|bytes|chunked|drip|redirect|utf8|latin1|repeat-header|set-header|echo)(/|\$) { $fallback }
location = /big.bin { limit_rate 16m; }
location = /conn-id { default_type text/plain; return 200 "\$connection"; }
EOF
    cat > "$tmp/nginx.conf" <<EOF
$user
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    $temps
    server_tokens off;
    keepalive_requests 100000;
    types { text/plain txt; application/octet-stream bin; }
    $upstream
    server { listen 127.0.0.1:$1; include $tmp/locations.conf; }
    $tls_server
}
EOF
    "$NGINX" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" </dev/null >/dev/null 2>&1 &
    nginx_pid=$!
    wait_up "http://127.0.0.1:$1/hello.txt" "$nginx_pid" && return 0
    kill "$nginx_pid" 2>/dev/null
    nginx_pid=""
    return 1
}

http_port=""
https_port=""
if [ -x "$NGINX" ]; then
    tries=0
    while [ $tries -lt 8 ]; do
        if [ $tries = 0 ] && [ $serve = 1 ]; then p1=8080; p2=8443; else p1=$(random_port); p2=$((p1 + 1)); fi
        if start_nginx $p1 $p2; then http_port=$p1; https_port=$p2; break; fi
        tries=$((tries + 1))
    done
    [ -n "$http_port" ] || note "nginx did not start: $(tail -n 3 "$tmp/error.log" 2>/dev/null)"
fi
if [ -z "$http_port" ]; then
    [ -n "$rogue_port" ] || die "no server: install nginx (apt-get install nginx-light) or python3"
    http_port=$rogue_port
    have_tls=0
    note "no nginx: tests/servers/rogue.py serves http alone (no files, no https)"
fi
[ $have_tls = 1 ] && [ -z "$nginx_pid" ] && have_tls=0

H=http://127.0.0.1:$http_port
hello=/hello.txt                       # a small file; rogue.py alone has /json
[ -n "$nginx_pid" ] || hello=/json
S=https://127.0.0.1:$https_port
SSL_CERT_FILE=$tmp/ca.pem
export SSL_CERT_FILE

if [ $serve = 1 ]; then
    say "serving until Ctrl-C"
    note "http:  $H      (/hello.txt, /big.bin, /anything, /json, /status/N, /delay/MS, /conn-id, ...)"
    [ $have_tls = 1 ] && note "https: $S     (its CA: $tmp/ca.pem; SSL_CERT_FILE=$tmp/ca.pem makes the tool trust it)"
    note "try:   build/examples/httpx $H/json"
    note "       build/examples/methods $H"
    while :; do sleep 3600; done
fi

failed=0
step() {  # step EXIT_CODE "explanation" command...: shows and runs one step
    want=$1; say "$2"; shift 2
    printf '    $'
    for a in "$@"; do   # shown so that it can be pasted: arguments with spaces or quotes in '...'
        case "$a" in *[\ \"\'{}\[\]\&\;]*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac
    done
    printf '\n\n'
    "$@"; got=$?
    [ $got = 0 ] || echo "    (exit code $got)"
    [ $got = "$want" ] || failed=$((failed + 1))
}

if [ $have_tls = 1 ]; then
    echo "httpx.h demo: a local server on $H and $S"
else
    echo "httpx.h demo: a local server on $H"
fi

step 0 "A GET: the status line, the headers, then the body" \
    "$HTTPX" "$H$hello"
if [ $have_tls = 1 ]; then
    step 0 "The same over https, the certificate checked against the demo's throwaway CA (SSL_CERT_FILE)" \
        "$HTTPX" "$S/hello.txt"
fi
if [ -n "$rogue_port" ]; then
    step 0 "A JSON POST; the server answers with what it received, pretty-printed" \
        "$HTTPX" "$H/anything" -j '{"name": "Ada", "languages": ["C", "Python"]}' -p page 2
    if [ $have_tls = 1 ]; then
        step 0 "-v shows the request (as the tool builds it) and what the library says of the connection" \
            "$HTTPX" "$S/json" -v
    fi
else
    note "(the JSON steps need python3 for tests/servers/rogue.py: skipped)"
fi
if [ $have_tls = 1 ]; then
    step 0 "A streamed download with a progress bar (40 MB; the server is slowed down so that the bar shows)" \
        "$HTTPX" "$S/big.bin" --download "$tmp/big.bin"
elif [ -n "$nginx_pid" ]; then
    step 0 "A streamed download with a progress bar (40 MB; the server is slowed down so that the bar shows)" \
        "$HTTPX" "$H/big.bin" --download "$tmp/big.bin"
fi
if [ -x "$GATHER" ]; then
    step 0 "150 concurrent requests from one thread, at most 20 at a time (examples/gather.c)" \
        "$GATHER" "$H$hello"
fi
step 1 "Errors have exit codes: an HTTP error status is 1 (the usage text lists the others)" \
    "$HTTPX" "$H/no-such-page"

say "done: the server is stopped."
note "make serve           the same server until Ctrl-C, for build/examples/* (see README)"
note "build/examples/httpx --help"
[ $failed = 0 ] || echo "demo: $failed step(s) did not do what they should" >&2
[ $failed = 0 ]
