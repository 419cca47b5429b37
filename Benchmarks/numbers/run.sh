#!/bin/bash
# Prints the README's figures that this machine can measure alone (no container, no peers):
#   1. IDL parse time of the interface texts in the repository
#   2. Varlink client call latency (sequential Ping against varlink-bench-server) and a whole
#      `varlink call … GetInfo` process
#   3. the process floor: /bin/true, a static Swift "hello world", berthctl --version and --help (in turn,
#      one round after another), berthctl's size, and the instructions each runs (callgrind, if installed)
#   4. berthctl --root verbs (the engine in process, whole process timed) on tmpfs and on disk
#   5. the number of tests and suites (`swift test list`)
# Usage: Benchmarks/numbers/run.sh            release build (static Swift stdlib, as bench-portable.sh), then all
#   RUNS=51 …         runs per process figure (default 31); CALLS=… Ping calls (default 20000)
#   SKIP_BUILD=1 …    reuse the last build in $SCRATCH (default .build-numbers)
#   NO_TEST_COUNT=1 … skip 5 (it needs a debug `swift build --build-tests` in .build)
#   FLOOR_ONLY=1 …    build berthctl (and what the harness links) and print 3 only
#   BASELINE=FILE …   in 3, also time another berthctl build FILE (e.g. main's), in the same rounds
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/../.."
REPO=$(pwd)
# Binaries run from the build tree find the profiles here (they look in <exe>/../share/berth/profiles otherwise).
export BERTH_PROFILE_DIR="$REPO/profiles"
SWIFT=${SWIFT:-swift}
. scripts/require-swift.sh
SWIFTC=${SWIFTC:-$(dirname "$(command -v "$SWIFT")")/swiftc}
SCRATCH=${SCRATCH:-.build-numbers}
RUNS=${RUNS:-31}
CALLS=${CALLS:-20000}
FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
if [ -z "${SKIP_BUILD:-}" ]; then
    products=("--product berthctl" "--product varlink" "--product varlink-bench-server" "--target VarlinkIDL")
    [ -n "${FLOOR_ONLY:-}" ] && products=("--product berthctl" "--target VarlinkIDL")
    for what in "${products[@]}"; do
        # shellcheck disable=SC2086
        "$SWIFT" build "${FLAGS[@]}" $what >&2
    done
fi
BIN=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
WORK=$(mktemp -d /tmp/berth-numbers.XXXXXX)
SHM=$(mktemp -d /dev/shm/berth-numbers.XXXXXX)
SERVER=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    rm -rf "$WORK" "$SHM"
}
trap cleanup EXIT

# The harness links the release build's own objects of the libraries it measures.
# One object per source file that exists now (a build directory keeps objects of removed or moved files).
objects=("$BIN/CLinuxShims.build/"*.o)
for module in SystemCalls VarlinkJSON Varlink VarlinkIDL; do
    while IFS= read -r source; do
        objects+=("$BIN/$module.build/$(basename "$source").o")
    done < <(find "Sources/$module" -name '*.swift')
done
"$SWIFTC" -O -module-name BerthNumbers -I "$BIN/Modules" \
    -Xcc -fmodule-map-file="$BIN/CLinuxShims.build/module.modulemap" -Xcc -I"$REPO/Sources/CLinuxShims/include" \
    Benchmarks/numbers/main.swift "${objects[@]}" -o "$WORK/berth-numbers"
# Output with the scratch paths shortened: berthctl, ROOT, hello-static.
numbers() { "$WORK/berth-numbers" "$@" | sed -e "s|--root=[^ ]*/root|--root=ROOT|g" -e "s|$BIN/||g" -e "s|$WORK/||g"; }
echo "host: $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before"

floor() {
    echo "== 3. process floor (spawn to exit, median of $RUNS rounds; each round runs every command once)"
    printf 'print("hello")\n' >"$WORK/hello.swift"
    # (The static link warns about glibc's dlopen; only a failure is shown.)
    "$SWIFTC" -O -static-executable "$WORK/hello.swift" -o "$WORK/hello-static" 2>"$WORK/hello.log" \
        || { cat "$WORK/hello.log" >&2; exit 1; }
    # Both berthctl builds run from fresh copies in one directory: how a file was written (its page-cache
    # folios) changes how much of it each page fault maps, and with it the start.
    cp "$BIN/berthctl" "$WORK/berthctl"
    local commands=(/bin/true :: "$WORK/hello-static" :: "$WORK/berthctl" --version :: "$WORK/berthctl" --help)
    if [ -n "${BASELINE:-}" ]; then
        cp "$BASELINE" "$WORK/baseline-berthctl"
        commands+=(:: "$WORK/baseline-berthctl" --version :: "$WORK/baseline-berthctl" --help)
    fi
    numbers cycle "$RUNS" "${commands[@]}"
    echo "berthctl: $(stat -c %s "$BIN/berthctl") bytes"
    [ -z "${BASELINE:-}" ] || echo "baseline-berthctl: $(stat -c %s "$BASELINE") bytes"
    # Instructions do not move with the machine's load, as times do.
    command -v valgrind >/dev/null || { echo "(no valgrind: no instruction counts)"; return; }
    instructions hello-static "$WORK/hello-static"
    local binary
    for binary in "$WORK/berthctl" ${BASELINE:+"$WORK/baseline-berthctl"}; do
        instructions "$(basename "$binary") --version" "$binary" --version
        instructions "$(basename "$binary") --help" "$binary" --help
    done
}
# instructions LABEL PROGRAM [ARG…]: callgrind's count from exec to exit (ld.so included). valgrind 3.19
# gives up on the DWARF 5 of Swift 6 binaries; the symbol table is all it needs.
instructions() {
    local label=$1 program=$2
    shift 2
    objcopy --strip-debug "$program" "$WORK/callgrind-program"
    printf 'instructions: %s: %s\n' "$label" "$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$WORK/callgrind-program" "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')"
}
if [ -n "${FLOOR_ONLY:-}" ]; then
    floor
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after"
    exit 0
fi

echo "== 1. IDL parse (VarlinkIDL, release)"
numbers idl 201 Tests/VarlinkIDLTests/Fixtures/systemd/*.varlink interfaces/*.varlink

echo "== 2. Varlink client call latency (Ping to varlink-bench-server, one connection)"
"$BIN/varlink-bench-server" --listen="unix:$WORK/bench.sock" &
SERVER=$!
for _ in $(seq 100); do [ -S "$WORK/bench.sock" ] && break; sleep 0.05; done
numbers ping "unix:$WORK/bench.sock" "$CALLS"
numbers exec "$RUNS" "$BIN/varlink" call "unix:$WORK/bench.sock" org.varlink.service.GetInfo
kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
SERVER=

floor

echo "== 4. berthctl --root (engine in process; subtract --version above for the engine's share)"
make_image() { # ROOT NAME
    mkdir -p "$1/var/lib/portables/$2/usr/lib/systemd/system"
    printf 'ID=demo\nVERSION_ID=1\n' >"$1/var/lib/portables/$2/usr/lib/os-release"
    printf '[Service]\nExecStart=/bin/true\n' >"$1/var/lib/portables/$2/usr/lib/systemd/system/$2.service"
}
for base in "$SHM" "$WORK"; do
    root=$base/root
    mkdir -p "$root/etc/systemd/system" "$root/run/systemd/system"
    make_image "$root" demo
    kind=$(findmnt -no FSTYPE -T "$base" | head -n1)
    echo "-- root on $kind"
    ctl=("$BIN/berthctl" "--root=$root")
    numbers cycle "$RUNS" "${ctl[@]}" attach --runtime --no-reload demo :: "${ctl[@]}" inspect demo \
        :: "${ctl[@]}" detach --runtime --no-reload demo
    for index in $(seq 399); do make_image "$root" "img$index"; done
    echo "-- list over 400 images, root on $kind"
    numbers exec "$RUNS" "${ctl[@]}" list
done

if [ -z "${NO_TEST_COUNT:-}" ]; then
    echo "== 5. tests (swift test list over the debug build in .build)"
    "$SWIFT" build --build-tests >/dev/null
    "$SWIFT" test --skip-build list 2>/dev/null | awk -F/ '
        { tests++; path = $1; suites[path] = 1; for (i = 2; i < NF; i++) { path = path "/" $i; suites[path] = 1 } }
        END { printf "tests: %d tests in %d suites (as `swift test` counts them)\n", tests, length(suites) }'
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after"
