package dev.teal.admin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AdminMain;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The split and rollout survive restarts and crashes; a state directory that fails refuses changes (D9, D10). */
class StateDurabilityIT {
    @TempDir
    Path dir;

    @Test
    void splitAndRolloutSurviveARestartAndAreAppliedToTheDataPlane() {
        try (AdminHarness first = AdminHarness.start(dir)) {
            assertThat(first.post("/ramp?green=25").statusCode()).isEqualTo(200);
        }

        FakeTrafficControl freshDataPlane = new FakeTrafficControl();
        try (AdminHarness second = AdminHarness.start(dir, freshDataPlane, b -> {})) {
            JsonNode status = AdminHarness.json(second.get("/status"));

            assertThat(freshDataPlane.calls()).containsExactly("setSplit 25");
            assertThat(status.path("split").path("green").asInt()).isEqualTo(25);
            assertThat(status.path("rollout").path("id").asLong()).isEqualTo(1);
            assertThat(status.path("rollout").path("state").asString()).isEqualTo("ramping");
        }
    }

    @Test
    void stateDirectoryThatBecameUnusableRefusesTheRampAndKeepsTheSplit() throws IOException {
        try (AdminHarness admin = AdminHarness.start(dir.resolve("state"))) {
            assertThat(admin.post("/ramp?green=10").statusCode()).isEqualTo(200);
            // The directory goes away and a file takes its place: nothing can be written there now,
            // whoever runs the test (root ignores permission bits, so chmod would not do).
            Files.move(dir.resolve("state"), dir.resolve("state-moved"));
            Files.writeString(dir.resolve("state"), "not a directory");

            HttpResponse<String> response = admin.post("/ramp?green=50");

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode body = AdminHarness.json(response);
            assertThat(body.path("error").asString()).isEqualTo("state not writable");
            assertThat(body.path("detail").asString())
                    .contains("cannot write " + dir.resolve("state").resolve("state.json"))
                    .endsWith("nothing was changed, the previous state stays in force");
            assertThat(admin.control().calls()).containsExactly("setSplit 10");
            assertThat(AdminHarness.json(admin.get("/status"))
                            .path("split")
                            .path("green")
                            .asInt())
                    .isEqualTo(10);
            JsonNode stored = AdminHarness.json(
                    Files.readString(dir.resolve("state-moved").resolve("state.json")));
            assertThat(stored.path("split").path("green").asInt()).isEqualTo(10);
        }
    }

    @Test
    void corruptStateFileRefusesToStartInsteadOfResetting() throws IOException {
        Files.writeString(dir.resolve("state.json"), "{\"version\": 1, \"split\": {\"green\": 40}");

        assertThatThrownBy(() -> AdminHarness.start(dir))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith(dir.resolve("state.json") + ": not valid JSON");
        assertThat(Files.readString(dir.resolve("state.json")))
                .isEqualTo("{\"version\": 1, \"split\": {\"green\": 40}");
    }

    @Test
    void splitSurvivesKillMinusNineOfTheProcessThatRamped() throws Exception {
        Path stateDir = dir.resolve("state");
        Path portFile = dir.resolve("port");
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx128m",
                        AdminMain.class.getName(),
                        stateDir.toString(),
                        portFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Poll.until(
                    Duration.ofSeconds(30),
                    "the child admin server to start (see " + log + ")",
                    () -> Files.exists(portFile));
            int port = Integer.parseInt(Files.readString(portFile).trim());
            HttpResponse<String> ramped = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ramp?green=35"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ramped.statusCode()).isEqualTo(200);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137);

        FakeTrafficControl restarted = new FakeTrafficControl();
        try (AdminHarness admin = AdminHarness.start(stateDir, restarted, b -> {})) {
            JsonNode status = AdminHarness.json(admin.get("/status"));

            assertThat(status.path("split").path("green").asInt()).isEqualTo(35);
            assertThat(status.path("rollout").path("state").asString()).isEqualTo("ramping");
            assertThat(restarted.calls()).containsExactly("setSplit 35");
        }
    }
}
