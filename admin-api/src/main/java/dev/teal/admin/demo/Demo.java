package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.TealNode;
import dev.teal.config.Color;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import dev.teal.proxy.tls.SelfSignedCertificate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The running demo: a blue and a green demo application on loopback, the demo database they share, and
 * teal in front of them, configured by {@code demo.conf} with every new session going to blue and the
 * release's migration phases (expand, backfill, contract) attached to the rollout. Closing stops teal
 * first (so no request meets a stopped application), then the applications and the database.
 */
public final class Demo implements AutoCloseable {
    /** How long a session lives without a visit, in teal and in the applications alike. */
    static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private static final String LOOPBACK = "127.0.0.1";

    private final DemoApp blue;
    private final DemoApp green;
    private final DemoDatabase database;
    private final Path workDir;
    private final TealSettings settings;
    private final TealNode node;

    private Demo(
            DemoApp blue, DemoApp green, DemoDatabase database, Path workDir, TealSettings settings, TealNode node) {
        this.blue = blue;
        this.green = green;
        this.database = database;
        this.workDir = workDir;
        this.settings = settings;
        this.node = node;
    }

    /**
     * Starts the database, both applications, then teal.
     *
     * @param port teal's port on 127.0.0.1 (0: any free port)
     * @param bluePort the blue application's port (0: any free port)
     * @param greenPort the green application's port (0: any free port)
     * @param meters where teal registers its meters
     * @throws UncheckedIOException when a port cannot be bound; whatever had started is stopped
     */
    public static Demo start(int port, int bluePort, int greenPort, int adminPort, PrometheusMeterRegistry meters) {
        return start(port, bluePort, greenPort, adminPort, OptionalInt.empty(), meters);
    }

    /**
     * As above, with a TLS listener on 127.0.0.1:{@code tlsPort} (0: any free port) serving a self-signed
     * certificate for localhost made for this demo (its PEM files in the demo's state directory).
     */
    public static Demo start(
            int port, int bluePort, int greenPort, int adminPort, OptionalInt tlsPort, PrometheusMeterRegistry meters) {
        return start(port, bluePort, greenPort, adminPort, tlsPort, meters, SESSION_IDLE_TIMEOUT, DemoDatabase::h2);
    }

    /** As above, with another session idle timeout and database (the tests: short, and PostgreSQL). */
    static Demo start(
            int port,
            int bluePort,
            int greenPort,
            int adminPort,
            PrometheusMeterRegistry meters,
            Duration idleTimeout,
            Function<Path, DemoDatabase> databaseIn) {
        return start(port, bluePort, greenPort, adminPort, OptionalInt.empty(), meters, idleTimeout, databaseIn);
    }

    private static Demo start(
            int port,
            int bluePort,
            int greenPort,
            int adminPort,
            OptionalInt tlsPort,
            PrometheusMeterRegistry meters,
            Duration idleTimeout,
            Function<Path, DemoDatabase> databaseIn) {
        requireNonNull(meters, "meters");
        Path workDir = workDir();
        String tls;
        try {
            tls = tlsPort.isPresent() ? tlsSettings(tlsPort.getAsInt(), workDir) : "";
        } catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw e;
        }
        DemoDatabase database = databaseIn.apply(workDir);
        try {
            DemoApp blue = DemoApp.start(Color.BLUE, "blue-1", loopback(bluePort), idleTimeout, database);
            try {
                DemoApp green = DemoApp.start(Color.GREEN, "green-1", loopback(greenPort), idleTimeout, database);
                try {
                    TealNode.SettingsSource source = () -> settings(
                            port,
                            blue.localAddress().getPort(),
                            green.localAddress().getPort(),
                            adminPort,
                            workDir,
                            database,
                            idleTimeout,
                            tls);
                    TealSettings settings = source.read();
                    return new Demo(blue, green, database, workDir, settings, startNode(settings, source, meters));
                } catch (InvalidSettingsException e) {
                    green.close();
                    throw new IllegalStateException("demo.conf is invalid: " + e.problems(), e);
                } catch (RuntimeException | Error e) {
                    green.close();
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                blue.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            database.close();
            deleteQuietly(workDir);
            throw e;
        }
    }

    private static TealNode startNode(
            TealSettings settings, TealNode.SettingsSource source, PrometheusMeterRegistry meters) {
        try {
            return TealNode.start(settings, source, meters, Clock.systemUTC());
        } catch (UncheckedIOException e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new UncheckedIOException("teal " + reason, e.getCause());
        }
    }

    /**
     * Each demo starts from a new directory (state, database, scripts): a demo is a fresh release every
     * time, and leaves nothing behind.
     */
    private static Path workDir() {
        try {
            return Files.createTempDirectory("teal-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the demo", e);
        }
    }

    /**
     * teal's settings for the demo: {@code demo.conf} with the ports, the state directory (under {@code
     * workDir}), the database and its scripts, and the idle timeout filled in.
     */
    static TealSettings settings(
            int port,
            int bluePort,
            int greenPort,
            int adminPort,
            Path workDir,
            DemoDatabase database,
            Duration idleTimeout)
            throws InvalidSettingsException {
        return settings(port, bluePort, greenPort, adminPort, workDir, database, idleTimeout, "");
    }

    private static TealSettings settings(
            int port,
            int bluePort,
            int greenPort,
            int adminPort,
            Path workDir,
            DemoDatabase database,
            Duration idleTimeout,
            String tls)
            throws InvalidSettingsException {
        String text = (demoConf() + tls)
                .replace("{{port}}", Integer.toString(port))
                .replace("{{blue-port}}", Integer.toString(bluePort))
                .replace("{{green-port}}", Integer.toString(greenPort))
                .replace("{{admin-port}}", Integer.toString(adminPort))
                .replace("{{state-dir}}", slashes(workDir.resolve("state")))
                .replace("{{db-url}}", database.url())
                .replace("{{db-user}}", database.user())
                .replace("{{db-password}}", database.password())
                .replace("{{scripts}}", slashes(database.scripts()))
                .replace("{{idle-timeout}}", idleTimeout.toMillis() + "ms");
        // No environment: the demo behaves the same on every machine.
        return SettingsLoader.parse(text, Map.of());
    }

    /**
     * A self-signed certificate for localhost, written as PEM (the key as PKCS#8) into the demo's state
     * directory, and the {@code teal.tls} settings that serve it.
     */
    private static String tlsSettings(int tlsPort, Path workDir) {
        if (tlsPort < 0 || tlsPort > 65535) {
            throw new IllegalArgumentException("tls port: " + tlsPort + " (expected: 0-65535)");
        }
        Path dir = workDir.resolve("state").resolve("tls");
        Path cert = dir.resolve("localhost.crt");
        Path key = dir.resolve("localhost.key");
        try {
            Files.createDirectories(dir);
            SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(30), SelfSignedCertificate.KeyType.EC)
                    .write(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's certificate in " + dir, e);
        }
        return "\nteal.tls { listen = \"127.0.0.1:" + tlsPort + "\", cert = \"" + slashes(cert) + "\", key = \""
                + slashes(key) + "\" }\n";
    }

    /** The demo's certificate, when it serves TLS. */
    public Optional<Path> certificate() {
        return settings.tls().map(t -> t.certificates().get(0).cert());
    }

    /** Where teal listens for TLS, when it does. */
    public Optional<InetSocketAddress> tlsAddress() {
        return node.proxy().tls().map(t -> node.proxy().tlsAddress());
    }

    private static String slashes(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "/");
    }

    private static String demoConf() {
        try (InputStream in = Demo.class.getResourceAsStream("demo.conf")) {
            if (in == null) {
                throw new IllegalStateException("demo.conf: not on the class path next to " + Demo.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("demo.conf: cannot be read", e);
        }
    }

    private static InetSocketAddress loopback(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** Where teal listens. */
    public InetSocketAddress proxyAddress() {
        return node.proxy().localAddress();
    }

    /** The admin API and dashboard. */
    public java.net.URI adminUri() {
        return node.admin().uri();
    }

    public TealNode node() {
        return node;
    }

    public InetSocketAddress blueAddress() {
        return blue.localAddress();
    }

    public InetSocketAddress greenAddress() {
        return green.localAddress();
    }

    /** The share of new sessions that goes to green, in percent (0 in the demo). */
    public int greenPercent() {
        return settings.initialGreenPercent();
    }

    /** How long a session lives without a visit. */
    public Duration sessionIdleTimeout() {
        return settings.sessions().idleTimeout();
    }

    /** The demo's database. */
    DemoDatabase database() {
        return database;
    }

    /** Where the demo's database is, for a person who wants to look at it with an H2 client. */
    public String databaseUrl() {
        return database.url();
    }

    /** Stops teal (draining in-flight requests), then the applications and the database. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            try {
                green.close();
            } finally {
                try {
                    blue.close();
                } finally {
                    database.close();
                    deleteQuietly(workDir);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory: the system cleans it up eventually.
        }
    }
}
