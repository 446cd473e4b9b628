package dev.teal.admin.rollout;

import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.Rollout;

/**
 * Has a say when the data plane shows a rollout done ({@code old} drained at 100 %, or {@code new}
 * drained after a ramp back to 0 %): the migration phases attached to that moment run first, and the
 * rollout completes only once they succeeded.
 */
public interface SettleGuard {
    /**
     * What the rollout becomes.
     *
     * @param current the state in force
     * @param settling the rollout settled, as the drain alone would have it
     * @return {@code settling} to let it settle, {@code current.rollout()} to hold it where it is (work
     *     still to do, or blocked), or another rollout (contracted)
     */
    Rollout settle(DurableState current, Rollout settling);
}
