package dev.teal.admin.state;

import static java.util.Objects.requireNonNull;

import dev.teal.proxy.Split;
import java.time.Instant;

/**
 * What the operator set and what must survive a restart: the split and the rollout. The phase journal
 * joins it with the migration-phase work.
 *
 * @param split the split in force
 * @param rollout the current (or last) rollout
 */
public record DurableState(Split split, Rollout rollout) {
    public DurableState {
        requireNonNull(split, "split");
        requireNonNull(rollout, "rollout");
        rollout.checkFits(split);
    }

    /** The state of a new state directory: the configured split and the rollout it implies. */
    public static DurableState initial(Split split, Instant now) {
        return new DurableState(split, Rollout.initial(split, now));
    }
}
