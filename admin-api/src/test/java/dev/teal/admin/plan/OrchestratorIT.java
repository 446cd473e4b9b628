package dev.teal.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.PlanFixture;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * teal driven by an orchestrator instead of its own plan, the way the README shows for Argo Rollouts and
 * Flagger: a small fake of each runs its steps against the admin API over real sockets. The fake Argo
 * Rollouts sets each weight with {@code /ramp} and reads a web metric from {@code /analysis} (its
 * successCondition {@code result == "pass"}), aborting to weight 0 on a failure; the fake Flagger POSTs its
 * webhook payload to {@code /analysis?gate=true} and goes on only on a 2xx.
 */
class OrchestratorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PlanFixture teal;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        teal.close();
    }

    private PlanFixture start() {
        // No steps: teal runs no plan of its own; the analysis settings still say what "pass" means.
        teal = PlanFixture.start(dir, "rollout.plan { min-sessions = 5, analysis.p99-tolerance = 200ms }");
        return teal;
    }

    /** What an Argo Rollouts canary with setWeight steps and a web metric analysis does. */
    private String fakeArgoRollout(List<Integer> weights) {
        for (int weight : weights) {
            assertThat(teal.admin("POST", "/ramp?green=" + weight).statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                teal.traffic(20, "/hello");
                // The web metric: jsonPath "{$.result}", successCondition result == "pass",
                // failureCondition result == "fail"; anything else is measured again.
                String result = AdminHarness.json(teal.admin("GET", "/analysis"))
                        .path("result")
                        .asString();
                if (result.equals("pass")) {
                    break;
                }
                if (result.equals("fail") || System.nanoTime() > deadline) {
                    teal.admin("POST", "/ramp?green=0");
                    return "aborted at " + weight;
                }
            }
        }
        return "promoted";
    }

    private HttpResponse<String> flaggerWebhook() throws Exception {
        String payload = """
                {"name": "shop", "namespace": "prod", "phase": "Progressing", "checksum": "abc",
                 "metadata": {"type": "rollout"}}""";
        return http.send(
                HttpRequest.newBuilder(URI.create(teal.node().admin().uri() + "analysis?gate=true"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(payload))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFakeArgoRolloutPromotesAHealthyGreenThroughRampAndTheAnalysisMetric() throws Exception {
        start();

        assertThat(fakeArgoRollout(List.of(20, 50, 100))).isEqualTo("promoted");

        JsonNode status = AdminHarness.json(teal.admin("GET", "/status"));
        assertThat(status.path("split").path("green").asInt()).isEqualTo(100);
        assertThat(status.path("rollout").path("state").asString()).isEqualTo("draining");
        assertThat(flaggerWebhook().statusCode()).isEqualTo(200);
    }

    @Test
    void aFakeArgoRolloutAbortsAndAFakeFlaggerIsHeldWhenGreenAnswersFiveHundreds() throws Exception {
        start();
        AtomicInteger n = new AtomicInteger();
        teal.green.respondWith(r -> {
            boolean fail = n.incrementAndGet() % 2 == 0;
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    fail ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
            response.headers().setInt("Content-Length", 1);
            return response;
        });

        assertThat(fakeArgoRollout(List.of(50, 100))).isEqualTo("aborted at 50");
        assertThat(teal.node().proxy().traffic().split().green()).isZero();

        HttpResponse<String> held = flaggerWebhook();
        assertThat(held.statusCode()).isEqualTo(409);
        JsonNode body = AdminHarness.json(held);
        assertThat(body.path("error").asString()).isEqualTo("analysis fail");
        assertThat(body.path("detail").asString()).contains("5xx");
        assertThat(teal.admin("GET", "/analysis?gate=maybe").statusCode()).isEqualTo(400);
    }
}
