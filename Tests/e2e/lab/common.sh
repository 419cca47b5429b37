# Settings and helpers shared by the lab scripts (sourced, never run).
#   LAB    state directory (default /var/tmp/berth-lab): base tree, container roots, share, pid files
#   CT     container name (default lab); its root is $LAB/$CT, rebuilt by setup.sh
#   SUITE  Debian suite of the base tree (default trixie = systemd 257; sid = systemd 262).
#          One LAB holds one suite: give sid its own LAB, e.g. LAB=/var/tmp/berth-lab-sid SUITE=sid.
#   MIRROR Debian archive URL for debootstrap (default: the host's first apt source for Debian)
LAB=${LAB:-/var/tmp/berth-lab}
CT=${CT:-lab}
SUITE=${SUITE:-trixie}
LAB_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=$LAB/base       # the debootstrapped tree: template of every container root, and where nspawn runs from
ROOT=$LAB/$CT        # this container's root file system
SHARE=$LAB/share     # read-write at /srv/share inside every container of this LAB
RUN=$LAB/run         # pid files, console logs, the debootstrap log
export LAB CT SUITE

case "$CT" in
    base | share | run | '' | */* | .*) echo "lab: CT='$CT' is reserved or not a plain name" >&2; exit 2 ;;
esac

lab_log() { printf '[lab] %s\n' "$*" >&2; }
lab_die() { printf 'lab: %s\n' "$*" >&2; exit 1; }
lab_need_root() { [ "$(id -u)" = 0 ] || lab_die "run as root (nspawn, namespaces and mounts need it)"; }
lab_seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# The host cgroup each container lives in, one per LAB and CT, so that two containers never share
# a cgroup (nspawn --keep-unit would otherwise put both in the caller's, and stopping a unit in one
# would reach into the other).
lab_cgroup_name() { printf 'berth-lab-%s-%s' "$CT" "$(printf %s "$LAB" | md5sum | cut -c1-8)"; }

# The systemd-nspawn process boot.sh started, if it is still that process (pids are reused).
lab_nspawn_pid() {
    local pid
    pid=$(cat "$RUN/$CT.nspawn.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd-nspawn ] && echo "$pid"
    return 0
}

# The container's PID 1 as the host sees it: the child of nspawn that runs systemd.
lab_init_pid() {
    local nspawn child
    nspawn=$(lab_nspawn_pid)
    [ -n "$nspawn" ] || return 0
    for child in $(cat /proc/"$nspawn"/task/*/children 2>/dev/null); do
        [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ] && { echo "$child"; return 0; }
    done
    return 0
}
