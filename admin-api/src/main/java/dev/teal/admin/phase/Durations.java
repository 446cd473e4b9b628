package dev.teal.admin.phase;

import java.time.Duration;
import java.util.Locale;

/** Durations the way the settings write them: {@code 30m}, {@code 1h30m}, {@code 1.5s}. */
final class Durations {
    private Durations() {}

    static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Seconds with millisecond precision: {@code 1.234 s}. */
    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }
}
