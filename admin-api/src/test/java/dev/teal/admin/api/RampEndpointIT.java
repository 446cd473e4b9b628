package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.FakeTrafficControl;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest(name = "[{index}] /ramp?{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "green=abc|green: 'abc' (expected: an integer 0-100)",
                "green=101|green: 101 (expected: an integer 0-100)",
                "green=-1|green: '-1' (expected: an integer 0-100)",
                "green=2.5|green: '2.5' (expected: an integer 0-100)",
                "green=|green: '' (expected: an integer 0-100)",
                "green=+5|green: ' 5' (expected: an integer 0-100)",
                "green=99999999999|green: '99999999999' (expected: an integer 0-100)",
                "blue=1000|blue: 1000 (expected: an integer 0-100)",
                "green=10&blue=90|green, blue: both given (expected: exactly one of green=N or blue=N, N 0-100)",
                "''|green: (missing) (expected: exactly one of green=N or blue=N, N 0-100)",
                "dry-run=true|green: (missing) (expected: exactly one of green=N or blue=N",
                "colour=5|'colour': unknown parameter (expected: green, blue, dry-run, force, next-release)",
                "green=5&token=x|'token': unknown parameter (expected: green, blue, dry-run, force, next-release)",
                "green=5&green=6|green: given 2 times (expected: at most once)",
                "green=5&dry-run=yes|dry-run: 'yes' (expected: true or false)",
                "green=5&force=1|force: '1' (expected: true or false)",
                "green=5&dry-run|dry-run: '' (expected: true or false)",
                "green=50&force=true|force: true with green 50 (expected: force only with a ramp to 0 or 100"
            })
    void badRampInputIsRefusedNamingTheParameterAndChangesNothing(String query, String detail) throws IOException {
        admin.post("/ramp?green=10");
        byte[] stored = Files.readAllBytes(admin.stateFile());
        List<String> calls = control().calls();

        HttpResponse<String> response = admin.post("/ramp?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = AdminHarness.json(response);
        assertThat(body.path("error").asString()).isEqualTo("bad request");
        assertThat(body.path("detail").asString()).contains(detail);
        assertThat(body.properties()).hasSize(2);
        assertThat(Files.readAllBytes(admin.stateFile())).isEqualTo(stored);
        assertThat(control().calls()).isEqualTo(calls);
        assertThat(status().path("split").path("green").asInt()).isEqualTo(10);
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
