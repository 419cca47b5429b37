#!/bin/bash
# `portablectl list` of many images: systemd's own portablectl through systemd-portabled and through
# berthd as org.freedesktop.portable1 (berthd-portable1.service), side by side in one booted lab
# container (Tests/e2e/lab). Prints both medians and the ratio:
#   portablectl list, N images (median of N runs each): systemd-portabled A ms, berthd B ms, ratio B/A×
# and what bounds them: each daemon's CPU time per list (its threads' schedstat over the timed lists),
# dbus-daemon's, `busctl call … ListImages` through each, and the floor no daemon changes: `portablectl
# --version` (the client's own start) and a call answered by the bus driver itself (connect, Hello, a
# round trip).
# Usage: Benchmarks/dbus/list.sh                  release build (static Swift stdlib), then measure
#   (needs gcc on the host for Benchmarks/dbus/statx-floor.c)
#   SKIP_BUILD=1 …   reuse the last build in $SCRATCH (default .build-pbench, as scripts/bench-portable.sh)
#   BIN_DIR=DIR …    take berthd from DIR, no build
#   IMAGES=400 …     images in /var/lib/portables; ROUNDS=15 … rounds; RUNS=5 … timed lists per round
# Env: LAB, SUITE, CT (default /var/tmp/berth-lab, trixie, dbus-bench). The two daemons own the same
# bus name, so they take turns, round by round (README "Replacing systemd-portabled": mask one, enable
# the other); each round's first list (bus activation, cold caches) is not timed.
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/../.."
REPO=$(pwd)
export LAB=${LAB:-/var/tmp/berth-lab} CT=${CT:-dbus-bench}
LABDIR=$REPO/Tests/e2e/lab
SCRATCH=${SCRATCH:-.build-pbench}
IMAGES=${IMAGES:-400}
ROUNDS=${ROUNDS:-15}
RUNS=${RUNS:-5}
say() { printf '[dbus-list] %s\n' "$*" >&2; }
ct() { "$LABDIR/exec.sh" "$@"; }

if [ -n "${BIN_DIR:-}" ]; then
    BIN=$BIN_DIR
else
    SWIFT=${SWIFT:-swift}
    . scripts/require-swift.sh
    FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
    [ -n "${SKIP_BUILD:-}" ] || "$SWIFT" build "${FLAGS[@]}" --product berthd >&2
    BIN=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
fi
[ -x "$BIN/berthd" ] || { echo "dbus-list: no berthd in $BIN" >&2; exit 1; }

# A fresh container root with berthd installed as `make install PREFIX=/usr` lays it out.
"$LABDIR/stop.sh" >/dev/null 2>&1 || true
"$LABDIR/setup.sh" >/dev/null
ROOT=$LAB/$CT
install -m 755 "$BIN/berthd" "$ROOT/usr/bin/berthd"
# The statx floor: built here (the lab has no compiler), run inside.
gcc -O2 -Wall -o "$ROOT/usr/local/bin/berth-statx-floor" Benchmarks/dbus/statx-floor.c
for unit in units/berthd.socket units/berthd.service units/berthd-portable1.service; do
    sed -e 's|@bindir@|/usr/bin|g' -e 's|@datadir@|/usr/share|g' "$unit" >"$ROOT/usr/lib/systemd/system/${unit#units/}"
done
mkdir -p "$ROOT/usr/share/berth"
cp -r profiles "$ROOT/usr/share/berth/profiles"
# Small directory images, as scripts/bench-portable.sh's list-400.
mkdir -p "$ROOT/var/lib/portables"
for ((i = 1; i <= IMAGES; i++)); do
    d=$ROOT/var/lib/portables/pbench-$i
    mkdir -p "$d/usr/lib/systemd/system"
    printf 'ID=pbench\nVERSION_ID=%d\nPORTABLE_PREFIXES=pbench-%d\n' "$i" "$i" >"$d/usr/lib/os-release"
    printf '[Service]\nExecStart=/bin/true\n' >"$d/usr/lib/systemd/system/pbench-$i.service"
done
"$LABDIR/boot.sh" >/dev/null
trap '"$LABDIR/stop.sh" >/dev/null 2>&1 || true' EXIT

# serve portabled|berthd: which daemon owns org.freedesktop.portable1 from the next call on.
serve() {
    if [ "$1" = berthd ]; then
        ct sh -c 'systemctl mask --now systemd-portabled.service && systemctl enable berthd-portable1.service' >/dev/null 2>&1
    else
        ct sh -c 'systemctl disable --now berthd-portable1.service && systemctl unmask systemd-portabled.service' >/dev/null 2>&1
    fi
}
# The timing loop runs inside the container: RUNS lists, one µs figure each ("list N"), after one
# untimed list; the name owner's and dbus-daemon's CPU µs per list over them ("cpu N", "buscpu N");
# RUNS ListImages calls ("call N").
measure() {
    ct bash -c 'portablectl list --no-pager >/dev/null || exit 1
        pid=$(busctl --system status org.freedesktop.portable1 | sed -n "s/^PID=//p")
        bus=$(systemctl show -P MainPID dbus.service)
        cpu() { cat /proc/"$1"/task/*/schedstat | awk "{ s += \$1 } END { printf \"%d\", s / 1000 }"; }
        c0=$(cpu "$pid") b0=$(cpu "$bus")
        for ((i = 0; i < $1; i++)); do
            t0=${EPOCHREALTIME/./}; portablectl list --no-pager >/dev/null || exit 1; t1=${EPOCHREALTIME/./}
            echo "list $((t1 - t0))"
        done
        echo "cpu $((($(cpu "$pid") - c0) / $1))"
        echo "buscpu $((($(cpu "$bus") - b0) / $1))"
        for ((i = 0; i < $1; i++)); do
            t0=${EPOCHREALTIME/./}
            busctl --system call org.freedesktop.portable1 /org/freedesktop/portable1 \
                org.freedesktop.portable1.Manager ListImages >/dev/null || exit 1
            t1=${EPOCHREALTIME/./}
            echo "call $((t1 - t0))"
        done' sh "$RUNS"
}
WORK=$(mktemp -d)
trap '"$LABDIR/stop.sh" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
serve berthd
[ "$(ct portablectl list --no-pager | grep -c '^pbench-')" = "$IMAGES" ] || { echo "dbus-list: berthd does not list $IMAGES images" >&2; exit 1; }
[ "$(ct busctl --system status org.freedesktop.portable1 | sed -n 's/^Comm=//p')" = berthd ] || { echo "dbus-list: the name is not berthd's" >&2; exit 1; }
serve portabled
[ "$(ct portablectl list --no-pager | grep -c '^pbench-')" = "$IMAGES" ] || { echo "dbus-list: portabled does not list $IMAGES images" >&2; exit 1; }
# Same output from both, apart from the state of nothing (all detached): a benchmark of equal work.
ct portablectl list --no-pager >"$WORK/portabled.txt"
serve berthd
ct portablectl list --no-pager >"$WORK/berthd.txt"
cmp -s "$WORK/portabled.txt" "$WORK/berthd.txt" || { diff "$WORK/portabled.txt" "$WORK/berthd.txt" | head >&2; echo "dbus-list: the two lists differ" >&2; exit 1; }
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
say "$ROUNDS rounds of $RUNS lists each, the daemons taking turns ($(ct portablectl --version | head -n1))"
for ((round = 0; round < ROUNDS; round++)); do
    for daemon in portabled berthd; do
        serve "$daemon"
        measure >"$WORK/round" || { echo "dbus-list: portablectl list through $daemon failed" >&2; exit 1; }
        for kind in list cpu buscpu call; do sed -n "s/^$kind //p" "$WORK/round" >>"$WORK/$daemon.$kind"; done
    done
done
# The floor, the same whichever daemon owns the name.
ct bash -c 'for ((i = 0; i < $1; i++)); do
        t0=${EPOCHREALTIME/./}; portablectl --version >/dev/null; t1=${EPOCHREALTIME/./}
        echo "version $((t1 - t0))"
        t0=${EPOCHREALTIME/./}
        busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId >/dev/null
        t1=${EPOCHREALTIME/./}
        echo "driver $((t1 - t0))"
    done' sh "$((ROUNDS * RUNS))" >"$WORK/floor"
for kind in version driver; do sed -n "s/^$kind //p" "$WORK/floor" >"$WORK/floor.$kind"; done
read -r STATX_IMAGES STATX_US < <(ct /usr/local/bin/berth-statx-floor /var/lib/portables "$((ROUNDS * RUNS))")
serve portabled
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
a=$(median "$WORK/portabled.list") b=$(median "$WORK/berthd.list")
awk -v n="$IMAGES" -v a="$a" -v b="$b" -v runs="$(wc -l <"$WORK/berthd.list")" 'BEGIN {
    printf "portablectl list, %d images (median of %d runs each): systemd-portabled %.1f ms, berthd %.1f ms, ratio %.2f×\n", n, runs, a, b, b / a }'
median2() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.2f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
echo "daemon CPU per list (median of $ROUNDS rounds): systemd-portabled $(median2 "$WORK/portabled.cpu") ms," \
    "berthd $(median2 "$WORK/berthd.cpu") ms; busctl call ListImages: systemd-portabled" \
    "$(median "$WORK/portabled.call") ms, berthd $(median "$WORK/berthd.call") ms"
echo "dbus-daemon CPU per list (median of $ROUNDS rounds): with systemd-portabled" \
    "$(median2 "$WORK/portabled.buscpu") ms, with berthd $(median2 "$WORK/berthd.buscpu") ms"
echo "floor: portablectl --version $(median "$WORK/floor.version") ms, busctl call to the bus driver" \
    "(GetId) $(median "$WORK/floor.driver") ms, one statx per image ($STATX_IMAGES, by name in" \
    "/var/lib/portables; what any daemon's list costs at least) $(awk -v us="$STATX_US" 'BEGIN { printf "%.2f", us / 1000 }') ms"
echo "($(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $(ct portablectl --version | head -n1))"
