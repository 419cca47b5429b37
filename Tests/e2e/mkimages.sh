#!/bin/bash
# Builds the e2e's portable images in DIR (the container's /srv/images, private to it):
#   foo/      directory image, version 1      foo_2/   the same, version 2 (for reattach)
#   foo.raw   squashfs of foo/
# Each holds a static busybox, os-release with PORTABLE_PREFIXES=foo, foo.service and foo.socket.
set -euo pipefail
OUT=${1:?usage: mkimages.sh DIR}
BB=$(command -v busybox) || { echo "busybox missing (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$OUT"
make_tree() {  # make_tree DIR VERSION
    local d=$1 version=$2
    rm -rf "$d"
    mkdir -p "$d"/usr/bin "$d"/usr/lib/systemd/system "$d"/etc "$d"/proc "$d"/sys "$d"/dev "$d"/run "$d"/tmp "$d"/var/tmp "$d"/root
    cp "$BB" "$d/usr/bin/busybox"
    for a in sh sleep cat echo ls id env; do ln -s busybox "$d/usr/bin/$a"; done
    ln -s usr/bin "$d/bin"
    printf 'ID=foo\nVERSION_ID=%s\nPRETTY_NAME="Foo e2e image %s"\nPORTABLE_PREFIXES=foo\n' "$version" "$version" > "$d/usr/lib/os-release"
    : > "$d/etc/machine-id"; : > "$d/etc/resolv.conf"
    cat > "$d/usr/lib/systemd/system/foo.service" <<'UNIT'
[Unit]
Description=Foo e2e portable service
Requires=foo.socket
After=foo.socket

[Service]
ExecStart=/usr/bin/sh -c 'echo "foo started: uid=$(id -u) LISTEN_FDS=$LISTEN_FDS"; exec sleep infinity'
UNIT
    cat > "$d/usr/lib/systemd/system/foo.socket" <<'UNIT'
[Unit]
Description=Foo e2e portable socket

[Socket]
ListenStream=/run/foo.sock

[Install]
WantedBy=sockets.target
UNIT
}
make_tree "$OUT/foo" 1
make_tree "$OUT/foo_2" 2
rm -f "$OUT/foo.raw"
mksquashfs "$OUT/foo" "$OUT/foo.raw" -noappend -all-root -quiet -no-progress
echo "built $OUT/foo, $OUT/foo_2 and $OUT/foo.raw"
