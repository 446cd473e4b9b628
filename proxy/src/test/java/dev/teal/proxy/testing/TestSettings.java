package dev.teal.proxy.testing;

import dev.teal.config.AdminSettings;
import dev.teal.config.Backend;
import dev.teal.config.Color;
import dev.teal.config.ColorSettings;
import dev.teal.config.ForwardingSettings;
import dev.teal.config.HealthCheckSettings;
import dev.teal.config.HostPort;
import dev.teal.config.LimitSettings;
import dev.teal.config.PassiveHealthSettings;
import dev.teal.config.RolloutSettings;
import dev.teal.config.SessionSettings;
import dev.teal.config.TealSettings;
import dev.teal.config.TimeoutSettings;
import dev.teal.config.TransportSettings;
import dev.teal.config.UpstreamSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Settings for tests, built from the records with the same defaults as reference.conf and changed with
 * {@code with*} calls; the listener binds to port 0 on loopback.
 */
public final class TestSettings {
    private Map<Color, ColorSettings> colors = new EnumMap<>(Color.class);
    private int green;
    private LimitSettings limits = new LimitSettings(8192, 16384, 100, 100L * 1024 * 1024, 10_000, 10_000);
    private TimeoutSettings timeouts = new TimeoutSettings(
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(3),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
    private UpstreamSettings upstream = new UpstreamSettings(
            64, Duration.ofSeconds(30), new PassiveHealthSettings(5, Duration.ofSeconds(5), Duration.ofMinutes(2)));
    private ForwardingSettings forwarding = new ForwardingSettings(true, false, true, "teal", true);
    private boolean accessLog;
    private Duration drain = Duration.ofSeconds(30);
    private TransportSettings transport = new TransportSettings(TransportSettings.Kind.AUTO, 2);
    private SessionSettings sessions = new SessionSettings(
            SessionSettings.KeyKind.COOKIE,
            new SessionSettings.CookieSettings(
                    "teal", List.of(), SessionSettings.CookieSettings.Secure.AUTO, Optional.empty()),
            "JSESSIONID",
            "Authorization",
            Duration.ofMinutes(30),
            List.of());
    private Path stateDir = Path.of("target", "teal-state");

    public static TestSettings backends(List<Backend> blue, List<Backend> green) {
        TestSettings t = new TestSettings();
        t.colors.put(Color.BLUE, new ColorSettings(Color.BLUE, blue, noHealthCheck()));
        t.colors.put(Color.GREEN, new ColorSettings(Color.GREEN, green, noHealthCheck()));
        return t;
    }

    public static HealthCheckSettings noHealthCheck() {
        return new HealthCheckSettings(Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3);
    }

    public TestSettings healthCheck(Color color, HealthCheckSettings check) {
        ColorSettings c = colors.get(color);
        colors.put(color, new ColorSettings(color, c.backends(), check));
        return this;
    }

    public TestSettings green(int percent) {
        this.green = percent;
        return this;
    }

    public TestSettings limits(UnaryOperator<LimitSettings> change) {
        this.limits = change.apply(limits);
        return this;
    }

    public TestSettings limits(LimitSettings limits) {
        this.limits = limits;
        return this;
    }

    public TestSettings timeouts(TimeoutSettings timeouts) {
        this.timeouts = timeouts;
        return this;
    }

    public TimeoutSettings timeouts() {
        return timeouts;
    }

    public LimitSettings limits() {
        return limits;
    }

    public TestSettings upstream(UpstreamSettings upstream) {
        this.upstream = upstream;
        return this;
    }

    public TestSettings forwarding(ForwardingSettings forwarding) {
        this.forwarding = forwarding;
        return this;
    }

    public TestSettings accessLog(boolean on) {
        this.accessLog = on;
        return this;
    }

    public TestSettings shutdownDrain(Duration drain) {
        this.drain = drain;
        return this;
    }

    public TestSettings sessions(SessionSettings sessions) {
        this.sessions = sessions;
        return this;
    }

    public TestSettings stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    public TealSettings build() {
        return new TealSettings(
                new HostPort("127.0.0.1", 0),
                colors,
                green,
                sessions,
                Optional.empty(),
                limits,
                timeouts,
                upstream,
                forwarding,
                accessLog,
                drain,
                transport,
                new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                stateDir,
                RolloutSettings.none());
    }
}
