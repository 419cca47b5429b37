#!/bin/sh
# Builds every libFuzzer target under Fuzz/ and runs each for SECONDS (default 10).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Each target is Fuzz/<target>/main.swift plus Fuzz/<target>/modules, which lists the
# project modules it needs, in dependency order (see Fuzz/README.md). Every module is compiled
# with swiftc/clang -sanitize=fuzzer,address (coverage + ASan) as its own module, so `import`
# works exactly as in the package; then main.swift is linked against them with libFuzzer.
# Environment: FUZZ_RUNS=N stops after N executions; FUZZ_FLAGS adds libFuzzer flags;
# FUZZ_JOBS unused (one process per target, 2-core machines).
# Exit status: non-zero if any target crashed, leaked, timed out or failed to build.
# Findings go to fuzz-out/<target>/ (crash-*, leak-*, timeout-*), plus the grown corpus.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-10}
[ $# -gt 0 ] && shift
build="$root/.build-fuzz"
out="$root/fuzz-out"
. "$root/scripts/require-swift.sh"
swiftc=${SWIFTC:-swiftc}
clang=${CLANG:-clang}
features="-enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault"
mkdir -p "$build/modules" "$out"

targets="$*"
if [ -z "$targets" ]; then
    for dir in "$root"/Fuzz/*/; do
        [ -f "$dir/main.swift" ] && targets="$targets $(basename "$dir")"
    done
fi

built=" "
# build_module KIND NAME [ARGS...]: compiles one module into $build/modules once per run.
build_module() {
    kind=$1 name=$2
    shift 2
    case "$built" in *" $name "*) return 0 ;; esac
    case "$kind" in
    swift)
        # shellcheck disable=SC2086
        "$swiftc" -sanitize=fuzzer,address -O -g -parse-as-library -wmo -module-name "$name" $features \
            -I "$build/modules" $modulemaps -emit-module -emit-module-path "$build/modules/$name.swiftmodule" \
            -emit-library -static -o "$build/modules/lib$name.a" "$root/Sources/$name"/*.swift
        # Static archives lose Swift's autolinking (Glibc, Synchronization, …): recover it.
        autolink=$(swift-autolink-extract "$build/modules/lib$name.a" -o - | tr '\n' ' ')
        linkflags="$linkflags -l$name"
        extraflags="$extraflags $autolink"
        ;;
    c)
        # A SwiftPM C target: headers in include/, sources beside them; give it a module map.
        mkdir -p "$build/modules/$name.include"
        umbrella="$root/Sources/$name/include/$name.h"
        printf 'module %s {\n    umbrella header "%s"\n    export *\n}\n' "$name" "$umbrella" \
            >"$build/modules/$name.include/module.modulemap"
        objects=""
        for source in "$root/Sources/$name"/*.c; do
            object="$build/modules/$name.$(basename "$source" .c).o"
            "$clang" -fsanitize=fuzzer-no-link,address -O1 -g -I "$root/Sources/$name/include" -c "$source" -o "$object"
            objects="$objects $object"
        done
        # shellcheck disable=SC2086
        ar rcs "$build/modules/lib$name.a" $objects
        modulemaps="$modulemaps -I $build/modules/$name.include"
        linkflags="$linkflags -l$name"
        ;;
    system)
        # A system library target: its module.modulemap lives in Sources/<name>; ARGS are libraries.
        modulemaps="$modulemaps -I $root/Sources/$name"
        for library in "$@"; do linkflags="$linkflags -l$library"; done
        ;;
    *)
        echo "fuzz: unknown module kind '$kind' for $name" >&2
        return 1
        ;;
    esac
    built="$built$name "
}

status=0
for target in $targets; do
    dir="$root/Fuzz/$target"
    if [ ! -f "$dir/main.swift" ] || [ ! -f "$dir/modules" ]; then
        echo "fuzz: $target: needs Fuzz/$target/main.swift and Fuzz/$target/modules" >&2
        status=1
        continue
    fi
    echo "== fuzz $target: building"
    linkflags="" modulemaps="" extraflags=""
    built=" "
    failed=0
    # shellcheck disable=SC2086
    while read -r kind name rest; do
        case "$kind" in "" | "#"*) continue ;; esac
        build_module "$kind" "$name" $rest || { failed=1; break; }
    done <"$dir/modules"
    if [ $failed -eq 0 ]; then
        # Later modules may depend on earlier ones: link in reverse order of listing.
        reversed=""
        for flag in $linkflags; do reversed="$flag $reversed"; done
        # shellcheck disable=SC2086
        "$swiftc" -sanitize=fuzzer,address -O -g -parse-as-library -module-name "FuzzTarget" $features \
            -I "$build/modules" $modulemaps "$dir"/*.swift -L "$build/modules" $reversed $extraflags \
            -use-ld=lld -o "$build/$target" || failed=1
    fi
    if [ $failed -ne 0 ]; then
        echo "fuzz: $target: build failed" >&2
        status=1
        continue
    fi
    mkdir -p "$out/$target/corpus"
    seeds="$root/Fuzz/corpus/$target"
    [ -d "$seeds" ] || seeds=""
    runs=""
    [ -n "${FUZZ_RUNS:-}" ] && runs="-runs=$FUZZ_RUNS"
    echo "== fuzz $target: running ${FUZZ_RUNS:+$FUZZ_RUNS executions, at most }${seconds}s"
    # shellcheck disable=SC2086
    if ! "$build/$target" -max_total_time="$seconds" $runs -max_len="${FUZZ_MAX_LEN:-8192}" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$target/" ${FUZZ_FLAGS:-} \
        "$out/$target/corpus" $seeds 2>"$out/$target/log"; then
        tail -n 40 "$out/$target/log" >&2
        echo "fuzz: $target: FAILED (artifacts in fuzz-out/$target/)" >&2
        status=1
        continue
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
        "$out/$target/log" | sed "s/^/   $target /"
    grep -E 'Done [0-9]+ runs' "$out/$target/log" | sed "s/^/   $target /" || true
done
exit $status
