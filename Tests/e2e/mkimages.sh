#!/bin/bash
# Builds the e2e's portable images in DIR (the container's /srv/images, private to it):
#   foo/      directory image, version 1      foo_2/   the same, version 2 (for reattach)
#   foo.raw   squashfs of foo/
# Each holds a static busybox, os-release with PORTABLE_PREFIXES=foo, foo.service and foo.socket.
# For comparing raw-image handling with portabled (sfdisk and veritysetup on the host; skipped
# without them), each with a pin.service:
#   pin-gptro.raw  GPT, squashfs root with the read-only flag     pin-gptrw.raw  …without it
#   pin-usr.raw    GPT with only a squashfs /usr partition         pin-sqverity.raw + .verity/.roothash
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
# An extension for foo version 1 (attach --extension=).
rm -rf "$OUT/fooext"
mkdir -p "$OUT/fooext/usr/lib/extension-release.d"
printf 'ID=foo\nVERSION_ID=1\n' >"$OUT/fooext/usr/lib/extension-release.d/extension-release.fooext"

# ---- raw images whose pinned RootImagePolicy= is compared with portabled's ----------------------
ROOT_X86=4f68bce3-e8cd-4db1-96e7-fbcaf984b709 USR_X86=8484680c-9521-48c6-9c11-b0720656f69e
gpt_image() {  # gpt_image OUT TYPE-GUID ATTRS FILESYSTEM: one partition at 1 MiB holding FILESYSTEM
    local out=$1 type=$2 attrs=$3 fs=$4 sectors
    truncate -s %1048576 "$fs"
    sectors=$(( $(stat -c %s "$fs") / 512 ))
    rm -f "$out"; truncate -s $(( (2048 + sectors + 2048) * 512 )) "$out"
    printf 'label: gpt\nstart=2048, size=%s, type=%s%s\n' "$sectors" "$type" "${attrs:+, attrs=\"$attrs\"}" | sfdisk -q "$out"
    dd if="$fs" of="$out" bs=512 seek=2048 conv=notrunc status=none
}
pin_tree() {  # pin_tree DIR NAME: a tree whose unit is NAME.service
    make_tree "$1" 1
    rm -f "$1"/usr/lib/systemd/system/foo.*
    printf '[Service]\nExecStart=/usr/bin/sleep infinity\n' > "$1/usr/lib/systemd/system/$2.service"
    sed -i "s/^PORTABLE_PREFIXES=.*/PORTABLE_PREFIXES=$2/" "$1/usr/lib/os-release"
}
if command -v sfdisk >/dev/null && command -v veritysetup >/dev/null; then
    work=$(mktemp -d)
    pin_tree "$work/t" pin-gptro; mksquashfs "$work/t" "$work/fs" -noappend -all-root -quiet -no-progress
    gpt_image "$OUT/pin-gptro.raw" $ROOT_X86 GUID:60 "$work/fs"
    pin_tree "$work/t" pin-gptrw; mksquashfs "$work/t" "$work/fs" -noappend -all-root -quiet -no-progress
    gpt_image "$OUT/pin-gptrw.raw" $ROOT_X86 "" "$work/fs"
    pin_tree "$work/t" pin-usr; mksquashfs "$work/t/usr" "$work/fs" -noappend -all-root -quiet -no-progress
    gpt_image "$OUT/pin-usr.raw" $USR_X86 GUID:60 "$work/fs"
    pin_tree "$work/t" pin-sqverity
    mksquashfs "$work/t" "$OUT/pin-sqverity.raw" -noappend -all-root -quiet -no-progress
    veritysetup format "$OUT/pin-sqverity.raw" "$OUT/pin-sqverity.verity" | awk '/Root hash:/ { print $3 }' \
        > "$OUT/pin-sqverity.roothash"
    rm -rf "$work"
else
    echo "sfdisk or veritysetup missing: no pin-*.raw images" >&2
fi
echo "built $OUT/foo, $OUT/foo_2, $OUT/foo.raw, $OUT/fooext and the pin-*.raw images"
