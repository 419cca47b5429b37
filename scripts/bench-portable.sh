#!/bin/bash
# berthctl vs systemd 257's portablectl, side by side in the lab container (Tests/e2e/lab).
#   scripts/bench-portable.sh                 build, boot, images, measure, write Benchmarks/portable/RESULTS.md
#   N=30 scripts/bench-portable.sh            more runs per case (default 15)
#   SKIP_BUILD=1 scripts/bench-portable.sh    reuse the last release build
#   BUILD_FROM_COPY=1 …                       build a snapshot of the tree (others are editing it)
#   BIN_DIR=DIR …                             use berthctl and berthd from DIR, no build
#   KEEP_RUNNING=1 …                          leave the container booted afterwards
# Env: LAB / CT (lab state dir and container; default /var/tmp/berth-lab, berth-bench: the e2e's base
# tree, a container of its own), SUITE (sid: systemd 262, in its own LAB), SCRATCH (build dir, default
# .build-pbench), RESULTS (output file). A running container is reused; else a fresh one is set up and booted.
# Every verb runs as `--runtime --no-reload`; whole CLI processes are timed inside the container
# (Benchmarks/portable/run-in-container.sh). berthd is socket-activated there by a real PID 1.
set -euo pipefail
# Release builds with the tuned flags (Package.swift, BERTH_TUNED_RELEASE).
export BERTH_TUNED_RELEASE=1
cd "$(dirname "$0")/.."
REPO=$(pwd)
export LAB=${LAB:-/var/tmp/berth-lab} CT=${CT:-berth-bench}
LAB_DIR=$REPO/Tests/e2e/lab
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build-pbench}
RESULTS=${RESULTS:-$REPO/Benchmarks/portable/RESULTS.md}
N=${N:-15}
LIST_IMAGES=${LIST_IMAGES:-400}
SHARE=$LAB/share
CTROOT=$LAB/$CT
say() { printf '[bench-portable] %s\n' "$*" >&2; }
ctexec() { "$LAB_DIR/exec.sh" "$@"; }

# 1. Release build: a static Swift runtime, so the binaries need only the container's glibc and
#    its libsystemd/libcryptsetup (trixie has both). BUILD_FROM_COPY=1 builds a snapshot of the tree
#    (in $COPY_DIR), for when others edit sources mid-build ("input file … was modified during the
#    build"). BIN_DIR=DIR skips the build and takes berthctl and berthd from DIR.
if [ -n "${BIN_DIR:-}" ]; then
    BINDIR=$BIN_DIR
else
    SRC=$REPO
    if [ -n "${BUILD_FROM_COPY:-}" ]; then
        SRC=${COPY_DIR:-/var/tmp/berth-bench-portable-src}
        mkdir -p "$SRC"
        find "$SRC" -mindepth 1 -maxdepth 1 ! -name "$(basename "$SCRATCH")" -exec rm -rf {} +
        tar -C "$REPO" --exclude='./.build*' --exclude=./.git --exclude=./fuzz-out -cf - . | tar -C "$SRC" -xf -
    fi
    . scripts/require-swift.sh
    FLAGS=(--package-path "$SRC" -c release --static-swift-stdlib --scratch-path "$SRC/$SCRATCH")
    if [ -z "${SKIP_BUILD:-}" ]; then
        say "building berthctl and berthd in $SRC (release, static Swift stdlib)"
        "$SWIFT" build "${FLAGS[@]}" --product berthctl
        "$SWIFT" build "${FLAGS[@]}" --product berthd
    fi
    BINDIR=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
fi

# 2. Boot the container (no-op when it runs) and share the binaries, profiles and the runner.
BOOTED_HERE=
p=$(cat "$LAB/run/$CT.nspawn.pid" 2> /dev/null || true)
if [ -z "$p" ] || [ "$(cat "/proc/$p/comm" 2> /dev/null)" != systemd-nspawn ]; then BOOTED_HERE=1; fi
[ -n "$BOOTED_HERE" ] && "$LAB_DIR/setup.sh" >&2
"$LAB_DIR/boot.sh" >&2
cleanup() {
    rm -rf "$CTROOT/var/lib/portables/pbench-"* "$SHARE/images/foo_1m" "$SHARE/images/foo_200m" 2> /dev/null || true
    if [ -z "${KEEP_RUNNING:-}" ] && [ -n "${BOOTED_HERE:-}" ]; then "$LAB_DIR/stop.sh" >&2 || true; fi
}
trap cleanup EXIT
# A berthd left running by an earlier run keeps its binary busy ("Text file busy"): stop it first.
ctexec systemctl stop berthd.service berthd.socket > /dev/null 2>&1 || true
mkdir -p "$SHARE/bin"
cp -a "$BINDIR/berthctl" "$BINDIR/berthd" Benchmarks/portable/run-in-container.sh Benchmarks/portable/server-rtt.py \
    "$SHARE/bin/"
rm -rf "$SHARE/profiles" && cp -a profiles "$SHARE/profiles"

# 3. berthd, socket-activated by the container's PID 1 on its default address.
ctexec sh -c 'mkdir -p /run/systemd/system
printf "[Socket]\nListenStream=/run/berth/io.berth.Portable\nFileDescriptorName=varlink\nSocketMode=0666\nDirectoryMode=0755\nRemoveOnStop=yes\n" > /run/systemd/system/berthd.socket
printf "[Unit]\nRequires=berthd.socket\nAfter=berthd.socket\n[Service]\nType=notify\nExecStart=/srv/share/bin/berthd --profile-directory=/srv/share/profiles --idle-timeout=600\n" > /run/systemd/system/berthd.service
systemctl daemon-reload && systemctl restart berthd.socket' >&2

# 4. Images: the e2e's demo images (foo/ and foo.raw), payload variants, and many small ones for list.
Tests/e2e/mkimages.sh "$SHARE/images" >&2
for size in 1 200; do
    d=$SHARE/images/foo_${size}m
    rm -rf "$d" && cp -a "$SHARE/images/foo" "$d"
    head -c $((size * 1024 * 1024)) /dev/urandom > "$d/usr/lib/payload.bin"
done
rm -rf "$CTROOT/var/lib/portables/pbench-"*
mkdir -p "$CTROOT/var/lib/portables"
for ((i = 1; i <= LIST_IMAGES; i++)); do
    d=$CTROOT/var/lib/portables/pbench-$i
    mkdir -p "$d/usr/lib/systemd/system"
    printf 'ID=pbench\nVERSION_ID=%d\nPORTABLE_PREFIXES=pbench-%d\n' "$i" "$i" > "$d/usr/lib/os-release"
    printf '[Service]\nExecStart=/bin/true\n' > "$d/usr/lib/systemd/system/pbench-$i.service"
done
sync

# 5. Measure.
say "measuring (N=$N per case; this takes a few minutes)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
TSV=$(mktemp)
ctexec env N="$N" bash /srv/share/bin/run-in-container.sh all > "$TSV"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# berthd's own share of each verb: raw Varlink calls from python, connect to reply.
SERVER_RTT=$(ctexec python3 /srv/share/bin/server-rtt.py /srv/share/images/foo 31 2>&1 || true)
VERSION=$(ctexec portablectl --version | head -n1)
cp "$TSV" "$REPO/Benchmarks/portable/last-run.tsv"

# 6. RESULTS.md: the table, and each berthctl mode's ratio against portablectl and its target.
awk -F'\t' -v started="$STARTED" -v lb="$LOAD_BEFORE" -v la="$LOAD_AFTER" -v n="$N" \
    -v version="$VERSION" -v nimg="$LIST_IMAGES" -v cpus="$(nproc)" '
# The performance issue targets: inspect and list alone; attach and detach as a pair (the table after).
function target(c) { return (c == "dir-inspect") ? 0.5 : (c == "list-400" ? 0.4 : (c == "raw-inspect" ? 1 / 3 : 0)) }
function tname(c) {
  if (c ~ /^payload/) return "flat in size"
  if (c ~ /^startup/) return "(floor)"
  if (c ~ /-(attach|detach)$/) return "(as a pair)"
  return (c == "raw-inspect") ? "≤ 1/3" : sprintf("≤ %.1f×", target(c))
}
{ key = $1 SUBSEP $2; med[key] = $4; mn[key] = $5; mx[key] = $6; st[key] = $7; msg[key] = $8
  if (!($1 in seen)) { seen[$1] = 1; cases[++nc] = $1 }
  if (!($2 in tseen)) { tseen[$2] = 1; tools[++nt] = $2 } }
END {
  print "# berthctl vs portablectl (systemd 257) in the lab container"
  print ""
  printf "Run %s by `scripts/bench-portable.sh`; host load average %s before, %s after (%s CPUs, shared by other helpers:\n", started, lb, la, cpus
  print "expect noise). Reference: " version ". Every verb `--runtime --no-reload`, whole CLI process"
  printf "timed inside the container, the tools interleaved run by run, median of %d runs (min–max) after one\n", n
  print "warm-up. berthctl-daemon = berthctl talking to berthd (socket-activated by PID 1 on"
  print "/run/berth/io.berth.Portable); berthctl-root = `berthctl --root=/`, the engine in process."
  printf "`list-400` lists %d small directory images in /var/lib/portables. Payload images: foo plus a\n", nimg
  print "1 MiB or 200 MiB random file."
  print ""
  printf "| case | tool | median ms | min–max ms | ratio vs portablectl | target | status |\n"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= nc; i++) {
    c = cases[i]; ref = c SUBSEP "portablectl"
    for (j = 1; j <= nt; j++) {
      t = tools[j]; k = c SUBSEP t
      if (!(k in st)) continue
      ratio = "—"; tg = ""
      if (t != "portablectl") {
        tg = tname(c)
        if (st[k] == "ok" && st[ref] == "ok" && med[ref] > 0) {
          r = med[k] / med[ref]
          ratio = sprintf("%.2f×", r)
          if (target(c) > 0) ratio = ratio ((r <= target(c)) ? " (met)" : " (missed)")
        }
      }
      s = (st[k] == "ok") ? "ok" : "FAIL"
      if (st[k] == "ok") printf "| %s | %s | %s | %s–%s | %s | %s | %s |\n", c, t, med[k], mn[k], mx[k], ratio, tg, s
      else printf "| %s | %s | — | — | — | %s | %s |\n", c, t, tg, s
    }
  }
  print ""
  print "Attach and detach as a pair (sums of the two medians above; target ≤ 0.4× for a directory, ≤ 0.15× for squashfs):"
  print ""
  print "| image | tool | attach + detach ms | ratio vs portablectl | status |"
  print "|---|---|---|---|---|"
  split("dir raw", kinds, " "); limit["dir"] = 0.4; limit["raw"] = 0.15
  for (q = 1; q <= 2; q++) for (j = 1; j <= nt; j++) {
    t = tools[j]; a = kinds[q] "-attach" SUBSEP t; d = kinds[q] "-detach" SUBSEP t
    ra = kinds[q] "-attach" SUBSEP "portablectl"; rd = kinds[q] "-detach" SUBSEP "portablectl"
    if (!((a in st) && (d in st)) || st[a] != "ok" || st[d] != "ok") continue
    sum = med[a] + med[d]; ratio = "—"
    if (t != "portablectl" && st[ra] == "ok" && st[rd] == "ok") {
      r = sum / (med[ra] + med[rd])
      ratio = sprintf("%.2f× (%s)", r, (r <= limit[kinds[q]]) ? "met" : "missed")
    }
    printf "| %s | %s | %.1f | %s | ok |\n", (kinds[q] == "dir") ? "directory" : "squashfs", t, sum, ratio
  }
  print ""
  print "Payload size (issue 6: attach/detach must not grow with it): 200 MiB ÷ 1 MiB median per tool"
  print ""
  print "| tool | attach 200 MiB ÷ 1 MiB | detach 200 MiB ÷ 1 MiB |"
  print "|---|---|---|"
  for (j = 1; j <= nt; j++) {
    t = tools[j]; line = "| " t
    split("attach detach", verbs, " ")
    for (v = 1; v <= 2; v++) {
      a = "payload-1MiB-" verbs[v] SUBSEP t; b = "payload-200MiB-" verbs[v] SUBSEP t
      line = line " | " (((a in st) && (b in st) && st[a] == "ok" && st[b] == "ok" && med[a] > 0) ? sprintf("%.2f", med[b] / med[a]) : "—")
    }
    print line " |"
  }
  nf = 0
  for (k in st) if (st[k] != "ok") nf++
  if (nf) {
    print ""; print "## Failures (exact messages)"; print ""
    for (i = 1; i <= nc; i++) for (j = 1; j <= nt; j++) {
      k = cases[i] SUBSEP tools[j]
      if ((k in st) && st[k] != "ok") printf "- %s / %s: %s\n", cases[i], tools[j], msg[k]
    }
  }
}' "$TSV" > "$RESULTS"
rm -f "$TSV"
{
    echo
    echo "berthd's own share (\`Benchmarks/portable/server-rtt.py\`: one raw Varlink call per connection from"
    echo "python in the container, connect to reply, median of 31; ListImages over the same $LIST_IMAGES images):"
    echo
    echo '```'
    echo "$SERVER_RTT"
    echo '```'
} >> "$RESULTS"
ctexec sh -c 'systemctl stop berthd.service berthd.socket; rm -f /run/systemd/system/berthd.s*; systemctl daemon-reload' >&2 || true
say "wrote $RESULTS"
# Hand-written observations live in NOTES.md next to it; append them so the file stays one read.
[ -f "$REPO/Benchmarks/portable/NOTES.md" ] && { echo; cat "$REPO/Benchmarks/portable/NOTES.md"; } >> "$RESULTS"
cat "$RESULTS"
