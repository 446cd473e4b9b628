package dev.teal.admin.rollout;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses a ramp while another is being applied, rather than queueing it: two operators (or a script and
 * an operator) ramping at once should learn about each other, not have one silently undo the other.
 */
final class OneStepAtATime implements RampGuard {
    private final AtomicReference<RampStep> inProgress = new AtomicReference<>();

    @Override
    public Optional<String> check(RampStep step) {
        RampStep other = inProgress.get();
        if (step.dryRun()) {
            return other == null ? Optional.empty() : Optional.of(busy(other));
        }
        if (inProgress.compareAndSet(null, step)) {
            return Optional.empty();
        }
        other = inProgress.get();
        return Optional.of(other == null ? "another ramp was being applied; retry" : busy(other));
    }

    @Override
    public void stepEnded(RampStep step, boolean applied) {
        inProgress.compareAndSet(step, null);
    }

    private static String busy(RampStep other) {
        return "a ramp to green " + other.after().split().green() + " % is being applied; retry once it has answered";
    }
}
