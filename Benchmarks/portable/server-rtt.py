#!/usr/bin/env python3
"""berthd's own share of a verb: one raw Varlink call per connection, timed from connect to reply.

Runs inside the lab container against the socket-activated berthd (scripts/bench-portable.sh with
KEEP_RUNNING=1 sets it up), with nothing but the standard library:
    python3 /srv/share/bin/server-rtt.py [IMAGE] [ROUNDS]
Prints the median and minimum per method, in ms. Subtract from berthctl's figure to get the client's.
"""
import json
import socket
import sys
import time

ADDRESS = "/run/berth/io.berth.Portable"
IMAGE = sys.argv[1] if len(sys.argv) > 1 else "/srv/share/images/foo"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 31


def call(method, parameters):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    start = time.perf_counter()
    connection.connect(ADDRESS)
    connection.sendall(json.dumps({"method": method, "parameters": parameters}).encode() + b"\0")
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = connection.recv(65536)
        if not chunk:
            raise SystemExit(f"{method}: connection closed")
        reply += chunk
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    if b'"error"' in reply[:12]:
        raise SystemExit(f"{method}: {reply[:300]!r}")
    return elapsed


flags = {"runtime": True, "noReload": True}
cases = {
    "AttachImage": lambda: call("io.berth.Portable.AttachImage", {"image": IMAGE, **flags}),
    "DetachImage": lambda: call("io.berth.Portable.DetachImage", {"image": IMAGE, **flags}),
    "InspectImage": lambda: call("io.berth.Portable.InspectImage", {"image": IMAGE}),
    "ListImages": lambda: call("io.berth.Portable.ListImages", {}),
}
times = {name: [] for name in cases}
for _ in range(ROUNDS + 1):  # the first round warms up
    for name, run in cases.items():
        times[name].append(run())
for name, values in times.items():
    counted = sorted(values[1:])
    print(f"{name:14} median {counted[len(counted) // 2]:.2f} ms  min {counted[0]:.2f} ms")
