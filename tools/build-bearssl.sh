#!/bin/sh
# Builds BearSSL from Debian's own source package for a target the system's
# libbearssl-dev does not serve, into build/bearssl-TARGET/{include,lib}:
#
#   tools/build-bearssl.sh native-i386   gcc -m32 (the -m32 leg of make test)
#   tools/build-bearssl.sh musl          musl-gcc (static binaries: Debian's
#                                        libbearssl.a calls glibc's __memset_chk)
#   tools/build-bearssl.sh powerpc       clang --target=powerpc-linux-gnu (big-endian)
#   tools/build-bearssl.sh mingw         x86_64-w64-mingw32-gcc
#
# The source comes from `apt-get source bearssl` with a deb-src line in a
# PRIVATE apt state under build/ (the system's apt configuration is not
# touched, no root needed); it is kept in build/bearssl-src and reused.
# Needs dpkg-dev (dpkg-source) and the target's compiler. Nothing built here
# is committed. BEARSSL_SRC=DIR uses an unpacked source tree instead.
set -eu
pic=-fPIC
cd "$(dirname "$0")/.."
target=${1:-}
case "$target" in
    native-i386) cc="gcc -m32"; ar=ar ;;
    musl)        cc="musl-gcc"; ar=ar ;;
    powerpc)     cc="clang --target=powerpc-linux-gnu --sysroot=/usr/powerpc-linux-gnu"; ar=powerpc-linux-gnu-ar ;;
    mingw)       cc="x86_64-w64-mingw32-gcc"; ar=x86_64-w64-mingw32-ar; pic="" ;;
    *) echo "usage: $0 native-i386|musl|powerpc|mingw" >&2; exit 2 ;;
esac
out="build/bearssl-$target"
if [ -f "$out/lib/libbearssl.a" ] && [ -f "$out/include/bearssl.h" ]; then
    echo "bearssl: $out is already built"; exit 0
fi

src=${BEARSSL_SRC:-}
if [ -z "$src" ]; then
    src=$(ls -d build/bearssl-src/bearssl-*/ 2>/dev/null | head -1 || true)
fi
if [ -z "$src" ]; then
    command -v dpkg-source >/dev/null || { echo "bearssl: dpkg-source missing (Debian: apt-get install dpkg-dev)" >&2; exit 1; }
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    state="$PWD/build/apt-private"
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" build/bearssl-src
    echo "deb-src http://deb.debian.org/debian $codename main" > "$state/sources.list"
    set -- -o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null \
           -o Dir::State::Lists="$state/lists" -o Dir::Cache="$state/cache" \
           -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
    apt-get -qq "$@" update
    (cd build/bearssl-src && apt-get -qq "$@" source bearssl)
    src=$(ls -d build/bearssl-src/bearssl-*/ | head -1)
fi
src=${src%/}
[ -f "$src/inc/bearssl.h" ] || { echo "bearssl: no inc/bearssl.h in $src" >&2; exit 1; }

echo "bearssl: building $src for $target with $cc"
obj="$out/obj"
rm -rf "$out" && mkdir -p "$obj" "$out/lib" "$out/include"
# No _FORTIFY_SOURCE: the library then calls only plain libc functions, which
# musl and mingw have. Two compilers at a time at most (a shared machine).
jobs=${BEARSSL_JOBS:-2}
find "$src/src" -name '*.c' | sort > "$obj/list"
i=0
while read -r f; do
    name=$(echo "${f#$src/src/}" | tr / _)
    # shellcheck disable=SC2086
    $cc -O2 -U_FORTIFY_SOURCE $pic -I"$src/inc" -I"$src/src" -c "$f" -o "$obj/${name%.c}.o" &
    i=$((i + 1))
    [ $((i % jobs)) -eq 0 ] && wait
done < "$obj/list"
wait
n=$(ls "$obj"/*.o | wc -l)
[ "$n" -eq "$(wc -l < "$obj/list")" ] || { echo "bearssl: some files did not compile" >&2; exit 1; }
$ar rcs "$out/lib/libbearssl.a" "$obj"/*.o
cp "$src"/inc/*.h "$out/include/"
rm -rf "$obj"
echo "bearssl: $out/lib/libbearssl.a ($n objects)"
