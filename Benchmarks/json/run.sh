#!/bin/sh
# Builds and runs the JSON benchmark (-O, VarlinkJSON as its own module, as in the server).
# Usage: Benchmarks/json/run.sh   (from anywhere; build output in .build-json-bench/)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/.build-json-bench"
mkdir -p "$out"
swiftc=${SWIFTC:-swiftc}
features="-enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility -enable-upcoming-feature InternalImportsByDefault"
# shellcheck disable=SC2086
"$swiftc" -O -wmo -parse-as-library -module-name VarlinkJSON $features \
    -emit-module -emit-module-path "$out/VarlinkJSON.swiftmodule" -emit-library -static \
    -o "$out/libVarlinkJSON.a" "$root"/Sources/VarlinkJSON/*.swift
"$swiftc" -O -wmo -module-name JSONBench -I "$out" -I "$root/Sources/CJSONC" \
    "$root"/Benchmarks/json/*.swift -L "$out" -lVarlinkJSON -ljson-c -o "$out/json-bench"
"$out/json-bench"
