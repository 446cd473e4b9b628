#!/usr/bin/env python3
"""Opens N keep-alive HTTP/1.1 connections to HOST:PORT, sends one GET on each and reads its answer, so that
every connection has served a request and sits idle in keep-alive; prints "open N" and holds them until
stdin closes or a line arrives, then prints how many the server had closed meanwhile.

    idle_clients.py 127.0.0.1 18092 10000
"""
import socket
import sys

BATCH = 500


def read_response(sock, host):
    """Reads one response with a Content-Length body; returns its status code."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"{host}: closed before a response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"{host}: closed in the middle of a body")
        body += chunk
    return status


def open_all(host, port, count):
    request = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    conns = []
    while len(conns) < count:
        batch = [socket.create_connection((host, port)) for _ in range(min(BATCH, count - len(conns)))]
        # One request on every connection of the batch before reading any answer: the server works on
        # them together, as it would for that many real clients.
        for s in batch:
            s.sendall(request)
        for s in batch:
            status = read_response(s, f"{host}:{port}")
            if status != 200:
                raise SystemExit(f"{host}:{port} answered {status} (expected: 200)")
        conns.extend(batch)
    return conns


def count_closed(conns):
    closed = 0
    for s in conns:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: idle_clients.py HOST PORT COUNT")
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    conns = open_all(host, port, count)
    print(f"open {len(conns)}", flush=True)
    sys.stdin.readline()
    print(f"closed by the server meanwhile {count_closed(conns)}", flush=True)
    for s in conns:
        s.close()


if __name__ == "__main__":
    main()
