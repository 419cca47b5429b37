#!/usr/bin/env python3
"""Which sections of an executable a running process holds resident.

    resident.py PID BINARY [MIN_KIB]

Reads the process's page table (/proc/PID/pagemap, root only) over the mapping of BINARY and prints, per
ELF section, the KiB mapped into the process against the section's size, largest first (sections with at
least MIN_KIB resident, default 16). A page counts when it is present in the page table: touched, or mapped
around a touched page by the kernel's fault-around (64 KiB of a cached file per fault), which is why the
order of functions in .text matters (scripts/link-order.sh).
"""
import os
import re
import struct
import subprocess
import sys

PAGE = 4096


def sections(binary):
    """(name, virtual address, size) of every allocated section, from readelf."""
    listing = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    found = []
    for line in listing.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if match and int(match.group(2), 16) > 0 and int(match.group(3), 16) > 0:
            found.append((match.group(1), int(match.group(2), 16), int(match.group(3), 16)))
    return found


def load_base(pid, binary):
    """Where the process mapped the binary's first byte (a PIE's load address)."""
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fields[5] == binary and int(fields[2], 16) == 0:
                return int(fields[0].split("-")[0], 16)
    sys.exit(f"resident.py: {binary} is not mapped by process {pid}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pid, binary = int(sys.argv[1]), os.path.realpath(sys.argv[2])
    minimum = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    base = load_base(pid, binary)
    rows = []
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for name, address, size in sections(binary):
            first, last = (base + address) // PAGE, (base + address + size - 1) // PAGE
            pagemap.seek(first * 8)
            entries = pagemap.read((last - first + 1) * 8)
            present = sum(1 for i in range(last - first + 1) if struct.unpack_from("<Q", entries, i * 8)[0] >> 63)
            rows.append((present * PAGE // 1024, size // 1024, name))
    for resident, size, name in sorted(rows, reverse=True):
        if resident >= minimum:
            print(f"  {name}: {resident} KiB resident of {size} KiB")


main()
