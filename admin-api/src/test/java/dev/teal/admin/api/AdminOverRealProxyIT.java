package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.state.FileStateStore;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.testing.AdminHarness;
import dev.teal.config.AdminSettings;
import dev.teal.config.HostPort;
import dev.teal.proxy.Split;
import dev.teal.proxy.testing.ProxyFixture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The admin API driving the real data plane: stub backends, the proxy, the admin server, real sockets. */
class AdminOverRealProxyIT {
    @TempDir
    Path dir;

    private ProxyFixture fixture;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private AdminServer admin;

    @BeforeEach
    void start() {
        fixture = ProxyFixture.start();
        admin = startAdmin();
    }

    @AfterEach
    void stop() {
        admin.close();
        fixture.close();
        meters.close();
    }

    private AdminServer startAdmin() {
        LiveState state = LiveState.open(FileStateStore.open(dir, Clock.systemUTC()), new Split(0), Clock.systemUTC());
        return AdminServer.builder(
                        new AdminSettings(new HostPort("127.0.0.1", 0), Optional.empty()),
                        fixture.proxy.traffic(),
                        state,
                        meters)
                .start();
    }

    /** A request through the proxy from a new client (no cookie): answered by the backend it was routed to. */
    private String throughProxy() throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(fixture.uri("/hello")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private HttpResponse<String> call(String method, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(admin.uri().resolve(path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rampThroughTheAdminApiSendsNewSessionsToGreen() throws Exception {
        assertThat(throughProxy()).startsWith("blue-1 GET /hello");

        HttpResponse<String> ramp = call("POST", "/ramp?green=100");

        assertThat(ramp.statusCode()).isEqualTo(200);
        assertThat(fixture.proxy.traffic().split()).isEqualTo(new Split(100));
        assertThat(throughProxy()).startsWith("green-1 GET /hello");
        JsonNode status = AdminHarness.json(call("GET", "/status"));
        assertThat(status.path("split").path("green").asInt()).isEqualTo(100);
        assertThat(status.path("rollout").path("state").asString()).isEqualTo("draining");
        assertThat(status.path("colors")
                        .path("green")
                        .path("backends")
                        .get(0)
                        .path("address")
                        .asString())
                .isEqualTo(fixture.green.get(0).backend().toString());
        assertThat(status.path("colors").path("blue").path("share").asInt()).isZero();
        assertThat(call("GET", "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void storedSplitIsAppliedToADataPlaneThatStartedFromTheConfiguration() throws Exception {
        assertThat(call("POST", "/ramp?green=100").statusCode()).isEqualTo(200);
        admin.close();
        // A restarted proxy comes up with the configured split; the admin server puts the stored one back.
        fixture.proxy.traffic().setSplit(new Split(0));

        admin = startAdmin();

        assertThat(fixture.proxy.traffic().split()).isEqualTo(new Split(100));
        assertThat(throughProxy()).startsWith("green-1 GET /hello");
    }

    @Test
    void statusCountsTheProxysTrafficPerColor() throws Exception {
        throughProxy();

        JsonNode blue = AdminHarness.json(call("GET", "/status")).path("colors").path("blue");

        assertThat(blue.path("drain").asString()).isEqualTo("serving");
        assertThat(blue.path("backends").get(0).path("healthy").asBoolean()).isTrue();
        assertThat(blue.path("inFlight").asLong()).isZero();
    }
}
