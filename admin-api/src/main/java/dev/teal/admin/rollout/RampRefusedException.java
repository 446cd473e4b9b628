package dev.teal.admin.rollout;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A guard vetoed the step, or the state moved on while it was checked; nothing was changed. A guard may
 * throw it from {@link RampGuard#check} to name the migration phase whose failure refused the step.
 */
public final class RampRefusedException extends RuntimeException {
    private final transient Optional<StepPhase> phase;

    RampRefusedException(String reason) {
        this(reason, Optional.empty());
    }

    /**
     * @param reason why, one sentence an operator can act on
     * @param phase the phase that failed, with its outcome and output, when one did
     */
    public RampRefusedException(String reason, Optional<StepPhase> phase) {
        super(requireNonNull(reason, "reason"));
        this.phase = requireNonNull(phase, "phase");
    }

    public Optional<StepPhase> phase() {
        return phase;
    }
}
