package dev.teal.proxy.session;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.locks.LockSupport;

/**
 * Time for the per-request path, read from two volatile fields that one daemon thread refreshes every
 * {@code resolution}. Reading the system clocks costs 20 to 60 ns a call, and a request reads them half a
 * dozen times through Caffeine; session expiry and cookie timestamps need milliseconds at best. The ticker
 * never goes backwards (one writer, from {@link System#nanoTime()}).
 */
public final class CoarseTime implements Ticker, AutoCloseable {
    private volatile long nanos = System.nanoTime();
    private volatile long millis = System.currentTimeMillis();
    private volatile boolean closed;
    private final Thread refresher;

    private CoarseTime(Duration resolution) {
        long period = resolution.toNanos();
        refresher = new Thread(
                () -> {
                    while (!closed) {
                        nanos = System.nanoTime();
                        millis = System.currentTimeMillis();
                        LockSupport.parkNanos(period);
                    }
                },
                "teal-coarse-time");
        refresher.setDaemon(true);
    }

    /** Starts the refreshing thread; {@link #close()} stops it. */
    public static CoarseTime start(Duration resolution) {
        if (resolution.isNegative() || resolution.isZero() || resolution.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("resolution: " + resolution + " (expected: > 0 and <= 1s)");
        }
        CoarseTime time = new CoarseTime(resolution);
        time.refresher.start();
        return time;
    }

    /** Nanoseconds, as {@link System#nanoTime()} was at the last refresh. */
    @Override
    public long read() {
        return nanos;
    }

    /** A UTC clock reading the last refreshed wall time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("withZone: the coarse clock is UTC only");
            }

            @Override
            public long millis() {
                return millis;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis);
            }
        };
    }

    /** Stops the refreshing thread; the readings freeze. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(refresher);
    }

    /** Waits for the refreshing thread to stop after {@link #close()}; false if it did not within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        refresher.join(Math.max(1, timeout.toMillis()));
        return !refresher.isAlive();
    }
}
