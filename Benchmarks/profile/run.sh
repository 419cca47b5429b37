#!/bin/bash
# The Varlink server's cost measured without a clock, side by side with the C peers of the bench harness
# (c-jsonc: epoll + json-c; c-raw: canned replies, the socket floor), so the figures hold on a loaded box:
#   Ir/call     instructions per Ping (callgrind), at 64 connections and on 1 connection: the difference
#               between two runs of different length, so start and exit cancel out
#   mallocs     calls to malloc/calloc/realloc/posix_memalign per Ping, the same way
#   syscalls    system calls per Ping at 64 connections (strace -c), the same way
#   stream      instructions per streamed reply (Stream with more:true)
#   start       instructions and page faults from exec to exit after one Ping, VmHWM at its reply
#   peak RSS    VmHWM after 64 connections × 2000 Pings and a 100,000-reply stream, and RssFile then
# and a flame graph of the 64-connection Ping load (perf record, cpu-clock samples):
# Benchmarks/profile/flamegraph.svg.
# Usage: Benchmarks/profile/run.sh BENCH_DIR      BENCH_DIR: the peers' harness (its servers/cserver.c is
#        compiled into a temporary directory here); without it, berth's column only.
#   SKIP_BUILD=1 reuse the last build;  NO_FLAME=1 skip the flame graph;  SERVER=path another build to measure
#   BERTHD=path  also berthd's start: instructions, page faults and VmHWM to its first GetInfo reply and
#                the loader's relocations; then, socket-activated as systemd starts it (LISTEN_FDS), the wall
#                time from exec to that reply and VmHWM after 64 connections, median of RUNS (default 21),
#                interleaved with the Varlink server and the C peers started the same way (coldstart.c),
#                sdfloor.c (a C server that takes its socket through libsystemd) and berthd --listen=
#   START_ONLY=1 with BERTHD: skip the per-call figures (and the flame graph), measure the starts only
#   BERTHD_BEFORE=path  another berthd build in the socket-activated runs, interleaved (before/after)
# Needs valgrind, perf, strace, gcc (libjson-c-dev for c-jsonc, libsystemd-dev for sdfloor), readelf/nm/objcopy
# (binutils).
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/../.."
BENCH_DIR=${1:-${BENCH_DIR:-}}
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build-bench}
# The binary scripts/bench.sh measures: release, fully static.
FLAGS="-c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path $SCRATCH"
if [ -z "${SERVER:-}" ]; then
    . scripts/require-swift.sh
    # shellcheck disable=SC2086
    [ -n "${SKIP_BUILD:-}" ] || "$SWIFT" build $FLAGS --product varlink-bench-server >&2
    # shellcheck disable=SC2086
    SERVER=$("$SWIFT" build $FLAGS --show-bin-path)/varlink-bench-server
fi
WORK=$(mktemp -d /tmp/berth-profile.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
gcc -O2 -Wall -o "$WORK/callload" Benchmarks/profile/callload.c
gcc -O2 -Wall -o "$WORK/coldstart" Benchmarks/profile/coldstart.c
# valgrind 3.19 gives up on the DWARF 5 of Swift 6 binaries; the symbol table is all callgrind needs.
objcopy --strip-debug "$SERVER" "$WORK/berth"
NAMES=(berth)
if [ -n "$BENCH_DIR" ]; then
    gcc -O2 -Wall -o "$WORK/c-raw" "$BENCH_DIR/servers/cserver.c"
    gcc -O2 -Wall -DWITH_JSONC -o "$WORK/c-jsonc" "$BENCH_DIR/servers/cserver.c" -ljson-c
    NAMES+=(c-jsonc c-raw)
fi

# valgrind runs the copy without debug information; native runs the binary as built: a fresh copy's
# page-cache folios differ, and with them how much of the file a page fault maps (VmHWM moved 4.6 → 6.4 MiB).
BERTH=$SERVER
command_of() { # NAME SOCKET
    case $1 in
    berth) echo "$BERTH --listen=unix:$2" ;;
    berthd) echo "$BERTHD_RUN --listen=unix:$2 --root=$WORK/root --no-pid1 --log-target=console" ;;
    *) echo "$WORK/$1 unix:$2" ;;
    esac
}

# Starts NAME (under PREFIX…) on a fresh socket and waits until it answers; sets SOCK and PID.
start() {
    local name=$1
    shift
    SOCK=$WORK/$name.sock
    rm -f "$SOCK"
    # shellcheck disable=SC2046
    "$@" $(command_of "$name" "$SOCK") 2>>"$WORK/$name.log" &
    PID=$!
    PIDS+=("$PID")
    for _ in $(seq 400); do
        [ -S "$SOCK" ] && "$WORK/callload" "unix:$SOCK" $PROBE 2>/dev/null && return 0
        sleep 0.05
    done
    echo "run.sh: $name did not start (see $WORK/$name.log)" >&2
    exit 1
}

stop() {
    kill "$PID"
    wait "$PID" 2>/dev/null || true
}

# callgrind totals of one run: "instructions mallocs"; LOAD… are callload's arguments after the address.
callgrind_run() { # NAME LOAD…
    local name=$1 out
    shift
    out=$WORK/cg.$name.$$.$RANDOM
    BERTH=$WORK/berth
    start "$name" valgrind --tool=callgrind --callgrind-out-file="$out" --dump-line=no
    BERTH=$SERVER
    "$WORK/callload" "unix:$SOCK" "$@"
    stop
    python3 - "$out" <<'PY'
import re, sys
# Totals, and the calls into the allocator's entry points (callgrind's compressed names: "cfn=(id) name").
names, total, allocs, current = {}, 0, 0, None
alloc = {"malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc", "memalign"}
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("summary:"):
        total = int(line.split()[1])
    m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
    if m:
        if m.group(2):
            names[m.group(1)] = m.group(2).strip()
        current = names.get(m.group(1)) if line.startswith("cfn") else current
        continue
    if line.startswith("calls=") and current in alloc:
        allocs += int(line[6:].split()[0])
print(total, allocs)
PY
}

# System calls of one run (strace -c): "total epoll_ctl".
strace_run() { # NAME LOAD…
    local name=$1 server
    shift
    start "$name" strace -f -c -o "$WORK/$name.strace"
    server=$(pgrep -P "$PID")
    "$WORK/callload" "unix:$SOCK" "$@"
    kill "$server"
    wait "$PID" 2>/dev/null || true
    awk '$NF == "total" { total = $(NF - 2) } $NF == "epoll_ctl" { ctl = $4 } END { print total + 0, ctl + 0 }' \
        "$WORK/$name.strace"
}

per_unit() { # NAME UNITS_A UNITS_B LOAD_A… -- LOAD_B…: "instructions/unit mallocs/unit"
    local name=$1 units_a=$2 units_b=$3 a b
    shift 3
    local load_a=() load_b=()
    while [ "$1" != -- ]; do load_a+=("$1"); shift; done
    shift
    load_b=("$@")
    read -r -a a <<<"$(callgrind_run "$name" "${load_a[@]}")"
    read -r -a b <<<"$(callgrind_run "$name" "${load_b[@]}")"
    awk -v ia="${a[0]}" -v ib="${b[0]}" -v ma="${a[1]}" -v mb="${b[1]}" -v n=$((units_b - units_a)) \
        'BEGIN { printf "%.0f %.2f\n", (ib - ia) / n, (mb - ma) / n }'
}

PROBE="1 1" # the first reply: one Ping (berthd: one GetInfo)
declare -A CONC SEQ STREAM SYSCALLS FILE_RSS START_IR START_FAULTS START_HWM PEAK
for name in "${NAMES[@]}"; do
    [ -n "${START_ONLY:-}" ] && [ -n "${BERTHD:-}" ] && break
    echo "measuring $name" >&2
    CONC[$name]=$(per_unit "$name" 3200 16000 64 50 -- 64 250)
    SEQ[$name]=$(per_unit "$name" 2000 10000 1 2000 -- 1 10000)
    STREAM[$name]=$(per_unit "$name" 10000 50000 stream 10000 -- stream 50000)
    read -r -a a <<<"$(strace_run "$name" 64 50)"
    read -r -a b <<<"$(strace_run "$name" 64 250)"
    SYSCALLS[$name]=$(awk -v ta="${a[0]}" -v tb="${b[0]}" -v ca="${a[1]}" -v cb="${b[1]}" \
        'BEGIN { printf "%.2f %.2f\n", (tb - ta) / 12800, (cb - ca) / 12800 }')
    read -r -a one <<<"$(callgrind_run "$name" 1 1)"
    START_IR[$name]=${one[0]}
    # perf stat counts from the exec on (the forking shell's own faults do not count, as in /proc's minflt).
    start "$name" perf stat -x, -e page-faults -o "$WORK/$name.faults"
    server=$(pgrep -P "$PID")
    START_HWM[$name]=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status")
    kill "$server"
    wait "$PID" 2>/dev/null || true
    START_FAULTS[$name]=$(awk -F, '/page-faults/ { print $1 }' "$WORK/$name.faults")
    start "$name"
    "$WORK/callload" "unix:$SOCK" 64 2000
    "$WORK/callload" "unix:$SOCK" stream 100000
    PEAK[$name]=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
    FILE_RSS[$name]=$(awk '/^RssFile/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
    stop
done

if [ -n "${BERTHD:-}" ]; then
    # berthd's start, the same way: exec to the first GetInfo reply, in an empty --root, without PID 1.
    echo "measuring berthd" >&2
    mkdir -p "$WORK/root"
    export BERTH_PROFILE_DIR=$PWD/profiles
    PROBE="getinfo 1"
    objcopy --strip-debug "$BERTHD" "$WORK/berthd"
    BERTHD_RUN=$WORK/berthd
    out=$WORK/cg.berthd
    start berthd valgrind --tool=callgrind --callgrind-out-file="$out" --dump-line=no
    stop
    BERTHD_RUN=$BERTHD
    start berthd perf stat -x, -e page-faults -o "$WORK/berthd.faults"
    server=$(pgrep -P "$PID")
    hwm=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status")
    resident=$(python3 Benchmarks/profile/resident.py "$server" "$BERTHD" 64)
    kill "$server"
    wait "$PID" 2>/dev/null || true
    # berthd is linked dynamically (libsystemd): what the dynamic loader's relocation costs of its start.
    : >"$WORK/berthd.log"
    start berthd env LD_DEBUG=statistics
    stop
    echo "berthd (${BERTHD}), --listen: $(awk '/^summary:/ { print $2 }' "$out") instructions from exec to the first" \
        "GetInfo reply and exit, $(awk -F, '/page-faults/ { print $1 }' "$WORK/berthd.faults") page faults," \
        "VmHWM ${hwm} MiB at that reply; the dynamic loader:" \
        "$(awk '/number of relocations:/ { n = $NF } /time needed for relocation/ { p = $NF }
            END { print n " symbol relocations, " p " of its start-up time relocating" }' "$WORK/berthd.log");" \
        "shared libraries: $(ldd "$BERTHD" | awk '$1 !~ /^(linux-vdso|\/)/ { printf "%s%s", sep, $1; sep = " " }')"
    echo "its sections resident at that reply (Benchmarks/profile/resident.py, 64 KiB or more):"
    echo "$resident"
    # Socket-activated (LISTEN_FDS), as systemd starts it: callgrind's instructions (no PMU needed), then
    # the clock and memory side by side with the other servers (which bind their sockets themselves).
    activated_instructions() { # COMMAND…: callgrind's count from exec to the first reply and exit
        "$WORK/coldstart" 1 0 valgrind --tool=callgrind --callgrind-out-file="$out.activated" "$@" \
            >/dev/null 2>>"$WORK/berthd.log"
        awk '/^summary:/ { print $2 }' "$out.activated"
    }
    # The floor under that: a C server that takes its socket through libsystemd and does nothing else.
    gcc -O2 -Wall -o "$WORK/sdfloor" Benchmarks/profile/sdfloor.c -lsystemd
    echo "sdfloor (C, libsystemd linked), socket-activated: $(activated_instructions "$WORK/sdfloor")" \
        "instructions from exec to the first GetInfo reply and exit"
    for build in "$BERTHD" ${BERTHD_BEFORE:+"$BERTHD_BEFORE"}; do
        objcopy --strip-debug "$build" "$WORK/berthd.activated"
        echo "berthd ($build), socket-activated:" \
            "$(activated_instructions "$WORK/berthd.activated" --root="$WORK/root" --no-pid1 --log-target=console)" \
            "instructions from exec to the first GetInfo reply and exit"
    done
    echo "socket-activated start, median of ${RUNS:-21} interleaved runs (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
    peers=(:: "$SERVER" --listen={address})
    [ -n "${BERTHD_BEFORE:-}" ] && peers=(:: "$BERTHD_BEFORE" --root="$WORK/root" --no-pid1 --log-target=console "${peers[@]}")
    for name in "${NAMES[@]}"; do [ "$name" = berth ] || peers+=(:: "$WORK/$name" {address}); done
    # berthd binding its own socket: the same start without libsystemd, the way the servers above start.
    peers+=(:: "$WORK/sdfloor" :: "$BERTHD" --listen={address} --root="$WORK/root" --no-pid1 --log-target=console)
    "$WORK/coldstart" "${RUNS:-21}" 64 "$BERTHD" --root="$WORK/root" --no-pid1 --log-target=console "${peers[@]}" \
        2>>"$WORK/berthd.log" | sed "s|$WORK/||"
    echo
    [ -n "${START_ONLY:-}" ] && exit 0
fi

cell() { # ARRAY-NAME SERVER FIELD(0|1)
    local -n map=$1
    local words
    read -r -a words <<<"${map[$2]}"
    echo "${words[$3]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "–" }'; }

header="| figure |"
rule="|---|"
for name in "${NAMES[@]}"; do header+=" $name |"; rule+="---|"; done
[ -n "$BENCH_DIR" ] && header+=" berth / c-jsonc |" && rule+="---|"
echo "$header"
echo "$rule"
row() { # LABEL ARRAY FIELD
    local line="| $1 |" name
    for name in "${NAMES[@]}"; do line+=" $(cell "$2" "$name" "$3") |"; done
    [ -n "$BENCH_DIR" ] && line+=" $(ratio "$(cell "$2" berth "$3")" "$(cell "$2" c-jsonc "$3")") |"
    echo "$line"
}
row "instructions per Ping, 64 connections" CONC 0
row "instructions per Ping, 1 connection" SEQ 0
row "mallocs per Ping, 64 connections" CONC 1
row "system calls per Ping, 64 connections" SYSCALLS 0
row "of which epoll_ctl" SYSCALLS 1
row "instructions per streamed reply" STREAM 0
row "mallocs per streamed reply" STREAM 1
row "instructions, exec to first reply and exit" START_IR 0
row "page faults, exec to exit after the first reply" START_FAULTS 0
row "VmHWM at first reply, MiB" START_HWM 0
row "peak RSS after 64 conns + stream, MiB" PEAK 0
row "of which RssFile (the binary's pages) at the end, MiB" FILE_RSS 0
echo
echo "(callgrind $(valgrind --version | sed 's/valgrind-//'); server: $SERVER)"

if [ -z "${NO_FLAME:-}" ]; then
    start berth
    perf record -q -F 2999 -g -p "$PID" -o "$WORK/perf.data" -- "$WORK/callload" "unix:$SOCK" 64 20000 2>/dev/null
    stop
    SWIFT_DEMANGLE=$(command -v swift-demangle || echo "$(dirname "$(command -v "$SWIFT" || echo .)")/swift-demangle")
    perf script -i "$WORK/perf.data" 2>/dev/null |
        python3 Benchmarks/profile/flamegraph.py --binary "$SERVER" --demangler "$SWIFT_DEMANGLE" \
            --title "varlink-bench-server, 64 connections × 20,000 Pings (perf cpu-clock, user and kernel)" \
            >Benchmarks/profile/flamegraph.svg
    echo "flame graph: Benchmarks/profile/flamegraph.svg" >&2
fi
