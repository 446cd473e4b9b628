package dev.teal.admin.testing;

import dev.teal.admin.TealNode;
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
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A whole teal ({@link TealNode}: the real proxy, admin API, state directory and plan runner) in front of
 * one blue and one green stub backend, on a {@link TestClock} that the test moves to end holds, with a
 * client that sends cookie-less requests through the proxy (each a new session) and calls the admin API.
 */
public final class PlanFixture implements AutoCloseable {
    public final StubBackend blue = StubBackend.start("blue-1");
    public final StubBackend green = StubBackend.start("green-1");
    public final TestClock clock = new TestClock();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TealNode node;

    /**
     * @param dir the state directory's parent
     * @param extra HOCON inside {@code teal { }}: the plan, phases, sessions
     */
    private PlanFixture(Path dir, String extra) {
        String hocon = """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  colors {
                    blue  { backends = ["127.0.0.1:%d"] }
                    green { backends = ["127.0.0.1:%d"] }
                  }
                  %s
                }
                """.formatted(
                        dir.resolve("state").toString().replace('\\', '/'),
                        blue.address().getPort(),
                        green.address().getPort(),
                        extra);
        TealSettings settings;
        try {
            settings = SettingsLoader.parse(hocon, Map.of("PATH", System.getenv("PATH")));
        } catch (dev.teal.config.InvalidSettingsException e) {
            close();
            throw new IllegalArgumentException(e.problems().toString(), e);
        }
        node = TealNode.start(settings, () -> settings, meters, clock);
    }

    public static PlanFixture start(Path dir, String extra) {
        return new PlanFixture(dir, extra);
    }

    public TealNode node() {
        return node;
    }

    /** {@code n} requests to {@code path} through the proxy, each from a new client (no cookie). */
    public void traffic(int n, String path) {
        URI uri = URI.create("http://127.0.0.1:" + node.proxy().localAddress().getPort() + path);
        for (int i = 0; i < n; i++) {
            try {
                http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public HttpResponse<String> admin(String method, String pathAndQuery) {
        try {
            return http.send(
                    HttpRequest.newBuilder(node.admin().uri().resolve(pathAndQuery))
                            .timeout(Duration.ofSeconds(30))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code /status}'s {@code plan}. */
    public JsonNode plan() {
        return AdminHarness.json(admin("GET", "/status")).path("plan");
    }

    public String metrics() {
        return admin("GET", "/metrics").body();
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
        blue.close();
        green.close();
        meters.close();
    }
}
