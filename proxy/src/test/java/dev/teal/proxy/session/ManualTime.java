package dev.teal.proxy.session;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker and a wall clock that move together, only when a test says so. */
final class ManualTime implements Ticker {
    private final Instant origin;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    ManualTime() {
        this(Instant.parse("2026-11-21T10:00:00Z"));
    }

    ManualTime(Instant origin) {
        this.origin = origin;
    }

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    Instant now() {
        return origin.plusNanos(nanos.get() - 1_000_000_000L);
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("withZone");
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }
}
