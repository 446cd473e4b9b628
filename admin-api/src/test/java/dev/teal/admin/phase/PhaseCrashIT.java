package dev.teal.admin.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.PhaseAdminMain;
import dev.teal.admin.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code kill -9} of teal while a phase runs (D9): interrupted after the restart, nothing re-run until asked. */
class PhaseCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aPhaseRunningWhenTealIsKilledIsInterruptedAfterTheRestartAndRunsAgainOnlyWhenAsked() throws Exception {
        Path stateDir = dir.resolve("state");
        Path runs = dir.resolve("runs");
        Path pid = dir.resolve("expand.pid");
        // The first run hangs (as the shell's own pid, so the test can clean it up); later runs succeed.
        String script = "echo run >> " + runs + "; if [ \"$(wc -l < " + runs + ")\" -eq 1 ]; then echo $$ > " + pid
                + ".tmp; mv " + pid + ".tmp " + pid + "; exec sleep 60; fi";
        Process child = startChild(stateDir, script);
        try {
            Path portFile = dir.resolve("port");
            Poll.until(WAIT, "the child admin server to start (see child.log)", () -> Files.exists(portFile));
            int port = Integer.parseInt(Files.readString(portFile).trim());
            HttpClient.newHttpClient()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ramp?green=5"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            Poll.until(WAIT, "expand to be running", () -> Files.exists(pid));
            assertThat(Files.readString(stateDir.resolve("phases.json"))).contains("\"state\" : \"running\"");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The orphaned phase process: kill -9 of teal does not reach it.
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        assertThat(child.exitValue()).isEqualTo(137);

        FakeTrafficControl restarted = new FakeTrafficControl();
        try (AdminHarness admin = AdminHarness.start(
                stateDir, restarted, b -> b.phases(PhaseAdminMain.plan(script).settings(), stateDir))) {
            JsonNode expand =
                    AdminHarness.json(admin.get("/phases")).path("phases").get(0);
            assertThat(expand.path("state").asString()).isEqualTo("interrupted");
            assertThat(expand.path("rollout").asLong()).isEqualTo(1);
            assertThat(expand.path("detail").asString()).startsWith("teal stopped while it ran");
            assertThat(AdminHarness.json(admin.get("/status"))
                            .path("split")
                            .path("green")
                            .asInt())
                    .isZero();
            Poll.holds(Duration.ofMillis(300), "nothing to re-run by itself", () -> lines(runs) == 1);

            HttpResponse<String> ramp = admin.post("/ramp?green=5");
            assertThat(ramp.statusCode()).isEqualTo(409);
            assertThat(AdminHarness.json(ramp).path("detail").asString())
                    .isEqualTo("phase expand (before-new) was interrupted: teal stopped while it ran. Check what it"
                            + " did, then re-run it with POST /phases/expand/run");
            assertThat(lines(runs)).isEqualTo(1);
            assertThat(restarted.calls()).isEmpty();

            assertThat(admin.post("/phases/expand/run").statusCode()).isEqualTo(202);
            Poll.until(WAIT, "expand to succeed", () -> AdminHarness.json(admin.get("/phases"))
                    .path("phases")
                    .get(0)
                    .path("state")
                    .asString()
                    .equals("succeeded"));
            assertThat(admin.post("/ramp?green=5").statusCode()).isEqualTo(200);
            assertThat(lines(runs)).isEqualTo(2);
            assertThat(restarted.calls()).containsExactly("setSplit 5");
            List<String> journal = AdminHarness.json(admin.get("/phases"))
                    .path("journal")
                    .valueStream()
                    .map(e -> e.path("state").asString())
                    .toList();
            assertThat(journal).containsExactly("succeeded", "interrupted");
        }
    }

    private Process startChild(Path stateDir, String script) throws IOException {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx128m",
                        PhaseAdminMain.class.getName(),
                        stateDir.toString(),
                        dir.resolve("port").toString(),
                        script)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
