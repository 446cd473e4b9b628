package dev.teal.admin.testing;

import dev.teal.admin.api.AdminServer;
import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.proxy.Split;
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
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An admin server on 127.0.0.1 port 0 over a {@link FakeTrafficControl} and a real state directory, with
 * an HTTP client pointed at it.
 */
public final class AdminHarness implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path stateDir;
    private final FakeTrafficControl control;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Consumer<AdminServer.Builder> customizer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LiveState state;
    private AdminServer server;

    private AdminHarness(Path stateDir, FakeTrafficControl control, Consumer<AdminServer.Builder> customizer) {
        this.stateDir = stateDir;
        this.control = control;
        this.customizer = customizer;
    }

    public static AdminHarness start(Path stateDir) {
        return start(stateDir, b -> {});
    }

    public static AdminHarness start(Path stateDir, Consumer<AdminServer.Builder> customizer) {
        return start(stateDir, new FakeTrafficControl(), customizer);
    }

    public static AdminHarness start(
            Path stateDir, FakeTrafficControl control, Consumer<AdminServer.Builder> customizer) {
        AdminHarness harness = new AdminHarness(stateDir, control, customizer);
        harness.startServer();
        return harness;
    }

    private void startServer() {
        state = LiveState.open(FileStateStore.open(stateDir, Clock.systemUTC()), new Split(0), Clock.systemUTC());
        AdminServer.Builder builder = AdminServer.builder(
                        new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()), control, state, meters)
                .historyInterval(Duration.ofMillis(200))
                .drainCheckInterval(Duration.ofMillis(50));
        customizer.accept(builder);
        server = builder.start();
    }

    /** Stops the server and starts a new one on the same state directory (and the same data plane). */
    public void restart() {
        server.close();
        startServer();
    }

    public FakeTrafficControl control() {
        return control;
    }

    public LiveState state() {
        return state;
    }

    public AdminServer server() {
        return server;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path stateFile() {
        return stateDir.resolve("state.json");
    }

    public URI uri(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, headers);
    }

    public HttpResponse<String> post(String pathAndQuery, String... headers) {
        return send("POST", pathAndQuery, headers);
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    public static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Override
    public void close() {
        server.close();
        meters.close();
    }
}
