package dev.teal.admin.rollout;

import java.util.List;
import java.util.Optional;

/**
 * A check that may veto a ramp step; a vetoed step changes nothing and the caller answers 409 with the
 * reason. Guards run in order before the step is stored and applied. The migration phases hook in here:
 * a phase that gates traffic runs in {@link #check} and vetoes the step when it fails (throwing {@link
 * RampRefusedException} to name the phase); phases that follow the traffic start in {@link #stepEnded}.
 */
public interface RampGuard {
    /** Empty to let {@code step} go ahead, else why it may not (one sentence an operator can act on). */
    Optional<String> check(RampStep step);

    /** Called once for every step this guard let through, after it was applied or abandoned. */
    default void stepEnded(RampStep step, boolean applied) {}

    /**
     * The phases this guard ran, started, or (for a dry run) would run for a step it let through; asked
     * once, after {@link #stepEnded}, for the ramp's answer.
     */
    default List<StepPhase> report(RampStep step, boolean applied) {
        return List.of();
    }
}
