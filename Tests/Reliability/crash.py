#!/usr/bin/env python3
"""Crash consistency of attach / detach / reattach against a real berthd, killed with SIGKILL.

Each round starts berthd (--root=TMP, --listen=unix:SOCK), sends one mutating call, sleeps a random
delay drawn from the measured duration of that call, and SIGKILLs the daemon. The tree is then snapshotted
(raw state), berthd is started again (its start-up runs crash recovery) and the tree must be exactly the
old or the new state, with no transaction leftovers (`.#berth*` temp and intent files) and no held locks.

Optionally (--slow-syscalls) berthd runs under `strace --inject` delays on the syscalls the transaction
makes, which stretches the window so more kills land between the intent write and its removal.

A lock file under run/berth/locks that is still held after the kill, or once the restarted berthd had
2 s to finish recovery, fails the run; the check proves itself on a probe lock first, and --hold-lock NAME
holds one on purpose (the run must then fail).

Prints a summary line and writes JSON results with --json. Exit status 1 when any state was inconsistent,
left transaction files behind or left a lock held.
"""

import argparse
import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from varlink_client import Connection, VarlinkError, wait_for_socket  # noqa: E402

INTERFACE = "io.berth.Portable"
LOCK_DIRECTORY = "run/berth/locks"

OS_RELEASE = "ID=debian\nVERSION_ID=12\nPRETTY_NAME=\"Berth crash test {version}\"\n"
UNITS = {
    1: {
        "foo.service": "[Unit]\nDescription=foo v1\n[Service]\nExecStart=/usr/bin/foo\n",
        "foo-extra.service": "[Unit]\nDescription=foo extra v1\n[Service]\nExecStart=/usr/bin/foo --extra\n",
        "foo.socket": "[Socket]\nListenStream=/run/foo.sock\n",
    },
    2: {
        "foo.service": "[Unit]\nDescription=foo v2\n[Service]\nExecStart=/usr/bin/foo --v2\n",
        "foo-new.service": "[Unit]\nDescription=foo new v2\n[Service]\nExecStart=/usr/bin/foo --new\n",
        "foo.socket": "[Socket]\nListenStream=/run/foo2.sock\n",
    },
}


def build_image(root, version):
    image = os.path.join(root, "var/lib/portables", f"foo_{version}")
    os.makedirs(os.path.join(image, "usr/lib/systemd/system"))
    os.makedirs(os.path.join(image, "usr/bin"))
    with open(os.path.join(image, "usr/lib/os-release"), "w") as file:
        file.write(OS_RELEASE.format(version=version))
    for name, text in UNITS[version].items():
        with open(os.path.join(image, "usr/lib/systemd/system", name), "w") as file:
            file.write(text)
    with open(os.path.join(image, "usr/bin/foo"), "w") as file:
        file.write("#!/bin/sh\nexit 0\n")
    os.chmod(os.path.join(image, "usr/bin/foo"), 0o755)


def snapshot(root):
    """Every path under root (but the lock directory) → type, mode and content digest or link target.

    Directories with no file or link below them are left out: systemd reads nothing from them, and
    whether a rolled-back attach removes the (empty) directories it made is no question of consistency."""
    result = {}
    for directory, subdirectories, files in os.walk(root):
        relative_directory = os.path.relpath(directory, root)
        if relative_directory == LOCK_DIRECTORY:
            subdirectories[:] = []
            continue
        for name in subdirectories + files:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            status = os.lstat(path)
            if os.path.islink(path):
                entry = ("link", os.readlink(path))
            elif os.path.isdir(path):
                entry = ("dir", oct(status.st_mode & 0o7777))
            else:
                with open(path, "rb") as file:
                    digest = hashlib.sha256(file.read()).hexdigest()[:16]
                entry = ("file", oct(status.st_mode & 0o7777), digest)
            result[relative] = entry
    occupied = set()
    for relative, entry in result.items():
        if entry[0] != "dir":
            parent = os.path.dirname(relative)
            while parent and parent not in occupied:
                occupied.add(parent)
                parent = os.path.dirname(parent)
    return {key: value for key, value in result.items() if value[0] != "dir" or key in occupied}


def leftovers(root):
    found = []
    for directory, subdirectories, files in os.walk(root):
        for name in subdirectories + files:
            if name.startswith(".#berth"):
                found.append(os.path.relpath(os.path.join(directory, name), root))
    return sorted(found)


def held_locks(root):
    """Lock files some process still holds (a dead berthd must not leave any)."""
    held = []
    directory = os.path.join(root, LOCK_DIRECTORY)
    if not os.path.isdir(directory):
        return held
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "rb") as file:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(file, fcntl.LOCK_UN)
            except BlockingIOError:
                held.append(name)
    return held


def held_locks_after_recovery(root, grace=2.0):
    """Locks still held once recovery had `grace` seconds to finish: a running, idle berthd holds none."""
    deadline = time.monotonic() + grace
    held = held_locks(root)
    while held and time.monotonic() < deadline:
        time.sleep(0.01)
        held = held_locks(root)
    return held


def check_lock_detection(work):
    """The held-lock check must see a lock someone holds (flock conflicts across open file descriptions,
    even in one process), and must not report it once released."""
    directory = os.path.join(work, "lock-selftest", LOCK_DIRECTORY)
    os.makedirs(directory)
    with open(os.path.join(directory, "probe.lock"), "wb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        seen = held_locks(os.path.join(work, "lock-selftest"))
        fcntl.flock(holder, fcntl.LOCK_UN)
    released = held_locks(os.path.join(work, "lock-selftest"))
    shutil.rmtree(os.path.join(work, "lock-selftest"))
    if seen != ["probe.lock"] or released:
        raise SystemExit(f"crash: held-lock check is broken (held: {seen}, after release: {released})")


def difference(a, b):
    keys = sorted(set(a) | set(b))
    return [f"{key}: {a.get(key)} != {b.get(key)}" for key in keys if a.get(key) != b.get(key)]


class Daemon:
    def __init__(self, arguments, root, socket_path, slow_syscalls):
        self.arguments = arguments
        self.root = root
        self.socket_path = socket_path
        self.slow_syscalls = slow_syscalls
        self.process = None

    def start(self):
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        command = [
            self.arguments.berthd,
            f"--listen=unix:{self.socket_path}",
            f"--root={self.root}",
            "--idle-timeout=0",
            "--log-target=console",
            "--log-level=error",
            "--no-pid1",
        ]
        if self.arguments.profile_directory:
            command.append(f"--profile-directory={self.arguments.profile_directory}")
        if self.slow_syscalls:
            # Delay (not fail) the syscalls a transaction is made of: only stretches the timing.
            command = [
                "strace", "-f", "-qq", "-o", "/dev/null",
                "-e", "trace=renameat2,rename,fsync,fdatasync,unlinkat,symlinkat,mkdirat",
                "-e", "inject=renameat2,rename,fsync,fdatasync,unlinkat,symlinkat,mkdirat:delay_exit=1500",
            ] + command
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for_socket(self.socket_path, process=self.process)

    def kill(self):
        if self.process is None:
            return
        if self.slow_syscalls:
            # SIGKILL the traced berthd itself (strace's child), not strace.
            children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
            for pid in children.stdout.split():
                os.kill(int(pid), signal.SIGKILL)
            # strace reaps it; wait until it is gone so its fds (and flocks) are really released.
            for pid in children.stdout.split():
                while os.path.exists(f"/proc/{pid}"):
                    time.sleep(0.001)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stderr.close()
        self.process = None

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stderr.close()
            self.process = None


OPERATIONS = {
    # name: (method, parameters, state before, state after)
    "attach": ("AttachImage", {"image": "foo_1", "noReload": True}, "detached", "v1"),
    "reattach": ("ReattachImage", {"image": "foo_2", "noReload": True}, "v1", "v2"),
    "detach": ("DetachImage", {"image": "foo_2", "noReload": True}, "v2", "detached"),
}
NEXT = {"detached": "attach", "v1": "reattach", "v2": "detach"}


def call(socket_path, operation):
    method, parameters, _, _ = OPERATIONS[operation]
    connection = Connection(socket_path)
    try:
        return connection.call(f"{INTERFACE}.{method}", parameters)
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--berthd", required=True)
    parser.add_argument("--profile-directory")
    parser.add_argument("--kills", type=int, default=120, help="kill points to try")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--slow-syscalls", action="store_true", help="run berthd under strace delays")
    parser.add_argument("--json", help="write results here")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir on failure")
    parser.add_argument("--hold-lock", metavar="NAME",
                        help="negative check: hold <lock dir>/NAME for the whole run, which must fail it")
    arguments = parser.parse_args()

    seed = arguments.seed if arguments.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="berth-rel-crash.")
    root = os.path.join(work, "root")
    socket_path = os.path.join(work, "berthd.sock")
    os.makedirs(root)
    check_lock_detection(work)
    build_image(root, 1)
    build_image(root, 2)
    injected_lock = None
    if arguments.hold_lock:
        os.makedirs(os.path.join(root, LOCK_DIRECTORY), exist_ok=True)
        injected_lock = open(os.path.join(root, LOCK_DIRECTORY, arguments.hold_lock), "wb")
        fcntl.flock(injected_lock, fcntl.LOCK_EX)
    daemon = Daemon(arguments, root, socket_path, arguments.slow_syscalls)
    failures = []
    results = {"seed": seed, "slowSyscalls": arguments.slow_syscalls, "kills": 0, "inconsistent": 0,
               "leftoversAfterRecovery": 0, "heldLocks": 0, "heldLocksAfterKill": 0, "outcomes": {}, "rawIntermediate": 0,
               "visibleIntermediate": 0, "visibleSamples": []}
    try:
        # Reference states and per-operation durations. A warm-up cycle first: detach leaves the (empty)
        # attached and lock directories behind, as portabled does, so "detached" is the state after it.
        states = {}
        durations = {}
        daemon.start()
        for operation in ("attach", "reattach", "detach"):
            call(socket_path, operation)
        states["detached"] = snapshot(root)
        for operation in ("attach", "reattach", "detach"):
            started = time.monotonic()
            call(socket_path, operation)
            durations[operation] = time.monotonic() - started
            states.setdefault(OPERATIONS[operation][3], snapshot(root))
        after_cycle = snapshot(root)
        if after_cycle != states["detached"]:
            print("detach did not restore the detached tree:", *difference(states["detached"], after_cycle),
                  sep="\n  ", file=sys.stderr)
            return 2
        daemon.stop()
        results["durationsMs"] = {key: round(value * 1000, 2) for key, value in durations.items()}

        # The kill window per operation starts at 1.3 × its warm duration and adapts: a freshly started
        # daemon is slower on its first call, so kills that landed before the call did anything widen the
        # window and kills after it finished narrow it, keeping most kill points inside the transaction.
        windows = {operation: duration * 1.3 for operation, duration in durations.items()}
        current = "detached"
        for round_number in range(arguments.kills):
            operation = NEXT[current]
            _, _, before, after = OPERATIONS[operation]
            daemon.start()
            connection = Connection(socket_path)
            delay = rng.uniform(0, windows[operation])
            connection.send(f"{INTERFACE}.{OPERATIONS[operation][0]}", OPERATIONS[operation][1])
            time.sleep(delay)
            daemon.kill()
            connection.close()
            results["kills"] += 1
            raw = snapshot(root)
            if raw == states[before]:
                windows[operation] *= 1.15
            elif raw == states[after]:
                windows[operation] *= 0.85
            else:
                results["rawIntermediate"] += 1
                # What systemd would load: files and symlinks, minus the ".#" temp and intent names it ignores
                # (empty drop-in directories made during prepare change nothing it reads).
                def loaded(tree):
                    return {key: value for key, value in tree.items() if ".#berth" not in key and value[0] != "dir"}
                visible = loaded(raw)
                if visible != loaded(states[before]) and visible != loaded(states[after]):
                    results["visibleIntermediate"] += 1
                    if len(results["visibleSamples"]) < 5:
                        results["visibleSamples"].append(
                            {"operation": operation, "delay": round(delay * 1000, 2),
                             "vsOld": difference(loaded(states[before]), visible),
                             "vsNew": difference(loaded(states[after]), visible)})
            # A killed berthd's flocks die with it; one still held now means another process has the fd.
            held = held_locks(root)
            if held:
                results["heldLocksAfterKill"] += 1
                failures.append(f"round {round_number} {operation} delay {delay*1000:.2f}ms: "
                                f"locks held after the kill: {held}")
            daemon.start()  # runs recovery
            recovered = snapshot(root)
            left = leftovers(root)
            held = held_locks_after_recovery(root)
            if held:
                results["heldLocks"] += 1
                failures.append(f"round {round_number} {operation} delay {delay*1000:.2f}ms: "
                                f"locks held after recovery: {held}")
            if left:
                results["leftoversAfterRecovery"] += 1
                failures.append(f"round {round_number} {operation} delay {delay*1000:.2f}ms: leftovers {left}")
            if recovered == states[before]:
                outcome = "old"
                current = before
            elif recovered == states[after]:
                outcome = "new"
                current = after
            else:
                outcome = "inconsistent"
                results["inconsistent"] += 1
                failures.append(
                    f"round {round_number} {operation} delay {delay*1000:.2f}ms: neither old nor new; vs old:\n    "
                    + "\n    ".join(difference(states[before], recovered)) + "\n  vs new:\n    "
                    + "\n    ".join(difference(states[after], recovered)))
                # Resynchronise: force the tree back to the detached state for the next round.
                daemon.stop()
                shutil.rmtree(root)
                os.makedirs(root)
                build_image(root, 1)
                build_image(root, 2)
                current = "detached"
                continue
            key = f"{operation}:{outcome}"
            results["outcomes"][key] = results["outcomes"].get(key, 0) + 1
            # The recovered daemon must still work: the next operation from this state succeeds.
            daemon.stop()
    finally:
        daemon.stop()
        if injected_lock is not None:
            injected_lock.close()
        if not (arguments.keep and failures):
            shutil.rmtree(work, ignore_errors=True)
    results["failures"] = failures
    results["finalWindowsMs"] = {key: round(value * 1000, 2) for key, value in locals().get("windows", {}).items()}
    if arguments.json:
        with open(arguments.json, "w") as file:
            json.dump(results, file, indent=2)
    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    print(f"crash: seed {seed}, {results['kills']} kill points, outcomes {results['outcomes']}, "
          f"{results['rawIntermediate']} raw intermediate before recovery "
          f"({results['visibleIntermediate']} visible to systemd), "
          f"{results['inconsistent']} inconsistent after recovery, "
          f"{results['leftoversAfterRecovery']} with leftovers, {results['heldLocks']} with locks held after "
          f"recovery ({results['heldLocksAfterKill']} after the kill); "
          f"durations {results.get('durationsMs')}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
