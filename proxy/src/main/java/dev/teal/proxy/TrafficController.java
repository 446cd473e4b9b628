package dev.teal.proxy;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.config.TealSettings;
import dev.teal.proxy.upstream.BackendState;
import dev.teal.proxy.upstream.HealthChecks;
import dev.teal.proxy.upstream.Upstreams;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TrafficControl} over the running data plane. */
final class TrafficController implements TrafficControl {
    private static final Logger log = LoggerFactory.getLogger(TrafficController.class);

    private final ProxyRuntime runtime;
    private final Upstreams upstreams;
    private final HealthChecks healthChecks;
    private final Map<Color, ColorTraffic> traffic;
    private final Clock clock;
    private volatile Split split;

    TrafficController(
            ProxyRuntime runtime,
            Split initial,
            Upstreams upstreams,
            HealthChecks healthChecks,
            Map<Color, ColorTraffic> traffic,
            Clock clock) {
        this.runtime = runtime;
        this.split = requireNonNull(initial, "initial");
        this.upstreams = upstreams;
        this.healthChecks = healthChecks;
        this.traffic = traffic;
        this.clock = clock;
    }

    @Override
    public Split split() {
        return split;
    }

    @Override
    public void setSplit(Split next) {
        requireNonNull(next, "split");
        Split previous = split;
        split = next;
        if (!previous.equals(next)) {
            log.info(
                    "split {} -> {} (blue {} %, green {} %)",
                    previous.green(), next.green(), next.blue(), next.green());
        }
    }

    @Override
    public void forceMove(Color from) {
        requireNonNull(from, "from");
        // Without pinned sessions there is nothing to move: every request already follows the split.
        log.info("force move from {}: no pinned sessions to move", from);
    }

    @Override
    public TrafficSnapshot snapshot() {
        long now = System.nanoTime();
        Split s = split;
        Map<Color, ColorSnapshot> colors = new EnumMap<>(Color.class);
        for (Color c : Color.values()) {
            List<BackendSnapshot> backends = new ArrayList<>();
            for (BackendState b : upstreams.color(c).all()) {
                long remaining = b.ejectionRemainingNanos(now);
                backends.add(new BackendSnapshot(
                        b.backend(),
                        b.healthy(now),
                        remaining > 0
                                ? Optional.of(clock.instant().plus(Duration.ofNanos(remaining)))
                                : Optional.empty(),
                        b.outstanding()));
            }
            ColorTraffic t = traffic.get(c);
            long inFlight = t.inFlight.get();
            long upgraded = t.upgraded.get();
            DrainState drain = s.percent(c) > 0
                    ? DrainState.SERVING
                    : inFlight == 0 && upgraded == 0 ? DrainState.DRAINED : DrainState.DRAINING;
            colors.put(
                    c,
                    new ColorSnapshot(c, backends, 0, inFlight, upgraded, drain, Optional.empty(), Optional.empty()));
        }
        return new TrafficSnapshot(clock.instant(), s, colors);
    }

    @Override
    public void reload(TealSettings settings) {
        requireNonNull(settings, "settings");
        runtime.settings(settings);
        upstreams.reload(settings);
        healthChecks.apply(settings);
        List<BackendState> all = new ArrayList<>();
        for (Color c : Color.values()) {
            all.addAll(upstreams.color(c).all());
        }
        runtime.metrics().trackBackends(all);
        log.info(
                "reloaded: blue {}, green {}",
                settings.color(Color.BLUE).backends(),
                settings.color(Color.GREEN).backends());
    }
}
