package dev.teal.proxy.testing;

import dev.teal.config.AdminSettings;
import dev.teal.config.Backend;
import dev.teal.config.ClusterSettings;
import dev.teal.config.Color;
import dev.teal.config.ColorSettings;
import dev.teal.config.DiscoverySettings;
import dev.teal.config.DnsSource;
import dev.teal.config.ForwardingSettings;
import dev.teal.config.HealthCheckSettings;
import dev.teal.config.HostPort;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.LimitSettings;
import dev.teal.config.RolloutSettings;
import dev.teal.config.ServedHosts;
import dev.teal.config.SessionSettings;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import dev.teal.config.TimeoutSettings;
import dev.teal.config.TlsSettings;
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
    /** reference.conf's defaults, read by the real loader: tests start from what production starts from. */
    private static final TealSettings DEFAULTS = defaults();

    private Map<Color, ColorSettings> colors = new EnumMap<>(Color.class);
    private int green;
    private ServedHosts hosts = DEFAULTS.hosts();
    private LimitSettings limits = DEFAULTS.limits();
    private TimeoutSettings timeouts = DEFAULTS.timeouts();
    private UpstreamSettings upstream = DEFAULTS.upstream();
    private ForwardingSettings forwarding = DEFAULTS.forwarding();
    private boolean accessLog = DEFAULTS.accessLog();
    private Optional<Duration> drainMaxWait = DEFAULTS.drainMaxWait();
    private Duration drain = DEFAULTS.shutdownDrainTimeout();
    /** Two event loops whatever the machine, so tests behave alike on 2 cores and on 64. */
    private TransportSettings transport =
            new TransportSettings(DEFAULTS.transport().kind(), 2);

    private SessionSettings sessions = DEFAULTS.sessions();
    private DiscoverySettings discovery = DEFAULTS.discovery();
    private Optional<TlsSettings> tls = Optional.empty();
    /** A directory of its own, so one test's saved sessions never reach another test's proxy. */
    private Path stateDir = freshStateDir();

    private static Path freshStateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("teal-test-state-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestSettings backends(List<Backend> blue, List<Backend> green) {
        TestSettings t = new TestSettings();
        t.colors.put(Color.BLUE, new ColorSettings(Color.BLUE, blue, noHealthCheck()));
        t.colors.put(Color.GREEN, new ColorSettings(Color.GREEN, green, noHealthCheck()));
        return t;
    }

    public static HealthCheckSettings noHealthCheck() {
        return DEFAULTS.color(Color.BLUE).healthCheck();
    }

    private static TealSettings defaults() {
        try {
            return SettingsLoader.parse(
                    "teal.colors.blue.backends = [\"127.0.0.1:1\"], teal.colors.green.backends = [\"127.0.0.1:2\"]",
                    Map.of());
        } catch (InvalidSettingsException e) {
            throw new IllegalStateException("reference.conf does not load: " + e.problems(), e);
        }
    }

    /** Caps one request body at {@code bytes} (0: no limit). */
    public TestSettings maxBodySize(long bytes) {
        return limits(l -> new LimitSettings(
                l.maxRequestLine(),
                l.maxHeaderSize(),
                l.maxHeaderName(),
                l.maxHeaderCount(),
                bytes,
                l.maxConnections(),
                l.maxRequestsPerConnection(),
                l.maxConnectionsAuto()));
    }

    public TestSettings maxConnections(int connections) {
        return limits(l -> l.withMaxConnections(connections));
    }

    public TestSettings maxRequestsPerConnection(int requests) {
        return limits(l -> new LimitSettings(
                l.maxRequestLine(),
                l.maxHeaderSize(),
                l.maxHeaderName(),
                l.maxHeaderCount(),
                l.maxBodySize(),
                l.maxConnections(),
                requests,
                l.maxConnectionsAuto()));
    }

    public TestSettings maxHeaderName(int bytes) {
        return limits(l -> new LimitSettings(
                l.maxRequestLine(),
                l.maxHeaderSize(),
                bytes,
                l.maxHeaderCount(),
                l.maxBodySize(),
                l.maxConnections(),
                l.maxRequestsPerConnection(),
                l.maxConnectionsAuto()));
    }

    /** Serves only the authorities matching {@code patterns} ({@code teal.hosts}). */
    public TestSettings hosts(String... patterns) {
        this.hosts = new ServedHosts(List.of(patterns));
        return this;
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

    public Path stateDir() {
        return stateDir;
    }

    public TestSettings drainMaxWait(Duration maxWait) {
        this.drainMaxWait = Optional.of(maxWait);
        return this;
    }

    public SessionSettings sessions() {
        return sessions;
    }

    public TestSettings discovery(DiscoverySettings settings) {
        this.discovery = settings;
        return this;
    }

    /** Replaces one color's backends and DNS names, keeping its health check. */
    public TestSettings color(Color color, List<Backend> backends, List<DnsSource> names) {
        HealthCheckSettings check = colors.get(color).healthCheck();
        colors.put(color, new ColorSettings(color, backends, names, check));
        return this;
    }

    public TestSettings stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    public TealSettings build() {
        return new TealSettings(
                new HostPort("127.0.0.1", 0),
                hosts,
                colors,
                green,
                sessions,
                drainMaxWait,
                limits,
                timeouts,
                upstream,
                forwarding,
                accessLog,
                drain,
                transport,
                new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                stateDir,
                RolloutSettings.none(),
                ClusterSettings.single(),
                discovery,
                tls);
    }

    /** A TLS listener on a free loopback port serving these certificates (the first by default). */
    public TestSettings tls(TlsSettings.CertificateFiles... certificates) {
        return tls(new TlsSettings(
                new HostPort("127.0.0.1", 0),
                List.of(certificates),
                List.of("TLSv1.3", "TLSv1.2"),
                TlsSettings.Provider.AUTO,
                List.of("http/1.1"),
                Duration.ofSeconds(10),
                true));
    }

    public TestSettings tls(TlsSettings tls) {
        this.tls = Optional.of(tls);
        return this;
    }
}
