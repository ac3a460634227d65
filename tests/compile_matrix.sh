#!/bin/sh
# The compile matrix of `make test`: gcc and clang, C99 and C11, C++, and each
# configuration macro, all with -Wall -Wextra -pedantic -Werror; then an nm
# check that nothing but httpx_* leaves the implementation.
set -u
cd "$(dirname "$0")/.."
out=build/matrix
mkdir -p "$out"
fail=0
runs=0
bearssl=""
[ -f /usr/include/bearssl.h ] && bearssl="-DHTTPX_BEARSSL"
warn="-Wall -Wextra -pedantic -Werror"
# brotli and zstd bodies (HTTPX_BROTLI, HTTPX_ZSTD) when their headers are
# installed (Debian: libbrotli-dev, libzstd-dev)
codecs=""
[ -f /usr/include/brotli/decode.h ] && codecs="$codecs -DHTTPX_BROTLI"
[ -f /usr/include/zstd.h ] && codecs="$codecs -DHTTPX_ZSTD"

try() {  # try NAME COMPILER FLAGS...
    name=$1; shift
    runs=$((runs + 1))
    if ! "$@" -c tests/compile/impl.c -o "$out/$name.o" 2>"$out/$name.log"; then
        echo "matrix FAIL: $name: $*"; sed -n '1,15p' "$out/$name.log"; fail=$((fail + 1))
    fi
}

for cc in gcc clang; do
    for std in c99 c11; do
        for cfg in "" "-DHTTPX_STATIC" "-DHTTPX_NO_HTTP2" "-DHTTPX_NO_INFLATE" "-DHTTPX_NO_COOKIES" "-DUSE_CUSTOM_ALLOC" $bearssl; do
            try "$cc-$std$(echo "$cfg" | tr -d ' =')" $cc -std=$std $warn $cfg
        done
    done
done
# the codecs of the user's libraries, each alone and together
if [ -n "$codecs" ]; then
    for cc in gcc clang; do
        for cfg in $codecs "$codecs"; do
            try "$cc-c99$(echo "$cfg" | tr -d ' =')" $cc -std=c99 $warn $cfg
        done
    done
fi
# the other resolver, getaddrinfo on a helper thread, which the rows above leave out
for cc in gcc clang; do
    try "$cc-c99-DHTTPX_DNS_THREADS" $cc -std=c99 $warn -DHTTPX_DNS_THREADS $bearssl
done
# dead code: internals plain static (not "unused"), so an internal function
# nothing calls is an error, with TLS and without; the failure names them
dead_code() {  # dead_code NAME COMPILER FLAGS...
    name=$1; shift
    runs=$((runs + 1))
    if ! "$@" -c tests/compile/impl.c -o "$out/$name.o" 2>"$out/$name.log"; then
        echo "matrix FAIL: $name: $*"
        dead=$(grep -E "defined but not used|unused function" "$out/$name.log" | grep -o 'httpx__[a-z0-9_]*' | sort -u | tr '\n' ' ')
        [ -n "$dead" ] && echo "  internal functions nothing calls: $dead"
        others=$(grep "error:" "$out/$name.log" | grep -v -E "defined but not used|unused function" | head -5)
        [ -n "$others" ] && echo "$others"
        fail=$((fail + 1))
    fi
}
for cc in gcc clang; do
    for cfg in "" $bearssl "-DHTTPX_NO_COOKIES" "-DHTTPX_NO_INFLATE" ${codecs:+"$codecs"}; do
        dead_code "$cc-c99-static-unused$(echo "$cfg" | tr -d ' =')" $cc -std=c99 $warn -Wunused-function -DHTTPX__PRIVATE=static $cfg
    done
done
for cxx in g++ clang++; do
    for cfg in "" "-DHTTPX_STATIC" $bearssl ${codecs:+"$codecs"}; do
        try "$cxx$(echo "$cfg" | tr -d ' =')" $cxx -x c++ -std=c++11 $warn $cfg
    done
done

# HTTPX_LINES: the #line markers compile, and an error in a component is
# reported at its line of tools/src/ (an #error put at the end of three
# files of a copy); without HTTPX_LINES the same error points into the header
try "gcc-c99-DHTTPX_LINES" gcc -std=c99 $warn -DHTTPX_LINES $bearssl
try "clang-c99-DHTTPX_LINES" clang -std=c99 $warn -DHTTPX_LINES $bearssl
runs=$((runs + 1))
probe="$out/lines-probe"
rm -rf "$probe" && mkdir -p "$probe/src" && cp tools/src/* "$probe/src/"
want=""
for f in net.c dns_stub.c tls.c; do
    want="$want tools/src/$f:$(($(wc -l < "tools/src/$f") + 1)):"
    echo "#error httpx_lines_probe" >> "$probe/src/$f"
done
printf '#define HTTPX_IMPLEMENTATION\n#include "httpx.h"\n' > "$probe/impl.c"
python3 tools/amalgamate.py --src "$probe/src" --out "$probe/httpx.h" >"$probe/log" 2>&1
gcc -std=c99 -DHTTPX_LINES $bearssl -c "$probe/impl.c" -o "$probe/impl.o" >>"$probe/log" 2>&1
gcc -std=c99 $bearssl -c "$probe/impl.c" -o "$probe/impl.o" 2>"$probe/plain.log"
missing=""
for w in $want; do grep -q "^$w.*httpx_lines_probe" "$probe/log" || missing="$missing $w"; done
if [ -n "$missing" ] || grep -q "tools/src/" "$probe/plain.log" || ! grep -q "httpx.h:[0-9]*:.*httpx_lines_probe" "$probe/plain.log"; then
    echo "matrix FAIL: HTTPX_LINES does not point errors at tools/src (missing:$missing)"
    sed -n '1,10p' "$probe/log"
    fail=$((fail + 1))
fi

# include order: a system header before the implementation
try_file() {  # try_file NAME SOURCE COMPILER FLAGS...
    name=$1; src=$2; shift 2
    runs=$((runs + 1))
    if ! "$@" -c "$src" -o "$out/$name.o" 2>"$out/$name.log"; then
        echo "matrix FAIL: $name: $* $src"; sed -n '1,15p' "$out/$name.log"; fail=$((fail + 1))
    fi
}
for cc in gcc clang; do
    try_file "$cc-gnu99-stdio-first" tests/compile/stdio_first.c $cc -std=gnu99 $warn $bearssl
    try_file "$cc-c99-posix-stdio-first" tests/compile/stdio_first.c $cc -std=c99 -D_POSIX_C_SOURCE=200809L $warn $bearssl
    # strict C99 after <stdio.h>: the first error is httpx.h's own, saying what to do
    runs=$((runs + 1))
    $cc -std=c99 $warn -c tests/compile/stdio_first.c -o "$out/$cc-c99-stdio-first.o" >"$out/$cc-c99-stdio-first.log" 2>&1
    if ! grep -m1 "error" "$out/$cc-c99-stdio-first.log" | grep -q "_POSIX_C_SOURCE 200809L before the first #include"; then
        echo "matrix FAIL: $cc -std=c99 with <stdio.h> first: not httpx.h's #error first"
        sed -n '1,10p' "$out/$cc-c99-stdio-first.log"; fail=$((fail + 1))
    fi
done

# the header alone, and a program linked from both halves
runs=$((runs + 1))
if ! gcc -std=c99 $warn -c tests/compile/main.c -o "$out/main.o" 2>"$out/main.log" ||
   ! gcc "$out/main.o" "$out/gcc-c99.o" -o "$out/linked" 2>>"$out/main.log"; then
    echo "matrix FAIL: link of main.c + impl.c"; cat "$out/main.log"; fail=$((fail + 1))
fi

# nm: every external symbol the implementation defines carries the prefix
runs=$((runs + 1))
bad=$(nm -g --defined-only "$out/gcc-c99.o" | awk '{print $3}' | grep -v '^httpx_' | grep -v '^compile_check_use$')
if [ -n "$bad" ]; then echo "matrix FAIL: symbols without the httpx_ prefix: $bad"; fail=$((fail + 1)); fi
runs=$((runs + 1))
static_syms=$(nm -g --defined-only "$out/gcc-c99-DHTTPX_STATIC.o" | awk '{print $3}' | grep -v '^compile_check_use$')
if [ -n "$static_syms" ]; then echo "matrix FAIL: HTTPX_STATIC still exports: $static_syms"; fail=$((fail + 1)); fi

# the feature switches really remove their code: a component's functions are
# in the default object and gone from the switched one (nm sees static ones)
gone() {  # gone OBJECT-NAME PATTERN WHAT
    runs=$((runs + 1))
    if ! nm "$out/gcc-c99.o" | grep -q -E "$2"; then
        echo "matrix FAIL: $3: the default build has no symbol matching $2 (stale pattern?)"; fail=$((fail + 1))
    elif nm "$out/$1.o" | grep -E "$2" >"$out/$1.left"; then
        echo "matrix FAIL: $3 still defines: $(awk '{print $3}' "$out/$1.left" | head -5 | tr '\n' ' ')"; fail=$((fail + 1))
    fi
}
gone gcc-c99-DHTTPX_NO_HTTP2 ' t httpx__(hpack_|h2_[a-oq-z]|h2s_)' "HTTPX_NO_HTTP2"
gone gcc-c99-DHTTPX_NO_COOKIES ' [tT] httpx(_|__)cookie' "HTTPX_NO_COOKIES"
gone gcc-c99-DHTTPX_NO_INFLATE ' t httpx__inflate' "HTTPX_NO_INFLATE"
gone gcc-c99-DHTTPX_DNS_THREADS ' t httpx__dns_(packet|stub_)' "HTTPX_DNS_THREADS (the stub resolver)"

echo "compile matrix: $((runs - fail)) of $runs configurations clean"
[ $fail -eq 0 ]
