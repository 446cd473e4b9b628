package dev.teal.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.AdminHarness;
import dev.teal.admin.testing.Plan;
import dev.teal.admin.testing.Poll;
import dev.teal.config.Color;
import dev.teal.proxy.DrainState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client commands with migration phases: what a ramp ran, the phases in the status, the next release. */
class PhasesCliIT {
    @TempDir
    Path dir;

    private AdminHarness admin;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        Plan plan = Plan.of()
                .shell("expand", "before-new", "echo expanded")
                .shell("contract", "old-drained", "echo contracted");
        admin = AdminHarness.start(dir, b -> b.phases(plan.settings(), dir));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private int run(Object command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--admin");
        all.add(admin.uri("/").toString());
        return new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
    }

    @Test
    void rampPrintsThePhasesItRanAndStatusListsThem() {
        assertThat(run(new RampCommand(), "25")).isZero();
        assertThat(run(new StatusCommand())).isZero();

        assertThat(out.toString())
                .contains("  - phase expand (before-new, command): succeeded: exit 0")
                .contains("phases   rollout 1")
                .containsPattern("  expand\\s+before-new\\s+command\\s+succeeded\\s+\\d+\\.\\d s  exit 0")
                .containsPattern("  contract\\s+old-drained\\s+command\\s+pending\n");
    }

    @Test
    void afterAContractOnlyTheNextReleaseMayRampBack() {
        admin.control().drain(Color.BLUE, DrainState.DRAINED, Optional.empty());
        run(new RampCommand(), "100");
        Poll.until(
                Duration.ofSeconds(20),
                "the rollout to be contracted",
                () -> admin.state().current().rollout().state().id().equals("contracted"));

        int refused = run(new RampCommand(), "0");
        int next = run(new RampCommand(), "0", "--next-release");

        assertThat(refused).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("409 conflict: the old version cannot run on the contracted schema");
        assertThat(next).isZero();
        assertThat(out.toString()).contains("rollout 2: green -> blue");
    }
}
