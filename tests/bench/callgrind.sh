#!/bin/sh
# tests/bench/callgrind.sh - `make bench-callgrind`: user-space instructions
# per warm request, counted by callgrind, for three rows:
#
#   h1 seq     sequential keep-alive GETs of 14 bytes on one connection
#              (bench_httpx.c) against nginx
#   h1 c64     64 tasks in flight on 64 connections (bench_httpx_multi.c)
#              against nginx
#   h2c m64    64 streams in flight on one h2c connection (bench_h2_httpx.c
#              multi) against nghttpd --no-tls
#
# Instruction counts are steady where throughput on a shared VM is not, so
# this is the number a change to the engine is held to (issue 13: within 3%
# of the baseline). Each row runs the client twice under callgrind, with N1
# and N2 measured requests after the same warm-up; (Ir(N2) - Ir(N1)) /
# (N2 - N1) is the cost of one warm request, with start-up, connection
# setup, warm-up and exit cancelled out. Only the client runs under valgrind.
#
#   sh tests/bench/callgrind.sh                 measure httpx.h of this tree
#   HTTPX_DIR=/path/to/tree sh tests/bench/callgrind.sh
#                                               measure another tree's httpx.h
#                                               (the baseline of a change)
# Environment: CG_N1 [1000], CG_N2 [3000] (measured requests of the two runs),
# CG_ROWS ["seq c64 h2"], NGINX [/usr/sbin/nginx], NGHTTPD [/usr/sbin/nghttpd],
# CC [cc], CG_KEEP [unset: a directory to keep the profiles in, for
# callgrind_annotate]. Takes about a minute on the 2-core VM.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
HTTPX_DIR=${HTTPX_DIR:-$ROOT}
CC=${CC:-cc}
NGINX=${NGINX:-/usr/sbin/nginx}
NGHTTPD=${NGHTTPD:-/usr/sbin/nghttpd}
N1=${CG_N1:-1000}
N2=${CG_N2:-3000}
ROWS=${CG_ROWS:-"seq c64 h2"}
OUT=$ROOT/build/bench-callgrind/$(echo "$HTTPX_DIR" | tr -c "A-Za-z0-9\n" _)

die() { echo "callgrind.sh: $*" >&2; exit 1; }
isnum() { case "$1" in ''|*[!0-9]*) return 1;; *) return 0;; esac; }
isnum "$N1" && isnum "$N2" && [ "$N2" -gt "$N1" ] && [ "$N1" -ge 1 ] || die "need 1 <= CG_N1 < CG_N2"
command -v valgrind >/dev/null 2>&1 || die "valgrind not found (apt-get install -y valgrind)"
[ -f "$HTTPX_DIR/httpx.h" ] || die "no httpx.h in $HTTPX_DIR"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/httpx-cgbench-XXXXXX") || die "mktemp failed"
chmod 755 "$TMP"
NGX_PID=
NGD_PID=
# shellcheck disable=SC2317  # called from the trap
cleanup() {
    [ -n "$NGD_PID" ] && kill "$NGD_PID" 2>/dev/null && wait "$NGD_PID" 2>/dev/null
    if [ -n "$NGX_PID" ]; then kill -TERM "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {  # $1: URL, $2: extra curl option; up to 5 s for a server to answer
    i=0
    while [ $i -lt 50 ]; do
        # shellcheck disable=SC2086
        curl -s -o /dev/null $2 "$1" && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# ---- build: the same -O2 programs as make bench, against HTTPX_DIR/httpx.h ----
mkdir -p "$OUT" "$TMP/www" "$TMP/tmp" || die "cannot create $OUT"
TLS=
LIBS=-lpthread
[ -f /usr/include/bearssl.h ] && { TLS=-DHTTPX_BEARSSL; LIBS="-lbearssl -lpthread"; }
for p in bench_httpx bench_httpx_multi bench_h2_httpx; do
    # shellcheck disable=SC2086
    $CC -std=c99 -O2 -g $TLS -I"$HTTPX_DIR" "$HERE/$p.c" -o "$OUT/$p" $LIBS >"$OUT/$p.log" 2>&1 ||
        die "$p.c does not build against $HTTPX_DIR/httpx.h (see $OUT/$p.log)"
done

# ---- servers on free loopback ports ----
printf 'Hello, world!\n' >"$TMP/www/14.txt"
chmod 644 "$TMP/www/14.txt"
USER_LINE=
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
case " $ROWS " in *" seq "*|*" c64 "*)
    [ -x "$NGINX" ] || die "no nginx at $NGINX"
    for try in 1 2 3 4 5; do
        P=$(free_port)
        sed -e "s|@PREFIX@|$TMP|g" -e "s|@PORT@|$P|g" -e "s|@USER@|$USER_LINE|g" \
            "$HERE/nginx.conf.in" >"$TMP/nginx.conf"
        "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/error.log" >"$TMP/nginx.out" 2>&1 &
        NGX_PID=$!
        wait_http "http://127.0.0.1:$P/14.txt" "" && break
        kill -TERM "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; NGX_PID=
    done
    [ -n "$NGX_PID" ] || die "nginx did not start ($TMP/error.log)"
    H1URL="http://127.0.0.1:$P/14.txt" ;;
esac
case " $ROWS " in *" h2 "*)
    [ -x "$NGHTTPD" ] || die "no nghttpd at $NGHTTPD (apt-get install -y nghttp2-server)"
    for try in 1 2 3 4 5; do
        P2=$(free_port)
        "$NGHTTPD" --no-tls -a 127.0.0.1 -d "$TMP/www" "$P2" >"$TMP/nghttpd.log" 2>&1 &
        NGD_PID=$!
        wait_http "http://127.0.0.1:$P2/14.txt" "--http2-prior-knowledge" && break
        kill "$NGD_PID" 2>/dev/null; wait "$NGD_PID" 2>/dev/null; NGD_PID=
    done
    [ -n "$NGD_PID" ] || die "nghttpd did not start"
    H2URL="http://127.0.0.1:$P2/14.txt" ;;
esac

# ---- measure ----
ir() {  # $@: program and arguments; prints the client's total Ir
    f=$TMP/cg.out
    rm -f "$f"
    valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >"$TMP/run.out" 2>"$TMP/run.err" ||
        { cat "$TMP/run.out" "$TMP/run.err" >&2; die "failed under callgrind: $*"; }
    sed -n 's/^summary: *//p' "$f" | awk '{print $1}'
    # CG_KEEP=dir keeps each profile (callgrind_annotate reads them)
    [ -n "${CG_KEEP:-}" ] && mkdir -p "$CG_KEEP" && cp "$f" "$CG_KEEP/$(basename "$1").$TAG"
    return 0
}
row() {  # $1: label, then the command with @N@ for the measured count
    label=$1; shift
    TAG=$N1; a=$(ir $(echo "$@" | sed "s/@N@/$N1/")) || exit 1
    TAG=$N2; b=$(ir $(echo "$@" | sed "s/@N@/$N2/")) || exit 1
    awk -v l="$label" -v a="$a" -v b="$b" -v n1="$N1" -v n2="$N2" \
        'BEGIN { printf "%-10s %12.0f instructions per request  (Ir %s at N=%s, %s at N=%s)\n", l, (b - a) / (n2 - n1), a, n1, b, n2 }'
}
echo "httpx.h: $HTTPX_DIR/httpx.h ($(cd "$HTTPX_DIR" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
for r in $ROWS; do
    case $r in
        seq) row "h1 seq" "$OUT/bench_httpx" "$H1URL" @N@ 200 14 ;;
        c64) row "h1 c64" "$OUT/bench_httpx_multi" "$H1URL" @N@ 200 14 64 ;;
        h2)  row "h2c m64" "$OUT/bench_h2_httpx" multi "$H2URL" @N@ 64 ;;
        *)   die "unknown row '$r' (seq, c64, h2)" ;;
    esac
done
