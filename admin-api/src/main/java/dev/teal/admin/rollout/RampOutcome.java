package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a ramp did, or would do for a dry run.
 *
 * @param step the step
 * @param applied whether it was stored and applied (false for a dry run)
 * @param changes what changed (or would), one sentence each; empty when nothing does
 * @param phases the migration phases the step ran before moving traffic, started after, or would run
 */
public record RampOutcome(RampStep step, boolean applied, List<String> changes, List<StepPhase> phases) {
    public RampOutcome {
        requireNonNull(step, "step");
        changes = List.copyOf(changes);
        phases = List.copyOf(phases);
    }
}
