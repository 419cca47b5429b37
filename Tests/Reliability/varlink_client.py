"""Minimal blocking Varlink client (NUL-framed JSON over a unix socket) shared by the reliability tools.

Deliberately independent of the project's own client so that a bug there cannot hide a bug in berthd.
"""

import json
import socket
import time


class VarlinkError(Exception):
    def __init__(self, name, parameters):
        super().__init__(f"{name} {json.dumps(parameters)}")
        self.name = name
        self.parameters = parameters


class Connection:
    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""

    def send(self, method, parameters=None):
        message = {"method": method}
        if parameters is not None:
            message["parameters"] = parameters
        self.sock.sendall(json.dumps(message).encode() + b"\0")

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by peer")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        reply = json.loads(message)
        if "error" in reply:
            raise VarlinkError(reply["error"], reply.get("parameters", {}))
        return reply.get("parameters", {})

    def call(self, method, parameters=None):
        self.send(method, parameters)
        return self.receive()

    def close(self):
        self.sock.close()


def wait_for_socket(path, timeout=20.0, process=None):
    """Polls until berthd answers org.varlink.service.GetInfo (so recovery at start has finished)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"berthd exited early with status {process.returncode}")
        try:
            connection = Connection(path, timeout=2.0)
            try:
                connection.call("org.varlink.service.GetInfo")
                return
            finally:
                connection.close()
        except (OSError, ConnectionError):
            time.sleep(0.01)
    raise TimeoutError(f"berthd did not answer on {path}")
