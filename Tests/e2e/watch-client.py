#!/usr/bin/python3
# A WatchImages client for the e2e checks and the benchmark: calls io.berth.Portable.WatchImages with
# "more" and appends one line per event to LOG as it arrives:
#   RECEIVED_US KIND IMAGE STATE EVENT_TIMESTAMP_US
# RECEIVED_US is CLOCK_REALTIME when the reply was read. A line "connected" comes first.
#   watch-client.py LOG [SOCKET] [IMAGE...]
import json
import socket
import sys
import time

log = open(sys.argv[1], "a", buffering=1)
address = sys.argv[2] if len(sys.argv) > 2 else "/run/berth/io.berth.Portable"
images = sys.argv[3:]
call = {"method": "io.berth.Portable.WatchImages", "more": True}
if images:
    call["parameters"] = {"images": images}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(address)
s.sendall(json.dumps(call).encode() + b"\0")
log.write("connected\n")
buffer = b""
while True:
    chunk = s.recv(1 << 16)
    if not chunk:
        log.write("closed\n")
        break
    buffer += chunk
    while b"\0" in buffer:
        message, buffer = buffer.split(b"\0", 1)
        received = time.time_ns() // 1000
        reply = json.loads(message)
        if "error" in reply:
            log.write("error %s\n" % reply["error"])
            sys.exit(1)
        event = reply["parameters"]["event"]
        log.write("%d %s %s %s %d\n" % (received, event["kind"], event["image"], event["state"], event["timestamp"]))
