#!/bin/bash
# Writes the differences of a judge run as Markdown (what Tests/compat/FINDINGS.md is made from).
#   findings.sh OUT     (OUT: the COMPAT_OUT of scripts/compat.sh judge; its diff-PATH-VERSION folders)
# One section per scenario that differs somewhere: which paths and versions, then the diff of the first.
set -euo pipefail
OUT=${1:?usage: findings.sh COMPAT_OUT}
declare -A where first
for dir in "$OUT"/diff-*; do
    [ -d "$dir" ] || continue
    label=${dir##*/diff-}
    for diff in "$dir"/*.diff; do
        [ -e "$diff" ] || continue
        case "$diff" in *.deliberate.diff) continue ;; esac
        name=$(basename "$diff" .diff)
        where[$name]="${where[$name]:-}${where[$name]:+, }$label"
        [ -n "${first[$name]:-}" ] || first[$name]=$diff
    done
done
echo "${#where[@]} scenarios differ."
echo
for name in $(printf '%s\n' "${!where[@]}" | LC_ALL=C sort); do
    printf '### %s\n\nDiffers in: %s. Diff (`-` portablectl, `+` berth):\n\n```diff\n' "$name" "${where[$name]}"
    tail -n +3 "${first[$name]}" | grep -v '^@@' | grep '^[-+]' | head -n 40
    printf '```\n\n'
done
