package dev.teal.bench.load;

/**
 * When one connection of an open-loop run is meant to send each of its requests. The run's requests are
 * evenly spaced at {@code rate} per second over all its connections, connection {@code index} taking every
 * {@code connections}-th one from {@code start}: request {@code k} of this connection is due at
 * {@code start + (index + k * connections) / rate}. A connection that is still waiting for a response when
 * its next request is due sends it as soon as the response is in, and that request's latency is still
 * counted from when it was due ({@link #latency}): time spent queued behind a slow response is part of what
 * a client at that rate would see, which a closed loop hides (coordinated omission). Times are
 * {@link System#nanoTime()} values. Not thread-safe: one schedule per connection, on its event loop.
 */
final class OpenLoopSchedule {
    private final long start;
    private final double rate;
    private final int connections;
    private final int index;
    private long taken;

    OpenLoopSchedule(long start, double rate, int connections, int index) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: requests per second > 0)");
        }
        if (connections < 1 || index < 0 || index >= connections) {
            throw new IllegalArgumentException(
                    "connection " + index + " of " + connections + " (expected: 0 <= index < connections)");
        }
        this.start = start;
        this.rate = rate;
        this.connections = connections;
        this.index = index;
    }

    /** When request {@code k} (0-based) of this connection is due. */
    long intendedTime(long k) {
        return start + Math.round((index + (double) k * connections) * 1e9 / rate);
    }

    /** When the next request not yet taken is due. */
    long next() {
        return intendedTime(taken);
    }

    /** Takes the next request: returns when it was due, and moves on to the one after. */
    long take() {
        return intendedTime(taken++);
    }

    /** How many requests of this connection are due before {@code deadline} (taken or not). */
    long dueBefore(long deadline) {
        long k = Math.max(0, (long) (((deadline - start) * rate / 1e9 - index) / connections));
        while (intendedTime(k) < deadline) {
            k++;
        }
        while (k > 0 && intendedTime(k - 1) >= deadline) {
            k--;
        }
        return k;
    }

    /** Requests taken so far. */
    long taken() {
        return taken;
    }

    /** A request's latency as a client at this rate sees it: from when it was due, not from when it went out. */
    static long latency(long intended, long completed) {
        return completed - intended;
    }
}
