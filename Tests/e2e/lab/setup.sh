#!/bin/bash
# Prepares the lab: the base tree (debootstrap of $SUITE, once per LAB, then cached in $LAB/base)
# and a fresh container root $LAB/$CT copied from it (every run; the container must be stopped).
#   Tests/e2e/lab/setup.sh               base tree if missing, then a fresh root for $CT
#   Tests/e2e/lab/setup.sh --base-only   only the base tree
#   LAB=/var/tmp/berth-lab-sid SUITE=sid Tests/e2e/lab/setup.sh    systemd 262 from sid, in its own LAB
# Needs root, debootstrap on the host and network access to the Debian archive (first run only,
# a few minutes). See common.sh for LAB, CT, SUITE and MIRROR.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lab_need_root
BASE_ONLY=0
case "${1:-}" in
    --base-only) BASE_ONLY=1 ;;
    '') ;;
    *) echo "usage: $0 [--base-only]" >&2; exit 2 ;;
esac
command -v debootstrap >/dev/null || lab_die "debootstrap is missing (scripts/deps.sh installs it)"
mkdir -p "$LAB" "$SHARE" "$RUN"
# One setup at a time per LAB: two concurrent debootstraps into one tree would corrupt it.
exec 9>"$LAB/.setup.lock"
flock 9

# The archive to fetch from: the host's own Debian source (it is known to be reachable), else deb.debian.org.
host_mirror() {
    { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } \
        | sed -n -e 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' -e 's|^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*/debian\)/* .*|\2|p' \
        | head -n 1
}
MIRROR=${MIRROR:-$(host_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# What the container needs: a booting systemd with D-Bus and portabled, libcryptsetup for berthd,
# python3 for the clients the checks run inside.
PACKAGES=systemd,systemd-sysv,systemd-container,dbus,libnss-systemd,systemd-cryptsetup,cryptsetup-bin
PACKAGES=$PACKAGES,squashfs-tools,util-linux-extra,procps,iproute2,python3-minimal

build_base() {
    local started tree=$LAB/base.new
    started=$(date +%s.%N)
    rm -rf "$tree"
    lab_log "debootstrap $SUITE from $MIRROR into $BASE (first run only; a few minutes)"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tree" "$MIRROR" >"$RUN/debootstrap-$SUITE.log" 2>&1 \
        || { tail -n 25 "$RUN/debootstrap-$SUITE.log" >&2; lab_die "debootstrap $SUITE failed (full log: $RUN/debootstrap-$SUITE.log)"; }
    case "$SUITE" in
        sid | unstable)
            echo "deb $MIRROR $SUITE main" >"$tree/etc/apt/sources.list"
            # A frozen mirror serves an expired Release file for sid.
            echo 'Acquire::Check-Valid-Until "false";' >"$tree/etc/apt/apt.conf.d/99berth-lab" ;;
        *)
            printf 'deb %s %s main\ndeb %s %s-updates main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" \
                >"$tree/etc/apt/sources.list" ;;
    esac
    # Nothing in the container needs network, a console login or a clock daemon; these units only
    # add noise (and failed units) to every boot.
    local unit
    for unit in systemd-networkd.service systemd-networkd-wait-online.service systemd-resolved.service \
        systemd-timesyncd.service systemd-firstboot.service getty@tty1.service console-getty.service \
        apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer e2scrub_all.timer; do
        ln -sf /dev/null "$tree/etc/systemd/system/$unit"
    done
    : >"$tree/etc/machine-id"
    rm -rf "$tree/var/cache/apt/archives/"*.deb "$tree/var/lib/apt/lists/"*
    echo "$SUITE" >"$tree/.berth-lab-base"
    mv "$tree" "$BASE"
    lab_log "base tree ready: $(base_systemd_version) ($(lab_seconds_since "$started") s)"
}
base_systemd_version() { chroot "$BASE" dpkg-query -W -f='systemd ${Version}' systemd; }

if [ -e "$BASE/.berth-lab-base" ]; then
    have=$(cat "$BASE/.berth-lab-base")
    [ "$have" = "$SUITE" ] || lab_die "$LAB holds a $have tree, not $SUITE; give each suite its own LAB (e.g. LAB=$LAB-$SUITE)"
else
    build_base
fi
[ "$BASE_ONLY" = 1 ] && exit 0

# A fresh container root: a copy of the base tree with its own machine id and host name.
[ -z "$(lab_nspawn_pid)" ] || lab_die "container $CT is running; stop it first ($LAB_SCRIPTS/stop.sh)"
started=$(date +%s.%N)
rm -rf "$ROOT" "$ROOT.new"
cp -ax "$BASE" "$ROOT.new"
rm -f "$ROOT.new/.berth-lab-base" "$ROOT.new/var/lib/dbus/machine-id"
tr -d - </proc/sys/kernel/random/uuid >"$ROOT.new/etc/machine-id"
ln -sf /etc/machine-id "$ROOT.new/var/lib/dbus/machine-id"
echo "$CT" >"$ROOT.new/etc/hostname"
mkdir -p "$ROOT.new/srv/share" "$ROOT.new/srv/images"
echo "$SUITE" >"$ROOT.new/.berth-lab-root"
mv "$ROOT.new" "$ROOT"
lab_log "fresh container root $ROOT ($(base_systemd_version); $(lab_seconds_since "$started") s)"
