package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.Rollout;
import dev.teal.config.Color;

/**
 * The rollout a phase runs in: its id and direction. It may be one not yet stored: the next rollout,
 * whose first step is being checked (its expand runs before the step is stored).
 *
 * @param id the rollout's id
 * @param oldColor the color traffic moves away from
 * @param newColor the color traffic moves to
 */
public record RolloutRef(long id, Color oldColor, Color newColor) {
    public RolloutRef {
        requireNonNull(oldColor, "oldColor");
        requireNonNull(newColor, "newColor");
    }

    static RolloutRef of(Rollout rollout) {
        return new RolloutRef(rollout.id(), rollout.oldColor(), rollout.newColor());
    }

    @Override
    public String toString() {
        return "rollout " + id + " (" + oldColor + " -> " + newColor + ")";
    }
}
