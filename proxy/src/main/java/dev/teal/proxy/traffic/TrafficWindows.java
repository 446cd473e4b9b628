package dev.teal.proxy.traffic;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.ColorTraffic;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Both colors' responses (count, 5xx, latency) in time slots over a sliding window, and the sessions
 * started on each, for the control plane's release analysis.
 *
 * <p>Threading: every thread that records (the event loops) owns a stripe of its own, found through a
 * {@link FastThreadLocal}, and is its stripe's only writer: an increment is a plain read and an ordered
 * store, with no lock, no CAS and no allocation. Readers sum the stripes. A slot is reused by its writer
 * when time moves past it (zeroed, then stamped with its new number); a reader skips a slot whose stamp
 * changed while it read, so a read is exact up to the slot being recycled at that moment.
 */
public final class TrafficWindows {
    /** Slots in the ring; a window spans at most {@code SLOTS - 2} of them. */
    static final int SLOTS = 64;

    private static final int REQUESTS = 0;
    private static final int ERRORS = 1;
    private static final int FIRST_BUCKET = 2;
    private static final int PER_COLOR = FIRST_BUCKET + LatencyBuckets.COUNT;
    private static final int PER_SLOT = PER_COLOR * 2;

    private final long slotMillis;
    private final LongSupplier millis;
    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Stripe> mine = new FastThreadLocal<>() {
        @Override
        protected Stripe initialValue() {
            Stripe stripe = new Stripe();
            stripes.add(stripe);
            return stripe;
        }
    };

    /**
     * @param longest the longest window that will be read (the slot width is a sixtieth of it, at least 1 s)
     * @param millis the time in milliseconds (the wall clock; a test's own)
     */
    public TrafficWindows(Duration longest, LongSupplier millis) {
        requireNonNull(longest, "longest");
        this.millis = requireNonNull(millis, "millis");
        this.slotMillis = Math.max(1000, (longest.toMillis() + 59) / 60);
    }

    /** A response of {@code color} with {@code status}, {@code nanos} after its request's head arrived. */
    public void record(Color color, int status, long nanos) {
        Stripe stripe = mine.get();
        int base = stripe.slot(millis.getAsLong() / slotMillis) + (color.ordinal() * PER_COLOR);
        AtomicLongArray d = stripe.data;
        d.lazySet(base + REQUESTS, d.get(base + REQUESTS) + 1);
        if (status >= 500 && status <= 599) {
            d.lazySet(base + ERRORS, d.get(base + ERRORS) + 1);
        }
        int bucket = base + FIRST_BUCKET + LatencyBuckets.of(nanos);
        d.lazySet(bucket, d.get(bucket) + 1);
    }

    /** A session began on {@code color}. */
    public void sessionStarted(Color color) {
        AtomicLongArray s = mine.get().sessions;
        int i = color.ordinal();
        s.lazySet(i, s.get(i) + 1);
    }

    /** {@code color}'s traffic over the last {@code window} (to within one slot), and its sessions so far. */
    public ColorTraffic read(Color color, Duration window) {
        requireNonNull(color, "color");
        requireNonNull(window, "window");
        long now = millis.getAsLong() / slotMillis;
        long span = Math.min(SLOTS - 2, Math.max(1, (window.toMillis() + slotMillis - 1) / slotMillis));
        long requests = 0;
        long errors = 0;
        long sessions = 0;
        long[] buckets = new long[LatencyBuckets.COUNT];
        long[] slot = new long[PER_COLOR];
        for (Stripe stripe : stripes) {
            sessions += stripe.sessions.get(color.ordinal());
            for (int s = 0; s < SLOTS; s++) {
                long stamp = stripe.stamps.get(s);
                if (stamp <= now - span || stamp > now) {
                    continue;
                }
                int base = s * PER_SLOT + color.ordinal() * PER_COLOR;
                for (int i = 0; i < PER_COLOR; i++) {
                    slot[i] = stripe.data.get(base + i);
                }
                if (stripe.stamps.get(s) != stamp) {
                    continue; // recycled while being read
                }
                requests += slot[REQUESTS];
                errors += slot[ERRORS];
                for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                    buckets[i] += slot[FIRST_BUCKET + i];
                }
            }
        }
        long p99 = LatencyBuckets.quantile(buckets, 0.99);
        long p50 = LatencyBuckets.quantile(buckets, 0.50);
        return new ColorTraffic(
                color,
                Duration.ofMillis(span * slotMillis),
                requests,
                errors,
                p50 < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(p50)),
                p99 < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(p99)),
                sessions);
    }

    /** One recording thread's counters. */
    private static final class Stripe {
        final AtomicLongArray stamps = new AtomicLongArray(SLOTS);
        final AtomicLongArray data = new AtomicLongArray(SLOTS * PER_SLOT);
        final AtomicLongArray sessions = new AtomicLongArray(2);

        Stripe() {
            for (int s = 0; s < SLOTS; s++) {
                stamps.set(s, Long.MIN_VALUE);
            }
        }

        /** The offset of time slot {@code number}'s counters, recycling its place in the ring if needed. */
        int slot(long number) {
            int s = (int) Math.floorMod(number, (long) SLOTS);
            if (stamps.get(s) != number) {
                int base = s * PER_SLOT;
                for (int i = 0; i < PER_SLOT; i++) {
                    data.lazySet(base + i, 0);
                }
                stamps.set(s, number);
            }
            return s * PER_SLOT;
        }
    }
}
