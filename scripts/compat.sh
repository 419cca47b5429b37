#!/bin/bash
# The differential suite against systemd's portablectl (Tests/compat, issue #18).
#   scripts/compat.sh capture        run every scenario with portablectl in a booted container of each lab
#                                    and record the results in Tests/compat/recorded/VERSION/
#   scripts/compat.sh judge-root     berthctl --root=TREE on this machine, judged against every recording
#   scripts/compat.sh judge-daemon   berthctl through berthd in a booted container of each lab (PID 1
#                                    scenarios too), judged against that systemd version's recording
#   scripts/compat.sh judge-bus      systemd's own portablectl through berthd as org.freedesktop.portable1
#                                    (systemd-portabled masked, berthd-portable1.service enabled) in a
#                                    booted container of each lab, judged against that version's recording
#   scripts/compat.sh judge          all three judges (`make compat`)
#   scripts/compat.sh selftest       portablectl judged against its own recording (in a booted container of
#                                    each lab): proves the recordings and the normalisation are stable
#   scripts/compat.sh rejudge        judge the results already in COMPAT_OUT again (after editing the
#                                    table or compare.sh), without running anything
# Env: COMPAT_LABS="DIR:SUITE …" the labs (Tests/e2e/lab; default /var/tmp/berth-lab:trixie = systemd 257
#      and /var/tmp/berth-lab-sid:sid = 262), CT (container name, default compat), COMPAT_ONLY=REGEX (scenarios), COMPAT_BERTHCTL (the berthctl
#      binary for judge-root; default .build/debug/berthctl), COMPAT_OUT (where results and diffs go;
#      default a temporary directory that is kept and printed), COMPAT_TIMEOUT (seconds per command, 60).
# Prints "N agree, N deliberate, N differ, N skipped" per path and version; exits 1 when any
# difference is not in Tests/compat/deliberate-differences.tsv.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
COMPAT=$REPO/Tests/compat
LABDIR=$REPO/Tests/e2e/lab
export CT=${CT:-compat}
ONLY=${COMPAT_ONLY:-}
OUT=${COMPAT_OUT:-$(mktemp -d /tmp/berth-compat.XXXXXX)}
mkdir -p "$OUT"
log() { printf '[compat] %s\n' "$*" >&2; }
die() { printf 'compat: %s\n' "$*" >&2; exit 1; }

# The container's systemd major version (257, 262): the recording's directory name.
lab_version() { chroot "$LAB/base" dpkg-query -W -f='${Version}' systemd | sed 's/[^0-9].*//'; }

# A fresh container root with the corpus and the suite in /srv/compat, booted.
boot_container() {
    [ "$(id -u)" = 0 ] || die "capture and judge-daemon need root (they boot $LAB/$CT)"
    "$LABDIR/stop.sh" >/dev/null 2>&1 || true
    "$LABDIR/setup.sh" >"$OUT/setup.log" 2>&1 || { cat "$OUT/setup.log" >&2; exit 1; }
    local root=$LAB/$CT
    "$COMPAT/corpus.sh" "$root/srv/compat/images" 2>"$OUT/corpus.log" || { cat "$OUT/corpus.log" >&2; exit 1; }
    mkdir -p "$root/srv/compat/suite"
    cp "$COMPAT/run.sh" "$COMPAT/scenarios.tsv" "$root/srv/compat/suite/"
    [ -n "${1:-}" ] && "$1" "$root"   # a hook that installs more before the boot
    "$LABDIR/boot.sh" >"$OUT/boot.log" 2>&1 || { cat "$OUT/boot.log" >&2; exit 1; }
    trap '"$LABDIR/stop.sh" >/dev/null 2>&1 || true' EXIT
}

# run_in_container OUTDIR TOOL…: the runner inside, its results copied out to OUTDIR.
run_in_container() {
    local dest=$1
    shift
    "$LABDIR/exec.sh" env COMPAT_TIMEOUT="${COMPAT_TIMEOUT:-60}" /srv/compat/suite/run.sh --root=/ \
        --out=/srv/compat/out --scenarios=/srv/compat/suite/scenarios.tsv ${ONLY:+--only="$ONLY"} -- "$@"
    rm -rf "$dest"
    mkdir -p "$dest"
    cp "$LAB/$CT"/srv/compat/out/*.result "$dest/"
    cp "$LAB/$CT"/srv/compat/out/*.stderr "$dest/" 2>/dev/null || true
}

capture() {
    local version
    version=$(lab_version)
    [ -n "$version" ] || die "no systemd in $LAB/base (Tests/e2e/lab/setup.sh --base-only)"
    log "capturing portablectl $version in $LAB/$CT"
    boot_container
    run_in_container "$OUT/portablectl-$version" portablectl
    local dest=$COMPAT/recorded/$version
    if [ -n "$ONLY" ]; then
        mkdir -p "$dest"
        cp "$OUT/portablectl-$version"/*.result "$dest/"
    else
        rm -rf "$dest"
        mkdir -p "$dest"
        cp "$OUT/portablectl-$version"/*.result "$dest/"
    fi
    chroot "$LAB/base" dpkg-query -W -f='systemd ${Version}\n' systemd >"$dest/VERSION"
    log "recorded $(ls "$dest"/*.result | wc -l) results in ${dest#"$REPO"/}"
}

judge_root() {
    local berthctl=${COMPAT_BERTHCTL:-$REPO/.build/debug/berthctl}
    [ -x "$berthctl" ] || die "no berthctl at $berthctl (swift build, or COMPAT_BERTHCTL=PATH)"
    local tree=$OUT/tree
    rm -rf "$tree"
    mkdir -p "$tree"/etc/systemd/system "$tree"/run "$tree"/var/lib "$tree"/usr/lib/systemd/system
    "$COMPAT/corpus.sh" "$tree/srv/compat/images" 2>"$OUT/corpus.log" || { cat "$OUT/corpus.log" >&2; exit 1; }
    # Where systemd-container installs the profiles, the user scope's beside the system's (the lab's base
    # trees have no profile named "user"); Berth's copies of them stand in.
    mkdir -p "$tree/usr/lib/systemd/portable" "$tree/usr/lib/systemd/user/portable"
    cp -r "$REPO/profiles" "$tree/usr/lib/systemd/portable/profile"
    mv "$tree/usr/lib/systemd/portable/profile/user" "$tree/usr/lib/systemd/user/portable/profile"
    "$COMPAT/run.sh" --root="$tree" --out="$OUT/root" --no-pid1 \
        --scenarios="$COMPAT/scenarios.tsv" ${ONLY:+--only="$ONLY"} -- "$berthctl" --root="$tree"
    local version status=0
    for version in $(ls "$COMPAT/recorded"); do
        "$COMPAT/compare.sh" root "$version" "$COMPAT/recorded/$version" "$OUT/root" "$OUT/diff-root-$version" || status=1
    done
    return $status
}

# The debug build, installed into the container root as `make install PREFIX=/usr` lays it out, but
# with the binaries bound read-only from the host (with the Swift runtime they link): no release build.
DEBUG_BIN=
SWIFT_RUNTIME=
install_debug_berth() {
    local root=$1 unit
    ln -sf "$DEBUG_BIN/berthd" "$root/usr/bin/berthd"
    ln -sf "$DEBUG_BIN/berthctl" "$root/usr/bin/berthctl"
    for unit in "$REPO"/units/berthd.socket "$REPO"/units/berthd.service; do
        sed -e 's|@bindir@|/usr/bin|g' -e 's|@datadir@|/usr/share|g' "$unit" >"$root/usr/lib/systemd/system/$(basename "$unit")"
    done
    mkdir -p "$root/usr/share/berth" "$root/etc/systemd/system/sockets.target.wants"
    cp -r "$REPO/profiles" "$root/usr/share/berth/profiles"
    ln -sf /usr/lib/systemd/system/berthd.socket "$root/etc/systemd/system/sockets.target.wants/berthd.socket"
}

# install_debug_berth, and berthd answering org.freedesktop.portable1 instead of systemd-portabled: what
# README "Replacing systemd-portabled" does with systemctl, done in the root before the boot.
install_debug_berth_bus() {
    local root=$1
    install_debug_berth "$root"
    sed -e 's|@bindir@|/usr/bin|g' -e 's|@datadir@|/usr/share|g' "$REPO/units/berthd-portable1.service" \
        >"$root/usr/lib/systemd/system/berthd-portable1.service"
    ln -sf /dev/null "$root/etc/systemd/system/systemd-portabled.service"
    ln -sf /usr/lib/systemd/system/berthd-portable1.service "$root/etc/systemd/system/dbus-org.freedesktop.portable1.service"
}

# The debug build and the Swift runtime it links, bound read-only into the container (LAB_BINDS).
use_debug_build() {
    DEBUG_BIN=$(readlink -f "${COMPAT_BUILD_DIR:-$REPO/.build/debug}")
    [ -x "$DEBUG_BIN/berthd" ] && [ -x "$DEBUG_BIN/berthctl" ] || die "no debug build in $DEBUG_BIN (swift build)"
    SWIFT_RUNTIME=$(ldd "$DEBUG_BIN/berthctl" | sed -n 's|.*=> \(/.*\)/usr/lib/swift/linux/libswiftCore.so.*|\1|p')
    [ -n "$SWIFT_RUNTIME" ] || die "cannot find the Swift runtime berthctl links (ldd $DEBUG_BIN/berthctl)"
    export LAB_BINDS="$DEBUG_BIN $SWIFT_RUNTIME"
}

# judge_in_container PATH TOOL HOOK WHAT: TOOL runs the scenarios in a container of this lab with the debug
# build of Berth installed by HOOK, judged against this version's recording as path PATH.
judge_in_container() {
    use_debug_build
    local version
    version=$(lab_version)
    [ -d "$COMPAT/recorded/$version" ] || die "no recording for systemd $version (scripts/compat.sh capture with this LAB)"
    log "$4 in $LAB/$CT (systemd $version)"
    boot_container "$3"
    run_in_container "$OUT/$1-$version" "$2"
    "$COMPAT/compare.sh" "$1" "$version" "$COMPAT/recorded/$version" "$OUT/$1-$version" "$OUT/diff-$1-$version"
}

judge_daemon() { judge_in_container daemon berthctl install_debug_berth "berthctl through berthd"; }

judge_bus() {
    judge_in_container bus portablectl install_debug_berth_bus "portablectl through berthd (org.freedesktop.portable1)"
}

selftest() {
    local version
    version=$(lab_version)
    [ -d "$COMPAT/recorded/$version" ] || die "no recording for systemd $version"
    log "portablectl $version against its own recording in $LAB/$CT"
    boot_container
    run_in_container "$OUT/self-$version" portablectl
    "$COMPAT/compare.sh" portablectl "$version" "$COMPAT/recorded/$version" "$OUT/self-$version" "$OUT/diff-self-$version"
}

# for_each_lab FUNCTION: runs it once per lab in COMPAT_LABS ("DIR:SUITE …"; default the 257 and the
# 262 lab), each in its own subshell; a lab without a base tree is skipped with the reason.
for_each_lab() {
    local entry status=0
    for entry in ${COMPAT_LABS:-${LAB_DEFAULT_257}:trixie ${LAB_DEFAULT_262}:sid}; do
        if [ ! -e "${entry%:*}/base/.berth-lab-base" ]; then
            log "SKIPPED lab ${entry%:*}: no base tree there (Tests/e2e/lab/setup.sh --base-only with LAB=${entry%:*} SUITE=${entry##*:})"
            continue
        fi
        (LAB=${entry%:*} SUITE=${entry##*:}; export LAB SUITE; "$1") || status=1
    done
    return $status
}
LAB_DEFAULT_257=/var/tmp/berth-lab
LAB_DEFAULT_262=/var/tmp/berth-lab-sid

case "${1:-}" in
    capture) for_each_lab capture ;;
    judge-root) judge_root ;;
    judge-daemon) for_each_lab judge_daemon ;;
    judge-bus) for_each_lab judge_bus ;;
    selftest) for_each_lab selftest ;;
    rejudge)
        [ -n "${COMPAT_OUT:-}" ] || die "rejudge needs COMPAT_OUT=DIR (a previous judge's results)"
        status=0
        for results in "$OUT"/root "$OUT"/daemon-* "$OUT"/bus-*; do
            [ -d "$results" ] || continue
            run=${results##*/}
            for version in $(ls "$COMPAT/recorded"); do
                case "$run" in root | "daemon-$version" | "bus-$version") ;; *) continue ;; esac
                "$COMPAT/compare.sh" "${run%%-*}" "$version" "$COMPAT/recorded/$version" "$results" \
                    "$OUT/diff-${run%%-*}-$version" || status=1
            done
        done
        exit $status ;;
    judge)
        status=0
        judge_root || status=1
        for_each_lab judge_daemon || status=1
        for_each_lab judge_bus || status=1
        log "results and diffs: $OUT"
        exit $status ;;
    *) echo "usage: $0 capture|judge|judge-root|judge-daemon|judge-bus|selftest|rejudge" >&2; exit 2 ;;
esac
log "results and diffs: $OUT"
