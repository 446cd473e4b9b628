package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.PhaseSettings;
import dev.teal.config.PhaseTrigger;
import dev.teal.config.RolloutSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The phases of {@code teal.rollout}, in plan order, and which of them a point of a rollout reaches.
 * Percentages are those of the rollout's {@code new} color, so one plan serves both directions.
 */
final class PhasePlan {
    /**
     * The phases a ramp step reaches, each list in plan order.
     *
     * @param gating run before traffic moves; a failure refuses the step
     * @param after run in the background once the split has moved
     */
    record Crossing(List<Phase> gating, List<Phase> after) {
        Crossing {
            gating = List.copyOf(gating);
            after = List.copyOf(after);
        }
    }

    private final List<Phase> phases;

    PhasePlan(List<Phase> phases) {
        this.phases = List.copyOf(phases);
    }

    static PhasePlan of(RolloutSettings settings) {
        requireNonNull(settings, "settings");
        JdbcDataSource datasource =
                settings.datasource().map(JdbcDataSource::new).orElse(null);
        List<Phase> phases = new ArrayList<>();
        for (PhaseSettings phase : settings.phases()) {
            phases.add(Phase.of(phase, datasource));
        }
        return new PhasePlan(phases);
    }

    List<Phase> phases() {
        return phases;
    }

    boolean isEmpty() {
        return phases.isEmpty();
    }

    Optional<Phase> find(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    List<Phase> ofType(PhaseTrigger.Type type) {
        return phases.stream()
                .filter(p -> p.settings().trigger().type() == type)
                .toList();
    }

    /**
     * The phases a step that moves {@code new} from {@code from} % to {@code to} % reaches: {@code
     * before-new} when it leaves 0, {@code before N} when it passes N on the way up ({@code from < N <=
     * to}), {@code after N} once {@code to >= N}. A step back towards {@code old} reaches none.
     */
    Crossing crossedBy(int from, int to) {
        List<Phase> gating = new ArrayList<>();
        List<Phase> after = new ArrayList<>();
        if (to <= from) {
            return new Crossing(gating, after);
        }
        for (Phase phase : phases) {
            PhaseTrigger trigger = phase.settings().trigger();
            switch (trigger.type()) {
                case BEFORE_NEW -> {
                    if (from == 0) {
                        gating.add(phase);
                    }
                }
                case BEFORE -> {
                    if (from < trigger.percent() && trigger.percent() <= to) {
                        gating.add(phase);
                    }
                }
                case AFTER -> {
                    if (trigger.percent() <= to) {
                        after.add(phase);
                    }
                }
                default -> {
                    // old-drained and rolled-back follow the drains, not the ramps.
                }
            }
        }
        return new Crossing(gating, after);
    }
}
