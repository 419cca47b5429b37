#!/bin/sh
# Installs what Berth needs to build and test on Debian 12 (run as root). Idempotent.
set -eu
APT_PACKAGES="
  pkg-config binutils libsystemd-dev libcryptsetup-dev libjson-c-dev libssl-dev openssl
  squashfs-tools erofs-utils e2fsprogs btrfs-progs fdisk util-linux cryptsetup-bin
  golang-go golang-github-varlink-go-dev varlink-go
  debootstrap systemd-container zstd busybox-static
  dbus polkitd
  python3 python3-pip
  zsh fish groff-base
"
missing=""
for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi
PIP_PACKAGES="varlink==31.0.0"
# Debian 12's own python refuses pip installs (PEP 668, "externally-managed-environment"). Debian has
# no python3-varlink for bookworm, and the module lands in /usr/local, beside nothing apt installed:
# allow it. (Older pips ignore the variable.)
for p in $PIP_PACKAGES; do
    python3 -m pip show "${p%%==*}" >/dev/null 2>&1 \
        || PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --root-user-action=ignore "$p"
done
