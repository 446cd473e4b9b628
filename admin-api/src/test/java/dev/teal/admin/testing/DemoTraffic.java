package dev.teal.admin.testing;

import dev.teal.config.Color;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.DrainState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Moves a {@link FakeTrafficControl}'s counts the way real traffic would: new sessions arrive and follow
 * the split, pinned ones idle out. For screenshots and trying the dashboard by hand, not for assertions.
 */
public final class DemoTraffic implements Runnable {
    private final FakeTrafficControl control;
    private final Clock clock;
    private final Random random = new Random(7);
    private final Map<Color, Double> sessions = new EnumMap<>(Color.class);
    private Instant last;

    public DemoTraffic(FakeTrafficControl control, Clock clock) {
        this.control = control;
        this.clock = clock;
        sessions.put(Color.BLUE, 1800.0);
        sessions.put(Color.GREEN, 0.0);
        last = clock.instant();
    }

    @Override
    public synchronized void run() {
        Instant now = clock.instant();
        double minutes = Duration.between(last, now).toMillis() / 60_000.0;
        last = now;
        double arrivalsPerMinute = 60 * (1 + 0.15 * Math.sin(now.getEpochSecond() / 600.0));
        double idleOutPerMinute = 1.0 / 30;
        for (Color color : Color.values()) {
            double share = control.split().percent(color) / 100.0;
            double s = sessions.get(color);
            s += minutes * (arrivalsPerMinute * share - s * idleOutPerMinute * (share == 0 ? 3 : 1));
            s = Math.max(0, s);
            sessions.put(color, s);
            long active = Math.round(s);
            long inFlight = Math.round(s * 0.012 + random.nextInt(3));
            ColorSnapshot c = control.color(color);
            DrainState drain = share > 0 ? DrainState.SERVING : active > 0 ? DrainState.DRAINING : DrainState.DRAINED;
            Optional<Instant> deadline =
                    drain == DrainState.DRAINING ? Optional.of(now.plus(Duration.ofMinutes(30))) : Optional.empty();
            Optional<Instant> estimate = drain == DrainState.DRAINING
                    ? Optional.of(now.plus(Duration.ofSeconds((long) (Math.log(Math.max(active, 1)) * 600))))
                    : Optional.empty();
            control.color(new ColorSnapshot(
                    color,
                    c.backends(),
                    active,
                    active == 0 ? 0 : inFlight,
                    Math.round(s * 0.004),
                    drain,
                    deadline,
                    estimate));
        }
    }
}
