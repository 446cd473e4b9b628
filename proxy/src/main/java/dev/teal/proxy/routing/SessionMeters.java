package dev.teal.proxy.routing;

import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import dev.teal.proxy.session.CookieRejection;
import dev.teal.proxy.session.DrainStatus;
import dev.teal.proxy.session.EndReason;
import dev.teal.proxy.session.SessionEvents;
import dev.teal.proxy.session.SessionTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The session and drain meters: counters fed by {@link SessionEvents} (called inside the table's
 * per-entry sections, so increments only), gauges read from the table and the last drain update.
 */
public final class SessionMeters implements SessionEvents {
    private final Map<Color, Counter> started = new EnumMap<>(Color.class);
    private final Map<Color, Map<EndReason, Counter>> ended = new EnumMap<>(Color.class);
    private final Map<CookieRejection, Counter> rejected = new EnumMap<>(CookieRejection.class);

    SessionMeters(MeterRegistry registry) {
        for (Color c : Color.values()) {
            started.put(
                    c,
                    Counter.builder("teal.sessions.started")
                            .description("Sessions begun on a color (new, resumed from a cookie, or moved there)")
                            .tag("color", c.id())
                            .register(registry));
            Map<EndReason, Counter> byReason = new EnumMap<>(EndReason.class);
            for (EndReason r : EndReason.values()) {
                byReason.put(
                        r,
                        Counter.builder("teal.sessions.ended")
                                .description("Sessions that left a color: idled out, closed by the application, forced")
                                .tags("color", c.id(), "reason", r.id())
                                .register(registry));
            }
            ended.put(c, byReason);
        }
        for (CookieRejection r : CookieRejection.values()) {
            rejected.put(
                    r,
                    Counter.builder("teal.cookie.rejected")
                            .description("Pin cookies ignored (the request started a new session), by reason")
                            .tag("reason", r.id())
                            .register(registry));
        }
    }

    /** Registers the gauges once the table and the drain view exist. */
    void bindGauges(
            MeterRegistry registry, SessionTable table, Supplier<Split> split, Function<Color, DrainStatus> drain) {
        for (Color c : Color.values()) {
            Gauge.builder("teal.sessions.active", table, t -> t.activeSessions(c))
                    .description("Sessions pinned to a color that have not idled out or ended")
                    .tag("color", c.id())
                    .register(registry);
            Gauge.builder("teal.split.ratio", split, s -> s.get().percent(c) / 100.0)
                    .description("Share of new sessions sent to a color (0-1)")
                    .tag("color", c.id())
                    .register(registry);
            Gauge.builder("teal.drain.remaining.sessions", drain, d -> {
                        DrainStatus s = d.apply(c);
                        return s.state() == DrainState.SERVING ? 0 : s.activeSessions();
                    })
                    .description("Sessions a draining color still holds (0 while it serves)")
                    .tag("color", c.id())
                    .register(registry);
            Gauge.builder("teal.drain.deadline.seconds", drain, d -> d.apply(c)
                            .deadline()
                            .map(i -> i.toEpochMilli() / 1000.0)
                            .orElse(Double.NaN))
                    .description("Unix time by which a draining color is empty if none of its sessions returns")
                    .tag("color", c.id())
                    .register(registry);
        }
    }

    @Override
    public void started(Color color) {
        started.get(color).increment();
    }

    @Override
    public void ended(Color color, EndReason reason) {
        ended.get(color).get(reason).increment();
    }

    @Override
    public void cookieRejected(CookieRejection reason) {
        rejected.get(reason).increment();
    }
}
