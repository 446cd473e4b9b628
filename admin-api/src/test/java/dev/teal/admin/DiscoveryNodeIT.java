package dev.teal.admin;

import static dev.teal.proxy.testing.ProxyFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.config.InvalidSettingsException;
import dev.teal.config.SettingsLoader;
import dev.teal.config.TealSettings;
import dev.teal.proxy.testing.RawClient;
import dev.teal.proxy.testing.RawResponse;
import dev.teal.proxy.testing.StubBackend;
import dev.teal.proxy.testing.TestDnsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * DNS discovery in a whole teal node, as {@code teal run} wires it: resolved before the proxy binds, kept
 * across {@code POST /reload}, shown in {@code /status}, {@code /metrics} and {@code /readyz}.
 */
class DiscoveryNodeIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "app.teal.test";

    @TempDir
    Path dir;

    private final TestDnsServer dns = TestDnsServer.start();
    private final StubBackend blue1 = StubBackend.start("blue-1");
    private final StubBackend blue2 = StubBackend.start("blue-2");
    private final StubBackend green = StubBackend.start("green-1");
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<TealSettings> file = new AtomicReference<>();
    private TealNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        blue1.close();
        blue2.close();
        green.close();
        dns.close();
    }

    /** The operator's file: blue from {@code blue} (HOCON list items), green listed. */
    private TealSettings settings(String blue, int greenPercent) throws InvalidSettingsException {
        String hocon = """
                teal {
                  listen = "127.0.0.1:0"
                  admin.listen = "127.0.0.1:0"
                  state-dir = "%s"
                  split.green = %d
                  colors {
                    blue  { backends = [%s] }
                    green { backends = ["127.0.0.1:%d"] }
                  }
                  discovery.dns { servers = ["%s"], min-ttl = 100ms, timeout = 500ms }
                }
                """.formatted(
                        dir.resolve("state").toString().replace('\\', '/'),
                        greenPercent,
                        blue,
                        green.address().getPort(),
                        dns.address());
        return SettingsLoader.parse(hocon, Map.of());
    }

    private void start(String blue, int greenPercent) throws InvalidSettingsException {
        file.set(settings(blue, greenPercent));
        node = TealNode.start(file.get(), file::get, meters, Clock.systemUTC());
    }

    private String dnsEntry() {
        return "\"dns://" + NAME + ":" + blue1.address().getPort() + "\"";
    }

    private String newSession() throws IOException {
        try (RawClient c = new RawClient(node.proxy().localAddress())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            RawResponse r = c.readResponse();
            return r.status() == 200 ? r.bodyText().split(" ")[0] : r.status() + " " + r.bodyText();
        }
    }

    private HttpResponse<String> admin(String method, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(node.admin().uri().resolve(path))
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

    @Test
    void discoveredBackendsServeAreShownAndSurviveAReload() throws Exception {
        dns.a(NAME, 1, "127.0.0.1");
        start(dnsEntry(), 0);

        assertThat(newSession()).isEqualTo("blue-1");
        JsonNode name = AdminHarness.json(admin("GET", "/status"))
                .path("discovery")
                .path("blue")
                .path(0);
        assertThat(name.path("source").asString())
                .isEqualTo("dns://" + NAME + ":" + blue1.address().getPort());
        assertThat(name.path("backends").toString())
                .isEqualTo("[\"127.0.0.1:" + blue1.address().getPort() + "\"]");
        assertThat(name.path("refreshedAt").isString()).isTrue();
        assertThat(name.path("failure").isNull()).isTrue();
        String metrics = admin("GET", "/metrics").body();
        assertThat(metrics).contains("teal_discovery_backends{color=\"blue\"} 1.0");
        assertThat(metrics).contains("teal_discovery_last_refresh_timestamp_seconds{color=\"blue\"}");

        // The same file again: the found backend stays in force (a reload does not forget what DNS said).
        HttpResponse<String> reload = admin("POST", "/reload");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).contains("1 blue and 1 green backends");
        for (int i = 0; i < 5; i++) {
            assertThat(newSession()).isEqualTo("blue-1");
        }

        // A file that lists another blue instance beside the name: both serve.
        file.set(settings(dnsEntry() + ", \"127.0.0.1:" + blue2.address().getPort() + "\"", 0));
        assertThat(admin("POST", "/reload").body()).contains("2 blue and 1 green backends");
        assertThat(eventually(WAIT, () -> {
                    try {
                        return newSession().equals("blue-2");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }))
                .isTrue();

        // A file without the name: its backend goes, the listed one stays.
        file.set(settings("\"127.0.0.1:" + blue2.address().getPort() + "\"", 0));
        assertThat(admin("POST", "/reload").body()).contains("1 blue and 1 green backends");
        for (int i = 0; i < 10; i++) {
            assertThat(newSession()).isEqualTo("blue-2");
        }
        assertThat(AdminHarness.json(admin("GET", "/status"))
                        .path("discovery")
                        .path("blue")
                        .size())
                .isZero();
    }

    @Test
    void aNameWithoutRecordsKeepsTealUnreadyWhileItsColorHasTheSplit() throws Exception {
        start(dnsEntry(), 0);

        HttpResponse<String> ready = admin("GET", "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body())
                .contains("blue has 100 % of the split but DNS discovery found no backends: dns://" + NAME);
        assertThat(newSession()).startsWith("503 ").contains("DNS discovery found none");
        assertThat(AdminHarness.json(admin("GET", "/status"))
                        .path("discovery")
                        .path("blue")
                        .path(0)
                        .path("failure")
                        .asString())
                .startsWith("nxdomain");
        assertThat(admin("GET", "/metrics").body())
                .contains("teal_discovery_errors_total{color=\"blue\",reason=\"nxdomain\"}");

        dns.a(NAME, 0, "127.0.0.1");
        assertThat(eventually(WAIT, () -> admin("GET", "/readyz").statusCode() == 200))
                .isTrue();
        assertThat(newSession()).isEqualTo("blue-1");
    }
}
