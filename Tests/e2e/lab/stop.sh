#!/bin/bash
# Stops the container: a clean poweroff inside; only if nspawn is still there after 20 s, SIGTERM
# and then SIGKILL to the one pid boot.sh recorded. Removes the container's host cgroup.
# The container root stays (setup.sh replaces it on the next run).
set -euo pipefail
. "$(dirname "$0")/common.sh"
lab_need_root
nspawn=$(lab_nspawn_pid)
cgroup=$(lab_cgroup_name)
remove_cgroup() {
    local hierarchy
    for hierarchy in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do
        [ -d "$hierarchy/$cgroup" ] && find "$hierarchy/$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    rm -f "$RUN/$CT.nspawn.pid" "$RUN/$CT.pid"
}
if [ -z "$nspawn" ]; then
    remove_cgroup
    lab_log "container $CT is not running"
    exit 0
fi
started=$(date +%s.%N)
wait_gone() {  # wait_gone TENTHS
    local i=0
    while kill -0 "$nspawn" 2>/dev/null && [ $i -lt "$1" ]; do sleep 0.1; i=$((i + 1)); done
    ! kill -0 "$nspawn" 2>/dev/null
}
"$LAB_SCRIPTS/exec.sh" systemctl poweroff --no-block >/dev/null 2>&1 || true
if ! wait_gone 200; then
    lab_log "nspawn $nspawn still there after 20 s: SIGTERM"
    kill -TERM "$nspawn" 2>/dev/null || true
    wait_gone 50 || { lab_log "SIGKILL $nspawn"; kill -KILL "$nspawn" 2>/dev/null || true; wait_gone 20 || true; }
fi
remove_cgroup
lab_log "container $CT stopped ($(lab_seconds_since "$started") s)"
