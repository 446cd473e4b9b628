package dev.teal.proxy.session;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each color stands in a drain. A color is serving while it has a share of the split; at 0 % it is
 * draining while it still has active sessions, requests in flight or upgraded connections, or, after a
 * start without a restored table, until {@code idle-timeout} has passed since start (sessions this instance
 * never saw may still come back with their cookies); drained otherwise. The upper bound of a drain is the
 * latest expiry among its sessions; the estimate divides what is left by an exponentially weighted rate of
 * sessions ending. With {@code drain.max-wait}, a color draining longer than that has its remaining
 * sessions moved to the other color on their next request ({@link SessionTable#forceMove}).
 *
 * <p>Call {@link #update} on every split change and about once a second (it scans the table when a color
 * is draining: never per request). Thread-safe.
 */
public final class DrainTracker {
    /** Time constant of the end-rate average: long enough to smooth bursts, short enough to follow a drain. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final SessionTable table;
    private final Duration idleTimeout;
    private final Optional<Duration> maxWait;
    private final Clock clock;
    /** Until when sessions unknown to this instance may still come back; null after a restored table. */
    private final Instant unseenUntil;

    private final Map<Color, ColorDrain> colors = new EnumMap<>(Color.class);
    private final Map<Color, DrainStatus> last = new EnumMap<>(Color.class);

    /**
     * @param maxWait bound on a drain; empty: off
     * @param restored whether a saved table was found on start ({@link SessionTable.Restored#found()}), or
     *     no session unknown to this table can exist (a state that never had a rollout); if not, no color is
     *     drained before {@code idle-timeout} after now
     */
    public DrainTracker(
            SessionTable table, Duration idleTimeout, Optional<Duration> maxWait, Clock clock, boolean restored) {
        this.table = requireNonNull(table, "table");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
        this.maxWait = requireNonNull(maxWait, "maxWait");
        this.clock = requireNonNull(clock, "clock");
        Instant now = clock.instant();
        this.unseenUntil = restored ? null : now.plus(idleTimeout);
        for (Color c : Color.values()) {
            colors.put(c, new ColorDrain(table.endedTotal(c), now));
        }
    }

    /** Recomputes both colors under {@code split}; applies {@code drain.max-wait}. */
    public synchronized Map<Color, DrainStatus> update(Split split) {
        requireNonNull(split, "split");
        Instant now = clock.instant();
        Map<Color, Instant> latest = null;
        for (Color c : Color.values()) {
            ColorDrain drain = colors.get(c);
            drain.sample(table.endedTotal(c), now);
            long active = table.activeSessions(c);
            long inFlight = table.inFlight(c);
            long upgraded = table.upgraded(c);
            if (split.percent(c) > 0) {
                drain.drainingSince = null;
                drain.forced = false;
                last.put(
                        c,
                        new DrainStatus(
                                c,
                                DrainState.SERVING,
                                active,
                                inFlight,
                                upgraded,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                false));
                continue;
            }
            if (drain.drainingSince == null) {
                drain.drainingSince = now;
            }
            boolean unseen = unseenUntil != null && now.isBefore(unseenUntil);
            if (active == 0 && inFlight == 0 && upgraded == 0 && !unseen) {
                last.put(
                        c,
                        new DrainStatus(
                                c,
                                DrainState.DRAINED,
                                0,
                                0,
                                0,
                                Optional.of(drain.drainingSince),
                                Optional.empty(),
                                Optional.empty(),
                                drain.forced));
                continue;
            }
            if (maxWait.isPresent() && !drain.forced && !now.isBefore(drain.drainingSince.plus(maxWait.get()))) {
                table.forceMove(c);
                drain.forced = true;
            }
            if (latest == null) {
                latest = table.latestExpiries();
            }
            Instant deadline = latest.getOrDefault(c, now);
            if (unseen && unseenUntil.isAfter(deadline)) {
                deadline = unseenUntil;
            }
            if (inFlight > 0 || upgraded > 0) {
                // Open requests end the session's idle countdown only when they finish.
                deadline = max(deadline, now.plus(idleTimeout));
            }
            last.put(
                    c,
                    new DrainStatus(
                            c,
                            DrainState.DRAINING,
                            active,
                            inFlight,
                            upgraded,
                            Optional.of(drain.drainingSince),
                            Optional.of(deadline),
                            Optional.of(drain.estimate(active, now, deadline, unseen ? unseenUntil : now)),
                            drain.forced));
        }
        return Map.copyOf(last);
    }

    /** The status computed by the last {@link #update}; empty before the first. */
    public synchronized Optional<DrainStatus> status(Color color) {
        return Optional.ofNullable(last.get(color));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Per-color drain bookkeeping; guarded by the tracker's monitor. */
    private static final class ColorDrain {
        long lastEnded;
        Instant lastSample;
        /** Sessions ending per second, exponentially weighted. */
        double rate;

        Instant drainingSince;
        boolean forced;

        ColorDrain(long ended, Instant now) {
            this.lastEnded = ended;
            this.lastSample = now;
        }

        void sample(long ended, Instant now) {
            double seconds = Duration.between(lastSample, now).toNanos() / 1e9;
            if (seconds <= 0) {
                return;
            }
            double instant = (ended - lastEnded) / seconds;
            double alpha = 1 - Math.exp(-seconds / RATE_WINDOW.toSeconds());
            rate += alpha * (instant - rate);
            lastEnded = ended;
            lastSample = now;
        }

        /** Now plus what is left at the recent rate; within [notBefore, deadline]; the deadline if nothing ends. */
        Instant estimate(long remaining, Instant now, Instant deadline, Instant notBefore) {
            if (rate <= 1e-9 || remaining <= 0) {
                return remaining <= 0 ? max(notBefore, now) : deadline;
            }
            Instant eta = now.plusMillis((long) Math.min(Long.MAX_VALUE / 2.0, remaining / rate * 1000));
            if (eta.isAfter(deadline)) {
                return deadline;
            }
            return eta.isBefore(notBefore) ? notBefore : eta;
        }
    }
}
