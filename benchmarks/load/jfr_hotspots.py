#!/usr/bin/env python3
"""Summarises the execution samples of a JFR recording: where a thread spends its time, by method, and by the
first frame of a package of interest (the code that asked for the work, with everything it called).

    jfr print --stack-depth 64 --events jdk.ExecutionSample teal.jfr > samples.txt
    jfr_hotspots.py samples.txt dev.teal.
"""
import collections
import re
import sys

FRAME = re.compile(r"^\s+([\w.$<>]+)\(.*?line: (\d+)", re.M)
THREAD = re.compile(r'sampledThread = "([^"]+)"')


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: jfr_hotspots.py SAMPLES.txt PACKAGE_PREFIX")
    text = open(sys.argv[1], encoding="utf-8").read()
    prefix = sys.argv[2]
    threads = collections.Counter()
    leaf = collections.Counter()
    inclusive = collections.Counter()
    first_own = collections.Counter()
    first_own_line = collections.Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = FRAME.findall(event)
        if not frames:
            continue
        total += 1
        thread = THREAD.search(event)
        threads[thread.group(1) if thread else "?"] += 1
        leaf[frames[0][0]] += 1
        for method in {m for m, _ in frames}:
            if method.startswith(prefix):
                inclusive[method] += 1
        own = next(((m, line) for m, line in frames if m.startswith(prefix)), None)
        if own:
            first_own[own[0]] += 1
            first_own_line[f"{own[0]}:{own[1]}"] += 1
    if total == 0:
        raise SystemExit(f"{sys.argv[1]}: no execution samples")

    def show(title, counter, n):
        print(title)
        for name, count in counter.most_common(n):
            print(f"  {100 * count / total:5.1f}%  {name}")

    print(f"{total} samples")
    show("threads:", threads, 5)
    show("methods on top of the stack (self time):", leaf, 20)
    show(f"first {prefix}* frame, with what it called (by method):", first_own, 20)
    show(f"first {prefix}* frame, with what it called (by line):", first_own_line, 20)
    show(f"{prefix}* methods anywhere on the stack (inclusive):", inclusive, 20)


if __name__ == "__main__":
    main()
