#!/bin/bash
# Runs the differential scenarios with one portablectl-compatible tool and writes one result file per
# scenario. The same script runs inside the lab container (portablectl, or berthctl through berthd) and
# on the host (berthctl --root=TREE).
#   run.sh --root=DIR --out=DIR --scenarios=FILE [--no-pid1] [--only=REGEX] -- TOOL [ARG…]
#     --root    the tree the tool works on ('/' inside the container; the --root tree otherwise)
#     --out     where NAME.result files go (emptied first)
#     --no-pid1 skip scenarios that need a running PID 1 (--now/--enable); their result says so
# The corpus must be at ROOT/srv/compat/images (corpus.sh); scenarios name it as @I.
# A result file holds: exit code, stdout, stderr (portablectl's change list is there), and a snapshot of what the
# scenario wrote (paths, types, modes, link targets, sizes, hashes; drop-ins in full), with the root
# prefix and timestamps normalised so that results from different trees and days compare.
set -uo pipefail
ROOT=/ OUT= SCENARIOS= PID1=1 ONLY=
while [ $# -gt 0 ]; do
    case "$1" in
        --root=*) ROOT=${1#--root=} ;;
        --out=*) OUT=${1#--out=} ;;
        --scenarios=*) SCENARIOS=${1#--scenarios=} ;;
        --no-pid1) PID1=0 ;;
        --only=*) ONLY=${1#--only=} ;;
        --) shift; break ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ $# -gt 0 ] && [ -n "$OUT" ] && [ -f "$SCENARIOS" ] || { echo "usage: run.sh --root=DIR --out=DIR --scenarios=FILE -- TOOL…" >&2; exit 2; }
TOOL=("$@")
R=${ROOT%/}                       # prefix for paths inside the tree ('' for /)
IMAGES=/srv/compat/images         # the corpus as the tool sees it
TIMEOUT=${COMPAT_TIMEOUT:-60}     # a hang is a result too ('exit: timeout')
export SYSTEMD_COLORS=0 SYSTEMD_PAGER= SYSTEMD_LOG_COLOR=0 LANG=C.UTF-8 COLUMNS=200
# What a scenario may write; everything else in the tree must stay as it was.
WATCHED=(etc/systemd/system.attached run/systemd/system.attached etc/portables run/portables var/lib/portables
    etc/systemd/system run/systemd/system usr/local/lib/portables)
[ -d "$R$IMAGES" ] || { echo "run.sh: no corpus at $R$IMAGES" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
# A host file the linkunit image's unit files point at: it must never be read through an image.
printf '[Unit]\nDescription=HOST FILE: read through an image link\n' >"$R/srv/compat/sentinel"
MARK=$(mktemp /tmp/berth-compat-mark.XXXXXX)
PLACED=$(mktemp /tmp/berth-compat-placed.XXXXXX)   # what setup put outside the reset directories
MOUNTED=$(mktemp /tmp/berth-compat-mounted.XXXXXX) # btrfs file systems setup mounted (unmounted first)
trap 'rm -f "$MARK" "$PLACED" "$MOUNTED"' EXIT

live_pid1() { [ "$R" = "" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }

# Back to a clean tree: stop what a --now scenario started, remove every attachment and placed image.
reset_state() {
    local dir unit
    if live_pid1; then
        for dir in /etc/systemd/system.attached /run/systemd/system.attached; do
            for unit in "$dir"/*; do
                [ -e "$unit" ] || [ -L "$unit" ] || continue
                case "$unit" in *.d | *.wants | *.requires) continue ;; esac
                systemctl stop --no-block "$(basename "$unit")" >/dev/null 2>&1 || true
            done
        done
    fi
    if [ -s "$MOUNTED" ]; then
        while IFS= read -r mounted; do umount "$mounted" 2>/dev/null || umount -l "$mounted"; done < <(tac "$MOUNTED")
        : >"$MOUNTED"
        rm -f "$R/srv/compat/pool-copy.btrfs"
    fi
    find "$R"/etc/systemd/system "$R"/run/systemd/system -xdev -type l -lname '*system.attached*' -delete 2>/dev/null
    find "$R"/etc/systemd/system "$R"/run/systemd/system -xdev -mindepth 1 -type d -name '*.wants' -empty -delete 2>/dev/null
    for dir in etc/systemd/system.attached run/systemd/system.attached etc/portables run/portables var/lib/portables \
        usr/local/lib/portables; do
        [ -e "$R/$dir" ] || continue
        chattr -R -i "$R/$dir" >/dev/null 2>&1
        rm -rf "$R/${dir:?}"
    done
    if [ -s "$PLACED" ]; then
        while IFS= read -r placed; do rm -rf "$placed"; done <"$PLACED"
        : >"$PLACED"
    fi
    if live_pid1; then
        # A fresh daemon per scenario: portabled blocks for good on a FIFO in an image (and then
        # every later call times out), which must not spill into the next scenario.
        local daemons=(systemd-portabled.service berthd.service)
        # berthd as org.freedesktop.portable1 (judge-bus) where it is installed: naming a unit that does
        # not exist would make systemctl stop none of them.
        [ -e /usr/lib/systemd/system/berthd-portable1.service ] && daemons+=(berthd-portable1.service)
        timeout 10 systemctl stop "${daemons[@]}" >/dev/null 2>&1 \
            || systemctl kill --signal=KILL "${daemons[@]}" >/dev/null 2>&1
        systemctl daemon-reload >/dev/null 2>&1
        systemctl reset-failed >/dev/null 2>&1
    fi
    return 0
}

# btrfs_ioctl PATH quota|subvol NAME: switches quota on for the btrfs at PATH, or creates subvolume NAME
# in directory PATH (BTRFS_IOC_QUOTA_CTL, BTRFS_IOC_SUBVOL_CREATE; the lab has no btrfs-progs).
btrfs_ioctl() {
    python3 - "$@" <<'PY'
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
if sys.argv[2] == "quota":
    fcntl.ioctl(fd, 0xC0109428, bytearray(struct.pack("QQ", 1, 0)))  # BTRFS_QUOTA_CTL_ENABLE
else:
    fcntl.ioctl(fd, 0x5000940E, bytearray(struct.pack("q4088s", 0, sys.argv[3].encode())))
PY
}

# Setup steps, ';'-separated: place SRC DEST | fifo PATH | chardev PATH | link TARGET PATH | pre ARGS… |
# btrfs DIR (a copy of the corpus's empty btrfs mounted there) | quota DIR (quota on for that btrfs) |
# subvol SRC DEST (DEST made a btrfs subvolume holding a copy of the corpus's directory image SRC)
setup() {
    local step words
    local IFS=';'
    for step in $1; do
        IFS=' ' eval "words=($step)"
        case "${words[0]:-}" in
            '') ;;
            place) mkdir -p "$(dirname "$R${words[2]}")"; cp -a "$R$IMAGES/${words[1]}" "$R${words[2]}"
                echo "$R${words[2]}" >>"$PLACED" ;;
            fifo) mkdir -p "$(dirname "$R${words[1]}")"; mkfifo "$R${words[1]}" ;;
            chardev) mkdir -p "$(dirname "$R${words[1]}")"; mknod "$R${words[1]}" c 1 3 ;;
            link) mkdir -p "$(dirname "$R${words[2]}")"; ln -s "${words[1]}" "$R${words[2]}" ;;
            btrfs) mkdir -p "$R${words[1]}"; cp --sparse=always "$R$IMAGES/pool.btrfs" "$R/srv/compat/pool-copy.btrfs"
                mount -o loop "$R/srv/compat/pool-copy.btrfs" "$R${words[1]}" && echo "$R${words[1]}" >>"$MOUNTED" || return 1 ;;
            quota) btrfs_ioctl "$R${words[1]}" quota && sync -f "$R${words[1]}" || return 1 ;;
            subvol) btrfs_ioctl "$(dirname "$R${words[2]}")" subvol "$(basename "${words[2]}")" \
                && cp -a "$R$IMAGES/${words[1]}/." "$R${words[2]}/" && sync -f "$R${words[2]}" || return 1 ;;
            pre) timeout "$TIMEOUT" "${TOOL[@]}" "${words[@]:1}" </dev/null >/dev/null 2>&1 ;;
            *) echo "run.sh: unknown setup step '$step'" >&2; return 2 ;;
        esac
    done
}

normalise() {  # stdin → stdout: tree prefix removed, times and durations replaced, spaces collapsed
    sed -e "s|${R:-//no-root//}/|/|g" \
        -e 's/[A-Z][a-z][a-z] [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} [A-Z+0-9-]*/TIME/g' \
        -e 's|/job/[0-9]*|/job/N|g' -e 's/  */ /g' -e 's/ *$//'
}

copied_profile() {  # copied_profile FILE: the tree's profile FILE is a copy of, if any
    local candidate
    for candidate in "$R"/{etc,run,usr/local/lib,usr/lib}/systemd/portable/profile/*/service.conf; do
        [ -f "$candidate" ] && cmp -s "$candidate" "$1" && { echo "${candidate#"$R"}"; return 0; }
    done
    return 1
}

snapshot() {  # what the scenario wrote, as one line per path
    local dir
    for dir in "${WATCHED[@]}"; do
        [ -e "$R/$dir" ] || continue
        local depth=()
        # Images placed in or linked into the portables directories: the entries, not their contents.
        case "$dir" in *portables) depth=(-maxdepth 1) ;; esac
        find "$R/$dir" -xdev -mindepth 1 "${depth[@]}" -printf '%P\n' 2>/dev/null | sed "s|^|$dir/|" | LC_ALL=C sort | while IFS= read -r path; do
            local p="$R/$path"
            # The host's own unit directories: only what the scenario added or changed.
            case "$path" in
                etc/systemd/system/* | run/systemd/system/*) [ -n "$(find "$p" -maxdepth 0 -newer "$MARK")" ] || continue ;;
            esac
            if [ -L "$p" ]; then
                printf '%s link -> %s\n' "$path" "$(readlink "$p")"
            elif [ -d "$p" ]; then
                printf '%s dir %s\n' "$path" "$(stat -c %a "$p")"
            elif [ -f "$p" ] && profile=$(copied_profile "$p"); then
                # A copied profile is the tree's data, not the tool's output: name it, don't dump it.
                printf '%s file %s copy of %s\n' "$path" "$(stat -c %a "$p")" "$profile"
            elif [ -f "$p" ]; then
                printf '%s file %s %s %s\n' "$path" "$(stat -c %a "$p")" "$(stat -c %s "$p")" "$(sha256sum <"$p" | cut -c1-16)"
                case "$path" in *.conf) sed 's/^/    | /' "$p" ;; esac
            else
                printf '%s %s %s\n' "$path" "$(stat -c %F "$p")" "$(stat -c %a "$p")"
            fi
        done
    done | normalise
}

run_one() {  # run_one NAME NEEDS SETUP ARGS
    local name=$1 needs=$2 setup_steps=$3 argline=$4 args rc out=$OUT/$1.result
    if [ "$needs" = pid1 ] && { [ "$PID1" = 0 ] || ! live_pid1; }; then
        printf 'skipped: needs a running PID 1\n' >"$out"
        return
    fi
    reset_state
    sleep 0.01
    touch "$MARK"
    sleep 0.01
    setup "${setup_steps//@I/$IMAGES}" || { printf 'setup failed\n' >"$out"; return; }
    eval "args=(${argline//@I/$IMAGES})"
    timeout "$TIMEOUT" "${TOOL[@]}" "${args[@]}" </dev/null >"$OUT/.stdout" 2>"$OUT/.stderr"
    rc=$?
    [ $rc = 124 ] && rc=timeout
    {
        printf 'command: %s\nexit: %s\nstdout:\n' "$argline" "$rc"
        normalise <"$OUT/.stdout"
        # portablectl prints the change list on stderr, after the informational first line.
        printf 'stderr:\n'
        normalise <"$OUT/.stderr"
        printf 'tree:\n'
        snapshot
    } >"$out"
    cp "$OUT/.stderr" "$OUT/$name.stderr"
}

count=0
while IFS=$'\t' read -r name needs setup_steps argline; do
    case "$name" in '' | '#'*) continue ;; esac
    [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]] && continue
    run_one "$name" "$needs" "${setup_steps#-}" "$argline"
    count=$((count + 1))
done <"$SCENARIOS"
reset_state
rm -f "$OUT/.stdout" "$OUT/.stderr"
echo "run.sh: $count scenarios with ${TOOL[*]} → $OUT" >&2
