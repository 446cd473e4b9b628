package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.FakeTrafficControl;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code /ramp} over real HTTP: what it changes, what it refuses, and that a refusal changes nothing. */
class RampEndpointIT {
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

    // ---------------------------------------------------------------- /ramp

    @Test
    void rampStoresThenAppliesTheSplitAndAnswersTheNewState() throws IOException {
        HttpResponse<String> response = admin.post("/ramp?green=25");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = AdminHarness.json(response);
        assertThat(body.path("applied").asBoolean()).isTrue();
        assertThat(body.path("split").path("green").asInt()).isEqualTo(25);
        assertThat(body.path("split").path("blue").asInt()).isEqualTo(75);
        assertThat(body.path("previous").path("green").asInt()).isZero();
        assertThat(body.path("rollout").path("id").asLong()).isEqualTo(1);
        assertThat(body.path("rollout").path("old").asString()).isEqualTo("blue");
        assertThat(body.path("rollout").path("new").asString()).isEqualTo("green");
        assertThat(body.path("rollout").path("state").asString()).isEqualTo("ramping");
        assertThat(body.path("changes").toString())
                .contains("split: green 0 -> 25 %")
                .contains("rollout 1 started");
        assertThat(control().calls()).containsExactly("setSplit 25");
        JsonNode stored = AdminHarness.json(Files.readString(admin.stateFile()));
        assertThat(stored.path("split").path("green").asInt()).isEqualTo(25);
    }

    @Test
    void getRampWorksAsOperatorsTypeIt() {
        HttpResponse<String> response = admin.get("/ramp?blue=60");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(response).path("split").path("green").asInt())
                .isEqualTo(40);
        assertThat(control().split().green()).isEqualTo(40);
    }

    @Test
    void dryRunAnswersWhatWouldChangeAndChangesNothing() {
        HttpResponse<String> response = admin.post("/ramp?green=50&dry-run=true");

        JsonNode body = AdminHarness.json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("applied").asBoolean()).isFalse();
        assertThat(body.path("dryRun").asBoolean()).isTrue();
        assertThat(body.path("split").path("green").asInt()).isEqualTo(50);
        assertThat(body.path("changes").size()).isEqualTo(2);
        assertThat(control().calls()).isEmpty();
        assertThat(admin.stateFile()).doesNotExist();
        assertThat(status().path("split").path("green").asInt()).isZero();
    }

    @Test
    void forceAlsoMovesThePinnedSessionsOfTheColorLeftAtZero() {
        admin.post("/ramp?green=50");

        HttpResponse<String> response = admin.post("/ramp?green=0&force=true");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.json(response).path("forced").asString()).isEqualTo("green");
        assertThat(control().calls()).containsExactly("setSplit 50", "setSplit 0", "forceMove green");
    }

    @Test
    void rampWhileAnotherIsBeingAppliedIsAConflict() throws Exception {
        control().closeGate();
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> admin.post("/ramp?green=25"));
        assertThat(control().awaitHeldAtGate(Duration.ofSeconds(10))).isTrue();

        HttpResponse<String> second = admin.post("/ramp?green=50");
        HttpResponse<String> statusMeanwhile = admin.get("/status");
        control().openGate();

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(second).path("error").asString()).isEqualTo("conflict");
        assertThat(AdminHarness.json(second).path("detail").asString())
                .isEqualTo("a ramp to green 25 % is being applied; retry once it has answered");
        assertThat(statusMeanwhile.statusCode()).isEqualTo(200);
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(control().calls()).containsExactly("setSplit 25");
    }

    @Test
    void aGuardCanRefuseAStepWithItsReason() throws IOException {
        admin.close();
        admin = AdminHarness.start(
                dir,
                b -> b.guard(step -> step.after().split().green() > 0
                        ? Optional.of("phase expand-orders failed: relation \"orders\" exists")
                        : Optional.empty()));

        HttpResponse<String> response = admin.post("/ramp?green=5");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(AdminHarness.json(response).path("detail").asString())
                .isEqualTo("phase expand-orders failed: relation \"orders\" exists");
        assertThat(control().calls()).isEmpty();
        assertThat(admin.stateFile()).doesNotExist();
    }

    private JsonNode status() {
        HttpResponse<String> response = admin.get("/status");
        assertThat(response.statusCode()).isEqualTo(200);
        return AdminHarness.json(response);
    }
}
