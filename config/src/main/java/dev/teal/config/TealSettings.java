package dev.teal.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything teal was configured with: built once by {@link SettingsLoader}, never changed (a reload
 * builds a new one).
 *
 * @param listen the client listener (default 0.0.0.0:8080)
 * @param hosts the authorities served; others get 421 (default: empty, every authority)
 * @param colors both colors' backends
 * @param initialGreenPercent the split for a new state directory: percent of new sessions to green
 * @param sessions session recognition and lifetime
 * @param drainMaxWait bound on a drain; past it remaining sessions are moved (empty: off, the default)
 * @param limits client limits
 * @param timeouts time-outs
 * @param upstream backend connections and passive health
 * @param forwarding proxy headers
 * @param accessLog whether one structured line per request is logged to the {@code teal.access} logger
 * @param shutdownDrainTimeout how long SIGTERM waits for in-flight requests (default 30s)
 * @param transport network transport
 * @param admin the admin API
 * @param stateDir where durable state lives (default ./teal-state)
 * @param rollout the migration phases and their data source (default: none)
 * @param cluster how the state is shared with other instances (default: not at all, the file store)
 * @param discovery how {@code dns://} and {@code dns+srv://} backends are resolved
 * @param tls the TLS listener (default: none)
 */
public record TealSettings(
        HostPort listen,
        ServedHosts hosts,
        Map<Color, ColorSettings> colors,
        int initialGreenPercent,
        SessionSettings sessions,
        Optional<Duration> drainMaxWait,
        LimitSettings limits,
        TimeoutSettings timeouts,
        UpstreamSettings upstream,
        ForwardingSettings forwarding,
        boolean accessLog,
        Duration shutdownDrainTimeout,
        TransportSettings transport,
        AdminSettings admin,
        Path stateDir,
        RolloutSettings rollout,
        ClusterSettings cluster,
        DiscoverySettings discovery,
        Optional<TlsSettings> tls) {
    public TealSettings {
        requireNonNull(listen, "listen");
        requireNonNull(hosts, "hosts");
        requireNonNull(colors, "colors");
        for (Color c : Color.values()) {
            if (!colors.containsKey(c)) {
                throw new IllegalArgumentException("colors." + c + ": missing (expected: both blue and green)");
            }
        }
        colors = Map.copyOf(new EnumMap<>(colors));
        Checks.percent(initialGreenPercent, "split.green");
        requireNonNull(sessions, "sessions");
        requireNonNull(drainMaxWait, "drainMaxWait");
        drainMaxWait.ifPresent(d -> Checks.positive(d, "drain.max-wait"));
        requireNonNull(limits, "limits");
        requireNonNull(timeouts, "timeouts");
        requireNonNull(upstream, "upstream");
        requireNonNull(forwarding, "forwarding");
        Checks.positive(shutdownDrainTimeout, "shutdown.drain-timeout");
        requireNonNull(transport, "transport");
        requireNonNull(admin, "admin");
        requireNonNull(stateDir, "stateDir");
        requireNonNull(rollout, "rollout");
        requireNonNull(cluster, "cluster");
        requireNonNull(discovery, "discovery");
        requireNonNull(tls, "tls");
    }

    public ColorSettings color(Color color) {
        return colors.get(color);
    }

    /**
     * These settings with other backends in force for some colors (what discovery found, with the listed
     * ones); everything else the same.
     */
    public TealSettings withColors(Map<Color, ColorSettings> changed) {
        Map<Color, ColorSettings> next = new EnumMap<>(colors);
        next.putAll(changed);
        return new TealSettings(
                listen,
                hosts,
                next,
                initialGreenPercent,
                sessions,
                drainMaxWait,
                limits,
                timeouts,
                upstream,
                forwarding,
                accessLog,
                shutdownDrainTimeout,
                transport,
                admin,
                stateDir,
                rollout,
                cluster,
                discovery,
                tls);
    }

    /**
     * What is valid but most likely a mistake, one line each, for {@code teal check} and the start to
     * print: a backend listed in both colors (a ramp then moves nobody, and a drain never ends while the
     * other color serves from it).
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        Set<HostPort> green = new HashSet<>();
        for (Backend backend : color(Color.GREEN).backends()) {
            green.add(backend.address());
        }
        for (Backend backend : color(Color.BLUE).backends()) {
            if (green.contains(backend.address())) {
                warnings.add("teal.colors: " + backend + " is a backend of both blue and green (expected: each"
                        + " color its own deployment; a ramp between them moves nobody)");
            }
        }
        return warnings;
    }
}
