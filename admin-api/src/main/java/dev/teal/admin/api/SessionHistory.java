package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last hour of both colors' counts, sampled at a fixed interval into a ring, so that the dashboard's
 * drain curve survives a page reload. About 720 small samples: memory is negligible.
 */
final class SessionHistory implements Runnable {
    static final Duration SPAN = Duration.ofHours(1);

    /**
     * One sample.
     *
     * @param at when
     * @param green percent of new sessions to green
     * @param blue blue's counts
     * @param greenCounts green's counts
     */
    record Sample(Instant at, int green, Counts blue, Counts greenCounts) {}

    /** One color's counts in a sample. */
    record Counts(long sessions, long inFlight, long upgraded) {
        static Counts of(ColorSnapshot snapshot) {
            return snapshot == null
                    ? new Counts(0, 0, 0)
                    : new Counts(snapshot.activeSessions(), snapshot.inFlight(), snapshot.upgraded());
        }
    }

    private final TrafficControl control;
    private final Duration interval;
    private final Sample[] ring;
    private int next;
    private int size;

    SessionHistory(TrafficControl control, Duration interval) {
        this.control = requireNonNull(control, "control");
        this.interval = requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("history interval: " + interval + " (expected: > 0)");
        }
        this.ring = new Sample[(int) Math.max(1, SPAN.dividedBy(interval))];
    }

    Duration interval() {
        return interval;
    }

    @Override
    public void run() {
        TrafficSnapshot snapshot = control.snapshot();
        add(new Sample(
                snapshot.at(),
                snapshot.split().green(),
                Counts.of(snapshot.color(Color.BLUE)),
                Counts.of(snapshot.color(Color.GREEN))));
    }

    synchronized void add(Sample sample) {
        ring[next] = sample;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** Oldest first. */
    synchronized List<Sample> samples() {
        List<Sample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            samples.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return samples;
    }
}
