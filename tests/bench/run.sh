#!/bin/sh
# tests/bench/run.sh - `make bench`: httpx.h vs libcurl vs wrk, keep-alive GETs
# of small static files from a local nginx: sequential on one connection, and
# BENCH_MULTI_CONC (64) concurrent from one thread (httpx tasks vs libcurl
# multi vs wrk -t1 -c64). See README.md here.
#
# Environment (defaults in brackets):
#   BENCH_N         measured requests per httpx/curl run          [20000]
#   BENCH_WARMUP    unmeasured requests before them                [200]
#   BENCH_REPEATS   runs per cell; the table shows medians         [5]
#   BENCH_WRK_SECS  seconds per wrk run                            [2]
#   BENCH_SIZES     body sizes in bytes (14 = "Hello, world!\n")   ["14 4096"]
#   BENCH_CPU       the core that client and nginx share when pinned [0]
#   BENCH_UNPINNED  1: also measure unpinned rows, 0: pinned only  [1]
#   BENCH_STRICT    1: exit 1 when a target of the main row is missed [0]
#   BENCH_MULTI     1: also the concurrent rows, 0: sequential only   [1]
#   BENCH_MULTI_N        measured requests per concurrent run      [100000]
#   BENCH_MULTI_WARMUP   unmeasured ones before them (>= CONC)     [1000]
#   BENCH_MULTI_CONC     requests in flight = connections          [64]
#   BENCH_MULTI_REPEATS  runs per concurrent cell                  [3]
#   BENCH_MULTI_WRK_SECS seconds per wrk -c CONC run               [2]
#   BENCH_MULTI_SIZE     body size of the concurrent rows  [first of BENCH_SIZES]
#   BENCH_PLAIN     1: the plain-HTTP rows above, 0: skip them      [1]
#   BENCH_TLS       1: the https rows (BearSSL vs libcurl+OpenSSL)  [1]
#   BENCH_TLS_REPEATS    runs per TLS cell                         [3]
#   BENCH_TLS_DL_MB      size of the downloaded file, MB           [100]
#   BENCH_TLS_DL_COUNT   downloads of it per run                   [3]
#   BENCH_TLS_HS_N       measured handshakes per run               [1000]
#   BENCH_TLS_IDLE_CONNS idle TLS connections for the memory row   [32]
#   BENCH_STATIC    1: static build of examples/get.c fetching over https [1]
#   BEARSSL_A       the static BearSSL library  [$CC -print-file-name=libbearssl.a]
#   NGINX           nginx binary                                   [/usr/sbin/nginx]
#   CC              C compiler                                     [cc]
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/build/bench

N=${BENCH_N:-20000}
WARMUP=${BENCH_WARMUP:-200}
REPEATS=${BENCH_REPEATS:-5}
WRK_SECS=${BENCH_WRK_SECS:-2}
SIZES=${BENCH_SIZES:-"14 4096"}
CPU=${BENCH_CPU:-0}
UNPINNED=${BENCH_UNPINNED:-1}
STRICT=${BENCH_STRICT:-0}
MULTI=${BENCH_MULTI:-1}
MULTI_N=${BENCH_MULTI_N:-100000}
MULTI_WARMUP=${BENCH_MULTI_WARMUP:-1000}
MULTI_CONC=${BENCH_MULTI_CONC:-64}
MULTI_REPEATS=${BENCH_MULTI_REPEATS:-3}
MULTI_WRK_SECS=${BENCH_MULTI_WRK_SECS:-2}
MULTI_SIZE=${BENCH_MULTI_SIZE:-$(echo "${BENCH_SIZES:-14}" | awk '{print $1}')}
NGINX=${NGINX:-/usr/sbin/nginx}
CC=${CC:-cc}
PLAIN=${BENCH_PLAIN:-1}
TLS=${BENCH_TLS:-1}
TLS_REPEATS=${BENCH_TLS_REPEATS:-3}
TLS_DL_MB=${BENCH_TLS_DL_MB:-100}
TLS_DL_COUNT=${BENCH_TLS_DL_COUNT:-3}
TLS_HS_N=${BENCH_TLS_HS_N:-1000}
TLS_IDLE_CONNS=${BENCH_TLS_IDLE_CONNS:-32}
STATIC=${BENCH_STATIC:-1}

die() { echo "bench: $*" >&2; exit 1; }
isnum() { case "$1" in ''|*[!0-9]*) return 1;; *) return 0;; esac; }
inrange() { isnum "$1" && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

inrange "$N" 1 10000000       || die "BENCH_N must be 1..10000000"
inrange "$WARMUP" 1 1000000   || die "BENCH_WARMUP must be 1..1000000"
inrange "$REPEATS" 1 50       || die "BENCH_REPEATS must be 1..50"
inrange "$WRK_SECS" 1 600     || die "BENCH_WRK_SECS must be 1..600"
inrange "$CPU" 0 4095         || die "BENCH_CPU must be a core number"
for s in $SIZES; do inrange "$s" 1 104857600 || die "BENCH_SIZES: bad size '$s'"; done
case $MULTI in 0|1) ;; *) die "BENCH_MULTI must be 0 or 1";; esac
inrange "$MULTI_N" 1 10000000        || die "BENCH_MULTI_N must be 1..10000000"
inrange "$MULTI_CONC" 1 3000         || die "BENCH_MULTI_CONC must be 1..3000 (nginx worker_connections is 4096)"
inrange "$MULTI_WARMUP" 0 1000000    || die "BENCH_MULTI_WARMUP must be 0..1000000"
inrange "$MULTI_REPEATS" 1 50        || die "BENCH_MULTI_REPEATS must be 1..50"
inrange "$MULTI_WRK_SECS" 1 600      || die "BENCH_MULTI_WRK_SECS must be 1..600"
inrange "$MULTI_SIZE" 1 104857600    || die "BENCH_MULTI_SIZE must be 1..104857600"
[ "$MULTI_WARMUP" -ge "$MULTI_CONC" ] || MULTI_WARMUP=$MULTI_CONC
for k in PLAIN TLS STATIC; do
    eval "v=\$$k"; case $v in 0|1) ;; *) die "BENCH_$k must be 0 or 1";; esac
done
inrange "$TLS_REPEATS" 1 50          || die "BENCH_TLS_REPEATS must be 1..50"
inrange "$TLS_DL_MB" 1 4096          || die "BENCH_TLS_DL_MB must be 1..4096"
inrange "$TLS_DL_COUNT" 1 100        || die "BENCH_TLS_DL_COUNT must be 1..100"
inrange "$TLS_HS_N" 1 1000000        || die "BENCH_TLS_HS_N must be 1..1000000"
inrange "$TLS_IDLE_CONNS" 2 900      || die "BENCH_TLS_IDLE_CONNS must be 2..900"
[ "$PLAIN" = 1 ] || MULTI=0

# ---- tools ------------------------------------------------------------------
INSTALL_HINT="apt-get install -y libcurl4-openssl-dev wrk"
[ -x "$NGINX" ] || die "no nginx at $NGINX (apt-get install -y nginx, or set NGINX=)"
command -v timeout >/dev/null 2>&1 || die "needs timeout(1) from coreutils"
HAVE_WRK=1
command -v wrk >/dev/null 2>&1 || { HAVE_WRK=0; echo "bench: wrk not found; its column is n/a. Install: $INSTALL_HINT" >&2; }
HAVE_TASKSET=1
command -v taskset >/dev/null 2>&1 || { HAVE_TASKSET=0; echo "bench: taskset not found (util-linux); rows are unpinned" >&2; }
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
inrange "$NCPU" 1 4096 || NCPU=1
[ "$CPU" -lt "$NCPU" ] || die "BENCH_CPU=$CPU but only $NCPU cores online"

mkdir -p "$OUT" || die "cannot create $OUT"

if command -v python3 >/dev/null 2>&1 && [ -f "$ROOT/tools/amalgamate.py" ]; then
    (cd "$ROOT" && python3 tools/amalgamate.py --check >/dev/null 2>&1) ||
        echo "bench: note: httpx.h is not up to date with tools/src (run make amalgamate); measuring httpx.h as it is" >&2
fi

# ---- build (-O2) ------------------------------------------------------------
HAVE_HTTPX=1
if ! $CC -std=c99 -O2 -Wall -Wextra -I"$ROOT" "$HERE/bench_httpx.c" -o "$OUT/bench_httpx" \
        >"$OUT/build_httpx.log" 2>&1; then
    HAVE_HTTPX=0
    echo "bench: bench_httpx.c does not build against httpx.h; httpx columns are n/a. Compiler says:" >&2
    head -n 20 "$OUT/build_httpx.log" >&2
fi
HAVE_CURL=1
CURL_CFLAGS=$(curl-config --cflags 2>/dev/null || pkg-config --cflags libcurl 2>/dev/null || true)
CURL_LIBS=$(curl-config --libs 2>/dev/null || pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
# shellcheck disable=SC2086
if ! $CC -std=c99 -O2 -Wall -Wextra $CURL_CFLAGS "$HERE/bench_curl.c" -o "$OUT/bench_curl" $CURL_LIBS \
        >"$OUT/build_curl.log" 2>&1; then
    HAVE_CURL=0
    echo "bench: bench_curl.c does not build (libcurl dev files missing?); curl columns are n/a." >&2
    echo "bench: install with: $INSTALL_HINT   (compiler output: $OUT/build_curl.log)" >&2
fi

HAVE_HTTPX_MULTI=0
HAVE_CURL_MULTI=0
if [ "$MULTI" = 1 ]; then
    HAVE_HTTPX_MULTI=1
    if ! $CC -std=c99 -O2 -Wall -Wextra -I"$ROOT" "$HERE/bench_httpx_multi.c" -o "$OUT/bench_httpx_multi" \
            >"$OUT/build_httpx_multi.log" 2>&1; then
        HAVE_HTTPX_MULTI=0
        echo "bench: bench_httpx_multi.c does not build against httpx.h; concurrent httpx columns are n/a. Compiler says:" >&2
        head -n 20 "$OUT/build_httpx_multi.log" >&2
    fi
    HAVE_CURL_MULTI=$HAVE_CURL
    # shellcheck disable=SC2086
    if [ $HAVE_CURL -eq 1 ] && ! $CC -std=c99 -O2 -Wall -Wextra $CURL_CFLAGS "$HERE/bench_curl_multi.c" \
            -o "$OUT/bench_curl_multi" $CURL_LIBS >"$OUT/build_curl_multi.log" 2>&1; then
        HAVE_CURL_MULTI=0
        echo "bench: bench_curl_multi.c does not build; concurrent curl columns are n/a ($OUT/build_curl_multi.log)" >&2
    fi
fi

# TLS programs: httpx.h with -DHTTPX_BEARSSL -lbearssl, libcurl as above.
HAVE_TLS_HTTPX=0
HAVE_TLS_CURL=0
HAVE_OPENSSL=1
command -v openssl >/dev/null 2>&1 || HAVE_OPENSSL=0
if [ "$TLS" = 1 ] || [ "$STATIC" = 1 ]; then
    if [ $HAVE_OPENSSL -eq 0 ]; then
        echo "bench: no openssl command (needed to make the test certificates); TLS rows and static build skipped" >&2
        TLS=0; STATIC=0
    elif ! printf '#include <bearssl.h>\nint main(void){return 0;}\n' | $CC -x c - -o /dev/null -lbearssl >/dev/null 2>&1; then
        echo "bench: BearSSL not found (apt-get install -y libbearssl-dev); TLS rows and static build skipped" >&2
        TLS=0; STATIC=0
    fi
fi
if [ "$TLS" = 1 ]; then
    HAVE_TLS_HTTPX=1
    if ! $CC -std=c99 -O2 -Wall -Wextra -DHTTPX_BEARSSL -I"$ROOT" "$HERE/bench_tls_httpx.c" -o "$OUT/bench_tls_httpx" \
            -lbearssl -lpthread >"$OUT/build_tls_httpx.log" 2>&1; then
        HAVE_TLS_HTTPX=0
        echo "bench: bench_tls_httpx.c does not build; TLS httpx columns are n/a. Compiler says:" >&2
        head -n 20 "$OUT/build_tls_httpx.log" >&2
    fi
    HAVE_TLS_CURL=$HAVE_CURL
    # shellcheck disable=SC2086
    if [ $HAVE_CURL -eq 1 ] && ! $CC -std=c99 -O2 -Wall -Wextra $CURL_CFLAGS "$HERE/bench_tls_curl.c" \
            -o "$OUT/bench_tls_curl" $CURL_LIBS >"$OUT/build_tls_curl.log" 2>&1; then
        HAVE_TLS_CURL=0
        echo "bench: bench_tls_curl.c does not build; TLS curl columns are n/a ($OUT/build_tls_curl.log)" >&2
    fi
fi

# ---- nginx ------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/httpx-bench.XXXXXX") || die "mktemp failed"
NGX_PID=
NGX_TLS_PID=
# shellcheck disable=SC2317  # called from the trap
stop_nginx() {  # $1: pid of an nginx master started here
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null
        i=0
        while [ "$i" -lt 50 ] && kill -0 "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
        kill -0 "$1" 2>/dev/null && kill -KILL "$1" 2>/dev/null
        wait "$1" 2>/dev/null
    fi
}
# shellcheck disable=SC2317  # called from the trap
cleanup() {
    stop_nginx "$NGX_PID"
    stop_nginx "$NGX_TLS_PID"
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$TMP/www" "$TMP/tmp" "$TMP/res" || die "cannot populate $TMP"
chmod 755 "$TMP" "$TMP/www"
for s in $(echo "$SIZES $MULTI_SIZE" | tr ' ' '\n' | sort -un); do
    if [ "$s" -eq 14 ]; then
        printf 'Hello, world!\n' >"$TMP/www/$s.txt"
    else
        dd if=/dev/zero bs="$s" count=1 2>/dev/null | tr '\000' 'x' >"$TMP/www/$s.txt"
    fi
    chmod 644 "$TMP/www/$s.txt"
done
USER_LINE=
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    else
        awk 'BEGIN { srand(); print 20000 + int(rand() * 40000) }'
    fi
}

ready() {  # $1: url. true once nginx answers 200.
    if command -v curl >/dev/null 2>&1; then
        [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" 2>/dev/null)" = 200 ]
    else
        [ -s "$TMP/nginx.pid" ]
    fi
}

FIRST=$(echo "$SIZES" | awk '{print $1}')
PORT=
attempt=0
while [ $attempt -lt 5 ]; do
    attempt=$((attempt + 1))
    p=$(free_port)
    sed -e "s|@PREFIX@|$TMP|g" -e "s|@PORT@|$p|g" -e "s|@USER@|$USER_LINE|g" \
        "$HERE/nginx.conf.in" >"$TMP/nginx.conf"
    "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/error.log" >"$TMP/nginx.out" 2>&1 &
    NGX_PID=$!
    i=0
    while [ $i -lt 50 ] && kill -0 "$NGX_PID" 2>/dev/null && ! ready "http://127.0.0.1:$p/$FIRST.txt"; do
        sleep 0.1; i=$((i + 1))
    done
    if kill -0 "$NGX_PID" 2>/dev/null && ready "http://127.0.0.1:$p/$FIRST.txt"; then PORT=$p; break; fi
    kill -TERM "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; NGX_PID=
done
if [ -z "$PORT" ]; then
    cat "$TMP/nginx.out" "$TMP/error.log" >&2 2>/dev/null
    die "nginx did not start"
fi
NGX_PIDS="$NGX_PID $(ps -o pid= --ppid "$NGX_PID" 2>/dev/null || pgrep -P "$NGX_PID" 2>/dev/null)"

set_server_cpus() {  # $1: cpu list for taskset
    [ $HAVE_TASKSET -eq 1 ] || return 0
    for p in $NGX_PIDS; do taskset -a -p -c "$1" "$p" >/dev/null 2>&1; done
}

# ---- measuring ---------------------------------------------------------------
HTTPX_ERR=
CURL_ERR=
WRK_ERR=
CLIENT_TMO=$((60 + N / 500))
MULTI_TMO=$((60 + MULTI_N / 500))

# keep_result CELL TOOL OUTPUT METRIC...: the METRIC=value fields of a
# program's RESULT line, each appended to $TMP/res/CELL.TOOL.METRIC, and the
# whole output to $TMP/res/raw (tls.sh uses it too).
keep_result() {
    kr_cell=$1; kr_tool=$2; kr_out=$3; shift 3
    for m in "$@"; do
        v=$(echo "$kr_out" | sed -n "s/.* $m=\([0-9.]*\).*/\1/p")
        [ -n "$v" ] && echo "$v" >>"$TMP/res/$kr_cell.$kr_tool.$m"
    done
    echo "$kr_out" | sed "s|^|$kr_cell $kr_tool |" >>"$TMP/res/raw"
}

# run_error CELL RC: why a run failed: the first lines of its stderr
# ($TMP/err), else its exit status.
run_error() {
    re_msg=$(head -n 3 "$TMP/err")
    [ -n "$re_msg" ] || re_msg="$1: exit status $2 (124: timed out)"
    echo "$re_msg"
}

# Each runner appends one sample to $TMP/res/<cell>.<tool>.<metric>.
# A concurrent cell (c<CONC>.<mode>.<size>) runs bench_<tool>_multi.
run_prog() {  # $1 tool  $2 cell  $3 url  $4 size  $5.. prefix command
    tool=$1; cell=$2; url=$3; size=$4; shift 4
    case $cell in
        c*) out=$(timeout "$MULTI_TMO" "$@" "$OUT/bench_${tool}_multi" "$url" "$MULTI_N" "$MULTI_WARMUP" \
                  "$size" "$MULTI_CONC" 2>"$TMP/err") ;;
        *)  out=$(timeout "$CLIENT_TMO" "$@" "$OUT/bench_$tool" "$url" "$N" "$WARMUP" "$size" 2>"$TMP/err") ;;
    esac
    rc=$?
    if [ $rc -eq 0 ]; then
        keep_result "$cell" "$tool" "$out" rps cpu_us allocs mem mem_conn mem_req
        return 0
    fi
    msg=$(run_error "$cell" $rc)
    if [ "$tool" = httpx ]; then HTTPX_ERR=$msg; else CURL_ERR=$msg; fi
    return 1
}

run_wrk() {  # $1 cell  $2 url  $3.. prefix command
    cell=$1; url=$2; shift 2
    case $cell in c*) conns=$MULTI_CONC; secs=$MULTI_WRK_SECS ;; *) conns=1; secs=$WRK_SECS ;; esac
    if out=$(timeout $((secs + 30)) "$@" wrk -t1 -c"$conns" -d"${secs}s" "$url" 2>&1); then
        v=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
        bad=$(echo "$out" | awk '/Non-2xx|Socket errors/ { print }')
        if [ -n "$v" ] && [ -z "$bad" ]; then
            echo "$v" >>"$TMP/res/$cell.wrk.rps"
            echo "$cell wrk rps=$v" >>"$TMP/res/raw"
            return 0
        fi
        WRK_ERR="wrk: ${bad:-no Requests/sec line}"
    else
        WRK_ERR="wrk failed: $(echo "$out" | head -n 2)"
    fi
    return 1
}

MODES=pinned
[ $HAVE_TASKSET -eq 1 ] || MODES=unpinned
[ $HAVE_TASKSET -eq 1 ] && [ "$UNPINNED" = 1 ] && MODES="pinned unpinned"

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
echo "bench: nginx on 127.0.0.1:$PORT, $NCPU cores, N=$N warmup=$WARMUP repeats=$REPEATS wrk=${WRK_SECS}s sizes: $SIZES" >&2
[ "$MULTI" = 1 ] && echo "bench: concurrent: $MULTI_CONC in flight, N=$MULTI_N warmup=$MULTI_WARMUP repeats=$MULTI_REPEATS wrk=${MULTI_WRK_SECS}s size: $MULTI_SIZE" >&2
# measure_cell CELL URL SIZE REPEATS HAVE_HTTPX HAVE_CURL -- prefix command
measure_cell() {
    mc_cell=$1; mc_url=$2; mc_size=$3; mc_reps=$4; h=$5; c=$6; shift 6
    w=$HAVE_WRK
    r=0
    while [ $r -lt "$mc_reps" ]; do
        # alternate the order: httpx curl wrk, then wrk curl httpx, ...
        if [ $((r % 2)) -eq 0 ]; then order="httpx curl wrk"; else order="wrk curl httpx"; fi
        for t in $order; do
            case $t in
                httpx) [ "$h" -eq 1 ] && { run_prog httpx "$mc_cell" "$mc_url" "$mc_size" "$@" || h=0; } ;;
                curl)  [ "$c" -eq 1 ] && { run_prog curl "$mc_cell" "$mc_url" "$mc_size" "$@" || c=0; } ;;
                wrk)   [ "$w" -eq 1 ] && { run_wrk "$mc_cell" "$mc_url" "$@" || w=0; } ;;
            esac
        done
        r=$((r + 1))
    done
}
PLAIN_MODES=$MODES
[ "$PLAIN" = 1 ] || PLAIN_MODES=
for mode in $PLAIN_MODES; do
    if [ "$mode" = pinned ]; then
        set_server_cpus "$CPU"; set -- taskset -c "$CPU"
        for p in $NGX_PIDS; do
            echo "bench: nginx pid $p: $(taskset -p -c "$p" 2>/dev/null | sed 's/.*: //') (client: taskset -c $CPU)" >&2
        done
    else
        set_server_cpus "0-$((NCPU - 1))"; set -- env
    fi
    for size in $SIZES; do
        echo "bench: $mode, $size B body ..." >&2
        measure_cell "$mode.$size" "http://127.0.0.1:$PORT/$size.txt" "$size" "$REPEATS" \
            "$HAVE_HTTPX" "$HAVE_CURL" "$@"
    done
    if [ "$MULTI" = 1 ]; then
        echo "bench: $mode, $MULTI_CONC concurrent, $MULTI_SIZE B body ..." >&2
        measure_cell "c$MULTI_CONC.$mode.$MULTI_SIZE" "http://127.0.0.1:$PORT/$MULTI_SIZE.txt" "$MULTI_SIZE" \
            "$MULTI_REPEATS" "$HAVE_HTTPX_MULTI" "$HAVE_CURL_MULTI" "$@"
    fi
done
set_server_cpus "0-$((NCPU - 1))"

. "$HERE/tls.sh"

# ---- the table ---------------------------------------------------------------
median() {  # $1 file -> median or n/a
    if [ -s "$1" ]; then
        sort -g "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
    else
        echo n/a
    fi
}

TABLE=$OUT/table.txt
{
  if [ "$PLAIN" = 1 ]; then
    echo "httpx.h benchmark: sequential keep-alive GETs, 1 connection, nginx on 127.0.0.1 ($NCPU cores)"
    echo "N=$N measured requests per run after $WARMUP warm-up; wrk ${WRK_SECS}s; medians of $REPEATS runs; pinned = client and nginx worker on CPU $CPU"
    echo
    printf '%-16s %10s %10s %10s %10s %10s %9s %9s %11s %10s\n' \
        "scenario" "httpx r/s" "curl r/s" "wrk r/s" "httpx/curl" "httpx/wrk" "httpx us" "curl us" "httpx alloc" "curl alloc"
    for mode in $MODES; do
        for size in $SIZES; do
            cell="$mode.$size"
            hr=$(median "$TMP/res/$cell.httpx.rps"); cr=$(median "$TMP/res/$cell.curl.rps")
            wr=$(median "$TMP/res/$cell.wrk.rps")
            hu=$(median "$TMP/res/$cell.httpx.cpu_us"); cu=$(median "$TMP/res/$cell.curl.cpu_us")
            ha=$(median "$TMP/res/$cell.httpx.allocs"); ca=$(median "$TMP/res/$cell.curl.allocs")
            echo "$mode $size $hr $cr $wr $hu $cu $ha $ca" | awk '
                function r(a, b) { return (a == "n/a" || b == "n/a" || b == 0) ? "n/a" : sprintf("%.2fx", a / b) }
                function f(v, fmt) { return v == "n/a" ? "n/a" : sprintf(fmt, v) }
                { printf "%-16s %10s %10s %10s %10s %10s %9s %9s %11s %10s\n",
                    $1 " " $2 " B", f($3, "%.0f"), f($4, "%.0f"), f($5, "%.0f"),
                    r($3, $4), r($3, $5), f($6, "%.1f"), f($7, "%.1f"), f($8, "%.2f"), f($9, "%.1f") }'
        done
    done
    echo
    echo "r/s = requests per second; us = client CPU (user+sys) microseconds per request;"
    echo "httpx alloc = HTTPX_MALLOC+HTTPX_REALLOC calls per warm request; curl alloc = libcurl malloc/calloc/realloc/strdup calls"
    main=$(echo "$MODES" | awk '{print $1}').$(echo "$SIZES" | awk '{print $1}')
    hr=$(median "$TMP/res/$main.httpx.rps"); cr=$(median "$TMP/res/$main.curl.rps")
    wr=$(median "$TMP/res/$main.wrk.rps"); ha=$(median "$TMP/res/$main.httpx.allocs")
    echo "$main $hr $cr $wr $ha" | awk '
        function chk(v, op, lim) {
            if (v == "n/a") return "n/a";
            return ((op == ">=" && v >= lim) || (op == "<=" && v <= lim)) ? "ok" : "MISSED" }
        { hc = ($2 == "n/a" || $3 == "n/a") ? "n/a" : $2 / $3
          hw = ($2 == "n/a" || $4 == "n/a") ? "n/a" : $2 / $4
          printf "targets (%s B): httpx/curl >= 1.30 [%s: %s]   httpx/wrk >= 0.90 [%s: %s]   allocs/req <= 3 [%s: %s]\n",
            $1, (hc == "n/a" ? hc : sprintf("%.2f", hc)), chk(hc, ">=", 1.3),
            (hw == "n/a" ? hw : sprintf("%.2f", hw)), chk(hw, ">=", 0.9),
            ($5 == "n/a" ? $5 : sprintf("%.2f", $5)), chk($5, "<=", 3) }'
    if [ "$MULTI" = 1 ]; then
        echo
        echo "concurrent keep-alive GETs from one thread: $MULTI_CONC in flight on $MULTI_CONC connections"
        echo "httpx tasks (httpx_client_start/poll, next request started from on_done) vs libcurl multi vs wrk -t1 -c$MULTI_CONC;"
        echo "N=$MULTI_N measured requests per run after $MULTI_WARMUP warm-up; wrk ${MULTI_WRK_SECS}s; medians of $MULTI_REPEATS runs"
        echo "load average before the run: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) (other work on the machine skews the rows, unpinned most)"
        echo
        printf '%-18s %10s %10s %10s %10s %10s %9s %9s %11s %10s %10s %10s\n' \
            "scenario" "httpx r/s" "curl r/s" "wrk r/s" "httpx/curl" "httpx/wrk" "httpx us" "curl us" "httpx alloc" "curl alloc" \
            "httpx B/rq" "curl B/rq"
        for mode in $MODES; do
            cell="c$MULTI_CONC.$mode.$MULTI_SIZE"
            set -- rps cpu_us allocs mem mem_conn mem_req
            vals=
            for t in httpx curl; do for m in "$@"; do vals="$vals $(median "$TMP/res/$cell.$t.$m")"; done; done
            echo "c$MULTI_CONC $mode $MULTI_SIZE $(median "$TMP/res/$cell.wrk.rps") $vals" | awk '
                function r(a, b) { return (a == "n/a" || b == "n/a" || b == 0) ? "n/a" : sprintf("%.2fx", a / b) }
                function f(v, fmt) { return v == "n/a" ? "n/a" : sprintf(fmt, v) }
                # $4 wrk; httpx: $5 rps $6 us $7 alloc $8 mem $9 conn $10 req; curl: $11..$16
                { printf "%-18s %10s %10s %10s %10s %10s %9s %9s %11s %10s %10s %10s\n",
                    $1 " " $2 " " $3 " B", f($5, "%.0f"), f($11, "%.0f"), f($4, "%.0f"),
                    r($5, $11), r($5, $4), f($6, "%.1f"), f($12, "%.1f"), f($7, "%.2f"), f($13, "%.1f"),
                    f($8, "%.0f"), f($14, "%.0f") }'
        done
        echo
        echo "B/rq = memory per in-flight request: live bytes the client allocated at the peak of the run (counting"
        echo "allocator wrappers with a size header), connections included, divided by the requests in flight."
        for mode in $MODES; do
            cell="c$MULTI_CONC.$mode.$MULTI_SIZE"
            echo "$mode $(median "$TMP/res/$cell.httpx.mem_conn") $(median "$TMP/res/$cell.httpx.mem_req") $(median "$TMP/res/$cell.curl.mem_conn") $(median "$TMP/res/$cell.curl.mem_req")" | awk '
                function f(v) { return v == "n/a" ? "n/a" : sprintf("%.0f", v) }
                { printf "  %-9s httpx: %s per connection (idle in the pool) + %s per task;  curl: %s per easy handle + connection, %s per transfer\n",
                    $1 ":", f($2), f($3), f($4), f($5) }'
        done
        mcell="c$MULTI_CONC.$(echo "$MODES" | awk '{print $1}').$MULTI_SIZE"
        echo "$mcell $(median "$TMP/res/$mcell.httpx.rps") $(median "$TMP/res/$mcell.curl.rps") $(median "$TMP/res/$mcell.wrk.rps") $(median "$TMP/res/$mcell.httpx.mem")" | awk '
            function chk(v, lim) { return v == "n/a" ? "n/a" : (v >= lim ? "ok" : "MISSED") }
            { hc = ($2 == "n/a" || $3 == "n/a") ? "n/a" : $2 / $3
              hw = ($2 == "n/a" || $4 == "n/a") ? "n/a" : $2 / $4
              printf "targets (%s B): httpx/curl-multi >= 1.20 [%s: %s]   httpx/wrk >= 0.85 [%s: %s]   memory per in-flight request: %s B\n",
                $1, (hc == "n/a" ? hc : sprintf("%.2f", hc)), chk(hc, 1.2),
                (hw == "n/a" ? hw : sprintf("%.2f", hw)), chk(hw, 0.85), ($5 == "n/a" ? $5 : sprintf("%.0f", $5)) }'
    fi
  fi
  tls_table
} >"$TABLE"
cp "$TMP/res/raw" "$OUT/samples.txt" 2>/dev/null
cat "$TABLE"

status=0
[ -n "$HTTPX_ERR" ] && { echo "bench: httpx failed: $HTTPX_ERR" >&2; status=1; }
[ "$PLAIN" = 1 ] && [ $HAVE_HTTPX -eq 0 ] && status=1
[ "$TLS" = 1 ] && [ $HAVE_TLS_HTTPX -eq 0 ] && status=1
[ -n "$TLS_ERR" ] && { echo "bench: TLS: $TLS_ERR" >&2; status=1; }
[ -n "$TLS_CURL_ERR" ] && echo "bench: TLS curl: $TLS_CURL_ERR" >&2
[ "$STATIC" = 1 ] && [ "$STATIC_OK" != 1 ] && status=1
[ "$MULTI" = 1 ] && [ $HAVE_HTTPX_MULTI -eq 0 ] && status=1
[ -n "$CURL_ERR" ] && echo "bench: curl failed: $CURL_ERR" >&2
[ -n "$WRK_ERR" ] && echo "bench: $WRK_ERR" >&2
echo "(table in $TABLE, every sample in $OUT/samples.txt)" >&2
if [ "$STRICT" = 1 ] && grep -q MISSED "$TABLE"; then status=1; fi
exit $status
