#!/bin/bash
# Runs INSIDE the lab container (systemd 257): times portablectl and berthctl side by side.
# Started by scripts/bench-portable.sh; it prints one TSV line per measurement on stdout:
#   case <TAB> tool <TAB> runs <TAB> median_ms <TAB> min_ms <TAB> max_ms <TAB> status <TAB> message
# Whole CLI processes are timed (fork+exec included) with bash's EPOCHREALTIME. The two tools are
# interleaved run by run, so load drift on the shared VM hits both alike.
# Env: N (runs per case, default 15), IMG (image dir, default /srv/share/images), BIN (berthctl dir).
set -u
N=${N:-15}
IMG=${IMG:-/srv/share/images}
BIN=${BIN:-/srv/share/bin}
BERTHCTL=$BIN/berthctl
# berthctl --root=/ finds the shipped profiles here (bench-portable.sh copies them next to bin/).
export BERTH_PROFILE_DIR=${BERTH_PROFILE_DIR:-$(dirname "$BIN")/profiles}
OPTS=(--runtime --no-reload)
ERRDIR=$(mktemp -d /tmp/pbench.XXXXXX)
trap 'rm -rf "$ERRDIR"' EXIT

# Tools under test: name -> command prefix.
declare -A TOOL
TOOL[portablectl]="portablectl --no-pager"
TOOL[berthctl-daemon]="$BERTHCTL"
TOOL[berthctl-root]="$BERTHCTL --root=/"
TOOLS=(${TOOLS:-portablectl berthctl-daemon berthctl-root})

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# stats FILE -> "runs median min max" in ms (3 decimals), from one microsecond value per line.
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0\t-\t-\t-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%d\t%.1f\t%.1f\t%.1f\n", NR, m / 1000, v[1] / 1000, v[NR] / 1000 }'
}

# quiet CMD...: run, stdout discarded, stderr kept in $ERRDIR/last; returns the exit code.
quiet() { "$@" > /dev/null 2> "$ERRDIR/last"; }

# timed FILE CMD...: run CMD once, append its wall time (µs) to FILE; returns CMD's exit code.
timed() {
    local file=$1; shift
    local t0 t1 rc
    t0=$(now_us)
    "$@" > /dev/null 2> "$ERRDIR/last"
    rc=$?
    t1=$(now_us)
    [ $rc -eq 0 ] && echo $((t1 - t0)) >> "$file"
    return $rc
}

# fail_msg: the first stderr line that says something (the error), one line, tabs removed.
fail_msg() { grep -v '^\s*$' "$ERRDIR/last" | tail -n 3 | tr '\t\n' '  ' | cut -c1-300; }

# bench CASE SETUP MEASURED TEARDOWN: each a string with %T (tool prefix), %I (image dir).
# SETUP and TEARDOWN run untimed around every timed run. One warm-up round per tool first.
bench() {
    local name=$1 setup=$2 measured=$3 teardown=$4
    local -A status msg
    local tool i cmd rc
    for tool in "${TOOLS[@]}"; do
        : > "$ERRDIR/$tool.times"
        status[$tool]=ok
        msg[$tool]=""
    done
    for ((i = 0; i <= N; i++)); do
        for tool in "${TOOLS[@]}"; do
            [ "${status[$tool]}" = ok ] || continue
            local p=${TOOL[$tool]}
            if [ -n "$setup" ]; then
                cmd=${setup//%T/$p}; cmd=${cmd//%I/$IMG}
                quiet $cmd
                rc=$?
                if [ $rc -ne 0 ]; then
                    status[$tool]=FAIL; msg[$tool]="setup \`$cmd\` rc=$rc: $(fail_msg)"; continue
                fi
            fi
            cmd=${measured//%T/$p}; cmd=${cmd//%I/$IMG}
            local file=$ERRDIR/$tool.times
            [ $i -eq 0 ] && file=$ERRDIR/warmup
            timed "$file" $cmd
            rc=$?
            if [ $rc -ne 0 ]; then
                status[$tool]=FAIL; msg[$tool]="\`$cmd\` rc=$rc: $(fail_msg)"
            fi
            if [ -n "$teardown" ]; then
                cmd=${teardown//%T/$p}; cmd=${cmd//%I/$IMG}
                quiet $cmd || true
            fi
        done
    done
    for tool in "${TOOLS[@]}"; do
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$(stats "$ERRDIR/$tool.times")" \
            "${status[$tool]}" "${msg[$tool]}"
    done
}

# Leftovers of an earlier, interrupted run would make attach fail: clear them (errors ignored).
for im in foo foo.raw foo_1m foo_200m; do
    portablectl detach --runtime --no-reload "$im" > /dev/null 2>&1 || true
done

case "${1:-all}" in
main | all)
    # The floor: process start-up alone (exec, dynamic linking, argument parsing).
    bench startup-version "" "%T --version" ""
    bench dir-attach "" "%T attach ${OPTS[*]} %I/foo" "%T detach ${OPTS[*]} foo"
    bench dir-detach "%T attach ${OPTS[*]} %I/foo" "%T detach ${OPTS[*]} foo" ""
    bench dir-inspect "" "%T inspect %I/foo" ""
    bench raw-attach "" "%T attach ${OPTS[*]} %I/foo.raw" "%T detach ${OPTS[*]} foo.raw"
    bench raw-detach "%T attach ${OPTS[*]} %I/foo.raw" "%T detach ${OPTS[*]} foo.raw" ""
    bench raw-inspect "" "%T inspect %I/foo.raw" ""
    bench payload-1MiB-attach "" "%T attach ${OPTS[*]} %I/foo_1m" "%T detach ${OPTS[*]} foo_1m"
    bench payload-200MiB-attach "" "%T attach ${OPTS[*]} %I/foo_200m" "%T detach ${OPTS[*]} foo_200m"
    bench payload-1MiB-detach "%T attach ${OPTS[*]} %I/foo_1m" "%T detach ${OPTS[*]} foo_1m" ""
    bench payload-200MiB-detach "%T attach ${OPTS[*]} %I/foo_200m" "%T detach ${OPTS[*]} foo_200m" ""
    ;;&
list | all)
    bench list-400 "" "%T list" ""
    ;;
esac
