package dev.teal.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Plan;
import dev.teal.admin.testing.Poll;
import dev.teal.config.AnalysisSettings;
import dev.teal.config.PlanSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code teal rollout ...} against a real admin server with a release plan. */
class RolloutCliIT {
    private static final PlanSettings PLAN = new PlanSettings(
            List.of(
                    new PlanSettings.Step(10, null),
                    new PlanSettings.Step(50, Duration.ofMinutes(30)),
                    new PlanSettings.Step(100, null)),
            Duration.ofMinutes(10),
            200,
            AnalysisSettings.defaults(),
            PlanSettings.OnFailure.ROLLBACK,
            false,
            List.of());

    @TempDir
    Path dir;

    private AdminHarness admin;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        admin.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args),
                        java.util.stream.Stream.of("--admin", admin.uri("/").toString()))
                .toArray(String[]::new);
        return new CommandLine(new dev.teal.admin.Teal())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all);
    }

    @Test
    void startsPausesResumesAndAbortsThePlan() {
        admin = AdminHarness.start(dir, b -> b.phases(Plan.of().settings().withPlan(PLAN), dir));

        assertThat(run("rollout", "start")).isZero();
        assertThat(out.toString())
                .containsPattern(
                        "plan     running, rollout 1 \\(blue -> green\\), step 1 of 3 \\(10 %\\), hold 0:(10:00|09:[0-9]{2}) left")
                .contains("[>10%] [ 50%] [ 100%]");
        assertThat(admin.control().split().green()).isEqualTo(10);

        // The plan judges its step on its own tick (every second): status shows the analysis from then on.
        Poll.until(
                Duration.ofSeconds(10),
                "rollout status showing the first analysis",
                () -> run("rollout", "status") == 0 && out.toString().contains("analysis "));
        assertThat(out.toString()).contains("analysis not-judged", "not judged yet: 0 of 200 sessions", "started:");

        assertThat(run("rollout", "pause")).isZero();
        assertThat(out.toString()).contains("plan     paused", "[=10%]", "paused by the operator");
        assertThat(run("rollout", "resume")).isZero();
        assertThat(out.toString()).contains("plan     running");
        assertThat(run("status")).isZero();
        assertThat(out.toString()).contains("plan     running");
        assertThat(run("rollout", "abort")).isZero();
        assertThat(out.toString()).contains("plan     aborted");

        assertThat(run("rollout", "abort")).isEqualTo(1);
        assertThat(err.toString()).contains("teal rollout abort:", "expected: running or paused");
        assertThat(admin.control().split().green()).isEqualTo(10);
    }

    @Test
    void saysSoWhenNoPlanIsConfigured() {
        admin = AdminHarness.start(dir);

        assertThat(run("rollout", "start")).isEqualTo(1);
        assertThat(err.toString()).contains("no release plan");
        assertThat(run("rollout", "status")).isZero();
        assertThat(out.toString()).contains("no release plan");
        assertThat(admin.control().calls()).isEmpty();
    }
}
