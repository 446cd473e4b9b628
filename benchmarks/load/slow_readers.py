#!/usr/bin/env python3
"""A burst of slow readers: opens N connections to HOST:PORT, asks each for PATH and reads nothing for
HOLD seconds (so the proxy fills its buffers toward them up to its write-buffer limit), then closes
them all and prints "closed N".

    slow_readers.py 127.0.0.1 19080 /big 1000 10
"""
import socket
import sys
import time

BATCH = 250


def main():
    if len(sys.argv) != 6:
        raise SystemExit("usage: slow_readers.py HOST PORT PATH COUNT HOLD_SECONDS")
    host, port, path, count, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    conns = []
    while len(conns) < count:
        batch = []
        for _ in range(min(BATCH, count - len(conns))):
            s = socket.create_connection((host, port))
            # A small receive window: the client's side holds little, the proxy's side the rest.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(request)
            batch.append(s)
        conns.extend(batch)
    print(f"open {len(conns)}", flush=True)
    time.sleep(hold)
    for s in conns:
        s.close()
    print(f"closed {len(conns)}", flush=True)


if __name__ == "__main__":
    main()
