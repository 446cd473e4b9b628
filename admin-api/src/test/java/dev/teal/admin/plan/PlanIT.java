package dev.teal.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.PlanFixture;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.WebhookReceiver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The release plan over real sockets: a whole teal in front of stub backends, cookie-less clients (each a
 * new session), webhook receivers, and a test clock that ends the holds.
 */
class PlanIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final WebhookReceiver notified = WebhookReceiver.start();
    private final WebhookReceiver gate = WebhookReceiver.start();
    private PlanFixture teal;

    @AfterEach
    void stop() {
        if (teal != null) {
            teal.close();
        }
        notified.close();
        gate.close();
    }

    private PlanFixture start(String plan) {
        teal = PlanFixture.start(dir, """
                rollout.plan {
                  %s
                  notify = [{ url = "%s" }]
                }
                """.formatted(plan, notified.uri()));
        return teal;
    }

    /** Sends batches of new sessions until {@code condition} holds. */
    private void trafficUntil(String what, String path, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "; plan: " + teal.plan());
            }
            teal.traffic(10, path);
        }
    }

    private boolean sessionsJudged() {
        String result = teal.plan().path("analysis").path("result").asString("");
        return result.equals("pass") || result.equals("fail");
    }

    private void planIs(String state) {
        Poll.until(
                WAIT,
                "plan " + state + " (" + teal.plan() + ")",
                () -> teal.plan().path("state").asString().equals(state));
    }

    private static DefaultFullHttpResponse answer(HttpResponseStatus status) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer("answer", StandardCharsets.UTF_8));
        response.headers().setInt("Content-Length", 6);
        return response;
    }

    @Test
    void promotesStepByStepWhenGreenIsHealthy() {
        // A generous p99 tolerance: on a loaded test machine one pause makes a 99th percentile of stubs.
        start("steps = [20, 50, 100], hold = 10m, min-sessions = 5, analysis.p99-tolerance = 200ms");

        JsonNode started = AdminHarness.json(teal.admin("POST", "/rollout/start"));

        assertThat(started.path("state").asString()).isEqualTo("running");
        assertThat(started.path("percent").asInt()).isEqualTo(20);
        assertThat(started.path("holdLeftSeconds").asLong()).isEqualTo(600);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(20);
        for (int step = 1; step <= 3; step++) {
            int percent = new int[] {20, 50, 100}[step - 1];
            int at = step;
            Poll.until(WAIT, "step " + step, () -> teal.plan().path("step").asInt() == at);
            assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(percent);
            trafficUntil("enough sessions and requests on green at step " + step, "/hello", this::sessionsJudged);
            // The hold is not over: the step waits however well green does.
            assertThat(teal.plan().path("step").asInt()).isEqualTo(step);
            JsonNode judged = teal.plan();
            assertThat(judged.path("analysis").path("result").asString())
                    .as("%s", judged)
                    .isEqualTo("pass");
            teal.clock.advance(Duration.ofMinutes(10));
        }
        planIs("completed");

        JsonNode plan = teal.plan();
        assertThat(plan.path("ladder").findValuesAsString("state")).containsExactly("passed", "passed", "passed");
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(100);
        Poll.until(WAIT, "the completed event told", () -> notified.events().contains("completed"));
        assertThat(notified.events()).containsSubsequence("started", "step", "step", "step", "completed");
        assertThat(notified.bodies().get(0).path("new").asString()).isEqualTo("green");
        String metrics = teal.metrics();
        assertThat(metrics).contains("teal_analysis_result{check=\"error_rate\"} 1.0");
        assertThat(metrics).contains("teal_rollout_step 0.0");
    }

    @Test
    void promoteSkipsToTheLastStepOnceTheCurrentOnePasses() {
        start("steps = [10, 50, 100], hold = 1h, min-sessions = 3, analysis.p99-tolerance = 200ms");
        teal.admin("POST", "/rollout/start");
        trafficUntil("enough sessions on green", "/hello", this::sessionsJudged);

        assertThat(teal.admin("POST", "/rollout/promote").statusCode()).isEqualTo(200);

        Poll.until(WAIT, "straight to 100 %", () -> teal.plan().path("percent").asInt() == 100);
        assertThat(teal.plan().path("ladder").findValuesAsString("state"))
                .containsExactly("passed", "passed", "holding");
        assertThat(teal.admin("POST", "/rollout/promote").statusCode()).isEqualTo(409);
    }

    @Test
    void rollsBackAGreenThatAnswersFiveHundredsBeforeTheNextStep() {
        start("steps = [50, 100], hold = 10m, min-sessions = 5, analysis.max-error-rate = 1%");
        AtomicInteger n = new AtomicInteger();
        teal.green.respondWith(r ->
                answer(n.incrementAndGet() % 3 == 0 ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK));
        teal.admin("POST", "/rollout/start");

        trafficUntil(
                "the plan to roll back",
                "/hello",
                () -> teal.plan().path("state").asString().equals("rolled-back"));

        assertThat(teal.node().proxy().traffic().split().green()).isZero();
        JsonNode plan = teal.plan();
        assertThat(plan.path("reason").asString()).contains("failed", "5xx", "rolled back: blue has 100 %");
        assertThat(plan.path("ladder").findValuesAsString("state")).containsExactly("failed", "pending");
        assertThat(plan.path("events").findValuesAsString("type")).contains("failed", "rollback");
        Poll.until(WAIT, "the rollback told", () -> notified.events().contains("rollback"));
        JsonNode told = notified.bodies().stream()
                .filter(b -> b.path("event").asString().equals("rollback"))
                .findFirst()
                .orElseThrow();
        assertThat(told.path("message").asString()).contains("5xx");
        assertThat(told.path("state").asString()).isEqualTo("rolled-back");
        assertThat(teal.admin("POST", "/rollout/resume").statusCode()).isEqualTo(409);

        // Green fixed: the plan starts again on the same rollout, which is rolling back.
        long rollout = plan.path("rollout").asLong();
        teal.green.respondWith(r -> answer(HttpResponseStatus.OK));
        JsonNode again = AdminHarness.json(teal.admin("POST", "/rollout/start"));
        assertThat(again.path("state").asString()).isEqualTo("running");
        assertThat(again.path("rollout").asLong()).isEqualTo(rollout);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(50);
    }

    @Test
    void pausesWhenGreenIsTwiceAsSlowAsBlue() {
        start("steps = [50, 100], hold = 10m, min-sessions = 5, on-failure = pause, analysis.max-p99-vs-old = 1.5x");
        // Blue answers at once; green takes the 40 ms that /slow/40 asks for.
        teal.blue.respondWith(r -> answer(HttpResponseStatus.OK));
        teal.admin("POST", "/rollout/start");

        trafficUntil(
                "the plan to pause",
                "/slow/40",
                () -> teal.plan().path("state").asString().equals("paused"));

        JsonNode plan = teal.plan();
        assertThat(plan.path("reason").asString()).contains("p99");
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(50);
        JsonNode p99 = plan.path("analysis").path("checks").findParents("check").stream()
                .filter(c -> c.path("check").asString().equals("p99_vs_old"))
                .findFirst()
                .orElseThrow();
        assertThat(p99.path("result").asString()).isEqualTo("fail");
        assertThat(plan.path("analysis").path("new").path("p99Millis").asDouble())
                .isGreaterThan(39);
        assertThat(teal.metrics()).contains("teal_analysis_result{check=\"p99_vs_old\"} 0.0");
        Poll.until(
                WAIT, "the failure told", () -> notified.events().containsAll(java.util.List.of("failed", "paused")));
    }

    @Test
    void aGateAnsweringFiveHundredHoldsTheStep() {
        gate.answer(500);
        start(
                "steps = [50, 100], hold = 1m, min-sessions = 3, analysis.p99-tolerance = 200ms, analysis.webhooks = [{ url = \""
                        + gate.uri() + "\" }]");
        teal.admin("POST", "/rollout/start");
        trafficUntil("enough sessions on green", "/hello", this::sessionsJudged);
        teal.clock.advance(Duration.ofMinutes(1));

        Poll.until(WAIT, "the gate asked", () -> !gate.bodies().isEmpty());
        Poll.until(
                WAIT,
                "the step held",
                () -> teal.plan().path("gate").path("result").asString().equals("fail"));
        JsonNode plan = teal.plan();
        assertThat(plan.path("step").asInt()).isEqualTo(1);
        assertThat(plan.path("state").asString()).isEqualTo("running");
        assertThat(plan.path("now").asString()).contains("answered 500");
        JsonNode asked = gate.bodies().get(0);
        assertThat(asked.path("percent").asInt()).isEqualTo(50);
        assertThat(asked.path("next").asInt()).isEqualTo(100);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(50);

        gate.answer(204);
        teal.clock.advance(PlanRunner.GATE_RETRY);

        Poll.until(
                WAIT,
                "the next step once the gate said yes",
                () -> teal.plan().path("step").asInt() == 2);
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(100);
    }

    @Test
    void aManualRampPausesThePlanAndResumeGoesOnFromThere() {
        start("steps = [10, 50, 100], hold = 10m, min-sessions = 3");
        teal.admin("POST", "/rollout/start");

        assertThat(teal.admin("POST", "/ramp?green=50").statusCode()).isEqualTo(200);

        planIs("paused");
        assertThat(teal.plan().path("reason").asString()).contains("manual", "50 %");
        assertThat(teal.admin("POST", "/rollout/resume").statusCode()).isEqualTo(200);
        JsonNode resumed = teal.plan();
        assertThat(resumed.path("state").asString()).isEqualTo("running");
        assertThat(resumed.path("step").asInt()).isEqualTo(2);
        assertThat(resumed.path("holdLeftSeconds").asLong()).isEqualTo(600);
        assertThat(teal.admin("POST", "/ramp?green=30").statusCode()).isEqualTo(200);
        planIs("paused");
        assertThat(AdminHarness.json(teal.admin("POST", "/rollout/resume"))
                        .path("detail")
                        .asString())
                .contains("30 %", "not a step of the plan");
    }

    @Test
    void aRollbackAfterTheContractIsRefusedAndThePlanPausesSayingWhy() {
        start("""
                steps = [100], hold = 1h, min-sessions = 3
                }
                sessions.idle-timeout = 1s
                rollout.phases = [{ name = contract, trigger = old-drained, command = ["true"] }]
                rollout.plan {
                """);
        teal.admin("POST", "/rollout/start");
        Poll.until(WAIT, "the contract (blue drained)", () -> AdminHarness.json(teal.admin("GET", "/status"))
                .path("rollout")
                .path("state")
                .asString()
                .equals("contracted"));
        AtomicInteger n = new AtomicInteger();
        teal.green.respondWith(
                r -> answer(n.incrementAndGet() % 2 == 0 ? HttpResponseStatus.BAD_GATEWAY : HttpResponseStatus.OK));

        trafficUntil(
                "the plan to pause",
                "/hello",
                () -> teal.plan().path("state").asString().equals("paused"));

        JsonNode plan = teal.plan();
        assertThat(plan.path("reason").asString()).contains("rollback refused", "contract");
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(100);
        assertThat(plan.path("events").findValuesAsString("type"))
                .contains("drained", "contracted", "failed", "paused");
        Poll.until(WAIT, "the contract told", () -> notified.events().contains("contracted"));
    }

    @Test
    void tooFewSessionsOnGreenIsNotJudgedYetNeverAPass() {
        start("steps = [50, 100], hold = 1m, min-sessions = 100000");
        teal.admin("POST", "/rollout/start");
        teal.traffic(20, "/hello");
        teal.clock.advance(Duration.ofMinutes(5));

        Poll.until(
                WAIT,
                "an analysis after the hold",
                () -> teal.plan().path("now").asString().contains("hold over"));
        Poll.holds(Duration.ofSeconds(2), "the plan stays at step 1, not judged", () -> {
            JsonNode plan = teal.plan();
            return plan.path("step").asInt() == 1
                    && plan.path("analysis").path("result").asString().equals("not-judged");
        });
        assertThat(teal.plan().path("analysis").path("summary").asString())
                .contains("not judged yet", "of 100000 sessions");
        assertThat(teal.metrics()).contains("teal_analysis_result{check=\"sessions\"} -1.0");
        assertThat(teal.metrics()).contains("teal_rollout_step 1.0");
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(50);
    }

    @Test
    void pauseAbortAndTheirRefusals() {
        start("steps = [10, 100], hold = 10m, min-sessions = 3");
        assertThat(teal.admin("POST", "/rollout/pause").statusCode()).isEqualTo(409);
        teal.admin("POST", "/rollout/start");
        assertThat(teal.admin("POST", "/rollout/start").statusCode()).isEqualTo(409);
        teal.clock.advance(Duration.ofMinutes(4));

        JsonNode paused = AdminHarness.json(teal.admin("POST", "/rollout/pause"));
        teal.clock.advance(Duration.ofHours(1));

        assertThat(paused.path("state").asString()).isEqualTo("paused");
        assertThat(teal.plan().path("holdLeftSeconds").asLong()).isEqualTo(360);
        assertThat(AdminHarness.json(teal.admin("POST", "/rollout/resume"))
                        .path("holdLeftSeconds")
                        .asLong())
                .isEqualTo(360);
        JsonNode aborted = AdminHarness.json(teal.admin("POST", "/rollout/abort"));
        assertThat(aborted.path("state").asString()).isEqualTo("aborted");
        assertThat(teal.node().proxy().traffic().split().green()).isEqualTo(10);
        assertThat(teal.admin("POST", "/rollout/abort").statusCode()).isEqualTo(409);
        assertThat(teal.admin("POST", "/rollout/start?next-release=maybe").statusCode())
                .isEqualTo(400);
        assertThat(teal.admin("POST", "/rollout/restart").statusCode()).isEqualTo(404);
        assertThat(teal.admin("GET", "/rollout/start").statusCode()).isEqualTo(405);
        assertThat(AdminHarness.json(teal.admin("POST", "/rollout/pause"))
                        .path("error")
                        .asString())
                .isEqualTo("conflict");
    }
}
