#!/bin/sh
# tests/bench/h2.sh - HTTP/2: httpx.h against h2load and libcurl, in one run.
#
#   sh tests/bench/h2.sh            (from the repository root; about 3 minutes)
#   REPEATS=5 N=100000 DL_MB=100 sh tests/bench/h2.sh
#
# Servers on 127.0.0.1, started here on free ports and stopped at exit:
#   nghttpd --no-tls (h2c), and nginx with HTTP/2 over TLS 1.2 (ECDSA P-256,
#   ECDHE + AES-128-GCM) from nginx_h2.conf.in, certificates made by openssl.
# Rows, each REPEATS times in alternating order, medians reported; a ratio
# is of the medians of the same run:
#   small GETs   one connection, 64 streams in flight, N GETs of 14 bytes:
#                bench_h2_httpx vs `h2load -c1 -m64` over h2c and over TLS,
#                and vs libcurl multi (CURLPIPE_MULTIPLEX) over TLS only
#                (Debian's libcurl 7.88 cannot reuse an h2c prior-knowledge
#                connection);
#   download     one stream of DL_MB MB over TLS: MB/s and client CPU s/GB,
#                httpx vs libcurl (and httpx over h2c for reference);
#   memory       of an idle HTTP/2 connection and per stream in flight, by
#                the counting allocator of bench_common.h (h2c run).
# Targets: httpx >= 0.8x h2load, >= 2x libcurl (small GETs).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CC=${CC:-cc}
NGINX=${NGINX:-/usr/sbin/nginx}
NGHTTPD=${NGHTTPD:-/usr/sbin/nghttpd}
REPEATS=${REPEATS:-5}
N=${N:-100000}
CONC=${CONC:-64}
DL_MB=${DL_MB:-100}
OUT=$ROOT/build/bench-h2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/httpx-h2bench-XXXXXX")
chmod 755 "$TMP"
NGD_PID=
NGX_PID=
cleanup() {
    [ -n "$NGD_PID" ] && kill "$NGD_PID" 2>/dev/null
    if [ -n "$NGX_PID" ]; then kill -TERM "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "h2.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() {
    if [ -s "$1" ]; then
        sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
    else echo n/a; fi
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }   # $1 RESULT line, $2 key

# ---- build ----
mkdir -p "$OUT" "$TMP/res" "$TMP/www" "$TMP/certs" "$TMP/tmp"
(cd "$ROOT" && python3 tools/amalgamate.py) || die "amalgamate failed"
$CC -std=c99 -O2 -DHTTPX_BEARSSL -I"$ROOT" "$HERE/bench_h2_httpx.c" -o "$OUT/bench_h2_httpx" -lbearssl -lpthread ||
    die "bench_h2_httpx does not build"
HAVE_CURL=1
$CC -std=c99 -O2 "$HERE/bench_h2_curl.c" -o "$OUT/bench_h2_curl" -lcurl 2>"$TMP/curl.log" || HAVE_CURL=0
command -v h2load >/dev/null 2>&1 || die "h2load not found (apt-get install nghttp2-client)"

# ---- files, certificates, servers ----
printf 'Hello, world!\n' >"$TMP/www/14.txt"
dd if=/dev/zero of="$TMP/www/big.bin" bs=1000000 count="$DL_MB" 2>/dev/null || die "no room for the download file"
chmod 644 "$TMP/www/"*
sh "$ROOT/tests/tls/gencerts.sh" "$TMP/certs" servers >"$TMP/certs.log" 2>&1 || die "openssl could not make the certificates"
CA=$TMP/certs/ca.pem

for try in 1 2 3 4 5; do
    P_H2C=$(free_port)
    "$NGHTTPD" --no-tls -a 127.0.0.1 -d "$TMP/www" "$P_H2C" >"$TMP/nghttpd.log" 2>&1 &
    NGD_PID=$!
    i=0
    while [ $i -lt 50 ] && ! curl -s -o /dev/null --http2-prior-knowledge "http://127.0.0.1:$P_H2C/14.txt"; do sleep 0.1; i=$((i + 1)); done
    curl -s -o /dev/null --http2-prior-knowledge "http://127.0.0.1:$P_H2C/14.txt" && break
    kill "$NGD_PID" 2>/dev/null; NGD_PID=
done
[ -n "$NGD_PID" ] || die "nghttpd did not start"

USER_LINE=
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
for try in 1 2 3 4 5; do
    P_TLS=$(free_port)
    sed -e "s|@PREFIX@|$TMP|g" -e "s|@ROOT@|$TMP/www|g" -e "s|@CERTS@|$TMP/certs|g" -e "s|@PORT@|$P_TLS|g" \
        -e "s|@USER@|$USER_LINE|g" "$HERE/nginx_h2.conf.in" >"$TMP/nginx.conf"
    "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/error.log" >"$TMP/nginx.out" 2>&1 &
    NGX_PID=$!
    i=0
    while [ $i -lt 50 ] && ! curl -s -o /dev/null --cacert "$CA" "https://127.0.0.1:$P_TLS/14.txt"; do sleep 0.1; i=$((i + 1)); done
    curl -s -o /dev/null --cacert "$CA" "https://127.0.0.1:$P_TLS/14.txt" && break
    kill "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; NGX_PID=
done
[ -n "$NGX_PID" ] || { cat "$TMP/error.log" >&2; die "nginx did not start"; }

H2C=http://127.0.0.1:$P_H2C
TLS=https://127.0.0.1:$P_TLS
echo "h2.sh: nghttpd h2c on :$P_H2C, nginx h2 on :$P_TLS; N=$N, $CONC streams, download $DL_MB MB, $REPEATS repeats" >&2

# ---- runs ----
keep() {  # $1 row, $2 RESULT line, keys...
    k_row=$1; k_line=$2; shift 2
    for k in "$@"; do
        v=$(field "$k_line" "$k")
        [ -n "$v" ] && echo "$v" >>"$TMP/res/$k_row.$k"
    done
}
httpx_multi() {  # $1 row, $2 url
    line=$(timeout 300 "$OUT/bench_h2_httpx" multi "$2/14.txt" "$N" "$CONC" "$CA" 2>>"$TMP/errors") &&
        keep "$1" "$line" rps cpu_us allocs mem_conn mem_req
}
h2load_run() {  # $1 row, $2 url
    line=$(timeout 300 h2load -c1 -m"$CONC" -n"$N" "$2/14.txt" 2>>"$TMP/errors" | grep '^finished in') &&
        echo "$line" | awk '{ print $4 }' >>"$TMP/res/$1.rps"
}
curl_multi() {
    [ $HAVE_CURL = 1 ] || return 0
    line=$(timeout 300 "$OUT/bench_h2_curl" multi "$TLS/14.txt" "$N" "$CONC" "$CA" 2>>"$TMP/errors") &&
        keep curl.tls "$line" rps cpu_us
}
download() {  # $1 row, $2 program, $3 url
    line=$(timeout 300 "$2" download "$3/big.bin" $((DL_MB * 1000000)) "$CA" 2>>"$TMP/errors") &&
        keep "$1" "$line" mbps cpu_s_per_gb
}

r=0
while [ $r -lt "$REPEATS" ]; do
    if [ $((r % 2)) -eq 0 ]; then
        httpx_multi httpx.h2c "$H2C"; h2load_run h2load.h2c "$H2C"
        httpx_multi httpx.tls "$TLS"; h2load_run h2load.tls "$TLS"; curl_multi
        download dl.httpx "$OUT/bench_h2_httpx" "$TLS"; [ $HAVE_CURL = 1 ] && download dl.curl "$OUT/bench_h2_curl" "$TLS"
    else
        h2load_run h2load.h2c "$H2C"; httpx_multi httpx.h2c "$H2C"
        curl_multi; h2load_run h2load.tls "$TLS"; httpx_multi httpx.tls "$TLS"
        [ $HAVE_CURL = 1 ] && download dl.curl "$OUT/bench_h2_curl" "$TLS"; download dl.httpx "$OUT/bench_h2_httpx" "$TLS"
    fi
    download dl.httpx.h2c "$OUT/bench_h2_httpx" "$H2C"
    r=$((r + 1))
done

# ---- the table ----
m() { median "$TMP/res/$1"; }
ratio() { echo "$1 $2" | awk '{ if ($1 == "n/a" || $2 == "n/a" || $2 == 0) print "n/a"; else printf "%.2fx", $1 / $2 }'; }
num() { echo "$1" | awk -v f="$2" '{ if ($1 == "n/a") print "n/a"; else printf f, $1 }'; }
echo
echo "HTTP/2, one connection, $CONC streams in flight, $N GETs of 14 B (medians of $REPEATS runs; load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %10s %10s %9s\n' "scenario" "req/s" "cpu us/req" "ratio"
printf '%-34s %10s %10s %9s\n' "httpx.h h2c (nghttpd)" "$(num "$(m httpx.h2c.rps)" %.0f)" "$(num "$(m httpx.h2c.cpu_us)" %.2f)" \
    "$(ratio "$(m httpx.h2c.rps)" "$(m h2load.h2c.rps)")"
printf '%-34s %10s %10s %9s\n' "h2load -c1 -m$CONC h2c (nghttpd)" "$(num "$(m h2load.h2c.rps)" %.0f)" "" ""
printf '%-34s %10s %10s %9s\n' "httpx.h TLS (nginx)" "$(num "$(m httpx.tls.rps)" %.0f)" "$(num "$(m httpx.tls.cpu_us)" %.2f)" \
    "$(ratio "$(m httpx.tls.rps)" "$(m h2load.tls.rps)")"
printf '%-34s %10s %10s %9s\n' "h2load -c1 -m$CONC TLS (nginx)" "$(num "$(m h2load.tls.rps)" %.0f)" "" ""
printf '%-34s %10s %10s %9s\n' "libcurl multi TLS (nginx)" "$(num "$(m curl.tls.rps)" %.0f)" "$(num "$(m curl.tls.cpu_us)" %.2f)" \
    "$(ratio "$(m httpx.tls.rps)" "$(m curl.tls.rps)")"
echo "  ratio: httpx.h / h2load on the same server; on the libcurl row httpx.h / libcurl."
echo "  targets: h2c $(ratio "$(m httpx.h2c.rps)" "$(m h2load.h2c.rps)") and TLS $(ratio "$(m httpx.tls.rps)" "$(m h2load.tls.rps)") of h2load (>= 0.80x);" \
     "$(ratio "$(m httpx.tls.rps)" "$(m curl.tls.rps)") of libcurl (>= 2x)"
echo
echo "download, one stream of $DL_MB MB"
printf '%-34s %10s %10s\n' "client" "MB/s" "cpu s/GB"
printf '%-34s %10s %10s\n' "httpx.h TLS (nginx)" "$(num "$(m dl.httpx.mbps)" %.0f)" "$(num "$(m dl.httpx.cpu_s_per_gb)" %.3f)"
printf '%-34s %10s %10s\n' "libcurl TLS (nginx)" "$(num "$(m dl.curl.mbps)" %.0f)" "$(num "$(m dl.curl.cpu_s_per_gb)" %.3f)"
printf '%-34s %10s %10s\n' "httpx.h h2c (nghttpd)" "$(num "$(m dl.httpx.h2c.mbps)" %.0f)" "$(num "$(m dl.httpx.h2c.cpu_s_per_gb)" %.3f)"
echo "  cpu: httpx.h / libcurl = $(ratio "$(m dl.httpx.cpu_s_per_gb)" "$(m dl.curl.cpu_s_per_gb)")"
echo
echo "memory (httpx.h, counting allocator): idle HTTP/2 connection $(m httpx.h2c.mem_conn) B (h2c), $(m httpx.tls.mem_conn) B (TLS, with the"
echo "  client's TLS configuration); per stream in flight, its task and response included: $(m httpx.h2c.mem_req) B;"
echo "  allocations per request: $(m httpx.h2c.allocs)"
if [ -s "$TMP/errors" ]; then echo; echo "errors:"; sort "$TMP/errors" | uniq -c | head -n 10; fi
