package dev.teal.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.admin.state.CorruptStateException;
import dev.teal.config.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrote() {
        PlanFile file = new PlanFile(dir);
        PlanRun run = new PlanRun(
                3,
                Color.GREEN,
                Color.BLUE,
                PlanState.PAUSED,
                1,
                Optional.empty(),
                Optional.of(Duration.ofSeconds(90)),
                true,
                "paused by the operator",
                NOW,
                List.of(new PlanEvent(NOW, "started", 5, "plan started"), new PlanEvent(NOW, "paused", 25, "why")));

        file.save(run);

        assertThat(file.load()).contains(run);
        assertThat(new PlanFile(dir).load()).contains(run);
    }

    @Test
    void knowsNoPlanBeforeTheFirst() {
        assertThat(new PlanFile(dir).load()).isEmpty();
    }

    @Test
    void refusesAFileItCannotRead() throws Exception {
        Files.writeString(dir.resolve(PlanFile.NAME), "{\"version\": 1, \"rollout\": 3}");

        assertThatThrownBy(() -> new PlanFile(dir).load())
                .isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("plan.json")
                .hasMessageContaining("missing");
    }

    @Test
    void keepsTheLastFiftyEvents() {
        PlanRun run = PlanRun.idle(NOW);
        for (int i = 0; i < 60; i++) {
            run = run.logged(new PlanEvent(NOW, "step", i, "event " + i));
        }

        assertThat(run.events()).hasSize(PlanRun.EVENTS);
        assertThat(run.events().get(0).message()).isEqualTo("event 10");
    }

    @Test
    void aPausedHoldKeepsWhatWasLeftAndResumingRestartsItFromNow() {
        PlanRun running = PlanRun.idle(NOW).with(PlanState.RUNNING, "x").atStep(0, NOW.plus(Duration.ofMinutes(10)));

        PlanRun paused = running.paused(NOW.plus(Duration.ofMinutes(4)), "pause");
        PlanRun resumed = paused.resumed(NOW.plus(Duration.ofHours(2)), "resume");

        assertThat(paused.holdLeftAt(NOW.plus(Duration.ofHours(1)))).isEqualTo(Duration.ofMinutes(6));
        assertThat(resumed.holdEndsAt()).contains(NOW.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(6)));
    }
}
