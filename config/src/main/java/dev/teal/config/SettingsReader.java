package dev.teal.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the resolved settings into the records, by hand, one section per method, reporting every
 * problem on the way. {@link SessionSettingsReader} reads {@code teal.sessions}, {@link
 * RolloutSettingsReader} {@code teal.rollout}.
 */
final class SettingsReader {
    private final Problems problems;
    private final Map<String, String> environment;

    /** @param environment the environment teal runs with (PATH finds the programs of command phases) */
    SettingsReader(Problems problems, Map<String, String> environment) {
        this.problems = requireNonNull(problems, "problems");
        this.environment = requireNonNull(environment, "environment");
    }

    /** The settings, or null when a problem was reported. */
    TealSettings read(Config settings) {
        SettingsNode teal = SettingsNode.root(settings, "teal", problems);
        HostPort listen = teal.hostPort("listen");
        ServedHosts hosts = hosts(teal);
        Path stateDir = teal.parsed("state-dir", SettingsReader::directory, "a directory such as ./teal-state");
        Map<Color, ColorSettings> colors = colors(teal.child("colors"));
        Integer green = teal.child("split").integer("green", 0, 100, "an integer percentage 0-100");
        SessionSettings sessions = new SessionSettingsReader().read(teal.child("sessions"));
        Optional<Duration> drainMaxWait = teal.child("drain").positiveDurationOrOff("max-wait");
        LimitSettings limits = limits(teal.child("limits"));
        TimeoutSettings timeouts = timeouts(teal.child("timeouts"));
        UpstreamSettings upstream = upstream(teal.child("upstream"));
        ForwardingSettings forwarding = forwarding(teal.child("forwarding"));
        Boolean accessLog = teal.bool("access-log");
        Duration drainTimeout = teal.child("shutdown").positiveDuration("drain-timeout");
        TransportSettings transport = transport(teal.child("transport"));
        AdminSettings admin = admin(teal.child("admin"), listen);
        RolloutSettings rollout = new RolloutSettingsReader(problems, environment).read(teal.child("rollout"));
        ClusterSettings cluster = cluster(teal.child("cluster"), sessions);
        DiscoverySettings discovery = discovery(teal.child("discovery").child("dns"));
        Optional<TlsSettings> tls = new TlsSettingsReader().read(teal.child("tls"), listen, admin);
        return teal.build(() -> new TealSettings(
                listen,
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
                drainTimeout,
                transport,
                admin,
                stateDir,
                rollout,
                cluster,
                discovery,
                tls));
    }

    /** @param sessions the session settings, or null when they were invalid */
    private static ClusterSettings cluster(SettingsNode node, SessionSettings sessions) {
        ClusterSettings.Store store = node.oneOf("store", ClusterSettings.Store.class);
        ClusterSettings.OnStoreLoss onStoreLoss = node.oneOf("on-store-loss", ClusterSettings.OnStoreLoss.class);
        Optional<String> instanceId = instanceId(node);
        SettingsNode zk = node.child("zookeeper");
        String connect = zk.text("connect", "host:port,host:port,... of the ZooKeeper ensemble");
        String root = zk.parsed("root", SettingsReader::zooKeeperRoot, "an absolute ZooKeeper path such as /teal/shop");
        Duration sessionTimeout = zk.positiveDuration("session-timeout");
        Duration connectionTimeout = zk.positiveDuration("connection-timeout");
        if (store != ClusterSettings.Store.ZOOKEEPER) {
            return node.build(() -> new ClusterSettings(store, instanceId, Optional.empty(), onStoreLoss));
        }
        if (connect != null && connect.isBlank()) {
            zk.problem(
                    "connect",
                    "\"\"",
                    "host:port,host:port,... of the ZooKeeper ensemble, since cluster.store is" + " zookeeper");
        }
        if (instanceId != null && instanceId.isEmpty()) {
            node.problem(
                    "instance-id",
                    "(none)",
                    "a name unique among the instances, since cluster.store is zookeeper; set it, or HOSTNAME");
        }
        if (sessions != null && sessions.cookie().secrets().isEmpty()) {
            // A generated secret is this instance's own: a session pinned here would be a stranger elsewhere.
            node.problem(
                    "store",
                    "zookeeper",
                    "an explicit cookie secret shared by every instance (teal.sessions.cookie.secrets or"
                            + " TEAL_COOKIE_SECRET): each instance would otherwise generate its own, and sessions"
                            + " pinned by one would be strangers to the others");
        }
        return node.build(() -> new ClusterSettings(
                store,
                instanceId,
                Optional.of(new ClusterSettings.ZooKeeperSettings(connect, root, sessionTimeout, connectionTimeout)),
                onStoreLoss));
    }

    private static Optional<String> instanceId(SettingsNode node) {
        Optional<ConfigValue> value = node.optional("instance-id");
        if (value == null || value.isEmpty()) {
            return value == null ? null : Optional.empty();
        }
        String text = SettingsNode.text(value.get());
        if (text == null || !ClusterSettings.INSTANCE_ID.matcher(text).matches()) {
            node.problem(
                    "instance-id",
                    SettingsNode.shown(value.get()),
                    "1-63 letters, digits, '.', '-' or '_', starting with a letter or digit");
            return null;
        }
        return Optional.of(text);
    }

    private static final java.util.regex.Pattern ZNODE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");

    private static String zooKeeperRoot(String text) {
        String expected = "an absolute ZooKeeper path such as /teal/shop (segments of letters, digits, '.', '-', '_')";
        if (!text.startsWith("/") || text.length() == 1 || text.endsWith("/")) {
            throw new UnexpectedValueException(text, expected);
        }
        for (String segment : text.substring(1).split("/", -1)) {
            if (!ZNODE_NAME.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new UnexpectedValueException(text, expected);
            }
        }
        if (text.equals("/zookeeper") || text.startsWith("/zookeeper/")) {
            throw new UnexpectedValueException(text, "a path outside /zookeeper, which the ensemble keeps for itself");
        }
        return text;
    }

    private static ServedHosts hosts(SettingsNode teal) {
        String expected = "a list of host names, *.names or IP literals, optionally with :port, such as"
                + " [\"shop.example.com\", \"*.shop.example.com\"]";
        List<ConfigValue> values = teal.list("hosts", expected);
        if (values == null) {
            return null;
        }
        List<String> patterns = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            String text = SettingsNode.text(values.get(i));
            try {
                patterns.add(new ServedHosts(List.of(text == null ? "" : text))
                        .patterns()
                        .get(0));
            } catch (IllegalArgumentException e) {
                teal.problem("hosts[" + i + "]", SettingsNode.shown(values.get(i)), expected);
                valid = false;
            }
        }
        return valid ? new ServedHosts(patterns) : null;
    }

    private static Path directory(String text) {
        if (text.isBlank()) {
            throw new UnexpectedValueException(text, "a directory such as ./teal-state");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UnexpectedValueException(text, "a directory path valid on this system (" + e.getReason() + ")");
        }
    }

    private Map<Color, ColorSettings> colors(SettingsNode node) {
        Map<Color, ColorSettings> colors = new EnumMap<>(Color.class);
        for (Color color : Color.values()) {
            ColorSettings settings = color(node.child(color.id()), color);
            if (settings != null) {
                colors.put(color, settings);
            }
        }
        return colors;
    }

    private ColorSettings color(SettingsNode node, Color color) {
        List<DnsSource> discovery = new ArrayList<>();
        List<Backend> backends = backends(node, discovery);
        HealthCheckSettings healthCheck = healthCheck(node.child("health-check"));
        return node.build(() -> new ColorSettings(color, backends, discovery, healthCheck));
    }

    /** The listed backends; the {@code dns://} and {@code dns+srv://} entries go to {@code discovery}. */
    private List<Backend> backends(SettingsNode node, List<DnsSource> discovery) {
        List<ConfigValue> values = node.list("backends", "a list of host:port, such as [\"10.0.0.11:8080\"]");
        if (values == null) {
            return null;
        }
        if (values.isEmpty()) {
            node.problem("backends", "[]", "at least one host:port");
            return null;
        }
        List<Backend> backends = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            String key = "backends[" + i + "]";
            ConfigValue value = values.get(i);
            String text = SettingsNode.text(value);
            if (text == null) {
                node.problem(key, SettingsNode.shown(value), "host:port or http://host:port, such as 10.0.0.11:8080");
                valid = false;
                continue;
            }
            try {
                if (DnsSource.isDiscovery(text)) {
                    DnsSource source = DnsSource.parse(text);
                    if (discovery.contains(source)) {
                        node.problem(
                                key, SettingsNode.shown(value), "each name once; " + source + " is already listed");
                        valid = false;
                    }
                    discovery.add(source);
                    continue;
                }
                Backend backend = Backend.parse(text);
                int earlier = backends.indexOf(backend);
                if (earlier >= 0) {
                    node.problem(
                            key, SettingsNode.shown(value), "each backend once; " + backend + " is already listed");
                    valid = false;
                }
                backends.add(backend);
            } catch (UnexpectedValueException e) {
                node.problem(key, SettingsNode.shown(value), e.expected());
                valid = false;
            }
        }
        return valid ? backends : null;
    }

    private DiscoverySettings discovery(SettingsNode node) {
        Duration minTtl = node.positiveDuration("min-ttl");
        Duration maxTtl = node.positiveDuration("max-ttl");
        if (minTtl != null && maxTtl != null && maxTtl.compareTo(minTtl) < 0) {
            node.problem("max-ttl", node.rawAt("max-ttl"), "a duration >= min-ttl (" + node.rawAt("min-ttl") + ")");
        }
        Duration timeout = node.positiveDuration("timeout");
        String form =
                "a list of DNS servers, IP addresses with optional ports, such as [\"10.0.0.2\", \"10.0.0.3:5353\"],"
                        + " or [] for the system's";
        List<ConfigValue> values = node.list("servers", form);
        List<HostPort> servers = new ArrayList<>();
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                String key = "servers[" + i + "]";
                ConfigValue value = values.get(i);
                String text = SettingsNode.text(value);
                try {
                    if (text == null) {
                        throw new UnexpectedValueException(SettingsNode.shown(value), form);
                    }
                    HostPort server = DiscoverySettings.server(text);
                    if (servers.contains(server)) {
                        node.problem(
                                key, SettingsNode.shown(value), "each server once; " + server + " is already listed");
                    }
                    servers.add(server);
                } catch (UnexpectedValueException e) {
                    node.problem(key, SettingsNode.shown(value), e.expected());
                }
            }
        }
        return node.build(() -> new DiscoverySettings(minTtl, maxTtl, servers, timeout));
    }

    private HealthCheckSettings healthCheck(SettingsNode node) {
        Optional<String> path = node.parsed(
                "path", SettingsReader::healthCheckPath, "an absolute path such as /health, or \"\" for none");
        Duration interval = node.positiveDuration("interval");
        Duration timeout = node.positiveDuration("timeout");
        Integer healthy = node.integer("healthy-threshold", 1, Integer.MAX_VALUE, "an integer >= 1");
        Integer unhealthy = node.integer("unhealthy-threshold", 1, Integer.MAX_VALUE, "an integer >= 1");
        return node.build(() -> new HealthCheckSettings(path, interval, timeout, healthy, unhealthy));
    }

    private static Optional<String> healthCheckPath(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        // It goes into a request line verbatim: visible ASCII only, no spaces.
        if (!text.startsWith("/") || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UnexpectedValueException(
                    text, "an absolute path of visible ASCII such as /health, or \"\" for no active checks");
        }
        return Optional.of(text);
    }

    private LimitSettings limits(SettingsNode node) {
        Long requestLine = node.size(
                "max-request-line", 64, Integer.MAX_VALUE, "a size of at least 64 bytes and below 2GiB, such as 8KiB");
        Long headerSize = node.size(
                "max-header-size",
                256,
                Integer.MAX_VALUE,
                "a size of at least 256 bytes and below 2GiB, such as 16KiB");
        Long headerName = node.size(
                "max-header-name", 1, Integer.MAX_VALUE, "a size of at least 1 byte and below 2GiB, such as 256");
        Integer headerCount = node.integer("max-header-count", 1, Integer.MAX_VALUE, "an integer >= 1");
        Long bodySize = node.size("max-body-size", 0, Long.MAX_VALUE, "a size such as 100MiB, or 0 for no limit");
        Optional<ConfigValue> connectionsValue = node.optional("max-connections");
        boolean autoConnections = connectionsValue != null
                && connectionsValue.isPresent()
                && "auto".equals(SettingsNode.text(connectionsValue.get()));
        Integer connections = autoConnections
                ? Integer.valueOf(LimitSettings.AUTO_MAX_CONNECTIONS)
                : node.integer("max-connections", 1, Integer.MAX_VALUE, "an integer >= 1, or auto");
        Integer requests = node.integer("max-requests-per-connection", 1, Integer.MAX_VALUE, "an integer >= 1");
        return node.build(() -> new LimitSettings(
                requestLine.intValue(),
                headerSize.intValue(),
                headerName.intValue(),
                headerCount,
                bodySize,
                connections,
                requests,
                autoConnections));
    }

    private TimeoutSettings timeouts(SettingsNode node) {
        Duration requestHead = node.positiveDuration("request-head");
        Duration keepAliveIdle = node.positiveDuration("keep-alive-idle");
        Duration clientBodyIdle = node.positiveDuration("client-body-idle");
        Duration clientSendIdle = node.positiveDuration("client-send-idle");
        Duration upstreamConnect = node.positiveDuration("upstream-connect");
        Duration upstreamResponse = node.positiveDuration("upstream-response");
        Duration upstreamIdle = node.positiveDuration("upstream-idle");
        return node.build(() -> new TimeoutSettings(
                requestHead,
                keepAliveIdle,
                clientBodyIdle,
                clientSendIdle,
                upstreamConnect,
                upstreamResponse,
                upstreamIdle));
    }

    private UpstreamSettings upstream(SettingsNode node) {
        Integer maxIdle = node.integer("max-idle-per-backend", 0, Integer.MAX_VALUE, "an integer >= 0");
        Duration idleTimeout = node.positiveDuration("idle-timeout");
        PassiveHealthSettings passiveHealth = passiveHealth(node.child("passive-health"));
        return node.build(() -> new UpstreamSettings(maxIdle, idleTimeout, passiveHealth));
    }

    private PassiveHealthSettings passiveHealth(SettingsNode node) {
        Integer failures = node.integer("consecutive-failures", 1, Integer.MAX_VALUE, "an integer >= 1");
        Duration base = node.positiveDuration("base-ejection");
        Duration max = node.positiveDuration("max-ejection");
        if (base != null && max != null && max.compareTo(base) < 0) {
            node.problem(
                    "max-ejection",
                    node.rawAt("max-ejection"),
                    "a duration >= base-ejection (" + node.rawAt("base-ejection") + ")");
        }
        return node.build(() -> new PassiveHealthSettings(failures, base, max));
    }

    private ForwardingSettings forwarding(SettingsNode node) {
        Boolean xForwarded = node.bool("x-forwarded");
        Boolean forwarded = node.bool("forwarded");
        Boolean via = node.bool("via");
        String viaName = node.parsed(
                "via-name",
                text -> HttpToken.require(text, "a token (no spaces, commas or separators) such as teal"),
                "a token such as teal");
        Boolean dropUnderscore = node.bool("drop-underscore-headers");
        return node.build(() -> new ForwardingSettings(xForwarded, forwarded, via, viaName, dropUnderscore));
    }

    private TransportSettings transport(SettingsNode node) {
        TransportSettings.Kind kind = node.oneOf("kind", TransportSettings.Kind.class);
        Integer threads = node.integer("event-loop-threads", 0, 4096, "an integer 0-4096 (0: one per core)");
        return node.build(() -> new TransportSettings(kind, threads));
    }

    /** @param proxyListen the client listener, or null when it was invalid */
    private AdminSettings admin(SettingsNode node, HostPort proxyListen) {
        HostPort listen = node.hostPort("listen");
        Optional<String> token = adminToken(node);
        if (listen != null && token != null && token.isEmpty() && !listen.isLoopback()) {
            node.problem(
                    "token",
                    "(none)",
                    "a token, since admin.listen " + listen
                            + " is not a loopback address; set TEAL_ADMIN_TOKEN, or listen on 127.0.0.1");
        }
        if (listen != null && proxyListen != null && clash(listen, proxyListen)) {
            node.problem(
                    "listen",
                    "\"" + listen + "\"",
                    "a port other than teal.listen's (" + proxyListen + "), or another address");
        }
        return node.build(() -> new AdminSettings(listen, token));
    }

    private static Optional<String> adminToken(SettingsNode node) {
        Optional<ConfigValue> value = node.optional("token");
        if (value == null || value.isEmpty()) {
            return value == null ? null : Optional.empty();
        }
        String text = SettingsNode.text(value.get());
        // It is compared with an Authorization header: visible ASCII, and not empty (that would admit anyone).
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            node.problem("token", SettingsNode.hidden(value.get()), "a non-empty token of visible ASCII characters");
            return null;
        }
        return Optional.of(text);
    }

    /** Two listeners on one port clash when they share the address or one takes every address. */
    static boolean clash(HostPort a, HostPort b) {
        if (a.port() == 0 || a.port() != b.port()) {
            return false;
        }
        return a.host().equalsIgnoreCase(b.host()) || isWildcard(a.host()) || isWildcard(b.host());
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }
}
