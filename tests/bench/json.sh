#!/bin/sh
# JSON parse speed of httpx.h against cJSON (tests/bench/bench_json.c).
#   sh tests/bench/json.sh            build with -O2 and run
# Needs libcjson-dev (Debian: apt-get install libcjson-dev). CC and CFLAGS
# may be set. With LOCALE set (e.g. LOCALE=de_DE.UTF-8), the program runs under
# that LC_ALL too, to show numbers do not depend on the decimal comma.
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2}
mkdir -p build
if [ ! -f /usr/include/cjson/cJSON.h ]; then
    echo "bench_json: cJSON not found: apt-get install libcjson-dev" >&2
    exit 1
fi
$CC -std=c99 $CFLAGS -Wall -Wextra -pedantic tests/bench/bench_json.c -o build/bench_json -lcjson
echo "JSON parse, median of 11 rounds ($CC $CFLAGS, cJSON $(dpkg-query -W -f '${Version}' libcjson-dev 2>/dev/null || echo '?'))"
if [ -n "${LOCALE:-}" ]; then LC_ALL=$LOCALE ./build/bench_json; else ./build/bench_json; fi
