package dev.teal.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.TealUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code teal run} killed with {@code kill -9} in the middle of a plan, then started again: the plan is at
 * the same step with the same hold (the instant it ends is stored), and no phase runs again.
 */
class PlanCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> JVM = List.of("-Xmx128m");

    @TempDir
    Path dir;

    private static JsonNode plan(TealUnderTest teal) {
        return AdminHarness.json(teal.admin("GET", "/status").body()).path("plan");
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    @Test
    void resumesAtTheSameStepWithTheSameHoldAfterKillNineAndNeverRunsAPhaseAgain() throws Exception {
        Path expand = dir.resolve("expand.runs");
        Path backfill = dir.resolve("backfill.runs");
        String extra = """
                rollout.phases = [
                  { name = expand, trigger = before-new, command = ["/bin/sh", "-c", "echo run >> %s"] }
                  { name = backfill, trigger = "after 20", command = ["/bin/sh", "-c", "echo run >> %s"] }
                ]
                rollout.plan { steps = [20, 50, 100], hold = 1h, min-sessions = 3, analysis.p99-tolerance = 1s }
                """.formatted(expand, backfill);
        try (TealUnderTest teal = TealUnderTest.start(dir, 1, extra, JVM)) {
            assertThat(teal.admin("POST", "/rollout/start").statusCode()).isEqualTo(200);
            Poll.until(WAIT, "the backfill after 20 %", () -> {
                try {
                    return lines(backfill) == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode before = plan(teal);
            assertThat(before.path("step").asInt()).isEqualTo(1);

            teal.process().signal("KILL");
            assertThat(teal.process().exitCode()).isEqualTo(137);
            teal.restart(JVM);

            JsonNode after = plan(teal);
            assertThat(after.path("state").asString()).isEqualTo("running");
            assertThat(after.path("step").asInt()).isEqualTo(1);
            assertThat(after.path("percent").asInt()).isEqualTo(20);
            assertThat(after.path("holdEndsAt").asString())
                    .isEqualTo(before.path("holdEndsAt").asString());
            assertThat(Instant.parse(after.path("holdEndsAt").asString()))
                    .isAfter(Instant.now().plus(Duration.ofMinutes(55)));
            assertThat(after.path("events").findValuesAsString("type")).containsExactly("step", "started");
            assertThat(lines(expand)).isEqualTo(1);
            assertThat(lines(backfill)).isEqualTo(1);

            // The plan goes on from there: green's traffic after the restart judges the step, promote skips.
            HttpClient http = HttpClient.newHttpClient();
            URI through = URI.create("http://127.0.0.1:" + teal.proxy().getPort() + "/hello");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!plan(teal).path("analysis").path("result").asString("").equals("pass")) {
                assertThat(System.nanoTime())
                        .as("judged within %s: %s", WAIT, plan(teal))
                        .isLessThan(deadline);
                for (int i = 0; i < 20; i++) {
                    http.send(HttpRequest.newBuilder(through).build(), HttpResponse.BodyHandlers.discarding());
                }
            }
            assertThat(teal.admin("POST", "/rollout/promote").statusCode()).isEqualTo(200);
            Poll.until(
                    WAIT,
                    "100 % after the promote",
                    () -> plan(teal).path("percent").asInt() == 100);
            assertThat(lines(expand)).isEqualTo(1);
            assertThat(lines(backfill)).isEqualTo(1);
        }
    }
}
