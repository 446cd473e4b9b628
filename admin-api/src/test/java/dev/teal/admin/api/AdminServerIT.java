package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AuditCapture;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.PrometheusTextParser;
import dev.teal.admin.testing.RawHttp;
import dev.teal.config.Color;
import dev.teal.config.HostPort;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.SessionView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every endpoint over real HTTP, against a recording data plane and a real state directory. */
class AdminServerIT {
    @TempDir
    Path dir;

    private AdminHarness admin;

    @BeforeEach
    void start() {
        admin = AdminHarness.start(dir);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private FakeTrafficControl control() {
        return admin.control();
    }

    // ---------------------------------------------------------------- methods and paths

    @ParameterizedTest
    @CsvSource({"DELETE,/ramp,'GET, POST'", "PUT,/status,GET", "GET,/reload,POST", "POST,/metrics,GET", "POST,/,GET"})
    void wrongMethodIsRefusedWithAllow(String method, String path, String allow) {
        HttpResponse<String> response = admin.send(method, path);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains(allow);
        assertThat(AdminHarness.json(response).path("error").asString()).isEqualTo("method not allowed");
        assertThat(AdminHarness.json(response).path("detail").asString())
                .isEqualTo(method + " " + path + " (expected: " + allow + ")");
    }

    @ParameterizedTest
    @CsvSource({"/nope", "/status/", "/ui/missing.js", "/ui/index.html", "/ui/"})
    void unknownPathIsNotFound(String path) {
        HttpResponse<String> response = admin.get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(AdminHarness.json(response).path("error").asString()).isEqualTo("not found");
    }

    @ParameterizedTest
    @CsvSource({"/ui/../ui/app.js", "//status", "/ui/%2e%2e/ui/app.js", "status"})
    void pathsAreMatchedExactlyNeverNormalizedIntoAFile(String target) {
        RawHttp.Response raw = RawHttp.exchange(
                admin.server().localAddress(),
                "GET " + target + " HTTP/1.1\nHost: 127.0.0.1:"
                        + admin.server().localAddress().getPort() + "\nConnection: close\n\n");

        assertThat(raw.status()).isIn(400, 404);
    }

    @Test
    void malformedPercentEncodingIsABadRequestAndChangesNothing() {
        RawHttp.Response raw = RawHttp.exchange(
                admin.server().localAddress(),
                "GET /ramp?green=%zz HTTP/1.1\nHost: 127.0.0.1:"
                        + admin.server().localAddress().getPort() + "\nConnection: close\n\n");

        assertThat(raw.status()).isEqualTo(400);
        assertThat(AdminHarness.json(raw.body()).path("detail").asString())
                .isEqualTo("request target: '/ramp?green=%zz' (expected: valid percent-encoding)");
        assertThat(control().calls()).isEmpty();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        int port = admin.server().localAddress().getPort();
        String host = "Host: 127.0.0.1:" + port + "\n";
        RawHttp.Response raw = RawHttp.exchange(
                admin.server().localAddress(),
                "GET /status HTTP/1.1\n" + host + "\n"
                        + "GET /nope HTTP/1.1\n" + host + "\n"
                        + "GET /healthz HTTP/1.1\n" + host + "Connection: close\n\n");

        assertThat(raw.raw())
                .containsSubsequence(
                        "HTTP/1.1 200 OK",
                        "\"split\"",
                        "HTTP/1.1 404 Not Found",
                        "HTTP/1.1 200 OK",
                        "{\"status\":\"ok\"}");
    }

    @Test
    void occupiedPortRefusesToStartNamingTheListener() {
        int port = admin.server().localAddress().getPort();

        assertThatThrownBy(
                        () -> AdminHarness.start(dir.resolve("other"), b -> b.listen(new HostPort("127.0.0.1", port))))
                .isInstanceOf(UncheckedIOException.class)
                .rootCause()
                .isNotNull();
        assertThatThrownBy(
                        () -> AdminHarness.start(dir.resolve("other"), b -> b.listen(new HostPort("127.0.0.1", port))))
                .cause()
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port
                        + " for the admin API and dashboard (teal.admin.listen): ");
    }

    @Test
    void malformedRequestIsABadRequestAndCloses() {
        RawHttp.Response raw = RawHttp.exchange(admin.server().localAddress(), "GET /status HTTP/1.1\nHost : x\n\n");

        assertThat(raw.status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- /status

    @Test
    void statusShowsSplitRolloutColorsAndPhases() {
        Instant deadline = Instant.parse("2026-11-21T11:00:00Z");
        control().drain(Color.GREEN, DrainState.DRAINING, Optional.of(deadline));

        JsonNode status = status();

        assertThat(status.path("split").path("blue").asInt()).isEqualTo(100);
        assertThat(status.path("rollout").path("state").asString()).isEqualTo("settled");
        assertThat(status.path("rollout").path("live").asString()).isEqualTo("blue");
        JsonNode blue = status.path("colors").path("blue");
        assertThat(blue.path("share").asInt()).isEqualTo(100);
        assertThat(blue.path("activeSessions").asLong()).isEqualTo(1234);
        assertThat(blue.path("inFlight").asLong()).isEqualTo(7);
        assertThat(blue.path("upgraded").asLong()).isEqualTo(2);
        assertThat(blue.path("drain").asString()).isEqualTo("serving");
        assertThat(blue.path("drainDeadline").isNull()).isTrue();
        JsonNode backend = blue.path("backends").get(0);
        assertThat(backend.path("address").asString()).isEqualTo("10.0.1.1:8080");
        assertThat(backend.path("healthy").asBoolean()).isTrue();
        assertThat(backend.path("ejectedUntil").isNull()).isTrue();
        assertThat(backend.path("outstanding").asInt()).isEqualTo(1);
        JsonNode green = status.path("colors").path("green");
        assertThat(green.path("drain").asString()).isEqualTo("draining");
        assertThat(green.path("drainDeadline").asString()).isEqualTo("2026-11-21T11:00:00.000Z");
        assertThat(green.path("drainEstimate").asString()).isEqualTo("2026-11-21T10:55:00.000Z");
        assertThat(status.path("phases").isArray()).isTrue();
        assertThat(status.path("phases").size()).isZero();
    }

    @Test
    void statusRefusesParameters() {
        assertThat(admin.get("/status?verbose=true").statusCode()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- /sessions

    @Test
    void sessionsPageListsIdPrefixColorAgeAndIdle() {
        control()
                .sessions(List.of(
                        new SessionView("3fa9c1", Color.BLUE, Duration.ofMinutes(12), Duration.ofSeconds(40)),
                        new SessionView("77b2e0", Color.BLUE, Duration.ofMinutes(3), Duration.ZERO),
                        new SessionView("c0ffee", Color.GREEN, Duration.ofSeconds(90), Duration.ofSeconds(5))));

        JsonNode blueOnly = AdminHarness.json(admin.get("/sessions?color=blue&limit=1"));
        JsonNode both = AdminHarness.json(admin.get("/sessions"));

        assertThat(blueOnly.path("count").asInt()).isEqualTo(1);
        JsonNode first = blueOnly.path("sessions").get(0);
        assertThat(first.path("id").asString()).isEqualTo("3fa9c1");
        assertThat(first.path("color").asString()).isEqualTo("blue");
        assertThat(first.path("ageSeconds").asLong()).isEqualTo(720);
        assertThat(first.path("idleSeconds").asLong()).isEqualTo(40);
        assertThat(both.path("limit").asInt()).isEqualTo(100);
        assertThat(both.path("count").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "color=red|color: 'red' (expected: blue or green)",
                "limit=0|limit: 0 (expected: an integer 1-1000)",
                "limit=1001|limit: 1001 (expected: an integer 1-1000)",
                "limit=ten|limit: 'ten' (expected: an integer 1-1000)",
                "page=2|'page': unknown parameter (expected: color, limit)"
            })
    void badSessionsParametersAreRefused(String query, String detail) {
        HttpResponse<String> response = admin.get("/sessions?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(response).path("detail").asString()).isEqualTo(detail);
    }

    // ---------------------------------------------------------------- /healthz, /readyz

    @Test
    void healthzAnswersWhileTheProcessServes() {
        HttpResponse<String> response = admin.get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void readyzIsReadyWhenEveryColorInUseHasAHealthyBackend() {
        assertThat(admin.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void readyzIsNotReadyWhenAColorWithShareHasNoHealthyBackend() {
        control().color(Color.GREEN, 0, 0, 0, DrainState.DRAINED, FakeTrafficControl.unhealthy("10.0.2.1:8080"));
        assertThat(admin.get("/readyz").statusCode()).isEqualTo(200);

        admin.post("/ramp?green=25");
        HttpResponse<String> response = admin.get("/readyz");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(AdminHarness.json(response).path("error").asString()).isEqualTo("not ready");
        assertThat(AdminHarness.json(response).path("detail").asString())
                .isEqualTo("green has 25 % of the split and 0 active sessions but no healthy backend (1 configured)");
    }

    @Test
    void readyzReportsTheLaunchersChecksAndShutdown() {
        admin.close();
        AtomicInteger bound = new AtomicInteger();
        admin = AdminHarness.start(
                dir, b -> b.readiness(() -> bound.get() == 0 ? List.of("proxy listener not bound yet") : List.of()));

        HttpResponse<String> notBound = admin.get("/readyz");
        bound.set(1);
        HttpResponse<String> ready = admin.get("/readyz");
        admin.server().shuttingDown("shutting down (SIGTERM)");
        HttpResponse<String> stopping = admin.get("/readyz");

        assertThat(notBound.statusCode()).isEqualTo(503);
        assertThat(AdminHarness.json(notBound).path("detail").asString()).isEqualTo("proxy listener not bound yet");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(AdminHarness.json(stopping).path("detail").asString()).isEqualTo("shutting down (SIGTERM)");
    }

    // ---------------------------------------------------------------- /reload

    @Test
    void reloadAppliesAValidConfiguration() throws IOException {
        Path file = Files.writeString(dir.resolve("teal.conf"), "valid");
        admin.close();
        admin = AdminHarness.start(dir, b -> b.reloader(() -> fakeReload(file)));

        HttpResponse<String> response = admin.post("/reload");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(response).path("applied").asString()).isEqualTo("2 blue and 1 green backends");
        assertThat(control().calls()).containsExactly("reload");
    }

    @Test
    void reloadRefusesAnInvalidFileWithEveryProblemAndKeepsTheRunningConfiguration() throws IOException {
        Path file = Files.writeString(dir.resolve("teal.conf"), "invalid");
        admin.close();
        admin = AdminHarness.start(dir, b -> b.reloader(() -> fakeReload(file)));

        HttpResponse<String> response = admin.post("/reload");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(response).path("detail").asString())
                .isEqualTo("configuration not reloaded, 2 problems: teal.colors.blue.backends: [] (expected: at least"
                        + " one host:port); teal.limits.max-connections: -1 (expected: an integer >= 1, or auto)");
        assertThat(control().calls()).isEmpty();
    }

    @Test
    void reloadWithoutAConfigurationFileSaysSo() {
        HttpResponse<String> response = admin.post("/reload");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(AdminHarness.json(response).path("detail").asString()).contains("without a configuration file");
    }

    /** Stands in for the launcher's reloader: load and validate the file, then apply it. */
    private String fakeReload(Path file) {
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            throw new ReloadRefusedException(List.of(file + ": cannot be read (" + e + ")"));
        }
        if (!content.equals("valid")) {
            throw new ReloadRefusedException(List.of(
                    "teal.colors.blue.backends: [] (expected: at least one host:port)",
                    "teal.limits.max-connections: -1 (expected: an integer >= 1, or auto)"));
        }
        control().reload(null);
        return "2 blue and 1 green backends";
    }

    // ---------------------------------------------------------------- /metrics

    @Test
    void metricsAreValidPrometheusText() {
        Counter.builder("teal.test.requests")
                .tag("color", "blue")
                .register(admin.meters())
                .increment(3);
        Gauge.builder("teal.test.sessions.active", () -> 1234)
                .tag("color", "blue")
                .register(admin.meters());

        HttpResponse<String> response = admin.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parseText(response.body());
        assertThat(families.get("teal_test_requests_total").type()).isEqualTo("counter");
        assertThat(families.get("teal_test_requests_total").samples().get(0).labels())
                .containsEntry("color", "blue");
        assertThat(families.get("teal_test_requests_total").samples().get(0).value())
                .isEqualTo(3.0);
        assertThat(families.get("teal_test_sessions_active").type()).isEqualTo("gauge");
        assertThat(families.get("teal_test_sessions_active").samples().get(0).value())
                .isEqualTo(1234.0);
    }

    @Test
    void metricsAreOpenMetricsWhenAcceptAsksForIt() {
        Counter.builder("teal.test.requests").register(admin.meters()).increment();

        HttpResponse<String> response =
                admin.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).endsWith("# EOF\n");
        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parseOpenMetrics(response.body());
        assertThat(families.get("teal_test_requests").type()).isEqualTo("counter");
        assertThat(families.get("teal_test_requests").samples())
                .extracting(PrometheusTextParser.Sample::name)
                .contains("teal_test_requests_total");
    }

    // ---------------------------------------------------------------- /history

    @Test
    void historyKeepsSampledCountsOldestFirst() {
        Poll.until(
                Duration.ofSeconds(10),
                "two history samples",
                () -> AdminHarness.json(admin.get("/history")).path("samples").size() >= 2);

        JsonNode history = AdminHarness.json(admin.get("/history"));

        assertThat(history.path("columns").get(0).asString()).isEqualTo("t");
        JsonNode first = history.path("samples").get(0);
        JsonNode second = history.path("samples").get(1);
        assertThat(first.get(0).asLong()).isLessThanOrEqualTo(second.get(0).asLong());
        assertThat(first.get(2).asLong()).isEqualTo(1234);
        assertThat(first.get(3).asLong()).isEqualTo(567);
    }

    // ---------------------------------------------------------------- dashboard files

    @Test
    void dashboardIsServedWithAPolicyThatForbidsFramingAndForeignScripts() {
        HttpResponse<String> page = admin.get("/");
        HttpResponse<String> script = admin.get("/ui/app.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'")
                .contains("script-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.body()).contains("<title>teal · admin</title>");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
    }

    // ---------------------------------------------------------------- audit

    @Test
    void everyMutatingCallIsAuditedIncludingRefusedOnes() {
        try (AuditCapture audit = new AuditCapture()) {
            admin.post("/ramp?green=5");
            admin.get("/ramp?green=abc");
            admin.send("DELETE", "/ramp");
            admin.post("/reload");
            admin.get("/status");

            List<Map<String, Object>> logged = audit.fields();
            assertThat(logged).hasSize(4);
            assertThat(logged.get(0))
                    .containsEntry("call", "POST /ramp")
                    .containsEntry("params", "green=5")
                    .containsEntry("status", 200)
                    .containsKeys("time", "client", "result");
            assertThat((String) logged.get(0).get("time"))
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat((String) logged.get(0).get("client")).matches("127\\.0\\.0\\.1:\\d+");
            assertThat((String) logged.get(0).get("result")).startsWith("split: green 0 -> 5 %");
            assertThat(logged.get(1))
                    .containsEntry("call", "GET /ramp")
                    .containsEntry("params", "green=abc")
                    .containsEntry("status", 400);
            assertThat(logged.get(2)).containsEntry("call", "DELETE /ramp").containsEntry("status", 405);
            assertThat(logged.get(3)).containsEntry("call", "POST /reload").containsEntry("status", 400);
            assertThat(audit.lines().get(0))
                    .startsWith("\"POST /ramp\" \"green=5\" 200 \"split: green 0 -> 5 %")
                    .doesNotContain("\n");
        }
    }

    private JsonNode status() {
        HttpResponse<String> response = admin.get("/status");
        assertThat(response.statusCode()).isEqualTo(200);
        return AdminHarness.json(response);
    }
}
