#!/bin/sh
# The Windows leg: cross-builds tests/windows/test_windows.c and the examples
# with mingw-w64 and runs the test under Wine against servers on 127.0.0.1
# (h1_server.py here, tests/servers/h2_server.py for h2c). Skips, saying so,
# when the cross compiler or Wine is missing.
#     sh tests/windows/run.sh [BUILD_DIR]
set -u
CC_WIN=${CC_WIN:-x86_64-w64-mingw32-gcc}
OUT=${1:-build}/win
if ! command -v "$CC_WIN" >/dev/null 2>&1; then echo "test-windows: SKIP: no $CC_WIN (Debian: gcc-mingw-w64)"; exit 0; fi
WINE=$(command -v wine64 || command -v wine || true)
mkdir -p "$OUT"
CFLAGS="-std=c99 -Wall -Wextra -pedantic -Werror -O1 -static"
LIBS="-lws2_32 -lbcrypt"
fail=0
for f in examples/*.c; do
    n=$(basename "$f" .c)
    case $n in epoll_loop) continue ;; esac   # epoll and poll.h: Linux only
    # the examples' own sleeps and clocks (nanosleep, clock_gettime) come from winpthreads
    if ! $CC_WIN $CFLAGS -o "$OUT/$n.exe" "$f" $LIBS -lpthread 2>"$OUT/$n.log"; then
        echo "test-windows: FAIL: examples/$n.c does not cross-build:"; head -5 "$OUT/$n.log"; fail=1
    fi
done
if ! $CC_WIN $CFLAGS -o "$OUT/test_windows.exe" tests/windows/test_windows.c $LIBS 2>"$OUT/test_windows.log"; then
    echo "test-windows: FAIL: tests/windows/test_windows.c does not cross-build:"; head -20 "$OUT/test_windows.log"; exit 1
fi
if ! $CC_WIN $CFLAGS -shared -static-libgcc -o "$OUT/httpx_dll.dll" tests/windows/dll_impl.c $LIBS 2>"$OUT/dll.log" ||
   ! $CC_WIN ${CFLAGS% -static} -o "$OUT/dll_user.exe" tests/windows/dll_user.c "$OUT/httpx_dll.dll" 2>>"$OUT/dll.log"; then
    echo "test-windows: FAIL: the HTTPX_DLL build:"; head -20 "$OUT/dll.log"; fail=1
fi
echo "test-windows: examples, test_windows.exe and the HTTPX_DLL pair cross-built"
if [ -z "$WINE" ]; then echo "test-windows: SKIP running: no wine (Debian: wine wine64)"; exit $fail; fi
export WINEDEBUG=-all WINEPREFIX="$(pwd)/$OUT/wineprefix"
fifo1="$OUT/h1.in"; fifo2="$OUT/h2.in"
rm -f "$fifo1" "$fifo2"; mkfifo "$fifo1" "$fifo2"
# the servers exit when their stdin (these FIFOs, held open below) closes
python3 tests/windows/h1_server.py <"$fifo1" >"$OUT/h1.port" &
p1=$!
python3 tests/servers/h2_server.py --watch-stdin <"$fifo2" >"$OUT/h2.port" &
p2=$!
exec 7>"$fifo1" 8>"$fifo2"
for i in $(seq 1 100); do
    [ -s "$OUT/h1.port" ] && [ -s "$OUT/h2.port" ] && break
    sleep 0.1   # waiting for the servers to print their ports (bounded: 10 s)
done
h1=$(head -1 "$OUT/h1.port"); h2=$(head -1 "$OUT/h2.port" | cut -d' ' -f1)
if [ -z "$h1" ] || [ -z "$h2" ]; then echo "test-windows: FAIL: the servers did not start"; exit 1; fi
timeout 600 "$WINE" "$OUT/test_windows.exe" "$h1" "$h2"
rc=$?
got=$(cd "$OUT" && timeout 120 "$WINE" ./dll_user.exe "http://127.0.0.1:$h1/bytes/1234" | tr -d '\r')
if [ "$got" = "200 1234" ]; then echo "test-windows: ok: a program of the HTTPX_DLL build"
else echo "test-windows: FAIL: dll_user.exe printed '$got', not '200 1234'"; fail=1; fi
exec 7>&- 8>&-
wait $p1 $p2 2>/dev/null
rm -f "$fifo1" "$fifo2"
[ $rc -eq 0 ] || fail=1
[ $fail -eq 0 ] && echo "test-windows: ok" || echo "test-windows: FAILED"
exit $fail
