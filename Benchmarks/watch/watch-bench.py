#!/usr/bin/python3
# WatchImages figures against a running berthd (--root=ROOT --listen=unix:SOCKET):
#   latency   N hand-made changes in ROOT's pool (an image directory appears, then goes); for each, the
#             time from just before the change to the watcher reading its event (added / removed)
#   watchers  RSS of berthd before and after COUNT watchers connect (each has read its snapshot)
#   attach    the median of RUNS `berthctl attach` + `detach` pairs, without and then with COUNT watchers
#   churn     under a real PID 1: berthd's CPU time while PID 1 starts CHURN_UNIT (a oneshot unrelated to
#             any image) CHURN times, with IMAGE attached and one watcher connected
# Usage: watch-bench.py SOCKET ROOT BERTHD_PID BERTHCTL IMAGE [N] [COUNT] [RUNS] [CHURN] [CHURN_UNIT]
#   N=0 skips the latency part, CHURN=0 (the default) the churn part; BERTHD_PID=systemd reads
#   berthd.service's MainPID once the first watcher has started it (socket activation under a real
#   PID 1, where the Python lacks `statistics`).
import json
import os
import socket
import subprocess
import sys
import time

sock_path, root, pid, berthctl, image = sys.argv[1:6]
N = int(sys.argv[6]) if len(sys.argv) > 6 else 101
COUNT = int(sys.argv[7]) if len(sys.argv) > 7 else 1000
RUNS = int(sys.argv[8]) if len(sys.argv) > 8 else 21
CHURN = int(sys.argv[9]) if len(sys.argv) > 9 else 0
CHURN_UNIT = sys.argv[10] if len(sys.argv) > 10 else "berth-bench-churn.service"
CALL = json.dumps({"method": "io.berth.Portable.WatchImages", "more": True}).encode() + b"\0"


class Watcher:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(sock_path)
        self.s.sendall(CALL)
        self.buffer = b""

    def next_event(self, timeout=5):
        self.s.settimeout(timeout)
        while b"\0" not in self.buffer:
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise SystemExit("berthd closed the watcher")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        reply = json.loads(message)
        if "error" in reply:
            raise SystemExit("WatchImages failed: %s" % reply)
        return reply["parameters"]["event"]

    def drain(self):
        """Reads whatever arrived (snapshots, events of other changes) without waiting."""
        self.s.setblocking(False)
        try:
            while True:
                chunk = self.s.recv(1 << 16)
                if not chunk:
                    break
                self.buffer += chunk
        except BlockingIOError:
            pass
        self.s.setblocking(True)
        self.buffer = self.buffer[self.buffer.rfind(b"\0") + 1:]


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def rss_kib():
    with open("/proc/%s/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit("no VmRSS for berthd")


def cpu_ms():
    """berthd's user + system CPU time so far (clock ticks, so 10 ms steps where USER_HZ is 100)."""
    with open("/proc/%s/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def wait_for(watcher, kind, name):
    while True:
        event = watcher.next_event()
        if event["kind"] == kind and event["image"] == name:
            return time.monotonic_ns()


def timed_attach_detach():
    start = time.monotonic_ns()
    for verb in (["attach", image], ["detach", os.path.basename(image)]):
        subprocess.run([berthctl, "--address=" + sock_path, "-q"] + verb, check=True, stdout=subprocess.DEVNULL)
    return (time.monotonic_ns() - start) / 1e6


pool = os.path.join(root, "var/lib/portables")
# This watcher also keeps a socket-activated berthd running through the whole benchmark.
watcher = Watcher()
time.sleep(0.5)
watcher.drain()
if pid == "systemd":
    pid = subprocess.run(["systemctl", "show", "--property=MainPID", "--value", "berthd.service"],
                         check=True, capture_output=True, text=True).stdout.strip()
latencies = []
for index in range(N):
    name = "bench%d" % index
    path = os.path.join(pool, name)
    start = time.monotonic_ns()
    os.makedirs(path + "/usr/lib")
    with open(path + "/usr/lib/os-release", "w") as release:
        release.write("ID=bench\n")
    latencies.append((wait_for(watcher, "added", name) - start) / 1e6)
    subprocess.run(["rm", "-rf", path], check=True)
    wait_for(watcher, "removed", name)
latencies.sort()
if N:
    print("event latency, hand-made change -> watcher's reply: median %.1f ms, p90 %.1f ms, max %.1f ms (%d changes)"
          % (median(latencies), latencies[int(len(latencies) * 0.9)], latencies[-1], N))

def run(*command):
    subprocess.run(list(command), check=True, stdout=subprocess.DEVNULL)


if CHURN:
    run(berthctl, "--address=" + sock_path, "-q", "attach", image)
    wait_for(watcher, "attached", os.path.basename(image))
    time.sleep(0.5)
    watcher.drain()
    before_cpu, start = cpu_ms(), time.monotonic_ns()
    for _ in range(CHURN):
        run("systemctl", "start", CHURN_UNIT)
    elapsed = (time.monotonic_ns() - start) / 1e6
    time.sleep(0.5)  # the last comparison, if any, settles
    spent = cpu_ms() - before_cpu
    print("unrelated unit churn, %d starts of %s in %.0f ms with %s attached and 1 watcher: berthd CPU %.0f ms"
          " (%.2f ms per start)" % (CHURN, CHURN_UNIT, elapsed, os.path.basename(image), spent, spent / CHURN))
    run(berthctl, "--address=" + sock_path, "-q", "detach", os.path.basename(image))
    wait_for(watcher, "detached", os.path.basename(image))
    watcher.drain()

alone = sorted(timed_attach_detach() for _ in range(RUNS))
before = rss_kib()
crowd = [Watcher() for _ in range(COUNT)]
time.sleep(1.0)
for each in crowd:
    each.drain()
after = rss_kib()
print("%d watchers connected: berthd RSS %.1f MiB -> %.1f MiB (+%.1f MiB)"
      % (COUNT, before / 1024, after / 1024, (after - before) / 1024))
crowded = []
for _ in range(RUNS):
    crowded.append(timed_attach_detach())
    for each in crowd:
        each.drain()
crowded.sort()
print("attach + detach via berthd, median of %d: %.1f ms alone, %.1f ms with %d watchers (%+.1f %%)"
      % (RUNS, median(alone), median(crowded), COUNT, (median(crowded) / median(alone) - 1) * 100))
watcher.drain()
for each in crowd + [watcher]:
    each.s.close()
