package dev.teal.admin.rollout;

import java.util.Optional;

/**
 * A check that may veto a ramp step; a vetoed step changes nothing and the caller answers 409 with the
 * reason. Guards run in order before the step is stored and applied. The migration phases hook in here:
 * a phase that gates traffic runs in {@link #check} and vetoes the step when it fails.
 */
public interface RampGuard {
    /** Empty to let {@code step} go ahead, else why it may not (one sentence an operator can act on). */
    Optional<String> check(RampStep step);

    /** Called once for every step this guard let through, after it was applied or abandoned. */
    default void stepEnded(RampStep step, boolean applied) {}
}
