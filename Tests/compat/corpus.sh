#!/bin/bash
# Builds the differential suite's image corpus into DIR (deterministic names; see README in this folder).
#   Tests/compat/corpus.sh DIR
# Every image kind portabled takes, plus hostile ones. Nothing here mounts anything or needs
# device-mapper: file systems are built from directories (mksquashfs, mkfs.erofs, mkfs.ext4 -d) and
# GPT disks are assembled with sfdisk and dd. Needs: busybox (static), mksquashfs, mkfs.erofs,
# mkfs.ext4, mkfs.btrfs, sfdisk, veritysetup, cryptsetup, openssl.
set -euo pipefail
OUT=${1:?usage: corpus.sh DIR}
export SOURCE_DATE_EPOCH=1700000000
for tool in busybox mksquashfs mkfs.erofs mkfs.ext4 mkfs.btrfs sfdisk veritysetup cryptsetup openssl; do
    command -v "$tool" >/dev/null || { echo "corpus: $tool is missing (scripts/deps.sh)" >&2; exit 1; }
done
BB=$(command -v busybox)
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/berth-compat-corpus.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---- directory images ------------------------------------------------------------------------
skeleton() {  # skeleton DIR: the minimal tree portabled accepts (os-release added by the caller)
    mkdir -p "$1"/usr/bin "$1"/usr/lib/systemd/system "$1"/etc "$1"/proc "$1"/sys "$1"/dev "$1"/run \
        "$1"/tmp "$1"/var/tmp
    : >"$1/etc/machine-id"
    : >"$1/etc/resolv.conf"
}
release() {  # release DIR CONTENT: usr/lib/os-release
    printf '%s' "$2" >"$1/usr/lib/os-release"
}
unit() {  # unit DIR NAME [CONTENT]
    printf '%s' "${3:-[Unit]
Description=$2 of the compat corpus

[Service]
ExecStart=/usr/bin/sleep infinity
}" >"$1/usr/lib/systemd/system/$2"
}
runnable() {  # runnable DIR: busybox, so that --now really starts something
    cp "$BB" "$1/usr/bin/busybox"
    for applet in sh sleep cat echo true; do ln -sf busybox "$1/usr/bin/$applet"; done
    ln -sfn usr/bin "$1/bin"
}
foo_tree() {  # foo_tree DIR VERSION
    skeleton "$1"
    runnable "$1"
    release "$1" "ID=foo
VERSION_ID=$2
PRETTY_NAME=\"Foo compat image $2\"
PORTABLE_PREFIXES=foo
"
    unit "$1" foo.service "[Unit]
Description=Foo compat service $2
Requires=foo.socket
After=foo.socket

[Service]
ExecStart=/usr/bin/sleep infinity
"
    unit "$1" foo.socket "[Unit]
Description=Foo compat socket

[Socket]
ListenStream=/run/foo-compat.sock

[Install]
WantedBy=sockets.target
"
    unit "$1" foo-helper.service "[Unit]
Description=Foo helper

[Service]
Type=oneshot
ExecStart=/usr/bin/true

[Install]
WantedBy=multi-user.target
"
    unit "$1" other.service
}
D=$OUT
foo_tree "$D/foo" 1
foo_tree "$D/foo_2" 2

skeleton "$D/bar"
release "$D/bar" 'ID=bar
VERSION_ID=7
'
unit "$D/bar" bar.service
unit "$D/bar" bar@.service
unit "$D/bar" bar-extra.timer '[Timer]
OnCalendar=daily
'
unit "$D/bar" bar.target '[Unit]
Description=Bar target
'
unit "$D/bar" bar.path '[Path]
PathExists=/run/bar
'
unit "$D/bar" bar.mount '[Mount]
What=tmpfs
Where=/bar
'

# Malformed or missing release files.
skeleton "$D/noos"; unit "$D/noos" noos.service
skeleton "$D/emptyos"; release "$D/emptyos" ''; unit "$D/emptyos" emptyos.service
skeleton "$D/garbageos"; unit "$D/garbageos" garbageos.service
printf 'ID=\x01\x02\xff\xfe\nPORTABLE_PREFIXES=garbageos\n\x00\x00BAD LINE WITHOUT EQUALS\n=novalue\n' >"$D/garbageos/usr/lib/os-release"
skeleton "$D/badquote"; unit "$D/badquote" badquote.service
printf 'ID="badquote\nPRETTY_NAME='"'"'unterminated\nPORTABLE_PREFIXES=badquote' >"$D/badquote/usr/lib/os-release"
skeleton "$D/etcos"; unit "$D/etcos" etcos.service
printf 'ID=etcos\nPORTABLE_PREFIXES=etcos\n' >"$D/etcos/etc/os-release"
skeleton "$D/nounits"; release "$D/nounits" $'ID=nounits\n'
skeleton "$D/prefixes"; release "$D/prefixes" $'ID=prefixes\nPORTABLE_PREFIXES="alpha beta- gamma.service"\n'
unit "$D/prefixes" alpha.service; unit "$D/prefixes" beta-one.service; unit "$D/prefixes" gamma.service
unit "$D/prefixes" delta.service

# Hostile trees.
skeleton "$D/linkout"
ln -s ../../../../../../etc/os-release "$D/linkout/usr/lib/os-release"
ln -s /etc/shadow "$D/linkout/usr/lib/systemd/system/linkout.service"
ln -s ../../../../../../../etc/passwd "$D/linkout/usr/lib/systemd/system/linkout-rel.service"
# Valid os-release, unit files linking out of the image (and one in): they must resolve inside it.
skeleton "$D/linkunit"; release "$D/linkunit" $'ID=linkunit\n'
# The targets name run.sh's sentinel, a file of the host tree beside the corpus (/srv/compat/sentinel):
# if its text shows up in a result, a tool read a host file through an image.
ln -s /srv/compat/sentinel "$D/linkunit/usr/lib/systemd/system/linkunit.service"
ln -s ../../../../../../../srv/compat/sentinel "$D/linkunit/usr/lib/systemd/system/linkunit-rel.service"
mkdir -p "$D/linkunit/etc/units"
unit "$D/linkunit" linkunit-target.service
mv "$D/linkunit/usr/lib/systemd/system/linkunit-target.service" "$D/linkunit/etc/units/linkunit-inside.service"
ln -s /etc/units/linkunit-inside.service "$D/linkunit/usr/lib/systemd/system/linkunit-inside.service"
unit "$D/linkunit" linkunit-ok.service
skeleton "$D/dangling"; release "$D/dangling" $'ID=dangling\n'
ln -s nowhere.service "$D/dangling/usr/lib/systemd/system/dangling.service"
unit "$D/dangling" dangling-ok.service
skeleton "$D/unitdir"; release "$D/unitdir" $'ID=unitdir\n'
mkdir -p "$D/unitdir/usr/lib/systemd/system/unitdir.service"
unit "$D/unitdir" unitdir-ok.service
skeleton "$D/oddunits"; release "$D/oddunits" $'ID=oddunits\n'
unit "$D/oddunits" odd@.service
unit "$D/oddunits" odd@inst.service
unit "$D/oddunits" 'odd\x2dx.service'
unit "$D/oddunits" 'odd..service'
unit "$D/oddunits" odd.bogus
unit "$D/oddunits" 'odd-ünï.service'
unit "$D/oddunits" '-odd.service'
mkdir -p "$D/oddunits/usr/lib/systemd/system/odd.service.d"
printf '[Service]\nEnvironment=X=1\n' >"$D/oddunits/usr/lib/systemd/system/odd.service.d/x.conf"
unit "$D/oddunits" odd.service
skeleton "$D/odd name"; release "$D/odd name" $'ID=odd\n'; unit "$D/odd name" odd.service
# Unit names whose orders differ: bytewise (B < a, a10 < a9, a-b < a.b < a:b < a@ < a_b), case-blind, by version.
skeleton "$D/unitorder"; release "$D/unitorder" $'ID=unitorder\n'
for name in a a9 a10 A B a-b a_b a.b a:b a@ 'a\x2db'; do unit "$D/unitorder" "$name.service"; done
pad() { (set +o pipefail; yes "$1" | head -c 16777216); }  # 16 MiB of one line repeated
skeleton "$D/hugeunit"; release "$D/hugeunit" $'ID=hugeunit\n'
{ printf '[Unit]\nDescription=huge\n[Service]\nExecStart=/usr/bin/true\n'
  pad '# padding padding padding padding padding padding padding padding padding padding padding'
} >"$D/hugeunit/usr/lib/systemd/system/hugeunit.service"
skeleton "$D/hugeos"
{ printf 'ID=hugeos\n'; pad 'X_PADDING=padding padding padding padding padding padding padding padding'; } \
    >"$D/hugeos/usr/lib/os-release"
unit "$D/hugeos" hugeos.service
skeleton "$D/fifounit"; release "$D/fifounit" $'ID=fifounit\n'
mkfifo "$D/fifounit/usr/lib/systemd/system/fifounit.service"
skeleton "$D/devunit"; release "$D/devunit" $'ID=devunit\n'
mknod "$D/devunit/usr/lib/systemd/system/devunit.service" c 1 3
skeleton "$D/fifoos"; mkfifo "$D/fifoos/usr/lib/os-release"; unit "$D/fifoos" fifoos.service

# PORTABLE_SCOPE= (portabled 260): an image for the user scope only, for either, and a value that is neither.
for scope in user any bogus; do
    foo_tree "$D/foo_${scope}scope" 1
    echo "PORTABLE_SCOPE=$scope" >>"$D/foo_${scope}scope/usr/lib/os-release"
done

# Extensions (ID must match the base image's, or be _any).
ext_tree() {  # ext_tree DIR NAME ID UNIT
    mkdir -p "$1/usr/lib/extension-release.d" "$1/usr/lib/systemd/system"
    [ -n "$3" ] && printf 'ID=%s\nPORTABLE_PREFIXES=foo\n' "$3" >"$1/usr/lib/extension-release.d/extension-release.$2"
    unit "$1" "$4"
}
ext_tree "$D/fooext" fooext foo foo-ext.service
ext_tree "$D/fooext_any" fooext_any _any foo-anyext.service
ext_tree "$D/fooext_wrongid" fooext_wrongid notfoo foo-wrong.service
ext_tree "$D/fooext_norelease" fooext_norelease '' foo-norel.service
# Matching foo's ID and VERSION_ID: accepted without --force (257 and 262 differ in its root units' drop-ins).
ext_tree "$D/fooext_match" fooext_match foo foo-match.service
echo VERSION_ID=1 >>"$D/fooext_match/usr/lib/extension-release.d/extension-release.fooext_match"

# ---- raw images --------------------------------------------------------------------------------
squash() { mksquashfs "$1" "$2" -noappend -all-root -quiet -no-progress >/dev/null; }
erofs() { mkfs.erofs -T1700000000 -Uc0ffee00-0000-4000-8000-000000000001 "$2" "$1" >/dev/null 2>&1; }
ext4() {  # ext4 SRC IMG SIZE_MIB
    truncate -s "${3}M" "$2"
    mkfs.ext4 -q -F -d "$1" -U c0ffee00-0000-4000-8000-000000000002 -E root_owner=0:0,hash_seed=c0ffee00-0000-4000-8000-000000000003 "$2" >/dev/null
}
squash "$D/foo" "$D/foo.raw"
squash "$D/foo_2" "$D/foo_2.raw"
erofs "$D/foo" "$D/foo_erofs.raw"
ext4 "$D/foo" "$D/foo_ext4.raw" 16
squash "$D/bar" "$D/bar.raw"
squash "$D/noos" "$D/noos.raw"
squash "$D/linkout" "$D/linkout.raw"
squash "$D/linkunit" "$D/linkunit.raw"
squash "$D/fooext" "$D/fooext.raw"
squash "$D/fooext_wrongid" "$D/fooext_wrongid.raw"
# Sidecar verity: foo_sidecar.raw + .verity + .roothash (+ .roothash.p7s for foo_signed).
squash "$D/foo" "$D/foo_sidecar.raw"
veritysetup format "$D/foo_sidecar.raw" "$D/foo_sidecar.verity" --root-hash-file="$WORK/roothash" \
    --uuid=c0ffee00-0000-4000-8000-000000000004 --salt=00 >/dev/null
tr -d '\n' <"$WORK/roothash" >"$D/foo_sidecar.roothash"
squash "$D/foo" "$D/foo_signed.raw"
cp "$D/foo_sidecar.verity" "$D/foo_signed.verity"
cp "$D/foo_sidecar.roothash" "$D/foo_signed.roothash"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 36500 \
    -subj /CN=berth-compat >/dev/null 2>&1
openssl smime -sign -nocerts -noattr -binary -in "$D/foo_signed.roothash" -inkey "$WORK/key.pem" \
    -signer "$WORK/cert.pem" -outform der -out "$D/foo_signed.roothash.p7s"
# The signing certificate as a file, for scenarios that trust it (placed in /etc/verity.d), and variants:
# signed by a key no verity.d holds, a valid signature over another root hash, garbage and a truncated .p7s.
cp "$WORK/cert.pem" "$D/verity-trusted.crt"
signed_variant() {  # signed_variant NAME P7S-FILE: foo_signed's image and sidecars with another .p7s
    cp "$D/foo_signed.raw" "$D/$1.raw"
    cp "$D/foo_signed.verity" "$D/$1.verity"
    cp "$D/foo_signed.roothash" "$D/$1.roothash"
    cp "$2" "$D/$1.roothash.p7s"
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/other-key.pem" -out "$WORK/other-cert.pem" -days 36500 \
    -subj /CN=berth-compat-untrusted >/dev/null 2>&1
openssl smime -sign -nocerts -noattr -binary -in "$D/foo_signed.roothash" -inkey "$WORK/other-key.pem" \
    -signer "$WORK/other-cert.pem" -outform der -out "$WORK/untrusted.p7s"
signed_variant foo_untrusted "$WORK/untrusted.p7s"
printf '%064d' 0 >"$WORK/otherhash"
openssl smime -sign -nocerts -noattr -binary -in "$WORK/otherhash" -inkey "$WORK/key.pem" \
    -signer "$WORK/cert.pem" -outform der -out "$WORK/otherhash.p7s"
signed_variant foo_wrongsig "$WORK/otherhash.p7s"
printf 'not a PKCS#7 signature\n' >"$WORK/garbage.p7s"
signed_variant foo_garbagesig "$WORK/garbage.p7s"
head -c $(( $(stat -c %s "$D/foo_signed.roothash.p7s") / 2 )) "$D/foo_signed.roothash.p7s" >"$WORK/trunc.p7s"
signed_variant foo_truncsig "$WORK/trunc.p7s"
squash "$D/foo" "$D/foo_badhash.raw"
cp "$D/foo_sidecar.verity" "$D/foo_badhash.verity"
printf '%064d' 0 >"$D/foo_badhash.roothash"

# GPT disks: gpt IMG "TYPE:FILE[:UUID[:ATTRS]]" …  (1 MiB aligned, x86-64 partition types)
ROOT_X86=4f68bce3-e8cd-4db1-96e7-fbcaf984b709
USR_X86=8484680c-9521-48c6-9c11-b0720656f69e
ROOT_VERITY_X86=2c7357ed-ebd2-46d9-aec1-23d437ec2bf5
LINUX_DATA=0fc63daf-8483-4772-8e79-3d69d8477de4
gpt() {
    local img=$1 spec file type uuid attrs start=1 size script total=1
    shift
    script="label: gpt
label-id: C0FFEE00-0000-4000-8000-0000000000AA
"
    local index=0
    for spec in "$@"; do
        IFS=: read -r type file uuid attrs <<<"$spec"
        # Partition UUIDs fixed too (sfdisk picks random ones), so the corpus is the same on every build.
        index=$((index + 1))
        [ -n "$uuid" ] || uuid=c0ffee00-0000-4000-8000-$(printf '%s %s' "$(basename "$img")" "$index" | md5sum | cut -c1-12)
        size=$(( ($(stat -c %s "$file") + 1048575) / 1048576 ))
        script+="start=$((start * 2048)), size=$((size * 2048)), type=$type${uuid:+, uuid=$uuid}${attrs:+, attrs=\"$attrs\"}
"
        start=$((start + size))
    done
    total=$((start + 1))
    rm -f "$img"
    truncate -s "${total}M" "$img"
    sfdisk -q --no-reread --no-tell-kernel "$img" <<<"$script" >/dev/null
    start=1
    for spec in "$@"; do
        IFS=: read -r type file uuid attrs <<<"$spec"
        dd if="$file" of="$img" bs=1M seek="$start" conv=notrunc status=none
        start=$((start + ($(stat -c %s "$file") + 1048575) / 1048576))
    done
}
squash "$D/foo" "$WORK/foo.squashfs"
gpt "$D/foo_gpt.raw" "$ROOT_X86:$WORK/foo.squashfs::GUID:60"
gpt "$D/foo_gptrw.raw" "$ROOT_X86:$WORK/foo.squashfs"
# /usr-only: the usr partition holds the tree's usr/ as its root.
squash "$D/foo/usr" "$WORK/foo-usr.squashfs"
gpt "$D/foo_usronly.raw" "$USR_X86:$WORK/foo-usr.squashfs::GUID:60"
# root + verity partition, UUIDs derived from the root hash as systemd expects.
cp "$WORK/foo.squashfs" "$WORK/foo-v.squashfs"
veritysetup format "$WORK/foo-v.squashfs" "$WORK/foo-v.verity" --root-hash-file="$WORK/roothash-v" \
    --uuid=c0ffee00-0000-4000-8000-000000000005 --salt=00 >/dev/null
RH=$(cat "$WORK/roothash-v")
uuid_of() { printf '%s-%s-%s-%s-%s' "${1:0:8}" "${1:8:4}" "${1:12:4}" "${1:16:4}" "${1:20:12}"; }
gpt "$D/foo_verity.raw" "$ROOT_X86:$WORK/foo-v.squashfs:$(uuid_of "${RH:0:32}"):GUID:60" \
    "$ROOT_VERITY_X86:$WORK/foo-v.verity:$(uuid_of "${RH:32:32}"):GUID:60"
# root + verity + verity signature partition (systemd's JSON: rootHash, certificateFingerprint, signature,
# NUL-padded), signed by the trusted certificate's key.
ROOT_VERITY_SIG_X86=41092b05-9fc8-4523-994f-2def0408b176
printf '%s' "$RH" >"$WORK/roothash-v.txt"
openssl smime -sign -nocerts -noattr -binary -in "$WORK/roothash-v.txt" -inkey "$WORK/key.pem" \
    -signer "$WORK/cert.pem" -outform der -out "$WORK/roothash-v.p7s"
FINGERPRINT=$(openssl x509 -in "$WORK/cert.pem" -outform der | sha256sum | cut -d' ' -f1)
printf '{"rootHash":"%s","certificateFingerprint":"%s","signature":"%s"}' "$RH" "$FINGERPRINT" \
    "$(base64 -w0 "$WORK/roothash-v.p7s")" >"$WORK/foo-v.sig"
truncate -s 16K "$WORK/foo-v.sig"
gpt "$D/foo_veritysig.raw" "$ROOT_X86:$WORK/foo-v.squashfs:$(uuid_of "${RH:0:32}"):GUID:60" \
    "$ROOT_VERITY_X86:$WORK/foo-v.verity:$(uuid_of "${RH:32:32}"):GUID:60" \
    "$ROOT_VERITY_SIG_X86:$WORK/foo-v.sig::GUID:60"
# LUKS2 root partition (header only: nothing can open it without device-mapper anyway).
truncate -s 20M "$WORK/luks.img"
printf 'compat' >"$WORK/luks.key"
cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
    --uuid=c0ffee00-0000-4000-8000-000000000006 --key-file="$WORK/luks.key" "$WORK/luks.img" >/dev/null
gpt "$D/foo_luks.raw" "$ROOT_X86:$WORK/luks.img"
# GPT hostiles.
gpt "$D/gpt_generic.raw" "$LINUX_DATA:$WORK/foo.squashfs"
gpt "$D/gpt_tworoots.raw" "$ROOT_X86:$WORK/foo.squashfs::GUID:60" "$ROOT_X86:$WORK/foo.squashfs::GUID:60"
truncate -s 1M "$WORK/empty.part"
gpt "$D/gpt_emptyfs.raw" "$ROOT_X86:$WORK/empty.part"
cp "$D/foo_gpt.raw" "$D/gpt_truncated.raw"
truncate -s 20480 "$D/gpt_truncated.raw"
cp "$D/foo_gpt.raw" "$D/gpt_badcrc.raw"
printf '\xde\xad\xbe\xef' | dd of="$D/gpt_badcrc.raw" bs=1 seek=$((512 + 16)) conv=notrunc status=none
printf '\xde\xad\xbe\xef' | dd of="$D/gpt_badcrc.raw" bs=1 seek=$(( $(stat -c %s "$D/gpt_badcrc.raw") - 512 + 16 )) conv=notrunc status=none
cp "$D/foo_gpt.raw" "$D/gpt_hugecount.raw"   # partition entry count 0xffffffff (header CRC left stale)
printf '\xff\xff\xff\xff' | dd of="$D/gpt_hugecount.raw" bs=1 seek=$((512 + 80)) conv=notrunc status=none
# Garbage, empty and tiny files named .raw.
awk 'BEGIN { srand(42); for (i = 0; i < 262144; i++) printf "%c", int(rand() * 256) }' LC_ALL=C >"$D/garbage.raw"
: >"$D/empty.raw"
printf 'x' >"$D/tiny.raw"
squash "$D/hugeunit" "$D/hugeunit.raw"
# An image named like a version set: foo_1.raw and foo_3.raw in foo.raw.v/.
mkdir -p "$D/vset.raw.v"
squash "$D/foo" "$D/vset.raw.v/vset_1.raw"
squash "$D/foo_2" "$D/vset.raw.v/vset_3.raw"

# An empty btrfs file system (sparse; run.sh's `btrfs` step mounts a copy of it): quota scenarios.
truncate -s 256M "$D/pool.btrfs"
mkfs.btrfs -q -f -U c0ffee00-0000-4000-8000-000000000007 "$D/pool.btrfs" >/dev/null

echo "corpus: $(find "$OUT" -mindepth 1 -maxdepth 1 | wc -l) images and sidecars in $OUT" >&2
