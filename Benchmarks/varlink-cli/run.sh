#!/bin/bash
# `varlink` against systemd's `varlinkctl`: whole processes, the same command lines against the same
# running service (PID 1's /run/systemd/io.systemd.ManagedOOM socket), side by side in one booted lab
# container (Tests/e2e/lab, systemd 257 by default). Each round runs every case once per tool, in turn,
# so both tools see the same machine load. Prints per case the two medians and the ratio varlink/varlinkctl,
# then the process floors (/bin/true, a static Swift "hello world") and the binary sizes.
# Usage: Benchmarks/varlink-cli/run.sh              release build (static Swift stdlib), then measure
#   SKIP_BUILD=1 …   reuse the last build in $SCRATCH (default .build-varlink-cli)
#   BIN_DIR=DIR …    take varlink from DIR, no build
#   ROUNDS=201 …     timed runs per case and tool (default 101; the median is printed)
#   BEFORE=FILE …    also time this varlink binary (an older build) as a third column, "before"
#   NICE=0 …         the timing loop's nice level (default -10: on a loaded machine both tools then wait
#                    less for a CPU, so the figures show the processes' own cost; the same for every tool)
# Env: LAB, SUITE, CT (default /var/tmp/berth-lab, trixie, varlink-cli-bench).
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/../.."
REPO=$(pwd)
export LAB=${LAB:-/var/tmp/berth-lab} CT=${CT:-varlink-cli-bench}
LABDIR=$REPO/Tests/e2e/lab
SCRATCH=${SCRATCH:-.build-varlink-cli}
ROUNDS=${ROUNDS:-101}
NICE=${NICE:--10}
TOOLS=(varlinkctl varlink)
ADDRESS=/run/systemd/io.systemd.ManagedOOM
say() { printf '[varlink-cli] %s\n' "$*" >&2; }
ct() { "$LABDIR/exec.sh" "$@"; }

SWIFT=${SWIFT:-swift}
. scripts/require-swift.sh
SWIFTC=${SWIFTC:-$(dirname "$(command -v "$SWIFT")")/swiftc}
if [ -n "${BIN_DIR:-}" ]; then
    BIN=$BIN_DIR
else
    FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
    [ -n "${SKIP_BUILD:-}" ] || "$SWIFT" build "${FLAGS[@]}" --product varlink >&2
    BIN=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
fi
[ -x "$BIN/varlink" ] || { echo "varlink-cli: no varlink in $BIN" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
printf 'print("hello")\n' >"$WORK/hello.swift"
"$SWIFTC" -O -static-executable "$WORK/hello.swift" -o "$WORK/hello-static" 2>"$WORK/hello.log" \
    || { cat "$WORK/hello.log" >&2; exit 1; }

# A fresh container root with the binaries in /usr/local/bin.
"$LABDIR/stop.sh" >/dev/null 2>&1 || true
"$LABDIR/setup.sh" >/dev/null
ROOT=$LAB/$CT
install -m 755 "$BIN/varlink" "$ROOT/usr/local/bin/varlink"
install -m 755 "$WORK/hello-static" "$ROOT/usr/local/bin/hello-static"
if [ -n "${BEFORE:-}" ]; then
    install -m 755 "$BEFORE" "$ROOT/usr/local/bin/varlink-before"
    TOOLS+=(varlink-before)
fi
"$LABDIR/boot.sh" >/dev/null
trap '"$LABDIR/stop.sh" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# The cases: a label, then the arguments both tools get. The same reply from both is checked first.
CASES=(
    "--version|--version"
    "info|info $ADDRESS"
    "introspect|introspect $ADDRESS io.systemd.ManagedOOM"
    "call GetInfo|call $ADDRESS org.varlink.service.GetInfo {}"
)
call=(call "$ADDRESS" org.varlink.service.GetInfo '{}')
[ "$(ct varlink "${call[@]}" --json=short)" = "$(ct varlinkctl "${call[@]}" --json=short)" ] \
    || { echo "varlink-cli: the two tools print different GetInfo replies" >&2; exit 1; }
for case in "${CASES[@]}"; do
    # shellcheck disable=SC2086
    for tool in "${TOOLS[@]}"; do ct $tool ${case#*|} >/dev/null || { echo "varlink-cli: '$tool ${case#*|}' failed" >&2; exit 1; }; done
done

# The timing loop runs inside the container: ROUNDS rounds, each running every case with each tool
# once, one line "LABEL<TAB>TOOL<TAB>µs" per run.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "$ROUNDS rounds, $((${#CASES[@]} * ${#TOOLS[@]} + 2)) processes each, nice $NICE ($(ct varlinkctl --version | head -n1))"
ct nice -n "$NICE" bash -c 'rounds=$1 tools=$2; shift 2
    for ((round = 0; round < rounds; round++)); do
        for case in "$@"; do
            label=${case%%|*} args=${case#*|}
            for tool in $tools; do
                t0=${EPOCHREALTIME/./}; $tool $args >/dev/null || exit 1; t1=${EPOCHREALTIME/./}
                printf "%s\t%s\t%d\n" "$label" "$tool" $((t1 - t0))
            done
        done
        for floor in /bin/true /usr/local/bin/hello-static; do
            t0=${EPOCHREALTIME/./}; $floor >/dev/null; t1=${EPOCHREALTIME/./}
            printf "floor\t%s\t%d\n" "$floor" $((t1 - t0))
        done
    done' sh "$ROUNDS" "${TOOLS[*]}" "${CASES[@]}" >"$WORK/times.tsv"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { awk -F'\t' -v l="$1" -v t="$2" '$1 == l && $2 == t { print $3 }' "$WORK/times.tsv" | sort -n \
    | awk '{ v[NR] = $1 } END { printf "%.2f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
echo "varlink vs varlinkctl, whole processes against PID 1 ($ADDRESS), median of $ROUNDS runs each, interleaved:"
if [ -n "${BEFORE:-}" ]; then
    printf '| %-12s | %11s | %11s | %6s | %14s | %6s |\n' case varlinkctl varlink ratio "varlink before" ratio
    printf '|%s|%s|%s|%s|%s|%s|\n' -------------- ------------- ------------- -------- ---------------- --------
else
    printf '| %-12s | %11s | %11s | %6s |\n' case varlinkctl varlink ratio
    printf '|%s|%s|%s|%s|\n' -------------- ------------- ------------- --------
fi
for case in "${CASES[@]}"; do
    label=${case%%|*}
    a=$(median "$label" varlinkctl) b=$(median "$label" varlink)
    if [ -n "${BEFORE:-}" ]; then
        c=$(median "$label" varlink-before)
        awk -v l="$label" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
            printf "| %-12s | %8.2f ms | %8.2f ms | %5.2f× | %11.2f ms | %5.2f× |\n", l, a, b, b / a, c, c / a }'
    else
        awk -v l="$label" -v a="$a" -v b="$b" 'BEGIN { printf "| %-12s | %8.2f ms | %8.2f ms | %5.2f× |\n", l, a, b, b / a }'
    fi
done
echo "process floors: /bin/true $(median floor /bin/true) ms, static Swift hello world $(median floor /usr/local/bin/hello-static) ms"
size() { stat -c %s "$1" | awk '{ printf "%.2f MB", $1 / 1e6 }'; }
echo "sizes: varlink $(size "$ROOT/usr/local/bin/varlink")${BEFORE:+ (before: $(size "$BEFORE"))}, varlinkctl $(size "$ROOT/usr/bin/varlinkctl") + libsystemd-shared $(size "$(ls "$ROOT"/usr/lib/*/systemd/libsystemd-shared-*.so "$ROOT"/usr/lib/systemd/libsystemd-shared-*.so 2>/dev/null | head -n1)")"
echo "($(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $(ct varlinkctl --version | head -n1))"
