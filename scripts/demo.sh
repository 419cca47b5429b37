#!/bin/bash
# make demo: attach the embedded demo image (demo/image) in a temporary root with `berthctl --root`,
# show list / inspect / is-attached / the written drop-ins / detach, then clean up.
# Needs no daemon and no systemd: everything happens in process on the temporary tree.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/require-swift.sh

CONFIG="${CONFIG:-debug}"
BUILD_PATH="${BUILD_PATH:-.build}"
echo "== building berthctl ($CONFIG)"
swift build -c "$CONFIG" --scratch-path "$BUILD_PATH" --product berthctl >/dev/null
BERTHCTL="$(swift build -c "$CONFIG" --scratch-path "$BUILD_PATH" --show-bin-path)/berthctl"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/berth-demo.XXXXXX")"
cleanup() { rm -rf -- "$WORK"; }
trap cleanup EXIT
ROOT="$WORK/root"

# The offline tree: a pool with the demo image, the directories systemd would have.
mkdir -p "$ROOT/var/lib/portables" "$ROOT/etc/systemd/system" "$ROOT/run/systemd/system"
IMAGE="$ROOT/var/lib/portables/demo_1.0"
cp -a demo/image "$IMAGE"
mkdir -p "$IMAGE/usr/bin"
# A static busybox makes the units runnable under a real systemd; the demo itself does not need it.
for candidate in /bin/busybox /usr/bin/busybox; do
    # ldd fails for a static binary ("not a dynamic executable"): only such a one runs in the image.
    if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then
        cp "$candidate" "$IMAGE/usr/bin/busybox"
        break
    fi
done

step() {
    echo
    echo "\$ berthctl --root=\$ROOT $*"
    "$BERTHCTL" --root="$ROOT" "$@"
}

echo "== temporary root: $ROOT (shown as \$ROOT)"
step list
step inspect demo_1.0
step inspect --cat demo_1.0 demo.socket
step attach demo_1.0
step is-attached demo_1.0
step list

echo
echo "== what attach wrote (inside \$ROOT)"
(cd "$ROOT" && find etc/systemd/system.attached etc/portables -mindepth 1 -printf '%y /%p %l\n' 2>/dev/null | sort) || true
for dropin in "$ROOT"/etc/systemd/system.attached/demo.service.d/*.conf; do
    echo "-- ${dropin#"$ROOT"} --"
    cat "$dropin"
done

step detach demo_1.0
step is-attached demo_1.0
if "$BERTHCTL" --root="$ROOT" is-attached -q demo_1.0; then
    echo "unexpected: still attached" >&2
    exit 1
fi
echo
echo "\$ berthctl --root=\$ROOT is-attached -q demo_1.0; echo \$?"
echo 1
leftover="$(find "$ROOT/etc/systemd" "$ROOT/etc/portables" -mindepth 1 -not -type d 2>/dev/null || true)"
if [ -n "$leftover" ]; then
    echo "unexpected leftovers after detach:" >&2
    echo "$leftover" >&2
    exit 1
fi
echo
echo "== demo done: attached and detached in a temporary root, nothing left behind."
