#!/bin/bash
# Regenerates the lists in scripts/link-order/: the functions of each dynamic executable's own binary that run
# on its common paths (callgrind), one symbol per line, sorted. Tuned release builds hand them to lld
# (--symbol-ordering-file, Package.swift), which puts those functions next to each other at the start of
# .text: a page fault in a cached file maps the 64 KiB around it, so a start path spread over the whole .text
# made most of it resident.
#   berthd.symbols     exec to the first reply and through 64 connections, socket-activated as systemd starts it
#   berthctl.symbols   --version, list --root=DIR (the engine in process) and list through a running berthd
#   scripts/link-order.sh                 build both (tuned release), record, write the lists
#   SKIP_BUILD=1 scripts/link-order.sh    record the last build
# A stale list costs only memory and start time: symbols that no longer exist are skipped
# (--no-warn-symbol-ordering), and new functions land in the rest of .text. Run it after changing what the
# executables do on those paths; Benchmarks/profile/run.sh (BERTHD=) shows berthd's VmHWM, Benchmarks/numbers/run.sh
# berthctl's start. SwiftPM does not track the lists as link inputs: remove the two binaries from the build
# directory to have the next build link them with new lists. Needs valgrind, gcc and objcopy.
set -euo pipefail
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build-pbench}
FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
. scripts/require-swift.sh
if [ -z "${SKIP_BUILD:-}" ]; then
    "$SWIFT" build "${FLAGS[@]}" --product berthd >&2
    "$SWIFT" build "${FLAGS[@]}" --product berthctl >&2
fi
BIN=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
WORK=$(mktemp -d /tmp/berth-link-order.XXXXXX)
SERVER=
cleanup() {
    [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export BERTH_PROFILE_DIR=$PWD/profiles
mkdir "$WORK/root"
# valgrind 3.19 cannot read Swift 6's DWARF 5; the symbol table is all it needs.
for tool in berthd berthctl; do objcopy --strip-debug "$BIN/$tool" "$WORK/$tool"; done
callgrind() { # NAME COMMAND…: one recorded run
    local name=$1
    shift
    valgrind --tool=callgrind --demangle=no --dump-line=no --callgrind-out-file="$WORK/$name.out" "$@" \
        >/dev/null 2>"$WORK/$name.log" || { cat "$WORK/$name.log" >&2; exit 1; }
}
# Every function callgrind attributes to TOOL's own object (not libc, libsystemd or the loader), by name.
write_list() { # TOOL RECORDING…
    local tool=$1 list=scripts/link-order/$1.symbols recording
    shift
    for recording in "$@"; do
        callgrind_annotate --threshold=100 --inclusive=no "$WORK/$recording.out" 2>/dev/null |
            awk -v object="[$WORK/$tool]" '$NF == object { name = $(NF - 1); sub(/^\?\?\?:/, "", name); print name }'
    done | grep -v '^0x' | LC_ALL=C sort -u >"$list"
    echo "$(wc -l <"$list") functions written to $list" >&2
}

gcc -O2 -Wall -o "$WORK/coldstart" Benchmarks/profile/coldstart.c
"$WORK/coldstart" 1 64 valgrind --tool=callgrind --demangle=no --dump-line=no \
    --callgrind-out-file="$WORK/berthd-start.out" "$WORK/berthd" --root="$WORK/root" --no-pid1 --log-target=console \
    >/dev/null 2>"$WORK/berthd-start.log" || { cat "$WORK/berthd-start.log" >&2; exit 1; }
write_list berthd berthd-start

callgrind berthctl-version "$WORK/berthctl" --version
callgrind berthctl-root "$WORK/berthctl" --root="$WORK/root" list
"$BIN/berthd" --listen="unix:$WORK/berthd.sock" --root="$WORK/root" --no-pid1 --log-target=console \
    2>"$WORK/berthd.log" &
SERVER=$!
for _ in $(seq 200); do [ -S "$WORK/berthd.sock" ] && break; sleep 0.02; done
callgrind berthctl-daemon "$WORK/berthctl" --address="unix:$WORK/berthd.sock" list
write_list berthctl berthctl-version berthctl-root berthctl-daemon
