#!/usr/bin/env python3
"""Load, per-UID cap, memory and fd-leak checks against a real berthd (unix socket only).

Phases (each bounded in calls and in time):
  concurrent  CONNS clients at once, split over several UIDs (the daemon's per-UID cap is 1024, as in
              sd-varlink, so 2,000 clients from one UID would be refused by design), each cycling
              ListImages / GetImage / GetImageState.
  cap         an unprivileged UID opens more connections than the per-UID cap and holds them; meanwhile
              root runs a normal client load, which must fully succeed.
  leak        10,000 calls over short-lived connections; the daemon's fd count must return to its baseline.
Prints one JSON document (and writes it with --json). Exit status 1 when a check fails.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../Tests/Reliability"))
from varlink_client import Connection, wait_for_socket  # noqa: E402

FLOOD_UID = 61017
LOAD_UIDS = [61011, 61012, 61013, 61014]


def build_images(root, count):
    for index in range(count):
        image = os.path.join(root, "var/lib/portables", f"load{index}_1")
        os.makedirs(os.path.join(image, "usr/lib/systemd/system"))
        with open(os.path.join(image, "usr/lib/os-release"), "w") as file:
            file.write(f"ID=debian\nVERSION_ID=12\nPRETTY_NAME=\"load {index}\"\n")
        with open(os.path.join(image, "usr/lib/systemd/system", f"load{index}.service"), "w") as file:
            file.write("[Service]\nExecStart=/bin/true\n")


def status_field(pid, field):
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def mount_count():
    with open("/proc/self/mountinfo") as file:
        return sum(1 for _ in file)


def loop_count():
    result = subprocess.run(["losetup", "-a"], capture_output=True, text=True)
    return len([line for line in result.stdout.splitlines() if line.strip()])


def as_uid(uid, command):
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"] + command


def run_clients(commands, timeout):
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        line = out.strip().splitlines()[-1] if out.strip() else "{}"
        result = json.loads(line)
        result["exit"] = process.returncode
        if err.strip():
            result["stderr"] = err.strip()[-300:]
        results.append(result)
    return results


def summed(results, *keys):
    return {key: sum(result.get(key, 0) for result in results) for key in keys}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--berthd", required=True)
    parser.add_argument("--client", required=True, help="the compiled berth-load binary")
    parser.add_argument("--profile-directory")
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--calls-per-connection", type=int, default=5)
    parser.add_argument("--leak-calls", type=int, default=10000)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--json")
    arguments = parser.parse_args()

    work = tempfile.mkdtemp(prefix="berth-rel-load.")
    os.chmod(work, 0o755)
    root = os.path.join(work, "root")
    socket_path = os.path.join(work, "berthd.sock")
    build_images(root, 8)
    # The unprivileged clients run the client binary from a copy they can read.
    client = os.path.join(work, "berth-load")
    shutil.copy(arguments.client, client)
    os.chmod(client, 0o755)

    def raise_fd_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (16384, 16384))

    command = [arguments.berthd, f"--listen=unix:{socket_path}", f"--root={root}", "--idle-timeout=0",
               "--log-target=console", "--log-level=error", "--no-pid1"]
    if arguments.profile_directory:
        command.append(f"--profile-directory={arguments.profile_directory}")
    daemon = subprocess.Popen(command, stdin=subprocess.DEVNULL, preexec_fn=raise_fd_limit)
    report = {"failures": []}
    failures = report["failures"]
    try:
        wait_for_socket(socket_path, process=daemon)
        os.chmod(socket_path, 0o666)  # so the unprivileged UIDs can connect (berthd.socket uses 0666 too)
        pid = daemon.pid
        warm = Connection(socket_path)
        for method, parameters in (("ListImages", {}), ("GetImage", {"image": "load0_1"}),
                                   ("GetImageState", {"image": "load0_1"})):
            warm.call(f"io.berth.Portable.{method}", parameters)
        warm.close()
        time.sleep(0.2)
        baseline = {"fds": fd_count(pid), "rssKiB": status_field(pid, "VmRSS"), "mounts": mount_count(),
                    "loops": loop_count(), "threads": status_field(pid, "Threads")}
        report["baseline"] = baseline

        # --- concurrent: CONNS clients at once, over several UIDs (root included) -----------------------
        uids = [0] + LOAD_UIDS
        share = arguments.connections // len(uids)
        commands = []
        for index, uid in enumerate(uids):
            count = share if index < len(uids) - 1 else arguments.connections - share * (len(uids) - 1)
            base = [client, "-c", str(count), "-n", str(arguments.calls_per_connection),
                    "-d", str(arguments.max_seconds), "-i", "load0_1", "-l", f"uid{uid}", socket_path]
            commands.append(base if uid == 0 else as_uid(uid, base))
        started = time.monotonic()
        results = run_clients(commands, timeout=arguments.max_seconds + 60)
        concurrent = summed(results, "connections", "connected", "connectFailures", "calls", "ok", "errors",
                            "dropped", "unfinished")
        concurrent["seconds"] = round(time.monotonic() - started, 3)
        concurrent["callsPerSecond"] = round(concurrent["calls"] / concurrent["seconds"])
        concurrent["p99MsWorstClient"] = max(result.get("p99Ms", 0) for result in results)
        concurrent["peakRssKiB"] = status_field(pid, "VmHWM")
        report["concurrent"] = concurrent
        report["concurrentClients"] = results
        if concurrent["ok"] != arguments.connections * arguments.calls_per_connection:
            failures.append(f"concurrent: {concurrent['ok']} of "
                            f"{arguments.connections * arguments.calls_per_connection} calls succeeded")

        # --- cap: one UID floods past the per-UID cap; root is still served ------------------------------
        flood_size = 1500
        flood = subprocess.Popen(as_uid(FLOOD_UID, [client, "-c", str(flood_size), "-H", "6", "-l", "flood",
                                                    socket_path]), stdout=subprocess.PIPE, text=True)
        flood_line = flood.stdout.readline()
        flood_result = json.loads(flood_line) if flood_line.strip() else {}
        victims = run_clients([[client, "-c", "200", "-n", "10", "-d", "30", "-i", "load1_1", "-l", "root-during-flood",
                                socket_path],
                               as_uid(LOAD_UIDS[0], [client, "-c", "200", "-n", "10", "-d", "30", "-i", "load1_1",
                                                     "-l", "other-uid-during-flood", socket_path])], timeout=90)
        flood.communicate(timeout=30)
        report["cap"] = {"flood": flood_result, "others": victims}
        held = flood_result.get("held", 0)
        if held > 1024:
            failures.append(f"cap: the flooding UID holds {held} connections, more than the cap of 1024")
        for victim in victims:
            if victim.get("ok") != 2000:
                failures.append(f"cap: {victim.get('label')} got {victim.get('ok')} of 2000 calls through")

        # --- leak: 10,000 calls over short connections, then compare the fd count ------------------------
        per_connection = 10
        connections = max(1, arguments.leak_calls // per_connection)
        batch = 100
        leak_results = []
        for start in range(0, connections, batch):
            leak_results += run_clients([[client, "-c", str(min(batch, connections - start)), "-n",
                                          str(per_connection), "-d", "60", "-i", "load2_1", "-l", "leak",
                                          socket_path]], timeout=120)
        leak = summed(leak_results, "calls", "ok", "errors", "dropped")
        time.sleep(0.5)  # let the daemon notice the last hang-ups
        after = {"fds": fd_count(pid), "rssKiB": status_field(pid, "VmRSS"), "peakRssKiB": status_field(pid, "VmHWM"),
                 "mounts": mount_count(), "loops": loop_count(), "threads": status_field(pid, "Threads")}
        report["leak"] = leak
        report["after"] = after
        if leak["ok"] != connections * per_connection:
            failures.append(f"leak: {leak['ok']} of {connections * per_connection} calls succeeded")
        if after["fds"] != baseline["fds"]:
            failures.append(f"leak: fds {baseline['fds']} before, {after['fds']} after")
        # Host-wide mount and loop counts are reported, not asserted: parallel suites on the same machine
        # change them too. Directory images need neither; a difference here is worth a look, not a failure.
        if daemon.poll() is not None:
            failures.append(f"berthd exited with {daemon.returncode}")
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=15)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=2)
    if arguments.json:
        with open(arguments.json, "w") as file:
            file.write(text)
    summary = {key: report.get(key) for key in ("baseline", "concurrent", "leak", "after")}
    summary["cap"] = {"flood": report.get("cap", {}).get("flood"),
                      "others": [{k: v.get(k) for k in ("label", "ok", "errors", "dropped")}
                                 for v in report.get("cap", {}).get("others", [])]}
    print(json.dumps(summary, indent=1))
    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
