package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The plan's phases in one rollout: the current one, or the next when its first step already ran phases
 * (an expand that refused the step).
 *
 * @param rollout the rollout shown
 * @param phases every phase of the plan, in plan order
 */
public record PhaseBoard(RolloutRef rollout, List<PhaseView> phases) {
    public PhaseBoard {
        requireNonNull(rollout, "rollout");
        phases = List.copyOf(phases);
    }
}
