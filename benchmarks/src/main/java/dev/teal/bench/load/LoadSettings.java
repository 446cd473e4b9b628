package dev.teal.bench.load;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What one load run does, checked when built.
 *
 * @param mode the clients played
 * @param target where the requests go (loopback only: the load scripts never aim anywhere else)
 * @param path the request target of every request
 * @param connections keep-alive connections, all served by one event-loop thread (like {@code wrk -t1})
 * @param warmupNanos load before the measurement, not recorded (after the pool's cookies were obtained)
 * @param durationNanos the measurement
 * @param rate requests per second over all connections ({@link LoadMode#OPEN} only, else 0)
 * @param sessions the pool's size ({@link LoadMode#POOL} only)
 * @param goFile when set, the run waits after the warm-up (printing {@code ready}) until this file exists,
 *     so a script can read the target's counters at the exact start of the measurement
 * @param intervalNanos when above 0, one {@code interval} line per this much measured time
 * @param gateTimeoutNanos how long to wait for the go file before giving up
 */
record LoadSettings(
        LoadMode mode,
        InetSocketAddress target,
        String path,
        int connections,
        long warmupNanos,
        long durationNanos,
        double rate,
        int sessions,
        Path goFile,
        long intervalNanos,
        long gateTimeoutNanos) {

    LoadSettings {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("target: " + target + " (expected: a loopback address)");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: starting with /)");
        }
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: 1 to 10000)");
        }
        if (warmupNanos < 0 || durationNanos <= 0 || intervalNanos < 0 || gateTimeoutNanos <= 0) {
            throw new IllegalArgumentException("durations: warm-up " + warmupNanos + " ns, measurement " + durationNanos
                    + " ns, interval " + intervalNanos + " ns (expected: >= 0, > 0, >= 0)");
        }
        if (mode == LoadMode.OPEN && !(rate > 0 && rate <= 10_000_000)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: 0 < requests/s <= 10000000)");
        }
        if (mode == LoadMode.POOL && (sessions < 1 || sessions > 10_000_000)) {
            throw new IllegalArgumentException("sessions: " + sessions + " (expected: 1 to 10000000)");
        }
    }

    /** The {@code Host} header every request carries. */
    String host() {
        return target.getHostString() + ":" + target.getPort();
    }
}
