package dev.teal.proxy.traffic;

/**
 * Log-linear latency buckets: four per power of two from about 1 µs to about 68 s, so a quantile is known
 * to within a quarter of its value, and finding a bucket is a few shifts (no search, no allocation).
 * Bucket 0 holds anything faster than the first bound, the last anything slower than the last.
 */
final class LatencyBuckets {
    private static final int MIN_LOG = 10; // 1,024 ns
    private static final int MAX_LOG = 36; // 68.7 s
    private static final int PER_OCTAVE = 4;
    static final int COUNT = 2 + (MAX_LOG - MIN_LOG) * PER_OCTAVE;

    private LatencyBuckets() {}

    static int of(long nanos) {
        if (nanos < (1L << MIN_LOG)) {
            return 0;
        }
        if (nanos >= (1L << MAX_LOG)) {
            return COUNT - 1;
        }
        int log = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (log - 2)) & (PER_OCTAVE - 1);
        return 1 + (log - MIN_LOG) * PER_OCTAVE + sub;
    }

    /** The largest latency that falls in bucket {@code index}, in nanoseconds (the slowest: its lower bound). */
    static long upperBound(int index) {
        if (index <= 0) {
            return (1L << MIN_LOG) - 1;
        }
        if (index >= COUNT - 1) {
            return 1L << MAX_LOG;
        }
        int log = MIN_LOG + (index - 1) / PER_OCTAVE;
        int sub = (index - 1) % PER_OCTAVE;
        return ((long) (PER_OCTAVE + sub + 1) << (log - 2)) - 1;
    }

    /** The upper bound of the bucket holding the {@code quantile} of {@code counts}; -1 when empty. */
    static long quantile(long[] counts, double quantile) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }
}
