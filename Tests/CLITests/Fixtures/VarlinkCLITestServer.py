#!/usr/bin/env python3
"""A small Varlink service for the `varlink` CLI tests, built on the python reference library.

Usage: VarlinkCLITestServer.py --varlink=unix:PATH [--exit-on-eof]
       listens and prints READY on stdout once bound; with --exit-on-eof it exits when its standard
       input reaches end of file, i.e. when the test process that holds the pipe has gone
       started through exec:, with a connected socket on fd 3 (LISTEN_FDS=1): serves that connection.
       with SYSTEMD_VARLINK_LISTEN=- and a socket as stdin (ssh-exec:): serves that connection.
"""

import os
import socket
import sys
import threading
import time

import varlink

INTERFACE = """# Test interface of the varlink CLI tests.
interface org.example.cli

type Shape (
  kind: (circle, square),
  size: ?int
)

# Returns its input.
method Echo(text: string, count: ?int, shape: ?Shape, tags: ?[]string) -> (text: string, count: ?int, shape: ?Shape, tags: ?[]string)

# Counts from 1 to n, one reply each.
# [Supports 'more' flag]
method Count(n: int) -> (i: int)

# Fails with Failed.
method Fail(reason: string) -> ()

# Sends two replies, then closes the connection without a final reply.
# [Requires 'more' flag]
method Drop() -> (i: int)

# Never replies.
method Hang() -> ()

# Records a note (call it oneway).
method Note(text: string) -> ()

# Waits until at least one note was recorded and returns all of them.
method Notes() -> (notes: []string)

error Failed (reason: string)
"""

service = varlink.Service(
    vendor="Berth", product="varlink CLI test server", version="1", url="https://example.org/berth"
)


class Failed(varlink.VarlinkError):
    def __init__(self, reason):
        varlink.VarlinkError.__init__(self, {"error": "org.example.cli.Failed", "parameters": {"reason": reason}})


class Cli:
    def __init__(self):
        self.notes = []
        self.condition = threading.Condition()

    def Echo(self, text, count=None, shape=None, tags=None):
        return {"text": text, "count": count, "shape": shape, "tags": tags}

    def Count(self, n, _more=False):
        if not _more:
            return {"i": n}
        return self._count(n)

    def _count(self, n):
        for i in range(1, n + 1):
            yield {"i": i, "_continues": i < n}

    def Fail(self, reason):
        raise Failed(reason)

    def Drop(self, _more=False, _request=None):
        yield {"i": 1, "_continues": True}
        yield {"i": 2, "_continues": True}
        _request.shutdown(socket.SHUT_RDWR)

    def Hang(self):
        time.sleep(3600)
        return {}

    def Note(self, text):
        with self.condition:
            self.notes.append(text)
            self.condition.notify_all()
        return {}

    def Notes(self):
        with self.condition:
            self.condition.wait_for(lambda: self.notes, timeout=30)
            return {"notes": list(self.notes)}


def register():
    interface = varlink.Interface(INTERFACE)
    service.interfaces[interface.name] = interface
    service.interfaces_handlers[interface.name] = Cli()


class Handler(varlink.RequestHandler):
    service = service


class DirectServer:
    """Stands in for the socketserver when serving one already-connected socket."""

    def shutdown_request(self, request):
        try:
            request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def shutdown(self):
        pass


def exit_on_eof():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    register()
    if os.environ.get("SYSTEMD_VARLINK_LISTEN") == "-":
        # Serve the connection on standard input/output (how ssh-exec: runs a service).
        Handler(socket.socket(fileno=0), "", DirectServer())
        return
    if os.environ.get("LISTEN_FDS") == "1" and os.environ.get("LISTEN_PID") == str(os.getpid()):
        connection = socket.socket(fileno=3)
        if not connection.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            Handler(connection, "", DirectServer())
            return
    address = next(a[len("--varlink="):] for a in sys.argv[1:] if a.startswith("--varlink="))
    if "--exit-on-eof" in sys.argv[1:]:
        threading.Thread(target=exit_on_eof, daemon=True).start()
    with varlink.ThreadingServer(address, Handler) as server:
        server.daemon_threads = True
        print("READY", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
