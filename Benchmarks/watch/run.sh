#!/bin/bash
# Prints the README's WatchImages figures (release build, static Swift stdlib), on a temp tree served
# by berthd --root (file changes only; no PID 1 needed):
#   1. event latency from a hand-made change in the pool to the watcher's reply (median, p90, max)
#   2. berthd's memory before and after 1,000 watchers connect
#   3. attach + detach time through berthd without and with those 1,000 watchers connected
# Usage: Benchmarks/watch/run.sh
#   SKIP_BUILD=1 …   reuse the last build in $SCRATCH (default .build-e2e, which scripts/e2e.sh also builds)
#   N=… COUNT=… RUNS=…   changes timed (101), watchers (1000), attach/detach pairs per side (21)
#   PID1=1 …   figures 2 and 3 under a real PID 1 instead: berth installed in a booted lab container
#              (Tests/e2e/lab; LAB, SUITE and CT as there, CT default berth-watch-bench), socket-activated
#              berthd.service, where every attach and detach includes PID 1's daemon-reload. The
#              container is stopped afterwards. Needs root, like scripts/e2e.sh. Also figure
#   4. berthd's CPU time while PID 1 starts a oneshot unit unrelated to any image CHURN times (100) with
#      one image attached and one watcher connected (what the host's unit churn costs a watched berthd)
#   BERTHD_BIN=…   measure this berthd binary instead of the build's (say, an older build, to compare)
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
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
LABDIR=$REPO/Tests/e2e/lab
cleanup() {
    [ -n "$BERTHD" ] && kill "$BERTHD" 2>/dev/null && wait "$BERTHD" 2>/dev/null
    [ -n "${PID1:-}" ] && "$LABDIR/stop.sh" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
# 1,000 watchers: a descriptor each on both sides.
ulimit -n 8192

if [ -n "${PID1:-}" ]; then
    export LAB=${LAB:-/var/tmp/berth-lab} CT=${CT:-berth-watch-bench} LAB_BINDS=
    "$LABDIR/stop.sh" >/dev/null 2>&1 || true
    "$LABDIR/setup.sh" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log" >&2; exit 1; }
    CTROOT=$LAB/$CT
    BERTH_SKIP_BUILD=1 BERTH_BUILD_DIR="$SCRATCH" scripts/install.sh install "$CTROOT" /usr \
        >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 1; }
    mkdir -p "$CTROOT/etc/systemd/system/sockets.target.wants" "$CTROOT/etc/systemd/system/berthd.service.d"
    ln -sf /usr/lib/systemd/system/berthd.socket "$CTROOT/etc/systemd/system/sockets.target.wants/berthd.socket"
    # berthd raises its soft descriptor limit to the hard one; a fixed limit keeps runs alike across hosts.
    printf '[Service]\nLimitNOFILE=8192\n' >"$CTROOT/etc/systemd/system/berthd.service.d/watch-bench.conf"
    IMAGE=$CTROOT/var/lib/portables/demo
    mkdir -p "$IMAGE/usr/lib/systemd/system" "$CTROOT/usr/local/lib/berth-bench"
    printf 'ID=demo\nVERSION_ID=1\n' >"$IMAGE/usr/lib/os-release"
    printf '[Service]\nExecStart=/usr/bin/demo\n' >"$IMAGE/usr/lib/systemd/system/demo.service"
    printf '[Socket]\nListenStream=/run/demo.sock\n' >"$IMAGE/usr/lib/systemd/system/demo.socket"
    printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$CTROOT/etc/systemd/system/berth-bench-churn.service"
    if [ -n "${BERTHD_BIN:-}" ]; then install -m 0755 "$BERTHD_BIN" "$CTROOT/usr/bin/berthd"; fi
    cp Benchmarks/watch/watch-bench.py "$CTROOT/usr/local/lib/berth-bench/"
    "$LABDIR/boot.sh" >"$WORK/boot.log" 2>&1 || { cat "$WORK/boot.log" >&2; exit 1; }
    for _ in $(seq 100); do
        [ "$("$LABDIR/exec.sh" systemctl is-active berthd.socket 2>/dev/null)" = active ] && break
        sleep 0.1
    done
    echo "host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before;" \
        "PID 1: $("$LABDIR/exec.sh" systemctl --version | head -1) in container $CT"
    "$LABDIR/exec.sh" sh -c 'ulimit -n 8192 && exec "$@"' sh python3 /usr/local/lib/berth-bench/watch-bench.py \
        /run/berth/io.berth.Portable / systemd /usr/bin/berthctl demo 0 "${COUNT:-1000}" "${RUNS:-21}" \
        "${CHURN:-100}" berth-bench-churn.service
    exit 0
fi

ROOT=$WORK/root
mkdir -p "$ROOT/var/lib/portables" "$ROOT/etc/systemd/system" "$ROOT/run/systemd/system"
IMAGE=$ROOT/var/lib/portables/demo
mkdir -p "$IMAGE/usr/lib/systemd/system"
printf 'ID=demo\nVERSION_ID=1\n' > "$IMAGE/usr/lib/os-release"
printf '[Service]\nExecStart=/usr/bin/demo\n' > "$IMAGE/usr/lib/systemd/system/demo.service"
printf '[Socket]\nListenStream=/run/demo.sock\n' > "$IMAGE/usr/lib/systemd/system/demo.socket"

"${BERTHD_BIN:-$BIN/berthd}" --listen="unix:$WORK/berthd.sock" --root="$ROOT" --no-pid1 --idle-timeout=0 \
    --profile-directory="$REPO/profiles" --log-level=warning 2>"$WORK/berthd.log" &
BERTHD=$!
for _ in $(seq 100); do [ -S "$WORK/berthd.sock" ] && break; sleep 0.05; done
echo "host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
python3 Benchmarks/watch/watch-bench.py "$WORK/berthd.sock" "$ROOT" "$BERTHD" "$BIN/berthctl" \
    demo "${N:-101}" "${COUNT:-1000}" "${RUNS:-21}"
