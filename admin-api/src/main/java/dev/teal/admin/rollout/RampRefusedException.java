package dev.teal.admin.rollout;

/** A guard vetoed the step, or the state moved on while it was checked; nothing was changed. */
public final class RampRefusedException extends RuntimeException {
    RampRefusedException(String reason) {
        super(reason);
    }
}
