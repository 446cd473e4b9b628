package dev.teal.admin.testing;

import dev.teal.admin.TealNode;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import dev.teal.proxy.testing.StubBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Several real teal nodes in this JVM, sharing one state through a real ZooKeeper ensemble (given by
 * the test class, shared by its tests), in front of one blue and one green stub backend. Each cluster
 * gets its own root in the ensemble, so tests of one class do not see each other's state.
 */
public final class TealCluster implements AutoCloseable {
    public static final String SECRET = "cluster-test-secret-0123456789abcdef-0123456789";

    public final StubBackend blue = StubBackend.start("blue-1");
    public final StubBackend green = StubBackend.start("green-1");
    private final Path dir;
    private final String connect;
    private final String root;
    private final String extra;
    private final List<TealNode> nodes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TealCluster(Path dir, String connect, String root, String extra) {
        this.dir = dir;
        this.connect = connect;
        this.root = root;
        this.extra = extra;
    }

    /** Starts {@code count} nodes, {@code teal-1} to {@code teal-N}; {@code extra} is HOCON inside {@code teal { }}. */
    public static TealCluster start(Path dir, String connect, String root, int count, String extra) {
        TealCluster cluster = new TealCluster(dir, connect, root, extra);
        try {
            for (int i = 1; i <= count; i++) {
                cluster.nodes.add(cluster.startNode(i));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The settings node {@code i} (from 1) runs with. */
    public TealSettings settings(int i) {
        try {
            return SettingsLoader.parse(hocon(i), Map.of());
        } catch (InvalidSettingsException e) {
            throw new IllegalStateException(e.problems().toString(), e);
        }
    }

    private TealNode startNode(int i) {
        TealSettings settings = settings(i);
        return TealNode.start(
                settings, () -> settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    }

    private String hocon(int i) {
        return """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.1:%d"] }
                  }
                  sessions.cookie.secrets = ["%s"]
                  shutdown.drain-timeout = 2s
                  cluster {
                    store = zookeeper
                    instance-id = "teal-%d"
                    zookeeper { connect = "%s", root = "%s", session-timeout = 4s, connection-timeout = 3s }
                  }
                  %s
                }
                """.formatted(
                        dir.resolve("node-" + i).toString().replace('\\', '/'),
                        blue.address().getPort(),
                        green.address().getPort(),
                        SECRET,
                        i,
                        connect,
                        root,
                        extra);
    }

    /** Node {@code i}, counting from 1. */
    public TealNode node(int i) {
        TealNode node = nodes.get(i - 1);
        if (node == null) {
            throw new IllegalStateException("node " + i + " is stopped");
        }
        return node;
    }

    public int size() {
        return nodes.size();
    }

    /** Stops node {@code i} the way SIGTERM does (it leaves the cluster). */
    public void stop(int i) {
        TealNode node = nodes.set(i - 1, null);
        if (node != null) {
            node.close();
        }
    }

    /** Starts node {@code i} again on the same settings. */
    public void restart(int i) {
        stop(i);
        nodes.set(i - 1, startNode(i));
    }

    /** Adds one more node with the next number. */
    public TealNode add() {
        nodes.add(null);
        TealNode node = startNode(nodes.size());
        nodes.set(nodes.size() - 1, node);
        return node;
    }

    /** An admin call on node {@code i}: {@code POST /ramp?green=25}, {@code GET /status}. */
    public HttpResponse<String> admin(int i, String method, String pathAndQuery) {
        return send(HttpRequest.newBuilder(node(i).admin().uri().resolve(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** A client request through node {@code i}'s proxy, with {@code cookie} when given. */
    public HttpResponse<String> get(int i, String path, Optional<String> cookie) {
        URI uri =
                URI.create("http://127.0.0.1:" + node(i).proxy().localAddress().getPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        cookie.ifPresent(c -> request.header("Cookie", c));
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int i = 1; i <= nodes.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                // Keep closing the others.
            }
        }
        blue.close();
        green.close();
    }
}
