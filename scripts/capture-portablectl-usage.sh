#!/bin/bash
# Records how systemd's portablectl answers command lines it refuses before it connects to anything
# (bad options, unknown verbs, argument counts), for Tests/CLITests/PortablectlUsageTests.
#   scripts/capture-portablectl-usage.sh PORTABLECTL... > Tests/CLITests/Fixtures/portablectl-257-usage.tsv
# PORTABLECTL is the command to run, e.g. `chroot "$LAB/base" portablectl` for the lab's systemd 257.
# Each output line: the arguments (space-separated), a tab, the exit status, a tab, stderr's first line.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 PORTABLECTL-COMMAND..." >&2; exit 64; }
stderr=$(mktemp)
trap 'rm -f "$stderr"' EXIT
while IFS= read -r line; do
    [ -n "$line" ] || continue
    status=0
    # shellcheck disable=SC2086
    "$@" $line >/dev/null 2>"$stderr" </dev/null || status=$?
    printf '%s\t%s\t%s\n' "$line" "$status" "$(head -1 "$stderr")"
done <<'LINES'
frobnicate
attach
detach
reattach
inspect
is-attached
is-attached a b
read-only
read-only a b c
remove
set-limit a b c
list extra
--foo list
attach --copy=bogus x
--copy=bogus
-p ../etc attach x
--profile=a/b attach x
--no list
--force=1 list
-x
-qx
attach a b --profile
-p
-qp
--extension
read-only x maybe
--copy auto --copy=bogus list
--foo --copy=bogus
LINES
