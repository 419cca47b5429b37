#!/bin/bash
# `varlink` against systemd's `varlinkctl`: whole processes, the same command lines against the same
# running service (PID 1's /run/systemd/io.systemd.ManagedOOM socket), side by side in one booted lab
# container (Tests/e2e/lab, systemd 257 by default). Each round runs every case once per tool, in turn,
# so both tools see the same machine load. Prints per case the two medians of the wall time, the two means
# of the CPU time and the ratios varlink/varlinkctl, then the process floors (/bin/true, a static Swift
# "hello world") and the binary sizes.
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

# The cases: "LABEL|ARGUMENTS[|MORE]", MORE going to varlink only. `varlink call` checks the parameters
# against the interface first (one more round trip than varlinkctl, which sends the call unchecked);
# the --no-validate row shows that round trip's share.
USER_RECORD='{"service":"io.systemd.DynamicUser","userName":"nobody"}'
CASES=(
    "--version|--version"
    "info|info $ADDRESS"
    "introspect|introspect $ADDRESS io.systemd.ManagedOOM"
    "call GetInfo|call $ADDRESS org.varlink.service.GetInfo {}"
    "call GetInfo, varlink --no-validate|call $ADDRESS org.varlink.service.GetInfo {}|--no-validate"
    "call GetUserRecord|call --graceful=io.systemd.UserDatabase.NoRecordFound $ADDRESS io.systemd.UserDatabase.GetUserRecord $USER_RECORD"
)
call=(call "$ADDRESS" org.varlink.service.GetInfo '{}')
[ "$(ct varlink "${call[@]}" --json=short)" = "$(ct varlinkctl "${call[@]}" --json=short)" ] \
    || { echo "varlink-cli: the two tools print different GetInfo replies" >&2; exit 1; }
for case in "${CASES[@]}"; do
    IFS='|' read -r _ args more <<<"$case"
    # shellcheck disable=SC2086
    ct varlinkctl $args >/dev/null 2>&1 || { echo "varlink-cli: 'varlinkctl $args' failed" >&2; exit 1; }
    for tool in "${TOOLS[@]:1}"; do
        # shellcheck disable=SC2086
        ct $tool $args $more >/dev/null 2>&1 || { echo "varlink-cli: '$tool $args $more' failed" >&2; exit 1; }
    done
done

# The timing loop runs inside the container: ROUNDS rounds, each running every case with each tool
# once, one line "LABEL<TAB>TOOL<TAB>wall µs<TAB>CPU µs" per run. The CPU time (user + system, from
# bash's `times`, 1 ms steps) is the process's own work, which waiting for a CPU on a loaded machine
# does not inflate; its mean over many runs is exact enough (the steps average out).
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "$ROUNDS rounds, $((${#CASES[@]} * ${#TOOLS[@]} + 2)) processes each, nice $NICE ($(ct varlinkctl --version | head -n1))"
ct nice -n "$NICE" bash -c 'rounds=$1 tools=$2; shift 2
    T=$(mktemp)
    # CPU: the children'"'"'s user + system µs so far (no subshell: its own time would count).
    cpu() {
        times >"$T"
        { read -r _; read -r u s; } <"$T"
        CPU=0
        for v in $u $s; do m=${v%%m*} v=${v#*m}; v=${v%s}; CPU=$((CPU + m * 60000000 + 10#${v/./} * 1000)); done
    }
    run() {
        cpu; c0=$CPU; t0=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 || exit 1
        t1=${EPOCHREALTIME/./}; cpu
        printf "%s\t%s\t%d\t%d\n" "$label" "$tool" $((t1 - t0)) $((CPU - c0))
    }
    for ((round = 0; round < rounds; round++)); do
        for case in "$@"; do
            IFS="|" read -r label args more <<<"$case"
            for tool in $tools; do
                [ "$tool" = varlinkctl ] && extra= || extra=$more
                run $tool $args $extra
            done
        done
        label=floor
        for tool in /bin/true /usr/local/bin/hello-static; do run $tool; done
    done
    rm -f "$T"' sh "$ROUNDS" "${TOOLS[*]}" "${CASES[@]}" >"$WORK/times.tsv"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { awk -F'\t' -v l="$1" -v t="$2" '$1 == l && $2 == t { print $3 }' "$WORK/times.tsv" | sort -n \
    | awk '{ v[NR] = $1 } END { printf "%.2f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
cpu() { awk -F'\t' -v l="$1" -v t="$2" '$1 == l && $2 == t { sum += $4; n++ } END { printf "%.2f", sum / n / 1000 }' "$WORK/times.tsv"; }
echo "varlink vs varlinkctl, whole processes against PID 1 ($ADDRESS), $ROUNDS runs each, interleaved;"
echo "wall: median; CPU: mean user + system time of the process:"
header=(case "varlinkctl" "varlink" "ratio" "CPU varlinkctl" "CPU varlink" "ratio")
[ -n "${BEFORE:-}" ] && header+=("varlink before" "ratio" "CPU before")
row() { printf '| %-36s |' "$1"; shift; printf ' %s |' "$@"; printf '\n'; }
row "${header[@]}"
sep='|---'
for _ in "${header[@]:1}"; do sep+='|---'; done
echo "$sep|"
for case in "${CASES[@]}"; do
    label=${case%%|*}
    a=$(median "$label" varlinkctl) b=$(median "$label" varlink) ca=$(cpu "$label" varlinkctl) cb=$(cpu "$label" varlink)
    cells=("$a ms" "$b ms" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f×", b / a }')"
        "$ca ms" "$cb ms" "$(awk -v a="$ca" -v b="$cb" 'BEGIN { printf "%.2f×", b / a }')")
    if [ -n "${BEFORE:-}" ]; then
        c=$(median "$label" varlink-before)
        cells+=("$c ms" "$(awk -v a="$a" -v c="$c" 'BEGIN { printf "%.2f×", c / a }')" "$(cpu "$label" varlink-before) ms")
    fi
    row "$label" "${cells[@]}"
done
echo "process floors: /bin/true $(median floor /bin/true) ms (CPU $(cpu floor /bin/true) ms), static Swift hello world $(median floor /usr/local/bin/hello-static) ms (CPU $(cpu floor /usr/local/bin/hello-static) ms)"
size() { stat -c %s "$1" | awk '{ printf "%.2f MB", $1 / 1e6 }'; }
echo "sizes: varlink $(size "$ROOT/usr/local/bin/varlink")${BEFORE:+ (before: $(size "$BEFORE"))}, varlinkctl $(size "$ROOT/usr/bin/varlinkctl") + libsystemd-shared $(size "$(ls "$ROOT"/usr/lib/*/systemd/libsystemd-shared-*.so "$ROOT"/usr/lib/systemd/libsystemd-shared-*.so 2>/dev/null | head -n1)")"
echo "($(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $(ct varlinkctl --version | head -n1))"
