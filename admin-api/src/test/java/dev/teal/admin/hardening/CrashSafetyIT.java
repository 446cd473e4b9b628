package dev.teal.admin.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.AdminMain;
import dev.teal.admin.testing.FakeTrafficControl;
import dev.teal.admin.testing.PhaseAdminMain;
import dev.teal.admin.testing.Poll;
import dev.teal.admin.testing.TealUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Catalogue row D9, and the crash safety: {@code kill -9} at any moment, then start — the split and
 * the rollout are the last acknowledged ones (or those of the ramp in flight, never a mix), a phase killed
 * while it ran is marked interrupted, and no finished phase runs again. A handful of random kills here;
 * {@code benchmarks/load/crash.sh} runs many more with {@code -Dteal.crash.kills=N}.
 */
class CrashSafetyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int KILLS = Integer.getInteger("teal.crash.kills", 4);

    @TempDir
    Path dir;

    @Test
    @DisplayName("D9 kill -9 while a phase runs, then start: interrupted, the ramp refused, re-run only when asked")
    void d9_marksAPhaseKilledWhileItRanInterruptedAndRunsItAgainOnlyWhenAsked() throws Exception {
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

    @Test
    @DisplayName("D9 kill -9 of the process that ramped, then start: the same split and rollout")
    void d9_keepsTheAcknowledgedSplitAfterKillMinusNine() throws Exception {
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

    @Test
    @DisplayName(
            "D9 kill -9 at random moments of a ramp with phases: an acknowledged state or the one in flight, no phase run twice")
    void d9_comesBackInAnAcknowledgedStateAfterKillsAtRandomMomentsOfARamp() throws Exception {
        long seed = Long.getLong("teal.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        String phases = """
                rollout.phases = [
                  { name = expand, trigger = before-new, command = ["/bin/sh", "-c", "echo $TEAL_ROLLOUT >> %1$s/expand.runs"] }
                  { name = backfill, trigger = "after 50", command = ["/bin/sh", "-c", "echo $TEAL_ROLLOUT >> %1$s/backfill.runs"] }
                ]
                """.formatted(dir.toString().replace('\\', '/'));
        List<String> jvm = List.of("-Xmx128m");
        try (TealUnderTest teal = TealUnderTest.start(dir, 1, phases, jvm)) {
            Observed acked =
                    observed(AdminHarness.json(teal.admin("GET", "/status").body()));
            int inFlightAtKill = 0;
            int rerun = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                rerun += rerunInterruptedPhases(teal);
                List<Integer> targets = targets(random, acked.green());
                AtomicReference<Observed> lastAcked = new AtomicReference<>(acked);
                AtomicReference<Observed> inFlight = new AtomicReference<>();
                Thread ramps = new Thread(() -> ramp(teal, targets, lastAcked, inFlight), "ramps");
                ramps.start();
                // The kill lands anywhere from before the first ramp to after the last answer.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(800)));
                teal.process().signal("KILL");
                assertThat(teal.process().exitCode()).isEqualTo(137);
                ramps.join(TimeUnit.SECONDS.toMillis(60));

                teal.restart(jvm);
                Observed now =
                        observed(AdminHarness.json(teal.admin("GET", "/status").body()));
                List<Observed> allowed = new ArrayList<>(List.of(lastAcked.get()));
                if (inFlight.get() != null) {
                    allowed.add(inFlight.get());
                    inFlightAtKill++;
                }
                assertThat(now)
                        .as(
                                "state after kill %d of %d (targets %s, seed %d: -Dteal.crash.seed=%d)",
                                kill, KILLS, targets, seed, seed)
                        .isIn(allowed);
                assertNoFinishedPhaseRanAgain(teal);
                acked = now;
            }
            System.out.printf(
                    "crash safety: %d kills (%d with a ramp in flight, %d interrupted phases re-run), seed %d,"
                            + " final state %s%n",
                    KILLS, inFlightAtKill, rerun, seed, acked);
        }
    }

    /** The split and rollout as {@code /status} and {@code /ramp} show them, times left out. */
    record Observed(int green, long rollout, String state, String oldColor, String newColor) {}

    private static Observed observed(JsonNode view) {
        JsonNode rollout = view.path("rollout");
        return new Observed(
                view.path("split").path("green").asInt(),
                rollout.path("id").asLong(),
                rollout.path("state").asString(""),
                rollout.path("old").asString(""),
                rollout.path("new").asString(""));
    }

    /** Three to five ramp targets, multiples of 10 from {@code from}, each different from the one before. */
    private static List<Integer> targets(Random random, int from) {
        List<Integer> targets = new ArrayList<>();
        int at = from;
        for (int i = 0, n = 3 + random.nextInt(3); i < n; i++) {
            int next;
            do {
                next = 10 * random.nextInt(11);
            } while (next == at);
            targets.add(next);
            at = next;
        }
        return targets;
    }

    /** Ramps to each target in turn, remembering the last acknowledged state and the one in flight. */
    private static void ramp(
            TealUnderTest teal,
            List<Integer> targets,
            AtomicReference<Observed> acked,
            AtomicReference<Observed> inFlight) {
        try {
            for (int target : targets) {
                HttpResponse<String> dryRun = teal.admin("POST", "/ramp?green=" + target + "&dry-run=true");
                if (dryRun.statusCode() != 200) {
                    return;
                }
                inFlight.set(observed(AdminHarness.json(dryRun.body())));
                HttpResponse<String> answer = teal.admin("POST", "/ramp?green=" + target);
                if (answer.statusCode() == 200) {
                    acked.set(observed(AdminHarness.json(answer.body())));
                }
                inFlight.set(null);
                if (answer.statusCode() != 200) {
                    return;
                }
            }
        } catch (UncheckedIOException e) {
            // teal was killed while this ramp was in flight: its outcome is unknown, which is the point.
        }
    }

    /** Re-runs the phases a kill interrupted, as an operator would; returns how many there were. */
    private static int rerunInterruptedPhases(TealUnderTest teal) {
        int n = 0;
        for (JsonNode phase :
                AdminHarness.json(teal.admin("GET", "/phases").body()).path("phases")) {
            String name = phase.path("name").asString();
            String state = phase.path("state").asString();
            if (state.equals("interrupted") || state.equals("failed")) {
                n++;
                assertThat(teal.admin("POST", "/phases/" + name + "/run").statusCode())
                        .isEqualTo(202);
                Poll.until(WAIT, name + " to succeed on its re-run", () -> AdminHarness.json(
                                teal.admin("GET", "/phases").body())
                        .path("phases")
                        .valueStream()
                        .anyMatch(p -> p.path("name").asString().equals(name)
                                && p.path("state").asString().equals("succeeded")));
            }
        }
        return n;
    }

    /** Each phase ran at most once per rollout, plus once more for each run that teal's death interrupted. */
    private void assertNoFinishedPhaseRanAgain(TealUnderTest teal) throws IOException {
        JsonNode journal =
                AdminHarness.json(teal.admin("GET", "/phases").body()).path("journal");
        for (String phase : List.of("expand", "backfill")) {
            Path runs = dir.resolve(phase + ".runs");
            List<String> lines = Files.exists(runs) ? Files.readAllLines(runs) : List.of();
            for (String rollout : new java.util.TreeSet<>(lines)) {
                long ran = lines.stream().filter(rollout::equals).count();
                long interrupted = journal.valueStream()
                        .filter(e -> e.path("phase").asString().equals(phase)
                                && Long.toString(e.path("rollout").asLong()).equals(rollout)
                                && e.path("state").asString().equals("interrupted"))
                        .count();
                assertThat(ran)
                        .as(
                                "runs of %s in rollout %s (%d interrupted); journal %s",
                                phase, rollout, interrupted, journal)
                        .isLessThanOrEqualTo(1 + interrupted);
            }
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
