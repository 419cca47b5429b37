#!/bin/bash
# Prints what a signed dm-verity image costs to open (attach's disk part: loop device, signature and
# hash tree checks, detached mount, close) against the same 1 GiB squashfs unsigned and without
# verity: the first open, and the repeated open of an unchanged image (checks recalled from the cache).
# Usage: Benchmarks/signed/run.sh          release build of the tests, then the benchmark (root: loop devices)
#   SKIP_BUILD=1 …           reuse the last build in $SCRATCH (default .build-signed)
#   BERTH_SIGNED_BENCH_MIB=… image size in MiB (default 1024)
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/../.."
SWIFT=${SWIFT:-swift}
. scripts/require-swift.sh
SCRATCH=${SCRATCH:-.build-signed}
# The test bundle holds suites with `@testable import` and test-only (`#if DEBUG`) hooks: a release
# build of it needs -enable-testing and -DDEBUG. Neither changes the code measured (DiskImage, libcrypto).
FLAGS=(-c release -Xswiftc -enable-testing -Xswiftc -DDEBUG --scratch-path "$SCRATCH")
[ -n "${SKIP_BUILD:-}" ] || "$SWIFT" build "${FLAGS[@]}" --build-tests >&2
echo "host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
BERTH_SIGNED_BENCH=1 "$SWIFT" test "${FLAGS[@]}" --skip-build --filter SignedVerityBenchmark 2>&1 \
    | { grep '^bench ' || { echo "benchmark printed nothing (needs root, loop devices, openssl, veritysetup)" >&2; exit 1; }; }
