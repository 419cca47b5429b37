#!/bin/bash
# Reliability checks against a real berthd (root needed: per-UID tests use setpriv):
#   1. crash consistency: SIGKILL at random points of attach/detach/reattach, then recovery on restart
#      (Tests/Reliability/crash.py), and once with a lock held on purpose, which must fail it;
#   2. load: concurrent clients over several UIDs, per-UID cap under a flood, fd leaks after 10,000 calls
#      (Benchmarks/load/load.py with the C client Benchmarks/load/berth-load.c).
# Short mode by default (CI, well under 2 minutes once berthd is built); RELIABILITY_FULL=1 runs the
# numbers recorded in Benchmarks/load/RESULTS.md (400 + 60 slowed kill points, 2,000 clients).
#   BERTHD=path            use this berthd instead of building one
#   BERTH_BUILD_DIR=dir    scratch dir for building berthd (default .build)
#   RELIABILITY_OUT=dir    keep the JSON results there (default: a temp dir, removed)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/scripts/require-swift.sh"
[ "$(id -u)" = 0 ] || { echo "reliability: needs root (per-UID load checks run clients via setpriv)" >&2; exit 1; }
for tool in python3 cc setpriv; do
    command -v "$tool" >/dev/null || { echo "reliability: missing $tool" >&2; exit 1; }
done
if [ -z "${BERTHD:-}" ]; then
    BUILD_DIR=${BERTH_BUILD_DIR:-$REPO/.build}
    swift build --package-path "$REPO" --scratch-path "$BUILD_DIR" --product berthd >/dev/null
    BERTHD="$BUILD_DIR/debug/berthd"
fi
WORK=$(mktemp -d /tmp/berth-reliability.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
OUT=${RELIABILITY_OUT:-$WORK}
mkdir -p "$OUT"
cc -O2 -Wall -Wextra -o "$WORK/berth-load" "$REPO/Benchmarks/load/berth-load.c"

if [ "${RELIABILITY_FULL:-0}" = 1 ]; then
    kills=400 slow_kills=60 connections=2000 leak_calls=10000
else
    kills=100 slow_kills=0 connections=500 leak_calls=10000
fi
status=0
echo "== crash consistency ($kills kill points)"
python3 "$REPO/Tests/Reliability/crash.py" --berthd "$BERTHD" --profile-directory "$REPO/profiles" \
    --kills "$kills" --json "$OUT/crash.json" || status=1
echo "== crash consistency, negative check: a lock held throughout must fail the harness"
if python3 "$REPO/Tests/Reliability/crash.py" --berthd "$BERTHD" --profile-directory "$REPO/profiles" \
    --kills 1 --hold-lock held-by-harness.lock >"$WORK/held-lock.txt" 2>&1; then
    echo "FAIL crash.py passed although a lock was held:" && cat "$WORK/held-lock.txt"
    status=1
else
    if seen=$(grep -m1 -o "locks held after recovery: .*" "$WORK/held-lock.txt"); then
        echo "negative check OK: crash.py failed as it must ($seen)"
    else
        echo "FAIL crash.py failed, but not for the held lock:" && cat "$WORK/held-lock.txt"
        status=1
    fi
fi
if [ "$slow_kills" -gt 0 ] && command -v strace >/dev/null; then
    echo "== crash consistency, syscalls slowed by strace ($slow_kills kill points)"
    python3 "$REPO/Tests/Reliability/crash.py" --berthd "$BERTHD" --profile-directory "$REPO/profiles" \
        --kills "$slow_kills" --slow-syscalls --json "$OUT/crash-slow.json" || status=1
fi
echo "== load ($connections concurrent clients, per-UID cap, $leak_calls calls for the fd check)"
python3 "$REPO/Benchmarks/load/load.py" --berthd "$BERTHD" --client "$WORK/berth-load" \
    --profile-directory "$REPO/profiles" --connections "$connections" --leak-calls "$leak_calls" \
    --json "$OUT/load.json" >"$WORK/load.txt" || status=1
python3 - "$OUT/load.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, l, a, b = r["concurrent"], r["leak"], r["after"], r["baseline"]
f = r["cap"]["flood"]
print(f"load: {c['ok']}/{c['calls']} calls ok over {c['connections']} concurrent clients in {c['seconds']} s; "
      f"flood held {f.get('held')} (refused {f.get('refusedByServer')}), others "
      f"{[o.get('ok') for o in r['cap']['others']]} ok; leak run {l['ok']}/{l['calls']} ok; "
      f"fds {b['fds']} -> {a['fds']}; peak RSS {a['peakRssKiB']} KiB")
for failure in r["failures"]:
    print("FAIL", failure)
PY
[ $status -eq 0 ] && echo "reliability: OK" || echo "reliability: FAILED" >&2
exit $status
