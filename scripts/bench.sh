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
# Static stdlib: no dynamic relocation of libswiftCore at start (cold start) and fewer resident pages (RSS).
"$SWIFT" build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product varlink-bench-server
BIN=$("$SWIFT" build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)/varlink-bench-server
i=1
while [ "$i" -le "$RUNS" ]; do
    "$BENCH/run.sh" peers "berth=$BIN --listen={address}" "$@"
    i=$((i + 1))
done
