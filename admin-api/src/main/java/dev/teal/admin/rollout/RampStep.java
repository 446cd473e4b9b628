package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.DurableState;
import dev.teal.config.Color;
import java.util.Optional;

/**
 * One ramp as the guards see it: the state before, the state after, and what else it does.
 *
 * @param before the state in force
 * @param after the state the step leads to (equal to {@code before} when nothing changes)
 * @param forced the color whose pinned sessions are moved at once, when forced
 * @param dryRun whether the step is only being previewed
 * @param nextRelease whether the operator says the color gaining share runs a new release
 */
public record RampStep(
        DurableState before, DurableState after, Optional<Color> forced, boolean dryRun, boolean nextRelease) {
    public RampStep {
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        requireNonNull(forced, "forced");
    }

    public boolean changesState() {
        return !before.equals(after);
    }

    /** Whether the split changes (as opposed to only the rollout, or nothing). */
    public boolean movesTraffic() {
        return !before.split().equals(after.split());
    }

    /** The percent of new sessions the step's rollout's {@code new} color had before the step. */
    public int newPercentBefore() {
        return before.split().percent(after.rollout().newColor());
    }

    /** The percent of new sessions the step's rollout's {@code new} color has after the step. */
    public int newPercentAfter() {
        return after.split().percent(after.rollout().newColor());
    }
}
