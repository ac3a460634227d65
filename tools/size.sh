#!/bin/sh
# Stripped static size of examples/get.c built with musl (make size; README's
# size table): default features without TLS, HTTP/1.1 only, with TLS and
# HTTP/2. -Os with unused sections dropped; the TLS row needs BearSSL built
# for musl (tools/build-bearssl.sh musl, which make size runs).
set -eu
cd "$(dirname "$0")/.."
out=build/size
mkdir -p "$out"
cc=${MUSL_CC:-musl-gcc}
flags="-std=c99 -static -Os -ffunction-sections -fdata-sections -Wl,--gc-sections -s"
lite="-DHTTPX_NO_HTTP2 -DHTTPX_NO_COOKIES -DHTTPX_NO_INFLATE"
bear=build/bearssl-musl
row() {  # row ID LABEL TARGET-KB CFLAGS LIBS
    id=$1; label=$2; target=$3
    # shellcheck disable=SC2086
    if $cc $flags $4 examples/get.c -o "$out/get-$id" $5 2>"$out/$id.log"; then
        size=$(wc -c < "$out/get-$id")
        verdict=$([ "$size" -lt $((target * 1024)) ] && echo "under" || echo "OVER")
        printf '%-30s %7d bytes %4d KB  (%s %d KB)\n' "$label" "$size" $(((size + 1023) / 1024)) "$verdict" "$target"
    else
        printf '%-30s did not build (see %s)\n' "$label" "$out/$id.log"
    fi
}
echo "stripped static size of examples/get.c, $cc -Os:"
row default "default, no TLS" 100 "" ""
row h1 "HTTP/1.1 only (HTTPX_NO_*)" 48 "$lite" ""
row h1-gai "HTTP/1.1 only, getaddrinfo" 48 "$lite -DHTTPX_DNS_THREADS" -lpthread
if [ -f "$bear/lib/libbearssl.a" ]; then
    row tls "TLS (BearSSL) and HTTP/2" 300 "-DHTTPX_BEARSSL -I$bear/include" "$bear/lib/libbearssl.a"
else
    echo "TLS (BearSSL) and HTTP/2           skipped: no $bear (tools/build-bearssl.sh musl)"
fi
