#!/bin/sh
# Benchmarks berth's Varlink library side by side with the python, Go and C peers. The peers and
# their harness are not part of this repository: pass the harness directory (the one holding run.sh).
#   scripts/bench.sh BENCH_DIR [run.sh arguments…]     or   BENCH_DIR=DIR scripts/bench.sh [arguments…]
#   RUNS=3 scripts/bench.sh DIR     three runs (take medians; single runs move 5–25 %)
# A release build of varlink-bench-server, then `BENCH_DIR/run.sh peers berth=…` once per run. Extra
# arguments go to run.sh (e.g. 'other=unix:/run/x.sock'). PIN=1 etc. pass through.
set -eu
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
SWIFT=${SWIFT:-swift}
if [ -z "${BENCH_DIR:-}" ] && [ $# -gt 0 ]; then
    BENCH_DIR=$1
    shift
fi
if [ -z "${BENCH_DIR:-}" ]; then
    echo "bench.sh: which peers? usage: scripts/bench.sh BENCH_DIR [run.sh arguments…] (or BENCH_DIR=DIR;" \
        "make bench BENCH_DIR=DIR), BENCH_DIR being the peers' bench harness, the directory with run.sh" >&2
    exit 2
fi
[ -x "$BENCH_DIR/run.sh" ] || {
    echo "bench.sh: no executable run.sh in '$BENCH_DIR': BENCH_DIR must be the peers' bench harness" >&2
    exit 1
}
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)  # a path relative to where the caller stands
cd "$(dirname "$0")/.."
. scripts/require-swift.sh
SCRATCH=${SCRATCH:-.build-bench}
RUNS=${RUNS:-1}
# A fully static executable: no dynamic loading at start (cold start), and none of libswiftCore's,
# libstdc++'s or libc's shared pages count against the server's RSS (a static hello-world is 2.7 MiB,
# a dynamic one 5 MiB). The bench server needs nothing but libc, so this is a pure link-time choice.
FLAGS="-c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path $SCRATCH"
# shellcheck disable=SC2086
"$SWIFT" build $FLAGS --product varlink-bench-server
# shellcheck disable=SC2086
BIN=$("$SWIFT" build $FLAGS --show-bin-path)/varlink-bench-server
i=1
while [ "$i" -le "$RUNS" ]; do
    "$BENCH_DIR/run.sh" peers "berth=$BIN --listen={address}" "$@"
    i=$((i + 1))
done
