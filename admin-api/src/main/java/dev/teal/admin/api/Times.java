package dev.teal.admin.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * How the admin API writes an instant: ISO-8601 in UTC with exactly three fraction digits
 * ({@code 2026-12-04T21:00:54.120Z}). {@link Instant#toString()} drops trailing zero digits and goes to
 * nanoseconds when the clock has them, so the same field switched width from one answer to the next.
 */
final class Times {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    static String iso(Instant instant) {
        return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@link #iso}, or {@code null} for an absent instant. */
    static String iso(Optional<Instant> instant) {
        return instant.map(Times::iso).orElse(null);
    }
}
