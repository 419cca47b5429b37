#!/bin/sh
# Benchmarks berth's Varlink library side by side with the python, Go and C peers (shared/bench).
#   scripts/bench.sh            release build of varlink-bench-server + `run.sh peers berth=…`
#   RUNS=3 scripts/bench.sh     three runs (take medians; single runs move 5–25 %)
# Extra arguments go to run.sh (e.g. 'other=unix:/run/x.sock'). PIN=1 etc. pass through.
set -eu
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
BENCH=${BENCH_DIR:-/work/shared/bench}
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
    "$BENCH/run.sh" peers "berth=$BIN --listen={address}" "$@"
    i=$((i + 1))
done
