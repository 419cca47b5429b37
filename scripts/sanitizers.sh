#!/bin/bash
# Runs the Swift test suites under ThreadSanitizer or AddressSanitizer, from a snapshot of the tree
# (so edits during the long build do not disturb it).
#   scripts/sanitizers.sh thread [FILTER]     TSan (built with -DBERTH_TSAN: SystemCalls.Lock becomes a
#                                            pthread mutex TSan can see; Synchronization.Mutex uses futex
#                                            directly, which TSan cannot, so it would flag every access under it)
#   scripts/sanitizers.sh address [FILTER]    ASan (detect_leaks=0: the Swift runtime keeps metadata for the
#                                            process's life; replace_intrin=0: the toolchain's Foundation
#                                            Process.run overflows a dirent buffer in memcpy, which would
#                                            abort every suite that spawns a process; instrumented code is
#                                            still fully checked)
# Env: SNAPSHOT (default /var/tmp/berth-sanitize-<kind>), TSAN_OPTIONS/ASAN_OPTIONS are passed through.
# The report (every WARNING/ERROR block) lands in $SNAPSHOT/sanitizer-report.txt; exit status is the tests'.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?usage: scripts/sanitizers.sh thread|address [FILTER]}
FILTER=${2:-}
SWIFT=${SWIFT:-swift}
. scripts/require-swift.sh
SNAPSHOT=${SNAPSHOT:-/var/tmp/berth-sanitize-$KIND}
mkdir -p "$SNAPSHOT"
find "$SNAPSHOT" -mindepth 1 -maxdepth 1 ! -name '.build-*' -exec rm -rf {} +
tar --exclude='./.build*' --exclude=./.git --exclude=./fuzz-out -cf - . | tar -C "$SNAPSHOT" -xf -
cd "$SNAPSHOT"
FLAGS=(--sanitize="$KIND" --scratch-path ".build-$KIND")
[ "$KIND" = thread ] && FLAGS+=(-Xswiftc -DBERTH_TSAN)
"$SWIFT" build --build-tests "${FLAGS[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:replace_intrin=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0}
status=0
"$SWIFT" test --skip-build "${FLAGS[@]}" --no-parallel ${FILTER:+--filter "$FILTER"} > test-output.txt 2>&1 || status=$?
awk '/^(WARNING|ERROR): (ThreadSanitizer|AddressSanitizer)/,/^SUMMARY/' test-output.txt > sanitizer-report.txt
echo "sanitizers: $(grep -c '^SUMMARY' sanitizer-report.txt || true) report(s) in $SNAPSHOT/sanitizer-report.txt;" \
    "tests: $(grep -E '^✔ Test run|^✘ Test run' test-output.txt | tail -1)"
exit $status
