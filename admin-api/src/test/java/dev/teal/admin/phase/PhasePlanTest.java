package dev.teal.admin.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.config.PhaseSettings;
import dev.teal.config.PhaseTrigger;
import dev.teal.config.RolloutSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhasePlanTest {
    private static final PhasePlan PLAN = PhasePlan.of(new RolloutSettings(
            Optional.empty(),
            Duration.ofMinutes(30),
            List.of(
                    phase("expand", "before-new"),
                    phase("warm", "before 50"),
                    phase("backfill", "after 100"),
                    phase("check", "after 25"),
                    phase("contract", "old-drained"),
                    phase("undo", "rolled-back"),
                    phase("warm-more", "before 50"))));

    private static PhaseSettings phase(String name, String trigger) {
        return new PhaseSettings(
                name, PhaseTrigger.parse(trigger), new PhaseSettings.Command(List.of("true")), Duration.ofSeconds(1));
    }

    private static List<String> names(List<Phase> phases) {
        return phases.stream().map(Phase::name).toList();
    }

    @Test
    void firstStepRunsExpandFirstThenTheBeforesItPasses() {
        PhasePlan.Crossing crossing = PLAN.crossedBy(0, 60);

        assertThat(names(crossing.gating())).containsExactly("expand", "warm", "warm-more");
        assertThat(names(crossing.after())).containsExactly("check");
    }

    @Test
    void beforeNRunsOnlyWhenTheStepPassesN() {
        assertThat(names(PLAN.crossedBy(5, 49).gating())).isEmpty();
        assertThat(names(PLAN.crossedBy(49, 50).gating())).containsExactly("warm", "warm-more");
        assertThat(names(PLAN.crossedBy(50, 100).gating())).isEmpty();
    }

    @Test
    void afterNIsReachedOnceTheSplitIsAtN() {
        assertThat(names(PLAN.crossedBy(25, 100).after())).containsExactly("backfill", "check");
        assertThat(names(PLAN.crossedBy(5, 24).after())).isEmpty();
    }

    @Test
    void aStepBackReachesNothing() {
        PhasePlan.Crossing back = PLAN.crossedBy(100, 0);

        assertThat(back.gating()).isEmpty();
        assertThat(back.after()).isEmpty();
    }

    @Test
    void drainPhasesAreFoundByTheirTrigger() {
        assertThat(names(PLAN.ofType(PhaseTrigger.Type.OLD_DRAINED))).containsExactly("contract");
        assertThat(names(PLAN.ofType(PhaseTrigger.Type.ROLLED_BACK))).containsExactly("undo");
        assertThat(PLAN.find("backfill")).isPresent();
        assertThat(PLAN.find("nope")).isEmpty();
    }
}
