#!/bin/bash
# Prints the README's WatchImages figures (release build, static Swift stdlib), on a temp tree served
# by berthd --root (file changes only; no PID 1 needed):
#   1. event latency from a hand-made change in the pool to the watcher's reply (median, p90, max)
#   2. berthd's memory before and after 1,000 watchers connect
#   3. attach + detach time through berthd without and with those 1,000 watchers connected
# Usage: Benchmarks/watch/run.sh
#   SKIP_BUILD=1 …   reuse the last build in $SCRATCH (default .build-e2e, which scripts/e2e.sh also builds)
#   N=… COUNT=… RUNS=…   changes timed (101), watchers (1000), attach/detach pairs per side (21)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
SWIFT=${SWIFT:-swift}
. scripts/require-swift.sh
SCRATCH=${SCRATCH:-.build-e2e}
FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
if [ -z "${SKIP_BUILD:-}" ]; then
    for product in berthd berthctl; do "$SWIFT" build "${FLAGS[@]}" --product "$product" >&2; done
fi
BIN=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
WORK=$(mktemp -d /tmp/berth-watch-bench.XXXXXX)
BERTHD=
cleanup() {
    [ -n "$BERTHD" ] && kill "$BERTHD" 2>/dev/null && wait "$BERTHD" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
# 1,000 watchers: a descriptor each on both sides.
ulimit -n 8192

ROOT=$WORK/root
mkdir -p "$ROOT/var/lib/portables" "$ROOT/etc/systemd/system" "$ROOT/run/systemd/system"
IMAGE=$ROOT/var/lib/portables/demo
mkdir -p "$IMAGE/usr/lib/systemd/system"
printf 'ID=demo\nVERSION_ID=1\n' > "$IMAGE/usr/lib/os-release"
printf '[Service]\nExecStart=/usr/bin/demo\n' > "$IMAGE/usr/lib/systemd/system/demo.service"
printf '[Socket]\nListenStream=/run/demo.sock\n' > "$IMAGE/usr/lib/systemd/system/demo.socket"

"$BIN/berthd" --listen="unix:$WORK/berthd.sock" --root="$ROOT" --no-pid1 --idle-timeout=0 \
    --profile-directory="$REPO/profiles" --log-level=warning 2>"$WORK/berthd.log" &
BERTHD=$!
for _ in $(seq 100); do [ -S "$WORK/berthd.sock" ] && break; sleep 0.05; done
echo "host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
python3 Benchmarks/watch/watch-bench.py "$WORK/berthd.sock" "$ROOT" "$BERTHD" "$BIN/berthctl" \
    demo "${N:-101}" "${COUNT:-1000}" "${RUNS:-21}"
