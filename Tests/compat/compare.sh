#!/bin/bash
# Judges one run against one recording.
#   compare.sh PATH VERSION RECORDED-DIR RESULT-DIR DIFF-DIR
# A scenario agrees when its result file equals the recording; a difference is deliberate when
# deliberate-differences.tsv lists the scenario for this path ('root', 'daemon' or '*') and version
# ('257', '262' or '*'). stderr is compared as a sorted set of lines: portabled emits its change list in
# hashmap order, which is seeded at random per process (two portablectl runs differ in order). Writes one NAME.diff per difference into DIFF-DIR and prints
#   "PATH VERSION: N agree, N deliberate, N differ, N skipped"
# Exits 1 when any difference is not deliberate.
set -uo pipefail
path=$1 version=$2 recorded=$3 results=$4 diffs=$5
TABLE=$(dirname "$0")/deliberate-differences.tsv
rm -rf "$diffs"
mkdir -p "$diffs"
agree=0 deliberate=0 differ=0 skipped=0
is_deliberate() {  # is_deliberate SCENARIO
    awk -F'\t' -v s="$1" -v p="$path" -v v="$version" '
        /^#/ || NF < 5 { next }
        $1 == s && ($2 == p || $2 == "*") && ($3 == v || $3 == "*") { found = 1 }
        END { exit !found }' "$TABLE"
}
canonical() {  # canonical RESULT-FILE: the stderr section's lines sorted
    awk '/^stderr:$/ { print; inside = 1; next }
         /^tree:$/ { close("LC_ALL=C sort"); inside = 0 }
         inside { print | "LC_ALL=C sort"; next }
         { print }' "$1"
}
CANON=$(mktemp -d)
trap 'rm -rf "$CANON"' EXIT
for want in "$recorded"/*.result; do
    name=$(basename "$want" .result)
    got=$results/$name.result
    [ -f "$got" ] || continue   # not run (COMPAT_ONLY)
    if grep -q '^skipped:' "$got" || grep -q '^skipped:' "$want"; then
        skipped=$((skipped + 1))
    elif canonical "$want" >"$CANON/want" && canonical "$got" >"$CANON/got" && cmp -s "$CANON/want" "$CANON/got"; then
        agree=$((agree + 1))
    else
        diff -u --label "portablectl-$version/$name" --label "berth-$path/$name" "$CANON/want" "$CANON/got" >"$diffs/$name.diff"
        if is_deliberate "$name"; then
            deliberate=$((deliberate + 1))
            mv "$diffs/$name.diff" "$diffs/$name.deliberate.diff"
        else
            differ=$((differ + 1))
        fi
    fi
done
echo "$path $version: $agree agree, $deliberate deliberate, $differ differ, $skipped skipped"
[ $differ = 0 ]
