#!/bin/sh
# CPU time (user + sys) to compile the implementation alone, median of N runs
# (default 5), at -O2 and -O0, with the default features (no TLS):
#   tools/compile-time.sh [N] [extra flags...]
# README's compile-time table comes from this script.
set -eu
cd "$(dirname "$0")/.."
n=${1:-5}; [ $# -gt 0 ] && shift
cc=${CC:-cc}
for opt in -O2 -O0; do
    times=""
    i=0
    while [ $i -lt "$n" ]; do
        t=$( { /usr/bin/time -f '%U %S' "$cc" -std=c99 $opt "$@" -c tools/httpx_impl.c -o /dev/null; } 2>&1 | tail -1 | awk '{printf "%.2f", $1 + $2}')
        times="$times $t"
        i=$((i + 1))
    done
    median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    echo "compile-time: $cc $opt $*: median ${median} s CPU of $n (runs:$times)"
done
