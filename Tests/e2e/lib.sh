# Berth e2e: the check runner and helpers (sourced by scripts/e2e.sh).
# A check is a shell function; `check NAME FUNCTION` runs it and records PASS/FAIL/SKIP.
# Inside a check: `fail MSG` (return 1 after it), `skip MSG` (return 77), or just return non-zero.

E2E_PASSED=0 E2E_FAILED=0 E2E_SKIPPED=0
E2E_FAILURES=()

e2e_log() { printf '[e2e] %s\n' "$*" >&2; }
fail() { printf '      %s\n' "$*" >&2; return 1; }
skip() { echo "skipped: $*"; return 77; }

check() {
    local name=$1; shift
    local t0 t1 rc
    t0=$(date +%s.%N)
    E2E_SKIP_REASON=
    set +e
    # No pipefail inside checks: `cmd | grep -q x` would fail when grep exits early (SIGPIPE).
    ( set -e; set +o pipefail; "$@" ) >"$E2E_OUT/check.log" 2>&1
    rc=$?
    set -e
    t1=$(date +%s.%N)
    local took
    took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    if [ $rc -eq 0 ]; then
        E2E_PASSED=$((E2E_PASSED + 1)); printf 'PASS  %-62s %6ss\n' "$name" "$took"
    elif [ $rc -eq 77 ]; then
        E2E_SKIPPED=$((E2E_SKIPPED + 1))
        printf 'SKIP  %-62s %s\n' "$name" "$(tail -n1 "$E2E_OUT/check.log")"
    else
        E2E_FAILED=$((E2E_FAILED + 1)); E2E_FAILURES+=("$name")
        printf 'FAIL  %-62s %6ss\n' "$name" "$took"
        sed 's/^/      | /' "$E2E_OUT/check.log" | tail -n 40
    fi
}

# Skips must say why: the subshell cannot set variables in the parent, so print the reason last.
require() {  # require COMMAND-THAT-MUST-SUCCEED... ; skips with the command as reason
    "$@" >/dev/null 2>&1 || { echo "skipped: needs: $*"; return 77; }
}

# Run in the container (clean environment, root, cwd /root).
ct() { "$LABDIR/exec.sh" "$@"; }
# Run in the container as an unprivileged user (nobody).
ct_nobody() { "$LABDIR/exec.sh" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# Wait up to $1 seconds for a command to succeed.
wait_for() {
    local seconds=$1; shift
    local i=0 limit
    limit=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 20 }')
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -ge "$limit" ] && return 1
        sleep 0.05
    done
}

unit_prop() { ct systemctl show -P "$2" "$1"; }
is_active() { [ "$(ct systemctl is-active "$1" 2>/dev/null)" = active ]; }
is_inactive() { [ "$(ct systemctl is-active "$1" 2>/dev/null)" = inactive ]; }

# Does berthctl exist in the container and know VERB? (The CLI is written in parallel.)
have_verb() {
    ct test -x /usr/bin/berthctl || { echo "skipped: berthctl is not installed"; return 77; }
    ct berthctl "$1" --help >/dev/null 2>&1 || { echo "skipped: berthctl has no '$1' verb yet"; return 77; }
}
# Does berthd serve io.berth.Portable?
have_portable() {
    ct varlinkctl info /run/berth/io.berth.Portable 2>/dev/null | grep -q 'io\.berth\.Portable' \
        || { echo "skipped: berthd does not serve io.berth.Portable yet"; return 77; }
}
