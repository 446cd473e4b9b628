package dev.teal.admin.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.admin.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command phases against real processes. */
class CommandPhaseTest {
    @TempDir
    Path dir;

    @Test
    void runsTheProgramWithTheRolloutInItsEnvironment() {
        CommandPhase phase = Phases.command(
                "backfill",
                Duration.ofSeconds(10),
                "sh",
                "-c",
                "echo \"$TEAL_ROLLOUT $TEAL_PHASE $TEAL_OLD->$TEAL_NEW green=$TEAL_SPLIT args=$0\"",
                "batch");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(result.detail()).isEqualTo("exit 0");
        assertThat(result.output()).isEqualTo("3 backfill blue->green green=25 args=batch\n");
    }

    @Test
    void aNonZeroExitFailsWithTheTailOfBothOutputs() {
        CommandPhase phase = Phases.command(
                "backfill",
                Duration.ofSeconds(10),
                "sh",
                "-c",
                "echo done 10 rows; echo 'row 11: bad date' >&2; exit 3");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).isEqualTo("exit 3");
        assertThat(result.output()).contains("done 10 rows").contains("row 11: bad date");
    }

    @Test
    void keepsOnlyTheTailOfAHugeOutput() {
        CommandPhase phase = Phases.command(
                "noisy",
                Duration.ofSeconds(10),
                "sh",
                "-c",
                "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.output()).startsWith("…").endsWith("line 2999\n");
        assertThat(result.output().length()).isLessThanOrEqualTo(OutputTail.LIMIT + 1);
    }

    @Test
    void aProgramThatCannotStartFails() {
        CommandPhase phase = Phases.command(
                "missing", Duration.ofSeconds(10), dir.resolve("nope.sh").toString());

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.FAILED);
        assertThat(result.detail()).startsWith("cannot start " + dir.resolve("nope.sh"));
    }

    @Test
    void theTimeoutKillsTheWholeProcessTree() throws IOException {
        Path child = dir.resolve("child.pid");
        CommandPhase phase = Phases.command(
                "slow", Duration.ofMillis(500), "sh", "-c", "echo started; sleep 30 & echo $! > " + child + "; wait");

        PhaseResult result = phase.run(Phases.run(phase));

        assertThat(result.state()).isEqualTo(PhaseState.TIMED_OUT);
        assertThat(result.detail()).isEqualTo("still running after 0.5s; its process tree was killed");
        assertThat(result.output()).isEqualTo("started\n");
        long grandchild = Long.parseLong(Files.readString(child).trim());
        Poll.until(Duration.ofSeconds(5), "the grandchild sleep to be killed", () -> ProcessHandle.of(grandchild)
                .map(p -> !p.isAlive())
                .orElse(true));
    }

    @Test
    void aRunInterruptedWhenTealStopsKillsTheProgram() throws Exception {
        Path pid = dir.resolve("sleep.pid");
        CommandPhase phase =
                Phases.command("long", Duration.ofMinutes(1), "sh", "-c", "echo $$ > " + pid + "; exec sleep 30");
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<PhaseResult> running = thread.submit(() -> phase.run(Phases.run(phase)));
            Poll.until(Duration.ofSeconds(10), "the program to start", () -> Files.exists(pid) && size(pid) > 0);

            thread.shutdownNow();
            PhaseResult result = running.get(10, TimeUnit.SECONDS);

            assertThat(result.state()).isEqualTo(PhaseState.INTERRUPTED);
            long sleeping = Long.parseLong(Files.readString(pid).trim());
            CompletableFuture<ProcessHandle> exit = ProcessHandle.of(sleeping)
                    .map(ProcessHandle::onExit)
                    .orElse(CompletableFuture.completedFuture(null));
            exit.get(5, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
