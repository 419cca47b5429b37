#!/usr/bin/env python3
"""`perf script` text (stdin) to a flame graph SVG (stdout), with no tool outside Python's standard library.

Each sample's stack is folded into one `root;...;leaf` line and counted; every frame becomes a box as wide
as the share of samples that passed through it, callers below, callees above. Swift symbols are shortened
(argument labels, generic clauses and module prefixes dropped) so the boxes stay readable.
  perf script | flamegraph.py --binary EXE --demangler swift-demangle --title TITLE > out.svg
--binary: frames perf left unresolved in EXE (its symbol reader fails on some static executables) are
looked up in `nm`'s symbol table; --demangler: a `swift-demangle` to run every frame through.
"""

import argparse
import bisect
import html
import os
import re
import subprocess
import sys
from collections import Counter


class SymbolTable:
    """`nm` symbols of one executable, for addresses perf printed relative to its first LOAD segment."""

    def __init__(self, binary):
        self.path = os.path.realpath(binary)
        load = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout
        first = next(line.split() for line in load.splitlines() if line.strip().startswith("LOAD"))
        self.base = int(first[2], 16) - int(first[1], 16)
        listing = subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True).stdout
        entries = []
        for line in listing.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[1] in "tTwW":
                entries.append((int(parts[0], 16), parts[2]))
        self.addresses = [address for address, _ in entries]
        self.names = [name for _, name in entries]

    def lookup(self, relative):
        index = bisect.bisect_right(self.addresses, relative + self.base) - 1
        return self.names[index] if index >= 0 else None


def frames_of(perf_script, table):
    """Yields each sample's stack, outermost frame first."""
    stack = []
    for line in perf_script:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield list(reversed(stack))
            stack = []
        elif line.startswith((" ", "\t")):
            # "    addr symbol+0xoff (dso)"
            parts = line.strip().split(" ", 1)
            symbol = parts[1] if len(parts) > 1 else parts[0]
            dso = re.search(r"\(([^()]*)\)$", symbol)
            symbol = re.sub(r"\s+\([^()]*\)$", "", symbol)
            symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
            if symbol == "[unknown]" and table and dso and os.path.realpath(dso.group(1)) == table.path:
                symbol = table.lookup(int(parts[0], 16)) or symbol
            if symbol == "[unknown]" and dso and dso.group(1) == "[unknown]":
                continue  # the end of a frame-pointer chain
            stack.append(symbol)
    if stack:
        yield list(reversed(stack))


def demangled(symbols, demangler):
    """Maps each symbol to its `swift-demangle --simplified` form (itself when the tool is missing)."""
    unique = sorted(symbols)
    try:
        out = subprocess.run(
            [demangler, "--simplified"], input="\n".join(unique) + "\n", capture_output=True, text=True
        ).stdout.splitlines()
    except OSError as error:
        print(f"flamegraph.py: no demangling ({error})", file=sys.stderr)
        out = []
    return dict(zip(unique, out)) if len(out) == len(unique) else {name: name for name in unique}


def from_main(stack):
    """Drops the C start-up frames below main (an unresolved `_start` would show as a random symbol)."""
    for index, frame in enumerate(stack):
        if frame == "__libc_start_call_main":
            return stack[index + 1 :]
    return stack


def shorten(symbol):
    if symbol in ("[unknown]", ""):
        return "[unknown]"
    symbol = re.sub(r"^(merged |specialized |partial apply for |closure #\d+ in )+", "", symbol)
    # Drop parenthesised argument lists and generic clauses, innermost first.
    previous = None
    while previous != symbol:
        previous = symbol
        symbol = re.sub(r"\([^()]*\)", "", symbol)
        symbol = re.sub(r"<[^<>]*>", "", symbol)
    symbol = re.sub(r" -> .*$", "", symbol)
    symbol = re.sub(r"\b(Swift|Varlink|VarlinkJSON|SystemCalls)\.", "", symbol)
    return symbol.strip() or "[unknown]"


def build_tree(folded):
    root = {"name": "all", "count": 0, "children": {}}
    for stack, count in folded.items():
        root["count"] += count
        node = root
        for frame in stack:
            node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
            node["count"] += count
    return root


def color(name):
    h = sum(ord(c) for c in name)
    if "swift_" in name or "malloc" in name or "free" in name or "_int_" in name:
        return f"rgb(230,{120 + h % 60},{40 + h % 40})"
    if "JSON" in name:
        return f"rgb({80 + h % 40},{150 + h % 50},220)"
    return f"rgb(240,{160 + h % 70},{50 + h % 50})"


def render(root, title, width=1200, row=16, min_width=0.3):
    depth = 0

    def measure(node, level):
        nonlocal depth
        depth = max(depth, level)
        for child in node["children"].values():
            measure(child, level + 1)

    measure(root, 0)
    height = (depth + 1) * row + 40
    scale = (width - 20) / max(root["count"], 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#f8f8f8"/>',
        f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">{html.escape(title)}</text>',
    ]

    def draw(node, x, level):
        w = node["count"] * scale
        if w < min_width:
            return
        y = height - (level + 1) * row - 4
        pct = 100.0 * node["count"] / max(root["count"], 1)
        label = f'{node["name"]} ({node["count"]} samples, {pct:.2f}%)'
        out.append(
            f'<g><title>{html.escape(label)}</title><rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{row - 1}" '
            f'fill="{color(node["name"])}" rx="2"/>'
        )
        chars = int(w / 6.6)
        if chars >= 3:
            text = node["name"] if len(node["name"]) <= chars else node["name"][: chars - 2] + ".."
            out.append(f'<text x="{x + 3:.2f}" y="{y + row - 4}">{html.escape(text)}</text>')
        out.append("</g>")
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(child, child_x, level + 1)
            child_x += child["count"] * scale

    draw(root, 10, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--title", default="flame graph")
    parser.add_argument("--folded", help="also write the folded stacks to this file")
    parser.add_argument("--binary", help="resolve unresolved frames of this executable with nm")
    parser.add_argument("--demangler", help="swift-demangle, run over every frame")
    args = parser.parse_args()
    table = SymbolTable(args.binary) if args.binary else None
    raw = Counter(tuple(from_main(stack)) for stack in frames_of(sys.stdin, table))
    names = demangled({frame for stack in raw for frame in stack}, args.demangler) if args.demangler else {}
    folded = Counter()
    for stack, count in raw.items():
        folded[tuple(shorten(names.get(frame, frame)) for frame in stack)] += count
    if args.folded:
        with open(args.folded, "w") as f:
            for stack, count in sorted(folded.items(), key=lambda item: -item[1]):
                f.write(";".join(stack) + f" {count}\n")
    sys.stdout.write(render(build_tree(folded), args.title))


if __name__ == "__main__":
    main()
