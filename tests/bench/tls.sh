# tests/bench/tls.sh - the https part of `make bench`, sourced by run.sh after
# the plain rows (it uses run.sh's variables and functions: TMP, OUT, ROOT,
# CC, NGINX, USER_LINE, CPU, HAVE_TASKSET, free_port, median, ...).
#
#   certificates  tests/tls/gencerts.sh DIR servers, in $TMP/tls/certs: an
#                 RSA 2048 CA signing an RSA and an ECDSA P-256 server
#                 certificate for 127.0.0.1, ::1 and localhost; ca.pem is the
#                 only thing either client trusts
#   nginx         a second nginx (nginx_tls.conf.in), one port per
#                 certificate; TLS 1.2, ECDHE + AES-128-GCM, no session cache
#                 and no tickets (every handshake is a full one)
#   rows          bulk download, handshakes per second (ECDSA, RSA), memory
#                 per idle TLS connection, then the static build of
#                 examples/get.c fetching over https
# Defines tls_table (prints the TLS part of the table) and sets TLS_ERR,
# TLS_CURL_ERR, STATIC_OK.

TLS_ERR=
TLS_CURL_ERR=
TLS_PIN=
STATIC_OK=0
STATIC_NOTE=
STATIC_SIZE=n/a
STATIC_STATUS=n/a
TLS_DIR=$TMP/tls
TLS_CA=$TLS_DIR/certs/ca.pem
PORT_EC=
PORT_RSA=
TLS_BYTES=$((TLS_DL_MB * 1000000))
TLS_HS_WARMUP=20
TLS_TMO=$((120 + TLS_HS_N / 100 + TLS_DL_MB * TLS_DL_COUNT / 10))

tls_certs() {  # -> $TLS_DIR/certs (tests/tls/gencerts.sh); false when openssl fails
    d=$TLS_DIR/certs
    mkdir -p "$d" || return 1
    sh "$ROOT/tests/tls/gencerts.sh" "$d" servers >>"$d/openssl.log" 2>&1
}

tls_ready() {  # $1 port: true once nginx answers over https
    if command -v curl >/dev/null 2>&1; then
        [ "$(curl -s -o /dev/null -m 2 --cacert "$TLS_CA" -w '%{http_code}' "https://127.0.0.1:$1/14.txt" 2>/dev/null)" = 200 ]
    else
        [ -s "$TLS_DIR/nginx.pid" ]
    fi
}

tls_start_nginx() {  # sets PORT_EC, PORT_RSA, NGX_TLS_PID
    mkdir -p "$TLS_DIR/tmp" || return 1
    chmod 755 "$TLS_DIR" "$TLS_DIR/certs"
    [ -f "$TMP/www/14.txt" ] || { printf 'Hello, world!\n' >"$TMP/www/14.txt"; chmod 644 "$TMP/www/14.txt"; }
    # the download: TLS_DL_MB MB of zeros (the content does not change the crypto cost)
    dd if=/dev/zero of="$TMP/www/big.bin" bs=1000000 count="$TLS_DL_MB" 2>/dev/null || return 1
    chmod 644 "$TMP/www/big.bin"
    attempt=0
    while [ $attempt -lt 5 ]; do
        attempt=$((attempt + 1))
        pe=$(free_port); pr=$(free_port)
        [ "$pe" = "$pr" ] && continue
        sed -e "s|@PREFIX@|$TLS_DIR|g" -e "s|@ROOT@|$TMP/www|g" -e "s|@CERTS@|$TLS_DIR/certs|g" \
            -e "s|@PORT_EC@|$pe|g" -e "s|@PORT_RSA@|$pr|g" -e "s|@USER@|$USER_LINE|g" \
            "$HERE/nginx_tls.conf.in" >"$TLS_DIR/nginx.conf"
        "$NGINX" -p "$TLS_DIR" -c "$TLS_DIR/nginx.conf" -e "$TLS_DIR/error.log" >"$TLS_DIR/nginx.out" 2>&1 &
        NGX_TLS_PID=$!
        i=0
        while [ $i -lt 50 ] && kill -0 "$NGX_TLS_PID" 2>/dev/null && ! tls_ready "$pe"; do sleep 0.1; i=$((i + 1)); done
        if kill -0 "$NGX_TLS_PID" 2>/dev/null && tls_ready "$pe" && tls_ready "$pr"; then
            PORT_EC=$pe; PORT_RSA=$pr
            return 0
        fi
        stop_nginx "$NGX_TLS_PID"; NGX_TLS_PID=
    done
    cat "$TLS_DIR/nginx.out" "$TLS_DIR/error.log" >&2 2>/dev/null
    return 1
}

# run_tls TOOL ROW ARGS...: one run of bench_tls_TOOL, its RESULT values into
# $TMP/res/tls.ROW.TOOL.<metric>; the client pinned like nginx when possible.
run_tls() {
    rt_tool=$1; rt_row=$2; shift 2
    out=$(timeout "$TLS_TMO" $TLS_PIN "$OUT/bench_tls_$rt_tool" "$TLS_CA" "$@" 2>"$TMP/err")
    rc=$?
    if [ $rc -eq 0 ]; then
        keep_result "tls.$rt_row" "$rt_tool" "$out" mbps cpu_s_per_gb hps cpu_us idle_conn_bytes
        return 0
    fi
    msg=$(run_error "tls.$rt_row" $rc)
    if [ "$rt_tool" = httpx ]; then TLS_ERR=$msg; else TLS_CURL_ERR=$msg; fi
    return 1
}

tls_measure() {
    th=$HAVE_TLS_HTTPX; tc=$HAVE_TLS_CURL
    TLS_PIN=
    if [ $HAVE_TASKSET -eq 1 ]; then
        TLS_PIN="taskset -c $CPU"
        for p in $NGX_TLS_PID $(ps -o pid= --ppid "$NGX_TLS_PID" 2>/dev/null || pgrep -P "$NGX_TLS_PID" 2>/dev/null); do
            taskset -a -p -c "$CPU" "$p" >/dev/null 2>&1
        done
    fi
    echo "bench: TLS: nginx on 127.0.0.1:$PORT_EC (ECDSA) and :$PORT_RSA (RSA); download ${TLS_DL_MB} MB x$TLS_DL_COUNT," \
         "handshakes N=$TLS_HS_N, repeats=$TLS_REPEATS${TLS_PIN:+, pinned to CPU $CPU}" >&2
    r=0
    while [ $r -lt "$TLS_REPEATS" ]; do
        if [ $((r % 2)) -eq 0 ]; then order="httpx curl"; else order="curl httpx"; fi
        for t in $order; do
            if [ "$t" = httpx ]; then ok=$th; else ok=$tc; fi
            [ "$ok" -eq 1 ] || continue
            run_tls "$t" dl download "https://127.0.0.1:$PORT_EC/big.bin" "$TLS_BYTES" "$TLS_DL_COUNT" &&
            run_tls "$t" hs.ec handshake "https://127.0.0.1:$PORT_EC/14.txt" "$TLS_HS_N" "$TLS_HS_WARMUP" &&
            run_tls "$t" hs.rsa handshake "https://127.0.0.1:$PORT_RSA/14.txt" "$TLS_HS_N" "$TLS_HS_WARMUP" ||
            { if [ "$t" = httpx ]; then th=0; else tc=0; fi; }
        done
        r=$((r + 1))
    done
    [ "$th" -eq 1 ] && run_tls httpx idle idle "https://127.0.0.1:$PORT_EC/14.txt" "$TLS_IDLE_CONNS"
    if [ $HAVE_TASKSET -eq 1 ]; then
        for p in $NGX_TLS_PID $(ps -o pid= --ppid "$NGX_TLS_PID" 2>/dev/null); do
            taskset -a -p -c "0-$((NCPU - 1))" "$p" >/dev/null 2>&1
        done
    fi
}

# The static build: examples/get.c with -static and libbearssl.a, stripped,
# fetching https://127.0.0.1:PORT_EC/14.txt; it passes no TLS options, so the
# test CA comes from SSL_CERT_FILE, which the library honours.
tls_static() {
    a=${BEARSSL_A:-$($CC -print-file-name=libbearssl.a 2>/dev/null)}
    case $a in /*) ;; *) a=/usr/lib/x86_64-linux-gnu/libbearssl.a ;; esac
    if [ ! -f "$a" ]; then STATIC_NOTE="no $a (libbearssl-dev)"; return 1; fi
    if ! $CC -std=c99 -O2 -static -DHTTPX_BEARSSL -I"$ROOT" "$ROOT/examples/get.c" -o "$OUT/get-static" "$a" -pthread \
            >"$OUT/build_static.log" 2>&1; then
        STATIC_NOTE="build failed: $(head -n 3 "$OUT/build_static.log" | tr '\n' ' ')"
        return 1
    fi
    if grep -q 'getaddrinfo' "$OUT/build_static.log"; then
        STATIC_NOTE="glibc warns that a static getaddrinfo needs its shared NSS libraries at run time; the URL is a numeric IP, resolved without it"
    fi
    cp "$OUT/get-static" "$OUT/get-static-stripped" && strip "$OUT/get-static-stripped" || { STATIC_NOTE="strip failed"; return 1; }
    STATIC_SIZE=$(wc -c <"$OUT/get-static-stripped" | tr -d ' ')
    if [ -z "$PORT_EC" ]; then STATIC_NOTE="${STATIC_NOTE:+$STATIC_NOTE; }no TLS nginx to fetch from"; return 1; fi
    out=$(env -u SSL_CERT_DIR SSL_CERT_FILE="$TLS_CA" timeout 20 "$OUT/get-static-stripped" \
          "https://127.0.0.1:$PORT_EC/14.txt" 2>"$TMP/err")
    STATIC_STATUS=$(echo "$out" | head -n 1)
    case $STATIC_STATUS in
        *" 200 "*|*" 200") STATIC_OK=1 ;;
        *) STATIC_NOTE="${STATIC_NOTE:+$STATIC_NOTE; }fetch failed: $(head -n 2 "$TMP/err" | tr '\n' ' ')"; return 1 ;;
    esac
}

if [ "$TLS" = 1 ] || [ "$STATIC" = 1 ]; then
    if ! tls_certs; then
        TLS_ERR="openssl could not make the certificates ($(tail -n 2 "$TLS_DIR/certs/openssl.log" 2>/dev/null | tr '\n' ' '))"
        HAVE_TLS_HTTPX=0; HAVE_TLS_CURL=0; STATIC_NOTE="no certificates"
    elif ! tls_start_nginx; then
        TLS_ERR="the TLS nginx did not start"
        HAVE_TLS_HTTPX=0; HAVE_TLS_CURL=0
    fi
    [ "$TLS" = 1 ] && [ -n "$PORT_EC" ] && tls_measure
    [ "$STATIC" = 1 ] && { echo "bench: static build of examples/get.c ..." >&2; tls_static; }
fi

tls_table() {
    if [ "$TLS" = 1 ]; then
        [ "$PLAIN" = 1 ] && echo
        echo "https (BearSSL) vs libcurl $(curl-config --version 2>/dev/null | sed 's/libcurl //') ($(openssl version 2>/dev/null | awk '{print $1, $2}')), nginx on 127.0.0.1:"
        echo "TLS 1.2, ECDHE (X25519) + AES-128-GCM for both clients, no session cache and no tickets (every handshake full);"
        echo "${TLS_PIN:+client and nginx pinned to CPU $CPU; }medians of $TLS_REPEATS runs. Download: ${TLS_DL_MB} MB x$TLS_DL_COUNT on one connection, body dropped by a callback."
        echo "Handshakes: a new connection per GET of 14 B (both send Connection: close; curl also FORBID_REUSE), warm-up $TLS_HS_WARMUP, N=$TLS_HS_N."
        echo
        printf '%-22s %10s %10s %10s %11s %10s %9s\n' "scenario" "httpx" "curl" "httpx/curl" "httpx cpu" "curl cpu" "cpu h/c"
        for row in dl hs.ec hs.rsa; do
            case $row in
                dl) rm_=mbps; cm=cpu_s_per_gb; label="download ${TLS_DL_MB} MB (MB/s)"; cf="%.3f" ;;
                hs.ec) rm_=hps; cm=cpu_us; label="handshake ECDSA (h/s)"; cf="%.0f" ;;
                *) rm_=hps; cm=cpu_us; label="handshake RSA (h/s)"; cf="%.0f" ;;
            esac
            echo "$(median "$TMP/res/tls.$row.httpx.$rm_") $(median "$TMP/res/tls.$row.curl.$rm_") $(median "$TMP/res/tls.$row.httpx.$cm") $(median "$TMP/res/tls.$row.curl.$cm")" |
            awk -v label="$label" -v cf="$cf" '
                function r(a, b) { return (a == "n/a" || b == "n/a" || b == 0) ? "n/a" : sprintf("%.2fx", a / b) }
                function f(v, fmt) { return v == "n/a" ? "n/a" : sprintf(fmt, v) }
                { printf "%-22s %10s %10s %10s %11s %10s %9s\n", label, f($1, "%.0f"), f($2, "%.0f"), r($1, $2),
                    f($3, cf), f($4, cf), r($3, $4) }'
        done
        echo
        echo "download cpu = client CPU (user+sys) seconds per GB (10^9 bytes): nginx is the bottleneck on loopback, so this is"
        echo "the fair comparison; handshake cpu = client CPU microseconds per handshake (connect, handshake, GET, close)."
        echo "$(median "$TMP/res/tls.dl.httpx.cpu_s_per_gb") $(median "$TMP/res/tls.dl.curl.cpu_s_per_gb") $(median "$TMP/res/tls.hs.ec.httpx.hps") $(median "$TMP/res/tls.hs.ec.curl.hps") $(median "$TMP/res/tls.hs.rsa.httpx.hps") $(median "$TMP/res/tls.hs.rsa.curl.hps") $(median "$TMP/res/tls.idle.httpx.idle_conn_bytes")" |
        awk '
            function q(a, b) { return (a == "n/a" || b == "n/a" || b == 0) ? "n/a" : a / b }
            function chk(v, op, lim) { if (v == "n/a") return "n/a"; return ((op == ">=" && v >= lim) || (op == "<=" && v <= lim)) ? "ok" : "MISSED" }
            function s(v) { return v == "n/a" ? v : sprintf("%.2f", v) }
            { d = q($1, $2); e = q($3, $4); r = q($5, $6)
              printf "targets (TLS): download cpu/GB httpx/curl <= 1.25 [%s: %s]   handshakes/s httpx/curl >= 0.70: ECDSA [%s: %s] RSA [%s: %s]\n",
                s(d), chk(d, "<=", 1.25), s(e), chk(e, ">=", 0.7), s(r), chk(r, ">=", 0.7)
              printf "memory per idle TLS connection (httpx): %s B\n", ($7 == "n/a" ? $7 : sprintf("%.0f", $7)) }'
        echo "  ($TLS_IDLE_CONNS connections idle in one client's pool, live bytes through counting HTTPX_MALLOC/REALLOC/FREE"
        echo "   wrappers, minus the client with its TLS configuration and one connection, divided by $((TLS_IDLE_CONNS - 1)))"
    fi
    if [ "$STATIC" = 1 ]; then
        echo
        echo "static build: examples/get.c, -static -DHTTPX_BEARSSL + libbearssl.a, stripped: $STATIC_SIZE bytes;"
        echo "  https://127.0.0.1/14.txt with SSL_CERT_FILE = the test CA: \"$STATIC_STATUS\" [$([ "$STATIC_OK" = 1 ] && echo ok || echo FAILED)]"
        [ -n "$STATIC_NOTE" ] && echo "  note: $STATIC_NOTE"
    fi
    return 0
}
