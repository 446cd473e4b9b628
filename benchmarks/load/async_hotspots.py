#!/usr/bin/env python3
"""Summarises an async-profiler CPU profile in collapsed form recorded with the `threads` option: where the
process's CPU goes, by thread, by method on top of the stack, by the first frame of a package of interest
(with everything it called), and how much of it is threads waking or parking each other.

    collapsed stacks: "[thread name tid=N];frame;frame;... COUNT", the root frame first
    async_hotspots.py profile.collapsed dev.teal.
"""
import collections
import re
import sys

# Frames that hand work to another thread or wait for it: a request path that wakes another thread pays
# for the futex call here, and the woken thread for its own run and its park again.
WAKE = ("Unsafe.unpark", "LockSupport.unpark")
PARK = ("Unsafe.park", "LockSupport.park")
THREAD_NAME = re.compile(r"^\[(.*?)(?: tid=\d+)?\]$")
POOL_NUMBER = re.compile(r"[-#]?\d+$")


def short(frame):
    """A frame as Class.method, without the package and the argument list."""
    frame = frame.split("(")[0].replace("/", ".")
    parts = frame.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else frame


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: async_hotspots.py PROFILE.collapsed PACKAGE_PREFIX")
    prefix = sys.argv[2]
    threads = collections.Counter()
    leaf = collections.Counter()
    first_own = collections.Counter()
    inclusive = collections.Counter()
    wakes = collections.Counter()
    parks = collections.Counter()
    total = 0
    for line in open(sys.argv[1], encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        thread = "?"
        match = THREAD_NAME.match(frames[0])
        if match:
            # Pool threads by pool: "ForkJoinPool.commonPool-worker-3" and "-5" are one line.
            thread = POOL_NUMBER.sub("-N", match.group(1)) if "pool" in match.group(1).lower() else match.group(1)
            frames = frames[1:]
        if not frames:
            continue
        total += n
        threads[thread] += n
        leaf[short(frames[-1])] += n
        names = [f.split("(")[0].replace("/", ".") for f in frames]
        for name in {x for x in names if x.startswith(prefix)}:
            inclusive[short(name)] += n
        own = next((x for x in reversed(names) if x.startswith(prefix)), None)
        if own:
            first_own[short(own)] += n
        if any(any(w in x for w in WAKE) for x in names):
            wakes[thread] += n
        if any(any(p in x for p in PARK) for x in names):
            parks[thread] += n
    if total == 0:
        raise SystemExit(f"{sys.argv[1]}: no samples")

    def show(title, counter, n):
        print(title)
        for name, count in counter.most_common(n):
            print(f"  {100 * count / total:5.1f}%  {name}")

    print(f"{total} samples (shares of the whole process's CPU)")
    show("threads:", threads, 10)
    show("cross-thread wake-ups (unpark anywhere on the stack), by the thread that wakes another:", wakes, 5)
    show("parking (park anywhere on the stack), by the thread that parks:", parks, 5)
    show("frames on top of the stack (self time, native and kernel included):", leaf, 25)
    show(f"deepest {prefix}* frame, with what it called:", first_own, 20)
    show(f"{prefix}* methods anywhere on the stack (inclusive):", inclusive, 25)


if __name__ == "__main__":
    main()
