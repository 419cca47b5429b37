#!/bin/bash
# Runs a command from the lab's base tree on the host side (its systemd-nspawn, systemd-dissect,
# varlinkctl …, the suite's versions), in a private mount namespace that pivot_root()s into it.
# $LAB is visible inside as /srv/lab.
#   Tests/e2e/lab/in-base.sh systemd-nspawn --version
# LAB_BINDS="HOSTDIR[:CTDIR] …": each HOSTDIR is bound read-only at /run/lab-bind/N inside, where
# boot.sh hands it on to the container.
# Why pivot_root rather than chroot: from a chroot nspawn still boots, but nothing in the container
# may then create a user namespace, and every portable service fails with 217/USER.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lab_need_root
[ -e "$BASE/.berth-lab-base" ] || lab_die "no base tree at $BASE (run $LAB_SCRIPTS/setup.sh)"
[ $# -gt 0 ] || set -- /bin/bash
# Every step execs (unshare does not fork): the pid boot.sh records stays the pid of nspawn.
exec unshare --mount --propagation private -- /bin/sh -euc '
lab=$1 base=$2 binds=$3
shift 3
mount --bind "$base" "$base"
mount -t proc proc "$base/proc"
mount --rbind /dev "$base/dev"
mount --rbind /sys "$base/sys"
# A hybrid host (v1 controllers, cgroup2 under unified/): show only the cgroup2 tree, since
# nspawn 258 and later refuse a host without a unified hierarchy.
if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] && [ -d /sys/fs/cgroup/unified ]; then
    mount -t cgroup2 cgroup2 "$base/sys/fs/cgroup"
fi
mount -t tmpfs -o mode=0755 tmpfs "$base/run"
mount -t tmpfs -o mode=1777 tmpfs "$base/tmp"
n=0
for bind in $binds; do
    mkdir -p "$base/run/lab-bind/$n"
    mount --bind "${bind%%:*}" "$base/run/lab-bind/$n"
    mount -o remount,bind,ro "$base/run/lab-bind/$n"
    n=$((n + 1))
done
mkdir -p "$base/srv/lab" "$base/.pivot-old"
mount --bind "$lab" "$base/srv/lab"
cd "$base"
pivot_root . .pivot-old
umount -l /.pivot-old
cd /
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
exec "$@"
' sh "$LAB" "$BASE" "${LAB_BINDS:-}" "$@"
