package dev.teal.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Poll;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client commands against a real admin server. */
class CliIT {
    @TempDir
    Path dir;

    private AdminHarness admin;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        admin = AdminHarness.start(dir);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private int run(Object command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.equals("--admin"))) {
            all.add("--admin");
            all.add(admin.uri("/").toString());
        }
        return new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
    }

    @Test
    void rampSetsTheSplitAndPrintsWhatChanged() {
        int code = run(new RampCommand(), "25");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("applied: blue 75 %, green 25 % (was blue 100 %, green 0 %)")
                .contains("rollout 1: blue -> green, ramping")
                .contains("  - split: green 0 -> 25 %, blue 100 -> 75 %");
        assertThat(admin.control().split().green()).isEqualTo(25);
    }

    @Test
    void rampByBluePercent() {
        assertThat(run(new RampCommand(), "--blue", "90")).isZero();

        assertThat(admin.control().split().green()).isEqualTo(10);
    }

    @Test
    void dryRunPrintsWhatWouldChange() {
        assertThat(run(new RampCommand(), "50", "--dry-run")).isZero();

        assertThat(out.toString()).contains("dry run, nothing changed").contains("would: split: green 0 -> 50 %");
        assertThat(admin.control().calls()).isEmpty();
    }

    @Test
    void forceMovesPinnedSessions() {
        run(new RampCommand(), "100");

        assertThat(run(new RampCommand(), "0", "--force")).isZero();

        assertThat(admin.control().calls()).containsExactly("setSplit 100", "setSplit 0", "forceMove green");
    }

    @Test
    void refusedRampPrintsTheApiErrorAndExitsOne() {
        int code = run(new RampCommand(), "250");

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("teal ramp: 400 bad request: green: 250 (expected: an integer 0-100)");
    }

    @Test
    void rampNeedsExactlyOnePercent() {
        assertThat(run(new RampCommand())).isEqualTo(ExitCodes.USAGE);
        assertThat(run(new RampCommand(), "10", "--blue", "90")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Give exactly one of GREEN or --blue N");
    }

    @Test
    void statusPrintsAHumanSummary() {
        run(new RampCommand(), "25");

        assertThat(run(new StatusCommand())).isZero();

        assertThat(out.toString())
                .contains("split    blue 75 %, green 25 %")
                .contains("rollout  1: blue -> green, ramping, since ")
                .containsPattern(
                        "blue\\s+serving\\s+1234 sessions\\s+7 in flight\\s+2 upgraded\\s+backends 2/2 healthy")
                .containsPattern("green\\s+serving\\s+567 sessions");
    }

    @Test
    void statusJsonIsTheApiAnswer() {
        assertThat(run(new StatusCommand(), "--json")).isZero();

        assertThat(AdminHarness.json(out.toString())
                        .path("colors")
                        .path("green")
                        .path("activeSessions")
                        .asLong())
                .isEqualTo(567);
    }

    @Test
    void tokenIsSentWhenGiven() {
        admin.close();
        admin = AdminHarness.start(dir, b -> b.token(Optional.of("cli-token")));

        int without = run(new StatusCommand(), "--token", "");
        int with = run(new StatusCommand(), "--token", "cli-token");

        assertThat(without).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("401 unauthorized");
        assertThat(with).isZero();
    }

    @Test
    void unreachableAdminIsOneClearLine() {
        int code = run(new StatusCommand(), "--admin", "http://127.0.0.1:1");

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("cannot reach the admin API at http://127.0.0.1:1");
    }

    @Test
    void drainWaitPrintsProgressAndReturnsOnceDrained() throws Exception {
        run(new RampCommand(), "100");
        admin.control().drain(Color.BLUE, DrainState.DRAINING, Optional.of(Instant.parse("2026-11-21T11:00:00Z")));
        CompletableFuture<Integer> waiting =
                CompletableFuture.supplyAsync(() -> run(new DrainWaitCommand(), "blue", "--interval", "20ms"));
        Poll.until(Duration.ofSeconds(10), "drain-wait to report draining", () -> out.toString()
                .contains("blue: draining, 1234 sessions"));

        admin.control().counts(Color.BLUE, 3, 0);
        Poll.until(Duration.ofSeconds(10), "drain-wait to report progress", () -> out.toString()
                .contains("blue: draining, 3 sessions"));
        admin.control().counts(Color.BLUE, 0, 0);
        admin.control().drain(Color.BLUE, DrainState.DRAINED, Optional.empty());

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString())
                .contains("blue: draining, 1234 sessions, 7 in flight, 2 upgraded, deadline 2026-11-21T11:00:00.000Z")
                .contains("blue: drained, 0 sessions");
    }

    @Test
    void drainWaitGivesUpAtTheTimeout() {
        int code = run(new DrainWaitCommand(), "blue", "--interval", "20ms", "--timeout", "200ms");

        assertThat(code).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(err.toString()).contains("teal drain-wait: blue not drained after PT0.2S");
    }

    @Test
    void drainWaitRefusesAnUnknownColor() {
        assertThat(run(new DrainWaitCommand(), "red")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("COLOR: 'red' (expected: blue or green)");
    }
}
