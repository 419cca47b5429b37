#!/bin/bash
# Boots the container $LAB/$CT in the background with the base tree's systemd-nspawn (a real
# systemd as its PID 1), waits until that systemd reports running or degraded, and makes loop
# devices usable inside. Does nothing when the container already runs.
#   Tests/e2e/lab/boot.sh [NSPAWN-ARGUMENTS…]
# Env: LAB_BINDS="HOSTDIR[:CTDIR] …" extra read-only bind mounts (CTDIR defaults to HOSTDIR);
#      LAB_BOOT_TIMEOUT seconds (default 90); LAB_LOOPS loop device nodes (default 64).
set -euo pipefail
. "$(dirname "$0")/common.sh"
lab_need_root
[ -e "$ROOT/.berth-lab-root" ] || lab_die "no container root at $ROOT (run $LAB_SCRIPTS/setup.sh)"
if [ -n "$(lab_nspawn_pid)" ]; then
    lab_log "container $CT already runs (nspawn pid $(lab_nspawn_pid))"
    exit 0
fi
started=$(date +%s.%N)
mkdir -p "$RUN" "$SHARE"
binds=()
n=0
for bind in ${LAB_BINDS:-}; do
    host=${bind%%:*} inside=${bind#*:}
    [ "$inside" = "$bind" ] && inside=$host
    [ -d "$host" ] || lab_die "LAB_BINDS: $host is not a directory"
    binds+=("--bind-ro=/run/lab-bind/$n:$inside")  # in-base.sh puts HOSTDIR number n there
    n=$((n + 1))
done
export LAB_BINDS

# Pure cgroup2 inside, whatever the host mounts.
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
cgroup=$(lab_cgroup_name)
if [ -d /sys/fs/cgroup/unified ]; then hierarchies="/sys/fs/cgroup/unified /sys/fs/cgroup/systemd"; else hierarchies=/sys/fs/cgroup; fi
# The child moves itself into the container's own cgroup, then becomes nspawn (same pid throughout).
setsid /bin/sh -c '
for hierarchy in $1; do
    [ -d "$hierarchy" ] || continue
    mkdir -p "$hierarchy/$2" && echo $$ >"$hierarchy/$2/cgroup.procs"
done
shift 2
exec "$@"' sh "$hierarchies" "$cgroup" \
    "$LAB_SCRIPTS/in-base.sh" systemd-nspawn --directory="/srv/lab/$CT" --machine="$CT" --boot \
    --register=no --keep-unit --link-journal=no --console=read-only \
    --bind=/srv/lab/share:/srv/share "${binds[@]}" "$@" \
    </dev/null >"$RUN/$CT.log" 2>&1 &
nspawn=$!
echo "$nspawn" >"$RUN/$CT.nspawn.pid"

timeout=${LAB_BOOT_TIMEOUT:-90}
deadline=$((SECONDS + timeout))
until [ -n "$(lab_init_pid)" ]; do
    if ! kill -0 "$nspawn" 2>/dev/null; then
        rm -f "$RUN/$CT.nspawn.pid"
        tail -n 30 "$RUN/$CT.log" >&2
        lab_die "systemd-nspawn exited during boot (console log: $RUN/$CT.log)"
    fi
    [ $SECONDS -lt $deadline ] || lab_die "no systemd in $CT after $timeout s (console log: $RUN/$CT.log)"
    sleep 0.1
done
lab_init_pid >"$RUN/$CT.pid"
# is-system-running --wait needs PID 1's private socket first.
state=$(timeout "$timeout" "$LAB_SCRIPTS/exec.sh" sh -c \
    'until [ -S /run/systemd/private ]; do sleep 0.05; done; systemctl is-system-running --wait' || true)
case "$state" in
    running) ;;
    degraded) lab_log "degraded: $("$LAB_SCRIPTS/exec.sh" systemctl --failed --no-legend --plain | cut -d' ' -f1 | tr '\n' ' ')" ;;
    *) lab_die "systemd in $CT did not come up (state '${state:-none}'; console log: $RUN/$CT.log)" ;;
esac

# Raw images need loop devices. Whole devices must be real nodes (systemd opens them with O_NOFOLLOW);
# partitions get dynamic numbers, so they are links into a private devtmpfs mount, which has them all.
"$LAB_SCRIPTS/exec.sh" /bin/sh -euc '
mkdir -p /run/host-devtmpfs
mountpoint -q /run/host-devtmpfs || mount -t devtmpfs devtmpfs /run/host-devtmpfs
[ -e /dev/loop-control ] || mknod -m 0600 /dev/loop-control c 10 237
n=0
while [ $n -lt "$1" ]; do
    [ -e /dev/loop$n ] || mknod -m 0660 /dev/loop$n b 7 $n
    for p in 1 2 3 4 5 6 7 8; do ln -sfn /run/host-devtmpfs/loop${n}p$p /dev/loop${n}p$p; done
    n=$((n + 1))
done' sh "${LAB_LOOPS:-64}"
lab_log "$CT: systemd $state after $(lab_seconds_since "$started") s (nspawn pid $nspawn, init pid $(cat "$RUN/$CT.pid"))"
lab_log "  run a command inside: $LAB_SCRIPTS/exec.sh CMD…   stop: $LAB_SCRIPTS/stop.sh"
