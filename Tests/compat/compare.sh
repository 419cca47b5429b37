#!/bin/bash
# Judges one run against one recording.
#   compare.sh PATH VERSION RECORDED-DIR RESULT-DIR DIFF-DIR
# A scenario agrees when its result equals the recording; a difference is deliberate when
# deliberate-differences.tsv lists the scenario (a shell glob) for this path ('root', 'daemon' or a glob)
# and version ('257', '262' or a glob). A row "line:REGEX" instead excuses the lines matching REGEX
# (grep -E) in every scenario of that path and version, "GLOB line:REGEX" in the scenarios matching
# GLOB: one deliberate difference that shows in many scenarios, without excusing anything else there.
# A row "as:OTHER" excuses a result that equals OTHER's recording of the same scenario instead (where
# two systemd versions differ from each other, Berth can agree with one of them only; on the bus path,
# where the portablectl under test prints the "(Matching …)" note itself, less that note).
# The change list is compared as a sorted set: portabled emits it in hashmap order, which is seeded at
# random per process (two portablectl runs differ in order). Writes one NAME.diff per difference into
# DIFF-DIR and prints
#   "PATH VERSION: N agree, N deliberate, N differ, N skipped"
# Exits 1 when any difference is not deliberate.
set -uo pipefail
path=$1 version=$2 recorded=$3 results=$4 diffs=$5
TABLE=$(dirname "$0")/deliberate-differences.tsv
rm -rf "$diffs"
mkdir -p "$diffs"
agree=0 deliberate=0 differ=0 skipped=0
is_deliberate() {  # is_deliberate SCENARIO: listed (shell glob) for this path and version?
    local scenario where systemd rest
    while IFS=$'\t' read -r scenario where systemd rest; do
        case "$scenario" in '' | '#'* | line:* | *' line:'* | as:*) continue ;; esac
        # shellcheck disable=SC2053 # the table's scenario column is a glob
        [[ $1 == $scenario ]] && [[ $path == $where ]] && [[ $version == $systemd ]] && return 0
    done <"$TABLE"
    return 1
}
# canonical RESULT-FILE: what is compared. The terms: exit code, stdout, the first line of
# stderr (here: the first that is neither portablectl's "(Matching …)" note nor a change), and the
# change list (stderr's "Created symlink …", "Copied …", … lines, sorted), then the tree. Further
# stderr lines (Berth's hints) are not compared; the full stderr is in the result file. Drop-ins are
# compared by their content (printed in full), not by size and hash. Which unit portabled names in
# "Unit file … exists on the host already" is hashmap order too, so the name is not compared.
canonical() {
    awk '
        function flush(   i) {
            print "stderr-matching: " matching
            print "stderr-first: " first
            print "changes:"
            fflush()
            for (i = 1; i <= count; i++) print changes[i] | "LC_ALL=C sort"
            close("LC_ALL=C sort")
        }
        { gsub(/Unit file \047[^\047]*\047 exists on the host already/, "Unit file \047UNIT\047 exists on the host already") }
        /^stderr:$/ { inside = 1; next }
        /^tree:$/ && inside { flush(); inside = 0; print; next }
        inside && /^\(Matching / { matching = $0; next }
        inside && /^(Created symlink|Created directory|Copied|Written|Removed|Queued|Unlinked) / { changes[++count] = $0; next }
        inside { if (first == "") first = $0; next }
        /\.conf file [0-7]+ [0-9]+ [0-9a-f]+$/ { NF -= 2 }
        { print }' "$1"
}

# line_filters SCENARIO: the table's line rows ("line:REGEX" for every scenario, "GLOB line:REGEX" for
# those matching GLOB) that apply to SCENARIO on this path and version, as one grep -E pattern.
line_filters() {
    local scenario where systemd rest glob patterns=()
    while IFS=$'\t' read -r scenario where systemd rest; do
        case "$scenario" in line:*) glob='*' ;; *' line:'*) glob=${scenario%% line:*} ;; *) continue ;; esac
        # shellcheck disable=SC2053 # globs
        [[ $1 == $glob ]] && [[ $path == $where ]] && [[ $version == $systemd ]] && patterns+=("${scenario#*line:}")
    done <"$TABLE"
    local IFS='|'
    printf '%s' "${patterns[*]}"
}
# follows_other SCENARIO: the result equals the recording named by an "as:OTHER" row for this path and
# version (compared as canonical, like the recording of this version, less the lines FILTER excuses).
follows_other() {
    local scenario where systemd rest other
    while IFS=$'\t' read -r scenario where systemd rest; do
        case "$scenario" in as:*) other=${scenario#as:} ;; *) continue ;; esac
        # shellcheck disable=SC2053 # globs
        [[ $path == $where ]] && [[ $version == $systemd ]] || continue
        local alternative=$recorded/../$other/$1.result
        [ -f "$alternative" ] && canonical "$alternative" >"$CANON/other" || continue
        # The line rows still apply (e.g. reattach's change list, deliberate against every version).
        # On the bus path portablectl itself prints the "(Matching …)" note, in its own version's
        # words, whatever the daemon does: it is the client's line, not compared against OTHER's.
        local own=${FILTER:-^\b$}
        [ "$path" = bus ] && own="$own|^stderr-matching: "
        cmp -s <(grep -Ev "$own" "$CANON/other") <(grep -Ev "$own" "$CANON/got") && return 0
    done <"$TABLE"
    return 1
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
        FILTER=$(line_filters "$name")
        if [ -n "$FILTER" ] && cmp -s <(grep -Ev "$FILTER" "$CANON/want") <(grep -Ev "$FILTER" "$CANON/got"); then
            deliberate=$((deliberate + 1))
            mv "$diffs/$name.diff" "$diffs/$name.deliberate.diff"
        elif is_deliberate "$name" || follows_other "$name"; then
            deliberate=$((deliberate + 1))
            mv "$diffs/$name.diff" "$diffs/$name.deliberate.diff"
        else
            differ=$((differ + 1))
        fi
    fi
done
echo "$path $version: $agree agree, $deliberate deliberate, $differ differ, $skipped skipped"
[ $differ = 0 ]
