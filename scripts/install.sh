#!/bin/bash
# Installs or removes Berth: scripts/install.sh install|uninstall DESTDIR PREFIX
# (what `make install` / `make uninstall` run; DESTDIR may be empty).
#
# install: release build (static Swift runtime, so the binaries need only glibc), then
#   PREFIX/bin                      berthd berthctl varlink varlink-certification varlink-codegen
#   UNITDIR                         berthd.socket berthd.service (@bindir@/@datadir@ filled in)
#                                   UNITDIR = /usr/lib/systemd/system for PREFIX=/usr, else PREFIX/lib/systemd/system
#   USERUNITDIR                     berthd.socket berthd.service berthd-portable1.service of the user scope
#                                   (units/user; berthd --user)
#                                   USERUNITDIR = /usr/lib/systemd/user for PREFIX=/usr, else PREFIX/lib/systemd/user
#   PREFIX/share/berth/profiles     the portable profiles (default, nonetwork, strict, trusted)
#   PREFIX/share/berth/interfaces   the Varlink interface files
#   PREFIX/share/bash-completion, zsh/site-functions, fish/vendor_completions.d   completions (what the CLIs generate)
#   PREFIX/share/man/man1, man8     man pages (berthctl.1 and varlink.1 from their --generate-manual;
#                                   berthd.8 from --help)
# Every file written is listed in PREFIX/share/berth/install-manifest; uninstall removes exactly
# those files (and the directories install created, when empty), nothing else.
#
# Environment: BERTH_SKIP_BUILD=1 uses an existing release build; BERTH_BUILD_DIR=DIR (default
# .build-release) is the scratch path; SWIFT (default swift).
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/.."
REPO=$(pwd)

usage() { echo "usage: $0 install|uninstall DESTDIR PREFIX" >&2; exit 2; }
[ $# -eq 3 ] || usage
ACTION=$1 DESTDIR=$2 PREFIX=$3
case "$PREFIX" in /*) ;; *) echo "install.sh: PREFIX must be absolute, got '$PREFIX'" >&2; exit 2 ;; esac
case "$DESTDIR" in ""|/*) ;; *) echo "install.sh: DESTDIR must be empty or absolute, got '$DESTDIR'" >&2; exit 2 ;; esac
PREFIX=${PREFIX%/}; [ -n "$PREFIX" ] || PREFIX=/
SWIFT=${SWIFT:-swift}
BUILD_DIR=${BERTH_BUILD_DIR:-$REPO/.build-release}

BINDIR=$PREFIX/bin
DATADIR=$PREFIX/share
if [ "$PREFIX" = /usr ]; then UNITDIR=/usr/lib/systemd/system; else UNITDIR=$PREFIX/lib/systemd/system; fi
USERUNITDIR=${UNITDIR%/system}/user
MANIFEST=$DATADIR/berth/install-manifest
BINARIES="berthd berthctl varlink varlink-certification varlink-codegen"
D() { printf '%s%s' "$DESTDIR" "$1"; }

# ---- uninstall ------------------------------------------------------------------------------
if [ "$ACTION" = uninstall ]; then
    if [ ! -f "$(D "$MANIFEST")" ]; then
        echo "install.sh: nothing to uninstall: $(D "$MANIFEST") does not exist" >&2
        exit 0
    fi
    # Files first (in reverse install order), then the directories install created, deepest first.
    tac "$(D "$MANIFEST")" | while IFS=' ' read -r kind path; do
        [ "$kind" = f ] || continue
        rm -f "$(D "$path")" && echo "removed $(D "$path")"
    done
    tac "$(D "$MANIFEST")" | while IFS=' ' read -r kind path; do
        [ "$kind" = d ] || continue
        rmdir "$(D "$path")" 2>/dev/null && echo "removed $(D "$path")/" || true
    done
    rm -f "$(D "$MANIFEST")"
    rmdir "$(D "$DATADIR/berth")" 2>/dev/null || true
    exit 0
fi
[ "$ACTION" = install ] || usage

# ---- build ----------------------------------------------------------------------------------
. scripts/require-swift.sh
if [ "${BERTH_SKIP_BUILD:-0}" != 1 ]; then
    echo "install.sh: release build in $BUILD_DIR"
    "$SWIFT" build -c release --static-swift-stdlib --scratch-path "$BUILD_DIR"
fi
BIN_SRC=$("$SWIFT" build -c release --static-swift-stdlib --scratch-path "$BUILD_DIR" --show-bin-path)
[ -x "$BIN_SRC/berthd" ] || { echo "install.sh: $BIN_SRC/berthd is missing; build failed?" >&2; exit 1; }

# ---- helpers that record what they write -----------------------------------------------------
if [ -f "$(D "$MANIFEST")" ]; then
    echo "install.sh: $(D "$MANIFEST") exists: uninstall the previous installation first" >&2
    exit 1
fi
# A DESTDIR that does not exist yet is created (not recorded: it is the caller's staging root).
[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
RECORD=$STAGE/manifest
: > "$RECORD"
mkdir_recorded() {  # mkdir -p, recording each directory it creates
    local dir=$1 missing=()
    while [ "$dir" != / ] && [ ! -d "$(D "$dir")" ]; do missing=("$dir" "${missing[@]}"); dir=$(dirname "$dir"); done
    for dir in "${missing[@]}"; do mkdir -m 0755 "$(D "$dir")" && echo "d $dir" >> "$RECORD"; done
}
put() {  # put MODE SOURCE DEST
    local mode=$1 src=$2 dst=$3
    if [ -e "$(D "$dst")" ] || [ -L "$(D "$dst")" ]; then
        echo "install.sh: $(D "$dst") already exists and is not ours; not overwriting" >&2
        exit 1
    fi
    mkdir_recorded "$(dirname "$dst")"
    install -m "$mode" "$src" "$(D "$dst")"
    echo "f $dst" >> "$RECORD"
    echo "installed $(D "$dst")"
}
finish() {
    mkdir_recorded "$(dirname "$MANIFEST")"
    cp "$RECORD" "$(D "$MANIFEST")"
}
trap 'finish_on_error' ERR
finish_on_error() {  # keep what was written uninstallable even when a step fails
    [ -s "$RECORD" ] && finish
    echo "install.sh: failed; '$0 uninstall' removes what was installed so far" >&2
}

# ---- binaries -------------------------------------------------------------------------------
# Installed without debug info: it names every source file by its path on the build machine (the
# symbol table, which backtraces use, stays).
mkdir -p "$STAGE/bin"
for b in $BINARIES; do
    [ -x "$BIN_SRC/$b" ] || continue
    cp "$BIN_SRC/$b" "$STAGE/bin/$b"
    strip --strip-debug "$STAGE/bin/$b"
    put 0755 "$STAGE/bin/$b" "$BINDIR/$b"
done

# ---- units ----------------------------------------------------------------------------------
for u in units/*.socket units/*.service; do
    [ -f "$u" ] || continue
    sed -e "s|@bindir@|$BINDIR|g" -e "s|@datadir@|$DATADIR|g" "$u" > "$STAGE/$(basename "$u")"
    put 0644 "$STAGE/$(basename "$u")" "$UNITDIR/$(basename "$u")"
done
mkdir -p "$STAGE/user"
for u in units/user/*.socket units/user/*.service; do
    [ -f "$u" ] || continue
    sed -e "s|@bindir@|$BINDIR|g" -e "s|@datadir@|$DATADIR|g" "$u" > "$STAGE/user/$(basename "$u")"
    put 0644 "$STAGE/user/$(basename "$u")" "$USERUNITDIR/$(basename "$u")"
done

# ---- profiles and interfaces ----------------------------------------------------------------
for f in $(cd profiles && find . -type f | sort); do
    put 0644 "profiles/$f" "$DATADIR/berth/profiles/${f#./}"
done
for f in interfaces/*.varlink; do
    [ -f "$f" ] && put 0644 "$f" "$DATADIR/berth/interfaces/$(basename "$f")"
done

# ---- completions ----------------------------------------------------------------------------
for b in berthctl varlink; do
    [ -x "$BIN_SRC/$b" ] || continue
    for shell in bash zsh fish; do
        case $shell in
            bash) dst=$DATADIR/bash-completion/completions/$b ;;
            zsh) dst=$DATADIR/zsh/site-functions/_$b ;;
            fish) dst=$DATADIR/fish/vendor_completions.d/$b.fish ;;
        esac
        if "$BIN_SRC/$b" --generate-completion-script "$shell" > "$STAGE/completion" 2>/dev/null && [ -s "$STAGE/completion" ]; then
            put 0644 "$STAGE/completion" "$dst"
        else
            echo "install.sh: $b has no $shell completion script; skipped"
        fi
    done
done

# ---- man pages ------------------------------------------------------------------------------
# berthctl and varlink print their own pages (from the table their parser, help and completions come from).
for b in berthctl varlink; do
    [ -x "$BIN_SRC/$b" ] || continue
    "$BIN_SRC/$b" --generate-manual > "$STAGE/$b.1"
    put 0644 "$STAGE/$b.1" "$DATADIR/man/man1/$b.1"
done
{
    echo '.TH BERTHD 8 "" "Berth" "System Administration"'
    echo '.SH NAME'
    echo 'berthd \- the io.berth.Portable Varlink service (portable service images)'
    echo '.SH DESCRIPTION'
    echo 'Started by berthd.socket (socket activation); see berthctl(1). Options:'
    echo '.nf'
    "$BIN_SRC/berthd" --help | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
    echo '.fi'
    echo '.SH FILES'
    echo "$UNITDIR/berthd.socket, $UNITDIR/berthd.service, /run/berth/io.berth.Portable"
} > "$STAGE/berthd.8"
put 0644 "$STAGE/berthd.8" "$DATADIR/man/man8/berthd.8"
put 0644 "$REPO/man/berth.portable.5" "$DATADIR/man/man5/berth.portable.5"

finish
trap - ERR
echo "install.sh: done; manifest $(D "$MANIFEST")"
if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
    echo "install.sh: run 'systemctl daemon-reload && systemctl enable --now berthd.socket berthd-recover.service' to start it"
fi
