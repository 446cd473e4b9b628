package dev.teal.proxy;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import dev.teal.config.TealSettings;
import dev.teal.proxy.exchange.ProxyRuntime;
import dev.teal.proxy.routing.Sessions;
import dev.teal.proxy.session.DrainStatus;
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

    private ProxyRuntime runtime;
    private final Upstreams upstreams;
    private final HealthChecks healthChecks;
    private final Clock clock;
    private volatile Split split;
    private Sessions sessions;

    TrafficController(
            ProxyRuntime runtime, Split initial, Upstreams upstreams, HealthChecks healthChecks, Clock clock) {
        this.runtime = runtime;
        this.split = requireNonNull(initial, "initial");
        this.upstreams = upstreams;
        this.healthChecks = healthChecks;
        this.clock = clock;
    }

    /**
     * Completes the wiring at start: the session layer and the runtime read this controller's split, so
     * they are made after it.
     */
    void bind(ProxyRuntime runtime, Sessions sessions) {
        this.runtime = runtime;
        this.sessions = sessions;
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
        long pinned = sessions.table().activeSessions(from);
        sessions.table().forceMove(from);
        log.info(
                "force move: the {} sessions pinned to {} move to {} on their next request",
                pinned,
                from,
                from.other());
        sessions.refresh();
    }

    @Override
    public List<SessionView> sessions(Color color, int limit) {
        return sessions.table().page(color, limit);
    }

    @Override
    public TrafficSnapshot snapshot() {
        long now = System.nanoTime();
        Split s = split;
        Map<Color, DrainStatus> drains = sessions.refresh();
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
            DrainStatus d = drains.get(c);
            colors.put(
                    c,
                    new ColorSnapshot(
                            c,
                            backends,
                            d.activeSessions(),
                            d.inFlight(),
                            d.upgraded(),
                            d.state(),
                            d.deadline(),
                            d.estimate()));
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
