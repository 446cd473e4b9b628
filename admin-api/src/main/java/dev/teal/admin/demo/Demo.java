package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.TealNode;
import dev.teal.config.Color;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
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
import java.util.Map;

/**
 * The running demo: a blue and a green demo application on loopback, and teal in front of them,
 * configured by {@code demo.conf} with every new session going to blue. Closing stops teal first (so
 * no request meets a stopped application), then the applications.
 */
public final class Demo implements AutoCloseable {
    /** How long a session lives without a visit, in teal and in the applications alike. */
    static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private static final String LOOPBACK = "127.0.0.1";

    private final DemoApp blue;
    private final DemoApp green;
    private final TealSettings settings;
    private final TealNode node;

    private Demo(DemoApp blue, DemoApp green, TealSettings settings, TealNode node) {
        this.blue = blue;
        this.green = green;
        this.settings = settings;
        this.node = node;
    }

    /**
     * Starts both applications, then teal.
     *
     * @param port teal's port on 127.0.0.1 (0: any free port)
     * @param bluePort the blue application's port (0: any free port)
     * @param greenPort the green application's port (0: any free port)
     * @param meters where teal registers its meters
     * @throws UncheckedIOException when a port cannot be bound; whatever had started is stopped
     */
    public static Demo start(int port, int bluePort, int greenPort, int adminPort, PrometheusMeterRegistry meters) {
        requireNonNull(meters, "meters");
        DemoApp blue = DemoApp.start(Color.BLUE, "blue-1", loopback(bluePort), SESSION_IDLE_TIMEOUT);
        try {
            DemoApp green = DemoApp.start(Color.GREEN, "green-1", loopback(greenPort), SESSION_IDLE_TIMEOUT);
            try {
                Path stateDir = freshStateDir();
                TealNode.SettingsSource source = () -> settings(
                        port,
                        blue.localAddress().getPort(),
                        green.localAddress().getPort(),
                        adminPort,
                        stateDir);
                TealSettings settings = settings(
                        port,
                        blue.localAddress().getPort(),
                        green.localAddress().getPort(),
                        adminPort,
                        stateDir);
                return new Demo(blue, green, settings, startNode(settings, source, meters));
            } catch (RuntimeException | Error e) {
                green.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            blue.close();
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

    /** Each demo starts from a new state directory: a demo is a fresh release every time. */
    private static Path freshStateDir() {
        try {
            Path dir = Files.createTempDirectory("teal-demo-state-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the demo", e);
        }
    }

    /** teal's settings for the demo: {@code demo.conf} with the ports and the state directory filled in. */
    static TealSettings settings(int port, int bluePort, int greenPort, int adminPort, Path stateDir) {
        String text = demoConf()
                .replace("{{port}}", Integer.toString(port))
                .replace("{{blue-port}}", Integer.toString(bluePort))
                .replace("{{green-port}}", Integer.toString(greenPort))
                .replace("{{admin-port}}", Integer.toString(adminPort))
                .replace("{{state-dir}}", stateDir.toAbsolutePath().toString().replace("\\", "/"));
        try {
            // No environment: the demo behaves the same on every machine.
            return SettingsLoader.parse(text, Map.of());
        } catch (InvalidSettingsException e) {
            throw new IllegalStateException("demo.conf is invalid: " + e.problems(), e);
        }
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

    /** Stops teal (draining in-flight requests), then the applications. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            try {
                green.close();
            } finally {
                blue.close();
            }
        }
    }
}
