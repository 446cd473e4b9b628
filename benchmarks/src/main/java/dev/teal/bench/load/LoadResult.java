package dev.teal.bench.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured: responses to requests sent during the measurement, those outside 200–399 or
 * lost with their connection ({@code errors}), those still unanswered (or, open loop, not even sent) when
 * the drain gave up ({@code unfinished}), the time from the measurement's start to its last response, and
 * the latencies in nanoseconds.
 */
record LoadResult(long requests, long errors, long unfinished, double seconds, Histogram latencies) {

    /** The {@code result} line the load scripts read. */
    String line() {
        return line("result", requests, errors, unfinished, seconds, latencies, seconds);
    }

    /**
     * One line of {@code key=value} fields, latencies in milliseconds, e.g. {@code result requests=1000
     * errors=0 unfinished=0 seconds=1.000 rps=1000.0 p50_ms=0.512 p90_ms=… p99_ms=… p999_ms=… max_ms=… at=1.000}.
     */
    static String line(
            String kind, long requests, long errors, long unfinished, double seconds, Histogram h, double at) {
        return String.format(
                Locale.ROOT,
                "%s requests=%d errors=%d unfinished=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f"
                        + " p999_ms=%.3f max_ms=%.3f at=%.3f",
                kind,
                requests,
                errors,
                unfinished,
                seconds,
                seconds > 0 ? requests / seconds : 0,
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6,
                at);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }
}
